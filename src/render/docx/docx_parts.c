/*
 * docx_parts.c - the package's small parts: content types, relations, the
 * document properties, settings and the footer; see docx_priv.h.
 *
 * The properties come from the doc (title, subject, keywords, author,
 * organisation, meta.created for both dates), never from the clock: two
 * renders of one doc are the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "docx_priv.h"
#include "util/xalloc.h"

#define CT_PREFIX  "application/vnd.openxmlformats-"
#define REL_OFFICE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define NS_W       "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

static void override(struct strbuf *out, const char *part, const char *type)
{
	strbuf_addf(out, "<Override PartName=\"%s\" ContentType=\"" CT_PREFIX "%s\"/>", part, type);
}

void docx_content_types(const struct docx *d, struct strbuf *out)
{
	strbuf_addstr(out, DOCX_XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/"
					 "2006/content-types\">");
	strbuf_addstr(out, "<Default Extension=\"rels\" ContentType=\"" CT_PREFIX
			   "package.relationships+xml\"/><Default Extension=\"xml\" "
			   "ContentType=\"application/xml\"/>");
	if (d->nmedia > 0)
		strbuf_addstr(out, "<Default Extension=\"png\" ContentType=\"image/png\"/>");
	override(out, "/word/document.xml", "officedocument.wordprocessingml.document.main+xml");
	override(out, "/word/styles.xml", "officedocument.wordprocessingml.styles+xml");
	override(out, "/word/settings.xml", "officedocument.wordprocessingml.settings+xml");
	override(out, "/word/footer1.xml", "officedocument.wordprocessingml.footer+xml");
	override(out, "/docProps/core.xml", "package.core-properties+xml");
	override(out, "/docProps/app.xml", "officedocument.extended-properties+xml");
	strbuf_addstr(out, "</Types>");
}

static void rel(struct strbuf *out, const char *id, const char *type, const char *target)
{
	strbuf_addf(out, "<Relationship Id=\"%s\" Type=\"%s\" Target=\"%s\"/>", id, type, target);
}

void docx_package_rels(struct strbuf *out)
{
	strbuf_addstr(out, DOCX_XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
					 "package/2006/relationships\">");
	rel(out, "rId1", REL_OFFICE "officeDocument", "word/document.xml");
	rel(out, "rId2",
	    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
	    "core-properties",
	    "docProps/core.xml");
	rel(out, "rId3", REL_OFFICE "extended-properties", "docProps/app.xml");
	strbuf_addstr(out, "</Relationships>");
}

char *docx_image_rid(size_t i)
{
	return xasprintf("rIdImg%zu", i + 1);
}

void docx_document_rels(const struct docx *d, struct strbuf *out)
{
	strbuf_addstr(out, DOCX_XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
					 "package/2006/relationships\">");
	rel(out, DOCX_RID_STYLES, REL_OFFICE "styles", "styles.xml");
	rel(out, DOCX_RID_SETTINGS, REL_OFFICE "settings", "settings.xml");
	rel(out, DOCX_RID_FOOTER, REL_OFFICE "footer", "footer1.xml");
	for (size_t i = 0; i < d->nmedia; i++) {
		char *id = docx_image_rid(i), *target = xasprintf("media/%s", d->media[i].name);

		rel(out, id, REL_OFFICE "image", target);
		free(id);
		free(target);
	}
	strbuf_addstr(out, "</Relationships>");
}

/* <tag>text</tag>, left out when there is no text. */
static void element(struct strbuf *out, const char *tag, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	strbuf_addf(out, "<%s>", tag);
	xml_text(out, text);
	strbuf_addf(out, "</%s>", tag);
}

/* W3CDTF in UTC: 2021-12-31T00:00:00Z. */
static void w3cdtf(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void docx_core_props(const struct docx *d, struct strbuf *out)
{
	const struct doc_meta *m = &d->doc->meta;
	char date[64];

	w3cdtf(date, sizeof(date), m->created);
	strbuf_addstr(out, DOCX_XML_DECL
		      "<cp:coreProperties "
		      "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/"
		      "core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		      "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
		      "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" "
		      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
	element(out, "dc:title", m->title);
	element(out, "dc:subject", m->subject);
	element(out, "dc:creator", m->author);
	element(out, "cp:keywords", m->keywords);
	element(out, "cp:lastModifiedBy", m->author);
	strbuf_addf(out,
		    "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
		    "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified>",
		    date, date);
	strbuf_addstr(out, "</cp:coreProperties>");
}

void docx_app_props(const struct docx *d, struct strbuf *out)
{
	const struct doc_meta *m = &d->doc->meta;

	strbuf_addstr(out, DOCX_XML_DECL "<Properties xmlns=\"http://schemas.openxmlformats.org/"
					 "officeDocument/2006/extended-properties\" "
					 "xmlns:vt=\"http://schemas.openxmlformats.org/"
					 "officeDocument/2006/docPropsVTypes\">");
	element(out, "Application", m->generator);
	element(out, "Company", m->organisation);
	strbuf_addstr(out, "</Properties>");
}

/*
 * compatibilityMode 15: Word opens the file as its own, not in
 * compatibility mode; punctuation is not compressed, as in the PDF.
 */
void docx_settings(struct strbuf *out)
{
	strbuf_addstr(out, DOCX_XML_DECL "<w:settings xmlns:w=\"" NS_W "\">"
					 "<w:zoom w:percent=\"100\"/>"
					 "<w:defaultTabStop w:val=\"420\"/>"
					 "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
					 "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
					 "w:uri=\"http://schemas.microsoft.com/office/word\" "
					 "w:val=\"15\"/></w:compat></w:settings>");
}

/* "— 1 —": a PAGE field between two dashes, centred (the Footer style). */
void docx_footer(struct strbuf *out)
{
	strbuf_addstr(out, DOCX_XML_DECL
		      "<w:ftr xmlns:w=\"" NS_W "\">"
		      "<w:p><w:pPr><w:pStyle w:val=\"" DOCX_ST_FOOTER "\"/></w:pPr>"
		      "<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>"
		      "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
		      "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
		      "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
		      "<w:r><w:t>1</w:t></w:r>"
		      "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
		      "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>");
}
