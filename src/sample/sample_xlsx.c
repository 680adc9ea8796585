/*
 * sample_xlsx.c - a sample export written as an Excel workbook (civreport
 * sample --format xlsx), the way the bureaus' systems hand out their
 * exports: a title row merged across the columns, the header below it, then
 * the rows, in libxlsxwriter's constant_memory mode (rows streamed to disk
 * as they come, so a million-row sheet costs no more memory than a small
 * one).
 *
 * The rows come in as the CSV lines the CSV sample writes (UTF-8), so the
 * cells are by construction the CSV's fields: every field is a text cell
 * holding the field's value (an ID stays text, as an export that kept the
 * column as text), except the money column, whose plain decimals (1234.50,
 * 1234.5, 1234) become numbers, as in an export that kept amounts as
 * numbers; any other spelling ("1,234.50", 1234.50元, a broken 12O.00)
 * stays text, so a bad row stays bad the same way.
 *
 * A sheet holds at most Excel's 1,048,576 rows: the rows past that go on in
 * a sheet of the same title and header, named "区县(2)", as exporting
 * systems split what does not fit.
 *
 * Determinism: libxlsxwriter 1.1.4 stamps every zip entry 1980-01-01 and
 * core.xml with the properties' created time, pinned here to the start of
 * the year after the data's; its temporary files (one per sheet in
 * constant_memory mode, one per part when packing) go into the output
 * folder, unlinked as soon as opened, never into a shared /tmp.  The
 * workbook itself is written under a hidden temporary name and renamed
 * into place, as the CSV files are (sample_out.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "sample_impl.h"
#include "util/xalloc.h"

/* The data rows a sheet holds: Excel's rows less the title and the header. */
#define XLSX_ROWS_MAX ((long)LXW_ROW_MAX - 2)
#define XLSX_MODE     0644
#define TMP_SUFFIX    ".tmp"
#define WIDTH_MAX     40
#define MONEY_DIGITS  13 /* integer digits of a plain decimal written as a number */

struct sample_xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *title_fmt, *header_fmt, *money_fmt;
	lxw_error lerr;   /* first libxlsxwriter error; sticky */
	const char *what; /* what it was doing then, for the message */
	char *path, *tmp; /* final name, hidden temporary name */
	char *dir;        /* the output folder: libxlsxwriter's temporary files */
	char *sheet_name; /* the first sheet's; the next ones add (2), (3), ... */
	char *title;      /* row 1 of every sheet */
	char **header;    /* the header's fields, row 2 of every sheet */
	int ncols;
	int money_col;   /* written as numbers when plain decimals; -1: none */
	long sheet_rows; /* data rows a sheet holds at most */
	long nsheets;
	long rows;      /* data rows in the current sheet */
	int widths_set; /* the current sheet's column widths are set */
	char *scratch;  /* one field at a time, unquoted and NUL-terminated */
	size_t scratch_cap;
};

static void check(struct sample_xlsx *x, lxw_error e, const char *what)
{
	if (e != LXW_NO_ERROR && x->lerr == LXW_NO_ERROR) {
		x->lerr = e;
		x->what = what;
	}
}

/*
 * The next field of a CSV line at *p (before end), unquoted into the
 * scratch buffer; *p moves past it and its comma, and *more says whether
 * a comma (so another field) followed.  The generator's lines are
 * well-formed: a field is quoted whole or not at all, "" inside quotes.
 */
static const char *next_field(struct sample_xlsx *x, const char **p, const char *end, size_t *len,
			      int *more)
{
	const char *s = *p;
	size_t n = 0;

	x->scratch = xgrow(x->scratch, &x->scratch_cap, (size_t)(end - s) + 1, 1);
	if (s < end && *s == '"') {
		for (s++; s < end; s++) {
			if (*s == '"' && s + 1 < end && s[1] == '"')
				x->scratch[n++] = *s++;
			else if (*s == '"')
				break;
			else
				x->scratch[n++] = *s;
		}
		if (s < end)
			s++; /* the closing quote */
	}
	while (s < end && *s != ',')
		x->scratch[n++] = *s++;
	*more = s < end;
	*p = *more ? s + 1 : s;
	x->scratch[n] = '\0';
	*len = n;
	return x->scratch;
}

/* The line without its line end. */
static const char *line_end(const char *line, size_t n)
{
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	return line + n;
}

