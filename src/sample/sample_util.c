/*
 * sample_util.c - small helpers of the sample generator: the districts and
 * their townships, exact integer splits of totals, and the spellings of
 * months, dates and amounts that real exports use.  See sample_impl.h.
 *
 * Nothing here may use floating point for money: splits and amounts are
 * integer fen, and the scale only enters through sample_count().
 */
#include <stdlib.h>

#include "sample_impl.h"
#include "util/xalloc.h"

/* ------------------------------------------------------------------------- */
/* Districts */

static const char *const ga_streets[] = {"浓洄街道", "北辰街道", "广福街道",
					 "万盛街道", "中桥街道", "枣山街道"};
static const char *const ga_towns[] = {"协兴镇", "浓溪镇", "悦来镇", "兴平镇", "井河镇", "花桥镇",
				       "龙台镇", "恒升镇", "石笋镇", "白市镇", "大安镇", "肖溪镇"};
static const char *const qf_streets[] = {"奎阁街道", "大龙街道"};
static const char *const qf_towns[] = {"龙滩镇", "桂兴镇", "观阁镇", "广兴镇",
				       "护安镇", "观塘镇", "代市镇", "虎城镇"};
static const char *const hy_streets[] = {"双河街道", "古桥街道", "华龙街道"};
static const char *const hy_towns[] = {"天池镇", "禄市镇", "永兴镇",   "明月镇", "阳和镇",
				       "高兴镇", "溪口镇", "观音溪镇", "庆华镇"};
static const char *const yc_streets[] = {"九龙街道", "朝阳街道"};
static const char *const yc_towns[] = {"白庙镇", "酉溪镇", "同兴镇", "兴隆镇", "秦溪镇", "顾县镇",
				       "苟角镇", "天平镇", "石垭镇", "坪滩镇", "罗渡镇", "中和镇",
				       "新场镇", "裕民镇", "普安镇", "乔家镇", "镇裕镇", "赛龙镇"};
static const char *const ws_streets[] = {"沿口镇", "中心镇"};
static const char *const ws_towns[] = {"烈面镇",   "飞龙镇", "乐善镇", "万善镇", "龙女镇",
				       "三溪镇",   "街子镇", "胜利镇", "华封镇", "礼安镇",
				       "宝箴塞镇", "清平镇", "猛山乡"};
static const char *const ls_streets[] = {"鼎屏镇", "城北镇", "城南镇"};
static const char *const ls_towns[] = {"柑子镇", "王家镇", "兴仁镇", "九龙镇",   "坛同镇",
				       "高滩镇", "石永镇", "丰禾镇", "袁市镇",   "合流镇",
				       "御临镇", "黎家镇", "复盛镇", "观音桥镇", "太和镇"};

#define TOWNS(s, t) s, (int)(sizeof(s) / sizeof(s[0])), t, (int)(sizeof(t) / sizeof(t[0]))

/*
 * Weights follow the districts' populations roughly; the two urban
 * districts have the larger share of urban dibao.
 */
const struct sample_district sample_districts[SAMPLE_NDISTRICTS] = {
    {"广安区", "511602", 16, 38, TOWNS(ga_streets, ga_towns)},
    {"前锋区", "511603", 9, 28, TOWNS(qf_streets, qf_towns)},
    {"华蓥市", "511681", 9, 32, TOWNS(hy_streets, hy_towns)},
    {"岳池县", "511621", 24, 20, TOWNS(yc_streets, yc_towns)},
    {"武胜县", "511622", 18, 20, TOWNS(ws_streets, ws_towns)},
    {"邻水县", "511623", 24, 20, TOWNS(ls_streets, ls_towns)},
};

void sample_district_weights(int out[SAMPLE_NDISTRICTS])
{
	for (int d = 0; d < SAMPLE_NDISTRICTS; d++)
		out[d] = sample_districts[d].weight;
}

int sample_pick_district(struct sample_rng *r)
{
	uint32_t x = sample_below(r, 100);

	for (int d = 0; d < SAMPLE_NDISTRICTS; d++) {
		if (x < (uint32_t)sample_districts[d].weight)
			return d;
		x -= (uint32_t)sample_districts[d].weight;
	}
	return SAMPLE_NDISTRICTS - 1;
}

/* ------------------------------------------------------------------------- */
/* Counts and splits */

long sample_count(double scale, long base)
{
	double v = (double)base * scale + 0.5;

	return v < 1.0 ? 0 : (long)v;
}

uint32_t sample_date_in_month(struct sample_rng *r, int y, int m)
{
	int32_t first = sample_days(y, m, 1);
	int32_t next = m == 12 ? sample_days(y + 1, 1, 1) : sample_days(y, m + 1, 1);

	return sample_ymd((int32_t)sample_range(r, first, next - 1));
}

