/*
 * pdf.c - the PDF renderer's driver: the surface, fonts, metadata, the walk
 * over the document's blocks (the body, then the appendix from a new page),
 * charts, and writing the file; see pdf.h.
 *
 * The PDF is built in memory and written to path only once cairo has
 * finished it without error, so a failed render never leaves a half-written
 * file (the caller's temporary file is left as it was).
 *
 * Determinism: cairo 1.16 stamps /CreationDate with time(NULL) when it
 * creates the surface; CREATE_DATE and MOD_DATE are always set from
 * doc->meta.created, which replaces it.  Nothing else cairo 1.16 writes is
 * time- or address-dependent: there is no /ID, the font subset tags
 * (ABCDEF+) hash the subset's glyphs, objects are numbered in creation
 * order.  The tests render twice and compare the bytes; renders in
 * separate processes (ASLR, LANG=C or not) are identical too.  cairo 1.16
 * writes the dates as (20211231000000+00'00), without the "D:" prefix
 * (optional before PDF 1.7; poppler and qpdf read it), and there is no way
 * to add it: its ISO 8601 parser refuses any other character.
 *
 * Must never: read the clock or the locale, draw a fallback box for a
 * missing glyph, or leave a partial file at path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cairo-pdf.h>

#include "render/chart/chart_draw.h"
#include "pdf.h"
#include "util/strbuf.h"
#include "util/write.h"
#include "util/glyphs.h"
#include "util/testhook.h"
#include "util/text.h"
#include "pdf_layout.h"
#include "util/xalloc.h"

#define MONO_FONT "Noto Sans Mono CJK SC"

/* cairo's write callback: the PDF is kept in memory until it is complete. */
static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int length)
{
	strbuf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* ISO 8601 in UTC for cairo, which writes it as D:YYYYMMDDHHmmSS+00'00'. */
static void iso_date(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void set_metadata(struct pdf *p)
{
	const struct doc_meta *m = &p->doc->meta;
	char date[64];

	if (m->title)
		cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, m->title);
	if (m->author)
		cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_AUTHOR, m->author);
	if (m->subject)
		cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_SUBJECT, m->subject);
	if (m->keywords)
		cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_KEYWORDS,
					       m->keywords);
	if (m->generator)
		cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR,
					       m->generator);
	/* always set: otherwise cairo 1.16 stamps the creation date from the clock */
	iso_date(date, sizeof(date), m->created);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_MOD_DATE, date);
}

/*
 * Pin the fonts by family.  A family that is not installed would make
 * fontconfig substitute another one silently: refuse instead.
 */
static int setup_fonts(struct pdf *p)
{
	const struct doc_meta *m = &p->doc->meta;
	cairo_font_options_t *fo;

	p->fontmap = pango_cairo_font_map_new();
	/* one pango unit of size is one point of user space */
	pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(p->fontmap), 72.0);
	p->pango = pango_font_map_create_context(p->fontmap);
	pango_context_set_language(p->pango, pango_language_from_string("zh-cn"));
	pango_context_set_base_dir(p->pango, PANGO_DIRECTION_LTR);
	/* no hinting, no rounding: metrics must not depend on a device */
	pango_context_set_round_glyph_positions(p->pango, FALSE);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(p->pango, fo);
	cairo_font_options_destroy(fo);

	pdf_typeset_for(&p->ts, m);
	for (int r = 0; r < DOC_NFONT_ROLES; r++)
		p->family[r] = doc_font_family(m, r);
	p->family[PDF_FACE_MONO] = MONO_FONT;
	/* the mono face only sets hashes: the body face will do when it is absent */
	if (!font_family_installed(MONO_FONT))
		p->family[PDF_FACE_MONO] = p->family[PDF_FACE_BODY];
	/* the template chose installed families; a doc made elsewhere may not have */
	for (int f = 0; f < PDF_NFACES; f++) {
		if (!font_family_installed(p->family[f]))
			return pdf_fail(p, "字体“%s”未安装，请先运行 civreport lint 检查模板的字体",
					p->family[f]);
	}
	return 0;
}

/* A chart: its box, the gaps around it and its one-line caption. */
#define CHART_ABOVE       6.0
#define CHART_CAPTION_GAP 4.0
#define CHART_BELOW       8.0

static double chart_keep(const struct pdf *p)
{
	return CHART_ABOVE + PDF_TEXT_W * PDF_CHART_RATIO + CHART_CAPTION_GAP + p->ts.caption.pitch;
}

/*
 * Box of text width × 0.55, caption 图N centred below; never split: room
 * for the caption as it wraps, so it never starts a page without its chart.
 */
