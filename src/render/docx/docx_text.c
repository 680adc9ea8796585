/*
 * docx_text.c - paragraphs and runs of the DOCX renderer; see docx_priv.h.
 *
 * A paragraph names its style and adds as little direct formatting as it
 * can, so that an officer who edits a style (正文 to 仿宋_GB2312, say) edits
 * every paragraph of it.  A run's text keeps its spaces (xml:space), and
 * its tabs and line breaks become Word's own elements, since a raw tab or
 * newline in <w:t> is only white space to Word.
 */
#include <stdlib.h>
#include <string.h>

#include "docx_priv.h"
#include "util/xalloc.h"

void docx_p_open(struct docx *d, struct strbuf *out, const char *style, bool keep_next,
		 const char *ppr)
{
	struct strbuf p = STRBUF_INIT;

	if (style != NULL && strcmp(style, DOCX_ST_NORMAL) != 0) {
		strbuf_addstr(&p, "<w:pStyle");
		xml_attr(&p, "w:val", style);
		strbuf_addstr(&p, "/>");
	}
	if (keep_next)
		strbuf_addstr(&p, "<w:keepNext/>");
	if (d->break_pending) {
		strbuf_addstr(&p, "<w:pageBreakBefore/>");
		d->break_pending = false;
	}
	if (ppr != NULL)
		strbuf_addstr(&p, ppr);
	strbuf_addstr(out, "<w:p>");
	if (p.len > 0)
		strbuf_addf(out, "<w:pPr>%s</w:pPr>", p.buf);
	strbuf_release(&p);
}

void docx_p_close(struct strbuf *out)
{
	strbuf_addstr(out, "</w:p>");
}

/* One <w:t> of text without tabs or breaks; nothing for an empty piece. */
static void text_piece(struct strbuf *out, const char *s, size_t n)
{
	char *piece;

	if (n == 0)
		return;
	piece = xstrndup(s, n);
	strbuf_addstr(out, "<w:t xml:space=\"preserve\">");
	xml_text(out, piece);
	strbuf_addstr(out, "</w:t>");
	free(piece);
}

void docx_run(struct strbuf *out, const char *text, const char *rpr)
{
	const char *s = text != NULL ? text : "";

	strbuf_addstr(out, "<w:r>");
	if (rpr != NULL && *rpr)
		strbuf_addf(out, "<w:rPr>%s</w:rPr>", rpr);
	while (*s) {
		size_t n = strcspn(s, "\t\r\n");

		text_piece(out, s, n);
		s += n;
		if (*s == '\t') {
			strbuf_addstr(out, "<w:tab/>");
			s++;
		} else if (*s == '\r' || *s == '\n') {
			strbuf_addstr(out, "<w:br/>");
			s += s[0] == '\r' && s[1] == '\n' ? 2 : 1;
		}
	}
	strbuf_addstr(out, "</w:r>");
}

/* rFonts for the mono face: hashes set apart, as the PDF sets them. */
void docx_mono_fonts(const struct docx *d, struct strbuf *rpr)
{
	strbuf_addstr(rpr, "<w:rFonts");
	xml_attr(rpr, "w:ascii", d->mono);
	xml_attr(rpr, "w:hAnsi", d->mono);
	xml_attr(rpr, "w:eastAsia", d->mono);
	xml_attr(rpr, "w:cs", d->mono);
	strbuf_addstr(rpr, "/>");
}

void docx_runs(const struct docx *d, struct strbuf *out, const struct doc_text *t)
{
	struct strbuf rpr = STRBUF_INIT, text = STRBUF_INIT;
	/* a figure reads as part of the sentence: no styling of its own */
	const unsigned look = ~(unsigned)DOC_RUN_FIGURE;

	for (size_t i = 0; i < t->nruns; i++) {
		unsigned f = t->runs[i].flags & look;

		/*
		 * Runs that look the same are one run of Word: an officer who
		 * edits a sentence edits one piece of text, not five.
		 */
		strbuf_addstr(&text, t->runs[i].text ? t->runs[i].text : "");
		if (i + 1 < t->nruns && (t->runs[i + 1].flags & look) == f)
			continue;
		strbuf_reset(&rpr);
		/* rPr in schema order: rFonts, b, bCs, i, iCs */
		if (f & DOC_RUN_CODE)
			docx_mono_fonts(d, &rpr);
		if (f & DOC_RUN_BOLD)
			strbuf_addstr(&rpr, "<w:b/><w:bCs/>");
		if (f & DOC_RUN_ITALIC)
			strbuf_addstr(&rpr, "<w:i/><w:iCs/>");
		docx_run(out, text.buf ? text.buf : "", rpr.buf);
		strbuf_reset(&text);
	}
	strbuf_release(&rpr);
	strbuf_release(&text);
}

void docx_p_text(struct docx *d, struct strbuf *out, const char *style, bool keep_next,
		 const char *ppr, const char *text)
{
	docx_p_open(d, out, style, keep_next, ppr);
	docx_run(out, text, NULL);
	docx_p_close(out);
}
