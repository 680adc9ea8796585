/*
 * test_report.c - the content the doc stage owns: the data-quality and
 * provenance tables of report.c (one vocabulary, totals that reconcile,
 * 附表 numbers without gaps) and doc_chart_finish() (every number a chart
 * shows, as text); and the plain-text table that prints them.  Expected texts were worked out by
 * hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "doc/report.h"
#include "render/text/text_table.h"
#include "util/version.h"
#include "util/xalloc.h"

static char relief_name[] = "relief", relief_title[] = "社会救助发放明细";
static char charity_name[] = "charity", charity_title[] = "慈善收支明细";
static struct dataset sets[2] = {{.name = relief_name, .title = relief_title},
				 {.name = charity_name, .title = charity_title}};
static const struct schema schema = {.sets = sets, .nsets = 2};
static char path_a[] = "a.csv", path_b[] = "b.csv";

/* Two relief files; b has one row that does not reconcile when unbalanced. */
static void two_files(struct ingest_file f[2], bool unbalanced)
{
	memset(f, 0, 2 * sizeof(*f));
	f[0] = (struct ingest_file){.path = path_a,
				    .ds = &sets[0],
				    .encoding = "UTF-8",
				    .size = 1234567,
				    .read = 1000,
				    .accepted = 990,
				    .rejected = 7,
				    .outside = 3};
	f[1] = (struct ingest_file){.path = path_b,
				    .ds = &sets[0],
				    .encoding = "GB18030",
				    .size = 10,
				    .read = 20,
				    .accepted = 20 - (unbalanced ? 1 : 0)};
	memset(f[0].sha256, 'a', 64);
	memset(f[1].sha256, 'b', 64);
}

static const char *text(struct doc_table *t, size_t r, size_t c)
{
	return doc_table_cell(t, r, c)->text;
}

static void test_files_table(void **state)
{
	struct ingest_file f[2];
	struct ingest_result res = {.files = f, .nfiles = 2};
	struct doc_table *t;

	(void)state;
	two_files(f, false);
	t = report_files_table(&res, "附表1");
	assert_string_equal(t->label, "附表1");
	assert_int_equal(t->ncols, 7);
	assert_int_equal(t->nrows, 3);
	assert_string_equal(t->header[3], "读取");
	assert_string_equal(t->header[4], "接收");
	assert_string_equal(t->header[5], "拒收");
	assert_string_equal(t->header[6], "年度外");
	assert_string_equal(text(t, 0, 1), "社会救助发放明细");
	assert_string_equal(text(t, 0, 3), "1,000");
	assert_true(doc_table_cell(t, 0, 3)->numeric);
	assert_int_equal(doc_table_cell(t, 0, 3)->raw, 1000);
	assert_string_equal(text(t, 2, 0), "合计");
	assert_string_equal(text(t, 2, 3), "1,020");
	assert_string_equal(text(t, 2, 4), "1,010");
	assert_true(t->has_total && t->summable[3] && !t->summable[0]);
	assert_null(strstr(t->note, "不平衡"));
	doc_table_free(t);

	/* a file whose rows do not reconcile is named in the note */
	two_files(f, true);
	t = report_files_table(&res, "");
	assert_non_null(strstr(t->note, "注意：b.csv 的行数不平衡"));
	doc_table_free(t);
}

static void test_datasets_and_balance(void **state)
{
	struct ingest_file f[2];
	struct ingest_result res = {.files = f, .nfiles = 2};
	struct doc_table *t;
	char *line;

	(void)state;
	two_files(f, false);
	t = report_datasets_table(&schema, &res, "");
	/* every dataset of the schema, also one without files */
	assert_int_equal(t->nrows, 3);
	assert_string_equal(text(t, 0, 0), "社会救助发放明细");
	assert_string_equal(text(t, 0, 1), "1,020");
	assert_string_equal(text(t, 1, 0), "慈善收支明细");
	assert_string_equal(text(t, 1, 1), "0");
	assert_string_equal(text(t, 2, 3), "7");
	doc_table_free(t);
	line = report_balance(&res);
	assert_string_equal(line, "读取 1,020 = 接收 1,010 + 拒收 7 + 年度外 3");
	free(line);
	two_files(f, true);
	line = report_balance(&res);
	assert_non_null(strstr(line, "（不平衡！）"));
	free(line);
}

