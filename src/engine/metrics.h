/*
 * metrics.h - metrics.json: every figure a run computed, in registration
 * order (the template's order), with its expression, raw value (fen for
 * money), its text and series as arrays of {key, value}.  The text is the
 * one the report shows for that expression, else the expression's value in
 * the default format of text (format_default_name): never a third spelling.
 * A figure or group whose rows hold none of the column measured (agg's
 * empty) has "empty": true, its value 0 and, unless shown, the text "—".
 */
#ifndef CIVREPORT_METRICS_H
#define CIVREPORT_METRICS_H

#include <stdio.h>

#include "agg.h"

/*
 * Write the figures ids[0..n) of agg (all of them when ids is NULL) as a
 * JSON document {"year": ..., "figures": [...]} (no "year" when year is
 * NULL).  texts: NULL, or by agg handle the text the report shows for a
 * figure (NULL entries: not shown), as template_build fills it.
 */
void metrics_write_json(FILE *fp, const struct agg *agg, const size_t *ids, size_t n,
			const int *year, char *const *texts);

#endif
