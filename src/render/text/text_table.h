/*
 * text_table.h - a doc table as aligned plain text, for a terminal or a log.
 *
 * Columns are padded by display width (a Chinese character takes two
 * columns), numbers right-aligned, text left-aligned, the totals row after
 * the body, the note under the table.  Like every renderer it reads only
 * the doc and writes its text unchanged, except that controls, bidi
 * overrides and bytes that are not UTF-8 (a file name, a value from the
 * data) are written as visible escapes (util/escape.h): a terminal must
 * never act on them.
 */
#ifndef CIVREPORT_TEXT_TABLE_H
#define CIVREPORT_TEXT_TABLE_H

#include <stdio.h>

#include "doc/doc.h"

/* Print t to fp: "<label> <title>：" (or the title alone), headers, rows, note. */
void text_table_print(FILE *fp, const struct doc_table *t);

#endif
