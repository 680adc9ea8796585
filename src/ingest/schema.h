/*
 * schema.h - the datasets civreport reads, declared as data.
 *
 * templates/schema.ini says, for each dataset (relief, children, elderly,
 * charity), its columns: canonical Chinese header, ASCII key, aliases, type,
 * whether required, allowed values and whether it is personal data.  Adding a
 * column or an alias is an edit of that file, never of C.
 *
 * A loaded schema is read-only and shared by every stage: ingest matches
 * headers and types values with it, the query language resolves names in it.
 */
#ifndef CIVREPORT_SCHEMA_H
#define CIVREPORT_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum col_type {
	COL_ID, /* 18-character resident ID, parsed to a 64-bit integer */
	COL_TEXT,
	COL_ENUM,  /* one of the listed values; stored as its index */
	COL_MONTH, /* stored as yyyymm */
	COL_DATE,  /* stored as yyyymmdd */
	COL_MONEY, /* stored in fen */
	COL_INTEGER,
};

enum pii_mask {
	MASK_NONE,
	MASK_ID,   /* 511602********123X */
	MASK_NAME, /* 张* */
};

struct column {
	char *name; /* canonical header, e.g. 身份证号 */
	char *key;  /* ASCII name for expressions, e.g. id; may be NULL */
	enum col_type type;
	bool required;
	bool negative; /* money/integer: negative values allowed */
	/*
	 * money/integer: the largest magnitude one row may hold (fen for
	 * money), from schema.ini's max; INT64_MAX when not set.  A row above
	 * it is a typo, never a payment: it is rejected (VALUE_CEILING), and
	 * it bounds what one row can add to a sum.
	 */
	int64_t max;
	enum pii_mask mask;
	char **match; /* folded header spellings: name, key, aliases */
	size_t nmatch;
	char **values; /* enum values as written in the schema */
	char **values_folded;
	size_t nvalues;
};

struct dataset {
	char *name;  /* relief */
	char *title; /* 社会救助发放明细 */
	struct column *cols;
	size_t ncols;
	int person;      /* column index of the person ID, or -1 */
	int amount;      /* the money column "amount" sums, or -1 */
	int period;      /* month or date column placing a row in a year */
	int household;   /* column counted by "households", or -1 */
	int unique_enum; /* duplicate key: person + this enum column + period month; -1: none */
};

struct schema {
	struct dataset *sets;
	size_t nsets;
	/*
	 * [areas] levels = 区县, 乡镇(街道): the column names of the area
	 * hierarchy, widest first.  A report of one area (--where 区县=岳池县,
	 * a --each 区县 report) breaks down by the next level ($sub).
	 */
	char **levels;
	size_t nlevels;
};

/*
 * Load the schema at path.  Returns 0, or -1 with a message in err naming the
 * file, line and problem.  Release with schema_release().
 */
int schema_load(struct schema *schema, const char *path, char *err, size_t errlen);
void schema_release(struct schema *schema);

/* The dataset called name, or NULL. */
const struct dataset *schema_find(const struct schema *schema, const char *name);

/*
 * The column of ds whose canonical name, key or alias matches name after
 * folding (width, spaces, case), or -1.
 */
int dataset_column(const struct dataset *ds, const char *name);

/* The index of value among the enum column's values after folding, or -1. */
int column_enum_index(const struct column *col, const char *value, size_t len);

/*
 * Whether v (a typed money or integer value of col) is within the column's
 * per-row maximum; when not, returns the reason as a malloc'd sentence
 * ("发放金额超过每行上限 1,000,000.00 元(schema.ini 的 max)"), else NULL.
 */
char *column_over_max(const struct column *col, int64_t v);

/* Chinese name of a column type for messages: "身份证号", "金额", ... */
const char *col_type_name(enum col_type type);

#endif
