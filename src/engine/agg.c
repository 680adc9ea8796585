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
#include "bitset.h"
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

/* Per (dataset, column) dictionaries shared by the figures that need them. */
struct coldicts {
	struct strdict **text;
	struct u64dict **num;
	size_t ncols;
};

/*
 * Sums are kept in 128 bits while rows come and checked against int64
 * once, at agg_finish: the partial sums of shards may leave int64 on the
 * way to a total that fits (or the other way round), and a figure must not
 * depend on how the rows were split.
 */
__extension__ typedef __int128 wide;

/* What one shard has counted of one figure. */
struct tally {
	size_t ngroups;       /* allocated groups */
	wide *sums;           /* rows and sums, per group */
	struct bitset *sets;  /* distinct counts, per group */
	uint8_t *seen;        /* per group: SEEN_ROW, SEEN_VALUE */
	struct strdict *keys; /* by a text column: its values */
	uint64_t scope_rows;  /* rows of its window in its area: none, and it has no value */
	/*
	 * A count of persons, at agg_finish: each shard's sets counted
	 * (persons never span shards, and shards' indexes overlap), then the
	 * counts added up.  NULL until then, and for other measures.
	 */
	int64_t *persons;    /* per group */
	int64_t all_persons; /* over all groups */
};

/*
 * The running state of one shard: ingest hands each shard its own rows
 * (all rows of a person go to one shard) on its own thread, so nothing
 * here is shared.  agg_finish merges the shards into the first.
 */
struct agg_shard {
	struct agg *agg;
	struct tally *tallies;  /* per figure */
	struct coldicts *dicts; /* per dataset */
	uint64_t *rows[3];      /* per compare, per dataset: rows offered */
	/*
	 * The current row's dictionary index per column, looked up once however
	 * many figures count that column (a household number is hashed once).
	 */
	uint32_t row_index[64];
	uint64_t row_index_valid;
};

struct figure {
	struct query q;
	size_t domain[2];    /* group keys per by-column, the last being "未填写" */
	struct bitset all;   /* distinct over all groups (the series' total) */
	uint64_t need;       /* the dataset's shared filters this figure needs */
	uint64_t scope_need; /* ... of them, those of the report's area (query_restrict) */
	bool own_filters;    /* more than 64 distinct filters: test its own */
	bool overflow;       /* a sum did not fit in int64: the figure is wrong */
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
	struct agg_shard **shards; /* none until the first row or agg_shards() */
	unsigned nshards;
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
	a->part_col = xcalloc(schema->nsets, sizeof(int));
	a->by_part = xcalloc(schema->nsets, sizeof(size_t **));
	a->nby_part = xcalloc(schema->nsets, sizeof(size_t *));
	for (size_t s = 0; s < schema->nsets; s++)
		a->part_col[s] = -1;
	return a;
}

static struct agg_shard *shard_new(struct agg *a)
{
	struct agg_shard *sh = xcalloc(1, sizeof(*sh));
	const struct schema *schema = a->schema;

	sh->agg = a;
	sh->tallies = xcalloc(a->nfigs ? a->nfigs : 1, sizeof(struct tally));
	for (size_t i = 0; i < a->nfigs; i++)
		if (a->figs[i]->q.nby > 0 && a->figs[i]->domain[0] == 0)
			sh->tallies[i].keys = strdict_new();
	sh->dicts = xcalloc(schema->nsets, sizeof(struct coldicts));
	for (size_t s = 0; s < schema->nsets; s++) {
		sh->dicts[s].ncols = schema->sets[s].ncols;
		sh->dicts[s].text = xcalloc(schema->sets[s].ncols, sizeof(struct strdict *));
		sh->dicts[s].num = xcalloc(schema->sets[s].ncols, sizeof(struct u64dict *));
	}
	for (int k = 0; k < 3; k++)
		sh->rows[k] = xcalloc(schema->nsets, sizeof(uint64_t));
	return sh;
}

static void tally_release(struct tally *t)
{
	for (size_t g = 0; g < t->ngroups; g++)
		bitset_clear(&t->sets[g]);
	free(t->persons);
	free(t->sets);
	free(t->seen);
	free(t->sums);
	strdict_free(t->keys);
}

