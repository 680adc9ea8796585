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
struct strbuf;
struct strdict;

/*
 * One part of a group key: a row's value of one by-column.  Keys are kept
 * and compared part by part, never joined into one text, so a value may
 * hold any character ("助学/甲", a tab, "|") and still be its own group.
 */
enum agg_key_kind {
	AGG_KEY_TEXT,      /* a text or enum value, exactly as read */
	AGG_KEY_MONTH,     /* a month of the period column (text "2021-03"); equal to
			      the month at the same place of a compared period (a
			      series against @prev or @last) */
	AGG_KEY_YEARMONTH, /* the year-month of another date column, "2019-03": equal
			      only to the same year and month */
	AGG_KEY_UNFILLED,  /* the row has no value there: text "未填写" */
};

struct agg_key {
	enum agg_key_kind kind;
	char *text; /* what a reader sees; NUL-terminated, len bytes */
	size_t len;
	/* AGG_KEY_MONTH: */
	int pos;          /* place in the period, 1..months: what keys compare */
	int year, month;  /* the calendar month, 1..12 */
	bool whole_years; /* the period crosses a year end: name the year too */
};

struct agg_group {
	struct agg_key part[2]; /* one per by-column: nparts of them */
	size_t nparts;
	int64_t value;
	bool empty; /* rows came, none holding the measured column: no figure, not 0 */
};

struct agg_value {
	bool present; /* false when no data (@prev or @last with no rows in that period) */
	enum unit unit;
	bool empty;               /* as agg_group.empty, for the single figure (a series:
				     over all its groups) */
	int64_t value;            /* a single figure; for a series, the total over groups for
				     sums and rows (distinct counts: over all rows) */
	struct agg_group *groups; /* a series: enum values in schema order, months
				     in order (all of the period's), text keys sorted */
	size_t ngroups;
	struct strdict *index; /* the groups' keys (agg_key_encode), for agg_group_find */
};

struct agg *agg_new(const struct schema *schema, const struct period *period);
void agg_free(struct agg *agg);

/*
 * Before any agg_add: figures restricted to one value of column (an enum
 * column such as 区县; --each) are offered only the rows of that value.
 * The values are the same; reports by area get cheap.
 */
void agg_partition(struct agg *agg, const char *column);

/*
 * Register a parsed figure and return its handle for agg_value; the agg
 * takes over q's contents (q is left empty).  Every call adds a figure:
 * callers that may repeat an expression keep their own handles
 * (template_expr.c), so nothing is ever looked up by its text.
 */
size_t agg_add(struct agg *agg, struct query *q);

/* The columns of dataset ds_index the figures read, bit c for column c (ingest_options.columns). */
uint64_t agg_columns(const struct agg *agg, size_t ds_index);

/* The comparison windows the figures need (ingest_options.want). */
unsigned agg_wants(const struct agg *agg);

/*
 * Rows of dataset ds_index the scan offered in the report period
 * (COMPARE_NONE) or a comparison period: 0 means a figure of it shows
 * nothing true, which the caller says (no silent zeros).
 */
uint64_t agg_rows(const struct agg *agg, size_t ds_index, enum query_compare compare);

/* The ingest sink callback: ctx is the struct agg (its first shard). */
void agg_row(void *ctx, const struct dataset *ds, const struct ingest_row *row);

/*
 * Rows counted in parallel: after every agg_add, agg_shards makes n
 * independent running states, and agg_shard_row counts a row into one of
 * them (ctx = agg_shard(agg, k)).  Shards may run on different threads at
 * once, one thread per shard.  Every row of one person must go to the same
 * shard, whose person indexes are its own (ingest_run does both); any
 * other split of rows is free.  agg_finish merges the shards, so the values
 * never depend on the split: sums are exact (128 bits until then), persons
 * are counted per shard and added, other distinct values merged by value.
 */
struct agg_shard;

void agg_shards(struct agg *agg, unsigned n);
struct agg_shard *agg_shard(struct agg *agg, unsigned k);
void agg_shard_row(void *ctx, const struct dataset *ds, const struct ingest_row *row);

/* Turn the running state into values; call once after ingest (scan_run does). */
void agg_finish(struct agg *agg);

/*
 * The expression of the first figure whose sum (of a group, or over the
 * groups) did not fit in int64, or NULL.  Such a figure is wrong and must
 * never be shown: scan_run fails the run with it.
 */
const char *agg_overflow(const struct agg *agg);

size_t agg_count(const struct agg *agg);

/*
 * Append the identity of a key of n parts to sb: each part's kind, then its
 * month, or its length and bytes.  Two keys are equal exactly when their
 * encodings are (months of the period compared without their year); the
 * encoding has no separator a value could imitate, so it may be hashed
 * (util/dict.h) to find a key among many in constant time.
 */
void agg_key_encode(struct strbuf *sb, const struct agg_key *parts, size_t n);

/* The index in v->groups of the group with key parts (n of them), or -1. */
long agg_group_find(const struct agg_value *v, const struct agg_key *parts, size_t n);
const struct query *agg_query(const struct agg *agg, size_t id);
const struct agg_value *agg_value(const struct agg *agg, size_t id);

#endif
