/*
 * exitcode.h - the exit codes of civreport, one meaning each.
 *
 * Cron and scripts act on these, so they never change meaning; they are
 * documented in --help, the README and civreport(1).
 */
#ifndef CIVREPORT_EXITCODE_H
#define CIVREPORT_EXITCODE_H

enum exit_code {
	EXIT_OK = 0,     /* report written (or up to date) */
	EXIT_DATA = 1,   /* data problems: rejects over the threshold, a file unreadable as CSV */
	EXIT_USAGE = 2,  /* bad command line, configuration or template */
	EXIT_IO = 3,     /* I/O or system error: missing folder, disk full, out of memory */
	EXIT_LOCKED = 4, /* another run holds the output folder's lock */
	EXIT_MAIL = 5,   /* outputs written, but the mail could not be delivered */
};

#endif
