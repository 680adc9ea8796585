/*
 * config.c - reading the configuration file; see config.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "settings.h"
#include "util/ini.h"
#include "util/strbuf.h"
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

/*
 * [mail.each] 岳池县 = a@b.cn, c@d.cn: the addresses parsed as [mail] to's
 * are, by the same table row; a value named twice is refused.
 */
static int mail_route(struct loader *ld, const char *key, const char *value, int line)
{
	const struct setting *to = setting_by_key(SECTION_MAIL, "to");
	struct config tmp = {0};
	struct mail_route *r;
	char why[512];

	for (size_t i = 0; i < ld->cfg->nroutes; i++)
		if (strcmp(ld->cfg->routes[i].value, key) == 0)
			return bad(ld, line, "[mail.each] 中重复的取值", key);
	if (setting_set(to, NULL, &tmp, value, why, sizeof(why)) != 0) {
		snprintf(ld->err, ld->errlen, "%s:%d: [mail.each] %s %s", ld->path, line, key, why);
		mail_settings_release(&tmp.mail);
		return 1;
	}
	ld->cfg->routes =
	    xrealloc(ld->cfg->routes, (ld->cfg->nroutes + 1) * sizeof(*ld->cfg->routes));
	r = &ld->cfg->routes[ld->cfg->nroutes++];
	r->value = xstrdup(key);
	r->to = tmp.mail.to;
	r->nto = tmp.mail.nto;
	r->line = line;
	tmp.mail.to = NULL;
	tmp.mail.nto = 0;
	mail_settings_release(&tmp.mail);
	return 0;
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
	else if (!strcmp(section, "mail.each"))
		return mail_route(ld, key, value, line);
	else
		return bad(ld, line, "未知的节（可用 [run]、[mail] 和 [mail.each]）", section);
	if (!strcmp(key, "password"))
		return bad(ld, line, "密码不能写在配置文件中，请用 password_env 或 password_file",
			   key);
	s = setting_by_key(sec, key);
	if (s == NULL) {
		char keys[512];

		settings_keys(sec, keys, sizeof(keys));
		snprintf(ld->err, ld->errlen, "%s:%d: [%s] 中未知的设置：%s（可用：%s）", ld->path,
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

/*
 * A password file must be a private regular file holding the password on
 * its one line.  Anything else (a directory, a FIFO, an empty file, a file
 * group or others may read, a NUL byte, a second line) is refused with the
 * reason, never taken as an empty or truncated password: the failure shows
 * at start-up, not as "登录失败" in the night.  Opened first and checked
 * with fstat, so what is checked is what is read; O_NONBLOCK so that a FIFO
 * is refused instead of waited on.
 */
static int read_password_file(struct loader *ld)
{
	const char *path = ld->cfg->password_file;
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	char buf[4096];
	const char *why = NULL;
	size_t line;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(ld->err, ld->errlen, "无法读取密码文件 %s：%s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		why = "它是一个目录，不是文件";
	else if (!S_ISREG(st.st_mode))
		why = "它不是普通文件";
	if (why == NULL && (st.st_mode & 077)) {
		snprintf(ld->err, ld->errlen,
			 "拒绝使用密码文件 %s：其他用户可以读取（权限 %04o）；请执行 chmod 600 %s",
			 path, (unsigned)(st.st_mode & 0777), path);
		close(fd);
		return -1;
	}
	while (why == NULL && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(ld->err, ld->errlen, "无法读取密码文件 %s：%s", path,
				 strerror(errno));
			close(fd);
			strbuf_release(&sb);
			return -1;
		}
		strbuf_add(&sb, buf, (size_t)n);
	}
	close(fd);
	if (why == NULL) {
		/* the password is the first line; only line ends may follow it */
		line = sb.buf != NULL ? strcspn(sb.buf, "\r\n") : 0;
		if (sb.len == 0)
			why = "文件是空的";
		else if (memchr(sb.buf, '\0', sb.len) != NULL)
			why = "文件中有 NUL 字节";
		else if (line == 0)
			why = "第一行是空的（密码应写在第一行）";
		else if (strspn(sb.buf + line, "\r\n") != sb.len - line)
			why = "文件有多行（只应有一行：密码）";
	}
	if (why != NULL) {
		snprintf(ld->err, ld->errlen, "无法使用密码文件 %s：%s", path, why);
		if (sb.buf != NULL)
			memset(sb.buf, 0, sb.len);
		strbuf_release(&sb);
		return -1;
	}
	ld->cfg->mail.password = xstrndup(sb.buf, line);
	memset(sb.buf, 0, sb.len);
	strbuf_release(&sb);
	return 0;
}

int config_load(struct config *cfg, struct cli *cli, const char *path, char *err, size_t errlen)
{
	struct loader ld = {.cfg = cfg, .cli = cli, .err = err, .errlen = errlen, .path = path};
	int bad_line = 0, rc;

	memset(cfg, 0, sizeof(*cfg));
	settings_init_mail(cfg);
	cfg->path = xstrdup(path);
	rc = ini_parse_file(path, on_line, &ld, &bad_line);
	if (rc < 0 && bad_line == 0)
		snprintf(err, errlen, "无法读取配置文件 %s：%s", path, strerror(errno));
	else if (rc < 0)
		snprintf(err, errlen, "%s:%d: 无法解析的行（应为 键 = 值 或 [节]）", path,
			 bad_line);
	if (rc == 0 && cfg->password_env != NULL && cfg->password_file != NULL) {
		snprintf(err, errlen,
			 "%s: password_env 和 password_file 只能设置其中一个（密码从哪里读取？）",
			 path);
		rc = -1;
	}
	if (rc == 0 && cfg->password_env != NULL) {
		const char *pw = getenv(cfg->password_env);
		if (pw == NULL || pw[0] == '\0') {
			snprintf(err, errlen, "环境变量 %s %s（配置的 password_env）",
				 cfg->password_env, pw == NULL ? "未设置" : "是空的");
			rc = -1;
		} else {
			cfg->mail.password = xstrdup(pw);
		}
	}
	if (rc == 0 && cfg->password_file != NULL && cfg->mail.password == NULL)
		rc = read_password_file(&ld);
	/* a login with an empty password never works: say so now, not at 2 a.m. */
	if (rc == 0 && cfg->mail.user != NULL && cfg->mail.password == NULL) {
		snprintf(err, errlen, "%s: 设置了 user 但没有 password_env 或 password_file", path);
		rc = -1;
	}
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
	for (size_t i = 0; i < cfg->nroutes; i++) {
		free(cfg->routes[i].value);
		for (size_t k = 0; k < cfg->routes[i].nto; k++)
			free(cfg->routes[i].to[k]);
		free(cfg->routes[i].to);
	}
	free(cfg->routes);
	free(cfg->path);
	free(cfg->password_env);
	free(cfg->password_file);
	memset(cfg, 0, sizeof(*cfg));
}
