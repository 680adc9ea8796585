/*
 * test_parse.c - the typed parsers behind every setting (util/parse.h):
 * each documented spelling accepted, everything else refused with the
 * output left alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>

#include "util/parse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void test_parse_bool(void **state)
{
	static const char *const yes[] = {"yes", "YES", "Yes", "true", "True",
					  "on",  "ON",  "1",   "是"};
	static const char *const no[] = {"no",  "NO",  "No", "false", "FALSE",
					 "off", "Off", "0",  "否"};
	static const char *const bad[] = {"",   "y",      "n",    "ture", "yes ", " no", "2",
					  "-1", "enable", "是的", "真",   "none", "01"};
	bool b;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		b = false;
		assert_int_equal(parse_bool(yes[i], &b), 0);
		assert_true(b);
	}
	for (size_t i = 0; i < ARRAY_SIZE(no); i++) {
		b = true;
		assert_int_equal(parse_bool(no[i], &b), 0);
		assert_false(b);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		b = true;
		if (parse_bool(bad[i], &b) != -1)
			fail_msg("parse_bool accepted \"%s\"", bad[i]);
		assert_true(b); /* untouched */
	}
}

static void test_parse_numbers(void **state)
{
	long l = 7;
	double d = 7;

	(void)state;
	assert_int_equal(parse_long("64", 1, 64, &l), 0);
	assert_int_equal(l, 64);
	assert_int_equal(parse_long("+3", 0, 9, &l), 0);
	assert_int_equal(l, 3);
	assert_int_equal(parse_long("65", 1, 64, &l), -1);
	assert_int_equal(parse_long("0", 1, 64, &l), -1);
	assert_int_equal(parse_long("", 0, 9, &l), -1);
	assert_int_equal(parse_long("4x", 0, 9, &l), -1);
	assert_int_equal(parse_long("4 ", 0, 9, &l), -1);
	assert_int_equal(parse_long("99999999999999999999999", 0, LONG_MAX, &l), -1);
	assert_int_equal(l, 3);

	assert_int_equal(parse_double("0.05", 0, 1, &d), 0);
	assert_true(d == 0.05);
	assert_int_equal(parse_double("1", 0, 1, &d), 0);
	assert_true(d == 1);
	assert_int_equal(parse_double("1.5", 0, 1, &d), -1);
	assert_int_equal(parse_double("-0.1", 0, 1, &d), -1);
	assert_int_equal(parse_double("nan", 0, 1, &d), -1);
	assert_int_equal(parse_double("inf", 0, 1, &d), -1);
	assert_int_equal(parse_double("", 0, 1, &d), -1);
	assert_int_equal(parse_double("0.05%", 0, 1, &d), -1);
	assert_true(d == 1);

	assert_int_equal(parse_octal("0640", 0777, &l), 0);
	assert_int_equal(l, 0640);
	assert_int_equal(parse_octal("600", 0777, &l), 0);
	assert_int_equal(l, 0600);
	assert_int_equal(parse_octal("0", 0777, &l), 0);
	assert_int_equal(l, 0);
	assert_int_equal(parse_octal("0800", 0777, &l), -1);
	assert_int_equal(parse_octal("1000", 0777, &l), -1);
	assert_int_equal(parse_octal("-640", 0777, &l), -1);
	assert_int_equal(parse_octal("", 0777, &l), -1);
	assert_int_equal(parse_octal("0640 ", 0777, &l), -1);
	assert_int_equal(l, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_bool),
	    cmocka_unit_test(test_parse_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
