/*
 * docx_styles.c - word/styles.xml: the paragraph styles the body uses; see
 * docx_priv.h.
 *
 * Built-in styles keep Word's English names (Title, heading 1, caption ...):
 * Word and WPS show them in the user's language (标题, 标题 1, 题注) and
 * treat them as the built-ins they are (the navigation pane, the table of
 * contents); aliases add the 公文 names (一级标题, 图表题注).  The styles a
 * 公文 needs and Word lacks (表注, 表格文字, 图片) are custom styles.
 *
 * Fonts are named in full (ascii, hAnsi, eastAsia, cs) and never through a
 * theme (*Theme attributes would override the names), with the families the
 * PDF uses: an officer with 仿宋_GB2312 installed changes one style.
 * Sizes and spacing are the PDF's (render/pdf/pdf_typeset.c), for each
 * page style: compact, or GB/T 9704's 3号 on 22 lines (with the page's
 * docGrid of 28 characters, docx_body.c).
 */
#include <stdbool.h>
#include <stddef.h>

#include "docx_priv.h"

/* What a style's paragraphs do besides spacing (struct style.flags). */
enum {
	KEEP_NEXT = 1 << 0,
	KEEP_LINES = 1 << 1,
	INDENT2 = 1 << 2,    /* first line two characters in; else none */
	NORMAL_PPR = 1 << 3, /* Normal's own: widow control, no autospace */
	JC_BOTH = 1 << 4,
	JC_CENTER = 1 << 5,
	JC_LEFT = 1 << 6,
};

struct style {
	const char *id;
	const char *name;  /* Word's built-in name, or our own for a custom style */
	const char *alias; /* the 公文 name, or NULL */
	bool custom;
	int priority; /* uiPriority: where Word lists it */
	int face;     /* enum doc_font_role for rFonts, or -1 to inherit */
	unsigned flags;
	int outline; /* outlineLvl, or -1 */
};

/*
 * A style's size in one page style: font size (half-points, 0: inherit),
 * spacing before and after and the exact line height (twips; line 0: single,
 * for pictures and the footer), bold, and the character spacing.
 */
struct metrics {
	int sz, before, after, line;
	bool bold;
	int tracking; /* character spacing, twentieths of a point (< 0: tighter) */
};

/* The styles, in the order styles.xml lists them; Normal first. */
enum {
	S_NORMAL,
	S_TITLE,
	S_SUBTITLE,
	S_HEADING1,
	S_HEADING2,
	S_HEADING3,
	S_CAPTION,
	S_NOTE,
	S_CELL,
	S_FIGURE,
	S_LIST,
	S_FOOTER,
	S_COUNT
};

static const struct style styles[S_COUNT] = {
    /*
     * No extra space between ideographs and Latin or digits (autoSpaceDE/DN,
     * on by default in Word and LibreOffice): the PDF has none, and the
     * doc's text already has the spaces it means.
     */
    [S_NORMAL] = {DOCX_ST_NORMAL, "Normal", NULL, false, 0, DOC_FONT_BODY,
		  NORMAL_PPR | INDENT2 | JC_BOTH, -1},
    /* 小标宋 role, 22pt, centred, as the PDF's title */
    [S_TITLE] = {DOCX_ST_TITLE, "Title", NULL, false, 10, DOC_FONT_TITLE, KEEP_NEXT | JC_CENTER,
		 -1},
    /* the organisation and the date under the title */
    [S_SUBTITLE] = {DOCX_ST_SUBTITLE, "Subtitle", NULL, false, 11, -1, KEEP_NEXT | JC_CENTER, -1},
    /* 一、: 黑体 role, two characters in */
    [S_HEADING1] = {"Heading1", "heading 1", "一级标题", false, 9, DOC_FONT_HEADING1,
		    KEEP_NEXT | KEEP_LINES | INDENT2 | JC_LEFT, 0},
    /* （一）: 楷体 role */
    [S_HEADING2] = {"Heading2", "heading 2", "二级标题", false, 9, DOC_FONT_HEADING2,
		    KEEP_NEXT | KEEP_LINES | INDENT2 | JC_LEFT, 1},
    [S_HEADING3] = {"Heading3", "heading 3", "三级标题", false, 9, DOC_FONT_BODY,
		    KEEP_NEXT | KEEP_LINES | INDENT2 | JC_LEFT, 2},
    /* 表1 ... above a table, 图1 ... under a chart: 黑体 role */
    [S_CAPTION] = {DOCX_ST_CAPTION, "caption", "图表题注", false, 35, DOC_FONT_HEADING1, JC_CENTER,
		   -1},
    [S_NOTE] = {DOCX_ST_NOTE, "表注", NULL, true, 36, DOC_FONT_TABLE, JC_LEFT, -1},
    [S_CELL] = {DOCX_ST_CELL, "表格文字", NULL, true, 37, DOC_FONT_TABLE, JC_LEFT, -1},
    /*
     * A chart's picture: its own line height (Word clips a picture on an
     * exact line), kept with the caption under it.
     */
    [S_FIGURE] = {DOCX_ST_FIGURE, "图片", NULL, true, 38, -1, KEEP_NEXT | JC_CENTER, -1},
    /* list items: each sets its own hanging indent by depth */
    [S_LIST] = {DOCX_ST_LIST, "List Paragraph", NULL, false, 34, -1, 0, -1},
    /* the page number, 14pt as the PDF's, centred */
    [S_FOOTER] = {DOCX_ST_FOOTER, "footer", NULL, false, 99, -1, JC_CENTER, -1},
};

