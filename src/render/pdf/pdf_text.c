/*
 * pdf_text.c - text for the PDF renderer: pango layouts with pinned fonts,
 * the missing-glyph check, and flowing lines of the title, headings,
 * paragraphs and list items down the pages on a fixed line grid.
 *
 * Every layout is made by pdf_layout_text or runs_layout: the language is
 * zh-cn (so pango picks the Simplified Chinese forms and line breaking
 * whatever LANG says) and font fallback is off, so a character the pinned
 * family lacks shows up as an unknown glyph and fails the render with the
 * text around it, instead of a box or another font.
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

#define ZWSP "\xe2\x80\x8b"

/*
 * Justification never widens a gap between two characters by more than
 * this (in ems): pdftotext, and search in viewers, take a gap over 0.1 em
 * for a space between words.  A line that would need more stays short.
 */
#define MAX_JUSTIFY_GAP 0.08

static const struct pdf_style body_style = {PDF_FACE_BODY, PDF_BODY_SIZE, false, PDF_BODY_PITCH};

static const struct pdf_style heading_styles[3] = {
    {PDF_FACE_HEADING, 16.0, true, 32.0},                 /* 一、 黑体 */
    {PDF_FACE_BODY, PDF_BODY_SIZE, true, PDF_BODY_PITCH}, /* （一） */
    {PDF_FACE_BODY, PDF_BODY_SIZE, true, PDF_BODY_PITCH},
};

/* Space above a heading, dropped at the top of a page. */
static const double heading_before[3] = {8.0, 2.0, 0.0};

PangoFontDescription *pdf_font(const struct pdf *p, const struct pdf_style *st)
{
	PangoFontDescription *fd = pango_font_description_new();

	pango_font_description_set_family(fd, p->family[st->face]);
	pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_size(fd, (int)(st->size * PANGO_SCALE + 0.5));
	return fd;
}

static PangoLayout *new_layout(struct pdf *p, const struct pdf_style *st, double width)
{
	PangoLayout *l = pango_layout_new(p->pango);
	PangoFontDescription *fd = pdf_font(p, st);

	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	return l;
}

/* Language and no fallback over the whole text, before any run's attributes. */
static PangoAttrList *base_attrs(void)
{
	PangoAttrList *a = pango_attr_list_new();

	pango_attr_list_insert(a, pango_attr_language_new(pango_language_from_string("zh-cn")));
	pango_attr_list_insert(a, pango_attr_fallback_new(FALSE));
	return a;
}

/*
 * The text around byte off for the error message, the character itself
 * (often invisible: private use, unassigned) written as [U+XXXX].
 */
static void fragment(const char *text, size_t off, unsigned cp, char *buf, size_t len)
{
	const char *c = text + off;
	const char *s = c;
	const char *n = *c ? g_utf8_next_char(c) : c;
	const char *e = n;

	for (int i = 0; i < 8 && s > text; i++)
		s = g_utf8_find_prev_char(text, s);
	for (int i = 0; i < 8 && *e; i++)
		e = g_utf8_next_char(e);
	snprintf(buf, len, "%.*s[U+%04X]%.*s", (int)(c - s), s, cp, (int)(e - n), n);
	/* the layout's own ZWSPs are not the officer's text */
	for (char *z = strstr(buf, ZWSP); z != NULL; z = strstr(z, ZWSP))
		memmove(z, z + 3, strlen(z + 3) + 1);
}

static int report_unknown(struct pdf *p, PangoLayout *l, PangoLayoutRun *run, int i)
{
	const char *text = pango_layout_get_text(l);
	size_t off = (size_t)run->item->offset + (size_t)run->glyphs->log_clusters[i];
	unsigned cp = run->glyphs->glyphs[i].glyph & ~PANGO_GLYPH_UNKNOWN_FLAG;
	char frag[192];
	char *family = NULL;

	if (run->item->analysis.font != NULL) {
		PangoFontDescription *fd = pango_font_describe(run->item->analysis.font);

		family = xstrdup(pango_font_description_get_family(fd));
		pango_font_description_free(fd);
	}
	fragment(text, off, cp, frag, sizeof(frag));
	pdf_fail(p, "字体“%s”没有字符 U+%04X，出现在“%s”中，请改用常用字或删去该字符",
		 family ? family : p->family[PDF_FACE_BODY], cp, frag);
	free(family);
	return -1;
}

/* A glyph the font lacks would print as a box: find it and fail. */
static int check_glyphs(struct pdf *p, PangoLayout *l)
{
	PangoLayoutIter *it;
	int rc = 0;

	if (pango_layout_get_unknown_glyphs_count(l) == 0)
		return 0;
	it = pango_layout_get_iter(l);
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);

		for (int i = 0; run != NULL && i < run->glyphs->num_glyphs && rc == 0; i++) {
			if (run->glyphs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG)
				rc = report_unknown(p, l, run, i);
		}
	} while (rc == 0 && pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
	if (rc == 0) { /* counted but not found: still never draw it */
		const char *t = pango_layout_get_text(l);
		const char *e = t;

		for (int i = 0; i < 30 && *e; i++)
			e = g_utf8_next_char(e);
		rc = pdf_fail(p, "“%.*s”中有字体没有的字符", (int)(e - t), t);
	}
	return rc;
}

