/*
 * sample_relief.c - the relief exports (社会救助发放明细): one file per
 * district, one row per person per month paid in the report year and the
 * year before (its rows first, as an export of both years sorted by year).
 *
 * A district is first planned (households, categories, enrolment, months
 * and monthly amounts; 20 bytes a person), then written person by person.
 * The plan makes the summary's figures exact at scale 1: the number of
 * dibao persons, the new enrolments by way of enrolment, the review
 * enrolments of extreme poverty and temporary relief are counts handed out
 * per district by largest remainder; the dibao total is steered to 3.5亿 by
 * one small shift of the monthly amounts per district.
 *
 * The year before is written first but drawn from the same plan: the
 * writer walks the district's households twice, drawing the same persons
 * (ID, name, spellings) from the same random stream each time (rewound, with
 * the ID counters, between the walks).  The first walk writes the rows of
 * the year before of those enrolled before the report year, at the lower
 * standards of that year, and, in the gaps of the household numbers, the
 * households that left during it; then its temporary relief.  Those are
 * drawn from a stream of their own and take late IDs, so the report year's
 * rows are byte for byte what they would be without the year before.
 *
 * Each district's file looks like a different county's export (encoding,
 * BOM, line ends, header aliases, column order, spellings), and carries a
 * few bad rows (in the report year) that the validator must reject without
 * any figure changing.
 */
#include <stdlib.h>

#include "sample_impl.h"
#include "util/xalloc.h"

/* ------------------------------------------------------------------------- */
/* The figures of the 2021 summary, at scale 1 */

#define DIBAO_PERSONS       266812 /* 26.7万名城乡困难群众 */
#define DIBAO_NEW           5717   /* 新增城乡低保对象 */
#define DIBAO_NEW_SEVERE    1571   /* 重残重病单独纳入 */
#define DIBAO_NEW_REVIEW    802    /* "回头看"纳入低保 */
#define EXTREME_PERSONS     19863  /* 特困供养, about 2万 */
#define EXTREME_NEW_REVIEW  96     /* "回头看"纳入特困 */
#define EXTREME_NEW_REGULAR 540
#define TEMP_PERSONS        15132 /* 临时救助, about 1.5万 */
#define TEMP_NEW_REVIEW     370   /* "回头看"临时救助 */

/* 3.5亿元 paid to 266,812 persons: the dibao total aimed at, in fen. */
#define DIBAO_TOTAL_FEN 35016800000LL

/* --format xlsx: scales above this write workbooks with zip64 (sample_xlsx_spec) */
#define XLSX_ZIP64_SCALE 10.0

/*
 * The year before, at scale 1.  Its persons are those enrolled before the
 * report year (all of them paid in it, from their enrolment on), those who
 * left during it, and its own temporary relief: about 1.5% fewer persons than
 * the report year (the report year's figures leave no room for more: all
 * 280,322 enrolled before it were paid the year before), and about 5% less
 * money, the standards being lower (prev_cut).
 */
#define DIBAO_LEFT_PREV   2100  /* dibao persons who left during the year */
#define EXTREME_LEFT_PREV 310   /* extreme poverty: mostly died */
#define TEMP_PERSONS_PREV 14420 /* temporary relief */
#define TEMP_REVIEW_PREV  290   /* ... found by that year's clean-up campaign */

enum category { CAT_URBAN, CAT_RURAL, CAT_EXTREME, CAT_TEMP };
static const char *const category_names[] = {"城市低保", "农村低保", "特困供养", "临时救助"};

enum method { ENR_REGULAR, ENR_REVIEW, ENR_SEVERE };
static const char *const method_names[] = {"常规申请", "回头看排查", "重残重病单独纳入"};

/* Which part of a district's caseload a household belongs to. */
enum cohort {
	CO_OLD,        /* dibao enrolled before the report year */
	CO_NEW,        /* dibao enrolled this year by regular application */
	CO_NEW_REVIEW, /* ... found by the follow-up review */
	CO_NEW_SEVERE, /* ... severely disabled or ill, as one-person households */
	CO_EXT_OLD,    /* extreme poverty, enrolled before */
	CO_EXT_NEW,    /* ... this year, regular */
	CO_EXT_REVIEW, /* ... this year, follow-up review */
};

struct rperson {
	int32_t amount;    /* fen a month; temporary relief: the first event */
	int32_t amount2;   /* temporary relief: the second event */
	uint32_t enrolled; /* yyyymmdd */
	uint8_t cat;       /* enum category */
	uint8_t method;    /* enum method */
	uint8_t first;     /* first month paid; temporary: month of the first event */
	uint8_t last;      /* last month paid; temporary: second event, 0 = none */
	uint8_t town;      /* index into the district's streets, then towns */
};

struct plan {
	struct rperson *p; /* members of one household are contiguous */
	size_t np;
	uint64_t *hh; /* start << 3 | size, shuffled into file order */
	size_t nhh;
	size_t nmembers; /* p[0..nmembers) are in households, the rest temporary */
};

