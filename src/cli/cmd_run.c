/*
 * cmd_run.c - `civreport run`: the whole pipeline for one report year.
 *
 *	schema, template checked  ->  one scan (ingest -> aggregate)
 *	->  doc (template)  ->  PDF, XLSX, metrics.json, rejects.csv
 *
 * Every output is written into a new set folder and the period folder is
 * switched to it only when all of them succeeded (deliver/outset.h), under
 * a lock, so a night run that fails or is killed leaves the previous report
 * intact; a run that fails on its data leaves its rejects in failed/.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "config.h"
#include "deliver/deliver.h"
#include "deliver/manifest.h"
#include "deliver/manifest_mail.h"
#include "util/exitcode.h"
#include "engine/metrics.h"
#include "util/log.h"
#include "deliver/outfile.h"
#include "deliver/outset.h"
#include "util/paths.h"
#include "util/testhook.h"
#include "render/pdf/pdf.h"
#include "ingest/rejects.h"
#include "doc/report.h"
#include "doc/doc_dump.h"
#include "deliver/runlock.h"
#include "engine/format.h"
#include "engine/scan.h"
#include "template/template.h"
#include "util/version.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "render/xlsx/xlsx.h"

/*
 * One report of --each: the whole report's template again, restricted to
 * one value of the column (区县=岳池县), written into its own folder of
 * the set, output/<period>/<value>/.
 */
struct burst {
	char *value;      /* the column's value: the folder's name and {area} */
	char *where;      /* "区县=岳池县" */
	char **where_all; /* --where, then where */
	struct template *tmpl;
	struct doc *doc;
	char **texts; /* by agg handle, as st->texts */
	struct outfile pdf, xlsx, metrics;
	bool has_rows; /* the data has rows of that value: only then a report */
	size_t *cover; /* per dataset: "<ds>.rows" in its area, or SIZE_MAX if unused */
	char **notes;  /* what its reader must know: a dataset with no rows, no base */
	size_t nnotes;
	const struct mail_route *route; /* [mail.each]: its recipients, or NULL */
	struct manifest_mail mail;      /* its mail, recorded in <value>/mail.json */
	struct outfile mailrec;
};

struct run_state {
	struct cli *cli;
	struct schema schema;
	struct template *tmpl;
	char *template_path;
	struct agg *agg;
	struct ingest_result res;
	struct doc *doc;
	char **texts; /* by agg handle: the text the report shows, for metrics.json */
	char *outdir;
	struct runlock lock; /* output/.<year>.lock, beside the set link (outset.h) */
	/* output/.civreport.lock: year = latest, until the year is known */
	struct runlock root_lock;
	struct outfile rejects, metrics, pdf, xlsx, manifest;
	struct outfile dump; /* --dump-doc FILE, anywhere: committed after the set */
	bool locked, root_locked;
	struct manifest_mail mail; /* the report's mail, as the manifest records it */
	struct outset set;         /* output/<year>, and the new set's folder */
	char *scan_error;          /* why the scan failed, for failed/summary.txt */
	char *schema_path;
	char *settings;
	struct manifest_inputs inputs; /* what the manifest records, hashed once */
	struct timespec started;
	struct template_scope scope; /* the report's period and area */
	struct burst *bursts;        /* --each: one per value of the column */
	size_t nbursts;
	size_t *presence; /* --each: per dataset with the column, "<ds>.rows by <col>" */
	size_t npresence;
	size_t *cover; /* the whole report's, as burst.cover */
	char **notes;
	size_t nnotes;
	size_t empty; /* reports' datasets with no rows: --strict fails the run */
};

/* "3 条(见报告附录);": the count of a run's notes for its summary line. */
static const char *notes_count(size_t n)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%zu 条(见报告附录 数据提示);", n);
	return buf;
}

static double elapsed(const struct run_state *st)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - st->started.tv_sec) +
	       (double)(now.tv_nsec - st->started.tv_nsec) / 1e9;
}

