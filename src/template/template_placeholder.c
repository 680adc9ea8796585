/*
 * template_placeholder.c - figures of a template: {{ expression | formatter }}
 * placeholders in the text, and the expressions of chart series and table
 * columns and cells, parsed and checked at load.
 *
 * Placeholders are found in the Markdown source before cmark parses it (so a
 * "[" in an expression is never taken for a link) and replaced by a marker,
 * U+E000 <figure index> U+E001, which cmark passes through as text.  Every
 * expression is checked where the officer wrote it: a diagnostic names the
 * file's line and the column inside the placeholder.
 *
 * Never: evaluate anything here (template_figure.c does, after the scan).
 * Each expression, once parsed and checked, goes to template_expr.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_impl.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- formatters ---- */

int tpl_format_parse(struct tpl_format *f, const char *text, char *err, size_t errlen)
{
	char *t = tpl_trim(text, strlen(text));
	int rc;

	memset(f, 0, sizeof(*f));
	/* 万元:N and 亿元:N: the number in that unit, the header says which */
	if (strncmp(t, "万元", 6) == 0 || strncmp(t, "亿元", 6) == 0) {
		char *plain = xasprintf("%.3s%s", t, t + 6);

		rc = format_parse(&f->spec, plain, NULL, 0);
		f->bare = true;
		if (rc != 0 && err != NULL)
			snprintf(err, errlen, "格式“%s”无效，应写成 %s:N，N 为 0 到 %d 的小数位数",
				 t, strncmp(t, "万", 3) == 0 ? "万元" : "亿元", FORMAT_MAX_DIGITS);
		free(plain);
	} else {
		rc = format_parse(&f->spec, t, err, errlen);
		if (rc != 0 && err != NULL && strncmp(err, "未知的格式", 15) == 0) {
			size_t n = strlen(err);

			snprintf(err + n, errlen - n, "（表格、图表中还可用 万元:N、亿元:N）");
		}
	}
	free(t);
	return rc;
}

/* ---- spans of text with markers ---- */

void tpl_text_add(struct tpl_text *tx, enum span_kind kind, unsigned flags, const char *s,
		  size_t len, size_t fig)
{
	struct tpl_span *last = tx->nspans ? &tx->spans[tx->nspans - 1] : NULL;

	if (kind == SPAN_TEXT && len == 0)
		return;
	if (kind == SPAN_TEXT && last != NULL && last->kind == SPAN_TEXT && last->flags == flags) {
		size_t n = strlen(last->text);

		last->text = xrealloc(last->text, n + len + 1);
		memcpy(last->text + n, s, len);
		last->text[n + len] = '\0';
		return;
	}
	tx->spans = xgrow(tx->spans, &tx->cap, tx->nspans + 1, sizeof(*tx->spans));
	last = &tx->spans[tx->nspans++];
	last->kind = kind;
	last->flags = flags;
	last->text = kind == SPAN_TEXT ? xstrndup(s, len) : NULL;
	last->fig = fig;
}

/* The figure index of a marker at s, its length in *mlen; -1 if not one. */
static long marker_at(const char *s, const char *e, size_t *mlen)
{
	const char *p = s + TPL_MARK_LEN;
	long n = 0;

	if (e - s < 2 * TPL_MARK_LEN + 1 || memcmp(s, TPL_MARK_OPEN, TPL_MARK_LEN) != 0)
		return -1;
	if (p >= e || *p < '0' || *p > '9')
		return -1;
	while (p < e && *p >= '0' && *p <= '9' && n < 100000000)
		n = n * 10 + (*p++ - '0');
	if (e - p < TPL_MARK_LEN || memcmp(p, TPL_MARK_CLOSE, TPL_MARK_LEN) != 0)
		return -1;
	*mlen = (size_t)(p + TPL_MARK_LEN - s);
	return n;
}

void tpl_text_marked(struct tpl_text *tx, const char *s, size_t len, unsigned flags)
{
	const char *e = s + len, *start = s;

	while (s < e) {
		size_t mlen;
		long fig = marker_at(s, e, &mlen);

		if (fig < 0) {
			s++;
			continue;
		}
		tpl_text_add(tx, SPAN_TEXT, flags, start, (size_t)(s - start), 0);
		tpl_text_add(tx, SPAN_FIGURE, flags, NULL, 0, (size_t)fig);
		s += mlen;
		start = s;
	}
	tpl_text_add(tx, SPAN_TEXT, flags, start, (size_t)(s - start), 0);
}

