/*
 * template_block.c - ```chart and ```table blocks of a template: "key:
 * value" lines parsed and checked at load (keys, chart types, units,
 * formatters, colours, series grouping, table shapes).
 *
 * A block is checked as a whole and every problem reported with the file's
 * line and column; a block with a problem is dropped (the template then
 * fails to load anyway).  The figures of series, columns and cells go
 * through template_placeholder.c like any placeholder.
 *
 * Never: look at data (layout happens in template_layout.c after the scan).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "template_impl.h"
#include "util/xalloc.h"

struct keydef {
	const char *name;
	int id;
};

enum { CK_TYPE, CK_TITLE, CK_SERIES, CK_UNIT, CK_FORMAT, CK_SORT, CK_COLORS, CK_CATEGORY, CK_N };

static const struct keydef chart_keys[] = {
    {"type", CK_TYPE},     {"类型", CK_TYPE},      {"title", CK_TITLE}, {"标题", CK_TITLE},
    {"series", CK_SERIES}, {"系列", CK_SERIES},    {"unit", CK_UNIT},   {"单位", CK_UNIT},
    {"format", CK_FORMAT}, {"格式", CK_FORMAT},    {"sort", CK_SORT},   {"排序", CK_SORT},
    {"colors", CK_COLORS}, {"colours", CK_COLORS}, {"颜色", CK_COLORS}, {"category", CK_CATEGORY},
    {"分类", CK_CATEGORY},
};

enum {
	TK_TITLE,
	TK_ROWS,
	TK_COLUMN,
	TK_COLUMNS,
	TK_ROW,
	TK_FORMATS,
	TK_TOTAL,
	TK_NOTE,
	TK_SORT,
	TK_N
};

static const struct keydef table_keys[] = {
    {"title", TK_TITLE},   {"标题", TK_TITLE},  {"rows", TK_ROWS},       {"分组", TK_ROWS},
    {"column", TK_COLUMN}, {"列", TK_COLUMN},   {"columns", TK_COLUMNS}, {"表头", TK_COLUMNS},
    {"row", TK_ROW},       {"行", TK_ROW},      {"formats", TK_FORMATS}, {"format", TK_FORMATS},
    {"格式", TK_FORMATS},  {"total", TK_TOTAL}, {"合计", TK_TOTAL},      {"note", TK_NOTE},
    {"注", TK_NOTE},       {"sort", TK_SORT},   {"排序", TK_SORT},
};

/* What kind of block is being read, for lookups and messages. */
struct block_kind {
	const struct keydef *keys;
	size_t nkeys;
	const char *what;
	const char *list;
};

static const struct block_kind chart_block = {chart_keys,
					      sizeof(chart_keys) / sizeof(chart_keys[0]), "图表",
					      "type title series unit format sort colors category"};

static const struct block_kind table_block = {
    table_keys, sizeof(table_keys) / sizeof(table_keys[0]), "表格",
    "title rows column columns row formats total note sort"};

/* Room for the keys of either kind of block. */
#define KEYS_MAX 16
_Static_assert((int)CK_N <= KEYS_MAX && (int)TK_N <= KEYS_MAX, "KEYS_MAX too small");

struct kv {
	int key;
	char *value;
	struct tpl_pos pos;  /* of the value */
	struct tpl_pos kpos; /* of the key */
};

struct kvs {
	struct kv *v;
	size_t n, cap;
	const struct kv *one[KEYS_MAX]; /* single-valued keys */
};

/* ---- "key: value" lines ---- */

static int key_id(const struct block_kind *bk, const char *key)
{
	for (size_t i = 0; i < bk->nkeys; i++)
		if (strcasecmp(key, bk->keys[i].name) == 0)
			return bk->keys[i].id;
	return -1;
}

static void unknown_key(struct tpl_load *ld, const struct block_kind *bk, const char *key,
			struct tpl_pos at)
{
	const char *names[64];
	const char *hint;
	size_t n = bk->nkeys < 64 ? bk->nkeys : 64;

	for (size_t i = 0; i < n; i++)
		names[i] = bk->keys[i].name;
	hint = tpl_nearest(key, names, n);
	if (hint != NULL)
		tpl_diag(ld, at.line, at.column, "%s中未知的设置“%s”，是不是“%s”？", bk->what, key,
			 hint);
	else
		tpl_diag(ld, at.line, at.column, "%s中未知的设置“%s”，可用：%s", bk->what, key,
			 bk->list);
}

