// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of scullv's debugfs dump: the header line of the book, one
 * line per quantum set and per quantum in order, hashed addresses only,
 * the geometry in use rather than the pending one, the physically
 * contiguous runs of quanta laid out on purpose, and the debugfs file.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <uapi/misc/scullv.h>

#include "scullv_kunit.h"

#define SCULLV_KUNIT_DUMP_SIZE	(8 * PAGE_SIZE)

/* The dump of @dev, NUL-terminated; hashing says whether %p was stable. */
static char *scullv_kunit_dump(struct kunit *test, struct scullv_dev *dev, bool *hashing)
{
	char *buf = kunit_kzalloc(test, SCULLV_KUNIT_DUMP_SIZE, GFP_KERNEL);
	struct seq_file m = { .buf = buf, .size = SCULLV_KUNIT_DUMP_SIZE };
	char before[32], after[32];

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* %p prints placeholders until the hashing key is ready. */
	snprintf(before, sizeof(before), "%p", test);
	scullv_dev_dump(&m, dev);
	snprintf(after, sizeof(after), "%p", test);
	*hashing = !strcmp(before, after);
	KUNIT_ASSERT_LT_MSG(test, m.count, m.size - 1, "the dump overflowed %zu bytes",
			    m.size);
	buf[m.count] = '\0';
	return buf;
}

/*
 * The raw address of no set or quantum of @store appears in @dump: %px
 * prints it in 16 hex digits, which contain the digits that %lx prints.
 */
static void scullv_kunit_expect_no_raw(struct kunit *test, struct scullv_store *store,
				       const char *dump)
{
	char raw[32];
	unsigned long set;
	unsigned int i;
	void **slots;

	xa_for_each(&store->qsets, set, slots) {
		snprintf(raw, sizeof(raw), "%lx", (unsigned long)slots);
		KUNIT_EXPECT_NULL_MSG(test, strstr(dump, raw), "set %lu at %s", set, raw);
		for (i = 0; i < store->qset; i++) {
			if (!slots[i])
				continue;
			snprintf(raw, sizeof(raw), "%lx", (unsigned long)slots[i]);
			KUNIT_EXPECT_NULL_MSG(test, strstr(dump, raw), "quantum at %s", raw);
		}
	}
	snprintf(raw, sizeof(raw), "%lx", (unsigned long)store);
	KUNIT_EXPECT_NULL(test, strstr(dump, raw));
}

/*
 * Check the lines after the header: one per quantum set, in order, then
 * one per quantum of that set, in order, each in vmalloc memory, with the
 * page count of the order and 1 to that many physical runs.  Returns the
 * number of quantum lines.
 */
static unsigned int scullv_kunit_check_body(struct kunit *test, struct scullv_store *store,
					    char *body, bool hashing)
{
	unsigned int pages = 1U << store->order, lines = 0, slot, npages, runs;
	unsigned long set, cur = ULONG_MAX;
	char token[32], want[32];
	void **slots = NULL;
	int last_slot = -1;
	char *line;

	while ((line = strsep(&body, "\n")) && *line) {
		if (sscanf(line, "  qset %lu at %31s", &set, token) == 2) {
			KUNIT_EXPECT_TRUE_MSG(test, cur == ULONG_MAX || set > cur,
					      "set %lu after set %lu", set, cur);
			slots = xa_load(&store->qsets, set);
			KUNIT_ASSERT_NOT_NULL_MSG(test, slots, "\"%s\": no such set", line);
			snprintf(want, sizeof(want), "%p", slots);
			if (hashing)
				KUNIT_EXPECT_STREQ(test, token, want);
			cur = set;
			last_slot = -1;
			continue;
		}
		if (sscanf(line, " %u: %31s vmalloc, %u pages in %u physical runs",
			   &slot, token, &npages, &runs) == 4) {
			KUNIT_ASSERT_NOT_NULL_MSG(test, slots, "\"%s\" before a set", line);
			KUNIT_ASSERT_LT(test, slot, store->qset);
			KUNIT_EXPECT_GT(test, (int)slot, last_slot);
			KUNIT_ASSERT_NOT_NULL_MSG(test, slots[slot], "\"%s\": a hole", line);
			snprintf(want, sizeof(want), "%p", slots[slot]);
			if (hashing)
				KUNIT_EXPECT_STREQ(test, token, want);
			KUNIT_EXPECT_EQ(test, npages, pages);
			KUNIT_EXPECT_GE(test, runs, 1);
			KUNIT_EXPECT_LE(test, runs, pages);
			last_slot = slot;
			lines++;
			continue;
		}
		KUNIT_FAIL(test, "unexpected line \"%s\"", line);
	}
	return lines;
}

