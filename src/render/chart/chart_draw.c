/*
 * chart_draw.c - drawing one chart of a doc with cairo and pangocairo; see chart_draw.h.
 *
 * Everything here is presentation.  Values become doubles only to place
 * things on the page; every number that is printed is text of the doc:
 * value labels, stack totals, pie shares and the ticks of each possible
 * value axis (doc_chart_finish), so no number is ever written here.
 *
 * A value without meaning (doc_series.no_value) keeps its category but has
 * no bar, segment, sector or point (a line has a gap there); its label,
 * the doc's "—", stands where a 0 would.
 *
 * The look is that of an official printed report: thin axes, a light grid,
 * a CJK sans at 8pt and a restrained palette whose colours also differ in
 * luminance, so the chart still reads on a grayscale printer.
 *
 * Layout is measured, never guessed: every text is measured with the same
 * Pango layout that draws it, category labels that do not fit are wrapped,
 * shrunk, turned by 45 degrees or thinned out, value labels that would
 * collide are left out, and the whole drawing is clipped to the chart's
 * rectangle as a last resort.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "chart_draw.h"
#include "util/xalloc.h"

#define FONT_LABEL 8.0  /* ticks, category labels, legend, axis titles */
#define FONT_VALUE 7.5  /* value labels on bars, points and sectors */
#define FONT_MIN   6.0  /* never smaller: must stay legible on paper */
#define PAD        4.0  /* blank margin inside the chart rectangle */
#define GAP        3.0  /* between a text and what it labels */
#define SWATCH     7.0  /* legend colour square */
#define BAR_MAX    30.0 /* widest column, so one category is not a slab */
#define MARKER     2.8  /* line chart marker radius */
#define COL_GAP    8.0  /* between columns of a pie's legend */
#define SIN45      0.70710678118654752

#define COLOR_TEXT  0x262626u
#define COLOR_MUTED 0x595959u
#define COLOR_AXIS  0x595959u
#define COLOR_GRID  0xd9d9d9u
#define COLOR_WHITE 0xffffffu

/*
 * The palette, in order of use.  Neighbours differ by at least 40 in
 * luminance (0.299 R + 0.587 G + 0.114 B) so that adjacent bars, stack
 * segments and sectors stay apart when printed in grayscale.
 */
static const uint32_t palette[] = {
    0x1f4e79, /* dark blue   L  69 */
    0xed7d31, /* orange      L 150 */
    0xbfbfbf, /* light gray  L 191 */
    0x2e7d7d, /* teal        L 101 */
    0x203040, /* charcoal    L  45 */
    0xbdd7ee, /* pale blue   L 210 */
    0xa5574a, /* brick       L 109 */
    0xffd966, /* pale gold   L 215 */
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

enum cat_mode {
	CAT_STRAIGHT, /* one line, horizontal */
	CAT_WRAP,     /* up to two lines, horizontal */
	CAT_TURN,     /* one line turned by 45 degrees (columns only) */
};

struct catplan {
	enum cat_mode mode;
	double size;  /* font size */
	size_t every; /* label every n-th category only, when even turned ones collide */
	double room;  /* columns: height below the axis; bars: width left of it */
	double cap;   /* longest text before the ellipsis, 0 = no limit */
};

enum value_mode {
	VALUE_NONE,
	VALUE_STRAIGHT,
	VALUE_TURNED, /* turned by 90 degrees above a narrow column */
};

struct valueplan {
	enum value_mode mode;
	double size;
	double room; /* beyond the end of a bar */
};

struct axis {
	double lo, hi, step; /* display units */
	int nticks;          /* intervals between lo and hi */
	char *const *labels; /* the doc's tick labels, nticks + 1 */
	double p0, p1;       /* page positions of lo and hi */
};

struct box {
	double x0, y0, x1, y1;
};

struct chart_ctx {
	cairo_t *cr;
	const struct doc_chart *c;
	PangoContext *pc;
	PangoLayout *lay;
	PangoFontDescription *fd;
	double w, h;
	int64_t divisor;   /* raw units per display unit */
	struct box *boxes; /* value labels placed so far, to avoid collisions */
	size_t nboxes, capboxes;
};

/* ---- colours ---------------------------------------------------------- */

static void set_rgb(cairo_t *cr, uint32_t rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
			     (rgb & 0xff) / 255.0);
}

static double luminance(uint32_t rgb)
{
	return 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
}

/* Text drawn on top of a fill: white on dark fills, near-black on light. */
static uint32_t text_on(uint32_t fill)
{
	return luminance(fill) < 140 ? COLOR_WHITE : COLOR_TEXT;
}

static uint32_t series_color(const struct chart_ctx *g, size_t s)
{
	uint32_t c = g->c->series[s].color & 0xffffff;

	return c ? c : palette[s % NPALETTE];
}

/*
 * Sectors take the palette by category.  When it wraps so that the last
 * sector would meet the first in the same colour, the last takes teal.
 */
static uint32_t sector_color(const struct chart_ctx *g, size_t i)
{
	if (i > 0 && i + 1 == g->c->ncat && i % NPALETTE == 0)
		return palette[3];
	return palette[i % NPALETTE];
}

/* ---- text ------------------------------------------------------------- */

static const char *str(const char *s)
{
	return s ? s : "";
}

/* Put s into the layout at size points, one unbounded line. */
static void text_set(struct chart_ctx *g, const char *s, double size)
{
	pango_font_description_set_absolute_size(g->fd, size * PANGO_SCALE);
	pango_layout_set_font_description(g->lay, g->fd);
	pango_layout_set_width(g->lay, -1);
	pango_layout_set_height(g->lay, -1);
	pango_layout_set_ellipsize(g->lay, PANGO_ELLIPSIZE_NONE);
	pango_layout_set_alignment(g->lay, PANGO_ALIGN_LEFT);
	pango_layout_set_text(g->lay, str(s), -1);
}

/*
 * Limit the layout's text to width points on at most lines lines, with an
 * ellipsis when it still does not fit.  Chinese breaks between any two
 * characters, Latin words at spaces first.
 */
