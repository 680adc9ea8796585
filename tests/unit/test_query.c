/*
 * test_query.c - query_parse (query_parse.c) against templates/schema.ini:
 * the expression forms of query.h, Chinese and ASCII names, full-width
 * punctuation, $year/$prev and year/month/date values as ranges, @prev,
 * "by" one and two columns; and the refusals, each with the exact 1-based
 * character column of the error and the suggestion its message must carry.
 *
 * Columns were counted by hand, one per character (a CJK character is one
 * column, not three bytes).  Run from the repository root.  Tests marked "Regression" guard defects
 * found (and fixed) in src/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/query.h"
#include "ingest/schema.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define YEAR          2021

static struct schema schema;

static int setup(void **state)
{
	char err[512];

	(void)state;
	if (schema_load(&schema, "templates/schema.ini", err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	schema_release(&schema);
	return 0;
}

/* The query being checked; released by cleanup() even when a test fails. */
static struct query Q;

static int cleanup(void **state)
{
	(void)state;
	query_release(&Q);
	return 0;
}

static void parse_ok(const char *text)
{
	struct query_error err;

	query_release(&Q);
	if (query_parse(&Q, &schema, text, &(struct period){(YEAR)*12, (YEAR)*12 + 11}, &err) != 0)
		fail_msg("query_parse(\"%s\") failed at column %zu: %s", text, err.column,
			 err.message);
}

static int col(const char *set, const char *name)
{
	const struct dataset *ds = schema_find(&schema, set);
	int c;

	assert_non_null(ds);
	c = dataset_column(ds, name);
	assert_true(c >= 0);
	return c;
}

/* -------------------------------------------------------------- valid */

struct ok_case {
	const char *text;
	const char *set;
	enum measure measure;
	const char *column; /* the measured column, NULL for -1 */
	size_t nfilters;
	size_t nby;
	bool prev;
	enum unit unit;
};

