/*
 * cmd_mail.c - `civreport mail --config FILE [files...]`: send report files
 * by email with the configuration's [mail] settings (to resend by hand what
 * a night run made).  Without files, the current report PDF of the
 * configured year is sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "deliver/deliver.h"
#include "util/exitcode.h"
#include "util/xalloc.h"

int cmd_mail(struct cli *cli)
{
	char *subject, *body, *deflt = NULL;
	const char *one[1];
	int rc;

	if (cli->cfg == NULL) {
		fprintf(stderr, "civreport mail: 需要 --config FILE(其中的 [mail] 设置)\n");
		return EXIT_USAGE;
	}
	if (cli->nargs == 0) {
		if (cli->year == 0) {
			fprintf(stderr, "civreport mail: 请给出要发送的文件,或在配置中设置 year\n");
			return EXIT_USAGE;
		}
		deflt = xasprintf("%s/%d/annual-report-%d.pdf", cli->output, cli->year, cli->year);
		one[0] = deflt;
	}
	subject = xasprintf("%d年民政工作总结", cli->year ? cli->year : 0);
	body = xstrdup("附件为 civreport 生成的报告文件。");
	rc = deliver_files(&cli->cfg->mail, subject, body,
			   cli->nargs ? (const char *const *)cli->args : one,
			   cli->nargs ? (size_t)cli->nargs : 1);
	free(subject);
	free(body);
	free(deflt);
	return rc;
}