static void shard_free(struct agg *a, struct agg_shard *sh)
{
	if (sh == NULL)
		return;
	for (size_t i = 0; i < a->nfigs; i++)
		tally_release(&sh->tallies[i]);
	free(sh->tallies);
	for (size_t s = 0; s < a->schema->nsets; s++) {
		for (size_t c = 0; c < sh->dicts[s].ncols; c++) {
			strdict_free(sh->dicts[s].text[c]);
			u64dict_free(sh->dicts[s].num[c]);
		}
		free(sh->dicts[s].text);
		free(sh->dicts[s].num);
	}
	free(sh->dicts);
	for (int k = 0; k < 3; k++)
		free(sh->rows[k]);
	free(sh);
}

void agg_shards(struct agg *a, unsigned n)
{
	for (unsigned k = 0; k < a->nshards; k++)
		shard_free(a, a->shards[k]);
	free(a->shards);
	a->nshards = n ? n : 1;
	a->shards = xcalloc(a->nshards, sizeof(*a->shards));
	for (unsigned k = 0; k < a->nshards; k++)
		a->shards[k] = shard_new(a);
}

struct agg_shard *agg_shard(struct agg *a, unsigned k)
{
	if (a->nshards == 0)
		agg_shards(a, 1);
	return k < a->nshards ? a->shards[k] : NULL;
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
	for (unsigned k = 0; k < a->nshards; k++) { /* a figure added after rows came */
		struct agg_shard *sh = a->shards[k];

		sh->tallies = xrealloc(sh->tallies, (a->nfigs + 1) * sizeof(struct tally));
		memset(&sh->tallies[a->nfigs], 0, sizeof(struct tally));
		if (f->q.nby > 0 && f->domain[0] == 0)
			sh->tallies[a->nfigs].keys = strdict_new();
	}
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

uint64_t agg_columns(const struct agg *a, size_t ds_index)
{
	uint64_t cols = 0;

	for (size_t i = 0; i < a->nfigs; i++) {
		const struct query *q = &a->figs[i]->q;

		if (q->ds_index != ds_index)
			continue;
		if (q->col >= 0)
			cols |= 1ull << q->col;
		for (size_t b = 0; b < q->nby; b++)
			cols |= 1ull << q->by[b];
		for (size_t f = 0; f < q->nfilters; f++)
			cols |= 1ull << q->filters[f].col;
	}
	if (ds_index < a->schema->nsets && a->part_col[ds_index] >= 0)
		cols |= 1ull << a->part_col[ds_index];
	return cols;
}

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
static size_t group_key(const struct agg *a, struct figure *f, struct tally *t, size_t b,
			const struct ingest_row *row)
{
	int c = f->q.by[b];
	const struct column *col = &f->q.ds->cols[c];

	if (!(row->present >> c & 1))
		return f->domain[b] ? f->domain[b] - 1 : strdict_index(t->keys, "", 0);
	if (f->domain[b] == 0 && (col->type == COL_MONTH || col->type == COL_DATE)) {
		int64_t ym = col->type == COL_MONTH ? row->v[c] : row->v[c] / 100;
		char key[16];
		int n = snprintf(key, sizeof(key), "%04d-%02d", (int)(ym / 100), (int)(ym % 100));
		return strdict_index(t->keys, key, (size_t)n);
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
		const char *text = ingest_row_text(row, c, &len);
		return strdict_index(t->keys, text, len);
	}
	}
}

static void ensure_groups(struct tally *t, size_t g)
{
	size_t n;

	if (g < t->ngroups)
		return;
	n = t->ngroups ? t->ngroups : 16;
	while (n <= g)
		n *= 2;
	t->sums = xrealloc(t->sums, n * sizeof(wide));
	memset(t->sums + t->ngroups, 0, (n - t->ngroups) * sizeof(wide));
	t->sets = xrealloc(t->sets, n * sizeof(struct bitset));
	memset(t->sets + t->ngroups, 0, (n - t->ngroups) * sizeof(struct bitset));
	t->seen = xrealloc(t->seen, n);
	memset(t->seen + t->ngroups, 0, n - t->ngroups);
	if (t->persons != NULL) {
		t->persons = xrealloc(t->persons, n * sizeof(int64_t));
		memset(t->persons + t->ngroups, 0, (n - t->ngroups) * sizeof(int64_t));
	}
	t->ngroups = n;
}

/* The dense index of the measured column's value, for distinct counts. */
static uint32_t distinct_index(struct agg_shard *a, struct figure *f, const struct ingest_row *row)
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

