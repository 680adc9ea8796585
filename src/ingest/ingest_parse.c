/*
 * ingest_parse.c - a worker's half of ingest: one chunk of CSV bytes to
 * typed records and rejects.
 *
 * libcsv calls back per field, so the callbacks only copy the field into a
 * row buffer; all typing happens once per row.  libcsv knows no lines, so the
 * chunk is fed to it one physical line at a time (a line ends at LF, CRLF or
 * a lone CR, all alike): the line where each record starts is then exact,
 * and a record that goes wrong can be re-read from the line after its start.
 *
 * Counting (see ingest.h): every physical line is a blank line, the first
 * line of a record, or a further line of a record whose quoted field holds a
 * line break.  A record may span lines only when it is well formed: one
 * that spans lines and then breaks (a libcsv error, or the wrong number of
 * fields, i.e. a quote left open swallowed the lines after it) is rejected
 * on its first line and parsing restarts on the line after, so no line is
 * ever swallowed.  This is linear: a quote that swallows lines ends at the
 * first lone quote, so the lines strictly inside hold no quote that could
 * open another swallow when they are re-read.
 *
 * This file never touches shared state: a worker owns its chunk until it
 * marks it done.
 */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_chunk.h"
#include "mask.h"
#include "book.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

struct chunk_parser {
	struct csv_parser csv;
	iconv_t cd;
	char *conv;
	size_t conv_cap;
	/* the record being assembled */
	char *row;
	size_t rowlen, rowcap;
	size_t *foff, *flen; /* per field of the record, grown to the widest seen */
	size_t fcap;
	size_t nfields;      /* fields seen */
	bool nonempty;       /* some field holds something */
	bool row_done;       /* libcsv ended a record during the last feed */
	bool check_encoding; /* the chunk had invalid bytes: check each field */
	struct chunk *c;
};

static const unsigned char csv_options = CSV_STRICT | CSV_STRICT_FINI;

/* A record longer than this is not a real export: its quote was left open. */
static size_t max_record_bytes = CHUNK_MAX_RECORD_BYTES;

void chunk_set_max_record_bytes(size_t n)
{
	max_record_bytes = n > 0 ? n : CHUNK_MAX_RECORD_BYTES;
}

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
	free(p->foff);
	free(p->flen);
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
	free(c->seg);
	free(c->dup);
	free(c->counts);
	c->counts = NULL;
	if (c->whole != NULL) {
		chunk_release(c->whole);
		free(c->whole);
		c->whole = NULL;
	}
	free(c->by_shard);
	free(c->shard_from);
	c->dup = NULL;
	c->by_shard = NULL;
	c->shard_from = NULL;
	c->seg = NULL;
	c->seg_len = 0;
	c->rejects = NULL;
	c->recs = NULL;
	c->text = NULL;
	c->data = NULL;
	c->error = NULL;
}

void chunk_hold(struct chunk *c, uint64_t columns)
{
	const struct dataset *ds = c->plan->ds;
	size_t n = 0;

	c->held = columns & (ds->ncols >= 64 ? ~0ull : (1ull << ds->ncols) - 1);
	for (size_t col = 0; col < ds->ncols; col++)
		if (c->held >> col & 1)
			c->place[col] = (unsigned char)n++;
	c->stride = REC_HEAD + n;
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct chunk_parser *p = ctx;

	if (p->nfields == p->fcap) {
		size_t cap = p->fcap;

		p->foff = xgrow(p->foff, &cap, p->nfields + 1, sizeof(size_t));
		p->flen = xrealloc(p->flen, cap * sizeof(size_t));
		p->fcap = cap;
	}
	p->row = xgrow(p->row, &p->rowcap, p->rowlen + len + 1, 1);
	memcpy(p->row + p->rowlen, data, len);
	p->foff[p->nfields] = p->rowlen;
	p->flen[p->nfields] = len;
	p->rowlen += len;
	if (len > 0)
		p->nonempty = true;
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
 * Excel's error values by name; anything else a file calls an error is not
 * shown (a hostile file could put an ID number there).
 */
static const char *excel_error(const char *s, size_t len)
{
	static const char *const known[] = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?",
					    "#NUM!",  "#N/A",    "#SPILL!", "#CALC!"};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i]) == len && memcmp(known[i], s, len) == 0)
			return known[i];
	return "";
}

