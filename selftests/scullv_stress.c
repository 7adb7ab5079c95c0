// SPDX-License-Identifier: GPL-2.0
/*
 * Robustness tests for the scullv character device: many processes at
 * once, a seeded fuzzer over ioctls, offsets and sizes, injected
 * allocation failures, a memory cgroup limit and an unprivileged user.
 *
 * Every system call's result is checked against what the driver
 * documents (Documentation/misc-devices/scullv.rst); anything else is a
 * failure.  Kernel reports (KASAN, lockdep, kmemleak) are caught by
 * whoever reads the console; this program only counts what it tried.
 *
 * It uses /dev/scullv2 and /dev/scullv3 so that it can run beside
 * scullv_test, which uses the first two devices.
 *
 * Usage: scullv_stress [-p processes] [-t seconds] [-s seed]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <misc/scullv.h>

#include "../../../kselftest.h"

#define CHAOS_DEV	"/dev/scullv2"
#define OWN_DEV		"/dev/scullv3"
#define PARAM_DIR	"/sys/module/scullv/parameters/"
#define FAIL_DIR	"/sys/kernel/debug/"
#define CGROUP_DIR	"/sys/fs/cgroup"

static int nprocs = 8;
static int seconds = 10;
static unsigned int seed = 1;
static long page_size;

/* Counters shared by the children, in a MAP_SHARED page. */
struct tally {
	unsigned long ops;
	unsigned long unexpected;
	unsigned long sigbus;
	char first_bad[160];
};

static struct tally *tally;

static unsigned long long read_param(const char *name)
{
	char path[128], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		ksft_exit_fail_msg("cannot read %s: %s\n", path, strerror(errno));
	fclose(f);
	return strtoull(buf, NULL, 0);
}

static bool write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok;
}

/* A small xorshift generator, so that a seed replays a run exactly. */
static uint64_t rnd_state;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* Record a result that the driver's documentation does not allow. */
static void unexpected(const char *what, long ret, int err)
{
	__atomic_add_fetch(&tally->unexpected, 1, __ATOMIC_RELAXED);
	if (!tally->first_bad[0])
		snprintf(tally->first_bad, sizeof(tally->first_bad),
			 "%s returned %ld (%s)", what, ret, strerror(err));
}

/* Is @err one of the errors listed, 0-terminated? */
static bool errno_in(int err, const int *allowed)
{
	for (; *allowed; allowed++)
		if (err == *allowed)
			return true;
	return false;
}

static void check(const char *what, long ret, const int *allowed)
{
	__atomic_add_fetch(&tally->ops, 1, __ATOMIC_RELAXED);
	if (ret < 0 && !errno_in(errno, allowed))
		unexpected(what, ret, errno);
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

/*
 * Touch every page of a mapping of @len bytes.  Another process may trim
 * the device between our lseek() and mmap(), so SIGBUS is allowed here
 * and counted.
 */
static void touch_mapping(int fd, size_t len, bool write)
{
	char *p;
	size_t i;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		check("mmap", -1, (int[]){ ENOMEM, 0 });
		return;
	}
	__atomic_add_fetch(&tally->ops, 1, __ATOMIC_RELAXED);
	if (sigsetjmp(bus_jmp, 1)) {
		__atomic_add_fetch(&tally->sigbus, 1, __ATOMIC_RELAXED);
	} else {
		for (i = 0; i < len; i += page_size) {
			/* atomic accesses: the compiler may not drop them */
			if (write)
				__atomic_store_n(&p[i], (char)i, __ATOMIC_RELAXED);
			else
				(void)__atomic_load_n(&p[i], __ATOMIC_RELAXED);
		}
	}
	munmap(p, len);
}

