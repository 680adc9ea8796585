/*
 * xlsx_chart.c - one worksheet for one chart of the report: the chart's data
 * as a table and a native Excel chart drawn from it.
 *
 *	row 1	图N caption (bold)
 *	row 2	category label, then a heading per column with its one unit:
 *		低保金（元） for the raw yuan or counts, then 低保金（万元）
 *		for the values in the chart's display unit when its scale is not 1
 *	row 3..	one row per category
 *
 * A category whose value has no meaning (doc_series.no_value) keeps its
 * row: "—" in a column the chart does not read, a blank cell in one it
 * reads (a gap; Excel would draw text as 0).
 *
 * The chart reads the display-unit columns.  They are computed here from
 * the integer raw values (fen / 1,000,000 for 万元) and written as plain
 * numbers: formula cells would be cached as 0 by 1.1.4, and a display-unit
 * number format such as 0!.0,"万" breaks in LibreOffice and WPS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/checked.h"
#include "util/xalloc.h"
#include "xlsx_priv.h"

#define ROW_CAPTION 0
#define ROW_HEADER  1
#define ROW_DATA    2

#define CHART_X_SCALE 1.5 /* 720 x 432 pixels */
#define CHART_Y_SCALE 1.5

static uint8_t lxw_type(enum chart_type t)
{
	switch (t) {
	case CHART_HBAR:
		return LXW_CHART_BAR;
	case CHART_STACKED:
		return LXW_CHART_COLUMN_STACKED;
	case CHART_LINE:
		return LXW_CHART_LINE;
	case CHART_PIE:
		return LXW_CHART_PIE;
	case CHART_DOUGHNUT:
		return LXW_CHART_DOUGHNUT;
	case CHART_BAR:
	default:
		return LXW_CHART_COLUMN;
	}
}

static bool is_round(enum chart_type t)
{
	return t == CHART_PIE || t == CHART_DOUGHNUT;
}

static int64_t chart_scale(const struct doc_chart *c)
{
	return c->scale > 1 ? c->scale : 1;
}

/* Excel's number format for numbers written as the doc writes them ("#,##0.0"). */
static void number_format(char *buf, size_t len, int decimals, bool grouped)
{
	decimals = decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
	snprintf(buf, len, "%s0%s%.*s", grouped ? "#,##" : "", decimals > 0 ? "." : "", decimals,
		 "000000");
}

static void put_group(struct xlsx_sheet *s, const struct doc_chart *c, lxw_col_t first, bool scaled)
{
	struct xlsx_ctx *x = s->x;
	int64_t div = (c->unit == UNIT_FEN ? 100 : 1) * chart_scale(c);
	bool plotted = scaled || chart_scale(c) == 1; /* the columns the chart reads */

	for (size_t k = 0; k < c->nseries; k++) {
		const struct doc_series *ser = &c->series[k];
		lxw_col_t col = (lxw_col_t)(first + k);
		const char *head = scaled ? ser->head_scaled : ser->head;

		/* the heading names the column's one unit: 低保金（元）, 低保金（万元） */
		xlsx_put_text(s, ROW_HEADER, col, head ? head : ser->name, x->f.header);
		for (size_t i = 0; i < c->ncat; i++) {
			lxw_row_t row = (lxw_row_t)(ROW_DATA + i);
			int64_t v = ser->values[i];
			char buf[64];

			/*
			 * No value there: Excel draws a text cell as 0, a blank as
			 * a gap, so the column the chart reads is left blank and
			 * the other one (raw, when scaled) says "—".
			 */
			if (doc_series_no_value(ser, i)) {
				xlsx_put_text(s, row, col, plotted ? "" : "—", x->f.no_value);
				continue;
			}
			if (!scaled) {
				xlsx_put_value(s, row, col, v, c->unit,
					       c->unit == UNIT_FEN ? x->f.yuan : x->f.count);
				continue;
			}
			/* One correctly rounded division: the double nearest v/div. */
			snprintf(buf, sizeof(buf), "%.2f", (double)v / (double)div);
			xlsx_put_number(s, row, col, (double)v / (double)div, strlen(buf),
					x->f.scaled);
		}
	}
}

