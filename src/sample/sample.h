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

/* The files the relief exports are written as (the other datasets are always CSV). */
enum sample_format {
	SAMPLE_CSV,  /* relief-<district>.csv */
	SAMPLE_XLSX, /* relief-<district>.xlsx: a title row, the header, the same rows */
};

struct sample_options {
	int year;        /* report year, e.g. 2021; the previous year is generated too */
	const char *out; /* output folder, created if missing */
	double scale;    /* 1.0 = the real city; 10 = ten times the persons and rows */
	uint64_t seed;   /* same seed, same bytes */
	enum sample_format format;
	/*
	 * SAMPLE_XLSX: data rows a sheet holds at most, 0 for as many as Excel
	 * allows (1,048,574 under the title and the header); the rows past it
	 * go on in a sheet "<district>(2)" with the same title and header.
	 * Only tests set it, to see that split at a small scale.
	 */
	long sheet_rows;
};

/*
 * Write the sample into opt->out (relief-<district>.csv or .xlsx,
 * children.csv, elderly.csv, charity.csv).  Files are written to a
 * temporary name and renamed, so a killed run leaves no half file.  The
 * workbooks hold the same rows as the CSV files, the bad ones too, each
 * field a cell (see sample_xlsx.c).  Returns 0, or -1 with a message in err.
 */
int sample_generate(const struct sample_options *opt, char *err, size_t errlen);

#endif