/* One random operation on the chaos device. */
static void chaos_op(const char *dev, char *buf, size_t bufsize,
		     long long max_size)
{
	static const int rw_errs[] = { EFBIG, ENOMEM, EINVAL, 0 };
	static const int open_errs[] = { EBUSY, ENOMEM, 0 };
	static const int ioc_errs[] = { EINVAL, 0 };
	size_t len = 1 + rnd_below(bufsize);
	off_t off = rnd_below(4 * 1024 * 1024);
	uint32_t val;
	off_t end;
	int fd;

	if (!(rnd() & 15)) {	/* opening write-only trims */
		fd = open(dev, O_WRONLY);
		check("open O_WRONLY", fd, open_errs);
		if (fd >= 0)
			close(fd);
		return;
	}
	fd = open(dev, O_RDWR);
	if (fd < 0) {
		check("open", -1, open_errs);
		return;
	}
	switch (rnd_below(8)) {
	case 0:
		check("pwrite", pwrite(fd, buf, len, off), rw_errs);
		break;
	case 1:
		check("pread", pread(fd, buf, len, off), rw_errs);
		break;
	case 2:
		if (lseek(fd, off, SEEK_SET) < 0)
			check("lseek", -1, rw_errs);
		check("write", write(fd, buf, len), rw_errs);
		check("read", read(fd, buf, len), rw_errs);
		break;
	case 3:
		check("lseek END", lseek(fd, rnd_below(3) - 1, SEEK_END), rw_errs);
		check("lseek CUR", lseek(fd, rnd_below(max_size), SEEK_CUR), rw_errs);
		break;
	case 4:
		val = rnd_below(SCULLV_ORDER_MAX + 2);
		check("IOCSORDER", ioctl(fd, SCULLV_IOCSORDER, &val), ioc_errs);
		val = rnd_below(8);
		check("IOCTQSET", ioctl(fd, SCULLV_IOCTQSET, (unsigned long)val), ioc_errs);
		break;
	case 5:
		check("IOCRESET", ioctl(fd, SCULLV_IOCRESET), ioc_errs);
		check("IOCQQSET", ioctl(fd, SCULLV_IOCQQSET), ioc_errs);
		break;
	case 6:
		end = lseek(fd, 0, SEEK_END);
		if (end > 0)
			touch_mapping(fd, end < 1 << 20 ? end : 1 << 20, rnd() & 1);
		break;
	case 7:
		if (read(fd, buf, 1) < 0 || pread(fd, buf, len, max_size - 1) < 0)
			check("read at the limit", -1, rw_errs);
		break;
	}
	close(fd);
}

