/*
 * test_template.c - unit tests for the template stage (template*.c).
 *
 * Templates are written to a temporary file and loaded against the real
 * templates/schema.ini (test binaries run from the repository root).
 * Broken templates must give diagnostics at an exact line and character
 * column; working ones are built against an agg fed with hand-made rows, and
 * the doc's text, tables and charts are compared with figures worked out by
 * hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine/agg.h"
#include "doc/doc.h"
#include "ingest/schema.h"
#include "engine/metrics.h"
#include "template/template.h"
#include "template/template_impl.h" /* the 指标 words' helpers, tested alone */
#include "util/strbuf.h"
#include "util/dict.h"
#include "util/xalloc.h"

#define YEAR 2021

static struct schema schema;
static const struct template_scope year_scope = {.period = {YEAR * 12, YEAR * 12 + 11}};

static int setup(void **state)
{
	char err[512];

	(void)state;
	if (schema_load(&schema, "templates/schema.ini", err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	schema_release(&schema);
	return 0;
}

/* ---- helpers ---- */

struct loaded {
	struct template *t;
	struct template_diag *diags;
	size_t ndiags;
	int rc;
};

/* The template md for a scope: a period, an area, a report of --each */
static struct loaded load_scoped(const char *md, const struct template_scope *scope)
{
	char path[] = "/tmp/test_template_XXXXXX";
	int fd = mkstemp(path);
	struct loaded l;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(md, f);
	fclose(f);
	l.rc = template_load(&l.t, path, &schema, scope, &l.diags, &l.ndiags);
	unlink(path);
	return l;
}

static struct loaded load(const char *md)
{
	return load_scoped(md, &year_scope);
}

static void print_diags(const struct loaded *l)
{
	for (size_t i = 0; i < l->ndiags; i++)
		fprintf(stderr, "  %d:%d: %s\n", l->diags[i].line, l->diags[i].column,
			l->diags[i].message);
}

/* A diagnostic at line:column whose message contains want. */
static void expect_diag(const struct loaded *l, int line, int column, const char *want)
{
	for (size_t i = 0; i < l->ndiags; i++)
		if (l->diags[i].line == line && l->diags[i].column == column &&
		    strstr(l->diags[i].message, want) != NULL)
			return;
	fprintf(stderr, "no diagnostic %d:%d containing “%s”; got:\n", line, column, want);
	print_diags(l);
	fail();
}

static struct template *load_ok(const char *md)
{
	struct loaded l = load(md);

	if (l.rc != 0)
		print_diags(&l);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.ndiags, 0);
	return l.t;
}

static void unload(struct loaded *l)
{
	template_free(l->t);
	free(l->diags);
}

/* A hand-made row of a dataset. */
struct row {
	const struct dataset *ds;
	int64_t v[16];
	uint64_t present;
	uint32_t person;
	char text[256];
	size_t ntext;
};

static int col(const struct dataset *ds, const char *name)
{
	int c = dataset_column(ds, name);

	assert_true(c >= 0);
	return c;
}

static void row_init(struct row *r, const char *dataset)
{
	memset(r, 0, sizeof(*r));
	r->ds = schema_find(&schema, dataset);
	assert_non_null(r->ds);
	r->person = UINT32_MAX;
}

static void set_num(struct row *r, const char *name, int64_t v)
{
	int c = col(r->ds, name);

	r->v[c] = v;
	r->present |= 1ull << c;
}

static void set_enum(struct row *r, const char *name, const char *value)
{
	int c = col(r->ds, name);
	int idx = column_enum_index(&r->ds->cols[c], value, strlen(value));

	assert_true(idx >= 0);
	set_num(r, name, idx);
}

static void set_text(struct row *r, const char *name, const char *s)
{
	size_t n = strlen(s);

	memcpy(r->text + r->ntext, s, n);
	set_num(r, name, (int64_t)((uint64_t)r->ntext << 32 | n));
	r->ntext += n;
}

static void set_person(struct row *r, uint32_t person)
{
	r->person = person;
	set_num(r, "身份证号", 51160219800101000 + person);
}

static void feed(struct agg *a, struct row *r, unsigned slot)
{
	struct ingest_row ir = {.windows = slot,
				.person = r->person,
				.present = r->present,
				.v = r->v,
				.text = r->text,
				.line = 2};

	agg_row(a, r->ds, &ir);
}

/* A relief payment: person, district, category, month, fen. */
static void relief(struct agg *a, uint32_t person, const char *district, const char *category,
		   int month, int64_t fen)
{
	struct row r;

	row_init(&r, "relief");
	set_person(&r, person);
	set_enum(&r, "区县", district);
	set_enum(&r, "救助类别", category);
	set_num(&r, "发放年月", YEAR * 100 + month);
	set_num(&r, "发放金额", fen);
	feed(a, &r, WINDOW_CUR);
}

static struct agg *agg_for(struct template *t)
{
	struct agg *a = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});

	template_register(t, a);
	return a;
}

/* The text of a block: its runs joined. */
static char *block_text(const struct doc_block *b)
{
	size_t n = 0;
	char *s;

	for (size_t i = 0; i < b->text.nruns; i++)
		n += strlen(b->text.runs[i].text);
	s = xcalloc(n + 1, 1);
	n = 0;
	for (size_t i = 0; i < b->text.nruns; i++) {
		size_t m = strlen(b->text.runs[i].text);

		memcpy(s + n, b->text.runs[i].text, m);
		n += m;
	}
	return s;
}

static const struct doc_block *find_block(const struct doc *d, enum doc_block_kind kind, size_t nth)
{
	for (size_t i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == kind && nth-- == 0)
			return &d->blocks[i];
	fail_msg("no block of kind %d", kind);
	return NULL;
}

static void expect_text(const struct doc *d, enum doc_block_kind kind, size_t nth, const char *want)
{
	char *s = block_text(find_block(d, kind, nth));

	assert_string_equal(s, want);
	free(s);
}

static const struct doc_cell *cell(const struct doc_table *t, size_t r, size_t c)
{
	assert_true(r < t->nrows && c < t->ncols);
	return &t->cells[r * t->ncols + c];
}

/* ---- loading and checking ---- */

/* Font roles: the first installed family of each list, and what is wrong said at its line. */
static void test_font_roles(void **state)
{
	struct template *t;
	const struct template_meta *m;
	struct loaded l;

	(void)state;
	t = load_ok(
	    "---\nbody_font: 仿宋_GB2312、Noto Sans CJK SC\n"
	    "table_font: \"没有的字体\"，Noto Serif CJK SC\nstyle: gbt9704\n---\n\n正文。\n");
	m = template_meta(t);
	assert_string_equal(m->font[DOC_FONT_BODY], "Noto Sans CJK SC");
	assert_string_equal(m->font[DOC_FONT_TABLE], "Noto Serif CJK SC");
	assert_string_equal(m->font[DOC_FONT_HEADING1], "Noto Sans CJK SC"); /* the default */
	assert_int_equal(m->style, DOC_STYLE_GBT9704);
	template_free(t);

	l = load("---\ntitle: 标题\nheading1_font: 黑体, SimHei\ntable_font: ，\n"
		 "style: strict\nbody_font: Noto:bold\n---\n\n正文。\n");
	assert_int_equal(l.rc, -1);
	expect_diag(&l, 3, 1,
		    "一级标题字体（heading1_font，黑体）：列出的字体“黑体”“SimHei”都没有安装");
	expect_diag(&l, 3, 1, "Noto Sans CJK SC（Debian 软件包 fonts-noto-cjk");
	expect_diag(&l, 4, 1, "表格字体（table_font，仿宋或宋体）没有写字体");
	expect_diag(&l, 5, 1, "style 的值“strict”无效");
	/* a name is a family, never a fontconfig pattern: "Noto:bold" is no Noto */
	expect_diag(&l, 6, 1, "“Noto:bold”都没有安装");
	unload(&l);

	/* a list is a few fallbacks: a thousand names cost a thousand fontconfig matches */
	{
		struct strbuf md = STRBUF_INIT;

		strbuf_addstr(&md, "---\nbody_font: ");
		for (int i = 0; i < 1000; i++)
			strbuf_addf(&md, "F%d, ", i);
		strbuf_addstr(&md, "Noto Serif CJK SC\n---\n\n正文。\n");
		l = load(md.buf);
		assert_int_equal(l.ndiags, 1);
		expect_diag(&l, 2, 1, "正文字体（body_font）最多列出 16 个字体");
		unload(&l);
		strbuf_release(&md);
	}
}

