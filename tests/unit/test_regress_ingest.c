/*
 * test_regress_ingest.c - every input the ingest fuzzer ever crashed on
 * (tests/fuzz/regress/ingest-*) goes through the fuzz target's own checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#define LLVMFuzzerTestOneInput fuzz_one
#include "../fuzz/fuzz_ingest.c"
#include "fuzz_replay.h"

static void replay_all(void **state)
{
	(void)state;
	replay_regressions("ingest-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(replay_all)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
