/*
 * rejects.h - rejects.csv: every rejected row with file, worksheet (of a
 * workbook), line (a sheet's row), cell (such as B52), column and reason, personal data already
 * masked, in UTF-8 with a BOM so that Excel opens it in Chinese.
 *
 * A field that starts with = + - @, a tab or a CR is prefixed with an
 * apostrophe: a spreadsheet must never run a formula that came from an
 * input file.  csv_write_field() is the one CSV field writer: `query
 * --format csv` uses it too.
 */
#ifndef CIVREPORT_REJECTS_H
#define CIVREPORT_REJECTS_H

#include <stdio.h>

#include "ingest.h"

/* Write the BOM and the header line. */
void rejects_begin(FILE *fp);

/* Append one reject (an ingest reject callback can call this with ctx = fp). */
void rejects_write(FILE *fp, const struct ingest_reject *r);

/* Write one CSV field, quoted when needed and neutralised against formulas. */
void csv_write_field(FILE *fp, const char *s, int last);

#endif
