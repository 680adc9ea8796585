/*
 * template_figure.c - the value of a template figure after the scan: looked
 * up in the finished aggregates, formatted for text, a table cell or a
 * chart label.
 *
 * Figures are found in the aggregates by the handle template_register got
 * for each expression (template_expr.c), so a template is built against the
 * agg it was registered with.
 *
 * Never: compute a figure here (agg did), or use floating point: format.h
 * does all rounding in integers.
 */
#include <stdio.h>
#include <string.h>

#include "template_impl.h"
#include "util/xalloc.h"

#define NO_VALUE "—"

/*
 * The value of expr (in group key, when it is a series); false if no data:
 * a comparison period without rows, or rows none of which hold the column
 * measured (a sum of nothing is not 0).  A group without rows is 0.
 */
static bool value_of(const struct template *t, const struct agg *agg, size_t expr,
		     const struct tpl_key *key, int64_t *out)
{
	const struct agg_value *v = tpl_expr_value(t, agg, expr);
	long g;

	*out = 0;
	if (v == NULL || !v->present)
		return false;
	if (key == NULL || v->groups == NULL) {
		*out = v->value;
		return !v->empty;
	}
	g = agg_group_find(v, key->parts, key->n);
	if (g < 0)
		return true;
	*out = v->groups[g].value;
	return !v->groups[g].empty;
}

void tpl_render(char *buf, size_t len, const struct tpl_format *f, bool bare, int64_t v,
		enum unit unit, int64_t *scale, int *digits)
{
	int64_t base = unit == UNIT_FEN ? 100 : 1;
	int d = f->spec.digits;

	*scale = 1;
	*digits = 0;
	switch (f->spec.kind) {
	case FMT_WAN:
	case FMT_YI:
		*scale = f->spec.kind == FMT_WAN ? 10000 : 100000000;
		*digits = d;
		if (bare || f->bare) {
			format_scaled(buf, len, v, base * *scale, d);
			return;
		}
		break;
	case FMT_YUAN:
		*digits = 2;
		break;
	case FMT_AUTO:
		*digits = unit == UNIT_FEN ? 2 : 0;
		break;
	default:
		break;
	}
	if (format_value(buf, len, &f->spec, v, unit) < 0)
		snprintf(buf, len, "%s", NO_VALUE);
}

static void eval_value(const struct template *t, const struct agg *agg, const struct tpl_fig *f,
		       const struct tpl_key *key, bool bare, struct fig_result *r)
{
	r->numeric = true;
	r->present = value_of(t, agg, f->qa, key, &r->raw);
	if (r->present)
		tpl_render(r->text, sizeof(r->text), &f->fmt, bare, r->raw, f->unit, &r->scale,
			   &r->digits);
}

/* A / B: a share of a total when B is a single number and A a series. */
static void eval_ratio(const struct template *t, const struct agg *agg, const struct tpl_fig *f,
		       const struct tpl_key *key, bool bare, struct fig_result *r)
{
	int64_t den;
	bool a = value_of(t, agg, f->qa, key, &r->raw);
	bool b = value_of(t, agg, f->qb, f->qb_grouped ? key : NULL, &den);

	r->present = a && b;
	r->no_value = r->present && den == 0; /* "—": nothing to divide by */
	if (r->present && f->average) {
		/* 人均: A / B in the figure's unit, rounded half away from zero */
		__int128 n = (__int128)r->raw * f->ratio_scale;
		__int128 q =
		    den != 0 ? (n + (n < 0 ? -1 : 1) * ((den < 0 ? -den : den) / 2)) / den : 0;
		if (den == 0 || q > INT64_MAX || q < INT64_MIN) {
			r->present = false;
			return;
		}
		r->raw = (int64_t)q;
		tpl_render(r->text, sizeof(r->text), &f->fmt, bare, r->raw, f->unit, &r->scale,
			   &r->digits);
	} else if (r->present) {
		format_percent(r->text, sizeof(r->text), r->raw, den, f->fmt.spec.digits);
		r->num = r->raw;
		r->den = den;
		r->digits = f->fmt.spec.digits;
	}
}

static void eval_growth(const struct template *t, const struct agg *agg, const struct tpl_fig *f,
			const struct tpl_key *key, struct fig_result *r)
{
	int64_t prev;
	bool a = value_of(t, agg, f->qa, key, &r->raw);
	bool b = value_of(t, agg, f->qb, key, &prev);

	r->present = a && b;
	/* growth against 0 has no base: format_growth writes "—" */
	r->no_value = r->present && prev == 0 && f->fmt.spec.kind != FMT_CHANGE;
	if (r->present && f->fmt.spec.kind == FMT_CHANGE) {
		format_change(r->text, sizeof(r->text), r->raw, prev, f->unit, f->fmt.spec.digits);
		/* the workbook gets the difference as a number, in the figure's unit */
		if (__builtin_sub_overflow(r->raw, prev, &r->raw) || r->raw == INT64_MIN)
			r->present = false; /* format_change wrote "—" */
	} else if (r->present) {
		format_growth(r->text, sizeof(r->text), r->raw, prev, f->fmt.spec.digits);
		r->num = r->raw - prev;
		r->den = prev;
		r->digits = f->fmt.spec.digits;
	}
}

void tpl_fig_eval(const struct template *t, const struct agg *agg, const struct tpl_fig *f,
		  const struct tpl_key *key, bool bare, struct fig_result *r)
{
	memset(r, 0, sizeof(*r));
	r->scale = 1;
	r->unit = f->unit;
	switch (f->kind) {
	case FIG_YEAR:
		r->present = true;
		r->raw = f->year;
		r->unit = UNIT_COUNT;
		snprintf(r->text, sizeof(r->text), "%d", f->year);
		return;
	case FIG_VALUE:
		eval_value(t, agg, f, key, bare, r);
		break;
	case FIG_RATIO:
		eval_ratio(t, agg, f, key, bare, r);
		break;
	case FIG_GROWTH:
		eval_growth(t, agg, f, key, r);
		break;
	}
	/* no data (a year without rows): a dash, never a made-up zero */
	if (!r->present || r->text[0] == '\0') {
		snprintf(r->text, sizeof(r->text), "%s", NO_VALUE);
		r->no_value = true;
	}
}

void tpl_fig_result_cell(const struct fig_result *r, struct doc_cell *cell)
{
	cell->text = xstrdup(r->text);
	cell->no_value = r->no_value;
	cell->numeric = r->numeric && r->present;
	cell->raw = cell->numeric ? r->raw : 0;
	cell->unit = r->unit;
	cell->scale = r->scale;
	cell->digits = r->digits;
	if (r->present && r->den != 0) {
		/* a share or a growth: the workbook gets the number, not the text */
		cell->numeric = true;
		cell->raw = r->num;
		cell->den = r->den;
		cell->unit = UNIT_COUNT;
	}
	if (cell->no_value) { /* "—": no number behind it */
		cell->numeric = false;
		cell->raw = 0;
		cell->den = 0;
	}
}
