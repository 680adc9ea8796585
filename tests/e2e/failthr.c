/*
 * failthr.c - an LD_PRELOAD shim for t_threads.sh: pthread_create fails
 * with EAGAIN once CIVREPORT_TEST_THREADS threads were created, as on a
 * machine out of threads (ulimit -u, a cgroup's pids.max).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

static int made;

int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*f)(void *), void *arg)
{
	int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *) =
	    (int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))dlsym(RTLD_NEXT, "pthread_create");
	const char *limit = getenv("CIVREPORT_TEST_THREADS");

	if (limit != NULL && made >= atoi(limit))
		return EAGAIN;
	made++;
	return real(t, a, f, arg);
}
