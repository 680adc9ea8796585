/*
 * test_docx.c - the DOCX renderer (src/render/docx).
 *
 * The XML writer against hostile text (bytes that are not UTF-8, C0
 * controls, markup, "]]>", quotes); whole documents rendered into a
 * temporary folder and read back with libzip: hostile text in every place
 * the doc puts text (title, runs, headings, cells, notes, captions, chart
 * titles in the alt text, the properties) never reaches a part unescaped,
 * two renders are the same bytes, the parts are where the relations say,
 * the pictures are 200 dpi PNGs with a pHYs chunk, the column widths sum to
 * the text width for any table.  t_docx reads a whole report back with
 * python-docx.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "doc_fixture.h"
#include "render/docx/docx.h"
#include "render/docx/docx_priv.h"
#include "util/strbuf.h"
#include "util/text.h"

static char tmpdir[] = "/tmp/test_docx.XXXXXX";

/* Everything a hostile export or template could put in a text. */
#define HOSTILE                                                                                    \
	"a<b>&c\"d'e]]>f\x01g\x1b[31mh\x7fi\xff\xfe\xc3j\xed\xa0\x80k\xef\xbf\xbel\tm\nn\r\no"

static char *path_in_tmp(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* The part name of the docx at path, as a string (NULL when absent). */
static char *read_part(const char *path, const char *name, size_t *len)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	zip_stat_t st;
	zip_file_t *f;
	char *buf;

	assert_non_null(z);
	if (zip_stat(z, name, 0, &st) != 0) {
		zip_close(z);
		return NULL;
	}
	f = zip_fopen(z, name, 0);
	assert_non_null(f);
	buf = xmalloc(st.size + 1);
	assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
	buf[st.size] = '\0';
	zip_fclose(f);
	zip_close(z);
	if (len != NULL)
		*len = st.size;
	return buf;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;

	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb, len);
}

static char *render(const struct doc *d, const char *name)
{
	char *path = path_in_tmp(name), err[512];

	assert_int_equal(docx_render(d, path, err, sizeof(err)), 0);
	return path;
}

/*
 * An XML part is safe when it is valid UTF-8 and holds no character XML
 * forbids, and nothing of HOSTILE's markup survived as markup.
 */
static void assert_clean_xml(const char *xml, size_t len)
{
	assert_int_equal(utf8_valid_prefix(xml, len), len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)xml[i];

		if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
			fail_msg("control character 0x%02x at %zu", c, i);
	}
	assert_null(strstr(xml, "\xef\xbf\xbe")); /* U+FFFE */
	assert_null(strstr(xml, "<b>"));
	assert_null(strstr(xml, "]]>"));
	assert_null(strstr(xml, "&c"));
}

/* ---- the XML writer ---------------------------------------------------- */

