/*
 * test_ingest.c - ingest_run over the fixture folders in
 * tests/fixtures/ingest/ (one CSV quirk each, see the README there) and over
 * multi-chunk files generated at test time.
 *
 * Each test runs ingest_run with a sink that keeps every accepted row and
 * every reject, then checks per-file counts (read, accepted, rejected,
 * outside and that they reconcile), reject lines (1-based physical lines),
 * columns and reason codes, and some accepted values (fen amounts, enum
 * indexes, masked text, person indexes).  Expected values come from reading
 * the fixture by hand, or, for generated files, from the generator's own
 * bookkeeping while it writes the rows; never from the code under test.
 *
 * The generated folder (about 14 MB, two or three chunks per file, quoted
 * newlines every third row) is read with 1, 2 and 4 threads; the results
 * must be identical and equal to the generator's.  Tests marked "Regression"
 * guard defects found (and fixed) in src/.
 *
 * Run from the repository root (templates/schema.ini, tests/fixtures/...).
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

#include "ingest/ingest.h"
#include "util/log.h"
#include "ingest/schema.h"
#include "util/xalloc.h"

#define FIX     "tests/fixtures/ingest/"
#define MAXCOLS 16

static struct schema schema;
static const struct dataset *relief, *children, *elderly;

/* ------------------------------------------------------ collecting sink */

struct got_row {
	const struct dataset *ds;
	uint64_t line;
	unsigned windows;
	uint32_t person;
	uint64_t present;
	int64_t v[MAXCOLS];
	char *text[MAXCOLS]; /* text columns, NUL-terminated copies */
};

struct got_reject {
	char *file;
	uint64_t line;
	char *column;
	enum value_error code;
	char *reason;
	char *row;
};

struct got {
	struct got_row *rows;
	size_t nrows, rcap;
	struct got_reject *rej;
	size_t nrej, jcap;
	/* digest mode (big files): no copies, an FNV-1a over (line, fen) */
	bool digest_only;
	uint64_t digest, persons_seen, fen;
};

static uint64_t fnv(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}

static void on_row(void *ctx, const struct dataset *ds, const struct ingest_row *row)
{
	struct got *g = ctx;
	struct got_row *r;

	if (g->digest_only) {
		int64_t fen = row->v[ds->amount];

		g->digest = fnv(fnv(g->digest, row->line), (uint64_t)fen);
		g->fen += (uint64_t)fen;
		g->nrows++;
		return;
	}
	assert_true(ds->ncols <= MAXCOLS);
	g->rows = xgrow(g->rows, &g->rcap, g->nrows + 1, sizeof(*g->rows));
	r = &g->rows[g->nrows++];
	memset(r, 0, sizeof(*r));
	r->ds = ds;
	r->line = row->line;
	r->windows = row->windows;
	r->person = row->person;
	r->present = row->present;
	for (size_t c = 0; c < ds->ncols; c++) {
		if (!(row->present >> c & 1))
			continue;
		if (ds->cols[c].type == COL_TEXT) {
			size_t len;
			const char *t = ingest_row_text(row, (int)c, &len);

			r->text[c] = xstrndup(t, len);
		} else {
			r->v[c] = row->v[c];
		}
	}
}

static void on_reject(void *ctx, const struct ingest_reject *rej)
{
	struct got *g = ctx;
	struct got_reject *r;

	g->rej = xgrow(g->rej, &g->jcap, g->nrej + 1, sizeof(*g->rej));
	r = &g->rej[g->nrej++];
	r->file = xstrdup(rej->file);
	r->line = rej->line;
	r->column = xstrdup(rej->column);
	r->code = rej->code;
	r->reason = xstrdup(rej->reason);
	r->row = xstrdup(rej->row);
}

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->nrows && !g->digest_only; i++)
		for (int c = 0; c < MAXCOLS; c++)
			free(g->rows[i].text[c]);
	for (size_t i = 0; i < g->nrej; i++) {
		free(g->rej[i].file);
		free(g->rej[i].column);
		free(g->rej[i].reason);
		free(g->rej[i].row);
	}
	free(g->rows);
	free(g->rej);
	memset(g, 0, sizeof(*g));
}

/* What the fixture tests collect; released by cleanup() even when a test fails. */
static struct got G;
static struct ingest_result R;

static int cleanup(void **state)
{
	(void)state;
	got_free(&G);
	ingest_result_release(&R);
	return 0;
}

static int run_dir(const char *dir, bool want_prev, int threads, struct got *g,
		   struct ingest_result *res)
{
	struct ingest_sink sink = {.ctx = g, .row = on_row, .reject = on_reject};
	struct ingest_options opt = {
	    .input_dir = dir,
	    .period = {2021 * 12, 2021 * 12 + 11},
	    .want = want_prev ? WINDOW_PREV : 0,
	    .threads = threads,
	};
	char err[512] = "";
	int rc = ingest_run(&schema, &opt, &sink, res, err, sizeof(err));

	if (rc < 0)
		print_message("ingest_run(%s): %s\n", dir, err);
	return rc;
}

/* ------------------------------------------------------------ checking */

static const struct ingest_file *file_of(const struct ingest_result *res, const char *path)
{
	for (size_t i = 0; i < res->nfiles; i++)
		if (strcmp(res->files[i].path, path) == 0)
			return &res->files[i];
	fail_msg("no file %s in the result", path);
	return NULL;
}

static void expect_counts(const struct ingest_result *res, const char *path, uint64_t read,
			  uint64_t accepted, uint64_t rejected, uint64_t outside)
{
	const struct ingest_file *f = file_of(res, path);

	if (f->read != read || f->accepted != accepted || f->rejected != rejected ||
	    f->outside != outside)
		fail_msg("%s: read/accepted/rejected/outside %llu/%llu/%llu/%llu, want "
			 "%llu/%llu/%llu/%llu",
			 path, (unsigned long long)f->read, (unsigned long long)f->accepted,
			 (unsigned long long)f->rejected, (unsigned long long)f->outside,
			 (unsigned long long)read, (unsigned long long)accepted,
			 (unsigned long long)rejected, (unsigned long long)outside);
}

/* Every file: read == accepted + rejected + outside. */
static void expect_reconciled(const struct ingest_result *res)
{
	for (size_t i = 0; i < res->nfiles; i++) {
		const struct ingest_file *f = &res->files[i];

		if (f->read != f->accepted + f->rejected + f->outside)
			fail_msg("%s does not reconcile: read %llu != %llu + %llu + %llu", f->path,
				 (unsigned long long)f->read, (unsigned long long)f->accepted,
				 (unsigned long long)f->rejected, (unsigned long long)f->outside);
	}
}

