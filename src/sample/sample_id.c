/*
 * sample_id.c - the people of the sample: resident ID numbers (GB
 * 11643-1999) unique across every dataset of a run, and Chinese names that
 * fit the person's sex and generation.  See sample_impl.h.
 *
 * Uniqueness is by construction, never by retrying: one counter per
 * (district, birth day, sex) hands out the sequence numbers of that day.
 * The last SEQ_LATE of each day's sequences have a counter of their own
 * (sample_ids_take_late()), so that persons drawn out of turn never shift
 * the IDs that the first counter hands out.
 */
#include <stdlib.h>

#include "sample_impl.h"
#include "ingest/value.h"
#include "util/xalloc.h"

/* Sequences per day and sex: 499 odd ones (001-997, men), 499 even (002-998). */
#define SEQ_PER_DAY 499
/*
 * Of them, the last 99 (from the day's random starting point) are kept for
 * sample_ids_take_late().  At scale 1 a day holds a handful of persons of
 * one district and sex, so the first counter never comes near its 400.
 */
#define SEQ_LATE  99
#define SEQ_EARLY (SEQ_PER_DAY - SEQ_LATE)

static size_t slot_of(const struct sample_ids *ids, int district, int32_t k, int male)
{
	return ((size_t)district * (size_t)ids->ndays + (size_t)k) * 2 + (male ? 1 : 0);
}

void sample_ids_init(struct sample_ids *ids, int year, uint64_t seed)
{
	uint64_t x = seed ^ 0x1d5a17e5ULL;

	ids->day0 = sample_days(1900, 1, 1);
	ids->ndays = sample_days(year, 12, 31) - ids->day0 + 1;
	ids->used = xcalloc((size_t)SAMPLE_NDISTRICTS * (size_t)ids->ndays * 2, sizeof(uint16_t));
	ids->late = xcalloc((size_t)SAMPLE_NDISTRICTS * (size_t)ids->ndays * 2, sizeof(uint16_t));
	ids->salt = sample_splitmix64(&x);
}

void sample_ids_release(struct sample_ids *ids)
{
	free(ids->used);
	free(ids->late);
	ids->used = NULL;
	ids->late = NULL;
}

uint16_t *sample_ids_mark(const struct sample_ids *ids, int district)
{
	size_t n = (size_t)ids->ndays * 2;
	uint16_t *mark = xmalloc(n * sizeof(*mark));

	memcpy(mark, ids->used + slot_of(ids, district, 0, 0), n * sizeof(*mark));
	return mark;
}

void sample_ids_rewind(struct sample_ids *ids, int district, uint16_t *mark)
{
	size_t n = (size_t)ids->ndays * 2;

	memcpy(ids->used + slot_of(ids, district, 0, 0), mark, n * sizeof(*mark));
	free(mark);
}

/* The day's random starting point, so that sequences look drawn, not counted. */
static unsigned day_offset(const struct sample_ids *ids, int district, int32_t k, int male)
{
	uint64_t x = ids->salt ^ ((uint64_t)district << 40) ^ ((uint64_t)k << 1) ^ (uint64_t)male;

	return (unsigned)(sample_splitmix64(&x) % SEQ_PER_DAY);
}

/*
 * The sequence for a person of district born on *birth: the next of the
 * counter counters[] (limit sequences a day, starting at start past the
 * day's offset), on the first day from *birth on that has one left.
 */
static void take(struct sample_ids *ids, uint16_t *counters, unsigned start, unsigned limit,
		 int district, int32_t *birth, int male, char out[19])
{
	int32_t k = *birth - ids->day0;
	unsigned seq;
	uint16_t *c;
	uint32_t ymd;
	size_t n;

	if (k < 0 || k >= ids->ndays)
		k = 0;
	for (;;) {
		c = &counters[slot_of(ids, district, k, male)];
		if (*c < limit)
			break;
		/* the day is full for this sex: the person is born a day later */
		k = k + 1 < ids->ndays ? k + 1 : 0;
	}
	seq = (day_offset(ids, district, k, male) + start + *c) % SEQ_PER_DAY;
	(*c)++;
	*birth = ids->day0 + k;
	seq = male ? 2 * seq + 1 : 2 * seq + 2;

	memcpy(out, sample_districts[district].region, 6);
	ymd = sample_ymd(*birth);
	n = sample_put_uint(out + 6, ymd);
	(void)n; /* always 8 digits: years 1900..2099 */
	out[14] = (char)('0' + seq / 100);
	out[15] = (char)('0' + seq / 10 % 10);
	out[16] = (char)('0' + seq % 10);
	out[17] = id_check_char(out);
	out[18] = '\0';
}

void sample_ids_take(struct sample_ids *ids, int district, int32_t *birth, int male, char out[19])
{
	take(ids, ids->used, 0, SEQ_EARLY, district, birth, male, out);
}

void sample_ids_take_late(struct sample_ids *ids, int district, int32_t *birth, int male,
			  char out[19])
{
	take(ids, ids->late, SEQ_EARLY, SEQ_LATE, district, birth, male, out);
}