void tpl_text_release(struct tpl_text *tx)
{
	for (size_t i = 0; i < tx->nspans; i++)
		free(tx->spans[i].text);
	free(tx->spans);
	memset(tx, 0, sizeof(*tx));
}

void tpl_fig_release(struct tpl_fig *f)
{
	free(f->expr);
	free(f->format);
	free(f->by_names);
	free(f->unit_name);
}

/* ---- expressions ---- */

/* What a parsed side of a figure says about itself. */
struct side {
	size_t expr; /* the registered expression, TPL_NO_EXPR until parsed */
	enum unit unit;
	enum measure measure;
	size_t ds_index;
	size_t nby;
	enum query_compare compare;
	char *by_names;
	const char *unit_name; /* tpl_query_unit(): static text or NULL */
	bool unit_loose;
};

static void side_release(struct side *sd)
{
	free(sd->by_names);
}

/* text with "$sub" (the report's next area level, by $sub) named; malloc'd. */
static char *name_sub(const struct template *t, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *at;

	while ((at = strstr(text, "$sub")) != NULL) {
		strbuf_add(&sb, text, (size_t)(at - text));
		strbuf_addstr(&sb, t->sub_name);
		text = at + 4;
	}
	strbuf_addstr(&sb, text);
	return strbuf_detach(&sb, NULL);
}

static int parse_query(struct tpl_load *ld, const char *text, struct tpl_pos pos, struct query *q)
{
	struct template *t = ld->t;
	struct query_error err;
	char *named = NULL;

	if (strstr(text, "$sub") != NULL) {
		if (t->sub_name == NULL) {
			tpl_diag(
			    ld, pos.line, pos.column,
			    "$sub 是下一级地区，但 schema.ini 没有 [areas] levels（如 levels = "
			    "区县, 乡镇(街道)）");
			return -1;
		}
		text = named = name_sub(t, text);
	}
	if (query_parse(q, t->schema, text, &t->period, &err) != 0) {
		/* columns after a named $sub are off by the name's length: the start is right */
		tpl_diag(ld, pos.line, pos.column + (named ? 0 : (int)err.column - 1), "%s",
			 err.message);
		free(named);
		return -1;
	}
	free(named);
	/* the report's area (--where, --each): every figure is of that area only */
	for (size_t i = 0; i < t->nwhere; i++)
		if (query_restrict(q, t->schema, t->where[i], &t->period, &err) != 0) {
			/* a dataset without the column: said once, at its first figure */
			uint64_t bit = q->ds_index < 64 ? 1ull << q->ds_index : 0;
			if (!(ld->where_said & bit))
				tpl_diag(ld, pos.line, pos.column, "%s（此处及该数据集的其他数字）",
					 err.message);
			ld->where_said |= bit;
			query_release(q);
			return -1;
		}
	return 0;
}

static void side_from(struct side *sd, const struct query *q)
{
	sd->unit = q->unit;
	sd->measure = q->measure;
	sd->ds_index = q->ds_index;
	sd->nby = q->nby;
	sd->compare = q->compare;
	sd->unit_name = tpl_query_unit(q, &sd->unit_loose);
	sd->by_names = NULL;
	if (q->nby == 1)
		sd->by_names = xstrdup(q->ds->cols[q->by[0]].name);
	else if (q->nby == 2)
		sd->by_names =
		    xasprintf("%s,%s", q->ds->cols[q->by[0]].name, q->ds->cols[q->by[1]].name);
}

/* The rows' column of a grouped table in q's dataset, or -1 (reported). */
static int rows_column(struct tpl_load *ld, const struct query *q, struct tpl_pos pos)
{
	int rc = dataset_column(q->ds, ld->rows_by);

	if (rc < 0)
		tpl_diag(ld, pos.line, pos.column, "数据集 %s 没有列“%s”，不能按表格的 rows 分组",
			 q->ds->name, ld->rows_by);
	return rc;
}

/* A column of a grouped table without "by" is grouped by the rows' column. */
static int rows_append(struct tpl_load *ld, struct query *q, struct tpl_pos pos)
{
	char *text;
	int r;

	if (q->nby > 0 || rows_column(ld, q, pos) < 0)
		return q->nby > 0 ? 0 : -1;
	text = xasprintf("%s by %s", q->text, ld->rows_by);
	query_release(q);
	r = parse_query(ld, text, pos, q);
	free(text);
	return r;
}

