/*
 * test_ingest_lines.c - ingest_run on files written by the test: line ends
 * (LF, CRLF, a lone CR), quotes left open, chunk cuts at every offset, very
 * wide headers, and the reasons for bytes that are not data (issue 10 items
 * 1, 2, 3, 10 and 25).
 *
 * Every run is checked for both identities of ingest.h:
 * read == accepted + rejected + outside and lines == read + blank + spanned,
 * with lines counted here from the bytes, not by the code under test.
 * The boundary test reads the same file with chunks of 1, 2, ... bytes up
 * to its length and wants the result of the one-chunk read every time.
 *
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

#include "ingest/ingest.h"
#include "ingest/ingest_chunk.h"
#include "ingest/schema.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "ingest_fixture.h"

#define HEADER "身份证号,姓名,区县,乡镇(街道),救助类别,发放年月,发放金额,户号"

/* valid IDs (tests/fixtures/ingest/README.md) */
static const char *const ids[] = {"511602198001150012", "511603197512030022", "511681199006300139",
				  "511621196202280243", "511622201003050357", "511623194811110462"};

/* ------------------------------------------------------------ the sink */

/* Everything a run hands out, as text, so that two runs compare with strcmp. */
struct trace {
	struct strbuf sb;
	size_t rows, rejects;
	struct {
		uint64_t line;
		enum value_error code;
		char *reason;
	} rej[64];
};

static void on_row(void *ctx, const struct dataset *ds, const struct ingest_row *row)
{
	struct trace *t = ctx;

	strbuf_addf(&t->sb,
		    "row %llu slot %d person %u present %llx:", (unsigned long long)row->line,
		    (int)row->windows, row->person, (unsigned long long)row->present);
	for (size_t c = 0; c < ds->ncols; c++) {
		size_t len;
		const char *s;

		if (!(row->present >> c & 1))
			continue;
		if (ds->cols[c].type == COL_TEXT) {
			s = ingest_row_text(row, (int)c, &len);
			strbuf_addch(&t->sb, '|');
			strbuf_add(&t->sb, s, len);
		} else {
			strbuf_addf(&t->sb, "|%lld", (long long)row->v[c]);
		}
	}
	strbuf_addch(&t->sb, '\n');
	t->rows++;
}

static void on_reject(void *ctx, const struct ingest_reject *r)
{
	struct trace *t = ctx;

	strbuf_addf(&t->sb, "reject %s:%llu [%s] %d %s {%s}\n", r->file,
		    (unsigned long long)r->line, r->column, (int)r->code, r->reason, r->row);
	if (t->rejects < 64) {
		t->rej[t->rejects].line = r->line;
		t->rej[t->rejects].code = r->code;
		t->rej[t->rejects].reason = xstrdup(r->reason);
	}
	t->rejects++;
}

