/*
 * test_unread.c - files in the input folder that civreport does not read
 * but that look like data an officer meant to give it (issue 11, "No
 * silent zeros"): 2021低保.xlsx beside the CSVs was ignored without a word,
 * and the report came out without its data, exit 0.  The listing
 * (ingest_files.c) now names them, ingest_run hands them on in the result,
 * and a folder holding only such files says so in its error.
 *
 * Each test builds its input folder under a fresh temporary directory.
 * Every test here failed on the code before (the listing had no unread
 * files, the error said only "没有 CSV 文件").  Run from the repository
 * root (templates/schema.ini).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "util/xalloc.h"

#include "ingest_fixture.h"

static const char charity[] = "日期,收支类型,项目名称,区县,金额,受益人次,捐赠方\n"
			      "2021-03-01,捐赠收入,慈善济困,武胜县,100.00,,\n";

/* The unread paths of a listing joined by spaces (the listing must succeed). */
static char *unread_of(const struct ingest_listing *l)
{
	char *s = xstrdup("");

	for (size_t i = 0; i < l->nunread; i++) {
		char *t = xasprintf("%s%s%s", s, i ? " " : "", l->unread[i]);

		free(s);
		s = t;
	}
	return s;
}

/*
 * Regression: every file that is not *.csv was skipped silently.  Now the
 * ones that look like data are listed (any case of the extension, in
 * sub-folders too, through a symlink too), sorted; dot files and dot
 * folders, Excel's ~$ lock files, README.txt and documents stay unlisted,
 * and the CSVs are listed as before.  Workbooks (.xlsx .xlsm .xls) are
 * read since issue 12: listed as inputs, never as unread.
 */
static void test_unread_listed(void **state)
{
	struct ingest_listing l;
	char *got;

	(void)state;
	write_file("charity.csv", charity);
	write_file("2021低保.xlsx", "PK");
	write_file("2021特困.xlsb", "PK");
	write_file("备份.ZIP", "PK");
	write_file("孤儿.Xls", "");
	write_file("export.txt", "a\tb\n");
	write_file("~$2021低保.xlsx", "");
	write_file("README.txt", "notes");
	write_file("数据说明.txt", "notes");
	write_file("工作总结.docx", "");
	write_file(".~lock.a.ods#", "");
	assert_int_equal(mkdir(at("sub"), 0755), 0);
	write_file("sub/养老.et", "");
	write_file("sub/elderly.csv", "x\n");
	assert_int_equal(mkdir(at(".git"), 0755), 0);
	write_file(".git/data.zip", "");
	assert_int_equal(symlink("sub/养老.et", at("link.7z")), 0);
	assert_int_equal(ingest_list(dir, &l), 0);
	got = unread_of(&l);
	assert_string_equal(got, "2021特困.xlsb export.txt link.7z sub/养老.et 备份.ZIP");
	assert_int_equal(l.n, 4);
	assert_string_equal(l.paths[0], "2021低保.xlsx");
	assert_string_equal(l.paths[1], "charity.csv");
	assert_string_equal(l.paths[2], "sub/elderly.csv");
	assert_string_equal(l.paths[3], "孤儿.Xls");
	free(got);
	ingest_listing_release(&l);
}

/* An ID number in a file name is masked wherever the name is kept. */
static void test_unread_id_masked(void **state)
{
	struct ingest_listing l;

	(void)state;
	write_file("charity.csv", charity);
	write_file("511602198001150012补发.et", "");
	assert_int_equal(ingest_list(dir, &l), 0);
	assert_int_equal(l.nunread, 1);
	assert_string_equal(l.unread[0], "511602********0012补发.et");
	ingest_listing_release(&l);
}