static int load_template(struct run_state *st)
{
	struct template_diag *diags = NULL;
	size_t ndiags = 0;
	const char *path;

	st->template_path = st->cli->template_path ? xstrdup(st->cli->template_path)
						   : data_path("annual-summary.md");
	path = st->template_path;
	if (path == NULL) {
		log_error("找不到默认模板 annual-summary.md,请用 --template 指定");
		return EXIT_USAGE;
	}
	if (template_load(&st->tmpl, path, &st->schema, &st->scope, &diags, &ndiags) != 0) {
		template_print_diags(stderr, path, diags, ndiags);
		log_error("模板 %s 有 %zu 个错误,未读取数据", path, ndiags);
		free(diags);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* The area level after col in the schema's hierarchy ($sub of a report of one of col's values). */
static const char *level_after(const struct schema *schema, const char *col)
{
	for (size_t i = 0; i + 1 < schema->nlevels; i++)
		if (strcmp(schema->levels[i], col) == 0)
			return schema->levels[i + 1];
	return NULL;
}

/*
 * A report of one area by --where (区县=岳池县 fixes an area level to one
 * value): {area} is that value, $sub the next level, and it leaves out the
 * whole-report-only parts, as a report of --each does.
 */
static void where_scope(struct run_state *st)
{
	for (size_t w = 0; w < st->cli->nwhere; w++) {
		const char *v = st->cli->where[w], *eq = strchr(v, '=');
		for (size_t i = 0; eq != NULL && i < st->schema.nlevels; i++)
			if (strlen(st->schema.levels[i]) == (size_t)(eq - v) &&
			    strncmp(v, st->schema.levels[i], (size_t)(eq - v)) == 0 &&
			    strpbrk(eq + 1, ",，") == NULL && eq[1] != '\0') {
				st->scope.area = eq + 1;
				st->scope.burst = true;
				st->scope.sub =
				    i + 1 < st->schema.nlevels ? st->schema.levels[i + 1] : NULL;
			}
	}
}

/* The --each column: canonical name and allowed values, from the first dataset with it. */
static const struct column *each_column(const struct run_state *st)
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
			log_error("%s:%d: [mail.each] 中的“%s”不是%s的取值(可用:%s)", cfg->path,
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
static int load_bursts(struct run_state *st)
{
	const struct column *col = each_column(st);
	const char *why;

	if (col == NULL) {
		log_error("--each %s:没有哪个数据集有这一列", st->cli->each);
		return EXIT_USAGE;
	}
	if (col->type != COL_ENUM) {
		log_error("--each %s:只能按选项列(如 区县)分报告;“%s”是%s列", st->cli->each,
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
			log_error("--each %s:取值“%s”%s", col->name, col->values[v], why);
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
			log_error("模板 %s 用于 --each %s(%s)时有 %zu 个错误,未读取数据",
				  st->template_path, col->name, b->value, ndiags);
			free(diags);
			return EXIT_USAGE;
		}
	}
	return match_routes(st, col);
}

static bool exists_in(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat sb;
	int rc = stat(path, &sb);

	free(path);
	return rc == 0;
}

/* The outputs a finished run leaves; all must exist for a run to be skipped. */
static bool outputs_exist(const struct run_state *st)
{
	const struct template_meta *meta = template_meta(st->tmpl);
	const char *names[] = {meta->pdf_name, meta->xlsx_name, "metrics.json", "rejects.csv"};

	char *manifest = xasprintf("%s/manifest.json", st->outdir), **listed = NULL;
	long nlisted = manifest_read_outputs(manifest, &listed);
	bool all = true;

	for (size_t i = 0; all && i < sizeof(names) / sizeof(names[0]); i++)
		all = exists_in(st->outdir, names[i]);
	/* and every file the manifest lists: a --each report's too */
	for (long i = 0; all && i < nlisted; i++)
		all = exists_in(st->outdir, listed[i]);
	for (long i = 0; i < nlisted; i++)
		free(listed[i]);
	free(listed);
	free(manifest);
	return all;
}

/* List the current inputs into st->inputs; false when they can't be read. */
static bool fingerprint(struct run_state *st)
{
	manifest_inputs_release(&st->inputs);
	st->inputs.input_dir = st->cli->input;
	st->inputs.template_path = st->template_path;
	st->inputs.schema_path = st->schema_path;
	st->inputs.settings = st->settings;
	if (st->template_path != NULL && manifest_fingerprint(&st->inputs) == 0)
		return true;
	st->inputs.fingerprint[0] = '\0';
	return false;
}

/* --if-changed: true when the recorded inputs are exactly the current ones. */
static bool up_to_date(struct run_state *st)
{
	char *path;
	bool same;

	if (!fingerprint(st) || !st->cli->if_changed)
		return false;
	path = xasprintf("%s/manifest.json", st->outdir);
	same = outputs_exist(st) && manifest_matches(path, &st->inputs);
	free(path);
	return same;
}

/*
 * year = latest with --if-changed: find the year folder whose manifest was
 * made from exactly these inputs, without reading any data (resolving
 * "latest" itself would mean a pass over all of it), and make it the run's
 * year: open_outputs checks it again under that folder's lock.
 */
static bool latest_up_to_date(struct run_state *st)
{
	struct dirent *de;
	DIR *d;
	bool same = false;

	st->template_path = st->cli->template_path ? xstrdup(st->cli->template_path)
						   : data_path("annual-summary.md");
	if (!fingerprint(st) || (d = opendir(st->cli->output)) == NULL)
		return false;
	while (!same && (de = readdir(d)) != NULL) {
		char *path;
		struct template_diag *diags = NULL;
		size_t ndiags = 0;

		if (strlen(de->d_name) != 4 || strspn(de->d_name, "0123456789") != 4)
			continue;
		path = xasprintf("%s/%s/manifest.json", st->cli->output, de->d_name);
		if (manifest_matches(path, &st->inputs)) {
			st->cli->year = (int)strtol(de->d_name, NULL, 10);
			st->cli->period = st->scope.period = period_year(st->cli->year);
			free(st->outdir);
			st->outdir = xasprintf("%s/%d", st->cli->output, st->cli->year);
			if (template_load(&st->tmpl, st->template_path, &st->schema, &st->scope,
					  &diags, &ndiags) == 0) {
				same = outputs_exist(st);
				template_free(st->tmpl);
				st->tmpl = NULL;
			}
			free(diags);
		}
		free(path);
	}
	closedir(d);
	free(st->template_path);
	st->template_path = NULL;
	return same;
}

/*
 * Make dir and take the run lock dir/name (name NULL: dir/.civreport.lock)
 * into *lock; what names shows the operator.  EXIT_OK, EXIT_LOCKED or EXIT_IO.
 */
static int take_lock(struct run_state *st, struct runlock *lock, bool *held, const char *dir,
		     const char *name, const char *what)
{
	pid_t holder = 0;
	int rc;

	if (make_dirs(dir) != 0) {
		log_error("无法创建输出目录 %s:%s", dir, strerror(errno));
		return EXIT_IO;
	}
	rc = name != NULL ? runlock_acquire_named(lock, dir, name, st->cli->wait_seconds, &holder)
			  : runlock_acquire(lock, dir, st->cli->wait_seconds, &holder);
	if (rc == 1) {
		log_error("另一个 civreport(进程 %ld)正在生成 %s,本次退出;可用 --wait 秒数 等待",
			  (long)holder, what);
		return EXIT_LOCKED;
	}
	if (rc != 0) {
		log_error("无法锁定输出目录 %s:%s", what, strerror(errno));
		return EXIT_IO;
	}
	*held = true;
	return EXIT_OK;
}

/* The year's output set and its lock, output/.<year>.lock (outset.h). */
static int lock_year(struct run_state *st)
{
	char *period = cli_set_folder(st->cli);

	free(st->outdir);
	st->outdir = xasprintf("%s/%s", st->cli->output, period);
	if (st->set.path == NULL)
		outset_init(&st->set, st->cli->output, period);
	free(period);
	if (st->locked)
		return EXIT_OK;
	return take_lock(st, &st->lock, &st->locked, st->cli->output, st->set.lockname, st->outdir);
}

/*
 * The lock comes before anything is read (the template, a manifest, data),
 * so a second run gives up at once instead of after minutes of work: the
 * year's folder, or with year = latest, whose year only the data tell, the
 * output folder itself until then (open_outputs adds the year's).
 */
static int lock_first(struct run_state *st)
{
	if (st->cli->year_latest)
		return take_lock(st, &st->root_lock, &st->root_locked, st->cli->output, NULL,
				 st->cli->output);
	return lock_year(st);
}

static int open_outputs(struct run_state *st)
{
	mode_t mode = (mode_t)st->cli->mode;
	char *path;
	int rc;

	if ((rc = lock_year(st)) != EXIT_OK)
		return rc;
	if (outset_recover(&st->set) != 0) {
		log_error("无法读取输出目录 %s:%s", st->cli->output, strerror(errno));
		return EXIT_IO;
	}
	if (up_to_date(st))
		return -1;
	if (outset_begin(&st->set) != 0) {
		log_error("无法在 %s 中为 %s 创建新的输出目录:%s", st->cli->output, st->outdir,
			  strerror(errno));
		return EXIT_IO;
	}
	path = outset_stage_file(&st->set, "rejects.csv");
	rc = outfile_open_stream(&st->rejects, path, mode);
	free(path);
	if (rc != 0) {
		log_error("无法写入 %s:%s", st->outdir, strerror(errno));
		return EXIT_IO;
	}
	rejects_begin(st->rejects.fp);
	testhook_point("locked");
	return EXIT_OK;
}

/*
 * No silent zeros: for every dataset a report's template uses, "<ds>.rows"
 * in the report's area (its --where and --each value), counted in the same
 * pass; none means every figure of it is 0 or "—", which the report says.
 */
static const char *d_title(const struct schema *schema, size_t ds)
{
	return schema->sets[ds].title;
}

static size_t *register_cover(struct run_state *st, const struct template *t, char *const *where,
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
static void check_cover(struct run_state *st, const struct template *t, const size_t *cover,
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
			       cmp_name[q->compare], d_title(&st->schema, q->ds_index),
			       st->schema.sets[q->ds_index].name, name, q->text));
	}
	free(said);
	free(ids);
}

