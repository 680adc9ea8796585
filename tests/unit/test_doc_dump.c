/*
 * test_doc_dump.c - the doc as stable text (src/doc/doc_dump.c).
 *
 * The dump of fixture_doc() holds every node with its fields, twice the
 * same bytes; an empty doc gives exactly the expected text; strings that
 * hold quotes, line breaks, control bytes, bad UTF-8 or Unicode line
 * separators stay on their one line; values the dump does not know
 * (a new block kind, chart type or run flag) are printed, not dropped;
 * doc_dump_to writes a file or standard output and reports write errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "doc/doc.h"
#include "doc/doc_dump.h"
#include "doc_fixture.h"
#include "util/xalloc.h"

/* The dump of doc as a NUL-terminated string (caller frees). */
static char *dump(const struct doc *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	doc_dump(fp, doc);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle) == NULL)
		fail_msg("the dump lacks:\n%s\n--- dump:\n%s", needle, haystack);
}

/* Every line ends with \n and holds no other control byte. */
static void assert_one_node_per_line(const char *s)
{
	size_t len = strlen(s);

	assert_true(len > 0);
	assert_int_equal(s[len - 1], '\n');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c != '\n' && (c < 0x20 || c == 0x7f))
			fail_msg("control byte 0x%02x at offset %zu", c, i);
	}
}

static void test_fixture_deterministic(void **state)
{
	struct doc *d = fixture_doc();
	char *a = dump(d), *b = dump(d);

	(void)state;
	assert_string_equal(a, b);
	assert_one_node_per_line(a);
	assert_int_equal(strncmp(a, "civreport-doc 1\nmeta\n", 21), 0);
	free(a);
	free(b);
	doc_free(d);
}

static void test_fixture_content(void **state)
{
	struct doc *d = fixture_doc();
	char *s = dump(d);

	(void)state;
	assert_contains(s, "\n  title \"广安市2021年民政工作总结\"\n");
	assert_contains(s, "\n  keywords \"民政, 社会救助, 养老服务\"\n");
	assert_contains(s, "\n  created 1640908800 utc=\"2021-12-31T00:00:00Z\"\n  year 2021\n");
	assert_contains(s, "\n  title_font \"Noto Serif CJK SC\"\n"
			   "  heading1_font \"Noto Sans CJK SC\"\n");
	assert_contains(s, "\n  table_font \"Noto Serif CJK SC\"\n"
			   "  style \"compact\"\n"
			   "  generator \"civreport 0.1.0\"\nblocks 11\n");
	assert_contains(s, "\n  block 0 heading level=1 number=0\n"
			   "    run \"一、兜牢民生保障底线\" plain\n"
			   "  block 1 paragraph level=0 number=0\n"
			   "    run \"今年以来,为\" plain\n"
			   "    run \"26.7万\" figure\n");
	/* every chart type by its template name, with categories and raw values */
	assert_contains(s,
			"    chart bar categories=6 series=1\n"
			"      label \"图1\" title \"各区县城乡低保金发放情况\"\n"
			"      unit fen scale=10000 unit_label=\"万元\" category_label=\"区县\"\n"
			"      category 0 \"广安区\"\n");
	assert_contains(s, "    chart hbar categories=6 series=1\n");
	assert_contains(s, "    chart stacked categories=6 series=2\n");
	assert_contains(s, "    chart line categories=6 series=2\n");
	assert_contains(s, "    chart pie categories=6 series=1\n");
	assert_contains(s, "    chart doughnut categories=6 series=1\n");
	assert_contains(s, "      series 1 \"系列2\" color=none head=\"系列2（元）\" "
			   "head_scaled=\"系列2（万元）\"\n"
			   "        value 0 \"广安区\" raw=3117256172 label=\"3117.2\"\n");
	/* a table: header with summable flags, every cell, the totals row, the note */
	assert_contains(s, "  block 8 table level=0 number=0\n"
			   "    table cols=3 rows=7 has_total=yes\n"
			   "      label \"表1\" title \"各区县城乡低保发放情况\"\n"
			   "      header 0 \"区县\" summable=no\n"
			   "      header 1 \"人数\" summable=yes\n");
	assert_contains(s, "      cell 0,0 \"广安区\" numeric=no raw=0 unit=count scale=0 digits=0 "
			   "den=0\n"
			   "      cell 0,1 \"48213\" numeric=yes raw=48213 unit=count scale=0 "
			   "digits=0 den=0\n"
			   "      cell 0,2 \"62345123.45\" numeric=yes raw=6234512345 unit=fen "
			   "scale=0 digits=0 den=0\n");
	assert_contains(s, "      cell 6,0 \"合计\" numeric=no");
	assert_contains(s, "      note null\n  block 9 heading");
	assert_contains(s, "  block 10 list_item level=1 number=0\n");
	assert_contains(s,
			"figures 1\n  figure 0 expr=\"relief.persons[救助类别=城市低保,农村低保]\" "
			"format=\"万:1\" text=\"26.7万\" raw=266812 unit=count present=yes "
			"den=0 digits=0 label=\"为【26.7万】名城乡困难群众发放低保金3.5亿元\" "
			"unit_label=\"人\"\n");
	/* what the charts show, as text: totals of stacks, shares, value axes */
	/* 6234512345 + 3117256172 fen = 9351.768517 万元 */
	assert_contains(s, "      total 0 \"9351.8\"\n");
	/* 6234512345 of 35015993622 fen = 17.805 % */
	assert_contains(
	    s, "        value 0 \"广安区\" raw=6234512345 label=\"6234.5\" share=\"17.8%\"\n");
	/* labels of four digits without commas: ticks without them too */
	assert_contains(s, "      axis 2 lo=0 hi=10000 step=5000 ticks \"0\" \"5000\" \"10000\"\n");
	/* the appendix: blocks like the body's, tables labelled 附表N, hashes as code */
	assert_contains(s, "appendix 9\n  block 0 heading level=1 number=0\n"
			   "    run \"附录 数据质量与来源\" plain\n");
	assert_contains(s, "      label \"附表1\" title \"输入文件数据质量\"\n");
	assert_contains(s, "      cell 0,3 \"540,012\" numeric=yes raw=540012 unit=count scale=1 "
			   "digits=0 den=0\n");
	assert_contains(
	    s,
	    "      cell 0,2 \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" "
	    "numeric=no raw=0 unit=count scale=1 digits=0 den=0 code\n");
	free(s);
	doc_free(d);
}

