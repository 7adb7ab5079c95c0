// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace tests for the scullv character device (drivers/misc/scullv).
 *
 * The tests use /dev/scullv0 (and /dev/scullv1 for one test), trim it
 * before and after each test and put the geometry back to the module's
 * defaults, so that they can run on a device that holds data.  They need
 * root (the device nodes are root-only, and the geometry ioctls need
 * CAP_SYS_ADMIN); the unprivileged cases drop privileges in a child.
 * When scullv is not loaded they load it (modprobe scullv) and unload it
 * at the end; when debugfs is not mounted they mount it, and unmount it
 * at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include <misc/scullv.h>

#include "../../../kselftest_harness.h"
#include "scullv_util.h"

#define DEV_FMT		"/dev/scullv%d"
#define PARAM_DIR	"/sys/module/scullv/parameters/"
#define DEBUGFS_DIR	"/sys/kernel/debug"
#define SCULLVMEM	DEBUGFS_DIR "/scullv/scullvmem"

/* The file of the book's session: `cat /tmp/bigfile > /dev/scullv0`. */
#define BOOK_FILE_SIZE	1535135

static const char *dev_path(int idx)
{
	static char path[32];

	snprintf(path, sizeof(path), DEV_FMT, idx);
	return path;
}

/* A module parameter, or @dflt when sysfs does not show it. */
static long long param(const char *name, long long dflt)
{
	char path[128], buf[64];
	long long val = dflt;
	FILE *f;

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	f = fopen(path, "r");
	if (!f)
		return dflt;
	if (fgets(buf, sizeof(buf), f))
		val = strtoll(buf, NULL, 0);
	fclose(f);
	return val;
}

static long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* Deterministic bytes that depend on the absolute offset and a seed. */
static unsigned char pat(__u64 off, __u64 seed)
{
	__u64 x = (off + 1) * 0x9e3779b97f4a7c15ULL ^ seed;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return (unsigned char)x;
}

static void fill(unsigned char *buf, size_t len, __u64 off, __u64 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pat(off + i, seed);
}

/* Offset of the first byte where a and b differ, or -1. */
static long long first_diff(const unsigned char *a, const unsigned char *b,
			    size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return i;
	return -1;
}

/*
 * Like cat: read or write @len bytes in chunks of @chunk, carrying on after
 * short transfers, up to the end of the data.  Returns the bytes moved.
 */
static ssize_t io_loop(int fd, unsigned char *buf, size_t len, size_t chunk,
		       bool writing)
{
	size_t done = 0;

	while (done < len) {
		size_t n = len - done < chunk ? len - done : chunk;
		ssize_t r = writing ? write(fd, buf + done, n) : read(fd, buf + done, n);

		if (r < 0)
			return -1;
		if (r == 0)
			break;
		done += r;
	}
	return done;
}

static ssize_t write_loop(int fd, const unsigned char *buf, size_t len,
			  size_t chunk)
{
	return io_loop(fd, (unsigned char *)buf, len, chunk, true);
}

static ssize_t read_loop(int fd, unsigned char *buf, size_t len, size_t chunk)
{
	return io_loop(fd, buf, len, chunk, false);
}

/* Trimming is what opening write-only does. */
static int trim(int idx)
{
	int fd = open(dev_path(idx), O_WRONLY);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Set the geometry of the next trim, then trim. */
static int set_geometry(int fd, int idx, unsigned int qset, unsigned int order)
{
	if (ioctl(fd, SCULLV_IOCTQSET, (unsigned long)qset) < 0)
		return -errno;
	if (ioctl(fd, SCULLV_IOCTORDER, (unsigned long)order) < 0)
		return -errno;
	return trim(idx);
}

static off_t dev_size(int fd)
{
	off_t cur = lseek(fd, 0, SEEK_CUR), end;

	end = lseek(fd, 0, SEEK_END);
	lseek(fd, cur, SEEK_SET);
	return end;
}

/* True if the scullv dump is there (main() mounts debugfs). */
static bool have_scullvmem(void)
{
	return access(SCULLVMEM, R_OK) == 0;
}

/* True if the debugfs dump holds a line that starts with @line. */
static bool scullvmem_has(const char *line)
{
	char buf[512];
	bool found = false;
	FILE *f = fopen(SCULLVMEM, "r");

	if (!f)
		return false;
	while (fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, line, strlen(line)) &&
		    (buf[strlen(line)] == '\n' || buf[strlen(line)] == '\0'))
			found = true;
	fclose(f);
	return found;
}

/*
 * Each test gets /dev/scullv0 trimmed, with the module's default geometry,
 * open read-write in self->fd.
 */
FIXTURE(scullv) {
	int fd;
	unsigned int def_qset, def_order;
	long long max_size;
};

static void scullv_fixture_setup(struct __test_metadata *_metadata,
				 int *fd, unsigned int *qset,
				 unsigned int *order, long long *max_size)
{
	if (access(dev_path(0), F_OK))
		SKIP(return, "%s missing: is the scullv module loaded?",
		     dev_path(0));
	if (geteuid() != 0)
		SKIP(return, "needs root");
	*fd = open(dev_path(0), O_RDWR);
	ASSERT_LE(0, *fd) TH_LOG("open %s: %s", dev_path(0), strerror(errno));
	ASSERT_EQ(0, ioctl(*fd, SCULLV_IOCRESET)) TH_LOG("RESET: %s", strerror(errno));
	ASSERT_EQ(0, trim(0));
	*qset = ioctl(*fd, SCULLV_IOCQQSET);
	*order = ioctl(*fd, SCULLV_IOCQORDER);
	*max_size = param("scullv_max_size", 256LL << 20);
	ASSERT_EQ(0, dev_size(*fd));
}

static void scullv_fixture_teardown(int fd)
{
	if (fd <= 0)
		return;
	ioctl(fd, SCULLV_IOCRESET);
	close(fd);
	trim(0);
}

FIXTURE_SETUP(scullv)
{
	scullv_fixture_setup(_metadata, &self->fd, &self->def_qset,
			     &self->def_order, &self->max_size);
}

FIXTURE_TEARDOWN(scullv)
{
	scullv_fixture_teardown(self->fd);
}

/* The geometry RESET restores comes from the module parameters. */
TEST_F(scullv, defaults)
{
	unsigned int v = 0;

	EXPECT_EQ(param("scullv_qset", 500), self->def_qset);
	EXPECT_EQ(param("scullv_order", 4), self->def_order);
	ASSERT_EQ(0, ioctl(self->fd, SCULLV_IOCGQSET, &v));
	EXPECT_EQ(self->def_qset, v);
	ASSERT_EQ(0, ioctl(self->fd, SCULLV_IOCGORDER, &v));
	EXPECT_EQ(self->def_order, v);
}

/*
 * LDD3's session: a 1,535,135-byte file copied in with cat, read back, and
 * the dump shows "Device 0: qset 500, order 4, sz 1535135".
 */
TEST_F(scullv, book_session)
{
	size_t len = BOOK_FILE_SIZE;
	unsigned char *in = malloc(len), *out = malloc(len + 1);
	char line[128];
	int wfd, rfd;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	fill(in, len, 0, 1);

	/* cat > /dev/scullv0: open(O_WRONLY|O_CREAT|O_TRUNC), 128 KiB writes */
	wfd = open(dev_path(0), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_LE(0, wfd);
	ASSERT_EQ((ssize_t)len, write_loop(wfd, in, len, 128 * 1024));
	ASSERT_EQ(0, close(wfd));

	rfd = open(dev_path(0), O_RDONLY);
	ASSERT_LE(0, rfd);
	EXPECT_EQ((off_t)len, lseek(rfd, 0, SEEK_END));
	ASSERT_EQ(0, lseek(rfd, 0, SEEK_SET));
	/* read with an odd chunk so reads straddle quanta */
	ASSERT_EQ((ssize_t)len, read_loop(rfd, out, len + 1, 4093));
	EXPECT_EQ(-1, first_diff(in, out, len));
	EXPECT_EQ(0, read(rfd, out, 1));
	close(rfd);

	if (have_scullvmem()) {
		snprintf(line, sizeof(line), "Device 0: qset %u, order %u, sz %zu",
			 self->def_qset, self->def_order, len);
		EXPECT_TRUE(scullvmem_has(line)) TH_LOG("no line '%s'", line);
	} else {
		TH_LOG("no %s: dump not checked", SCULLVMEM);
	}
	free(in);
	free(out);
}

/* False if the command line turns pointer hashing off. */
static bool hashed_pointers(void)
{
	return !cmdline_has("no_hash_pointers") && !cmdline_has("slub_debug");
}

/* The debugfs dump, on its own (skips without debugfs). */
TEST_F(scullv, debugfs_dump)
{
	unsigned char buf[100];
	char line[128], text[4096];
	ssize_t n;
	int fd;

	if (!have_scullvmem())
		SKIP(return, "no %s", SCULLVMEM);
	snprintf(line, sizeof(line), "Device 0: qset %u, order %u, sz 0",
		 self->def_qset, self->def_order);
	EXPECT_TRUE(scullvmem_has(line)) TH_LOG("no line '%s'", line);

	fill(buf, sizeof(buf), 0, 2);
	ASSERT_EQ(sizeof(buf), pwrite(self->fd, buf, sizeof(buf), 12345));
	snprintf(line, sizeof(line), "Device 0: qset %u, order %u, sz %d",
		 self->def_qset, self->def_order, 12345 + 100);
	EXPECT_TRUE(scullvmem_has(line)) TH_LOG("no line '%s'", line);

	/*
	 * No raw kernel addresses (%p is hashed), unless the kernel was told
	 * not to hash them (slub_debug does that too).
	 */
	if (hashed_pointers()) {
		fd = open(SCULLVMEM, O_RDONLY);
		ASSERT_LE(0, fd);
		while ((n = read(fd, text, sizeof(text) - 1)) > 0) {
			text[n] = '\0';
			EXPECT_EQ(NULL, strstr(text, "ffff8")) TH_LOG("address in dump?");
			EXPECT_EQ(NULL, strstr(text, "ffffc9")) TH_LOG("address in dump?");
		}
		close(fd);
	}
}

/* One read() or write() moves the whole count, across many quanta. */
TEST_F(scullv, whole_count_in_one_call)
{
	/* qset 3, order 0: seven quantum sets and a bit, in one call each */
	size_t len = 7 * 3 * page_size() + 1234;
	unsigned char *in = malloc(len), *out = malloc(len);

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, set_geometry(self->fd, 0, 3, 0));
	fill(in, len, 100, 3);
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, in, len, 100));
	EXPECT_EQ((off_t)(len + 100), dev_size(self->fd));
	ASSERT_EQ((ssize_t)len, pread(self->fd, out, len, 100));
	EXPECT_EQ(-1, first_diff(in, out, len));

	/* and at the default order: 3 quanta and a bit */
	ASSERT_EQ(0, ioctl(self->fd, SCULLV_IOCRESET));
	ASSERT_EQ(0, trim(0));
	len = 3 * (page_size() << self->def_order) + 1234;
	in = realloc(in, len);
	out = realloc(out, len);
	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	fill(in, len, 0, 3);
	ASSERT_EQ((ssize_t)len, write(self->fd, in, len));
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	ASSERT_EQ((ssize_t)len, read(self->fd, out, len));
	EXPECT_EQ(-1, first_diff(in, out, len));
	free(in);
	free(out);
}

