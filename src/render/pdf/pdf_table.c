/*
 * pdf_table.c - ruled tables for the PDF renderer: caption 表N above, a
 * three-line table (heavy top and bottom rules, a light rule under the
 * header and above the 合计 row), the note under it.
 *
 * Columns take their natural width plus an even share of what is left of
 * the text width; when the natural widths do not fit, text wraps at word
 * breaks (numbers never do) and the room is shared as browsers share it
 * (see column_widths).  In each column the body cells form a block centred
 * under the header: numbers right-aligned in it, text left-aligned.
 * Headers are centred and bold, the totals row bold.
 *
 * A table longer than the rest of the page continues on the next one under
 * "续表N" with its header row repeated.  A row is never split; the caption
 * stays with the header and first row, the totals row is not carried alone
 * to a new page, and the note stays under the last row: a page never starts
 * with a table's note.
 *
 * Must never: reformat a cell's text (the doc has formatted it), or draw a
 * row across the bottom margin (unless a single row is taller than a page).
 */
#include <stdio.h>
#include <stdlib.h>

#include "pdf_layout.h"
#include "util/xalloc.h"

#define HPAD        5.0 /* cell padding left and right */
#define VPAD        4.0 /* cell padding above and below */
#define RULE_HEAVY  1.2
#define RULE_LIGHT  0.6
#define CAPTION_GAP 2.0
#define NOTE_GAP    4.0

/* A table laid out: one pango layout per cell, column widths, row heights. */
struct grid {
	const struct doc_table *t;
	double cell_size;   /* the cells' font size */
	PangoLayout **head; /* ncols */
	PangoLayout **cell; /* nrows * ncols */
	double *colw;       /* including padding */
	double *body_w;     /* width of the body cells' block, centred in the column */
	double head_h;
	double *row_h;
	double note_h; /* the note under the table with the gap above it, or 0 */
};

static bool total_row(const struct doc_table *t, size_t r)
{
	return t->has_total && r + 1 == t->nrows;
}

static void grid_free(struct grid *g)
{
	const struct doc_table *t = g->t;

	for (size_t c = 0; g->head && c < t->ncols; c++) {
		if (g->head[c])
			g_object_unref(g->head[c]);
	}
	for (size_t i = 0; g->cell && i < t->nrows * t->ncols; i++) {
		if (g->cell[i])
			g_object_unref(g->cell[i]);
	}
	free(g->head);
	free(g->cell);
	free(g->colw);
	free(g->body_w);
	free(g->row_h);
}

static int make_layouts(struct pdf *p, struct grid *g)
{
	const struct doc_table *t = g->t;

	for (size_t c = 0; c < t->ncols; c++) {
		g->head[c] = pdf_layout_text(p, &p->ts.cell_bold, t->header ? t->header[c] : "", 0);
		if (g->head[c] == NULL)
			return -1;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		const struct pdf_style *st = total_row(t, r) ? &p->ts.cell_bold : &p->ts.cell;

		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;

			g->cell[i] = pdf_layout_text(p, t->cells[i].code ? &p->ts.code : st,
						     t->cells[i].text, 0);
			if (g->cell[i] == NULL)
				return -1;
			if (t->cells[i].numeric)
				pdf_layout_tabular(g->cell[i]);
		}
	}
	return 0;
}

/* The widest body cell of column c, unwrapped. */
static double body_width(const struct grid *g, size_t c)
{
	const struct doc_table *t = g->t;
	double w = 0;

	for (size_t r = 0; r < t->nrows; r++) {
		double cw = pdf_layout_width(g->cell[r * t->ncols + c]);

		if (cw > w)
			w = cw;
	}
	return w;
}

static double natural_width(const struct grid *g, size_t c)
{
	double w = pdf_layout_width(g->head[c]);

	if (body_width(g, c) > w)
		w = body_width(g, c);
	return w + 2 * HPAD;
}

