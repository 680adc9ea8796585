/*
 * config.h - the configuration file of a nightly run (--config FILE), INI
 * style; templates/civreport.conf.example documents every key.
 *
 * Command-line flags override the file.  Secrets never come from the command
 * line: the SMTP password is read from an environment variable or from a
 * file that only its owner can read (refused otherwise, with the reason).
 */
#ifndef CIVREPORT_CONFIG_H
#define CIVREPORT_CONFIG_H

#include <stdbool.h>

#include "cli.h"
#include "deliver/deliver.h"

struct config {
	char *input, *output, *template_path, *encoding, *log_file;
	int year; /* 0 = not set */
	bool year_latest;
	double max_reject_rate; /* < 0 = not set */
	int threads;
	int mode;                  /* < 0 = not set */
	struct mail_settings mail; /* [mail] */
};

/*
 * Load path.  Returns 0, or -1 with a message in err (file, line, problem;
 * or why the password file is refused).
 */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);
void config_release(struct config *cfg);

/* Fill the settings cli did not give from cfg (flags win). */
void config_apply(const struct config *cfg, struct cli *cli);

#endif