static void test_default_template_loads(void **state)
{
	struct loaded l;
	const struct template_meta *m;

	(void)state;
	l.rc = template_load(&l.t, "templates/annual-summary.md", &schema, &year_scope, &l.diags,
			     &l.ndiags);
	if (l.rc != 0)
		print_diags(&l);
	assert_int_equal(l.rc, 0);
	m = template_meta(l.t);
	assert_string_equal(m->title, "广安市2021年民政工作总结");
	assert_string_equal(m->organisation, "广安市民政局");
	assert_string_equal(m->date_label, "2021年12月31日");
	assert_string_equal(m->pdf_name, "annual-report-2021.pdf");
	assert_string_equal(m->xlsx_name, "annual-report-2021.xlsx");
	assert_string_equal(m->docx_name, "annual-report-2021.docx");
	assert_string_equal(m->font[DOC_FONT_BODY], "Noto Serif CJK SC");
	assert_string_equal(m->font[DOC_FONT_HEADING2],
			    "LXGW WenKai"); /* first of the default list */
	assert_true(m->title_bold);
	assert_int_equal(m->style, DOC_STYLE_COMPACT);
	assert_non_null(m->mail_subject);
	assert_non_null(m->mail_body);
	unload(&l);
}

/* The default template, built on no data: five charts, four tables at least. */
static void test_default_template_builds(void **state)
{
	struct loaded l;
	struct agg *a;
	struct doc *d;
	size_t charts = 0, tables = 0;

	(void)state;
	l.rc = template_load(&l.t, "templates/annual-summary.md", &schema, &year_scope, &l.diags,
			     &l.ndiags);
	assert_int_equal(l.rc, 0);
	a = agg_for(l.t);
	assert_true((agg_wants(a) & WINDOW_PREV));
	agg_finish(a);
	d = template_build(l.t, a, NULL);
	for (size_t i = 0; i < d->nblocks; i++) {
		charts += d->blocks[i].kind == DOC_CHART;
		tables += d->blocks[i].kind == DOC_TABLE;
	}
	assert_true(charts >= 5);
	assert_true(tables >= 4);
	assert_true(d->nfigures >= 30);
	expect_text(d, DOC_HEADING, 0,
		    "一、兜牢民生保障底线，持续助力巩固拓展脱贫攻坚成果与乡村振兴相衔接");
	doc_free(d);
	agg_free(a);
	unload(&l);
}

static void test_front_matter(void **state)
{
	struct template *t;
	const struct template_meta *m;

	(void)state;
	t = load_ok("---\n"
		    "title: 广安市{year}年民政工作总结\n"
		    "organisation: 广安市民政局\n"
		    "date: \"{year}年12月31日\"\n"
		    "xlsx: 数据-{year}.xlsx\n"
		    "mail_subject: {year}年报告\n"
		    "---\n"
		    "正文。\n");
	m = template_meta(t);
	assert_string_equal(m->title, "广安市2021年民政工作总结");
	assert_string_equal(m->date_label, "2021年12月31日");
	assert_string_equal(m->author, "广安市民政局"); /* defaults to the organisation */
	assert_string_equal(m->subject, "广安市2021年民政工作总结");
	assert_string_equal(m->pdf_name, "annual-report-2021.pdf");
	assert_string_equal(m->xlsx_name, "数据-2021.xlsx");
	assert_null(m->docx_name); /* no docx: no DOCX */
	assert_string_equal(m->font[DOC_FONT_HEADING1], "Noto Sans CJK SC");
	assert_string_equal(m->mail_subject, "2021年报告");
	assert_null(m->mail_body);
	template_free(t);
}

static void test_front_matter_unknown_key(void **state)
{
	struct loaded l;

	(void)state;
	l = load("---\n"
		 "title: x\n"
		 "  titel: y\n"
		 "pdf: ../x.pdf\n"
		 "---\n"
		 "正文{{ relief.persons by 区县 }}\n");
	assert_int_equal(l.rc, -1);
	assert_null(l.t);
	expect_diag(&l, 3, 3, "未知的键“titel”，是不是“title”？");
	expect_diag(&l, 4, 1, "不能含“/”");
	/* the body is still checked, at the file's line */
	expect_diag(&l, 6, 6, "分组序列");
	assert_int_equal(l.ndiags, 3);
	unload(&l);
}

/*
 * Output names that would destroy another output or reach outside the
 * output folder are refused with the key and the reason (issue 10, item 11):
 * each is one line 2 of its own template, so the diagnostic is at 2:1.
 */
static void test_front_matter_output_names(void **state)
{
	static const struct {
		const char *line, *want;
	} bad[] = {
	    {"pdf: .civreport.lock", "pdf 的文件名“.civreport.lock”无效"},
	    {"pdf: manifest.json", "pdf 的文件名“manifest.json”无效：与 civreport 自己的文件同名"},
	    {"pdf: metrics.json", "与 civreport 自己的文件同名"},
	    {"xlsx: rejects.csv", "xlsx 的文件名“rejects.csv”无效：与 civreport"},
	    {"pdf: Manifest.JSON", "与 civreport 自己的文件同名"},
	    {"xlsx: 报告.pdf", "XLSX 的文件名应以 .xlsx 结尾"},
	    {"docx: 报告.pdf", "DOCX 的文件名应以 .docx 结尾"},
	    {"docx: metrics.json", "docx 的文件名“metrics.json”无效：与 civreport 自己的文件同名"},
	    {"docx: ", "docx 的文件名无效：文件名为空"},
	    {"docx: ../r.docx", "不能含“/”"},
	    {"pdf: 报告.xlsx", "PDF 的文件名应以 .pdf 结尾"},
	    {"pdf: 报告", "应以 .pdf 结尾"},
	    {"pdf: a/b.pdf", "不能含“/”"},
	    {"pdf: a\\b.pdf", "不能含“/”或“\\”"},
	    {"pdf: ../x.pdf", "不能含“/”"},
	    {"pdf: ..", "不能以“.”开头"},
	    {"pdf: .pdf", "不能以“.”开头"},
	    {"pdf: .hidden-{year}.pdf", "不能以“.”开头"},
	    {"pdf: \"\"", "pdf 的文件名无效：文件名为空"},
	    {"pdf: a\x01.pdf", "pdf 的文件名无效：文件名不能含控制字符"},
	    {"pdf: a\x7f.pdf", "文件名不能含控制字符"},
	};
	char md[1024], longname[300];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct loaded l;

		snprintf(md, sizeof(md), "---\n%s\n---\n正文。\n", bad[i].line);
		l = load(md);
		if (l.rc == 0)
			fprintf(stderr, "accepted: %s\n", bad[i].line);
		assert_int_equal(l.rc, -1);
		expect_diag(&l, 2, 1, bad[i].want);
		unload(&l);
	}
	/* 256 bytes: one more than a file name can have */
	memset(longname, 'a', 252);
	memcpy(longname + 252, ".pdf", 5);
	snprintf(md, sizeof(md), "---\npdf: %s\n---\n正文。\n", longname);
	{
		struct loaded l = load(md);

		assert_int_equal(l.rc, -1);
		expect_diag(&l, 2, 1, "pdf 的文件名无效：文件名超过 255 字节");
		unload(&l);
	}
	/* 255 bytes is a good name */
	longname[251] = '\0';
	strcat(longname, ".pdf");
	snprintf(md, sizeof(md), "---\npdf: %s\n---\n正文。\n", longname);
	template_free(load_ok(md));
	/* the two outputs share one folder: never one name */
	{
		struct loaded l = load("---\npdf: r-{year}.pdf\nxlsx: r-{year}.pdf\n---\n正文。\n");

		assert_int_equal(l.rc, -1);
		expect_diag(&l, 3, 1, "XLSX 的文件名应以 .xlsx 结尾");
		expect_diag(&l, 3, 1, "xlsx 的文件名“r-2021.pdf”与 pdf 的相同");
		unload(&l);
	}
	/* Chinese names with the year are fine, in any case of the extension */
	template_free(load_ok(
	    "---\npdf: 广安市{year}年民政工作总结.PDF\nxlsx: 数据-{year}.Xlsx\n---\n正文。\n"));
}

static void test_unclosed_front_matter(void **state)
{
	struct loaded l = load("---\ntitle: x\n\n正文\n");

	(void)state;
	expect_diag(&l, 1, 1, "缺少结束的“---”");
	unload(&l);
}

static void test_unknown_dataset(void **state)
{
	struct loaded l;

	(void)state;
	l = load("---\ntitle: x\n---\n\n正文{{ reliefs.persons }}\n");
	assert_int_equal(l.rc, -1);
	expect_diag(&l, 5, 6, "未知的数据集“reliefs”，是不是“relief”？");
	assert_int_equal(l.ndiags, 1);
	unload(&l);
}

static void test_unknown_column(void **state)
{
	struct loaded l;

	(void)state;
	/* column 21: the 救 after "[" (人数 = 2, "{{ " = 3, relief.persons = 14) */
	l = load("# 标题\n\n人数{{ relief.persons[救助类型别=城市低保] }}\n");
	expect_diag(&l, 3, 21, "没有列“救助类型别”，是不是“救助类别”？");
	unload(&l);
}

