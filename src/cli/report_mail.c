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

int cli_mail_report(const struct cli *cli, const char *outdir, struct manifest_mail *m)
{
	const struct mail_settings *ms = cli->cfg != NULL ? &cli->cfg->mail : NULL;
	char *pdf = xasprintf("%s/%s", outdir, m->pdf);
	char *xlsx = m->xlsx != NULL ? xasprintf("%s/%s", outdir, m->xlsx) : NULL;
	char *manifest = xasprintf("%s/manifest.json", outdir);
	const char *files[] = {pdf, xlsx};
	struct deliver_outcome out;
	int rc;

	rc = deliver_files(ms, m->subject, m->body, files,
			   ms != NULL && ms->attach_xlsx && xlsx != NULL ? 2 : 1, &out);
	if (rc != EXIT_USAGE) {
		manifest_mail_attempted(m, ms->to, ms->nto, rc == EXIT_OK ? NULL : out.error);
		if (manifest_mail_update(manifest, m) != 0) {
			log_error("无法在 %s 中记录邮件状态:%s", manifest, strerror(errno));
			if (rc == EXIT_OK)
				rc = EXIT_IO;
		}
	}
	free(pdf);
	free(xlsx);
	free(manifest);
	return rc;
}
