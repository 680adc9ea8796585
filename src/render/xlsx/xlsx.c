/*
 * xlsx.c - the XLSX renderer's entry point: the workbook, its formats and
 * properties, the sheet order, error reporting, and the cell writers that
 * every sheet uses.  See xlsx.h; the sheets are in xlsx_table.c,
 * xlsx_chart.c and xlsx_meta.c.
 *
 * path is the caller's temporary file (outfile.h renames it into place, as
 * for the PDF); on failure it is removed, never left half-written.
 *
 * Determinism: libxlsxwriter 1.1.4 stamps docProps/core.xml with the
 * properties' created time (dcterms:created and dcterms:modified) and
 * every zip entry with the fixed DOS date 1980-01-01 00:00, so with created
 * pinned to doc->meta.created two renders of one doc are byte-identical.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/testhook.h"
#include "util/xalloc.h"
#include "xlsx.h"
#include "xlsx_priv.h"

/* Widths in Excel's character units. */
#define WIDTH_PAD      2
#define WIDTH_MIN      8
#define WIDTH_MAX      70 /* a SHA-256 in hex fits */
#define PORTRAIT_WIDTH 95 /* wider than this prints landscape */
#define PAPER_A4       9

/*
 * 1.1.4 takes created == 0 to mean "now"; a doc without a creation time gets
 * the zip epoch instead, so the bytes still never depend on the clock.
 */
#define CREATED_FALLBACK 315532800 /* 1980-01-01T00:00:00Z */

/* Keep s (allocated) until the workbook is closed: 1.1.4 may hold pointers. */
static const char *pool_add(struct xlsx_ctx *x, char *s)
{
	x->pool = xgrow(x->pool, &x->cappool, x->npool + 1, sizeof(*x->pool));
	x->pool[x->npool++] = s;
	return s;
}

const char *xlsx_str(struct xlsx_ctx *x, const char *s)
{
	return pool_add(x, xlsx_clean_utf8(s, XLSX_CELL_BYTES));
}

bool xlsx_check(struct xlsx_ctx *x, lxw_error e, const char *what)
{
	if (e == LXW_NO_ERROR)
		return true;
	if (x->lerr == LXW_NO_ERROR) {
		x->lerr = e;
		snprintf(x->where, sizeof(x->where), "%s", what);
	}
	return false;
}

static void name_add(struct xlsx_ctx *x, char *name)
{
	x->names = xgrow(x->names, &x->capnames, x->nnames + 1, sizeof(*x->names));
	x->names[x->nnames++] = name;
}

bool xlsx_sheet_open(struct xlsx_ctx *x, struct xlsx_sheet *s, const char *want, bool fixed)
{
	char *name;
	lxw_error e;

	if (fixed) {
		name = xstrdup(want);
		pool_add(x, name);
	} else {
		name = xlsx_sheet_name(want, (const char *const *)x->names, x->nnames);
		name_add(x, name);
	}
	memset(s, 0, sizeof(*s));
	s->x = x;
	s->name = name;
	/* Validate first: workbook_add_worksheet() says why only on stderr. */
	e = workbook_validate_sheet_name(x->wb, name);
	if (e == LXW_NO_ERROR)
		s->ws = workbook_add_worksheet(x->wb, name);
	if (s->ws == NULL) {
		char what[160];

		snprintf(what, sizeof(what), "工作表名 \"%s\"", name);
		xlsx_check(x, e != LXW_NO_ERROR ? e : LXW_ERROR_MEMORY_MALLOC_FAILED, what);
		return false;
	}
	return true;
}

void xlsx_note_width(struct xlsx_sheet *s, lxw_col_t col, size_t width)
{
	if (col >= s->nwidth) {
		size_t n = (size_t)col + 1;

		s->width = xrealloc(s->width, n * sizeof(*s->width));
		for (size_t i = s->nwidth; i < n; i++)
			s->width[i] = 0;
		s->nwidth = n;
	}
	if ((double)width > s->width[col])
		s->width[col] = (double)width;
}

static double column_width(double display)
{
	double w = display + WIDTH_PAD;

	return w < WIDTH_MIN ? WIDTH_MIN : w > WIDTH_MAX ? WIDTH_MAX : w;
}

static void apply_print(struct xlsx_sheet *s, double total)
{
	char what[160];

	worksheet_set_paper(s->ws, PAPER_A4);
	if (s->whole_page) {
		worksheet_set_landscape(s->ws);
		worksheet_fit_to_pages(s->ws, 1, 1);
		return;
	}
	worksheet_fit_to_pages(s->ws, 1, 0);
	if (total > PORTRAIT_WIDTH)
		worksheet_set_landscape(s->ws);
	snprintf(what, sizeof(what), "%s: 打印标题行", s->name);
	xlsx_check(s->x, worksheet_repeat_rows(s->ws, s->repeat_row, s->repeat_row), what);
}

