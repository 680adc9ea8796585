/*
 * test_chart.c - chart_draw() looked at pixel by pixel.
 *
 * Each chart is drawn at 2x into a white image surface with a margin around
 * its rectangle, then the pixels are read back: bars must appear where the
 * plot is and in proportion to their values, labels and legends must leave
 * ink where they belong, and nothing may land outside the rectangle or even
 * touch its edge (the chart clips itself, so an overflowing layout would show
 * as ink cut off at the border).  Series get colours no palette uses, so the
 * tests find their marks without knowing the palette.
 */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "render/chart/chart_draw.h"
#include "doc_fixture.h"

#define FONT   "Noto Sans CJK SC"
#define SCALE  2.0
#define MARGIN 12 /* pixels of paper around the chart rectangle */
#define WHITE  0xffffffu
#define GREEN  0x00a000u /* test series colours: in no palette */
#define PURPLE 0xa000a0u

struct canvas {
	cairo_surface_t *surface;
	const uint32_t *px;
	int width, height, stride; /* stride in pixels */
	int x0, y0, x1, y1;        /* the chart rectangle in pixels, exclusive end */
};

/* Draw chart, w x h points, into a fresh canvas. */
static void canvas_draw(struct canvas *cv, struct doc_chart *chart, double w, double h)
{
	cairo_t *cr;

	doc_chart_finish(chart); /* as the template stage does before any renderer */
	cv->x0 = cv->y0 = MARGIN;
	cv->x1 = MARGIN + (int)(w * SCALE);
	cv->y1 = MARGIN + (int)(h * SCALE);
	cv->width = cv->x1 + MARGIN;
	cv->height = cv->y1 + MARGIN;
	cv->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, cv->width, cv->height);
	cr = cairo_create(cv->surface);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_translate(cr, MARGIN, MARGIN);
	cairo_scale(cr, SCALE, SCALE);
	chart_draw(cr, chart, FONT, w, h);
	assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_flush(cv->surface);
	cv->px = (const uint32_t *)cairo_image_surface_get_data(cv->surface);
	cv->stride = cairo_image_surface_get_stride(cv->surface) / 4;
}

static void canvas_free(struct canvas *cv)
{
	cairo_surface_destroy(cv->surface);
}

static uint32_t pixel(const struct canvas *cv, int x, int y)
{
	return cv->px[(size_t)y * cv->stride + x] & 0xffffff;
}

static double lum(uint32_t c)
{
	return 0.299 * (c >> 16 & 0xff) + 0.587 * (c >> 8 & 0xff) + 0.114 * (c & 0xff);
}

/* Dark enough to be text, and neither test colour. */
static bool is_ink(uint32_t c)
{
	return lum(c) < 160 && c != GREEN && c != PURPLE;
}

static size_t count_color(const struct canvas *cv, uint32_t c, int x0, int y0, int x1, int y1)
{
	size_t n = 0;

	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			n += pixel(cv, x, y) == c;
	return n;
}

static size_t count_ink(const struct canvas *cv, int x0, int y0, int x1, int y1)
{
	size_t n = 0;

	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			n += is_ink(pixel(cv, x, y));
	return n;
}

static size_t count_nonwhite(const struct canvas *cv, int x0, int y0, int x1, int y1)
{
	size_t n = 0;

	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			n += pixel(cv, x, y) != WHITE;
	return n;
}

/*
 * Nothing outside the chart rectangle, nor in a ring of ring pixels just
 * inside its edge: a layout that overflowed would leave ink cut at the clip.
 */
static void assert_contained(const struct canvas *cv, int ring)
{
	for (int y = 0; y < cv->height; y++) {
		for (int x = 0; x < cv->width; x++) {
			bool inner = x >= cv->x0 + ring && x < cv->x1 - ring &&
				     y >= cv->y0 + ring && y < cv->y1 - ring;

			if (!inner && pixel(cv, x, y) != WHITE)
				fail_msg("ink at (%d,%d) outside the chart or on its edge", x, y);
		}
	}
}

struct run {
	int a, b; /* inclusive */
};

/*
 * Maximal runs of columns (vertical) or rows that hold colour c between from
 * and to across them (rows or columns): the bars, with the legend left out.
 */
static size_t color_runs(const struct canvas *cv, uint32_t c, bool columns, int from, int to,
			 struct run *out, size_t max)
{
	size_t n = 0;
	int lo = columns ? cv->x0 : cv->y0, hi = columns ? cv->x1 : cv->y1;
	bool in = false;

	for (int k = lo; k <= hi; k++) {
		bool has = k < hi && (columns ? count_color(cv, c, k, from, k + 1, to)
					      : count_color(cv, c, from, k, to, k + 1)) > 0;

		if (has && !in) {
			if (n < max)
				out[n].a = k;
			in = true;
		} else if (!has && in) {
			if (n < max)
				out[n].b = k - 1;
			n++;
			in = false;
		}
	}
	return n;
}

/* From the first to the last pixel of colour c in column x, rows from..to. */
static int column_span(const struct canvas *cv, uint32_t c, int x, int from, int to, int *top,
		       int *bottom)
{
	*top = to;
	*bottom = from - 1;
	for (int y = from; y < to; y++) {
		if (pixel(cv, x, y) == c) {
			*top = y < *top ? y : *top;
			*bottom = y;
		}
	}
	return *bottom >= *top ? *bottom - *top + 1 : 0;
}