/* One district's share of each count (the summary's figures, in order). */
enum count {
	K_DIBAO,            /* dibao persons */
	K_FRESH,            /* ... of them enrolled this year */
	K_SEVERE,           /* ... ... as severely disabled or ill */
	K_REVIEW,           /* ... ... by the follow-up review */
	K_EXTREME,          /* extreme-poverty persons */
	K_EXT_REVIEW,       /* ... enrolled this year by the review */
	K_EXT_NEW,          /* ... enrolled this year otherwise */
	K_TEMP,             /* temporary-relief persons */
	K_TEMP_REVIEW,      /* ... enrolled this year by the review */
	K_LEFT,             /* the year before: dibao persons who left during it */
	K_EXT_LEFT,         /* ... extreme-poverty persons who left */
	K_TEMP_PREV,        /* ... temporary-relief persons */
	K_TEMP_PREV_REVIEW, /* ... of them found by the review */
	NCOUNTS
};

struct counts {
	long n[NCOUNTS];
};

/* ------------------------------------------------------------------------- */
/* How each district's export looks */

enum column {
	C_ID,
	C_NAME,
	C_DISTRICT,
	C_TOWN,
	C_CATEGORY,
	C_MONTH,
	C_AMOUNT,
	C_HOUSEHOLD,
	C_ENROLLED,
	C_METHOD,
	NCOLS
};

static const char *const header_canonical[NCOLS] = {
    "身份证号", "姓名",     "区县", "乡镇(街道)", "救助类别",
    "发放年月", "发放金额", "户号", "纳入日期",   "纳入方式",
};
static const char *const header_aliases[NCOLS] = {
    "身份证号码", "姓名",     "所属区县", "乡镇(街道)", "保障类别",
    "发放年月",   "金额(元)", "户号",     "纳入日期",   "纳入方式",
};
/* Full-width parentheses, as Excel users type them. */
static const char *const header_fullwidth[NCOLS] = {
    "身份证号", "姓名",     "区县", "乡镇（街道）", "救助类别",
    "发放年月", "发放金额", "户号", "纳入日期",     "纳入方式",
};

struct style {
	enum sample_encoding enc;
	int crlf;
	const char *const *header;
	const uint8_t *order; /* file position -> column */
	enum sample_month_style month;
	int month_mix; /* percent of persons whose months are spelled otherwise */
	sample_date_style date;
	int date_mix;
	enum sample_money_style money, money_alt;
	int money_alt_pct; /* percent of persons with the other amount spelling */
	int quote_pct;     /* percent of names quoted */
};

static const uint8_t order_canonical[NCOLS] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
/* household first, district late, enrolment way before its date */
static const uint8_t order_wusheng[NCOLS] = {7, 0, 1, 4, 5, 6, 2, 3, 9, 8};

/* In the order of sample_districts. */
static const struct style styles[SAMPLE_NDISTRICTS] = {
    /* 广安区: the plain reference export */
    {
	.enc = ENC_UTF8,
	.header = header_canonical,
	.order = order_canonical,
	.month = MONTH_DASH,
	.date = MONTH_DASH,
	.money = MONEY_PLAIN,
	.money_alt = MONEY_SHORT,
	.money_alt_pct = 3,
	.quote_pct = 2,
    },
    /* 前锋区: Excel's "CSV UTF-8": BOM and CRLF, 2021/1 and 2021/3/15, 234.5 */
    {
	.enc = ENC_UTF8_BOM,
	.crlf = 1,
	.header = header_canonical,
	.order = order_canonical,
	.month = MONTH_SLASH,
	.date = MONTH_SLASH,
	.money = MONEY_SHORT,
	.money_alt = MONEY_PLAIN,
    },
    /* 华蓥市: another system's header names, 202101, some "1,234.50" */
    {
	.enc = ENC_UTF8,
	.header = header_aliases,
	.order = order_canonical,
	.month = MONTH_COMPACT,
	.date = MONTH_COMPACT,
	.money = MONEY_PLAIN,
	.money_alt = MONEY_GROUPED,
	.money_alt_pct = 12,
	.quote_pct = 3,
    },
    /* 岳池县: Chinese dates, a full-width header, some 1234.50元 */
    {
	.enc = ENC_UTF8,
	.crlf = 1,
	.header = header_fullwidth,
	.order = order_canonical,
	.month = MONTH_CHINESE,
	.date = MONTH_CHINESE,
	.money = MONEY_PLAIN,
	.money_alt = MONEY_YUAN,
	.money_alt_pct = 6,
    },
    /* 武胜县: its own column order, mixed spellings, some "¥1,234.50" */
    {
	.enc = ENC_UTF8,
	.header = header_canonical,
	.order = order_wusheng,
	.month = MONTH_DASH,
	.month_mix = 30,
	.date = MONTH_DASH,
	.date_mix = 30,
	.money = MONEY_PLAIN,
	.money_alt = MONEY_YEN,
	.money_alt_pct = 5,
	.quote_pct = 2,
    },
    /* 邻水县: an older system exporting GB18030 with CRLF */
    {
	.enc = ENC_GB18030,
	.crlf = 1,
	.header = header_canonical,
	.order = order_canonical,
	.month = MONTH_DASH,
	.date = MONTH_DASH,
	.money = MONEY_PLAIN,
	.money_alt = MONEY_YEN,
	.money_alt_pct = 4,
	.quote_pct = 1,
    },
};

/*
 * The bad rows: 3 wrong check characters, 2 unknown districts, 2 broken
 * amounts, 1 month 13 (all extra temporary-relief rows of persons who exist
 * nowhere else), and 2 exact copies of a payment already in the file.
 */
enum bad_kind { BAD_CHECK, BAD_DISTRICT, BAD_AMOUNT, BAD_MONTH, BAD_DUPLICATE };

struct bad_row {
	int district;
	enum bad_kind kind;
	const char *text;
};

