/*
 * manifest_mail.c - the mail section of manifest.json; see manifest_mail.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "manifest_mail.h"
#include "outfile.h"
#include "util/json.h"
#include "util/json_read.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define KEY "  \"mail\": "

static void field(FILE *fp, const char *name, const char *value)
{
	fprintf(fp, ", \"%s\": ", name);
	if (value != NULL)
		json_string(fp, value);
	else
		fputs("null", fp);
}

void manifest_mail_write(FILE *fp, const struct manifest_mail *m)
{
	fprintf(fp, KEY "{\"state\": \"%s\"", m->sent ? "sent" : "pending");
	field(fp, "subject", m->subject);
	field(fp, "body", m->body);
	field(fp, "pdf", m->pdf);
	field(fp, "xlsx", m->xlsx);
	field(fp, "docx", m->docx);
	fprintf(fp, ", \"attempts\": %d", m->attempts);
	field(fp, "time", m->time);
	fputs(", \"to\": [", fp);
	for (size_t i = 0; i < m->nto; i++) {
		if (i > 0)
			fputs(", ", fp);
		json_string(fp, m->to[i]);
	}
	fputc(']', fp);
	field(fp, "error", m->error);
	fputc('}', fp);
}

static char *dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

int manifest_mail_read(const char *path, struct manifest_mail *m)
{
	struct json_value *doc = json_parse_file(path);
	const struct json_value *mail = json_get(doc, "mail"), *to = json_get(mail, "to");
	const char *state = json_get_string(mail, "state");

	memset(m, 0, sizeof(*m));
	if (doc == NULL)
		return -1;
	if (state == NULL || json_get_string(mail, "pdf") == NULL ||
	    json_get_string(mail, "subject") == NULL || json_get_string(mail, "body") == NULL) {
		json_free(doc);
		errno = ENOMSG;
		return -1;
	}
	m->sent = strcmp(state, "sent") == 0;
	m->subject = xstrdup(json_get_string(mail, "subject"));
	m->body = xstrdup(json_get_string(mail, "body"));
	m->pdf = xstrdup(json_get_string(mail, "pdf"));
	m->xlsx = dup_or_null(json_get_string(mail, "xlsx"));
	m->docx = dup_or_null(json_get_string(mail, "docx"));
	m->attempts = (int)json_get_int(mail, "attempts", 0);
	m->time = dup_or_null(json_get_string(mail, "time"));
	m->error = dup_or_null(json_get_string(mail, "error"));
	for (size_t i = 0; to != NULL && to->type == JSON_ARRAY && i < to->n; i++) {
		if (to->items[i].type != JSON_STRING)
			continue;
		m->to = xrealloc(m->to, (m->nto + 1) * sizeof(*m->to));
		m->to[m->nto++] = xstrdup(to->items[i].text);
	}
	json_free(doc);
	return 0;
}

/* The whole file at path, or NULL with errno. */
static char *slurp(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *fp = fopen(path, "rb");
	char buf[65536];
	size_t n;

	if (fp == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&sb, buf, n);
	if (ferror(fp)) {
		int err = errno;

		fclose(fp);
		strbuf_release(&sb);
		errno = err;
		return NULL;
	}
	fclose(fp);
	return strbuf_detach(&sb, len);
}

int manifest_mail_update(const char *path, const struct manifest_mail *m)
{
	struct outfile out = {0};
	struct json_value *check;
	struct stat st;
	size_t len;
	char *text = slurp(path, &len), *start, *eol, *brace;
	char *line = NULL;
	size_t line_len = 0;
	FILE *mem;
	int rc;

	if (text == NULL)
		return -1;
	/* the section is one line of its own; what follows its '}' (a comma) stays */
	start = strstr(text, "\n" KEY);
	eol = start != NULL ? strchrnul(start + 1, '\n') : NULL;
	brace = eol;
	while (brace != NULL && brace > start && *brace != '}')
		brace--;
	if (start == NULL || brace == start) {
		free(text);
		errno = ENOMSG;
		return -1;
	}
	mem = open_memstream(&line, &line_len);
	if (mem == NULL) {
		free(text);
		return -1;
	}
	manifest_mail_write(mem, m);
	fclose(mem);
	if (stat(path, &st) != 0 || outfile_open_stream(&out, path, st.st_mode & 07777) != 0) {
		int err = errno;

		free(text);
		free(line);
		errno = err;
		return -1;
	}
	fwrite(text, 1, (size_t)(start + 1 - text), out.fp);
	fputs(line, out.fp);
	fwrite(brace + 1, 1, len - (size_t)(brace + 1 - text), out.fp);
	/* never replace a good manifest with a broken one */
	fflush(out.fp);
	check = json_parse_file(out.tmp_path);
	if (check == NULL || json_get(check, "mail") == NULL) {
		json_free(check);
		outfile_abort(&out);
		free(text);
		free(line);
		errno = EINVAL;
		return -1;
	}
	json_free(check);
	rc = outfile_commit(&out);
	free(text);
	free(line);
	return rc;
}

void manifest_mail_attempted(struct manifest_mail *m, char *const *to, size_t nto,
			     const char *error)
{
	char buf[64];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm);
	free(m->time);
	m->time = xstrdup(buf);
	m->attempts++;
	m->sent = error == NULL;
	free(m->error);
	m->error = dup_or_null(error);
	for (size_t i = 0; i < m->nto; i++)
		free(m->to[i]);
	free(m->to);
	m->to = xcalloc(nto ? nto : 1, sizeof(*m->to));
	m->nto = nto;
	for (size_t i = 0; i < nto; i++)
		m->to[i] = xstrdup(to[i]);
}

void manifest_mail_release(struct manifest_mail *m)
{
	free(m->subject);
	free(m->body);
	free(m->pdf);
	free(m->xlsx);
	free(m->docx);
	free(m->time);
	free(m->error);
	for (size_t i = 0; i < m->nto; i++)
		free(m->to[i]);
	free(m->to);
	memset(m, 0, sizeof(*m));
}
