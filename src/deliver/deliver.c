/*
 * deliver.c - reports and failure notices by email; see deliver.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deliver.h"
#include "util/exitcode.h"
#include "util/ini.h"
#include "util/log.h"
#include "mail.h"
#include "util/xalloc.h"

void mail_settings_release(struct mail_settings *m)
{
	free(m->url);
	free(m->from);
	free(m->from_name);
	ini_free_list(m->to, m->nto);
	ini_free_list(m->on_failure, m->non_failure);
	free(m->user);
	if (m->password != NULL)
		memset(m->password, 0, strlen(m->password));
	free(m->password);
	memset(m, 0, sizeof(*m));
}

static void fill(struct mail_config *mc, const struct mail_settings *m, char **to, size_t nto)
{
	memset(mc, 0, sizeof(*mc));
	mc->url = m->url;
	mc->from = m->from;
	mc->from_name = m->from_name;
	mc->to = (const char *const *)to;
	mc->nto = nto;
	mc->user = m->user;
	mc->password = m->password;
	mc->starttls = m->starttls;
	mc->timeout_seconds = m->timeout_seconds;
	mc->retries = m->retries;
	mc->retry_delay_ms = m->retry_delay_ms;
}

static const char *content_type(const char *path)
{
	size_t n = strlen(path);

	if (n > 4 && strcmp(path + n - 4, ".pdf") == 0)
		return "application/pdf";
	if (n > 5 && strcmp(path + n - 5, ".xlsx") == 0)
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	if (n > 5 && strcmp(path + n - 5, ".docx") == 0)
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	if (n > 4 && strcmp(path + n - 4, ".csv") == 0)
		return "text/csv";
	return "application/octet-stream";
}

int deliver_files(const struct mail_settings *m, const char *subject, const char *body,
		  const char *const *files, size_t nfiles, struct deliver_outcome *out)
{
	struct mail_config mc;
	struct mail_attachment *att;
	struct mail_stats stats;
	char err[1024];
	enum mail_result r;

	if (out != NULL)
		out->error[0] = '\0';
	if (m == NULL || m->url == NULL || m->nto == 0 || m->from == NULL) {
		log_error("没有可用的邮件设置：配置文件的 [mail] 需要 url、from 和 to");
		if (out != NULL)
			snprintf(out->error, sizeof(out->error), "没有可用的邮件设置");
		return EXIT_USAGE;
	}
	fill(&mc, m, m->to, m->nto);
	att = xcalloc(nfiles ? nfiles : 1, sizeof(*att));
	for (size_t i = 0; i < nfiles; i++) {
		att[i].path = files[i];
		att[i].content_type = content_type(files[i]);
	}
	r = mail_send_stats(&mc, subject, body, att, nfiles, err, sizeof(err), &stats);
	free(att);
	if (r != MAIL_OK) {
		log_error("邮件发送失败：%s（报告文件已保留；用时 %.1f 秒，上限 %.1f 秒）", err,
			  stats.elapsed_ms / 1000.0, stats.cap_ms / 1000.0);
		if (out != NULL)
			snprintf(out->error, sizeof(out->error), "%s", err);
		return EXIT_MAIL;
	}
	log_info("邮件已发送给 %zu 位收件人（尝试 %d 次，用时 %.1f 秒，上限 %.1f 秒）", m->nto,
		 stats.attempts, stats.elapsed_ms / 1000.0, stats.cap_ms / 1000.0);
	return EXIT_OK;
}

void deliver_failure_notice(const struct mail_settings *m, const char *summary)
{
	struct mail_config mc;
	char err[1024];

	if (m == NULL || m->non_failure == 0 || m->url == NULL)
		return;
	fill(&mc, m, m->on_failure, m->non_failure);
	if (mail_send(&mc, "civreport 运行失败", summary, NULL, 0, err, sizeof(err)) != MAIL_OK)
		log_warn("失败通知未能发出：%s", err);
}