static void test_reasons_table(void **state)
{
	struct ingest_result res = {0};
	struct doc_table *t;
	char note[128];

	(void)state;
	assert_null(report_reasons_table(&res, "", 10));
	/* most frequent first, ties by text; at most ten, the note says how many */
	for (int e = 1; e < VALUE_ERROR_COUNT; e++)
		res.reasons[e] = 1;
	res.reasons[VALUE_ID_CHECK] = 9;
	res.reasons[VALUE_ENUM] = 9;
	t = report_reasons_table(&res, "附表3", 10);
	assert_int_equal(t->nrows, 10);
	assert_string_equal(text(t, 0, 0), "1");
	assert_string_equal(text(t, 0, 2), "9");
	assert_string_equal(text(t, 1, 2), "9");
	assert_string_equal(text(t, 2, 2), "1");
	assert_true(strcmp(text(t, 0, 1), text(t, 1, 1)) < 0);
	/* every reason there is, however many value.h has */
	snprintf(note, sizeof(note), "共%d类原因，仅列出最多的10类", VALUE_ERROR_COUNT - 1);
	assert_non_null(strstr(t->note, note));
	doc_table_free(t);
	/* the terminal lists them all */
	t = report_reasons_table(&res, "", 0);
	assert_int_equal(t->nrows, VALUE_ERROR_COUNT - 1);
	assert_null(t->note);
	doc_table_free(t);
}

static void test_appendix(void **state)
{
	struct ingest_file f[2];
	struct ingest_result res = {.files = f, .nfiles = 2};
	struct report_source src = {"templates/annual-summary.md", "cafe"};
	struct doc *d = xcalloc(1, sizeof(*d));
	int tables = 0;

	(void)state;
	two_files(f, false);
	report_fill(d, &schema, &res, &src, 2021);
	assert_string_equal(d->meta.generator, "civreport " CIVREPORT_VERSION);
	assert_int_equal(d->meta.year, 2021);
	assert_int_equal(d->appendix[0].kind, DOC_HEADING);
	assert_string_equal(d->appendix[0].text.runs[0].text, "附录 数据质量与来源");
	/* no rejected row: a sentence instead of a table, and no gap in 附表N */
	for (size_t i = 0; i < d->nappendix; i++) {
		char want[32];

		if (d->appendix[i].kind == DOC_PARAGRAPH)
			assert_string_equal(d->appendix[i].text.runs[0].text,
					    "所有行均通过校验，没有拒收的行。");
		if (d->appendix[i].kind != DOC_TABLE)
			continue;
		snprintf(want, sizeof(want), "附表%d", ++tables);
		assert_string_equal(d->appendix[i].table->label, want);
	}
	assert_int_equal(tables, 4);
	/* the hashes are code: a monospace face, broken anywhere */
	assert_true(d->appendix[d->nappendix - 2].table->cells[2].code);
	assert_string_equal(d->appendix[d->nappendix - 1].table->cells[3].text, "cafe");
	doc_free(d);
}

/*
 * Regression: a workbook beside the CSVs left no trace in the report.  The
 * appendix names each file not read, with its kind, in a table numbered
 * like the others, and says its data is not in the report; a name that is
 * not fit for a document (a control character) is cleaned.
 */
