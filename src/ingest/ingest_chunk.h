/*
 * ingest_chunk.h - private to the ingest stage: one chunk of a CSV file and
 * what a worker makes of it.
 *
 * The reader (ingest.c) cuts a file at line ends into chunks; a worker
 * (ingest_pool.c) parses a chunk (ingest_parse.c) into fixed-size records
 * of typed values plus the rejects it found; the admitting step (ingest.c)
 * consumes chunks in order.  Line numbers in a chunk are relative to its
 * first line until admitted.
 *
 * Results never depend on where the cuts fall: a chunk starts where the
 * parse of the whole file would be between records, and a chunk that ends
 * inside a record is parsed again together with the next (merge_into).
 *
 * A parse never depends on the report period: it keeps every valid row,
 * and chunk_window() then drops the rows outside the period's span and
 * marks each other row's windows.  So a parsed chunk can be kept in the
 * parse cache (ingest_cache.h) as it is (chunk_encode) and serve a run of
 * any period (chunk_decode, then chunk_window).
 */
#ifndef CIVREPORT_INGEST_CHUNK_H
#define CIVREPORT_INGEST_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest.h"
#include "schema.h"
#include "value.h"

/* The bytes of a chunk's checksum in the cache (chunk_seg_sum). */
#define SEG_SUM_SIZE 16

/* The reader's chunk size: a chunk is this much and up to the next line end. */
#define CHUNK_BYTES (1u << 20)
/*
 * A record longer than this is not an export's: a quote was left open.  The
 * parser rejects its first line and reads on from the next; the reader
 * refuses a file with a line this long (no line end at all).
 */
#define CHUNK_MAX_RECORD_BYTES (64u << 20)

/*
 * Records looked at for the header: an export often has a title row
 * ("广安市2021年城乡低保发放明细表", a merged cell), a unit or date row and
 * blank rows above it.
 */
#define MAX_LEAD_ROWS 10

enum file_encoding {
	ENC_UTF8,
	ENC_UTF8_BOM,
	ENC_GB18030,
};

/* What every worker needs to know about a file, fixed once its header is read. */
struct file_plan {
	const struct dataset *ds;
	enum file_encoding encoding;
	int *field_col;           /* field index -> schema column, -1 = ignored */
	size_t nfields;           /* fields in the header */
	struct period period;     /* the report period (ingest_options) */
	struct period prev, last; /* its comparison periods */
	int span_first;           /* the first month checked for duplicates */
	int32_t today;            /* the run's date, yyyymmdd: later dates are rejects */
	bool workbook;            /* a worksheet's rows (workbook.h): BOOK_MARK fields */
	uint64_t decode;          /* the columns a chunk from the cache decodes (chunk_decode) */
};

/* A rejected row inside a chunk. */
struct chunk_reject {
	uint64_t line; /* relative to the chunk */
	int col;       /* schema column, or -1 */
	enum value_error code;
	char *reason; /* malloc'd sentence; NULL when it names its line (chunk_reject_reason) */
	char *row;    /* malloc'd masked CSV row */
};

/* The reject's sentence once its absolute line is known (malloc'd). */
char *chunk_reject_reason(const struct chunk_reject *r, uint64_t line);