void xlsx_sheet_close(struct xlsx_sheet *s)
{
	double total = 0;

	for (size_t c = 0; c < s->nwidth; c++) {
		double w;

		if (s->width[c] <= 0)
			continue;
		w = column_width(s->width[c]);
		total += w;
		worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
	}
	if (s->print)
		apply_print(s, total);
	free(s->width);
	s->width = NULL;
	s->nwidth = 0;
}

void xlsx_print_setup(struct xlsx_sheet *s, lxw_row_t header_row, bool whole_page)
{
	s->print = true;
	s->whole_page = whole_page;
	s->repeat_row = header_row;
}

/* "表1 各区县…!B3" for error messages. */
static void cell_what(char *buf, size_t len, const struct xlsx_sheet *s, lxw_row_t row,
		      lxw_col_t col)
{
	char colname[8];

	lxw_col_to_name(colname, col, 0);
	snprintf(buf, len, "%s!%s%u", s->name, colname, (unsigned)row + 1);
}

static void put_string(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, const char *text,
		       lxw_format *fmt, bool fit)
{
	/* Not pooled: worksheet_write_string() copies into the shared strings. */
	char *clean = xlsx_clean_utf8(text, XLSX_CELL_BYTES);
	lxw_error e;

	if (*clean == '\0')
		e = worksheet_write_blank(s->ws, row, col, fmt);
	else
		e = worksheet_write_string(s->ws, row, col, clean, fmt);
	if (e != LXW_NO_ERROR) {
		char what[192];

		cell_what(what, sizeof(what), s, row, col);
		xlsx_check(s->x, e, what);
	}
	if (fit)
		xlsx_note_width(s, col, xlsx_display_width(clean));
	free(clean);
}

void xlsx_put_text(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, const char *text,
		   lxw_format *fmt)
{
	put_string(s, row, col, text, fmt, true);
}

void xlsx_put_title(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, const char *text,
		    lxw_format *fmt)
{
	put_string(s, row, col, text, fmt, false);
}

void xlsx_put_number(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, double v, size_t width,
		     lxw_format *fmt)
{
	lxw_error e = worksheet_write_number(s->ws, row, col, v, fmt);

	if (e != LXW_NO_ERROR) {
		char what[192];

		cell_what(what, sizeof(what), s, row, col);
		xlsx_check(s->x, e, what);
	}
	xlsx_note_width(s, col, width);
}

void xlsx_put_value(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, int64_t raw, enum unit unit,
		    lxw_format *fmt)
{
	if (unit == UNIT_FEN)
		xlsx_put_number(s, row, col, (double)raw / 100.0, xlsx_number_width(raw, 2), fmt);
	else
		xlsx_put_number(s, row, col, (double)raw, xlsx_number_width(raw, 0), fmt);
}

void xlsx_put_sum(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, lxw_row_t first,
		  lxw_row_t last, double value, size_t width, lxw_format *fmt)
{
	char colname[8], formula[64];
	lxw_error e;

	lxw_col_to_name(colname, col, 0);
	snprintf(formula, sizeof(formula), "=SUM(%s%u:%s%u)", colname, (unsigned)first + 1, colname,
		 (unsigned)last + 1);
	/* _num: 1.1.4 stores a formula's value as 0 unless it is given. */
	e = worksheet_write_formula_num(s->ws, row, col, formula, fmt, value);
	if (e != LXW_NO_ERROR) {
		char what[192];

		cell_what(what, sizeof(what), s, row, col);
		xlsx_check(s->x, e, what);
	}
	xlsx_note_width(s, col, width);
}

static lxw_format *new_format(lxw_workbook *wb, bool bold, bool border, const char *numfmt)
{
	lxw_format *f = workbook_add_format(wb);

	if (bold)
		format_set_bold(f);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	if (numfmt)
		format_set_num_format(f, numfmt);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	return f;
}

static void formats_init(struct xlsx_ctx *x)
{
	struct xlsx_formats *f = &x->f;
	lxw_workbook *wb = x->wb;

	f->caption = new_format(wb, true, false, NULL);
	format_set_font_size(f->caption, 14);
	f->section = new_format(wb, true, false, NULL);
	format_set_font_size(f->section, 12);
	f->header = new_format(wb, true, true, NULL);
	format_set_align(f->header, LXW_ALIGN_CENTER);
	format_set_bg_color(f->header, 0xDDEBF7);
	format_set_text_wrap(f->header);
	f->text = new_format(wb, false, true, NULL);
	f->yuan = new_format(wb, false, true, XLSX_NUMFMT_YUAN);
	f->count = new_format(wb, false, true, XLSX_NUMFMT_COUNT);
	f->scaled = new_format(wb, false, true, XLSX_NUMFMT_SCALED);
	f->total_text = new_format(wb, true, true, NULL);
	f->total_yuan = new_format(wb, true, true, XLSX_NUMFMT_YUAN);
	f->total_count = new_format(wb, true, true, XLSX_NUMFMT_COUNT);
	format_set_bg_color(f->total_text, 0xF2F2F2);
	format_set_bg_color(f->total_yuan, 0xF2F2F2);
	format_set_bg_color(f->total_count, 0xF2F2F2);
	for (int d = 0; d < 3; d++)
		for (int t = 0; t < 2; t++) {
			static const char *const numfmt[3] = {"#,##0", "#,##0.0", "#,##0.00"};
			static const char *const pctfmt[3] = {"0%", "0.0%", "0.00%"};
			f->digits[d][t] = new_format(wb, t, true, numfmt[d]);
			f->percent[d][t] = new_format(wb, t, true, pctfmt[d]);
			if (t) {
				format_set_bg_color(f->digits[d][t], 0xF2F2F2);
				format_set_bg_color(f->percent[d][t], 0xF2F2F2);
			}
		}
	f->unit = new_format(wb, false, true, NULL);
	format_set_align(f->unit, LXW_ALIGN_CENTER);
	format_set_italic(f->unit);
	format_set_font_color(f->unit, 0x595959);
}

