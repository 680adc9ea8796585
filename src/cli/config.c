/*
 * config.c - reading the configuration file; see config.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "settings.h"
#include "util/ini.h"
#include "util/xalloc.h"

struct loader {
	struct config *cfg;
	struct cli *cli;
	char *err;
	size_t errlen;
	const char *path;
};

static int bad(struct loader *ld, int line, const char *what, const char *value)
{
	snprintf(ld->err, ld->errlen, "%s:%d: %s: %s", ld->path, line, what, value);
	return 1;
}

static int on_line(void *ctx, const char *section, const char *key, const char *value, int line)
{
	struct loader *ld = ctx;
	enum setting_section sec;
	const struct setting *s;
	char why[512];

	if (!strcmp(section, "run") || !strcmp(section, ""))
		sec = SECTION_RUN;
	else if (!strcmp(section, "mail"))
		sec = SECTION_MAIL;
	else
		return bad(ld, line, "未知的节(可用 [run] 和 [mail])", section);
	if (!strcmp(key, "password"))
		return bad(ld, line, "密码不能写在配置文件中,请用 password_env 或 password_file",
			   key);
	s = setting_by_key(sec, key);
	if (s == NULL) {
		char keys[512];

		settings_keys(sec, keys, sizeof(keys));
		snprintf(ld->err, ld->errlen, "%s:%d: [%s] 中未知的设置: %s(可用: %s)", ld->path,
			 line, sec == SECTION_MAIL ? "mail" : "run", key, keys);
		return 1;
	}
	/* a setting the command line gave is checked, not stored: flags win */
	if (setting_set(s, ld->cli->given & (UINT64_C(1) << setting_index(s)) ? NULL : ld->cli,
			ld->cfg, value, why, sizeof(why)) != 0) {
		snprintf(ld->err, ld->errlen, "%s:%d: %s %s", ld->path, line, key, why);
		return 1;
	}
	return 0;
}

/* A password file must be private: a report mailer's secret is not for other users. */
static int read_password_file(struct loader *ld)
{
	const char *path = ld->cfg->password_file;
	struct stat st;
	FILE *fp;
	char buf[512];
	size_t n;

	if (stat(path, &st) != 0) {
		snprintf(ld->err, ld->errlen, "无法读取密码文件 %s:%s", path, strerror(errno));
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(ld->err, ld->errlen,
			 "拒绝使用密码文件 %s:其他用户可以读取(权限 %04o);请执行 chmod 600 %s",
			 path, (unsigned)(st.st_mode & 0777), path);
		return -1;
	}
	fp = fopen(path, "r");
	if (fp == NULL) {
		snprintf(ld->err, ld->errlen, "无法读取密码文件 %s:%s", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	ld->cfg->mail.password = xstrdup(buf);
	return 0;
}

int config_load(struct config *cfg, struct cli *cli, const char *path, char *err, size_t errlen)
{
	struct loader ld = {.cfg = cfg, .cli = cli, .err = err, .errlen = errlen, .path = path};
	int bad_line = 0, rc;

	memset(cfg, 0, sizeof(*cfg));
	settings_init_mail(cfg);
	rc = ini_parse_file(path, on_line, &ld, &bad_line);
	if (rc < 0 && bad_line == 0)
		snprintf(err, errlen, "无法读取配置文件 %s:%s", path, strerror(errno));
	else if (rc < 0)
		snprintf(err, errlen, "%s:%d: 无法解析的行(应为 键 = 值 或 [节])", path, bad_line);
	if (rc == 0 && cfg->password_env != NULL) {
		const char *pw = getenv(cfg->password_env);
		if (pw == NULL) {
			snprintf(err, errlen, "环境变量 %s 未设置(配置的 password_env)",
				 cfg->password_env);
			rc = -1;
		} else {
			cfg->mail.password = xstrdup(pw);
		}
	}
	if (rc == 0 && cfg->password_file != NULL && cfg->mail.password == NULL)
		rc = read_password_file(&ld);
	free(cfg->password_env);
	free(cfg->password_file);
	cfg->password_env = cfg->password_file = NULL;
	if (rc != 0) {
		config_release(cfg);
		return -1;
	}
	return 0;
}

void config_release(struct config *cfg)
{
	mail_settings_release(&cfg->mail);
	free(cfg->password_env);
	free(cfg->password_file);
	memset(cfg, 0, sizeof(*cfg));
}