static void offer(struct agg_shard *sh, size_t id, const struct ingest_row *row, uint64_t passed)
{
	struct figure *f = sh->agg->figs[id];
	struct tally *t = &sh->tallies[id];
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
		t->scope_rows++;
		for (size_t i = 0; i < q->nfilters; i++)
			if (!filter_pass(&q->filters[i], &q->ds->cols[q->filters[i].col], row))
				return;
	} else {
		if ((passed & f->scope_need) != f->scope_need)
			return;
		t->scope_rows++;
		if ((passed & f->need) != f->need)
			return;
	}
	if (q->nby > 0) {
		g = group_key(sh->agg, f, t, 0, row);
		if (q->nby == 2)
			g = g * f->domain[1] + group_key(sh->agg, f, t, 1, row);
	}
	ensure_groups(t, g);
	t->seen[g] |= SEEN_ROW | (q->col < 0 || (row->present >> q->col & 1) ? SEEN_VALUE : 0);
	switch (q->measure) {
	case MEASURE_ROWS:
		t->sums[g]++;
		break;
	case MEASURE_AMOUNT:
	case MEASURE_SUM:
		/* 2^64 rows of 2^63 cannot reach 2^127: no check until agg_finish */
		if (row->present >> q->col & 1)
			t->sums[g] += row->v[q->col];
		break;
	case MEASURE_PERSONS:
	case MEASURE_HOUSEHOLDS:
	case MEASURE_DISTINCT:
		if (row->present >> q->col & 1) {
			uint32_t i = distinct_index(sh, f, row);
			bitset_add(&t->sets[g], i);
		}
		break;
	}
}

void agg_row(void *ctx, const struct dataset *ds, const struct ingest_row *row)
{
	agg_shard_row(agg_shard(ctx, 0), ds, row);
}

void agg_shard_row(void *ctx, const struct dataset *ds, const struct ingest_row *row)
{
	struct agg_shard *sh = ctx;
	const struct agg *a = sh->agg;
	size_t s = (size_t)(ds - a->schema->sets);
	const size_t *ids = a->by_set[s];
	uint64_t passed = 0;

	for (int k = 0; k < 3; k++)
		if (row->windows & window_bit[k])
			sh->rows[k][s]++;
	sh->row_index_valid = 0;
	if (s < 64)
		for (size_t i = 0; i < a->nshared[s]; i++)
			if (filter_pass(a->shared[s][i], &ds->cols[a->shared[s][i]->col], row))
				passed |= 1ull << i;
	for (size_t i = 0, n = a->nby_set[s]; i < n; i++)
		offer(sh, ids[i], row, passed);
	if (a->part_col[s] >= 0 && (row->present >> a->part_col[s] & 1)) {
		size_t v = (size_t)row->v[a->part_col[s]];
		ids = a->by_part[s][v];
		for (size_t i = 0, n = a->nby_part[s][v]; i < n; i++)
			offer(sh, ids[i], row, passed);
	}
}

static bool is_distinct(const struct query *q)
{
	return q->measure == MEASURE_PERSONS || q->measure == MEASURE_HOUSEHOLDS ||
	       q->measure == MEASURE_DISTINCT;
}

#define UNFILLED "未填写"