static const struct bad_row bad_rows[] = {
    {0, BAD_CHECK, NULL},        /* 广安区 */
    {0, BAD_DISTRICT, "广安县"}, /* the name before 1993 */
    {0, BAD_MONTH, NULL},        /* 2021-13 */
    {1, BAD_CHECK, NULL},        /* 前锋区 */
    {1, BAD_DISTRICT, "前峰区"}, /* a typing slip */
    {2, BAD_AMOUNT, "12O.00"},   /* 华蓥市: letter O for zero */
    {3, BAD_DUPLICATE, NULL},    /* 岳池县 */
    {4, BAD_AMOUNT, "abc"},      /* 武胜县 */
    {4, BAD_DUPLICATE, NULL},    /* 武胜县 */
    {5, BAD_CHECK, NULL},        /* 邻水县 */
};

/* ------------------------------------------------------------------------- */
/* Planning */

static int months_paid(const struct rperson *p)
{
	return p->last - p->first + 1;
}

/* Household sizes 1-4, as in rural Sichuan's dibao rolls. */
static size_t draw_size(struct sample_rng *r)
{
	uint32_t x = sample_below(r, 100);

	return x < 32 ? 1 : x < 65 ? 2 : x < 87 ? 3 : 4;
}

static uint8_t draw_town(struct sample_rng *r, int d, int urban)
{
	const struct sample_district *sd = &sample_districts[d];

	if (urban)
		return (uint8_t)sample_below(r, (uint32_t)sd->nstreets);
	return (uint8_t)(sd->nstreets + (int)sample_below(r, (uint32_t)sd->ntowns));
}

/* What all members of a new household share: category, town, enrolment. */
static struct rperson draw_household(struct sample_rng *r, int d, enum cohort co, int year)
{
	struct rperson h = {0};
	int urban, month;

	h.first = 1;
	h.last = 12;
	h.method = ENR_REGULAR;
	if (co >= CO_EXT_OLD) {
		h.cat = CAT_EXTREME;
		urban = sample_pct(r, 20);
	} else {
		urban = sample_pct(r, (unsigned)sample_districts[d].urban_pct);
		h.cat = urban ? CAT_URBAN : CAT_RURAL;
	}
	h.town = draw_town(r, d, urban);

	switch (co) {
	case CO_OLD:
	case CO_EXT_OLD:
		/* the 2020 clean-up campaign enrolled some by review, a few by illness */
		if (sample_pct(r, 3)) {
			h.method = ENR_REVIEW;
			h.enrolled = sample_date_in_month(r, year - 1, (int)sample_range(r, 6, 12));
		} else if (co == CO_OLD && sample_pct(r, 2)) {
			h.method = ENR_SEVERE;
			h.enrolled = sample_date_in_month(r, year - 1, (int)sample_range(r, 9, 12));
		} else {
			h.enrolled = sample_ymd(sample_day_in_years(r, year - 11, year - 1));
		}
		/* some leave during the year: income found, moved away, died */
		if (sample_pct(r, co == CO_OLD ? 12 : 5))
			h.last = (uint8_t)sample_range(r, 1, 11);
		return h;
	case CO_NEW_REVIEW:
	case CO_EXT_REVIEW:
		h.method = ENR_REVIEW;
		month = (int)sample_range(r, 2, 9);
		break;
	case CO_NEW_SEVERE:
		h.method = ENR_SEVERE;
		month = (int)sample_range(r, 4, 12);
		break;
	default:
		month = (int)sample_range(r, 1, 12);
		break;
	}
	h.enrolled = sample_date_in_month(r, year, month);
	h.first = (uint8_t)month; /* paid from the month of enrolment on */
	return h;
}

/*
 * Monthly amounts: dibao pays the gap between the standard and the
 * household's income, so amounts vary from person to person; extreme
 * poverty pays a basic amount plus a care allowance by degree of need.
 */
static int32_t draw_amount(struct sample_rng *r, int d, const struct rperson *h)
{
	int32_t basic, care;
	uint32_t x;

	switch (h->cat) {
	case CAT_URBAN:
		return (int32_t)sample_range(r, 800, 3000) * 10;
	case CAT_RURAL:
		return (int32_t)sample_range(r, 400, 1500) * 10;
	default:
		basic = h->town < sample_districts[d].nstreets ? 82000 : 68000;
		x = sample_below(r, 100);
		care = x < 70 ? 8000 : x < 90 ? 26000 : 52000;
		return basic + care;
	}
}

static void add_households(struct plan *pl, struct sample_rng *r, int d, enum cohort co, long n,
			   int year)
{
	while (n > 0) {
		struct rperson h = draw_household(r, d, co, year);
		size_t size = co == CO_NEW_SEVERE ? 1 : draw_size(r);

		/* extreme poverty: people alone, sometimes an elderly couple */
		if (co >= CO_EXT_OLD)
			size = sample_pct(r, 8) ? 2 : 1;
		if ((long)size > n)
			size = (size_t)n;
		pl->hh[pl->nhh++] = (uint64_t)pl->np << 3 | size;
		for (size_t i = 0; i < size; i++) {
			pl->p[pl->np] = h;
			pl->p[pl->np].amount = draw_amount(r, d, &h);
			pl->np++;
		}
		n -= (long)size;
	}
}

