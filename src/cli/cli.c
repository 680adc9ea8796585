/*
 * cli.c - parsing the command line; see cli.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "util/xalloc.h"
#include "util/exitcode.h"
#include "util/log.h"
#include "util/paths.h"
#include "ingest/schema.h"

enum {
	OPT_YEAR = 256,
	OPT_INPUT,
	OPT_OUTPUT,
	OPT_TEMPLATE,
	OPT_CONFIG,
	OPT_ENCODING,
	OPT_FORMAT,
	OPT_OUT,
	OPT_SCALE,
	OPT_SEED,
	OPT_MAX_REJECT,
	OPT_THREADS,
	OPT_WAIT,
	OPT_QUIET,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_IF_CHANGED,
	OPT_MAIL,
	OPT_LOG_FILE,
	OPT_MODE,
	OPT_DUMP_DOC,
};

static const struct option options[] = {
    {"year", required_argument, NULL, OPT_YEAR},
    {"input", required_argument, NULL, OPT_INPUT},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"template", required_argument, NULL, OPT_TEMPLATE},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"out", required_argument, NULL, OPT_OUT},
    {"scale", required_argument, NULL, OPT_SCALE},
    {"seed", required_argument, NULL, OPT_SEED},
    {"max-reject-rate", required_argument, NULL, OPT_MAX_REJECT},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"wait", required_argument, NULL, OPT_WAIT},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"if-changed", no_argument, NULL, OPT_IF_CHANGED},
    {"mail", no_argument, NULL, OPT_MAIL},
    {"log-file", required_argument, NULL, OPT_LOG_FILE},
    {"mode", required_argument, NULL, OPT_MODE},
    {"dump-doc", required_argument, NULL, OPT_DUMP_DOC},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int bad(const char *cmd, const char *what, const char *value)
{
	fprintf(stderr, "civreport %s: %s: %s\n(运行 civreport --help 查看用法)\n", cmd, what,
		value);
	return EXIT_USAGE;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

static int set_option(struct cli *cli, const char *cmd, int opt, const char *arg)
{
	long v;

	switch (opt) {
	case OPT_YEAR:
		if (strcmp(arg, "latest") == 0) {
			cli->year_latest = true;
			return 0;
		}
		if (parse_long(arg, 1900, 2099, &v) != 0)
			return bad(cmd, "年份应为四位数字或 latest", arg);
		cli->year = (int)v;
		return 0;
	case OPT_INPUT:
		cli->input = arg;
		return 0;
	case OPT_OUTPUT:
		cli->output = arg;
		return 0;
	case OPT_TEMPLATE:
		cli->template_path = arg;
		return 0;
	case OPT_CONFIG:
		cli->config = arg;
		return 0;
	case OPT_ENCODING:
		if (strcasecmp(arg, "auto") && strcasecmp(arg, "utf-8") &&
		    strcasecmp(arg, "utf8") && strcasecmp(arg, "gb18030") && strcasecmp(arg, "gbk"))
			return bad(cmd, "编码应为 auto、utf-8 或 gb18030", arg);
		cli->encoding = strcasecmp(arg, "gbk") == 0 ? "gb18030" : arg;
		return 0;
	case OPT_FORMAT:
		if (strcmp(arg, "table") && strcmp(arg, "csv") && strcmp(arg, "json"))
			return bad(cmd, "--format 应为 table、csv 或 json", arg);
		cli->format = arg;
		return 0;
	case OPT_OUT:
		cli->out = arg;
		return 0;
	case OPT_SCALE:
		if (parse_double(arg, 0.001, 100, &cli->scale) != 0)
			return bad(cmd, "--scale 应为 0.001 到 100 之间的数", arg);
		return 0;
	case OPT_SEED:
		if (parse_long(arg, 0, 0x7fffffffL, &v) != 0)
			return bad(cmd, "--seed 应为非负整数", arg);
		cli->seed = (uint64_t)v;
		return 0;
	case OPT_MAX_REJECT:
		if (parse_double(arg, 0, 1, &cli->max_reject_rate) != 0)
			return bad(cmd, "--max-reject-rate 应为 0 到 1 之间的比例(如 0.05)", arg);
		return 0;
	case OPT_THREADS:
		if (parse_long(arg, 1, 64, &v) != 0)
			return bad(cmd, "--threads 应为 1 到 64", arg);
		cli->threads = (int)v;
		return 0;
	case OPT_WAIT:
		if (parse_long(arg, 0, 86400, &v) != 0)
			return bad(cmd, "--wait 应为秒数", arg);
		cli->wait_seconds = (int)v;
		return 0;
	case OPT_QUIET:
		cli->quiet = true;
		return 0;
	case OPT_PROGRESS:
		cli->progress = true;
		return 0;
	case OPT_NO_PROGRESS:
		cli->no_progress = true;
		return 0;
	case OPT_IF_CHANGED:
		cli->if_changed = true;
		return 0;
	case OPT_MAIL:
		cli->mail = true;
		return 0;
	case OPT_LOG_FILE:
		cli->log_file = arg;
		return 0;
	case OPT_DUMP_DOC:
		cli->dump_doc = arg;
		return 0;
	case OPT_MODE: {
		char *end;
		v = strtol(arg, &end, 8);
		if (*end != '\0' || v < 0 || v > 0777)
			return bad(cmd, "--mode 应为八进制权限,如 0640", arg);
		cli->mode = (int)v;
		return 0;
	}
	}
	return EXIT_USAGE;
}

int cli_parse(struct cli *cli, const char *cmd, int argc, char **argv)
{
	int opt, rc;

	memset(cli, 0, sizeof(*cli));
	/* unset until cli_finish: a configuration file may fill them */
	cli->format = "table";
	cli->scale = 1.0;
	cli->seed = 2021;
	cli->max_reject_rate = -1;
	cli->mode = -1;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == '?') {
			return bad(cmd, "未知的选项或缺少参数",
				   optopt ? "(选项需要参数)" : argv[optind - 1]);
		}
		if (opt == 'h') {
			cli->help = true;
			continue;
		}
		rc = set_option(cli, cmd, opt, optarg);
		if (rc != 0)
			return rc;
	}
	cli->args = argv + optind;
	cli->nargs = argc - optind;
	return 0;
}

