// SPDX-License-Identifier: GPL-2.0
/*
 * scullv_bench: throughput of /dev/scullvN beside a tmpfs file and
 * /dev/zero, and a userspace memcpy, in one boot.  Built static; run as
 * root in the benchmark guest by scripts/bench (scripts/bench.d/init),
 * which parses the output.
 *
 *   scullv_bench [-d DEV] [-t FILE] [-s MIB] [-O MIB] [-c MIB] [-r REPS]
 *                [-o ORDERS] [-b BLOCKS] [-T TESTS]
 *
 *   -d DEV     scullv device (default /dev/scullv0); its module must allow
 *              OFFSET + SIZE bytes (scullv_max_size)
 *   -e DEV     a second scullv device (default /dev/scullv1)
 *   -t FILE    file on tmpfs (default /tmp/scullv_bench.dat); FILE.b is
 *              the second one
 *   -s MIB     bytes moved per measurement (default 256)
 *   -O MIB     offset of the far read (default 512)
 *   -c MIB     interleaving chunk (default 8; see below)
 *   -r REPS    repetitions of each measurement (default 11)
 *   -o ORDERS  quantum orders, comma-separated (default 0,4), applied with
 *              the SCULLV_IOCTORDER ioctl and a trim (open with O_TRUNC)
 *   -b BLOCKS  block sizes in bytes, comma-separated, powers of two up to
 *              the chunk (default 4096,65536,1048576)
 *   -N SUFFIX  appended to every TARGET that is printed (a second run, of
 *              another build of the driver, keeps its figures apart)
 *   -C DEV     the benchmark's ceiling device, bench/scullv_ceiling.c
 *              (default /dev/scullv_ceiling; left out when missing), and
 *              DEV_paged beside it, which the readers test also reads
 *   -T TESTS   comma-separated subset of: seq (fill, rewrite, read), mmap,
 *              offset, memcpy, readers, sendfile, wlat (default all)
 *
 * Measurements that are compared with each other run interleaved: the
 * data is moved in chunks of -c MiB, one chunk of each stream in turn (the
 * first stream rotates from chunk to chunk), and each stream's time is the
 * sum of its chunks' times.  So the fill of an empty scullv device, the
 * fill of an empty tmpfs file, the rewrite and the read of a second device
 * and file and reads of /dev/zero all span the same stretch of wall time,
 * and a host that slows down for a while (the machine's other work: qemu's
 * vCPU is just a host thread) slows them all.  Reads start half-way
 * through their data, so that no read follows a rewrite of the same chunk
 * (whose bytes could still sit in the host's cache).
 *
 * Every measurement prints one line:
 *
 *   BENCH TEST TARGET ORDER BS REP BYTES NS CALLS SHORT
 *
 * TEST is fill (sequential write into an empty device or file), rewrite
 * (the same, in place), read, mmap-touch (one load per page of a fresh
 * MAP_SHARED mapping: the fault cost), mmap-copy (memcpy of everything out
 * of a fresh mapping), read-near/read-far (read at offset 0 / at -O) or
 * memcpy (userspace memcpy from a SIZE buffer into a BS buffer, as read()
 * does into its buffer), readers-N (N processes, each with its own fd,
 * each reading all SIZE bytes in BS blocks, started together: BYTES is
 * their sum and NS the wall time until the last one is done), sendfile
 * (sendfile() of the data into a new tmpfs file, in chunks) or sendfile-in
 * (sendfile() from a tmpfs file into an empty device or a new tmpfs
 * file).  TARGET is scullv, tmpfs, ceiling (bench/scullv_ceiling.c),
 * ceilpaged (its buffer read a page per copy, readers only), zero
 * (/dev/zero, read beside the reads) or user; ORDER is the scullv quantum
 * order in force
 * ("-" where none applies).  NS is the wall time (CLOCK_MONOTONIC) of the
 * stream's chunks; CALLS counts its read/write system calls, SHORT those
 * that returned less than asked (the rest of the block is then asked for
 * again).  Lines starting with "INFO" describe the run; "CHECK FAIL" means
 * that data read back was wrong, and the program then exits 1.
 *
 * mmap-touch and mmap-copy also print the page faults they took:
 *
 *   FAULTS TEST TARGET ORDER REP FAULTS PAGES
 *
 * FAULTS counts the minor faults of the stream's loads (getrusage(), read
 * outside the timed part), PAGES the pages of the mapping.
 *
 * wlat prints, for a writer among readers that never stop:
 *
 *   WLAT ORDER READERS WRITES MEDIAN_NS P90_NS MAX_NS READS READ_NS
 *
 * READERS processes read the device in blocks of the largest block size
 * (1 MiB by default) without a pause while
 * one process makes WRITES 4 KiB pwrite()s with a 1 ms pause between
 * them; the *_NS are the writes' latencies, READS the readers' reads in
 * that time and READ_NS the mean time of one read.
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
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <misc/scullv.h>

#define MIB (1024UL * 1024UL)
#define MAX_LIST 16
#define MAX_STREAMS 4

static const char *dev_path = "/dev/scullv0";
static const char *dev2_path = "/dev/scullv1";
static const char *tmp_path = "/tmp/scullv_bench.dat";
static char tmp2_path[4096];
static size_t total = 256 * MIB;
static off_t far_off = 512 * MIB;
static size_t chunk = 8 * MIB;
static unsigned int reps = 11;
static unsigned long orders[MAX_LIST] = { 0, 4 };
static unsigned int norders = 2;
static unsigned long blocks[MAX_LIST] = { 4096, 65536, 1048576 };
static unsigned int nblocks = 3;
static const char *target_suffix = "";
static const char *ceiling_path = "/dev/scullv_ceiling";
static int have_ceiling;
/* The ceiling's buffer read a page per copy: readers only. */
static char ceiling_paged_path[4096 + 8];
static int have_ceiling_paged;
static const char *tests = "seq,mmap,offset,memcpy,readers,sendfile,wlat";
static size_t page_size;
static int failed;