/* A column of a grouped table must be grouped by exactly the rows' column. */
static int rows_check(struct tpl_load *ld, const struct query *q, struct tpl_pos pos)
{
	int rc = rows_column(ld, q, pos);

	if (rc < 0)
		return -1;
	if (q->nby == 1 && q->by[0] == rc)
		return 0;
	tpl_diag(ld, pos.line, pos.column, "表格的列必须按 rows 的列“%s”分组，这里是按“%s%s%s”分组",
		 q->ds->cols[rc].name, q->ds->cols[q->by[0]].name, q->nby > 1 ? "," : "",
		 q->nby > 1 ? q->ds->cols[q->by[1]].name : "");
	return -1;
}

static int check_place(struct tpl_load *ld, enum fig_place place, const struct query *q,
		       struct tpl_pos pos, bool denominator)
{
	switch (place) {
	case PLACE_TEXT:
		if (!query_grouped(q))
			return 0;
		tpl_diag(ld, pos.line, pos.column,
			 "文中的数字不能是分组序列（去掉“by …”；分组序列只能用在图表的 series "
			 "和表格的 column 中）");
		return -1;
	case PLACE_CELL:
		if (!query_grouped(q))
			return 0;
		tpl_diag(ld, pos.line, pos.column,
			 "表格单元格中的数字不能是分组序列（去掉“by …”，或改用 rows + column）");
		return -1;
	case PLACE_SERIES:
		if (query_grouped(q))
			return 0;
		tpl_diag(ld, pos.line, pos.column,
			 "图表的系列必须是分组序列，如 relief.amount[救助类别=城市低保] by 区县");
		return -1;
	case PLACE_COLUMN:
		/* a share of the total: the denominator may be a single number */
		if (denominator && !query_grouped(q))
			return 0;
		return rows_check(ld, q, pos);
	}
	return 0;
}

/* Parse one side (A or B) of a figure at pos and check it fits place. */
static int parse_side(struct tpl_load *ld, enum fig_place place, const char *text,
		      struct tpl_pos pos, bool denominator, struct side *sd)
{
	struct query q;
	int rc;

	memset(sd, 0, sizeof(*sd));
	sd->expr = TPL_NO_EXPR;
	if (parse_query(ld, text, pos, &q) != 0)
		return -1;
	rc = 0;
	if (place == PLACE_COLUMN && !denominator)
		rc = rows_append(ld, &q, pos);
	if (rc == 0)
		rc = check_place(ld, place, &q, pos, denominator);
	if (rc == 0) {
		side_from(sd, &q);
		sd->expr = tpl_expr_add(ld->t, &q);
	}
	query_release(&q);
	return rc;
}

/* Where " by" starts in an expression (outside brackets), or its end. */
static size_t by_offset(const char *s)
{
	size_t n = strlen(s);
	int depth = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool before = i > 0 && (s[i - 1] == ' ' || s[i - 1] == ']' || s[i - 1] == '\t');

		if (c == '[' || c == '(')
			depth++;
		else if ((c == ']' || c == ')') && depth > 0)
			depth--;
		if (depth > 0 || !before)
			continue;
		if ((strncmp(s + i, "by", 2) == 0 && (s[i + 2] == ' ' || s[i + 2] == '\t')) ||
		    (strncmp(s + i, "按", 3) == 0 && (s[i + 3] == ' ' || s[i + 3] == '\t'))) {
			while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
				i--;
			return i;
		}
	}
	return n;
}

/* text without its "@prev" or "@last" (malloc'd); the text itself when it has none. */
static char *strip_compare(const char *text)
{
	static const char *const marks[] = {"@prev", "＠prev", "@同比", "＠同比",
					    "@last", "＠last", "@环比", "＠环比"};

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		const char *at = strstr(text, marks[i]);
		if (at != NULL)
			return xasprintf("%.*s%s", (int)(at - text), text, at + strlen(marks[i]));
	}
	return xstrdup(text);
}

/*
 * growth:N and change:N compare A with its base, made here: A@prev (同比)
 * when A is written plain; written A@last (环比) or A@prev, the base is
 * that and the figure is A.
 */
static int growth_base(struct tpl_load *ld, enum fig_place place, struct side *a,
		       struct tpl_pos pos, struct side *b)
{
	const char *atext = tpl_expr_query(ld->t, a->expr)->text;
	size_t at = by_offset(atext);
	char *text;
	int rc;

