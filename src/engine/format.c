/*
 * format.c - Chinese number formatting for reports; see format.h.
 *
 * Every formatter reduces to one operation: divide a raw value (fen or a
 * count) by a power of ten, round half away from zero to a fixed number of
 * decimals, and print the result with a prefix or suffix.  That operation is
 * done once, exactly, in 128-bit integers (fixed_div), so INT64_MIN and
 * INT64_MAX scaled by 10^18 or by 100 for a percentage cannot overflow, and
 * no floating point is involved anywhere: a bureau's totals must add up to
 * the fen and round the way an officer rounds by hand.
 *
 * Output goes through a small bounded writer (struct out) so that every
 * function either writes the whole string or reports -1 with an empty buf.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <math.h>
#include <string.h>

#include "format.h"
#include "util/text.h"

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

/* 10^18 * 2^63 still fits in 127 bits; see fixed_div. */
#define SCALED_MAX_DIGITS 18

#define WAN 10000
#define YI  100000000

/* Shown where a ratio has no base: den == 0, or no previous year. */
#define NO_VALUE "—"

#define STR_(x) #x
#define STR(x)  STR_(x)

#define DIGITS_RANGE "0 到 " STR(FORMAT_MAX_DIGITS)
#define VALID_NAMES  "万:N、亿:N、auto:N、int、thousands、元:N、pct:N、growth:N、change:N、余:N"

/* ---- exact fixed-point arithmetic ---- */

/*
 * A rounded fixed-point number: mag is the magnitude in units of
 * 10^-digits.  neg is never set for zero, so nothing prints "-0.0".
 */
struct fixed {
	u128 mag;
	bool neg;
	int digits;
};

/* |v| without overflow, also for the most negative value. */
static u128 u128_abs(i128 v)
{
	return v < 0 ? -(u128)v : (u128)v;
}

static u128 pow10u(int n)
{
	u128 p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/*
 * num/den rounded half away from zero to digits decimals.  Callers keep
 * den != 0 and |num| * 10^digits below 2^127 (at worst 2^63 * 10^18 from
 * format_scaled, 2^64 * 100 * 10^6 from format_growth), so nothing wraps.
 */
static struct fixed fixed_div(i128 num, i128 den, int digits)
{
	u128 n = u128_abs(num) * pow10u(digits);
	u128 d = u128_abs(den);
	u128 q = n / d;
	u128 r = n % d;
	struct fixed f;

	/* r >= d/2 without computing 2*r; works for odd d too. */
	if (r >= d - r)
		q++;
	f.mag = q;
	f.neg = q != 0 && ((num < 0) != (den < 0));
	f.digits = digits;
	return f;
}

/* ---- bounded output ---- */

struct out {
	char *buf;
	size_t len;
	size_t pos;
	bool full;
};

static struct out out_init(char *buf, size_t len)
{
	struct out o = {.buf = buf, .len = len, .pos = 0, .full = false};

	if (len > 0)
		buf[0] = '\0';
	return o;
}

static void out_mem(struct out *o, const char *s, size_t n)
{
	if (o->full || o->pos + n >= o->len) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->pos, s, n);
	o->pos += n;
	o->buf[o->pos] = '\0';
}

static void out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

/* The length written, or -1 (and an empty buf) when it did not fit. */
static int out_finish(struct out *o)
{
	if (o->full) {
		if (o->len > 0)
			o->buf[0] = '\0';
		return -1;
	}
	return (int)o->pos;
}

/*
 * Decimal digits of v, at least width of them (zero padded), into tmp;
 * returns where they start.  40 digits hold any u128.
 */
static const char *u128_digits(char tmp[48], u128 v, int width)
{
	char *p = tmp + 47;

	*p = '\0';
	do {
		*--p = (char)('0' + (int)(v % 10));
		v /= 10;
		width--;
	} while (v != 0 || width > 0);
	return p;
}