/* One temporary-relief payment: mostly a few hundred yuan, rarely thousands. */
static int32_t draw_event(struct sample_rng *r)
{
	uint32_t x = sample_below(r, 100);
	int64_t hundreds = x < 70   ? sample_range(r, 3, 15)
			   : x < 95 ? sample_range(r, 15, 30)
				    : sample_range(r, 30, 80);

	return (int32_t)(hundreds * 10000);
}

/* Temporary relief in year: one or two events, the first in the month of approval. */
static struct rperson draw_temporary(struct sample_rng *r, int d, int review, int year)
{
	struct rperson p = {0};
	int month = review ? (int)sample_range(r, 2, 9) : (int)sample_range(r, 1, 12);

	p.cat = CAT_TEMP;
	p.method = review ? ENR_REVIEW : ENR_REGULAR;
	p.town = draw_town(r, d, sample_pct(r, 30));
	p.enrolled = sample_date_in_month(r, year, month);
	p.first = (uint8_t)month;
	p.last = 0;
	if (month < 12 && sample_pct(r, 35))
		p.last = (uint8_t)sample_range(r, month + 1, 12);
	p.amount = draw_event(r);
	p.amount2 = draw_event(r);
	return p;
}

static void add_temporary(struct plan *pl, struct sample_rng *r, int d, long n, long review,
			  int year)
{
	for (long i = 0; i < n; i++)
		pl->p[pl->np++] = draw_temporary(r, d, i < review, year);
}

/*
 * A household that left during the year before the report year: enrolled
 * years earlier, paid from January to the month it left (income found,
 * moved away, died).
 */
static struct rperson draw_leaver(struct sample_rng *r, int d, int extreme, int year)
{
	struct rperson h = {0};
	int urban;

	if (extreme) {
		h.cat = CAT_EXTREME;
		urban = sample_pct(r, 20);
	} else {
		urban = sample_pct(r, (unsigned)sample_districts[d].urban_pct);
		h.cat = urban ? CAT_URBAN : CAT_RURAL;
	}
	h.town = draw_town(r, d, urban);
	h.method = ENR_REGULAR;
	h.enrolled = sample_ymd(sample_day_in_years(r, year - 12, year - 2));
	h.first = 1;
	h.last = (uint8_t)sample_range(r, 1, 12);
	return h;
}

/*
 * The standards were raised at the start of the report year: the year
 * before paid this much less a month (fen) by category, as the dibao pays
 * the gap between the standard and the household's income.
 */
static const int32_t prev_cut[] = {500, 300, 2000, 0};

static int32_t prev_amount(const struct rperson *p)
{
	int32_t a = p->amount - prev_cut[p->cat];

	return a < 2000 ? 2000 : a;
}

/*
 * Steer the district's dibao total to its share of 3.5亿: one shift of all
 * monthly amounts, a multiple of 0.10 yuan.  What remains is at most 0.05
 * yuan per person-month, far inside the rounding of "3.5亿".
 */
static void calibrate(struct plan *pl, int64_t target)
{
	int64_t total = 0, months = 0, shift;

	for (size_t i = 0; i < pl->nmembers; i++) {
		const struct rperson *p = &pl->p[i];
		if (p->cat > CAT_RURAL)
			continue;
		total += (int64_t)p->amount * months_paid(p);
		months += months_paid(p);
	}
	if (months == 0)
		return;
	shift = (target - total) / months;
	shift = (shift >= 0 ? shift + 5 : shift - 5) / 10 * 10;
	for (size_t i = 0; i < pl->nmembers; i++) {
		struct rperson *p = &pl->p[i];
		if (p->cat > CAT_RURAL)
			continue;
		p->amount += (int32_t)shift;
		if (p->amount < 2000)
			p->amount = 2000;
	}
}

static void plan_district(struct plan *pl, const struct counts *c, int d, int year,
			  struct sample_rng *r)
{
	const long *n = c->n;
	size_t cap = (size_t)(n[K_DIBAO] + n[K_EXTREME] + n[K_TEMP]) + 1;

	pl->p = xcalloc(cap, sizeof(*pl->p));
	pl->hh = xcalloc(cap, sizeof(*pl->hh));
	pl->np = pl->nhh = 0;
	add_households(pl, r, d, CO_OLD, n[K_DIBAO] - n[K_FRESH], year);
	add_households(pl, r, d, CO_NEW, n[K_FRESH] - n[K_SEVERE] - n[K_REVIEW], year);
	add_households(pl, r, d, CO_NEW_REVIEW, n[K_REVIEW], year);
	add_households(pl, r, d, CO_NEW_SEVERE, n[K_SEVERE], year);
	add_households(pl, r, d, CO_EXT_OLD, n[K_EXTREME] - n[K_EXT_REVIEW] - n[K_EXT_NEW], year);
	add_households(pl, r, d, CO_EXT_NEW, n[K_EXT_NEW], year);
	add_households(pl, r, d, CO_EXT_REVIEW, n[K_EXT_REVIEW], year);
	pl->nmembers = pl->np;
	add_temporary(pl, r, d, n[K_TEMP], n[K_TEMP_REVIEW], year);

	/* file order: households shuffled, then numbered in that order */
	for (size_t i = pl->nhh; i > 1; i--) {
		size_t j = sample_below(r, (uint32_t)i);
		uint64_t t = pl->hh[i - 1];
		pl->hh[i - 1] = pl->hh[j];
		pl->hh[j] = t;
	}
	calibrate(pl, DIBAO_TOTAL_FEN * n[K_DIBAO] / DIBAO_PERSONS);
}

