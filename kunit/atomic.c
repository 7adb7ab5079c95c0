// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of scullv's refusal to allocate quanta where vmalloc() may
 * not run: gfp masks that may not block, interrupts disabled, a held
 * spinlock, preemption or bottom halves disabled, a timer (softirq) and an
 * irq_work (hard interrupt); and of the same calls allocating from a
 * workqueue.
 *
 * In atomic context nothing is checked on the spot: a failed expectation
 * allocates with GFP_KERNEL and a failed assertion ends the thread.  The
 * results are kept and checked once out of that context.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/irq_work.h>
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/uio.h>
#include <linux/workqueue.h>

#include "scullv_kunit.h"

/* What the allocation path answered in some context. */
struct scullv_kunit_probe {
	struct scullv_store *store;
	bool context_ok;	/* the probe ran in the context under test */
	gfp_t gfp;		/* GFP_KERNEL: what the driver asks of vmalloc() */
	bool may;		/* scullv_may_vmalloc(@gfp) */
	void *quantum;		/* scullv_store_populate(), quantum 1 */
	ssize_t written;	/* scullv_store_write() of a byte at PAGE_SIZE */
	struct completion done;
	struct timer_list timer;
	struct irq_work irq_work;
	struct work_struct work;
};

static DEFINE_SPINLOCK(scullv_kunit_lock);

static struct scullv_kunit_probe *scullv_kunit_probe(struct kunit *test)
{
	struct scullv_kunit_probe *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	p->store = scullv_kunit_store(test, 0, 3);
	p->gfp = GFP_KERNEL;
	init_completion(&p->done);
	return p;
}

/* Allocate quantum 1 three ways with @p->gfp, keeping the answers only. */
static void scullv_kunit_probe_run(struct scullv_kunit_probe *p)
{
	struct scullv_pos where = { .set = 0, .slot = 1, .offset = 0 };
	u8 byte = 0x5a;
	struct kvec kv = { .iov_base = &byte, .iov_len = 1 };
	struct iov_iter iter;
	loff_t pos = PAGE_SIZE;

	p->may = scullv_may_vmalloc(p->gfp);
	p->quantum = scullv_store_populate(p->store, &where, p->gfp);
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, 1);
	p->written = scullv_store_write(p->store, &pos, &iter, p->gfp);
}

/* The probe was refused all the way, and then works in the test thread. */
static void scullv_kunit_expect_refused(struct kunit *test, struct scullv_kunit_probe *p)
{
	KUNIT_EXPECT_TRUE_MSG(test, p->context_ok, "the probe missed its context");
	KUNIT_EXPECT_FALSE(test, p->may);
	KUNIT_EXPECT_PTR_EQ(test, p->quantum, ERR_PTR(-EWOULDBLOCK));
	KUNIT_EXPECT_EQ(test, p->written, (ssize_t)-EWOULDBLOCK);
	KUNIT_EXPECT_TRUE(test, xa_empty(&p->store->qsets));
	KUNIT_EXPECT_EQ(test, p->store->size, 0);

	scullv_kunit_probe_run(p);
	KUNIT_EXPECT_TRUE(test, p->may);
	KUNIT_EXPECT_FALSE(test, IS_ERR_OR_NULL(p->quantum));
	KUNIT_EXPECT_EQ(test, p->written, 1);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(p->store), 1);
	KUNIT_EXPECT_PTR_EQ(test, scullv_kunit_slot(p->store, 0, 1), p->quantum);
}

