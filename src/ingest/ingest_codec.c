/*
 * ingest_codec.c - a parsed chunk as bytes for the parse cache, and back
 * (chunk_encode, chunk_decode in ingest_chunk.h).
 *
 * The encoding is compact and typed, column by column, in unsigned LEB128
 * varints and runs.  IDs, money, counts, months and dates are runs of
 * (zigzag step, n): n values, each the one before plus step.  An export
 * lists a person's months one after the other, so a person's twelve rows
 * take a run or two per column (the ID, the amount: the same twelve times;
 * the month: one more each time), and decoding a run is a loop with no
 * byte to read.  Enum values are runs of (code, n); a text value is "the
 * same as the previous one" or its bytes.  The layout of one chunk:
 *
 *	'C' '3'  ncols nrecs nrejects  lines read blank spanned max_year
 *	bad_line+1 nul_line+1 reheader_line+1 (0: none)  today_lo today_hi
 *	nyears (year index, rows)...
 *	records: (line step, n) runs; present bits as (n, bits) runs; each
 *	         column's byte length; then per column, the values of the
 *	         records that have one
 *	rejects: line, column+1, code, reason (0: none, else length+1), row
 *	'E'
 *
 * What the cache holds is personal data (IDs as integers): never names in
 * clear (a name column arrives masked, 张*), and the bytes of text and of
 * the masked reject rows are stored XOR-ed with CACHE_TEXT_XOR, so that a search
 * of the cache for an ID number or a place finds nothing.  That is not
 * encryption; the cache's protection is its mode (0600 in a 0700 folder).
 *
 * Decoding trusts nothing: the caller has checked the chunk's checksum
 * against the cache's index, and every value is still checked against the
 * schema before it can reach a figure (codes within their enum, dates real,
 * money within the column's maximum, lines in order, texts within the
 * chunk).  This file never touches shared state.
 */
#include <stdlib.h>
#include <string.h>
/* XXH3 compiled in from the header (libxxhash-dev): one shared object fewer to load */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "ingest_chunk.h"
#include "util/xalloc.h"

/* ------------------------------------------------------------ writing */

struct out {
	char *buf;
	size_t len, cap;
};

static void put_byte(struct out *o, unsigned char b)
{
	if (o->len == o->cap)
		o->buf = xgrow(o->buf, &o->cap, o->len + 1, 1);
	o->buf[o->len++] = (char)b;
}

