/*
 * schema.c - loading templates/schema.ini; see schema.h.
 *
 * The file is read once per run; everything here is about turning its lines
 * into struct dataset and refusing, with the line number, what makes no
 * sense (an unknown type, a column of an undeclared dataset, an enum without
 * values).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/ini.h"
#include "schema.h"
#include "value.h"
#include "util/text.h"
#include "util/xalloc.h"

struct list {
	char *name;
	char **values;
	size_t nvalues;
};

struct loader {
	struct schema *schema;
	struct list *lists;
	size_t nlists;
	/* dataset-level names resolved once all columns are known */
	char **person, **amount, **period, **household, **unique;
	char *err;
	size_t errlen;
	const char *path;
};

static char *fold_dup(const char *s)
{
	char buf[512];

	text_fold(buf, sizeof(buf), s, strlen(s));
	return xstrdup(buf);
}

static void add_match(struct column *col, const char *s)
{
	col->match = xrealloc(col->match, (col->nmatch + 1) * sizeof(char *));
	col->match[col->nmatch++] = fold_dup(s);
}

static int fail(struct loader *ld, int line, const char *msg, const char *what)
{
	snprintf(ld->err, ld->errlen, "%s:%d: %s: %s", ld->path, line, msg, what);
	return 1;
}

static struct dataset *find_set(struct schema *s, const char *name)
{
	for (size_t i = 0; i < s->nsets; i++)
		if (strcmp(s->sets[i].name, name) == 0)
			return &s->sets[i];
	return NULL;
}

static struct list *find_list(struct loader *ld, const char *name)
{
	for (size_t i = 0; i < ld->nlists; i++)
		if (strcmp(ld->lists[i].name, name) == 0)
			return &ld->lists[i];
	return NULL;
}

static bool parse_bool(const char *v)
{
	return strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0 ||
	       strcmp(v, "是") == 0;
}

static int parse_type(const char *v, enum col_type *t)
{
	static const struct {
		const char *name;
		enum col_type type;
	} types[] = {
	    {"id", COL_ID},           {"text", COL_TEXT}, {"enum", COL_ENUM},
	    {"month", COL_MONTH},     {"date", COL_DATE}, {"money", COL_MONEY},
	    {"integer", COL_INTEGER},
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(v, types[i].name) == 0) {
			*t = types[i].type;
			return 0;
		}
	return -1;
}

static int set_values(struct loader *ld, struct column *col, const char *value, int line)
{
	char **items;
	size_t n;

	if (value[0] == '@') {
		struct list *l = find_list(ld, value + 1);
		if (l == NULL)
			return fail(ld, line, "未定义的取值列表", value);
		items = xcalloc(l->nvalues, sizeof(char *));
		for (size_t i = 0; i < l->nvalues; i++)
			items[i] = xstrdup(l->values[i]);
		n = l->nvalues;
	} else {
		n = ini_split_list(value, &items);
	}
	col->values = items;
	col->nvalues = n;
	col->values_folded = xcalloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		col->values_folded[i] = fold_dup(items[i]);
	return 0;
}

static int column_key(struct loader *ld, struct column *col, const char *key, const char *value,
		      int line)
{
	if (strcmp(key, "key") == 0) {
		free(col->key);
		col->key = xstrdup(value);
		add_match(col, value);
	} else if (strcmp(key, "type") == 0) {
		if (parse_type(value, &col->type) != 0)
			return fail(ld, line,
				    "未知的列类型（可用 id text enum month date money integer）",
				    value);
	} else if (strcmp(key, "required") == 0) {
		col->required = parse_bool(value);
	} else if (strcmp(key, "pii") == 0) {
		if (parse_bool(value) && col->mask == MASK_NONE)
			col->mask = MASK_NAME;
	} else if (strcmp(key, "mask") == 0) {
		col->mask = strcmp(value, "id") == 0 ? MASK_ID : MASK_NAME;
	} else if (strcmp(key, "negative") == 0) {
		col->negative = parse_bool(value);
	} else if (strcmp(key, "max") == 0) {
		/* in the column's own unit: yuan for money, as the exports write it */
		int64_t v;
		enum value_error e = col->type == COL_MONEY
					 ? parse_money(value, strlen(value), false, &v)
					 : parse_integer(value, strlen(value), false, &v);
		if ((col->type != COL_MONEY && col->type != COL_INTEGER) || e != VALUE_OK)
			return fail(
			    ld, line,
			    "max 只用于金额或整数列（写在 type 之后），应为非负数，如 1000000",
			    value);
		col->max = v;
	} else if (strcmp(key, "aliases") == 0) {
		char **items;
		size_t n = ini_split_list(value, &items);
		for (size_t i = 0; i < n; i++)
			add_match(col, items[i]);
		ini_free_list(items, n);
	} else if (strcmp(key, "values") == 0) {
		return set_values(ld, col, value, line);
	} else {
		return fail(ld, line, "未知的列属性", key);
	}
	return 0;
}

