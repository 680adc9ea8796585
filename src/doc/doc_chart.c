/*
 * doc_chart.c - every number a chart shows, as text, from its values; see
 * doc_chart_finish() in doc.h.
 *
 * A renderer draws what is here and measures it; it never writes a number
 * itself.  What depends on the room a renderer has (how many ticks fit on
 * the value axis) is prepared for every case it may meet: one axis per
 * number of intervals, DOC_AXIS_MIN to DOC_AXIS_MAX.
 *
 * Numbers of our own are written like the template's labels (as many
 * decimals, thousands separated or not), so that a stack total looks like
 * the segments under it and the ticks like the values.  Doubles only place
 * ticks; every label of a value comes from exact integer arithmetic.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "engine/format.h"
#include "util/xalloc.h"

/* How the chart's own numbers are written, and the raw units per display unit. */
struct style {
	int64_t divisor;
	int digits;
	bool group;
};

/* What a chart shows where a value has no meaning (doc_series.no_value). */
#define NO_VALUE "—"

/* A value without meaning counts as nothing: in a stack, a share, the range. */
static int64_t raw_value(const struct doc_chart *c, size_t s, size_t i)
{
	const struct doc_series *se = &c->series[s];

	return se->values && !doc_series_no_value(se, i) ? se->values[i] : 0;
}

/* The style of the first labels the template wrote. */
static struct style label_style(const struct doc_chart *c)
{
	struct style st;
	bool seen = false;

	/* a scale of 0 (unset) or one too large to be meant reads as 1 */
	st.divisor = (c->unit == UNIT_FEN ? 100 : 1) *
		     (c->scale > 0 && c->scale <= INT64_MAX / 100 ? c->scale : 1);
	st.digits = st.divisor > 1 ? 1 : 0;
	st.group = true;
	for (size_t s = 0; s < c->nseries; s++) {
		for (size_t i = 0; c->series[s].labels && i < c->ncat; i++) {
			const char *l = c->series[s].labels[i], *dot;
			size_t nd = 0;
			int n = 0;

			if (l == NULL || l[0] == '\0' || doc_series_no_value(&c->series[s], i))
				continue;
			if (!seen) {
				dot = strchr(l, '.');
				while (dot && isdigit((unsigned char)dot[1 + n]))
					n++;
				st.digits = n > 3 ? 3 : n;
				seen = true;
			}
			if (strchr(l, ',')) {
				st.group = true;
				return st;
			}
			l += l[0] == '-';
			while (isdigit((unsigned char)l[nd]))
				nd++;
			if (nd >= 4)
				st.group = false;
		}
	}
	return st;
}

static char *number(const struct style *st, int64_t value)
{
	char buf[64];

	if (format_decimal(buf, sizeof(buf), value, st->divisor, st->digits, st->group) < 0)
		buf[0] = '\0';
	return xstrdup(buf);
}

/* Labels the template left empty, in the chart's unit; "—" for a value without meaning. */
static void fill_labels(struct doc_chart *c, const struct style *st)
{
	for (size_t s = 0; s < c->nseries; s++) {
		struct doc_series *se = &c->series[s];

		if (se->labels == NULL)
			se->labels = xcalloc(c->ncat + 1, sizeof(char *));
		for (size_t i = 0; i < c->ncat; i++)
			if (se->labels[i] == NULL || se->labels[i][0] == '\0') {
				free(se->labels[i]);
				se->labels[i] = doc_series_no_value(se, i)
						    ? xstrdup(NO_VALUE)
						    : number(st, raw_value(c, s, i));
			}
	}
}

/*
 * Each stack's total; NULL where it overflows (no real data sums past 9.2e18
 * fen); "—" where no segment has a value.
 */
static void fill_totals(struct doc_chart *c, const struct style *st)
{
	c->totals = xcalloc(c->ncat + 1, sizeof(char *));
	for (size_t i = 0; i < c->ncat; i++) {
		int64_t sum = 0;
		bool ok = true, any = false;

		for (size_t s = 0; s < c->nseries && ok; s++) {
			ok = !__builtin_add_overflow(sum, raw_value(c, s, i), &sum);
			any = any || !doc_series_no_value(&c->series[s], i);
		}
		if (ok)
			c->totals[i] = any ? number(st, sum) : xstrdup(NO_VALUE);
	}
}

/* Pie and doughnut: each positive value's share of their sum. */
static void fill_shares(struct doc_chart *c)
{
	int64_t total = 0;
	struct doc_series *se = &c->series[0];

	for (size_t i = 0; i < c->ncat; i++)
		if (raw_value(c, 0, i) > 0 &&
		    __builtin_add_overflow(total, raw_value(c, 0, i), &total))
			return; /* drawn as an empty chart */
	se->shares = xcalloc(c->ncat + 1, sizeof(char *));
	for (size_t i = 0; i < c->ncat; i++) {
		char buf[32] = "";

		if (raw_value(c, 0, i) > 0 && total > 0)
			format_share(buf, sizeof(buf), raw_value(c, 0, i), total);
		se->shares[i] = xstrdup(buf);
	}
}

