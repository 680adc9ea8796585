/*
 * docx_xml.c - the DOCX renderer's XML writer: text and attribute values
 * escaped, and whatever XML cannot hold dropped on the way; see docx_priv.h.
 *
 * Doc text is clean already (doc_clean.c), but a renderer must not trust
 * that: one stray byte that is not UTF-8, or a control character, and Word
 * refuses the whole file ("unreadable content").  So every byte of text
 * goes through xml_char(), which lets only XML 1.0's characters pass.
 *
 * Must never: write a character of text without escaping it, or emit
 * markup from text.
 */
#include <stdio.h>
#include <string.h>

#include "docx_priv.h"
#include "util/text.h"

size_t xml_char(const char *s, size_t len, size_t *skip)
{
	uint32_t cp;
	size_t n = utf8_decode_char(s, len, &cp);

	*skip = 1;
	if (n == 0) /* not UTF-8: drop this byte, look again at the next */
		return 0;
	*skip = n;
	if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
		return 0;
	if (cp == 0xFFFE || cp == 0xFFFF)
		return 0;
	return n;
}

static void escape(struct strbuf *out, const char *s, bool attr)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		size_t skip, n = xml_char(s + i, len - i, &skip);

		if (n == 0) {
			i += skip;
			continue;
		}
		switch (s[i]) {
		case '&':
			strbuf_addstr(out, "&amp;");
			break;
		case '<':
			strbuf_addstr(out, "&lt;");
			break;
		case '>':
			strbuf_addstr(out, "&gt;");
			break;
		case '"':
			strbuf_addstr(out, attr ? "&quot;" : "\"");
			break;
		case '\t':
			strbuf_addstr(out, attr ? "&#9;" : "\t");
			break;
		case '\n':
			strbuf_addstr(out, attr ? "&#10;" : "\n");
			break;
		case '\r': /* a parser turns a raw CR into LF: keep it as it was */
			strbuf_addstr(out, "&#13;");
			break;
		default:
			strbuf_add(out, s + i, n);
		}
		i += n;
	}
}

void xml_text(struct strbuf *out, const char *s)
{
	if (s != NULL)
		escape(out, s, false);
}

void xml_attr(struct strbuf *out, const char *name, const char *value)
{
	strbuf_addf(out, " %s=\"", name);
	if (value != NULL)
		escape(out, value, true);
	strbuf_addch(out, '"');
}

void xml_attr_int(struct strbuf *out, const char *name, long long n)
{
	strbuf_addf(out, " %s=\"%lld\"", name, n);
}
