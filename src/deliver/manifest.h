/*
 * manifest.h - output/<year>/manifest.json: what a report was made from
 * (each input file's path, size, modification time and SHA-256; the
 * template's and schema's hashes; the settings that change figures;
 * civreport's version), and a fingerprint over all of it.
 *
 * `run --if-changed` recomputes the fingerprint from the file system alone
 * (sizes and nanosecond modification times, as make and git do: no file is
 * read) and skips the run when it equals the recorded one and every output
 * is still there.
 */
#ifndef CIVREPORT_MANIFEST_H
#define CIVREPORT_MANIFEST_H

#include <stdbool.h>
#include <stdio.h>

#include "ingest/ingest.h"

struct manifest_inputs {
	const char *input_dir;
	const char *template_path;
	const char *schema_path;
	const char *settings; /* "year=2021;encoding=auto;max_reject_rate=0.05" */
	/* filled by manifest_fingerprint, read by manifest_write */
	char template_sha256[65];
	char schema_sha256[65];
	char fingerprint[65];
};

/*
 * Fill in->fingerprint (and the template's and schema's hashes) from the
 * current inputs.  Returns 0, or -1 with errno when the input folder,
 * template or schema can't be read.
 */
int manifest_fingerprint(struct manifest_inputs *in);

/* Whether path records exactly this fingerprint. */
bool manifest_matches(const char *path, const char hex[65]);

/* Write the manifest of a finished run (in as filled by manifest_fingerprint). */
void manifest_write(FILE *fp, const struct manifest_inputs *in, const struct ingest_result *res);

#endif