static void set_properties(struct xlsx_ctx *x)
{
	const struct doc_meta *m = &x->doc->meta;
	lxw_doc_properties p = {0};
	char *comments;

	comments = xasprintf("civreport %s", x->doc->version ? x->doc->version : "");
	p.title = (char *)xlsx_str(x, m->title);
	p.subject = (char *)xlsx_str(x, m->subject);
	p.author = (char *)xlsx_str(x, m->author);
	p.company = (char *)xlsx_str(x, m->organisation);
	p.keywords = (char *)xlsx_str(x, m->keywords);
	p.comments = (char *)xlsx_str(x, comments);
	p.created = m->created > 0 ? (time_t)m->created : (time_t)CREATED_FALLBACK;
	free(comments);
	xlsx_check(x, workbook_set_properties(x->wb, &p), "文档属性");
}

/* One sheet per table and chart, numbered as the PDF numbers captions. */
static void block_sheets(struct xlsx_ctx *x)
{
	int tables = 0, charts = 0;

	for (size_t i = 0; i < x->doc->nblocks; i++) {
		const struct doc_block *b = &x->doc->blocks[i];

		if (b->kind == DOC_TABLE && b->table)
			xlsx_table_sheet(x, b->table, ++tables);
		else if (b->kind == DOC_CHART && b->chart)
			xlsx_chart_sheet(x, b->chart, ++charts);
	}
}

static void ctx_free(struct xlsx_ctx *x)
{
	for (size_t i = 0; i < x->npool; i++)
		free(x->pool[i]);
	for (size_t i = 0; i < x->nnames; i++)
		free(x->names[i]);
	free(x->pool);
	free(x->names);
}

static void report(char *err, size_t errlen, const char *path, const struct xlsx_ctx *x,
		   lxw_error e, int saved_errno)
{
	const char *where = x->lerr != LXW_NO_ERROR ? x->where : "保存工作簿";

	if (e == LXW_ERROR_CREATING_XLSX_FILE && saved_errno)
		snprintf(err, errlen, "XLSX：写入 %s 失败：%s：%s（%s）", path, where,
			 lxw_strerror(e), strerror(saved_errno));
	else
		snprintf(err, errlen, "XLSX：写入 %s 失败：%s：%s", path, where, lxw_strerror(e));
}

/* Fail early and clearly when path cannot be written (1.1.4 only prints it). */
static bool can_create(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL) {
		snprintf(err, errlen, "XLSX：无法写入 %s：%s", path, strerror(errno));
		return false;
	}
	fclose(f);
	return true;
}

int xlsx_render(const struct doc *doc, const char *path, char *err, size_t errlen)
{
	struct xlsx_ctx x = {0};
	lxw_error e;
	int saved_errno;

	testhook_point("render-xlsx");
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (!can_create(path, err, errlen))
		return -1;
	x.doc = doc;
	x.wb = workbook_new(path);
	if (x.wb == NULL) {
		snprintf(err, errlen, "XLSX：%s：%s", path,
			 lxw_strerror(LXW_ERROR_MEMORY_MALLOC_FAILED));
		remove(path);
		return -1;
	}
	/* The fixed sheets come last but their names are taken first. */
	name_add(&x, xstrdup(XLSX_SHEET_FIGURES));
	name_add(&x, xstrdup(XLSX_SHEET_QUALITY));
	formats_init(&x);
	set_properties(&x);
	block_sheets(&x);
	xlsx_figures_sheet(&x);
	xlsx_quality_sheet(&x);

	errno = 0;
	e = workbook_close(x.wb); /* writes the file and frees the workbook */
	saved_errno = errno;
	if (x.lerr != LXW_NO_ERROR)
		e = x.lerr;
	if (e != LXW_NO_ERROR) {
		report(err, errlen, path, &x, e, saved_errno);
		remove(path);
	}
	ctx_free(&x);
	return e != LXW_NO_ERROR ? -1 : 0;
}
