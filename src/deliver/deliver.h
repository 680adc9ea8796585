/*
 * deliver.h - sending finished reports (and failure notices) by email with
 * the [mail] settings of the configuration.
 *
 * Nothing here knows where the settings came from: the command line's
 * configuration loader fills a struct mail_settings and hands it over (the
 * delivery stage never includes the command line's headers).
 */
#ifndef CIVREPORT_DELIVER_H
#define CIVREPORT_DELIVER_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The [mail] settings, as templates/civreport.conf.example documents them.
 * Every string and list is malloc'd and owned by the struct: whoever fills
 * it releases it with mail_settings_release().  A zeroed struct is empty
 * (no server: nothing can be sent).
 */
struct mail_settings {
	char *url;       /* smtp://host:port or smtps://host:port; NULL: none */
	char *from;      /* envelope and From: address */
	char *from_name; /* display name, may be Chinese; NULL for none */
	char **to;       /* recipients */
	size_t nto;
	char *user;     /* NULL: no authentication */
	char *password; /* from password_env or password_file, never the file itself */
	bool starttls;  /* smtp://: require STARTTLS */
	bool attach_xlsx;
	bool attach_docx;
	char **on_failure; /* recipients of a short failure notice */
	size_t non_failure;
	int retries;        /* extra attempts after a transient failure */
	int retry_delay_ms; /* first back-off delay */
	int timeout_seconds;
};

/* Free every string and list of m (the password wiped first) and zero it. */
void mail_settings_release(struct mail_settings *m);

/* How a delivery went, for the manifest's mail section. */
struct deliver_outcome {
	char error[1024]; /* why it failed, "" when it was sent */
};

/*
 * Mail files (a PDF, optionally the XLSX and the DOCX) to the configured recipients; the
 * time it took, the attempts and the bound (mail_time_cap_ms) are logged.
 * Returns EXIT_OK, EXIT_MAIL (delivery failed; logged, and said in
 * out->error when out is not NULL), or EXIT_USAGE (m is NULL or lacks url,
 * from or to).
 */
int deliver_files(const struct mail_settings *m, const char *subject, const char *body,
		  const char *const *files, size_t nfiles, struct deliver_outcome *out);

/*
 * Tell the on_failure recipients that a run failed, with summary (no
 * personal data: it is built from exit codes and counts).  Silent when m is
 * NULL or names no server or no on_failure recipient.  Never fails the
 * caller.
 */
void deliver_failure_notice(const struct mail_settings *m, const char *summary);

#endif
