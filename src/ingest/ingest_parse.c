/*
 * ingest_parse.c - a worker's half of ingest: one chunk of CSV bytes to
 * typed records and rejects.
 *
 * libcsv calls back per byte run and per field, so the callbacks only copy
 * the field into a row buffer; all typing happens once per row.  libcsv
 * reports no line numbers: they are counted here from the row terminators
 * (CSV_REPALL_NL reports every unquoted CR and LF) and from newlines inside
 * quoted fields.  This file never touches shared state: a worker owns its
 * chunk until it marks it done.
 */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_chunk.h"
#include "mask.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

#define MAX_FIELDS 512

struct chunk_parser {
	struct csv_parser csv;
	iconv_t cd;
	char *conv;
	size_t conv_cap;
	/* the record being assembled */
	char *row;
	size_t rowlen, rowcap;
	size_t foff[MAX_FIELDS], flen[MAX_FIELDS];
	size_t nfields;        /* fields seen, may exceed MAX_FIELDS */
	bool nonempty;         /* some field holds something */
	uint64_t row_newlines; /* newlines inside quoted fields of this record */
	uint64_t line;         /* relative line where the next record starts */
	bool cr_pending;       /* last terminator was CR: a following LF is its pair */
	bool check_encoding;   /* the chunk had invalid bytes: check each field */
	struct chunk *c;
};

static const unsigned char csv_options = CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI;

struct chunk_parser *chunk_parser_new(void)
{
	struct chunk_parser *p = xcalloc(1, sizeof(*p));

	p->cd = (iconv_t)-1;
	return p;
}

void chunk_parser_free(struct chunk_parser *p)
{
	if (p == NULL)
		return;
	if (p->cd != (iconv_t)-1)
		iconv_close(p->cd);
	free(p->conv);
	free(p->row);
	free(p);
}

void chunk_release(struct chunk *c)
{
	for (size_t i = 0; i < c->nrejects; i++) {
		free(c->rejects[i].reason);
		free(c->rejects[i].row);
	}
	free(c->rejects);
	free(c->recs);
	free(c->text);
	free(c->data);
	free(c->error);
	c->rejects = NULL;
	c->recs = NULL;
	c->text = NULL;
	c->data = NULL;
	c->error = NULL;
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct chunk_parser *p = ctx;
	const char *s = data;

	if (p->nfields < MAX_FIELDS) {
		p->row = xgrow(p->row, &p->rowcap, p->rowlen + len + 1, 1);
		memcpy(p->row + p->rowlen, s, len);
		p->foff[p->nfields] = p->rowlen;
		p->flen[p->nfields] = len;
		p->rowlen += len;
	}
	if (len > 0) {
		const char *nl = s, *end = s + len;
		p->nonempty = true;
		while ((nl = memchr(nl, '\n', (size_t)(end - nl))) != NULL) {
			p->row_newlines++;
			nl++;
		}
	}
	p->nfields++;
}

static size_t text_put(struct chunk *c, const char *s, size_t len)
{
	size_t off = c->tlen;

	c->text = xgrow(c->text, &c->tcap, c->tlen + len, 1);
	memcpy(c->text + c->tlen, s, len);
	c->tlen += len;
	return off;
}

/* Append one CSV field (quoted when needed) to a row being written. */
static void csv_append(struct strbuf *row, const char *s, size_t n)
{
	bool quote =
	    memchr(s, ',', n) || memchr(s, '"', n) || memchr(s, '\n', n) || memchr(s, '\r', n);

	if (row->len > 0)
		strbuf_addch(row, ',');
	if (quote)
		strbuf_addch(row, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			strbuf_addch(row, '"');
		strbuf_addch(row, s[i]);
	}
	if (quote)
		strbuf_addch(row, '"');
}

/*
 * Whether the fields of the row being parsed may stand under other columns
 * than the header says: fewer fields than the header, or a reject for too
 * many fields or a stray quote.  Its fields are then masked whole (mask.h).
 */
static bool row_malformed(const struct chunk_parser *p, enum value_error code)
{
	return p->nfields < p->c->plan->nfields || code == VALUE_COLUMNS || code == VALUE_QUOTE;
}

/*
 * The row as it will appear in rejects.csv: only the schema's columns (an
 * unknown column might hold a phone number), personal data masked by
 * column and by content (mask.h).
 */
