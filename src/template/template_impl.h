/*
 * template_impl.h - internals shared by the template stage's files.  Each
 * calls only the files listed below it (make check-layering):
 *
 *	loading (template_load)
 *	template.c		the file, front matter, orchestration
 *	template_markdown.c	the cmark-gfm tree turned into template blocks
 *	template_block.c	```chart and ```table blocks: parsing, checking
 *	template_placeholder.c	{{ }} placeholders and figures: parsing, checking
 *
 *	building (template_build)
 *	template_build.c	the doc and the mail text from the aggregates
 *	template_layout.c	charts and tables laid out from the aggregates
 *	template_runs.c		text with its figures filled in, figures recorded
 *	template_figure.c	one figure's value, looked up and formatted
 *
 *	shared
 *	template_expr.c		the expressions, parsed once, read by handle
 *	template_label.c	a figure's label and unit for the 指标 sheet
 *	template_util.c		diagnostics, columns, hints, trimming, {year}
 *
 * A template is checked completely at load and kept as plain data (no cmark
 * tree survives template_load): building a doc only evaluates figures.
 * Nothing outside src/template includes this header.
 *
 * Never: look at data here (that is agg's), print anything (diagnostics are
 * returned to the caller), or use floating point for a figure.
 */
#ifndef CIVREPORT_TEMPLATE_IMPL_H
#define CIVREPORT_TEMPLATE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doc/doc.h"
#include "engine/format.h"
#include "engine/query.h"
#include "template.h"

struct tpl_record;

/* Placeholders become U+E000 <index> U+E001 before cmark sees the text. */
#define TPL_MARK_OPEN  "\xee\x80\x80"
#define TPL_MARK_CLOSE "\xee\x80\x81"
#define TPL_MARK_LEN   3

/* A formatter as a template writes it: format.h's, plus 万元:N and 亿元:N. */
struct tpl_format {
	struct format_spec spec;
	bool bare; /* 万元:N / 亿元:N: the number only, without 万 or 亿 */
};

enum fig_kind {
	FIG_VALUE,  /* one expression */
	FIG_RATIO,  /* A / B: a share (pct:N) or an average (元:2 etc.) */
	FIG_GROWTH, /* A against A@prev (or A@last), shown with growth:N or change:N */
	FIG_YEAR,   /* $year or $prev */
};

/* Where a figure stands decides what it may be. */
enum fig_place {
	PLACE_TEXT,   /* narrative, GFM table cell, mail: a single number */
	PLACE_SERIES, /* chart series: a grouped plain value */
	PLACE_COLUMN, /* grouped table column: grouped by the table's rows */
	PLACE_CELL,   /* listed table cell: a single number */
};

/* A figure side without an expression (years, one-sided figures). */
#define TPL_NO_EXPR SIZE_MAX

/*
 * One expression of the template, parsed once at load and joined to its
 * figure in agg by a handle (agg_id), never looked up again by its text.
 */
struct tpl_expr {
	struct query q; /* handed over to agg by template_register */
	size_t agg_id;  /* valid once registered */
};

/* One figure: a placeholder, a chart series, a table column or cell. */
struct tpl_fig {
	enum fig_kind kind;
	bool average;        /* FIG_RATIO shown as a value (人均): A * ratio_scale / B */
	int64_t ratio_scale; /* 100 for an average of like units (hundredths, as fen), else 1 */
	char *expr;          /* as written, trimmed: "A / B" */
	char *format;        /* the formatter as written, or the default applied */
	struct tpl_format fmt;
	size_t qa; /* the value, numerator or current: an index into template.exprs */
	size_t qb; /* the denominator, or A@prev for growth; TPL_NO_EXPR */
	enum unit unit;
	enum measure measure;
	size_t ds_index;
	size_t nby;
	char *by_names; /* canonical by-column names, "区县" or "区县,救助类别"; NULL */
	bool qb_grouped;
	int year; /* FIG_YEAR: the year shown */
	int line, column;
	/*
	 * The unit of the figure's number on the 指标 sheet (money in 元):
	 * 元 人 户 % 元/人 ..., or NULL when the data cannot tell (a sum of
	 * 数量).  unit_loose: a measure word after the figure in the text
	 * names it better (rows are 人次 in relief, 笔 in a ledger).
	 */
	char *unit_name;
	bool unit_loose;
};

