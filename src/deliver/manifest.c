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
#include "manifest.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/version.h"
#include "util/xalloc.h"

int manifest_fingerprint(struct manifest_inputs *in)
{
	char **paths, *tsha = in->template_sha256, *ssha = in->schema_sha256;
	struct strbuf text = STRBUF_INIT;
	long n = ingest_list_files(in->input_dir, &paths);

	if (n < 0)
		return -1;
	if (sha256_file(in->template_path, tsha, NULL) != 0 ||
	    sha256_file(in->schema_path, ssha, NULL) != 0) {
		for (long i = 0; i < n; i++)
			free(paths[i]);
		free(paths);
		return -1;
	}
	strbuf_addf(&text, "civreport %s\ntemplate %s\nschema %s\nsettings %s\n", CIVREPORT_VERSION,
		    tsha, ssha, in->settings);
	for (long i = 0; i < n; i++) {
		char *full = xasprintf("%s/%s", in->input_dir, paths[i]);
		struct stat st;

		if (stat(full, &st) == 0)
			strbuf_addf(&text, "file %s %lld %lld.%09ld\n", paths[i],
				    (long long)st.st_size, (long long)st.st_mtim.tv_sec,
				    st.st_mtim.tv_nsec);
		else
			strbuf_addf(&text, "file %s missing\n", paths[i]);
		free(full);
		free(paths[i]);
	}
	free(paths);
	sha256_buffer(text.buf, text.len, in->fingerprint);
	strbuf_release(&text);
	return 0;
}

bool manifest_matches(const char *path, const char hex[65])
{
	FILE *fp = fopen(path, "r");
	char line[256], want[128];
	bool found = false;

	if (fp == NULL)
		return false;
	snprintf(want, sizeof(want), "\"fingerprint\": \"%s\"", hex);
	while (!found && fgets(line, sizeof(line), fp) != NULL)
		found = strstr(line, want) != NULL;
	fclose(fp);
	return found;
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

int manifest_write(FILE *fp, const struct manifest_inputs *in, const struct ingest_result *res)
{
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

		fputs("    {\"path\": ", fp);
		json_string(fp, f->path);
		fprintf(fp, ", \"size\": %lld, \"sha256\": \"%s\", \"rows\": %llu}%s\n",
			(long long)f->size, f->sha256, (unsigned long long)f->read,
			i + 1 < res->nfiles ? "," : "");
	}
	fputs("  ]\n}\n", fp);
	return 0;
}

/*
 * A JSON string literal at s (just after its opening quote) as json_string
 * writes it; NULL when it is anything else (then the name is not known).
 */
static char *json_unquote(const char *s)
{
	struct strbuf b = STRBUF_INIT;

	for (; *s && *s != '"'; s++) {
		if (*s != '\\') {
			strbuf_addch(&b, *s);
			continue;
		}
		s++;
		if (*s == '"' || *s == '\\' || *s == '/') {
			strbuf_addch(&b, *s);
		} else {
			/* control characters are no file name of a report (template.c) */
			strbuf_release(&b);
			return NULL;
		}
	}
	if (*s != '"') {
		strbuf_release(&b);
		return NULL;
	}
	return strbuf_detach(&b, NULL);
}

long manifest_read_outputs(const char *path, char ***names)
{
	static const char item[] = "    {\"name\": \"";
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	bool in_list = false, found = false;
	long n = 0;

	*names = NULL;
	if (fp == NULL)
		return -1;
	while ((len = getline(&line, &cap, fp)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (strcmp(line, "  \"outputs\": [") == 0) {
			in_list = found = true;
		} else if (in_list && strncmp(line, item, sizeof(item) - 1) == 0) {
			char *name = json_unquote(line + sizeof(item) - 1);

			if (name != NULL) {
				*names = xrealloc(*names, (size_t)(n + 1) * sizeof(char *));
				(*names)[n++] = name;
			}
		} else {
			in_list = false;
		}
	}
	free(line);
	fclose(fp);
	if (!found) {
		free(*names);
		*names = NULL;
		return -1;
	}
	return n;
}
