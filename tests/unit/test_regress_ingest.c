/*
 * test_regress_ingest.c - every input the ingest fuzzer ever crashed on
 * (tests/fuzz/regress/ingest-*), and its seeds, go through the fuzz
 * target's own checks (the parse cache's codec round trip among them).
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
	/* and the seeds: the target round-trips each parse through the cache's codec */
	assert_true(replay_files("tests/fuzz/seeds/ingest", "") > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(replay_all)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
