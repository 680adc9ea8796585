/*
 * cli.h - the command line shared by every subcommand: options, their
 * defaults, and the subcommands' entry points.
 *
 * main.c holds the table of subcommands (as git's cmd table); each cmd_*.c
 * file implements one of them over the pipeline's stages.
 */
#ifndef CIVREPORT_CLI_H
#define CIVREPORT_CLI_H

#include <stdbool.h>
#include <stdint.h>

struct config;

struct cli {
	int year;           /* 0 when not given */
	bool year_latest;   /* --year latest */
	const char *input;  /* default "input" */
	const char *output; /* default "output" */
	const char *template_path;
	const char *config;
	const char *encoding;
	const char *format; /* query: table, csv, json */
	const char *out;    /* sample: folder */
	const char *log_file;
	const char *dump_doc;   /* run --dump-doc: FILE, or "-" for stdout */
	double scale;           /* sample */
	uint64_t seed;          /* sample */
	double max_reject_rate; /* default 0.05 */
	int threads;
	int wait_seconds;
	bool quiet, progress, no_progress, if_changed, mail, help;
	int mode;    /* output file mode, default 0640 */
	char **args; /* remaining arguments */
	int nargs;
	struct config *cfg; /* loaded from --config, or NULL */
};

/*
 * Parse argv (after the subcommand name) into cli.  Returns 0, or prints
 * what is wrong and returns EXIT_USAGE.
 */
int cli_parse(struct cli *cli, const char *cmd, int argc, char **argv);

/* Apply --quiet and --log-file; returns EXIT_OK or EXIT_IO. */
int cli_setup_logging(const struct cli *cli);

/*
 * After cli_parse: load --config (flags win over it), fill the defaults and
 * set up logging.  Returns 0 or an exit code.  cli_release frees the config.
 */
int cli_finish(struct cli *cli);
void cli_release(struct cli *cli);

struct schema;
/* Load the schema (schema.ini from the data path); prints why not and returns EXIT_USAGE. */
int cli_load_schema(struct schema *schema);

int cmd_run(struct cli *cli);
int cmd_check(struct cli *cli);
int cmd_query(struct cli *cli);
int cmd_lint(struct cli *cli);
int cmd_sample(struct cli *cli);
int cmd_mail(struct cli *cli);

#endif
