/*
 * settings.c - the table of settings and the one function that parses and
 * stores a value; see settings.h.
 *
 * Adding a setting is adding a row: the command line, the configuration
 * file, the defaults and the messages follow from it.  The manual page
 * must document it too (tests/e2e/t_install.sh reads this table).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "settings.h"
#include "cli.h"
#include "config.h"
#include "deliver/mail.h"
#include "util/ini.h"
#include "util/parse.h"
#include "util/period.h"
#include "util/xalloc.h"

/*
 * The rows: RUN for a setting of both the command line and [run] (which
 * the command line overrides), OPT for the command line only, MAIL for
 * [mail]; then the type, the field of struct cli or struct config that
 * holds the value, and what else the type needs.
 */
#define RUN(opt, name, kind, field, ...)                                                           \
	{                                                                                          \
		.option = opt, .key = name, .section = SECTION_RUN, .type = SETTING_##kind,        \
		.offset = offsetof(struct cli, field), __VA_ARGS__                                 \
	}
#define OPT(opt, kind, field, ...)                                                                 \
	{                                                                                          \
		.option = opt, .type = SETTING_##kind, .offset = offsetof(struct cli, field),      \
		__VA_ARGS__                                                                        \
	}
#define MAIL(name, kind, field, ...)                                                               \
	{                                                                                          \
		.key = name, .section = SECTION_MAIL, .type = SETTING_##kind,                      \
		.offset = offsetof(struct config, field), __VA_ARGS__                              \
	}

static const struct setting_choice encodings[] = {
    {"auto", NULL},    {"utf-8", NULL},    {"gb18030", NULL},
    {"utf8", "utf-8"}, {"gbk", "gb18030"}, {NULL, NULL},
};

/* query takes table, csv and json; sample csv and xlsx (cli_choice() tells them apart) */
static const struct setting_choice formats[] = {{"table", NULL}, {"csv", NULL}, {"json", NULL},
						{"xlsx", NULL},  {"xls", NULL}, {NULL, NULL}};

static const struct setting table[] = {
    RUN("input", "input", STRING, input, .deflt = "input"),
    RUN("output", "output", STRING, output, .deflt = "output"),
    RUN("template", "template", STRING, template_path),
    RUN("year", "year", YEAR, year, .extra = offsetof(struct cli, year_latest)),
    RUN("period", "period", PERIOD, period, .extra = offsetof(struct cli, has_period)),
    RUN("where", "where", WHERE, where, .extra = offsetof(struct cli, nwhere)),
    RUN("each", "each", STRING, each),
    /* --strict is a flag; in the file, strict = yes */
    RUN(NULL, "strict", BOOL, strict, .deflt = "no"),
    RUN("max-reject-rate", "max_reject_rate", DOUBLE, max_reject_rate, .dmin = 0, .dmax = 1,
	.what = "比例（如 0.05）", .deflt = "0.05"),
    RUN("encoding", "encoding", ENUM, encoding, .choices = encodings),
    RUN("threads", "threads", INT, threads, .min = 1, .max = 64, .what = "整数"),
    RUN("mode", "mode", MODE, mode, .deflt = "0640"),
    RUN("log-file", "log_file", STRING, log_file),
    RUN("cache", "cache", STRING, cache),
    /* --no-cache is a flag; in the file, no_cache = yes */
    RUN(NULL, "no_cache", BOOL, no_cache, .deflt = "no"),

    OPT("config", STRING, config),
    OPT("format", ENUM, format, .choices = formats, .deflt = "table"),
    OPT("out", STRING, out),
    OPT("scale", DOUBLE, scale, .dmin = 0.001, .dmax = 100, .what = "数", .deflt = "1"),
    OPT("seed", INT, seed, .min = 0, .max = 0x7fffffff, .what = "整数", .deflt = "2021"),
    OPT("wait", INT, wait_seconds, .min = 0, .max = 86400, .what = "秒数"),
    OPT("quiet", FLAG, quiet),
    OPT("progress", FLAG, progress),
    OPT("no-progress", FLAG, no_progress),
    OPT("if-changed", FLAG, if_changed),
    OPT("mail", FLAG, mail),
    OPT("help", FLAG, help),
    OPT("dump-doc", STRING, dump_doc),
    OPT("strict", FLAG, strict),
    OPT("no-cache", FLAG, no_cache),
    OPT("fix", FLAG, fix),

    MAIL("url", URL, mail.url),
    MAIL("from", ADDRESS, mail.from),
    MAIL("from_name", STRING, mail.from_name),
    MAIL("to", ADDRESSES, mail.to, .extra = offsetof(struct config, mail.nto)),
    MAIL("user", STRING, mail.user),
    MAIL("password_env", ENVNAME, password_env),
    MAIL("password_file", STRING, password_file),
    MAIL("starttls", BOOL, mail.starttls, .deflt = "yes"),
    MAIL("attach_xlsx", BOOL, mail.attach_xlsx, .deflt = "no"),
    MAIL("attach_docx", BOOL, mail.attach_docx, .deflt = "no"),
    MAIL("on_failure", ADDRESSES, mail.on_failure,
	 .extra = offsetof(struct config, mail.non_failure)),
    MAIL("retries", INT, mail.retries, .min = 0, .max = 20, .what = "整数", .deflt = "3"),
    /* the bounds keep the mail time bounded (mail_time_cap_ms): 0 is no delay,
     * and no timeout is "none" */
    MAIL("retry_delay_ms", INT, mail.retry_delay_ms, .min = 0, .max = 300000, .what = "毫秒数",
	 .deflt = "2000"),
    MAIL("timeout", INT, mail.timeout_seconds, .min = 1, .max = 3600, .what = "秒数",
	 .deflt = "60"),
};