static int dataset_key(struct loader *ld, size_t idx, const char *key, const char *value, int line)
{
	struct dataset *ds = &ld->schema->sets[idx];
	char **slot = NULL;

	if (strcmp(key, "title") == 0) {
		free(ds->title);
		ds->title = xstrdup(value);
		return 0;
	}
	if (strcmp(key, "person") == 0)
		slot = &ld->person[idx];
	else if (strcmp(key, "amount") == 0)
		slot = &ld->amount[idx];
	else if (strcmp(key, "period") == 0)
		slot = &ld->period[idx];
	else if (strcmp(key, "household") == 0)
		slot = &ld->household[idx];
	else if (strcmp(key, "unique") == 0)
		slot = &ld->unique[idx];
	if (slot == NULL)
		return fail(ld, line, "未知的数据集属性", key);
	free(*slot);
	*slot = xstrdup(value);
	return 0;
}

static void grow_loader(struct loader *ld)
{
	size_t n = ld->schema->nsets;

	ld->person = xrealloc(ld->person, n * sizeof(char *));
	ld->amount = xrealloc(ld->amount, n * sizeof(char *));
	ld->period = xrealloc(ld->period, n * sizeof(char *));
	ld->household = xrealloc(ld->household, n * sizeof(char *));
	ld->unique = xrealloc(ld->unique, n * sizeof(char *));
	ld->person[n - 1] = ld->amount[n - 1] = ld->period[n - 1] = NULL;
	ld->household[n - 1] = ld->unique[n - 1] = NULL;
}

static int on_line(void *ctx, const char *section, const char *key, const char *value, int line)
{
	struct loader *ld = ctx;
	struct schema *s = ld->schema;
	char kind[32], a[128], b[256];
	int n;

	n = sscanf(section, "%31s %127s %255[^\n]", kind, a, b);
	if (n >= 2 && strcmp(kind, "list") == 0) {
		struct list *l = find_list(ld, a);
		if (l == NULL) {
			ld->lists = xrealloc(ld->lists, (ld->nlists + 1) * sizeof(*ld->lists));
			l = &ld->lists[ld->nlists++];
			memset(l, 0, sizeof(*l));
			l->name = xstrdup(a);
		}
		if (strcmp(key, "values") != 0)
			return fail(ld, line, "取值列表只能有 values", key);
		l->nvalues = ini_split_list(value, &l->values);
		return 0;
	}
	if (n == 2 && strcmp(kind, "dataset") == 0) {
		struct dataset *ds = find_set(s, a);
		if (ds == NULL) {
			s->sets = xrealloc(s->sets, (s->nsets + 1) * sizeof(*s->sets));
			ds = &s->sets[s->nsets++];
			memset(ds, 0, sizeof(*ds));
			ds->name = xstrdup(a);
			ds->title = xstrdup(a);
			grow_loader(ld);
		}
		return dataset_key(ld, (size_t)(ds - s->sets), key, value, line);
	}
	if (n == 3 && strcmp(kind, "column") == 0) {
		struct dataset *ds = find_set(s, a);
		struct column *col = NULL;
		if (ds == NULL)
			return fail(ld, line, "列所属的数据集尚未声明", a);
		for (size_t i = 0; i < ds->ncols; i++)
			if (strcmp(ds->cols[i].name, b) == 0)
				col = &ds->cols[i];
		if (col == NULL) {
			ds->cols = xrealloc(ds->cols, (ds->ncols + 1) * sizeof(*ds->cols));
			col = &ds->cols[ds->ncols++];
			memset(col, 0, sizeof(*col));
			col->name = xstrdup(b);
			col->type = COL_TEXT;
			col->max = INT64_MAX;
			add_match(col, b);
		}
		return column_key(ld, col, key, value, line);
	}
	if (n == 1 && strcmp(kind, "areas") == 0) {
		if (strcmp(key, "levels") != 0)
			return fail(ld, line, "[areas] 只能有 levels", key);
		ini_free_list(s->levels, s->nlevels);
		s->nlevels = ini_split_list(value, &s->levels);
		return 0;
	}
	return fail(ld, line, "无法识别的节", section);
}

