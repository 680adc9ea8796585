/*
 * doc_dump.h - the document model as stable text, one node per line, as
 * mandoc's -T tree prints its syntax tree.
 *
 * The dump is what the renderers were given: every block, run, table cell,
 * chart value, figure, input file and reject reason, with raw numbers as
 * integers (fen for money) next to the text readers see.  Golden files
 * (tests/golden) keep it so that a change to the doc shows in `git diff`
 * before it shows in a PDF.
 *
 * Format (version 1, as its first line says), abridged:
 *
 *	civreport-doc 1
 *	meta
 *	  title "广安市2021年民政工作总结"
 *	  created 1640908800 utc="2021-12-31T00:00:00Z"
 *	blocks 24
 *	  block 2 paragraph level=0 number=0
 *	    run "今年以来,为" plain
 *	    run "26.7万" figure
 *	  block 4 table level=0 number=0
 *	    table cols=5 rows=7 has_total=yes
 *	      title "2021年各区县城乡低保保障情况"
 *	      header 3 "发放金额(万元)" summable=yes
 *	      cell 0,3 "11.30" numeric=yes raw=11296250 unit=fen scale=10000 ...
 *	      cell 3,4 "—" numeric=no raw=0 unit=count ... den=0 no_value
 *	      note null
 *	figures 33
 *	  figure 5 expr="relief.amount[…]" format="亿:1" text="3.5亿" raw=35009930000 ...
 *	files 9
 *	  file 0 path="charity.csv" dataset="charity" ... rejected=0 outside=107
 *	reasons 6
 *	  reason 0 count=4 "身份证号校验位错误"
 *	template path="templates/annual-summary.md" sha256="fed6…"
 *	version "0.1.0"
 *
 * Each line is two spaces of indentation per level, a node name, then its
 * fields.  A string is printed in double quotes with \\ \" \n \r \t, \xHH
 * for other control bytes and for bytes that are not valid UTF-8, and \uXXXX
 * for U+0085, U+2028 and U+2029 (line breaks to some readers), so one node is
 * always one line; a NULL string is printed as null.  Integers are printed
 * as stored (no conversion of fen to yuan, no scaling); enums by their
 * template names (bar, hbar, ...).  Nothing depends on pointers, the clock
 * or the locale: one doc always gives the same bytes.
 *
 * When doc.h gains a field, print it here too (a golden update then shows
 * it once in every case's doc.txt).
 */
#ifndef CIVREPORT_DOC_DUMP_H
#define CIVREPORT_DOC_DUMP_H

#include <stdio.h>

#include "doc.h"

/*
 * Write the whole doc to fp.  Write errors are left to the caller, who
 * checks ferror(fp) (and fclose) as for any stream.
 */
void doc_dump(FILE *fp, const struct doc *doc);

/*
 * Write the dump to the file at path, replacing it, or to standard output
 * when path is "-".  Returns 0, or -1 with errno set when it could not be
 * written completely.
 */
int doc_dump_to(const char *path, const struct doc *doc);

#endif
