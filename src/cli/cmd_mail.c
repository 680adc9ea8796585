/*
 * cmd_mail.c - `civreport mail --config FILE [files...]`: send report files
 * by email with the configuration's [mail] settings (to resend by hand what
 * a night run made).
 *
 * Without files, the report of --period or --year (or the configuration's;
 * with year = latest, the latest year that has a report; with --where, the
 * report of that area) is sent as its manifest records it: the files the run made, the subject and
 * body it rendered from the template, the XLSX too with attach_xlsx = yes, the DOCX with
 * attach_docx = yes; and the attempt is recorded there (a pending mail becomes sent).  So are the
 * reports of
 * --each that [mail.each] names, each to its own recipients as its
 * mail.json records it.  That takes the period folder's lock, like a run.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "config.h"
#include "deliver/deliver.h"
#include "deliver/manifest_mail.h"
#include "deliver/outset.h"
#include "deliver/runlock.h"
#include "util/exitcode.h"
#include "util/log.h"
#include "util/xalloc.h"

/* year = latest: the latest year folder under output that holds a manifest, or 0. */
static int latest_report(const char *output)
{
	DIR *d = opendir(output);
	struct dirent *de;
	int year = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *path;
		struct stat st;
		int y;

		if (strlen(de->d_name) != 4 || strspn(de->d_name, "0123456789") != 4)
			continue;
		y = (int)strtol(de->d_name, NULL, 10);
		path = xasprintf("%s/%s/manifest.json", output, de->d_name);
		if (y > year && stat(path, &st) == 0)
			year = y;
		free(path);
	}
	closedir(d);
	return year;
}

/*
 * The report of the period (with --where, of that area), as its manifest
 * records it, to [mail] to; then each report of --each that [mail.each]
 * names, as its mail.json records it, to its own recipients.
 */
static int mail_set(struct cli *cli, const char *folder)
{
	char *outdir = xasprintf("%s/%s", cli->output, folder);
	struct runlock lock;
	struct outset set;
	pid_t holder = 0;
	int rc;

	/* the lock a run of that period takes, beside its link (outset.h) */
	outset_init(&set, cli->output, folder);
	rc = runlock_acquire_named(&lock, cli->output, set.lockname, cli->wait_seconds, &holder);
	outset_release(&set);

	if (rc != 0) {
		if (rc == 1)
			log_error("另一个 civreport（进程 %ld）正在生成 %s，本次退出；可用 --wait "
				  "秒数 等待",
				  (long)holder, outdir);
		else if (errno == ENOENT)
			log_error("%s 不存在：%s 还没有生成报告（先运行 civreport run）", outdir,
				  folder);
		else
			log_error("无法锁定输出目录 %s：%s", outdir, strerror(errno));
		rc = rc == 1 ? EXIT_LOCKED : errno == ENOENT ? EXIT_USAGE : EXIT_IO;
		free(outdir);
		return rc;
	}
	rc = cli_mail_recorded(cli, outdir, "manifest.json", cli->cfg->mail.to, cli->cfg->mail.nto,
			       false);
	for (size_t r = 0; rc != EXIT_USAGE && r < cli->cfg->nroutes; r++) {
		const struct mail_route *route = &cli->cfg->routes[r];
		char *dir = xasprintf("%s/%s", outdir, route->value);
		char *rec = xasprintf("%s/mail.json", dir);
		struct stat sb;
		int brc;

		if (stat(rec, &sb) != 0) {
			log_warn(
			    "[mail.each] %s: %s 中没有这份报告（run 没有用 --each，或它没有数据）",
			    route->value, outdir);
			brc = EXIT_OK;
		} else {
			brc =
			    cli_mail_recorded(cli, dir, "mail.json", route->to, route->nto, false);
		}
		if (brc != EXIT_OK && rc == EXIT_OK)
			rc = brc;
		free(rec);
		free(dir);
	}
	runlock_release(&lock);
	free(outdir);
	return rc;
}

int cmd_mail(struct cli *cli)
{
	char *subject, *folder;
	int rc, year = cli->year;

	if (cli->cfg == NULL) {
		fprintf(stderr, "civreport mail: 需要 --config FILE（其中的 [mail] 设置）\n");
		return EXIT_USAGE;
	}
	if (cli->nargs > 0) {
		/* files given: they go as they are, under a plain subject */
		subject =
		    year > 0 ? xasprintf("%d年民政工作总结", year) : xstrdup("civreport 报告文件");
		rc = deliver_files(&cli->cfg->mail, subject, "附件为 civreport 生成的报告文件。",
				   (const char *const *)cli->args, (size_t)cli->nargs, NULL);
		free(subject);
		return rc;
	}
	if (cli->year_latest && (year = latest_report(cli->output)) == 0) {
		fprintf(stderr,
			"civreport mail: %s 下还没有任何年度的报告（先运行 civreport run）\n",
			cli->output);
		return EXIT_USAGE;
	}
	if (cli->year_latest) {
		cli->period = period_year(year);
		cli->has_period = true;
	}
	if (!cli->has_period) {
		fprintf(stderr, "civreport mail: 请给出要发送的文件，或用 --period（或 --year，"
				"配置中的 period、year）指定报告期\n");
		return EXIT_USAGE;
	}
	folder = cli_set_folder(cli);
	rc = mail_set(cli, folder);
	free(folder);
	return rc;
}