enum span_kind {
	SPAN_TEXT,
	SPAN_FIGURE,
	SPAN_BREAK, /* a soft line break: a space between ASCII words, else nothing */
};

struct tpl_span {
	enum span_kind kind;
	unsigned flags; /* DOC_RUN_* */
	char *text;
	size_t fig;
};

struct tpl_text {
	struct tpl_span *spans;
	size_t nspans, cap;
};

enum tpl_sort {
	SORT_NONE,
	SORT_DESC,
	SORT_ASC,
};

struct tpl_series {
	char *name; /* NULL: the chart title, or the second by-column's values */
	size_t fig;
};

struct tpl_chart {
	enum chart_type type;
	char *title;
	char *unit_label;
	int64_t scale;
	enum unit unit;
	bool has_format;
	struct tpl_format fmt;
	char *category;
	enum tpl_sort sort;
	struct tpl_series *series;
	size_t nseries;
	uint32_t *colors;
	size_t ncolors;
};

enum cell_kind {
	CELL_TEXT,  /* literal text */
	CELL_FIG,   /* a figure */
	CELL_EMPTY, /* "-": nothing to show */
	CELL_RICH,  /* a GFM table cell: text with placeholders */
};

struct tpl_cell {
	enum cell_kind kind;
	char *text;
	size_t fig;
	struct tpl_text rich;
};

enum table_kind {
	TABLE_GROUPED, /* rows: COLUMN, column: HEAD = EXPR | FORMAT */
	TABLE_LISTED,  /* columns: A | B, row: label | expr | expr */
	TABLE_GRID,    /* a GFM pipe table */
};

struct tpl_table {
	enum table_kind kind;
	char *title;
	char *note;
	char *total; /* the totals row's label, or NULL for none */
	enum tpl_sort sort;
	size_t ncols;
	char **header;           /* ncols (grouped: header[0] is the rows' column) */
	struct tpl_cell *hcells; /* grid: ncols header cells */
	size_t *colfig;          /* grouped: figure of columns 1..ncols-1 */
	struct tpl_cell *cells;  /* listed, grid: nrows * ncols */
	size_t nrows;
	struct tpl_cell *totals; /* listed: explicit totals (ncols), or NULL */
};

struct tpl_block {
	enum doc_block_kind kind;
	int level;
	int list_number;
	struct tpl_text text;
	struct tpl_chart *chart;
	struct tpl_table *table;
};

enum meta_key {
	MK_TITLE,
	MK_ORGANISATION,
	MK_AUTHOR,
	MK_SUBJECT,
	MK_KEYWORDS,
	MK_DATE,
	MK_PDF,
	MK_XLSX,
	MK_DOCX,       /* no default: a DOCX only when the template names one */
	MK_TITLE_FONT, /* the font roles, in the order of enum doc_font_role */
	MK_HEADING1_FONT,
	MK_HEADING2_FONT,
	MK_BODY_FONT,
	MK_TABLE_FONT,
	MK_STYLE,
	MK_MAIL_SUBJECT,
	MK_MAIL_BODY,
	MK_AREA,
	MK_COUNT
};

struct template
{
	const struct schema *schema;
	struct period period;
	int year;       /* the calendar year the period ends in: {year}, $year */
	char *area;     /* the scope's area, or NULL for the front matter's */
	char *sub_name; /* {sub}: the canonical name of the column $sub means, or NULL */
	char **where;   /* the scope's 列=值 restrictions */
	size_t nwhere;
	bool burst;
	char *mv[MK_COUNT];          /* front-matter values, defaults filled */
	struct template_meta meta;   /* points into mv */
	char *font[DOC_NFONT_ROLES]; /* each role's installed family, NULL: none is */
	bool title_bold;
	enum doc_style style;
	struct tpl_text mail[2]; /* subject, body with their figures */
	bool has_mail[2];
	struct tpl_fig *figs;
	size_t nfigs, capfigs;
	struct tpl_expr *exprs; /* every expression to register, once, in order of use */
	size_t nexprs, capexprs;
	struct strdict *expr_names; /* expression text -> index into exprs */
	bool registered;            /* template_register has run */
	struct tpl_block *blocks;
	size_t nblocks, capblocks;
};

