// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of scullv's file operations: reads and writes through the
 * VFS with kernel and user buffers, faulting user buffers, the size limit,
 * O_APPEND writes, allocation failures and the gfp mask of the write path;
 * llseek; and what opening the device with each set of open(2) flags
 * trims, through the driver's real ->open().
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/splice.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "scullv_kunit.h"

/* ---- scullv_fops: the file operations --------------------------------- */

/* kernel_write(), kernel_read() and vfs_llseek() on a real file. */
static void fops_test_kernel_rw(struct kunit *test)
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
static void fops_test_user_buffers(struct kunit *test)
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

/* A write from a user buffer that faults gives a short count, or -EFAULT. */
static void fops_test_user_fault_write(struct kunit *test)
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
}

/* A read into a user buffer that faults gives a short count, or -EFAULT. */
static void fops_test_user_fault_read(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	void __user *ubuf = scullv_kunit_umem(test, 2 * PAGE_SIZE);

	/* The second page of the buffer goes away. */
	KUNIT_ASSERT_EQ(test, vm_munmap((unsigned long)ubuf + PAGE_SIZE, PAGE_SIZE), 0);
	scullv_kunit_fwrite_pattern(test, file, 0, 2 * PAGE_SIZE, 12);

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
static void fops_test_user_fault_whole_quantum(struct kunit *test)
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
static void fops_test_write_limit(struct kunit *test)
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
static void fops_test_append(struct kunit *test)
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
static void fops_test_empty_write(struct kunit *test)
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
static void fops_test_vmalloc_failure(struct kunit *test)
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

struct scullv_kunit_gfp_case {
	const char *desc;
	loff_t pos;
	size_t len;
	bool zeroed;	/* the new quantum is asked for with __GFP_ZERO */
};

/* One-page quanta: a part of one, and the whole of the next. */
static const struct scullv_kunit_gfp_case scullv_kunit_gfp_cases[] = {
	{ "part of a new quantum, zeroed", 100, 10, true },
	{ "the whole of a new quantum, not zeroed", PAGE_SIZE, PAGE_SIZE, false },
};

KUNIT_ARRAY_PARAM_DESC(scullv_kunit_gfp, scullv_kunit_gfp_cases, desc);

/*
 * A write through the file asks for its quantum with a mask that charges
 * the writer's memory cgroup (__GFP_ACCOUNT) and may sleep, and with
 * neither of the reclaim modifiers that vmalloc() does not support
 * (__GFP_RETRY_MAYFAIL, __GFP_NORETRY); on both allocation paths.
 */
static void fops_test_write_gfp(struct kunit *test)
{
	const struct scullv_kunit_gfp_case *param = test->param_value;
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	struct scullv_kunit_vfail *vfail = scullv_kunit_fail_vmalloc(test, 0);
	gfp_t gfp;

	scullv_kunit_fwrite_pattern(test, file, param->pos, param->len, 28);
	KUNIT_ASSERT_EQ(test, vfail->calls, 1);
	gfp = vfail->gfp[0];
	KUNIT_EXPECT_TRUE_MSG(test, gfp & __GFP_ACCOUNT, "gfp %pGg", &gfp);
	KUNIT_EXPECT_FALSE_MSG(test, gfp & __GFP_RETRY_MAYFAIL, "gfp %pGg", &gfp);
	KUNIT_EXPECT_FALSE_MSG(test, gfp & __GFP_NORETRY, "gfp %pGg", &gfp);
	KUNIT_EXPECT_TRUE_MSG(test, gfpflags_allow_blocking(gfp), "gfp %pGg", &gfp);
	/* The write took the allocation path that the parameter is about. */
	KUNIT_EXPECT_EQ_MSG(test, !!(gfp & __GFP_ZERO), param->zeroed, "gfp %pGg", &gfp);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 1);
	scullv_kunit_expect_pattern(test, dev->store, param->pos, param->len, 28);
}