static void put_v(struct out *o, uint64_t v)
{
	if (o->cap - o->len < 10)
		o->buf = xgrow(o->buf, &o->cap, o->len + 10, 1);
	while (v >= 0x80) {
		o->buf[o->len++] = (char)(v | 0x80);
		v >>= 7;
	}
	o->buf[o->len++] = (char)v;
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static void put_z(struct out *o, int64_t v)
{
	put_v(o, zigzag(v));
}

/* Bytes XOR-ed with CACHE_TEXT_XOR (see the top of the file). */
static void put_text(struct out *o, const char *s, size_t n)
{
	o->buf = xgrow(o->buf, &o->cap, o->len + n, 1);
	for (size_t i = 0; i < n; i++)
		o->buf[o->len + i] = (char)((unsigned char)s[i] ^ CACHE_TEXT_XOR);
	o->len += n;
}

/* A C string or none: 0, or length + 1 and the bytes. */
static void put_str(struct out *o, const char *s)
{
	if (s == NULL) {
		put_v(o, 0);
		return;
	}
	put_v(o, (uint64_t)strlen(s) + 1);
	put_text(o, s, strlen(s));
}

/*
 * The runs of one stream being written: of values each the one before
 * plus the run's step, or (codes) of one enum code repeated.
 */
struct runs {
	struct out *o;
	bool codes;   /* enum codes: (code, n), not (zigzag step, n) */
	int64_t prev; /* the value before */
	int64_t step; /* of the run being gathered */
	uint64_t n;   /* its values so far, 0: none */
};

static void runs_flush(struct runs *r)
{
	if (r->n == 0)
		return;
	put_v(r->o, r->codes ? (uint64_t)r->prev : zigzag(r->step));
	put_v(r->o, r->n);
	r->n = 0;
}

static void runs_add(struct runs *r, int64_t v)
{
	int64_t step = (int64_t)((uint64_t)v - (uint64_t)r->prev);

	if (r->codes)
		step = v != r->prev; /* a new code is a new run */
	if (r->n > 0 && step != (r->codes ? 0 : r->step))
		runs_flush(r);
	if (r->n == 0)
		r->step = step;
	r->prev = v;
	r->n++;
}

/*
 * Column col of every record holding it: runs of enum codes or of steps,
 * texts (0 for the text of the record before).
 */
static void encode_column(struct out *o, const struct chunk *c, size_t col)
{
	const size_t stride = c->stride;
	const enum col_type type = c->plan->ds->cols[col].type;
	struct runs runs = {.o = o, .codes = type == COL_ENUM};
	const char *last = NULL;
	size_t lastlen = 0;

	for (size_t i = 0; i < c->nrecs; i++) {
		const int64_t *rec = c->recs + i * stride;
		int64_t v = rec[REC_HEAD + col];

		if (!((uint64_t)rec[REC_PRESENT] >> col & 1))
			continue;
		if (type == COL_TEXT) {
			const char *s = c->text + ((uint64_t)v >> 32);
			size_t n = (size_t)((uint64_t)v & 0xffffffffu);

			if (last != NULL && n == lastlen && memcmp(s, last, n) == 0) {
				put_v(o, 0);
			} else {
				put_v(o, (uint64_t)n + 1);
				put_text(o, s, n);
			}
			last = s;
			lastlen = n;
		} else {
			runs_add(&runs, v);
		}
	}
	runs_flush(&runs);
}

/*
 * Lines, then runs of present bits, then each column's section, their
 * byte lengths first: a reader decodes the columns side by side, a block
 * of records at a time, into records still in its cache.
 */
static void encode_records(struct out *o, const struct chunk *c, const struct dataset *ds)
{
	const size_t stride = c->stride;
	struct out *sections = xcalloc(ds->ncols ? ds->ncols : 1, sizeof(*sections));
	struct runs lines = {.o = o};

	for (size_t i = 0; i < c->nrecs; i++)
		runs_add(&lines, c->recs[i * stride + REC_LINE]);
	runs_flush(&lines);
	for (size_t i = 0; i < c->nrecs;) {
		int64_t bits = c->recs[i * stride + REC_PRESENT];
		size_t run = 1;

		while (i + run < c->nrecs && c->recs[(i + run) * stride + REC_PRESENT] == bits)
			run++;
		put_v(o, run);
		put_v(o, (uint64_t)bits);
		i += run;
	}
	for (size_t col = 0; col < ds->ncols; col++) {
		encode_column(&sections[col], c, col);
		put_v(o, sections[col].len);
	}
	for (size_t col = 0; col < ds->ncols; col++) {
		if (sections[col].len > 0) {
			o->buf = xgrow(o->buf, &o->cap, o->len + sections[col].len, 1);
			memcpy(o->buf + o->len, sections[col].buf, sections[col].len);
			o->len += sections[col].len;
		}
		free(sections[col].buf);
	}
	free(sections);
}

void chunk_encode(struct chunk *c)
{
	const struct dataset *ds = c->plan->ds;
	struct out o = {0};
	size_t nyears = 0;

	/* only a parse's records hold every column (chunk_hold): a narrow one would be encoded
	 * wrong */
	if (!chunk_holds_all(c)) {
		free(c->seg);
		c->seg = NULL; /* the cache then leaves the file out (cache_write_chunk) */
		c->seg_len = 0;
		return;
	}
	put_byte(&o, 'C');
	put_byte(&o, '3');
	put_v(&o, ds->ncols);
	put_v(&o, c->nrecs);
	put_v(&o, c->nrejects);
	put_v(&o, c->lines);
	put_v(&o, c->read);
	put_v(&o, c->blank);
	put_v(&o, c->spanned);
	put_v(&o, (uint64_t)c->max_year);
	/* UINT64_MAX (none) wraps to 0 */
	put_v(&o, c->bad_line + 1);
	put_v(&o, c->nul_line + 1);
	put_v(&o, c->reheader_line + 1);
	put_z(&o, c->today_lo);
	put_z(&o, c->today_hi);
	for (size_t y = 0; y < INGEST_YEARS; y++)
		nyears += c->year_rows[y] > 0;
	put_v(&o, nyears);
	for (size_t y = 0; y < INGEST_YEARS; y++)
		if (c->year_rows[y] > 0) {
			put_v(&o, y);
			put_v(&o, c->year_rows[y]);
		}
	encode_records(&o, c, ds);
	for (size_t i = 0; i < c->nrejects; i++) {
		const struct chunk_reject *r = &c->rejects[i];

		put_v(&o, r->line);
		put_v(&o, (uint64_t)(r->col + 1));
		put_v(&o, (uint64_t)r->code);
		put_str(&o, r->reason);
		put_str(&o, r->row ? r->row : "");
	}
	put_byte(&o, 'E');
	free(c->seg);
	c->seg = o.buf;
	c->seg_len = o.len;
}

void chunk_seg_sum(const char *seg, size_t len, unsigned char sum[SEG_SUM_SIZE])
{
	XXH128_canonical_t canon;

	XXH128_canonicalFromHash(&canon, XXH3_128bits(seg, len));
	memcpy(sum, canon.digest, SEG_SUM_SIZE);
}

/* ------------------------------------------------------------ reading */

struct in {
	const unsigned char *p, *end;
	bool bad;
};

static uint64_t get_v_long(struct in *in)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		unsigned char b;

		if (in->p == in->end) {
			in->bad = true;
			return 0;
		}
		b = *in->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80)
			return v;
	}
	in->bad = true;
	return 0;
}