static void text_limit(struct chart_ctx *g, double width, int lines, PangoAlignment align)
{
	if (width < 1)
		width = 1;
	pango_layout_set_width(g->lay, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(g->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_height(g->lay, -lines);
	pango_layout_set_ellipsize(g->lay, PANGO_ELLIPSIZE_END);
	pango_layout_set_alignment(g->lay, align);
}

static void text_size(struct chart_ctx *g, double *tw, double *th)
{
	PangoRectangle r;

	pango_layout_get_extents(g->lay, NULL, &r);
	*tw = (double)r.width / PANGO_SCALE;
	*th = (double)r.height / PANGO_SCALE;
}

static void ink_size(struct chart_ctx *g, double *tw, double *th)
{
	PangoRectangle r;

	pango_layout_get_extents(g->lay, &r, NULL);
	*tw = (double)r.width / PANGO_SCALE;
	*th = (double)r.height / PANGO_SCALE;
}

static double text_width(struct chart_ctx *g, const char *s, double size)
{
	double tw, th;

	text_set(g, s, size);
	text_size(g, &tw, &th);
	return tw;
}

/* Height of one line of text at size: the same for every label. */
static double line_height(struct chart_ctx *g, double size)
{
	double tw, th;

	text_set(g, "0", size);
	text_size(g, &tw, &th);
	return th;
}

/* Height of the ink of digits at size: what a value label really covers. */
static double digit_height(struct chart_ctx *g, double size)
{
	PangoRectangle ink;

	text_set(g, "0123456789", size);
	pango_layout_get_extents(g->lay, &ink, NULL);
	return (double)ink.height / PANGO_SCALE;
}

/*
 * Draw the layout so that the point (ax, ay) of box r, in fractions of its
 * width and height, lands on (px, py); the box is turned by angle radians
 * around that point.
 */
static void draw_at(struct chart_ctx *g, const PangoRectangle *r, double px, double py, double ax,
		    double ay, double angle, uint32_t rgb)
{
	cairo_t *cr = g->cr;

	cairo_save(cr);
	cairo_translate(cr, px, py);
	if (angle != 0)
		cairo_rotate(cr, angle);
	cairo_move_to(cr, -(double)r->x / PANGO_SCALE - ax * r->width / PANGO_SCALE,
		      -(double)r->y / PANGO_SCALE - ay * r->height / PANGO_SCALE);
	set_rgb(cr, rgb);
	pango_cairo_update_layout(cr, g->lay);
	pango_cairo_show_layout(cr, g->lay);
	cairo_restore(cr);
}

/* Draw the layout placed by its logical box (line height included). */
static void text_draw(struct chart_ctx *g, double px, double py, double ax, double ay, double angle,
		      uint32_t rgb)
{
	PangoRectangle r;

	pango_layout_get_extents(g->lay, NULL, &r);
	draw_at(g, &r, px, py, ax, ay, angle, rgb);
}

/*
 * Draw the layout placed by its ink: numbers then sit at an exact distance
 * from their bar, however tall the CJK font's line is.
 */
static void ink_draw(struct chart_ctx *g, double px, double py, double ax, double ay, double angle,
		     uint32_t rgb)
{
	PangoRectangle r;

	pango_layout_get_extents(g->lay, &r, NULL);
	draw_at(g, &r, px, py, ax, ay, angle, rgb);
}

/* A value without meaning (doc_series.no_value) is drawn as nothing: 0. */
static int64_t raw_value(const struct chart_ctx *g, size_t s, size_t i)
{
	const struct doc_series *se = &g->c->series[s];

	return se->values && !doc_series_no_value(se, i) ? se->values[i] : 0;
}

/* Is there a point of series s at category i?  Not where its value has no meaning. */
static bool has_point(const struct chart_ctx *g, size_t s, size_t i)
{
	return !doc_series_no_value(&g->c->series[s], i);
}

static double display(const struct chart_ctx *g, int64_t raw)
{
	return (double)raw / (double)g->divisor;
}

/* The doc's label for a value (doc_chart_finish leaves none empty). */
static const char *value_label(const struct chart_ctx *g, size_t s, size_t i)
{
	char **labels = g->c->series[s].labels;

	return labels && labels[i] ? labels[i] : "";
}

/* The doc's total of stack i, or NULL when it has none (an overflow). */
static const char *stack_total(const struct chart_ctx *g, size_t i)
{
	return g->c->totals ? g->c->totals[i] : NULL;
}

/* Whether stack i sums below zero: its total then goes under the stack. */
static bool stack_negative(const struct chart_ctx *g, size_t i)
{
	int64_t sum = 0;

	for (size_t s = 0; s < g->c->nseries; s++)
		if (__builtin_add_overflow(sum, raw_value(g, s, i), &sum))
			return false;
	return sum < 0;
}

/* ---- value axis ------------------------------------------------------- */

/* The doc's value axis for about target intervals. */
static void axis_pick(const struct chart_ctx *g, struct axis *a, int target)
{
	const struct doc_axis *d = &g->c->axes[target - DOC_AXIS_MIN];

	a->lo = d->lo;
	a->hi = d->hi;
	a->step = d->step;
	a->nticks = d->nticks;
	a->labels = d->labels;
}

static double axis_value(const struct axis *a, int i)
{
	double v = a->lo + i * a->step;

	return fabs(v) < a->step * 1e-6 ? 0 : v; /* never "-0" */
}

static const char *tick_label(const struct axis *a, int i)
{
	return a->labels && a->labels[i] ? a->labels[i] : "";
}

static double axis_pos(const struct axis *a, double v)
{
	return a->p0 + (v - a->lo) / (a->hi - a->lo) * (a->p1 - a->p0);
}

static double ticks_width(struct chart_ctx *g, const struct axis *a)
{
	double m = 0;

	for (int i = 0; i <= a->nticks; i++)
		m = fmax(m, text_width(g, tick_label(a, i), FONT_LABEL));
	return m;
}

static int tick_target(double length, double spacing)
{
	int t = (int)(length / spacing);

	return t < DOC_AXIS_MIN ? DOC_AXIS_MIN : t > DOC_AXIS_MAX ? DOC_AXIS_MAX : t;
}

/* ---- primitives ------------------------------------------------------- */

static void line(cairo_t *cr, double x0, double y0, double x1, double y1, double width,
		 uint32_t rgb)
{
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x1, y1);
	cairo_set_line_width(cr, width);
	set_rgb(cr, rgb);
	cairo_stroke(cr);
}

static void fill_rect(cairo_t *cr, double x0, double y0, double x1, double y1, uint32_t rgb)
{
	cairo_rectangle(cr, fmin(x0, x1), fmin(y0, y1), fabs(x1 - x0), fabs(y1 - y0));
	set_rgb(cr, rgb);
	cairo_fill(cr);
}

/* Markers differ in shape per series, which survives grayscale printing. */
static void marker(cairo_t *cr, size_t s, double x, double y, double r, uint32_t rgb)
{
	switch (s % 4) {
	case 0:
		cairo_arc(cr, x, y, r, 0, 2 * M_PI);
		break;
	case 1:
		cairo_rectangle(cr, x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
		break;
	case 2:
		cairo_move_to(cr, x, y - r * 1.2);
		cairo_line_to(cr, x + r * 1.1, y + r * 0.8);
		cairo_line_to(cr, x - r * 1.1, y + r * 0.8);
		cairo_close_path(cr);
		break;
	default:
		cairo_move_to(cr, x, y - r * 1.25);
		cairo_line_to(cr, x + r * 1.25, y);
		cairo_line_to(cr, x, y + r * 1.25);
		cairo_line_to(cr, x - r * 1.25, y);
		cairo_close_path(cr);
		break;
	}
	set_rgb(cr, rgb);
	cairo_fill_preserve(cr);
	cairo_set_line_width(cr, 0.6);
	set_rgb(cr, COLOR_WHITE);
	cairo_stroke(cr);
}

/* Lines differ in dashes too, for the same reason. */
static void line_style(cairo_t *cr, size_t s)
{
	static const double dash1[] = {5, 2.5}, dash2[] = {1.5, 2}, dash3[] = {6, 2, 1.5, 2};

	switch (s % 4) {
	case 0:
		cairo_set_dash(cr, NULL, 0, 0);
		break;
	case 1:
		cairo_set_dash(cr, dash1, 2, 0);
		break;
	case 2:
		cairo_set_dash(cr, dash2, 2, 0);
		break;
	default:
		cairo_set_dash(cr, dash3, 4, 0);
		break;
	}
}

static bool box_overlaps(const struct box *a, const struct box *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Claim b for a label unless it leaves area or meets an earlier label. */
static bool box_claim(struct chart_ctx *g, const struct box *b, const struct box *area)
{
	if (b->x0 < area->x0 || b->x1 > area->x1 || b->y0 < area->y0 || b->y1 > area->y1)
		return false;
	for (size_t i = 0; i < g->nboxes; i++)
		if (box_overlaps(b, &g->boxes[i]))
			return false;
	g->boxes = xgrow(g->boxes, &g->capboxes, g->nboxes + 1, sizeof(*g->boxes));
	g->boxes[g->nboxes++] = *b;
	return true;
}

/*
 * doc_chart_finish() has run: a chart's numbers are text of the doc, and a
 * renderer never makes them up, so an unfinished chart is drawn empty.
 */
static bool finished(const struct doc_chart *c)
{
	if (c->type == CHART_PIE || c->type == CHART_DOUGHNUT)
		return c->series[0].shares != NULL;
	return c->axes[0].labels != NULL;
}

static void draw_empty(struct chart_ctx *g)
{
	text_set(g, "无数据", FONT_LABEL * 1.25);
	text_draw(g, g->w / 2, g->h / 2, 0.5, 0.5, 0, COLOR_MUTED);
}

/* ---- legends ---------------------------------------------------------- */

static void legend_swatch(struct chart_ctx *g, size_t s, double x, double ymid, uint32_t rgb,
			  bool as_line)
{
	if (as_line) {
		cairo_save(g->cr);
		line_style(g->cr, s);
		line(g->cr, x, ymid, x + 2 * SWATCH + 2, ymid, 1.5, rgb);
		cairo_restore(g->cr);
		marker(g->cr, s, x + SWATCH + 1, ymid, MARKER, rgb);
	} else {
		fill_rect(g->cr, x, ymid - SWATCH / 2, x + SWATCH, ymid + SWATCH / 2, rgb);
	}
}

/*
 * The series legend: items in rows centred between x0 and x1, wrapping when
 * a row is full.  Returns its height; draws it from top y when draw.
 */
static double legend_series(struct chart_ctx *g, double x0, double x1, double y, bool draw)
{
	const struct doc_chart *c = g->c;
	bool as_line = c->type == CHART_LINE;
	double sw = as_line ? 2 * SWATCH + 2 : SWATCH, item_gap = 12, lh;
	double maxname = fmax((x1 - x0) / 2 - sw - GAP, 20);
	double *iw = xcalloc(c->nseries, sizeof(double));
	double height = 0;
	size_t i = 0;

	lh = line_height(g, FONT_LABEL);
	for (size_t s = 0; s < c->nseries; s++)
		iw[s] = sw + GAP + fmin(text_width(g, c->series[s].name, FONT_LABEL), maxname);
	while (i < c->nseries) {
		size_t j = i + 1;
		double rw = iw[i], xx;

		while (j < c->nseries && rw + item_gap + iw[j] <= x1 - x0)
			rw += item_gap + iw[j++];
		xx = x0 + fmax(0, (x1 - x0 - rw) / 2);
		for (size_t s = i; draw && s < j; s++) {
			legend_swatch(g, s, xx, y + height + lh / 2, series_color(g, s), as_line);
			text_set(g, c->series[s].name, FONT_LABEL);
			text_limit(g, maxname, 1, PANGO_ALIGN_LEFT);
			text_draw(g, xx + sw + GAP, y + height + lh / 2, 0, 0.5, 0, COLOR_TEXT);
			xx += iw[s] + item_gap;
		}
		height += lh;
		i = j;
	}
	free(iw);
	return height;
}

struct catlegend {
	double size, lh, colw;
	size_t ncols, nrows;
};

/*
 * Plan the category legend of a pie: a grid of columns, read downwards, no
 * wider than maxw and no taller than maxh, shrinking the font before
 * adding columns.  Items that still do not fit are left out (nrows caps).
 */
static void legend_cat_plan(struct chart_ctx *g, double maxw, double maxh, struct catlegend *p)
{
	static const double sizes[] = {FONT_LABEL, 7.0, FONT_MIN};
	const struct doc_chart *c = g->c;

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		double natural = 0;
		size_t fit;

		p->size = sizes[k];
		p->lh = line_height(g, p->size) + 1;
		fit = (size_t)fmax(1, floor(maxh / p->lh));
		for (size_t i = 0; i < c->ncat; i++)
			natural = fmax(natural, text_width(g, c->categories[i], p->size));
		p->colw = SWATCH + GAP + natural;
		p->ncols = (c->ncat + fit - 1) / fit;
		p->nrows = (c->ncat + p->ncols - 1) / p->ncols;
		if (p->ncols * p->colw + (p->ncols - 1) * COL_GAP <= maxw)
			return;
	}
	/* smallest font: as many columns as leave four characters each */
	p->ncols =
	    (size_t)fmax(1, floor((maxw + COL_GAP) / (SWATCH + GAP + 4 * p->size + COL_GAP)));
	p->colw = (maxw - (p->ncols - 1) * COL_GAP) / p->ncols;
	p->nrows = (c->ncat + p->ncols - 1) / p->ncols;
	if (p->nrows * p->lh > maxh)
		p->nrows = (size_t)fmax(1, floor(maxh / p->lh));
}

static double legend_cat_width(const struct catlegend *p)
{
	return p->ncols * p->colw + (p->ncols - 1) * COL_GAP;
}

static void legend_cat_draw(struct chart_ctx *g, const struct catlegend *p, double x0, double y0)
{
	const struct doc_chart *c = g->c;

	for (size_t i = 0; i < c->ncat; i++) {
		size_t col = i / p->nrows, row = i % p->nrows;
		double x = x0 + col * (p->colw + COL_GAP), ym = y0 + row * p->lh + p->lh / 2;

		if (col >= p->ncols)
			break;
		legend_swatch(g, 0, x, ym, sector_color(g, i), false);
		text_set(g, c->categories[i], p->size);
		text_limit(g, p->colw - SWATCH - GAP, 1, PANGO_ALIGN_LEFT);
		text_draw(g, x + SWATCH + GAP, ym, 0, 0.5, 0, COLOR_TEXT);
	}
}

/* ---- category labels -------------------------------------------------- */

static double cat_max_width(struct chart_ctx *g, double size)
{
	double m = 0;

	for (size_t i = 0; i < g->c->ncat; i++)
		m = fmax(m, text_width(g, g->c->categories[i], size));
	return m;
}

/* Do all labels fit width on at most two lines?  Returns their height. */
static double cat_wrap_height(struct chart_ctx *g, double size, double width)
{
	double m = 0, tw, th;

	for (size_t i = 0; i < g->c->ncat; i++) {
		text_set(g, g->c->categories[i], size);
		text_limit(g, width, 2, PANGO_ALIGN_CENTER);
		if (pango_layout_is_ellipsized(g->lay))
			return -1;
		text_size(g, &tw, &th);
		m = fmax(m, th);
	}
	return m;
}

/*
 * Category labels under columns, slot points apart, in at most maxh: straight,
 * else on two lines, else a little smaller, else turned by 45 degrees (at
 * shrinking sizes, then only every n-th), ellipsized to maxh.
 */
static void cat_plan_columns(struct chart_ctx *g, double slot, double maxh, struct catplan *p)
{
	static const double turned[] = {FONT_LABEL, 7.0, FONT_MIN};
	double th, wh;

	p->every = 1;
	p->cap = 0;
	p->mode = CAT_STRAIGHT;
	p->size = FONT_LABEL;
	if (cat_max_width(g, FONT_LABEL) <= slot - 2) {
		p->room = line_height(g, FONT_LABEL);
		return;
	}
	if (slot - 2 >= 2.5 * FONT_LABEL && (wh = cat_wrap_height(g, FONT_LABEL, slot - 2)) > 0 &&
	    wh <= maxh) {
		p->mode = CAT_WRAP;
		p->room = wh;
		return;
	}
	p->size = 7.0;
	if (cat_max_width(g, 7.0) <= slot - 2) {
		p->room = line_height(g, 7.0);
		return;
	}
	p->mode = CAT_TURN;
	for (size_t k = 0; k < sizeof(turned) / sizeof(turned[0]); k++) {
		p->size = turned[k];
		th = line_height(g, p->size);
		if (slot * SIN45 >= th)
			break;
	}
	th = line_height(g, p->size);
	if (slot * SIN45 < th)
		p->every = (size_t)ceil(th / (slot * SIN45));
	/* below the anchor: SIN45 * th of offset plus SIN45 * (tw + th / 2) */
	p->cap = fmax(maxh / SIN45 - 1.5 * th, 2 * p->size);
	p->room = SIN45 * (fmin(cat_max_width(g, p->size), p->cap) + 1.5 * th);
}

/*
 * Category labels left of bars, slot points apart and at most maxw wide:
 * straight, else on two lines, else smaller; the last resort ellipsizes and
 * labels every n-th bar.
 */
static void cat_plan_rows(struct chart_ctx *g, double slot, double maxw, struct catplan *p)
{
	static const double sizes[] = {FONT_LABEL, 7.0, FONT_MIN};
	double th = 0;

	p->every = 1;
	p->cap = 0;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		double natural;

		p->size = sizes[k];
		th = line_height(g, p->size);
		if (th > slot)
			continue;
		natural = cat_max_width(g, p->size);
		p->mode = CAT_STRAIGHT;
		p->room = natural;
		if (natural <= maxw)
			return;
		p->mode = CAT_WRAP;
		p->room = maxw;
		if (2 * th <= slot && cat_wrap_height(g, p->size, maxw) > 0)
			return;
	}
	/* no size fits: the largest one that fits the slot, else every n-th */
	p->mode = CAT_STRAIGHT;
	p->cap = maxw;
	p->size = FONT_MIN;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		if (line_height(g, sizes[k]) <= slot) {
			p->size = sizes[k];
			break;
		}
	}
	th = line_height(g, p->size);
	if (th > slot)
		p->every = (size_t)ceil(th / slot);
	p->room = fmin(cat_max_width(g, p->size), maxw);
}