/* Plotted range: per value, or per stack (positives up, negatives down). */
static void value_range(struct doc_chart *c, const struct style *st)
{
	c->vmin = c->vmax = 0;
	for (size_t i = 0; i < c->ncat; i++) {
		double pos = 0, neg = 0;

		for (size_t s = 0; s < c->nseries; s++) {
			double v = (double)raw_value(c, s, i) / (double)st->divisor;

			if (c->type == CHART_STACKED) {
				if (v >= 0)
					pos += v;
				else
					neg += v;
			} else {
				pos = fmax(pos, v);
				neg = fmin(neg, v);
			}
		}
		c->vmax = fmax(c->vmax, pos);
		c->vmin = fmin(c->vmin, neg);
	}
}

/*
 * Ticks at 1, 2 or 5 times a power of ten, covering vmin..vmax and zero,
 * about target intervals.  Counts in plain units never get fractional ticks.
 */
static void axis_ticks(struct doc_axis *a, double vmin, double vmax, int target, bool integral,
		       bool group)
{
	double raw, mag, f;
	int digits;

	if (vmin > 0)
		vmin = 0;
	if (vmax < 0)
		vmax = 0;
	if (!(vmax - vmin > 0))
		vmax = vmin + 1;
	raw = (vmax - vmin) / target;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	a->step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
	if (integral && a->step < 1)
		a->step = 1;
	a->lo = floor(vmin / a->step + 1e-9) * a->step;
	a->hi = ceil(vmax / a->step - 1e-9) * a->step;
	if (a->hi <= a->lo)
		a->hi = a->lo + a->step;
	a->nticks = (int)llround((a->hi - a->lo) / a->step);
	if (a->nticks < 1 || a->nticks > 1000)
		a->nticks = 1; /* only for values no report holds */
	digits = a->step >= 1 ? 0 : (int)ceil(-log10(a->step) - 1e-9);
	if (digits > 6)
		digits = 6;
	a->labels = xcalloc((size_t)a->nticks + 1, sizeof(char *));
	for (int i = 0; i <= a->nticks; i++) {
		double v = a->lo + i * a->step;
		char buf[400];

		if (fabs(v) < a->step * 1e-6)
			v = 0; /* never "-0" */
		if (format_tick(buf, sizeof(buf), v, digits, group) < 0)
			buf[0] = '\0';
		a->labels[i] = xstrdup(buf);
	}
}

/*
 * The unit of the values as stored: 元 for money (fen are shown as yuan),
 * for counts the chart's unit without its 万 or 亿 when it is scaled
 * ("万人" -> "人").
 */
static const char *stored_unit(const struct doc_chart *c)
{
	const char *label = c->unit_label ? c->unit_label : "";

	if (c->unit == UNIT_FEN)
		return "元";
	if (c->scale > 1 && (strncmp(label, "万", 3) == 0 || strncmp(label, "亿", 3) == 0))
		return label + 3;
	return label;
}

/* "低保金（元）": a name with its unit in full-width brackets (GB/T 15834). */
static char *heading(const char *name, const char *unit)
{
	if (unit == NULL || *unit == '\0')
		return xstrdup(name ? name : ""); /* no unit known: the template refuses it */
	return xasprintf("%s（%s）", name ? name : "", unit);
}

/* One column per series and unit: the stored values, then the chart's unit's. */
static void fill_heads(struct doc_chart *c)
{
	for (size_t s = 0; s < c->nseries; s++) {
		struct doc_series *se = &c->series[s];

		se->head = heading(se->name, stored_unit(c));
		if (c->scale > 1)
			se->head_scaled = heading(se->name, c->unit_label);
	}
}

void doc_chart_finish(struct doc_chart *c)
{
	struct style st;

	if (c == NULL)
		return;
	doc_chart_forget(c);
	if (c->series == NULL || c->nseries == 0)
		return; /* drawn as an empty chart */
	fill_heads(c);
	st = label_style(c);
	c->digits = st.digits;
	c->grouped = st.group;
	fill_labels(c, &st);
	if (c->type == CHART_STACKED)
		fill_totals(c, &st);
	if (c->type == CHART_PIE || c->type == CHART_DOUGHNUT) {
		fill_shares(c);
		return;
	}
	value_range(c, &st);
	for (int n = DOC_AXIS_MIN; n <= DOC_AXIS_MAX; n++)
		axis_ticks(&c->axes[n - DOC_AXIS_MIN], c->vmin, c->vmax, n, st.divisor == 1,
			   st.group);
}
