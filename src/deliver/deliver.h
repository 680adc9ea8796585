/*
 * deliver.h - sending finished reports (and failure notices) by email with
 * the [mail] settings of the configuration.
 */
#ifndef CIVREPORT_DELIVER_H
#define CIVREPORT_DELIVER_H

#include <stddef.h>

#include "cli/config.h"

/*
 * Mail files (a PDF, optionally an XLSX) to the configured recipients.
 * Returns EXIT_OK, EXIT_MAIL (delivery failed; logged), or EXIT_USAGE (no
 * [mail] settings).
 */
int deliver_files(const struct config *cfg, const char *subject, const char *body,
		  const char *const *files, size_t nfiles);

/*
 * Tell the on_failure recipients that a run failed, with summary (no
 * personal data: it is built from exit codes and counts).  Silent when none
 * are configured.  Never fails the caller.
 */
void deliver_failure_notice(const struct config *cfg, const char *summary);

#endif