/*
 * --each: "<dataset>.rows by <column>" for every dataset with the column,
 * counted in the same pass, tell which values have data: only those get a
 * report ("one report per value found in the data").
 */
static void register_presence(struct run_state *st)
{
	const char *col = each_column(st)->name;

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
static void mark_presence(struct run_state *st)
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
	log_info("--each %s:%zu 个取值中 %zu 个有数据,各生成一份报告%s%s", st->cli->each,
		 st->nbursts, with, none.len ? ";没有数据(不生成):" : "", none.len ? none.buf : "");
	strbuf_release(&none);
}

static int scan(struct run_state *st)
{
	struct scan_options so = {
	    .input_dir = st->cli->input,
	    .encoding = st->cli->encoding,
	    .period = st->cli->period,
	    .threads = st->cli->threads,
	    .progress = st->cli->progress,
	    .rejects = st->rejects.fp,
	    .max_reject_rate = st->cli->max_reject_rate,
	};
	char err[1024];
	int rc;

	st->agg = agg_new(&st->schema, &st->cli->period);
	if (st->nbursts > 0)
		agg_partition(st->agg, each_column(st)->name);
	template_register(st->tmpl, st->agg);
	for (size_t i = 0; i < st->nbursts; i++)
		template_register(st->bursts[i].tmpl, st->agg);
	if (st->nbursts > 0)
		register_presence(st);
	st->cover = register_cover(st, st->tmpl, st->cli->where, st->cli->nwhere);
	for (size_t i = 0; i < st->nbursts; i++)
		st->bursts[i].cover = register_cover(st, st->bursts[i].tmpl,
						     st->bursts[i].where_all, st->cli->nwhere + 1);
	log_info("读取 %s(%d年),%zu 个指标", st->cli->input, st->cli->year, agg_count(st->agg));
	rc = scan_run(&st->schema, st->agg, &so, &st->res, err, sizeof(err));
	if (rc != EXIT_IO && !st->cli->quiet)
		cli_print_quality(stderr, &st->schema, &st->res);
	if (rc != EXIT_OK) {
		log_error("%s", err);
		st->scan_error = xstrdup(err);
		return rc;
	}
	if (st->nbursts > 0)
		mark_presence(st);
	check_cover(st, st->tmpl, st->cover, template_meta(st->tmpl)->area, &st->notes,
		    &st->nnotes);
	for (size_t i = 0; i < st->nbursts; i++)
		if (st->bursts[i].has_rows)
			check_cover(st, st->bursts[i].tmpl, st->bursts[i].cover,
				    st->bursts[i].value, &st->bursts[i].notes,
				    &st->bursts[i].nnotes);
	if (st->cli->strict && st->empty > 0) {
		st->scan_error =
		    xasprintf("--strict:%zu 个数据集在报告期和地区内没有记录(见上)", st->empty);
		log_error("%s", st->scan_error);
		return EXIT_DATA;
	}
	return EXIT_OK;
}