/*
 * What is written: the same pattern in every block.  It repeats every 256
 * bytes, so every block size sees the same bytes at the same offsets.
 */
static unsigned char *buf, *pattern;
static size_t buf_size;

static void die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	fputs("scullv_bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
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

/* One stream of an interleaved measurement. */
struct stream {
	const char *test;
	const char *target;
	int fd;
	int write;		/* write() the pattern, else read() */
	int noseek;		/* /dev/zero: offsets mean nothing */
	off_t base;		/* offset of the stream's first byte */
	int shifted;		/* start half-way through the data */
	uint64_t ns;
	unsigned long calls;
	unsigned long shorts;
};

static void report(const struct stream *s, long order, size_t bs,
		   unsigned int rep, size_t bytes)
{
	char ord[24] = "-";

	if (order >= 0)
		snprintf(ord, sizeof(ord), "%ld", order);
	printf("BENCH %s %s%s %s %zu %u %zu %llu %lu %lu\n", s->test, s->target,
	       target_suffix, ord, bs, rep, bytes, (unsigned long long)s->ns, s->calls,
	       s->shorts);
}

/*
 * Move @len bytes at offset @off of @s in blocks of @bs, one read() or
 * write() per block unless one returns short; add the time to @s.
 */
static void stream_io(struct stream *s, off_t off, size_t len, size_t bs)
{
	size_t done = 0;
	uint64_t t0;

	if (!s->noseek && lseek(s->fd, off, SEEK_SET) != off)
		die("lseek %s to %lld", s->target, (long long)off);
	t0 = now_ns();
	while (done < len) {
		size_t blen = len - done < bs ? len - done : bs;
		size_t got = 0;

		while (got < blen) {
			ssize_t r = s->write ? write(s->fd, pattern + got, blen - got)
					     : read(s->fd, buf + got, blen - got);

			s->calls++;
			if (r <= 0)
				die("%s %s at %lld returned %zd", s->target,
				    s->write ? "write" : "read",
				    (long long)(off + done + got), r);
			if ((size_t)r < blen - got)
				s->shorts++;
			got += r;
		}
		done += got;
	}
	s->ns += now_ns() - t0;
}

/* The @n streams move @total bytes each, chunk by chunk in turn. */
static void run_streams(struct stream *s, unsigned int n, size_t bs,
			unsigned int rep)
{
	size_t nchunks = total / chunk, k;
	unsigned int i;

	for (i = 0; i < n; i++)
		s[i].ns = s[i].calls = s[i].shorts = 0;
	for (k = 0; k < nchunks; k++)
		for (i = 0; i < n; i++) {
			struct stream *cur = &s[(i + k + rep) % n];
			size_t c = cur->shifted ? (k + nchunks / 2) % nchunks : k;

			stream_io(cur, cur->base + c * chunk, chunk, bs);
		}
}

/* Check one block of stored data against the pattern. */
static void check_block(int fd, const char *what, off_t off, size_t bs)
{
	ssize_t r;

	memset(buf, 0, bs);
	r = pread(fd, buf, bs, off);
	if (r != (ssize_t)bs || memcmp(buf, pattern, bs)) {
		printf("CHECK FAIL: %s: pread of %zu at %lld gave %zd, or wrong data\n",
		       what, bs, (long long)off, r);
		failed = 1;
	}
}

/* Check the first and last block of a stream's data. */
static void check_stream(const struct stream *s, size_t bs)
{
	check_block(s->fd, s->target, s->base, bs);
	check_block(s->fd, s->target, s->base + (off_t)(total - bs), bs);
}

/* Open a device with O_TRUNC, which trims it and applies @order. */
static int open_dev_trim(const char *path, unsigned long order)
{
	int fd, got;

	fd = open(path, O_RDWR);
	if (fd < 0)
		die("open %s", path);
	if (ioctl(fd, SCULLV_IOCTORDER, order))
		die("SCULLV_IOCTORDER %lu", order);
	close(fd);
	fd = open(path, O_RDWR | O_TRUNC);
	if (fd < 0)
		die("open %s with O_TRUNC", path);
	got = ioctl(fd, SCULLV_IOCQORDER);
	if (got != (int)order)
		die("order is %d after the trim, not %lu", got, order);
	return fd;
}

static int open_tmp_trunc(const char *path)
{
	int fd;

	unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die("create %s", path);
	return fd;
}

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		die("open %s", path);
	return fd;
}