/* The extent of colour c along one column: a bar's height. */
static int column_extent(const struct canvas *cv, uint32_t c, int x, int *top, int *bottom)
{
	return column_span(cv, c, x, cv->y0, cv->y1, top, bottom);
}

/* Same along a row: a horizontal bar's length. */
static int row_extent(const struct canvas *cv, uint32_t c, int y, int *left, int *right)
{
	*left = cv->x1;
	*right = cv->x0 - 1;
	for (int x = cv->x0; x < cv->x1; x++) {
		if (pixel(cv, x, y) == c) {
			*left = x < *left ? x : *left;
			*right = x;
		}
	}
	return *right >= *left ? *right - *left + 1 : 0;
}

/* ---- charts to draw ----------------------------------------------------- */

/* Give chart ncat categories named by fmt (with %zu) and zero values. */
static void chart_resize(struct doc_chart *c, size_t ncat, const char *fmt)
{
	doc_chart_forget(c); /* its arrays are ncat long */
	for (size_t s = 0; s < c->nseries; s++) {
		for (size_t i = 0; i < c->ncat; i++)
			free(c->series[s].labels[i]);
		free(c->series[s].labels);
		free(c->series[s].values);
		c->series[s].values = xcalloc(ncat, sizeof(int64_t));
		c->series[s].labels = xcalloc(ncat, sizeof(char *));
	}
	for (size_t i = 0; i < c->ncat; i++)
		free(c->categories[i]);
	free(c->categories);
	c->categories = xcalloc(ncat, sizeof(char *));
	c->ncat = ncat;
	for (size_t i = 0; i < ncat; i++)
		c->categories[i] = xasprintf(fmt, i + 1);
}

/* Set value i of series s (fen) with a label in 万元 as the fixture writes them. */
static void chart_set(struct doc_chart *c, size_t s, size_t i, int64_t v)
{
	uint64_t a = v < 0 ? -(uint64_t)v : (uint64_t)v; /* INT64_MIN too */

	c->series[s].values[i] = v;
	free(c->series[s].labels[i]);
	c->series[s].labels[i] =
	    xasprintf("%s%llu.%llu", v < 0 ? "-" : "", (unsigned long long)(a / 1000000),
		      (unsigned long long)(a % 1000000 / 100000));
}

static struct doc_chart *chart_with(enum chart_type type, size_t nseries, size_t ncat,
				    const int64_t *values)
{
	struct doc_chart *c = fixture_chart(type, nseries);

	chart_resize(c, ncat, "类别%zu");
	for (size_t s = 0; s < nseries; s++)
		for (size_t i = 0; i < ncat; i++)
			chart_set(c, s, i, values[i] / (int64_t)(s + 1));
	return c;
}

/* A chart is freed by the doc that holds it. */
static void chart_done(struct doc_chart *c)
{
	struct doc *d = xcalloc(1, sizeof(*d));

	d->blocks = xcalloc(1, sizeof(*d->blocks));
	d->nblocks = 1;
	d->blocks[0].kind = DOC_CHART;
	d->blocks[0].chart = c;
	doc_free(d);
}

static const enum chart_type all_types[] = {CHART_BAR,  CHART_HBAR, CHART_STACKED,
					    CHART_LINE, CHART_PIE,  CHART_DOUGHNUT};
#define NTYPES (sizeof(all_types) / sizeof(all_types[0]))

/* ---- tests -------------------------------------------------------------- */

/* Every chart of the fixture, at three sizes, draws and stays inside. */
static void test_fixture_charts_contained(void **state)
{
	static const double sizes[][2] = {{420, 230}, {260, 170}, {180, 120}};
	struct doc *d = fixture_doc();

	(void)state;
	for (size_t b = 0; b < d->nblocks; b++) {
		if (d->blocks[b].kind != DOC_CHART)
			continue;
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			struct canvas cv;
			size_t ink;

			canvas_draw(&cv, d->blocks[b].chart, sizes[k][0], sizes[k][1]);
			assert_contained(&cv, 2);
			/* a real drawing, not a blank or a "无数据" */
			ink = count_nonwhite(&cv, cv.x0, cv.y0, cv.x1, cv.y1);
			assert_true(ink > (size_t)((cv.x1 - cv.x0) * (cv.y1 - cv.y0)) / 20);
			canvas_free(&cv);
		}
	}
	doc_free(d);
}

/* Vector check at any resolution: the recorded ink lies in the rectangle. */
static void test_recording_extents(void **state)
{
	struct doc *d = fixture_doc();

	(void)state;
	for (size_t b = 0; b < d->nblocks; b++) {
		cairo_surface_t *rec;
		cairo_t *cr;
		double x, y, w, h;

		if (d->blocks[b].kind != DOC_CHART)
			continue;
		rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
		cr = cairo_create(rec);
		chart_draw(cr, d->blocks[b].chart, FONT, 300, 200);
		cairo_destroy(cr);
		cairo_recording_surface_ink_extents(rec, &x, &y, &w, &h);
		assert_true(w > 150 && h > 100);
		assert_true(x >= 0 && y >= 0 && x + w <= 300 && y + h <= 200);
		cairo_surface_destroy(rec);
	}
	doc_free(d);
}

