/*
 * manifest.c - the record of a run's inputs, and the --if-changed test; see
 * manifest.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/json.h"
#include "util/json_read.h"
#include "manifest.h"
#include "manifest_mail.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/version.h"
#include "util/xalloc.h"

int manifest_fingerprint(struct manifest_inputs *in)
{
	char **paths, *tsha = in->template_sha256, *ssha = in->schema_sha256;
	long n = ingest_list_files(in->input_dir, &paths, &in->unread, &in->nunread);

	in->fingerprint[0] = '\0';
	if (n < 0)
		return -1;
	if (sha256_file(in->template_path, tsha, NULL) != 0 ||
	    sha256_file(in->schema_path, ssha, NULL) != 0) {
		for (long i = 0; i < n; i++)
			free(paths[i]);
		free(paths);
		return -1;
	}
	in->files = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*in->files));
	in->nfiles = (size_t)n;
	for (long i = 0; i < n; i++) {
		struct manifest_file *f = &in->files[i];
		char *full = xasprintf("%s/%s", in->input_dir, paths[i]);
		struct stat st;

		f->path = paths[i];
		if (stat(full, &st) == 0) {
			f->found = true;
			f->size = st.st_size;
			f->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
		}
		free(full);
	}
	free(paths);
	return 0;
}

/* The fingerprint over the inputs' content hashes ("" for a file not read). */
static void compute(struct manifest_inputs *in)
{
	struct strbuf text = STRBUF_INIT;

	strbuf_addf(&text, "civreport %s\ntemplate %s\nschema %s\nsettings %s\n", CIVREPORT_VERSION,
		    in->template_sha256, in->schema_sha256, in->settings);
	for (size_t i = 0; i < in->nfiles; i++)
		strbuf_addf(&text, "file %s %s\n", in->files[i].path,
			    in->files[i].sha256[0] ? in->files[i].sha256 : "missing");
	/* the report names the files it did not read: one more is another report */
	for (size_t i = 0; i < in->nunread; i++)
		strbuf_addf(&text, "unread %s\n", in->unread[i]);
	sha256_buffer(text.buf, text.len, in->fingerprint);
	strbuf_release(&text);
}

/* "outputs": one line per file, which manifest_read_outputs reads back. */
static int write_outputs(FILE *fp, const struct manifest_inputs *in)
{
	fputs("  \"outputs\": [\n", fp);
	for (size_t i = 0; i < in->noutputs; i++) {
		char hex[65];
		int64_t size;

		if (sha256_file(in->output_paths[i], hex, &size) != 0)
			return -1;
		fputs("    {\"name\": ", fp);
		json_string(fp, in->output_names[i]);
		fprintf(fp, ", \"size\": %lld, \"sha256\": \"%s\"}%s\n", (long long)size, hex,
			i + 1 < in->noutputs ? "," : "");
	}
	fputs("  ],\n", fp);
	return 0;
}

/*
 * The index of path among n entries named by name_of(ctx, i), or n.  The
 * lists compared here are in the same sorted order, so the entry sought is
 * usually at index hint: look there first, then everywhere.
 */
static size_t find(size_t n, const char *(*name_of)(const void *, size_t), const void *ctx,
		   const char *path, size_t hint)
{
	const char *name;

	if (hint < n && (name = name_of(ctx, hint)) != NULL && strcmp(name, path) == 0)
		return hint;
	for (size_t i = 0; i < n; i++)
		if ((name = name_of(ctx, i)) != NULL && strcmp(name, path) == 0)
			return i;
	return n;
}

static const char *json_path(const void *ctx, size_t i)
{
	return json_get_string(&((const struct json_value *)ctx)->items[i], "path");
}

static const char *ingest_path(const void *ctx, size_t i)
{
	return ((const struct ingest_result *)ctx)->files[i].path;
}

static const char *listed_path(const void *ctx, size_t i)
{
	return ((const struct manifest_inputs *)ctx)->files[i].path;
}

/* The hash recorded for f (index hint) when its size and time are recorded too, else NULL. */
static const char *recorded_hash(const struct json_value *inputs, const struct manifest_file *f,
				 size_t hint)
{
	const struct json_value *e;
	const char *sha;
	size_t i;

	if (inputs == NULL || inputs->type != JSON_ARRAY)
		return NULL;
	i = find(inputs->n, json_path, inputs, f->path, hint);
	if (i == inputs->n)
		return NULL;
	e = &inputs->items[i];
	sha = json_get_string(e, "sha256");
	if (sha == NULL || strlen(sha) != 64 || json_get_int(e, "size", -1) != f->size ||
	    json_get_int(e, "mtime_ns", -1) != f->mtime_ns)
		return NULL;
	return sha;
}

bool manifest_matches(const char *path, struct manifest_inputs *in)
{
	struct json_value *doc = json_parse_file(path);
	const struct json_value *inputs = json_get(doc, "inputs");
	const char *want = json_get_string(doc, "fingerprint");
	bool same;

	if (want == NULL) {
		json_free(doc);
		return false;
	}
	for (size_t i = 0; i < in->nfiles; i++) {
		struct manifest_file *f = &in->files[i];
		const char *sha = f->found ? recorded_hash(inputs, f, i) : NULL;
		char *full;

		if (sha != NULL) {
			memcpy(f->sha256, sha, 65);
			continue;
		}
		/* size or time moved (touched, copied again): is the content new? */
		full = xasprintf("%s/%s", in->input_dir, f->path);
		if (!f->found || sha256_file(full, f->sha256, NULL) != 0)
			f->sha256[0] = '\0';
		free(full);
	}
	compute(in);
	same = strcmp(want, in->fingerprint) == 0;
	json_free(doc);
	return same;
}