/*
 * Record layout in chunk.recs: REC_HEAD int64s, then one per column the
 * chunk holds (chunk.held), in column order: every column after a parse,
 * those asked for after chunk_decode (a relief record of the five columns
 * a figure reads is 64 bytes, not 104).  Read a column with chunk_value.
 */
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
	uint64_t held;           /* the columns its records hold (chunk_hold) */
	unsigned char place[64]; /* a held column c is rec[REC_HEAD + place[c]] */
	char *text;
	size_t tlen, tcap;
	struct chunk_reject *rejects;
	size_t nrejects, jcap;
	uint64_t lines;   /* physical lines consumed: blank + read + spanned */
	uint64_t read;    /* records seen (accepted, rejected or outside) */
	uint64_t blank;   /* blank lines (and rows of empty fields) */
	uint64_t spanned; /* further lines of records with a quoted line break */
	uint64_t outside; /* rows outside the report year (and not handed on) */
	int max_year;
	uint64_t year_rows[INGEST_YEARS]; /* valid rows per year, from INGEST_YEAR_MIN */
	uint64_t bad_line; /* first relative line with bytes not in the encoding, or UINT64_MAX */
	uint64_t nul_line; /* first relative line with a NUL byte, or UINT64_MAX */
	uint64_t reheader_line; /* a header of other columns inside the data, or UINT64_MAX */
	char *error;            /* fatal for the file (libcsv out of memory) */
	bool unterminated;      /* not the last chunk, and ended inside a quoted field */
	bool merged;            /* its data was parsed with the chunk before: skip it */
	bool windowed;          /* chunk_window() has run: ready for admission */
	bool done;
	/*
	 * The run dates (yyyymmdd) for which its verdicts on dates hold:
	 * today_lo <= today < today_hi (see ingest_cache.h).
	 */
	int32_t today_lo, today_hi;

	/* admission, in (file, line) order (ingest.c, ingest_shard.h, ingest_pool.h) */
	uint64_t base;               /* lines of its file before it */
	uint8_t *dup;                /* per record: 1 = a duplicate, found by its shard; or NULL */
	struct shard_counts *counts; /* per shard: its rows' counts (shard_chunk), or NULL */
	struct chunk *whole;  /* a cached chunk decoded in every column, for a row shown, or NULL */
	uint32_t *by_shard;   /* record indexes, shard by shard (shard_split), or NULL */
	size_t *shard_from;   /* shard k's are by_shard[shard_from[k] .. shard_from[k + 1]) */
	bool admitted;        /* its rows were let in: its file had no error then */
	bool handed;          /* handed to the shards (pool_admit) */
	unsigned shards_left; /* shards yet to admit it */
	struct chunk *next_admit; /* the chunk handed to the shards after it */

	/* the parse cache (ingest_cache.h) */
	bool cached;  /* the results come from seg (chunk_decode), data is NULL */
	bool encode;  /* encode the parse into seg for the cache (chunk_encode) */
	bool damaged; /* seg failed its checksum or its checks: nothing decoded */
	char *seg;    /* the chunk as the cache holds it, malloc'd, or NULL */
	size_t seg_len;
	unsigned char seg_sum[SEG_SUM_SIZE]; /* seg's checksum (chunk_seg_sum): the index's */
	int seg_fd;       /* a cached chunk: the worker reads seg_len bytes ... */
	uint64_t seg_off; /* ... at seg_off of this cache file (ingest_cache.c) */
};

/*
 * What one shard admitted of a chunk besides its duplicates: counted there,
 * so that emitting the chunk reads none of its records (they were written
 * on another core).  A cache line each: shards write theirs at once.
 */
struct shard_counts {
	uint64_t accepted; /* rows of the report period */
	uint64_t outside;  /* rows of the span outside it */
	bool prev;         /* one of them in a comparison period */
	char pad[64 - 2 * sizeof(uint64_t) - sizeof(bool)];
};

/*
 * Records of c hold the columns in the mask columns (of its dataset's):
 * sets c->held, c->place and c->stride.
 */
void chunk_hold(struct chunk *c, uint64_t columns);

/* Whether c's records hold every column (a parse's, or a decode of all). */
static inline bool chunk_holds_all(const struct chunk *c)
{
	return c->stride == REC_HEAD + c->plan->ds->ncols;
}

/* Column col of record rec of c: 0 when c's records do not hold it. */
static inline int64_t chunk_value(const struct chunk *c, const int64_t *rec, int col)
{
	return c->held >> col & 1 ? rec[REC_HEAD + c->place[col]] : 0;
}

/* Per-worker parsing state (libcsv parser, iconv, row buffer). */
struct chunk_parser;

struct chunk_parser *chunk_parser_new(void);
void chunk_parser_free(struct chunk_parser *p);

/*
 * Parse c->data into records and rejects: every valid row, whatever the
 * period.  Never fails: problems become rejects or c->error.
 */
void chunk_parse(struct chunk_parser *p, struct chunk *c);

/*
 * Place the parsed rows in the report's windows (c->plan): rows outside
 * the span are dropped and counted in c->outside, the others get their
 * REC_SLOT.  Sets c->windowed.
 */
void chunk_window(struct chunk *c);

/*
 * A worker's whole job on a chunk: a cached one is checked and decoded
 * (c->damaged when it fails), any other parsed and, when c->encode,
 * encoded into c->seg; then, unless damaged or unterminated, windowed.
 */
