/*
 * docx_err.c - the DOCX renderer's error: the first failure's message, in
 * the caller's buffer (every file of the renderer may fail; this one calls
 * nothing of theirs, so no two files call each other).
 */
#include <stdarg.h>
#include <stdio.h>

#include "docx_priv.h"
#include "util/text.h"

int docx_fail(struct docx *d, const char *fmt, ...)
{
	va_list ap;

	if (d->failed)
		return -1;
	d->failed = true;
	if (d->err == NULL || d->errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(d->err, d->errlen, fmt, ap);
	va_end(ap);
	utf8_trim_tail(d->err);
	return -1;
}
