// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of mapping a scullv device: what the fault handler maps
 * (the page of the right quantum at each offset, at order 0 and 4), stores
 * through the mapping, offsets, the end of the data, holes, the gfp mask
 * of a fault, the reference a mapped page holds, and the refusal to trim
 * a mapped device.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "scullv_kunit.h"

static const unsigned int scullv_kunit_map_orders[] = { 0, 4 };

KUNIT_ARRAY_PARAM(scullv_kunit_map_order, scullv_kunit_map_orders, scullv_kunit_order_desc);

/* A device of @order, two quanta a set, holding three quanta and a half page. */
static struct scullv_dev *scullv_kunit_map_dev(struct kunit *test, struct file **file,
					       size_t *len)
{
	unsigned int order = *(const unsigned int *)test->param_value;
	struct scullv_dev *dev = scullv_kunit_dev(test, order, 2);

	*file = scullv_kunit_file(test, dev);
	*len = 3 * scullv_quantum_size(order) + PAGE_SIZE / 2 + 7;
	scullv_kunit_fwrite_pattern(test, *file, 0, *len, 22);
	return dev;
}

static unsigned long scullv_kunit_map_file(struct kunit *test, struct file *file,
					   size_t len, loff_t offset)
{
	return scullv_kunit_mmap(test, file, len, PROT_READ | PROT_WRITE, offset);
}

/* Reading through the mapping gives what was written, zeros to the page end. */
static void mmap_test_read_back(struct kunit *test)
{
	struct file *file;
	size_t len, maplen;
	unsigned long addr;
	u8 *buf;

	scullv_kunit_map_dev(test, &file, &len);
	maplen = PAGE_ALIGN(len);
	addr = scullv_kunit_map_file(test, file, maplen, 0);
	buf = scullv_kunit_buf(test, maplen);
	KUNIT_ASSERT_EQ(test, copy_from_user(buf, (void __user *)addr, maplen), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(buf, 0, len, 22), -1L);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + len, 0, maplen - len));
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, maplen), 0);
}

/* Each page of the mapping is the page of its quantum at its offset. */
static void mmap_test_quantum_pages(struct kunit *test)
{
	struct scullv_dev *dev;
	struct file *file;
	size_t len, qsize, maplen;
	unsigned long addr;
	pgoff_t k;

	dev = scullv_kunit_map_dev(test, &file, &len);
	qsize = scullv_quantum_size(dev->store->order);
	maplen = PAGE_ALIGN(len);
	addr = scullv_kunit_map_file(test, file, maplen, 0);
	for (k = 0; k < maplen / PAGE_SIZE; k++) {
		u8 *quantum = scullv_kunit_quantum(dev->store, k * PAGE_SIZE / qsize);
		struct page *want, *page;

		KUNIT_ASSERT_NOT_NULL(test, quantum);
		want = vmalloc_to_page(quantum + (k * PAGE_SIZE) % qsize);
		KUNIT_ASSERT_EQ(test, get_user_pages_fast(addr + k * PAGE_SIZE, 1, 0, &page), 1);
		KUNIT_EXPECT_PTR_EQ_MSG(test, page, want, "page %lu", k);
		put_page(page);
		KUNIT_EXPECT_PTR_EQ(test, scullv_store_page(dev->store, k, GFP_KERNEL), want);
	}
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, maplen), 0);
}

