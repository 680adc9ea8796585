/*
 * scan.c - ingest into aggregate, with rejects and the quality summary; see
 * scan.h.
 */
#include <string.h>

#include "util/exitcode.h"
#include "util/log.h"
#include "ingest/rejects.h"
#include "scan.h"
#include "util/text.h"
#include "util/xalloc.h"

/* One sink for both: rows to the aggregate stage (if any), rejects to rejects.csv (if any). */
struct sink_pair {
	struct agg *agg;
	FILE *rejects;
};

static void pair_row(void *ctx, const struct dataset *ds, const struct ingest_row *row)
{
	struct sink_pair *p = ctx;

	if (p->agg != NULL)
		agg_row(p->agg, ds, row);
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
	struct ingest_sink sink = {.ctx = &pair, .row = pair_row, .reject = pair_reject};
	struct ingest_options io = {
	    .input_dir = opt->input_dir,
	    .year = opt->year,
	    .want_prev = agg != NULL && agg_wants_prev(agg),
	    .threads = opt->threads,
	    .encoding = opt->encoding,
	    .progress = opt->progress,
	};
	const struct ingest_file *worst = NULL;
	double worst_rate = 0;
	int rc;

	rc = ingest_run(schema, &io, &sink, res, err, errlen);
	if (rc < 0)
		return EXIT_IO;
	for (size_t i = 0; i < res->nfiles; i++) {
		const struct ingest_file *f = &res->files[i];
		double rate = f->read ? (double)f->rejected / (double)f->read : 0;

		if (rate > worst_rate) {
			worst_rate = rate;
			worst = f;
		}
	}
	if (rc > 0) {
		snprintf(err, errlen, "有文件无法读取,未生成统计数字(详见上方错误)");
		return EXIT_DATA;
	}
	if (worst != NULL && worst_rate > opt->max_reject_rate) {
		snprintf(err, errlen,
			 "拒收比例过高:%s 拒收 %llu/%llu 行(%.1f%%),超过允许的 %.1f%%;请按 "
			 "rejects.csv 修正数据,或用 --max-reject-rate 调整",
			 worst->path, (unsigned long long)worst->rejected,
			 (unsigned long long)worst->read, worst_rate * 100,
			 opt->max_reject_rate * 100);
		return EXIT_DATA;
	}
	return EXIT_OK;
}

static void pad(FILE *fp, const char *s, size_t width)
{
	size_t w = utf8_display_width(s);

	fputs(s, fp);
	while (w++ < width)
		fputc(' ', fp);
}

void scan_print_quality(FILE *fp, const struct schema *schema, const struct ingest_result *res)
{
	uint64_t tot[4] = {0};
	size_t width = 4;

	for (size_t i = 0; i < res->nfiles; i++)
		if (utf8_display_width(res->files[i].path) > width)
			width = utf8_display_width(res->files[i].path);
	fputs("数据质量:\n", fp);
	pad(fp, "文件", width + 2);
	pad(fp, "数据集", 11);
	pad(fp, "编码", 12);
	/* numbers right-aligned under headings two columns wide per character */
	fputs("      读取      接收      拒收    年度外\n", fp);
	for (size_t i = 0; i < res->nfiles; i++) {
		const struct ingest_file *f = &res->files[i];

		pad(fp, f->path, width + 2);
		fprintf(fp, "%-10s %-12s %9llu %9llu %9llu %9llu%s%s\n", f->ds ? f->ds->name : "?",
			f->encoding[0] ? f->encoding : "-", (unsigned long long)f->read,
			(unsigned long long)f->accepted, (unsigned long long)f->rejected,
			(unsigned long long)f->outside, f->error ? "  错误:" : "",
			f->error ? f->error : "");
	}
	fputs("按数据集合计:\n", fp);
	for (size_t s = 0; s < schema->nsets; s++) {
		uint64_t n[4] = {0};

		for (size_t i = 0; i < res->nfiles; i++) {
			const struct ingest_file *f = &res->files[i];
			if (f->ds != &schema->sets[s])
				continue;
			n[0] += f->read;
			n[1] += f->accepted;
			n[2] += f->rejected;
			n[3] += f->outside;
		}
		fprintf(fp, "  %-10s ", schema->sets[s].name);
		pad(fp, schema->sets[s].title, 18);
		fprintf(fp, "读取 %llu = 接收 %llu + 拒收 %llu + 年度外 %llu%s\n",
			(unsigned long long)n[0], (unsigned long long)n[1],
			(unsigned long long)n[2], (unsigned long long)n[3],
			n[0] == n[1] + n[2] + n[3] ? "" : "  (不平衡!)");
		for (int k = 0; k < 4; k++)
			tot[k] += n[k];
	}
	fprintf(fp, "  合计: 读取 %llu = 接收 %llu + 拒收 %llu + 年度外 %llu\n",
		(unsigned long long)tot[0], (unsigned long long)tot[1], (unsigned long long)tot[2],
		(unsigned long long)tot[3]);
	if (tot[2] > 0) {
		fputs("拒收原因:\n", fp);
		for (int e = 0; e < VALUE_ERROR_COUNT; e++)
			if (res->reasons[e] > 0)
				fprintf(fp, "  %8llu  %s\n", (unsigned long long)res->reasons[e],
					value_reason((enum value_error)e));
	}
}