/* A file name of the set: name, or dir/name for a --each report (dir NULL: the whole one). */
static char *set_name(const char *dir, const char *name)
{
	return dir != NULL ? xasprintf("%s/%s", dir, name) : xstrdup(name);
}

/* metrics.json of one report: the figures of its template only (--each shares the agg). */
static int write_metrics(struct run_state *st, const struct template *t, const char *dir,
			 struct outfile *out, char **texts)
{
	char *name = set_name(dir, "metrics.json");
	char *path = outset_stage_file(&st->set, name);
	int rc = outfile_open_stream(out, path, (mode_t)st->cli->mode);
	size_t *ids, n;

	free(path);
	free(name);
	if (rc != 0)
		return -1;
	n = template_handles(t, &ids);
	metrics_write_json(out->fp, st->agg, ids, n, &st->cli->year, texts);
	free(ids);
	return 0;
}

/*
 * --dump-doc: to standard output at once, or to a file that, like the
 * outputs, appears whole and with their mode only when the run succeeds.
 */
static int dump_doc(struct run_state *st)
{
	if (strcmp(st->cli->dump_doc, "-") == 0)
		return doc_dump_to("-", st->doc);
	if (outfile_open_stream(&st->dump, st->cli->dump_doc, (mode_t)st->cli->mode) != 0)
		return -1;
	doc_dump(st->dump.fp, st->doc);
	return 0;
}

/* The PDF and the XLSX of one report's doc, into the set (dir: a --each report's folder). */
static int render_files(struct run_state *st, const struct template *t, const char *dir,
			const struct doc *doc, struct outfile *pdf, struct outfile *xlsx)
{
	const struct template_meta *meta = template_meta(t);
	mode_t mode = (mode_t)st->cli->mode;
	char err[512], *name, *path;

	name = set_name(dir, meta->pdf_name);
	path = outset_stage_file(&st->set, name);
	if (outfile_begin(pdf, path, mode) != 0 ||
	    pdf_render(doc, pdf->tmp_path, err, sizeof(err)) != 0) {
		log_error("PDF 生成失败(%s/%s):%s", st->outdir, name,
			  pdf->tmp_path ? err : strerror(errno));
		free(path);
		free(name);
		return EXIT_IO;
	}
	free(path);
	free(name);
	name = set_name(dir, meta->xlsx_name);
	path = outset_stage_file(&st->set, name);
	if (outfile_begin(xlsx, path, mode) != 0 ||
	    xlsx_render(doc, xlsx->tmp_path, err, sizeof(err)) != 0) {
		log_error("XLSX 生成失败(%s/%s):%s", st->outdir, name,
			  xlsx->tmp_path ? err : strerror(errno));
		free(path);
		free(name);
		return EXIT_IO;
	}
	free(path);
	free(name);
	return EXIT_OK;
}

