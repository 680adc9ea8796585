/*
 * template_layout.c - charts and tables of a template laid out from the
 * finished aggregates: categories and series aligned by group key, rows
 * sorted, totals computed, every number formatted.
 *
 * Totals follow what a total means: a sum column totals to the sum of its
 * cells (and the XLSX writes it as a SUM formula), a distinct count (人数,
 * 户数) totals to the distinct count over all rows, which is not the sum of
 * the rows when a person appears under two districts.
 *
 * Never: invent data (a group missing from a series is 0, a figure without
 * data is "—"), or touch floating point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_impl.h"
#include "util/checked.h"
#include "util/xalloc.h"

#define UNFILLED "未填写"

/* An ordered set of names (group keys, series names); months match by month. */
struct names {
	char **v;
	size_t n, cap;
};

static size_t names_find(const struct names *nm, const char *s, size_t len)
{
	for (size_t i = 0; i < nm->n; i++)
		if (tpl_key_eq(nm->v[i], strlen(nm->v[i]), s, len))
			return i;
	return (size_t)-1;
}

static size_t names_add(struct names *nm, const char *s, size_t len)
{
	size_t i = names_find(nm, s, len);

	if (i != (size_t)-1)
		return i;
	nm->v = xgrow(nm->v, &nm->cap, nm->n + 1, sizeof(char *));
	nm->v[nm->n] = xstrndup(s, len);
	return nm->n++;
}

static void names_release(struct names *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

/* "2021-03" (a month or date group) reads "3月" in a report. */
char *tpl_key_label(const char *key)
{
	bool month = strlen(key) == 7 && key[4] == '-';

	for (int i = 0; month && i < 7; i++)
		month = i == 4 || (key[i] >= '0' && key[i] <= '9');
	if (!month)
		return xstrdup(key);
	return xasprintf("%d月", (key[5] - '0') * 10 + (key[6] - '0'));
}

static bool is_distinct(enum measure m)
{
	return m == MEASURE_PERSONS || m == MEASURE_HOUSEHOLDS || m == MEASURE_DISTINCT;
}

/* Whether row x goes before row y: by value, ties keep their order. */
static bool before(const int64_t *vals, size_t x, size_t y, enum tpl_sort sort)
{
	if (vals[x] != vals[y])
		return sort == SORT_ASC ? vals[x] < vals[y] : vals[x] > vals[y];
	return x < y;
}

/*
 * A permutation of n rows by vals, stable.  Insertion sort: tables and
 * charts have tens of rows, and no comparator needs global state.
 */
static size_t *order(const int64_t *vals, size_t n, enum tpl_sort sort)
{
	size_t *perm = xcalloc(n ? n : 1, sizeof(size_t));

	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		while (sort != SORT_NONE && j > 0 && before(vals, i, perm[j - 1], sort)) {
			perm[j] = perm[j - 1];
			j--;
		}
		perm[j] = i;
	}
	return perm;
}

/* ---- charts ---- */

/* Series "by A, B" split into one series per value of B. */
struct chart_grid {
	struct names cats;
	struct names series;
	int64_t *vals; /* series * cats */
};

static const char *split_key(const char *key, size_t *catlen)
{
	const char *slash = strchr(key, '/');

	*catlen = slash ? (size_t)(slash - key) : strlen(key);
	return slash ? slash + 1 : NULL;
}

static char *series_name(const struct template *t, const struct tpl_chart *c, size_t i,
			 const char *sub)
{
	const struct tpl_series *s = &c->series[i];
	const char *name = s->name ? s->name : c->nseries == 1 ? c->title : t->figs[s->fig].expr;

	if (sub == NULL)
		return xstrdup(name);
	if (c->nseries == 1 && s->name == NULL)
		return xstrdup(sub);
	return xasprintf("%s-%s", name, sub);
}

/* Two passes: names first (so every series has every category), then values. */
static void chart_collect(const struct template *t, const struct agg *agg,
			  const struct tpl_chart *c, struct chart_grid *g, bool fill)
{
	for (size_t i = 0; i < c->nseries; i++) {
		const struct agg_value *v = tpl_expr_value(t, agg, t->figs[c->series[i].fig].qa);
		char *only = t->figs[c->series[i].fig].nby == 1 ? series_name(t, c, i, NULL) : NULL;

		if (only != NULL && !fill)
			names_add(&g->series, only, strlen(only));
		for (size_t k = 0; v != NULL && k < v->ngroups; k++) {
			size_t catlen, ci, si;
			const char *sub = split_key(v->groups[k].key, &catlen);
			char *sname = only ? xstrdup(only) : series_name(t, c, i, sub ? sub : "");

			if (!fill) {
				names_add(&g->cats, v->groups[k].key, catlen);
				names_add(&g->series, sname, strlen(sname));
			} else {
				ci = names_find(&g->cats, v->groups[k].key, catlen);
				si = names_find(&g->series, sname, strlen(sname));
				g->vals[si * g->cats.n + ci] = checked_sum(
				    g->vals[si * g->cats.n + ci], v->groups[k].value, "图表数值");
			}
			free(sname);
		}
		free(only);
	}
}

