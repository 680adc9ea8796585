/*
 * book.c - the one entry to the spreadsheet readers: picks the reader
 * by the file's first bytes.  The cell-to-text rules both readers share
 * are in book_cell.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"
#include "book_impl.h"

bool book_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot != NULL && (strcasecmp(dot, ".xlsx") == 0 || strcasecmp(dot, ".xlsm") == 0 ||
			       strcasecmp(dot, ".xls") == 0);
}

struct book *book_open(const char *path, char *err, size_t errlen)
{
	static const unsigned char zip[4] = {'P', 'K', 3, 4};
	static const unsigned char ole2[8] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};
	unsigned char magic[8] = {0};
	struct book *wb;
	FILE *fp = fopen(path, "rb");
	size_t n;
	int rc;

	if (fp == NULL) {
		snprintf(err, errlen, "无法打开文件：%s", strerror(errno));
		return NULL;
	}
	n = fread(magic, 1, sizeof(magic), fp);
	fclose(fp);
	wb = xcalloc(1, sizeof(*wb));
	if (n >= 4 && memcmp(magic, zip, 4) == 0) {
		rc = book_open_xlsx(wb, path, err, errlen);
	} else if (n == 8 && memcmp(magic, ole2, 8) == 0) {
		rc = book_open_xls(wb, path, err, errlen);
	} else {
		snprintf(err, errlen, "%s",
			 n == 0 ? "文件是空的" : "不是Excel文件（内容既不是.xlsx也不是.xls）");
		rc = -1;
	}
	if (rc != 0) {
		free(wb);
		return NULL;
	}
	return wb;
}

const char *book_kind(const struct book *wb)
{
	return wb->ops->kind;
}

size_t book_nsheets(const struct book *wb)
{
	return wb->nsheets;
}

const struct book_sheet *book_sheet(const struct book *wb, size_t i)
{
	return i < wb->nsheets ? &wb->sheets[i] : NULL;
}

int book_select(struct book *wb, size_t i, char *err, size_t errlen)
{
	if (i >= wb->nsheets) {
		snprintf(err, errlen, "没有第%zu个工作表", i + 1);
		return -1;
	}
	wb->selected = wb->ops->select(wb, i, err, errlen) == 0;
	return wb->selected ? 0 : -1;
}

int book_read(struct book *wb, struct strbuf *out, size_t want, char *err, size_t errlen)
{
	if (!wb->selected) {
		snprintf(err, errlen, "未选择工作表");
		return -1;
	}
	return wb->ops->read(wb, out, want, err, errlen);
}

void book_close(struct book *wb)
{
	if (wb == NULL)
		return;
	wb->ops->close(wb);
	for (size_t i = 0; i < wb->nsheets; i++)
		free(wb->sheets[i].name);
	free(wb->sheets);
	free(wb);
}
