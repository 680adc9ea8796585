/*
 * book_xlsx.c - an .xlsx/.xlsm package opened: the part chain
 * (_rels/.rels -> the workbook -> its rels), the sheet list, the date
 * system, which cell styles are dates, and the shared strings, held in
 * one arena.  The sheets themselves are streamed by book_xlsx_sheet.c.
 *
 * Nothing here trusts the package: a part may be missing, named in another
 * case, point outside the package or be hostile XML; each gives a reason,
 * never a crash, and never a sheet that silently reads empty.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"
#include "book_xlsx.h"

/*
 * The most the shared strings may take, text and index together: a zip of
 * a few megabytes can inflate to any size, and this turns such a file into
 * a reason rather than the machine running out of memory.  A real export
 * of a million rows of unique text takes a tenth of it.
 */
#define WBX_SST_MAX ((size_t)2 << 30)

/* ------------------------------------------------------------ relationships */

struct rel {
	char *id, *type, *target; /* target resolved to a part name */
};

struct rels_ctx {
	struct wbx_ctx ctx;
	const char *source; /* the part the relationships belong to */
	struct rel *v;
	size_t n, cap;
};

/* Whether type ends in "/" suffix (transitional and strict OOXML differ before it). */
static bool rel_type_is(const char *type, const char *suffix)
{
	size_t tl = strlen(type), sl = strlen(suffix);

	return tl > sl && type[tl - sl - 1] == '/' && strcmp(type + tl - sl, suffix) == 0;
}

/*
 * Target, relative to the folder of part source (or to the package root
 * when it starts with '/'), as a part name: "." and ".." segments folded,
 * never above the root.
 */
