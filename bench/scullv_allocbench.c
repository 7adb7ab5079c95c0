// SPDX-License-Identifier: GPL-2.0
/*
 * scullv_allocbench: what an allocation costs, for the scullv benchmark.
 *
 * LDD3 (chapter 8) says that kmalloc is faster than vmalloc, that vmalloc
 * beats __get_free_pages for several pages but not for one, because it
 * builds page tables, and that vmalloc is for large buffers.  On load this
 * module measures, for kmalloc, __get_free_pages, vmalloc, vzalloc and
 * kvmalloc at orders 0 to 4, 6 and 8, the time of one allocate+free pair
 * and of one allocate+memset+free triple, and prints a table:
 *
 *   scullv_allocbench: ALLOC MODE ORDER BYTES N MEDIAN_NS MIN_NS MAX_NS
 *
 * where each of @reps batches of N operations is timed with
 * ktime_get_ns() (the TSC clocksource in the benchmark kernel) after one
 * unmeasured warm-up batch, and the per-operation figures are the median,
 * minimum and maximum over the batches.  The repetitions are the outer
 * loop: each one times one batch of every allocator, operation and size in
 * turn, so that a slow stretch of the host (under qemu TCG the guest is a
 * host thread among others) falls on one batch of each figure rather than
 * on all the batches of a few.  The pairs are back to back, as a
 * driver that allocates and frees a buffer per request does them; the
 * page allocator serves them from its per-CPU lists and vmalloc from its
 * lazily purged free areas, whose purges land inside some batches.
 *
 * kmalloc above KMALLOC_MAX_CACHE_SIZE (two pages with SLUB) is not served
 * by a slab cache but by the page allocator (kmalloc_large()), and kvmalloc
 * tries kmalloc first (without retrying) and falls back to vmalloc only
 * when that fails; the module prints both facts with the table.
 *
 * The module stays loaded and does nothing more; rmmod it.  It is a
 * benchmark, not a test: it asserts nothing about the figures.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define ALLOCBENCH_MAX_REPS	51

static unsigned int reps = 11;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "Timed batches per figure, 3-51 (default 11)");

static unsigned int batch_kib = 4096;
module_param(batch_kib, uint, 0444);
MODULE_PARM_DESC(batch_kib, "Bytes allocated per batch, in KiB (default 4096); a batch has 16 to 256 operations");

static const unsigned int allocbench_orders[] = { 0, 1, 2, 3, 4, 6, 8 };

enum allocbench_kind {
	AB_KMALLOC,
	AB_GFP,
	AB_VMALLOC,
	AB_VZALLOC,
	AB_KVMALLOC,
};

static const char *const allocbench_names[] = {
	[AB_KMALLOC]	= "kmalloc",
	[AB_GFP]	= "__get_free_pages",
	[AB_VMALLOC]	= "vmalloc",
	[AB_VZALLOC]	= "vzalloc",
	[AB_KVMALLOC]	= "kvmalloc",
};

static void *allocbench_alloc(enum allocbench_kind kind, unsigned int order)
{
	size_t size = PAGE_SIZE << order;

	switch (kind) {
	case AB_KMALLOC:
		return kmalloc(size, GFP_KERNEL);
	case AB_GFP:
		return (void *)__get_free_pages(GFP_KERNEL, order);
	case AB_VMALLOC:
		return vmalloc(size);
	case AB_VZALLOC:
		return vzalloc(size);
	case AB_KVMALLOC:
		return kvmalloc(size, GFP_KERNEL);
	}
	return NULL;
}

static void allocbench_free(enum allocbench_kind kind, unsigned int order,
			    void *p)
{
	switch (kind) {
	case AB_KMALLOC:
		kfree(p);
		break;
	case AB_GFP:
		free_pages((unsigned long)p, order);
		break;
	case AB_VMALLOC:
	case AB_VZALLOC:
		vfree(p);
		break;
	case AB_KVMALLOC:
		kvfree(p);
		break;
	}
}

/*
 * One batch of @n allocate(+memset)+free operations; returns its duration
 * in ns, or 0 if an allocation failed.
 */