	if (a->compare != COMPARE_NONE) {
		*b = *a;
		text = strip_compare(atext);
		rc = parse_side(ld, place, text, pos, false, a);
	} else {
		text = xasprintf("%.*s@prev%s", (int)at, atext, atext + at);
		rc = parse_side(ld, place, text, pos, false, b);
	}
	free(text);
	return rc;
}

/* ---- figures ---- */

/* The formatter a figure gets when none is written. */
static const char *default_format(const struct tpl_fig *f, enum fig_place place)
{
	if (f->kind == FIG_RATIO && !f->average)
		return "pct:1";
	if (f->kind == FIG_RATIO)
		return "元:2";
	if (place == PLACE_TEXT || place == PLACE_SERIES)
		return format_default_name(f->unit);
	return f->unit == UNIT_FEN ? "万元:2" : "thousands";
}

static int parse_format(struct tpl_load *ld, const char *format, struct tpl_pos fpos,
			struct tpl_fig *f)
{
	char err[512];
	const char *p = format;

	while (*p == ' ' || *p == '\t')
		p++;
	f->format = tpl_trim(format, strlen(format));
	if (tpl_format_parse(&f->fmt, f->format, err, sizeof(err)) == 0)
		return 0;
	tpl_diag(ld, fpos.line, fpos.column + tpl_column(format, p) - 1, "%s", err);
	return -1;
}

/* Decide VALUE, RATIO or GROWTH from the formatter and a '/'. */
static int fig_kind(struct tpl_load *ld, struct tpl_fig *f, bool ratio, bool has_fmt,
		    struct tpl_pos pos)
{
	enum format_kind k = f->fmt.spec.kind;

	f->kind = ratio ? FIG_RATIO : FIG_VALUE;
	if (has_fmt && (k == FMT_GROWTH || k == FMT_CHANGE)) {
		f->kind = FIG_GROWTH;
		if (ratio) {
			tpl_diag(ld, pos.line, pos.column,
				 "%s 用于一个数与上年同期或上一期相比，不能用于 A / B",
				 k == FMT_GROWTH ? "growth:N" : "change:N");
			return -1;
		}
	} else if (!ratio && has_fmt && k == FMT_PCT) {
		tpl_diag(ld, pos.line, pos.column,
			 "pct:N 用于两个数之比，应写成 {{ A / B | pct:1 }}");
		return -1;
	}
	/* a ratio with a number's formatter is an average: 人均, 户均 */
	f->average = ratio && has_fmt && k != FMT_PCT;
	return 0;
}

/*
 * A / B carries a unit: like units (persons / persons, money / money) make
 * a share, for pct; money / persons is money per person (人均, 元/人),
 * shown with a money formatter.  What makes no sense is refused with why.
 */
static int ratio_units(struct tpl_load *ld, struct tpl_fig *f, enum unit a, enum unit b,
		       bool has_fmt, struct tpl_pos pos)
{
	if (a == UNIT_COUNT && b == UNIT_FEN) {
		tpl_diag(ld, pos.line, pos.column,
			 "人数（或次数）除以金额没有意义；人均金额应写成 "
			 "金额 / 人数，如 {{ relief.amount / relief.persons | "
			 "元:2 }}");
		return -1;
	}
	if (a != b && has_fmt && f->fmt.spec.kind == FMT_PCT) {
		tpl_diag(
		    ld, pos.line, pos.column,
		    "pct 只用于同一单位的两个数之比（人数÷人数、金额÷金额）；金额÷人数是人均金额"
		    "（元/人），不是百分比，请用 元:2 或 万:1，如 {{ %s | 元:2 }}",
		    f->expr);
		return -1;
	}
	if (a != b && !has_fmt)
		f->average = true;
	/* an average of like units (人次/人) keeps two decimals: in hundredths, as fen */
	f->unit = f->average ? UNIT_FEN : a;
	f->ratio_scale = f->average && a == b ? 100 : 1;
	return 0;
}

static bool year_word(const char *e, int year, int *out)
{
	if (strcmp(e, "$year") == 0 || strcmp(e, "$本年") == 0) {
		*out = year;
		return true;
	}
	if (strcmp(e, "$prev") == 0 || strcmp(e, "$上年") == 0) {
		*out = year - 1;
		return true;
	}
	return false;
}

