/*
 * pdf_text.c - text for the PDF renderer: the title, headings, paragraphs
 * and list items flowed down the pages on a fixed line grid, and single
 * blocks of text (captions, notes) placed whole.  Layouts come from
 * pdf_layout.c.
 *
 * Pagination is by lines: a paragraph may break across pages between lines
 * (never leaving a single line behind or ahead, unless it is longer than a
 * page); a heading never breaks and takes the start of what follows with it.
 *
 * Must never: draw a layout that has not passed the glyph check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_layout.h"
#include "util/xalloc.h"

/* Baseline offset of an ideographic em box centred in a line box. */
#define EM_ASCENT 0.88

/*
 * Justification never widens a gap between two characters by more than
 * this (in ems): pdftotext, and search in viewers, take a gap over 0.1 em
 * for a space between words.  A line that would need more stays short.
 */
#define MAX_JUSTIFY_GAP 0.08

/* One line on the grid: its em box centred in the line box at the cursor. */
static void draw_line(struct pdf *p, PangoLayoutLine *line, double x, const struct pdf_style *st)
{
	double base = p->y + (st->pitch - st->size) / 2 + EM_ASCENT * st->size;

	cairo_move_to(p->cr, x, base);
	pango_cairo_show_layout_line(p->cr, line);
}

/*
 * How many of the rest lines go on this page, where fit lines would fit.
 * No single line is left at the bottom of a page (unless the paragraph
 * continues from the page before) nor carried alone to the next one.
 */
static int lines_to_take(const struct pdf *p, int first, int rest, int fit)
{
	int take;

	if (fit >= rest)
		return rest;
	take = fit;
	if (rest - take < 2)
		take = rest - 2;
	if (first && take < 2)
		take = 0;
	if (take <= 0 && p->page_empty) /* a line taller than the page: place it anyway */
		take = fit > 0 ? fit : 1;
	return take;
}

/* A list item's number or bullet, drawn beside the item's first line. */
struct marker {
	PangoLayout *layout;
	double x;
	double rise; /* a small bullet sits higher than the baseline */
};

/* Flow the lines of l down the pages at x; the marker goes with the first line. */
static void flow(struct pdf *p, PangoLayout *l, double x, const struct pdf_style *st,
		 const struct marker *marker)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	int n = pango_layout_get_line_count(l);
	int i = 0;

	while (i < n) {
		int fit = (int)((PDF_BOTTOM - p->y + 0.01) / st->pitch);
		int take = lines_to_take(p, i == 0, n - i, fit);

		for (int k = 0; k < take; k++, i++) {
			PangoRectangle r;

			pango_layout_iter_get_line_extents(it, NULL, &r);
			draw_line(p, pango_layout_iter_get_line_readonly(it),
				  x + (double)r.x / PANGO_SCALE, st);
			if (i == 0 && marker != NULL) {
				p->y -= marker->rise;
				draw_line(p, pango_layout_get_line_readonly(marker->layout, 0),
					  marker->x, st);
				p->y += marker->rise;
			}
			p->y += st->pitch;
			p->page_empty = false;
			pango_layout_iter_next_line(it);
		}
		if (i < n)
			pdf_new_page(p);
	}
	pango_layout_iter_free(it);
}

/*
 * Count the visible clusters of a line (zero-width ones, a ZWSP or a
 * wrapped line's final space, never widen) and widen the first n - 1 of
 * them by extra, so the last character ends flush right.
 */
static int line_clusters(PangoLayoutLine *line, int extra, int n)
{
	int count = 0;

	for (GSList *r = line->runs; r != NULL; r = r->next) {
		PangoGlyphString *gs = ((PangoGlyphItem *)r->data)->glyphs;

		for (int i = 0; i < gs->num_glyphs; i++) {
			bool end = i + 1 == gs->num_glyphs ||
				   gs->log_clusters[i + 1] != gs->log_clusters[i];

			if (!end || gs->glyphs[i].geometry.width <= 0)
				continue;
			if (extra > 0 && count < n - 1)
				gs->glyphs[i].geometry.width += extra;
			count++;
		}
	}
	return count;
}

/*
 * Justify l ourselves rather than with pango_layout_set_justify: the same
 * even spreading over every gap between characters, but capped at
 * MAX_JUSTIFY_GAP so text extraction never sees a space in a word.  The
 * last line of a paragraph stays ragged.
 */
static void justify(PangoLayout *l, double size)
{
	int width = pango_layout_get_width(l);
	int indent = pango_layout_get_indent(l);
	int cap = (int)(MAX_JUSTIFY_GAP * size * PANGO_SCALE);

	for (GSList *it = pango_layout_get_lines(l); it != NULL && it->next != NULL;
	     it = it->next) {
		PangoLayoutLine *line = it->data;
		PangoLayoutLine *next = it->next->data;
		PangoRectangle r;
		int slack, n, extra;

		if (next->is_paragraph_start) /* a hard line break */
			continue;
		pango_layout_line_get_extents(line, NULL, &r);
		slack = width - (line->is_paragraph_start && indent > 0 ? indent : 0) - r.width;
		n = line_clusters(line, 0, 0);
		if (slack <= 0 || n < 2)
			continue;
		extra = slack / (n - 1);
		line_clusters(line, extra < cap ? extra : cap, n);
	}
}

/* Never split: ask for the whole block plus what must follow it. */
static void place_whole(struct pdf *p, PangoLayout *l, const struct pdf_style *st, double before,
			double keep_next)
{
	double h = pango_layout_get_line_count(l) * st->pitch;

	pdf_ensure(p, before + h + keep_next);
	if (!p->page_empty)
		p->y += before;
	flow(p, l, PDF_LEFT, st, NULL);
}

