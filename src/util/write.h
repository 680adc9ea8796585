/*
 * write.h - writing whole buffers: a renderer's finished bytes into the
 * file the caller created, or any buffer to an open descriptor.
 */
#ifndef CIVREPORT_WRITE_H
#define CIVREPORT_WRITE_H

#include <stddef.h>

/*
 * Write len bytes of data to path (created or truncated, mode 0666 less the
 * umask), never through a symlink someone put at path (O_NOFOLLOW).  On a
 * failed write the file is left empty, or removed: never half a document.
 * 0, or -1 with errno; *opened says whether the file was opened at all
 * (for the message: "无法写入" or "写入…失败").
 */
/*
 * Write all len bytes of buf to fd, again after EINTR or a short write.
 * Returns 0, or -1 with errno set.
 */
int write_fd_all(int fd, const void *buf, size_t len);

int write_whole(const char *path, const void *data, size_t len, int *opened);

#endif
