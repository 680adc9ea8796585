/*
 * sample.h - deterministic synthetic exports of the four datasets for
 * Guang'an's six districts, whose aggregates at scale 1 are exactly the
 * figures of the 2021 annual summary (26.7万 persons, 3.5亿元, ...).
 *
 * The files look like real exports: relief split per district, one file in
 * GB18030, one with a BOM, CRLF line ends, mixed spellings of months and
 * amounts, and a small fixed set of bad rows that the data-quality summary
 * shows but that never change a figure.
 */
#ifndef CIVREPORT_SAMPLE_H
#define CIVREPORT_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

struct sample_options {
	int year;        /* report year, e.g. 2021; the previous year is generated too */
	const char *out; /* output folder, created if missing */
	double scale;    /* 1.0 = the real city; 10 = ten times the persons and rows */
	uint64_t seed;   /* same seed, same bytes */
};

/*
 * Write the sample into opt->out (relief-<district>.csv, children.csv,
 * elderly.csv, charity.csv).  Files are written to a temporary name and
 * renamed, so a killed run leaves no half file.  Returns 0, or -1 with a
 * message in err.
 */
int sample_generate(const struct sample_options *opt, char *err, size_t errlen);

#endif
