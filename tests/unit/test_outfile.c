/*
 * test_outfile.c - atomic outputs: commit replaces, abort and every kind of
 * failure or death leave the old file whole, temporary files are removed by
 * the signal handler, by exit, or by outfile_remove_stale after a SIGKILL.
 *
 * Each test gets a fresh mkdtemp folder under /tmp.  Runs that must die or
 * change their limits, uid or signal handlers are forked children that
 * report through their exit status and leave with _exit; child.h waits for
 * them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "deliver/outfile.h"
#include "util/xalloc.h"

#define OLD_TEXT "old report, complete\n"
#define NOBODY   65534

static char tmpdir[64];
static char *target; /* tmpdir/报告.pdf */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void write_plain(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static int setup(void **state)
{
	(void)state;
	umask(022);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/civreport-outfile-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	target = xasprintf("%s/报告.pdf", tmpdir);
	write_plain(target, OLD_TEXT);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(target);
	chmod(tmpdir, 0700);
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The file's contents, or NULL when it cannot be read. */
static char *slurp(const char *path)
{
	char *buf = xcalloc(1, 1 << 20);
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL) {
		free(buf);
		return NULL;
	}
	n = fread(buf, 1, (1 << 20) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static int has_content(const char *path, const char *text)
{
	char *s = slurp(path);
	int ok = s != NULL && strcmp(s, text) == 0;

	free(s);
	return ok;
}

static int count_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, ".civreport-tmp-", 15) == 0)
			n++;
	closedir(d);
	return n;
}

/* unit n times, then suffix, in a new string. */
static char *repeat(const char *unit, int n, const char *suffix)
{
	size_t ul = strlen(unit), sl = strlen(suffix);
	char *s = xmalloc(ul * (size_t)n + sl + 1), *p = s;

	for (int i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, suffix, sl + 1);
	return s;
}

static void test_commit_replaces_atomically(void **state)
{
	struct outfile out;
	struct stat before, after;
	char *prefix;

	(void)state;
	assert_int_equal(stat(target, &before), 0);
	assert_int_equal(outfile_open_stream(&out, target, 0640), 0);
	assert_non_null(out.fp);
	prefix = xasprintf("%s/.civreport-tmp-报告.pdf-", tmpdir);
	assert_memory_equal(out.tmp_path, prefix, strlen(prefix));
	assert_int_equal(strlen(out.tmp_path), strlen(prefix) + 6);
	free(prefix);

	fputs("new report, ", out.fp);
	fflush(out.fp);
	/* Half written: readers still see the old file, whole. */
	assert_true(has_content(target, OLD_TEXT));
	assert_int_equal(count_tmp(tmpdir), 1);
	fputs("complete\n", out.fp);

	assert_int_equal(outfile_commit(&out), 0);
	assert_true(has_content(target, "new report, complete\n"));
	assert_int_equal(count_tmp(tmpdir), 0);
	assert_int_equal(stat(target, &after), 0);
	assert_true(before.st_ino != after.st_ino); /* renamed, not rewritten */
	assert_null(out.path);
	assert_null(out.tmp_path);
	assert_null(out.fp);
}

