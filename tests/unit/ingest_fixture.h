/*
 * ingest_fixture.h - what the ingest tests share: the schema, loaded once
 * per test group, and a fresh temporary input folder per test (removed
 * with everything in it).  Include after cmocka.h.
 *
 *	cmocka_run_group_tests(tests, schema_setup, schema_teardown)
 *	cmocka_unit_test_setup_teardown(test_x, tmpdir_new, tmpdir_remove)
 */
#ifndef CIVREPORT_TEST_INGEST_FIXTURE_H
#define CIVREPORT_TEST_INGEST_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "ingest/schema.h"
#include "util/log.h"

static struct schema schema;
static char dir[64];

static inline int schema_setup(void **state)
{
	char err[512];

	(void)state;
	log_set_level(LOG_ERROR);
	if (schema_load(&schema, "templates/schema.ini", err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static inline int schema_teardown(void **state)
{
	(void)state;
	schema_release(&schema);
	return 0;
}

static inline int tmpdir_rm_entry(const char *path, const struct stat *st, int flag,
				  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline int tmpdir_new(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/civreport-test-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static inline int tmpdir_remove(void **state)
{
	(void)state;
	return nftw(dir, tmpdir_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* dir/rel, in a static buffer (one at a time). */
static inline const char *at(const char *rel)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s/%s", dir, rel);
	return buf;
}

/* Write text as dir/rel (its folder must exist). */
static inline void write_file(const char *rel, const char *text)
{
	FILE *fp = fopen(at(rel), "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

#endif