int pdf_text_block(struct pdf *p, const struct pdf_style *st, const char *text,
		   PangoAlignment align, double indent, double keep_next)
{
	PangoLayout *l = pdf_layout_text(p, st, text, PDF_TEXT_W);

	if (l == NULL)
		return -1;
	pango_layout_set_alignment(l, align);
	pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
	place_whole(p, l, st, 0, keep_next);
	g_object_unref(l);
	return 0;
}

double pdf_text_block_height(struct pdf *p, const struct pdf_style *st, const char *text)
{
	PangoLayout *l = pdf_layout_text(p, st, text, PDF_TEXT_W);
	double h;

	if (l == NULL)
		return -1;
	h = pango_layout_get_line_count(l) * st->pitch;
	g_object_unref(l);
	return h;
}

/* Title (小标宋 role, bold 22pt), then organisation and date, all centred. */
int pdf_title(struct pdf *p)
{
	const struct pdf_style *title = &p->ts.title, *sub = &p->ts.sub;
	const struct doc_meta *m = &p->doc->meta;

	if (m->title && *m->title) {
		if (pdf_text_block(p, title, m->title, PANGO_ALIGN_CENTER, 0, 0) < 0)
			return -1;
		p->y += 8.0;
	}
	if (m->organisation && *m->organisation &&
	    pdf_text_block(p, sub, m->organisation, PANGO_ALIGN_CENTER, 0, 0) < 0)
		return -1;
	if (m->date_label && *m->date_label &&
	    pdf_text_block(p, sub, m->date_label, PANGO_ALIGN_CENTER, 0, 0) < 0)
		return -1;
	p->y += p->ts.body.pitch / 2;
	return 0;
}

static int heading_index(int level)
{
	return level < 1 ? 0 : level > 3 ? 2 : level - 1;
}

double pdf_heading_height(const struct pdf *p, int level)
{
	int h = heading_index(level);

	return p->ts.heading_before[h] + p->ts.heading[h].pitch;
}

double pdf_text_keep(const struct pdf *p)
{
	/* two lines of a paragraph or list item (one would be an orphan) */
	return 2 * p->ts.body.pitch;
}

int pdf_heading(struct pdf *p, int level, const struct doc_text *t, double keep_next)
{
	int h = heading_index(level);
	const struct pdf_style *st = &p->ts.heading[h];
	PangoLayout *l = pdf_layout_runs(p, st, t, PDF_TEXT_W);
	char *title;

	if (l == NULL)
		return -1;
	/* 公文 headings start two characters in, like paragraphs */
	pango_layout_set_indent(l, (int)(p->ts.indent * PANGO_SCALE));
	pdf_ensure(p, p->ts.heading_before[h] + pango_layout_get_line_count(l) * st->pitch +
			  keep_next);
	if (!p->page_empty)
		p->y += p->ts.heading_before[h];
	title = doc_text_join(t);
	pdf_outline(p, level, title, p->y);
	free(title);
	place_whole(p, l, st, 0, 0);
	g_object_unref(l);
	return 0;
}

int pdf_paragraph(struct pdf *p, const struct doc_text *t)
{
	PangoLayout *l;

	if (t->nruns == 0)
		return 0;
	l = pdf_layout_runs(p, &p->ts.body, t, PDF_TEXT_W);
	if (l == NULL)
		return -1;
	pango_layout_set_indent(l, (int)(p->ts.indent * PANGO_SCALE));
	justify(l, p->ts.body.size);
	flow(p, l, PDF_LEFT, &p->ts.body, NULL);
	g_object_unref(l);
	return 0;
}

/* Marker two characters in (per level), the text hanging after it. */
int pdf_list_item(struct pdf *p, const struct doc_block *b)
{
	const struct pdf_style *body = &p->ts.body;
	const struct pdf_style bullet_style = {PDF_FACE_BODY, body->size / 2, false, body->pitch,
					       0};
	const struct pdf_style *mst = b->list_number > 0 ? body : &bullet_style;
	double base = p->ts.indent * (b->level < 1 ? 1 : b->level);
	double hang;
	char mtext[32];
	struct marker m = {0};
	PangoLayout *l;

	doc_list_marker(b, mtext, sizeof(mtext));
	m.layout = pdf_layout_text(p, mst, mtext, 0);
	if (m.layout == NULL)
		return -1;
	/* centre a small bullet on the ideographs' middle, not on their baseline */
	m.rise = (0.5 - (1 - EM_ASCENT)) * (body->size - mst->size);
	hang = pdf_layout_width(m.layout) + body->size / 2;
	if (hang < 1.5 * body->size)
		hang = 1.5 * body->size;
	if (base + hang > PDF_TEXT_W / 2) /* deep nesting: keep room for the text */
		base = PDF_TEXT_W / 2 - hang;
	m.x = PDF_LEFT + base;
	if (b->list_number == 0) /* bullets centred in an ideograph's width */
		m.x += (body->size - pdf_layout_width(m.layout)) / 2;
	l = pdf_layout_runs(p, &p->ts.body, &b->text, PDF_TEXT_W - base - hang);
	if (l == NULL) {
		g_object_unref(m.layout);
		return -1;
	}
	justify(l, body->size);
	flow(p, l, PDF_LEFT + base + hang, &p->ts.body, &m);
	g_object_unref(l);
	g_object_unref(m.layout);
	return 0;
}