/* Draw category label i with its top centre (columns) at (x, y). */
static void cat_draw_column(struct chart_ctx *g, const struct catplan *p, size_t i, double x,
			    double y, double slot)
{
	const char *s = g->c->categories[i];
	double tw, th, cap;

	if (i % p->every)
		return;
	text_set(g, s, p->size);
	switch (p->mode) {
	case CAT_STRAIGHT:
		text_draw(g, x, y, 0.5, 0, 0, COLOR_TEXT);
		break;
	case CAT_WRAP:
		text_limit(g, slot - 2, 2, PANGO_ALIGN_CENTER);
		text_draw(g, x, y, 0.5, 0, 0, COLOR_TEXT);
		break;
	case CAT_TURN:
		text_size(g, &tw, &th);
		/* the text ends at the column and must not leave the chart on the left */
		cap = fmin(p->cap, (x - PAD) / SIN45 - th / 2);
		if (tw > cap)
			text_limit(g, cap, 1, PANGO_ALIGN_RIGHT);
		text_draw(g, x, y + SIN45 * th, 1, 0.5, -M_PI / 4, COLOR_TEXT);
		break;
	}
}

/* Draw category label i right-aligned at x, centred on y (bars). */
static void cat_draw_row(struct chart_ctx *g, const struct catplan *p, size_t i, double x, double y)
{
	if (i % p->every)
		return;
	text_set(g, g->c->categories[i], p->size);
	if (p->mode == CAT_WRAP)
		text_limit(g, p->room, 2, PANGO_ALIGN_RIGHT);
	else if (p->cap > 0)
		text_limit(g, p->cap, 1, PANGO_ALIGN_RIGHT);
	text_draw(g, x, y, 1, 0.5, 0, COLOR_TEXT);
}

