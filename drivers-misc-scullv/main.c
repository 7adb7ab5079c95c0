// SPDX-License-Identifier: GPL-2.0
/*
 * scullv: a vmalloc-backed RAM character device.
 *
 * The scullv device of Linux Device Drivers, 3rd edition, chapter 8,
 * written anew for today's kernel: /dev/scullv0 .. /dev/scullvN-1 keep what
 * is written to them in quanta allocated with vmalloc().  This file holds
 * the module parameters, the devices and their file operations.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/splice.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <uapi/misc/scullv.h>

#include "scullv.h"

#define SCULLV_DEVS_MAX 64

static int scullv_devs = 4;
module_param(scullv_devs, int, 0444);
MODULE_PARM_DESC(scullv_devs, "Number of devices, 1-64 (default 4)");

VISIBLE_IF_KUNIT int scullv_qset = 500;
EXPORT_SYMBOL_IF_KUNIT(scullv_qset);
module_param(scullv_qset, int, 0444);
MODULE_PARM_DESC(scullv_qset, "Quanta per quantum set, 1-65536 (default 500)");

VISIBLE_IF_KUNIT int scullv_order = 4;
EXPORT_SYMBOL_IF_KUNIT(scullv_order);
module_param(scullv_order, int, 0444);
MODULE_PARM_DESC(scullv_order,
		 "Quantum order: quanta of PAGE_SIZE << order bytes, 0-10 (default 4)");

static unsigned long long scullv_max_size = SZ_256M;
module_param(scullv_max_size, ullong, 0444);
MODULE_PARM_DESC(scullv_max_size,
		 "Bytes each device can hold (default 256 MiB)");

static dev_t scullv_devt;
static struct scullv_dev **scullv_table;

static const struct class scullv_class = {
	.name = "scullv",
};

/**
 * scullv_order_valid() - is this a quantum order the driver accepts?
 * @order: candidate order, from a module parameter or an ioctl
 *
 * Return: true for 0 to SCULLV_ORDER_MAX.
 */
VISIBLE_IF_KUNIT bool scullv_order_valid(long long order)
{
	return order >= 0 && order <= SCULLV_ORDER_MAX;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_order_valid);

/**
 * scullv_qset_valid() - is this a quantum-set size the driver accepts?
 * @qset: candidate number of quanta per set
 *
 * Return: true for SCULLV_QSET_MIN to SCULLV_QSET_MAX.
 */
VISIBLE_IF_KUNIT bool scullv_qset_valid(long long qset)
{
	return qset >= SCULLV_QSET_MIN && qset <= SCULLV_QSET_MAX;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_qset_valid);

/**
 * scullv_dev_setup() - initialise a device's lock and an empty store
 * @dev: the device, zeroed
 * @order: quantum order
 * @qset: quanta per quantum set
 * @max_size: byte limit of the device
 *
 * Return: 0, or -ENOMEM.
 */
VISIBLE_IF_KUNIT int scullv_dev_setup(struct scullv_dev *dev,
				      unsigned int order, unsigned int qset,
				      loff_t max_size)
{
	init_rwsem(&dev->lock);
	spin_lock_init(&dev->map_lock);
	dev->order = order;
	dev->qset = qset;
	dev->max_size = max_size;
	dev->store = scullv_store_alloc(order, qset);
	return dev->store ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_dev_setup);

/**
 * scullv_dev_teardown() - free everything a device stores
 * @dev: the device; no file may use it any more
 */
VISIBLE_IF_KUNIT void scullv_dev_teardown(struct scullv_dev *dev)
{
	scullv_store_free(dev->store);
	dev->store = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_dev_teardown);

/**
 * scullv_dev_trim() - drop all data and apply the pending geometry
 * @dev: the device
 *
 * The old store is swapped for an empty one in the pending geometry, so
 * no read or write ever sees a mix of two geometries.  Pages of a mapped
 * device are never freed under the mapping: the trim is refused instead.
 *
 * Context: process context, may sleep; the caller holds @dev->lock for
 * writing.
 * Return: 0; -EBUSY while the device is mapped; -ENOMEM.
 */
VISIBLE_IF_KUNIT int scullv_dev_trim(struct scullv_dev *dev)
{
	struct scullv_store *fresh, *old;

	lockdep_assert_held_write(&dev->lock);

	fresh = scullv_store_alloc(dev->order, dev->qset);
	if (!fresh)
		return -ENOMEM;

	spin_lock(&dev->map_lock);
	if (dev->nmaps) {
		spin_unlock(&dev->map_lock);
		scullv_store_free(fresh);
		return -EBUSY;
	}
	old = dev->store;
	WRITE_ONCE(dev->store, fresh);
	spin_unlock(&dev->map_lock);

	scullv_store_free(old);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_dev_trim);

