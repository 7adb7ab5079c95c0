// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the scullv quantum store: the life of the vmalloc quanta
 * (allocation of what a write touches, zeroing, reuse, trim, geometry
 * changes, allocation failures).
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wordpart.h>
#include <uapi/misc/scullv.h>

#include "scullv_kunit.h"

/* ---- scullv_store: the life of the vmalloc quanta --------------------- */

/* A write allocates the quanta it touches, and no other. */
static void store_test_write_allocates_touched_quanta(struct kunit *test)
{
	struct scullv_store *store = scullv_kunit_store(test, 0, 3);
	loff_t pos = 4 * PAGE_SIZE + 100;	/* set 1, slot 1 */

	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, pos, 5, 1), 5);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 1);
	KUNIT_EXPECT_NOT_NULL(test, scullv_kunit_slot(store, 1, 1));
	KUNIT_EXPECT_NULL(test, xa_load(&store->qsets, 0));
	KUNIT_EXPECT_EQ(test, store->size, pos + 5);

	/* Ten bytes across the end of quantum 0: quanta 0 and 1 of set 0. */
	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, PAGE_SIZE - 3,
							  10, 1), 10);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 3);
	KUNIT_EXPECT_NOT_NULL(test, scullv_kunit_slot(store, 0, 0));
	KUNIT_EXPECT_NOT_NULL(test, scullv_kunit_slot(store, 0, 1));
	KUNIT_EXPECT_NULL(test, scullv_kunit_slot(store, 0, 2));
	KUNIT_EXPECT_NULL(test, scullv_kunit_slot(store, 1, 0));
	KUNIT_EXPECT_NULL(test, scullv_kunit_slot(store, 1, 2));
	/* Writing below the end leaves the size alone. */
	KUNIT_EXPECT_EQ(test, store->size, pos + 5);
	scullv_kunit_expect_pattern(test, store, PAGE_SIZE - 3, 10, 1);
	scullv_kunit_expect_pattern(test, store, pos, 5, 1);
}

/* A new quantum that a write fills in part is zeroed around the data. */
static void store_test_fresh_quanta_are_zeroed(struct kunit *test)
{
	struct scullv_store *store = scullv_kunit_store(test, 0, 3);
	u8 *quantum;

	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, 50, 100, 2), 100);
	quantum = scullv_kunit_slot(store, 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, quantum);
	KUNIT_EXPECT_NULL(test, memchr_inv(quantum, 0, 50));
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(quantum + 50, 50, 100, 2), -1L);
	KUNIT_EXPECT_NULL(test, memchr_inv(quantum + 150, 0, PAGE_SIZE - 150));
}

/* Holes read as zeros, and reading them allocates nothing. */
static void store_test_holes_read_as_zeros(struct kunit *test)
{
	struct scullv_store *store = scullv_kunit_store(test, 0, 3);
	loff_t pos = 0;
	u8 *buf;

	/* Slot 1 stays a hole between the data of slots 0 and 2. */
	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, 50, 100, 2), 100);
	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, 2 * PAGE_SIZE + 10,
							  4, 2), 4);
	KUNIT_ASSERT_EQ(test, store->size, 2 * PAGE_SIZE + 14);
	buf = scullv_kunit_buf(test, store->size);
	memset(buf, 0xff, store->size);
	KUNIT_ASSERT_EQ(test, scullv_kunit_sread(store, &pos, buf, store->size),
			(ssize_t)store->size);
	KUNIT_EXPECT_EQ(test, pos, store->size);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, 50));
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(buf + 50, 50, 100, 2), -1L);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + 150, 0, 2 * PAGE_SIZE + 10 - 150));
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(buf + 2 * PAGE_SIZE + 10,
						    2 * PAGE_SIZE + 10, 4, 2), -1L);
	/* Reading the hole allocated nothing. */
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 2);
	KUNIT_EXPECT_NULL(test, scullv_kunit_slot(store, 0, 1));
}

