// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for scullv.
 *
 * The suites reach the driver through the functions it exports to KUnit
 * (EXPORT_SYMBOL_IF_KUNIT) and work on test devices and stores of their
 * own: the devices the driver registered are never touched.  Most tests
 * use a small geometry (one-page quanta, two or three to a set), so that
 * quantum and quantum-set boundaries lie a few pages apart.
 *
 * Every test device, store, file, buffer and mapping is released by a
 * KUnit cleanup action.  Those run in a thread of their own after the test
 * thread has ended, so what must be undone by the test thread itself (its
 * credentials, user mappings of a test device) is undone in the test.
 *
 * In atomic context nothing is checked on the spot: a failed expectation
 * allocates with GFP_KERNEL and a failed assertion ends the thread.  The
 * results are kept and checked once out of that context.
 */

#include <kunit/resource.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/completion.h>
#include <linux/cred.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/irq_work.h>
#include <linux/logic_iomem.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <uapi/misc/scullv.h>

#include "../scullv.h"

/* The byte limit of test devices: far beyond what any test writes. */
#define SCULLV_KUNIT_MAX_SIZE	((loff_t)SZ_256M)

/* The module parameters' defaults, which SCULLV_IOCRESET restores. */
#define SCULLV_KUNIT_DEFAULT_ORDER	4
#define SCULLV_KUNIT_DEFAULT_QSET	500

/* ---- Helpers --------------------------------------------------------- */

KUNIT_DEFINE_ACTION_WRAPPER(scullv_kunit_store_free, scullv_store_free,
			    struct scullv_store *);
KUNIT_DEFINE_ACTION_WRAPPER(scullv_kunit_fput, fput, struct file *);
KUNIT_DEFINE_ACTION_WRAPPER(scullv_kunit_vfree, vfree, const void *);

/* An empty store of the given geometry, freed with the test. */
static struct scullv_store *scullv_kunit_store(struct kunit *test,
					       unsigned int order,
					       unsigned int qset)
{
	struct scullv_store *store = scullv_store_alloc(order, qset);

	KUNIT_ASSERT_NOT_NULL(test, store);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, scullv_kunit_store_free,
							store), 0);
	KUNIT_ASSERT_EQ(test, store->order, order);
	KUNIT_ASSERT_EQ(test, store->qset, qset);
	return store;
}

static unsigned int scullv_kunit_nmaps(struct scullv_dev *dev)
{
	unsigned int nmaps;

	spin_lock(&dev->map_lock);
	nmaps = dev->nmaps;
	spin_unlock(&dev->map_lock);
	return nmaps;
}

/*
 * Free a test device.  A test that ends on a failed assertion with the
 * device still mapped leaves the unmapping to the exit of its thread,
 * which may come after this cleanup has started: wait for the mappings to
 * go, and rather leak the device than free it under them.
 */
static void scullv_kunit_dev_free(void *arg)
{
	struct scullv_dev *dev = arg;
	unsigned int tries;

	for (tries = 0; scullv_kunit_nmaps(dev); tries++) {
		if (tries == 500) {
			pr_err("scullv_kunit: a test device stays mapped; leaking it\n");
			return;
		}
		msleep(20);
	}
	scullv_dev_teardown(dev);
	kfree(dev);
}

/* A device of the given geometry, index 0, freed with the test. */
static struct scullv_dev *scullv_kunit_dev(struct kunit *test,
					   unsigned int order, unsigned int qset)
{
	struct scullv_dev *dev;
	int err;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	/* A failed setup leaves a device that the cleanup can free too. */
	err = scullv_dev_setup(dev, order, qset, SCULLV_KUNIT_MAX_SIZE);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, scullv_kunit_dev_free,
							dev), 0);
	KUNIT_ASSERT_EQ(test, err, 0);
	return dev;
}

/*
 * A real struct file on @dev, with the driver's file operations.  Anon
 * inode files do not call ->open(), so nothing is trimmed.
 */
static struct file *scullv_kunit_file(struct kunit *test, struct scullv_dev *dev)
{
	struct file *file;

	file = anon_inode_getfile("scullv-kunit", &scullv_fops, dev, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, scullv_kunit_fput,
							file), 0);
	return file;
}

/* Map @len bytes of @file (anonymous memory if NULL) into the test's mm. */
static unsigned long scullv_kunit_mmap(struct kunit *test, struct file *file,
				       size_t len, unsigned long prot,
				       loff_t offset)
{
	unsigned long flags = file ? MAP_SHARED : MAP_ANONYMOUS | MAP_PRIVATE;
	unsigned long addr;

	addr = kunit_vm_mmap(test, file, 0, len, prot, flags, offset);
	KUNIT_ASSERT_NE_MSG(test, addr, 0, "kunit_vm_mmap() failed");
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(addr), "kunit_vm_mmap(): %ld",
			       (long)addr);
	return addr;
}

/* @len bytes of user memory, readable and writable. */
static void __user *scullv_kunit_umem(struct kunit *test, size_t len)
{
	return (void __user *)scullv_kunit_mmap(test, NULL, len,
						PROT_READ | PROT_WRITE, 0);
}

/* A zeroed kernel buffer, freed with the test; vmalloc, as some are big. */
static u8 *scullv_kunit_buf(struct kunit *test, size_t len)
{
	u8 *buf = vzalloc(len);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, scullv_kunit_vfree, buf), 0);
	return buf;
}

static int scullv_kunit_trim(struct scullv_dev *dev)
{
	int ret;

	mutex_lock(&dev->lock);
	ret = scullv_dev_trim(dev);
	mutex_unlock(&dev->lock);
	return ret;
}

/* The quantum in slot @slot of set @set, looked up without the driver. */
static void *scullv_kunit_slot(struct scullv_store *store, unsigned long set,
			       unsigned int slot)
{
	void **slots = xa_load(&store->qsets, set);

	return slots ? slots[slot] : NULL;
}

/* Quantum number @idx, counting from the start of the device. */
static void *scullv_kunit_quantum(struct scullv_store *store, u64 idx)
{
	u32 slot;
	u64 set = div_u64_rem(idx, store->qset, &slot);

	return scullv_kunit_slot(store, set, slot);
}

/* The number of quanta that the store holds. */
static unsigned int scullv_kunit_nquanta(struct scullv_store *store)
{
	unsigned int i, n = 0;
	unsigned long set;
	void **slots;

	xa_for_each(&store->qsets, set, slots)
		for (i = 0; i < store->qset; i++)
			if (slots[i])
				n++;
	return n;
}

/* The byte the tests store at offset @pos: neighbouring pages differ. */
static u8 scullv_kunit_byte(loff_t pos, u8 seed)
{
	return (u8)(pos + (pos >> PAGE_SHIFT) * 89 + (pos >> 20) * 13) ^ seed;
}

static void scullv_kunit_fill(u8 *buf, loff_t pos, size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = scullv_kunit_byte(pos + i, seed);
}

/* Index in @buf of the first byte that is not the pattern, or -1. */
static long scullv_kunit_mismatch(const u8 *buf, loff_t pos, size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != scullv_kunit_byte(pos + i, seed))
			return i;
	return -1;
}

static ssize_t scullv_kunit_swrite(struct scullv_store *store, loff_t pos,
				   const void *buf, size_t len, gfp_t gfp)
{
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, len);
	return scullv_store_write(store, &pos, &iter, gfp);
}

static ssize_t scullv_kunit_sread(struct scullv_store *store, loff_t *pos,
				  void *buf, size_t len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, len);
	return scullv_store_read(store, pos, &iter);
}

/* Store the pattern @seed at [@pos, @pos + @len) of @store. */
static ssize_t scullv_kunit_swrite_pattern(struct kunit *test,
					   struct scullv_store *store,
					   loff_t pos, size_t len, u8 seed)
{
	u8 *buf = scullv_kunit_buf(test, len);

	scullv_kunit_fill(buf, pos, len, seed);
	return scullv_kunit_swrite(store, pos, buf, len, GFP_KERNEL);
}

/* Expect the pattern @seed at [@pos, @pos + @len) of @store. */
static void scullv_kunit_expect_pattern(struct kunit *test,
					struct scullv_store *store,
					loff_t pos, size_t len, u8 seed)
{
	u8 *buf = scullv_kunit_buf(test, len);
	loff_t at = pos;

	KUNIT_ASSERT_EQ(test, scullv_kunit_sread(store, &at, buf, len), (ssize_t)len);
	KUNIT_EXPECT_EQ_MSG(test, scullv_kunit_mismatch(buf, pos, len, seed), -1L,
			    "data read at %lld", pos);
}

/* Store the pattern @seed at [@pos, @pos + @len) through kernel_write(). */
static void scullv_kunit_fwrite_pattern(struct kunit *test, struct file *file,
					loff_t pos, size_t len, u8 seed)
{
	u8 *buf = scullv_kunit_buf(test, len);

	scullv_kunit_fill(buf, pos, len, seed);
	KUNIT_ASSERT_EQ(test, kernel_write(file, buf, len, &pos), (ssize_t)len);
}

/* Does vmalloc back every page of @len bytes at @addr? */
static bool scullv_kunit_backed(const void *addr, size_t len)
{
	size_t off;

	if (!is_vmalloc_addr(addr))
		return false;
	for (off = 0; off < len; off += PAGE_SIZE)
		if (!vmalloc_to_page(addr + off))
			return false;
	return true;
}

/* ---- scullv_store: the life of the vmalloc quanta --------------------- */

/* A write allocates the quanta it touches, and no other. */
static void scullv_store_write_allocates_touched_quanta(struct kunit *test)
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