static void trace_free(struct trace *t)
{
	for (size_t i = 0; i < t->rejects && i < 64; i++)
		free(t->rej[i].reason);
	strbuf_release(&t->sb);
	memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------- helpers */

/* A fresh folder per test, so that each run reads exactly its files. */
static int dir_new(void **state)
{
	return tmpdir_new(state);
}

static int dir_remove(void **state)
{
	(void)state;
	ingest_set_chunk_sizes(0, 0);
	return tmpdir_remove(state);
}

static void put_file(const char *name, const char *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	free(path);
}

static int run(struct trace *t, struct ingest_result *res)
{
	struct ingest_sink sink = {.ctx = t, .row = on_row, .reject = on_reject};
	struct ingest_options opt = {
	    .input_dir = dir, .period = {2021 * 12, 2021 * 12 + 11}, .threads = 2};
	char err[512] = "";
	int rc;

	memset(t, 0, sizeof(*t));
	rc = ingest_run(&schema, &opt, &sink, res, err, sizeof(err));
	if (rc < 0)
		fail_msg("ingest_run: %s", err);
	return rc;
}

/* Physical lines after the first (the header) in data: LF, CRLF, CR alike. */
static uint64_t lines_after_header(const char *s, size_t len)
{
	uint64_t n = 0;
	size_t i = 0;

	while (i < len) {
		char ch = s[i++];

		if (ch == '\r' && i < len && s[i] == '\n')
			i++;
		if (ch == '\r' || ch == '\n' || i == len)
			n++;
	}
	return n - 1;
}

/* Both identities of ingest.h, for every file. */
static void expect_identities(const struct ingest_result *res)
{
	for (size_t i = 0; i < res->nfiles; i++) {
		const struct ingest_file *f = &res->files[i];

		if (f->error != NULL)
			continue;
		if (f->read != f->accepted + f->rejected + f->outside)
			fail_msg("%s: read %llu != %llu + %llu + %llu", f->path,
				 (unsigned long long)f->read, (unsigned long long)f->accepted,
				 (unsigned long long)f->rejected, (unsigned long long)f->outside);
		if (f->lines != f->read + f->blank + f->spanned)
			fail_msg("%s: lines %llu != read %llu + blank %llu + spanned %llu", f->path,
				 (unsigned long long)f->lines, (unsigned long long)f->read,
				 (unsigned long long)f->blank, (unsigned long long)f->spanned);
	}
}

/* Row i (0..287): a person, month and category of its own, so never a duplicate. */
static void row_line(struct strbuf *sb, int i, const char *town, const char *amount, const char *nl)
{
	static const char *const categories[] = {"城市低保", "农村低保", "特困供养", "临时救助"};

	strbuf_addf(sb, "%s,张三,广安区,%s,%s,2021-%02d,%s,H%03d%s", ids[i % 6], town,
		    categories[i / 72 % 4], i / 6 % 12 + 1, amount, i, nl);
}

/* -------------------------------------------------------- item 2: quotes */

static const char *const line_ends[] = {"\n", "\r\n", "\r"};
static const char *const line_end_names[] = {"LF", "CRLF", "CR"};

/*
 * Regression (issue 10 item 2): a quote opened on line 43 and never closed
 * swallowed every following line up to the next quote (there, a legitimate
 * two-line field on line 61): 18 rows vanished, with CR-only line ends all
 * of them.  Now line 43 alone is rejected, its reason naming it, the lines
 * after it are read again, and the two-line record stays one accepted row.
 */
static void test_unclosed_quote_every_line_end(void **state)
{
	(void)state;
	for (size_t e = 0; e < 3; e++) {
		const char *nl = line_ends[e];
		struct strbuf sb = STRBUF_INIT;
		struct ingest_result res;
		struct trace t;
		char *town;

		strbuf_addf(&sb, "%s%s", HEADER, nl);
		for (int i = 0; i < 100; i++) {
			town = i == 41   ? xstrdup("\"浓洲镇")
			       : i == 59 ? xasprintf("\"九龙%s街道\"", nl)
					 : xstrdup("浓洲镇");
			row_line(&sb, i, town, "520.00", nl);
			free(town);
		}
		put_file("relief.csv", sb.buf, sb.len);
		assert_int_equal(run(&t, &res), 0);
		print_message("%s: read %llu accepted %llu rejected %llu\n", line_end_names[e],
			      (unsigned long long)res.files[0].read,
			      (unsigned long long)res.files[0].accepted,
			      (unsigned long long)res.files[0].rejected);
		expect_identities(&res);
		assert_int_equal(res.files[0].lines, lines_after_header(sb.buf, sb.len));
		assert_int_equal(res.files[0].read, 100);
		assert_int_equal(res.files[0].accepted, 99);
		assert_int_equal(res.files[0].rejected, 1);
		assert_int_equal(res.files[0].spanned, 1);
		assert_int_equal(t.rej[0].line, 43);
		assert_int_equal(t.rej[0].code, VALUE_UNCLOSED_QUOTE);
		assert_non_null(strstr(t.rej[0].reason, "第43行"));
		trace_free(&t);
		ingest_result_release(&res);
		strbuf_release(&sb);
	}
}

/* ----------------------------------------------- item 3: chunk boundaries */

/*
 * A file with every kind of line the parser treats apart: quoted line
 * breaks, a stray quote, a quote left open that swallows lines up to a
 * later quoted field, a blank line, a row of empty fields, a rejected
 * value, an invalid byte and a U+FFFD far apart, an amount whose last digit
 * a cut would drop (520.00), and no line end after the last row.
 */
static void tricky_file(struct strbuf *sb, const char *nl)
{
	char *town;

	strbuf_addf(sb, "%s%s", HEADER, nl);
	for (int i = 0; i < 24; i++) {
		switch (i % 8) {
		case 1:
			town = xasprintf("\"城北%s第%d组\"", nl, i);
			break;
		case 3:
			town = xstrdup(i == 3 ? "奎阁\"东\"街道" : "\"沿口镇");
			break;
		case 5:
			town = xstrdup("\"奎阁\"\"东\"\",街道\"");
			break;
		default:
			town = xstrdup("浓洲镇");
			break;
		}
		if (i == 2) {
			/* an invalid byte early, a U+FFFD late: same verdict in any chunk */
			free(town);
			town = xstrdup("浓洲\xFF镇");
		}
		row_line(sb, i, town,
			 i == 22      ? "1\xEF\xBF\xBD"
			 : i % 7 == 4 ? "4O0"
				      : "520.00",
			 i == 23 ? "" : nl);
		free(town);
		if (i == 9)
			strbuf_addf(sb, "%s,,,,,,,%s", nl, nl);
	}
}

/*
 * Regression (issue 10 item 3): chunks were cut only after an LF, so a
 * CR-only file over 64 MiB was cut mid-record (a 520.00 row accepted as
 * 52.00).  The same file read in chunks of every size from 1 byte to its
 * length must give exactly what one chunk gives, for each line end style.
 */
/*
 * Every chunk size in the normal build; under AddressSanitizer (make test
 * runs both) each read costs ten times as much, so above 64 bytes only
 * every fifth size: the sanitizer looks for memory faults, which the small
 * sizes (a cut at every offset of the first lines) reach already.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SIZE_STEP 5
#else
#define SIZE_STEP 1
#endif

static void test_chunk_boundaries(void **state)
{
	(void)state;
	for (size_t e = 0; e < 3; e++) {
		struct strbuf sb = STRBUF_INIT;
		struct ingest_result base_res;
		struct trace base;

		tricky_file(&sb, line_ends[e]);
		put_file("relief.csv", sb.buf, sb.len);
		ingest_set_chunk_sizes(0, 0);
		assert_int_equal(run(&base, &base_res), 0);
		expect_identities(&base_res);
		assert_int_equal(base_res.files[0].lines, lines_after_header(sb.buf, sb.len));
		assert_true(base_res.files[0].rejected >= 4);
		for (size_t k = 1; k <= sb.len; k += k < 64 ? 1 : SIZE_STEP) {
			struct ingest_result res;
			struct trace t;

			ingest_set_chunk_sizes(k, 0);
			assert_int_equal(run(&t, &res), 0);
			expect_identities(&res);
			if (strcmp(t.sb.buf, base.sb.buf) != 0 ||
			    res.files[0].lines != base_res.files[0].lines)
				fail_msg("%s, chunks of %zu bytes:\n%s\nwant\n%s",
					 line_end_names[e], k, t.sb.buf, base.sb.buf);
			trace_free(&t);
			ingest_result_release(&res);
		}
		ingest_set_chunk_sizes(0, 0);
		trace_free(&base);
		ingest_result_release(&base_res);
		strbuf_release(&sb);
	}
}

/*
 * Regression (review): a first line of spaces was taken as the header by
 * the reader, which skipped only empty lines, while the header parser
 * skipped it: the real header became a data row (read 2, rejected 1) with
 * the default chunk size, and with small chunks the file failed.  Blank
 * lines of spaces and tabs before the header are blank lines, in any chunk.
 */
static void test_blank_lines_before_header(void **state)
{
	static const char *const leads[] = {" \n", "\t \r\n", " \r", "\n  \n"};

	(void)state;
	for (size_t l = 0; l < sizeof(leads) / sizeof(leads[0]); l++) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%s%s\n", leads[l], HEADER);
		for (int i = 0; i < 3; i++)
			row_line(&sb, i, "浓洲镇", "520.00", "\n");
		put_file("relief.csv", sb.buf, sb.len);
		for (size_t k = 0; k <= 64; k += 16) {
			struct ingest_result res;
			struct trace t;

			ingest_set_chunk_sizes(k, 0);
			assert_int_equal(run(&t, &res), 0);
			expect_identities(&res);
			if (res.files[0].read != 3 || res.files[0].accepted != 3)
				fail_msg("lead %zu, chunks of %zu: read %llu, accepted %llu", l, k,
					 (unsigned long long)res.files[0].read,
					 (unsigned long long)res.files[0].accepted);
			trace_free(&t);
			ingest_result_release(&res);
		}
		ingest_set_chunk_sizes(0, 0);
		strbuf_release(&sb);
	}
}