static char *masked_row(const struct chunk_parser *p, const struct file_plan *plan, bool malformed)
{
	struct strbuf out = STRBUF_INIT, field = STRBUF_INIT;
	size_t n = p->nfields < plan->nfields ? p->nfields : plan->nfields;

	for (size_t i = 0; i < n && i < MAX_FIELDS; i++) {
		int col = plan->field_col[i];

		if (col < 0)
			continue;
		field.len = 0;
		mask_field(&field, malformed ? NULL : &plan->ds->cols[col], p->row + p->foff[i],
			   p->flen[i]);
		csv_append(&out, field.buf ? field.buf : "", field.len);
	}
	strbuf_release(&field);
	return strbuf_detach(&out, NULL);
}

/* The value is quoted masked: in a shifted row it may be a name (mask.h). */
static char *enum_reason(const struct column *col, bool malformed, const char *f, size_t len)
{
	struct strbuf list = STRBUF_INIT;
	char *msg, *shown = mask_quote(malformed ? NULL : col, f, len, 20);

	for (size_t i = 0; i < col->nvalues; i++) {
		if (i > 0)
			strbuf_addstr(&list, "、");
		strbuf_addstr(&list, col->values[i]);
	}
	msg = xasprintf("%s“%s”不是允许的取值,可选:%s", col->name, shown, list.buf ? list.buf : "");
	strbuf_release(&list);
	free(shown);
	return msg;
}

static void add_reject(struct chunk_parser *p, uint64_t line, int col, enum value_error code,
		       char *reason)
{
	struct chunk *c = p->c;
	struct chunk_reject *r;

	c->rejects = xgrow(c->rejects, &c->jcap, c->nrejects + 1, sizeof(*c->rejects));
	r = &c->rejects[c->nrejects++];
	r->line = line;
	r->col = col;
	r->code = code;
	if (reason == NULL) {
		const char *what = value_reason(code);
		reason = col >= 0 ? xasprintf("%s:%s", c->plan->ds->cols[col].name, what)
				  : xstrdup(what);
	}
	r->reason = reason;
	r->row = masked_row(p, c->plan, row_malformed(p, code));
}

/* A NUL byte is valid UTF-8 but never real data: it marks a broken export. */
static bool field_encoding_ok(const char *f, size_t len)
{
	return utf8_valid_prefix(f, len) == len && memmem(f, len, "\xEF\xBF\xBD", 3) == NULL &&
	       memchr(f, '\0', len) == NULL;
}

/* Exact bytes first: almost every export writes the values as the schema does. */
static int enum_lookup(const struct column *col, const char *f, size_t len)
{
	for (size_t i = 0; i < col->nvalues; i++)
		if (strlen(col->values[i]) == len && memcmp(col->values[i], f, len) == 0)
			return (int)i;
	return column_enum_index(col, f, len);
}

static void trim(const char **f, size_t *len)
{
	while (*len > 0 && (**f == ' ' || **f == '\t')) {
		(*f)++;
		(*len)--;
	}
	while (*len > 0 && ((*f)[*len - 1] == ' ' || (*f)[*len - 1] == '\t'))
		(*len)--;
}

/* Type one field into rec; returns VALUE_OK or why not (and *reason for enums). */
static enum value_error type_field(struct chunk_parser *p, const struct column *col, const char *f,
				   size_t len, int64_t *v, char **reason)
{
	enum value_error e = VALUE_OK;
	char masked[256];

	switch (col->type) {
	case COL_ID: {
		uint64_t id;
		e = parse_id(f, len, &id);
		*v = (int64_t)id;
		break;
	}
	case COL_MONEY:
		e = parse_money(f, len, col->negative, v);
		break;
	case COL_INTEGER:
		e = parse_integer(f, len, col->negative, v);
		break;
	case COL_MONTH: {
		int32_t m;
		e = parse_month(f, len, &m);
		*v = m;
		break;
	}
	case COL_DATE: {
		int32_t d;
		e = parse_date(f, len, &d);
		*v = d;
		break;
	}
	case COL_ENUM: {
		int idx = enum_lookup(col, f, len);
		if (idx < 0) {
			*reason = enum_reason(col, row_malformed(p, VALUE_ENUM), f, len);
			return VALUE_ENUM;
		}
		*v = idx;
		break;
	}
	case COL_TEXT:
		if (col->mask == MASK_NAME) {
			len = mask_name(masked, sizeof(masked), f, len);
			f = masked;
		}
		*v = (int64_t)((uint64_t)text_put(p->c, f, len) << 32 | (uint64_t)len);
		break;
	}
	return e;
}

static int row_year(const struct file_plan *plan, const int64_t *rec)
{
	int64_t v = rec[REC_HEAD + plan->ds->period];

	return plan->ds->cols[plan->ds->period].type == COL_MONTH ? (int)(v / 100)
								  : (int)(v / 10000);
}