static int resolve(struct loader *ld, struct dataset *ds, const char *name, int *out,
		   const char *what)
{
	*out = -1;
	if (name == NULL)
		return 0;
	*out = dataset_column(ds, name);
	if (*out < 0) {
		snprintf(ld->err, ld->errlen, "%s: 数据集 %s 的 %s 指向未声明的列 %s", ld->path,
			 ds->name, what, name);
		return -1;
	}
	return 0;
}

/* The duplicate key is person + one enum column + the period's month. */
static int resolve_unique(struct loader *ld, struct dataset *ds, const char *spec)
{
	char **items;
	size_t n;
	int rc = 0;

	ds->unique_enum = -1;
	if (spec == NULL)
		return 0;
	n = ini_split_list(spec, &items);
	for (size_t i = 0; i < n && rc == 0; i++) {
		int c = dataset_column(ds, items[i]);
		if (c < 0 || (c != ds->person && c != ds->period && ds->cols[c].type != COL_ENUM) ||
		    (ds->cols[c].type == COL_ENUM && ds->unique_enum >= 0)) {
			snprintf(
			    ld->err, ld->errlen,
			    "%s: 数据集 %s 的 unique 只能由身份证号、一个枚举列和发放年月组成：%s",
			    ld->path, ds->name, items[i]);
			rc = -1;
		} else if (ds->cols[c].type == COL_ENUM) {
			ds->unique_enum = c;
		}
	}
	ini_free_list(items, n);
	if (rc == 0 && ds->unique_enum >= 0 && ds->cols[ds->unique_enum].nvalues * 12 > 64) {
		snprintf(ld->err, ld->errlen, "%s: 数据集 %s 的 unique 枚举列取值过多（最多5个）",
			 ld->path, ds->name);
		rc = -1;
	}
	if (rc == 0 && ds->person < 0) {
		snprintf(ld->err, ld->errlen, "%s: 数据集 %s 设置了 unique 但没有 person 列",
			 ld->path, ds->name);
		rc = -1;
	}
	return rc;
}

static int finish(struct loader *ld)
{
	for (size_t i = 0; i < ld->schema->nsets; i++) {
		struct dataset *ds = &ld->schema->sets[i];

		if (resolve(ld, ds, ld->person[i], &ds->person, "person") ||
		    resolve(ld, ds, ld->amount[i], &ds->amount, "amount") ||
		    resolve(ld, ds, ld->period[i], &ds->period, "period") ||
		    resolve(ld, ds, ld->household[i], &ds->household, "household") ||
		    resolve_unique(ld, ds, ld->unique[i]))
			return -1;
		if (ds->period < 0 || (ds->cols[ds->period].type != COL_MONTH &&
				       ds->cols[ds->period].type != COL_DATE)) {
			snprintf(ld->err, ld->errlen, "%s: 数据集 %s 需要 period（年月或日期列）",
				 ld->path, ds->name);
			return -1;
		}
		if (ds->ncols > 64) {
			snprintf(ld->err, ld->errlen, "%s: 数据集 %s 的列超过64个", ld->path,
				 ds->name);
			return -1;
		}
		for (size_t c = 0; c < ds->ncols; c++)
			if (ds->cols[c].type == COL_ENUM && ds->cols[c].nvalues == 0) {
				snprintf(ld->err, ld->errlen, "%s: 枚举列 %s.%s 没有 values",
					 ld->path, ds->name, ds->cols[c].name);
				return -1;
			}
	}
	return 0;
}

/*
 * Each area level by the canonical name of a dataset's column (乡镇（街道）
 * or township is 乡镇(街道)), so that levels compare with column names
 * byte for byte; a level no dataset has is an error.
 */
static int canonical_levels(struct schema *schema, const char *path, char *err, size_t errlen)
{
	for (size_t l = 0; l < schema->nlevels; l++) {
		const char *name = NULL;

		for (size_t i = 0; i < schema->nsets && name == NULL; i++) {
			int c = dataset_column(&schema->sets[i], schema->levels[l]);
			if (c >= 0)
				name = schema->sets[i].cols[c].name;
		}
		if (name == NULL) {
			snprintf(err, errlen, "%s: [areas] levels 中的“%s”不是任何数据集的列", path,
				 schema->levels[l]);
			return -1;
		}
		free(schema->levels[l]);
		schema->levels[l] = xstrdup(name);
	}
	return 0;
}