/* ---- value labels ----------------------------------------------------- */

/* Widest value label at size; for stacks, the totals. */
static double value_max_width(struct chart_ctx *g, double size, bool totals)
{
	const struct doc_chart *c = g->c;
	double m = 0;

	for (size_t i = 0; i < c->ncat; i++) {
		if (totals) {
			if (stack_total(g, i) != NULL)
				m = fmax(m, text_width(g, stack_total(g, i), size));
			continue;
		}
		for (size_t s = 0; s < c->nseries; s++)
			m = fmax(m, text_width(g, value_label(g, s, i), size));
	}
	return m;
}

/*
 * Value labels beside bars pitch points apart (thick for bars): straight
 * when they fit, a little smaller, turned along the column, or none.
 */
static void value_plan(struct chart_ctx *g, double pitch, double thick, bool totals, bool turnable,
		       struct valueplan *p)
{
	static const double sizes[] = {FONT_VALUE, 7.0, 6.5, FONT_MIN};
	double th;

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		double mw = value_max_width(g, sizes[k], totals);

		p->size = sizes[k];
		th = digit_height(g, p->size);
		if (mw <= pitch && th + 1 <= thick) {
			p->mode = VALUE_STRAIGHT;
			p->room = th + 2;
			return;
		}
	}
	p->size = FONT_VALUE;
	th = digit_height(g, p->size);
	if (turnable && th + 1 <= pitch) {
		p->mode = VALUE_TURNED;
		p->room = value_max_width(g, p->size, totals) + 2;
		return;
	}
	p->mode = VALUE_NONE;
	p->room = 0;
}

/* A value label at the end of a column, outward from zero. */
static void value_draw_column(struct chart_ctx *g, const struct valueplan *p, const char *s,
			      double x, double yend, bool negative)
{
	if (p->mode == VALUE_NONE)
		return;
	text_set(g, s, p->size);
	if (p->mode == VALUE_STRAIGHT)
		ink_draw(g, x, negative ? yend + 2 : yend - 2, 0.5, negative ? 0 : 1, 0,
			 COLOR_TEXT);
	else
		ink_draw(g, x, negative ? yend + 2 : yend - 2, negative ? 1 : 0, 0.5, -M_PI / 2,
			 COLOR_TEXT);
}

/* ---- column family: bar, stacked, line -------------------------------- */

struct frame {
	double x0, y0, x1, y1; /* the plot area */
	struct axis a;         /* value axis */
	double slot;           /* category pitch */
};

/* Grid lines and tick labels of a vertical value axis, the axes. */
static void frame_columns(struct chart_ctx *g, const struct frame *f)
{
	cairo_t *cr = g->cr;

	for (int i = 0; i <= f->a.nticks; i++) {
		double y = axis_pos(&f->a, axis_value(&f->a, i));

		if (axis_value(&f->a, i) != 0)
			line(cr, f->x0, y, f->x1, y, 0.4, COLOR_GRID);
		text_set(g, tick_label(&f->a, i), FONT_LABEL);
		text_draw(g, f->x0 - GAP, y, 1, 0.5, 0, COLOR_MUTED);
	}
	line(cr, f->x0, f->y0, f->x0, f->y1, 0.6, COLOR_AXIS);
	line(cr, f->x0, axis_pos(&f->a, 0), f->x1, axis_pos(&f->a, 0), 0.6, COLOR_AXIS);
}

