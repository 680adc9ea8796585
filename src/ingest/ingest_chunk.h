/*
 * ingest_chunk.h - private to the ingest stage: one chunk of a CSV file and
 * what a worker makes of it.
 *
 * The reader (ingest.c) cuts a file at record boundaries into chunks; a
 * worker (ingest_pool.c) parses a chunk (ingest_parse.c) into fixed-size
 * records of typed values plus the rejects it found; the admitting step
 * (ingest.c) consumes chunks in order.  Line numbers in a
 * chunk are relative to its first line until admitted.
 */
#ifndef CIVREPORT_INGEST_CHUNK_H
#define CIVREPORT_INGEST_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest.h"
#include "schema.h"
#include "value.h"

enum file_encoding {
	ENC_UTF8,
	ENC_UTF8_BOM,
	ENC_GB18030,
};

/* What every worker needs to know about a file, fixed once its header is read. */
struct file_plan {
	const struct dataset *ds;
	enum file_encoding encoding;
	int *field_col; /* field index -> schema column, -1 = ignored */
	size_t nfields; /* fields in the header */
	int year;       /* report year */
	bool want_prev; /* hand rows of the previous year to the sink */
	int32_t today;  /* the run's date, yyyymmdd: later dates are rejects */
};

/* A rejected row inside a chunk. */
struct chunk_reject {
	uint64_t line; /* relative to the chunk */
	int col;       /* schema column, or -1 */
	enum value_error code;
	char *reason; /* malloc'd sentence */
	char *row;    /* malloc'd masked CSV row */
};

/* Record layout in chunk.recs: REC_HEAD int64s, then one per column. */
enum {
	REC_LINE = 0,
	REC_SLOT = 1,
	REC_PRESENT = 2,
	REC_HEAD = 3,
};

struct chunk {
	const struct file_plan *plan;
	size_t file; /* index of the file */
	size_t seq;  /* position in the run's chunk order */
	char *data;  /* raw bytes, owned */
	size_t len;
	uint64_t offset; /* of data[0] in the file */
	bool last;       /* last chunk of its file */

	/* filled by the worker */
	int64_t *recs;
	size_t nrecs, rcap, stride;
	char *text;
	size_t tlen, tcap;
	struct chunk_reject *rejects;
	size_t nrejects, jcap;
	uint64_t lines;   /* physical lines consumed */
	uint64_t read;    /* data rows seen */
	uint64_t outside; /* rows outside the report year (and not handed on) */
	int max_year;
	uint64_t year_rows[INGEST_YEARS]; /* valid rows per year, from INGEST_YEAR_MIN */
	uint64_t bad_offset;        /* first byte offset with invalid encoding, or UINT64_MAX */
	char *error;                /* fatal for the file (libcsv out of memory) */
	bool unterminated;          /* ended inside a quoted field */
	uint64_t unterminated_line; /* relative line where that field's record starts */
	bool merged;                /* its data was parsed with the chunk before: skip it */
	bool done;
};

/* Per-worker parsing state (libcsv parser, iconv, row buffer). */
struct chunk_parser;

struct chunk_parser *chunk_parser_new(void);
void chunk_parser_free(struct chunk_parser *p);

/* Parse c->data into records and rejects.  Never fails: problems become rejects or c->error. */
void chunk_parse(struct chunk_parser *p, struct chunk *c);

/* Free the worker's results and data of a chunk (the struct itself is the caller's). */
void chunk_release(struct chunk *c);

/*
 * Parse only the header record at the start of buf (already UTF-8, BOM
 * stripped).  On success returns the byte length of the header record
 * including its line end and sets *fields (malloc'd strings) and *nfields;
 * returns 0 when no complete header record is in buf, -1 on a parse error.
 */
long chunk_parse_header(const char *buf, size_t len, char ***fields, size_t *nfields);

#endif
