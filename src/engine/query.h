/*
 * query.h - the metric language: one expression names one figure (or one
 * series) of the report.
 *
 *	relief.persons[救助类别=城市低保,农村低保]
 *	relief.amount[救助类别=城市低保,农村低保] by 区县
 *	relief.persons[纳入日期=$year; 纳入方式=回头看排查]
 *	elderly.sum(资金(元))[项目类型=养老服务综合体,养老驿站,家庭智能看护]
 *	relief.amount@prev
 *	relief.amount[发放年月=2021-07..2021-12]
 *	charity.rows[金额>=1000]
 *
 * Grammar (templates/README.md documents it for officers):
 *
 *	expr     = dataset "." measure [ "[" filter { ";" filter } "]" ]
 *	           [ "@prev" | "@last" ] [ "by" column [ "," column ] ]
 *	measure  = "persons" | "households" | "rows" | "amount"
 *	         | "sum" "(" column ")" | "distinct" "(" column ")"
 *	           (Chinese: 人数 户数 人次 金额 合计(列) 去重(列))
 *	filter   = column ( "=" | "!=" ) item { "," item }
 *	         | column ( ">=" | ">" | "<=" | "<" ) value
 *	item     = value [ ".." value ]   (a range, both ends included)
 *	value    = text | "$year" | "$prev" | "$period"
 *	         | a year, month or date for date columns | a number
 *
 * Ranges and comparisons work on month, date, money and integer columns.
 * @prev is the same months a year earlier (同比), @last the period of the
 * same length just before (环比), see util/period.h.  $period is the
 * figure's months (the report period's, or with @prev/@last the compared
 * period's), and $year the calendar year they end in, so that "new this
 * period" compares with "new in the period before": relief.persons[纳入日期
 * =$period]@prev counts those who joined in the same months a year earlier.
 *
 * Names are the schema's canonical Chinese column names or their ASCII keys,
 * matched after folding width and spaces.  Parsing resolves every name
 * against the schema, so an expression that parses can always be evaluated.
 */
#ifndef CIVREPORT_QUERY_H
#define CIVREPORT_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "ingest/schema.h"
#include "util/period.h"

enum measure {
	MEASURE_ROWS,       /* rows, i.e. 人次 */
	MEASURE_PERSONS,    /* distinct persons (the dataset's person column) */
	MEASURE_HOUSEHOLDS, /* distinct values of the household column */
	MEASURE_AMOUNT,     /* sum of the dataset's money column */
	MEASURE_SUM,        /* sum of an integer or money column */
	MEASURE_DISTINCT,   /* distinct values of any column */
};

enum query_compare {
	COMPARE_NONE, /* the report period */
	COMPARE_PREV, /* @prev: the same months a year earlier */
	COMPARE_LAST, /* @last: the period of the same length just before */
};

struct filter {
	int col;
	bool negate;        /* != */
	uint64_t enum_mask; /* enum columns: allowed value indexes */
	int64_t *lo, *hi;   /* other columns: inclusive ranges, one per value */
	char **texts;       /* text columns: the values */
	size_t nvalues;
	bool scope; /* added by query_restrict: the report's area, not the figure's own */
};

struct query {
	char *text; /* as written, trimmed */
	const struct dataset *ds;
	size_t ds_index; /* in the schema */
	enum measure measure;
	int col; /* the column measured, or -1 for rows */
	struct filter *filters;
	size_t nfilters;
	int by[2];
	size_t nby;
	enum query_compare compare; /* @prev, @last: the figure of a comparison period */
	enum unit unit;             /* UNIT_FEN for sums of money */
};

struct query_error {
	size_t offset;     /* byte offset in the expression */
	size_t column;     /* 1-based character column */
	char message[512]; /* Chinese, with a suggestion when there is one */
};

/*
 * Parse text against schema for the report period (for $period, $year).
 * Returns 0, or -1 with err filled.  Release with query_release().
 */
int query_parse(struct query *q, const struct schema *schema, const char *text,
		const struct period *period, struct query_error *err);

/*
 * Add one more filter, "区县=岳池县" (the filter grammar above), to a parsed
 * q: how --where and --each restrict every figure of a report.  Returns
 * 0, or -1 with err filled (also when q's dataset has no such column: the
 * message names the dataset).  The expression's text is unchanged.
 */
int query_restrict(struct query *q, const struct schema *schema, const char *filter,
		   const struct period *period, struct query_error *err);

/* The months a figure counts: the report period, or the one it compares with. */
struct period query_window(const struct query *q, const struct period *period);
void query_release(struct query *q);

/* Whether the figure is a series (has "by"). */
static inline bool query_grouped(const struct query *q)
{
	return q->nby > 0;
}

#endif
