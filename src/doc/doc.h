/*
 * doc.h - the report as the renderers see it.
 *
 * The template stage fills one struct doc: every figure already computed and
 * formatted, every chart and table already laid out as data, every caption
 * numbered; report.c adds the appendix (data quality and provenance).  The
 * PDF, DOCX and XLSX renderers read it and nothing else; they never include
 * ingest, engine or template headers (as mandoc's renderers see only the
 * parsed tree) and create no content: every word and every number a reader
 * sees is text in the doc.  A doc is built once, is read-only for
 * renderers, and freed with doc_free().
 *
 * Raw numbers keep their integer form: money in fen (enum unit UNIT_FEN),
 * counts as integers, for the cells of a workbook and the geometry of a
 * chart: renderers divide (fen / 100 / scale) to place or store a number,
 * never to write one as text.
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
	bool code;     /* a hash: set in a monospace face, broken anywhere */
	/*
	 * A figure that has no meaning here, text "—" (统计表: 该项不应有数字;
	 * rows came, none with the column summed; no base to compare with; a
	 * "-" cell of the template), in the place of a number: not numeric, raw
	 * 0, aligned as the column's numbers (right), a text cell in the XLSX.
	 * The template stage sets it; renderers never look for "—" in text.
	 */
	bool no_value;
};

/*
 * A table: header row, body rows, and optionally a final totals row.
 * cells holds (nrows) * ncols cells row-major, the totals row (if any) last
 * and included in nrows.  summable[c] says the totals row's cell c is the sum
 * of the column above it (XLSX writes it as a SUM formula).
 */
struct doc_table {
	char *label; /* "表1", "附表2": the caption reads "<label> <title>" */
	char *title;
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
	char **shares;   /* pie, doughnut: ncat shares of the total, "12.3%"; else NULL */
	uint32_t color;  /* 0xRRGGBB; 0 = renderer's palette */
	/*
	 * ncat flags, or NULL when every category has a value: true where the
	 * value has no meaning (rows came, none with the column; a comparison
	 * period without rows).  Its value is 0 and its label "—"; the
	 * category stays, but no bar, segment, sector or point is drawn there
	 * (a line has a gap), and the XLSX leaves the cell the chart reads
	 * blank (Excel draws a text cell as 0, a blank as a gap).
	 */
	bool *no_value;
	/*
	 * The headings of the series' columns in a table of the chart's data
	 * (the XLSX data sheet), one unit each, named in full-width brackets:
	 * head for the values as stored (yuan, counts), "低保金（元）";
	 * head_scaled for them in the chart's unit, "低保金（万元）", or NULL
	 * when the chart shows them as stored (scale 1).
	 */
	char *head;
	char *head_scaled;
};

/* The value axis may have DOC_AXIS_MIN to DOC_AXIS_MAX intervals. */
#define DOC_AXIS_MIN 2
#define DOC_AXIS_MAX 8

/*
 * One choice of value axis: ticks at lo, lo + step, ... hi (display units),
 * nticks intervals, each tick with its label.
 */
struct doc_axis {
	double lo, hi, step;
	int nticks;
	char **labels; /* nticks + 1 */
};

/*
 * A chart.  Axis values are raw / (unit == UNIT_FEN ? 100 : 1) / scale, e.g.
 * scale 10000 with unit_label "万元" for money in 万元.  doc_chart_finish()
 * fills in the labels, totals, shares, axes and data headings from the
 * values.  Every series of a chart is in the one unit: money (UNIT_FEN)
 * or counts of one kind (the template refuses persons beside households).
 */
struct doc_chart {
	enum chart_type type;
	char *label; /* "图1": the caption reads "<label> <title>" */
	char *title;
	enum unit unit;
	int64_t scale;        /* 1, 10000 or 100000000 */
	char *unit_label;     /* axis title such as "万元" or "人" */
	char *category_label; /* axis title for categories, e.g. "区县" */
	size_t ncat;
	char **categories;
	size_t nseries;
	struct doc_series *series;
	char **totals; /* stacked: ncat stack totals like the labels, NULL where one overflows */
	int digits;    /* decimals of the labels, totals and XLSX data labels */
	bool grouped;  /* and whether they separate thousands ("5,842.3") */
	double vmin, vmax; /* the plotted range in display units (stacks: their extremes) */
	/*
	 * The value axis for about n intervals is axes[n - DOC_AXIS_MIN]: the
	 * renderer picks n from the room it has, the ticks' text is here.
	 */
	struct doc_axis axes[DOC_AXIS_MAX - DOC_AXIS_MIN + 1];
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
	/*
	 * What the figure is, in the report's words: the clause it stands in,
	 * the figure set off, "为【26.7万】名城乡困难群众发放低保金3.5亿元";
	 * the expression when the text around it says nothing.
	 */
	char *label;
	/*
	 * The unit of the number raw gives (money in 元, never 万元; a share
	 * or growth rate %): 元 人 户 人次 个 % 元/人 ...; "" when neither the
	 * data nor the text tells.
	 */
	char *unit_label;
	char *expr;   /* the expression as written in the template */
	char *format; /* the formatter as written, e.g. "万:1" */
	char *text;   /* the formatted text that the report shows */
	int64_t raw;
	enum unit unit;
	bool present; /* false when the data for it is missing (e.g. @prev) */
	int64_t den;  /* a share or growth: the figure is raw / den; 0 otherwise */
	int digits;   /* decimals of a share or growth */
};