static void test_bad_formatter(void **state)
{
	struct loaded l;

	(void)state;
	l = load("金额{{ relief.amount | 万:9 }}和{{ relief.amount | wan:1 }}和"
		 "{{ relief.amount | 百:1 }}\n");
	expect_diag(&l, 1, 22, "小数位数");
	expect_diag(&l, 1, 76, "未知的格式“百:1”");
	assert_int_equal(l.ndiags, 2);
	unload(&l);
}

static void test_grouped_figure_in_text(void **state)
{
	struct loaded l;

	(void)state;
	l = load("- 列表项{{ relief.amount by 区县 | 万:1 }}\n");
	expect_diag(&l, 1, 9, "文中的数字不能是分组序列");
	unload(&l);
}

static void test_placeholder_errors(void **state)
{
	struct loaded l;

	(void)state;
	l = load(
	    "a {{ }} b {{ relief.persons | pct:1 }}\n"
	    "c {{ relief.rows / relief.amount | int }} {{ relief.amount / relief.rows | pct:1 }}\n"
	    "d {{ relief.amount@prev | growth:1 }} e {{ relief.rows\n");
	expect_diag(&l, 1, 6, "缺少表达式");
	expect_diag(&l, 1, 14, "pct:N 用于两个数之比");
	/* a ratio carries a unit: persons per yuan means nothing, yuan per person is no % */
	expect_diag(&l, 2, 6, "没有意义");
	expect_diag(&l, 2, 46, "不是百分比");
	/* growth of a figure written with @prev compares it with that: allowed */
	expect_diag(&l, 3, 41, "缺少结束的“}}”");
	assert_int_equal(l.ndiags, 5);
	unload(&l);
}

/* md built for scope: its title, and exactly two paragraphs as given. */
static void expect_scoped(const char *md, const struct template_scope *scope, const char *title,
			  const char *first, const char *second)
{
	struct loaded l = load_scoped(md, scope);
	struct agg *a;
	struct doc *d;

	assert_int_equal(l.rc, 0);
	assert_string_equal(template_meta(l.t)->title, title);
	a = agg_for(l.t);
	agg_finish(a);
	d = template_build(l.t, a, NULL);
	expect_text(d, DOC_PARAGRAPH, 0, first);
	expect_text(d, DOC_PARAGRAPH, 1, second);
	assert_int_equal(d->nblocks, 2);
	doc_free(d);
	agg_free(a);
	unload(&l);
}

/*
 * The variables of a period and an area, and the parts only the whole
 * report or only a report of one area shows.
 */
static void test_scope_text(void **state)
{
	static const char md[] = "---\n"
				 "area: 广安市\n"
				 "title: {area}{period_name}民政工作总结\n"
				 "---\n"
				 "{since}，{area}截至{period_end}（{period}），各{sub}。\n"
				 "\n"
				 "<!-- 仅总报告 -->\n"
				 "全市段落。\n"
				 "<!-- /仅总报告 -->\n"
				 "<!-- 仅分报告 -->\n"
				 "分报告段落。\n"
				 "<!-- /仅分报告 -->\n";
	const char *where[] = {"区县=岳池县"};
	struct template_scope whole = {.period = {2021 * 12 + 6, 2021 * 12 + 8}};
	struct template_scope yuechi = {.period = {2021 * 12, 2021 * 12 + 8},
					.where = where,
					.nwhere = 1,
					.area = "岳池县",
					.sub = "乡镇(街道)",
					.burst = true};
	struct loaded l;

	(void)state;
	expect_scoped(md, &whole, "广安市2021年第三季度民政工作总结",
		      "2021年第三季度，广安市截至2021年9月30日（2021Q3），各区县。", "全市段落。");
	expect_scoped(md, &yuechi, "岳池县2021年1—9月民政工作总结",
		      "今年以来，岳池县截至2021年9月30日（2021-01..2021-09），各乡镇(街道)。",
		      "分报告段落。");

	/* a part left open is an error at its start */
	l = load("a\n<!-- 仅总报告 -->\nb\n");
	expect_diag(&l, 2, 1, "没有结束");
	unload(&l);
}

static void test_unknown_chart_key(void **state)
{
	struct loaded l;

	(void)state;
	l = load("# 图\n"
		 "\n"
		 "```chart\n"
		 "type: bars\n"
		 "titl: 各区县\n"
		 "series: relief.amount by 区县\n"
		 "colors: #12345\n"
		 "```\n");
	expect_diag(&l, 3, 1, "图表缺少 title");
	expect_diag(&l, 4, 7, "未知的图表类型“bars”");
	expect_diag(&l, 5, 1, "图表中未知的设置“titl”，是不是“title”？");
	expect_diag(&l, 7, 9, "颜色“#12345”无效");
	assert_int_equal(l.ndiags, 4);
	unload(&l);
}

static void test_mismatched_series(void **state)
{
	struct loaded l;

	(void)state;
	l = load("```chart\n"
		 "title: 对比\n"
		 "series: a = relief.amount by 区县\n"
		 "series: b = relief.amount by 救助类别\n"
		 "series: c = relief.amount[救助类别=城市低保] by 区县\n"
		 "series: d = relief.persons\n"
		 "```\n");
	expect_diag(&l, 4, 13, "第一个系列按“区县”，这个系列按“救助类别”");
	expect_diag(&l, 6, 13, "图表的系列必须是分组序列");
	assert_int_equal(l.ndiags, 2);
	unload(&l);
}

static void test_chart_unit_mismatch(void **state)
{
	struct loaded l;

	(void)state;
	l = load("```chart\n"
		 "title: 单位\n"
		 "series: a = relief.amount by 区县\n"
		 "unit: 人\n"
		 "```\n"
		 "\n"
		 "```chart\n"
		 "title: 混合\n"
		 "series: a = relief.amount by 区县\n"
		 "series: b = relief.persons by 区县\n"
		 "```\n");
	expect_diag(&l, 4, 7, "金额图表的单位");
	expect_diag(&l, 10, 13, "单位必须相同");
	unload(&l);
}

/*
 * One unit per chart, so that each column of its data sheet has one: persons
 * beside households, or two different columns summed, are refused; a sum
 * whose unit the data cannot tell needs unit:.
 */
static void test_chart_count_kinds(void **state)
{
	struct loaded l;

	(void)state;
	l = load("```chart\n"
		 "title: 人户\n"
		 "series: a = relief.persons by 区县\n"
		 "series: b = relief.households by 区县\n"
		 "```\n"
		 "\n"
		 "```chart\n"
		 "title: 受益\n"
		 "series: a = charity.sum(受益人次) by 收支类型\n"
		 "series: b = charity.distinct(项目名称) by 收支类型\n"
		 "unit: 个\n"
		 "```\n"
		 "\n"
		 "```chart\n"
		 "title: 无单位\n"
		 "series: a = charity.sum(受益人次) by 收支类型\n"
		 "```\n"
		 "\n"
		 "```chart\n"
		 "title: 同类\n"
		 "series: a = relief.persons by 区县\n"
		 "series: b = relief.persons@prev by 区县\n"
		 "```\n");
	expect_diag(&l, 4, 13, "不能把人数和户数、人次或别的数量画在一起");
	expect_diag(&l, 10, 13, "不能把人数和户数、人次或别的数量画在一起");
	expect_diag(&l, 16, 13, "请写 unit:");
	expect_diag(&l, 16, 13, "“受益人次”");
	assert_int_equal(l.ndiags, 3);
	unload(&l);
}

static void test_table_errors(void **state)
{
	struct loaded l;

	(void)state;
	l = load("```table\n"
		 "title: 分组\n"
		 "rows: 区县\n"
		 "column: 人数 = relief.persons by 救助类别\n"
		 "column: 金额\n"
		 "colum: x\n"
		 "```\n"
		 "\n"
		 "```table\n"
		 "columns: 项目 | 人数\n"
		 "row: a | relief.rows | relief.rows\n"
		 "row: b | relief.rows by 区县\n"
		 "```\n"
		 "\n"
		 "```tabel\n"
		 "```\n");
	expect_diag(&l, 4, 14, "必须按 rows 的列“区县”分组");
	expect_diag(&l, 5, 9, "column 应写成");
	expect_diag(&l, 6, 1, "是不是“column”？");
	expect_diag(&l, 9, 1, "表格缺少 title");
	expect_diag(&l, 11, 6, "这一行有 3 格，但表头有 2 列");
	expect_diag(&l, 12, 10, "表格单元格中的数字不能是分组序列");
	expect_diag(&l, 15, 1, "未知的代码块类型“tabel”，是不是“table”？");
	unload(&l);
}

