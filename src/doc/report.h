/*
 * report.h - what a run adds to the template's doc: the data-quality
 * appendix (per file counts, top reject reasons), provenance (input files'
 * sizes and SHA-256, template, version) and the creation date.
 *
 * The creation date is the report year's last day (or SOURCE_DATE_EPOCH when
 * set), never the clock, so the same inputs give the same bytes.
 */
#ifndef CIVREPORT_REPORT_H
#define CIVREPORT_REPORT_H

#include <stdint.h>

#include "doc.h"
#include "ingest/ingest.h"

/* template_sha256: the template's hash, as the manifest computed it. */
void report_fill(struct doc *doc, const struct ingest_result *res, const char *template_path,
		 const char *template_sha256, int year);

/* The creation time for a report of year: SOURCE_DATE_EPOCH, else Dec 31 00:00 UTC. */
int64_t report_created(int year);

/* A one-line summary of the headline figures for the log (static buffer). */
const char *report_headline(const struct doc *doc);

#endif