/*
 * fill (of the first device and file), rewrite and read (of the second
 * ones, filled beforehand) and reads of /dev/zero, all interleaved.
 */
static void bench_seq(unsigned long order)
{
	int zfd = open_or_die("/dev/zero", O_RDONLY);
	struct stream s[7] = {
		{ .test = "fill", .target = "scullv", .write = 1 },
		{ .test = "fill", .target = "tmpfs", .write = 1 },
		{ .test = "rewrite", .target = "scullv", .write = 1,
		  .fd = open_dev_trim(dev2_path, order) },
		{ .test = "rewrite", .target = "tmpfs", .write = 1,
		  .fd = open_tmp_trunc(tmp2_path) },
		{ .test = "read", .target = "scullv", .shifted = 1 },
		{ .test = "read", .target = "tmpfs", .shifted = 1 },
		{ .test = "read", .target = "zero", .fd = zfd, .noseek = 1 },
	};
	unsigned int r, b, i;

	/* The data that is rewritten and read. */
	run_streams(&s[2], 2, buf_size, 0);
	s[4].fd = s[2].fd;
	s[5].fd = s[3].fd;

	for (r = 0; r < reps; r++) {
		for (b = 0; b < nblocks; b++) {
			size_t bs = blocks[b];

			s[0].fd = open_dev_trim(dev_path, order);
			s[1].fd = open_tmp_trunc(tmp_path);
			run_streams(s, 7, bs, r);
			for (i = 0; i < 7; i++)
				report(&s[i], order, bs, r, total);
			if (r == 0)
				for (i = 0; i < 6; i++)
					check_stream(&s[i], bs);
			close(s[0].fd);
			close(s[1].fd);
		}
		fflush(stdout);
	}
	close(open_dev_trim(dev2_path, order));
	close(s[2].fd);
	close(s[3].fd);
	unlink(tmp2_path);
	unlink(tmp_path);
	close(zfd);
}

/* Minor page faults of this process so far. */
static long minor_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die("getrusage");
	return ru.ru_minflt;
}

/*
 * mmap-touch (one load per page) and mmap-copy (memcpy of every byte into
 * the buffer) of fresh mappings of scullv and tmpfs, interleaved by chunk;
 * mmap() and munmap() count towards the stream that made them.
 */