/* Opening write-only trims; read-write without O_TRUNC keeps the data. */
TEST_F(scullv, trim_on_wronly)
{
	unsigned char buf[5000], out[5000];
	int fd;

	fill(buf, sizeof(buf), 0, 4);
	ASSERT_EQ(sizeof(buf), write(self->fd, buf, sizeof(buf)));

	fd = open(dev_path(0), O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ((off_t)sizeof(buf), dev_size(fd));
	ASSERT_EQ(sizeof(out), read(fd, out, sizeof(out)));
	EXPECT_EQ(-1, first_diff(buf, out, sizeof(buf)));
	close(fd);

	fd = open(dev_path(0), O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ((off_t)sizeof(buf), dev_size(fd));
	close(fd);

	fd = open(dev_path(0), O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, dev_size(fd));
	close(fd);
	EXPECT_EQ(0, dev_size(self->fd));
	EXPECT_EQ(0, pread(self->fd, out, sizeof(out), 0));
}

TEST_F(scullv, trim_on_trunc)
{
	unsigned char buf[5000], out[5000];
	int fd;

	fill(buf, sizeof(buf), 0, 5);
	ASSERT_EQ(sizeof(buf), write(self->fd, buf, sizeof(buf)));
	fd = open(dev_path(0), O_RDWR | O_TRUNC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, dev_size(fd));
	EXPECT_EQ(0, read(fd, out, sizeof(out)));
	/* and the device is usable again */
	ASSERT_EQ(sizeof(buf), write(fd, buf, sizeof(buf)));
	ASSERT_EQ(sizeof(out), pread(self->fd, out, sizeof(out), 0));
	EXPECT_EQ(-1, first_diff(buf, out, sizeof(buf)));
	close(fd);

	/* O_TRUNC trims only with write access: read-only keeps the data */
	fd = open(dev_path(0), O_RDONLY | O_TRUNC);
	ASSERT_LE(0, fd);
	EXPECT_EQ((off_t)sizeof(buf), dev_size(fd));
	close(fd);
}

/* O_APPEND writes go to the end of the data, wherever the position is. */
TEST_F(scullv, append)
{
	unsigned char a[3000], b[5000], out[8000];
	int fd;

	fill(a, sizeof(a), 0, 12);
	fill(b, sizeof(b), 0, 13);
	ASSERT_EQ(sizeof(a), write(self->fd, a, sizeof(a)));
	fd = open(dev_path(0), O_RDWR | O_APPEND);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	ASSERT_EQ(sizeof(b), write(fd, b, sizeof(b)));
	EXPECT_EQ((off_t)sizeof(out), lseek(fd, 0, SEEK_CUR));
	close(fd);
	ASSERT_EQ(sizeof(out), pread(self->fd, out, sizeof(out), 0));
	EXPECT_EQ(-1, first_diff(a, out, sizeof(a)));
	EXPECT_EQ(-1, first_diff(b, out + sizeof(a), sizeof(b)));
}

/*
 * A shell's ">" and ">>", with the flags that shells open with: ">"
 * trims, ">>" keeps the data and adds to its end, wherever the position
 * was moved.  The data crosses a quantum at the default order.
 */
TEST_F(scullv, shell_redirections)
{
	size_t old_len = 70000, add_len = 5000;
	unsigned char *old = malloc(old_len), *add = malloc(add_len);
	unsigned char *out = malloc(old_len + add_len + 1);
	char text[16];
	int fd;

	ASSERT_NE(NULL, old);
	ASSERT_NE(NULL, add);
	ASSERT_NE(NULL, out);
	fill(old, old_len, 0, 15);
	fill(add, add_len, 0, 16);

	/* echo one > /dev/scullv0; echo two >> /dev/scullv0 */
	ASSERT_EQ(3, write(self->fd, "old", 3));
	fd = open(dev_path(0), O_WRONLY | O_CREAT | O_TRUNC, 0666);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, dev_size(self->fd)) TH_LOG("'>' did not trim");
	ASSERT_EQ(4, write(fd, "one\n", 4));
	ASSERT_EQ(0, close(fd));
	fd = open(dev_path(0), O_WRONLY | O_CREAT | O_APPEND, 0666);
	ASSERT_LE(0, fd);
	EXPECT_EQ(4, dev_size(self->fd)) TH_LOG("'>>' trimmed the device");
	ASSERT_EQ(4, write(fd, "two\n", 4));
	ASSERT_EQ(0, close(fd));
	memset(text, 0, sizeof(text));
	ASSERT_EQ(8, pread(self->fd, text, sizeof(text), 0));
	EXPECT_STREQ("one\ntwo\n", text);

	/* more data than a quantum, and a position moved before the write */
	ASSERT_EQ(0, trim(0));
	ASSERT_EQ((ssize_t)old_len, pwrite(self->fd, old, old_len, 0));
	fd = open(dev_path(0), O_WRONLY | O_CREAT | O_APPEND, 0666);
	ASSERT_LE(0, fd);
	EXPECT_EQ((off_t)old_len, dev_size(self->fd)) TH_LOG("'>>' trimmed the device");
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	ASSERT_EQ((ssize_t)add_len, write(fd, add, add_len));
	EXPECT_EQ((off_t)(old_len + add_len), lseek(fd, 0, SEEK_CUR));
	ASSERT_EQ(0, close(fd));
	EXPECT_EQ((off_t)(old_len + add_len), dev_size(self->fd));
	ASSERT_EQ((ssize_t)(old_len + add_len),
		  pread(self->fd, out, old_len + add_len + 1, 0));
	EXPECT_EQ(-1, first_diff(old, out, old_len)) TH_LOG("the old data changed");
	EXPECT_EQ(-1, first_diff(add, out + old_len, add_len))
		TH_LOG("the new data is not at the end");
	free(old);
	free(add);
	free(out);
}

/*
 * Which opens trim: write-only without O_APPEND, and O_TRUNC with write
 * access.  O_APPEND never trims; neither does a read-only open, even
 * with O_TRUNC.  Each variant opens a device that holds data with its
 * flags, writes through that fd if it can, and reads what is left.
 */
FIXTURE(scullv_open) {
	int fd;
	unsigned int def_qset, def_order;
	long long max_size;
};

FIXTURE_VARIANT(scullv_open) {
	int flags;
	bool trims;
};

FIXTURE_VARIANT_ADD(scullv_open, wronly) {
	.flags = O_WRONLY, .trims = true,
};

FIXTURE_VARIANT_ADD(scullv_open, wronly_trunc) {
	.flags = O_WRONLY | O_TRUNC, .trims = true,
};

FIXTURE_VARIANT_ADD(scullv_open, shell_truncate) {
	.flags = O_WRONLY | O_CREAT | O_TRUNC, .trims = true,
};

FIXTURE_VARIANT_ADD(scullv_open, rdwr_trunc) {
	.flags = O_RDWR | O_TRUNC, .trims = true,
};

FIXTURE_VARIANT_ADD(scullv_open, shell_append) {
	.flags = O_WRONLY | O_CREAT | O_APPEND, .trims = false,
};

FIXTURE_VARIANT_ADD(scullv_open, wronly_append) {
	.flags = O_WRONLY | O_APPEND, .trims = false,
};

FIXTURE_VARIANT_ADD(scullv_open, rdwr_append) {
	.flags = O_RDWR | O_APPEND, .trims = false,
};

FIXTURE_VARIANT_ADD(scullv_open, rdwr) {
	.flags = O_RDWR, .trims = false,
};

FIXTURE_VARIANT_ADD(scullv_open, rdonly) {
	.flags = O_RDONLY, .trims = false,
};

FIXTURE_VARIANT_ADD(scullv_open, rdonly_trunc) {
	.flags = O_RDONLY | O_TRUNC, .trims = false,
};

FIXTURE_SETUP(scullv_open)
{
	scullv_fixture_setup(_metadata, &self->fd, &self->def_qset,
			     &self->def_order, &self->max_size);
}

FIXTURE_TEARDOWN(scullv_open)
{
	scullv_fixture_teardown(self->fd);
}

TEST_F(scullv_open, trims_or_keeps)
{
	size_t old_len = 70000, add_len = 5000, want_len;
	unsigned char *old = malloc(old_len), *add = malloc(add_len);
	unsigned char *want = malloc(old_len + add_len);
	unsigned char *out = malloc(old_len + add_len + 1);
	bool writable = (variant->flags & O_ACCMODE) != O_RDONLY;
	int fd;

	ASSERT_NE(NULL, old);
	ASSERT_NE(NULL, add);
	ASSERT_NE(NULL, want);
	ASSERT_NE(NULL, out);
	fill(old, old_len, 0, 17);
	fill(add, add_len, 0, 18);
	ASSERT_EQ((ssize_t)old_len, write(self->fd, old, old_len));

	fd = open(dev_path(0), variant->flags, 0666);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(errno));
	EXPECT_EQ(variant->trims ? 0 : (off_t)old_len, dev_size(self->fd))
		TH_LOG("the open %s", variant->trims ? "did not trim" : "trimmed");

	/* what the device must hold after a write through @fd, if any */
	if (!writable) {
		memcpy(want, old, old_len);
		want_len = old_len;
	} else if (variant->trims) {
		memcpy(want, add, add_len);
		want_len = add_len;
	} else if (variant->flags & O_APPEND) {
		memcpy(want, old, old_len);
		memcpy(want + old_len, add, add_len);
		want_len = old_len + add_len;
	} else {	/* at position 0, over the old data */
		memcpy(want, old, old_len);
		memcpy(want, add, add_len);
		want_len = old_len;
	}
	if (writable)
		ASSERT_EQ((ssize_t)add_len, write(fd, add, add_len));
	ASSERT_EQ(0, close(fd));

	EXPECT_EQ((off_t)want_len, dev_size(self->fd));
	ASSERT_EQ((ssize_t)want_len, pread(self->fd, out, old_len + add_len + 1, 0));
	EXPECT_EQ(-1, first_diff(want, out, want_len));
	free(old);
	free(add);
	free(want);
	free(out);
}