/* Renderers that write by name (cairo, libxlsxwriter) use tmp_path. */
static void test_begin_then_write_by_name(void **state)
{
	struct outfile out;
	struct stat st;
	FILE *fp;

	(void)state;
	assert_int_equal(outfile_begin(&out, target, 0644), 0);
	assert_null(out.fp);
	assert_int_equal(stat(out.tmp_path, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(st.st_mode & 07777, 0600); /* private until committed */
	fp = fopen(out.tmp_path, "wb");
	assert_non_null(fp);
	fputs("by name\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(outfile_commit(&out), 0);
	assert_true(has_content(target, "by name\n"));
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(count_tmp(tmpdir), 0);
}

static void test_abort_keeps_old_file(void **state)
{
	struct outfile out;

	(void)state;
	assert_int_equal(outfile_open_stream(&out, target, 0640), 0);
	fputs("never to be seen", out.fp);
	outfile_abort(&out);
	assert_true(has_content(target, OLD_TEXT));
	assert_int_equal(count_tmp(tmpdir), 0);
	assert_null(out.tmp_path);
	outfile_abort(&out); /* twice: harmless */
}

static void test_mode_applied(void **state)
{
	struct outfile out;
	struct stat st;
	mode_t old = umask(077);

	(void)state;
	assert_int_equal(outfile_open_stream(&out, target, 0640), 0);
	fputs("x", out.fp);
	assert_int_equal(outfile_commit(&out), 0);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);

	assert_int_equal(outfile_open_stream(&out, target, 0600), 0);
	assert_int_equal(outfile_commit(&out), 0);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	umask(old);
}

static void test_remove_stale(void **state)
{
	const char *names[] = {".civreport-tmp-报告.pdf-a1B2c3", ".civreport-tmp-x.xlsx-Zz9Yy8",
			       "keep.txt", ".civreport.lock"};
	struct outfile live;
	char *p;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		p = xasprintf("%s/%s", tmpdir, names[i]);
		write_plain(p, "left by a killed run");
		free(p);
	}
	p = xasprintf("%s/.civreport-tmp-folder", tmpdir);
	assert_int_equal(mkdir(p, 0755), 0);

	/* An outfile of this process in the same folder is not stale. */
	assert_int_equal(outfile_open_stream(&live, target, 0640), 0);
	fputs("live", live.fp);
	assert_int_equal(outfile_remove_stale(tmpdir), 2);
	assert_int_equal(outfile_commit(&live), 0);
	assert_true(has_content(target, "live"));

	assert_int_equal(count_tmp(tmpdir), 1); /* the folder is not ours to remove */
	rmdir(p);
	free(p);
	p = xasprintf("%s/keep.txt", tmpdir);
	assert_true(has_content(p, "left by a killed run"));
	free(p);
	p = xasprintf("%s/.civreport.lock", tmpdir);
	assert_true(has_content(p, "left by a killed run"));
	free(p);
	assert_int_equal(outfile_remove_stale(tmpdir), 0);

	p = xasprintf("%s/missing", tmpdir);
	errno = 0;
	assert_int_equal(outfile_remove_stale(p), -1);
	assert_int_equal(errno, ENOENT);
	free(p);
}

/*
 * Child body: commit into a folder made read-only after begin.  Runs as an
 * unprivileged user, since root writes into read-only folders.
 */
static int readonly_child(const char *dir)
{
	char *path = xasprintf("%s/报告.pdf", dir);
	struct outfile out;
	int rc, err;

	write_plain(path, OLD_TEXT);
	if (outfile_open_stream(&out, path, 0640) != 0)
		return 10;
	fputs("new", out.fp);
	if (chmod(dir, 0555) != 0)
		return 11;
	errno = 0;
	rc = outfile_commit(&out);
	err = errno;
	chmod(dir, 0755);
	if (rc != -1)
		return 12;
	if (err != EACCES)
		return 13;
	if (!has_content(path, OLD_TEXT))
		return 14;
	if (out.tmp_path != NULL || out.fp != NULL)
		return 15;
	/* Its temporary file could not be unlinked there: the next run can. */
	if (count_tmp(dir) != 1 || outfile_remove_stale(dir) != 1 || count_tmp(dir) != 0)
		return 16;
	free(path);
	return 0;
}

static void test_commit_into_readonly_folder_fails(void **state)
{
	char *dir = xasprintf("%s/ro", tmpdir);
	pid_t pid;
	int rc;

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	if (geteuid() != 0) {
		assert_int_equal(readonly_child(dir), 0);
		free(dir);
		return;
	}
	assert_int_equal(chmod(tmpdir, 0755), 0);
	assert_int_equal(chown(dir, NOBODY, NOBODY), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(NOBODY) != 0 || setuid(NOBODY) != 0)
			_exit(77);
		_exit(readonly_child(dir));
	}
	rc = child_wait(pid);
	free(dir);
	if (rc == 77)
		skip();
	assert_int_equal(rc, 0);
}

