/*
 * mail.h - delivering the report by email through SMTP with libcurl.
 *
 * The message is composed here (not by curl's MIME API) so that the Chinese
 * subject is RFC 2047 encoded and Chinese attachment names are RFC 2231
 * encoded (with an RFC 2047 name= fallback for old clients): both arrive
 * readable.  Transient failures (4xx replies, connection refused, timeouts)
 * are retried with back-off; permanent ones (5xx) are not.
 */
#ifndef CIVREPORT_MAIL_H
#define CIVREPORT_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct mail_config {
	const char *url;       /* smtp://host:port or smtps://host:port */
	const char *from;      /* envelope and From: address */
	const char *from_name; /* display name, may be Chinese; NULL for none */
	const char *const *to; /* recipients */
	size_t nto;
	const char *user;     /* NULL: no authentication */
	const char *password; /* from the environment or a private file, never argv */
	bool starttls;        /* smtp://: require STARTTLS (default true); false only
			       * for a local test server, never in production */
	int timeout_seconds;  /* bounds each attempt as a whole, every phase
			       * (connect, greeting, each command, the upload,
			       * the reply after it, QUIT); 0 = 60 */
	int retries;          /* extra attempts after a transient failure; default 3
			       * (set by the caller: here 0 or less means none) */
	int retry_delay_ms;   /* first back-off delay, doubled each time (at most
			       * 5 min); 0: none; below 0: the default, 2000 */
};

struct mail_attachment {
	const char *path;         /* file to attach */
	const char *filename;     /* name the recipient sees (UTF-8), NULL: basename */
	const char *content_type; /* e.g. "application/pdf" */
};

enum mail_result {
	MAIL_OK = 0,
	MAIL_TRANSIENT = 1, /* still failing after the retries */
	MAIL_PERMANENT = 2, /* rejected (5xx), bad address, authentication */
	MAIL_LOCAL = 3,     /* an attachment unreadable, bad configuration */
};

/*
 * 1 when a is an envelope address mail_send accepts: ASCII, one '@' with
 * text on both sides, at most 254 bytes, nothing that could break a header
 * or an SMTP command (spaces, <>()[]\,;:"); 0 otherwise.  Quoted local
 * parts are not supported.
 */
int mail_address_valid(const char *a);

/*
 * Compose the full RFC 5322 message (headers, plain-text body in UTF-8
 * base64, attachments base64) into a malloc'd buffer; the caller frees it.
 * date is an RFC 5322 date string (the caller decides the clock).
 * Returns NULL with errno when an attachment cannot be read (its errno) or
 * an address, date, Message-ID or content type is malformed (EINVAL).
 */
char *mail_compose(const struct mail_config *cfg, const char *subject, const char *body,
		   const struct mail_attachment *att, size_t natt, const char *date,
		   const char *message_id, size_t *len);

/*
 * t as an RFC 5322 date in local time ("Tue, 02 Nov 2021 08:05:09 +0800"),
 * with English names whatever the locale.  size: 40 is plenty.
 */
void mail_format_date(time_t t, char *buf, size_t size);

/* What one mail_send did, for the log and the manifest. */
struct mail_stats {
	int attempts;    /* connections tried */
	long elapsed_ms; /* from the first attempt to the end of the last */
	long cap_ms;     /* the bound it ran under: mail_time_cap_ms() */
};

/*
 * The most a mail_send may take, in ms: (retries + 1) attempts of
 * timeout_seconds each (and up to a second more each: curl looks at the
 * clock once a second while it waits for a reply), plus the back-off
 * delays between them (2 s, 4 s, 8 s ... by default).  mail_send
 * keeps to it whatever the server does (it goes silent, answers a byte a
 * second...): each attempt gets at most what is left of it.
 */
long mail_time_cap_ms(const struct mail_config *cfg);

/*
 * Compose and send.  Returns MAIL_OK or the failure kind, with a message in
 * err (Chinese, for the officer) that names the server's reply, e.g.
 * "邮件服务器拒绝收件人 a@b(550 5.1.1 ...)".  Calls curl_global_init the first
 * time unless main already did; call it while the program is single-threaded.
 */
enum mail_result mail_send(const struct mail_config *cfg, const char *subject, const char *body,
			   const struct mail_attachment *att, size_t natt, char *err,
			   size_t errlen);

/* mail_send, and what it did into *stats (when not NULL). */
enum mail_result mail_send_stats(const struct mail_config *cfg, const char *subject,
				 const char *body, const struct mail_attachment *att, size_t natt,
				 char *err, size_t errlen, struct mail_stats *stats);

#endif
