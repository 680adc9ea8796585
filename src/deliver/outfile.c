/*
 * outfile.c - atomic output files; see outfile.h.
 *
 * Every output is written to ".civreport-tmp-<name>-XXXXXX" in the folder of
 * its final path, fsync'd, given its mode, renamed over the final path (an
 * atomic replace within one file system), and the folder is fsync'd so the
 * rename itself survives a power cut.
 *
 * Temporary paths live in a registry of fixed-size buffers so that a
 * SIGTERM/SIGINT/SIGHUP handler can unlink them with nothing but unlink(2)
 * and an exit() can do the same from atexit.  A SIGKILL cannot be caught:
 * outfile_remove_stale() clears what such a run left, under the run lock.
 *
 * This file must never write to a final path directly, never leave the old
 * file damaged when anything fails, never unlink another process's temporary
 * file (the registry records the owner's PID, so a forked child that exits
 * leaves its parent's files alone), and never call anything but
 * async-signal-safe functions from its signal handler.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "outfile.h"
#include "util/testhook.h"
#include "util/xalloc.h"

#define TMP_PREFIX ".civreport-tmp-"
/* Bytes of the final name kept in the temporary name, well under NAME_MAX. */
#define TMP_NAME_KEEP 120
/* More outputs open at once than a run ever has: running out is a bug. */
#define OUTFILE_SLOTS 64

/*
 * The registry.  A slot is in use by this process when slot_pid[i] ==
 * getpid(); a slot holding another PID was inherited over fork() and is free
 * here.  The path is written before the PID is published (with a signal
 * fence), so the handler never sees a half-copied path.
 */
static char slot_path[OUTFILE_SLOTS][PATH_MAX];
static volatile sig_atomic_t slot_pid[OUTFILE_SLOTS];

/*
 * Private folders (a run's staging folder, outset.h) emptied and removed
 * with the temporary files: same rules as the file slots.
 */
#define STAGE_SLOTS 4
static char stage_path[STAGE_SLOTS][PATH_MAX];
static volatile sig_atomic_t stage_pid[STAGE_SLOTS];

static const int cleanup_signals[] = {SIGTERM, SIGINT, SIGHUP};

static bool atexit_done;

/* Block the termination signals around a create+register (or the reverse) so
 * that no signal can find a temporary file on disk but not in the registry. */
void outfile_block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(cleanup_signals) / sizeof(cleanup_signals[0]); i++)
		sigaddset(&set, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

void outfile_restore_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

static int slot_register(const char *tmp)
{
	pid_t me = getpid();
	size_t n = strlen(tmp);

	if (n >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (int i = 0; i < OUTFILE_SLOTS; i++) {
		if (slot_pid[i] == me)
			continue;
		memcpy(slot_path[i], tmp, n + 1);
		atomic_signal_fence(memory_order_seq_cst);
		slot_pid[i] = me;
		return 0;
	}
	errno = EMFILE;
	return -1;
}

static void slot_unregister(const char *tmp)
{
	pid_t me = getpid();

	for (int i = 0; i < OUTFILE_SLOTS; i++) {
		if (slot_pid[i] == me && strcmp(slot_path[i], tmp) == 0) {
			slot_pid[i] = 0;
			return;
		}
	}
}

/* Is name (a bare file name) one of this process's open temporary files? */
static bool slot_owns_name(const char *name)
{
	pid_t me = getpid();

	for (int i = 0; i < OUTFILE_SLOTS; i++) {
		const char *base;

		if (slot_pid[i] != me)
			continue;
		base = strrchr(slot_path[i], '/');
		base = base ? base + 1 : slot_path[i];
		if (strcmp(base, name) == 0)
			return true;
	}
	return false;
}

int outfile_stage_register(const char *dir)
{
	pid_t me = getpid();
	size_t n = strlen(dir);
	sigset_t old;

	if (n >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	outfile_block_signals(&old);
	for (int i = 0; i < STAGE_SLOTS; i++) {
		if (stage_pid[i] == me)
			continue;
		memcpy(stage_path[i], dir, n + 1);
		atomic_signal_fence(memory_order_seq_cst);
		stage_pid[i] = me;
		outfile_restore_signals(&old);
		return 0;
	}
	outfile_restore_signals(&old);
	errno = EMFILE;
	return -1;
}

void outfile_stage_unregister(const char *dir)
{
	pid_t me = getpid();

	for (int i = 0; i < STAGE_SLOTS; i++) {
		if (stage_pid[i] == me && strcmp(stage_path[i], dir) == 0) {
			stage_pid[i] = 0;
			return;
		}
	}
}

/*
 * Empty a staging folder (it holds only files: outset.h) and remove it,
 * with system calls only (getdents64, unlinkat, rmdir): opendir/readdir
 * may allocate, which a signal handler must not.
 */
static void empty_stage_signal_safe(const char *dir)
{
	static char buf[8192] __attribute__((aligned(8)));
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	long n;

	if (fd < 0)
		return;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			/* struct linux_dirent64: ino, off, reclen, type, name */
			unsigned short reclen;
			const char *name = buf + off + 19;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (!(name[0] == '.' &&
			      (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))))
				unlinkat(fd, name, 0);
			off += reclen;
		}
	}
	close(fd);
	rmdir(dir);
}

