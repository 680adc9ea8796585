/*
 * pdf_layout.c - the bottom of the PDF renderer: the error state, fonts,
 * pango layouts of plain text and of styled runs, measuring and drawing
 * them.
 *
 * Every layout is made here: the language is zh-cn (so pango picks the
 * Simplified Chinese forms and line breaking whatever LANG says), and
 * pango's font fallback draws a character of the data that the pinned
 * family lacks (an emoji, Uyghur script) with another installed font.  The
 * doc holds no character that no font has (doc_clean.c replaced it) and
 * the template none the chosen fonts lack (lint), so an unknown glyph
 * here is a fault of the machine's fonts: it fails the render with the
 * text around it, instead of printing a box.
 *
 * Must never: hand out a layout that has not passed the glyph check, or
 * call another pdf_*.c file.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_layout.h"
#include "util/text.h"
#include "util/xalloc.h"

#define ZWSP "\xe2\x80\x8b"

/* Record the first error only: later ones are usually its consequences. */
int pdf_fail(struct pdf *p, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = true;
	if (p->err == NULL || p->errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	utf8_trim_tail(p->err);
	return -1;
}

static PangoFontDescription *font(const struct pdf *p, const struct pdf_style *st)
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
	PangoFontDescription *fd = font(p, st);

	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	return l;
}

/* The language and the style's tracking over the whole text, before any run's attributes. */
static PangoAttrList *base_attrs(const struct pdf_style *st)
{
	PangoAttrList *a = pango_attr_list_new();

	pango_attr_list_insert(a, pango_attr_language_new(pango_language_from_string("zh-cn")));
	if (st->tracking != 0)
		pango_attr_list_insert(
		    a, pango_attr_letter_spacing_new((int)lround(st->tracking * PANGO_SCALE)));
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
	PangoAttrList *a = base_attrs(st);
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

PangoLayout *pdf_layout_runs(struct pdf *p, const struct pdf_style *st, const struct doc_text *t,
			     double width)
{
	PangoLayout *l = new_layout(p, st, width);
	PangoAttrList *a = base_attrs(st);
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