/* cmark strips a fence's indentation from its lines: find it again. */
static int base_column(const struct tpl_load *ld, int line, size_t litlen)
{
	size_t olen;
	const char *o = tpl_line(ld, line, &olen);

	return olen < litlen ? 1 : tpl_column(o, o + (olen - litlen));
}

static const char *find_colon(const char *p, const char *e)
{
	for (; p < e; p++)
		if (*p == ':' || (e - p >= 3 && strncmp(p, "：", 3) == 0))
			return p;
	return NULL;
}

static void kv_line(struct tpl_load *ld, const char *s, size_t len, int line,
		    const struct block_kind *bk, struct kvs *out)
{
	int base = base_column(ld, line, len);
	const char *e = s + len, *p = s, *colon = find_colon(s, e), *v;
	struct tpl_pos kpos;
	struct kv *kv;
	char *key;
	int id;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p == e || *p == '#')
		return;
	kpos = (struct tpl_pos){line, base + tpl_column(s, p) - 1};
	if (colon == NULL) {
		tpl_diag(ld, line, kpos.column, "%s中的每一行应写成“键: 值”，如 title: 标题",
			 bk->what);
		return;
	}
	key = tpl_trim(p, (size_t)(colon - p));
	id = key_id(bk, key);
	if (id < 0) {
		unknown_key(ld, bk, key, kpos);
		free(key);
		return;
	}
	free(key);
	v = colon + (*colon == ':' ? 1 : 3);
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	kv = &out->v[out->n++];
	kv->key = id;
	kv->value = tpl_trim(v, (size_t)(e - v));
	kv->pos = (struct tpl_pos){line, base + tpl_column(s, v) - 1};
	kv->kpos = kpos;
}

static void parse_lines(struct tpl_load *ld, const char *body, int fence_line,
			const struct block_kind *bk, struct kvs *out)
{
	int line = fence_line + 1;

	while (*body) {
		const char *e = strchr(body, '\n');

		if (e == NULL)
			e = body + strlen(body);
		kv_line(ld, body, (size_t)(e - body), line++, bk, out);
		body = *e ? e + 1 : e;
	}
}

/* Single-valued keys may appear once; multi-valued ones are skipped here. */
static void index_single(struct tpl_load *ld, struct kvs *kv, const int *multi, size_t nmulti)
{
	for (size_t i = 0; i < kv->n; i++) {
		bool is_multi = false;

		for (size_t m = 0; m < nmulti; m++)
			is_multi |= kv->v[i].key == multi[m];
		if (is_multi)
			continue;
		if (kv->one[kv->v[i].key] != NULL)
			tpl_diag(ld, kv->v[i].kpos.line, kv->v[i].kpos.column, "这一项设置了两次");
		else
			kv->one[kv->v[i].key] = &kv->v[i];
	}
}

static void kvs_release(struct kvs *kv)
{
	for (size_t i = 0; i < kv->n; i++)
		free(kv->v[i].value);
	free(kv->v);
}

static size_t sep_len(const char *p)
{
	return (unsigned char)*p < 0x80 ? 1 : 3;
}

/* Cells separated by "|" (or "｜"): pointers into v, NUL-free lengths. */
struct piece {
	const char *s;
	size_t len;
};

static size_t split_bars(const char *v, struct piece **out)
{
	size_t n = 0, cap = 0;
	const char *p = v, *bar;

	*out = NULL;
	for (;;) {
		bar = tpl_find_top(p, '|', "｜");
		*out = xgrow(*out, &cap, n + 1, sizeof(**out));
		(*out)[n].s = p;
		(*out)[n++].len = bar ? (size_t)(bar - p) : strlen(p);
		if (bar == NULL)
			return n;
		p = bar + sep_len(bar);
	}
}

/* Names, headers and labels: trimmed, with {year} replaced. */
static char *year_trim(const struct tpl_load *ld, const char *s, size_t len)
{
	char *t = tpl_trim(s, len), *y = tpl_replace_vars(ld->t, t);

	free(t);
	return y;
}