/* The book's example: 1535135 bytes in 64 KiB quanta, 500 a set. */
static void dump_test_book_example(struct kunit *test)
{
	const size_t len = 1535135, chunk = SZ_64K;
	struct scullv_dev *dev = scullv_kunit_dev(test, 4, 500);
	struct file *file = scullv_kunit_file(test, dev);
	u8 *buf = scullv_kunit_buf(test, chunk);
	char *dump, *body;
	bool hashing;
	loff_t pos;

	for (pos = 0; pos < len; )
		KUNIT_ASSERT_GT(test, kernel_write(file, buf, min_t(size_t, chunk, len - pos),
						   &pos), 0);
	dump = scullv_kunit_dump(test, dev, &hashing);
	scullv_kunit_expect_no_raw(test, dev->store, dump);
	body = dump;
	KUNIT_EXPECT_STREQ(test, strsep(&body, "\n"),
			   "Device 0: qset 500, order 4, sz 1535135");
	KUNIT_ASSERT_NOT_NULL(test, body);
	KUNIT_EXPECT_EQ(test, scullv_kunit_check_body(test, dev->store, body, hashing),
			DIV_ROUND_UP(len, SZ_64K));
}

/* Holes and several sets: lines only for what is there. */
static void dump_test_sets_and_holes(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 2, 3);
	struct file *file = scullv_kunit_file(test, dev);
	size_t qsize = scullv_quantum_size(2);
	char *dump, *body, header[80];
	bool hashing;

	/* Quanta 1, 4 and 8: slot 1 of sets 0 and 1, slot 2 of set 2. */
	scullv_kunit_fwrite_pattern(test, file, qsize + 1, 1, 20);
	scullv_kunit_fwrite_pattern(test, file, 4 * qsize + 2, 1, 20);
	scullv_kunit_fwrite_pattern(test, file, 8 * qsize + 3, 1, 20);
	dump = scullv_kunit_dump(test, dev, &hashing);
	scullv_kunit_expect_no_raw(test, dev->store, dump);
	body = dump;
	snprintf(header, sizeof(header), "Device 0: qset 3, order 2, sz %zu", 8 * qsize + 4);
	KUNIT_EXPECT_STREQ(test, strsep(&body, "\n"), header);
	KUNIT_ASSERT_NOT_NULL(test, body);
	KUNIT_EXPECT_NOT_NULL(test, strstr(body, "  qset 0 at "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(body, "  qset 1 at "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(body, "  qset 2 at "));
	KUNIT_EXPECT_NULL(test, strstr(body, "  qset 3 at "));
	KUNIT_EXPECT_EQ(test, scullv_kunit_check_body(test, dev->store, body, hashing), 3);
}

/* The index of the device, and the geometry in use, not the pending one. */
static void dump_test_index_and_geometry(struct kunit *test)
{
	struct scullv_dev *dev = scullv_kunit_dev(test, 0, 3);
	struct file *file = scullv_kunit_file(test, dev);
	bool hashing;
	char *dump;

	dev->index = 3;
	scullv_kunit_fwrite_pattern(test, file, 0, 5000, 21);
	KUNIT_ASSERT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTORDER, 1), 0);
	KUNIT_ASSERT_EQ(test, scullv_dev_ioctl(dev, SCULLV_IOCTQSET, 7), 0);
	dump = scullv_kunit_dump(test, dev, &hashing);
	KUNIT_EXPECT_STREQ(test, strsep(&dump, "\n"), "Device 3: qset 3, order 0, sz 5000");

	KUNIT_ASSERT_EQ(test, scullv_kunit_trim(dev), 0);
	dump = scullv_kunit_dump(test, dev, &hashing);
	KUNIT_EXPECT_STREQ(test, dump, "Device 3: qset 7, order 1, sz 0\n");
}

struct scullv_kunit_runs_case {
	const char *desc;
	unsigned int pages[4];	/* pages of an 8-page block, in quantum order */
	unsigned int runs;	/* physically contiguous runs among them */
};

static const struct scullv_kunit_runs_case scullv_kunit_runs_cases[] = {
	{ "contiguous: one run", { 0, 1, 2, 3 }, 1 },
	{ "two pairs: two runs", { 0, 1, 4, 5 }, 2 },
	{ "one stray page first: two runs", { 4, 0, 1, 2 }, 2 },
	{ "every other page: four runs", { 0, 2, 4, 6 }, 4 },
	{ "backwards: four runs", { 3, 2, 1, 0 }, 4 },
};

