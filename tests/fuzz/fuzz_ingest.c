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
	chunk_release(&c);
	return 0;
}