static struct tpl_pos at(struct tpl_pos pos, const char *value, const char *p)
{
	return (struct tpl_pos){pos.line, pos.column + tpl_column(value, p) - 1};
}

/* ---- charts ---- */

static const struct {
	const char *name;
	enum chart_type type;
} chart_types[] = {
    {"bar", CHART_BAR},
    {"柱状图", CHART_BAR},
    {"柱形图", CHART_BAR},
    {"hbar", CHART_HBAR},
    {"条形图", CHART_HBAR},
    {"stacked", CHART_STACKED},
    {"堆积柱状图", CHART_STACKED},
    {"堆积图", CHART_STACKED},
    {"line", CHART_LINE},
    {"折线图", CHART_LINE},
    {"pie", CHART_PIE},
    {"饼图", CHART_PIE},
    {"doughnut", CHART_DOUGHNUT},
    {"环形图", CHART_DOUGHNUT},
    {"圆环图", CHART_DOUGHNUT},
};

static void chart_type(struct tpl_load *ld, struct tpl_chart *c, const struct kv *kv)
{
	for (size_t i = 0; i < sizeof(chart_types) / sizeof(chart_types[0]); i++)
		if (strcasecmp(kv->value, chart_types[i].name) == 0) {
			c->type = chart_types[i].type;
			return;
		}
	tpl_diag(ld, kv->pos.line, kv->pos.column,
		 "未知的图表类型“%s”，可用：bar hbar stacked line pie doughnut"
		 "（柱状图 条形图 堆积柱状图 折线图 饼图 环形图）",
		 kv->value);
}

static int parse_sort(struct tpl_load *ld, const struct kv *kv, enum tpl_sort *sort)
{
	const char *v = kv->value;

	if (strcasecmp(v, "desc") == 0 || strcmp(v, "降序") == 0 || strcmp(v, "从大到小") == 0)
		*sort = SORT_DESC;
	else if (strcasecmp(v, "asc") == 0 || strcmp(v, "升序") == 0 || strcmp(v, "从小到大") == 0)
		*sort = SORT_ASC;
	else if (strcasecmp(v, "none") == 0 || strcmp(v, "不排序") == 0)
		*sort = SORT_NONE;
	else
		tpl_diag(ld, kv->pos.line, kv->pos.column,
			 "未知的排序“%s”，可用：desc（降序）asc（升序）none（不排序）", v);
	return 0;
}

