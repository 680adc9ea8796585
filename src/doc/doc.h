/*
 * doc.h - the report as the renderers see it.
 *
 * The template stage fills one struct doc: every figure already computed and
 * formatted, every chart and table already laid out as data.  The PDF and
 * XLSX renderers read it and nothing else; they never include ingest or query
 * headers (as mandoc's renderers see only the parsed tree).  A doc is built
 * once, is read-only for renderers, and freed with doc_free().
 *
 * Raw numbers keep their integer form: money in fen (enum unit UNIT_FEN),
 * counts as integers.  Renderers convert to yuan themselves (fen / 100) for
 * display scales; text for readers is already formatted in the doc.
 */
#ifndef CIVREPORT_DOC_H
#define CIVREPORT_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/unit.h"

/* Inline text runs: a paragraph is a list of runs with styles. */
enum doc_run_flags {
	DOC_RUN_BOLD = 1 << 0,
	DOC_RUN_ITALIC = 1 << 1,
	DOC_RUN_FIGURE = 1 << 2, /* came from a {{ placeholder }} */
	DOC_RUN_CODE = 1 << 3,
};

struct doc_run {
	char *text; /* UTF-8 */
	unsigned flags;
};

struct doc_text {
	struct doc_run *runs;
	size_t nruns;
};

struct doc_cell {
	char *text;   /* formatted for readers, e.g. "3.5亿" or "12,345.67" */
	bool numeric; /* right-aligned; raw is meaningful */
	int64_t raw;  /* fen for UNIT_FEN, else the count */
	enum unit unit;
	int64_t scale; /* the column shows raw (in yuan or count) / scale, e.g. 10000 for 万元;
			  0 or 1 = as is.  XLSX writes raw / 100 / scale as the cell's number */
	int digits;    /* decimals the column shows (number format 0.00 for 2) */
	int64_t den;   /* a ratio (share, growth): the cell's number is raw / den, shown
			  as a percentage with digits decimals; 0 = not a ratio */
};

/*
 * A table: header row, body rows, and optionally a final totals row.
 * cells holds (nrows) * ncols cells row-major, the totals row (if any) last
 * and included in nrows.  summable[c] says the totals row's cell c is the sum
 * of the column above it (XLSX writes it as a SUM formula).
 */
struct doc_table {
	char *title; /* caption without its number: renderers add 表1, 表2 */
	size_t ncols;
	size_t nrows;
	char **header; /* ncols column headings */
	struct doc_cell *cells;
	bool has_total; /* last row is 合计 */
	bool *summable; /* ncols flags */
	char *note;     /* optional source/unit note under the table, or NULL */
};

enum chart_type {
	CHART_BAR,     /* vertical columns */
	CHART_HBAR,    /* horizontal bars */
	CHART_STACKED, /* stacked vertical columns */
	CHART_LINE,
	CHART_PIE,
	CHART_DOUGHNUT,
};

struct doc_series {
	char *name;      /* legend text */
	int64_t *values; /* ncat raw values: fen or counts */
	char **labels;   /* ncat formatted value labels, e.g. "5,842.3" */
	uint32_t color;  /* 0xRRGGBB; 0 = renderer's palette */
};

/*
 * A chart.  Axis values are raw / (unit == UNIT_FEN ? 100 : 1) / scale, e.g.
 * scale 10000 with unit_label "万元" for money in 万元.
 */
struct doc_chart {
	enum chart_type type;
	char *title; /* caption without number: renderers add 图1, 图2 */
	enum unit unit;
	int64_t scale;        /* 1, 10000 or 100000000 */
	char *unit_label;     /* axis title such as "万元" or "人" */
	char *category_label; /* axis title for categories, e.g. "区县" */
	size_t ncat;
	char **categories;
	size_t nseries;
	struct doc_series *series;
};

enum doc_block_kind {
	DOC_HEADING, /* level 1: 一、二、 sections; level 2: sub-sections */
	DOC_PARAGRAPH,
	DOC_LIST_ITEM, /* one item of a bullet or numbered list */
	DOC_TABLE,
	DOC_CHART,
	DOC_PAGE_BREAK,
};

struct doc_block {
	enum doc_block_kind kind;
	int level;            /* heading level 1..3; list nesting depth 1.. */
	int list_number;      /* numbered lists: the item's number, else 0 */
	struct doc_text text; /* headings, paragraphs, list items */
	struct doc_table *table;
	struct doc_chart *chart;
};

/* One figure of the narrative, for the XLSX 指标 sheet. */
struct doc_figure {
	char *expr;   /* the expression as written in the template */
	char *format; /* the formatter as written, e.g. "万:1" */
	char *text;   /* the formatted text that the report shows */
	int64_t raw;
	enum unit unit;
	bool present; /* false when the data for it is missing (e.g. @prev) */
	int64_t den;  /* a share or growth: the figure is raw / den; 0 otherwise */
	int digits;   /* decimals of a share or growth */
};

/* Data quality of one input file, for the appendix and the 数据质量 sheet. */
struct doc_file {
	char *path;          /* relative to the input folder */
	char *dataset;       /* relief, children, ... */
	char *dataset_title; /* 社会救助发放明细 */
	char *encoding;      /* "UTF-8", "UTF-8 (BOM)", "GB18030" */
	int64_t size;        /* bytes */
	char sha256[65];     /* hex */
	uint64_t read, accepted, rejected, outside;
};

struct doc_reason {
	char *reason; /* e.g. "身份证号校验位错误" */
	uint64_t count;
};

struct doc_meta {
	char *title;        /* 广安市2021年民政工作总结 */
	char *organisation; /* 广安市民政局 */
	char *author;
	char *subject;
	char *keywords;
	char *date_label; /* 2021年12月31日, printed under the title */
	int64_t created;  /* Unix time for metadata; never the clock */
	int year;
	char *body_font;    /* "Noto Serif CJK SC" */
	char *heading_font; /* "Noto Sans CJK SC" */
	char *title_font;   /* "Noto Serif CJK SC" (rendered Bold) */
};

struct doc {
	struct doc_meta meta;
	struct doc_block *blocks;
	size_t nblocks;
	struct doc_figure *figures;
	size_t nfigures;
	struct doc_file *files;
	size_t nfiles;
	struct doc_reason *reasons; /* most frequent first */
	size_t nreasons;
	char *template_path;
	char template_sha256[65];
	char *version; /* civreport version string */
};

/* Free a table and everything it owns (NULL is fine). */
void doc_table_free(struct doc_table *t);

/* Free everything a doc owns, and the doc itself. */
void doc_free(struct doc *doc);

#endif
