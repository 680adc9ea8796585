/*
 * test_format.c - unit tests for format.c, the Chinese number formatters.
 *
 * Every expected string below was worked out by hand (long division on
 * paper, rounding half away from zero), never produced by running the
 * code: the point is that a wrong rounding rule or an off-by-one power of
 * ten makes these fail.  The big table drives format_parse + format_value
 * the way a template does; the smaller tables cover the two-value
 * formatters, format_scaled, the parse errors and the buffer limits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "engine/format.h"

#define C UNIT_COUNT
#define F UNIT_FEN

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct value_case {
	const char *fmt;
	int64_t value;
	enum unit unit;
	const char *want;
};

static const struct value_case value_cases[] = {
    /* 万:N, counts; boundaries of half away from zero at one decimal */
    {"万:1", 267000, C, "26.7万"},
    {"万:1", 26650, C, "2.7万"},   /* 2.665 */
    {"万:1", 26649, C, "2.7万"},   /* 2.6649: .0649 >= .05 */
    {"万:1", 26550, C, "2.7万"},   /* 2.655 */
    {"万:1", 26540, C, "2.7万"},   /* 2.654 */
    {"万:1", 26500, C, "2.7万"},   /* 2.65 exactly */
    {"万:1", 26499, C, "2.6万"},   /* 2.6499 */
    {"万:1", 26449, C, "2.6万"},   /* 2.6449 */
    {"万:1", 0, C, "0.0万"},       /* trailing zero kept */
    {"万:1", -26650, C, "-2.7万"}, /* away from zero */
    {"万:1", -26500, C, "-2.7万"},
    {"万:1", -26499, C, "-2.6万"},
    {"万:1", -400, C, "0.0万"},   /* -0.04: no "-0.0" */
    {"万:1", -500, C, "-0.1万"},  /* -0.05 */
    {"万:1", 99999, C, "10.0万"}, /* 9.9999 carries */
    {"万:1", 5717, C, "0.6万"},
    {"万:0", 15000, C, "2万"},
    {"万:0", 14999, C, "1万"},
    {"万:0", -15000, C, "-2万"},
    {"万:2", 12345, C, "1.23万"},
    {"万:2", 12350, C, "1.24万"},
    {"万:6", 1, C, "0.000100万"},
    {"万", 267000, C, "26.7万"}, /* default N = 1 */
    /* 万:N, money in fen shown in yuan */
    {"万:2", 54230000, F, "54.23万"},  /* 542,300.00 yuan */
    {"万:0", 9859000000, F, "9859万"}, /* 98,590,000 yuan */
    {"万:1", 26650000, F, "26.7万"},   /* 266,500.00 yuan */
    {"万:1", 26649999, F, "26.6万"},   /* 266,499.99 yuan */
    {"万:2", 49, F, "0.00万"},         /* 0.49 yuan */
    {"万:2", INT64_MIN, F, "-9223372036854.78万"},
    /* 亿:N */
    {"亿:1", 34500000000, F, "3.5亿"}, /* 345,000,000.00 yuan */
    {"亿:1", 34499999999, F, "3.4亿"}, /* 344,999,999.99 yuan */
    {"亿:2", 123456789, C, "1.23亿"},
    {"亿:0", 150000000, C, "2亿"},
    {"亿:0", 149999999, C, "1亿"},
    {"亿:6", 1, C, "0.000000亿"},
    {"亿:6", 50, C, "0.000001亿"}, /* 0.0000005 */
    {"亿:6", 49, C, "0.000000亿"},
    {"亿:1", INT64_MAX, C, "92233720368.5亿"},
    {"亿:1", INT64_MIN, C, "-92233720368.5亿"},
    {"亿:1", -34500000000, F, "-3.5亿"},
    /* auto:N */
    {"auto:1", 5717, C, "5717"},
    {"auto:1", 9999, C, "9999"},
    {"auto:1", -9999, C, "-9999"},
    {"auto:1", 10000, C, "1.0万"},
    {"auto:1", -10000, C, "-1.0万"},
    {"auto:1", 99999999, C, "10000.0万"}, /* unit chosen on the raw value */
    {"auto:1", 100000000, C, "1.0亿"},
    {"auto:2", 345678901, C, "3.46亿"},
    {"auto:1", 345678, F, "3456.8"}, /* 3,456.78 yuan */
    {"auto", -345678, F, "-3456.8"},
    {"auto:2", 999999, F, "9999.99"},
    {"auto:1", 999999, F, "10000.0"}, /* 9,999.99 yuan is below 1万 */
    {"auto:0", 345650, F, "3457"},
    {"auto:1", 1000000, F, "1.0万"},
    {"auto:0", 1000000000000, F, "100亿"},
    {"auto:1", INT64_MIN, C, "-92233720368.5亿"},
    {"auto:1", 0, C, "0"},
    {"auto:1", 0, F, "0.0"},
    /* int */
    {"int", 5717, C, "5717"},
    {"int", -5717, C, "-5717"},
    {"int", 0, C, "0"},
    {"int", 123450, F, "1235"}, /* 1,234.50 yuan */
    {"int", 123449, F, "1234"},
    {"int", -123450, F, "-1235"},
    {"int", -49, F, "0"},
    {"int", -50, F, "-1"},
    {"int", INT64_MIN, C, "-9223372036854775808"},
    {"int", INT64_MAX, C, "9223372036854775807"},
    {"int", INT64_MAX, F, "92233720368547758"}, /* ...758.07 */
    /* thousands */
    {"thousands", 1234567, C, "1,234,567"},
    {"thousands", -1234, C, "-1,234"},
    {"thousands", 999, C, "999"},
    {"thousands", 1000, C, "1,000"},
    {"thousands", 100000, C, "100,000"},
    {"thousands", 0, C, "0"},
    {"thousands", -100, C, "-100"},
    {"thousands", 123456789, F, "1,234,568"}, /* 1,234,567.89 yuan */
    {"thousands", -99950, F, "-1,000"},       /* -999.50 yuan */
    {"thousands", -49, F, "0"},
    {"thousands", INT64_MIN, C, "-9,223,372,036,854,775,808"},
    {"thousands", INT64_MAX, C, "9,223,372,036,854,775,807"},
    /* 元 */
    {"元", 123450, F, "1234.50"},
    {"元", 123456789, F, "1234567.89"},
    {"元", 5, F, "0.05"},
    {"元", -5, F, "-0.05"},
    {"元", 0, F, "0.00"},
    {"yuan", 100, F, "1.00"},
    {"元", 5717, C, "5717.00"},
    {"元", INT64_MIN, F, "-92233720368547758.08"},
    /* 余:N */
    {"余:2", 936, C, "900余"},
    {"余:3", 2136, C, "2000余"},
    {"余:2", 312, C, "300余"},
    {"余", 936, C, "900余"}, /* default N = 2 */
    {"about:1", 936, C, "930余"},
    {"余:2", -936, C, "-900余"},
    {"余:2", 999, C, "900余"},
    {"余:2", 900, C, "900"}, /* nothing cut: no 余 */
    {"余:2", 36, C, "36"},   /* below 10^2: whole units */
    {"余:2", 0, C, "0"},
    {"余:0", 57, C, "57"},
    {"余:4", 1234567, C, "1230000余"},
    {"余:2", 93650, F, "900余"}, /* 936.50 yuan */
    {"余:2", 90050, F, "900余"}, /* 900.50 yuan: the fen were cut */
    {"余:2", 90000, F, "900"},
    {"余:0", 93650, F, "936余"},
    {"余:2", 3650, F, "36余"},
    {"余:3", INT64_MIN, C, "-9223372036854775000余"},
    /* spelling variants accepted by format_parse */
    {"  万:1  ", 267000, C, "26.7万"},
    {"万：1", 5717, C, "0.6万"},                             /* full-width colon */
    {"\xe3\x80\x80万 ： 2\xe3\x80\x80", 12345, C, "1.23万"}, /* full-width spaces */
    {"wan:2", 12345, C, "1.23万"},
    {"WAN:2", 12345, C, "1.23万"},
    {"yi", 345000000, C, "3.5亿"},
    {"Int", 5717, C, "5717"},
};