static void out_u128(struct out *o, u128 v)
{
	char tmp[48];

	out_str(o, u128_digits(tmp, v, 1));
}

/* v with a comma every three digits from the right: 1,234,567. */
static void out_grouped(struct out *o, u128 v)
{
	char tmp[48];
	const char *d = u128_digits(tmp, v, 1);
	size_t n = strlen(d);

	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out_mem(o, ",", 1);
		out_mem(o, d + i, 1);
	}
}

/* The magnitude of f, no sign: "3.5", "0.00", "9859". */
static void out_magnitude(struct out *o, struct fixed f)
{
	u128 scale = pow10u(f.digits);
	char tmp[48];

	out_u128(o, f.mag / scale);
	if (f.digits > 0) {
		out_mem(o, ".", 1);
		out_str(o, u128_digits(tmp, f.mag % scale, f.digits));
	}
}

static void out_fixed(struct out *o, struct fixed f)
{
	if (f.neg)
		out_mem(o, "-", 1);
	out_magnitude(o, f);
}

/* ---- the formatters ---- */

/* Raw units per display unit: money is shown in yuan, counts as they are. */
static i128 unit_base(enum unit unit)
{
	return unit == UNIT_FEN ? 100 : 1;
}

static bool digits_ok(int digits, int max)
{
	return digits >= 0 && digits <= max;
}

static void out_scaled(struct out *o, int64_t value, i128 divisor, int digits, const char *suffix)
{
	out_fixed(o, fixed_div(value, divisor, digits));
	out_str(o, suffix);
}

/*
 * 亿 from 1亿 up, 万 from 1万 up, else the plain figure: a count as an
 * integer, money in yuan with the requested decimals.  The choice is made on
 * the raw magnitude, so 9999.96 yuan at auto:1 reads "10000.0", not "1.0万".
 */
static void out_auto(struct out *o, int64_t value, enum unit unit, int digits)
{
	i128 base = unit_base(unit);
	u128 mag = u128_abs(value);

	if (mag >= (u128)(base * YI))
		out_scaled(o, value, base * YI, digits, "亿");
	else if (mag >= (u128)(base * WAN))
		out_scaled(o, value, base * WAN, digits, "万");
	else if (unit == UNIT_FEN)
		out_scaled(o, value, base, digits, "");
	else
		out_scaled(o, value, base, 0, "");
}

static void out_thousands(struct out *o, int64_t value, enum unit unit)
{
	struct fixed f = fixed_div(value, unit_base(unit), 0);

	if (f.neg)
		out_mem(o, "-", 1);
	out_grouped(o, f.mag);
}

/*
 * 余:N - "900余人".  The whole units are cut toward zero to a multiple of
 * 10^N; 余 is added only when something was cut, because "900余人" for
 * exactly 900 people would be wrong in a report.  A figure below 10^N
 * would cut to 0, so it is given in whole units instead (36 at 余:2 is
 * "36", 36.50 yuan is "36余").
 */
static void out_about(struct out *o, int64_t value, enum unit unit, int digits)
{
	u128 base = (u128)unit_base(unit);
	u128 mag = u128_abs(value);
	u128 step = base * pow10u(digits);
	u128 kept;

	if (mag < step)
		step = base;
	kept = mag / step * step;
	if (value < 0 && kept != 0)
		out_mem(o, "-", 1);
	out_u128(o, kept / base);
	if (kept != mag)
		out_str(o, "余");
}

int format_value(char *buf, size_t len, const struct format_spec *spec, int64_t value,
		 enum unit unit)
{
	struct out o = out_init(buf, len);
	i128 base = unit_base(unit);

