/*
 * mail.c - composing the report's email and sending it with libcurl
 * (loaded when the first mail is sent: curl_lib.h); see mail.h.
 *
 * The message is built here, byte for byte, because the readers are Chinese
 * and their clients vary: the subject and display name are RFC 2047
 * encoded-words (UTF-8, base64) of at most 75 characters that never split a
 * UTF-8 character, attachment names are given twice (RFC 2231 filename* for
 * modern clients, an RFC 2047 filename="..." for old ones), and every body
 * part is base64 in 76-character lines, so no line comes near the SMTP limit
 * of 998 and no byte needs 8BITMIME.  The multipart boundary contains "=_",
 * which base64 cannot produce, so no part can contain it.
 *
 * Sending is one libcurl easy transfer per attempt.  Transient failures
 * (4xx replies, connection refused, timeouts, resets) are retried with a
 * doubling delay; permanent ones (5xx replies, authentication, TLS refused)
 * are not, since repeating them only repeats the rejection.
 *
 * This file must never let caller text break a header line (control
 * characters become spaces, addresses with them are refused: no header
 * injection), never fall back to plain text
 * when STARTTLS was asked for (CURLUSESSL_ALL fails instead), never keep or
 * print what the client sent during AUTH, and never retry a 5xx.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "curl_lib.h"
#include "mail.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* RFC 2047: an encoded-word is at most 75 characters, and a header line
 * holding one at most 76. */
#define EW_MAX      75
#define EW_LINE     76
#define EW_OVERHEAD 12 /* "=?UTF-8?B?" and "?=" */
#define B64_LINE    76 /* RFC 2045 */
/* A filename*= line longer than this is split into RFC 2231 sections. */
#define RFC2231_ONE_LINE 900
#define RFC2231_SECTION  66
#define DEFAULT_TIMEOUT  60
#define DEFAULT_DELAY_MS 2000
#define MAX_DELAY_MS     (5 * 60 * 1000)
#define GRANULARITY_MS   1000 /* how late curl may notice a deadline */

/* Columns used on the current line: for folding headers. */
static size_t sb_col(const struct strbuf *sb)
{
	size_t i = sb->len;

	while (i > 0 && sb->buf[i - 1] != '\n')
		i--;
	return sb->len - i;
}

/* ------------------------------------------------------------- encodings */

static const char b64_digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of p; with wrap, in CRLF-terminated lines of B64_LINE characters. */
static void put_base64(struct strbuf *sb, const void *data, size_t n, int wrap)
{
	const unsigned char *p = data;
	size_t out = (n + 2) / 3 * 4;
	size_t col = 0;

	strbuf_grow(sb, out + out / B64_LINE * 2 + 2);
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = b64_digits[(v >> 18) & 63];
		q[1] = b64_digits[(v >> 12) & 63];
		q[2] = i + 1 < n ? b64_digits[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? b64_digits[v & 63] : '=';
		strbuf_add(sb, q, 4);
		col += 4;
		if (wrap && col == B64_LINE) {
			strbuf_addstr(sb, "\r\n");
			col = 0;
		}
	}
	if (wrap && col > 0)
		strbuf_addstr(sb, "\r\n");
}

/* Length of the UTF-8 character at s (1 for a stray byte, never past n). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len = 1;

	if (s[0] >= 0xf0)
		len = 4;
	else if (s[0] >= 0xe0)
		len = 3;
	else if (s[0] >= 0xc0)
		len = 2;
	if (len > n)
		return 1;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return len;
}

/* Printable ASCII only, so safe to put into a header as it is. */
static int is_plain(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	return strstr(s, "=?") == NULL;
}

/*
 * Append s as RFC 2047 encoded-words, folding onto continuation lines so
 * that no line passes EW_LINE columns with reserve columns to spare after
 * the last word (for a closing quote or ";").  Words are cut only between
 * UTF-8 characters, so each decodes on its own.
 */