static void test_value_table(void **state)
{
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(value_cases); i++) {
		const struct value_case *c = &value_cases[i];
		struct format_spec spec;
		char err[256];
		char buf[64];
		int n;

		if (format_parse(&spec, c->fmt, err, sizeof(err)) != 0) {
			print_error("case %zu: \"%s\" did not parse: %s\n", i, c->fmt, err);
			failures++;
			continue;
		}
		n = format_value(buf, sizeof(buf), &spec, c->value, c->unit);
		if (n < 0 || strcmp(buf, c->want) != 0 || (size_t)n != strlen(c->want)) {
			print_error("case %zu: %s of %lld (%s): got \"%s\" (%d), want \"%s\"\n", i,
				    c->fmt, (long long)c->value, c->unit == F ? "fen" : "count",
				    n < 0 ? "" : buf, n, c->want);
			failures++;
		}
	}
	print_message("%zu formatter cases\n", ARRAY_SIZE(value_cases));
	assert_int_equal(failures, 0);
}

struct parse_case {
	const char *text;
	enum format_kind kind;
	int digits;
};

static void test_parse_ok(void **state)
{
	static const struct parse_case cases[] = {
	    {"万", FMT_WAN, 1},          {"万:0", FMT_WAN, 0},
	    {"万:6", FMT_WAN, 6},        {"亿", FMT_YI, 1},
	    {"yi:3", FMT_YI, 3},         {"auto", FMT_AUTO, 1},
	    {"int", FMT_INT, 0},         {"thousands", FMT_THOUSANDS, 0},
	    {"元", FMT_YUAN, 2},         {"yuan", FMT_YUAN, 2},
	    {"pct", FMT_PCT, 1},         {"pct:0", FMT_PCT, 0},
	    {"growth", FMT_GROWTH, 1},   {"growth:2", FMT_GROWTH, 2},
	    {"余", FMT_ABOUT, 2},        {"about:3", FMT_ABOUT, 3},
	    {" 余 ： 1 ", FMT_ABOUT, 1}, {"万:06", FMT_WAN, 6},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct format_spec spec = {FMT_INT, -1};
		char err[256] = "untouched";

		assert_int_equal(format_parse(&spec, cases[i].text, err, sizeof(err)), 0);
		assert_int_equal(spec.kind, cases[i].kind);
		assert_int_equal(spec.digits, cases[i].digits);
		assert_string_equal(err, "");
	}
}