/*
 * Data over many quantum sets (qset 2, order 0: 8 KiB a set), written
 * and read back with unaligned chunks.
 */
TEST_F(scullv, beyond_one_qset)
{
	size_t set = 2 * page_size(), len = 11 * set + 777;
	unsigned char *in = malloc(len), *out = malloc(len);
	char line[128];

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, set_geometry(self->fd, 0, 2, 0));
	EXPECT_EQ(2, ioctl(self->fd, SCULLV_IOCQQSET));
	EXPECT_EQ(0, ioctl(self->fd, SCULLV_IOCQORDER));

	fill(in, len, 0, 6);
	ASSERT_EQ((ssize_t)len, write_loop(self->fd, in, len, 3001));
	EXPECT_EQ((off_t)len, dev_size(self->fd));
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	ASSERT_EQ((ssize_t)len, read_loop(self->fd, out, len, 5003));
	EXPECT_EQ(-1, first_diff(in, out, len));

	if (have_scullvmem()) {
		snprintf(line, sizeof(line), "Device 0: qset 2, order 0, sz %zu", len);
		EXPECT_TRUE(scullvmem_has(line)) TH_LOG("no line '%s'", line);
	}
	free(in);
	free(out);
}

/*
 * A new geometry waits for the next trim: data written before a change,
 * and data appended after it (new quantum sets), both read back intact.
 * (The book gave later quantum sets order 0 and so overran them.)
 */
TEST_F(scullv, geometry_change_without_trim)
{
	size_t q = page_size() << 2, len1 = 3 * q + 99, len2 = 4 * q + 5;
	unsigned char *in = malloc(len1 + len2), *out = malloc(len1 + len2);

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, set_geometry(self->fd, 0, 2, 2));
	fill(in, len1 + len2, 0, 7);
	ASSERT_EQ((ssize_t)len1, write(self->fd, in, len1));

	ASSERT_EQ(0, ioctl(self->fd, SCULLV_IOCTORDER, 0UL));
	ASSERT_EQ(0, ioctl(self->fd, SCULLV_IOCTQSET, 5UL));
	ASSERT_EQ((ssize_t)len2, write(self->fd, in + len1, len2));
	ASSERT_EQ((ssize_t)(len1 + len2), pread(self->fd, out, len1 + len2, 0));
	EXPECT_EQ(-1, first_diff(in, out, len1 + len2));

	/* the trim applies it */
	ASSERT_EQ(0, trim(0));
	EXPECT_EQ(0, dev_size(self->fd));
	EXPECT_EQ(5, ioctl(self->fd, SCULLV_IOCQQSET));
	EXPECT_EQ(0, ioctl(self->fd, SCULLV_IOCQORDER));
	ASSERT_EQ((ssize_t)(len1 + len2), pwrite(self->fd, in, len1 + len2, 0));
	ASSERT_EQ((ssize_t)(len1 + len2), pread(self->fd, out, len1 + len2, 0));
	EXPECT_EQ(-1, first_diff(in, out, len1 + len2));
	if (have_scullvmem()) {
		char line[128];

		snprintf(line, sizeof(line), "Device 0: qset 5, order 0, sz %zu",
			 len1 + len2);
		EXPECT_TRUE(scullvmem_has(line)) TH_LOG("no line '%s'", line);
	}
	free(in);
	free(out);
}

static bool all_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* Holes (unwritten quanta, unwritten quantum sets) read as zeros. */
TEST_F(scullv, holes_read_as_zeros)
{
	size_t q = page_size(), set = 2 * q;
	off_t off1 = 3 * set + q + 17, off2 = 40 * set + 5;
	size_t len = off2 + 300;
	unsigned char a[100], b[300], *out = malloc(len);

	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, set_geometry(self->fd, 0, 2, 0));
	fill(a, sizeof(a), off1, 8);
	fill(b, sizeof(b), off2, 8);
	ASSERT_EQ(sizeof(a), pwrite(self->fd, a, sizeof(a), off1));
	/* lseek past the end, then write there */
	ASSERT_EQ(off2, lseek(self->fd, off2, SEEK_SET));
	ASSERT_EQ(sizeof(b), write(self->fd, b, sizeof(b)));
	EXPECT_EQ((off_t)len, dev_size(self->fd));

	memset(out, 0xaa, len);
	ASSERT_EQ((ssize_t)len, pread(self->fd, out, len, 0));
	EXPECT_TRUE(all_zero(out, off1));
	EXPECT_EQ(-1, first_diff(a, out + off1, sizeof(a)));
	EXPECT_TRUE(all_zero(out + off1 + sizeof(a), off2 - off1 - sizeof(a)));
	EXPECT_EQ(-1, first_diff(b, out + off2, sizeof(b)));
	free(out);

	/* the same at the default order (a hole inside one quantum) */
	ASSERT_EQ(0, ioctl(self->fd, SCULLV_IOCRESET));
	ASSERT_EQ(0, trim(0));
	ASSERT_EQ(sizeof(a), pwrite(self->fd, a, sizeof(a), 70000));
	out = malloc(70100);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(70100, pread(self->fd, out, 70100, 0));
	EXPECT_TRUE(all_zero(out, 70000));
	EXPECT_EQ(-1, first_diff(a, out + 70000, sizeof(a)));
	free(out);
}

/*
 * A write from a user buffer that faults stores what it could copy and
 * moves the end of the data only that far: a failed (or empty) write
 * leaves the size alone, a short one moves it to what was stored.
 */
TEST_F(scullv, faulting_user_buffer)
{
	long ps = page_size();
	unsigned char *buf, out[100];
	off_t size;
	ssize_t r;

	buf = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	fill(buf, ps, 0, 14);
	ASSERT_EQ(0, mprotect(buf + ps, ps, PROT_NONE));

	/* a zero-length write past the end stores nothing, moves nothing */
	EXPECT_EQ(0, pwrite(self->fd, buf, 0, 7 * ps));
	EXPECT_EQ(0, dev_size(self->fd)) TH_LOG("an empty write moved the end");

	/* nothing readable: EFAULT, size still 0 */
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->fd, buf + ps, 100, 5 * ps));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, dev_size(self->fd)) TH_LOG("a failed write moved the end");
	EXPECT_EQ(0, pread(self->fd, out, sizeof(out), 0));

	/*
	 * One readable page then a fault: a short write (the copy may stop a
	 * little before the fault), the end right after what it stored.
	 */
	r = pwrite(self->fd, buf, 2 * ps, 3 * ps);
	EXPECT_TRUE(r >= (ssize_t)sizeof(out) && r <= ps) TH_LOG("short write gave %zd", r);
	if (r > 0)
		EXPECT_EQ(3 * ps + r, dev_size(self->fd))
			TH_LOG("the end is not after the stored bytes");
	ASSERT_EQ(sizeof(out), pread(self->fd, out, sizeof(out), 3 * ps));
	EXPECT_EQ(-1, first_diff(buf, out, sizeof(out)));

	/* a faulting read: EFAULT, nothing else happens */
	size = dev_size(self->fd);
	errno = 0;
	EXPECT_EQ(-1, pread(self->fd, buf + ps, 100, 3 * ps));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(size, dev_size(self->fd));
	munmap(buf, 2 * ps);
}

