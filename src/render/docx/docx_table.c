/*
 * docx_table.c - native Word tables in the three-line style (三线表): a
 * heavy rule above and below, a light one under the header and above the
 * 合计 row, no vertical rules; caption 表N above (kept with the table),
 * the note under it; see docx_priv.h.
 *
 * The header row repeats on every page (tblHeader) and carries the top
 * rule itself, so the rule repeats with it; no row splits across pages
 * (cantSplit).  Numbers are right-aligned, the 合计 row is bold, as in the
 * PDF.
 *
 * Column widths are fixed (an officer's Word must not re-flow them from
 * its own fonts): each column's natural width is estimated from its text,
 * an ideograph one em of 10.5pt and anything narrower 0.58 em (digits of
 * the Noto CJK serif are 0.55 em, its Latin about as much on average, so
 * the estimate errs a little wide), a hash 0.51 em of the mono face's 9pt
 * (exactly half an em, and a hash must not wrap for want of a point), then
 * the text width is shared out as the PDF shares it (pdf_table.c
 * column_widths).
 *
 * Must never: reformat a cell's text (the doc has formatted it).
 */
#include <stdlib.h>
#include <string.h>

#include "docx_priv.h"
#include "util/text.h"
#include "util/xalloc.h"

#define EM          (DOCX_CELL_SZ * 10) /* twips per em at the cell size */
#define NARROW      (EM * 58 / 100)
#define CODE_EM     (CODE_SZ * 10)
#define CODE_NARROW (CODE_EM * 51 / 100)
#define HPAD        100 /* cell padding left and right: 5pt, as the PDF's */
#define VPAD        80  /* above and below: 4pt */
#define RULE_SZ     12  /* heavy rule, eighths of a point: 1.5pt */
#define LIGHT_SZ    6   /* light rule: 0.75pt */
#define CODE_SZ     18  /* hashes: 9pt, as the PDF's */

/*
 * How wide s is set in the cell size (a hash: in the mono face's); longest:
 * its widest piece that cannot break.  A hash may break anywhere, but one
 * broken over two lines reads badly: it asks for its whole width.
 */
static int text_width(const char *s, bool code, int *longest)
{
	size_t len = strlen(s), i = 0;
	int w = 0, word = 0, widest = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode_char(s + i, len - i, &cp);
		char one[5] = {0};
		int cw;

		if (n == 0)
			n = 1;
		memcpy(one, s + i, n < 4 ? n : 4);
		if (code)
			cw = utf8_display_width(one) >= 2 ? CODE_EM : CODE_NARROW;
		else
			cw = utf8_display_width(one) >= 2 ? EM : NARROW;
		w += cw;
		/* Latin words and numbers hold together; ideographs break anywhere */
		if (code || (cw == NARROW && cp != ' '))
			word += cw;
		else
			word = cw == NARROW ? 0 : cw;
		if (word > widest)
			widest = word;
		i += n;
	}
	if (longest != NULL)
		*longest = widest;
	return w;
}

static bool total_row(const struct doc_table *t, size_t r)
{
	return t->has_total && r + 1 == t->nrows;
}

/* The widest body cell of column c, padding included. */
static int body_width(const struct doc_table *t, size_t c)
{
	int w = 0;

	for (size_t r = 0; r < t->nrows; r++) {
		const struct doc_cell *cell = &t->cells[r * t->ncols + c];
		int cw = text_width(cell->text ? cell->text : "", cell->code, NULL);

		if (cw > w)
			w = cw;
	}
	return w + 2 * HPAD;
}

/* Natural (mx) and narrowest (mn) width of column c. */
static void column_range(const struct doc_table *t, size_t c, double *mx, double *mn)
{
	const char *head = t->header && t->header[c] ? t->header[c] : "";
	int longest, hw = text_width(head, false, &longest);
	int lo = hw > 4 * EM ? longest : hw; /* a short heading stays on one line */
	int hi = hw;

	for (size_t r = 0; r < t->nrows; r++) {
		const struct doc_cell *cell = &t->cells[r * t->ncols + c];
		int cw = text_width(cell->text ? cell->text : "", cell->code, &longest);

		if (cw > hi)
			hi = cw;
		if ((cell->numeric ? cw : longest) > lo)
			lo = cell->numeric ? cw : longest;
	}
	*mx = hi + 2 * HPAD;
	*mn = lo + 2 * HPAD;
	if (*mn > *mx)
		*mx = *mn;
}

