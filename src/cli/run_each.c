/*
 * run_each.c - `run --each 区县`: the whole report plus one per value of
 * the column found in the data, from the one pass (see run.h).  Each is the
 * template loaded again with the value as one more filter of every figure;
 * its files go to output/<period>/<value>/, its mail to the addresses
 * [mail.each] gives it, recorded in <value>/mail.json.
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

/* The area level after col in the schema's hierarchy ($sub of a report of one of col's values). */
static const char *level_after(const struct schema *schema, const char *col)
{
	for (size_t i = 0; i + 1 < schema->nlevels; i++)
		if (strcmp(schema->levels[i], col) == 0)
			return schema->levels[i + 1];
	return NULL;
}

/* The --each column: canonical name and allowed values, from the first dataset with it. */
const struct column *run_each_column(const struct run_state *st)
{
	for (size_t i = 0; i < st->schema.nsets; i++) {
		int c = dataset_column(&st->schema.sets[i], st->cli->each);
		if (c >= 0)
			return &st->schema.sets[i].cols[c];
	}
	return NULL;
}

/*
 * [mail.each]: each value named must be one of the --each column's, or
 * the report it means does not exist (a typo would mail nobody, silently).
 */
static int match_routes(struct run_state *st, const struct column *col)
{
	const struct config *cfg = st->cli->cfg;

	for (size_t r = 0; cfg != NULL && r < cfg->nroutes; r++) {
		struct burst *b = NULL;

		for (size_t i = 0; i < st->nbursts && b == NULL; i++)
			if (strcmp(st->bursts[i].value, cfg->routes[r].value) == 0)
				b = &st->bursts[i];
		if (b == NULL) {
			char list[512] = "";
			for (size_t v = 0; v < col->nvalues; v++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
					 v ? "、" : "", col->values[v]);
			log_error("%s:%d: [mail.each] 中的“%s”不是%s的取值（可用：%s）", cfg->path,
				  cfg->routes[r].line, cfg->routes[r].value, col->name, list);
			return EXIT_USAGE;
		}
		b->route = &cfg->routes[r];
	}
	return EXIT_OK;
}

/*
 * --each 区县: the template once more per value of the column, restricted
 * to it, with {area} the value and $sub the next level (乡镇(街道)).  All
 * of them are checked now, before any data is read.
 */
int run_load_bursts(struct run_state *st)
{
	const struct column *col = run_each_column(st);
	const char *why;

	if (col == NULL) {
		log_error("--each %s: 没有哪个数据集有这一列", st->cli->each);
		return EXIT_USAGE;
	}
	if (col->type != COL_ENUM) {
		log_error("--each %s: 只能按选项列（如 区县）分报告；“%s”是%s列", st->cli->each,
			  col->name, col_type_name(col->type));
		return EXIT_USAGE;
	}
	st->bursts = xcalloc(col->nvalues, sizeof(*st->bursts));
	for (size_t v = 0; v < col->nvalues; v++) {
		struct burst *b = &st->bursts[st->nbursts++];
		struct template_scope scope = st->scope;
		struct template_diag *diags = NULL;
		size_t ndiags = 0;

		if ((why = cli_folder_problem(col->values[v])) != NULL) {
			log_error("--each %s: 取值“%s”%s", col->name, col->values[v], why);
			return EXIT_USAGE;
		}
		b->value = xstrdup(col->values[v]);
		b->where = xasprintf("%s=%s", col->name, col->values[v]);
		b->where_all = xcalloc(st->cli->nwhere + 1, sizeof(char *));
		for (size_t w = 0; w < st->cli->nwhere; w++)
			b->where_all[w] = st->cli->where[w];
		b->where_all[st->cli->nwhere] = b->where;
		scope.where = (const char *const *)b->where_all;
		scope.nwhere = st->cli->nwhere + 1;
		scope.area = b->value;
		scope.sub = level_after(&st->schema, col->name);
		scope.burst = true;
		if (template_load(&b->tmpl, st->template_path, &st->schema, &scope, &diags,
				  &ndiags) != 0) {
			template_print_diags(stderr, st->template_path, diags, ndiags);
			log_error("模板 %s 用于 --each %s（%s）时有 %zu 个错误，未读取数据",
				  st->template_path, col->name, b->value, ndiags);
			free(diags);
			return EXIT_USAGE;
		}
	}
	return match_routes(st, col);
}