/* Read at or past the end returns 0, and a read at the end is short. */
TEST_F(scullv, read_past_end)
{
	unsigned char buf[64];

	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
	ASSERT_EQ(10, write(self->fd, buf, 10));
	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(4, pread(self->fd, buf, sizeof(buf), 6));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), 10));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), 1 << 30));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), self->max_size - 1));
}

/* lseek: SEEK_SET/CUR/END, and the bounds: 0 .. scullv_max_size. */
TEST_F(scullv, llseek)
{
	unsigned char buf[1000] = { 1 };

	ASSERT_EQ(sizeof(buf), write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(1000, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(400, lseek(self->fd, 400, SEEK_SET));
	EXPECT_EQ(500, lseek(self->fd, 100, SEEK_CUR));
	EXPECT_EQ(450, lseek(self->fd, -50, SEEK_CUR));
	EXPECT_EQ(1000, lseek(self->fd, 0, SEEK_END));
	EXPECT_EQ(990, lseek(self->fd, -10, SEEK_END));
	EXPECT_EQ(5000, lseek(self->fd, 4000, SEEK_END));
	EXPECT_EQ(self->max_size, lseek(self->fd, self->max_size, SEEK_SET));

	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, -1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, -1001, SEEK_END));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, self->max_size + 1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, LLONG_MAX, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(10, lseek(self->fd, 10, SEEK_SET));
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, LLONG_MAX, SEEK_CUR));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, LLONG_MIN, SEEK_CUR));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, LLONG_MAX, SEEK_END));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, 0, 99));
	EXPECT_EQ(EINVAL, errno);
	/* a failed lseek leaves the position alone */
	EXPECT_EQ(10, lseek(self->fd, 0, SEEK_CUR));
}

/*
 * pread/pwrite at huge and negative offsets fail cleanly; the limit is
 * scullv_max_size: a write at or past it is EFBIG, one across it is short.
 */
TEST_F(scullv, huge_offsets)
{
	long long max = self->max_size;
	unsigned char buf[8192], out[8192];
	static const long long bad[] = {
		LLONG_MAX, LLONG_MAX - 1, LLONG_MAX - 8191, 1LL << 62,
		(1LL << 62) + 4096, 1LL << 40, 1LL << 32,
	};
	size_t i;
	ssize_t r;

	fill(buf, sizeof(buf), 0, 9);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (bad[i] < max)
			continue;
		errno = 0;
		r = pwrite(self->fd, buf, 1, bad[i]);
		EXPECT_EQ(-1, r) TH_LOG("pwrite at %lld", bad[i]);
		EXPECT_TRUE(errno == EFBIG || errno == EINVAL)
			TH_LOG("pwrite at %lld: %s", bad[i], strerror(errno));
		errno = 0;
		r = pwrite(self->fd, buf, sizeof(buf), bad[i]);
		EXPECT_EQ(-1, r) TH_LOG("pwrite 8k at %lld", bad[i]);
		EXPECT_TRUE(errno == EFBIG || errno == EINVAL)
			TH_LOG("pwrite 8k at %lld: %s", bad[i], strerror(errno));
		r = pread(self->fd, out, sizeof(out), bad[i]);
		EXPECT_TRUE(r == 0 || (r == -1 && errno == EINVAL))
			TH_LOG("pread at %lld: %zd %s", bad[i], r, strerror(errno));
	}
	/* negative offsets */
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->fd, buf, 1, -1));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->fd, buf, 1, LLONG_MIN));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, pread(self->fd, out, 1, -4096));
	EXPECT_EQ(EINVAL, errno);

	/* exactly at the limit: EFBIG; across it: short; just below: fine */
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->fd, buf, 1, max));
	EXPECT_EQ(EFBIG, errno);
	EXPECT_EQ(100, pwrite(self->fd, buf, sizeof(buf), max - 100));
	EXPECT_EQ(max, dev_size(self->fd));
	EXPECT_EQ(100, pread(self->fd, out, sizeof(out), max - 100));
	EXPECT_EQ(-1, first_diff(buf, out, 100));
	/* a write() at the limit through the file position, too */
	ASSERT_EQ(max, lseek(self->fd, max, SEEK_SET));
	errno = 0;
	EXPECT_EQ(-1, write(self->fd, buf, 10));
	EXPECT_EQ(EFBIG, errno);
	EXPECT_EQ(max, lseek(self->fd, 0, SEEK_CUR));
	/* and all of that is freed by a trim */
	ASSERT_EQ(0, trim(0));
	EXPECT_EQ(0, dev_size(self->fd));
}

/* Devices are independent of each other. */
TEST_F(scullv, devices_independent)
{
	unsigned char a[3000], b[5000], out[5000];
	int fd1;

	if (access(dev_path(1), F_OK))
		SKIP(return, "no %s", dev_path(1));
	ASSERT_EQ(0, trim(1));
	fd1 = open(dev_path(1), O_RDWR);
	ASSERT_LE(0, fd1);
	fill(a, sizeof(a), 0, 10);
	fill(b, sizeof(b), 0, 11);
	ASSERT_EQ(sizeof(a), write(self->fd, a, sizeof(a)));
	ASSERT_EQ(sizeof(b), write(fd1, b, sizeof(b)));
	EXPECT_EQ((off_t)sizeof(a), dev_size(self->fd));
	EXPECT_EQ((off_t)sizeof(b), dev_size(fd1));
	ASSERT_EQ(sizeof(a), pread(self->fd, out, sizeof(out), 0));
	EXPECT_EQ(-1, first_diff(a, out, sizeof(a)));
	ASSERT_EQ(sizeof(b), pread(fd1, out, sizeof(out), 0));
	EXPECT_EQ(-1, first_diff(b, out, sizeof(b)));
	ASSERT_EQ(0, trim(1));
	EXPECT_EQ((off_t)sizeof(a), dev_size(self->fd));
	close(fd1);
}

/* The four setting ioctls of one value, and its Q ioctl. */
struct value_iocs {
	const char *name;
	unsigned long t, h, s, x, q;
};

static const struct value_iocs order_iocs = {
	"order", SCULLV_IOCTORDER, SCULLV_IOCHORDER, SCULLV_IOCSORDER,
	SCULLV_IOCXORDER, SCULLV_IOCQORDER,
};

static const struct value_iocs qset_iocs = {
	"qset", SCULLV_IOCTQSET, SCULLV_IOCHQSET, SCULLV_IOCSQSET,
	SCULLV_IOCXQSET, SCULLV_IOCQQSET,
};

/*
 * Every value in @bad is refused with EINVAL by T and H (by value) and,
 * when it fits a __u32, by S and X (through a pointer); the value stays @cur.
 */
static void expect_rejected(struct __test_metadata *_metadata, int fd,
			    const struct value_iocs *io,
			    const unsigned long *bad, size_t n, int cur)
{
	unsigned int v;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned long b = bad[i];

		errno = 0;
		EXPECT_EQ(-1, ioctl(fd, io->t, b)) TH_LOG("T %s %#lx", io->name, b);
		EXPECT_EQ(EINVAL, errno) TH_LOG("T %s %#lx", io->name, b);
		errno = 0;
		EXPECT_EQ(-1, ioctl(fd, io->h, b)) TH_LOG("H %s %#lx", io->name, b);
		EXPECT_EQ(EINVAL, errno) TH_LOG("H %s %#lx", io->name, b);
		if (b <= 0xffffffffUL) {
			v = b;
			errno = 0;
			EXPECT_EQ(-1, ioctl(fd, io->s, &v)) TH_LOG("S %s %#lx", io->name, b);
			EXPECT_EQ(EINVAL, errno);
			v = b;
			errno = 0;
			EXPECT_EQ(-1, ioctl(fd, io->x, &v)) TH_LOG("X %s %#lx", io->name, b);
			EXPECT_EQ(EINVAL, errno);
		}
		EXPECT_EQ(cur, ioctl(fd, io->q)) TH_LOG("%s changed", io->name);
	}
}

