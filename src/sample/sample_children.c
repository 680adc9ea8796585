/*
 * sample_children.c - the child-welfare export (儿童福利发放明细),
 * children.csv: basic living allowances paid monthly to orphans and de-facto
 * unsupported children, study grants to orphans over 18, the "Tomorrow
 * Plan" for institutional orphans and care money for children in
 * difficulty, for the report year and the year before.
 *
 * Counts are exact at scale 1 (766 orphans, 562 unsupported children, 126
 * grants, 12 Tomorrow Plan, 318 children in difficulty); grant and care
 * totals are exact by construction (945,000.00 and 150,000.00); the basic
 * allowance total is steered to 567.8万 through the raise of the monthly
 * standards in July.  The previous year is a few percent smaller.
 */
#include <stdlib.h>

#include "sample_impl.h"
#include "util/xalloc.h"

enum kid_cat { KC_INST, KC_SCATTERED, KC_UNSUPPORTED, KC_DIFFICULT };
static const char *const cat_names[] = {"机构养育孤儿", "社会散居孤儿", "事实无人抚养儿童",
					"困境儿童"};

enum item { IT_BASIC, IT_GRANT, IT_TOMORROW, IT_CARE };
static const char *const item_names[] = {"基本生活费", "助学金", "明天计划", "关爱帮扶"};

/* Slots: the previous year and the report year. */
enum { PREV, CUR };

/* The summary's figures (CUR) and the year before (PREV), at scale 1. */
#define ORPHANS_CUR       766
#define ORPHANS_PREV      712
#define ORPHANS_PREV_ONLY 24 /* left during the previous year (adopted, turned 18) */
#define UNSUPP_CUR        562
#define UNSUPP_PREV       521
#define UNSUPP_PREV_ONLY  20
#define GRANTS_CUR        126
#define GRANTS_PREV       118
#define GRANTS_BOTH       80
#define TOMORROW_CUR      12
#define TOMORROW_PREV     10
#define CARE_CUR          318
#define CARE_PREV         276
#define CARE_BOTH         150
#define INST_PCT          24 /* orphans raised in institutions */
/* 567.8万 to 1,328 children; grants 7,500 a year in two halves; care 15万 */
#define BASIC_FEN_CUR     567800000LL
#define BASIC_PERSONS_CUR (ORPHANS_CUR + UNSUPP_CUR)
#define GRANT_HALF_CUR    375000
#define GRANT_HALF_PREV   350000
#define CARE_FEN_CUR      15000000LL
#define CARE_FEN_PREV     12000000LL
#define CARE_UNIT         5000 /* care money comes in multiples of 50 yuan */
#define CARE_MIN          20000

/* Monthly basic allowance standards (fen) before the July raise. */
static const int32_t standard_cur[] = {52000, 38000, 28000, 0};
static const int32_t standard_prev[] = {52000, 38000, 28000, 0};

struct kid {
	char id[19];
	char name[SAMPLE_NAME_MAX + 2];
	uint8_t nname;
	uint8_t district, cat;
	uint8_t style;    /* month spelling */
	uint8_t money;    /* amount spelling */
	uint8_t first[2]; /* basic allowance: first and last month per slot, 0 = none */
	uint8_t last[2];
	uint8_t grant[2];       /* study grant in the slot */
	uint8_t tomorrow[2][2]; /* Tomorrow Plan: up to two months per slot */
	int32_t tomorrow_fen[2][2];
	uint8_t care[2]; /* care money: month per slot, 0 = none */
	int32_t care_fen[2];
};

struct children {
	struct kid *k;
	size_t n, cap;
	int year;
	struct sample_rng *r;
	struct sample_ids *ids;
	int32_t raise[3]; /* fen added to each category's monthly standard from July */
};

/* ------------------------------------------------------------------------- */
/* Planning */

static struct kid *new_kid(struct children *c, int cat, int district, int born_first, int born_last)
{
	struct kid *k;
	int32_t birth = sample_day_in_years(c->r, born_first, born_last);
	int male = sample_pct(c->r, 52);
	size_t n = 0;

