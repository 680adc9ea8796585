/*
 * test_cache.c - the parse cache (src/ingest/ingest_cache.h): its format
 * round trip and every kind of damage.
 *
 * The input is every CSV of tests/fixtures/ingest/ (one quirk each: bad
 * values, quoted line breaks, stray quotes, GB18030, BOMs, blank lines,
 * duplicates, rows of other years...) and some workbooks of
 * tests/fixtures/workbook/, in one folder, read in chunks of 64 bytes so
 * that every file has many chunks and chunks are merged.  A run writes a
 * transcript of everything ingest hands on: every row (values, texts,
 * windows, person), every reject (file, line, cell, column, reason, masked
 * row) and the result (per-file counts, encodings, hashes, warnings,
 * errors, reasons, persons, years).  The transcript of a run without the
 * cache is the reference; every run with the cache, cold, warm or after
 * damage, must give the same bytes, and says which entries came from the
 * cache (ingest_file.cached).
 *
 * Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "ingest/ingest_cache.h"
#include "ingest/ingest_chunk.h"
#include "ingest/schema.h"
#include "ingest/value.h"
#include "util/log.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static struct schema schema;
static char root[64], in[128], cache[128], logpath[160];

/* ---------------------------------------------------------- transcript */

static void on_row(void *ctx, const struct dataset *ds, const struct ingest_row *row)
{
	struct strbuf *t = ctx;

	strbuf_addf(t, "row %s %llu w%u p%u %llx:", ds->name, (unsigned long long)row->line,
		    row->windows, row->person, (unsigned long long)row->present);
	for (size_t c = 0; c < ds->ncols; c++) {
		size_t len;
		const char *s;

		if (!(row->present >> c & 1)) {
			strbuf_addstr(t, " -");
		} else if (ds->cols[c].type == COL_TEXT) {
			s = ingest_row_text(row, (int)c, &len);
			strbuf_addstr(t, " '");
			strbuf_add(t, s, len);
			strbuf_addch(t, '\'');
		} else {
			strbuf_addf(t, " %lld", (long long)row->v[c]);
		}
	}
	strbuf_addch(t, '\n');
}

static void on_reject(void *ctx, const struct ingest_reject *r)
{
	struct strbuf *t = ctx;

	strbuf_addf(t, "reject %s|%s|%s|%llu|%s|%s|%d|%s|%s\n", r->file, r->sheet ? r->sheet : "",
		    r->ds ? r->ds->name : "", (unsigned long long)r->line, r->cell, r->column,
		    (int)r->code, r->reason, r->row);
}

static void result_text(struct strbuf *t, const struct ingest_result *res)
{
	for (size_t i = 0; i < res->nfiles; i++) {
		const struct ingest_file *f = &res->files[i];

		strbuf_addf(t,
			    "file %s|%s|%d|%s|%s|%lld|%s|r%llu a%llu j%llu o%llu l%llu b%llu "
			    "s%llu|%s|%s|%s\n",
			    f->path, f->sheet ? f->sheet : "", f->hidden, f->ds ? f->ds->name : "",
			    f->encoding ? f->encoding : "", (long long)f->size, f->sha256,
			    (unsigned long long)f->read, (unsigned long long)f->accepted,
			    (unsigned long long)f->rejected, (unsigned long long)f->outside,
			    (unsigned long long)f->lines, (unsigned long long)f->blank,
			    (unsigned long long)f->spanned, f->error ? f->error : "",
			    f->warning ? f->warning : "", f->same_as ? f->same_as : "");
	}
	for (size_t i = 0; i < VALUE_ERROR_COUNT; i++)
		strbuf_addf(t, "reason %zu %llu %s\n", i, (unsigned long long)res->reasons[i],
			    res->first_at[i] ? res->first_at[i] : "");
	for (size_t s = 0; s < res->nsets; s++)
		strbuf_addf(t, "set %zu persons %zu prev %d max %d\n", s, res->persons[s],
			    res->has_prev[s], res->max_year[s]);
	for (size_t y = 0; y < INGEST_YEARS; y++)
		if (res->year_rows[y])
			strbuf_addf(t, "year %zu %llu\n", y + INGEST_YEAR_MIN,
				    (unsigned long long)res->year_rows[y]);
	strbuf_addf(t, "bytes %llu\n", (unsigned long long)res->bytes);
}

struct run {
	char *text;      /* the transcript, malloc'd */
	size_t ncached;  /* entries from the cache */
	size_t nentries; /* entries read (no error) */
	int rc;
};

static struct ingest_options options(const char *cache_dir)
{
	return (struct ingest_options){
	    .input_dir = in,
	    .period = period_year(2021),
	    .want = WINDOW_PREV | WINDOW_LAST,
	    .threads = 2,
	    .today = 20260101,
	    .cache_dir = cache_dir,
	};
}

static struct run run_with(const struct ingest_options *opt)
{
	struct strbuf t = STRBUF_INIT;
	struct ingest_sink sink = {.ctx = &t, .row = on_row, .reject = on_reject};
	struct ingest_result res;
	struct run r = {0};
	char err[1024];

	r.rc = ingest_run(&schema, opt, &sink, &res, err, sizeof(err));
	assert_true(r.rc >= 0);
	result_text(&t, &res);
	for (size_t i = 0; i < res.nfiles; i++) {
		r.ncached += res.files[i].cached;
		r.nentries += res.files[i].error == NULL && res.files[i].same_as == NULL;
	}
	ingest_result_release(&res);
	r.text = strbuf_detach(&t, NULL);
	return r;
}