static void bench_mmap(unsigned long order)
{
	struct stream s[3] = {
		{ .test = "fill", .target = "scullv", .fd = open_dev_trim(dev_path, order),
		  .write = 1 },
		{ .test = "fill", .target = "tmpfs", .fd = open_tmp_trunc(tmp_path), .write = 1 },
		{ .test = "fill", .target = "ceiling", .write = 1 },
	};
	unsigned int r, i, n = have_ceiling ? 3 : 2;
	unsigned char *map[3];
	long faults[3];
	size_t nchunks = total / chunk, k, off;
	volatile const uint64_t *w;
	uint64_t t0, sum = 0;
	int copy;

	if (have_ceiling)
		s[2].fd = open_or_die(ceiling_path, O_RDWR);
	/* The data: the pattern, written in the largest blocks. */
	run_streams(s, n, buf_size, 0);

	for (r = 0; r < reps; r++) {
		for (copy = 0; copy <= 1; copy++) {
			for (i = 0; i < n; i++) {
				s[i].test = copy ? "mmap-copy" : "mmap-touch";
				s[i].ns = 0;
				faults[i] = 0;
				t0 = now_ns();
				map[i] = mmap(NULL, total, PROT_READ, MAP_SHARED, s[i].fd, 0);
				if (map[i] == MAP_FAILED)
					die("mmap %s", s[i].target);
				s[i].ns += now_ns() - t0;
			}
			for (k = 0; k < nchunks; k++) {
				for (i = 0; i < n; i++) {
					unsigned int j = (i + k + r) % n;
					unsigned char *base = map[j] + k * chunk;
					long f0 = minor_faults();

					t0 = now_ns();
					if (copy) {
						for (off = 0; off < chunk; off += buf_size) {
							memcpy(buf, base + off, buf_size);
							sum += buf[0];
						}
					} else {
						for (off = 0; off < chunk; off += page_size) {
							w = (volatile const uint64_t *)(base + off);
							sum += *w;
						}
					}
					s[j].ns += now_ns() - t0;
					faults[j] += minor_faults() - f0;
				}
			}
			for (i = 0; i < n; i++) {
				t0 = now_ns();
				munmap(map[i], total);
				s[i].ns += now_ns() - t0;
				report(&s[i], order, copy ? buf_size : page_size, r, total);
				printf("FAULTS %s %s %lu %u %ld %zu\n", s[i].test, s[i].target, order, r,
				       faults[i], total / page_size);
			}
		}
		fflush(stdout);
	}
	/* The sum keeps the loads; the pattern is not all zeros. */
	if (!sum) {
		printf("CHECK FAIL: mmap reads gave zeros only\n");
		failed = 1;
	}
	for (i = 0; i < n; i++)
		close(s[i].fd);
	unlink(tmp_path);
}

/*
 * Data at offset 0 and at @far_off (nothing in between), in scullv and in
 * tmpfs; the four reads are interleaved by chunk.
 */
static void bench_offset(unsigned long order)
{
	int dfd = open_dev_trim(dev_path, order), tfd = open_tmp_trunc(tmp_path);
	struct stream s[4] = {
		{ .test = "fill", .target = "scullv", .fd = dfd, .write = 1 },
		{ .test = "fill", .target = "scullv", .fd = dfd, .write = 1, .base = far_off },
		{ .test = "fill", .target = "tmpfs", .fd = tfd, .write = 1 },
		{ .test = "fill", .target = "tmpfs", .fd = tfd, .write = 1, .base = far_off },
	};
	unsigned int r, b, i;

	run_streams(s, 4, buf_size, 0);
	for (i = 0; i < 4; i++) {
		s[i].test = s[i].base ? "read-far" : "read-near";
		s[i].write = 0;
	}
	for (r = 0; r < reps; r++) {
		for (b = 0; b < nblocks; b++) {
			run_streams(s, 4, blocks[b], r);
			for (i = 0; i < 4; i++) {
				report(&s[i], order, blocks[b], r, total);
				if (r == 0)
					check_stream(&s[i], blocks[b]);
			}
		}
		fflush(stdout);
	}
	close(dfd);
	close(tfd);
	unlink(tmp_path);
}