	c->k = xgrow(c->k, &c->cap, c->n + 1, sizeof(*c->k));
	k = &c->k[c->n++];
	memset(k, 0, sizeof(*k));
	k->cat = (uint8_t)cat;
	k->district = (uint8_t)district;
	sample_ids_take(c->ids, district, &birth, male, k->id);
	if (sample_pct(c->r, 3))
		k->name[n++] = '"';
	n += sample_name(c->r, male, (int)(sample_ymd(birth) / 10000), k->name + n);
	if (k->name[0] == '"')
		k->name[n++] = '"';
	k->nname = (uint8_t)n;
	k->style = sample_pct(c->r, 10) ? MONTH_CHINESE : MONTH_DASH;
	k->money = sample_pct(c->r, 5) ? MONEY_SHORT : MONEY_PLAIN;
	return k;
}

static int orphan_cat(struct sample_rng *r)
{
	return sample_pct(r, INST_PCT) ? KC_INST : KC_SCATTERED;
}

/*
 * Children on the basic allowance: those paid in both years, those who
 * joined this year, and those who left during the previous year.
 */
static void plan_basic(struct children *c, int orphans, long both, long fresh, long gone)
{
	int y = c->year;

	for (long i = 0; i < both + fresh + gone; i++) {
		int cat = orphans ? orphan_cat(c->r) : KC_UNSUPPORTED;
		int d = sample_pick_district(c->r);
		struct kid *k;

		if (i < both) {
			k = new_kid(c, cat, d, y - 17, y - 2);
			k->first[PREV] =
			    sample_pct(c->r, 8) ? (uint8_t)sample_range(c->r, 2, 12) : 1;
			k->last[PREV] = 12;
			k->first[CUR] = 1;
			k->last[CUR] =
			    sample_pct(c->r, 3) ? (uint8_t)sample_range(c->r, 1, 11) : 12;
		} else if (i < both + fresh) {
			k = new_kid(c, cat, d, y - 17, y - 1);
			k->first[CUR] = (uint8_t)sample_range(c->r, 2, 12);
			k->last[CUR] = 12;
		} else {
			k = new_kid(c, cat, d, y - 18, y - 2);
			k->first[PREV] = 1;
			k->last[PREV] = (uint8_t)sample_range(c->r, 1, 12);
		}
	}
}

/* Study grants: orphans over 18 still in school, two halves a year. */
static void plan_grants(struct children *c, long both, long cur_only, long prev_only)
{
	int y = c->year;

	for (long i = 0; i < both + cur_only + prev_only; i++) {
		int d = sample_pick_district(c->r);
		struct kid *k;

		if (i < both) {
			k = new_kid(c, orphan_cat(c->r), d, y - 22, y - 19);
			k->grant[PREV] = k->grant[CUR] = 1;
		} else if (i < both + cur_only) {
			k = new_kid(c, orphan_cat(c->r), d, y - 19, y - 18);
			k->grant[CUR] = 1;
		} else {
			k = new_kid(c, orphan_cat(c->r), d, y - 23, y - 21);
			k->grant[PREV] = 1;
		}
	}
}

/* The Tomorrow Plan: n institutional orphans on the allowance in the slot. */
static void plan_tomorrow(struct children *c, int slot, long n)
{
	size_t *pool = xcalloc(c->n + 1, sizeof(*pool));
	size_t npool = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->k[i].cat == KC_INST && c->k[i].first[slot] && !c->k[i].grant[slot])
			pool[npool++] = i;
	for (long j = 0; j < n && npool > 0; j++) {
		size_t pick = sample_below(c->r, (uint32_t)npool);
		struct kid *k = &c->k[pool[pick]];
		int events = sample_pct(c->r, 30) ? 2 : 1;

		pool[pick] = pool[--npool];
		/* never June: the bad negative row of the report year goes there */
		k->tomorrow[slot][0] = (uint8_t)sample_range(c->r, 1, 5);
		if (events == 2)
			k->tomorrow[slot][1] = (uint8_t)sample_range(c->r, 7, 12);
		/* surgery and rehabilitation: 3,000 to 30,000 yuan an event */
		for (int e = 0; e < events; e++)
			k->tomorrow_fen[slot][e] = (int32_t)sample_range(c->r, 30, 300) * 10000;
	}
	free(pool);
}

