/*
 * agg.c - evaluating every registered figure during the single scan; see
 * agg.h.
 *
 * This is the hot path of a run: agg_row runs for every accepted row and
 * every figure of its dataset, so it allocates nothing per row except when a
 * new group or distinct value first appears.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "util/checked.h"
#include "util/dict.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/*
 * What a group has been offered: a row (SEEN_ROW), and a row holding the
 * measured column (SEEN_VALUE).  Rows without values have no figure: the
 * 受益人次 of 捐赠收入 is "—", not a sum of nothing shown as 0.
 */
#define SEEN_ROW   1u
#define SEEN_VALUE 2u

/* A growable bitmap over dense indexes. */
struct bitset {
	uint64_t *words;
	size_t nwords;
};

/* Make b hold at least nwords words (zeroed). */
static void bitset_reserve(struct bitset *b, size_t nwords)
{
	size_t n;

	if (nwords <= b->nwords)
		return;
	n = b->nwords ? b->nwords : 64;
	while (n < nwords)
		n *= 2;
	b->words = xrealloc(b->words, n * sizeof(uint64_t));
	memset(b->words + b->nwords, 0, (n - b->nwords) * sizeof(uint64_t));
	b->nwords = n;
}

static void bitset_set(struct bitset *b, uint32_t i)
{
	bitset_reserve(b, (size_t)(i >> 6) + 1);
	b->words[i >> 6] |= 1ull << (i & 63);
}

static int64_t bitset_count(const struct bitset *b)
{
	int64_t n = 0;

	for (size_t i = 0; i < b->nwords; i++)
		n += __builtin_popcountll(b->words[i]);
	return n;
}

static void bitset_or(struct bitset *dst, const struct bitset *src)
{
	bitset_reserve(dst, src->nwords);
	for (size_t w = 0; w < src->nwords; w++)
		dst->words[w] |= src->words[w];
}

/* Per (dataset, column) dictionaries shared by the figures that need them. */
struct coldicts {
	struct strdict **text;
	struct u64dict **num;
	size_t ncols;
};

struct figure {
	struct query q;
	size_t domain[2];     /* group keys per by-column, the last being "未填写" */
	size_t ngroups;       /* allocated groups */
	int64_t *sums;        /* rows and sums, per group */
	struct bitset *sets;  /* distinct counts, per group */
	uint8_t *seen;        /* per group: SEEN_ROW, SEEN_VALUE */
	struct bitset all;    /* distinct over all groups (the series' total) */
	struct strdict *keys; /* by a text column: its values */
	uint64_t need;        /* the dataset's shared filters this figure needs */
	uint64_t scope_need;  /* ... of them, those of the report's area (query_restrict) */
	uint64_t scope_rows;  /* rows of its window in its area: none, and it has no value */
	bool own_filters;     /* more than 64 distinct filters: test its own */
	bool overflow;        /* a sum did not fit in int64: the figure is wrong */
	struct agg_value value;
};

struct agg {
	const struct schema *schema;
	struct period period;
	struct period window[3]; /* per enum query_compare: the months counted */
	struct figure **figs;
	size_t nfigs, cap;
	size_t **by_set; /* per dataset: figure ids */
	size_t *nby_set;
	/*
	 * --each: figures restricted to one value of an enum column (区县=岳池县)
	 * are offered only rows of that value, so seven reports cost little
	 * more than one: per dataset, the column (or -1) and per value its ids.
	 */
	int *part_col;
	size_t ***by_part;
	size_t **nby_part;
	struct coldicts *dicts; /* per dataset */
	uint64_t *rows[3];      /* per compare, per dataset: rows offered */
	/*
	 * The current row's dictionary index per column, looked up once however
	 * many figures count that column (a household number is hashed once).
	 */
	uint32_t row_index[64];
	uint64_t row_index_valid;
	/*
	 * Figures share filters (救助类别=城市低保,农村低保 in a dozen of them):
	 * each distinct filter of a dataset is tested once per row.
	 */
	const struct filter **shared[64]; /* per dataset (at most 64 datasets) */
	size_t nshared[64];
};

struct agg *agg_new(const struct schema *schema, const struct period *period)
{
	struct agg *a = xcalloc(1, sizeof(*a));