/* Quanta come from vmalloc, every page of each is backed, none shared. */
static void store_test_quanta_are_vmalloc(struct kunit *test)
{
	const unsigned int order = 2, pages = 1 << order, nq = 3;
	struct scullv_store *store = scullv_kunit_store(test, order, 2);
	size_t qsize = scullv_quantum_size(order);
	struct page *seen[3 << 2];
	unsigned int k, i, j;

	for (k = 0; k < nq; k++)
		KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store,
								  k * qsize + k * PAGE_SIZE + 1,
								  1, 3), 1);
	KUNIT_ASSERT_EQ(test, scullv_kunit_nquanta(store), nq);
	for (k = 0; k < nq; k++) {
		u8 *quantum = scullv_kunit_quantum(store, k);

		KUNIT_ASSERT_NOT_NULL(test, quantum);
		KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(quantum));
		KUNIT_EXPECT_TRUE(test, scullv_kunit_backed(quantum, qsize));
		KUNIT_EXPECT_EQ(test, quantum[k * PAGE_SIZE + 1],
				scullv_kunit_byte(k * qsize + k * PAGE_SIZE + 1, 3));
		for (i = 0; i < pages; i++)
			seen[k * pages + i] = vmalloc_to_page(quantum + i * PAGE_SIZE);
	}
	for (i = 0; i < nq * pages; i++)
		for (j = i + 1; j < nq * pages; j++)
			KUNIT_EXPECT_PTR_NE(test, seen[i], seen[j]);
}

/* Rewriting reuses the quanta in place. */
static void store_test_rewrite_reuses_quanta(struct kunit *test)
{
	struct scullv_store *store = scullv_kunit_store(test, 0, 2);
	size_t len = 5 * PAGE_SIZE + 17;	/* six quanta in three sets */
	void *before[6];
	unsigned int k;

	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, 0, len, 4),
			(ssize_t)len);
	KUNIT_ASSERT_EQ(test, scullv_kunit_nquanta(store), 6);
	for (k = 0; k < 6; k++)
		before[k] = scullv_kunit_quantum(store, k);

	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, 0, len, 5),
			(ssize_t)len);
	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, PAGE_SIZE + 5,
							  2 * PAGE_SIZE, 6),
			(ssize_t)(2 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 6);
	for (k = 0; k < 6; k++)
		KUNIT_EXPECT_PTR_EQ(test, scullv_kunit_quantum(store, k), before[k]);
	KUNIT_EXPECT_EQ(test, store->size, (loff_t)len);
	scullv_kunit_expect_pattern(test, store, 0, PAGE_SIZE + 5, 5);
	scullv_kunit_expect_pattern(test, store, PAGE_SIZE + 5, 2 * PAGE_SIZE, 6);
	scullv_kunit_expect_pattern(test, store, 3 * PAGE_SIZE + 5, len - 3 * PAGE_SIZE - 5, 5);
}

/* Reads and writes of any length cross quantum and set boundaries. */
static void store_test_rw_across_boundaries(struct kunit *test)
{
	static const loff_t edges[] = { 0, PAGE_SIZE - 1, PAGE_SIZE, 2 * PAGE_SIZE - 1,
					2 * PAGE_SIZE, 4 * PAGE_SIZE - 1, 4 * PAGE_SIZE,
					7 * PAGE_SIZE + 98 };
	struct scullv_store *store = scullv_kunit_store(test, 0, 2);
	size_t len = 7 * PAGE_SIZE + 99, done, chunk;
	loff_t pos;
	unsigned int i;
	u8 *buf, byte;

	/* Written in odd pieces, read back in other odd pieces. */
	for (done = 0; done < len; done += chunk) {
		chunk = min_t(size_t, 777, len - done);
		KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, done, chunk, 7),
				(ssize_t)chunk);
	}
	KUNIT_EXPECT_EQ(test, store->size, (loff_t)len);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 8);
	KUNIT_EXPECT_NULL(test, xa_load(&store->qsets, 4));

	buf = scullv_kunit_buf(test, len);
	for (pos = 0; pos < len; ) {
		loff_t start = pos;

		chunk = min_t(size_t, 1000, len - pos);
		KUNIT_ASSERT_EQ(test, scullv_kunit_sread(store, &pos, buf + start, 1000),
				(ssize_t)chunk);
		KUNIT_ASSERT_EQ(test, pos, start + (loff_t)chunk);
	}
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(buf, 0, len, 7), -1L);

	for (i = 0; i < ARRAY_SIZE(edges); i++) {
		pos = edges[i];
		KUNIT_EXPECT_EQ(test, scullv_kunit_sread(store, &pos, &byte, 1), 1);
		KUNIT_EXPECT_EQ_MSG(test, byte, scullv_kunit_byte(edges[i], 7),
				    "byte %lld", edges[i]);
	}

	/* The end: short, then nothing. */
	pos = len - 10;
	KUNIT_EXPECT_EQ(test, scullv_kunit_sread(store, &pos, buf, 100), 10);
	KUNIT_EXPECT_EQ(test, pos, (loff_t)len);
	KUNIT_EXPECT_EQ(test, scullv_kunit_sread(store, &pos, buf, 100), 0);
	pos = len + PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, scullv_kunit_sread(store, &pos, buf, 100), 0);
	KUNIT_EXPECT_EQ(test, pos, (loff_t)(len + PAGE_SIZE));
	pos = 5;
	KUNIT_EXPECT_EQ(test, scullv_kunit_sread(store, &pos, buf, 0), 0);
	KUNIT_EXPECT_EQ(test, pos, 5);
}