/*
 * A plain decimal as the CSV writes amounts (digits, then at most two
 * decimals), in fen; -1 for anything else.
 */
static int64_t plain_fen(const char *s, size_t n)
{
	int64_t yuan = 0, fen = 0;
	size_t i = 0, digits = 0, decimals = 0;

	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		yuan = yuan * 10 + (s[i] - '0');
	if (digits == 0 || digits > MONEY_DIGITS)
		return -1;
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9' && decimals < 2; i++, decimals++)
			fen = fen * 10 + (s[i] - '0');
		if (decimals == 0)
			return -1;
		if (decimals == 1)
			fen *= 10;
	}
	return i == n ? yuan * 100 + fen : -1;
}

/* Columns wide enough for what the first row of a sheet holds (CJK counts two). */
static double text_width(const char *s)
{
	double w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			w += *p >= 0xE0 ? 2 : 1;
	return w;
}

static void set_width(struct sample_xlsx *x, int col, const char *text)
{
	double w = text_width(text);
	double h = text_width(x->header[col]);

	w = (w > h ? w : h) + 2;
	if (w > WIDTH_MAX)
		w = WIDTH_MAX;
	check(x, worksheet_set_column(x->ws, (lxw_col_t)col, (lxw_col_t)col, w, NULL), "列宽");
}

/* A new sheet: the title merged across row 1, the header in row 2. */
static void new_sheet(struct sample_xlsx *x)
{
	char *name;

	x->nsheets++;
	if (x->nsheets == 1)
		name = xstrdup(x->sheet_name);
	else
		name = xasprintf("%s(%ld)", x->sheet_name, x->nsheets);
	x->ws = workbook_add_worksheet(x->wb, name);
	free(name);
	x->rows = 0;
	x->widths_set = 0;
	if (x->ws == NULL) {
		check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "工作表");
		return;
	}
	if (x->ncols > 1)
		check(x,
		      worksheet_merge_range(x->ws, 0, 0, 0, (lxw_col_t)(x->ncols - 1), x->title,
					    x->title_fmt),
		      "标题行");
	else
		check(x, worksheet_write_string(x->ws, 0, 0, x->title, x->title_fmt), "标题行");
	for (int c = 0; c < x->ncols; c++)
		check(x,
		      worksheet_write_string(x->ws, 1, (lxw_col_t)c, x->header[c], x->header_fmt),
		      "表头");
}

struct sample_xlsx *sample_xlsx_open(const struct sample_xlsx_spec *spec, char *err, size_t errlen)
{
	struct sample_xlsx *x = xcalloc(1, sizeof(*x));
	lxw_workbook_options opt = {0};
	lxw_doc_properties props = {0};
	int fd;

	x->path = xasprintf("%s/%s", spec->dir, spec->name);
	x->tmp = xasprintf("%s/.%s.XXXXXX" TMP_SUFFIX, spec->dir, spec->name);
	x->dir = xstrdup(spec->dir);
	x->sheet_name = xstrdup(spec->sheet); /* short: a district's name */
	x->title = xstrdup(spec->title);
	x->money_col = spec->money_col;
	x->sheet_rows = spec->sheet_rows > 0 && spec->sheet_rows < XLSX_ROWS_MAX ? spec->sheet_rows
										 : XLSX_ROWS_MAX;

	/* O_EXCL: a name planted in a shared folder is never written through */
	fd = mkostemps(x->tmp, (int)strlen(TMP_SUFFIX), O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(err, errlen, "无法在 %s 中创建文件 %s：%s", spec->dir, spec->name,
			 strerror(errno));
		free(x->tmp);
		x->tmp = NULL;
		sample_xlsx_discard(x);
		return NULL;
	}
	if (fchmod(fd, XLSX_MODE) != 0 || close(fd) != 0) {
		snprintf(err, errlen, "无法创建文件 %s：%s", x->tmp, strerror(errno));
		sample_xlsx_discard(x);
		return NULL;
	}

