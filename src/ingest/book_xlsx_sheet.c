/*
 * book_xlsx_sheet.c - one worksheet of an .xlsx streamed as CSV lines
 * (book.h): the sheet part is inflated 256 KiB at a time into expat,
 * each <row> becomes one line when it ends, and the parser is suspended
 * at a row's end once the caller has the bytes it wanted, so memory holds
 * one chunk and one row whatever the sheet's size.
 *
 * The row and column of every cell are checked, never trusted: an r
 * attribute may be missing (the previous one plus one), and a row out of
 * order, a row past 1,048,576 or a column past XFD stops the sheet with
 * the row named rather than putting a value where an officer would not
 * look for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "book_xlsx.h"

enum cell_type {
	CELL_NUMBER, /* t absent or "n" */
	CELL_SHARED, /* "s": an index into the shared strings */
	CELL_INLINE, /* "inlineStr": <is><t> */
	CELL_STR,    /* "str": a formula's text result */
	CELL_BOOL,   /* "b" */
	CELL_ERROR,  /* "e": #DIV/0!, #N/A... */
	CELL_DATE,   /* "d": ISO 8601 text */
	CELL_OTHER,  /* a type no writer should use: its text as is */
};

struct wbx_sheet {
	struct wbx_ctx ctx; /* first: the handlers' user data */
	struct wbx_book *book;
	zip_file_t *zf;
	bool fed_final; /* the final (empty) buffer went to expat */
	bool suspended; /* stopped at a row's end with the caller's bytes */
	bool done;
	bool failed;
	char fail[512]; /* why, repeated to every later read */

	struct strbuf *out; /* the caller's, during a read */
	size_t want;

	bool in_data, in_row, in_cell, in_v, in_is, in_t;
	unsigned rph;      /* inside <rPh> (a phonetic reading): not the value */
	uint32_t last_row; /* the last row written out (lines so far) */
	uint32_t row;      /* the current row, 0 while not known yet */
	uint32_t next_col; /* the column of a cell without r */
	size_t nfields;    /* fields in line so far */
	struct strbuf line;

	enum cell_type type;
	uint32_t col;
	size_t style;
	bool has_f, has_v, has_is;
	struct strbuf val;  /* the <v> or <is> text */
	struct strbuf text; /* the cell's field */
};

/* The row a message names: the current one, or the one that would come next. */
static uint32_t row_for_message(const struct wbx_sheet *s)
{
	return s->row != 0 ? s->row : s->last_row + 1;
}

/* Why n cannot be the current row (set_row). */
static void row_error(struct wbx_sheet *s, uint64_t n, const char *spelled)
{
	char num[24];

	if (spelled == NULL) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)n);
		spelled = num;
	}
	if (n > WBX_MAX_ROW)
		wbx_fail(&s->ctx, "第%.30s行超出了Excel的最大行数（1048576行），文件已损坏",
			 spelled);
	else if (n == 0)
		wbx_fail(&s->ctx, "文件已损坏（工作表里有行号0，行号从1开始）");
	else if (n == s->last_row)
		wbx_fail(&s->ctx, "第%u行在工作表里出现了两次，文件已损坏", s->last_row);
	else
		wbx_fail(&s->ctx, "第%.30s行排在第%u行之后，行的顺序不对，文件已损坏", spelled,
			 s->last_row);
}

/*
 * Make n the current row: later than every row before it, and inside
 * Excel's limit.  spelled is n as the file writes it (n saturates at
 * UINT64_MAX), or NULL.
 */
static bool set_row(struct wbx_sheet *s, uint64_t n, const char *spelled)
{
	if (n == 0 || n > WBX_MAX_ROW || n <= s->last_row) {
		row_error(s, n, spelled);
		return false;
	}
	s->row = (uint32_t)n;
	return true;
}

/* A decimal number of at most 19 digits, or UINT64_MAX; false when s is not all digits. */
static bool parse_uint(const char *s, size_t len, uint64_t *v)
{
	*v = 0;
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v < UINT64_MAX / 100 ? *v * 10 + (uint64_t)(s[i] - '0') : UINT64_MAX;
	}
	return true;
}

