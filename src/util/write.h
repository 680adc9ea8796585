/*
 * write.h - a renderer's finished bytes into the file the caller created.
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
int write_whole(const char *path, const void *data, size_t len, int *opened);

#endif
