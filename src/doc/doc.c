/*
 * doc.c - building and freeing the renderers' document model; see doc.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "util/xalloc.h"

struct doc_table *doc_table_new(const char *label, const char *title, size_t ncols, size_t nrows)
{
	struct doc_table *t = xcalloc(1, sizeof(*t));

	t->label = xstrdup(label ? label : "");
	t->title = xstrdup(title ? title : "");
	t->ncols = ncols;
	t->nrows = nrows;
	t->header = xcalloc(ncols + 1, sizeof(char *));
	t->cells = xcalloc(nrows * ncols + 1, sizeof(*t->cells));
	t->summable = xcalloc(ncols + 1, sizeof(bool));
	for (size_t c = 0; c < ncols; c++)
		t->header[c] = xstrdup("");
	for (size_t i = 0; i < nrows * ncols; i++) {
		t->cells[i].text = xstrdup("");
		t->cells[i].scale = 1;
	}
	return t;
}

struct doc_cell *doc_table_cell(struct doc_table *t, size_t r, size_t c)
{
	return &t->cells[r * t->ncols + c];
}

void doc_set_text(char **slot, const char *s)
{
	free(*slot);
	*slot = xstrdup(s ? s : "");
}

struct doc_block *doc_block_add(struct doc_block **blocks, size_t *n, enum doc_block_kind kind,
				int level)
{
	struct doc_block *b;

	*blocks = xrealloc(*blocks, (*n + 1) * sizeof(**blocks));
	b = &(*blocks)[(*n)++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->level = level;
	return b;
}

void doc_text_set(struct doc_text *t, const char *s)
{
	t->runs = xcalloc(1, sizeof(*t->runs));
	t->runs[0].text = xstrdup(s);
	t->runs[0].flags = 0;
	t->nruns = 1;
}

char *doc_text_join(const struct doc_text *t)
{
	size_t n = 0;
	char *s;

	for (size_t i = 0; i < t->nruns; i++)
		n += strlen(t->runs[i].text ? t->runs[i].text : "");
	s = xmalloc(n + 1);
	n = 0;
	for (size_t i = 0; i < t->nruns; i++) {
		const char *r = t->runs[i].text ? t->runs[i].text : "";
		size_t m = strlen(r);

		memcpy(s + n, r, m);
		n += m;
	}
	s[n] = '\0';
	return s;
}

static void text_release(struct doc_text *t)
{
	for (size_t i = 0; i < t->nruns; i++)
		free(t->runs[i].text);
	free(t->runs);
}

void doc_table_free(struct doc_table *t)
{
	if (t == NULL)
		return;
	for (size_t c = 0; c < t->ncols; c++)
		free(t->header[c]);
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i].text);
	free(t->header);
	free(t->cells);
	free(t->summable);
	free(t->label);
	free(t->title);
	free(t->note);
	free(t);
}

static void strings_free(char **v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

void doc_chart_forget(struct doc_chart *c)
{
	strings_free(c->totals, c->ncat);
	c->totals = NULL;
	for (size_t s = 0; s < c->nseries; s++) {
		strings_free(c->series[s].shares, c->ncat);
		c->series[s].shares = NULL;
		free(c->series[s].head);
		free(c->series[s].head_scaled);
		c->series[s].head = c->series[s].head_scaled = NULL;
	}
	for (int n = 0; n <= DOC_AXIS_MAX - DOC_AXIS_MIN; n++) {
		strings_free(c->axes[n].labels, (size_t)c->axes[n].nticks + 1);
		memset(&c->axes[n], 0, sizeof(c->axes[n]));
	}
}

static void chart_free(struct doc_chart *c)
{
	if (c == NULL)
		return;
	doc_chart_forget(c);
	for (size_t s = 0; s < c->nseries; s++) {
		strings_free(c->series[s].labels, c->ncat);
		free(c->series[s].values);
		free(c->series[s].no_value);
		free(c->series[s].name);
	}
	strings_free(c->categories, c->ncat);
	free(c->series);
	free(c->label);
	free(c->title);
	free(c->unit_label);
	free(c->category_label);
	free(c);
}

static void blocks_free(struct doc_block *blocks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		text_release(&blocks[i].text);
		doc_table_free(blocks[i].table);
		chart_free(blocks[i].chart);
	}
	free(blocks);
}

void doc_free(struct doc *doc)
{
	if (doc == NULL)
		return;
	blocks_free(doc->blocks, doc->nblocks);
	blocks_free(doc->appendix, doc->nappendix);
	for (size_t i = 0; i < doc->nfigures; i++) {
		free(doc->figures[i].expr);
		free(doc->figures[i].format);
		free(doc->figures[i].text);
		free(doc->figures[i].label);
		free(doc->figures[i].unit_label);
	}
	free(doc->figures);
	free(doc->meta.title);
	free(doc->meta.organisation);
	free(doc->meta.author);
	free(doc->meta.subject);
	free(doc->meta.keywords);
	free(doc->meta.date_label);
	for (int r = 0; r < DOC_NFONT_ROLES; r++)
		free(doc->meta.font[r]);
	free(doc->meta.generator);
	free(doc);
}

bool doc_series_no_value(const struct doc_series *s, size_t i)
{
	return s->no_value != NULL && s->no_value[i];
}

void doc_list_marker(const struct doc_block *b, char *buf, size_t len)
{
	if (b->list_number > 0 && b->level <= 1)
		snprintf(buf, len, "%d.", b->list_number);
	else if (b->list_number > 0)
		snprintf(buf, len, "（%d）", b->list_number);
	else
		snprintf(buf, len, "%s", b->level <= 1 ? "●" : "○");
}

const char *doc_font_family(const struct doc_meta *m, enum doc_font_role r)
{
	if (m->font[r] != NULL && m->font[r][0] != '\0')
		return m->font[r];
	return r == DOC_FONT_HEADING1 ? "Noto Sans CJK SC" : "Noto Serif CJK SC";
}