/* Most values take one byte: that case inline. */
static inline uint64_t get_v(struct in *in)
{
	if (in->p < in->end && *in->p < 0x80)
		return *in->p++;
	return get_v_long(in);
}

static inline int64_t get_z(struct in *in)
{
	uint64_t v = get_v(in);

	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* n bytes un-XOR-ed into dst, or false. */
static bool get_text(struct in *in, char *dst, size_t n)
{
	if ((size_t)(in->end - in->p) < n) {
		in->bad = true;
		return false;
	}
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)(in->p[i] ^ CACHE_TEXT_XOR);
	in->p += n;
	return true;
}

/* A string of put_str (malloc'd; NULL for none, or on failure with in->bad). */
static char *get_str(struct in *in)
{
	uint64_t n = get_v(in);
	char *s;

	if (n == 0 || in->bad)
		return NULL;
	n--;
	if (n > (uint64_t)(in->end - in->p)) {
		in->bad = true;
		return NULL;
	}
	s = xmalloc((size_t)n + 1);
	if (!get_text(in, s, (size_t)n) || memchr(s, '\0', (size_t)n) != NULL) {
		free(s);
		in->bad = true;
		return NULL;
	}
	s[n] = '\0';
	return s;
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* A yyyymmdd value.c could have produced. */
static inline bool real_date(int64_t v)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t y = v / 10000, m = v / 100 % 100, d = v % 100;

	if (v < 0 || y < INGEST_YEAR_MIN || y >= INGEST_YEAR_MIN + INGEST_YEARS || m < 1 ||
	    m > 12 || d < 1)
		return false;
	return d <= days[m - 1] + (m == 2 && leap(y));
}

/* Whether v is a value of col the parse could have typed. */
static inline bool value_fits(const struct column *col, int64_t v)
{
	switch (col->type) {
	case COL_ID:
		return v >= 0 && v < 100000000000000000; /* the 17 digits before the check */
	case COL_ENUM:
		return v >= 0 && (uint64_t)v < col->nvalues;
	case COL_MONTH:
		return v / 100 >= INGEST_YEAR_MIN && v / 100 < INGEST_YEAR_MIN + INGEST_YEARS &&
		       v % 100 >= 1 && v % 100 <= 12;
	case COL_DATE:
		return real_date(v);
	case COL_MONEY:
	case COL_INTEGER:
		if (v < 0 && !col->negative)
			return false;
		return v >= -col->max && v <= col->max;
	case COL_TEXT:
		return true;
	}
	return false;
}

