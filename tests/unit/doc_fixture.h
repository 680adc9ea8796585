/*
 * doc_fixture.h - a small but complete struct doc for renderer tests.
 *
 * Header-only (static functions) so each test binary can include it without
 * a link step.  The figures are those of the 2021 Guang'an sample: tests can
 * assert exact text and cell values against them.
 */
#ifndef CIVREPORT_DOC_FIXTURE_H
#define CIVREPORT_DOC_FIXTURE_H

#include <string.h>

#include "doc/doc.h"
#include "doc/report.h"
#include "util/xalloc.h"

static const char *const fixture_districts[] = {"广安区", "前锋区", "华蓥市",
						"岳池县", "武胜县", "邻水县"};
/* 低保金 by district, fen */
static const int64_t fixture_amounts[] = {6234512345, 3123456789, 3987654321,
					  8123456700, 6345678900, 7201234567};
static const int64_t fixture_persons[] = {48213, 24102, 30788, 62011, 48890, 52808};

static void fixture_text(struct doc_text *t, const char *s, unsigned flags)
{
	t->runs = xrealloc(t->runs, (t->nruns + 1) * sizeof(*t->runs));
	t->runs[t->nruns].text = xstrdup(s);
	t->runs[t->nruns].flags = flags;
	t->nruns++;
}

static struct doc_block *fixture_block(struct doc *d, enum doc_block_kind kind, int level)
{
	struct doc_block *b;

	d->blocks = xrealloc(d->blocks, (d->nblocks + 1) * sizeof(*d->blocks));
	b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->level = level;
	return b;
}

static struct doc_chart *fixture_chart(enum chart_type type, size_t nseries)
{
	struct doc_chart *c = xcalloc(1, sizeof(*c));

	c->type = type;
	c->title = xstrdup("各区县城乡低保金发放情况");
	c->unit = UNIT_FEN;
	c->scale = 10000;
	c->unit_label = xstrdup("万元");
	c->category_label = xstrdup("区县");
	c->ncat = 6;
	c->categories = xcalloc(6, sizeof(char *));
	for (size_t i = 0; i < 6; i++)
		c->categories[i] = xstrdup(fixture_districts[i]);
	c->nseries = nseries;
	c->series = xcalloc(nseries, sizeof(*c->series));
	for (size_t s = 0; s < nseries; s++) {
		c->series[s].name = xasprintf("系列%zu", s + 1);
		c->series[s].values = xcalloc(6, sizeof(int64_t));
		c->series[s].labels = xcalloc(6, sizeof(char *));
		for (size_t i = 0; i < 6; i++) {
			int64_t v = fixture_amounts[i] / (int64_t)(s + 1);
			c->series[s].values[i] = v;
			/* fen -> 万元 with one decimal, exact */
			c->series[s].labels[i] = xasprintf("%lld.%lld", (long long)(v / 1000000),
							   (long long)((v % 1000000) / 100000));
		}
	}
	return c;
}

static struct doc_table *fixture_table(void)
{
	struct doc_table *t = xcalloc(1, sizeof(*t));
	int64_t sum_p = 0, sum_a = 0;

	t->label = xstrdup("表1");
	t->title = xstrdup("各区县城乡低保发放情况");
	t->ncols = 3;
	t->nrows = 7;
	t->header = xcalloc(3, sizeof(char *));
	t->header[0] = xstrdup("区县");
	t->header[1] = xstrdup("人数");
	t->header[2] = xstrdup("金额(元)");
	t->cells = xcalloc(7 * 3, sizeof(*t->cells));
	t->summable = xcalloc(3, sizeof(bool));
	t->summable[1] = t->summable[2] = true;
	t->has_total = true;
	for (size_t r = 0; r < 7; r++) {
		struct doc_cell *c = &t->cells[r * 3];
		int64_t p = r < 6 ? fixture_persons[r] : sum_p;
		int64_t a = r < 6 ? fixture_amounts[r] : sum_a;

		c[0].text = xstrdup(r < 6 ? fixture_districts[r] : "合计");
		c[1].text = xasprintf("%lld", (long long)p);
		c[1].numeric = true;
		c[1].raw = p;
		c[1].unit = UNIT_COUNT;
		c[2].text = xasprintf("%lld.%02lld", (long long)(a / 100), (long long)(a % 100));
		c[2].numeric = true;
		c[2].raw = a;
		c[2].unit = UNIT_FEN;
		sum_p += p;
		sum_a += a;
	}
	return t;
}