	if (spec == NULL || !digits_ok(spec->digits, FORMAT_MAX_DIGITS))
		return -1;
	switch (spec->kind) {
	case FMT_WAN:
		out_scaled(&o, value, base * WAN, spec->digits, "万");
		break;
	case FMT_YI:
		out_scaled(&o, value, base * YI, spec->digits, "亿");
		break;
	case FMT_AUTO:
		out_auto(&o, value, unit, spec->digits);
		break;
	case FMT_INT:
		out_scaled(&o, value, base, 0, "");
		break;
	case FMT_THOUSANDS:
		out_thousands(&o, value, unit);
		break;
	case FMT_YUAN:
		out_scaled(&o, value, base, spec->digits, "");
		break;
	case FMT_ABOUT:
		out_about(&o, value, unit, spec->digits);
		break;
	case FMT_PCT:
	case FMT_GROWTH:
	case FMT_CHANGE:
	default:
		/* two-value formatters: format_percent, format_growth, format_change */
		return -1;
	}
	return out_finish(&o);
}

int format_percent(char *buf, size_t len, int64_t num, int64_t den, int digits)
{
	struct out o = out_init(buf, len);

	if (!digits_ok(digits, FORMAT_MAX_DIGITS))
		return -1;
	if (den == 0) {
		out_str(&o, NO_VALUE);
		return out_finish(&o);
	}
	out_fixed(&o, fixed_div((i128)num * 100, den, digits));
	out_str(&o, "%");
	return out_finish(&o);
}

/*
 * The change is taken against |prev|, so a rise from -100 to -50 reads as
 * 增长50.0%: the words follow the direction of the figure.
 */
int format_growth(char *buf, size_t len, int64_t cur, int64_t prev, int digits)
{
	struct out o = out_init(buf, len);
	struct fixed f;

	if (!digits_ok(digits, FORMAT_MAX_DIGITS))
		return -1;
	if (prev == 0) {
		out_str(&o, NO_VALUE);
		return out_finish(&o);
	}
	f = fixed_div(((i128)cur - prev) * 100, (i128)u128_abs(prev), digits);
	if (f.mag == 0) {
		out_str(&o, "持平");
	} else {
		out_str(&o, f.neg ? "下降" : "增长");
		out_magnitude(&o, f);
		out_str(&o, "%");
	}
	return out_finish(&o);
}

int format_change(char *buf, size_t len, int64_t cur, int64_t prev, enum unit unit, int digits)
{
	struct format_spec spec = {.kind = FMT_AUTO, .digits = digits};
	struct out o = out_init(buf, len);
	char num[64];
	int64_t diff;

	if (!digits_ok(digits, FORMAT_MAX_DIGITS))
		return -1;
	if (__builtin_sub_overflow(cur, prev, &diff) || diff == INT64_MIN) {
		out_str(&o, NO_VALUE);
		return out_finish(&o);
	}
	if (format_value(num, sizeof(num), &spec, diff < 0 ? -diff : diff, unit) < 0)
		return -1;
	/* "持平" when what a reader would see is nothing: 0.0万 is no change */
	if (strspn(num, "0.") == strcspn(num, "万亿")) {
		out_str(&o, "持平");
	} else {
		out_str(&o, diff < 0 ? "减少" : "增加");
		out_str(&o, num);
	}
	return out_finish(&o);
}

int format_scaled(char *buf, size_t len, int64_t value, int64_t divisor, int digits)
{
	return format_decimal(buf, len, value, divisor, digits, false);
}

int format_decimal(char *buf, size_t len, int64_t value, int64_t divisor, int digits, bool group)
{
	struct out o = out_init(buf, len);
	struct fixed f;
	u128 scale;
	char tmp[48];

	if (divisor == 0 || !digits_ok(digits, SCALED_MAX_DIGITS))
		return -1;
	f = fixed_div(value, divisor, digits);
	if (!group) {
		out_fixed(&o, f);
		return out_finish(&o);
	}
	scale = pow10u(digits);
	if (f.neg)
		out_mem(&o, "-", 1);
	out_grouped(&o, f.mag / scale);
	if (digits > 0) {
		out_mem(&o, ".", 1);
		out_str(&o, u128_digits(tmp, f.mag % scale, digits));
	}
	return out_finish(&o);
}

