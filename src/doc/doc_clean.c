/*
 * doc_clean.c - data text made fit for a document; see doc_clean.h.
 *
 * Never: change text a renderer can draw (the normal report's outputs stay
 * byte for byte the same), or decide about template text (lint does).
 */
#include <stdio.h>
#include <string.h>

#include "doc_clean.h"
#include "util/glyphs.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* The code point of the valid UTF-8 character at s, n bytes long. */
static unsigned decode(const unsigned char *s, size_t n)
{
	static const unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	unsigned cp = s[0] & lead_mask[n];

	for (size_t i = 1; i < n; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

/* Bytes of the valid UTF-8 character at s (at most len), or 0 if none is. */
static size_t char_len(const char *s, size_t len)
{
	size_t n = utf8_char_len(s);

	if (n == 0 || n > len || utf8_valid_prefix(s, n) != n)
		return 0;
	return n;
}

char *doc_clean_text(const char *s, size_t len, struct doc_clean_stats *stats)
{
	struct doc_clean_stats st = {0};
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;

	while (i < len) {
		size_t n = char_len(s + i, len - i);
		unsigned cp;

		if (n == 0) {
			strbuf_addf(&sb, "\\x%02X", (unsigned char)s[i]);
			st.bytes++;
			i++;
			continue;
		}
		cp = decode((const unsigned char *)s + i, n);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			strbuf_addstr(&sb,
				      cp == '\t' || cp == '\n' || cp == '\r' ? " " : REPLACEMENT);
			st.controls++;
		} else if (cp >= 0x80 && !glyph_in_any_font(cp)) {
			if (st.unknown++ == 0)
				st.first_unknown = cp;
			strbuf_addstr(&sb, REPLACEMENT);
		} else {
			strbuf_add(&sb, s + i, n);
		}
		i += n;
	}
	if (stats != NULL)
		*stats = st;
	return strbuf_detach(&sb, NULL);
}

char *doc_clean_value(const char *s, size_t len, const char *what)
{
	struct doc_clean_stats st;
	char *out = doc_clean_text(s, len, &st);

	if (st.controls > 0)
		log_warn("%s“%s”中有 %zu 个控制字符,报告中显示为空格或“�”", what, out, st.controls);
	if (st.unknown > 0)
		log_warn(
		    "%s“%s”中有 %zu 个字符(首个 U+%04X)没有任何已安装的字体能显示,报告中显示为“�”",
		    what, out, st.unknown, st.first_unknown);
	return out;
}