/*
 * The slot array of a quantum set that a write through the file creates
 * is charged to the writer's memory cgroup, like the set's quanta.
 */
static void fops_test_write_set_gfp(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	struct scullv_kunit_zlog *zlog = scullv_kunit_log_zalloc(test);
	gfp_t gfp;

	/* Quantum 4: slot 1 of set 1, which does not exist yet. */
	scullv_kunit_fwrite_pattern(test, file, 4 * PAGE_SIZE + 3, 10, 32);
	KUNIT_ASSERT_EQ(test, zlog->calls, 1);
	KUNIT_EXPECT_EQ(test, zlog->size[0], 3 * sizeof(void *));
	gfp = zlog->gfp[0];
	KUNIT_EXPECT_TRUE_MSG(test, gfp & __GFP_ACCOUNT, "gfp %pGg", &gfp);
	KUNIT_EXPECT_TRUE_MSG(test, gfpflags_allow_blocking(gfp), "gfp %pGg", &gfp);
	KUNIT_EXPECT_NOT_NULL(test, scullv_kunit_slot(dev->store, 1, 1));
	scullv_kunit_expect_pattern(test, dev->store, 4 * PAGE_SIZE + 3, 10, 32);
}

static struct kunit_case scullv_fops_cases[] = {
	KUNIT_CASE(fops_test_kernel_rw),
	KUNIT_CASE(fops_test_user_buffers),
	KUNIT_CASE(fops_test_user_fault_write),
	KUNIT_CASE(fops_test_user_fault_read),
	KUNIT_CASE(fops_test_user_fault_whole_quantum),
	KUNIT_CASE(fops_test_write_limit),
	KUNIT_CASE(fops_test_append),
	KUNIT_CASE(fops_test_empty_write),
	KUNIT_CASE(fops_test_vmalloc_failure),
	KUNIT_CASE_PARAM(fops_test_write_gfp, scullv_kunit_gfp_gen_params),
	KUNIT_CASE(fops_test_write_set_gfp),
	{}
};

static struct kunit_suite scullv_fops_suite = {
	.name = "scullv_fops",
	.test_cases = scullv_fops_cases,
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

static void llseek_test_set(struct kunit *test)
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

static void llseek_test_cur(struct kunit *test)
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

static void llseek_test_end(struct kunit *test)
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
static void llseek_test_data_hole(struct kunit *test)
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
	KUNIT_CASE(llseek_test_set),
	KUNIT_CASE(llseek_test_cur),
	KUNIT_CASE(llseek_test_end),
	KUNIT_CASE(llseek_test_data_hole),
	{}
};

static struct kunit_suite scullv_llseek_suite = {
	.name = "scullv_llseek",
	.test_cases = scullv_llseek_cases,
};

/* ---- scullv_open: what an open trims ---------------------------------- */

/*
 * Open @dev through the driver's own ->open(), as do_dentry_open() would
 * for an open(2) with @flags: an inode whose i_cdev is the device's cdev,
 * a file with those flags and the FMODE_READ/FMODE_WRITE of their access
 * mode.  The VFS knows neither: the driver's ->open() looks only at
 * i_cdev, f_flags and f_mode, and sets private_data.  Returns the file,
 * with ->open()'s result in @ret.
 */
static struct file *scullv_kunit_open(struct kunit *test, struct scullv_dev *dev,
				      int flags, int *ret)
{
	struct inode *inode = kunit_kzalloc(test, sizeof(*inode), GFP_KERNEL);
	struct file *file = kunit_kzalloc(test, sizeof(*file), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, inode);
	KUNIT_ASSERT_NOT_NULL(test, file);
	KUNIT_ASSERT_NOT_NULL(test, scullv_fops.open);
	inode->i_mode = S_IFCHR | 0600;
	inode->i_cdev = &dev->cdev;
	/* do_sys_openat2() adds O_LARGEFILE; alloc_empty_file() sets these. */
	file->f_flags = flags | (force_o_largefile() ? O_LARGEFILE : 0);
	file->f_mode = OPEN_FMODE(flags) | FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	file->f_inode = inode;
	file->f_op = &scullv_fops;

	*ret = scullv_fops.open(inode, file);

	/* What do_dentry_open() does once ->open() has succeeded. */
	file->f_flags &= ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC);
	file->f_iocb_flags = iocb_flags(file);
	return file;
}