static void bench_memcpy(void)
{
	struct stream s = { .test = "memcpy", .target = "user", .fd = -1 };
	unsigned char *src;
	unsigned int r, b;
	uint64_t t0;
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
			s.ns = now_ns() - t0;
			if (buf[0] != 0x5a) {
				printf("CHECK FAIL: memcpy\n");
				failed = 1;
			}
			report(&s, -1, bs, r, total);
		}
	fflush(stdout);
	munmap(src, total);
}

/* Fill @fd with @total bytes of the pattern from offset 0. */
static void fill_fd(int fd, const char *what)
{
	size_t off;

	for (off = 0; off < total; off += buf_size)
		if (pwrite(fd, pattern, buf_size, off) != (ssize_t)buf_size)
			die("fill %s", what);
}

/*
 * @n processes read all the data of @path with their own fds, in blocks
 * of the largest block size, each from its own starting point, started together; the wall
 * time from the start to the last exit.
 */
static uint64_t run_readers(const char *path, unsigned int n, unsigned long *calls)
{
	int ready[2], go[2], status;
	unsigned int i, bad = 0;
	pid_t pids[64];
	uint64_t t0;
	char c;

	if (pipe(ready) || pipe(go))
		die("pipe");
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (!pids[i]) {
			int fd = open(path, O_RDONLY);
			size_t bs = buf_size, done;
			off_t start = (off_t)(total / n) * i & ~(off_t)(bs - 1);

			if (fd < 0 || write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
				_exit(2);
			for (done = 0; done < total; done += bs) {
				off_t off = (start + done) % total;

				if (pread(fd, buf, bs, off) != (ssize_t)bs)
					_exit(3);
			}
			_exit(memcmp(buf, pattern, bs) ? 4 : 0);
		}
	}
	for (i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			die("readers never got ready");
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (write(go[1], "g", 1) != 1)
			die("start readers");
	for (i = 0; i < n; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			bad++;
	t0 = now_ns() - t0;
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	if (bad) {
		printf("CHECK FAIL: %u of %u readers of %s failed\n", bad, n, path);
		failed = 1;
	}
	*calls = n * (total / buf_size);
	return t0;
}

/*
 * Aggregate read throughput of 1, 2 and nproc readers (in blocks of the
 * largest block size) of scullv, tmpfs
 * and the ceiling device, the targets in turn within each repetition.
 */
static void bench_readers(unsigned long order)
{
	const char *paths[4] = { dev_path, tmp_path, ceiling_path, ceiling_paged_path };
	const char *names[4] = { "scullv", "tmpfs", "ceiling", "ceilpaged" };
	unsigned int counts[3] = { 1, 2, 0 }, ncounts = 2;
	unsigned int ntargets = have_ceiling ? (have_ceiling_paged ? 4 : 3) : 2;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int fds[4] = { open_dev_trim(dev_path, order), open_tmp_trunc(tmp_path), -1, -1 };
	unsigned int r, c, t, i;

	if (ncpu > 2 && ncpu <= 64)
		counts[ncounts++] = ncpu;
	if (have_ceiling)
		fds[2] = open_or_die(ceiling_path, O_RDWR);
	/* The two ceilings share one buffer: filling the first fills both. */
	for (t = 0; t < ntargets && t < 3; t++)
		fill_fd(fds[t], names[t]);
	printf("INFO readers: cpus %ld, counts", ncpu);
	for (c = 0; c < ncounts; c++)
		printf(" %u", counts[c]);
	printf("\n");
	for (r = 0; r < reps; r++) {
		for (c = 0; c < ncounts; c++) {
			for (i = 0; i < ntargets; i++) {
				struct stream s = { .target = names[(i + r + c) % ntargets] };
				char test[32];

				t = (i + r + c) % ntargets;
				snprintf(test, sizeof(test), "readers-%u", counts[c]);
				s.test = test;
				s.ns = run_readers(paths[t], counts[c], &s.calls);
				report(&s, order, buf_size, r, total * counts[c]);
			}
		}
		fflush(stdout);
	}
	for (t = 0; t < 3; t++)
		if (fds[t] >= 0)
			close(fds[t]);
	unlink(tmp_path);
}

/* sendfile() @len bytes from @in at @off to @out; count the calls. */
static void send_chunk(struct stream *s, int out, int in, off_t off, size_t len)
{
	uint64_t t0 = now_ns();
	size_t done = 0;

	while (done < len) {
		off_t pos = off + done;
		ssize_t r = sendfile(out, in, &pos, len - done);

		s->calls++;
		if (r <= 0)
			die("sendfile %s at %lld returned %zd", s->target,
			    (long long)(off + done), r);
		if ((size_t)r < len - done)
			s->shorts++;
		done += r;
	}
	s->ns += now_ns() - t0;
}

/*
 * sendfile out of scullv and out of a tmpfs file into new tmpfs files,
 * and from a tmpfs file into an empty scullv device and a new tmpfs file,
 * interleaved by chunk.
 */
static void bench_sendfile(unsigned long order)
{
	int dfd = open_dev_trim(dev_path, order), tfd = open_tmp_trunc(tmp_path);
	char out_path[4096 + 8];
	struct stream s[4] = {
		{ .test = "sendfile", .target = "scullv", .fd = dfd },
		{ .test = "sendfile", .target = "tmpfs", .fd = tfd },
		{ .test = "sendfile-in", .target = "scullv" },
		{ .test = "sendfile-in", .target = "tmpfs" },
	};
	int outs[4];
	size_t nchunks = total / chunk, k;
	unsigned int r, i;

	fill_fd(dfd, "scullv");
	fill_fd(tfd, "tmpfs");
	for (r = 0; r < reps; r++) {
		for (i = 0; i < 4; i++) {
			s[i].ns = s[i].calls = s[i].shorts = 0;
			snprintf(out_path, sizeof(out_path), "%s.out%u", tmp_path, i);
			outs[i] = i == 2 ? open_dev_trim(dev2_path, order) : open_tmp_trunc(out_path);
		}
		for (k = 0; k < nchunks; k++)
			for (i = 0; i < 4; i++) {
				unsigned int j = (i + k + r) % 4;

				if (j < 2)
					send_chunk(&s[j], outs[j], s[j].fd, k * chunk, chunk);
				else
					send_chunk(&s[j], outs[j], tfd, k * chunk, chunk);
			}
		for (i = 0; i < 4; i++) {
			report(&s[i], order, chunk, r, total);
			if (r == 0)
				check_block(outs[i], s[i].target, total - buf_size, buf_size);
			close(outs[i]);
		}
		fflush(stdout);
	}
	for (i = 0; i < 4; i++) {
		snprintf(out_path, sizeof(out_path), "%s.out%u", tmp_path, i);
		unlink(out_path);
	}
	close(open_dev_trim(dev2_path, order));
	close(dfd);
	close(tfd);
	unlink(tmp_path);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * A writer among readers that never stop: does it get the device, and
 * how long does a write wait?  An rwsem queues readers that come after a
 * waiting writer behind it, so a write waits for the reads in flight only.
 */
static void bench_wlat(unsigned long order)
{
	const unsigned int nreaders = 2, nwrites = 200;
	int fd = open_dev_trim(dev_path, order);
	volatile uint64_t *shared;
	uint64_t lat[200], t0;
	unsigned long reads = 0;
	uint64_t read_ns = 0;
	pid_t pids[2];
	unsigned int i;
	int status;

	fill_fd(fd, "scullv");
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		die("mmap");
	memset((void *)shared, 0, 4096);
	for (i = 0; i < nreaders; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (!pids[i]) {
			int rfd = open(dev_path, O_RDONLY);
			unsigned long n = 0;
			uint64_t t = now_ns();
			off_t off = (total / 2) * i;

			if (rfd < 0)
				_exit(2);
			__atomic_add_fetch(&shared[0], 1, __ATOMIC_SEQ_CST);
			while (!__atomic_load_n(&shared[1], __ATOMIC_SEQ_CST)) {
				if (pread(rfd, buf, buf_size, off) != (ssize_t)buf_size)
					_exit(3);
				off = (off + buf_size) % total;
				n++;
			}
			__atomic_add_fetch(&shared[2], n, __ATOMIC_SEQ_CST);
			__atomic_add_fetch(&shared[3], now_ns() - t, __ATOMIC_SEQ_CST);
			_exit(0);
		}
	}
	while (__atomic_load_n(&shared[0], __ATOMIC_SEQ_CST) < nreaders)
		usleep(1000);
	usleep(20000);
	for (i = 0; i < nwrites; i++) {
		off_t off = ((off_t)(i * 2654435761u) % (total >> 12)) << 12;

		t0 = now_ns();
		if (pwrite(fd, pattern, 4096, off) != 4096)
			die("pwrite among readers");
		lat[i] = now_ns() - t0;
		usleep(1000);
	}
	__atomic_store_n(&shared[1], 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < nreaders; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			printf("CHECK FAIL: a reader among writes failed\n");
			failed = 1;
		}
	reads = shared[2];
	read_ns = shared[3];
	qsort(lat, nwrites, sizeof(lat[0]), cmp_u64);
	printf("WLAT %lu %u %u %llu %llu %llu %lu %llu\n", order, nreaders, nwrites,
	       (unsigned long long)lat[nwrites / 2],
	       (unsigned long long)lat[nwrites * 9 / 10],
	       (unsigned long long)lat[nwrites - 1], reads,
	       (unsigned long long)(reads ? read_ns / reads : 0));
	fflush(stdout);
	munmap((void *)shared, 4096);
	close(open_dev_trim(dev_path, order));
	close(fd);
}

int main(int argc, char **argv)
{
	unsigned int i;
	int opt;

	while ((opt = getopt(argc, argv, "d:e:t:s:O:c:r:o:b:T:C:N:")) != -1) {
		switch (opt) {
		case 'd': dev_path = optarg; break;
		case 'C': ceiling_path = optarg; break;
		case 'N': target_suffix = optarg; break;
		case 'e': dev2_path = optarg; break;
		case 't': tmp_path = optarg; break;
		case 's': total = strtoul(optarg, NULL, 0) * MIB; break;
		case 'O': far_off = (off_t)strtoul(optarg, NULL, 0) * MIB; break;
		case 'c': chunk = strtoul(optarg, NULL, 0) * MIB; break;
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
	snprintf(tmp2_path, sizeof(tmp2_path), "%s.b", tmp_path);
	errno = 0;
	if (!total || !chunk || !reps || !norders || !nblocks)
		die("nothing to do");
	if (total % chunk || far_off % chunk || (size_t)far_off < total)
		die("-s must be a multiple of -c, and -O a multiple of -c and at least -s");
	for (i = 0; i < nblocks; i++) {
		if (!blocks[i] || blocks[i] & (blocks[i] - 1) || blocks[i] > chunk)
			die("block size %lu: not a power of two up to -c", blocks[i]);
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

	have_ceiling = access(ceiling_path, R_OK | W_OK) == 0;
	printf("INFO ceiling %s%s\n", ceiling_path, have_ceiling ? "" : " missing: left out");
	snprintf(ceiling_paged_path, sizeof(ceiling_paged_path), "%s_paged", ceiling_path);
	have_ceiling_paged = have_ceiling && access(ceiling_paged_path, R_OK) == 0;
	printf("INFO ceiling-paged %s%s\n", ceiling_paged_path,
	       have_ceiling_paged ? "" : " missing: left out");
	printf("INFO size %zu far_offset %lld chunk %zu reps %u orders", total,
	       (long long)far_off, chunk, reps);
	for (i = 0; i < norders; i++)
		printf(" %lu", orders[i]);
	printf(" blocks");
	for (i = 0; i < nblocks; i++)
		printf(" %lu", blocks[i]);
	printf(" tests %s\n", tests);
	fflush(stdout);

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
		if (want("readers"))
			bench_readers(orders[i]);
		if (want("sendfile"))
			bench_sendfile(orders[i]);
		if (want("wlat"))
			bench_wlat(orders[i]);
	}
	/* Leave nothing behind: trim the device, remove the file. */
	if (want("seq") || want("mmap") || want("offset")) {
		close(open_dev_trim(dev_path, orders[0]));
		unlink(tmp_path);
	}
	printf("INFO done%s\n", failed ? " (with CHECK FAIL)" : "");
	return failed;
}