static bool all_zero(const int64_t *v, size_t n, size_t stride)
{
	for (size_t i = 0; i < n; i++)
		if (v[i * stride] != 0)
			return false;
	return true;
}

static size_t name_len_before(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0 ? n - m : (size_t)-1;
}

static void chart_label(const struct tpl_chart *c, int64_t v, char *buf, size_t len)
{
	int64_t base = c->unit == UNIT_FEN ? 100 : 1, scale;
	int digits;

	if (c->has_format) {
		tpl_render(buf, len, &c->fmt, true, v, c->unit, &scale, &digits);
	} else if (c->scale > 1) {
		format_scaled(buf, len, v, base * c->scale, c->scale == 10000 ? 1 : 2);
	} else {
		struct format_spec th = {FMT_THOUSANDS, 0};

		format_value(buf, len, &th, v, c->unit);
	}
}

/* Keep category ci / series si: "未填写" only when it holds something. */
static bool keep_cat(const struct chart_grid *g, size_t ci)
{
	return strcmp(g->cats.v[ci], UNFILLED) != 0 ||
	       !all_zero(g->vals + ci, g->series.n, g->cats.n);
}

static bool keep_series(const struct chart_grid *g, size_t si)
{
	return name_len_before(g->series.v[si], UNFILLED) == (size_t)-1 ||
	       !all_zero(g->vals + si * g->cats.n, g->cats.n, 1);
}

static void chart_series_out(const struct tpl_chart *c, const struct chart_grid *g,
			     struct doc_chart *d, const size_t *cats)
{
	d->series = xcalloc(g->series.n ? g->series.n : 1, sizeof(*d->series));
	for (size_t si = 0; si < g->series.n; si++) {
		struct doc_series *s;

		if (!keep_series(g, si))
			continue;
		s = &d->series[d->nseries];
		s->name = xstrdup(g->series.v[si]);
		s->values = xcalloc(d->ncat ? d->ncat : 1, sizeof(int64_t));
		s->labels = xcalloc(d->ncat ? d->ncat : 1, sizeof(char *));
		for (size_t k = 0; k < d->ncat; k++) {
			char buf[128];

			s->values[k] = g->vals[si * g->cats.n + cats[k]];
			chart_label(c, s->values[k], buf, sizeof(buf));
			s->labels[k] = xstrdup(buf);
		}
		s->color = d->nseries < c->ncolors ? c->colors[d->nseries] : 0;
		d->nseries++;
	}
}

static void chart_head(const struct tpl_chart *c, struct doc_chart *d)
{
	d->type = c->type;
	d->title = xstrdup(c->title);
	d->unit = c->unit;
	d->scale = c->scale;
	d->unit_label = xstrdup(c->unit_label);
	d->category_label = xstrdup(c->category);
}

struct doc_chart *tpl_chart_build(const struct template *t, const struct agg *agg,
				  const struct tpl_chart *c)
{
	struct doc_chart *d = xcalloc(1, sizeof(*d));
	struct chart_grid g = {0};
	size_t *perm, *cats, ncat = 0;

	chart_head(c, d);
	chart_collect(t, agg, c, &g, false);
	g.vals = xcalloc(g.series.n * g.cats.n + 1, sizeof(int64_t));
	chart_collect(t, agg, c, &g, true);
	perm = order(g.vals, g.cats.n, c->sort); /* by the first series */
	cats = xcalloc(g.cats.n + 1, sizeof(size_t));
	for (size_t k = 0; k < g.cats.n; k++)
		if (keep_cat(&g, perm[k]))
			cats[ncat++] = perm[k];
	d->ncat = ncat;
	d->categories = xcalloc(ncat + 1, sizeof(char *));
	for (size_t k = 0; k < ncat; k++)
		d->categories[k] = tpl_key_label(g.cats.v[cats[k]]);
	chart_series_out(c, &g, d, cats);
	free(perm);
	free(cats);
	free(g.vals);
	names_release(&g.cats);
	names_release(&g.series);
	return d;
}

/* ---- tables ---- */

static struct doc_table *table_new(const struct tpl_table *tb, size_t nrows)
{
	struct doc_table *d = xcalloc(1, sizeof(*d));

