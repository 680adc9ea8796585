/*
 * format.h - Chinese number formatting for reports: 26.7万, 3.5亿, 5717,
 * 1,234,567, 54.23 (元), 增长4.2%.
 *
 * Everything is exact integer arithmetic: no floating point anywhere, rounding
 * half away from zero.  Money arrives in fen (1 元 = 100 分) and is always
 * printed in yuan; counts arrive as plain integers.
 *
 * A formatter is written in templates as "name" or "name:digits":
 *
 *	万:N		value / 10^4 with N decimals and the suffix 万   (26.7万)
 *	亿:N		value / 10^8 with N decimals and the suffix 亿   (3.5亿)
 *	auto:N		亿 when |value| >= 1亿, 万 when >= 1万, else plain
 *	int		the integer (money: whole yuan, rounded)          (5717)
 *	thousands	the integer with thousands separators            (1,234,567)
 *	元:N		money in yuan with N decimals (default 2)         (1234.50)
 *	pct:N		a ratio num/den as a percentage                   (4.2%)
 *	growth:N	change of a figure against its base, in percent   (增长4.2%)
 *	change:N	change of a figure against its base, in its unit  (增加1.2万)
 *	余:N		rounded down to a multiple of 10^N, suffix 余      (900余, 2000余)
 *
 * The unit suffixes 万/亿 never include 元 or 人: the template text carries
 * those ("发放低保金{{ ... | 亿:1 }}元").  Trailing zeros are kept: 万:2 of
 * 542300 yuan is "54.23万", 万:0 of 98590000 yuan is "9859万".
 *
 * Details a template author may meet:
 *
 *  - Digits default to 1 for 万, 亿, auto, pct and growth, to 2 for 余;
 *    元 to 2; int and thousands take none ("int:2" is an error).  The separator
 *    may be the full-width colon ("万：1"); spaces, also full-width, are
 *    ignored; ASCII names match in any case.
 *  - A value that rounds to zero prints without a sign: -400 at 万:1 is
 *    "0.0万", never "-0.0万".
 *  - auto picks its unit on the raw magnitude (in yuan for money), not on
 *    the rounded result: 9999.96 yuan at auto:1 is "10000.0".  Below 1万 a
 *    count is a plain integer and money is yuan with N decimals ("3456.8").
 *  - 余 adds "余" only when something was cut off: 936 at 余:2 is "900余",
 *    900 is "900".  A figure smaller than 10^N is given in whole units
 *    instead of cutting to 0: 36 at 余:2 is "36".  Money is cut in whole
 *    yuan, and any fen left over count as cut off (900.50 yuan: "900余").
 *  - 元 of a count prints the count with ".00".
 */
#ifndef CIVREPORT_FORMAT_H
#define CIVREPORT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/period.h"

#include "util/unit.h"

enum format_kind {
	FMT_WAN,
	FMT_YI,
	FMT_AUTO,
	FMT_INT,
	FMT_THOUSANDS,
	FMT_YUAN,
	FMT_PCT,
	FMT_GROWTH,
	FMT_ABOUT, /* 余:N */
	FMT_CHANGE,
};

/* The most decimals a formatter takes ("万:6"). */
#define FORMAT_MAX_DIGITS 6

struct format_spec {
	enum format_kind kind;
	int digits; /* decimals, 0..6; 1 when "万" is written without ":N" */
};

/*
 * Parse a formatter name such as "万:1" or "thousands".  Surrounding spaces
 * are ignored; the ASCII names "wan" and "yi" and "yuan" are accepted too.
 * Returns 0, or -1 with a message in err (in Chinese, listing the valid
 * names) when the text is not a formatter.
 */
int format_parse(struct format_spec *spec, const char *text, char *err, size_t errlen);

/*
 * Format one value.  FMT_PCT and FMT_GROWTH need two values and are refused
 * here (returns -1); use format_percent and format_growth.  Writes a NUL
 * terminated string into buf and returns its length, or -1 when buf is too
 * small (64 bytes is always enough).
 */
int format_value(char *buf, size_t len, const struct format_spec *spec, int64_t value,
		 enum unit unit);

/* num/den as a percentage with digits decimals: "4.2%".  den == 0 gives "—". */
int format_percent(char *buf, size_t len, int64_t num, int64_t den, int digits);

/*
 * Change from prev to cur in words: "增长4.2%", "下降3.0%", or "持平" when
 * the rounded change is zero; prev == 0 gives "—" (no base to compare with).
 * The change is relative to |prev|, so -100 to -50 is "增长50.0%".
 * digits is 0..FORMAT_MAX_DIGITS, else -1 (also for format_percent).
 */
int format_growth(char *buf, size_t len, int64_t cur, int64_t prev, int digits);

/*
 * Change from prev to cur in the figure's unit: "增加1.2万", "减少350",
 * "持平" when the change rounds to nothing; the number as auto:digits
 * prints it (money in yuan), the text around it says 元 or 人.
 */
int format_change(char *buf, size_t len, int64_t cur, int64_t prev, enum unit unit, int digits);

/*
 * Fixed-point helper shared by the formatters and by renderers that need a
 * number in a unit: value/divisor rounded half away from zero to digits
 * decimals, written as plain digits ("3.5", "-0.25").  No suffix.  Any
 * non-zero divisor (a negative one flips the sign); digits is 0..18.
 * Returns -1 for divisor 0, digits out of range or a too small buf.
 */
int format_scaled(char *buf, size_t len, int64_t value, int64_t divisor, int digits);

/*
 * value/divisor rounded half away from zero to digits decimals (0..18),
 * with a comma every three digits of the integer part when group:
 * "5,842.3".  The value labels and axis ticks of charts, exact tables.
 * Returns -1 for divisor 0, digits out of range or a too small buf.
 */
int format_decimal(char *buf, size_t len, int64_t value, int64_t divisor, int digits, bool group);

/*
 * A figure exactly, for machines or for checking: a count as an integer,
 * money in yuan with two decimals; with group, thousands separated
 * ("1,234,567.89").  Never rounded to 万 or 亿.
 */
int format_exact(char *buf, size_t len, int64_t value, enum unit unit, bool group);

/*
 * part of a positive total as a share with one decimal, "12.3%", and
 * "<0.1%" for a positive part too small to show (a pie's sector is never
 * labelled 0.0%).
 */
int format_share(char *buf, size_t len, int64_t part, int64_t total);

/*
 * A tick of a chart's value axis: a position in display units (a multiple
 * of a step such as 0.5 or 2000, never a computed figure), with digits
 * decimals and optionally thousands separators, "12,000" or "0.5".  The
 * only formatter that takes a double: ticks come from an axis scale.
 */
int format_tick(char *buf, size_t len, double value, int digits, bool group);

/*
 * The formatter of a figure written without one, in text: "万:2" for
 * money, "int" for counts.  metrics.json uses it for figures the report's
 * text does not show.
 */
const char *format_default_name(enum unit unit);

/*
 * The Chinese name of a report period, as a title or a sentence says it:
 * 2021年, 2021年上半年, 2021年下半年, 2021年第三季度, 2021年9月, 2021年1—9月,
 * 2020年4月—2021年3月 (ranges with the 一字线 of GB/T 15834 §4.13.3.2).
 */
void format_period_name(const struct period *p, char *buf, size_t len);

#endif
