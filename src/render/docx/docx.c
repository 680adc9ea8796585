/*
 * docx.c - the DOCX renderer's driver: the fonts, the parts in their
 * order, the zip and the file; see docx.h.
 *
 * The package is built in memory with libzip (a buffer source, so libzip
 * writes no temporary file of its own beside path) and written to path
 * only once it is complete: a failed render never leaves half a document.
 *
 * Determinism: the entries go in one fixed order ([Content_Types].xml
 * first, as Word writes it), each with the DOS date of doc->meta.created
 * set by zip_file_set_dostime (zip_file_set_mtime would go through the
 * local time zone), deflated by zlib, the PNGs stored as they are.  libzip
 * 1.7 adds no extra fields and no data descriptors, so two renders of one
 * doc are the same bytes (test_docx, t_docx).
 *
 * Must never: read the clock, or write through a symlink at path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <zip.h>

#include "docx.h"
#include "docx_priv.h"
#include "util/glyphs.h"
#include "util/testhook.h"
#include "util/xalloc.h"
#include "util/write.h"

/* The PDF's families when the doc names none (render/pdf/pdf.c). */
#define MONO_FONT "Noto Sans Mono CJK SC"

/* One part of the package, in the order it is stored. */
struct part {
	char *name;
	struct strbuf data;
	bool stored; /* a PNG: deflating it again gains nothing */
};

static bool has_charts(const struct doc *doc)
{
	for (size_t i = 0; i < doc->nblocks; i++)
		if (doc->blocks[i].kind == DOC_CHART && doc->blocks[i].chart != NULL)
			return true;
	for (size_t i = 0; i < doc->nappendix; i++)
		if (doc->appendix[i].kind == DOC_CHART && doc->appendix[i].chart != NULL)
			return true;
	return false;
}

/*
 * The families the styles name, as the PDF's.  The charts are drawn here,
 * in the heading face: a family that is not installed would be replaced
 * silently by fontconfig, so it is refused as the PDF refuses it.
 */
static int setup_fonts(struct docx *d)
{
	const struct doc_meta *m = &d->doc->meta;
	const char *charts = doc_font_family(m, DOC_FONT_HEADING1);

	d->mono = MONO_FONT;
	if (has_charts(d->doc) && !font_family_installed(charts))
		return docx_fail(
		    d, "字体“%s”未安装，无法绘制图表；请先运行 civreport lint 检查模板的字体",
		    charts);
	return 0;
}

static struct part *part_add(struct part **parts, size_t *n, const char *name)
{
	struct part *p;

	*parts = xrealloc(*parts, (*n + 1) * sizeof(**parts));
	p = &(*parts)[(*n)++];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(name);
	return p;
}

/* Every part, in the order of the package; document.xml first, as it draws the pictures. */
static int build_parts(struct docx *d, struct part **parts, size_t *n)
{
	struct strbuf document = STRBUF_INIT;
	struct part *p;

	if (docx_document(d, &document) < 0) {
		strbuf_release(&document);
		return -1;
	}
	docx_content_types(d, &part_add(parts, n, "[Content_Types].xml")->data);
	docx_package_rels(&part_add(parts, n, "_rels/.rels")->data);
	docx_core_props(d, &part_add(parts, n, "docProps/core.xml")->data);
	docx_app_props(d, &part_add(parts, n, "docProps/app.xml")->data);
	p = part_add(parts, n, "word/document.xml");
	p->data = document;
	docx_document_rels(d, &part_add(parts, n, "word/_rels/document.xml.rels")->data);
	docx_styles(d, &part_add(parts, n, "word/styles.xml")->data);
	docx_settings(&part_add(parts, n, "word/settings.xml")->data);
	docx_footer(&part_add(parts, n, "word/footer1.xml")->data);
	for (size_t i = 0; i < d->nmedia; i++) {
		char *name = xasprintf("word/media/%s", d->media[i].name);

		p = part_add(parts, n, name);
		strbuf_add(&p->data, d->media[i].data, d->media[i].len);
		p->stored = true;
		free(name);
	}
	return 0;
}

