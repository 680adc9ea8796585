/*
 * ingest_sheets.c - which worksheets of a workbook hold data; see
 * ingest_book_sheets() in ingest_chunk.h.
 *
 * A workbook an officer saves often holds more than the export: a sheet of
 * notes (填表说明), Excel's empty Sheet2 and Sheet3, a pivot table.  A
 * sheet is data when one of its first rows names a dataset's columns, the
 * rule a CSV's header follows; the others are named, never silently left.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest_chunk.h"
#include "mask.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "book.h"

/* Enough of a sheet for its first rows: as much as a CSV's header may take. */
#define PROBE_BYTES (64u << 10)
#define PROBE_MAX   (1u << 20)

static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0;

	for (const char *p = s; (p = memchr(p, '\n', len - (size_t)(p - s))) != NULL; p++)
		n++;
	return n;
}

/*
 * Whether sheet i's first rows hold a dataset's header (also one with a
 * column missing: reading the sheet then says what is wrong).  *why is
 * what the sheet holds instead, or the error reading it (*broken).
 */
static bool has_header(const struct schema *schema, struct book *wb, size_t i, const char *path,
		       char **why, bool *broken)
{
	struct strbuf rows = STRBUF_INIT;
	const char *at;
	char err[512];
	int rc;
	bool data = false;

	*why = NULL;
	*broken = false;
	if (book_select(wb, i, err, sizeof(err)) != 0) {
		*why = xstrdup(err);
		*broken = true;
		return false;
	}
	do
		rc = book_read(wb, &rows, rows.len + PROBE_BYTES, err, sizeof(err));
	while (rc > 0 && rows.len < PROBE_MAX && count_lines(rows.buf, rows.len) < MAX_LEAD_ROWS);
	if (rc < 0) {
		*why = xstrdup(err);
		*broken = true;
		strbuf_release(&rows);
		return false;
	}
	at = rows.buf ? rows.buf : "";
	for (size_t k = 0; k < MAX_LEAD_ROWS && !data; k++) {
		struct file_plan plan = {0};
		char **fields = NULL, *warning = NULL, *msg;
		size_t nfields = 0;
		bool none_known = true;
		long hlen = chunk_parse_header(at, strlen(at), &fields, &nfields);

		if (hlen <= 0)
			break;
		msg = ingest_recognise(schema, path, fields, nfields, &plan, &warning, &none_known);
		data = msg == NULL || !none_known;
		free(plan.field_col);
		free(warning);
		free(msg);
		for (size_t f = 0; f < nfields; f++)
			free(fields[f]);
		free(fields);
		at += hlen;
	}
	if (!data)
		*why = xstrdup(rows.len == 0 || strspn(rows.buf, "\n") == rows.len
				   ? "空工作表"
				   : "前10行中没有数据集的表头");
	strbuf_release(&rows);
	return data;
}

/* A sheet's name as messages and outputs show it: an ID number in it masked (mask.h). */
static char *shown_name(const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	mask_ids(&sb, name, strlen(name));
	return strbuf_detach(&sb, NULL);
}

static struct ingest_sheet *add(struct ingest_sheet **out, size_t *n, size_t *cap)
{
	*out = xgrow(*out, cap, *n + 1, sizeof(**out));
	memset(&(*out)[*n], 0, sizeof(**out));
	return &(*out)[(*n)++];
}

size_t ingest_book_sheets(const struct schema *schema, const char *full, const char *path,
			  struct ingest_sheet **out)
{
	struct ingest_sheet *e;
	struct strbuf others = STRBUF_INIT;
	char err[512];
	size_t n = 0, cap = 0, nsheets;
	struct book *wb = book_open(full, err, sizeof(err));

	*out = NULL;
	if (wb == NULL) {
		e = add(out, &n, &cap);
		e->index = -1;
		e->error = xstrdup(err);
		return n;
	}
	nsheets = book_nsheets(wb);
	for (size_t i = 0; i < nsheets; i++) {
		const struct book_sheet *sh = book_sheet(wb, i);
		char *why;
		bool broken;

		if (!has_header(schema, wb, i, path, &why, &broken) && !broken) {
			char *name = shown_name(sh->name);

			strbuf_addf(&others, "%s“%s”（%s）", others.len ? "、" : "", name, why);
			free(name);
			free(why);
			continue;
		}
		e = add(out, &n, &cap);
		e->index = (long)i;
		e->name = shown_name(sh->name);
		e->hidden = sh->hidden;
		e->error = why; /* NULL, or why the sheet cannot be read */
	}
	book_close(wb);
	if (n == 0) {
		e = add(out, &n, &cap);
		e->index = -1;
		e->error = nsheets == 0 ? xstrdup("工作簿中没有工作表")
					: xasprintf("没有一个工作表是数据表：%s", others.buf);
	} else if (others.len > 0) {
		log_warn("%s: 工作表%s不是数据表，未读取；若其中有数据，请在前10行中加上表头", path,
			 others.buf);
	}
	strbuf_release(&others);
	return n;
}

void ingest_sheets_free(struct ingest_sheet *sheets, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(sheets[i].name);
		free(sheets[i].error);
	}
	free(sheets);
}