/*
 * A quote left open on line 2 of a file much longer than the record limit:
 * the parser gives up on the record at the limit, rejects line 2 and reads
 * on, whatever the chunk size; no line is lost and memory stays bounded.
 */
static void test_record_limit(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ingest_result res;
	struct trace t;

	(void)state;
	strbuf_addf(&sb, "%s\n", HEADER);
	for (int i = 0; i < 200; i++)
		row_line(&sb, i, i == 0 ? "\"浓洲镇" : "浓洲镇", "520.00", "\r");
	put_file("relief.csv", sb.buf, sb.len);
	for (size_t k = 64; k <= 4096; k *= 4) {
		ingest_set_chunk_sizes(k, 1000);
		assert_int_equal(run(&t, &res), 0);
		expect_identities(&res);
		assert_int_equal(res.files[0].read, 200);
		assert_int_equal(res.files[0].accepted, 199);
		assert_int_equal(t.rej[0].line, 2);
		assert_int_equal(t.rej[0].code, VALUE_UNCLOSED_QUOTE);
		trace_free(&t);
		ingest_result_release(&res);
	}
	strbuf_release(&sb);
}

/* A line longer than the record limit (no line end at all) is refused, never cut. */
static void test_line_too_long(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ingest_result res;
	struct trace t;

	(void)state;
	strbuf_addf(&sb, "%s\n", HEADER);
	row_line(&sb, 0, "浓洲镇", "520.00", "\n");
	for (int i = 0; i < 500; i++)
		strbuf_addstr(&sb, "很长的一行");
	strbuf_addstr(&sb, "\n");
	row_line(&sb, 1, "浓洲镇", "520.00", "\n");
	put_file("relief.csv", sb.buf, sb.len);
	ingest_set_chunk_sizes(256, 1000);
	assert_int_equal(run(&t, &res), 1);
	assert_non_null(res.files[0].error);
	assert_non_null(strstr(res.files[0].error, "没有换行"));
	trace_free(&t);
	ingest_result_release(&res);
	strbuf_release(&sb);
}

