/*
 * test_agg.c - the aggregate stage (agg.c) fed by hand-made struct
 * ingest_row values, as ingest would hand them over: v[] per column,
 * the present bitmask, text columns as offset << 32 | length into a text
 * buffer, the person index and the year slot.
 *
 * Covers every measure (rows, persons, households, amount, sum(col),
 * distinct(col)), filters (enum sets, !=, date and month ranges, text,
 * money, integer), grouping by an enum (every value, zeros included, schema
 * order, "未填写" last), by month (12 groups), by two columns
 * ("广安区/城市低保"), by a text column (sorted keys), @prev (present only
 * when previous-year rows came, values from slot 1 rows only), and the
 * same expression registered twice giving one id.
 *
 * The rows are the two tables below; every expected figure was added up by
 * hand from them.  Run from the repository root (templates/schema.ini).
 * Tests marked "Regression" guard defects found (and fixed) in src/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "engine/agg.h"
#include "engine/query.h"
#include "ingest/schema.h"
#include "util/strbuf.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define YEAR          2021

static struct schema schema;
static const struct dataset *relief, *elderly, *children;

static int setup(void **state)
{
	char err[512];

	(void)state;
	if (schema_load(&schema, "templates/schema.ini", err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	relief = schema_find(&schema, "relief");
	elderly = schema_find(&schema, "elderly");
	children = schema_find(&schema, "children");
	return relief && elderly && children ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	schema_release(&schema);
	return 0;
}

/* ------------------------------------------------------------ the rows */

/*
 * relief, report year 2021 ("-" = column absent):
 *
 *  #  person 区县   救助类别  发放年月 发放金额  户号 纳入日期  纳入方式    乡镇(街道) slot
 *  1  0      广安区 城市低保  202101   500.00   H1   20150310 常规申请    浓洲镇     year
 *  2  0      广安区 城市低保  202102   500.00   H1   20150310 常规申请    浓洲镇     year
 *  3  1      广安区 农村低保  202101   300.00   H1   20210305 回头看排查  浓洲镇     year
 *  4  2      前锋区 特困供养  202103   800.00   H2   20210620 回头看排查  奎阁街道   year
 *  5  3      华蓥市 临时救助  202112  1000.00   H3   -        -           -          year
 *  6  4      前锋区 城市低保  202103   450.50   H4   20200101 常规申请    奎阁街道   year
 *  7  0      广安区 城市低保  202012   480.00   H1   20150310 常规申请    浓洲镇     prev
 *  8  2      前锋区 特困供养  202011   780.00   H2   20210620 回头看排查  奎阁街道   prev
 */
struct relief_row {
	uint32_t person;
	const char *district, *category;
	int64_t month, fen;
	const char *household;
	int64_t enrolled;             /* 0 = absent */
	const char *enrolment, *town; /* NULL = absent */
	unsigned slot;
};

static const struct relief_row relief_rows[] = {
    {0, "广安区", "城市低保", 202101, 50000, "H1", 20150310, "常规申请", "浓洲镇", WINDOW_CUR},
    {0, "广安区", "城市低保", 202102, 50000, "H1", 20150310, "常规申请", "浓洲镇", WINDOW_CUR},
    {1, "广安区", "农村低保", 202101, 30000, "H1", 20210305, "回头看排查", "浓洲镇", WINDOW_CUR},
    {2, "前锋区", "特困供养", 202103, 80000, "H2", 20210620, "回头看排查", "奎阁街道", WINDOW_CUR},
    {3, "华蓥市", "临时救助", 202112, 100000, "H3", 0, NULL, NULL, WINDOW_CUR},
    {4, "前锋区", "城市低保", 202103, 45050, "H4", 20200101, "常规申请", "奎阁街道", WINDOW_CUR},
    {0, "广安区", "城市低保", 202012, 48000, "H1", 20150310, "常规申请", "浓洲镇", WINDOW_PREV},
    {2, "前锋区", "特困供养", 202011, 78000, "H2", 20210620, "回头看排查", "奎阁街道", WINDOW_PREV},
};

/*
 * elderly, all in 2021 (no person column):
 *
 *  项目类型        区县   数量 受益人数 资金(元)     日期
 *  养老驿站        广安区 1    120      350000.00   20210630
 *  养老驿站        华蓥市 2    80       120000.00   20211015
 *  老龄食堂        华蓥市 1    300      80000.00    20210901
 *  养老服务综合体  岳池县 -    500      500000.00   20210301
 */
struct elderly_row {
	const char *kind, *district;
	int64_t quantity; /* -1 = absent */
	int64_t beneficiaries, fen, date;
};

