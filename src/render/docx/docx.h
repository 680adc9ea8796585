/*
 * docx.h - the DOCX renderer: a struct doc to a Word/WPS document that
 * officers revise before it is issued (印发).
 *
 * Real paragraph styles (标题, 一级标题, 二级标题, 正文, 图表题注, 表注) so
 * the navigation pane shows the headings and one edit of a style changes
 * every paragraph of it; A4 with the GB/T 9704 margins; "— 1 —" page numbers;
 * native three-line tables; charts as PNGs drawn by the PDF's own chart code
 * (render/chart).  Reads only the doc, creates no content.
 *
 * Deterministic bytes: the zip entries carry a fixed date and go in a fixed
 * order, the document properties come from doc->meta.created, and the PNGs
 * are drawn the same every time.
 */
#ifndef CIVREPORT_DOCX_H
#define CIVREPORT_DOCX_H

#include <stddef.h>

#include "doc/doc.h"

/*
 * Write doc to path (the caller's temporary file: written in place, never
 * through a symlink).  Returns 0, or -1 with a message in err; on failure
 * path is left empty or removed, never half a document.
 */
int docx_render(const struct doc *doc, const char *path, char *err, size_t errlen);

#endif
