/*
 * run_render.c - the files of one report of a run: its PDF, its XLSX and
 * its metrics.json, staged in the set (see run.h).
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

/* A file name of the set: name, or dir/name for a --each report (dir NULL: the whole one). */
char *run_set_name(const char *dir, const char *name)
{
	return dir != NULL ? xasprintf("%s/%s", dir, name) : xstrdup(name);
}

/* metrics.json of one report: the figures of its template only (--each shares the agg). */
int run_write_metrics(struct run_state *st, const struct template *t, const char *dir,
		      struct outfile *out, char **texts)
{
	char *name = run_set_name(dir, "metrics.json");
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

/* The PDF and the XLSX of one report's doc, into the set (dir: a --each report's folder). */
int run_render_files(struct run_state *st, const struct template *t, const char *dir,
		     const struct doc *doc, struct outfile *pdf, struct outfile *xlsx)
{
	const struct template_meta *meta = template_meta(t);
	mode_t mode = (mode_t)st->cli->mode;
	char err[512], *name, *path;

	name = run_set_name(dir, meta->pdf_name);
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
	name = run_set_name(dir, meta->xlsx_name);
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
