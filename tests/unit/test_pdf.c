/*
 * test_pdf.c - the PDF renderer, checked from the outside with poppler-utils
 * and qpdf: the text reads back in order, fonts are embedded subsets, the
 * metadata is there, the structure is valid, the bytes are reproducible,
 * and a character no font has fails the render instead of printing a box.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "doc/doc.h"
#include "util/glyphs.h"
#include "doc_fixture.h"
#include "render/pdf/pdf.h"
#include "util/xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
/*
 * Leaks inside the Debian 12 libraries, not ours: cairo 1.16 loses 768 bytes
 * per CFF font it subsets, and pango 1.50's fontconfig thread loses a few
 * patterns.  LeakSanitizer asks this hook for suppressions.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libcairo.so\nleak:libfontconfig.so\n";
}
#endif

struct tmp {
	char path[64];
};

static void tmp_make(struct tmp *t)
{
	int fd;

	snprintf(t->path, sizeof(t->path), "/tmp/civreport-test-pdf-XXXXXX");
	fd = mkstemp(t->path);
	assert_true(fd >= 0);
	close(fd);
}

static void tmp_remove(struct tmp *t)
{
	unlink(t->path);
}

/* Run a shell command, return its stdout (caller frees) and exit status. */
__attribute__((format(printf, 2, 3))) static char *run(int *status, const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	FILE *fp;
	char *out = NULL;
	size_t len = 0, cap = 0;
	char buf[4096];
	size_t n;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		out = xgrow(out, &cap, len + n + 1, 1);
		memcpy(out + len, buf, n);
		len += n;
	}
	if (out == NULL)
		out = xstrdup("");
	else
		out[len] = '\0';
	st = pclose(fp);
	if (status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return out;
}

/* The next line of a buffer, split in place on '\n' and '\f'; NULL at the end. */
static char *next_line(char **cursor)
{
	char *s = *cursor;
	size_t n;

	if (s == NULL || *s == '\0')
		return NULL;
	n = strcspn(s, "\n\f");
	if (s[n] != '\0') {
		s[n] = '\0';
		*cursor = s + n + 1;
	} else {
		*cursor = s + n;
	}
	return s;
}

static void render_ok(const struct doc *d, const char *path)
{
	char err[512] = "";
	int rc = pdf_render(d, path, err, sizeof(err));

	if (rc != 0)
		print_error("pdf_render: %s\n", err);
	assert_int_equal(rc, 0);
	assert_string_equal(err, "");
}

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *data;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	data = xmalloc((size_t)n);
	assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return data;
}

static void add_paragraph(struct doc *d, const char *text)
{
	struct doc_block *b = fixture_block(d, DOC_PARAGRAPH, 0);

	fixture_text(&b->text, text, 0);
}

/* A doc with the fixture's metadata and no blocks; free with doc_free(). */
static struct doc *bare_doc(void)
{
	struct doc *d = xcalloc(1, sizeof(*d));
	struct doc *f = fixture_doc();

	d->meta = f->meta;
	memset(&f->meta, 0, sizeof(f->meta));
	doc_free(f);
	return d;
}

/* The fixture, rendered once for the tests that only read it. */
static struct tmp fixture_pdf;

static int setup_fixture(void **state)
{
	struct doc *d = fixture_doc();

	(void)state;
	tmp_make(&fixture_pdf);
	render_ok(d, fixture_pdf.path);
	doc_free(d);
	return 0;
}

static int teardown_fixture(void **state)
{
	(void)state;
	tmp_remove(&fixture_pdf);
	return 0;
}

