/*
 * xlsx_table.c - a table of the report in the workbook: a worksheet of its
 * own for the body's tables, or one of several on the 数据质量 sheet.
 *
 *	row 1	表N caption (bold)
 *	row 2	column headings (frozen, repeated on printed pages, autofilter)
 *	row 3..	body: raw numbers (yuan or counts) with number formats, text;
 *		"—" where a figure has no meaning is text aligned as the numbers
 *	last	合计: =SUM(...) over the body for summable columns, bold
 *	then	the table's note, if any
 *
 * A reader who re-sorts or filters the body gets real numbers to work with;
 * the totals row is outside the filter range so sorting never moves it.
 * No worksheet_add_table(): 1.1.4's tables need structured references in
 * formulas, or LibreOffice shows Err:507.
 */
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "xlsx_priv.h"

/* Rows of a table from its first (the caption's) row. */
#define ROW_HEADER 1
#define ROW_BODY   2

/* A column shown in 万元 (scale 10000) or 亿元: the cell holds that number. */
static bool scaled(const struct doc_cell *c)
{
	return c->numeric && c->scale > 1;
}

/* The cell's number in the column's unit; display only, the figure is exact in the doc. */
static double scaled_value(const struct doc_cell *c)
{
	return (double)c->raw / (double)(c->unit == UNIT_FEN ? 100 : 1) / (double)c->scale;
}

static int clamp_digits(int d)
{
	return d < 0 ? 0 : d > 2 ? 2 : d;
}

static lxw_format *cell_format(const struct xlsx_formats *f, const struct doc_cell *c, bool total)
{
	if (c->no_value) /* "—" as text, where the column's numbers stand */
		return total ? f->total_no_value : f->no_value;
	if (!c->numeric)
		return total ? f->total_text : f->text;
	if (c->den != 0)
		return f->percent[clamp_digits(c->digits)][total];
	if (scaled(c))
		return f->digits[clamp_digits(c->digits)][total];
	if (c->unit == UNIT_FEN)
		return total ? f->total_yuan : f->yuan;
	return total ? f->total_count : f->count;
}

static void put_cell(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, const struct doc_cell *c,
		     bool total)
{
	lxw_format *fmt = cell_format(&s->x->f, c, total);

	if (c->numeric && c->den != 0)
		xlsx_put_number(s, row, col, (double)c->raw / (double)c->den, strlen(c->text) + 2,
				fmt);
	else if (scaled(c))
		xlsx_put_number(s, row, col, scaled_value(c), strlen(c->text) + 2, fmt);
	else if (c->numeric)
		xlsx_put_value(s, row, col, c->raw, c->unit, fmt);
	else if (c->code)
		/* a hash runs on over the empty cells to its right, as on paper */
		xlsx_put_title(s, row, col, c->text, fmt);
	else
		xlsx_put_text(s, row, col, c->text, fmt);
}

/* A totals cell: a SUM over the body carrying the doc's own total as value. */
static void put_total(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, const struct doc_cell *c,
		      lxw_row_t first, size_t nbody)
{
	lxw_format *fmt = cell_format(&s->x->f, c, true);
	double v;
	size_t width;

	if (!c->numeric || nbody == 0) {
		put_cell(s, row, col, c, true);
		return;
	}
	if (scaled(c)) {
		v = scaled_value(c);
		width = strlen(c->text) + 2;
	} else if (c->unit == UNIT_FEN) {
		v = (double)c->raw / 100.0;
		width = xlsx_number_width(c->raw, 2);
	} else {
		v = (double)c->raw;
		width = xlsx_number_width(c->raw, 0);
	}
	xlsx_put_sum(s, row, col, first, (lxw_row_t)(first + nbody - 1), v, width, fmt);
}

static void put_rows(struct xlsx_sheet *s, const struct doc_table *t, lxw_row_t first, size_t nbody)
{
	for (size_t r = 0; r < t->nrows; r++) {
		const struct doc_cell *row = &t->cells[r * t->ncols];
		bool total = r >= nbody;
		lxw_row_t y = (lxw_row_t)(first + r);

		for (size_t c = 0; c < t->ncols; c++) {
			if (total && t->summable && t->summable[c])
				put_total(s, y, (lxw_col_t)c, &row[c], first, nbody);
			else
				put_cell(s, y, (lxw_col_t)c, &row[c], total);
		}
	}
}

static size_t body_rows(const struct doc_table *t)
{
	return t->has_total && t->nrows > 0 ? t->nrows - 1 : t->nrows;
}

static char *caption(const struct doc_table *t)
{
	return xasprintf("%s %s", t->label ? t->label : "", t->title ? t->title : "");
}

lxw_row_t xlsx_put_table(struct xlsx_sheet *s, lxw_row_t row, const struct doc_table *t)
{
	char *cap = caption(t);

	xlsx_put_title(s, row, 0, cap, s->x->f.caption);
	free(cap);
	for (size_t c = 0; c < t->ncols; c++)
		xlsx_put_text(s, row + ROW_HEADER, (lxw_col_t)c, t->header[c], s->x->f.header);
	put_rows(s, t, row + ROW_BODY, body_rows(t));
	row += ROW_BODY + (lxw_row_t)t->nrows;
	if (t->note)
		xlsx_put_title(s, row++, 0, t->note, NULL);
	return row;
}

void xlsx_table_filter(struct xlsx_sheet *s, lxw_row_t row, const struct doc_table *t)
{
	if (t->ncols == 0)
		return;
	xlsx_check(s->x,
		   worksheet_autofilter(s->ws, row + ROW_HEADER, 0,
					(lxw_row_t)(row + ROW_HEADER + body_rows(t)),
					(lxw_col_t)(t->ncols - 1)),
		   s->name);
}

void xlsx_table_sheet(struct xlsx_ctx *x, const struct doc_table *t)
{
	char *name = caption(t);
	struct xlsx_sheet s;

	if (!xlsx_sheet_open(x, &s, name, false)) {
		free(name);
		return;
	}
	xlsx_put_table(&s, 0, t);
	worksheet_freeze_panes(s.ws, ROW_BODY, 0);
	xlsx_table_filter(&s, 0, t);
	xlsx_print_setup(&s, ROW_HEADER, false);
	xlsx_sheet_close(&s);
	free(name);
}
