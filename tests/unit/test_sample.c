/*
 * test_sample.c - unit tests of the sample generator: IDs that the validator
 * accepts, unique IDs (late ones too), the spellings of amounts, months and dates, exact
 * splits, and whole generations at scale 0.01 (every file present, no temporary file
 * left, valid IDs but for the planted bad ones, the same bytes for the same
 * seed and other bytes for another seed); with --format xlsx, the workbooks
 * split into sheets at a small sheet_rows, read back by
 * tests/e2e/check_sample_xlsx.py (openpyxl) against the CSV sample.
 *
 * The figures at scale 1 are checked by tests/e2e/check_sample.py.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ingest/value.h"
#include "sample/sample.h"
#include "sample/sample_impl.h"
#include "util/xalloc.h"

static const char *const expected_files[] = {
    "relief-广安区.csv", "relief-前锋区.csv", "relief-华蓥市.csv",
    "relief-岳池县.csv", "relief-武胜县.csv", "relief-邻水县.csv",
    "children.csv",      "elderly.csv",       "charity.csv",
};
#define NFILES (sizeof(expected_files) / sizeof(expected_files[0]))

/* ------------------------------------------------------------------------- */
/* helpers */

static char *make_tmpdir(void)
{
	char *dir = xstrdup("/tmp/civreport-sample-XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

/* The generator writes a flat folder: remove its files, then it. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char *p;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

static char *read_file(const char *dir, const char *name, size_t *len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	free(path);
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void generate_as(const char *dir, double scale, uint64_t seed, enum sample_format format,
			long sheet_rows)
{
	struct sample_options opt = {2021, dir, scale, seed, format, sheet_rows};
	char err[256] = "";

	if (sample_generate(&opt, err, sizeof(err)) != 0)
		fail_msg("sample_generate: %s", err);
}

static void generate(const char *dir, double scale, uint64_t seed)
{
	generate_as(dir, scale, seed, SAMPLE_CSV, 0);
}

/* The files in dir whose names start with a dot (temporary files left behind). */
static int hidden_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 &&
		     strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* The checker script: relative to the repository root, or from this file's place. */
static const char *xlsx_checker(void)
{
	static char path[4096];
	const char *slash = strrchr(__FILE__, '/');

	if (access("tests/e2e/check_sample_xlsx.py", R_OK) == 0 || slash == NULL)
		return "tests/e2e/check_sample_xlsx.py";
	snprintf(path, sizeof(path), "%.*s/../e2e/check_sample_xlsx.py", (int)(slash - __FILE__),
		 __FILE__);
	return path;
}

/* Valid as the report's validator sees it: the generator writes for it. */
static int id_valid(const char *s, size_t n)
{
	uint64_t id;

	return n == 18 && parse_id(s, n, &id) == VALUE_OK;
}

/*
 * Count the data rows of a CSV whose first field (the ID in these files) is
 * a valid ID, and those whose is not.
 */
static void count_ids(const char *buf, size_t len, int *good, int *bad)
{
	const char *p = strchr(buf, '\n') + 1, *end = buf + len;

	*good = *bad = 0;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		assert_non_null(comma);
		assert_non_null(nl);
		if (id_valid(p, (size_t)(comma - p)))
			++*good;
		else
			++*bad;
		p = nl + 1;
	}
}

/* ------------------------------------------------------------------------- */
/* tests */

/*
 * The generator's IDs carry the check character ingest computes: parse_id
 * accepts each, id_format gives it back byte for byte, and any other check
 * character is refused as VALUE_ID_CHECK.
 */
static void test_ids_agree_with_validator(void **state)
{
	struct sample_ids ids;

	(void)state;
	sample_ids_init(&ids, 2021, 7);
	for (int i = 0; i < 400; i++) {
		int32_t birth = sample_days(1930 + i % 90, i % 12 + 1, i % 28 + 1);
		char id[19], back[19];
		uint64_t v = 0;

		sample_ids_take(&ids, i % SAMPLE_NDISTRICTS, &birth, i % 2, id);
		assert_int_equal(parse_id(id, 18, &v), VALUE_OK);
		id_format(v, back);
		assert_string_equal(back, id);
		for (const char *c = "0123456789X"; *c; c++) {
			if (*c == id[17])
				continue;
			back[17] = *c;
			/* ...000 with a wrong check is how Excel leaves an ID (value.c) */
			assert_int_equal(parse_id(back, 18, &v), strcmp(back + 15, "000") == 0
								     ? VALUE_ID_AS_NUMBER
								     : VALUE_ID_CHECK);
		}
	}
	sample_ids_release(&ids);
}

static void test_ids_unique(void **state)
{
	struct sample_ids ids;
	enum { N = 1500 };
	char(*seen)[19] = xcalloc(N, sizeof(*seen));

	(void)state;
	sample_ids_init(&ids, 2021, 99);
	/* far more people born on one day than it has sequences: spills over */
	for (int i = 0; i < N; i++) {
		int32_t birth = sample_days(1950, 6, 1);
		int male = i % 2;
		sample_ids_take(&ids, 2, &birth, male, seen[i]);
		assert_true(id_valid(seen[i], strlen(seen[i])));
		assert_memory_equal(seen[i], "511681", 6);
		assert_int_equal((seen[i][16] - '0') % 2, male);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(seen[i], seen[j]);
	}
	sample_ids_release(&ids);
	free(seen);
}

/*
 * IDs taken late (the relief of the year before, drawn between the persons
 * of the report year) never take one that sample_ids_take() hands out, and
 * leave its sequence as it would be without them; mark and rewind hand out
 * the same IDs again, and never a late one.
 */
static void test_ids_late(void **state)
{
	struct sample_ids ids;
	enum { N = 700 }; /* more than a day holds either way: both spill over */
	char(*early)[19] = xcalloc(N, sizeof(*early));
	char(*again)[19] = xcalloc(N, sizeof(*again));
	char(*late)[19] = xcalloc(N, sizeof(*late));
	char alone[19];
	uint16_t *mark;

	(void)state;
	sample_ids_init(&ids, 2021, 5);
	mark = sample_ids_mark(&ids, 4);
	for (int i = 0; i < N; i++) {
		int32_t b1 = sample_days(1960, 3, 1), b2 = b1;
		sample_ids_take(&ids, 4, &b1, i % 2, early[i]);
		sample_ids_take_late(&ids, 4, &b2, i % 2, late[i]);
		assert_true(id_valid(late[i], 18));
		assert_int_equal((late[i][16] - '0') % 2, i % 2);
	}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			assert_string_not_equal(early[i], late[j]);
	sample_ids_rewind(&ids, 4, mark);
	for (int i = 0; i < N; i++) {
		int32_t b = sample_days(1960, 3, 1);
		sample_ids_take(&ids, 4, &b, i % 2, again[i]);
		assert_string_equal(again[i], early[i]);
	}
	sample_ids_release(&ids);

	/* without the late ones, the same early IDs */
	sample_ids_init(&ids, 2021, 5);
	for (int i = 0; i < N; i++) {
		int32_t b = sample_days(1960, 3, 1);
		sample_ids_take(&ids, 4, &b, i % 2, alone);
		assert_string_equal(alone, early[i]);
	}
	sample_ids_release(&ids);
	free(early);
	free(again);
	free(late);
}

static void test_spellings(void **state)
{
	char b[SAMPLE_FIELD_MAX];

	(void)state;
#define MONEY(fen, st, want)                                                                       \
	do {                                                                                       \
		size_t n = sample_put_money(b, fen, st);                                           \
		b[n] = '\0';                                                                       \
		assert_string_equal(b, want);                                                      \
	} while (0)
	MONEY(123450, MONEY_PLAIN, "1234.50");
	MONEY(123450, MONEY_SHORT, "1234.5");
	MONEY(100000, MONEY_SHORT, "1000");
	MONEY(123456, MONEY_SHORT, "1234.56");
	MONEY(123450, MONEY_GROUPED, "\"1,234.50\"");
	MONEY(123456789, MONEY_YEN, "\"¥1,234,567.89\"");
	MONEY(5, MONEY_YUAN, "0.05元");
	MONEY(-200000, MONEY_PLAIN, "-2000.00");
#undef MONEY
	b[sample_put_month(b, 2021, 1, MONTH_DASH)] = '\0';
	assert_string_equal(b, "2021-01");
	b[sample_put_month(b, 2021, 1, MONTH_SLASH)] = '\0';
	assert_string_equal(b, "2021/1");
	b[sample_put_month(b, 2021, 1, MONTH_COMPACT)] = '\0';
	assert_string_equal(b, "202101");
	b[sample_put_month(b, 2021, 12, MONTH_CHINESE)] = '\0';
	assert_string_equal(b, "2021年12月");
	b[sample_put_date(b, 20210315, MONTH_DASH)] = '\0';
	assert_string_equal(b, "2021-03-15");
	b[sample_put_date(b, 20210315, MONTH_SLASH)] = '\0';
	assert_string_equal(b, "2021/3/15");
	b[sample_put_date(b, 20210315, MONTH_COMPACT)] = '\0';
	assert_string_equal(b, "20210315");
	b[sample_put_date(b, 20210315, MONTH_CHINESE)] = '\0';
	assert_string_equal(b, "2021年3月15日");
}

static void test_calendar(void **state)
{
	(void)state;
	assert_int_equal(sample_days(1970, 1, 1), 0);
	assert_int_equal(sample_ymd(sample_days(2020, 2, 29)), 20200229);
	assert_int_equal(sample_ymd(sample_days(2021, 3, 1) - 1), 20210228);
	assert_int_equal(sample_ymd(sample_days(1930, 1, 1)), 19300101);
}

static void test_split_exact(void **state)
{
	struct sample_rng r;
	int64_t parts[24], sum = 0;
	long shares[SAMPLE_NDISTRICTS], total = 0;
	int weights[SAMPLE_NDISTRICTS];

	(void)state;
	sample_rng_init(&r, 1, 2);
	sample_split(&r, parts, 24, 328000000, 10000, 5000000, 1, 3);
	for (int i = 0; i < 24; i++) {
		assert_true(parts[i] >= 5000000);
		assert_int_equal(parts[i] % 10000, 0);
		sum += parts[i];
	}
	assert_int_equal(sum, 328000000);

	sample_district_weights(weights);
	sample_apportion(266812, weights, SAMPLE_NDISTRICTS, shares);
	for (int d = 0; d < SAMPLE_NDISTRICTS; d++)
		total += shares[d];
	assert_int_equal(total, 266812);
}

static void test_files_present(void **state)
{
	char *dir = make_tmpdir();
	char *sub = xasprintf("%s/made/by/sample", dir);
	DIR *d;
	struct dirent *e;
	int n = 0;

	(void)state;
	generate(sub, 0.01, 7);
	for (size_t i = 0; i < NFILES; i++) {
		size_t len;
		free(read_file(sub, expected_files[i], &len));
	}
	/* nothing else: no temporary file left behind */
	d = opendir(sub);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		assert_int_not_equal(e->d_name[0], '.');
		n++;
	}
	closedir(d);
	assert_int_equal(n, 9);
	remove_dir(sub);
	free(sub);
	sub = xasprintf("%s/made/by", dir);
	rmdir(sub);
	free(sub);
	sub = xasprintf("%s/made", dir);
	rmdir(sub);
	free(sub);
	rmdir(dir);
	free(dir);
}