/* One report of --each: its doc from the shared agg, its files in its folder. */
static int render_burst(struct run_state *st, struct burst *b)
{
	char *dir = outset_stage_file(&st->set, b->value);
	int rc;

	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		log_error("无法创建 %s/%s:%s", st->outdir, b->value, strerror(errno));
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
	if ((rc = render_files(st, b->tmpl, b->value, b->doc, &b->pdf, &b->xlsx)) != EXIT_OK)
		return rc;
	if (write_metrics(st, b->tmpl, b->value, &b->metrics, b->texts) != 0) {
		log_error("%s/metrics.json 写入失败:%s", b->value, strerror(errno));
		return EXIT_IO;
	}
	return EXIT_OK;
}

static int render(struct run_state *st)
{
	int rc;

	st->texts = xcalloc(agg_count(st->agg) + 1, sizeof(char *));
	st->doc = template_build(st->tmpl, st->agg, st->texts);
	report_fill(st->doc, &st->schema, &st->res,
		    &(struct report_source){st->template_path, st->inputs.template_sha256},
		    st->cli->year);
	report_add_notes(st->doc, (const char *const *)st->notes, st->nnotes);
	if (st->cli->dump_doc != NULL && dump_doc(st) != 0) {
		log_error("无法写入文档模型 %s:%s", st->cli->dump_doc, strerror(errno));
		return EXIT_IO;
	}
	if ((rc = render_files(st, st->tmpl, NULL, st->doc, &st->pdf, &st->xlsx)) != EXIT_OK)
		return rc;
	if (write_metrics(st, st->tmpl, NULL, &st->metrics, st->texts) != 0) {
		log_error("metrics.json 写入失败:%s", strerror(errno));
		return EXIT_IO;
	}
	for (size_t i = 0; i < st->nbursts; i++)
		if (st->bursts[i].has_rows && (rc = render_burst(st, &st->bursts[i])) != EXIT_OK)
			return rc;
	return EXIT_OK;
}

/*
 * The report's mail as the manifest records it, pending: the subject and
 * body rendered now from the template's mail_subject and mail_body (a
 * resend later sends these, not a generic text), and the files' names.
 */
static void prepare_mail(struct run_state *st)
{
	const struct template_meta *meta = template_meta(st->tmpl);
	char *subject = template_fill_mail(st->tmpl, st->agg, "subject");
	char *body = template_fill_mail(st->tmpl, st->agg, "body");

	st->mail.subject = subject != NULL ? subject : xstrdup(meta->title);
	st->mail.body = body != NULL ? body : xstrdup("附件为本年度民政工作总结。");
	st->mail.pdf = xstrdup(meta->pdf_name);
	st->mail.xlsx = xstrdup(meta->xlsx_name);
	st->inputs.mail = &st->mail;
}

/*
 * A --each report with recipients of its own ([mail.each]): its mail as
 * rendered now, pending, in <value>/mail.json, where each attempt is
 * recorded as the whole report's is in manifest.json.
 */
static int write_mail_record(struct run_state *st, struct burst *b)
{
	const struct template_meta *meta = template_meta(b->tmpl);
	char *subject = template_fill_mail(b->tmpl, st->agg, "subject");
	char *body = template_fill_mail(b->tmpl, st->agg, "body");
	char *name = set_name(b->value, "mail.json");
	char *path = outset_stage_file(&st->set, name);
	int rc = outfile_open_stream(&b->mailrec, path, (mode_t)st->cli->mode);

	b->mail.subject = subject != NULL ? subject : xstrdup(meta->title);
	b->mail.body = body != NULL ? body : xstrdup("附件为本地区的民政工作总结。");
	b->mail.pdf = xstrdup(meta->pdf_name);
	b->mail.xlsx = xstrdup(meta->xlsx_name);
	free(path);
	free(name);
	if (rc != 0)
		return -1;
	fputs("{\n", b->mailrec.fp);
	manifest_mail_write(b->mailrec.fp, &b->mail);
	fputs("\n}\n", b->mailrec.fp);
	return 0;
}

/* The manifest lists every file of the set with its hash: the streams are
 * flushed first, so their hashes are of their whole content. */
