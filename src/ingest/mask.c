/*
 * mask.c - masking by position and by content; see mask.h for the rules.
 *
 * Runs on rejected rows and messages only, never on accepted rows: the
 * cost per field does not matter, being right does.  Everything appended
 * goes through escape_terminal() last, so no rule can let a control out
 * (but mask_ids(), for text its caller escapes where it shows it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"
#include "util/escape.h"
#include "util/text.h"
#include "util/xalloc.h"

/* An ID number has 18 characters; 15 covers the legacy form and a lost digit. */
#define ID_RUN_MIN 15

/* Fields and characters shown of a first line that may be data. */
#define DATA_FIELDS      6
#define DATA_FIELD_CHARS 10
/* ... and of a header that matched some columns. */
#define HEADER_FIELDS      20
#define HEADER_FIELD_CHARS 20

static uint32_t char_at(const char *s, size_t len, size_t i, size_t *n)
{
	uint32_t cp = 0;

	*n = utf8_decode_char(s + i, len - i, &cp);
	if (*n == 0) {
		*n = 1;
		return 0xFFFD;
	}
	return cp;
}

/* Byte length of a digit (0-9 or full-width ０-９) at s[i], else 0. */
static size_t digit_at(const char *s, size_t len, size_t i)
{
	size_t n;
	uint32_t cp;

	if (i >= len)
		return 0;
	cp = char_at(s, len, i, &n);
	return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19) ? n : 0;
}

/* Byte length of an ASCII letter at s[i], else 0. */
static size_t letter_at(const char *s, size_t len, size_t i)
{
	char c = i < len ? s[i] : '\0';

	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ? 1 : 0;
}

static size_t alnum_at(const char *s, size_t len, size_t i)
{
	size_t n = digit_at(s, len, i);

	return n > 0 ? n : letter_at(s, len, i);
}

/* A gap this long or shorter between digits still joins them: 511602  1968..., 5116.0219. */
#define GAP_MAX 3

/*
 * Separator bytes at s[i]: ASCII that is no letter or digit (space, dash,
 * dot, slash, underscore, a control) and bytes that are not UTF-8, up to
 * GAP_MAX + 1 of them.  Anything that splits an ID's digits to dodge a
 * pattern ("511602_196802063163") is a separator; Chinese text is not.
 */
static size_t sep_len(const char *s, size_t len, size_t i)
{
	size_t k = 0;

	while (i + k < len && k <= GAP_MAX) {
		unsigned char c = (unsigned char)s[i + k];
		uint32_t cp;

		if (c < 0x80 ? alnum_at(s, len, i + k) > 0
			     : utf8_decode_char(s + i + k, len - i - k, &cp) > 0)
			break;
		k++;
	}
	return k;
}

/*
 * A token: letters and digits, short runs of separators (sep_len) between
 * them.  It starts at s[i] (a letter or digit); returns its end, *alnum its
 * letters and digits, *letters its letters.
 */
static size_t token(const char *s, size_t len, size_t i, size_t *alnum, size_t *letters)
{
	size_t n;

	*alnum = *letters = 0;
	for (;;) {
		if ((n = alnum_at(s, len, i)) > 0) {
			*letters += letter_at(s, len, i);
			(*alnum)++;
			i += n;
		} else if ((n = sep_len(s, len, i)) > 0 && n <= GAP_MAX &&
			   alnum_at(s, len, i + n) > 0) {
			i += n;
		} else {
			return i;
		}
	}
}

/*
 * An ID as a token: 15 or more letters and digits, at most two of them
 * letters (the check X, a typo: 51160219800115A012).
 */
static bool id_token(size_t alnum, size_t letters)
{
	return alnum >= ID_RUN_MIN && letters <= 2;
}

/* Append s[i..end) with all but its first 6 and last 4 letters and digits as '*'. */
static void put_id(struct strbuf *out, const char *s, size_t i, size_t end, size_t alnum)
{
	size_t k = 0, n;

	while (i < end) {
		if ((n = alnum_at(s, end, i)) > 0) {
			if (k < 6 || k + 4 >= alnum)
				strbuf_add(out, s + i, n);
			else
				strbuf_addch(out, '*');
			k++;
		} else {
			n = 1;
			strbuf_addch(out, s[i]);
		}
		i += n;
	}
}

/*
 * The digit runs inside a token that is not an ID as a whole
 * (Room511602198001150012, Room 511602 196802063163): each run of 15 or
 * more digits, separators between them allowed, masked.
 */
