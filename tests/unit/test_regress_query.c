/*
 * test_regress_query.c - every input the query fuzzer ever crashed on
 * (tests/fuzz/regress/query-*) goes through the fuzz target's own checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#define LLVMFuzzerTestOneInput fuzz_one
#include "../fuzz/fuzz_query.c"
#include "fuzz_replay.h"

static void replay_all(void **state)
{
	(void)state;
	replay_regressions("query-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(replay_all)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