int *docx_table_widths(const struct doc_table *t)
{
	double *mx = xcalloc(t->ncols + 1, sizeof(double)),
	       *mn = xcalloc(t->ncols + 1, sizeof(double));
	double sum_max = 0, sum_min = 0, *w = xcalloc(t->ncols + 1, sizeof(double));
	int *out = xcalloc(t->ncols + 1, sizeof(int)), used = 0;

	for (size_t c = 0; c < t->ncols; c++) {
		column_range(t, c, &mx[c], &mn[c]);
		sum_max += mx[c];
		sum_min += mn[c];
	}
	for (size_t c = 0; c < t->ncols; c++) {
		if (sum_max <= DOCX_TEXT_W)
			w[c] = mx[c] + (DOCX_TEXT_W - sum_max) / (double)t->ncols;
		else if (sum_min <= DOCX_TEXT_W)
			w[c] =
			    mn[c] + (DOCX_TEXT_W - sum_min) * (mx[c] - mn[c]) / (sum_max - sum_min);
		else
			w[c] = mn[c] * DOCX_TEXT_W / sum_min;
	}
	/* whole twips that still sum to the text width: the last column takes the rest */
	for (size_t c = 0; c + 1 < t->ncols; c++) {
		out[c] = (int)(w[c] + 0.5);
		if (out[c] < 1)
			out[c] = 1;
		used += out[c];
	}
	if (t->ncols > 0)
		out[t->ncols - 1] = DOCX_TEXT_W - used > 1 ? DOCX_TEXT_W - used : 1;
	free(mx);
	free(mn);
	free(w);
	return out;
}

static void border(struct strbuf *out, const char *side, int sz)
{
	strbuf_addf(out, "<w:%s w:val=\"single\" w:sz=\"%d\" w:space=\"0\" w:color=\"000000\"/>",
		    side, sz);
}

