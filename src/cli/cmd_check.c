/*
 * cmd_check.c - `civreport check`: validate the input folder only and print
 * the data-quality summary; exit 0 when the data is fit for a report, 1 when
 * not.  Rejected rows are listed on stderr (masked), not written anywhere.
 */
#include <stdio.h>

#include "cli.h"
#include "util/exitcode.h"
#include "util/log.h"
#include "engine/scan.h"

int cmd_check(struct cli *cli)
{
	struct schema schema;
	struct ingest_result res;
	struct scan_options so = {0};
	char err[1024];
	int rc;

	if (!cli->has_period) {
		fprintf(stderr,
			"civreport check: 需要 --period（如 2021、2021Q3）或 --year YYYY\n");
		return EXIT_USAGE;
	}
	if (cli->nwhere > 0 || cli->each != NULL) {
		/* check validates every row of the input: an area would not change that */
		fprintf(stderr, "civreport check: 检查的是输入的每一行，不按地区区分；--where 和 "
				"--each 只用于 run、query 和 lint\n");
		return EXIT_USAGE;
	}
	if ((rc = cli_load_schema(&schema)) != 0)
		return rc;
	so.input_dir = cli->input;
	so.period = cli->period;
	so.threads = cli->threads;
	so.encoding = cli->encoding;
	so.max_reject_rate = cli->max_reject_rate;
	so.progress = cli->progress;
	so.cache_dir = cli->cache;
	rc = scan_run(&schema, NULL, &so, &res, err, sizeof(err));
	/* --quiet: nothing on stdout (cron mails it); the exit code and the log say it */
	if (rc != EXIT_IO && !cli->quiet)
		cli_print_quality(stdout, &schema, &res);
	if (rc != EXIT_OK)
		log_error("%s", err);
	else
		log_info("数据检查通过");
	ingest_result_release(&res);
	schema_release(&schema);
	return rc;
}