int cli_finish(struct cli *cli)
{
	if (cli->config != NULL) {
		char err[768];

		cli->cfg = xcalloc(1, sizeof(*cli->cfg));
		if (config_load(cli->cfg, cli->config, err, sizeof(err)) != 0) {
			fprintf(stderr, "civreport: %s\n", err);
			free(cli->cfg);
			cli->cfg = NULL;
			return EXIT_USAGE;
		}
		config_apply(cli->cfg, cli);
	}
	if (cli->input == NULL)
		cli->input = "input";
	if (cli->output == NULL)
		cli->output = "output";
	if (cli->max_reject_rate < 0)
		cli->max_reject_rate = 0.05;
	if (cli->mode < 0)
		cli->mode = 0640;
	/* a progress line on a terminal, never in cron's mail unless asked for */
	cli->progress = cli->progress || (isatty(STDERR_FILENO) && !cli->quiet);
	if (cli->no_progress)
		cli->progress = false;
	return cli_setup_logging(cli);
}

void cli_release(struct cli *cli)
{
	if (cli->cfg != NULL) {
		config_release(cli->cfg);
		free(cli->cfg);
		cli->cfg = NULL;
	}
}

int cli_setup_logging(const struct cli *cli)
{
	if (cli->quiet)
		log_set_level(LOG_WARN);
	if (cli->log_file != NULL && log_set_file(cli->log_file) != 0) {
		fprintf(stderr, "civreport: 无法打开日志文件 %s: %s\n", cli->log_file,
			strerror(errno));
		return EXIT_IO;
	}
	return 0;
}

int cli_load_schema(struct schema *schema)
{
	char err[512], *path = data_path("schema.ini");
	int rc;

	if (path == NULL) {
		fprintf(stderr, "civreport: 找不到数据集定义 schema.ini(设置 CIVREPORT_DATADIR "
				"或在项目目录中运行)\n");
		return EXIT_USAGE;
	}
	rc = schema_load(schema, path, err, sizeof(err));
	free(path);
	if (rc != 0) {
		fprintf(stderr, "civreport: %s\n", err);
		return EXIT_USAGE;
	}
	return 0;
}
