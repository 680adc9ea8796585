/*
 * test_settings.c - the one table of settings: the table's own consistency, the command line and
 * the configuration file accepting and refusing the same values the same way, the messages that
 * refuse them (file:line or the option, the value, what is allowed), flags
 * winning over the file, and the password rules.
 *
 * Configuration files are written into a fresh mkdtemp folder under /tmp.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/config.h"
#include "cli/settings.h"
#include "util/exitcode.h"
#include "util/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char tmpdir[64];
static char conf[128]; /* tmpdir/civreport.conf */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/civreport-settings-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(conf, sizeof(conf), "%s/civreport.conf", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/*
 * cli_parse over "cmd" and the NULL-terminated arguments that follow.
 * The argv array stays alive until the next call (getopt permutes it and
 * cli->args points into it).
 */
static int parse(struct cli *cli, ...)
{
	static char *argv[64];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)"run";
	va_start(ap, cli);
	for (char *a; (a = va_arg(ap, char *)) != NULL;) {
		assert_true(argc + 1 < (int)ARRAY_SIZE(argv));
		argv[argc++] = a;
	}
	va_end(ap);
	argv[argc] = NULL;
	return cli_parse(cli, "run", argc, argv);
}

/* Write text as the configuration file and load it over cli into cfg. */
static int load(struct cli *cli, struct config *cfg, const char *text, char *err, size_t len)
{
	write_file(conf, text, 0600);
	err[0] = '\0';
	return config_load(cfg, cli, conf, err, len);
}

/* --------------------------------------------------------------- table */

/* "max-reject-rate" and "max_reject_rate" are the same name. */
static bool same_name(const char *option, const char *key)
{
	for (; *option && *key; option++, key++)
		if (*option != *key && !(*option == '-' && *key == '_'))
			return false;
	return *option == *key;
}

static void test_table_consistent(void **state)
{
	size_t n;
	const struct setting *t = settings_table(&n);
	char why[256];

	(void)state;
	assert_true(n > 0 && n <= 64);
	for (size_t i = 0; i < n; i++) {
		const struct setting *s = &t[i];
		const char *name = s->option ? s->option : s->key;

		assert_non_null(name);
		/* a key has a section, a section has a key; [mail] is never a flag */
		assert_int_equal(s->key != NULL, s->section != SECTION_NONE);
		if (s->section == SECTION_MAIL && s->option != NULL)
			fail_msg("%s: [mail] settings live in struct config, options in struct cli",
				 name);
		if (s->option != NULL && s->key != NULL && !same_name(s->option, s->key))
			fail_msg("--%s is spelt %s in the file", s->option, s->key);
		if (s->type == SETTING_FLAG && (s->key != NULL || s->option == NULL))
			fail_msg("%s: a flag is a command-line option only", name);
		if ((s->type == SETTING_INT || s->type == SETTING_DOUBLE) && s->what == NULL)
			fail_msg("%s: a number needs its what for messages", name);
		if (s->type == SETTING_INT && s->min > s->max)
			fail_msg("%s: min > max", name);
		if (s->type == SETTING_ENUM) {
			assert_non_null(s->choices);
			for (const struct setting_choice *c = s->choices; c->name; c++) {
				bool found = c->means == NULL;
				for (const struct setting_choice *d = s->choices; d->name; d++)
					found |=
					    c->means && !d->means && !strcmp(c->means, d->name);
				if (!found)
					fail_msg("%s: %s means %s, not a value", name, c->name,
						 c->means);
			}
		}
		if (s->deflt != NULL && setting_set(s, NULL, NULL, s->deflt, why, sizeof(why)))
			fail_msg("%s: default \"%s\" %s", name, s->deflt, why);
		assert_int_equal(setting_index(s), i);
		if (s->option != NULL)
			assert_ptr_equal(setting_by_option(s->option), s);
		if (s->key != NULL)
			assert_ptr_equal(setting_by_key(s->section, s->key), s);
	}
	assert_null(setting_by_option("bogus"));
	assert_null(setting_by_key(SECTION_RUN, "url"));    /* a [mail] key */
	assert_null(setting_by_key(SECTION_MAIL, "input")); /* a [run] key */
	assert_null(setting_by_key(SECTION_RUN, "wait"));   /* an option only */
}

/* -------------------------------------------------------- command line */

static void test_cli_defaults(void **state)
{
	struct cli cli;

	(void)state;
	assert_int_equal(parse(&cli, NULL), 0);
	assert_string_equal(cli.input, "input");
	assert_string_equal(cli.output, "output");
	assert_string_equal(cli.format, "table");
	assert_true(cli.max_reject_rate == 0.05);
	assert_int_equal(cli.mode, 0640);
	assert_true(cli.scale == 1.0);
	assert_int_equal(cli.seed, 2021);
	assert_int_equal(cli.year, 0);
	assert_false(cli.year_latest);
	assert_null(cli.encoding);
	assert_null(cli.template_path);
	assert_int_equal(cli.threads, 0);
	assert_int_equal(cli.given, 0);
	cli_release(&cli);
}

