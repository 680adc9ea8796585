/*
 * report.c - data quality and provenance as doc tables, and the meta data
 * of a run; see report.h.
 *
 * Must never: leave out a file, a dataset or the totals (the appendix is
 * the audit trail; a file the run did not read is named too), or let a
 * count that does not reconcile pass unmarked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/format.h"
#include "doc_clean.h"
#include "report.h"
#include "util/strbuf.h"
#include "util/version.h"
#include "util/xalloc.h"

/* The appendix lists the most frequent reasons; the note says how many there were. */
#define APPENDIX_REASONS 10

/* The four counts every file and dataset has, in this order everywhere. */
enum { N_READ, N_ACCEPTED, N_REJECTED, N_OUTSIDE, NCOUNTS };

static const char *const balance_note =
    "注：单位为行。读取 = 接收 + 拒收 + 年度外；“年度外”为日期不在报告期内的行。";

int64_t report_created(int year)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct tm end = {.tm_year = year - 1900, .tm_mon = 11, .tm_mday = 31};

	if (sde != NULL && sde[0] != '\0') {
		char *end_of_number;
		long long v = strtoll(sde, &end_of_number, 10);
		if (*end_of_number == '\0' && v >= 0)
			return v;
	}
	/* the year's last day, 00:00 UTC: never the clock, never the time zone */
	return (int64_t)timegm(&end);
}

/* ---- cells ---- */

static void set_count(struct doc_table *t, size_t r, size_t c, uint64_t v)
{
	struct doc_cell *cell = doc_table_cell(t, r, c);
	char buf[32];

	format_exact(buf, sizeof(buf), (int64_t)v, UNIT_COUNT, true);
	doc_set_text(&cell->text, buf);
	cell->numeric = true;
	cell->raw = (int64_t)v;
	cell->unit = UNIT_COUNT;
}

static void set_text(struct doc_table *t, size_t r, size_t c, const char *s)
{
	doc_set_text(&doc_table_cell(t, r, c)->text, s);
}

/* Text from the input (a file name, a message naming one) made doc text. */
static void set_data_text(struct doc_table *t, size_t r, size_t c, const char *s)
{
	char *clean = doc_clean_value(s, strlen(s), "输入文件名");

	set_text(t, r, c, clean);
	free(clean);
}

static void set_heads(struct doc_table *t, const char *const *heads)
{
	for (size_t c = 0; c < t->ncols; c++)
		doc_set_text(&t->header[c], heads[c]);
}

/* The four counts from column first on, and the totals row that sums them. */
static void set_counts(struct doc_table *t, size_t r, size_t first, const uint64_t n[NCOUNTS])
{
	for (int k = 0; k < NCOUNTS; k++)
		set_count(t, r, first + (size_t)k, n[k]);
}

static void set_totals(struct doc_table *t, size_t first, const uint64_t n[NCOUNTS])
{
	size_t r = t->nrows - 1;

	set_text(t, r, 0, "合计");
	set_counts(t, r, first, n);
	for (int k = 0; k < NCOUNTS; k++)
		t->summable[first + (size_t)k] = true;
	t->has_total = true;
}

static void file_counts(const struct ingest_file *f, uint64_t n[NCOUNTS])
{
	n[N_READ] = f->read;
	n[N_ACCEPTED] = f->accepted;
	n[N_REJECTED] = f->rejected;
	n[N_OUTSIDE] = f->outside;
}

static bool balanced(const uint64_t n[NCOUNTS])
{
	return n[N_READ] == n[N_ACCEPTED] + n[N_REJECTED] + n[N_OUTSIDE];
}

/* ---- the tables ---- */

struct doc_table *report_files_table(const struct ingest_result *res, const char *label)
{
	static const char *const heads[] = {"文件", "数据集", "编码",   "读取",
					    "接收", "拒收",   "年度外", "问题"};
	bool errors = false;
	uint64_t tot[NCOUNTS] = {0};
	struct doc_table *t;
	struct strbuf unbalanced = STRBUF_INIT;

	/*
	 * a file that could not be read fails the run: only a terminal shows
	 * one; a file not read because another has the same content shows in
	 * the report too, so that its zeros are explained
	 */
	for (size_t i = 0; i < res->nfiles; i++)
		errors = errors || res->files[i].error != NULL || res->files[i].same_as != NULL;
	t = doc_table_new(label, "输入文件数据质量", errors ? 8 : 7, res->nfiles + 1);
	set_heads(t, heads);
	for (size_t i = 0; i < res->nfiles; i++) {
		const struct ingest_file *f = &res->files[i];
		uint64_t n[NCOUNTS];
		char *name;

		file_counts(f, n);
		name = ingest_file_label(f);
		set_data_text(t, i, 0, name);
		free(name);
		set_text(t, i, 1, f->ds ? f->ds->title : "无法识别");
		set_text(t, i, 2, f->encoding[0] ? f->encoding : "—");
		set_counts(t, i, 3, n);
		if (errors && f->same_as != NULL) {
			char *same = ingest_shown_path(f->same_as);
			char *why = xasprintf("与 %s 内容相同，只读取一次，未重复计入", same);

			free(same);
			set_data_text(t, i, 7, why);
			free(why);
		} else if (errors) {
			set_data_text(t, i, 7, f->error ? f->error : "");
		}
		for (int k = 0; k < NCOUNTS; k++)
			tot[k] += n[k];
		if (!balanced(n))
			strbuf_addf(&unbalanced, "%s%s", unbalanced.len ? "、" : "",
				    doc_table_cell(t, i, 0)->text);
	}
	set_totals(t, 3, tot);
	if (unbalanced.len > 0)
		t->note = xasprintf("%s\n注意：%s 的行数不平衡，请报告此问题。", balance_note,
				    unbalanced.buf);
	else
		t->note = xstrdup(balance_note);
	strbuf_release(&unbalanced);
	return t;
}

