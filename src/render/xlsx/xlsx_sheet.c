/*
 * xlsx_sheet.c - what every sheet of the workbook is written with: the
 * string pool, the first error, opening and closing a sheet (unique names,
 * column widths from what was written, print setup) and the cell writers.
 *
 * Never: call a file that writes a kind of sheet (this is the bottom of the
 * renderer, with xlsx_text.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "xlsx_priv.h"

/* Widths in Excel's character units. */
#define WIDTH_PAD      2
#define WIDTH_MIN      8
#define WIDTH_MAX      70 /* a SHA-256 in hex fits */
#define PORTRAIT_WIDTH 95 /* wider than this prints landscape */
#define PAPER_A4       9

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

void xlsx_name_take(struct xlsx_ctx *x, char *name)
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
		xlsx_name_take(x, name);
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
	if (s->repeat_row == XLSX_NO_REPEAT)
		return;
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