static int scullv_open(struct inode *inode, struct file *file)
{
	struct scullv_dev *dev = container_of(inode->i_cdev, struct scullv_dev,
					      cdev);
	bool trim;
	int ret;

	file->private_data = dev;

	/*
	 * As in the book, opening write-only truncates, but not with
	 * O_APPEND: a shell's ">>" adds to the data.  O_TRUNC truncates
	 * whenever the file is opened for writing.
	 */
	trim = ((file->f_flags & O_ACCMODE) == O_WRONLY &&
		!(file->f_flags & O_APPEND)) ||
	       ((file->f_flags & O_TRUNC) && (file->f_mode & FMODE_WRITE));
	if (!trim)
		return 0;

	if (down_write_killable(&dev->lock))
		return -ERESTARTSYS;
	ret = scullv_dev_trim(dev);
	up_write(&dev->lock);
	return ret;
}

static ssize_t scullv_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct scullv_dev *dev = iocb->ki_filp->private_data;
	ssize_t ret;

	/* Shared: readers copy side by side; see struct scullv_dev. */
	if (down_read_interruptible(&dev->lock))
		return -ERESTARTSYS;
	ret = scullv_store_read(dev->store, &iocb->ki_pos, to);
	up_read(&dev->lock);
	return ret;
}

/*
 * splice() and sendfile() out of the device: the pages themselves go into
 * the pipe, under the lock shared as for read().
 */
static ssize_t scullv_splice_read(struct file *file, loff_t *ppos,
				  struct pipe_inode_info *pipe, size_t len,
				  unsigned int flags)
{
	struct scullv_dev *dev = file->private_data;
	ssize_t ret;

	if (down_read_interruptible(&dev->lock))
		return -ERESTARTSYS;
	ret = scullv_store_splice_read(dev->store, ppos, pipe, len);
	up_read(&dev->lock);
	return ret;
}

/*
 * Cap a write at the device's size limit, as a regular file is capped at
 * its maximum size: a write that starts at or past the limit fails with
 * -EFBIG, one that crosses it is cut short.
 */
static int scullv_limit_write(struct scullv_dev *dev, loff_t pos,
			      struct iov_iter *from)
{
	if (pos >= dev->max_size)
		return -EFBIG;
	iov_iter_truncate(from, dev->max_size - pos);
	return 0;
}

static ssize_t scullv_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct scullv_dev *dev = iocb->ki_filp->private_data;
	ssize_t ret;

	if (!iov_iter_count(from))
		return 0;
	if (down_write_killable(&dev->lock))
		return -ERESTARTSYS;
	if (iocb->ki_flags & IOCB_APPEND)
		iocb->ki_pos = dev->store->size;
	ret = scullv_limit_write(dev, iocb->ki_pos, from);
	/* The quanta are charged to the writer's memory cgroup. */
	if (!ret)
		ret = scullv_store_write(dev->store, &iocb->ki_pos, from,
					 GFP_KERNEL_ACCOUNT);
	up_write(&dev->lock);
	return ret;
}

static loff_t scullv_llseek(struct file *file, loff_t offset, int whence)
{
	struct scullv_dev *dev = file->private_data;
	loff_t ret;

	if (down_read_interruptible(&dev->lock))
		return -ERESTARTSYS;
	/* Rejects negative offsets, offsets past the limit and overflows. */
	ret = generic_file_llseek_size(file, offset, whence, dev->max_size,
				       dev->store->size);
	up_read(&dev->lock);
	return ret;
}

/*
 * The one way the pending geometry changes: with CAP_SYS_ADMIN, and only
 * to values that a trim can apply.
 */
static int scullv_set_geometry(struct scullv_dev *dev, unsigned long order,
			       unsigned long qset)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (!scullv_order_valid(order) || !scullv_qset_valid(qset))
		return -EINVAL;
	dev->order = order;
	dev->qset = qset;
	return 0;
}

/* X: hand the old value back, or undo the change if that faults. */
static int scullv_put_old(unsigned int *field, u32 old, u32 __user *uptr)
{
	if (put_user(old, uptr)) {
		*field = old;
		return -EFAULT;
	}
	return 0;
}

/*
 * S and X read the new value from the __u32 at @arg, T and H take @arg
 * itself; G stores the value at @arg, Q returns it; H returns the old
 * value, X stores it at @arg.  Called with @dev->lock held for writing.
 */
