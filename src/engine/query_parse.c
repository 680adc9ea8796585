/*
 * query_parse.c - parsing and resolving metric expressions; see query.h.
 *
 * A hand-written recursive descent over UTF-8 bytes.  Every error carries the
 * position where it was found and, for an unknown name, the nearest valid
 * one, because the person reading it is an officer editing a template.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "util/text.h"
#include "ingest/value.h"
#include "util/xalloc.h"

struct parser {
	const char *s;
	size_t pos, len;
	const struct schema *schema;
	struct period window; /* the figure's months: $period, $year */
	struct query *q;
	struct query_error *err;
};

static const struct {
	const char *name;
	enum measure m;
	bool takes_column;
} measures[] = {
    {"persons", MEASURE_PERSONS, false},
    {"人数", MEASURE_PERSONS, false},
    {"households", MEASURE_HOUSEHOLDS, false},
    {"户数", MEASURE_HOUSEHOLDS, false},
    {"rows", MEASURE_ROWS, false},
    {"人次", MEASURE_ROWS, false},
    {"count", MEASURE_ROWS, false},
    {"amount", MEASURE_AMOUNT, false},
    {"金额", MEASURE_AMOUNT, false},
    {"sum", MEASURE_SUM, true},
    {"合计", MEASURE_SUM, true},
    {"distinct", MEASURE_DISTINCT, true},
    {"去重", MEASURE_DISTINCT, true},
};

static int fail(struct parser *p, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;
	size_t col = 1;

	for (size_t i = 0; i < at && i < p->len; i += utf8_char_len(p->s + i))
		col++;
	p->err->offset = at;
	p->err->column = col;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
	va_end(ap);
	return -1;
}

static void skip_space(struct parser *p)
{
	while (p->pos < p->len) {
		if (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n')
			p->pos++;
		else if (strncmp(p->s + p->pos, "\u3000", 3) == 0)
			p->pos += 3;
		else
			break;
	}
}

static bool at(struct parser *p, const char *tok)
{
	size_t n = strlen(tok);

	skip_space(p);
	return p->pos + n <= p->len && memcmp(p->s + p->pos, tok, n) == 0;
}

/* Full-width forms officers type by accident count as their ASCII twins. */
static bool eat(struct parser *p, const char *ascii, const char *wide)
{
	if (at(p, ascii)) {
		p->pos += strlen(ascii);
		return true;
	}
	if (wide != NULL && at(p, wide)) {
		p->pos += strlen(wide);
		return true;
	}
	return false;
}

static bool is_ident_byte(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* A word: ASCII letters, digits, _ and any non-ASCII character. */
static char *word(struct parser *p)
{
	size_t start;

	skip_space(p);
	start = p->pos;
	while (p->pos < p->len && is_ident_byte((unsigned char)p->s[p->pos])) {
		/* full-width brackets and punctuation end a word */
		if (strncmp(p->s + p->pos, "［", 3) == 0 || strncmp(p->s + p->pos, "（", 3) == 0 ||
		    strncmp(p->s + p->pos, "；", 3) == 0 || strncmp(p->s + p->pos, "，", 3) == 0 ||
		    strncmp(p->s + p->pos, "＝", 3) == 0 || strncmp(p->s + p->pos, "］", 3) == 0 ||
		    strncmp(p->s + p->pos, "）", 3) == 0 || strncmp(p->s + p->pos, "＠", 3) == 0 ||
		    strncmp(p->s + p->pos, "。", 3) == 0 || strncmp(p->s + p->pos, "．", 3) == 0 ||
		    strncmp(p->s + p->pos, "\u3000", 3) == 0)
			break;
		p->pos++;
	}
	return xstrndup(p->s + start, p->pos - start);
}

/*
 * A column name in a filter or after "by": everything up to a delimiter,
 * with balanced brackets so that 资金(元) is one name.
 */
static char *column_name(struct parser *p, const char *stops)
{
	size_t start, end;
	int depth = 0;

	skip_space(p);
	start = p->pos;
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c == '(' || strncmp(p->s + p->pos, "（", 3) == 0) {
			depth++;
		} else if (c == ')' || strncmp(p->s + p->pos, "）", 3) == 0) {
			if (depth == 0)
				break;
			depth--;
		} else if (depth == 0 &&
			   (strchr(stops, c) != NULL || c == '!' ||
			    strncmp(p->s + p->pos, "＝", 3) == 0 ||
			    (strchr(stops, '<') != NULL && (strncmp(p->s + p->pos, "＜", 3) == 0 ||
							    strncmp(p->s + p->pos, "＞", 3) == 0 ||
							    strncmp(p->s + p->pos, "≥", 3) == 0 ||
							    strncmp(p->s + p->pos, "≤", 3) == 0)) ||
			    strncmp(p->s + p->pos, "，", 3) == 0 ||
			    strncmp(p->s + p->pos, "；", 3) == 0 ||
			    strncmp(p->s + p->pos, "］", 3) == 0)) {
			break;
		}
		p->pos += utf8_char_len(p->s + p->pos);
	}
	end = p->pos;
	while (end > start && (p->s[end - 1] == ' ' || p->s[end - 1] == '\t'))
		end--;
	return xstrndup(p->s + start, end - start);
}

