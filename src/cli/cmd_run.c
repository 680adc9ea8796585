/*
 * cmd_run.c - `civreport run`: the whole pipeline for one report period
 * (and with --each, for every value of a column too, from the same pass).
 *
 *	schema, template checked  ->  one scan (ingest -> aggregate)
 *	->  doc (template)  ->  PDF, XLSX, DOCX (docx:), metrics.json, rejects.csv
 *
 * Every output is written into a new set folder and the period folder is
 * switched to it only when all of them succeeded (deliver/outset.h), under
 * a lock, so a night run that fails or is killed leaves the previous report
 * intact; a run that fails on its data leaves its rejects in failed/.
 *
 * run.h holds the run's state; run_render.c writes one report's files,
 * run_each.c makes the reports of --each, run_notes.c says what a report's
 * figures lack.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "run.h"
#include "config.h"
#include "deliver/deliver.h"
#include "deliver/manifest.h"
#include "deliver/manifest_mail.h"
#include "util/exitcode.h"
#include "util/log.h"
#include "deliver/outfile.h"
#include "deliver/outset.h"
#include "util/paths.h"
#include "util/testhook.h"
#include "ingest/rejects.h"
#include "doc/report.h"
#include "doc/doc_dump.h"
#include "deliver/runlock.h"
#include "engine/scan.h"
#include "template/template.h"
#include "util/version.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static double elapsed(const struct run_state *st)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - st->started.tv_sec) +
	       (double)(now.tv_nsec - st->started.tv_nsec) / 1e9;
}

/*
 * The run's last log line, which a cron log keeps: the files made, by path,
 * and the time -- "完成：output/2021/a.pdf、a.xlsx、a.docx，用时 5.2 秒" --
 * then the --each reports' count and folder, and the notes' count.  Never
 * figures or expressions: those are the report's.
 */
static void log_done(const struct run_state *st)
{
	const struct template_meta *tm = template_meta(st->tmpl);
	struct strbuf sb = STRBUF_INIT;
	size_t each = 0;

	strbuf_addf(&sb, "完成：%s/%s、%s", st->outdir, tm->pdf_name, tm->xlsx_name);
	if (tm->docx_name != NULL)
		strbuf_addf(&sb, "、%s", tm->docx_name);
	for (size_t i = 0; i < st->nbursts; i++)
		each += st->bursts[i].has_rows;
	if (st->cli->each != NULL)
		strbuf_addf(&sb, "，另按%s %zu 份（%s/<%s>/）", st->cli->each, each, st->outdir,
			    st->cli->each);
	strbuf_addf(&sb, "，用时 %.1f 秒", elapsed(st));
	if (st->nnotes > 0)
		strbuf_addf(&sb, "；数据提示 %zu 条（见报告附录）", st->nnotes);
	log_info("%s", sb.buf);
	strbuf_release(&sb);
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
		log_error("找不到默认模板 annual-summary.md，请用 --template 指定");
		return EXIT_USAGE;
	}
	if (template_load(&st->tmpl, path, &st->schema, &st->scope, &diags, &ndiags) != 0) {
		template_print_diags(stderr, path, diags, ndiags);
		log_error("模板 %s 有 %zu 个错误，未读取数据", path, ndiags);
		free(diags);
		return EXIT_USAGE;
	}
	return EXIT_OK;
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
	const char *names[] = {meta->pdf_name, meta->xlsx_name, "metrics.json", "rejects.csv",
			       meta->docx_name};

	char *manifest = xasprintf("%s/manifest.json", st->outdir), **listed = NULL;
	long nlisted = manifest_read_outputs(manifest, &listed);
	bool all = true;

	for (size_t i = 0; all && i < sizeof(names) / sizeof(names[0]); i++)
		all = names[i] == NULL || exists_in(st->outdir, names[i]); /* docx: when named */
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
		log_error("无法创建输出目录 %s：%s", dir, strerror(errno));
		return EXIT_IO;
	}
	rc = name != NULL ? runlock_acquire_named(lock, dir, name, st->cli->wait_seconds, &holder)
			  : runlock_acquire(lock, dir, st->cli->wait_seconds, &holder);
	if (rc == 1) {
		log_error(
		    "另一个 civreport（进程 %ld）正在生成 %s，本次退出；可用 --wait 秒数 等待",
		    (long)holder, what);
		return EXIT_LOCKED;
	}
	if (rc != 0) {
		log_error("无法锁定输出目录 %s：%s", what, strerror(errno));
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
		log_error("无法读取输出目录 %s：%s", st->cli->output, strerror(errno));
		return EXIT_IO;
	}
	if (up_to_date(st))
		return -1;
	if (outset_begin(&st->set) != 0) {
		log_error("无法在 %s 中为 %s 创建新的输出目录：%s", st->cli->output, st->outdir,
			  strerror(errno));
		return EXIT_IO;
	}
	path = outset_stage_file(&st->set, "rejects.csv");
	rc = outfile_open_stream(&st->rejects, path, mode);
	free(path);
	if (rc != 0) {
		log_error("无法写入 %s：%s", st->outdir, strerror(errno));
		return EXIT_IO;
	}
	rejects_begin(st->rejects.fp);
	testhook_point("locked");
	return EXIT_OK;
}