/* Stores through the mapping land in the quanta, across their boundary. */
static void mmap_test_write_through(struct kunit *test)
{
	static const u8 abcdef[6] = "abcdef";
	struct scullv_dev *dev;
	struct file *file;
	size_t len, qsize, maplen;
	unsigned long addr;
	u8 got[6], *q0, *q1;
	loff_t pos;

	dev = scullv_kunit_map_dev(test, &file, &len);
	qsize = scullv_quantum_size(dev->store->order);
	maplen = PAGE_ALIGN(len);
	addr = scullv_kunit_map_file(test, file, maplen, 0);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(addr + qsize - 3), abcdef, 6), 0);
	pos = qsize - 3;
	KUNIT_ASSERT_EQ(test, kernel_read(file, got, 6, &pos), 6);
	KUNIT_EXPECT_MEMEQ(test, got, abcdef, 6);
	q0 = scullv_kunit_quantum(dev->store, 0);
	q1 = scullv_kunit_quantum(dev->store, 1);
	KUNIT_ASSERT_NOT_NULL(test, q0);
	KUNIT_ASSERT_NOT_NULL(test, q1);
	KUNIT_EXPECT_MEMEQ(test, q0 + qsize - 3, abcdef, 3);
	KUNIT_EXPECT_MEMEQ(test, q1, abcdef + 3, 3);
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, maplen), 0);
}

/* A mapping at an offset starts at the right page. */
static void mmap_test_offset(struct kunit *test)
{
	struct scullv_dev *dev;
	struct file *file;
	size_t len, qsize, data;
	unsigned long addr;
	loff_t offset;
	u8 *buf;

	dev = scullv_kunit_map_dev(test, &file, &len);
	qsize = scullv_quantum_size(dev->store->order);
	offset = qsize + PAGE_SIZE;
	data = min_t(size_t, 2 * PAGE_SIZE, len - offset);
	addr = scullv_kunit_map_file(test, file, 2 * PAGE_SIZE, offset);
	buf = scullv_kunit_buf(test, 2 * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, copy_from_user(buf, (void __user *)addr, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(buf, offset, data, 22), -1L);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + data, 0, 2 * PAGE_SIZE - data));
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, 2 * PAGE_SIZE), 0);
}

/*
 * Past the last page of the data the fault handler has no page: SIGBUS
 * for a user, a failed copy here.
 */
static void mmap_test_past_end(struct kunit *test)
{
	unsigned int order = *(const unsigned int *)test->param_value;
	struct scullv_dev *dev = scullv_kunit_dev(test, order, 2);
	struct file *file = scullv_kunit_file(test, dev);
	size_t qsize = scullv_quantum_size(order);
	loff_t size = qsize + PAGE_SIZE + 5;
	size_t end = PAGE_ALIGN(size), maplen = end + 2 * PAGE_SIZE;
	unsigned long addr;
	u8 byte = 0xff;

	scullv_kunit_fwrite_pattern(test, file, size - 1, 1, 23);
	KUNIT_ASSERT_EQ(test, scullv_kunit_nquanta(dev->store), 1);
	addr = scullv_kunit_map_file(test, file, maplen, 0);

	KUNIT_EXPECT_EQ(test, copy_from_user(&byte, (void __user *)(addr + end - 1), 1), 0);
	KUNIT_EXPECT_EQ(test, byte, 0);
	KUNIT_EXPECT_EQ(test, copy_from_user(&byte, (void __user *)(addr + size - 1), 1), 0);
	KUNIT_EXPECT_EQ(test, byte, scullv_kunit_byte(size - 1, 23));
	KUNIT_EXPECT_EQ(test, copy_from_user(&byte, (void __user *)(addr + end), 1), 1);
	KUNIT_EXPECT_EQ(test, copy_from_user(&byte, (void __user *)(addr + maplen - 1), 1), 1);
	KUNIT_EXPECT_PTR_EQ(test, scullv_store_page(dev->store, end / PAGE_SIZE, GFP_KERNEL),
			    ERR_PTR(-EFAULT));
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 1);
	KUNIT_EXPECT_EQ(test, dev->store->size, size);
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, maplen), 0);
}

