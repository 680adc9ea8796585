/*
 * test_outset.c - the output set switched all at once (deliver/outset.h):
 * a commit makes the period folder a link to exactly the new set; files of
 * the previous set that its manifest lists go, files no manifest names are
 * carried over; a failed commit (any rename, the link) leaves the previous
 * set; outset_recover clears what a killed run left without deleting
 * anything of the operator's; a failed run's rejects land in failed/; the
 * manifest's "outputs" list reads back.
 *
 * Each test gets a fresh mkdtemp folder under /tmp, the output folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deliver/manifest.h"
#include "deliver/outset.h"
#include "util/xalloc.h"

static char tmpdir[64];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/test_outset_XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	unsetenv("CIVREPORT_TEST_FAIL");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unsetenv("CIVREPORT_TEST_FAIL");
	nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static void put(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	free(path);
}

/* The text of dir/name, or NULL when it is not there. */
static char *get(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name), buf[256];
	FILE *fp = fopen(path, "r");
	size_t n;

	free(path);
	if (fp == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return xstrdup(buf);
}

static void expect_text(const char *dir, const char *name, const char *want)
{
	char *got = get(dir, name);

	if (want == NULL) {
		if (got != NULL)
			fail_msg("%s/%s should not exist (holds \"%s\")", dir, name, got);
		return;
	}
	if (got == NULL)
		fail_msg("%s/%s is missing", dir, name);
	assert_string_equal(got, want);
	free(got);
}

/* How many entries of tmpdir start with prefix. */
static int count_prefix(const char *prefix)
{
	char *cmd =
	    xasprintf("ls -A %s | grep -c '^%s' > %s/.count 2>/dev/null", tmpdir, prefix, tmpdir);
	char *n;
	int count;

	(void)!system(cmd);
	free(cmd);
	cmd = xasprintf("%s/.count", tmpdir);
	n = get(tmpdir, ".count");
	count = atoi(n);
	free(n);
	unlink(cmd);
	free(cmd);
	return count;
}

/* A manifest that lists names (a NULL-ended list), in the stage. */
static void stage_manifest(struct outset *s, const char *const *names)
{
	char *path = outset_stage_file(s, "manifest.json");
	const char *paths[8];
	size_t n = 0;
	struct manifest_inputs in = {0};
	struct ingest_result res = {0};
	FILE *fp;

	for (; names[n] != NULL; n++)
		paths[n] = outset_stage_file(s, names[n]);
	in.output_names = names;
	in.output_paths = paths;
	in.noutputs = n;
	in.template_path = "t.md";
	in.schema_path = "schema.ini";
	in.settings = "year=2021";
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(manifest_write(fp, &in, &res), 0);
	assert_int_equal(fclose(fp), 0);
	for (size_t i = 0; i < n; i++)
		free((char *)paths[i]);
	free(path);
}

/* A whole set: every name with text "<tag> <name>", and its manifest. */
static int write_set(const char *tag, const char *const *names, const char *fail)
{
	struct outset s;
	int rc;

	outset_init(&s, tmpdir, "2021");
	assert_int_equal(outset_recover(&s), 0);
	assert_int_equal(outset_begin(&s), 0);
	for (size_t i = 0; names[i] != NULL; i++) {
		char *text = xasprintf("%s %s", tag, names[i]);

		put(s.stage, names[i], text);
		free(text);
	}
	stage_manifest(&s, names);
	if (fail != NULL)
		setenv("CIVREPORT_TEST_FAIL", fail, 1);
	rc = outset_commit(&s);
	unsetenv("CIVREPORT_TEST_FAIL");
	outset_release(&s);
	return rc;
}

static const char *const set_a[] = {"old.pdf", "old.xlsx", "metrics.json", "rejects.csv", NULL};
static const char *const set_b[] = {"new.pdf", "new.xlsx", "metrics.json", "rejects.csv", NULL};

static char *period(void)
{
	return xasprintf("%s/2021", tmpdir);
}

static void test_commit_replaces_set(void **state)
{
	char *p = period();
	struct stat st;

	(void)state;
	assert_int_equal(write_set("A", set_a, NULL), 0);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	expect_text(p, "old.pdf", "A old.pdf");
	put(p, "note.txt", "mine");
	{
		char *archive = xasprintf("%s/archive", p);

		assert_int_equal(mkdir(archive, 0755), 0);
		free(archive);
	}
	put(p, "archive/2020.txt", "kept");
	assert_int_equal(write_set("B", set_b, NULL), 0);
	expect_text(p, "new.pdf", "B new.pdf");
	expect_text(p, "metrics.json", "B metrics.json");
	/* the previous set's own files are gone, the operator's carried */
	expect_text(p, "old.pdf", NULL);
	expect_text(p, "old.xlsx", NULL);
	expect_text(p, "note.txt", "mine");
	expect_text(p, "archive/2020.txt", "kept");
	/* one set folder, no link or stage left */
	assert_int_equal(count_prefix("\\.2021\\.set-"), 1);
	free(p);
}

