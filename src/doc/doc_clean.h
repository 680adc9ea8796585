/*
 * doc_clean.h - data text made fit for a document: the one place where a
 * value read from the input (a group key, a file name) becomes doc text.
 *
 * The renderers draw what the doc holds and create no content, so what
 * they cannot draw must never reach them: a control character (U+0001, a
 * tab) is invalid in the workbook's XML and has no glyph in a PDF; a file
 * name's bytes need not be UTF-8; a character no installed font has would
 * fail the PDF.  Template text is checked at load instead (lint), with its
 * line and column.
 */
#ifndef CIVREPORT_DOC_CLEAN_H
#define CIVREPORT_DOC_CLEAN_H

#include <stddef.h>

/* What doc_clean_text() changed. */
struct doc_clean_stats {
	size_t controls;        /* tab, CR, LF to a space; other controls and bidi overrides
				   escaped as util/escape.h writes them (\x01, \u202e) */
	size_t bytes;           /* bytes that are not UTF-8, shown as \xhh */
	size_t unknown;         /* characters no installed font has, to U+FFFD */
	unsigned first_unknown; /* the first of those, for the warning */
};

/*
 * s[0..len) as doc text (the caller frees it); stats may be NULL.  A
 * character some installed font has is kept: the PDF's font fallback
 * draws what the report's font lacks (an emoji, Uyghur script).
 */
char *doc_clean_text(const char *s, size_t len, struct doc_clean_stats *stats);

/*
 * The same, and a warning on the log naming what (e.g. "图1 的分类") and
 * the value when anything but a byte escape was replaced.
 */
char *doc_clean_value(const char *s, size_t len, const char *what);

#endif
