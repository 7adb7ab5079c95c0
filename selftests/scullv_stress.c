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
 * It loads the module when it is not loaded, and mounts debugfs and
 * cgroup2 when they are not mounted.  Everything global that it changes
 * (those, the fault-injection settings, the memory controller in the
 * root's cgroup.subtree_control, its cgroup, the pending geometry of the
 * two devices) is put back as it was when it exits, whether the tests
 * pass or fail, and when it is ended by a signal; a child that dies
 * leaves nothing switched on.
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
#include "scullv_util.h"

#define CHAOS_DEV	"/dev/scullv2"
#define OWN_DEV		"/dev/scullv3"
#define PARAM_DIR	"/sys/module/scullv/parameters/"
#define FAIL_DIR	SCULLV_DEBUGFS "/"

static int nprocs = 8;
static int seconds = 10;
static unsigned int seed = 1;
static long page_size;

/* Counters shared by the children, in a MAP_SHARED page. */
struct tally {
	unsigned long ops;
	unsigned long unexpected;
	unsigned long sigbus;
	int err;
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

/*
 * Putting back what the tests change.  Everything below that runs from
 * cleanup() uses only calls that are safe in a signal handler.
 */

/* The children alive, so that a signal that ends the test ends them. */
#define MAX_KIDS	72
static pid_t kids[MAX_KIDS];
static int nkids;

static const int fatal_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGABRT, SIGSEGV,
};

/* fork(), keeping the child's pid until reap(). */
static pid_t spawn(void)
{
	unsigned int i;
	pid_t pid;

	if (nkids == MAX_KIDS)
		ksft_exit_fail_msg("too many children\n");
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (!pid) {
		for (i = 0; i < ARRAY_SIZE(fatal_signals); i++)
			signal(fatal_signals[i], SIG_DFL);
		nkids = 0;
		return 0;
	}
	kids[nkids++] = pid;
	return pid;
}

/* Wait for child @pid; return its wait status. */
static int reap(pid_t pid)
{
	int i, status = -1;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	for (i = 0; i < nkids; i++) {
		if (kids[i] == pid) {
			kids[i] = kids[--nkids];
			break;
		}
	}
	return status;
}

static void kill_kids(void)
{
	pid_t pid;

	while (nkids > 0) {
		pid = kids[--nkids];
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* A debugfs file that the test changed, and what it held before. */
struct knob {
	char path[96];
	char old[64];
};

#define MAX_KNOBS	32
static struct knob knobs[MAX_KNOBS];
static int nknobs;

/*
 * Write @val to @path, having saved what @path held the first time, for
 * restore_knobs().  False if @path cannot be read or written.
 */
static bool set_knob(const char *path, const char *val)
{
	struct knob *k = NULL;
	ssize_t n;
	int i, fd;

	for (i = 0; i < nknobs; i++)
		if (!strcmp(knobs[i].path, path))
			k = &knobs[i];
	if (!k) {
		if (nknobs == MAX_KNOBS || strlen(path) >= sizeof(k->path))
			return false;
		k = &knobs[nknobs];
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return false;
		n = read(fd, k->old, sizeof(k->old) - 1);
		close(fd);
		if (n <= 0)
			return false;
		k->old[n] = '\0';
		k->old[strcspn(k->old, "\n")] = '\0';
		memcpy(k->path, path, strlen(path) + 1);
		nknobs++;
	}
	return write_file(path, val);
}

/* Put every changed knob back, the last changed first. */
static bool restore_knobs(void)
{
	bool ok = true;

	while (nknobs > 0) {
		nknobs--;
		ok &= write_file(knobs[nknobs].path, knobs[nknobs].old);
	}
	return ok;
}

/* The cgroup2 hierarchy test_memcg() uses, and what it changed there. */
static char cg_root[128];		/* where cgroup2 is mounted */
static bool cg_mounted_here;		/* on a directory made for it */
static char cg_subtree[160];		/* the root's cgroup.subtree_control */
static bool cg_memory_enabled_here;	/* "+memory" written to it */
static char cg_path[192];		/* the test's cgroup, while it exists */

/* Remove the test cgroup, disable what was enabled, unmount. */
static bool restore_cgroups(void)
{
	bool ok = true;
	int i;

	if (cg_path[0]) {
		/* the last task may take a moment to leave it */
		for (i = 0; rmdir(cg_path) && errno == EBUSY && i < 200; i++)
			usleep(10 * 1000);
		ok &= access(cg_path, F_OK) != 0;
		cg_path[0] = '\0';
	}
	if (cg_memory_enabled_here) {
		ok &= write_file(cg_subtree, "-memory");
		cg_memory_enabled_here = false;
	}
	if (cg_mounted_here) {
		ok &= umount(cg_root) == 0;
		rmdir(cg_root);
		cg_mounted_here = false;
	}
	return ok;
}

/* The pending geometry of the two devices, as the test found it. */
static struct {
	const char *dev;
	int order, qset;
} geometry[] = { { CHAOS_DEV, -1, -1 }, { OWN_DEV, -1, -1 } };

static void save_geometry(void)
{
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(geometry); i++) {
		fd = open(geometry[i].dev, O_RDONLY);
		if (fd < 0)
			continue;
		geometry[i].order = ioctl(fd, SCULLV_IOCQORDER);
		geometry[i].qset = ioctl(fd, SCULLV_IOCQQSET);
		close(fd);
	}
}

/* Set the saved geometry again, and trim so that it is in use. */
static void restore_geometry(void)
{
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(geometry); i++) {
		if (geometry[i].order < 0 || geometry[i].qset < 0)
			continue;
		fd = open(geometry[i].dev, O_RDONLY);
		if (fd < 0)
			continue;
		ioctl(fd, SCULLV_IOCTORDER, (unsigned long)geometry[i].order);
		ioctl(fd, SCULLV_IOCTQSET, (unsigned long)geometry[i].qset);
		close(fd);
		fd = open(geometry[i].dev, O_WRONLY);
		if (fd >= 0)
			close(fd);
	}
}

