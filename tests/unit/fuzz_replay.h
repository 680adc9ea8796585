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

/* Every file of folder dir whose name starts with prefix; how many. */
static inline int replay_files(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[512];
		FILE *fp;
		unsigned char *buf;
		long len;

		if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
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
	return n;
}

static inline void replay_regressions(const char *prefix)
{
	assert_true(replay_files("tests/fuzz/regress", prefix) > 0);
}

#endif
