// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the scullv KUnit suites: test devices, stores, files and
 * buffers freed with the test, the data pattern, the stub that makes the
 * quantum allocator fail or records its gfp masks, and the window I/O
 * checks.  No suite is here.
 */

#include <kunit/resource.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/anon_inodes.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "scullv_kunit.h"

/*
 * What the stubbed allocator fills memory asked for without __GFP_ZERO
 * with, as recycled pages could be, so that a quantum the driver forgot to
 * zero shows.
 */
#define SCULLV_KUNIT_STALE	0xa5

KUNIT_DEFINE_ACTION_WRAPPER(scullv_kunit_store_free, scullv_store_free,
			    struct scullv_store *);
KUNIT_DEFINE_ACTION_WRAPPER(scullv_kunit_fput, fput, struct file *);
KUNIT_DEFINE_ACTION_WRAPPER(scullv_kunit_vfree, vfree, const void *);

/* An empty store of the given geometry, freed with the test. */
struct scullv_store *scullv_kunit_store(struct kunit *test, unsigned int order,
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

unsigned int scullv_kunit_nmaps(struct scullv_dev *dev)
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
struct scullv_dev *scullv_kunit_dev(struct kunit *test, unsigned int order,
				    unsigned int qset)
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
struct file *scullv_kunit_file(struct kunit *test, struct scullv_dev *dev)
{
	struct file *file;

	file = anon_inode_getfile("scullv-kunit", &scullv_fops, dev, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, scullv_kunit_fput,
							file), 0);
	return file;
}

/* Map @len bytes of @file (anonymous memory if NULL) into the test's mm. */
unsigned long scullv_kunit_mmap(struct kunit *test, struct file *file, size_t len,
				unsigned long prot, loff_t offset)
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
void __user *scullv_kunit_umem(struct kunit *test, size_t len)
{
	return (void __user *)scullv_kunit_mmap(test, NULL, len,
						PROT_READ | PROT_WRITE, 0);
}

/* A zeroed kernel buffer, freed with the test; vmalloc, as some are big. */
u8 *scullv_kunit_buf(struct kunit *test, size_t len)
{
	u8 *buf = vzalloc(len);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, scullv_kunit_vfree, buf), 0);
	return buf;
}

int scullv_kunit_trim(struct scullv_dev *dev)
{
	int ret;

	down_write(&dev->lock);
	ret = scullv_dev_trim(dev);
	up_write(&dev->lock);
	return ret;
}

/* The number of quanta that the store holds. */
unsigned int scullv_kunit_nquanta(struct scullv_store *store)
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

/* Does vmalloc back every page of @len bytes at @addr? */
bool scullv_kunit_backed(const void *addr, size_t len)
{
	size_t off;

	if (!is_vmalloc_addr(addr))
		return false;
	for (off = 0; off < len; off += PAGE_SIZE)
		if (!vmalloc_to_page(addr + off))
			return false;
	return true;
}

void scullv_kunit_fill(u8 *buf, loff_t pos, size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = scullv_kunit_byte(pos + i, seed);
}

/* Index in @buf of the first byte that is not the pattern, or -1. */
long scullv_kunit_mismatch(const u8 *buf, loff_t pos, size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != scullv_kunit_byte(pos + i, seed))
			return i;
	return -1;
}

ssize_t scullv_kunit_swrite(struct scullv_store *store, loff_t pos,
			    const void *buf, size_t len, gfp_t gfp)
{
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, len);
	return scullv_store_write(store, &pos, &iter, gfp);
}

ssize_t scullv_kunit_sread(struct scullv_store *store, loff_t *pos, void *buf,
			   size_t len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, len);
	return scullv_store_read(store, pos, &iter);
}