static bool parse_hex(const char *s, size_t len, uint32_t *rgb)
{
	uint32_t v = 0;

	if (len > 0 && *s == '#') {
		s++;
		len--;
	}
	if (len != 6)
		return false;
	for (size_t i = 0; i < 6; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	/* 0 means "the renderer's palette": black is the nearest other colour */
	*rgb = v ? v : 0x010101;
	return true;
}

/* The length of a colour list separator at p: , ， 、 space or tab; else 0. */
static size_t color_sep(const char *p)
{
	if (*p == ',' || *p == ' ' || *p == '\t')
		return 1;
	if (strncmp(p, "，", 3) == 0 || strncmp(p, "、", 3) == 0)
		return 3;
	return 0;
}

static void parse_colors(struct tpl_load *ld, struct tpl_chart *c, const struct kv *kv)
{
	const char *p = kv->value;

	while (*p) {
		size_t len = 0;
		uint32_t rgb;

		if (color_sep(p) > 0) {
			p += color_sep(p);
			continue;
		}
		while (p[len] && color_sep(p + len) == 0)
			len++;
		if (!parse_hex(p, len, &rgb)) {
			tpl_diag(ld, kv->pos.line, at(kv->pos, kv->value, p).column,
				 "颜色“%.*s”无效，应写成 #1f4e79 这样的六位十六进制", (int)len, p);
			return;
		}
		c->colors = xrealloc(c->colors, (c->ncolors + 1) * sizeof(uint32_t));
		c->colors[c->ncolors++] = rgb;
		p += len;
	}
}

/* "低保金 = relief.amount[...] by 区县", or just the expression. */
static void chart_series(struct tpl_load *ld, struct tpl_chart *c, const struct kv *kv)
{
	const char *eq = tpl_find_top(kv->value, '=', "＝"), *expr = kv->value;
	char *name = NULL;
	size_t fig;

	if (eq != NULL) {
		name = year_trim(ld, kv->value, (size_t)(eq - kv->value));
		expr = eq + sep_len(eq);
		if (name[0] == '\0') {
			tpl_diag(ld, kv->pos.line, kv->pos.column,
				 "系列名不能为空：series: 名称 = 表达式");
			free(name);
			return;
		}
	}
	if (tpl_fig_parse(ld, PLACE_SERIES, expr, at(kv->pos, kv->value, expr), NULL, kv->pos,
			  &fig) != 0) {
		free(name);
		return;
	}
	c->series = xrealloc(c->series, (c->nseries + 1) * sizeof(*c->series));
	c->series[c->nseries].name = name;
	c->series[c->nseries++].fig = fig;
}

static void chart_format(struct tpl_load *ld, struct tpl_chart *c, const struct kv *kv)
{
	char err[512];

	if (tpl_format_parse(&c->fmt, kv->value, err, sizeof(err)) != 0) {
		tpl_diag(ld, kv->pos.line, kv->pos.column, "%s", err);
		return;
	}
	if (c->fmt.spec.kind == FMT_PCT || c->fmt.spec.kind == FMT_GROWTH ||
	    c->fmt.spec.kind == FMT_CHANGE) {
		tpl_diag(ld, kv->pos.line, kv->pos.column, "图表的数值标签不能用 %s 格式",
			 kv->value);
		return;
	}
	c->has_format = true;
}

static void chart_key(struct tpl_load *ld, struct tpl_chart *c, const struct kv *kv)
{
	switch (kv->key) {
	case CK_TYPE:
		chart_type(ld, c, kv);
		break;
	case CK_TITLE:
		c->title = tpl_replace_vars(ld->t, kv->value);
		break;
	case CK_SERIES:
		chart_series(ld, c, kv);
		break;
	case CK_FORMAT:
		chart_format(ld, c, kv);
		break;
	case CK_SORT:
		parse_sort(ld, kv, &c->sort);
		break;
	case CK_COLORS:
		parse_colors(ld, c, kv);
		break;
	case CK_CATEGORY:
		c->category = tpl_replace_vars(ld->t, kv->value);
		break;
	default:
		break; /* unit: after the series, which decide money or count */
	}
}

static const char *default_unit(const struct tpl_fig *f)
{
	if (f->unit == UNIT_FEN)
		return "万元";
	switch (f->measure) {
	case MEASURE_PERSONS:
		return "人";
	case MEASURE_ROWS:
		return "人次";
	case MEASURE_HOUSEHOLDS:
		return "户";
	default:
		return "";
	}
}

/* The axis unit: 元 万元 亿元 for money, 人 万人 户 个 ... for counts. */
static void chart_unit(struct tpl_load *ld, struct tpl_chart *c, const struct kv *kv)
{
	const struct tpl_fig *f = &ld->t->figs[c->series[0].fig];
	const char *u = kv ? kv->value : default_unit(f);

	c->unit = f->unit;
	c->unit_label = xstrdup(u);
	if (kv == NULL && *u == '\0') {
		/* 数量 or 受益人数 summed: only the officer knows what it counts */
		const struct query *q = tpl_expr_query(ld->t, f->qa);

		tpl_diag(
		    ld, f->line, f->column,
		    "这个图表的单位无法从数据得出（它合计或去重计数的是“%s”一列）：请写 unit:，如 "
		    "unit: 个",
		    q->col >= 0 ? q->ds->cols[q->col].name : "");
		return;
	}
	if (strncmp(u, "万", 3) == 0 && u[3] != '\0')
		c->scale = 10000;
	else if (strncmp(u, "亿", 3) == 0 && u[3] != '\0')
		c->scale = 100000000;
	if (kv == NULL)
		return;
	if (f->unit == UNIT_FEN && strcmp(u, "元") != 0 && strcmp(u, "万元") != 0 &&
	    strcmp(u, "亿元") != 0)
		tpl_diag(ld, kv->pos.line, kv->pos.column,
			 "金额图表的单位应为“元”“万元”或“亿元”，不是“%s”", u);
	else if (f->unit == UNIT_COUNT && strstr(u, "元") != NULL)
		tpl_diag(ld, kv->pos.line, kv->pos.column,
			 "这个图表画的是人数或数量，单位不能是“%s”", u);
}

/* Value labels in the axis unit: 万:1 on a 万元 chart, not on a 亿元 one. */
static void check_label_format(struct tpl_load *ld, const struct tpl_chart *c, const struct kv *kv)
{
	enum format_kind k = c->fmt.spec.kind;
	int64_t want = k == FMT_WAN ? 10000 : k == FMT_YI ? 100000000 : 1;

	if (!c->has_format || k == FMT_AUTO || k == FMT_ABOUT || want == c->scale)
		return;
	tpl_diag(ld, kv->pos.line, kv->pos.column, "数值标签格式“%s”与图表单位“%s”不一致",
		 kv->value, c->unit_label);
}

/*
 * Two count series count the same thing (persons, households, rows, or the
 * same column summed or counted): one value axis, one unit per data column.
 */
static bool same_count(const struct template *t, const struct tpl_fig *a, const struct tpl_fig *b)
{
	if (a->unit == UNIT_FEN)
		return true; /* money: all in 元 */
	if (a->measure != b->measure)
		return false;
	if (a->measure != MEASURE_SUM && a->measure != MEASURE_DISTINCT)
		return true;
	return tpl_expr_query(t, a->qa)->col == tpl_expr_query(t, b->qa)->col;
}

static void check_series(struct tpl_load *ld, const struct tpl_chart *c)
{
	const struct tpl_fig *f0 = &ld->t->figs[c->series[0].fig];

	for (size_t i = 1; i < c->nseries; i++) {
		const struct tpl_fig *f = &ld->t->figs[c->series[i].fig];

		if (strcmp(f->by_names, f0->by_names) != 0)
			tpl_diag(
			    ld, f->line, f->column,
			    "同一图表的系列必须按相同的列分组：第一个系列按“%s”，这个系列按“%s”",
			    f0->by_names, f->by_names);
		else if (f->unit != f0->unit)
			tpl_diag(ld, f->line, f->column,
				 "同一图表的系列单位必须相同（不能把金额和人数画在一起）");
		else if (!same_count(ld->t, f, f0))
			tpl_diag(ld, f->line, f->column,
				 "同一图表的系列单位必须相同（不能把人数和户数、人次或别的数量画在"
				 "一起）："
				 "一个数值轴、一张数据表的一列只有一个单位");
	}
	if ((c->type == CHART_PIE || c->type == CHART_DOUGHNUT) && (c->nseries > 1 || f0->nby > 1))
		tpl_diag(ld, f0->line, f0->column, "饼图和环形图只能有一个系列，且只按一列分组");
}

static void chart_check(struct tpl_load *ld, struct tpl_chart *c, const struct kvs *kv,
			size_t nlines, int line)
{
	if (c->title == NULL)
		tpl_diag(ld, line, 1, "图表缺少 title（标题）");
	if (nlines == 0)
		tpl_diag(ld, line, 1,
			 "图表缺少 series（系列），如 series: 低保金 = relief.amount by 区县");
	if (c->nseries == 0)
		return;
	check_series(ld, c);
	chart_unit(ld, c, kv->one[CK_UNIT]);
	if (kv->one[CK_FORMAT] != NULL)
		check_label_format(ld, c, kv->one[CK_FORMAT]);
	if (c->category == NULL) {
		const char *by = ld->t->figs[c->series[0].fig].by_names;

		c->category = xstrndup(by, strcspn(by, ","));
	}
}

struct tpl_chart *tpl_chart_parse(struct tpl_load *ld, const char *body, int line)
{
	static const int multi[] = {CK_SERIES};
	struct kvs kv = {0};
	struct tpl_chart *c = xcalloc(1, sizeof(*c));
	size_t before = ld->ndiags, nseries = 0;

	c->type = CHART_BAR;
	c->scale = 1;
	parse_lines(ld, body, line, &chart_block, &kv);
	index_single(ld, &kv, multi, 1);
	for (size_t i = 0; i < kv.n; i++) {
		nseries += kv.v[i].key == CK_SERIES;
		chart_key(ld, c, &kv.v[i]);
	}
	chart_check(ld, c, &kv, nseries, line);
	kvs_release(&kv);
	if (ld->ndiags > before) {
		tpl_chart_free(c);
		return NULL;
	}
	return c;
}

void tpl_chart_free(struct tpl_chart *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nseries; i++)
		free(c->series[i].name);
	free(c->series);
	free(c->colors);
	free(c->title);
	free(c->unit_label);
	free(c->category);
	free(c);
}

