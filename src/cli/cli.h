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
#include <stdio.h>
#include <stdint.h>

#include "util/period.h"

struct config;

/*
 * Every setting of a run: the defaults of settings.c's table, then the
 * configuration file (--config), then the command line, which wins.  The
 * strings are malloc'd and owned here (cli_release frees them), except
 * encoding and format, which point at the table's canonical spellings.
 */
struct cli {
	int year;             /* 0 when not given; after cli_finish, the period's end year */
	bool year_latest;     /* --year latest */
	struct period period; /* --period (or --year Y: the year), valid after cli_finish */
	bool has_period;      /* a period was given (--period, or --year after cli_finish) */
	char **where;         /* --where 列=值, as written */
	size_t nwhere;
	char *each; /* --each 列: one report per value too */
	bool strict;
	char *input;  /* default "input" */
	char *output; /* default "output" */
	char *template_path;
	char *config;
	const char *encoding; /* NULL (detect per file), "auto", "utf-8" or "gb18030" */
	const char *format;   /* query: table, csv, json; sample: csv, xlsx (cli.c) */
	char *out;            /* sample: folder */
	char *log_file;
	/*
	 * The parse cache's folder (ingest/ingest_cache.h): --cache, cache =,
	 * else after cli_finish the default; NULL with --no-cache or
	 * no_cache = yes (or when no default can be named)
	 */
	char *cache;
	bool no_cache;
	char *dump_doc;         /* run --dump-doc: FILE, or "-" for stdout */
	double scale;           /* sample */
	int seed;               /* sample */
	double max_reject_rate; /* default 0.05 */
	int threads;            /* 0: the number of cores */
	int wait_seconds;
	bool quiet, progress, no_progress, if_changed, mail, help;
	bool fix;    /* lint --fix: rewrite half-width punctuation in the template */
	int mode;    /* output file mode, default 0640 */
	char **args; /* remaining arguments (argv's) */
	int nargs;
	struct config *cfg; /* loaded from --config, or NULL */
	uint64_t given;     /* bit setting_index(s): s was on the command line */
};

/*
 * Parse argv (after the subcommand name) into cli, over the defaults.
 * Returns 0, or prints what is wrong and returns EXIT_USAGE.  Either way
 * cli_release frees what cli holds afterwards.
 */
int cli_parse(struct cli *cli, const char *cmd, int argc, char **argv);

/* Apply --quiet and --log-file; returns EXIT_OK or EXIT_IO. */
int cli_setup_logging(const struct cli *cli);

/*
 * After cli_parse: load --config (what the command line gave wins over it)
 * and set up logging.  Returns 0 or an exit code.
 */
int cli_finish(struct cli *cli);

/* Free the strings and the configuration cli holds (cli itself is the caller's). */
void cli_release(struct cli *cli);

struct schema;
struct ingest_result;

/* Print the data-quality tables and the balance of the rows read (quality.c). */
void cli_print_quality(FILE *fp, const struct schema *schema, const struct ingest_result *res);

/* Load the schema (schema.ini from the data path); prints why not and returns EXIT_USAGE. */
int cli_load_schema(struct schema *schema);

struct manifest_mail;

/*
 * Mail the report in outdir as its manifest records it in m (read with
 * manifest_mail_read): m's subject and body, its PDF, its XLSX too with
 * attach_xlsx = yes and its DOCX (if it has one) with attach_docx = yes, to
 * the configured recipients; then record the attempt
 * in m and in outdir/manifest.json (call while holding outdir's lock).
 * Returns EXIT_OK, EXIT_MAIL (not delivered: still pending), EXIT_USAGE
 * (no [mail] settings) or EXIT_IO (sent, but the manifest could not record it).
 */
int cli_mail_report(const struct cli *cli, const char *outdir, struct manifest_mail *m);

/*
 * The same, for a report whose mail record is outdir/record (a --each
 * report's mail.json) and goes to recipients to ([mail.each]) instead of
 * [mail] to.
 */
int cli_mail_report_to(const struct cli *cli, const char *outdir, const char *record,
		       struct manifest_mail *m, char *const *to, size_t nto);

/*
 * The report in outdir as its record (manifest.json, or a --each report's
 * mail.json) holds it, mailed to to: always, or with only_pending only
 * when it has not gone yet.  EXIT_USAGE (said why) when there is no record.
 */
int cli_mail_recorded(const struct cli *cli, const char *outdir, const char *record,
		      char *const *to, size_t nto, bool only_pending);

/* Why v cannot name a folder of an output set, or NULL. */
const char *cli_folder_problem(const char *v);

/*
 * The output set's folder under --output: the period ("2021", "2021Q3"),
 * and with --where the values it keeps ("2021Q3-岳池县"), so that a report
 * of one area never replaces the whole one; a value that cannot be a
 * folder name is "_".  malloc'd.
 */
char *cli_set_folder(const struct cli *cli);

int cmd_run(struct cli *cli);
int cmd_check(struct cli *cli);
int cmd_query(struct cli *cli);
int cmd_lint(struct cli *cli);
int cmd_sample(struct cli *cli);
int cmd_mail(struct cli *cli);

#endif