static void test_generated_ids(void **state)
{
	char *dir = make_tmpdir();
	char *buf;
	size_t len;
	int good, bad;

	(void)state;
	generate(dir, 0.01, 7);
	/* 广安区 carries one planted bad check character, children.csv one */
	buf = read_file(dir, "relief-广安区.csv", &len);
	count_ids(buf, len, &good, &bad);
	assert_int_equal(bad, 1);
	assert_true(good > 1000);
	free(buf);
	buf = read_file(dir, "children.csv", &len);
	count_ids(buf, len, &good, &bad);
	assert_int_equal(bad, 1);
	assert_true(good > 100);
	free(buf);
	remove_dir(dir);
	free(dir);
}

static void test_deterministic(void **state)
{
	char *a = make_tmpdir(), *b = make_tmpdir(), *c = make_tmpdir();
	int differs = 0;

	(void)state;
	generate(a, 0.01, 2021);
	generate(b, 0.01, 2021);
	generate(c, 0.01, 2022);
	for (size_t i = 0; i < NFILES; i++) {
		size_t na, nb, nc;
		char *x = read_file(a, expected_files[i], &na);
		char *y = read_file(b, expected_files[i], &nb);
		char *z = read_file(c, expected_files[i], &nc);
		assert_int_equal(na, nb);
		assert_memory_equal(x, y, na);
		differs += na != nc || memcmp(x, z, na) != 0;
		free(x);
		free(y);
		free(z);
	}
	assert_int_equal(differs, (int)NFILES);
	remove_dir(a);
	remove_dir(b);
	remove_dir(c);
	free(a);
	free(b);
	free(c);
}

