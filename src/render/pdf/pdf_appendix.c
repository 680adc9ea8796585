/*
 * pdf_appendix.c - the last pages of the PDF: 附录 数据质量与来源.
 *
 * A reader of the report must be able to tell where every figure came from
 * and how clean the data was: per input file the rows read, accepted,
 * rejected and outside the year (with a totals row), the most frequent
 * reasons for rejecting rows, and the provenance: each input file's size
 * and SHA-256, the template's path and SHA-256, the civreport version.
 *
 * The tables are built here as ordinary struct doc_table values and drawn
 * by pdf_table(), so they paginate like the body's tables.
 *
 * Must never: leave out a file or the totals (the appendix is the audit
 * trail), or format numbers with the locale (thousands are always ",").
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_layout.h"
#include "util/version.h"
#include "util/xalloc.h"

#define MAX_REASONS 10

/* Provenance lines: small body text, hashes in the mono face. */
static const struct pdf_style prov_style = {PDF_FACE_BODY, PDF_CELL_SIZE, false, 17.0};
static const struct pdf_style hash_style = {PDF_FACE_MONO, 9.0, false, 14.0};

/* 1234567 -> "1,234,567", in a fresh string. */
static char *thousands(uint64_t v)
{
	char digits[32];
	char out[48];
	size_t n, o = 0;

	snprintf(digits, sizeof(digits), "%" PRIu64, v);
	n = strlen(digits);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return xstrdup(out);
}

static struct doc_table *table_new(const char *title, size_t ncols, size_t nrows,
				   const char *const *header)
{
	struct doc_table *t = xcalloc(1, sizeof(*t));

	t->title = xstrdup(title);
	t->ncols = ncols;
	t->nrows = nrows;
	t->header = xcalloc(ncols, sizeof(char *));
	for (size_t c = 0; c < ncols; c++)
		t->header[c] = xstrdup(header[c]);
	t->cells = xcalloc(nrows * ncols + 1, sizeof(*t->cells));
	t->summable = xcalloc(ncols, sizeof(bool));
	return t;
}

static void set_text(struct doc_table *t, size_t r, size_t c, const char *s)
{
	t->cells[r * t->ncols + c].text = xstrdup(s ? s : "");
}

static void set_count(struct doc_table *t, size_t r, size_t c, uint64_t v)
{
	struct doc_cell *cell = &t->cells[r * t->ncols + c];

	cell->text = thousands(v);
	cell->numeric = true;
	cell->raw = (int64_t)v;
	cell->unit = UNIT_COUNT;
}

static int draw_table(struct pdf *p, struct doc_table *t)
{
	int rc = pdf_table(p, t, "附表", ++p->nappendix);

	doc_table_free(t);
	return rc;
}

/* One row per input file and a 合计 row. */
static int quality_table(struct pdf *p)
{
	static const char *const header[] = {"文件",     "数据集",   "编码",  "读取行数",
					     "有效行数", "拒绝行数", "年度外"};
	const struct doc *d = p->doc;
	struct doc_table *t = table_new("输入文件数据质量", 7, d->nfiles + 1, header);
	uint64_t sum[4] = {0};

	for (size_t i = 0; i < d->nfiles; i++) {
		const struct doc_file *f = &d->files[i];
		uint64_t v[4] = {f->read, f->accepted, f->rejected, f->outside};

		set_text(t, i, 0, f->path);
		set_text(t, i, 1, f->dataset_title ? f->dataset_title : f->dataset);
		set_text(t, i, 2, f->encoding);
		for (int k = 0; k < 4; k++) {
			set_count(t, i, 3 + (size_t)k, v[k]);
			sum[k] += v[k];
		}
	}
	set_text(t, d->nfiles, 0, "合计");
	set_text(t, d->nfiles, 1, "");
	set_text(t, d->nfiles, 2, "");
	for (int k = 0; k < 4; k++) {
		set_count(t, d->nfiles, 3 + (size_t)k, sum[k]);
		t->summable[3 + k] = true;
	}
	t->has_total = true;
	t->note = xstrdup("注：“年度外”为日期不在报告年度内的行数。");
	return draw_table(p, t);
}

static int reasons_table(struct pdf *p)
{
	static const char *const header[] = {"序号", "拒绝原因", "行数"};
	const struct doc *d = p->doc;
	size_t n = d->nreasons < MAX_REASONS ? d->nreasons : MAX_REASONS;
	struct doc_table *t = table_new("主要拒绝原因", 3, n, header);

	for (size_t i = 0; i < n; i++) {
		char num[24];

		snprintf(num, sizeof(num), "%zu", i + 1);
		set_text(t, i, 0, num);
		set_text(t, i, 1, d->reasons[i].reason);
		set_count(t, i, 2, d->reasons[i].count);
	}
	if (d->nreasons > MAX_REASONS)
		t->note =
		    xasprintf("注：共%zu类原因，仅列出最多的%d类。", d->nreasons, MAX_REASONS);
	return draw_table(p, t);
}