/* Every ioctl, good values and bad ones, as root. */
TEST_F(scullv, ioctls)
{
	static const unsigned long bad_order[] = {
		SCULLV_ORDER_MAX + 1, 31, 32, 0xffffffffUL, ~0UL,
		(1UL << 32) | 1, (1UL << 32) | 4,
	};
	static const unsigned long bad_qset[] = {
		0, SCULLV_QSET_MAX + 1, 0xffffffffUL, ~0UL, 1UL << 32,
		(1UL << 32) | 1, (1UL << 32) | 500,
	};
	unsigned int v;
	int fd = self->fd;

	/* T/Q over the whole range */
	for (v = 0; v <= SCULLV_ORDER_MAX; v++) {
		EXPECT_EQ(0, ioctl(fd, SCULLV_IOCTORDER, (unsigned long)v));
		EXPECT_EQ((int)v, ioctl(fd, SCULLV_IOCQORDER));
	}
	EXPECT_EQ(0, ioctl(fd, SCULLV_IOCTQSET, 1UL));
	EXPECT_EQ(1, ioctl(fd, SCULLV_IOCQQSET));
	EXPECT_EQ(0, ioctl(fd, SCULLV_IOCTQSET, (unsigned long)SCULLV_QSET_MAX));
	EXPECT_EQ(SCULLV_QSET_MAX, ioctl(fd, SCULLV_IOCQQSET));

	/* S/G */
	v = 3;
	EXPECT_EQ(0, ioctl(fd, SCULLV_IOCSORDER, &v));
	v = 0;
	EXPECT_EQ(0, ioctl(fd, SCULLV_IOCGORDER, &v));
	EXPECT_EQ(3, v);
	v = 77;
	EXPECT_EQ(0, ioctl(fd, SCULLV_IOCSQSET, &v));
	v = 0;
	EXPECT_EQ(0, ioctl(fd, SCULLV_IOCGQSET, &v));
	EXPECT_EQ(77, v);

	/* X: exchange */
	v = 5;
	EXPECT_EQ(0, ioctl(fd, SCULLV_IOCXORDER, &v));
	EXPECT_EQ(3, v);
	EXPECT_EQ(5, ioctl(fd, SCULLV_IOCQORDER));
	v = 9;
	EXPECT_EQ(0, ioctl(fd, SCULLV_IOCXQSET, &v));
	EXPECT_EQ(77, v);
	EXPECT_EQ(9, ioctl(fd, SCULLV_IOCQQSET));

	/* H: shift, old value as result */
	EXPECT_EQ(5, ioctl(fd, SCULLV_IOCHORDER, 1UL));
	EXPECT_EQ(1, ioctl(fd, SCULLV_IOCQORDER));
	EXPECT_EQ(9, ioctl(fd, SCULLV_IOCHQSET, 11UL));
	EXPECT_EQ(11, ioctl(fd, SCULLV_IOCQQSET));

	/* bad values: EINVAL, nothing changes */
	expect_rejected(_metadata, fd, &order_iocs, bad_order,
			ARRAY_SIZE(bad_order), 1);
	expect_rejected(_metadata, fd, &qset_iocs, bad_qset,
			ARRAY_SIZE(bad_qset), 11);

	/* bad pointers: EFAULT, nothing changes */
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, SCULLV_IOCSORDER, NULL));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, SCULLV_IOCGQSET, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, SCULLV_IOCXQSET, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(1, ioctl(fd, SCULLV_IOCQORDER));
	EXPECT_EQ(11, ioctl(fd, SCULLV_IOCQQSET));

	/* unknown commands: ENOTTY */
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, _IO(SCULLV_IOC_MAGIC, 13)));
	EXPECT_EQ(ENOTTY, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, _IOR(SCULLV_IOC_MAGIC, 3, __u64), &v));
	EXPECT_EQ(ENOTTY, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, _IO('k', 0)));
	EXPECT_EQ(ENOTTY, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, _IOW(SCULLV_IOC_MAGIC, 0, __u32), &v));
	EXPECT_EQ(ENOTTY, errno);

	/* RESET goes back to the module's defaults */
	EXPECT_EQ(0, ioctl(fd, SCULLV_IOCRESET));
	EXPECT_EQ((int)self->def_order, ioctl(fd, SCULLV_IOCQORDER));
	EXPECT_EQ((int)self->def_qset, ioctl(fd, SCULLV_IOCQQSET));
}

/* What an unprivileged child (fd inherited) may and may not do. */
static int unprivileged_checks(int fd, unsigned int qset, unsigned int order)
{
	unsigned int v;
	int bad = 0;

#define CHECK(cond) do { \
		if (!(cond)) { \
			printf("# unprivileged: failed: %s (errno %d)\n", #cond, errno); \
			bad++; \
		} \
	} while (0)

	v = 1;
	errno = 0;
	CHECK(ioctl(fd, SCULLV_IOCRESET) == -1 && errno == EPERM);
	errno = 0;
	CHECK(ioctl(fd, SCULLV_IOCSORDER, &v) == -1 && errno == EPERM);
	errno = 0;
	CHECK(ioctl(fd, SCULLV_IOCTORDER, 1UL) == -1 && errno == EPERM);
	errno = 0;
	CHECK(ioctl(fd, SCULLV_IOCXORDER, &v) == -1 && errno == EPERM);
	errno = 0;
	CHECK(ioctl(fd, SCULLV_IOCHORDER, 1UL) == -1 && errno == EPERM);
	errno = 0;
	CHECK(ioctl(fd, SCULLV_IOCSQSET, &v) == -1 && errno == EPERM);
	errno = 0;
	CHECK(ioctl(fd, SCULLV_IOCTQSET, 1UL) == -1 && errno == EPERM);
	errno = 0;
	CHECK(ioctl(fd, SCULLV_IOCXQSET, &v) == -1 && errno == EPERM);
	errno = 0;
	CHECK(ioctl(fd, SCULLV_IOCHQSET, 1UL) == -1 && errno == EPERM);
	/* reading is for everybody */
	CHECK(ioctl(fd, SCULLV_IOCQORDER) == (int)order);
	CHECK(ioctl(fd, SCULLV_IOCQQSET) == (int)qset);
	v = 12345;
	CHECK(ioctl(fd, SCULLV_IOCGORDER, &v) == 0 && v == order);
	v = 12345;
	CHECK(ioctl(fd, SCULLV_IOCGQSET, &v) == 0 && v == qset);
	/* and unknown is still ENOTTY */
	errno = 0;
	CHECK(ioctl(fd, _IO(SCULLV_IOC_MAGIC, 13)) == -1 && errno == ENOTTY);
#undef CHECK
	return bad;
}

static int run_child(int (*drop)(void), int fd, unsigned int qset,
		     unsigned int order)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (drop()) {
			printf("# dropping privileges failed: %s\n", strerror(errno));
			_exit(100);
		}
		_exit(unprivileged_checks(fd, qset, order) ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int drop_to_nobody(void)
{
	if (setresgid(65534, 65534, 65534))
		return -1;
	return setresuid(65534, 65534, 65534);
}

/* Stay uid 0 but lose CAP_SYS_ADMIN: the driver must check the capability. */
static int drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].permitted &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	return syscall(SYS_capset, &hdr, data);
}

TEST_F(scullv, ioctls_unprivileged)
{
	ASSERT_EQ(0, run_child(drop_to_nobody, self->fd, self->def_qset,
			       self->def_order));
	ASSERT_EQ(0, run_child(drop_cap_sys_admin, self->fd, self->def_qset,
			       self->def_order));
	/* nothing changed */
	EXPECT_EQ((int)self->def_order, ioctl(self->fd, SCULLV_IOCQORDER));
	EXPECT_EQ((int)self->def_qset, ioctl(self->fd, SCULLV_IOCQQSET));
}

/* mmap while the device is in use */

static sigjmp_buf sigbus_env;

static void on_sigbus(int sig)
{
	siglongjmp(sigbus_env, 1);
}

/* True if reading *p raises SIGBUS. */
static bool read_faults(const unsigned char *p)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	bool faulted = false;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	/* an atomic load: the compiler may not drop it */
	if (sigsetjmp(sigbus_env, 1) == 0)
		(void)__atomic_load_n(p, __ATOMIC_RELAXED);
	else
		faulted = true;
	sigaction(SIGBUS, &old, NULL);
	return faulted;
}

/* Orders 0 and 4, both over several quantum sets. */
FIXTURE(scullv_map) {
	int fd;
	unsigned int def_qset, def_order;
	long long max_size;
};

FIXTURE_VARIANT(scullv_map) {
	unsigned int order;
	unsigned int qset;
	unsigned int quanta;	/* how many quanta of data */
};

FIXTURE_VARIANT_ADD(scullv_map, order0) {
	.order = 0, .qset = 3, .quanta = 10,
};

FIXTURE_VARIANT_ADD(scullv_map, order4) {
	.order = 4, .qset = 2, .quanta = 5,
};

FIXTURE_SETUP(scullv_map)
{
	scullv_fixture_setup(_metadata, &self->fd, &self->def_qset,
			     &self->def_order, &self->max_size);
	if (self->fd > 0)
		ASSERT_EQ(0, set_geometry(self->fd, 0, variant->qset,
					  variant->order));
}

FIXTURE_TEARDOWN(scullv_map)
{
	scullv_fixture_teardown(self->fd);
}

/* The mapping shows what read() shows, at every page of every quantum. */
TEST_F(scullv_map, contents_equal_read)
{
	long ps = page_size();
	size_t len = variant->quanta * (ps << variant->order) + 1234;
	size_t maplen = (len + ps - 1) & ~(ps - 1);
	unsigned char *in = malloc(len), *out = malloc(len), *m;
	size_t i;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	fill(in, len, 0, 20 + variant->order);
	ASSERT_EQ((ssize_t)len, write(self->fd, in, len));
	ASSERT_EQ((ssize_t)len, pread(self->fd, out, len, 0));
	ASSERT_EQ(-1, first_diff(in, out, len));

	m = mmap(NULL, maplen, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, m) TH_LOG("mmap: %s", strerror(errno));
	/* touch the pages backwards, so faults do not come in order */
	for (i = maplen; i >= (size_t)ps; i -= ps)
		EXPECT_EQ(-1, first_diff(m + i - ps, out + i - ps,
					 (i > len ? len : i) - (i - ps)))
			TH_LOG("page at %zu differs", i - ps);
	/* past the size but inside the last page: zeros */
	EXPECT_TRUE(all_zero(m + len, maplen - len));
	ASSERT_EQ(0, munmap(m, maplen));

	/* a mapping at an offset (inside a quantum at order 4) */
	m = mmap(NULL, 2 * ps, PROT_READ, MAP_SHARED, self->fd, 3 * ps);
	ASSERT_NE(MAP_FAILED, m) TH_LOG("mmap at 3 pages: %s", strerror(errno));
	EXPECT_EQ(-1, first_diff(m, out + 3 * ps, 2 * ps));
	ASSERT_EQ(0, munmap(m, 2 * ps));
	free(in);
	free(out);
}

