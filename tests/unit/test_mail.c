/*
 * test_mail.c - the composed message as a real parser reads it, and real
 * SMTP dialogues against a local server.
 *
 * mail_compose's output is parsed by Debian's Python email package
 * (/usr/bin/python3, explicitly: another python3 may come first on PATH),
 * which must find the Chinese subject, display name and attachment name, and
 * attachment bytes with the file's SHA-256.  mail_send talks to
 * tests/unit/smtp_sink.py (aiosmtpd, 127.0.0.1 only, port chosen by the
 * kernel) for: delivery, server down, recipient rejected, a 451 then
 * success, 451 until the retries run out, and STARTTLS demanded of a server
 * without it.  Local tests use smtp:// with starttls = false; production
 * keeps STARTTLS on.
 *
 * Every child (python, the sink) is killed in teardown and dies with us
 * (PR_SET_PDEATHSIG); every wait is bounded.  Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "deliver/curl_lib.h"
#include "deliver/mail.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#define PYTHON    "/usr/bin/python3"
#define SINK      "tests/unit/smtp_sink.py"
#define SUBJECT   "广安市2021年民政工作总结——全市低保、特困供养与临时救助情况统计报告(自动生成)"
#define FILENAME  "广安市2021年民政工作总结.pdf"
#define FROM_NAME "广安市民政局 统计科"
#define BODY                                                                                                       \
	"各位领导:\n\n附件为《广安市2021年民政工作总结》,请查收。\n此邮件由 civreport " \
	"自动发送。\n"
#define BODY_JSON                                                                                                      \
	"\"各位领导:\\r\\n\\r\\n附件为《广安市2021年民政工作总结》,请查收。\\r\\n此邮件由 " \
	"civreport 自动发送。\\r\\n\""
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/*
 * Prints "key<TAB>json" lines about the message in argv[1]: decoded
 * headers, parts, attachment names (RFC 2231 path and the RFC 2047
 * fallback alone), SHA-256 of the decoded bytes, parser defects and every
 * encoded-word that is over 75 characters or does not decode alone.
 *
 * Three defects are expected, in the attachment headers only: the RFC 2047
 * fallback is an encoded-word inside a quoted string, directly followed by
 * the closing quote (the de facto form that old clients read, which RFC
 * 2047 does not bless), and it duplicates filename*, which Python, like
 * other modern parsers, prefers because it comes first.
 */
static const char checker[] =
    "import sys, json, re, hashlib, base64, email\n"
    "from email import policy\n"
    "from email.header import decode_header\n"
    "raw = open(sys.argv[1], 'rb').read()\n"
    "msg = email.message_from_bytes(raw, policy=policy.default)\n"
    "def out(k, v):\n"
    "    print(k + '\\t' + json.dumps(v, ensure_ascii=False))\n"
    "out('subject', str(msg['subject']))\n"
    "f = msg['from'].addresses[0]\n"
    "out('from_name', f.display_name)\n"
    "out('from_addr', f.addr_spec)\n"
    "out('to', ','.join(a.addr_spec for a in msg['to'].addresses))\n"
    "out('bcc', msg['bcc'])\n"
    "out('message_id', msg['message-id'])\n"
    "out('date', str(msg['date']))\n"
    "out('date_parsed', msg['date'].datetime is not None)\n"
    "out('type', msg.get_content_type())\n"
    "parts = list(msg.iter_parts())\n"
    "out('nparts', len(parts))\n"
    "out('body_type', parts[0].get_content_type())\n"
    "out('body', parts[0].get_content())\n"
    "defects = []\n"
    "expected = ('encoded word inside quoted string',\n"
    "            'missing trailing whitespace after encoded-word',\n"
    "            'duplicate parameter name; duplicate ignored')\n"
    "for p in msg.walk():\n"
    "    defects += [str(d) for d in p.defects]\n"
    "    for k, v in p.items():\n"
    "        ds = [str(d) for d in getattr(v, 'defects', ())]\n"
    "        if k.lower() in ('content-type', 'content-disposition'):\n"
    "            ds = [d for d in ds if d not in expected]\n"
    "        defects += ds\n"
    "out('defects', defects)\n"
    "for i, p in enumerate(parts[1:]):\n"
    "    data = p.get_payload(decode=True)\n"
    "    out('att%d.filename' % i, p.get_filename())\n"
    "    out('att%d.type' % i, p.get_content_type())\n"
    "    out('att%d.disposition' % i, p.get_content_disposition())\n"
    "    out('att%d.sha256' % i, hashlib.sha256(data).hexdigest())\n"
    "    out('att%d.name' % i, p['content-type'].params.get('name'))\n"
    "    cd = next(v for k, v in p.raw_items() if k.lower() == 'content-disposition')\n"
    "    fb = re.search(r'filename=\"([^\"]*)\"', re.sub(r'\\r?\\n', '', cd)).group(1)\n"
    "    out('att%d.fallback' % i, ''.join(b.decode(c or 'ascii') if isinstance(b, bytes)\n"
    "        else b for b, c in decode_header(fb)))\n"
    "bad = []\n"
    "ew = re.findall(rb'=\\?UTF-8\\?B\\?[A-Za-z0-9+/=]*\\?=', raw)\n"
    "for w in ew:\n"
    "    try:\n"
    "        base64.b64decode(w[10:-2], validate=True).decode('utf-8')\n"
    "    except Exception:\n"
    "        bad.append(w.decode())\n"
    "    if len(w) > 75:\n"
    "        bad.append(w.decode())\n"
    "out('ew_count', len(ew))\n"
    "out('ew_bad', bad)\n";