/* A write error (here EFBIG, as ENOSPC would be) fails the commit cleanly. */
static void test_write_error_keeps_old_file(void **state)
{
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = {.rlim_cur = 4096, .rlim_max = RLIM_INFINITY};
		struct outfile out;
		char block[1024];
		int rc, err;

		signal(SIGXFSZ, SIG_IGN);
		if (outfile_open_stream(&out, target, 0640) != 0)
			_exit(10);
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(11);
		memset(block, 'x', sizeof(block));
		for (int i = 0; i < 64; i++)
			fwrite(block, 1, sizeof(block),
			       out.fp); /* errors ignored, as by a careless renderer */
		rc = outfile_commit(&out);
		err = errno;
		if (rc != -1)
			_exit(12);
		if (err != EFBIG)
			_exit(13);
		if (!has_content(target, OLD_TEXT))
			_exit(14);
		if (count_tmp(tmpdir) != 0)
			_exit(15);
		_exit(0);
	}
	assert_int_equal(child_wait(pid), 0);
	assert_true(has_content(target, OLD_TEXT));
}

/*
 * Child: reset the termination signals (a test runner may have ignored
 * SIGINT), optionally install the cleanup, start writing, tell the parent,
 * wait to be killed.
 */
static void writer_child(int notify_fd, int install)
{
	struct outfile out;
	char block[4096];

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (install)
		outfile_install_cleanup();
	if (outfile_open_stream(&out, target, 0640) != 0)
		_exit(10);
	memset(block, 'n', sizeof(block));
	for (int i = 0; i < 64; i++)
		fwrite(block, 1, sizeof(block), out.fp);
	fflush(out.fp);
	(void)!write(notify_fd, "x", 1);
	for (;;)
		pause();
}

static pid_t start_writer(int install)
{
	int fds[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		writer_child(fds[1], install);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	return pid;
}

static void test_sigkill_mid_write_then_remove_stale(void **state)
{
	pid_t pid;

	(void)state;
	pid = start_writer(1);
	assert_int_equal(count_tmp(tmpdir), 1);
	kill(pid, SIGKILL);
	assert_int_equal(child_wait(pid), 100 + SIGKILL);
	/* Nothing can catch SIGKILL: the old file is whole, the temp stays... */
	assert_true(has_content(target, OLD_TEXT));
	assert_int_equal(count_tmp(tmpdir), 1);
	/* ...until the next run clears it. */
	assert_int_equal(outfile_remove_stale(tmpdir), 1);
	assert_int_equal(count_tmp(tmpdir), 0);
}

static void test_signal_handler_removes_temp(void **state)
{
	const int sigs[] = {SIGTERM, SIGINT, SIGHUP};

	(void)state;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid_t pid = start_writer(1);

		assert_int_equal(count_tmp(tmpdir), 1);
		kill(pid, sigs[i]);
		/* Died of that very signal (re-raised), after unlinking. */
		assert_int_equal(child_wait(pid), 100 + sigs[i]);
		assert_int_equal(count_tmp(tmpdir), 0);
		assert_true(has_content(target, OLD_TEXT));
	}
}

/* Without the handler SIGTERM leaves the temp: the handler is what helps. */
static void test_sigterm_without_handler_leaves_temp(void **state)
{
	pid_t pid;

	(void)state;
	pid = start_writer(0);
	kill(pid, SIGTERM);
	assert_int_equal(child_wait(pid), 100 + SIGTERM);
	assert_int_equal(count_tmp(tmpdir), 1);
	assert_int_equal(outfile_remove_stale(tmpdir), 1);
}

/* Reachable at exit, so LeakSanitizer in the child has nothing to say. */
static struct outfile exit_out;

static void test_exit_removes_temp(void **state)
{
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		outfile_install_cleanup();
		if (outfile_begin(&exit_out, target, 0640) != 0)
			_exit(10);
		if (count_tmp(tmpdir) != 1)
			_exit(11);
		exit(0); /* the lead's path: signal flag, then exit() */
	}
	assert_int_equal(child_wait(pid), 0);
	assert_int_equal(count_tmp(tmpdir), 0);
	assert_true(has_content(target, OLD_TEXT));
}

/* A forked child that exits must not remove its parent's temporary files. */
static void test_child_exit_spares_parent_temp(void **state)
{
	struct outfile out;
	pid_t pid;

	(void)state;
	outfile_install_cleanup();
	assert_int_equal(outfile_open_stream(&out, target, 0640), 0);
	fputs("parent's", out.fp);
	fflush(out.fp);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		outfile_abort_all();
		exit(0);
	}
	assert_int_equal(child_wait(pid), 0);
	assert_int_equal(count_tmp(tmpdir), 1);
	assert_int_equal(outfile_commit(&out), 0);
	assert_true(has_content(target, "parent's"));
}