static const struct ok_case ok_cases[] = {
    /* the examples of query.h */
    {"relief.persons[救助类别=城市低保,农村低保]", "relief", MEASURE_PERSONS, "身份证号", 1, 0,
     false, UNIT_COUNT},
    {"relief.amount[救助类别=城市低保,农村低保] by 区县", "relief", MEASURE_AMOUNT, "发放金额", 1,
     1, false, UNIT_FEN},
    {"relief.persons[纳入日期=$year; 纳入方式=回头看排查]", "relief", MEASURE_PERSONS, "身份证号",
     2, 0, false, UNIT_COUNT},
    {"elderly.sum(资金(元))[项目类型=养老服务综合体,养老驿站,家庭智能看护]", "elderly", MEASURE_SUM,
     "资金(元)", 1, 0, false, UNIT_FEN},
    {"relief.amount@prev", "relief", MEASURE_AMOUNT, "发放金额", 0, 0, true, UNIT_FEN},
    /* every measure, English and Chinese */
    {"relief.rows", "relief", MEASURE_ROWS, NULL, 0, 0, false, UNIT_COUNT},
    {"relief.人次", "relief", MEASURE_ROWS, NULL, 0, 0, false, UNIT_COUNT},
    {"relief.人数", "relief", MEASURE_PERSONS, "身份证号", 0, 0, false, UNIT_COUNT},
    {"relief.金额", "relief", MEASURE_AMOUNT, "发放金额", 0, 0, false, UNIT_FEN},
    {"relief.households", "relief", MEASURE_HOUSEHOLDS, "户号", 0, 0, false, UNIT_COUNT},
    {"relief.户数", "relief", MEASURE_HOUSEHOLDS, "户号", 0, 0, false, UNIT_COUNT},
    {"elderly.sum(数量)", "elderly", MEASURE_SUM, "数量", 0, 0, false, UNIT_COUNT},
    {"elderly.合计(受益人数)", "elderly", MEASURE_SUM, "受益人数", 0, 0, false, UNIT_COUNT},
    {"relief.sum(发放金额)", "relief", MEASURE_SUM, "发放金额", 0, 0, false, UNIT_FEN},
    {"relief.distinct(区县)", "relief", MEASURE_DISTINCT, "区县", 0, 0, false, UNIT_COUNT},
    {"relief.去重(身份证号)", "relief", MEASURE_DISTINCT, "身份证号", 0, 0, false, UNIT_COUNT},
    {"children.persons[项目=助学金] by 区县", "children", MEASURE_PERSONS, "身份证号", 1, 1, false,
     UNIT_COUNT},
    {"charity.amount[收支类型=慰问金(品)]", "charity", MEASURE_AMOUNT, "金额", 1, 0, false,
     UNIT_FEN},
    /* ASCII keys for columns */
    {"relief.persons[category=城市低保]", "relief", MEASURE_PERSONS, "身份证号", 1, 0, false,
     UNIT_COUNT},
    {"relief.rows by district", "relief", MEASURE_ROWS, NULL, 0, 1, false, UNIT_COUNT},
    {"elderly.sum(funds)", "elderly", MEASURE_SUM, "资金(元)", 0, 0, false, UNIT_FEN},
    /* a column name with brackets and slashes inside sum() */
    {"elderly.sum(数量(套/张/个/户))", "elderly", MEASURE_SUM, "数量", 0, 0, false, UNIT_COUNT},
    /* full-width brackets, equals, commas and semicolons */
    {"relief.persons［救助类别＝城市低保，农村低保；区县＝广安区］", "relief", MEASURE_PERSONS,
     "身份证号", 2, 0, false, UNIT_COUNT},
    {"elderly.sum（资金（元））", "elderly", MEASURE_SUM, "资金(元)", 0, 0, false, UNIT_FEN},
    {"relief.persons by 区县，救助类别", "relief", MEASURE_PERSONS, "身份证号", 0, 2, false,
     UNIT_COUNT},
    /* @prev with filters and by */
    {"relief.persons[救助类别=城市低保]@prev by 区县, 救助类别", "relief", MEASURE_PERSONS,
     "身份证号", 1, 2, true, UNIT_COUNT},
    {"relief.amount@prev by 区县", "relief", MEASURE_AMOUNT, "发放金额", 0, 1, true, UNIT_FEN},
    /* by a month, a date, a plain text column */
    {"relief.amount by 发放年月", "relief", MEASURE_AMOUNT, "发放金额", 0, 1, false, UNIT_FEN},
    {"relief.rows by 纳入日期", "relief", MEASURE_ROWS, NULL, 0, 1, false, UNIT_COUNT},
    {"relief.persons by 乡镇(街道)", "relief", MEASURE_PERSONS, "身份证号", 0, 1, false,
     UNIT_COUNT},
    /* spaces around everything */
    {"  relief . persons [ 救助类别 = 城市低保 ] ", "relief", MEASURE_PERSONS, "身份证号", 1, 0,
     false, UNIT_COUNT},
};

static void test_parse_ok_table(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ok_cases); i++) {
		const struct ok_case *c = &ok_cases[i];
		struct query q;
		struct query_error err;
		int want_col = c->column ? col(c->set, c->column) : -1;

		if (query_parse(&q, &schema, c->text, &(struct period){(YEAR)*12, (YEAR)*12 + 11},
				&err) != 0) {
			print_message("\"%s\": refused at column %zu: %s\n", c->text, err.column,
				      err.message);
			bad++;
			continue;
		}
		if (strcmp(q.ds->name, c->set) != 0 || q.ds != schema_find(&schema, c->set) ||
		    q.ds_index != (size_t)(q.ds - schema.sets) || q.measure != c->measure ||
		    q.col != want_col || q.nfilters != c->nfilters || q.nby != c->nby ||
		    (q.compare == COMPARE_PREV) != c->prev || q.unit != c->unit) {
			print_message("\"%s\": set %s measure %d col %d filters %zu by %zu prev %d "
				      "unit %d; want %s %d %d %zu %zu %d %d\n",
				      c->text, q.ds->name, q.measure, q.col, q.nfilters, q.nby,
				      q.compare == COMPARE_PREV, q.unit, c->set, c->measure,
				      want_col, c->nfilters, c->nby, c->prev, c->unit);
			bad++;
		}
		query_release(&q);
	}
	assert_int_equal(bad, 0);
}

