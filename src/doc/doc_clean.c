/*
 * doc_clean.c - data text made fit for a document; see doc_clean.h.
 *
 * Never: change text a renderer can draw (the normal report's outputs stay
 * byte for byte the same), or decide about template text (lint does).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "doc_clean.h"
#include "util/escape.h"
#include "util/glyphs.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

char *doc_clean_text(const char *s, size_t len, struct doc_clean_stats *stats)
{
	struct doc_clean_stats st = {0};
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode_char(s + i, len - i, &cp);

		if (n == 0) {
			/* not UTF-8: the byte as \xhh, as the terminal and the log show it */
			escape_terminal(&sb, s + i, 1);
			st.bytes++;
			i++;
			continue;
		}
		if (cp == '\t' || cp == '\n' || cp == '\r') {
			strbuf_addch(&sb, ' ');
			st.controls++;
		} else if (escape_char_unsafe(cp)) {
			/* controls and bidi overrides: the same visible escape everywhere */
			escape_terminal(&sb, s + i, n);
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
		log_warn("%s“%s”中有 %zu 个控制字符，报告中显示为空格或转义（如 \\x01）", what, out,
			 st.controls);
	if (st.unknown > 0)
		log_warn("%s“%s”中有 %zu 个字符（首个 "
			 "U+%04X）没有任何已安装的字体能显示，报告中显示为“�”",
			 what, out, st.unknown, st.first_unknown);
	return out;
}