static void test_abort_all(void **state)
{
	struct outfile a, b;
	char *other = xasprintf("%s/other.xlsx", tmpdir);

	(void)state;
	assert_int_equal(outfile_open_stream(&a, target, 0640), 0);
	assert_int_equal(outfile_begin(&b, other, 0640), 0);
	assert_int_equal(count_tmp(tmpdir), 2);
	outfile_abort_all();
	assert_int_equal(count_tmp(tmpdir), 0);
	/* The structs are still the caller's: commit fails, abort is harmless. */
	errno = 0;
	assert_int_equal(outfile_commit(&a), -1);
	assert_int_equal(errno, ENOENT);
	outfile_abort(&b);
	assert_true(has_content(target, OLD_TEXT));
	assert_int_equal(access(other, F_OK), -1);
	free(other);
}

static void test_begin_errors(void **state)
{
	struct outfile out;
	char *p;

	(void)state;
	p = xasprintf("%s/no-such-folder/x.pdf", tmpdir);
	errno = 0;
	assert_int_equal(outfile_open_stream(&out, p, 0640), -1);
	assert_int_equal(errno, ENOENT);
	assert_null(out.tmp_path);
	assert_null(out.fp);
	free(p);

	p = xasprintf("%s/", tmpdir);
	errno = 0;
	assert_int_equal(outfile_begin(&out, p, 0640), -1);
	assert_int_equal(errno, EISDIR);
	free(p);

	errno = 0;
	assert_int_equal(outfile_begin(&out, "", 0640), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(count_tmp(tmpdir), 0);
}

/* A long Chinese name: the temporary name is cut between characters. */
static void test_long_utf8_name(void **state)
{
	char *name = repeat("民", 70, ".pdf"); /* 214 bytes */
	struct outfile out;
	const char *base, *kept;
	size_t klen;
	char *path;

	(void)state;
	path = xasprintf("%s/%s", tmpdir, name);
	assert_int_equal(outfile_open_stream(&out, path, 0640), 0);
	base = strrchr(out.tmp_path, '/') + 1;
	kept = base + strlen(".civreport-tmp-");
	klen = strlen(kept) - strlen("-XXXXXX");
	assert_true(klen <= 120);
	assert_int_equal(klen % 3, 0); /* whole three-byte characters */
	assert_memory_equal(kept, name, klen);
	fputs("long", out.fp);
	assert_int_equal(outfile_commit(&out), 0);
	assert_true(has_content(path, "long"));
	free(path);
	free(name);
}

/* A bare file name is relative to the current folder. */
static void test_relative_path(void **state)
{
	int cwd = open(".", O_RDONLY | O_DIRECTORY);
	struct outfile out;

	(void)state;
	assert_true(cwd >= 0);
	assert_int_equal(chdir(tmpdir), 0);
	assert_int_equal(outfile_open_stream(&out, "rel.txt", 0640), 0);
	assert_memory_equal(out.tmp_path, ".civreport-tmp-rel.txt-", 23);
	fputs("relative", out.fp);
	assert_int_equal(outfile_commit(&out), 0);
	assert_true(has_content("rel.txt", "relative"));
	assert_int_equal(fchdir(cwd), 0);
	close(cwd);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_commit_replaces_atomically),
	    T(test_begin_then_write_by_name),
	    T(test_abort_keeps_old_file),
	    T(test_mode_applied),
	    T(test_remove_stale),
	    T(test_commit_into_readonly_folder_fails),
	    T(test_write_error_keeps_old_file),
	    T(test_sigkill_mid_write_then_remove_stale),
	    T(test_signal_handler_removes_temp),
	    T(test_sigterm_without_handler_leaves_temp),
	    T(test_exit_removes_temp),
	    T(test_child_exit_spares_parent_temp),
	    T(test_abort_all),
	    T(test_begin_errors),
	    T(test_long_utf8_name),
	    T(test_relative_path),
	};

	return cmocka_run_group_tests_name("outfile", tests, NULL, NULL);
}