static int write_manifest(struct run_state *st)
{
	const struct template_meta *meta = template_meta(st->tmpl);
	size_t n = 4 + 3 * st->nbursts, k = 4;
	const char **names = xcalloc(n, sizeof(char *)), **paths = xcalloc(n, sizeof(char *));
	char **owned = xcalloc(n, sizeof(char *));
	char *path = outset_stage_file(&st->set, "manifest.json");
	int rc = outfile_open_stream(&st->manifest, path, (mode_t)st->cli->mode);

	free(path);
	names[0] = meta->pdf_name, paths[0] = st->pdf.tmp_path;
	names[1] = meta->xlsx_name, paths[1] = st->xlsx.tmp_path;
	names[2] = "metrics.json", paths[2] = st->metrics.tmp_path;
	names[3] = "rejects.csv", paths[3] = st->rejects.tmp_path;
	/* one manifest covers the --each reports too: their files by folder/name */
	for (size_t i = 0; i < st->nbursts; i++) {
		struct burst *b = &st->bursts[i];
		const struct template_meta *bm = template_meta(b->tmpl);

		if (!b->has_rows)
			continue;
		names[k] = owned[k] = set_name(b->value, bm->pdf_name),
		paths[k++] = b->pdf.tmp_path;
		names[k] = owned[k] = set_name(b->value, bm->xlsx_name),
		paths[k++] = b->xlsx.tmp_path;
		names[k] = owned[k] = set_name(b->value, "metrics.json"),
		paths[k++] = b->metrics.tmp_path;
		if (rc == 0 && fflush(b->metrics.fp) != 0)
			rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < st->nbursts; i++)
		if (st->bursts[i].has_rows && st->bursts[i].route != NULL)
			rc = write_mail_record(st, &st->bursts[i]);
	st->inputs.output_names = names;
	st->inputs.output_paths = paths;
	st->inputs.noutputs = k;
	if (rc == 0 && (fflush(st->rejects.fp) != 0 || fflush(st->metrics.fp) != 0))
		rc = -1;
	if (rc == 0) {
		prepare_mail(st);
		rc = manifest_write(st->manifest.fp, &st->inputs, &st->res);
	}
	st->inputs.output_names = st->inputs.output_paths = NULL;
	for (size_t i = 0; i < n; i++)
		free(owned[i]);
	free(owned);
	free(names);
	free(paths);
	if (rc != 0) {
		log_error("manifest.json 写入失败:%s", strerror(errno));
		return EXIT_IO;
	}
	return EXIT_OK;
}

/*
 * Every file complete and on disk in the new set folder, then the one
 * switch of the period folder to it (deliver/outset.h): a failure anywhere
 * before the switch leaves the previous set as it was.
 */
static int commit(struct run_state *st)
{
	struct outfile *const order[] = {&st->rejects, &st->metrics, &st->xlsx, &st->pdf,
					 &st->manifest};

	testhook_point("commit");
	for (size_t i = 0; i < st->nbursts; i++) {
		struct burst *b = &st->bursts[i];
		struct outfile *const files[] = {&b->metrics, &b->xlsx, &b->pdf, &b->mailrec};

		if (b->has_rows && outfile_commit_all(files, b->mailrec.tmp_path ? 4 : 3) != 0) {
			log_error("无法写入 %s/%s:%s", st->outdir, b->value, strerror(errno));
			return EXIT_IO;
		}
	}
	if (outfile_commit_all(order, sizeof(order) / sizeof(order[0])) != 0) {
		log_error("无法写入 %s:%s", st->outdir, strerror(errno));
		return EXIT_IO;
	}
	/* --dump-doc FILE is no file of the set: before the switch, so that its
	 * failure (exit 3, "the previous report is unchanged") is true */
	if (st->dump.tmp_path != NULL && outfile_commit(&st->dump) != 0) {
		log_error("无法写入文档模型 %s:%s", st->cli->dump_doc, strerror(errno));
		return EXIT_IO;
	}
	if (outset_commit(&st->set) != 0) {
		log_error("无法启用新的报告 %s:%s", st->outdir, strerror(errno));
		return EXIT_IO;
	}
	return EXIT_OK;
}

static void release(struct run_state *st)
{
	struct outfile *all[] = {&st->rejects, &st->metrics,  &st->xlsx,
				 &st->pdf,     &st->manifest, &st->dump};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->tmp_path != NULL)
			outfile_abort(all[i]);
	for (size_t i = 0; i < st->nbursts; i++) {
		struct burst *b = &st->bursts[i];
		struct outfile *files[] = {&b->metrics, &b->xlsx, &b->pdf, &b->mailrec};

		manifest_mail_release(&b->mail);
		for (size_t f = 0; f < 4; f++)
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
	for (size_t k = 0; k < st->nnotes; k++)
		free(st->notes[k]);
	free(st->notes);
	free(st->cover);
	outset_release(&st->set);
	free(st->scan_error);
	doc_free(st->doc);
	for (size_t i = 0; st->texts != NULL && i < agg_count(st->agg); i++)
		free(st->texts[i]);
	free(st->texts);
	agg_free(st->agg);
	ingest_result_release(&st->res);
	if (st->tmpl)
		template_free(st->tmpl);
	if (st->locked)
		runlock_release(&st->lock);
	if (st->root_locked)
		runlock_release(&st->root_lock);
	manifest_inputs_release(&st->inputs);
	manifest_mail_release(&st->mail);
	schema_release(&st->schema);
	free(st->template_path);
	free(st->schema_path);
	free(st->settings);
	free(st->outdir);
}

/*
 * --mail: the whole report to [mail] to, then each --each report that has
 * recipients of its own to them; the worst outcome is the run's.
 */
