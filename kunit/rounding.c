// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the scullv quantum arithmetic: at every quantum order, the
 * rounding of offsets and byte counts to pages, quanta and quantum sets, and
 * the checks of the order and qset values.
 */

#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/wordpart.h>
#include <uapi/misc/scullv.h>

#include "scullv_kunit.h"

/* ---- scullv_rounding: pages and quanta at every order ------------------ */

static const unsigned int scullv_kunit_orders[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

KUNIT_ARRAY_PARAM(scullv_kunit_order, scullv_kunit_orders, scullv_kunit_order_desc);

/* The valid quantum orders; every one has a test parameter. */
static void rounding_test_valid_orders(struct kunit *test)
{
	static const long long bad_orders[] = {
		-1, SCULLV_ORDER_MAX + 1, 63, 64, U32_MAX, 1LL << 32, (1LL << 32) + 4,
		LLONG_MAX, LLONG_MIN, -(1LL << 32),
	};
	unsigned int i;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(scullv_kunit_orders), SCULLV_ORDER_MAX + 1);
	for (i = 0; i < ARRAY_SIZE(scullv_kunit_orders); i++)
		KUNIT_EXPECT_TRUE(test, scullv_order_valid(scullv_kunit_orders[i]));
	for (i = 0; i < ARRAY_SIZE(bad_orders); i++)
		KUNIT_EXPECT_FALSE_MSG(test, scullv_order_valid(bad_orders[i]),
				       "order %lld", bad_orders[i]);
}

/* The valid quantum-set sizes. */
static void rounding_test_valid_qsets(struct kunit *test)
{
	static const long long bad_qsets[] = {
		0, -1, SCULLV_QSET_MAX + 1, U32_MAX, 1LL << 32, (1LL << 32) + 1,
		LLONG_MAX, LLONG_MIN, -(1LL << 32) + 1,
	};
	unsigned int i;

	KUNIT_EXPECT_TRUE(test, scullv_qset_valid(SCULLV_QSET_MIN));
	KUNIT_EXPECT_FALSE(test, scullv_qset_valid(SCULLV_QSET_MIN - 1));
	KUNIT_EXPECT_TRUE(test, scullv_qset_valid(2));
	KUNIT_EXPECT_TRUE(test, scullv_qset_valid(500));
	KUNIT_EXPECT_TRUE(test, scullv_qset_valid(SCULLV_QSET_MAX));
	for (i = 0; i < ARRAY_SIZE(bad_qsets); i++)
		KUNIT_EXPECT_FALSE_MSG(test, scullv_qset_valid(bad_qsets[i]),
				       "qset %lld", bad_qsets[i]);
}

/*
 * A write that starts and ends in the middle of pages inside quantum 1
 * allocates that whole quantum, every page backed, and nothing else: the
 * quanta on either side stay holes and the quantum ends where it should.
 */
static void rounding_test_mid_page_write(struct kunit *test)
{
	unsigned int order = *(const unsigned int *)test->param_value;
	struct scullv_store *store = scullv_kunit_store(test, order, 3);
	size_t qsize = scullv_quantum_size(order);
	size_t head = PAGE_SIZE / 3, tail = PAGE_SIZE / 2;
	size_t len = qsize - head - tail;
	u8 *quantum;

	KUNIT_ASSERT_EQ(test, qsize, (size_t)PAGE_SIZE << order);
	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, qsize + head, len,
							  15), (ssize_t)len);
	KUNIT_EXPECT_EQ(test, store->size, (loff_t)(2 * qsize - tail));
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 1);
	KUNIT_EXPECT_NULL(test, scullv_kunit_slot(store, 0, 0));
	KUNIT_EXPECT_NULL(test, scullv_kunit_slot(store, 0, 2));
	quantum = scullv_kunit_slot(store, 0, 1);
	KUNIT_ASSERT_NOT_NULL(test, quantum);
	KUNIT_EXPECT_TRUE(test, scullv_kunit_backed(quantum, qsize));
	/* The vmalloc guard page: the area is the quantum, not more. */
	KUNIT_EXPECT_NULL(test, vmalloc_to_page(quantum + qsize));
	KUNIT_EXPECT_NULL(test, memchr_inv(quantum, 0, head));
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(quantum + head, qsize + head, len, 15),
			-1L);
	KUNIT_EXPECT_NULL(test, memchr_inv(quantum + qsize - tail, 0, tail));
}