/*
 * --each: "<dataset>.rows by <column>" for every dataset with the column,
 * counted in the same pass, tell which values have data: only those get a
 * report ("one report per value found in the data").
 */
void run_register_presence(struct run_state *st)
{
	const char *col = run_each_column(st)->name;

	st->presence = xcalloc(st->schema.nsets, sizeof(size_t));
	for (size_t i = 0; i < st->schema.nsets; i++) {
		struct query q;
		struct query_error qe;
		char *text;

		if (dataset_column(&st->schema.sets[i], col) < 0)
			continue;
		text = xasprintf("%s.rows by %s", st->schema.sets[i].name, col);
		if (query_parse(&q, &st->schema, text, &st->cli->period, &qe) == 0)
			st->presence[st->npresence++] = agg_add(st->agg, &q);
		free(text);
	}
}

/* After the scan: which --each values have rows in the period (and --where). */
void run_mark_presence(struct run_state *st)
{
	size_t with = 0;
	struct strbuf none = STRBUF_INIT;

	for (size_t b = 0; b < st->nbursts; b++) {
		struct burst *bu = &st->bursts[b];
		struct agg_key key = {
		    .kind = AGG_KEY_TEXT, .text = bu->value, .len = strlen(bu->value)};

		for (size_t i = 0; i < st->npresence && !bu->has_rows; i++) {
			const struct agg_value *v = agg_value(st->agg, st->presence[i]);
			long g = agg_group_find(v, &key, 1);
			bu->has_rows = g >= 0 && v->groups[g].value > 0;
		}
		if (bu->has_rows)
			with++;
		else
			strbuf_addf(&none, "%s%s", none.len ? "、" : "", bu->value);
	}
	log_info("--each %s: %zu 个取值中 %zu 个有数据，各生成一份报告%s%s", st->cli->each,
		 st->nbursts, with, none.len ? "；没有数据（不生成）：" : "",
		 none.len ? none.buf : "");
	strbuf_release(&none);
}

/* One report of --each: its doc from the shared agg, its files in its folder. */
int run_render_burst(struct run_state *st, struct burst *b)
{
	char *dir = outset_stage_file(&st->set, b->value);
	int rc;

	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		log_error("无法创建 %s/%s：%s", st->outdir, b->value, strerror(errno));
		free(dir);
		return EXIT_IO;
	}
	free(dir);
	b->texts = xcalloc(agg_count(st->agg) + 1, sizeof(char *));
	b->doc = template_build(b->tmpl, st->agg, b->texts);
	report_fill(b->doc, &st->schema, &st->res,
		    &(struct report_source){st->template_path, st->inputs.template_sha256},
		    st->cli->year);
	report_add_notes(b->doc, (const char *const *)b->notes, b->nnotes);
	if ((rc = run_render_files(st, b->tmpl, b->value, b->doc,
				   &(struct run_files){&b->pdf, &b->xlsx, &b->docx})) != EXIT_OK)
		return rc;
	if (run_write_metrics(st, b->tmpl, b->value, &b->metrics, b->texts) != 0) {
		log_error("%s/metrics.json 写入失败：%s", b->value, strerror(errno));
		return EXIT_IO;
	}
	return EXIT_OK;
}

/*
 * A --each report with recipients of its own ([mail.each]): its mail as
 * rendered now, pending, in <value>/mail.json, where each attempt is
 * recorded as the whole report's is in manifest.json.
 */