static void test_xml_text(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	xml_text(&sb, HOSTILE);
	/* markup escaped, quotes left in text, controls and bad bytes gone, tab/newline kept */
	assert_string_equal(sb.buf, "a&lt;b&gt;&amp;c\"d'e]]&gt;fg[31mh\x7fijkl\tm\nn&#13;\no");
	strbuf_reset(&sb);
	xml_text(&sb, "");
	xml_text(&sb, NULL);
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

static void test_xml_attr(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	xml_attr(&sb, "descr", HOSTILE);
	assert_string_equal(
	    sb.buf,
	    " descr=\"a&lt;b&gt;&amp;c&quot;d'e]]&gt;fg[31mh\x7fijkl&#9;m&#10;n&#13;&#10;o\"");
	strbuf_reset(&sb);
	xml_attr(&sb, "name", NULL);
	assert_string_equal(sb.buf, " name=\"\"");
	strbuf_reset(&sb);
	xml_attr_int(&sb, "id", -12);
	assert_string_equal(sb.buf, " id=\"-12\"");
	strbuf_release(&sb);
}

/* A run: tabs and breaks become Word's elements, spaces are kept. */
static void test_run(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	docx_run(&sb, "  甲\t乙\r\n丙\r丁\n", "<w:b/>");
	assert_string_equal(sb.buf, "<w:r><w:rPr><w:b/></w:rPr>"
				    "<w:t xml:space=\"preserve\">  甲</w:t><w:tab/>"
				    "<w:t xml:space=\"preserve\">乙</w:t><w:br/>"
				    "<w:t xml:space=\"preserve\">丙</w:t><w:br/>"
				    "<w:t xml:space=\"preserve\">丁</w:t><w:br/></w:r>");
	strbuf_reset(&sb);
	docx_run(&sb, NULL, NULL);
	assert_string_equal(sb.buf, "<w:r></w:r>");
	strbuf_release(&sb);
}

/* ---- whole documents ---------------------------------------------------- */

/* Every text of the doc hostile: title, properties, runs, cells, notes, captions. */
static struct doc *hostile_doc(void)
{
	struct doc *d = fixture_doc();
	struct doc_block *b;

	free(d->meta.title);
	d->meta.title = xstrdup("标题" HOSTILE);
	free(d->meta.author);
	d->meta.author = xstrdup("作者" HOSTILE);
	free(d->meta.keywords);
	d->meta.keywords = xstrdup(HOSTILE);
	b = fixture_block(d, DOC_PARAGRAPH, 0);
	fixture_text(&b->text, "正文" HOSTILE, DOC_RUN_BOLD);
	fixture_text(&b->text, HOSTILE, DOC_RUN_CODE | DOC_RUN_ITALIC);
	b = fixture_block(d, DOC_HEADING, 2);
	fixture_text(&b->text, "（一）" HOSTILE, 0);
	b = fixture_block(d, DOC_LIST_ITEM, 2);
	b->list_number = 3;
	fixture_text(&b->text, HOSTILE, 0);
	b = fixture_block(d, DOC_TABLE, 0);
	b->table = fixture_table();
	free(b->table->title);
	b->table->title = xstrdup(HOSTILE);
	free(b->table->header[0]);
	b->table->header[0] = xstrdup(HOSTILE);
	free(b->table->cells[0].text);
	b->table->cells[0].text = xstrdup(HOSTILE);
	b->table->note = xstrdup(HOSTILE);
	b = fixture_block(d, DOC_CHART, 0);
	b->chart = fixture_chart(CHART_BAR, 1);
	b->chart->label = xstrdup("图7");
	free(b->chart->title);
	b->chart->title = xstrdup(HOSTILE);
	doc_chart_finish(b->chart);
	return d;
}

static void test_hostile_text(void **state)
{
	struct doc *d = hostile_doc();
	char *path = render(d, "hostile.docx");
	static const char *const parts[] = {"word/document.xml", "docProps/core.xml",
					    "docProps/app.xml", "word/styles.xml"};

	(void)state;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t len;
		char *xml = read_part(path, parts[i], &len);

		assert_non_null(xml);
		assert_clean_xml(xml, len);
		free(xml);
	}
	{
		char *xml = read_part(path, "word/document.xml", NULL);
		char *core = read_part(path, "docProps/core.xml", NULL);

		/* the text is there, escaped: nothing of it vanished but what XML can't hold */
		assert_non_null(strstr(xml, "正文a&lt;b&gt;&amp;c\"d'e]]&gt;fg[31mh\x7fijkl</w:t>"
					    "<w:tab/>"));
		assert_non_null(strstr(xml, "descr=\"a&lt;b&gt;&amp;c&quot;d'e]]&gt;"));
		assert_non_null(strstr(core, "<dc:title>标题a&lt;b&gt;&amp;c\"d'e]]&gt;fg"));
		free(xml);
		free(core);
	}
	free(path);
	doc_free(d);
}

static void test_deterministic(void **state)
{
	struct doc *d = fixture_doc();
	char *p1 = render(d, "one.docx"), *p2 = render(d, "two.docx");
	size_t n1, n2;
	char *a = read_file(p1, &n1), *b = read_file(p2, &n2);

	(void)state;
	assert_true(n1 > 1000);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	free(a);
	free(b);
	free(p1);
	free(p2);
	doc_free(d);
}

/* Each part the relations name is in the package; the entries are dated from the doc. */
static void test_package(void **state)
{
	struct doc *d = fixture_doc();
	char *path = render(d, "package.docx");
	char *rels = read_part(path, "word/_rels/document.xml.rels", NULL);
	char *ct = read_part(path, "[Content_Types].xml", NULL);
	char *doc = read_part(path, "word/document.xml", NULL);
	char *core = read_part(path, "docProps/core.xml", NULL);
	char *settings = read_part(path, "word/settings.xml", NULL);
	int err = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	zip_stat_t st;
	size_t nimages = 0;

	(void)state;
	assert_non_null(z);
	assert_string_equal(zip_get_name(z, 0, 0), "[Content_Types].xml");
	for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); i++) {
		const char *name = zip_get_name(z, (zip_uint64_t)i, 0);

		assert_int_equal(zip_stat_index(z, (zip_uint64_t)i, 0, &st), 0);
		/* 2021-12-31, the doc's date, in every entry */
		assert_int_equal(st.mtime, 1640908800 + (int64_t)timezone); /* read as local time */
		if (strncmp(name, "word/media/", 11) == 0) {
			char *target = xasprintf("Target=\"media/%s\"", name + 11);

			assert_non_null(strstr(rels, target));
			free(target);
			nimages++;
		}
	}
	zip_close(z);
	/* one picture per chart of the fixture (six), each with its alt text */
	assert_int_equal(nimages, 6);
	assert_non_null(strstr(ct, "<Default Extension=\"png\" ContentType=\"image/png\"/>"));
	assert_non_null(strstr(doc, "descr=\"各区县城乡低保金发放情况\""));
	assert_non_null(strstr(doc, "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" "
				    "w:left=\"1587\""));
	assert_non_null(strstr(doc, "<w:tblHeader/>"));
	assert_non_null(strstr(doc, "附录"));
	assert_non_null(strstr(core, "2021-12-31T00:00:00Z</dcterms:created>"));
	assert_non_null(strstr(settings, "w:name=\"compatibilityMode\""));
	assert_null(strstr(doc, "Theme"));
	free(rels);
	free(ct);
	free(doc);
	free(core);
	free(settings);
	free(path);
	doc_free(d);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A chart's PNG: the size asked, pHYs after IHDR at the resolution, the same each time. */