/* Every option civreport had before the table, as its tests and crontabs spell them. */
static void test_cli_every_option(void **state)
{
	struct cli cli;

	(void)state;
	assert_int_equal(parse(&cli, "--year", "2020", "--input", "in", "--output", "out",
			       "--template", "t.md", "--config", "c.ini", "--encoding", "GBK",
			       "--format", "json", "--out", "s", "--scale", "0.01", "--seed", "7",
			       "--max-reject-rate=0.5", "--threads", "3", "--wait", "600",
			       "--quiet", "--progress", "--no-progress", "--if-changed", "--mail",
			       "--log-file", "l.log", "--mode", "0600", NULL),
			 0);
	assert_int_equal(cli.year, 2020);
	assert_string_equal(cli.input, "in");
	assert_string_equal(cli.output, "out");
	assert_string_equal(cli.template_path, "t.md");
	assert_string_equal(cli.config, "c.ini");
	assert_string_equal(cli.encoding, "gb18030");
	assert_string_equal(cli.format, "json");
	assert_string_equal(cli.out, "s");
	assert_true(cli.scale == 0.01);
	assert_int_equal(cli.seed, 7);
	assert_true(cli.max_reject_rate == 0.5);
	assert_int_equal(cli.threads, 3);
	assert_int_equal(cli.wait_seconds, 600);
	assert_true(cli.quiet && cli.progress && cli.no_progress && cli.if_changed && cli.mail);
	assert_false(cli.help);
	assert_string_equal(cli.log_file, "l.log");
	assert_int_equal(cli.mode, 0600);
	assert_int_equal(cli.nargs, 0);
	assert_true(cli.given & (UINT64_C(1) << setting_index(setting_by_option("threads"))));
	assert_false(cli.given & (UINT64_C(1) << setting_index(setting_by_option("help"))));
	cli_release(&cli);

	/* run takes no operand: a template path written without --template is refused, not dropped
	 */
	assert_int_equal(parse(&cli, "--year", "2020", "templates/x.md", NULL), EXIT_USAGE);
	cli_release(&cli);
	{
		char a0[] = "query", a1[] = "--year", a2[] = "2020", a3[] = "expr 1",
		     a4[] = "expr 2";
		char *argv[] = {a0, a1, a2, a3, a4, NULL};

		assert_int_equal(cli_parse(&cli, "query", 5, argv), 0);
		assert_int_equal(cli.nargs, 2);
		assert_string_equal(cli.args[0], "expr 1");
		assert_string_equal(cli.args[1], "expr 2");
		cli_release(&cli);
	}

	assert_int_equal(parse(&cli, "--year", "latest", "--help", "--encoding", "utf8", NULL), 0);
	assert_true(cli.year_latest);
	assert_true(cli.help);
	assert_string_equal(cli.encoding, "utf-8");
	cli_release(&cli);
	/* the last one wins, whole: latest then a year is that year */
	assert_int_equal(parse(&cli, "--year", "latest", "--year", "2019", NULL), 0);
	assert_false(cli.year_latest);
	assert_int_equal(cli.year, 2019);
	cli_release(&cli);
}

static void test_cli_refuses(void **state)
{
	static const char *const bad[][2] = {
	    {"--encoding", "latin1"},
	    {"--encoding", ""},
	    {"--year", "20x1"},
	    {"--year", "1899"},
	    {"--threads", "0"},
	    {"--threads", "65"},
	    {"--threads", "4x"},
	    {"--format", "xml"},
	    {"--scale", "0"},
	    {"--seed", "-1"},
	    {"--max-reject-rate", "1.5"},
	    {"--wait", "-1"},
	    {"--mode", "0800"},
	    {"--mode", ""},
	    {"--bogus-flag", "1"},
	};
	struct cli cli;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int rc = parse(&cli, bad[i][0], bad[i][1], NULL);
		if (rc != EXIT_USAGE)
			fail_msg("%s \"%s\": %d, want EXIT_USAGE", bad[i][0], bad[i][1], rc);
		cli_release(&cli);
	}
	assert_int_equal(parse(&cli, "--year", NULL), EXIT_USAGE);
	cli_release(&cli);
	assert_int_equal(parse(&cli, "--quiet=yes", NULL), EXIT_USAGE);
	cli_release(&cli);
}

/*
 * --format's values are the subcommand's own: query takes table, csv and
 * json (table by default), sample csv and xlsx (csv by default); run
 * ignores it and takes any of them.
 */