/* Every problem is reported, not just the first. */
static void test_all_diagnostics(void **state)
{
	struct loaded l;

	(void)state;
	l = load("---\nfoo: 1\n---\n"
		 "{{ x.persons }} {{ relief.bogus }}\n"
		 "{{ relief.amount | bogus }}\n"
		 "```chart\nbad line\n```\n");
	assert_int_equal(l.rc, -1);
	assert_int_equal(l.ndiags, 7);
	/* sorted by line and column */
	for (size_t i = 1; i < l.ndiags; i++)
		assert_true(l.diags[i - 1].line < l.diags[i].line ||
			    (l.diags[i - 1].line == l.diags[i].line &&
			     l.diags[i - 1].column <= l.diags[i].column));
	unload(&l);
}

static void test_missing_file(void **state)
{
	struct loaded l;

	(void)state;
	l.rc = template_load(&l.t, "/nonexistent/x.md", &schema, &year_scope, &l.diags, &l.ndiags);
	assert_int_equal(l.rc, -1);
	assert_int_equal(l.ndiags, 1);
	assert_int_equal(l.diags[0].line, 0);
	assert_non_null(strstr(l.diags[0].message, "/nonexistent/x.md"));
	unload(&l);
}

/* ---- building ---- */

static void test_figures_in_text(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;
	const struct doc_block *p;

	(void)state;
	t = load_ok("# 一、{{ $year }}年低保\n"
		    "\n"
		    "为{{ relief.persons[救助类别=城市低保,农村低保] | int }}名群众发放"
		    "{{ relief.amount[救助类别=城市低保,农村低保] | 元 }}元,"
		    "其中**城市{{ relief.amount[救助类别=城市低保] | 万:2 }}元**,"
		    "占{{ relief.amount[救助类别=城市低保] / relief.amount | pct:1 }}。\n");
	a = agg_for(t);
	relief(a, 0, "广安区", "城市低保", 1, 1234567); /* 12,345.67 yuan */
	relief(a, 0, "广安区", "城市低保", 2, 1234567);
	relief(a, 1, "前锋区", "农村低保", 1, 50000);  /* 500.00 */
	relief(a, 2, "广安区", "特困供养", 1, 100000); /* 1,000.00: not 低保 */
	agg_finish(a);
	d = template_build(t, a, NULL);
	expect_text(d, DOC_HEADING, 0, "一、2021年低保");
	/* 24,691.34 of 26,191.34 yuan is 94.27 % */
	expect_text(d, DOC_PARAGRAPH, 0, "为2名群众发放25191.34元,其中城市2.47万元,占94.3%。");
	p = find_block(d, DOC_PARAGRAPH, 0);
	assert_int_equal(p->text.nruns, 11);
	assert_string_equal(p->text.runs[1].text, "2");
	assert_int_equal(p->text.runs[1].flags, DOC_RUN_FIGURE);
	assert_string_equal(p->text.runs[5].text, "城市");
	assert_int_equal(p->text.runs[5].flags, DOC_RUN_BOLD);
	assert_string_equal(p->text.runs[6].text, "2.47万");
	assert_int_equal(p->text.runs[6].flags, DOC_RUN_BOLD | DOC_RUN_FIGURE);
	/* the 指标 sheet: every figure of the text ($year is not one) */
	assert_int_equal(d->nfigures, 4);
	assert_string_equal(d->figures[0].expr, "relief.persons[救助类别=城市低保,农村低保]");
	assert_string_equal(d->figures[0].format, "int");
	assert_string_equal(d->figures[0].text, "2");
	assert_int_equal(d->figures[1].raw, 2519134);
	assert_int_equal(d->figures[1].unit, UNIT_FEN);
	assert_true(d->figures[1].present);
	assert_string_equal(d->figures[3].format, "pct:1");
	doc_free(d);
	agg_free(a);
	template_free(t);
}

/*
 * A table and a chart grouped by a text column with many groups: every cell
 * is found by hash (issue 10 item 26: 20,000 groups took 18.7 s, each cell
 * compared with every key).  Counted, not timed: the key comparisons of
 * the whole build stay a small multiple of the groups, where a linear
 * look-up makes them grow with groups squared (2·10^9 here).
 */
#define MANY_GROUPS 40000

static void test_many_groups_hashed(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;
	struct row r;
	char name[32];
	uint64_t before;
	const struct doc_table *tb;

	(void)state;
	t = load_ok("```chart\n"
		    "type: bar\n"
		    "title: 项目\n"
		    "series: charity.amount by 项目名称\n"
		    "unit: 元\n"
		    "```\n"
		    "\n"
		    "```table\n"
		    "title: 项目表\n"
		    "rows: 项目名称\n"
		    "sort: desc\n"
		    "column: 金额 = charity.amount | yuan\n"
		    "column: 笔数 = charity.rows\n"
		    "column: 占比 = charity.amount / charity.amount | pct:1\n"
		    "```\n");
	a = agg_for(t);
	for (int i = 0; i < MANY_GROUPS; i++) {
		row_init(&r, "charity");
		set_num(&r, "日期", YEAR * 10000 + 101);
		set_enum(&r, "收支类型", "捐赠收入");
		snprintf(name, sizeof(name), "项目/%d", i);
		set_text(&r, "项目名称", name);
		set_num(&r, "金额", 100 + i % 977);
		feed(a, &r, WINDOW_CUR);
	}
	agg_finish(a);
	before = strdict_compares();
	d = template_build(t, a, NULL);
	print_message("key comparisons: %llu for %d groups\n",
		      (unsigned long long)(strdict_compares() - before), MANY_GROUPS);
	assert_true(strdict_compares() - before < 50ull * MANY_GROUPS);
	tb = find_block(d, DOC_TABLE, 0)->table;
	assert_int_equal(tb->nrows, MANY_GROUPS);
	/* sorted by amount, largest first, ties in key order */
	for (size_t i = 1; i < tb->nrows; i++)
		assert_true(cell(tb, i - 1, 1)->raw >= cell(tb, i, 1)->raw);
	assert_int_equal(cell(tb, 0, 1)->raw, 100 + 976);
	assert_int_equal(cell(tb, 0, 2)->raw, 1);
	assert_int_equal(find_block(d, DOC_CHART, 0)->chart->ncat, MANY_GROUPS);
	doc_free(d);
	agg_free(a);
	template_free(t);
}

/*
 * An expression the template uses several times (text, a ratio, a growth,
 * a chart series total) is parsed and registered once: agg computes it once.
 */
static void test_expressions_registered_once(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;

	(void)state;
	t = load_ok("{{ relief.amount | 元 }}、{{ relief.amount | 万:1 }}、"
		    "{{ relief.amount[救助类别=城市低保] / relief.amount | pct:1 }}、"
		    "{{ relief.amount | growth:1 }}。\n");
	a = agg_for(t);
	/* relief.amount, relief.amount[救助类别=城市低保], relief.amount@prev */
	assert_int_equal(agg_count(a), 3);
	relief(a, 0, "广安区", "城市低保", 1, 1234567);
	agg_finish(a);
	d = template_build(t, a, NULL);
	expect_text(d, DOC_PARAGRAPH, 0, "12345.67、1.2万、100.0%、—。");
	doc_free(d);
	agg_free(a);
	template_free(t);
}

/*
 * metrics.json carries the text the report shows for an expression (its
 * first use in the text) and the default format of text for the others,
 * never a third spelling (it once said "266,812" where the PDF said 26.7万).
 */
static void test_metrics_texts(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;
	char **texts, *json = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	/* a 万元 column comes first: its number carries no unit, so it is not the text */
	t = load_ok("| 项目 | 金额(万元) |\n|---|---|\n| 低保 | {{ relief.amount | 万元:2 }} |\n\n"
		    "为{{ relief.persons | 万:1 }}人发放{{ relief.amount | 亿:2 }}元,"
		    "再写{{ relief.persons | int }}人。\n"
		    "\n"
		    "```chart\ntype: bar\ntitle: 各区\nseries: relief.amount by 区县\n```\n");
	a = agg_for(t);
	relief(a, 0, "广安区", "城市低保", 1, 1234567);
	relief(a, 1, "前锋区", "农村低保", 1, 50000);
	agg_finish(a);
	texts = calloc(agg_count(a), sizeof(char *));
	d = template_build(t, a, texts);
	fp = open_memstream(&json, &len);
	metrics_write_json(fp, a, NULL, 0, NULL, texts);
	fclose(fp);
	/* the first use in the text wins: 万:1, not int */
	assert_non_null(strstr(json, "\"expression\": \"relief.persons\", \"unit\": \"count\", "
				     "\"present\": true, \"value\": 2, \"text\": \"0.0万\""));
	assert_non_null(strstr(json, "\"value\": 1284567, \"text\": \"0.00亿\""));
	/* a series the text never shows: 万:2, the default of text for money */
	assert_non_null(strstr(json,
			       "\"expression\": \"relief.amount by 区县\", \"unit\": \"fen\", "
			       "\"present\": true, \"value\": 1284567, \"text\": \"1.28万\""));
	for (size_t i = 0; i < agg_count(a); i++)
		free(texts[i]);
	free(texts);
	free(json);
	doc_free(d);
	agg_free(a);
	template_free(t);
}

