// SPDX-License-Identifier: GPL-2.0
/*
 * scullv: the debugfs dump of what each device holds, in the format of the
 * book's /proc/scullvmem.
 *
 * For every quantum it tells whether the memory is vmalloc memory and into
 * how many physically contiguous runs its pages fall: vmalloc memory is
 * contiguous in the kernel's virtual address space only.  Addresses are
 * printed with %p, hashed, as kernel addresses must not leak.
 */

#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/vmalloc.h>

#include "scullv.h"

static struct dentry *scullv_debugfs_dir;
static struct scullv_dev **scullv_debugfs_devs;
static unsigned int scullv_debugfs_ndevs;

/*
 * Count the runs of physically consecutive pages in a quantum: 1 if it
 * happens to be physically contiguous, @pages if no two neighbours are.
 */
static unsigned int scullv_phys_runs(const void *quantum, unsigned int pages)
{
	unsigned long pfn, prev = 0;
	unsigned int i, runs = 0;

	for (i = 0; i < pages; i++) {
		pfn = vmalloc_to_pfn(quantum + i * PAGE_SIZE);
		if (!i || pfn != prev + 1)
			runs++;
		prev = pfn;
	}
	return runs;
}

static void scullv_dump_qset(struct seq_file *m,
			     const struct scullv_store *store,
			     unsigned long set, void **slots)
{
	unsigned int pages = 1U << store->order;
	unsigned int i;
	void *quantum;

	seq_printf(m, "  qset %lu at %p\n", set, slots);
	for (i = 0; i < store->qset; i++) {
		/* The fault handler publishes quanta without the lock. */
		quantum = READ_ONCE(slots[i]);
		if (!quantum)
			continue;
		if (!is_vmalloc_addr(quantum)) {
			seq_printf(m, "    %4u: %p not vmalloc memory\n",
				   i, quantum);
			continue;
		}
		seq_printf(m,
			   "    %4u: %p vmalloc, %u pages in %u physical runs\n",
			   i, quantum, pages, scullv_phys_runs(quantum, pages));
	}
}

/**
 * scullv_dev_dump() - print a device's geometry, size and quanta
 * @m: where to print
 * @dev: the device
 *
 * The first line is the book's, "Device 0: qset 500, order 4, sz 1535135"
 * for example, with the geometry in use (not the pending one).
 *
 * Context: process context; takes @dev->lock shared, beside readers.
 */
VISIBLE_IF_KUNIT void scullv_dev_dump(struct seq_file *m,
				      struct scullv_dev *dev)
{
	struct scullv_store *store;
	unsigned long set;
	void **slots;

	down_read(&dev->lock);
	store = dev->store;
	seq_printf(m, "Device %u: qset %u, order %u, sz %lld\n",
		   dev->index, store->qset, store->order, store->size);
	xa_for_each(&store->qsets, set, slots)
		scullv_dump_qset(m, store, set, slots);
	up_read(&dev->lock);
}
EXPORT_SYMBOL_IF_KUNIT(scullv_dev_dump);

static int scullv_mem_show(struct seq_file *m, void *unused)
{
	unsigned int i;

	for (i = 0; i < scullv_debugfs_ndevs; i++)
		scullv_dev_dump(m, scullv_debugfs_devs[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(scullv_mem);

/**
 * scullv_debugfs_init() - create scullv/scullvmem in debugfs
 * @devs: the devices to dump
 * @ndevs: how many
 *
 * Failures are not reported: debugfs is for debugging only.
 */
void scullv_debugfs_init(struct scullv_dev **devs, unsigned int ndevs)
{
	scullv_debugfs_devs = devs;
	scullv_debugfs_ndevs = ndevs;
	scullv_debugfs_dir = debugfs_create_dir("scullv", NULL);
	debugfs_create_file("scullvmem", 0400, scullv_debugfs_dir, NULL,
			    &scullv_mem_fops);
}

/**
 * scullv_debugfs_exit() - remove what scullv_debugfs_init() created
 */
void scullv_debugfs_exit(void)
{
	debugfs_remove_recursive(scullv_debugfs_dir);
}
