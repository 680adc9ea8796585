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

#include "doc/doc_clean.h"
#include "template_impl.h"
#include "util/checked.h"
#include "util/dict.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/*
 * An ordered set of group keys (categories, series, table rows), hashed by
 * agg_key_encode: adding or finding a key costs a few comparisons however
 * many keys there are (a table of 20,000 groups was 200 million compares).
 * Each key's index is its place in order of first insertion; sets[i] is
 * the first group (or key part) added under index i.
 */
struct keyset {
	struct strdict *ids;
	struct strbuf sb;
	const struct agg_key **first; /* by index: the key parts first added */
	size_t *nparts;
	size_t n, cap;
};

/* Encode an optional series number and the key parts into ks->sb. */
static void keyset_encode(struct keyset *ks, size_t series, const struct agg_key *parts, size_t n)
{
	strbuf_reset(&ks->sb);
	strbuf_addf(&ks->sb, "%zu|", series);
	agg_key_encode(&ks->sb, parts, n);
}

static size_t keyset_add(struct keyset *ks, size_t series, const struct agg_key *parts, size_t n)
{
	uint32_t i;

	if (ks->ids == NULL)
		ks->ids = strdict_new();
	keyset_encode(ks, series, parts, n);
	i = strdict_index(ks->ids, ks->sb.buf, ks->sb.len);
	if (i == ks->n) {
		size_t cap = ks->cap;

		ks->first = xgrow(ks->first, &ks->cap, ks->n + 1, sizeof(*ks->first));
		if (ks->cap != cap) /* grown together, geometrically */
			ks->nparts = xrealloc(ks->nparts, ks->cap * sizeof(size_t));
		ks->first[i] = parts;
		ks->nparts[i] = n;
		ks->n++;
	}
	return i;
}

static size_t keyset_find(struct keyset *ks, size_t series, const struct agg_key *parts, size_t n)
{
	uint32_t i;

	if (ks->ids == NULL)
		return (size_t)-1;
	keyset_encode(ks, series, parts, n);
	i = strdict_find(ks->ids, ks->sb.buf, ks->sb.len);
	return i == STRDICT_NONE ? (size_t)-1 : i;
}

static void keyset_release(struct keyset *ks)
{
	strdict_free(ks->ids);
	strbuf_release(&ks->sb);
	free(ks->first);
	free(ks->nparts);
}

/*
 * A key as a reader sees it: a month of the period "3月" (of a period over a
 * year end "2020年12月"), another date's "2019年3月".
 */
char *tpl_key_label(const struct agg_key *parts, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	char *label;

	for (size_t p = 0; p < n; p++) {
		const struct agg_key *k = &parts[p];

		/* two parts happen in charts only, split there; joined for a reader only */
		if (p > 0)
			strbuf_addstr(&sb, " / ");
		if (k->kind == AGG_KEY_MONTH && k->whole_years)
			strbuf_addf(&sb, "%d年%d月", k->year, k->month);
		else if (k->kind == AGG_KEY_MONTH)
			strbuf_addf(&sb, "%d月", k->month);
		else if (k->kind == AGG_KEY_YEARMONTH && k->len == 7)
			strbuf_addf(&sb, "%.4s年%d月", k->text,
				    (k->text[5] - '0') * 10 + (k->text[6] - '0'));
		else
			strbuf_add(&sb, k->text, k->len);
	}
	/* the data's text becomes doc text here, and only here */
	label = doc_clean_value(sb.buf ? sb.buf : "", sb.len, "数据中的分组值");
	strbuf_release(&sb);
	return label;
}