static int chart_block(struct pdf *p, const struct doc_chart *c)
{
	double h = PDF_TEXT_W * PDF_CHART_RATIO;
	char *caption = xasprintf("%s %s", c->label ? c->label : "", c->title ? c->title : "");
	double cap_h = pdf_text_block_height(p, &p->ts.caption, caption);
	int rc = -1;

	if (cap_h < 0)
		goto out;
	pdf_ensure(p, CHART_ABOVE + h + CHART_CAPTION_GAP + cap_h);
	if (!p->page_empty)
		p->y += CHART_ABOVE;
	cairo_save(p->cr);
	cairo_translate(p->cr, PDF_LEFT, p->y);
	chart_draw(p->cr, c, p->family[PDF_FACE_HEADING1], PDF_TEXT_W, h);
	cairo_restore(p->cr);
	p->page_empty = false;
	p->y += h + CHART_CAPTION_GAP;
	rc = pdf_text_block(p, &p->ts.caption, caption, PANGO_ALIGN_CENTER, 0, 0);
	p->y += CHART_BELOW;
out:
	free(caption);
	return rc;
}

/* A run of blocks: the body or the appendix. */
struct blocks {
	const struct doc_block *b;
	size_t n;
};

/* What the block at i needs at the top of a page: a heading keeps it company. */
static double block_keep(struct pdf *p, struct blocks bl, size_t i, int depth)
{
	const struct doc_block *b;

	if (i >= bl.n || depth > 3)
		return 0;
	b = &bl.b[i];
	switch (b->kind) {
	case DOC_HEADING:
		return pdf_heading_height(p, b->level) + block_keep(p, bl, i + 1, depth + 1);
	case DOC_CHART:
		return chart_keep(p);
	case DOC_TABLE:
		return b->table ? pdf_table_keep(p, b->table) : 0;
	case DOC_PAGE_BREAK:
		return 0;
	default:
		return pdf_text_keep(p);
	}
}

static int render_block(struct pdf *p, struct blocks bl, size_t i)
{
	const struct doc_block *b = &bl.b[i];

	switch (b->kind) {
	case DOC_HEADING:
		return pdf_heading(p, b->level, &b->text, block_keep(p, bl, i + 1, 0));
	case DOC_PARAGRAPH:
		return pdf_paragraph(p, &b->text);
	case DOC_LIST_ITEM:
		return pdf_list_item(p, b);
	case DOC_TABLE:
		return b->table ? pdf_table(p, b->table) : 0;
	case DOC_CHART:
		return b->chart ? chart_block(p, b->chart) : 0;
	case DOC_PAGE_BREAK:
		if (!p->page_empty)
			pdf_new_page(p);
		return 0;
	}
	return 0;
}

static int render_blocks(struct pdf *p, struct blocks bl)
{
	for (size_t i = 0; i < bl.n && !p->failed; i++) {
		if (render_block(p, bl, i) < 0)
			return -1;
	}
	return p->failed ? -1 : 0;
}

static int render_document(struct pdf *p)
{
	const struct doc *d = p->doc;

	if (pdf_title(p) < 0)
		return -1;
	if (render_blocks(p, (struct blocks){d->blocks, d->nblocks}) < 0)
		return -1;
	if (d->nappendix == 0)
		return 0;
	if (!p->page_empty)
		pdf_new_page(p);
	return render_blocks(p, (struct blocks){d->appendix, d->nappendix});
}

static int check_cairo(struct pdf *p)
{
	cairo_status_t st = cairo_status(p->cr);

	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(p->surface);
	if (st != CAIRO_STATUS_SUCCESS)
		return pdf_fail(p, "cairo 绘制失败：%s", cairo_status_to_string(st));
	return 0;
}

static int write_file(struct pdf *p, const char *path, const struct strbuf *m)
{
	int opened;

	if (write_whole(path, m->buf, m->len, &opened) == 0)
		return 0;
	return opened ? pdf_fail(p, "写入 %s 失败：%s", path, strerror(errno))
		      : pdf_fail(p, "无法写入 %s：%s", path, strerror(errno));
}

static void release(struct pdf *p)
{
	if (p->cr)
		cairo_destroy(p->cr);
	if (p->surface)
		cairo_surface_destroy(p->surface);
	if (p->pango)
		g_object_unref(p->pango);
	if (p->fontmap)
		g_object_unref(p->fontmap);
}

int pdf_render(const struct doc *doc, const char *path, char *err, size_t errlen)
{
	struct pdf p = {.doc = doc, .err = err, .errlen = errlen};
	struct strbuf m = STRBUF_INIT;
	int rc = -1;

	testhook_point("render-pdf");
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (setup_fonts(&p) < 0)
		goto out;
	p.surface = cairo_pdf_surface_create_for_stream(collect, &m, PDF_PAGE_W, PDF_PAGE_H);
	p.cr = cairo_create(p.surface);
	/*
	 * cairo 1.16 writes a broken structure tree for the outline's links
	 * unless the whole document sits in one structure element.
	 */
	cairo_tag_begin(p.cr, "Document", NULL);
	set_metadata(&p);
	pdf_page_begin(&p);
	rc = render_document(&p);
	pdf_page_finish(&p);
	cairo_tag_end(p.cr, "Document");
	if (check_cairo(&p) < 0)
		rc = -1;
	cairo_surface_finish(p.surface);
	if (rc == 0 && check_cairo(&p) < 0)
		rc = -1;
	if (rc == 0)
		rc = write_file(&p, path, &m);
out:
	release(&p);
	strbuf_release(&m);
	return rc;
}