static const struct elderly_row elderly_rows[] = {
    {"养老驿站", "广安区", 1, 120, 35000000, 20210630},
    {"养老驿站", "华蓥市", 2, 80, 12000000, 20211015},
    {"老龄食堂", "华蓥市", 1, 300, 8000000, 20210901},
    {"养老服务综合体", "岳池县", -1, 500, 50000000, 20210301},
};

/* One row under construction, in the layout ingest uses. */
struct rowbuf {
	const struct dataset *ds;
	int64_t v[64];
	char text[512];
	size_t tlen;
	struct ingest_row row;
};

static int col(const struct dataset *ds, const char *name)
{
	int c = dataset_column(ds, name);

	assert_true(c >= 0);
	return c;
}

static void rb_init(struct rowbuf *b, const struct dataset *ds, unsigned slot, uint32_t person)
{
	memset(b, 0, sizeof(*b));
	b->ds = ds;
	b->row.windows = slot;
	b->row.person = person;
	b->row.v = b->v;
	b->row.text = b->text;
}

static void rb_set(struct rowbuf *b, const char *name, int64_t v)
{
	int c = col(b->ds, name);

	b->v[c] = v;
	b->row.present |= 1ull << c;
}

/* An enum value by its spelling in the schema. */
static void rb_enum(struct rowbuf *b, const char *name, const char *value)
{
	const struct column *cl = &b->ds->cols[col(b->ds, name)];

	for (size_t i = 0; i < cl->nvalues; i++)
		if (strcmp(cl->values[i], value) == 0) {
			rb_set(b, name, (int64_t)i);
			return;
		}
	fail_msg("%s is no value of %s", value, name);
}

static void rb_text(struct rowbuf *b, const char *name, const char *s)
{
	size_t len = strlen(s);

	assert_true(b->tlen + len <= sizeof(b->text));
	memcpy(b->text + b->tlen, s, len);
	rb_set(b, name, (int64_t)((uint64_t)b->tlen << 32 | len));
	b->tlen += len;
}

/*
 * Rows to agg a: with nshards 0 through agg_row, else through agg_shard_row
 * into shard person % nshards (elderly rows, without IDs: row % nshards),
 * as ingest splits them.  Each shard numbers its persons from 0, as ingest
 * does: person p is index p / n of shard p % n.
 */
static void row_to(struct agg *a, unsigned nshards, uint64_t key, const struct dataset *ds,
		   const struct ingest_row *row)
{
	if (nshards == 0)
		agg_row(a, ds, row);
	else
		agg_shard_row(agg_shard(a, (unsigned)(key % nshards)), ds, row);
}

static void feed_relief_to(struct agg *a, unsigned nshards)
{
	for (size_t i = 0; i < ARRAY_SIZE(relief_rows); i++) {
		const struct relief_row *r = &relief_rows[i];
		struct rowbuf b;

		rb_init(&b, relief, r->slot, r->person);
		/* a text column first, so that offsets are not all zero */
		if (r->town)
			rb_text(&b, "乡镇(街道)", r->town);
		rb_set(&b, "身份证号", 51160219800115001ll + r->person);
		rb_text(&b, "姓名", "张*");
		rb_enum(&b, "区县", r->district);
		rb_enum(&b, "救助类别", r->category);
		rb_set(&b, "发放年月", r->month);
		rb_set(&b, "发放金额", r->fen);
		rb_text(&b, "户号", r->household);
		if (r->enrolled)
			rb_set(&b, "纳入日期", r->enrolled);
		if (r->enrolment)
			rb_enum(&b, "纳入方式", r->enrolment);
		b.row.line = i + 2;
		if (nshards > 0)
			b.row.person = r->person / nshards;
		row_to(a, nshards, r->person, relief, &b.row);
	}
}

static void feed_elderly_to(struct agg *a, unsigned nshards)
{
	for (size_t i = 0; i < ARRAY_SIZE(elderly_rows); i++) {
		const struct elderly_row *r = &elderly_rows[i];
		struct rowbuf b;

		rb_init(&b, elderly, WINDOW_CUR, UINT32_MAX);
		rb_enum(&b, "项目类型", r->kind);
		rb_enum(&b, "区县", r->district);
		rb_text(&b, "名称", "某项目");
		if (r->quantity >= 0)
			rb_set(&b, "数量", r->quantity);
		rb_set(&b, "受益人数", r->beneficiaries);
		rb_set(&b, "资金(元)", r->fen);
		rb_set(&b, "日期", r->date);
		b.row.line = i + 2;
		row_to(a, nshards, i, elderly, &b.row);
	}
}