static void put_digit_runs(struct strbuf *out, const char *s, size_t i, size_t end)
{
	while (i < end) {
		size_t j = i, digits = 0, n, gap;

		/* digits, and short separator runs between digits (sep_len) */
		for (;;) {
			while ((n = digit_at(s, end, j)) > 0) {
				j += n;
				digits++;
			}
			gap = digits > 0 ? sep_len(s, end, j) : 0;
			if (gap == 0 || gap > GAP_MAX || digit_at(s, end, j + gap) == 0)
				break;
			j += gap;
		}
		if (digits >= ID_RUN_MIN) {
			put_id(out, s, i, j, digits);
		} else if (j > i) {
			strbuf_add(out, s + i, j - i);
		} else {
			strbuf_addch(out, s[i]);
			j = i + 1;
		}
		i = j;
	}
}

static bool is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == 0x3000;
}

static void trim(const char **s, size_t *len)
{
	size_t n;

	while (*len > 0 && is_space(char_at(*s, *len, 0, &n))) {
		*s += n;
		*len -= n;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
	while (*len >= 3 && memcmp(*s + *len - 3, "\xE3\x80\x80", 3) == 0)
		*len -= 3;
}

static bool is_han(uint32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x323AF);
}

/* The dots between the parts of a transcribed name: 阿卜杜·热合曼. */
static bool is_name_dot(uint32_t cp)
{
	return cp == '.' || cp == 0xB7 || cp == 0x2022 || cp == 0x2027 || cp == 0x30FB ||
	       cp == 0xFF0E;
}

bool mask_looks_like_id(const char *s, size_t len)
{
	size_t alnum, letters;

	trim(&s, &len);
	return alnum_at(s, len, 0) > 0 && token(s, len, 0, &alnum, &letters) == len &&
	       id_token(alnum, letters);
}

bool mask_looks_like_name(const char *s, size_t len)
{
	size_t i = 0, han = 0, dots = 0, n;
	bool after_han = false;

	trim(&s, &len);
	while (i < len) {
		uint32_t cp = char_at(s, len, i, &n);

		if (is_han(cp)) {
			han++;
			after_han = true;
		} else if (after_han && (is_space(cp) || is_name_dot(cp))) {
			dots += is_name_dot(cp);
			after_han = false;
		} else {
			return false;
		}
		i += n;
	}
	/* trimmed, so it ends with an ideograph unless it ends with a dot */
	if (!after_han)
		return false;
	return dots == 0 ? han >= 2 && han <= 4 : han >= 2;
}

/* Rule 3: IDs masked wherever they stand, the rest copied. */
static void mask_runs(struct strbuf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t alnum, letters, end;

		if (alnum_at(s, len, i) == 0) {
			strbuf_addch(out, s[i++]);
			continue;
		}
		end = token(s, len, i, &alnum, &letters);
		if (id_token(alnum, letters))
			put_id(out, s, i, end, alnum);
		else
			put_digit_runs(out, s, i, end);
		i = end;
	}
}

void mask_ids(struct strbuf *out, const char *s, size_t len)
{
	mask_runs(out, s, len);
}

/* The first character kept, every other one a '*': 张*, 欧***. */
static void mask_tail(struct strbuf *out, const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		char_at(s, len, i, &n);
		if (i == 0)
			strbuf_add(out, s, n);
		else
			strbuf_addch(out, '*');
		i += n;
	}
}

/* Rules 1 and 2: the whole field masked, an ID as an ID. */
static void mask_whole(struct strbuf *out, const char *s, size_t len)
{
	size_t alnum, letters;

	trim(&s, &len);
	if (mask_looks_like_id(s, len)) {
		token(s, len, 0, &alnum, &letters);
		put_id(out, s, 0, len, alnum);
	} else {
		mask_tail(out, s, len);
	}
}

/* Rules 3 and 4 for a value whose column says nothing. */
static void mask_content(struct strbuf *out, const char *s, size_t len, bool names)
{
	const char *t = s;
	size_t tlen = len;

	trim(&t, &tlen);
	if (names && mask_looks_like_name(t, tlen))
		mask_tail(out, t, tlen);
	else
		mask_runs(out, s, len);
}

static bool allowed_enum_value(const struct column *col, const char *s, size_t len)
{
	trim(&s, &len);
	return col->type == COL_ENUM && column_enum_index(col, s, len) >= 0;
}

