/*
 * value.c - parsing the text of a field into a typed value; see value.h.
 *
 * Exports from Chinese office software write numbers and dates in many
 * spellings; each parser accepts the spellings real files carry and rejects
 * everything else with a reason, never guessing.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "value.h"

static const char *const reasons[VALUE_ERROR_COUNT] = {
    [VALUE_OK] = "正常",
    [VALUE_EMPTY] = "必填项为空",
    [VALUE_ID_LENGTH] = "身份证号应为18位",
    [VALUE_ID_CHARS] = "身份证号只能由数字和末位X组成",
    [VALUE_ID_BIRTH] = "身份证号中的出生日期无效",
    [VALUE_ID_CHECK] = "身份证号校验位错误",
    [VALUE_MONEY_SYNTAX] = "金额不是有效数字（应如 1234.50）",
    [VALUE_MONEY_DECIMALS] = "金额超过两位小数",
    [VALUE_NEGATIVE] = "不能为负数",
    [VALUE_RANGE] = "数值过大，不像真实数据",
    [VALUE_MONTH_SYNTAX] = "年月格式无法识别（应如 2021-01）",
    [VALUE_MONTH_RANGE] = "年月无效（月份应为1到12）",
    [VALUE_DATE_SYNTAX] = "日期格式无法识别（应如 2021-03-15）",
    [VALUE_DATE_RANGE] = "日期不存在（该月没有这一天）",
    [VALUE_INT_SYNTAX] = "不是有效的整数",
    [VALUE_ENUM] = "不是允许的取值",
    [VALUE_ENCODING] = "含有无法识别的字符（文件编码错误）",
    [VALUE_DUPLICATE] = "重复记录（同一身份证号、类别、年月已发放）",
    [VALUE_COLUMNS] = "列数多于表头",
    [VALUE_QUOTE] = "引号使用不正确（字段内的引号应写成两个引号，或整个字段加引号）",
    [VALUE_MONTH_AMBIGUOUS] = "年月有歧义（如 2021.1 可能是被 Excel 改写的 2021.10；"
			      "请写成 2021-01 或 2021-10）",
    [VALUE_FUTURE] = "日期晚于今天",
    [VALUE_CEILING] = "金额或数量超过每行上限（见 schema.ini 的 max）",
    [VALUE_UNCLOSED_QUOTE] =
	"引号没有结束：本行的带引号字段跨到后面的行后格式不对，本行拒收，后面的行已单独读取",
    [VALUE_NUL] = "含有NUL（零）字节，文件可能已损坏",
    [VALUE_JOINED] = "文件像是两个导出文件拼接而成：本行是另一个文件的开头（表头或BOM）",
    [VALUE_YEAR_RANGE] = "年份超出范围（应在1900到2099之间）",
    [VALUE_ID_AS_NUMBER] = "身份证号被存成了数字，末几位已丢失，请在导出时把该列设为文本",
    [VALUE_FORMULA] = "单元格是公式，文件中没有保存计算结果（由程序生成、未经Excel或WPS保存）；"
		      "请在Excel或WPS中打开、保存后再运行",
    [VALUE_CELL_ERROR] = "单元格是公式的错误值",
};

const char *value_reason(enum value_error e)
{
	return e < VALUE_ERROR_COUNT ? reasons[e] : "?";
}

/*
 * Copy s into buf as ASCII, folding full-width digits and punctuation
 * (U+FF01..U+FF5E, 3 bytes each in UTF-8) and dropping spaces, so that the
 * parsers below see "１２３４．５" as "1234.5".  Other non-ASCII bytes are
 * kept as they are (they are what parsers reject or strip, e.g. 元 年 月).
 */