/* Put back everything, in the main process only; safe to call again. */
static void cleanup(void)
{
	if (getpid() != scullv_main_pid)
		return;
	kill_kids();
	if (!restore_knobs())
		scullv_note("# could not restore the fault-injection settings\n");
	if (!restore_cgroups())
		scullv_note("# could not remove the test cgroup, or restore subtree_control\n");
	restore_geometry();
	scullv_restore_env();
}

static void cleanup_at_exit(void)
{
	fflush(stdout);
	cleanup();
}

static void on_fatal_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A small xorshift generator, so that a seed replays a run exactly. */
static __u64 rnd_state;

static __u64 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static __u64 rnd_below(__u64 n)
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
	__u32 val;
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
	pid_t pids[64];

	for (i = 0; i < nprocs; i++) {
		pids[i] = spawn();
		if (!pids[i]) {
			rnd_state = ((__u64)seed << 32) ^ (i + 1) * 0x9e3779b97f4a7c15ULL;
			fn(i, until);
			_exit(0);
		}
	}
	for (i = 0; i < nprocs; i++) {
		status = reap(pids[i]);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
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
	__u32 order = 0, qset = 2;
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
			  __u32 val)
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

static __u32 fuzz_value(void)
{
	static const __u32 edges[] = {
		0, 1, 2, SCULLV_ORDER_MAX, SCULLV_ORDER_MAX + 1, 500,
		SCULLV_QSET_MAX, SCULLV_QSET_MAX + 1, INT32_MAX,
		(__u32)INT32_MAX + 1, UINT32_MAX,
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
	__u32 *box = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long tried = 0;
	int i;

	for (i = 0; i < n; i++, tried++) {
		unsigned int cmd = fuzz_cmd();
		__u32 val = fuzz_value();
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
	__u32 order = 0, qset = 2;
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

/* Set a fault-injection attribute of failslab or fail_page_alloc. */
static bool fail_attr(const char *which, const char *attr, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), FAIL_DIR "%s/%s", which, attr);
	return set_knob(path, val);
}

/*
 * Make allocations fail at random in the tasks that ask for it with
 * /proc/self/make-it-fail, and in no other (task-filter).  Every setting
 * is saved first; restore_knobs() puts them back.
 */
static bool fault_injection_on(void)
{
	static const char * const which[] = { "failslab", "fail_page_alloc" };
	bool ok = true;
	int i;

	for (i = 0; i < 2; i++) {
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
	/* the switch last, once only the chosen task can fail */
	for (i = 0; i < 2 && ok; i++)
		ok &= fail_attr(which[i], "probability", "2");
	return ok;
}

#define FAULT_NOT_RUN	LONG_MIN	/* a write the child did not reach */

/*
 * With allocations failing at random in one task, writes at new offsets
 * return ENOMEM or a short count, and what was stored before, and what
 * every successful write reported, reads back intact.  The writes run in
 * a child, so that the settings are put back whatever becomes of it.
 */
static void test_fault_injection(void)
{
	enum { CHUNK = 3 * 65536 + 123, N = 200 };
	char *buf = malloc(CHUNK), *back = malloc(CHUNK);
	unsigned long enomem = 0, shorts = 0, full = 0;
	long *done;
	bool restored;
	int fd, i, status;
	pid_t pid;

	if (access(FAIL_DIR "failslab/probability", W_OK) ||
	    access(FAIL_DIR "fail_page_alloc/probability", W_OK) ||
	    access("/proc/self/make-it-fail", W_OK)) {
		ksft_test_result_skip("fault injection: no failslab or fail_page_alloc\n");
		return;
	}
	done = mmap(NULL, N * sizeof(*done), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!buf || !back || done == MAP_FAILED)
		ksft_exit_fail_msg("out of memory\n");
	for (i = 0; i < N; i++)
		done[i] = FAULT_NOT_RUN;

	fd = open(CHAOS_DEV, O_RDWR | O_TRUNC);
	if (fd < 0)
		ksft_exit_fail_msg("open %s: %s\n", CHAOS_DEV, strerror(errno));
	memset(buf, 0x5a, CHUNK);
	if (pwrite(fd, buf, CHUNK, 0) != CHUNK)	/* the data stored before */
		ksft_exit_fail_msg("first write: %s\n", strerror(errno));

	if (!fault_injection_on()) {
		restore_knobs();
		close(fd);
		ksft_test_result_fail("fault injection: cannot configure it\n");
		return;
	}
	pid = spawn();
	if (!pid) {
		/* no page of ours may need allocating once it is on */
		memset(buf, 0, CHUNK);
		if (!write_file("/proc/self/make-it-fail", "1"))
			_exit(2);
		for (i = 0; i < N; i++) {
			ssize_t ret;

			memset(buf, i, CHUNK);
			ret = pwrite(fd, buf, CHUNK, (off_t)(i + 1) * CHUNK);
			done[i] = ret < 0 ? -errno : ret;
		}
		_exit(0);
	}
	status = reap(pid);
	restored = restore_knobs();

	for (i = 0; i < N; i++) {
		if (done[i] == -ENOMEM)
			enomem++;
		else if (done[i] >= 0 && done[i] < CHUNK)
			shorts++;
		else if (done[i] == CHUNK)
			full++;
	}
	ksft_print_msg("fault injection: %d writes: %lu full, %lu short, %lu ENOMEM\n",
		       N, full, shorts, enomem);
	memset(tally, 0, sizeof(*tally));
	memset(buf, 0x5a, CHUNK);
	if (pread(fd, back, CHUNK, 0) != CHUNK || memcmp(back, buf, CHUNK))
		unexpected("data stored before the faults", -1, errno);
	for (i = 0; i < N; i++) {
		if (done[i] == FAULT_NOT_RUN)
			continue;
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
	if (!restored)
		ksft_test_result_fail("fault injection: cannot restore the settings\n");
	else if (!WIFEXITED(status) || WEXITSTATUS(status))
		ksft_test_result_fail("fault injection: the writer failed (status %#x)\n",
				      status);
	else if (tally->unexpected || full + shorts + enomem != N)
		ksft_test_result_fail("fault injection: %s\n", tally->first_bad[0] ?
				      tally->first_bad : "a write failed otherwise");
	else if (!enomem && !shorts)
		ksft_test_result_fail("fault injection: no allocation failed\n");
	else
		ksft_test_result_pass("fault injection\n");
	munmap(done, N * sizeof(*done));
	free(buf);
	free(back);
}

/* The number in @path, or the one after "@key " in it; -1 if none. */
static long long read_value(const char *path, const char *key)
{
	size_t klen = key ? strlen(key) : 0;
	FILE *f = fopen(path, "r");
	char line[256], *num, *end;
	long long val = -1, v;

	while (f && fgets(line, sizeof(line), f)) {
		if (key && (strncmp(line, key, klen) || line[klen] != ' '))
			continue;
		num = key ? line + klen : line;
		v = strtoll(num, &end, 10);
		if (end != num)
			val = v;
		if (!key)
			break;
	}
	if (f)
		fclose(f);
	return val;
}

/* True if the space-separated words of @path's first line include @word. */
static bool has_word(const char *path, const char *word)
{
	FILE *f = fopen(path, "r");
	char buf[512], *tok, *save;
	bool found = false;

	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f))
		for (tok = strtok_r(buf, "\n ", &save); tok; tok = strtok_r(NULL, "\n ", &save))
			found |= !strcmp(tok, word);
	fclose(f);
	return found;
}

/* Set cg_root to a cgroup2 mount, mounting one if there is none. */
static bool find_cgroup2(void)
{
	char line[512], dir[128], type[32];
	FILE *f = fopen("/proc/self/mounts", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %127s %31s", dir, type) == 2 &&
		    !strcmp(type, "cgroup2")) {
			snprintf(cg_root, sizeof(cg_root), "%s", dir);
			fclose(f);
			return true;
		}
	}
	if (f)
		fclose(f);
	snprintf(cg_root, sizeof(cg_root), "/tmp/scullv-cgroup2.XXXXXX");
	if (!mkdtemp(cg_root))
		return false;
	if (mount("cgroup2", cg_root, "cgroup2", 0, NULL)) {
		rmdir(cg_root);
		return false;
	}
	cg_mounted_here = true;
	return true;
}