static void test_cli_format_per_command(void **state)
{
	static const struct {
		const char *cmd, *value, *want; /* want NULL: refused */
	} cases[] = {
	    {"sample", NULL, "csv"},  {"sample", "xlsx", "xlsx"}, {"sample", "CSV", "csv"},
	    {"sample", "xls", NULL},  {"sample", "table", NULL},  {"sample", "pdf", NULL},
	    {"query", NULL, "table"}, {"query", "json", "json"},  {"query", "xlsx", NULL},
	    {"run", NULL, "table"},   {"run", "json", "json"},
	};
	struct cli cli;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *argv[] = {(char *)cases[i].cmd, (char *)"--format", (char *)cases[i].value,
				NULL};
		int argc = cases[i].value ? 3 : 1;
		int rc = cli_parse(&cli, cases[i].cmd, argc, argv);

		if (cases[i].want == NULL && rc != EXIT_USAGE)
			fail_msg("%s --format %s: %d, want EXIT_USAGE", cases[i].cmd,
				 cases[i].value, rc);
		if (cases[i].want != NULL && (rc != 0 || strcmp(cli.format, cases[i].want) != 0))
			fail_msg("%s --format %s: %d \"%s\", want \"%s\"", cases[i].cmd,
				 cases[i].value ? cases[i].value : "(none)", rc, cli.format,
				 cases[i].want);
		cli_release(&cli);
	}
}

/* ---------------------------------------------------- both ways, alike */

/* The value s stored in a and in b is the same. */
static bool same_value(const struct setting *s, const struct cli *a, const struct cli *b)
{
	const char *pa = (const char *)a + s->offset, *pb = (const char *)b + s->offset;

	switch (s->type) {
	case SETTING_STRING:
	case SETTING_ENUM: {
		const char *x = *(const char *const *)pa, *y = *(const char *const *)pb;
		return (x == NULL && y == NULL) || (x && y && strcmp(x, y) == 0);
	}
	case SETTING_INT:
	case SETTING_MODE:
		return *(const int *)pa == *(const int *)pb;
	case SETTING_DOUBLE:
		return *(const double *)pa == *(const double *)pb;
	case SETTING_YEAR:
		return *(const int *)pa == *(const int *)pb &&
		       *(const bool *)((const char *)a + s->extra) ==
			   *(const bool *)((const char *)b + s->extra);
	case SETTING_BOOL:
		return *(const bool *)pa == *(const bool *)pb;
	case SETTING_PERIOD:
		return memcmp(pa, pb, sizeof(struct period)) == 0 &&
		       *(const bool *)((const char *)a + s->extra) ==
			   *(const bool *)((const char *)b + s->extra);
	case SETTING_WHERE: {
		size_t na = *(const size_t *)((const char *)a + s->extra);
		size_t nb = *(const size_t *)((const char *)b + s->extra);
		char *const *x = *(char *const *const *)pa, *const *y = *(char *const *const *)pb;
		if (na != nb)
			return false;
		for (size_t k = 0; k < na; k++)
			if (strcmp(x[k], y[k]) != 0)
				return false;
		return true;
	}
	default:
		fail_msg("a [run] setting of type %d: teach same_value", s->type);
	}
	return false;
}

/*
 * Every setting of both the command line and [run], given each of many
 * texts: accepted by both or refused by both, and the same value stored.
 * (Before the table, "encoding = latin1" was taken as auto by the file
 * and refused by --encoding.)
 */
static void test_cli_and_file_agree(void **state)
{
	static const char *const probes[] = {
	    "",
	    "0",
	    "1",
	    "3",
	    "64",
	    "65",
	    "-1",
	    "0.05",
	    "1.5",
	    "2021",
	    "1899",
	    "20x1",
	    "latest",
	    "LATEST",
	    "auto",
	    "UTF-8",
	    "utf8",
	    "gbk",
	    "GB18030",
	    "latin1",
	    "0640",
	    "640",
	    "0800",
	    "yes",
	    "/srv/in",
	    "输入",
	    "1e-2",
	    "2021Q3",
	    "2021h1",
	    "2021-09",
	    "2021-01..2021-09",
	    "2021Q5",
	    "区县=岳池县",
	    "=x",
	};
	size_t n;
	const struct setting *t = settings_table(&n);
	int both = 0;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		if (t[i].option == NULL || t[i].key == NULL)
			continue;
		both++;
		for (size_t p = 0; p < ARRAY_SIZE(probes); p++) {
			struct cli a, b;
			struct config cfg;
			char opt[64], text[256], err[1024];
			int rc_cli, rc_file;

			snprintf(opt, sizeof(opt), "--%s", t[i].option);
			rc_cli = parse(&a, opt, probes[p], NULL);
			assert_int_equal(parse(&b, NULL), 0);
			snprintf(text, sizeof(text), "[run]\n%s = %s\n", t[i].key, probes[p]);
			rc_file = load(&b, &cfg, text, err, sizeof(err));
			if ((rc_cli == 0) != (rc_file == 0))
				fail_msg("%s \"%s\": the command line says %d, the file %d (%s)",
					 opt, probes[p], rc_cli, rc_file, err);
			if (rc_cli == 0 && !same_value(&t[i], &a, &b))
				fail_msg("%s \"%s\": another value from the file", opt, probes[p]);
			if (rc_file == 0)
				config_release(&cfg);
			cli_release(&a);
			cli_release(&b);
		}
	}
	assert_int_equal(both, 13);
}

