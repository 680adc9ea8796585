/*
 * run_notes.c - no silent zeros: what a report's figures lack, found in the
 * same pass (see run.h).  A dataset the template uses with no rows in the
 * report's period and area, and a comparison whose base period has none,
 * are each said once: in the log, in the appendix (数据提示) and in the
 * summary line; --strict fails the run on the first kind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "run.h"
#include "doc/report.h"
#include "engine/format.h"
#include "engine/metrics.h"
#include "render/pdf/pdf.h"
#include "render/xlsx/xlsx.h"
#include "util/exitcode.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/*
 * No silent zeros: for every dataset a report's template uses, "<ds>.rows"
 * in the report's area (its --where and --each value), counted in the same
 * pass; none means every figure of it is 0 or "—", which the report says.
 */
size_t *run_register_cover(struct run_state *st, const struct template *t, char *const *where,
			   size_t nwhere)
{
	size_t *cover = xcalloc(st->schema.nsets, sizeof(size_t)), *ids,
	       n = template_handles(t, &ids);

	for (size_t i = 0; i < st->schema.nsets; i++)
		cover[i] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		size_t ds = agg_query(st->agg, ids[i])->ds_index;
		struct query q;
		struct query_error qe;
		char *text;
		bool ok;

		if (cover[ds] != SIZE_MAX)
			continue;
		text = xasprintf("%s.rows", st->schema.sets[ds].name);
		ok = query_parse(&q, &st->schema, text, &st->cli->period, &qe) == 0;
		for (size_t w = 0; ok && w < nwhere; w++)
			ok = query_restrict(&q, &st->schema, where[w], &st->cli->period, &qe) == 0;
		if (ok)
			cover[ds] = agg_add(st->agg, &q);
		else
			query_release(&q);
		free(text);
	}
	free(ids);
	return cover;
}

/* Whether a report of the run already has this note (the log says each once). */
static bool noted(const struct run_state *st, const char *text)
{
	for (size_t i = 0; i < st->nnotes; i++)
		if (strcmp(st->notes[i], text) == 0)
			return true;
	for (size_t b = 0; b < st->nbursts; b++)
		for (size_t i = 0; i < st->bursts[b].nnotes; i++)
			if (strcmp(st->bursts[b].notes[i], text) == 0)
				return true;
	return false;
}

/* Add a note of a report: in the log now (once a run), in its appendix later. */
static void note(const struct run_state *st, char ***notes, size_t *n, char *text)
{
	if (!noted(st, text))
		log_warn("%s", text);
	*notes = xrealloc(*notes, (*n + 1) * sizeof(char *));
	(*notes)[(*n)++] = text;
}

/*
 * After the scan: a dataset of the report with no rows in its period and
 * area, and a comparison (@prev, @last) whose base period has none, each
 * said once, naming the dataset and the period.
 */
void run_check_cover(struct run_state *st, const struct template *t, const size_t *cover,
		     const char *area, char ***notes, size_t *nnotes)
{
	const char *const cmp_name[] = {"", "同比", "环比"};
	size_t *ids, n = template_handles(t, &ids);
	bool *said = xcalloc(st->schema.nsets * 3, sizeof(bool));
	char name[64];

	for (size_t ds = 0; ds < st->schema.nsets; ds++) {
		const struct dataset *d = &st->schema.sets[ds];

		if (cover[ds] == SIZE_MAX || agg_value(st->agg, cover[ds])->value > 0)
			continue;
		format_period_name(&st->cli->period, name, sizeof(name));
		note(st, notes, nnotes,
		     xasprintf("%s%s没有%s（%s）的记录：报告中它的数字都是 0 或“—”，不是实际情况；"
			       "请检查输入目录是否缺少这类文件",
			       area, name, d->title, d->name));
		said[ds * 3] = true;
		st->empty++;
	}
	for (size_t i = 0; i < n; i++) {
		const struct query *q = agg_query(st->agg, ids[i]);
		struct period base;

		if (q->compare == COMPARE_NONE || agg_value(st->agg, ids[i])->present ||
		    said[q->ds_index * 3] || said[q->ds_index * 3 + q->compare])
			continue;
		said[q->ds_index * 3 + q->compare] = true;
		base = query_window(q, &st->cli->period);
		format_period_name(&base, name, sizeof(name));
		note(st, notes, nnotes,
		     xasprintf("%s：%s（%s）在%s没有记录，报告中与它比较的数字（如 %s）显示为“—”",
			       cmp_name[q->compare], st->schema.sets[q->ds_index].title,
			       st->schema.sets[q->ds_index].name, name, q->text));
	}
	free(said);
	free(ids);
}