static void test_filters_enum(void **state)
{
	(void)state;
	parse_ok("relief.persons[救助类别=城市低保,农村低保]");
	assert_int_equal(Q.filters[0].col, col("relief", "救助类别"));
	assert_false(Q.filters[0].negate);
	assert_true(Q.filters[0].enum_mask == 0x3); /* values 0 and 1 */
	assert_int_equal(Q.filters[0].nvalues, 2);

	parse_ok("relief.persons［救助类别＝特困供养，临时救助；区县＝邻水县］");
	assert_true(Q.filters[0].enum_mask == 0xc); /* 2 and 3 */
	assert_int_equal(Q.filters[1].col, col("relief", "区县"));
	assert_true(Q.filters[1].enum_mask == 1u << 5); /* 邻水县 is the sixth */

	parse_ok("relief.rows[区县!=广安区]");
	assert_true(Q.filters[0].negate);
	assert_true(Q.filters[0].enum_mask == 0x1);

	parse_ok("relief.persons[纳入方式=回头看排查]");
	assert_true(Q.filters[0].enum_mask == 0x2);

	/* a value matches after width folding too */
	parse_ok("charity.amount[收支类型=慰问金（品）]");
	assert_true(Q.filters[0].enum_mask == 0x4);
}

static void test_filters_period(void **state)
{
	static const struct {
		const char *text;
		int64_t lo, hi;
	} cases[] = {
	    {"relief.rows[发放年月=$year]", 202101, 202112},
	    {"relief.rows[发放年月=$prev]", 202001, 202012},
	    {"relief.rows[发放年月=2020]", 202001, 202012},
	    {"relief.rows[发放年月=2021-03]", 202103, 202103},
	    {"relief.rows[发放年月=2021年3月]", 202103, 202103},
	    {"relief.rows[纳入日期=$year]", 20210101, 20211231},
	    {"relief.rows[纳入日期=$prev]", 20200101, 20201231},
	    {"relief.rows[纳入日期=2020]", 20200101, 20201231},
	    {"relief.rows[纳入日期=2021年]", 20210101, 20211231},
	    {"relief.rows[纳入日期=2020-03]", 20200301, 20200331},
	    {"relief.rows[纳入日期=2021-03-15]", 20210315, 20210315},
	    {"elderly.rows[日期=2021/9/1]", 20210901, 20210901},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		parse_ok(cases[i].text);
		assert_int_equal(Q.nfilters, 1);
		assert_int_equal(Q.filters[0].nvalues, 1);
		if (Q.filters[0].lo[0] != cases[i].lo || Q.filters[0].hi[0] != cases[i].hi)
			fail_msg("\"%s\": range %lld..%lld, want %lld..%lld", cases[i].text,
				 (long long)Q.filters[0].lo[0], (long long)Q.filters[0].hi[0],
				 (long long)cases[i].lo, (long long)cases[i].hi);
	}
	/* two values, two ranges */
	parse_ok("relief.rows[纳入日期=2019,$year]");
	assert_int_equal(Q.filters[0].nvalues, 2);
	assert_int_equal(Q.filters[0].lo[0], 20190101);
	assert_int_equal(Q.filters[0].hi[0], 20191231);
	assert_int_equal(Q.filters[0].lo[1], 20210101);
	assert_int_equal(Q.filters[0].hi[1], 20211231);
	/* $year follows the year given to query_parse */
	{
		struct query q;
		struct query_error err;

		assert_int_equal(query_parse(&q, &schema, "relief.rows[发放年月=$year]",
					     &(struct period){(2024) * 12, (2024) * 12 + 11}, &err),
				 0);
		assert_int_equal(q.filters[0].lo[0], 202401);
		assert_int_equal(q.filters[0].hi[0], 202412);
		query_release(&q);
	}
}