static bool key_unfilled(const struct agg_key *parts, size_t n)
{
	for (size_t p = 0; p < n; p++)
		if (parts[p].kind == AGG_KEY_UNFILLED)
			return true;
	return false;
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

/* Merge the sorted runs perm[lo..mid) and perm[mid..hi) through tmp. */
static void merge(const int64_t *vals, size_t *perm, size_t *tmp, size_t lo, size_t mid, size_t hi,
		  enum tpl_sort sort)
{
	size_t i = lo, j = mid, k = lo;

	while (i < mid && j < hi)
		tmp[k++] = before(vals, perm[j], perm[i], sort) ? perm[j++] : perm[i++];
	while (i < mid)
		tmp[k++] = perm[i++];
	while (j < hi)
		tmp[k++] = perm[j++];
	memcpy(perm + lo, tmp + lo, (hi - lo) * sizeof(size_t));
}

/*
 * A permutation of n rows by vals, stable.  A bottom-up merge sort: a table
 * grouped by a text column has as many rows as the data has values (an
 * insertion sort was quadratic there), and no comparator needs global state.
 */
static size_t *order(const int64_t *vals, size_t n, enum tpl_sort sort)
{
	size_t *perm = xcalloc(n ? n : 1, sizeof(size_t)), *tmp;

	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	if (sort == SORT_NONE || n < 2)
		return perm;
	tmp = xcalloc(n, sizeof(size_t));
	for (size_t w = 1; w < n; w *= 2)
		for (size_t lo = 0; lo + w < n; lo += 2 * w)
			merge(vals, perm, tmp, lo, lo + w, lo + 2 * w < n ? lo + 2 * w : n, sort);
	free(tmp);
	return perm;
}

/* ---- charts ---- */

/*
 * Series "by A, B" split into one series per value of B: a category is a
 * value of A, a series is (the template's series, a value of B).
 */
struct chart_grid {
	struct keyset cats;
	struct keyset series;
	size_t *series_of; /* by series index: the template's series */
	size_t cap_series_of;
	int64_t *vals; /* series * cats */
	uint8_t *seen; /* series * cats: GRID_GROUP, GRID_VALUE */
	bool *absent;  /* by the template's series: no data (a comparison period without rows) */
};

/*
 * What came into a cell of the grid: a group (GRID_GROUP), and a group
 * holding a value (GRID_VALUE).  A group whose rows hold none of the
 * column summed has no value: the chart shows "—" there, not a 0 bar.
 */
#define GRID_GROUP 1u
#define GRID_VALUE 2u

static char *series_name(const struct template *t, const struct tpl_chart *c, size_t i,
			 const struct agg_key *sub)
{
	const struct tpl_series *s = &c->series[i];
	const char *name = s->name ? s->name : c->nseries == 1 ? c->title : t->figs[s->fig].expr;
	char *label, *out;

	if (sub == NULL)
		return xstrdup(name);
	label = tpl_key_label(sub, 1);
	if (c->nseries == 1 && s->name == NULL)
		return label;
	out = xasprintf("%s-%s", name, label);
	free(label);
	return out;
}

static void grid_series(struct chart_grid *g, size_t i, const struct agg_key *sub)
{
	size_t n = g->series.n, si = keyset_add(&g->series, i, sub, sub != NULL);

	if (si == n) {
		g->series_of = xgrow(g->series_of, &g->cap_series_of, si + 1, sizeof(size_t));
		g->series_of[si] = i;
	}
}

/* Two passes: keys first (so every series has every category), then values. */
static void chart_collect(const struct template *t, const struct agg *agg,
			  const struct tpl_chart *c, struct chart_grid *g, bool fill)
{
	for (size_t i = 0; i < c->nseries; i++) {
		const struct agg_value *v = tpl_expr_value(t, agg, t->figs[c->series[i].fig].qa);
		bool split = t->figs[c->series[i].fig].nby == 2;

		if (!split && !fill)
			grid_series(g, i, NULL);
		if (fill)
			g->absent[i] = v == NULL || !v->present;
		for (size_t k = 0; v != NULL && k < v->ngroups; k++) {
			const struct agg_group *gr = &v->groups[k];
			const struct agg_key *sub = split ? &gr->part[1] : NULL;

			if (!fill) {
				keyset_add(&g->cats, 0, &gr->part[0], 1);
				grid_series(g, i, sub);
			} else {
				size_t ci = keyset_find(&g->cats, 0, &gr->part[0], 1);
				size_t si = keyset_find(&g->series, i, sub, sub != NULL);

				g->vals[si * g->cats.n + ci] = checked_sum(
				    g->vals[si * g->cats.n + ci], gr->value, "图表数值");
				g->seen[si * g->cats.n + ci] |=
				    GRID_GROUP | (gr->empty ? 0 : GRID_VALUE);
			}
		}
	}
}

static bool all_zero(const int64_t *v, size_t n, size_t stride)
{
	for (size_t i = 0; i < n; i++)
		if (v[i * stride] != 0)
			return false;
	return true;
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
	return !key_unfilled(g->cats.first[ci], 1) ||
	       !all_zero(g->vals + ci, g->series.n, g->cats.n);
}

static bool keep_series(const struct chart_grid *g, size_t si)
{
	return !key_unfilled(g->series.first[si], g->series.nparts[si]) ||
	       !all_zero(g->vals + si * g->cats.n, g->cats.n, 1);
}

/* Has series si no value at category ci: no data, or groups without values only? */
static bool grid_no_value(const struct chart_grid *g, size_t si, size_t ci)
{
	return g->absent[g->series_of[si]] ||
	       g->seen[si * g->cats.n + ci] == GRID_GROUP; /* a missing group is 0 */
}

static void chart_series_out(const struct template *t, const struct tpl_chart *c,
			     const struct chart_grid *g, struct doc_chart *d, const size_t *cats)
{
	d->series = xcalloc(g->series.n ? g->series.n : 1, sizeof(*d->series));
	for (size_t si = 0; si < g->series.n; si++) {
		struct doc_series *s;

		if (!keep_series(g, si))
			continue;
		s = &d->series[d->nseries];
		s->name = series_name(t, c, g->series_of[si],
				      g->series.nparts[si] ? g->series.first[si] : NULL);
		s->values = xcalloc(d->ncat ? d->ncat : 1, sizeof(int64_t));
		s->labels = xcalloc(d->ncat ? d->ncat : 1, sizeof(char *));
		for (size_t k = 0; k < d->ncat; k++) {
			char buf[128];

			if (grid_no_value(g, si, cats[k])) {
				if (s->no_value == NULL)
					s->no_value = xcalloc(d->ncat, sizeof(bool));
				s->no_value[k] = true;
				s->labels[k] = xstrdup("—");
				continue;
			}
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
	g.seen = xcalloc(g.series.n * g.cats.n + 1, 1);
	g.absent = xcalloc(c->nseries + 1, sizeof(bool));
	chart_collect(t, agg, c, &g, true);
	perm = order(g.vals, g.cats.n, c->sort); /* by the first series */
	cats = xcalloc(g.cats.n + 1, sizeof(size_t));
	for (size_t k = 0; k < g.cats.n; k++)
		if (keep_cat(&g, perm[k]))
			cats[ncat++] = perm[k];
	d->ncat = ncat;
	d->categories = xcalloc(ncat + 1, sizeof(char *));
	for (size_t k = 0; k < ncat; k++)
		d->categories[k] = tpl_key_label(g.cats.first[cats[k]], 1);
	chart_series_out(t, c, &g, d, cats);
	free(perm);
	free(cats);
	free(g.vals);
	free(g.seen);
	free(g.absent);
	free(g.series_of);
	keyset_release(&g.cats);
	keyset_release(&g.series);
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

static void fig_cell(const struct template *t, const struct agg *agg, size_t fig,
		     const struct tpl_key *key, struct doc_cell *cell)
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
			 const struct tpl_table *tb, struct keyset *keys)
{
	for (size_t c = 1; c < tb->ncols; c++) {
		const struct agg_value *v = tpl_expr_value(t, agg, t->figs[tb->colfig[c]].qa);

		for (size_t k = 0; v != NULL && k < v->ngroups; k++)
			keyset_add(keys, 0, v->groups[k].part, v->groups[k].nparts);
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
		bool sum = f->kind == FIG_VALUE && !is_distinct(f->measure), any = false;
		int64_t s = 0;

		for (size_t r = 0; r < nbody && sum; r++) {
			const struct doc_cell *cell = &d->cells[r * d->ncols + c];

			if (!cell->numeric) /* "—": no figure there, it adds nothing */
				continue;
			s = checked_sum(s, cell->raw, "表格合计行");
			any = true;
		}
		sum = sum && any;
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
	struct keyset keys = {0};
	struct doc_table *d;
	struct doc_cell *all;
	int64_t *first;
	size_t *perm, n = 0;

	grouped_keys(t, agg, tb, &keys);
	all = xcalloc(keys.n * tb->ncols + 1, sizeof(*all));
	first = xcalloc(keys.n + 1, sizeof(int64_t));
	for (size_t k = 0; k < keys.n; k++) {
		struct doc_cell *row = all + k * tb->ncols;
		struct tpl_key key = {keys.first[k], keys.nparts[k]};

		for (size_t c = 1; c < tb->ncols; c++)
			fig_cell(t, agg, tb->colfig[c], &key, &row[c]);
		first[k] = tb->ncols > 1 ? row[1].raw : 0;
	}
	perm = order(first, keys.n, tb->sort);
	d = table_new(tb, keys.n + (tb->total != NULL));
	for (size_t i = 0; i < keys.n; i++) {
		struct doc_cell *row = all + perm[i] * tb->ncols;

		if (key_unfilled(keys.first[perm[i]], keys.nparts[perm[i]]) &&
		    row_empty(row, tb->ncols)) {
			for (size_t c = 1; c < tb->ncols; c++)
				free(row[c].text);
			continue;
		}
		memcpy(d->cells + n * tb->ncols, row, tb->ncols * sizeof(*row));
		d->cells[n * tb->ncols].text =
		    tpl_key_label(keys.first[perm[i]], keys.nparts[perm[i]]);
		d->cells[n * tb->ncols].scale = 1;
		n++;
	}
	d->nrows = n + (tb->total != NULL);
	if (tb->total != NULL)
		grouped_total(t, agg, tb, d, n);
	free(all);
	free(first);
	free(perm);
	keyset_release(&keys);
	return d;
}

static void listed_cell(const struct template *t, const struct agg *agg, const struct tpl_cell *in,
			struct doc_cell *out)
{
	switch (in->kind) {
	case CELL_FIG:
		fig_cell(t, agg, in->fig, NULL, out);
		break;
	case CELL_EMPTY: /* "-" where the other rows have a figure */
		text_cell(out, "—");
		out->no_value = true;
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

		/* "-" in the template, or "—" of a figure without values: adds nothing */
		if (in->kind == CELL_EMPTY ||
		    (in->kind == CELL_FIG && t->figs[in->fig].kind == FIG_VALUE && !out->numeric))
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

/*
 * The figures recorded from index from on, all in cell c of a row (cells)
 * under header: those the text around them did not name (the label still
 * the expression) are labelled by row and column ("城市低保 救助人数（人）");
 * a unit the data could not tell (loose: one it only guessed) comes from
 * the heading's brackets, else the row's (数量（个）, 养老驿站(个)).
 */
static void grid_figures(struct doc *doc, size_t from, const struct doc_cell *row, size_t c,
			 const char *header, bool loose)
{
	const char *word = tpl_bracket_unit(header);
	bool named = c > 0 && !row[0].numeric && row[0].text[0] != '\0' && header[0] != '\0';

	if (word == NULL && c > 0)
		word = tpl_bracket_unit(row[0].text);
	for (size_t i = from; i < doc->nfigures; i++) {
		struct doc_figure *d = &doc->figures[i];

		if (named && strcmp(d->label, d->expr) == 0) {
			free(d->label);
			d->label = xasprintf("%s %s", row[0].text, header);
		}
		if (word != NULL && (loose || d->unit_label[0] == '\0')) {
			free(d->unit_label);
			d->unit_label = xstrdup(word);
		}
	}
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
		size_t from = rec && rec->doc ? rec->doc->nfigures : 0;
		bool loose = false;

		if (single_figure(tx, &fig) && t->figs[fig].kind != FIG_YEAR) {
			struct fig_result r;

			tpl_fig_eval(t, agg, &t->figs[fig], NULL, false, &r);
			tpl_fig_result_cell(&r, &d->cells[i]);
			tpl_doc_figure(t, rec, &t->figs[fig], &r);
			loose = t->figs[fig].unit_loose;
		} else {
			d->cells[i].text = tpl_text_plain(t, agg, tx, rec);
			d->cells[i].scale = 1;
		}
		if (rec && rec->doc)
			grid_figures(rec->doc, from, &d->cells[i - i % tb->ncols], i % tb->ncols,
				     d->header[i % tb->ncols], loose);
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
