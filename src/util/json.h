/*
 * json.h - metrics.json: every figure a run computed, in registration order
 * (the template's order), with its expression, raw value (fen for money),
 * the value formatted for readers, and series as arrays of {key, value}.
 */
#ifndef CIVREPORT_JSON_H
#define CIVREPORT_JSON_H

#include <stdio.h>

#include "engine/agg.h"

/* Write a JSON string literal (UTF-8 kept, control characters escaped). */
void json_string(FILE *fp, const char *s);

/*
 * Write the figures ids[0..n) of agg (all of them when ids is NULL) as a
 * JSON document {"year": ..., "figures": [...]}.
 */
void metrics_write_json(FILE *fp, const struct agg *agg, const size_t *ids, size_t n,
			const int *year);

#endif