int format_share(char *buf, size_t len, int64_t part, int64_t total)
{
	struct out o = out_init(buf, len);

	if (total <= 0 || part < 0)
		return format_percent(buf, len, part, total, 1);
	if (part > 0 && fixed_div((i128)part * 100, total, 1).mag == 0) {
		out_str(&o, "<0.1%");
		return out_finish(&o);
	}
	return format_percent(buf, len, part, total, 1);
}

int format_exact(char *buf, size_t len, int64_t value, enum unit unit, bool group)
{
	return format_decimal(buf, len, value, unit == UNIT_FEN ? 100 : 1, unit == UNIT_FEN ? 2 : 0,
			      group);
}

int format_tick(char *buf, size_t len, double value, int digits, bool group)
{
	struct out o = out_init(buf, len);
	char plain[400];
	const char *p = plain;
	size_t nd = 0;

	if (!digits_ok(digits, FORMAT_MAX_DIGITS) || !isfinite(value))
		return -1;
	/* "C" formatting: civreport never calls setlocale, so the point is "." */
	snprintf(plain, sizeof(plain), "%.*f", digits, value);
	if (*p == '-')
		out_mem(&o, p++, 1);
	while (p[nd] >= '0' && p[nd] <= '9')
		nd++;
	for (size_t d = 0; d < nd; d++) {
		if (group && d > 0 && (nd - d) % 3 == 0)
			out_mem(&o, ",", 1);
		out_mem(&o, p + d, 1);
	}
	out_str(&o, p + nd);
	return out_finish(&o);
}

const char *format_default_name(enum unit unit)
{
	return unit == UNIT_FEN ? "万:2" : "int";
}

/* ---- parsing "万:1" ---- */

struct name {
	const char *name;
	enum format_kind kind;
	int default_digits;
	bool takes_digits;
};

static const struct name names[] = {
    {"万", FMT_WAN, 1, true},
    {"wan", FMT_WAN, 1, true},
    {"亿", FMT_YI, 1, true},
    {"yi", FMT_YI, 1, true},
    {"auto", FMT_AUTO, 1, true},
    {"int", FMT_INT, 0, false},
    {"thousands", FMT_THOUSANDS, 0, false},
    {"元", FMT_YUAN, 2, true},
    {"yuan", FMT_YUAN, 2, true},
    {"pct", FMT_PCT, 1, true},
    {"growth", FMT_GROWTH, 1, true},
    {"增长", FMT_GROWTH, 1, true},
    {"change", FMT_CHANGE, 1, true},
    {"增减", FMT_CHANGE, 1, true},
    {"余", FMT_ABOUT, 2, true},
    {"about", FMT_ABOUT, 2, true},
};

/* A span of the input text: [s, e). */
struct span {
	const char *s;
	const char *e;
};

#define IDEO_SPACE "\xe3\x80\x80" /* U+3000, the full-width space */
#define FULL_COLON "\xef\xbc\x9a" /* U+FF1A, the full-width colon */
#define UTF8_3_LEN 3

static bool starts_with(struct span t, const char *p)
{
	size_t n = strlen(p);

	return (size_t)(t.e - t.s) >= n && memcmp(t.s, p, n) == 0;
}

static bool ends_with(struct span t, const char *p)
{
	size_t n = strlen(p);

	return (size_t)(t.e - t.s) >= n && memcmp(t.e - n, p, n) == 0;
}

/* Officers type full-width spaces from a Chinese IME, so trim those too. */
static struct span trim(struct span t)
{
	for (;;) {
		if (t.s < t.e && (*t.s == ' ' || *t.s == '\t'))
			t.s++;
		else if (starts_with(t, IDEO_SPACE))
			t.s += UTF8_3_LEN;
		else
			break;
	}
	for (;;) {
		if (t.s < t.e && (t.e[-1] == ' ' || t.e[-1] == '\t'))
			t.e--;
		else if (ends_with(t, IDEO_SPACE))
			t.e -= UTF8_3_LEN;
		else
			break;
	}
	return t;
}