static void expect_lines(const struct got *g, const uint64_t *lines, size_t n)
{
	if (g->nrows != n) {
		for (size_t i = 0; i < g->nrows; i++)
			print_message("  row at line %llu\n", (unsigned long long)g->rows[i].line);
		fail_msg("%zu rows delivered, want %zu", g->nrows, n);
	}
	for (size_t i = 0; i < n; i++)
		if (g->rows[i].line != lines[i])
			fail_msg("row %zu at line %llu, want line %llu", i,
				 (unsigned long long)g->rows[i].line, (unsigned long long)lines[i]);
}

static void expect_reject(const struct got *g, size_t i, const char *file, uint64_t line,
			  const char *column, enum value_error code)
{
	const struct got_reject *r;

	if (i >= g->nrej)
		fail_msg("reject %zu missing (only %zu)", i, g->nrej);
	r = &g->rej[i];
	if (strcmp(r->file, file) != 0 || r->line != line || strcmp(r->column, column) != 0 ||
	    r->code != code)
		fail_msg("reject %zu: %s:%llu [%s] code %d (%s); want %s:%llu [%s] code %d", i,
			 r->file, (unsigned long long)r->line, r->column, r->code, r->reason, file,
			 (unsigned long long)line, column, code);
}

static void expect_nrej(const struct got *g, size_t n)
{
	if (g->nrej != n) {
		for (size_t i = 0; i < g->nrej; i++)
			print_message("  reject %s:%llu [%s] %d %s\n", g->rej[i].file,
				      (unsigned long long)g->rej[i].line, g->rej[i].column,
				      g->rej[i].code, g->rej[i].reason);
		fail_msg("%zu rejects, want %zu", g->nrej, n);
	}
}

static int col(const struct dataset *ds, const char *name)
{
	int c = dataset_column(ds, name);

	assert_true(c >= 0);
	return c;
}

static int64_t val(const struct got_row *r, const char *name)
{
	int c = col(r->ds, name);

	assert_true(r->present >> c & 1);
	return r->v[c];
}

static const char *text(const struct got_row *r, const char *name)
{
	int c = col(r->ds, name);

	assert_true(r->present >> c & 1);
	assert_non_null(r->text[c]);
	return r->text[c];
}

static size_t set_index(const struct dataset *ds)
{
	return (size_t)(ds - schema.sets);
}

/* --------------------------------------------------------------- setup */