int schema_load(struct schema *schema, const char *path, char *err, size_t errlen)
{
	struct loader ld = {.schema = schema, .err = err, .errlen = errlen, .path = path};
	int bad = 0, rc;

	memset(schema, 0, sizeof(*schema));
	err[0] = '\0';
	rc = ini_parse_file(path, on_line, &ld, &bad);
	if (rc < 0 && bad == 0)
		snprintf(err, errlen, "无法读取数据集定义文件 %s：%m", path);
	else if (rc < 0)
		snprintf(err, errlen, "%s:%d: 无法解析的行（应为 键 = 值 或 [节]）", path, bad);
	if (rc == 0)
		rc = finish(&ld);
	if (rc == 0)
		rc = canonical_levels(schema, path, err, errlen);
	for (size_t i = 0; i < schema->nsets; i++) {
		free(ld.person[i]);
		free(ld.amount[i]);
		free(ld.period[i]);
		free(ld.household[i]);
		free(ld.unique[i]);
	}
	free(ld.person);
	free(ld.amount);
	free(ld.period);
	free(ld.household);
	free(ld.unique);
	for (size_t i = 0; i < ld.nlists; i++) {
		ini_free_list(ld.lists[i].values, ld.lists[i].nvalues);
		free(ld.lists[i].name);
	}
	free(ld.lists);
	if (rc != 0) {
		schema_release(schema);
		return -1;
	}
	return 0;
}

void schema_release(struct schema *schema)
{
	ini_free_list(schema->levels, schema->nlevels);
	for (size_t i = 0; i < schema->nsets; i++) {
		struct dataset *ds = &schema->sets[i];
		for (size_t c = 0; c < ds->ncols; c++) {
			struct column *col = &ds->cols[c];
			free(col->name);
			free(col->key);
			ini_free_list(col->match, col->nmatch);
			ini_free_list(col->values, col->nvalues);
			ini_free_list(col->values_folded, col->nvalues);
		}
		free(ds->cols);
		free(ds->name);
		free(ds->title);
	}
	free(schema->sets);
	memset(schema, 0, sizeof(*schema));
}

const struct dataset *schema_find(const struct schema *schema, const char *name)
{
	for (size_t i = 0; i < schema->nsets; i++)
		if (strcmp(schema->sets[i].name, name) == 0)
			return &schema->sets[i];
	return NULL;
}

int dataset_column(const struct dataset *ds, const char *name)
{
	char folded[512];

	text_fold(folded, sizeof(folded), name, strlen(name));
	for (size_t c = 0; c < ds->ncols; c++)
		for (size_t m = 0; m < ds->cols[c].nmatch; m++)
			if (strcmp(ds->cols[c].match[m], folded) == 0)
				return (int)c;
	return -1;
}

int column_enum_index(const struct column *col, const char *value, size_t len)
{
	char folded[256];

	text_fold(folded, sizeof(folded), value, len);
	for (size_t i = 0; i < col->nvalues; i++)
		if (strcmp(col->values_folded[i], folded) == 0)
			return (int)i;
	return -1;
}

/* v with a comma every three digits: "1,000,000" (v >= 0). */
static void grouped(char *buf, size_t cap, int64_t v)
{
	char digits[24];
	int n = snprintf(digits, sizeof(digits), "%lld", (long long)v);
	size_t o = 0;

	for (int i = 0; i < n && o + 2 < cap; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

char *column_over_max(const struct column *col, int64_t v)
{
	char limit[40];

	/* -v is safe: parsed values have at most 15 digits */
	if (v <= col->max && -v <= col->max)
		return NULL;
	if (col->type == COL_MONEY) {
		grouped(limit, sizeof(limit), col->max / 100);
		return xasprintf("%s超过每行上限 %s.%02lld 元（金额不像真实数据；上限见 "
				 "schema.ini 的 max）",
				 col->name, limit, (long long)(col->max % 100));
	}
	grouped(limit, sizeof(limit), col->max);
	return xasprintf("%s超过每行上限 %s（数值不像真实数据；上限见 schema.ini 的 max）",
			 col->name, limit);
}

const char *col_type_name(enum col_type type)
{
	switch (type) {
	case COL_ID:
		return "身份证号";
	case COL_TEXT:
		return "文本";
	case COL_ENUM:
		return "选项";
	case COL_MONTH:
		return "年月";
	case COL_DATE:
		return "日期";
	case COL_MONEY:
		return "金额";
	case COL_INTEGER:
		return "整数";
	}
	return "?";
}
