/*
 * cli.c - parsing the command line: getopt_long over the options of
 * settings.c's table, each value read by setting_set(); see cli.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "ingest/ingest.h"
#include "util/strbuf.h"
#include "config.h"
#include "settings.h"
#include "util/xalloc.h"
#include "util/exitcode.h"
#include "util/log.h"
#include "util/paths.h"
#include "ingest/schema.h"

/* getopt_long's val for the setting of index i: above every short option */
#define OPT_BASE 256

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A message about argv, then where to read the usage; returns EXIT_USAGE. */
static int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "civreport %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n（运行 civreport --help 查看用法）\n", stderr);
	return EXIT_USAGE;
}

/*
 * Options whose values depend on the subcommand: the settings table takes
 * every --format any subcommand knows; a subcommand listed here takes only
 * its own, and has its own default.
 */
struct cmd_choice {
	const char *cmd, *option;
	const char *const *allowed; /* canonical spellings, NULL-terminated */
	const char *deflt;
	const char *refused, *why; /* a value refused for a reason of its own */
};

static const char *const query_formats[] = {"table", "csv", "json", NULL};
static const char *const sample_formats[] = {"csv", "xlsx", NULL};

static const struct cmd_choice cmd_choices[] = {
    {"query", "format", query_formats, "table", NULL, NULL},
    /* Debian has no C library that writes BIFF8: libfreexl only reads it */
    {"sample", "format", sample_formats, "csv", "xls",
     "不生成 .xls 文件（没有可用的 .xls 写入库）"},
};

/* Options that only one subcommand takes. */
static const struct {
	const char *option, *cmd;
} cmd_only[] = {
    {"fix", "lint"},
};

/* option is one of cmd_only's and cmd is not its subcommand: say so. */
static int check_only(const char *cmd, const char *option)
{
	for (size_t i = 0; i < sizeof(cmd_only) / sizeof(cmd_only[0]); i++)
		if (strcmp(cmd_only[i].option, option) == 0 && strcmp(cmd_only[i].cmd, cmd) != 0)
			return usage_error(cmd, "--%s 只用于 civreport %s", option,
					   cmd_only[i].cmd);
	return 0;
}

static const struct cmd_choice *cmd_choice(const char *cmd, const char *option)
{
	for (size_t i = 0; i < sizeof(cmd_choices) / sizeof(cmd_choices[0]); i++)
		if (strcmp(cmd_choices[i].cmd, cmd) == 0 &&
		    strcmp(cmd_choices[i].option, option) == 0)
			return &cmd_choices[i];
	return NULL;
}

/* text is one of cc's values; or say which they are and return EXIT_USAGE. */
static int check_choice(const struct cmd_choice *cc, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;
	int rc;

	for (; cc->allowed[n] != NULL; n++)
		if (strcasecmp(text, cc->allowed[n]) == 0)
			return 0;
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i == 0 ? "" : i + 1 == n ? " 或 " : "、", cc->allowed[i]);
	if (cc->refused != NULL && strcasecmp(text, cc->refused) == 0)
		rc =
		    usage_error(cc->cmd, "--%s %s: %s；应为 %s", cc->option, text, cc->why, sb.buf);
	else
		rc = usage_error(cc->cmd, "--%s 应为 %s：%s", cc->option, sb.buf, text);
	strbuf_release(&sb);
	return rc;
}

/* The subcommand's own defaults of the options of cmd_choices not given. */
static void choice_defaults(struct cli *cli, const char *cmd)
{
	for (size_t i = 0; i < sizeof(cmd_choices) / sizeof(cmd_choices[0]); i++) {
		const struct cmd_choice *cc = &cmd_choices[i];
		const struct setting *s = setting_by_option(cc->option);
		char why[256];

		if (strcmp(cc->cmd, cmd) != 0 || (cli->given >> setting_index(s) & 1))
			continue;
		if (setting_set(s, cli, NULL, cc->deflt, why, sizeof(why)) != 0)
			abort(); /* a default the settings table refuses: a bug here */
	}
}

/* getopt_long's options, one per setting of the command line; ends with a zero row. */
static struct option *options(void)
{
	size_t n, k = 0;
	const struct setting *table = settings_table(&n);
	struct option *opts = xcalloc(n + 1, sizeof(*opts));

	for (size_t i = 0; i < n; i++) {
		if (table[i].option == NULL)
			continue;
		opts[k].name = table[i].option;
		opts[k].has_arg = table[i].type == SETTING_FLAG ? no_argument : required_argument;
		opts[k].val = OPT_BASE + (int)i;
		k++;
	}
	return opts;
}

/* What getopt_long refused: argv[optind - 1]; optopt is its val when the option exists. */
static int refused(const char *cmd, char **argv)
{
	size_t n;

	if (optopt >= OPT_BASE) {
		const struct setting *s = &settings_table(&n)[optopt - OPT_BASE];

		if (s->type == SETTING_FLAG)
			return usage_error(cmd, "--%s 不带值：%s", s->option, argv[optind - 1]);
		return usage_error(cmd, "--%s 需要一个值", s->option);
	}
	return usage_error(cmd, "未知的选项：%s", argv[optind - 1]);
}

