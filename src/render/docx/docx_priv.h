/*
 * docx_priv.h - private to the DOCX renderer: the page geometry, the state
 * of one render and the functions its files share.  Nothing outside
 * src/render/docx includes it.  The files call downwards only:
 *
 *	docx.c		the driver: the parts in order, the zip (libzip, in
 *			memory, fixed dates), writing the file
 *	docx_parts.c	the package's small parts: content types, relations,
 *			document properties, settings, the footer
 *	docx_styles.c	styles.xml: every paragraph style the body uses
 *	docx_body.c	document.xml: the title, the blocks, the section
 *	docx_table.c	three-line tables and their column widths
 *	docx_image.c	charts: a PNG drawn by render/chart, placed inline
 *	docx_text.c	paragraphs and runs (bold, italic, tabs, breaks)
 *	docx_xml.c	the XML writer: escaping, and what never reaches a file
 *	docx_err.c	the first failure's message
 *
 * Units are Word's: twips (1/20 pt) for lengths, half-points for font
 * sizes, EMU (914400 per inch) for pictures.  Sizes follow the PDF
 * renderer (render/pdf/pdf_layout.h), so the two look alike.
 */
#ifndef CIVREPORT_DOCX_PRIV_H
#define CIVREPORT_DOCX_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "doc/doc.h"
#include "util/strbuf.h"

/* A4 and the GB/T 9704 margins (37, 35, 28, 26 mm) in twips. */
#define DOCX_PAGE_W   11906
#define DOCX_PAGE_H   16838
#define DOCX_TOP      2098
#define DOCX_BOTTOM   1984
#define DOCX_LEFT     1587
#define DOCX_RIGHT    1474
#define DOCX_TEXT_W   8844 /* 156 mm: tables and pictures are this wide */
#define DOCX_HEADER   851
#define DOCX_FOOTER   1247 /* the folio's top about 7 mm under the text */
#define DOCX_EMU_TWIP 635  /* EMU per twip */

/* Table text as in the PDF: 五号, 10.5pt, in every page style. */
#define DOCX_CELL_SZ 21 /* half-points */

/*
 * GB/T 9704's grid (docx_body.c): 22 lines of 579 twips.  The 28 characters
 * a line come from the styles' character spacing (docx_styles.c), not from a
 * character grid: LibreOffice snaps a 16pt character to two cells of a
 * 15.79pt grid, 14 characters a line.
 */
#define DOCX_GBT_LINE_PITCH 579

/* Style ids (styles.xml); the names Word shows are in docx_styles.c. */
#define DOCX_ST_NORMAL   "Normal"
#define DOCX_ST_TITLE    "Title"
#define DOCX_ST_SUBTITLE "Subtitle"
#define DOCX_ST_CAPTION  "Caption"
#define DOCX_ST_NOTE     "TableNote"
#define DOCX_ST_CELL     "TableText"
#define DOCX_ST_FIGURE   "Figure"
#define DOCX_ST_LIST     "ListParagraph"
#define DOCX_ST_FOOTER   "Footer"

/* One picture of word/media/. */
struct docx_media {
	char *name; /* "image1.png" */
	unsigned char *data;
	size_t len;
};

/* The state of one docx_render call. */
struct docx {
	const struct doc *doc;
	const char *mono; /* the hashes' family */
	struct docx_media *media;
	size_t nmedia;
	int drawing_id;     /* the last wp:docPr id: unique in the document */
	bool break_pending; /* a page break: the next paragraph starts a page */
	bool failed;
	char *err;
	size_t errlen;
};