/* ------------------------------------------------- configuration file */

static void test_file_every_key(void **state)
{
	struct cli cli;
	struct config cfg;
	char err[1024];

	(void)state;
	setenv("CIVREPORT_TEST_SETTINGS_PW", "s3cret", 1);
	assert_int_equal(parse(&cli, NULL), 0);
	assert_int_equal(load(&cli, &cfg,
			      "input = /srv/in\n" /* before any section: [run] */
			      "[run]\n"
			      "output = /srv/out\n"
			      "template = /srv/t.md\n"
			      "year = latest\n"
			      "max_reject_rate = 0.1\n"
			      "encoding = UTF8\n"
			      "threads = 2\n"
			      "mode = 0600\n"
			      "log_file = /var/log/c.log\n"
			      "cache = /srv/cache\n"
			      "no_cache = yes\n"
			      "[mail]\n"
			      "url = smtp://mail.example.gov.cn:587\n"
			      "from = civreport@example.gov.cn\n"
			      "from_name = 广安市民政局\n"
			      "to = a@example.gov.cn， b@example.gov.cn,c@example.gov.cn\n"
			      "user = civreport\n"
			      "password_env = CIVREPORT_TEST_SETTINGS_PW\n"
			      "starttls = On\n"
			      "attach_xlsx = 是\n"
			      "on_failure = duty@example.gov.cn\n"
			      "retries = 0\n"
			      "retry_delay_ms = 100\n"
			      "timeout = 10\n",
			      err, sizeof(err)),
			 0);
	assert_string_equal(cli.input, "/srv/in");
	assert_string_equal(cli.output, "/srv/out");
	assert_string_equal(cli.template_path, "/srv/t.md");
	assert_true(cli.year_latest);
	assert_true(cli.max_reject_rate == 0.1);
	assert_string_equal(cli.encoding, "utf-8");
	assert_int_equal(cli.threads, 2);
	assert_int_equal(cli.mode, 0600);
	assert_string_equal(cli.log_file, "/var/log/c.log");
	assert_string_equal(cli.cache, "/srv/cache");
	assert_true(cli.no_cache);
	assert_string_equal(cfg.mail.url, "smtp://mail.example.gov.cn:587");
	assert_string_equal(cfg.mail.from, "civreport@example.gov.cn");
	assert_string_equal(cfg.mail.from_name, "广安市民政局");
	assert_int_equal(cfg.mail.nto, 3);
	assert_string_equal(cfg.mail.to[1], "b@example.gov.cn");
	assert_string_equal(cfg.mail.user, "civreport");
	assert_string_equal(cfg.mail.password, "s3cret");
	assert_null(cfg.password_env);
	assert_true(cfg.mail.starttls);
	assert_true(cfg.mail.attach_xlsx);
	assert_int_equal(cfg.mail.non_failure, 1);
	assert_int_equal(cfg.mail.retries, 0);
	assert_int_equal(cfg.mail.retry_delay_ms, 100);
	assert_int_equal(cfg.mail.timeout_seconds, 10);
	config_release(&cfg);
	cli_release(&cli);
	unsetenv("CIVREPORT_TEST_SETTINGS_PW");

	/* the [mail] defaults, and "no" spelt every way */
	assert_int_equal(parse(&cli, NULL), 0);
	assert_int_equal(load(&cli, &cfg, "[mail]\nurl = smtp://x\n", err, sizeof(err)), 0);
	assert_true(cfg.mail.starttls);
	assert_false(cfg.mail.attach_xlsx);
	assert_int_equal(cfg.mail.retries, 3);
	assert_int_equal(cfg.mail.retry_delay_ms, 2000);
	assert_int_equal(cfg.mail.timeout_seconds, 60);
	config_release(&cfg);
	for (const char *const *v =
		 (const char *const[]){"no", "No", "OFF", "false", "0", "否", NULL};
	     *v; v++) {
		char text[64];

		snprintf(text, sizeof(text), "[mail]\nstarttls = %s\n", *v);
		assert_int_equal(load(&cli, &cfg, text, err, sizeof(err)), 0);
		if (cfg.mail.starttls)
			fail_msg("starttls = %s left STARTTLS on", *v);
		config_release(&cfg);
	}
	cli_release(&cli);
}

