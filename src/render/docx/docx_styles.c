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
 * Sizes and spacing are the PDF's (pdf_layout.h, pdf_text.c).
 */
#include <stdbool.h>
#include <stddef.h>

#include "docx_priv.h"

/* No first-line indent: overrides Normal's in every style that has none. */
#define NO_INDENT "<w:ind w:firstLine=\"0\" w:firstLineChars=\"0\"/>"

struct style {
	const char *id;
	const char *name;  /* Word's built-in name, or our own for a custom style */
	const char *alias; /* the 公文 name, or NULL */
	bool custom;
	int priority;    /* uiPriority: where Word lists it */
	int face;        /* enum docx_face for rFonts, or -1 to inherit */
	const char *ppr; /* paragraph properties in schema order */
	const char *rpr; /* run properties after rFonts, in schema order */
};

static const struct style styles[] = {
    /*
     * No extra space between ideographs and Latin or digits (autoSpaceDE/DN,
     * on by default in Word and LibreOffice): the PDF has none, and the
     * doc's text already has the spaces it means.
     */
    {DOCX_ST_NORMAL, "Normal", NULL, false, 0, DOCX_FACE_BODY,
     "<w:widowControl/><w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/><w:spacing "
     "w:before=\"0\" w:after=\"0\" w:line=\"560\" "
     "w:lineRule=\"exact\"/><w:ind w:firstLine=\"560\" w:firstLineChars=\"200\"/><w:jc "
     "w:val=\"both\"/>",
     "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>"},
    /* 小标宋 role, 22pt bold, centred, as the PDF's title */
    {DOCX_ST_TITLE, "Title", NULL, false, 10, DOCX_FACE_TITLE,
     "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"160\" w:line=\"720\" "
     "w:lineRule=\"exact\"/>" NO_INDENT "<w:jc w:val=\"center\"/>",
     "<w:b/><w:bCs/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>"},
    /* the organisation and the date under the title */
    {DOCX_ST_SUBTITLE, "Subtitle", NULL, false, 11, -1,
     "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"560\" "
     "w:lineRule=\"exact\"/>" NO_INDENT "<w:jc w:val=\"center\"/>",
     "<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"},
    /* 一、: 黑体 role, 16pt bold, two characters in */
    {"Heading1", "heading 1", "一级标题", false, 9, DOCX_FACE_HEADING,
     "<w:keepNext/><w:keepLines/><w:spacing w:before=\"160\" w:after=\"0\" w:line=\"640\" "
     "w:lineRule=\"exact\"/><w:ind w:firstLine=\"640\" w:firstLineChars=\"200\"/><w:jc "
     "w:val=\"left\"/><w:outlineLvl w:val=\"0\"/>",
     "<w:b/><w:bCs/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"},
    /* （一）: 楷体 role; the PDF sets it in the body face, bold */
    {"Heading2", "heading 2", "二级标题", false, 9, DOCX_FACE_BODY,
     "<w:keepNext/><w:keepLines/><w:spacing w:before=\"40\" w:after=\"0\" w:line=\"560\" "
     "w:lineRule=\"exact\"/><w:ind w:firstLine=\"560\" w:firstLineChars=\"200\"/><w:jc "
     "w:val=\"left\"/><w:outlineLvl w:val=\"1\"/>",
     "<w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>"},
    {"Heading3", "heading 3", "三级标题", false, 9, DOCX_FACE_BODY,
     "<w:keepNext/><w:keepLines/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"560\" "
     "w:lineRule=\"exact\"/><w:ind w:firstLine=\"560\" w:firstLineChars=\"200\"/><w:jc "
     "w:val=\"left\"/><w:outlineLvl w:val=\"2\"/>",
     "<w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>"},
    /* 表1 ... above a table, 图1 ... under a chart: 黑体 role, 12pt */
    {DOCX_ST_CAPTION, "caption", "图表题注", false, 35, DOCX_FACE_HEADING,
     "<w:spacing w:before=\"120\" w:after=\"40\" w:line=\"440\" w:lineRule=\"exact\"/>" NO_INDENT
     "<w:jc w:val=\"center\"/>",
     "<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>"},
    {DOCX_ST_NOTE, "表注", NULL, true, 36, -1,
     "<w:spacing w:before=\"80\" w:after=\"200\" w:line=\"320\" w:lineRule=\"exact\"/>" NO_INDENT
     "<w:jc w:val=\"left\"/>",
     "<w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>"},
    {DOCX_ST_CELL, "表格文字", NULL, true, 37, -1,
     "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"320\" w:lineRule=\"exact\"/>" NO_INDENT
     "<w:jc w:val=\"left\"/>",
     "<w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>"},
    /*
     * A chart's picture: its own line height (Word clips a picture on an
     * exact line), kept with the caption under it.
     */
    {DOCX_ST_FIGURE, "图片", NULL, true, 38, -1,
     "<w:keepNext/><w:spacing w:before=\"120\" w:after=\"0\" w:line=\"240\" "
     "w:lineRule=\"auto\"/>" NO_INDENT "<w:jc w:val=\"center\"/>",
     NULL},
    /* list items: each sets its own hanging indent by depth */
    {DOCX_ST_LIST, "List Paragraph", NULL, false, 34, -1, NO_INDENT, NULL},
    /* the page number, 14pt as the PDF's, centred */
    {DOCX_ST_FOOTER, "footer", NULL, false, 99, -1,
     "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>" NO_INDENT
     "<w:jc w:val=\"center\"/>",
     "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>"},
};

static void fonts(const struct docx *d, struct strbuf *out, int face)
{
	const char *f = d->face[face];

	strbuf_addstr(out, "<w:rFonts");
	xml_attr(out, "w:ascii", f);
	xml_attr(out, "w:hAnsi", f);
	xml_attr(out, "w:eastAsia", f);
	xml_attr(out, "w:cs", f);
	strbuf_addstr(out, "/>");
}

static void paragraph_style(const struct docx *d, struct strbuf *out, const struct style *s)
{
	bool normal = s == &styles[0];

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
	strbuf_addstr(out, "<w:qFormat/>");
	if (s->ppr != NULL)
		strbuf_addf(out, "<w:pPr>%s</w:pPr>", s->ppr);
	if (s->face >= 0 || s->rpr != NULL) {
		strbuf_addstr(out, "<w:rPr>");
		if (s->face >= 0)
			fonts(d, out, s->face);
		if (s->rpr != NULL)
			strbuf_addstr(out, s->rpr);
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
	/* the defaults: body face, 14pt, Chinese as the East Asian language */
	strbuf_addstr(out, "<w:docDefaults><w:rPrDefault><w:rPr>");
	fonts(d, out, DOCX_FACE_BODY);
	strbuf_addstr(out, "<w:kern w:val=\"2\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>"
			   "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>"
			   "</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>");
	for (size_t i = 0; i < sizeof(styles) / sizeof(styles[0]); i++)
		paragraph_style(d, out, &styles[i]);
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