/* Care money for children in difficulty in 前锋区, 华蓥市 and 岳池县. */
static void plan_care(struct children *c, long both, long cur_only, long prev_only)
{
	static const int care_districts[] = {1, 2, 3};
	static const uint8_t care_months[] = {1, 6,
					      9}; /* Spring Festival, Children's Day, school */
	size_t start = c->n;
	long total = both + cur_only + prev_only;
	int64_t *fen[2];
	size_t count[2] = {0, 0};

	for (long i = 0; i < total; i++) {
		int d = care_districts[sample_below(c->r, 3)];
		struct kid *k;

		if (i < both + cur_only) {
			k = new_kid(c, KC_DIFFICULT, d, c->year - 17, c->year - 1);
			k->care[CUR] = care_months[sample_below(c->r, 3)];
			count[CUR]++;
		} else {
			k = new_kid(c, KC_DIFFICULT, d, c->year - 18, c->year - 2);
		}
		if (i < both || i >= both + cur_only) {
			k->care[PREV] = care_months[sample_below(c->r, 3)];
			count[PREV]++;
		}
	}
	/* exact totals: 150,000.00 among this year's children, scaled by their number */
	for (int s = PREV; s <= CUR; s++) {
		int64_t want = s == CUR ? CARE_FEN_CUR * (int64_t)count[s] / CARE_CUR
					: CARE_FEN_PREV * (int64_t)count[s] / CARE_PREV;
		want = want / CARE_UNIT * CARE_UNIT;
		if (want < (int64_t)count[s] * CARE_MIN)
			want = (int64_t)count[s] * CARE_MIN;
		fen[s] = xcalloc(count[s] + 1, sizeof(int64_t));
		sample_split(c->r, fen[s], count[s], want, CARE_UNIT, CARE_MIN, 1, 5);
		count[s] = 0;
	}
	for (size_t i = start; i < c->n; i++)
		for (int s = PREV; s <= CUR; s++)
			if (c->k[i].care[s])
				c->k[i].care_fen[s] = (int32_t)fen[s][count[s]++];
	free(fen[PREV]);
	free(fen[CUR]);
}

static int32_t basic_fen(const struct children *c, const struct kid *k, int slot, int month)
{
	if (slot == PREV)
		return standard_prev[k->cat];
	return standard_cur[k->cat] + (month >= 7 ? c->raise[k->cat] : 0);
}

/*
 * The July raise that brings the basic allowance to its share of 567.8万:
 * one raise for all in steps of 0.10 yuan, then 0.10 more for the set of
 * categories that lands closest.  What remains is about a hundred yuan,
 * well inside the rounding of "567.8万" (5,677,500 to 5,678,499.99).
 */
static void calibrate(struct children *c, long persons)
{
	int64_t total = 0, later[3] = {0, 0, 0}, all, rest, best = -1;
	int64_t target = BASIC_FEN_CUR * persons / BASIC_PERSONS_CUR;
	int32_t raise;
	unsigned pick = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct kid *k = &c->k[i];
		for (int m = k->first[CUR]; m && m <= k->last[CUR]; m++) {
			total += standard_cur[k->cat];
			later[k->cat] += m >= 7;
		}
	}
	all = later[0] + later[1] + later[2];
	if (all == 0 || target <= total)
		return;
	raise = (int32_t)((target - total) / all / 10 * 10);
	rest = target - total - raise * all;
	for (unsigned set = 0; set < 8; set++) {
		int64_t off = rest;
		for (int k = 0; k < 3; k++)
			if (set >> k & 1)
				off -= 10 * later[k];
		if (off < 0)
			off = -off;
		if (best < 0 || off < best) {
			best = off;
			pick = set;
		}
	}
	for (int k = 0; k < 3; k++)
		c->raise[k] = raise + (pick >> k & 1 ? 10 : 0);
}

/* ------------------------------------------------------------------------- */
/* Writing */

static void put_row(struct sample_out *o, const struct children *c, const struct kid *k, int slot,
		    int month, enum item item, int32_t fen)
{
	struct sample_line l = {0};
	const char *dn = sample_districts[k->district].name;
	char buf[SAMPLE_FIELD_MAX];
	size_t n;

	sample_line_put(&l, k->id, 18);
	sample_line_put(&l, ",", 1);
	sample_line_put(&l, k->name, k->nname);
	sample_line_put(&l, ",", 1);
	sample_line_str(&l, dn);
	sample_line_put(&l, ",", 1);
	sample_line_str(&l, cat_names[k->cat]);
	sample_line_put(&l, ",", 1);
	sample_line_str(&l, item_names[item]);
	sample_line_put(&l, ",", 1);
	n = sample_put_month(buf, c->year - 1 + slot, month, (enum sample_month_style)k->style);
	sample_line_put(&l, buf, n);
	sample_line_put(&l, ",", 1);
	n = sample_put_money(buf, fen, (enum sample_money_style)k->money);
	sample_line_put(&l, buf, n);
	sample_out_text(o, l.b, l.n);
	sample_out_eol(o);
}