/* err holds every one of the NULL-terminated strings. */
static void assert_says(const char *err, ...)
{
	va_list ap;

	va_start(ap, err);
	for (const char *s; (s = va_arg(ap, const char *)) != NULL;)
		if (strstr(err, s) == NULL)
			fail_msg("message \"%s\" lacks \"%s\"", err, s);
	va_end(ap);
}

static void test_file_refuses(void **state)
{
	struct cli cli;
	struct config cfg;
	char err[1024], at[160];

	(void)state;
	assert_int_equal(parse(&cli, NULL), 0);
	snprintf(at, sizeof(at), "%s:3:", conf);

	/* unknown values: file:line, the key, the value, what is allowed */
	assert_int_equal(
	    load(&cli, &cfg, "[run]\n; comment\nencoding = latin1\n", err, sizeof(err)), -1);
	assert_says(err, at, "encoding", "latin1", "auto、utf-8 或 gb18030", NULL);
	assert_int_equal(load(&cli, &cfg, "[mail]\n\nstarttls = Ja\n", err, sizeof(err)), -1);
	assert_says(err, at, "starttls", "Ja", "yes 或 no", "on/off", "是/否", NULL);
	assert_int_equal(load(&cli, &cfg, "[mail]\n\nattach_xlsx =\n", err, sizeof(err)), -1);
	assert_says(err, at, "attach_xlsx", NULL);
	assert_int_equal(load(&cli, &cfg, "[run]\n\nthreads = 65\n", err, sizeof(err)), -1);
	assert_says(err, at, "threads", "65", "1 到 64", NULL);
	assert_int_equal(load(&cli, &cfg, "[run]\n\nyear = 21\n", err, sizeof(err)), -1);
	assert_says(err, at, "year", "21", "latest", NULL);
	assert_int_equal(load(&cli, &cfg, "[run]\n\nmode = 0800\n", err, sizeof(err)), -1);
	assert_says(err, at, "mode", "0800", "八进制", NULL);
	assert_int_equal(load(&cli, &cfg, "[run]\n\nmax_reject_rate =\n", err, sizeof(err)), -1);
	assert_says(err, at, "max_reject_rate", "0 到 1", NULL);
	assert_int_equal(load(&cli, &cfg, "[mail]\n\nretries = 3 times\n", err, sizeof(err)), -1);
	assert_says(err, at, "retries", "3 times", "0 到 20", NULL);
	assert_int_equal(
	    load(&cli, &cfg, "[mail]\n\nto = a@example.gov.cn, office\n", err, sizeof(err)), -1);
	assert_says(err, at, "to", "office", "电子邮件地址", NULL);
	assert_int_equal(load(&cli, &cfg, "[mail]\n\nfrom = 民政局\n", err, sizeof(err)), -1);
	assert_says(err, at, "from", "民政局", NULL);
	assert_int_equal(load(&cli, &cfg, "[run]\n\nno_cache = sometimes\n", err, sizeof(err)), -1);
	assert_says(err, at, "no_cache", "sometimes", "yes 或 no", NULL);
	assert_int_equal(load(&cli, &cfg, "[run]\n\ncache =\n", err, sizeof(err)), -1);
	assert_says(err, at, "cache", "不能为空", NULL);

	/* unknown keys and sections: file:line, the key, the keys there are */
	assert_int_equal(load(&cli, &cfg, "[run]\n\nthread = 2\n", err, sizeof(err)), -1);
	assert_says(err, at, "[run]", "thread", "threads", "max_reject_rate", NULL);
	assert_int_equal(load(&cli, &cfg, "[mail]\n\nstart_tls = yes\n", err, sizeof(err)), -1);
	assert_says(err, at, "[mail]", "start_tls", "starttls", "retry_delay_ms", NULL);
	assert_int_equal(load(&cli, &cfg, "[mail]\n\ninput = x\n", err, sizeof(err)), -1);
	assert_says(err, at, "[mail]", "input", NULL);
	assert_int_equal(load(&cli, &cfg, "[run]\n\nwait = 5\n", err, sizeof(err)), -1);
	assert_says(err, at, "wait", NULL);
	assert_int_equal(load(&cli, &cfg, "[run]\n[smtp]\nurl = x\n", err, sizeof(err)), -1);
	assert_says(err, at, "smtp", "[run]", "[mail]", NULL);
	assert_int_equal(load(&cli, &cfg, "[mail]\n\npassword = hunter2\n", err, sizeof(err)), -1);
	assert_says(err, at, "password_env", "password_file", NULL);
	assert_null(strstr(err, "hunter2"));
	cli_release(&cli);
}

