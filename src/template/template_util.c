/*
 * template_util.c - the small helpers every template_*.c file shares:
 * diagnostics located in the file, character columns, "did you mean"
 * hints, trimming, {year}, the source's lines, and bracket-aware search.
 *
 * Never: call another template_*.c file (this is the bottom of the stage).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_impl.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

void tpl_diag(struct tpl_load *ld, int line, int column, const char *fmt, ...)
{
	struct template_diag *d;
	va_list ap;

	ld->diags = xgrow(ld->diags, &ld->capdiags, ld->ndiags + 1, sizeof(*ld->diags));
	d = &ld->diags[ld->ndiags++];
	d->line = line;
	d->column = column;
	va_start(ap, fmt);
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
}

/* The 1-based character column of p in a line starting at start. */
int tpl_column(const char *start, const char *p)
{
	int col = 1;

	for (const char *s = start; s < p; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			col++;
	return col;
}

/* The nearest of names to w, or NULL when nothing is close enough to hint. */
const char *tpl_nearest(const char *w, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, len = utf8_display_width(w);

	for (size_t i = 0; i < n; i++) {
		size_t d;

		if (names[i] == NULL)
			continue;
		d = utf8_distance(w, names[i]);
		if (d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	return bestd <= (len > 4 ? len / 2 : 2) ? best : NULL;
}

/* The length of a space (ASCII or ideographic) at p before e, or 0. */
static size_t space_len(const char *p, const char *e)
{
	if (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		return 1;
	if (e - p >= 3 && memcmp(p, "\u3000", 3) == 0)
		return 3;
	return 0;
}

/* A copy of s[0..len) without surrounding spaces (ASCII or ideographic). */
char *tpl_trim(const char *s, size_t len)
{
	const char *e = s + len;

	while (space_len(s, e) > 0)
		s += space_len(s, e);
	while (e > s) {
		if (space_len(e - 1, e) == 1)
			e--;
		else if (e - s >= 3 && space_len(e - 3, e) == 3)
			e -= 3;
		else
			break;
	}
	return xstrndup(s, (size_t)(e - s));
}

/*
 * s with the template's variables replaced: {year} (the calendar year the
 * period ends in), {period} (2021Q3), {period_name} (2021年第三季度),
 * {area} (广安市, or 岳池县 in its report), {sub} (the areas one level
 * down: 区县, or 乡镇(街道) in a 区县 report), {period_end} (2021年9月30日)
 * and {since} (今年以来 for a year to date, else the period's name).
 * Other braces stay as written.
 */
void tpl_scope_sub(struct tpl_load *ld, const char *sub)
{
	const struct schema *schema = ld->t->schema;

	/* a report of the last level's value has no level below */
	if (sub == NULL && !ld->t->burst && schema->nlevels > 0)
		sub = schema->levels[0];
	ld->t->sub_name = sub != NULL ? xstrdup(sub) : NULL;
}

const char *tpl_area(const struct template *t)
{
	if (t->area != NULL)
		return t->area;
	return t->mv[MK_AREA] != NULL ? t->mv[MK_AREA] : "";
}

char *tpl_replace_vars(const struct template *t, const char *s)
{
	struct strbuf out = STRBUF_INIT;
	const char *at;
	char buf[64];

	while ((at = strchr(s, '{')) != NULL) {
		static const char *const names[] = {"{year}", "{period}", "{period_name}",
						    "{area}", "{sub}",    "{period_end}",
						    "{since}"};
		size_t k = 0;
		int y, m, fy, fm;

		while (k < 7 && strncmp(at, names[k], strlen(names[k])) != 0)
			k++;
		strbuf_add(&out, s, (size_t)(at - s));
		s = at + 1;
		switch (k) {
		case 0:
			strbuf_addf(&out, "%d", t->year);
			break;
		case 1:
			period_canonical(&t->period, buf, sizeof(buf));
			strbuf_addstr(&out, buf);
			break;
		case 2:
			format_period_name(&t->period, buf, sizeof(buf));
			strbuf_addstr(&out, buf);
			break;
		case 3:
			strbuf_addstr(&out, tpl_area(t));
			break;
		case 4:
			strbuf_addstr(&out, t->sub_name ? t->sub_name : "");
			break;
		case 5: {
			/* the period's last day, as an official document dates it */
			static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
			period_last_month(&t->period, &y, &m);
			strbuf_addf(&out, "%d年%d月%d日", y, m,
				    days[m - 1] +
					(m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
			break;
		}
		case 6:
			/* 今年以来 for a year to date (2021, 2021H1, 2021-01..2021-09),
			 * else the period's name (2021年第三季度) */
			period_first_month(&t->period, &fy, &fm);
			period_last_month(&t->period, &y, &m);
			if (fm == 1 && fy == y) {
				strbuf_addstr(&out, "今年以来");
			} else {
				format_period_name(&t->period, buf, sizeof(buf));
				strbuf_addstr(&out, buf);
			}
			break;
		default:
			strbuf_addch(&out, '{');
			continue;
		}
		s = at + strlen(names[k]);
	}
	strbuf_addstr(&out, s);
	return strbuf_detach(&out, NULL);
}

/* Line number line (1-based) of the source, without its end of line. */
const char *tpl_line(const struct tpl_load *ld, int line, size_t *len)
{
	const char *s, *e;

	if (line < 1 || (size_t)line > ld->nlines) {
		*len = 0;
		return "";
	}
	s = ld->src + ld->lines[line - 1];
	e = memchr(s, '\n', ld->srclen - (size_t)(s - ld->src));
	if (e == NULL)
		e = ld->src + ld->srclen;
	if (e > s && e[-1] == '\r')
		e--;
	*len = (size_t)(e - s);
	return s;
}

/* The first of ascii or wide in s outside brackets, or NULL. */
const char *tpl_find_top(const char *s, char ascii, const char *wide)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '[' || *s == '(' || strncmp(s, "［", 3) == 0 || strncmp(s, "（", 3) == 0)
			depth++;
		else if ((*s == ']' || *s == ')' || strncmp(s, "］", 3) == 0 ||
			  strncmp(s, "）", 3) == 0) &&
			 depth > 0)
			depth--;
		else if (depth == 0 && (*s == ascii || strncmp(s, wide, strlen(wide)) == 0))
			return s;
	}
	return NULL;
}

size_t tpl_fence_run(const char *p, const char *e, char *ch)
{
	size_t n = 0;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p < e && (*p == '`' || *p == '~')) {
		*ch = *p;
		while (p + n < e && p[n] == *ch)
			n++;
	}
	return n >= 3 ? n : 0;
}