/* Run @fn in @nprocs children with different seeds; 0 if all exited 0. */
static int run_children(void (*fn)(int idx, time_t until), time_t until)
{
	int i, status, bad = 0;
	pid_t pid;

	for (i = 0; i < nprocs; i++) {
		pid = fork();
		if (pid < 0)
			ksft_exit_fail_msg("fork: %s\n", strerror(errno));
		if (!pid) {
			rnd_state = ((uint64_t)seed << 32) ^ (i + 1) * 0x9e3779b97f4a7c15ULL;
			fn(i, until);
			_exit(0);
		}
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	return bad;
}

static long long chaos_max_size;

static void chaos_child(int idx, time_t until)
{
	char *buf = malloc(256 * 1024);

	if (!buf)
		_exit(1);
	memset(buf, 'a' + idx, 256 * 1024);
	while (time(NULL) < until)
		chaos_op(CHAOS_DEV, buf, 256 * 1024, chaos_max_size);
	free(buf);
}

/*
 * Everything at once on one device: reads, writes, seeks, trims,
 * geometry ioctls and mappings.  Nothing survives a trim, so only the
 * results of the calls are checked.
 */
static void test_chaos(void)
{
	time_t t0 = time(NULL);
	int bad;

	chaos_max_size = read_param("scullv_max_size");
	memset(tally, 0, sizeof(*tally));
	bad = run_children(chaos_child, t0 + seconds);
	ksft_print_msg("chaos: %d processes x %lds, %lu calls, %lu SIGBUS after a trim\n",
		       nprocs, (long)(time(NULL) - t0), tally->ops, tally->sigbus);
	if (bad || tally->unexpected)
		ksft_test_result_fail("chaos: %d children failed, %lu unexpected results: %s\n",
				      bad, tally->unexpected, tally->first_bad);
	else
		ksft_test_result_pass("chaos\n");
}

/* The byte that process @idx writes at @off in generation @gen. */
static char pattern(int idx, off_t off, unsigned int gen)
{
	return (char)(idx * 31 + off * 7 + gen * 13);
}

#define OWN_REGION	(96 * 1024)	/* crosses 8 KiB quantum sets often */

static void own_child(int idx, time_t until)
{
	static const int rw_errs[] = { ENOMEM, 0 };
	char *shadow = calloc(1, OWN_REGION), *buf = malloc(OWN_REGION);
	off_t base = (off_t)idx * OWN_REGION;
	unsigned int gen = 0;
	int fd = open(OWN_DEV, O_RDWR);
	size_t i;

	if (fd < 0 || !shadow || !buf)
		_exit(1);
	while (time(NULL) < until) {
		off_t off = rnd_below(OWN_REGION);
		size_t len = 1 + rnd_below(OWN_REGION - off);
		ssize_t done;

		gen++;
		for (i = 0; i < len; i++)
			buf[i] = pattern(idx, off + i, gen);
		done = pwrite(fd, buf, len, base + off);
		check("pwrite own", done, rw_errs);
		if (done > 0)
			memcpy(shadow + off, buf, done);
		/* Read somebody else's region; its contents are theirs. */
		check("pread other", pread(fd, buf, len,
					   rnd_below(nprocs) * OWN_REGION + off), rw_errs);
		if (!(gen & 63))
			touch_mapping(fd, base + OWN_REGION, false);
	}
	if (pread(fd, buf, OWN_REGION, base) != OWN_REGION)
		unexpected("final pread", -1, errno);
	else if (memcmp(buf, shadow, OWN_REGION))
		unexpected("own region differs from what was written", -1, 0);
	close(fd);
}

/*
 * Each process writes random pieces of its own region, reads the others'
 * and maps the device, with no trim: at the end every region must hold
 * exactly what its owner wrote last.
 */
static void test_own_ranges(void)
{
	time_t t0 = time(NULL);
	uint32_t order = 0, qset = 2;
	int fd, bad;

	/* Quantum sets of 8 KiB, so that the regions cross many of them. */
	fd = open(OWN_DEV, O_RDWR);
	if (fd < 0 || ioctl(fd, SCULLV_IOCSORDER, &order) ||
	    ioctl(fd, SCULLV_IOCSQSET, &qset))
		ksft_exit_fail_msg("cannot set up %s: %s\n", OWN_DEV, strerror(errno));
	close(fd);
	fd = open(OWN_DEV, O_WRONLY);	/* trim: the new geometry applies */
	if (fd < 0)
		ksft_exit_fail_msg("cannot trim %s: %s\n", OWN_DEV, strerror(errno));
	/* Every region exists from the start: the file ends past the last. */
	if (pwrite(fd, "", 1, (off_t)nprocs * OWN_REGION) != 1)
		ksft_exit_fail_msg("cannot size %s: %s\n", OWN_DEV, strerror(errno));
	close(fd);

	memset(tally, 0, sizeof(*tally));
	bad = run_children(own_child, t0 + seconds);
	ksft_print_msg("own ranges: %d processes x %lds, %lu calls\n",
		       nprocs, (long)(time(NULL) - t0), tally->ops);
	if (bad || tally->unexpected)
		ksft_test_result_fail("own ranges survive: %d failed, %lu unexpected: %s\n",
				      bad, tally->unexpected, tally->first_bad);
	else
		ksft_test_result_pass("own ranges survive\n");

	fd = open(OWN_DEV, O_RDWR);
	ioctl(fd, SCULLV_IOCRESET);
	close(fd);
	close(open(OWN_DEV, O_WRONLY));
}

/*
 * What the driver must answer to an ioctl, from its documentation: 0 or a
 * negative errno.
 */
static int expected_ioctl(unsigned int cmd, unsigned long arg, bool arg_ok,
			  uint32_t val)
{
	switch (cmd) {
	case SCULLV_IOCRESET:
	case SCULLV_IOCQORDER:
	case SCULLV_IOCQQSET:
		return 0;
	case SCULLV_IOCGORDER:
	case SCULLV_IOCGQSET:
		return arg_ok ? 0 : -EFAULT;
	case SCULLV_IOCTORDER:
	case SCULLV_IOCHORDER:
		return arg <= SCULLV_ORDER_MAX ? 0 : -EINVAL;
	case SCULLV_IOCTQSET:
	case SCULLV_IOCHQSET:
		return arg >= SCULLV_QSET_MIN && arg <= SCULLV_QSET_MAX ? 0 : -EINVAL;
	case SCULLV_IOCSORDER:
	case SCULLV_IOCXORDER:
		if (!arg_ok)
			return -EFAULT;
		return val <= SCULLV_ORDER_MAX ? 0 : -EINVAL;
	case SCULLV_IOCSQSET:
	case SCULLV_IOCXQSET:
		if (!arg_ok)
			return -EFAULT;
		return val >= SCULLV_QSET_MIN && val <= SCULLV_QSET_MAX ? 0 : -EINVAL;
	default:
		return -ENOTTY;
	}
}

static const unsigned int known_cmds[] = {
	SCULLV_IOCRESET,
	SCULLV_IOCSORDER, SCULLV_IOCTORDER, SCULLV_IOCGORDER,
	SCULLV_IOCQORDER, SCULLV_IOCXORDER, SCULLV_IOCHORDER,
	SCULLV_IOCSQSET, SCULLV_IOCTQSET, SCULLV_IOCGQSET,
	SCULLV_IOCQQSET, SCULLV_IOCXQSET, SCULLV_IOCHQSET,
};

static unsigned int fuzz_cmd(void)
{
	switch (rnd_below(4)) {
	case 0:
	case 1:
		return known_cmds[rnd_below(ARRAY_SIZE(known_cmds))];
	case 2:	/* the right magic, anything else random */
		return (rnd() & ~0xff00U) | (SCULLV_IOC_MAGIC << 8);
	default:
		return rnd();
	}
}

static uint32_t fuzz_value(void)
{
	static const uint32_t edges[] = {
		0, 1, 2, SCULLV_ORDER_MAX, SCULLV_ORDER_MAX + 1, 500,
		SCULLV_QSET_MAX, SCULLV_QSET_MAX + 1, INT32_MAX,
		(uint32_t)INT32_MAX + 1, UINT32_MAX,
	};

	if (rnd() & 1)
		return edges[rnd_below(ARRAY_SIZE(edges))];
	return rnd();
}

static unsigned long fuzz_ioctls(int fd, int n)
{
	static const unsigned long bad_ptrs[] = {
		0, 1, 0xffffffff81000000UL, 0x7ffffffff000UL, ~0UL,
	};
	uint32_t *box = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long tried = 0;
	int i;

	for (i = 0; i < n; i++, tried++) {
		unsigned int cmd = fuzz_cmd();
		uint32_t val = fuzz_value();
		bool arg_ok = rnd_below(4) != 0;
		unsigned long arg;
		int want, got;
		long ret;

		if (_IOC_DIR(cmd) == _IOC_NONE)
			arg = (rnd() & 1) ? val : rnd();
		else if (arg_ok)
			arg = (unsigned long)box;
		else
			arg = bad_ptrs[rnd_below(ARRAY_SIZE(bad_ptrs))];
		*box = val;
		want = expected_ioctl(cmd, arg, arg_ok, val);
		ret = ioctl(fd, cmd, arg);
		got = ret < 0 ? -errno : 0;
		if (got != want) {
			char what[96];

			snprintf(what, sizeof(what), "ioctl %#x arg %#lx (value %u)",
				 cmd, arg, val);
			unexpected(what, ret, -got);
		}
	}
	ioctl(fd, SCULLV_IOCRESET);
	munmap(box, page_size);
	return tried;
}

/* What pread/pwrite at @off for @len bytes must give, from the docs. */
static void fuzz_one_offset(int fd, char *buf, size_t bufsize, long long off,
			    size_t len, long long max_size)
{
	char what[96];
	ssize_t ret;

	ret = pwrite(fd, buf, len, off);
	snprintf(what, sizeof(what), "pwrite at %lld len %zu", off, len);
	if (off < 0) {
		if (ret != -1 || errno != EINVAL)
			unexpected(what, ret, errno);
	} else if (len == 0) {
		if (ret != 0)
			unexpected(what, ret, errno);
	} else if ((unsigned long long)off + len > (unsigned long long)LLONG_MAX) {
		/* vfs_write() checks the buffer (EFAULT) before the range */
		if (ret != -1 || (errno != EINVAL && errno != EOVERFLOW && errno != EFBIG &&
				  !(errno == EFAULT && len > bufsize)))
			unexpected(what, ret, errno);
	} else if (off >= max_size) {
		if (ret != -1 || errno != EFBIG)
			unexpected(what, ret, errno);
	} else if (len > bufsize) {
		/* Only @bufsize bytes are readable: short, or EFAULT. */
		if (ret < 0 ? errno != EFAULT && errno != ENOMEM : ret > (ssize_t)len)
			unexpected(what, ret, errno);
	} else {
		long long room = max_size - off;

		if (ret != (ssize_t)(len < (size_t)room ? len : (size_t)room) &&
		    !(ret < 0 && errno == ENOMEM))
			unexpected(what, ret, errno);
	}

	len = len < bufsize ? len : bufsize;
	ret = pread(fd, buf, len, off);
	snprintf(what, sizeof(what), "pread at %lld len %zu", off, len);
	if (off < 0 || (unsigned long long)off + len > (unsigned long long)LLONG_MAX) {
		if (ret != -1 || errno != EINVAL)
			unexpected(what, ret, errno);
	} else if (ret < 0 || ret > (ssize_t)len) {
		unexpected(what, ret, errno);
	}
}

static unsigned long fuzz_offsets(int fd, int n, long long max_size)
{
	long long set = 2LL * page_size;	/* qset 2, order 0 */
	const long long offs[] = {
		0, 1, -1, -page_size, LLONG_MAX, LLONG_MAX - 1, max_size - 1,
		max_size, max_size + 1, set - 1, set, set + 1, 7 * set - 1,
		LLONG_MIN,
	};
	const size_t lens[] = { 0, 1, 4096, 65536, SSIZE_MAX, (size_t)-1 };
	size_t bufsize = 65536;
	char *buf = malloc(bufsize);
	unsigned long tried = 0;
	uint32_t order = 0, qset = 2;
	int i, wfd;

	if (!buf)
		ksft_exit_fail_msg("out of memory\n");
	memset(buf, 'z', bufsize);
	ioctl(fd, SCULLV_IOCSORDER, &order);
	ioctl(fd, SCULLV_IOCSQSET, &qset);
	wfd = open(CHAOS_DEV, O_WRONLY);	/* trim: small quantum sets */
	close(wfd);

	for (i = 0; i < n; i++, tried++) {
		long long off = rnd() & 1 ? offs[rnd_below(ARRAY_SIZE(offs))]
					  : (long long)rnd_below(max_size + set);
		size_t len = rnd() & 1 ? lens[rnd_below(ARRAY_SIZE(lens))]
				       : rnd_below(bufsize);

		/* (size_t)-1 is not a valid count: the kernel caps at MAX_RW_COUNT */
		if (len > SSIZE_MAX)
			len = SSIZE_MAX;
		fuzz_one_offset(fd, buf, bufsize, off, len, max_size);
		if (!(i & 255)) {	/* keep the device small */
			wfd = open(CHAOS_DEV, O_WRONLY);
			close(wfd);
		}
	}
	ioctl(fd, SCULLV_IOCRESET);
	close(open(CHAOS_DEV, O_WRONLY));
	free(buf);
	return tried;
}

static void test_fuzz(void)
{
	long long max_size = read_param("scullv_max_size");
	unsigned long n_ioctl, n_off;
	int fd = open(CHAOS_DEV, O_RDWR);

	if (fd < 0)
		ksft_exit_fail_msg("open %s: %s\n", CHAOS_DEV, strerror(errno));
	memset(tally, 0, sizeof(*tally));
	rnd_state = seed * 0x2545f4914f6cdd1dULL + 1;
	n_ioctl = fuzz_ioctls(fd, 20000);
	n_off = fuzz_offsets(fd, 5000, max_size);
	close(fd);
	ksft_print_msg("fuzz: seed %u, %lu ioctls and %lu offset/size pairs tried\n",
		       seed, n_ioctl, n_off);
	if (tally->unexpected)
		ksft_test_result_fail("fuzz: %lu unexpected results, first: %s\n",
				      tally->unexpected, tally->first_bad);
	else
		ksft_test_result_pass("fuzz\n");
}

/* Switch a fault-injection attribute of failslab or fail_page_alloc. */
static bool fail_attr(const char *which, const char *attr, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), FAIL_DIR "%s/%s", which, attr);
	return write_file(path, val);
}