static int setup(void **state)
{
	char err[512];

	(void)state;
	log_set_level(LOG_ERROR);
	if (schema_load(&schema, "templates/schema.ini", err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	relief = schema_find(&schema, "relief");
	children = schema_find(&schema, "children");
	elderly = schema_find(&schema, "elderly");
	return relief && children && elderly ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	schema_release(&schema);
	return 0;
}

/* --------------------------------------------------------- the fixtures */

static void test_utf8_plain(void **state)
{
	static const uint64_t lines[] = {2, 3, 4, 5, 6};
	const struct ingest_file *f;
	int64_t fen = 0;

	(void)state;
	assert_int_equal(run_dir(FIX "utf8_plain", false, 1, &G, &R), 0);
	assert_int_equal(R.nfiles, 1);
	expect_counts(&R, "relief_2021.csv", 5, 5, 0, 0);
	expect_reconciled(&R);
	f = file_of(&R, "relief_2021.csv");
	assert_ptr_equal(f->ds, relief);
	assert_string_equal(f->encoding, "UTF-8");
	assert_null(f->error);
	assert_null(f->warning);
	assert_int_equal(f->size, 492);
	assert_string_equal(f->sha256,
			    "bd68408a3f721f245ab8680d57e7a8511e9012bbc126287cef76845f4ad40719");
	expect_lines(&G, lines, 5);
	expect_nrej(&G, 0);
	for (size_t i = 0; i < G.nrows; i++) {
		assert_int_equal(G.rows[i].windows, WINDOW_CUR);
		fen += val(&G.rows[i], "发放金额");
	}
	/* 520.00 + 390.50 + 800 + 1234.5 + 520.00 */
	assert_int_equal(fen, 346500);
	assert_int_equal(val(&G.rows[3], "发放金额"), 123450);
	assert_true(val(&G.rows[3], "身份证号") == 51160219850707124ll);
	assert_int_equal(val(&G.rows[2], "区县"), 2);     /* 华蓥市 */
	assert_int_equal(val(&G.rows[2], "救助类别"), 2); /* 特困供养 */
	assert_int_equal(val(&G.rows[3], "发放年月"), 202103);
	assert_string_equal(text(&G.rows[1], "乡镇(街道)"), "奎阁街道");
	assert_string_equal(text(&G.rows[1], "户号"), "H002");
	/* names arrive masked */
	assert_string_equal(text(&G.rows[0], "姓名"), "张*");
	assert_string_equal(text(&G.rows[3], "姓名"), "欧***");
	/* persons: 张三 twice, so 4 distinct, indexes by first appearance */
	assert_int_equal(R.persons[set_index(relief)], 4);
	assert_int_equal(G.rows[0].person, 0);
	assert_int_equal(G.rows[1].person, 1);
	assert_int_equal(G.rows[3].person, 3);
	assert_int_equal(G.rows[4].person, 0);
	assert_int_equal(R.max_year[set_index(relief)], 2021);
	assert_int_equal(R.reasons[VALUE_OK], 0);
	got_free(&G);
	ingest_result_release(&R);
}

static void test_utf8_bom(void **state)
{
	static const uint64_t lines[] = {2, 3, 4};

	(void)state;
	assert_int_equal(run_dir(FIX "utf8_bom", false, 1, &G, &R), 0);
	expect_counts(&R, "relief.csv", 3, 3, 0, 0);
	expect_reconciled(&R);
	assert_string_equal(file_of(&R, "relief.csv")->encoding, "UTF-8 (BOM)");
	expect_lines(&G, lines, 3);
	/* the BOM did not stick to the first header: 身份证号 was found */
	assert_true(val(&G.rows[0], "身份证号") == 51160219800115001ll);
	assert_int_equal(val(&G.rows[1], "发放金额"), 39050);
	assert_int_equal(val(&G.rows[2], "发放年月"), 202103);
	got_free(&G);
	ingest_result_release(&R);
}

static void test_gb18030(void **state)
{
	static const uint64_t lines[] = {2, 3, 4};

	(void)state;
	assert_int_equal(run_dir(FIX "gb18030", false, 1, &G, &R), 0);
	expect_counts(&R, "relief.csv", 4, 3, 1, 0);
	expect_reconciled(&R);
	assert_string_equal(file_of(&R, "relief.csv")->encoding, "GB18030");
	assert_ptr_equal(file_of(&R, "relief.csv")->ds, relief);
	expect_lines(&G, lines, 3);
	/* text arrives as UTF-8, a four-byte GB18030 character included */
	assert_string_equal(text(&G.rows[1], "乡镇(街道)"), "𠮷祥街道");
	assert_string_equal(text(&G.rows[1], "姓名"), "欧***");
	assert_int_equal(val(&G.rows[1], "发放年月"), 202102); /* 2021年2月 */
	assert_int_equal(val(&G.rows[1], "区县"), 4);          /* 武胜县 */
	assert_int_equal(val(&G.rows[1], "救助类别"), 3);      /* 临时救助 */
	assert_int_equal(val(&G.rows[2], "发放金额"), 30025);
	expect_nrej(&G, 1);
	expect_reject(&G, 0, "relief.csv", 5, "发放金额", VALUE_MONEY_SYNTAX);
	/* the reject row is UTF-8 and masked */
	assert_string_equal(G.rej[0].row,
			    "511623********0462,孙*,邻水县,鼎屏镇,城市低保,2021-04,4O0,H006");
	got_free(&G);
	ingest_result_release(&R);
}

/* crlf/ and lf/ hold the same records; only the line ends differ. */
static void check_line_ends(const char *dir, const char *town)
{
	static const uint64_t lines[] = {2, 3, 7};

	assert_int_equal(run_dir(dir, false, 1, &G, &R), 0);
	expect_counts(&R, "relief.csv", 4, 3, 1, 0);
	expect_reconciled(&R);
	expect_lines(&G, lines, 3);
	assert_string_equal(text(&G.rows[1], "乡镇(街道)"), town);
	assert_string_equal(text(&G.rows[2], "户号"), "H004"); /* no CR left on the last field */
	assert_int_equal(val(&G.rows[2], "发放金额"), 30025);
	expect_nrej(&G, 1);
	expect_reject(&G, 0, "relief.csv", 6, "身份证号", VALUE_ID_CHECK);
	assert_string_equal(G.rej[0].reason, "身份证号：身份证号校验位错误");
	got_free(&G);
	ingest_result_release(&R);
}

static void test_crlf(void **state)
{
	(void)state;
	check_line_ends(FIX "crlf", "奎阁\r\n街道");
}

static void test_lf(void **state)
{
	(void)state;
	check_line_ends(FIX "lf", "奎阁\n街道");
}

static void test_quoted(void **state)
{
	static const uint64_t lines[] = {2, 3, 4, 8};

	(void)state;
	assert_int_equal(run_dir(FIX "quoted", false, 1, &G, &R), 0);
	expect_counts(&R, "relief.csv", 6, 4, 2, 0);
	expect_reconciled(&R);
	expect_lines(&G, lines, 4);
	assert_string_equal(text(&G.rows[0], "乡镇(街道)"), "浓洲镇, 北街");
	assert_int_equal(val(&G.rows[0], "发放金额"), 152000); /* "1,520.00" */
	assert_string_equal(text(&G.rows[1], "乡镇(街道)"), "奎阁\"东\"街道");
	assert_string_equal(text(&G.rows[2], "乡镇(街道)"), "双河\n街道\n三组");
	assert_string_equal(text(&G.rows[3], "乡镇(街道)"), "\"沿口\",\n镇");
	assert_int_equal(val(&G.rows[3], "发放金额"), 100000);
	assert_int_equal(val(&G.rows[3], "发放年月"), 202105);
	expect_nrej(&G, 2);
	/* the line numbers after multi-line records stay physical */
	expect_reject(&G, 0, "relief.csv", 7, "发放年月", VALUE_MONTH_RANGE);
	expect_reject(&G, 1, "relief.csv", 10, "发放金额", VALUE_MONEY_SYNTAX);
	assert_string_equal(G.rej[0].row,
			    "511621********0243,赵*,岳池县,九龙街道,城市低保,2021-13,300,H004");
	assert_string_equal(G.rej[1].row,
			    "511623********0462,孙*,邻水县,鼎屏镇,临时救助,2021-06,abc,H006");
	got_free(&G);
	ingest_result_release(&R);
}

static void test_blank_lines(void **state)
{
	/* a_relief.csv: 2 5 8; b_leading.csv (two blank lines before the header): 4 */
	static const uint64_t lines[] = {2, 5, 8, 4};

	(void)state;
	assert_int_equal(run_dir(FIX "blank_lines", false, 1, &G, &R), 0);
	assert_int_equal(R.nfiles, 2);
	expect_counts(&R, "a_relief.csv", 4, 3, 1, 0);
	expect_counts(&R, "b_leading.csv", 2, 1, 1, 0);
	expect_reconciled(&R);
	expect_lines(&G, lines, 4);
	assert_int_equal(val(&G.rows[2], "发放金额"), 30025);
	assert_int_equal(val(&G.rows[3], "发放金额"), 100000);
	expect_nrej(&G, 2);
	expect_reject(&G, 0, "a_relief.csv", 7, "区县", VALUE_ENUM);
	expect_reject(&G, 1, "b_leading.csv", 6, "发放年月", VALUE_MONTH_RANGE);
	/* the reason names the bad value and lists what is allowed */
	assert_non_null(strstr(G.rej[0].reason, "广安县"));
	assert_non_null(strstr(G.rej[0].reason, "广安区、前锋区、华蓥市、岳池县、武胜县、邻水县"));
	got_free(&G);
	ingest_result_release(&R);
}

static void test_excel_trailing(void **state)
{
	/* a_relief.csv: 2 3 6; b_header_too.csv: 2 4 */
	static const uint64_t lines[] = {2, 3, 6, 2, 4};

	(void)state;
	assert_int_equal(run_dir(FIX "excel_trailing", false, 1, &G, &R), 0);
	/* ",,,,,,,,,,," is a blank line: not read */
	expect_counts(&R, "a_relief.csv", 4, 3, 1, 0);
	expect_counts(&R, "b_header_too.csv", 2, 2, 0, 0);
	expect_reconciled(&R);
	expect_lines(&G, lines, 5);
	assert_string_equal(text(&G.rows[0], "户号"), "H001");
	assert_int_equal(val(&G.rows[2], "发放金额"), 30025);
	assert_int_equal(val(&G.rows[4], "发放金额"), 40000);
	expect_nrej(&G, 1);
	/* real data past the header's columns */
	expect_reject(&G, 0, "a_relief.csv", 5, "", VALUE_COLUMNS);
	assert_null(file_of(&R, "a_relief.csv")->error);
	assert_null(file_of(&R, "b_header_too.csv")->error);
	got_free(&G);
	ingest_result_release(&R);
}

/*
 * Regression (was a bug, fixed): ingest.c recognise(): a header padded by Excel with empty
 * columns ("...,户号,,,") gets the warning "忽略了不认识的列:、、" (three
 * empty names), which tells the officer nothing.  Empty header fields should
 * be ignored silently.
 */
static void test_excel_empty_header_no_warning(void **state)
{
	const char *w;
	char why[512] = "";

	(void)state;
	assert_int_equal(run_dir(FIX "excel_trailing", false, 1, &G, &R), 0);
	w = file_of(&R, "b_header_too.csv")->warning;
	if (w != NULL)
		snprintf(why, sizeof(why), "b_header_too.csv: warning \"%s\", want none", w);
	got_free(&G);
	ingest_result_release(&R);
	if (why[0])
		fail_msg("%s", why);
}

static void test_no_final_newline(void **state)
{
	/* a_accepted_last.csv: 2 3 4; b_rejected_last.csv: 2 3 */
	static const uint64_t lines[] = {2, 3, 4, 2, 3};

	(void)state;
	assert_int_equal(run_dir(FIX "no_final_newline", false, 1, &G, &R), 0);
	expect_counts(&R, "a_accepted_last.csv", 3, 3, 0, 0);
	expect_counts(&R, "b_rejected_last.csv", 3, 2, 1, 0);
	expect_reconciled(&R);
	expect_lines(&G, lines, 5);
	/* the last field of the last line is whole */
	assert_string_equal(text(&G.rows[2], "户号"), "H003");
	assert_int_equal(val(&G.rows[2], "发放金额"), 80050);
	assert_string_equal(text(&G.rows[4], "乡镇(街道)"), "沿口\n镇");
	expect_nrej(&G, 1);
	expect_reject(&G, 0, "b_rejected_last.csv", 5, "发放金额", VALUE_MONEY_SYNTAX);
	assert_string_equal(G.rej[0].row,
			    "511623********0462,孙*,邻水县,鼎屏镇,城市低保,2021-06,4O0,H006");
	got_free(&G);
	ingest_result_release(&R);
}

/*
 * Regression (issue 10 item 2): b_bad.csv opens a quote on line 4 that never
 * closes.  It swallowed line 5 and failed the file ("文件在引号内结束", read
 * 2 of 4 lines).  Now line 4 alone is rejected, its reason naming line 4,
 * and line 5 is read again as a record.
 */
static void test_unterminated_quote(void **state)
{
	static const uint64_t lines[] = {2, 3, 2, 3, 5};
	const struct ingest_file *bad;

	(void)state;
	assert_int_equal(run_dir(FIX "unterminated_quote", false, 1, &G, &R), 0);
	expect_counts(&R, "a_ok.csv", 2, 2, 0, 0);
	assert_null(file_of(&R, "a_ok.csv")->error);
	bad = file_of(&R, "b_bad.csv");
	assert_null(bad->error);
	expect_counts(&R, "b_bad.csv", 4, 3, 1, 0);
	assert_int_equal(bad->lines, 4);
	expect_reconciled(&R);
	expect_lines(&G, lines, 5);
	expect_nrej(&G, 1);
	expect_reject(&G, 0, "b_bad.csv", 4, "", VALUE_UNCLOSED_QUOTE);
	assert_non_null(strstr(G.rej[0].reason, "第4行"));
	assert_int_equal(val(&G.rows[4], "发放金额"), 40000);
	got_free(&G);
	ingest_result_release(&R);
}

static void test_stray_quote(void **state)
{
	static const uint64_t lines[] = {2, 4, 5, 8};

	(void)state;
	assert_int_equal(run_dir(FIX "stray_quote", false, 1, &G, &R), 0);
	assert_null(file_of(&R, "relief.csv")->error);
	expect_counts(&R, "relief.csv", 6, 4, 2, 0);
	expect_reconciled(&R);
	expect_lines(&G, lines, 4);
	assert_string_equal(text(&G.rows[1], "户号"), "H003");
	assert_string_equal(text(&G.rows[2], "乡镇(街道)"), "九龙\n街道");
	assert_int_equal(val(&G.rows[3], "发放金额"), 40000);
	expect_nrej(&G, 2);
	expect_reject(&G, 0, "relief.csv", 3, "", VALUE_QUOTE);
	expect_reject(&G, 1, "relief.csv", 7, "", VALUE_QUOTE);
	assert_int_equal(R.reasons[VALUE_QUOTE], 2);
	got_free(&G);
	ingest_result_release(&R);
}

static void test_header_aliases(void **state)
{
	static const uint64_t lines[] = {2, 3, 4};
	const struct ingest_file *f;

	(void)state;
	assert_int_equal(run_dir(FIX "header_aliases", false, 1, &G, &R), 0);
	f = file_of(&R, "relief.csv");
	assert_ptr_equal(f->ds, relief);
	assert_null(f->warning);
	expect_counts(&R, "relief.csv", 3, 3, 0, 0);
	expect_lines(&G, lines, 3);
	/* 金额（元）,救助类型,身份证号码,所属区县,对象姓名,发放月份,乡镇（街道） */
	assert_int_equal(val(&G.rows[0], "发放金额"), 52000);
	assert_int_equal(val(&G.rows[0], "救助类别"), 0);
	assert_true(val(&G.rows[0], "身份证号") == 51160219800115001ll);
	assert_int_equal(val(&G.rows[0], "区县"), 0);
	assert_string_equal(text(&G.rows[0], "姓名"), "张*");
	assert_int_equal(val(&G.rows[0], "发放年月"), 202101);
	assert_string_equal(text(&G.rows[0], "乡镇(街道)"), "浓洲镇");
	assert_int_equal(val(&G.rows[2], "发放金额"), 100000);
	assert_int_equal(val(&G.rows[2], "救助类别"), 3);
	assert_int_equal(val(&G.rows[2], "区县"), 4);
	assert_int_equal(val(&G.rows[2], "发放年月"), 202105);
	assert_false(G.rows[0].present >> col(relief, "户号") & 1);
	got_free(&G);
	ingest_result_release(&R);
}

static void test_unknown_column(void **state)
{
	static const uint64_t lines[] = {2, 4};
	const struct ingest_file *f;

	(void)state;
	assert_int_equal(run_dir(FIX "unknown_column", false, 1, &G, &R), 0);
	f = file_of(&R, "relief.csv");
	assert_null(f->error);
	assert_non_null(f->warning);
	assert_non_null(strstr(f->warning, "联系电话"));
	expect_counts(&R, "relief.csv", 3, 2, 1, 0);
	expect_lines(&G, lines, 2);
	assert_int_equal(val(&G.rows[0], "发放金额"), 52000);
	assert_int_equal(val(&G.rows[1], "区县"), 2);
	expect_nrej(&G, 1);
	expect_reject(&G, 0, "relief.csv", 3, "发放金额", VALUE_MONEY_SYNTAX);
	/* the unknown column (a phone number) never reaches rejects.csv */
	assert_null(strstr(G.rej[0].row, "13900002222"));
	assert_string_equal(G.rej[0].row,
			    "511603********0022,李*,前锋区,奎阁街道,农村低保,2021-01,39O.50,H002");
	got_free(&G);
	ingest_result_release(&R);
}

static void test_missing_column(void **state)
{
	const struct ingest_file *f;

	(void)state;
	assert_int_equal(run_dir(FIX "missing_column", false, 1, &G, &R), 1);
	f = file_of(&R, "relief.csv");
	assert_non_null(f->error);
	assert_non_null(strstr(f->error, "区县"));
	expect_counts(&R, "relief.csv", 0, 0, 0, 0);
	assert_int_equal(G.nrows, 0);
	assert_int_equal(G.nrej, 0);
	got_free(&G);
	ingest_result_release(&R);
}

static void test_recognised_by_header(void **state)
{
	/* children_wrong_name.csv (relief): 2; export_0001.csv: 2 3 4; sheet1.csv: 2 3 */
	static const uint64_t lines[] = {2, 2, 3, 4, 2, 3};

	(void)state;
	assert_int_equal(run_dir(FIX "recognised_by_header", false, 1, &G, &R), 0);
	assert_int_equal(R.nfiles, 3);
	assert_ptr_equal(file_of(&R, "children_wrong_name.csv")->ds, relief);
	assert_ptr_equal(file_of(&R, "export_0001.csv")->ds, children);
	assert_ptr_equal(file_of(&R, "sheet1.csv")->ds, elderly);
	expect_counts(&R, "children_wrong_name.csv", 1, 1, 0, 0);
	expect_counts(&R, "export_0001.csv", 3, 3, 0, 0);
	expect_counts(&R, "sheet1.csv", 2, 2, 0, 0);
	expect_reconciled(&R);
	expect_lines(&G, lines, 6);
	assert_ptr_equal(G.rows[0].ds, relief);
	assert_ptr_equal(G.rows[1].ds, children);
	assert_int_equal(val(&G.rows[1], "金额"), 120000);
	assert_int_equal(val(&G.rows[2], "项目"), 1);     /* 助学金 */
	assert_int_equal(val(&G.rows[3], "儿童类别"), 1); /* 社会散居孤儿 */
	assert_ptr_equal(G.rows[4].ds, elderly);
	assert_int_equal(val(&G.rows[4], "资金(元)"), 35000000);
	assert_int_equal(val(&G.rows[4], "受益人数"), 120);
	assert_int_equal(val(&G.rows[5], "日期"), 20210901);
	assert_int_equal(val(&G.rows[5], "项目类型"), 5); /* 老龄食堂 */
	assert_int_equal(G.rows[4].person, UINT32_MAX);   /* elderly has no person column */
	assert_int_equal(R.persons[set_index(relief)], 1);
	assert_int_equal(R.persons[set_index(children)], 2);
	assert_int_equal(R.persons[set_index(elderly)], 0);
	got_free(&G);
	ingest_result_release(&R);
}

static void test_duplicates(void **state)
{
	static const uint64_t lines[] = {2, 3, 5, 6};
	int64_t fen = 0;

	(void)state;
	assert_int_equal(run_dir(FIX "duplicates", false, 1, &G, &R), 0);
	expect_counts(&R, "relief.csv", 7, 4, 2, 1);
	expect_reconciled(&R);
	expect_lines(&G, lines, 4);
	for (size_t i = 0; i < G.nrows; i++)
		fen += val(&G.rows[i], "发放金额");
	assert_int_equal(fen, 243050); /* 520 + 520 + 1000 + 390.50: no duplicate summed */
	expect_nrej(&G, 2);
	expect_reject(&G, 0, "relief.csv", 4, "身份证号", VALUE_DUPLICATE);
	expect_reject(&G, 1, "relief.csv", 7, "身份证号", VALUE_DUPLICATE); /* 2021/3 = 2021-03 */
	assert_non_null(strstr(G.rej[0].reason, "重复"));
	/*
	 * the duplicate's row is rebuilt from values, masked, in the file's
	 * columns like every other reject's row (regression, issue 10 item 10:
	 * it carried two extra empty columns, the schema's columns the file
	 * lacks)
	 */
	assert_string_equal(G.rej[0].row,
			    "511602********0012,张*,广安区,浓洲镇,城市低保,2021-01,520.00,H001");
	assert_int_equal(R.reasons[VALUE_DUPLICATE], 2);
	assert_int_equal(R.persons[set_index(relief)], 2);
	got_free(&G);
	ingest_result_release(&R);
}

static void test_prev_year(void **state)
{
	static const uint64_t year_lines[] = {2, 7};
	static const uint64_t all_lines[] = {2, 3, 4, 7};
	static const unsigned slots[] = {WINDOW_CUR, WINDOW_PREV | WINDOW_LAST,
					 WINDOW_PREV | WINDOW_LAST, WINDOW_CUR};

	(void)state;
	/* without want_prev: 2020, 2019 and 2022 rows are only counted */
	assert_int_equal(run_dir(FIX "prev_year", false, 1, &G, &R), 0);
	expect_counts(&R, "relief.csv", 6, 2, 0, 4);
	expect_reconciled(&R);
	expect_lines(&G, year_lines, 2);
	assert_int_equal(G.rows[0].windows, WINDOW_CUR);
	assert_int_equal(G.rows[1].windows, WINDOW_CUR);
	assert_int_equal(R.max_year[set_index(relief)], 2022);
	got_free(&G);
	ingest_result_release(&R);

	/* with want_prev: the 2020 rows are delivered in slot WINDOW_PREV, still "outside" */
	assert_int_equal(run_dir(FIX "prev_year", true, 1, &G, &R), 0);
	expect_counts(&R, "relief.csv", 6, 2, 0, 4);
	expect_reconciled(&R);
	expect_lines(&G, all_lines, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(G.rows[i].windows, slots[i]);
	assert_int_equal(val(&G.rows[1], "发放金额"), 50000);
	assert_int_equal(val(&G.rows[1], "发放年月"), 202012);
	assert_int_equal(val(&G.rows[2], "发放金额"), 39050);
	assert_int_equal(G.rows[1].person, G.rows[0].person);
	assert_true(R.has_prev[set_index(relief)]);
	assert_false(R.has_prev[set_index(children)]);
	assert_int_equal(R.max_year[set_index(relief)], 2022);
	assert_int_equal(R.persons[set_index(relief)], 2);
	got_free(&G);
	ingest_result_release(&R);
}

static void check_invalid_utf8(const char *dir, const char *encoding)
{
	static const uint64_t lines[] = {2, 4};
	const struct ingest_file *f;

	run_dir(dir, false, 1, &G, &R);
	f = file_of(&R, "relief.csv");
	if (f->error != NULL || strcmp(f->encoding, encoding) != 0) {
		char why[1024];

		snprintf(why, sizeof(why), "%s/relief.csv read as %s, error \"%s\"", dir,
			 f->encoding, f->error ? f->error : "");
		got_free(&G);
		ingest_result_release(&R);
		fail_msg("%s", why);
	}
	assert_non_null(f->warning);
	expect_counts(&R, "relief.csv", 3, 2, 1, 0);
	expect_lines(&G, lines, 2);
	assert_string_equal(text(&G.rows[0], "姓名"), "张*");
	assert_string_equal(text(&G.rows[1], "姓名"), "王*");
	expect_nrej(&G, 1);
	expect_reject(&G, 0, "relief.csv", 3, "姓名", VALUE_ENCODING);
	assert_int_equal(R.reasons[VALUE_ENCODING], 1);
	got_free(&G);
	ingest_result_release(&R);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	check_invalid_utf8(FIX "invalid_utf8", "UTF-8 (BOM)");
}

/*
 * Regression (was a bug, fixed): ingest.c detect_encoding(): a UTF-8 file without a BOM whose first
 * 64 KiB hold a single invalid byte is taken for GB18030; its Chinese header
 * then decodes to nonsense and the whole file fails ("无法识别文件属于哪类数
 * 据:表头中没有认识的列(找到的列:韬唤璇佸彿、...)"), where the bad row alone
 * should be rejected with VALUE_ENCODING, as it is with a BOM.
 */
static void test_invalid_utf8_nobom(void **state)
{
	(void)state;
	check_invalid_utf8(FIX "invalid_utf8_nobom", "UTF-8");
}

static void test_gb18030_invalid(void **state)
{
	static const uint64_t lines[] = {2, 4};
	const struct ingest_file *f;

	(void)state;
	assert_int_equal(run_dir(FIX "gb18030_invalid", false, 1, &G, &R), 0);
	f = file_of(&R, "relief.csv");
	assert_string_equal(f->encoding, "GB18030");
	assert_null(f->error);
	assert_non_null(f->warning);
	expect_counts(&R, "relief.csv", 3, 2, 1, 0);
	expect_lines(&G, lines, 2);
	assert_string_equal(text(&G.rows[1], "乡镇(街道)"), "双河街道");
	expect_nrej(&G, 1);
	expect_reject(&G, 0, "relief.csv", 3, "姓名", VALUE_ENCODING);
	got_free(&G);
	ingest_result_release(&R);
}

/*
 * Regression (was a bug, fixed): ingest_parse.c chunk_parse(): after a stray character that follows
 * the closing quote of a multi-line field ("奎阁\n街道"x on lines 3-4), the
 * parser resumes on line 5 but counts only one line for the bad record
 * (p->line += p->row_newlines + 1, and the unfinished field's newline is
 * not in row_newlines yet), so every later line number is one too small:
 * the row on line 5 is reported as line 4, the bad amount on line 6 as 5.
 */
static void test_stray_after_quoted_newline(void **state)
{
	static const uint64_t lines[] = {2, 5};

	(void)state;
	assert_int_equal(run_dir(FIX "stray_after_quoted_newline", false, 1, &G, &R), 0);
	/*
	 * The record of lines 3-4 breaks after its quoted line break: line 3
	 * is rejected alone and line 4 read again (a stray quote of its own),
	 * so every physical line is counted (issue 10 item 2).
	 */
	expect_counts(&R, "relief.csv", 5, 2, 3, 0);
	expect_nrej(&G, 3);
	expect_reject(&G, 0, "relief.csv", 3, "", VALUE_UNCLOSED_QUOTE);
	expect_reject(&G, 1, "relief.csv", 4, "", VALUE_QUOTE);
	expect_reject(&G, 2, "relief.csv", 6, "发放金额", VALUE_MONEY_SYNTAX);
	expect_lines(&G, lines, 2);
	got_free(&G);
	ingest_result_release(&R);
}

/*
 * A file's counts and ingest_result.persons must not depend on want_prev,
 * i.e. on whether some template happens to use @prev: rows of the previous
 * year are always admitted (duplicates caught, persons indexed) and only
 * handed to the sink when asked for.  In prev_year_duplicate/ (one 2021 row
 * of 张三, the same 2020 payment twice, one 2020 row of 李四):
 * read 4 = 1 accepted + 1 rejected (the 2020 duplicate) + 2 outside, and 2
 * persons (张三 and 李四) either way.
 */
static void test_prev_year_counts_independent(void **state)
{
	const struct ingest_file *f;
	uint64_t c[2][4];
	size_t persons[2];

	(void)state;
	for (int k = 0; k < 2; k++) {
		assert_int_equal(run_dir(FIX "prev_year_duplicate", k == 1, 1, &G, &R), 0);
		f = file_of(&R, "relief.csv");
		c[k][0] = f->read;
		c[k][1] = f->accepted;
		c[k][2] = f->rejected;
		c[k][3] = f->outside;
		persons[k] = R.persons[set_index(relief)];
		expect_reconciled(&R);
		got_free(&G);
		ingest_result_release(&R);
	}
	/* without want_prev, by hand: */
	assert_int_equal(c[0][0], 4);
	assert_int_equal(c[0][1], 1);
	assert_int_equal(c[0][2], 1);
	assert_int_equal(c[0][3], 2);
	assert_int_equal(persons[0], 2);
	if (memcmp(c[0], c[1], sizeof(c[0])) != 0 || persons[0] != persons[1])
		fail_msg("with want_prev: read/accepted/rejected/outside %llu/%llu/%llu/%llu, "
			 "persons %zu; without: %llu/%llu/%llu/%llu, persons %zu",
			 (unsigned long long)c[1][0], (unsigned long long)c[1][1],
			 (unsigned long long)c[1][2], (unsigned long long)c[1][3], persons[1],
			 (unsigned long long)c[0][0], (unsigned long long)c[0][1],
			 (unsigned long long)c[0][2], (unsigned long long)c[0][3], persons[0]);
}

static void test_bad_values(void **state)
{
	static const uint64_t lines[] = {2, 15};
	static const struct {
		uint64_t line;
		const char *column;
		enum value_error code;
	} want[] = {
	    {3, "身份证号", VALUE_ID_CHECK},     {4, "区县", VALUE_ENUM},
	    {5, "发放金额", VALUE_MONEY_SYNTAX}, {6, "发放年月", VALUE_MONTH_RANGE},
	    {7, "救助类别", VALUE_EMPTY},        {8, "身份证号", VALUE_ID_BIRTH},
	    {9, "身份证号", VALUE_ID_LENGTH},    {10, "发放金额", VALUE_MONEY_DECIMALS},
	    {11, "发放金额", VALUE_NEGATIVE},    {12, "救助类别", VALUE_ENUM},
	    {13, "身份证号", VALUE_EMPTY},       {14, "区县", VALUE_EMPTY},
	};

	(void)state;
	assert_int_equal(run_dir(FIX "bad_values", false, 1, &G, &R), 0);
	expect_counts(&R, "relief.csv", 14, 2, 12, 0);
	expect_reconciled(&R);
	expect_lines(&G, lines, 2);
	expect_nrej(&G, 12);
	for (size_t i = 0; i < 12; i++)
		expect_reject(&G, i, "relief.csv", want[i].line, want[i].column, want[i].code);
	assert_string_equal(G.rej[0].reason, "身份证号：身份证号校验位错误");
	assert_non_null(strstr(G.rej[1].reason, "广安县"));
	assert_non_null(strstr(G.rej[1].reason, "广安区、前锋区、华蓥市、岳池县、武胜县、邻水县"));
	assert_non_null(strstr(G.rej[9].reason, "城镇低保"));
	assert_non_null(strstr(G.rej[9].reason, "城市低保、农村低保、特困供养、临时救助"));
	assert_string_equal(G.rej[11].reason, "区县：必填项为空");
	assert_string_equal(G.rej[11].row, "511623********0462,孙*");
	assert_int_equal(R.reasons[VALUE_ENUM], 2);
	assert_int_equal(R.reasons[VALUE_EMPTY], 3);
	assert_int_equal(R.reasons[VALUE_ID_CHECK], 1);
	assert_int_equal(R.reasons[VALUE_ID_BIRTH], 1);
	assert_int_equal(R.reasons[VALUE_ID_LENGTH], 1);
	assert_int_equal(R.reasons[VALUE_MONEY_SYNTAX], 1);
	assert_int_equal(R.reasons[VALUE_MONEY_DECIMALS], 1);
	assert_int_equal(R.reasons[VALUE_NEGATIVE], 1);
	assert_int_equal(R.reasons[VALUE_MONTH_RANGE], 1);
	got_free(&G);
	ingest_result_release(&R);
}

static void test_no_input(void **state)
{
	struct ingest_sink sink = {.ctx = NULL, .row = on_row, .reject = on_reject};
	struct ingest_options opt = {
	    .input_dir = FIX "does_not_exist", .period = {2021 * 12, 2021 * 12 + 11}, .threads = 1};
	char err[512] = "";

	(void)state;
	assert_int_equal(ingest_run(&schema, &opt, &sink, &R, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "does_not_exist"));
	ingest_result_release(&R);
}

/* ------------------------------------------------------- generated files */

static char tmpdir[64];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The check character, computed here independently of value.c. */
static char check_char(const char *d17)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int s = 0;

	for (int i = 0; i < 17; i++)
		s += (d17[i] - '0') * w[i];
	return "10X98765432"[s % 11];
}

#define NPERSONS 4000

struct expected {
	uint64_t read, accepted, rejected, outside;
	uint64_t fen, digest;
	uint64_t rej_line[512];
	enum value_error rej_code[512];
	const char *rej_file[512];
	size_t nrej;
	bool person_seen[NPERSONS];
	size_t persons;
};

static const char *const districts[] = {"广安区", "前锋区", "华蓥市", "岳池县", "武胜县", "邻水县"};
static const char *const categories[] = {"城市低保", "农村低保", "特困供养", "临时救助"};

/* Person p's ID: birth year, month and day are a mixed-radix spelling of p. */
static void person_id(int p, bool bad_check, char id[19])
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), "511602%04d%02d%02d001", 1950 + p % 50, p / 50 % 12 + 1,
		 p / 600 + 1);
	assert_int_equal(strlen(tmp), 17);
	memcpy(id, tmp, 17);
	id[17] = check_char(id);
	if (bad_check)
		id[17] = id[17] == '0' ? '1' : '0';
	id[18] = '\0';
}

