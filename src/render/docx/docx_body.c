/*
 * docx_body.c - word/document.xml: the title, the doc's blocks, the
 * appendix from a new page, and the section (A4, GB/T 9704 margins, the
 * footer); see docx_priv.h.
 *
 * Headings keep the numbers the doc's text has (一、, （一）) as text:
 * Word's automatic numbering would show them too, but text extraction
 * (python-docx, a search, a copy into another file) would lose them.  A
 * page break of the doc is the next paragraph's pageBreakBefore, so no
 * empty paragraph opens the new page.
 */
#include <stdio.h>
#include <string.h>

#include "docx_priv.h"
#include "util/text.h"

#define NS_DECLS                                                                                   \
	" xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""                \
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""         \
	" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\""     \
	" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""                       \
	" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\""

/* Title (标题), then the organisation and the date, centred, as the PDF's first lines. */
static void title(struct docx *d, struct strbuf *out)
{
	const struct doc_meta *m = &d->doc->meta;
	const char *sub[2] = {m->organisation, m->date_label};
	int last = -1;

	if (m->title && *m->title)
		docx_p_text(d, out, DOCX_ST_TITLE, true, NULL, m->title);
	for (int i = 0; i < 2; i++)
		if (sub[i] && *sub[i])
			last = i;
	for (int i = 0; i <= last; i++) {
		if (!sub[i] || !*sub[i])
			continue;
		/* half a line under the last one, as the PDF leaves it */
		docx_p_text(d, out, DOCX_ST_SUBTITLE, i != last,
			    i == last ? "<w:spacing w:after=\"280\"/>" : NULL, sub[i]);
	}
}

static const char *heading_style(int level)
{
	return level <= 1 ? "Heading1" : level == 2 ? "Heading2" : "Heading3";
}

/*
 * The marker two characters in per level, a tab, the text hanging after
 * it (Word and LibreOffice stop a tab at a hanging indent).
 */
static void list_item(struct docx *d, struct strbuf *out, const struct doc_block *b)
{
	const int ch = docx_body_sz(d) * 10; /* one character of the body: twips */
	int base = 2 * ch * (b->level < 1 ? 1 : b->level);
	int hang = 3 * ch / 2;
	char marker[32], ppr[128];

	doc_list_marker(b, marker, sizeof(marker));
	/* a number's width: half a character a display column, and half a character's gap */
	if (b->list_number > 0 && (int)(utf8_display_width(marker) + 1) * ch / 2 > hang)
		hang = (int)(utf8_display_width(marker) + 1) * ch / 2;
	if (base + hang > DOCX_TEXT_W / 2) /* deep nesting: keep room for the text */
		base = DOCX_TEXT_W / 2 - hang;
	snprintf(ppr, sizeof(ppr), "<w:ind w:left=\"%d\" w:hanging=\"%d\"/>", base + hang, hang);
	docx_p_open(d, out, DOCX_ST_LIST, false, ppr);
	/* bullets set small, as the PDF's */
	docx_run(out, marker,
		 b->list_number > 0 ? NULL : "<w:sz w:val=\"14\"/><w:szCs w:val=\"14\"/>");
	docx_run(out, "\t", NULL);
	docx_runs(d, out, &b->text);
	docx_p_close(out);
}

static int block(struct docx *d, struct strbuf *out, const struct doc_block *b)
{
	switch (b->kind) {
	case DOC_HEADING:
		docx_p_open(d, out, heading_style(b->level), false, NULL);
		docx_runs(d, out, &b->text);
		docx_p_close(out);
		return 0;
	case DOC_PARAGRAPH:
		if (b->text.nruns == 0)
			return 0;
		docx_p_open(d, out, DOCX_ST_NORMAL, false, NULL);
		docx_runs(d, out, &b->text);
		docx_p_close(out);
		return 0;
	case DOC_LIST_ITEM:
		list_item(d, out, b);
		return 0;
	case DOC_TABLE:
		if (b->table)
			docx_table(d, out, b->table);
		return 0;
	case DOC_CHART:
		return b->chart ? docx_chart(d, out, b->chart) : 0;
	case DOC_PAGE_BREAK:
		d->break_pending = true;
		return 0;
	}
	return 0;
}

static int blocks(struct docx *d, struct strbuf *out, const struct doc_block *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (block(d, out, &b[i]) < 0)
			return -1;
	return 0;
}

/*
 * A4 portrait, the GB/T 9704 margins, the footer with the page number from
 * 1; in the gbt9704 style the document grid of 22 lines a page.
 */
static void section(const struct docx *d, struct strbuf *out)
{
	strbuf_addf(out,
		    "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"" DOCX_RID_FOOTER
		    "\"/><w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"%d\" w:right=\"%d\" "
		    "w:bottom=\"%d\" w:left=\"%d\" w:header=\"%d\" w:footer=\"%d\" w:gutter=\"0\"/>"
		    "<w:pgNumType w:start=\"1\"/><w:cols w:space=\"425\"/>",
		    DOCX_PAGE_W, DOCX_PAGE_H, DOCX_TOP, DOCX_RIGHT, DOCX_BOTTOM, DOCX_LEFT,
		    DOCX_HEADER, DOCX_FOOTER);
	if (d->doc->meta.style == DOC_STYLE_GBT9704)
		strbuf_addf(out, "<w:docGrid w:type=\"lines\" w:linePitch=\"%d\"/>",
			    DOCX_GBT_LINE_PITCH);
	strbuf_addstr(out, "</w:sectPr>");
}

static bool ends_with(const struct strbuf *sb, const char *s)
{
	size_t n = strlen(s);

	return sb->len >= n && memcmp(sb->buf + sb->len - n, s, n) == 0;
}

int docx_document(struct docx *d, struct strbuf *out)
{
	const struct doc *doc = d->doc;

	strbuf_addstr(out, DOCX_XML_DECL "<w:document" NS_DECLS "><w:body>");
	title(d, out);
	if (blocks(d, out, doc->blocks, doc->nblocks) < 0)
		return -1;
	if (doc->nappendix > 0) {
		d->break_pending = true; /* the appendix starts a page, as in the PDF */
		if (blocks(d, out, doc->appendix, doc->nappendix) < 0)
			return -1;
	}
	d->break_pending = false; /* a break at the very end breaks nothing */
	/* Word wants a paragraph between a table and the end of the body */
	if (ends_with(out, "</w:tbl>"))
		docx_p_text(d, out, DOCX_ST_NOTE, false, NULL, "");
	section(d, out);
	strbuf_addstr(out, "</w:body></w:document>");
	return 0;
}
