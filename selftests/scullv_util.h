/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What both scullv kselftests do before they start: load the module with
 * modprobe when it is not loaded (or built in), and mount debugfs when it
 * is not mounted.  The process that did either undoes it when it exits,
 * and only that process: children forked later leave both alone.
 */
#ifndef SCULLV_UTIL_H
#define SCULLV_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <linux/magic.h>

/* True if the kernel command line contains @word. */
static inline bool cmdline_has(const char *word)
{
	char buf[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	return strstr(buf, word);
}

#define SCULLV_MODULE_DIR	"/sys/module/scullv"
#define SCULLV_FIRST_DEV	"/dev/scullv0"
#define SCULLV_DEBUGFS		"/sys/kernel/debug"

static pid_t scullv_main_pid;
static bool scullv_loaded_here, scullv_mounted_here;

/* Print @msg (a "# " line) with write(2) alone: safe in a signal handler. */
static void scullv_note(const char *msg)
{
	if (write(STDOUT_FILENO, msg, strlen(msg)) < 0)
		return;
}

/*
 * Run "modprobe scullv" or "modprobe -r scullv", with its messages on
 * stderr, away from the TAP output.  Return its exit status, or -1.
 */
static int scullv_modprobe(bool remove)
{
	static char * const load[] = { "modprobe", "scullv", NULL };
	static char * const unload[] = { "modprobe", "-r", "scullv", NULL };
	/* PATH may lack the sbin directories */
	static const char * const paths[] = {
		"/sbin/modprobe", "/usr/sbin/modprobe", "/bin/modprobe", NULL,
	};
	char * const *argv = remove ? unload : load;
	int i, status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(argv[0], argv);
		for (i = 0; paths[i]; i++)
			execv(paths[i], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Undo what scullv_load_module() and scullv_mount_debugfs() did, in the
 * process that did it, on its way out: at exit, or from the handler of a
 * signal that ends it.  Safe to call again.
 */
static void scullv_restore_env(void)
{
	int fd;

	if (getpid() != scullv_main_pid)
		return;
	if (scullv_loaded_here) {
		/*
		 * A test that failed, or a signal, may have left a device
		 * open, and an open device cannot be unloaded.  This process
		 * is on its way out: close all but stdin, stdout and stderr.
		 */
		for (fd = STDERR_FILENO + 1; fd < 1024; fd++)
			close(fd);
		if (scullv_modprobe(true))
			scullv_note("# could not unload scullv (modprobe -r scullv)\n");
		scullv_loaded_here = false;
	}
	if (scullv_mounted_here) {
		if (umount(SCULLV_DEBUGFS))
			scullv_note("# could not unmount " SCULLV_DEBUGFS "\n");
		scullv_mounted_here = false;
	}
}

static void scullv_restore_env_at_exit(void)
{
	fflush(stdout);
	scullv_restore_env();
}

static void scullv_env_init(void)
{
	if (scullv_main_pid)
		return;
	scullv_main_pid = getpid();
	atexit(scullv_restore_env_at_exit);
}

/*
 * Load the module unless /sys/module/scullv is there (loaded or built
 * in), then wait for udev, if any, to make the first device node.
 * Return NULL when the devices are there, else the reason they are not.
 */
static const char *scullv_load_module(void)
{
	int i;

	scullv_env_init();
	if (access(SCULLV_MODULE_DIR, F_OK)) {
		if (geteuid())
			return "scullv is not loaded, and loading it needs root";
		if (scullv_modprobe(false))
			return "modprobe scullv failed: is the module installed (CONFIG_SCULLV=m)?";
		scullv_loaded_here = true;
	}
	for (i = 0; i < 50 && access(SCULLV_FIRST_DEV, F_OK); i++)
		usleep(100 * 1000);
	if (access(SCULLV_FIRST_DEV, F_OK))
		return SCULLV_FIRST_DEV " is missing although scullv is loaded";
	return NULL;
}

/* Mount debugfs unless it is mounted; it is unmounted again at exit. */
static void scullv_mount_debugfs(void)
{
	struct statfs st;

	scullv_env_init();
	if (!statfs(SCULLV_DEBUGFS, &st) && st.f_type == DEBUGFS_MAGIC)
		return;
	if (!mount("debugfs", SCULLV_DEBUGFS, "debugfs", 0, NULL))
		scullv_mounted_here = true;
}

#endif /* SCULLV_UTIL_H */