static void row_start(struct wbx_sheet *s, const char **atts)
{
	const char *r = wbx_attr(atts, "r");
	uint64_t n;

	if (s->in_row) {
		wbx_fail(&s->ctx, "文件已损坏（第%u行里又开始了一行）", row_for_message(s));
		return;
	}
	s->in_row = true;
	s->row = 0;
	s->next_col = 0;
	s->nfields = 0;
	strbuf_reset(&s->line);
	if (r == NULL)
		return; /* known from its first cell, or the previous row plus one */
	if (!parse_uint(r, strlen(r), &n)) {
		wbx_fail(&s->ctx, "文件已损坏（第%u行的下一行的行号“%.20s”不是数字）", s->last_row,
			 r);
		return;
	}
	set_row(s, n, r);
}

static void row_end(struct wbx_sheet *s)
{
	struct strbuf *out = s->out;
	size_t gap;

	s->in_row = false;
	if (s->row == 0 && !set_row(s, (uint64_t)s->last_row + 1, NULL))
		return;
	/* rows the file leaves out are empty lines, so that line n stays row n */
	gap = s->row - s->last_row - 1;
	strbuf_grow(out, gap + s->line.len + 1);
	memset(out->buf + out->len, '\n', gap);
	out->len += gap;
	strbuf_add(out, s->line.buf != NULL ? s->line.buf : "", s->line.len);
	strbuf_addch(out, '\n');
	s->last_row = s->row;
	s->row = 0;
	if (out->len >= s->want)
		XML_StopParser(s->ctx.parser, XML_TRUE);
}

static enum cell_type cell_type_of(const char *t)
{
	static const struct {
		const char *name;
		enum cell_type type;
	} types[] = {{"n", CELL_NUMBER}, {"s", CELL_SHARED}, {"inlineStr", CELL_INLINE},
		     {"str", CELL_STR},  {"b", CELL_BOOL},   {"e", CELL_ERROR},
		     {"d", CELL_DATE}};

	if (t == NULL)
		return CELL_NUMBER;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(t, types[i].name) == 0)
			return types[i].type;
	return CELL_OTHER;
}

/* The column (and row, when given) of a reference such as "B3". */
static void cell_ref(struct wbx_sheet *s, const char *r)
{
	uint64_t col = 0, n = 0;
	size_t i = 0, len = strlen(r);

	while (i < len && ((r[i] >= 'A' && r[i] <= 'Z') || (r[i] >= 'a' && r[i] <= 'z'))) {
		if (col < WBX_MAX_COL * 27u)
			col = col * 26 + (uint64_t)((r[i] | 0x20) - 'a' + 1);
		i++;
	}
	if (i == 0 || (i < len && !parse_uint(r + i, len - i, &n))) {
		wbx_fail(&s->ctx, "文件已损坏（第%u行的单元格引用“%.20s”无效）", row_for_message(s),
			 r);
		return;
	}
	if (i < len) {
		if (s->row == 0) {
			if (!set_row(s, n, r + i))
				return;
		} else if (n != s->row) {
			wbx_fail(&s->ctx, "文件已损坏（第%u行里有不属于这一行的单元格%.20s）",
				 s->row, r);
			return;
		}
	}
	if (col > WBX_MAX_COL) {
		wbx_fail(&s->ctx, "第%u行的单元格%.20s超出了Excel的最大列XFD，文件已损坏",
			 row_for_message(s), r);
		return;
	}
	if (col - 1 < s->next_col) {
		wbx_fail(&s->ctx,
			 "第%u行的单元格%.20s排在同一行靠右的单元格之后，顺序不对，文件已损坏",
			 row_for_message(s), r);
		return;
	}
	s->col = (uint32_t)(col - 1);
}