/* Flags win over the file; the file's values are checked all the same. */
static void test_flags_win(void **state)
{
	struct cli cli;
	struct config cfg;
	char err[1024];

	(void)state;
	assert_int_equal(parse(&cli, "--year", "2020", "--threads", "4", "--encoding", "gbk",
			       "--max-reject-rate", "0.2", NULL),
			 0);
	assert_int_equal(load(&cli, &cfg,
			      "[run]\nyear = latest\nthreads = 2\nencoding = utf-8\n"
			      "max_reject_rate = 0.01\ninput = from-file\nmode = 0600\n",
			      err, sizeof(err)),
			 0);
	assert_int_equal(cli.year, 2020);
	assert_false(cli.year_latest);
	assert_int_equal(cli.threads, 4);
	assert_string_equal(cli.encoding, "gb18030");
	assert_true(cli.max_reject_rate == 0.2);
	/* what the flags did not give comes from the file, over the defaults */
	assert_string_equal(cli.input, "from-file");
	assert_string_equal(cli.output, "output");
	assert_int_equal(cli.mode, 0600);
	config_release(&cfg);

	assert_int_equal(load(&cli, &cfg, "[run]\nthreads = many\n", err, sizeof(err)), -1);
	assert_says(err, "threads", "many", NULL);
	assert_int_equal(cli.threads, 4);
	cli_release(&cli);
}

/* The password: from a private file or the environment, never otherwise. */
static void test_password(void **state)
{
	struct cli cli;
	struct config cfg;
	char err[1024], text[256], pw[128];

	(void)state;
	snprintf(pw, sizeof(pw), "%s/smtp.password", tmpdir);
	write_file(pw, "s3cret\n", 0644);
	snprintf(text, sizeof(text), "[mail]\npassword_file = %s\n", pw);
	assert_int_equal(parse(&cli, NULL), 0);
	assert_int_equal(load(&cli, &cfg, text, err, sizeof(err)), -1);
	assert_says(err, pw, "0644", "chmod 600", NULL);
	assert_null(strstr(err, "s3cret"));
	assert_int_equal(chmod(pw, 0600), 0);
	assert_int_equal(load(&cli, &cfg, text, err, sizeof(err)), 0);
	assert_string_equal(cfg.mail.password, "s3cret");
	assert_null(cfg.password_file);
	config_release(&cfg);

	unsetenv("CIVREPORT_TEST_SETTINGS_UNSET");
	assert_int_equal(load(&cli, &cfg, "[mail]\npassword_env = CIVREPORT_TEST_SETTINGS_UNSET\n",
			      err, sizeof(err)),
			 -1);
	assert_says(err, "CIVREPORT_TEST_SETTINGS_UNSET", NULL);
	cli_release(&cli);
}

/*
 * issue 10 item 18: every spelling of a yes/no setting, in any case, means
 * what it says; anything else (a comment after the value, a near-miss) is
 * refused, never read as "no" (which sent the password in clear text).
 */
static void test_bool_spellings(void **state)
{
	static const char *const yes[] = {"yes", "Yes", "YES", "yEs", "true", "True", "TRUE",
					  "on",  "On",  "ON",  "oN",  "1",    "是"};
	static const char *const no[] = {"no",  "No",  "NO",  "nO",  "false", "False", "FALSE",
					 "off", "Off", "OFF", "oFf", "0",     "否"};
	static const char *const bad[] = {
	    "yes ; required",
	    "Yes # TLS",
	    "yes yes",
	    "ja",
	    "nein",
	    "y",
	    "n",
	    "tru",
	    "ture",
	    "2",
	    "-1",
	    "01",
	    "+1",
	    "",
	    "enabled",
	    "是的",
	    "no;",
	    "off.",
	    "\"yes\"",
	};
	static const char *const keys[] = {"starttls", "attach_xlsx"};
	struct cli cli;
	struct config cfg;
	char err[1024], text[128];

	(void)state;
	assert_int_equal(parse(&cli, NULL), 0);
	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		for (size_t i = 0; i < ARRAY_SIZE(yes) + ARRAY_SIZE(no); i++) {
			bool want = i < ARRAY_SIZE(yes);
			const char *v = want ? yes[i] : no[i - ARRAY_SIZE(yes)];
			bool got;

			/* the opposite first, so that a value left as it was shows */
			snprintf(text, sizeof(text), "[mail]\n%s = %s\n%s = %s\n", keys[k],
				 want ? "no" : "yes", keys[k], v);
			if (load(&cli, &cfg, text, err, sizeof(err)) != 0)
				fail_msg("%s = %s refused: %s", keys[k], v, err);
			got = k == 0 ? cfg.mail.starttls : cfg.mail.attach_xlsx;
			if (got != want)
				fail_msg("%s = %s read as %s", keys[k], v, got ? "yes" : "no");
			config_release(&cfg);
		}
		for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
			snprintf(text, sizeof(text), "[mail]\n%s = %s\n", keys[k], bad[i]);
			if (load(&cli, &cfg, text, err, sizeof(err)) == 0)
				fail_msg("%s = %s accepted", keys[k], bad[i]);
			assert_says(err, ":2:", keys[k], "yes 或 no", NULL);
		}
	}
	cli_release(&cli);
}