	d->title = tb->title ? xstrdup(tb->title) : NULL;
	d->note = tb->note ? xstrdup(tb->note) : NULL;
	d->ncols = tb->ncols;
	d->nrows = nrows;
	d->header = xcalloc(tb->ncols, sizeof(char *));
	d->cells = xcalloc(nrows * tb->ncols + 1, sizeof(*d->cells));
	d->summable = xcalloc(tb->ncols, sizeof(bool));
	d->has_total = tb->total != NULL;
	for (size_t c = 0; tb->header != NULL && c < tb->ncols; c++)
		d->header[c] = xstrdup(tb->header[c]);
	return d;
}

static void text_cell(struct doc_cell *cell, const char *text)
{
	cell->text = xstrdup(text);
	cell->scale = 1;
}

static void fig_cell(const struct template *t, const struct agg *agg, size_t fig, const char *key,
		     struct doc_cell *cell)
{
	struct fig_result r;

	tpl_fig_eval(t, agg, &t->figs[fig], key, true, &r);
	tpl_fig_result_cell(&r, cell);
}

/* A sum total: the sum of the cells above, formatted like them. */
static void sum_cell(const struct tpl_fig *f, int64_t sum, struct doc_cell *cell)
{
	char buf[128];

	cell->numeric = true;
	cell->raw = sum;
	cell->unit = f->unit;
	tpl_render(buf, sizeof(buf), &f->fmt, true, sum, f->unit, &cell->scale, &cell->digits);
	cell->text = xstrdup(buf);
}

/* The rows of a grouped table: every group key of any column. */
static void grouped_keys(const struct template *t, const struct agg *agg,
			 const struct tpl_table *tb, struct names *keys)
{
	for (size_t c = 1; c < tb->ncols; c++) {
		const struct agg_value *v = tpl_expr_value(t, agg, t->figs[tb->colfig[c]].qa);

		for (size_t k = 0; v != NULL && k < v->ngroups; k++)
			names_add(keys, v->groups[k].key, strlen(v->groups[k].key));
	}
}

static bool row_empty(const struct doc_cell *row, size_t ncols)
{
	for (size_t c = 1; c < ncols; c++)
		if (row[c].raw != 0)
			return false;
	return true;
}

static void grouped_total(const struct template *t, const struct agg *agg,
			  const struct tpl_table *tb, struct doc_table *d, size_t nbody)
{
	struct doc_cell *tot = d->cells + nbody * d->ncols;

	text_cell(&tot[0], tb->total);
	for (size_t c = 1; c < d->ncols; c++) {
		const struct tpl_fig *f = &t->figs[tb->colfig[c]];
		bool sum = f->kind == FIG_VALUE && !is_distinct(f->measure);
		int64_t s = 0;

		for (size_t r = 0; r < nbody && sum; r++) {
			sum = d->cells[r * d->ncols + c].numeric;
			if (sum)
				s = checked_sum(s, d->cells[r * d->ncols + c].raw, "表格合计行");
		}
		d->summable[c] = sum;
		if (sum)
			sum_cell(f, s, &tot[c]);
		else /* distinct counts, ratios: over all rows, not a sum */
			fig_cell(t, agg, tb->colfig[c], NULL, &tot[c]);
	}
}

static struct doc_table *grouped_build(const struct template *t, const struct agg *agg,
				       const struct tpl_table *tb)
{
	struct names keys = {0};
	struct doc_table *d;
	struct doc_cell *all;
	int64_t *first;
	size_t *perm, n = 0;

	grouped_keys(t, agg, tb, &keys);
	all = xcalloc(keys.n * tb->ncols + 1, sizeof(*all));
	first = xcalloc(keys.n + 1, sizeof(int64_t));
	for (size_t k = 0; k < keys.n; k++) {
		struct doc_cell *row = all + k * tb->ncols;

		for (size_t c = 1; c < tb->ncols; c++)
			fig_cell(t, agg, tb->colfig[c], keys.v[k], &row[c]);
		first[k] = tb->ncols > 1 ? row[1].raw : 0;
	}
	perm = order(first, keys.n, tb->sort);
	d = table_new(tb, keys.n + (tb->total != NULL));
	for (size_t i = 0; i < keys.n; i++) {
		struct doc_cell *row = all + perm[i] * tb->ncols;

		if (strcmp(keys.v[perm[i]], UNFILLED) == 0 && row_empty(row, tb->ncols)) {
			for (size_t c = 1; c < tb->ncols; c++)
				free(row[c].text);
			continue;
		}
		memcpy(d->cells + n * tb->ncols, row, tb->ncols * sizeof(*row));
		d->cells[n * tb->ncols].text = tpl_key_label(keys.v[perm[i]]);
		d->cells[n * tb->ncols].scale = 1;
		n++;
	}
	d->nrows = n + (tb->total != NULL);
	if (tb->total != NULL)
		grouped_total(t, agg, tb, d, n);
	free(all);
	free(first);
	free(perm);
	names_release(&keys);
	return d;
}