static u64 allocbench_batch(enum allocbench_kind kind, unsigned int order,
			    bool zero, unsigned int n)
{
	size_t size = PAGE_SIZE << order;
	unsigned int i;
	u64 t0, t1;
	void *p;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		p = allocbench_alloc(kind, order);
		if (!p)
			return 0;
		if (zero) {
			memset(p, 0, size);
			/* Keep the stores: nothing reads them before the free. */
			barrier_data(p);
		}
		allocbench_free(kind, order, p);
	}
	t1 = ktime_get_ns();
	return t1 - t0 ? t1 - t0 : 1;
}

static int allocbench_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

#define AB_NORDERS ARRAY_SIZE(allocbench_orders)
#define AB_NKINDS (AB_KVMALLOC + 1)

/* One figure: an allocator, with or without memset, at one order. */
struct allocbench_fig {
	enum allocbench_kind kind;
	bool zero;
	unsigned int order;
	unsigned int n;			/* operations per batch */
	u64 t[ALLOCBENCH_MAX_REPS];	/* ns per batch */
};

/* vzalloc zeroes by itself: a memset would zero twice, so it has none. */
#define AB_NFIGS ((AB_NKINDS * 2 - 1) * AB_NORDERS)

static int allocbench_run(struct allocbench_fig *figs)
{
	struct allocbench_fig *f;
	unsigned int i, r, nfigs = 0;
	enum allocbench_kind kind;
	int zero;

	for (kind = AB_KMALLOC; kind <= AB_KVMALLOC; kind++)
		for (zero = 0; zero <= 1; zero++) {
			if (kind == AB_VZALLOC && zero)
				continue;
			for (i = 0; i < AB_NORDERS; i++) {
				size_t size = PAGE_SIZE << allocbench_orders[i];

				f = &figs[nfigs++];
				f->kind = kind;
				f->zero = zero;
				f->order = allocbench_orders[i];
				f->n = clamp_t(size_t, ((size_t)batch_kib << 10) / size, 16, 256);
			}
		}

	/* r == 0 is the warm-up. */
	for (r = 0; r <= reps; r++) {
		for (i = 0; i < nfigs; i++) {
			f = &figs[i];
			f->t[r ? r - 1 : 0] = allocbench_batch(f->kind, f->order, f->zero, f->n);
			if (!f->t[r ? r - 1 : 0]) {
				pr_err("%s of order %u failed\n", allocbench_names[f->kind], f->order);
				return -ENOMEM;
			}
			cond_resched();
		}
	}

	for (i = 0; i < nfigs; i++) {
		f = &figs[i];
		sort(f->t, reps, sizeof(f->t[0]), allocbench_cmp, NULL);
		pr_info("%s %s %u %lu %u %llu %llu %llu\n", allocbench_names[f->kind],
			f->zero ? "alloc+zero+free" : "alloc+free", f->order,
			PAGE_SIZE << f->order, f->n, div_u64(f->t[reps / 2], f->n),
			div_u64(f->t[0], f->n), div_u64(f->t[reps - 1], f->n));
	}
	return 0;
}

static int __init allocbench_init(void)
{
	struct allocbench_fig *figs;
	u64 t0 = ktime_get_ns();
	int err;

	if (reps < 3 || reps > ALLOCBENCH_MAX_REPS || !batch_kib)
		return -EINVAL;
	figs = kcalloc(AB_NFIGS, sizeof(*figs), GFP_KERNEL);
	if (!figs)
		return -ENOMEM;

	pr_info("begin: reps %u, batch %u KiB, page size %lu\n", reps,
		batch_kib, PAGE_SIZE);
	pr_info("note: KMALLOC_MAX_CACHE_SIZE %lu: kmalloc above it is kmalloc_large(), the page allocator\n",
		KMALLOC_MAX_CACHE_SIZE);
	pr_info("note: kvmalloc tries kmalloc first and uses vmalloc only when that fails\n");
	pr_info("columns: ALLOC MODE ORDER BYTES N MEDIAN_NS MIN_NS MAX_NS\n");
	err = allocbench_run(figs);
	kfree(figs);
	if (!err)
		pr_info("end: %llu ms\n", div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC));
	return err;
}

static void __exit allocbench_exit(void)
{
}

module_init(allocbench_init);
module_exit(allocbench_exit);

MODULE_DESCRIPTION("scullv benchmark: cost of kmalloc, __get_free_pages, vmalloc, vzalloc and kvmalloc");
MODULE_LICENSE("GPL");