static void test_chart_png(void **state)
{
	struct doc_chart *c = fixture_chart(CHART_PIE, 1);
	unsigned char *a, *b;
	size_t na, nb;

	(void)state;
	doc_chart_finish(c);
	assert_int_equal(docx_chart_png(c, "Noto Sans CJK SC", 1229, 200, &a, &na), 0);
	assert_int_equal(docx_chart_png(c, "Noto Sans CJK SC", 1229, 200, &b, &nb), 0);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	assert_memory_equal(a, "\x89PNG\r\n\x1a\n", 8);
	assert_int_equal(be32(a + 16), 1229);
	assert_int_equal(be32(a + 20), 676); /* 0.55 of the width, as the PDF's */
	assert_memory_equal(a + 37, "pHYs", 4);
	assert_int_equal(be32(a + 41), 7874); /* 200 dpi in pixels per metre */
	assert_int_equal(be32(a + 45), 7874);
	assert_int_equal(a[49], 1);
	/* the chunk's CRC, as zlib's crc32 gives it for "pHYs" + data */
	assert_int_equal(be32(a + 50), 0x6ed0753e);
	free(a);
	free(b);
	{
		struct doc *dd = xcalloc(1, sizeof(*dd));

		fixture_block(dd, DOC_CHART, 0)->chart = c; /* doc_free frees it */
		doc_free(dd);
	}
}

/* Column widths: whole twips summing to the text width, for any table. */
static void test_widths(void **state)
{
	struct doc_table *t = fixture_table();
	struct doc_table *wide = doc_table_new("表9", "宽表", 40, 2);
	int *w;
	long sum = 0;

	(void)state;
	w = docx_table_widths(t);
	for (size_t c = 0; c < t->ncols; c++) {
		assert_true(w[c] > 0);
		sum += w[c];
	}
	assert_int_equal(sum, DOCX_TEXT_W);
	/* the district column is narrower than the amounts' */
	assert_true(w[0] < w[2]);
	free(w);
	for (size_t c = 0; c < 40; c++) {
		doc_set_text(&wide->header[c], "一个很长很长很长很长很长很长的列标题");
		doc_set_text(&doc_table_cell(wide, 0, c)->text, "12345678901234567890");
		doc_table_cell(wide, 0, c)->numeric = true;
	}
	w = docx_table_widths(wide);
	sum = 0;
	for (size_t c = 0; c < 40; c++) {
		assert_true(w[c] > 0);
		sum += w[c];
	}
	assert_int_equal(sum, DOCX_TEXT_W);
	free(w);
	doc_table_free(t);
	doc_table_free(wide);
}

/* A symlink at path is not written through; a failure leaves no document. */
static void test_no_symlink(void **state)
{
	struct doc *d = fixture_doc();
	char *target = path_in_tmp("target"), *link = path_in_tmp("link.docx"), err[512];
	struct stat sb;

	(void)state;
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(docx_render(d, link, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "无法写入"));
	assert_int_not_equal(stat(target, &sb), 0);
	unlink(link);
	free(target);
	free(link);
	doc_free(d);
}

/* A chart font that is not installed is refused, as the PDF refuses it. */
static void test_missing_font(void **state)
{
	struct doc *d = fixture_doc();
	char *path = path_in_tmp("font.docx"), err[512];

	(void)state;
	free(d->meta.font[DOC_FONT_HEADING1]);
	d->meta.font[DOC_FONT_HEADING1] = xstrdup("不存在的字体");
	assert_int_equal(docx_render(d, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "不存在的字体"));
	free(path);
	doc_free(d);
}

static int setup(void **state)
{
	(void)state;
	tzset();
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc;

	(void)state;
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_xml_text),      cmocka_unit_test(test_xml_attr),
	    cmocka_unit_test(test_run),           cmocka_unit_test(test_hostile_text),
	    cmocka_unit_test(test_deterministic), cmocka_unit_test(test_package),
	    cmocka_unit_test(test_chart_png),     cmocka_unit_test(test_widths),
	    cmocka_unit_test(test_no_symlink),    cmocka_unit_test(test_missing_font),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
