/*
 * xlsx_text.c - making strings safe for an XLSX file: valid UTF-8 without
 * XML-forbidden characters, Excel-legal unique sheet names, and the display
 * width of text (for column widths).  See xlsx_priv.h.
 *
 * Everything here counts characters, never bytes: a sheet name of 31 CJK
 * characters is 93 bytes, and cutting it at byte 31 would split a character.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"
#include "xlsx_priv.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/*
 * Decode one UTF-8 sequence at s (n bytes available).  Returns its length,
 * or 0 when it is not valid: a stray continuation byte, a truncated or
 * overlong sequence, a surrogate, or a value past U+10FFFF.
 */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2, c = s[0] & 0x1F, min = 0x80;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3, c = s[0] & 0x0F, min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* XML 1.0 allows tab, LF, CR and everything from U+0020 but U+FFFE/U+FFFF. */
static bool xml_allowed(uint32_t c)
{
	if (c < 0x20)
		return c == '\t' || c == '\n' || c == '\r';
	if (c == 0x7F)
		return false; /* DEL: legal XML, but Excel shows it as a box */
	return c != 0xFFFE && c != 0xFFFF;
}

char *xlsx_clean_utf8(const char *s, size_t maxbytes)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), out = 0;
	/* Each input byte becomes at most 3 bytes (U+FFFD). */
	char *buf = xmalloc(n * 3 + 1);

	while (*p) {
		uint32_t c;
		size_t len = utf8_decode(p, n, &c);
		const char *src = (const char *)p;
		size_t outlen = len;

		if (len == 0 || !xml_allowed(c)) {
			src = REPLACEMENT;
			outlen = 3;
			len = len ? len : 1;
		}
		if (out + outlen > maxbytes)
			break;
		memcpy(buf + out, src, outlen);
		out += outlen;
		p += len;
		n -= len;
	}
	buf[out] = '\0';
	return buf;
}

/* East Asian Wide and Fullwidth, roughly as terminals and Excel draw them. */
static bool wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
	       (c >= 0x3041 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
	       (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) ||
	       (c >= 0x1F300 && c <= 0x1F64F) || (c >= 0x20000 && c <= 0x3FFFD);
}

size_t xlsx_display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), w = 0;

	while (*p) {
		uint32_t c = 0xFFFD;
		size_t len = utf8_decode(p, n, &c);

		len = len ? len : 1;
		w += wide(c) ? 2 : 1;
		p += len;
		n -= len;
	}
	return w;
}

size_t xlsx_number_width(int64_t raw, int decimals)
{
	uint64_t v = raw < 0 ? 0 - (uint64_t)raw : (uint64_t)raw;
	size_t digits = 0, w;

	for (int i = 0; i < decimals; i++)
		v /= 10;
	do {
		digits++;
		v /= 10;
	} while (v);
	w = digits + (digits - 1) / 3; /* thousands separators */
	if (decimals > 0)
		w += 1 + (size_t)decimals;
	return w + (raw < 0);
}

/* Excel counts a sheet name's length in UTF-16 units: astral planes take 2. */
static size_t name_units(uint32_t c)
{
	return c > 0xFFFF ? 2 : 1;
}

/* Bytes of the longest prefix of s (valid UTF-8) within units UTF-16 units. */
static size_t prefix_within(const char *s, size_t units)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), used = 0, bytes = 0;

	while (p[bytes]) {
		uint32_t c;
		size_t len = utf8_decode(p + bytes, n - bytes, &c);

		if (len == 0 || used + name_units(c) > units)
			break;
		used += name_units(c);
		bytes += len;
	}
	return bytes;
}

/* Full-width forms of the characters Excel forbids in sheet names. */
static const char *forbidden_char(char c)
{
	switch (c) {
	case '[':
		return "［";
	case ']':
		return "］";
	case ':':
		return "：";
	case '*':
		return "＊";
	case '?':
		return "？";
	case '/':
		return "／";
	case '\\':
		return "＼";
	default:
		return NULL;
	}
}

/* want with forbidden characters replaced and line breaks as spaces. */
static char *name_replace(const char *want)
{
	char *clean = xlsx_clean_utf8(want, (size_t)-1);
	size_t n = strlen(clean), out = 0;
	char *buf = xmalloc(n * 3 + 1);

	for (const char *p = clean; *p; p++) {
		const char *rep = forbidden_char(*p);

		if (rep) {
			memcpy(buf + out, rep, strlen(rep));
			out += strlen(rep);
		} else {
			buf[out++] = (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p;
		}
	}
	buf[out] = '\0';
	free(clean);
	return buf;
}

/* Excel refuses names that start or end with an apostrophe, or are empty. */
static void name_trim(char *s)
{
	size_t start = 0, end = strlen(s);

	while (s[start] == '\'' || s[start] == ' ')
		start++;
	while (end > start && (s[end - 1] == '\'' || s[end - 1] == ' '))
		end--;
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
}

static bool name_taken(const char *name, const char *const *taken, size_t ntaken)
{
	for (size_t i = 0; i < ntaken; i++)
		if (strcasecmp(name, taken[i]) == 0)
			return true;
	return false;
}

/* base cut to fit XLSX_SHEETNAME_MAX together with suffix. */
static char *name_join(const char *base, const char *suffix)
{
	size_t keep = prefix_within(base, XLSX_SHEETNAME_MAX - strlen(suffix));
	char *name;

	name = xmalloc(keep + strlen(suffix) + 1);
	memcpy(name, base, keep);
	memcpy(name + keep, suffix, strlen(suffix) + 1);
	name_trim(name); /* the cut may leave a trailing apostrophe */
	if (*name == '\0') {
		free(name);
		name = xasprintf("Sheet%s", suffix);
	}
	return name;
}

char *xlsx_sheet_name(const char *want, const char *const *taken, size_t ntaken)
{
	char *base = name_replace(want);
	char *name;

	name_trim(base);
	name = name_join(base, "");
	for (unsigned n = 2; name_taken(name, taken, ntaken); n++) {
		char suffix[16];

		free(name);
		snprintf(suffix, sizeof(suffix), "(%u)", n);
		name = name_join(base, suffix);
	}
	free(base);
	return name;
}
