/*
 * manifest_mail.h - the "mail" section of output/<year>/manifest.json: the
 * report's mail as the run rendered it (subject, body, the files to attach)
 * and whether it went out, so that a mail that failed is sent later without
 * running the report again (`run --if-changed --mail`, `civreport mail`).
 *
 * It is one line of the manifest ("  \"mail\": {...}"), rewritten in place
 * (atomically, under the output folder's lock) after each delivery attempt:
 *
 *	"mail": {"state": "pending", "subject": "2021年...", "body": "...",
 *	         "pdf": "annual-report-2021.pdf", "xlsx": "annual-report-2021.xlsx",
 *	         "docx": "annual-report-2021.docx" (null when the template names none),
 *	         "attempts": 1, "time": "2021-12-02T02:30:41+0800",
 *	         "to": ["a@example.gov.cn"], "error": "邮件服务器拒绝收件人 ..."}
 */
#ifndef CIVREPORT_MANIFEST_MAIL_H
#define CIVREPORT_MANIFEST_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct manifest_mail {
	bool sent;     /* false: pending (never tried, or the last attempt failed) */
	char *subject; /* the template's mail_subject, rendered by the run */
	char *body;    /* the template's mail_body, likewise */
	char *pdf;     /* file names in the report folder */
	char *xlsx;
	char *docx;   /* NULL: the report has no DOCX */
	int attempts; /* deliveries tried for this report (each with its retries) */
	char *time;   /* of the last one, ISO 8601 local time; NULL: never tried */
	char **to;    /* the recipients of the last one */
	size_t nto;
	char *error; /* why the last one failed; NULL when sent or never tried */
};

/* Write the section as one line, "  \"mail\": {...}", without a newline. */
void manifest_mail_write(FILE *fp, const struct manifest_mail *m);

/*
 * Read the section of the manifest at path into m (zeroed first).  Returns
 * 0, or -1 with errno: ENOENT (no manifest: no report yet), EINVAL (not
 * JSON), ENOMSG (a manifest without a mail section, or an incomplete one).
 */
int manifest_mail_read(const char *path, struct manifest_mail *m);

/*
 * Record m as the section of the manifest at path, which must already have
 * one (manifest_mail_read succeeded): the file is written anew beside it
 * and renamed over it, with its mode.  Call while holding the folder's run
 * lock.  Returns 0, or -1 with errno.
 */
int manifest_mail_update(const char *path, const struct manifest_mail *m);

/* Record one attempt in m: its time (now), recipients and error (NULL: sent). */
void manifest_mail_attempted(struct manifest_mail *m, char *const *to, size_t nto,
			     const char *error);

void manifest_mail_release(struct manifest_mail *m);

#endif