static int mail_reports(struct run_state *st)
{
	int rc = cli_mail_report(st->cli, st->outdir, &st->mail);

	for (size_t i = 0; i < st->nbursts; i++) {
		struct burst *b = &st->bursts[i];
		char *dir;
		int brc;

		if (b->route == NULL)
			continue;
		if (!b->has_rows) {
			log_warn("[mail.each] %s:数据中没有它的记录,没有生成报告,不发送", b->value);
			continue;
		}
		dir = xasprintf("%s/%s", st->outdir, b->value);
		brc = cli_mail_report_to(st->cli, dir, "mail.json", &b->mail, b->route->to,
					 b->route->nto);
		free(dir);
		if (brc != EXIT_OK && rc == EXIT_OK)
			rc = brc;
	}
	return rc;
}

/*
 * --if-changed --mail, nothing changed: the report's mail goes now if it
 * has not gone yet (it failed, or the report was made without --mail).
 */
static int mail_pending(struct run_state *st)
{
	char *path = xasprintf("%s/manifest.json", st->outdir);
	int rc = EXIT_OK;

	if (manifest_mail_read(path, &st->mail) != 0) {
		log_warn("%s 中没有邮件记录:%s", path, strerror(errno));
	} else if (!st->mail.sent) {
		log_info("报告未变化,但它的邮件还没有发出(已尝试 %d 次),现在发送",
			 st->mail.attempts);
		rc = cli_mail_report(st->cli, st->outdir, &st->mail);
	}
	free(path);
	/* and the --each reports' of [mail.each], each from its own record */
	for (size_t i = 0; i < st->nbursts; i++) {
		const struct burst *b = &st->bursts[i];
		char *dir, *rec;
		struct stat sb;
		int brc = EXIT_OK;

		if (b->route == NULL)
			continue;
		dir = xasprintf("%s/%s", st->outdir, b->value);
		rec = xasprintf("%s/mail.json", dir);
		if (stat(rec, &sb) == 0)
			brc = cli_mail_recorded(st->cli, dir, "mail.json", b->route->to,
						b->route->nto, true);
		if (brc != EXIT_OK && rc == EXIT_OK)
			rc = brc;
		free(rec);
		free(dir);
	}
	return rc;
}

/*
 * A run that failed on its data: its rejects go where the error message
 * sends the operator, output/<year>/failed/, with a summary; the report set
 * stays as it was (deliver/outset.h).
 */
static void keep_failed(struct run_state *st, int rc)
{
	unsigned long long nread = 0, accepted = 0, rejected = 0, outside = 0;
	char when[64], *summary;
	time_t now = time(NULL);
	struct tm tm;

	if (st->set.stage == NULL || st->rejects.tmp_path == NULL)
		return;
	if (outfile_commit(&st->rejects) != 0) {
		log_warn("无法保存本次被拒绝的记录:%s", strerror(errno));
		return;
	}
	for (size_t i = 0; i < st->res.nfiles; i++) {
		nread += st->res.files[i].read;
		accepted += st->res.files[i].accepted;
		rejected += st->res.files[i].rejected;
		outside += st->res.files[i].outside;
	}
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", localtime_r(&now, &tm));
	summary = xasprintf("civreport %d 年报告生成失败\n时间:%s\n退出码:%d\n原因:%s\n"
			    "输入:%s\n读取 %llu 行,接受 %llu 行,拒绝 %llu 行,不属本年 %llu 行\n"
			    "被拒绝的记录:同一目录的 rejects.csv\n"
			    "上次成功生成的报告(%s 中的其他文件)保持不变\n",
			    st->cli->year, when, rc, st->scan_error ? st->scan_error : "",
			    st->cli->input, nread, accepted, rejected, outside, st->outdir);
	if (outset_keep_failed(&st->set, "rejects.csv", summary) == 0)
		log_error("本次被拒绝的记录见 %s/failed/rejects.csv(摘要:%s/failed/summary.txt)",
			  st->outdir, st->outdir);
	else
		log_warn("无法把本次被拒绝的记录存入 %s/failed/:%s", st->outdir, strerror(errno));
	free(summary);
}

/* latest: the latest year holding the bulk of a year's data, from one validation pass. */
static int resolve_latest(struct run_state *st)
{
	struct scan_options so = {.input_dir = st->cli->input,
				  .encoding = st->cli->encoding,
				  .threads = st->cli->threads,
				  .max_reject_rate = 1.0};
	struct ingest_result res;
	char err[1024], why[1024];
	int rc = scan_run(&st->schema, NULL, &so, &res, err, sizeof(err));
	int year = ingest_latest_year(&res, why, sizeof(why));
	bool passed_over = false;

	/* rows of a later year that no report shows: worth a warning, even with --quiet */
	for (int y = year + 1; year > 0 && y < INGEST_YEAR_MIN + INGEST_YEARS; y++)
		passed_over = passed_over || res.year_rows[y - INGEST_YEAR_MIN] > 0;
	ingest_result_release(&res);
	if (rc == EXIT_IO) {
		log_error("%s", err);
		return rc;
	}
	if (year == 0) {
		log_error("year = latest:%s", why);
		return EXIT_DATA;
	}
	st->cli->year = year;
	st->cli->period = st->scope.period = period_year(year);
	log_msg(passed_over ? LOG_WARN : LOG_INFO, "year = latest:%s", why);
	return EXIT_OK;
}