static char *resolve_target(const char *source, const char *target)
{
	struct strbuf sb = STRBUF_INIT;
	const char *slash = strrchr(source, '/');
	const char *p;

	if (target[0] != '/' && slash != NULL)
		strbuf_add(&sb, source, (size_t)(slash - source + 1));
	p = target;
	while (*p != '\0') {
		const char *end = strchr(p, '/');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			/* drop the last folder of what is built so far */
			if (sb.len > 0)
				sb.len--;
			while (sb.len > 0 && sb.buf[sb.len - 1] != '/')
				sb.len--;
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			strbuf_add(&sb, p, n);
			if (end != NULL)
				strbuf_addch(&sb, '/');
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (sb.buf != NULL)
		sb.buf[sb.len] = '\0'; /* after a ".." shortened it */
	return strbuf_detach(&sb, NULL);
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct rels_ctx *rc = ud;
	const char *id, *type, *target, *mode;

	rc->ctx.quiet = 0;
	if (strcmp(wbx_local(name), "Relationship") != 0)
		return;
	id = wbx_attr(atts, "Id");
	type = wbx_attr(atts, "Type");
	target = wbx_attr(atts, "Target");
	mode = wbx_attr(atts, "TargetMode");
	if (id == NULL || type == NULL || target == NULL ||
	    (mode != NULL && strcmp(mode, "External") == 0))
		return; /* a link to a web page or another file: not a part */
	rc->v = xgrow(rc->v, &rc->cap, rc->n + 1, sizeof(*rc->v));
	rc->v[rc->n++] =
	    (struct rel){xstrdup(id), xstrdup(type), resolve_target(rc->source, target)};
}

static void rels_free(struct rels_ctx *rc)
{
	for (size_t i = 0; i < rc->n; i++) {
		free(rc->v[i].id);
		free(rc->v[i].type);
		free(rc->v[i].target);
	}
	free(rc->v);
}

/* The relationships of part (none when it has no rels part).  0, or -1 with err. */
static int read_rels(zip_t *zip, const char *part, struct rels_ctx *rc, char *err, size_t errlen)
{
	const char *slash = strrchr(part, '/');
	char *name;
	int rv;

	*rc = (struct rels_ctx){.source = part};
	if (slash != NULL)
		name = xasprintf("%.*s_rels/%s.rels", (int)(slash - part + 1), part, slash + 1);
	else
		name = xasprintf("_rels/%s.rels", part);
	XML_SetStartElementHandler(wbx_parser_new(&rc->ctx), rels_start);
	rv = wbx_parse_part(&rc->ctx, zip, name, err, errlen);
	XML_ParserFree(rc->ctx.parser);
	free(name);
	return rv < 0 ? -1 : 0;
}

static const struct rel *rel_by_type(const struct rels_ctx *rc, const char *suffix)
{
	for (size_t i = 0; i < rc->n; i++)
		if (rel_type_is(rc->v[i].type, suffix))
			return &rc->v[i];
	return NULL;
}

static const struct rel *rel_by_id(const struct rels_ctx *rc, const char *id)
{
	for (size_t i = 0; i < rc->n; i++)
		if (strcmp(rc->v[i].id, id) == 0)
			return &rc->v[i];
	return NULL;
}

/* ------------------------------------------------------------ workbook.xml */

struct sheet_ref {
	char *name, *rid;
	bool hidden;
};

struct workbook_ctx {
	struct wbx_ctx ctx;
	bool seen_root;
	bool date1904;
	struct sheet_ref *v;
	size_t n, cap;
};

static bool xml_true(const char *v)
{
	return v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

static void workbook_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct workbook_ctx *wc = ud;
	const char *local = wbx_local(name);

	wc->ctx.quiet = 0;
	if (!wc->seen_root) {
		wc->seen_root = true;
		if (strcmp(local, "workbook") != 0)
			wbx_fail(&wc->ctx, "不是Excel工作簿（压缩包的主文档不是工作簿）");
		return;
	}
	if (strcmp(local, "workbookPr") == 0) {
		wc->date1904 = xml_true(wbx_attr(atts, "date1904"));
	} else if (strcmp(local, "sheet") == 0) {
		const char *sname = wbx_attr(atts, "name");
		const char *rid = wbx_attr(atts, "id");
		const char *state = wbx_attr(atts, "state");

		wc->v = xgrow(wc->v, &wc->cap, wc->n + 1, sizeof(*wc->v));
		wc->v[wc->n] = (struct sheet_ref){
		    sname != NULL ? xstrdup(sname) : xasprintf("第%zu个工作表", wc->n + 1),
		    xstrdup(rid != NULL ? rid : ""),
		    state != NULL &&
			(strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0)};
		wc->n++;
	}
}

/* ------------------------------------------------------------ styles.xml */

struct numfmt {
	unsigned id;
	bool date;
};

struct styles_ctx {
	struct wbx_ctx ctx;
	bool in_numfmts, in_cellxfs;
	struct numfmt *fmts;
	size_t nfmt, fcap;
	unsigned *xf_fmt; /* per cellXfs entry, its numFmtId */
	size_t nxf, xcap;
};

/* Built-in number formats that show a date or a time (ECMA-376 18.8.30, East Asian ones too). */
static bool builtin_date(unsigned id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	       (id >= 50 && id <= 58);
}

/* [h] [hh] [m] [mm] [s] [ss]: elapsed time, a time format. */
static bool elapsed_token(const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	if (n == 0 || n > 2)
		return false;
	for (const char *q = p; q < end; q++)
		if (strchr("hHmMsS", *q) == NULL || *q != *p)
			return false;
	return true;
}

/*
 * Whether a custom format code shows a date or a time: a y, m, d, h or s
 * in its first section, outside quoted text, escapes (\x, _x, *x) and
 * brackets ([Red], [$-804]; [h] [mm] [ss] count).
 */
static bool format_is_date(const char *f)
{
	if (strcasecmp(f, "General") == 0)
		return false;
	for (const char *p = f; *p != '\0' && *p != ';'; p++) {
		switch (*p) {
		case '"':
			p = strchr(p + 1, '"');
			if (p == NULL)
				return false;
			break;
		case '\\':
		case '_':
		case '*':
			if (p[1] != '\0')
				p++;
			break;
		case '[': {
			const char *e = strchr(p, ']');

			if (e == NULL)
				return false;
			if (elapsed_token(p + 1, e))
				return true;
			p = e;
			break;
		}
		default:
			if (strchr("yYmMdDhHsS", *p) != NULL)
				return true;
		}
	}
	return false;
}

static void styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct styles_ctx *sc = ud;
	const char *local = wbx_local(name);
	const char *id = wbx_attr(atts, "numFmtId");
	unsigned long v = id != NULL ? strtoul(id, NULL, 10) : 0;

	sc->ctx.quiet = 0;
	if (v > 0xffffffffu)
		v = 0; /* nonsense: General */
	if (strcmp(local, "numFmts") == 0) {
		sc->in_numfmts = true;
	} else if (strcmp(local, "cellXfs") == 0) {
		sc->in_cellxfs = true;
	} else if (sc->in_numfmts && strcmp(local, "numFmt") == 0 && id != NULL) {
		const char *code = wbx_attr(atts, "formatCode");

		sc->fmts = xgrow(sc->fmts, &sc->fcap, sc->nfmt + 1, sizeof(*sc->fmts));
		sc->fmts[sc->nfmt++] =
		    (struct numfmt){(unsigned)v, code != NULL && format_is_date(code)};
	} else if (sc->in_cellxfs && strcmp(local, "xf") == 0) {
		sc->xf_fmt = xgrow(sc->xf_fmt, &sc->xcap, sc->nxf + 1, sizeof(*sc->xf_fmt));
		sc->xf_fmt[sc->nxf++] = (unsigned)v;
	}
}