static bool fault_injection(bool on)
{
	static const char * const which[] = { "failslab", "fail_page_alloc" };
	bool ok = true;
	int i;

	for (i = 0; i < 2; i++) {
		if (on) {
			ok &= fail_attr(which[i], "task-filter", "Y");
			ok &= fail_attr(which[i], "interval", "1");
			ok &= fail_attr(which[i], "times", "-1");
			ok &= fail_attr(which[i], "verbose", "0");
			ok &= fail_attr(which[i], "ignore-gfp-wait", "N");
			if (i) {	/* quanta are built from order-0 pages */
				ok &= fail_attr(which[i], "ignore-gfp-highmem", "N");
				ok &= fail_attr(which[i], "min-order", "0");
			}
		}
		ok &= fail_attr(which[i], "probability", on ? "2" : "0");
	}
	return ok;
}

/*
 * With allocations failing at random in this task, writes at new
 * offsets return ENOMEM or a short count, and what was stored before,
 * and what every successful write reported, reads back intact.
 */
static void test_fault_injection(void)
{
	enum { CHUNK = 3 * 65536 + 123, N = 200 };
	char *buf = malloc(CHUNK), *back = malloc(CHUNK);
	unsigned long enomem = 0, shorts = 0, full = 0;
	ssize_t *done = calloc(N, sizeof(*done));
	int fd, i;

	if (access(FAIL_DIR "failslab/probability", W_OK) ||
	    access(FAIL_DIR "fail_page_alloc/probability", W_OK) ||
	    access("/proc/self/make-it-fail", W_OK)) {
		ksft_test_result_skip("fault injection: no failslab or fail_page_alloc\n");
		return;
	}
	if (!buf || !back || !done)
		ksft_exit_fail_msg("out of memory\n");

	fd = open(CHAOS_DEV, O_RDWR | O_TRUNC);
	if (fd < 0)
		ksft_exit_fail_msg("open %s: %s\n", CHAOS_DEV, strerror(errno));
	memset(buf, 0x5a, CHUNK);
	if (pwrite(fd, buf, CHUNK, 0) != CHUNK)	/* the data stored before */
		ksft_exit_fail_msg("first write: %s\n", strerror(errno));

	if (!fault_injection(true) || !write_file("/proc/self/make-it-fail", "1")) {
		fault_injection(false);
		ksft_test_result_fail("fault injection: cannot configure it\n");
		return;
	}
	for (i = 0; i < N; i++) {
		memset(buf, i, CHUNK);
		done[i] = pwrite(fd, buf, CHUNK, (off_t)(i + 1) * CHUNK);
		if (done[i] < 0)
			done[i] = -errno;
		if (done[i] == -ENOMEM)
			enomem++;
		else if (done[i] >= 0 && done[i] < CHUNK)
			shorts++;
		else if (done[i] == CHUNK)
			full++;
	}
	write_file("/proc/self/make-it-fail", "0");
	fault_injection(false);

	ksft_print_msg("fault injection: %d writes: %lu full, %lu short, %lu ENOMEM\n",
		       N, full, shorts, enomem);
	memset(tally, 0, sizeof(*tally));
	memset(buf, 0x5a, CHUNK);
	if (pread(fd, back, CHUNK, 0) != CHUNK || memcmp(back, buf, CHUNK))
		unexpected("data stored before the faults", -1, errno);
	for (i = 0; i < N; i++) {
		if (done[i] < 0 && done[i] != -ENOMEM)
			unexpected("write under fault injection", -1, -done[i]);
		if (done[i] <= 0)
			continue;
		memset(buf, i, done[i]);
		if (pread(fd, back, done[i], (off_t)(i + 1) * CHUNK) != done[i] ||
		    memcmp(back, buf, done[i]))
			unexpected("bytes a write reported as stored", done[i], errno);
	}
	close(fd);
	close(open(CHAOS_DEV, O_WRONLY));
	if (tally->unexpected || full + shorts + enomem != N)
		ksft_test_result_fail("fault injection: %s\n", tally->first_bad[0] ?
				      tally->first_bad : "a write failed otherwise");
	else if (!enomem && !shorts)
		ksft_test_result_fail("fault injection: no allocation failed\n");
	else
		ksft_test_result_pass("fault injection\n");
	free(buf);
	free(back);
	free(done);
}