/*
 * The settings that decide a report's content, as the manifest records
 * them for --if-changed: a run with another period, area, --each or
 * --strict is another report.  Those of a plain year's run read as they
 * always did ("year=2021;..."), so its manifest does not change.
 */
static char *run_settings(const struct cli *cli)
{
	struct strbuf sb = STRBUF_INIT;
	struct period y = period_year(cli->year);
	char p[32];

	if (cli->year_latest)
		strbuf_addstr(&sb, "year=latest");
	else
		strbuf_addf(&sb, "year=%d", cli->year);
	strbuf_addf(&sb, ";encoding=%s;max_reject_rate=%g", cli->encoding ? cli->encoding : "auto",
		    cli->max_reject_rate);
	if (!cli->year_latest && (cli->period.first != y.first || cli->period.last != y.last)) {
		period_canonical(&cli->period, p, sizeof(p));
		strbuf_addf(&sb, ";period=%s", p);
	}
	for (size_t w = 0; w < cli->nwhere; w++)
		strbuf_addf(&sb, ";where=%s", cli->where[w]);
	if (cli->each != NULL)
		strbuf_addf(&sb, ";each=%s", cli->each);
	if (cli->strict)
		strbuf_addstr(&sb, ";strict=yes");
	return strbuf_detach(&sb, NULL);
}

int cmd_run(struct cli *cli)
{
	struct run_state st = {.cli = cli};
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &st.started);
	if (!cli->has_period && !cli->year_latest) {
		fprintf(stderr, "civreport run: 需要 --period(如 2021、2021Q3、2021-01..2021-09)"
				"或 --year YYYY(或 --year latest)\n");
		return EXIT_USAGE;
	}
	st.scope.period = cli->period;
	st.scope.where = (const char *const *)cli->where;
	st.scope.nwhere = cli->nwhere;
	if (cli->mail && cli->cfg == NULL) {
		fprintf(stderr, "civreport run: --mail 需要 --config FILE 中的 [mail] 设置\n");
		return EXIT_USAGE;
	}
	outfile_install_cleanup();
	if ((rc = lock_first(&st)) != EXIT_OK) {
		release(&st);
		return rc;
	}
	if ((rc = cli_load_schema(&st.schema)) != 0) {
		release(&st);
		return rc;
	}
	where_scope(&st);
	st.schema_path = data_path("schema.ini");
	st.settings = run_settings(cli);
	if (cli->year_latest && cli->if_changed && latest_up_to_date(&st))
		rc = EXIT_OK; /* that year's folder: open_outputs checks it under its lock */
	else if (cli->year_latest)
		rc = resolve_latest(&st);
	if (rc == EXIT_OK)
		rc = load_template(&st);
	if (rc == EXIT_OK && cli->each != NULL)
		rc = load_bursts(&st);
	if (rc == EXIT_OK)
		rc = open_outputs(&st);
	if (rc == EXIT_OK)
		rc = scan(&st);
	if (rc == EXIT_OK)
		rc = render(&st);
	if (rc == EXIT_OK)
		rc = write_manifest(&st);
	if (rc == EXIT_OK)
		rc = commit(&st);
	if (rc == -1) {
		/*
		 * --if-changed found nothing to do: no work, no writes; only a
		 * mail still pending goes out.  Silent with --quiet: cron mails
		 * whatever reaches stdout.
		 */
		rc = cli->mail ? mail_pending(&st) : EXIT_OK;
		if (!cli->quiet)
			printf("up to date\n");
		log_info("输入未变化,报告已是最新(%s),%.2f 秒", st.outdir ? st.outdir : cli->output,
			 elapsed(&st));
		release(&st);
		return rc;
	}
	if (rc == EXIT_OK) {
		/* INFO: the notes themselves were warnings; the count is for the summary */
		log_info("完成:%s/%s,%.1f 秒;%s%s%s", st.outdir, template_meta(st.tmpl)->pdf_name,
			 elapsed(&st), st.nnotes > 0 ? "数据提示 " : "",
			 st.nnotes > 0 ? notes_count(st.nnotes) : "", report_headline(st.doc));
		if (cli->mail)
			rc = mail_reports(&st);
	} else {
		char *summary = xasprintf("civreport 于 %s 生成 %d 年报告失败,退出码 "
					  "%d。详见服务器日志;上次的报告保持不变。",
					  st.outdir ? st.outdir : cli->output, cli->year, rc);
		if (rc == EXIT_DATA)
			keep_failed(&st, rc);
		log_error("失败(退出码 %d),%.1f 秒;上次的报告保持不变", rc, elapsed(&st));
		if (cli->mail)
			deliver_failure_notice(cli->cfg ? &cli->cfg->mail : NULL, summary);
		free(summary);
	}
	release(&st);
	return rc;
}