static void draw_bars(struct chart_ctx *g, const struct frame *f, const struct valueplan *vp)
{
	const struct doc_chart *c = g->c;
	double group = fmin(f->slot * 0.7, BAR_MAX * c->nseries);
	double bw = group / c->nseries, inner = c->nseries > 1 ? fmin(1, bw * 0.1) : 0;
	double zero = axis_pos(&f->a, 0);

	for (size_t i = 0; i < c->ncat; i++) {
		double gx = f->x0 + f->slot * i + (f->slot - group) / 2;

		for (size_t s = 0; s < c->nseries; s++) {
			int64_t v = raw_value(g, s, i);
			double y = axis_pos(&f->a, display(g, v)), bx = gx + bw * s;

			if (v != 0)
				fill_rect(g->cr, bx + inner / 2, zero, bx + bw - inner / 2, y,
					  series_color(g, s));
			value_draw_column(g, vp, value_label(g, s, i), bx + bw / 2, y, v < 0);
		}
	}
}

/* Does text fit inside a w x h segment?  Leaves it in the layout. */
static bool text_fits(struct chart_ctx *g, const char *s, double size, double w, double h)
{
	double tw, th;

	text_set(g, s, size);
	ink_size(g, &tw, &th);
	return tw <= w - 2 && th <= h - 2;
}

static void draw_stacks(struct chart_ctx *g, const struct frame *f, const struct valueplan *vp)
{
	const struct doc_chart *c = g->c;
	double bw = fmin(f->slot * 0.6, BAR_MAX * 1.4);

	for (size_t i = 0; i < c->ncat; i++) {
		double bx = f->x0 + f->slot * i + (f->slot - bw) / 2, pos = 0, neg = 0;

		for (size_t s = 0; s < c->nseries; s++) {
			int64_t v = raw_value(g, s, i);
			double *acc = v >= 0 ? &pos : &neg;
			double y0 = axis_pos(&f->a, *acc), y1, size = FONT_VALUE;
			uint32_t col = series_color(g, s);
			const char *l;

			if (v == 0)
				continue;
			*acc += display(g, v);
			y1 = axis_pos(&f->a, *acc);
			fill_rect(g->cr, bx, y0, bx + bw, y1, col);
			/* a hairline of paper between segments, for grayscale */
			line(g->cr, bx, y1, bx + bw, y1, 0.5, COLOR_WHITE);
			l = value_label(g, s, i);
			if (!text_fits(g, l, size, bw, fabs(y1 - y0)))
				if (!text_fits(g, l, size = FONT_MIN, bw, fabs(y1 - y0)))
					continue;
			ink_draw(g, bx + bw / 2, (y0 + y1) / 2, 0.5, 0.5, 0, text_on(col));
		}
		if (c->nseries > 1 && stack_total(g, i) != NULL) {
			bool below = stack_negative(g, i);

			value_draw_column(g, vp, stack_total(g, i), bx + bw / 2,
					  axis_pos(&f->a, below ? neg : pos), below);
		}
	}
}

/* Does the segment (x0, y0)-(x1, y1) meet box b?  (Liang-Barsky clipping) */
static bool segment_hits(const struct box *b, double x0, double y0, double x1, double y1)
{
	double p[4] = {x0 - x1, x1 - x0, y0 - y1, y1 - y0};
	double q[4] = {x0 - b->x0, b->x1 - x0, y0 - b->y0, b->y1 - y0};
	double t0 = 0, t1 = 1;

	for (int k = 0; k < 4; k++) {
		double r;

		if (p[k] == 0) {
			if (q[k] < 0)
				return false;
			continue;
		}
		r = q[k] / p[k];
		if (p[k] < 0 && r > t0)
			t0 = r;
		else if (p[k] > 0 && r < t1)
			t1 = r;
		if (t0 > t1)
			return false;
	}
	return true;
}

static double point_x(const struct frame *f, size_t i)
{
	return f->x0 + f->slot * (i + 0.5);
}

static double point_y(const struct chart_ctx *g, const struct frame *f, size_t s, size_t i)
{
	return axis_pos(&f->a, display(g, raw_value(g, s, i)));
}

/* Would a label in b cover a line or a marker of any series? */
static bool line_hits(const struct chart_ctx *g, const struct frame *f, const struct box *b)
{
	struct box m = {b->x0 - MARKER, b->y0 - MARKER, b->x1 + MARKER, b->y1 + MARKER};

	for (size_t s = 0; s < g->c->nseries; s++) {
		for (size_t i = 0; i < g->c->ncat; i++) {
			double x = point_x(f, i), y = point_y(g, f, s, i);

			if (!has_point(g, s, i))
				continue;
			if (segment_hits(&m, x, y, x, y))
				return true;
			if (i > 0 && has_point(g, s, i - 1) &&
			    segment_hits(b, point_x(f, i - 1), point_y(g, f, s, i - 1), x, y))
				return true;
		}
	}
	return false;
}

/*
 * A value label near its point: the first spot around it clear of lines,
 * markers and other labels; failing that above or below, on a patch of
 * paper over the line; failing that, none.
 */
static void line_label(struct chart_ctx *g, const struct frame *f, const struct valueplan *vp,
		       size_t s, size_t i)
{
	const struct box area = {f->x0, PAD, g->w - PAD, f->y1};
	double x = point_x(f, i), y = point_y(g, f, s, i), tw, th, d = MARKER + 1.5;
	/* offsets of the box's centre, in half its size and the marker gap */
	static const double at[][2] = {{0, -1}, {0, 1},  {1, -1}, {-1, -1},
				       {1, 1},  {-1, 1}, {1, 0},  {-1, 0}};
	struct box b;

	text_set(g, value_label(g, s, i), vp->size);
	text_size(g, &tw, &th);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; k < (pass ? 2 : sizeof(at) / sizeof(at[0])); k++) {
			double bx = x + at[k][0] * (tw / 2 + d), by = y + at[k][1] * (th / 2 + d);

			b = (struct box){bx - tw / 2, by - th / 2, bx + tw / 2, by + th / 2};
			if (pass == 0 && line_hits(g, f, &b))
				continue;
			if (!box_claim(g, &b, &area))
				continue;
			if (pass == 1)
				fill_rect(g->cr, b.x0, b.y0 + th * 0.15, b.x1, b.y1 - th * 0.1,
					  COLOR_WHITE);
			text_draw(g, b.x0, b.y0, 0, 0, 0, COLOR_TEXT);
			return;
		}
	}
}

static void draw_lines(struct chart_ctx *g, const struct frame *f, const struct valueplan *vp)
{
	const struct doc_chart *c = g->c;
	cairo_t *cr = g->cr;

	for (size_t s = 0; s < c->nseries; s++) {
		cairo_save(cr);
		line_style(cr, s);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		/* a gap where a value has no meaning: the line stops and starts again */
		for (size_t i = 0; i < c->ncat; i++) {
			if (!has_point(g, s, i))
				cairo_new_sub_path(cr);
			else if (i == 0 || !has_point(g, s, i - 1))
				cairo_move_to(cr, point_x(f, i), point_y(g, f, s, i));
			else
				cairo_line_to(cr, point_x(f, i), point_y(g, f, s, i));
		}
		cairo_set_line_width(cr, 1.5);
		set_rgb(cr, series_color(g, s));
		cairo_stroke(cr);
		cairo_restore(cr);
	}
	/* markers shrink with crowded points, and give way to the line at last */
	for (size_t s = 0; f->slot >= 4 && s < c->nseries; s++)
		for (size_t i = 0; i < c->ncat; i++)
			if (has_point(g, s, i))
				marker(cr, s, point_x(f, i), point_y(g, f, s, i),
				       fmin(MARKER, f->slot * 0.3), series_color(g, s));
	if (vp->mode == VALUE_NONE)
		return;
	for (size_t s = 0; s < c->nseries; s++)
		for (size_t i = 0; i < c->ncat; i++)
			line_label(g, f, vp, s, i);
}

