// SPDX-License-Identifier: GPL-2.0
/*
 * scullv: the I/O window, a device that exposes a physical memory range
 * that no driver owns (memory reserved with memmap=, a PCI BAR that no
 * driver has claimed) through ioremap().  It must never be pointed at
 * System RAM or at a range that a driver uses: the module refuses both.
 *
 * Like vmalloc(), ioremap() builds page tables and so works in whole
 * pages.  The book describes how an unaligned range is mapped anyway: map
 * from the page that holds the first byte, up to the page that holds the
 * last, and hand out the address of the first byte inside that mapping.
 * scullv_iomap() does exactly that, so the arithmetic is visible and
 * tested rather than left to the architecture's ioremap().
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "scullv.h"

/*
 * Hardware parameters: a locked-down kernel refuses them, as it refuses
 * /dev/mem.  The window is for a physical range that no driver owns.
 */
static unsigned long long io_base;
module_param_hw(io_base, ullong, iomem, 0444);
MODULE_PARM_DESC(io_base,
		 "Physical address of the I/O window, a range no driver owns");

static unsigned long io_size;
module_param_hw(io_size, ulong, other, 0444);
MODULE_PARM_DESC(io_size, "Bytes in the I/O window");

/**
 * struct scullv_iowin - the I/O window device, /dev/scullv_io
 * @map: the mapping of the window
 * @cdev: the character device
 * @dev: the device in the driver model
 *
 * There is no lock: the mapping is fixed for the life of the device, and
 * concurrent accesses to the window interleave as they would on hardware.
 */
struct scullv_iowin {
	struct scullv_iomap map;
	struct cdev cdev;
	struct device dev;
};

static struct scullv_iowin *scullv_iowin;

/* The two calls into the architecture, apart so that tests can watch them. */
VISIBLE_IF_KUNIT void __iomem *scullv_ioremap_pages(phys_addr_t phys,
						    size_t len)
{
	KUNIT_STATIC_STUB_REDIRECT(scullv_ioremap_pages, phys, len);
	return ioremap(phys, len);
}
EXPORT_SYMBOL_IF_KUNIT(scullv_ioremap_pages);

VISIBLE_IF_KUNIT void scullv_iounmap_pages(void __iomem *addr)
{
	KUNIT_STATIC_STUB_REDIRECT(scullv_iounmap_pages, addr);
	iounmap(addr);
}
EXPORT_SYMBOL_IF_KUNIT(scullv_iounmap_pages);

/**
 * scullv_iomap() - map a physical range that need not be page-aligned
 * @map: filled in on success
 * @phys: physical address of the first byte
 * @size: bytes in the range, not 0
 *
 * Maps the whole pages that cover [@phys, @phys + @size): from @phys
 * rounded down to a page, PAGE_ALIGN(offset + @size) bytes.  @map->virt
 * is the cookie of @phys itself, at the same offset into the first page.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for an empty range or one that wraps around; -ENOMEM
 * if ioremap() fails.
 */
VISIBLE_IF_KUNIT int scullv_iomap(struct scullv_iomap *map, phys_addr_t phys,
				  size_t size)
{
	phys_addr_t first = ALIGN_DOWN(phys, PAGE_SIZE);
	size_t offset = phys - first;
	phys_addr_t last;
	size_t len;

	if (!size || check_add_overflow(phys, (phys_addr_t)size - 1, &last) ||
	    check_add_overflow(offset, size, &len) ||
	    len > SIZE_MAX - PAGE_SIZE)
		return -EINVAL;

	map->base = scullv_ioremap_pages(first, PAGE_ALIGN(len));
	if (!map->base)
		return -ENOMEM;
	map->virt = map->base + offset;
	map->phys = phys;
	map->size = size;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_iomap);

/**
 * scullv_iounmap() - undo scullv_iomap()
 * @map: the mapping; unmapped through its page-aligned base
 */
