/*
 * escape.h - text that came from input files (data values, file names),
 * made safe to show on a terminal or in a log line.
 *
 * Input may hold anything: ESC sequences that recolour the terminal, move
 * the cursor or set its title, other C0 and C1 controls, a newline that
 * forges a second log line, bidirectional overrides (U+202E) that make text
 * read backwards, bytes that are not UTF-8.  Each of them is written as a
 * visible escape, so the reader sees that it is there and what it is:
 *
 *	ESC, other C0 controls, DEL, a byte that is not UTF-8	\x1b
 *	C1 controls, bidi controls, U+2028, U+2029		\u202e
 *
 * Everything else (Chinese, emoji, punctuation) is copied unchanged, and
 * the escapes are ASCII, so display widths stay right.  A backslash is
 * left alone: the escapes only need to be visible, not reversible.
 *
 *	struct strbuf sb = STRBUF_INIT;
 *
 *	escape_terminal(&sb, key, strlen(key));
 *	printf("  %s\n", sb.buf ? sb.buf : "");
 *	strbuf_release(&sb);
 */
#ifndef CIVREPORT_ESCAPE_H
#define CIVREPORT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Whether the character cp must be escaped (a control or bidi character). */
bool escape_char_unsafe(uint32_t cp);

/* Append s[0..len) to out, escaped as above. */
void escape_terminal(struct strbuf *out, const char *s, size_t len);

/* s escaped, as a string the caller owns (free(3) it). */
char *escape_terminal_dup(const char *s);

#endif
