/*
 * doc.c - freeing the renderers' document model; see doc.h.
 */
#include <stdlib.h>

#include "doc.h"

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
	free(t->title);
	free(t->note);
	free(t);
}

static void chart_free(struct doc_chart *c)
{
	if (c == NULL)
		return;
	for (size_t s = 0; s < c->nseries; s++) {
		for (size_t i = 0; i < c->ncat; i++)
			free(c->series[s].labels[i]);
		free(c->series[s].labels);
		free(c->series[s].values);
		free(c->series[s].name);
	}
	for (size_t i = 0; i < c->ncat; i++)
		free(c->categories[i]);
	free(c->categories);
	free(c->series);
	free(c->title);
	free(c->unit_label);
	free(c->category_label);
	free(c);
}

void doc_free(struct doc *doc)
{
	if (doc == NULL)
		return;
	for (size_t i = 0; i < doc->nblocks; i++) {
		text_release(&doc->blocks[i].text);
		doc_table_free(doc->blocks[i].table);
		chart_free(doc->blocks[i].chart);
	}
	free(doc->blocks);
	for (size_t i = 0; i < doc->nfigures; i++) {
		free(doc->figures[i].expr);
		free(doc->figures[i].format);
		free(doc->figures[i].text);
	}
	free(doc->figures);
	for (size_t i = 0; i < doc->nfiles; i++) {
		free(doc->files[i].path);
		free(doc->files[i].dataset);
		free(doc->files[i].dataset_title);
		free(doc->files[i].encoding);
	}
	free(doc->files);
	for (size_t i = 0; i < doc->nreasons; i++)
		free(doc->reasons[i].reason);
	free(doc->reasons);
	free(doc->meta.title);
	free(doc->meta.organisation);
	free(doc->meta.author);
	free(doc->meta.subject);
	free(doc->meta.keywords);
	free(doc->meta.date_label);
	free(doc->meta.body_font);
	free(doc->meta.heading_font);
	free(doc->meta.title_font);
	free(doc->template_path);
	free(doc->version);
	free(doc);
}