static int span_len(struct span t)
{
	return (int)(t.e - t.s);
}

/* ASCII names match in any case ("WAN"); UTF-8 bytes are compared as is. */
static bool span_is(struct span t, const char *name)
{
	size_t n = strlen(name);

	if ((size_t)(t.e - t.s) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char a = (unsigned char)t.s[i];
		unsigned char b = (unsigned char)name[i];

		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

static const struct name *find_name(struct span t)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (span_is(t, names[i].name))
			return &names[i];
	return NULL;
}

/* The digit count after the colon: 0..FORMAT_MAX_DIGITS, else -1. */
static int parse_digits(struct span t)
{
	int n = 0;

	if (t.s == t.e)
		return -1;
	for (const char *p = t.s; p < t.e; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (*p - '0');
		if (n > FORMAT_MAX_DIGITS)
			return -1;
	}
	return n;
}

/*
 * Split "name:digits" at the first ASCII or full-width colon.  Returns
 * whether there was a colon.
 */
static bool split_colon(struct span t, struct span *name, struct span *digits)
{
	for (const char *p = t.s; p < t.e; p++) {
		struct span rest = {p, t.e};
		size_t n = 0;

		if (*p == ':')
			n = 1;
		else if (starts_with(rest, FULL_COLON))
			n = UTF8_3_LEN;
		if (n > 0) {
			*name = trim((struct span){t.s, p});
			*digits = trim((struct span){p + n, t.e});
			return true;
		}
	}
	*name = t;
	return false;
}

/* Fill err (if given) and fail; the messages quote the officer's text. */
__attribute__((format(printf, 3, 4))) static int parse_error(char *err, size_t errlen,
							     const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	utf8_trim_tail(err);
	return -1;
}

int format_parse(struct format_spec *spec, const char *text, char *err, size_t errlen)
{
	struct span all, name, digits = {"", ""};
	const struct name *n;
	bool has_digits;
	int d;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (text == NULL)
		text = "";
	all = trim((struct span){text, text + strlen(text)});
	has_digits = split_colon(all, &name, &digits);

	n = find_name(name);
	if (n == NULL)
		return parse_error(err, errlen, "未知的格式“%.*s”，可用：" VALID_NAMES,
				   span_len(all), all.s);
	if (!has_digits) {
		d = n->default_digits;
	} else if (!n->takes_digits) {
		return parse_error(err, errlen, "格式“%.*s”不接受小数位数，可用：" VALID_NAMES,
				   span_len(all), all.s);
	} else {
		d = parse_digits(digits);
		if (d < 0)
			return parse_error(err, errlen,
					   "格式“%.*s”的小数位数“%.*s”无效，须为 " DIGITS_RANGE
					   " 的整数",
					   span_len(all), all.s, span_len(digits), digits.s);
	}
	spec->kind = n->kind;
	spec->digits = d;
	return 0;
}

void format_period_name(const struct period *p, char *buf, size_t len)
{
	static const char *const quarter[] = {"一", "二", "三", "四"};
	int y, m, y1, m1;

	period_first_month(p, &y, &m);
	period_last_month(p, &y1, &m1);
	switch (period_kind(p)) {
	case PERIOD_YEAR:
		snprintf(buf, len, "%d年", y);
		break;
	case PERIOD_HALF:
		snprintf(buf, len, "%d年%s半年", y, m == 1 ? "上" : "下");
		break;
	case PERIOD_QUARTER:
		snprintf(buf, len, "%d年第%s季度", y, quarter[(m - 1) / 3]);
		break;
	case PERIOD_MONTH:
		snprintf(buf, len, "%d年%d月", y, m);
		break;
	case PERIOD_RANGE:
		if (y == y1)
			snprintf(buf, len, "%d年%d—%d月", y, m, m1);
		else
			snprintf(buf, len, "%d年%d月—%d年%d月", y, m, y1, m1);
		break;
	}
}