/*
 * Place the plot area's top and bottom: the top no higher than top, and
 * value labels, room points beyond the highest and lowest column ends, inside
 * the chart and clear of the category labels that may start at ymax.  Columns
 * rarely reach the outer ticks, so that room is often inside the plot
 * already.  Returns where the category labels start.
 */
static double fit_vertical(struct frame *f, double vmin, double vmax, double room, double top,
			   double ymax)
{
	double s = (vmax - f->a.lo) / (f->a.hi - f->a.lo);
	double t = (f->a.hi - vmin) / (f->a.hi - f->a.lo), ybot;

	f->y0 = top;
	f->y1 = ymax;
	/* each bound moves the other a little: a few rounds settle them */
	for (int k = 0; k < 4; k++) {
		if (s > 0)
			f->y0 = fmax(top, (PAD + room + 1 - (1 - s) * f->y1) / s);
		if (vmin < 0 && t > 0)
			f->y1 = fmin(ymax, f->y0 + (ymax - room - f->y0) / t);
	}
	f->a.p0 = f->y1;
	f->a.p1 = f->y0;
	ybot = axis_pos(&f->a, vmin);
	return (vmin < 0 ? fmax(f->y1, ybot + room) : f->y1) + GAP;
}

static void draw_columns(struct chart_ctx *g)
{
	const struct doc_chart *c = g->c;
	struct frame f;
	struct valueplan vp;
	struct catplan cp;
	double vmin, vmax, bottom = g->h - PAD, lg = 0, ct_h = 0, ut_w = 0, ut_h = 0, tl_h, tw;
	double thick, top, cat_y;
	size_t nb = c->type == CHART_BAR ? c->nseries : 1;

	vmin = c->vmin;
	vmax = c->vmax;
	if (c->nseries > 1)
		lg = legend_series(g, PAD, g->w - PAD, 0, false);
	if (str(c->category_label)[0])
		ct_h = line_height(g, FONT_LABEL);
	if (str(c->unit_label)[0]) {
		text_set(g, c->unit_label, FONT_LABEL);
		text_size(g, &ut_w, &ut_h);
	}
	tl_h = line_height(g, FONT_LABEL);

	/* ticks for a first guess of the plot height (labels take ~2 lines) */
	axis_pick(g, &f.a, tick_target(g->h - 2 * PAD - lg - ct_h - ut_h - 2 * tl_h, 36));
	tw = ticks_width(g, &f.a);
	f.x0 = PAD + fmax(tw, ut_w) + GAP;
	f.x1 = g->w - PAD;
	f.slot = (f.x1 - f.x0) / c->ncat;
	if (f.slot < 0.01)
		return; /* nowhere to draw: the clip keeps the page clean */

	/* value labels: their room comes off the top (and bottom for negatives) */
	if (c->type == CHART_LINE) {
		/* labels around points need about a slot each, or they bury the line */
		vp.size = FONT_VALUE;
		vp.mode = value_max_width(g, FONT_VALUE, false) <= 1.5 * f.slot ? VALUE_STRAIGHT
										: VALUE_NONE;
		vp.room = vp.mode == VALUE_NONE ? 0 : line_height(g, FONT_VALUE) + MARKER + 1;
	} else if (c->type == CHART_STACKED) {
		/* several series label their totals above the stacks */
		thick = fmin(f.slot * 0.6, BAR_MAX * 1.4);
		value_plan(g, f.slot - 2, 1e9, c->nseries > 1, thick >= 8, &vp);
	} else {
		thick = fmin(f.slot * 0.7, BAR_MAX * nb) / nb;
		value_plan(g, nb > 1 ? thick + 1 : f.slot - 2, 1e9, false, thick >= 8, &vp);
	}
	/* the top tick label and the unit title above it */
	top = PAD + (ut_h > 0 ? ut_h : 0) + tl_h / 2 + 1;

	/* category labels */
	bottom -= lg > 0 ? lg + 2 * GAP : 0;
	bottom -= ct_h > 0 ? ct_h + GAP : 0;
	cat_plan_columns(g, f.slot, 0.35 * (bottom - top), &cp);
	cat_y = fit_vertical(&f, vmin, vmax, vp.room, top, bottom - cp.room - GAP);
	if (f.y1 - f.y0 < 10)
		return; /* nowhere to draw: the clip keeps the page clean */

	frame_columns(g, &f);
	if (c->type == CHART_LINE)
		draw_lines(g, &f, &vp);
	else if (c->type == CHART_STACKED && c->nseries > 1)
		draw_stacks(g, &f, &vp);
	else
		draw_bars(g, &f, &vp);

	for (size_t i = 0; i < c->ncat; i++)
		cat_draw_column(g, &cp, i, f.x0 + f.slot * (i + 0.5), cat_y, f.slot);
	if (ut_w > 0) {
		text_set(g, c->unit_label, FONT_LABEL);
		text_draw(g, PAD, PAD, 0, 0, 0, COLOR_MUTED);
	}
	if (ct_h > 0) {
		text_set(g, c->category_label, FONT_LABEL);
		text_limit(g, g->w - 2 * PAD, 1, PANGO_ALIGN_CENTER);
		text_draw(g, (f.x0 + f.x1) / 2, bottom + GAP, 0.5, 0, 0, COLOR_MUTED);
	}
	if (lg > 0)
		legend_series(g, PAD, g->w - PAD, g->h - PAD - lg, true);
}

/* ---- horizontal bars -------------------------------------------------- */

