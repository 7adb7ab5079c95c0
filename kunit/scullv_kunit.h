/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The helpers that the scullv KUnit suites share; helpers.c has the
 * bodies of those that are not inline here.
 *
 * The suites reach the driver through the functions it exports to KUnit
 * (EXPORT_SYMBOL_IF_KUNIT) and work on test devices and stores of their
 * own: the devices the driver registered are never touched.  Most tests
 * use a small geometry (one-page quanta, two or three to a set), so that
 * quantum and quantum-set boundaries lie a few pages apart.
 *
 * Every test device, store, file, buffer and mapping is released by a
 * KUnit cleanup action.  Those run in a thread of their own after the test
 * thread has ended, so what must be undone by the test thread itself (its
 * credentials, user mappings of a test device) is undone in the test.
 */
#ifndef _SCULLV_KUNIT_H
#define _SCULLV_KUNIT_H

#include <kunit/test.h>
#include <linux/compiler_types.h>
#include <linux/gfp_types.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include "../scullv.h"

struct file;

/* The byte limit of test devices: far beyond what any test writes. */
#define SCULLV_KUNIT_MAX_SIZE	((loff_t)SZ_256M)

/* A physical address for the I/O window tests; never mapped for real. */
#define SCULLV_KUNIT_IOBASE	((phys_addr_t)SZ_1G)

/* Calls of scullv_vmalloc_quantum() whose gfp mask the stub keeps. */
#define SCULLV_KUNIT_GFP_LOG	8

/*
 * What the stubbed scullv_vmalloc_quantum() did, in test->priv while
 * scullv_kunit_fail_vmalloc() has it installed.
 */
struct scullv_kunit_vfail {
	unsigned int fail_at;	/* 1 for the first call; 0 for none */
	unsigned int calls;
	unsigned int zeroed;	/* calls with __GFP_ZERO */
	gfp_t gfp[SCULLV_KUNIT_GFP_LOG];	/* the mask of each call */
};

/* Devices, stores, files and memory, all freed with the test. */
struct scullv_store *scullv_kunit_store(struct kunit *test, unsigned int order,
					unsigned int qset);
struct scullv_dev *scullv_kunit_dev(struct kunit *test, unsigned int order,
				    unsigned int qset);
struct file *scullv_kunit_file(struct kunit *test, struct scullv_dev *dev);
unsigned long scullv_kunit_mmap(struct kunit *test, struct file *file, size_t len,
				unsigned long prot, loff_t offset);
void __user *scullv_kunit_umem(struct kunit *test, size_t len);
u8 *scullv_kunit_buf(struct kunit *test, size_t len);

/* The state of a device or store, looked at without the driver. */
unsigned int scullv_kunit_nmaps(struct scullv_dev *dev);
int scullv_kunit_trim(struct scullv_dev *dev);
unsigned int scullv_kunit_nquanta(struct scullv_store *store);
bool scullv_kunit_backed(const void *addr, size_t len);

/* The quantum in slot @slot of set @set, looked up without the driver. */
static inline void *scullv_kunit_slot(struct scullv_store *store, unsigned long set,
				      unsigned int slot)
{
	void **slots = xa_load(&store->qsets, set);

	return slots ? slots[slot] : NULL;
}

/* Quantum number @idx, counting from the start of the device. */
static inline void *scullv_kunit_quantum(struct scullv_store *store, u64 idx)
{
	u32 slot;
	u64 set = div_u64_rem(idx, store->qset, &slot);

	return scullv_kunit_slot(store, set, slot);
}

/* The byte the tests store at offset @pos: neighbouring pages differ. */
static inline u8 scullv_kunit_byte(loff_t pos, u8 seed)
{
	return ((pos + (pos >> PAGE_SHIFT) * 89 + (pos >> 20) * 13) & 0xff) ^ seed;
}

/* The pattern of scullv_kunit_byte(), in buffers and stores. */
void scullv_kunit_fill(u8 *buf, loff_t pos, size_t len, u8 seed);
long scullv_kunit_mismatch(const u8 *buf, loff_t pos, size_t len, u8 seed);
ssize_t scullv_kunit_swrite(struct scullv_store *store, loff_t pos,
			    const void *buf, size_t len, gfp_t gfp);
ssize_t scullv_kunit_sread(struct scullv_store *store, loff_t *pos, void *buf,
			   size_t len);
ssize_t scullv_kunit_swrite_pattern(struct kunit *test, struct scullv_store *store,
				    loff_t pos, size_t len, u8 seed);
void scullv_kunit_expect_pattern(struct kunit *test, struct scullv_store *store,
				 loff_t pos, size_t len, u8 seed);
void scullv_kunit_fwrite_pattern(struct kunit *test, struct file *file,
				 loff_t pos, size_t len, u8 seed);

/* Stub scullv_vmalloc_quantum(): call @fail_at fails, every mask is kept. */
struct scullv_kunit_vfail *scullv_kunit_fail_vmalloc(struct kunit *test,
						     unsigned int fail_at);

/*
 * A race for a hole, staged: while the allocator runs for the hole at
 * @set, @slot of @store (a quantum, or with @whole_set the set's slot
 * array), a "winner" is published there, as a concurrent fault would.
 */
struct scullv_kunit_race {
	struct scullv_store *store;
	unsigned long set;
	unsigned int slot;
	bool whole_set;		/* race for the slot array, not the quantum */
	void *winner;		/* what was published under the allocator */
	void *loser;		/* what the allocator handed the driver */
};

struct scullv_kunit_race *scullv_kunit_stage_race(struct kunit *test,
						  struct scullv_store *store,
						  unsigned long set, unsigned int slot,
						  bool whole_set);

/* Calls of scullv_zalloc(): their sizes and masks, in test->priv. */
struct scullv_kunit_zlog {
	unsigned int calls;
	size_t size[SCULLV_KUNIT_GFP_LOG];
	gfp_t gfp[SCULLV_KUNIT_GFP_LOG];
};

struct scullv_kunit_zlog *scullv_kunit_log_zalloc(struct kunit *test);

/* The description of an order parameter (KUNIT_ARRAY_PARAM). */
void scullv_kunit_order_desc(const unsigned int *order, char *desc);

/* Window I/O on @map, whose memory from its first page on is @mem. */
void scullv_kunit_window_io(struct kunit *test, struct scullv_iomap *map, u8 *mem,
			    size_t lead, size_t maplen);
void scullv_kunit_window_fault(struct kunit *test, struct scullv_iomap *map);

#endif /* _SCULLV_KUNIT_H */
