/*
 * xalloc.h - allocation that never returns NULL.
 *
 * One memory policy for the whole program (as mandoc_aux.h): running out of
 * memory is not a condition civreport can recover from, so these wrappers
 * print a message and exit with EXIT_IO.  Business logic therefore carries
 * no NULL checks after allocation.
 */
#ifndef CIVREPORT_XALLOC_H
#define CIVREPORT_XALLOC_H

#include <stddef.h>

/* Say "out of memory" (size bytes asked for) and exit with EXIT_IO. */
_Noreturn void xalloc_failed(size_t size);

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grow *ptr so it holds at least need elements of size; *cap is updated. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a freshly allocated string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