static bool open_quote(gunichar c)
{
	return c == 0x201C || c == 0x2018; /* “ ‘ */
}

static bool close_quote(gunichar c)
{
	return c == 0x201D || c == 0x2019; /* ” ’ */
}

/* May a line end with prev, the next one starting with an opening quote? */
static bool break_before_quote(gunichar prev)
{
	switch (g_unichar_break_type(prev)) {
	case G_UNICODE_BREAK_IDEOGRAPHIC:
	case G_UNICODE_BREAK_ALPHABETIC:
	case G_UNICODE_BREAK_NUMERIC:
	case G_UNICODE_BREAK_CLOSE_PUNCTUATION:
	case G_UNICODE_BREAK_CLOSE_PARANTHESIS:
	case G_UNICODE_BREAK_EXCLAMATION:
	case G_UNICODE_BREAK_NON_STARTER:
	case G_UNICODE_BREAK_INFIX_SEPARATOR:
		return true;
	default:
		return close_quote(prev);
	}
}

/* May a line end with a closing quote, the next one starting with next? */
static bool break_after_quote(gunichar next)
{
	switch (g_unichar_break_type(next)) {
	case G_UNICODE_BREAK_IDEOGRAPHIC:
	case G_UNICODE_BREAK_ALPHABETIC:
	case G_UNICODE_BREAK_NUMERIC:
	case G_UNICODE_BREAK_OPEN_PUNCTUATION:
		return true;
	default:
		return open_quote(next);
	}
}

/*
 * Append text to s with a zero-width space where Chinese typesetting may
 * break a line but pango 1.50's UAX #14 rules do not: before “ and after ”
 * (class QU forbids both).  Without it "工作，“全面" is one unbreakable
 * unit and the line above is stretched by several characters.  The ZWSP
 * has no glyph and does not reach the PDF's text.  following is the
 * character after text (0 at the end).
 */
static void append_breakable(GString *s, const char *text, gunichar following)
{
	for (const char *c = text; *c; c = g_utf8_next_char(c)) {
		const char *n = g_utf8_next_char(c);
		gunichar u = g_utf8_get_char(c);
		gunichar next = *n ? g_utf8_get_char(n) : following;

		if (open_quote(u) && s->len > 0 &&
		    break_before_quote(
			g_utf8_get_char(g_utf8_find_prev_char(s->str, s->str + s->len))))
			g_string_append(s, ZWSP);
		g_string_append_len(s, c, n - c);
		if (close_quote(u) && next != 0 && break_after_quote(next))
			g_string_append(s, ZWSP);
	}
}

PangoLayout *pdf_layout_text(struct pdf *p, const struct pdf_style *st, const char *text,
			     double width)
{
	PangoLayout *l = new_layout(p, st, width);
	PangoAttrList *a = base_attrs();
	GString *s = g_string_new(NULL);

	append_breakable(s, text ? text : "", 0);
	pango_layout_set_text(l, s->str, (int)s->len);
	g_string_free(s, TRUE);
	pango_layout_set_attributes(l, a);
	pango_attr_list_unref(a);
	if (check_glyphs(p, l) < 0) {
		g_object_unref(l);
		return NULL;
	}
	return l;
}

void pdf_layout_tabular(PangoLayout *l)
{
	PangoAttrList *a = pango_attr_list_copy(pango_layout_get_attributes(l));

	if (a == NULL)
		a = pango_attr_list_new();
	/* digits only: a half-width "." or "," would open gaps in the number */
	for (const char *t = pango_layout_get_text(l), *s = t; *s;) {
		size_t n = strspn(s, "0123456789");

		if (n > 0) {
			PangoAttribute *at = pango_attr_font_features_new("hwid");

			at->start_index = (guint)(s - t);
			at->end_index = (guint)(s - t + n);
			pango_attr_list_insert(a, at);
			s += n;
		} else {
			s++;
		}
	}
	pango_layout_set_attributes(l, a);
	pango_attr_list_unref(a);
}

static void run_attrs(struct pdf *p, PangoAttrList *a, unsigned flags, guint start, guint end)
{
	PangoAttribute *at[3];
	int n = 0;

	if (flags & DOC_RUN_BOLD)
		at[n++] = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
	if (flags & DOC_RUN_ITALIC)
		at[n++] = pango_attr_style_new(PANGO_STYLE_ITALIC);
	if (flags & DOC_RUN_CODE)
		at[n++] = pango_attr_family_new(p->family[PDF_FACE_MONO]);
	/* DOC_RUN_FIGURE: a figure reads as part of the sentence, no styling */
	for (int i = 0; i < n; i++) {
		at[i]->start_index = start;
		at[i]->end_index = end;
		pango_attr_list_insert(a, at[i]);
	}
}