	a->schema = schema;
	a->period = *period;
	a->window[COMPARE_NONE] = *period;
	a->window[COMPARE_PREV] = period_prev_year(period);
	a->window[COMPARE_LAST] = period_last(period);
	a->by_set = xcalloc(schema->nsets, sizeof(size_t *));
	a->nby_set = xcalloc(schema->nsets, sizeof(size_t));
	a->dicts = xcalloc(schema->nsets, sizeof(struct coldicts));
	for (int k = 0; k < 3; k++)
		a->rows[k] = xcalloc(schema->nsets, sizeof(uint64_t));
	a->part_col = xcalloc(schema->nsets, sizeof(int));
	a->by_part = xcalloc(schema->nsets, sizeof(size_t **));
	a->nby_part = xcalloc(schema->nsets, sizeof(size_t *));
	for (size_t s = 0; s < schema->nsets; s++)
		a->part_col[s] = -1;
	for (size_t s = 0; s < schema->nsets; s++) {
		a->dicts[s].ncols = schema->sets[s].ncols;
		a->dicts[s].text = xcalloc(schema->sets[s].ncols, sizeof(struct strdict *));
		a->dicts[s].num = xcalloc(schema->sets[s].ncols, sizeof(struct u64dict *));
	}
	return a;
}

/*
 * Keys per by-column, the last being "未填写"; 0 for dynamic keys (text, and
 * dates other than the period, which span many years: keyed "YYYY-MM").
 * The period column's keys are the period's months, by their place in it,
 * so that a series lines up with its @prev and @last.
 */
static size_t col_domain(const struct agg *a, const struct dataset *ds, int c)
{
	const struct column *col = &ds->cols[c];

	switch (col->type) {
	case COL_ENUM:
		return col->nvalues + 1;
	case COL_MONTH:
	case COL_DATE:
		return c == ds->period ? (size_t)period_months(&a->period) + 1 : 0;
	default:
		return 0;
	}
}

static bool filter_equal(const struct filter *x, const struct filter *y)
{
	if (x->col != y->col || x->negate != y->negate || x->nvalues != y->nvalues ||
	    x->enum_mask != y->enum_mask)
		return false;
	for (size_t i = 0; i < x->nvalues; i++) {
		if (x->lo[i] != y->lo[i] || x->hi[i] != y->hi[i])
			return false;
		if ((x->texts[i] == NULL) != (y->texts[i] == NULL) ||
		    (x->texts[i] != NULL && strcmp(x->texts[i], y->texts[i]) != 0))
			return false;
	}
	return true;
}

/* The bit of f among its dataset's shared filters, or -1 when all 64 are taken. */
static int share_filter(struct agg *a, size_t s, const struct filter *f)
{
	size_t n = a->nshared[s];

	for (size_t i = 0; i < n; i++)
		if (filter_equal(a->shared[s][i], f))
			return (int)i;
	if (n == 64)
		return -1;
	a->shared[s] = xrealloc(a->shared[s], (n + 1) * sizeof(*a->shared[s]));
	a->shared[s][n] = f;
	a->nshared[s] = n + 1;
	return (int)n;
}

void agg_partition(struct agg *a, const char *column)
{
	for (size_t s = 0; s < a->schema->nsets; s++) {
		const struct dataset *ds = &a->schema->sets[s];
		int c = dataset_column(ds, column);

		if (c < 0 || ds->cols[c].type != COL_ENUM || a->part_col[s] >= 0)
			continue;
		a->part_col[s] = c;
		a->by_part[s] = xcalloc(ds->cols[c].nvalues, sizeof(size_t *));
		a->nby_part[s] = xcalloc(ds->cols[c].nvalues, sizeof(size_t));
	}
}

/* The value of the partition column f is restricted to (one value, not negated), or -1. */
static int part_value(const struct agg *a, const struct query *q)
{
	int c = a->part_col[q->ds_index];

	for (size_t i = 0; c >= 0 && i < q->nfilters; i++) {
		const struct filter *f = &q->filters[i];
		if (f->col == c && !f->negate && f->enum_mask != 0 &&
		    (f->enum_mask & (f->enum_mask - 1)) == 0)
			return __builtin_ctzll(f->enum_mask);
	}
	return -1;
}

static void list_add(size_t **list, size_t *n, size_t id)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(size_t));
	(*list)[(*n)++] = id;
}

