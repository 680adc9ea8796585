/*
 * template_label.c - the words the XLSX 指标 sheet gives a figure, made
 * where the template is: its label (the clause of the report it stands
 * in) and the unit of its number (元 人 户 人次 个 % 元/人 ...).
 *
 * The unit comes from the data where the data knows it (money is 元,
 * persons 人, households 户); what it cannot tell (a sum of 数量, rows of a
 * ledger) the sentence does, by the measure word after the figure: "建设
 * 养老驿站35个" counts 个, "为2000户困难独居老人" 户.
 *
 * Never: write a number (format.c does), or call another template_*.c file
 * but template_util.c (this is the bottom of the stage).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template_impl.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Characters of context on each side of a figure, at most. */
#define LABEL_SIDE 30

/* Characters besides the figure a label needs to say something. */
#define LABEL_WORDS 2

/* ---- units ---- */

/* Measure words after a number, and the unit they name; longer ones first. */
static const struct {
	const char *word, *unit;
} unit_words[] = {
    {"人次", "人次"}, {"户次", "户次"}, {"元", "元"}, {"人", "人"}, {"名", "人"}, {"位", "人"},
    {"户", "户"},     {"个", "个"},     {"家", "家"}, {"所", "所"}, {"处", "处"}, {"座", "座"},
    {"张", "张"},     {"套", "套"},     {"台", "台"}, {"辆", "辆"}, {"件", "件"}, {"项", "项"},
    {"次", "次"},     {"笔", "笔"},     {"条", "条"}, {"份", "份"}, {"间", "间"}, {"床", "床"},
    {"场", "场"},     {"批", "批"},     {"期", "期"},
};

/* The unit the measure word at text's start names, and the word's length. */
static const char *unit_word(const char *text, size_t *len)
{
	size_t pre = 0;

	/* "26.7万人": the number the sheet shows is in 人, not 万人 */
	if (strncmp(text, "万", 3) == 0 || strncmp(text, "亿", 3) == 0)
		pre = 3;
	for (size_t i = 0; i < sizeof(unit_words) / sizeof(unit_words[0]); i++)
		if (strncmp(text + pre, unit_words[i].word, strlen(unit_words[i].word)) == 0) {
			*len = pre + strlen(unit_words[i].word);
			return unit_words[i].unit;
		}
	return NULL;
}

const char *tpl_unit_word(const char *text)
{
	size_t len;

	return unit_word(text, &len);
}

/* Whether name ends with suffix. */
static bool ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);

	return n >= m && strcmp(name + n - m, suffix) == 0;
}

const char *tpl_query_unit(const struct query *q, bool *loose)
{
	const char *col = q->col >= 0 && q->ds != NULL ? q->ds->cols[q->col].name : "";

	*loose = false;
	if (q->unit == UNIT_FEN)
		return "元";
	switch (q->measure) {
	case MEASURE_PERSONS:
		return "人";
	case MEASURE_HOUSEHOLDS:
		return "户";
	case MEASURE_ROWS:
		/* a row is a payment (人次) in relief, an entry (笔) in a ledger */
		*loose = true;
		return "人次";
	default:
		break;
	}
	*loose = true;
	if (ends_with(col, "人次"))
		return "人次";
	if (ends_with(col, "人数"))
		return "人";
	if (ends_with(col, "户数"))
		return "户";
	return NULL; /* 数量: only the sentence tells */
}

const char *tpl_bracket_unit(const char *head)
{
	static const char *const open[] = {"（", "("}, *const close[] = {"）", ")"};

	for (size_t i = 0; i < 2; i++) {
		const char *o = NULL, *u;
		size_t inside, len;

		if (!ends_with(head, close[i]))
			continue;
		for (const char *p = head; (p = strstr(p, open[i])) != NULL; p++)
			o = p;
		if (o == NULL)
			continue;
		o += strlen(open[i]);
		inside = strlen(o) - strlen(close[i]);
		u = unit_word(o, &len);
		/* the brackets hold the unit and nothing else: (万元), not (含临时救助) */
		if (u != NULL && len == inside)
			return u;
	}
	return NULL;
}