/* The caller's matrix, source, line width, dash, clip and path survive. */
static void test_state_restored(void **state)
{
	struct doc *d = fixture_doc();
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 500, 400);
	cairo_t *cr = cairo_create(s);
	static const double dash[] = {3, 1};

	(void)state;
	cairo_translate(cr, 7, 9);
	cairo_set_source_rgb(cr, 0.25, 0.5, 0.75);
	cairo_set_line_width(cr, 3.5);
	cairo_set_dash(cr, dash, 2, 0.5);
	cairo_rectangle(cr, 0, 0, 480, 380);
	cairo_clip(cr);
	cairo_move_to(cr, 11, 13);
	cairo_line_to(cr, 17, 19);
	for (size_t b = 0; b < d->nblocks; b++) {
		cairo_matrix_t m;
		double r, g, bl, a, x, y, cx0, cy0, cx1, cy1, dd[2], off;

		if (d->blocks[b].kind != DOC_CHART)
			continue;
		chart_draw(cr, d->blocks[b].chart, FONT, 400, 240);
		assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
		cairo_get_matrix(cr, &m);
		assert_true(m.xx == 1 && m.yy == 1 && m.x0 == 7 && m.y0 == 9);
		assert_int_equal(cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &bl, &a),
				 CAIRO_STATUS_SUCCESS);
		assert_true(r == 0.25 && g == 0.5 && bl == 0.75 && a == 1);
		assert_true(cairo_get_line_width(cr) == 3.5);
		assert_int_equal(cairo_get_dash_count(cr), 2);
		cairo_get_dash(cr, dd, &off);
		assert_true(dd[0] == 3 && dd[1] == 1 && off == 0.5);
		cairo_clip_extents(cr, &cx0, &cy0, &cx1, &cy1);
		assert_true(cx0 == 0 && cy0 == 0 && cx1 == 480 && cy1 == 380);
		assert_true(cairo_has_current_point(cr));
		cairo_get_current_point(cr, &x, &y);
		assert_true(x == 17 && y == 19);
	}
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	doc_free(d);
}

/* Columns: one per category, heights in proportion, labels above and below. */
static void test_bar_columns(void **state)
{
	struct doc *d = fixture_doc();
	struct doc_chart *c = d->blocks[2].chart; /* the fixture's CHART_BAR */
	struct canvas cv;
	struct run runs[8];
	int top[6], bottom[6], height[6], hmax = 0;
	int64_t vmax = 0;

	(void)state;
	assert_int_equal(c->type, CHART_BAR);
	c->series[0].color = GREEN;
	canvas_draw(&cv, c, 420, 230);
	assert_contained(&cv, 2);
	assert_int_equal(color_runs(&cv, GREEN, true, cv.y0, cv.y1, runs, 8), 6);
	for (int i = 0; i < 6; i++) {
		height[i] =
		    column_extent(&cv, GREEN, (runs[i].a + runs[i].b) / 2, &top[i], &bottom[i]);
		hmax = height[i] > hmax ? height[i] : hmax;
		vmax = fixture_amounts[i] > vmax ? fixture_amounts[i] : vmax;
		/* equal widths, left to right with gaps */
		assert_true(abs((runs[i].b - runs[i].a) - (runs[0].b - runs[0].a)) <= 1);
		if (i > 0)
			assert_true(runs[i].a > runs[i - 1].b + 4);
	}
	for (int i = 0; i < 6; i++) {
		/* one baseline; heights ordered and proportional to the values */
		assert_true(abs(bottom[i] - bottom[0]) <= 1);
		for (int j = 0; j < 6; j++)
			if (fixture_amounts[i] > fixture_amounts[j])
				assert_true(height[i] > height[j]);
		assert_true(fabs((double)height[i] / hmax - (double)fixture_amounts[i] / vmax) <
			    0.02);
		/* a value label just above, a category label just below */
		assert_true(count_ink(&cv, runs[i].a - 4, top[i] - 24, runs[i].b + 5, top[i] - 1) >
			    30);
		assert_true(count_ink(&cv, runs[i].a - 4, bottom[0] + 3, runs[i].b + 5,
				      bottom[0] + 26) > 30);
	}
	/* labels never touch: a clear column between neighbours' labels */
	for (int i = 1; i < 6; i++) {
		bool gap = false;

		for (int x = (runs[i - 1].a + runs[i - 1].b) / 2; x < (runs[i].a + runs[i].b) / 2;
		     x++)
			gap = gap || count_ink(&cv, x, bottom[0] + 3, x + 1, bottom[0] + 26) == 0;
		assert_true(gap);
	}
	/* one series: no legend, so no green below the baseline */
	assert_int_equal(count_color(&cv, GREEN, cv.x0, bottom[0] + 2, cv.x1, cv.y1), 0);
	/* the value axis title 万元 sits top left, above the plot */
	assert_true(count_ink(&cv, cv.x0, cv.y0, runs[0].a, cv.y0 + 30) > 20);
	canvas_free(&cv);
	doc_free(d);
}