/* ------------------------------------------------------------------------- */
/* Names */

/* Common surnames; the most common ones appear twice so they come up more. */
static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "周", "吴", "罗", "唐", "何", "王", "李",
    "张", "刘", "陈", "杨", "赵", "徐", "孙", "胡", "朱", "高", "林", "郭", "马", "梁",
    "宋", "郑", "谢", "韩", "冯", "董", "程", "曹", "袁", "邓", "许", "沈", "曾", "彭",
    "吕", "苏", "卢", "蒋", "蔡", "丁", "魏", "叶", "余", "潘", "杜", "夏", "钟", "汪",
    "田", "任", "姜", "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "陆", "孔", "白",
    "崔", "毛", "邱", "秦", "江", "侯", "邵", "龙", "万", "段", "雷", "汤", "尹", "黎",
    "贺", "赖", "龚", "文", "蒲", "向", "伍", "陶", "付", "敬", "税", "蒙", "舒", "代",
};

/* Given-name characters by sex and generation (born before 1975 or later). */
static const char *const male_old[] = {
    "国", "建", "明", "德", "文", "学", "忠", "福", "贵", "华", "兴", "荣", "成",
    "才", "光", "永", "发", "清", "正", "志", "军", "平", "安", "祥", "良", "富",
    "顺", "全", "海", "林", "春", "云", "昌", "开", "益", "松", "元", "仁", "树",
};
static const char *const female_old[] = {
    "秀", "英", "兰", "芳", "玉", "珍", "淑", "桂", "凤", "琼", "素", "翠", "莲",
    "群", "菊", "梅", "芬", "华", "琴", "惠", "碧", "蓉", "容", "霞", "清", "春",
    "明", "先", "仙", "德", "金", "银", "香", "月", "书", "会", "利", "彩", "莉",
};
static const char *const male_young[] = {
    "浩", "宇", "轩", "子", "豪", "博", "俊", "杰", "涛", "磊", "鑫", "晨", "宁",
    "阳", "睿", "辰", "昊", "铭", "泽", "瑞", "航", "伟", "强", "鹏", "飞", "超",
    "帆", "洋", "毅", "彬", "文", "川", "凯", "亮", "欢", "勇", "锐", "江", "峰",
};
static const char *const female_young[] = {
    "欣", "怡", "佳", "雨", "涵", "梓", "萱", "诗", "琪", "雅", "婷", "静", "悦",
    "瑶", "馨", "可", "妍", "思", "梦", "露", "娜", "丽", "倩", "雪", "晴", "月",
    "颖", "蕾", "敏", "燕", "玲", "洁", "媛", "琳", "丹", "艳", "薇", "汐", "彤",
};

#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof(a[0])))

static size_t put_pick(struct sample_rng *r, const char *const *pool, uint32_t n, char *out)
{
	const char *s = pool[sample_below(r, n)];
	size_t len = strlen(s);

	memcpy(out, s, len);
	return len;
}

size_t sample_name(struct sample_rng *r, int male, int born, char *out)
{
	const char *const *pool;
	uint32_t npool;
	size_t n;

	if (born < 1975) {
		pool = male ? male_old : female_old;
		npool = male ? COUNT(male_old) : COUNT(female_old);
	} else {
		pool = male ? male_young : female_young;
		npool = male ? COUNT(male_young) : COUNT(female_young);
	}
	n = put_pick(r, surnames, COUNT(surnames), out);
	n += put_pick(r, pool, npool, out + n);
	if (sample_pct(r, 72))
		n += put_pick(r, pool, npool, out + n);
	return n;
}

static const char *const co_place[] = {"广安", "华蓥", "岳池", "武胜", "邻水",
				       "前锋", "四川", "重庆", "渝广"};
static const char *const co_mark[] = {"恒泰", "宏达", "鑫源", "金福", "华兴", "瑞丰",
				      "天成", "永盛", "嘉禾", "蜀南", "博远", "明德",
				      "兴隆", "东升", "佳和", "川渝", "润达", "同创"};
static const char *const co_trade[] = {"建筑工程", "商贸", "农业开发", "房地产开发", "医药",
				       "物流",     "电力", "食品",     "建材",       "机械制造",
				       "实业",     "科技", "酒业",     "旅游开发"};
static const char *const co_form[] = {"有限公司", "有限公司", "有限责任公司", "股份有限公司"};
static const char *const organisations[] = {
    "广安市川渝商会", "广安市工商业联合会", "中国建设银行广安分行", "广安爱众股份有限公司",
    "广安市总工会",   "岳池县商会",         "华蓥市企业家协会",     "邻水县个体劳动者协会",
};

size_t sample_company(struct sample_rng *r, char *out)
{
	size_t n;

	if (sample_pct(r, 15))
		return put_pick(r, organisations, COUNT(organisations), out);
	n = put_pick(r, co_place, COUNT(co_place), out);
	n += put_pick(r, co_mark, COUNT(co_mark), out + n);
	n += put_pick(r, co_trade, COUNT(co_trade), out + n);
	n += put_pick(r, co_form, COUNT(co_form), out + n);
	return n;
}
