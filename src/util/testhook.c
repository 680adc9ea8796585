/*
 * testhook.c - test-only pause points; see testhook.h.
 *
 * Nothing here may change what a run does when CIVREPORT_TEST_PAUSE is not
 * set, and nothing here may sleep: a paused run waits for an event (the
 * test closing the FIFO), never for time to pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testhook.h"

static atomic_flag reached = ATOMIC_FLAG_INIT;
/* calls of the operation CIVREPORT_TEST_FAIL names, so far */
static atomic_long fail_calls;
static char fail_seen[64]; /* the CIVREPORT_TEST_FAIL those calls are of */

/* Write "name pid\n" into the FIFO, then wait until no reader is left. */
static void pause_on(const char *fifo, const char *name)
{
	char line[128];
	int n = snprintf(line, sizeof(line), "%s %ld\n", name, (long)getpid());
	struct pollfd p = {.events = 0};
	int fd;

	while ((fd = open(fifo, O_WRONLY | O_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (fd < 0 || n <= 0 || (size_t)n >= sizeof(line) || write(fd, line, (size_t)n) != n) {
		fprintf(stderr, "civreport: test hook: %s: %s\n", fifo, strerror(errno));
		abort();
	}
	/* A FIFO's writer sees POLLERR once every reader has closed it. */
	p.fd = fd;
	while (!(p.revents & (POLLERR | POLLHUP | POLLNVAL)))
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
	close(fd);
}

void testhook_point(const char *name)
{
	const char *want = getenv("CIVREPORT_TEST_PAUSE");
	const char *fifo;

	if (want == NULL || strcmp(want, name) != 0 || atomic_flag_test_and_set(&reached))
		return;
	fprintf(stderr, "civreport: test hook: %s (PID %ld)\n", name, (long)getpid());
	fflush(stderr);
	fifo = getenv("CIVREPORT_TEST_FIFO");
	if (fifo != NULL && fifo[0] != '\0')
		pause_on(fifo, name);
}

bool testhook_fail(const char *op)
{
	const char *want = getenv("CIVREPORT_TEST_FAIL");
	size_t n = strlen(op);
	char *end;
	long k, call;

	if (want == NULL || strncmp(want, op, n) != 0 || want[n] != ':')
		return false;
	k = strtol(want + n + 1, &end, 10);
	if (*end != '\0' || k <= 0)
		return false;
	/* a new request (a unit test sets several in turn) counts from 1 */
	if (strncmp(fail_seen, want, sizeof(fail_seen)) != 0) {
		snprintf(fail_seen, sizeof(fail_seen), "%s", want);
		atomic_store(&fail_calls, 0);
	}
	call = atomic_fetch_add(&fail_calls, 1) + 1;
	if (call != k)
		return false;
	fprintf(stderr, "civreport: test hook: fail %s #%ld (PID %ld)\n", op, k, (long)getpid());
	fflush(stderr);
	errno = EIO;
	return true;
}