/* A hole before the end is filled with a zeroed quantum when it is read. */
static void mmap_test_fills_hole(struct kunit *test)
{
	unsigned int order = *(const unsigned int *)test->param_value;
	struct scullv_dev *dev = scullv_kunit_dev(test, order, 2);
	struct file *file = scullv_kunit_file(test, dev);
	size_t qsize = scullv_quantum_size(order);
	loff_t size = qsize + PAGE_SIZE + 5;
	size_t maplen = PAGE_ALIGN(size);
	unsigned long addr;
	u8 byte = 0xff;

	scullv_kunit_fwrite_pattern(test, file, size - 1, 1, 23);
	KUNIT_ASSERT_EQ(test, scullv_kunit_nquanta(dev->store), 1);
	KUNIT_ASSERT_NULL(test, scullv_kunit_quantum(dev->store, 0));
	addr = scullv_kunit_map_file(test, file, maplen, 0);

	/* Quantum 0 was a hole: reading it through the mapping fills it. */
	KUNIT_EXPECT_EQ(test, copy_from_user(&byte, (void __user *)addr, 1), 0);
	KUNIT_EXPECT_EQ(test, byte, 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 2);
	KUNIT_EXPECT_NOT_NULL(test, scullv_kunit_quantum(dev->store, 0));
	KUNIT_EXPECT_EQ(test, dev->store->size, size);
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, maplen), 0);
}

/* While the device is mapped, trimming it is refused. */
static void mmap_test_blocks_trim(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 2);
	struct file *file = scullv_kunit_file(test, dev);
	struct scullv_store *store;
	unsigned long addr, addr2;
	u8 byte;

	scullv_kunit_fwrite_pattern(test, file, 0, 2 * PAGE_SIZE, 24);
	store = dev->store;
	KUNIT_EXPECT_EQ(test, scullv_kunit_nmaps(dev), 0);
	addr = scullv_kunit_map_file(test, file, 2 * PAGE_SIZE, 0);
	addr2 = scullv_kunit_map_file(test, file, PAGE_SIZE, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nmaps(dev), 2);
	KUNIT_EXPECT_EQ(test, copy_from_user(&byte, (void __user *)addr2, 1), 0);
	KUNIT_EXPECT_EQ(test, byte, scullv_kunit_byte(PAGE_SIZE, 24));

	KUNIT_EXPECT_EQ(test, scullv_kunit_trim(dev), -EBUSY);
	KUNIT_EXPECT_PTR_EQ(test, dev->store, store);
	KUNIT_EXPECT_EQ(test, store->size, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, copy_from_user(&byte, (void __user *)addr, 1), 0);
	KUNIT_EXPECT_EQ(test, byte, scullv_kunit_byte(0, 24));

	KUNIT_EXPECT_EQ(test, vm_munmap(addr2, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nmaps(dev), 1);
	KUNIT_EXPECT_EQ(test, scullv_kunit_trim(dev), -EBUSY);
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nmaps(dev), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_trim(dev), 0);
	KUNIT_EXPECT_EQ(test, dev->store->size, 0);
}

/*
 * A fault on a hole allocates its quantum zeroed, charged to the memory
 * cgroup of the task that faults (__GFP_ACCOUNT), with a mask that may
 * sleep and none of the reclaim modifiers that vmalloc() does not support.
 */
static void mmap_test_fault_gfp(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 2);
	struct file *file = scullv_kunit_file(test, dev);
	struct scullv_kunit_vfail *vfail;
	unsigned long addr;
	u8 byte = 0xff;
	gfp_t gfp;

	/* Quanta 0 and 1 are holes before the byte in quantum 2. */
	scullv_kunit_fwrite_pattern(test, file, 2 * PAGE_SIZE, 1, 29);
	addr = scullv_kunit_map_file(test, file, 3 * PAGE_SIZE, 0);
	vfail = scullv_kunit_fail_vmalloc(test, 0);

	KUNIT_EXPECT_EQ(test, copy_from_user(&byte, (void __user *)addr, 1), 0);
	KUNIT_EXPECT_EQ(test, byte, 0);
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, 3 * PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, vfail->calls, 1);
	gfp = vfail->gfp[0];
	KUNIT_EXPECT_TRUE_MSG(test, gfp & __GFP_ACCOUNT, "gfp %pGg", &gfp);
	KUNIT_EXPECT_TRUE_MSG(test, gfp & __GFP_ZERO, "gfp %pGg", &gfp);
	KUNIT_EXPECT_TRUE_MSG(test, gfpflags_allow_blocking(gfp), "gfp %pGg", &gfp);
	KUNIT_EXPECT_FALSE_MSG(test, gfp & __GFP_RETRY_MAYFAIL, "gfp %pGg", &gfp);
	KUNIT_EXPECT_FALSE_MSG(test, gfp & __GFP_NORETRY, "gfp %pGg", &gfp);
	KUNIT_EXPECT_NOT_NULL(test, scullv_kunit_quantum(dev->store, 0));
}