#define NSETTINGS (sizeof(table) / sizeof(table[0]))
_Static_assert(NSETTINGS <= 64, "struct cli's given has one bit per setting");

const struct setting *settings_table(size_t *n)
{
	*n = NSETTINGS;
	return table;
}

const struct setting *setting_by_option(const char *option)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (table[i].option != NULL && strcmp(table[i].option, option) == 0)
			return &table[i];
	return NULL;
}

const struct setting *setting_by_key(enum setting_section section, const char *key)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (table[i].key != NULL && table[i].section == section &&
		    strcmp(table[i].key, key) == 0)
			return &table[i];
	return NULL;
}

size_t setting_index(const struct setting *s)
{
	return (size_t)(s - table);
}

/* Append to a NUL-terminated buf of len bytes, truncating. */
static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* why = what was expected, then ": text"; returns -1. */
static int refuse(char *why, size_t len, const char *text, const char *fmt, ...)
{
	va_list ap;

	if (len == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	append(why, len, ": %s", text);
	return -1;
}

/* "应为 a、b 或 c" from the canonical choices. */
static int refuse_choice(const struct setting *s, char *why, size_t len, const char *text)
{
	const struct setting_choice *c;
	size_t n = 0, i = 0;

	for (c = s->choices; c->name != NULL; c++)
		n += c->means == NULL;
	snprintf(why, len, "应为 ");
	for (c = s->choices; c->name != NULL; c++) {
		if (c->means != NULL)
			continue;
		append(why, len, "%s%s", i == 0 ? "" : i + 1 == n ? " 或 " : "、", c->name);
		i++;
	}
	append(why, len, ": %s", text);
	return -1;
}

static int refuse_int(const struct setting *s, char *why, size_t len, const char *text)
{
	if (s->max == INT_MAX)
		return refuse(why, len, text, "应为不小于 %ld 的%s", s->min, s->what);
	return refuse(why, len, text, "应为 %ld 到 %ld 之间的%s", s->min, s->max, s->what);
}

static void set_string(char *slot, const char *text)
{
	free(*(char **)slot);
	*(char **)slot = xstrdup(text);
}

static int set_addresses(const struct setting *s, char *base, const char *text, char *why,
			 size_t len)
{
	char **items;
	size_t n = ini_split_list(text, &items);

	if (n == 0) {
		ini_free_list(items, n);
		return refuse(why, len, text, "应为电子邮件地址（多个用逗号分隔），不能为空");
	}

	for (size_t i = 0; i < n; i++) {
		if (!mail_address_valid(items[i])) {
			refuse(why, len, items[i], "应为电子邮件地址（多个用逗号分隔）");
			ini_free_list(items, n);
			return -1;
		}
	}
	if (base == NULL) {
		ini_free_list(items, n);
		return 0;
	}
	ini_free_list(*(char ***)(base + s->offset), *(size_t *)(base + s->extra));
	*(char ***)(base + s->offset) = items;
	*(size_t *)(base + s->extra) = n;
	return 0;
}

/*
 * smtp://host[:port][/path] or smtps://...: the scheme curl is allowed
 * (mail.c), a host, a port 1-65535 if any; printable ASCII without blanks
 * (a comment after the value, "smtp://x ; main server", is refused, not
 * sent to curl); no user:password@, which belongs in password_file.
 */
static const char *url_problem(const char *text)
{
	const char *host, *end, *colon;

	if (strncasecmp(text, "smtp://", 7) == 0)
		host = text + 7;
	else if (strncasecmp(text, "smtps://", 8) == 0)
		host = text + 8;
	else
		return "应为 smtp://主机:端口 或 smtps://主机:端口";
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return "邮件服务器地址中不能有空格、控制字符或非 ASCII 字符";
	end = host + strcspn(host, "/?#");
	if (memchr(host, '@', (size_t)(end - host)) != NULL)
		return "邮件服务器地址中不能写用户名或密码（请用 user 和 password_file）";
	colon = memchr(host, ':', (size_t)(end - host));
	if (host[0] == '[') { /* [IPv6]:port */
		const char *close = memchr(host, ']', (size_t)(end - host));

		if (close == NULL || close == host + 1)
			return "应为 smtp://主机:端口 或 smtps://主机:端口";
		colon = close + 1 < end && close[1] == ':' ? close + 1 : NULL;
	}
	if ((colon != NULL ? colon : end) == host)
		return "应为 smtp://主机:端口 或 smtps://主机:端口（缺少主机名）";
	if (colon != NULL) {
		char port[8];
		long l;
		size_t n = (size_t)(end - colon - 1);

		if (n == 0 || n >= sizeof(port))
			return "端口应为 1 到 65535 之间的整数";
		memcpy(port, colon + 1, n);
		port[n] = '\0';
		if (strspn(port, "0123456789") != n || parse_long(port, 1, 65535, &l) != 0)
			return "端口应为 1 到 65535 之间的整数";
	}
	return NULL;
}

/* An environment variable's name, as a shell would export it. */
static bool env_name(const char *text)
{
	if (!((*text >= 'A' && *text <= 'Z') || (*text >= 'a' && *text <= 'z') || *text == '_'))
		return false;
	return strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
	       strlen(text);
}

int setting_set(const struct setting *s, struct cli *cli, struct config *cfg, const char *text,
		char *why, size_t whylen)
{
	const char *problem;
	char *base = s->section == SECTION_MAIL ? (char *)cfg : (char *)cli;
	char *slot = base != NULL ? base + s->offset : NULL;
	long l;
	double d;
	bool b;

	switch (s->type) {
	case SETTING_FLAG:
		if (slot != NULL)
			*(bool *)slot = true;
		return 0;
	case SETTING_BOOL:
		if (parse_bool(text, &b) != 0)
			return refuse(why, whylen, text, "应为 %s", parse_bool_spellings);
		if (slot != NULL)
			*(bool *)slot = b;
		return 0;
	case SETTING_INT:
		if (parse_long(text, s->min, s->max, &l) != 0)
			return refuse_int(s, why, whylen, text);
		if (slot != NULL)
			*(int *)slot = (int)l;
		return 0;
	case SETTING_DOUBLE:
		if (parse_double(text, s->dmin, s->dmax, &d) != 0)
			return refuse(why, whylen, text, "应为 %g 到 %g 之间的%s", s->dmin, s->dmax,
				      s->what);
		if (slot != NULL)
			*(double *)slot = d;
		return 0;
	case SETTING_ENUM:
		for (const struct setting_choice *c = s->choices; c->name != NULL; c++) {
			if (strcasecmp(text, c->name) != 0)
				continue;
			if (slot != NULL)
				*(const char **)slot = c->means != NULL ? c->means : c->name;
			return 0;
		}
		return refuse_choice(s, why, whylen, text);
	case SETTING_STRING:
		if (text[0] == '\0')
			return refuse(why, whylen, text, "不能为空");
		if (slot != NULL)
			set_string(slot, text);
		return 0;
	case SETTING_URL:
		if ((problem = url_problem(text)) != NULL)
			return refuse(why, whylen, text, "%s", problem);
		if (slot != NULL)
			set_string(slot, text);
		return 0;
	case SETTING_ENVNAME:
		if (!env_name(text))
			return refuse(why, whylen, text, "应为环境变量名（字母、数字和下划线）");
		if (slot != NULL)
			set_string(slot, text);
		return 0;
	case SETTING_YEAR:
		if (strcasecmp(text, "latest") == 0) {
			l = 0;
			b = true;
		} else if (parse_long(text, 1900, 2099, &l) == 0) {
			b = false;
		} else {
			return refuse(why, whylen, text, "应为四位年份（1900 到 2099）或 latest");
		}
		if (slot != NULL) {
			*(int *)slot = (int)l;
			*(bool *)(base + s->extra) = b;
		}
		return 0;
	case SETTING_PERIOD: {
		struct period p;
		char err[512];

		if (period_parse(text, &p, err, sizeof(err)) != 0)
			return refuse(why, whylen, text, "%s", err);
		if (slot != NULL) {
			*(struct period *)slot = p;
			*(bool *)(base + s->extra) = true;
		}
		return 0;
	}
	case SETTING_WHERE: {
		/* 列=值: the column and the values are checked against the schema later */
		const char *eq = strstr(text, "=");
		if (eq == NULL || eq == text || eq[1] == '\0')
			return refuse(why, whylen, text, "应写成 列名=取值，如 区县=岳池县");
		if (slot != NULL) {
			char ***list = (char ***)slot;
			size_t *n = (size_t *)(base + s->extra);
			*list = xrealloc(*list, (*n + 1) * sizeof(char *));
			(*list)[(*n)++] = xstrdup(text);
		}
		return 0;
	}
	case SETTING_MODE:
		if (parse_octal(text, 0777, &l) != 0)
			return refuse(why, whylen, text, "应为八进制权限（0 到 0777），如 0640");
		if (slot != NULL)
			*(int *)slot = (int)l;
		return 0;
	case SETTING_ADDRESS:
		if (!mail_address_valid(text))
			return refuse(why, whylen, text, "应为电子邮件地址");
		if (slot != NULL)
			set_string(slot, text);
		return 0;
	case SETTING_ADDRESSES:
		return set_addresses(s, base, text, why, whylen);
	}
	return refuse(why, whylen, text, "无法识别的设置类型");
}

/* The defaults of the settings stored in cli (mail false) or cfg (mail true). */
static void init(struct cli *cli, struct config *cfg, bool mail)
{
	char why[256];

	for (size_t i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &table[i];

		if (s->deflt == NULL || (s->section == SECTION_MAIL) != mail)
			continue;
		if (setting_set(s, cli, cfg, s->deflt, why, sizeof(why)) != 0) {
			/* a bad row in the table: test_settings catches it first */
			fprintf(stderr, "civreport: 设置表中 %s 的默认值%s\n",
				s->option ? s->option : s->key, why);
			abort();
		}
	}
}

void settings_init_cli(struct cli *cli)
{
	init(cli, NULL, false);
}

void settings_init_mail(struct config *cfg)
{
	init(NULL, cfg, true);
}

void settings_release_cli(struct cli *cli)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		char **slot = (char **)((char *)cli + table[i].offset);

		if (table[i].section == SECTION_MAIL)
			continue;
		if (table[i].type == SETTING_WHERE) {
			size_t *n = (size_t *)((char *)cli + table[i].extra);
			for (size_t k = 0; k < *n; k++)
				free(((char **)*slot)[k]);
			*n = 0;
		} else if (table[i].type != SETTING_STRING) {
			continue;
		}
		free(*slot);
		*slot = NULL;
	}
}

void settings_keys(enum setting_section section, char *buf, size_t len)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < NSETTINGS; i++)
		if (table[i].key != NULL && table[i].section == section)
			append(buf, len, "%s%s", buf[0] ? "、" : "", table[i].key);
}
