/*
 * test_runlock.c - the per-folder run lock: busy with the holder's PID,
 * --wait timing out and succeeding, release, and a SIGKILLed holder.
 *
 * Other runs are forked children (a flock is per open file, so a child's own
 * open conflicts with the parent's).  Children report through their exit
 * status and leave with _exit, never through cmocka; child.h waits for them.
 * Whether a run waited for the lock is seen through the "lock-wait" test
 * hook (util/testhook.h), not through how long it took.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
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

/* The file the children's stderr goes to: where the test hook marks points. */
static char *hook_log(void)
{
	return xasprintf("%s/hook.log", tmpdir);
}

/* Does the children's stderr show that a run reached the lock-wait point? */
static bool waited(void)
{
	char *path = hook_log(), buf[512] = "";
	FILE *fp = fopen(path, "r");
	size_t n = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;

	if (fp)
		fclose(fp);
	buf[n] = '\0';
	free(path);
	return strstr(buf, "test hook: lock-wait") != NULL;
}

/*
 * Child: expect busy, with the parent as holder, after at least min_ms; its
 * stderr, where the hook marks "lock-wait" if it waits, goes to hook_log().
 */
static void child_expect_busy(int wait_seconds, long min_ms)
{
	struct runlock lock;
	struct timespec t0;
	pid_t holder = -1;
	char *log = hook_log();
	int r;

	if (setenv("CIVREPORT_TEST_PAUSE", "lock-wait", 1) != 0 || !freopen(log, "w", stderr))
		_exit(4);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = runlock_acquire(&lock, tmpdir, wait_seconds, &holder);
	if (r != 1)
		_exit(1);
	if (holder != getppid())
		_exit(2);
	if (elapsed_ms(&t0) < min_ms)
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
		child_expect_busy(0, 0);
	assert_int_equal(child_wait(pid), 0);
	assert_false(waited()); /* --wait 0: at once, never waiting */
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
		child_expect_busy(1, 950);
	assert_int_equal(child_wait(pid), 0);
	assert_true(waited());
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
	assert_int_equal(child_wait(pid), 0);
	assert_int_equal(runlock_acquire(&lock, tmpdir, 0, NULL), 0);
	runlock_release(&lock);
}

/*
 * A run waiting for the lock gets it once the holder is gone.  The order is
 * made by events, not by timing: the holder keeps the lock until the parent
 * closes a pipe; the waiter (--wait 600) stops at the lock-wait hook, which
 * it reaches only after finding the folder locked, and goes on when the
 * parent closes the hook's FIFO, after the holder has ended.
 */
static void test_wait_succeeds_when_holder_exits(void **state)
{
	char *fifo = xasprintf("%s/hook.fifo", tmpdir), line[64] = "", *want;
	int ready[2], hold[2], rfd, pfd;
	pid_t holder, waiter;
	struct pollfd p[2];
	char c;
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(hold), 0);
	holder = fork();
	assert_true(holder >= 0);
	if (holder == 0) {
		struct runlock l2;

		close(ready[0]);
		close(hold[1]);
		if (runlock_acquire(&l2, tmpdir, 0, NULL) != 0)
			_exit(1);
		(void)!write(ready[1], "x", 1);
		(void)!read(hold[0], &c, 1); /* until the parent closes hold[1] */
		_exit(0);                    /* no release: the kernel drops the lock */
	}
	close(ready[1]);
	close(hold[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);

	/* Open for reading first, so the waiter's hook does not block in open. */
	assert_int_equal(mkfifo(fifo, 0600), 0);
	rfd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	assert_true(rfd >= 0);
	waiter = fork();
	assert_true(waiter >= 0);
	if (waiter == 0) {
		struct runlock l3;

		close(rfd);     /* else it would be a reader of its own FIFO */
		close(hold[1]); /* else the holder would never see EOF */
		if (setenv("CIVREPORT_TEST_PAUSE", "lock-wait", 1) != 0 ||
		    setenv("CIVREPORT_TEST_FIFO", fifo, 1) != 0)
			_exit(4);
		_exit(runlock_acquire(&l3, tmpdir, 600, NULL) == 0 ? 0 : 1);
	}
	/* The waiter reaches lock-wait (or ends first: a failure either way). */
	pfd = pidfd_open(waiter, 0);
	assert_true(pfd >= 0);
	p[0] = (struct pollfd){.fd = rfd, .events = POLLIN};
	p[1] = (struct pollfd){.fd = pfd, .events = POLLIN};
	assert_int_equal(poll(p, 2, CHILD_WAIT_MS), 1);
	assert_true(p[0].revents & POLLIN);
	n = read(rfd, line, sizeof(line) - 1);
	assert_true(n > 0);
	line[n] = '\0';
	want = xasprintf("lock-wait %ld\n", (long)waiter);
	assert_string_equal(line, want);
	close(pfd);

	close(hold[1]); /* the holder ends, and with it its lock */
	assert_int_equal(child_wait(holder), 0);
	close(rfd); /* the waiter goes on, and gets the lock */
	assert_int_equal(child_wait(waiter), 0);
	free(want);
	free(fifo);
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
	assert_int_equal(child_wait(pid), 100 + SIGKILL);
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