/* New quanta are zeroed, and holes read as zeros without being allocated. */
static void scullv_store_fresh_quanta_are_zeroed(struct kunit *test)
{
	struct scullv_store *store = scullv_kunit_store(test, 0, 3);
	loff_t pos = 0;
	u8 *quantum, *buf;

	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, 50, 100, 2), 100);
	quantum = scullv_kunit_slot(store, 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, quantum);
	KUNIT_EXPECT_NULL(test, memchr_inv(quantum, 0, 50));
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(quantum + 50, 50, 100, 2), -1L);
	KUNIT_EXPECT_NULL(test, memchr_inv(quantum + 150, 0, PAGE_SIZE - 150));

	/* Slot 1 stays a hole between the data of slots 0 and 2. */
	KUNIT_ASSERT_EQ(test, scullv_kunit_swrite_pattern(test, store, 2 * PAGE_SIZE + 10,
							  4, 2), 4);
	KUNIT_ASSERT_EQ(test, store->size, 2 * PAGE_SIZE + 14);
	buf = scullv_kunit_buf(test, store->size);
	memset(buf, 0xff, store->size);
	KUNIT_ASSERT_EQ(test, scullv_kunit_sread(store, &pos, buf, store->size),
			(ssize_t)store->size);
	KUNIT_EXPECT_EQ(test, pos, store->size);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, 50));
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + 150, 0, 2 * PAGE_SIZE + 10 - 150));
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(buf + 2 * PAGE_SIZE + 10,
						    2 * PAGE_SIZE + 10, 4, 2), -1L);
	/* Reading the hole allocated nothing. */
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(store), 2);
	KUNIT_EXPECT_NULL(test, scullv_kunit_slot(store, 0, 1));
}

/* Quanta come from vmalloc, every page of each is backed, none shared. */
static void scullv_store_quanta_are_vmalloc(struct kunit *test)
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
static void scullv_store_rewrite_reuses_quanta(struct kunit *test)
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
static void scullv_store_rw_across_boundaries(struct kunit *test)
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
static void scullv_store_trim_frees_everything(struct kunit *test)
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
static void scullv_store_geometry_applies_at_trim(struct kunit *test)
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

/*
 * The vmalloc failure injection: which call of scullv_vmalloc_quantum()
 * fails.  The memory it hands out without __GFP_ZERO is filled with
 * SCULLV_KUNIT_STALE, as recycled pages could be, so that a quantum the
 * driver forgot to zero shows.
 */
#define SCULLV_KUNIT_STALE 0xa5

struct scullv_kunit_vfail {
	unsigned int fail_at;	/* 1 for the first call; 0 for none */
	unsigned int calls;
	unsigned int zeroed;	/* calls with __GFP_ZERO */
};

static void *scullv_kunit_vmalloc_fail(unsigned long size, gfp_t gfp)
{
	struct scullv_kunit_vfail *vfail = kunit_get_current_test()->priv;
	void *area;

	if (++vfail->calls == vfail->fail_at)
		return NULL;
	if (gfp & __GFP_ZERO)
		vfail->zeroed++;
	area = __vmalloc(size, gfp | __GFP_NOWARN);
	if (area && !(gfp & __GFP_ZERO))
		memset(area, SCULLV_KUNIT_STALE, size);
	return area;
}

static struct scullv_kunit_vfail *scullv_kunit_fail_vmalloc(struct kunit *test,
							    unsigned int fail_at)
{
	struct scullv_kunit_vfail *vfail = kunit_kzalloc(test, sizeof(*vfail), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vfail);
	vfail->fail_at = fail_at;
	test->priv = vfail;
	kunit_activate_static_stub(test, scullv_vmalloc_quantum, scullv_kunit_vmalloc_fail);
	return vfail;
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
static void scullv_store_vmalloc_failure(struct kunit *test)
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
static void scullv_store_vmalloc_failure_first_byte(struct kunit *test)
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
static void scullv_store_covered_quanta_skip_zeroing(struct kunit *test)
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

static struct kunit_case scullv_store_cases[] = {
	KUNIT_CASE(scullv_store_write_allocates_touched_quanta),
	KUNIT_CASE(scullv_store_fresh_quanta_are_zeroed),
	KUNIT_CASE(scullv_store_quanta_are_vmalloc),
	KUNIT_CASE(scullv_store_rewrite_reuses_quanta),
	KUNIT_CASE(scullv_store_rw_across_boundaries),
	KUNIT_CASE(scullv_store_trim_frees_everything),
	KUNIT_CASE(scullv_store_geometry_applies_at_trim),
	KUNIT_CASE_PARAM(scullv_store_vmalloc_failure, scullv_kunit_fail_gen_params),
	KUNIT_CASE(scullv_store_vmalloc_failure_first_byte),
	KUNIT_CASE(scullv_store_covered_quanta_skip_zeroing),
	{}
};

static struct kunit_suite scullv_store_suite = {
	.name = "scullv_store",
	.test_cases = scullv_store_cases,
};

/* ---- scullv_fops: the file operations --------------------------------- */

/* kernel_write(), kernel_read() and vfs_llseek() on a real file. */
static void scullv_fops_kernel_rw(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	size_t len = 2 * PAGE_SIZE + 50;
	loff_t start = PAGE_SIZE - 25, pos = start;
	u8 *buf = scullv_kunit_buf(test, len);

	scullv_kunit_fill(buf, start, len, 10);
	KUNIT_ASSERT_EQ(test, kernel_write(file, buf, len, &pos), (ssize_t)len);
	KUNIT_EXPECT_EQ(test, pos, start + (loff_t)len);
	KUNIT_EXPECT_EQ(test, dev->store->size, start + (loff_t)len);
	/* [PAGE_SIZE - 25, 3 * PAGE_SIZE + 25): quanta 0 to 3. */
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 4);

	memset(buf, 0, len);
	pos = start;
	KUNIT_ASSERT_EQ(test, kernel_read(file, buf, len + 100, &pos), (ssize_t)len);
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(buf, start, len, 10), -1L);

	KUNIT_ASSERT_EQ(test, vfs_llseek(file, 2 * PAGE_SIZE, SEEK_SET), 2 * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, kernel_read(file, buf, 10, &file->f_pos), 10);
	KUNIT_EXPECT_EQ(test, file->f_pos, 2 * PAGE_SIZE + 10);
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(buf, 2 * PAGE_SIZE, 10, 10), -1L);
}

