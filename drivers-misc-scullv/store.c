// SPDX-License-Identifier: GPL-2.0
/*
 * scullv: the quantum store.
 *
 * A store keeps the bytes of one device in quanta of PAGE_SIZE << order
 * bytes, each a separate vmalloc() area, grouped in quantum sets of qset
 * slots.  The sets live in an xarray indexed by set number, so reaching
 * any offset costs one xarray lookup (logarithmic in the number of sets)
 * instead of the book's walk along a list.
 */

#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pipe_fs_i.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "scullv.h"

/**
 * scullv_may_vmalloc() - may a quantum be allocated in this context?
 * @gfp: allocation flags the caller wants to use
 *
 * vmalloc() sleeps: it allocates page tables with GFP_KERNEL and refuses
 * non-blocking masks, and it BUG()s in interrupt context.  Refuse up front
 * where it must not run: a mask that may not block, interrupt or softirq
 * context, interrupts disabled, and (where CONFIG_PREEMPT_COUNT lets
 * preempt_count() see them) held spinlocks and preempt_disable().
 *
 * Return: true if vmalloc() may be called with @gfp here.
 */
VISIBLE_IF_KUNIT bool scullv_may_vmalloc(gfp_t gfp)
{
	if (!gfpflags_allow_blocking(gfp))
		return false;
	if (!in_task() || irqs_disabled())
		return false;
	if (IS_ENABLED(CONFIG_PREEMPT_COUNT) && preempt_count())
		return false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_may_vmalloc);

/**
 * scullv_vmalloc_quantum() - allocate the memory of one quantum
 * @size: bytes to allocate
 * @gfp: allocation flags; __GFP_ZERO where the caller will not overwrite
 *	every byte before the quantum is published
 *
 * The one place where the driver calls vmalloc, so that KUnit tests can
 * make it fail.  Failures are reported to the writer as -ENOMEM, so they
 * are not logged.
 *
 * Return: the area, or NULL.
 */
VISIBLE_IF_KUNIT void *scullv_vmalloc_quantum(unsigned long size, gfp_t gfp)
{
	KUNIT_STATIC_STUB_REDIRECT(scullv_vmalloc_quantum, size, gfp);
	return __vmalloc(size, gfp | __GFP_NOWARN);
}
EXPORT_SYMBOL_IF_KUNIT(scullv_vmalloc_quantum);

/**
 * scullv_zalloc() - allocate a store or the slot array of a quantum set
 * @size: bytes to allocate
 * @gfp: allocation flags
 *
 * Apart, like scullv_vmalloc_quantum(), so that KUnit tests can see the
 * masks and make it fail; the memory is zeroed and freed with kvfree().
 *
 * Return: the memory, or NULL.
 */
VISIBLE_IF_KUNIT void *scullv_zalloc(size_t size, gfp_t gfp)
{
	KUNIT_STATIC_STUB_REDIRECT(scullv_zalloc, size, gfp);
	return kvzalloc(size, gfp | __GFP_NOWARN);
}
EXPORT_SYMBOL_IF_KUNIT(scullv_zalloc);

/**
 * scullv_store_alloc() - create an empty store
 * @order: quantum order
 * @qset: quanta per quantum set
 *
 * Return: the store, or NULL when out of memory.
 */
struct scullv_store *scullv_store_alloc(unsigned int order, unsigned int qset)
{
	struct scullv_store *store;

	store = scullv_zalloc(sizeof(*store), GFP_KERNEL_ACCOUNT);
	if (!store)
		return NULL;
	xa_init(&store->qsets);
	store->order = order;
	store->qset = qset;
	return store;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_store_alloc);

/**
 * scullv_store_free() - free a store and every quantum in it
 * @store: the store, or NULL; nobody may use it any more
 *
 * Context: may sleep (vfree()).
 */
