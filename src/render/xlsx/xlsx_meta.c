/*
 * xlsx_meta.c - the two fixed sheets after the tables and charts:
 *
 *	指标	 every figure of the narrative: the expression and formatter as
 *		 written in the template, the raw value (yuan or count) and the
 *		 text the report shows, so a reader can check any number.
 *	数据质量 per input file: size, SHA-256 and row counts with a totals
 *		 row; the most frequent reject reasons; where the report came
 *		 from (template, its SHA-256, civreport version).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "util/xalloc.h"
#include "xlsx_priv.h"

static const char *const figure_heads[] = {"表达式", "格式", "数值", "报告文本"};

static void put_heads(struct xlsx_sheet *s, lxw_row_t row, const char *const *heads, size_t n)
{
	for (size_t c = 0; c < n; c++)
		xlsx_put_text(s, row, (lxw_col_t)c, heads[c], s->x->f.header);
}

void xlsx_figures_sheet(struct xlsx_ctx *x)
{
	const struct doc *d = x->doc;
	struct xlsx_sheet s;

	if (!xlsx_sheet_open(x, &s, XLSX_SHEET_FIGURES, true))
		return;
	put_heads(&s, 0, figure_heads, 4);
	for (size_t i = 0; i < d->nfigures; i++) {
		const struct doc_figure *f = &d->figures[i];
		lxw_row_t row = (lxw_row_t)(1 + i);

		xlsx_put_text(&s, row, 0, f->expr, x->f.text);
		xlsx_put_text(&s, row, 1, f->format, x->f.text);
		if (f->present && f->den != 0)
			xlsx_put_number(&s, row, 2, (double)f->raw / (double)f->den, 10,
					x->f.percent[f->digits < 0   ? 0
						     : f->digits > 2 ? 2
								     : f->digits][0]);
		else if (f->present)
			xlsx_put_value(&s, row, 2, f->raw, f->unit,
				       f->unit == UNIT_FEN ? x->f.yuan : x->f.count);
		else
			xlsx_put_text(&s, row, 2, "", x->f.text); /* no data: no number */
		xlsx_put_text(&s, row, 3, f->text && *f->text ? f->text : "—", x->f.text);
	}
	worksheet_freeze_panes(s.ws, 1, 0);
	xlsx_check(x, worksheet_autofilter(s.ws, 0, 0, (lxw_row_t)d->nfigures, 3), s.name);
	xlsx_print_setup(&s, 0, false);
	xlsx_sheet_close(&s);
}

/* The files table of 数据质量. */
enum {
	COL_PATH,
	COL_DATASET,
	COL_ENCODING,
	COL_SIZE,
	COL_SHA,
	COL_READ,
	COL_ACCEPTED,
	COL_REJECTED,
	COL_OUTSIDE,
	NCOLS_FILES
};

static const char *const file_heads[NCOLS_FILES] = {"文件",       "数据集",   "编码",
						    "大小(字节)", "SHA-256",  "读取行数",
						    "接受行数",   "拒收行数", "非本年度行数"};

#define ROW_FILES_TITLE 0
#define ROW_FILES_HEAD  1
#define ROW_FILES       2

static void put_count(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, uint64_t v)
{
	xlsx_put_value(s, row, col, (int64_t)v, UNIT_COUNT, s->x->f.count);
}

static void put_file(struct xlsx_sheet *s, lxw_row_t row, const struct doc_file *f)
{
	const struct xlsx_formats *fm = &s->x->f;

	xlsx_put_text(s, row, COL_PATH, f->path, fm->text);
	xlsx_put_text(s, row, COL_DATASET, f->dataset_title, fm->text);
	xlsx_put_text(s, row, COL_ENCODING, f->encoding, fm->text);
	put_count(s, row, COL_SIZE, (uint64_t)f->size);
	xlsx_put_text(s, row, COL_SHA, f->sha256, fm->text);
	put_count(s, row, COL_READ, f->read);
	put_count(s, row, COL_ACCEPTED, f->accepted);
	put_count(s, row, COL_REJECTED, f->rejected);
	put_count(s, row, COL_OUTSIDE, f->outside);
}

static void put_sum(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, size_t nfiles, uint64_t sum)
{
	lxw_row_t last = (lxw_row_t)(ROW_FILES + nfiles - 1);

	xlsx_put_sum(s, row, col, ROW_FILES, last, (double)sum, xlsx_number_width((int64_t)sum, 0),
		     s->x->f.total_count);
}