/* The columns every record must hold: the required ones and the period's. */
static uint64_t must_have(const struct dataset *ds)
{
	uint64_t m = 1ull << ds->period;

	for (size_t c = 0; c < ds->ncols; c++)
		if (ds->cols[c].required)
			m |= 1ull << c;
	return m;
}

/* Where one column's section is read from, and what its values depend on. */
struct col_reader {
	struct in in;  /* bounded by the section */
	int64_t prev;  /* the value before */
	int64_t step;  /* of the current run: each value is the one before plus step */
	uint64_t left; /* values of the current run not yet given */
	uint64_t last; /* offset << 32 | length of the text before */
	/*
	 * A text column: there is a text before (0 repeats it).  Other
	 * columns: prev was checked since the current run began.
	 */
	bool have_last;
};

/* The next run of rd: its step (or code) and length; false when there is none. */
static inline bool next_values(struct col_reader *rd, bool code)
{
	uint64_t v = get_v(&rd->in);

	rd->step = code ? (int64_t)v : (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
	rd->left = get_v(&rd->in);
	return !rd->in.bad && rd->left > 0;
}

/*
 * Column col of records [from, to), into each record's place at: false
 * when a value does not hold.
 */
static bool decode_column(struct col_reader *rd, struct chunk *c, const struct column *cd,
			  size_t col, size_t at, size_t from, size_t to)
{
	const size_t stride = c->stride;
	int64_t *rec = c->recs + from * stride;
	int64_t *const end = c->recs + to * stride;

	/* one loop per type: the type never changes within a column */
	switch (cd->type) {
	case COL_ENUM:
		for (; rec < end; rec += stride) {
			if (!((uint64_t)rec[REC_PRESENT] >> col & 1)) {
				rec[at] = 0;
				continue;
			}
			if (rd->left == 0 &&
			    (!next_values(rd, true) || (uint64_t)rd->step >= cd->nvalues))
				return false;
			rd->left--;
			rec[at] = rd->step;
		}
		break;
	case COL_TEXT:
		for (; rec < end; rec += stride) {
			uint64_t len;

			if (!((uint64_t)rec[REC_PRESENT] >> col & 1)) {
				rec[at] = 0;
				continue;
			}
			len = get_v(&rd->in);
			if (rd->in.bad || (len == 0 && !rd->have_last))
				return false;
			if (len > 0) {
				len--;
				/* c->text holds seg_len bytes: no text can be longer */
				if (len > c->tcap - c->tlen ||
				    !get_text(&rd->in, c->text + c->tlen, (size_t)len))
					return false;
				rd->last = (uint64_t)c->tlen << 32 | len;
				c->tlen += (size_t)len;
				rd->have_last = true;
			}
			rec[at] = (int64_t)rd->last;
		}
		break;
	default:
		for (; rec < end; rec += stride) {
			if (!((uint64_t)rec[REC_PRESENT] >> col & 1)) {
				rec[at] = 0;
				continue;
			}
			if (rd->left == 0) {
				if (!next_values(rd, false))
					return false;
				rd->have_last = false; /* a run's first value is checked */
			}
			rd->left--;
			/* checked when it changes: most values repeat the one before */
			if (rd->step != 0 || !rd->have_last) {
				rd->prev = (int64_t)((uint64_t)rd->prev + (uint64_t)rd->step);
				if (!value_fits(cd, rd->prev))
					return false;
				rd->have_last = true;
			}
			rec[at] = rd->prev;
		}
	}
	return !rd->in.bad;
}

/* Records decoded side by side, column by column: they stay in the cache. */
#define DECODE_BLOCK 256

/* Past runs of n values in all: false when they do not add up to n. */
static bool skip_runs(struct in *in, size_t n)
{
	for (size_t got = 0; got < n;) {
		uint64_t k;

		(void)get_v(in);
		k = get_v(in);
		if (in->bad || k == 0 || k > n - got)
			return false;
		got += k;
	}
	return true;
}

/*
 * The runs of present bits: n records with the same bits, n > 0, every
 * record covered, each bits within the dataset's columns and holding the
 * columns every record must.
 */
struct run_reader {
	struct in in;
	uint64_t left; /* records of the current run not yet given */
	uint64_t bits;
};

static bool next_run(struct run_reader *rr, uint64_t records_left, uint64_t allowed, uint64_t need)
{
	rr->left = get_v(&rr->in);
	rr->bits = get_v(&rr->in);
	return !rr->in.bad && rr->left > 0 && rr->left <= records_left &&
	       (rr->bits & ~allowed) == 0 && (rr->bits & need) == need;
}

/* Lines and present bits of records [from, to). */
static bool decode_heads(struct col_reader *lines, uint64_t *line, struct run_reader *rr,
			 struct chunk *c, uint64_t allowed, uint64_t need, size_t from, size_t to)
{
	int64_t *rec = c->recs + from * c->stride;

	for (size_t i = from; i < to; i++, rec += c->stride) {
		int64_t d;

		if (lines->left == 0 && !next_values(lines, false))
			return false;
		lines->left--;
		d = lines->step;

		/* lines strictly increase, within the chunk */
		if (d < (i > 0) || (uint64_t)d >= c->lines - *line)
			return false;
		*line += (uint64_t)d;
		if (rr->left == 0 && !next_run(rr, c->nrecs - i, allowed, need))
			return false;
		rr->left--;
		rec[REC_LINE] = (int64_t)*line;
		rec[REC_SLOT] = 0;
		rec[REC_PRESENT] = (int64_t)rr->bits;
	}
	return true;
}

/*
 * A block of records at a time: its lines, present bits and columns, so
 * that the block is still in the core's cache from its first value to its
 * last.
 */
static bool decode_records(struct in *in, struct chunk *c, const struct dataset *ds)
{
	const uint64_t allowed = ds->ncols >= 64 ? ~0ull : (1ull << ds->ncols) - 1;
	const uint64_t need = must_have(ds);
	struct col_reader *rd = xcalloc(ds->ncols ? ds->ncols : 1, sizeof(*rd));
	uint64_t *lens = xcalloc(ds->ncols ? ds->ncols : 1, sizeof(*lens));
	struct col_reader lines = {.in = *in};
	struct in present;
	struct run_reader rr = {.in = *in};
	const unsigned char *at;
	uint64_t line = 0;
	bool ok;

	/* past the lines and the runs (checked), to the sections' lengths */
	ok = skip_runs(in, c->nrecs);
	present = rr.in = *in;
	for (size_t i = 0; ok && i < c->nrecs; i += rr.left)
		ok = next_run(&rr, c->nrecs - i, allowed, need);
	in->p = rr.in.p;
	rr = (struct run_reader){.in = present};
	for (size_t col = 0; ok && col < ds->ncols; col++) {
		lens[col] = get_v(in);
		ok = !in->bad;
	}
	at = in->p;
	for (size_t col = 0; ok && col < ds->ncols; col++) {
		if (lens[col] > (uint64_t)(in->end - at)) {
			ok = false;
			break;
		}
		rd[col].in = (struct in){at, at + lens[col], false};
		at += lens[col];
	}
	for (size_t from = 0; ok && from < c->nrecs; from += DECODE_BLOCK) {
		size_t to = c->nrecs - from < DECODE_BLOCK ? c->nrecs : from + DECODE_BLOCK;

		ok = decode_heads(&lines, &line, &rr, c, allowed, need, from, to);
		for (size_t col = 0; ok && col < ds->ncols; col++)
			if (c->held >> col & 1)
				ok = decode_column(&rd[col], c, &ds->cols[col], col,
						   REC_HEAD + c->place[col], from, to);
	}
	/* every section decoded read to its end, no byte or value more or less */
	for (size_t col = 0; ok && col < ds->ncols; col++)
		ok = !(c->held >> col & 1) || (rd[col].in.p == rd[col].in.end && rd[col].left == 0);
	if (ok)
		in->p = at;
	free(rd);
	free(lens);
	return ok;
}

static bool decode_rejects(struct in *in, struct chunk *c, const struct dataset *ds)
{
	uint64_t prev = 0;

	c->rejects = xcalloc(c->nrejects ? c->nrejects : 1, sizeof(*c->rejects));
	c->jcap = c->nrejects;
	for (size_t i = 0; i < c->nrejects; i++) {
		struct chunk_reject *r = &c->rejects[i];
		uint64_t line = get_v(in), col = get_v(in), code = get_v(in);

		/* rejects come in line order, each a line of the chunk */
		if (in->bad || line < prev || line >= c->lines || col > ds->ncols || code == 0 ||
		    code >= VALUE_ERROR_COUNT)
			return false;
		prev = line;
		r->line = line;
		r->col = (int)col - 1;
		r->code = (enum value_error)code;
		r->reason = get_str(in);
		r->row = get_str(in);
		if (in->bad || r->row == NULL)
			return false;
	}
	return true;
}

int chunk_decode(struct chunk *c, const char *seg, size_t len, uint64_t columns)
{
	const struct dataset *ds = c->plan->ds;
	struct in in = {(const unsigned char *)seg, (const unsigned char *)seg + len, false};
	uint64_t nyears, sum = 0, y;
	int64_t lo, hi;

	chunk_hold(c, columns);
	c->nrecs = c->nrejects = 0;
	if (len < 3 || seg[0] != 'C' || seg[1] != '3')
		return -1;
	in.p += 2;
	if (get_v(&in) != ds->ncols)
		return -1;
	c->nrecs = get_v(&in);
	c->nrejects = get_v(&in);
	/*
	 * Each record and each reject takes a byte of the source at least
	 * (c->len, from the cache's index): no huge allocation.  Not a byte of
	 * seg: a run of a thousand rows takes two.
	 */
	if (in.bad || c->nrecs > c->len || c->nrejects > c->len) {
		c->nrecs = c->nrejects = 0;
		return -1;
	}
	c->lines = get_v(&in);
	c->read = get_v(&in);
	c->blank = get_v(&in);
	c->spanned = get_v(&in);
	c->max_year = (int)get_v(&in);
	c->bad_line = get_v(&in) - 1;
	c->nul_line = get_v(&in) - 1;
	c->reheader_line = get_v(&in) - 1;
	lo = get_z(&in);
	hi = get_z(&in);
	nyears = get_v(&in);
	c->outside = 0;
	memset(c->year_rows, 0, sizeof(c->year_rows));
	if (in.bad || c->read > c->lines || c->blank > c->lines || c->spanned > c->lines ||
	    c->nrecs + c->nrejects > c->read || c->max_year < 0 ||
	    c->max_year >= INGEST_YEAR_MIN + INGEST_YEARS ||
	    (c->bad_line != UINT64_MAX && c->bad_line >= c->lines) ||
	    (c->nul_line != UINT64_MAX && c->nul_line >= c->lines) ||
	    (c->reheader_line != UINT64_MAX && c->reheader_line >= c->lines) || lo < INT32_MIN ||
	    hi > INT32_MAX || lo >= hi || nyears > INGEST_YEARS)
		goto bad;
	c->today_lo = (int32_t)lo;
	c->today_hi = (int32_t)hi;
	for (uint64_t k = 0, at = 0; k < nyears; k++) {
		uint64_t rows;

		y = get_v(&in);
		rows = get_v(&in);
		if (in.bad || y >= INGEST_YEARS || (k > 0 && y < at) || rows == 0 ||
		    rows > c->nrecs - sum)
			goto bad;
		at = y + 1;
		c->year_rows[y] = rows;
		sum += rows;
	}
	c->recs = xmalloc((c->nrecs ? c->nrecs : 1) * c->stride * sizeof(int64_t));
	c->rcap = c->nrecs * c->stride;
	c->tcap = len;
	c->tlen = 0;
	c->text = xmalloc(len);
	if (!decode_records(&in, c, ds) || !decode_rejects(&in, c, ds))
		goto bad;
	if (in.bad || in.end - in.p != 1 || *in.p != 'E')
		goto bad;
	return 0;
bad:
	for (size_t i = 0; c->rejects != NULL && i < c->nrejects; i++) {
		free(c->rejects[i].reason);
		free(c->rejects[i].row);
	}
	free(c->rejects);
	free(c->recs);
	free(c->text);
	c->rejects = NULL;
	c->recs = NULL;
	c->text = NULL;
	c->nrecs = c->nrejects = 0;
	c->rcap = c->jcap = c->tcap = c->tlen = 0;
	return -1;
}