/* Stores through a shared writable mapping are what read() then sees. */
TEST_F(scullv_map, write_through_mapping)
{
	long ps = page_size();
	size_t len = variant->quanta * (ps << variant->order);
	unsigned char *in = malloc(len), *out = malloc(len), *m;
	size_t i;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	fill(in, len, 0, 30);
	ASSERT_EQ((ssize_t)len, write(self->fd, in, len));

	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, m) TH_LOG("mmap rw: %s", strerror(errno));
	fill(in, len, 0, 31);
	for (i = 0; i < len; i += 511)
		m[i] = in[i];
	ASSERT_EQ(0, munmap(m, len));
	for (i = 0; i < len; i++)
		if (i % 511)
			in[i] = pat(i, 30);
	ASSERT_EQ((ssize_t)len, pread(self->fd, out, len, 0));
	EXPECT_EQ(-1, first_diff(in, out, len));
	free(in);
	free(out);
}

/* A private mapping reads the data; its stores stay private (copy on write). */
TEST_F(scullv_map, private_mapping)
{
	long ps = page_size();
	size_t len = 2 * (ps << variant->order) + 10;
	size_t maplen = (len + ps - 1) & ~(ps - 1);
	unsigned char *in = malloc(len), *out = malloc(len), *m;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	fill(in, len, 0, 35);
	ASSERT_EQ((ssize_t)len, write(self->fd, in, len));
	m = mmap(NULL, maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->fd, 0);
	ASSERT_NE(MAP_FAILED, m) TH_LOG("mmap private: %s", strerror(errno));
	EXPECT_EQ(-1, first_diff(m, in, len));
	m[0] ^= 0xff;
	m[len - 1] ^= 0xff;
	ASSERT_EQ((ssize_t)len, pread(self->fd, out, len, 0));
	EXPECT_EQ(-1, first_diff(in, out, len));
	ASSERT_EQ(0, munmap(m, maplen));
	free(in);
	free(out);
}

