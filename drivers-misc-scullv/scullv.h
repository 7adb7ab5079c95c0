/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scullv: internal interfaces shared by the driver's files and its KUnit
 * tests.
 */
#ifndef _SCULLV_H
#define _SCULLV_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/gfp_types.h>
#include <linux/rwsem.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>

struct iov_iter;
struct page;
struct pipe_inode_info;
struct seq_file;

/**
 * struct scullv_store - what one device holds, in one geometry
 * @qsets: quantum-set number -> array of @qset quantum pointers; a NULL
 *	pointer or a missing set is a hole, which reads as zeros
 * @order: each quantum is PAGE_SIZE << @order bytes of vmalloc memory
 * @qset: number of quanta in a quantum set
 * @size: bytes stored: the end of the furthest write
 *
 * The geometry never changes during the life of a store: a new geometry
 * comes with a new, empty store at the next trim.  Quanta and quantum sets
 * are published with cmpxchg() once zeroed or filled, so lookups need no
 * lock; freeing needs the store's owner to know that nobody can look any
 * more.
 */
struct scullv_store {
	struct xarray qsets;
	unsigned int order;
	unsigned int qset;
	loff_t size;
};

/**
 * struct scullv_pos - where a byte offset falls in a store
 * @set: quantum-set number
 * @slot: quantum within the set
 * @offset: byte within the quantum
 */
struct scullv_pos {
	unsigned long set;
	unsigned int slot;
	size_t offset;
};

/**
 * struct scullv_dev - one /dev/scullvN
 * @lock: reader/writer semaphore of the data.  It protects @store (the
 *	pointer, the store's size, and its quanta against being freed),
 *	@order and @qset.  It is held across the copies to and from user
 *	space, because a trim frees the quanta being copied.  Taken shared
 *	by read(), llseek() and the debugfs dump, which only look, so that
 *	readers copy in parallel; taken exclusive by write(), the trim at
 *	open() and the geometry ioctls, which change the data, the size or
 *	the geometry.  An rwsem is fair to writers: once one waits, readers
 *	that come after it wait too, so a stream of readers cannot starve a
 *	writer.  While it is held shared no quantum is freed: quanta are
 *	freed only by a trim, which takes it exclusive.
 * @store: the data; replaced by an empty store at each trim
 * @order: quantum order that the next trim applies
 * @qset: quantum-set size that the next trim applies
 * @max_size: no byte is stored at or beyond this offset
 * @map_lock: protects @nmaps, and the swap of @store against mmap(): the
 *	fault handler runs with mmap_lock held and never takes @lock, which
 *	read() (shared) and write() (exclusive) hold while they fault on user
 *	memory that may map this device: taking it there would deadlock,
 *	exclusive at once, shared as soon as a writer waits in between;
 *	allocating faults race only with each other and with write(), and
 *	the store's cmpxchg() publication settles that
 * @nmaps: number of VMAs mapping the device; while it is not zero the
 *	store is never freed, so the fault handler can use it without @lock
 * @index: N of /dev/scullvN
 * @cdev: the character device
 * @dev: the device in the driver model; its release frees the device
 */
struct scullv_dev {
	struct rw_semaphore lock;	/* the data; see above */
	struct scullv_store *store;
	unsigned int order;
	unsigned int qset;
	loff_t max_size;
	spinlock_t map_lock;		/* @nmaps and swapping @store */
	unsigned int nmaps;
	unsigned int index;
	struct cdev cdev;
	struct device dev;
};

/**
 * struct scullv_iomap - an ioremap() of a range that need not be aligned
 * @base: what ioremap() returned for the page-aligned range; for iounmap()
 * @virt: cookie of the range's first byte, inside the first mapped page
 * @phys: physical address of the range's first byte
 * @size: bytes in the range
 */
struct scullv_iomap {
	void __iomem *base;
	void __iomem *virt;
	phys_addr_t phys;
	size_t size;
};

/**
 * scullv_quantum_size() - bytes in a quantum of the given order
 * @order: quantum order, at most SCULLV_ORDER_MAX
 *
 * Return: PAGE_SIZE << @order.
 */