/*
 * The widest piece of l that cannot break: its longest word, or one
 * ideograph; anywhere for code (a hash has no word breaks).
 */
static double unbreakable_width(PangoLayout *l, bool code)
{
	double w;

	pango_layout_set_wrap(l, code ? PANGO_WRAP_CHAR : PANGO_WRAP_WORD);
	pango_layout_set_width(l, 1);
	w = pdf_layout_width(l);
	pango_layout_set_width(l, -1);
	return w;
}

/* The narrowest column c can be: numbers never wrap, text at word breaks. */
static double min_width(const struct grid *g, size_t c)
{
	const struct doc_table *t = g->t;
	double w = pdf_layout_width(g->head[c]);

	/* a short heading stays on one line: "拒绝" over two lines reads badly */
	if (w > 4 * g->cell_size)
		w = unbreakable_width(g->head[c], false);

	for (size_t r = 0; r < t->nrows; r++) {
		size_t i = r * t->ncols + c;
		double cw = t->cells[i].numeric ? pdf_layout_width(g->cell[i])
						: unbreakable_width(g->cell[i], t->cells[i].code);

		if (cw > w)
			w = cw;
	}
	return w + 2 * HPAD;
}

/* Does column c hold a hash, which may break between any two characters? */
static bool code_column(const struct doc_table *t, size_t c)
{
	for (size_t r = 0; r < t->nrows; r++)
		if (t->cells[r * t->ncols + c].code)
			return true;
	return false;
}

/*
 * The narrowest a hash column is made while other columns want room: a
 * hash split into short lines is still a hash, a file name split mid-name
 * (relief-前锋\n区.csv) is hard to read.
 */
#define CODE_MIN (16 * 4.5 + 2 * HPAD) /* 16 half-width characters at 9 pt */

/*
 * Hash columns give way first: when the other columns fit at their natural
 * widths beside the hash columns at CODE_MIN, they get them and the hash
 * columns share the rest.  True when that was done.
 */
static bool code_gives_way(struct grid *g, const double *mx, const double *mn)
{
	const struct doc_table *t = g->t;
	double fixed = 0, want = 0, floor = 0, room;
	size_t ncode = 0;

	for (size_t c = 0; c < t->ncols; c++) {
		if (code_column(t, c)) {
			double lo = mx[c] < CODE_MIN ? mx[c] : CODE_MIN;

			g->colw[c] = lo > mn[c] ? lo : mn[c];
			floor += g->colw[c];
			want += mx[c] - g->colw[c];
			ncode++;
		} else {
			g->colw[c] = mx[c];
			fixed += mx[c];
		}
	}
	if (ncode == 0 || fixed + floor > PDF_TEXT_W)
		return false;
	room = PDF_TEXT_W - fixed - floor;
	for (size_t c = 0; c < t->ncols; c++)
		if (code_column(t, c))
			g->colw[c] +=
			    want > 0 ? room * (mx[c] - g->colw[c]) / want : room / (double)ncode;
	return true;
}

/*
 * Fit the columns to the text width, as browsers lay out automatic tables:
 * natural widths plus an even share of the rest when they fit; otherwise
 * hash columns give way first (code_gives_way); otherwise each column gets
 * its minimum plus a share of the room left in proportion to how much it
 * would still like; when even the minima do not fit, they shrink alike and
 * cells wrap between characters.
 */
static void column_widths(struct grid *g)
{
	const struct doc_table *t = g->t;
	double *mx = xcalloc(t->ncols, sizeof(double));
	double *mn = xcalloc(t->ncols, sizeof(double));
	double sum_max = 0, sum_min = 0;

	for (size_t c = 0; c < t->ncols; c++) {
		mx[c] = natural_width(g, c);
		mn[c] = min_width(g, c);
		if (mn[c] > mx[c])
			mx[c] = mn[c];
		sum_max += mx[c];
		sum_min += mn[c];
	}
	if (sum_max <= PDF_TEXT_W || !code_gives_way(g, mx, mn)) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (sum_max <= PDF_TEXT_W)
				g->colw[c] = mx[c] + (PDF_TEXT_W - sum_max) / (double)t->ncols;
			else if (sum_min <= PDF_TEXT_W)
				g->colw[c] = mn[c] + (PDF_TEXT_W - sum_min) * (mx[c] - mn[c]) /
							 (sum_max - sum_min);
			else
				g->colw[c] = mn[c] * PDF_TEXT_W / sum_min;
		}
	}
	free(mx);
	free(mn);
}

