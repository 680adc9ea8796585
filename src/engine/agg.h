/*
 * agg.h - the aggregate stage: every figure of a run computed in one pass.
 *
 * The caller registers every expression the run needs (agg_add), then hands
 * agg_row to ingest as its sink: each row is offered once to every figure of
 * its dataset.  Sums are exact integers (fen for money); distinct counts are
 * exact, as bitmaps over dense indexes (persons by ingest's dictionary, other
 * columns by dictionaries here), so memory grows with distinct values and
 * groups, never with rows.
 *
 * After agg_finish the values are read-only; the format and render stages
 * read them through agg_value.
 */
#ifndef CIVREPORT_AGG_H
#define CIVREPORT_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"
#include "query.h"

struct agg;

struct agg_group {
	char *key; /* 区县 name, "2021-03", or "广安区/城市低保" */
	int64_t value;
};

struct agg_value {
	bool present; /* false when no data (e.g. @prev with no rows of that year) */
	enum unit unit;
	int64_t value;            /* a single figure; for a series, the total over groups for
				     sums and rows (distinct counts: over all rows) */
	struct agg_group *groups; /* a series: enum values in schema order, months
				     in order (all 12), text keys sorted */
	size_t ngroups;
};

struct agg *agg_new(const struct schema *schema, int year);
void agg_free(struct agg *agg);

/*
 * Register a parsed figure and return its handle for agg_value; the agg
 * takes over q's contents (q is left empty).  Every call adds a figure:
 * callers that may repeat an expression keep their own handles
 * (template_expr.c), so nothing is ever looked up by its text.
 */
size_t agg_add(struct agg *agg, struct query *q);

/* Whether any figure needs the previous year's rows (ingest's want_prev). */
bool agg_wants_prev(const struct agg *agg);

/* The ingest sink callback: ctx is the struct agg. */
void agg_row(void *ctx, const struct dataset *ds, const struct ingest_row *row);

/* Turn the running state into values; call once after ingest (scan_run does). */
void agg_finish(struct agg *agg);

/*
 * The expression of the first figure whose sum (of a group, or over the
 * groups) did not fit in int64, or NULL.  Such a figure is wrong and must
 * never be shown: scan_run fails the run with it.
 */
const char *agg_overflow(const struct agg *agg);

size_t agg_count(const struct agg *agg);
const struct query *agg_query(const struct agg *agg, size_t id);
const struct agg_value *agg_value(const struct agg *agg, size_t id);

#endif
