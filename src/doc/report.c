/*
 * report.c - data quality and provenance into the doc; see report.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "util/version.h"
#include "util/xalloc.h"

int64_t report_created(int year)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct tm end = {.tm_year = year - 1900, .tm_mon = 11, .tm_mday = 31};

	if (sde != NULL && sde[0] != '\0') {
		char *end_of_number;
		long long v = strtoll(sde, &end_of_number, 10);
		if (*end_of_number == '\0' && v >= 0)
			return v;
	}
	/* the year's last day, 00:00 UTC: never the clock, never the time zone */
	return (int64_t)timegm(&end);
}

static int by_count(const void *a, const void *b)
{
	const struct doc_reason *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->reason, y->reason);
}

void report_fill(struct doc *doc, const struct ingest_result *res, const char *template_path,
		 const char *template_sha256, int year)
{
	doc->meta.created = report_created(year);
	doc->meta.year = year;
	doc->files = xcalloc(res->nfiles ? res->nfiles : 1, sizeof(*doc->files));
	doc->nfiles = res->nfiles;
	for (size_t i = 0; i < res->nfiles; i++) {
		const struct ingest_file *f = &res->files[i];
		struct doc_file *d = &doc->files[i];

		d->path = xstrdup(f->path);
		d->dataset = xstrdup(f->ds ? f->ds->name : "?");
		d->dataset_title = xstrdup(f->ds ? f->ds->title : "无法识别");
		d->encoding = xstrdup(f->encoding);
		d->size = f->size;
		memcpy(d->sha256, f->sha256, sizeof(d->sha256));
		d->read = f->read;
		d->accepted = f->accepted;
		d->rejected = f->rejected;
		d->outside = f->outside;
	}
	doc->reasons = xcalloc(VALUE_ERROR_COUNT, sizeof(*doc->reasons));
	for (int e = 0; e < VALUE_ERROR_COUNT; e++)
		if (res->reasons[e] > 0) {
			doc->reasons[doc->nreasons].reason =
			    xstrdup(value_reason((enum value_error)e));
			doc->reasons[doc->nreasons++].count = res->reasons[e];
		}
	qsort(doc->reasons, doc->nreasons, sizeof(*doc->reasons), by_count);
	doc->template_path = xstrdup(template_path);
	snprintf(doc->template_sha256, sizeof(doc->template_sha256), "%s", template_sha256);
	doc->version = xstrdup(CIVREPORT_VERSION);
}

const char *report_headline(const struct doc *doc)
{
	static char line[512];
	size_t o = 0;

	line[0] = '\0';
	for (size_t i = 0; i < doc->nfigures && i < 3 && o < sizeof(line); i++) {
		int n = snprintf(line + o, sizeof(line) - o, "%s%s=%s", i ? ";" : "",
				 doc->figures[i].expr, doc->figures[i].text);
		if (n < 0)
			break;
		o += (size_t)n;
	}
	return line;
}