static void put_encoded_words(struct strbuf *sb, const char *s, size_t reserve)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), pos = 0;
	int first = 1;

	do {
		size_t col = sb_col(sb), budget, max, n = 0;

		/* A word holds at least one 4-byte character: 8 base64 chars. */
		if (!first || col + EW_OVERHEAD + 8 + reserve > EW_LINE) {
			strbuf_addstr(sb, "\r\n ");
			col = 1;
		}
		budget = EW_LINE - col - reserve;
		if (budget > EW_MAX)
			budget = EW_MAX;
		max = (budget - EW_OVERHEAD) / 4 * 3;
		while (pos + n < len) {
			size_t c = utf8_len(p + pos + n, len - pos - n);

			if (n + c > max)
				break;
			n += c;
		}
		strbuf_addstr(sb, "=?UTF-8?B?");
		put_base64(sb, p + pos, n, 0);
		strbuf_addstr(sb, "?=");
		pos += n;
		first = 0;
	} while (pos < len);
}

/*
 * Caller text for a header with control characters (CR, LF, TAB...)
 * replaced by repl: encoded or not, a header value never carries a line
 * break, and strict parsers refuse a display name or file name with one.
 */
static char *clean_text(const char *s, char repl)
{
	char *c = xstrdup(s);

	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = repl;
	return c;
}

/* "Name: value", the value encoded when it is not plain short ASCII. */
static void put_text_header(struct strbuf *sb, const char *name, const char *text)
{
	char *value = clean_text(text, ' ');

	strbuf_addf(sb, "%s: ", name);
	if (is_plain(value) && sb_col(sb) + strlen(value) <= EW_LINE)
		strbuf_addstr(sb, value);
	else
		put_encoded_words(sb, value, 0);
	strbuf_addstr(sb, "\r\n");
	free(value);
}

/* RFC 2231 attribute-char: what may stay unencoded in filename*=. */
static int attr_char(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return 0;
	return strchr("*'%()<>@,;:\\\"/[]?=", c) == NULL;
}

/* Percent-encoded length of the UTF-8 character of n bytes at p. */
static size_t pct_len(const unsigned char *p, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++)
		out += attr_char(p[i]) ? 1 : 3;
	return out;
}

static void put_pct(struct strbuf *sb, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (attr_char(p[i]))
			strbuf_addch(sb, (char)p[i]);
		else
			strbuf_addf(sb, "%%%02X", p[i]);
	}
}

/*
 * " filename*=UTF-8''%E5%B9%BF...", or for a very long name RFC 2231
 * sections " filename*0*=UTF-8''...; filename*1*=..." cut between
 * characters (some parsers decode each section on its own).
 */
static void put_rfc2231(struct strbuf *sb, const char *attr, const char *value)
{
	const unsigned char *p = (const unsigned char *)value;
	size_t len = strlen(value), total = 0, pos = 0;
	int section = 0;

	for (size_t i = 0; i < len;) {
		size_t c = utf8_len(p + i, len - i);

		total += pct_len(p + i, c);
		i += c;
	}
	if (total + strlen(attr) + 12 <= RFC2231_ONE_LINE) {
		strbuf_addf(sb, " %s*=UTF-8''", attr);
		put_pct(sb, p, len);
		return;
	}
	while (pos < len) {
		size_t used = 0, n = 0;

		if (section > 0)
			strbuf_addstr(sb, ";\r\n");
		strbuf_addf(sb, " %s*%d*=%s", attr, section, section == 0 ? "UTF-8''" : "");
		while (pos + n < len) {
			size_t c = utf8_len(p + pos + n, len - pos - n);
			size_t e = pct_len(p + pos + n, c);

			if (n > 0 && used + e > RFC2231_SECTION)
				break;
			used += e;
			n += c;
		}
		put_pct(sb, p + pos, n);
		pos += n;
		section++;
	}
}

/* Can ' attr="value"' go as it is, on one line? */
static int plain_param(const char *attr, const char *value)
{
	return is_plain(value) && strpbrk(value, "\"\\") == NULL &&
	       strlen(attr) + strlen(value) + 5 <= EW_LINE;
}

/* ' name="report.pdf"' or ' name="=?UTF-8?B?...?="' for anything else. */
static void put_quoted_param(struct strbuf *sb, const char *attr, const char *value)
{
	if (plain_param(attr, value)) {
		strbuf_addf(sb, " %s=\"%s\"", attr, value);
		return;
	}
	strbuf_addf(sb, " %s=\"", attr);
	/* reserve 1 for the closing quote; the parameter ends the header */
	put_encoded_words(sb, value, 1);
	strbuf_addstr(sb, "\"");
}