/* ---- labels ---- */

/* The code point at s[i] (UTF-8) and its length; a bad byte reads as itself. */
static uint32_t char_at(const char *s, size_t i, size_t n, size_t *len)
{
	uint32_t cp;

	*len = utf8_decode_char(s + i, n - i, &cp);
	if (*len == 0) {
		*len = 1;
		cp = (unsigned char)s[i];
	}
	return cp;
}

/* The start of the character before s[i]. */
static size_t char_before(const char *s, size_t i)
{
	size_t j = i - 1;

	while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xc0) == 0x80)
		j--;
	return j;
}

static bool is_digit_at(const char *s, size_t i, size_t n)
{
	return i < n && s[i] >= '0' && s[i] <= '9';
}

/*
 * A mark that ends a clause: ，。；：！？, a line break, and the half-width
 * , ; : ! ? unless between digits (2,440 is one number).
 */
static bool clause_mark(const char *s, size_t i, size_t n)
{
	size_t len;
	uint32_t cp = char_at(s, i, n, &len);

	switch (cp) {
	case 0xFF0C: /* ， */
	case 0x3002: /* 。 */
	case 0xFF1B: /* ； */
	case 0xFF1A: /* ： */
	case 0xFF01: /* ！ */
	case 0xFF1F: /* ？ */
	case '\n':
	case '\r':
		return true;
	case ',':
	case ';':
	case ':':
	case '!':
	case '?':
		return !(i > 0 && is_digit_at(s, i - 1, n) && is_digit_at(s, i + 1, n));
	default:
		return false;
	}
}

/* A letter or an ideograph: what makes a label more than marks and digits. */
static bool word_char(uint32_t cp)
{
	return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
	       (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static bool blank_at(const char *s, size_t i, size_t n)
{
	size_t len;
	uint32_t cp = char_at(s, i, n, &len);

	return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* Count the word characters of s[from, to). */
static size_t words(const char *s, size_t from, size_t to)
{
	size_t k = 0, len;

	for (size_t i = from; i < to; i += len)
		k += word_char(char_at(s, i, to, &len));
	return k;
}

char *tpl_figure_label(const char *text, size_t at, size_t len)
{
	size_t n = strlen(text), lo = at, hi = at + len, k;
	bool cut_lo = false, cut_hi = false;
	struct strbuf sb = STRBUF_INIT;

	if (hi > n)
		return NULL;
	/* back to the clause's start, LABEL_SIDE characters at most */
	for (k = 0; lo > 0; k++) {
		size_t prev = char_before(text, lo);

		if (clause_mark(text, prev, n))
			break;
		if (k == LABEL_SIDE) {
			cut_lo = true;
			break;
		}
		lo = prev;
	}
	/* on to its end */
	for (k = 0; hi < n; k++) {
		size_t clen;

		if (clause_mark(text, hi, n))
			break;
		if (k == LABEL_SIDE) {
			cut_hi = true;
			break;
		}
		char_at(text, hi, n, &clen);
		hi += clen;
	}
	while (lo < at && blank_at(text, lo, n))
		lo += utf8_char_len(text + lo) ? utf8_char_len(text + lo) : 1;
	while (hi > at + len && blank_at(text, char_before(text, hi), n))
		hi = char_before(text, hi);
	if (words(text, lo, at) + words(text, at + len, hi) < LABEL_WORDS)
		return NULL; /* a figure alone, or with its unit only */
	if (cut_lo)
		strbuf_addstr(&sb, "…");
	strbuf_add(&sb, text + lo, at - lo);
	strbuf_addstr(&sb, "【");
	strbuf_add(&sb, text + at, len);
	strbuf_addstr(&sb, "】");
	strbuf_add(&sb, text + at + len, hi - at - len);
	if (cut_hi)
		strbuf_addstr(&sb, "…");
	return strbuf_detach(&sb, NULL);
}