/* Masks that may not sleep are refused before anything is allocated. */
static void atomic_test_nonblocking_masks(struct kunit *test)
{
	static const gfp_t masks[] = { GFP_ATOMIC, GFP_NOWAIT, GFP_KERNEL & ~__GFP_DIRECT_RECLAIM };
	struct scullv_store *store = scullv_kunit_store(test, 0, 3);
	struct scullv_store *holes = scullv_kunit_store(test, 0, 3);
	struct scullv_pos where = { .set = 2, .slot = 1, .offset = 0 };
	u8 *page = scullv_kunit_buf(test, PAGE_SIZE);
	u8 byte = 1;
	unsigned int i;

	KUNIT_EXPECT_TRUE(test, scullv_may_vmalloc(GFP_KERNEL));
	KUNIT_EXPECT_TRUE(test, scullv_may_vmalloc(GFP_KERNEL_ACCOUNT));
	KUNIT_EXPECT_TRUE(test, scullv_may_vmalloc(GFP_NOFS));
	KUNIT_EXPECT_TRUE(test, scullv_may_vmalloc(GFP_NOIO));

	/* Data at page 2; pages 0 and 1 are a hole that a fault would fill. */
	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, holes, 2 * PAGE_SIZE, 1, 18),
			1);
	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		KUNIT_EXPECT_FALSE_MSG(test, scullv_may_vmalloc(masks[i]), "mask %pGg",
				       &masks[i]);
		KUNIT_EXPECT_PTR_EQ(test, scullv_store_populate(store, &where, masks[i]),
				    ERR_PTR(-EWOULDBLOCK));
		KUNIT_EXPECT_EQ(test, scullv_kunit_swrite(store, 5 * PAGE_SIZE, &byte, 1,
							  masks[i]), -EWOULDBLOCK);
		/* A write that covers a whole quantum takes another path. */
		KUNIT_EXPECT_EQ(test, scullv_kunit_swrite(store, 4 * PAGE_SIZE, page,
							  PAGE_SIZE, masks[i]), -EWOULDBLOCK);
		KUNIT_EXPECT_PTR_EQ(test, scullv_store_page(holes, 0, masks[i]),
				    ERR_PTR(-EWOULDBLOCK));
	}
	KUNIT_EXPECT_TRUE(test, xa_empty(&store->qsets));
	KUNIT_EXPECT_EQ(test, store->size, 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(holes), 1);
	KUNIT_EXPECT_NULL(test, scullv_kunit_slot(holes, 0, 0));
}

/* Interrupts disabled: refused, with or without CONFIG_PREEMPT_COUNT. */
static void atomic_test_irqs_disabled(struct kunit *test)
{
	struct scullv_kunit_probe *p = scullv_kunit_probe(test);
	unsigned long flags;

	local_irq_save(flags);
	p->context_ok = irqs_disabled();
	scullv_kunit_probe_run(p);
	local_irq_restore(flags);
	scullv_kunit_expect_refused(test, p);
}

/* A held spinlock; preempt_count() sees it only with PREEMPT_COUNT. */
static void atomic_test_spinlock_held(struct kunit *test)
{
	struct scullv_kunit_probe *p = scullv_kunit_probe(test);

	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT))
		kunit_skip(test, "without CONFIG_PREEMPT_COUNT a spinlock does not show");
	spin_lock(&scullv_kunit_lock);
	p->context_ok = !preemptible();
	scullv_kunit_probe_run(p);
	spin_unlock(&scullv_kunit_lock);
	scullv_kunit_expect_refused(test, p);
}

/* preempt_disable(); preempt_count() sees it only with PREEMPT_COUNT. */
static void atomic_test_preempt_disabled(struct kunit *test)
{
	struct scullv_kunit_probe *p = scullv_kunit_probe(test);

	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT))
		kunit_skip(test, "without CONFIG_PREEMPT_COUNT preempt_disable() does not show");
	preempt_disable();
	p->context_ok = preempt_count() != 0;
	scullv_kunit_probe_run(p);
	preempt_enable();
	scullv_kunit_expect_refused(test, p);
}

/* local_bh_disable(), as under spin_lock_bh(): a task, softirqs held off. */
static void atomic_test_bh_disabled(struct kunit *test)
{
	struct scullv_kunit_probe *bh = scullv_kunit_probe(test);

	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT))
		kunit_skip(test, "without CONFIG_PREEMPT_COUNT local_bh_disable() does not show");
	local_bh_disable();
	bh->context_ok = in_task() && softirq_count();
	scullv_kunit_probe_run(bh);
	local_bh_enable();
	scullv_kunit_expect_refused(test, bh);
}

