// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of scullv's I/O window over UML's logic_iomem: a region of
 * emulated I/O memory whose callbacks record what ioremap() asked for and
 * check that every access stays inside the mapping.  ioremap() must ask
 * the region for whole pages, data must land at the right offsets of the
 * region's memory, and iounmap() must undo the mapping.  Elsewhere the
 * boot test maps memmap= RAM instead, and these cases are skipped.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/logic_iomem.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "scullv_kunit.h"

#ifdef CONFIG_INDIRECT_IOMEM
/*
 * On UML, ioremap() reaches emulated I/O memory through logic_iomem: a
 * region of physical addresses, clear of virt-pci's, backed by a buffer.
 */
#define SCULLV_KUNIT_REGION_BASE	0x80000000
#define SCULLV_KUNIT_REGION_SIZE	SZ_64K

static u8 scullv_kunit_region_mem[SCULLV_KUNIT_REGION_SIZE];

static struct resource scullv_kunit_region = {
	.name	= "scullv-kunit",
	.start	= SCULLV_KUNIT_REGION_BASE,
	.end	= SCULLV_KUNIT_REGION_BASE + SCULLV_KUNIT_REGION_SIZE - 1,
	.flags	= IORESOURCE_MEM,
};

/* What the region's callbacks saw, for the one mapping at a time. */
static struct {
	unsigned int maps, unmaps, strays;
	unsigned long offset;	/* into the region, of the last map() */
	size_t size;		/* of the last map() */
	void *unmapped;		/* priv of the last unmap() */
} scullv_kunit_region_log;

/* Is [@offset, @offset + @size) inside the mapping?  Count it if not. */
static bool scullv_kunit_region_inside(unsigned int offset, int size)
{
	if (size >= 0 && offset + size <= scullv_kunit_region_log.size)
		return true;
	scullv_kunit_region_log.strays++;
	return false;
}

static unsigned long scullv_kunit_region_read(void *priv, unsigned int offset, int size)
{
	unsigned long val = 0;

	if (scullv_kunit_region_inside(offset, size))
		memcpy(&val, priv + offset, size);
	return val;
}

static void scullv_kunit_region_write(void *priv, unsigned int offset, int size,
				      unsigned long val)
{
	if (scullv_kunit_region_inside(offset, size))
		memcpy(priv + offset, &val, size);
}

static void scullv_kunit_region_set(void *priv, unsigned int offset, u8 value, int size)
{
	if (scullv_kunit_region_inside(offset, size))
		memset(priv + offset, value, size);
}

static void scullv_kunit_region_copy_from(void *priv, void *buffer, unsigned int offset,
					  int size)
{
	if (scullv_kunit_region_inside(offset, size))
		memcpy(buffer, priv + offset, size);
}

static void scullv_kunit_region_copy_to(void *priv, unsigned int offset, const void *buffer,
					int size)
{
	if (scullv_kunit_region_inside(offset, size))
		memcpy(priv + offset, buffer, size);
}

static void scullv_kunit_region_unmap(void *priv)
{
	scullv_kunit_region_log.unmaps++;
	scullv_kunit_region_log.unmapped = priv;
}

static const struct logic_iomem_ops scullv_kunit_region_ops = {
	.read		= scullv_kunit_region_read,
	.write		= scullv_kunit_region_write,
	.set		= scullv_kunit_region_set,
	.copy_from	= scullv_kunit_region_copy_from,
	.copy_to	= scullv_kunit_region_copy_to,
	.unmap		= scullv_kunit_region_unmap,
};

static long scullv_kunit_region_map(unsigned long offset, size_t size,
				    const struct logic_iomem_ops **ops, void **priv)
{
	scullv_kunit_region_log.maps++;
	scullv_kunit_region_log.offset = offset;
	scullv_kunit_region_log.size = size;
	if (offset > SCULLV_KUNIT_REGION_SIZE || size > SCULLV_KUNIT_REGION_SIZE - offset)
		return -EINVAL;
	*ops = &scullv_kunit_region_ops;
	*priv = scullv_kunit_region_mem + offset;
	return 0;
}

static const struct logic_iomem_region_ops scullv_kunit_region_map_ops = {
	.map = scullv_kunit_region_map,
};

KUNIT_DEFINE_ACTION_WRAPPER(scullv_kunit_iounmap, scullv_iounmap, struct scullv_iomap *);

/*
 * Map @size bytes at @lead bytes into page @page of the region.  A region
 * cannot be unregistered: it is registered once per boot, and only by a
 * built-in test, which cannot be unloaded from under it.
 */