static void test_default_formats(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;

	(void)state;
	t = load_ok("{{ relief.amount }}元,{{ relief.persons }}人,{{ relief.rows }}人次\n");
	a = agg_for(t);
	relief(a, 0, "广安区", "城市低保", 1, 54230000); /* 542,300.00 yuan */
	relief(a, 1, "广安区", "城市低保", 1, 100);
	agg_finish(a);
	d = template_build(t, a, NULL);
	expect_text(d, DOC_PARAGRAPH, 0, "54.23万元,2人,2人次");
	assert_string_equal(d->figures[0].format, "万:2");
	assert_string_equal(d->figures[1].format, "int");
	doc_free(d);
	agg_free(a);
	template_free(t);
}

/* Chinese wrapped in the source joins without a space; ASCII words get one. */
static void test_soft_breaks(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;

	(void)state;
	t = load_ok("第一行中文,\n第二行中文。\n"
		    "\n"
		    "civreport makes\nreports for\n民政局\n"
		    "\n"
		    "共{{ relief.rows }}\nrows\n");
	a = agg_for(t);
	agg_finish(a);
	d = template_build(t, a, NULL);
	expect_text(d, DOC_PARAGRAPH, 0, "第一行中文,第二行中文。");
	expect_text(d, DOC_PARAGRAPH, 1, "civreport makes reports for民政局");
	expect_text(d, DOC_PARAGRAPH, 2, "共0 rows");
	doc_free(d);
	agg_free(a);
	template_free(t);
}

static void test_blocks(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;

	(void)state;
	t = load_ok("---\ntitle: 标题\n---\n"
		    "# 一、章\n"
		    "## (一)节\n"
		    "\n"
		    "3. 第三\n"
		    "4. 第四\n"
		    "   - 子项\n"
		    "\n"
		    "---\n"
		    "\n"
		    "\\pagebreak\n"
		    "\n"
		    "写作\\{{ 不是占位符 }}。\n"
		    "\n"
		    "```\n"
		    "代码 {{ 也不是 }}\n"
		    "```\n");
	a = agg_for(t);
	agg_finish(a);
	d = template_build(t, a, NULL);
	assert_int_equal(d->nblocks, 9);
	assert_int_equal(d->blocks[0].kind, DOC_HEADING);
	assert_int_equal(d->blocks[0].level, 1);
	assert_int_equal(d->blocks[1].level, 2);
	assert_int_equal(d->blocks[2].kind, DOC_LIST_ITEM);
	assert_int_equal(d->blocks[2].list_number, 3);
	assert_int_equal(d->blocks[3].list_number, 4);
	assert_int_equal(d->blocks[4].kind, DOC_LIST_ITEM);
	assert_int_equal(d->blocks[4].level, 2);
	assert_int_equal(d->blocks[4].list_number, 0);
	assert_int_equal(d->blocks[5].kind, DOC_PAGE_BREAK);
	assert_int_equal(d->blocks[6].kind, DOC_PAGE_BREAK);
	expect_text(d, DOC_PARAGRAPH, 0, "写作{{ 不是占位符 }}。");
	expect_text(d, DOC_PARAGRAPH, 1, "代码 {{ 也不是 }}");
	assert_int_equal(d->blocks[8].text.runs[0].flags, DOC_RUN_CODE);
	assert_string_equal(d->meta.title, "标题");
	assert_int_equal(d->meta.year, YEAR);
	doc_free(d);
	agg_free(a);
	template_free(t);
}

static const char *const grouped_md =
    "```table\n"
    "title: {year}年各区县低保\n"
    "rows: 区县\n"
    "column: 人数(人) = relief.persons | thousands\n"
    "column: 金额(万元) = relief.amount by 区县 | 万元:2\n"
    "column: 占比 = relief.amount by 区县 / relief.amount | pct:1\n"
    "total: 合计\n"
    "sort: desc\n"
    "```\n";

static void test_grouped_table(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;
	const struct doc_table *tb;

	(void)state;
	t = load_ok(grouped_md);
	a = agg_for(t);
	relief(a, 0, "广安区", "城市低保", 1, 12345678); /* 123,456.78 yuan */
	relief(a, 1, "前锋区", "城市低保", 1, 1000000);  /* 10,000.00 */
	relief(a, 1, "前锋区", "城市低保", 2, 1000000);
	relief(a, 2, "前锋区", "农村低保", 1, 500000); /* 5,000.00 */
	relief(a, 0, "华蓥市", "临时救助", 3, 100000); /* person 0 again: 1,000.00 */
	agg_finish(a);
	d = template_build(t, a, NULL);
	tb = find_block(d, DOC_TABLE, 0)->table;
	assert_string_equal(tb->title, "2021年各区县低保");
	assert_int_equal(tb->ncols, 4);
	assert_int_equal(tb->nrows, 7); /* six districts and 合计 */
	assert_true(tb->has_total);
	assert_string_equal(tb->header[0], "区县");
	assert_string_equal(tb->header[2], "金额(万元)");
	/* sorted by persons, descending; ties keep the schema's order */
	assert_string_equal(cell(tb, 0, 0)->text, "前锋区");
	assert_string_equal(cell(tb, 0, 1)->text, "2");
	assert_string_equal(cell(tb, 1, 0)->text, "广安区");
	assert_string_equal(cell(tb, 2, 0)->text, "华蓥市");
	assert_string_equal(cell(tb, 3, 0)->text, "岳池县");
	/* money in 万元 without the 万 suffix: 25,000.00 yuan */
	assert_string_equal(cell(tb, 0, 2)->text, "2.50");
	assert_true(cell(tb, 0, 2)->numeric);
	assert_int_equal(cell(tb, 0, 2)->raw, 2500000);
	assert_int_equal(cell(tb, 0, 2)->unit, UNIT_FEN);
	assert_int_equal(cell(tb, 0, 2)->scale, 10000);
	assert_int_equal(cell(tb, 0, 2)->digits, 2);
	assert_string_equal(cell(tb, 1, 2)->text, "12.35");
	/* 25,000 of 149,456.78 */
	assert_string_equal(cell(tb, 0, 3)->text, "16.7%");
	/* totals: person 0 is in two districts, so 3 persons, not 4 */
	assert_string_equal(cell(tb, 6, 0)->text, "合计");
	assert_string_equal(cell(tb, 6, 1)->text, "3");
	assert_int_equal(cell(tb, 6, 1)->raw, 3);
	assert_false(tb->summable[1]);
	assert_string_equal(cell(tb, 6, 2)->text, "14.95");
	assert_int_equal(cell(tb, 6, 2)->raw, 14945678);
	assert_true(tb->summable[2]);
	assert_string_equal(cell(tb, 6, 3)->text, "100.0%");
	assert_false(tb->summable[3]);
	doc_free(d);
	agg_free(a);
	template_free(t);
}

static void test_listed_table(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;
	const struct doc_table *tb;

	(void)state;
	t = load_ok("```table\n"
		    "title: 社会救助兜底保障情况\n"
		    "columns: 项目 | 人数(人) | 金额(万元)\n"
		    "formats: int | 万元:1\n"
		    "row: 城乡低保 | relief.persons[救助类别=城市低保,农村低保] | "
		    "relief.amount[救助类别=城市低保,农村低保]\n"
		    "row: 临时救助 | relief.rows[救助类别=临时救助] | -\n"
		    "total: 合计\n"
		    "note: 单位:人、万元\n"
		    "```\n");
	a = agg_for(t);
	relief(a, 0, "广安区", "城市低保", 1, 10000000); /* 100,000.00 */
	relief(a, 1, "前锋区", "农村低保", 1, 5000000);  /* 50,000.00 */
	relief(a, 2, "前锋区", "临时救助", 1, 100000);
	relief(a, 2, "前锋区", "临时救助", 2, 100000);
	agg_finish(a);
	d = template_build(t, a, NULL);
	tb = find_block(d, DOC_TABLE, 0)->table;
	assert_int_equal(tb->nrows, 3);
	assert_string_equal(tb->note, "单位:人、万元");
	assert_string_equal(cell(tb, 0, 0)->text, "城乡低保");
	assert_string_equal(cell(tb, 0, 1)->text, "2");
	assert_string_equal(cell(tb, 0, 2)->text, "15.0");
	assert_int_equal(cell(tb, 0, 2)->digits, 1);
	assert_string_equal(cell(tb, 1, 1)->text, "2");
	assert_string_equal(cell(tb, 1, 2)->text, "—");
	assert_false(cell(tb, 1, 2)->numeric);
	assert_string_equal(cell(tb, 2, 0)->text, "合计");
	assert_string_equal(cell(tb, 2, 1)->text, "4");
	assert_true(tb->summable[1]);
	assert_string_equal(cell(tb, 2, 2)->text, "15.0");
	assert_true(tb->summable[2]);
	doc_free(d);
	agg_free(a);
	template_free(t);
}