int run_write_mail_record(struct run_state *st, struct burst *b)
{
	const struct template_meta *meta = template_meta(b->tmpl);
	char *subject = template_fill_mail(b->tmpl, st->agg, "subject");
	char *body = template_fill_mail(b->tmpl, st->agg, "body");
	char *name = run_set_name(b->value, "mail.json");
	char *path = outset_stage_file(&st->set, name);
	int rc = outfile_open_stream(&b->mailrec, path, (mode_t)st->cli->mode);

	b->mail.subject = subject != NULL ? subject : xstrdup(meta->title);
	b->mail.body = body != NULL ? body : xstrdup("附件为本地区的民政工作总结。");
	b->mail.pdf = xstrdup(meta->pdf_name);
	b->mail.xlsx = xstrdup(meta->xlsx_name);
	b->mail.docx = meta->docx_name ? xstrdup(meta->docx_name) : NULL;
	free(path);
	free(name);
	if (rc != 0)
		return -1;
	fputs("{\n", b->mailrec.fp);
	manifest_mail_write(b->mailrec.fp, &b->mail);
	fputs("\n}\n", b->mailrec.fp);
	return 0;
}

int run_commit_bursts(struct run_state *st)
{
	for (size_t i = 0; i < st->nbursts; i++) {
		struct burst *b = &st->bursts[i];
		struct outfile *files[5] = {&b->metrics, &b->xlsx, &b->pdf};
		size_t n = 3;

		if (b->docx.tmp_path != NULL)
			files[n++] = &b->docx;
		if (b->mailrec.tmp_path != NULL)
			files[n++] = &b->mailrec;
		if (b->has_rows && outfile_commit_all(files, n) != 0) {
			log_error("无法写入 %s/%s：%s", st->outdir, b->value, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int run_mail_bursts(struct run_state *st, bool only_pending)
{
	int rc = EXIT_OK;

	for (size_t i = 0; i < st->nbursts; i++) {
		struct burst *b = &st->bursts[i];
		char *dir, *rec;
		struct stat sb;
		int brc = EXIT_OK;

		if (b->route == NULL)
			continue;
		dir = xasprintf("%s/%s", st->outdir, b->value);
		rec = xasprintf("%s/mail.json", dir);
		if (only_pending) {
			/* a report made without its mail record has nothing pending */
			if (stat(rec, &sb) == 0)
				brc = cli_mail_recorded(st->cli, dir, "mail.json", b->route->to,
							b->route->nto, true);
		} else if (!b->has_rows) {
			log_warn("[mail.each] %s: 数据中没有它的记录，没有生成报告，不发送",
				 b->value);
		} else {
			brc = cli_mail_report_to(st->cli, dir, "mail.json", &b->mail, b->route->to,
						 b->route->nto);
		}
		if (brc != EXIT_OK && rc == EXIT_OK)
			rc = brc;
		free(rec);
		free(dir);
	}
	return rc;
}

void run_bursts_release(struct run_state *st)
{
	for (size_t i = 0; i < st->nbursts; i++) {
		struct burst *b = &st->bursts[i];
		struct outfile *files[] = {&b->metrics, &b->xlsx, &b->docx, &b->pdf, &b->mailrec};

		manifest_mail_release(&b->mail);
		for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++)
			if (files[f]->tmp_path != NULL)
				outfile_abort(files[f]);
		doc_free(b->doc);
		for (size_t t = 0; b->texts != NULL && t < agg_count(st->agg); t++)
			free(b->texts[t]);
		free(b->texts);
		if (b->tmpl)
			template_free(b->tmpl);
		for (size_t k = 0; k < b->nnotes; k++)
			free(b->notes[k]);
		free(b->notes);
		free(b->cover);
		free(b->value);
		free(b->where);
		free(b->where_all);
	}
	free(st->bursts);
	free(st->presence);
	st->bursts = NULL;
	st->nbursts = 0;
}