struct doc_table *report_datasets_table(const struct schema *schema,
					const struct ingest_result *res, const char *label)
{
	static const char *const heads[] = {"数据集", "读取", "接收", "拒收", "年度外"};
	struct doc_table *t = doc_table_new(label, "按数据集合计", 5, schema->nsets + 1);
	uint64_t tot[NCOUNTS] = {0};
	struct strbuf unbalanced = STRBUF_INIT;

	set_heads(t, heads);
	for (size_t s = 0; s < schema->nsets; s++) {
		uint64_t n[NCOUNTS] = {0};

		for (size_t i = 0; i < res->nfiles; i++) {
			uint64_t f[NCOUNTS];

			if (res->files[i].ds != &schema->sets[s])
				continue;
			file_counts(&res->files[i], f);
			for (int k = 0; k < NCOUNTS; k++)
				n[k] += f[k];
		}
		set_text(t, s, 0, schema->sets[s].title);
		set_counts(t, s, 1, n);
		for (int k = 0; k < NCOUNTS; k++)
			tot[k] += n[k];
		if (!balanced(n))
			strbuf_addf(&unbalanced, "%s%s", unbalanced.len ? "、" : "",
				    schema->sets[s].title);
	}
	set_totals(t, 1, tot);
	if (unbalanced.len > 0)
		t->note = xasprintf("注：单位为行。\n注意：%s 的行数不平衡，请报告此问题。",
				    unbalanced.buf);
	else
		t->note = xstrdup("注：单位为行。");
	strbuf_release(&unbalanced);
	return t;
}

struct doc_table *report_unread_table(const struct ingest_result *res, const char *label)
{
	static const char *const heads[] = {"文件", "类型"};
	struct doc_table *t;

	if (res->nunread == 0)
		return NULL;
	t = doc_table_new(label, "未读取的文件", 2, res->nunread);
	set_heads(t, heads);
	for (size_t i = 0; i < res->nunread; i++) {
		const char *kind = ingest_unread_kind(res->unread[i]);

		set_data_text(t, i, 0, res->unread[i]);
		set_text(t, i, 1, kind ? kind : "—");
	}
	t->note = xstrdup("注：以上文件中的数据未计入本报告。civreport 读取 CSV 文件和 Excel "
			  "工作簿（.xlsx、.xlsm、.xls）；如需计入，请在 Excel 或 WPS 中另存为 "
			  ".xlsx 或 CSV（UTF-8）后放入输入目录，重新生成报告。");
	return t;
}

struct reason {
	const char *text;
	uint64_t count;
	const char *first_at;
};

static int by_count(const void *a, const void *b)
{
	const struct reason *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->text, y->text);
}

struct doc_table *report_reasons_table(const struct ingest_result *res, const char *label,
				       size_t max)
{
	static const char *const heads[] = {"序号", "拒收原因", "行数", "首次出现"};
	struct reason r[VALUE_ERROR_COUNT];
	struct doc_table *t;
	size_t n = 0;

	for (int e = 0; e < VALUE_ERROR_COUNT; e++)
		if (res->reasons[e] > 0)
			r[n++] = (struct reason){value_reason((enum value_error)e), res->reasons[e],
						 res->first_at[e] ? res->first_at[e] : "—"};
	if (n == 0)
		return NULL;
	qsort(r, n, sizeof(*r), by_count);
	if (max == 0 || max > n)
		max = n;
	t = doc_table_new(label, "拒收原因", 4, max);
	set_heads(t, heads);
	for (size_t i = 0; i < t->nrows; i++) {
		char num[24];

		snprintf(num, sizeof(num), "%zu", i + 1);
		set_text(t, i, 0, num);
		set_text(t, i, 1, r[i].text);
		set_count(t, i, 2, r[i].count);
		set_data_text(t, i, 3, r[i].first_at);
	}
	if (max < n)
		t->note = xasprintf("注：共%zu类原因，仅列出最多的%zu类。", n, max);
	return t;
}

/* Each input file: its size and SHA-256, so a reader can tell it is the same file. */
static struct doc_table *sources_table(const struct ingest_result *res, const char *label)
{
	static const char *const heads[] = {"文件", "字节数", "SHA-256"};
	struct doc_table *t = doc_table_new(label, "输入文件来源", 3, res->nfiles);