KUNIT_ARRAY_PARAM_DESC(scullv_kunit_runs, scullv_kunit_runs_cases, desc);

/*
 * A quantum allocator that lays the pages out as the test case says:
 * four pages of one physically contiguous block of eight, mapped with
 * vmap() in the order of the case.  vfree() frees them (VM_MAP_PUT_PAGES).
 */
static void *scullv_kunit_vmalloc_layout(unsigned long size, gfp_t gfp)
{
	const struct scullv_kunit_runs_case *c = kunit_get_current_test()->param_value;
	const unsigned int n = ARRAY_SIZE(c->pages), block_order = 3;
	bool used[8] = {};
	struct page *block, **pages;
	unsigned int i;
	void *area;

	if (size != n * PAGE_SIZE)
		return NULL;
	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	block = alloc_pages(GFP_KERNEL | __GFP_ZERO, block_order);
	if (!block) {
		kvfree(pages);
		return NULL;
	}
	split_page(block, block_order);
	for (i = 0; i < n; i++) {
		pages[i] = block + c->pages[i];
		used[c->pages[i]] = true;
	}
	for (i = 0; i < ARRAY_SIZE(used); i++)
		if (!used[i])
			__free_page(block + i);
	area = vmap(pages, n, VM_MAP | VM_MAP_PUT_PAGES, PAGE_KERNEL);
	if (!area) {
		for (i = 0; i < n; i++)
			__free_page(pages[i]);
		kvfree(pages);
	}
	return area;
}

/*
 * The dump counts the physically contiguous runs of a quantum's pages:
 * quanta laid out on purpose, contiguous, in pairs, scattered, backwards.
 */
static void dump_test_physical_runs(struct kunit *test)
{
	const struct scullv_kunit_runs_case *c = test->param_value;
	struct scullv_dev *dev = scullv_kunit_dev(test, 2, 3);
	struct file *file = scullv_kunit_file(test, dev);
	unsigned int slot, npages, runs;
	char *dump, *line, token[32];
	int fields;
	bool hashing;
	u8 *quantum;

	kunit_activate_static_stub(test, scullv_vmalloc_quantum, scullv_kunit_vmalloc_layout);
	scullv_kunit_fwrite_pattern(test, file, 5, 10, 34);
	quantum = scullv_kunit_slot(dev->store, 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, quantum);
	KUNIT_ASSERT_EQ(test, page_to_pfn(vmalloc_to_page(quantum + PAGE_SIZE)),
			page_to_pfn(vmalloc_to_page(quantum)) +
			((long)c->pages[1] - (long)c->pages[0]));
	scullv_kunit_expect_pattern(test, dev->store, 5, 10, 34);

	dump = scullv_kunit_dump(test, dev, &hashing);
	strsep(&dump, "\n");
	KUNIT_ASSERT_NOT_NULL(test, dump);
	line = strsep(&dump, "\n");
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, "  qset 0 at "));
	KUNIT_ASSERT_NOT_NULL(test, dump);
	line = strsep(&dump, "\n");
	fields = sscanf(line, " %u: %31s vmalloc, %u pages in %u physical runs", &slot, token,
			&npages, &runs);
	KUNIT_ASSERT_EQ_MSG(test, fields, 4, "\"%s\"", line);
	KUNIT_EXPECT_EQ(test, slot, 0);
	KUNIT_EXPECT_EQ(test, npages, 4);
	KUNIT_EXPECT_EQ(test, runs, c->runs);
}

/* The driver's own devices have their dump in debugfs. */
static void dump_test_debugfs_file(struct kunit *test)
{
	struct dentry *dir, *file;

	if (!IS_ENABLED(CONFIG_DEBUG_FS))
		kunit_skip(test, "no CONFIG_DEBUG_FS");
	dir = debugfs_lookup("scullv", NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dir);
	file = debugfs_lookup("scullvmem", dir);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, file);
	dput(file);
	dput(dir);
}

static struct kunit_case scullv_dump_cases[] = {
	KUNIT_CASE(dump_test_book_example),
	KUNIT_CASE(dump_test_sets_and_holes),
	KUNIT_CASE(dump_test_index_and_geometry),
	KUNIT_CASE_PARAM(dump_test_physical_runs, scullv_kunit_runs_gen_params),
	KUNIT_CASE(dump_test_debugfs_file),
	{}
};

static struct kunit_suite scullv_dump_suite = {
	.name = "scullv_dump",
	.test_cases = scullv_dump_cases,
};

kunit_test_suite(scullv_dump_suite);