/*
 * Unlink every registered temporary file of this process, then empty and
 * remove its registered staging folders.  Only system calls: callable from
 * a signal handler.
 */
void outfile_cleanup_signal_safe(void)
{
	pid_t me = getpid();

	for (int i = 0; i < OUTFILE_SLOTS; i++) {
		if (slot_pid[i] != me)
			continue;
		unlink(slot_path[i]);
		slot_pid[i] = 0;
	}
	for (int i = 0; i < STAGE_SLOTS; i++) {
		if (stage_pid[i] != me)
			continue;
		empty_stage_signal_safe(stage_path[i]);
		stage_pid[i] = 0;
	}
}

int outfile_rename(const char *from, const char *to)
{
	if (testhook_fail("rename"))
		return -1;
	return rename(from, to);
}

void outfile_abort_all(void)
{
	int saved = errno;

	outfile_cleanup_signal_safe();
	errno = saved;
}

static void cleanup_handler(int sig)
{
	struct sigaction dfl;
	sigset_t set;

	outfile_cleanup_signal_safe();

	/* Die of the same signal, so the parent (cron, a shell) sees why. */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void register_atexit(void)
{
	if (atexit_done)
		return;
	if (atexit(outfile_abort_all) == 0)
		atexit_done = true;
}

void outfile_install_cleanup(void)
{
	register_atexit();
	for (size_t i = 0; i < sizeof(cleanup_signals) / sizeof(cleanup_signals[0]); i++) {
		int sig = cleanup_signals[i];
		struct sigaction old, sa;

		/*
		 * Only where nobody chose otherwise: an ignored SIGHUP (nohup)
		 * stays ignored, and a handler of the caller's (set a flag, then
		 * exit()) stays; exit() reaches outfile_abort_all via atexit.
		 */
		if (sigaction(sig, NULL, &old) != 0)
			continue;
		if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL)
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = cleanup_handler;
		sigemptyset(&sa.sa_mask);
		for (size_t j = 0; j < sizeof(cleanup_signals) / sizeof(cleanup_signals[0]); j++)
			sigaddset(&sa.sa_mask, cleanup_signals[j]);
		sigaction(sig, &sa, NULL);
	}
}

/*
 * The temporary-name template for path: same folder, the final name cut to
 * TMP_NAME_KEEP bytes on a UTF-8 character boundary.
 */
static char *tmp_template(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	size_t keep = strlen(base);

	if (keep > TMP_NAME_KEEP) {
		keep = TMP_NAME_KEEP;
		while (keep > 0 && ((unsigned char)base[keep] & 0xc0) == 0x80)
			keep--;
	}
	return xasprintf("%.*s" TMP_PREFIX "%.*s-XXXXXX", dirlen, path, (int)keep, base);
}

/* The folder of path, for fsync after the rename. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static void release(struct outfile *out)
{
	free(out->path);
	free(out->tmp_path);
	out->path = NULL;
	out->tmp_path = NULL;
	out->fp = NULL;
}

/* Create and register the temporary file; returns its open fd, or -1. */
static int begin_fd(struct outfile *out, const char *path, mode_t mode)
{
	sigset_t old;
	int fd, err;

	out->path = NULL;
	out->tmp_path = NULL;
	out->fp = NULL;
	out->mode = mode;
	if (path[0] == '\0' || path[strlen(path) - 1] == '/') {
		errno = path[0] ? EISDIR : ENOENT;
		return -1;
	}
	register_atexit();
	out->tmp_path = tmp_template(path);

	outfile_block_signals(&old);
	/* mkostemp creates it 0600: nobody reads a half-written report. */
	fd = mkostemp(out->tmp_path, O_CLOEXEC);
	if (fd >= 0 && slot_register(out->tmp_path) != 0) {
		err = errno;
		close(fd);
		unlink(out->tmp_path);
		fd = -1;
		errno = err;
	}
	outfile_restore_signals(&old);

	if (fd < 0) {
		err = errno;
		release(out);
		errno = err;
		return -1;
	}
	out->path = xstrdup(path);
	return fd;
}