/* A read-only fd maps read-only, not writable. */
TEST_F(scullv_map, readonly_fd)
{
	long ps = page_size();
	unsigned char buf[100], *m;
	int fd;

	fill(buf, sizeof(buf), 0, 40);
	ASSERT_EQ(sizeof(buf), write(self->fd, buf, sizeof(buf)));
	fd = open(dev_path(0), O_RDONLY);
	ASSERT_LE(0, fd);
	m = mmap(NULL, ps, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	EXPECT_EQ(-1, first_diff(m, buf, sizeof(buf)));
	EXPECT_EQ(0, munmap(m, ps));
	errno = 0;
	EXPECT_EQ(MAP_FAILED, mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	EXPECT_EQ(EACCES, errno);
	close(fd);
}

/* Past the size, rounded up to a page: SIGBUS. */
TEST_F(scullv_map, sigbus_past_end)
{
	long ps = page_size();
	size_t len = (ps << variant->order) + 100;
	size_t inside = (len + ps - 1) & ~(ps - 1);
	unsigned char *in = malloc(len), *m;

	ASSERT_NE(NULL, in);
	fill(in, len, 0, 50);
	ASSERT_EQ((ssize_t)len, write(self->fd, in, len));
	m = mmap(NULL, inside + 4 * ps, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, m) TH_LOG("mmap past the end: %s", strerror(errno));
	EXPECT_FALSE(read_faults(m));
	EXPECT_FALSE(read_faults(m + len - 1));
	EXPECT_FALSE(read_faults(m + inside - 1));
	EXPECT_TRUE(read_faults(m + inside));
	EXPECT_TRUE(read_faults(m + inside + 3 * ps));
	EXPECT_EQ(in[len - 1], m[len - 1]);
	ASSERT_EQ(0, munmap(m, inside + 4 * ps));
	free(in);
}

/* An empty device: the first page already faults. */
TEST_F(scullv_map, sigbus_empty)
{
	long ps = page_size();
	unsigned char *m;

	m = mmap(NULL, ps, PROT_READ, MAP_SHARED, self->fd, 0);
	if (m == MAP_FAILED)	/* refusing the mapping is fine too */
		return;
	EXPECT_TRUE(read_faults(m));
	munmap(m, ps);
}

/* A mapped page inside the size that was never written (a hole) reads zeros. */
TEST_F(scullv_map, hole_reads_zeros)
{
	long ps = page_size();
	size_t q = ps << variant->order, set = q * variant->qset;
	off_t off = 2 * set + q;	/* past two whole unwritten sets */
	unsigned char buf[100], *m;
	size_t maplen = off + ps;

	fill(buf, sizeof(buf), off, 60);
	ASSERT_EQ(sizeof(buf), pwrite(self->fd, buf, sizeof(buf), off));
	m = mmap(NULL, maplen, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	EXPECT_FALSE(read_faults(m + off));
	EXPECT_EQ(-1, first_diff(m + off, buf, sizeof(buf)));
	EXPECT_FALSE(read_faults(m));
	EXPECT_FALSE(read_faults(m + set + 5));
	if (!read_faults(m) && !read_faults(m + set + 5)) {
		EXPECT_TRUE(all_zero(m, ps));
		EXPECT_TRUE(all_zero(m + set, ps));
	}
	munmap(m, maplen);
}

/*
 * Trim while mapped (directly, inherited over fork, after close of the fd)
 * fails with EBUSY; once every mapping is gone it works.
 */
TEST_F(scullv_map, ebusy_trim_while_mapped)
{
	long ps = page_size();
	unsigned char buf[100], *m;
	int pipefd[2], status, fd;
	pid_t pid;
	char c;

	fill(buf, sizeof(buf), 0, 70);
	ASSERT_EQ(sizeof(buf), write(self->fd, buf, sizeof(buf)));
	fd = open(dev_path(0), O_RDONLY);
	ASSERT_LE(0, fd);
	m = mmap(NULL, ps, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	close(fd);		/* the mapping outlives the fd */
	EXPECT_EQ(buf[5], m[5]);

	EXPECT_EQ(-EBUSY, trim(0));
	errno = 0;
	EXPECT_EQ(-1, open(dev_path(0), O_RDWR | O_TRUNC));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ((off_t)sizeof(buf), dev_size(self->fd));

	/* a child inherits the mapping; the parent unmaps; still busy */
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pipefd[1]);
		if (read(pipefd[0], &c, 1) != 1)
			_exit(2);
		_exit(m[5] == buf[5] ? 0 : 1);
	}
	close(pipefd[0]);
	ASSERT_EQ(0, munmap(m, ps));
	EXPECT_EQ(-EBUSY, trim(0));
	ASSERT_EQ(1, write(pipefd[1], "x", 1));
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* all gone: the trim works */
	EXPECT_EQ(0, trim(0));
	EXPECT_EQ(0, dev_size(self->fd));

	/* a partial munmap keeps the rest mapped, and busy */
	ASSERT_EQ(sizeof(buf), pwrite(self->fd, buf, sizeof(buf), 3 * ps));
	m = mmap(NULL, 4 * ps, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	ASSERT_EQ(0, munmap(m + ps, ps));	/* split into two vmas */
	EXPECT_EQ(-EBUSY, trim(0));
	ASSERT_EQ(0, munmap(m, ps));
	EXPECT_EQ(-EBUSY, trim(0));
	EXPECT_EQ(buf[0], m[3 * ps]);
	ASSERT_EQ(0, munmap(m + 2 * ps, 2 * ps));
	EXPECT_EQ(0, trim(0));
}

/*
 * Concurrent writers, readers, seekers and (in phase 2) a trimmer on one
 * device.  Writers put pat(offset) everywhere they write, so any byte a
 * reader sees must be 0 (a hole or trimmed) or pat(offset).
 */
#define CONC_REGION	(384 * 1024)
#define CONC_ITERS	150
#define CONC_SEED	0x5c0111ULL

static __u64 rnd(__u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int conc_writer(int id)
{
	unsigned char *buf = malloc(65536);
	__u64 s = 0x1234567ULL * (id + 1);
	int fd = open(dev_path(0), O_RDWR), i;

	if (fd < 0 || !buf)
		return 1;
	for (i = 0; i < CONC_ITERS; i++) {
		size_t len = rnd(&s) % 65536 + 1;
		off_t off = rnd(&s) % (CONC_REGION - len);

		fill(buf, len, off, CONC_SEED);
		if (i & 1) {
			if (pwrite(fd, buf, len, off) != (ssize_t)len)
				return 2;
		} else {
			if (lseek(fd, off, SEEK_SET) != off ||
			    write(fd, buf, len) != (ssize_t)len)
				return 3;
		}
	}
	close(fd);
	return 0;
}

static int conc_reader(int id)
{
	unsigned char *buf = malloc(65536);
	__u64 s = 0x7654321ULL * (id + 1);
	int fd = open(dev_path(0), O_RDONLY), i;
	size_t j;

	if (fd < 0 || !buf)
		return 1;
	for (i = 0; i < CONC_ITERS; i++) {
		size_t len = rnd(&s) % 65536 + 1;
		off_t off = rnd(&s) % CONC_REGION;
		ssize_t r = pread(fd, buf, len, off);

		if (r < 0)
			return 2;
		for (j = 0; j < (size_t)r; j++)
			if (buf[j] && buf[j] != pat(off + j, CONC_SEED)) {
				printf("# reader %d: bad byte at %lld\n", id,
				       (long long)(off + j));
				return 3;
			}
		/* ioctls and the size from other paths at the same time */
		if (ioctl(fd, SCULLV_IOCQQSET) < 0 || lseek(fd, 0, SEEK_END) < 0)
			return 4;
	}
	close(fd);
	return 0;
}

static int conc_trimmer(int id)
{
	int i;

	for (i = 0; i < CONC_ITERS / 10; i++) {
		int fd = open(dev_path(0), O_WRONLY);

		if (fd < 0)
			return 1;
		close(fd);
		usleep(1000);
	}
	return 0;
}

/* Run the roles in child processes, return how many failed. */
static int run_concurrently(int (*role[])(int), int n)
{
	pid_t pids[16];
	int i, failed = 0, status;

	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(role[i](i));
	}
	for (i = 0; i < n; i++) {
		if (pids[i] < 0 || waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("# role %d failed: status %#x\n", i, status);
			failed++;
		}
	}
	return failed;
}

TEST_F_TIMEOUT(scullv, concurrent_readers_writers, 240)
{
	int (*phase1[])(int) = { conc_writer, conc_writer, conc_reader,
				 conc_reader };
	int (*phase2[])(int) = { conc_writer, conc_reader, conc_reader,
				 conc_trimmer };
	unsigned char *out = malloc(CONC_REGION);
	size_t j, len;
	int bad = 0;

	ASSERT_NE(NULL, out);
	/* small quanta and sets: many allocations to race over */
	ASSERT_EQ(0, set_geometry(self->fd, 0, 4, 1));

	ASSERT_EQ(0, run_concurrently(phase1, 4));
	len = dev_size(self->fd);
	EXPECT_LE(len, CONC_REGION);
	ASSERT_EQ((ssize_t)len, pread(self->fd, out, CONC_REGION, 0));
	for (j = 0; j < len; j++)
		if (out[j] && out[j] != pat(j, CONC_SEED))
			bad++;
	EXPECT_EQ(0, bad);

	ASSERT_EQ(0, run_concurrently(phase2, 4));
	len = dev_size(self->fd);
	ASSERT_EQ((ssize_t)len, pread(self->fd, out, CONC_REGION, 0));
	for (j = 0, bad = 0; j < len; j++)
		if (out[j] && out[j] != pat(j, CONC_SEED))
			bad++;
	EXPECT_EQ(0, bad);
	free(out);
}

/* ---- sendfile() and splice() --------------------------------------- */

/*
 * Data with a hole: [0, 100000) and [300000, 310000), so that at the
 * default order (64 KiB quanta) quanta 2 and 3 are holes.  @want gets
 * what read() returns.
 */
#define SPLICE_SIZE	310000
static void splice_data(struct __test_metadata *_metadata, int fd,
			unsigned char *want)
{
	memset(want, 0, SPLICE_SIZE);
	fill(want, 100000, 0, 60);
	fill(want + 300000, 10000, 300000, 61);
	ASSERT_EQ(100000, pwrite(fd, want, 100000, 0));
	ASSERT_EQ(10000, pwrite(fd, want + 300000, 10000, 300000));
	ASSERT_EQ(SPLICE_SIZE, dev_size(fd));
}

static int tmpfs_file(void)
{
	return memfd_create("scullv-splice", 0);	/* shmem, as tmpfs */
}

/*
 * sendfile() out of the device into a tmpfs file, and from a tmpfs file
 * into the device: what read() returns, holes as zeros, up to the end.
 */
TEST_F(scullv, sendfile_out_and_in)
{
	unsigned char *want = malloc(SPLICE_SIZE), *got = malloc(SPLICE_SIZE + 10);
	off_t off = 0;
	int tfd;

	ASSERT_NE(NULL, want);
	ASSERT_NE(NULL, got);
	splice_data(_metadata, self->fd, want);
	tfd = tmpfs_file();
	ASSERT_LE(0, tfd) TH_LOG("memfd_create: %s", strerror(errno));

	ASSERT_EQ(SPLICE_SIZE, sendfile(tfd, self->fd, &off, SPLICE_SIZE + 5000))
		TH_LOG("sendfile out: %s", strerror(errno));
	EXPECT_EQ(SPLICE_SIZE, off);
	EXPECT_EQ(0, sendfile(tfd, self->fd, &off, 100));	/* at the end */
	ASSERT_EQ(SPLICE_SIZE, pread(tfd, got, SPLICE_SIZE + 10, 0));
	EXPECT_EQ(-1, first_diff(want, got, SPLICE_SIZE));

	/* back in, after a trim, from the position of the fd on */
	ASSERT_EQ(0, trim(0));
	ASSERT_EQ(7, lseek(self->fd, 7, SEEK_SET));
	off = 0;
	ASSERT_EQ(SPLICE_SIZE, sendfile(self->fd, tfd, &off, SPLICE_SIZE))
		TH_LOG("sendfile in: %s", strerror(errno));
	EXPECT_EQ(7 + SPLICE_SIZE, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(7 + SPLICE_SIZE, dev_size(self->fd));
	ASSERT_EQ(SPLICE_SIZE, pread(self->fd, got, SPLICE_SIZE, 7));
	EXPECT_EQ(-1, first_diff(want, got, SPLICE_SIZE));
	close(tfd);
	free(want);
	free(got);
}

/* At the size limit sendfile() into the device stops as write() does. */
TEST_F(scullv, sendfile_size_limit)
{
	unsigned char buf[100];
	off_t off = 0;
	int tfd = tmpfs_file();

	ASSERT_LE(0, tfd);
	fill(buf, sizeof(buf), 0, 62);
	ASSERT_EQ(100, write(tfd, buf, sizeof(buf)));
	ASSERT_EQ(self->max_size - 10, lseek(self->fd, self->max_size - 10, SEEK_SET));
	EXPECT_EQ(10, sendfile(self->fd, tfd, &off, sizeof(buf)));
	EXPECT_EQ(10, off);
	errno = 0;
	EXPECT_EQ(-1, sendfile(self->fd, tfd, &off, sizeof(buf)));
	EXPECT_EQ(EFBIG, errno);
	EXPECT_EQ(self->max_size, dev_size(self->fd));
	close(tfd);
}

/*
 * O_APPEND: sendfile() and splice() into the device fail with EINVAL, as
 * they do into a tmpfs file opened O_APPEND (the VFS refuses them both).
 */
TEST_F(scullv, splice_append_refused_as_tmpfs)
{
	int fd = open(dev_path(0), O_WRONLY | O_APPEND), tfd = tmpfs_file(), p[2];
	int tapp, dev_errno, tmp_errno;
	unsigned char buf[10] = "0123456789";
	off_t off = 0;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, tfd);
	ASSERT_EQ(10, write(tfd, buf, sizeof(buf)));
	tapp = tmpfs_file();
	ASSERT_LE(0, tapp);
	ASSERT_EQ(0, fcntl(tapp, F_SETFL, O_APPEND));

	errno = 0;
	EXPECT_EQ(-1, sendfile(fd, tfd, &off, 10));
	dev_errno = errno;
	off = 0;
	errno = 0;
	EXPECT_EQ(-1, sendfile(tapp, tfd, &off, 10));
	tmp_errno = errno;
	EXPECT_EQ(EINVAL, dev_errno);
	EXPECT_EQ(tmp_errno, dev_errno);

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(10, write(p[1], buf, sizeof(buf)));
	errno = 0;
	EXPECT_EQ(-1, splice(p[0], NULL, fd, NULL, 10, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, dev_size(self->fd));
	/* write() with O_APPEND still appends */
	EXPECT_EQ(10, write(fd, buf, sizeof(buf)));
	EXPECT_EQ(10, dev_size(self->fd));
	close(p[0]);
	close(p[1]);
	close(tapp);
	close(tfd);
	close(fd);
}

/*
 * splice() through a pipe: out of the device (holes as zeros, nothing
 * past the end) and from the pipe back into the device at an offset.
 */
TEST_F(scullv, splice_through_pipe)
{
	unsigned char *want = malloc(SPLICE_SIZE), *got = malloc(SPLICE_SIZE);
	loff_t in = 0, out = 1 << 20;
	size_t done = 0;
	ssize_t n;
	int p[2];

	ASSERT_NE(NULL, want);
	ASSERT_NE(NULL, got);
	splice_data(_metadata, self->fd, want);
	ASSERT_EQ(0, pipe(p));
	while (done < SPLICE_SIZE) {
		n = splice(self->fd, &in, p[1], NULL, SPLICE_SIZE - done, 0);
		ASSERT_LT(0, n) TH_LOG("splice out at %zu: %s", done, strerror(errno));
		ASSERT_EQ(n, read_loop(p[0], got + done, n, n));
		done += n;
	}
	EXPECT_EQ(SPLICE_SIZE, in);
	EXPECT_EQ(-1, first_diff(want, got, SPLICE_SIZE));
	EXPECT_EQ(0, splice(self->fd, &in, p[1], NULL, 100, 0));	/* at the end */

	for (done = 0; done < SPLICE_SIZE; done += n) {
		size_t part = SPLICE_SIZE - done < 65536 ? SPLICE_SIZE - done : 65536;

		ASSERT_EQ((ssize_t)part, write(p[1], want + done, part));
		n = splice(p[0], NULL, self->fd, &out, part, 0);
		ASSERT_EQ((ssize_t)part, n) TH_LOG("splice in: %s", strerror(errno));
	}
	EXPECT_EQ((1 << 20) + SPLICE_SIZE, out);
	EXPECT_EQ((1 << 20) + SPLICE_SIZE, dev_size(self->fd));
	ASSERT_EQ(SPLICE_SIZE, pread(self->fd, got, SPLICE_SIZE, 1 << 20));
	EXPECT_EQ(-1, first_diff(want, got, SPLICE_SIZE));
	close(p[0]);
	close(p[1]);
	free(want);
	free(got);
}

/*
 * Bytes written into a pipe after a splice out of the device go into the
 * pipe, never into the device's page that the pipe holds.
 */
TEST_F(scullv, splice_then_pipe_write_leaves_device)
{
	unsigned char want[200], got[300];
	loff_t in = 0;
	int p[2];

	fill(want, sizeof(want), 0, 65);
	ASSERT_EQ(sizeof(want), pwrite(self->fd, want, sizeof(want), 0));
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(100, splice(self->fd, &in, p[1], NULL, 100, 0));
	ASSERT_EQ(4, write(p[1], "XXXX", 4));
	ASSERT_EQ(104, read(p[0], got, sizeof(got)));
	EXPECT_EQ(-1, first_diff(want, got, 100));
	EXPECT_EQ(0, memcmp(got + 100, "XXXX", 4));
	ASSERT_EQ(sizeof(want), pread(self->fd, got, sizeof(want), 0));
	EXPECT_EQ(-1, first_diff(want, got, sizeof(want)));
	close(p[0]);
	close(p[1]);
}

/*
 * splice() out of the device puts the stored page itself into the pipe, as
 * a page-cache file does: a write to the device between the splice and the
 * pipe's read shows in what the pipe reader gets.  A copy into the pipe
 * would return the old bytes.
 */
TEST_F(scullv, splice_shares_stored_page)
{
	unsigned char before[100], after[100], got[200];
	loff_t in = 0;
	int p[2];

	fill(before, sizeof(before), 0, 66);
	fill(after, sizeof(after), 0, 67);
	ASSERT_EQ(sizeof(before), pwrite(self->fd, before, sizeof(before), 0));
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(sizeof(before), splice(self->fd, &in, p[1], NULL, sizeof(before), 0));
	ASSERT_EQ(sizeof(after), pwrite(self->fd, after, sizeof(after), 0));
	ASSERT_EQ(sizeof(after), read(p[0], got, sizeof(got)));
	EXPECT_EQ(-1, first_diff(after, got, sizeof(after)));
	close(p[0]);
	close(p[1]);
}

/*
 * What was spliced into a pipe outlives the device's file and the module:
 * the pages of data and of a hole stay counted, and the buffers' operations
 * are the kernel's, not the module's.  Unloads and reloads the module, so
 * only where this program loaded it.
 */
TEST_F(scullv, splice_outlives_module)
{
	const loff_t far = 8 << 20;	/* past quantum 0 at every order */
	unsigned char want[100], zeros[100] = { 0 }, got[300];
	loff_t in = 0;
	int p[2];

	if (!scullv_loaded_here)
		SKIP(return, "scullv was loaded before this program: not unloading it");
	fill(want, sizeof(want), far, 68);
	ASSERT_EQ(sizeof(want), pwrite(self->fd, want, sizeof(want), far));
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(100, splice(self->fd, &in, p[1], NULL, 100, 0));	/* a hole */
	in = far;
	ASSERT_EQ(100, splice(self->fd, &in, p[1], NULL, 100, 0));	/* data */
	close(self->fd);
	self->fd = -1;

	ASSERT_EQ(0, scullv_modprobe(true));
	ASSERT_NE(0, access(SCULLV_MODULE_DIR, F_OK));
	ASSERT_EQ(200, read(p[0], got, sizeof(got)));
	EXPECT_EQ(-1, first_diff(zeros, got, 100));
	EXPECT_EQ(-1, first_diff(want, got + 100, 100));
	close(p[0]);
	close(p[1]);

	/* Back for the tests that follow, as main() loaded it. */
	ASSERT_EQ(NULL, scullv_load_module());
}

/* ---- mappings: windows of pages, fork, mremap, own buffers ------------ */

/*
 * read() into, and write() out of, a mapping of the same device: the copy
 * faults into the device's own fault handler while read() holds the lock
 * shared and write() holds it exclusive, and the fault handler fills a
 * hole meanwhile.  A deadlock would hang here; lockdep would report it.
 */
TEST_F(scullv_map, io_through_own_mapping)
{
	long ps = page_size();
	size_t q = ps << variant->order, len = 2 * q;
	unsigned char *in = malloc(len), *out = malloc(len), *m;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	fill(in, len, 0, 63);
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, in, len, 0));
	/* [len, 2 len) a hole, [2 len, 3 len) data */
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, in, len, 2 * len));
	m = mmap(NULL, 3 * len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, m) TH_LOG("mmap: %s", strerror(errno));

	/* read() the data into the hole, through the mapping */
	ASSERT_EQ((ssize_t)len, pread(self->fd, m + len, len, 0));
	ASSERT_EQ((ssize_t)len, pread(self->fd, out, len, len));
	EXPECT_EQ(-1, first_diff(in, out, len));
	/* write() the mapping of the data at the end of the data */
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, m + 2 * len, len, 3 * len));
	ASSERT_EQ((ssize_t)len, pread(self->fd, out, len, 3 * len));
	EXPECT_EQ(-1, first_diff(in, out, len));
	ASSERT_EQ(0, munmap(m, 3 * len));
	free(in);
	free(out);
}