/*
 * A writer in a memory cgroup limited to 16 MiB writes 64 MiB: it must
 * get ENOMEM, and nothing may be OOM-killed.
 */
static void test_memcg(void)
{
	const char *cg = CGROUP_DIR "/scullv-stress";
	char path[128], buf[4096];
	int status;
	pid_t pid;
	FILE *f;
	long oom_kills = -1;

	if (access(CGROUP_DIR "/cgroup.subtree_control", W_OK) ||
	    !write_file(CGROUP_DIR "/cgroup.subtree_control", "+memory")) {
		ksft_test_result_skip("memcg: no cgroup2 memory controller at " CGROUP_DIR "\n");
		return;
	}
	rmdir(cg);
	if (mkdir(cg, 0755))
		ksft_exit_fail_msg("mkdir %s: %s\n", cg, strerror(errno));
	snprintf(path, sizeof(path), "%s/memory.max", cg);
	if (!write_file(path, "16M"))
		ksft_exit_fail_msg("cannot set %s\n", path);

	pid = fork();
	if (!pid) {
		char self[16], *chunk = malloc(1 << 20);
		ssize_t ret = 0;
		int fd, i;

		snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
		snprintf(self, sizeof(self), "%d", getpid());
		if (!chunk || !write_file(path, self))
			_exit(2);
		memset(chunk, 1, 1 << 20);
		fd = open(CHAOS_DEV, O_WRONLY);
		for (i = 0; i < 64 && ret >= 0; i++)
			ret = write(fd, chunk, 1 << 20);
		close(fd);
		_exit(ret < 0 && errno == ENOMEM ? 0 : 3);
	}
	waitpid(pid, &status, 0);
	close(open(CHAOS_DEV, O_WRONLY));	/* uncharge: trim from here */

	snprintf(path, sizeof(path), "%s/memory.events", cg);
	f = fopen(path, "r");
	while (f && fgets(buf, sizeof(buf), f))
		sscanf(buf, "oom_kill %ld", &oom_kills);
	if (f)
		fclose(f);
	rmdir(cg);

	if (!WIFEXITED(status))
		ksft_test_result_fail("memcg: the writer was killed by signal %d\n",
				      WTERMSIG(status));
	else if (WEXITSTATUS(status))
		ksft_test_result_fail("memcg: the writer did not get ENOMEM (status %d)\n",
				      WEXITSTATUS(status));
	else if (oom_kills)
		ksft_test_result_fail("memcg: %ld OOM kills\n", oom_kills);
	else
		ksft_test_result_pass("memcg limit gives ENOMEM, no OOM kill\n");
}

