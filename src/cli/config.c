/*
 * config.c - reading the configuration file; see config.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "util/ini.h"
#include "util/xalloc.h"

struct loader {
	struct config *cfg;
	char *err;
	size_t errlen;
	const char *path;
	char *password_env, *password_file;
};

static int bad(struct loader *ld, int line, const char *what, const char *value)
{
	snprintf(ld->err, ld->errlen, "%s:%d: %s: %s", ld->path, line, what, value);
	return 1;
}

static bool truthy(const char *v)
{
	return !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "是");
}

static void set_str(char **slot, const char *v)
{
	free(*slot);
	*slot = xstrdup(v);
}

static int list(char ***items, size_t *n, const char *v)
{
	ini_free_list(*items, *n);
	*n = ini_split_list(v, items);
	return 0;
}

static int run_key(struct loader *ld, const char *key, const char *v, int line)
{
	struct config *c = ld->cfg;
	char *end;

	if (!strcmp(key, "input"))
		set_str(&c->input, v);
	else if (!strcmp(key, "output"))
		set_str(&c->output, v);
	else if (!strcmp(key, "template"))
		set_str(&c->template_path, v);
	else if (!strcmp(key, "encoding"))
		set_str(&c->encoding, v);
	else if (!strcmp(key, "log_file"))
		set_str(&c->log_file, v);
	else if (!strcmp(key, "year")) {
		long y;
		if (!strcmp(v, "latest")) {
			c->year_latest = true;
			return 0;
		}
		y = strtol(v, &end, 10);
		if (*end || y < 1900 || y > 2099)
			return bad(ld, line, "year 应为四位年份或 latest", v);
		c->year = (int)y;
	} else if (!strcmp(key, "max_reject_rate")) {
		c->max_reject_rate = strtod(v, &end);
		if (*end || c->max_reject_rate < 0 || c->max_reject_rate > 1)
			return bad(ld, line, "max_reject_rate 应为 0 到 1 之间的比例", v);
	} else if (!strcmp(key, "threads")) {
		c->threads = (int)strtol(v, &end, 10);
		if (*end || c->threads < 1 || c->threads > 64)
			return bad(ld, line, "threads 应为 1 到 64", v);
	} else if (!strcmp(key, "mode")) {
		c->mode = (int)strtol(v, &end, 8);
		if (*end || c->mode < 0 || c->mode > 0777)
			return bad(ld, line, "mode 应为八进制权限,如 0640", v);
	} else {
		return bad(ld, line, "[run] 中未知的设置", key);
	}
	return 0;
}

static int mail_key(struct loader *ld, const char *key, const char *v, int line)
{
	struct mail_settings *m = &ld->cfg->mail;
	char *end;

	if (!strcmp(key, "url"))
		set_str(&m->url, v);
	else if (!strcmp(key, "from"))
		set_str(&m->from, v);
	else if (!strcmp(key, "from_name"))
		set_str(&m->from_name, v);
	else if (!strcmp(key, "to"))
		return list(&m->to, &m->nto, v);
	else if (!strcmp(key, "on_failure"))
		return list(&m->on_failure, &m->non_failure, v);
	else if (!strcmp(key, "user"))
		set_str(&m->user, v);
	else if (!strcmp(key, "password"))
		return bad(ld, line, "密码不能写在配置文件中,请用 password_env 或 password_file",
			   key);
	else if (!strcmp(key, "password_env"))
		set_str(&ld->password_env, v);
	else if (!strcmp(key, "password_file"))
		set_str(&ld->password_file, v);
	else if (!strcmp(key, "starttls"))
		m->starttls = truthy(v);
	else if (!strcmp(key, "attach_xlsx"))
		m->attach_xlsx = truthy(v);
	else if (!strcmp(key, "retries")) {
		m->retries = (int)strtol(v, &end, 10);
		if (*end || m->retries < 0 || m->retries > 20)
			return bad(ld, line, "retries 应为 0 到 20", v);
	} else if (!strcmp(key, "retry_delay_ms")) {
		m->retry_delay_ms = (int)strtol(v, &end, 10);
		if (*end || m->retry_delay_ms < 0)
			return bad(ld, line, "retry_delay_ms 应为毫秒数", v);
	} else if (!strcmp(key, "timeout")) {
		m->timeout_seconds = (int)strtol(v, &end, 10);
		if (*end || m->timeout_seconds < 0)
			return bad(ld, line, "timeout 应为秒数", v);
	} else {
		return bad(ld, line, "[mail] 中未知的设置", key);
	}
	return 0;
}

static int on_line(void *ctx, const char *section, const char *key, const char *value, int line)
{
	struct loader *ld = ctx;

	if (!strcmp(section, "run") || !strcmp(section, ""))
		return run_key(ld, key, value, line);
	if (!strcmp(section, "mail"))
		return mail_key(ld, key, value, line);
	return bad(ld, line, "未知的节(可用 [run] 和 [mail])", section);
}

/* A password file must be private: a report mailer's secret is not for other users. */
static int read_password_file(struct loader *ld)
{
	struct stat st;
	FILE *fp;
	char buf[512];
	size_t n;

	if (stat(ld->password_file, &st) != 0) {
		snprintf(ld->err, ld->errlen, "无法读取密码文件 %s:%s", ld->password_file,
			 strerror(errno));
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(ld->err, ld->errlen,
			 "拒绝使用密码文件 %s:其他用户可以读取(权限 %04o);请执行 chmod 600 %s",
			 ld->password_file, (unsigned)(st.st_mode & 0777), ld->password_file);
		return -1;
	}
	fp = fopen(ld->password_file, "r");
	if (fp == NULL) {
		snprintf(ld->err, ld->errlen, "无法读取密码文件 %s:%s", ld->password_file,
			 strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	ld->cfg->mail.password = xstrdup(buf);
	return 0;
}

int config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	struct loader ld = {.cfg = cfg, .err = err, .errlen = errlen, .path = path};
	int bad_line = 0, rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->max_reject_rate = -1;
	cfg->mode = -1;
	cfg->mail.starttls = true;
	cfg->mail.retries = 3;
	cfg->mail.retry_delay_ms = 2000;
	rc = ini_parse_file(path, on_line, &ld, &bad_line);
	if (rc < 0 && bad_line == 0)
		snprintf(err, errlen, "无法读取配置文件 %s:%s", path, strerror(errno));
	else if (rc < 0)
		snprintf(err, errlen, "%s:%d: 无法解析的行(应为 键 = 值 或 [节])", path, bad_line);
	if (rc == 0 && ld.password_env != NULL) {
		const char *pw = getenv(ld.password_env);
		if (pw == NULL) {
			snprintf(err, errlen, "环境变量 %s 未设置(配置的 password_env)",
				 ld.password_env);
			rc = -1;
		} else {
			cfg->mail.password = xstrdup(pw);
		}
	}
	if (rc == 0 && ld.password_file != NULL && cfg->mail.password == NULL)
		rc = read_password_file(&ld);
	free(ld.password_env);
	free(ld.password_file);
	if (rc != 0) {
		config_release(cfg);
		return -1;
	}
	return 0;
}

void config_release(struct config *cfg)
{
	free(cfg->input);
	free(cfg->output);
	free(cfg->template_path);
	free(cfg->encoding);
	free(cfg->log_file);
	mail_settings_release(&cfg->mail);
	memset(cfg, 0, sizeof(*cfg));
}

void config_apply(const struct config *cfg, struct cli *cli)
{
	if (cli->input == NULL)
		cli->input = cfg->input;
	if (cli->output == NULL)
		cli->output = cfg->output;
	if (cli->template_path == NULL)
		cli->template_path = cfg->template_path;
	if (cli->encoding == NULL)
		cli->encoding = cfg->encoding;
	if (cli->log_file == NULL)
		cli->log_file = cfg->log_file;
	if (cli->year == 0 && !cli->year_latest) {
		cli->year = cfg->year;
		cli->year_latest = cfg->year_latest;
	}
	if (cli->max_reject_rate < 0)
		cli->max_reject_rate = cfg->max_reject_rate;
	if (cli->threads == 0)
		cli->threads = cfg->threads;
	if (cli->mode < 0)
		cli->mode = cfg->mode;
}