static void styles_end(void *ud, const XML_Char *name)
{
	struct styles_ctx *sc = ud;
	const char *local = wbx_local(name);

	sc->ctx.quiet = 0;
	if (strcmp(local, "numFmts") == 0)
		sc->in_numfmts = false;
	else if (strcmp(local, "cellXfs") == 0)
		sc->in_cellxfs = false;
}

/* A format the workbook defines wins over the built-in one of the same id. */
static bool numfmt_is_date(const struct styles_ctx *sc, unsigned id)
{
	for (size_t i = 0; i < sc->nfmt; i++)
		if (sc->fmts[i].id == id)
			return sc->fmts[i].date;
	return builtin_date(id);
}

static int read_styles(struct wbx_book *book, const char *part, char *err, size_t errlen)
{
	struct styles_ctx sc = {0};
	XML_Parser p = wbx_parser_new(&sc.ctx);
	int rv;

	XML_SetElementHandler(p, styles_start, styles_end);
	rv = wbx_parse_part(&sc.ctx, book->zip, part, err, errlen);
	XML_ParserFree(p);
	if (rv == 0) {
		book->xf_date = xcalloc(sc.nxf, sizeof(*book->xf_date));
		book->nxf = sc.nxf;
		for (size_t i = 0; i < sc.nxf; i++)
			book->xf_date[i] = numfmt_is_date(&sc, sc.xf_fmt[i]);
	}
	free(sc.fmts);
	free(sc.xf_fmt);
	return rv < 0 ? -1 : 0;
}

/* ------------------------------------------------------------ sharedStrings.xml */

struct sst_ctx {
	struct wbx_ctx ctx;
	struct wbx_book *book;
	struct strbuf arena; /* the strings, back to back */
	size_t ocap;
	bool in_si, in_t;
	unsigned rph;      /* inside <rPh> (phonetic reading): its text is not the value */
	struct strbuf raw; /* the current string, escapes not yet decoded */
};

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sst_ctx *sc = ud;
	const char *local = wbx_local(name);

	(void)atts;
	sc->ctx.quiet = 0;
	if (strcmp(local, "si") == 0) {
		sc->in_si = true;
		strbuf_reset(&sc->raw);
	} else if (strcmp(local, "rPh") == 0) {
		sc->rph++;
	} else if (strcmp(local, "t") == 0) {
		sc->in_t = sc->in_si && sc->rph == 0;
	}
}