/* A charity row: kind, fen, and 受益人次 when beneficiaries >= 0. */
static void charity(struct agg *a, const char *kind, int64_t fen, int64_t beneficiaries)
{
	struct row r;

	row_init(&r, "charity");
	set_enum(&r, "收支类型", kind);
	set_num(&r, "金额", fen);
	if (beneficiaries >= 0)
		set_num(&r, "受益人次", beneficiaries);
	feed(a, &r, WINDOW_CUR);
}

/*
 * A sum over a column none of whose rows in a cell hold a value has no
 * meaning: "—", not 0 (受益人次 of 捐赠收入), and the total is the sum of the
 * real values; a value of 0 that was read stays 0.
 */
static void test_sum_without_values(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;
	const struct doc_table *tb;
	const struct doc_chart *c;
	char *s;

	(void)state;
	t = load_ok("```table\n"
		    "title: 慈善\n"
		    "rows: 收支类型\n"
		    "column: 金额（万元） = charity.amount by 收支类型 | 万元:2\n"
		    "column: 受益人次 = charity.sum(受益人次) by 收支类型 | thousands\n"
		    "total: 合计\n"
		    "```\n"
		    "\n"
		    "```table\n"
		    "title: 列举\n"
		    "columns: 项目 | 受益人次\n"
		    "formats: thousands\n"
		    "row: 捐赠 | charity.sum(受益人次)[收支类型=捐赠收入]\n"
		    "row: 支出 | charity.sum(受益人次)[收支类型=项目支出]\n"
		    "row: 其他 | -\n"
		    "total: 合计\n"
		    "```\n"
		    "\n"
		    "```chart\n"
		    "type: bar\n"
		    "title: 受益\n"
		    "unit: 人次\n"
		    "series: 本年 = charity.sum(受益人次) by 收支类型\n"
		    "series: 上年 = charity.sum(受益人次)@prev by 收支类型\n"
		    "```\n"
		    "\n"
		    "捐赠惠及{{ charity.sum(受益人次)[收支类型=捐赠收入] }}人次，"
		    "慰问{{ charity.sum(受益人次)[收支类型=慰问金(品)] }}人次。\n");
	a = agg_for(t);
	charity(a, "捐赠收入", 500000, -1);
	charity(a, "捐赠收入", 300000, -1);
	charity(a, "项目支出", 200000, 1200);
	charity(a, "项目支出", 100000, -1);  /* one row without: the sum of the others */
	charity(a, "慰问金(品)", 100000, 0); /* read as 0: a real 0 */
	agg_finish(a);
	d = template_build(t, a, NULL);
	tb = find_block(d, DOC_TABLE, 0)->table;
	assert_int_equal(tb->nrows, 4);
	assert_string_equal(cell(tb, 0, 0)->text, "捐赠收入");
	assert_string_equal(cell(tb, 0, 1)->text, "0.80");
	assert_string_equal(cell(tb, 0, 2)->text, "—");
	assert_false(cell(tb, 0, 2)->numeric);
	/* set where a number would be: aligned as the numbers, a text cell */
	assert_true(cell(tb, 0, 2)->no_value);
	assert_false(cell(tb, 0, 1)->no_value);
	assert_false(cell(tb, 0, 0)->no_value);
	assert_string_equal(cell(tb, 1, 2)->text, "1,200");
	assert_false(cell(tb, 1, 2)->no_value);
	assert_string_equal(cell(tb, 2, 2)->text, "0");
	assert_true(cell(tb, 2, 2)->numeric);
	assert_false(cell(tb, 2, 2)->no_value);
	assert_false(cell(tb, 3, 2)->no_value);
	assert_string_equal(cell(tb, 3, 2)->text, "1,200");
	assert_int_equal(cell(tb, 3, 2)->raw, 1200);
	assert_true(tb->summable[2]);
	tb = find_block(d, DOC_TABLE, 1)->table;
	assert_string_equal(cell(tb, 0, 1)->text, "—");
	assert_true(cell(tb, 0, 1)->no_value);
	assert_string_equal(cell(tb, 1, 1)->text, "1,200");
	assert_false(cell(tb, 1, 1)->no_value);
	assert_string_equal(cell(tb, 2, 1)->text, "—"); /* "-" of the template */
	assert_true(cell(tb, 2, 1)->no_value);
	assert_string_equal(cell(tb, 3, 1)->text, "1,200");
	assert_true(tb->summable[1]);
	/*
	 * The chart keeps the category but has no value there: label "—", no
	 * 0 bar; a real 0 stays 0; a comparison period without rows has no
	 * value anywhere.
	 */
	c = find_block(d, DOC_CHART, 0)->chart;
	assert_int_equal(c->ncat, 3);
	assert_string_equal(c->categories[0], "捐赠收入");
	assert_true(doc_series_no_value(&c->series[0], 0));
	assert_string_equal(c->series[0].labels[0], "—");
	assert_int_equal(c->series[0].values[0], 0);
	assert_false(doc_series_no_value(&c->series[0], 1));
	assert_string_equal(c->series[0].labels[1], "1,200");
	assert_false(doc_series_no_value(&c->series[0], 2));
	assert_string_equal(c->series[0].labels[2], "0");
	for (size_t i = 0; i < c->ncat; i++) {
		assert_true(doc_series_no_value(&c->series[1], i));
		assert_string_equal(c->series[1].labels[i], "—");
	}
	/* the axis is that of the values there are */
	assert_int_equal(c->digits, 0);
	assert_true(c->vmax >= 1200);
	s = block_text(find_block(d, DOC_PARAGRAPH, 0));
	assert_string_equal(s, "捐赠惠及—人次，慰问0人次。");
	free(s);
	doc_free(d);
	agg_free(a);
	template_free(t);
}

static void test_gfm_table(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;
	const struct doc_table *tb;

	(void)state;
	t = load_ok("表:{year}年直接写的表格\n"
		    "\n"
		    "| 项目 | 金额 |\n"
		    "|------|-----:|\n"
		    "| 低保 | {{ relief.amount[救助类别=城市低保] | 万:1 }} |\n"
		    "| 说明 | 共{{ relief.rows }}条 |\n");
	a = agg_for(t);
	relief(a, 0, "广安区", "城市低保", 1, 26650000); /* 266,500.00 */
	agg_finish(a);
	d = template_build(t, a, NULL);
	assert_int_equal(d->nblocks, 1); /* the caption is not a paragraph */
	tb = d->blocks[0].table;
	assert_string_equal(tb->title, "2021年直接写的表格");
	assert_int_equal(tb->ncols, 2);
	assert_int_equal(tb->nrows, 2);
	assert_string_equal(tb->header[1], "金额");
	assert_string_equal(cell(tb, 0, 1)->text, "26.7万");
	assert_true(cell(tb, 0, 1)->numeric);
	assert_int_equal(cell(tb, 0, 1)->raw, 26650000);
	assert_int_equal(cell(tb, 0, 1)->scale, 10000);
	assert_string_equal(cell(tb, 1, 1)->text, "共1条");
	assert_false(cell(tb, 1, 1)->numeric);
	assert_int_equal(d->nfigures, 2);
	doc_free(d);
	agg_free(a);
	template_free(t);
}

static void test_bar_chart(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;
	const struct doc_chart *c;

	(void)state;
	t = load_ok("```chart\n"
		    "type: 柱状图\n"
		    "title: 各区县城乡低保金发放情况\n"
		    "series: 低保金 = relief.amount[救助类别=城市低保,农村低保] by 区县\n"
		    "unit: 万元\n"
		    "sort: desc\n"
		    "colors: #1F4E79\n"
		    "```\n");
	a = agg_for(t);
	relief(a, 0, "华蓥市", "城市低保", 1, 26650000);  /* 26.65 万 */
	relief(a, 1, "邻水县", "农村低保", 1, 100000000); /* 100 万 */
	relief(a, 2, "广安区", "临时救助", 1, 999999999); /* not 低保 */
	agg_finish(a);
	d = template_build(t, a, NULL);
	c = d->blocks[0].chart;
	assert_int_equal(c->type, CHART_BAR);
	assert_string_equal(c->title, "各区县城乡低保金发放情况");
	assert_int_equal(c->unit, UNIT_FEN);
	assert_int_equal(c->scale, 10000);
	assert_string_equal(c->unit_label, "万元");
	assert_string_equal(c->category_label, "区县");
	assert_int_equal(c->ncat, 6);
	assert_string_equal(c->categories[0], "邻水县");
	assert_string_equal(c->categories[1], "华蓥市");
	assert_string_equal(c->categories[2], "广安区"); /* zeros in schema order */
	assert_int_equal(c->nseries, 1);
	assert_string_equal(c->series[0].name, "低保金");
	/* the data sheet's columns: one unit each, in the heading */
	assert_string_equal(c->series[0].head, "低保金（元）");
	assert_string_equal(c->series[0].head_scaled, "低保金（万元）");
	assert_int_equal(c->series[0].values[0], 100000000);
	assert_string_equal(c->series[0].labels[0], "100.0");
	assert_string_equal(c->series[0].labels[1], "26.7");
	assert_int_equal(c->series[0].color, 0x1f4e79);
	doc_free(d);
	agg_free(a);
	template_free(t);
}