/* The DOS date and time of t (UTC), within what a zip entry can hold. */
static void dos_time(int64_t t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || tm.tm_year < 80 || tm.tm_year > 207) {
		*dtime = 0;
		*ddate = 1 << 5 | 1; /* 1980-01-01 */
		return;
	}
	*dtime = (zip_uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
	*ddate = (zip_uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

static int zip_fail(struct docx *d, zip_error_t *ze)
{
	int rc = docx_fail(d, "DOCX 打包失败：%s", zip_error_strerror(ze));

	zip_error_fini(ze);
	return rc;
}

/* Add the parts to za in order; -1 with the error in *ze. */
static int add_parts(zip_t *za, struct part *parts, size_t n, int64_t created, zip_error_t *ze)
{
	zip_uint16_t dtime, ddate;

	dos_time(created, &dtime, &ddate);
	for (size_t i = 0; i < n; i++) {
		/* the parts outlive zip_close: libzip reads them there */
		zip_source_t *s = zip_source_buffer(za, parts[i].data.buf, parts[i].data.len, 0);
		zip_int64_t k = s ? zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) : -1;

		if (k < 0) {
			if (s != NULL)
				zip_source_free(s);
			zip_error_set(ze, zip_error_code_zip(zip_get_error(za)),
				      zip_error_code_system(zip_get_error(za)));
			return -1;
		}
		if (zip_set_file_compression(za, (zip_uint64_t)k,
					     parts[i].stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
					     9) < 0 ||
		    zip_file_set_dostime(za, (zip_uint64_t)k, dtime, ddate, 0) < 0) {
			zip_error_set(ze, zip_error_code_zip(zip_get_error(za)),
				      zip_error_code_system(zip_get_error(za)));
			return -1;
		}
	}
	return 0;
}

/* The package as bytes, in *out. */
static int zip_parts(struct docx *d, struct part *parts, size_t n, struct strbuf *out)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	char buf[65536];
	zip_int64_t got;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (src == NULL)
		return zip_fail(d, &ze);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (za == NULL) {
		zip_source_free(src);
		return zip_fail(d, &ze);
	}
	zip_source_keep(src); /* the archive's bytes are read from it after zip_close */
	if (add_parts(za, parts, n, d->doc->meta.created, &ze) < 0) {
		zip_discard(za);
		zip_source_free(src);
		return zip_fail(d, &ze);
	}
	if (zip_close(za) < 0) {
		zip_error_set(&ze, zip_error_code_zip(zip_get_error(za)),
			      zip_error_code_system(zip_get_error(za)));
		zip_discard(za);
		zip_source_free(src);
		return zip_fail(d, &ze);
	}
	if (zip_source_open(src) < 0) {
		zip_error_set(&ze, zip_error_code_zip(zip_source_error(src)), 0);
		zip_source_free(src);
		return zip_fail(d, &ze);
	}
	while ((got = zip_source_read(src, buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)got);
	if (got < 0)
		zip_error_set(&ze, zip_error_code_zip(zip_source_error(src)), 0);
	zip_source_close(src);
	zip_source_free(src);
	if (got < 0)
		return zip_fail(d, &ze);
	zip_error_fini(&ze);
	return 0;
}

static int write_file(struct docx *d, const char *path, const struct strbuf *m)
{
	int opened;

	if (write_whole(path, m->buf, m->len, &opened) == 0)
		return 0;
	return opened ? docx_fail(d, "写入 %s 失败：%s", path, strerror(errno))
		      : docx_fail(d, "无法写入 %s：%s", path, strerror(errno));
}

static void release(struct docx *d, struct part *parts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(parts[i].name);
		strbuf_release(&parts[i].data);
	}
	free(parts);
	for (size_t i = 0; i < d->nmedia; i++) {
		free(d->media[i].name);
		free(d->media[i].data);
	}
	free(d->media);
}

int docx_render(const struct doc *doc, const char *path, char *err, size_t errlen)
{
	struct docx d = {.doc = doc, .err = err, .errlen = errlen};
	struct part *parts = NULL;
	size_t n = 0;
	struct strbuf zipped = STRBUF_INIT;
	int rc = -1;

	testhook_point("render-docx");
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (setup_fonts(&d) == 0 && build_parts(&d, &parts, &n) == 0 &&
	    zip_parts(&d, parts, n, &zipped) == 0)
		rc = write_file(&d, path, &zipped);
	strbuf_release(&zipped);
	release(&d, parts, n);
	return rc;
}