static struct run run(const char *cache_dir)
{
	struct ingest_options o = options(cache_dir);

	return run_with(&o);
}

/* A run with the cache gives the reference's bytes, with ncached entries from the cache. */
#define expect_same(ref, got, ncached) expect_same_at(__LINE__, ref, got, ncached)

static void expect_same_at(int line, const struct run *ref, struct run got, size_t ncached)
{
	if (strcmp(ref->text, got.text) != 0) {
		const char *a = ref->text, *b = got.text;

		while (*a && *a == *b)
			a++, b++;
		fail_msg("line %d: transcripts differ at: %.200s\n--- want: %.200s", line, b, a);
	}
	if (got.rc != ref->rc || got.ncached != ncached)
		fail_msg("line %d: exit %d, %zu entries from the cache; want %d, %zu", line, got.rc,
			 got.ncached, ref->rc, ncached);
	free(got.text);
}

/* ------------------------------------------------------------- set-up */

static void copy_file(const char *from, const char *to)
{
	FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
	char buf[8192];
	size_t n;

	assert_non_null(a);
	assert_non_null(b);
	while ((n = fread(buf, 1, sizeof(buf), a)) > 0)
		assert_int_equal(fwrite(buf, 1, n, b), n);
	fclose(a);
	assert_int_equal(fclose(b), 0);
}

static const char *const workbooks[] = {"formulas.xlsx",    "hidden_sheet.xlsx", "relief.xls",
					"notes_sheet.xlsx", "title_row.xlsx",    "encrypted.xlsx"};

/* Every fixture CSV as <case>__<file>, and the workbooks, into in. */
static void fill_input(void)
{
	DIR *d = opendir("tests/fixtures/ingest");
	struct dirent *e;
	char from[1024], to[1024];

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		DIR *sub;
		struct dirent *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(from, sizeof(from), "tests/fixtures/ingest/%s", e->d_name);
		if ((sub = opendir(from)) == NULL)
			continue;
		while ((f = readdir(sub)) != NULL) {
			size_t n = strlen(f->d_name);

			if (n < 4 || strcmp(f->d_name + n - 4, ".csv") != 0)
				continue;
			snprintf(from, sizeof(from), "tests/fixtures/ingest/%s/%s", e->d_name,
				 f->d_name);
			snprintf(to, sizeof(to), "%s/%s__%s", in, e->d_name, f->d_name);
			copy_file(from, to);
		}
		closedir(sub);
	}
	closedir(d);
	for (size_t i = 0; i < sizeof(workbooks) / sizeof(workbooks[0]); i++) {
		snprintf(from, sizeof(from), "tests/fixtures/workbook/%s", workbooks[i]);
		snprintf(to, sizeof(to), "%s/%s", in, workbooks[i]);
		copy_file(from, to);
	}
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	chmod(path, 0700);
	return remove(path);
}

static void rm_rf(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/civreport-cache-XXXXXX");
	if (mkdtemp(root) == NULL)
		return -1;
	snprintf(in, sizeof(in), "%s/in", root);
	snprintf(cache, sizeof(cache), "%s/cache", root);
	snprintf(logpath, sizeof(logpath), "%s/log.txt", root);
	mkdir(in, 0755);
	fill_input();
	/* many chunks a file, merged ones too (a stray quote upsets a cut) */
	ingest_set_chunk_sizes(64, 0);
	cache_set_build(NULL);
	cache_set_max_bytes(0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ingest_set_chunk_sizes(0, 0);
	cache_set_build(NULL);
	cache_set_max_bytes(0);
	rm_rf(root);
	return 0;
}

/* ----------------------------------------------------- cache's files */

/* The folder of in within cache, as ingest_cache.c names it. */
static void folder_path(char *out, size_t len)
{
	char *real = realpath(in, NULL);
	struct strbuf sb = STRBUF_INIT;
	char hex[65];

	strbuf_addstr(&sb, "folder");
	strbuf_addch(&sb, '\0');
	strbuf_addstr(&sb, real);
	sha256_buffer(sb.buf, sb.len, hex);
	hex[32] = '\0';
	snprintf(out, len, "%s/%s", cache, hex);
	strbuf_release(&sb);
	free(real);
}

/* The path of rel's cache file of kind ("stat", "csv.data", "0.data"). */
static const char *entry_path(const char *rel, const char *kind)
{
	static char out[512];
	struct strbuf sb = STRBUF_INIT;
	char folder[300], hex[65];

	folder_path(folder, sizeof(folder));
	strbuf_addstr(&sb, "path");
	strbuf_addch(&sb, '\0');
	strbuf_addstr(&sb, rel);
	sha256_buffer(sb.buf, sb.len, hex);
	hex[32] = '\0';
	snprintf(out, sizeof(out), "%s/%s.%s", folder, hex, kind);
	strbuf_release(&sb);
	return out;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;

	assert_non_null(fp);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(fp);
	*len = sb.len;
	return strbuf_detach(&sb, NULL);
}

static void spew(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	chmod(path, 0600);
}

static void flip(const char *path, size_t at)
{
	size_t len;
	char *d = slurp(path, &len);

	assert_true(at < len);
	d[at] ^= 0x10;
	spew(path, d, len);
	free(d);
}

static off_t size_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static bool log_has(const char *text)
{
	size_t len;
	char *d = slurp(logpath, &len);
	bool has = strstr(d, text) != NULL;

	free(d);
	return has;
}

/* Capture the log (every level: a log file has them all) in logpath, empty. */
static void log_capture(void)
{
	log_close();
	unlink(logpath);
	assert_int_equal(log_set_file(logpath, 0600), 0);
}

/* Quiet: the fixtures' unreadable files are errors on the log, every run. */
static void log_quiet(void)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
}