/* The state of one template_load. */
struct tpl_load {
	struct template *t;
	struct template_diag *diags;
	size_t ndiags, capdiags;
	const char *src; /* the file, front matter blanked, unmarked */
	size_t srclen;
	size_t *lines; /* byte offset of each line's start in src */
	size_t nlines;
	char *mail_marked[2];    /* mail_subject, mail_body with markers */
	int meta_line[MK_COUNT]; /* where each setting was written, 0: default */
	const char *rows_by;     /* while parsing a grouped table: its rows column */
	uint64_t where_said; /* datasets (bit = index) whose lack of a --where column was said */
};

/* template_util.c: the length of a ``` or ~~~ run opening p..e (after indentation), or 0. */
size_t tpl_fence_run(const char *p, const char *e, char *ch);

/* template_fonts.c: the font roles and the page style. */
/* Each role's first installed family into t->font[], or a diag naming what was tried. */
void tpl_fonts_resolve(struct tpl_load *ld);
/* style: compact (default) or gbt9704 into t->style; anything else a diag. */
void tpl_style_resolve(struct tpl_load *ld);
/*
 * Every character of the body (outside comments) and of the front-matter
 * values the reports show against the font of the role that sets it; raw
 * is the file before its front matter was blanked.
 */
void tpl_check_glyphs(struct tpl_load *ld, const char *raw);

/* template_expr.c: the expressions, by handle. */
/*
 * Add q (its contents are taken over, q is left empty) unless an expression
 * of the same text is there; returns its index either way.
 */
size_t tpl_expr_add(struct template *t, struct query *q);
/* The parsed expression at index e (until template_register hands it on). */
const struct query *tpl_expr_query(const struct template *t, size_t e);
/* Hand every expression to agg once, remembering each one's handle. */
void tpl_exprs_register(struct template *t, struct agg *agg);
/* The finished value of expression e, or NULL for TPL_NO_EXPR. */
const struct agg_value *tpl_expr_value(const struct template *t, const struct agg *agg, size_t e);
void tpl_exprs_release(struct template *t);