/* Every rename, link and symlink of a commit fails in turn: the previous set
 * or the new one, never a mix, and the operator's files always there. */
static void test_commit_fails_at_each_step(void **state)
{
	static const char *const ops[] = {"rename", "link", "symlink"};
	char *p = period();
	int failed = 0;

	(void)state;
	for (size_t o = 0; o < 3; o++) {
		for (int k = 1; k < 10; k++) {
			char fail[32];
			int rc;

			teardown(NULL);
			setup(NULL);
			free(p);
			p = period();
			assert_int_equal(write_set("A", set_a, NULL), 0);
			put(p, "note.txt", "mine");
			snprintf(fail, sizeof(fail), "%s:%d", ops[o], k);
			rc = write_set("B", set_b, fail);
			if (rc != 0) {
				failed++;
				expect_text(p, "old.pdf", "A old.pdf");
				expect_text(p, "metrics.json", "A metrics.json");
				expect_text(p, "new.pdf", NULL);
				assert_int_equal(count_prefix("\\.2021\\.set-"), 1);
			} else {
				expect_text(p, "new.pdf", "B new.pdf");
				expect_text(p, "metrics.json", "B metrics.json");
				expect_text(p, "old.pdf", NULL);
			}
			expect_text(p, "note.txt", "mine");
		}
	}
	/* the switch's rename and the link, at least */
	assert_true(failed >= 2);
	free(p);
}

/* What a killed run left: a stage still marked is removed whole; an
 * unmarked folder is retired (its manifest's files go, an unknown file is
 * moved into the current set); a stray link goes. */
static void test_recover(void **state)
{
	char *p = period(), *marked, *unmarked, *link;
	struct outset s;

	(void)state;
	assert_int_equal(write_set("A", set_a, NULL), 0);
	marked = xasprintf("%s/.2021.set-killed", tmpdir);
	unmarked = xasprintf("%s/.2021.set-retired", tmpdir);
	link = xasprintf("%s/.2021.set-killed.link", tmpdir);
	assert_int_equal(mkdir(marked, 0700), 0);
	put(marked, ".civreport-stage", "");
	put(marked, "half.pdf", "half");
	assert_int_equal(mkdir(unmarked, 0750), 0);
	put(unmarked, "rejects.csv", "old rejects");
	put(unmarked, "lost-note.txt", "mine");
	put(unmarked, "old.pdf", "superseded");
	assert_int_equal(symlink(".2021.set-killed", link), 0);

	outset_init(&s, tmpdir, "2021");
	assert_int_equal(outset_recover(&s), 0);
	outset_release(&s);
	assert_int_equal(access(marked, F_OK), -1);
	assert_int_equal(access(link, F_OK), -1);
	/*
	 * old.pdf is not the current set's file (another inode), and with no
	 * manifest left nothing proves it civreport's: it stays, and so does
	 * its folder (named in the log), rather than risk an operator's file
	 */
	expect_text(unmarked, "old.pdf", "superseded");
	assert_int_equal(access(unmarked, F_OK), 0);
	expect_text(p, "lost-note.txt", "mine");
	expect_text(p, "old.pdf", "A old.pdf");
	expect_text(p, "rejects.csv", "A rejects.csv");
	free(marked);
	free(unmarked);
	free(link);
	free(p);
}

/* A real folder (an older civreport's) becomes the link; files no manifest
 * names stay, the old lock file does not. */
static void test_legacy_folder(void **state)
{
	char *p = period();
	struct stat st;

	(void)state;
	assert_int_equal(mkdir(p, 0755), 0);
	put(p, "metrics.json", "legacy metrics");
	put(p, "annual.pdf", "legacy pdf");
	put(p, ".civreport.lock", "");
	assert_int_equal(write_set("B", set_b, NULL), 0);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755); /* the folder's mode is kept */
	expect_text(p, "metrics.json", "B metrics.json");
	expect_text(p, "annual.pdf", "legacy pdf"); /* no manifest names it */
	expect_text(p, ".civreport.lock", NULL);
	assert_int_equal(count_prefix("\\.2021\\.set-"), 1);
	free(p);
}

/* A period folder that is something else (a link to elsewhere, a file) is
 * refused, not replaced. */