static void test_parse_errors(void **state)
{
	static const char *const bad[] = {
	    "",
	    "   ",
	    "xx",
	    "万元",
	    "万:",
	    "万:7",
	    "万:-1",
	    "万:1.5",
	    "万:1x",
	    "万::1",
	    "int:2",
	    "元:7",
	    "pct:",
	    "pct:10",
	    ":1",
	    "万 1",
	    "wan2",
	    "万；1",
	    "auto:99999999999999999999",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct format_spec spec = {FMT_YUAN, 5};
		char err[256] = "";

		assert_int_equal(format_parse(&spec, bad[i], err, sizeof(err)), -1);
		assert_true(strlen(err) > 0);
		/* spec untouched on error */
		assert_int_equal(spec.kind, FMT_YUAN);
		assert_int_equal(spec.digits, 5);
	}
}

static void test_parse_messages(void **state)
{
	struct format_spec spec;
	char err[256];

	(void)state;
	assert_int_equal(format_parse(&spec, " xx ", err, sizeof(err)), -1);
	assert_string_equal(err, "未知的格式“xx”，可用：万:N、亿:N、auto:N、int、thousands、元:N、"
				 "pct:N、growth:N、change:N、余:N");

	assert_int_equal(format_parse(&spec, "万:9", err, sizeof(err)), -1);
	assert_string_equal(err, "格式“万:9”的小数位数“9”无效，须为 0 到 6 的整数");

	assert_int_equal(format_parse(&spec, "int:2", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "“int:2”不接受小数位数"));
	assert_non_null(strstr(err, "可用："));

	assert_int_equal(format_parse(&spec, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "未知的格式“”"));

	/* no room for a message, or none wanted: still just -1 */
	assert_int_equal(format_parse(&spec, "xx", NULL, 0), -1);
	assert_int_equal(format_parse(&spec, "xx", err, 0), -1);
}