static void draw_hbars(struct chart_ctx *g)
{
	const struct doc_chart *c = g->c;
	cairo_t *cr = g->cr;
	struct axis a;
	struct valueplan vp;
	struct catplan cp;
	double vmin, vmax, x0, x1, y0, y1, slot, group, bw, lg = 0, ct_w = 0, ct_h = 0;
	double ut_w = 0, ut_h, tl_h, first_w, last_w, zero;
	size_t ns = c->nseries;

	vmin = c->vmin;
	vmax = c->vmax;
	if (ns > 1)
		lg = legend_series(g, PAD, g->w - PAD, 0, false);
	if (str(c->category_label)[0]) {
		text_set(g, c->category_label, FONT_LABEL);
		text_size(g, &ct_w, &ct_h);
	}
	if (str(c->unit_label)[0]) {
		text_set(g, c->unit_label, FONT_LABEL);
		text_size(g, &ut_w, &ut_h);
	}
	tl_h = line_height(g, FONT_LABEL);

	y0 = PAD + (ct_h > 0 ? ct_h + GAP : 0);
	y1 = g->h - PAD - (lg > 0 ? lg + 2 * GAP : 0) - tl_h - GAP;
	slot = (y1 - y0) / c->ncat;
	if (y1 - y0 < 10 || slot < 0.01)
		return;
	cat_plan_rows(g, slot, 0.3 * (g->w - 2 * PAD), &cp);
	x0 = PAD + cp.room + GAP;

	group = fmin(slot * 0.7, BAR_MAX * ns);
	bw = group / ns;
	value_plan(g, 1e9, ns > 1 ? bw + 1 : slot - 1, false, false, &vp);

	/* the unit sits after the last tick label, at the end of the axis */
	axis_pick(g, &a, tick_target(g->w - x0 - PAD, 60));
	if (1.6 * ticks_width(g, &a) > 60) /* long tick labels: fewer ticks */
		axis_pick(g, &a, tick_target(g->w - x0 - PAD, 1.6 * ticks_width(g, &a)));
	first_w = text_width(g, tick_label(&a, 0), FONT_LABEL);
	last_w = text_width(g, tick_label(&a, a.nticks), FONT_LABEL);
	vp.room = vp.mode == VALUE_NONE ? 0 : value_max_width(g, vp.size, false) + GAP;
	a.p0 = fmax(x0 + (vmin < 0 ? vp.room : 0), PAD + first_w / 2);
	x1 = g->w - PAD;
	a.p1 = x1 - fmax(vmax > 0 ? vp.room : 0, last_w / 2 + (ut_w > 0 ? GAP + ut_w : 0));
	if (a.p1 - a.p0 < 10)
		return;

	for (int i = 0; i <= a.nticks; i++) {
		double x = axis_pos(&a, axis_value(&a, i));

		if (axis_value(&a, i) != 0)
			line(cr, x, y0, x, y1, 0.4, COLOR_GRID);
		text_set(g, tick_label(&a, i), FONT_LABEL);
		text_draw(g, x, y1 + GAP, 0.5, 0, 0, COLOR_MUTED);
	}
	zero = axis_pos(&a, 0);
	line(cr, a.p0, y1, a.p1, y1, 0.6, COLOR_AXIS);
	line(cr, zero, y0, zero, y1, 0.6, COLOR_AXIS);

	for (size_t i = 0; i < c->ncat; i++) {
		double gy = y0 + slot * i + (slot - group) / 2;

		for (size_t s = 0; s < ns; s++) {
			int64_t v = raw_value(g, s, i);
			double x = axis_pos(&a, display(g, v)), by = gy + bw * s;
			double inner = ns > 1 ? fmin(1, bw * 0.1) : 0;

			if (v != 0)
				fill_rect(cr, zero, by + inner / 2, x, by + bw - inner / 2,
					  series_color(g, s));
			if (vp.mode == VALUE_NONE)
				continue;
			text_set(g, value_label(g, s, i), vp.size);
			ink_draw(g, v < 0 ? x - 2 : x + 2, by + bw / 2, v < 0 ? 1 : 0, 0.5, 0,
				 COLOR_TEXT);
		}
		cat_draw_row(g, &cp, i, x0 - GAP, y0 + slot * (i + 0.5));
	}
	if (ct_h > 0) {
		text_set(g, c->category_label, FONT_LABEL);
		text_draw(g, fmax(PAD, x0 - GAP - ct_w), PAD, 0, 0, 0, COLOR_MUTED);
	}
	if (ut_w > 0) {
		text_set(g, c->unit_label, FONT_LABEL);
		text_draw(g, x1, y1 + GAP, 1, 0, 0, COLOR_MUTED);
	}
	if (lg > 0)
		legend_series(g, PAD, g->w - PAD, g->h - PAD - lg, true);
}

/* ---- pie and doughnut ------------------------------------------------- */

struct sector {
	size_t i;        /* category */
	double a0, a1;   /* angles, clockwise from 12 o'clock */
	const char *pct; /* the doc's share, "12.3%" */
	double tw, th;   /* logical size, for stacking outside labels */
	double iw, ih;   /* ink size, for fitting inside */
	bool inside;
	double ly; /* outside labels: the label's centre line */
	bool right;
};

/* Are all four corners of a w x h box centred at (x, y) inside the sector? */
static bool box_in_sector(double x, double y, double w, double h, double rin, double r,
			  const struct sector *s)
{
	for (int k = 0; k < 4; k++) {
		double dx = x + (k & 1 ? w : -w) / 2, dy = y + (k & 2 ? h : -h) / 2;
		double rr = hypot(dx, dy), d = atan2(dy, dx) - s->a0;

		while (d < 0)
			d += 2 * M_PI;
		while (d >= 2 * M_PI)
			d -= 2 * M_PI;
		if (rr < rin + 1 || rr > r - 1 ||
		    (s->a1 - s->a0 < 2 * M_PI - 1e-9 && d > s->a1 - s->a0))
			return false;
	}
	return true;
}

static double label_radius(double rin, double r)
{
	return rin > 0 ? (rin + r) / 2 : r * 0.62;
}

/* Decide for each sector whether its percentage fits inside; count outside ones. */
static size_t sectors_fit(struct sector *sec, size_t n, double rin, double r)
{
	size_t out = 0;

	for (size_t k = 0; k < n; k++) {
		double am = (sec[k].a0 + sec[k].a1) / 2, rl = label_radius(rin, r);

		sec[k].inside = box_in_sector(rl * cos(am), rl * sin(am), sec[k].iw + 3,
					      sec[k].ih + 3, rin, r, &sec[k]);
		out += !sec[k].inside;
	}
	return out;
}

static int sector_cmp(const void *pa, const void *pb)
{
	const struct sector *const *a = pa, *const *b = pb;

	if ((*a)->ly != (*b)->ly)
		return (*a)->ly < (*b)->ly ? -1 : 1;
	return (*a)->i < (*b)->i ? -1 : (*a)->i > (*b)->i;
}

/*
 * Outside labels of one side: stacked top to bottom without overlap between
 * top and bottom; when there are more than fit, the ones of the smallest
 * sectors are left out (their share is still in the legend's colours).
 */
static void side_layout(struct sector **v, size_t n, double top, double bottom)
{
	double lh = n ? v[0]->th : 0;

	qsort(v, n, sizeof(*v), sector_cmp);
	while (n > 0 && n * lh > bottom - top) {
		size_t smallest = 0;

		for (size_t k = 1; k < n; k++)
			if (v[k]->a1 - v[k]->a0 < v[smallest]->a1 - v[smallest]->a0)
				smallest = k;
		v[smallest]->ly = NAN;
		memmove(&v[smallest], &v[smallest + 1], (n - smallest - 1) * sizeof(*v));
		n--;
	}
	for (size_t k = 0; k < n; k++) {
		double lo = k ? v[k - 1]->ly + lh : top + lh / 2;

		v[k]->ly = fmax(v[k]->ly, lo);
	}
	for (size_t k = n; k-- > 0;) {
		double hi = k + 1 < n ? v[k + 1]->ly - lh : bottom - lh / 2;

		v[k]->ly = fmin(v[k]->ly, hi);
	}
}

