// SPDX-License-Identifier: GPL-2.0
/*
 * scullv: mapping a device into user space.
 *
 * Quanta are separate vmalloc areas, so remap_vmalloc_range() cannot map
 * a device in one go.  A fault handler maps them instead, a window of
 * pages per fault: every page that exists in the aligned block of the
 * file that holds the faulting page, with vm_insert_pages().  A fault
 * costs far more than mapping a page, so the window is wide, and aligned
 * so that an access going backwards is served as well as one going
 * forwards.  The handler cannot take the device lock (read() and write()
 * hold it while they fault on user memory, which may be a mapping of the
 * very same device), so the device is never trimmed while it is mapped:
 * the store stays put and the handler can use it without the lock.
 */

#include <linux/minmax.h>
#include <linux/mm.h>

#include "scullv.h"

/* Pages looked up and inserted at a time. */
#define SCULLV_MAP_BATCH	16

static void scullv_vm_open(struct vm_area_struct *vma)
{
	struct scullv_dev *dev = vma->vm_private_data;

	spin_lock(&dev->map_lock);
	dev->nmaps++;
	spin_unlock(&dev->map_lock);
}

static void scullv_vm_close(struct vm_area_struct *vma)
{
	struct scullv_dev *dev = vma->vm_private_data;

	spin_lock(&dev->map_lock);
	dev->nmaps--;
	spin_unlock(&dev->map_lock);
}

/*
 * Insert @n pages at @addr.  A page table entry that is already there (a
 * fault on a neighbour raced with this one, or a private copy was made)
 * is kept, and the others are still inserted.
 */
static int scullv_insert_pages(struct vm_area_struct *vma, unsigned long addr,
			       struct page **pages, unsigned long n)
{
	while (n) {
		unsigned long left = n, done;
		int err;

		err = vm_insert_pages(vma, addr, pages, &left);
		if (err != -EBUSY)
			return err;
		/* pages[done] is the one whose entry was there: skip it. */
		done = n - left + 1;
		addr += done << PAGE_SHIFT;
		pages += done;
		n -= done;
	}
	return 0;
}

/*
 * Map the pages around a fault: those of the block of SCULLV_MAP_WINDOW
 * pages of the file, aligned to its size, that holds the faulting page,
 * within the VMA and the data.  Holes are skipped and stay unmapped: each
 * is filled at its own first touch.  Each entry holds a reference to its
 * page, as vmf->page's does.  Returns true when the faulting page is
 * among those mapped.
 */
static bool scullv_map_around(struct vm_fault *vmf, struct scullv_store *store)
{
	struct vm_area_struct *vma = vmf->vma;
	pgoff_t qpages = 1UL << store->order;
	pgoff_t start = vmf->pgoff & ~(SCULLV_MAP_WINDOW - 1);
	pgoff_t first = max(start, vma->vm_pgoff);
	pgoff_t last = min3(start + SCULLV_MAP_WINDOW, vma->vm_pgoff + vma_pages(vma),
			    scullv_store_npages(store));
	struct page *pages[SCULLV_MAP_BATCH];
	bool mapped = false;

	while (first < last) {
		unsigned int want = min_t(pgoff_t, last - first, SCULLV_MAP_BATCH);
		unsigned int n = scullv_store_pages(store, first, want, pages);

		if (!n) {
			/* A hole: on to the next quantum. */
			first = (first | (qpages - 1)) + 1;
			continue;
		}
		if (scullv_insert_pages(vma, vma->vm_start +
					((first - vma->vm_pgoff) << PAGE_SHIFT),
					pages, n))
			break;
		if (vmf->pgoff >= first && vmf->pgoff < first + n)
			mapped = true;
		first += n;
	}
	return mapped;
}

static vm_fault_t scullv_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct scullv_dev *dev = vma->vm_private_data;
	struct scullv_store *store = READ_ONCE(dev->store);
	struct page *page;

	/*
	 * No __GFP_RETRY_MAYFAIL here: a fault that fails with VM_FAULT_OOM
	 * is retried, so it must let the OOM killer make progress.
	 */
	page = scullv_store_page(store, vmf->pgoff, GFP_KERNEL_ACCOUNT);
	/* SIGBUS past the end */
	if (IS_ERR(page))
		return vmf_error(PTR_ERR(page));

	/*
	 * A write to a private mapping gets a copy of the page, made by the
	 * mm from vmf->page; otherwise the pages around are mapped as they
	 * are.  Should that fail, the faulting page is still mapped below.
	 */
	if ((!(vmf->flags & FAULT_FLAG_WRITE) || (vma->vm_flags & VM_SHARED)) &&
	    scullv_map_around(vmf, store))
		return VM_FAULT_NOPAGE;

	/* The mapping holds a reference until it is unmapped. */
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct scullv_vm_ops = {
	.open	= scullv_vm_open,
	.close	= scullv_vm_close,
	.fault	= scullv_vm_fault,
};

/**
 * scullv_mmap() - map a device; pages are mapped a window at a time on faults
 * @file: an open scullv device
 * @vma: the new mapping
 *
 * Shared and private mappings, read-only or writable, are allowed.  Past
 * the end of the data (rounded up to a page) an access gets SIGBUS; a hole
 * inside it is filled with a zeroed quantum on first access.  While any
 * mapping exists, a trim (and so a geometry change) fails with -EBUSY.
 *
 * The fault handler inserts pages itself (vm_insert_pages()), which needs
 * VM_MIXEDMAP: the entries are those of ordinary, counted pages, so fork,
 * mremap and get_user_pages() treat them as they treat the page cache's.
 *
 * Context: called with the mmap lock held for writing.
 * Return: 0.
 */
int scullv_mmap(struct file *file, struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_MIXEDMAP);
	vma->vm_private_data = file->private_data;
	vma->vm_ops = &scullv_vm_ops;
	scullv_vm_open(vma);
	return 0;
}