static void test_appendix_names_unread(void **state)
{
	struct ingest_file f[2];
	char et[] = "2021低保.et", zip[] = "sub/备份\x01.zip",
	     ctl[] = "a\x1b"
		     "b.txt";
	char *unread[] = {et, zip, ctl};
	struct ingest_result res = {.files = f, .nfiles = 2, .unread = unread, .nunread = 3};
	struct doc *d = xcalloc(1, sizeof(*d));
	struct doc_table *t = NULL;
	int tables = 0;

	(void)state;
	two_files(f, false);
	report_fill(d, &schema, &res, NULL, 2021);
	for (size_t i = 0; i < d->nappendix; i++) {
		char want[32];

		if (d->appendix[i].kind != DOC_TABLE)
			continue;
		snprintf(want, sizeof(want), "附表%d", ++tables);
		assert_string_equal(d->appendix[i].table->label, want);
		if (strcmp(d->appendix[i].table->title, "未读取的文件") == 0)
			t = d->appendix[i].table;
	}
	assert_int_equal(tables, 5);
	assert_non_null(t);
	assert_string_equal(t->label, "附表3");
	assert_int_equal(t->nrows, 3);
	assert_string_equal(text(t, 0, 0), "2021低保.et");
	assert_string_equal(text(t, 0, 1), "WPS 表格");
	assert_string_equal(text(t, 1, 0), "sub/备份\\x01.zip");
	assert_string_equal(text(t, 1, 1), "压缩包");
	assert_string_equal(text(t, 2, 0), "a\\x1b"
					   "b.txt");
	assert_string_equal(text(t, 2, 1), "文本文件");
	assert_non_null(strstr(t->note, "未计入本报告"));
	doc_free(d);
	/* and none when every file was read */
	res.nunread = 0;
	assert_null(report_unread_table(&res, ""));
}

/* A chart of counts 100, 250, 730 in three categories, one or two series. */
static struct doc_chart *chart(enum chart_type type, size_t nseries)
{
	static const int64_t v[3] = {100, 250, 730};
	struct doc_chart *c = xcalloc(1, sizeof(*c));

	c->type = type;
	c->unit = UNIT_COUNT;
	c->scale = 1;
	c->ncat = 3;
	c->categories = xcalloc(3, sizeof(char *));
	c->nseries = nseries;
	c->series = xcalloc(nseries, sizeof(*c->series));
	for (size_t i = 0; i < 3; i++)
		c->categories[i] = xasprintf("类%zu", i);
	for (size_t s = 0; s < nseries; s++) {
		c->series[s].values = xcalloc(3, sizeof(int64_t));
		for (size_t i = 0; i < 3; i++)
			c->series[s].values[i] = v[i] * (int64_t)(s + 1);
	}
	return c;
}

/* A chart is freed with the doc that holds it. */
static void free_chart(struct doc_chart *c)
{
	struct doc *d = xcalloc(1, sizeof(*d));

	doc_block_add(&d->blocks, &d->nblocks, DOC_CHART, 0)->chart = c;
	doc_free(d);
}

static void test_chart_axes(void **state)
{
	struct doc_chart *c = chart(CHART_BAR, 1);
	const struct doc_axis *a;

	(void)state;
	doc_chart_finish(c);
	/* labels the template left empty: integers, thousands separated */
	assert_string_equal(c->series[0].labels[2], "730");
	assert_true(c->vmin == 0 && c->vmax == 730);
	/* about 4 intervals: 730/4 = 182.5 -> steps of 200 up to 800 */
	a = &c->axes[4 - DOC_AXIS_MIN];
	assert_int_equal(a->nticks, 4);
	assert_string_equal(a->labels[0], "0");
	assert_string_equal(a->labels[4], "800");
	/* about 2 intervals: 365 -> steps of 500 up to 1,000 */
	a = &c->axes[2 - DOC_AXIS_MIN];
	assert_int_equal(a->nticks, 2);
	assert_string_equal(a->labels[2], "1,000");
	/* finishing again after the values changed recomputes (and leaks nothing) */
	c->series[0].values[2] = 7300;
	doc_chart_finish(c);
	assert_string_equal(c->axes[2 - DOC_AXIS_MIN].labels[2], "10,000");
	free_chart(c);
}

