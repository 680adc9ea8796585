/*
 * fuzz_ingest.c - libFuzzer target for the bytes-facing half of ingest: the
 * header parser and a worker's chunk parser (libcsv callbacks, line counting,
 * value typing, GB18030 conversion, rejects with masked rows).
 *
 * The first input byte picks the encoding and whether the chunk is the
 * file's last; the rest is the CSV data after a relief header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_chunk.h"
#include "ingest/schema.h"

static struct schema fuzz_schema;
static struct file_plan plan;
static struct chunk_parser *parser;

static void setup(void)
{
	char err[512];
	static int col[10];

	if (schema_load(&fuzz_schema, "templates/schema.ini", err, sizeof(err)) != 0)
		abort();
	plan.ds = schema_find(&fuzz_schema, "relief");
	for (int i = 0; i < 10; i++)
		col[i] = i < (int)plan.ds->ncols ? i : -1;
	plan.field_col = col;
	plan.nfields = plan.ds->ncols;
	plan.period = (struct period){2021 * 12, 2021 * 12 + 11};
	plan.prev = period_prev_year(&plan.period);
	plan.last = period_last(&plan.period);
	plan.span_first = plan.prev.first;
	plan.today = 20991231; /* no date is "future": the rows reach the typed paths */
	parser = chunk_parser_new();
}

/* Lines in the chunk's bytes, LF, CRLF and CR alike, a last one without an end too. */
static uint64_t physical_lines(const struct chunk *c)
{
	uint64_t n = 0;
	size_t i = 0;

	while (i < c->len) {
		char ch = c->data[i++];

		if (ch == '\r' && i < c->len && c->data[i] == '\n')
			i++;
		if (ch == '\r' || ch == '\n' || i == c->len)
			n++;
	}
	return n;
}

/*
 * The parse cache's encoding of c (ingest_codec.c) decodes to c again,
 * value for value; a byte of it changed decodes to values that still hold,
 * or to nothing.  Then both window alike.
 */
static void round_trip(struct chunk *c, uint8_t salt)
{
	struct chunk d;
	const size_t ncols = c->plan->ds->ncols;

	chunk_encode(c);
	memset(&d, 0, sizeof(d));
	d.plan = c->plan;
	d.len = c->len;
	if (chunk_decode(&d, c->seg, c->seg_len, CHUNK_ALL_COLUMNS) != 0 || d.nrecs != c->nrecs ||
	    d.nrejects != c->nrejects || d.lines != c->lines || d.read != c->read ||
	    d.blank != c->blank || d.spanned != c->spanned || d.max_year != c->max_year ||
	    d.bad_line != c->bad_line || d.nul_line != c->nul_line ||
	    d.reheader_line != c->reheader_line || d.today_lo != c->today_lo ||
	    d.today_hi != c->today_hi ||
	    memcmp(d.year_rows, c->year_rows, sizeof(d.year_rows)) != 0)
		abort();
	for (size_t i = 0; i < c->nrecs; i++) {
		const int64_t *x = c->recs + i * c->stride, *y = d.recs + i * d.stride;

		if (x[REC_LINE] != y[REC_LINE] || x[REC_PRESENT] != y[REC_PRESENT])
			abort();
		for (size_t col = 0; col < ncols; col++) {
			uint64_t u = (uint64_t)x[REC_HEAD + col], v = (uint64_t)y[REC_HEAD + col];

			if (!((uint64_t)x[REC_PRESENT] >> col & 1))
				continue;
			if (c->plan->ds->cols[col].type != COL_TEXT
				? u != v
				: (u & 0xffffffffu) != (v & 0xffffffffu) ||
				      memcmp(c->text + (u >> 32), d.text + (v >> 32),
					     u & 0xffffffffu) != 0)
				abort();
		}
	}
	for (size_t i = 0; i < c->nrejects; i++) {
		const struct chunk_reject *a = &c->rejects[i], *b = &d.rejects[i];

		if (a->line != b->line || a->col != b->col || a->code != b->code ||
		    (a->reason == NULL) != (b->reason == NULL) ||
		    (a->reason && strcmp(a->reason, b->reason) != 0) || strcmp(a->row, b->row) != 0)
			abort();
	}
	chunk_release(&d);
	/* some columns only (the salt's bits, and the period's): narrow records of the same values
	 */
	memset(&d, 0, sizeof(d));
	d.plan = c->plan;
	d.len = c->len;
	if (chunk_decode(&d, c->seg, c->seg_len, salt | 1ull << c->plan->ds->period) != 0 ||
	    d.nrecs != c->nrecs)
		abort();
	for (size_t i = 0; i < c->nrecs; i++)
		for (size_t col = 0; col < ncols; col++)
			if ((d.held >> col & 1) && c->plan->ds->cols[col].type != COL_TEXT &&
			    chunk_value(&d, d.recs + i * d.stride, (int)col) !=
				c->recs[i * c->stride + REC_HEAD + col])
				abort();
	chunk_window(c);
	chunk_window(&d);
	if (c->nrecs != d.nrecs || c->outside != d.outside)
		abort();
	chunk_release(&d);
	if (c->seg_len > 0) {
		c->seg[salt % c->seg_len] ^= (char)(salt | 1);
		memset(&d, 0, sizeof(d));
		d.plan = c->plan;
		d.len = c->len;
		chunk_decode(&d, c->seg, c->seg_len, salt & 1 ? salt : CHUNK_ALL_COLUMNS);
		for (size_t i = 0; i < d.nrecs; i++)
			if ((uint64_t)d.recs[i * d.stride + REC_LINE] >= d.lines)
				abort();
		chunk_release(&d);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chunk c;
	char **fields = NULL;
	size_t nfields = 0;
	long h;

	if (parser == NULL)
		setup();
	if (size < 1)
		return 0;
	h = chunk_parse_header((const char *)data + 1, size - 1, &fields, &nfields);
	if (h > 0) {
		for (size_t i = 0; i < nfields; i++)
			free(fields[i]);
		free(fields);
	}
	plan.encoding = data[0] % 3;
	memset(&c, 0, sizeof(c));
	c.plan = &plan;
	c.last = data[0] & 4;
	c.len = size - 1;
	c.data = malloc(c.len + 1);
	memcpy(c.data, data + 1, c.len);
	chunk_parse(parser, &c);
	/* every row read is either a record, a reject or outside the year */
	if (c.read != c.nrecs + c.nrejects + c.outside)
		abort();
	/* and every physical line a blank line, a row or a further line of a row */
	if (!c.unterminated && (c.lines != c.read + c.blank + c.spanned ||
				(plan.encoding != ENC_GB18030 && c.lines != physical_lines(&c))))
		abort();
	if (!c.unterminated && c.error == NULL)
		round_trip(&c, data[size / 2]);
	chunk_release(&c);
	return 0;
}