/*
 * --format xlsx with sheets of at most 2,000 data rows: each district's rows
 * go on in "区县(2)", ... with the title and the header again, and all of
 * them, in order, are the CSV sample's (the checker reads them with
 * openpyxl); no temporary file is left, and another run gives the same bytes.
 */
static void test_xlsx_sheets(void **state)
{
	char *x = make_tmpdir(), *y = make_tmpdir(), *c = make_tmpdir();
	char *cmd;
	int status;

	(void)state;
	generate_as(x, 0.01, 11, SAMPLE_XLSX, 2000);
	generate_as(y, 0.01, 11, SAMPLE_XLSX, 2000);
	generate(c, 0.01, 11);
	assert_int_equal(hidden_files(x), 0);
	cmd = xasprintf("/usr/bin/python3 '%s' --sheet-rows 2000 '%s' '%s' >&2", xlsx_checker(), x,
			c);
	status = system(cmd);
	free(cmd);
	assert_int_equal(status, 0);
	for (int d = 0; d < SAMPLE_NDISTRICTS; d++) {
		char *name = xasprintf("relief-%s.xlsx", sample_districts[d].name);
		size_t na, nb;
		char *a = read_file(x, name, &na), *b = read_file(y, name, &nb);

		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
		free(a);
		free(b);
		free(name);
	}
	remove_dir(x);
	remove_dir(y);
	remove_dir(c);
	free(x);
	free(y);
	free(c);
}