/* Whether s[0..len) is one character away from an allowed value of four or more. */
static bool near_long_value(const struct column *col, const char *s, size_t len)
{
	char *v = xstrndup(s, len);
	bool near = false;

	for (size_t i = 0; i < col->nvalues && !near; i++) {
		size_t d = utf8_distance(v, col->values[i]);
		size_t chars = 0, n = 0;

		for (size_t k = 0; col->values[i][k] != '\0'; k += n, chars++)
			char_at(col->values[i], strlen(col->values[i]), k, &n);
		near = chars >= 4 && d <= 1;
	}
	free(v);
	return near;
}

/*
 * Rule 4's exception for enum columns, so that the officer sees the typo:
 * a misspelt value ends like an allowed value and shares another character
 * with one (广安县: 岳池县, 广安区), or is one character off an allowed value
 * of four or more (城市低宝), or is part of one (助学 for 助学金).  A name
 * passes only when it ends in 县, 区, 保... and shares a character with the
 * list, or nearly is a value, and only in its column.  One character off a
 * three-character value is not enough: 武胜男 is a name, not 武胜县.
 */
static bool misspelt_enum_value(const struct column *col, const char *s, size_t len)
{
	size_t i = 0, n = 0, last = 0, tail;
	bool ends = false, shares = false;

	trim(&s, &len);
	if (col->type != COL_ENUM || len == 0)
		return false;
	if (near_long_value(col, s, len))
		return true;
	for (size_t v = 0; v < col->nvalues; v++) {
		size_t vlen = strlen(col->values[v]);

		if (len < vlen && memmem(col->values[v], vlen, s, len) != NULL)
			return true;
	}
	for (i = 0; i < len; i += n) {
		char_at(s, len, i, &n);
		last = i;
	}
	tail = len - last;
	for (size_t v = 0; v < col->nvalues; v++) {
		const char *a = col->values[v];
		size_t alen = strlen(a);

		/* UTF-8 synchronises itself: whole characters match as bytes */
		if (alen >= tail && memcmp(a + alen - tail, s + last, tail) == 0)
			ends = true;
		for (i = 0; i < last; i += n) {
			char_at(s, last, i, &n);
			if (memmem(a, alen, s + i, n) != NULL)
				shares = true;
		}
	}
	return ends && shares;
}

void mask_field(struct strbuf *out, const struct column *col, const char *s, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;

	if (col == NULL || col->mask != MASK_NONE)
		mask_whole(&tmp, s, len);
	else if (allowed_enum_value(col, s, len))
		strbuf_add(&tmp, s, len);
	else
		mask_content(&tmp, s, len,
			     col->type != COL_TEXT && !misspelt_enum_value(col, s, len));
	if (tmp.len > 0)
		escape_terminal(out, tmp.buf, tmp.len);
	strbuf_release(&tmp);
}

/* Cut sb after max_chars characters, with an ellipsis when it was longer. */
static void cut(struct strbuf *sb, size_t max_chars)
{
	size_t i = 0, chars = 0, n;

	while (i < sb->len && chars < max_chars) {
		char_at(sb->buf, sb->len, i, &n);
		i += n;
		chars++;
	}
	if (i < sb->len) {
		sb->len = i;
		sb->buf[i] = '\0';
		strbuf_addstr(sb, "…");
	}
}

char *mask_quote(const struct column *col, const char *s, size_t len, size_t max_chars)
{
	struct strbuf sb = STRBUF_INIT;

	mask_field(&sb, col, s, len);
	cut(&sb, max_chars);
	return strbuf_detach(&sb, NULL);
}

char *mask_header_fields(char *const *fields, size_t n, bool is_header)
{
	struct strbuf out = STRBUF_INIT, tmp = STRBUF_INIT, field = STRBUF_INIT;
	size_t show = is_header ? HEADER_FIELDS : DATA_FIELDS;
	size_t chars = is_header ? HEADER_FIELD_CHARS : DATA_FIELD_CHARS;

	for (size_t i = 0; i < n && i < show; i++) {
		tmp.len = 0;
		field.len = 0;
		mask_content(&tmp, fields[i], strlen(fields[i]), !is_header);
		if (tmp.len > 0)
			escape_terminal(&field, tmp.buf, tmp.len);
		if (field.len > 0)
			cut(&field, chars);
		if (i > 0)
			strbuf_addstr(&out, "、");
		if (field.len > 0)
			strbuf_add(&out, field.buf, field.len);
	}
	if (n > show)
		strbuf_addf(&out, "…（共%zu列）", n);
	strbuf_release(&tmp);
	strbuf_release(&field);
	return strbuf_detach(&out, NULL);
}