/*
 * The font roles of GB/T 9704 a report's text is set in.  The renderers
 * draw each part of the doc in its role's family: the title, 一、 headings
 * (and captions, chart labels), （一） headings, the body, table cells
 * and notes.
 */
enum doc_font_role {
	DOC_FONT_TITLE,    /* 小标宋 role */
	DOC_FONT_HEADING1, /* 黑体 role */
	DOC_FONT_HEADING2, /* 楷体 role */
	DOC_FONT_BODY,     /* 仿宋 role */
	DOC_FONT_TABLE,
	DOC_NFONT_ROLES,
};

/*
 * The page's type: compact (14pt body on a 28pt grid, the default) or
 * GB/T 9704's strict layout (3号 body, 22 lines of 28 characters a page,
 * title 2号).
 */
enum doc_style {
	DOC_STYLE_COMPACT,
	DOC_STYLE_GBT9704,
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
	/*
	 * The installed family chosen for each role (the first of the
	 * template's list that is installed); NULL or "": the renderer's
	 * default for the role.
	 */
	char *font[DOC_NFONT_ROLES];
	bool title_bold; /* false for a 小标宋, a heavy face set as it is */
	enum doc_style style;
	char *generator; /* "civreport 1.2.0": the files' creator */
};

struct doc {
	struct doc_meta meta;
	struct doc_block *blocks;
	size_t nblocks;
	struct doc_figure *figures;
	size_t nfigures;
	/*
	 * 附录: data quality and provenance (report.c).  The PDF and the DOCX
	 * set it after the body, from a new page; the workbook on its 数据质量
	 * sheet.
	 */
	struct doc_block *appendix;
	size_t nappendix;
};

/*
 * A table of ncols columns and nrows rows (the totals row included), every
 * header and cell empty ("" text), nothing summable: the builders fill it.
 */
struct doc_table *doc_table_new(const char *label, const char *title, size_t ncols, size_t nrows);

/* The cell at row r, column c of t. */
struct doc_cell *doc_table_cell(struct doc_table *t, size_t r, size_t c);

/* Set a cell's or a header's text to a copy of s (NULL: ""). */
void doc_set_text(char **slot, const char *s);

/* Append a block of kind to blocks (*n of them); the new block is zeroed. */
struct doc_block *doc_block_add(struct doc_block **blocks, size_t *n, enum doc_block_kind kind,
				int level);

/* A text of one run, for headings and paragraphs the doc stage writes. */
void doc_text_set(struct doc_text *t, const char *s);

/* The runs of t joined, without their styles; the caller frees it. */
char *doc_text_join(const struct doc_text *t);

/*
 * Every number a chart shows, as text, from its values: value labels left
 * empty, stack totals, pie shares, the plotted range and the value axes;
 * and the headings of its data columns (doc_series.head, head_scaled).
 * The template stage calls it once per chart, when its values are final:
 * a second call recomputes totals, shares, range and axes, but keeps every
 * label already there, also those the first call made.
 */
void doc_chart_finish(struct doc_chart *c);

/*
 * Drop what doc_chart_finish() made (totals, shares, axes, headings; not
 * the labels), before a chart's categories or series change size.
 */
void doc_chart_forget(struct doc_chart *c);

/* Whether series s has no value at category i (its no_value flag). */
bool doc_series_no_value(const struct doc_series *s, size_t i);

/*
 * The marker of a list item b as readers see it: "1." at the first level,
 * "（1）" below it, bullets "●" and "○": every renderer draws the same.
 */
void doc_list_marker(const struct doc_block *b, char *buf, size_t len);

/*
 * The family role r is set in: the doc's, or when it has none (a doc not
 * made from a template) the Debian default (Noto Serif / Sans CJK SC).
 */
const char *doc_font_family(const struct doc_meta *m, enum doc_font_role r);

/* Free a table and everything it owns (NULL is fine). */
void doc_table_free(struct doc_table *t);

/* Free everything a doc owns, and the doc itself. */
void doc_free(struct doc *doc);

#endif