static int scan(struct run_state *st)
{
	struct scan_options so = {
	    .input_dir = st->cli->input,
	    .encoding = st->cli->encoding,
	    .period = st->cli->period,
	    .threads = st->cli->threads,
	    .progress = st->cli->progress,
	    .cache_dir = st->cli->cache,
	    .rejects = st->rejects.fp,
	    .max_reject_rate = st->cli->max_reject_rate,
	};
	char err[1024];
	int rc;

	st->agg = agg_new(&st->schema, &st->cli->period);
	if (st->nbursts > 0)
		agg_partition(st->agg, run_each_column(st)->name);
	template_register(st->tmpl, st->agg);
	for (size_t i = 0; i < st->nbursts; i++)
		template_register(st->bursts[i].tmpl, st->agg);
	if (st->nbursts > 0)
		run_register_presence(st);
	st->cover = run_register_cover(st, st->tmpl, st->cli->where, st->cli->nwhere);
	for (size_t i = 0; i < st->nbursts; i++)
		st->bursts[i].cover = run_register_cover(
		    st, st->bursts[i].tmpl, st->bursts[i].where_all, st->cli->nwhere + 1);
	log_info("读取 %s（%d年），%zu 个指标", st->cli->input, st->cli->year, agg_count(st->agg));
	rc = scan_run(&st->schema, st->agg, &so, &st->res, err, sizeof(err));
	if (rc != EXIT_IO && !st->cli->quiet)
		cli_print_quality(stderr, &st->schema, &st->res);
	if (rc != EXIT_OK) {
		log_error("%s", err);
		st->scan_error = xstrdup(err);
		return rc;
	}
	if (st->nbursts > 0)
		run_mark_presence(st);
	run_check_cover(st, st->tmpl, st->cover, template_meta(st->tmpl)->area, &st->notes,
			&st->nnotes);
	for (size_t i = 0; i < st->nbursts; i++)
		if (st->bursts[i].has_rows)
			run_check_cover(st, st->bursts[i].tmpl, st->bursts[i].cover,
					st->bursts[i].value, &st->bursts[i].notes,
					&st->bursts[i].nnotes);
	if (st->cli->strict && st->empty > 0) {
		st->scan_error =
		    xasprintf("--strict: %zu 个数据集在报告期和地区内没有记录（见上）", st->empty);
		log_error("%s", st->scan_error);
		return EXIT_DATA;
	}
	return EXIT_OK;
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
		log_error("无法写入文档模型 %s：%s", st->cli->dump_doc, strerror(errno));
		return EXIT_IO;
	}
	if ((rc = run_render_files(st, st->tmpl, NULL, st->doc,
				   &(struct run_files){&st->pdf, &st->xlsx, &st->docx})) != EXIT_OK)
		return rc;
	if (run_write_metrics(st, st->tmpl, NULL, &st->metrics, st->texts) != 0) {
		log_error("metrics.json 写入失败：%s", strerror(errno));
		return EXIT_IO;
	}
	for (size_t i = 0; i < st->nbursts; i++)
		if (st->bursts[i].has_rows &&
		    (rc = run_render_burst(st, &st->bursts[i])) != EXIT_OK)
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
	st->mail.docx = meta->docx_name ? xstrdup(meta->docx_name) : NULL;
	st->inputs.mail = &st->mail;
}

