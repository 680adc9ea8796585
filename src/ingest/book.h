/*
 * book.h - the sheets of a spreadsheet file (.xlsx/.xlsm with libzip and
 * expat, .xls with libfreexl) as CSV text, so that a sheet is validated by
 * exactly the same code as a CSV export (ingest_parse.c).
 *
 * A sheet is read as UTF-8 CSV lines, one line per spreadsheet row, LF
 * ended: line n is row n, rows missing from the file are empty lines, so a
 * reject's line is the row an officer sees in Excel.  Field i is column i
 * (A is 0); trailing empty cells are left out.  A field holding '"', ','
 * or a leading/trailing space is quoted, '"' doubled.  A line break inside
 * a cell (an address typed with Alt+Enter) becomes one space: a row is
 * always one line.
 *
 * Cells become the text Excel shows for them in General format, so that the
 * CSV rules apply unchanged:
 *   - text (shared, inline, a formula's text result): as is, _xHHHH_
 *     escapes decoded;
 *   - a number: its double printed with 15 significant digits ("%.15G",
 *     Excel's precision), so 350.1 stored as 350.10000000000002 reads
 *     350.1 and an ID stored as a number reads 5.11621197806059E+17;
 *   - a number in a date format: "YYYY-MM-DD" (the day, whatever the time
 *     of day; 1900 or 1904 system), a time alone (< 1) "HH:MM:SS";
 *   - a boolean: TRUE or FALSE;
 *   - a formula: its cached value as above; without one, the field
 *     BOOK_MARK "F"; an error value (#DIV/0!, #N/A): BOOK_MARK "E"
 *     followed by it.  The parser turns those into rejects with their own
 *     reasons (only in a workbook's rows).
 *
 * Memory is bounded: an .xlsx sheet is streamed (its shared strings are
 * held, one copy); an .xls is parsed whole by libfreexl at select (at most
 * 65,536 rows × 256 columns).
 */
#ifndef CIVREPORT_BOOK_H
#define CIVREPORT_BOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* U+E000 (a private-use character): starts a field that stands for a cell with no value. */
#define BOOK_MARK "\xee\x80\x80"

struct book;

struct book_sheet {
	char *name;  /* as the workbook names it (UTF-8) */
	bool hidden; /* state="hidden" or "veryHidden" */
};

/* Whether path names a spreadsheet civreport reads (.xlsx .xlsm .xls, any case). */
bool book_path(const char *path);

/*
 * Open the spreadsheet at path and read its list of sheets (in workbook
 * order).  Which reader is used follows the file's first bytes (a zip or
 * an OLE2 compound file), not its name: an .xls that is really an .xlsx is
 * read.  NULL with a Chinese message in err ("不是Excel文件", "文件已损坏",
 * "工作簿有密码保护"...) when it cannot be read.
 */
struct book *book_open(const char *path, char *err, size_t errlen);

/* "xlsx" or "xls": which reader. */
const char *book_kind(const struct book *wb);

size_t book_nsheets(const struct book *wb);
const struct book_sheet *book_sheet(const struct book *wb, size_t i);

/* Start reading sheet i from its first row.  0, or -1 with the reason in err. */
int book_select(struct book *wb, size_t i, char *err, size_t errlen);

/*
 * Append the next rows of the selected sheet to out, whole lines only,
 * until out holds at least want bytes or the sheet ends.  Returns 1 when
 * more rows may follow, 0 at the end of the sheet, -1 on an error (a
 * damaged file, a row or column past Excel's limits, rows out of order)
 * with the reason in err, naming the row where it can.
 */
int book_read(struct book *wb, struct strbuf *out, size_t want, char *err, size_t errlen);

void book_close(struct book *wb);

/* The column letters of 0-based column col ("A", "Z", "AA", "XFD") into buf (8 bytes). */
void book_column_name(size_t col, char buf[8]);

#endif