/* Provenance entries sit two characters in, as paragraphs start. */
#define PROV_X   (PDF_LEFT + PDF_INDENT)
#define PROV_W   (PDF_TEXT_W - PDF_INDENT)
#define PROV_GAP 5.0 /* between entries */

/* A layout, or NULL after an error: the glyph check has failed. */
static void unref(PangoLayout *l)
{
	if (l != NULL)
		g_object_unref(l);
}

/*
 * One file: its path (wrapped if long), its size right-aligned on the same
 * line when given, and "SHA-256 <hash>" under it in the mono face.  Never
 * split across pages.
 */
static int hash_entry(struct pdf *p, const char *path, const char *size, const char *sha256)
{
	PangoLayout *s = NULL, *a = NULL, *b = NULL;
	double sw = 0, ha, hb;
	char *h = xasprintf("SHA-256 %s", sha256);
	int rc = -1;

	if (size != NULL) {
		s = pdf_layout_text(p, &prov_style, size, 0);
		if (s == NULL)
			goto out;
		pdf_layout_tabular(s);
		sw = pdf_layout_width(s) + PDF_CELL_SIZE;
	}
	a = pdf_layout_text(p, &prov_style, path, PROV_W - sw);
	b = pdf_layout_text(p, &hash_style, h, PROV_W);
	if (a == NULL || b == NULL)
		goto out;
	pango_layout_set_wrap(b, PANGO_WRAP_CHAR); /* a hash has no word breaks */
	ha = pdf_layout_height(a);
	hb = pdf_layout_height(b);
	pdf_ensure(p, ha + hb + PROV_GAP);
	pdf_draw_layout(p, a, PROV_X, p->y);
	if (s != NULL)
		pdf_draw_layout(p, s, PDF_LEFT + PDF_TEXT_W - pdf_layout_width(s), p->y);
	p->y += ha;
	pdf_draw_layout(p, b, PROV_X, p->y);
	p->y += hb + PROV_GAP;
	p->page_empty = false;
	rc = 0;
out:
	free(h);
	unref(a);
	unref(b);
	unref(s);
	return rc;
}

/* A bold line introducing a group of entries, kept with the first of them. */
static int group(struct pdf *p, const char *text)
{
	static const struct pdf_style st = {PDF_FACE_BODY, PDF_CELL_SIZE, true, 20.0};

	return pdf_text_block(p, &st, text, PANGO_ALIGN_LEFT, PDF_INDENT, 3 * prov_style.pitch);
}

static int provenance(struct pdf *p)
{
	const struct doc *d = p->doc;
	char *s;
	int rc = 0;

	if (d->nfiles > 0) {
		s = xasprintf("输入文件（%zu个）", d->nfiles);
		rc = group(p, s);
		free(s);
	}
	for (size_t i = 0; i < d->nfiles && rc == 0; i++) {
		const struct doc_file *f = &d->files[i];
		char *n = thousands((uint64_t)(f->size > 0 ? f->size : 0));

		s = xasprintf("%s字节", n);
		rc = hash_entry(p, f->path ? f->path : "", s, f->sha256);
		free(n);
		free(s);
	}
	if (rc == 0 && d->template_path) {
		rc = group(p, "模板");
		if (rc == 0)
			rc = hash_entry(p, d->template_path, NULL, d->template_sha256);
	}
	if (rc == 0) {
		s = xasprintf("生成程序：civreport %s",
			      d->version ? d->version : CIVREPORT_VERSION);
		rc = group(p, s);
		free(s);
	}
	return rc;
}

static int heading(struct pdf *p, int level, const char *text, double keep_next)
{
	struct doc_run run = {.text = xstrdup(text), .flags = 0};
	struct doc_text t = {.runs = &run, .nruns = 1};
	int rc = pdf_heading(p, level, &t, keep_next);

	free(run.text);
	return rc;
}

int pdf_appendix(struct pdf *p)
{
	const struct doc *d = p->doc;

	if (!p->page_empty)
		pdf_new_page(p);
	if (heading(p, 1, "附录 数据质量与来源", 0) < 0)
		return -1;
	if (heading(p, 2, "（一）输入文件", 7 * PDF_BODY_PITCH) < 0 || quality_table(p) < 0)
		return -1;
	/* keep the heading with the table's caption, header and first rows */
	if (heading(p, 2, "（二）主要拒绝原因", 7 * PDF_BODY_PITCH) < 0)
		return -1;
	if (d->nreasons == 0) {
		if (pdf_text_block(p, &prov_style, "所有行均通过校验，没有拒绝的行。",
				   PANGO_ALIGN_LEFT, PDF_INDENT, 0) < 0)
			return -1;
	} else if (reasons_table(p) < 0) {
		return -1;
	}
	if (heading(p, 2, "（三）数据来源", 3 * PDF_BODY_PITCH) < 0)
		return -1;
	return provenance(p);
}