static void feed_relief(struct agg *a)
{
	feed_relief_to(a, 0);
}

static void feed_elderly(struct agg *a)
{
	feed_elderly_to(a, 0);
}

/* ------------------------------------------------------------ helpers */

static struct agg *A;

static int cleanup(void **state)
{
	(void)state;
	agg_free(A);
	A = NULL;
	return 0;
}

static size_t add(const char *text)
{
	struct query q;
	struct query_error err;

	if (query_parse(&q, &schema, text, &(struct period){(YEAR)*12, (YEAR)*12 + 11}, &err) != 0)
		fail_msg("query_parse(\"%s\"): %s", text, err.message);
	return agg_add(A, &q);
}

static void run_all(void)
{
	feed_relief(A);
	feed_elderly(A);
	agg_finish(A);
}

static const struct agg_value *value_of(size_t id)
{
	const struct agg_value *v = agg_value(A, id);

	assert_non_null(v);
	return v;
}

struct fig_case {
	const char *text;
	int64_t want;
	enum unit unit;
};

/*
 * A group's key as the tests write it: its parts joined by "/" (no key of
 * these fixtures holds one; keys with a "/" are tested part by part).
 */
static const char *key_of(const struct agg_group *g)
{
	static char buf[256];

	if (g->nparts == 1)
		snprintf(buf, sizeof(buf), "%s", g->part[0].text);
	else
		snprintf(buf, sizeof(buf), "%s/%s", g->part[0].text, g->part[1].text);
	return buf;
}

/* Keys and values of a series, in order. */
static void expect_groups(size_t id, const char *const *keys, const int64_t *values, size_t n)
{
	const struct agg_value *v = value_of(id);

	if (v->ngroups != n) {
		for (size_t i = 0; i < v->ngroups; i++)
			print_message("  %s = %lld\n", key_of(&v->groups[i]),
				      (long long)v->groups[i].value);
		fail_msg("\"%s\": %zu groups, want %zu", agg_query(A, id)->text, v->ngroups, n);
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(key_of(&v->groups[i]), keys[i]) != 0 || v->groups[i].value != values[i])
			fail_msg("\"%s\" group %zu: %s = %lld, want %s = %lld",
				 agg_query(A, id)->text, i, key_of(&v->groups[i]),
				 (long long)v->groups[i].value, keys[i], (long long)values[i]);
}

static int64_t group(size_t id, const char *key)
{
	const struct agg_value *v = value_of(id);

	for (size_t i = 0; i < v->ngroups; i++)
		if (strcmp(key_of(&v->groups[i]), key) == 0)
			return v->groups[i].value;
	fail_msg("\"%s\": no group %s", agg_query(A, id)->text, key);
	return -1;
}

/* ------------------------------------------------------------- figures */