void chunk_work(struct chunk_parser *p, struct chunk *c);

/*
 * After a parse: encode (when c->encode and the chunk has no error, with
 * its checksum in seg_sum), then chunk_window().
 */
void chunk_finish(struct chunk *c);

/*
 * The checksum of a chunk's bytes in the cache (chunk_seg_sum): XXH3's 128
 * bits, in their canonical (big-endian) order.  It finds damage (a torn
 * write, a flipped bit), not forgery: chunk_decode checks every value
 * anyway.  SHA-256 took a tenth of a warm query, XXH3 takes a hundredth.
 */
void chunk_seg_sum(const char *seg, size_t len, unsigned char sum[SEG_SUM_SIZE]);

/*
 * What the bytes of texts are XOR-ed with in the cache (ingest_codec.c):
 * a search of the cache for an ID number or a place finds nothing.
 */
#define CACHE_TEXT_XOR 0xA5

/*
 * The parse of c (records, text, rejects, counts; not its windows) as
 * bytes into c->seg, replacing what was there (ingest_codec.c).  Call
 * before chunk_window().
 */
void chunk_encode(struct chunk *c);

/*
 * The inverse: c's results from seg[0..len), c->plan and c->len (the
 * source bytes it stands for) set, checked value by value against c->plan (an enum code beyond its
 * values, a line out of order, a text beyond its buffer...).  Only the columns in the mask columns
 * are decoded and held (chunk_hold; the others' present bits are kept): a query of one figure reads
 * five columns of ten.  Returns 0, or -1 with c's results left empty: a damaged or forged cache
 * never reaches a figure.
 */
int chunk_decode(struct chunk *c, const char *seg, size_t len, uint64_t columns);

/* The columns of every row: what chunk_decode decodes for a row shown in full. */
#define CHUNK_ALL_COLUMNS (~0ull)

/*
 * Tests only: parse with this record limit instead of CHUNK_MAX_RECORD_BYTES
 * (0 restores it).  Not thread-safe: set it before a run.
 */
void chunk_set_max_record_bytes(size_t n);

/*
 * Tests only: read files in chunks of chunk_bytes and refuse lines longer
 * than max_record (0: the defaults), so that a test can put chunk cuts
 * anywhere in a small file.  Results must not change; that is the point.
 */
void ingest_set_chunk_sizes(size_t chunk_bytes, size_t max_record);

/* Free the worker's results and data of a chunk (the struct itself is the caller's). */
void chunk_release(struct chunk *c);

/*
 * Parse only the header record at the start of buf (already UTF-8, BOM
 * stripped).  On success returns the byte length of the header record
 * including its line end and sets *fields (malloc'd strings) and *nfields;
 * returns 0 when no complete header record is in buf, -1 on a parse error.
 */
long chunk_parse_header(const char *buf, size_t len, char ***fields, size_t *nfields);

/*
 * Choose the dataset whose columns a header row's fields name best (a
 * file name starting with a dataset's name breaks ties; ingest_header.c).
 * Sets plan->ds, field_col and nfields, and *warning (malloc'd) for
 * ignored columns; or returns why the row is no usable header (malloc'd),
 * with *none_known set when it names no known column at all (a title row,
 * a row of data, a sheet of notes).
 */
char *ingest_recognise(const struct schema *schema, const char *path, char **fields, size_t n,
		       struct file_plan *plan, char **warning, bool *none_known);

/*
 * The worksheets of the workbook at full (shown as path) that hold data:
 * those with a row among their first MAX_LEAD_ROWS that names a dataset's
 * columns (ingest_sheets.c).  The others (notes, empty sheets) are named
 * in one warning on the log.  A workbook that cannot be opened, or has no
 * such sheet, is one entry with index -1 and the error; a sheet that
 * cannot be read is an entry with its error.  Returns the number of
 * entries (at least 1) in *out; free with ingest_sheets_free.
 */
struct ingest_sheet {
	long index; /* in the workbook, or -1 */
	char *name; /* as shown: an ID number in it masked */
	bool hidden;
	char *error; /* malloc'd, or NULL */
};

size_t ingest_book_sheets(const struct schema *schema, const char *full, const char *path,
			  struct ingest_sheet **out);
void ingest_sheets_free(struct ingest_sheet *sheets, size_t n);

#endif