/*
 * issue 10 item 18, the class: every value of the file is checked when it
 * is read, with file:line and what is allowed; none is taken as something
 * else (timeout = 0 meaning 60) or left to fail at 2 a.m.
 */
static void test_every_value_checked(void **state)
{
	static const char *const bad[][3] = {
	    /* key = value, and what the message must say */
	    {"[mail]", "url = http://mail.example.gov.cn", "smtp://"},
	    {"[mail]", "url = smtp://", "主机"},
	    {"[mail]", "url = smtp://:25", "主机"},
	    {"[mail]", "url = smtp://mail.example.gov.cn:0", "65535"},
	    {"[mail]", "url = smtp://mail.example.gov.cn:99999", "65535"},
	    {"[mail]", "url = smtp://mail.example.gov.cn:25x", "65535"},
	    {"[mail]", "url = smtp://mail.example.gov.cn ; main server", "空格"},
	    {"[mail]", "url = smtp://civ:hunter2@mail.example.gov.cn", "password_file"},
	    {"[mail]", "url = smtp://邮件.gov.cn", "ASCII"},
	    {"[mail]", "url =", "smtp://"},
	    {"[mail]", "to =", "不能为空"},
	    {"[mail]", "to = ,", "不能为空"},
	    {"[mail]", "on_failure =", "不能为空"},
	    {"[mail]", "user =", "不能为空"},
	    {"[mail]", "from_name =", "不能为空"},
	    {"[mail]", "password_file =", "不能为空"},
	    {"[mail]", "password_env =", "环境变量名"},
	    {"[mail]", "password_env = 1PW", "环境变量名"},
	    {"[mail]", "password_env = SMTP PW", "环境变量名"},
	    {"[mail]", "password_env = $SMTP_PW", "环境变量名"},
	    {"[mail]", "timeout = 0", "1 到 3600"},
	    {"[mail]", "timeout = 100000", "1 到 3600"},
	    {"[mail]", "retry_delay_ms = -1", "0 到 300000"},
	    {"[mail]", "retry_delay_ms = 2147483647", "0 到 300000"},
	    {"[run]", "input =", "不能为空"},
	    {"[run]", "output =", "不能为空"},
	    {"[run]", "template =", "不能为空"},
	    {"[run]", "log_file =", "不能为空"},
	};
	struct cli cli;
	struct config cfg;
	char err[1024], text[256];

	(void)state;
	assert_int_equal(parse(&cli, NULL), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char key[32];

		snprintf(text, sizeof(text), "%s\n%s\n", bad[i][0], bad[i][1]);
		snprintf(key, sizeof(key), "%.*s", (int)strcspn(bad[i][1], " ="), bad[i][1]);
		if (load(&cli, &cfg, text, err, sizeof(err)) == 0) {
			config_release(&cfg);
			fail_msg("%s accepted", bad[i][1]);
		}
		assert_says(err, ":2:", key, bad[i][2], NULL);
	}
	/* what is allowed still is */
	assert_int_equal(load(&cli, &cfg,
			      "[mail]\nurl = SMTPS://mail.example.gov.cn:465/civreport.local\n"
			      "timeout = 1\nretry_delay_ms = 0\n",
			      err, sizeof(err)),
			 0);
	assert_int_equal(cfg.mail.timeout_seconds, 1);
	assert_int_equal(cfg.mail.retry_delay_ms, 0);
	config_release(&cfg);
	assert_int_equal(load(&cli, &cfg, "[mail]\nurl = smtp://[::1]:2525\n", err, sizeof(err)),
			 0);
	config_release(&cfg);

	/* the password: from one place, and there must be one for a login */
	setenv("CIVREPORT_TEST_SETTINGS_EMPTY", "", 1);
	assert_int_equal(load(&cli, &cfg, "[mail]\npassword_env = CIVREPORT_TEST_SETTINGS_EMPTY\n",
			      err, sizeof(err)),
			 -1);
	assert_says(err, "CIVREPORT_TEST_SETTINGS_EMPTY", "空", NULL);
	unsetenv("CIVREPORT_TEST_SETTINGS_EMPTY");
	setenv("CIVREPORT_TEST_SETTINGS_PW", "s3cret", 1);
	snprintf(text, sizeof(text),
		 "[mail]\npassword_env = CIVREPORT_TEST_SETTINGS_PW\npassword_file = %s/pw\n",
		 tmpdir);
	assert_int_equal(load(&cli, &cfg, text, err, sizeof(err)), -1);
	assert_says(err, "password_env", "password_file", "其中一个", NULL);
	unsetenv("CIVREPORT_TEST_SETTINGS_PW");
	assert_int_equal(load(&cli, &cfg, "[mail]\nuser = civreport\n", err, sizeof(err)), -1);
	assert_says(err, "user", "password_env", "password_file", NULL);
	cli_release(&cli);
}

