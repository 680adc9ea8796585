/*
 * xlsx.h - the XLSX renderer: a struct doc to a workbook with libxlsxwriter.
 *
 * One worksheet per table and per chart's data, in template order, plus 指标
 * (every figure of the narrative) and 数据质量 (the data-quality summary).
 * Reads only the doc.  Deterministic bytes: doc->meta.created is the
 * workbook's creation time.
 */
#ifndef CIVREPORT_XLSX_H
#define CIVREPORT_XLSX_H

#include <stddef.h>

#include "doc/doc.h"

/* Write doc to path.  Returns 0, or -1 with a message in err. */
int xlsx_render(const struct doc *doc, const char *path, char *err, size_t errlen);

#endif