/* The first character of the runs after run i, or 0. */
static gunichar first_char_after(const struct doc_text *t, size_t i)
{
	for (size_t j = i + 1; j < t->nruns; j++) {
		if (t->runs[j].text != NULL && *t->runs[j].text)
			return g_utf8_get_char(t->runs[j].text);
	}
	return 0;
}

/* The runs' text joined, for bookmarks: without the layout's ZWSPs. */
static char *plain_text(const struct doc_text *t)
{
	GString *s = g_string_new(NULL);

	for (size_t i = 0; i < t->nruns; i++)
		g_string_append(s, t->runs[i].text ? t->runs[i].text : "");
	return g_string_free(s, FALSE);
}

/* A layout of styled runs; the runs join without anything in between. */
static PangoLayout *runs_layout(struct pdf *p, const struct pdf_style *st, const struct doc_text *t,
				double width)
{
	PangoLayout *l = new_layout(p, st, width);
	PangoAttrList *a = base_attrs();
	GString *s = g_string_new(NULL);

	for (size_t i = 0; i < t->nruns; i++) {
		guint start = (guint)s->len;

		append_breakable(s, t->runs[i].text ? t->runs[i].text : "", first_char_after(t, i));
		run_attrs(p, a, t->runs[i].flags, start, (guint)s->len);
	}
	pango_layout_set_text(l, s->str, (int)s->len);
	pango_layout_set_attributes(l, a);
	pango_attr_list_unref(a);
	g_string_free(s, TRUE);
	if (check_glyphs(p, l) < 0) {
		g_object_unref(l);
		return NULL;
	}
	return l;
}

double pdf_layout_width(PangoLayout *l)
{
	PangoRectangle r;

	pango_layout_get_extents(l, NULL, &r);
	return (double)r.width / PANGO_SCALE;
}

double pdf_layout_height(PangoLayout *l)
{
	PangoRectangle r;

	pango_layout_get_extents(l, NULL, &r);
	return (double)r.height / PANGO_SCALE;
}

