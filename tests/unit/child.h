/*
 * child.h - waiting for a forked child in a unit test.
 *
 * The wait is an event, not a polling loop with naps: a pidfd becomes
 * readable when the child ends.  The bound only keeps a hung child from
 * hanging the suite; it is generous on purpose (a loaded machine is slow,
 * never wrong), so no test result depends on it.
 */
#ifndef CIVREPORT_TEST_CHILD_H
#define CIVREPORT_TEST_CHILD_H

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/pidfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILD_WAIT_MS 60000

/*
 * Wait for child pid to end, at most CHILD_WAIT_MS.  Returns its exit
 * status, 100 + the signal that killed it, or -1 when it was still running
 * (it is SIGKILLed and reaped then).
 */
static inline int child_wait(pid_t pid)
{
	int pfd = pidfd_open(pid, 0), status, r = 1;

	if (pfd >= 0) {
		struct pollfd p = {.fd = pfd, .events = POLLIN};

		while ((r = poll(&p, 1, CHILD_WAIT_MS)) < 0 && errno == EINTR)
			;
		close(pfd);
	}
	if (r == 0)
		kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid || r == 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

/* SIGTERM a helper process (a server), then reap it as child_wait does. */
static inline void child_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	(void)child_wait(pid);
}

#endif