size_t agg_add(struct agg *a, struct query *q)
{
	struct figure *f;
	size_t s = q->ds_index;

	f = xcalloc(1, sizeof(*f));
	f->q = *q;
	memset(q, 0, sizeof(*q));
	q->col = -1;
	for (size_t b = 0; b < f->q.nby; b++)
		f->domain[b] = col_domain(a, f->q.ds, f->q.by[b]);
	if (f->q.nby > 0 && f->domain[0] == 0)
		f->keys = strdict_new();
	for (size_t i = 0; i < f->q.nfilters && s < 64; i++) {
		int bit = share_filter(a, s, &f->q.filters[i]);
		if (bit < 0) {
			f->own_filters = true;
		} else {
			f->need |= 1ull << bit;
			if (f->q.filters[i].scope)
				f->scope_need |= 1ull << bit;
		}
	}
	if (s >= 64)
		f->own_filters = true;
	a->figs = xgrow(a->figs, &a->cap, a->nfigs + 1, sizeof(*a->figs));
	a->figs[a->nfigs] = f;
	{
		int v = part_value(a, &f->q);
		if (v >= 0)
			list_add(&a->by_part[s][v], &a->nby_part[s][v], a->nfigs);
		else
			list_add(&a->by_set[s], &a->nby_set[s], a->nfigs);
	}
	return a->nfigs++;
}

/* The ingest window of each compare. */
static const unsigned window_bit[3] = {WINDOW_CUR, WINDOW_PREV, WINDOW_LAST};

unsigned agg_wants(const struct agg *a)
{
	unsigned want = 0;

	for (size_t i = 0; i < a->nfigs; i++)
		want |= window_bit[a->figs[i]->q.compare];
	return want & ~(unsigned)WINDOW_CUR;
}

static bool filter_pass(const struct filter *f, const struct column *col,
			const struct ingest_row *row)
{
	bool match = false;

	if (row->present >> f->col & 1) {
		int64_t v = row->v[f->col];

		switch (col->type) {
		case COL_ENUM:
			match = f->enum_mask >> v & 1;
			break;
		case COL_TEXT: {
			size_t len;
			const char *t = ingest_row_text(row, f->col, &len);
			for (size_t i = 0; i < f->nvalues && !match; i++)
				match =
				    strlen(f->texts[i]) == len && memcmp(f->texts[i], t, len) == 0;
			break;
		}
		default:
			for (size_t i = 0; i < f->nvalues && !match; i++)
				match = v >= f->lo[i] && v <= f->hi[i];
		}
	}
	return f->negate ? !match : match;
}

/* The key of one by-column for a row; the last key of the domain is "未填写". */
static size_t group_key(const struct agg *a, struct figure *f, size_t b,
			const struct ingest_row *row)
{
	int c = f->q.by[b];
	const struct column *col = &f->q.ds->cols[c];

	if (!(row->present >> c & 1))
		return f->domain[b] ? f->domain[b] - 1 : strdict_index(f->keys, "", 0);
	if (f->domain[b] == 0 && (col->type == COL_MONTH || col->type == COL_DATE)) {
		int64_t ym = col->type == COL_MONTH ? row->v[c] : row->v[c] / 100;
		char key[16];
		int n = snprintf(key, sizeof(key), "%04d-%02d", (int)(ym / 100), (int)(ym % 100));
		return strdict_index(f->keys, key, (size_t)n);
	}
	switch (col->type) {
	case COL_ENUM:
		return (size_t)row->v[c];
	case COL_MONTH:
	case COL_DATE: {
		int64_t ym = col->type == COL_MONTH ? row->v[c] : row->v[c] / 100;
		return (size_t)((ym / 100) * 12 + ym % 100 - 1 - a->window[f->q.compare].first);
	}
	default: {
		size_t len;
		const char *t = ingest_row_text(row, c, &len);
		return strdict_index(f->keys, t, len);
	}
	}
}

static void ensure_groups(struct figure *f, size_t g)
{
	size_t n;

	if (g < f->ngroups)
		return;
	n = f->ngroups ? f->ngroups : 16;
	while (n <= g)
		n *= 2;
	f->sums = xrealloc(f->sums, n * sizeof(int64_t));
	memset(f->sums + f->ngroups, 0, (n - f->ngroups) * sizeof(int64_t));
	f->sets = xrealloc(f->sets, n * sizeof(struct bitset));
	memset(f->sets + f->ngroups, 0, (n - f->ngroups) * sizeof(struct bitset));
	f->seen = xrealloc(f->seen, n);
	memset(f->seen + f->ngroups, 0, n - f->ngroups);
	f->ngroups = n;
}