static void sst_end(void *ud, const XML_Char *name)
{
	struct sst_ctx *sc = ud;
	struct wbx_book *b = sc->book;
	const char *local = wbx_local(name);

	sc->ctx.quiet = 0;
	if (strcmp(local, "t") == 0) {
		sc->in_t = false;
	} else if (strcmp(local, "rPh") == 0) {
		if (sc->rph > 0)
			sc->rph--;
	} else if (strcmp(local, "si") == 0 && sc->in_si) {
		sc->in_si = false;
		wbx_unescape(&sc->arena, sc->raw.buf, sc->raw.len);
		b->sst_off = xgrow(b->sst_off, &sc->ocap, b->nsst + 2, sizeof(*b->sst_off));
		b->sst_off[++b->nsst] = sc->arena.len;
		if (sc->arena.len + b->nsst * sizeof(size_t) > WBX_SST_MAX)
			wbx_fail(&sc->ctx,
				 "文件的共享字符串超过2 GiB，不是一份导出的数据，无法读取");
	}
}

static void sst_text(void *ud, const XML_Char *s, int len)
{
	struct sst_ctx *sc = ud;

	sc->ctx.quiet = 0;
	if (!sc->in_t)
		return;
	if (sc->raw.len + (size_t)len > WBX_MAX_PIECE) {
		wbx_fail(&sc->ctx, "文件已损坏（一个共享字符串超过64 MiB）");
		return;
	}
	strbuf_add(&sc->raw, s, (size_t)len);
}

static int read_sst(struct wbx_book *book, const char *part, char *err, size_t errlen)
{
	struct sst_ctx sc = {.book = book};
	XML_Parser p = wbx_parser_new(&sc.ctx);
	int rv;

	book->sst_off = xgrow(NULL, &sc.ocap, 1, sizeof(*book->sst_off));
	book->sst_off[0] = 0;
	book->nsst = 0;
	XML_SetElementHandler(p, sst_start, sst_end);
	XML_SetCharacterDataHandler(p, sst_text);
	rv = wbx_parse_part(&sc.ctx, book->zip, part, err, errlen);
	XML_ParserFree(p);
	strbuf_release(&sc.raw);
	book->sst = strbuf_detach(&sc.arena, NULL);
	if (rv == 1)
		book->sst_missing = true; /* only an error when a cell refers to it */
	return rv < 0 ? -1 : 0;
}

/* ------------------------------------------------------------ the reader */

static int wbx_select(struct book *wb, size_t i, char *err, size_t errlen)
{
	struct wbx_book *book = wb->state;

	if (book->parts[i] == NULL) {
		snprintf(err, errlen, "文件已损坏（工作表“%s”的内容不在文件里）",
			 wb->sheets[i].name);
		return -1;
	}
	return wbx_sheet_open(book, book->parts[i], err, errlen);
}

static int wbx_read(struct book *wb, struct strbuf *out, size_t want, char *err, size_t errlen)
{
	return wbx_sheet_read(wb->state, out, want, err, errlen);
}

static void book_free(struct wbx_book *book, size_t nparts)
{
	if (book == NULL)
		return;
	wbx_sheet_free(book->sheet);
	if (book->zip != NULL)
		zip_discard(book->zip);
	for (size_t i = 0; i < nparts && book->parts != NULL; i++)
		free(book->parts[i]);
	free(book->parts);
	free(book->xf_date);
	free(book->sst);
	free(book->sst_off);
	free(book);
}

static void wbx_close(struct book *wb)
{
	book_free(wb->state, wb->nsheets);
	wb->state = NULL;
}

static const struct book_ops wbx_ops = {"xlsx", wbx_select, wbx_read, wbx_close};