void scullv_store_free(struct scullv_store *store)
{
	unsigned long set;
	void **slots;
	unsigned int i;

	if (!store)
		return;
	xa_for_each(&store->qsets, set, slots) {
		for (i = 0; i < store->qset; i++)
			vfree(slots[i]);
		kvfree(slots);
		cond_resched();
	}
	xa_destroy(&store->qsets);
	kvfree(store);
}
EXPORT_SYMBOL_IF_KUNIT(scullv_store_free);

/**
 * scullv_store_locate() - find the quantum set, slot and byte of an offset
 * @store: the store, whose geometry applies
 * @pos: byte offset, not negative
 * @where: filled in
 */
VISIBLE_IF_KUNIT void scullv_store_locate(const struct scullv_store *store,
					  loff_t pos, struct scullv_pos *where)
{
	unsigned int shift = PAGE_SHIFT + store->order;
	u32 slot;

	where->set = div_u64_rem((u64)pos >> shift, store->qset, &slot);
	where->slot = slot;
	where->offset = pos & (scullv_quantum_size(store->order) - 1);
}
EXPORT_SYMBOL_IF_KUNIT(scullv_store_locate);

/* The quantum in @slot of a set's slot array, NULL for a hole or no set. */
static void *scullv_slot_quantum(void **slots, unsigned int slot)
{
	return slots ? READ_ONCE(slots[slot]) : NULL;
}

/**
 * scullv_store_quantum() - look up a quantum without allocating it
 * @store: the store
 * @where: the quantum's set and slot
 *
 * Context: any; the caller keeps @store alive.
 * Return: the quantum, or NULL for a hole.
 */
static void *scullv_store_quantum(struct scullv_store *store,
				  const struct scullv_pos *where)
{
	return scullv_slot_quantum(xa_load(&store->qsets, where->set),
				   where->slot);
}

/*
 * Step @where to the first byte of the next quantum and return the slot
 * array of its set: @slots while the set is the same, else a lookup of the
 * next one (NULL for a set never written).  A walk over consecutive quanta
 * thus needs one division and one xarray lookup per set, not per quantum.
 */
static void **scullv_next_quantum(struct scullv_store *store,
				  struct scullv_pos *where, void **slots)
{
	where->offset = 0;
	if (++where->slot < store->qset)
		return slots;
	where->slot = 0;
	return xa_load(&store->qsets, ++where->set);
}

/* Return the slot array of quantum set @set, allocating it if needed. */
static void **scullv_store_get_set(struct scullv_store *store,
				   unsigned long set, gfp_t gfp)
{
	void **slots, **old;

	slots = xa_load(&store->qsets, set);
	if (slots)
		return slots;

	slots = scullv_zalloc(array_size(store->qset, sizeof(*slots)), gfp);
	if (!slots)
		return ERR_PTR(-ENOMEM);
	old = xa_cmpxchg(&store->qsets, set, NULL, slots, gfp);
	if (!old)
		return slots;
	/* Another fault got there first, or the xarray could not grow. */
	kvfree(slots);
	return xa_is_err(old) ? ERR_PTR(xa_err(old)) : old;
}

/*
 * The slot array of @where's quantum set, ready for a new quantum:
 * ERR_PTR(-EWOULDBLOCK) where vmalloc() may not run, having allocated
 * nothing, or ERR_PTR(-ENOMEM).
 */
static void **scullv_store_prepare(struct scullv_store *store,
				   const struct scullv_pos *where, gfp_t gfp)
{
	if (!scullv_may_vmalloc(gfp))
		return ERR_PTR(-EWOULDBLOCK);
	return scullv_store_get_set(store, where->set, gfp);
}

/**
 * scullv_store_populate() - look up a quantum, allocating it if it is a hole
 * @store: the store
 * @where: the quantum's set and slot
 * @gfp: allocation flags; must allow sleeping
 *
 * A new quantum is zeroed before it is published, so no reader ever sees
 * stale memory.  Two callers racing for the same hole both allocate; one
 * wins the cmpxchg() and the other frees its copy.
 *
 * Context: process context, may sleep.
 * Return: the quantum; ERR_PTR(-EWOULDBLOCK) where vmalloc() may not run
 * (see scullv_may_vmalloc()), having allocated nothing; ERR_PTR(-ENOMEM).
 */
