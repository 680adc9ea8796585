/*
 * xlsx_priv.h - internals shared by the XLSX renderer's files (xlsx*.c).
 *
 * The files call downwards only:
 *
 *	xlsx.c		the driver: the workbook, its formats and properties,
 *			the order of the sheets
 *	xlsx_table.c	a table (a sheet of its own, or on the 数据质量 sheet)
 *	xlsx_chart.c	a chart with its data
 *	xlsx_meta.c	the fixed sheets: 指标 and 数据质量
 *	xlsx_sheet.c	sheets and cells: names, widths, print setup, writers
 *	xlsx_text.c	strings safe for the file: UTF-8, sheet names, widths
 *
 * Nothing here is for other parts of civreport: include xlsx.h instead.
 *
 * Every string that reaches libxlsxwriter is cleaned by xlsx_clean_utf8()
 * first (xlsx_str() for those the library keeps): 1.1.4 writes bytes as they
 * come, and text that is not valid UTF-8 (or holds XML-forbidden control
 * characters) makes a file Excel refuses.
 */
#ifndef CIVREPORT_XLSX_PRIV_H
#define CIVREPORT_XLSX_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xlsxwriter.h>

#include "doc/doc.h"

/* Excel's limits that 1.1.4 checks too late or not at all. */
#define XLSX_SHEETNAME_MAX 31    /* UTF-16 units, counted as Excel does */
#define XLSX_CELL_BYTES    32767 /* LXW_STR_MAX: longer strings are refused */

/* Number formats. */
#define XLSX_NUMFMT_YUAN   "#,##0.00"
#define XLSX_NUMFMT_COUNT  "#,##0"
#define XLSX_NUMFMT_SCALED "0.00"

/* Names of the two fixed sheets; chart and table sheets never take them. */
#define XLSX_SHEET_FIGURES "指标"
#define XLSX_SHEET_QUALITY "数据质量"

struct xlsx_formats {
	lxw_format *caption;    /* sheet caption in row 1 */
	lxw_format *section;    /* a heading inside a sheet */
	lxw_format *header;     /* column headings */
	lxw_format *text;       /* body cells */
	lxw_format *yuan;       /* money in yuan, #,##0.00 */
	lxw_format *count;      /* integers, #,##0 */
	lxw_format *scaled;     /* chart values in 万元 etc., 0.00 */
	lxw_format *total_text; /* the totals row */
	lxw_format *total_yuan;
	lxw_format *total_count;
	/* "—" in the place of a number (doc_cell.no_value): text, right-aligned as numbers */
	lxw_format *no_value;
	lxw_format *total_no_value;
	/* table columns shown in 万元 etc.: #,##0 / #,##0.0 / #,##0.00, plain and totals */
	lxw_format *digits[3][2];
	/* shares and growth: 0% / 0.0% / 0.00%, plain and totals */
	lxw_format *percent[3][2];
};

struct xlsx_ctx {
	lxw_workbook *wb;
	const struct doc *doc;
	struct xlsx_formats f;
	lxw_error lerr;  /* first error from libxlsxwriter, or LXW_NO_ERROR */
	char where[256]; /* what was being written when lerr happened */
	char **pool;     /* cleaned strings, kept until the workbook is closed */
	size_t npool, cappool;
	char **names; /* sheet names taken so far */
	size_t nnames, capnames;
};

/* One worksheet being written, with the display width of each column. */
struct xlsx_sheet {
	struct xlsx_ctx *x;
	lxw_worksheet *ws;
	const char *name; /* the final (sanitised, unique) name */
	double *width;    /* widest text per column, in display columns */
	size_t nwidth;
	bool print;           /* xlsx_print_setup() was called */
	bool whole_page;      /* fit on one page (a chart with its data) */
	lxw_row_t repeat_row; /* the header row printed on every page */
};

/* xlsx_text.c: strings. */

/*
 * A copy of s that is valid UTF-8 and allowed in XML: invalid bytes and
 * control characters other than tab, CR and LF become U+FFFD.  At most
 * maxbytes bytes, cut on a character boundary.  NULL gives "".
 */