/* The workbook part: named by the package's officeDocument relationship, else the usual name. */
static char *workbook_part(zip_t *zip, char *err, size_t errlen)
{
	struct rels_ctx rc;
	const struct rel *r;
	char *part = NULL;

	if (read_rels(zip, "", &rc, err, errlen) != 0)
		return NULL;
	r = rel_by_type(&rc, "officeDocument");
	if (r != NULL && wbx_part_exists(zip, r->target))
		part = xstrdup(r->target);
	else if (wbx_part_exists(zip, "xl/workbook.xml"))
		part = xstrdup("xl/workbook.xml");
	else
		snprintf(err, errlen, "不是Excel工作簿（压缩包里没有workbook.xml）");
	rels_free(&rc);
	return part;
}

static int zip_open_reason(int code, const char *path, char *err, size_t errlen)
{
	zip_error_t ze;

	switch (code) {
	case ZIP_ER_NOZIP:
	case ZIP_ER_INCONS:
	case ZIP_ER_EOF:
	case ZIP_ER_CRC:
		snprintf(err, errlen, "文件已损坏（压缩包不完整或已损坏，可能没有下载完）");
		break;
	default:
		zip_error_init_with_code(&ze, code);
		snprintf(err, errlen, "无法打开文件%s：%s", path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
	}
	return -1;
}

/* Read the sheet list, the styles and the shared strings of an open package. */
static int read_book(struct book *wb, struct wbx_book *book, char *err, size_t errlen)
{
	struct workbook_ctx wc = {0};
	struct rels_ctx rc = {0};
	const struct rel *r;
	char *part;
	int rv = -1;

	part = workbook_part(book->zip, err, errlen);
	if (part == NULL)
		return -1;
	if (strlen(part) > 4 && strcasecmp(part + strlen(part) - 4, ".bin") == 0) {
		snprintf(err, errlen,
			 "是.xlsb二进制工作簿，civreport读不了，请在Excel里另存为.xlsx");
		goto out;
	}
	XML_SetStartElementHandler(wbx_parser_new(&wc.ctx), workbook_start);
	rv = wbx_parse_part(&wc.ctx, book->zip, part, err, errlen);
	XML_ParserFree(wc.ctx.parser);
	if (rv != 0 || read_rels(book->zip, part, &rc, err, errlen) != 0) {
		rv = -1;
		goto out;
	}
	book->date1904 = wc.date1904;
	wb->sheets = xcalloc(wc.n, sizeof(*wb->sheets));
	book->parts = xcalloc(wc.n, sizeof(*book->parts));
	for (size_t i = 0; i < wc.n; i++) {
		r = rel_by_id(&rc, wc.v[i].rid);
		wb->sheets[i].name = wc.v[i].name;
		wb->sheets[i].hidden = wc.v[i].hidden;
		wc.v[i].name = NULL;
		if (r != NULL && wbx_part_exists(book->zip, r->target))
			book->parts[i] = xstrdup(r->target);
	}
	wb->nsheets = wc.n;
	rv = 0;
	r = rel_by_type(&rc, "styles");
	if (r != NULL)
		rv = read_styles(book, r->target, err, errlen);
	r = rel_by_type(&rc, "sharedStrings");
	if (rv == 0 && r != NULL)
		rv = read_sst(book, r->target, err, errlen);
out:
	for (size_t i = 0; i < wc.n; i++) {
		free(wc.v[i].name);
		free(wc.v[i].rid);
	}
	free(wc.v);
	rels_free(&rc);
	free(part);
	return rv;
}

int book_open_xlsx(struct book *wb, const char *path, char *err, size_t errlen)
{
	struct wbx_book *book;
	int code = 0;
	zip_t *zip = zip_open(path, ZIP_RDONLY, &code);

	if (zip == NULL)
		return zip_open_reason(code, path, err, errlen);
	book = xcalloc(1, sizeof(*book));
	book->zip = zip;
	wb->ops = &wbx_ops;
	wb->state = book;
	if (read_book(wb, book, err, errlen) != 0) {
		book_free(book, wb->nsheets);
		for (size_t i = 0; i < wb->nsheets; i++)
			free(wb->sheets[i].name);
		free(wb->sheets);
		wb->sheets = NULL;
		wb->nsheets = 0;
		wb->state = NULL;
		return -1;
	}
	return 0;
}
