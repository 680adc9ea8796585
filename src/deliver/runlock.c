/*
 * runlock.c - one run at a time per output folder; see runlock.h.
 *
 * flock(2), not a PID file checked with kill(0): the kernel releases the
 * lock when the holder dies however it dies, so there is never a stale lock
 * to break by hand.  The PID written into the file is only information for
 * the message "another run (PID n) holds the folder".
 *
 * This file must never delete the lock file (a run that unlinks it while
 * another waits on the old inode lets two runs in), and never block without
 * a bound: --wait is counted on CLOCK_MONOTONIC, immune to clock changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "runlock.h"
#include "util/testhook.h"
#include "util/xalloc.h"

#define RUNLOCK_NAME    ".civreport.lock"
#define RUNLOCK_POLL_MS 100

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	testhook_point("lock-wait"); /* only the --wait loop naps */
	/* A signal cuts the nap short; the caller's loop checks the clock. */
	nanosleep(&ts, NULL);
}

/* Record our PID for whoever finds the folder busy.  Best effort. */
static void write_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(fd, 0) == 0 && n > 0)
		(void)!pwrite(fd, buf, (size_t)n, 0);
}

/* The holder's PID from the lock file, or 0 when it has not written it yet. */
static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	char *end;
	long pid;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || (*end != '\n' && *end != '\0') || pid <= 0)
		return 0;
	return (pid_t)pid;
}

static int try_lock(int fd)
{
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno == EWOULDBLOCK)
			return 1;
		if (errno != EINTR)
			return -1;
	}
}

int runlock_acquire(struct runlock *lock, const char *dir, int wait_seconds, pid_t *holder)
{
	return runlock_acquire_named(lock, dir, RUNLOCK_NAME, wait_seconds, holder);
}

int runlock_acquire_named(struct runlock *lock, const char *dir, const char *name, int wait_seconds,
			  pid_t *holder)
{
	int64_t deadline = now_ms() + (wait_seconds > 0 ? (int64_t)wait_seconds * 1000 : 0);
	char *path = xasprintf("%s/%s", dir, name);
	int fd, r, err;

	lock->fd = -1;
	lock->path = NULL;
	if (holder != NULL)
		*holder = 0;

	/* O_NOFOLLOW: a symlink planted in a shared folder must not redirect us. */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0) {
		err = errno;
		free(path);
		errno = err;
		return -1;
	}
	while ((r = try_lock(fd)) == 1 && now_ms() < deadline)
		sleep_ms(RUNLOCK_POLL_MS);
	if (r != 0) {
		err = errno;
		if (r == 1 && holder != NULL)
			*holder = read_pid(fd);
		close(fd);
		free(path);
		errno = err;
		return r;
	}
	write_pid(fd);
	lock->fd = fd;
	lock->path = path;
	return 0;
}

void runlock_release(struct runlock *lock)
{
	if (lock->fd >= 0) {
		/* Empty it while still holding it: a stale PID would mislead. */
		(void)!ftruncate(lock->fd, 0);
		close(lock->fd);
	}
	lock->fd = -1;
	free(lock->path);
	lock->path = NULL;
}
