// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of scullv's debugfs dump: the header line of the book, one
 * line per quantum set and per quantum in order, hashed addresses only,
 * the geometry in use rather than the pending one, and the debugfs file.
 */

#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
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
	KUNIT_CASE(dump_test_debugfs_file),
	{}
};

static struct kunit_suite scullv_dump_suite = {
	.name = "scullv_dump",
	.test_cases = scullv_dump_cases,
};

kunit_test_suite(scullv_dump_suite);