/* ---- tables ---- */

static void add_column(struct tpl_table *tb, char *head, size_t fig)
{
	tb->header = xrealloc(tb->header, (tb->ncols + 1) * sizeof(char *));
	tb->colfig = xrealloc(tb->colfig, (tb->ncols + 1) * sizeof(size_t));
	tb->header[tb->ncols] = head;
	tb->colfig[tb->ncols++] = fig;
}

/* "保障人数(人) = relief.persons[...] by 区县 | thousands" */
static void grouped_column(struct tpl_load *ld, struct tpl_table *tb, const struct kv *kv)
{
	const char *eq = tpl_find_top(kv->value, '=', "＝"), *expr, *bar;
	char *head, *e, *fmt = NULL;
	struct tpl_pos fpos = kv->pos;
	size_t fig;

	if (eq == NULL) {
		tpl_diag(
		    ld, kv->pos.line, kv->pos.column,
		    "column 应写成“列名 = 表达式 | 格式”，如 人数（人） = relief.persons by 区县 | "
		    "thousands");
		return;
	}
	head = year_trim(ld, kv->value, (size_t)(eq - kv->value));
	expr = eq + sep_len(eq);
	bar = tpl_find_top(expr, '|', "｜");
	e = xstrndup(expr, bar ? (size_t)(bar - expr) : strlen(expr));
	if (bar != NULL) {
		fmt = xstrdup(bar + sep_len(bar));
		fpos = at(kv->pos, kv->value, bar + sep_len(bar));
	}
	if (head[0] == '\0') {
		tpl_diag(ld, kv->pos.line, kv->pos.column, "column 的列名不能为空");
		free(head);
	} else if (tpl_fig_parse(ld, PLACE_COLUMN, e, at(kv->pos, kv->value, expr), fmt, fpos,
				 &fig) == 0) {
		add_column(tb, head, fig);
	} else {
		free(head);
	}
	free(e);
	free(fmt);
}

