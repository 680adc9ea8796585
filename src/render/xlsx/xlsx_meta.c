/*
 * xlsx_meta.c - the two fixed sheets after the tables and charts:
 *
 *	指标	 every figure of the narrative: what it is in the report's
 *		 words (the clause it stands in), its number as a real number
 *		 in its unit (yuan, count, a percentage), the unit, the text
 *		 the report shows, and the expression and formatter as written
 *		 in the template, so a reader can check any number.  Label and
 *		 unit are the doc's (the template stage made them).
 *	数据质量 the report's appendix (report.c): row counts per file and
 *		 per dataset, the reasons for rejected rows, where the report
 *		 came from.
 */
#include <stdio.h>
#include <stdlib.h>

#include "util/xalloc.h"
#include "xlsx_priv.h"

static const char *const figure_heads[] = {"指标", "数值", "单位", "报告中的写法", "表达式"};

#define FIGURE_COLS (sizeof(figure_heads) / sizeof(figure_heads[0]))

enum { COL_LABEL, COL_VALUE, COL_UNIT, COL_TEXT, COL_EXPR };

/* The number of f, a real number cell in its unit; nothing without data. */
static void put_figure_value(struct xlsx_sheet *s, lxw_row_t row, const struct doc_figure *f)
{
	struct xlsx_ctx *x = s->x;

	if (f->present && f->den != 0)
		xlsx_put_number(s, row, COL_VALUE, (double)f->raw / (double)f->den, 10,
				x->f.percent[f->digits < 0   ? 0
					     : f->digits > 2 ? 2
							     : f->digits][0]);
	else if (f->present)
		xlsx_put_value(s, row, COL_VALUE, f->raw, f->unit,
			       f->unit == UNIT_FEN ? x->f.yuan : x->f.count);
	else
		xlsx_put_text(s, row, COL_VALUE, "", x->f.text); /* no data: no number */
}

static void put_heads(struct xlsx_sheet *s, lxw_row_t row, const char *const *heads, size_t n)
{
	for (size_t c = 0; c < n; c++)
		xlsx_put_text(s, row, (lxw_col_t)c, heads[c], s->x->f.header);
}

void xlsx_figures_sheet(struct xlsx_ctx *x)
{
	const struct doc *d = x->doc;
	struct xlsx_sheet s;

	if (!xlsx_sheet_open(x, &s, XLSX_SHEET_FIGURES, true))
		return;
	put_heads(&s, 0, figure_heads, FIGURE_COLS);
	for (size_t i = 0; i < d->nfigures; i++) {
		const struct doc_figure *f = &d->figures[i];
		lxw_row_t row = (lxw_row_t)(1 + i);
		/* the expression and its formatter as a placeholder writes them */
		char *expr = f->format && *f->format ? xasprintf("%s | %s", f->expr, f->format)
						     : xstrdup(f->expr ? f->expr : "");

		xlsx_put_text(&s, row, COL_LABEL, f->label ? f->label : f->expr, x->f.text);
		put_figure_value(&s, row, f);
		xlsx_put_text(&s, row, COL_UNIT, f->unit_label, x->f.text);
		xlsx_put_text(&s, row, COL_TEXT, f->text && *f->text ? f->text : "—", x->f.text);
		xlsx_put_text(&s, row, COL_EXPR, expr, x->f.text);
		free(expr);
	}
	worksheet_freeze_panes(s.ws, 1, 1);
	xlsx_check(
	    x,
	    worksheet_autofilter(s.ws, 0, 0, (lxw_row_t)d->nfigures, (lxw_col_t)(FIGURE_COLS - 1)),
	    s.name);
	xlsx_print_setup(&s, 0, false);
	xlsx_sheet_close(&s);
}

/*
 * 数据质量: the doc's appendix, block after block:
 * headings as section rows, paragraphs as a line of text, tables as on a
 * table's own sheet (caption, headings, body, SUM totals, note).
 */
void xlsx_quality_sheet(struct xlsx_ctx *x)
{
	const struct doc *d = x->doc;
	struct xlsx_sheet s;
	lxw_row_t row = 0;
	bool filtered = false;

	if (!xlsx_sheet_open(x, &s, XLSX_SHEET_QUALITY, true))
		return;
	for (size_t i = 0; i < d->nappendix; i++) {
		const struct doc_block *b = &d->appendix[i];
		char *text = doc_text_join(&b->text);

		/* a blank row before a section or a table, none right under a heading */
		if (i > 0 && (b->kind == DOC_HEADING || b->kind == DOC_TABLE) &&
		    d->appendix[i - 1].kind != DOC_HEADING)
			row++;
		switch (b->kind) {
		case DOC_HEADING:
			xlsx_put_title(&s, row++, 0, text,
				       b->level <= 1 ? x->f.caption : x->f.section);
			break;
		case DOC_TABLE:
			if (b->table == NULL)
				break;
			/* the files: a long list to sort and filter */
			if (!filtered)
				xlsx_table_filter(&s, row, b->table);
			filtered = true;
			row = xlsx_put_table(&s, row, b->table);
			break;
		case DOC_PARAGRAPH:
		case DOC_LIST_ITEM:
			xlsx_put_title(&s, row++, 0, text, x->f.text);
			break;
		default:
			break;
		}
		free(text);
	}
	/* tables of different columns: no one header row to repeat */
	xlsx_print_setup(&s, XLSX_NO_REPEAT, false);
	xlsx_sheet_close(&s);
}
