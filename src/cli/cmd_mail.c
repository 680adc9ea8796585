/*
 * cmd_mail.c - `civreport mail --config FILE [files...]`: send report files
 * by email with the configuration's [mail] settings (to resend by hand what
 * a night run made).
 *
 * Without files, the report of --year (or the configuration's year; with
 * latest, the latest year that has a report) is sent as its manifest
 * records it: the files the run made, the subject and body it rendered
 * from the template, the XLSX too with attach_xlsx = yes; and the attempt
 * is recorded there (a pending mail becomes sent).  That takes the year
 * folder's lock, like a run.
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

/* The report of year, as its manifest records it. */
static int mail_year(struct cli *cli, int year)
{
	char *outdir = xasprintf("%s/%d", cli->output, year);
	char *manifest = xasprintf("%s/manifest.json", outdir);
	struct manifest_mail m;
	struct runlock lock;
	struct outset set;
	pid_t holder = 0;
	char period[16];
	int rc;

	/* the lock a run of that year takes, beside the year's link (outset.h) */
	snprintf(period, sizeof(period), "%d", year);
	outset_init(&set, cli->output, period);
	rc = runlock_acquire_named(&lock, cli->output, set.lockname, cli->wait_seconds, &holder);
	outset_release(&set);

	if (rc != 0) {
		if (rc == 1)
			log_error("另一个 civreport(进程 %ld)正在生成 %s,本次退出;可用 --wait "
				  "秒数 等待",
				  (long)holder, outdir);
		else if (errno == ENOENT)
			log_error("%s 不存在:%d 年还没有生成报告(先运行 civreport run)", outdir,
				  year);
		else
			log_error("无法锁定输出目录 %s:%s", outdir, strerror(errno));
		rc = rc == 1 ? EXIT_LOCKED : errno == ENOENT ? EXIT_USAGE : EXIT_IO;
		free(manifest);
		free(outdir);
		return rc;
	}
	if (manifest_mail_read(manifest, &m) != 0) {
		if (errno == ENOENT)
			log_error("%s 不存在:%d 年还没有生成报告(先运行 civreport run)", manifest,
				  year);
		else
			log_error("%s 中没有邮件记录(由旧版本生成或已损坏):请先重新运行 "
				  "civreport run",
				  manifest);
		rc = EXIT_USAGE;
	} else {
		rc = cli_mail_report(cli, outdir, &m);
		manifest_mail_release(&m);
	}
	runlock_release(&lock);
	free(manifest);
	free(outdir);
	return rc;
}

int cmd_mail(struct cli *cli)
{
	char *subject;
	int rc, year = cli->year;

	if (cli->cfg == NULL) {
		fprintf(stderr, "civreport mail: 需要 --config FILE(其中的 [mail] 设置)\n");
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
		fprintf(stderr, "civreport mail: %s 下还没有任何年度的报告(先运行 civreport run)\n",
			cli->output);
		return EXIT_USAGE;
	}
	if (year == 0) {
		fprintf(stderr, "civreport mail: 请给出要发送的文件,或用 --year(或配置中的 "
				"year)指定年份\n");
		return EXIT_USAGE;
	}
	return mail_year(cli, year);
}
