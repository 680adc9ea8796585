/*
 * test_strbuf.c - the growable string buffer: contents, NUL termination,
 * binary data, detach and release leaving an empty buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static void test_adds_and_terminates(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&sb, "读取 ");
	strbuf_addf(&sb, "%d 行", 42);
	strbuf_addch(&sb, '.');
	assert_string_equal(sb.buf, "读取 42 行.");
	assert_int_equal(sb.len, strlen("读取 42 行."));
	strbuf_release(&sb);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
}

static void test_grows_past_many_pages(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	for (int i = 0; i < 100000; i++)
		strbuf_addf(&sb, "%05d", i % 100000);
	assert_int_equal(sb.len, 500000);
	assert_memory_equal(sb.buf + 5 * 12345, "12345", 5);
	assert_int_equal(sb.buf[sb.len], '\0');
	strbuf_release(&sb);
}

static void test_binary_data(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char bytes[] = {'%', 'P', 0, 0xff, 'F'};

	(void)state;
	strbuf_add(&sb, bytes, sizeof(bytes));
	strbuf_add(&sb, bytes, 0);
	assert_int_equal(sb.len, sizeof(bytes));
	assert_memory_equal(sb.buf, bytes, sizeof(bytes));
	strbuf_release(&sb);
}

static void test_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 99;
	char *s = strbuf_detach(&sb, &len);

	(void)state;
	/* an empty buffer still gives a string the caller owns */
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);

	strbuf_grow(&sb, 1000);
	assert_string_equal(sb.buf, "");
	strbuf_addstr(&sb, "abc");
	s = strbuf_detach(&sb, &len);
	assert_string_equal(s, "abc");
	assert_int_equal(len, 3);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.cap, 0);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_adds_and_terminates),
	    cmocka_unit_test(test_grows_past_many_pages),
	    cmocka_unit_test(test_binary_data),
	    cmocka_unit_test(test_detach),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