static void listed_cell(const struct template *t, const struct agg *agg, const struct tpl_cell *in,
			struct doc_cell *out)
{
	switch (in->kind) {
	case CELL_FIG:
		fig_cell(t, agg, in->fig, NULL, out);
		break;
	case CELL_EMPTY:
		text_cell(out, "—");
		break;
	default:
		text_cell(out, in->text ? in->text : "");
	}
}

/* A listed table's total of column c: the sum when every cell is a sum. */
static void listed_sum(const struct template *t, const struct tpl_table *tb, struct doc_table *d,
		       size_t c)
{
	const struct tpl_fig *f = NULL;
	struct doc_cell *tot = &d->cells[tb->nrows * tb->ncols + c];
	bool ok = true;
	int64_t s = 0;

	for (size_t r = 0; r < tb->nrows && ok; r++) {
		const struct tpl_cell *in = &tb->cells[r * tb->ncols + c];
		const struct doc_cell *out = &d->cells[r * tb->ncols + c];

		if (in->kind == CELL_EMPTY)
			continue;
		ok = in->kind == CELL_FIG && t->figs[in->fig].kind == FIG_VALUE && out->numeric &&
		     (f == NULL || t->figs[in->fig].unit == f->unit);
		f = ok && f == NULL ? &t->figs[in->fig] : f;
		if (ok)
			s = checked_sum(s, out->raw, "表格合计行");
	}
	d->summable[c] = ok && f != NULL;
	if (d->summable[c])
		sum_cell(f, s, tot);
	else
		text_cell(tot, "");
}

static struct doc_table *listed_build(const struct template *t, const struct agg *agg,
				      const struct tpl_table *tb)
{
	struct doc_table *d = table_new(tb, tb->nrows + (tb->total != NULL));
	struct doc_cell *tot = d->cells + tb->nrows * tb->ncols;

	for (size_t i = 0; i < tb->nrows * tb->ncols; i++)
		listed_cell(t, agg, &tb->cells[i], &d->cells[i]);
	if (tb->total == NULL)
		return d;
	text_cell(&tot[0], tb->total);
	for (size_t c = 1; c < tb->ncols; c++) {
		if (tb->totals != NULL)
			listed_cell(t, agg, &tb->totals[c], &tot[c]);
		else
			listed_sum(t, tb, d, c);
	}
	return d;
}

/* A GFM pipe table: a cell of one placeholder is a number, else text. */
static bool single_figure(const struct tpl_text *tx, size_t *fig)
{
	size_t nfig = 0;

	for (size_t i = 0; i < tx->nspans; i++) {
		const struct tpl_span *s = &tx->spans[i];

		if (s->kind == SPAN_FIGURE) {
			*fig = s->fig;
			nfig++;
		} else if (s->kind == SPAN_TEXT && strspn(s->text, " \t") != strlen(s->text)) {
			return false;
		}
	}
	return nfig == 1;
}

static struct doc_table *grid_build(const struct template *t, const struct agg *agg,
				    const struct tpl_table *tb, struct tpl_record *rec)
{
	struct doc_table *d = table_new(tb, tb->nrows);
	size_t fig;

	for (size_t c = 0; c < tb->ncols; c++)
		d->header[c] = tpl_text_plain(t, agg, &tb->hcells[c].rich, rec);
	for (size_t i = 0; i < tb->nrows * tb->ncols; i++) {
		const struct tpl_text *tx = &tb->cells[i].rich;

		if (single_figure(tx, &fig) && t->figs[fig].kind != FIG_YEAR) {
			struct fig_result r;

			tpl_fig_eval(t, agg, &t->figs[fig], NULL, false, &r);
			tpl_fig_result_cell(&r, &d->cells[i]);
			tpl_doc_figure(t, rec, &t->figs[fig], &r);
		} else {
			d->cells[i].text = tpl_text_plain(t, agg, tx, rec);
			d->cells[i].scale = 1;
		}
	}
	return d;
}

struct doc_table *tpl_table_build(const struct template *t, const struct agg *agg,
				  const struct tpl_table *tb, struct tpl_record *rec)
{
	switch (tb->kind) {
	case TABLE_GROUPED:
		return grouped_build(t, agg, tb);
	case TABLE_LISTED:
		return listed_build(t, agg, tb);
	case TABLE_GRID:
		break;
	}
	return grid_build(t, agg, tb, rec);
}