struct scullv_kunit_open_case {
	const char *desc;
	int flags;	/* of open(2) */
	bool trims;
};

static const struct scullv_kunit_open_case scullv_kunit_open_cases[] = {
	{ "O_WRONLY|O_CREAT|O_APPEND (a shell's >>) keeps",
	  O_WRONLY | O_CREAT | O_APPEND, false },
	{ "O_WRONLY trims", O_WRONLY, true },
	{ "O_WRONLY|O_TRUNC trims", O_WRONLY | O_TRUNC, true },
	{ "O_RDWR|O_TRUNC trims", O_RDWR | O_TRUNC, true },
	{ "O_RDWR|O_APPEND keeps", O_RDWR | O_APPEND, false },
	{ "O_RDONLY keeps", O_RDONLY, false },
	{ "O_RDONLY|O_TRUNC keeps: no write access", O_RDONLY | O_TRUNC, false },
	{ "O_RDWR keeps", O_RDWR, false },
};

KUNIT_ARRAY_PARAM_DESC(scullv_kunit_open, scullv_kunit_open_cases, desc);

/*
 * Opening write-only without O_APPEND trims, as in the book, and so does
 * O_TRUNC with write access (not without); O_APPEND never trims, and
 * neither do read-only and read-write opens.
 */
static void open_test_trim_by_flags(struct kunit *test)
{
	const struct scullv_kunit_open_case *param = test->param_value;
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *anon = scullv_kunit_file(test, dev);
	const size_t len = 2 * PAGE_SIZE + 10;	/* three quanta */
	struct file *file;
	loff_t pos = 0;
	u8 byte;
	int ret;

	scullv_kunit_fwrite_pattern(test, anon, 0, len, 26);
	file = scullv_kunit_open(test, dev, param->flags, &ret);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_PTR_EQ(test, file->private_data, (void *)dev);

	if (param->trims) {
		KUNIT_EXPECT_EQ(test, dev->store->size, 0);
		KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 0);
		KUNIT_EXPECT_EQ(test, kernel_read(anon, &byte, 1, &pos), 0);
	} else {
		KUNIT_EXPECT_EQ(test, dev->store->size, (loff_t)len);
		KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dev->store), 3);
		scullv_kunit_expect_pattern(test, dev->store, 0, len, 26);
	}
}

/* After an O_APPEND open that kept the data, a write lands at the end. */
static void open_test_append_write_lands_at_end(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *anon = scullv_kunit_file(test, dev);
	const size_t len = PAGE_SIZE + 100;
	u8 abc[3] = { 'a', 'b', 'c' }, got[3];
	struct kvec kv = { .iov_base = abc, .iov_len = sizeof(abc) };
	struct iov_iter iter;
	struct kiocb kiocb;
	struct file *file;
	loff_t pos = len;
	int ret;

	scullv_kunit_fwrite_pattern(test, anon, 0, len, 27);
	file = scullv_kunit_open(test, dev, O_WRONLY | O_CREAT | O_APPEND, &ret);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ_MSG(test, dev->store->size, (loff_t)len, "the open trimmed");

	init_sync_kiocb(&kiocb, file);
	KUNIT_ASSERT_TRUE(test, kiocb.ki_flags & IOCB_APPEND);
	kiocb.ki_pos = 0;	/* where an open leaves the position */
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, sizeof(abc));
	KUNIT_ASSERT_NOT_NULL(test, scullv_fops.write_iter);
	KUNIT_ASSERT_EQ(test, scullv_fops.write_iter(&kiocb, &iter), 3);
	KUNIT_EXPECT_EQ(test, kiocb.ki_pos, (loff_t)len + 3);
	KUNIT_EXPECT_EQ(test, dev->store->size, (loff_t)len + 3);
	scullv_kunit_expect_pattern(test, dev->store, 0, len, 27);
	KUNIT_ASSERT_EQ(test, scullv_kunit_sread(dev->store, &pos, got, sizeof(got)), 3);
	KUNIT_EXPECT_MEMEQ(test, got, abc, sizeof(abc));
}