static struct scullv_iomap *scullv_kunit_region_iomap(struct kunit *test, unsigned int page,
						      size_t lead, size_t size)
{
	static bool registered;
	struct scullv_iomap *map;

	if (!IS_BUILTIN(CONFIG_SCULLV_KUNIT_TEST))
		kunit_skip(test, "a logic_iomem region outlives a test module");
	if (!registered) {
		KUNIT_ASSERT_EQ(test, logic_iomem_add_region(&scullv_kunit_region,
							     &scullv_kunit_region_map_ops), 0);
		registered = true;
	}
	memset(&scullv_kunit_region_log, 0, sizeof(scullv_kunit_region_log));
	map = kunit_kzalloc(test, sizeof(*map), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_ASSERT_EQ(test, scullv_iomap(map, SCULLV_KUNIT_REGION_BASE + page * PAGE_SIZE +
					   lead, size), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, scullv_kunit_iounmap, map), 0);
	return map;
}
#endif /* CONFIG_INDIRECT_IOMEM */

/* Bytes written to the window land at the right offsets of the region. */
static void logic_iomem_test_window_io(struct kunit *test)
{
#ifdef CONFIG_INDIRECT_IOMEM
	const size_t lead = 0x234, size = 2 * PAGE_SIZE + 0x100;
	const size_t maplen = 3 * PAGE_SIZE;
	struct scullv_iomap *map;
	u8 *mem;

	map = scullv_kunit_region_iomap(test, 1, lead, size);
	mem = scullv_kunit_region_mem + scullv_kunit_region_log.offset;
	KUNIT_ASSERT_EQ(test, scullv_kunit_region_log.size, maplen);
	scullv_kunit_window_io(test, map, mem, lead, maplen);
#else
	kunit_skip(test, "no logic_iomem; scullv_iomap tests window I/O through stubs");
#endif
}

/*
 * End to end: ioremap() through logic_iomem asks the region for the whole
 * pages, data lands at the right offsets of the region's memory, and
 * iounmap() undoes the mapping.
 */
static void logic_iomem_test_end_to_end(struct kunit *test)
{
#ifdef CONFIG_INDIRECT_IOMEM
	const size_t lead = PAGE_SIZE - 1, size = PAGE_SIZE + 2;
	struct scullv_iomap *map;
	u8 *mem;

	map = scullv_kunit_region_iomap(test, 4, lead, size);
	KUNIT_EXPECT_EQ(test, scullv_kunit_region_log.maps, 1);
	KUNIT_EXPECT_EQ(test, scullv_kunit_region_log.offset, 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, scullv_kunit_region_log.size, 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, (uintptr_t)map->virt - (uintptr_t)map->base, lead);
	KUNIT_EXPECT_EQ(test, (uintptr_t)map->base & ~PAGE_MASK, 0);

	mem = scullv_kunit_region_mem + 4 * PAGE_SIZE;
	scullv_kunit_window_io(test, map, mem, lead, 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, scullv_kunit_region_log.strays, 0);

	kunit_release_action(test, scullv_kunit_iounmap, map);
	KUNIT_EXPECT_EQ(test, scullv_kunit_region_log.unmaps, 1);
	KUNIT_EXPECT_PTR_EQ(test, scullv_kunit_region_log.unmapped, (void *)mem);
#else
	kunit_skip(test, "no I/O memory to map in a KUnit boot; the boot test maps memmap= RAM");
#endif
}

/* A window copy to or from a user buffer that faults stops short. */
static void logic_iomem_test_short_copy(struct kunit *test)
{
#ifdef CONFIG_INDIRECT_IOMEM
	scullv_kunit_window_fault(test, scullv_kunit_region_iomap(test, 8, 0x234,
								  2 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, scullv_kunit_region_log.strays, 0);
#else
	kunit_skip(test, "no logic_iomem; iomap_test_short_copy runs the same copies");
#endif
}

static struct kunit_case scullv_logic_iomem_cases[] = {
	KUNIT_CASE(logic_iomem_test_window_io),
	KUNIT_CASE(logic_iomem_test_end_to_end),
	KUNIT_CASE(logic_iomem_test_short_copy),
	{}
};

static struct kunit_suite scullv_logic_iomem_suite = {
	.name = "scullv_logic_iomem",
	.test_cases = scullv_logic_iomem_cases,
};

kunit_test_suite(scullv_logic_iomem_suite);