static void grouped_table(struct tpl_load *ld, struct tpl_table *tb, const struct kvs *kv, int line)
{
	const struct kv *rows = kv->one[TK_ROWS];

	tb->kind = TABLE_GROUPED;
	if (rows == NULL) {
		tpl_diag(ld, line, 1, "按列分组的表格需要 rows（分组的列），如 rows: 区县");
		return;
	}
	if (kv->one[TK_FORMATS] != NULL)
		tpl_diag(
		    ld, kv->one[TK_FORMATS]->kpos.line, kv->one[TK_FORMATS]->kpos.column,
		    "formats 只用于 columns + row 的表格；按列分组时把格式写在 column 的“|”后");
	/* rows: $sub groups by the report's next area level (区县, or 乡镇(街道)) */
	ld->rows_by =
	    strcmp(rows->value, "$sub") == 0 && ld->t->sub_name ? ld->t->sub_name : rows->value;
	add_column(tb, xstrdup(ld->rows_by), 0);
	for (size_t i = 0; i < kv->n; i++)
		if (kv->v[i].key == TK_COLUMN)
			grouped_column(ld, tb, &kv->v[i]);
	ld->rows_by = NULL;
	if (tb->ncols < 2)
		tpl_diag(ld, line, 1, "表格至少需要一个 column");
}

/* The formatters of a listed table's number columns, checked once. */
static char **listed_formats(struct tpl_load *ld, const struct kv *kv, size_t ncols,
			     struct tpl_pos **fpos)
{
	char **fmts = xcalloc(ncols, sizeof(char *));
	struct piece *pc;
	size_t n;

