/*
 * runlock.h - one run at a time per output folder.
 *
 * An advisory flock(2) on "<dir>/.civreport.lock" (or a name of the caller's), which records the
 * holder's PID.  The kernel drops the lock when the process dies, even by SIGKILL, so a stale lock
 * file never blocks the next night's run.
 */
#ifndef CIVREPORT_RUNLOCK_H
#define CIVREPORT_RUNLOCK_H

#include <sys/types.h>

struct runlock {
	int fd;
	char *path;
};

/*
 * Take the lock on dir, waiting up to wait_seconds (0: don't wait).
 * Returns 0 when held; 1 when another run holds it (*holder set to its PID,
 * or 0 if unknown); -1 on error with errno.
 */
int runlock_acquire(struct runlock *lock, const char *dir, int wait_seconds, pid_t *holder);

/* Like runlock_acquire, on the lock file dir/name (an output set's lock
 * beside the period folder it guards: outset.h). */
int runlock_acquire_named(struct runlock *lock, const char *dir, const char *name, int wait_seconds,
			  pid_t *holder);

/* Release the lock and free its contents. */
void runlock_release(struct runlock *lock);

#endif