/* name without the spaces around it (in place). */
static char *trim_name(char *name)
{
	size_t n = strlen(name);

	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		name[--n] = '\0';
	while (*name == ' ' || *name == '\t')
		name++;
	return name;
}

/* The nearest of names to word, or NULL when nothing is close. */
static const char *nearest(const char *w, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, len = 0;

	/* the distance counts characters, so the limit must too */
	for (const char *c = w; *c; c += utf8_char_len(c))
		len++;

	for (size_t i = 0; i < n; i++) {
		size_t d = utf8_distance(w, names[i]);
		if (d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	/* about one edit in three characters: "persns" -> persons, not 性别 -> id */
	return bestd <= (len + 2) / 3 && bestd < len ? best : NULL;
}

static int resolve_column(struct parser *p, const char *name, size_t at_pos)
{
	const struct dataset *ds = p->q->ds;
	const char **names;
	const char *hint;
	int col = dataset_column(ds, name);

	if (col >= 0)
		return col;
	names = xcalloc(ds->ncols * 2, sizeof(char *));
	for (size_t c = 0; c < ds->ncols; c++) {
		names[2 * c] = ds->cols[c].name;
		names[2 * c + 1] = ds->cols[c].key ? ds->cols[c].key : ds->cols[c].name;
	}
	hint = nearest(name, names, ds->ncols * 2);
	if (hint != NULL) {
		fail(p, at_pos, "数据集 %s 没有列“%s”，是不是“%s”？", ds->name, name, hint);
	} else {
		char list[384] = "";
		size_t o = 0;
		for (size_t c = 0; c < ds->ncols && o < sizeof(list) - 1; c++) {
			int n = snprintf(list + o, sizeof(list) - o, "%s%s", c ? "、" : "",
					 ds->cols[c].name);
			if (n < 0 || (size_t)n >= sizeof(list) - o)
				break;
			o += (size_t)n;
		}
		fail(p, at_pos, "数据集 %s 没有列“%s”，可用的列：%s", ds->name, name, list);
	}
	free(names);
	return -1;
}

static int parse_dataset(struct parser *p)
{
	size_t start;
	char *name;
	const char **names;
	const char *hint;

	skip_space(p);
	start = p->pos;
	name = word(p);
	if (name[0] == '\0') {
		free(name);
		return fail(p, start, "表达式应以数据集名开头，如 relief.persons");
	}
	for (size_t i = 0; i < p->schema->nsets; i++)
		if (strcmp(p->schema->sets[i].name, name) == 0) {
			p->q->ds = &p->schema->sets[i];
			p->q->ds_index = i;
			free(name);
			return 0;
		}
	names = xcalloc(p->schema->nsets, sizeof(char *));
	for (size_t i = 0; i < p->schema->nsets; i++)
		names[i] = p->schema->sets[i].name;
	hint = nearest(name, names, p->schema->nsets);
	if (hint != NULL)
		fail(p, start, "未知的数据集“%s”，是不是“%s”？", name, hint);
	else
		fail(p, start, "未知的数据集“%s”，可用：relief、children、elderly、charity", name);
	free(names);
	free(name);
	return -1;
}

static int measure_column(struct parser *p)
{
	const struct dataset *ds = p->q->ds;
	struct query *q = p->q;
	size_t start;
	char *name;
	int col;

	if (!eat(p, "(", "（"))
		return fail(p, p->pos, "%s 后应有括号中的列名，如 sum(数量)", "sum/distinct");
	start = p->pos;
	name = column_name(p, ")");
	col = resolve_column(p, name, start);
	free(name);
	if (col < 0)
		return -1;
	if (!eat(p, ")", "）"))
		return fail(p, p->pos, "缺少右括号“)”");
	if (q->measure == MEASURE_SUM && ds->cols[col].type != COL_MONEY &&
	    ds->cols[col].type != COL_INTEGER)
		return fail(p, start, "sum 只能用于金额或整数列，“%s”是%s列", ds->cols[col].name,
			    col_type_name(ds->cols[col].type));
	/* names arrive masked (张*): counting them would count the masks */
	if (q->measure == MEASURE_DISTINCT && ds->cols[col].mask == MASK_NAME)
		return fail(p, start,
			    "不能统计个人信息“%s”（姓名在读入时即已脱敏）；人数请用 persons",
			    ds->cols[col].name);
	q->col = col;
	return 0;
}

static int parse_measure(struct parser *p)
{
	struct query *q = p->q;
	const struct dataset *ds = q->ds;
	size_t start;
	char *name;
	const char *names[sizeof(measures) / sizeof(measures[0])];
	const char *hint;

	if (!eat(p, ".", "。") && !eat(p, ".", "．"))
		return fail(p, p->pos, "数据集名后应有“.”和度量，如 %s.persons", ds->name);
	skip_space(p);
	start = p->pos;
	name = word(p);
	for (size_t i = 0; i < sizeof(measures) / sizeof(measures[0]); i++) {
		names[i] = measures[i].name;
		if (strcmp(measures[i].name, name) != 0)
			continue;
		free(name);
		q->measure = measures[i].m;
		if (measures[i].takes_column)
			return measure_column(p);
		switch (q->measure) {
		case MEASURE_PERSONS:
			q->col = ds->person;
			if (q->col < 0)
				return fail(p, start, "数据集 %s 没有身份证号列，不能统计人数",
					    ds->name);
			break;
		case MEASURE_HOUSEHOLDS:
			q->col = ds->household;
			if (q->col < 0)
				return fail(p, start, "数据集 %s 没有户号列，不能统计户数",
					    ds->name);
			break;
		case MEASURE_AMOUNT:
			q->col = ds->amount;
			if (q->col < 0)
				return fail(p, start, "数据集 %s 没有金额列", ds->name);
			break;
		default:
			q->col = -1;
		}
		return 0;
	}
	hint = nearest(name, names, sizeof(names) / sizeof(names[0]));
	fail(p, start, "未知的度量“%s”%s%s%s", name, hint ? "，是不是“" : "", hint ? hint : "",
	     hint ? "”？" : "，可用：persons rows amount households sum(列) distinct(列)");
	free(name);
	return -1;
}

/* A value token: up to , ; ] (quotes allowed for values containing those). */
static char *value_token(struct parser *p)
{
	size_t start, end;

	skip_space(p);
	if (p->pos < p->len && p->s[p->pos] == '"') {
		const char *close = memchr(p->s + p->pos + 1, '"', p->len - p->pos - 1);
		if (close != NULL) {
			start = p->pos + 1;
			p->pos = (size_t)(close - p->s) + 1;
			return xstrndup(p->s + start, (size_t)(close - p->s) - start);
		}
	}
	start = p->pos;
	while (p->pos < p->len && strchr(",;]", p->s[p->pos]) == NULL &&
	       strncmp(p->s + p->pos, "，", 3) != 0 && strncmp(p->s + p->pos, "；", 3) != 0 &&
	       strncmp(p->s + p->pos, "］", 3) != 0)
		p->pos += utf8_char_len(p->s + p->pos);
	end = p->pos;
	while (end > start && (p->s[end - 1] == ' ' || p->s[end - 1] == '\t'))
		end--;
	return xstrndup(p->s + start, end - start);
}

/* The months first..last (year * 12 + month - 1) in a month or date column's units. */
static void months_range(bool month, int first, int last, int64_t *lo, int64_t *hi)
{
	*lo = month ? (first / 12) * 100 + first % 12 + 1
		    : ((int64_t)(first / 12) * 100 + first % 12 + 1) * 100 + 1;
	*hi = month ? (last / 12) * 100 + last % 12 + 1
		    : ((int64_t)(last / 12) * 100 + last % 12 + 1) * 100 + 31;
}

/* A year, month or date value as an inclusive range in the column's units. */
static int period_range(struct parser *p, const struct column *col, const char *v, size_t at_pos,
			int64_t *lo, int64_t *hi)
{
	bool month = col->type == COL_MONTH;
	int32_t ym, ymd;
	int y = -1;

	if (strcmp(v, "$period") == 0 || strcmp(v, "$本期") == 0) {
		months_range(month, p->window.first, p->window.last, lo, hi);
		return 0;
	}
	if (strcmp(v, "$year") == 0)
		y = period_end_year(&p->window);
	else if (strcmp(v, "$prev") == 0)
		y = period_end_year(&p->window) - 1;
	else if (strlen(v) == 4 && strspn(v, "0123456789") == 4)
		y = (int)strtol(v, NULL, 10);
	/* "2021年" */
	if (y < 0 && strstr(v, "年") != NULL && strstr(v, "月") == NULL) {
		char digits[8] = "";
		if (sscanf(v, "%4[0-9]", digits) == 1 && strlen(digits) == 4)
			y = (int)strtol(digits, NULL, 10);
	}
	if (y >= 0) {
		*lo = month ? y * 100 + 1 : y * 10000 + 101;
		*hi = month ? y * 100 + 12 : y * 10000 + 1231;
		return 0;
	}
	if (parse_date(v, strlen(v), &ymd) == VALUE_OK) {
		*lo = *hi = month ? ymd / 100 : ymd;
		return 0;
	}
	if (parse_month(v, strlen(v), &ym) == VALUE_OK) {
		*lo = month ? ym : (int64_t)ym * 100 + 1;
		*hi = month ? ym : (int64_t)ym * 100 + 31;
		return 0;
	}
	return fail(p, at_pos,
		    "“%s”不是年份、年月或日期（应如 $period、$year、2021、2021-03、2021-03-15）",
		    v);
}

/* One value of a month, date or number column as an inclusive range. */
static int value_range(struct parser *p, const struct column *col, const char *v, size_t at_pos,
		       int64_t *lo, int64_t *hi)
{
	switch (col->type) {
	case COL_MONTH:
	case COL_DATE:
		return period_range(p, col, v, at_pos, lo, hi);
	case COL_MONEY:
		if (parse_money(v, strlen(v), true, lo) != VALUE_OK)
			return fail(p, at_pos, "“%s”不是金额", v);
		*hi = *lo;
		return 0;
	case COL_INTEGER:
		if (parse_integer(v, strlen(v), true, lo) != VALUE_OK)
			return fail(p, at_pos, "“%s”不是整数", v);
		*hi = *lo;
		return 0;
	default:
		return fail(p, at_pos, "“%s”是%s列，不能写范围或大小比较", col->name,
			    col_type_name(col->type));
	}
}

/* "a..b": a range of a month, date or number column, both ends included. */
static int range_value(struct parser *p, struct filter *f, const char *v, const char *dots,
		       size_t at_pos)
{
	const struct column *col = &p->q->ds->cols[f->col];
	size_t n = f->nvalues - 1;
	char *a = xstrndup(v, (size_t)(dots - v)), *b = xstrdup(dots + 2);
	int64_t alo, ahi, blo, bhi;
	int rc;

	a[strcspn(a, " \t")] = '\0';
	rc = value_range(p, col, a[0] ? a : "?", at_pos, &alo, &ahi);
	if (rc == 0) {
		const char *bb = b + strspn(b, " \t");
		rc = value_range(p, col, bb[0] ? bb : "?",
				 at_pos + (size_t)(dots - v) + 2 + (size_t)(bb - b), &blo, &bhi);
	}
	if (rc == 0 && blo < alo)
		rc = fail(p, at_pos, "范围“%s”的终点早于（小于）起点", v);
	if (rc == 0) {
		f->lo[n] = alo;
		f->hi[n] = bhi;
	}
	free(a);
	free(b);
	return rc;
}

static int filter_value(struct parser *p, struct filter *f, const char *v, size_t at_pos)
{
	const struct column *col = &p->q->ds->cols[f->col];
	size_t n = f->nvalues;

	f->lo = xrealloc(f->lo, (n + 1) * sizeof(int64_t));
	f->hi = xrealloc(f->hi, (n + 1) * sizeof(int64_t));
	f->texts = xrealloc(f->texts, (n + 1) * sizeof(char *));
	f->texts[n] = NULL;
	f->lo[n] = f->hi[n] = 0;
	f->nvalues++;
	if (col->type != COL_TEXT && col->type != COL_ENUM && col->type != COL_ID) {
		const char *dots = strstr(v, "..");
		if (dots != NULL)
			return range_value(p, f, v, dots, at_pos);
	}
	switch (col->type) {
	case COL_ENUM: {
		int idx = column_enum_index(col, v, strlen(v));
		if (idx < 0) {
			const char *hint =
			    nearest(v, (const char *const *)col->values, col->nvalues);
			if (hint != NULL)
				return fail(p, at_pos, "“%s”不是%s的取值，是不是“%s”？", v,
					    col->name, hint);
			return fail(p, at_pos, "“%s”不是%s的取值", v, col->name);
		}
		f->enum_mask |= 1ull << idx;
		return 0;
	}
	case COL_MONTH:
	case COL_DATE:
	case COL_MONEY:
	case COL_INTEGER:
		return value_range(p, col, v, at_pos, &f->lo[n], &f->hi[n]);
	case COL_ID: {
		uint64_t id;
		if (parse_id(v, strlen(v), &id) != VALUE_OK)
			return fail(p, at_pos, "“%s”不是有效的身份证号", v);
		f->lo[n] = f->hi[n] = (int64_t)id;
		return 0;
	}
	case COL_TEXT:
		f->texts[n] = xstrdup(v);
		return 0;
	}
	return 0;
}

/* ">=", ">", "<=", "<" (full-width too, and ≥ ≤) as '}', '>', '{', '<'; 0 for none. */
static int comparison(struct parser *p)
{
	if (eat(p, ">=", "＞＝") || eat(p, "≥", NULL))
		return '}';
	if (eat(p, "<=", "＜＝") || eat(p, "≤", NULL))
		return '{';
	if (eat(p, ">", "＞"))
		return '>';
	if (eat(p, "<", "＜"))
		return '<';
	return 0;
}

/* The next value token (malloc'd, its start in *vstart), or NULL after failing with missing. */
static char *required_value(struct parser *p, size_t *vstart, const char *missing)
{
	char *v;

	skip_space(p);
	*vstart = p->pos;
	v = value_token(p);
	if (v[0] != '\0')
		return v;
	free(v);
	fail(p, *vstart, "%s", missing);
	return NULL;
}

/* The one value after a comparison, as the range of values it lets through. */
static int compare_value(struct parser *p, struct filter *f, int cmp)
{
	const struct column *col = &p->q->ds->cols[f->col];
	int64_t lo, hi;
	size_t vstart;
	char *v;
	int rc;

	if ((v = required_value(p, &vstart, "缺少比较的取值")) == NULL)
		return -1;
	rc = value_range(p, col, v, vstart, &lo, &hi);
	free(v);
	if (rc != 0)
		return -1;
	f->lo = xmalloc(sizeof(int64_t));
	f->hi = xmalloc(sizeof(int64_t));
	f->texts = xcalloc(1, sizeof(char *));
	f->nvalues = 1;
	f->lo[0] = cmp == '}' ? lo : cmp == '>' ? hi + 1 : INT64_MIN;
	f->hi[0] = cmp == '{' ? hi : cmp == '<' ? lo - 1 : INT64_MAX;
	if (at(p, ",") || at(p, "，"))
		return fail(p, p->pos,
			    "大小比较只能有一个取值；几个取值请用“=”，范围请写成 起..止");
	return 0;
}

static int parse_filter(struct parser *p)
{
	struct query *q = p->q;
	struct filter *f;
	size_t start;
	char *name;
	int col, cmp;

	skip_space(p);
	start = p->pos;
	name = column_name(p, "=;]<>");
	if (name[0] == '\0') {
		free(name);
		return fail(p, start, "筛选条件应写成 列名=取值");
	}
	col = resolve_column(p, name, start);
	free(name);
	if (col < 0)
		return -1;
	/*
	 * The expression is written as it stands into metrics.json, the 指标
	 * sheet and messages: a value of a personal-data column there would
	 * publish it.  Names are masked as soon as they are read, too.
	 */
	if (q->ds->cols[col].mask != MASK_NONE)
		return fail(p, start,
			    "不能按个人信息“%s”筛选：表达式会原样写入 metrics.json 和报告的指标表，"
			    "筛选值会随之公开%s",
			    q->ds->cols[col].name,
			    q->ds->cols[col].mask == MASK_NAME
				? "（姓名在读入时即已脱敏，也无法匹配）"
				: "");
	q->filters = xrealloc(q->filters, (q->nfilters + 1) * sizeof(*q->filters));
	f = &q->filters[q->nfilters++];
	memset(f, 0, sizeof(*f));
	f->col = col;
	if (eat(p, "!=", "！＝")) {
		f->negate = true;
	} else if ((cmp = comparison(p)) != 0) {
		return compare_value(p, f, cmp);
	} else if (!eat(p, "=", "＝")) {
		return fail(p, p->pos, "列名后应有“=”、“!=”或“>=”等比较符号");
	}
	do {
		size_t vstart;
		char *v;
		int rc;

		if ((v = required_value(p, &vstart, "缺少取值")) == NULL)
			return -1;
		rc = filter_value(p, f, v, vstart);
		free(v);
		if (rc != 0)
			return -1;
	} while (eat(p, ",", "，"));
	return 0;
}

static int parse_by(struct parser *p)
{
	struct query *q = p->q;

	do {
		size_t start;
		char *name;
		int col;

		if (q->nby == 2)
			return fail(p, p->pos, "by 最多按两列分组");
		skip_space(p);
		start = p->pos;
		name = column_name(p, ",");
		if (name[0] == '\0') {
			free(name);
			return fail(p, start, "by 后应有分组的列名，如 by 区县");
		}
		col = resolve_column(p, name, start);
		free(name);
		if (col < 0)
			return -1;
		switch (q->ds->cols[col].type) {
		case COL_ENUM:
			break;
		case COL_MONTH:
		case COL_DATE:
			/* other dates than the period span years: keys are dynamic */
			if (col == q->ds->period || q->nby == 0)
				break;
			return fail(p, start, "“%s”只能作为第一个分组列", q->ds->cols[col].name);
		case COL_TEXT:
			if (q->nby == 0 && !at(p, ",") && q->ds->cols[col].mask == MASK_NONE)
				break;
			/* fall through */
		default:
			return fail(
			    p, start,
			    "不能按“%s”分组（可按选项列、年月或日期列分组；文本列只能单独分组）",
			    q->ds->cols[col].name);
		}
		q->by[q->nby++] = col;
	} while (eat(p, ",", "，"));
	return 0;
}

struct period query_window(const struct query *q, const struct period *period)
{
	switch (q->compare) {
	case COMPARE_PREV:
		return period_prev_year(period);
	case COMPARE_LAST:
		return period_last(period);
	default:
		return *period;
	}
}

static int parse_window(struct query *q, const struct schema *schema, const char *text,
			struct period window, struct query_error *err)
{
	struct parser p = {
	    .s = text, .len = strlen(text), .schema = schema, .window = window, .q = q, .err = err};
	size_t start = 0, end = p.len;

	memset(q, 0, sizeof(*q));
	memset(err, 0, sizeof(*err));
	q->col = -1;
	while (start < end && (text[start] == ' ' || text[start] == '\t'))
		start++;
	while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t'))
		end--;
	q->text = xstrndup(text + start, end - start);
	if (parse_dataset(&p) || parse_measure(&p))
		goto fail;
	if (eat(&p, "[", "［")) {
		if (!at(&p, "]")) {
			do {
				if (parse_filter(&p))
					goto fail;
			} while (eat(&p, ";", "；"));
		}
		if (!eat(&p, "]", "］")) {
			fail(&p, p.pos, "筛选条件应以“]”结束，多个条件用“;”分隔");
			goto fail;
		}
	}
	if (eat(&p, "@prev", "＠prev") || eat(&p, "@同比", "＠同比"))
		q->compare = COMPARE_PREV;
	else if (eat(&p, "@last", "＠last") || eat(&p, "@环比", "＠环比"))
		q->compare = COMPARE_LAST;
	else if (at(&p, "@") || at(&p, "＠")) {
		fail(&p, p.pos, "“@”后应为 prev（同比：上年同期）或 last（环比：上一期）");
		goto fail;
	}
	skip_space(&p);
	if (p.pos < p.len) {
		size_t wpos = p.pos;
		char *w = word(&p);
		bool by = strcmp(w, "by") == 0 || strcmp(w, "按") == 0;
		free(w);
		if (!by) {
			fail(&p, wpos, "多余的内容“%s”（分组应写成 by 列名）", p.s + wpos);
			goto fail;
		}
		if (parse_by(&p))
			goto fail;
	}
	skip_space(&p);
	if (p.pos < p.len) {
		fail(&p, p.pos, "多余的内容“%s”", p.s + p.pos);
		goto fail;
	}
	q->unit = (q->measure == MEASURE_AMOUNT ||
		   (q->measure == MEASURE_SUM && q->ds->cols[q->col].type == COL_MONEY))
		      ? UNIT_FEN
		      : UNIT_COUNT;
	return 0;
fail:
	query_release(q);
	return -1;
}

int query_parse(struct query *q, const struct schema *schema, const char *text,
		const struct period *period, struct query_error *err)
{
	struct period window;

	if (parse_window(q, schema, text, *period, err) != 0)
		return -1;
	if (q->compare == COMPARE_NONE)
		return 0;
	/* $period and $year of a comparison mean its months: parse again knowing them */
	window = query_window(q, period);
	query_release(q);
	return parse_window(q, schema, text, window, err);
}

int query_restrict(struct query *q, const struct schema *schema, const char *filter,
		   const struct period *period, struct query_error *err)
{
	struct parser p = {.s = filter,
			   .len = strlen(filter),
			   .schema = schema,
			   .window = query_window(q, period),
			   .q = q,
			   .err = err};
	const char *eq = strpbrk(filter, "=!<>");
	char *name = xstrndup(filter, eq ? (size_t)(eq - filter) : strlen(filter));
	int rc = 0;

	memset(err, 0, sizeof(*err));
	if (dataset_column(q->ds, trim_name(name)) < 0) {
		snprintf(err->message, sizeof(err->message),
			 "数据集 %s（%s）没有列“%s”，不能按“%s”限定范围", q->ds->name, q->ds->title,
			 trim_name(name), filter);
		rc = -1;
	} else if (parse_filter(&p) != 0) {
		rc = -1;
	} else {
		q->filters[q->nfilters - 1].scope = true;
		skip_space(&p);
		if (p.pos < p.len)
			rc = fail(&p, p.pos, "“%s”中多余的内容“%s”", filter, p.s + p.pos);
	}
	free(name);
	return rc;
}

void query_release(struct query *q)
{
	for (size_t i = 0; i < q->nfilters; i++) {
		struct filter *f = &q->filters[i];
		for (size_t v = 0; v < f->nvalues; v++)
			free(f->texts[v]);
		free(f->texts);
		free(f->lo);
		free(f->hi);
	}
	free(q->filters);
	free(q->text);
	memset(q, 0, sizeof(*q));
	q->col = -1;
}
