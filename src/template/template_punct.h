/*
 * template_punct.h - half-width punctuation in a template's Chinese prose
 * (GB/T 15834: ，；：（）！？ in Chinese text), found and rewritten for
 * `civreport lint` and `civreport lint --fix`.
 *
 * A mark , ; : ( ) ! ? is a hit when it stands in prose and a Chinese
 * character (Han, CJK symbols such as 。、《》, full-width forms) is next to
 * it on either side, spaces between allowed.  Of a pair of parentheses on
 * one line, both are hits when one is.  Never a hit (left as written):
 *   - the front matter's keys, comment lines and the values of keys that
 *     are not prose (keywords, file names, fonts, unknown keys); prose
 *     values are title, organisation, author, subject, date, area,
 *     mail_subject, mail_body (and their Chinese aliases);
 *   - {{ }} expressions, `inline code`, fenced blocks (```chart and ```table
 *     are the metric language), indented code, HTML comments and tags;
 *   - URLs, link destinations ](…), image marks ![, backslash escapes,
 *     and a mark between two digits (1,234  10:30);
 *   - a line of English (more ASCII letters than Chinese characters in
 *     its prose): "同比, the same months" is English with a Chinese word.
 *
 * Pure text: the scanner reads bytes, never the file, and never fails.
 * Invalid UTF-8 is tolerated: its bytes are never Chinese, never rewritten,
 * and count one column each.
 *
 *	struct punct_hit *hits;
 *	size_t n = punct_scan(src, len, &hits);
 *	for (size_t i = 0; i < n; i++)
 *		printf("%d:%d: %s\n", hits[i].line, hits[i].column, punct_name(hits[i].mark));
 *	char *fixed = punct_fix(src, len, hits, n, &fixedlen);
 *	free(hits); free(fixed);
 */
#ifndef CIVREPORT_TEMPLATE_PUNCT_H
#define CIVREPORT_TEMPLATE_PUNCT_H

#include <stddef.h>

struct punct_hit {
	size_t offset; /* byte offset of the half-width mark in the text */
	int line;      /* 1-based line */
	int column;    /* 1-based column, in characters */
	char mark;     /* one of , ; : ( ) ! ? */
};

/*
 * Find every hit in src[0..len) (NUL bytes allowed), in text order.  Returns
 * their count and *hits (malloc'd, free with free(); NULL when none).
 */
size_t punct_scan(const char *src, size_t len, struct punct_hit **hits);

/*
 * src[0..len) with each hit's mark replaced by its full-width form, and the
 * spaces between that mark and the text beside it on the same line removed
 * (never spaces at a line's start or end: indentation and hard breaks stay).
 * hits must come from punct_scan of the same text.  Returns a malloc'd,
 * NUL-terminated buffer and its length in *outlen.  Scanning the result
 * finds nothing.
 */
char *punct_fix(const char *src, size_t len, const struct punct_hit *hits, size_t nhits,
		size_t *outlen);

/* The full-width form of mark ("，" for ','), or NULL when it is none of ours. */
const char *punct_full(char mark);

/* The mark's Chinese name ("逗号" for ','), or NULL when it is none of ours. */
const char *punct_name(char mark);

#endif