static long scullv_ioctl_locked(struct scullv_dev *dev, unsigned int cmd,
				unsigned long arg)
{
	u32 __user *uptr = (u32 __user *)arg;
	u32 old, val;

	switch (cmd) {
	case SCULLV_IOCRESET:
		return scullv_set_geometry(dev, scullv_order, scullv_qset);
	case SCULLV_IOCSORDER:
		return get_user(val, uptr) ?:
		       scullv_set_geometry(dev, val, dev->qset);
	case SCULLV_IOCTORDER:
		return scullv_set_geometry(dev, arg, dev->qset);
	case SCULLV_IOCGORDER:
		return put_user(dev->order, uptr);
	case SCULLV_IOCQORDER:
		return dev->order;
	case SCULLV_IOCXORDER:
		old = dev->order;
		return get_user(val, uptr) ?:
		       scullv_set_geometry(dev, val, dev->qset) ?:
		       scullv_put_old(&dev->order, old, uptr);
	case SCULLV_IOCHORDER:
		old = dev->order;
		return scullv_set_geometry(dev, arg, dev->qset) ?: (long)old;
	case SCULLV_IOCSQSET:
		return get_user(val, uptr) ?:
		       scullv_set_geometry(dev, dev->order, val);
	case SCULLV_IOCTQSET:
		return scullv_set_geometry(dev, dev->order, arg);
	case SCULLV_IOCGQSET:
		return put_user(dev->qset, uptr);
	case SCULLV_IOCQQSET:
		return dev->qset;
	case SCULLV_IOCXQSET:
		old = dev->qset;
		return get_user(val, uptr) ?:
		       scullv_set_geometry(dev, dev->order, val) ?:
		       scullv_put_old(&dev->qset, old, uptr);
	case SCULLV_IOCHQSET:
		old = dev->qset;
		return scullv_set_geometry(dev, dev->order, arg) ?: (long)old;
	default:
		return -ENOTTY;
	}
}

/**
 * scullv_dev_ioctl() - handle one of the geometry ioctls
 * @dev: the device
 * @cmd: an ioctl command of include/uapi/misc/scullv.h
 * @arg: the value, or a user pointer to a __u32, as @cmd says
 *
 * The values are those the next trim applies.  Reading them is open to
 * all; changing them needs CAP_SYS_ADMIN.
 *
 * Context: process context, may sleep.
 * Return: 0, the value asked for (Q, H), -EPERM, -EINVAL for a value out
 * of range, -EFAULT, or -ENOTTY for an unknown command.
 */
VISIBLE_IF_KUNIT long scullv_dev_ioctl(struct scullv_dev *dev,
				       unsigned int cmd, unsigned long arg)
{
	long ret;

	if (down_write_killable(&dev->lock))
		return -ERESTARTSYS;
	ret = scullv_ioctl_locked(dev, cmd, arg);
	up_write(&dev->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_dev_ioctl);

static long scullv_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	return scullv_dev_ioctl(file->private_data, cmd, arg);
}

#ifdef CONFIG_COMPAT
/*
 * Not compat_ptr_ioctl(): the T and H commands pass a value, which must
 * not go through compat_ptr().
 */
static long scullv_compat_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	if (_IOC_DIR(cmd) == _IOC_NONE)
		return scullv_ioctl(file, cmd, arg);
	return scullv_ioctl(file, cmd, (unsigned long)compat_ptr(arg));
}
#else
#define scullv_compat_ioctl NULL
#endif

VISIBLE_IF_KUNIT const struct file_operations scullv_fops = {
	.owner		= THIS_MODULE,
	.open		= scullv_open,
	.read_iter	= scullv_read_iter,
	.write_iter	= scullv_write_iter,
	.splice_read	= scullv_splice_read,
	/* Through write_iter(), so the size limit and the lock apply. */
	.splice_write	= iter_file_splice_write,
	.llseek		= scullv_llseek,
	.unlocked_ioctl	= scullv_ioctl,
	.compat_ioctl	= scullv_compat_ioctl,
	.mmap		= scullv_mmap,
};
EXPORT_SYMBOL_IF_KUNIT(scullv_fops);