int manifest_write(FILE *fp, struct manifest_inputs *in, const struct ingest_result *res)
{
	for (size_t i = 0; i < in->nfiles; i++) {
		size_t k = find(res->nfiles, ingest_path, res, in->files[i].path, i);

		snprintf(in->files[i].sha256, sizeof(in->files[i].sha256), "%s",
			 k < res->nfiles ? res->files[k].sha256 : "");
	}
	compute(in);
	fprintf(fp, "{\n  \"fingerprint\": \"%s\",\n  \"version\": \"%s\",\n", in->fingerprint,
		CIVREPORT_VERSION);
	fputs("  \"template\": {\"path\": ", fp);
	json_string(fp, in->template_path);
	fprintf(fp, ", \"sha256\": \"%s\"},\n  \"schema\": {\"path\": ", in->template_sha256);
	json_string(fp, in->schema_path);
	fprintf(fp, ", \"sha256\": \"%s\"},\n  \"settings\": ", in->schema_sha256);
	json_string(fp, in->settings);
	fputs(",\n", fp);
	if (write_outputs(fp, in) != 0)
		return -1;
	fputs("  \"inputs\": [\n", fp);
	for (size_t i = 0; i < res->nfiles; i++) {
		const struct ingest_file *f = &res->files[i];
		size_t k = find(in->nfiles, listed_path, in, f->path, i);
		const struct manifest_file *l = k < in->nfiles ? &in->files[k] : NULL;
		char *shown;

		fputs("    {\"path\": ", fp);
		/* shown masked (an ID in a name); --if-changed then hashes that file again */
		shown = ingest_shown_path(f->path);
		json_string(fp, shown);
		free(shown);
		if (f->sheet != NULL) { /* a workbook's worksheet: an entry of its own */
			fputs(", \"sheet\": ", fp);
			json_string(fp, f->sheet);
		}
		/* size and time as listed before the scan: see manifest.h */
		if (l != NULL && l->found)
			fprintf(fp, ", \"size\": %lld, \"mtime_ns\": %lld", (long long)l->size,
				(long long)l->mtime_ns);
		else
			fprintf(fp, ", \"size\": %lld", (long long)f->size);
		fprintf(fp, ", \"sha256\": \"%s\", \"rows\": %llu}%s\n", f->sha256,
			(unsigned long long)f->read, i + 1 < res->nfiles ? "," : "");
	}
	fputs("  ]", fp);
	/* files in the input folder not read although they look like data (ingest.h) */
	if (res->nunread > 0) {
		fputs(",\n  \"unread\": [", fp);
		for (size_t i = 0; i < res->nunread; i++) {
			fputs(i ? ", " : "", fp);
			json_string(fp, res->unread[i]);
		}
		fputs("]", fp);
	}
	if (in->mail != NULL) {
		fputs(",\n", fp);
		manifest_mail_write(fp, in->mail);
	}
	fputs("\n}\n", fp);
	return 0;
}

void manifest_inputs_release(struct manifest_inputs *in)
{
	for (size_t i = 0; i < in->nfiles; i++)
		free(in->files[i].path);
	free(in->files);
	in->files = NULL;
	in->nfiles = 0;
	for (size_t i = 0; i < in->nunread; i++)
		free(in->unread[i]);
	free(in->unread);
	in->unread = NULL;
	in->nunread = 0;
}

/* One component of a path: not empty, ".", "..", and without '/'. */
static bool plain_name(const char *s, size_t n)
{
	return n > 0 && memchr(s, '/', n) == NULL && !(n == 1 && s[0] == '.') &&
	       !(n == 2 && s[0] == '.' && s[1] == '.');
}

/*
 * A file of a set: a plain name ("annual-report-2021.pdf"), or one in a
 * folder of a --each report ("岳池县/annual-report-2021.pdf"), never deeper.
 */
static bool set_file_name(const char *name)
{
	const char *slash = strchr(name, '/');

	if (slash == NULL)
		return plain_name(name, strlen(name));
	return plain_name(name, (size_t)(slash - name)) && name[0] != '.' &&
	       plain_name(slash + 1, strlen(slash + 1));
}

/* Read with the JSON reader the mail state uses too: one parser of manifests. */
long manifest_read_outputs(const char *path, char ***names)
{
	struct json_value *doc = json_parse_file(path);
	const struct json_value *list = json_get(doc, "outputs");
	long n = 0;

	*names = NULL;
	if (list == NULL || list->type != JSON_ARRAY) {
		json_free(doc);
		return -1;
	}
	*names = xmalloc((list->n + 1) * sizeof(char *));
	for (size_t i = 0; i < list->n; i++) {
		const char *name = json_get_string(&list->items[i], "name");

		/* a name that is no file of the set is none of the report's (template.c) */
		if (name != NULL && set_file_name(name))
			(*names)[n++] = xstrdup(name);
	}
	json_free(doc);
	return n;
}