/*
 * Write rows first..first+n-1 of the global row sequence to path.  Row i is
 * person i % NPERSONS, category (i / NPERSONS) % 4, month (i / NPERSONS / 4)
 * % 12 + 1, so no (person, category, month) repeats below 192000 rows.  Every
 * third row has a quoted newline, every third + 1 quotes and a comma.
 * Some rows are special: a wrong check character (rejected), a 2020 month
 * (outside), an exact copy right after the row (a duplicate), and, when
 * stray_at >= 0, a stray quote in that row.
 */
static void gen_file(const char *name, long first, long n, const char *nl, long stray_at,
		     struct expected *e)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *fp = fopen(path, "wb");
	uint64_t line = 1;

	assert_non_null(fp);
	fprintf(fp, "身份证号,姓名,区县,乡镇(街道),救助类别,发放年月,发放金额,户号%s", nl);
	for (long i = first; i < first + n; i++) {
		int p = (int)(i % NPERSONS), cat = (int)(i / NPERSONS % 4);
		int month = (int)(i / NPERSONS / 4 % 12 + 1);
		bool bad = i % 997 == 500, outside = i % 491 == 7, dup = i % 1499 == 3;
		bool stray = i == stray_at;
		long long fen = 10000 + (i % 5000) * 7 + i % 100;
		char id[19], town[64];
		int copies = dup && !bad && !outside && !stray ? 2 : 1;

		person_id(p, bad, id);
		if (stray)
			snprintf(town, sizeof(town), "浓洲\"镇");
		else if (i % 3 == 0)
			snprintf(town, sizeof(town), "\"城北%s第%ld组\"", nl, i % 50);
		else if (i % 3 == 1)
			snprintf(town, sizeof(town), "\"奎阁\"\"东\"\",街道\"");
		else
			snprintf(town, sizeof(town), "浓洲镇");
		for (int k = 0; k < copies; k++) {
			uint64_t start = ++line;

			fprintf(fp, "%s,张三,%s,%s,%s,%d-%02d,%lld.%02lld,H%04d%s", id,
				districts[p % 6], town, categories[cat], outside ? 2020 : 2021,
				month, fen / 100, fen % 100, p, nl);
			if (i % 3 == 0 && !stray)
				line++;
			e->read++;
			if (bad || stray || k == 1) {
				assert_true(e->nrej < 512);
				e->rej_line[e->nrej] = start;
				e->rej_code[e->nrej] = stray ? VALUE_QUOTE
						       : bad ? VALUE_ID_CHECK
							     : VALUE_DUPLICATE;
				e->rej_file[e->nrej++] = name;
				e->rejected++;
			} else if (outside) {
				e->outside++;
			} else {
				e->accepted++;
				e->fen += (uint64_t)fen;
				e->digest = fnv(fnv(e->digest, start), (uint64_t)fen);
				if (!e->person_seen[p]) {
					e->person_seen[p] = true;
					e->persons++;
				}
			}
		}
	}
	assert_int_equal(fclose(fp), 0);
	free(path);
}