static void table_open(struct strbuf *out, const int *widths, size_t ncols)
{
	strbuf_addstr(out, "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/>"
			   "<w:jc w:val=\"center\"/><w:tblBorders>");
	border(out, "top", RULE_SZ);
	strbuf_addstr(out, "<w:left w:val=\"nil\"/>");
	border(out, "bottom", RULE_SZ);
	strbuf_addstr(out,
		      "<w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/>"
		      "<w:insideV w:val=\"nil\"/></w:tblBorders><w:tblLayout w:type=\"fixed\"/>");
	strbuf_addf(out,
		    "<w:tblCellMar><w:top w:w=\"%d\" w:type=\"dxa\"/><w:left w:w=\"%d\" "
		    "w:type=\"dxa\"/><w:bottom w:w=\"%d\" w:type=\"dxa\"/><w:right w:w=\"%d\" "
		    "w:type=\"dxa\"/></w:tblCellMar>",
		    VPAD, HPAD, VPAD, HPAD);
	strbuf_addstr(out, "<w:tblLook w:val=\"0020\" w:firstRow=\"1\" w:lastRow=\"0\" "
			   "w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" "
			   "w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
	for (size_t c = 0; c < ncols; c++)
		strbuf_addf(out, "<w:gridCol w:w=\"%d\"/>", widths[c]);
	strbuf_addstr(out, "</w:tblGrid>");
}

/* How a cell is set: its column's width and rules, its alignment and weight. */
struct cell_look {
	bool keep_next; /* the row stays on the page of the next one */
	int width;
	int top_rule, bottom_rule; /* border sizes, 0 for none */
	const char *jc;
	int inset; /* left (text) or right (numbers) indent: the body block centred */
	bool bold, code;
};

static void cell(struct docx *d, struct strbuf *out, const char *text, const struct cell_look *l)
{
	struct strbuf ppr = STRBUF_INIT, rpr = STRBUF_INIT;

	strbuf_addf(out, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", l->width);
	if (l->top_rule || l->bottom_rule) {
		strbuf_addstr(out, "<w:tcBorders>");
		if (l->top_rule)
			border(out, "top", l->top_rule);
		if (l->bottom_rule)
			border(out, "bottom", l->bottom_rule);
		strbuf_addstr(out, "</w:tcBorders>");
	}
	strbuf_addstr(out, "<w:vAlign w:val=\"center\"/></w:tcPr>");
	if (l->inset > 0)
		strbuf_addf(&ppr, "<w:ind w:%s=\"%d\" w:firstLine=\"0\" w:firstLineChars=\"0\"/>",
			    strcmp(l->jc, "right") == 0 ? "right" : "left", l->inset);
	strbuf_addf(&ppr, "<w:jc w:val=\"%s\"/>", l->jc);
	docx_p_open(d, out, DOCX_ST_CELL, l->keep_next, ppr.buf);
	if (l->code)
		docx_mono_fonts(d, &rpr);
	if (l->bold)
		strbuf_addstr(&rpr, "<w:b/><w:bCs/>");
	if (l->code)
		strbuf_addf(&rpr, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", CODE_SZ, CODE_SZ);
	docx_run(out, text, rpr.buf);
	docx_p_close(out);
	strbuf_addstr(out, "</w:tc>");
	strbuf_release(&ppr);
	strbuf_release(&rpr);
}

/* The header row: bold, centred, the top rule and the light rule under it. */
static void header_row(struct docx *d, struct strbuf *out, const struct doc_table *t,
		       const int *widths)
{
	strbuf_addstr(out, "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
	for (size_t c = 0; c < t->ncols; c++) {
		struct cell_look l = {true, widths[c], RULE_SZ, LIGHT_SZ, "center", 0, true, false};

		cell(d, out, t->header && t->header[c] ? t->header[c] : "", &l);
	}
	strbuf_addstr(out, "</w:tr>");
}

/*
 * Numbers right, and "—" in the place of a number with them; text left, the
 * 合计 label centred (pdf_table.c cell_align).
 */
static const char *cell_jc(const struct doc_table *t, size_t r, size_t c)
{
	const struct doc_cell *x = &t->cells[r * t->ncols + c];

	if (x->numeric || x->no_value)
		return "right";
	return total_row(t, r) ? "center" : "left";
}

static void body_rows(struct docx *d, struct strbuf *out, const struct doc_table *t,
		      const int *widths)
{
	int *inset = xcalloc(t->ncols + 1, sizeof(int));

	/*
	 * The body cells of a column form a block centred under its heading,
	 * as in the PDF; the estimate errs wide, and a little less inset than
	 * measured keeps a cell from wrapping where Word's fonts run wider.
	 */
	for (size_t c = 0; c < t->ncols; c++) {
		inset[c] = (widths[c] - body_width(t, c)) / 2 - HPAD / 2;
		if (inset[c] < 0)
			inset[c] = 0;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		bool total = total_row(t, r);
		/*
		 * The caption and the header keep the first body row with them,
		 * and the last row (合计) is not carried alone to a new page,
		 * as in the PDF.
		 */
		bool keep = r + 1 < t->nrows && (r == 0 || r + 2 == t->nrows);

		strbuf_addstr(out, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
		for (size_t c = 0; c < t->ncols; c++) {
			const struct doc_cell *x = &t->cells[r * t->ncols + c];
			const char *jc = cell_jc(t, r, c);
			struct cell_look l = {
			    keep,  widths[c], total && r > 0 ? LIGHT_SZ : 0,
			    0,     jc,        strcmp(jc, "center") == 0 ? 0 : inset[c],
			    total, x->code};

			cell(d, out, x->text ? x->text : "", &l);
		}
		strbuf_addstr(out, "</w:tr>");
	}
	free(inset);
}

void docx_table(struct docx *d, struct strbuf *out, const struct doc_table *t)
{
	char *caption;
	int *widths;

	if (t->ncols == 0)
		return;
	caption = xasprintf("%s %s", t->label ? t->label : "", t->title ? t->title : "");
	docx_p_text(d, out, DOCX_ST_CAPTION, true, NULL, caption);
	free(caption);
	widths = docx_table_widths(t);
	table_open(out, widths, t->ncols);
	header_row(d, out, t, widths);
	body_rows(d, out, t, widths);
	strbuf_addstr(out, "</w:tbl>");
	free(widths);
	if (t->note && *t->note)
		docx_p_text(d, out, DOCX_ST_NOTE, false, NULL, t->note);
}