/* Reads and writes with user buffers, through the VFS. */
static void scullv_fops_user_buffers(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	size_t len = 2 * PAGE_SIZE - 7;
	void __user *ubuf = scullv_kunit_umem(test, 2 * PAGE_SIZE);
	u8 *buf = scullv_kunit_buf(test, len);
	struct iov_iter iter;
	loff_t pos = 3;

	scullv_kunit_fill(buf, 3, len, 11);
	KUNIT_ASSERT_EQ(test, copy_to_user(ubuf, buf, len), 0);
	KUNIT_ASSERT_EQ(test, import_ubuf(ITER_SOURCE, ubuf, len, &iter), 0);
	KUNIT_ASSERT_EQ(test, vfs_iter_write(file, &iter, &pos, 0), (ssize_t)len);
	KUNIT_EXPECT_EQ(test, pos, 3 + (loff_t)len);

	KUNIT_ASSERT_EQ(test, clear_user(ubuf, 2 * PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, import_ubuf(ITER_DEST, ubuf, len, &iter), 0);
	pos = 3;
	KUNIT_ASSERT_EQ(test, vfs_iter_read(file, &iter, &pos, 0), (ssize_t)len);
	memset(buf, 0, len);
	KUNIT_ASSERT_EQ(test, copy_from_user(buf, ubuf, len), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(buf, 3, len, 11), -1L);
}

static ssize_t scullv_kunit_uwrite(struct file *file, void __user *ubuf,
				   size_t len, loff_t pos)
{
	struct iov_iter iter;
	int err = import_ubuf(ITER_SOURCE, ubuf, len, &iter);

	return err ?: vfs_iter_write(file, &iter, &pos, 0);
}

static ssize_t scullv_kunit_uread(struct file *file, void __user *ubuf,
				  size_t len, loff_t pos)
{
	struct iov_iter iter;
	int err = import_ubuf(ITER_DEST, ubuf, len, &iter);

	return err ?: vfs_iter_read(file, &iter, &pos, 0);
}

/* A user buffer that faults gives a short count, or -EFAULT. */
static void scullv_fops_user_fault(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	void __user *ubuf = scullv_kunit_umem(test, 2 * PAGE_SIZE);
	u8 *buf = scullv_kunit_buf(test, PAGE_SIZE);

	/* The second page of the buffer goes away. */
	KUNIT_ASSERT_EQ(test, vm_munmap((unsigned long)ubuf + PAGE_SIZE, PAGE_SIZE), 0);
	scullv_kunit_fill(buf, 0, PAGE_SIZE, 12);
	KUNIT_ASSERT_EQ(test, copy_to_user(ubuf, buf, PAGE_SIZE), 0);

	KUNIT_EXPECT_EQ(test, scullv_kunit_uwrite(file, ubuf, 2 * PAGE_SIZE, 0),
			(ssize_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dev->store->size, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, scullv_kunit_uwrite(file, ubuf + PAGE_SIZE, 10, 5 * PAGE_SIZE),
			-EFAULT);
	KUNIT_EXPECT_EQ_MSG(test, dev->store->size, PAGE_SIZE,
			    "a write that stored nothing moved the end");
	scullv_kunit_expect_pattern(test, dev->store, 0, PAGE_SIZE, 12);

	scullv_kunit_fwrite_pattern(test, file, PAGE_SIZE, PAGE_SIZE, 12);
	KUNIT_EXPECT_EQ(test, scullv_kunit_uread(file, ubuf, 2 * PAGE_SIZE, 0),
			(ssize_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, scullv_kunit_uread(file, ubuf + PAGE_SIZE, 10, 0), -EFAULT);
}

/*
 * A write that covers a whole new quantum but faults half-way stores what
 * it copied and zeroes the rest of the quantum (allocated unzeroed, since
 * the write was to cover it); one that faults at its first byte keeps no
 * quantum.
 */
static void scullv_fops_user_fault_whole_quantum(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 1, 3);
	struct file *file = scullv_kunit_file(test, dev);
	void __user *ubuf = scullv_kunit_umem(test, 2 * PAGE_SIZE);
	u8 *buf = scullv_kunit_buf(test, PAGE_SIZE);
	struct scullv_kunit_vfail *vfail;
	size_t quantum = scullv_quantum_size(1);
	ssize_t ret;
	u8 *q;

	KUNIT_ASSERT_EQ(test, vm_munmap((unsigned long)ubuf + PAGE_SIZE, PAGE_SIZE), 0);
	scullv_kunit_fill(buf, 0, PAGE_SIZE, 13);
	KUNIT_ASSERT_EQ(test, copy_to_user(ubuf, buf, PAGE_SIZE), 0);
	vfail = scullv_kunit_fail_vmalloc(test, 0);

	ret = scullv_kunit_uwrite(file, ubuf, quantum, 0);
	KUNIT_EXPECT_GT(test, ret, 0);
	KUNIT_EXPECT_LE(test, ret, (ssize_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, vfail->calls, 1);
	KUNIT_EXPECT_EQ(test, vfail->zeroed, 0);
	q = scullv_kunit_slot(dev->store, 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, q);
	if (ret > 0) {
		KUNIT_EXPECT_EQ(test, dev->store->size, ret);
		KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(q, 0, ret, 13), -1L);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(q + ret, 0, quantum - ret),
				      "the rest of a short write's quantum is stale");
	}

	KUNIT_EXPECT_EQ(test, scullv_kunit_uwrite(file, ubuf + PAGE_SIZE, quantum, quantum),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, vfail->calls, 2);
	KUNIT_EXPECT_EQ_MSG(test, scullv_kunit_nquanta(dev->store), 1,
			    "a write that copied nothing kept its quantum");
}

/* Writes stop at dev->max_size, as regular files stop at their limit. */
static void scullv_fops_write_limit(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	loff_t max = 2 * PAGE_SIZE + 100, pos;
	u8 *buf = scullv_kunit_buf(test, 200);

	dev->max_size = max;
	pos = max;
	KUNIT_EXPECT_EQ(test, kernel_write(file, buf, 1, &pos), -EFBIG);
	pos = max + PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, kernel_write(file, buf, 1, &pos), -EFBIG);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 0);
	KUNIT_EXPECT_EQ(test, dev->store->size, 0);

	pos = max - 1;
	KUNIT_EXPECT_EQ(test, kernel_write(file, buf, 10, &pos), 1);
	KUNIT_EXPECT_EQ(test, pos, max);
	pos = max - 50;
	KUNIT_EXPECT_EQ(test, kernel_write(file, buf, 200, &pos), 50);
	KUNIT_EXPECT_EQ(test, dev->store->size, max);
	/* Nothing was stored past the limit, not even a quantum. */
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 1);
	KUNIT_EXPECT_NULL(test, xa_load(&dev->store->qsets, 1));

	KUNIT_EXPECT_EQ(test, vfs_llseek(file, max, SEEK_SET), max);
	KUNIT_EXPECT_EQ(test, kernel_write(file, buf, 1, &file->f_pos), -EFBIG);
	KUNIT_EXPECT_EQ(test, file->f_pos, max);
}

/* O_APPEND writes land at the end, whatever the position. */
static void scullv_fops_append(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	u8 abc[3] = { 'a', 'b', 'c' }, got[3];
	struct kvec kv = { .iov_base = abc, .iov_len = sizeof(abc) };
	struct iov_iter iter;
	struct kiocb kiocb;
	loff_t pos = 1000;

	scullv_kunit_fwrite_pattern(test, file, 0, 1000, 13);
	init_sync_kiocb(&kiocb, file);
	kiocb.ki_flags |= IOCB_APPEND;
	kiocb.ki_pos = 0;
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, sizeof(abc));
	KUNIT_ASSERT_EQ(test, file->f_op->write_iter(&kiocb, &iter), 3);
	KUNIT_EXPECT_EQ(test, kiocb.ki_pos, 1003);
	KUNIT_EXPECT_EQ(test, dev->store->size, 1003);
	scullv_kunit_expect_pattern(test, dev->store, 0, 1000, 13);
	KUNIT_ASSERT_EQ(test, kernel_read(file, got, sizeof(got), &pos), 3);
	KUNIT_EXPECT_MEMEQ(test, got, abc, sizeof(abc));
}

/* An empty write stores nothing and leaves the end where it is. */
static void scullv_fops_empty_write(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	loff_t pos = 5 * PAGE_SIZE;
	u8 byte = 0;

	KUNIT_EXPECT_EQ(test, kernel_write(file, &byte, 0, &pos), 0);
	KUNIT_EXPECT_EQ(test, pos, 5 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dev->store->size, 0);
	KUNIT_EXPECT_TRUE(test, xa_empty(&dev->store->qsets));
}

/* A vmalloc failure through the file: a short count, the position follows. */
static void scullv_fops_vmalloc_failure(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	u8 *buf = scullv_kunit_buf(test, 3 * PAGE_SIZE);
	loff_t pos = 0;

	scullv_kunit_fill(buf, 0, 3 * PAGE_SIZE, 14);
	scullv_kunit_fail_vmalloc(test, 2);
	KUNIT_EXPECT_EQ(test, kernel_write(file, buf, 3 * PAGE_SIZE, &pos),
			(ssize_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pos, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dev->store->size, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 1);

	/* Calls 3 and 4 succeed: the rest goes in. */
	KUNIT_EXPECT_EQ(test, kernel_write(file, buf + PAGE_SIZE, 2 * PAGE_SIZE, &pos),
			(ssize_t)(2 * PAGE_SIZE));
	scullv_kunit_expect_pattern(test, dev->store, 0, 3 * PAGE_SIZE, 14);
}

static struct kunit_case scullv_fops_cases[] = {
	KUNIT_CASE(scullv_fops_kernel_rw),
	KUNIT_CASE(scullv_fops_user_buffers),
	KUNIT_CASE(scullv_fops_user_fault),
	KUNIT_CASE(scullv_fops_user_fault_whole_quantum),
	KUNIT_CASE(scullv_fops_write_limit),
	KUNIT_CASE(scullv_fops_append),
	KUNIT_CASE(scullv_fops_empty_write),
	KUNIT_CASE(scullv_fops_vmalloc_failure),
	{}
};

static struct kunit_suite scullv_fops_suite = {
	.name = "scullv_fops",
	.test_cases = scullv_fops_cases,
};

/* ---- scullv_rounding: pages and quanta at every order ------------------ */

static const unsigned int scullv_kunit_orders[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

static void scullv_kunit_order_desc(const unsigned int *order, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "order %u", *order);
}

KUNIT_ARRAY_PARAM(scullv_kunit_order, scullv_kunit_orders, scullv_kunit_order_desc);

/* The valid ranges of the geometry; every order has a test parameter. */
static void scullv_rounding_valid_ranges(struct kunit *test)
{
	static const long long bad_orders[] = {
		-1, SCULLV_ORDER_MAX + 1, 63, 64, U32_MAX, 1LL << 32, (1LL << 32) + 4,
		LLONG_MAX, LLONG_MIN, -(1LL << 32),
	};
	static const long long bad_qsets[] = {
		0, -1, SCULLV_QSET_MAX + 1, U32_MAX, 1LL << 32, (1LL << 32) + 1,
		LLONG_MAX, LLONG_MIN, -(1LL << 32) + 1,
	};
	unsigned int i;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(scullv_kunit_orders), SCULLV_ORDER_MAX + 1);
	for (i = 0; i < ARRAY_SIZE(scullv_kunit_orders); i++)
		KUNIT_EXPECT_TRUE(test, scullv_order_valid(scullv_kunit_orders[i]));
	for (i = 0; i < ARRAY_SIZE(bad_orders); i++)
		KUNIT_EXPECT_FALSE_MSG(test, scullv_order_valid(bad_orders[i]),
				       "order %lld", bad_orders[i]);

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
static void scullv_rounding_mid_page_write(struct kunit *test)
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
static void scullv_rounding_crossing_writes(struct kunit *test)
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

	scullv_store_locate(store, pos, &where);
	KUNIT_EXPECT_EQ_MSG(test, where.set, set, "set of %lld, qset %u", pos, store->qset);
	KUNIT_EXPECT_EQ_MSG(test, where.slot, slot, "slot of %lld, qset %u", pos, store->qset);
	KUNIT_EXPECT_EQ_MSG(test, where.offset, pos - idx * qsize, "offset of %lld", pos);
}

/* scullv_store_locate() at quantum and set boundaries and far away. */
static void scullv_rounding_locate(struct kunit *test)
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
static void scullv_rounding_store_page(struct kunit *test)
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
	KUNIT_CASE(scullv_rounding_valid_ranges),
	KUNIT_CASE_PARAM(scullv_rounding_mid_page_write, scullv_kunit_order_gen_params),
	KUNIT_CASE_PARAM(scullv_rounding_crossing_writes, scullv_kunit_order_gen_params),
	KUNIT_CASE_PARAM(scullv_rounding_locate, scullv_kunit_order_gen_params),
	KUNIT_CASE_PARAM(scullv_rounding_store_page, scullv_kunit_order_gen_params),
	{}
};