static void fit_layout(PangoLayout *l, double colw, PangoAlignment align)
{
	pango_layout_set_width(l, (int)((colw - 2 * HPAD) * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
}

/* Numbers right, text left; the 合计 label centred. */
static PangoAlignment cell_align(const struct doc_table *t, size_t r, size_t c)
{
	if (t->cells[r * t->ncols + c].numeric)
		return PANGO_ALIGN_RIGHT;
	return total_row(t, r) ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
}

/*
 * Body cells form a block as wide as the widest of them, centred under the
 * header: numbers right-aligned in it line up their digits, short labels
 * sit under their heading instead of against the rule's ends.
 */
static void row_heights(struct grid *g)
{
	const struct doc_table *t = g->t;

	g->head_h = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		fit_layout(g->head[c], g->colw[c], PANGO_ALIGN_CENTER);
		if (pdf_layout_height(g->head[c]) > g->head_h)
			g->head_h = pdf_layout_height(g->head[c]);
		g->body_w[c] = body_width(g, c) + 2 * HPAD;
		if (g->body_w[c] > g->colw[c])
			g->body_w[c] = g->colw[c];
	}
	g->head_h += 2 * VPAD;
	for (size_t r = 0; r < t->nrows; r++) {
		g->row_h[r] = 0;
		for (size_t c = 0; c < t->ncols; c++) {
			PangoLayout *l = g->cell[r * t->ncols + c];

			fit_layout(l, g->body_w[c], cell_align(t, r, c));
			if (pdf_layout_height(l) > g->row_h[r])
				g->row_h[r] = pdf_layout_height(l);
		}
		g->row_h[r] += 2 * VPAD;
	}
}

static int grid_build(struct pdf *p, struct grid *g, const struct doc_table *t)
{
	g->t = t;
	g->cell_size = p->ts.cell.size;
	g->head = xcalloc(t->ncols, sizeof(*g->head));
	g->cell = xcalloc(t->nrows * t->ncols + 1, sizeof(*g->cell));
	g->colw = xcalloc(t->ncols, sizeof(double));
	g->body_w = xcalloc(t->ncols, sizeof(double));
	g->row_h = xcalloc(t->nrows + 1, sizeof(double));
	if (make_layouts(p, g) < 0)
		return -1;
	column_widths(g);
	row_heights(g);
	if (t->note && *t->note) {
		g->note_h = pdf_text_block_height(p, &p->ts.note, t->note);
		if (g->note_h < 0)
			return -1;
		g->note_h += NOTE_GAP;
	}
	return 0;
}

static void rule(struct pdf *p, double width)
{
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, PDF_LEFT, p->y);
	cairo_line_to(p->cr, PDF_LEFT + PDF_TEXT_W, p->y);
	cairo_stroke(p->cr);
}

/*
 * One row of layouts at the cursor, each vertically centred in its cell;
 * header cells span their column, body cells their centred block.
 */
static void draw_row(struct pdf *p, const struct grid *g, PangoLayout **row, double h, bool header)
{
	double x = PDF_LEFT;

	for (size_t c = 0; c < g->t->ncols; c++) {
		double lh = pdf_layout_height(row[c]);
		double inset = header ? 0 : (g->colw[c] - g->body_w[c]) / 2;

		pdf_draw_layout(p, row[c], x + inset + HPAD, p->y + VPAD + (h - 2 * VPAD - lh) / 2);
		x += g->colw[c];
	}
	p->y += h;
	p->page_empty = false;
}

