// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of scullv's geometry ioctls: the value and pointer forms,
 * RESET, values out of range, commands that are not scullv's (the book's
 * 'K' numbers among them), bad user pointers, CAP_SYS_ADMIN, the file's
 * native and compat entry points, and the encoding of the commands; the
 * ranges of the module parameters, and RESET going back to their values.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/kd.h>
#include <linux/limits.h>
#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>
#include <uapi/misc/scullv.h>

#include "scullv_kunit.h"

/* The module parameters' defaults, which SCULLV_IOCRESET restores. */
#define SCULLV_KUNIT_DEFAULT_ORDER	4
#define SCULLV_KUNIT_DEFAULT_QSET	500

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
static void ioctl_test_value_forms(struct kunit *test)
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
static void ioctl_test_pointer_forms(struct kunit *test)
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
static void ioctl_test_reset(struct kunit *test)
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

/* What a module parameter held before a test changed it. */
struct scullv_kunit_param {
	int *param;
	int value;
};

static void scullv_kunit_param_restore(void *arg)
{
	struct scullv_kunit_param *saved = arg;

	*saved->param = saved->value;
}

/* Set one of the driver's int module parameters for the rest of the test. */
static void scullv_kunit_set_param(struct kunit *test, int *param, int value)
{
	struct scullv_kunit_param *saved = kunit_kzalloc(test, sizeof(*saved), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, saved);
	saved->param = param;
	saved->value = *param;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, scullv_kunit_param_restore,
							saved), 0);
	*param = value;
}

/* RESET brings back what the module parameters say, not the defaults. */
static void ioctl_test_reset_follows_params(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);

	scullv_kunit_set_param(test, &scullv_order, 6);
	scullv_kunit_set_param(test, &scullv_qset, 77);
	KUNIT_EXPECT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCRESET, 0), 0);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), 6);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), 77);
}

struct scullv_kunit_params_case {
	const char *desc;
	int devs;
	int order;
	int qset;
	unsigned long long max_size;
	int ret;	/* of scullv_check_params() */
};