static void test_filters_other_types(void **state)
{
	(void)state;
	parse_ok("relief.rows[户号=H001,H002]");
	assert_int_equal(Q.filters[0].col, col("relief", "户号"));
	assert_int_equal(Q.filters[0].nvalues, 2);
	assert_string_equal(Q.filters[0].texts[0], "H001");
	assert_string_equal(Q.filters[0].texts[1], "H002");

	parse_ok("relief.rows[乡镇(街道)=\"城北,街道\"]");
	assert_int_equal(Q.filters[0].nvalues, 1);
	assert_string_equal(Q.filters[0].texts[0], "城北,街道");

	parse_ok("relief.rows[发放金额=520.00]");
	assert_int_equal(Q.filters[0].lo[0], 52000);
	assert_int_equal(Q.filters[0].hi[0], 52000);

	parse_ok("elderly.rows[受益人数=120]");
	assert_int_equal(Q.filters[0].lo[0], 120);
	assert_int_equal(Q.filters[0].hi[0], 120);
}

/*
 * Regression (issue 10 item 16): a filter on 身份证号 was accepted, so the
 * full ID, written in the expression, reached metrics.json and the 指标
 * sheet.  Every personal-data column is refused in a filter, as 姓名 was,
 * with a message that says why; grouping by one was already refused.
 */
static void test_no_filter_on_personal_data(void **state)
{
	static const struct {
		const char *text;
		size_t column;
	} refused[] = {
	    {"relief.rows[身份证号=511602198001150012]", 13},
	    {"relief.rows[id=511602198001150012]", 13},
	    {"relief.persons[区县=广安区; 身份证号!=511602198001150012]", 24},
	    {"children.amount[证件号码=511602198001150012]", 17},
	    {"relief.rows[姓名=张三]", 13},
	    {"charity.amount[捐赠方=张三]", 16},
	    {"relief.persons by 身份证号", 19},
	    {"relief.persons by 姓名", 19},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		struct query q;
		struct query_error err;

		if (query_parse(&q, &schema, refused[i].text,
				&(struct period){(YEAR)*12, (YEAR)*12 + 11}, &err) == 0) {
			query_release(&q);
			fail_msg("\"%s\" accepted", refused[i].text);
		}
		assert_int_equal(err.column, refused[i].column);
		if (strstr(refused[i].text, " by ") == NULL) {
			assert_non_null(strstr(err.message, "个人信息"));
			assert_non_null(strstr(err.message, "metrics.json"));
		}
	}
	/* counting distinct IDs shows a count, never an ID: still allowed */
	parse_ok("relief.distinct(身份证号)");
	assert_int_equal(Q.unit, UNIT_COUNT);
}

static void test_by_columns(void **state)
{
	(void)state;
	parse_ok("relief.amount[救助类别=城市低保,农村低保] by 区县");
	assert_int_equal(Q.by[0], col("relief", "区县"));

	parse_ok("relief.persons by 区县,救助类别");
	assert_int_equal(Q.nby, 2);
	assert_int_equal(Q.by[0], col("relief", "区县"));
	assert_int_equal(Q.by[1], col("relief", "救助类别"));

	parse_ok("relief.persons by district, category");
	assert_int_equal(Q.by[0], col("relief", "区县"));
	assert_int_equal(Q.by[1], col("relief", "救助类别"));

	parse_ok("relief.amount by 发放年月");
	assert_int_equal(Q.by[0], col("relief", "发放年月"));
	assert_true(query_grouped(&Q));

	parse_ok("relief.amount");
	assert_false(query_grouped(&Q));
}

