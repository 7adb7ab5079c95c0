// SPDX-License-Identifier: GPL-2.0
/*
 * scullv_bench: throughput of /dev/scullvN beside a tmpfs file, /dev/zero
 * and a userspace memcpy, in one boot.  Built static; run as root in the
 * benchmark guest by scripts/bench (bench/init), which parses the output.
 *
 *   scullv_bench [-d DEV] [-t FILE] [-s MIB] [-O MIB] [-r REPS]
 *                [-o ORDERS] [-b BLOCKS] [-T TESTS]
 *
 *   -d DEV     scullv device (default /dev/scullv0); its module must allow
 *              OFFSET + SIZE bytes (scullv_max_size)
 *   -t FILE    file on tmpfs (default /tmp/scullv_bench.dat)
 *   -s MIB     bytes moved per measurement (default 256)
 *   -O MIB     offset of the far read (default 512)
 *   -r REPS    repetitions of each measurement (default 11)
 *   -o ORDERS  quantum orders, comma-separated (default 0,4), applied with
 *              the SCULLV_IOCTORDER ioctl and a trim (open with O_TRUNC)
 *   -b BLOCKS  block sizes in bytes, comma-separated
 *              (default 4096,65536,1048576)
 *   -T TESTS   comma-separated subset of: seq (fill, rewrite, read), mmap,
 *              offset, zero, memcpy (default all)
 *
 * Every measurement prints one line:
 *
 *   BENCH TEST TARGET ORDER BS REP BYTES NS CALLS SHORT
 *
 * TEST is fill (sequential write into an empty device or file), rewrite
 * (the same, in place), read, mmap-copy (memcpy out of a fresh MAP_SHARED
 * mapping, every page faulted in), mmap-touch (one load per page of a
 * fresh mapping: the fault cost alone), read-near/read-far (read at
 * offset 0 / at -O), zero (reads of /dev/zero) or memcpy (userspace memcpy
 * from a SIZE buffer into a BS buffer, as read() does into its buffer).
 * TARGET is scullv, tmpfs, zero or user; ORDER is the scullv quantum order
 * in force ("-" where none applies).  NS is the wall time of the loop
 * (CLOCK_MONOTONIC); CALLS counts read/write system calls, SHORT those
 * that returned less than asked.  Where the order does not matter, the
 * tmpfs figures are measured again at each order, right beside the scullv
 * ones, so that every ratio compares neighbours in time.  Lines starting
 * with "INFO" or "CHECK" describe the run; a "CHECK FAIL" means that data
 * read back was wrong, and the program then exits 1.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <misc/scullv.h>

#define MIB (1024UL * 1024UL)
#define MAX_LIST 16

static const char *dev_path = "/dev/scullv0";
static const char *tmp_path = "/tmp/scullv_bench.dat";
static size_t total = 256 * MIB;
static off_t far_off = 512 * MIB;
static unsigned int reps = 11;
static unsigned long orders[MAX_LIST] = { 0, 4 };
static unsigned int norders = 2;
static unsigned long blocks[MAX_LIST] = { 4096, 65536, 1048576 };
static unsigned int nblocks = 3;
static const char *tests = "seq,mmap,offset,zero,memcpy";
static size_t page_size;
static int failed;

/* The user buffer: as large as the largest block, filled with a pattern. */
static unsigned char *buf, *pattern;
static size_t buf_size;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("scullv_bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (errno)
		fprintf(stderr, ": %s", strerror(errno));
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int want(const char *test)
{
	size_t n = strlen(test);
	const char *p = tests;

	while ((p = strstr(p, test))) {
		if ((p == tests || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
		p += n;
	}
	return 0;
}

static unsigned int parse_list(const char *s, unsigned long *out)
{
	unsigned int n = 0;
	char *end;

	while (*s && n < MAX_LIST) {
		errno = 0;
		out[n++] = strtoul(s, &end, 0);
		if (errno || end == s || (*end && *end != ','))
			die("bad list '%s'", s);
		s = *end ? end + 1 : end;
	}
	return n;
}

struct io_stats {
	unsigned long calls;
	unsigned long shorts;
};

static void report(const char *test, const char *target, long order,
		   size_t bs, unsigned int rep, size_t bytes, uint64_t ns,
		   const struct io_stats *st)
{
	char ord[24] = "-";

	if (order >= 0)
		snprintf(ord, sizeof(ord), "%ld", order);
	printf("BENCH %s %s %s %zu %u %zu %llu %lu %lu\n", test, target, ord,
	       bs, rep, bytes, (unsigned long long)ns, st ? st->calls : 0,
	       st ? st->shorts : 0);
	fflush(stdout);
}

/*
 * Write @bytes from offset @off in blocks of @bs; a short write is
 * continued with the rest of the block.  Returns the elapsed ns.
 */
static uint64_t write_loop(int fd, off_t off, size_t bytes, size_t bs,
			   struct io_stats *st)
{
	size_t done = 0;
	uint64_t t0;

	if (lseek(fd, off, SEEK_SET) != off)
		die("lseek %lld", (long long)off);
	memset(st, 0, sizeof(*st));
	t0 = now_ns();
	while (done < bytes) {
		size_t len = bytes - done < bs ? bytes - done : bs;
		size_t got = 0;

		while (got < len) {
			ssize_t r = write(fd, pattern + got, len - got);

			st->calls++;
			if (r <= 0)
				die("write at %zu returned %zd", done + got, r);
			if ((size_t)r < len - got)
				st->shorts++;
			got += r;
		}
		done += got;
	}
	return now_ns() - t0;
}

static uint64_t read_loop(int fd, off_t off, size_t bytes, size_t bs,
			  struct io_stats *st)
{
	size_t done = 0;
	uint64_t t0;

	if (lseek(fd, off, SEEK_SET) != off)
		die("lseek %lld", (long long)off);
	memset(st, 0, sizeof(*st));
	t0 = now_ns();
	while (done < bytes) {
		size_t len = bytes - done < bs ? bytes - done : bs;
		size_t got = 0;

		while (got < len) {
			ssize_t r = read(fd, buf + got, len - got);

			st->calls++;
			if (r <= 0)
				die("read at %zu returned %zd", done + got, r);
			if ((size_t)r < len - got)
				st->shorts++;
			got += r;
		}
		done += got;
	}
	return now_ns() - t0;
}

/*
 * The data is @pattern repeated every @bs bytes from @base; check the
 * block read last (still in @buf) and one block read again with pread at
 * the end of the range.
 */
static void check_data(int fd, const char *what, off_t base, size_t bytes,
		       size_t bs)
{
	off_t last = base + (off_t)(bytes - bs);
	ssize_t r;

	if (memcmp(buf, pattern, bs)) {
		printf("CHECK FAIL: %s: the last block read differs\n", what);
		failed = 1;
		return;
	}
	memset(buf, 0, bs);
	r = pread(fd, buf, bs, last);
	if (r != (ssize_t)bs || memcmp(buf, pattern, bs)) {
		printf("CHECK FAIL: %s: pread of %zu at %lld gave %zd, or wrong data\n",
		       what, bs, (long long)last, r);
		failed = 1;
	}
}

/* Open the device with O_TRUNC, which trims it and applies @order. */
static int open_dev_trim(unsigned long order)
{
	int fd, got;

	fd = open(dev_path, O_RDWR);
	if (fd < 0)
		die("open %s", dev_path);
	if (ioctl(fd, SCULLV_IOCTORDER, order))
		die("SCULLV_IOCTORDER %lu", order);
	close(fd);
	fd = open(dev_path, O_RDWR | O_TRUNC);
	if (fd < 0)
		die("open %s with O_TRUNC", dev_path);
	got = ioctl(fd, SCULLV_IOCQORDER);
	if (got != (int)order)
		die("order is %d after the trim, not %lu", got, order);
	return fd;
}

static int open_tmp_trunc(void)
{
	int fd;

	unlink(tmp_path);
	fd = open(tmp_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die("create %s", tmp_path);
	return fd;
}

/*
 * fill, rewrite and read, scullv then tmpfs for each block size and
 * repetition, so that each pair is measured side by side.
 */
static void bench_seq(unsigned long order)
{
	struct io_stats st;
	unsigned int r, b;
	uint64_t ns;
	int fd;

	for (r = 0; r < reps; r++) {
		for (b = 0; b < nblocks; b++) {
			size_t bs = blocks[b];

			/* fill: an empty device, an empty file */
			fd = open_dev_trim(order);
			ns = write_loop(fd, 0, total, bs, &st);
			report("fill", "scullv", order, bs, r, total, ns, &st);
			close(fd);
			fd = open_tmp_trunc();
			ns = write_loop(fd, 0, total, bs, &st);
			report("fill", "tmpfs", order, bs, r, total, ns, &st);
			close(fd);

			/* rewrite in place */
			fd = open(dev_path, O_RDWR);
			ns = write_loop(fd, 0, total, bs, &st);
			report("rewrite", "scullv", order, bs, r, total, ns, &st);
			close(fd);
			fd = open(tmp_path, O_RDWR);
			ns = write_loop(fd, 0, total, bs, &st);
			report("rewrite", "tmpfs", order, bs, r, total, ns, &st);
			close(fd);

			/* read */
			fd = open(dev_path, O_RDONLY);
			ns = read_loop(fd, 0, total, bs, &st);
			report("read", "scullv", order, bs, r, total, ns, &st);
			if (r == 0)
				check_data(fd, "scullv read", 0, total, bs);
			close(fd);
			fd = open(tmp_path, O_RDONLY);
			ns = read_loop(fd, 0, total, bs, &st);
			report("read", "tmpfs", order, bs, r, total, ns, &st);
			if (r == 0)
				check_data(fd, "tmpfs read", 0, total, bs);
			close(fd);
		}
	}
}

/* Sum one word per page (touch) or copy every block out (copy). */
static uint64_t mmap_loop(int fd, int copy, uint64_t *sink)
{
	volatile const uint64_t *w;
	unsigned char *map;
	size_t off;
	uint64_t t0, ns, sum = 0;

	t0 = now_ns();
	map = mmap(NULL, total, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap %zu bytes", total);
	if (copy) {
		for (off = 0; off < total; off += buf_size) {
			memcpy(buf, map + off, buf_size);
			sum += buf[off & (buf_size - 1)];
		}
	} else {
		for (off = 0; off < total; off += page_size) {
			w = (volatile const uint64_t *)(map + off);
			sum += *w;
		}
	}
	munmap(map, total);
	ns = now_ns() - t0;
	*sink += sum;
	return ns;
}

static void bench_mmap(unsigned long order)
{
	int dfd, tfd, copy;
	uint64_t ns, sink = 0;
	struct io_stats st;
	unsigned int r;

	/* Data written with the largest block size. */
	dfd = open_dev_trim(order);
	write_loop(dfd, 0, total, buf_size, &st);
	tfd = open_tmp_trunc();
	write_loop(tfd, 0, total, buf_size, &st);

	for (r = 0; r < reps; r++) {
		for (copy = 0; copy <= 1; copy++) {
			const char *test = copy ? "mmap-copy" : "mmap-touch";
			size_t bs = copy ? buf_size : page_size;

			ns = mmap_loop(dfd, copy, &sink);
			report(test, "scullv", order, bs, r, total, ns, NULL);
			ns = mmap_loop(tfd, copy, &sink);
			report(test, "tmpfs", order, bs, r, total, ns, NULL);
		}
	}
	/* The sum keeps the loads; it is the pattern's, so check it. */
	if (!sink)
		printf("CHECK FAIL: mmap reads gave zeros only\n");
	close(dfd);
	close(tfd);
}

/*
 * Data at offset 0 and at @far_off (nothing in between), read from both
 * places; the order of the two alternates between repetitions.
 */
static void bench_offset(unsigned long order)
{
	int fds[2], t, k, near, b;
	const char *names[2] = { "scullv", "tmpfs" };
	struct io_stats st;
	unsigned int r;
	uint64_t ns;

	fds[0] = open_dev_trim(order);
	fds[1] = open_tmp_trunc();
	for (t = 0; t < 2; t++) {
		write_loop(fds[t], 0, total, buf_size, &st);
		write_loop(fds[t], far_off, total, buf_size, &st);
	}
	for (r = 0; r < reps; r++) {
		for (b = 0; b < (int)nblocks; b++) {
			size_t bs = blocks[b];

			for (t = 0; t < 2; t++) {
				for (k = 0; k < 2; k++) {
					off_t off;

					near = (k + r) & 1;
					off = near ? 0 : far_off;

					ns = read_loop(fds[t], off, total, bs, &st);
					report(near ? "read-near" : "read-far",
					       names[t], order, bs, r, total, ns, &st);
					if (r == 0)
						check_data(fds[t], near ? "near read" : "far read",
							   off, total, bs);
				}
			}
		}
	}
	close(fds[0]);
	close(fds[1]);
	unlink(tmp_path);
}

static void bench_zero(void)
{
	struct io_stats st;
	unsigned int r, b;
	uint64_t ns;
	int fd = open("/dev/zero", O_RDONLY);

	if (fd < 0)
		die("open /dev/zero");
	for (r = 0; r < reps; r++)
		for (b = 0; b < nblocks; b++) {
			ns = read_loop(fd, 0, total, blocks[b], &st);
			report("zero", "zero", -1, blocks[b], r, total, ns, &st);
		}
	close(fd);
}

static void bench_memcpy(void)
{
	unsigned char *src;
	unsigned int r, b;
	uint64_t t0, ns;
	size_t off;

	src = mmap(NULL, total, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (src == MAP_FAILED)
		die("mmap %zu bytes", total);
	memset(src, 0x5a, total);
	for (r = 0; r < reps; r++)
		for (b = 0; b < nblocks; b++) {
			size_t bs = blocks[b];

			t0 = now_ns();
			for (off = 0; off < total; off += bs)
				memcpy(buf, src + off, bs);
			ns = now_ns() - t0;
			if (buf[0] != 0x5a)
				printf("CHECK FAIL: memcpy\n");
			report("memcpy", "user", -1, bs, r, total, ns, NULL);
		}
	munmap(src, total);
}

int main(int argc, char **argv)
{
	unsigned int i;
	int opt;

	while ((opt = getopt(argc, argv, "d:t:s:O:r:o:b:T:")) != -1) {
		switch (opt) {
		case 'd': dev_path = optarg; break;
		case 't': tmp_path = optarg; break;
		case 's': total = strtoul(optarg, NULL, 0) * MIB; break;
		case 'O': far_off = (off_t)strtoul(optarg, NULL, 0) * MIB; break;
		case 'r': reps = strtoul(optarg, NULL, 0); break;
		case 'o': norders = parse_list(optarg, orders); break;
		case 'b': nblocks = parse_list(optarg, blocks); break;
		case 'T': tests = optarg; break;
		default:
			fprintf(stderr, "usage: see the comment at the top of scullv_bench.c\n");
			return 2;
		}
	}
	page_size = sysconf(_SC_PAGESIZE);
	errno = 0;
	if (!total || !reps || !norders || !nblocks)
		die("nothing to do");
	for (i = 0; i < nblocks; i++) {
		if (!blocks[i] || blocks[i] & (blocks[i] - 1) || blocks[i] > total)
			die("block size %lu: not a power of two up to -s", blocks[i]);
		if (blocks[i] > buf_size)
			buf_size = blocks[i];
	}
	if (buf_size < page_size)
		buf_size = page_size;
	buf = aligned_alloc(page_size, buf_size);
	pattern = aligned_alloc(page_size, buf_size);
	if (!buf || !pattern)
		die("out of memory");
	for (i = 0; i < buf_size; i++)
		pattern[i] = (unsigned char)(i * 7 + 1);
	memset(buf, 0, buf_size);

	printf("INFO size %zu far_offset %lld reps %u orders", total,
	       (long long)far_off, reps);
	for (i = 0; i < norders; i++)
		printf(" %lu", orders[i]);
	printf(" blocks");
	for (i = 0; i < nblocks; i++)
		printf(" %lu", blocks[i]);
	printf(" tests %s\n", tests);
	fflush(stdout);

	if (want("zero"))
		bench_zero();
	if (want("memcpy"))
		bench_memcpy();
	for (i = 0; i < norders; i++) {
		printf("INFO order %lu\n", orders[i]);
		fflush(stdout);
		if (want("seq"))
			bench_seq(orders[i]);
		if (want("mmap"))
			bench_mmap(orders[i]);
		if (want("offset"))
			bench_offset(orders[i]);
	}
	/* Leave nothing behind: trim the device, remove the file. */
	if (want("seq") || want("mmap") || want("offset")) {
		close(open_dev_trim(orders[0]));
		unlink(tmp_path);
	}
	printf("INFO done%s\n", failed ? " (with CHECK FAIL)" : "");
	return failed;
}
