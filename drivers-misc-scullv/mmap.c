// SPDX-License-Identifier: GPL-2.0
/*
 * scullv: mapping a device into user space.
 *
 * Quanta are separate vmalloc areas, so remap_vmalloc_range() cannot map
 * a device in one go; a fault handler hands out one page at a time
 * instead.  It cannot take the device lock (read() and write() hold it
 * while they fault on user memory, which may be a mapping of the very
 * same device), so the device is never trimmed while it is mapped: the
 * store stays put and the handler can use it without the lock.
 */

#include <linux/mm.h>

#include "scullv.h"

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

static vm_fault_t scullv_vm_fault(struct vm_fault *vmf)
{
	struct scullv_dev *dev = vmf->vma->vm_private_data;
	struct page *page;

	/*
	 * No __GFP_RETRY_MAYFAIL here: a fault that fails with VM_FAULT_OOM
	 * is retried, so it must let the OOM killer make progress.
	 */
	page = scullv_store_page(READ_ONCE(dev->store), vmf->pgoff,
				 GFP_KERNEL_ACCOUNT);
	/* SIGBUS past the end */
	if (IS_ERR(page))
		return vmf_error(PTR_ERR(page));

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
 * scullv_mmap() - map a device; pages are faulted in one at a time
 * @file: an open scullv device
 * @vma: the new mapping
 *
 * Shared and private mappings, read-only or writable, are allowed.  Past
 * the end of the data (rounded up to a page) an access gets SIGBUS; a hole
 * inside it is filled with a zeroed quantum on first access.  While any
 * mapping exists, a trim (and so a geometry change) fails with -EBUSY.
 *
 * Context: called with the mmap lock held for writing.
 * Return: 0.
 */
int scullv_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_private_data = file->private_data;
	vma->vm_ops = &scullv_vm_ops;
	scullv_vm_open(vma);
	return 0;
}