/* The manifest lists every file of the set with its hash: the streams are
 * flushed first, so their hashes are of their whole content. */
static int write_manifest(struct run_state *st)
{
	const struct template_meta *meta = template_meta(st->tmpl);
	size_t n = 5 + 4 * st->nbursts, k = 4;
	const char **names = xcalloc(n, sizeof(char *)), **paths = xcalloc(n, sizeof(char *));
	char **owned = xcalloc(n, sizeof(char *));
	char *path = outset_stage_file(&st->set, "manifest.json");
	int rc = outfile_open_stream(&st->manifest, path, (mode_t)st->cli->mode);

	free(path);
	names[0] = meta->pdf_name, paths[0] = st->pdf.tmp_path;
	names[1] = meta->xlsx_name, paths[1] = st->xlsx.tmp_path;
	names[2] = "metrics.json", paths[2] = st->metrics.tmp_path;
	names[3] = "rejects.csv", paths[3] = st->rejects.tmp_path;
	if (meta->docx_name != NULL)
		names[k] = meta->docx_name, paths[k++] = st->docx.tmp_path;
	/* one manifest covers the --each reports too: their files by folder/name */
	for (size_t i = 0; i < st->nbursts; i++) {
		struct burst *b = &st->bursts[i];
		const struct template_meta *bm = template_meta(b->tmpl);

		if (!b->has_rows)
			continue;
		names[k] = owned[k] = run_set_name(b->value, bm->pdf_name),
		paths[k++] = b->pdf.tmp_path;
		names[k] = owned[k] = run_set_name(b->value, bm->xlsx_name),
		paths[k++] = b->xlsx.tmp_path;
		if (bm->docx_name != NULL)
			names[k] = owned[k] = run_set_name(b->value, bm->docx_name),
			paths[k++] = b->docx.tmp_path;
		names[k] = owned[k] = run_set_name(b->value, "metrics.json"),
		paths[k++] = b->metrics.tmp_path;
		if (rc == 0 && fflush(b->metrics.fp) != 0)
			rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < st->nbursts; i++)
		if (st->bursts[i].has_rows && st->bursts[i].route != NULL)
			rc = run_write_mail_record(st, &st->bursts[i]);
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
		log_error("manifest.json 写入失败：%s", strerror(errno));
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
	/* the DOCX, when there is one, before the PDF: the manifest stays last */
	struct outfile *const order[] = {&st->rejects, &st->metrics, &st->xlsx,
					 &st->docx,    &st->pdf,     &st->manifest};
	struct outfile *files[sizeof(order) / sizeof(order[0])];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (order[i] != &st->docx || st->docx.tmp_path != NULL)
			files[n++] = order[i];
	testhook_point("commit");
	if (run_commit_bursts(st) != 0)
		return EXIT_IO;
	if (outfile_commit_all(files, n) != 0) {
		log_error("无法写入 %s：%s", st->outdir, strerror(errno));
		return EXIT_IO;
	}
	/* --dump-doc FILE is no file of the set: before the switch, so that its
	 * failure (exit 3, "the previous report is unchanged") is true */
	if (st->dump.tmp_path != NULL && outfile_commit(&st->dump) != 0) {
		log_error("无法写入文档模型 %s：%s", st->cli->dump_doc, strerror(errno));
		return EXIT_IO;
	}
	if (outset_commit(&st->set) != 0) {
		log_error("无法启用新的报告 %s：%s", st->outdir, strerror(errno));
		return EXIT_IO;
	}
	return EXIT_OK;
}

static void release(struct run_state *st)
{
	struct outfile *all[] = {&st->rejects, &st->metrics,  &st->xlsx, &st->docx,
				 &st->pdf,     &st->manifest, &st->dump};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->tmp_path != NULL)
			outfile_abort(all[i]);
	run_bursts_release(st);
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
	int brc = run_mail_bursts(st, false);

	return rc != EXIT_OK ? rc : brc;
}