int cli_parse(struct cli *cli, const char *cmd, int argc, char **argv)
{
	struct option *opts = options();
	const struct setting *table;
	size_t n;
	int opt, rc = 0;

	memset(cli, 0, sizeof(*cli));
	settings_init_cli(cli);
	table = settings_table(&n);
	optind = 0; /* glibc: start afresh, also when called again (tests do) */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const struct setting *s;
		char why[512];

		if (opt < OPT_BASE) {
			rc = refused(cmd, argv);
			break;
		}
		s = &table[opt - OPT_BASE];
		if (s->option != NULL && (rc = check_only(cmd, s->option)) != 0)
			break;
		if (s->option != NULL && cmd_choice(cmd, s->option) != NULL &&
		    (rc = check_choice(cmd_choice(cmd, s->option), optarg)) != 0)
			break;
		if (setting_set(s, cli, NULL, optarg, why, sizeof(why)) != 0) {
			rc = usage_error(cmd, "--%s %s", s->option, why);
			break;
		}
		cli->given |= UINT64_C(1) << setting_index(s);
	}
	free(opts);
	if (rc == 0)
		choice_defaults(cli, cmd);
	cli->args = argv + optind;
	cli->nargs = argc - optind;
	/* only query (its expressions) and mail (its files) take operands: never drop one */
	if (rc == 0 && cli->nargs > 0 && strcmp(cmd, "query") != 0 && strcmp(cmd, "mail") != 0) {
		char *shown = ingest_shown_path(cli->args[0]);

		rc = usage_error(
		    cmd, "不接受参数“%s”（模板用 --template FILE，输入用 --input DIR）", shown);
		free(shown);
	}
	return rc;
}

static bool given(const struct cli *cli, const char *option)
{
	return cli->given >> setting_index(setting_by_option(option)) & 1;
}

/*
 * --year Y is --period Y.  The command line wins over the configuration
 * file, and of two given in the same place, they must agree.
 */
static int resolve_period(struct cli *cli)
{
	bool py = given(cli, "period"), yy = given(cli, "year");
	char a[32];

	if (cli->year_latest && (!cli->has_period || (yy && !py)))
		return 0; /* the year is known from the data (cmd_run.c) */
	if (cli->has_period && cli->year != 0 && py == yy) {
		struct period y = period_year(cli->year);
		if (y.first != cli->period.first || y.last != cli->period.last) {
			period_canonical(&cli->period, a, sizeof(a));
			fprintf(stderr,
				"civreport: year %d 与 period %s 不一致；只需给出其中一个\n",
				cli->year, a);
			return EXIT_USAGE;
		}
	}
	if (cli->year != 0 && (!cli->has_period || (yy && !py))) {
		cli->period = period_year(cli->year);
		cli->has_period = true;
	}
	if (cli->has_period) {
		cli->year = period_end_year(&cli->period);
		cli->year_latest = false;
	}
	return 0;
}

/*
 * Where the parse cache lives unless --cache says: $XDG_CACHE_HOME/civreport
 * (an absolute path, as the XDG spec wants), else /var/cache/civreport for
 * root (a service's cache), else ~/.cache/civreport.  NULL when none can be
 * named (no HOME): the run goes without.
 */
static char *default_cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/civreport", xdg);
	if (geteuid() == 0)
		return xstrdup("/var/cache/civreport");
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.cache/civreport", home);
	return NULL;
}

int cli_finish(struct cli *cli)
{
	int rc;

	if (cli->config != NULL) {
		char err[768];

		cli->cfg = xcalloc(1, sizeof(*cli->cfg));
		if (config_load(cli->cfg, cli, cli->config, err, sizeof(err)) != 0) {
			fprintf(stderr, "civreport: %s\n", err);
			free(cli->cfg);
			cli->cfg = NULL;
			return EXIT_USAGE;
		}
	}
	if ((rc = resolve_period(cli)) != 0)
		return rc;
	if (cli->no_cache) {
		free(cli->cache);
		cli->cache = NULL;
	} else if (cli->cache == NULL) {
		cli->cache = default_cache_dir();
	}
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
	settings_release_cli(cli);
}

int cli_setup_logging(const struct cli *cli)
{
	if (cli->quiet)
		log_set_level(LOG_WARN);
	if (cli->log_file != NULL && log_set_file(cli->log_file, (mode_t)cli->mode) != 0) {
		fprintf(stderr, "civreport: 无法打开日志文件 %s：%s\n", cli->log_file,
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
		fprintf(stderr, "civreport: 找不到数据集定义 schema.ini（设置 CIVREPORT_DATADIR "
				"或在项目目录中运行）\n");
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

const char *cli_folder_problem(const char *v)
{
	if (v[0] == '\0' || v[0] == '.' || strchr(v, '/') != NULL)
		return "不能作为目录名（空、以“.”开头或含“/”）";
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "含控制字符，不能作为目录名";
	if (strlen(v) > 200)
		return "太长，不能作为目录名";
	return NULL;
}

char *cli_set_folder(const struct cli *cli)
{
	char period[32];
	struct strbuf sb = STRBUF_INIT;

	period_canonical(&cli->period, period, sizeof(period));
	strbuf_addstr(&sb, period);
	for (size_t w = 0; w < cli->nwhere; w++) {
		const char *v = strchr(cli->where[w], '=');
		v = v ? v + 1 : cli->where[w];
		strbuf_addch(&sb, '-');
		if (cli_folder_problem(v) != NULL || strpbrk(v, "<>!") != NULL)
			strbuf_addch(&sb, '_');
		else
			strbuf_addstr(&sb, v);
	}
	return strbuf_detach(&sb, NULL);
}