/*
 * Loads on every page of 4 MiB, from the last page back to the first,
 * fault once per window of pages that the driver maps (2 MiB), not once
 * per page, and read what was written.
 */
TEST_F(scullv_map, backwards_faults_per_window)
{
	long ps = page_size();
	size_t len = 4 << 20, off, wrong = 0;
	unsigned char *in = malloc(len), *m;
	struct rusage before, after;
	long faults;

	ASSERT_NE(NULL, in);
	fill(in, len, 0, 31);
	ASSERT_EQ((ssize_t)len, write(self->fd, in, len));
	m = mmap(NULL, len, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	ASSERT_EQ(0, getrusage(RUSAGE_SELF, &before));
	for (off = len; off > 0; off -= ps)
		wrong += m[off - ps] != in[off - ps];
	ASSERT_EQ(0, getrusage(RUSAGE_SELF, &after));
	faults = after.ru_minflt - before.ru_minflt;
	EXPECT_EQ(0, wrong);
	/* Two windows; a fault per page would be 1024 of them. */
	EXPECT_LE(faults, 8) TH_LOG("%ld faults over %zu pages", faults, len / ps);
	ASSERT_EQ(0, munmap(m, len));
	free(in);
}

/*
 * A touched mapping (whole windows of pages mapped) stays right in a forked
 * child and after mremap() moves it; stores are shared both ways; past
 * the data a grown mapping still gets SIGBUS.
 */
TEST_F(scullv_map, fork_and_mremap)
{
	long ps = page_size();
	size_t len = variant->quanta * (ps << variant->order);
	unsigned char *in = malloc(len), *m, *m2;
	int status;
	pid_t pid;
	size_t i;

	ASSERT_NE(NULL, in);
	fill(in, len, 0, 64);
	ASSERT_EQ((ssize_t)len, write(self->fd, in, len));
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	for (i = 0; i < len; i += ps)
		ASSERT_EQ(in[i], m[i]);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (first_diff(m, in, len) != -1)
			_exit(1);
		m[len - 1] ^= 0xff;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	in[len - 1] ^= 0xff;
	EXPECT_EQ(in[len - 1], m[len - 1]);

	m2 = mremap(m, len, len + 2 * ps, MREMAP_MAYMOVE);
	ASSERT_NE(MAP_FAILED, m2) TH_LOG("mremap: %s", strerror(errno));
	EXPECT_EQ(-1, first_diff(m2, in, len));
	EXPECT_TRUE(read_faults(m2 + len));
	m2[0] ^= 0xff;
	ASSERT_EQ(1, pread(self->fd, in, 1, 0));
	EXPECT_EQ(in[0], m2[0]);
	ASSERT_EQ(0, munmap(m2, len + 2 * ps));
	free(in);
}

int main(int argc, char **argv)
{
	bool listing = argc > 1 && (!strcmp(argv[1], "-l") || !strcmp(argv[1], "-h"));
	const char *why;

	if (!listing) {
		why = scullv_load_module();
		if (why) {
			ksft_print_header();
			ksft_exit_skip("%s\n", why);
		}
		scullv_mount_debugfs();
	}
	return test_harness_run(argc, argv);
}
