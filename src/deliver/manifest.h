/*
 * manifest.h - output/<year>/manifest.json: what a report was made from
 * (each input file's path, size, modification time and SHA-256; the files
 * not read although they look like data, "unread", when there are any; the
 * template's and schema's hashes; the settings that change figures;
 * civreport's version), a fingerprint over all of it, and the state of the
 * report's mail (manifest_mail.c).
 *
 * The fingerprint is over content: the input files' SHA-256, not their
 * sizes and times, so a file touched or copied again unchanged leaves the
 * report up to date.  `run --if-changed` recomputes it without reading a
 * file whose size and nanosecond modification time are still those the
 * manifest records (the hash recorded with them is reused, as git's index
 * does); only a file whose size or time moved is read and hashed.
 *
 * It also lists the report's files, "outputs": every file of the set but
 * manifest.json itself, each with its size and SHA-256.  A new set's commit
 * (outset.h) removes exactly the files the previous manifest lists that
 * the new set has not, and never a file no manifest names.
 */
#ifndef CIVREPORT_MANIFEST_H
#define CIVREPORT_MANIFEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ingest/ingest.h"

struct manifest_mail;

/* One input file as listed before the scan. */
struct manifest_file {
	char *path;       /* relative to the input folder */
	bool found;       /* stat succeeded */
	int64_t size;     /* from stat */
	int64_t mtime_ns; /* modification time, ns since the epoch */
	char sha256[65];  /* its content's hash, "" until known */
};

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
	struct manifest_file *files; /* the input files, sorted as ingest reads them */
	size_t nfiles;
	char **unread; /* the files ingest lists but does not read (ingest.h) */
	size_t nunread;
	/* set by the caller: the mail section manifest_write records, or NULL */
	const struct manifest_mail *mail;
};

/*
 * Hash the template and the schema and list and stat the input files into
 * in (no input file is read).  Returns 0, or -1 with errno when the input
 * folder, template or schema can't be read.  Free with manifest_inputs_release.
 */
int manifest_fingerprint(struct manifest_inputs *in);

/*
 * Whether the manifest at path was made from exactly these inputs (listed by
 * manifest_fingerprint): its fingerprint equals the one over the inputs'
 * content now.  A file whose size and modification time are those recorded
 * at path is taken to have the recorded hash; any other is read and hashed.
 * Fills in->fingerprint.
 */
bool manifest_matches(const char *path, struct manifest_inputs *in);

/*
 * Write the manifest of a finished run: the fingerprint over the hashes
 * ingest computed while reading (res), each input's recorded size and time
 * those of manifest_fingerprint's listing, before the scan (so a file
 * changed during the run is hashed again next time), the outputs listed in
 * in (each read for its hash) and in->mail.  Returns 0, or -1 with errno
 * when an output cannot be read for its hash.
 */
int manifest_write(FILE *fp, struct manifest_inputs *in, const struct ingest_result *res);

void manifest_inputs_release(struct manifest_inputs *in);

/*
 * The names the "outputs" list of the manifest at path records: *names is
 * malloc'd, each name too.  Returns their count, or -1 when there is no
 * manifest or it has no list (one written before civreport listed its
 * files): then the caller knows of no file but its fixed names.
 */
long manifest_read_outputs(const char *path, char ***names);

#endif