static struct kunit_case scullv_open_cases[] = {
	KUNIT_CASE_PARAM(open_test_trim_by_flags, scullv_kunit_open_gen_params),
	KUNIT_CASE(open_test_append_write_lands_at_end),
	{}
};

static struct kunit_suite scullv_open_suite = {
	.name = "scullv_open",
	.test_cases = scullv_open_cases,
};

kunit_test_suites(&scullv_fops_suite, &scullv_llseek_suite, &scullv_open_suite);

/* ---- splice_read and splice_write --------------------------------------- */

/*
 * Data, a hole and a partial quantum: [0, PAGE_SIZE + 100) and
 * [3 * PAGE_SIZE + 10, 3 * PAGE_SIZE + 60) of an order-0 device, so that
 * quantum 2 is a hole and most of quantum 1 reads as zeros.
 */
static struct file *scullv_kunit_splice_src(struct kunit *test, struct scullv_dev **dev,
					    loff_t *size)
{
	struct file *file;

	*dev = scullv_kunit_dev(test, 0, 2);
	file = scullv_kunit_file(test, *dev);
	scullv_kunit_fwrite_pattern(test, file, 0, PAGE_SIZE + 100, 41);
	scullv_kunit_fwrite_pattern(test, file, 3 * PAGE_SIZE + 10, 50, 42);
	*size = 3 * PAGE_SIZE + 60;
	KUNIT_ASSERT_EQ(test, (*dev)->store->size, *size);
	KUNIT_ASSERT_EQ(test, scullv_kunit_nquanta((*dev)->store), 3);
	return file;
}

/*
 * sendfile()'s path, do_splice_direct(), from one device into another:
 * splice_read and splice_write together move what read() would, holes
 * as zeros, and splicing leaves the source's holes alone.
 */
static void splice_test_device_to_device(struct kunit *test)
{
	struct scullv_dev *src, *dst = scullv_kunit_dev(test, 2, 3);
	struct file *in, *out = scullv_kunit_file(test, dst);
	loff_t size, ipos = 5, opos = 0, pos;
	u8 *want, *got;
	size_t len;

	in = scullv_kunit_splice_src(test, &src, &size);
	len = size - ipos;
	want = scullv_kunit_buf(test, 8 * PAGE_SIZE);
	got = scullv_kunit_buf(test, 8 * PAGE_SIZE);
	pos = ipos;
	KUNIT_ASSERT_EQ(test, kernel_read(in, want, 8 * PAGE_SIZE, &pos), (ssize_t)len);

	KUNIT_ASSERT_EQ(test, do_splice_direct(in, &ipos, out, &opos, 8 * PAGE_SIZE, 0),
			(ssize_t)len);
	KUNIT_EXPECT_EQ(test, ipos, size);
	KUNIT_EXPECT_EQ(test, opos, (loff_t)len);
	KUNIT_EXPECT_EQ(test, dst->store->size, (loff_t)len);
	pos = 0;
	KUNIT_ASSERT_EQ(test, scullv_kunit_sread(dst->store, &pos, got, 8 * PAGE_SIZE),
			(ssize_t)len);
	KUNIT_EXPECT_MEMEQ(test, got, want, len);
	KUNIT_EXPECT_NULL(test, memchr_inv(got + PAGE_SIZE + 95, 0, 2 * PAGE_SIZE - 90));
	KUNIT_EXPECT_EQ_MSG(test, scullv_kunit_nquanta(src->store), 3,
			    "splicing out of a hole allocated it");
}