/* A write across a quantum boundary and one across a set boundary. */
static void rounding_test_crossing_writes(struct kunit *test)
{
	unsigned int order = *(const unsigned int *)test->param_value;
	struct scullv_store *store = scullv_kunit_store(test, order, 3);
	size_t qsize = scullv_quantum_size(order);
	u8 *q0, *q1, *q2, *q3;

	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, qsize - 1, 2, 16), 2);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 2);
	q0 = scullv_kunit_slot(store, 0, 0);
	q1 = scullv_kunit_slot(store, 0, 1);
	KUNIT_ASSERT_NOT_NULL(test, q0);
	KUNIT_ASSERT_NOT_NULL(test, q1);
	KUNIT_EXPECT_EQ(test, q0[qsize - 1], scullv_kunit_byte(qsize - 1, 16));
	KUNIT_EXPECT_EQ(test, q1[0], scullv_kunit_byte(qsize, 16));
	KUNIT_EXPECT_NULL(test, scullv_kunit_slot(store, 0, 2));

	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, 3 * qsize - 1, 2, 16),
			2);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 4);
	q2 = scullv_kunit_slot(store, 0, 2);
	q3 = scullv_kunit_slot(store, 1, 0);
	KUNIT_ASSERT_NOT_NULL(test, q2);
	KUNIT_ASSERT_NOT_NULL(test, q3);
	KUNIT_EXPECT_EQ(test, q2[qsize - 1], scullv_kunit_byte(3 * qsize - 1, 16));
	KUNIT_EXPECT_EQ(test, q3[0], scullv_kunit_byte(3 * qsize, 16));
	KUNIT_EXPECT_NULL(test, scullv_kunit_slot(store, 1, 1));
	KUNIT_EXPECT_EQ(test, store->size, (loff_t)(3 * qsize + 1));
}

static void scullv_kunit_expect_locate(struct kunit *test, struct scullv_store *store,
				       loff_t pos)
{
	size_t qsize = scullv_quantum_size(store->order);
	struct scullv_pos where;
	u64 idx = div64_u64(pos, qsize);
	u32 slot;
	u64 set = div_u64_rem(idx, store->qset, &slot);

	/*
	 * Where unsigned long has 32 bits, a set number beyond it (an offset
	 * near LLONG_MAX) is past MAX_LFS_FILESIZE: no file position, and no
	 * scullv_pos, reaches it.
	 */
	if (BITS_PER_LONG < 64 && upper_32_bits(set))
		return;
	scullv_store_locate(store, pos, &where);
	KUNIT_EXPECT_EQ_MSG(test, where.set, set, "set of %lld, qset %u", pos, store->qset);
	KUNIT_EXPECT_EQ_MSG(test, where.slot, slot, "slot of %lld, qset %u", pos, store->qset);
	KUNIT_EXPECT_EQ_MSG(test, where.offset, pos - idx * qsize, "offset of %lld", pos);
}

