/*
 * value.h - typed values from the text of one CSV field.
 *
 * Pure functions over (s, len), no allocation: they run for every field of
 * millions of rows.  Each returns VALUE_OK or a reason code; value_reason()
 * gives the reason in words an officer can act on.
 */
#ifndef CIVREPORT_VALUE_H
#define CIVREPORT_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum value_error {
	VALUE_OK = 0,
	VALUE_EMPTY,
	VALUE_ID_LENGTH,      /* not 18 (or 15) characters */
	VALUE_ID_CHARS,       /* a character other than digits and a final X */
	VALUE_ID_BIRTH,       /* the birth date inside is not a real date */
	VALUE_ID_CHECK,       /* ISO 7064 MOD 11-2 check character wrong */
	VALUE_MONEY_SYNTAX,   /* not a number */
	VALUE_MONEY_DECIMALS, /* more than two decimals */
	VALUE_NEGATIVE,       /* negative where the column allows none */
	VALUE_RANGE,          /* too large to be real */
	VALUE_MONTH_SYNTAX,
	VALUE_MONTH_RANGE, /* month 13 */
	VALUE_DATE_SYNTAX,
	VALUE_DATE_RANGE, /* no such day: 2021-02-30, 2021-01-32 */
	VALUE_INT_SYNTAX,
	VALUE_ENUM,            /* not one of the allowed values */
	VALUE_ENCODING,        /* bytes that are not valid UTF-8 / GB18030 */
	VALUE_DUPLICATE,       /* same person, category and month seen before */
	VALUE_COLUMNS,         /* more fields than the header */
	VALUE_QUOTE,           /* a stray quote inside an unquoted field */
	VALUE_MONTH_AMBIGUOUS, /* "2021.1": Excel's number for the text 2021.10, or January? */
	VALUE_FUTURE,          /* a date or month after the run's date (value_today) */
	VALUE_CEILING,         /* above the column's per-row maximum (schema.ini max) */
	VALUE_UNCLOSED_QUOTE,  /* a quoted field runs past its line and the record breaks */
	VALUE_NUL,             /* a NUL byte: a damaged file, not text */
	VALUE_JOINED,          /* a second header (or BOM) inside the file: two exports joined */
	VALUE_YEAR_RANGE,      /* year 0201, 2201 */
	VALUE_ID_AS_NUMBER,    /* an ID Excel kept as a number: 5.11621E+17, ...059000 */
	VALUE_FORMULA,         /* a workbook's formula cell saved without its result */
	VALUE_CELL_ERROR,      /* a workbook's cell holding an error value: #DIV/0!, #N/A */
	VALUE_ERROR_COUNT
};

/* A short Chinese sentence for the reason, e.g. "身份证号校验位错误". */
const char *value_reason(enum value_error e);

/*
 * Resident ID (GB 11643-1999): 18 characters, 17 digits and a check
 * character (0-9 or X, x accepted), with a real birth date between 1900 and
 * 2099.  15-digit legacy numbers are converted: "19" is inserted before the
 * birth year and the check character computed.  *id receives the 17 leading
 * digits as an integer (the check character follows from them).
 */
enum value_error parse_id(const char *s, size_t len, uint64_t *id);

/*
 * The check character of a resident ID (GB 11643-1999, ISO 7064 MOD 11-2):
 * '0'-'9' or 'X' for the 17 leading digits in digits (ASCII '0'-'9', not
 * NUL-terminated; only those 17 bytes are read).  The one implementation:
 * parse_id and id_format use it, and so does the sample generator, so that
 * the IDs it writes are exactly those the validator accepts.
 *
 *	char id[19] = "11010519491231002";
 *	id[17] = id_check_char(id);	// 'X'
 */
char id_check_char(const char digits[17]);

/* Write the 18-character ID for a parsed id into buf (19 bytes). */
void id_format(uint64_t id, char buf[19]);

/*
 * Money to fen: "1234", "1234.5", "1,234.50", "¥1,234.50", "￥1234",
 * "1234.50元", full-width digits, surrounding spaces; a leading '-' only when
 * allow_negative.  At most two decimals.
 */
enum value_error parse_money(const char *s, size_t len, bool allow_negative, int64_t *fen);

/* Integer counts: "1234", "1,234", full-width digits. */
enum value_error parse_integer(const char *s, size_t len, bool allow_negative, int64_t *out);

/*
 * Month as yyyymm: "2021-01", "2021-1", "2021/01", "2021/1", "202101",
 * "2021.01", "2021.10", "2021年1月"; a full date ("2021-01-15") is accepted
 * as its month.  "2021.1" is VALUE_MONTH_AMBIGUOUS: Excel turns the text
 * 2021.10 into the number 2021.1, so a one-digit month after a dot may be
 * October as well as January.  Only the dot is ambiguous: Excel never makes
 * "2021-1" or "2021/1" out of another month.
 */
enum value_error parse_month(const char *s, size_t len, int32_t *yyyymm);

/* Date as yyyymmdd: "2021-03-15", "2021/3/15", "20210315", "2021年3月15日", "2021.3.15". */
enum value_error parse_date(const char *s, size_t len, int32_t *yyyymmdd);

/*
 * The run's date as yyyymmdd: dates and months after it are rejected
 * (VALUE_FUTURE).  The local calendar date, unless the environment sets
 * CIVREPORT_TODAY=YYYY-MM-DD: for tests and for re-running a report as of
 * a day (documented as test/ops only).  A malformed CIVREPORT_TODAY is
 * ignored with the clock's date used instead; *from_env says which it was.
 * Call once per run (ingest does) and pass the value on: the clock may
 * pass midnight during a run.
 */
int32_t value_today(bool *from_env);

#endif