/*
 * A page that the fault handler maps holds a reference of the mapping's
 * own, given back when it is unmapped: the page outlives its quantum for
 * as long as it is mapped.
 */
static void mmap_test_fault_takes_reference(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 2);
	struct file *file = scullv_kunit_file(test, dev);
	struct page *page;
	unsigned long addr;
	int before;
	u8 byte = 0;

	scullv_kunit_fwrite_pattern(test, file, 0, PAGE_SIZE, 33);
	KUNIT_ASSERT_NOT_NULL(test, scullv_kunit_quantum(dev->store, 0));
	page = vmalloc_to_page(scullv_kunit_quantum(dev->store, 0));
	KUNIT_ASSERT_NOT_NULL(test, page);
	before = page_count(page);

	addr = scullv_kunit_map_file(test, file, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, copy_from_user(&byte, (void __user *)addr, 1), 0);
	KUNIT_EXPECT_EQ(test, byte, scullv_kunit_byte(0, 33));
	KUNIT_EXPECT_EQ(test, page_count(page), before + 1);
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, page_count(page), before);
}

/*
 * A write fault on a private mapping takes the faulting page by itself
 * (vmf->page), not a run: the mm copies it and then drops the reference
 * the fault took.  Without that reference the drop would be the store's
 * own, and the page would be freed under the device.
 */
static void mmap_test_cow_fault_takes_reference(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 2);
	struct file *file = scullv_kunit_file(test, dev);
	struct page *page;
	unsigned long addr;
	int before;
	u8 byte;

	scullv_kunit_fwrite_pattern(test, file, 0, PAGE_SIZE, 34);
	KUNIT_ASSERT_NOT_NULL(test, scullv_kunit_quantum(dev->store, 0));
	page = vmalloc_to_page(scullv_kunit_quantum(dev->store, 0));
	KUNIT_ASSERT_NOT_NULL(test, page);
	before = page_count(page);

	addr = kunit_vm_mmap(test, file, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr) || !addr);
	byte = ~scullv_kunit_byte(0, 34);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)addr, &byte, 1), 0);
	/* The copy is mapped, not the device's page, which kept its count. */
	KUNIT_EXPECT_EQ(test, page_count(page), before);
	KUNIT_EXPECT_EQ(test, *(u8 *)scullv_kunit_quantum(dev->store, 0),
			scullv_kunit_byte(0, 34));
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, page_count(page), before);
}

static struct kunit_case scullv_mmap_cases[] = {
	KUNIT_CASE_PARAM(mmap_test_read_back, scullv_kunit_map_order_gen_params),
	KUNIT_CASE_PARAM(mmap_test_quantum_pages, scullv_kunit_map_order_gen_params),
	KUNIT_CASE_PARAM(mmap_test_write_through, scullv_kunit_map_order_gen_params),
	KUNIT_CASE_PARAM(mmap_test_offset, scullv_kunit_map_order_gen_params),
	KUNIT_CASE_PARAM(mmap_test_past_end, scullv_kunit_map_order_gen_params),
	KUNIT_CASE_PARAM(mmap_test_fills_hole, scullv_kunit_map_order_gen_params),
	KUNIT_CASE(mmap_test_blocks_trim),
	KUNIT_CASE(mmap_test_fault_gfp),
	KUNIT_CASE(mmap_test_fault_takes_reference),
	KUNIT_CASE(mmap_test_cow_fault_takes_reference),
	{}
};