/* scullv_store_locate() at quantum and set boundaries and far away. */
static void rounding_test_locate(struct kunit *test)
{
	static const unsigned int qsets[] = { 1, 3, SCULLV_QSET_MAX };
	unsigned int order = *(const unsigned int *)test->param_value;
	loff_t q = scullv_quantum_size(order);
	struct scullv_pos where;
	unsigned int i, k;
	const loff_t pos[] = {
		0, 1, PAGE_SIZE - 1, PAGE_SIZE, q - 1, q, 2 * q - 1, 3 * q - 1, 3 * q,
		4 * q - 1, 3000 * q + 5, (loff_t)SZ_256M, MAX_LFS_FILESIZE - 1,
		MAX_LFS_FILESIZE, LLONG_MAX,
	};

	for (i = 0; i < ARRAY_SIZE(qsets); i++) {
		struct scullv_store *store = scullv_kunit_store(test, order, qsets[i]);

		for (k = 0; k < ARRAY_SIZE(pos); k++)
			scullv_kunit_expect_locate(test, store, pos[k]);
	}

	/* The same boundaries, spelt out for three quanta a set. */
	scullv_store_locate(scullv_kunit_store(test, order, 3), q - 1, &where);
	KUNIT_EXPECT_EQ(test, where.set, 0);
	KUNIT_EXPECT_EQ(test, where.slot, 0);
	KUNIT_EXPECT_EQ(test, where.offset, q - 1);
	scullv_store_locate(scullv_kunit_store(test, order, 3), q, &where);
	KUNIT_EXPECT_EQ(test, where.set, 0);
	KUNIT_EXPECT_EQ(test, where.slot, 1);
	KUNIT_EXPECT_EQ(test, where.offset, 0);
	scullv_store_locate(scullv_kunit_store(test, order, 3), 3 * q - 1, &where);
	KUNIT_EXPECT_EQ(test, where.set, 0);
	KUNIT_EXPECT_EQ(test, where.slot, 2);
	KUNIT_EXPECT_EQ(test, where.offset, q - 1);
	scullv_store_locate(scullv_kunit_store(test, order, 3), 3 * q, &where);
	KUNIT_EXPECT_EQ(test, where.set, 1);
	KUNIT_EXPECT_EQ(test, where.slot, 0);
	KUNIT_EXPECT_EQ(test, where.offset, 0);
}

/*
 * scullv_store_page() gives, for each page offset, the page of the right
 * quantum at the right offset; a hole is filled on the way; past the end
 * rounded up to a page there is no page.
 */
static void rounding_test_store_page(struct kunit *test)
{
	unsigned int order = *(const unsigned int *)test->param_value;
	struct scullv_store *store = scullv_kunit_store(test, order, 2);
	size_t qsize = scullv_quantum_size(order);
	loff_t size = qsize + PAGE_SIZE + 6;
	pgoff_t pages = DIV_ROUND_UP(size, PAGE_SIZE), k;

	/* One byte, near the end: the quanta before it stay holes for now. */
	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, size - 1, 1, 17), 1);
	KUNIT_ASSERT_EQ(test, scullv_kunit_nquanta(store), 1);
	KUNIT_ASSERT_NULL(test, scullv_kunit_quantum(store, 0));

	for (k = 0; k < pages; k++) {
		struct page *page = scullv_store_page(store, k, GFP_KERNEL);
		size_t off = (k * PAGE_SIZE) % qsize;
		u8 *quantum = scullv_kunit_quantum(store, k * PAGE_SIZE / qsize);

		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, page);
		KUNIT_ASSERT_NOT_NULL(test, quantum);
		KUNIT_EXPECT_PTR_EQ_MSG(test, page, vmalloc_to_page(quantum + off),
					"page %lu", k);
	}
	/* The holes were filled: every quantum up to the end, zeroed. */
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), DIV_ROUND_UP(size, qsize));
	KUNIT_EXPECT_NULL(test, memchr_inv(scullv_kunit_quantum(store, 0), 0, qsize));
	KUNIT_EXPECT_PTR_EQ(test, scullv_store_page(store, pages, GFP_KERNEL),
			    ERR_PTR(-EFAULT));
	KUNIT_EXPECT_PTR_EQ(test, scullv_store_page(store, pages + qsize / PAGE_SIZE,
						    GFP_KERNEL), ERR_PTR(-EFAULT));
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), DIV_ROUND_UP(size, qsize));
}

static struct kunit_case scullv_rounding_cases[] = {
	KUNIT_CASE(rounding_test_valid_orders),
	KUNIT_CASE(rounding_test_valid_qsets),
	KUNIT_CASE_PARAM(rounding_test_mid_page_write, scullv_kunit_order_gen_params),
	KUNIT_CASE_PARAM(rounding_test_crossing_writes, scullv_kunit_order_gen_params),
	KUNIT_CASE_PARAM(rounding_test_locate, scullv_kunit_order_gen_params),
	KUNIT_CASE_PARAM(rounding_test_store_page, scullv_kunit_order_gen_params),
	{}
};

static struct kunit_suite scullv_rounding_suite = {
	.name = "scullv_rounding",
	.test_cases = scullv_rounding_cases,
};

kunit_test_suite(scullv_rounding_suite);
