/*
 * report.h - the content a run owns, built once here in the doc stage and
 * drawn by every renderer alike: the data-quality tables (rows read,
 * accepted, rejected and outside the period, per file and per dataset; the
 * reasons for rejecting rows; the files not read), the provenance (each input's size and
 * SHA-256, the template, the program), and the report's creation date.
 *
 * One vocabulary everywhere (terminal, PDF appendix, 数据质量 sheet):
 * 读取 = 接收 + 拒收 + 年度外.
 *
 * The creation date is the report year's last day (or SOURCE_DATE_EPOCH when
 * set), never the clock, so the same inputs give the same bytes.
 */
#ifndef CIVREPORT_REPORT_H
#define CIVREPORT_REPORT_H

#include <stdint.h>

#include "doc.h"
#include "ingest/ingest.h"
#include "ingest/schema.h"

/* The template a report was made from, as the manifest hashed it. */
struct report_source {
	const char *template_path;
	const char *template_sha256;
};

/*
 * The doc's meta data a run sets (creation date, year, generator) and its
 * appendix: 附录 数据质量与来源 with its tables numbered 附表1, 附表2 ...
 */
void report_fill(struct doc *doc, const struct schema *schema, const struct ingest_result *res,
		 const struct report_source *src, int year);

/*
 * The data-quality tables, for the appendix and for the terminal (civreport
 * check and run print them): per file, per dataset of the schema, and the
 * reasons for rejected rows, most frequent first, at most max of them
 * (0: all; NULL when no row was rejected).  label is the caption's label
 * ("附表1", or "" on a terminal).  Free with doc_table_free.
 */
struct doc_table *report_files_table(const struct ingest_result *res, const char *label);
struct doc_table *report_datasets_table(const struct schema *schema,
					const struct ingest_result *res, const char *label);
struct doc_table *report_reasons_table(const struct ingest_result *res, const char *label,
				       size_t max);

/*
 * The notes of a run on what its figures lack (a dataset with no rows in
 * the period and area, a comparison without a base), appended to the
 * appendix as 数据提示 after report_fill.  Nothing when n is 0.
 */
void report_add_notes(struct doc *doc, const char *const *notes, size_t n);

/*
 * The files in the input folder that the run did not read although they
 * look like data (res->unread: .xlsx, .zip ...), with their kind, and a
 * note that their data is not in the report; NULL when there is none.
 */
struct doc_table *report_unread_table(const struct ingest_result *res, const char *label);

/* "读取 3,258,945 = 接收 3,244,257 + 拒收 12 + 年度外 14,676" over every file; caller frees. */
char *report_balance(const struct ingest_result *res);

/* The creation time for a report of year: SOURCE_DATE_EPOCH, else Dec 31 00:00 UTC. */
int64_t report_created(int year);

#endif
