/*
 * config.h - the configuration file of a nightly run (--config FILE), INI
 * style; templates/civreport.conf.example documents every key.
 *
 * Its keys are the settings of settings.c's table ([run]: those of the
 * command line, which win over the file; [mail]: the mail settings), read
 * with the same parsers as the command line: an unknown section, key or
 * value is an error naming file:line, never a silent default.
 *
 * Secrets never come from the command line: the SMTP password is read from
 * an environment variable or from a file that only its owner can read
 * (refused otherwise, with the reason); "password = ..." is refused.
 */
#ifndef CIVREPORT_CONFIG_H
#define CIVREPORT_CONFIG_H

#include <stddef.h>

#include "cli.h"
#include "deliver/deliver.h"

/*
 * [mail.each]: the recipients of one --each report, "岳池县 = a@b.cn, c@d.cn".
 * The values are checked against the --each column's when a run uses them.
 */
struct mail_route {
	char *value; /* as written: the --each value, i.e. the report's folder */
	char **to;
	size_t nto;
	int line; /* in the file, for messages */
};

/* What the file holds beyond the [run] settings, which go into struct cli. */
struct config {
	struct mail_settings mail; /* [mail]; mail.password from password_env or _file */
	struct mail_route *routes; /* [mail.each], in file order */
	size_t nroutes;
	char *path;          /* the file, for messages */
	char *password_env;  /* as written; NULL once config_load returns */
	char *password_file; /* as written; NULL once config_load returns */
};

/*
 * Load the file at path: [run] keys into cli, except those the command line
 * gave (cli->given; their values are checked all the same), [mail] keys
 * and the password into cfg, which is zeroed first.  Returns 0 (release cfg
 * with config_release), or -1 with cfg released and a message in err
 * (file:line, the key or value refused and what is allowed; or why the
 * password cannot be read).
 */
int config_load(struct config *cfg, struct cli *cli, const char *path, char *err, size_t errlen);

/* Free what cfg holds (the password wiped first); cfg itself is the caller's. */
void config_release(struct config *cfg);

#endif