/* ------------------------------------------------ items 1 and 25: width */

/* A header of extra unknown columns, then the relief columns; rows to match. */
static void wide_file(size_t extra, size_t rows)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < extra; i++)
		strbuf_addf(&sb, "备注%zu,", i);
	strbuf_addf(&sb, "%s\n", HEADER);
	for (size_t r = 0; r < rows; r++) {
		for (size_t i = 0; i < extra; i++)
			strbuf_addstr(&sb, "x,");
		row_line(&sb, (int)r, "浓洲镇", "520.00", "\n");
	}
	put_file("relief.csv", sb.buf, sb.len);
	strbuf_release(&sb);
}

/*
 * Regression (issue 10 items 1 and 25): the parser kept 512 fields, so with
 * 600 columns the relief columns at the end were "必填项为空" and with 20,000
 * it crashed; the warning listing unknown columns was built in quadratic
 * time and named every one.  Now any width up to a spreadsheet's is read,
 * the list stops at 20 names and a count, and a wider header is refused
 * with an error naming the count.
 */
static void test_wide_header(void **state)
{
	static const size_t widths[] = {600, 5000, 16000};
	struct ingest_result res;
	struct trace t;

	(void)state;
	for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
		char want[64];

		wide_file(widths[w], 3);
		assert_int_equal(run(&t, &res), 0);
		expect_identities(&res);
		if (res.files[0].accepted != 3)
			fail_msg("%zu columns: accepted %llu of 3 (%s)", widths[w],
				 (unsigned long long)res.files[0].accepted,
				 t.rejects ? t.rej[0].reason : "");
		assert_non_null(res.files[0].warning);
		snprintf(want, sizeof(want), "等共%zu列", widths[w]);
		assert_non_null(strstr(res.files[0].warning, want));
		assert_true(strlen(res.files[0].warning) < 1000);
		trace_free(&t);
		ingest_result_release(&res);
	}
	wide_file(20000, 1);
	assert_int_equal(run(&t, &res), 1);
	assert_non_null(res.files[0].error);
	assert_non_null(strstr(res.files[0].error, "20008列"));
	trace_free(&t);
	ingest_result_release(&res);
}