static struct kunit_suite scullv_mmap_suite = {
	.name = "scullv_mmap",
	.test_cases = scullv_mmap_cases,
};

kunit_test_suite(scullv_mmap_suite);

/* ---- faults map a window of pages --------------------------------------- */

/*
 * The page that maps @addr in the test's mm, without faulting it in
 * (FOLL_NOFAULT), or NULL where nothing is mapped.  No reference is kept.
 */
static struct page *scullv_kunit_mapped_page(unsigned long addr)
{
	struct page *page;

	if (get_user_pages_unlocked(addr, 1, &page, FOLL_NOFAULT) != 1)
		return NULL;
	put_page(page);
	return page;
}

/* The device's page at page offset @pgoff, or NULL in a hole. */
static struct page *scullv_kunit_store_page(struct scullv_store *store, pgoff_t pgoff)
{
	pgoff_t qpages = 1UL << store->order;
	u8 *quantum = scullv_kunit_quantum(store, pgoff / qpages);

	return quantum ? vmalloc_to_page(quantum + (pgoff % qpages) * PAGE_SIZE) : NULL;
}

/*
 * One load maps every page of the aligned window it lands in, each the
 * device's page at its offset, and nothing of the windows on either side.
 * The load is on the window's last page, as an access going backwards
 * makes it: the window starts before the fault.
 */
static void mmap_test_fault_maps_window(struct kunit *test)
{
	unsigned int order = *(const unsigned int *)test->param_value;
	pgoff_t window = SCULLV_MAP_WINDOW;
	size_t maplen = (2 * window + 1) * PAGE_SIZE;
	struct scullv_dev *dev = scullv_kunit_dev(test, order, 4);
	struct file *file = scullv_kunit_file(test, dev);
	unsigned long addr;
	pgoff_t k;
	u8 byte;

	scullv_kunit_fwrite_pattern(test, file, 0, maplen, 22);
	addr = scullv_kunit_map_file(test, file, maplen, 0);

	KUNIT_ASSERT_EQ(test, copy_from_user(&byte, (void __user *)(addr + maplen - PAGE_SIZE - 1),
					     1), 0);
	KUNIT_EXPECT_EQ(test, byte, scullv_kunit_byte(maplen - PAGE_SIZE - 1, 22));
	for (k = window; k < 2 * window; k++)
		KUNIT_EXPECT_PTR_EQ_MSG(test, scullv_kunit_mapped_page(addr + k * PAGE_SIZE),
					scullv_kunit_store_page(dev->store, k), "page %lu", k);
	KUNIT_EXPECT_PTR_EQ_MSG(test,
				scullv_kunit_mapped_page(addr + (window - 1) * PAGE_SIZE), NULL,
				"a page of the window before was mapped");
	KUNIT_EXPECT_PTR_EQ_MSG(test, scullv_kunit_mapped_page(addr + 2 * window * PAGE_SIZE),
				NULL, "a page of the window after was mapped");
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, maplen), 0);
}

/*
 * A mapping that starts inside a window gets the part of the window it
 * covers: the page at the mapping's start is the one at its file offset.
 */
static void mmap_test_fault_window_in_vma(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 4);
	struct file *file = scullv_kunit_file(test, dev);
	unsigned long addr;
	pgoff_t k;
	u8 byte;

	scullv_kunit_fwrite_pattern(test, file, 0, 8 * PAGE_SIZE, 45);
	addr = scullv_kunit_map_file(test, file, 4 * PAGE_SIZE, 3 * PAGE_SIZE);

	KUNIT_ASSERT_EQ(test, copy_from_user(&byte, (void __user *)(addr + 3 * PAGE_SIZE), 1), 0);
	KUNIT_EXPECT_EQ(test, byte, scullv_kunit_byte(6 * PAGE_SIZE, 45));
	for (k = 0; k < 4; k++)
		KUNIT_EXPECT_PTR_EQ_MSG(test, scullv_kunit_mapped_page(addr + k * PAGE_SIZE),
					scullv_kunit_store_page(dev->store, k + 3), "page %lu", k);
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, 4 * PAGE_SIZE), 0);
}