/*
 * The appendix as a run makes it (report_fill): one relief file of 540,012
 * rows, 7 rejected (3 of them for a wrong check character).
 */
static void fixture_appendix(struct doc *d)
{
	static char name[] = "relief", title[] = "社会救助发放明细", path[] = "relief-广安区.csv";
	static struct dataset relief = {.name = name, .title = title};
	struct schema schema = {.sets = &relief, .nsets = 1};
	struct ingest_file file = {.path = path,
				   .ds = &relief,
				   .encoding = "UTF-8",
				   .size = 38211234,
				   .read = 540012,
				   .accepted = 540005,
				   .rejected = 7};
	struct ingest_result res = {.files = &file, .nfiles = 1};
	struct report_source src = {
	    "templates/annual-summary.md",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"};

	memset(file.sha256, 'a', 64);
	res.reasons[VALUE_ID_CHECK] = 3;
	res.reasons[VALUE_ENUM] = 4;
	report_fill(d, &schema, &res, &src, 2021);
}

/* A doc with a title, two sections, a paragraph with figures, a chart of each
 * kind and a table.  Free with doc_free(). */
static struct doc *fixture_doc(void)
{
	struct doc *d = xcalloc(1, sizeof(*d));
	struct doc_block *b;
	static const enum chart_type types[] = {CHART_BAR,  CHART_HBAR, CHART_STACKED,
						CHART_LINE, CHART_PIE,  CHART_DOUGHNUT};

	d->meta.title = xstrdup("广安市2021年民政工作总结");
	d->meta.organisation = xstrdup("广安市民政局");
	d->meta.author = xstrdup("广安市民政局");
	d->meta.subject = xstrdup("2021年民政工作总结");
	d->meta.keywords = xstrdup("民政, 社会救助, 养老服务");
	d->meta.date_label = xstrdup("2021年12月31日");
	d->meta.created = 1640908800; /* 2021-12-31T00:00:00Z */
	d->meta.year = 2021;
	d->meta.font[DOC_FONT_TITLE] = xstrdup("Noto Serif CJK SC");
	d->meta.font[DOC_FONT_HEADING1] = xstrdup("Noto Sans CJK SC");
	d->meta.font[DOC_FONT_HEADING2] = xstrdup("Noto Serif CJK SC");
	d->meta.font[DOC_FONT_BODY] = xstrdup("Noto Serif CJK SC");
	d->meta.font[DOC_FONT_TABLE] = xstrdup("Noto Serif CJK SC");
	d->meta.title_bold = true;

	b = fixture_block(d, DOC_HEADING, 1);
	fixture_text(&b->text, "一、兜牢民生保障底线", 0);
	b = fixture_block(d, DOC_PARAGRAPH, 0);
	fixture_text(&b->text, "今年以来,为", 0);
	fixture_text(&b->text, "26.7万", DOC_RUN_FIGURE);
	fixture_text(&b->text, "名城乡困难群众发放低保金", 0);
	fixture_text(&b->text, "3.5亿", DOC_RUN_FIGURE);
	fixture_text(&b->text, "元,新增城乡低保对象", 0);
	fixture_text(&b->text, "5717", DOC_RUN_FIGURE);
	fixture_text(&b->text, "人。", 0);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		b = fixture_block(d, DOC_CHART, 0);
		b->chart = fixture_chart(
		    types[i], types[i] == CHART_STACKED || types[i] == CHART_LINE ? 2 : 1);
		b->chart->label = xasprintf("图%zu", i + 1);
		doc_chart_finish(b->chart);
	}
	b = fixture_block(d, DOC_TABLE, 0);
	b->table = fixture_table();
	b = fixture_block(d, DOC_HEADING, 1);
	fixture_text(&b->text, "二、夯实老有所养基础", 0);
	b = fixture_block(d, DOC_LIST_ITEM, 1);
	fixture_text(&b->text, "建设养老服务综合体16个。", 0);

	d->figures = xcalloc(1, sizeof(*d->figures));
	d->nfigures = 1;
	d->figures[0].expr = xstrdup("relief.persons[救助类别=城市低保,农村低保]");
	d->figures[0].format = xstrdup("万:1");
	d->figures[0].text = xstrdup("26.7万");
	d->figures[0].raw = 266812;
	d->figures[0].unit = UNIT_COUNT;
	d->figures[0].present = true;
	d->figures[0].label = xstrdup("为【26.7万】名城乡困难群众发放低保金3.5亿元");
	d->figures[0].unit_label = xstrdup("人");

	fixture_appendix(d);
	return d;
}

#endif