static void put_file_totals(struct xlsx_sheet *s, lxw_row_t row, const struct doc *d)
{
	const struct xlsx_formats *fm = &s->x->f;
	uint64_t size = 0, read = 0, accepted = 0, rejected = 0, outside = 0;

	for (size_t i = 0; i < d->nfiles; i++) {
		size += (uint64_t)d->files[i].size;
		read += d->files[i].read;
		accepted += d->files[i].accepted;
		rejected += d->files[i].rejected;
		outside += d->files[i].outside;
	}
	xlsx_put_text(s, row, COL_PATH, "合计", fm->total_text);
	xlsx_put_text(s, row, COL_DATASET, "", fm->total_text);
	xlsx_put_text(s, row, COL_ENCODING, "", fm->total_text);
	xlsx_put_text(s, row, COL_SHA, "", fm->total_text);
	put_sum(s, row, COL_SIZE, d->nfiles, size);
	put_sum(s, row, COL_READ, d->nfiles, read);
	put_sum(s, row, COL_ACCEPTED, d->nfiles, accepted);
	put_sum(s, row, COL_REJECTED, d->nfiles, rejected);
	put_sum(s, row, COL_OUTSIDE, d->nfiles, outside);
}

/* The files with their totals; returns the next free row. */
static lxw_row_t put_files(struct xlsx_sheet *s, const struct doc *d)
{
	lxw_row_t row = ROW_FILES;

	xlsx_put_title(s, ROW_FILES_TITLE, 0, "输入文件", s->x->f.caption);
	put_heads(s, ROW_FILES_HEAD, file_heads, NCOLS_FILES);
	for (size_t i = 0; i < d->nfiles; i++)
		put_file(s, row++, &d->files[i]);
	if (d->nfiles > 0)
		put_file_totals(s, row++, d);
	return row;
}

static lxw_row_t put_reasons(struct xlsx_sheet *s, const struct doc *d, lxw_row_t row)
{
	static const char *const heads[] = {"拒收原因", "行数"};

	xlsx_put_title(s, row++, 0, "主要拒收原因", s->x->f.section);
	put_heads(s, row++, heads, 2);
	for (size_t i = 0; i < d->nreasons; i++) {
		xlsx_put_text(s, row, 0, d->reasons[i].reason, s->x->f.text);
		put_count(s, row++, 1, d->reasons[i].count);
	}
	if (d->nreasons == 0)
		xlsx_put_text(s, row++, 0, "(无)", s->x->f.text);
	return row;
}

/* A key and its value; the value runs on to the right over empty cells. */
static void put_pair(struct xlsx_sheet *s, lxw_row_t row, const char *key, const char *value)
{
	xlsx_put_text(s, row, 0, key, s->x->f.section);
	xlsx_put_title(s, row, 1, value ? value : "", NULL);
}

static void put_provenance(struct xlsx_sheet *s, const struct doc *d, lxw_row_t row)
{
	time_t t = (time_t)d->meta.created;
	char when[32] = "";
	char year[16];
	struct tm tm;

	/* The doc's own time, never the clock: the bytes must not change. */
	if (d->meta.created > 0 && gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	snprintf(year, sizeof(year), "%d", d->meta.year);

	xlsx_put_title(s, row++, 0, "来源", s->x->f.section);
	put_pair(s, row++, "模板", d->template_path);
	put_pair(s, row++, "模板 SHA-256", d->template_sha256);
	put_pair(s, row++, "civreport 版本", d->version);
	put_pair(s, row++, "报告年度", year);
	put_pair(s, row++, "生成时间", when);
}

void xlsx_quality_sheet(struct xlsx_ctx *x)
{
	const struct doc *d = x->doc;
	struct xlsx_sheet s;
	lxw_row_t row;

	if (!xlsx_sheet_open(x, &s, XLSX_SHEET_QUALITY, true))
		return;
	row = put_files(&s, d);
	row = put_reasons(&s, d, row + 1);
	put_provenance(&s, d, row + 1);

	worksheet_freeze_panes(s.ws, ROW_FILES, 0);
	/* The filter covers the files, not their totals row. */
	xlsx_check(x,
		   worksheet_autofilter(s.ws, ROW_FILES_HEAD, 0,
					(lxw_row_t)(ROW_FILES_HEAD + d->nfiles), NCOLS_FILES - 1),
		   s.name);
	xlsx_print_setup(&s, ROW_FILES_HEAD, false);
	xlsx_sheet_close(&s);
}