static char tmpdir[64];
static pid_t sink_pid = -1;
static int sink_port;

/* ------------------------------------------------------------- helpers */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * Run argv with stdout on a pipe; returns the child with *fd the read end.
 * The child dies with this process.
 */
static pid_t spawn(char *const argv[], int *fd)
{
	int fds[2];
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	*fd = fds[0];
	return pid;
}

/*
 * Read fd until EOF (or, with stop_at_newline, a first line); bounded like
 * child_wait, only so that a hung child cannot hang the suite.
 */
static char *read_bounded(int fd, int stop_at_newline)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;
	long deadline = now_ms() + CHILD_WAIT_MS;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		buf = xgrow(buf, &cap, len + 4097, 1);
		n = read(fd, buf + len, 4096);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (stop_at_newline && memchr(buf, '\n', len))
			break;
	}
	buf = xgrow(buf, &cap, len + 1, 1);
	buf[len] = '\0';
	return buf;
}

/* The checker's report on the message file at path. */
static char *check_message(const char *path)
{
	char *argv[] = {(char *)PYTHON, (char *)"-c", (char *)checker, (char *)path, NULL};
	int fd;
	pid_t pid = spawn(argv, &fd);
	char *out = read_bounded(fd, 0);

	close(fd);
	child_stop(pid);
	return out;
}

/* The json value of key in a checker report, or "" when missing. */
static char *field(const char *report, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = report; p && *p;) {
		const char *nl = strchr(p, '\n');

		if (strncmp(p, key, klen) == 0 && p[klen] == '\t') {
			const char *v = p + klen + 1;

			return xstrndup(v, nl ? (size_t)(nl - v) : strlen(v));
		}
		p = nl ? nl + 1 : NULL;
	}
	return xstrdup("");
}

static long field_long(const char *report, const char *key)
{
	char *v = field(report, key), *end;
	long n = strtol(v, &end, 10);

	if (end == v)
		n = -1;
	free(v);
	return n;
}

#define assert_field(report, key, want)                                                            \
	do {                                                                                       \
		char *got_ = field(report, key);                                                   \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)

/* unit n times, then suffix, in a new string. */
static char *repeat(const char *unit, int n, const char *suffix)
{
	size_t ul = strlen(unit), sl = strlen(suffix);
	char *s = xmalloc(ul * (size_t)n + sl + 1), *p = s;

	for (int i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, suffix, sl + 1);
	return s;
}