/* template_util.c: the bottom of the stage. */
void tpl_diag(struct tpl_load *ld, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int tpl_column(const char *start, const char *p);
const char *tpl_nearest(const char *w, const char *const *names, size_t n);
char *tpl_trim(const char *s, size_t len);
char *tpl_replace_vars(const struct template *t, const char *s);
/* Set {sub} and $sub: sub, or the schema's first area level (none: NULL). */
void tpl_scope_sub(struct tpl_load *ld, const char *sub);
/* {area}: the scope's area, else the front matter's, else "". */
const char *tpl_area(const struct template *t);
const char *tpl_line(const struct tpl_load *ld, int line, size_t *len);

/* template_label.c: the 指标 sheet's words for a figure. */
/*
 * The unit of what q counts: 元 for money, 人 and 户 for persons and
 * households, rows 人次 and sums by the column's name (受益人数: 人); NULL
 * when the data cannot tell.  *loose: a measure word in the text may say
 * better.  The text is static.
 */
const char *tpl_query_unit(const struct query *q, bool *loose);
/*
 * The unit the measure word at the start of text names: 人次, 个, 套; 名
 * and 位 are 人; a 万 or 亿 before the word is skipped (the sheet's number
 * is not scaled).  NULL when text starts with none.  Static text.
 */
const char *tpl_unit_word(const char *text);
/* The unit a heading ends with in brackets, 数量（个） or 金额(万元) (as 元); NULL. */
const char *tpl_bracket_unit(const char *head);
/*
 * The label of the figure shown at text[at, at + len): the clause around
 * it (to the nearest ，。；：！？ or line break, at most 30 characters each
 * side, "…" where cut), the figure set off as 【26.7万】.  NULL when the
 * clause says nothing but the figure and its unit (the caller uses the
 * expression).  The caller frees it.
 */
char *tpl_figure_label(const char *text, size_t at, size_t len);

/* template_placeholder.c */
int tpl_format_parse(struct tpl_format *f, const char *text, char *err, size_t errlen);
/* A place in the template file: 1-based line and character column. */
struct tpl_pos {
	int line, column;
};

/*
 * Parse and check one figure: expr starts at pos, format (NULL: the
 * default) at fpos.  Returns 0 with the figure's index in *out, or -1 after
 * reporting every problem found.
 */
int tpl_fig_parse(struct tpl_load *ld, enum fig_place place, const char *expr, struct tpl_pos pos,
		  const char *format, struct tpl_pos fpos, size_t *out);
char *tpl_mark(struct tpl_load *ld, const char *s, size_t len, int line, int column);
void tpl_text_marked(struct tpl_text *tx, const char *s, size_t len, unsigned flags);
void tpl_text_add(struct tpl_text *tx, enum span_kind kind, unsigned flags, const char *s,
		  size_t len, size_t fig);
void tpl_text_release(struct tpl_text *tx);
void tpl_fig_release(struct tpl_fig *f);
/* A share (A / B | pct) or a growth rate (growth:N): a percentage, num / den. */
bool tpl_fig_is_rate(const struct tpl_fig *f);

/* The value of a figure, ready for a run or a cell. */
struct fig_result {
	char text[128];
	int64_t raw;
	enum unit unit;
	bool present;
	bool numeric;  /* a quantity (not a ratio or a year) */
	bool no_value; /* text is "—": no data, no value, or nothing to divide by */
	int64_t scale;
	int digits;
	int64_t num, den; /* a ratio or growth: the percentage is num / den */
};

/* A group's key to look a figure up by: parts of an agg_group, n of them. */
struct tpl_key {
	const struct agg_key *parts;
	size_t n;
};

/*
 * Evaluate f: its single value (key NULL; a series' total) or its value in
 * the group with key (found by hash, months of the period matching another
 * year's).  bare: 万:N and 亿:N without their suffix (tables, charts).
 */
void tpl_fig_eval(const struct template *t, const struct agg *agg, const struct tpl_fig *f,
		  const struct tpl_key *key, bool bare, struct fig_result *r);
void tpl_fig_result_cell(const struct fig_result *r, struct doc_cell *cell);
/*
 * v formatted with f: the text, and the scale and decimals of the number it
 * shows (for cells).  bare: 万:N and 亿:N without their suffix.
 */
void tpl_render(char *buf, size_t len, const struct tpl_format *f, bool bare, int64_t v,
		enum unit unit, int64_t *scale, int *digits);

/* template_markdown.c */
void tpl_markdown(struct tpl_load *ld, const char *marked, size_t len);

/* template_block.c */
struct tpl_chart *tpl_chart_parse(struct tpl_load *ld, const char *body, int line);
struct tpl_table *tpl_table_parse(struct tpl_load *ld, const char *body, int line);
void tpl_chart_free(struct tpl_chart *c);
void tpl_table_free(struct tpl_table *tb);

/* The first of ascii or wide (e.g. '|' or "｜") in s outside brackets, or NULL. */
const char *tpl_find_top(const char *s, char ascii, const char *wide);
void tpl_cell_release(struct tpl_cell *c);

/* template_layout.c */
struct doc_chart *tpl_chart_build(const struct template *t, const struct agg *agg,
				  const struct tpl_chart *c);
struct doc_table *tpl_table_build(const struct template *t, const struct agg *agg,
				  const struct tpl_table *tb, struct tpl_record *rec);
/* A key of n parts as a reader sees it ("3月" for a month of the period). */
char *tpl_key_label(const struct agg_key *parts, size_t n);

/*
 * template_runs.c: text with its figures filled in.  A record says where
 * the figures a text shows go: doc->figures (the 指标 sheet) and, by agg
 * handle, the text metrics.json gives each expression (texts may be NULL).
 * A NULL record (mail texts) records nothing.
 */
struct tpl_record {
	struct doc *doc;
	char **texts;
};

void tpl_text_runs(const struct template *t, const struct agg *agg, const struct tpl_text *tx,
		   struct tpl_record *rec, struct doc_text *out);
char *tpl_text_plain(const struct template *t, const struct agg *agg, const struct tpl_text *tx,
		     struct tpl_record *rec);
/*
 * Record figure f with value r in rec's doc (not years; nothing without a
 * doc): its label the expression and its unit the data's until the caller
 * knows the text around it.  Returns its index in doc->figures, or
 * SIZE_MAX when nothing was recorded.
 */
size_t tpl_doc_figure(const struct template *t, struct tpl_record *rec, const struct tpl_fig *f,
		      const struct fig_result *r);

#endif