static const struct fig_case single_cases[] = {
    /* the measures, report year rows 1-6 only */
    {"relief.rows", 6, UNIT_COUNT},
    {"relief.人次", 6, UNIT_COUNT},
    {"relief.persons", 5, UNIT_COUNT},
    {"relief.households", 4, UNIT_COUNT},
    {"relief.amount", 355050, UNIT_FEN},
    {"relief.sum(发放金额)", 355050, UNIT_FEN},
    {"relief.distinct(区县)", 3, UNIT_COUNT},
    {"relief.distinct(发放年月)", 4, UNIT_COUNT},
    {"relief.distinct(身份证号)", 5, UNIT_COUNT},
    {"relief.distinct(乡镇(街道))", 2, UNIT_COUNT},
    {"relief.distinct(纳入日期)", 4, UNIT_COUNT},
    /* filters on enums */
    {"relief.persons[救助类别=城市低保,农村低保]", 3, UNIT_COUNT},
    {"relief.amount[救助类别=城市低保,农村低保]", 175050, UNIT_FEN},
    {"relief.rows[区县!=广安区]", 3, UNIT_COUNT},
    {"relief.households[区县=广安区]", 1, UNIT_COUNT},
    {"relief.rows[纳入方式=常规申请,重残重病单独纳入]", 3, UNIT_COUNT},
    {"relief.rows[纳入方式!=回头看排查]", 4, UNIT_COUNT}, /* row 5 has none */
    {"relief.rows[救助类别=城市低保; 区县=前锋区]", 1, UNIT_COUNT},
    /* dates and months */
    {"relief.persons[纳入日期=$year]", 2, UNIT_COUNT},
    {"relief.persons[纳入日期=$year; 纳入方式=回头看排查]", 2, UNIT_COUNT},
    {"relief.rows[纳入日期!=$year]", 4, UNIT_COUNT},
    {"relief.rows[纳入日期=2015,2020]", 3, UNIT_COUNT},
    {"relief.rows[纳入日期=2021-03]", 1, UNIT_COUNT},
    {"relief.rows[纳入日期=2015-03-10]", 2, UNIT_COUNT},
    {"relief.amount[发放年月=2021-03]", 125050, UNIT_FEN},
    {"relief.amount[发放年月=$year]", 355050, UNIT_FEN},
    {"relief.amount[发放年月=$prev]", 0, UNIT_FEN}, /* prev rows only count for @prev */
    /* text, money */
    {"relief.rows[乡镇(街道)=奎阁街道]", 2, UNIT_COUNT},
    {"relief.rows[户号=H1,H3]", 4, UNIT_COUNT},
    {"relief.rows[户号=H]", 0, UNIT_COUNT}, /* a prefix is no match */
    {"relief.rows[户号!=H1]", 3, UNIT_COUNT},
    {"relief.rows[发放金额=500.00]", 2, UNIT_COUNT},
    /* elderly: sums of integer and money columns */
    {"elderly.rows", 4, UNIT_COUNT},
    {"elderly.sum(数量)", 4, UNIT_COUNT},
    {"elderly.sum(受益人数)", 1000, UNIT_COUNT},
    {"elderly.amount", 105000000, UNIT_FEN},
    {"elderly.sum(资金(元))[项目类型=养老服务综合体,养老驿站,家庭智能看护]", 97000000, UNIT_FEN},
    {"elderly.sum(受益人数)[日期=2021-09]", 300, UNIT_COUNT},
    {"elderly.rows[数量=1]", 2, UNIT_COUNT},
    {"elderly.distinct(区县)", 3, UNIT_COUNT},
    {"elderly.rows[日期=$year; 区县=华蓥市]", 2, UNIT_COUNT},
    /* no rows at all: zero, but present */
    {"children.amount", 0, UNIT_FEN},
    {"children.persons", 0, UNIT_COUNT},
};