/* ------------------------------------------------------ item 10: reasons */

static const struct trace *one_file(const char *data, size_t len, struct trace *t,
				    struct ingest_result *res)
{
	put_file("relief.csv", data, len);
	assert_int_equal(run(t, res), 0);
	expect_identities(res);
	return t;
}

/* Regression (issue 10 item 10): a NUL byte was "不是有效的UTF-8"/"编码错误". */
static void test_reason_nul(void **state)
{
	static const char data[] =
	    HEADER "\n"
		   "511602198001150012,张三,广安区,浓洲镇,城市低保,2021-01,"
		   "520.00,H001\n"
		   "511603197512030022,李\0四,前锋区,奎阁街道,农村低保,2021-01,"
		   "390.50,H002\n";
	struct ingest_result res;
	struct trace t;

	(void)state;
	one_file(data, sizeof(data) - 1, &t, &res);
	assert_int_equal(t.rejects, 1);
	assert_int_equal(t.rej[0].line, 3);
	assert_int_equal(t.rej[0].code, VALUE_NUL);
	assert_non_null(strstr(t.rej[0].reason, "NUL"));
	assert_non_null(res.files[0].warning);
	assert_non_null(strstr(res.files[0].warning, "第3行"));
	assert_non_null(strstr(res.files[0].warning, "NUL"));
	trace_free(&t);
	ingest_result_release(&res);
}

/*
 * Regression (issue 10 item 10): two exports joined (copy /b a+b): the
 * second one's BOM and header on line 4 were "身份证号应为18位".  Now the
 * reason says the file looks like two exports joined, at line 4, and the
 * rows after it are read.  A second header with other columns fails the
 * file: its rows would be read under the wrong columns.
 */
static void test_reason_joined(void **state)
{
	static const char data[] = "\xEF\xBB\xBF" HEADER "\r\n"
				   "511602198001150012,张三,广安区,浓洲镇,城市低保,2021-01,"
				   "520.00,H001\r\n"
				   "511603197512030022,李四,前锋区,奎阁街道,农村低保,2021-01,"
				   "390.50,H002\r\n"
				   "\xEF\xBB\xBF" HEADER "\r\n"
				   "511681199006300139,王五,华蓥市,双河街道,特困供养,2021-02,"
				   "800,H003\r\n";
	static const char other[] =
	    HEADER "\n"
		   "511602198001150012,张三,广安区,浓洲镇,城市低保,2021-01,"
		   "520.00,H001\n"
		   "姓名,身份证号,区县,乡镇(街道),救助类别,发放年月,发放金额,户号\n"
		   "王五,511681199006300139,华蓥市,双河街道,特困供养,2021-02,"
		   "800,H003\n";
	struct ingest_result res;
	struct trace t;

	(void)state;
	one_file(data, sizeof(data) - 1, &t, &res);
	assert_int_equal(res.files[0].accepted, 3);
	assert_int_equal(t.rejects, 1);
	assert_int_equal(t.rej[0].line, 4);
	assert_int_equal(t.rej[0].code, VALUE_JOINED);
	assert_non_null(strstr(t.rej[0].reason, "第4行"));
	assert_non_null(strstr(t.rej[0].reason, "拼接"));
	trace_free(&t);
	ingest_result_release(&res);

	put_file("relief.csv", other, sizeof(other) - 1);
	assert_int_equal(run(&t, &res), 1);
	assert_non_null(res.files[0].error);
	assert_non_null(strstr(res.files[0].error, "第3行"));
	trace_free(&t);
	ingest_result_release(&res);
}

