/*
 * run.h - the state of one `civreport run`, shared by the files that make
 * it (private to src/cli): cmd_run.c (the pipeline, locks, the set),
 * run_render.c (one report's files), run_each.c (the reports of --each and
 * their mail) and run_notes.c (what a report's figures lack).  Each of them
 * calls only those after it in that list.
 */
#ifndef CIVREPORT_RUN_H
#define CIVREPORT_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "cli.h"
#include "config.h"
#include "deliver/manifest.h"
#include "deliver/manifest_mail.h"
#include "deliver/outfile.h"
#include "deliver/outset.h"
#include "deliver/runlock.h"
#include "engine/agg.h"
#include "ingest/ingest.h"
#include "template/template.h"

/*
 * One report of --each: the whole report's template again, restricted to
 * one value of the column (区县=岳池县), written into its own folder of
 * the set, output/<period>/<value>/.
 */
struct burst {
	char *value;      /* the column's value: the folder's name and {area} */
	char *where;      /* "区县=岳池县" */
	char **where_all; /* --where, then where */
	struct template *tmpl;
	struct doc *doc;
	char **texts;                            /* by agg handle, as st->texts */
	struct outfile pdf, xlsx, docx, metrics; /* docx: only when the template names one */
	bool has_rows; /* the data has rows of that value: only then a report */
	size_t *cover; /* per dataset: "<ds>.rows" in its area, or SIZE_MAX if unused */
	char **notes;  /* what its reader must know: a dataset with no rows, no base */
	size_t nnotes;
	const struct mail_route *route; /* [mail.each]: its recipients, or NULL */
	struct manifest_mail mail;      /* its mail, recorded in <value>/mail.json */
	struct outfile mailrec;
};

struct run_state {
	struct cli *cli;
	struct schema schema;
	struct template *tmpl;
	char *template_path;
	struct agg *agg;
	struct ingest_result res;
	struct doc *doc;
	char **texts; /* by agg handle: the text the report shows, for metrics.json */
	char *outdir;
	struct runlock lock; /* output/.<year>.lock, beside the set link (outset.h) */
	/* output/.civreport.lock: year = latest, until the year is known */
	struct runlock root_lock;
	struct outfile rejects, metrics, pdf, xlsx, docx, manifest;
	struct outfile dump; /* --dump-doc FILE, anywhere: committed after the set */
	bool locked, root_locked;
	struct manifest_mail mail; /* the report's mail, as the manifest records it */
	struct outset set;         /* output/<year>, and the new set's folder */
	char *scan_error;          /* why the scan failed, for failed/summary.txt */
	char *schema_path;
	char *settings;
	struct manifest_inputs inputs; /* what the manifest records, hashed once */
	struct timespec started;
	struct template_scope scope; /* the report's period and area */
	struct burst *bursts;        /* --each: one per value of the column */
	size_t nbursts;
	size_t *presence; /* --each: per dataset with the column, "<ds>.rows by <col>" */
	size_t npresence;
	size_t *cover; /* the whole report's, as burst.cover */
	char **notes;
	size_t nnotes;
	size_t empty; /* reports' datasets with no rows: --strict fails the run */
};

/* run_render.c */
/* A file name of the set: name, or dir/name for a --each report (dir NULL: the whole one). */
char *run_set_name(const char *dir, const char *name);
/* metrics.json of one report: the figures of its template only (--each shares the agg). */
int run_write_metrics(struct run_state *st, const struct template *t, const char *dir,
		      struct outfile *out, char **texts);
/* The document files of one report (a --each report's too, its outfiles in one). */
struct run_files {
	struct outfile *pdf, *xlsx, *docx; /* docx is left alone when the template names none */
};
/*
 * The PDF, the XLSX and (docx:) the DOCX of one report's doc, into the set
 * (dir: a --each report's folder).
 */
int run_render_files(struct run_state *st, const struct template *t, const char *dir,
		     const struct doc *doc, const struct run_files *out);

/* run_each.c */
/* The --each column: the first dataset's with it, or NULL. */
const struct column *run_each_column(const struct run_state *st);
/* The template once per value of the column, checked before any data is read. */
int run_load_bursts(struct run_state *st);
/* Before the scan: the figures that tell which values have rows. */
void run_register_presence(struct run_state *st);
/* After the scan: which values have rows (only those get a report). */
void run_mark_presence(struct run_state *st);
/* One --each report's doc and files. */
int run_render_burst(struct run_state *st, struct burst *b);
/* A --each report's mail record, <value>/mail.json, pending. */
int run_write_mail_record(struct run_state *st, struct burst *b);
/* Commit every --each report's files; 0, or -1 (said why). */
int run_commit_bursts(struct run_state *st);
/* Mail each --each report [mail.each] names (only_pending: those not sent yet). */
int run_mail_bursts(struct run_state *st, bool only_pending);
void run_bursts_release(struct run_state *st);

/* run_notes.c */
/* Before the scan: "<ds>.rows" in the report's area for every dataset t uses. */
size_t *run_register_cover(struct run_state *st, const struct template *t, char *const *where,
			   size_t nwhere);
/* After the scan: a used dataset without rows, a comparison without a base, noted. */
void run_check_cover(struct run_state *st, const struct template *t, const size_t *cover,
		     const char *area, char ***notes, size_t *nnotes);

#endif
