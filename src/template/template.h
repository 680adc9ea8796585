/*
 * template.h - the report template: a Markdown document (CommonMark + GFM
 * tables, parsed with cmark-gfm) with a front-matter block, {{ expression |
 * formatter }} placeholders, and fenced ```chart and ```table blocks.
 *
 * Life of a template in a run:
 *	template_load      parse and check every expression and formatter,
 *	                   before any data is read (also `civreport lint`)
 *	template_register  hand every expression to the aggregate stage
 *	template_build     after the scan: fill in figures, lay out tables
 *	                   and charts, and return the doc the renderers read
 *
 * templates/README.md documents the language for officers, in Chinese.
 */
#ifndef CIVREPORT_TEMPLATE_H
#define CIVREPORT_TEMPLATE_H

#include <stdio.h>

#include "engine/agg.h"
#include "doc/doc.h"
#include "ingest/schema.h"

struct template;

/* One problem found in a template, located for the officer who wrote it. */
struct template_diag {
	int line;          /* 1-based line in the template file */
	int column;        /* 1-based character column */
	char message[640]; /* Chinese, with a suggestion when there is one */
};

/* Settings from the front matter, with defaults filled in. */
struct template_meta {
	const char *title; /* "{year}", "{area}" ... already replaced */
	const char *area;  /* {area}: the front matter's area, or the burst report's value */
	const char *organisation;
	const char *author;
	const char *subject;
	const char *keywords;
	const char *date_label;
	const char *pdf_name; /* e.g. "annual-report-2021.pdf" */
	const char *xlsx_name;
	const char *docx_name; /* NULL: the template names no docx: and none is written */
	const char *font[DOC_NFONT_ROLES]; /* each role's installed family (enum doc_font_role) */
	bool title_bold;                   /* false for a 小标宋, heavy as it is */
	enum doc_style style;              /* compact or gbt9704 */
	const char *mail_subject;          /* for the mail stage; may be NULL */
	const char *mail_body; /* plain text with placeholders filled after build; may be NULL */
};

/*
 * What one report covers: its period, and its area when it is not the
 * whole of the data (--where, or one value of --each).
 */
struct template_scope {
	struct period period;
	/*
	 * 列=值 restrictions added to every expression (--where, and the
	 * --each value of a burst report); a dataset the template uses that
	 * lacks such a column is an error of the template.
	 */
	const char *const *where;
	size_t nwhere;
	const char *area; /* {area}: NULL for the front matter's area */
	/*
	 * The column the report's areas are (区县 in the whole report, 乡镇
	 * in a 区县 report): `by $sub` and {sub} mean it.  NULL: the schema's
	 * first area level.
	 */
	const char *sub;
	bool burst; /* one report of --each: whole-report-only text is left out */
};

/*
 * Load and check the template at path for scope.  Returns 0 and *out, or
 * -1 with the problems in *diags (malloc'd, *ndiags of them; free with
 * free()) and *out NULL.  A file that can't be read is one diag at line 0.
 */
int template_load(struct template **out, const char *path, const struct schema *schema,
		  const struct template_scope *scope, struct template_diag **diags, size_t *ndiags);

/* Register every expression of the template with agg (before the scan). */
void template_register(struct template *t, struct agg *agg);

/*
 * Build the document from the finished aggregates.  The doc's meta, blocks
 * and figures are filled; files, reasons and provenance are the caller's.
 * texts, when not NULL, holds agg_count(agg) NULL pointers: each figure the
 * report's text shows gets the text it shows first (malloc'd; the caller
 * frees them), for metrics.json.
 */
struct doc *template_build(const struct template *t, const struct agg *agg, char **texts);

/*
 * The agg handles of t's figures, in the order template_register added
 * them (malloc'd into *ids; returns their count): what the report's
 * metrics.json lists when several templates share one agg (--each).
 */
size_t template_handles(const struct template *t, size_t **ids);

/* The front-matter settings (valid while t lives). */
const struct template_meta *template_meta(const struct template *t);

/*
 * The front matter's mail_subject or mail_body (which = "subject"/"body")
 * with its placeholders filled from the finished aggregates, or NULL when
 * the template has none.  The caller frees the result.  Placeholders in them
 * are checked and registered like the body's.
 */
char *template_fill_mail(const struct template *t, const struct agg *agg, const char *which);

void template_free(struct template *t);

/* Print diagnostics as path:line:col: 错误: message, one per line. */
void template_print_diags(FILE *fp, const char *path, const struct template_diag *diags,
			  size_t ndiags);

#endif