VISIBLE_IF_KUNIT void *scullv_store_populate(struct scullv_store *store,
					     const struct scullv_pos *where,
					     gfp_t gfp)
{
	void **slots;
	void *quantum, *old;

	slots = scullv_store_prepare(store, where, gfp);
	if (IS_ERR(slots))
		return slots;
	quantum = READ_ONCE(slots[where->slot]);
	if (quantum)
		return quantum;

	quantum = scullv_vmalloc_quantum(scullv_quantum_size(store->order),
					 gfp | __GFP_ZERO);
	if (!quantum)
		return ERR_PTR(-ENOMEM);
	old = cmpxchg(&slots[where->slot], NULL, quantum);
	if (!old)
		return quantum;
	vfree(quantum);
	return old;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_store_populate);

/* Bytes from @where to the end of its quantum, capped at @count. */
static size_t scullv_chunk(const struct scullv_store *store,
			   const struct scullv_pos *where, size_t count)
{
	return min(count, scullv_quantum_size(store->order) - where->offset);
}

/**
 * scullv_store_read() - copy stored bytes out, holes as zeros
 * @store: the store
 * @ppos: offset to read from; advanced by the bytes copied
 * @to: destination
 *
 * Copies min(count, size - *@ppos) bytes, across as many quanta as that
 * takes.
 *
 * Context: the caller keeps @store alive and its size stable.
 * Return: bytes copied, 0 at or past the end, or -EFAULT if nothing could
 * be copied.
 */
ssize_t scullv_store_read(struct scullv_store *store, loff_t *ppos,
			  struct iov_iter *to)
{
	loff_t pos = *ppos;
	size_t count, done = 0;
	struct scullv_pos where;
	void **slots;

	if (pos >= store->size || !iov_iter_count(to))
		return 0;
	count = min_t(u64, iov_iter_count(to), store->size - pos);

	scullv_store_locate(store, pos, &where);
	slots = xa_load(&store->qsets, where.set);
	while (done < count) {
		size_t chunk, copied;
		void *quantum;

		chunk = scullv_chunk(store, &where, count - done);
		quantum = scullv_slot_quantum(slots, where.slot);
		if (quantum)
			copied = copy_to_iter(quantum + where.offset, chunk,
					      to);
		else
			copied = iov_iter_zero(chunk, to);
		done += copied;
		pos += copied;
		if (copied < chunk)
			break;
		slots = scullv_next_quantum(store, &where, slots);
	}
	*ppos = pos;
	return done ? done : -EFAULT;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_store_read);

/**
 * scullv_store_splice_read() - put stored pages into a pipe, holes as zeros
 * @store: the store
 * @ppos: offset to read from; advanced by the bytes spliced
 * @pipe: the pipe, locked by the caller, with room for at least one buffer
 * @len: bytes wanted
 *
 * Splices min(@len, size - *@ppos) bytes, or as many as the free buffers
 * of @pipe take, one buffer per page touched, without copying: a buffer
 * refers to a page of a quantum and holds a reference to it, so the page
 * outlives a trim until the pipe lets it go (vfree() drops the store's
 * own reference only); a hole is the zero page.  The buffers' operations
 * are the kernel's own, not the module's, since a pipe may outlive the
 * module.  As with a page-cache file, the pipe's reader gets the page as
 * it is when it reads: a write in between shows.
 *
 * Context: the caller keeps @store alive and its size stable.
 * Return: bytes spliced, 0 at or past the end.
 */
ssize_t scullv_store_splice_read(struct scullv_store *store, loff_t *ppos,
				 struct pipe_inode_info *pipe, size_t len)
{
	loff_t pos = *ppos;
	size_t done = 0;