void sample_apportion(long total, const int *weights, int n, long *out)
{
	long wsum = 0, given = 0;
	long rem[16];

	for (int i = 0; i < n; i++)
		wsum += weights[i];
	for (int i = 0; i < n; i++) {
		out[i] = total * weights[i] / wsum;
		rem[i] = total * weights[i] % wsum;
		given += out[i];
	}
	/* hand the leftover units to the largest remainders */
	while (given < total) {
		int best = 0;
		for (int i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		out[best]++;
		rem[best] = -1;
		given++;
	}
}

void sample_split(struct sample_rng *r, int64_t *out, size_t n, int64_t total, int64_t unit,
		  int64_t lo, int wlo, int whi)
{
	int64_t units, wsum = 0, given = 0;
	int64_t *w;
	size_t i;

	if (n == 0)
		return;
	units = (total - (int64_t)n * lo) / unit;
	w = xcalloc(n, sizeof(*w));
	/* fine-grained weights, so that equal draws do not give equal parts */
	for (i = 0; i < n; i++) {
		w[i] = sample_range(r, (int64_t)wlo * 1000, (int64_t)whi * 1000);
		wsum += w[i];
	}
	for (i = 0; i < n; i++) {
		int64_t u = units * w[i] / wsum;
		out[i] = lo + u * unit;
		given += u;
	}
	/* fewer than n units are left: one each, from a random start */
	for (i = sample_below(r, (uint32_t)n); given < units; i = (i + 1) % n) {
		out[i] += unit;
		given++;
	}
	free(w);
}

/* ------------------------------------------------------------------------- */
/* Spellings */

size_t sample_put_uint(char *out, uint64_t v)
{
	char tmp[24];
	size_t n = 0, len;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	len = n;
	for (size_t i = 0; i < len; i++)
		out[i] = tmp[--n];
	return len;
}

static size_t put2(char *out, int v)
{
	out[0] = (char)('0' + v / 10);
	out[1] = (char)('0' + v % 10);
	return 2;
}

static size_t put_cstr(char *out, const char *s)
{
	size_t n = strlen(s);

	memcpy(out, s, n);
	return n;
}

size_t sample_put_month(char *out, int y, int m, enum sample_month_style st)
{
	size_t n = sample_put_uint(out, (uint64_t)y);

	switch (st) {
	case MONTH_DASH:
		out[n++] = '-';
		n += put2(out + n, m);
		break;
	case MONTH_SLASH:
		out[n++] = '/';
		n += sample_put_uint(out + n, (uint64_t)m);
		break;
	case MONTH_COMPACT:
		n += put2(out + n, m);
		break;
	default:
		n += put_cstr(out + n, "年");
		n += sample_put_uint(out + n, (uint64_t)m);
		n += put_cstr(out + n, "月");
		break;
	}
	return n;
}

size_t sample_put_date(char *out, uint32_t ymd, sample_date_style st)
{
	int d = (int)(ymd % 100), m = (int)(ymd / 100 % 100);
	size_t n = sample_put_month(out, (int)(ymd / 10000), m, st);

	switch (st) {
	case MONTH_DASH:
		out[n++] = '-';
		n += put2(out + n, d);
		break;
	case MONTH_SLASH:
		out[n++] = '/';
		n += sample_put_uint(out + n, (uint64_t)d);
		break;
	case MONTH_COMPACT:
		n += put2(out + n, d);
		break;
	default:
		n += sample_put_uint(out + n, (uint64_t)d);
		n += put_cstr(out + n, "日");
		break;
	}
	return n;
}

/* Whole yuan with a comma every three digits: 1,234,567. */
static size_t put_grouped(char *out, uint64_t v)
{
	char digits[24];
	size_t nd = sample_put_uint(digits, v), n = 0;

	for (size_t i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			out[n++] = ',';
		out[n++] = digits[i];
	}
	return n;
}

size_t sample_put_money(char *out, int64_t fen, enum sample_money_style st)
{
	uint64_t a = fen < 0 ? (uint64_t)-fen : (uint64_t)fen;
	uint64_t yuan = a / 100;
	int cents = (int)(a % 100);
	size_t n = 0;

	if (st == MONEY_GROUPED || st == MONEY_YEN)
		out[n++] = '"';
	if (st == MONEY_YEN)
		n += put_cstr(out + n, "¥");
	if (fen < 0)
		out[n++] = '-';
	if (st == MONEY_GROUPED || st == MONEY_YEN)
		n += put_grouped(out + n, yuan);
	else
		n += sample_put_uint(out + n, yuan);
	if (st == MONEY_SHORT) {
		if (cents != 0) {
			out[n++] = '.';
			out[n++] = (char)('0' + cents / 10);
			if (cents % 10)
				out[n++] = (char)('0' + cents % 10);
		}
		return n;
	}
	out[n++] = '.';
	n += put2(out + n, cents);
	if (st == MONEY_GROUPED || st == MONEY_YEN)
		out[n++] = '"';
	if (st == MONEY_YUAN)
		n += put_cstr(out + n, "元");
	return n;
}
