/*
 * book_xls.c - an .xls (BIFF, Excel 97-2003) workbook read with
 * libfreexl, each row as one CSV line (book.h).
 *
 * libfreexl parses a sheet whole when it is selected, into a dense array
 * of rows × columns (at most 65,536 × 256); reading then walks that array.
 * What libfreexl does not give, this reader cannot either:
 *   - a formula cell comes back as NULL even when the file caches its
 *     result, so an .xls formula cell reads empty (an .xlsx one reads
 *     its cached value or BOOK_MARK "F");
 *   - a boolean reads 0 or 1 and an error value (#DIV/0!) 1: both come
 *     back as integers;
 *   - dates are recognised by libfreexl from the built-in date formats and
 *     custom ones, but not the East Asian built-ins (ids 27-36, 50-58):
 *     such a cell reads as its serial number;
 *   - sheet visibility is not exposed: every sheet reads as not hidden.
 * libfreexl 1.0.6 also reads past its buffer on a single string spanning
 * three or more BIFF records (some 8,000 CJK characters in one cell): such
 * a workbook is refused before libfreexl opens it (book_xls_sst.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <freexl.h>

#include "util/xalloc.h"
#include "book_impl.h"

struct xls {
	const void *h;
	unsigned rows; /* of the selected sheet: counts, not the last index */
	unsigned short cols;
	unsigned next_row; /* 0-based: line next_row + 1 */
	struct strbuf line;
};

/*
 * An encrypted workbook is an OLE2 file too: an .xls with a password
 * (FILEPASS, which libfreexl reports as obfuscated) or an .xlsx saved
 * with a password, whose package is the "EncryptedPackage" stream.
 * Found by the stream's name (UTF-16LE) anywhere in the file: it is only
 * looked for once libfreexl has failed.
 */
static bool has_encrypted_package(const char *path)
{
	static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
	const size_t nlen = sizeof(name) - 1;
	char buf[65536];
	size_t have = 0, n;
	bool found = false;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		return false;
	while (!found && (n = fread(buf + have, 1, sizeof(buf) - have, fp)) > 0) {
		have += n;
		found = memmem(buf, have, name, nlen) != NULL;
		/* keep the tail: the name may straddle two reads */
		if (have >= nlen) {
			memmove(buf, buf + have - (nlen - 1), nlen - 1);
			have = nlen - 1;
		}
	}
	fclose(fp);
	return found;
}

static void open_reason(int rc, const char *path, char *err, size_t errlen)
{
	if (rc != FREEXL_FILE_NOT_FOUND && has_encrypted_package(path)) {
		snprintf(err, errlen, "工作簿有密码保护，请先在Excel里去掉密码再导出");
		return;
	}
	switch (rc) {
	case FREEXL_FILE_NOT_FOUND:
		snprintf(err, errlen, "无法打开文件");
		break;
	case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
		snprintf(err, errlen,
			 "不是Excel工作簿（文件里没有工作簿，可能是Word或别的Office文件）");
		break;
	case FREEXL_INSUFFICIENT_MEMORY:
		snprintf(err, errlen, "文件已损坏或过大（读取时内存不足）");
		break;
	case FREEXL_CRAFTED_FILE:
		snprintf(err, errlen, "文件已损坏（结构异常，可能是有意构造的文件）");
		break;
	default:
		snprintf(err, errlen, "文件已损坏（.xls无法解析，libfreexl错误%d）", rc);
	}
}

static int xls_select(struct book *wb, size_t i, char *err, size_t errlen)
{
	struct xls *x = wb->state;
	unsigned rows = 0;
	unsigned short cols = 0;

	x->next_row = x->rows = x->cols = 0;
	if (i > 0xffff || freexl_select_active_worksheet(x->h, (unsigned short)i) != FREEXL_OK ||
	    freexl_worksheet_dimensions(x->h, &rows, &cols) != FREEXL_OK) {
		snprintf(err, errlen, "文件已损坏（工作表“%s”无法读出）", wb->sheets[i].name);
		return -1;
	}
	x->rows = rows;
	x->cols = cols;
	return 0;
}