/* A short err buffer must not end in half a UTF-8 character. */
static void test_parse_message_truncated(void **state)
{
	struct format_spec spec;
	char err[16];

	(void)state;
	/* "未知的格式“xx”" is 3+3+3+3+3 + 3 = 18 bytes up to the first x:
	 * 15 bytes fit, which is exactly 未知的格式 (five 3-byte chars). */
	assert_int_equal(format_parse(&spec, "xx", err, sizeof(err)), -1);
	assert_string_equal(err, "未知的格式");

	/* 14 bytes: 未知的格 plus two bytes of 式, which must be dropped */
	assert_int_equal(format_parse(&spec, "xx", err, 15), -1);
	assert_string_equal(err, "未知的格");
}

static void test_value_refuses(void **state)
{
	struct format_spec spec = {FMT_PCT, 1};
	char buf[64] = "x";

	(void)state;
	assert_int_equal(format_value(buf, sizeof(buf), &spec, 42, C), -1);
	spec.kind = FMT_GROWTH;
	assert_int_equal(format_value(buf, sizeof(buf), &spec, 42, C), -1);
	spec.kind = FMT_WAN;
	spec.digits = 7;
	assert_int_equal(format_value(buf, sizeof(buf), &spec, 42, C), -1);
	spec.digits = -1;
	assert_int_equal(format_value(buf, sizeof(buf), &spec, 42, C), -1);
	assert_int_equal(format_value(buf, sizeof(buf), NULL, 42, C), -1);
}

static void test_value_buffer_size(void **state)
{
	struct format_spec wan = {FMT_WAN, 1};
	struct format_spec th = {FMT_THOUSANDS, 0};
	char buf[64];

	(void)state;
	/* "26.7万" is 4 + 3 bytes, so it needs 8 with the NUL */
	assert_int_equal(format_value(buf, 8, &wan, 267000, C), 7);
	assert_string_equal(buf, "26.7万");
	assert_int_equal(format_value(buf, 7, &wan, 267000, C), -1);
	assert_string_equal(buf, "");
	assert_int_equal(format_value(buf, 0, &wan, 267000, C), -1);
	assert_int_equal(format_value(NULL, 0, &wan, 267000, C), -1);

	assert_int_equal(format_value(buf, 10, &th, 1234567, C), 9);
	assert_string_equal(buf, "1,234,567");
	assert_int_equal(format_value(buf, 9, &th, 1234567, C), -1);
	assert_string_equal(buf, "");
}

struct pair_case {
	int64_t a;
	int64_t b;
	int digits;
	const char *want;
};