static void draw_header(struct pdf *p, const struct grid *g)
{
	rule(p, RULE_HEAVY);
	draw_row(p, g, g->head, g->head_h, true);
	rule(p, RULE_LIGHT);
}

/* Room the caption, header and first rows (the note after the last) need together. */
static double start_height(const struct grid *g)
{
	double h = CAPTION_GAP + g->head_h;

	for (size_t r = 0; r < g->t->nrows && r < 2; r++)
		h += g->row_h[r];
	return g->t->nrows <= 2 ? h + g->note_h : h;
}

double pdf_table_keep(struct pdf *p, const struct doc_table *t)
{
	struct grid g = {0};
	double h = 0;

	if (t->ncols == 0)
		return 0;
	if (grid_build(p, &g, t) == 0)
		h = p->ts.caption.pitch + start_height(&g);
	grid_free(&g);
	return h;
}

/* Row r and what must stay with it: the note under the last row. */
static double row_need(const struct grid *g, size_t r)
{
	return g->row_h[r] + (r + 1 == g->t->nrows ? g->note_h : 0);
}

/*
 * Does row r go on a new page?  Never leave the last row alone there (nor
 * the note: it goes with the last row).
 */
static bool break_before(const struct pdf *p, const struct grid *g, size_t r, size_t first)
{
	const struct doc_table *t = g->t;
	double need = row_need(g, r);

	if (r == first)
		return false;
	if (r + 2 == t->nrows && p->y + need <= PDF_BOTTOM &&
	    p->y + need + row_need(g, r + 1) > PDF_BOTTOM)
		return r > first + 1; /* carry this row along with the last one */
	return p->y + need > PDF_BOTTOM;
}

/* The table goes on under "续表1" (续 and its label) on a new page. */
static int continued(struct pdf *p, const struct grid *g)
{
	char *text = xasprintf("续%s", g->t->label ? g->t->label : "");
	int rc;

	rule(p, RULE_HEAVY);
	pdf_new_page(p);
	rc = pdf_text_block(p, &p->ts.caption, text, PANGO_ALIGN_RIGHT, 0, 0);
	free(text);
	p->y += CAPTION_GAP;
	draw_header(p, g);
	return rc;
}

static int draw_body(struct pdf *p, const struct grid *g)
{
	const struct doc_table *t = g->t;
	size_t first = 0; /* first row on this page */

	for (size_t r = 0; r < t->nrows; r++) {
		if (break_before(p, g, r, first)) {
			if (continued(p, g) < 0)
				return -1;
			first = r;
		}
		if (total_row(t, r) && r > first)
			rule(p, RULE_LIGHT);
		draw_row(p, g, g->cell + r * t->ncols, g->row_h[r], false);
	}
	rule(p, RULE_HEAVY);
	return 0;
}

int pdf_table(struct pdf *p, const struct doc_table *t)
{
	struct grid g = {0};
	char *caption;
	int rc = -1;

	if (t->ncols == 0)
		return 0;
	if (grid_build(p, &g, t) < 0)
		goto out;
	if (!p->page_empty)
		p->y += 6.0;
	caption = xasprintf("%s %s", t->label ? t->label : "", t->title ? t->title : "");
	rc = pdf_text_block(p, &p->ts.caption, caption, PANGO_ALIGN_CENTER, 0, start_height(&g));
	free(caption);
	if (rc < 0)
		goto out;
	p->y += CAPTION_GAP;
	cairo_save(p->cr);
	draw_header(p, &g);
	rc = draw_body(p, &g);
	cairo_restore(p->cr);
	if (rc == 0 && t->note && *t->note) {
		p->y += NOTE_GAP;
		rc = pdf_text_block(p, &p->ts.note, t->note, PANGO_ALIGN_LEFT, 0, 0);
	}
	p->y += 10.0;
out:
	grid_free(&g);
	return rc;
}