static char *write_file(const char *name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

/* A 300 KiB pseudo-PDF with every byte value in it. */
static char *make_pdf(void)
{
	size_t len = 300 * 1024 + 17;
	unsigned char *data = xmalloc(len);
	char *path;

	memcpy(data, "%PDF-1.7\n", 9);
	for (size_t i = 9; i < len; i++)
		data[i] = (unsigned char)((i * 2654435761u) >> 11);
	path = write_file("report.pdf", data, len);
	free(data);
	return path;
}

static char *file_sha256_json(const char *path)
{
	char hex[65];

	assert_int_equal(sha256_file(path, hex, NULL), 0);
	return xasprintf("\"%s\"", hex);
}

static char *compose_to_file(const struct mail_config *cfg, const char *subject,
			     const struct mail_attachment *att, size_t natt, const char *name)
{
	size_t len = 0;
	char *msg = mail_compose(cfg, subject, BODY, att, natt, "Tue, 02 Nov 2021 08:05:09 +0800",
				 "<20211102.1@civreport.example.org>", &len);
	char *path;

	assert_non_null(msg);
	assert_int_equal(strlen(msg), len);
	path = write_file(name, msg, len);
	free(msg);
	return path;
}

/* Every line ends in CRLF, none is over 998, none with an encoded-word over 76. */
static void assert_line_limits(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char line[2048];

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		size_t n = strlen(line);

		assert_true(n >= 2 && line[n - 1] == '\n' && line[n - 2] == '\r');
		assert_true(n - 2 <= 998);
		if (strstr(line, "=?UTF-8?B?"))
			assert_true(n - 2 <= 76);
		for (size_t i = 0; i + 2 < n; i++)
			assert_true(line[i] != '\r' && line[i] != '\n');
	}
	fclose(fp);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/civreport-mail-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	child_stop(sink_pid);
	sink_pid = -1;
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *const two_to[] = {"director@mzj.example.org", "office@mzj.example.org"};

static struct mail_config base_config(void)
{
	struct mail_config cfg = {
	    .url = "smtp://127.0.0.1:1",
	    .from = "civreport@mzj.example.org",
	    .from_name = FROM_NAME,
	    .to = two_to,
	    .nto = 2,
	    .starttls = false,
	    .timeout_seconds = 5,
	    .retries = 0,
	    .retry_delay_ms = 10,
	};
	return cfg;
}

/* ------------------------------------------------------------- compose */

static void test_compose_parsed_by_python(void **state)
{
	struct mail_config cfg = base_config();
	char *pdf = make_pdf();
	char *xlsx = write_file("data.xlsx", "PK\003\004 not really a workbook", 26);
	struct mail_attachment att[] = {
	    {.path = pdf, .filename = FILENAME, .content_type = "application/pdf"},
	    {.path = xlsx, .filename = NULL, .content_type = XLSX_TYPE},
	};
	char *eml, *report, *want;

	(void)state;
	eml = compose_to_file(&cfg, SUBJECT, att, 2, "compose.eml");
	assert_line_limits(eml);
	report = check_message(eml);

	assert_field(report, "subject", "\"" SUBJECT "\"");
	assert_field(report, "from_name", "\"" FROM_NAME "\"");
	assert_field(report, "from_addr", "\"civreport@mzj.example.org\"");
	assert_field(report, "to", "\"director@mzj.example.org,office@mzj.example.org\"");
	assert_field(report, "bcc", "null");
	assert_field(report, "message_id", "\"<20211102.1@civreport.example.org>\"");
	assert_field(report, "date", "\"Tue, 02 Nov 2021 08:05:09 +0800\"");
	assert_field(report, "type", "\"multipart/mixed\"");
	assert_field(report, "nparts", "3");
	assert_field(report, "body_type", "\"text/plain\"");
	assert_field(report, "body", BODY_JSON);
	assert_field(report, "defects", "[]");

	assert_field(report, "att0.filename", "\"" FILENAME "\"");
	assert_field(report, "att0.name", "\"" FILENAME "\"");
	assert_field(report, "att0.fallback", "\"" FILENAME "\"");
	assert_field(report, "att0.type", "\"application/pdf\"");
	assert_field(report, "att0.disposition", "\"attachment\"");
	want = file_sha256_json(pdf);
	assert_field(report, "att0.sha256", want);
	free(want);

	assert_field(report, "att1.filename", "\"data.xlsx\"");
	assert_field(report, "att1.type", "\"" XLSX_TYPE "\"");
	want = file_sha256_json(xlsx);
	assert_field(report, "att1.sha256", want);
	free(want);

	/* Subject (two words at least), display name, name= and filename=. */
	assert_field(report, "ew_bad", "[]");
	assert_true(field_long(report, "ew_count") >= 5);
	free(report);
	free(eml);
	free(pdf);
	free(xlsx);
}

/* The raw structure: boundary, folding, RFC 2231 before the fallback. */
static void test_compose_structure(void **state)
{
	struct mail_config cfg = base_config();
	char *pdf = make_pdf();
	struct mail_attachment att = {
	    .path = pdf, .filename = FILENAME, .content_type = "application/pdf"};
	size_t len = 0;
	char *msg, *b, *delim, *p, *star, *plain;
	char boundary[80];
	int n = 0;

	(void)state;
	msg = mail_compose(&cfg, SUBJECT, BODY, &att, 1, "Tue, 02 Nov 2021 08:05:09 +0800", "<x@y>",
			   &len);
	assert_non_null(msg);
	b = strstr(msg, "boundary=\"");
	assert_non_null(b);
	b += strlen("boundary=\"");
	assert_true(strchr(b, '"') - b < (long)sizeof(boundary));
	snprintf(boundary, sizeof(boundary), "%.*s", (int)(strchr(b, '"') - b), b);
	assert_non_null(strstr(boundary, "=_"));

	/* Delimiters: one per part, then the close, and nowhere else. */
	delim = xasprintf("\r\n--%s", boundary);
	for (p = strstr(msg, delim); p; p = strstr(p + 1, delim))
		n++;
	assert_int_equal(n, 3);
	free(delim);
	delim = xasprintf("\r\n--%s--\r\n", boundary);
	assert_non_null(strstr(msg, delim));
	assert_int_equal(strcmp(msg + len - strlen(delim), delim), 0);
	free(delim);

	/* Subject folded into several encoded-words. */
	p = strstr(msg, "\r\nSubject: =?UTF-8?B?");
	assert_non_null(p);
	assert_memory_equal(strstr(p + 2, "\r\n"), "\r\n =?UTF-8?B?", 13);

	star = strstr(msg, "filename*=UTF-8''%E5%B9%BF%E5%AE%89");
	plain = strstr(msg, "filename=\"=?UTF-8?B?");
	assert_non_null(star);
	assert_non_null(plain);
	assert_true(star < plain);
	assert_non_null(strstr(msg, "\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(msg, "Content-Type: text/plain; charset=UTF-8\r\n"
				    "Content-Transfer-Encoding: base64\r\n"));
	free(msg);
	free(pdf);
}

static void test_compose_plain_ascii(void **state)
{
	struct mail_config cfg = base_config();
	char *pdf = make_pdf();
	struct mail_attachment att = {
	    .path = pdf, .filename = "report-2021.pdf", .content_type = "application/pdf"};
	char *eml, *report, *raw;

	(void)state;
	cfg.from_name = "Civil \"Affairs\" Bureau";
	eml = compose_to_file(&cfg, "Monthly report 2021-11", &att, 1, "ascii.eml");
	raw = xcalloc(1, 1 << 20);
	{
		FILE *fp = fopen(eml, "rb");

		assert_non_null(fp);
		assert_true(fread(raw, 1, (1 << 20) - 1, fp) > 0);
		fclose(fp);
	}
	assert_non_null(strstr(raw, "\r\nSubject: Monthly report 2021-11\r\n"));
	assert_non_null(strstr(raw, "\r\nFrom: \"Civil \\\"Affairs\\\" Bureau\" "
				    "<civreport@mzj.example.org>\r\n"));
	assert_non_null(strstr(raw, " filename=\"report-2021.pdf\""));
	assert_null(strstr(raw, "filename*"));
	assert_null(strstr(raw, "=?UTF-8?"));
	free(raw);

	report = check_message(eml);
	assert_field(report, "subject", "\"Monthly report 2021-11\"");
	assert_field(report, "from_name", "\"Civil \\\"Affairs\\\" Bureau\"");
	assert_field(report, "att0.filename", "\"report-2021.pdf\"");
	assert_field(report, "defects", "[]");
	free(report);
	free(eml);
	free(pdf);
}

/* CR/LF in caller text must not start a header of its own. */
static void test_compose_header_injection(void **state)
{
	struct mail_config cfg = base_config();
	char *eml, *report, *raw;
	FILE *fp;

	(void)state;
	cfg.from_name = "Bureau\r\nBcc: spy@example.org";
	eml = compose_to_file(&cfg, "report\r\nBcc: spy@example.org", NULL, 0, "inject.eml");
	assert_line_limits(eml);
	raw = xcalloc(1, 1 << 16);
	fp = fopen(eml, "rb");
	assert_non_null(fp);
	assert_true(fread(raw, 1, (1 << 16) - 1, fp) > 0);
	fclose(fp);
	assert_null(strstr(raw, "\nBcc:"));
	free(raw);
	report = check_message(eml);
	assert_field(report, "bcc", "null");
	assert_field(report, "nparts", "1");
	free(report);
	free(eml);
}

/*
 * Long names: 60 characters still take one filename*= line (540 + columns,
 * under 998); 150 "a政" pairs (1500 columns) take RFC 2231 sections, cut
 * between characters.  The RFC 2047 fallback takes several words.
 */
static void test_compose_long_filenames(void **state)
{
	struct mail_config cfg = base_config();
	char *pdf = make_pdf();
	char *mid = repeat("民", 60, ".pdf");
	char *longest = repeat("a政", 150, ".pdf");
	struct mail_attachment att[] = {
	    {.path = pdf, .filename = mid, .content_type = "application/pdf"},
	    {.path = pdf, .filename = longest, .content_type = "application/pdf"},
	};
	char *eml, *report, *want, *raw;
	size_t len = 0;

	(void)state;
	raw =
	    mail_compose(&cfg, "s", "b", att, 2, "Tue, 02 Nov 2021 08:05:09 +0800", "<a@b>", &len);
	assert_non_null(raw);
	assert_non_null(strstr(raw, " filename*=UTF-8''%E6%B0%91"));
	assert_non_null(strstr(raw, " filename*0*=UTF-8''a%E6%94%BF"));
	assert_non_null(strstr(raw, ";\r\n filename*1*="));
	free(raw);

	eml = compose_to_file(&cfg, SUBJECT, att, 2, "long.eml");
	assert_line_limits(eml);
	report = check_message(eml);
	want = xasprintf("\"%s\"", mid);
	assert_field(report, "att0.filename", want);
	assert_field(report, "att0.fallback", want);
	free(want);
	want = xasprintf("\"%s\"", longest);
	assert_field(report, "att1.filename", want);
	assert_field(report, "att1.fallback", want);
	free(want);
	assert_field(report, "ew_bad", "[]");
	assert_field(report, "defects", "[]");
	free(report);
	free(eml);
	free(pdf);
	free(mid);
	free(longest);
}

static void expect_compose_fails(const struct mail_config *cfg, const struct mail_attachment *att,
				 size_t natt, const char *message_id, int want_errno)
{
	size_t len = 0;
	char *msg;

	errno = 0;
	msg = mail_compose(cfg, "s", "b", att, natt, "Tue, 02 Nov 2021 08:05:09 +0800", message_id,
			   &len);
	assert_null(msg);
	assert_int_equal(errno, want_errno);
}

static void test_compose_errors(void **state)
{
	struct mail_config cfg = base_config();
	const char *const bad_to[] = {"ok@example.org", "x@example.org\r\nRCPT TO:<y@z>"};
	struct mail_attachment att = {.path = "/nonexistent/report.pdf",
				      .content_type = "application/pdf"};

	(void)state;
	expect_compose_fails(&cfg, &att, 1, "<a@b>", ENOENT);
	att.path = tmpdir;
	expect_compose_fails(&cfg, &att, 1, "<a@b>", EISDIR);
	att.path = "/etc/hostname";
	att.content_type = "text/plain\r\nX-Evil: 1";
	expect_compose_fails(&cfg, &att, 1, "<a@b>", EINVAL);
	expect_compose_fails(&cfg, NULL, 0, "<a@b>\r\nBcc: x@y", EINVAL);

	cfg.from = "not an address";
	expect_compose_fails(&cfg, NULL, 0, "<a@b>", EINVAL);
	cfg = base_config();
	cfg.to = bad_to;
	expect_compose_fails(&cfg, NULL, 0, "<a@b>", EINVAL);
	cfg = base_config();
	cfg.nto = 0;
	expect_compose_fails(&cfg, NULL, 0, "<a@b>", EINVAL);
}

static void test_format_date(void **state)
{
	const char *old = getenv("TZ");
	char *saved = old ? xstrdup(old) : NULL;
	char buf[64];

	(void)state;
	setenv("TZ", "CST-8", 1);
	tzset();
	mail_format_date(1635811509, buf, sizeof(buf));
	assert_string_equal(buf, "Tue, 02 Nov 2021 08:05:09 +0800");
	setenv("TZ", "UTC0", 1);
	tzset();
	mail_format_date(1635811509, buf, sizeof(buf));
	assert_string_equal(buf, "Tue, 02 Nov 2021 00:05:09 +0000");
	setenv("TZ", "EST5", 1);
	tzset();
	mail_format_date(1635811509, buf, sizeof(buf));
	assert_string_equal(buf, "Mon, 01 Nov 2021 19:05:09 -0500");
	setenv("TZ", "IST-5:30", 1);
	tzset();
	mail_format_date(1635811509, buf, sizeof(buf));
	assert_string_equal(buf, "Tue, 02 Nov 2021 05:35:09 +0530");
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

/* ---------------------------------------------------------------- send */

static void start_sink(const char *reject, int tempfail)
{
	char tf[16];
	char *argv[] = {(char *)PYTHON,
			(char *)SINK,
			(char *)"--dir",
			tmpdir,
			(char *)"--reject",
			(char *)reject,
			(char *)"--tempfail",
			tf,
			(char *)"--lifetime",
			(char *)"30",
			NULL};
	char *line, *end;
	int fd;

	if (access(PYTHON, X_OK) != 0)
		fail_msg("%s is missing (Debian python3, python3-aiosmtpd)", PYTHON);
	if (access(SINK, R_OK) != 0)
		fail_msg("%s not found: run the tests from the repository root", SINK);
	snprintf(tf, sizeof(tf), "%d", tempfail);
	sink_pid = spawn(argv, &fd);
	line = read_bounded(fd, 1);
	close(fd);
	if (strncmp(line, "PORT ", 5) != 0)
		fail_msg("smtp_sink.py did not start (is python3-aiosmtpd installed?): '%s'", line);
	sink_port = (int)strtol(line + 5, &end, 10);
	assert_true(end > line + 5 && sink_port > 0);
	free(line);
}

static int count_log(const char *prefix)
{
	char *path = xasprintf("%s/log", tmpdir);
	FILE *fp = fopen(path, "r");
	char line[1024];
	int n = 0;

	free(path);
	if (fp == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp))
		if (strncmp(line, prefix, strlen(prefix)) == 0)
			n++;
	fclose(fp);
	return n;
}

static int saved_exists(int n)
{
	char *path = xasprintf("%s/msg-%d.eml", tmpdir, n);
	int ok = access(path, F_OK) == 0;

	free(path);
	return ok;
}

static void test_send_delivers(void **state)
{
	struct mail_config cfg = base_config();
	char *pdf = make_pdf();
	struct mail_attachment att = {
	    .path = pdf, .filename = FILENAME, .content_type = "application/pdf"};
	char err[512] = "unset";
	char *url, *eml, *report, *want, *id;

	(void)state;
	start_sink("", 0);
	url = xasprintf("smtp://127.0.0.1:%d", sink_port);
	cfg.url = url;
	cfg.retries = 2;
	assert_int_equal(mail_send(&cfg, SUBJECT, BODY, &att, 1, err, sizeof(err)), MAIL_OK);
	assert_string_equal(err, "");
	assert_int_equal(count_log("DATA 250 from=civreport@mzj.example.org "
				   "to=director@mzj.example.org,office@mzj.example.org"),
			 1);

	eml = xasprintf("%s/msg-1.eml", tmpdir);
	report = check_message(eml);
	assert_field(report, "subject", "\"" SUBJECT "\"");
	assert_field(report, "from_name", "\"" FROM_NAME "\"");
	assert_field(report, "att0.filename", "\"" FILENAME "\"");
	assert_field(report, "body", BODY_JSON);
	assert_field(report, "defects", "[]");
	want = file_sha256_json(pdf);
	assert_field(report, "att0.sha256", want);
	free(want);
	/* mail_send made its own Message-ID (on the sender's domain) and Date. */
	id = field(report, "message_id");
	assert_memory_equal(id, "\"<", 2);
	assert_non_null(strstr(id, "@mzj.example.org>\""));
	free(id);
	assert_true(field_long(report, "nparts") == 2);
	assert_field(report, "date_parsed", "true");
	free(report);
	free(eml);
	free(url);
	free(pdf);
}

/* Nobody listens: refused each time, retried, then reported transient. */
static void test_send_server_down(void **state)
{
	struct mail_config cfg = base_config();
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t slen = sizeof(sa);
	char err[512];
	char *url;
	long t0, ms;
	int s;

	(void)state;
	/* Bound but not listening: the port is ours and refuses connections. */
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(s >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &slen), 0);
	url = xasprintf("smtp://127.0.0.1:%d", ntohs(sa.sin_port));
	cfg.url = url;
	cfg.retries = 2;
	cfg.retry_delay_ms = 40;

	t0 = now_ms();
	assert_int_equal(mail_send(&cfg, SUBJECT, BODY, NULL, 0, err, sizeof(err)), MAIL_TRANSIENT);
	ms = now_ms() - t0;
	close(s);
	assert_non_null(strstr(err, "无法连接邮件服务器"));
	assert_non_null(strstr(err, "已尝试 3 次"));
	assert_true(ms >= 40 + 80); /* the back-off doubled */
	assert_true(ms < 5000);
	free(url);
}