static void test_text_reads_back(void **state)
{
	char *txt;
	int st;

	(void)state;
	txt = run(&st, "pdftotext -enc UTF-8 %s -", fixture_pdf.path);
	assert_int_equal(st, 0);
	assert_non_null(strstr(txt, "广安市2021年民政工作总结"));
	assert_non_null(strstr(txt, "广安市民政局"));
	assert_non_null(strstr(txt, "2021年12月31日"));
	/* runs joined without spaces or breaks, figures inline */
	assert_non_null(strstr(txt, "26.7万名城乡困难群众发放低保金3.5亿元"));
	assert_non_null(strstr(txt, "一、兜牢民生保障底线"));
	assert_non_null(strstr(txt, "— 1 —"));
	assert_non_null(strstr(txt, "— 2 —"));
	assert_non_null(strstr(txt, "图1 各区县城乡低保金发放情况"));
	assert_non_null(strstr(txt, "图6"));
	assert_non_null(strstr(txt, "表1 各区县城乡低保发放情况"));
	assert_non_null(strstr(txt, "附录 数据质量与来源"));
	assert_non_null(strstr(txt, "建设养老服务综合体16个。"));
	/* the appendix: thousands separators, reasons, provenance */
	assert_non_null(strstr(txt, "540,012"));
	assert_non_null(strstr(txt, "540,005"));
	assert_non_null(strstr(txt, "身份证号校验位错误"));
	assert_non_null(strstr(txt, "38,211,234"));
	assert_non_null(strstr(txt, "templates/annual-summary.md"));
	assert_non_null(strstr(txt, "civreport 0.1.0"));
	assert_non_null(strstr(txt, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	free(txt);
}

/* The appendix starts on a page of its own, and that page is the last but none. */
static void test_appendix_on_own_page(void **state)
{
	char *info, *txt, *p;
	int st, pages;

	(void)state;
	info = run(&st, "pdfinfo %s | sed -n 's/^Pages: *//p'", fixture_pdf.path);
	pages = (int)strtol(info, NULL, 10);
	assert_true(pages >= 4);
	free(info);
	/* find the page that begins with 附录 */
	for (int pg = 2; pg <= pages; pg++) {
		txt = run(&st, "pdftotext -enc UTF-8 -f %d -l %d %s -", pg, pg, fixture_pdf.path);
		p = strstr(txt, "附录 数据质量与来源");
		if (p != NULL) {
			assert_true(p == txt); /* first thing on its page */
			free(txt);
			return;
		}
		free(txt);
	}
	fail_msg("no page starts with the appendix");
}

static void test_fonts_embedded_subsets(void **state)
{
	char *out, *line, *cur;
	int st, nfonts = 0;

	(void)state;
	out = run(&st, "pdffonts %s", fixture_pdf.path);
	assert_int_equal(st, 0);
	/* skip the two header lines; every font: emb yes, sub yes */
	cur = out;
	next_line(&cur);
	next_line(&cur);
	while ((line = next_line(&cur)) != NULL) {
		char name[128];

		nfonts++;
		assert_int_equal(sscanf(line, "%127s", name), 1);
		assert_non_null(strchr(name, '+')); /* ABCDEF+ subset tag */
		assert_non_null(strstr(name, "CJK"));
		assert_non_null(strstr(line, " yes yes "));
	}
	assert_true(nfonts >= 2);
	free(out);
}

/* The value of "Field:" in pdfinfo's output, or "" */
static void info_field(const char *out, const char *field, char *buf, size_t len)
{
	const char *p = out;
	size_t fl = strlen(field);

	buf[0] = '\0';
	while (p != NULL && *p) {
		if (strncmp(p, field, fl) == 0 && p[fl] == ':') {
			const char *v = p + fl + 1;
			size_t n;

			v += strspn(v, " ");
			n = strcspn(v, "\n");
			snprintf(buf, len, "%.*s", (int)n, v);
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

static void test_metadata(void **state)
{
	char *out;
	char v[256];
	int st;

	(void)state;
	out = run(&st, "pdfinfo -isodates %s", fixture_pdf.path);
	assert_int_equal(st, 0);
	info_field(out, "Title", v, sizeof(v));
	assert_string_equal(v, "广安市2021年民政工作总结");
	info_field(out, "Author", v, sizeof(v));
	assert_string_equal(v, "广安市民政局");
	info_field(out, "Subject", v, sizeof(v));
	assert_string_equal(v, "2021年民政工作总结");
	info_field(out, "Keywords", v, sizeof(v));
	assert_string_equal(v, "民政, 社会救助, 养老服务");
	info_field(out, "Creator", v, sizeof(v));
	assert_string_equal(v, "civreport 0.1.0");
	info_field(out, "CreationDate", v, sizeof(v));
	assert_string_equal(v, "2021-12-31T00:00:00Z");
	info_field(out, "ModDate", v, sizeof(v));
	assert_string_equal(v, "2021-12-31T00:00:00Z");
	info_field(out, "Page size", v, sizeof(v));
	assert_string_equal(v, "595.28 x 841.89 pts (A4)");
	info_field(out, "Pages", v, sizeof(v));
	assert_true(strtol(v, NULL, 10) >= 4);
	free(out);
}

static void test_qpdf_check(void **state)
{
	char *out;
	int st;

	(void)state;
	out = run(&st, "qpdf --check %s 2>&1", fixture_pdf.path);
	if (st != 0)
		print_error("%s\n", out);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "No syntax or stream encoding errors"));
	free(out);
}

/* Bookmarks: one per heading, the appendix's sections nested under it. */
static void test_outline(void **state)
{
	char *out;
	int st;

	(void)state;
	out = run(&st, "qpdf --json --json-key=outlines %s", fixture_pdf.path);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "\"title\": \"一、兜牢民生保障底线\""));
	assert_non_null(strstr(out, "\"title\": \"二、夯实老有所养基础\""));
	assert_non_null(strstr(out, "\"title\": \"附录 数据质量与来源\""));
	assert_non_null(strstr(out, "\"title\": \"（三）数据来源\""));
	assert_non_null(strstr(out, "\"destpageposfrom1\": 1,"));
	/* the appendix's sections are its kids: one level deeper in qpdf's JSON */
	assert_non_null(strstr(out, "\n      \"title\": \"附录 数据质量与来源\""));
	assert_non_null(strstr(out, "\n          \"title\": \"（一）输入文件\""));
	free(out);
}

static void test_size(void **state)
{
	struct stat sb;

	(void)state;
	assert_int_equal(stat(fixture_pdf.path, &sb), 0);
	assert_true(sb.st_size > 10000);
	assert_true(sb.st_size < 1000000);
}

static void test_deterministic(void **state)
{
	struct doc *d = fixture_doc();
	struct tmp a, b;
	char *x, *y;
	size_t xl, yl;

	(void)state;
	tmp_make(&a);
	tmp_make(&b);
	render_ok(d, a.path);
	render_ok(d, b.path);
	x = read_all(a.path, &xl);
	y = read_all(b.path, &yl);
	assert_int_equal(xl, yl);
	assert_memory_equal(x, y, xl);
	/* and the same as the render in setup, earlier in the process */
	free(y);
	y = read_all(fixture_pdf.path, &yl);
	assert_int_equal(xl, yl);
	assert_memory_equal(x, y, xl);
	free(x);
	free(y);
	tmp_remove(&a);
	tmp_remove(&b);
	doc_free(d);
}

/*
 * Another process (other addresses under ASLR) in the C locale writes the
 * same bytes: this binary re-run with CIVREPORT_TEST_PDF_OUT set renders
 * the fixture there and exits (see main).
 */
static void test_deterministic_across_processes(void **state)
{
	struct tmp a;
	char *x, *y, *out;
	size_t xl, yl;
	int st;

	(void)state;
	tmp_make(&a);
	out = run(&st, "LANG=C LC_ALL=C LANGUAGE= CIVREPORT_TEST_PDF_OUT=%s /proc/%d/exe 2>&1",
		  a.path, (int)getpid());
	assert_int_equal(st, 0);
	free(out);
	x = read_all(a.path, &xl);
	y = read_all(fixture_pdf.path, &yl);
	assert_int_equal(xl, yl);
	assert_memory_equal(x, y, xl);
	free(x);
	free(y);
	tmp_remove(&a);
}

static void expect_glyph_failure(const char *text, const char *in_message)
{
	struct doc *d = fixture_doc();
	struct tmp t;
	char err[512] = "";
	struct stat sb;

	tmp_make(&t);
	add_paragraph(d, text);
	assert_int_equal(pdf_render(d, t.path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, in_message));
	assert_non_null(strstr(err, "Noto Serif CJK SC"));
	/* the caller's file is left as it was: empty, no partial PDF */
	assert_int_equal(stat(t.path, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	tmp_remove(&t);
	doc_free(d);
}

static void test_missing_glyph_private_use(void **state)
{
	(void)state;
	expect_glyph_failure("困难群众\xee\x80\x80发放", "U+E000");
	/* the message quotes the text around it, the character made visible */
	expect_glyph_failure("为困难群众\xee\x80\x80发放低保金", "“为困难群众[U+E000]发放低保金”");
}

static void test_missing_glyph_unassigned(void **state)
{
	struct doc *d = fixture_doc();
	struct tmp t;
	char err[512] = "";

	(void)state;
	/* U+0378 is unassigned: no font has it */
	expect_glyph_failure("低保\xcd\xb8对象", "U+0378");
	/*
	 * U+1F600 is an emoji no CJK face has: another installed font draws
	 * it (pango's fallback), as data text may hold one (issue 10 item 27)
	 */
	if (!glyph_in_any_font(0x1F600)) {
		expect_glyph_failure("笑脸\xf0\x9f\x98\x80", "U+1F600");
		doc_free(d);
		return;
	}
	tmp_make(&t);
	add_paragraph(d, "笑脸\xf0\x9f\x98\x80");
	assert_int_equal(pdf_render(d, t.path, err, sizeof(err)), 0);
	tmp_remove(&t);
	doc_free(d);
}

static void test_missing_font(void **state)
{
	struct doc *d = fixture_doc();
	struct tmp t;
	char err[512] = "";

	(void)state;
	tmp_make(&t);
	free(d->meta.font[DOC_FONT_BODY]);
	d->meta.font[DOC_FONT_BODY] = xstrdup("No Such Font SC");
	assert_int_equal(pdf_render(d, t.path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No Such Font SC"));
	tmp_remove(&t);
	doc_free(d);
}

static void test_unwritable_path(void **state)
{
	struct doc *d = fixture_doc();
	char err[512] = "";

	(void)state;
	assert_int_equal(pdf_render(d, "/nonexistent-dir/x.pdf", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent-dir/x.pdf"));
	doc_free(d);
}

/* A table three pages long: 续表 and the header again on the following pages. */
static void test_long_table_repeats_header(void **state)
{
	struct doc *d = fixture_doc();
	struct doc_table *t;
	struct doc_block *b;
	struct tmp tmp;
	char *txt;
	int st;
	size_t n = 80;

	(void)state;
	t = xcalloc(1, sizeof(*t));
	t->label = xstrdup("表2");
	t->title = xstrdup("长表");
	t->ncols = 3;
	t->nrows = n;
	t->header = xcalloc(3, sizeof(char *));
	t->header[0] = xstrdup("乡镇街道");
	t->header[1] = xstrdup("救助人数");
	t->header[2] = xstrdup("救助金额");
	t->cells = xcalloc(n * 3, sizeof(*t->cells));
	t->summable = xcalloc(3, sizeof(bool));
	t->has_total = true;
	for (size_t r = 0; r < n; r++) {
		struct doc_cell *c = &t->cells[r * 3];

		c[0].text = r + 1 < n ? xasprintf("第%zu街道", r + 1) : xstrdup("合计");
		c[1].text = xasprintf("%zu", 1000 + r);
		c[1].numeric = true;
		c[2].text = xasprintf("%zu.00", 50000 + r);
		c[2].numeric = true;
	}
	b = fixture_block(d, DOC_PAGE_BREAK, 0);
	b = fixture_block(d, DOC_TABLE, 0);
	b->table = t;
	tmp_make(&tmp);
	render_ok(d, tmp.path);

	txt = run(&st, "pdftotext -enc UTF-8 %s - | tr -d '\\f' | grep -c '^续表2$'", tmp.path);
	assert_true(strtol(txt, NULL, 10) >= 2); /* three pages: two continuations */
	free(txt);
	txt = run(&st, "pdftotext -enc UTF-8 %s - | tr -d '\\f' | grep -c '^乡镇街道$'", tmp.path);
	assert_true(strtol(txt, NULL, 10) >= 3);
	free(txt);
	/* the page after the table's first shows 续表, the header, later rows */
	for (int pg = 1, found = 0; !found; pg++) {
		assert_true(pg < 20);
		txt = run(&st, "pdftotext -enc UTF-8 -f %d -l %d %s -", pg, pg, tmp.path);
		found = strstr(txt, "表2 长表") != NULL;
		free(txt);
		if (!found)
			continue;
		txt = run(&st, "pdftotext -enc UTF-8 -f %d -l %d %s -", pg + 1, pg + 1, tmp.path);
		assert_non_null(strstr(txt, "续表2"));
		assert_non_null(strstr(txt, "乡镇街道"));
		assert_non_null(strstr(txt, "救助人数"));
		assert_non_null(strstr(txt, "救助金额"));
		assert_non_null(strstr(txt, "第40街道"));
		free(txt);
	}
	/* the 合计 row is never alone on the last page */
	txt = run(
	    &st,
	    "pdftotext -enc UTF-8 %s - | awk 'BEGIN{RS=\"\\f\"} /合计/' | grep -c '^第[0-9]*街道'",
	    tmp.path);
	assert_true(strtol(txt, NULL, 10) >= 1);
	free(txt);
	txt = run(&st, "qpdf --check %s >/dev/null 2>&1; echo $?", tmp.path);
	assert_string_equal(txt, "0\n");
	free(txt);
	tmp_remove(&tmp);
	doc_free(d);
}

/* Same table via pdftotext -f 2 -l 2, as the brief words it. */
static void test_long_table_page2(void **state)
{
	struct doc *d = bare_doc();
	struct doc_table *t;
	struct doc_block *b;
	struct tmp tmp;
	char *txt;
	int st;
	size_t n = 90;

	(void)state;
	t = xcalloc(1, sizeof(*t));
	t->title = xstrdup("明细");
	t->ncols = 2;
	t->nrows = n;
	t->header = xcalloc(2, sizeof(char *));
	t->header[0] = xstrdup("户主姓名");
	t->header[1] = xstrdup("发放金额");
	t->cells = xcalloc(n * 2, sizeof(*t->cells));
	t->summable = xcalloc(2, sizeof(bool));
	for (size_t r = 0; r < n; r++) {
		t->cells[r * 2].text = xasprintf("户%zu", r + 1);
		t->cells[r * 2 + 1].text = xasprintf("%zu", r * 7);
		t->cells[r * 2 + 1].numeric = true;
	}
	b = fixture_block(d, DOC_TABLE, 0);
	b->table = t;
	tmp_make(&tmp);
	render_ok(d, tmp.path);
	for (int pg = 2; pg <= 3; pg++) {
		txt = run(&st, "pdftotext -enc UTF-8 -f %d -l %d %s -", pg, pg, tmp.path);
		assert_non_null(strstr(txt, "户主姓名"));
		assert_non_null(strstr(txt, "发放金额"));
		free(txt);
	}
	tmp_remove(&tmp);
	doc_free(d);
}

static bool starts_with_any(const char *line, const char *const *set, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (strncmp(line, set[k], strlen(set[k])) == 0)
			return true;
	}
	return false;
}

static bool ends_with_any(const char *line, const char *const *set, size_t n)
{
	size_t len = strlen(line);

	for (size_t k = 0; k < n; k++) {
		size_t sl = strlen(set[k]);

		if (len >= sl && strcmp(line + len - sl, set[k]) == 0)
			return true;
	}
	return false;
}

/*
 * A paragraph longer than a page flows over; no line starts with closing
 * punctuation or ends with opening punctuation; justification never makes
 * pdftotext see a space inside the Chinese text.
 */
static void test_long_paragraph_and_line_breaking(void **state)
{
	static const char *const closing[] = {"，", "。", "、", "；", "：",
					      "？", "！", "”",  "）", "》"};
	static const char *const opening[] = {"“", "（", "《"};
	struct doc *d = bare_doc();
	struct tmp t;
	char *txt, *line, *cur, *info;
	char *s = xcalloc(1, 1);
	int st, pages, nlines = 0;

	(void)state;
	for (int i = 0; i < 60; i++) {
		char *more = xasprintf("%s第%d项工作落实到位，群众满意度达%d%%。“兜底保障”"
				       "（含临时救助）进展顺利；《条例》已施行：成效明显？是！",
				       s, i * 7 + 1, 90 + i % 10);

		free(s);
		s = more;
	}
	add_paragraph(d, s);
	free(s);
	tmp_make(&t);
	render_ok(d, t.path);
	info = run(&st, "pdfinfo %s | sed -n 's/^Pages: *//p'", t.path);
	pages = (int)strtol(info, NULL, 10);
	free(info);
	assert_true(pages >= 3); /* three of paragraph (and no appendix in a bare doc) */
	txt = run(&st, "pdftotext -enc UTF-8 -l %d %s -", pages, t.path);
	assert_non_null(strstr(txt, "第1项工作落实到位"));
	cur = txt;
	while ((line = next_line(&cur)) != NULL) {
		if (*line == '\0' || strncmp(line, "— ", strlen("— ")) == 0)
			continue;
		nlines++;
		if (starts_with_any(line, closing, sizeof(closing) / sizeof(closing[0])))
			fail_msg("line starts with closing punctuation: %s", line);
		if (ends_with_any(line, opening, sizeof(opening) / sizeof(opening[0])))
			fail_msg("line ends with opening punctuation: %s", line);
		if (strchr(line, ' ') != NULL)
			fail_msg("pdftotext sees a space: %s", line);
	}
	assert_true(nlines > 60);
	free(txt);
	/* nothing lost at the page breaks: the last sentence is there, whole */
	txt = run(&st, "pdftotext -enc UTF-8 -l %d %s - | tr -d '\\n\\f'", pages, t.path);
	assert_non_null(strstr(txt, "第414项工作落实到位，群众满意度达99%。“兜底保障”"));
	assert_non_null(strstr(txt, "第414项工作落实到位，群众满意度达99%。“兜底保障”（含临时救助）"
				    "进展顺利；《条例》已施行：成效明显？是！"));
	free(txt);
	tmp_remove(&t);
	doc_free(d);
}

/*
 * A heading is never the last thing on a page: push it down line by line
 * with filler paragraphs and check every page where it lands.
 */
static void test_heading_keeps_with_next(void **state)
{
	(void)state;
	for (int fill = 14; fill <= 22; fill++) {
		struct doc *d = bare_doc();
		struct doc_block *b;
		struct tmp t;
		char *txt, *h, *after;
		int st;

		for (int i = 0; i < fill; i++)
			add_paragraph(d, "填充段落。");
		b = fixture_block(d, DOC_HEADING, 1);
		fixture_text(&b->text, "三、标题必须与正文同页", 0);
		add_paragraph(d, "标题后的正文第一段，两行以上才能检验是否与标题同页。"
				 "标题后的正文第一段，两行以上才能检验是否与标题同页。");
		tmp_make(&t);
		render_ok(d, t.path);
		txt = run(&st, "pdftotext -enc UTF-8 %s -", t.path);
		h = strstr(txt, "三、标题必须与正文同页");
		assert_non_null(h);
		after = strstr(h, "标题后的正文第一段");
		assert_non_null(after);
		/* no page break (form feed) between the heading and its paragraph */
		for (const char *c = h; c < after; c++)
			assert_int_not_equal(*c, '\f');
		free(txt);
		tmp_remove(&t);
		doc_free(d);
	}
}

/* A table of nrows rows (the last 合计) with a note, as the default report's 表4. */
static struct doc_table *noted_table(size_t nrows)
{
	struct doc_table *t = xcalloc(1, sizeof(*t));

	t->label = xstrdup("表4");
	t->title = xstrdup("儿童福利保障情况");
	t->ncols = 2;
	t->nrows = nrows;
	t->header = xcalloc(2, sizeof(char *));
	t->header[0] = xstrdup("项目");
	t->header[1] = xstrdup("保障人数（人）");
	t->cells = xcalloc(nrows * 2, sizeof(*t->cells));
	t->summable = xcalloc(2, sizeof(bool));
	t->has_total = nrows > 1;
	for (size_t r = 0; r < nrows; r++) {
		struct doc_cell *c = &t->cells[r * 2];

		c[0].text =
		    r + 1 < nrows || nrows == 1 ? xasprintf("项目%zu", r + 1) : xstrdup("合计");
		c[1].text = xasprintf("%zu", 100 + r);
		c[1].numeric = true;
	}
	t->note = xstrdup("合计人数按身份证号去重（同一儿童可能享受多个项目）。");
	return t;
}

/*
 * A table's note stays on the page of its table: push the table down
 * paragraph by paragraph and check that no page starts with the note.
 */
static void test_table_note_keeps_with_table(void **state)
{
	static const size_t rows[] = {1, 4, 7};

	(void)state;
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		for (int fill = 8; fill <= 22; fill++) {
			struct doc *d = bare_doc();
			struct doc_block *b;
			struct tmp t;
			char *txt, *note, *row;
			int st;

			for (int i = 0; i < fill; i++)
				add_paragraph(d, "填充段落。");
			b = fixture_block(d, DOC_TABLE, 0);
			b->table = noted_table(rows[k]);
			add_paragraph(d, "表后的正文。");
			tmp_make(&t);
			render_ok(d, t.path);
			txt = run(&st, "pdftotext -enc UTF-8 %s -", t.path);
			note = strstr(txt, "合计人数按身份证号去重");
			assert_non_null(note);
			row = strstr(txt, rows[k] == 1 ? "项目1" : "合计");
			assert_non_null(row);
			assert_true(row < note);
			/* no page break (form feed) between the last row and the note */
			for (const char *c = row; c < note; c++)
				if (*c == '\f')
					fail_msg(
					    "%zu rows after %d paragraphs: the note starts a page",
					    rows[k], fill);
			free(txt);
			tmp_remove(&t);
			doc_free(d);
		}
	}
}

/*
 * A chart's caption (under it) never starts a page without its chart, even
 * when a long title wraps to more lines than the chart's room counted.
 */
static void test_chart_caption_keeps_with_chart(void **state)
{
	(void)state;
	for (int fill = 1; fill <= 12; fill++) {
		struct doc *d = bare_doc();
		struct doc_block *b;
		struct tmp t;
		char *txt, *cap, *start, *page;
		int st;

		for (int i = 0; i < fill; i++)
			add_paragraph(d, "填充段落。");
		b = fixture_block(d, DOC_CHART, 0);
		b->chart = fixture_chart(CHART_BAR, 1);
		b->chart->label = xstrdup("图1");
		free(b->chart->title);
		b->chart->title =
		    xstrdup("图题很长很长很长很长很长很长很长很长很长很长很长很长很长很长"
			    "很长很长很长很长很长很长很长很长很长很长很长很长很长很长"
			    "很长很长很长很长很长很长很长很长很长很长的情况");
		doc_chart_finish(b->chart);
		tmp_make(&t);
		render_ok(d, t.path);
		txt = run(&st, "pdftotext -enc UTF-8 %s -", t.path);
		cap = strstr(txt, "图题很长");
		assert_non_null(cap);
		/* the caption's page holds the chart (its category labels) above it */
		for (start = cap; start > txt && start[-1] != '\f'; start--)
			;
		page = xstrndup(start, (size_t)(cap - start));
		if (strstr(page, "广安区") == NULL)
			fail_msg("after %d paragraphs a page starts with the caption", fill);
		free(page);
		free(txt);
		tmp_remove(&t);
		doc_free(d);
	}
}

/*
 * An appendix table of files, sizes and SHA-256 hashes: the hash column
 * gives way, so a file name never wraps mid-name while the hash, which may
 * break anywhere, takes the room that is left.
 */
static void test_hash_column_gives_way(void **state)
{
	static const char *const names[] = {
	    "charity.csv",       "children.csv",      "elderly.csv",
	    "relief-前锋区.csv", "relief-华蓥市.csv", "relief-岳池县.csv",
	    "relief-广安区.csv", "relief-武胜县.csv", "relief-邻水县.csv"};
	const size_t n = sizeof(names) / sizeof(names[0]);
	struct doc *d = bare_doc();
	struct doc_table *t = xcalloc(1, sizeof(*t));
	struct doc_block *b;
	struct tmp tmp;
	char *txt;
	int st;

	(void)state;
	t->label = xstrdup("附表4");
	t->title = xstrdup("输入文件来源");
	t->ncols = 3;
	t->nrows = n;
	t->header = xcalloc(3, sizeof(char *));
	t->header[0] = xstrdup("文件");
	t->header[1] = xstrdup("字节数");
	t->header[2] = xstrdup("SHA-256");
	t->cells = xcalloc(n * 3, sizeof(*t->cells));
	t->summable = xcalloc(3, sizeof(bool));
	for (size_t r = 0; r < n; r++) {
		struct doc_cell *c = &t->cells[r * 3];

		c[0].text = xstrdup(names[r]);
		c[1].text = xasprintf("189,573,58%zu", r);
		c[1].numeric = true;
		c[2].text =
		    xstrdup("924638e039fd1f95000b062e33a5af0455bf6c64da952b4fe441295add313b9e");
		c[2].code = true;
	}
	b = fixture_block(d, DOC_TABLE, 0);
	b->table = t;
	tmp_make(&tmp);
	render_ok(d, tmp.path);
	txt = run(&st, "pdftotext -enc UTF-8 %s -", tmp.path);
	for (size_t r = 0; r < n; r++)
		if (strstr(txt, names[r]) == NULL)
			fail_msg("“%s” wraps: %s", names[r], txt);
	free(txt);
	tmp_remove(&tmp);
	doc_free(d);
}

/* Lists: numbers and bullets, text hanging after the marker. */
static void test_lists(void **state)
{
	struct doc *d = fixture_doc();
	struct doc_block *b;
	struct tmp t;
	char *txt;
	int st;

	(void)state;
	for (int i = 1; i <= 3; i++) {
		b = fixture_block(d, DOC_LIST_ITEM, 1);
		b->list_number = i;
		fixture_text(&b->text,
			     "编号列表项，文字较长时应悬挂缩进，第二行与第一行的文字左端对齐，"
			     "不与编号对齐。",
			     0);
	}
	b = fixture_block(d, DOC_LIST_ITEM, 2);
	b->list_number = 1;
	fixture_text(&b->text, "第二层编号。", DOC_RUN_BOLD);
	b = fixture_block(d, DOC_LIST_ITEM, 1);
	fixture_text(&b->text, "项目符号列表项。", 0);
	b = fixture_block(d, DOC_LIST_ITEM, 2);
	fixture_text(&b->text, "第二层项目符号。", DOC_RUN_ITALIC);
	b = fixture_block(d, DOC_PARAGRAPH, 0);
	fixture_text(&b->text, "代码：", 0);
	fixture_text(&b->text, "relief.persons", DOC_RUN_CODE);
	tmp_make(&t);
	render_ok(d, t.path);
	txt = run(&st, "pdftotext -enc UTF-8 %s -", t.path);
	assert_non_null(strstr(txt, "3. 编号列表项"));
	assert_non_null(strstr(txt, "（1） 第二层编号。"));
	assert_non_null(strstr(txt, "项目符号列表项。"));
	assert_non_null(strstr(txt, "代码：relief.persons"));
	free(txt);
	tmp_remove(&t);
	doc_free(d);
}

/* Nothing in the document at all still makes a valid PDF with its appendix. */
static void test_empty_doc(void **state)
{
	struct doc *d = xcalloc(1, sizeof(*d));
	struct tmp t;
	char *txt;
	int st;

	(void)state;
	tmp_make(&t);
	render_ok(d, t.path);
	txt = run(&st, "pdftotext -enc UTF-8 %s -", t.path);
	/* the renderer adds nothing of its own: no appendix unless the doc has one */
	assert_null(strstr(txt, "附录"));
	assert_non_null(strstr(txt, "— 1 —"));
	free(txt);
	txt = run(&st, "qpdf --check %s >/dev/null 2>&1; echo $?", t.path);
	assert_string_equal(txt, "0\n");
	free(txt);
	tmp_remove(&t);
	doc_free(d);
}

/* The child of test_deterministic_across_processes. */
static int render_fixture_to(const char *path)
{
	struct doc *d = fixture_doc();
	char err[512];
	int rc = pdf_render(d, path, err, sizeof(err));

	if (rc != 0)
		fprintf(stderr, "pdf_render: %s\n", err);
	doc_free(d);
	return rc == 0 ? 0 : 1;
}

int main(void)
{
	const struct CMUnitTest fixture_tests[] = {
	    cmocka_unit_test(test_text_reads_back),
	    cmocka_unit_test(test_appendix_on_own_page),
	    cmocka_unit_test(test_fonts_embedded_subsets),
	    cmocka_unit_test(test_metadata),
	    cmocka_unit_test(test_qpdf_check),
	    cmocka_unit_test(test_outline),
	    cmocka_unit_test(test_size),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_deterministic_across_processes),
	};
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_missing_glyph_private_use),
	    cmocka_unit_test(test_missing_glyph_unassigned),
	    cmocka_unit_test(test_missing_font),
	    cmocka_unit_test(test_unwritable_path),
	    cmocka_unit_test(test_long_table_repeats_header),
	    cmocka_unit_test(test_long_table_page2),
	    cmocka_unit_test(test_table_note_keeps_with_table),
	    cmocka_unit_test(test_chart_caption_keeps_with_chart),
	    cmocka_unit_test(test_hash_column_gives_way),
	    cmocka_unit_test(test_long_paragraph_and_line_breaking),
	    cmocka_unit_test(test_heading_keeps_with_next),
	    cmocka_unit_test(test_lists),
	    cmocka_unit_test(test_empty_doc),
	};
	int fails;

	if (getenv("CIVREPORT_TEST_PDF_OUT") != NULL)
		return render_fixture_to(getenv("CIVREPORT_TEST_PDF_OUT"));
	fails = cmocka_run_group_tests_name("pdf fixture", fixture_tests, setup_fixture,
					    teardown_fixture);

	return fails + cmocka_run_group_tests_name("pdf", tests, NULL, NULL);
}