/*
 * Regression (issue 10 item 10): a UTF-8 file with one GB18030 row appended
 * was decoded wholly as GB18030 (a mojibake header, the file refused).  The
 * header decides: UTF-8, the GB18030 row rejected, the warning names its line.
 */
static void test_encoding_by_header(void **state)
{
	static const char data[] =
	    HEADER "\n"
		   "511602198001150012,张三,广安区,浓洲镇,城市低保,2021-01,"
		   "520.00,H001\n"
		   "511603197512030022,李四,前锋区,奎阁街道,农村低保,2021-01,"
		   "390.50,H002\n"
		   /* 王五,华蓥市,双河街道,特困供养 in GB18030 */
		   "511681199006300139,\xCD\xF5\xCE\xE5,\xBB\xAA\xDD\xBA\xCA\xD0,"
		   "\xCB\xAB\xBA\xD3\xBD\xD6\xB5\xC0,\xCC\xD8\xC0\xA7\xB9\xA9\xD1\xF8,"
		   "2021-02,800,H003\n";
	struct ingest_result res;
	struct trace t;

	(void)state;
	one_file(data, sizeof(data) - 1, &t, &res);
	assert_null(res.files[0].error);
	assert_string_equal(res.files[0].encoding, "UTF-8");
	assert_int_equal(res.files[0].accepted, 2);
	assert_int_equal(t.rejects, 1);
	assert_int_equal(t.rej[0].line, 4);
	assert_int_equal(t.rej[0].code, VALUE_ENCODING);
	assert_non_null(res.files[0].warning);
	assert_non_null(strstr(res.files[0].warning, "第4行"));
	trace_free(&t);
	ingest_result_release(&res);
}

/* Regression (issue 10 item 10): day 32 said "月份应为1到12". */
static void test_reason_day(void **state)
{
	static const char data[] =
	    HEADER "\n"
		   "511602198001150012,张三,广安区,浓洲镇,城市低保,2021-01-32,"
		   "520.00,H001\n";
	struct ingest_result res;
	struct trace t;

	(void)state;
	one_file(data, sizeof(data) - 1, &t, &res);
	assert_int_equal(t.rejects, 1);
	assert_int_equal(t.rej[0].code, VALUE_DATE_RANGE);
	assert_null(strstr(t.rej[0].reason, "月份"));
	assert_non_null(strstr(t.rej[0].reason, "这一天"));
	trace_free(&t);
	ingest_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_unclosed_quote_every_line_end, dir_new,
					    dir_remove),
	    cmocka_unit_test_setup_teardown(test_chunk_boundaries, dir_new, dir_remove),
	    cmocka_unit_test_setup_teardown(test_blank_lines_before_header, dir_new, dir_remove),
	    cmocka_unit_test_setup_teardown(test_record_limit, dir_new, dir_remove),
	    cmocka_unit_test_setup_teardown(test_line_too_long, dir_new, dir_remove),
	    cmocka_unit_test_setup_teardown(test_wide_header, dir_new, dir_remove),
	    cmocka_unit_test_setup_teardown(test_reason_nul, dir_new, dir_remove),
	    cmocka_unit_test_setup_teardown(test_reason_joined, dir_new, dir_remove),
	    cmocka_unit_test_setup_teardown(test_encoding_by_header, dir_new, dir_remove),
	    cmocka_unit_test_setup_teardown(test_reason_day, dir_new, dir_remove),
	};

	return cmocka_run_group_tests(tests, schema_setup, schema_teardown);
}