/* ------------------------------------------------------------ validation */

int mail_address_valid(const char *a)
{
	const char *at = strchr(a, '@');
	size_t n = strlen(a);

	if (n < 3 || n > 254 || at == NULL || at == a || at[1] == '\0' || strchr(at + 1, '@'))
		return 0;
	for (const unsigned char *p = (const unsigned char *)a; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			return 0;
	return 1;
}

/* type/subtype made of RFC 2045 token characters. */
static int valid_content_type(const char *ct)
{
	const char *slash = strchr(ct, '/');

	if (slash == NULL || slash == ct || slash[1] == '\0' || strchr(slash + 1, '/'))
		return 0;
	for (const unsigned char *p = (const unsigned char *)ct; *p; p++)
		if (*p != '/' && (*p <= 0x20 || *p >= 0x7f || strchr("()<>@,;:\\\"[]?=", *p)))
			return 0;
	return 1;
}

/* ----------------------------------------------------------------- compose */

struct compose_error {
	enum mail_result kind;
	char msg[512];
};

__attribute__((format(printf, 3, 4))) static void
set_error(struct compose_error *e, enum mail_result kind, const char *fmt, ...)
{
	va_list ap;

	e->kind = kind;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

/* The whole file in memory (attachments are reports of a few MiB). */
static unsigned char *read_file(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int err;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return NULL;
	}
	for (;;) {
		ssize_t r;

		buf = xgrow(buf, &cap, n + 65536, 1);
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = errno;
			free(buf);
			close(fd);
			errno = err;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return buf;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void put_from(struct strbuf *sb, const struct mail_config *cfg)
{
	char *name = cfg->from_name ? clean_text(cfg->from_name, ' ') : NULL;

	strbuf_addstr(sb, "From: ");
	if (name == NULL || name[0] == '\0') {
		strbuf_addstr(sb, cfg->from);
	} else if (is_plain(name)) {
		strbuf_addch(sb, '"');
		for (const char *p = name; *p; p++) {
			if (*p == '"' || *p == '\\')
				strbuf_addch(sb, '\\');
			strbuf_addch(sb, *p);
		}
		strbuf_addf(sb, "\" <%s>", cfg->from);
	} else {
		put_encoded_words(sb, name, 0);
		if (sb_col(sb) + strlen(cfg->from) + 3 > EW_LINE)
			strbuf_addstr(sb, "\r\n");
		strbuf_addf(sb, " <%s>", cfg->from);
	}
	strbuf_addstr(sb, "\r\n");
	free(name);
}

static void put_to(struct strbuf *sb, const struct mail_config *cfg)
{
	strbuf_addstr(sb, "To: ");
	for (size_t i = 0; i < cfg->nto; i++) {
		if (i > 0) {
			strbuf_addch(sb, ',');
			strbuf_addstr(sb, sb_col(sb) + strlen(cfg->to[i]) + 1 > EW_LINE ? "\r\n "
											: " ");
		}
		strbuf_addstr(sb, cfg->to[i]);
	}
	strbuf_addstr(sb, "\r\n");
}

/* The body as text/plain in canonical form (CRLF line ends, RFC 2045 6.8). */
static void put_text_part(struct strbuf *sb, const char *boundary, const char *body)
{
	struct strbuf crlf = STRBUF_INIT;

	for (const char *p = body; *p; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			strbuf_addch(&crlf, '\r');
		strbuf_addch(&crlf, *p);
	}
	strbuf_addf(sb, "--%s\r\n", boundary);
	strbuf_addstr(sb, "Content-Type: text/plain; charset=UTF-8\r\n"
			  "Content-Transfer-Encoding: base64\r\n\r\n");
	put_base64(sb, crlf.buf ? crlf.buf : "", crlf.len, 1);
	strbuf_release(&crlf);
}

/* The part's headers; name is the file name the recipient sees. */
static void put_attachment_headers(struct strbuf *sb, const char *boundary, const char *ct,
				   const char *name)
{
	strbuf_addf(sb, "--%s\r\n", boundary);
	strbuf_addf(sb, "Content-Type: %s;\r\n", ct);
	put_quoted_param(sb, "name", name);
	strbuf_addstr(sb, "\r\nContent-Disposition: attachment;\r\n");
	if (!plain_param("filename", name)) {
		/* RFC 2231 first: parsers that see both take the first. */
		put_rfc2231(sb, "filename", name);
		strbuf_addstr(sb, ";\r\n");
	}
	put_quoted_param(sb, "filename", name);
	strbuf_addstr(sb, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
}

static int put_attachment(struct strbuf *sb, const char *boundary, const struct mail_attachment *a,
			  struct compose_error *e)
{
	const char *name = a->filename ? a->filename : base_name(a->path);
	const char *ct = a->content_type ? a->content_type : "application/octet-stream";
	unsigned char *data;
	size_t len = 0;
	char *clean;

	if (!valid_content_type(ct)) {
		set_error(e, MAIL_LOCAL, "附件类型无效：%s", ct);
		errno = EINVAL;
		return -1;
	}
	if (name[0] == '\0') {
		set_error(e, MAIL_LOCAL, "附件没有文件名：%s", a->path);
		errno = EINVAL;
		return -1;
	}
	data = read_file(a->path, &len);
	if (data == NULL) {
		int err = errno;

		set_error(e, MAIL_LOCAL, "无法读取附件 %s：%s", a->path, strerror(err));
		errno = err;
		return -1;
	}
	clean = clean_text(name, '_');
	put_attachment_headers(sb, boundary, ct, clean);
	free(clean);
	put_base64(sb, data, len, 1);
	free(data);
	return 0;
}

static int check_config(const struct mail_config *cfg, struct compose_error *e)
{
	if (cfg->from == NULL || !mail_address_valid(cfg->from)) {
		set_error(e, MAIL_PERMANENT, "发件人地址无效：%s",
			  cfg->from ? cfg->from : "（未设置）");
		return -1;
	}
	if (cfg->nto == 0 || cfg->to == NULL) {
		set_error(e, MAIL_LOCAL, "没有设置收件人");
		return -1;
	}
	for (size_t i = 0; i < cfg->nto; i++) {
		if (cfg->to[i] == NULL || !mail_address_valid(cfg->to[i])) {
			set_error(e, MAIL_PERMANENT, "收件人地址无效：%s",
				  cfg->to[i] ? cfg->to[i] : "（空）");
			return -1;
		}
	}
	return 0;
}

static char *compose(const struct mail_config *cfg, const char *subject, const char *body,
		     const struct mail_attachment *att, size_t natt, const char *date,
		     const char *message_id, size_t *len, struct compose_error *e)
{
	struct strbuf sb = STRBUF_INIT;
	char hash[65], boundary[40];
	char *seed;

	if (check_config(cfg, e) != 0) {
		errno = EINVAL;
		return NULL;
	}
	/* Date and Message-ID go in as they are: no CR/LF may ride along. */
	if (date == NULL || !is_plain(date) || message_id == NULL || !is_plain(message_id) ||
	    strchr(message_id, ' ')) {
		set_error(e, MAIL_LOCAL, "邮件日期或 Message-ID 无效");
		errno = EINVAL;
		return NULL;
	}

	/* Deterministic, unique per message; "=_" never occurs in base64. */
	seed = xasprintf("%s\n%s", message_id, date);
	sha256_buffer(seed, strlen(seed), hash);
	free(seed);
	snprintf(boundary, sizeof(boundary), "=_civreport_%.24s", hash);

	strbuf_addf(&sb, "Date: %s\r\n", date);
	put_from(&sb, cfg);
	put_to(&sb, cfg);
	put_text_header(&sb, "Subject", subject ? subject : "");
	if (message_id[0] == '<')
		strbuf_addf(&sb, "Message-ID: %s\r\n", message_id);
	else
		strbuf_addf(&sb, "Message-ID: <%s>\r\n", message_id);
	strbuf_addstr(&sb, "MIME-Version: 1.0\r\n");
	strbuf_addf(&sb, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n", boundary);
	strbuf_addstr(&sb, "\r\nThis is a multi-part message in MIME format.\r\n\r\n");

	put_text_part(&sb, boundary, body ? body : "");
	for (size_t i = 0; i < natt; i++) {
		if (put_attachment(&sb, boundary, &att[i], e) != 0) {
			int err = errno;

			strbuf_release(&sb);
			errno = err;
			return NULL;
		}
	}
	strbuf_addf(&sb, "--%s--\r\n", boundary);
	return strbuf_detach(&sb, len);
}

char *mail_compose(const struct mail_config *cfg, const char *subject, const char *body,
		   const struct mail_attachment *att, size_t natt, const char *date,
		   const char *message_id, size_t *len)
{
	struct compose_error e;

	return compose(cfg, subject, body, att, natt, date, message_id, len, &e);
}

/* English names whatever the locale: RFC 5322 dates are not localised. */
void mail_format_date(time_t t, char *buf, size_t size)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	long off;

	localtime_r(&t, &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", days[tm.tm_wday % 7],
		 tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec, off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

/* "<time.pid.random@domain-of-from>" */
static char *make_message_id(const char *from)
{
	unsigned char rnd[8];
	char hex[17];
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
		/* No entropy yet (early boot): uniqueness is all we need. */
		for (size_t i = 0; i < sizeof(rnd); i++)
			rnd[i] = (unsigned char)(ts.tv_nsec >> (i * 3));
	}
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	return xasprintf("<%lld.%ld.%s.civreport@%s>", (long long)ts.tv_sec, (long)getpid(), hex,
			 strchr(from, '@') + 1);
}

/* ------------------------------------------------------------------ send */

struct upload {
	const char *buf;
	size_t len, pos;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *userp)
{
	struct upload *u = userp;
	size_t n = size * nmemb;

	if (n > u->len - u->pos)
		n = u->len - u->pos;
	memcpy(dst, u->buf + u->pos, n);
	u->pos += n;
	return n;
}

/*
 * What the dialogue was doing when it failed: the last command's verb (and,
 * for RCPT, the address) and the server's last reply line.  Never the
 * arguments of AUTH or the credential lines that follow it.
 */
struct dialogue {
	int quitting; /* after QUIT: its 221 must not hide the real failure */
	char verb[16];
	char rcpt[256];
	char reply[256];
};

static void copy_line(char *dst, size_t size, const char *src, size_t n)
{
	size_t j = 0;

	for (size_t i = 0; i < n && j + 1 < size; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c == '\r' || c == '\n')
			break;
		dst[j++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	dst[j] = '\0';
}

static void note_command(struct dialogue *d, const char *data, size_t n)
{
	static const char *const verbs[] = {"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL",
					    "RCPT", "DATA", "RSET",     "NOOP"};
	const char *lt, *gt;

	/*
	 * Only the verb is kept.  A line that is no command (the base64
	 * credentials after AUTH) leaves the verb as it was.
	 */
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		size_t vl = strlen(verbs[i]);

		if (n >= vl && strncmp(data, verbs[i], vl) == 0) {
			snprintf(d->verb, sizeof(d->verb), "%s", verbs[i]);
			break;
		}
	}

	if (strcmp(d->verb, "RCPT") != 0)
		return;
	lt = memchr(data, '<', n);
	gt = lt ? memchr(lt, '>', n - (size_t)(lt - data)) : NULL;
	if (lt && gt)
		copy_line(d->rcpt, sizeof(d->rcpt), lt + 1, (size_t)(gt - lt - 1));
}

static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *userp)
{
	struct dialogue *d = userp;

	(void)h;
	if (d->quitting)
		return 0;
	/* curl says QUIT even after a rejection: its 221 is not the story. */
	if (type == CURLINFO_HEADER_OUT && size >= 4 && strncmp(data, "QUIT", 4) == 0)
		d->quitting = 1;
	else if (type == CURLINFO_HEADER_OUT)
		note_command(d, data, size);
	else if (type == CURLINFO_HEADER_IN)
		copy_line(d->reply, sizeof(d->reply), data, size);
	return 0;
}

/* libcurl's functions (curl_lib.h), set before the first transfer. */
static const struct curl_lib *cu;

struct attempt {
	CURLcode rc;
	long code; /* the server's last reply code, 0 if none */
	struct dialogue d;
	char curl_err[CURL_ERROR_SIZE];
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The hard end of an attempt: curl calls this at least once a second, also
 * while it waits for a reply or for QUIT's, and a non-zero return ends the
 * transfer (CURLE_ABORTED_BY_CALLBACK), whatever phase it is in.
 */
static int progress_cb(void *userp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	const long *end_ms = userp;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return now_ms() >= *end_ms;
}

/*
 * One attempt, over in budget_ms whatever the server does.  CURLOPT_TIMEOUT
 * alone does not do it: while curl waits for a reply (after the message's
 * final ".", or for QUIT's when it closes the connection) the server
 * response timeout governs instead, 120 s by default; so that one is set
 * too, the connection is closed within the transfer (FORBID_REUSE, not
 * later by curl_easy_cleanup where no timeout of ours applies), and a
 * progress callback ends it at the deadline in any phase.
 */
static void attempt_once(const struct mail_config *cfg, const char *msg, size_t len, long budget_ms,
			 struct attempt *a)
{
	struct upload up = {.buf = msg, .len = len};
	struct curl_slist *rcpt = NULL;
	long end_ms = now_ms() + budget_ms;
	char *from = xasprintf("<%s>", cfg->from);
	CURL *h;

	memset(a, 0, sizeof(*a));
	h = cu->easy_init();
	if (h == NULL) {
		a->rc = CURLE_FAILED_INIT;
		free(from);
		return;
	}
	for (size_t i = 0; i < cfg->nto; i++) {
		char *r = xasprintf("<%s>", cfg->to[i]);

		rcpt = cu->slist_append(rcpt, r);
		free(r);
	}
	cu->easy_setopt(h, CURLOPT_URL, cfg->url);
	/* The URL comes from configuration: it may not lead curl elsewhere. */
	cu->easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	cu->easy_setopt(h, CURLOPT_MAIL_FROM, from);
	cu->easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	cu->easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	cu->easy_setopt(h, CURLOPT_READDATA, &up);
	cu->easy_setopt(h, CURLOPT_UPLOAD, 1L);
	cu->easy_setopt(h, CURLOPT_USE_SSL,
			cfg->starttls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	if (cfg->user != NULL) {
		cu->easy_setopt(h, CURLOPT_USERNAME, cfg->user);
		cu->easy_setopt(h, CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
	}
	cu->easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, budget_ms < 30000 ? budget_ms : 30000L);
	cu->easy_setopt(h, CURLOPT_TIMEOUT_MS, budget_ms);
	cu->easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, (budget_ms + 999) / 1000);
	cu->easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
	cu->easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress_cb);
	cu->easy_setopt(h, CURLOPT_XFERINFODATA, &end_ms);
	cu->easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	cu->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(h, CURLOPT_ERRORBUFFER, a->curl_err);
	/* The debug callback sees the dialogue; nothing is printed. */
	cu->easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
	cu->easy_setopt(h, CURLOPT_DEBUGDATA, &a->d);
	cu->easy_setopt(h, CURLOPT_VERBOSE, 1L);

	a->rc = cu->easy_perform(h);
	if (cu->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->code) != CURLE_OK)
		a->code = 0;
	cu->easy_cleanup(h);
	cu->slist_free_all(rcpt);
	free(from);
}

/*
 * The server's reply code decides when there is one (4xx: try later, 5xx:
 * no); otherwise curl's code.  In curl 7.88 a rejected RCPT or MAIL is
 * CURLE_SEND_ERROR and a rejected message after DATA CURLE_WEIRD_SERVER_REPLY
 * (older: CURLE_RECV_ERROR), whatever the reply, so the reply code is read
 * with CURLINFO_RESPONSE_CODE.
 */
static enum mail_result classify(const struct attempt *a)
{
	if (a->rc == CURLE_OK)
		return MAIL_OK;
	if (a->code >= 400 && a->code < 500)
		return MAIL_TRANSIENT;
	if (a->code >= 500 && a->code < 600)
		return MAIL_PERMANENT;
	switch (a->rc) {
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_NOT_BUILT_IN:
	case CURLE_FAILED_INIT:
		return MAIL_LOCAL;
	case CURLE_LOGIN_DENIED:
	case CURLE_AUTH_ERROR:
	case CURLE_REMOTE_ACCESS_DENIED:
	case CURLE_USE_SSL_FAILED:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		return MAIL_PERMANENT;
	default:
		/* Refused, timed out, reset, DNS, TLS handshake: try again. */
		return MAIL_TRANSIENT;
	}
}

/* "(550 5.1.1 ...)" from the reply line, or "(550)". */
static void reply_text(const struct attempt *a, char *buf, size_t size)
{
	char code[8];

	snprintf(code, sizeof(code), "%ld", a->code);
	if (strncmp(a->d.reply, code, strlen(code)) == 0)
		snprintf(buf, size, "(%s)", a->d.reply);
	else
		snprintf(buf, size, "(%ld)", a->code);
}

/* The officer's message for a reply code. */
static void describe_reply(const struct attempt *a, const struct mail_config *cfg, char *err,
			   size_t errlen)
{
	const char *verb = a->d.verb;
	int temp = a->code < 500;
	char reply[300];

	reply_text(a, reply, sizeof(reply));
	if (strcmp(verb, "RCPT") == 0)
		snprintf(err, errlen, "邮件服务器%s收件人 %s%s", temp ? "暂时不接受" : "拒绝",
			 a->d.rcpt, reply);
	else if (strcmp(verb, "MAIL") == 0)
		snprintf(err, errlen, "邮件服务器%s发件人 %s%s", temp ? "暂时不接受" : "拒绝",
			 cfg->from, reply);
	else if (strcmp(verb, "DATA") == 0)
		snprintf(err, errlen, "邮件服务器%s这封邮件%s%s",
			 temp ? "暂时无法接收" : "拒绝接收", reply,
			 a->code == 552 ? "，邮件可能过大" : "");
	else if (strcmp(verb, "AUTH") == 0)
		snprintf(err, errlen, "邮件服务器登录失败，请检查用户名和密码%s", reply);
	else if (strcmp(verb, "STARTTLS") == 0)
		snprintf(err, errlen, "邮件服务器无法启用 STARTTLS 加密%s", reply);
	else
		snprintf(err, errlen, "邮件服务器%s连接%s", temp ? "暂时拒绝" : "拒绝", reply);
}

static void describe(const struct attempt *a, const struct mail_config *cfg, long timeout,
		     char *err, size_t errlen)
{
	const char *detail = a->curl_err[0] ? a->curl_err : cu->easy_strerror(a->rc);

	if (a->code >= 400 && a->code < 600) {
		describe_reply(a, cfg, err, errlen);
		return;
	}
	switch (a->rc) {
	case CURLE_COULDNT_CONNECT:
		snprintf(err, errlen, "无法连接邮件服务器 %s（%s）", cfg->url, detail);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(err, errlen, "无法解析邮件服务器地址 %s（%s）", cfg->url, detail);
		break;
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_ABORTED_BY_CALLBACK:
		snprintf(err, errlen, "邮件服务器 %s 在 %ld 秒内没有完成发送（超时）", cfg->url,
			 timeout);
		break;
	case CURLE_LOGIN_DENIED:
	case CURLE_AUTH_ERROR:
		snprintf(err, errlen, "邮件服务器登录失败，请检查用户名和密码（%s）", detail);
		break;
	case CURLE_USE_SSL_FAILED:
		snprintf(err, errlen, "邮件服务器不支持 STARTTLS 加密，邮件未发送（%s）", detail);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		snprintf(err, errlen, "邮件服务器的证书验证失败（%s）", detail);
		break;
	case CURLE_SSL_CONNECT_ERROR:
		snprintf(err, errlen, "与邮件服务器建立加密连接失败（%s）", detail);
		break;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		snprintf(err, errlen,
			 "邮件服务器地址无效：%s（应为 smtp://主机:端口 或 smtps://主机:端口）",
			 cfg->url);
		break;
	default:
		snprintf(err, errlen, "发送邮件失败（%s）", detail);
		break;
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Append to err, within errlen. */
static void err_append(char *err, size_t errlen, const char *s)
{
	size_t n;

	if (errlen == 0)
		return;
	n = strlen(err);
	if (n < errlen)
		snprintf(err + n, errlen - n, "%s", s);
}

static long first_delay_ms(const struct mail_config *cfg)
{
	long delay = cfg->retry_delay_ms >= 0 ? cfg->retry_delay_ms : DEFAULT_DELAY_MS;

	return delay < MAX_DELAY_MS ? delay : MAX_DELAY_MS;
}

static long next_delay_ms(long delay)
{
	return delay * 2 < MAX_DELAY_MS ? delay * 2 : MAX_DELAY_MS;
}

long mail_time_cap_ms(const struct mail_config *cfg)
{
	long timeout = cfg->timeout_seconds > 0 ? cfg->timeout_seconds : DEFAULT_TIMEOUT;
	int attempts = 1 + (cfg->retries > 0 ? cfg->retries : 0);
	long delay = first_delay_ms(cfg), cap = 0;

	/*
	 * curl checks the deadline of a silent server's reply once a second:
	 * an attempt may end up to a second after its timeout.
	 */
	for (int i = 0; i < attempts; i++) {
		cap += timeout * 1000 + GRANULARITY_MS;
		if (i + 1 < attempts) {
			cap += delay;
			delay = next_delay_ms(delay);
		}
	}
	return cap;
}

enum mail_result mail_send(const struct mail_config *cfg, const char *subject, const char *body,
			   const struct mail_attachment *att, size_t natt, char *err, size_t errlen)
{
	return mail_send_stats(cfg, subject, body, att, natt, err, errlen, NULL);
}

enum mail_result mail_send_stats(const struct mail_config *cfg, const char *subject,
				 const char *body, const struct mail_attachment *att, size_t natt,
				 char *err, size_t errlen, struct mail_stats *stats)
{
	long timeout = cfg->timeout_seconds > 0 ? cfg->timeout_seconds : DEFAULT_TIMEOUT;
	int attempts = 1 + (cfg->retries > 0 ? cfg->retries : 0);
	long delay = first_delay_ms(cfg), cap = mail_time_cap_ms(cfg), start, deadline;
	struct compose_error ce = {MAIL_LOCAL, ""};
	struct mail_stats dummy;
	enum mail_result res;
	struct attempt a;
	char date[64], more[64];
	const char *why;
	char *msg, *id;
	size_t len;
	int tries;

	if (stats == NULL)
		stats = &dummy;
	memset(stats, 0, sizeof(*stats));
	stats->cap_ms = cap;
	if (errlen > 0)
		err[0] = '\0';
	if (cfg->url == NULL || cfg->url[0] == '\0') {
		snprintf(err, errlen, "没有设置邮件服务器地址");
		return MAIL_LOCAL;
	}
	if (check_config(cfg, &ce) != 0) {
		snprintf(err, errlen, "%s", ce.msg);
		return ce.kind;
	}
	if ((cu = curl_lib(&why)) == NULL) {
		snprintf(err, errlen, "无法加载发送邮件用的 libcurl（%s）", why);
		return MAIL_LOCAL;
	}

	/* Sending time is legitimately the clock. */
	mail_format_date(time(NULL), date, sizeof(date));
	id = make_message_id(cfg->from);
	msg = compose(cfg, subject, body, att, natt, date, id, &len, &ce);
	free(id);
	if (msg == NULL) {
		snprintf(err, errlen, "%s", ce.msg);
		return ce.kind;
	}

	/* every attempt and delay within one deadline: see mail_time_cap_ms */
	start = now_ms();
	deadline = start + cap;
	for (tries = 1;; tries++) {
		long left = deadline - now_ms();

		attempt_once(cfg, msg, len,
			     left < timeout * 1000 ? (left > 0 ? left : 1) : timeout * 1000, &a);
		res = classify(&a);
		if (res != MAIL_TRANSIENT || tries >= attempts || now_ms() + delay >= deadline)
			break;
		sleep_ms(delay);
		delay = next_delay_ms(delay);
	}
	stats->attempts = tries;
	stats->elapsed_ms = now_ms() - start;
	free(msg);
	if (res == MAIL_OK)
		return MAIL_OK;
	describe(&a, cfg, timeout, err, errlen);
	if (res == MAIL_TRANSIENT && tries > 1) {
		snprintf(more, sizeof(more), "，已尝试 %d 次", tries);
		err_append(err, errlen, more);
	}
	return res;
}