	opt.constant_memory = LXW_TRUE;
	opt.tmpdir = x->dir;
	/* Excel 2007 warns about zip64; only a workbook near 4 GB needs it */
	opt.use_zip64 = spec->zip64 ? LXW_TRUE : LXW_FALSE;
	x->wb = workbook_new_opt(x->tmp, &opt);
	if (x->wb == NULL) {
		snprintf(err, errlen, "无法创建工作簿 %s", x->path);
		sample_xlsx_discard(x);
		return NULL;
	}
	x->title_fmt = workbook_add_format(x->wb);
	format_set_bold(x->title_fmt);
	format_set_font_size(x->title_fmt, 14);
	format_set_align(x->title_fmt, LXW_ALIGN_CENTER);
	x->header_fmt = workbook_add_format(x->wb);
	format_set_bold(x->header_fmt);
	x->money_fmt = workbook_add_format(x->wb);
	format_set_num_format(x->money_fmt, "0.00");

	props.title = x->title;
	/* the export was made after the year it holds: no clock */
	props.created = (time_t)sample_days(spec->year + 1, 1, 1) * 86400;
	check(x, workbook_set_properties(x->wb, &props), "文档属性");
	return x;
}

void sample_xlsx_header(struct sample_xlsx *x, const char *line, size_t n)
{
	const char *p = line, *end = line_end(line, n);

	for (int more = 1; more;) {
		size_t len;
		const char *f = next_field(x, &p, end, &len, &more);

		x->header = xrealloc(x->header, (size_t)(x->ncols + 1) * sizeof(*x->header));
		x->header[x->ncols++] = xstrndup(f, len);
	}
	new_sheet(x);
}

void sample_xlsx_row(struct sample_xlsx *x, const char *line, size_t n)
{
	const char *p = line, *end = line_end(line, n);
	lxw_row_t row;

	if (x->lerr != LXW_NO_ERROR || x->ws == NULL)
		return;
	if (x->rows == x->sheet_rows)
		new_sheet(x);
	if (x->lerr != LXW_NO_ERROR)
		return;
	row = (lxw_row_t)(x->rows + 2);
	for (int c = 0, more = 1; more; c++) {
		size_t len;
		const char *f = next_field(x, &p, end, &len, &more);
		int64_t fen = c == x->money_col ? plain_fen(f, len) : -1;

		if (!x->widths_set && c < x->ncols)
			set_width(x, c, f);
		if (fen >= 0)
			check(x,
			      worksheet_write_number(x->ws, row, (lxw_col_t)c, (double)fen / 100.0,
						     x->money_fmt),
			      "金额");
		else if (len > 0)
			check(x, worksheet_write_string(x->ws, row, (lxw_col_t)c, f, NULL),
			      "单元格");
	}
	x->widths_set = 1;
	x->rows++;
}

/* Free everything but the workbook, and remove the temporary file if any. */
static void xlsx_free(struct sample_xlsx *x)
{
	if (x->tmp != NULL)
		unlink(x->tmp);
	for (int c = 0; c < x->ncols; c++)
		free(x->header[c]);
	free(x->header);
	free(x->path);
	free(x->tmp);
	free(x->dir);
	free(x->sheet_name);
	free(x->title);
	free(x->scratch);
	free(x);
}

int sample_xlsx_close(struct sample_xlsx *x, char *err, size_t errlen)
{
	lxw_error e;
	int saved;

	if (x->ws == NULL)
		check(x, LXW_ERROR_PARAMETER_VALIDATION, "缺少表头");
	errno = 0;
	e = workbook_close(x->wb); /* writes the file and frees the workbook */
	saved = errno;
	x->wb = NULL;
	if (x->lerr != LXW_NO_ERROR) {
		e = x->lerr;
		snprintf(err, errlen, "无法写入 %s：%s：%s", x->path, x->what, lxw_strerror(e));
	} else if (e != LXW_NO_ERROR) {
		snprintf(err, errlen, "无法写入 %s：%s%s%s", x->path, lxw_strerror(e),
			 saved ? "：" : "", saved ? strerror(saved) : "");
	} else if (rename(x->tmp, x->path) != 0) {
		snprintf(err, errlen, "无法写入 %s：%s", x->path, strerror(errno));
		e = LXW_ERROR_CREATING_XLSX_FILE;
	} else {
		free(x->tmp);
		x->tmp = NULL; /* in place: nothing to remove */
	}
	xlsx_free(x);
	return e == LXW_NO_ERROR ? 0 : -1;
}

void sample_xlsx_discard(struct sample_xlsx *x)
{
	if (x == NULL)
		return;
	if (x->wb != NULL)
		lxw_workbook_free(x->wb); /* closes its temporary files, writes nothing */
	xlsx_free(x);
}
