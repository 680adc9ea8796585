/*
 * template_runs.c - text with its figures filled in: runs of a paragraph,
 * the plain text of a table cell or a mail, and the record of every figure
 * the text shows (the XLSX 指标 sheet, metrics.json).
 *
 * Soft line breaks of the template join lines the way Chinese is written:
 * nothing between two Chinese characters (an officer wraps long lines in the
 * editor; those breaks must not become spaces), one space between two
 * ASCII words.
 *
 * Never: compute a figure (template_figure.c reads agg's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_impl.h"
#include "util/xalloc.h"

size_t tpl_doc_figure(const struct template *t, struct tpl_record *rec, const struct tpl_fig *f,
		      const struct fig_result *r)
{
	struct doc *doc = rec ? rec->doc : NULL;
	struct doc_figure *d;

	if (doc == NULL || f->kind == FIG_YEAR)
		return SIZE_MAX;
	/*
	 * metrics.json shows an expression as the report first shows it on
	 * its own: not as a number of a 万元/亿元 column, whose unit is the
	 * heading's
	 */
	if (rec->texts != NULL && f->kind == FIG_VALUE && !f->fmt.bare && r->present) {
		size_t id = t->exprs[f->qa].agg_id;

		if (rec->texts[id] == NULL)
			rec->texts[id] = xstrdup(r->text);
	}
	doc->figures = xrealloc(doc->figures, (doc->nfigures + 1) * sizeof(*doc->figures));
	d = &doc->figures[doc->nfigures++];
	d->expr = xstrdup(f->expr);
	d->format = xstrdup(f->format ? f->format : "");
	d->text = xstrdup(r->text);
	d->raw = r->den != 0 ? r->num : r->raw;
	d->unit = r->den != 0 ? UNIT_COUNT : r->unit;
	/* a share or growth rate of a zero base has no number: "—" in the text too */
	d->present = r->present && !(r->den == 0 && tpl_fig_is_rate(f));
	d->den = r->den;
	d->digits = r->digits;
	d->label = xstrdup(f->expr);
	d->unit_label = xstrdup(f->unit_name ? f->unit_name : "");
	return doc->nfigures - 1;
}

/* ---- runs ---- */

/* The code point at s (UTF-8, already validated). */
static uint32_t first_cp(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x80)
		return u[0];
	if (u[0] < 0xe0)
		return (uint32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f);
	if (u[0] < 0xf0)
		return (uint32_t)(u[0] & 0x0f) << 12 | (uint32_t)(u[1] & 0x3f) << 6 | (u[2] & 0x3f);
	return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3f) << 12 |
	       (uint32_t)(u[2] & 0x3f) << 6 | (u[3] & 0x3f);
}

static uint32_t last_cp(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return 0;
	while (n > 0 && ((unsigned char)s[n - 1] & 0xc0) == 0x80)
		n--;
	return n > 0 ? first_cp(s + n - 1) : 0;
}

/* Chinese text and its punctuation (“” — … 、。): no space at a line break. */
static bool is_cjk(uint32_t cp)
{
	return cp >= 0x2000;
}

static bool is_blank(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n';
}

struct runs {
	struct doc_text *out;
	size_t cap;
	bool pending_break;
};

static void run_new(struct runs *rs, const char *s, unsigned flags)
{
	struct doc_text *o = rs->out;

	o->runs = xgrow(o->runs, &rs->cap, o->nruns + 1, sizeof(*o->runs));
	o->runs[o->nruns].text = xstrdup(s);
	o->runs[o->nruns++].flags = flags;
}

static void run_append(struct doc_run *r, const char *s)
{
	size_t n = strlen(r->text), m = strlen(s);

	r->text = xrealloc(r->text, n + m + 1);
	memcpy(r->text + n, s, m + 1);
}

/* A soft break before s: a space only between two non-Chinese characters. */
static void soft_break(struct runs *rs, const char *s, unsigned flags)
{
	struct doc_run *prev = &rs->out->runs[rs->out->nruns - 1];
	uint32_t a = last_cp(prev->text), b = first_cp(s);

	rs->pending_break = false;
	if (is_cjk(a) || is_cjk(b) || is_blank(a) || is_blank(b))
		return;
	if (!(prev->flags & DOC_RUN_FIGURE))
		run_append(prev, " ");
	else
		run_new(rs, " ", flags & ~(unsigned)DOC_RUN_FIGURE);
}

