/*
 * lint_punct.h - half-width punctuation in a template, for `civreport lint`
 * (warnings on stderr as path:line:col: 警告: …) and `lint --fix` (the file
 * rewritten in place, atomically, keeping its mode; what changed on stdout).
 */
#ifndef CIVREPORT_LINT_PUNCT_H
#define CIVREPORT_LINT_PUNCT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Check (or with fix, repair) the template at path; *nfound is the number
 * of half-width marks found.  Returns 0, EXIT_USAGE (fix on a symlink) or
 * EXIT_IO (the fixed file could not be written; the template is unchanged).
 * A file that cannot be read is left to template_load's diagnostics: 0.
 */
int lint_punct(const char *path, bool fix, bool quiet, size_t *nfound);

#endif
