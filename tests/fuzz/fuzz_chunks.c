/*
 * fuzz_chunks.c - libFuzzer target for the reader's half of ingest: where
 * ingest.c cuts a file into chunks (LF, CRLF, lone CR) and how it merges a
 * chunk that ends inside a record.  Results must never depend on the cuts.
 *
 * The input's first byte picks the line ends (as written, or every LF made
 * CRLF or CR) and, with the second, two chunk sizes; the rest is the CSV
 * data after a relief header.  The file is read once in one chunk and once
 * per chunk size (and in chunks of 1 byte when it is short); every read must
 * hand out the same rows and rejects, and each must keep both identities of
 * ingest.h: read = accepted + rejected + outside, lines = read + blank +
 * spanned, with lines counted here from the bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "ingest/ingest_chunk.h"
#include "ingest/schema.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static struct schema fuzz_schema;
static char dir[64], path[96];

static const char header[] = "身份证号,姓名,区县,乡镇(街道),救助类别,发放年月,发放金额,户号";

static void setup(void)
{
	char err[512];

	log_set_level((enum log_level)(LOG_ERROR + 1)); /* silence: files fail on purpose */
	if (schema_load(&fuzz_schema, "templates/schema.ini", err, sizeof(err)) != 0)
		abort();
	snprintf(dir, sizeof(dir), "/tmp/civreport-fuzz-chunks-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/relief.csv", dir);
}

static void on_row(void *ctx, const struct dataset *ds, const struct ingest_row *row)
{
	struct strbuf *sb = ctx;

	strbuf_addf(sb, "row %llu %d %u %llx:", (unsigned long long)row->line, (int)row->windows,
		    row->person, (unsigned long long)row->present);
	for (size_t c = 0; c < ds->ncols; c++) {
		size_t len;
		const char *s;

		if (!(row->present >> c & 1))
			continue;
		if (ds->cols[c].type == COL_TEXT) {
			s = ingest_row_text(row, (int)c, &len);
			strbuf_addch(sb, '|');
			strbuf_add(sb, s, len);
		} else {
			strbuf_addf(sb, "|%lld", (long long)row->v[c]);
		}
	}
	strbuf_addch(sb, '\n');
}

static void on_reject(void *ctx, const struct ingest_reject *r)
{
	strbuf_addf(ctx, "reject %llu [%s] %d %s {%s}\n", (unsigned long long)r->line, r->column,
		    (int)r->code, r->reason, r->row);
}

/* Lines after the header, LF, CRLF and CR alike. */
static uint64_t data_lines(const char *s, size_t len)
{
	uint64_t n = 0;
	size_t i = 0;

	while (i < len) {
		char ch = s[i++];

		if (ch == '\r' && i < len && s[i] == '\n')
			i++;
		if (ch == '\r' || ch == '\n' || i == len)
			n++;
	}
	return n - 1;
}

/* One read of the file in chunks of k bytes (0: the default); the trace in *out. */
static void read_once(size_t k, char **out, const char *data, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	struct ingest_sink sink = {.ctx = &sb, .row = on_row, .reject = on_reject};
	struct ingest_options opt = {.input_dir = dir,
				     .period = {2021 * 12, 2021 * 12 + 11},
				     .want = WINDOW_PREV | WINDOW_LAST,
				     .threads = 2};
	struct ingest_result res;
	char err[256];
	const struct ingest_file *f;

	ingest_set_chunk_sizes(k, 0);
	if (ingest_run(&fuzz_schema, &opt, &sink, &res, err, sizeof(err)) < 0)
		abort();
	f = &res.files[0];
	if (f->error == NULL) {
		if (f->read != f->accepted + f->rejected + f->outside)
			abort();
		if (f->lines != f->read + f->blank + f->spanned)
			abort();
		if (f->lines != data_lines(data, len))
			abort();
	}
	strbuf_addf(&sb, "error %s read %llu lines %llu\n", f->error ? f->error : "-",
		    (unsigned long long)f->read, (unsigned long long)f->lines);
	ingest_result_release(&res);
	ingest_set_chunk_sizes(0, 0);
	*out = strbuf_detach(&sb, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	struct strbuf file = STRBUF_INIT;
	size_t sizes[3];
	char *base, *got;
	FILE *fp;

	if (dir[0] == '\0')
		setup();
	if (size < 2)
		return 0;
	strbuf_addstr(&file, header);
	strbuf_addstr(&file, in[0] % 3 == 1 ? "\r\n" : in[0] % 3 == 2 ? "\r" : "\n");
	for (size_t i = 2; i < size; i++) {
		if (in[i] == '\n' && in[0] % 3 == 1)
			strbuf_addstr(&file, "\r\n");
		else if (in[i] == '\n' && in[0] % 3 == 2)
			strbuf_addch(&file, '\r');
		else
			strbuf_addch(&file, (char)in[i]);
	}
	fp = fopen(path, "wb");
	if (fp == NULL || fwrite(file.buf, 1, file.len, fp) != file.len || fclose(fp) != 0)
		abort();
	sizes[0] = (size_t)in[0] / 3 % 61 + 1;
	sizes[1] = (size_t)in[1] * 7 % file.len + 1;
	sizes[2] = file.len < 600 ? 1 : file.len / 3;
	read_once(0, &base, file.buf, file.len);
	for (size_t k = 0; k < 3; k++) {
		read_once(sizes[k], &got, file.buf, file.len);
		if (strcmp(got, base) != 0) {
			fprintf(stderr, "chunks of %zu bytes:\n%s\nwant (one chunk):\n%s\n",
				sizes[k], got, base);
			abort();
		}
		free(got);
	}
	free(base);
	strbuf_release(&file);
	return 0;
}
