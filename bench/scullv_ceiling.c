// SPDX-License-Identifier: GPL-2.0
/*
 * scullv_ceiling: the fastest a vmalloc-backed RAM device can be, for the
 * scullv benchmark.  Not part of the scullv series.
 *
 * /dev/scullv_ceiling serves one flat vmalloc_user() buffer of @size_mb
 * MiB: read() and write() copy straight to and from it at the file
 * position, with no lock, no lookup and no allocation on their path, and
 * mmap() maps all of it at once with remap_vmalloc_range().  Every byte
 * exists from the start and reads as zero until written; the end of the
 * data is the end of the buffer.  Racing writers get what they deserve:
 * it is a benchmark's reference, not a device to use.  So whatever scullv
 * spends beyond this module on the same copy (its lock, its quantum
 * lookups, its fault handler) shows as the gap between the two.
 *
 * /dev/scullv_ceiling_paged reads the same buffer one page per
 * copy_to_iter() call, as scullv must at order 0, where every page is a
 * quantum of its own with no neighbour in virtual memory: the gap between
 * the two ceilings is what splitting a copy into pages costs by itself.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

static unsigned int size_mb = 256;
module_param(size_mb, uint, 0444);
MODULE_PARM_DESC(size_mb, "Size of the buffer in MiB (default 256)");

static void *ceiling_buf;
static loff_t ceiling_size;

static ssize_t ceiling_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	loff_t pos = iocb->ki_pos;
	size_t n, copied;

	if (pos >= ceiling_size)
		return 0;
	n = min_t(u64, iov_iter_count(to), ceiling_size - pos);
	copied = copy_to_iter(ceiling_buf + pos, n, to);
	if (!copied && n)
		return -EFAULT;
	iocb->ki_pos += copied;
	return copied;
}

static ssize_t ceiling_paged_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	loff_t pos = iocb->ki_pos;
	size_t n, done = 0;

	if (pos >= ceiling_size)
		return 0;
	n = min_t(u64, iov_iter_count(to), ceiling_size - pos);
	while (done < n) {
		size_t chunk = min_t(size_t, n - done, PAGE_SIZE - offset_in_page(pos + done));
		size_t copied = copy_to_iter(ceiling_buf + pos + done, chunk, to);

		done += copied;
		if (copied < chunk)
			break;
	}
	if (!done && n)
		return -EFAULT;
	iocb->ki_pos += done;
	return done;
}

static ssize_t ceiling_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	loff_t pos = iocb->ki_pos;
	size_t n, copied;

	if (!iov_iter_count(from))
		return 0;
	if (pos >= ceiling_size)
		return -ENOSPC;
	n = min_t(u64, iov_iter_count(from), ceiling_size - pos);
	copied = copy_from_iter(ceiling_buf + pos, n, from);
	if (!copied)
		return -EFAULT;
	iocb->ki_pos += copied;
	return copied;
}

static loff_t ceiling_llseek(struct file *file, loff_t offset, int whence)
{
	return fixed_size_llseek(file, offset, whence, ceiling_size);
}

static int ceiling_mmap(struct file *file, struct vm_area_struct *vma)
{
	return remap_vmalloc_range(vma, ceiling_buf, vma->vm_pgoff);
}

static const struct file_operations ceiling_fops = {
	.owner		= THIS_MODULE,
	.read_iter	= ceiling_read_iter,
	.write_iter	= ceiling_write_iter,
	.llseek		= ceiling_llseek,
	.mmap		= ceiling_mmap,
	.splice_read	= copy_splice_read,
	.splice_write	= iter_file_splice_write,
};

static struct miscdevice ceiling_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "scullv_ceiling",
	.fops	= &ceiling_fops,
	.mode	= 0600,
};

static const struct file_operations ceiling_paged_fops = {
	.owner		= THIS_MODULE,
	.read_iter	= ceiling_paged_read_iter,
	.write_iter	= ceiling_write_iter,
	.llseek		= ceiling_llseek,
};

static struct miscdevice ceiling_paged_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "scullv_ceiling_paged",
	.fops	= &ceiling_paged_fops,
	.mode	= 0600,
};

static int __init ceiling_init(void)
{
	int err;

	ceiling_size = (loff_t)size_mb << 20;
	if (!ceiling_size)
		return -EINVAL;
	ceiling_buf = vmalloc_user(ceiling_size);
	if (!ceiling_buf)
		return -ENOMEM;
	err = misc_register(&ceiling_misc);
	if (err)
		goto free;
	err = misc_register(&ceiling_paged_misc);
	if (err)
		goto deregister;
	return 0;

deregister:
	misc_deregister(&ceiling_misc);
free:
	vfree(ceiling_buf);
	return err;
}

static void __exit ceiling_exit(void)
{
	misc_deregister(&ceiling_paged_misc);
	misc_deregister(&ceiling_misc);
	vfree(ceiling_buf);
}

module_init(ceiling_init);
module_exit(ceiling_exit);

MODULE_DESCRIPTION("scullv benchmark: one flat vmalloc_user() buffer, no lock");
MODULE_LICENSE("GPL");