/* The sizes of pdf_typeset.c, in Word's units. */
static const struct metrics compact[S_COUNT] = {
    [S_NORMAL] = {28, 0, 0, 560, false},     [S_TITLE] = {44, 0, 160, 720, true},
    [S_SUBTITLE] = {32, 0, 0, 560, false},   [S_HEADING1] = {32, 160, 0, 640, true},
    [S_HEADING2] = {28, 40, 0, 560, false},  [S_HEADING3] = {28, 0, 0, 560, true},
    [S_CAPTION] = {24, 120, 40, 440, false}, [S_NOTE] = {21, 80, 200, 320, false},
    [S_CELL] = {21, 0, 0, 320, false},       [S_FIGURE] = {0, 120, 0, 0, false},
    [S_LIST] = {0, 0, 0, -1, false},         [S_FOOTER] = {28, 0, 0, 0, false},
};

/*
 * GB/T 9704: 3号 on 22 lines of 28.95pt (579 twips); 28 characters in
 * 156 mm need 15.79pt each: 16pt tracked −0.25pt (−5), as the PDF's −0.21;
 * tables stay 五号.
 */
#define T (-5)
static const struct metrics gbt9704[S_COUNT] = {
    [S_NORMAL] = {32, 0, 0, 579, false, T},     [S_TITLE] = {44, 0, 160, 800, true, 0},
    [S_SUBTITLE] = {32, 0, 0, 579, false, 0},   [S_HEADING1] = {32, 0, 0, 579, false, T},
    [S_HEADING2] = {32, 0, 0, 579, false, T},   [S_HEADING3] = {32, 0, 0, 579, true, T},
    [S_CAPTION] = {28, 120, 40, 480, false, 0}, [S_NOTE] = {21, 80, 200, 320, false, 0},
    [S_CELL] = {21, 0, 0, 320, false, 0},       [S_FIGURE] = {0, 120, 0, 0, false, 0},
    [S_LIST] = {0, 0, 0, -1, false, 0},         [S_FOOTER] = {28, 0, 0, 0, false, 0},
};
#undef T

static const struct metrics *metrics_of(const struct docx *d)
{
	return d->doc->meta.style == DOC_STYLE_GBT9704 ? gbt9704 : compact;
}

int docx_body_sz(const struct docx *d)
{
	return metrics_of(d)[S_NORMAL].sz;
}

/* pPr children in schema order: keepNext, keepLines, widowControl, autoSpace, spacing, ind, jc,
 * outlineLvl. */
static void paragraph_props(struct strbuf *out, const struct style *s, const struct metrics *m,
			    int body_sz)
{
	if (s->flags & KEEP_NEXT)
		strbuf_addstr(out, "<w:keepNext/>");
	if (s->flags & KEEP_LINES)
		strbuf_addstr(out, "<w:keepLines/>");
	if (s->flags & NORMAL_PPR)
		strbuf_addstr(out, "<w:widowControl/><w:autoSpaceDE w:val=\"0\"/>"
				   "<w:autoSpaceDN w:val=\"0\"/>");
	if (m->line > 0)
		strbuf_addf(out,
			    "<w:spacing w:before=\"%d\" w:after=\"%d\" w:line=\"%d\" "
			    "w:lineRule=\"exact\"/>",
			    m->before, m->after, m->line);
	else if (m->line == 0)
		strbuf_addf(out,
			    "<w:spacing w:before=\"%d\" w:after=\"%d\" w:line=\"240\" "
			    "w:lineRule=\"auto\"/>",
			    m->before, m->after);
	/* two characters of the style's own size (one character: sz × 10 twips) */
	if (s->flags & INDENT2)
		strbuf_addf(out, "<w:ind w:firstLine=\"%d\" w:firstLineChars=\"200\"/>",
			    20 * (m->sz > 0 ? m->sz : body_sz));
	else if (s != &styles[S_NORMAL])
		strbuf_addstr(out, "<w:ind w:firstLine=\"0\" w:firstLineChars=\"0\"/>");
	if (s->flags & (JC_BOTH | JC_CENTER | JC_LEFT))
		strbuf_addf(out, "<w:jc w:val=\"%s\"/>",
			    s->flags & JC_BOTH     ? "both"
			    : s->flags & JC_CENTER ? "center"
						   : "left");
	if (s->outline >= 0)
		strbuf_addf(out, "<w:outlineLvl w:val=\"%d\"/>", s->outline);
}

