/*
 * sample_impl.h - internals shared by the files of the sample generator:
 *
 *	sample.c		the entry point: the four datasets in order
 *	sample_relief.c		relief payments, by district
 *	sample_children.c	child welfare
 *	sample_ledger.c		elderly care and charity ledgers
 *	sample_out.c		CSV output: encodings, BOMs, atomic files
 *	sample_xlsx.c		the relief exports as Excel workbooks (--format xlsx)
 *	sample_id.c		resident ID numbers and names
 *	sample_util.c		districts, exact splits, the spellings of real exports
 *
 * Nothing outside src/sample includes this header, except the unit test.
 *
 * Rules every part follows: all randomness comes from struct sample_rng
 * (never rand() or the clock), so one seed gives the same bytes everywhere;
 * money is integer fen; the scale (a double) is only ever turned into person
 * and row counts by sample_count().
 */
#ifndef CIVREPORT_SAMPLE_IMPL_H
#define CIVREPORT_SAMPLE_IMPL_H

#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sample.h"

/* ------------------------------------------------------------------------- */
/* Random numbers: xoshiro256** seeded through splitmix64. */

struct sample_rng {
	uint64_t s[4];
};

/*
 * One independent stream per purpose (a dataset, a district): adding a draw
 * to one stream never shifts the bytes that another stream produces.
 */
enum sample_stream {
	STREAM_RELIEF = 0x100,      /* + district */
	STREAM_RELIEF_PREV = 0x200, /* + district: the year before's own persons */
	STREAM_CHILDREN = 0x300,
	STREAM_ELDERLY = 0x400,
	STREAM_CHARITY = 0x500,
};

static inline uint64_t sample_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void sample_rng_init(struct sample_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed;
	uint64_t h = sample_splitmix64(&x) ^ (stream * 0xd1342543de82ef95ULL);

	for (int i = 0; i < 4; i++)
		r->s[i] = sample_splitmix64(&h);
}

