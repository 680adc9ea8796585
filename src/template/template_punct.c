/*
 * template_punct.c - half-width punctuation next to Chinese text in a
 * template; see template_punct.h.
 *
 * Two passes: the first marks which bytes are prose (a line-by-line walk
 * that knows the template's syntax: front matter, fences, comments,
 * placeholders, code spans, URLs), the second looks at the marks standing
 * in prose.  What the first pass cannot classify with certainty is not
 * prose: a mark left alone is harmless, a rewritten expression is not.
 *
 * Never: read a file, allocate per character, or rewrite anything but a
 * mark of a hit and the spaces beside it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "template_punct.h"
#include "util/text.h"
#include "util/xalloc.h"

static const struct {
	char mark;
	const char *full, *name;
} marks[] = {
    {',', "，", "逗号"},   {';', "；", "分号"}, {':', "：", "冒号"}, {'(', "（", "左括号"},
    {')', "）", "右括号"}, {'!', "！", "叹号"}, {'?', "？", "问号"},
};

const char *punct_full(char mark)
{
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (marks[i].mark == mark)
			return marks[i].full;
	return NULL;
}

const char *punct_name(char mark)
{
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (marks[i].mark == mark)
			return marks[i].name;
	return NULL;
}

/* Front-matter keys whose values are text a reader sees (template.c's meta_keys). */
static const char *const prose_keys[] = {
    "title", "标题", "organisation", "单位", "author",       "作者",     "subject",   "主题",
    "date",  "日期", "area",         "地区", "mail_subject", "邮件主题", "mail_body", "邮件正文",
};

/* Han ideographs (BMP and the supplementary planes), CJK symbols, full-width forms. */
static bool is_cjk(uint32_t cp)
{
	return (cp >= 0x3001 && cp <= 0x303f) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	       (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xff01 && cp <= 0xff60) || (cp >= 0x20000 && cp <= 0x3ffff);
}

struct scan {
	const char *s;
	size_t len;
	char *prose;    /* 1 where the byte is prose */
	size_t skip_to; /* the end of a code span that reaches past its line */
	bool in_comment, in_placeholder;
};

static bool at(const struct scan *sc, size_t i, const char *lit)
{
	size_t n = strlen(lit);

	return i + n <= sc->len && memcmp(sc->s + i, lit, n) == 0;
}

static size_t line_end(const struct scan *sc, size_t i)
{
	const char *nl = memchr(sc->s + i, '\n', sc->len - i);

	return nl != NULL ? (size_t)(nl - sc->s) : sc->len;
}

static bool blank(const struct scan *sc, size_t b, size_t e)
{
	for (size_t i = b; i < e; i++)
		if (sc->s[i] != ' ' && sc->s[i] != '\t' && sc->s[i] != '\r')
			return false;
	return true;
}