static void test_chart_totals_and_shares(void **state)
{
	struct doc_chart *c = chart(CHART_STACKED, 2);

	(void)state;
	doc_chart_finish(c);
	/* stacks: 100+200, 250+500, 730+1460 */
	assert_string_equal(c->totals[0], "300");
	assert_string_equal(c->totals[2], "2,190");
	assert_true(c->vmax == 2190);
	free_chart(c);

	c = chart(CHART_PIE, 1);
	c->series[0].values[0] = 1; /* 1 of 981: 0.1% */
	c->series[0].values[1] = 0; /* not a sector */
	c->series[0].values[2] = 980000;
	doc_chart_finish(c);
	assert_string_equal(c->series[0].shares[0], "<0.1%");
	assert_string_equal(c->series[0].shares[1], "");
	assert_string_equal(c->series[0].shares[2], "100.0%");
	assert_null(c->axes[0].labels); /* a pie has no value axis */
	free_chart(c);
}

/*
 * A value without meaning (no_value): its label "—", never a number; it adds
 * nothing to a stack, a share or the range, even when a value is stored
 * there; a stack with no value at all totals to "—".  The labels' style
 * comes from the labels that are numbers.
 */
static void test_chart_no_value(void **state)
{
	struct doc_chart *c = chart(CHART_STACKED, 2);

	(void)state;
	for (size_t s = 0; s < 2; s++)
		c->series[s].no_value = xcalloc(3, sizeof(bool));
	c->series[0].no_value[1] = true; /* 250 stored: not counted */
	c->series[0].no_value[2] = c->series[1].no_value[2] = true;
	c->series[0].labels = xcalloc(3, sizeof(char *));
	c->series[0].labels[0] = xstrdup("—"); /* a template may write it first */
	c->series[0].no_value[0] = true;
	c->series[0].labels[1] = xstrdup("");
	c->series[0].labels[2] = xstrdup("");
	doc_chart_finish(c);
	assert_string_equal(c->series[0].labels[0], "—");
	assert_string_equal(c->series[0].labels[1], "—");
	assert_string_equal(c->series[1].labels[1], "500");
	assert_string_equal(c->totals[0], "200");
	assert_string_equal(c->totals[1], "500");
	assert_string_equal(c->totals[2], "—");
	assert_true(c->vmax == 500);
	assert_int_equal(c->digits, 0);
	free_chart(c);

	c = chart(CHART_PIE, 1);
	c->series[0].no_value = xcalloc(3, sizeof(bool));
	c->series[0].no_value[2] = true; /* 730 stored: not a sector */
	doc_chart_finish(c);
	assert_string_equal(c->series[0].labels[2], "—");
	assert_string_equal(c->series[0].shares[0], "28.6%"); /* 100 of 350 */
	assert_string_equal(c->series[0].shares[2], "");
	free_chart(c);
}

/* The plain-text table: "—" in the place of a number keeps its column right-aligned. */
static void test_text_table_no_value(void **state)
{
	struct doc_table *t = doc_table_new("表1", "慈善", 2, 2);
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(fp);
	doc_set_text(&t->header[0], "类型");
	doc_set_text(&t->header[1], "人次");
	doc_set_text(&doc_table_cell(t, 0, 0)->text, "捐赠");
	doc_set_text(&doc_table_cell(t, 0, 1)->text, "—");
	doc_table_cell(t, 0, 1)->no_value = true;
	doc_set_text(&doc_table_cell(t, 1, 0)->text, "支出");
	doc_set_text(&doc_table_cell(t, 1, 1)->text, "12,440");
	doc_table_cell(t, 1, 1)->numeric = true;
	text_table_print(fp, t);
	fclose(fp);
	/* "—" is one column wide here: five spaces before it, none before 12,440 */
	assert_non_null(strstr(buf, "捐赠       —\n"));
	assert_non_null(strstr(buf, "支出  12,440\n"));
	free(buf);
	doc_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_files_table),
	    cmocka_unit_test(test_datasets_and_balance),
	    cmocka_unit_test(test_reasons_table),
	    cmocka_unit_test(test_appendix),
	    cmocka_unit_test(test_appendix_names_unread),
	    cmocka_unit_test(test_chart_axes),
	    cmocka_unit_test(test_chart_totals_and_shares),
	    cmocka_unit_test(test_chart_no_value),
	    cmocka_unit_test(test_text_table_no_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
