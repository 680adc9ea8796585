/*
 * fuzz_replay.h - replay every input a fuzzer crashed on
 * (tests/fuzz/regress/<prefix>*) through the fuzz target's own checks.
 *
 * Include it after the fuzz target, compiled with
 * "#define LLVMFuzzerTestOneInput fuzz_one"; the target aborts on a failed
 * check, which fails the test.
 */
#ifndef CIVREPORT_FUZZ_REPLAY_H
#define CIVREPORT_FUZZ_REPLAY_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void replay_regressions(const char *prefix)
{
	DIR *d = opendir("tests/fuzz/regress");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[512];
		FILE *fp;
		unsigned char *buf;
		long len;

		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
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

#endif