static void test_text_kept(void **state)
{
	(void)state;
	parse_ok("  relief.persons[救助类别=城市低保]  ");
	assert_string_equal(Q.text, "relief.persons[救助类别=城市低保]");
	assert_int_equal(Q.filters[0].col, col("relief", "救助类别"));
}

/* ------------------------------------------------------------ invalid */

struct bad_case {
	const char *text;
	size_t column;      /* 1-based, in characters */
	const char *needle; /* the message must contain it */
};

static const struct bad_case bad_cases[] = {
    /* unknown names, with the nearest valid one suggested */
    {"relif.persons", 1, "relief"},
    {"relief.persns", 8, "persons"},
    {"relief.persons[区县=广安]", 19, "广安区"},
    {"relief.persons［区县＝岳池］", 19, "岳池县"},
    {"relief.persons[救助类=城市低保]", 16, "救助类别"},
    {"relief.persons[救助类别=城市底保]", 21, "城市低保"},
    {"relief.persons by 区现", 19, "区县"},
    {"relief.sum(发放金e)", 12, "发放金额"},
    {"xyz.persons", 1, "relief"}, /* nothing close: the list of datasets */
    /* PII and type rules */
    {"relief.persons by 姓名", 19, "姓名"},
    {"relief.sum(姓名)", 12, "sum"},
    /* regression: names arrive masked, so their distinct count would count masks */
    {"charity.distinct(捐赠方)", 18, "个人信息"},
    {"relief.sum(区县)", 12, "区县"},
    {"relief.persons by 乡镇(街道),区县", 19, "乡镇(街道)"},
    {"elderly.persons", 9, "身份证号"},
    {"elderly.households", 9, "户号"},
    {"relief.persons by 区县,救助类别,发放年月", 27, "两列"},
    /* syntax */
    {"relief.persons xyz", 16, "xyz"},
    {"relief.persons]", 15, "]"},
    {"relief.persons[区县=广安区", 22, "]"},
    {"relief.persons[区县=广安区 by 区县", 19, "广安区 by 区县"},
    {"relief", 7, "."},
    {"", 1, "数据集"},
    {"relief.sum(发放金额", 16, ")"},
    {"relief.sum", 11, "("},
    {"relief.persons[救助类别]", 20, "="},
    {"relief.persons[救助类别=]", 21, "取值"},
    {"relief.persons[=城市低保]", 16, "列名"},
    {"relief.persons[发放年月=2021-13]", 21, "2021-13"},
    {"relief.persons[纳入日期=去年]", 21, "去年"},
    {"relief.rows[发放金额=很多]", 18, "很多"},
    {"relief.persons by", 18, "by"},
    {"relief.persons@prev@prev", 20, "@prev"},
};