/* One bad check character, one negative amount: both must be rejected. */
static void put_bad_rows(struct sample_out *o, struct children *c)
{
	struct kid bad, *k;

	k = new_kid(c, KC_DIFFICULT, 3, c->year - 12, c->year - 6);
	bad = *k;
	c->n--; /* not a real child: no other row */
	bad.id[17] = bad.id[17] == '7' ? '3' : '7';
	put_row(o, c, &bad, CUR, 6, IT_CARE, 50000);

	for (size_t i = 0; i < c->n; i++) {
		if (c->k[i].tomorrow[CUR][0] || i + 1 == c->n) {
			put_row(o, c, &c->k[i], CUR, 6, IT_TOMORROW, -200000);
			break;
		}
	}
}

static void write_month(struct sample_out *o, struct children *c, int slot, int m)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct kid *k = &c->k[i];
		if (k->first[slot] && k->first[slot] <= m && m <= k->last[slot])
			put_row(o, c, k, slot, m, IT_BASIC, basic_fen(c, k, slot, m));
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct kid *k = &c->k[i];
		if (k->grant[slot] && (m == 3 || m == 9))
			put_row(o, c, k, slot, m, IT_GRANT,
				slot == CUR ? GRANT_HALF_CUR : GRANT_HALF_PREV);
		for (int e = 0; e < 2; e++)
			if (k->tomorrow[slot][e] == m)
				put_row(o, c, k, slot, m, IT_TOMORROW, k->tomorrow_fen[slot][e]);
		if (k->care[slot] == m)
			put_row(o, c, k, slot, m, IT_CARE, k->care_fen[slot]);
	}
}

int sample_children(struct sample_ctx *ctx, char *err, size_t errlen)
{
	static const char header[] = "身份证号,姓名,区县,儿童类别,项目,发放年月,金额";
	struct sample_rng r;
	struct children c = {0};
	struct sample_out o;
	double f = ctx->scale;
	long orphans, unsupp;

	sample_rng_init(&r, ctx->seed, STREAM_CHILDREN);
	c.year = ctx->year;
	c.r = &r;
	c.ids = &ctx->ids;

	orphans = sample_count(f, ORPHANS_PREV) - sample_count(f, ORPHANS_PREV_ONLY);
	plan_basic(&c, 1, orphans, sample_count(f, ORPHANS_CUR) - orphans,
		   sample_count(f, ORPHANS_PREV_ONLY));
	unsupp = sample_count(f, UNSUPP_PREV) - sample_count(f, UNSUPP_PREV_ONLY);
	plan_basic(&c, 0, unsupp, sample_count(f, UNSUPP_CUR) - unsupp,
		   sample_count(f, UNSUPP_PREV_ONLY));
	calibrate(&c, sample_count(f, ORPHANS_CUR) + sample_count(f, UNSUPP_CUR));
	plan_grants(&c, sample_count(f, GRANTS_BOTH),
		    sample_count(f, GRANTS_CUR) - sample_count(f, GRANTS_BOTH),
		    sample_count(f, GRANTS_PREV) - sample_count(f, GRANTS_BOTH));
	plan_tomorrow(&c, CUR, sample_count(f, TOMORROW_CUR));
	plan_tomorrow(&c, PREV, sample_count(f, TOMORROW_PREV));
	plan_care(&c, sample_count(f, CARE_BOTH),
		  sample_count(f, CARE_CUR) - sample_count(f, CARE_BOTH),
		  sample_count(f, CARE_PREV) - sample_count(f, CARE_BOTH));

	if (sample_out_open(&o, ctx->out, "children.csv", ENC_UTF8, 0, err, errlen) != 0) {
		free(c.k);
		return -1;
	}
	sample_out_text(&o, header, sizeof(header) - 1);
	sample_out_eol(&o);
	for (int slot = PREV; slot <= CUR; slot++) {
		for (int m = 1; m <= 12; m++) {
			write_month(&o, &c, slot, m);
			if (slot == CUR && m == 6)
				put_bad_rows(&o, &c);
		}
	}
	free(c.k);
	return sample_out_close(&o, err, errlen);
}