static void plan_release(struct plan *pl)
{
	free(pl->p);
	free(pl->hh);
}

/* ------------------------------------------------------------------------- */
/* Writing */

/* The year a walk over the households writes. */
enum slot { PREV, CUR };

struct writer {
	struct sample_out out;    /* the CSV file; with xlsx, only its encoding (UTF-8) */
	struct sample_xlsx *xlsx; /* --format xlsx: the rows go here, as CSV lines */
	const struct style *st;
	int d, year;
	enum slot slot;
	const struct counts *n; /* the district's counts */
	struct sample_rng *r;   /* draws the persons being written: cur or &prev */
	int late;               /* their IDs come from sample_ids_take_late() */
	struct sample_rng *cur; /* the district's stream: the plan's persons */
	struct sample_rng prev; /* the year before's own persons */
	struct sample_ids *ids;
	long left[2]; /* leaving persons written: dibao, extreme poverty */
	/* encoded, per slot; [CUR][.][13] is month 13 */
	struct sample_line month[2][MONTH_STYLES][14];
	struct sample_line saved; /* the report year's first row, for the duplicates */
};

/* The fields of one row, as UTF-8 text; the month is added per row. */
struct fields {
	const char *v[NCOLS];
	size_t n[NCOLS];
	char id[19];
	char name[SAMPLE_NAME_MAX + 2];
	char household[24];
	char amount[SAMPLE_FIELD_MAX];
	char enrolled[SAMPLE_FIELD_MAX];
};

static void field(struct fields *f, enum column c, const char *s, size_t n)
{
	f->v[c] = s;
	f->n[c] = n;
}

/* Birth year by category: dibao all ages, extreme poverty mostly elderly. */
static int32_t draw_birth(struct sample_rng *r, int cat, int year)
{
	uint32_t x = sample_below(r, 100);

	switch (cat) {
	case CAT_EXTREME:
		if (x < 90)
			return sample_day_in_years(r, year - 91, year - 61);
		return sample_day_in_years(r, year - 60, year - 16);
	case CAT_TEMP:
		return sample_day_in_years(r, year - 81, year - 16);
	default:
		if (x < 20)
			return sample_day_in_years(r, year - 91, year - 71);
		if (x < 55)
			return sample_day_in_years(r, year - 70, year - 51);
		if (x < 80)
			return sample_day_in_years(r, year - 50, year - 26);
		return sample_day_in_years(r, year - 25, year - 6);
	}
}

/*
 * A new person of the district: ID, name, and the fields every row shares.
 * household is the household's number, 0 for none.
 */
static void person_fields(struct writer *w, const struct rperson *p, uint32_t household,
			  struct fields *f)
{
	const struct sample_district *sd = &sample_districts[w->d];
	const char *town =
	    p->town < sd->nstreets ? sd->streets[p->town] : sd->towns[p->town - sd->nstreets];
	int32_t birth = draw_birth(w->r, p->cat, w->year);
	int male = sample_pct(w->r, p->cat == CAT_EXTREME ? 58 : 50);
	size_t n = 0;
	sample_date_style ds = w->st->date;

	if (w->late)
		sample_ids_take_late(w->ids, w->d, &birth, male, f->id);
	else
		sample_ids_take(w->ids, w->d, &birth, male, f->id);
	if (sample_pct(w->r, (unsigned)w->st->quote_pct))
		f->name[n++] = '"';
	n += sample_name(w->r, male, (int)(sample_ymd(birth) / 10000), f->name + n);
	if (f->name[0] == '"')
		f->name[n++] = '"';

	if (household) {
		memcpy(f->household, "GA", 2);
		memcpy(f->household + 2, sd->region + 4, 2);
		f->n[C_HOUSEHOLD] = 4 + sample_put_uint(f->household + 4, household);
	} else {
		f->n[C_HOUSEHOLD] = 0;
	}
	if (sample_pct(w->r, (unsigned)w->st->date_mix))
		ds = (sample_date_style)sample_below(w->r, MONTH_STYLES);

	field(f, C_ID, f->id, 18);
	field(f, C_NAME, f->name, n);
	field(f, C_DISTRICT, sd->name, strlen(sd->name));
	field(f, C_TOWN, town, strlen(town));
	field(f, C_CATEGORY, category_names[p->cat], strlen(category_names[p->cat]));
	field(f, C_HOUSEHOLD, f->household, f->n[C_HOUSEHOLD]);
	field(f, C_ENROLLED, f->enrolled, sample_put_date(f->enrolled, p->enrolled, ds));
	field(f, C_METHOD, method_names[p->method], strlen(method_names[p->method]));
}

static void set_amount(struct writer *w, struct fields *f, int32_t fen, int alt)
{
	enum sample_money_style ms = alt ? w->st->money_alt : w->st->money;

	field(f, C_AMOUNT, f->amount, sample_put_money(f->amount, fen, ms));
}

/*
 * Render the fields around the month column: pre ends with the comma before
 * the month, post starts with the comma after it and ends the line.  Both
 * come back in the file's encoding.
 */
static void render(struct writer *w, const struct fields *f, struct sample_line *pre,
		   struct sample_line *post)
{
	struct sample_line a = {0}, b = {0};
	int after = 0, nbefore = 0;