/* The dense index of the measured column's value, for distinct counts. */
static uint32_t distinct_index(struct agg *a, struct figure *f, const struct ingest_row *row)
{
	const struct dataset *ds = f->q.ds;
	struct coldicts *d = &a->dicts[f->q.ds_index];
	int c = f->q.col;

	uint32_t i;

	if (c == ds->person)
		return row->person;
	if (ds->cols[c].type == COL_ENUM)
		return (uint32_t)row->v[c];
	if (a->row_index_valid >> c & 1)
		return a->row_index[c];
	if (ds->cols[c].type == COL_TEXT) {
		size_t len;
		const char *t = ingest_row_text(row, c, &len);
		if (d->text[c] == NULL)
			d->text[c] = strdict_new();
		i = strdict_index(d->text[c], t, len);
	} else {
		if (d->num[c] == NULL)
			d->num[c] = u64dict_new();
		i = u64dict_index(d->num[c], (uint64_t)row->v[c]);
	}
	a->row_index[c] = i;
	a->row_index_valid |= 1ull << c;
	return i;
}

static void offer(struct agg *a, struct figure *f, const struct ingest_row *row, uint64_t passed)
{
	const struct query *q = &f->q;
	size_t g = 0;

	if (!(row->windows & window_bit[q->compare]))
		return;
	if (f->own_filters) {
		bool in_scope = true;
		for (size_t i = 0; i < q->nfilters && in_scope; i++)
			if (q->filters[i].scope)
				in_scope = filter_pass(&q->filters[i],
						       &q->ds->cols[q->filters[i].col], row);
		if (!in_scope)
			return;
		f->scope_rows++;
		for (size_t i = 0; i < q->nfilters; i++)
			if (!filter_pass(&q->filters[i], &q->ds->cols[q->filters[i].col], row))
				return;
	} else {
		if ((passed & f->scope_need) != f->scope_need)
			return;
		f->scope_rows++;
		if ((passed & f->need) != f->need)
			return;
	}
	if (q->nby > 0) {
		g = group_key(a, f, 0, row);
		if (q->nby == 2)
			g = g * f->domain[1] + group_key(a, f, 1, row);
	}
	ensure_groups(f, g);
	f->seen[g] |= SEEN_ROW | (q->col < 0 || (row->present >> q->col & 1) ? SEEN_VALUE : 0);
	switch (q->measure) {
	case MEASURE_ROWS:
		if (!checked_add(&f->sums[g], 1))
			f->overflow = true;
		break;
	case MEASURE_AMOUNT:
	case MEASURE_SUM:
		if ((row->present >> q->col & 1) && !checked_add(&f->sums[g], row->v[q->col]))
			f->overflow = true;
		break;
	case MEASURE_PERSONS:
	case MEASURE_HOUSEHOLDS:
	case MEASURE_DISTINCT:
		if (row->present >> q->col & 1) {
			uint32_t i = distinct_index(a, f, row);
			bitset_set(&f->sets[g], i);
		}
		break;
	}
}

void agg_row(void *ctx, const struct dataset *ds, const struct ingest_row *row)
{
	struct agg *a = ctx;
	size_t s = (size_t)(ds - a->schema->sets);
	const size_t *ids = a->by_set[s];
	uint64_t passed = 0;

	for (int k = 0; k < 3; k++)
		if (row->windows & window_bit[k])
			a->rows[k][s]++;
	a->row_index_valid = 0;
	if (s < 64)
		for (size_t i = 0; i < a->nshared[s]; i++)
			if (filter_pass(a->shared[s][i], &ds->cols[a->shared[s][i]->col], row))
				passed |= 1ull << i;
	for (size_t i = 0, n = a->nby_set[s]; i < n; i++)
		offer(a, a->figs[ids[i]], row, passed);
	if (a->part_col[s] >= 0 && (row->present >> a->part_col[s] & 1)) {
		size_t v = (size_t)row->v[a->part_col[s]];
		ids = a->by_part[s][v];
		for (size_t i = 0, n = a->nby_part[s][v]; i < n; i++)
			offer(a, a->figs[ids[i]], row, passed);
	}
}