/* The data table; returns the column the chart's values start in. */
static lxw_col_t put_data(struct xlsx_sheet *s, const struct doc_chart *c)
{
	struct xlsx_ctx *x = s->x;
	bool scaled = chart_scale(c) > 1;

	xlsx_put_text(s, ROW_HEADER, 0, c->category_label ? c->category_label : "类别",
		      x->f.header);
	for (size_t i = 0; i < c->ncat; i++)
		xlsx_put_text(s, (lxw_row_t)(ROW_DATA + i), 0, c->categories[i], x->f.text);
	if (c->nseries == 0)
		return 1;
	put_group(s, c, 1, false);
	if (!scaled)
		return 1;
	put_group(s, c, (lxw_col_t)(1 + c->nseries), true);
	return (lxw_col_t)(1 + c->nseries);
}

/* Chart strings starting with '=' would be taken as a cell reference. */
static const char *chart_text(struct xlsx_ctx *x, const char *s)
{
	const char *clean = xlsx_str(x, s);
	char *fixed;

	if (clean[0] != '=')
		return clean;
	fixed = xasprintf("＝%s", clean + 1);
	clean = xlsx_str(x, fixed);
	free(fixed);
	return clean;
}

/* A count shown as it is (个, 人; not 万人): whole numbers only. */
static bool counts(const struct doc_chart *c)
{
	return c->unit != UNIT_FEN && chart_scale(c) == 1;
}

/* The largest magnitude the value axis shows, in raw units: a stack's total for stacked bars. */
static int64_t largest(const struct doc_chart *c)
{
	int64_t max = 0;

	for (size_t i = 0; i < c->ncat; i++) {
		int64_t stack = 0;

		for (size_t k = 0; k < c->nseries; k++) {
			int64_t v = c->series[k].values[i];

			v = v < 0 ? -v : v;
			if (c->type == CHART_STACKED)
				stack = checked_sum(stack, v, "图表数值");
			else if (v > max)
				max = v;
		}
		if (stack > max)
			max = stack;
	}
	return max;
}

/*
 * A segment of a stack lower than this share of the tallest stack has no
 * room for its label (about one line of a 432-pixel chart's plot area):
 * the label would overlap its neighbours', so it is hidden; the data
 * table beside the chart has the number.
 */
#define STACK_LABEL_MIN 16 /* 1/16 of the tallest stack */

static void hide_small_labels(lxw_chart_series *ser, const struct doc_chart *c,
			      const struct doc_series *ds)
{
	int64_t max = largest(c);
	lxw_chart_data_label *labels = xcalloc(c->ncat, sizeof(*labels));
	lxw_chart_data_label **list = xcalloc(c->ncat + 1, sizeof(*list));
	bool any = false;

	for (size_t i = 0; i < c->ncat; i++) {
		int64_t v = ds->values[i] < 0 ? -ds->values[i] : ds->values[i];

		/* v * 16 < max without overflow */
		labels[i].hide = v < max / STACK_LABEL_MIN + (max % STACK_LABEL_MIN != 0);
		any = any || labels[i].hide;
		list[i] = &labels[i];
	}
	if (any)
		chart_series_set_labels_custom(ser, list);
	free(list);
	free(labels);
}

static void style_series(lxw_chart_series *ser, const struct doc_chart *c,
			 const struct doc_series *ds)
{
	char fmt[32];

	chart_series_set_labels(ser);
	number_format(fmt, sizeof(fmt), c->digits, c->grouped);
	chart_series_set_labels_num_format(ser, fmt);
	if (c->type == CHART_STACKED)
		hide_small_labels(ser, c, ds);
	if (c->type == CHART_LINE)
		chart_series_set_labels_position(ser, LXW_CHART_LABEL_POSITION_ABOVE);
	else if (c->type == CHART_BAR || c->type == CHART_HBAR)
		chart_series_set_labels_position(ser, LXW_CHART_LABEL_POSITION_OUTSIDE_END);
	else if (c->type == CHART_PIE)
		chart_series_set_labels_position(ser, LXW_CHART_LABEL_POSITION_BEST_FIT);

	if (ds->color == 0 || is_round(c->type))
		return; /* sectors take the palette: one colour per category */
	if (c->type == CHART_LINE) {
		lxw_chart_line line = {.color = ds->color, .width = 2.25};
		lxw_chart_fill fill = {.color = ds->color};

		chart_series_set_line(ser, &line);
		chart_series_set_marker_type(ser, LXW_CHART_MARKER_CIRCLE);
		chart_series_set_marker_fill(ser, &fill);
		chart_series_set_marker_line(ser, &line);
	} else {
		lxw_chart_fill fill = {.color = ds->color};

		chart_series_set_fill(ser, &fill);
	}
}

/* Does text hold a CJK character (a lead byte of U+2E80 and above)? */
static bool has_cjk(const char *text)
{
	for (const unsigned char *u = (const unsigned char *)text; *u; u++)
		if (*u >= 0xE2 && *u <= 0xEF && !(u[0] == 0xE2 && u[1] < 0xBA))
			return true;
	return false;
}