static void process_row(struct chunk_parser *p, uint64_t line)
{
	struct chunk *c = p->c;
	const struct file_plan *plan = c->plan;
	const struct dataset *ds = plan->ds;
	size_t n = p->nfields < plan->nfields ? p->nfields : plan->nfields;
	uint64_t present = 0;
	int64_t *rec;
	char *reason = NULL;
	int year;

	c->read++;
	if (p->nfields > plan->nfields) {
		/* Excel pads rows with empty trailing columns; real data there is an error */
		for (size_t i = plan->nfields; i < p->nfields && i < MAX_FIELDS; i++)
			if (p->flen[i] > 0) {
				add_reject(
				    p, line, -1, VALUE_COLUMNS,
				    xasprintf("本行有%zu列,多于表头的%zu列(可能有未加引号的逗号)",
					      p->nfields, plan->nfields));
				return;
			}
	}
	c->recs = xgrow(c->recs, &c->rcap, (c->nrecs + 1) * c->stride, sizeof(int64_t));
	rec = c->recs + c->nrecs * c->stride;
	for (size_t i = 0; i < n; i++) {
		int col = plan->field_col[i];
		const char *f = p->row + p->foff[i];
		size_t len = p->flen[i];
		enum value_error e;

		if (col < 0)
			continue;
		trim(&f, &len);
		if (len == 0)
			continue;
		if (p->check_encoding && !field_encoding_ok(f, len)) {
			add_reject(p, line, col, VALUE_ENCODING, NULL);
			return;
		}
		e = type_field(p, &ds->cols[col], f, len, &rec[REC_HEAD + col], &reason);
		if (e != VALUE_OK) {
			add_reject(p, line, col, e, reason);
			return;
		}
		present |= 1ull << col;
	}
	for (size_t col = 0; col < ds->ncols; col++)
		if (ds->cols[col].required && !(present >> col & 1)) {
			add_reject(p, line, (int)col, VALUE_EMPTY, NULL);
			return;
		}
	year = row_year(plan, rec);
	if (year > c->max_year)
		c->max_year = year;
	if (year == plan->year) {
		rec[REC_SLOT] = 0;
	} else if (year == plan->year - 1) {
		/*
		 * always admitted, so that duplicates and persons are counted
		 * the same whether or not a figure needs the previous year
		 */
		rec[REC_SLOT] = 1;
	} else {
		c->outside++;
		return;
	}
	rec[REC_LINE] = (int64_t)line;
	rec[REC_PRESENT] = (int64_t)present;
	c->nrecs++;
}

static void reset_row(struct chunk_parser *p)
{
	p->rowlen = 0;
	p->nfields = 0;
	p->nonempty = false;
	p->row_newlines = 0;
}

static void on_row(int term, void *ctx)
{
	struct chunk_parser *p = ctx;
	uint64_t start = p->line;

	if (p->nfields == 0) {
		/* CSV_REPALL_NL: a blank line, or the LF of a CRLF */
		if (term == '\n' && p->cr_pending)
			p->cr_pending = false;
		else if (term == '\n' || term == '\r')
			p->line++;
		if (term == '\r')
			p->cr_pending = true;
		return;
	}
	p->line += p->row_newlines;
	/* a row of empty fields (",,,," from Excel) is a blank line */
	if (p->nonempty)
		process_row(p, start);
	if (term == '\n' || term == '\r')
		p->line++;
	p->cr_pending = term == '\r';
	reset_row(p);
}

/* GB18030 to UTF-8; an invalid byte becomes U+FFFD and is remembered. */
static const char *convert(struct chunk_parser *p, struct chunk *c, size_t *outlen)
{
	char *in = c->data, *out;
	size_t inleft = c->len, outleft;

	if (p->cd == (iconv_t)-1)
		p->cd = iconv_open("UTF-8", "GB18030");
	iconv(p->cd, NULL, NULL, NULL, NULL);
	p->conv = xgrow(p->conv, &p->conv_cap, c->len * 2 + 16, 1);
	out = p->conv;
	outleft = p->conv_cap;
	while (inleft > 0) {
		if (iconv(p->cd, &in, &inleft, &out, &outleft) != (size_t)-1)
			break;
		if (errno == E2BIG) {
			size_t used = (size_t)(out - p->conv);
			p->conv_cap *= 2;
			p->conv = xrealloc(p->conv, p->conv_cap);
			out = p->conv + used;
			outleft = p->conv_cap - used;
			continue;
		}
		/* EILSEQ or a truncated sequence at the end (EINVAL) */
		if (c->bad_offset == UINT64_MAX)
			c->bad_offset = c->offset + (uint64_t)(in - c->data);
		if (outleft < 3) {
			size_t used = (size_t)(out - p->conv);
			p->conv_cap *= 2;
			p->conv = xrealloc(p->conv, p->conv_cap);
			out = p->conv + used;
			outleft = p->conv_cap - used;
		}
		memcpy(out, "\xEF\xBF\xBD", 3);
		out += 3;
		outleft -= 3;
		in++;
		inleft--;
	}
	*outlen = (size_t)(out - p->conv);
	return p->conv;
}