static bool is_distinct(const struct query *q)
{
	return q->measure == MEASURE_PERSONS || q->measure == MEASURE_HOUSEHOLDS ||
	       q->measure == MEASURE_DISTINCT;
}

#define UNFILLED "未填写"

/* Part b of a group's key: key k of by-column b. */
static void key_part(struct agg *a, struct figure *f, size_t b, size_t k, struct agg_key *out)
{
	const struct column *col = &f->q.ds->cols[f->q.by[b]];
	const struct period *w = &a->window[f->q.compare];
	int month = w->first + (int)k;
	const char *t;

	memset(out, 0, sizeof(*out));
	if ((f->domain[b] && k == f->domain[b] - 1) ||
	    (f->domain[b] == 0 && strdict_key(f->keys, (uint32_t)k)[0] == '\0')) {
		out->kind = AGG_KEY_UNFILLED;
		out->text = xstrdup(UNFILLED);
	} else if (f->domain[b] == 0) {
		/* text keys as read; other dates' keys are "YYYY-MM" (group_key) */
		t = strdict_key(f->keys, (uint32_t)k);
		out->kind = col->type == COL_MONTH || col->type == COL_DATE ? AGG_KEY_YEARMONTH
									    : AGG_KEY_TEXT;
		out->text = xstrdup(t);
	} else if (col->type == COL_ENUM) {
		out->kind = AGG_KEY_TEXT;
		out->text = xstrdup(col->values[k]);
	} else {
		out->kind = AGG_KEY_MONTH;
		out->pos = (int)k + 1;
		out->year = month / 12;
		out->month = month % 12 + 1;
		out->whole_years = w->first / 12 != w->last / 12;
		out->text = xasprintf("%04d-%02d", out->year, out->month);
	}
	out->len = strlen(out->text);
}

/* Bytewise by part, then by kind (a value "未填写" is not an empty cell). */
static int cmp_group(const void *x, const void *y)
{
	const struct agg_group *gx = x, *gy = y;

	for (size_t p = 0; p < gx->nparts; p++) {
		const struct agg_key *kx = &gx->part[p], *ky = &gy->part[p];
		size_t n = kx->len < ky->len ? kx->len : ky->len;
		int c = memcmp(kx->text, ky->text, n);

		if (c == 0 && kx->len != ky->len)
			c = kx->len < ky->len ? -1 : 1;
		if (c == 0 && kx->kind != ky->kind)
			c = kx->kind < ky->kind ? -1 : 1;
		if (c != 0)
			return c;
	}
	return 0;
}

void agg_key_encode(struct strbuf *sb, const struct agg_key *parts, size_t n)
{
	for (size_t p = 0; p < n; p++) {
		const struct agg_key *k = &parts[p];

		strbuf_addch(sb, (char)('0' + k->kind));
		if (k->kind == AGG_KEY_MONTH) {
			/* by place in the period: below 121, one byte */
			strbuf_addch(sb, (char)k->pos);
		} else if (k->kind != AGG_KEY_UNFILLED) {
			/* the length first: no byte of a value can end a part early */
			strbuf_addf(sb, "%zu:", k->len);
			strbuf_add(sb, k->text, k->len);
		}
	}
}

long agg_group_find(const struct agg_value *v, const struct agg_key *parts, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	uint32_t i;

	if (v->index == NULL)
		return -1;
	agg_key_encode(&sb, parts, n);
	i = strdict_find(v->index, sb.buf, sb.len);
	strbuf_release(&sb);
	return i == STRDICT_NONE ? -1 : (long)i;
}

/* Index the finished groups by key: they are unique, so index g is group g. */
static void index_groups(struct agg_value *v)
{
	struct strbuf sb = STRBUF_INIT;

	v->index = strdict_new();
	for (size_t g = 0; g < v->ngroups; g++) {
		strbuf_reset(&sb);
		agg_key_encode(&sb, v->groups[g].part, v->groups[g].nparts);
		strdict_index(v->index, sb.buf, sb.len);
	}
	strbuf_release(&sb);
}