/* Horizontal bars: first category on top, lengths in order, labels at left. */
static void test_hbar_rows(void **state)
{
	struct doc *d = fixture_doc();
	struct doc_chart *c = d->blocks[3].chart;
	struct canvas cv;
	struct run runs[8];
	int left[6], right[6], len[6];

	(void)state;
	assert_int_equal(c->type, CHART_HBAR);
	c->series[0].color = GREEN;
	canvas_draw(&cv, c, 420, 230);
	assert_contained(&cv, 2);
	assert_int_equal(color_runs(&cv, GREEN, false, cv.x0, cv.x1, runs, 8), 6);
	for (int i = 0; i < 6; i++) {
		len[i] = row_extent(&cv, GREEN, (runs[i].a + runs[i].b) / 2, &left[i], &right[i]);
		assert_true(abs(left[i] - left[0]) <= 1);
		/* category label left of the bar, value label right of it */
		assert_true(count_ink(&cv, cv.x0, runs[i].a, left[i] - 2, runs[i].b + 1) > 30);
		assert_true(count_ink(&cv, right[i] + 2, runs[i].a, right[i] + 60, runs[i].b + 1) >
			    30);
	}
	for (int i = 0; i < 6; i++)
		for (int j = 0; j < 6; j++)
			if (fixture_amounts[i] > fixture_amounts[j])
				assert_true(len[i] > len[j]);
	canvas_free(&cv);
	doc_free(d);
}

/* Stacks: series 2 (half of series 1) on top, half as tall; a legend. */
static void test_stacked(void **state)
{
	struct doc *d = fixture_doc();
	struct doc_chart *c = d->blocks[4].chart;
	struct canvas cv;
	struct run runs[8];
	int base = 0, band;

	(void)state;
	assert_int_equal(c->type, CHART_STACKED);
	c->series[0].color = GREEN;
	c->series[1].color = PURPLE;
	canvas_draw(&cv, c, 420, 230);
	assert_contained(&cv, 2);
	/* six stacks above the legend (in the bottom tenth) */
	band = cv.y1 - (cv.y1 - cv.y0) / 10;
	assert_int_equal(color_runs(&cv, GREEN, true, cv.y0, band, runs, 8), 6);
	for (int i = 0; i < 6; i++) {
		int gh = 0, ph = 0, gt = 0, gb = 0, pt = 0, pb = 0;

		/* the tallest stretch across the column: labels sit in the middle */
		for (int x = runs[i].a; x <= runs[i].b; x++) {
			int t, b2, h;

			if ((h = column_span(&cv, GREEN, x, cv.y0, band, &t, &b2)) > gh)
				gh = h, gt = t, gb = b2;
			if ((h = column_span(&cv, PURPLE, x, cv.y0, band, &t, &b2)) > ph)
				ph = h, pt = t, pb = b2;
		}
		(void)pt;
		if (i == 0)
			base = gb;
		assert_true(abs(gb - base) <= 1);
		assert_true(pb <= gt + 1 && pb >= gt - 3); /* purple sits on green */
		assert_true(fabs((double)ph / gh - 0.5) < 0.06);
	}
	/* the legend: both colours below the category labels */
	assert_true(count_color(&cv, GREEN, cv.x0, base + 40, cv.x1, cv.y1) > 20);
	assert_true(count_color(&cv, PURPLE, cv.x0, base + 40, cv.x1, cv.y1) > 20);
	canvas_free(&cv);
	doc_free(d);
}

/* A rising series draws a line that rises left to right, with markers. */
static void test_line_rises(void **state)
{
	static const int64_t v[] = {100000000, 200000000, 300000000, 400000000, 500000000};
	struct doc_chart *c = chart_with(CHART_LINE, 1, 5, v);
	struct canvas cv;
	struct run runs[16];
	int prev = 1 << 30, t, b, first, last;
	size_t n;

	(void)state;
	c->series[0].color = GREEN;
	canvas_draw(&cv, c, 400, 220);
	assert_contained(&cv, 2);
	/* one line, broken only by the paper rim of its five markers */
	n = color_runs(&cv, GREEN, true, cv.y0, cv.y1, runs, 16);
	assert_true(n >= 1 && n <= 10);
	for (size_t k = 1; k < n; k++)
		assert_true(runs[k].a - runs[k - 1].b <= 4);
	first = runs[0].a;
	last = runs[n - 1].b;
	assert_true(last - first > (cv.x1 - cv.x0) / 2);
	for (int x = first + 2; x < last - 2; x += 8) {
		if (column_extent(&cv, GREEN, x, &t, &b) == 0)
			continue;
		assert_true(b - t < 16);
		assert_true((t + b) / 2 <= prev + 1);
		prev = (t + b) / 2;
	}
	column_extent(&cv, GREEN, first + 2, &t, &b);
	assert_true(t - prev > 150);
	/* no legend for one series */
	assert_int_equal(count_color(&cv, GREEN, cv.x0, b + 40, cv.x1, cv.y1), 0);
	canvas_free(&cv);
	chart_done(c);
}

/*
 * A value without meaning (doc_series.no_value): no column at its category,
 * its label "—" on the baseline, and a line stops before it and starts
 * again after it.  A value stored there anyway is not drawn.
 */