static void test_stacked_and_line_charts(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;
	const struct doc_chart *c;

	(void)state;
	t = load_ok("```chart\n"
		    "type: stacked\n"
		    "title: 分区县分类别\n"
		    "series: relief.amount by 区县, 救助类别\n"
		    "```\n"
		    "\n"
		    "```chart\n"
		    "type: line\n"
		    "title: 月度\n"
		    "series: 人次 = relief.rows by 发放年月\n"
		    "```\n");
	a = agg_for(t);
	relief(a, 0, "华蓥市", "城市低保", 1, 100);
	relief(a, 1, "华蓥市", "农村低保", 3, 200);
	relief(a, 1, "广安区", "农村低保", 3, 400);
	agg_finish(a);
	d = template_build(t, a, NULL);
	c = d->blocks[0].chart;
	assert_int_equal(c->type, CHART_STACKED);
	assert_int_equal(c->ncat, 6);
	assert_string_equal(c->categories[0], "广安区");
	assert_int_equal(c->nseries, 4); /* one per 救助类别 */
	assert_string_equal(c->series[0].name, "城市低保");
	assert_string_equal(c->series[1].name, "农村低保");
	assert_int_equal(c->series[1].values[0], 400);
	assert_int_equal(c->series[1].values[2], 200);
	assert_int_equal(c->series[0].values[2], 100);
	c = d->blocks[1].chart;
	assert_int_equal(c->type, CHART_LINE);
	assert_int_equal(c->ncat, 12);
	assert_string_equal(c->categories[0], "1月");
	assert_string_equal(c->categories[11], "12月");
	assert_string_equal(c->category_label, "发放年月");
	assert_string_equal(c->unit_label, "人次");
	assert_int_equal(c->series[0].values[2], 2);
	assert_string_equal(c->series[0].labels[2], "2");
	doc_free(d);
	agg_free(a);
	template_free(t);
}

static void children_row(struct agg *a, uint32_t person, const char *item, int64_t fen,
			 unsigned slot)
{
	struct row r;

	row_init(&r, "children");
	set_person(&r, person);
	set_enum(&r, "区县", "广安区");
	set_enum(&r, "儿童类别", "社会散居孤儿");
	set_enum(&r, "项目", item);
	set_num(&r, "发放年月", (slot == WINDOW_PREV ? YEAR - 1 : YEAR) * 100 + 1);
	set_num(&r, "金额", fen);
	feed(a, &r, slot);
}

static void test_growth(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;

	(void)state;
	t = load_ok("儿童{{ children.amount | growth:1 }},救助{{ relief.amount | growth:1 }}。\n");
	a = agg_for(t);
	assert_true((agg_wants(a) & WINDOW_PREV));
	children_row(a, 0, "基本生活费", 11000, WINDOW_CUR);
	children_row(a, 0, "基本生活费", 10000, WINDOW_PREV);
	relief(a, 0, "广安区", "城市低保", 1, 100); /* no 2020 rows of relief */
	agg_finish(a);
	d = template_build(t, a, NULL);
	expect_text(d, DOC_PARAGRAPH, 0, "儿童增长10.0%,救助—。");
	assert_true(d->figures[0].present);
	/* a growth figure: raw / den is the change, 11000 against 10000 */
	assert_int_equal(d->figures[0].raw, 1000);
	assert_int_equal(d->figures[0].den, 10000);
	assert_false(d->figures[1].present);
	doc_free(d);
	agg_free(a);
	template_free(t);
}

static void children_month(struct agg *a, int month, int64_t fen, unsigned slot)
{
	struct row r;

	row_init(&r, "children");
	set_person(&r, 7);
	set_enum(&r, "区县", "前锋区");
	set_enum(&r, "儿童类别", "困境儿童");
	set_enum(&r, "项目", "关爱帮扶");
	set_num(&r, "发放年月", (slot == WINDOW_PREV ? YEAR - 1 : YEAR) * 100 + month);
	set_num(&r, "金额", fen);
	feed(a, &r, slot);
}

/* This year's March lines up with last year's March. */
static void test_prev_by_month(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;
	const struct doc_chart *c;
	const struct doc_table *tb;

	(void)state;
	t = load_ok("```chart\n"
		    "type: line\n"
		    "title: 月度对比\n"
		    "series: {year}年 = children.amount by 发放年月\n"
		    "series: 上年 = children.amount@prev by 发放年月\n"
		    "unit: 元\n"
		    "```\n"
		    "\n"
		    "```table\n"
		    "title: 月度\n"
		    "rows: 发放年月\n"
		    "column: 金额(元) = children.amount | 元\n"
		    "column: 较上年 = children.amount | growth:0\n"
		    "total: 合计\n"
		    "```\n");
	a = agg_for(t);
	children_month(a, 3, 30000, WINDOW_CUR);
	children_month(a, 3, 20000, WINDOW_PREV);
	children_month(a, 4, 10000, WINDOW_PREV);
	agg_finish(a);
	d = template_build(t, a, NULL);
	c = d->blocks[0].chart;
	assert_int_equal(c->ncat, 12);
	assert_string_equal(c->categories[2], "3月");
	assert_int_equal(c->nseries, 2);
	assert_string_equal(c->series[0].name, "2021年");
	assert_int_equal(c->series[0].values[2], 30000);
	assert_int_equal(c->series[1].values[2], 20000);
	assert_int_equal(c->series[1].values[3], 10000);
	assert_string_equal(c->series[1].labels[3], "100");
	tb = d->blocks[1].table;
	assert_int_equal(tb->nrows, 13);
	assert_string_equal(cell(tb, 2, 0)->text, "3月");
	assert_string_equal(cell(tb, 2, 1)->text, "300.00");
	assert_string_equal(cell(tb, 2, 2)->text, "增长50%");
	assert_string_equal(cell(tb, 3, 2)->text, "下降100%");
	assert_string_equal(cell(tb, 0, 2)->text, "—"); /* no base in January */
	assert_true(cell(tb, 0, 2)->no_value);
	assert_false(cell(tb, 3, 2)->no_value);
	assert_string_equal(cell(tb, 12, 1)->text, "300.00");
	assert_string_equal(cell(tb, 12, 2)->text, "持平");
	doc_free(d);
	agg_free(a);
	template_free(t);
}

static void test_mail(void **state)
{
	struct template *t;
	struct agg *a;
	char *subject, *body;

	(void)state;
	t = load_ok("---\n"
		    "mail_subject: {year}年报告:{{ relief.persons | int }}人\n"
		    "mail_body: 您好:\\n低保金{{ relief.amount | 亿:1 }}元。\n"
		    "---\n"
		    "正文\n");
	assert_string_equal(template_meta(t)->mail_body,
			    "您好:\n低保金{{ relief.amount | 亿:1 }}元。");
	a = agg_for(t);
	relief(a, 0, "广安区", "城市低保", 1, 35000000000); /* 3.5 亿 yuan */
	agg_finish(a);
	subject = template_fill_mail(t, a, "subject");
	body = template_fill_mail(t, a, "body");
	assert_string_equal(subject, "2021年报告:1人");
	assert_string_equal(body, "您好:\n低保金3.5亿元。");
	assert_null(template_fill_mail(t, a, "other"));
	free(subject);
	free(body);
	agg_free(a);
	template_free(t);
}

static void test_mail_placeholder_error(void **state)
{
	struct loaded l;

	(void)state;
	l = load("---\nmail_body: 共{{ relief.amount by 区县 }}\ntitle: {{ relief.rows }}\n---\n");
	expect_diag(&l, 2, 16, "分组序列");
	expect_diag(&l, 3, 8, "不能使用 {{ }} 占位符");
	unload(&l);
}

/* The seed's sentences, figure by figure, from rows made to match them. */
static void test_seed_sentence(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;
	struct row r;

	(void)state;
	t = load_ok("累计接受捐赠资金{{ charity.amount[收支类型=捐赠收入] | 万:2 }}元,"
		    "实施慈善项目{{ charity.distinct(项目名称)[收支类型=项目支出] }}个,"
		    "惠及群众{{ charity.sum(受益人次)[收支类型=项目支出] | 余:3 }}人次。\n");
	a = agg_for(t);
	row_init(&r, "charity");
	set_num(&r, "日期", 20210301);
	set_enum(&r, "收支类型", "捐赠收入");
	set_num(&r, "金额", 54230000);
	feed(a, &r, WINDOW_CUR);
	for (int i = 0; i < 6; i++) {
		char name[16];

		snprintf(name, sizeof(name), "项目%d", i % 4);
		row_init(&r, "charity");
		set_num(&r, "日期", 20210401 + i);
		set_enum(&r, "收支类型", "项目支出");
		set_text(&r, "项目名称", name);
		set_num(&r, "金额", 100000);
		set_num(&r, "受益人次", 350);
		feed(a, &r, WINDOW_CUR);
	}
	agg_finish(a);
	d = template_build(t, a, NULL);
	expect_text(d, DOC_PARAGRAPH, 0,
		    "累计接受捐赠资金54.23万元,实施慈善项目4个,惠及群众2000余人次。");
	doc_free(d);
	agg_free(a);
	template_free(t);
}