	for (int i = 0; i < NCOLS; i++) {
		int c = w->st->order[i];
		if (c == C_MONTH) {
			after = 1;
		} else if (after) {
			sample_line_put(&b, ",", 1);
			sample_line_put(&b, f->v[c], f->n[c]);
		} else {
			if (nbefore++)
				sample_line_put(&a, ",", 1);
			sample_line_put(&a, f->v[c], f->n[c]);
		}
	}
	if (nbefore)
		sample_line_put(&a, ",", 1);
	sample_line_put(&b, w->out.eol, w->out.eollen);
	sample_out_encode(&w->out, &a, pre);
	sample_out_encode(&w->out, &b, post);
}

static void emit(struct writer *w, const struct sample_line *pre, const struct sample_line *mon,
		 const struct sample_line *post)
{
	if (w->slot == CUR && w->saved.n == 0) {
		sample_line_put(&w->saved, pre->b, pre->n);
		sample_line_put(&w->saved, mon->b, mon->n);
		sample_line_put(&w->saved, post->b, post->n);
	}
	if (w->xlsx != NULL) {
		struct sample_line l = {0};

		sample_line_put(&l, pre->b, pre->n);
		sample_line_put(&l, mon->b, mon->n);
		sample_line_put(&l, post->b, post->n);
		sample_xlsx_row(w->xlsx, l.b, l.n);
		return;
	}
	sample_out_raw(&w->out, pre->b, pre->n);
	sample_out_raw(&w->out, mon->b, mon->n);
	sample_out_raw(&w->out, post->b, post->n);
}

/*
 * p's rows of the year being written: months p->first to p->last (none when
 * last < first), at the year's amounts.  The person is drawn (ID, name,
 * spellings) whether or not it has rows, so that both walks draw alike.
 */
static void write_person(struct writer *w, const struct rperson *p, uint32_t household)
{
	struct fields f;
	struct sample_line pre, post;
	enum sample_month_style ms = w->st->month;
	const struct sample_line *mon;
	int alt;

	person_fields(w, p, household, &f);
	alt = sample_pct(w->r, (unsigned)w->st->money_alt_pct);
	if (sample_pct(w->r, (unsigned)w->st->month_mix))
		ms = (enum sample_month_style)sample_below(w->r, MONTH_STYLES);
	mon = w->month[w->slot][ms];

	if (p->cat == CAT_TEMP) {
		set_amount(w, &f, p->amount, alt);
		render(w, &f, &pre, &post);
		emit(w, &pre, &mon[p->first], &post);
		if (p->last) {
			set_amount(w, &f, p->amount2, alt);
			render(w, &f, &pre, &post);
			emit(w, &pre, &mon[p->last], &post);
		}
		return;
	}
	if (p->last < p->first)
		return;
	set_amount(w, &f, w->slot == PREV ? prev_amount(p) : p->amount, alt);
	render(w, &f, &pre, &post);
	for (int m = p->first; m <= p->last; m++)
		emit(w, &pre, &mon[m], &post);
}

/*
 * A person of the report year's plan as the year before saw them: paid all
 * year, or from the month of enrolment when that was the year before, or
 * not at all when enrolled in the report year.
 */
static struct rperson as_prev(const struct rperson *p, int year)
{
	struct rperson q = *p;
	int enrolled = (int)(p->enrolled / 10000);

	q.first = 1;
	q.last = 12;
	if (enrolled >= year)
		q.last = 0;
	else if (enrolled == year - 1)
		q.first = (uint8_t)(p->enrolled / 100 % 100);
	return q;
}

/* Draw the year before's own persons: their stream, late IDs. */
static void draw_prev(struct writer *w, int on)
{
	w->r = on ? &w->prev : w->cur;
	w->late = on;
}

/*
 * The year before: households that left during it, until `due` of its
 * leaving persons are written, numbered in the register's gap from serial
 * to next (exclusive); when next is 0, after serial with gaps of their own.
 * Dibao and extreme-poverty households come in proportion.  Returns the
 * last number used.
 */
static uint32_t write_leavers(struct writer *w, uint32_t serial, uint32_t next, long due)
{
	const long *n = w->n->n;

	draw_prev(w, 1);
	while (w->left[0] + w->left[1] < due) {
		long rest[2] = {n[K_LEFT] - w->left[0], n[K_EXT_LEFT] - w->left[1]};
		int ext = rest[1] > 0 &&
			  (rest[0] <= 0 || w->left[1] * n[K_LEFT] <= w->left[0] * n[K_EXT_LEFT]);
		struct rperson h;
		size_t size;

		if (next != 0 && serial + 1 >= next)
			break;
		serial += next != 0 ? 1 : 1 + sample_below(w->r, 3);
		h = draw_leaver(w->r, w->d, ext, w->year);
		size = ext ? (sample_pct(w->r, 8) ? 2 : 1) : draw_size(w->r);
		if ((long)size > rest[ext])
			size = (size_t)rest[ext];
		for (size_t i = 0; i < size; i++) {
			struct rperson p = h;
			p.amount = draw_amount(w->r, w->d, &h);
			write_person(w, &p, serial);
		}
		w->left[ext] += (long)size;
	}
	draw_prev(w, 0);
	return serial;
}

/* The year before's temporary relief: its own persons, as in the report year. */
static void write_prev_temporary(struct writer *w)
{
	long n = w->n->n[K_TEMP_PREV], review = w->n->n[K_TEMP_PREV_REVIEW];

	draw_prev(w, 1);
	for (long i = 0; i < n; i++) {
		struct rperson p = draw_temporary(w->r, w->d, i < review, w->year - 1);
		write_person(w, &p, 0);
	}
	draw_prev(w, 0);
}