/* No libcurl to load: nothing sent, and the officer is told why. */
static void test_send_without_libcurl(void **state)
{
	struct mail_config cfg = base_config();
	char err[512];

	(void)state;
	cfg.url = "smtp://127.0.0.1:25";
	curl_lib_set_soname("libcurl-missing.so.4");
	assert_int_equal(mail_send(&cfg, SUBJECT, BODY, NULL, 0, err, sizeof(err)), MAIL_LOCAL);
	assert_non_null(strstr(err, "无法加载发送邮件用的 libcurl"));
	assert_non_null(strstr(err, "libcurl-missing.so.4"));
	curl_lib_set_soname(NULL);
}

static void test_send_recipient_rejected(void **state)
{
	struct mail_config cfg = base_config();
	const char *const to[] = {"director@mzj.example.org", "reject-me@mzj.example.org"};
	char err[512];
	char *url;

	(void)state;
	start_sink("reject", 0);
	url = xasprintf("smtp://127.0.0.1:%d", sink_port);
	cfg.url = url;
	cfg.to = to;
	cfg.retries = 3;
	cfg.retry_delay_ms = 20;
	assert_int_equal(mail_send(&cfg, SUBJECT, BODY, NULL, 0, err, sizeof(err)), MAIL_PERMANENT);
	assert_non_null(strstr(err, "邮件服务器拒绝收件人 reject-me@mzj.example.org(550 5.1.1"));
	assert_null(strstr(err, "已尝试"));
	assert_int_equal(count_log("RCPT reject-me@mzj.example.org 550"), 1); /* no retry */
	assert_false(saved_exists(1));
	free(url);
}