/* Trimming frees every quantum and empties the device. */
static void store_test_trim_frees_everything(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	struct scullv_store *old;
	void *quanta[5];
	loff_t pos = 0;
	unsigned int k;
	u8 byte;

	scullv_kunit_fwrite_pattern(test, file, 0, 4 * PAGE_SIZE + 1, 8);
	old = dev->store;
	KUNIT_ASSERT_EQ(test, scullv_kunit_nquanta(old), 5);
	for (k = 0; k < 5; k++)
		quanta[k] = scullv_kunit_quantum(old, k);

	KUNIT_ASSERT_EQ(test, scullv_kunit_trim(dev), 0);
	KUNIT_EXPECT_PTR_NE(test, dev->store, old);
	KUNIT_EXPECT_EQ(test, dev->store->size, 0);
	KUNIT_EXPECT_TRUE(test, xa_empty(&dev->store->qsets));
	KUNIT_EXPECT_EQ(test, dev->store->order, 0);
	KUNIT_EXPECT_EQ(test, dev->store->qset, 3);
	/* vfree() unmaps at once; the addresses go back to vmalloc lazily. */
	for (k = 0; k < 5; k++)
		KUNIT_EXPECT_NULL_MSG(test, vmalloc_to_page(quanta[k]),
				      "quantum %u still mapped after the trim", k);
	KUNIT_EXPECT_EQ(test, kernel_read(file, &byte, 1, &pos), 0);
}

/* A new geometry waits for the next trim. */
static void store_test_geometry_applies_at_trim(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	u8 *quantum;

	KUNIT_ASSERT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTORDER, 2), 0);
	KUNIT_ASSERT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTQSET, 5), 0);
	KUNIT_EXPECT_EQ(test, dev->order, 2);
	KUNIT_EXPECT_EQ(test, dev->qset, 5);
	KUNIT_EXPECT_EQ(test, dev->store->order, 0);
	KUNIT_EXPECT_EQ(test, dev->store->qset, 3);

	/* Still one-page quanta, three to a set: offset 3 pages is set 1. */
	scullv_kunit_fwrite_pattern(test, file, 3 * PAGE_SIZE, 1, 9);
	KUNIT_EXPECT_NOT_NULL(test, scullv_kunit_slot(dev->store, 1, 0));
	KUNIT_EXPECT_NULL(test, xa_load(&dev->store->qsets, 0));

	KUNIT_ASSERT_EQ(test, scullv_kunit_trim(dev), 0);
	KUNIT_EXPECT_EQ(test, dev->store->order, 2);
	KUNIT_EXPECT_EQ(test, dev->store->qset, 5);

	/* Now four-page quanta: offset 3 pages is in quantum 0. */
	scullv_kunit_fwrite_pattern(test, file, 3 * PAGE_SIZE, 1, 9);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 1);
	quantum = scullv_kunit_slot(dev->store, 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, quantum);
	KUNIT_EXPECT_TRUE(test, scullv_kunit_backed(quantum, 4 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, quantum[3 * PAGE_SIZE], scullv_kunit_byte(3 * PAGE_SIZE, 9));

	/* A trim with nothing pending keeps the geometry. */
	KUNIT_ASSERT_EQ(test, scullv_kunit_trim(dev), 0);
	KUNIT_EXPECT_EQ(test, dev->store->order, 2);
	KUNIT_EXPECT_EQ(test, dev->store->qset, 5);
}

struct scullv_kunit_fail_case {
	const char *desc;
	unsigned int fail_at;
};

static const struct scullv_kunit_fail_case scullv_kunit_fail_cases[] = {
	{ "first new quantum fails", 1 },
	{ "second new quantum fails", 2 },
	{ "third new quantum fails", 3 },
	{ "no failure", 0 },
};

KUNIT_ARRAY_PARAM_DESC(scullv_kunit_fail, scullv_kunit_fail_cases, desc);