/* An extra temporary-relief row of a person found nowhere else, spoiled. */
static void write_bad(struct writer *w, const struct bad_row *bad)
{
	struct rperson p = {0};
	struct fields f;
	struct sample_line pre, post;
	int month = (int)sample_range(w->r, 1, 12);

	if (bad->kind == BAD_DUPLICATE) {
		if (w->slot == CUR && w->xlsx != NULL)
			sample_xlsx_row(w->xlsx, w->saved.b, w->saved.n);
		else if (w->slot == CUR)
			sample_out_raw(&w->out, w->saved.b, w->saved.n);
		return;
	}
	p.cat = CAT_TEMP;
	p.method = ENR_REGULAR;
	p.town = draw_town(w->r, w->d, 0);
	p.enrolled = sample_date_in_month(w->r, w->year, month);
	person_fields(w, &p, 0, &f);
	set_amount(w, &f, (int32_t)sample_range(w->r, 3, 20) * 10000, 0);
	if (w->slot == PREV)
		return; /* drawn all the same: the walks draw alike */
	switch (bad->kind) {
	case BAD_CHECK:
		f.id[17] = f.id[17] == '7' ? '3' : '7';
		break;
	case BAD_DISTRICT:
	case BAD_AMOUNT:
		field(&f, bad->kind == BAD_DISTRICT ? C_DISTRICT : C_AMOUNT, bad->text,
		      strlen(bad->text));
		break;
	default:
		break;
	}
	/* month 13 is spelled like the file's other months */
	if (bad->kind == BAD_MONTH)
		month = 13;
	render(w, &f, &pre, &post);
	emit(w, &pre, &w->month[CUR][w->st->month][month], &post);
}

static void write_bad_rows(struct writer *w, int duplicates)
{
	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		const struct bad_row *b = &bad_rows[i];
		if (b->district != w->d || (b->kind == BAD_DUPLICATE) != duplicates)
			continue;
		/*
		 * nothing to copy yet: only when no household comes before (the
		 * year before, which saves nothing, draws as the report year)
		 */
		if (b->kind == BAD_DUPLICATE && w->slot == CUR && w->saved.n == 0)
			continue;
		write_bad(w, b);
	}
}

static void write_header(struct writer *w)
{
	struct sample_line l = {0};

	for (int i = 0; i < NCOLS; i++) {
		if (i > 0)
			sample_line_put(&l, ",", 1);
		sample_line_str(&l, w->st->header[w->st->order[i]]);
	}
	if (w->xlsx != NULL) {
		sample_xlsx_header(w->xlsx, l.b, l.n);
		return;
	}
	sample_out_text(&w->out, l.b, l.n);
	sample_out_eol(&w->out);
}

static void prepare_months(struct writer *w)
{
	for (int y = PREV; y <= CUR; y++) {
		for (int s = 0; s < MONTH_STYLES; s++) {
			for (int m = 1; m <= 13; m++) {
				struct sample_line l = {0};
				l.n = sample_put_month(l.b, w->year - 1 + y, m,
						       (enum sample_month_style)s);
				sample_out_encode(&w->out, &l, &w->month[y][s][m]);
			}
		}
	}
}

/*
 * One walk over the district's households in file order, writing the rows
 * of one year.  Both walks make the same draws from w->cur, which the
 * caller rewinds in between; the year before's own persons come from
 * w->prev.
 */
static void walk(struct writer *w, const struct plan *pl, enum slot slot)
{
	size_t bad_at = pl->nhh / 3, dup_at = pl->nhh / 2;
	long leaving = w->n->n[K_LEFT] + w->n->n[K_EXT_LEFT];
	/* household numbers ascend in file order, with gaps as in a live register */
	uint32_t serial = 1000000 + sample_below(w->cur, 800000);

	w->slot = slot;
	for (size_t h = 0; h < pl->nhh; h++) {
		size_t start = (size_t)(pl->hh[h] >> 3), size = (size_t)(pl->hh[h] & 7);
		uint32_t next = serial + 1 + sample_below(w->cur, 3);

		/* the gaps: numbers of households that left, some the year before */
		if (slot == PREV)
			write_leavers(
			    w, serial, next,
			    (long)((int64_t)leaving * (int64_t)(h + 1) / (int64_t)pl->nhh));
		serial = next;
		for (size_t i = 0; i < size; i++) {
			struct rperson q = pl->p[start + i];
			if (slot == PREV)
				q = as_prev(&q, w->year);
			write_person(w, &q, serial);
		}
		if (h == bad_at)
			write_bad_rows(w, 0);
		if (h == dup_at)
			write_bad_rows(w, 1);
	}
	if (pl->nhh == 0)
		write_bad_rows(w, 0);
	if (slot == CUR) {
		for (size_t i = pl->nmembers; i < pl->np; i++)
			write_person(w, &pl->p[i], 0);
		return;
	}
	write_leavers(w, serial, 0, leaving);
	write_prev_temporary(w);
}

/* The file position of column c in the district's export. */
static int column_at(const struct style *st, enum column c)
{
	for (int i = 0; i < NCOLS; i++)
		if (st->order[i] == c)
			return i;
	return -1;
}

/*
 * --format xlsx: the district's workbook, its rows the CSV lines in UTF-8
 * (an Excel file has no encoding, BOM or line ends of its own).
 */