/*
 * A mapping that starts inside a hole of a large quantum gets the next
 * quantum's pages from its first one on: the window steps over the hole
 * to the start of the quantum after it.
 */
static void mmap_test_fault_window_from_hole(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 4, 4);
	struct file *file = scullv_kunit_file(test, dev);
	pgoff_t qpages = 1UL << 4, k;
	size_t qsize = qpages * PAGE_SIZE;
	unsigned long addr;
	u8 byte;

	scullv_kunit_fwrite_pattern(test, file, qsize, qsize, 49);
	KUNIT_ASSERT_EQ(test, scullv_kunit_nquanta(dev->store), 1);
	addr = scullv_kunit_map_file(test, file, 2 * qsize - 3 * PAGE_SIZE, 3 * PAGE_SIZE);

	/* The load is on the last page; quantum 1 starts 13 pages in. */
	KUNIT_ASSERT_EQ(test, copy_from_user(&byte, (void __user *)(addr + 2 * qsize -
								      4 * PAGE_SIZE), 1), 0);
	KUNIT_EXPECT_EQ(test, byte, scullv_kunit_byte(2 * qsize - PAGE_SIZE, 49));
	for (k = 0; k < qpages - 3; k++)
		KUNIT_EXPECT_PTR_EQ_MSG(test, scullv_kunit_mapped_page(addr + k * PAGE_SIZE), NULL,
					"hole page %lu", k + 3);
	for (k = qpages; k < 2 * qpages; k++)
		KUNIT_EXPECT_PTR_EQ_MSG(test,
					scullv_kunit_mapped_page(addr + (k - 3) * PAGE_SIZE),
					scullv_kunit_store_page(dev->store, k), "page %lu", k);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 1);
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, 2 * qsize - 3 * PAGE_SIZE), 0);
}

/*
 * The window's quanta that exist are mapped on either side of a hole;
 * the hole is left for its own first touch to fill.
 */
static void mmap_test_fault_window_skips_hole(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 4);
	struct file *file = scullv_kunit_file(test, dev);
	unsigned long addr;
	pgoff_t k;
	u8 byte = 0xff;

	scullv_kunit_fwrite_pattern(test, file, 0, PAGE_SIZE, 46);
	scullv_kunit_fwrite_pattern(test, file, 2 * PAGE_SIZE, 3 * PAGE_SIZE, 46);
	KUNIT_ASSERT_EQ(test, scullv_kunit_nquanta(dev->store), 4);
	addr = scullv_kunit_map_file(test, file, 5 * PAGE_SIZE, 0);

	KUNIT_ASSERT_EQ(test, copy_from_user(&byte, (void __user *)(addr + 4 * PAGE_SIZE), 1), 0);
	KUNIT_EXPECT_EQ(test, byte, scullv_kunit_byte(4 * PAGE_SIZE, 46));
	for (k = 0; k < 5; k++)
		KUNIT_EXPECT_PTR_EQ_MSG(test, scullv_kunit_mapped_page(addr + k * PAGE_SIZE),
					scullv_kunit_store_page(dev->store, k), "page %lu", k);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 4);

	KUNIT_ASSERT_EQ(test, copy_from_user(&byte, (void __user *)(addr + PAGE_SIZE), 1), 0);
	KUNIT_EXPECT_EQ(test, byte, 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 5);
	KUNIT_EXPECT_PTR_EQ(test, scullv_kunit_mapped_page(addr + PAGE_SIZE),
			    scullv_kunit_store_page(dev->store, 1));
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, 5 * PAGE_SIZE), 0);
}

/*
 * In a private mapping the pages mapped around a read stay the device's
 * until written: a store gets a private copy and leaves the device alone.
 */