/* True if the kernel was booted with kernel memory accounting off. */
static bool nokmem(void)
{
	return cmdline_has("nokmem");
}

#define MEMCG_LIMIT	(16LL << 20)	/* the cgroup's memory.max */
#define MEMCG_CHUNK	(1024 * 1024)	/* bytes per write() */
#define MEMCG_PERIOD	251		/* the byte at offset o is o % 251 */

/* How the memcg writer exits, when it is not killed. */
enum { MEMCG_ENOMEM, MEMCG_SETUP = 2, MEMCG_PAST_LIMIT, MEMCG_OTHER_ERROR };

/*
 * The child of test_memcg(): join @procs' cgroup, then write the pattern
 * from offset 0 of the empty device until a write fails, or the device
 * holds more than @stop bytes.
 */
static __noreturn void memcg_writer(const char *procs, const char *buf, long long stop)
{
	long long total = 0;
	char self[24];
	ssize_t ret;
	int fd;

	snprintf(self, sizeof(self), "%d", getpid());
	if (!write_file(procs, self))
		_exit(MEMCG_SETUP);
	fd = open(CHAOS_DEV, O_RDWR);		/* no trim */
	if (fd < 0)
		_exit(MEMCG_SETUP);
	for (;;) {
		ret = write(fd, buf + total % MEMCG_PERIOD, MEMCG_CHUNK);
		if (ret <= 0) {
			tally->err = ret < 0 ? errno : 0;
			_exit(ret < 0 && errno == ENOMEM ? MEMCG_ENOMEM : MEMCG_OTHER_ERROR);
		}
		total += ret;
		tally->ops = total;
		if (total > stop)
			_exit(MEMCG_PAST_LIMIT);
	}
}

