/*
 * period.h - a report period: a run of whole months, as officers name them.
 *
 * The forms a user writes (--period, `period =` in the config), and what
 * they mean:
 *
 *	2021			the year: 2021-01..2021-12
 *	2021H1, 2021H2		a half year (上半年, 下半年)
 *	2021Q1 ... 2021Q4	a quarter
 *	2021-09			one month
 *	2021-01..2021-09	a month range, both ends included ("1—9月"); it
 *				may cross a year end, at most 120 months
 *
 * Letters match in any case (2021q3).  A range that is exactly a year, a
 * half or a quarter is that period: its canonical text is the short form
 * (2021-07..2021-09 is 2021Q3), so that output folders and the {period}
 * of a template never depend on how the user spelled it.
 *
 * Comparisons: period_prev_year() is the same months one year earlier
 * (同比); period_last() the period of the same length just before (环比:
 * Q3 -> Q2, 2021-09 -> 2021-08, H2 -> H1, 2021 -> 2020,
 * 2021-01..2021-09 -> 2020-04..2020-12).
 *
 * The Chinese name of a period (2021年第三季度) is text a reader sees, so
 * it is made where numbers become text: format_period_name (engine/format.h).
 */
#ifndef CIVREPORT_PERIOD_H
#define CIVREPORT_PERIOD_H

#include <stdbool.h>
#include <stddef.h>

/* Years a period may touch: those of the data civreport reads. */
#define PERIOD_YEAR_MIN 1900
#define PERIOD_YEAR_MAX 2099
/* The longest month range: ten years. */
#define PERIOD_MAX_MONTHS 120

struct period {
	int first; /* months since year 0: year * 12 + (month - 1) */
	int last;  /* inclusive, >= first */
};

/*
 * Parse s (whole, surrounding spaces allowed) into *p.  Returns 0, or -1
 * with a Chinese sentence in err saying what is wrong and which forms there are.
 */
int period_parse(const char *s, struct period *p, char *err, size_t errlen);

/* The year's period (what --year Y means). */
struct period period_year(int year);

/* Canonical text: "2021", "2021H1", "2021Q3", "2021-09", "2021-01..2021-09". */
void period_canonical(const struct period *p, char *buf, size_t len);

/* Months in the period. */
int period_months(const struct period *p);

/* Whether the month (year, month 1-12) lies in the period. */
bool period_has_month(const struct period *p, int year, int month);

/* The calendar year of the period's end ($year of a template). */
int period_end_year(const struct period *p);

/* Year and month (1-12) of the first and last month. */
void period_first_month(const struct period *p, int *year, int *month);
void period_last_month(const struct period *p, int *year, int *month);

/* The same months one year earlier (同比). */
struct period period_prev_year(const struct period *p);

/* The period of the same length just before (环比). */
struct period period_last(const struct period *p);

/* What kind of period it is, for its name. */
enum period_kind {
	PERIOD_YEAR,
	PERIOD_HALF,
	PERIOD_QUARTER,
	PERIOD_MONTH,
	PERIOD_RANGE,
};

enum period_kind period_kind(const struct period *p);

#endif