	*fpos = xcalloc(ncols, sizeof(**fpos));
	if (kv == NULL)
		return fmts;
	n = split_bars(kv->value, &pc);
	if (n > ncols - 1)
		tpl_diag(ld, kv->pos.line, kv->pos.column,
			 "formats 有 %zu 个格式，但只有 %zu 个数字列（第一列是行名，不要格式）", n,
			 ncols - 1);
	for (size_t i = 0; i < n && i + 1 < ncols; i++) {
		struct tpl_format f;
		char err[512], *s = tpl_trim(pc[i].s, pc[i].len);

		(*fpos)[i + 1] = at(kv->pos, kv->value, pc[i].s);
		if (s[0] != '\0' && tpl_format_parse(&f, s, err, sizeof(err)) != 0)
			tpl_diag(ld, kv->pos.line, (*fpos)[i + 1].column, "%s", err);
		else if (s[0] != '\0')
			fmts[i + 1] = xstrdup(s);
		free(s);
	}
	free(pc);
	return fmts;
}

static bool is_empty_cell(const char *s)
{
	return s[0] == '\0' || strcmp(s, "-") == 0 || strcmp(s, "—") == 0;
}

static void listed_cell(struct tpl_load *ld, struct tpl_cell *cell, const struct kv *kv,
			const struct piece *pc, const char *fmt, struct tpl_pos fpos)
{
	char *s = tpl_trim(pc->s, pc->len), *raw = xstrndup(pc->s, pc->len);

	if (is_empty_cell(s))
		cell->kind = CELL_EMPTY;
	else if (tpl_fig_parse(ld, PLACE_CELL, raw, at(kv->pos, kv->value, pc->s), fmt, fpos,
			       &cell->fig) == 0)
		cell->kind = CELL_FIG;
	free(s);
	free(raw);
}

/* A row "label | expr | expr" (or the totals "合计 | expr | expr"). */
static bool listed_row(struct tpl_load *ld, struct tpl_table *tb, const struct kv *kv, char **fmts,
		       const struct tpl_pos *fpos, struct tpl_cell *cells)
{
	struct piece *pc;
	size_t n = split_bars(kv->value, &pc);

	if (n != tb->ncols) {
		tpl_diag(ld, kv->pos.line, kv->pos.column, "这一行有 %zu 格，但表头有 %zu 列", n,
			 tb->ncols);
		free(pc);
		return false;
	}
	cells[0].kind = CELL_TEXT;
	cells[0].text = year_trim(ld, pc[0].s, pc[0].len);
	for (size_t c = 1; c < n; c++)
		listed_cell(ld, &cells[c], kv, &pc[c], fmts[c], fpos[c]);
	free(pc);
	return true;
}

static void listed_total(struct tpl_load *ld, struct tpl_table *tb, const struct kv *kv,
			 char **fmts, const struct tpl_pos *fpos)
{
	if (tpl_find_top(kv->value, '|', "｜") == NULL) {
		tb->total = tpl_replace_vars(ld->t, kv->value);
		return;
	}
	tb->totals = xcalloc(tb->ncols, sizeof(*tb->totals));
	if (listed_row(ld, tb, kv, fmts, fpos, tb->totals))
		tb->total = xstrdup(tb->totals[0].text);
}

static void listed_header(struct tpl_load *ld, struct tpl_table *tb, const char *value)
{
	struct piece *pc;

	tb->ncols = split_bars(value, &pc);
	tb->header = xcalloc(tb->ncols, sizeof(char *));
	for (size_t c = 0; c < tb->ncols; c++)
		tb->header[c] = year_trim(ld, pc[c].s, pc[c].len);
	free(pc);
}

