/*
 * book_impl.h - private to the workbook readers: what workbook.c
 * dispatches to.  One reader per file format (book_xlsx.c,
 * book_xls.c) fills in the operations and the sheet list.
 */
#ifndef CIVREPORT_BOOK_IMPL_H
#define CIVREPORT_BOOK_IMPL_H

#include "book.h"

struct book_ops {
	const char *kind; /* "xlsx", "xls" */
	int (*select)(struct book *wb, size_t i, char *err, size_t errlen);
	int (*read)(struct book *wb, struct strbuf *out, size_t want, char *err, size_t errlen);
	void (*close)(struct book *wb); /* frees the reader's state, not wb */
};

struct book {
	const struct book_ops *ops;
	struct book_sheet *sheets;
	size_t nsheets;
	bool selected;
	void *state; /* the reader's */
};

/* Each returns 0 with wb->ops, sheets and state set, or -1 with err. */
int book_open_xlsx(struct book *wb, const char *path, char *err, size_t errlen);
int book_open_xls(struct book *wb, const char *path, char *err, size_t errlen);

/*
 * 0, or -1 with err when the .xls at path has a shared string libfreexl
 * 1.0.6 would read past its buffer or misread (book_xls_sst.c).
 */
int book_xls_sst_check(const char *path, char *err, size_t errlen);

/*
 * Shared by the readers, so that a cell reads the same from either
 * (book_cell.c):
 *
 * Append one field to a CSV line: a ',' before it unless it is the line's
 * first, quoted when it holds '"', ',' or a leading or trailing space, and
 * every CR, LF or CRLF inside made one space.
 */
void book_add_field(struct strbuf *line, bool first, const char *s, size_t len);

/* A number as Excel's General format shows it: "%.15G", no "-0". */
void book_format_number(double v, char buf[32]);

/*
 * A date serial (days since the epoch of the 1900 or the 1904 system, with
 * Excel's 1900-02-29) as "YYYY-MM-DD", or a time of day (< 1) as
 * "HH:MM:SS".  false when the serial is out of range (negative, after
 * 9999-12-31): then the caller writes it as a number.
 */
bool book_format_date(double serial, bool date1904, char buf[32]);

#endif
