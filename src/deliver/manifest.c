/*
 * manifest.c - the record of a run's inputs, and the --if-changed test; see
 * manifest.h.
 */
#include <errno.h>
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

void manifest_write(FILE *fp, const struct manifest_inputs *in, const struct ingest_result *res)
{
	fprintf(fp, "{\n  \"fingerprint\": \"%s\",\n  \"version\": \"%s\",\n", in->fingerprint,
		CIVREPORT_VERSION);
	fputs("  \"template\": {\"path\": ", fp);
	json_string(fp, in->template_path);
	fprintf(fp, ", \"sha256\": \"%s\"},\n  \"schema\": {\"path\": ", in->template_sha256);
	json_string(fp, in->schema_path);
	fprintf(fp, ", \"sha256\": \"%s\"},\n  \"settings\": ", in->schema_sha256);
	json_string(fp, in->settings);
	fputs(",\n  \"inputs\": [\n", fp);
	for (size_t i = 0; i < res->nfiles; i++) {
		const struct ingest_file *f = &res->files[i];

		fputs("    {\"path\": ", fp);
		json_string(fp, f->path);
		fprintf(fp, ", \"size\": %lld, \"sha256\": \"%s\", \"rows\": %llu}%s\n",
			(long long)f->size, f->sha256, (unsigned long long)f->read,
			i + 1 < res->nfiles ? "," : "");
	}
	fputs("  ]\n}\n", fp);
}