static inline size_t scullv_quantum_size(unsigned int order)
{
	return PAGE_SIZE << order;
}

/* store.c */
struct scullv_store *scullv_store_alloc(unsigned int order, unsigned int qset);
void scullv_store_free(struct scullv_store *store);
ssize_t scullv_store_read(struct scullv_store *store, loff_t *ppos,
			  struct iov_iter *to);
ssize_t scullv_store_write(struct scullv_store *store, loff_t *ppos,
			   struct iov_iter *from, gfp_t gfp);
ssize_t scullv_store_splice_read(struct scullv_store *store, loff_t *ppos,
				 struct pipe_inode_info *pipe, size_t len);
struct page *scullv_store_page(struct scullv_store *store, pgoff_t pgoff,
			       gfp_t gfp);
unsigned int scullv_store_pages(struct scullv_store *store, pgoff_t pgoff,
				unsigned int nr, struct page **pages);

/* main.c */
int scullv_add_node(struct device *device, struct cdev *cdev,
		    const struct file_operations *fops,
		    const struct class *cls, dev_t devt,
		    void (*release)(struct device *), const char *name);

/* mmap.c */
/*
 * A fault maps the pages that exist in the block of this many pages of the
 * file, aligned to its size, that holds the faulting page.
 */
#define SCULLV_MAP_WINDOW	(SZ_2M >> PAGE_SHIFT)

/* Pages a mapping can reach: the data, rounded up to a page. */
static inline pgoff_t scullv_store_npages(struct scullv_store *store)
{
	return (READ_ONCE(store->size) + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

int scullv_mmap(struct file *file, struct vm_area_struct *vma);

/* debugfs.c */
void scullv_debugfs_init(struct scullv_dev **devs, unsigned int ndevs);
void scullv_debugfs_exit(void);

/* iowin.c */
int scullv_iowin_init(const struct class *cls, dev_t devt);
void scullv_iowin_exit(void);

#if IS_ENABLED(CONFIG_KUNIT)
/* Static symbols that the KUnit tests reach (VISIBLE_IF_KUNIT). */
extern const struct file_operations scullv_fops;
extern int scullv_order;
extern int scullv_qset;
int scullv_check_params(int devs, int order, int qset,
			unsigned long long max_size);
bool scullv_order_valid(long long order);
bool scullv_qset_valid(long long qset);
int scullv_dev_setup(struct scullv_dev *dev, unsigned int order,
		     unsigned int qset, loff_t max_size);
void scullv_dev_teardown(struct scullv_dev *dev);
int scullv_dev_trim(struct scullv_dev *dev);
bool scullv_may_vmalloc(gfp_t gfp);
void *scullv_vmalloc_quantum(unsigned long size, gfp_t gfp);
void *scullv_zalloc(size_t size, gfp_t gfp);
void scullv_store_locate(const struct scullv_store *store, loff_t pos,
			 struct scullv_pos *where);
void *scullv_store_populate(struct scullv_store *store,
			    const struct scullv_pos *where, gfp_t gfp);
long scullv_dev_ioctl(struct scullv_dev *dev, unsigned int cmd,
		      unsigned long arg);
void scullv_dev_dump(struct seq_file *m, struct scullv_dev *dev);
int scullv_iowin_check(unsigned long long start, unsigned long len);
int scullv_iowin_create(const struct class *cls, dev_t devt,
			unsigned long long start, unsigned long len);
int scullv_iomap(struct scullv_iomap *map, phys_addr_t phys, size_t size);
void scullv_iounmap(struct scullv_iomap *map);
ssize_t scullv_iomap_read(struct scullv_iomap *map, loff_t *ppos,
			  struct iov_iter *to);
ssize_t scullv_iomap_write(struct scullv_iomap *map, loff_t *ppos,
			   struct iov_iter *from);
void __iomem *scullv_ioremap_pages(phys_addr_t phys, size_t len);
void scullv_iounmap_pages(void __iomem *addr);
#endif

#endif /* _SCULLV_H */
