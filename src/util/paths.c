/*
 * paths.c - finding civreport's data files; see paths.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "xalloc.h"

#ifndef CIVREPORT_DATADIR
#define CIVREPORT_DATADIR "/usr/local/share/civreport"
#endif

static char *existing(char *path)
{
	if (access(path, R_OK) == 0)
		return path;
	free(path);
	return NULL;
}

char *data_path(const char *name)
{
	const char *env = getenv("CIVREPORT_DATADIR");
	char exe[PATH_MAX], *p;
	ssize_t n;

	if (env != NULL && env[0] != '\0' && (p = existing(xasprintf("%s/%s", env, name))))
		return p;
	if ((p = existing(xasprintf("templates/%s", name))))
		return p;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			*slash = '\0';
			if ((p = existing(xasprintf("%s/../share/civreport/%s", exe, name))))
				return p;
			/* build/civreport inside a checkout */
			if ((p = existing(xasprintf("%s/../templates/%s", exe, name))))
				return p;
		}
	}
	return existing(xasprintf("%s/%s", CIVREPORT_DATADIR, name));
}

int make_dirs(const char *dir)
{
	char *copy = xstrdup(dir);

	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0750) != 0 && errno != EEXIST) {
			free(copy);
			return -1;
		}
		*p = '/';
	}
	if (mkdir(copy, 0750) != 0 && errno != EEXIST) {
		free(copy);
		return -1;
	}
	free(copy);
	return 0;
}