/*
 * An axis title.  Excel turns a vertical axis's title on its side, which
 * makes Chinese read sideways (a lone 个 reads like an arrow): CJK titles
 * stay horizontal (1.1.4's rotation 360 is an explicit 0).
 */
static void name_axis(struct xlsx_ctx *x, lxw_chart_axis *axis, const char *name)
{
	lxw_chart_font font = {.rotation = 360};

	if (name == NULL || *name == '\0')
		return;
	chart_axis_set_name(axis, chart_text(x, name));
	if (has_cjk(name))
		chart_axis_set_name_font(axis, &font);
}

/* Axis titles; 1.1.4 swaps x and y for horizontal bars, so x is the values. */
static void name_axes(struct xlsx_ctx *x, lxw_chart *chart, const struct doc_chart *c)
{
	lxw_chart_axis *cat = chart->x_axis, *val = chart->y_axis;
	double max = 0;
	char fmt[32];

	if (c->type == CHART_HBAR) {
		cat = chart->y_axis;
		val = chart->x_axis;
		/* First category at the top, as the report reads. */
		chart_axis_set_reverse(cat);
		chart_axis_set_crossing_max(cat);
	}
	name_axis(x, cat, c->category_label);
	name_axis(x, val, c->unit_label);

	max = (double)largest(c) / (double)((c->unit == UNIT_FEN ? 100 : 1) * chart_scale(c));
	if (counts(c)) {
		/* 0, 1, 2 people or items, never 0.5: whole steps on a short axis */
		number_format(fmt, sizeof(fmt), 0, c->grouped);
		if (max < 10)
			chart_axis_set_major_unit(val, 1);
	} else {
		/* whole numbers on the axis unless the values are all small */
		number_format(fmt, sizeof(fmt), max >= 10 ? 0 : 1, c->grouped);
	}
	chart_axis_set_num_format(val, fmt);
}

static void add_chart(struct xlsx_sheet *s, const struct doc_chart *c, const char *caption,
		      lxw_col_t first)
{
	struct xlsx_ctx *x = s->x;
	lxw_chart *chart = workbook_add_chart(x->wb, lxw_type(c->type));
	lxw_row_t last = (lxw_row_t)(ROW_DATA + c->ncat - 1);
	/* A pie shows one series only; Excel ignores the rest. */
	size_t nseries = c->type == CHART_PIE ? 1 : c->nseries;
	lxw_chart_options opt = {.x_scale = CHART_X_SCALE, .y_scale = CHART_Y_SCALE};

	if (chart == NULL) {
		xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, s->name);
		return;
	}
	for (size_t k = 0; k < nseries; k++) {
		lxw_col_t col = (lxw_col_t)(first + k);
		lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);

		chart_series_set_categories(ser, s->name, ROW_DATA, 0, last, 0);
		chart_series_set_values(ser, s->name, ROW_DATA, col, last, col);
		/* the legend shows the series' name; its column's heading adds the unit */
		chart_series_set_name(ser, chart_text(x, c->series[k].name));
		style_series(ser, c, &c->series[k]);
	}
	chart_title_set_name(chart, chart_text(x, caption));
	if (!is_round(c->type))
		name_axes(x, chart, c);
	if (is_round(c->type))
		chart_legend_set_position(chart, LXW_CHART_LEGEND_RIGHT);
	else if (c->nseries > 1)
		chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	else
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);

	/* Right of the data (its values end the table), one empty column between. */
	xlsx_check(x,
		   worksheet_insert_chart_opt(s->ws, ROW_HEADER,
					      (lxw_col_t)(first + c->nseries + 1), chart, &opt),
		   s->name);
}

void xlsx_chart_sheet(struct xlsx_ctx *x, const struct doc_chart *c)
{
	char *caption = xasprintf("%s %s", c->label ? c->label : "", c->title ? c->title : "");
	struct xlsx_sheet s;
	lxw_col_t first;

	if (!xlsx_sheet_open(x, &s, caption, false)) {
		free(caption);
		return;
	}
	xlsx_put_title(&s, ROW_CAPTION, 0, caption, x->f.caption);
	first = put_data(&s, c);
	if (c->ncat > 0 && c->nseries > 0)
		add_chart(&s, c, caption, first);
	/* No frozen panes: the chart would straddle the split when scrolled. */
	xlsx_print_setup(&s, ROW_HEADER, true);
	xlsx_sheet_close(&s);
	free(caption);
}