static int open_xlsx(struct sample_ctx *ctx, struct writer *w, const char *name, char *err,
		     size_t errlen)
{
	const char *district = sample_districts[w->d].name;
	char *title =
	    xasprintf("广安市%s%d—%d年社会救助发放明细表", district, ctx->year - 1, ctx->year);
	struct sample_xlsx_spec spec = {
	    .dir = ctx->out,
	    .name = name,
	    .sheet = district,
	    .title = title,
	    .year = ctx->year,
	    .money_col = column_at(w->st, C_AMOUNT),
	    .sheet_rows = ctx->sheet_rows,
	    /* about 30 MB a million rows: 4 GB is far past scale 10 */
	    .zip64 = ctx->scale > XLSX_ZIP64_SCALE,
	};

	memset(&w->out, 0, sizeof(w->out));
	w->out.cd = (iconv_t)-1;
	w->out.eol = "\n";
	w->out.eollen = 1;
	w->xlsx = sample_xlsx_open(&spec, err, errlen);
	free(title);
	return w->xlsx != NULL ? 0 : -1;
}

static int write_district(struct sample_ctx *ctx, const struct plan *pl, const struct counts *c,
			  int d, struct sample_rng *r, char *err, size_t errlen)
{
	struct writer *w = xcalloc(1, sizeof(*w));
	int xlsx = ctx->format == SAMPLE_XLSX;
	char *name = xasprintf("relief-%s.%s", sample_districts[d].name, xlsx ? "xlsx" : "csv");
	int rc;

	w->st = &styles[d];
	w->d = d;
	w->year = ctx->year;
	w->n = c;
	w->r = w->cur = r;
	sample_rng_init(&w->prev, ctx->seed, STREAM_RELIEF_PREV + (uint64_t)d);
	w->ids = &ctx->ids;
	if (xlsx)
		rc = open_xlsx(ctx, w, name, err, errlen);
	else
		rc = sample_out_open(&w->out, ctx->out, name, w->st->enc, w->st->crlf, err, errlen);
	if (rc == 0) {
		struct sample_rng at = *r;
		uint16_t *mark = sample_ids_mark(w->ids, d);

		prepare_months(w);
		write_header(w);
		walk(w, pl, PREV);
		/* the report year: the same persons again, drawn alike */
		*r = at;
		sample_ids_rewind(w->ids, d, mark);
		walk(w, pl, CUR);
		if (xlsx)
			rc = sample_xlsx_close(w->xlsx, err, errlen);
		else
			rc = sample_out_close(&w->out, err, errlen);
	}
	free(name);
	free(w);
	return rc;
}

/* ------------------------------------------------------------------------- */

/* Each district's share of every count, exact at every scale. */
static void district_counts(double scale, struct counts out[SAMPLE_NDISTRICTS])
{
	static const long base[NCOUNTS] = {
	    DIBAO_PERSONS,    DIBAO_NEW,          DIBAO_NEW_SEVERE,    DIBAO_NEW_REVIEW,
	    EXTREME_PERSONS,  EXTREME_NEW_REVIEW, EXTREME_NEW_REGULAR, TEMP_PERSONS,
	    TEMP_NEW_REVIEW,  DIBAO_LEFT_PREV,    EXTREME_LEFT_PREV,   TEMP_PERSONS_PREV,
	    TEMP_REVIEW_PREV,
	};
	int weights[SAMPLE_NDISTRICTS];
	long share[SAMPLE_NDISTRICTS];

	sample_district_weights(weights);
	for (int k = 0; k < NCOUNTS; k++) {
		sample_apportion(sample_count(scale, base[k]), weights, SAMPLE_NDISTRICTS, share);
		for (int d = 0; d < SAMPLE_NDISTRICTS; d++)
			out[d].n[k] = share[d];
	}
	/* tiny scales: never more new enrolments than persons */
	for (int d = 0; d < SAMPLE_NDISTRICTS; d++) {
		long *n = out[d].n;
		if (n[K_SEVERE] + n[K_REVIEW] > n[K_FRESH])
			n[K_FRESH] = n[K_SEVERE] + n[K_REVIEW];
		if (n[K_FRESH] > n[K_DIBAO])
			n[K_DIBAO] = n[K_FRESH];
		if (n[K_EXT_REVIEW] + n[K_EXT_NEW] > n[K_EXTREME])
			n[K_EXTREME] = n[K_EXT_REVIEW] + n[K_EXT_NEW];
		if (n[K_TEMP_REVIEW] > n[K_TEMP])
			n[K_TEMP] = n[K_TEMP_REVIEW];
		if (n[K_TEMP_PREV_REVIEW] > n[K_TEMP_PREV])
			n[K_TEMP_PREV] = n[K_TEMP_PREV_REVIEW];
	}
}

int sample_relief(struct sample_ctx *ctx, char *err, size_t errlen)
{
	struct counts counts[SAMPLE_NDISTRICTS];

	district_counts(ctx->scale, counts);
	for (int d = 0; d < SAMPLE_NDISTRICTS; d++) {
		struct sample_rng r;
		struct plan pl = {0};
		int rc;

		sample_rng_init(&r, ctx->seed, STREAM_RELIEF + (uint64_t)d);
		plan_district(&pl, &counts[d], d, ctx->year, &r);
		rc = write_district(ctx, &pl, &counts[d], d, &r, err, errlen);
		plan_release(&pl);
		if (rc != 0)
			return -1;
	}
	return 0;
}