/* docx_err.c: say why the render fails (the first reason only); returns -1. */
int docx_fail(struct docx *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* docx_styles.c: styles.xml, and the body's font size (half-points) for the doc's style. */
void docx_styles(const struct docx *d, struct strbuf *out);
int docx_body_sz(const struct docx *d);

/* docx_parts.c: the small parts, each into out. */
void docx_content_types(const struct docx *d, struct strbuf *out);
void docx_package_rels(struct strbuf *out);
void docx_document_rels(const struct docx *d, struct strbuf *out);
void docx_core_props(const struct docx *d, struct strbuf *out);
void docx_app_props(const struct docx *d, struct strbuf *out);
void docx_settings(struct strbuf *out);
void docx_footer(struct strbuf *out);
/* The relation ids document.xml uses. */
#define DOCX_RID_STYLES   "rIdStyles"
#define DOCX_RID_SETTINGS "rIdSettings"
#define DOCX_RID_FOOTER   "rIdFooter1"
/* A picture's relation id: rIdImg1 for media[0]. */
char *docx_image_rid(size_t i);

/* docx_body.c: document.xml; -1 (docx_fail said why) when a chart can't be drawn. */
int docx_document(struct docx *d, struct strbuf *out);

/* docx_table.c: a caption, the table, its note. */
void docx_table(struct docx *d, struct strbuf *out, const struct doc_table *t);
/*
 * The column widths of t in twips, summing to DOCX_TEXT_W (ncols of them,
 * the caller frees them): natural widths from the text, as the PDF shares
 * the room.
 */
int *docx_table_widths(const struct doc_table *t);

/* docx_image.c: a chart as a picture with its caption below; -1 on failure. */
int docx_chart(struct docx *d, struct strbuf *out, const struct doc_chart *c);
/*
 * Draw c into a PNG of width_px (height width_px * ratio) at dpi, with a
 * pHYs chunk saying so: *png (malloc'd) and *len.  Returns 0, or -1.
 */
int docx_chart_png(const struct doc_chart *c, const char *family, int width_px, int dpi,
		   unsigned char **png, size_t *len);

/* docx_text.c: paragraphs and runs. */
/*
 * Open a paragraph of style (NULL: Normal) with extra paragraph properties
 * (raw XML in schema order after pStyle, keepNext and pageBreakBefore, or
 * NULL); a pending page break goes on it.
 */
void docx_p_open(struct docx *d, struct strbuf *out, const char *style, bool keep_next,
		 const char *ppr);
void docx_p_close(struct strbuf *out);
/*
 * A run of text with run properties rpr (raw XML, or NULL): tabs become
 * <w:tab/>, line breaks <w:br/>, the rest escaped (docx_xml.c).
 */
void docx_run(struct strbuf *out, const char *text, const char *rpr);
/* rFonts naming the mono face in every slot, for hashes. */
void docx_mono_fonts(const struct docx *d, struct strbuf *rpr);
/* The runs of t: bold, italic, code in the mono face. */
void docx_runs(const struct docx *d, struct strbuf *out, const struct doc_text *t);
/* A whole paragraph of one plain run. */
void docx_p_text(struct docx *d, struct strbuf *out, const char *style, bool keep_next,
		 const char *ppr, const char *text);

/* docx_xml.c: the XML writer. */
#define DOCX_XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
/*
 * Append s as XML character data: & < > escaped (so "]]>" can never close
 * anything), bytes that are not UTF-8 and characters XML 1.0 forbids (C0
 * controls but tab, newline and carriage return; U+FFFE, U+FFFF) dropped.
 * Tab, newline and carriage return are kept: callers that mean them as
 * Word's tab or break split the text first (docx_run).
 */
void xml_text(struct strbuf *out, const char *s);
/* ` name="value"`, value escaped as above plus quotes; tab and newline as references. */
void xml_attr(struct strbuf *out, const char *name, const char *value);
/* ` name="n"` for an integer. */
void xml_attr_int(struct strbuf *out, const char *name, long long n);
/*
 * The length of the next XML-safe character at s[0..len), or 0 when s
 * starts with a byte or character that xml_text drops (its *skip bytes).
 */
size_t xml_char(const char *s, size_t len, size_t *skip);

#endif