static void scullv_kunit_timer_fn(struct timer_list *timer)
{
	struct scullv_kunit_probe *p = from_timer(p, timer, timer);

	p->context_ok = in_serving_softirq();
	scullv_kunit_probe_run(p);
	complete(&p->done);
}

/* A timer callback: softirq context. */
static void atomic_test_timer_softirq(struct kunit *test)
{
	struct scullv_kunit_probe *p = scullv_kunit_probe(test);
	unsigned long left;

	timer_setup(&p->timer, scullv_kunit_timer_fn, 0);
	mod_timer(&p->timer, jiffies + 1);
	left = wait_for_completion_timeout(&p->done, 10 * HZ);
	timer_delete_sync(&p->timer);
	KUNIT_ASSERT_NE_MSG(test, left, 0, "the timer did not run");
	scullv_kunit_expect_refused(test, p);
}

static void scullv_kunit_irq_work_fn(struct irq_work *work)
{
	struct scullv_kunit_probe *p = container_of(work, struct scullv_kunit_probe,
						    irq_work);

	p->context_ok = in_hardirq();
	scullv_kunit_probe_run(p);
	complete(&p->done);
}

/* An irq_work: hard interrupt context. */
static void atomic_test_irq_work_hardirq(struct kunit *test)
{
	struct scullv_kunit_probe *p = scullv_kunit_probe(test);
	unsigned long left;

	init_irq_work(&p->irq_work, scullv_kunit_irq_work_fn);
	KUNIT_ASSERT_TRUE(test, irq_work_queue(&p->irq_work));
	left = wait_for_completion_timeout(&p->done, 10 * HZ);
	irq_work_sync(&p->irq_work);
	KUNIT_ASSERT_NE_MSG(test, left, 0, "the irq_work did not run");
	scullv_kunit_expect_refused(test, p);
}

static void scullv_kunit_work_fn(struct work_struct *work)
{
	struct scullv_kunit_probe *p = container_of(work, struct scullv_kunit_probe, work);

	p->context_ok = in_task() && !irqs_disabled();
	scullv_kunit_probe_run(p);
	complete(&p->done);
}

/* A workqueue: process context, where the same calls allocate. */
static void atomic_test_process_context(struct kunit *test)
{
	struct scullv_kunit_probe *p = scullv_kunit_probe(test);

	INIT_WORK(&p->work, scullv_kunit_work_fn);
	schedule_work(&p->work);
	flush_work(&p->work);
	KUNIT_ASSERT_TRUE(test, completion_done(&p->done));
	KUNIT_EXPECT_TRUE(test, p->context_ok);
	KUNIT_EXPECT_TRUE(test, p->may);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(p->quantum));
	KUNIT_EXPECT_TRUE(test, scullv_kunit_backed(p->quantum, PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, p->written, 1);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(p->store), 1);
	KUNIT_EXPECT_PTR_EQ(test, scullv_kunit_slot(p->store, 0, 1), p->quantum);
	KUNIT_EXPECT_EQ(test, p->store->size, PAGE_SIZE + 1);
}

static struct kunit_case scullv_atomic_cases[] = {
	KUNIT_CASE(atomic_test_nonblocking_masks),
	KUNIT_CASE(atomic_test_irqs_disabled),
	KUNIT_CASE(atomic_test_spinlock_held),
	KUNIT_CASE(atomic_test_preempt_disabled),
	KUNIT_CASE(atomic_test_bh_disabled),
	KUNIT_CASE(atomic_test_timer_softirq),
	KUNIT_CASE(atomic_test_irq_work_hardirq),
	KUNIT_CASE(atomic_test_process_context),
	{}
};

static struct kunit_suite scullv_atomic_suite = {
	.name = "scullv_atomic",
	.test_cases = scullv_atomic_cases,
};

kunit_test_suite(scullv_atomic_suite);