static void test_foreign_period_refused(void **state)
{
	char *p = period();
	struct outset s;

	(void)state;
	assert_int_equal(symlink("/etc", p), 0);
	outset_init(&s, tmpdir, "2021");
	assert_int_equal(outset_recover(&s), -1);
	outset_release(&s);
	assert_int_equal(unlink(p), 0);
	put(tmpdir, "2021", "a file");
	outset_init(&s, tmpdir, "2021");
	assert_int_equal(outset_recover(&s), -1);
	outset_release(&s);
	expect_text(tmpdir, "2021", "a file");
	free(p);
}

/* A failed run: failed/rejects.csv and summary.txt, the set untouched; a
 * second failure replaces failed/; the next commit removes it. */
static void test_keep_failed(void **state)
{
	char *p = period();
	struct outset s;

	(void)state;
	assert_int_equal(write_set("A", set_a, NULL), 0);
	for (int i = 1; i <= 2; i++) {
		char text[32];

		snprintf(text, sizeof(text), "run %d", i);
		outset_init(&s, tmpdir, "2021");
		assert_int_equal(outset_recover(&s), 0);
		assert_int_equal(outset_begin(&s), 0);
		put(s.stage, "rejects.csv", text);
		assert_int_equal(outset_keep_failed(&s, "rejects.csv", "summary"), 0);
		outset_release(&s);
		expect_text(p, "failed/rejects.csv", text);
		expect_text(p, "failed/summary.txt", "summary");
		expect_text(p, "rejects.csv", "A rejects.csv");
		assert_int_equal(count_prefix("\\.2021\\.set-"), 1);
	}
	assert_int_equal(write_set("B", set_b, NULL), 0);
	expect_text(p, "failed/rejects.csv", NULL);
	expect_text(p, "rejects.csv", "B rejects.csv");
	/* no set at all yet: failed/ is what there is */
	teardown(NULL);
	setup(NULL);
	free(p);
	p = period();
	outset_init(&s, tmpdir, "2021");
	assert_int_equal(outset_recover(&s), 0);
	assert_int_equal(outset_begin(&s), 0);
	put(s.stage, "rejects.csv", "first");
	assert_int_equal(outset_keep_failed(&s, "rejects.csv", "summary"), 0);
	outset_release(&s);
	expect_text(p, "failed/rejects.csv", "first");
	free(p);
}

static void test_manifest_outputs_read_back(void **state)
{
	static const char *const names[] = {"报告 \"2021\".pdf", "b.xlsx", NULL};
	char *path = xasprintf("%s/manifest.json", tmpdir), **got;
	struct outset s;
	long n;

	(void)state;
	outset_init(&s, tmpdir, "2021");
	assert_int_equal(outset_recover(&s), 0);
	assert_int_equal(outset_begin(&s), 0);
	put(s.stage, names[0], "x");
	put(s.stage, names[1], "y");
	stage_manifest(&s, names);
	free(path);
	path = outset_stage_file(&s, "manifest.json");
	n = manifest_read_outputs(path, &got);
	assert_int_equal(n, 2);
	assert_string_equal(got[0], names[0]);
	assert_string_equal(got[1], names[1]);
	for (long i = 0; i < n; i++)
		free(got[i]);
	free(got);
	/* a --each report's files are the set's, one folder deep; nothing else outside */
	put(tmpdir, "each.json",
	    "{\"outputs\": [{\"name\": \"岳池县/r.pdf\"}, {\"name\": \"../x\"}, "
	    "{\"name\": \"a/b/c\"}, {\"name\": \".hid/x\"}, {\"name\": \"a/..\"}, "
	    "{\"name\": \"/etc\"}, {\"name\": \"a/\"}, {\"name\": \"..\"}]}\n");
	free(path);
	path = xasprintf("%s/each.json", tmpdir);
	n = manifest_read_outputs(path, &got);
	assert_int_equal(n, 1);
	assert_string_equal(got[0], "岳池县/r.pdf");
	free(got[0]);
	free(got);
	/* a manifest without the list (an older civreport's) */
	put(tmpdir, "old.json", "{\n  \"fingerprint\": \"x\",\n  \"inputs\": [\n  ]\n}\n");
	free(path);
	path = xasprintf("%s/old.json", tmpdir);
	assert_int_equal(manifest_read_outputs(path, &got), -1);
	outset_release(&s);
	free(path);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_commit_replaces_set),
	    T(test_commit_fails_at_each_step),
	    T(test_recover),
	    T(test_legacy_folder),
	    T(test_foreign_period_refused),
	    T(test_keep_failed),
	    T(test_manifest_outputs_read_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