static void fig_from_sides(struct tpl_fig *f, struct side *a, struct side *b)
{
	f->qa = a->expr;
	f->unit = a->unit;
	f->measure = a->measure;
	f->ds_index = a->ds_index;
	f->nby = a->nby;
	f->by_names = a->by_names;
	a->by_names = NULL;
	f->qb = b->expr;
	f->qb_grouped = b->nby > 0;
}

bool tpl_fig_is_rate(const struct tpl_fig *f)
{
	return (f->kind == FIG_RATIO && !f->average) ||
	       (f->kind == FIG_GROWTH && f->fmt.spec.kind == FMT_GROWTH);
}

/*
 * The unit of the figure's number on the 指标 sheet: % for a share or a
 * growth rate, A's unit per B's for an average (元/人), else A's.
 */
static void fig_unit(struct tpl_fig *f, const struct side *a, const struct side *b)
{
	if (tpl_fig_is_rate(f)) {
		f->unit_name = xstrdup("%");
	} else if (f->kind == FIG_RATIO) {
		/* 人均: the sentence's "元" after it is not the whole unit */
		if (a->unit_name != NULL && b->unit_name != NULL)
			f->unit_name = xasprintf("%s/%s", a->unit_name, b->unit_name);
		else if (a->unit_name != NULL)
			f->unit_name = xstrdup(a->unit_name);
	} else {
		if (a->unit_name != NULL)
			f->unit_name = xstrdup(a->unit_name);
		f->unit_loose = a->unit_loose;
	}
}

/* Parse the sides of a value, ratio or growth figure. */
static int fig_sides(struct tpl_load *ld, enum fig_place place, struct tpl_fig *f, const char *expr,
		     bool has_fmt, struct tpl_pos pos)
{
	const char *slash = f->kind == FIG_RATIO ? tpl_find_top(expr, '/', "／") : NULL;
	struct side a = {.expr = TPL_NO_EXPR}, b = {.expr = TPL_NO_EXPR};
	char *atext = xstrndup(expr, slash ? (size_t)(slash - expr) : strlen(expr));
	int rc = parse_side(ld, place, atext, pos, false, &a);

	if (slash != NULL) {
		struct tpl_pos bpos = {pos.line, pos.column + tpl_column(expr, slash + 1) - 1};

		if (parse_side(ld, place, slash + 1, bpos, true, &b) != 0)
			rc = -1;
	} else if (rc == 0 && f->kind == FIG_GROWTH) {
		rc = growth_base(ld, place, &a, pos, &b);
	}
	if (rc == 0 && place == PLACE_SERIES && f->kind != FIG_VALUE) {
		tpl_diag(ld, pos.line, pos.column,
			 "图表的系列只能是一个表达式（不能是比例或增长）");
		rc = -1;
	}
	if (rc == 0)
		fig_from_sides(f, &a, &b);
	if (rc == 0 && f->kind == FIG_RATIO)
		rc = ratio_units(ld, f, a.unit, b.unit, has_fmt, pos);
	if (rc == 0)
		fig_unit(f, &a, &b);
	side_release(&a);
	side_release(&b);
	free(atext);
	return rc;
}

static size_t push_fig(struct template *t, struct tpl_fig *f)
{
	t->figs = xgrow(t->figs, &t->capfigs, t->nfigs + 1, sizeof(*t->figs));
	t->figs[t->nfigs] = *f;
	return t->nfigs++;
}

static int fig_year(struct tpl_load *ld, enum fig_place place, struct tpl_fig *f, bool has_fmt,
		    struct tpl_pos pos)
{
	f->kind = FIG_YEAR;
	if (place == PLACE_SERIES || place == PLACE_COLUMN) {
		tpl_diag(ld, pos.line, pos.column, "这里需要数据表达式，如 relief.amount by 区县");
		return -1;
	}
	if (has_fmt) {
		tpl_diag(ld, pos.line, pos.column, "%s 是年份，不需要格式", f->expr);
		return -1;
	}
	return 0;
}

/* A value, ratio or growth figure: every problem of it reported. */
static int fig_data(struct tpl_load *ld, enum fig_place place, struct tpl_fig *f, const char *p,
		    bool has_fmt, bool fmt_ok, struct tpl_pos pos)
{
	bool ratio = tpl_find_top(p, '/', "／") != NULL;
	int rc = 0;

	if (fmt_ok) {
		rc = fig_kind(ld, f, ratio, has_fmt, pos);
	} else {
		f->kind = ratio ? FIG_RATIO : FIG_VALUE;
		rc = -1;
	}
	if (fig_sides(ld, place, f, p, has_fmt, pos) != 0)
		rc = -1;
	return rc;
}