/* An empty doc: every section present, NULL strings as null. */
static void test_empty_doc(void **state)
{
	struct doc *d = xcalloc(1, sizeof(*d));
	char *s = dump(d);

	(void)state;
	assert_string_equal(s, "civreport-doc 1\n"
			       "meta\n"
			       "  title null\n"
			       "  organisation null\n"
			       "  author null\n"
			       "  subject null\n"
			       "  keywords null\n"
			       "  date_label null\n"
			       "  created 0 utc=\"1970-01-01T00:00:00Z\"\n"
			       "  year 0\n"
			       "  title_font null\n"
			       "  heading1_font null\n"
			       "  heading2_font null\n"
			       "  body_font null\n"
			       "  table_font null\n"
			       "  style \"compact\"\n"
			       "  generator null\n"
			       "blocks 0\n"
			       "figures 0\n"
			       "appendix 0\n");
	free(s);
	doc_free(d);
}

/* One node stays one line whatever its strings hold. */
static void test_escaping(void **state)
{
	struct doc *d = xcalloc(1, sizeof(*d));
	char *s;

	(void)state;
	d->meta.title = xstrdup("a\"b\\c\nd\re\tf\x01g\x7fh");
	/* 0xff is never UTF-8; 0xc3 without its continuation; a cut-off 3-byte sequence */
	d->meta.organisation = xstrdup("中\xff文\xc3(\xe4\xb8");
	/* U+2028, U+2029 and U+0085 break lines for some readers; U+00E9 is text */
	d->meta.author = xstrdup("x\xe2\x80\xa8y\xe2\x80\xa9z\xc2\x85w\xc3\xa9");
	/* overlong encodings and surrogates are not UTF-8 either */
	d->meta.subject = xstrdup("\xc0\xaf\xed\xa0\x80");
	s = dump(d);
	assert_one_node_per_line(s);
	assert_contains(s, "\n  title \"a\\\"b\\\\c\\nd\\re\\tf\\x01g\\x7fh\"\n");
	assert_contains(s, "\n  organisation \"中\\xff文\\xc3(\\xe4\\xb8\"\n");
	assert_contains(s, "\n  author \"x\\u2028y\\u2029z\\u0085w\xc3\xa9\"\n");
	assert_contains(s, "\n  subject \"\\xc0\\xaf\\xed\\xa0\\x80\"\n");
	free(s);
	doc_free(d);
}

