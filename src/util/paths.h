/*
 * paths.h - where civreport finds its own files (schema, default template).
 *
 * Looked up in order: $CIVREPORT_DATADIR, ./templates (a source checkout),
 * the folder next to the binary's ../share/civreport, and the compiled-in
 * install folder (PREFIX/share/civreport), so an installed binary works from
 * any directory without the source tree.
 */
#ifndef CIVREPORT_PATHS_H
#define CIVREPORT_PATHS_H

/* The full path of data file name (e.g. "schema.ini"), malloc'd; NULL when not found. */
char *data_path(const char *name);

/* Create dir and its parents (mode 0750); returns 0 or -1 with errno. */
int make_dirs(const char *dir);

#endif