static void draw_pie(struct chart_ctx *g, bool doughnut)
{
	const struct doc_chart *c = g->c;
	cairo_t *cr = g->cr;
	struct catlegend lp;
	struct sector *sec, **side;
	int64_t total = 0;
	double angle = -M_PI / 2, lw, ax0 = PAD, ax1, ay0 = PAD, ay1 = g->h - PAD, r, rin;
	double margin = 0, lab_w = 0, lab_h = 0, cx, cy, gx;
	size_t n = 0, nout, nside;

	/* one series: sectors are its positive values, in category order */
	for (size_t i = 0; i < c->ncat; i++)
		if (raw_value(g, 0, i) > 0 &&
		    __builtin_add_overflow(total, raw_value(g, 0, i), &total)) {
			draw_empty(g); /* no real data sums past 9.2e18 fen */
			return;
		}
	if (total <= 0) {
		draw_empty(g);
		return;
	}
	legend_cat_plan(g, 0.45 * (g->w - 2 * PAD), ay1 - ay0, &lp);
	lw = legend_cat_width(&lp);
	ax1 = g->w - PAD - lw - 4 * GAP;

	sec = xcalloc(c->ncat, sizeof(*sec));
	side = xcalloc(c->ncat, sizeof(*side));
	for (size_t i = 0; i < c->ncat; i++) {
		int64_t v = raw_value(g, 0, i);
		struct sector *s = &sec[n];

		if (v <= 0)
			continue;
		s->i = i;
		s->a0 = angle;
		angle += 2 * M_PI * ((double)v / (double)total);
		s->a1 = angle;
		s->pct =
		    c->series[0].shares && c->series[0].shares[i] ? c->series[0].shares[i] : "";
		text_set(g, s->pct, FONT_VALUE);
		text_size(g, &s->tw, &s->th);
		ink_size(g, &s->iw, &s->ih);
		lab_w = fmax(lab_w, s->tw);
		lab_h = fmax(lab_h, s->th);
		n++;
	}
	if (n)
		sec[n - 1].a1 = -M_PI / 2 + 2 * M_PI;

	/* as large as the area allows; smaller when some labels go outside */
	r = fmin(ax1 - ax0, ay1 - ay0) / 2 - 1;
	rin = doughnut ? r * 0.55 : 0;
	nout = r > 0 ? sectors_fit(sec, n, rin, r) : n;
	if (nout > 0) {
		margin = lab_w + 14;
		r = fmin((ax1 - ax0) / 2 - margin, (ay1 - ay0) / 2 - lab_h / 2 - 2);
		rin = doughnut ? r * 0.55 : 0;
		if (r > 0)
			sectors_fit(sec, n, rin, r);
	}
	if (r < 4) {
		free(sec);
		free(side);
		return;
	}
	/* centre pie and legend as one group */
	gx = PAD + fmax(0, (g->w - 2 * PAD - (2 * (r + margin) + 4 * GAP + lw)) / 2);
	cx = gx + margin + r;
	cy = (ay0 + ay1) / 2;

	for (size_t k = 0; k < n; k++) {
		cairo_move_to(cr, cx + rin * cos(sec[k].a0), cy + rin * sin(sec[k].a0));
		cairo_arc(cr, cx, cy, r, sec[k].a0, sec[k].a1);
		if (doughnut)
			cairo_arc_negative(cr, cx, cy, rin, sec[k].a1, sec[k].a0);
		else
			cairo_line_to(cr, cx, cy);
		cairo_close_path(cr);
		set_rgb(cr, sector_color(g, sec[k].i));
		cairo_fill_preserve(cr);
		/* paper-white borders keep sectors apart in grayscale */
		cairo_set_line_width(cr, fmin(0.8, r * (sec[k].a1 - sec[k].a0) * 0.2));
		set_rgb(cr, COLOR_WHITE);
		if (n > 1)
			cairo_stroke(cr);
		else
			cairo_new_path(cr);
	}

	/* inside labels */
	for (size_t k = 0; k < n; k++) {
		double am = (sec[k].a0 + sec[k].a1) / 2, rl = label_radius(rin, r);

		if (!sec[k].inside)
			continue;
		text_set(g, sec[k].pct, FONT_VALUE);
		ink_draw(g, cx + rl * cos(am), cy + rl * sin(am), 0.5, 0.5, 0,
			 text_on(sector_color(g, sec[k].i)));
	}
	/* outside labels, per side, with leader lines */
	for (size_t k = 0; k < n; k++)
		sec[k].right = cos((sec[k].a0 + sec[k].a1) / 2) >= 0;
	for (int right = 0; right < 2; right++) {
		nside = 0;
		for (size_t k = 0; k < n; k++) {
			if (sec[k].inside || sec[k].right != right)
				continue;
			sec[k].ly = cy + (r + 6) * sin((sec[k].a0 + sec[k].a1) / 2);
			side[nside++] = &sec[k];
		}
		side_layout(side, nside, ay0, ay1);
		for (size_t k = 0; k < n; k++) {
			double am = (sec[k].a0 + sec[k].a1) / 2, lx;

			if (sec[k].inside || sec[k].right != right || isnan(sec[k].ly))
				continue;
			lx = right ? cx + r + 10 : cx - r - 10;
			cairo_move_to(cr, cx + (r + 1) * cos(am), cy + (r + 1) * sin(am));
			cairo_line_to(cr, right ? lx - 2 : lx + 2, sec[k].ly);
			cairo_set_line_width(cr, 0.5);
			set_rgb(cr, COLOR_MUTED);
			cairo_stroke(cr);
			text_set(g, sec[k].pct, FONT_VALUE);
			text_draw(g, lx, sec[k].ly, right ? 0 : 1, 0.5, 0, COLOR_TEXT);
		}
	}
	legend_cat_draw(g, &lp, cx + r + margin + 4 * GAP, cy - lp.nrows * lp.lh / 2);
	free(sec);
	free(side);
}

/* ---- entry ------------------------------------------------------------ */

static void ctx_init(struct chart_ctx *g, cairo_t *cr, const struct doc_chart *chart,
		     const char *family, double w, double h)
{
	cairo_font_options_t *fo = cairo_font_options_create();

	memset(g, 0, sizeof(*g));
	g->cr = cr;
	g->c = chart;
	g->w = w;
	g->h = h;
	/* a scale of 0 (unset) or one too large to be meant reads as 1 */
	g->divisor = (chart->unit == UNIT_FEN ? 100 : 1) *
		     (chart->scale > 0 && chart->scale <= INT64_MAX / 100 ? chart->scale : 1);

	/*
	 * Our own context, not the cairo_t's: language pinned to zh-cn so the
	 * locale (cron's LANG=C) never picks Japanese glyph variants, and
	 * unhinted metrics so a layout measures the same on a PDF page and in
	 * a test's image surface.
	 */
	g->pc = pango_font_map_create_context(pango_cairo_font_map_get_default());
	pango_context_set_language(g->pc, pango_language_from_string("zh-cn"));
	pango_context_set_base_dir(g->pc, PANGO_DIRECTION_LTR);
	pango_context_set_round_glyph_positions(g->pc, FALSE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(g->pc, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_update_context(cr, g->pc);
	g->lay = pango_layout_new(g->pc);
	g->fd = pango_font_description_new();
	pango_font_description_set_family(g->fd, family && family[0] ? family : "Noto Sans CJK SC");
	pango_font_description_set_weight(g->fd, PANGO_WEIGHT_NORMAL);
}

static void ctx_release(struct chart_ctx *g)
{
	pango_font_description_free(g->fd);
	g_object_unref(g->lay);
	g_object_unref(g->pc);
	free(g->boxes);
}

void chart_draw(cairo_t *cr, const struct doc_chart *chart, const char *font_family, double w,
		double h)
{
	struct chart_ctx g;
	cairo_path_t *path;

	if (cr == NULL || chart == NULL || !(w > 0) || !(h > 0) || !isfinite(w) || !isfinite(h))
		return;
	/* keeps every size within what Pango and the integer casts can hold */
	w = fmin(w, 1e5);
	h = fmin(h, 1e5);
	/* the path is not part of cairo's saved state: keep the caller's */
	path = cairo_copy_path(cr);
	cairo_save(cr);
	cairo_new_path(cr);
	cairo_rectangle(cr, 0, 0, w, h);
	cairo_clip(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_set_operator(cr, CAIRO_OPERATOR_OVER);

	ctx_init(&g, cr, chart, font_family, w, h);
	if (chart->ncat == 0 || chart->nseries == 0 || chart->series == NULL || !finished(chart)) {
		draw_empty(&g);
	} else {
		switch (chart->type) {
		case CHART_HBAR:
			draw_hbars(&g);
			break;
		case CHART_PIE:
			draw_pie(&g, false);
			break;
		case CHART_DOUGHNUT:
			draw_pie(&g, true);
			break;
		case CHART_BAR:
		case CHART_STACKED:
		case CHART_LINE:
		default:
			draw_columns(&g);
			break;
		}
	}
	ctx_release(&g);
	cairo_restore(cr);
	cairo_new_path(cr);
	if (path->status == CAIRO_STATUS_SUCCESS)
		cairo_append_path(cr, path);
	cairo_path_destroy(path);
}