static void listed_table(struct tpl_load *ld, struct tpl_table *tb, const struct kvs *kv, int line)
{
	struct tpl_pos *fpos;
	char **fmts;

	tb->kind = TABLE_LISTED;
	if (kv->one[TK_COLUMNS] == NULL) {
		tpl_diag(ld, line, 1,
			 "逐行列出的表格需要 columns（表头），如 columns: 项目 | 人数（人）");
		return;
	}
	listed_header(ld, tb, kv->one[TK_COLUMNS]->value);
	if (tb->ncols < 2) {
		tpl_diag(ld, kv->one[TK_COLUMNS]->pos.line, kv->one[TK_COLUMNS]->pos.column,
			 "columns 至少需要两列，用“|”分开");
		return;
	}
	fmts = listed_formats(ld, kv->one[TK_FORMATS], tb->ncols, &fpos);
	for (size_t i = 0; i < kv->n; i++) {
		if (kv->v[i].key != TK_ROW)
			continue;
		tb->cells = xrealloc(tb->cells, (tb->nrows + 1) * tb->ncols * sizeof(*tb->cells));
		memset(tb->cells + tb->nrows * tb->ncols, 0, tb->ncols * sizeof(*tb->cells));
		if (listed_row(ld, tb, &kv->v[i], fmts, fpos, tb->cells + tb->nrows * tb->ncols))
			tb->nrows++;
		else
			for (size_t c = 0; c < tb->ncols; c++)
				tpl_cell_release(&tb->cells[tb->nrows * tb->ncols + c]);
	}
	if (kv->one[TK_TOTAL] != NULL)
		listed_total(ld, tb, kv->one[TK_TOTAL], fmts, fpos);
	if (tb->nrows == 0)
		tpl_diag(ld, line, 1, "表格至少需要一行 row");
	for (size_t c = 0; c < tb->ncols; c++)
		free(fmts[c]);
	free(fmts);
	free(fpos);
}

static void table_shape(struct tpl_load *ld, struct tpl_table *tb, const struct kvs *kv, int line)
{
	bool grouped = kv->one[TK_ROWS] != NULL, listed = kv->one[TK_COLUMNS] != NULL;

	for (size_t i = 0; i < kv->n; i++) {
		grouped |= kv->v[i].key == TK_COLUMN;
		listed |= kv->v[i].key == TK_ROW;
	}
	if (grouped && listed)
		tpl_diag(
		    ld, line, 1,
		    "表格只能用一种写法：rows + column（按列分组）或 columns + row（逐行列出）");
	else if (grouped)
		grouped_table(ld, tb, kv, line);
	else if (listed)
		listed_table(ld, tb, kv, line);
	else
		tpl_diag(ld, line, 1,
			 "表格需要 rows + column（按列分组）或 columns + row（逐行列出）");
}

struct tpl_table *tpl_table_parse(struct tpl_load *ld, const char *body, int line)
{
	static const int multi[] = {TK_COLUMN, TK_ROW};
	struct kvs kv = {0};
	struct tpl_table *tb = xcalloc(1, sizeof(*tb));
	size_t before = ld->ndiags;

	parse_lines(ld, body, line, &table_block, &kv);
	index_single(ld, &kv, multi, 2);
	if (kv.one[TK_TITLE] != NULL)
		tb->title = tpl_replace_vars(ld->t, kv.one[TK_TITLE]->value);
	else
		tpl_diag(ld, line, 1, "表格缺少 title（标题）");
	if (kv.one[TK_NOTE] != NULL)
		tb->note = tpl_replace_vars(ld->t, kv.one[TK_NOTE]->value);
	if (kv.one[TK_SORT] != NULL)
		parse_sort(ld, kv.one[TK_SORT], &tb->sort);
	table_shape(ld, tb, &kv, line);
	if (tb->kind == TABLE_GROUPED && kv.one[TK_TOTAL] != NULL)
		tb->total = tpl_replace_vars(ld->t, kv.one[TK_TOTAL]->value);
	kvs_release(&kv);
	if (ld->ndiags > before) {
		tpl_table_free(tb);
		return NULL;
	}
	return tb;
}

void tpl_cell_release(struct tpl_cell *c)
{
	free(c->text);
	tpl_text_release(&c->rich);
	memset(c, 0, sizeof(*c));
}

void tpl_table_free(struct tpl_table *tb)
{
	if (tb == NULL)
		return;
	for (size_t c = 0; c < tb->ncols; c++) {
		if (tb->header != NULL)
			free(tb->header[c]);
		if (tb->hcells != NULL)
			tpl_cell_release(&tb->hcells[c]);
		if (tb->totals != NULL)
			tpl_cell_release(&tb->totals[c]);
	}
	for (size_t i = 0; i < tb->nrows * tb->ncols; i++)
		tpl_cell_release(&tb->cells[i]);
	free(tb->header);
	free(tb->hcells);
	free(tb->colfig);
	free(tb->cells);
	free(tb->totals);
	free(tb->title);
	free(tb->note);
	free(tb->total);
	free(tb);
}
