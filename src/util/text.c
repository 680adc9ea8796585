/*
 * text.c - UTF-8 validation, folding, width and masking; see text.h.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xalloc.h"

/* Decode one character; returns its length, or 0 when s is not valid there. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates and values past U+10FFFF are invalid */
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

size_t utf8_decode_char(const char *s, size_t len, uint32_t *cp)
{
	return utf8_decode((const unsigned char *)s, len, cp);
}

size_t utf8_valid_prefix(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n;

		/* ASCII fast path: most of a CSV export is digits and commas */
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0)
			return i;
		i += n;
	}
	return i;
}

size_t utf8_char_len(const char *s)
{
	uint32_t cp;
	size_t n;

	if (*s == '\0')
		return 0;
	n = utf8_decode((const unsigned char *)s, strlen(s), &cp);
	return n ? n : 1;
}

static void put(char *dst, size_t cap, size_t *o, const char *src, size_t n)
{
	if (*o + n < cap) {
		memcpy(dst + *o, src, n);
		*o += n;
	}
}

size_t text_fold(char *dst, size_t cap, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0;

	if (cap == 0)
		return 0;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		char c;

		if (n == 0) {
			/* keep invalid bytes as they are: they will not match */
			put(dst, cap, &o, s + i, 1);
			i++;
			continue;
		}
		if (cp == 0x3000 || cp == ' ' || cp == '\t' || cp == 0xA0) {
			i += n;
			continue;
		}
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		if (cp < 0x80) {
			c = (char)cp;
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			put(dst, cap, &o, &c, 1);
		} else {
			put(dst, cap, &o, s + i, n);
		}
		i += n;
	}
	dst[o] = '\0';
	return o;
}

static bool is_wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t utf8_display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, w = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (n == 0) {
			i++;
			w++;
			continue;
		}
		w += is_wide(cp) ? 2 : 1;
		i += n;
	}
	return w;
}

size_t mask_id(char *dst, size_t cap, const char *s, size_t len)
{
	size_t o = 0;

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < len && o + 1 < cap; i++)
		dst[o++] = (i < 6 || i + 4 >= len) ? s[i] : '*';
	dst[o] = '\0';
	return o;
}

size_t mask_name(char *dst, size_t cap, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0;
	bool first = true;

	if (cap == 0)
		return 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (n == 0)
			n = 1;
		if (first)
			put(dst, cap, &o, s + i, n);
		else
			put(dst, cap, &o, "*", 1);
		first = false;
		i += n;
	}
	dst[o] = '\0';
	return o;
}

/* Split into code points so that a CJK character costs one edit, not three. */
static size_t decode_all(const char *s, uint32_t **out)
{
	size_t len = strlen(s), i = 0, n = 0;

	*out = xmalloc((len + 1) * sizeof(uint32_t));
	while (i < len) {
		uint32_t cp = (unsigned char)s[i];
		size_t k = utf8_decode((const unsigned char *)s + i, len - i, &cp);

		(*out)[n++] = cp;
		i += k ? k : 1;
	}
	return n;
}

size_t utf8_distance(const char *a, const char *b)
{
	uint32_t *x, *y;
	size_t n = decode_all(a, &x), m = decode_all(b, &y);
	size_t *row = xmalloc((m + 1) * sizeof(size_t)), d;

	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j], best = diag + (x[i - 1] != y[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	d = row[m];
	free(row);
	free(x);
	free(y);
	return d;
}

void utf8_trim_tail(char *s)
{
	size_t n = strlen(s), i = n, need;
	unsigned char lead;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	lead = (unsigned char)s[i - 1];
	if (lead < 0x80)
		return;
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}
