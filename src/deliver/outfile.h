/*
 * outfile.h - atomic output files: write to a temporary file in the same
 * folder, fsync, rename into place, fsync the folder.
 *
 * A reader (a person, the mailer) sees either the previous complete file or
 * the new complete file, never a half-written one, whatever happens to the
 * run (error, SIGTERM, SIGKILL, disk full).  Temporary names start with
 * ".civreport-tmp-" so the next run can remove what a killed run left.
 */
#ifndef CIVREPORT_OUTFILE_H
#define CIVREPORT_OUTFILE_H

#include <signal.h>
#include <stdio.h>
#include <sys/types.h>

struct outfile {
	char *path;     /* final path */
	char *tmp_path; /* where to write until commit */
	mode_t mode;    /* permissions of the final file, e.g. 0640 */
	FILE *fp;       /* open on tmp_path when opened with outfile_open_stream */
};

/*
 * Reserve a temporary path for path in the same folder (created, empty; it
 * stays 0600 while being written and gets mode at commit).  Renderers that
 * write by file name (cairo, libxlsxwriter) write to out->tmp_path; others
 * use outfile_open_stream.  Returns 0, or -1 with errno.
 */
int outfile_begin(struct outfile *out, const char *path, mode_t mode);

/* Like outfile_begin, and open out->fp for writing on the temporary file. */
int outfile_open_stream(struct outfile *out, const char *path, mode_t mode);

/*
 * Flush and fsync the temporary file, set its mode, rename it over path and
 * fsync the folder.  On failure the temporary file is removed and the old
 * file at path is left as it was.  Frees out's contents either way.
 * Returns 0, or -1 with errno.  (One exception: when only the folder's fsync
 * fails, e.g. EIO, the new file is already in place; -1 says it may not
 * survive a power cut.)
 */
int outfile_commit(struct outfile *out);

/*
 * Commit several outfiles of one folder as a set: first every file is
 * flushed, fsynced and given its mode (any failure aborts them all, and no
 * old file is touched), then all are renamed in the given order and the
 * folder fsynced once.  Frees their contents.  Returns 0, or -1 with errno.
 */
int outfile_commit_all(struct outfile *const *outs, size_t n);

/* Remove the temporary file and free out's contents. */
void outfile_abort(struct outfile *out);

/*
 * Remove temporary files left in dir by killed runs.  Call only while holding
 * the folder's run lock (runlock.h).  Returns how many were removed, or -1
 * with errno when dir cannot be read.  This process's own open outfiles are
 * left alone.
 */
int outfile_remove_stale(const char *dir);

/* Abort every outfile still open: called from the SIGTERM/SIGINT handler
 * path and at exit, so an interrupted run leaves no temporary files.  It
 * only removes the temporary files (the structs may be gone by then); an
 * outfile_commit afterwards fails with ENOENT, an outfile_abort is harmless. */
void outfile_abort_all(void);

/*
 * Call once at start-up.  Registers outfile_abort_all with atexit, and for
 * SIGTERM, SIGINT and SIGHUP, where their action is still the default,
 * installs a handler that unlinks the temporary files and then dies of the
 * same signal.  A signal that is ignored (nohup) or already has a handler of
 * the caller's stays as it is: such a handler should end in exit(), or call
 * outfile_cleanup_signal_safe() itself.
 */
void outfile_install_cleanup(void);

/* The unlink loop of outfile_abort_all, async-signal-safe: for a caller's
 * own signal handler. */
void outfile_cleanup_signal_safe(void);

/*
 * A private folder that holds only files of this run (outset.h's staging
 * folder): the cleanup above (signal, exit) empties and removes it, after
 * the temporary files.  Unregister it, with the termination signals blocked
 * (outfile_block_signals), in the same breath as it stops being private.
 * Returns 0, or -1 with errno.
 */
int outfile_stage_register(const char *dir);
void outfile_stage_unregister(const char *dir);

/* Block (and restore) SIGTERM, SIGINT and SIGHUP: around a step that must
 * not be split by the cleanup handler. */
void outfile_block_signals(sigset_t *old);
void outfile_restore_signals(const sigset_t *old);

/* rename(2), or a failure on demand of the tests (util/testhook.h "rename"). */
int outfile_rename(const char *from, const char *to);

#endif
