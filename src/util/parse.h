/*
 * parse.h - strict parsers for the typed values of settings (as git's
 * git_parse_* helpers): the command line and the configuration file both
 * read their values through these, so they accept exactly the same text.
 *
 * Every parser reads the whole NUL-terminated string (nothing may follow
 * the value, an empty string is never a value), does no allocation, and
 * depends on no locale.  Each returns 0 and stores the value, or -1 and
 * leaves *out as it was.
 */
#ifndef CIVREPORT_PARSE_H
#define CIVREPORT_PARSE_H

#include <stdbool.h>

/*
 * A boolean: yes, true, on, 1, 是 for true; no, false, off, 0, 否 for false;
 * ASCII letters in any case ("Yes", "OFF").  Anything else is refused: a
 * misspelt "ture" is an error, never a silent false.
 */
int parse_bool(const char *s, bool *out);

/* The accepted spellings, for messages: "yes 或 no(也可写 true/false ...)". */
extern const char parse_bool_spellings[];

/*
 * A decimal integer in [min, max]: "64", "-1", "+3" (leading blanks are
 * skipped, as strtol does; trailing ones are not).
 */
int parse_long(const char *s, long min, long max, long *out);

/* A decimal number in [min, max] ("0.05", "1", "1e-3"), as strtod reads it; never NaN. */
int parse_double(const char *s, double min, double max, double *out);

/* Octal digits only ("0640", "640") with a value in [0, max]. */
int parse_octal(const char *s, long max, long *out);

#endif
