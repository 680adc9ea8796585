/*
 * test_runlock.c - the per-folder run lock: busy with the holder's PID,
 * --wait timing out and succeeding, release, and a SIGKILLed holder.
 *
 * Other runs are forked children (a flock is per open file, so a child's own
 * open conflicts with the parent's).  Children report through their exit
 * status and leave with _exit, never through cmocka.  Every wait is bounded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "deliver/runlock.h"
#include "util/xalloc.h"

static char tmpdir[64];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	umask(022);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/civreport-runlock-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static char *read_lockfile(void)
{
	char *path = xasprintf("%s/.civreport.lock", tmpdir);
	char *buf = xcalloc(1, 64);
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_true(read(fd, buf, 63) >= 0);
	close(fd);
	free(path);
	return buf;
}

/* Wait for a child, at most 10 s; returns its exit status (or 100+signal). */
static int wait_child(pid_t pid)
{
	struct timespec t0;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (elapsed_ms(&t0) > 10000) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(10000);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 100 + WTERMSIG(status);
}

static void test_acquire_writes_pid(void **state)
{
	struct runlock lock;
	pid_t holder = -1;
	struct stat st;
	char *path, *content, *want;

	(void)state;
	assert_int_equal(runlock_acquire(&lock, tmpdir, 0, &holder), 0);
	assert_true(lock.fd >= 0);
	path = xasprintf("%s/.civreport.lock", tmpdir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	content = read_lockfile();
	want = xasprintf("%ld\n", (long)getpid());
	assert_string_equal(content, want);
	free(content);
	free(want);

	runlock_release(&lock);
	assert_int_equal(lock.fd, -1);
	assert_null(lock.path);
	/* The file stays (deleting it would race a waiter), emptied. */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	free(path);
	/* A second release is harmless. */
	runlock_release(&lock);
}

/* Child: expect busy, with the parent as holder, within wait_seconds. */
static void child_expect_busy(int wait_seconds, long min_ms, long max_ms)
{
	struct runlock lock;
	struct timespec t0;
	pid_t holder = -1;
	long ms;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = runlock_acquire(&lock, tmpdir, wait_seconds, &holder);
	ms = elapsed_ms(&t0);
	if (r != 1)
		_exit(1);
	if (holder != getppid())
		_exit(2);
	if (ms < min_ms || ms > max_ms)
		_exit(3);
	_exit(0);
}

static void test_busy_reports_holder(void **state)
{
	struct runlock lock;
	pid_t pid;

	(void)state;
	assert_int_equal(runlock_acquire(&lock, tmpdir, 0, NULL), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child_expect_busy(0, 0, 500);
	assert_int_equal(wait_child(pid), 0);
	runlock_release(&lock);
}

static void test_wait_times_out(void **state)
{
	struct runlock lock;
	pid_t pid;

	(void)state;
	assert_int_equal(runlock_acquire(&lock, tmpdir, 0, NULL), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child_expect_busy(1, 950, 1800);
	assert_int_equal(wait_child(pid), 0);
	runlock_release(&lock);
}

static void test_released_lock_can_be_taken(void **state)
{
	struct runlock lock;
	pid_t pid;

	(void)state;
	assert_int_equal(runlock_acquire(&lock, tmpdir, 0, NULL), 0);
	runlock_release(&lock);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct runlock l2;

		if (runlock_acquire(&l2, tmpdir, 0, NULL) != 0)
			_exit(1);
		runlock_release(&l2);
		_exit(0);
	}
	assert_int_equal(wait_child(pid), 0);
	assert_int_equal(runlock_acquire(&lock, tmpdir, 0, NULL), 0);
	runlock_release(&lock);
}

/* The holder finishes while we wait: we get the lock well before the bound. */
static void test_wait_succeeds_when_holder_exits(void **state)
{
	struct runlock lock;
	struct timespec t0;
	int fds[2];
	char c;
	pid_t pid;
	long ms;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct runlock l2;

		close(fds[0]);
		if (runlock_acquire(&l2, tmpdir, 0, NULL) != 0)
			_exit(1);
		(void)!write(fds[1], "x", 1);
		usleep(300000);
		_exit(0); /* no release: the kernel drops the lock */
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(runlock_acquire(&lock, tmpdir, 5, NULL), 0);
	ms = elapsed_ms(&t0);
	assert_true(ms >= 150);
	assert_true(ms < 2000);
	assert_int_equal(wait_child(pid), 0);
	runlock_release(&lock);
}

static void test_killed_holder_leaves_no_lock(void **state)
{
	struct runlock lock;
	pid_t holder = -1;
	int fds[2];
	char c;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct runlock l2;

		close(fds[0]);
		if (runlock_acquire(&l2, tmpdir, 0, NULL) != 0)
			_exit(1);
		(void)!write(fds[1], "x", 1);
		for (;;)
			pause();
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);

	assert_int_equal(runlock_acquire(&lock, tmpdir, 0, &holder), 1);
	assert_int_equal(holder, pid);

	kill(pid, SIGKILL);
	assert_int_equal(wait_child(pid), 100 + SIGKILL);
	assert_int_equal(runlock_acquire(&lock, tmpdir, 0, &holder), 0);
	runlock_release(&lock);
}

static void test_missing_folder(void **state)
{
	struct runlock lock;
	char *dir;

	(void)state;
	dir = xasprintf("%s/no-such-folder", tmpdir);
	errno = 0;
	assert_int_equal(runlock_acquire(&lock, dir, 0, NULL), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(lock.fd, -1);
	runlock_release(&lock);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_acquire_writes_pid),
	    cmocka_unit_test(test_busy_reports_holder),
	    cmocka_unit_test(test_wait_times_out),
	    cmocka_unit_test(test_released_lock_can_be_taken),
	    cmocka_unit_test(test_wait_succeeds_when_holder_exits),
	    cmocka_unit_test(test_killed_holder_leaves_no_lock),
	    cmocka_unit_test(test_missing_folder),
	};

	return cmocka_run_group_tests_name("runlock", tests, setup, teardown);
}
