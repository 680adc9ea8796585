/*
 * json.h - writing JSON: the one place that escapes a string for a JSON
 * file (metrics.json, manifest.json, query --format json).
 */
#ifndef CIVREPORT_JSON_H
#define CIVREPORT_JSON_H

#include <stdio.h>

/* Write a JSON string literal (UTF-8 kept, control characters escaped). */
void json_string(FILE *fp, const char *s);

#endif