	if (pos >= store->size)
		return 0;
	len = min_t(u64, len, store->size - pos);

	while (done < len && !pipe_full(pipe->head, pipe->tail, pipe->max_usage)) {
		struct scullv_pos where;
		size_t offset, chunk;
		struct page *page;
		void *quantum;

		scullv_store_locate(store, pos, &where);
		offset = offset_in_page(where.offset);
		chunk = min(len - done, PAGE_SIZE - offset);
		quantum = scullv_store_quantum(store, &where);
		page = quantum ? vmalloc_to_page(quantum + where.offset) :
				 ZERO_PAGE(0);
		get_page(page);
		/*
		 * A counted page that the pipe may not steal.  No flags:
		 * without PIPE_BUF_FLAG_CAN_MERGE a write() into the pipe never
		 * appends to the device's page.
		 */
		*pipe_head_buf(pipe) = (struct pipe_buffer) {
			.ops	= &nosteal_pipe_buf_ops,
			.page	= page,
			.offset	= offset,
			.len	= chunk,
		};
		pipe->head++;
		done += chunk;
		pos += chunk;
	}
	*ppos = pos;
	return done;
}

/*
 * Fill a hole that the write covers whole.  Its quantum is allocated
 * without __GFP_ZERO, because the copy overwrites every byte of it (for
 * large quanta the zeroing would be a good part of the cost of a fill),
 * and what a short copy leaves is zeroed before the quantum is published,
 * so no reader ever sees stale memory.  A copy that faults on its first
 * byte keeps nothing.  Return: bytes copied, or an error.
 */
static ssize_t scullv_store_fill_hole(struct scullv_store *store,
				      const struct scullv_pos *where,
				      struct iov_iter *from, gfp_t gfp)
{
	size_t size = scullv_quantum_size(store->order);
	void **slots, *quantum, *old;
	size_t copied;

	slots = scullv_store_prepare(store, where, gfp);
	if (IS_ERR(slots))
		return PTR_ERR(slots);
	quantum = scullv_vmalloc_quantum(size, gfp);
	if (!quantum)
		return -ENOMEM;
	copied = copy_from_iter(quantum, size, from);
	if (!copied) {
		vfree(quantum);
		return 0;
	}
	memset(quantum + copied, 0, size - copied);

	old = cmpxchg(&slots[where->slot], NULL, quantum);
	if (old) {
		/* A fault on a mapping of the device filled the hole first. */
		memcpy(old, quantum, copied);
		vfree(quantum);
	}
	return copied;
}

/* Copy @chunk bytes into the quantum at @where; return bytes or an error. */
static ssize_t scullv_store_write_quantum(struct scullv_store *store,
					  const struct scullv_pos *where,
					  size_t chunk, struct iov_iter *from,
					  gfp_t gfp)
{
	void *quantum = scullv_store_quantum(store, where);

	if (!quantum && chunk == scullv_quantum_size(store->order))
		return scullv_store_fill_hole(store, where, from, gfp);
	if (!quantum) {
		quantum = scullv_store_populate(store, where, gfp);
		if (IS_ERR(quantum))
			return PTR_ERR(quantum);
	}
	return copy_from_iter(quantum + where->offset, chunk, from);
}

/**
 * scullv_store_write() - copy bytes in, allocating the quanta they reach
 * @store: the store
 * @ppos: offset to write at; advanced by the bytes copied
 * @from: source; the caller has already capped its count
 * @gfp: allocation flags for new quanta
 *
 * On an allocation failure or a fault the bytes copied so far stay stored
 * and count; nothing stored before is touched.
 *
 * Context: process context, may sleep; the caller serialises writers.
 * Return: bytes copied, or the error that stopped the first byte.
 */
