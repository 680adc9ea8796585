/*
 * docx_image.c - a chart of the DOCX: the PDF's own drawing (render/chart)
 * on an image surface, written as a PNG and placed inline at the text
 * width, the caption 图N under it; see docx_priv.h.
 *
 * The picture is drawn at the PDF's size in points (the text width by 0.55
 * of it) scaled to DOCX_CHART_DPI, so its text wraps and its labels thin
 * out exactly as on the PDF page.  cairo writes no pHYs chunk; one is put
 * in, saying the resolution, so that a viewer sizes the file right outside
 * Word as well.  cairo's PNG is deterministic: no time chunk, the same
 * pixels each time.
 *
 * The alt text (wp:docPr descr) is the chart's title, for screen readers
 * and for an officer who replaces the picture.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "docx_priv.h"
#include "render/chart/chart_draw.h"
#include "util/xalloc.h"

#define DOCX_CHART_DPI 200
#define CHART_RATIO    0.55 /* height / width, as the PDF's PDF_CHART_RATIO */

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int length)
{
	strbuf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* CRC-32 of PNG chunks (ISO 3309), bit by bit: one small chunk per picture. */
static uint32_t crc32_png(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c ^ 0xffffffffu;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* The PNG signature and IHDR are 8 + 25 bytes; pHYs must come before IDAT. */
#define IHDR_END 33

/* Insert a pHYs chunk of ppm pixels per metre after IHDR; -1 if png isn't one. */
static int add_phys(struct strbuf *png, uint32_t ppm)
{
	unsigned char chunk[21];

	if (png->len < IHDR_END || memcmp(png->buf + 12, "IHDR", 4) != 0)
		return -1;
	put32(chunk, 9);
	memcpy(chunk + 4, "pHYs", 4);
	put32(chunk + 8, ppm);
	put32(chunk + 12, ppm);
	chunk[16] = 1; /* the unit is the metre */
	put32(chunk + 17, crc32_png(chunk + 4, 13));
	strbuf_grow(png, sizeof(chunk));
	memmove(png->buf + IHDR_END + sizeof(chunk), png->buf + IHDR_END, png->len - IHDR_END);
	memcpy(png->buf + IHDR_END, chunk, sizeof(chunk));
	png->len += sizeof(chunk);
	return 0;
}

int docx_chart_png(const struct doc_chart *c, const char *family, int width_px, int dpi,
		   unsigned char **png, size_t *len)
{
	double w = DOCX_TEXT_W / 20.0, h = w * CHART_RATIO; /* points, as the PDF */
	int height_px = (int)lround(width_px * CHART_RATIO);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_px, height_px);
	cairo_t *cr = cairo_create(s);
	struct strbuf out = STRBUF_INIT;
	cairo_status_t st;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, width_px / w, height_px / h);
	chart_draw(cr, c, family, w, h);
	st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(s, collect, &out);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS || add_phys(&out, (uint32_t)lround(dpi / 0.0254)) != 0) {
		strbuf_release(&out);
		return -1;
	}
	*png = (unsigned char *)strbuf_detach(&out, len);
	return 0;
}

/* The inline picture (wp:inline) of media[i], cx by cy EMU, alt text descr. */
static void inline_picture(struct docx *d, struct strbuf *out, size_t i, long cx, long cy,
			   const char *name, const char *descr)
{
	char *rid = docx_image_rid(i);
	int id = ++d->drawing_id;

	strbuf_addstr(out, "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" "
			   "distR=\"0\">");
	strbuf_addf(out, "<wp:extent cx=\"%ld\" cy=\"%ld\"/>", cx, cy);
	strbuf_addstr(out, "<wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr");
	xml_attr_int(out, "id", id);
	xml_attr(out, "name", name);
	xml_attr(out, "descr", descr);
	strbuf_addstr(out, "/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/>"
			   "</wp:cNvGraphicFramePr><a:graphic><a:graphicData "
			   "uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
			   "<pic:pic><pic:nvPicPr><pic:cNvPr");
	xml_attr_int(out, "id", id);
	xml_attr(out, "name", d->media[i].name);
	xml_attr(out, "descr", descr);
	strbuf_addstr(out, "/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip");
	xml_attr(out, "r:embed", rid);
	strbuf_addstr(out, "/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr>"
			   "<a:xfrm><a:off x=\"0\" y=\"0\"/>");
	strbuf_addf(out, "<a:ext cx=\"%ld\" cy=\"%ld\"/>", cx, cy);
	strbuf_addstr(out, "</a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>"
			   "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>");
	free(rid);
}

int docx_chart(struct docx *d, struct strbuf *out, const struct doc_chart *c)
{
	/* whole pixels at no less than DOCX_CHART_DPI across the text width */
	int width_px = (int)ceil(DOCX_TEXT_W / 1440.0 * DOCX_CHART_DPI);
	int height_px = (int)lround(width_px * CHART_RATIO);
	long cx = (long)DOCX_TEXT_W * DOCX_EMU_TWIP;
	long cy = (long)llround((double)cx * height_px / width_px);
	struct docx_media *m;
	char *caption;

	d->media = xrealloc(d->media, (d->nmedia + 1) * sizeof(*d->media));
	m = &d->media[d->nmedia];
	memset(m, 0, sizeof(*m));
	if (docx_chart_png(c, doc_font_family(&d->doc->meta, DOC_FONT_HEADING1), width_px,
			   (int)lround(width_px / (DOCX_TEXT_W / 1440.0)), &m->data, &m->len) != 0)
		return docx_fail(d, "图表“%s”无法绘制", c->title ? c->title : "");
	m->name = xasprintf("image%zu.png", d->nmedia + 1);
	d->nmedia++;
	docx_p_open(d, out, DOCX_ST_FIGURE, true, NULL);
	inline_picture(d, out, d->nmedia - 1, cx, cy, c->label ? c->label : m->name,
		       c->title ? c->title : "");
	docx_p_close(out);
	caption = xasprintf("%s %s", c->label ? c->label : "", c->title ? c->title : "");
	docx_p_text(d, out, DOCX_ST_CAPTION, false, NULL, caption);
	free(caption);
	return 0;
}