/* d's figure i has this label and unit (the 指标 sheet's). */
static void expect_figure(const struct doc *d, size_t i, const char *label, const char *unit)
{
	assert_true(i < d->nfigures);
	if (strcmp(d->figures[i].label, label) != 0 || strcmp(d->figures[i].unit_label, unit) != 0)
		fail_msg("figure %zu: label “%s” unit “%s”, want “%s” “%s”", i, d->figures[i].label,
			 d->figures[i].unit_label, label, unit);
}

/*
 * Each figure's words for the 指标 sheet, made here and carried in the doc:
 * the clause it stands in (the figure in 【】), else the expression or its
 * table row and column; the unit from the data, or the measure word after
 * it, or the heading's brackets, where the data cannot tell.
 */
static void test_figure_labels(void **state)
{
	struct template *t;
	struct agg *a;
	struct doc *d;

	(void)state;
	t = load_ok(
	    "{{ $year }}年，为{{ relief.persons[救助类别=城市低保,农村低保] }}名城乡困难群众"
	    "发放低保金{{ relief.amount[救助类别=城市低保,农村低保] | 万:1 }}元；"
	    "人均{{ relief.amount / relief.persons | 元:2 }}元，"
	    "低保占{{ relief.amount[救助类别=城市低保,农村低保] / relief.amount }}。\n"
	    "收到捐赠{{ charity.rows }}笔，{{ charity.rows }}，"
	    "建成{{ elderly.sum(数量)[项目类型=养老驿站] }}，"
	    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三"
	    "{{ relief.households }}户一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
	    "一二三。\n"
	    "\n"
	    "| 项目 | 数量（个） | 人数 |\n"
	    "|---|---|---|\n"
	    "| 驿站 | {{ elderly.sum(数量)[项目类型=养老驿站] }} | {{ relief.persons }} |\n"
	    "| 床位(张) | {{ relief.amount | 万:2 }}元 | "
	    "{{ elderly.sum(数量)[项目类型=敬老院床位改造] }} |\n");
	a = agg_for(t);
	agg_finish(a);
	d = template_build(t, a, NULL);
	assert_int_equal(d->nfigures, 12); /* $year is no figure */
	expect_figure(d, 0, "为【0】名城乡困难群众发放低保金0.0万元", "人");
	expect_figure(d, 1, "为0名城乡困难群众发放低保金【0.0万】元", "元");
	/* an average: the unit is money per person, not the sentence's 元 */
	assert_string_equal(d->figures[2].unit_label, "元/人");
	assert_string_equal(d->figures[3].unit_label, "%");
	/* a share of nothing (no rows: 0 / 0) shows "—" and has no number */
	assert_string_equal(d->figures[3].text, "—");
	assert_false(d->figures[3].present);
	assert_true(d->figures[0].present); /* 0 persons is a number */
	/* rows: the sentence's 笔 over the 人次 they mostly are */
	expect_figure(d, 4, "收到捐赠【0】笔", "笔");
	/* alone in its clause: the expression, and the data's unit */
	expect_figure(d, 5, "charity.rows", "人次");
	/* neither data nor text knows what 数量 counts */
	expect_figure(d, 6, "建成【0】", "");
	/* 30 characters each side at most */
	expect_figure(d, 7,
		      "…四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三【0】户一二三"
		      "四五六七八九十一二三四五六七八九十一二三四五六七八九…",
		      "户");
	/* a cell of a table: its row and column; the heading's unit */
	expect_figure(d, 8, "驿站 数量（个）", "个");
	expect_figure(d, 9, "驿站 人数", "人");
	/* text in the cell that says nothing but the unit; the row's brackets */
	expect_figure(d, 10, "床位(张) 数量（个）", "元");
	expect_figure(d, 11, "床位(张) 人数", "张");
	doc_free(d);
	agg_free(a);
	template_free(t);
}

/* The helpers under test_figure_labels, on edges and hostile text. */
static void test_label_helpers(void **state)
{
	static const char bad[] = "为\xff\xfe"
				  "12名\xe4\xb8"
				  "群众";
	char *l;

	(void)state;
	assert_string_equal(tpl_unit_word("名城乡困难群众"), "人");
	assert_string_equal(tpl_unit_word("人次。"), "人次");
	assert_string_equal(tpl_unit_word("万人"), "人");
	assert_string_equal(tpl_unit_word("亿元"), "元");
	assert_null(tpl_unit_word(""));
	assert_null(tpl_unit_word("万"));
	assert_null(tpl_unit_word("，"));
	assert_string_equal(tpl_bracket_unit("数量（个）"), "个");
	assert_string_equal(tpl_bracket_unit("金额(万元)"), "元");
	assert_null(tpl_bracket_unit("人数（含临时救助）"));
	assert_null(tpl_bracket_unit("数量（个）合计"));
	assert_null(tpl_bracket_unit("（"));
	assert_null(tpl_bracket_unit("）"));
	assert_null(tpl_bracket_unit(""));
	/* 2,440 is one number, not two clauses; the clause ends at the comma after */
	l = tpl_figure_label("惠及2,440人次发放35个,共计", 23, 2);
	assert_string_equal(l, "惠及2,440人次发放【35】个");
	free(l);
	l = tpl_figure_label("惠及2,440人次，发放35个", 26, 2);
	assert_string_equal(l, "发放【35】个");
	free(l);
	l = tpl_figure_label("惠及2,440人次，发放35个", 6, 5);
	assert_string_equal(l, "惠及【2,440】人次");
	free(l);
	/* at the very start and end, with blanks trimmed */
	l = tpl_figure_label("  12 名群众  ", 2, 2);
	assert_string_equal(l, "【12】 名群众");
	free(l);
	/* the figure and its unit only: no label */
	assert_null(tpl_figure_label("12人", 0, 2));
	assert_null(tpl_figure_label("", 0, 0));
	assert_null(tpl_figure_label("12", 1, 5)); /* outside the text */
	/* bytes that are not UTF-8 never stop it or overrun */
	l = tpl_figure_label(bad, 5, 2);
	assert_non_null(l);
	assert_non_null(strstr(l, "【12】"));
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_template_loads),
	    cmocka_unit_test(test_font_roles),
	    cmocka_unit_test(test_default_template_builds),
	    cmocka_unit_test(test_front_matter),
	    cmocka_unit_test(test_front_matter_unknown_key),
	    cmocka_unit_test(test_front_matter_output_names),
	    cmocka_unit_test(test_unclosed_front_matter),
	    cmocka_unit_test(test_unknown_dataset),
	    cmocka_unit_test(test_unknown_column),
	    cmocka_unit_test(test_bad_formatter),
	    cmocka_unit_test(test_grouped_figure_in_text),
	    cmocka_unit_test(test_placeholder_errors),
	    cmocka_unit_test(test_scope_text),
	    cmocka_unit_test(test_unknown_chart_key),
	    cmocka_unit_test(test_mismatched_series),
	    cmocka_unit_test(test_chart_unit_mismatch),
	    cmocka_unit_test(test_chart_count_kinds),
	    cmocka_unit_test(test_table_errors),
	    cmocka_unit_test(test_all_diagnostics),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_figures_in_text),
	    cmocka_unit_test(test_many_groups_hashed),
	    cmocka_unit_test(test_expressions_registered_once),
	    cmocka_unit_test(test_metrics_texts),
	    cmocka_unit_test(test_default_formats),
	    cmocka_unit_test(test_soft_breaks),
	    cmocka_unit_test(test_blocks),
	    cmocka_unit_test(test_grouped_table),
	    cmocka_unit_test(test_listed_table),
	    cmocka_unit_test(test_sum_without_values),
	    cmocka_unit_test(test_gfm_table),
	    cmocka_unit_test(test_bar_chart),
	    cmocka_unit_test(test_stacked_and_line_charts),
	    cmocka_unit_test(test_growth),
	    cmocka_unit_test(test_prev_by_month),
	    cmocka_unit_test(test_mail),
	    cmocka_unit_test(test_mail_placeholder_error),
	    cmocka_unit_test(test_seed_sentence),
	    cmocka_unit_test(test_figure_labels),
	    cmocka_unit_test(test_label_helpers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