/* The defaults, each bound, and one step past each (64 devices at most). */
static const struct scullv_kunit_params_case scullv_kunit_params_cases[] = {
	{ "the defaults", 4, 4, 500, SZ_256M, 0 },
	{ "every lower bound", 1, 0, SCULLV_QSET_MIN, PAGE_SIZE, 0 },
	{ "every upper bound", 64, SCULLV_ORDER_MAX, SCULLV_QSET_MAX, MAX_LFS_FILESIZE, 0 },
	{ "no device", 0, 4, 500, SZ_256M, -EINVAL },
	{ "65 devices", 65, 4, 500, SZ_256M, -EINVAL },
	{ "order -1", 4, -1, 500, SZ_256M, -EINVAL },
	{ "order SCULLV_ORDER_MAX + 1", 4, SCULLV_ORDER_MAX + 1, 500, SZ_256M, -EINVAL },
	{ "qset 0", 4, 4, 0, SZ_256M, -EINVAL },
	{ "qset SCULLV_QSET_MAX + 1", 4, 4, SCULLV_QSET_MAX + 1, SZ_256M, -EINVAL },
	{ "max_size a byte short of a page", 4, 4, 500, PAGE_SIZE - 1, -EINVAL },
	{ "max_size a byte past MAX_LFS_FILESIZE", 4, 4, 500,
	  (unsigned long long)MAX_LFS_FILESIZE + 1, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(scullv_kunit_params, scullv_kunit_params_cases, desc);

/* The module parameters are checked at load time, each against its range. */
static void ioctl_test_module_params(struct kunit *test)
{
	const struct scullv_kunit_params_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, scullv_check_params(c->devs, c->order, c->qset, c->max_size),
			c->ret);
}

/* Values out of range are refused and change nothing. */
static void ioctl_test_bad_values(struct kunit *test)
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
static void ioctl_test_unknown_commands(struct kunit *test)
{
	static const unsigned int cmds[] = {
		_IO('k', 2), _IO(0, 0), _IO(SCULLV_IOC_MAGIC + 1, 4),
		_IO(SCULLV_IOC_MAGIC, 13), _IO(SCULLV_IOC_MAGIC, 0xff),
		_IOR(SCULLV_IOC_MAGIC, 2, __u32),	/* T, with a direction */
		_IOW(SCULLV_IOC_MAGIC, 4, __u32),	/* Q, with a direction */
		_IO(SCULLV_IOC_MAGIC, 1),		/* S, without its direction */
		_IOW(SCULLV_IOC_MAGIC, 1, __u64),	/* S, wrong size */
		_IOR(SCULLV_IOC_MAGIC, 3, __u64),	/* G, wrong size */
		_IOWR(SCULLV_IOC_MAGIC, 3, __u32),	/* G, wrong direction */
		_IOR(SCULLV_IOC_MAGIC, 0, __u32),	/* RESET, with a direction */
		_IOW(SCULLV_IOC_MAGIC, 7, __u16),	/* S qset, wrong size */
		_IOR(SCULLV_IOC_MAGIC, 11, __u32),	/* X qset, wrong direction */
		_IOWR(SCULLV_IOC_MAGIC, 12, __u32),	/* H qset, with a direction */
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
static void ioctl_test_bad_pointers(struct kunit *test)
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
static void ioctl_test_needs_cap_sys_admin(struct kunit *test)
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

/* The file's ioctl entry point. */
static void ioctl_test_through_file(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);

	KUNIT_ASSERT_NOT_NULL(test, file->f_op->unlocked_ioctl);
	KUNIT_EXPECT_EQ(test, file->f_op->unlocked_ioctl(file, SCULLV_IOCTQSET, 9), 0);
	KUNIT_EXPECT_EQ(test, file->f_op->unlocked_ioctl(file, SCULLV_IOCQQSET, 0), 9);
	KUNIT_EXPECT_EQ(test, file->f_op->unlocked_ioctl(file, _IO(SCULLV_IOC_MAGIC, 99), 0),
			-ENOTTY);
}

/* The 32-bit entry point: values (T, Q, H) go through unchanged. */
static void ioctl_test_through_compat(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);

	if (!IS_ENABLED(CONFIG_COMPAT))
		kunit_skip(test, "no CONFIG_COMPAT");
	KUNIT_ASSERT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTQSET, 9), 0);

	/* compat_ptr() is for pointers only. */
	KUNIT_ASSERT_NOT_NULL(test, file->f_op->compat_ioctl);
	KUNIT_EXPECT_EQ(test, file->f_op->compat_ioctl(file, SCULLV_IOCTORDER, 5), 0);
	KUNIT_EXPECT_EQ(test, file->f_op->compat_ioctl(file, SCULLV_IOCQORDER, 0), 5);
	KUNIT_EXPECT_EQ(test, file->f_op->compat_ioctl(file, SCULLV_IOCHQSET, 4), 9);
	KUNIT_EXPECT_EQ(test, file->f_op->compat_ioctl(file, SCULLV_IOCTQSET, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), 4);
}

/*
 * The book's numbers, magic 'K' 0 to 12 in the directions the book gave
 * them, belong to linux/kd.h: they, and some of kd.h's own, are not
 * scullv's and change nothing.
 */
static void ioctl_test_book_numbers_refused(struct kunit *test)
{
	static const unsigned int cmds[] = {
		_IO('K', 0),
		_IOW('K', 1, __u32), _IO('K', 2), _IOR('K', 3, __u32),
		_IO('K', 4), _IOWR('K', 5, __u32), _IO('K', 6),
		_IOW('K', 7, __u32), _IO('K', 8), _IOR('K', 9, __u32),
		_IO('K', 10), _IOWR('K', 11, __u32), _IO('K', 12),
		KDGETLED, KDSETMODE, KDGKBMODE,
	};
	struct scullv_dev *dev = scullv_kunit_dev(test, 2, 3);
	u32 __user *uval = scullv_kunit_umem(test, PAGE_SIZE);
	unsigned int i;

	/* Values that would be valid, and new, as an order and as a qset. */
	KUNIT_ASSERT_EQ(test, put_user(5, uval), 0);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		unsigned long arg = _IOC_DIR(cmds[i]) == _IOC_NONE ? 5 : (unsigned long)uval;

		KUNIT_EXPECT_EQ_MSG(test, scullv_dev_ioctl(dev, cmds[i], arg), -ENOTTY,
				    "cmd %#x", cmds[i]);
	}
	KUNIT_EXPECT_EQ(test, scullv_kunit_uget(test, uval), 5);
	KUNIT_EXPECT_EQ(test, dev->order, 2);
	KUNIT_EXPECT_EQ(test, dev->qset, 3);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qorder(dev), 2);
	KUNIT_EXPECT_EQ(test, scullv_kunit_qqset(dev), 3);
}

