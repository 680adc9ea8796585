/*
 * book_cell.c - the cell-to-text rules both readers share (see
 * book_impl.h), so that a cell reads the same from .xlsx and .xls.
 * Apart from book.c so that the readers, which call these, and the
 * dispatch, which calls the readers, never call each other.
 */
#include <math.h>
#include <stdio.h>

#include "book_impl.h"

void book_column_name(size_t col, char buf[8])
{
	char tmp[8];
	size_t n = 0;

	/* bijective base 26: A..Z, AA..; no col + 1, which wraps at SIZE_MAX */
	do {
		tmp[n++] = (char)('A' + col % 26);
		col /= 26;
	} while (col-- > 0 && n < 7);
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
