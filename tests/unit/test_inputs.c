/*
 * test_inputs.c - what a run reads and what it may add up (issue 10):
 * the listing of the input folder (ingest_files.c), identical files read
 * once (ingest.c), ambiguous and future months, per-row ceilings (value.c,
 * schema.c), sums that do not fit in int64 (agg.c), and which year
 * "year = latest" means (latest.c).
 *
 * Each test builds its input folder under a fresh temporary directory, so
 * the expected values are read off the files the test itself wrote.  All
 * the tests here are regressions: each failed on the code before the fix.
 * Run from the repository root (templates/schema.ini).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/agg.h"
#include "engine/query.h"
#include "ingest/ingest.h"
#include "ingest/schema.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "ingest_fixture.h"

static void link_to(const char *target, const char *rel)
{
	assert_int_equal(symlink(target, at(rel)), 0);
}

static const char charity[] = "日期,收支类型,项目名称,区县,金额,受益人次,捐赠方\n"
			      "2021-03-01,捐赠收入,慈善济困,武胜县,100.00,,\n"
			      "2021-04-01,项目支出,慈善济困,武胜县,25.50,,\n";

/* ------------------------------------------------------------- listing */

/* The paths listed, joined by spaces; "" on a refusal (error in *error). */
static char *listed(char **error)
{
	struct ingest_listing l;
	char *s = xstrdup("");

	*error = NULL;
	if (ingest_list(dir, &l) != 0) {
		*error = xstrdup(l.error);
	} else {
		for (size_t i = 0; i < l.n; i++) {
			char *t = xasprintf("%s%s%s", s, i ? " " : "", l.paths[i]);
			free(s);
			s = t;
		}
	}
	ingest_listing_release(&l);
	return s;
}

/*
 * Regression: a symlink loop was followed 8 levels deep, so the file under
 * it was listed (and counted) 9 times; a symlinked folder is entered once.
 */
static void test_symlink_loop_entered_once(void **state)
{
	char *err, *got;

	(void)state;
	write_file("charity.csv", charity);
	link_to(".", "loop");
	assert_int_equal(mkdir(at("sub"), 0755), 0);
	write_file("sub/elderly.csv", "x\n");
	link_to("..", "sub/up");
	link_to("sub", "alias");
	got = listed(&err);
	assert_null(err);
	/* the real folder's path wins over the link that sorts before it */
	assert_string_equal(got, "charity.csv sub/elderly.csv");
	free(got);
}

