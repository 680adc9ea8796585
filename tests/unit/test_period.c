/*
 * test_period.c - report periods (util/period.h): every form parses to the
 * right months and back to its canonical text, ranges that are a year, a
 * half or a quarter become that period, bad forms are refused with a
 * reason, 同比 and 环比 shift as issue 11 lists them, and the Chinese names
 * (engine/format.h format_period_name).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine/format.h"
#include "util/period.h"

static struct period parse_ok(const char *s)
{
	struct period p;
	char err[256] = "";

	if (period_parse(s, &p, err, sizeof(err)) != 0)
		fail_msg("“%s” refused: %s", s, err);
	return p;
}

static void expect_canonical(const char *in, const char *want, const char *name)
{
	struct period p = parse_ok(in);
	char buf[64];

	period_canonical(&p, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("“%s”: canonical “%s”, want “%s”", in, buf, want);
	format_period_name(&p, buf, sizeof(buf));
	if (strcmp(buf, name) != 0)
		fail_msg("“%s”: name “%s”, want “%s”", in, buf, name);
}

static void test_forms(void **state)
{
	(void)state;
	expect_canonical("2021", "2021", "2021年");
	expect_canonical("2021H1", "2021H1", "2021年上半年");
	expect_canonical("2021h2", "2021H2", "2021年下半年");
	expect_canonical("2021Q3", "2021Q3", "2021年第三季度");
	expect_canonical(" 2021q1 ", "2021Q1", "2021年第一季度");
	expect_canonical("2021-09", "2021-09", "2021年9月");
	expect_canonical("2021-01..2021-09", "2021-01..2021-09", "2021年1—9月");
	expect_canonical("2020-04..2021-03", "2020-04..2021-03", "2020年4月—2021年3月");
	/* a range that is a named period is that period, however spelled */
	expect_canonical("2021-07..2021-09", "2021Q3", "2021年第三季度");
	expect_canonical("2021-01..2021-06", "2021H1", "2021年上半年");
	expect_canonical("2021-01..2021-12", "2021", "2021年");
	expect_canonical("2021-05..2021-05", "2021-05", "2021年5月");
	/* three months that are no quarter stay a range */
	expect_canonical("2021-02..2021-04", "2021-02..2021-04", "2021年2—4月");
}

static void test_months(void **state)
{
	struct period p = parse_ok("2021-11..2022-02");
	int y, m;

	(void)state;
	assert_int_equal(period_months(&p), 4);
	assert_true(period_has_month(&p, 2021, 11));
	assert_true(period_has_month(&p, 2022, 2));
	assert_false(period_has_month(&p, 2021, 10));
	assert_false(period_has_month(&p, 2022, 3));
	assert_false(period_has_month(&p, 2021, 13));
	assert_int_equal(period_end_year(&p), 2022);
	period_first_month(&p, &y, &m);
	assert_int_equal(y * 100 + m, 202111);
	period_last_month(&p, &y, &m);
	assert_int_equal(y * 100 + m, 202202);
	p = period_year(2021);
	assert_int_equal(period_months(&p), 12);
	assert_int_equal(period_kind(&p), PERIOD_YEAR);
}

static void expect_shift(const char *in, const char *prev, const char *last)
{
	struct period p = parse_ok(in), q;
	char buf[64];

	q = period_prev_year(&p);
	period_canonical(&q, buf, sizeof(buf));
	if (strcmp(buf, prev) != 0)
		fail_msg("“%s”: 同比 “%s”, want “%s”", in, buf, prev);
	q = period_last(&p);
	period_canonical(&q, buf, sizeof(buf));
	if (strcmp(buf, last) != 0)
		fail_msg("“%s”: 环比 “%s”, want “%s”", in, buf, last);
}

/* The comparisons issue 11 lists. */
static void test_comparisons(void **state)
{
	(void)state;
	expect_shift("2021", "2020", "2020");
	expect_shift("2021Q3", "2020Q3", "2021Q2");
	expect_shift("2021Q1", "2020Q1", "2020Q4");
	expect_shift("2021H2", "2020H2", "2021H1");
	expect_shift("2021H1", "2020H1", "2020H2");
	expect_shift("2021-09", "2020-09", "2021-08");
	expect_shift("2021-01", "2020-01", "2020-12");
	expect_shift("2021-01..2021-09", "2020-01..2020-09", "2020-04..2020-12");
}

static void expect_refused(const char *in, const char *why)
{
	struct period p;
	char err[512] = "";

	if (period_parse(in, &p, err, sizeof(err)) == 0)
		fail_msg("“%s” accepted", in);
	if (strstr(err, why) == NULL)
		fail_msg("“%s”: “%s” lacks “%s”", in, err, why);
}

static void test_refused(void **state)
{
	(void)state;
	expect_refused("", "可写 2021");
	expect_refused("21", "可写 2021");
	expect_refused("2021Q5", "可写 2021");
	expect_refused("2021Q0", "可写 2021");
	expect_refused("2021H3", "可写 2021");
	expect_refused("2021-13", "可写 2021");
	expect_refused("2021-9", "可写 2021");
	expect_refused("2021.09", "可写 2021");
	expect_refused("2021Q3x", "可写 2021");
	expect_refused("1899", "1900 到 2099");
	expect_refused("2100", "1900 到 2099");
	expect_refused("2021-09..2021-01", "结束月份早于开始月份");
	expect_refused("2021-01..2021", "月份范围应写成");
	expect_refused("2021-01..", "月份范围应写成");
	expect_refused("..2021-01", "月份范围应写成");
	expect_refused("2021-01..2021-02..2021-03", "月份范围应写成");
	expect_refused("2000-01..2010-01", "最长 120 个月");
	expect_refused("2021-01 ..2021-02", "月份范围应写成");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_forms),
	    cmocka_unit_test(test_months),
	    cmocka_unit_test(test_comparisons),
	    cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