static struct kunit_suite scullv_rounding_suite = {
	.name = "scullv_rounding",
	.test_cases = scullv_rounding_cases,
};

/* ---- scullv_atomic: no allocation where vmalloc() may not run ---------- */

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
static void scullv_atomic_nonblocking_masks(struct kunit *test)
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
static void scullv_atomic_irqs_disabled(struct kunit *test)
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
static void scullv_atomic_spinlock_held(struct kunit *test)
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

/* preempt_disable(), and local_bh_disable() as under spin_lock_bh(). */
static void scullv_atomic_preempt_disabled(struct kunit *test)
{
	struct scullv_kunit_probe *p = scullv_kunit_probe(test);
	struct scullv_kunit_probe *bh = scullv_kunit_probe(test);

	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT))
		kunit_skip(test, "without CONFIG_PREEMPT_COUNT preempt_disable() does not show");
	preempt_disable();
	p->context_ok = preempt_count() != 0;
	scullv_kunit_probe_run(p);
	preempt_enable();
	scullv_kunit_expect_refused(test, p);

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
static void scullv_atomic_timer_softirq(struct kunit *test)
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
static void scullv_atomic_irq_work_hardirq(struct kunit *test)
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
static void scullv_atomic_process_context(struct kunit *test)
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
	KUNIT_CASE(scullv_atomic_nonblocking_masks),
	KUNIT_CASE(scullv_atomic_irqs_disabled),
	KUNIT_CASE(scullv_atomic_spinlock_held),
	KUNIT_CASE(scullv_atomic_preempt_disabled),
	KUNIT_CASE(scullv_atomic_timer_softirq),
	KUNIT_CASE(scullv_atomic_irq_work_hardirq),
	KUNIT_CASE(scullv_atomic_process_context),
	{}
};

static struct kunit_suite scullv_atomic_suite = {
	.name = "scullv_atomic",
	.test_cases = scullv_atomic_cases,
};

/* ---- scullv_ioctl: the geometry ioctls --------------------------------- */

static long scullv_kunit_qorder(struct scullv_dev *dev)
{
	return scullv_dev_ioctl(dev, SCULLV_IOCQORDER, 0);
}

static long scullv_kunit_qqset(struct scullv_dev *dev)
{
	return scullv_dev_ioctl(dev, SCULLV_IOCQQSET, 0);
}

static u32 scullv_kunit_uget(struct kunit *test, u32 __user *uval)
{
	u32 val;

	KUNIT_ASSERT_EQ(test, get_user(val, uval), 0);
	return val;
}

/* T sets, Q returns, H swaps: values in the argument. */
static void scullv_ioctl_value_forms(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);

	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), 3);

	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTORDER, 3), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), 3);
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCHORDER, SCULLV_ORDER_MAX), 3);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), SCULLV_ORDER_MAX);
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTORDER, 0), 0);
	KUNIT_EXPECT_EQ(test, dev->order, 0);

	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTQSET, 7), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), 7);
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCHQSET, SCULLV_QSET_MAX), 7);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), SCULLV_QSET_MAX);
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCHQSET, 1), SCULLV_QSET_MAX);
	KUNIT_EXPECT_EQ(test, dev->qset, 1);

	/* Pending only: the store keeps its geometry. */
	KUNIT_EXPECT_EQ(test, dev->store->order, 0);
	KUNIT_EXPECT_EQ(test, dev->store->qset, 3);
}

/* S sets, G gets, X swaps: values behind a user pointer. */
static void scullv_ioctl_pointer_forms(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 1, 3);
	u32 __user *uval = scullv_kunit_umem(test, PAGE_SIZE);
	unsigned long arg = (unsigned long)uval;

	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCGORDER, arg), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_uget(test, uval), 1);
	KUNIT_ASSERT_EQ(test, put_user(6, uval), 0);
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCSORDER, arg), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), 6);
	KUNIT_ASSERT_EQ(test, put_user(2, uval), 0);
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCXORDER, arg), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_uget(test, uval), 6);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), 2);

	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCGQSET, arg), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_uget(test, uval), 3);
	KUNIT_ASSERT_EQ(test, put_user(11, uval), 0);
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCSQSET, arg), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), 11);
	KUNIT_ASSERT_EQ(test, put_user(13, uval), 0);
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCXQSET, arg), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_uget(test, uval), 11);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), 13);
}

/* RESET brings back the module's defaults. */
static void scullv_ioctl_reset(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);

	KUNIT_ASSERT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTORDER, 7), 0);
	KUNIT_ASSERT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTQSET, 42), 0);
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCRESET, 0), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), SCULLV_KUNIT_DEFAULT_ORDER);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), SCULLV_KUNIT_DEFAULT_QSET);
	KUNIT_EXPECT_EQ(test, dev->store->order, 0);
	KUNIT_EXPECT_EQ(test, dev->store->qset, 3);
}

/* Values out of range are refused and change nothing. */
static void scullv_ioctl_bad_values(struct kunit *test)
{
	static const struct {
		unsigned int cmd;
		unsigned long arg;
	} bad[] = {
		{ SCULLV_IOCTQSET, 0 },
		{ SCULLV_IOCTQSET, SCULLV_QSET_MAX + 1 },
		{ SCULLV_IOCTQSET, U32_MAX },
		{ SCULLV_IOCHQSET, 0 },
		{ SCULLV_IOCTORDER, SCULLV_ORDER_MAX + 1 },
		{ SCULLV_IOCTORDER, U32_MAX },
		{ SCULLV_IOCHORDER, SCULLV_ORDER_MAX + 1 },
#if BITS_PER_LONG == 64
		/* Would be valid if cut to 32 bits. */
		{ SCULLV_IOCTORDER, (1UL << 32) | 2 },
		{ SCULLV_IOCHORDER, (1UL << 32) | 2 },
		{ SCULLV_IOCTQSET, (1UL << 32) | 5 },
		{ SCULLV_IOCHQSET, (1UL << 32) | 5 },
		{ SCULLV_IOCTQSET, ULONG_MAX },
#endif
	};
	static const struct {
		unsigned int cmd;
		u32 val;
	} bad_ptr[] = {
		{ SCULLV_IOCSQSET, 0 },
		{ SCULLV_IOCSQSET, SCULLV_QSET_MAX + 1 },
		{ SCULLV_IOCXQSET, 0 },
		{ SCULLV_IOCXQSET, U32_MAX },
		{ SCULLV_IOCSORDER, SCULLV_ORDER_MAX + 1 },
		{ SCULLV_IOCSORDER, U32_MAX },
		{ SCULLV_IOCXORDER, 99 },
	};
	struct scullv_dev *dev = scullv_kunit_dev(test, 2, 3);
	u32 __user *uval = scullv_kunit_umem(test, PAGE_SIZE);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, scullv_dev_ioctl(dev, bad[i].cmd, bad[i].arg),
				    -EINVAL, "cmd %#x arg %#lx", bad[i].cmd, bad[i].arg);
	for (i = 0; i < ARRAY_SIZE(bad_ptr); i++) {
		KUNIT_ASSERT_EQ(test, put_user(bad_ptr[i].val, uval), 0);
		KUNIT_EXPECT_EQ_MSG(test, scullv_dev_ioctl(dev, bad_ptr[i].cmd,
							   (unsigned long)uval),
				    -EINVAL, "cmd %#x value %u", bad_ptr[i].cmd, bad_ptr[i].val);
		/* A refused exchange gives nothing back. */
		KUNIT_EXPECT_EQ(test, scullv_kunit_uget(test, uval), bad_ptr[i].val);
	}
	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), 2);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), 3);
}

/* Commands that are not scullv's: other magic, numbers, sizes, directions. */
static void scullv_ioctl_unknown_commands(struct kunit *test)
{
	static const unsigned int cmds[] = {
		_IO('k', 2), _IO(0, 0), _IO('K' + 1, 4), _IO('K', 13), _IO('K', 0xff),
		_IOR('K', 2, __u32),		/* T, with a direction */
		_IOW('K', 4, __u32),		/* Q, with a direction */
		_IO('K', 1),			/* S, without its direction */
		_IOW('K', 1, __u64),		/* S, wrong size */
		_IOR('K', 3, __u64),		/* G, wrong size */
		_IOWR('K', 3, __u32),		/* G, wrong direction */
		_IOR('K', 0, __u32),		/* RESET, with a direction */
		_IOW('K', 7, __u16),		/* S qset, wrong size */
		_IOR('K', 11, __u32),		/* X qset, wrong direction */
		_IOWR('K', 12, __u32),		/* H qset, with a direction */
	};
	struct scullv_dev *dev = scullv_kunit_dev(test, 2, 3);
	u32 __user *uval = scullv_kunit_umem(test, PAGE_SIZE);
	unsigned int i;

	KUNIT_ASSERT_EQ(test, put_user(7, uval), 0);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		KUNIT_EXPECT_EQ_MSG(test, scullv_dev_ioctl(dev, cmds[i], (unsigned long)uval),
				    -ENOTTY, "cmd %#x", cmds[i]);
	KUNIT_EXPECT_EQ(test, scullv_kunit_uget(test, uval), 7);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), 2);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), 3);
}