/* Set @file of the test cgroup to @val. */
static bool cg_set(const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", cg_path, file);
	return write_file(path, val);
}

static long long cg_get(const char *file, const char *key)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", cg_path, file);
	return read_value(path, key);
}

/* Offset of the first byte of the device that is not the pattern, or -1. */
static long long memcg_check_data(int fd, long long size, char *back)
{
	long long off, j;
	ssize_t n;

	for (off = 0; off < size; off += n) {
		n = pread(fd, back, size - off < MEMCG_CHUNK ? size - off : MEMCG_CHUNK, off);
		if (n <= 0)
			return off;
		for (j = 0; j < n; j++)
			if (back[j] != (char)((off + j) % MEMCG_PERIOD))
				return off + j;
	}
	return -1;
}

/*
 * The memory cgroup contract of a write: the quanta are charged to the
 * writer's cgroup (GFP_KERNEL_ACCOUNT), so at memory.max the kernel
 * reclaims, then runs the memcg OOM killer as for any GFP_KERNEL
 * allocation.  A writer alone in a cgroup of 16 MiB without swap writes
 * until it fails or dies; it must either get ENOMEM from write() or be
 * killed with SIGKILL and counted in memory.events' oom_kill.  Whichever
 * happened, the device holds no more than the limit allows (plus a
 * quantum and a write of slack), what it holds reads back right, and
 * trimming it returns the charge: memory.current drops.
 */