static void emit(struct runs *rs, const char *s, unsigned flags)
{
	struct doc_run *prev;

	if (s[0] == '\0')
		return;
	if (rs->pending_break && rs->out->nruns > 0)
		soft_break(rs, s, flags);
	rs->pending_break = false;
	prev = rs->out->nruns ? &rs->out->runs[rs->out->nruns - 1] : NULL;
	if (prev != NULL && prev->flags == flags && !(flags & DOC_RUN_FIGURE))
		run_append(prev, s);
	else
		run_new(rs, s, flags);
}

/* A figure recorded from a text: which one, and the run that shows it. */
struct placed {
	size_t fig; /* in doc->figures */
	size_t run;
	const struct tpl_fig *f;
};

/*
 * Now that the text is whole: each recorded figure's label is the clause
 * it stands in, and a measure word after it names its unit where the data
 * could not (建设养老驿站35个).
 */
static void label_figures(struct doc *doc, const struct doc_text *out, const struct placed *p,
			  size_t n)
{
	char *text = doc_text_join(out);
	size_t *start = xcalloc(out->nruns + 1, sizeof(*start));

	for (size_t i = 0; i < out->nruns; i++)
		start[i + 1] = start[i] + strlen(out->runs[i].text);
	for (size_t i = 0; i < n; i++) {
		struct doc_figure *d = &doc->figures[p[i].fig];
		size_t at = start[p[i].run], end = start[p[i].run + 1];
		char *label = tpl_figure_label(text, at, end - at);
		const char *word = p[i].f->unit_loose ? tpl_unit_word(text + end) : NULL;

		if (label != NULL) {
			free(d->label);
			d->label = label;
		}
		if (word != NULL) {
			free(d->unit_label);
			d->unit_label = xstrdup(word);
		}
	}
	free(start);
	free(text);
}

void tpl_text_runs(const struct template *t, const struct agg *agg, const struct tpl_text *tx,
		   struct tpl_record *rec, struct doc_text *out)
{
	struct runs rs = {out, 0, false};
	struct placed *placed = NULL;
	size_t nplaced = 0, cap = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < tx->nspans; i++) {
		const struct tpl_span *s = &tx->spans[i];
		struct fig_result r;
		size_t fig;

		switch (s->kind) {
		case SPAN_TEXT:
			emit(&rs, s->text, s->flags);
			break;
		case SPAN_BREAK:
			rs.pending_break = true;
			break;
		case SPAN_FIGURE:
			tpl_fig_eval(t, agg, &t->figs[s->fig], NULL, false, &r);
			emit(&rs, r.text, s->flags | DOC_RUN_FIGURE);
			fig = tpl_doc_figure(t, rec, &t->figs[s->fig], &r);
			if (fig == SIZE_MAX)
				break;
			/* a figure's run is new and never empty ("—" for no data) */
			placed = xgrow(placed, &cap, nplaced + 1, sizeof(*placed));
			placed[nplaced++] = (struct placed){fig, out->nruns - 1, &t->figs[s->fig]};
			break;
		}
	}
	if (nplaced > 0)
		label_figures(rec->doc, out, placed, nplaced);
	free(placed);
}

char *tpl_text_plain(const struct template *t, const struct agg *agg, const struct tpl_text *tx,
		     struct tpl_record *rec)
{
	struct doc_text dt;
	size_t n = 0;
	char *s;

	tpl_text_runs(t, agg, tx, rec, &dt);
	for (size_t i = 0; i < dt.nruns; i++)
		n += strlen(dt.runs[i].text);
	s = xmalloc(n + 1);
	n = 0;
	for (size_t i = 0; i < dt.nruns; i++) {
		size_t m = strlen(dt.runs[i].text);

		memcpy(s + n, dt.runs[i].text, m);
		n += m;
		free(dt.runs[i].text);
	}
	s[n] = '\0';
	free(dt.runs);
	return s;
}
