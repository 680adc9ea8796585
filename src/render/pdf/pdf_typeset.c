/*
 * pdf_typeset.c - the sizes, faces and line grids of the two page styles;
 * see pdf_layout.h.
 *
 * compact: a 14pt body on a 28pt grid, the report as it has always been.
 * gbt9704: GB/T 9704's 3号 (16pt) body, 22 lines of 28 characters filling
 * the 156 × 225 mm type area, title 2号 (22pt); 一、 in the 黑体 role,
 * （一） in the 楷体 role, 1. in the 仿宋 role, all 3号 (OFFICIAL-DOCUMENT.md).
 */
#include "pdf_layout.h"

/*
 * The GB/T 9704 grid: 225 mm of type area hold 22 lines of at most 28.99
 * pt; 28 characters in 156 mm need a pitch of 15.79 pt, so a 16pt
 * character is tracked −0.21 pt.
 */
#define GBT_PITCH    (PDF_MM(225) / 22)
#define GBT_TRACKING (PDF_MM(156) / 28 - 16.0)

static const struct pdf_typeset compact = {
    .body = {PDF_FACE_BODY, 14.0, false, 28.0, 0},
    .heading =
	{
	    {PDF_FACE_HEADING1, 16.0, true, 32.0, 0},
	    {PDF_FACE_HEADING2, 14.0, false, 28.0, 0}, /* 楷体 tells it apart: not bold */
	    {PDF_FACE_BODY, 14.0, true, 28.0, 0},
	},
    .heading_before = {8.0, 2.0, 0.0},
    .title = {PDF_FACE_TITLE, 22.0, true, 36.0, 0},
    .sub = {PDF_FACE_BODY, 16.0, false, 28.0, 0},
    .cell = {PDF_FACE_TABLE, 10.5, false, 16.0, 0}, /* 五号 */
    .cell_bold = {PDF_FACE_TABLE, 10.5, true, 16.0, 0},
    .caption = {PDF_FACE_HEADING1, 12.0, false, 22.0, 0},
    .note = {PDF_FACE_TABLE, 10.5, false, 16.0, 0},
    .code = {PDF_FACE_MONO, 9.0, false, 14.0, 0},
    .footer = {PDF_FACE_BODY, 14.0, false, 20.0, 0},
    .indent = 2 * 14.0,
};

static const struct pdf_typeset gbt9704 = {
    .body = {PDF_FACE_BODY, 16.0, false, GBT_PITCH, GBT_TRACKING},
    /* the standard says 黑体 and 楷体, not bold: the faces carry the weight */
    .heading =
	{
	    {PDF_FACE_HEADING1, 16.0, false, GBT_PITCH, GBT_TRACKING},
	    {PDF_FACE_HEADING2, 16.0, false, GBT_PITCH, GBT_TRACKING},
	    {PDF_FACE_BODY, 16.0, true, GBT_PITCH, GBT_TRACKING},
	},
    .heading_before = {0.0, 0.0, 0.0}, /* on the grid */
    .title = {PDF_FACE_TITLE, 22.0, true, 40.0, 0},
    .sub = {PDF_FACE_BODY, 16.0, false, GBT_PITCH, 0},
    /* tables keep 五号: a statistics table of 3号 figures would not fit the width */
    .cell = {PDF_FACE_TABLE, 10.5, false, 16.0, 0},
    .cell_bold = {PDF_FACE_TABLE, 10.5, true, 16.0, 0},
    .caption = {PDF_FACE_HEADING1, 14.0, false, 24.0, 0},
    .note = {PDF_FACE_TABLE, 10.5, false, 16.0, 0},
    .code = {PDF_FACE_MONO, 9.0, false, 14.0, 0},
    .footer = {PDF_FACE_BODY, 14.0, false, 20.0, 0}, /* 4号 */
    .indent = 2 * (16.0 + GBT_TRACKING),
};

void pdf_typeset_for(struct pdf_typeset *ts, const struct doc_meta *m)
{
	*ts = m->style == DOC_STYLE_GBT9704 ? gbt9704 : compact;
	ts->title.bold = m->title_bold;
}