static void test_unread_kind(void **state)
{
	(void)state;
	assert_string_equal(ingest_unread_kind("2021低保.XLSB"), "Excel 二进制工作簿");
	assert_null(ingest_unread_kind("2021低保.XLSX")); /* read (workbook.h) */
	assert_null(ingest_unread_kind("a/b.xlsm"));
	assert_null(ingest_unread_kind("a/b.xls"));
	assert_string_equal(ingest_unread_kind("b.et"), "WPS 表格");
	assert_string_equal(ingest_unread_kind("b.ods"), "OpenDocument 表格");
	assert_string_equal(ingest_unread_kind("b.tsv"), "文本文件");
	assert_string_equal(ingest_unread_kind("b.dbf"), "数据库表");
	assert_string_equal(ingest_unread_kind("b.rar"), "压缩包");
	assert_string_equal(ingest_unread_kind("relief.csv.gz"), "压缩包");
	assert_null(ingest_unread_kind("relief.csv"));
	assert_null(ingest_unread_kind("报告.pdf"));
	assert_null(ingest_unread_kind("xlsx"));
	assert_null(ingest_unread_kind(".xlsx"));
	assert_null(ingest_unread_kind("sub/~$a.xlsx"));
	assert_null(ingest_unread_kind("ReadMe.txt"));
	assert_null(ingest_unread_kind("填报说明.txt"));
}

static void on_row(void *ctx, const struct dataset *ds, const struct ingest_row *row)
{
	(void)ds;
	(void)row;
	++*(int *)ctx;
}

/* Regression: ingest_run read the CSVs and said nothing of the archive beside them. */
static void test_unread_in_result(void **state)
{
	int rows = 0;
	struct ingest_sink sink = {.ctx = &rows, .row = on_row};
	struct ingest_options opt = {
	    .input_dir = dir, .period = {2021 * 12, 2021 * 12 + 11}, .threads = 1};
	struct ingest_result res;
	char err[512] = "";

	(void)state;
	write_file("charity.csv", charity);
	write_file("2021低保.zip", "PK");
	assert_int_equal(ingest_run(&schema, &opt, &sink, &res, err, sizeof(err)), 0);
	assert_int_equal(res.nfiles, 1);
	assert_int_equal(res.files[0].accepted, 1);
	assert_int_equal(rows, 1);
	assert_int_equal(res.nunread, 1);
	assert_string_equal(res.unread[0], "2021低保.zip");
	ingest_result_release(&res);
}

/*
 * Regression: a folder of files civreport cannot read only said "没有 CSV
 * 文件", as if it were empty.  Now the error names them, the first five
 * and the count.
 */
static void test_no_csv_names_unread(void **state)
{
	int rows = 0;
	struct ingest_sink sink = {.ctx = &rows, .row = on_row};
	struct ingest_options opt = {
	    .input_dir = dir, .period = {2021 * 12, 2021 * 12 + 11}, .threads = 1};
	struct ingest_result res;
	char err[1024] = "";

	(void)state;
	write_file("2021低保.et", "PK");
	assert_int_equal(ingest_run(&schema, &opt, &sink, &res, err, sizeof(err)), -1);
	if (strstr(err, "没有 CSV 或 Excel 文件") == NULL || strstr(err, "2021低保.et") == NULL)
		fail_msg("error \"%s\" does not name 2021低保.et", err);
	ingest_result_release(&res);
	for (int i = 1; i <= 6; i++) {
		char name[32];

		snprintf(name, sizeof(name), "%d月.ods", i);
		write_file(name, "");
	}
	assert_int_equal(ingest_run(&schema, &opt, &sink, &res, err, sizeof(err)), -1);
	if (strstr(err, "1月.ods、2021低保.et、2月.ods、3月.ods、4月.ods……等共7个") == NULL)
		fail_msg("error \"%s\" does not list five and the count", err);
	assert_null(strstr(err, "5月.ods"));
	ingest_result_release(&res);
}

/* Five names, then the count: what the log and the error show. */
static void test_unread_names_capped(void **state)
{
	const char *few[] = {"a.xlsx", "b.zip"};
	const char *many[] = {"1.xls", "2.xls", "3.xls", "4.xls", "5.xls", "6.xls", "7.xls"};
	char *s;

	(void)state;
	s = ingest_unread_names((char *const *)few, 2);
	assert_string_equal(s, "a.xlsx、b.zip");
	free(s);
	s = ingest_unread_names((char *const *)many, 5);
	assert_string_equal(s, "1.xls、2.xls、3.xls、4.xls、5.xls");
	free(s);
	s = ingest_unread_names((char *const *)many, 7);
	assert_string_equal(s, "1.xls、2.xls、3.xls、4.xls、5.xls……等共7个");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_unread_listed, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_unread_id_masked, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test(test_unread_kind),
	    cmocka_unit_test_setup_teardown(test_unread_in_result, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_no_csv_names_unread, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test(test_unread_names_capped),
	};

	return cmocka_run_group_tests(tests, schema_setup, schema_teardown);
}
