// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the arithmetic of scullv's I/O window, with ioremap() and
 * iounmap() stubbed: the whole pages that ioremap() is asked for, the
 * cookie of the first byte, ranges refused before ioremap(), a failed
 * ioremap(); and reads and writes of a window through the stubs.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/compiler_types.h>
#include <linux/limits.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "scullv_kunit.h"

/* What the stubbed ioremap() and iounmap() were asked. */
struct scullv_kunit_ioremap {
	void __iomem *cookie;	/* what the stubbed ioremap() returns */
	unsigned int maps, unmaps;
	phys_addr_t phys;
	size_t len;
	void __iomem *unmapped;
};

static void __iomem *scullv_kunit_ioremap_pages(phys_addr_t phys, size_t len)
{
	struct scullv_kunit_ioremap *rec = kunit_get_current_test()->priv;

	rec->maps++;
	rec->phys = phys;
	rec->len = len;
	return rec->cookie;
}

static void scullv_kunit_iounmap_pages(void __iomem *addr)
{
	struct scullv_kunit_ioremap *rec = kunit_get_current_test()->priv;

	rec->unmaps++;
	rec->unmapped = addr;
}

static struct scullv_kunit_ioremap *scullv_kunit_stub_ioremap(struct kunit *test,
							      void __iomem *cookie)
{
	struct scullv_kunit_ioremap *rec = kunit_kzalloc(test, sizeof(*rec), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rec);
	rec->cookie = cookie;
	test->priv = rec;
	kunit_activate_static_stub(test, scullv_ioremap_pages, scullv_kunit_ioremap_pages);
	kunit_activate_static_stub(test, scullv_iounmap_pages, scullv_kunit_iounmap_pages);
	return rec;
}

struct scullv_kunit_iomap_case {
	const char *desc;
	phys_addr_t phys;
	size_t size;
	phys_addr_t map_phys;	/* what ioremap() must be asked for */
	size_t map_len;
};

#define SCULLV_KUNIT_TOP_PAGE	((phys_addr_t)0 - PAGE_SIZE)

static const struct scullv_kunit_iomap_case scullv_kunit_iomap_cases[] = {
	{ "one aligned page", SCULLV_KUNIT_IOBASE, PAGE_SIZE,
	  SCULLV_KUNIT_IOBASE, PAGE_SIZE },
	{ "aligned pages", SCULLV_KUNIT_IOBASE, 3 * PAGE_SIZE,
	  SCULLV_KUNIT_IOBASE, 3 * PAGE_SIZE },
	{ "inside one page", SCULLV_KUNIT_IOBASE + 0x123, 0x100,
	  SCULLV_KUNIT_IOBASE, PAGE_SIZE },
	{ "last byte of a page", SCULLV_KUNIT_IOBASE + PAGE_SIZE - 1, 1,
	  SCULLV_KUNIT_IOBASE, PAGE_SIZE },
	{ "two bytes across pages", SCULLV_KUNIT_IOBASE + PAGE_SIZE - 1, 2,
	  SCULLV_KUNIT_IOBASE, 2 * PAGE_SIZE },
	{ "unaligned start and end", SCULLV_KUNIT_IOBASE + PAGE_SIZE + 0x234,
	  2 * PAGE_SIZE + 0x100, SCULLV_KUNIT_IOBASE + PAGE_SIZE, 3 * PAGE_SIZE },
	{ "unaligned start, aligned end", SCULLV_KUNIT_IOBASE + 0x800, PAGE_SIZE + 0x800,
	  SCULLV_KUNIT_IOBASE, 2 * PAGE_SIZE },
	{ "top page of the address space", SCULLV_KUNIT_TOP_PAGE + 5, PAGE_SIZE - 5,
	  SCULLV_KUNIT_TOP_PAGE, PAGE_SIZE },
};

KUNIT_ARRAY_PARAM_DESC(scullv_kunit_iomap, scullv_kunit_iomap_cases, desc);

