/*
 * book.c - the one entry to the spreadsheet readers: picks the reader
 * by the file's first bytes, and the cell-to-text rules both share.
 */
#include <errno.h>
#include <math.h>
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
		snprintf(err, errlen, "无法打开文件:%s", strerror(errno));
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
			 n == 0 ? "文件是空的" : "不是Excel文件(内容既不是.xlsx也不是.xls)");
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

void book_column_name(size_t col, char buf[8])
{
	char tmp[8];
	size_t n = 0;

	col++; /* bijective base 26: A..Z, AA.. */
	while (col > 0 && n < 7) {
		col--;
		tmp[n++] = (char)('A' + col % 26);
		col /= 26;
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

void book_add_field(struct strbuf *line, bool first, const char *s, size_t len)
{
	bool quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');

	if (!first)
		strbuf_addch(line, ',');
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == '"' || s[i] == ',' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		strbuf_add(line, s, len);
		return;
	}
	strbuf_addch(line, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"') {
			strbuf_add(line, "\"\"", 2);
		} else if (s[i] == '\r' || s[i] == '\n') {
			/* a line break typed in a cell: one space, the row stays one line */
			if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
				i++;
			strbuf_addch(line, ' ');
		} else {
			strbuf_addch(line, s[i]);
		}
	}
	strbuf_addch(line, '"');
}

void book_format_number(double v, char buf[32])
{
	if (v == 0) /* also -0 */
		v = 0;
	/* "5.11621197806059E+17", as Excel shows an ID it took for a number */
	snprintf(buf, 32, "%.15G", v);
}

/* Days since 0001-01-01 (proleptic Gregorian) to y, m, d; Howard Hinnant's civil_from_days. */
static void civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468 - 719162; /* from days since 0001-01-01 to days since 1970-01-01, then shift */
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

bool book_format_date(double serial, bool date1904, char buf[32])
{
	/* days from 0001-01-01 to 1899-12-30 and to 1904-01-01 */
	static const long epoch1900 = 693593, epoch1904 = 695055;
	double ms;
	long days, secs;
	int y, m, d;

	if (!isfinite(serial) || serial < 0 || serial > 2958465.99999) /* 9999-12-31 */
		return false;
	/* to the millisecond first: 45382.60416666666 is 14:30:00, not 14:29:59 */
	ms = round(serial * 86400000.0);
	days = (long)(ms / 86400000.0);
	secs = (long)((ms - (double)days * 86400000.0) / 1000.0);
	if (days == 0 && !date1904) {
		snprintf(buf, 32, "%02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
		return true;
	}
	if (date1904) {
		days += epoch1904;
	} else if (days == 60) {
		snprintf(buf, 32, "1900-02-29"); /* Excel's day that never was: a reject */
		return true;
	} else {
		/* serials below 60 count from 1899-12-31, Lotus's off-by-one */
		days += epoch1900 + (days < 60 ? 1 : 0);
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, 32, "%04d-%02d-%02d", y, m, d);
	return true;
}