/* Leading indentation in columns (a tab to the next multiple of 4). */
static size_t indent(const struct scan *sc, size_t b, size_t e, size_t *first)
{
	size_t col = 0, i = b;

	for (; i < e && (sc->s[i] == ' ' || sc->s[i] == '\t'); i++)
		col = sc->s[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
	*first = i;
	return col;
}

/*
 * A code span opening with n backticks at i: the end of its closing run of
 * exactly n backticks, looked for up to the paragraph's end (a blank line);
 * 0 when there is none (then the backticks are literal).
 */
static size_t code_span_end(const struct scan *sc, size_t i, size_t n)
{
	size_t j = i + n;

	while (j < sc->len) {
		if (sc->s[j] == '\n') {
			size_t e = line_end(sc, j + 1);

			if (blank(sc, j + 1, e))
				return 0;
			j++;
		} else if (sc->s[j] == '`') {
			size_t k = j;

			while (k < sc->len && sc->s[k] == '`')
				k++;
			if (k - j == n)
				return k;
			j = k;
		} else {
			j++;
		}
	}
	return 0;
}

static bool url_start(const struct scan *sc, size_t i, size_t b)
{
	static const char *const schemes[] = {"http://", "https://", "ftp://",
					      "file://", "mailto:",  "www."};

	/* a scheme starts a word: "xhttp://" is not a URL */
	if (i > b && ((sc->s[i - 1] | 0x20) >= 'a' && (sc->s[i - 1] | 0x20) <= 'z'))
		return false;
	for (size_t k = 0; k < sizeof(schemes) / sizeof(schemes[0]); k++) {
		size_t n = strlen(schemes[k]);

		if (i + n <= sc->len && strncasecmp(sc->s + i, schemes[k], n) == 0)
			return true;
	}
	return false;
}

/* Mark s[b..e) of one line as prose, except the inline constructs in it. */
static void inline_prose(struct scan *sc, size_t b, size_t e)
{
	size_t i = b > sc->skip_to ? b : sc->skip_to;

	while (i < e) {
		if (sc->in_comment) {
			while (i < e && !at(sc, i, "-->"))
				i++;
			if (i < e) {
				sc->in_comment = false;
				i += 3;
			}
			continue;
		}
		if (sc->in_placeholder) {
			while (i < e && !at(sc, i, "}}"))
				i++;
			if (i < e) {
				sc->in_placeholder = false;
				i += 2;
			}
			continue;
		}
		if (at(sc, i, "<!--")) {
			sc->in_comment = true;
			i += 4;
		} else if (at(sc, i, "{{")) {
			sc->in_placeholder = true;
			i += 2;
		} else if (sc->s[i] == '`') {
			size_t n = 0, end;

			while (i + n < sc->len && sc->s[i + n] == '`')
				n++;
			end = code_span_end(sc, i, n);
			if (end == 0) {
				i += n;
			} else {
				i = sc->skip_to = end; /* it may end on a later line */
			}
		} else if (sc->s[i] == '\\' && i + 1 < e && sc->s[i + 1] > ' ' &&
			   (unsigned char)sc->s[i + 1] < 0x7f) {
			i += 2; /* \( stays as written */
		} else if (url_start(sc, i, b)) {
			/* to the next space: a URL may hold Chinese (an IRI) */
			while (i < e && sc->s[i] != ' ' && sc->s[i] != '\t' && sc->s[i] != '<' &&
			       sc->s[i] != '>' && sc->s[i] != '"')
				i++;
		} else if (at(sc, i, "](")) {
			int depth = 0;

			for (i += 1; i < e; i++) {
				if (sc->s[i] == '(')
					depth++;
				else if (sc->s[i] == ')' && --depth == 0)
					break;
			}
			if (i < e)
				i++;
		} else if (sc->s[i] == '<' && i + 1 < e &&
			   (sc->s[i + 1] == '/' ||
			    ((sc->s[i + 1] | 0x20) >= 'a' && (sc->s[i + 1] | 0x20) <= 'z'))) {
			const char *gt = memchr(sc->s + i, '>', e - i);

			if (gt == NULL)
				sc->prose[i++] = 1; /* a lone "<" is text */
			else
				i = (size_t)(gt - sc->s) + 1;
		} else if (at(sc, i, "![")) {
			i++; /* an image's "!" */
		} else {
			sc->prose[i++] = 1;
		}
	}
}

/* The value part of a front-matter line when its key is prose, else e. */
static size_t front_value(const struct scan *sc, size_t b, size_t e)
{
	size_t first, c;

	indent(sc, b, e, &first);
	if (first == e || sc->s[first] == '#')
		return e;
	for (c = first; c < e && sc->s[c] != ':' && !at(sc, c, "："); c++)
		;
	if (c == e)
		return e;
	for (size_t k = 0; k < sizeof(prose_keys) / sizeof(prose_keys[0]); k++) {
		size_t n = strlen(prose_keys[k]), ke = c;

		while (ke > first && (sc->s[ke - 1] == ' ' || sc->s[ke - 1] == '\t'))
			ke--;
		if (ke - first == n && memcmp(sc->s + first, prose_keys[k], n) == 0)
			return c + (sc->s[c] == ':' ? 1 : 3);
	}
	return e;
}

static bool rule(const struct scan *sc, size_t b, size_t e, const char *r)
{
	size_t first, n = strlen(r);

	indent(sc, b, e, &first);
	return e - first >= n && memcmp(sc->s + first, r, n) == 0 && blank(sc, first + n, e);
}

/* A fence (``` or ~~~, three or more, after at most 3 spaces): its length, else 0. */
static size_t fence(const struct scan *sc, size_t b, size_t e, char *ch)
{
	size_t first, n = 0;

	if (indent(sc, b, e, &first) > 3 || first == e ||
	    (sc->s[first] != '`' && sc->s[first] != '~'))
		return 0;
	while (first + n < e && sc->s[first + n] == sc->s[first])
		n++;
	if (n < 3)
		return 0;
	*ch = sc->s[first];
	return n;
}

static void mark_prose(struct scan *sc)
{
	size_t b = 0, e, fence_len = 0, first;
	char fence_ch = 0, ch;
	bool front = false, prev_blank = true, prev_code = false;

	e = line_end(sc, 0);
	if (rule(sc, 0, e, "---")) {
		front = true;
		b = e < sc->len ? e + 1 : e;
	}
	for (; b < sc->len; b = e + 1) {
		bool is_blank, code = false;
		size_t n;

		e = line_end(sc, b);
		if (front) {
			if (rule(sc, b, e, "---") || rule(sc, b, e, "..."))
				front = false;
			else
				inline_prose(sc, front_value(sc, b, e), e);
			sc->in_placeholder = false;
			continue;
		}
		is_blank = blank(sc, b, e);
		if (fence_len > 0) {
			if (fence(sc, b, e, &ch) >= fence_len && ch == fence_ch) {
				indent(sc, b, e, &first);
				while (first < e && sc->s[first] == ch)
					first++;
				if (blank(sc, first, e))
					fence_len = 0;
			}
			continue;
		}
		if (!sc->in_comment && (n = fence(sc, b, e, &ch)) > 0) {
			fence_len = n;
			fence_ch = ch;
			continue;
		}
		if (!sc->in_comment && !is_blank && indent(sc, b, e, &first) >= 4 &&
		    (prev_blank || prev_code)) {
			code = true; /* an indented code block */
		} else if (is_blank) {
			sc->in_placeholder = false; /* a placeholder never spans a paragraph */
		} else {
			inline_prose(sc, b, e);
		}
		prev_blank = is_blank;
		prev_code = code || (prev_code && is_blank);
	}
}

/*
 * The character ending just before i (the start of its last valid UTF-8
 * sequence), decoded into *cp; false when there is none or it is invalid.
 */
static bool char_before(const char *s, size_t lo, size_t i, uint32_t *cp)
{
	for (size_t k = 1; k <= 4 && k <= i - lo; k++) {
		if (((unsigned char)s[i - k] & 0xc0) == 0x80)
			continue;
		return utf8_decode_char(s + i - k, k, cp) == k;
	}
	return false;
}

/*
 * The template variables that stand for Chinese text (template_util.c's
 * tpl_replace_vars: 广安市, 区县, 今年以来, 2021年第三季度, 2021年9月30日)
 * are Chinese beside a mark: "{since},{area}慈善" is Chinese prose.
 */
static const char *const chinese_vars[] = {"{area}", "{sub}", "{since}", "{period_name}",
					   "{period_end}"};

static bool var_ends_at(const struct scan *sc, size_t lo, size_t l)
{
	for (size_t k = 0; k < sizeof(chinese_vars) / sizeof(chinese_vars[0]); k++) {
		size_t n = strlen(chinese_vars[k]);

		if (l - lo >= n && memcmp(sc->s + l - n, chinese_vars[k], n) == 0)
			return true;
	}
	return false;
}

static bool var_starts_at(const struct scan *sc, size_t r, size_t hi)
{
	for (size_t k = 0; k < sizeof(chinese_vars) / sizeof(chinese_vars[0]); k++) {
		size_t n = strlen(chinese_vars[k]);

		if (hi - r >= n && memcmp(sc->s + r, chinese_vars[k], n) == 0)
			return true;
	}
	return false;
}

static bool cjk_beside(const struct scan *sc, size_t lo, size_t hi, size_t i)
{
	size_t l = i, r = i + 1;
	uint32_t cp;

	while (l > lo && sc->s[l - 1] == ' ')
		l--;
	if (l > lo && ((char_before(sc->s, lo, l, &cp) && is_cjk(cp)) || var_ends_at(sc, lo, l)))
		return true;
	while (r < hi && sc->s[r] == ' ')
		r++;
	return r < hi && ((utf8_decode_char(sc->s + r, hi - r, &cp) > 0 && is_cjk(cp)) ||
			  var_starts_at(sc, r, hi));
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Parentheses of one line: a pair whose one half is a hit makes the other
 * a hit too, and a half-width half of a pair whose other half is
 * full-width is one: （`code`) is （`code`）.
 */
static void pair_parens(const struct scan *sc, size_t b, size_t e, char *hit)
{
	size_t cap = 0, depth = 0, *open = NULL;

	for (size_t i = b; i < e; i++) {
		bool full_open = sc->prose[i] && i + 3 <= e && memcmp(sc->s + i, "（", 3) == 0;
		bool full_close = sc->prose[i] && i + 3 <= e && memcmp(sc->s + i, "）", 3) == 0;

		if (!sc->prose[i])
			continue;
		if (sc->s[i] == '(' || full_open) {
			open = xgrow(open, &cap, depth + 1, sizeof(*open));
			open[depth++] = i;
		} else if ((sc->s[i] == ')' || full_close) && depth > 0) {
			size_t o = open[--depth];
			bool o_half = sc->s[o] == '(';

			if (o_half && !full_close && (hit[o] || hit[i]))
				hit[o] = hit[i] = 1;
			else if (o_half && full_close)
				hit[o] = 1;
			else if (!o_half && !full_close)
				hit[i] = 1;
		}
	}
	free(open);
}

/*
 * A line of English (more ASCII letters than Chinese characters in its
 * prose, as the English summary of templates/README.md) keeps its
 * punctuation: "同比, the same months" is English with a Chinese word.
 */
static bool english_line(const struct scan *sc, size_t b, size_t e)
{
	size_t letters = 0, cjk = 0;

	for (size_t i = b; i < e;) {
		uint32_t cp;
		size_t k = utf8_decode_char(sc->s + i, e - i, &cp);

		if (k == 0) {
			i++;
			continue;
		}
		if (cp == '{') { /* {area}: a variable's name is no English */
			size_t j = i + 1;

			while (j < e && ((sc->s[j] >= 'a' && sc->s[j] <= 'z') || sc->s[j] == '_'))
				j++;
			if (j < e && sc->s[j] == '}') {
				i = j + 1;
				continue;
			}
		}
		if (sc->prose[i] && cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'))
			letters++;
		else if (sc->prose[i] && is_cjk(cp))
			cjk++;
		i += k;
	}
	return letters > cjk;
}

size_t punct_scan(const char *src, size_t len, struct punct_hit **hits)
{
	struct scan sc = {.s = src, .len = len};
	char *hit;
	size_t n = 0, cap = 0, b, e;
	int line = 1;

	*hits = NULL;
	if (len == 0)
		return 0;
	sc.prose = xcalloc(len, 1);
	hit = xcalloc(len, 1);
	mark_prose(&sc);
	for (b = 0; b < len; b = e + 1) {
		e = line_end(&sc, b);
		if (english_line(&sc, b, e))
			continue;
		for (size_t i = b; i < e; i++)
			hit[i] = sc.prose[i] && punct_full(src[i]) != NULL &&
				 !(i > b && i + 1 < e && digit(src[i - 1]) && digit(src[i + 1])) &&
				 cjk_beside(&sc, b, e, i);
		pair_parens(&sc, b, e, hit);
	}
	for (b = 0; b < len; b = e + 1, line++) {
		int col = 1;

		e = line_end(&sc, b);
		for (size_t i = b; i < e; col++) {
			uint32_t cp;
			size_t k = utf8_decode_char(src + i, e - i, &cp);

			if (hit[i]) {
				*hits = xgrow(*hits, &cap, n + 1, sizeof(**hits));
				(*hits)[n++] = (struct punct_hit){
				    .offset = i, .line = line, .column = col, .mark = src[i]};
			}
			i += k > 0 ? k : 1;
		}
	}
	free(sc.prose);
	free(hit);
	return n;
}

char *punct_fix(const char *src, size_t len, const struct punct_hit *hits, size_t nhits,
		size_t *outlen)
{
	char *drop = xcalloc(len + 1, 1), *out = xmalloc(len + 2 * nhits + 1);
	size_t o = 0, h = 0;

	for (size_t k = 0; k < nhits; k++) {
		size_t i = hits[k].offset, l = i, r = i + 1;

		while (l > 0 && src[l - 1] == ' ')
			l--;
		if (l > 0 && src[l - 1] != '\n') /* not the line's indentation */
			memset(drop + l, 1, i - l);
		while (r < len && src[r] == ' ')
			r++;
		if (r < len && src[r] != '\n' && src[r] != '\r') /* not a hard break */
			memset(drop + i + 1, 1, r - i - 1);
	}
	for (size_t i = 0; i < len; i++) {
		if (h < nhits && hits[h].offset == i) {
			const char *f = punct_full(src[i]);

			memcpy(out + o, f, strlen(f));
			o += strlen(f);
			h++;
		} else if (!drop[i]) {
			out[o++] = src[i];
		}
	}
	out[o] = '\0';
	*outlen = o;
	free(drop);
	return out;
}