/*
 * A write over quanta 1 (stored before) to 4 (new) meets a vmalloc
 * failure: it stops short at the quantum that could not be allocated,
 * keeps what was stored before and holds no quantum it did not fill.
 */
static void store_test_vmalloc_failure(struct kunit *test)
{
	const struct scullv_kunit_fail_case *param = test->param_value;
	struct scullv_store *store = scullv_kunit_store(test, 0, 2);
	struct scullv_kunit_vfail *vfail;
	size_t want;
	ssize_t ret;

	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, 0, PAGE_SIZE + 10,
							  1), PAGE_SIZE + 10);
	vfail = scullv_kunit_fail_vmalloc(test, param->fail_at);

	ret = scullv_kunit_swrite_pattern(test, store, PAGE_SIZE, 4 * PAGE_SIZE, 2);
	want = param->fail_at ? param->fail_at * PAGE_SIZE : 4 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, ret, (ssize_t)want);
	KUNIT_EXPECT_EQ(test, vfail->calls, param->fail_at ?: 3);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 1 + want / PAGE_SIZE);
	if (param->fail_at)
		KUNIT_EXPECT_NULL(test, scullv_kunit_quantum(store, 1 + param->fail_at));
	KUNIT_EXPECT_EQ(test, store->size, (loff_t)(PAGE_SIZE + want));
	scullv_kunit_expect_pattern(test, store, 0, PAGE_SIZE, 1);
	scullv_kunit_expect_pattern(test, store, PAGE_SIZE, want, 2);
}

/* A failure before the first byte is -ENOMEM, and changes nothing. */
static void store_test_vmalloc_failure_first_byte(struct kunit *test)
{
	struct scullv_store *store = scullv_kunit_store(test, 0, 2);
	struct scullv_kunit_vfail *vfail;

	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, 0, 10, 1), 10);
	vfail = scullv_kunit_fail_vmalloc(test, 1);

	KUNIT_EXPECT_EQ(test, scullv_kunit_swrite_pattern(test, store, 3 * PAGE_SIZE,
							  100, 2), -ENOMEM);
	KUNIT_EXPECT_EQ(test, vfail->calls, 1);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 1);
	KUNIT_EXPECT_EQ_MSG(test, store->size, 10, "a failed write moved the end");
	scullv_kunit_expect_pattern(test, store, 0, 10, 1);

	/* The failure was not sticky. */
	KUNIT_EXPECT_EQ(test, scullv_kunit_swrite_pattern(test, store, 3 * PAGE_SIZE,
							  100, 2), 100);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 2);
	KUNIT_EXPECT_EQ(test, store->size, 3 * PAGE_SIZE + 100);
}

/*
 * A quantum that one write covers whole is allocated without zeroing (the
 * copy overwrites it); one that a write covers only in part is zeroed, so
 * what the write leaves out reads as zeros, not as stale memory.
 */
static void store_test_covered_quanta_skip_zeroing(struct kunit *test)
{
	struct scullv_store *store = scullv_kunit_store(test, 0, 2);
	struct scullv_kunit_vfail *vfail = scullv_kunit_fail_vmalloc(test, 0);
	const size_t half = PAGE_SIZE / 2;
	u8 *first, *last;

	/* Quanta 0 and 3 in part, 1 and 2 (the whole of set 1's slot 0) whole. */
	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, half, 3 * PAGE_SIZE,
							  6), (ssize_t)(3 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, vfail->calls, 4);
	KUNIT_EXPECT_EQ_MSG(test, vfail->zeroed, 2, "only partly written quanta are zeroed");
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 4);
	scullv_kunit_expect_pattern(test, store, half, 3 * PAGE_SIZE, 6);

	first = scullv_kunit_quantum(store, 0);
	last = scullv_kunit_quantum(store, 3);
	KUNIT_ASSERT_NOT_NULL(test, first);
	KUNIT_ASSERT_NOT_NULL(test, last);
	KUNIT_EXPECT_NULL_MSG(test, memchr_inv(first, 0, half), "stale bytes before the data");
	KUNIT_EXPECT_NULL_MSG(test, memchr_inv(last + half, 0, half), "stale bytes after the data");

	/* A rewrite of a whole quantum allocates nothing. */
	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, PAGE_SIZE, PAGE_SIZE, 7),
			(ssize_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, vfail->calls, 4);
	scullv_kunit_expect_pattern(test, store, PAGE_SIZE, PAGE_SIZE, 7);
}

/*
 * A fault publishes the quantum while a writer allocates its own for the
 * same hole: the writer loses the cmpxchg(), frees its copy and uses the
 * winner's quantum.
 */