/* Bad user pointers give -EFAULT; a failed exchange changes nothing. */
static void scullv_ioctl_bad_pointers(struct kunit *test)
{
	static const unsigned int cmds[] = {
		SCULLV_IOCSORDER, SCULLV_IOCGORDER, SCULLV_IOCXORDER,
		SCULLV_IOCSQSET, SCULLV_IOCGQSET, SCULLV_IOCXQSET,
	};
	struct scullv_dev *dev = scullv_kunit_dev(test, 2, 3);
	unsigned long gone = scullv_kunit_mmap(test, NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, 0);
	unsigned long ro = scullv_kunit_mmap(test, NULL, PAGE_SIZE, PROT_READ, 0);
	unsigned int i;

	KUNIT_ASSERT_EQ(test, vm_munmap(gone, PAGE_SIZE), 0);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		KUNIT_EXPECT_EQ_MSG(test, scullv_dev_ioctl(dev, cmds[i], gone), -EFAULT,
				    "cmd %#x", cmds[i]);

	/* A read-only page reads as 0: a valid order, but it cannot go back. */
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCGORDER, ro), -EFAULT);
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCXORDER, ro), -EFAULT);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), 2);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), 3);
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCSORDER, ro), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), 0);
}

/* Without CAP_SYS_ADMIN the values can be read, not changed. */
static void scullv_ioctl_needs_cap_sys_admin(struct kunit *test)
{
	static const unsigned int set_cmds[] = {
		SCULLV_IOCRESET,
		SCULLV_IOCSORDER, SCULLV_IOCTORDER, SCULLV_IOCXORDER, SCULLV_IOCHORDER,
		SCULLV_IOCSQSET, SCULLV_IOCTQSET, SCULLV_IOCXQSET, SCULLV_IOCHQSET,
	};
	struct scullv_dev *dev = scullv_kunit_dev(test, 1, 3);
	u32 __user *uval = scullv_kunit_umem(test, PAGE_SIZE);
	long set_ret[ARRAY_SIZE(set_cmds)], q_order, q_qset, g_order, g_qset;
	u32 after_set = 0, got_order = 0, got_qset = 0;
	const struct cred *old;
	struct cred *cred;
	bool had_cap;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, put_user(2, uval), 0);
	cred = prepare_creds();
	KUNIT_ASSERT_NOT_NULL(test, cred);
	cap_lower(cred->cap_effective, CAP_SYS_ADMIN);

	/*
	 * Nothing between the override and the revert may end the thread
	 * (cleanup actions run in another one): keep the results.
	 */
	old = override_creds(cred);
	had_cap = capable(CAP_SYS_ADMIN);
	for (i = 0; i < ARRAY_SIZE(set_cmds); i++) {
		unsigned long arg = _IOC_DIR(set_cmds[i]) == _IOC_NONE ? 2 : (unsigned long)uval;

		set_ret[i] = scullv_dev_ioctl(dev, set_cmds[i], arg);
	}
	if (get_user(after_set, uval))
		after_set = U32_MAX;
	q_order = scullv_kunit_qorder(dev);
	q_qset = scullv_kunit_qqset(dev);
	g_order = scullv_dev_ioctl(dev, SCULLV_IOCGORDER, (unsigned long)uval);
	if (get_user(got_order, uval))
		got_order = U32_MAX;
	g_qset = scullv_dev_ioctl(dev, SCULLV_IOCGQSET, (unsigned long)uval);
	if (get_user(got_qset, uval))
		got_qset = U32_MAX;
	revert_creds(old);
	put_cred(cred);

	KUNIT_ASSERT_FALSE(test, had_cap);
	for (i = 0; i < ARRAY_SIZE(set_cmds); i++)
		KUNIT_EXPECT_EQ_MSG(test, set_ret[i], -EPERM, "cmd %#x", set_cmds[i]);
	KUNIT_EXPECT_EQ(test, after_set, 2);
	KUNIT_EXPECT_EQ(test, q_order, 1);
	KUNIT_EXPECT_EQ(test, q_qset, 3);
	KUNIT_EXPECT_EQ(test, g_order, 0);
	KUNIT_EXPECT_EQ(test, got_order, 1);
	KUNIT_EXPECT_EQ(test, g_qset, 0);
	KUNIT_EXPECT_EQ(test, got_qset, 3);
	KUNIT_EXPECT_EQ(test, dev->order, 1);
	KUNIT_EXPECT_EQ(test, dev->qset, 3);

	/* With the capability back, the same call works. */
	KUNIT_EXPECT_TRUE(test, capable(CAP_SYS_ADMIN));
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTORDER, 2), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), 2);
}

/* The file's ioctl entry points, the 32-bit one where there is one. */
static void scullv_ioctl_through_file(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);

	KUNIT_ASSERT_NOT_NULL(test, file->f_op->unlocked_ioctl);
	KUNIT_EXPECT_EQ(test, file->f_op->unlocked_ioctl(file, SCULLV_IOCTQSET, 9), 0);
	KUNIT_EXPECT_EQ(test, file->f_op->unlocked_ioctl(file, SCULLV_IOCQQSET, 0), 9);
	KUNIT_EXPECT_EQ(test, file->f_op->unlocked_ioctl(file, _IO('K', 99), 0), -ENOTTY);
	if (!IS_ENABLED(CONFIG_COMPAT))
		return;

	/* Values (T, Q, H) go through unchanged; compat_ptr() is for pointers. */
	KUNIT_ASSERT_NOT_NULL(test, file->f_op->compat_ioctl);
	KUNIT_EXPECT_EQ(test, file->f_op->compat_ioctl(file, SCULLV_IOCTORDER, 5), 0);
	KUNIT_EXPECT_EQ(test, file->f_op->compat_ioctl(file, SCULLV_IOCQORDER, 0), 5);
	KUNIT_EXPECT_EQ(test, file->f_op->compat_ioctl(file, SCULLV_IOCHQSET, 4), 9);
	KUNIT_EXPECT_EQ(test, file->f_op->compat_ioctl(file, SCULLV_IOCTQSET, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), 4);
}

static struct kunit_case scullv_ioctl_cases[] = {
	KUNIT_CASE(scullv_ioctl_value_forms),
	KUNIT_CASE(scullv_ioctl_pointer_forms),
	KUNIT_CASE(scullv_ioctl_reset),
	KUNIT_CASE(scullv_ioctl_bad_values),
	KUNIT_CASE(scullv_ioctl_unknown_commands),
	KUNIT_CASE(scullv_ioctl_bad_pointers),
	KUNIT_CASE(scullv_ioctl_needs_cap_sys_admin),
	KUNIT_CASE(scullv_ioctl_through_file),
	{}
};

static struct kunit_suite scullv_ioctl_suite = {
	.name = "scullv_ioctl",
	.test_cases = scullv_ioctl_cases,
};

/* ---- scullv_llseek ---------------------------------------------------- */

/* A file on a device holding 1000 bytes, positioned at @pos. */
static struct file *scullv_kunit_seek_file(struct kunit *test, loff_t pos)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);

	scullv_kunit_fwrite_pattern(test, file, 0, 1000, 19);
	KUNIT_ASSERT_EQ(test, vfs_llseek(file, pos, SEEK_SET), pos);
	return file;
}

static void scullv_llseek_set(struct kunit *test)
{
	struct file *file = scullv_kunit_seek_file(test, 0);
	const loff_t max = SCULLV_KUNIT_MAX_SIZE;

	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 500, SEEK_SET), 500);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 5000, SEEK_SET), 5000);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, max, SEEK_SET), max);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 77, SEEK_SET), 77);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, max + 1, SEEK_SET), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, -1, SEEK_SET), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, LLONG_MAX, SEEK_SET), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, LLONG_MIN, SEEK_SET), -EINVAL);
	KUNIT_EXPECT_EQ(test, file->f_pos, 77);
}

static void scullv_llseek_cur(struct kunit *test)
{
	struct file *file = scullv_kunit_seek_file(test, 100);
	const loff_t max = SCULLV_KUNIT_MAX_SIZE;

	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 50, SEEK_CUR), 150);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 0, SEEK_CUR), 150);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, -151, SEEK_CUR), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, LLONG_MAX, SEEK_CUR), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, LLONG_MIN, SEEK_CUR), -EINVAL);
	KUNIT_EXPECT_EQ(test, file->f_pos, 150);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, -150, SEEK_CUR), 0);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, -1, SEEK_CUR), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, max - 10, SEEK_CUR), max - 10);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 11, SEEK_CUR), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 10, SEEK_CUR), max);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, LLONG_MAX, SEEK_CUR), -EINVAL);
	KUNIT_EXPECT_EQ(test, file->f_pos, max);
}

static void scullv_llseek_end(struct kunit *test)
{
	struct file *file = scullv_kunit_seek_file(test, 0);
	const loff_t max = SCULLV_KUNIT_MAX_SIZE;

	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 0, SEEK_END), 1000);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, -1000, SEEK_END), 0);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 5, SEEK_END), 1005);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, -1001, SEEK_END), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, max - 1000, SEEK_END), max);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, max - 999, SEEK_END), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, LLONG_MAX, SEEK_END), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, LLONG_MIN, SEEK_END), -EINVAL);
	KUNIT_EXPECT_EQ(test, file->f_pos, max);
}

/* SEEK_DATA and SEEK_HOLE: all data, then the end. */
static void scullv_llseek_data_hole(struct kunit *test)
{
	struct file *file = scullv_kunit_seek_file(test, 0);

	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 10, SEEK_DATA), 10);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 1000, SEEK_DATA), -ENXIO);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 10, SEEK_HOLE), 1000);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 1000, SEEK_HOLE), -ENXIO);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, -1, SEEK_DATA), -ENXIO);
	KUNIT_EXPECT_EQ(test, file->f_pos, 1000);
}

static struct kunit_case scullv_llseek_cases[] = {
	KUNIT_CASE(scullv_llseek_set),
	KUNIT_CASE(scullv_llseek_cur),
	KUNIT_CASE(scullv_llseek_end),
	KUNIT_CASE(scullv_llseek_data_hole),
	{}
};