static void finish_figure(struct agg *a, struct figure *f)
{
	const struct query *q = &f->q;
	struct agg_value *v = &f->value;
	size_t n0, n1 = q->nby == 2 ? f->domain[1] : 1;
	unsigned seen;

	v->unit = q->unit;
	/* a comparison has a base only when its period has rows in the figure's area */
	v->present = q->compare == COMPARE_NONE || f->scope_rows > 0;
	if (q->nby == 0) {
		ensure_groups(f, 0);
		v->value = is_distinct(q) ? bitset_count(&f->sets[0]) : f->sums[0];
		v->empty = f->seen[0] == SEEN_ROW;
		return;
	}
	n0 = f->domain[0] ? f->domain[0] : strdict_count(f->keys);
	ensure_groups(f, n0 * n1);
	v->groups = xcalloc(n0 * n1, sizeof(struct agg_group));
	seen = 0;
	for (size_t k0 = 0; k0 < n0; k0++)
		for (size_t k1 = 0; k1 < n1; k1++) {
			size_t g = k0 * n1 + k1;
			int64_t value = is_distinct(q) ? bitset_count(&f->sets[g]) : f->sums[g];
			bool unfilled = (f->domain[0] && k0 == f->domain[0] - 1) ||
					(q->nby == 2 && k1 == f->domain[1] - 1);
			struct agg_group *out = &v->groups[v->ngroups];

			/* "未填写" appears only when some row lacks the column */
			if (unfilled && value == 0 && f->sums[g] == 0 && f->sets[g].nwords == 0)
				continue;
			out->nparts = q->nby;
			key_part(a, f, 0, k0, &out->part[0]);
			if (q->nby == 2)
				key_part(a, f, 1, k1, &out->part[1]);
			out->value = value;
			out->empty = f->seen[g] == SEEN_ROW;
			seen |= f->seen[g];
			v->ngroups++;
			if (is_distinct(q))
				bitset_or(&f->all, &f->sets[g]);
			else if (!checked_add(&v->value, value))
				f->overflow = true;
		}
	v->empty = seen == SEEN_ROW;
	if (is_distinct(q))
		v->value = bitset_count(&f->all);
	if (f->domain[0] == 0)
		qsort(v->groups, v->ngroups, sizeof(*v->groups), cmp_group);
	index_groups(v);
}

void agg_finish(struct agg *a)
{
	for (size_t i = 0; i < a->nfigs; i++)
		finish_figure(a, a->figs[i]);
}

const char *agg_overflow(const struct agg *a)
{
	for (size_t i = 0; i < a->nfigs; i++)
		if (a->figs[i]->overflow)
			return a->figs[i]->q.text;
	return NULL;
}

uint64_t agg_rows(const struct agg *a, size_t ds_index, enum query_compare compare)
{
	return a->rows[compare][ds_index];
}

size_t agg_count(const struct agg *a)
{
	return a->nfigs;
}

const struct query *agg_query(const struct agg *a, size_t id)
{
	return &a->figs[id]->q;
}

const struct agg_value *agg_value(const struct agg *a, size_t id)
{
	return &a->figs[id]->value;
}

void agg_free(struct agg *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->nfigs; i++) {
		struct figure *f = a->figs[i];
		for (size_t g = 0; g < f->ngroups; g++)
			free(f->sets[g].words);
		for (size_t g = 0; g < f->value.ngroups; g++)
			for (size_t p = 0; p < f->value.groups[g].nparts; p++)
				free(f->value.groups[g].part[p].text);
		free(f->value.groups);
		strdict_free(f->value.index);
		free(f->all.words);
		free(f->sets);
		free(f->seen);
		free(f->sums);
		strdict_free(f->keys);
		query_release(&f->q);
		free(f);
	}
	free(a->figs);
	for (size_t s = 0; s < a->schema->nsets; s++) {
		for (size_t c = 0; c < a->dicts[s].ncols; c++) {
			strdict_free(a->dicts[s].text[c]);
			u64dict_free(a->dicts[s].num[c]);
		}
		free(a->dicts[s].text);
		free(a->dicts[s].num);
		free(a->by_set[s]);
		if (a->part_col[s] >= 0) {
			for (size_t v = 0; v < a->schema->sets[s].cols[a->part_col[s]].nvalues; v++)
				free(a->by_part[s][v]);
			free(a->by_part[s]);
			free(a->nby_part[s]);
		}
	}
	free(a->part_col);
	free(a->by_part);
	free(a->nby_part);
	for (size_t s = 0; s < 64; s++)
		free(a->shared[s]);
	free(a->dicts);
	free(a->by_set);
	free(a->nby_set);
	for (int k = 0; k < 3; k++)
		free(a->rows[k]);
	free(a);
}
