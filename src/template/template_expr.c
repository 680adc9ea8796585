/*
 * template_expr.c - the expressions of a template: each one parsed once, at
 * load, kept once however often the template uses it, registered once with
 * the aggregate stage, and read back by its handle.
 *
 * The order of first use is the order of registration, which is the order
 * of metrics.json.
 */
#include <stdlib.h>
#include <string.h>

#include "template_impl.h"
#include "util/dict.h"
#include "util/xalloc.h"

size_t tpl_expr_add(struct template *t, struct query *q)
{
	uint32_t i;

	if (t->expr_names == NULL)
		t->expr_names = strdict_new();
	i = strdict_index(t->expr_names, q->text, strlen(q->text));
	if (i < t->nexprs) {
		query_release(q);
		return i;
	}
	t->exprs = xgrow(t->exprs, &t->capexprs, t->nexprs + 1, sizeof(*t->exprs));
	t->exprs[t->nexprs].q = *q;
	t->exprs[t->nexprs].agg_id = 0;
	memset(q, 0, sizeof(*q));
	q->col = -1;
	return t->nexprs++;
}

const struct query *tpl_expr_query(const struct template *t, size_t e)
{
	return &t->exprs[e].q;
}

void tpl_exprs_register(struct template *t, struct agg *agg)
{
	if (t->registered)
		abort(); /* the queries went to the first agg: a second is a bug */
	for (size_t i = 0; i < t->nexprs; i++)
		t->exprs[i].agg_id = agg_add(agg, &t->exprs[i].q);
	t->registered = true;
}

const struct agg_value *tpl_expr_value(const struct template *t, const struct agg *agg, size_t e)
{
	if (e == TPL_NO_EXPR || !t->registered)
		return NULL;
	return agg_value(agg, t->exprs[e].agg_id);
}

size_t template_handles(const struct template *t, size_t **ids)
{
	*ids = xcalloc(t->nexprs + 1, sizeof(size_t));
	for (size_t i = 0; i < t->nexprs; i++)
		(*ids)[i] = t->exprs[i].agg_id;
	return t->nexprs;
}

void tpl_exprs_release(struct template *t)
{
	for (size_t i = 0; i < t->nexprs; i++)
		query_release(&t->exprs[i].q);
	free(t->exprs);
	strdict_free(t->expr_names);
	t->exprs = NULL;
	t->expr_names = NULL;
	t->nexprs = t->capexprs = 0;
}
