/*
 * doc_dump.c - the doc as stable text, one node per line; see doc_dump.h.
 *
 * It prints what the doc holds and never computes anything from it (no
 * yuan from fen, no totals): a dump that formatted numbers itself could hide
 * the very differences it is there to show.  It must never depend on
 * pointers, the clock or the locale.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "doc_dump.h"
#include "util/text.h"

/* Indentation: two spaces per level. */
static void indent(FILE *fp, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", fp);
}

/* Length of the UTF-8 sequence a lead byte announces, 0 for no lead byte. */
static size_t lead_len(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/*
 * A string in double quotes, escaped so that it stays on one line whatever
 * it holds (see doc_dump.h); NULL is printed as null.
 */
static void put_str(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i = 0;

	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	len = strlen(s);
	fputc('"', fp);
	while (i < len) {
		unsigned char c = p[i];
		size_t n;

		if (c == '"' || c == '\\') {
			fputc('\\', fp);
			fputc(c, fp);
			i++;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			fputc('\\', fp);
			fputc(c == '\n' ? 'n' : c == '\r' ? 'r' : 't', fp);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(fp, "\\x%02x", c);
			i++;
		} else if (c < 0x80) {
			fputc(c, fp);
			i++;
		} else if ((n = lead_len(c)) == 0 || n > len - i ||
			   utf8_valid_prefix(s + i, n) != n) {
			fprintf(fp, "\\x%02x", c);
			i++;
		} else if (n == 2 && p[i + 1] == 0x85) {
			fputs("\\u0085", fp);
			i += n;
		} else if (n == 3 && c == 0xe2 && p[i + 1] == 0x80 &&
			   (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
			fputs(p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029", fp);
			i += n;
		} else {
			fwrite(s + i, 1, n, fp);
			i += n;
		}
	}
	fputc('"', fp);
}

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

static void put_unit(FILE *fp, enum unit u)
{
	switch (u) {
	case UNIT_COUNT:
		fputs("count", fp);
		return;
	case UNIT_FEN:
		fputs("fen", fp);
		return;
	}
	fprintf(fp, "unit%d", (int)u);
}

static void put_block_kind(FILE *fp, enum doc_block_kind k)
{
	static const char *const names[] = {
	    [DOC_HEADING] = "heading",     [DOC_PARAGRAPH] = "paragraph",
	    [DOC_LIST_ITEM] = "list_item", [DOC_TABLE] = "table",
	    [DOC_CHART] = "chart",         [DOC_PAGE_BREAK] = "page_break",
	};

	if ((unsigned)k < sizeof(names) / sizeof(names[0]) && names[k] != NULL)
		fputs(names[k], fp);
	else
		fprintf(fp, "kind%d", (int)k);
}

/* Chart types by the names templates use for them. */
static void put_chart_type(FILE *fp, enum chart_type t)
{
	static const char *const names[] = {
	    [CHART_BAR] = "bar",   [CHART_HBAR] = "hbar", [CHART_STACKED] = "stacked",
	    [CHART_LINE] = "line", [CHART_PIE] = "pie",   [CHART_DOUGHNUT] = "doughnut",
	};

	if ((unsigned)t < sizeof(names) / sizeof(names[0]) && names[t] != NULL)
		fputs(names[t], fp);
	else
		fprintf(fp, "type%d", (int)t);
}

/* Run flags by name, comma separated; "plain" for none. */
static void put_run_flags(FILE *fp, unsigned flags)
{
	static const struct {
		unsigned flag;
		const char *name;
	} names[] = {
	    {DOC_RUN_BOLD, "bold"},
	    {DOC_RUN_ITALIC, "italic"},
	    {DOC_RUN_FIGURE, "figure"},
	    {DOC_RUN_CODE, "code"},
	};
	const char *sep = "";

	if (flags == 0) {
		fputs("plain", fp);
		return;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].flag) {
			fprintf(fp, "%s%s", sep, names[i].name);
			sep = ",";
			flags &= ~names[i].flag;
		}
	if (flags != 0)
		fprintf(fp, "%s0x%x", sep, flags);
}

static void dump_text(FILE *fp, int depth, const struct doc_text *t)
{
	for (size_t i = 0; i < t->nruns; i++) {
		indent(fp, depth);
		fputs("run ", fp);
		put_str(fp, t->runs[i].text);
		fputc(' ', fp);
		put_run_flags(fp, t->runs[i].flags);
		fputc('\n', fp);
	}
}

/* A table's or chart's caption: "label \"表1\" title \"...\"". */
static void dump_caption(FILE *fp, int depth, const char *label, const char *title)
{
	indent(fp, depth);
	fputs("label ", fp);
	put_str(fp, label);
	fputs(" title ", fp);
	put_str(fp, title);
	fputc('\n', fp);
}

static void dump_cell(FILE *fp, int depth, size_t r, size_t c, const struct doc_cell *cell)
{
	indent(fp, depth);
	fprintf(fp, "cell %zu,%zu ", r, c);
	put_str(fp, cell->text);
	fprintf(fp, " numeric=%s raw=%" PRId64 " unit=", yes(cell->numeric), cell->raw);
	put_unit(fp, cell->unit);
	fprintf(fp, " scale=%" PRId64 " digits=%d den=%" PRId64 "%s%s\n", cell->scale, cell->digits,
		cell->den, cell->code ? " code" : "", cell->no_value ? " no_value" : "");
}

static void dump_table(FILE *fp, int depth, const struct doc_table *t)
{
	indent(fp, depth);
	fprintf(fp, "table cols=%zu rows=%zu has_total=%s\n", t->ncols, t->nrows,
		yes(t->has_total));
	dump_caption(fp, depth + 1, t->label, t->title);
	for (size_t c = 0; c < t->ncols; c++) {
		indent(fp, depth + 1);
		fprintf(fp, "header %zu ", c);
		put_str(fp, t->header ? t->header[c] : NULL);
		fprintf(fp, " summable=%s\n", yes(t->summable && t->summable[c]));
	}
	for (size_t r = 0; r < t->nrows && t->cells; r++)
		for (size_t c = 0; c < t->ncols; c++)
			dump_cell(fp, depth + 1, r, c, &t->cells[r * t->ncols + c]);
	indent(fp, depth + 1);
	fputs("note ", fp);
	put_str(fp, t->note);
	fputc('\n', fp);
}

static void dump_series(FILE *fp, int depth, size_t s, const struct doc_chart *ch)
{
	const struct doc_series *se = &ch->series[s];

	indent(fp, depth);
	fprintf(fp, "series %zu ", s);
	put_str(fp, se->name);
	if (se->color == 0)
		fputs(" color=none", fp);
	else
		fprintf(fp, " color=#%06" PRIx32, se->color);
	fputs(" head=", fp);
	put_str(fp, se->head);
	fputs(" head_scaled=", fp);
	put_str(fp, se->head_scaled);
	fputc('\n', fp);
	for (size_t i = 0; i < ch->ncat; i++) {
		indent(fp, depth + 1);
		fprintf(fp, "value %zu ", i);
		put_str(fp, ch->categories ? ch->categories[i] : NULL);
		fprintf(fp, " raw=%" PRId64 " label=", se->values ? se->values[i] : 0);
		put_str(fp, se->labels ? se->labels[i] : NULL);
		if (se->shares != NULL) {
			fputs(" share=", fp);
			put_str(fp, se->shares[i]);
		}
		if (doc_series_no_value(se, i))
			fputs(" no_value", fp);
		fputc('\n', fp);
	}
}

static void dump_chart(FILE *fp, int depth, const struct doc_chart *ch)
{
	indent(fp, depth);
	fputs("chart ", fp);
	put_chart_type(fp, ch->type);
	fprintf(fp, " categories=%zu series=%zu\n", ch->ncat, ch->nseries);
	dump_caption(fp, depth + 1, ch->label, ch->title);
	indent(fp, depth + 1);
	fputs("unit ", fp);
	put_unit(fp, ch->unit);
	fprintf(fp, " scale=%" PRId64 " unit_label=", ch->scale);
	put_str(fp, ch->unit_label);
	fputs(" category_label=", fp);
	put_str(fp, ch->category_label);
	fputc('\n', fp);
	for (size_t i = 0; i < ch->ncat; i++) {
		indent(fp, depth + 1);
		fprintf(fp, "category %zu ", i);
		put_str(fp, ch->categories ? ch->categories[i] : NULL);
		fputc('\n', fp);
	}
	for (size_t s = 0; s < ch->nseries && ch->series; s++)
		dump_series(fp, depth + 1, s, ch);
	for (size_t i = 0; ch->totals != NULL && i < ch->ncat; i++) {
		indent(fp, depth + 1);
		fprintf(fp, "total %zu ", i);
		put_str(fp, ch->totals[i]);
		fputc('\n', fp);
	}
	if (ch->axes[0].labels == NULL)
		return;
	indent(fp, depth + 1);
	fprintf(fp, "range %.17g %.17g\n", ch->vmin, ch->vmax);
	for (int n = DOC_AXIS_MIN; n <= DOC_AXIS_MAX; n++) {
		const struct doc_axis *a = &ch->axes[n - DOC_AXIS_MIN];

		indent(fp, depth + 1);
		fprintf(fp, "axis %d lo=%.17g hi=%.17g step=%.17g ticks", n, a->lo, a->hi, a->step);
		for (int i = 0; a->labels != NULL && i <= a->nticks; i++) {
			fputc(' ', fp);
			put_str(fp, a->labels[i]);
		}
		fputc('\n', fp);
	}
}

static void dump_block(FILE *fp, size_t i, const struct doc_block *b)
{
	indent(fp, 1);
	fprintf(fp, "block %zu ", i);
	put_block_kind(fp, b->kind);
	fprintf(fp, " level=%d number=%d\n", b->level, b->list_number);
	dump_text(fp, 2, &b->text);
	if (b->table != NULL)
		dump_table(fp, 2, b->table);
	if (b->chart != NULL)
		dump_chart(fp, 2, b->chart);
}

static void dump_field(FILE *fp, const char *name, const char *value)
{
	indent(fp, 1);
	fprintf(fp, "%s ", name);
	put_str(fp, value);
	fputc('\n', fp);
}

/* Each role under its front-matter key, as the officer wrote it. */
static const char *const font_keys[DOC_NFONT_ROLES] = {
    [DOC_FONT_TITLE] = "title_font",       [DOC_FONT_HEADING1] = "heading1_font",
    [DOC_FONT_HEADING2] = "heading2_font", [DOC_FONT_BODY] = "body_font",
    [DOC_FONT_TABLE] = "table_font",
};

static void dump_meta(FILE *fp, const struct doc_meta *m)
{
	time_t t = (time_t)m->created;
	struct tm tm;
	char utc[32] = "";

	fputs("meta\n", fp);
	dump_field(fp, "title", m->title);
	dump_field(fp, "organisation", m->organisation);
	dump_field(fp, "author", m->author);
	dump_field(fp, "subject", m->subject);
	dump_field(fp, "keywords", m->keywords);
	dump_field(fp, "date_label", m->date_label);
	/* the calendar date too, as a reader checks it; UTC, never the local zone */
	if (gmtime_r(&t, &tm) != NULL)
		strftime(utc, sizeof(utc), "%Y-%m-%dT%H:%M:%SZ", &tm);
	indent(fp, 1);
	fprintf(fp, "created %" PRId64 " utc=", m->created);
	put_str(fp, utc);
	fputc('\n', fp);
	indent(fp, 1);
	fprintf(fp, "year %d\n", m->year);
	for (int r = 0; r < DOC_NFONT_ROLES; r++)
		dump_field(fp, font_keys[r], m->font[r]);
	dump_field(fp, "style", m->style == DOC_STYLE_GBT9704 ? "gbt9704" : "compact");
	dump_field(fp, "generator", m->generator);
}

static void dump_figure(FILE *fp, size_t i, const struct doc_figure *f)
{
	indent(fp, 1);
	fprintf(fp, "figure %zu expr=", i);
	put_str(fp, f->expr);
	fputs(" format=", fp);
	put_str(fp, f->format);
	fputs(" text=", fp);
	put_str(fp, f->text);
	fprintf(fp, " raw=%" PRId64 " unit=", f->raw);
	put_unit(fp, f->unit);
	fprintf(fp, " present=%s den=%" PRId64 " digits=%d", yes(f->present), f->den, f->digits);
	fputs(" label=", fp);
	put_str(fp, f->label);
	fputs(" unit_label=", fp);
	put_str(fp, f->unit_label);
	fputc('\n', fp);
}

void doc_dump(FILE *fp, const struct doc *doc)
{
	fputs("civreport-doc 1\n", fp);
	dump_meta(fp, &doc->meta);
	fprintf(fp, "blocks %zu\n", doc->nblocks);
	for (size_t i = 0; i < doc->nblocks; i++)
		dump_block(fp, i, &doc->blocks[i]);
	fprintf(fp, "figures %zu\n", doc->nfigures);
	for (size_t i = 0; i < doc->nfigures; i++)
		dump_figure(fp, i, &doc->figures[i]);
	fprintf(fp, "appendix %zu\n", doc->nappendix);
	for (size_t i = 0; i < doc->nappendix; i++)
		dump_block(fp, i, &doc->appendix[i]);
}

int doc_dump_to(const char *path, const struct doc *doc)
{
	FILE *fp;
	int err;

	if (strcmp(path, "-") == 0) {
		doc_dump(stdout, doc);
		if (fflush(stdout) != 0 || ferror(stdout))
			return -1;
		return 0;
	}
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	doc_dump(fp, doc);
	err = ferror(fp) ? (errno ? errno : EIO) : 0;
	if (fclose(fp) != 0 && err == 0)
		err = errno;
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}