void pdf_draw_layout(struct pdf *p, PangoLayout *l, double x, double y)
{
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

/*
 * Draw the one-line layout l at (x, baseline) as a single text cluster, so
 * the PDF carries its text as /ActualText.  Text extractors then read it as
 * written: pdftotext otherwise joins a line of lone characters at even
 * spacing ("— 1 —" would read "—1—").  Layouts that need several fonts are
 * drawn as usual.
 */
void pdf_draw_cluster(struct pdf *p, PangoLayout *l, double x, double baseline)
{
	PangoLayoutLine *line = pango_layout_get_line_readonly(l, 0);
	const char *text = pango_layout_get_text(l);
	PangoGlyphItem *run;
	cairo_glyph_t *g;
	cairo_text_cluster_t cluster;
	double pen = x;

	if (line == NULL || line->runs == NULL || line->runs->next != NULL ||
	    pango_layout_get_line_count(l) != 1) {
		cairo_move_to(p->cr, x, baseline);
		if (line != NULL)
			pango_cairo_show_layout_line(p->cr, line);
		return;
	}
	run = line->runs->data;
	g = xcalloc((size_t)run->glyphs->num_glyphs + 1, sizeof(*g));
	for (int i = 0; i < run->glyphs->num_glyphs; i++) {
		const PangoGlyphInfo *in = &run->glyphs->glyphs[i];

		g[i].index = in->glyph;
		g[i].x = pen + (double)in->geometry.x_offset / PANGO_SCALE;
		g[i].y = baseline + (double)in->geometry.y_offset / PANGO_SCALE;
		pen += (double)in->geometry.width / PANGO_SCALE;
	}
	cluster.num_bytes = (int)strlen(text);
	cluster.num_glyphs = run->glyphs->num_glyphs;
	cairo_save(p->cr);
	cairo_set_scaled_font(
	    p->cr, pango_cairo_font_get_scaled_font((PangoCairoFont *)run->item->analysis.font));
	cairo_show_text_glyphs(p->cr, text, cluster.num_bytes, g, run->glyphs->num_glyphs, &cluster,
			       1, 0);
	cairo_restore(p->cr);
	free(g);
}

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

/* Title (小标宋 role, bold 22pt), then organisation and date, all centred. */
int pdf_title(struct pdf *p)
{
	static const struct pdf_style title = {PDF_FACE_TITLE, 22.0, true, 36.0};
	static const struct pdf_style sub = {PDF_FACE_BODY, 16.0, false, 28.0};
	const struct doc_meta *m = &p->doc->meta;

	if (m->title && *m->title) {
		if (pdf_text_block(p, &title, m->title, PANGO_ALIGN_CENTER, 0, 0) < 0)
			return -1;
		p->y += 8.0;
	}
	if (m->organisation && *m->organisation &&
	    pdf_text_block(p, &sub, m->organisation, PANGO_ALIGN_CENTER, 0, 0) < 0)
		return -1;
	if (m->date_label && *m->date_label &&
	    pdf_text_block(p, &sub, m->date_label, PANGO_ALIGN_CENTER, 0, 0) < 0)
		return -1;
	p->y += PDF_BODY_PITCH / 2;
	return 0;
}

static int heading_index(int level)
{
	return level < 1 ? 0 : level > 3 ? 2 : level - 1;
}

double pdf_heading_height(int level)
{
	int h = heading_index(level);

	return heading_before[h] + heading_styles[h].pitch;
}

double pdf_text_keep(void)
{
	/* two lines of a paragraph or list item (one would be an orphan) */
	return 2 * PDF_BODY_PITCH;
}

int pdf_heading(struct pdf *p, int level, const struct doc_text *t, double keep_next)
{
	int h = heading_index(level);
	const struct pdf_style *st = &heading_styles[h];
	PangoLayout *l = runs_layout(p, st, t, PDF_TEXT_W);
	char *title;

	if (l == NULL)
		return -1;
	/* 公文 headings start two characters in, like paragraphs */
	pango_layout_set_indent(l, (int)(PDF_INDENT * PANGO_SCALE));
	pdf_ensure(p, heading_before[h] + pango_layout_get_line_count(l) * st->pitch + keep_next);
	if (!p->page_empty)
		p->y += heading_before[h];
	title = plain_text(t);
	pdf_outline(p, level, title, p->y);
	g_free(title);
	place_whole(p, l, st, 0, 0);
	g_object_unref(l);
	return 0;
}

int pdf_paragraph(struct pdf *p, const struct doc_text *t)
{
	PangoLayout *l;

	if (t->nruns == 0)
		return 0;
	l = runs_layout(p, &body_style, t, PDF_TEXT_W);
	if (l == NULL)
		return -1;
	pango_layout_set_indent(l, (int)(PDF_INDENT * PANGO_SCALE));
	justify(l, PDF_BODY_SIZE);
	flow(p, l, PDF_LEFT, &body_style, NULL);
	g_object_unref(l);
	return 0;
}

/* 1. at the first level, （1） below it; bullets ● and ○ set small. */
static void list_marker(const struct doc_block *b, char *buf, size_t len)
{
	if (b->list_number > 0 && b->level <= 1)
		snprintf(buf, len, "%d.", b->list_number);
	else if (b->list_number > 0)
		snprintf(buf, len, "（%d）", b->list_number);
	else
		snprintf(buf, len, "%s", b->level <= 1 ? "●" : "○");
}

/* Marker two characters in (per level), the text hanging after it. */
int pdf_list_item(struct pdf *p, const struct doc_block *b)
{
	static const struct pdf_style bullet_style = {PDF_FACE_BODY, 7.0, false, PDF_BODY_PITCH};
	const struct pdf_style *mst = b->list_number > 0 ? &body_style : &bullet_style;
	double base = PDF_INDENT * (b->level < 1 ? 1 : b->level);
	double hang;
	char mtext[32];
	struct marker m = {0};
	PangoLayout *l;

	list_marker(b, mtext, sizeof(mtext));
	m.layout = pdf_layout_text(p, mst, mtext, 0);
	if (m.layout == NULL)
		return -1;
	/* centre a small bullet on the ideographs' middle, not on their baseline */
	m.rise = (0.5 - (1 - EM_ASCENT)) * (PDF_BODY_SIZE - mst->size);
	hang = pdf_layout_width(m.layout) + PDF_BODY_SIZE / 2;
	if (hang < 1.5 * PDF_BODY_SIZE)
		hang = 1.5 * PDF_BODY_SIZE;
	if (base + hang > PDF_TEXT_W / 2) /* deep nesting: keep room for the text */
		base = PDF_TEXT_W / 2 - hang;
	m.x = PDF_LEFT + base;
	if (b->list_number == 0) /* bullets centred in an ideograph's width */
		m.x += (PDF_BODY_SIZE - pdf_layout_width(m.layout)) / 2;
	l = runs_layout(p, &body_style, &b->text, PDF_TEXT_W - base - hang);
	if (l == NULL) {
		g_object_unref(m.layout);
		return -1;
	}
	justify(l, PDF_BODY_SIZE);
	flow(p, l, PDF_LEFT + base + hang, &body_style, &m);
	g_object_unref(l);
	g_object_unref(m.layout);
	return 0;
}
