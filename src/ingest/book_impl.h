/*
 * workbook_impl.h - private to the workbook readers: what workbook.c
 * dispatches to.  One reader per file format (workbook_xlsx.c,
 * workbook_xls.c) fills in the operations and the sheet list.
 */
#ifndef CIVREPORT_WORKBOOK_IMPL_H
#define CIVREPORT_WORKBOOK_IMPL_H

#include "workbook.h"

struct workbook_ops {
	const char *kind; /* "xlsx", "xls" */
	int (*select)(struct workbook *wb, size_t i, char *err, size_t errlen);
	int (*read)(struct workbook *wb, struct strbuf *out, size_t want, char *err,
		    size_t errlen);
	void (*close)(struct workbook *wb); /* frees the reader's state, not wb */
};

struct workbook {
	const struct workbook_ops *ops;
	struct workbook_sheet *sheets;
	size_t nsheets;
	bool selected;
	void *state; /* the reader's */
};

/* Each returns 0 with wb->ops, sheets and state set, or -1 with err. */
int workbook_open_xlsx(struct workbook *wb, const char *path, char *err, size_t errlen);
int workbook_open_xls(struct workbook *wb, const char *path, char *err, size_t errlen);

/*
 * Shared by the readers, so that a cell reads the same from either
 * (workbook.c):
 *
 * Append one field to a CSV line: a ',' before it unless it is the line's
 * first, quoted when it holds '"', ',' or a leading or trailing space, and
 * every CR, LF or CRLF inside made one space.
 */
void workbook_add_field(struct strbuf *line, bool first, const char *s, size_t len);

/* A number as Excel's General format shows it: "%.15G", no "-0". */
void workbook_format_number(double v, char buf[32]);

/*
 * A date serial (days since the epoch of the 1900 or the 1904 system, with
 * Excel's 1900-02-29) as "YYYY-MM-DD", or a time of day (< 1) as
 * "HH:MM:SS".  false when the serial is out of range (negative, after
 * 9999-12-31): then the caller writes it as a number.
 */
bool workbook_format_date(double serial, bool date1904, char buf[32]);

#endif