static struct kunit_suite scullv_llseek_suite = {
	.name = "scullv_llseek",
	.test_cases = scullv_llseek_cases,
};

/* ---- scullv_dump: the debugfs dump ------------------------------------ */

#define SCULLV_KUNIT_DUMP_SIZE	(8 * PAGE_SIZE)

/* The dump of @dev, NUL-terminated; hashing says whether %p was stable. */
static char *scullv_kunit_dump(struct kunit *test, struct scullv_dev *dev, bool *hashing)
{
	char *buf = kunit_kzalloc(test, SCULLV_KUNIT_DUMP_SIZE, GFP_KERNEL);
	struct seq_file m = { .buf = buf, .size = SCULLV_KUNIT_DUMP_SIZE };
	char before[32], after[32];

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* %p prints placeholders until the hashing key is ready. */
	snprintf(before, sizeof(before), "%p", test);
	scullv_dev_dump(&m, dev);
	snprintf(after, sizeof(after), "%p", test);
	*hashing = !strcmp(before, after);
	KUNIT_ASSERT_LT_MSG(test, m.count, m.size - 1, "the dump overflowed %zu bytes",
			    m.size);
	buf[m.count] = '\0';
	return buf;
}

/*
 * The raw address of no set or quantum of @store appears in @dump: %px
 * prints it in 16 hex digits, which contain the digits that %lx prints.
 */
static void scullv_kunit_expect_no_raw(struct kunit *test, struct scullv_store *store,
				       const char *dump)
{
	char raw[32];
	unsigned long set;
	unsigned int i;
	void **slots;

	xa_for_each(&store->qsets, set, slots) {
		snprintf(raw, sizeof(raw), "%lx", (unsigned long)slots);
		KUNIT_EXPECT_NULL_MSG(test, strstr(dump, raw), "set %lu at %s", set, raw);
		for (i = 0; i < store->qset; i++) {
			if (!slots[i])
				continue;
			snprintf(raw, sizeof(raw), "%lx", (unsigned long)slots[i]);
			KUNIT_EXPECT_NULL_MSG(test, strstr(dump, raw), "quantum at %s", raw);
		}
	}
	snprintf(raw, sizeof(raw), "%lx", (unsigned long)store);
	KUNIT_EXPECT_NULL(test, strstr(dump, raw));
}

/*
 * Check the lines after the header: one per quantum set, in order, then
 * one per quantum of that set, in order, each in vmalloc memory, with the
 * page count of the order and 1 to that many physical runs.  Returns the
 * number of quantum lines.
 */
static unsigned int scullv_kunit_check_body(struct kunit *test, struct scullv_store *store,
					    char *body, bool hashing)
{
	unsigned int pages = 1U << store->order, lines = 0, slot, npages, runs;
	unsigned long set, cur = ULONG_MAX;
	char token[32], want[32];
	void **slots = NULL;
	int last_slot = -1;
	char *line;

	while ((line = strsep(&body, "\n")) && *line) {
		if (sscanf(line, "  qset %lu at %31s", &set, token) == 2) {
			KUNIT_EXPECT_TRUE_MSG(test, cur == ULONG_MAX || set > cur,
					      "set %lu after set %lu", set, cur);
			slots = xa_load(&store->qsets, set);
			KUNIT_ASSERT_NOT_NULL_MSG(test, slots, "\"%s\": no such set", line);
			snprintf(want, sizeof(want), "%p", slots);
			if (hashing)
				KUNIT_EXPECT_STREQ(test, token, want);
			cur = set;
			last_slot = -1;
			continue;
		}
		if (sscanf(line, " %u: %31s vmalloc, %u pages in %u physical runs",
			   &slot, token, &npages, &runs) == 4) {
			KUNIT_ASSERT_NOT_NULL_MSG(test, slots, "\"%s\" before a set", line);
			KUNIT_ASSERT_LT(test, slot, store->qset);
			KUNIT_EXPECT_GT(test, (int)slot, last_slot);
			KUNIT_ASSERT_NOT_NULL_MSG(test, slots[slot], "\"%s\": a hole", line);
			snprintf(want, sizeof(want), "%p", slots[slot]);
			if (hashing)
				KUNIT_EXPECT_STREQ(test, token, want);
			KUNIT_EXPECT_EQ(test, npages, pages);
			KUNIT_EXPECT_GE(test, runs, 1);
			KUNIT_EXPECT_LE(test, runs, pages);
			last_slot = slot;
			lines++;
			continue;
		}
		KUNIT_FAIL(test, "unexpected line \"%s\"", line);
	}
	return lines;
}

/* The book's example: 1535135 bytes in 64 KiB quanta, 500 a set. */
static void scullv_dump_book_example(struct kunit *test)
{
	const size_t len = 1535135, chunk = SZ_64K;
	struct scullv_dev *dev = scullv_kunit_dev(test, 4, 500);
	struct file *file = scullv_kunit_file(test, dev);
	u8 *buf = scullv_kunit_buf(test, chunk);
	char *dump, *body;
	bool hashing;
	loff_t pos;

	for (pos = 0; pos < len; )
		KUNIT_ASSERT_GT(test, kernel_write(file, buf, min_t(size_t, chunk, len - pos),
						   &pos), 0);
	dump = scullv_kunit_dump(test, dev, &hashing);
	scullv_kunit_expect_no_raw(test, dev->store, dump);
	body = dump;
	KUNIT_EXPECT_STREQ(test, strsep(&body, "\n"),
			   "Device 0: qset 500, order 4, sz 1535135");
	KUNIT_ASSERT_NOT_NULL(test, body);
	KUNIT_EXPECT_EQ(test, scullv_kunit_check_body(test, dev->store, body, hashing),
			DIV_ROUND_UP(len, SZ_64K));
}

/* Holes and several sets: lines only for what is there. */
static void scullv_dump_sets_and_holes(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 2, 3);
	struct file *file = scullv_kunit_file(test, dev);
	size_t qsize = scullv_quantum_size(2);
	char *dump, *body, header[80];
	bool hashing;

	/* Quanta 1, 4 and 8: slot 1 of sets 0 and 1, slot 2 of set 2. */
	scullv_kunit_fwrite_pattern(test, file, qsize + 1, 1, 20);
	scullv_kunit_fwrite_pattern(test, file, 4 * qsize + 2, 1, 20);
	scullv_kunit_fwrite_pattern(test, file, 8 * qsize + 3, 1, 20);
	dump = scullv_kunit_dump(test, dev, &hashing);
	scullv_kunit_expect_no_raw(test, dev->store, dump);
	body = dump;
	snprintf(header, sizeof(header), "Device 0: qset 3, order 2, sz %zu", 8 * qsize + 4);
	KUNIT_EXPECT_STREQ(test, strsep(&body, "\n"), header);
	KUNIT_ASSERT_NOT_NULL(test, body);
	KUNIT_EXPECT_NOT_NULL(test, strstr(body, "  qset 0 at "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(body, "  qset 1 at "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(body, "  qset 2 at "));
	KUNIT_EXPECT_NULL(test, strstr(body, "  qset 3 at "));
	KUNIT_EXPECT_EQ(test, scullv_kunit_check_body(test, dev->store, body, hashing), 3);
}

/* The index of the device, and the geometry in use, not the pending one. */
static void scullv_dump_index_and_geometry(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	bool hashing;
	char *dump;

	dev->index = 3;
	scullv_kunit_fwrite_pattern(test, file, 0, 5000, 21);
	KUNIT_ASSERT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTORDER, 1), 0);
	KUNIT_ASSERT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTQSET, 7), 0);
	dump = scullv_kunit_dump(test, dev, &hashing);
	KUNIT_EXPECT_STREQ(test, strsep(&dump, "\n"), "Device 3: qset 3, order 0, sz 5000");

	KUNIT_ASSERT_EQ(test, scullv_kunit_trim(dev), 0);
	dump = scullv_kunit_dump(test, dev, &hashing);
	KUNIT_EXPECT_STREQ(test, dump, "Device 3: qset 7, order 1, sz 0\n");
}

/* The driver's own devices have their dump in debugfs. */
static void scullv_dump_debugfs_file(struct kunit *test)
{
	struct dentry *dir, *file;

	if (!IS_ENABLED(CONFIG_DEBUG_FS))
		kunit_skip(test, "no CONFIG_DEBUG_FS");
	dir = debugfs_lookup("scullv", NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dir);
	file = debugfs_lookup("scullvmem", dir);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, file);
	dput(file);
	dput(dir);
}

static struct kunit_case scullv_dump_cases[] = {
	KUNIT_CASE(scullv_dump_book_example),
	KUNIT_CASE(scullv_dump_sets_and_holes),
	KUNIT_CASE(scullv_dump_index_and_geometry),
	KUNIT_CASE(scullv_dump_debugfs_file),
	{}
};

static struct kunit_suite scullv_dump_suite = {
	.name = "scullv_dump",
	.test_cases = scullv_dump_cases,
};

/* ---- scullv_mmap: the fault handler ----------------------------------- */

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
static void scullv_mmap_read_back(struct kunit *test)
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
static void scullv_mmap_quantum_pages(struct kunit *test)
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
static void scullv_mmap_write_through(struct kunit *test)
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
static void scullv_mmap_offset(struct kunit *test)
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
 * Past the last page of the data the fault handler has no page (SIGBUS
 * for a user, a failed copy here); a hole before it is filled with a
 * zeroed quantum.
 */
