/*
 * chart_draw.h - drawing one chart of a doc with cairo.
 *
 * Drawing takes any cairo_t, so the PDF renderer draws into its page, the
 * DOCX renderer into an image surface it writes as a PNG, and a test into an
 * image surface whose pixels it looks at: one chart, one look, everywhere.
 */
#ifndef CIVREPORT_CHART_DRAW_H
#define CIVREPORT_CHART_DRAW_H

#include <cairo.h>

#include "doc/doc.h"

/*
 * Draw chart into the rectangle (0,0)-(w,h) of cr in points, with the font
 * family given (pinned by name, e.g. "Noto Sans CJK SC").  The caption
 * (图N ...) is the caller's; the chart draws axes, ticks in the chart's unit,
 * bars or lines or sectors, value labels and a legend when there are several
 * series.  Leaves cr's state as it found it.
 */
void chart_draw(cairo_t *cr, const struct doc_chart *chart, const char *font_family, double w,
		double h);

#endif
