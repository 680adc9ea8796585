/*
 * strbuf.h - a growable string buffer (after git's strbuf.h).
 *
 * Invariants: len bytes of buf are in use and buf[len] is always '\0' once
 * anything was added, so buf can be passed where a C string is expected;
 * binary data (a PDF being written) may hold NULs of its own.  An empty
 * strbuf is all zeros (STRBUF_INIT or = {0}) and owns no memory.
 *
 * Allocation follows xalloc.h: running out of memory exits, so the add
 * functions cannot fail.
 *
 *	struct strbuf sb = STRBUF_INIT;
 *
 *	strbuf_addstr(&sb, "读取 ");
 *	strbuf_addf(&sb, "%zu 行", n);
 *	puts(sb.buf);
 *	strbuf_release(&sb);
 */
#ifndef CIVREPORT_STRBUF_H
#define CIVREPORT_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf; /* NULL until the first add */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* Make room for extra more bytes, so that many small adds allocate once. */
void strbuf_grow(struct strbuf *sb, size_t extra);

/* Append len bytes of data. */
void strbuf_add(struct strbuf *sb, const void *data, size_t len);

/* Append a NUL-terminated string, one byte, or printf output. */
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The contents as a string the caller now owns (free(3) it), never NULL:
 * an empty buffer gives "".  The length goes to *len when len is not NULL.
 * The strbuf is empty again afterwards.
 */
char *strbuf_detach(struct strbuf *sb, size_t *len);

/* Empty the contents, keeping the memory for the next adds. */
void strbuf_reset(struct strbuf *sb);

/* Free the contents; the strbuf is empty again and may be reused. */
void strbuf_release(struct strbuf *sb);

#endif