/* Part b of a group's key: key k of by-column b. */
static void key_part(struct agg *a, struct figure *f, const struct strdict *keys, size_t b,
		     size_t k, struct agg_key *out)
{
	const struct column *col = &f->q.ds->cols[f->q.by[b]];
	const struct period *w = &a->window[f->q.compare];
	int month = w->first + (int)k;
	const char *t;

	memset(out, 0, sizeof(*out));
	if ((f->domain[b] && k == f->domain[b] - 1) ||
	    (f->domain[b] == 0 && strdict_key(keys, (uint32_t)k)[0] == '\0')) {
		out->kind = AGG_KEY_UNFILLED;
		out->text = xstrdup(UNFILLED);
	} else if (f->domain[b] == 0) {
		/* text keys as read; other dates' keys are "YYYY-MM" (group_key) */
		t = strdict_key(keys, (uint32_t)k);
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

/* w as an int64 figure, or false when it does not fit. */
static bool narrow(wide w, int64_t *out)
{
	if (w > INT64_MAX || w < INT64_MIN)
		return false;
	*out = (int64_t)w;
	return true;
}

static void finish_figure(struct agg *a, struct figure *f, struct tally *t)
{
	const struct query *q = &f->q;
	struct agg_value *v = &f->value;
	size_t n0, n1 = q->nby == 2 ? f->domain[1] : 1;
	wide total = 0;
	unsigned seen;

	v->unit = q->unit;
	/* a comparison has a base only when its period has rows in the figure's area */
	v->present = q->compare == COMPARE_NONE || t->scope_rows > 0;
	if (q->nby == 0) {
		ensure_groups(t, 0);
		if (is_distinct(q))
			v->value = t->persons ? t->persons[0] : bitset_count(&t->sets[0]);
		else if (!narrow(t->sums[0], &v->value))
			f->overflow = true;
		v->empty = t->seen[0] == SEEN_ROW;
		return;
	}
	n0 = f->domain[0] ? f->domain[0] : strdict_count(t->keys);
	ensure_groups(t, n0 * n1);
	v->groups = xcalloc(n0 * n1, sizeof(struct agg_group));
	seen = 0;
	for (size_t k0 = 0; k0 < n0; k0++)
		for (size_t k1 = 0; k1 < n1; k1++) {
			size_t g = k0 * n1 + k1;
			int64_t value = 0;
			bool unfilled = (f->domain[0] && k0 == f->domain[0] - 1) ||
					(q->nby == 2 && k1 == f->domain[1] - 1);
			struct agg_group *out = &v->groups[v->ngroups];

			if (is_distinct(q))
				value = t->persons ? t->persons[g] : bitset_count(&t->sets[g]);
			else if (!narrow(t->sums[g], &value))
				f->overflow = true;
			/* "未填写" appears only when some row lacks the column */
			if (unfilled && value == 0 && t->sums[g] == 0 && t->sets[g].nwords == 0)
				continue;
			out->nparts = q->nby;
			key_part(a, f, t->keys, 0, k0, &out->part[0]);
			if (q->nby == 2)
				key_part(a, f, t->keys, 1, k1, &out->part[1]);
			out->value = value;
			out->empty = t->seen[g] == SEEN_ROW;
			seen |= t->seen[g];
			v->ngroups++;
			if (is_distinct(q) && t->persons == NULL)
				bitset_or(&f->all, &t->sets[g]);
			else if (!is_distinct(q))
				total += t->sums[g];
		}
	v->empty = seen == SEEN_ROW;
	if (is_distinct(q))
		v->value = t->persons ? t->all_persons : bitset_count(&f->all);
	else if (!narrow(total, &v->value))
		f->overflow = true;
	if (f->domain[0] == 0)
		qsort(v->groups, v->ngroups, sizeof(*v->groups), cmp_group);
	index_groups(v);
}

/* Where each key of src is in dst, added there when new (malloc'd, by src's index). */
static uint32_t *strdict_map(struct strdict *dst, const struct strdict *src)
{
	size_t n = strdict_count(src);
	uint32_t *map = xcalloc(n ? n : 1, sizeof(uint32_t));

	for (size_t j = 0; j < n; j++) {
		const char *key = strdict_key(src, (uint32_t)j);

		map[j] = strdict_index(dst, key, strlen(key));
	}
	return map;
}

/*
 * Where each value of a shard's dictionary is in the first shard's (added
 * there when new): a household number counted in two shards is one
 * household.  NULL when the shard has no such dictionary.
 */
static uint32_t *dict_map(struct coldicts *dst, const struct coldicts *src, size_t c)
{
	uint32_t *map = NULL;

	if (src->text[c] != NULL) {
		if (dst->text[c] == NULL)
			dst->text[c] = strdict_new();
		map = strdict_map(dst->text[c], src->text[c]);
	} else if (src->num[c] != NULL) {
		size_t n = u64dict_count(src->num[c]);
		uint64_t *keys = xcalloc(n ? n : 1, sizeof(uint64_t));

		if (dst->num[c] == NULL)
			dst->num[c] = u64dict_new();
		map = xcalloc(n ? n : 1, sizeof(uint32_t));
		u64dict_keys(src->num[c], keys);
		for (size_t j = 0; j < n; j++)
			map[j] = u64dict_index(dst->num[c], keys[j]);
		free(keys);
	}
	return map;
}

/*
 * Add what src counted of figure f to dst.  Persons are counts by then
 * (count_persons); enum codes are the same in each shard; other distinct
 * values and text group keys go through their maps.
 */
static void tally_merge(struct figure *f, struct tally *dst, const struct tally *src,
			const uint32_t *values)
{
	size_t n1 = f->q.nby == 2 ? f->domain[1] : 1;
	uint32_t *keys = src->keys != NULL ? strdict_map(dst->keys, src->keys) : NULL;

	for (size_t g = 0; g < src->ngroups; g++) {
		size_t to;

		/* never offered a row: ensure_groups rounds up, past the keys too */
		if (src->seen[g] == 0)
			continue;
		to = keys != NULL ? keys[g / n1] * n1 + g % n1 : g;
		ensure_groups(dst, to);
		dst->sums[to] += src->sums[g];
		dst->seen[to] |= src->seen[g];
		if (src->persons != NULL)
			dst->persons[to] += src->persons[g];
		else
			bitset_add_mapped(&dst->sets[to], &src->sets[g], values);
	}
	dst->all_persons += src->all_persons;
	dst->scope_rows += src->scope_rows;
	free(keys);
}

/* Whether f counts persons: each shard has its own, numbered its own way. */
static bool counts_persons(const struct figure *f)
{
	return is_distinct(&f->q) && f->q.col >= 0 && f->q.col == f->q.ds->person;
}

/*
 * t's person sets as counts (t->persons), the sets freed: a person is in
 * one shard only, so the counts of shards add up where their sets, whose
 * indexes overlap, could not be joined.
 */
static void count_persons(struct tally *t)
{
	struct bitset all = BITSET_INIT;

	t->persons = xcalloc(t->ngroups ? t->ngroups : 1, sizeof(int64_t));
	for (size_t g = 0; g < t->ngroups; g++) {
		t->persons[g] = bitset_count(&t->sets[g]);
		bitset_or(&all, &t->sets[g]);
		bitset_clear(&t->sets[g]);
	}
	t->all_persons = bitset_count(&all);
	bitset_clear(&all);
}

/* Shards 1.. into shard 0, then freed. */
static void merge_shards(struct agg *a)
{
	for (unsigned k = 0; k < a->nshards; k++)
		for (size_t i = 0; i < a->nfigs; i++)
			if (counts_persons(a->figs[i]))
				count_persons(&a->shards[k]->tallies[i]);
	for (unsigned k = 1; k < a->nshards; k++) {
		struct agg_shard *src = a->shards[k];
		struct agg_shard *dst = a->shards[0];

		for (size_t s = 0; s < a->schema->nsets; s++) {
			uint32_t **maps = xcalloc(src->dicts[s].ncols + 1, sizeof(uint32_t *));

			for (size_t c = 0; c < src->dicts[s].ncols; c++)
				maps[c] = dict_map(&dst->dicts[s], &src->dicts[s], c);
			for (size_t i = 0; i < a->nfigs; i++) {
				struct figure *f = a->figs[i];
				const uint32_t *values =
				    is_distinct(&f->q) && f->q.col >= 0 ? maps[f->q.col] : NULL;

				if (f->q.ds_index == s)
					tally_merge(f, &dst->tallies[i], &src->tallies[i], values);
			}
			for (size_t c = 0; c < src->dicts[s].ncols; c++)
				free(maps[c]);
			free(maps);
			for (int w = 0; w < 3; w++)
				dst->rows[w][s] += src->rows[w][s];
		}
		shard_free(a, src);
		a->shards[k] = NULL;
	}
	a->nshards = 1;
}

void agg_finish(struct agg *a)
{
	struct agg_shard *sh = agg_shard(a, 0);

	merge_shards(a);
	for (size_t i = 0; i < a->nfigs; i++)
		finish_figure(a, a->figs[i], &sh->tallies[i]);
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
	uint64_t n = 0;

	for (unsigned k = 0; k < a->nshards; k++)
		n += a->shards[k]->rows[compare][ds_index];
	return n;
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
		for (size_t g = 0; g < f->value.ngroups; g++)
			for (size_t p = 0; p < f->value.groups[g].nparts; p++)
				free(f->value.groups[g].part[p].text);
		free(f->value.groups);
		strdict_free(f->value.index);
		bitset_clear(&f->all);
		query_release(&f->q);
		free(f);
	}
	for (unsigned k = 0; k < a->nshards; k++)
		shard_free(a, a->shards[k]);
	free(a->shards);
	free(a->figs);
	for (size_t s = 0; s < a->schema->nsets; s++) {
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
	free(a->by_set);
	free(a->nby_set);
	free(a);
}