static void cell_start(struct wbx_sheet *s, const char **atts)
{
	const char *r = NULL, *st = NULL, *t = NULL;

	/* r, s and t in one pass: this runs for every cell of the sheet */
	for (size_t i = 0; atts[i] != NULL; i += 2) {
		const char *a = atts[i][1] == '\0' ? atts[i] : wbx_local(atts[i]);

		if (a[0] != '\0' && a[1] == '\0') {
			if (a[0] == 'r')
				r = atts[i + 1];
			else if (a[0] == 's')
				st = atts[i + 1];
			else if (a[0] == 't')
				t = atts[i + 1];
		}
	}
	s->in_cell = true;
	s->type = cell_type_of(t);
	s->style = st != NULL ? strtoul(st, NULL, 10) : 0;
	s->has_f = s->has_v = s->has_is = false;
	strbuf_reset(&s->val);
	if (r != NULL) {
		cell_ref(s, r);
		if (s->ctx.failed)
			return;
	} else if (s->next_col >= WBX_MAX_COL) {
		wbx_fail(&s->ctx, "第%u行的单元格超出了Excel的最大列XFD，文件已损坏",
			 row_for_message(s));
		return;
	} else {
		s->col = s->next_col;
	}
	s->next_col = s->col + 1;
	if (s->row == 0)
		set_row(s, (uint64_t)s->last_row + 1, NULL);
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* val without the blanks a pretty-printed file puts around a number, NUL-terminated. */
static const char *trimmed(struct wbx_sheet *s, size_t *len)
{
	char *v;
	size_t n = s->val.len;

	strbuf_grow(&s->val, 1); /* a buffer even for an empty <v/> */
	v = s->val.buf;
	while (n > 0 && blank(v[n - 1]))
		n--;
	v[n] = '\0';
	while (n > 0 && blank(*v)) {
		v++;
		n--;
	}
	*len = n;
	return v;
}

/* Whether v is a decimal number as a <v> holds it: -1.5E-007, 45366, .5 */
static bool plain_number(const char *v)
{
	bool digits = false;

	if (*v == '-' || *v == '+')
		v++;
	for (; *v >= '0' && *v <= '9'; v++)
		digits = true;
	if (*v == '.')
		for (v++; *v >= '0' && *v <= '9'; v++)
			digits = true;
	if (!digits)
		return false;
	if (*v == 'e' || *v == 'E') {
		v++;
		if (*v == '-' || *v == '+')
			v++;
		if (*v < '0' || *v > '9')
			return false;
		while (*v >= '0' && *v <= '9')
			v++;
	}
	return *v == '\0';
}

static bool digits_at(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	return true;
}

static bool hhmmss_at(const char *v, size_t n)
{
	return n >= 8 && digits_at(v, 2) && v[2] == ':' && digits_at(v + 3, 2) && v[5] == ':' &&
	       digits_at(v + 6, 2);
}

/* An ISO 8601 cell (t="d"): the day of a date, HH:MM:SS of a time alone, else as is. */
static void iso_date(struct strbuf *t, const char *v, size_t n)
{
	if (n >= 10 && digits_at(v, 4) && v[4] == '-' && digits_at(v + 5, 2) && v[7] == '-' &&
	    digits_at(v + 8, 2) && (n == 10 || v[10] == 'T' || v[10] == ' '))
		strbuf_add(t, v, 10);
	else if (n > 0 && v[0] == 'T' && hhmmss_at(v + 1, n - 1))
		strbuf_add(t, v + 1, 8);
	else if (hhmmss_at(v, n))
		strbuf_add(t, v, 8);
	else
		strbuf_add(t, v, n);
}

static void number(struct wbx_sheet *s, const char *v, size_t n)
{
	const struct wbx_book *b = s->book;
	char buf[32];
	double d;

	if (!plain_number(v)) {
		strbuf_add(&s->text, v, n); /* not a number after all: the text, for a reject */
		return;
	}
	d = strtod(v, NULL);
	if (!(s->style < b->nxf && b->xf_date[s->style] && book_format_date(d, b->date1904, buf)))
		book_format_number(d, buf);
	strbuf_addstr(&s->text, buf);
}

static void shared_string(struct wbx_sheet *s, const char *v, size_t n)
{
	const struct wbx_book *b = s->book;
	char col[8];
	uint64_t i;

	book_column_name(s->col, col);
	if (!parse_uint(v, n, &i)) {
		wbx_fail(&s->ctx, "文件已损坏（第%u行%s列的共享字符串编号“%.20s”不是数字）", s->row,
			 col, v);
	} else if (i >= b->nsst) {
		if (b->nsst == 0)
			wbx_fail(
			    &s->ctx,
			    "文件已损坏（第%u行%s列引用了共享字符串，但文件里没有共享字符串表）",
			    s->row, col);
		else
			wbx_fail(
			    &s->ctx,
			    "文件已损坏（第%u行%s列引用的共享字符串不存在：编号%.20s，只有%zu个）",
			    s->row, col, v, b->nsst);
	} else {
		strbuf_add(&s->text, b->sst + b->sst_off[i], b->sst_off[i + 1] - b->sst_off[i]);
	}
}

/* The cell's field into s->text (empty for a blank cell). */
static void cell_text(struct wbx_sheet *s)
{
	struct strbuf *t = &s->text;
	const char *v;
	size_t n;

	strbuf_reset(t);
	if (s->type == CELL_INLINE || s->type == CELL_STR || s->type == CELL_OTHER) {
		/* text, spaces kept; a cached empty string (<v></v>) of str is a value */
		if (s->has_v || s->has_is)
			wbx_unescape(t, s->val.buf != NULL ? s->val.buf : "", s->val.len);
		else if (s->has_f)
			strbuf_addstr(t, BOOK_MARK "F");
		return;
	}
	v = trimmed(s, &n);
	if (n == 0) {
		/* a formula never calculated (openpyxl writes <f>..</f><v></v>) */
		if (s->has_f)
			strbuf_addstr(t, BOOK_MARK "F");
		else if (s->type == CELL_ERROR && s->has_v)
			strbuf_addstr(t, BOOK_MARK "E");
		return;
	}
	switch (s->type) {
	case CELL_SHARED:
		shared_string(s, v, n);
		break;
	case CELL_BOOL:
		if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
			strbuf_addstr(t, "TRUE");
		else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
			strbuf_addstr(t, "FALSE");
		else
			strbuf_add(t, v, n);
		break;
	case CELL_ERROR:
		strbuf_addstr(t, BOOK_MARK "E");
		strbuf_add(t, v, n);
		break;
	case CELL_DATE:
		iso_date(t, v, n);
		break;
	default:
		number(s, v, n);
	}
}

static void cell_end(struct wbx_sheet *s)
{
	s->in_cell = false;
	cell_text(s);
	if (s->ctx.failed || s->text.len == 0)
		return; /* a blank cell: a field only if a later cell needs it */
	for (size_t k = s->nfields; k < s->col; k++)
		book_add_field(&s->line, k == 0, "", 0);
	book_add_field(&s->line, s->col == 0, s->text.buf, s->text.len);
	s->nfields = (size_t)s->col + 1;
	if (s->line.len > WBX_MAX_PIECE)
		wbx_fail(&s->ctx, "第%u行超过64 MiB，不是一份导出的数据，文件已损坏", s->row);
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct wbx_sheet *s = ud;
	const char *local = wbx_local(name);

	s->ctx.quiet = 0;
	if (s->ctx.failed)
		return; /* expat may call once more after a stop */
	if (s->in_cell) {
		if (strcmp(local, "v") == 0) {
			s->in_v = s->has_v = true;
		} else if (strcmp(local, "f") == 0) {
			s->has_f = true;
		} else if (strcmp(local, "is") == 0) {
			s->in_is = s->has_is = true;
		} else if (s->in_is && strcmp(local, "rPh") == 0) {
			s->rph++;
		} else if (s->in_is && strcmp(local, "t") == 0) {
			s->in_t = s->rph == 0;
		}
	} else if (s->in_row) {
		if (strcmp(local, "c") == 0)
			cell_start(s, atts);
		else if (strcmp(local, "row") == 0)
			row_start(s, atts); /* fails: a row inside a row */
	} else if (s->in_data) {
		if (strcmp(local, "row") == 0)
			row_start(s, atts);
	} else if (strcmp(local, "sheetData") == 0) {
		s->in_data = true;
	}
}

static void sheet_end(void *ud, const XML_Char *name)
{
	struct wbx_sheet *s = ud;
	const char *local = wbx_local(name);

	s->ctx.quiet = 0;
	if (s->ctx.failed)
		return; /* expat may call once more after a stop */
	if (s->in_cell) {
		if (strcmp(local, "c") == 0)
			cell_end(s);
		else if (strcmp(local, "v") == 0)
			s->in_v = false;
		else if (strcmp(local, "is") == 0)
			s->in_is = false;
		else if (strcmp(local, "rPh") == 0 && s->rph > 0)
			s->rph--;
		else if (strcmp(local, "t") == 0)
			s->in_t = false;
	} else if (s->in_row) {
		if (strcmp(local, "row") == 0)
			row_end(s);
	} else if (s->in_data && strcmp(local, "sheetData") == 0) {
		s->in_data = false;
	}
}

static void sheet_text(void *ud, const XML_Char *text, int len)
{
	struct wbx_sheet *s = ud;

	s->ctx.quiet = 0;
	if (s->ctx.failed || (!s->in_v && !s->in_t))
		return;
	if (s->val.len + (size_t)len > WBX_MAX_PIECE) {
		wbx_fail(&s->ctx, "第%u行有一个超过64 MiB的单元格，不是一份导出的数据，文件已损坏",
			 row_for_message(s));
		return;
	}
	strbuf_add(&s->val, text, (size_t)len);
}

void wbx_sheet_free(struct wbx_sheet *s)
{
	if (s == NULL)
		return;
	if (s->ctx.parser != NULL)
		XML_ParserFree(s->ctx.parser);
	if (s->zf != NULL)
		zip_fclose(s->zf);
	strbuf_release(&s->line);
	strbuf_release(&s->val);
	strbuf_release(&s->text);
	free(s);
}

int wbx_sheet_open(struct wbx_book *book, const char *part, char *err, size_t errlen)
{
	struct wbx_sheet *s;
	zip_file_t *zf;

	wbx_sheet_free(book->sheet);
	book->sheet = NULL;
	zf = wbx_part_open(book->zip, part, err, errlen);
	if (zf == NULL) {
		if (err[0] == '\0')
			snprintf(err, errlen, "文件已损坏（工作表的内容%s不在文件里）", part);
		return -1;
	}
	s = xcalloc(1, sizeof(*s));
	s->book = book;
	s->zf = zf;
	wbx_parser_new(&s->ctx);
	XML_SetElementHandler(s->ctx.parser, sheet_start, sheet_end);
	XML_SetCharacterDataHandler(s->ctx.parser, sheet_text);
	book->sheet = s;
	return 0;
}

int wbx_sheet_read(struct wbx_book *book, struct strbuf *out, size_t want, char *err, size_t errlen)
{
	struct wbx_sheet *s = book->sheet;
	int rc;

	if (s->failed) {
		snprintf(err, errlen, "%s", s->fail);
		return -1;
	}
	if (s->done)
		return 0;
	s->out = out;
	s->want = want;
	do {
		if (s->suspended) {
			enum XML_Status st = XML_ResumeParser(s->ctx.parser);

			if (st == XML_STATUS_ERROR) {
				wbx_xml_error(&s->ctx, err, errlen);
				rc = -1;
			} else {
				rc = st == XML_STATUS_SUSPENDED ? 2 : s->fed_final ? 0 : 1;
			}
		} else {
			rc = wbx_feed(&s->ctx, s->zf, &s->fed_final, err, errlen);
		}
		s->suspended = rc == 2;
	} while (rc == 1);
	s->out = NULL;
	if (rc < 0) {
		s->failed = true;
		snprintf(s->fail, sizeof(s->fail), "%s", err);
		return -1;
	}
	s->done = rc == 0;
	return s->done ? 0 : 1;
}