/**
 * scullv_check_params() - are these module parameters usable?
 * @devs: scullv_devs
 * @order: scullv_order
 * @qset: scullv_qset
 * @max_size: scullv_max_size
 *
 * Says which one is out of range, if one is.
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int scullv_check_params(int devs, int order, int qset,
					 unsigned long long max_size)
{
	if (devs < 1 || devs > SCULLV_DEVS_MAX) {
		pr_err("scullv_devs=%d is out of range 1-%d\n",
		       devs, SCULLV_DEVS_MAX);
		return -EINVAL;
	}
	if (!scullv_order_valid(order)) {
		pr_err("scullv_order=%d is out of range 0-%d\n",
		       order, SCULLV_ORDER_MAX);
		return -EINVAL;
	}
	if (!scullv_qset_valid(qset)) {
		pr_err("scullv_qset=%d is out of range %d-%d\n",
		       qset, SCULLV_QSET_MIN, SCULLV_QSET_MAX);
		return -EINVAL;
	}
	if (max_size < PAGE_SIZE || max_size > MAX_LFS_FILESIZE) {
		pr_err("scullv_max_size=%llu is out of range %lu-%lld\n",
		       max_size, PAGE_SIZE, (long long)MAX_LFS_FILESIZE);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_check_params);

static void scullv_device_release(struct device *device)
{
	struct scullv_dev *dev = container_of(device, struct scullv_dev, dev);

	scullv_dev_teardown(dev);
	kfree(dev);
}

/**
 * scullv_add_node() - register a character device and its /dev node
 * @device: the device, embedded in the structure that @release frees
 * @cdev: the character device, embedded in the same structure
 * @fops: its file operations
 * @cls: its class
 * @devt: its device number
 * @release: frees the structure when the last reference goes
 * @name: the node's name
 *
 * On failure the caller drops the device with put_device(), which calls
 * @release.
 *
 * Return: 0 or an error.
 */
int scullv_add_node(struct device *device, struct cdev *cdev,
		    const struct file_operations *fops,
		    const struct class *cls, dev_t devt,
		    void (*release)(struct device *), const char *name)
{
	int err;

	device_initialize(device);
	device->class = cls;
	device->devt = devt;
	device->release = release;
	cdev_init(cdev, fops);
	cdev->owner = fops->owner;

	err = dev_set_name(device, "%s", name);
	if (err)
		return err;
	return cdev_device_add(cdev, device);
}

static struct scullv_dev *scullv_create(unsigned int index)
{
	struct scullv_dev *dev;
	char name[16];
	int err;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	err = scullv_dev_setup(dev, scullv_order, scullv_qset, scullv_max_size);
	if (err) {
		kfree(dev);
		return ERR_PTR(err);
	}
	dev->index = index;

	snprintf(name, sizeof(name), "scullv%u", index);
	err = scullv_add_node(&dev->dev, &dev->cdev, &scullv_fops,
			      &scullv_class, MKDEV(MAJOR(scullv_devt), index),
			      scullv_device_release, name);
	if (err) {
		put_device(&dev->dev);
		return ERR_PTR(err);
	}
	return dev;
}

static void scullv_destroy(struct scullv_dev *dev)
{
	cdev_device_del(&dev->cdev, &dev->dev);
	put_device(&dev->dev);
}

static void scullv_destroy_all(void)
{
	int i;

	for (i = 0; i < scullv_devs; i++)
		if (scullv_table[i])
			scullv_destroy(scullv_table[i]);
	kfree(scullv_table);
}

static int __init scullv_init(void)
{
	struct scullv_dev *dev;
	int i, err;

	err = scullv_check_params(scullv_devs, scullv_order, scullv_qset,
				  scullv_max_size);
	if (err)
		return err;

	/* One more minor than devices, for the I/O window. */
	err = alloc_chrdev_region(&scullv_devt, 0, scullv_devs + 1, "scullv");
	if (err)
		return err;
	err = class_register(&scullv_class);
	if (err)
		goto unregister_region;

	scullv_table = kcalloc(scullv_devs, sizeof(*scullv_table), GFP_KERNEL);
	if (!scullv_table) {
		err = -ENOMEM;
		goto unregister_class;
	}
	for (i = 0; i < scullv_devs; i++) {
		dev = scullv_create(i);
		if (IS_ERR(dev)) {
			err = PTR_ERR(dev);
			goto destroy_devices;
		}
		scullv_table[i] = dev;
	}

	/* A bad window is reported, and the RAM devices stay. */
	scullv_iowin_init(&scullv_class,
			  MKDEV(MAJOR(scullv_devt), scullv_devs));
	scullv_debugfs_init(scullv_table, scullv_devs);
	return 0;

destroy_devices:
	scullv_destroy_all();
unregister_class:
	class_unregister(&scullv_class);
unregister_region:
	unregister_chrdev_region(scullv_devt, scullv_devs + 1);
	return err;
}

static void __exit scullv_exit(void)
{
	scullv_debugfs_exit();
	scullv_iowin_exit();
	scullv_destroy_all();
	class_unregister(&scullv_class);
	unregister_chrdev_region(scullv_devt, scullv_devs + 1);
}

module_init(scullv_init);
module_exit(scullv_exit);

MODULE_DESCRIPTION("vmalloc-backed scull RAM device (LDD3 scullv)");
MODULE_LICENSE("GPL");