char *xlsx_clean_utf8(const char *s, size_t maxbytes);

/* Display width of valid UTF-8: 2 per CJK or full-width character, else 1. */
size_t xlsx_display_width(const char *s);

/* Display width of raw / 10^decimals written with thousands separators. */
size_t xlsx_number_width(int64_t raw, int decimals);

/*
 * A worksheet name for want: cleaned, with []:*?/\ replaced by their
 * full-width forms, no leading or trailing apostrophe, at most 31 characters
 * cut on a character boundary, and different (ASCII case-insensitively, as
 * Excel compares) from the ntaken names in taken: "(2)", "(3)" ... is
 * appended when needed.  The caller frees the result.
 */
char *xlsx_sheet_name(const char *want, const char *const *taken, size_t ntaken);

/* xlsx_sheet.c: the workbook's strings and errors, sheets and cells. */

/* Reserve a sheet name (the fixed sheets' names are taken first). */
void xlsx_name_take(struct xlsx_ctx *x, char *name);

/* s cleaned by xlsx_clean_utf8(), alive until the workbook is closed. */
const char *xlsx_str(struct xlsx_ctx *x, const char *s);

/* Record e (when it is the first error) with a note of what failed. */
bool xlsx_check(struct xlsx_ctx *x, lxw_error e, const char *what);

/*
 * Add a worksheet named after want (see xlsx_sheet_name); fixed: want is one
 * of the reserved names above.  False on error.
 */
bool xlsx_sheet_open(struct xlsx_ctx *x, struct xlsx_sheet *s, const char *want, bool fixed);

/* Set the column widths from what was written, and free the sheet's state. */
void xlsx_sheet_close(struct xlsx_sheet *s);

/* Text that counts for the column width, and text that does not (captions). */
void xlsx_put_text(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, const char *text,
		   lxw_format *fmt);
void xlsx_put_title(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, const char *text,
		    lxw_format *fmt);

/* A raw value: fen as yuan (raw / 100) or a count, with its format. */
void xlsx_put_value(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, int64_t raw, enum unit unit,
		    lxw_format *fmt);

/* A plain double (chart values in a display unit). */
void xlsx_put_number(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, double v, size_t width,
		     lxw_format *fmt);

/*
 * =SUM(<col><first>:<col><last>) in (row, col), stored with value so that
 * viewers which do not recalculate show the right number.
 */
void xlsx_put_sum(struct xlsx_sheet *s, lxw_row_t row, lxw_col_t col, lxw_row_t first,
		  lxw_row_t last, double value, size_t width, lxw_format *fmt);

/* Note a display width for col without writing anything. */
void xlsx_note_width(struct xlsx_sheet *s, lxw_col_t col, size_t width);

/* No header row to repeat on printed pages (a sheet of several tables). */
#define XLSX_NO_REPEAT ((lxw_row_t)-1)

/*
 * Print setup of a data sheet, applied when the sheet is closed: A4, one page
 * wide, header_row repeated on every page (unless XLSX_NO_REPEAT), landscape
 * when the columns are too wide for portrait.  whole_page: landscape on a
 * single page.
 */
void xlsx_print_setup(struct xlsx_sheet *s, lxw_row_t header_row, bool whole_page);

/* The sheets. */
void xlsx_table_sheet(struct xlsx_ctx *x, const struct doc_table *t);
/*
 * A table at row of s: its caption, headings, body, totals (SUM formulas)
 * and note; returns the first row after it.
 */
lxw_row_t xlsx_put_table(struct xlsx_sheet *s, lxw_row_t row, const struct doc_table *t);
/*
 * An autofilter over the headings and body of the table written at row
 * (not its totals row: sorting never moves it).  One per sheet.
 */
void xlsx_table_filter(struct xlsx_sheet *s, lxw_row_t row, const struct doc_table *t);
void xlsx_chart_sheet(struct xlsx_ctx *x, const struct doc_chart *c);
void xlsx_figures_sheet(struct xlsx_ctx *x);
void xlsx_quality_sheet(struct xlsx_ctx *x);

#endif
