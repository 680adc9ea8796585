/*
 * scan.h - one scan of the input folder: ingest feeding the aggregate stage,
 * rejects written as they come, and the verdict on the data (a file that
 * could not be read, too many rejects).
 *
 * This is the glue the run, check and query commands share, so that each
 * of them reads the data exactly the same way.
 */
#ifndef CIVREPORT_SCAN_H
#define CIVREPORT_SCAN_H

#include <stdio.h>

#include "agg.h"
#include "ingest/ingest.h"
#include "ingest/schema.h"

struct scan_options {
	const char *input_dir;
	const char *encoding; /* NULL = detect per file */
	struct period period; /* the report period; {0, 0} for validation only */
	int threads;          /* 0 = number of cores */
	bool progress;
	const char *cache_dir; /* the parse cache (ingest_options.cache_dir), or NULL */
	FILE *rejects;         /* rejects.csv being written, or NULL */
	/* rejected / (accepted + rejected) a file may have, e.g. 0.05 */
	double max_reject_rate;
};

/*
 * Scan the input into agg (which may be NULL for validation only) and,
 * when the data is fit, finish agg (agg_finish).  Returns EXIT_OK,
 * EXIT_DATA (a file unreadable, rejects over the threshold, or a sum that
 * does not fit in int64; err filled) or EXIT_IO (the input folder cannot
 * be read; err filled).  The result holds per-file counts.
 */
int scan_run(const struct schema *schema, struct agg *agg, const struct scan_options *opt,
	     struct ingest_result *result, char *err, size_t errlen);

#endif
