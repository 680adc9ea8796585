/*
 * ini.h - a small INI reader for civreport's own files (schema.ini, the
 * configuration): "[section]" headers, "key = value" lines, ";" or "#"
 * comments, UTF-8 throughout.
 *
 * It only splits lines: what the keys mean is the caller's business.
 */
#ifndef CIVREPORT_INI_H
#define CIVREPORT_INI_H

#include <stddef.h>

/*
 * Called for every "key = value" line, with the current section ("" before
 * any) and the 1-based line number.  Strings are trimmed and valid only
 * during the call.  Return 0 to go on, non-zero to stop (ini_parse returns it).
 */
typedef int (*ini_handler)(void *ctx, const char *section, const char *key, const char *value,
			   int line);

/*
 * Parse the file at path.  Returns 0, the handler's non-zero value, or -1
 * when the file can't be read (errno set) or a line is malformed (*bad_line
 * set to its number).
 */
int ini_parse_file(const char *path, ini_handler handler, void *ctx, int *bad_line);

/* The same over a NUL-terminated buffer. */
int ini_parse_string(const char *text, ini_handler handler, void *ctx, int *bad_line);

/*
 * Split a comma-separated list (ASCII "," or full-width "，"), trimming each
 * item; empty items are dropped.  Returns the count; *items is malloc'd, each
 * item too; free with ini_free_list().
 */
size_t ini_split_list(const char *value, char ***items);
void ini_free_list(char **items, size_t n);

#endif