/* ioremap() is asked for whole pages; the cookie points at the first byte. */
static void iomap_test_page_arithmetic(struct kunit *test)
{
	const struct scullv_kunit_iomap_case *c = test->param_value;
	void *fake = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	void __iomem *cookie = (void __force __iomem *)fake;
	struct scullv_kunit_ioremap *rec;
	struct scullv_iomap map;

	KUNIT_ASSERT_NOT_NULL(test, fake);
	rec = scullv_kunit_stub_ioremap(test, cookie);
	KUNIT_ASSERT_EQ(test, scullv_iomap(&map, c->phys, c->size), 0);
	KUNIT_EXPECT_EQ(test, rec->maps, 1);
	KUNIT_EXPECT_EQ(test, rec->phys, c->map_phys);
	KUNIT_EXPECT_EQ(test, rec->len, c->map_len);
	KUNIT_EXPECT_EQ(test, rec->phys & ~PAGE_MASK, 0);
	KUNIT_EXPECT_EQ(test, rec->len & ~PAGE_MASK, 0);
	KUNIT_EXPECT_EQ(test, (uintptr_t)map.base, (uintptr_t)cookie);
	KUNIT_EXPECT_EQ(test, (uintptr_t)map.virt,
			(uintptr_t)cookie + (uintptr_t)(c->phys - c->map_phys));
	KUNIT_EXPECT_EQ(test, map.phys, c->phys);
	KUNIT_EXPECT_EQ(test, map.size, c->size);

	scullv_iounmap(&map);
	KUNIT_EXPECT_EQ(test, rec->unmaps, 1);
	KUNIT_EXPECT_EQ(test, (uintptr_t)rec->unmapped, (uintptr_t)cookie);
}

/* Empty ranges and ranges that wrap around are refused before ioremap(). */
static void iomap_test_bad_ranges(struct kunit *test)
{
	struct scullv_kunit_ioremap *rec = scullv_kunit_stub_ioremap(test, NULL);
	struct scullv_iomap map;

	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, SCULLV_KUNIT_IOBASE, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, SCULLV_KUNIT_TOP_PAGE, 2 * PAGE_SIZE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, SCULLV_KUNIT_TOP_PAGE + 1, PAGE_SIZE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, SCULLV_KUNIT_IOBASE, SIZE_MAX), -EINVAL);
	/* No wrap, but the mapping would not fit in a size_t. */
	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, 1, SIZE_MAX - PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, rec->maps, 0);
	KUNIT_EXPECT_EQ(test, rec->unmaps, 0);
}

/* A failed ioremap() is -ENOMEM, with nothing to unmap. */
static void iomap_test_ioremap_fails(struct kunit *test)
{
	struct scullv_kunit_ioremap *rec = scullv_kunit_stub_ioremap(test, NULL);
	struct scullv_iomap map;

	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, SCULLV_KUNIT_IOBASE + 0x10, 0x20), -ENOMEM);
	KUNIT_EXPECT_EQ(test, rec->maps, 1);
	KUNIT_EXPECT_EQ(test, rec->unmaps, 0);
}

/*
 * Bytes written to the window land at the right offsets of the memory; a
 * kernel buffer stands in for the I/O memory that the stubbed ioremap()
 * maps.  UML's accessors reach only logic_iomem areas: there the
 * scullv_logic_iomem suite does the same through a region.
 */
static void iomap_test_window_io(struct kunit *test)
{
	const size_t lead = 0x234, size = 2 * PAGE_SIZE + 0x100;
	const size_t maplen = 3 * PAGE_SIZE;
	struct scullv_iomap *map;
	u8 *mem;

	if (IS_ENABLED(CONFIG_INDIRECT_IOMEM))
		kunit_skip(test, "I/O accessors reach only logic_iomem: see scullv_logic_iomem");
	mem = kunit_kzalloc(test, maplen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	scullv_kunit_stub_ioremap(test, (void __force __iomem *)mem);
	map = kunit_kzalloc(test, sizeof(*map), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_ASSERT_EQ(test, scullv_iomap(map, SCULLV_KUNIT_IOBASE + PAGE_SIZE + lead, size),
			0);
	scullv_kunit_window_io(test, map, mem, lead, maplen);
}

static struct kunit_case scullv_iomap_cases[] = {
	KUNIT_CASE_PARAM(iomap_test_page_arithmetic, scullv_kunit_iomap_gen_params),
	KUNIT_CASE(iomap_test_bad_ranges),
	KUNIT_CASE(iomap_test_ioremap_fails),
	KUNIT_CASE(iomap_test_window_io),
	{}
};

static struct kunit_suite scullv_iomap_suite = {
	.name = "scullv_iomap",
	.test_cases = scullv_iomap_cases,
};

kunit_test_suite(scullv_iomap_suite);