static void test_no_value(void **state)
{
	static const int64_t v[] = {300000000, 400000000, 500000000, 400000000, 300000000};
	struct doc_chart *c = chart_with(CHART_BAR, 1, 5, v);
	struct canvas cv;
	struct run runs[16];
	int t, b, widest = 0;
	size_t n;

	(void)state;
	c->series[0].color = GREEN;
	c->series[0].no_value = xcalloc(5, sizeof(bool));
	c->series[0].no_value[2] = true;
	free(c->series[0].labels[2]);
	c->series[0].labels[2] = xstrdup(""); /* doc_chart_finish writes "—" */
	canvas_draw(&cv, c, 400, 220);
	assert_string_equal(c->series[0].labels[2], "—");
	assert_true(c->vmax < 450); /* 500 万元 is not a value */
	assert_contained(&cv, 2);
	assert_int_equal(color_runs(&cv, GREEN, true, cv.y0, cv.y1, runs, 16), 4);
	column_extent(&cv, GREEN, (runs[0].a + runs[0].b) / 2, &t, &b);
	/* "—" just above the baseline where the third column would be */
	assert_true(count_ink(&cv, runs[1].b + 4, b - 20, runs[2].a - 4, b - 1) > 5);
	canvas_free(&cv);

	c->type = CHART_LINE;
	canvas_draw(&cv, c, 400, 220);
	assert_contained(&cv, 2);
	n = color_runs(&cv, GREEN, true, cv.y0, cv.y1, runs, 16);
	assert_true(n >= 2 && n <= 16);
	for (size_t k = 1; k < n; k++)
		if (runs[k].a - runs[k - 1].b > widest)
			widest = runs[k].a - runs[k - 1].b;
	/* two slots (about 150 pixels each) without a line or a marker */
	assert_true(widest > 200);
	canvas_free(&cv);
	chart_done(c);
}

/* Two series: two lines, and a legend in the bottom band. */
static void test_line_legend(void **state)
{
	struct doc *d = fixture_doc();
	struct doc_chart *c = d->blocks[5].chart;
	struct canvas cv;
	int band;

	(void)state;
	assert_int_equal(c->type, CHART_LINE);
	c->series[0].color = GREEN;
	c->series[1].color = PURPLE;
	canvas_draw(&cv, c, 420, 230);
	assert_contained(&cv, 2);
	band = cv.y1 - (cv.y1 - cv.y0) / 10;
	assert_true(count_color(&cv, GREEN, cv.x0, cv.y0, cv.x1, band) > 300);
	assert_true(count_color(&cv, PURPLE, cv.x0, cv.y0, cv.x1, band) > 300);
	assert_true(count_color(&cv, GREEN, cv.x0, band, cv.x1, cv.y1) > 10);
	assert_true(count_color(&cv, PURPLE, cv.x0, band, cv.x1, cv.y1) > 10);
	assert_true(count_ink(&cv, cv.x0, band, cv.x1, cv.y1) > 50); /* 系列1 系列2 */
	canvas_free(&cv);
	doc_free(d);
}

/* The two most frequent non-white colours in a rectangle, and their counts. */
static void top_two_colors(const struct canvas *cv, uint32_t *c1, size_t *n1, uint32_t *c2,
			   size_t *n2)
{
	size_t cap = 4096, n = 0;
	uint32_t *col = xcalloc(cap, sizeof(*col));
	size_t *cnt = xcalloc(cap, sizeof(*cnt));

	for (int y = cv->y0; y < cv->y1; y++) {
		for (int x = cv->x0; x < cv->x1; x++) {
			uint32_t p = pixel(cv, x, y);
			size_t k;

			if (p == WHITE)
				continue;
			for (k = 0; k < n && col[k] != p; k++)
				;
			if (k == n && n < cap)
				col[n++] = p;
			if (k < n)
				cnt[k]++;
		}
	}
	*n1 = *n2 = 0;
	for (size_t k = 0; k < n; k++) {
		if (cnt[k] > *n1) {
			*c2 = *c1, *n2 = *n1;
			*c1 = col[k], *n1 = cnt[k];
		} else if (cnt[k] > *n2) {
			*c2 = col[k], *n2 = cnt[k];
		}
	}
	free(col);
	free(cnt);
}