/*
 * issue 10 item 20: a password file that cannot hold a password (a
 * directory, a FIFO, an empty file, a blank first line, NUL bytes, more than
 * one line) or that others may read is refused with the reason, never taken
 * as an empty or cut password; the message never shows the content.
 */
static void test_password_file_refused(void **state)
{
	struct {
		const char *name;
		const char *content; /* NULL: made below */
		mode_t mode;
		const char *says;
	} cases[] = {
	    {"empty", "", 0600, "空"},
	    {"newline", "\n", 0600, "第一行是空的"},
	    {"blank-first", "\ns3cret\n", 0600, "第一行是空的"},
	    {"two-lines", "s3cret\nsecond\n", 0600, "多行"},
	    {"group", "s3cret\n", 0640, "chmod 600"},
	    {"world", "s3cret\n", 0604, "chmod 600"},
	    {"dir", NULL, 0700, "目录"},
	    {"fifo", NULL, 0600, "不是普通文件"},
	    {"nul", NULL, 0600, "NUL"},
	};
	struct cli cli;
	struct config cfg;
	char err[1024], text[256], path[160];

	(void)state;
	assert_int_equal(parse(&cli, NULL), 0);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, cases[i].name);
		if (cases[i].content != NULL) {
			write_file(path, cases[i].content, cases[i].mode);
		} else if (strcmp(cases[i].name, "dir") == 0) {
			assert_int_equal(mkdir(path, cases[i].mode), 0);
		} else if (strcmp(cases[i].name, "fifo") == 0) {
			assert_int_equal(mkfifo(path, cases[i].mode), 0);
		} else {
			FILE *fp = fopen(path, "w");

			assert_non_null(fp);
			assert_int_equal(fwrite("s3\0cret\n", 1, 8, fp), 8);
			assert_int_equal(fclose(fp), 0);
			assert_int_equal(chmod(path, cases[i].mode), 0);
		}
		snprintf(text, sizeof(text), "[mail]\nuser = civreport\npassword_file = %s\n",
			 path);
		if (load(&cli, &cfg, text, err, sizeof(err)) == 0) {
			fail_msg("password file %s (%s) accepted, password \"%s\"", cases[i].name,
				 cases[i].says, cfg.mail.password ? cfg.mail.password : "(null)");
		}
		assert_says(err, path, cases[i].says, NULL);
		if (strstr(err, "s3cret") != NULL || strstr(err, "second") != NULL)
			fail_msg("the message shows the password: %s", err);
	}
	/* unreadable: only a user that is not root cannot read it */
	snprintf(path, sizeof(path), "%s/unreadable", tmpdir);
	write_file(path, "s3cret\n", 0000);
	snprintf(text, sizeof(text), "[mail]\nuser = civreport\npassword_file = %s\n", path);
	if (geteuid() != 0) {
		assert_int_equal(load(&cli, &cfg, text, err, sizeof(err)), -1);
		assert_says(err, path, "Permission denied", NULL);
	}
	/* the good ones: a line end or none, CRLF too; the password whole, however long */
	for (const char *const *c = (const char *const[]){"s3cret", "s3cret\n", "s3cret\r\n", NULL};
	     *c; c++) {
		snprintf(path, sizeof(path), "%s/good", tmpdir);
		write_file(path, *c, 0600);
		snprintf(text, sizeof(text), "[mail]\nuser = civreport\npassword_file = %s\n",
			 path);
		assert_int_equal(load(&cli, &cfg, text, err, sizeof(err)), 0);
		assert_string_equal(cfg.mail.password, "s3cret");
		config_release(&cfg);
	}
	{
		char *long_pw = xcalloc(2001, 1);

		memset(long_pw, 'p', 2000);
		write_file(path, long_pw, 0600);
		assert_int_equal(load(&cli, &cfg, text, err, sizeof(err)), 0);
		assert_string_equal(cfg.mail.password, long_pw);
		config_release(&cfg);
		free(long_pw);
	}
	cli_release(&cli);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_consistent),
	    cmocka_unit_test(test_cli_defaults),
	    cmocka_unit_test(test_cli_every_option),
	    cmocka_unit_test(test_cli_refuses),
	    cmocka_unit_test(test_cli_format_per_command),
	    cmocka_unit_test_setup_teardown(test_cli_and_file_agree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_every_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_refuses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flags_win, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_password, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bool_spellings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_every_value_checked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_password_file_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