static void fonts(const struct docx *d, struct strbuf *out, int face)
{
	const char *f = doc_font_family(&d->doc->meta, face);

	strbuf_addstr(out, "<w:rFonts");
	xml_attr(out, "w:ascii", f);
	xml_attr(out, "w:hAnsi", f);
	xml_attr(out, "w:eastAsia", f);
	xml_attr(out, "w:cs", f);
	strbuf_addstr(out, "/>");
}

static void paragraph_style(const struct docx *d, struct strbuf *out, int i)
{
	const struct style *s = &styles[i];
	const struct metrics *m = &metrics_of(d)[i];
	bool normal = i == S_NORMAL;
	bool bold = i == S_TITLE ? d->doc->meta.title_bold : m->bold;

	strbuf_addstr(out, "<w:style w:type=\"paragraph\"");
	if (normal)
		strbuf_addstr(out, " w:default=\"1\"");
	if (s->custom)
		strbuf_addstr(out, " w:customStyle=\"1\"");
	xml_attr(out, "w:styleId", s->id);
	strbuf_addstr(out, "><w:name");
	xml_attr(out, "w:val", s->name);
	strbuf_addstr(out, "/>");
	if (s->alias != NULL) {
		strbuf_addstr(out, "<w:aliases");
		xml_attr(out, "w:val", s->alias);
		strbuf_addstr(out, "/>");
	}
	if (!normal)
		strbuf_addstr(out, "<w:basedOn w:val=\"" DOCX_ST_NORMAL "\"/>"
				   "<w:next w:val=\"" DOCX_ST_NORMAL "\"/>");
	if (s->priority > 0)
		strbuf_addf(out, "<w:uiPriority w:val=\"%d\"/>", s->priority);
	strbuf_addstr(out, "<w:qFormat/><w:pPr>");
	paragraph_props(out, s, m, metrics_of(d)[S_NORMAL].sz);
	strbuf_addstr(out, "</w:pPr>");
	if (s->face >= 0 || bold || m->sz > 0 || m->tracking != 0) {
		strbuf_addstr(out, "<w:rPr>");
		if (s->face >= 0)
			fonts(d, out, s->face);
		if (bold)
			strbuf_addstr(out, "<w:b/><w:bCs/>");
		if (m->tracking != 0)
			strbuf_addf(out, "<w:spacing w:val=\"%d\"/>", m->tracking);
		if (m->sz > 0)
			strbuf_addf(out, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", m->sz,
				    m->sz);
		strbuf_addstr(out, "</w:rPr>");
	}
	strbuf_addstr(out, "</w:style>");
}

void docx_styles(const struct docx *d, struct strbuf *out)
{
	strbuf_addstr(out,
		      DOCX_XML_DECL "<w:styles "
				    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/"
				    "2006/main\">");
	/* the defaults: body face and size, Chinese as the East Asian language */
	strbuf_addstr(out, "<w:docDefaults><w:rPrDefault><w:rPr>");
	fonts(d, out, DOC_FONT_BODY);
	strbuf_addf(out, "<w:kern w:val=\"2\"/><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>",
		    docx_body_sz(d), docx_body_sz(d));
	strbuf_addstr(out, "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>"
			   "</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>");
	for (int i = 0; i < S_COUNT; i++)
		paragraph_style(d, out, i);
	/* the character and table defaults Word expects to find */
	strbuf_addstr(out,
		      "<w:style w:type=\"character\" w:default=\"1\" "
		      "w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph "
		      "Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/>"
		      "</w:style>"
		      "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
		      "<w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/>"
		      "<w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" "
		      "w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
		      "<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/>"
		      "<w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>");
	strbuf_addstr(out, "</w:styles>");
}