static void mmap_test_private_copy_on_write(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 4, 2);
	struct file *file = scullv_kunit_file(test, dev);
	size_t qsize = scullv_quantum_size(4);
	unsigned long addr;
	u8 byte = 0, *quantum;

	scullv_kunit_fwrite_pattern(test, file, 0, qsize, 47);
	quantum = scullv_kunit_quantum(dev->store, 0);
	KUNIT_ASSERT_NOT_NULL(test, quantum);
	addr = kunit_vm_mmap(test, file, 0, qsize, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr) || !addr);

	KUNIT_ASSERT_EQ(test, copy_from_user(&byte, (void __user *)addr, 1), 0);
	KUNIT_EXPECT_PTR_EQ(test, scullv_kunit_mapped_page(addr + PAGE_SIZE),
			    vmalloc_to_page(quantum + PAGE_SIZE));
	byte = ~scullv_kunit_byte(PAGE_SIZE, 47);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(addr + PAGE_SIZE), &byte, 1), 0);
	KUNIT_EXPECT_EQ(test, quantum[PAGE_SIZE], scullv_kunit_byte(PAGE_SIZE, 47));
	KUNIT_EXPECT_PTR_NE(test, scullv_kunit_mapped_page(addr + PAGE_SIZE),
			    vmalloc_to_page(quantum + PAGE_SIZE));
	byte = 0;
	KUNIT_ASSERT_EQ(test, copy_from_user(&byte, (void __user *)(addr + PAGE_SIZE), 1), 0);
	KUNIT_EXPECT_EQ(test, byte, (u8)~scullv_kunit_byte(PAGE_SIZE, 47));
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, qsize), 0);
}

/*
 * A window that meets an entry already there (here a private copy, made
 * by a write before any read) keeps that entry and maps the pages on
 * either side of it.
 */
static void mmap_test_fault_window_keeps_entry(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 8);
	struct file *file = scullv_kunit_file(test, dev);
	unsigned long addr;
	struct page *copy;
	pgoff_t k;
	u8 byte = 0;

	scullv_kunit_fwrite_pattern(test, file, 0, 8 * PAGE_SIZE, 48);
	addr = kunit_vm_mmap(test, file, 0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			     0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr) || !addr);

	/* A store maps page 4 alone, as a copy; then a load from page 0. */
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(addr + 4 * PAGE_SIZE), &byte, 1), 0);
	copy = scullv_kunit_mapped_page(addr + 4 * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_EXPECT_PTR_NE(test, copy, scullv_kunit_store_page(dev->store, 4));
	KUNIT_EXPECT_PTR_EQ(test, scullv_kunit_mapped_page(addr), NULL);
	KUNIT_ASSERT_EQ(test, copy_from_user(&byte, (void __user *)addr, 1), 0);
	KUNIT_EXPECT_EQ(test, byte, scullv_kunit_byte(0, 48));
	for (k = 0; k < 8; k++)
		KUNIT_EXPECT_PTR_EQ_MSG(test, scullv_kunit_mapped_page(addr + k * PAGE_SIZE),
					k == 4 ? copy : scullv_kunit_store_page(dev->store, k),
					"page %lu", k);
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, 8 * PAGE_SIZE), 0);
}

static struct kunit_case scullv_mmap_window_cases[] = {
	KUNIT_CASE_PARAM(mmap_test_fault_maps_window, scullv_kunit_map_order_gen_params),
	KUNIT_CASE(mmap_test_fault_window_in_vma),
	KUNIT_CASE(mmap_test_fault_window_skips_hole),
	KUNIT_CASE(mmap_test_fault_window_from_hole),
	KUNIT_CASE(mmap_test_fault_window_keeps_entry),
	KUNIT_CASE(mmap_test_private_copy_on_write),
	{}
};

static struct kunit_suite scullv_mmap_window_suite = {
	.name = "scullv_mmap_window",
	.test_cases = scullv_mmap_window_cases,
};

kunit_test_suite(scullv_mmap_window_suite);