static void scullv_mmap_past_end(struct kunit *test)
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

	/* Quantum 0 was a hole: reading it through the mapping fills it. */
	KUNIT_EXPECT_EQ(test, copy_from_user(&byte, (void __user *)addr, 1), 0);
	KUNIT_EXPECT_EQ(test, byte, 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 2);
	KUNIT_EXPECT_EQ(test, dev->store->size, size);
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, maplen), 0);
}

/* While the device is mapped, trimming it is refused. */
static void scullv_mmap_blocks_trim(struct kunit *test)
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

static struct kunit_case scullv_mmap_cases[] = {
	KUNIT_CASE_PARAM(scullv_mmap_read_back, scullv_kunit_map_order_gen_params),
	KUNIT_CASE_PARAM(scullv_mmap_quantum_pages, scullv_kunit_map_order_gen_params),
	KUNIT_CASE_PARAM(scullv_mmap_write_through, scullv_kunit_map_order_gen_params),
	KUNIT_CASE_PARAM(scullv_mmap_offset, scullv_kunit_map_order_gen_params),
	KUNIT_CASE_PARAM(scullv_mmap_past_end, scullv_kunit_map_order_gen_params),
	KUNIT_CASE(scullv_mmap_blocks_trim),
	{}
};

static struct kunit_suite scullv_mmap_suite = {
	.name = "scullv_mmap",
	.test_cases = scullv_mmap_cases,
};

/* ---- scullv_iomap: the I/O window's ioremap() arithmetic --------------- */

/* What the stubbed ioremap() and iounmap() were asked. */
struct scullv_kunit_ioremap {
	void __iomem *cookie;	/* what the stubbed ioremap() returns */
	unsigned int maps, unmaps;
	phys_addr_t phys;
	size_t len;
	void __iomem *unmapped;
};

static void __iomem *scullv_kunit_ioremap_pages(phys_addr_t phys, size_t len)
{
	struct scullv_kunit_ioremap *rec = kunit_get_current_test()->priv;

	rec->maps++;
	rec->phys = phys;
	rec->len = len;
	return rec->cookie;
}

static void scullv_kunit_iounmap_pages(void __iomem *addr)
{
	struct scullv_kunit_ioremap *rec = kunit_get_current_test()->priv;

	rec->unmaps++;
	rec->unmapped = addr;
}

static struct scullv_kunit_ioremap *scullv_kunit_stub_ioremap(struct kunit *test,
							      void __iomem *cookie)
{
	struct scullv_kunit_ioremap *rec = kunit_kzalloc(test, sizeof(*rec), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rec);
	rec->cookie = cookie;
	test->priv = rec;
	kunit_activate_static_stub(test, scullv_ioremap_pages, scullv_kunit_ioremap_pages);
	kunit_activate_static_stub(test, scullv_iounmap_pages, scullv_kunit_iounmap_pages);
	return rec;
}

struct scullv_kunit_iomap_case {
	const char *desc;
	phys_addr_t phys;
	size_t size;
	phys_addr_t map_phys;	/* what ioremap() must be asked for */
	size_t map_len;
};

#define SCULLV_KUNIT_IOBASE	((phys_addr_t)SZ_1G)
#define SCULLV_KUNIT_TOP_PAGE	((phys_addr_t)0 - PAGE_SIZE)

static const struct scullv_kunit_iomap_case scullv_kunit_iomap_cases[] = {
	{ "one aligned page", SCULLV_KUNIT_IOBASE, PAGE_SIZE,
	  SCULLV_KUNIT_IOBASE, PAGE_SIZE },
	{ "aligned pages", SCULLV_KUNIT_IOBASE, 3 * PAGE_SIZE,
	  SCULLV_KUNIT_IOBASE, 3 * PAGE_SIZE },
	{ "inside one page", SCULLV_KUNIT_IOBASE + 0x123, 0x100,
	  SCULLV_KUNIT_IOBASE, PAGE_SIZE },
	{ "last byte of a page", SCULLV_KUNIT_IOBASE + PAGE_SIZE - 1, 1,
	  SCULLV_KUNIT_IOBASE, PAGE_SIZE },
	{ "two bytes across pages", SCULLV_KUNIT_IOBASE + PAGE_SIZE - 1, 2,
	  SCULLV_KUNIT_IOBASE, 2 * PAGE_SIZE },
	{ "unaligned start and end", SCULLV_KUNIT_IOBASE + PAGE_SIZE + 0x234,
	  2 * PAGE_SIZE + 0x100, SCULLV_KUNIT_IOBASE + PAGE_SIZE, 3 * PAGE_SIZE },
	{ "unaligned start, aligned end", SCULLV_KUNIT_IOBASE + 0x800, PAGE_SIZE + 0x800,
	  SCULLV_KUNIT_IOBASE, 2 * PAGE_SIZE },
	{ "top page of the address space", SCULLV_KUNIT_TOP_PAGE + 5, PAGE_SIZE - 5,
	  SCULLV_KUNIT_TOP_PAGE, PAGE_SIZE },
};

KUNIT_ARRAY_PARAM_DESC(scullv_kunit_iomap, scullv_kunit_iomap_cases, desc);

/* ioremap() is asked for whole pages; the cookie points at the first byte. */
static void scullv_iomap_page_arithmetic(struct kunit *test)
{
	const struct scullv_kunit_iomap_case *c = test->param_value;
	void *fake = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	void __iomem *cookie = (void __force __iomem *)fake;
	struct scullv_kunit_ioremap *rec;
	struct scullv_iomap map;

	KUNIT_ASSERT_NOT_NULL(test, fake);
	rec = scullv_kunit_stub_ioremap(test, cookie);
	KUNIT_ASSERT_EQ(test, scullv_iomap(&map, c->phys, c->size), 0);
	KUNIT_EXPECT_EQ(test, rec->maps, 1);
	KUNIT_EXPECT_EQ(test, rec->phys, c->map_phys);
	KUNIT_EXPECT_EQ(test, rec->len, c->map_len);
	KUNIT_EXPECT_EQ(test, rec->phys & ~PAGE_MASK, 0);
	KUNIT_EXPECT_EQ(test, rec->len & ~PAGE_MASK, 0);
	KUNIT_EXPECT_EQ(test, (uintptr_t)map.base, (uintptr_t)cookie);
	KUNIT_EXPECT_EQ(test, (uintptr_t)map.virt,
			(uintptr_t)cookie + (uintptr_t)(c->phys - c->map_phys));
	KUNIT_EXPECT_EQ(test, map.phys, c->phys);
	KUNIT_EXPECT_EQ(test, map.size, c->size);

	scullv_iounmap(&map);
	KUNIT_EXPECT_EQ(test, rec->unmaps, 1);
	KUNIT_EXPECT_EQ(test, (uintptr_t)rec->unmapped, (uintptr_t)cookie);
}

/* Empty ranges and ranges that wrap around are refused before ioremap(). */
static void scullv_iomap_bad_ranges(struct kunit *test)
{
	struct scullv_kunit_ioremap *rec = scullv_kunit_stub_ioremap(test, NULL);
	struct scullv_iomap map;

	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, SCULLV_KUNIT_IOBASE, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, SCULLV_KUNIT_TOP_PAGE, 2 * PAGE_SIZE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, SCULLV_KUNIT_TOP_PAGE + 1, PAGE_SIZE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, SCULLV_KUNIT_IOBASE, SIZE_MAX), -EINVAL);
	/* No wrap, but the mapping would not fit in a size_t. */
	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, 1, SIZE_MAX - PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, rec->maps, 0);
	KUNIT_EXPECT_EQ(test, rec->unmaps, 0);
}

/* A failed ioremap() is -ENOMEM, with nothing to unmap. */
static void scullv_iomap_ioremap_fails(struct kunit *test)
{
	struct scullv_kunit_ioremap *rec = scullv_kunit_stub_ioremap(test, NULL);
	struct scullv_iomap map;

	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, SCULLV_KUNIT_IOBASE + 0x10, 0x20), -ENOMEM);
	KUNIT_EXPECT_EQ(test, rec->maps, 1);
	KUNIT_EXPECT_EQ(test, rec->unmaps, 0);
}

static ssize_t scullv_kunit_iowrite(struct scullv_iomap *map, loff_t pos,
				    const void *buf, size_t len)
{
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, len);
	return scullv_iomap_write(map, &pos, &iter);
}

static ssize_t scullv_kunit_ioread(struct scullv_iomap *map, loff_t pos, void *buf,
				   size_t len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, len);
	return scullv_iomap_read(map, &pos, &iter);
}

/*
 * Write and read a window whose memory, from the start of its first page,
 * is @mem (@maplen bytes): every byte lands @lead bytes further on, the
 * bytes around the window stay as they were, and the ends are kept.
 */
static void scullv_kunit_window_io(struct kunit *test, struct scullv_iomap *map,
				   u8 *mem, size_t lead, size_t maplen)
{
	size_t size = map->size;
	u8 *buf = scullv_kunit_buf(test, size + 16);

	KUNIT_ASSERT_LE(test, lead + size, maplen);
	memset(mem, 0xa5, maplen);
	scullv_kunit_fill(buf, 0, size, 25);
	KUNIT_EXPECT_EQ(test, scullv_kunit_iowrite(map, 0, buf, size), (ssize_t)size);
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(mem + lead, 0, size, 25), -1L);
	KUNIT_EXPECT_NULL(test, memchr_inv(mem, 0xa5, lead));
	KUNIT_EXPECT_NULL(test, memchr_inv(mem + lead + size, 0xa5, maplen - lead - size));

	memset(buf, 0, size);
	KUNIT_EXPECT_EQ(test, scullv_kunit_ioread(map, 0, buf, size + 16), (ssize_t)size);
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(buf, 0, size, 25), -1L);
	KUNIT_EXPECT_EQ(test, scullv_kunit_ioread(map, size, buf, 1), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_ioread(map, size - 3, buf, 10), 3);
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(buf, size - 3, 3, 25), -1L);

	KUNIT_EXPECT_EQ(test, scullv_kunit_iowrite(map, size, buf, 1), -ENOSPC);
	KUNIT_EXPECT_EQ(test, scullv_kunit_iowrite(map, size + PAGE_SIZE, buf, 1), -ENOSPC);
	memset(buf, 0x3c, 10);
	KUNIT_EXPECT_EQ(test, scullv_kunit_iowrite(map, size - 4, buf, 10), 4);
	KUNIT_EXPECT_NULL(test, memchr_inv(mem + lead + size - 4, 0x3c, 4));
	KUNIT_EXPECT_NULL(test, memchr_inv(mem + lead + size, 0xa5, maplen - lead - size));
}

