/*
 * testhook.h - test-only pause points, so that an end-to-end test can act on
 * a run at an exact moment (SIGKILL it mid-scan, cut an input file while it
 * is being read, start a second run while the first holds the lock) instead
 * of guessing the moment with sleeps, which a loaded machine gets wrong.
 *
 * It does nothing unless the environment names a point:
 *
 *	CIVREPORT_TEST_PAUSE=<point>	the point to act at; only the first time
 *					a run reaches it counts
 *	CIVREPORT_TEST_FIFO=<path>	a FIFO (mkfifo) the test reads
 *
 * At that point the program writes "civreport: test hook: <point> (PID n)"
 * on stderr (a marker: a test can check that a point was, or was never,
 * reached).  With CIVREPORT_TEST_FIFO it then pauses: it writes the line
 * "<point> <pid>" into the FIFO (waiting for the test to open it for
 * reading) and waits until the test has closed its reading end.  The test
 * reads the line, acts (a signal, a changed input, another run), and lets
 * the run go on by closing the FIFO; a signal it sends meanwhile is handled
 * as anywhere else.  A FIFO that cannot be opened is a broken test: abort().
 *
 * The points, one call each:
 *	"locked"	cli/cmd_run.c open_outputs: the run holds the output
 *			folder's lock, stale temporary files are gone, the
 *			temporary rejects.csv is open
 *	"lock-wait"	deliver/runlock.c sleep_ms: --wait found the folder
 *			locked and is about to wait for it
 *	"scan"		ingest/ingest.c admit_in_order: the first chunk of the
 *			first readable file went to the parsers (a file bigger
 *			than a chunk, 1 MiB, is still open, partly read)
 *	"render-pdf"	render/pdf/pdf.c pdf_render, "render-xlsx" in
 *			render/xlsx/xlsx.c xlsx_render and "render-docx" in
 *			render/docx/docx.c docx_render: the renderer starts; in
 *			a run its temporary output file exists
 *	"commit"	cli/cmd_run.c commit: every temporary file is written,
 *			nothing renamed yet
 *	"swap"		deliver/outset.c outset_commit: the new set is complete
 *			and on disk in its own folder; the period folder's link
 *			still names the previous set
 *	"swapped"	deliver/outset.c outset_commit: the link names the new
 *			set; the previous set's folder is not cleared yet
 *
 * Failures on demand, for the steps that a test cannot make fail from
 * outside (a rename in the middle of a commit):
 *
 *	CIVREPORT_TEST_FAIL=<op>:<k>	the k-th call (from 1) of the file
 *					operation op fails with EIO
 *
 * op is one that calls testhook_fail (today "rename", "link" and
 * "symlink", in deliver/ and wherever a run renames or links a file).  The
 * failing call writes "civreport: test hook: fail <op> #<k> (PID n)" on
 * stderr, so a test can walk k = 1, 2, ... until a run no longer reaches
 * the k-th call.
 *
 * Cost when the variables are unset: one getenv() per call; the calls sit
 * where that is nothing (once per run, per 1 MiB chunk, per lock poll, per
 * output file).
 */
#ifndef CIVREPORT_TESTHOOK_H
#define CIVREPORT_TESTHOOK_H

#include <stdbool.h>

/* The run reached point name: mark it, and pause when a test asked for it. */
void testhook_point(const char *name);

/*
 * About to do file operation op (e.g. "rename"): true when the test asked
 * this call to fail; the caller then skips it and fails with errno = EIO
 * (set here).  False, and errno untouched, otherwise.
 */
bool testhook_fail(const char *op);

#endif