static size_t ascii_fold(char *buf, size_t cap, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0;

	while (i < len && o + 4 < cap) {
		unsigned cp = 0;

		if (p[i] == ' ' || p[i] == '\t') {
			i++;
			continue;
		}
		if (p[i] >= 0xE0 && p[i] <= 0xEF && i + 2 < len)
			cp =
			    ((p[i] & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
		else if (p[i] == 0xC2 && i + 1 < len)
			cp = 0x80u | (p[i + 1] & 0x3Fu);
		if (cp >= 0xFF01 && cp <= 0xFF5E) {
			buf[o++] = (char)(cp - 0xFEE0);
			i += 3;
		} else if (cp == 0xFFE5) { /* ￥ full-width yuan sign */
			buf[o++] = '$';
			i += 3;
		} else if (cp == 0x3000) { /* ideographic space */
			i += 3;
		} else if (cp == 0xA5) { /* ¥ */
			buf[o++] = '$';
			i += 2;
		} else if (cp == 0xA0) { /* no-break space from Excel */
			i += 2;
		} else {
			buf[o++] = (char)p[i++];
		}
	}
	buf[o] = '\0';
	return i < len ? cap : o; /* too long: caller rejects */
}

/*
 * Excel writes dates as "2021-03-15 00:00:00" or "2021/3/15 9:30": the time
 * of day carries nothing here.  The length of s up to the time, found before
 * spaces are folded away (they separate the day from the hour).
 */
static size_t without_time(const char *s, size_t len)
{
	const char *colon = memchr(s, ':', len);
	size_t n;

	if (colon == NULL)
		return len;
	n = (size_t)(colon - s);
	while (n > 0 && s[n - 1] >= '0' && s[n - 1] <= '9')
		n--;
	if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == 'T'))
		return n - 1;
	return len;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

char id_check_char(const char digits[17])
{
	static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char map[] = "10X98765432";
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (digits[i] - '0') * weight[i];
	return map[sum % 11];
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool real_date(int y, int m, int d)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= days[m - 1] + (m == 2 && leap(y));
}

/* Which part of a date is wrong, so that the reason names it: year, month or day. */
static enum value_error date_range(int y, int m, int d)
{
	if (y < 1900 || y > 2099)
		return VALUE_YEAR_RANGE;
	if (m < 1 || m > 12)
		return VALUE_MONTH_RANGE;
	return real_date(y, m, d) ? VALUE_OK : VALUE_DATE_RANGE;
}

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * An ID that Excel stored as a number: shown as 5.11621E+17, or written
 * out with only 15 significant digits kept (511621197806059000).  Either
 * way its last digits are gone, and no fix can bring them back.
 */
static bool scientific(const char *b, size_t n)
{
	size_t i = 0;

	if (i < n && is_digit(b[i]))
		i++;
	else
		return false;
	if (i < n && b[i] == '.')
		for (i++; i < n && is_digit(b[i]); i++)
			;
	if (i >= n || (b[i] != 'e' && b[i] != 'E'))
		return false;
	if (++i < n && b[i] == '+')
		i++;
	if (i >= n)
		return false;
	for (; i < n; i++)
		if (!is_digit(b[i]))
			return false;
	return true;
}

enum value_error parse_id(const char *s, size_t len, uint64_t *id)
{
	char buf[40], d[18];
	size_t n = ascii_fold(buf, sizeof(buf), s, len);
	uint64_t v = 0;

	if (n == 0)
		return VALUE_EMPTY;
	if (n == 15) {
		/* legacy 15-digit number: 6 region + yymmdd + 3 sequence */
		for (int i = 0; i < 15; i++)
			if (!is_digit(buf[i]))
				return VALUE_ID_CHARS;
		memcpy(d, buf, 6);
		d[6] = '1';
		d[7] = '9';
		memcpy(d + 8, buf + 6, 9);
		d[17] = id_check_char(d);
	} else if (n == 18) {
		memcpy(d, buf, 18);
		if (d[17] == 'x')
			d[17] = 'X';
		for (int i = 0; i < 17; i++)
			if (!is_digit(d[i]))
				return VALUE_ID_CHARS;
		if (!is_digit(d[17]) && d[17] != 'X')
			return VALUE_ID_CHARS;
	} else {
		return scientific(buf, n) ? VALUE_ID_AS_NUMBER : VALUE_ID_LENGTH;
	}
	if (!real_date(num(d + 6, 4), num(d + 10, 2), num(d + 12, 2)))
		return VALUE_ID_BIRTH;
	/* 15 significant digits and three zeros: a genuine ID ending so has its check right */
	if (id_check_char(d) != d[17])
		return n == 18 && memcmp(d + 15, "000", 3) == 0 ? VALUE_ID_AS_NUMBER
								: VALUE_ID_CHECK;
	for (int i = 0; i < 17; i++)
		v = v * 10 + (uint64_t)(d[i] - '0');
	*id = v;
	return VALUE_OK;
}

void id_format(uint64_t id, char buf[19])
{
	for (int i = 16; i >= 0; i--) {
		buf[i] = (char)('0' + id % 10);
		id /= 10;
	}
	buf[17] = id_check_char(buf);
	buf[18] = '\0';
}

/* Strip a known prefix/suffix in place; returns the new length. */
static size_t strip(char *buf, size_t n, const char *pre, const char *suf)
{
	size_t lp = pre ? strlen(pre) : 0, ls = suf ? strlen(suf) : 0;

	if (lp && n >= lp && memcmp(buf, pre, lp) == 0) {
		memmove(buf, buf + lp, n - lp + 1);
		n -= lp;
	}
	if (ls && n >= ls && memcmp(buf + n - ls, suf, ls) == 0) {
		n -= ls;
		buf[n] = '\0';
	}
	return n;
}

/*
 * The whole-number part buf[*i..] up to a '.' or the end, with optional
 * thousands separators: digits before a comma, at most three before the
 * first, exactly three after each ("1234,50" is a decimal comma, not a
 * separator).  Leaves *i at the '.' or the end.  Returns VALUE_OK,
 * VALUE_RANGE (more than max_digits digits) or syntax (anything else).
 */
static enum value_error grouped_digits(const char *buf, size_t n, size_t *i, int max_digits,
				       enum value_error syntax, int64_t *out)
{
	int digits = 0, group = 0;
	bool comma_seen = false;
	int64_t v = 0;

	for (; *i < n && buf[*i] != '.'; (*i)++) {
		if (buf[*i] == ',') {
			if (digits == 0 || (comma_seen ? group != 3 : group > 3))
				return syntax;
			comma_seen = true;
			group = 0;
			continue;
		}
		if (!is_digit(buf[*i]))
			return syntax;
		if (++digits > max_digits)
			return VALUE_RANGE;
		group++;
		v = v * 10 + (buf[*i] - '0');
	}
	if (digits == 0 || (comma_seen && group != 3))
		return syntax;
	*out = v;
	return VALUE_OK;
}

enum value_error parse_money(const char *s, size_t len, bool allow_negative, int64_t *fen)
{
	char buf[64];
	size_t n = ascii_fold(buf, sizeof(buf), s, len), i = 0;
	int64_t whole = 0, frac = 0;
	int decimals = 0;
	bool neg = false;
	enum value_error e;

	if (n == 0)
		return VALUE_EMPTY;
	if (n >= sizeof(buf))
		return VALUE_MONEY_SYNTAX;
	n = strip(buf, n, NULL, "元");
	if (n > 0 && buf[0] == '-') {
		neg = true;
		memmove(buf, buf + 1, n--);
	}
	n = strip(buf, n, "$", NULL);
	if (n > 0 && buf[0] == '-' && !neg) {
		neg = true; /* "¥-12.00" */
		memmove(buf, buf + 1, n--);
	}
	e = grouped_digits(buf, n, &i, 13, VALUE_MONEY_SYNTAX, &whole);
	if (e != VALUE_OK)
		return e;
	if (i < n) {
		for (i++; i < n; i++) {
			if (!is_digit(buf[i]))
				return VALUE_MONEY_SYNTAX;
			if (++decimals > 2)
				return VALUE_MONEY_DECIMALS;
			frac = frac * 10 + (buf[i] - '0');
		}
		if (decimals == 1)
			frac *= 10;
	}
	*fen = whole * 100 + frac;
	if (neg) {
		if (!allow_negative && *fen != 0)
			return VALUE_NEGATIVE;
		*fen = -*fen;
	}
	return VALUE_OK;
}

enum value_error parse_integer(const char *s, size_t len, bool allow_negative, int64_t *out)
{
	char buf[48];
	size_t n = ascii_fold(buf, sizeof(buf), s, len), i = 0;
	int64_t v = 0;
	bool neg = false;
	enum value_error e;

	if (n == 0)
		return VALUE_EMPTY;
	if (n >= sizeof(buf))
		return VALUE_INT_SYNTAX;
	if (buf[0] == '-') {
		neg = true;
		i = 1;
	}
	e = grouped_digits(buf, n, &i, 15, VALUE_INT_SYNTAX, &v);
	if (e != VALUE_OK)
		return e;
	if (i < n) /* a '.' */
		return VALUE_INT_SYNTAX;
	if (neg && v != 0 && !allow_negative)
		return VALUE_NEGATIVE;
	*out = neg ? -v : v;
	return VALUE_OK;
}

/*
 * Split "2021-3-15", "2021/03", "2021年3月15日", "2021.3" into up to three
 * numbers.  Returns how many parts were found, or -1 when the text is not
 * made of digits and separators in that pattern.
 */
static int split_date(const char *buf, size_t n, int part[3], int width[3])
{
	size_t i = 0;
	int k = 0;

	while (i < n && k < 3) {
		int v = 0, w = 0;

		while (i < n && is_digit(buf[i])) {
			if (++w > 8)
				return -1;
			v = v * 10 + (buf[i++] - '0');
		}
		if (w == 0)
			return -1;
		part[k] = v;
		width[k++] = w;
		if (i == n)
			break;
		if (buf[i] == '-' || buf[i] == '/' || buf[i] == '.')
			i++;
		else if (strncmp(buf + i, "年", 3) == 0 || strncmp(buf + i, "月", 3) == 0)
			i += 3;
		else if (strncmp(buf + i, "日", 3) == 0 && i + 3 == n)
			return k;
		else
			return -1;
		if (i == n)
			return k; /* "2021年3月" ends with its separator */
	}
	return i == n ? k : -1;
}

enum value_error parse_month(const char *s, size_t len, int32_t *yyyymm)
{
	char buf[48];
	size_t n = ascii_fold(buf, sizeof(buf), s, without_time(s, len));
	int part[3], width[3], k, y, m;

	if (n == 0)
		return VALUE_EMPTY;
	if (n >= sizeof(buf))
		return VALUE_MONTH_SYNTAX;
	k = split_date(buf, n, part, width);
	if (k == 1 && width[0] == 6) { /* 202101 */
		y = part[0] / 100;
		m = part[0] % 100;
	} else if (k == 1 && width[0] == 8) { /* 20210115 */
		y = part[0] / 10000;
		m = part[0] / 100 % 100;
	} else if ((k == 2 || k == 3) && width[0] == 4 && width[1] <= 2) {
		/* buf[4] is the separator after the year: "2021.1" may be 2021.10 */
		if (k == 2 && width[1] == 1 && buf[4] == '.')
			return VALUE_MONTH_AMBIGUOUS;
		y = part[0];
		m = part[1];
		if (k == 3) {
			enum value_error e = date_range(y, m, part[2]);
			if (e != VALUE_OK)
				return e;
		}
	} else {
		return VALUE_MONTH_SYNTAX;
	}
	if (y < 1900 || y > 2099)
		return VALUE_YEAR_RANGE;
	if (m < 1 || m > 12)
		return VALUE_MONTH_RANGE;
	*yyyymm = y * 100 + m;
	return VALUE_OK;
}

enum value_error parse_date(const char *s, size_t len, int32_t *yyyymmdd)
{
	char buf[48];
	size_t n = ascii_fold(buf, sizeof(buf), s, without_time(s, len));
	int part[3], width[3], k, y, m, d;
	enum value_error e;

	if (n == 0)
		return VALUE_EMPTY;
	if (n >= sizeof(buf))
		return VALUE_DATE_SYNTAX;
	k = split_date(buf, n, part, width);
	if (k == 1 && width[0] == 8) {
		y = part[0] / 10000;
		m = part[0] / 100 % 100;
		d = part[0] % 100;
	} else if (k == 3 && width[0] == 4 && width[1] <= 2 && width[2] <= 2) {
		y = part[0];
		m = part[1];
		d = part[2];
	} else {
		return VALUE_DATE_SYNTAX;
	}
	e = date_range(y, m, d);
	if (e != VALUE_OK)
		return e;
	*yyyymmdd = y * 10000 + m * 100 + d;
	return VALUE_OK;
}

int32_t value_today(bool *from_env)
{
	const char *env = getenv("CIVREPORT_TODAY");
	int32_t d;
	time_t now;
	struct tm tm;

	*from_env = false;
	if (env != NULL && strlen(env) == 10 && env[4] == '-' && env[7] == '-' &&
	    parse_date(env, 10, &d) == VALUE_OK) {
		*from_env = true;
		return d;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	return (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}