ssize_t scullv_store_write(struct scullv_store *store, loff_t *ppos,
			   struct iov_iter *from, gfp_t gfp)
{
	loff_t pos = *ppos;
	size_t done = 0;
	int err = 0;

	while (iov_iter_count(from)) {
		struct scullv_pos where;
		ssize_t copied;
		size_t chunk;

		scullv_store_locate(store, pos, &where);
		chunk = scullv_chunk(store, &where, iov_iter_count(from));
		copied = scullv_store_write_quantum(store, &where, chunk, from,
						    gfp);
		if (copied < 0) {
			err = copied;
			break;
		}
		done += copied;
		pos += copied;
		if ((size_t)copied < chunk) {
			err = -EFAULT;
			break;
		}
	}
	/*
	 * Only stored bytes move the end: a write that stopped before its
	 * first byte leaves the size alone, even when it began past the end.
	 * The fault handler reads the size without the device lock.
	 */
	if (done && pos > store->size)
		WRITE_ONCE(store->size, pos);
	*ppos = pos;
	return done ? done : err;
}
EXPORT_SYMBOL_IF_KUNIT(scullv_store_write);

/**
 * scullv_store_page() - the page backing a page offset, for the fault handler
 * @store: the store
 * @pgoff: page offset into the device
 * @gfp: allocation flags, used if the page lies in a hole
 *
 * A quantum is one vmalloc area: virtually contiguous, but each of its
 * pages may sit anywhere in physical memory, so the page is found with
 * vmalloc_to_page() at its own address, not by offsetting the first one.
 *
 * Context: process context, may sleep; the caller keeps @store alive.
 * Return: the page (without a reference taken); ERR_PTR(-EFAULT) past the
 * end of the data rounded up to a page; the error of
 * scullv_store_populate().
 */
struct page *scullv_store_page(struct scullv_store *store, pgoff_t pgoff,
			       gfp_t gfp)
{
	struct scullv_pos where;
	void *quantum;

	if (pgoff >= scullv_store_npages(store))
		return ERR_PTR(-EFAULT);
	scullv_store_locate(store, (loff_t)pgoff << PAGE_SHIFT, &where);
	quantum = scullv_store_populate(store, &where, gfp);
	if (IS_ERR(quantum))
		return ERR_CAST(quantum);
	return vmalloc_to_page(quantum + where.offset);
}
EXPORT_SYMBOL_IF_KUNIT(scullv_store_page);

/**
 * scullv_store_pages() - the pages of a run of page offsets, without allocating
 * @store: the store
 * @pgoff: page offset of the first page
 * @nr: pages wanted
 * @pages: filled with up to @nr pages (without references taken)
 *
 * For the fault handler, which maps the pages around a fault in one go.
 * The run stops at the first hole (left for its own first touch to fill),
 * at the end of the data rounded up to a page, or after @nr pages.
 *
 * Context: any; the caller keeps @store alive.
 * Return: the number of pages in @pages, 0 where @pgoff is in a hole or
 * past the end.
 */
unsigned int scullv_store_pages(struct scullv_store *store, pgoff_t pgoff,
				unsigned int nr, struct page **pages)
{
	pgoff_t end = scullv_store_npages(store);
	size_t qsize = scullv_quantum_size(store->order);
	struct scullv_pos where;
	unsigned int n = 0;
	void **slots;
	void *quantum;

	if (pgoff >= end)
		return 0;
	nr = min_t(pgoff_t, nr, end - pgoff);
	scullv_store_locate(store, (loff_t)pgoff << PAGE_SHIFT, &where);
	slots = xa_load(&store->qsets, where.set);
	while (n < nr) {
		quantum = scullv_slot_quantum(slots, where.slot);
		if (!quantum)
			break;
		for (; n < nr && where.offset < qsize; where.offset += PAGE_SIZE)
			pages[n++] = vmalloc_to_page(quantum + where.offset);
		slots = scullv_next_quantum(store, &where, slots);
	}
	return n;
}