#ifdef CONFIG_INDIRECT_IOMEM
/*
 * On UML, ioremap() reaches emulated I/O memory through logic_iomem: a
 * region of physical addresses, clear of virt-pci's, backed by a buffer.
 */
#define SCULLV_KUNIT_REGION_BASE	0x80000000
#define SCULLV_KUNIT_REGION_SIZE	SZ_64K

static u8 scullv_kunit_region_mem[SCULLV_KUNIT_REGION_SIZE];

static struct resource scullv_kunit_region = {
	.name	= "scullv-kunit",
	.start	= SCULLV_KUNIT_REGION_BASE,
	.end	= SCULLV_KUNIT_REGION_BASE + SCULLV_KUNIT_REGION_SIZE - 1,
	.flags	= IORESOURCE_MEM,
};

/* What the region's callbacks saw, for the one mapping at a time. */
static struct {
	unsigned int maps, unmaps, strays;
	unsigned long offset;	/* into the region, of the last map() */
	size_t size;		/* of the last map() */
	void *unmapped;		/* priv of the last unmap() */
} scullv_kunit_region_log;

/* Is [@offset, @offset + @size) inside the mapping?  Count it if not. */
static bool scullv_kunit_region_inside(unsigned int offset, int size)
{
	if (size >= 0 && offset + size <= scullv_kunit_region_log.size)
		return true;
	scullv_kunit_region_log.strays++;
	return false;
}

static unsigned long scullv_kunit_region_read(void *priv, unsigned int offset, int size)
{
	unsigned long val = 0;

	if (scullv_kunit_region_inside(offset, size))
		memcpy(&val, priv + offset, size);
	return val;
}

static void scullv_kunit_region_write(void *priv, unsigned int offset, int size,
				      unsigned long val)
{
	if (scullv_kunit_region_inside(offset, size))
		memcpy(priv + offset, &val, size);
}

static void scullv_kunit_region_set(void *priv, unsigned int offset, u8 value, int size)
{
	if (scullv_kunit_region_inside(offset, size))
		memset(priv + offset, value, size);
}

static void scullv_kunit_region_copy_from(void *priv, void *buffer, unsigned int offset,
					  int size)
{
	if (scullv_kunit_region_inside(offset, size))
		memcpy(buffer, priv + offset, size);
}

static void scullv_kunit_region_copy_to(void *priv, unsigned int offset, const void *buffer,
					int size)
{
	if (scullv_kunit_region_inside(offset, size))
		memcpy(priv + offset, buffer, size);
}

static void scullv_kunit_region_unmap(void *priv)
{
	scullv_kunit_region_log.unmaps++;
	scullv_kunit_region_log.unmapped = priv;
}

static const struct logic_iomem_ops scullv_kunit_region_ops = {
	.read		= scullv_kunit_region_read,
	.write		= scullv_kunit_region_write,
	.set		= scullv_kunit_region_set,
	.copy_from	= scullv_kunit_region_copy_from,
	.copy_to	= scullv_kunit_region_copy_to,
	.unmap		= scullv_kunit_region_unmap,
};

static long scullv_kunit_region_map(unsigned long offset, size_t size,
				    const struct logic_iomem_ops **ops, void **priv)
{
	scullv_kunit_region_log.maps++;
	scullv_kunit_region_log.offset = offset;
	scullv_kunit_region_log.size = size;
	if (offset > SCULLV_KUNIT_REGION_SIZE || size > SCULLV_KUNIT_REGION_SIZE - offset)
		return -EINVAL;
	*ops = &scullv_kunit_region_ops;
	*priv = scullv_kunit_region_mem + offset;
	return 0;
}

static const struct logic_iomem_region_ops scullv_kunit_region_map_ops = {
	.map = scullv_kunit_region_map,
};

KUNIT_DEFINE_ACTION_WRAPPER(scullv_kunit_iounmap, scullv_iounmap, struct scullv_iomap *);

/*
 * Map @size bytes at @lead bytes into page @page of the region.  A region
 * cannot be unregistered: it is registered once per boot, and only by a
 * built-in test, which cannot be unloaded from under it.
 */
static struct scullv_iomap *scullv_kunit_region_iomap(struct kunit *test, unsigned int page,
						      size_t lead, size_t size)
{
	static bool registered;
	struct scullv_iomap *map;

	if (!IS_BUILTIN(CONFIG_SCULLV_KUNIT_TEST))
		kunit_skip(test, "a logic_iomem region outlives a test module");
	if (!registered) {
		KUNIT_ASSERT_EQ(test, logic_iomem_add_region(&scullv_kunit_region,
							     &scullv_kunit_region_map_ops), 0);
		registered = true;
	}
	memset(&scullv_kunit_region_log, 0, sizeof(scullv_kunit_region_log));
	map = kunit_kzalloc(test, sizeof(*map), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_ASSERT_EQ(test, scullv_iomap(map, SCULLV_KUNIT_REGION_BASE + page * PAGE_SIZE +
					   lead, size), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, scullv_kunit_iounmap, map), 0);
	return map;
}
#endif /* CONFIG_INDIRECT_IOMEM */

/* Bytes written to the window land at the right offsets of the memory. */
static void scullv_iomap_window_io(struct kunit *test)
{
	const size_t lead = 0x234, size = 2 * PAGE_SIZE + 0x100;
	const size_t maplen = 3 * PAGE_SIZE;
	struct scullv_iomap *map;
	u8 *mem;

#ifdef CONFIG_INDIRECT_IOMEM
	map = scullv_kunit_region_iomap(test, 1, lead, size);
	mem = scullv_kunit_region_mem + scullv_kunit_region_log.offset;
	KUNIT_ASSERT_EQ(test, scullv_kunit_region_log.size, maplen);
#else
	/* Elsewhere a kernel buffer stands in for I/O memory. */
	mem = kunit_kzalloc(test, maplen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	scullv_kunit_stub_ioremap(test, (void __force __iomem *)mem);
	map = kunit_kzalloc(test, sizeof(*map), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_ASSERT_EQ(test, scullv_iomap(map, SCULLV_KUNIT_IOBASE + PAGE_SIZE + lead, size),
			0);
#endif
	scullv_kunit_window_io(test, map, mem, lead, maplen);
}

/*
 * End to end on UML: ioremap() through logic_iomem asks the region for the
 * whole pages, data lands at the right offsets of the region's memory, and
 * iounmap() undoes the mapping.
 */
static void scullv_iomap_logic_iomem(struct kunit *test)
{
#ifdef CONFIG_INDIRECT_IOMEM
	const size_t lead = PAGE_SIZE - 1, size = PAGE_SIZE + 2;
	struct scullv_iomap *map;
	u8 *mem;

	map = scullv_kunit_region_iomap(test, 4, lead, size);
	KUNIT_EXPECT_EQ(test, scullv_kunit_region_log.maps, 1);
	KUNIT_EXPECT_EQ(test, scullv_kunit_region_log.offset, 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, scullv_kunit_region_log.size, 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, (uintptr_t)map->virt - (uintptr_t)map->base, lead);
	KUNIT_EXPECT_EQ(test, (uintptr_t)map->base & ~PAGE_MASK, 0);

	mem = scullv_kunit_region_mem + 4 * PAGE_SIZE;
	scullv_kunit_window_io(test, map, mem, lead, 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, scullv_kunit_region_log.strays, 0);

	kunit_release_action(test, scullv_kunit_iounmap, map);
	KUNIT_EXPECT_EQ(test, scullv_kunit_region_log.unmaps, 1);
	KUNIT_EXPECT_PTR_EQ(test, scullv_kunit_region_log.unmapped, (void *)mem);
#else
	kunit_skip(test, "no I/O memory to map in a KUnit boot; the boot test maps memmap= RAM");
#endif
}

static struct kunit_case scullv_iomap_cases[] = {
	KUNIT_CASE_PARAM(scullv_iomap_page_arithmetic, scullv_kunit_iomap_gen_params),
	KUNIT_CASE(scullv_iomap_bad_ranges),
	KUNIT_CASE(scullv_iomap_ioremap_fails),
	KUNIT_CASE(scullv_iomap_window_io),
	KUNIT_CASE(scullv_iomap_logic_iomem),
	{}
};

static struct kunit_suite scullv_iomap_suite = {
	.name = "scullv_iomap",
	.test_cases = scullv_iomap_cases,
};

kunit_test_suites(&scullv_store_suite, &scullv_fops_suite, &scullv_rounding_suite,
		  &scullv_atomic_suite, &scullv_ioctl_suite, &scullv_llseek_suite,
		  &scullv_dump_suite, &scullv_mmap_suite, &scullv_iomap_suite);

MODULE_DESCRIPTION("KUnit tests for the scullv driver");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