/* Store the pattern @seed at [@pos, @pos + @len) of @store. */
ssize_t scullv_kunit_swrite_pattern(struct kunit *test, struct scullv_store *store,
				    loff_t pos, size_t len, u8 seed)
{
	u8 *buf = scullv_kunit_buf(test, len);

	scullv_kunit_fill(buf, pos, len, seed);
	return scullv_kunit_swrite(store, pos, buf, len, GFP_KERNEL);
}

/* Expect the pattern @seed at [@pos, @pos + @len) of @store. */
void scullv_kunit_expect_pattern(struct kunit *test, struct scullv_store *store,
				 loff_t pos, size_t len, u8 seed)
{
	u8 *buf = scullv_kunit_buf(test, len);
	loff_t at = pos;

	KUNIT_ASSERT_EQ(test, scullv_kunit_sread(store, &at, buf, len), (ssize_t)len);
	KUNIT_EXPECT_EQ_MSG(test, scullv_kunit_mismatch(buf, pos, len, seed), -1L,
			    "data read at %lld", pos);
}

/* Store the pattern @seed at [@pos, @pos + @len) through kernel_write(). */
void scullv_kunit_fwrite_pattern(struct kunit *test, struct file *file,
				 loff_t pos, size_t len, u8 seed)
{
	u8 *buf = scullv_kunit_buf(test, len);

	scullv_kunit_fill(buf, pos, len, seed);
	KUNIT_ASSERT_EQ(test, kernel_write(file, buf, len, &pos), (ssize_t)len);
}

static void *scullv_kunit_vmalloc_fail(unsigned long size, gfp_t gfp)
{
	struct scullv_kunit_vfail *vfail = kunit_get_current_test()->priv;
	void *area;

	if (vfail->calls < ARRAY_SIZE(vfail->gfp))
		vfail->gfp[vfail->calls] = gfp;
	if (++vfail->calls == vfail->fail_at)
		return NULL;
	if (gfp & __GFP_ZERO)
		vfail->zeroed++;
	area = __vmalloc(size, gfp | __GFP_NOWARN);
	if (area && !(gfp & __GFP_ZERO))
		memset(area, SCULLV_KUNIT_STALE, size);
	return area;
}

/*
 * Redirect scullv_vmalloc_quantum() for the rest of the test: call
 * @fail_at (1 for the first; 0 for none) returns NULL, the others
 * allocate, and the gfp mask of each call is kept.
 */
struct scullv_kunit_vfail *scullv_kunit_fail_vmalloc(struct kunit *test,
						     unsigned int fail_at)
{
	struct scullv_kunit_vfail *vfail = kunit_kzalloc(test, sizeof(*vfail), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vfail);
	vfail->fail_at = fail_at;
	test->priv = vfail;
	kunit_activate_static_stub(test, scullv_vmalloc_quantum, scullv_kunit_vmalloc_fail);
	return vfail;
}

/* The allocators under a staged race: publish the winner, then allocate. */
static void *scullv_kunit_race_vmalloc(unsigned long size, gfp_t gfp)
{
	struct scullv_kunit_race *race = kunit_get_current_test()->priv;
	void **slots = xa_load(&race->store->qsets, race->set);

	if (!race->winner && slots) {
		race->winner = vzalloc(size);
		if (race->winner && cmpxchg(&slots[race->slot], NULL, race->winner)) {
			vfree(race->winner);
			race->winner = NULL;
		}
	}
	race->loser = __vmalloc(size, gfp | __GFP_NOWARN);
	return race->loser;
}

static void *scullv_kunit_race_zalloc(size_t size, gfp_t gfp)
{
	struct scullv_kunit_race *race = kunit_get_current_test()->priv;

	if (!race->winner) {
		race->winner = kvzalloc(size, GFP_KERNEL);
		if (race->winner && xa_insert(&race->store->qsets, race->set, race->winner,
					      GFP_KERNEL)) {
			kvfree(race->winner);
			race->winner = NULL;
		}
	}
	race->loser = kvzalloc(size, gfp);
	return race->loser;
}