/* Sector areas follow the values: 3:1 gives three quarters and a quarter. */
static void pie_case(enum chart_type type)
{
	static const int64_t v[] = {300000000, 100000000};
	struct doc_chart *c = chart_with(type, 1, 2, v);
	struct canvas cv;
	uint32_t c1 = 0, c2 = 0;
	size_t n1, n2;
	int x0 = 1 << 30, x1 = 0, y0 = 1 << 30, y1 = 0;

	canvas_draw(&cv, c, 400, 220);
	assert_contained(&cv, 2);
	top_two_colors(&cv, &c1, &n1, &c2, &n2);
	assert_true(n2 > 1000);
	assert_true(fabs((double)n1 / n2 - 3.0) < 0.3);
	/* the sectors: the first columns holding their colours (the legend is further right) */
	for (int x = cv.x0; x < cv.x1; x++) {
		bool has = count_color(&cv, c1, x, cv.y0, x + 1, cv.y1) +
			       count_color(&cv, c2, x, cv.y0, x + 1, cv.y1) >
			   0;

		if (has && x0 > x)
			x0 = x1 = x;
		else if (has && x1 == x - 1)
			x1 = x;
	}
	for (int y = cv.y0; y < cv.y1; y++) {
		if (count_color(&cv, c1, x0, y, x1 + 1, y + 1) +
			count_color(&cv, c2, x0, y, x1 + 1, y + 1) ==
		    0)
			continue;
		y0 = y < y0 ? y : y0;
		y1 = y;
	}
	assert_true(abs((x1 - x0) - (y1 - y0)) <= 4);
	assert_true(y1 - y0 > (cv.y1 - cv.y0) / 2);
	/* a doughnut has a paper hole, a pie is filled at its centre */
	if (type == CHART_DOUGHNUT)
		assert_int_equal(pixel(&cv, (x0 + x1) / 2, (y0 + y1) / 2), WHITE);
	else
		assert_true(pixel(&cv, (x0 + x1) / 2 - 3, (y0 + y1) / 2 + 3) != WHITE);
	/* a legend to the right, naming both categories */
	assert_true(count_color(&cv, c1, x1 + 10, cv.y0, cv.x1, cv.y1) > 20);
	assert_true(count_color(&cv, c2, x1 + 10, cv.y0, cv.x1, cv.y1) > 20);
	assert_true(count_ink(&cv, x1 + 10, cv.y0, cv.x1, cv.y1) > 60);
	canvas_free(&cv);
	chart_done(c);
}

static void test_pie(void **state)
{
	(void)state;
	pie_case(CHART_PIE);
}

static void test_doughnut(void **state)
{
	(void)state;
	pie_case(CHART_DOUGHNUT);
}

/* The default palette: four series stay apart in grayscale. */
static void test_palette_grayscale(void **state)
{
	static const int64_t v[] = {500000000, 500000000, 500000000};
	struct doc_chart *c = chart_with(CHART_BAR, 4, 3, v);
	struct canvas cv;
	uint32_t seen[4];
	size_t nseen = 0;

	(void)state;
	for (size_t s = 0; s < 4; s++)
		for (size_t i = 0; i < 3; i++)
			chart_set(c, s, i, v[i]);
	canvas_draw(&cv, c, 420, 230);
	/* the colours across the middle of the first category's columns */
	for (int x = cv.x0; x < cv.x1 - 2 && nseen < 4; x++) {
		int y = (cv.y0 + cv.y1) / 2;
		uint32_t p = pixel(&cv, x, y);

		if (p == WHITE || p != pixel(&cv, x + 1, y) || p != pixel(&cv, x + 2, y))
			continue; /* paper, or an antialiased edge */
		if (count_color(&cv, p, x, cv.y0, x + 1, cv.y1) > 100 &&
		    (nseen == 0 || seen[nseen - 1] != p))
			seen[nseen++] = p;
	}
	assert_int_equal(nseen, 4);
	for (size_t i = 0; i < 4; i++)
		for (size_t j = i + 1; j < 4; j++)
			assert_true(fabs(lum(seen[i]) - lum(seen[j])) >= 25);
	canvas_free(&cv);
	chart_done(c);
}

/* Negative values go the other way from one baseline. */
static void test_negative(void **state)
{
	static const int64_t v[] = {300000000, -200000000, 100000000};
	struct doc_chart *c = chart_with(CHART_BAR, 1, 3, v);
	struct canvas cv;
	struct run runs[4];
	int t[3], b[3], l[3], r[3];

	(void)state;
	c->series[0].color = GREEN;
	canvas_draw(&cv, c, 360, 220);
	assert_contained(&cv, 2);
	assert_int_equal(color_runs(&cv, GREEN, true, cv.y0, cv.y1, runs, 4), 3);
	for (int i = 0; i < 3; i++)
		column_extent(&cv, GREEN, (runs[i].a + runs[i].b) / 2, &t[i], &b[i]);
	assert_true(abs(b[0] - b[2]) <= 1);
	assert_true(abs(t[1] - b[0]) <= 2); /* hangs from the baseline */
	assert_true(abs((b[1] - t[1]) - (b[0] - t[0]) * 2 / 3) <= 3);
	assert_true(count_ink(&cv, runs[1].a - 4, b[1] + 2, runs[1].b + 5, b[1] + 24) > 30);
	canvas_free(&cv);

	c->type = CHART_HBAR;
	canvas_draw(&cv, c, 360, 220);
	assert_contained(&cv, 2);
	assert_int_equal(color_runs(&cv, GREEN, false, cv.x0, cv.x1, runs, 4), 3);
	for (int i = 0; i < 3; i++)
		row_extent(&cv, GREEN, (runs[i].a + runs[i].b) / 2, &l[i], &r[i]);
	assert_true(abs(l[0] - l[2]) <= 1);
	assert_true(abs(r[1] - l[0]) <= 2); /* ends at the zero line */
	canvas_free(&cv);

	for (size_t k = 0; k < NTYPES; k++) {
		c->type = all_types[k];
		canvas_draw(&cv, c, 360, 220);
		assert_contained(&cv, 2);
		canvas_free(&cv);
	}
	chart_done(c);
}