/* At and past the end there is nothing to splice, as read() returns 0. */
static void splice_test_past_end(struct kunit *test)
{
	struct scullv_dev *src, *dst = scullv_kunit_dev(test, 0, 2);
	struct file *in, *out = scullv_kunit_file(test, dst);
	loff_t size, ipos, opos = 0;

	in = scullv_kunit_splice_src(test, &src, &size);
	ipos = size;
	KUNIT_EXPECT_EQ(test, do_splice_direct(in, &ipos, out, &opos, PAGE_SIZE, 0), 0);
	ipos = size + 3 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, do_splice_direct(in, &ipos, out, &opos, PAGE_SIZE, 0), 0);
	KUNIT_EXPECT_EQ(test, ipos, size + 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, opos, 0);
	KUNIT_EXPECT_EQ(test, dst->store->size, 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_nquanta(dst->store), 0);
}

/* splice_write stops at the size limit as write() does: short, then -EFBIG. */
static void splice_test_write_limit(struct kunit *test)
{
	struct scullv_dev *src, *dst = scullv_kunit_dev(test, 0, 2);
	struct file *in, *out = scullv_kunit_file(test, dst);
	loff_t size, ipos = 0, opos = 0, max = PAGE_SIZE + 30;

	in = scullv_kunit_splice_src(test, &src, &size);
	dst->max_size = max;
	KUNIT_EXPECT_EQ(test, do_splice_direct(in, &ipos, out, &opos, size, 0), (ssize_t)max);
	KUNIT_EXPECT_EQ(test, opos, max);
	KUNIT_EXPECT_EQ(test, ipos, max);
	KUNIT_EXPECT_EQ(test, dst->store->size, max);
	scullv_kunit_expect_pattern(test, dst->store, 0, max, 41);
	KUNIT_EXPECT_EQ(test, do_splice_direct(in, &ipos, out, &opos, size, 0), -EFBIG);
	KUNIT_EXPECT_EQ(test, dst->store->size, max);
}

static struct kunit_case scullv_splice_cases[] = {
	KUNIT_CASE(splice_test_device_to_device),
	KUNIT_CASE(splice_test_past_end),
	KUNIT_CASE(splice_test_write_limit),
	{}
};

static struct kunit_suite scullv_splice_suite = {
	.name = "scullv_splice",
	.test_cases = scullv_splice_cases,
};

kunit_test_suite(scullv_splice_suite);

/* ---- the device lock: readers in parallel, writers not starved ---------- */

/*
 * One read or write of 100 bytes at offset 0, in a thread of its own.  It
 * lives on the heap and is left allocated if the thread never finishes,
 * so that a failing test never frees memory under it.
 */
struct scullv_kunit_io {
	struct completion done;
	struct file *file;
	bool write;
	ssize_t ret;
	u8 buf[100];
};

static int scullv_kunit_io_fn(void *arg)
{
	struct scullv_kunit_io *io = arg;
	loff_t pos = 0;

	io->ret = io->write ? kernel_write(io->file, io->buf, sizeof(io->buf), &pos)
			    : kernel_read(io->file, io->buf, sizeof(io->buf), &pos);
	/* For every wait to come: a test may wait more than once. */
	complete_all(&io->done);
	return 0;
}

static struct scullv_kunit_io *scullv_kunit_io_start(struct file *file, bool write, u8 seed)
{
	struct scullv_kunit_io *io = kzalloc(sizeof(*io), GFP_KERNEL);
	struct task_struct *task;

	if (!io)
		return NULL;
	init_completion(&io->done);
	io->file = file;
	io->write = write;
	if (write)
		scullv_kunit_fill(io->buf, 0, sizeof(io->buf), seed);
	task = kthread_run(scullv_kunit_io_fn, io, "scullv-kunit-io");
	if (IS_ERR(task)) {
		kfree(io);
		return NULL;
	}
	return io;
}