int tpl_fig_parse(struct tpl_load *ld, enum fig_place place, const char *expr, struct tpl_pos pos,
		  const char *format, struct tpl_pos fpos, size_t *out)
{
	struct tpl_fig f = {.qa = TPL_NO_EXPR, .qb = TPL_NO_EXPR};
	bool has_fmt = format != NULL && strspn(format, " \t") < strlen(format);
	bool fmt_ok = !has_fmt || parse_format(ld, format, fpos, &f) == 0;
	const char *p = expr;
	char err[256];
	int rc = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	f.expr = tpl_trim(expr, strlen(expr));
	f.line = pos.line;
	f.column = pos.column = pos.column + tpl_column(expr, p) - 1;
	if (f.expr[0] == '\0') {
		tpl_diag(ld, pos.line, pos.column, "缺少表达式，如 {{ relief.persons | int }}");
		rc = -1;
	} else if (year_word(f.expr, ld->t->year, &f.year)) {
		rc = fig_year(ld, place, &f, has_fmt, pos);
	} else {
		rc = fig_data(ld, place, &f, p, has_fmt, fmt_ok, pos);
	}
	if (rc != 0 || !fmt_ok) {
		tpl_fig_release(&f);
		return -1;
	}
	if (!has_fmt && f.kind != FIG_YEAR) {
		f.format = xstrdup(default_format(&f, place));
		tpl_format_parse(&f.fmt, f.format, err, sizeof(err));
	}
	*out = push_fig(ld->t, &f);
	return 0;
}

/* ---- placeholders in a line of text ---- */

/* Check one placeholder (inside "{{" and "}}") and make its marker. */
static char *placeholder(struct tpl_load *ld, const char *in, size_t len, struct tpl_pos pos)
{
	const char *bar = NULL;
	char *expr, *fmt = NULL, *marker = NULL;
	struct tpl_pos fpos = pos;
	size_t fig;

	for (const char *p = in; p < in + len; p++) {
		if (*p == '|' || (in + len - p >= 3 && strncmp(p, "｜", 3) == 0)) {
			bar = p;
			break;
		}
	}
	expr = xstrndup(in, bar ? (size_t)(bar - in) : len);
	if (bar != NULL) {
		const char *f = bar + (*bar == '|' ? 1 : 3);

		fmt = xstrndup(f, len - (size_t)(f - in));
		fpos.column = pos.column + tpl_column(in, f) - 1;
		if (strchr(fmt, '|') != NULL)
			tpl_diag(ld, pos.line, fpos.column,
				 "一个占位符只能有一个格式（只能有一个“|”）");
	}
	if (tpl_fig_parse(ld, PLACE_TEXT, expr, pos, fmt, fpos, &fig) == 0)
		marker = xasprintf(TPL_MARK_OPEN "%zu" TPL_MARK_CLOSE, fig);
	free(expr);
	free(fmt);
	return marker;
}

/*
 * s[0..len) with each {{ ... }} replaced by its marker.  column is the
 * file column of s[0].  "\{{" is not a placeholder (cmark drops the "\").
 */
char *tpl_mark(struct tpl_load *ld, const char *s, size_t len, int line, int column)
{
	const char *e = s + len, *p = s, *copied = s;
	struct strbuf out = STRBUF_INIT;

	while ((p = memmem(p, (size_t)(e - p), "{{", 2)) != NULL) {
		const char *close;
		char *m;

		if (p > s && p[-1] == '\\') {
			p += 2;
			continue;
		}
		close = memmem(p + 2, (size_t)(e - p - 2), "}}", 2);
		if (close == NULL) {
			tpl_diag(ld, line, column + tpl_column(s, p) - 1,
				 "占位符缺少结束的“}}”（一个占位符必须写在同一行内）");
			break;
		}
		m = placeholder(ld, p + 2, (size_t)(close - p - 2),
				(struct tpl_pos){line, column + tpl_column(s, p + 2) - 1});
		strbuf_add(&out, copied, (size_t)(p - copied));
		if (m != NULL)
			strbuf_addstr(&out, m);
		else
			strbuf_add(&out, p, (size_t)(close + 2 - p));
		free(m);
		p = copied = close + 2;
	}
	strbuf_add(&out, copied, (size_t)(e - copied));
	return strbuf_detach(&out, NULL);
}