static void store_test_quantum_race_loser(struct kunit *test)
{
	struct scullv_store *store = scullv_kunit_store(test, 0, 3);
	struct scullv_pos where = { .set = 1, .slot = 2, .offset = 0 };
	struct scullv_kunit_race *race = scullv_kunit_stage_race(test, store, 1, 2, false);
	void *quantum;

	quantum = scullv_store_populate(store, &where, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, race->winner);
	KUNIT_ASSERT_NOT_NULL(test, race->loser);
	KUNIT_EXPECT_PTR_EQ(test, quantum, race->winner);
	KUNIT_EXPECT_PTR_EQ(test, scullv_kunit_slot(store, 1, 2), race->winner);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 1);
}

/*
 * A write that covers a whole hole loses the race for it to a fault: its
 * bytes go into the winner's quantum, the one readers see.
 */
static void store_test_fill_race_loser(struct kunit *test)
{
	struct scullv_store *store = scullv_kunit_store(test, 0, 3);
	struct scullv_kunit_race *race = scullv_kunit_stage_race(test, store, 0, 1, false);

	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, PAGE_SIZE, PAGE_SIZE,
							  30), (ssize_t)PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, race->winner);
	KUNIT_EXPECT_PTR_EQ(test, scullv_kunit_slot(store, 0, 1), race->winner);
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(race->winner, PAGE_SIZE, PAGE_SIZE, 30), -1L);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 1);
	scullv_kunit_expect_pattern(test, store, PAGE_SIZE, PAGE_SIZE, 30);
}

/*
 * Another caller publishes the slot array of a new quantum set first: the
 * loser frees its array and puts its quantum in the winner's.
 */
static void store_test_set_race_loser(struct kunit *test)
{
	struct scullv_store *store = scullv_kunit_store(test, 0, 3);
	struct scullv_kunit_race *race = scullv_kunit_stage_race(test, store, 2, 0, true);

	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, 7 * PAGE_SIZE + 9, 5, 31),
			5);
	KUNIT_ASSERT_NOT_NULL(test, race->winner);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&store->qsets, 2), race->winner);
	KUNIT_EXPECT_NOT_NULL(test, ((void **)race->winner)[1]);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 1);
	scullv_kunit_expect_pattern(test, store, 7 * PAGE_SIZE + 9, 5, 31);
}

/* The new store of a trim is charged to the memory cgroup of who trims. */
static void store_test_trim_store_gfp(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct scullv_kunit_zlog *zlog = scullv_kunit_log_zalloc(test);
	gfp_t gfp;

	KUNIT_ASSERT_EQ(test, scullv_kunit_trim(dev), 0);
	KUNIT_ASSERT_EQ(test, zlog->calls, 1);
	KUNIT_EXPECT_EQ(test, zlog->size[0], sizeof(struct scullv_store));
	gfp = zlog->gfp[0];
	KUNIT_EXPECT_TRUE_MSG(test, gfp & __GFP_ACCOUNT, "gfp %pGg", &gfp);
	KUNIT_EXPECT_TRUE_MSG(test, gfpflags_allow_blocking(gfp), "gfp %pGg", &gfp);
}

static struct kunit_case scullv_store_cases[] = {
	KUNIT_CASE(store_test_write_allocates_touched_quanta),
	KUNIT_CASE(store_test_fresh_quanta_are_zeroed),
	KUNIT_CASE(store_test_holes_read_as_zeros),
	KUNIT_CASE(store_test_quanta_are_vmalloc),
	KUNIT_CASE(store_test_rewrite_reuses_quanta),
	KUNIT_CASE(store_test_rw_across_boundaries),
	KUNIT_CASE(store_test_trim_frees_everything),
	KUNIT_CASE(store_test_geometry_applies_at_trim),
	KUNIT_CASE_PARAM(store_test_vmalloc_failure, scullv_kunit_fail_gen_params),
	KUNIT_CASE(store_test_vmalloc_failure_first_byte),
	KUNIT_CASE(store_test_covered_quanta_skip_zeroing),
	KUNIT_CASE(store_test_quantum_race_loser),
	KUNIT_CASE(store_test_fill_race_loser),
	KUNIT_CASE(store_test_set_race_loser),
	KUNIT_CASE(store_test_trim_store_gfp),
	{}
};

static struct kunit_suite scullv_store_suite = {
	.name = "scullv_store",
	.test_cases = scullv_store_cases,
};

kunit_test_suite(scullv_store_suite);
