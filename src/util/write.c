/*
 * write.c - see write.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "write.h"

int write_whole(const char *path, const void *data, size_t len, int *opened)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
	FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
	bool ok;

	*opened = fp != NULL;
	if (fp == NULL) {
		int saved = errno;

		if (fd >= 0)
			close(fd);
		errno = saved;
		return -1;
	}
	ok = len == 0 || fwrite(data, 1, len, fp) == len;
	ok = fflush(fp) == 0 && ok;
	if (fclose(fp) != 0)
		ok = false;
	if (!ok) {
		int saved = errno;

		/* no half a document: leave the file empty, as the caller created it */
		if (truncate(path, 0) != 0)
			remove(path);
		errno = saved;
		return -1;
	}
	return 0;
}

int write_fd_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
