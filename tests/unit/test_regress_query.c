/*
 * test_regress_query.c - every input the query fuzzer ever crashed on
 * (tests/fuzz/regress/query-*) goes through the fuzz target's own checks.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define LLVMFuzzerTestOneInput fuzz_one
#include "../fuzz/fuzz_query.c"

static void replay_all(void **state)
{
	DIR *d = opendir("tests/fuzz/regress");
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[512];
		FILE *fp;
		unsigned char *buf;
		long len;

		if (strncmp(e->d_name, "query-", strlen("query-")) != 0)
			continue;
		snprintf(path, sizeof(path), "tests/fuzz/regress/%s", e->d_name);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		rewind(fp);
		buf = malloc((size_t)len + 1);
		assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
		fclose(fp);
		assert_int_equal(fuzz_one(buf, (size_t)len), 0);
		free(buf);
		n++;
	}
	closedir(d);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(replay_all)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