/*
 * Whether the fields of the row being parsed may stand under other columns
 * than the header says: fewer fields than the header (in a CSV), or a
 * reject for too many fields or a stray quote.  Its fields are then masked whole (mask.h).
 */
static bool row_malformed(const struct chunk_parser *p, enum value_error code)
{
	/* a sheet's row ends at its last cell that holds something: never shifted */
	bool short_row = p->nfields < p->c->plan->nfields && !p->c->plan->workbook;

	return short_row || code == VALUE_COLUMNS || code == VALUE_QUOTE;
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
	const size_t mark = sizeof(BOOK_MARK) - 1;

	for (size_t i = 0; i < n; i++) {
		int col = plan->field_col[i];

		if (col < 0)
			continue;
		field.len = 0;
		if (plan->workbook && p->flen[i] > mark &&
		    memcmp(p->row + p->foff[i], BOOK_MARK, mark) == 0) {
			/* a cell without a value reads as Excel shows it, not as the marker */
			if (p->row[p->foff[i] + mark] == 'E')
				strbuf_addstr(&field, excel_error(p->row + p->foff[i] + mark + 1,
								  p->flen[i] - mark - 1));
			else
				strbuf_addstr(&field, "（公式，无计算结果）");
			csv_append(&out, field.buf, field.len);
			continue;
		}
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
	msg =
	    xasprintf("%s“%s”不是允许的取值，可选：%s", col->name, shown, list.buf ? list.buf : "");
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
	/* the reasons that name their line get it at admission (chunk_reject_reason) */
	if (reason == NULL && code != VALUE_UNCLOSED_QUOTE && code != VALUE_JOINED) {
		const char *what = value_reason(code);
		reason = col >= 0 ? xasprintf("%s：%s", c->plan->ds->cols[col].name, what)
				  : xstrdup(what);
	}
	r->reason = reason;
	r->row = masked_row(p, c->plan, row_malformed(p, code));
}

char *chunk_reject_reason(const struct chunk_reject *r, uint64_t line)
{
	switch (r->code) {
	case VALUE_UNCLOSED_QUOTE:
		return xasprintf("第%llu行的引号没有结束：带引号的字段跨到后面的行后格式不对；"
				 "本行拒收，其后各行已单独读取",
				 (unsigned long long)line);
	case VALUE_JOINED:
		return xasprintf(
		    "文件像是两个导出文件拼接而成：第%llu行是另一个文件的开头（表头或BOM）",
		    (unsigned long long)line);
	default:
		return xstrdup(r->reason ? r->reason : value_reason(r->code));
	}
}

/* Why a field's bytes are not text: VALUE_OK, VALUE_NUL or VALUE_ENCODING. */
static enum value_error field_bytes(const char *f, size_t len)
{
	if (memchr(f, '\0', len) != NULL)
		return VALUE_NUL;
	if (utf8_valid_prefix(f, len) != len || memmem(f, len, "\xEF\xBF\xBD", 3) != NULL)
		return VALUE_ENCODING;
	return VALUE_OK;
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

/*
 * The run dates for which a comparison with today comes out the same: the
 * parse cache (ingest_cache.h) serves a file's parse on another day only
 * when every verdict on a date would be the same then.
 */
static void today_narrow(struct chunk *c, int32_t lo, int32_t hi)
{
	if (lo > c->today_lo)
		c->today_lo = lo;
	if (hi < c->today_hi)
		c->today_hi = hi;
}

/* A date or month after the run's date: a typo (2092 for 2021), never a payment. */
static enum value_error future(struct chunk *c, const struct column *col, int32_t today,
			       char **reason)
{
	/* the reason names the day: it holds for that day alone */
	today_narrow(c, today, today + 1);
	*reason = xasprintf("%s：日期晚于今天（%04d-%02d-%02d）", col->name, (int)(today / 10000),
			    (int)(today / 100 % 100), (int)(today % 100));
	return VALUE_FUTURE;
}

/*
 * A worksheet's cell without a value (workbook.h): a formula saved without
 * its result, or an error value such as #DIV/0!.  VALUE_OK for any other.
 */
static enum value_error cell_without_value(const struct column *col, const char *f, size_t len,
					   char **reason)
{
	size_t m = sizeof(BOOK_MARK) - 1;

	if (len <= m || memcmp(f, BOOK_MARK, m) != 0)
		return VALUE_OK;
	if (f[m] == 'E') {
		*reason = xasprintf("%s：单元格是公式的错误值%s，请修正公式或填入数值", col->name,
				    excel_error(f + m + 1, len - m - 1));
		return VALUE_CELL_ERROR;
	}
	return VALUE_FORMULA;
}

/* Type one field into rec; returns VALUE_OK or why not (and *reason for some). */
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
		if (e == VALUE_OK && (*reason = column_over_max(col, *v)) != NULL)
			e = VALUE_CEILING;
		break;
	case COL_INTEGER:
		e = parse_integer(f, len, col->negative, v);
		if (e == VALUE_OK && (*reason = column_over_max(col, *v)) != NULL)
			e = VALUE_CEILING;
		break;
	case COL_MONTH: {
		int32_t m;
		e = parse_month(f, len, &m);
		*v = m;
		/* m > today / 100 exactly when today < m * 100 */
		if (e == VALUE_OK && m > p->c->plan->today / 100)
			e = future(p->c, col, p->c->plan->today, reason);
		else if (e == VALUE_OK)
			today_narrow(p->c, m * 100, INT32_MAX);
		break;
	}
	case COL_DATE: {
		int32_t d;
		e = parse_date(f, len, &d);
		*v = d;
		if (e == VALUE_OK && d > p->c->plan->today)
			e = future(p->c, col, p->c->plan->today, reason);
		else if (e == VALUE_OK)
			today_narrow(p->c, d, INT32_MAX);
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

static int row_year(const struct chunk *c, const int64_t *rec)
{
	const struct dataset *ds = c->plan->ds;
	int64_t v = chunk_value(c, rec, ds->period);

	return ds->cols[ds->period].type == COL_MONTH ? (int)(v / 100) : (int)(v / 10000);
}

/* The month (1-12) of the row's period column. */
static int row_month(const struct chunk *c, const int64_t *rec)
{
	const struct dataset *ds = c->plan->ds;
	int64_t v = chunk_value(c, rec, ds->period);

	return ds->cols[ds->period].type == COL_MONTH ? (int)(v % 100) : (int)(v / 100 % 100);
}

/* Whether the month (year * 12 + month - 1) lies in p. */
static bool period_has(const struct period *p, int month)
{
	return month >= p->first && month <= p->last;
}

/*
 * A header inside the data: two exports joined (copy a+b, cat).  Its first
 * field starts with a BOM, or at least half of its fields (and two or more)
 * name the dataset's columns.  *same: its columns are the file's, in the
 * file's order, so the rows after it read correctly.  Only asked for a row
 * that is rejected anyway, so the cost never matters.
 */
static bool second_header(const struct chunk_parser *p, const struct file_plan *plan, bool *same)
{
	size_t named = 0, planned = 0, n = p->nfields > plan->nfields ? p->nfields : plan->nfields;
	bool bom = p->nfields > 0 && p->flen[0] >= 3 &&
		   memcmp(p->row + p->foff[0], "\xEF\xBB\xBF", 3) == 0;
	int *map = xcalloc(n ? n : 1, sizeof(int));

	*same = true;
	for (size_t i = 0; i < n; i++) {
		char *name = i < p->nfields ? xstrndup(p->row + p->foff[i], p->flen[i]) : NULL;
		int col = name != NULL ? dataset_column(plan->ds, name) : -1;

		free(name);
		for (size_t j = 0; j < i && col >= 0; j++)
			if (map[j] == col)
				col = -1; /* the same column twice: the first counts, as in the
					     header */
		map[i] = col;
		named += col >= 0;
		planned += i < plan->nfields && plan->field_col[i] >= 0;
		if (col != (i < plan->nfields ? plan->field_col[i] : -1))
			*same = false;
	}
	free(map);
	return bom || (named >= 2 && 2 * named >= planned);
}

/* Reject the record at line, unless it is a second header: then say so. */
static void reject_row(struct chunk_parser *p, uint64_t line, int col, enum value_error code,
		       char *reason)
{
	bool same;

	if (second_header(p, p->c->plan, &same)) {
		free(reason);
		if (!same && p->c->reheader_line == UINT64_MAX)
			p->c->reheader_line = line;
		add_reject(p, line, -1, VALUE_JOINED, NULL);
		return;
	}
	add_reject(p, line, col, code, reason);
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
		for (size_t i = plan->nfields; i < p->nfields; i++)
			if (p->flen[i] > 0) {
				reject_row(
				    p, line, -1, VALUE_COLUMNS,
				    xasprintf(
					"本行有%zu列，多于表头的%zu列（可能有未加引号的逗号）",
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
		if (p->check_encoding && (e = field_bytes(f, len)) != VALUE_OK) {
			reject_row(p, line, col, e, NULL);
			return;
		}
		if (plan->workbook &&
		    (e = cell_without_value(&ds->cols[col], f, len, &reason)) != VALUE_OK) {
			reject_row(p, line, col, e, reason);
			return;
		}
		e = type_field(p, &ds->cols[col], f, len, &rec[REC_HEAD + col], &reason);
		if (e != VALUE_OK) {
			reject_row(p, line, col, e, reason);
			return;
		}
		present |= 1ull << col;
	}
	for (size_t col = 0; col < ds->ncols; col++)
		if (ds->cols[col].required && !(present >> col & 1)) {
			reject_row(p, line, (int)col, VALUE_EMPTY, NULL);
			return;
		}
	year = row_year(p->c, rec);
	if (year > c->max_year)
		c->max_year = year;
	if (year >= INGEST_YEAR_MIN && year < INGEST_YEAR_MIN + INGEST_YEARS)
		c->year_rows[year - INGEST_YEAR_MIN]++;
	/* every valid row, whatever the period: chunk_window() places it */
	rec[REC_SLOT] = 0;
	rec[REC_LINE] = (int64_t)line;
	rec[REC_PRESENT] = (int64_t)present;
	c->nrecs++;
}

void chunk_window(struct chunk *c)
{
	const struct file_plan *plan = c->plan;
	size_t kept = 0;

	for (size_t i = 0; i < c->nrecs; i++) {
		int64_t *rec = c->recs + i * c->stride;
		int year = row_year(c, rec), month = year * 12 + row_month(c, rec) - 1;
		unsigned windows;

		if (month < plan->span_first || month > plan->period.last) {
			c->outside++;
			continue;
		}
		/*
		 * Every row of the span is admitted, in a window or not, so that
		 * duplicates and persons are counted the same whatever figures ask
		 * for; REC_SLOT holds the windows and the year's place in the span,
		 * which keys the duplicate check (persons_mark).
		 */
		windows = (period_has(&plan->period, month) ? WINDOW_CUR : 0) |
			  (period_has(&plan->prev, month) ? WINDOW_PREV : 0) |
			  (period_has(&plan->last, month) ? WINDOW_LAST : 0);
		rec[REC_SLOT] = (int64_t)windows | (int64_t)(year - plan->span_first / 12) << 8;
		if (kept != i)
			memcpy(c->recs + kept * c->stride, rec, c->stride * sizeof(int64_t));
		kept++;
	}
	c->nrecs = kept;
	c->windowed = true;
}

static void reset_row(struct chunk_parser *p)
{
	p->rowlen = 0;
	p->nfields = 0;
	p->nonempty = false;
	p->row_done = false;
}

/* Lines are fed one at a time, so a record can only end at the end of a feed. */
static void on_row(int term, void *ctx)
{
	struct chunk_parser *p = ctx;

	(void)term;
	p->row_done = true;
}

/*
 * GB18030 to UTF-8; an invalid byte becomes U+FFFD.  *bad: where in the
 * output the first one is, or SIZE_MAX.
 */
static const char *convert(struct chunk_parser *p, struct chunk *c, size_t *outlen, size_t *bad)
{
	char *in = c->data, *out;
	size_t inleft = c->len, outleft;

	*bad = SIZE_MAX;
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
		if (outleft < 3) {
			size_t used = (size_t)(out - p->conv);
			p->conv_cap *= 2;
			p->conv = xrealloc(p->conv, p->conv_cap);
			out = p->conv + used;
			outleft = p->conv_cap - used;
		}
		if (*bad == SIZE_MAX)
			*bad = (size_t)(out - p->conv);
		memcpy(out, "\xEF\xBF\xBD", 3);
		out += 3;
		outleft -= 3;
		in++;
		inleft--;
	}
	*outlen = (size_t)(out - p->conv);
	return p->conv;
}

/* Where the physical line starting at pos ends, its LF, CRLF or lone CR included. */
static size_t line_end(const char *buf, size_t pos, size_t len)
{
	while (pos < len) {
		char ch = buf[pos++];

		if (ch == '\n')
			return pos;
		if (ch == '\r')
			return pos < len && buf[pos] == '\n' ? pos + 1 : pos;
	}
	return len;
}

/* Only spaces, tabs and the line end: libcsv reports no record for it. */
static bool blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

static void restart_csv(struct chunk_parser *p)
{
	csv_free(&p->csv);
	csv_init(&p->csv, csv_options);
	reset_row(p);
}

/* The fields of one line on its own, leniently, for the masked row of its reject. */
static void fields_of_line(struct chunk_parser *p, const char *s, size_t n)
{
	struct csv_parser lenient;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	reset_row(p);
	csv_init(&lenient, 0);
	csv_parse(&lenient, s, n, on_field, on_row, p);
	csv_fini(&lenient, on_field, on_row, p);
	csv_free(&lenient);
}

/* More fields than the header is fine when they are empty (Excel's padding). */
static bool fields_fit(const struct chunk_parser *p, const struct file_plan *plan)
{
	if (p->nfields < plan->nfields)
		return false;
	for (size_t i = plan->nfields; i < p->nfields; i++)
		if (p->flen[i] > 0)
			return false;
	return true;
}

/*
 * The record starting at rec_pos (line rec_line) is broken: reject that line
 * alone and return where the next line starts, to parse on from there.
 */
static size_t reread_after(struct chunk_parser *p, const char *buf, size_t len, uint64_t rec_line,
			   size_t rec_pos, enum value_error code)
{
	size_t next = line_end(buf, rec_pos, len);

	p->c->read++;
	fields_of_line(p, buf + rec_pos, next - rec_pos);
	add_reject(p, rec_line, -1, code, NULL);
	restart_csv(p);
	return next;
}

/* The first line holding a bad byte, for the file's warning. */
static void note_bad_bytes(struct chunk *c, uint64_t line, size_t pos, size_t next, size_t bad,
			   size_t nul)
{
	if (c->bad_line == UINT64_MAX && bad >= pos && bad < next)
		c->bad_line = line;
	if (c->nul_line == UINT64_MAX && nul >= pos && nul < next)
		c->nul_line = line;
}

void chunk_parse(struct chunk_parser *p, struct chunk *c)
{
	const char *buf = c->data;
	size_t len = c->len, pos = 0, rec_pos = 0, bad = SIZE_MAX, nul = SIZE_MAX;
	uint64_t line = 0, rec_line = 0;
	bool in_record = false;
	const char *z;

	p->c = c;
	chunk_hold(c, CHUNK_ALL_COLUMNS);
	c->max_year = 0;
	memset(c->year_rows, 0, sizeof(c->year_rows));
	c->read = c->outside = c->blank = c->spanned = c->lines = 0;
	c->bad_line = c->nul_line = c->reheader_line = UINT64_MAX;
	c->today_lo = INT32_MIN;
	c->today_hi = INT32_MAX;
	c->unterminated = false;
	c->windowed = false;
	if (c->plan->encoding == ENC_GB18030) {
		buf = convert(p, c, &len, &bad);
	} else {
		size_t valid = utf8_valid_prefix(buf, len);
		if (valid < len)
			bad = valid;
	}
	z = memchr(buf, '\0', len);
	if (z != NULL)
		nul = (size_t)(z - buf);
	/*
	 * Fields are checked only when the chunk holds something to find; a
	 * U+FFFD (an earlier lossy conversion, or ours) counts, so that a
	 * field's verdict never depends on what else its chunk holds.
	 */
	p->check_encoding =
	    bad != SIZE_MAX || nul != SIZE_MAX || memmem(buf, len, "\xEF\xBF\xBD", 3) != NULL;
	csv_init(&p->csv, csv_options);
	reset_row(p);
	for (;;) {
		size_t next, n;

		if (pos >= len) {
			/* the last line may have no line end */
			if (!in_record || !c->last)
				break;
			if (csv_fini(&p->csv, on_field, on_row, p) != 0) {
				/* a quote open at the end of the file */
				pos = reread_after(p, buf, len, rec_line, rec_pos,
						   VALUE_UNCLOSED_QUOTE);
				line = rec_line + 1;
				in_record = false;
				continue;
			}
			if (!p->row_done)
				break;
		} else {
			next = line_end(buf, pos, len);
			note_bad_bytes(c, line, pos, next, bad, nul);
			if (!in_record) {
				if (blank_line(buf + pos, next - pos)) {
					c->blank++;
					line++;
					pos = next;
					continue;
				}
				rec_line = line;
				rec_pos = pos;
			}
			n = csv_parse(&p->csv, buf + pos, next - pos, on_field, on_row, p);
			if (n != next - pos) {
				if (csv_error(&p->csv) != CSV_EPARSE) {
					c->error = xasprintf("CSV解析失败：%s",
							     csv_strerror(csv_error(&p->csv)));
					break;
				}
				/* a stray quote; after a quoted line break, an open quote */
				pos = reread_after(p, buf, len, rec_line, rec_pos,
						   line > rec_line ? VALUE_UNCLOSED_QUOTE
								   : VALUE_QUOTE);
				line = rec_line + 1;
				in_record = false;
				continue;
			}
			line++;
			pos = next;
		}
		if (!p->row_done) {
			/* inside a quoted field: the record goes on on the next line */
			in_record = true;
			if (pos - rec_pos > max_record_bytes) {
				pos = reread_after(p, buf, len, rec_line, rec_pos,
						   VALUE_UNCLOSED_QUOTE);
				line = rec_line + 1;
				in_record = false;
			}
			continue;
		}
		in_record = false;
		if (line - rec_line > 1 && !fields_fit(p, c->plan)) {
			/* a quote left open swallowed lines: read them again */
			pos = reread_after(p, buf, len, rec_line, rec_pos, VALUE_UNCLOSED_QUOTE);
			line = rec_line + 1;
			continue;
		}
		if (p->nonempty) {
			/* a row of empty fields (",,,," from Excel) is a blank line */
			c->spanned += line - rec_line - 1;
			process_row(p, rec_line);
		} else {
			c->blank += line - rec_line;
		}
		reset_row(p);
	}
	/*
	 * A chunk that is not the file's last may end inside a quoted field:
	 * the reader's cut went through a record (a stray quote upset its
	 * quote count).  The admitting step parses this chunk again with the
	 * next one.
	 */
	if (c->error == NULL && in_record && !c->last)
		c->unterminated = true;
	csv_free(&p->csv);
	c->lines = line;
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