static void log_release(void)
{
	log_close();
	log_quiet();
}

/* The reference (no cache), then a cold run (writes) and a warm one (reads everything). */
static struct run reference_and_warm(size_t *nentries)
{
	struct run ref = run(NULL), cold = run(cache);

	*nentries = ref.nentries;
	assert_true(ref.nentries > 30);
	expect_same(&ref, cold, 0);
	expect_same(&ref, run(cache), ref.nentries);
	return ref;
}

/* --------------------------------------------------------------- tests */

/* Cold and warm give the reference's bytes; any thread count; the files' modes. */
static void test_round_trip(void **state)
{
	size_t n;
	struct run ref = reference_and_warm(&n);
	struct ingest_options o = options(cache);
	char folder[300];
	struct stat st;

	(void)state;
	o.threads = 1;
	expect_same(&ref, run_with(&o), n);
	o.threads = 5;
	expect_same(&ref, run_with(&o), n);
	/* 0700 folders, 0600 files */
	assert_int_equal(stat(cache, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	folder_path(folder, sizeof(folder));
	assert_int_equal(stat(folder, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	{
		DIR *d = opendir(folder);
		struct dirent *e;
		size_t files = 0;
		char p[600];

		assert_non_null(d);
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", folder, e->d_name);
			assert_int_equal(lstat(p, &st), 0);
			assert_true(S_ISREG(st.st_mode));
			assert_int_equal(st.st_mode & 07777, 0600);
			files++;
		}
		closedir(d);
		assert_true(files > n); /* a .data per entry, a .stat per file */
	}
	free(ref.text);
}

/* Another period, another set of windows: from the same cache, the same as without it. */
static void test_other_period(void **state)
{
	size_t n;
	struct run ref = reference_and_warm(&n);
	struct ingest_options o = options(NULL);
	struct run other;

	(void)state;
	o.period = period_year(2020);
	o.want = WINDOW_PREV;
	other = run_with(&o);
	o.cache_dir = cache;
	expect_same(&other, run_with(&o), n);
	/* a validation pass: no period at all */
	o.period = (struct period){0, 0};
	o.cache_dir = NULL;
	free(other.text);
	other = run_with(&o);
	o.cache_dir = cache;
	expect_same(&other, run_with(&o), n);
	free(other.text);
	free(ref.text);
}

/* The key: another build, schema, --encoding or record limit is a miss, then rebuilt. */
static void test_other_key(void **state)
{
	size_t n;
	struct run ref = reference_and_warm(&n);
	struct ingest_options o = options(cache);
	struct dataset *relief = (struct dataset *)schema_find(&schema, "relief");
	int64_t max = relief->cols[relief->amount].max;

	(void)state;
	cache_set_build("another civreport");
	log_capture();
	expect_same(&ref, run(cache), 0);
	assert_true(log_has("来自另一版本"));
	log_release();
	expect_same(&ref, run(cache), n);
	cache_set_build(NULL);
	expect_same(&ref, run(cache), 0);
	expect_same(&ref, run(cache), n);

	/* a schema whose maximum is one fen more: no figure may change, but it is another key */
	relief->cols[relief->amount].max = max + 1;
	{
		struct run r = run(cache);

		assert_int_equal(r.ncached, 0);
		free(r.text);
	}
	relief->cols[relief->amount].max = max;
	expect_same(&ref, run(cache), 0);

	/* --encoding names the encoding of every CSV: another parse */
	o.encoding = "utf-8";
	{
		struct ingest_options plain = o;
		struct run forced;

		plain.cache_dir = NULL;
		forced = run_with(&plain);
		expect_same(&forced, run_with(&o), 0);
		expect_same(&forced, run_with(&o), forced.nentries);
		free(forced.text);
	}
	/* the record limit bounds a parse */
	ingest_set_chunk_sizes(64, 1 << 20);
	expect_same(&ref, run(cache), 0);
	ingest_set_chunk_sizes(64, 0);
	expect_same(&ref, run(cache), 0);
	free(ref.text);
}

/* The run's date: a parse holds while every row's dates read the same. */
static void test_today(void **state)
{
	size_t n;
	struct run ref = reference_and_warm(&n), r;
	struct ingest_options o = options(cache), plain;

	(void)state;
	/*
	 * a later day: the files whose rows all lie before both days are the
	 * cache's; those with a row after 2026-01-01 (a typo as 2092) held for
	 * that day alone, and are parsed again, then for this day
	 */
	o.today = 20270315;
	plain = o;
	plain.cache_dir = NULL;
	r = run_with(&plain);
	{
		struct run first = run_with(&o);

		assert_true(first.ncached > 0);
		expect_same(&r, first, first.ncached);
	}
	expect_same(&r, run_with(&o), n);
	free(r.text);
	/*
	 * 2021-03-01: the rows of April 2021 and later are now in the future
	 * (a month is in the future after its last day); a file without such
	 * rows is still the cache's
	 */
	o.today = plain.today = 20210301;
	r = run_with(&plain);
	assert_true(strstr(r.text, "日期晚于今天") != NULL);
	{
		struct run first = run_with(&o);

		assert_true(first.ncached > 0 && first.ncached < n);
		expect_same(&r, first, first.ncached);
	}
	/* the files with such rows hold for that day alone; the others for any */
	{
		struct run again = run_with(&o);

		assert_int_equal(again.ncached, n);
		expect_same(&r, again, n);
	}
	o.today = plain.today = 20210302;
	free(r.text);
	r = run_with(&plain);
	{
		struct run next = run_with(&o);

		assert_true(next.ncached < n);
		expect_same(&r, next, next.ncached);
	}
	free(r.text);
	free(ref.text);
}

/* Damage to a data file: detected, never read into a figure, logged, rebuilt. */
static void damage_data(const struct run *ref, size_t n, const char *rel, const char *kind,
			void (*hurt)(const char *path), const char *says)
{
	const char *p = entry_path(rel, kind);

	assert_int_equal(access(p, F_OK), 0);
	hurt(p);
	log_capture();
	{
		struct run r = run(cache);

		expect_same(ref, r, r.ncached);
	}
	if (says != NULL && !log_has(says)) {
		size_t len;
		char *d = slurp(logpath, &len);

		fail_msg("the log lacks \"%s\":\n%s", says, d);
	}
	log_release();
	/* rebuilt: the next run reads everything from the cache */
	expect_same(ref, run(cache), n);
}

static void cut_one(const char *p)
{
	assert_int_equal(truncate(p, size_of(p) - 1), 0);
}

static void cut_half(const char *p)
{
	assert_int_equal(truncate(p, size_of(p) / 2), 0);
}

static void cut_all(const char *p)
{
	assert_int_equal(truncate(p, 0), 0);
}

static void flip_first(const char *p)
{
	flip(p, 0); /* the first chunk's first byte */
}

static void flip_middle(const char *p)
{
	flip(p, (size_t)size_of(p) / 3); /* a chunk in the middle: the mid-file rebuild */
}

static void flip_index(const char *p)
{
	flip(p, (size_t)size_of(p) - 80); /* the index */
}

static void flip_trailer(const char *p)
{
	flip(p, (size_t)size_of(p) - 3); /* the trailer's magic */
}

static void mode_0644(const char *p)
{
	assert_int_equal(chmod(p, 0644), 0);
}

static void other_owner(const char *p)
{
	if (geteuid() == 0)
		assert_int_equal(chown(p, 1, 1), 0);
	else
		assert_int_equal(chmod(p, 0400), 0); /* not 0600 either way */
}

static void hard_link(const char *p)
{
	char other[600];

	snprintf(other, sizeof(other), "%s/planted-link", root);
	unlink(other);
	assert_int_equal(link(p, other), 0);
}

static void symlink_planted(const char *p)
{
	char other[600];

	/* a whole, valid file, but reached through a link: refused */
	snprintf(other, sizeof(other), "%s/planted", root);
	assert_int_equal(rename(p, other), 0);
	assert_int_equal(symlink(other, p), 0);
}

static void fifo_planted(const char *p)
{
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0600), 0);
}

static void test_damaged_data(void **state)
{
	size_t n;
	struct run ref = reference_and_warm(&n);
	const char *big = "bad_values__relief.csv";

	(void)state;
	damage_data(&ref, n, big, "csv.data", cut_one, "文件被截断");
	damage_data(&ref, n, big, "csv.data", cut_half, "文件被截断");
	damage_data(&ref, n, big, "csv.data", cut_all, "文件被截断");
	damage_data(&ref, n, big, "csv.data", flip_first, "校验和不符");
	damage_data(&ref, n, big, "csv.data", flip_middle, "校验和不符");
	damage_data(&ref, n, big, "csv.data", flip_index, "校验和不符");
	damage_data(&ref, n, big, "csv.data", flip_trailer, "文件被截断或不完整");
	damage_data(&ref, n, big, "csv.data", mode_0644, "属主或权限不对");
	damage_data(&ref, n, big, "csv.data", other_owner, "属主或权限不对");
	damage_data(&ref, n, big, "csv.data", hard_link, "有其他硬链接");
	damage_data(&ref, n, big, "csv.data", symlink_planted, "不是普通文件");
	damage_data(&ref, n, big, "csv.data", fifo_planted, "不是普通文件");
	/* a worksheet's entry: its chunks parsed again from the workbook */
	damage_data(&ref, n, "hidden_sheet.xlsx", "1.data", flip_middle, "校验和不符");
	/* the source records */
	damage_data(&ref, n, big, "stat", flip_first, "校验和不符");
	damage_data(&ref, n, big, "stat", cut_one, "长度不对");
	damage_data(&ref, n, big, "stat", symlink_planted, "不是普通文件");
	free(ref.text);
}

/* Every bit of one entry's file flipped in turn: never a wrong transcript. */
static void test_every_bit(void **state)
{
	size_t n, len;
	struct run ref = reference_and_warm(&n);
	const char *p = entry_path("quoted__relief.csv", "csv.data");
	char *good = slurp(p, &len);

	(void)state;
	for (size_t at = 0; at<len; at += len> 40 ? len / 40 : 1) {
		for (int bit = 1; bit < 8; bit += 5) {
			char *bad = xmalloc(len);
			struct run r;

			memcpy(bad, good, len);
			bad[at] ^= (char)(1 << bit);
			spew(p, bad, len);
			free(bad);
			r = run(cache);
			/* this entry parsed again (or a flip in padding-free bytes that changes
			 * nothing) */
			expect_same(&ref, r, r.ncached);
			spew(p, good, len);
		}
	}
	free(good);
	free(ref.text);
}

/* Folders: open to others, a symlink where ours goes, a root that is not ours. */
static void test_damaged_folders(void **state)
{
	size_t n;
	struct run ref = reference_and_warm(&n);
	char folder[600], other[400];

	(void)state;
	folder_path(folder, sizeof(folder));
	/* writable by others: anything in it may be planted, so emptied */
	assert_int_equal(chmod(folder, 0777), 0);
	log_capture();
	expect_same(&ref, run(cache), 0);
	assert_true(log_has("已改为 0700 并清空重建"));
	log_release();
	expect_same(&ref, run(cache), n);
	/* the cache folder itself readable by others */
	assert_int_equal(chmod(cache, 0755), 0);
	log_capture();
	expect_same(&ref, run(cache), 0);
	assert_true(log_has("已改为 0700 并清空重建"));
	log_release();
	expect_same(&ref, run(cache), n);
	/* a symlink planted where the input folder's folder goes */
	snprintf(other, sizeof(other), "%s/elsewhere", root);
	rm_rf(folder);
	mkdir(other, 0700);
	assert_int_equal(symlink(other, folder), 0);
	log_capture();
	expect_same(&ref, run(cache), 0);
	assert_true(log_has("不是目录"));
	log_release();
	expect_same(&ref, run(cache), n);
	{
		DIR *d = opendir(other);
		struct dirent *e;

		while ((e = readdir(d)) != NULL)
			assert_true(e->d_name[0] == '.'); /* nothing was written through the link */
		closedir(d);
	}
	/* a folder that holds other things, not ours: refused, the run goes on without */
	snprintf(other, sizeof(other), "%s/home", root);
	mkdir(other, 0700);
	snprintf(folder, sizeof(folder), "%s/notes.txt", other);
	spew(folder, "mine", 4);
	log_capture();
	expect_same(&ref, run(other), 0);
	assert_true(log_has("不像 civreport 的缓存目录"));
	log_release();
	expect_same(&ref, run(other), 0);
	assert_int_equal(access(folder, F_OK), 0);
	if (geteuid() == 0) {
		/* a folder of another user */
		snprintf(other, sizeof(other), "%s/theirs", root);
		mkdir(other, 0700);
		assert_int_equal(chown(other, 1, 1), 0);
		log_capture();
		expect_same(&ref, run(other), 0);
		assert_true(log_has("目录属于其他用户"));
		log_release();
	}
	free(ref.text);
}

/* A source changed behind a restored size and mtime (touch -d) is parsed again. */
static void test_changed_source(void **state)
{
	size_t n, len;
	struct run ref = reference_and_warm(&n), changed;
	char path[300];
	struct stat st;
	char *d;

	(void)state;
	snprintf(path, sizeof(path), "%s/lf__relief.csv", in);
	assert_int_equal(stat(path, &st), 0);
	d = slurp(path, &len);
	/* 520.00 -> 521.00: same size */
	{
		char *at = strstr(d, "520.00");

		assert_non_null(at);
		at[2] = '1';
	}
	spew(path, d, len);
	chmod(path, st.st_mode & 07777);
	{
		struct timespec ts[2] = {st.st_atim, st.st_mtim};

		assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	}
	assert_int_equal(stat(path, &st), 0);
	changed = run(NULL);
	assert_true(strcmp(changed.text, ref.text) != 0);
	expect_same(&changed, run(cache), n - 1);
	expect_same(&changed, run(cache), n);
	/* touched again, content unchanged: hashed, still the cache's */
	assert_int_equal(utimensat(AT_FDCWD, path, NULL, 0), 0);
	{
		struct run r = run(NULL);

		expect_same(&r, run(cache), n);
		free(r.text);
	}
	free(d);
	free(changed.text);
	free(ref.text);
}

/* Entries of files no longer present go; least recently used folders go over the cap. */
static void test_eviction(void **state)
{
	size_t n;
	struct run ref = reference_and_warm(&n);
	char path[600], folder[300], second[600], keep[sizeof(in)];
	const char *data = entry_path("crlf__relief.csv", "csv.data");
	char stat_file[600];

	(void)state;
	snprintf(stat_file, sizeof(stat_file), "%s", entry_path("crlf__relief.csv", "stat"));
	assert_int_equal(access(data, F_OK), 0);
	snprintf(path, sizeof(path), "%s/crlf__relief.csv", in);
	assert_int_equal(unlink(path), 0);
	{
		struct run r = run(cache);

		assert_int_equal(r.ncached, n - 1);
		free(r.text);
	}
	assert_int_equal(access(data, F_OK), -1);
	assert_int_equal(access(stat_file, F_OK), -1);
	/* a stale temporary file of a crashed run goes too; a young one stays */
	folder_path(folder, sizeof(folder));
	snprintf(path, sizeof(path), "%s/.tmp.1.0000000000000001", folder);
	spew(path, "x", 1);
	{
		struct timespec old[2] = {{time(NULL) - 7200, 0}, {time(NULL) - 7200, 0}};

		assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
	}
	snprintf(second, sizeof(second), "%s/.tmp.2.0000000000000002", folder);
	spew(second, "y", 1);
	free(run(cache).text);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(second, F_OK), 0);
	/* another input folder, the cap at one byte: the other folder's cache goes */
	memcpy(keep, in, sizeof(in));
	snprintf(in, sizeof(in), "%s/in2", root);
	mkdir(in, 0755);
	{
		char to[300];

		snprintf(to, sizeof(to), "%s/relief.csv", in);
		copy_file("tests/fixtures/ingest/lf/relief.csv", to);
	}
	cache_set_max_bytes(1);
	free(run(cache).text);
	assert_int_equal(access(folder, F_OK), -1);
	folder_path(second, sizeof(second));
	assert_int_equal(access(second, F_OK), 0); /* the current one stays */
	cache_set_max_bytes(0);
	memcpy(in, keep, sizeof(in));
	free(ref.text);
}

