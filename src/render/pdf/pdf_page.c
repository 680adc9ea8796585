/*
 * pdf_page.c - the pages of the PDF: starting one, its footer (the page
 * number), keeping room for what comes next, and the outline.
 *
 * The layout engine is one cursor (struct pdf.y) moving down the body of
 * the current page: whoever places something asks pdf_ensure() for room
 * first, which starts a new page when the rest of this one is too short.
 */
#include <stdio.h>

#include <cairo-pdf.h>

#include "pdf_layout.h"

/*
 * "— 1 —" centred, its top 7mm below the body, as GB/T 9704 places page
 * numbers; drawn as one cluster so it reads back as written.
 */
static void draw_footer(struct pdf *p)
{
	const struct pdf_style *st = &p->ts.footer;
	char text[64];
	PangoLayout *l;
	double x;

	snprintf(text, sizeof(text), "— %d —", p->page);
	l = pdf_layout_text(p, st, text, 0);
	if (l == NULL)
		return;
	x = PDF_LEFT + (PDF_TEXT_W - pdf_layout_width(l)) / 2;
	pdf_draw_cluster(p, l, x, PDF_BOTTOM + PDF_MM(7) + 0.8 * st->size);
	g_object_unref(l);
}

void pdf_page_begin(struct pdf *p)
{
	p->page++;
	p->y = PDF_TOP;
	p->page_empty = true;
}

/* The footer goes last, so the content stream runs in reading order. */
void pdf_new_page(struct pdf *p)
{
	draw_footer(p);
	cairo_show_page(p->cr);
	pdf_page_begin(p);
}

void pdf_page_finish(struct pdf *p)
{
	draw_footer(p);
}

void pdf_ensure(struct pdf *p, double h)
{
	if (p->y + h > PDF_BOTTOM + 0.01 && !p->page_empty)
		pdf_new_page(p);
}

/* A bookmark to the current page at height y, nested under the last heading above it. */
void pdf_outline(struct pdf *p, int level, const char *text, double y)
{
	char dest[96];
	int parent = CAIRO_PDF_OUTLINE_ROOT;
	int id;

	if (level < 1)
		level = 1;
	if (level > 3)
		level = 3;
	if (level > 1 && p->outline[level - 2] > 0)
		parent = p->outline[level - 2];
	/* integers: cairo parses pos with its own strtod, ours must not print a locale comma */
	snprintf(dest, sizeof(dest), "page=%d pos=[%d %d]", p->page, (int)PDF_LEFT, (int)y);
	id = cairo_pdf_surface_add_outline(p->surface, parent, text, dest,
					   level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
	p->outline[level - 1] = id;
	for (int i = level; i < 3; i++)
		p->outline[i] = 0;
}