static void test_single_figures(void **state)
{
	size_t ids[ARRAY_SIZE(single_cases)];
	int bad = 0;

	(void)state;
	A = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
	for (size_t i = 0; i < ARRAY_SIZE(single_cases); i++)
		ids[i] = add(single_cases[i].text);
	assert_false((agg_wants(A) & WINDOW_PREV));
	run_all();
	for (size_t i = 0; i < ARRAY_SIZE(single_cases); i++) {
		const struct fig_case *c = &single_cases[i];
		const struct agg_value *v = value_of(ids[i]);

		if (!v->present || v->value != c->want || v->unit != c->unit || v->ngroups != 0) {
			print_message("\"%s\": present %d value %lld unit %d groups %zu; want %lld "
				      "unit %d\n",
				      c->text, v->present, (long long)v->value, v->unit, v->ngroups,
				      (long long)c->want, c->unit);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static const char *const districts[] = {"广安区", "前锋区", "华蓥市", "岳池县", "武胜县", "邻水县"};

static void test_by_enum(void **state)
{
	static const int64_t persons[] = {2, 2, 1, 0, 0, 0};
	static const int64_t fen[] = {130000, 125050, 100000, 0, 0, 0};
	static const int64_t households[] = {1, 2, 1, 0, 0, 0};
	static const char *const ways[] = {"常规申请", "回头看排查", "重残重病单独纳入", "未填写"};
	static const int64_t way_rows[] = {3, 2, 0, 1};
	static const char *const kinds[] = {
	    "养老服务综合体", "养老驿站",       "家庭智能看护", "敬老院床位改造", "留守老人巡访",
	    "老龄食堂",       "困难老人热水器", "银龄保险参保", "银龄保险赔付",   "养老护理培训"};
	static const int64_t kind_fen[] = {50000000, 47000000, 0, 0, 0, 8000000, 0, 0, 0, 0};
	size_t p, a, h, w, k;

	(void)state;
	A = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
	p = add("relief.persons by 区县");
	a = add("relief.amount by 区县");
	h = add("relief.households by district");
	w = add("relief.rows by 纳入方式");
	k = add("elderly.amount by 项目类型");
	run_all();
	/* every district in schema order, zeros included, no 未填写 */
	expect_groups(p, districts, persons, 6);
	assert_int_equal(value_of(p)->value, 5);
	expect_groups(a, districts, fen, 6);
	assert_int_equal(value_of(a)->value, 355050);
	assert_int_equal(value_of(a)->unit, UNIT_FEN);
	expect_groups(h, districts, households, 6);
	assert_int_equal(value_of(h)->value, 4);
	/* an optional enum: 未填写 last, for the row without it */
	expect_groups(w, ways, way_rows, 4);
	assert_int_equal(value_of(w)->value, 6);
	expect_groups(k, kinds, kind_fen, 10);
	assert_int_equal(value_of(k)->value, 105000000);
}

static void test_by_month(void **state)
{
	static const char *const months[] = {"2021-01", "2021-02", "2021-03", "2021-04",
					     "2021-05", "2021-06", "2021-07", "2021-08",
					     "2021-09", "2021-10", "2021-11", "2021-12"};
	static const int64_t fen[] = {80000, 50000, 125050, 0, 0, 0, 0, 0, 0, 0, 0, 100000};
	static const int64_t persons[] = {2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	static const int64_t elderly_rows_by_month[] = {0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0};
	size_t a, p, e;

	(void)state;
	A = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
	a = add("relief.amount by 发放年月");
	p = add("relief.persons by month");
	e = add("elderly.rows by 日期");
	run_all();
	expect_groups(a, months, fen, 12);
	assert_int_equal(value_of(a)->value, 355050);
	expect_groups(p, months, persons, 12);
	/* a distinct count's total is over all rows: 5 persons, not 2+1+2+1 */
	assert_int_equal(value_of(p)->value, 5);
	expect_groups(e, months, elderly_rows_by_month, 12);
	assert_int_equal(value_of(e)->value, 4);
}

static void test_by_two_columns(void **state)
{
	static const char *const cats[] = {"城市低保", "农村低保", "特困供养", "临时救助"};
	char key[64];
	size_t r, p;
	int64_t sum = 0;

	(void)state;
	A = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
	r = add("relief.rows by 区县,救助类别");
	p = add("relief.persons by 区县, 救助类别");
	run_all();
	/* 6 x 4 groups, district-major, both in schema order */
	assert_int_equal(value_of(r)->ngroups, 24);
	for (size_t d = 0; d < 6; d++)
		for (size_t c = 0; c < 4; c++) {
			const struct agg_group *g = &value_of(r)->groups[d * 4 + c];

			snprintf(key, sizeof(key), "%s/%s", districts[d], cats[c]);
			assert_string_equal(key_of(g), key);
			sum += g->value;
		}
	assert_int_equal(group(r, "广安区/城市低保"), 2);
	assert_int_equal(group(r, "广安区/农村低保"), 1);
	assert_int_equal(group(r, "前锋区/特困供养"), 1);
	assert_int_equal(group(r, "前锋区/城市低保"), 1);
	assert_int_equal(group(r, "华蓥市/临时救助"), 1);
	assert_int_equal(group(r, "邻水县/临时救助"), 0);
	assert_int_equal(sum, 6);
	assert_int_equal(value_of(r)->value, 6);
	assert_int_equal(group(p, "广安区/城市低保"), 1); /* person 0 twice */
	assert_int_equal(value_of(p)->value, 5);
}

static void test_by_text(void **state)
{
	/* 奎 U+594E sorts before 浓 U+6D53 */
	static const char *const towns[] = {"奎阁街道", "浓洲镇"};
	static const int64_t rows[] = {2, 3};
	static const int64_t fen[] = {125050, 130000};
	size_t r, a, all;

	(void)state;
	A = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
	r = add("relief.rows[区县=广安区,前锋区] by 乡镇(街道)");
	a = add("relief.amount[区县=广安区,前锋区] by 乡镇(街道)");
	all = add("relief.rows by 乡镇(街道)");
	run_all();
	expect_groups(r, towns, rows, 2);
	assert_int_equal(value_of(r)->value, 5);
	expect_groups(a, towns, fen, 2);
	/* row 5 has no town: it is counted under 未填写 */
	assert_int_equal(value_of(all)->ngroups, 3);
	assert_int_equal(group(all, "未填写"), 1);
	assert_int_equal(group(all, "奎阁街道"), 2);
	assert_int_equal(group(all, "浓洲镇"), 3);
	assert_int_equal(value_of(all)->value, 6);
}

static void test_prev(void **state)
{
	static const char *const months[] = {"2020-01", "2020-02", "2020-03", "2020-04",
					     "2020-05", "2020-06", "2020-07", "2020-08",
					     "2020-09", "2020-10", "2020-11", "2020-12"};
	static const int64_t fen[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 78000, 48000};
	size_t amount, prev, persons_prev, by_month, filtered, children_prev, elderly_prev;

	(void)state;
	A = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
	amount = add("relief.amount");
	assert_false((agg_wants(A) & WINDOW_PREV));
	prev = add("relief.amount@prev");
	assert_true((agg_wants(A) & WINDOW_PREV));
	persons_prev = add("relief.persons@prev");
	by_month = add("relief.amount@prev by 发放年月");
	filtered = add("relief.amount[救助类别=特困供养]@prev");
	children_prev = add("children.amount@prev");
	elderly_prev = add("elderly.rows@prev");
	run_all();
	/* the year's figure ignores slot 1 rows, @prev sees only them */
	assert_int_equal(value_of(amount)->value, 355050);
	assert_true(value_of(prev)->present);
	assert_int_equal(value_of(prev)->value, 126000);
	assert_int_equal(value_of(persons_prev)->value, 2);
	assert_int_equal(value_of(filtered)->value, 78000);
	expect_groups(by_month, months, fen, 12);
	assert_true(value_of(by_month)->present);
	/* no previous-year rows for these datasets: not present */
	assert_false(value_of(children_prev)->present);
	assert_false(value_of(elderly_prev)->present);
	assert_int_equal(value_of(children_prev)->value, 0);
}

/* add() with the report's area (query_restrict, as --where and --each add it) */
static size_t add_in(const char *text, const char *where)
{
	struct query q;
	struct query_error err;
	const struct period y = {(YEAR)*12, (YEAR)*12 + 11};

	if (query_parse(&q, &schema, text, &y, &err) != 0 ||
	    query_restrict(&q, &schema, where, &y, &err) != 0)
		fail_msg("query \"%s\" in %s: %s", text, where, err.message);
	return agg_add(A, &q);
}

/*
 * A comparison has a base only where its area has rows of the compared
 * period: 华蓥市 had none in 2020 (广安区 and 前锋区 had), so its @prev is
 * "—", not 0; a filter of the figure's own (救助类别) does not decide that.
 */
static void test_prev_base_in_area(void **state)
{
	size_t huaying, qianfeng, qianfeng_city, guangan_partitioned;

	(void)state;
	A = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
	agg_partition(A, "区县");
	huaying = add_in("relief.amount@prev", "区县=华蓥市");
	qianfeng = add_in("relief.amount@prev", "区县=前锋区");
	qianfeng_city = add_in("relief.amount[救助类别=城市低保]@prev", "区县=前锋区");
	guangan_partitioned = add_in("relief.amount@prev", "区县=广安区");
	run_all();
	assert_false(value_of(huaying)->present);
	assert_true(value_of(qianfeng)->present);
	assert_int_equal(value_of(qianfeng)->value, 78000);
	/* 前锋区 has 2020 rows, none of them 城市低保: a true 0 */
	assert_true(value_of(qianfeng_city)->present);
	assert_int_equal(value_of(qianfeng_city)->value, 0);
	assert_int_equal(value_of(guangan_partitioned)->value, 48000);
}

/* Every registration is a figure of its own: agg never looks a figure up by its text. */
static void test_each_add_is_a_figure(void **state)
{
	size_t a, b, c;

	(void)state;
	A = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
	a = add("relief.persons[救助类别=城市低保]");
	b = add("relief.amount");
	c = add("  relief.persons[救助类别=城市低保]  "); /* trimmed to the same text */
	assert_int_equal(agg_count(A), 3);
	assert_int_not_equal(a, c);
	assert_string_equal(agg_query(A, c)->text, "relief.persons[救助类别=城市低保]");
	assert_int_equal(agg_query(A, b)->measure, MEASURE_AMOUNT);
	run_all();
	assert_int_equal(value_of(a)->value, 2); /* persons 0 and 4 */
	assert_int_equal(value_of(c)->value, 2);
	assert_int_equal(value_of(b)->value, 355050);
}

/*
 * Regression (was a bug, fixed): agg.c group_key()/key_text(): grouping by a date column that is
 * not the period (relief 纳入日期) keys each row by the month alone and labels the group with the
 * report year, so rows enrolled in March 2015 land in "2021-03" and one enrolled in January 2020 in
 * "2021-01".  A group labelled 2021-03 must hold only 2021-03 dates: here 1 row (row 3), and there
 * is no "2021-01" group (no row has such a date).
 */
static void test_by_other_date_column(void **state)
{
	size_t r;

	(void)state;
	A = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
	r = add("relief.rows by 纳入日期");
	run_all();
	assert_int_equal(group(r, "2021-06"), 1);
	assert_int_equal(group(r, "2021-03"), 1);
	/* keys of a date other than the period are the months that occur */
	for (size_t i = 0; i < value_of(r)->ngroups; i++)
		assert_string_not_equal(key_of(&value_of(r)->groups[i]), "2021-01");
}

/*
 * Keys are compared part by part: "a/b" by one column is not ("a", "b") by
 * two, nor is a value "未填写" an empty cell; months of the period match
 * another year's, other dates' year-months only their own (issue 10 item 8).
 */
static bool same_key(const struct agg_key *x, size_t nx, const struct agg_key *y, size_t ny)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	bool same;

	agg_key_encode(&a, x, nx);
	agg_key_encode(&b, y, ny);
	same = a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0;
	strbuf_release(&a);
	strbuf_release(&b);
	return same;
}

#define TEXT_KEY(s)                                                                                \
	{                                                                                          \
		.kind = AGG_KEY_TEXT, .text = (char *)(s), .len = sizeof(s) - 1                    \
	}

static void test_key_identity(void **state)
{
	const struct agg_key joined[] = {TEXT_KEY("助学/甲")};
	const struct agg_key parts[] = {TEXT_KEY("助学"), TEXT_KEY("甲")};
	const struct agg_key head[] = {TEXT_KEY("助学")};
	const struct agg_key tab1[] = {TEXT_KEY("a\tb"), TEXT_KEY("c")};
	const struct agg_key tab2[] = {TEXT_KEY("a"), TEXT_KEY("b\tc")};
	const struct agg_key len1[] = {TEXT_KEY("1:x"), TEXT_KEY("")};
	const struct agg_key len2[] = {TEXT_KEY(""), TEXT_KEY("1:x")};
	const struct agg_key unfilled[] = {
	    {.kind = AGG_KEY_UNFILLED, .text = (char *)"未填写", .len = 9}};
	const struct agg_key literal[] = {TEXT_KEY("未填写")};
	const struct agg_key mar21[] = {
	    {.kind = AGG_KEY_MONTH, .text = (char *)"2021-03", .len = 7, .pos = 3}};
	const struct agg_key mar20[] = {
	    {.kind = AGG_KEY_MONTH, .text = (char *)"2020-03", .len = 7, .pos = 3}};
	const struct agg_key ym21[] = {
	    {.kind = AGG_KEY_YEARMONTH, .text = (char *)"2021-03", .len = 7}};
	const struct agg_key ym20[] = {
	    {.kind = AGG_KEY_YEARMONTH, .text = (char *)"2020-03", .len = 7}};
	const struct agg_key txt21[] = {TEXT_KEY("2021-03")};

	(void)state;
	assert_false(same_key(joined, 1, parts, 2));
	assert_false(same_key(joined, 1, head, 1));
	assert_false(same_key(tab1, 2, tab2, 2));
	assert_false(same_key(len1, 2, len2, 2));
	assert_false(same_key(unfilled, 1, literal, 1));
	assert_true(same_key(mar21, 1, mar20, 1));
	assert_false(same_key(ym21, 1, ym20, 1));
	assert_false(same_key(txt21, 1, mar21, 1));
	assert_true(same_key(joined, 1, joined, 1));
}

/* agg_group_find by the parts of every group of a two-column series. */
static void test_group_find(void **state)
{
	size_t r;
	const struct agg_value *v;
	const struct agg_key none[] = {TEXT_KEY("广安区/城市低保")};

	(void)state;
	A = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
	r = add("relief.rows by 区县, 救助类别");
	run_all();
	v = value_of(r);
	for (size_t g = 0; g < v->ngroups; g++)
		assert_int_equal(agg_group_find(v, v->groups[g].part, 2), (long)g);
	assert_int_equal(agg_group_find(v, none, 1), -1);
}

/* Two values are the same figure: presence, value, groups, keys. */
static void assert_same_value(const struct agg_value *x, const struct agg_value *y)
{
	assert_int_equal(x->present, y->present);
	assert_int_equal(x->empty, y->empty);
	assert_int_equal(x->value, y->value);
	assert_int_equal(x->ngroups, y->ngroups);
	for (size_t g = 0; g < x->ngroups; g++) {
		assert_int_equal(x->groups[g].value, y->groups[g].value);
		assert_int_equal(x->groups[g].empty, y->groups[g].empty);
		assert_int_equal(x->groups[g].nparts, y->groups[g].nparts);
		for (size_t p = 0; p < x->groups[g].nparts; p++)
			assert_string_equal(x->groups[g].part[p].text, y->groups[g].part[p].text);
	}
}

/*
 * Rows counted in shards and merged give the figures of one pass: a
 * household (户号 H1: persons 0 and 1) and a town counted in two shards
 * are one, text groups from several shards are one group each, an integer
 * column's distinct values (u64 dictionaries) too.
 */
static void test_shards_merge(void **state)
{
	static const char *const exprs[] = {
	    "relief.persons",
	    "relief.households",
	    "relief.rows",
	    "relief.amount",
	    "relief.households by 区县",
	    "relief.persons by 区县, 救助类别",
	    "relief.distinct(乡镇(街道))",
	    "relief.amount by 乡镇(街道)",
	    "relief.households by 乡镇(街道)",
	    "relief.persons by 发放年月",
	    "relief.persons@prev",
	    "relief.amount@prev by 区县",
	    "relief.persons[纳入日期=2021]",
	    "elderly.amount by 区县",
	    "elderly.distinct(受益人数)",
	    "elderly.sum(数量) by 项目类型",
	    "elderly.rows",
	};
	size_t ids[ARRAY_SIZE(exprs)];

	(void)state;
	for (unsigned n = 1; n <= 5; n++) {
		struct agg *one = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
		struct agg *split;

		A = one;
		for (size_t i = 0; i < ARRAY_SIZE(exprs); i++)
			ids[i] = add(exprs[i]);
		feed_relief(one);
		feed_elderly(one);
		agg_finish(one);
		A = split = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
		for (size_t i = 0; i < ARRAY_SIZE(exprs); i++)
			assert_int_equal(add(exprs[i]), ids[i]);
		agg_shards(split, n);
		feed_relief_to(split, n);
		feed_elderly_to(split, n);
		agg_finish(split);
		assert_null(agg_overflow(split));
		for (size_t i = 0; i < ARRAY_SIZE(exprs); i++)
			assert_same_value(agg_value(one, ids[i]), agg_value(split, ids[i]));
		assert_int_equal(agg_rows(split, (size_t)(relief - schema.sets), COMPARE_NONE), 6);
		agg_free(one);
		agg_free(split);
		A = NULL;
	}
}

/*
 * A sum is checked once, whole: partial sums past int64 (in one pass or in
 * a shard) that come back give the exact figure, and a total past int64 is
 * an overflow however the rows were split.
 */
static void test_sums_exact_whatever_the_split(void **state)
{
	static const int64_t fen[] = {INT64_MAX, INT64_MAX, -INT64_MAX, 0};

	(void)state;
	for (int past = 0; past < 2; past++)
		for (unsigned n = 0; n <= 3; n++) {
			size_t id;

			A = agg_new(&schema, &(struct period){(YEAR)*12, (YEAR)*12 + 11});
			id = add("elderly.amount");
			if (n > 0)
				agg_shards(A, n);
			for (size_t i = 0; i < ARRAY_SIZE(fen); i++) {
				struct rowbuf b;

				rb_init(&b, elderly, WINDOW_CUR, UINT32_MAX);
				rb_enum(&b, "项目类型", "养老驿站");
				rb_enum(&b, "区县", "广安区");
				rb_set(&b, "资金(元)", i == 3 ? past : fen[i]);
				rb_set(&b, "日期", 20210101);
				row_to(A, n, i, elderly, &b.row);
			}
			agg_finish(A);
			if (past) {
				assert_non_null(agg_overflow(A));
			} else {
				assert_null(agg_overflow(A));
				assert_int_equal(value_of(id)->value, INT64_MAX);
			}
			agg_free(A);
			A = NULL;
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_single_figures, cleanup),
	    cmocka_unit_test_teardown(test_by_enum, cleanup),
	    cmocka_unit_test_teardown(test_by_month, cleanup),
	    cmocka_unit_test_teardown(test_by_two_columns, cleanup),
	    cmocka_unit_test_teardown(test_by_text, cleanup),
	    cmocka_unit_test(test_key_identity),
	    cmocka_unit_test_teardown(test_group_find, cleanup),
	    cmocka_unit_test_teardown(test_prev, cleanup),
	    cmocka_unit_test_teardown(test_each_add_is_a_figure, cleanup),
	    cmocka_unit_test_teardown(test_prev_base_in_area, cleanup),
	    cmocka_unit_test_teardown(test_by_other_date_column, cleanup),
	    cmocka_unit_test_teardown(test_shards_merge, cleanup),
	    cmocka_unit_test_teardown(test_sums_exact_whatever_the_split, cleanup),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