/* All zeros: axes, labels and no bars; pies have nothing to divide. */
static void test_all_zero(void **state)
{
	static const int64_t v[] = {0, 0, 0, 0};
	struct doc_chart *c = chart_with(CHART_BAR, 1, 4, v);

	(void)state;
	c->series[0].color = GREEN;
	for (size_t k = 0; k < NTYPES; k++) {
		struct canvas cv;
		size_t green, ink;

		c->type = all_types[k];
		canvas_draw(&cv, c, 360, 220);
		assert_contained(&cv, 2);
		green = count_color(&cv, GREEN, cv.x0, cv.y0, cv.x1, cv.y1);
		ink = count_ink(&cv, cv.x0, cv.y0, cv.x1, cv.y1);
		switch (c->type) {
		case CHART_BAR:
		case CHART_HBAR:
		case CHART_STACKED:
			assert_int_equal(green, 0);
			assert_true(ink > 1000); /* axes, ticks, 0.0 labels, categories */
			break;
		case CHART_LINE:
			assert_true(green > 100); /* flat on the baseline */
			break;
		default:
			assert_true(ink > 100 && ink < 3000); /* 无数据 */
			break;
		}
		canvas_free(&cv);
	}
	chart_done(c);
}

/* The ink's bounding box. */
static void ink_box(const struct canvas *cv, int *x0, int *y0, int *x1, int *y1)
{
	*x0 = *y0 = 1 << 30;
	*x1 = *y1 = -1;
	for (int y = cv->y0; y < cv->y1; y++) {
		for (int x = cv->x0; x < cv->x1; x++) {
			if (pixel(cv, x, y) == WHITE)
				continue;
			*x0 = x < *x0 ? x : *x0;
			*x1 = x > *x1 ? x : *x1;
			*y0 = y < *y0 ? y : *y0;
			*y1 = y > *y1 ? y : *y1;
		}
	}
}

/* No categories (or no series): a centred 无数据 and nothing else. */
static void test_empty(void **state)
{
	static const int64_t v[] = {0};
	struct doc_chart *c = chart_with(CHART_BAR, 1, 1, v);

	(void)state;
	for (int round = 0; round < 2; round++) {
		/* no categories; then categories but no series */
		chart_resize(c, round ? 3 : 0, "类别%zu");
		c->nseries = round ? 0 : 1;
		for (size_t k = 0; k < NTYPES; k++) {
			struct canvas cv;
			int x0, y0, x1, y1, cx, cy;

			c->type = all_types[k];
			canvas_draw(&cv, c, 360, 220);
			assert_contained(&cv, 2);
			ink_box(&cv, &x0, &y0, &x1, &y1);
			assert_true(x1 > x0 && y1 > y0);
			cx = (cv.x0 + cv.x1) / 2;
			cy = (cv.y0 + cv.y1) / 2;
			assert_true(abs((x0 + x1) / 2 - cx) <= 3 && abs((y0 + y1) / 2 - cy) <= 3);
			assert_true(x1 - x0 < (cv.x1 - cv.x0) / 4 && y1 - y0 < 40);
			canvas_free(&cv);
		}
	}
	c->nseries = 1;
	chart_done(c);
}

/*
 * A chart doc_chart_finish() never saw has no text for its numbers: it is
 * drawn empty, and the cairo context stays sound (an axis of zero length
 * once made the matrix singular and failed the whole PDF).
 */
static void test_unfinished(void **state)
{
	(void)state;
	for (size_t k = 0; k < NTYPES; k++) {
		struct doc_chart *c = fixture_chart(all_types[k], 2);
		cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 300, 200);
		cairo_t *cr = cairo_create(s);

		chart_draw(cr, c, FONT, 300, 200);
		assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
		cairo_destroy(cr);
		cairo_surface_destroy(s);
		chart_done(c);
	}
}

/* One category: one modest column, and every type copes. */
static void test_single_category(void **state)
{
	static const int64_t v[] = {523456789};
	struct doc_chart *c = chart_with(CHART_BAR, 1, 1, v);
	struct canvas cv;
	struct run runs[2];

	(void)state;
	c->series[0].color = GREEN;
	canvas_draw(&cv, c, 420, 230);
	assert_int_equal(color_runs(&cv, GREEN, true, cv.y0, cv.y1, runs, 2), 1);
	assert_true(runs[0].b - runs[0].a < (cv.x1 - cv.x0) / 8); /* not a slab */
	canvas_free(&cv);
	for (size_t k = 0; k < NTYPES; k++) {
		c->type = all_types[k];
		canvas_draw(&cv, c, 420, 230);
		assert_contained(&cv, 2);
		assert_true(count_nonwhite(&cv, cv.x0, cv.y0, cv.x1, cv.y1) > 2000);
		canvas_free(&cv);
	}
	chart_done(c);
}

