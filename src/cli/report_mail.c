/*
 * report_mail.c - mailing a finished report as its manifest records it:
 * the one path of `run --mail` (after the commit), `run --if-changed
 * --mail` (a report whose mail is still pending) and `civreport mail`
 * (resend by hand); see cli.h.
 *
 * The manifest's mail section holds the subject and body the run rendered
 * from the template and the names of its files, so a resend is the same
 * mail whatever happened since (a template edited, year = latest); each
 * attempt is recorded there, so a failed mail stays pending until it went.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "deliver/deliver.h"
#include "deliver/manifest_mail.h"
#include "util/exitcode.h"
#include "util/log.h"
#include "util/xalloc.h"

int cli_mail_report_to(const struct cli *cli, const char *outdir, const char *record,
		       struct manifest_mail *m, char *const *to, size_t nto)
{
	struct mail_settings ms;
	char *pdf = xasprintf("%s/%s", outdir, m->pdf);
	char *xlsx = m->xlsx != NULL ? xasprintf("%s/%s", outdir, m->xlsx) : NULL;
	char *docx = m->docx != NULL ? xasprintf("%s/%s", outdir, m->docx) : NULL;
	char *path = xasprintf("%s/%s", outdir, record);
	const char *files[3] = {pdf};
	size_t nfiles = 1;
	struct deliver_outcome out;
	int rc;

	if (cli->cfg == NULL) {
		rc = deliver_files(NULL, m->subject, m->body, files, 1, &out);
		free(pdf);
		free(xlsx);
		free(docx);
		free(path);
		return rc;
	}
	/* the [mail] settings, to other recipients: a copy that owns nothing */
	ms = cli->cfg->mail;
	ms.to = (char **)to;
	ms.nto = nto;
	if (ms.attach_xlsx && xlsx != NULL)
		files[nfiles++] = xlsx;
	/* the DOCX of a report that has one (its template names docx:) */
	if (ms.attach_docx && docx != NULL)
		files[nfiles++] = docx;
	rc = deliver_files(&ms, m->subject, m->body, files, nfiles, &out);
	if (rc != EXIT_USAGE) {
		manifest_mail_attempted(m, ms.to, ms.nto, rc == EXIT_OK ? NULL : out.error);
		if (manifest_mail_update(path, m) != 0) {
			log_error("无法在 %s 中记录邮件状态：%s", path, strerror(errno));
			if (rc == EXIT_OK)
				rc = EXIT_IO;
		}
	}
	free(pdf);
	free(xlsx);
	free(docx);
	free(path);
	return rc;
}

int cli_mail_report(const struct cli *cli, const char *outdir, struct manifest_mail *m)
{
	const struct mail_settings *ms = cli->cfg != NULL ? &cli->cfg->mail : NULL;

	return cli_mail_report_to(cli, outdir, "manifest.json", m, ms ? ms->to : NULL,
				  ms ? ms->nto : 0);
}

int cli_mail_recorded(const struct cli *cli, const char *outdir, const char *record,
		      char *const *to, size_t nto, bool only_pending)
{
	char *path = xasprintf("%s/%s", outdir, record);
	struct manifest_mail m;
	int rc = EXIT_OK;

	if (manifest_mail_read(path, &m) != 0) {
		if (errno == ENOENT)
			log_error("%s 不存在：这份报告还没有生成（先运行 civreport run）", path);
		else
			log_error("%s 中没有邮件记录（由旧版本生成或已损坏）：请先重新运行 "
				  "civreport run",
				  path);
		free(path);
		return EXIT_USAGE;
	}
	if (!only_pending || !m.sent) {
		if (only_pending)
			log_info("%s 未变化，但它的邮件还没有发出（已尝试 %d 次），现在发送",
				 outdir, m.attempts);
		rc = cli_mail_report_to(cli, outdir, record, &m, to, nto);
	}
	manifest_mail_release(&m);
	free(path);
	return rc;
}
