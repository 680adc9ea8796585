/*
 * json.h - writing JSON: the one place that escapes a string for a JSON
 * file (metrics.json, manifest.json, query --format json).
 */
#ifndef CIVREPORT_JSON_H
#define CIVREPORT_JSON_H

#include <stdio.h>

/*
 * Write a JSON string literal.  UTF-8 is kept; control characters, C1 and
 * bidi controls (escape.h) are written as \uXXXX, so that the file is safe
 * to cat on a terminal; a byte that is not UTF-8 becomes \ufffd, so that the
 * result is valid JSON whatever bytes s holds.
 */
void json_string(FILE *fp, const char *s);

#endif
