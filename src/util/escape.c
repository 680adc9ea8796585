/*
 * escape.c - visible escapes for controls, bidi overrides and bytes that
 * are not UTF-8; see escape.h.
 */
#include <string.h>

#include "escape.h"
#include "text.h"

bool escape_char_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C ||
	       cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

void escape_terminal(struct strbuf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode_char(s + i, len - i, &cp);

		if (n == 0) {
			strbuf_addf(out, "\\x%02x", (unsigned char)s[i]);
			i++;
			continue;
		}
		if (!escape_char_unsafe(cp))
			strbuf_add(out, s + i, n);
		else if (cp < 0x80)
			strbuf_addf(out, "\\x%02x", (unsigned)cp);
		else
			strbuf_addf(out, "\\u%04x", (unsigned)cp);
		i += n;
	}
}

char *escape_terminal_dup(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	escape_terminal(&sb, s, strlen(s));
	return strbuf_detach(&sb, NULL);
}