static uint64_t count_newlines(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	uint64_t n = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

static void restart_csv(struct chunk_parser *p)
{
	csv_free(&p->csv);
	csv_init(&p->csv, csv_options);
	reset_row(p);
}

void chunk_parse(struct chunk_parser *p, struct chunk *c)
{
	const char *buf = c->data;
	size_t len = c->len, pos = 0;

	p->c = c;
	p->line = 0;
	p->cr_pending = false;
	p->check_encoding = false;
	c->stride = REC_HEAD + c->plan->ds->ncols;
	c->bad_offset = UINT64_MAX;
	c->max_year = 0;
	if (c->plan->encoding == ENC_GB18030) {
		buf = convert(p, c, &len);
		p->check_encoding = c->bad_offset != UINT64_MAX || memchr(buf, '\0', len) != NULL;
	} else {
		size_t valid = utf8_valid_prefix(buf, len);
		const char *nul = memchr(buf, '\0', len);
		if (nul != NULL && (size_t)(nul - buf) < valid)
			valid = (size_t)(nul - buf);
		if (valid < len) {
			c->bad_offset = c->offset + valid;
			p->check_encoding = true;
		}
	}
	csv_init(&p->csv, csv_options);
	reset_row(p);
	while (pos < len) {
		size_t n = csv_parse(&p->csv, buf + pos, len - pos, on_field, on_row, p);
		const char *nl;

		if (n == len - pos)
			break;
		if (csv_error(&p->csv) != CSV_EPARSE) {
			c->error = xasprintf("CSV解析失败:%s", csv_strerror(csv_error(&p->csv)));
			break;
		}
		/* A stray quote: reject this record and resume at the next line. */
		p->c->read++;
		add_reject(p, p->line, -1, VALUE_QUOTE, NULL);
		pos += n;
		nl = memchr(buf + pos, '\n', len - pos);
		pos = nl ? (size_t)(nl - buf) + 1 : len;
		/* the record may have spanned lines libcsv never reported: recount */
		p->line = count_newlines(buf, pos);
		p->cr_pending = false;
		restart_csv(p);
	}
	/*
	 * Ending inside quotes is an error only at the end of the file; inside
	 * a file it means the reader cut through a quoted field (after a stray
	 * quote) and the admitting step parses this chunk again with the next.
	 */
	if (c->error == NULL && csv_fini(&p->csv, on_field, on_row, p) != 0) {
		c->unterminated = true;
		c->unterminated_line = p->line;
	}
	csv_free(&p->csv);
	c->lines = p->line;
	p->c = NULL;
}

/*
 * The header is the first record: parse it alone, so the reader knows the
 * columns before any chunk is handed to a worker.
 */
struct header_state {
	char **fields;
	size_t n, cap;
	bool done;
};

static void header_field(void *data, size_t len, void *ctx)
{
	struct header_state *h = ctx;

	if (h->done)
		return;
	h->fields = xgrow(h->fields, &h->cap, h->n + 1, sizeof(char *));
	h->fields[h->n++] = xstrndup(data, len);
}

static void header_row(int term, void *ctx)
{
	struct header_state *h = ctx;

	(void)term;
	if (h->n > 0)
		h->done = true;
}

long chunk_parse_header(const char *buf, size_t len, char ***fields, size_t *nfields)
{
	struct csv_parser csv;
	struct header_state h = {0};
	size_t pos = 0;

	csv_init(&csv, CSV_STRICT);
	/* feed byte by byte: stop right after the header's terminator */
	while (pos < len && !h.done) {
		if (csv_parse(&csv, buf + pos, 1, header_field, header_row, &h) != 1)
			break;
		pos++;
	}
	csv_free(&csv);
	if (!h.done) {
		bool failed = pos < len;
		for (size_t i = 0; i < h.n; i++)
			free(h.fields[i]);
		free(h.fields);
		return failed ? -1 : 0;
	}
	/* swallow the LF of a CRLF */
	if (pos < len && buf[pos] == '\n' && pos > 0 && buf[pos - 1] == '\r')
		pos++;
	*fields = h.fields;
	*nfields = h.n;
	return (long)pos;
}