/* No ID number, no place, no name in clear anywhere in the cache. */
static void test_nothing_in_clear(void **state)
{
	size_t n;
	struct run ref = reference_and_warm(&n);
	static const char *const needles[] = {"511602198001150012", "浓洲镇", "张三", "H001",
					      "奎阁街道"};
	char folder[300], p[600];
	DIR *d;
	struct dirent *e;
	size_t seen = 0;

	(void)state;
	/* they are in the input */
	assert_non_null(strstr(ref.text, "浓洲镇"));
	folder_path(folder, sizeof(folder));
	d = opendir(folder);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t len;
		char *data;

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", folder, e->d_name);
		data = slurp(p, &len);
		for (size_t i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
			if (memmem(data, len, needles[i], strlen(needles[i])) != NULL)
				fail_msg("%s holds \"%s\" in clear", e->d_name, needles[i]);
		free(data);
		seen++;
	}
	closedir(d);
	assert_true(seen > n);
	free(ref.text);
}

/* Runs side by side on one cache: each writes whole files; the cache is sound after. */
static void test_concurrent(void **state)
{
	struct run ref = run(NULL);
	pid_t kids[4];

	(void)state;
	for (int k = 0; k < 4; k++) {
		kids[k] = fork();
		assert_true(kids[k] >= 0);
		if (kids[k] == 0) {
			struct run r = run(cache);

			_exit(strcmp(r.text, ref.text) == 0 ? 0 : 1);
		}
	}
	for (int k = 0; k < 4; k++) {
		int st;

		assert_int_equal(waitpid(kids[k], &st, 0), kids[k]);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	expect_same(&ref, run(cache), ref.nentries);
	free(ref.text);
}

/* ------------------------------------------------------- chunk codec */

/* A relief chunk parsed from csv (no header, the schema's column order). */
static void parse_chunk(struct chunk *c, struct file_plan *plan, const char *csv)
{
	const struct dataset *ds = schema_find(&schema, "relief");
	struct chunk_parser *p = chunk_parser_new();

	memset(plan, 0, sizeof(*plan));
	plan->ds = ds;
	plan->encoding = ENC_UTF8;
	plan->nfields = ds->ncols;
	plan->field_col = xcalloc(ds->ncols, sizeof(int));
	for (size_t i = 0; i < ds->ncols; i++)
		plan->field_col[i] = (int)i;
	plan->period = period_year(2021);
	plan->prev = period_prev_year(&plan->period);
	plan->last = period_last(&plan->period);
	plan->span_first = plan->prev.first;
	plan->today = 20260101;
	memset(c, 0, sizeof(*c));
	c->plan = plan;
	c->data = xstrdup(csv);
	c->len = strlen(csv);
	c->last = true;
	chunk_parse(p, c);
	chunk_parser_free(p);
}

static const char codec_csv[] =
    "511602198001150012,张三,广安区,浓洲镇,城市低保,2021-01,520.00,H001,2015-09-24,常规申请\n"
    "511602198001150012,张三,广安区,浓洲镇,城市低保,2021-02,520.00,H001,2015-09-24,常规申请\n"
    "\n"
    "511603197512030022,李四,广安县,奎阁街道,农村低保,2021-01,390.50,H002,,\n"
    "511681199006300139,王五,华蓥市,\"双河\n街道\",特困供养,2020-02,12.00,H003,2019-01-01,\n"
    "511681199006300139,王五,华蓥市,,特困供养,2031-02,12.00,,,\n"
    "511681199006300139,王五,华蓥市,\"a\"b,特困供养,2021-03,12.00,,,\n"
    "511681199006300139,王五,华蓥市,,临时救助,1999-12,0.01,H4,2000-02-29,回头看排查\n";

static void expect_chunks_equal(const struct chunk *a, const struct chunk *b)
{
	assert_int_equal(a->nrecs, b->nrecs);
	assert_int_equal(a->nrejects, b->nrejects);
	assert_int_equal(a->lines, b->lines);
	assert_int_equal(a->read, b->read);
	assert_int_equal(a->blank, b->blank);
	assert_int_equal(a->spanned, b->spanned);
	assert_int_equal(a->max_year, b->max_year);
	assert_memory_equal(a->year_rows, b->year_rows, sizeof(a->year_rows));
	assert_int_equal(a->bad_line, b->bad_line);
	assert_int_equal(a->nul_line, b->nul_line);
	assert_int_equal(a->reheader_line, b->reheader_line);
	assert_int_equal(a->today_lo, b->today_lo);
	assert_int_equal(a->today_hi, b->today_hi);
	for (size_t i = 0; i < a->nrecs; i++) {
		const int64_t *x = a->recs + i * a->stride, *y = b->recs + i * b->stride;

		assert_int_equal(x[REC_LINE], y[REC_LINE]);
		assert_int_equal(x[REC_PRESENT], y[REC_PRESENT]);
		for (size_t col = 0; col < a->plan->ds->ncols; col++) {
			if (!((uint64_t)x[REC_PRESENT] >> col & 1))
				continue;
			if (a->plan->ds->cols[col].type == COL_TEXT) {
				uint64_t u = (uint64_t)x[REC_HEAD + col],
					 v = (uint64_t)y[REC_HEAD + col];

				assert_int_equal(u & 0xffffffffu, v & 0xffffffffu);
				assert_memory_equal(a->text + (u >> 32), b->text + (v >> 32),
						    u & 0xffffffffu);
			} else {
				assert_int_equal(x[REC_HEAD + col], y[REC_HEAD + col]);
			}
		}
	}
	for (size_t i = 0; i < a->nrejects; i++) {
		assert_int_equal(a->rejects[i].line, b->rejects[i].line);
		assert_int_equal(a->rejects[i].col, b->rejects[i].col);
		assert_int_equal(a->rejects[i].code, b->rejects[i].code);
		if (a->rejects[i].reason == NULL)
			assert_null(b->rejects[i].reason);
		else
			assert_string_equal(a->rejects[i].reason, b->rejects[i].reason);
		assert_string_equal(a->rejects[i].row, b->rejects[i].row);
	}
}

/* c's encoding decoded into d, the columns in columns: chunk_decode's result. */
static int decode_copy(struct chunk *d, const struct chunk *c, uint64_t columns)
{
	memset(d, 0, sizeof(*d));
	d->plan = c->plan;
	d->len = c->len;
	return chunk_decode(d, c->seg, c->seg_len, columns);
}

static void test_codec(void **state)
{
	struct file_plan plan;
	struct chunk c, d;

	(void)state;
	parse_chunk(&c, &plan, codec_csv);
	assert_int_equal(c.nrecs, 4);
	assert_int_equal(c.nrejects, 3); /* 广安县, the future month, the stray quote */
	assert_int_equal(c.today_lo, 20260101);
	assert_int_equal(c.today_hi, 20260102);
	chunk_encode(&c);
	assert_non_null(c.seg);
	assert_int_equal(decode_copy(&d, &c, CHUNK_ALL_COLUMNS), 0);
	expect_chunks_equal(&c, &d);
	chunk_release(&d);
	/*
	 * Two columns decoded: narrow records of their values in column
	 * order, the others read as 0, every present bit kept.
	 */
	assert_true(plan.ds->period > 2 && plan.ds->cols[2].type != COL_TEXT);
	assert_int_equal(decode_copy(&d, &c, 1ull << 2 | 1ull << plan.ds->period), 0);
	assert_int_equal(d.nrecs, c.nrecs);
	assert_int_equal(d.stride, REC_HEAD + 2);
	for (size_t i = 0; i < c.nrecs; i++) {
		const int64_t *x = c.recs + i * c.stride, *y = d.recs + i * d.stride;

		assert_int_equal(x[REC_LINE], y[REC_LINE]);
		assert_int_equal(x[REC_PRESENT], y[REC_PRESENT]);
		assert_int_equal(y[REC_HEAD], x[REC_HEAD + 2]);
		assert_int_equal(y[REC_HEAD + 1], x[REC_HEAD + plan.ds->period]);
		for (int col = 0; col < (int)plan.ds->ncols; col++)
			assert_int_equal(chunk_value(&d, y, col), col == 2 || col == plan.ds->period
								      ? x[REC_HEAD + col]
								      : 0);
	}
	/* and windowed alike (d decoded whole again) */
	chunk_release(&d);
	assert_int_equal(decode_copy(&d, &c, CHUNK_ALL_COLUMNS), 0);
	chunk_window(&c);
	chunk_window(&d);
	assert_int_equal(c.outside, d.outside);
	expect_chunks_equal(&c, &d);
	chunk_release(&d);
	/* every shorter prefix is refused, never read past */
	for (size_t n = 0; n < c.seg_len; n++) {
		char *cut = xmalloc(n ? n : 1);

		memcpy(cut, c.seg, n);
		memset(&d, 0, sizeof(d));
		d.plan = &plan;
		d.len = c.len;
		assert_int_equal(chunk_decode(&d, cut, n, CHUNK_ALL_COLUMNS), -1);
		assert_null(d.recs);
		assert_int_equal(d.nrecs, 0);
		chunk_release(&d);
		free(cut);
	}
	/* any byte changed: refused, or values that still hold (the checksum is the cache's) */
	for (size_t at = 0; at < c.seg_len; at++)
		for (int v = 0; v < 256; v += 37) {
			char *bad = xmalloc(c.seg_len);

			memcpy(bad, c.seg, c.seg_len);
			bad[at] = (char)v;
			memset(&d, 0, sizeof(d));
			d.plan = &plan;
			d.len = c.len;
			if (chunk_decode(&d, bad, c.seg_len, CHUNK_ALL_COLUMNS) == 0) {
				for (size_t i = 0; i < d.nrecs; i++) {
					const int64_t *rec = d.recs + i * d.stride;
					int64_t e = rec[REC_HEAD + 2];

					assert_true(e >= 0 && (size_t)e < plan.ds->cols[2].nvalues);
					assert_true((uint64_t)rec[REC_LINE] < d.lines);
				}
			}
			chunk_release(&d);
			free(bad);
		}
	chunk_release(&c);
	free(plan.field_col);
}

/*
 * Runs longer than a decoding block, steps up and down, a value that
 * changes every row and one absent now and then: every column and a
 * narrow decode give the parse back, and the runs are short in bytes.
 */
static void test_codec_runs(void **state)
{
	static const char *const areas[] = {"广安区", "华蓥市", "岳池县"};
	struct strbuf csv = STRBUF_INIT;
	struct file_plan plan;
	struct chunk c, d;
	size_t rows = 0;

	(void)state;
	for (int person = 0; person < 70; person++) {
		char id[32];

		/* 17 digits of a date-valued ID, then its check character */
		snprintf(id, sizeof(id), "5116021980%02d%02d%03d", 1 + person % 12, 1 + person % 28,
			 person);
		id[17] = id_check_char(id);
		id[18] = '\0';
		for (int month = 1; month <= 12; month++, rows++)
			strbuf_addf(&csv, "%s,张*,%s,,城市低保,2021-%02d,%d.%02d,H%03d,%s,\n", id,
				    areas[person / 25], month, 500 + (person % 3 ? 0 : month * 7),
				    person % 5 == 0 ? month : 0, person,
				    person % 4 == 0 ? "" : "2015-09-24");
	}
	parse_chunk(&c, &plan, csv.buf);
	assert_int_equal(c.nrejects, 0);
	assert_int_equal(c.nrecs, rows);
	chunk_encode(&c);
	/* 840 rows of 10 columns: the runs keep a row to a few bytes */
	assert_true(c.seg_len < rows * 8);
	assert_int_equal(decode_copy(&d, &c, CHUNK_ALL_COLUMNS), 0);
	expect_chunks_equal(&c, &d);
	chunk_release(&d);
	assert_int_equal(decode_copy(&d, &c, 1ull << plan.ds->person | 1ull << plan.ds->period), 0);
	for (size_t i = 0; i < c.nrecs; i++) {
		const int64_t *x = c.recs + i * c.stride, *y = d.recs + i * d.stride;

		assert_int_equal(x[REC_LINE], y[REC_LINE]);
		assert_int_equal(chunk_value(&d, y, plan.ds->person),
				 x[REC_HEAD + plan.ds->person]);
		assert_int_equal(chunk_value(&d, y, plan.ds->period),
				 x[REC_HEAD + plan.ds->period]);
	}
	chunk_release(&d);
	chunk_release(&c);
	strbuf_release(&csv);
	free(plan.field_col);
}

/*
 * Only the required columns, a thousand persons of twelve months: the
 * runs take fewer bytes than there are rows, and the chunk still decodes
 * (its records are bounded by the source's bytes, not the encoding's).
 */
static void test_codec_dense(void **state)
{
	struct strbuf csv = STRBUF_INIT;
	struct file_plan plan;
	struct chunk c, d;

	(void)state;
	for (int person = 0; person < 1000; person++) {
		char id[32];

		snprintf(id, sizeof(id), "51160219800101%03d", person);
		id[17] = id_check_char(id);
		id[18] = '\0';
		for (int month = 1; month <= 12; month++)
			strbuf_addf(&csv, "%s,,广安区,,城市低保,2021-%02d,500.00,,,\n", id, month);
	}
	parse_chunk(&c, &plan, csv.buf);
	assert_int_equal(c.nrejects, 0);
	assert_int_equal(c.nrecs, 12000);
	chunk_encode(&c);
	assert_true(c.seg_len < c.nrecs);
	assert_int_equal(decode_copy(&d, &c, CHUNK_ALL_COLUMNS), 0);
	expect_chunks_equal(&c, &d);
	chunk_release(&d);
	/* and a count beyond the source's bytes is refused before any allocation */
	memset(&d, 0, sizeof(d));
	d.plan = &plan;
	d.len = c.nrecs - 1;
	assert_int_equal(chunk_decode(&d, c.seg, c.seg_len, CHUNK_ALL_COLUMNS), -1);
	assert_null(d.recs);
	chunk_release(&d);
	chunk_release(&c);
	strbuf_release(&csv);
	free(plan.field_col);
}

/* The period's rows: window drops the span's outside and marks the rest, as the parse did. */
static void test_window(void **state)
{
	struct file_plan plan;
	struct chunk c;
	size_t before;

	(void)state;
	parse_chunk(&c, &plan, codec_csv);
	before = c.nrecs;
	chunk_window(&c);
	assert_true(c.windowed);
	/* 1999-12 is outside the span 2020-01..2021-12 */
	assert_int_equal(c.outside, 1);
	assert_int_equal(c.nrecs, before - 1);
	for (size_t i = 0; i < c.nrecs; i++) {
		const int64_t *rec = c.recs + i * c.stride;
		int64_t month = rec[REC_HEAD + plan.ds->period];

		if (month / 100 == 2021)
			assert_true(rec[REC_SLOT] & WINDOW_CUR);
		else
			assert_true(rec[REC_SLOT] & WINDOW_PREV);
	}
	chunk_release(&c);
	free(plan.field_col);
}

static int group_setup(void **state)
{
	char err[512];

	(void)state;
	log_quiet();
	if (schema_load(&schema, "templates/schema.ini", err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	schema_release(&schema);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_codec),
	    cmocka_unit_test(test_codec_runs),
	    cmocka_unit_test(test_codec_dense),
	    cmocka_unit_test(test_window),
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_other_period, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_other_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_today, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_damaged_data, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_every_bit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_damaged_folders, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_changed_source, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_eviction, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nothing_in_clear, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_concurrent, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
