/*
 * manifest.h - output/<year>/manifest.json: what a report was made from
 * (each input file's path, size, modification time and SHA-256; the
 * template's and schema's hashes; the settings that change figures;
 * civreport's version), and a fingerprint over all of it.
 *
 * It also lists the report's files, "outputs": every file of the set but
 * manifest.json itself, each with its size and SHA-256.  A new set's commit
 * (outset.h) removes exactly the files the previous manifest lists that
 * the new set has not, and never a file no manifest names.
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
	/*
	 * The report's files, for "outputs": their names in the set, and where
	 * they are now (the staging folder's copies, hashed for the list).
	 */
	const char *const *output_names;
	const char *const *output_paths;
	size_t noutputs;
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

/*
 * Write the manifest of a finished run (in as filled by manifest_fingerprint).
 * Returns 0, or -1 with errno when an output cannot be read for its hash.
 */
int manifest_write(FILE *fp, const struct manifest_inputs *in, const struct ingest_result *res);

/*
 * The names the "outputs" list of the manifest at path records: *names is
 * malloc'd, each name too.  Returns their count, or -1 when there is no
 * manifest or it has no list (one written before civreport listed its
 * files): then the caller knows of no file but its fixed names.
 */
long manifest_read_outputs(const char *path, char ***names);

#endif