/*
 * --if-changed --mail, nothing changed: the report's mail goes now if it
 * has not gone yet (it failed, or the report was made without --mail).
 */
static int mail_pending(struct run_state *st)
{
	char *path = xasprintf("%s/manifest.json", st->outdir);
	int rc = EXIT_OK, brc;

	if (manifest_mail_read(path, &st->mail) != 0) {
		log_warn("%s 中没有邮件记录：%s", path, strerror(errno));
	} else if (!st->mail.sent) {
		log_info("报告未变化，但它的邮件还没有发出（已尝试 %d 次），现在发送",
			 st->mail.attempts);
		rc = cli_mail_report(st->cli, st->outdir, &st->mail);
	}
	free(path);
	/* and the --each reports' of [mail.each], each from its own record */
	brc = run_mail_bursts(st, true);
	return rc != EXIT_OK ? rc : brc;
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
		log_warn("无法保存本次被拒绝的记录：%s", strerror(errno));
		return;
	}
	for (size_t i = 0; i < st->res.nfiles; i++) {
		nread += st->res.files[i].read;
		accepted += st->res.files[i].accepted;
		rejected += st->res.files[i].rejected;
		outside += st->res.files[i].outside;
	}
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", localtime_r(&now, &tm));
	summary = xasprintf("civreport %d 年报告生成失败\n时间：%s\n退出码：%d\n原因：%s\n"
			    "输入：%s\n读取 %llu 行，接受 %llu 行，拒绝 %llu 行，不属本年 %llu 行\n"
			    "被拒绝的记录：同一目录的 rejects.csv\n"
			    "上次成功生成的报告（%s 中的其他文件）保持不变\n",
			    st->cli->year, when, rc, st->scan_error ? st->scan_error : "",
			    st->cli->input, nread, accepted, rejected, outside, st->outdir);
	if (outset_keep_failed(&st->set, "rejects.csv", summary) == 0)
		log_error("本次被拒绝的记录见 %s/failed/rejects.csv（摘要：%s/failed/summary.txt）",
			  st->outdir, st->outdir);
	else
		log_warn("无法把本次被拒绝的记录存入 %s/failed/：%s", st->outdir, strerror(errno));
	free(summary);
}

/* latest: the latest year holding the bulk of a year's data, from one validation pass. */
static int resolve_latest(struct run_state *st)
{
	struct scan_options so = {.input_dir = st->cli->input,
				  .encoding = st->cli->encoding,
				  .threads = st->cli->threads,
				  .cache_dir = st->cli->cache,
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
		log_error("year = latest: %s", why);
		return EXIT_DATA;
	}
	st->cli->year = year;
	st->cli->period = st->scope.period = period_year(year);
	log_msg(passed_over ? LOG_WARN : LOG_INFO, "year = latest: %s", why);
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
		fprintf(stderr, "civreport run: 需要 --period（如 2021、2021Q3、2021-01..2021-09）"
				"或 --year YYYY（或 --year latest）\n");
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
		rc = run_load_bursts(&st);
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
		log_info("输入未变化，报告已是最新（%s），%.2f 秒",
			 st.outdir ? st.outdir : cli->output, elapsed(&st));
		release(&st);
		return rc;
	}
	if (rc == EXIT_OK) {
		/* INFO: the notes themselves were warnings; the count is for the summary */
		log_done(&st);
		if (cli->mail)
			rc = mail_reports(&st);
	} else {
		char *summary = xasprintf("civreport 于 %s 生成 %d 年报告失败，退出码 "
					  "%d。详见服务器日志；上次的报告保持不变。",
					  st.outdir ? st.outdir : cli->output, cli->year, rc);
		if (rc == EXIT_DATA)
			keep_failed(&st, rc);
		log_error("失败（退出码 %d），%.1f 秒；上次的报告保持不变", rc, elapsed(&st));
		if (cli->mail)
			deliver_failure_notice(cli->cfg ? &cli->cfg->mail : NULL, summary);
		free(summary);
	}
	release(&st);
	return rc;
}