	set_heads(t, heads);
	for (size_t i = 0; i < res->nfiles; i++) {
		const struct ingest_file *f = &res->files[i];
		char *name = ingest_file_label(f);

		set_data_text(t, i, 0, name);
		free(name);
		set_count(t, i, 1, (uint64_t)(f->size > 0 ? f->size : 0));
		set_text(t, i, 2, f->sha256);
		doc_table_cell(t, i, 2)->code = true;
	}
	return t;
}

/* Where the report came from: the template, the program, the period, the date. */
static struct doc_table *provenance_table(const struct doc *doc, const struct report_source *src,
					  const char *label)
{
	static const char *const heads[] = {"项目", "内容"};
	struct doc_table *t = doc_table_new(label, "报告来源", 2, 5);
	time_t when = (time_t)doc->meta.created;
	char date[48] = "", year[16];
	struct tm tm;

	if (gmtime_r(&when, &tm) != NULL)
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", &tm);
	snprintf(year, sizeof(year), "%d", doc->meta.year);
	set_heads(t, heads);
	set_text(t, 0, 0, "模板");
	set_text(t, 0, 1, src && src->template_path ? src->template_path : "");
	set_text(t, 1, 0, "模板 SHA-256");
	set_text(t, 1, 1, src && src->template_sha256 ? src->template_sha256 : "");
	doc_table_cell(t, 1, 1)->code = true;
	set_text(t, 2, 0, "生成程序");
	set_text(t, 2, 1, doc->meta.generator);
	set_text(t, 3, 0, "报告年度");
	set_text(t, 3, 1, year);
	set_text(t, 4, 0, "生成时间");
	set_text(t, 4, 1, date);
	return t;
}

/* ---- the appendix ---- */

struct appendix {
	struct doc *doc;
	int ntables;
	char label[32];
};

static void heading(struct appendix *a, int level, const char *text)
{
	struct doc_block *b =
	    doc_block_add(&a->doc->appendix, &a->doc->nappendix, DOC_HEADING, level);

	doc_text_set(&b->text, text);
}

static void paragraph(struct appendix *a, const char *text)
{
	struct doc_block *b =
	    doc_block_add(&a->doc->appendix, &a->doc->nappendix, DOC_PARAGRAPH, 0);

	doc_text_set(&b->text, text);
}

static const char *next_label(struct appendix *a)
{
	snprintf(a->label, sizeof(a->label), "附表%d", ++a->ntables);
	return a->label;
}

static void table(struct appendix *a, struct doc_table *t)
{
	doc_block_add(&a->doc->appendix, &a->doc->nappendix, DOC_TABLE, 0)->table = t;
}

void report_fill(struct doc *doc, const struct schema *schema, const struct ingest_result *res,
		 const struct report_source *src, int year)
{
	struct appendix a = {.doc = doc};
	struct doc_table *reasons;

	doc->meta.created = report_created(year);
	doc->meta.year = year;
	free(doc->meta.generator);
	doc->meta.generator = xstrdup("civreport " CIVREPORT_VERSION);

	heading(&a, 1, "附录 数据质量与来源");
	heading(&a, 2, "（一）输入文件");
	table(&a, report_files_table(res, next_label(&a)));
	table(&a, report_datasets_table(schema, res, next_label(&a)));
	if (res->nunread > 0)
		table(&a, report_unread_table(res, next_label(&a)));
	heading(&a, 2, "（二）拒收原因");
	/* numbered only when there is one: 附表 numbers have no gaps */
	reasons = report_reasons_table(res, "", APPENDIX_REASONS);
	if (reasons != NULL) {
		doc_set_text(&reasons->label, next_label(&a));
		table(&a, reasons);
	} else {
		paragraph(&a, "所有行均通过校验，没有拒收的行。");
	}
	heading(&a, 2, "（三）数据来源");
	table(&a, sources_table(res, next_label(&a)));
	table(&a, provenance_table(doc, src, next_label(&a)));
}

char *report_balance(const struct ingest_result *res)
{
	uint64_t n[NCOUNTS] = {0};
	char v[NCOUNTS][32];

	for (size_t i = 0; i < res->nfiles; i++) {
		uint64_t f[NCOUNTS];

		file_counts(&res->files[i], f);
		for (int k = 0; k < NCOUNTS; k++)
			n[k] += f[k];
	}
	for (int k = 0; k < NCOUNTS; k++)
		format_exact(v[k], sizeof(v[k]), (int64_t)n[k], UNIT_COUNT, true);
	return xasprintf("读取 %s = 接收 %s + 拒收 %s + 年度外 %s%s", v[N_READ], v[N_ACCEPTED],
			 v[N_REJECTED], v[N_OUTSIDE], balanced(n) ? "" : "（不平衡！）");
}

void report_add_notes(struct doc *doc, const char *const *notes, size_t n)
{
	struct appendix a = {.doc = doc};

	if (n == 0)
		return;
	heading(&a, 2, "（四）数据提示");
	for (size_t i = 0; i < n; i++)
		paragraph(&a, notes[i]);
}