/* Has @io finished within @ms milliseconds? */
static bool scullv_kunit_io_done(struct scullv_kunit_io *io, unsigned int ms)
{
	return wait_for_completion_timeout(&io->done, msecs_to_jiffies(ms));
}

/* Free @io if its thread is done (within 10 s); else leave it. */
static bool scullv_kunit_io_finish(struct scullv_kunit_io *io)
{
	if (!io)
		return false;
	if (!scullv_kunit_io_done(io, 10000))
		return false;
	return true;
}

/* A read proceeds while another reader holds the lock. */
static void lock_test_readers_in_parallel(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 2);
	struct file *file = scullv_kunit_file(test, dev);
	struct scullv_kunit_io *rd;
	bool done, finished;

	scullv_kunit_fwrite_pattern(test, file, 0, 100, 43);
	down_read(&dev->lock);
	rd = scullv_kunit_io_start(file, false, 0);
	done = rd && scullv_kunit_io_done(rd, 5000);
	up_read(&dev->lock);
	finished = scullv_kunit_io_finish(rd);
	KUNIT_ASSERT_NOT_NULL(test, rd);
	KUNIT_EXPECT_TRUE_MSG(test, done, "a read waited for another reader");
	KUNIT_ASSERT_TRUE_MSG(test, finished, "the reader never finished (left allocated)");
	KUNIT_EXPECT_EQ(test, rd->ret, 100);
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(rd->buf, 0, 100, 43), -1L);
	kfree(rd);
}

/*
 * A writer waits for the reader that holds the lock, and a reader that
 * comes after the writer waits behind it: it reads what the writer wrote.
 */
static void lock_test_writer_not_starved(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 2);
	struct file *file = scullv_kunit_file(test, dev);
	struct scullv_kunit_io *wr, *rd = NULL;
	bool wr_early, rd_early = false, queued = false, wr_fin, rd_fin;
	int i;

	scullv_kunit_fwrite_pattern(test, file, 0, 100, 44);
	down_read(&dev->lock);
	wr = scullv_kunit_io_start(file, true, 45);
	for (i = 0; wr && i < 250 && !queued; i++) {
		queued = rwsem_is_contended(&dev->lock);
		if (!queued)
			msleep(20);
	}
	wr_early = wr && completion_done(&wr->done);
	if (queued) {
		rd = scullv_kunit_io_start(file, false, 0);
		rd_early = rd && scullv_kunit_io_done(rd, 200);
	}
	up_read(&dev->lock);
	wr_fin = scullv_kunit_io_finish(wr);
	rd_fin = scullv_kunit_io_finish(rd);

	KUNIT_ASSERT_NOT_NULL(test, wr);
	KUNIT_EXPECT_FALSE_MSG(test, wr_early, "a write ran beside a reader");
	KUNIT_ASSERT_TRUE_MSG(test, queued, "the writer never waited for the lock");
	KUNIT_ASSERT_NOT_NULL(test, rd);
	KUNIT_EXPECT_FALSE_MSG(test, rd_early, "a reader overtook a waiting writer");
	KUNIT_ASSERT_TRUE_MSG(test, wr_fin && rd_fin, "a thread never finished (left allocated)");
	KUNIT_EXPECT_EQ(test, wr->ret, 100);
	KUNIT_EXPECT_EQ(test, rd->ret, 100);
	KUNIT_EXPECT_EQ(test, scullv_kunit_mismatch(rd->buf, 0, 100, 45), -1L);
	kfree(wr);
	kfree(rd);
}

static struct kunit_case scullv_lock_cases[] = {
	KUNIT_CASE(lock_test_readers_in_parallel),
	KUNIT_CASE(lock_test_writer_not_starved),
	{}
};

static struct kunit_suite scullv_lock_suite = {
	.name = "scullv_lock",
	.test_cases = scullv_lock_cases,
};

kunit_test_suite(scullv_lock_suite);