VISIBLE_IF_KUNIT void scullv_iounmap(struct scullv_iomap *map)
{
	scullv_iounmap_pages(map->base);
}
EXPORT_SYMBOL_IF_KUNIT(scullv_iounmap);

/*
 * Copy between a window and an iterator, through a bounce page: I/O
 * memory is reached with memcpy_fromio() and memcpy_toio() only, never
 * dereferenced.  @count bytes from @pos fit in the window.
 */
static ssize_t scullv_iomap_copy(struct scullv_iomap *map, loff_t *ppos,
				 size_t count, struct iov_iter *iter)
{
	bool to_window = iov_iter_rw(iter) == WRITE;
	void __iomem *io = map->virt + *ppos;
	size_t done = 0;
	void *bounce;

	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;

	while (done < count) {
		size_t chunk = min_t(size_t, count - done, PAGE_SIZE);
		size_t copied;

		if (to_window) {
			copied = copy_from_iter(bounce, chunk, iter);
			memcpy_toio(io + done, bounce, copied);
		} else {
			memcpy_fromio(bounce, io + done, chunk);
			copied = copy_to_iter(bounce, chunk, iter);
		}
		done += copied;
		if (copied < chunk)
			break;
	}
	kfree(bounce);
	*ppos += done;
	return done ? done : -EFAULT;
}

/**
 * scullv_iomap_read() - copy bytes out of a window
 * @map: the window
 * @ppos: offset into the window; advanced by the bytes copied
 * @to: destination
 *
 * Return: bytes copied, 0 at the end of the window, -ENOMEM or -EFAULT.
 */
VISIBLE_IF_KUNIT ssize_t scullv_iomap_read(struct scullv_iomap *map,
					   loff_t *ppos, struct iov_iter *to)
{
	size_t count;

	if (*ppos >= map->size || !iov_iter_count(to))
		return 0;
	count = min_t(u64, iov_iter_count(to), map->size - *ppos);
	return scullv_iomap_copy(map, ppos, count, to);
}
EXPORT_SYMBOL_IF_KUNIT(scullv_iomap_read);

/**
 * scullv_iomap_write() - copy bytes into a window
 * @map: the window
 * @ppos: offset into the window; advanced by the bytes copied
 * @from: source
 *
 * A write that starts at or past the end of the window fails with
 * -ENOSPC; one that crosses the end is cut short.
 *
 * Return: bytes copied, -ENOSPC, -ENOMEM or -EFAULT.
 */
VISIBLE_IF_KUNIT ssize_t scullv_iomap_write(struct scullv_iomap *map,
					    loff_t *ppos,
					    struct iov_iter *from)
{
	size_t count;

	if (!iov_iter_count(from))
		return 0;
	if (*ppos >= map->size)
		return -ENOSPC;
	count = min_t(u64, iov_iter_count(from), map->size - *ppos);
	return scullv_iomap_copy(map, ppos, count, from);
}
EXPORT_SYMBOL_IF_KUNIT(scullv_iomap_write);

static int scullv_iowin_open(struct inode *inode, struct file *file)
{
	file->private_data = container_of(inode->i_cdev, struct scullv_iowin,
					  cdev);
	return 0;
}

static ssize_t scullv_iowin_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct scullv_iowin *win = iocb->ki_filp->private_data;

	return scullv_iomap_read(&win->map, &iocb->ki_pos, to);
}

static ssize_t scullv_iowin_write_iter(struct kiocb *iocb,
				       struct iov_iter *from)
{
	struct scullv_iowin *win = iocb->ki_filp->private_data;

	return scullv_iomap_write(&win->map, &iocb->ki_pos, from);
}

static loff_t scullv_iowin_llseek(struct file *file, loff_t offset, int whence)
{
	struct scullv_iowin *win = file->private_data;

	return fixed_size_llseek(file, offset, whence, win->map.size);
}

/*
 * No mmap: a mapping is made of whole pages, and the first and last pages
 * of an unaligned window hold bytes that are not part of it.
 */
