/*
 * run_render.c - the files of one report of a run: its PDF, its XLSX, its
 * DOCX when the template names one, and its metrics.json, staged in the set
 * (see run.h).
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
#include "render/docx/docx.h"
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

/* One document file: staged, rendered by render; EXIT_IO (said why) on failure. */
static int render_one(struct run_state *st, const char *dir, const char *file, const char *what,
		      int (*render)(const struct doc *, const char *, char *, size_t),
		      const struct doc *doc, struct outfile *out)
{
	char err[512], *name = run_set_name(dir, file);
	char *path = outset_stage_file(&st->set, name);
	int rc = EXIT_OK;

	if (outfile_begin(out, path, (mode_t)st->cli->mode) != 0 ||
	    render(doc, out->tmp_path, err, sizeof(err)) != 0) {
		log_error("%s 生成失败（%s/%s）：%s", what, st->outdir, name,
			  out->tmp_path ? err : strerror(errno));
		rc = EXIT_IO;
	}
	free(path);
	free(name);
	return rc;
}

int run_render_files(struct run_state *st, const struct template *t, const char *dir,
		     const struct doc *doc, const struct run_files *out)
{
	const struct template_meta *meta = template_meta(t);
	int rc = render_one(st, dir, meta->pdf_name, "PDF", pdf_render, doc, out->pdf);

	if (rc == EXIT_OK)
		rc = render_one(st, dir, meta->xlsx_name, "XLSX", xlsx_render, doc, out->xlsx);
	if (rc == EXIT_OK && meta->docx_name != NULL)
		rc = render_one(st, dir, meta->docx_name, "DOCX", docx_render, doc, out->docx);
	return rc;
}