/* Thirty long names: every bar drawn, labels turned or thinned, all inside. */
static void test_long_categories(void **state)
{
	struct doc_chart *c = fixture_chart(CHART_BAR, 2);
	struct canvas cv;
	struct run runs[64];

	(void)state;
	chart_resize(c, 30, "四川省广安市第%zu社区居民委员会城乡低保");
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < 30; i++)
			chart_set(c, s, i, (int64_t)(i % 7 + 1) * 123456789 * (s + 1));
	c->series[0].color = GREEN;
	for (size_t k = 0; k < NTYPES; k++) {
		c->type = all_types[k];
		canvas_draw(&cv, c, 420, 230);
		assert_contained(&cv, 2);
		/* 30 bars of series 1 above the legend (in the bottom tenth) */
		if (c->type == CHART_BAR)
			assert_int_equal(color_runs(&cv, GREEN, true, cv.y0,
						    cv.y1 - (cv.y1 - cv.y0) / 10, runs, 64),
					 30);
		/* 30 bars and the legend's swatch, in rows */
		if (c->type == CHART_HBAR)
			assert_int_equal(color_runs(&cv, GREEN, false, cv.x0, cv.x1, runs, 64), 31);
		canvas_free(&cv);
		/* and at a small size */
		canvas_draw(&cv, c, 200, 140);
		assert_contained(&cv, 2);
		canvas_free(&cv);
	}
	chart_done(c);
}

/* Values the doc did not label get labels of our own; counts, large numbers. */
static void test_unlabelled_counts(void **state)
{
	static const int64_t v[] = {48213, 24102, 930788};
	struct doc_chart *c = chart_with(CHART_STACKED, 2, 3, v);

	(void)state;
	c->unit = UNIT_COUNT;
	c->scale = 1;
	for (size_t s = 0; s < 2; s++) {
		for (size_t i = 0; i < 3; i++) {
			free(c->series[s].labels[i]);
			c->series[s].labels[i] = NULL;
		}
	}
	for (size_t k = 0; k < NTYPES; k++) {
		struct canvas cv;

		c->type = all_types[k];
		canvas_draw(&cv, c, 360, 220);
		assert_contained(&cv, 2);
		canvas_free(&cv);
	}
	chart_done(c);
}

/* Absurd sizes and values: no crash, no undefined behaviour, nothing outside. */
static void test_extremes(void **state)
{
	static const double sizes[][2] = {{1, 1}, {24, 12}, {70, 45}, {420, 230}};
	static const int64_t v[] = {INT64_MAX, INT64_MIN, 0, INT64_MAX / 3};
	struct doc_chart *c = chart_with(CHART_BAR, 2, 4, v);
	struct doc_chart *many = chart_with(CHART_BAR, 1, 1, v);

	(void)state;
	chart_set(c, 1, 0, INT64_MAX); /* stacks that overflow int64 */
	chart_resize(many, 400, "第%zu类");
	for (size_t i = 0; i < 400; i++)
		chart_set(many, 0, i, (int64_t)(i * 7919 % 400) * 1000000 - 100000000);
	for (size_t k = 0; k < NTYPES; k++) {
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			struct canvas cv;

			c->type = many->type = all_types[k];
			canvas_draw(&cv, c, sizes[z][0], sizes[z][1]);
			assert_contained(&cv, 0);
			canvas_free(&cv);
			canvas_draw(&cv, many, sizes[z][0], sizes[z][1]);
			assert_contained(&cv, 0);
			canvas_free(&cv);
		}
	}
	chart_done(c);
	chart_done(many);
}

/*
 * The same chart twice gives the same pixels.  (The vector path is covered by
 * test_recording_extents; a PDF surface is left to the PDF renderer's tests,
 * as cairo 1.16 leaks a block per CJK font subset there.)
 */
static void test_deterministic(void **state)
{
	struct doc *d = fixture_doc();

	(void)state;
	for (size_t b = 0; b < d->nblocks; b++) {
		struct canvas a, z;

		if (d->blocks[b].kind != DOC_CHART)
			continue;
		canvas_draw(&a, d->blocks[b].chart, 400, 220);
		canvas_draw(&z, d->blocks[b].chart, 400, 220);
		assert_memory_equal(a.px, z.px, (size_t)a.stride * 4 * a.height);
		canvas_free(&a);
		canvas_free(&z);
	}
	doc_free(d);
}

#if defined(__SANITIZE_ADDRESS__)
/*
 * fontconfig leaks one small block of its configuration at first use (freed
 * only by FcFini, which this binary does not link): not ours to report.
 * LeakSanitizer asks this hook for suppressions.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
#endif

int main(void)
{
	int failed;

	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixture_charts_contained),
	    cmocka_unit_test(test_recording_extents),
	    cmocka_unit_test(test_state_restored),
	    cmocka_unit_test(test_bar_columns),
	    cmocka_unit_test(test_hbar_rows),
	    cmocka_unit_test(test_stacked),
	    cmocka_unit_test(test_line_rises),
	    cmocka_unit_test(test_line_legend),
	    cmocka_unit_test(test_no_value),
	    cmocka_unit_test(test_pie),
	    cmocka_unit_test(test_doughnut),
	    cmocka_unit_test(test_palette_grayscale),
	    cmocka_unit_test(test_negative),
	    cmocka_unit_test(test_all_zero),
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_unfinished),
	    cmocka_unit_test(test_single_category),
	    cmocka_unit_test(test_long_categories),
	    cmocka_unit_test(test_unlabelled_counts),
	    cmocka_unit_test(test_extremes),
	    cmocka_unit_test(test_deterministic),
	};

	/* as under cron: the chart pins its own language */
	setlocale(LC_ALL, "C");
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	/* drop the font caches so that LeakSanitizer sees only real leaks */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	return failed;
}
