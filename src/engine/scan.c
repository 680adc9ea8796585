/*
 * scan.c - ingest into aggregate, with rejects and the quality summary; see
 * scan.h.
 */
#include <stdlib.h>
#include <string.h>

#include "util/exitcode.h"
#include "util/log.h"
#include "ingest/rejects.h"
#include "scan.h"
#include "util/xalloc.h"

/* One sink for both: rows to the aggregate stage (if any), rejects to rejects.csv (if any). */
struct sink_pair {
	struct agg *agg;
	FILE *rejects;
};

/* Shard k's rows go to the aggregate's shard k (agg_shards): ctx is that, or NULL. */
static void pair_row(void *ctx, const struct dataset *ds, const struct ingest_row *row)
{
	if (ctx != NULL)
		agg_shard_row(ctx, ds, row);
}

static void pair_shards(void *ctx, unsigned n, void **ctxs)
{
	struct sink_pair *p = ctx;

	if (p->agg != NULL)
		agg_shards(p->agg, n);
	for (unsigned k = 0; k < n; k++)
		ctxs[k] = p->agg != NULL ? agg_shard(p->agg, k) : NULL;
}

static void pair_reject(void *ctx, const struct ingest_reject *r)
{
	struct sink_pair *p = ctx;

	if (p->rejects != NULL)
		rejects_write(p->rejects, r);
}

int scan_run(const struct schema *schema, struct agg *agg, const struct scan_options *opt,
	     struct ingest_result *res, char *err, size_t errlen)
{
	struct sink_pair pair = {.agg = agg, .rejects = opt->rejects};
	struct ingest_sink sink = {
	    .ctx = &pair, .row = pair_row, .reject = pair_reject, .shards = pair_shards};
	struct ingest_options io = {
	    .input_dir = opt->input_dir,
	    .period = opt->period,
	    .want = agg != NULL ? agg_wants(agg) : 0,
	    .threads = opt->threads,
	    .encoding = opt->encoding,
	    .progress = opt->progress,
	    .cache_dir = opt->cache_dir,
	};
	const struct ingest_file *worst = NULL;
	double worst_rate = 0;
	uint64_t *columns = xcalloc(schema->nsets ? schema->nsets : 1, sizeof(uint64_t));
	int rc;

	/* a chunk from the parse cache decodes only what is read */
	for (size_t s = 0; agg != NULL && s < schema->nsets; s++)
		columns[s] = agg_columns(agg, s);
	io.columns = columns;
	rc = ingest_run(schema, &io, &sink, res, err, errlen);
	free(columns);
	if (rc < 0)
		return EXIT_IO;
	for (size_t i = 0; i < res->nfiles; i++) {
		const struct ingest_file *f = &res->files[i];
		/*
		 * Of the rows that count for the report: the period's and the
		 * rejected (whose period is not to be trusted).  Over every row
		 * read, an export of two years would halve the share of a bad
		 * report year's, and a quarter dilute it four times more.
		 */
		uint64_t base = f->accepted + f->rejected;
		double rate = base ? (double)f->rejected / (double)base : 0;

		if (rate > worst_rate) {
			worst_rate = rate;
			worst = f;
		}
	}
	if (rc > 0) {
		snprintf(err, errlen, "有文件无法读取，未生成统计数字（详见上方错误）");
		return EXIT_DATA;
	}
	if (worst != NULL && worst_rate > opt->max_reject_rate) {
		char *name = ingest_file_label(worst);

		snprintf(
		    err, errlen,
		    "拒收比例过高：%s 在报告期内的 %llu 行与被拒收的行中拒收 %llu 行（%.1f%%），"
		    "超过允许的 %.1f%%；请按 rejects.csv 修正数据，或用 --max-reject-rate 调整",
		    name, (unsigned long long)worst->accepted, (unsigned long long)worst->rejected,
		    worst_rate * 100, opt->max_reject_rate * 100);
		free(name);
		return EXIT_DATA;
	}
	if (agg != NULL) {
		const char *what;

		agg_finish(agg);
		if ((what = agg_overflow(agg)) != NULL) {
			snprintf(err, errlen,
				 "合计超出可计算的范围（超过 92,233,720,368,547,758.07 元或 "
				 "9,223,372,036,854,775,807）：指标 %s；数据中可能有异常的金额或"
				 "数量，未生成报告",
				 what);
			return EXIT_DATA;
		}
	}
	return EXIT_OK;
}