static inline uint64_t sample_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t sample_rng_next(struct sample_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = sample_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = sample_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n), n > 0 (multiply-shift: no division, bias < 2^-32). */
static inline uint32_t sample_below(struct sample_rng *r, uint32_t n)
{
	return (uint32_t)(((sample_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi], both inclusive. */
static inline int64_t sample_range(struct sample_rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)sample_below(r, (uint32_t)(hi - lo + 1));
}

/* True with probability pct percent. */
static inline int sample_pct(struct sample_rng *r, unsigned pct)
{
	return sample_below(r, 100) < pct;
}

/* ------------------------------------------------------------------------- */
/* Calendar: days since 1970-01-01 (proleptic Gregorian), yyyymmdd packing. */

static inline int32_t sample_days(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static inline uint32_t sample_ymd(int32_t days)
{
	int32_t z = days + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	int32_t d = doy - (153 * mp + 2) / 5 + 1;
	int32_t m = mp < 10 ? mp + 3 : mp - 9;
	int32_t y = yoe + era * 400 + (m <= 2);

	return (uint32_t)(y * 10000 + m * 100 + d);
}

/* A uniformly drawn day of the years first..last, as days since 1970. */
static inline int32_t sample_day_in_years(struct sample_rng *r, int first, int last)
{
	int32_t a = sample_days(first, 1, 1), b = sample_days(last, 12, 31);

	return (int32_t)sample_range(r, a, b);
}

/* A uniformly drawn date (yyyymmdd) in month m of year y. */
uint32_t sample_date_in_month(struct sample_rng *r, int y, int m);

/* ------------------------------------------------------------------------- */
/* Counts and exact splits. */

/* base * scale rounded to a count (the only place the scale is used). */
long sample_count(double scale, long base);

/*
 * Split total into n parts by weights (largest remainder, ties to the lower
 * index), so the parts always add up to total exactly.
 */
void sample_apportion(long total, const int *weights, int n, long *out);

/*
 * Fill out[n] with random multiples of unit, each at least lo, adding up to
 * total exactly; weights drawn in [wlo, whi] shape how the rest above lo is
 * shared.  total - n*lo must be a non-negative multiple of unit.
 */
void sample_split(struct sample_rng *r, int64_t *out, size_t n, int64_t total, int64_t unit,
		  int64_t lo, int wlo, int whi);

/* ------------------------------------------------------------------------- */
/* Districts of Guang'an. */

#define SAMPLE_NDISTRICTS 6

struct sample_district {
	const char *name;           /* 广安区 */
	const char *region;         /* 511602: the first six characters of an ID */
	int weight;                 /* share of the city's relief and welfare cases, percent */
	int urban_pct;              /* households on urban rather than rural dibao, percent */
	const char *const *streets; /* 街道: urban townships */
	int nstreets;
	const char *const *towns; /* 镇 and 乡: rural townships */
	int ntowns;
};

extern const struct sample_district sample_districts[SAMPLE_NDISTRICTS];

/* The weights of sample_districts as an array for sample_apportion(). */
void sample_district_weights(int out[SAMPLE_NDISTRICTS]);

/* A district drawn by weight. */
int sample_pick_district(struct sample_rng *r);

/* ------------------------------------------------------------------------- */
/* Spellings of months, dates and money seen in real exports. */

enum sample_month_style {
	MONTH_DASH,    /* 2021-01 */
	MONTH_SLASH,   /* 2021/1 */
	MONTH_COMPACT, /* 202101 */
	MONTH_CHINESE, /* 2021年1月 */
	MONTH_STYLES
};

/* The same four spellings for dates: 2021-03-15, 2021/3/15, 20210315, 2021年3月15日. */
typedef enum sample_month_style sample_date_style;

enum sample_money_style {
	MONEY_PLAIN,   /* 1234.50 */
	MONEY_SHORT,   /* 1234.5 (trailing zeros dropped, 1234 for whole yuan) */
	MONEY_GROUPED, /* "1,234.50", quoted because of the comma */
	MONEY_YEN,     /* "¥1,234.50" */
	MONEY_YUAN,    /* 1234.50元 */
};

/* Longest text any sample_put_* writes, with room to spare. */
#define SAMPLE_FIELD_MAX 48

size_t sample_put_uint(char *out, uint64_t v);
size_t sample_put_month(char *out, int y, int m, enum sample_month_style st);
size_t sample_put_date(char *out, uint32_t ymd, sample_date_style st);
size_t sample_put_money(char *out, int64_t fen, enum sample_money_style st);

/* ------------------------------------------------------------------------- */
/* Resident ID numbers and names. */

/*
 * Hands out ID numbers that are unique across every dataset of one run: a
 * counter per (district, birth day, sex), turned into the 3-digit sequence
 * through a per-day random offset so sequences do not all start at 001.
 */
struct sample_ids {
	uint16_t *used; /* per (district, day, sex): sequences handed out */
	uint16_t *late; /* ... of those kept for sample_ids_take_late() */
	int32_t day0;   /* first birth day covered (1900-01-01) */
	int32_t ndays;  /* through the end of the report year */
	uint64_t salt;
};

void sample_ids_init(struct sample_ids *ids, int year, uint64_t seed);
void sample_ids_release(struct sample_ids *ids);

/*
 * A fresh ID for a person of district born on *birth (days since 1970),
 * written into out (18 characters and a NUL; the check character from
 * ingest's id_check_char).  When that day has no sequence left for the sex,
 * the next day is used and *birth updated.
 */
void sample_ids_take(struct sample_ids *ids, int district, int32_t *birth, int male, char out[19]);

/*
 * The same for a person drawn out of turn (the relief of the year before,
 * drawn between the persons of the report year): from sequences that
 * sample_ids_take() never hands out, so it shifts none of its IDs.
 */
void sample_ids_take_late(struct sample_ids *ids, int district, int32_t *birth, int male,
			  char out[19]);

/*
 * Draw the same persons twice: sample_ids_mark() remembers where district's
 * sample_ids_take() counters stand (a copy you pass to rewind, which frees
 * it); sample_ids_rewind() puts them back, so that the same sequence of
 * calls hands out the same IDs again.  The late counters are not rewound:
 * an ID taken late stays taken.
 */
uint16_t *sample_ids_mark(const struct sample_ids *ids, int district);
void sample_ids_rewind(struct sample_ids *ids, int district, uint16_t *mark);

/* Draw a Chinese name fitting the sex and birth year; returns its byte length. */
size_t sample_name(struct sample_rng *r, int male, int born, char *out);
#define SAMPLE_NAME_MAX 16

/* A company or organisation name for donors; returns its byte length. */
size_t sample_company(struct sample_rng *r, char *out);
#define SAMPLE_COMPANY_MAX 64

/* ------------------------------------------------------------------------- */
/* Building one CSV line. */

#define SAMPLE_LINE_MAX 512

struct sample_line {
	size_t n;
	char b[SAMPLE_LINE_MAX];
};

/* Append; text that would overflow the line is dropped (lines are short). */
static inline void sample_line_put(struct sample_line *l, const char *s, size_t n)
{
	if (n > sizeof(l->b) - l->n)
		n = sizeof(l->b) - l->n;
	memcpy(l->b + l->n, s, n);
	l->n += n;
}

static inline void sample_line_str(struct sample_line *l, const char *s)
{
	sample_line_put(l, s, strlen(s));
}

/* ------------------------------------------------------------------------- */
/* Output files: buffered, optionally GB18030, written to a temporary name. */

enum sample_encoding {
	ENC_UTF8,
	ENC_UTF8_BOM,
	ENC_GB18030,
};

struct sample_out {
	FILE *fp;
	char *path; /* final name */
	char *tmp;  /* hidden temporary name in the same folder */
	char *buf;
	size_t len;
	size_t cap;
	iconv_t cd; /* UTF-8 -> GB18030, or (iconv_t)-1 */
	const char *eol;
	size_t eollen;
	int err; /* first errno seen; sticky, checked at close */
};

/*
 * Open dir/name for writing through a temporary file.  crlf selects the
 * line end written by sample_out_eol().  Returns 0, or -1 with a message.
 */
int sample_out_open(struct sample_out *o, const char *dir, const char *name,
		    enum sample_encoding enc, int crlf, char *err, size_t errlen);

/* Slow path of sample_out_raw(): flush, then copy or write through. */
void sample_out_spill(struct sample_out *o, const char *s, size_t n);

/* Bytes already in the file's encoding (see sample_out_encode()). */
static inline void sample_out_raw(struct sample_out *o, const char *s, size_t n)
{
	if (o->cap - o->len < n) {
		sample_out_spill(o, s, n);
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* UTF-8 text, converted to the file's encoding. */
void sample_out_text(struct sample_out *o, const char *s, size_t n);

static inline void sample_out_eol(struct sample_out *o)
{
	sample_out_raw(o, o->eol, o->eollen);
}

/*
 * Convert a UTF-8 line to the file's encoding once, so that a line written
 * many times (a person's row, month after month) is converted only once.
 */
void sample_out_encode(struct sample_out *o, const struct sample_line *in, struct sample_line *out);

/* Flush, close and rename into place.  Returns 0, or -1 with a message. */
int sample_out_close(struct sample_out *o, char *err, size_t errlen);

/* Give up: close and remove the temporary file. */
void sample_out_discard(struct sample_out *o);

/* ------------------------------------------------------------------------- */
/* An export as an Excel workbook: CSV lines in, cells out (sample_xlsx.c). */

struct sample_xlsx;

struct sample_xlsx_spec {
	const char *dir, *name; /* the workbook is dir/name */
	const char *sheet;      /* the first sheet's name; the next ones add (2), (3), ... */
	const char *title;      /* row 1 of every sheet, merged across the columns */
	int year;               /* the data's last year: the workbook is dated 1 January after */
	int money_col;          /* the column whose plain decimals are numbers; -1: none */
	long sheet_rows;        /* data rows per sheet at most; 0: as many as Excel holds */
	int zip64;              /* a workbook that may pass 4 GB */
};

/*
 * Start the workbook, under a hidden temporary name in spec->dir.  Returns
 * NULL with a message in err.
 */
struct sample_xlsx *sample_xlsx_open(const struct sample_xlsx_spec *spec, char *err, size_t errlen);

/*
 * The header, as a CSV line in UTF-8 (the line end is optional): the first
 * sheet begins, its title in row 1 and the header in row 2.  Call once,
 * before any row.
 */
void sample_xlsx_header(struct sample_xlsx *x, const char *line, size_t n);

/*
 * One data row, as a CSV line in UTF-8: each field one cell, text but for
 * the money column's plain decimals.  Errors are sticky, reported by close.
 */
void sample_xlsx_row(struct sample_xlsx *x, const char *line, size_t n);

/* Write, rename into place and free x.  Returns 0, or -1 with a message. */
int sample_xlsx_close(struct sample_xlsx *x, char *err, size_t errlen);

/* Give up: free x and remove the temporary file (x may be NULL). */
void sample_xlsx_discard(struct sample_xlsx *x);

/* ------------------------------------------------------------------------- */
/* The datasets. */

struct sample_ctx {
	int year;
	double scale;
	uint64_t seed;
	const char *out;
	enum sample_format format; /* SAMPLE_XLSX: relief as workbooks, the rest CSV */
	long sheet_rows;           /* see struct sample_options */
	struct sample_ids ids;     /* shared, so IDs are unique across datasets */
};

int sample_relief(struct sample_ctx *ctx, char *err, size_t errlen);
int sample_children(struct sample_ctx *ctx, char *err, size_t errlen);
int sample_elderly(struct sample_ctx *ctx, char *err, size_t errlen);
int sample_charity(struct sample_ctx *ctx, char *err, size_t errlen);

#endif
