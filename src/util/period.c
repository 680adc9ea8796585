/*
 * period.c - report periods as runs of whole months; see period.h.
 *
 * A month is one integer (year * 12 + month - 1), so that comparisons and
 * shifts are plain arithmetic and a range crossing a year end needs no
 * special case.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "period.h"

#define FORMS "可写 2021、2021H1、2021Q3、2021-09 或 2021-01..2021-09"

static int month_index(int year, int month)
{
	return year * 12 + month - 1;
}

struct period period_year(int year)
{
	struct period p = {month_index(year, 1), month_index(year, 12)};

	return p;
}

int period_months(const struct period *p)
{
	return p->last - p->first + 1;
}

void period_first_month(const struct period *p, int *year, int *month)
{
	*year = p->first / 12;
	*month = p->first % 12 + 1;
}

void period_last_month(const struct period *p, int *year, int *month)
{
	*year = p->last / 12;
	*month = p->last % 12 + 1;
}

int period_end_year(const struct period *p)
{
	return p->last / 12;
}

bool period_has_month(const struct period *p, int year, int month)
{
	int m = month_index(year, month);

	return month >= 1 && month <= 12 && m >= p->first && m <= p->last;
}

enum period_kind period_kind(const struct period *p)
{
	int n = period_months(p), start = p->first % 12;

	if (n == 12 && start == 0)
		return PERIOD_YEAR;
	if (n == 6 && start % 6 == 0)
		return PERIOD_HALF;
	if (n == 3 && start % 3 == 0)
		return PERIOD_QUARTER;
	if (n == 1)
		return PERIOD_MONTH;
	return PERIOD_RANGE;
}

struct period period_prev_year(const struct period *p)
{
	struct period q = {p->first - 12, p->last - 12};

	return q;
}

struct period period_last(const struct period *p)
{
	int n = period_months(p);
	struct period q = {p->first - n, p->last - n};

	return q;
}

void period_canonical(const struct period *p, char *buf, size_t len)
{
	int y, m, y1, m1;

	period_first_month(p, &y, &m);
	period_last_month(p, &y1, &m1);
	switch (period_kind(p)) {
	case PERIOD_YEAR:
		snprintf(buf, len, "%04d", y);
		break;
	case PERIOD_HALF:
		snprintf(buf, len, "%04dH%d", y, m == 1 ? 1 : 2);
		break;
	case PERIOD_QUARTER:
		snprintf(buf, len, "%04dQ%d", y, (m - 1) / 3 + 1);
		break;
	case PERIOD_MONTH:
		snprintf(buf, len, "%04d-%02d", y, m);
		break;
	case PERIOD_RANGE:
		snprintf(buf, len, "%04d-%02d..%04d-%02d", y, m, y1, m1);
		break;
	}
}

/* Exactly n digits at *s as a number; advances *s.  -1 when they are not there. */
static int digits(const char **s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*s)++) {
		if (!isdigit((unsigned char)**s))
			return -1;
		v = v * 10 + (**s - '0');
	}
	return v;
}

static bool year_ok(int y)
{
	return y >= PERIOD_YEAR_MIN && y <= PERIOD_YEAR_MAX;
}

/* YYYY-MM at *s (advanced); the month index, or -1. */
static int year_month(const char **s)
{
	int y = digits(s, 4), m;

	if (y < 0 || **s != '-')
		return -1;
	(*s)++;
	m = digits(s, 2);
	if (!year_ok(y) || m < 1 || m > 12)
		return -1;
	return month_index(y, m);
}

/* One period written without "..": 2021, 2021H1, 2021Q3, 2021-09. */
static int single(const char *s, const char *end, struct period *p)
{
	const char *t = s;
	int y;

	if (end - s == 7 && s[4] == '-') {
		int m = year_month(&t);

		if (m < 0 || t != end)
			return -1;
		p->first = p->last = m;
		return 0;
	}
	y = digits(&t, 4);
	if (y < 0 || !year_ok(y))
		return -1;
	if (t == end) {
		*p = period_year(y);
		return 0;
	}
	if (end - t == 2 && (t[0] == 'H' || t[0] == 'h') && (t[1] == '1' || t[1] == '2')) {
		p->first = month_index(y, t[1] == '1' ? 1 : 7);
		p->last = p->first + 5;
		return 0;
	}
	if (end - t == 2 && (t[0] == 'Q' || t[0] == 'q') && t[1] >= '1' && t[1] <= '4') {
		p->first = month_index(y, (t[1] - '1') * 3 + 1);
		p->last = p->first + 2;
		return 0;
	}
	return -1;
}

int period_parse(const char *s, struct period *p, char *err, size_t errlen)
{
	const char *end, *dots;

	while (*s == ' ')
		s++;
	end = s + strlen(s);
	while (end > s && end[-1] == ' ')
		end--;
	dots = strstr(s, "..");
	if (dots != NULL && dots < end) {
		const char *a = s, *b = dots + 2;
		int first = year_month(&a), last;

		last = year_month(&b);
		if (first < 0 || a != dots || last < 0 || b != end) {
			snprintf(err, errlen,
				 "报告期“%.*s”无效：月份范围应写成 2021-01..2021-09（%s）",
				 (int)(end - s), s, FORMS);
			return -1;
		}
		if (last < first) {
			snprintf(err, errlen, "报告期“%.*s”无效：结束月份早于开始月份",
				 (int)(end - s), s);
			return -1;
		}
		if (last - first + 1 > PERIOD_MAX_MONTHS) {
			snprintf(err, errlen, "报告期“%.*s”无效：最长 %d 个月", (int)(end - s), s,
				 PERIOD_MAX_MONTHS);
			return -1;
		}
		p->first = first;
		p->last = last;
		return 0;
	}
	if (single(s, end, p) != 0) {
		snprintf(err, errlen, "报告期“%.*s”无效（%s；年份在 %d 到 %d 之间）",
			 (int)(end - s), s, FORMS, PERIOD_YEAR_MIN, PERIOD_YEAR_MAX);
		return -1;
	}
	return 0;
}