static void test_memcg(void)
{
	long long max_size = read_param("scullv_max_size");
	long long quantum, slack, size, cur_full, cur_trimmed, kills0, kills1, bad_at;
	char path[256], outcome[96] = "", *buf, *back;
	int fd, i, status, order;
	bool trimmed, restored;
	pid_t pid;

	if (!find_cgroup2()) {
		ksft_test_result_skip("memcg: no cgroup2, and mounting it failed: %s\n",
				      strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/cgroup.controllers", cg_root);
	if (!has_word(path, "memory")) {
		restore_cgroups();
		ksft_test_result_skip("memcg: no memory controller in %s (cgroup v1?)\n",
				      cg_root);
		return;
	}
	if (nokmem()) {
		restore_cgroups();
		ksft_test_result_skip("memcg: kernel memory accounting is off (nokmem)\n");
		return;
	}

	/* an empty device, at the module's geometry */
	fd = open(CHAOS_DEV, O_RDWR);
	if (fd < 0 || ioctl(fd, SCULLV_IOCRESET))
		ksft_exit_fail_msg("cannot reset %s: %s\n", CHAOS_DEV, strerror(errno));
	order = ioctl(fd, SCULLV_IOCQORDER);
	close(fd);
	fd = open(CHAOS_DEV, O_WRONLY | O_TRUNC);
	if (fd < 0 || order < 0)
		ksft_exit_fail_msg("cannot trim %s: %s\n", CHAOS_DEV, strerror(errno));
	close(fd);
	quantum = (long long)page_size << order;
	slack = quantum + MEMCG_CHUNK;
	if (max_size < 2 * (MEMCG_LIMIT + slack)) {
		restore_cgroups();
		ksft_test_result_skip("memcg: scullv_max_size %lld: the test needs %lld\n",
				      max_size, 2 * (MEMCG_LIMIT + slack));
		return;
	}

	snprintf(cg_subtree, sizeof(cg_subtree), "%s/cgroup.subtree_control", cg_root);
	if (!has_word(cg_subtree, "memory")) {
		if (!write_file(cg_subtree, "+memory")) {
			restore_cgroups();
			ksft_test_result_fail("memcg: cannot enable the memory controller in %s\n",
					      cg_subtree);
			return;
		}
		cg_memory_enabled_here = true;
	}
	snprintf(cg_path, sizeof(cg_path), "%s/scullv-stress.%d", cg_root, getpid());
	if (mkdir(cg_path, 0755)) {
		ksft_test_result_fail("memcg: mkdir %s: %s\n", cg_path, strerror(errno));
		cg_path[0] = '\0';
		restore_cgroups();
		return;
	}
	snprintf(path, sizeof(path), "%lld", MEMCG_LIMIT);
	if (!cg_set("memory.max", path) ||
	    (!cg_set("memory.swap.max", "0") && cg_get("memory.swap.max", NULL) != -1)) {
		ksft_test_result_fail("memcg: cannot set memory.max or memory.swap.max\n");
		restore_cgroups();
		return;
	}

	/* the writer only reads this: its pages stay charged to us */
	buf = malloc(MEMCG_CHUNK + MEMCG_PERIOD);
	back = malloc(MEMCG_CHUNK);
	if (!buf || !back)
		ksft_exit_fail_msg("out of memory\n");
	for (i = 0; i < MEMCG_CHUNK + MEMCG_PERIOD; i++)
		buf[i] = (char)(i % MEMCG_PERIOD);
	kills0 = cg_get("memory.events", "oom_kill");
	memset(tally, 0, sizeof(*tally));
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg_path);

	/* a note for whoever reads the kernel log next to the OOM report */
	write_file("/dev/kmsg",
		   "scullv_stress: memcg: a writer at memory.max; expect a memcg OOM kill\n");
	pid = spawn();
	if (!pid)
		memcg_writer(path, buf, MEMCG_LIMIT + slack);
	status = reap(pid);
	write_file("/dev/kmsg", "scullv_stress: memcg: the writer is gone\n");

	fd = open(CHAOS_DEV, O_RDONLY);
	if (fd < 0)
		ksft_exit_fail_msg("open %s: %s\n", CHAOS_DEV, strerror(errno));
	size = lseek(fd, 0, SEEK_END);
	cur_full = cg_get("memory.current", NULL);
	bad_at = memcg_check_data(fd, size, back);
	close(fd);
	fd = open(CHAOS_DEV, O_WRONLY | O_TRUNC);
	trimmed = fd >= 0;
	if (fd >= 0)
		close(fd);
	cur_trimmed = cg_get("memory.current", NULL);
	kills1 = cg_get("memory.events", "oom_kill");
	restored = restore_cgroups();
	free(buf);
	free(back);

	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		snprintf(outcome, sizeof(outcome), "OOM-killed");
	else if (WIFEXITED(status) && WEXITSTATUS(status) == MEMCG_ENOMEM)
		snprintf(outcome, sizeof(outcome), "ENOMEM");
	ksft_print_msg("memcg: limit %lld: writer %s after %lu bytes, oom_kill %lld -> %lld\n",
		       MEMCG_LIMIT, outcome[0] ? outcome : "failed", tally->ops,
		       kills0, kills1);
	ksft_print_msg("memcg: device %lld bytes; memory.current %lld, after the trim %lld\n",
		       size, cur_full, cur_trimmed);

	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		ksft_test_result_fail("memcg: the writer was killed by signal %d\n",
				      WTERMSIG(status));
	else if (WIFSIGNALED(status) && kills1 <= kills0)
		ksft_test_result_fail("memcg: SIGKILL, but memory.events counts no oom_kill\n");
	else if (WIFEXITED(status) && WEXITSTATUS(status) == MEMCG_PAST_LIMIT)
		ksft_test_result_fail("memcg: %lu bytes written, past memory.max, with no error\n",
				      tally->ops);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == MEMCG_OTHER_ERROR)
		ksft_test_result_fail("memcg: a write failed with %s, not ENOMEM\n",
				      strerror(tally->err));
	else if (!outcome[0])
		ksft_test_result_fail("memcg: the writer could not start (status %#x)\n", status);
	else if (size > MEMCG_LIMIT + slack)
		ksft_test_result_fail("memcg: the device holds %lld bytes: over the limit\n",
				      size);
	else if (size < MEMCG_LIMIT / 2)
		ksft_test_result_fail("memcg: the writer stopped at %lld bytes, far below\n",
				      size);
	else if (bad_at >= 0)
		ksft_test_result_fail("memcg: the data reads back wrong at offset %lld\n", bad_at);
	else if (cur_full < size / 2)
		ksft_test_result_fail("memcg: memory.current %lld: %lld bytes not charged\n",
				      cur_full, size);
	else if (!trimmed)
		ksft_test_result_fail("memcg: cannot trim %s: %s\n", CHAOS_DEV, strerror(errno));
	else if (cur_trimmed > cur_full - size / 2)
		ksft_test_result_fail("memcg: no charge returned: memory.current %lld, then %lld\n",
				      cur_full, cur_trimmed);
	else if (!restored)
		ksft_test_result_fail("memcg: cannot remove the cgroup or restore %s\n",
				      cg_subtree);
	else
		ksft_test_result_pass("memcg: the writer is held to memory.max\n");
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
	pid = spawn();
	if (!pid) {
		__u32 val = 2;
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
	status = reap(pid);
	close(fd);
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		ksft_test_result_pass("unprivileged user is refused\n");
	else
		ksft_test_result_fail("unprivileged user: status %#x\n", status);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { 0 };
	const char *why;
	unsigned int i;
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
	why = scullv_load_module();
	if (why)
		ksft_exit_skip("%s\n", why);
	scullv_mount_debugfs();
	atexit(cleanup_at_exit);
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(fatal_signals); i++)
		sigaction(fatal_signals[i], &sa, NULL);
	if (access(CHAOS_DEV, R_OK | W_OK) || access(OWN_DEV, R_OK | W_OK))
		ksft_exit_skip(CHAOS_DEV " or " OWN_DEV " missing: needs scullv_devs >= 4\n");
	save_geometry();

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
