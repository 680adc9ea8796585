/*
 * text_table.c - a doc table as aligned plain text; see text_table.h.
 */
#include <stdlib.h>
#include <string.h>

#include "text_table.h"
#include "util/escape.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

#define GAP 2 /* spaces between columns */

static void pad(struct strbuf *line, size_t n)
{
	while (n-- > 0)
		strbuf_addch(line, ' ');
}

/* Display width of s as shown, i.e. escaped. */
static size_t shown_width(const char *s)
{
	char *e = escape_terminal_dup(s);
	size_t w = utf8_display_width(e);

	free(e);
	return w;
}

/* s (escaped) in a column of width w, right-aligned when right. */
static void cell(struct strbuf *line, const char *s, size_t w, bool right)
{
	char *e = escape_terminal_dup(s);
	size_t sw = utf8_display_width(e);
	size_t fill = sw < w ? w - sw : 0;

	if (line->len > 0)
		pad(line, GAP);
	if (right)
		pad(line, fill);
	strbuf_addstr(line, e);
	if (!right)
		pad(line, fill);
	free(e);
}

/* A line of text (title, note), escaped. */
static void put_text(FILE *fp, const char *s, const char *end)
{
	char *e = escape_terminal_dup(s);

	fprintf(fp, "%s%s", e, end);
	free(e);
}

/* The line without the padding of empty cells at its end. */
static void put_line(FILE *fp, struct strbuf *line)
{
	while (line->len > 0 && line->buf[line->len - 1] == ' ')
		line->len--;
	fprintf(fp, "%.*s\n", (int)line->len, line->buf ? line->buf : "");
	line->len = 0;
}

/*
 * A column whose cells are all numbers (the header aside; "—" in the place
 * of a number counts as one) is right-aligned.
 */
static bool numeric_column(const struct doc_table *t, size_t c)
{
	bool any = false;

	for (size_t r = 0; r < t->nrows; r++) {
		const struct doc_cell *x = &t->cells[r * t->ncols + c];

		if (!x->numeric && !x->no_value && x->text[0] != '\0' &&
		    !(t->has_total && r + 1 == t->nrows))
			return false;
		any = any || x->numeric;
	}
	return any;
}

void text_table_print(FILE *fp, const struct doc_table *t)
{
	size_t *w = xcalloc(t->ncols + 1, sizeof(size_t));
	bool *right = xcalloc(t->ncols + 1, sizeof(bool));
	struct strbuf line = STRBUF_INIT;

	if (t->label && t->label[0]) {
		put_text(fp, t->label, " ");
		put_text(fp, t->title ? t->title : "", "：\n");
	} else {
		put_text(fp, t->title ? t->title : "", "：\n");
	}
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = shown_width(t->header[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t cw = shown_width(t->cells[r * t->ncols + c].text);

			if (cw > w[c])
				w[c] = cw;
		}
		right[c] = numeric_column(t, c);
	}
	for (size_t c = 0; c < t->ncols; c++)
		cell(&line, t->header[c], w[c], right[c]);
	put_line(fp, &line);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			cell(&line, t->cells[r * t->ncols + c].text, w[c], right[c]);
		put_line(fp, &line);
	}
	if (t->note && t->note[0])
		put_text(fp, t->note, "\n");
	strbuf_release(&line);
	free(w);
	free(right);
}