static void check_pairs(int (*fn)(char *, size_t, int64_t, int64_t, int),
			const struct pair_case *cases, size_t n, const char *what)
{
	int failures = 0;

	for (size_t i = 0; i < n; i++) {
		char buf[64];
		int len = fn(buf, sizeof(buf), cases[i].a, cases[i].b, cases[i].digits);

		if (len < 0 || strcmp(buf, cases[i].want) != 0 ||
		    (size_t)len != strlen(cases[i].want)) {
			print_error("%s case %zu (%lld, %lld, %d): got \"%s\" (%d), want \"%s\"\n",
				    what, i, (long long)cases[i].a, (long long)cases[i].b,
				    cases[i].digits, len < 0 ? "" : buf, len, cases[i].want);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

static void test_percent(void **state)
{
	static const struct pair_case cases[] = {
	    {42, 1000, 1, "4.2%"},
	    {1, 3, 1, "33.3%"},
	    {2, 3, 1, "66.7%"},
	    {1, 3, 0, "33%"},
	    {1, 8, 1, "12.5%"},
	    {1, 16, 1, "6.3%"}, /* 6.25 */
	    {1, 16, 2, "6.25%"},
	    {-1, 16, 1, "-6.3%"},
	    {1, -16, 1, "-6.3%"},
	    {-1, -16, 1, "6.3%"},
	    {0, 5, 1, "0.0%"},
	    {5, 0, 1, "—"},
	    {3, 2, 0, "150%"},
	    {1, 200000, 1, "0.0%"},     /* 0.0005 */
	    {-1, 200000, 1, "0.0%"},    /* no "-0.0%" */
	    {-1, 200000, 3, "-0.001%"}, /* -0.0005 */
	    {5717, 5717, 1, "100.0%"},
	    {INT64_MAX, INT64_MAX, 2, "100.00%"},
	    {INT64_MIN, 1, 0, "-922337203685477580800%"},
	    {INT64_MIN, INT64_MIN, 6, "100.000000%"},
	};

	(void)state;
	check_pairs(format_percent, cases, ARRAY_SIZE(cases), "percent");
}

static void test_percent_errors(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(format_percent(buf, sizeof(buf), 1, 3, 7), -1);
	assert_int_equal(format_percent(buf, sizeof(buf), 1, 3, -1), -1);
	/* "4.2%" needs 5 bytes */
	assert_int_equal(format_percent(buf, 5, 42, 1000, 1), 4);
	assert_int_equal(format_percent(buf, 4, 42, 1000, 1), -1);
	assert_string_equal(buf, "");
	/* "—" is three bytes */
	assert_int_equal(format_percent(buf, 4, 1, 0, 1), 3);
	assert_int_equal(format_percent(buf, 3, 1, 0, 1), -1);
}

static void test_growth(void **state)
{
	static const struct pair_case cases[] = {
	    {1042, 1000, 1, "增长4.2%"},
	    {970, 1000, 1, "下降3.0%"},
	    {1000, 1000, 1, "持平"},
	    {10004, 10000, 1, "持平"},     /* +0.04% */
	    {10005, 10000, 1, "增长0.1%"}, /* +0.05% */
	    {9995, 10000, 1, "下降0.1%"},
	    {9996, 10000, 1, "持平"},
	    {10004, 10000, 2, "增长0.04%"},
	    {5, 0, 1, "—"},
	    {0, 0, 1, "—"},
	    {0, 100, 1, "下降100.0%"},
	    {300, 100, 0, "增长200%"},
	    {2, 3, 2, "下降33.33%"},
	    {5717, 5432, 1, "增长5.2%"}, /* 285/5432 = 5.2467% */
	    {-50, -100, 1, "增长50.0%"}, /* against |prev| */
	    {-150, -100, 1, "下降50.0%"},
	    {INT64_MAX, INT64_MIN, 1, "增长200.0%"},
	    {INT64_MIN, INT64_MAX, 1, "下降200.0%"},
	    {INT64_MAX, 1, 0, "增长922337203685477580600%"},
	};

	(void)state;
	check_pairs(format_growth, cases, ARRAY_SIZE(cases), "growth");
}

static void test_growth_errors(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(format_growth(buf, sizeof(buf), 2, 1, 7), -1);
	assert_int_equal(format_growth(buf, sizeof(buf), 2, 1, -1), -1);
	/* "增长4.2%" is 6 + 4 bytes */
	assert_int_equal(format_growth(buf, 11, 1042, 1000, 1), 10);
	assert_int_equal(format_growth(buf, 10, 1042, 1000, 1), -1);
	assert_string_equal(buf, "");
}

static void test_scaled(void **state)
{
	static const struct pair_case cases[] = {
	    {35, 10, 1, "3.5"},
	    {-25, 100, 2, "-0.25"},
	    {0, 7, 1, "0.0"},
	    {345, 100, 1, "3.5"}, /* 3.45 */
	    {3449999999, 1000000000, 1, "3.4"},
	    {54230000, 1000000, 2, "54.23"}, /* fen in 万元 */
	    {5, 1000000, 2, "0.00"},
	    {-5000, 1000000, 2, "-0.01"}, /* -0.005 */
	    {-4999, 1000000, 2, "0.00"},
	    {7, 2, 0, "4"},
	    {-7, 2, 0, "-4"},
	    {5, 2, 0, "3"},
	    {2, 3, 0, "1"},
	    {1, -3, 3, "-0.333"},
	    {1, 3, 18, "0.333333333333333333"},
	    {2, 3, 18, "0.666666666666666667"},
	    {INT64_MIN, 1, 0, "-9223372036854775808"},
	    {INT64_MIN, 10, 1, "-922337203685477580.8"},
	    {INT64_MIN, -1, 0, "9223372036854775808"},
	    {INT64_MIN, INT64_MIN, 2, "1.00"},
	    {INT64_MAX, 1, 6, "9223372036854775807.000000"},
	    {INT64_MIN, 1, 18, "-9223372036854775808.000000000000000000"},
	    {INT64_MAX, INT64_MIN, 3, "-1.000"},
	};

	(void)state;
	check_pairs(format_scaled, cases, ARRAY_SIZE(cases), "scaled");
}

static void test_scaled_errors(void **state)
{
	char buf[64] = "x";

	(void)state;
	assert_int_equal(format_scaled(buf, sizeof(buf), 1, 0, 1), -1);
	assert_int_equal(format_scaled(buf, sizeof(buf), 1, 3, 19), -1);
	assert_int_equal(format_scaled(buf, sizeof(buf), 1, 3, -1), -1);
	/* "-0.25" needs 6 bytes */
	assert_int_equal(format_scaled(buf, 6, -25, 100, 2), 5);
	assert_int_equal(format_scaled(buf, 5, -25, 100, 2), -1);
	assert_string_equal(buf, "");
}

/* format_decimal: charts' labels and ticks; grouping only in the integer part. */
static void test_decimal(void **state)
{
	static const struct {
		int64_t value, divisor;
		int digits;
		bool group;
		const char *want;
	} cases[] = {
	    {584234, 100, 1, true, "5,842.3"}, /* 5842.34 */
	    {584234, 100, 1, false, "5842.3"},
	    {584250, 100, 1, true, "5,842.5"}, /* 5842.50 exactly */
	    {584255, 100, 1, true, "5,842.6"}, /* 5842.55: half away from zero */
	    {-584255, 100, 1, true, "-5,842.6"},
	    {-4, 100, 1, true, "0.0"}, /* rounds to zero: no "-0.0" */
	    {123456789, 1, 0, true, "123,456,789"},
	    {999, 1, 0, true, "999"},
	    {1000, 1, 0, true, "1,000"},
	    {5, 10, 1, true, "0.5"}, /* a tick of 0.5 */
	    {1234567, 1000, 3, true, "1,234.567"},
	    {INT64_MIN, 1, 0, true, "-9,223,372,036,854,775,808"},
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(format_decimal(buf, sizeof(buf), cases[i].value, cases[i].divisor,
						cases[i].digits, cases[i].group),
				 (int)strlen(cases[i].want));
		assert_string_equal(buf, cases[i].want);
	}
	assert_int_equal(format_decimal(buf, sizeof(buf), 1, 0, 0, true), -1);
	assert_int_equal(format_decimal(buf, sizeof(buf), 1, 1, 19, true), -1);
	assert_int_equal(format_decimal(buf, 4, 123456, 1, 0, true), -1); /* "123,456" */
}

static void test_exact_and_share(void **state)
{
	char buf[64];

	(void)state;
	format_exact(buf, sizeof(buf), 123456789, F, true);
	assert_string_equal(buf, "1,234,567.89");
	format_exact(buf, sizeof(buf), -5, F, false);
	assert_string_equal(buf, "-0.05");
	format_exact(buf, sizeof(buf), 266812, C, false);
	assert_string_equal(buf, "266812");
	format_exact(buf, sizeof(buf), 266812, C, true);
	assert_string_equal(buf, "266,812");

	format_share(buf, sizeof(buf), 123, 1000); /* 12.3% */
	assert_string_equal(buf, "12.3%");
	format_share(buf, sizeof(buf), 1, 3); /* 33.33..% */
	assert_string_equal(buf, "33.3%");
	format_share(buf, sizeof(buf), 1, 2001); /* 0.0499..%: too small to show */
	assert_string_equal(buf, "<0.1%");
	format_share(buf, sizeof(buf), 1, 2000); /* 0.05%: rounds up to 0.1% */
	assert_string_equal(buf, "0.1%");
	format_share(buf, sizeof(buf), 0, 2000);
	assert_string_equal(buf, "0.0%");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_value_table),
	    cmocka_unit_test(test_parse_ok),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_parse_messages),
	    cmocka_unit_test(test_parse_message_truncated),
	    cmocka_unit_test(test_value_refuses),
	    cmocka_unit_test(test_value_buffer_size),
	    cmocka_unit_test(test_percent),
	    cmocka_unit_test(test_percent_errors),
	    cmocka_unit_test(test_growth),
	    cmocka_unit_test(test_growth_errors),
	    cmocka_unit_test(test_scaled),
	    cmocka_unit_test(test_scaled_errors),
	    cmocka_unit_test(test_decimal),
	    cmocka_unit_test(test_exact_and_share),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