/* One cell as text into buf or *text; the length, 0 for a blank cell. */
static size_t cell_text(const FreeXL_CellValue *v, char buf[32], const char **text)
{
	const char *s = v->value.text_value;

	*text = buf;
	switch (v->type) {
	case FREEXL_CELL_INT:
		book_format_number(v->value.int_value, buf);
		return strlen(buf);
	case FREEXL_CELL_DOUBLE:
		book_format_number(v->value.double_value, buf);
		return strlen(buf);
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
	case FREEXL_CELL_DATE: /* "YYYY-MM-DD" */
	case FREEXL_CELL_TIME: /* "HH:MM:SS" */
		*text = s != NULL ? s : "";
		return strlen(*text);
	case FREEXL_CELL_DATETIME: /* "YYYY-MM-DD HH:MM:SS": the day, as from an .xlsx */
		*text = s != NULL ? s : "";
		return strnlen(*text, 10);
	default: /* FREEXL_CELL_NULL, and a formula */
		return 0;
	}
}

static int xls_read(struct book *wb, struct strbuf *out, size_t want, char *err, size_t errlen)
{
	struct xls *x = wb->state;
	char buf[32];

	do {
		size_t nfields = 0;

		if (x->next_row >= x->rows)
			return 0;
		strbuf_reset(&x->line);
		for (unsigned short c = 0; c < x->cols; c++) {
			FreeXL_CellValue v;
			const char *text;
			size_t len;

			if (freexl_get_cell_value(x->h, x->next_row, c, &v) != FREEXL_OK) {
				snprintf(err, errlen, "文件已损坏（第%u行无法读出）",
					 x->next_row + 1);
				return -1;
			}
			len = cell_text(&v, buf, &text);
			if (len == 0)
				continue; /* a field only if a later cell needs it */
			for (size_t k = nfields; k < c; k++)
				book_add_field(&x->line, k == 0, "", 0);
			book_add_field(&x->line, c == 0, text, len);
			nfields = (size_t)c + 1;
		}
		strbuf_add(out, x->line.buf != NULL ? x->line.buf : "", x->line.len);
		strbuf_addch(out, '\n');
		x->next_row++;
	} while (out->len < want);
	return x->next_row < x->rows ? 1 : 0;
}

static void xls_close(struct book *wb)
{
	struct xls *x = wb->state;

	if (x == NULL)
		return;
	freexl_close(x->h);
	strbuf_release(&x->line);
	free(x);
	wb->state = NULL;
}

static const struct book_ops xls_ops = {"xls", xls_select, xls_read, xls_close};

int book_open_xls(struct book *wb, const char *path, char *err, size_t errlen)
{
	const void *h = NULL;
	unsigned info = 0, nsheets = 0;
	struct xls *x;
	int rc;

	if (book_xls_sst_check(path, err, errlen) != 0)
		return -1;
	rc = freexl_open(path, &h);

	/* libfreexl 1.0.6 has returned FREEXL_OK with no handle for a file it could not read */
	if (rc != FREEXL_OK || h == NULL) {
		if (h != NULL)
			freexl_close(h);
		open_reason(rc == FREEXL_OK ? FREEXL_CRAFTED_FILE : rc, path, err, errlen);
		return -1;
	}
	if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) != FREEXL_OK ||
	    info == FREEXL_BIFF_OBFUSCATED) {
		freexl_close(h);
		snprintf(err, errlen, "工作簿有密码保护，请先在Excel里去掉密码再导出");
		return -1;
	}
	if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &nsheets) != FREEXL_OK ||
	    nsheets > 0xffff) {
		freexl_close(h);
		snprintf(err, errlen, "文件已损坏（工作表列表无法读出）");
		return -1;
	}
	wb->sheets = xcalloc(nsheets, sizeof(*wb->sheets));
	for (unsigned i = 0; i < nsheets; i++) {
		const char *name = NULL;

		if (freexl_get_worksheet_name(h, (unsigned short)i, &name) != FREEXL_OK ||
		    name == NULL)
			wb->sheets[i].name = xasprintf("第%u个工作表", i + 1);
		else
			wb->sheets[i].name = xstrdup(name);
	}
	wb->nsheets = nsheets;
	x = xcalloc(1, sizeof(*x));
	x->h = h;
	wb->ops = &xls_ops;
	wb->state = x;
	return 0;
}