static void test_send_tempfail_then_ok(void **state)
{
	struct mail_config cfg = base_config();
	char err[512];
	char *url;

	(void)state;
	start_sink("", 1);
	url = xasprintf("smtp://127.0.0.1:%d", sink_port);
	cfg.url = url;
	cfg.retries = 3;
	cfg.retry_delay_ms = 20;
	assert_int_equal(mail_send(&cfg, SUBJECT, BODY, NULL, 0, err, sizeof(err)), MAIL_OK);
	assert_int_equal(count_log("DATA 451"), 1);
	assert_int_equal(count_log("DATA 250"), 1);
	assert_true(saved_exists(1));
	assert_false(saved_exists(2));
	free(url);
}

static void test_send_tempfail_exhausted(void **state)
{
	struct mail_config cfg = base_config();
	char err[512];
	char *url;

	(void)state;
	start_sink("", 100);
	url = xasprintf("smtp://127.0.0.1:%d", sink_port);
	cfg.url = url;
	cfg.retries = 2;
	cfg.retry_delay_ms = 20;
	assert_int_equal(mail_send(&cfg, SUBJECT, BODY, NULL, 0, err, sizeof(err)), MAIL_TRANSIENT);
	assert_non_null(strstr(err, "邮件服务器暂时无法接收这封邮件(451 4.3.0"));
	assert_non_null(strstr(err, "已尝试 3 次"));
	assert_int_equal(count_log("DATA 451"), 3);
	assert_false(saved_exists(1));
	free(url);
}