/*
 * A user without CAP_SYS_ADMIN, holding an open device, can read the
 * geometry but neither change it nor write past the size limit.
 */
static void test_unprivileged(void)
{
	long long max_size = read_param("scullv_max_size");
	int fd = open(CHAOS_DEV, O_RDWR), status;
	pid_t pid;

	if (fd < 0)
		ksft_exit_fail_msg("open %s: %s\n", CHAOS_DEV, strerror(errno));
	pid = fork();
	if (!pid) {
		uint32_t val = 2;
		int bad = 0;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		bad |= ioctl(fd, SCULLV_IOCQORDER) < 0;
		bad |= (ioctl(fd, SCULLV_IOCSQSET, &val) != -1 || errno != EPERM) << 1;
		bad |= (ioctl(fd, SCULLV_IOCTORDER, 1UL) != -1 || errno != EPERM) << 2;
		bad |= (ioctl(fd, SCULLV_IOCRESET) != -1 || errno != EPERM) << 3;
		bad |= (pwrite(fd, "x", 1, max_size) != -1 || errno != EFBIG) << 4;
		bad |= (open(CHAOS_DEV, O_RDWR) != -1 || errno != EACCES) << 5;
		_exit(bad);
	}
	waitpid(pid, &status, 0);
	close(fd);
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		ksft_test_result_pass("unprivileged user is refused\n");
	else
		ksft_test_result_fail("unprivileged user: status %#x\n", status);
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "p:t:s:")) != -1) {
		switch (opt) {
		case 'p':
			nprocs = atoi(optarg);
			break;
		case 't':
			seconds = atoi(optarg);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-p procs] [-t seconds] [-s seed]\n", argv[0]);
			return KSFT_FAIL;
		}
	}
	if (nprocs < 1 || nprocs > 64 || seconds < 1)
		ksft_exit_fail_msg("bad -p or -t\n");

	ksft_print_header();
	if (geteuid())
		ksft_exit_skip("needs root\n");
	if (access(CHAOS_DEV, R_OK | W_OK) || access(OWN_DEV, R_OK | W_OK))
		ksft_exit_skip(CHAOS_DEV " or " OWN_DEV " missing: needs scullv_devs >= 4\n");

	page_size = sysconf(_SC_PAGESIZE);
	tally = mmap(NULL, sizeof(*tally), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tally == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	signal(SIGBUS, on_sigbus);

	ksft_set_plan(6);
	test_chaos();
	test_own_ranges();
	test_fuzz();
	test_fault_injection();
	test_memcg();
	test_unprivileged();
	ksft_finished();
}