/*
 * Every command has scullv's own magic, 0xB9, and its number, 0 to 12,
 * in the direction and with the size that include/uapi/misc/scullv.h
 * documents.
 */
static void ioctl_test_command_encoding(struct kunit *test)
{
	static const struct {
		unsigned int cmd;
		unsigned int dir;
		unsigned int size;
	} cmds[] = {
		{ SCULLV_IOCRESET, _IOC_NONE, 0 },
		{ SCULLV_IOCSORDER, _IOC_WRITE, sizeof(__u32) },
		{ SCULLV_IOCTORDER, _IOC_NONE, 0 },
		{ SCULLV_IOCGORDER, _IOC_READ, sizeof(__u32) },
		{ SCULLV_IOCQORDER, _IOC_NONE, 0 },
		{ SCULLV_IOCXORDER, _IOC_READ | _IOC_WRITE, sizeof(__u32) },
		{ SCULLV_IOCHORDER, _IOC_NONE, 0 },
		{ SCULLV_IOCSQSET, _IOC_WRITE, sizeof(__u32) },
		{ SCULLV_IOCTQSET, _IOC_NONE, 0 },
		{ SCULLV_IOCGQSET, _IOC_READ, sizeof(__u32) },
		{ SCULLV_IOCQQSET, _IOC_NONE, 0 },
		{ SCULLV_IOCXQSET, _IOC_READ | _IOC_WRITE, sizeof(__u32) },
		{ SCULLV_IOCHQSET, _IOC_NONE, 0 },
	};
	unsigned int i;

	KUNIT_EXPECT_EQ(test, SCULLV_IOC_MAGIC, 0xB9);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		KUNIT_EXPECT_EQ_MSG(test, _IOC_TYPE(cmds[i].cmd), 0xB9, "cmd %#x", cmds[i].cmd);
		KUNIT_EXPECT_EQ_MSG(test, _IOC_NR(cmds[i].cmd), i, "cmd %#x", cmds[i].cmd);
		KUNIT_EXPECT_EQ_MSG(test, _IOC_DIR(cmds[i].cmd), cmds[i].dir, "cmd %#x",
				    cmds[i].cmd);
		KUNIT_EXPECT_EQ_MSG(test, _IOC_SIZE(cmds[i].cmd), cmds[i].size, "cmd %#x",
				    cmds[i].cmd);
	}
}

static struct kunit_case scullv_ioctl_cases[] = {
	KUNIT_CASE(ioctl_test_value_forms),
	KUNIT_CASE(ioctl_test_pointer_forms),
	KUNIT_CASE(ioctl_test_reset),
	KUNIT_CASE(ioctl_test_reset_follows_params),
	KUNIT_CASE_PARAM(ioctl_test_module_params, scullv_kunit_params_gen_params),
	KUNIT_CASE(ioctl_test_bad_values),
	KUNIT_CASE(ioctl_test_unknown_commands),
	KUNIT_CASE(ioctl_test_bad_pointers),
	KUNIT_CASE(ioctl_test_needs_cap_sys_admin),
	KUNIT_CASE(ioctl_test_through_file),
	KUNIT_CASE(ioctl_test_through_compat),
	KUNIT_CASE(ioctl_test_book_numbers_refused),
	KUNIT_CASE(ioctl_test_command_encoding),
	{}
};

static struct kunit_suite scullv_ioctl_suite = {
	.name = "scullv_ioctl",
	.test_cases = scullv_ioctl_cases,
};

kunit_test_suite(scullv_ioctl_suite);