int outfile_begin(struct outfile *out, const char *path, mode_t mode)
{
	int fd = begin_fd(out, path, mode);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int outfile_open_stream(struct outfile *out, const char *path, mode_t mode)
{
	int fd = begin_fd(out, path, mode);
	int err;

	if (fd < 0)
		return -1;
	out->fp = fdopen(fd, "w");
	if (out->fp == NULL) {
		err = errno;
		close(fd);
		outfile_abort(out);
		errno = err;
		return -1;
	}
	return 0;
}

/*
 * Flush, fsync and close the stream.  entry_errno is errno when commit was
 * called: if an earlier fwrite failed (the stream's error flag), that is the
 * best record of why (ENOSPC, EDQUOT, EFBIG).  Returns 0 or an errno value.
 */
static int finish_stream(struct outfile *out, int entry_errno)
{
	int fd = fileno(out->fp);
	int err = 0;

	if (fflush(out->fp) != 0)
		err = errno;
	else if (ferror(out->fp))
		err = entry_errno ? entry_errno : EIO;
	if (err == 0 && fsync(fd) != 0)
		err = errno;
	if (err == 0 && fchmod(fd, out->mode) != 0)
		err = errno;
	/* close(2) reports deferred write errors on some file systems (NFS). */
	if (fclose(out->fp) != 0 && err == 0)
		err = errno;
	out->fp = NULL;
	return err;
}

/* The file was written by name (cairo, libxlsxwriter): fsync it by name. */
static int finish_named(struct outfile *out)
{
	int fd = open(out->tmp_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int err = 0;

	if (fd < 0)
		return errno;
	if (fsync(fd) != 0)
		err = errno;
	if (err == 0 && fchmod(fd, out->mode) != 0)
		err = errno;
	close(fd);
	return err;
}

/* fsync the folder so the rename is on disk, not just in the page cache. */
static int sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err = 0;

	free(dir);
	if (fd < 0)
		return errno;
	/* Some file systems cannot fsync a folder (EINVAL): nothing to do. */
	if (fsync(fd) != 0 && errno != EINVAL)
		err = errno;
	close(fd);
	return err;
}

int outfile_commit(struct outfile *out)
{
	int entry_errno = errno;
	int err;

	if (out->tmp_path == NULL) {
		errno = EINVAL;
		return -1;
	}
	err = out->fp ? finish_stream(out, entry_errno) : finish_named(out);
	if (err == 0 && outfile_rename(out->tmp_path, out->path) != 0)
		err = errno;
	if (err != 0) {
		unlink(out->tmp_path);
		slot_unregister(out->tmp_path);
		release(out);
		errno = err;
		return -1;
	}
	slot_unregister(out->tmp_path);
	err = sync_dir(out->path);
	release(out);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

int outfile_commit_all(struct outfile *const *outs, size_t n)
{
	int entry_errno = errno, err = 0;
	size_t i;

	/* 1: every file complete and on disk, or none is renamed */
	for (i = 0; i < n && err == 0; i++) {
		struct outfile *out = outs[i];

		if (out->tmp_path == NULL)
			err = EINVAL;
		else
			err = out->fp ? finish_stream(out, entry_errno) : finish_named(out);
	}
	if (err != 0) {
		for (i = 0; i < n; i++)
			outfile_abort(outs[i]);
		errno = err;
		return -1;
	}
	/* 2: renames only: they need no space, so a full disk cannot split the set */
	for (i = 0; i < n; i++) {
		if (outfile_rename(outs[i]->tmp_path, outs[i]->path) != 0) {
			err = errno;
			break;
		}
		slot_unregister(outs[i]->tmp_path);
	}
	/* a failed rename leaves its own and the later temporary files: remove them */
	for (size_t k = i; k < n; k++) {
		unlink(outs[k]->tmp_path);
		slot_unregister(outs[k]->tmp_path);
	}
	if (err == 0 && n > 0)
		err = sync_dir(outs[0]->path);
	for (size_t k = 0; k < n; k++)
		release(outs[k]);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

void outfile_abort(struct outfile *out)
{
	int saved = errno;

	if (out->fp != NULL)
		fclose(out->fp);
	out->fp = NULL;
	if (out->tmp_path != NULL) {
		unlink(out->tmp_path);
		slot_unregister(out->tmp_path);
	}
	release(out);
	errno = saved;
}

int outfile_remove_stale(const char *dir)
{
	size_t plen = strlen(TMP_PREFIX);
	struct dirent *de;
	int count = 0;
	DIR *d;

	d = opendir(dir);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (strncmp(de->d_name, TMP_PREFIX, plen) != 0)
			continue;
		/* Ours, still being written: not stale. */
		if (slot_owns_name(de->d_name))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			count++;
	}
	closedir(d);
	return count;
}