/* Regression: the same file by two paths (symlink, hard link) is one file. */
static void test_same_file_two_paths(void **state)
{
	struct ingest_listing l;
	char *target;

	(void)state;
	write_file("charity.csv", charity);
	link_to("charity.csv", "a-link.csv");
	target = xstrdup(at("charity.csv"));
	assert_int_equal(link(target, at("hard.csv")), 0);
	free(target);
	assert_int_equal(ingest_list(dir, &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.paths[0], "a-link.csv");
	assert_string_equal(l.paths[1], "charity.csv");
	assert_string_equal(l.paths[2], "hard.csv");
	/* read under the shortest path */
	assert_int_equal(l.same[0], 2);
	assert_int_equal(l.same[1], 2);
	assert_int_equal(l.same[2], -1);
	ingest_listing_release(&l);
}

static void expect_refused(const char *what)
{
	char *err, *got = listed(&err);

	assert_string_equal(got, "");
	if (err == NULL || strstr(err, what) == NULL)
		fail_msg("listing error \"%s\", want it to say \"%s\"", err ? err : "(none)", what);
	free(err);
	free(got);
}

/* Regression: a dangling symlink (an unmounted share) was skipped silently. */
static void test_dangling_symlink_refused(void **state)
{
	(void)state;
	write_file("charity.csv", charity);
	link_to("/nonexistent/share", "share");
	expect_refused("share");
	expect_refused("无法访问");
}

/* Regression: a *.csv that is a FIFO was skipped silently (and would block if opened). */
static void test_fifo_refused(void **state)
{
	(void)state;
	write_file("charity.csv", charity);
	assert_int_equal(mkfifo(at("pipe.csv"), 0600), 0);
	expect_refused("pipe.csv");
	expect_refused("不是普通文件");
}

/* Regression: a symlink out of the input folder was read (e.g. to /etc/shadow). */
static void test_link_outside_refused(void **state)
{
	char *err, *got;

	(void)state;
	write_file("charity.csv", charity);
	link_to("/etc/passwd", "shadow.csv");
	expect_refused("shadow.csv");
	expect_refused("输入目录之外");
	assert_int_equal(unlink(at("shadow.csv")), 0);
	link_to("/etc", "etc");
	expect_refused("输入目录之外");
	assert_int_equal(unlink(at("etc")), 0);
	/* a link to something civreport never reads is ignored like the file itself */
	link_to("/etc/passwd", "notes.txt");
	got = listed(&err);
	assert_null(err);
	assert_string_equal(got, "charity.csv");
	free(got);
}

/* The input folder itself missing: refused as before, naming it. */
static void test_missing_folder_refused(void **state)
{
	struct ingest_listing l;

	(void)state;
	assert_int_equal(ingest_list("/nonexistent/input", &l), -1);
	assert_non_null(strstr(l.error, "无法读取输入目录 /nonexistent/input"));
	ingest_listing_release(&l);
}

/* Unreadable folders are tested as an unprivileged user in t_inputs.sh (root reads anything). */
static void test_unreadable_folder_refused(void **state)
{
	(void)state;
	if (geteuid() == 0) {
		print_message("running as root: see tests/e2e/t_inputs.sh (setpriv)\n");
		return;
	}
	assert_int_equal(mkdir(at("locked"), 0755), 0);
	write_file("locked/charity.csv", charity);
	assert_int_equal(chmod(at("locked"), 0), 0);
	expect_refused("locked");
	assert_int_equal(chmod(at("locked"), 0755), 0);
}

/* ---------------------------------------------------- identical content */

struct sums {
	int64_t fen;
	uint64_t rows, rejects;
	enum value_error last_code;
	char last_reason[256];
};

static void on_row(void *ctx, const struct dataset *ds, const struct ingest_row *row)
{
	struct sums *s = ctx;

	if (row->windows == WINDOW_CUR && ds->amount >= 0 && (row->present >> ds->amount & 1))
		s->fen += row->v[ds->amount];
	s->rows += row->windows == WINDOW_CUR;
}

static void on_reject(void *ctx, const struct ingest_reject *r)
{
	struct sums *s = ctx;

	s->rejects++;
	s->last_code = r->code;
	snprintf(s->last_reason, sizeof(s->last_reason), "%s", r->reason);
}

static int run(struct sums *s, struct ingest_result *res, int32_t today)
{
	struct ingest_sink sink = {.ctx = s, .row = on_row, .reject = on_reject};
	struct ingest_options opt = {
	    .input_dir = dir, .period = {2021 * 12, 2021 * 12 + 11}, .threads = 2, .today = today};
	char err[512] = "";
	int rc;

	memset(s, 0, sizeof(*s));
	rc = ingest_run(&schema, &opt, &sink, res, err, sizeof(err));
	if (rc < 0)
		print_message("ingest_run: %s\n", err);
	return rc;
}

static const struct ingest_file *file_of(const struct ingest_result *res, const char *path)
{
	for (size_t i = 0; i < res->nfiles; i++)
		if (strcmp(res->files[i].path, path) == 0)
			return &res->files[i];
	fail_msg("no file %s", path);
	return NULL;
}

/*
 * Regression: an identical copy "charity (1).csv" doubled the charity
 * figures (no duplicate key catches them); a symlinked folder multiplied them.
 */
static void test_identical_copy_read_once(void **state)
{
	struct sums s;
	struct ingest_result res;
	const struct ingest_file *copy;

	(void)state;
	write_file("charity.csv", charity);
	write_file("charity (1).csv", charity);
	link_to(".", "loop");
	assert_int_equal(run(&s, &res, 0), 0);
	assert_int_equal(s.fen, 12550);
	assert_int_equal(s.rows, 2);
	copy = file_of(&res, "charity (1).csv");
	assert_non_null(copy->same_as);
	assert_string_equal(copy->same_as, "charity.csv");
	assert_int_equal(copy->read, 0);
	assert_ptr_equal(copy->ds, file_of(&res, "charity.csv")->ds);
	assert_string_equal(copy->sha256, file_of(&res, "charity.csv")->sha256);
	assert_null(file_of(&res, "charity.csv")->same_as);
	ingest_result_release(&res);
}

/*
 * Byte for byte only: the same rows with CRLF line ends are another file
 * (left to duplicate keys, which charity has none of): both are read.
 */
static void test_other_line_ends_not_identical(void **state)
{
	struct sums s;
	struct ingest_result res;
	char *crlf = xstrdup("");

	(void)state;
	for (const char *p = charity; *p; p++) {
		char *t = xasprintf("%s%s", crlf, *p == '\n' ? "\r\n" : (char[]){*p, 0});
		free(crlf);
		crlf = t;
	}
	write_file("charity.csv", charity);
	write_file("charity-crlf.csv", crlf);
	free(crlf);
	assert_int_equal(run(&s, &res, 0), 0);
	assert_int_equal(s.fen, 2 * 12550);
	assert_null(file_of(&res, "charity-crlf.csv")->same_as);
	ingest_result_release(&res);
}

/* ------------------------------------------- months, dates and ceilings */

/* Regression: "2021.1" (Excel's number for the text 2021.10) was read as January. */
static void test_month_dot_one_digit_ambiguous(void **state)
{
	static const struct {
		const char *text;
		enum value_error want;
		int32_t month;
	} cases[] = {
	    {"2021.1", VALUE_MONTH_AMBIGUOUS, 0},
	    {"2021.9", VALUE_MONTH_AMBIGUOUS, 0},
	    {"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x91\xef\xbc\x8e\xef\xbc\x91",
	     VALUE_MONTH_AMBIGUOUS, 0}, /* full-width ２０２１．１ */
	    {"2021.01", VALUE_OK, 202101},
	    {"2021.10", VALUE_OK, 202110},
	    {"2021.1.15", VALUE_OK, 202101}, /* a date: Excel leaves two dots as text */
	    {"2021/1", VALUE_OK, 202101},    /* no number loses a zero here */
	    {"2021-1", VALUE_OK, 202101},
	    {"2021年1月", VALUE_OK, 202101},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int32_t m = 0;
		enum value_error e = parse_month(cases[i].text, strlen(cases[i].text), &m);

		if (e != cases[i].want || (e == VALUE_OK && m != cases[i].month))
			fail_msg("parse_month(%s) = %d (%d), want %d (%d)", cases[i].text, e, m,
				 cases[i].want, cases[i].month);
	}
}

/* Regression: the ambiguous month reaches rejects with its own reason. */
static void test_ambiguous_month_rejected(void **state)
{
	struct sums s;
	struct ingest_result res;

	(void)state;
	write_file("children.csv",
		   "身份证号,姓名,区县,儿童类别,项目,发放年月,金额\n"
		   "511622201811117548,孙某,武胜县,社会散居孤儿,基本生活费,2021.1,380.00\n"
		   "511622201811117548,孙某,武胜县,社会散居孤儿,基本生活费,2021.01,380.00\n");
	assert_int_equal(run(&s, &res, 20211231), 0);
	assert_int_equal(s.rows, 1);
	assert_int_equal(s.rejects, 1);
	assert_int_equal(s.last_code, VALUE_MONTH_AMBIGUOUS);
	assert_non_null(strstr(s.last_reason, "2021.10"));
	ingest_result_release(&res);
}

/* Regression: a month or date after the run's date was accepted (2092-01). */
static void test_future_rejected(void **state)
{
	struct sums s;
	struct ingest_result res;

	(void)state;
	write_file("children.csv",
		   "身份证号,姓名,区县,儿童类别,项目,发放年月,金额\n"
		   "511622201811117548,孙某,武胜县,社会散居孤儿,基本生活费,2021-06,380.00\n"
		   "511622201811117548,孙某,武胜县,社会散居孤儿,基本生活费,2021-07,380.00\n");
	write_file("charity.csv", "日期,收支类型,项目名称,区县,金额,受益人次,捐赠方\n"
				  "2021-06-15,捐赠收入,慈善济困,武胜县,100.00,,\n"
				  "2021-06-16,捐赠收入,慈善济困,武胜县,200.00,,\n");
	assert_int_equal(run(&s, &res, 20210615), 0);
	assert_int_equal(s.rows, 2); /* the current month and today are not future */
	assert_int_equal(s.rejects, 2);
	assert_int_equal(res.reasons[VALUE_FUTURE], 2);
	assert_non_null(strstr(s.last_reason, "日期晚于今天（2021-06-15）"));
	assert_int_equal(s.fen, 38000 + 10000);
	ingest_result_release(&res);
}

/* CIVREPORT_TODAY sets the run's date; a malformed one is not taken. */
static void test_today_from_env(void **state)
{
	bool env;

	(void)state;
	setenv("CIVREPORT_TODAY", "2021-06-15", 1);
	assert_int_equal(value_today(&env), 20210615);
	assert_true(env);
	setenv("CIVREPORT_TODAY", "2021-02-30", 1);
	assert_true(value_today(&env) != 20210230);
	assert_false(env);
	unsetenv("CIVREPORT_TODAY");
	assert_true(value_today(&env) > 20240000);
	assert_false(env);
}

/*
 * Regression: 10,000 rows of 9,999,999,999,999.99 summed to a negative
 * total.  A row above its column's ceiling (schema.ini max) is a reject.
 */
static void test_row_over_ceiling_rejected(void **state)
{
	struct sums s;
	struct ingest_result res;

	(void)state;
	write_file("charity.csv", "日期,收支类型,项目名称,区县,金额,受益人次,捐赠方\n"
				  "2021-03-01,捐赠收入,慈善济困,武胜县,\"1,000,000,000.00\",,\n"
				  "2021-03-01,捐赠收入,慈善济困,武胜县,1000000000.01,,\n"
				  "2021-03-01,捐赠收入,慈善济困,武胜县,\"9,999,999,999,999.99\",,\n"
				  "2021-03-01,捐赠收入,慈善济困,武胜县,1.00,100000001,\n");
	assert_int_equal(run(&s, &res, 20211231), 0);
	assert_int_equal(s.rows, 1);
	assert_int_equal(s.fen, 100000000000);
	assert_int_equal(res.reasons[VALUE_CEILING], 3);
	assert_non_null(strstr(s.last_reason, "受益人次超过每行上限 100,000,000"));
	ingest_result_release(&res);
}

static void test_ceiling_reason_money(void **state)
{
	const struct dataset *relief = schema_find(&schema, "relief");
	const struct column *amount = &relief->cols[relief->amount];
	char *why;

	(void)state;
	assert_null(column_over_max(amount, 100000000));
	why = column_over_max(amount, 100000001);
	assert_non_null(why);
	assert_string_equal(why, "发放金额超过每行上限 1,000,000.00 元（金额不像真实数据；上限见 "
				 "schema.ini 的 max）");
	free(why);
}

/* ------------------------------------------------------------ overflow */

static size_t add(struct agg *a, const char *text)
{
	struct query q;
	struct query_error qe;

	if (query_parse(&q, &schema, text, &(struct period){(2021) * 12, (2021) * 12 + 11}, &qe) !=
	    0)
		fail_msg("%s: %s", text, qe.message);
	return agg_add(a, &q);
}

/* One charity row of 2021 in 区县 district with amount fen. */
static void feed(struct agg *a, int district, int64_t fen)
{
	const struct dataset *ds = schema_find(&schema, "charity");
	int64_t v[16] = {0};
	struct ingest_row row = {.windows = WINDOW_CUR, .person = UINT32_MAX, .v = v, .text = ""};
	int c;

	c = dataset_column(ds, "日期");
	v[c] = 20210301;
	row.present |= 1ull << c;
	c = dataset_column(ds, "收支类型");
	v[c] = 0;
	row.present |= 1ull << c;
	c = dataset_column(ds, "区县");
	v[c] = district;
	row.present |= 1ull << c;
	v[ds->amount] = fen;
	row.present |= 1ull << ds->amount;
	agg_row(a, ds, &row);
}

/* Regression: sums wrapped silently past INT64_MAX fen. */
static void test_sum_overflow_flagged(void **state)
{
	struct agg *a = agg_new(&schema, &(struct period){(2021) * 12, (2021) * 12 + 11});
	size_t total = add(a, "charity.amount");
	struct agg *b = agg_new(&schema, &(struct period){(2021) * 12, (2021) * 12 + 11});

	(void)state;
	feed(a, 0, INT64_MAX / 2);
	feed(a, 0, INT64_MAX / 2);
	agg_finish(a);
	assert_null(agg_overflow(a));
	assert_int_equal(agg_value(a, total)->value, INT64_MAX / 2 * 2);
	agg_free(a);

	a = agg_new(&schema, &(struct period){(2021) * 12, (2021) * 12 + 11});
	add(a, "charity.amount");
	for (int i = 0; i < 3; i++)
		feed(a, 0, INT64_MAX / 2);
	agg_finish(a);
	assert_non_null(agg_overflow(a));
	assert_string_equal(agg_overflow(a), "charity.amount");
	agg_free(a);

	/* each group fits, their total does not */
	add(b, "charity.amount by 区县");
	feed(b, 0, INT64_MAX / 2 + 1);
	feed(b, 1, INT64_MAX / 2 + 1);
	agg_finish(b);
	assert_non_null(agg_overflow(b));
	agg_free(b);
}

/* ----------------------------------------------------------- latest */

static int latest(const uint64_t *rows_by_year, const int *years, size_t n, char *why)
{
	struct ingest_result res;

	memset(&res, 0, sizeof(res));
	for (size_t i = 0; i < n; i++)
		res.year_rows[years[i] - INGEST_YEAR_MIN] = rows_by_year[i];
	return ingest_latest_year(&res, why, 512);
}

/* Regression: one typo row dated 2092 made "latest" write a 2092 report. */
static void test_latest_holds_the_bulk(void **state)
{
	char why[512];
	const int years[] = {2020, 2021, 2022, 2092};

	(void)state;
	assert_int_equal(latest((const uint64_t[]){1000, 1200, 1, 1}, years, 4, why), 2021);
	assert_non_null(strstr(why, "选用 2021 年"));
	assert_non_null(strstr(why, "2022 年（1 行）"));
	assert_non_null(strstr(why, "2092 年（1 行）"));
	/* the new year's first weeks are not yet its report */
	assert_int_equal(latest((const uint64_t[]){1000, 1200, 100, 0}, years, 4, why), 2021);
	/* a tenth of the busiest year is enough */
	assert_int_equal(latest((const uint64_t[]){1000, 1200, 120, 0}, years, 4, why), 2022);
	assert_int_equal(latest((const uint64_t[]){0, 0, 0, 0}, years, 4, why), 0);
	assert_non_null(strstr(why, "没有任何有效的年份"));
}

/* The rows of each year, from a real scan: a typo year is counted as what it is. */
static void test_year_rows_counted(void **state)
{
	struct sums s;
	struct ingest_result res;
	char why[512];
	struct strbuf csv = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&csv, "日期,收支类型,项目名称,区县,金额,受益人次,捐赠方\n");
	for (int m = 1; m <= 12; m++)
		strbuf_addf(&csv, "2021-%02d-01,捐赠收入,慈善济困,武胜县,1.00,,\n", m);
	strbuf_addstr(&csv, "2023-04-01,捐赠收入,慈善济困,武胜县,1.00,,\n"
			    "2092-04-01,捐赠收入,慈善济困,武胜县,1.00,,\n");
	write_file("charity.csv", csv.buf);
	strbuf_release(&csv);
	assert_int_equal(run(&s, &res, 20240101), 0);
	assert_int_equal(res.year_rows[2021 - INGEST_YEAR_MIN], 12);
	assert_int_equal(res.year_rows[2023 - INGEST_YEAR_MIN], 1);
	assert_int_equal(res.year_rows[2092 - INGEST_YEAR_MIN], 0); /* a reject: future */
	assert_int_equal(ingest_latest_year(&res, why, sizeof(why)), 2021);
	ingest_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_symlink_loop_entered_once, tmpdir_new,
					    tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_same_file_two_paths, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_dangling_symlink_refused, tmpdir_new,
					    tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_fifo_refused, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_link_outside_refused, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test(test_missing_folder_refused),
	    cmocka_unit_test_setup_teardown(test_unreadable_folder_refused, tmpdir_new,
					    tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_identical_copy_read_once, tmpdir_new,
					    tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_other_line_ends_not_identical, tmpdir_new,
					    tmpdir_remove),
	    cmocka_unit_test(test_month_dot_one_digit_ambiguous),
	    cmocka_unit_test_setup_teardown(test_ambiguous_month_rejected, tmpdir_new,
					    tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_future_rejected, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test(test_today_from_env),
	    cmocka_unit_test_setup_teardown(test_row_over_ceiling_rejected, tmpdir_new,
					    tmpdir_remove),
	    cmocka_unit_test(test_ceiling_reason_money),
	    cmocka_unit_test(test_sum_overflow_flagged),
	    cmocka_unit_test(test_latest_holds_the_bulk),
	    cmocka_unit_test_setup_teardown(test_year_rows_counted, tmpdir_new, tmpdir_remove),
	};

	return cmocka_run_group_tests(tests, schema_setup, schema_teardown);
}
