/*
 * text.h - UTF-8 helpers: validation, width folding for matching headers and
 * enum values, display width for aligned terminal tables, PII masking.
 *
 * Chinese spreadsheets mix full-width and half-width forms freely
 * (（元） and (元), ＡＢ and AB, the ideographic space); matching folds them so
 * officers never see "unknown column" for a bracket's width.
 */
#ifndef CIVREPORT_TEXT_H
#define CIVREPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Length of the longest valid UTF-8 prefix of s[0..len); equals len when all
 * of it is valid.
 */
size_t utf8_valid_prefix(const char *s, size_t len);

/*
 * The character at the start of s[0..len): its byte length and *cp, or 0
 * when s does not start with a valid UTF-8 sequence (or len is 0).
 */
size_t utf8_decode_char(const char *s, size_t len, uint32_t *cp);

/*
 * Fold s[0..len) for matching into dst (cap bytes, NUL-terminated): a leading
 * BOM dropped, full-width ASCII forms (U+FF01..U+FF5E) to ASCII, the
 * ideographic space to a space, ASCII letters to lower case, and every space
 * or tab removed.  Returns the folded length (truncated to cap - 1).
 */
size_t text_fold(char *dst, size_t cap, const char *s, size_t len);

/* Display width on a terminal: 2 for CJK and full-width characters, else 1. */
size_t utf8_display_width(const char *s);

/* The first UTF-8 character of s and its byte length (0 for an empty string). */
size_t utf8_char_len(const char *s);

/*
 * Mask personal data for outputs:
 *   id:   first 6 and last 4 characters kept, the rest '*' (511602********123X)
 *   name: first character kept, the rest one '*' each (张*, 欧阳**)
 * Writes a NUL-terminated string into dst; returns its length.
 */
size_t mask_id(char *dst, size_t cap, const char *s, size_t len);
size_t mask_name(char *dst, size_t cap, const char *s, size_t len);

/*
 * snprintf may cut text in the middle of a character: drop a trailing
 * incomplete UTF-8 sequence so that a message stays valid text.
 */
void utf8_trim_tail(char *s);

/* Levenshtein distance over UTF-8 characters, for "did you mean" hints. */
size_t utf8_distance(const char *a, const char *b);

#endif