static const struct file_operations scullv_iowin_fops = {
	.owner		= THIS_MODULE,
	.open		= scullv_iowin_open,
	.read_iter	= scullv_iowin_read_iter,
	.write_iter	= scullv_iowin_write_iter,
	.llseek		= scullv_iowin_llseek,
};

/**
 * scullv_iowin_check() - is this a window the module may map?
 * @start: io_base
 * @len: io_size, not 0
 *
 * Refuses a range that phys_addr_t and size_t cannot hold, one that wraps
 * around, and one that overlaps System RAM, saying what is wrong.  Whether
 * a driver owns the range is for request_mem_region() to tell.
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int scullv_iowin_check(unsigned long long start,
					unsigned long len)
{
	phys_addr_t base = start, last;
	size_t size = len;

	if (!size) {
		pr_err("io_size must be set with io_base\n");
		return -EINVAL;
	}
	if (base != start || size != len ||
	    check_add_overflow(base, (phys_addr_t)size - 1, &last)) {
		pr_err("io_base=%#llx io_size=%#lx: not a physical range\n",
		       start, len);
		return -EINVAL;
	}
	if (region_intersects(base, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("io_base=%#llx io_size=%#lx overlaps System RAM\n",
		       start, len);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_iowin_check);

static void scullv_iowin_release(struct device *device)
{
	kfree(container_of(device, struct scullv_iowin, dev));
}

/**
 * scullv_iowin_create() - claim, map and register a window
 * @cls: the class of the scullv devices
 * @devt: the device number to use
 * @start: io_base
 * @len: io_size
 *
 * The range is claimed with request_mem_region(), so that it shows in
 * /proc/iomem and nobody else can claim it, then mapped.
 *
 * Context: module init.
 * Return: 0 or an error, after a message saying what is wrong.
 */
VISIBLE_IF_KUNIT int scullv_iowin_create(const struct class *cls, dev_t devt,
					 unsigned long long start,
					 unsigned long len)
{
	phys_addr_t base = start;
	size_t size = len;
	struct scullv_iowin *win;
	int err;

	err = scullv_iowin_check(start, len);
	if (err)
		return err;
	if (!request_mem_region(base, size, KBUILD_MODNAME)) {
		pr_err("io_base=%#llx io_size=%#lx is busy\n", start, len);
		return -EBUSY;
	}

	win = kzalloc(sizeof(*win), GFP_KERNEL);
	if (!win) {
		err = -ENOMEM;
		goto release_region;
	}
	err = scullv_iomap(&win->map, base, size);
	if (err) {
		pr_err("cannot map io_base=%#llx io_size=%#lx: %d\n",
		       start, len, err);
		kfree(win);
		goto release_region;
	}

	err = scullv_add_node(&win->dev, &win->cdev, &scullv_iowin_fops, cls,
			      devt, scullv_iowin_release, "scullv_io");
	if (err) {
		scullv_iounmap(&win->map);
		put_device(&win->dev);
		goto release_region;
	}
	scullv_iowin = win;
	return 0;

release_region:
	release_mem_region(base, size);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_iowin_create);

/**
 * scullv_iowin_init() - create /dev/scullv_io if io_base or io_size is set
 * @cls: the class of the scullv devices
 * @devt: the device number to use
 *
 * Context: module init.
 * Return: 0 (also when no window is configured) or an error, after a
 * message saying what is wrong.
 */
int scullv_iowin_init(const struct class *cls, dev_t devt)
{
	if (!io_base && !io_size)
		return 0;
	return scullv_iowin_create(cls, devt, io_base, io_size);
}

/**
 * scullv_iowin_exit() - remove the I/O window, if there is one
 */
void scullv_iowin_exit(void)
{
	struct scullv_iowin *win = scullv_iowin;

	if (!win)
		return;
	cdev_device_del(&win->cdev, &win->dev);
	scullv_iounmap(&win->map);
	release_mem_region(win->map.phys, win->map.size);
	put_device(&win->dev);
}