static void test_parse_errors(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct query q;
		struct query_error err;

		memset(&q, 0x5a, sizeof(q));
		if (query_parse(&q, &schema, c->text, &(struct period){(YEAR)*12, (YEAR)*12 + 11},
				&err) == 0) {
			print_message("\"%s\": accepted, want an error at column %zu\n", c->text,
				      c->column);
			query_release(&q);
			bad++;
			continue;
		}
		if (err.column != c->column || strstr(err.message, c->needle) == NULL) {
			print_message(
			    "\"%s\": column %zu \"%s\"; want column %zu containing \"%s\"\n",
			    c->text, err.column, err.message, c->column, c->needle);
			bad++;
		}
		/* a failed parse leaves nothing to free */
		if (q.filters != NULL || q.text != NULL) {
			print_message("\"%s\": query not empty after failure\n", c->text);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* The byte offset and the character column agree on the same position. */
static void test_error_offset(void **state)
{
	struct query q;
	struct query_error err;
	const char *text = "relief.persons[区县=广安]";

	(void)state;
	assert_int_equal(
	    query_parse(&q, &schema, text, &(struct period){(YEAR)*12, (YEAR)*12 + 11}, &err), -1);
	assert_int_equal(err.offset, strlen("relief.persons[区县="));
	assert_int_equal(err.column, 19);
}

/*
 * Regression (was a bug, fixed): query_parse.c nearest(): the distance limit is computed from
 * utf8_display_width() (2 per CJK character) while utf8_distance() counts
 * characters, so for a Chinese name every other name of similar length is
 * "near": an unknown column 性别 (2 characters, width 4, limit 2) gets
 * "是不是“id”?" (distance 2, nothing in common), 婚姻状况 (limit 4) gets a
 * name sharing no character with it, instead of the list of columns.
 */
static void test_unrelated_name_no_suggestion(void **state)
{
	static const char *const texts[] = {
	    "relief.persons[性别=男]",
	    "relief.persons[婚姻状况=已婚]",
	    "relief.persons by 性别",
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		struct query q;
		struct query_error err;

		assert_int_equal(query_parse(&q, &schema, texts[i],
					     &(struct period){(YEAR)*12, (YEAR)*12 + 11}, &err),
				 -1);
		if (strstr(err.message, "是不是") != NULL ||
		    strstr(err.message, "可用的列") == NULL) {
			print_message("\"%s\": \"%s\"; want the list of columns, no suggestion\n",
				      texts[i], err.message);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/*
 * Regression (was a bug, fixed): query_parse.c word(): parse_measure() accepts the ideographic full
 * stop "。" after the dataset (eat(p, ".", "。")), but word() treats every
 * non-ASCII byte as part of a name and reads "relief。persons" as one
 * dataset name, so the expression is refused as an unknown dataset.
 */
/* Q with period p instead of the year */
static void parse_in(const char *text, struct period p)
{
	struct query_error err;

	query_release(&Q);
	if (query_parse(&Q, &schema, text, &p, &err) != 0)
		fail_msg("query_parse(\"%s\"): %s", text, err.message);
}

/*
 * Ranges and comparisons on months, dates and numbers; @last; $period and
 * $year meaning the compared period's months under @prev and @last.
 */
static void test_ranges_and_periods(void **state)
{
	const struct period q3 = {2021 * 12 + 6, 2021 * 12 + 8};
	static const char *const refused[] = {
	    "relief.rows[区县>=广安区]",              /* no order on an option */
	    "relief.rows[发放年月=2021-09..2021-01]", /* a range backwards */
	    "relief.rows[发放年月>=2021-07,2021-09]", /* one value after >= */
	    "relief.amount@next",
	    "charity.rows[金额>=abc]",
	};

	(void)state;
	parse_ok("relief.rows[发放年月=2021-07..2021-12]");
	assert_int_equal(Q.filters[0].lo[0], 202107);
	assert_int_equal(Q.filters[0].hi[0], 202112);
	parse_ok("relief.rows[发放年月>=2021-10]");
	assert_int_equal(Q.filters[0].lo[0], 202110);
	assert_true(Q.filters[0].hi[0] == INT64_MAX);
	parse_ok("relief.rows[发放年月<2021-10]");
	assert_int_equal(Q.filters[0].hi[0], 202109);
	parse_ok("charity.rows[金额 > 1000]");
	assert_int_equal(Q.filters[0].lo[0], 100001);
	parse_ok("charity.rows[金额≤999.99]");
	assert_int_equal(Q.filters[0].hi[0], 99999);
	parse_ok("relief.rows[纳入日期=2021-01..2021-03]");
	assert_int_equal(Q.filters[0].lo[0], 20210101);
	assert_int_equal(Q.filters[0].hi[0], 20210331);

	parse_in("relief.rows[发放年月=$period]", q3);
	assert_int_equal(Q.compare, COMPARE_NONE);
	assert_int_equal(Q.filters[0].lo[0], 202107);
	assert_int_equal(Q.filters[0].hi[0], 202109);
	/* under @last, $period is Q2; under @prev, 2020Q3, and $year 2020 */
	parse_in("relief.rows[发放年月=$period]@last", q3);
	assert_int_equal(Q.compare, COMPARE_LAST);
	assert_int_equal(Q.filters[0].lo[0], 202104);
	assert_int_equal(Q.filters[0].hi[0], 202106);
	parse_in("relief.rows[纳入日期=$year]@prev", q3);
	assert_int_equal(Q.compare, COMPARE_PREV);
	assert_int_equal(Q.filters[0].lo[0], 20200101);
	assert_int_equal(Q.filters[0].hi[0], 20201231);
	parse_in("relief.amount@环比 by 发放年月", q3);
	assert_int_equal(Q.compare, COMPARE_LAST);

	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		struct query q;
		struct query_error err;
		if (query_parse(&q, &schema, refused[i], &q3, &err) == 0) {
			query_release(&q);
			fail_msg("accepted: %s", refused[i]);
		}
		assert_true(err.message[0] != '\0');
	}
}

/* --where as every figure gets it: one more filter, marked the report's; the text unchanged. */
static void test_restrict(void **state)
{
	const struct period y = {2021 * 12, 2021 * 12 + 11};
	struct query_error err;

	(void)state;
	parse_ok("relief.amount[救助类别=城市低保]");
	assert_int_equal(query_restrict(&Q, &schema, "区县=岳池县", &y, &err), 0);
	assert_int_equal(Q.nfilters, 2);
	assert_true(Q.filters[1].scope);
	assert_false(Q.filters[0].scope);
	assert_string_equal(Q.text, "relief.amount[救助类别=城市低保]");
	/* elderly has no 乡镇(街道): the message names the dataset */
	parse_ok("elderly.rows");
	assert_int_equal(query_restrict(&Q, &schema, "乡镇(街道)=九龙街道", &y, &err), -1);
	assert_non_null(strstr(err.message, "elderly"));
}

/* schema.ini's [areas]: levels by their columns' canonical names; an unknown one refused */
static void test_area_levels(void **state)
{
	char path[] = "/tmp/test_levels_XXXXXX", err[512];
	int fd = mkstemp(path);
	FILE *in = fopen("templates/schema.ini", "r"), *out = fdopen(fd, "w");
	struct schema s;
	char buf[4096];
	size_t n;

	(void)state;
	assert_int_equal(schema.nlevels, 2);
	assert_string_equal(schema.levels[0], "区县");
	assert_string_equal(schema.levels[1], "乡镇(街道)");
	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	/* a later [areas] wins: full-width spellings and keys name the same columns */
	fputs("\n[areas]\nlevels = district，乡镇（街道）\n", out);
	fflush(out);
	assert_int_equal(schema_load(&s, path, err, sizeof(err)), 0);
	assert_string_equal(s.levels[0], "区县");
	assert_string_equal(s.levels[1], "乡镇(街道)");
	schema_release(&s);
	fputs("\n[areas]\nlevels = 区县, 村\n", out);
	fclose(out);
	assert_int_equal(schema_load(&s, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "“村”不是任何数据集的列"));
	unlink(path);
}

static void test_fullwidth_dot(void **state)
{
	(void)state;
	parse_ok("relief。persons");
	assert_int_equal(Q.measure, MEASURE_PERSONS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_ok_table),
	    cmocka_unit_test_teardown(test_filters_enum, cleanup),
	    cmocka_unit_test_teardown(test_filters_period, cleanup),
	    cmocka_unit_test_teardown(test_filters_other_types, cleanup),
	    cmocka_unit_test_teardown(test_no_filter_on_personal_data, cleanup),
	    cmocka_unit_test_teardown(test_by_columns, cleanup),
	    cmocka_unit_test_teardown(test_text_kept, cleanup),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_error_offset),
	    cmocka_unit_test(test_unrelated_name_no_suggestion),
	    cmocka_unit_test_teardown(test_fullwidth_dot, cleanup),
	    cmocka_unit_test_teardown(test_ranges_and_periods, cleanup),
	    cmocka_unit_test_teardown(test_restrict, cleanup),
	    cmocka_unit_test(test_area_levels),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
