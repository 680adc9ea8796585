/*
 * template_build.c - the document from a loaded template and the finished
 * aggregates: the meta data, every block with its text (template_runs.c),
 * charts and tables (template_layout.c), and the mail texts filled.
 *
 * Never: change the template (build may run more than once), or compute a
 * figure that agg did not (figures are read by expression text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_impl.h"
#include "util/xalloc.h"

/* ---- the document ---- */

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

static void build_meta(const struct template *t, struct doc *doc)
{
	const struct template_meta *m = &t->meta;

	doc->meta.title = dup_or_empty(m->title);
	doc->meta.organisation = dup_or_empty(m->organisation);
	doc->meta.author = dup_or_empty(m->author);
	doc->meta.subject = dup_or_empty(m->subject);
	doc->meta.keywords = dup_or_empty(m->keywords);
	doc->meta.date_label = dup_or_empty(m->date_label);
	doc->meta.year = t->year;
	for (int r = 0; r < DOC_NFONT_ROLES; r++)
		doc->meta.font[r] = dup_or_empty(m->font[r]);
	doc->meta.title_bold = m->title_bold;
	doc->meta.style = m->style;
}

struct doc *template_build(const struct template *t, const struct agg *agg, char **texts)
{
	struct doc *doc = xcalloc(1, sizeof(*doc));
	struct tpl_record rec = {doc, texts};
	int ntables = 0, ncharts = 0;

	build_meta(t, doc);
	doc->blocks = xcalloc(t->nblocks + 1, sizeof(*doc->blocks));
	for (size_t i = 0; i < t->nblocks; i++) {
		const struct tpl_block *tb = &t->blocks[i];
		struct doc_block *b = &doc->blocks[doc->nblocks++];

		b->kind = tb->kind;
		b->level = tb->level;
		b->list_number = tb->list_number;
		tpl_text_runs(t, agg, &tb->text, &rec, &b->text);
		/* captions are numbered in the order a reader meets them */
		if (tb->chart != NULL) {
			b->chart = tpl_chart_build(t, agg, tb->chart);
			b->chart->label = xasprintf("图%d", ++ncharts);
			doc_chart_finish(b->chart);
		}
		if (tb->table != NULL) {
			b->table = tpl_table_build(t, agg, tb->table, &rec);
			free(b->table->label);
			b->table->label = xasprintf("表%d", ++ntables);
		}
	}
	return doc;
}

char *template_fill_mail(const struct template *t, const struct agg *agg, const char *which)
{
	int w = strcmp(which, "subject") == 0 ? 0 : strcmp(which, "body") == 0 ? 1 : -1;

	if (w < 0 || !t->has_mail[w])
		return NULL;
	return tpl_text_plain(t, agg, &t->mail[w], NULL);
}
