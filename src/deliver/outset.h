/*
 * outset.h - a report's output set, switched all at once.
 *
 * The period folder that officers, the mailer and `civreport mail` read,
 * output/2021, is a symbolic link to a hidden set folder beside it,
 * output/.2021.set-XXXXXX, which holds one complete set of outputs (the
 * PDF, the XLSX, metrics.json, rejects.csv and manifest.json).
 *
 * Why a link: a set is several files, and no sequence of per-file renames
 * is all-or-nothing (a rename that fails or is killed half-way leaves some
 * files new and some old, and the roll-back can fail as well).  A run writes
 * its whole new set into a fresh set folder of its own (mkdtemp, 0700 while
 * being written, so no other user can plant a file or a symlink in it),
 * fsyncs it, and replaces the link with one rename(2) of a new link over
 * it.  That rename is the commit: before it every reader sees the complete
 * previous set, after it the complete new one; a failure, a SIGKILL or a
 * power cut at any other moment leaves the link where it was, and the next
 * run clears what the failed one left.  (The other design, a journal with
 * the manifest renamed last as the commit record, roll-back of the renames
 * done so far and recovery at the next run, shows a mixed set from a kill
 * until that next run, and its roll-back is itself a series of renames.)
 *
 * outset_commit, step by step, and what a failure at each step leaves:
 *  1. Files of the operator's (anything in the current set folder that is
 *     not civreport's: not named by its manifest's "outputs", not a fixed
 *     name, not failed/) are hard-linked into the new folder; a directory,
 *     or a file that cannot be linked, is moved after step 3.
 *  2. The new folder gets the current folder's mode and is fsynced.
 *  3. A link ".2021.set-XXXXXX.link" is made and renamed over output/2021
 *     (a real folder left by an older civreport is exchanged with it by
 *     renameat2 RENAME_EXCHANGE; where the file system lacks that, it is
 *     moved aside first, so for an instant output/2021 is absent, never
 *     mixed); the output folder is fsynced.
 *     A failure in 1-3: the new folder is removed, the previous set is as
 *     it was, outset_commit returns -1 (exit 3).
 *  4. The previous set folder is retired: what the operator had there is
 *     moved into the new folder, the previous set's own files (its
 *     manifest's "outputs", the fixed names, failed/) are removed, and the
 *     folder.  A failure here is only logged: the new set is complete.  A
 *     retired folder that still holds something no manifest names (a
 *     name clash) is kept and named in the log, never deleted.
 * So the files of an older set (another template's PDF name) disappear with
 * its folder, and no file that no manifest names is ever deleted.
 *
 * A failed run (bad data, exit 1) keeps its rejects where the operator is
 * told to look: output/2021/failed/rejects.csv and failed/summary.txt (the
 * run's time, exit code and reason), inside the current set folder; the
 * set's files are untouched.  The next successful run retires that folder
 * with its failed/: its rejects are of data since replaced.
 *
 * The run lock (runlock.h) is output/.2021.lock, beside the link: a lock
 * inside the set folder would move with every commit.  Every function but
 * outset_init and outset_release must be called with it held.
 */
#ifndef CIVREPORT_OUTSET_H
#define CIVREPORT_OUTSET_H

#include <stdbool.h>
#include <sys/types.h>

struct outset {
	char *parent;   /* the output folder, e.g. "output" */
	char *period;   /* "2021" */
	char *path;     /* parent/period: the link the operator sees */
	char *lockname; /* ".2021.lock", in parent */
	char *current;  /* the current set's folder, or NULL (none yet) */
	bool legacy;    /* current is path itself, a real folder */
	char *stage;    /* the new set's folder while it is written, else NULL */
	mode_t mode;    /* the set folder's mode */
};

/* Fill in the names; nothing is touched on disk. */
void outset_init(struct outset *s, const char *parent, const char *period);

/*
 * Find the current set, and clear what killed or failed runs left: other
 * set folders (retired as in step 4), stray links, temporary files in the
 * current folder.  Returns 0, or -1 with errno (logged) when path is
 * something civreport did not make (a file, a link to elsewhere) or the
 * output folder cannot be read.
 */
int outset_recover(struct outset *s);

/* A new, empty, private set folder: s->stage.  Returns 0, or -1 with errno. */
int outset_begin(struct outset *s);

/* The path of name in the new set folder (malloc'd). */
char *outset_stage_file(const struct outset *s, const char *name);

/*
 * Switch to the new set (every file of it already complete in s->stage).
 * Returns 0 when the link names the new set (a problem afterwards is only
 * logged), or -1 with errno when the previous set is still the current one,
 * untouched (the new folder is removed).
 */
int outset_commit(struct outset *s);

/*
 * A failed run: move stage's file rejects (a name in s->stage) to
 * path/failed/rejects.csv, with summary as path/failed/summary.txt,
 * replacing the failed/ of an earlier failed run as a whole.  The set's
 * own files are not touched.  Returns 0, or -1 with errno.
 */
int outset_keep_failed(struct outset *s, const char *rejects, const char *summary);

/* Remove the new set folder, if any. */
void outset_abort(struct outset *s);

/* outset_abort, and free s's contents. */
void outset_release(struct outset *s);

#endif