/* A value this version of the dump does not know is printed as a number. */
static void test_unknown_values(void **state)
{
	struct doc *d = xcalloc(1, sizeof(*d));
	struct doc_block *b;
	char *s;

	(void)state;
	b = fixture_block(d, (enum doc_block_kind)42, 0);
	fixture_text(&b->text, "x", DOC_RUN_BOLD | DOC_RUN_CODE | 0x30);
	fixture_text(&b->text, "y", DOC_RUN_ITALIC);
	b = fixture_block(d, DOC_CHART, 0);
	b->chart = fixture_chart((enum chart_type)17, 1);
	b->chart->series[0].color = 0x00c55a11;
	b = fixture_block(d, DOC_PAGE_BREAK, 0);
	b = fixture_block(d, DOC_LIST_ITEM, 2);
	b->list_number = 3;
	s = dump(d);
	assert_contains(s, "  block 0 kind42 level=0 number=0\n"
			   "    run \"x\" bold,code,0x30\n"
			   "    run \"y\" italic\n");
	assert_contains(s, "    chart type17 categories=6 series=1\n");
	/* never finished: no headings */
	assert_contains(s, "      series 0 \"系列1\" color=#c55a11 head=null head_scaled=null\n");
	assert_contains(s, "  block 2 page_break level=0 number=0\n"
			   "  block 3 list_item level=2 number=3\nfigures 0\n");
	free(s);
	doc_free(d);
}

/* doc_dump_to: a file gets the same bytes; a path that cannot be written fails. */
static void test_dump_to(void **state)
{
	struct doc *d = fixture_doc();
	char path[] = "/tmp/test_doc_dump.XXXXXX";
	char *want = dump(d), *got;
	size_t len = strlen(want);
	FILE *fp;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(doc_dump_to(path, d), 0);
	fp = fopen(path, "r");
	assert_non_null(fp);
	got = xcalloc(1, len + 2);
	assert_int_equal(fread(got, 1, len + 1, fp), len);
	fclose(fp);
	assert_string_equal(got, want);
	unlink(path);
	errno = 0;
	assert_int_equal(doc_dump_to("/nonexistent-civreport-dir/doc.txt", d), -1);
	assert_int_equal(errno, ENOENT);
	if (access("/dev/full", W_OK) == 0) {
		assert_int_equal(doc_dump_to("/dev/full", d), -1);
		assert_int_equal(errno, ENOSPC);
	}
	free(got);
	free(want);
	doc_free(d);
}

/* doc_dump_to("-"): standard output, in a child whose stdout is a file. */
static void test_dump_to_stdout(void **state)
{
	struct doc *d = fixture_doc();
	char path[] = "/tmp/test_doc_dump_stdout.XXXXXX";
	char *want = dump(d), *got;
	size_t len = strlen(want);
	int fd = mkstemp(path), status;
	pid_t pid;
	FILE *fp;

	(void)state;
	assert_true(fd >= 0);
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd, STDOUT_FILENO);
		_exit(doc_dump_to("-", d) == 0 ? 0 : 1);
	}
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fp = fopen(path, "r");
	assert_non_null(fp);
	got = xcalloc(1, len + 2);
	assert_int_equal(fread(got, 1, len + 1, fp), len);
	fclose(fp);
	assert_string_equal(got, want);
	unlink(path);
	free(got);
	free(want);
	doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixture_deterministic),
	    cmocka_unit_test(test_fixture_content),
	    cmocka_unit_test(test_empty_doc),
	    cmocka_unit_test(test_escaping),
	    cmocka_unit_test(test_unknown_values),
	    cmocka_unit_test(test_dump_to),
	    cmocka_unit_test(test_dump_to_stdout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