/* STARTTLS demanded, the server has none: fail, never send in clear. */
static void test_send_starttls_required(void **state)
{
	struct mail_config cfg = base_config();
	char err[512];
	char *url;

	(void)state;
	start_sink("", 0);
	url = xasprintf("smtp://127.0.0.1:%d", sink_port);
	cfg.url = url;
	cfg.starttls = true;
	cfg.retries = 2;
	assert_int_equal(mail_send(&cfg, SUBJECT, BODY, NULL, 0, err, sizeof(err)), MAIL_PERMANENT);
	assert_non_null(strstr(err, "STARTTLS"));
	assert_int_equal(count_log("RCPT"), 0);
	assert_false(saved_exists(1));
	free(url);
}

static void test_send_local_errors(void **state)
{
	struct mail_config cfg = base_config();
	const char *const bad_to[] = {"nobody"};
	struct mail_attachment att = {.path = "/nonexistent/report.pdf",
				      .content_type = "application/pdf"};
	char err[512];

	(void)state;
	assert_int_equal(mail_send(&cfg, SUBJECT, BODY, &att, 1, err, sizeof(err)), MAIL_LOCAL);
	assert_non_null(strstr(err, "无法读取附件 /nonexistent/report.pdf"));

	cfg.url = "http://127.0.0.1:1/";
	assert_int_equal(mail_send(&cfg, SUBJECT, BODY, NULL, 0, err, sizeof(err)), MAIL_LOCAL);
	assert_non_null(strstr(err, "邮件服务器地址无效"));

	cfg.url = NULL;
	assert_int_equal(mail_send(&cfg, SUBJECT, BODY, NULL, 0, err, sizeof(err)), MAIL_LOCAL);

	cfg = base_config();
	cfg.to = bad_to;
	cfg.nto = 1;
	assert_int_equal(mail_send(&cfg, SUBJECT, BODY, NULL, 0, err, sizeof(err)), MAIL_PERMANENT);
	assert_non_null(strstr(err, "收件人地址无效：nobody"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_compose_parsed_by_python),
	    T(test_compose_structure),
	    T(test_compose_plain_ascii),
	    T(test_compose_header_injection),
	    T(test_compose_long_filenames),
	    T(test_compose_errors),
	    T(test_format_date),
	    T(test_send_delivers),
	    T(test_send_server_down),
	    T(test_send_without_libcurl),
	    T(test_send_recipient_rejected),
	    T(test_send_tempfail_then_ok),
	    T(test_send_tempfail_exhausted),
	    T(test_send_starttls_required),
	    T(test_send_local_errors),
	};

	return cmocka_run_group_tests_name("mail", tests, NULL, NULL);
}