/* A folder it cannot write into: an error, and nothing left. */
static void test_xlsx_unwritable(void **state)
{
	struct sample_options opt = {2021, "/proc/self", 0.01, 1, SAMPLE_XLSX, 0};
	char err[256] = "";

	(void)state;
	assert_int_equal(sample_generate(&opt, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "relief-广安区.xlsx"));
}

static void test_bad_options(void **state)
{
	struct sample_options opt = {2021, "/tmp", 0.0, 1, SAMPLE_CSV, 0};
	char err[256];

	(void)state;
	err[0] = '\0';
	assert_int_equal(sample_generate(&opt, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	opt.scale = 1.0;
	opt.year = 1999;
	err[0] = '\0';
	assert_int_equal(sample_generate(&opt, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	opt.year = 2021;
	opt.sheet_rows = -1;
	err[0] = '\0';
	assert_int_equal(sample_generate(&opt, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	opt.sheet_rows = 0;
	opt.format = (enum sample_format)7;
	err[0] = '\0';
	assert_int_equal(sample_generate(&opt, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	opt.format = SAMPLE_CSV;
	opt.out = "/proc/civreport-sample-cannot-exist";
	err[0] = '\0';
	assert_int_equal(sample_generate(&opt, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ids_agree_with_validator),
	    cmocka_unit_test(test_ids_unique),
	    cmocka_unit_test(test_ids_late),
	    cmocka_unit_test(test_spellings),
	    cmocka_unit_test(test_calendar),
	    cmocka_unit_test(test_split_exact),
	    cmocka_unit_test(test_files_present),
	    cmocka_unit_test(test_generated_ids),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_xlsx_sheets),
	    cmocka_unit_test(test_xlsx_unwritable),
	    cmocka_unit_test(test_bad_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
