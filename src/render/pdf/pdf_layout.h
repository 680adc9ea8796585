/*
 * pdf_layout.h - private to the PDF renderer: the page geometry, the text
 * styles, the state of one render and the functions its files share.
 * Nothing outside src/render/pdf includes it.  The files call downwards
 * only:
 *
 *	pdf.c		the driver: surface, fonts, metadata, the walk over
 *			the doc's blocks, charts, writing the file
 *	pdf_table.c	ruled tables
 *	pdf_text.c	title, headings, paragraphs, list items, captions
 *	pdf_page.c	pages, footer, room on the page, outline
 *	pdf_layout.c	errors, fonts, pango layouts: measuring and drawing
 *	pdf_typeset.c	the sizes and faces of each page style
 *
 * Charts are drawn by render/chart (chart_draw.h), which the DOCX renderer
 * shares.
 *
 * Everything is in PDF points (1/72 inch) in cairo's user space: origin at
 * the top left of the page, y growing downwards.  The layout engine is a
 * single cursor (struct pdf.y) moving down the body of the current page;
 * whoever places something asks pdf_ensure() for room first, which starts a
 * new page when the rest of this one is too short.
 *
 * Must never: draw a glyph the pinned font does not have (pdf_layout_text
 * fails instead), read the clock, or depend on the locale.
 */
#ifndef CIVREPORT_PDF_LAYOUT_H
#define CIVREPORT_PDF_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "doc/doc.h"

/* A4 and the GB/T 9704 margins: top 37mm, bottom 35mm, left 28mm, right 26mm. */
#define PDF_MM(x)  ((x)*72.0 / 25.4)
#define PDF_PAGE_W 595.28
#define PDF_PAGE_H 841.89
#define PDF_LEFT   PDF_MM(28)
#define PDF_TOP    PDF_MM(37)
#define PDF_TEXT_W (PDF_PAGE_W - PDF_MM(28) - PDF_MM(26))
#define PDF_BOTTOM (PDF_PAGE_H - PDF_MM(35)) /* lower edge of the body */

/* Charts: height / text width. */
#define PDF_CHART_RATIO 0.55

/* The faces a report uses: the doc's font roles, and the hashes' mono face. */
enum pdf_face {
	PDF_FACE_TITLE = DOC_FONT_TITLE,       /* 小标宋 role */
	PDF_FACE_HEADING1 = DOC_FONT_HEADING1, /* 黑体 role: 一、, captions, charts */
	PDF_FACE_HEADING2 = DOC_FONT_HEADING2, /* 楷体 role: （一） */
	PDF_FACE_BODY = DOC_FONT_BODY,         /* 仿宋 role */
	PDF_FACE_TABLE = DOC_FONT_TABLE,       /* cells and notes */
	PDF_FACE_MONO = DOC_NFONT_ROLES,       /* hashes: Noto Sans Mono CJK SC */
	PDF_NFACES,
};

/* How a piece of text is set: face, size, weight, its line box and tracking. */
struct pdf_style {
	enum pdf_face face;
	double size; /* points */
	bool bold;
	double pitch;    /* baseline to baseline */
	double tracking; /* points added to every character's advance (< 0: tighter) */
};

/*
 * The styles of one page style (doc_style): compact, or GB/T 9704's 3号
 * body on 22 lines of 28 characters (pdf_typeset.c).
 */
struct pdf_typeset {
	struct pdf_style body;       /* paragraphs and list items */
	struct pdf_style heading[3]; /* 一、 （一） 1. */
	double heading_before[3];    /* space above a heading, dropped at the top of a page */
	struct pdf_style title;      /* bold as doc->meta.title_bold says */
	struct pdf_style sub;        /* the organisation and the date under the title */
	struct pdf_style cell, cell_bold, caption, note, code, footer;
	double indent; /* two characters of the body */
};

/* The typeset of a doc's style, its title bold as the doc says. */
void pdf_typeset_for(struct pdf_typeset *ts, const struct doc_meta *m);

/* The state of one pdf_render call. */
struct pdf {
	const struct doc *doc;
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoFontMap *fontmap;
	PangoContext *pango;
	const char *family[PDF_NFACES];
	struct pdf_typeset ts;

	int page;        /* current page, 1-based */
	double y;        /* top of the free space in the body of the page */
	bool page_empty; /* nothing placed in the body of this page yet */
	int outline[3];  /* last outline item per heading level, for nesting */

	bool failed;
	char *err;
	size_t errlen;
};

/* pdf_layout.c: errors, fonts, layouts. */
int pdf_fail(struct pdf *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * A layout of text in style st, wrapped at width (<= 0: no wrapping).
 * Returns NULL (error set) when a glyph is missing from the pinned font.
 */
PangoLayout *pdf_layout_text(struct pdf *p, const struct pdf_style *st, const char *text,
			     double width);
/* A layout of styled runs (bold, code ...) joined as one text; NULL as above. */
PangoLayout *pdf_layout_runs(struct pdf *p, const struct pdf_style *st, const struct doc_text *t,
			     double width);
/*
 * Equal-width (half-width) digits, so numbers in a column line up: the
 * Noto CJK faces have no tnum, but hwid sets every digit half an em wide.
 */
void pdf_layout_tabular(PangoLayout *l);
/* The unwrapped width and the height of a layout, in points. */
double pdf_layout_width(PangoLayout *l);
double pdf_layout_height(PangoLayout *l);
/* Draw a whole layout with its top left at (x, y). */
void pdf_draw_layout(struct pdf *p, PangoLayout *l, double x, double y);
/* Draw a one-line layout as one cluster: extractors read its text verbatim. */
void pdf_draw_cluster(struct pdf *p, PangoLayout *l, double x, double baseline);

/* pdf_page.c: pages and the outline. */
void pdf_page_begin(struct pdf *p);  /* the first page */
void pdf_page_finish(struct pdf *p); /* the last page's footer */
void pdf_new_page(struct pdf *p);
/* Make sure h points are free below the cursor: a new page if not. */
void pdf_ensure(struct pdf *p, double h);
/* A bookmark to height y of the current page, nested by heading level. */
void pdf_outline(struct pdf *p, int level, const char *text, double y);

/* pdf_text.c: blocks of text; keep_next is the room the following block needs. */
/* Place a one-paragraph text on the grid at the cursor, never split. */
int pdf_text_block(struct pdf *p, const struct pdf_style *st, const char *text,
		   PangoAlignment align, double indent, double keep_next);
/* The height pdf_text_block gives text (before keep_next); -1 on a missing glyph. */
double pdf_text_block_height(struct pdf *p, const struct pdf_style *st, const char *text);
int pdf_title(struct pdf *p);
int pdf_heading(struct pdf *p, int level, const struct doc_text *t, double keep_next);
int pdf_paragraph(struct pdf *p, const struct doc_text *t);
int pdf_list_item(struct pdf *p, const struct doc_block *b);
/*
 * Room a paragraph or list item, or a one-line heading, needs at the top of
 * a page: what a heading above it keeps on its own page.
 */
double pdf_text_keep(const struct pdf *p);
double pdf_heading_height(const struct pdf *p, int level);

/*
 * pdf_table.c: ruled tables, split across pages with the header repeated.
 * The caption reads "<label> <title>", e.g. "表1 ..." or "附表2 ...".
 */
int pdf_table(struct pdf *p, const struct doc_table *t);
double pdf_table_keep(struct pdf *p, const struct doc_table *t);

#endif
