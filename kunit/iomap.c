// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the arithmetic of scullv's I/O window, with ioremap() and
 * iounmap() stubbed: the whole pages that ioremap() is asked for, the
 * cookie of the first byte, ranges refused before ioremap(), a failed
 * ioremap(); reads and writes of a window through the stubs, short
 * copies; and the checks of the window's module parameters: wrapping
 * ranges, and System RAM laid out on purpose in the resource tree.
 */

#include <kunit/resource.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/compiler_types.h>
#include <linux/ioport.h>
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

/* An empty range is refused at physical address 0 too, where it cannot wrap. */
static void iomap_test_empty_at_zero(struct kunit *test)
{
	struct scullv_kunit_ioremap *rec = scullv_kunit_stub_ioremap(test, NULL);
	struct scullv_iomap map;

	KUNIT_EXPECT_EQ(test, scullv_iomap(&map, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, rec->maps, 0);
}

/*
 * A window copy from or to a user buffer that faults stops short, and is
 * -EFAULT when it moves nothing; a kernel buffer stands in for the I/O
 * memory, as in iomap_test_window_io.
 */
static void iomap_test_short_copy(struct kunit *test)
{
	struct scullv_iomap *map;
	u8 *mem;

	if (IS_ENABLED(CONFIG_INDIRECT_IOMEM))
		kunit_skip(test, "I/O accessors reach only logic_iomem: see scullv_logic_iomem");
	mem = kunit_kzalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	scullv_kunit_stub_ioremap(test, (void __force __iomem *)mem);
	map = kunit_kzalloc(test, sizeof(*map), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_ASSERT_EQ(test, scullv_iomap(map, SCULLV_KUNIT_IOBASE + 0x234, 2 * PAGE_SIZE), 0);
	scullv_kunit_window_fault(test, map);
}

/*
 * The window's parameters: a range that ends at the top of the address
 * space is one, a range a byte longer wraps around; no size is refused,
 * and so is a base that phys_addr_t cannot hold.
 */
static void iomap_test_params_wrap(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, scullv_iowin_check(SCULLV_KUNIT_TOP_PAGE, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, scullv_iowin_check(SCULLV_KUNIT_TOP_PAGE + 1, PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_iowin_check(SCULLV_KUNIT_TOP_PAGE, PAGE_SIZE + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_iowin_check(SCULLV_KUNIT_IOBASE, ULONG_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_iowin_check(SCULLV_KUNIT_IOBASE, 0), -EINVAL);
#ifndef CONFIG_PHYS_ADDR_T_64BIT
	/* An io_base that a 32-bit phys_addr_t cannot hold. */
	KUNIT_EXPECT_EQ(test, scullv_iowin_check(1ULL << 32, PAGE_SIZE), -EINVAL);
#endif
}

KUNIT_DEFINE_ACTION_WRAPPER(scullv_kunit_release_resource, release_resource, struct resource *);

/* Claim @res, @size bytes at @start, in iomem_resource's top level. */
static int scullv_kunit_claim(struct kunit *test, struct resource *res, phys_addr_t start,
			      size_t size)
{
	res->start = start;
	res->end = start + size - 1;
	if (request_resource(&iomem_resource, res))
		return -EBUSY;
	return kunit_add_action_or_reset(test, scullv_kunit_release_resource, res);
}

/*
 * Lay out, in a free part of the physical address space, a page that the
 * resource tree calls System RAM and the page after it, an MMIO range:
 * the address of the RAM page, or 0.
 */
static phys_addr_t scullv_kunit_fake_ram(struct kunit *test)
{
	static const phys_addr_t candidates[] = {
#ifdef CONFIG_PHYS_ADDR_T_64BIT
		0x7f00000000ULL, 0x3f00000000ULL, 0xf00000000ULL, 0x1f0000000ULL,
#endif
		0xd0000000, 0x90000000,
	};
	struct resource *ram = kunit_kzalloc(test, sizeof(*ram), GFP_KERNEL);
	struct resource *mmio = kunit_kzalloc(test, sizeof(*mmio), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, ram);
	KUNIT_ASSERT_NOT_NULL(test, mmio);
	ram->name = "scullv-kunit fake System RAM";
	ram->flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
	mmio->name = "scullv-kunit fake MMIO";
	mmio->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	for (i = 0; i < ARRAY_SIZE(candidates); i++) {
		phys_addr_t base = candidates[i];

		if (region_intersects(base - PAGE_SIZE, 3 * PAGE_SIZE, IORESOURCE_MEM,
				      IORES_DESC_NONE) != REGION_DISJOINT)
			continue;
		if (scullv_kunit_claim(test, ram, base, PAGE_SIZE))
			continue;
		KUNIT_ASSERT_EQ(test, scullv_kunit_claim(test, mmio, base + PAGE_SIZE, PAGE_SIZE),
				0);
		return base;
	}
	return 0;
}

/*
 * A window must not overlap System RAM, wholly or in part; next to it is
 * fine.  The RAM and the MMIO range beside it are laid out on purpose.
 */
static void iomap_test_params_system_ram(struct kunit *test)
{
	phys_addr_t ram = scullv_kunit_fake_ram(test);

	KUNIT_ASSERT_NE_MSG(test, ram, 0, "no free range to lay out fake RAM in");
	KUNIT_EXPECT_EQ(test, scullv_iowin_check(ram, PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_iowin_check(ram + 0x10, 0x20), -EINVAL);
	/* The last byte of RAM and the first of MMIO: REGION_MIXED. */
	KUNIT_EXPECT_EQ(test, scullv_iowin_check(ram + PAGE_SIZE - 1, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_iowin_check(ram, 2 * PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, scullv_iowin_check(ram + PAGE_SIZE, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, scullv_iowin_check(ram - PAGE_SIZE, PAGE_SIZE), 0);
}

/*
 * A window over a range that is claimed already is refused as busy,
 * before anything is mapped: here the MMIO page beside the fake RAM.
 */
static void iomap_test_params_busy(struct kunit *test)
{
	phys_addr_t ram = scullv_kunit_fake_ram(test);
	struct scullv_kunit_ioremap *rec;

	KUNIT_ASSERT_NE_MSG(test, ram, 0, "no free range to lay out fake RAM in");
	/* A refusal that does not come fails to map instead: nothing to undo. */
	rec = scullv_kunit_stub_ioremap(test, NULL);
	KUNIT_EXPECT_EQ(test, scullv_iowin_create(NULL, 0, ram + PAGE_SIZE, PAGE_SIZE), -EBUSY);
	KUNIT_EXPECT_EQ(test, rec->maps, 0);
}

static struct kunit_case scullv_iomap_cases[] = {
	KUNIT_CASE_PARAM(iomap_test_page_arithmetic, scullv_kunit_iomap_gen_params),
	KUNIT_CASE(iomap_test_bad_ranges),
	KUNIT_CASE(iomap_test_ioremap_fails),
	KUNIT_CASE(iomap_test_window_io),
	KUNIT_CASE(iomap_test_empty_at_zero),
	KUNIT_CASE(iomap_test_short_copy),
	KUNIT_CASE(iomap_test_params_wrap),
	KUNIT_CASE(iomap_test_params_system_ram),
	KUNIT_CASE(iomap_test_params_busy),
	{}
};

static struct kunit_suite scullv_iomap_suite = {
	.name = "scullv_iomap",
	.test_cases = scullv_iomap_cases,
};

kunit_test_suite(scullv_iomap_suite);
