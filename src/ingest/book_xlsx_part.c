/*
 * book_xlsx_part.c - the zip and expat plumbing of the .xlsx reader:
 * open a part, inflate it chunk by chunk into expat, report a damaged part
 * in words an officer can act on, decode Excel's _xHHHH_ escapes.  Knows
 * nothing of what the parts mean (book_xlsx.c, book_xlsx_sheet.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/exitcode.h"
#include "book_xlsx.h"

/* As xalloc.h: a library that could not allocate ends the run. */
static _Noreturn void out_of_memory(void)
{
	fprintf(stderr, "civreport: out of memory\n");
	exit(EXIT_IO);
}

const char *wbx_local(const char *name)
{
	const char *bar = strrchr(name, '|');

	return bar != NULL ? bar + 1 : name;
}

const char *wbx_attr(const char **atts, const char *local)
{
	for (size_t i = 0; atts[i] != NULL; i += 2)
		if (strcmp(wbx_local(atts[i]), local) == 0)
			return atts[i + 1];
	return NULL;
}

void wbx_fail(struct wbx_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
	va_end(ap);
	ctx->failed = true;
	XML_StopParser(ctx->parser, XML_FALSE);
}

/* No OOXML part has a DTD; refusing it also refuses every entity trick. */
static void refuse_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			   const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	wbx_fail(ud, "文件已损坏（工作簿的XML里有文档类型声明，Excel不会这样写）");
}

XML_Parser wbx_parser_new(struct wbx_ctx *ctx)
{
	XML_Parser p = XML_ParserCreateNS(NULL, '|');

	if (p == NULL)
		out_of_memory();
	ctx->parser = p;
	ctx->quiet = 0;
	ctx->failed = false;
	ctx->err[0] = '\0';
	XML_SetUserData(p, ctx);
	XML_SetStartDoctypeDeclHandler(p, refuse_doctype);
	return p;
}

/* A zip error as the officer's reason. */
static void zip_reason(int code, char *err, size_t errlen)
{
	switch (code) {
	case ZIP_ER_NOPASSWD:
	case ZIP_ER_WRONGPASSWD:
	case ZIP_ER_ENCRNOTSUPP:
		snprintf(err, errlen, "工作簿有密码保护，请先在Excel里去掉密码再导出");
		break;
	case ZIP_ER_COMPNOTSUPP:
		snprintf(err, errlen, "文件已损坏（压缩方式不是Excel用的，无法解压）");
		break;
	case ZIP_ER_MEMORY:
		out_of_memory();
	default:
		snprintf(err, errlen, "文件已损坏（压缩包内容无法读出，错误%d）", code);
	}
}

bool wbx_part_exists(zip_t *zip, const char *name)
{
	return zip_name_locate(zip, name, ZIP_FL_NOCASE) >= 0;
}

zip_file_t *wbx_part_open(zip_t *zip, const char *name, char *err, size_t errlen)
{
	zip_int64_t i = zip_name_locate(zip, name, ZIP_FL_NOCASE);
	zip_file_t *zf;

	err[0] = '\0';
	if (i < 0)
		return NULL;
	zf = zip_fopen_index(zip, (zip_uint64_t)i, 0);
	if (zf == NULL)
		zip_reason(zip_error_code_zip(zip_get_error(zip)), err, errlen);
	return zf;
}

void wbx_xml_error(struct wbx_ctx *ctx, char *err, size_t errlen)
{
	enum XML_Error code = XML_GetErrorCode(ctx->parser);

	if (ctx->failed)
		snprintf(err, errlen, "%s", ctx->err);
	else if (code == XML_ERROR_NO_MEMORY)
		snprintf(err, errlen, "文件已损坏（XML内容过大，无法解析）");
	else
		snprintf(err, errlen, "文件已损坏（XML第%lu行第%lu列：%s）",
			 (unsigned long)XML_GetCurrentLineNumber(ctx->parser),
			 (unsigned long)XML_GetCurrentColumnNumber(ctx->parser) + 1,
			 XML_ErrorString(code));
}

int wbx_feed(struct wbx_ctx *ctx, zip_file_t *zf, bool *final, char *err, size_t errlen)
{
	void *buf = XML_GetBuffer(ctx->parser, WBX_CHUNK);
	zip_int64_t n;
	enum XML_Status st;

	if (buf == NULL) {
		wbx_xml_error(ctx, err, errlen);
		return -1;
	}
	n = zip_fread(zf, buf, WBX_CHUNK);
	if (n < 0) {
		zip_error_t *ze = zip_file_get_error(zf);

		if (zip_error_code_zip(ze) == ZIP_ER_CRC)
			snprintf(err, errlen, "文件已损坏（压缩包校验和不符）");
		else
			zip_reason(zip_error_code_zip(ze), err, errlen);
		return -1;
	}
	*final = n == 0;
	ctx->quiet += (size_t)n;
	st = XML_ParseBuffer(ctx->parser, (int)n, *final);
	if (st == XML_STATUS_ERROR) {
		wbx_xml_error(ctx, err, errlen);
		return -1;
	}
	if (ctx->quiet > WBX_MAX_TOKEN) {
		/* no event for 16 MiB: expat is buffering one giant tag */
		snprintf(err, errlen, "文件已损坏（XML里有一个超过16 MiB的标记）");
		return -1;
	}
	if (st == XML_STATUS_SUSPENDED)
		return 2;
	return *final ? 0 : 1;
}

int wbx_parse_part(struct wbx_ctx *ctx, zip_t *zip, const char *name, char *err, size_t errlen)
{
	zip_file_t *zf = wbx_part_open(zip, name, err, errlen);
	bool final = false;
	int rc = 1;

	if (zf == NULL)
		return err[0] != '\0' ? -1 : 1;
	while (rc == 1)
		rc = wbx_feed(ctx, zf, &final, err, errlen);
	zip_fclose(zf);
	return rc < 0 ? -1 : 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The code point of "_xHHHH_" at s (7 bytes available), or -1. */
static long escape_at(const char *s)
{
	long v = 0;

	if (s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return -1;
	for (int i = 2; i < 6; i++) {
		int h = hexval(s[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static void add_utf8(struct strbuf *out, long cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	strbuf_add(out, b, n);
}

void wbx_unescape(struct strbuf *out, const char *s, size_t len)
{
	const char *u = len >= 7 ? memchr(s, '_', len) : NULL;
	size_t i = 0;

	if (u == NULL) { /* the common case: nothing to decode */
		strbuf_add(out, s, len);
		return;
	}
	strbuf_grow(out, len);
	while (i < len) {
		long cp = i + 7 <= len ? escape_at(s + i) : -1;

		if (cp < 0) {
			strbuf_addch(out, s[i++]);
			continue;
		}
		i += 7;
		if (cp >= 0xd800 && cp < 0xdc00) {
			long lo = i + 7 <= len ? escape_at(s + i) : -1;

			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 7;
			} else {
				cp = 0xfffd;
			}
		} else if (cp == 0 || (cp >= 0xdc00 && cp < 0xe000)) {
			cp = 0xfffd; /* no NUL or lone surrogate in the text */
		}
		add_utf8(out, cp);
	}
}