static void expect_generated_rejects(const struct got *g, const struct expected *e)
{
	expect_nrej(g, e->nrej);
	for (size_t i = 0; i < e->nrej; i++)
		expect_reject(g, i, e->rej_file[i], e->rej_line[i],
			      e->rej_code[i] == VALUE_QUOTE ? "" : "身份证号", e->rej_code[i]);
}

static int setup_big(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/civreport-ingest-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_big(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void digest_run(int threads, struct got *g, struct ingest_result *res)
{
	memset(g, 0, sizeof(*g));
	g->digest_only = true;
	g->digest = 0xcbf29ce484222325ull;
	assert_int_equal(run_dir(tmpdir, false, threads, g, res), 0);
}

static void test_threads_identical(void **state)
{
	static const int threads[] = {1, 2, 4};
	struct expected *e = xcalloc(1, sizeof(*e));
	struct got base = {0};
	struct ingest_result base_res;

	(void)state;
	e->digest = 0xcbf29ce484222325ull;
	/*
	 * About 8.7 MB LF and 4.9 MB CRLF.  The reader cuts each chunk from a
	 * buffer of 2 to 4 MiB, so that is three and two chunks.
	 */
	gen_file("a_big_lf.csv", 0, 100000, "\n", -1, e);
	gen_file("b_big_crlf.csv", 100000, 55000, "\r\n", -1, e);
	for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		struct got g;
		struct ingest_result res;
		uint64_t read = 0, acc = 0, rej = 0, out = 0;

		digest_run(threads[t], &g, &res);
		assert_int_equal(res.nfiles, 2);
		expect_reconciled(&res);
		for (size_t i = 0; i < res.nfiles; i++) {
			assert_null(res.files[i].error);
			read += res.files[i].read;
			acc += res.files[i].accepted;
			rej += res.files[i].rejected;
			out += res.files[i].outside;
		}
		assert_int_equal(read, e->read);
		assert_int_equal(acc, e->accepted);
		assert_int_equal(rej, e->rejected);
		assert_int_equal(out, e->outside);
		assert_int_equal(g.nrows, e->accepted);
		assert_int_equal(g.fen, e->fen);
		assert_int_equal(res.persons[set_index(relief)], e->persons);
		/* every accepted row at its physical line with its amount, in order */
		assert_int_equal(g.digest, e->digest);
		expect_generated_rejects(&g, e);
		if (t == 0) {
			base = g;
			base_res = res;
			continue;
		}
		/* and the same as with one thread, field by field */
		for (size_t i = 0; i < res.nfiles; i++) {
			assert_string_equal(res.files[i].path, base_res.files[i].path);
			assert_string_equal(res.files[i].sha256, base_res.files[i].sha256);
			assert_int_equal(res.files[i].accepted, base_res.files[i].accepted);
		}
		for (size_t i = 0; i < g.nrej; i++) {
			assert_string_equal(g.rej[i].reason, base.rej[i].reason);
			assert_string_equal(g.rej[i].row, base.rej[i].row);
		}
		assert_memory_equal(res.reasons, base_res.reasons, sizeof(res.reasons));
		got_free(&g);
		ingest_result_release(&res);
	}
	got_free(&base);
	ingest_result_release(&base_res);
	free(e);
}

/*
 * Regression (was a bug, fixed): ingest.c cut_point(): chunks are cut at the last newline preceded
 * by an even number of quotes.  One stray quote (an odd count) inverts that test for the rest of
 * the buffer, so the cut can land on a newline inside a later quoted field; the chunk then ends
 * inside quotes and the whole file fails with "缺少结束引号" instead of rejecting the one bad row.
 * Needs a file over 2 MiB (more than one chunk).
 */
static void test_big_stray_quote(void **state)
{
	struct expected *e = xcalloc(1, sizeof(*e));
	struct got g;
	struct ingest_result res;
	const struct ingest_file *f;

	(void)state;
	e->digest = 0xcbf29ce484222325ull;
	gen_file("a_stray.csv", 0, 60000, "\n", 12, e);
	memset(&g, 0, sizeof(g));
	g.digest_only = true;
	g.digest = 0xcbf29ce484222325ull;
	run_dir(tmpdir, false, 2, &g, &res);
	f = file_of(&res, "a_stray.csv");
	if (f->error != NULL) {
		char why[1024];

		snprintf(why, sizeof(why), "a_stray.csv failed as a whole: %s", f->error);
		got_free(&g);
		ingest_result_release(&res);
		free(e);
		fail_msg("%s", why);
	}
	expect_counts(&res, "a_stray.csv", e->read, e->accepted, e->rejected, e->outside);
	assert_int_equal(g.digest, e->digest);
	expect_generated_rejects(&g, e);
	got_free(&g);
	ingest_result_release(&res);
	free(e);
}

/*
 * Regression (was a bug, fixed): ingest.c read_header(): after a title row
 * its fields were freed but their count kept, so a next row that does not
 * parse (a quote left open) freed them again: a crash on a file of two lines.
 */
static void test_title_then_open_quote(void **state)
{
	char path[128];
	FILE *fp;
	const struct ingest_file *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/relief.csv", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("广安市2021年城乡低保发放明细表\n\"abc,def\n", fp);
	assert_int_equal(fclose(fp), 0);
	memset(&G, 0, sizeof(G));
	assert_int_equal(run_dir(tmpdir, false, 1, &G, &R), 1);
	f = file_of(&R, "relief.csv");
	assert_non_null(f->error);
	got_free(&G);
	ingest_result_release(&R);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_utf8_plain, cleanup),
	    cmocka_unit_test_teardown(test_utf8_bom, cleanup),
	    cmocka_unit_test_teardown(test_gb18030, cleanup),
	    cmocka_unit_test_teardown(test_crlf, cleanup),
	    cmocka_unit_test_teardown(test_lf, cleanup),
	    cmocka_unit_test_teardown(test_quoted, cleanup),
	    cmocka_unit_test_teardown(test_blank_lines, cleanup),
	    cmocka_unit_test_teardown(test_excel_trailing, cleanup),
	    cmocka_unit_test_teardown(test_excel_empty_header_no_warning, cleanup),
	    cmocka_unit_test_teardown(test_no_final_newline, cleanup),
	    cmocka_unit_test_teardown(test_unterminated_quote, cleanup),
	    cmocka_unit_test_teardown(test_stray_quote, cleanup),
	    cmocka_unit_test_teardown(test_header_aliases, cleanup),
	    cmocka_unit_test_teardown(test_unknown_column, cleanup),
	    cmocka_unit_test_teardown(test_missing_column, cleanup),
	    cmocka_unit_test_teardown(test_recognised_by_header, cleanup),
	    cmocka_unit_test_teardown(test_duplicates, cleanup),
	    cmocka_unit_test_teardown(test_prev_year, cleanup),
	    cmocka_unit_test_teardown(test_invalid_utf8, cleanup),
	    cmocka_unit_test_teardown(test_invalid_utf8_nobom, cleanup),
	    cmocka_unit_test_teardown(test_gb18030_invalid, cleanup),
	    cmocka_unit_test_teardown(test_stray_after_quoted_newline, cleanup),
	    cmocka_unit_test_teardown(test_prev_year_counts_independent, cleanup),
	    cmocka_unit_test_teardown(test_bad_values, cleanup),
	    cmocka_unit_test_teardown(test_no_input, cleanup),
	    cmocka_unit_test_setup_teardown(test_threads_identical, setup_big, teardown_big),
	    cmocka_unit_test_setup_teardown(test_big_stray_quote, setup_big, teardown_big),
	    cmocka_unit_test_setup_teardown(test_title_then_open_quote, setup_big, teardown_big),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