/*
 * Stage a race for the quantum at @set, @slot of @store (whose set must
 * exist by the time the quantum is allocated), or with @whole_set for the
 * slot array of set @set (which must not exist yet).
 */
struct scullv_kunit_race *scullv_kunit_stage_race(struct kunit *test,
						  struct scullv_store *store,
						  unsigned long set, unsigned int slot,
						  bool whole_set)
{
	struct scullv_kunit_race *race = kunit_kzalloc(test, sizeof(*race), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, race);
	race->store = store;
	race->set = set;
	race->slot = slot;
	race->whole_set = whole_set;
	test->priv = race;
	if (whole_set)
		kunit_activate_static_stub(test, scullv_zalloc, scullv_kunit_race_zalloc);
	else
		kunit_activate_static_stub(test, scullv_vmalloc_quantum,
					   scullv_kunit_race_vmalloc);
	return race;
}

static void *scullv_kunit_zalloc_log(size_t size, gfp_t gfp)
{
	struct scullv_kunit_zlog *zlog = kunit_get_current_test()->priv;

	if (zlog->calls < ARRAY_SIZE(zlog->gfp)) {
		zlog->size[zlog->calls] = size;
		zlog->gfp[zlog->calls] = gfp;
	}
	zlog->calls++;
	return kvzalloc(size, gfp);
}

/* Redirect scullv_zalloc() for the rest of the test: keep size and mask. */
struct scullv_kunit_zlog *scullv_kunit_log_zalloc(struct kunit *test)
{
	struct scullv_kunit_zlog *zlog = kunit_kzalloc(test, sizeof(*zlog), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, zlog);
	test->priv = zlog;
	kunit_activate_static_stub(test, scullv_zalloc, scullv_kunit_zalloc_log);
	return zlog;
}

void scullv_kunit_order_desc(const unsigned int *order, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "order %u", *order);
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
void scullv_kunit_window_io(struct kunit *test, struct scullv_iomap *map, u8 *mem,
			    size_t lead, size_t maplen)
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

/* Write (ITER_SOURCE) or read (ITER_DEST) @map with a user buffer. */
static ssize_t scullv_kunit_window_uio(struct scullv_iomap *map, int dir, void __user *ubuf,
				       size_t len, loff_t *pos)
{
	struct iov_iter iter;
	int err = import_ubuf(dir, ubuf, len, &iter);

	if (err)
		return err;
	return dir == ITER_SOURCE ? scullv_iomap_write(map, pos, &iter) :
				    scullv_iomap_read(map, pos, &iter);
}

/*
 * Copy between @map (two pages or more) and a user buffer whose second
 * page is gone, both ways: a copy stops short at the hole, and one that
 * cannot move a byte is -EFAULT, with the position left alone.
 */
void scullv_kunit_window_fault(struct kunit *test, struct scullv_iomap *map)
{
	static const int dirs[] = { ITER_SOURCE, ITER_DEST };
	void __user *ubuf = scullv_kunit_umem(test, 2 * PAGE_SIZE);
	unsigned int i;

	KUNIT_ASSERT_GE(test, map->size, 2 * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, vm_munmap((unsigned long)ubuf + PAGE_SIZE, PAGE_SIZE), 0);
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		loff_t pos = 0;

		KUNIT_EXPECT_EQ_MSG(test, scullv_kunit_window_uio(map, dirs[i], ubuf,
								  2 * PAGE_SIZE, &pos),
				    (ssize_t)PAGE_SIZE, "dir %d", dirs[i]);
		KUNIT_EXPECT_EQ(test, pos, PAGE_SIZE);
		KUNIT_EXPECT_EQ_MSG(test, scullv_kunit_window_uio(map, dirs[i], ubuf + PAGE_SIZE,
								  10, &pos),
				    -EFAULT, "dir %d", dirs[i]);
		KUNIT_EXPECT_EQ(test, pos, PAGE_SIZE);
	}
}
