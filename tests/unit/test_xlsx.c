/*
 * test_xlsx.c - the XLSX renderer (src/xlsx*.c).
 *
 * Renders fixture_doc() and a few odd docs into a temporary folder, then
 * reads the workbooks back the way a user's software would: openpyxl (via
 * tests/unit/xlsx_read.py, run with Debian's /usr/bin/python3) for sheets,
 * cells, formulas, panes, filters and print setup, and unzip for the chart
 * parts openpyxl does not read.  Also unit tests of the string helpers in
 * xlsx_priv.h (UTF-8 cleaning, sheet names, display widths).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc_fixture.h"
#include "render/xlsx/xlsx.h"
#include "render/xlsx/xlsx_priv.h"

#define PYTHON "/usr/bin/python3"

#define T1 "表1 各区县城乡低保发放情况"
#define G1 "图1 各区县城乡低保金发放情况"

static char tmpdir[] = "/tmp/test_xlsx.XXXXXX";
static char fixture_path[256];
static char *fixture_dump;
static bool have_python, have_unzip;

/* The reader script: relative to the repository root, or beside this file. */
static const char *reader_script(void)
{
	static char path[4096];
	const char *slash = strrchr(__FILE__, '/');

	if (access("tests/unit/xlsx_read.py", R_OK) == 0 || slash == NULL)
		return "tests/unit/xlsx_read.py";
	snprintf(path, sizeof(path), "%.*s/xlsx_read.py", (int)(slash - __FILE__), __FILE__);
	return path;
}

/* Run cmd, return its standard output (caller frees) and exit status. */
static char *run_capture(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	size_t len = 0, cap = 0;
	char *buf = NULL;
	char chunk[4096];
	size_t n;

	assert_non_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
		buf = xgrow(buf, &cap, len + n + 1, 1);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	buf = xgrow(buf, &cap, len + 1, 1);
	buf[len] = '\0';
	*status = pclose(p);
	return buf;
}

/* Every fact about the workbook at path, one per line (see xlsx_read.py). */
static char *dump_workbook(const char *path)
{
	char *cmd = xasprintf(PYTHON " '%s' '%s'", reader_script(), path);
	int status;
	char *out = run_capture(cmd, &status);

	free(cmd);
	if (status != 0)
		fail_msg("openpyxl could not read %s (status %d)", path, status);
	return out;
}

/* One part of the zip container, e.g. xl/charts/chart1.xml. */
static char *unzip_part(const char *path, const char *part)
{
	char *cmd = xasprintf("unzip -p '%s' '%s' 2>/dev/null", path, part);
	int status;
	char *out = run_capture(cmd, &status);

	free(cmd);
	return out;
}

static bool has_line(const char *dump, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = dump; (p = strstr(p, line)) != NULL; p++)
		if ((p == dump || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* Some line of dump starts with prefix. */
static bool has_prefix(const char *dump, const char *prefix)
{
	for (const char *p = dump; (p = strstr(p, prefix)) != NULL; p++)
		if (p == dump || p[-1] == '\n')
			return true;
	return false;
}

static void check_line(const char *dump, const char *file, int lineno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void check_line(const char *dump, const char *file, int lineno, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!has_line(dump, line)) {
		print_error("%s:%d: no line: %s\n", file, lineno, line);
		fail();
	}
}

#define assert_line(dump, ...) check_line(dump, __FILE__, __LINE__, __VA_ARGS__)

static char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* Render doc to tmpdir/name and return the path (caller frees). */
static char *render(const struct doc *doc, const char *name)
{
	char *path = tmp_path(name);
	char err[512] = "";

	if (xlsx_render(doc, path, err, sizeof(err)) != 0)
		fail_msg("xlsx_render %s: %s", path, err);
	return path;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = xmalloc((size_t)n);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int group_setup(void **state)
{
	struct doc *d;
	char err[512];

	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	have_python = system(PYTHON " -c 'import openpyxl' >/dev/null 2>&1") == 0;
	have_unzip = system("unzip -v >/dev/null 2>&1") == 0;
	snprintf(fixture_path, sizeof(fixture_path), "%s/fixture.xlsx", tmpdir);
	d = fixture_doc();
	if (xlsx_render(d, fixture_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "xlsx_render: %s\n", err);
		doc_free(d);
		return -1;
	}
	doc_free(d);
	if (have_python) {
		char *cmd = xasprintf(PYTHON " '%s' '%s'", reader_script(), fixture_path);
		int status;

		fixture_dump = run_capture(cmd, &status);
		free(cmd);
		if (status != 0)
			return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(fixture_dump);
	return nftw(tmpdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

#define NEED_PYTHON()                                                                              \
	do {                                                                                       \
		if (!have_python)                                                                  \
			skip();                                                                    \
	} while (0)
#define NEED_UNZIP()                                                                               \
	do {                                                                                       \
		if (!have_unzip)                                                                   \
			skip();                                                                    \
	} while (0)

/* ---- string helpers ---- */

static void test_clean_utf8(void **state)
{
	char *s;

	(void)state;
	s = xlsx_clean_utf8("广安区 ok", 100);
	assert_string_equal(s, "广安区 ok");
	free(s);
	/* stray bytes, an overlong '/', a surrogate, a control character */
	s = xlsx_clean_utf8("a\xff"
			    "b\xC0\xAF"
			    "c\xED\xA0\x80"
			    "d\x01"
			    "e\tf",
			    100);
	assert_string_equal(s, "a\uFFFDb\uFFFD\uFFFDc\uFFFD\uFFFD\uFFFDd\uFFFDe\tf");
	free(s);
	s = xlsx_clean_utf8("广安\xE5\xB9", 100); /* truncated last character */
	assert_string_equal(s, "广安\uFFFD\uFFFD");
	free(s);
	s = xlsx_clean_utf8("广安区", 8); /* cut on a character boundary */
	assert_string_equal(s, "广安");
	free(s);
	s = xlsx_clean_utf8(NULL, 8);
	assert_string_equal(s, "");
	free(s);
}

static void test_display_width(void **state)
{
	(void)state;
	assert_int_equal(xlsx_display_width("广安区"), 6);
	assert_int_equal(xlsx_display_width("abc"), 3);
	assert_int_equal(xlsx_display_width("金额(元)"), 8);
	assert_int_equal(xlsx_display_width("（全角）"), 8);
	assert_int_equal(xlsx_number_width(6234512345, 2), strlen("62,345,123.45"));
	assert_int_equal(xlsx_number_width(266812, 0), strlen("266,812"));
	assert_int_equal(xlsx_number_width(-5, 0), 2);
	assert_int_equal(xlsx_number_width(0, 2), strlen("0.00"));
}

static void test_sheet_name_chars(void **state)
{
	char *s;

	(void)state;
	s = xlsx_sheet_name("表1 收入/支出[万元]:a*b?c\\d", NULL, 0);
	assert_string_equal(s, "表1 收入／支出［万元］：a＊b？c＼d");
	free(s);
	s = xlsx_sheet_name("'引号'", NULL, 0);
	assert_string_equal(s, "引号");
	free(s);
	s = xlsx_sheet_name("", NULL, 0);
	assert_string_equal(s, "Sheet");
	free(s);
	s = xlsx_sheet_name("坏\xff名", NULL, 0);
	assert_string_equal(s, "坏\uFFFD名");
	free(s);
}

static void test_sheet_name_length(void **state)
{
	/* 40 CJK characters: 120 bytes */
	const char *want =
	    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十";
	const char *taken[2];
	char *s, *s2;

	(void)state;
	s = xlsx_sheet_name(want, NULL, 0);
	assert_int_equal(strlen(s), 31 * 3);
	assert_memory_equal(s, want, 31 * 3);
	taken[0] = s;
	/* unique: 28 characters and "(2)" */
	s2 = xlsx_sheet_name(want, taken, 1);
	taken[1] = s2;
	assert_int_equal(strlen(s2), 28 * 3 + 3);
	assert_memory_equal(s2, want, 28 * 3);
	assert_string_equal(s2 + 28 * 3, "(2)");
	s = xlsx_sheet_name(want, taken, 2);
	assert_string_equal(s + 28 * 3, "(3)");
	free(s);
	free((char *)taken[0]);
	free(s2);
	/* astral characters count twice, as in Excel's UTF-16 */
	s = xlsx_sheet_name("\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600"
			    "\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600"
			    "\U0001F600\U0001F600\U0001F600\U0001F600",
			    NULL, 0);
	assert_int_equal(strlen(s), 15 * 4);
	free(s);
}

static void test_sheet_name_unique(void **state)
{
	const char *taken[] = {"ABC", "指标", "abc(2)"};
	char *s;

	(void)state;
	s = xlsx_sheet_name("abc", taken, 3); /* Excel ignores ASCII case */
	assert_string_equal(s, "abc(3)");
	free(s);
	s = xlsx_sheet_name("指标", taken, 3);
	assert_string_equal(s, "指标(2)");
	free(s);
	s = xlsx_sheet_name("新表", taken, 3);
	assert_string_equal(s, "新表");
	free(s);
}

/* ---- the fixture workbook ---- */

static void test_sheets_in_order(void **state)
{
	static const char *const names[] = {"图1 各区县城乡低保金发放情况",
					    "图2 各区县城乡低保金发放情况",
					    "图3 各区县城乡低保金发放情况",
					    "图4 各区县城乡低保金发放情况",
					    "图5 各区县城乡低保金发放情况",
					    "图6 各区县城乡低保金发放情况",
					    T1,
					    "指标",
					    "数据质量"};

	(void)state;
	NEED_PYTHON();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_line(fixture_dump, "SHEET\t%zu\t%s", i + 1, names[i]);
	assert_false(has_prefix(fixture_dump, "SHEET\t10\t"));
}

static void test_table_cells(void **state)
{
	const char *d = fixture_dump;

	(void)state;
	NEED_PYTHON();
	assert_line(d, "CELL\t" T1 "\tA1\t" T1);
	assert_line(d, "BOLD\t" T1 "\tA1");
	assert_line(d, "CELL\t" T1 "\tA2\t区县");
	assert_line(d, "CELL\t" T1 "\tB2\t人数");
	assert_line(d, "CELL\t" T1 "\tC2\t金额(元)");
	assert_line(d, "CELL\t" T1 "\tA3\t广安区");
	assert_line(d, "CELL\t" T1 "\tB3\t48213");
	assert_line(d, "NUMFMT\t" T1 "\tB3\t#,##0");
	assert_line(d, "CELL\t" T1 "\tC3\t62345123.45");
	assert_line(d, "NUMFMT\t" T1 "\tC3\t#,##0.00");
	assert_line(d, "CELL\t" T1 "\tC6\t81234567");
	assert_line(d, "CELL\t" T1 "\tA8\t邻水县");
	assert_line(d, "CELL\t" T1 "\tC8\t72012345.67");
}

static void test_table_totals(void **state)
{
	const char *d = fixture_dump;

	(void)state;
	NEED_PYTHON();
	assert_line(d, "CELL\t" T1 "\tA9\t合计");
	assert_line(d, "BOLD\t" T1 "\tA9");
	assert_line(d, "CELL\t" T1 "\tB9\t=SUM(B3:B8)");
	assert_line(d, "CACHED\t" T1 "\tB9\t266812");
	assert_line(d, "BOLD\t" T1 "\tB9");
	assert_line(d, "CELL\t" T1 "\tC9\t=SUM(C3:C8)");
	/* 35015993622 fen */
	assert_line(d, "CACHED\t" T1 "\tC9\t350159936.22");
	assert_line(d, "NUMFMT\t" T1 "\tC9\t#,##0.00");
	assert_false(has_prefix(d, "CELL\t" T1 "\tA10\t"));
}

static void test_table_layout(void **state)
{
	const char *d = fixture_dump;

	(void)state;
	NEED_PYTHON();
	assert_line(d, "FREEZE\t" T1 "\tA3");
	assert_line(d, "FILTER\t" T1 "\tA2:C8"); /* not the totals row */
	assert_line(d, "PRINT\t" T1 "\tpaper=9 orient=portrait fit=True fitw=None fith=0 "
		       "titles=$2:$2");
	/* widths: 金额 "62,345,123.45" is 13 columns wide, 区县 names 6 */
	assert_line(d, "WIDTH\t" T1 "\tC\t16.7109");
	assert_line(d, "WIDTH\t" T1 "\tA\t8.71094");
}

/* Chart n of the fixture is chartn.xml and reads sheet 图n. */
static char *chart_xml(int n)
{
	char part[64];

	snprintf(part, sizeof(part), "xl/charts/chart%d.xml", n);
	return unzip_part(fixture_path, part);
}

static void assert_has(const char *text, const char *what)
{
	if (strstr(text, what) == NULL)
		fail_msg("missing: %s", what);
}

static void test_chart_types(void **state)
{
	static const char *const kind[] = {
	    "<c:barChart><c:barDir val=\"col\"/><c:grouping val=\"clustered\"/>",
	    "<c:barChart><c:barDir val=\"bar\"/><c:grouping val=\"clustered\"/>",
	    "<c:barChart><c:barDir val=\"col\"/><c:grouping val=\"stacked\"/>",
	    "<c:lineChart>",
	    "<c:pieChart>",
	    "<c:doughnutChart>"};
	char *xml;

	(void)state;
	NEED_UNZIP();
	for (int n = 1; n <= 6; n++) {
		char *title = xasprintf("<a:t>图%d 各区县城乡低保金发放情况</a:t>", n);

		xml = chart_xml(n);
		assert_has(xml, kind[n - 1]);
		assert_has(xml, title);
		free(title);
		free(xml);
	}
	xml = chart_xml(7);
	assert_string_equal(xml, "");
	free(xml);
}

static void test_chart_series(void **state)
{
	char *xml;

	(void)state;
	NEED_UNZIP();
	/* one series: values from the 万元 column C, categories from A */
	xml = chart_xml(1);
	assert_has(xml, "<c:f>'" G1 "'!$A$3:$A$8</c:f>");
	assert_has(xml, "<c:f>'" G1 "'!$C$3:$C$8</c:f>");
	/* named as it is, not by its column's heading with the unit */
	assert_has(xml, "<c:tx><c:v>系列1</c:v></c:tx>");
	/* the cache holds the real numbers, not 0 */
	assert_has(xml, "<c:pt idx=\"0\"><c:v>6234.512345</c:v></c:pt>");
	assert_has(xml, "<c:pt idx=\"3\"><c:v>8123.4567</c:v></c:pt>");
	assert_has(xml, "<a:t>区县</a:t>");
	assert_has(xml, "<a:t>万元</a:t>");
	/* data labels as the doc writes them: "6234.5", one decimal, no separator */
	assert_has(xml, "<c:numFmt formatCode=\"0.0\" sourceLinked=\"0\"/><c:showVal");
	assert_null(strstr(xml, "<c:legend>"));
	free(xml);
	/* two series: raw yuan in B:C, 万元 in D:E, with a legend */
	xml = chart_xml(3);
	assert_has(xml, "'图3 各区县城乡低保金发放情况'!$D$3:$D$8");
	assert_has(xml, "'图3 各区县城乡低保金发放情况'!$E$3:$E$8");
	assert_has(xml, "<c:tx><c:v>系列2</c:v></c:tx>");
	assert_has(xml, "<c:v>3117.256172</c:v>");
	assert_has(xml, "<c:legend>");
	free(xml);
	/* pie: one series, a legend of the districts */
	xml = chart_xml(5);
	assert_has(xml, "<c:legend>");
	assert_null(strstr(xml, "<c:catAx>"));
	free(xml);
}

static void test_chart_data_sheet(void **state)
{
	const char *d = fixture_dump;

	(void)state;
	NEED_PYTHON();
	assert_line(d, "CELL\t" G1 "\tA1\t" G1);
	/* one unit per column, named in its heading; no unit row elsewhere */
	assert_line(d, "CELL\t" G1 "\tA2\t区县");
	assert_line(d, "CELL\t" G1 "\tB2\t系列1（元）");
	assert_line(d, "CELL\t" G1 "\tC2\t系列1（万元）");
	assert_line(d, "CELL\t" G1 "\tA3\t广安区");
	assert_line(d, "CELL\t" G1 "\tB3\t62345123.45");
	assert_line(d, "NUMFMT\t" G1 "\tB3\t#,##0.00");
	assert_line(d, "CELL\t" G1 "\tC3\t6234.512345");
	assert_line(d, "NUMFMT\t" G1 "\tC3\t0.00");
	assert_line(d, "CELL\t图3 各区县城乡低保金发放情况\tB2\t系列1（元）");
	assert_line(d, "CELL\t图3 各区县城乡低保金发放情况\tC2\t系列2（元）");
	assert_line(d, "CELL\t图3 各区县城乡低保金发放情况\tD2\t系列1（万元）");
	assert_line(d, "CELL\t图3 各区县城乡低保金发放情况\tE2\t系列2（万元）");
	assert_false(has_prefix(d, "MERGE\t图"));
	assert_false(has_prefix(d, "CELL\t" G1 "\tB9\t"));
	assert_line(d, "PRINT\t" G1 "\tpaper=9 orient=landscape fit=True fitw=None fith=None "
		       "titles=None");
}

static void test_figures_sheet(void **state)
{
	const char *d = fixture_dump;

	(void)state;
	NEED_PYTHON();
	assert_line(d, "CELL\t指标\tA1\t指标");
	assert_line(d, "CELL\t指标\tB1\t数值");
	assert_line(d, "CELL\t指标\tC1\t单位");
	assert_line(d, "CELL\t指标\tD1\t报告中的写法");
	assert_line(d, "CELL\t指标\tE1\t表达式");
	/* label and unit as the doc has them: the renderer makes up neither */
	assert_line(d, "CELL\t指标\tA2\t为【26.7万】名城乡困难群众发放低保金3.5亿元");
	assert_line(d, "CELL\t指标\tB2\t266812");
	assert_line(d, "NUMFMT\t指标\tB2\t#,##0");
	assert_line(d, "CELL\t指标\tC2\t人");
	assert_line(d, "CELL\t指标\tD2\t26.7万");
	assert_line(d, "CELL\t指标\tE2\trelief.persons[救助类别=城市低保,农村低保] | 万:1");
	assert_line(d, "FREEZE\t指标\tB2");
	assert_line(d, "FILTER\t指标\tA1:E2");
}

/* 数据质量 is the doc's appendix: sections, then each table as on a sheet of its own. */
static void test_quality_sheet(void **state)
{
	const char *d = fixture_dump;

	(void)state;
	NEED_PYTHON();
	assert_line(d, "CELL\t数据质量\tA1\t附录 数据质量与来源");
	assert_line(d, "CELL\t数据质量\tA2\t（一）输入文件");
	assert_line(d, "CELL\t数据质量\tA3\t附表1 输入文件数据质量");
	assert_line(d, "CELL\t数据质量\tA4\t文件");
	assert_line(d, "CELL\t数据质量\tD4\t读取");
	assert_line(d, "CELL\t数据质量\tG4\t年度外");
	assert_line(d, "CELL\t数据质量\tA5\trelief-广安区.csv");
	assert_line(d, "CELL\t数据质量\tB5\t社会救助发放明细");
	assert_line(d, "CELL\t数据质量\tC5\tUTF-8");
	assert_line(d, "CELL\t数据质量\tD5\t540012");
	assert_line(d, "CELL\t数据质量\tE5\t540005");
	assert_line(d, "CELL\t数据质量\tF5\t7");
	assert_line(d, "CELL\t数据质量\tG5\t0");
	assert_line(d, "CELL\t数据质量\tA6\t合计");
	assert_line(d, "CELL\t数据质量\tD6\t=SUM(D5:D5)");
	assert_line(d, "FILTER\t数据质量\tA4:G5"); /* the files, not their totals */
	assert_line(d, "CACHED\t数据质量\tD6\t540012");
	assert_line(d, "CACHED\t数据质量\tF6\t7");
	assert_line(d, "CELL\t数据质量\tA9\t附表2 按数据集合计");
	assert_line(d, "CELL\t数据质量\tA11\t社会救助发放明细");
	assert_line(d, "CELL\t数据质量\tB12\t=SUM(B11:B11)");
	/* reasons, most frequent first */
	assert_line(d, "CELL\t数据质量\tA15\t（二）拒收原因");
	assert_line(d, "CELL\t数据质量\tA16\t附表3 拒收原因");
	assert_line(d, "CELL\t数据质量\tB18\t不是允许的取值");
	assert_line(d, "CELL\t数据质量\tC18\t4");
	assert_line(d, "CELL\t数据质量\tB19\t身份证号校验位错误");
	assert_line(d, "CELL\t数据质量\tC19\t3");
	/* provenance */
	assert_line(d, "CELL\t数据质量\tA21\t（三）数据来源");
	assert_line(d, "CELL\t数据质量\tA24\trelief-广安区.csv");
	assert_line(d, "CELL\t数据质量\tB24\t38211234");
	assert_line(d, "CELL\t数据质量\tC24\t%s",
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_line(d, "CELL\t数据质量\tA26\t附表5 报告来源");
	assert_line(d, "CELL\t数据质量\tB28\ttemplates/annual-summary.md");
	assert_line(d, "CELL\t数据质量\tB29\t%s",
		    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	assert_line(d, "CELL\t数据质量\tB30\tcivreport 0.1.0");
	assert_line(d, "CELL\t数据质量\tB32\t2021-12-31 00:00:00 UTC");
	/* tables of different columns: no header row is repeated on printed pages */
	assert_line(d, "PRINT\t数据质量\tpaper=9 orient=portrait fit=True fitw=None fith=0 "
		       "titles=None");
}

static void test_properties(void **state)
{
	const char *d = fixture_dump;
	char *app;

	(void)state;
	NEED_PYTHON();
	NEED_UNZIP();
	assert_line(d, "PROP\ttitle\t广安市2021年民政工作总结");
	assert_line(d, "PROP\tsubject\t2021年民政工作总结");
	assert_line(d, "PROP\tcreator\t广安市民政局");
	assert_line(d, "PROP\tkeywords\t民政, 社会救助, 养老服务");
	assert_line(d, "PROP\tcreated\t2021-12-31T00:00:00");
	assert_line(d, "PROP\tmodified\t2021-12-31T00:00:00");
	app = unzip_part(fixture_path, "docProps/app.xml");
	assert_has(app, "<Company>广安市民政局</Company>");
	free(app);
}

/* All zip entries carry the DOS date 1980-01-01 00:00, never the clock. */
static void assert_zip_times_fixed(const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t eocd = len - 22, off, n;

	while (eocd > 0 && memcmp(p + eocd, "PK\x05\x06", 4) != 0)
		eocd--;
	assert_memory_equal(p + eocd, "PK\x05\x06", 4);
	n = p[eocd + 10] | p[eocd + 11] << 8;
	off = p[eocd + 16] | p[eocd + 17] << 8 | (size_t)p[eocd + 18] << 16 |
	      (size_t)p[eocd + 19] << 24;
	assert_true(n > 10);
	for (size_t i = 0; i < n; i++) {
		assert_true(off + 46 <= len);
		assert_memory_equal(p + off, "PK\x01\x02", 4);
		assert_int_equal(p[off + 12] | p[off + 13] << 8, 0);    /* time */
		assert_int_equal(p[off + 14] | p[off + 15] << 8, 0x21); /* date */
		off += 46 + (p[off + 28] | p[off + 29] << 8) + (p[off + 30] | p[off + 31] << 8) +
		       (p[off + 32] | p[off + 33] << 8);
	}
}

static void test_deterministic(void **state)
{
	struct doc *d = fixture_doc();
	char *a, *b, *ba, *bb;
	size_t la, lb;

	(void)state;
	/*
	 * No clock reaches the file: every zip entry carries the fixed DOS time
	 * (assert_zip_times_fixed) and the properties the document's date (see
	 * test_properties), so two renders are the same bytes whenever they run.
	 */
	a = render(d, "twice-a.xlsx");
	b = render(d, "twice-b.xlsx");
	ba = read_file(a, &la);
	bb = read_file(b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ba, bb, la);
	assert_zip_times_fixed(ba, la);
	free(ba);
	free(bb);
	free(a);
	free(b);
	doc_free(d);
}

static void test_created_missing(void **state)
{
	struct doc *d = fixture_doc();
	char *path, *core;

	(void)state;
	NEED_UNZIP();
	d->meta.created = 0; /* 1.1.4 would take the clock: a fixed time instead */
	path = render(d, "nocreated.xlsx");
	core = unzip_part(path, "docProps/core.xml");
	assert_has(core, ">1980-01-01T00:00:00Z</dcterms:created>");
	free(core);
	free(path);
	doc_free(d);
}

static void replace(char **field, const char *s)
{
	free(*field);
	*field = xstrdup(s);
}

static void test_invalid_utf8(void **state)
{
	struct doc *d = fixture_doc();
	struct doc_table *t = NULL;
	struct doc_chart *c = NULL;
	char *path, *dump, *xml;

	(void)state;
	NEED_PYTHON();
	NEED_UNZIP();
	for (size_t i = 0; i < d->nblocks; i++) {
		if (d->blocks[i].kind == DOC_TABLE)
			t = d->blocks[i].table;
		if (d->blocks[i].kind == DOC_CHART && c == NULL)
			c = d->blocks[i].chart;
	}
	replace(&t->title, "坏[a]/b:c\xC3");
	replace(&t->cells[0].text, "\xff\xfe广安");
	replace(&t->header[1], "人\x01数");
	replace(&c->series[0].name, "系列\xE5\xB9");
	replace(&c->categories[0], "广安\x80区");
	replace(&c->title, "=图表\xF8");
	replace(&c->category_label, "=区县"); /* would be taken as a reference */
	replace(&d->figures[0].expr, "relief.\xC0\xAFpersons");
	replace(&d->appendix[2].table->cells[0].text, "relief-\xB9\xE3.csv"); /* GB18030 bytes */
	replace(&d->meta.title, "标题\xFF");
	doc_chart_finish(c); /* the data headings from the new name */

	path = render(d, "bad-utf8.xlsx");
	dump = dump_workbook(path); /* openpyxl opens it: the file is sound */
	assert_line(dump, "SHEET\t7\t表1 坏［a］／b：c\uFFFD");
	assert_line(dump, "CELL\t表1 坏［a］／b：c\uFFFD\tA3\t\uFFFD\uFFFD广安");
	assert_line(dump, "CELL\t表1 坏［a］／b：c\uFFFD\tB2\t人\uFFFD数");
	assert_line(dump, "CELL\t图1 =图表\uFFFD\tB2\t系列\uFFFD\uFFFD（元）");
	assert_line(dump, "CELL\t图1 =图表\uFFFD\tA3\t广安\uFFFD区");
	assert_line(dump, "CELL\t指标\tE2\trelief.\uFFFD\uFFFDpersons | 万:1");
	assert_line(dump, "CELL\t数据质量\tA5\trelief-\uFFFD\uFFFD.csv");
	assert_line(dump, "PROP\ttitle\t标题\uFFFD");
	xml = unzip_part(path, "xl/charts/chart1.xml");
	assert_has(xml, "<a:t>图1 =图表\uFFFD</a:t>");
	assert_has(xml, "<a:t>＝区县</a:t>");
	assert_has(xml, "<c:v>广安\uFFFD区</c:v>");
	free(xml);
	free(dump);
	free(path);
	doc_free(d);
}

static void test_long_captions(void **state)
{
	struct doc *d = fixture_doc();
	struct doc_block *b;
	char *path, *dump;

	(void)state;
	NEED_PYTHON();
	/* 33 characters of title: the sheet name keeps 31 with "表N " */
	for (int i = 0; i < 2; i++) {
		b = fixture_block(d, DOC_TABLE, 0);
		b->table = fixture_table();
		free(b->table->label);
		b->table->label = xasprintf("表%d", i + 2);
		replace(&b->table->title,
			"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三");
	}
	path = render(d, "long.xlsx");
	dump = dump_workbook(path);
	assert_line(dump, "SHEET\t8\t表2 一二三四五六七八九十一二三四五六七八九十一二三四五六七八");
	assert_line(dump, "SHEET\t9\t表3 一二三四五六七八九十一二三四五六七八九十一二三四五六七八");
	assert_line(dump, "CELL\t表3 一二三四五六七八九十一二三四五六七八九十一二三四五六七八\tA1\t"
			  "表3 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三");
	free(dump);
	free(path);
	doc_free(d);
}

static struct doc_table *wide_table(const char *label, size_t ncols, size_t nbody)
{
	struct doc_table *t = xcalloc(1, sizeof(*t));

	t->label = xstrdup(label);
	t->title = xstrdup("宽表");
	t->ncols = ncols;
	t->nrows = nbody + 1;
	t->has_total = true;
	t->header = xcalloc(ncols, sizeof(char *));
	t->summable = xcalloc(ncols, sizeof(bool));
	t->cells = xcalloc(t->nrows * ncols, sizeof(*t->cells));
	for (size_t c = 0; c < ncols; c++) {
		t->header[c] = xasprintf("第%zu列发放金额(元)", c + 1);
		t->summable[c] = c > 0;
		for (size_t r = 0; r < t->nrows; r++) {
			struct doc_cell *cell = &t->cells[r * ncols + c];

			cell->numeric = c > 0;
			cell->unit = UNIT_FEN;
			cell->raw = r < nbody ? 12345 : (int64_t)nbody * 12345;
			cell->text = xstrdup(c == 0 ? (r < nbody ? "某区" : "合计") : "123.45");
		}
	}
	return t;
}

static void test_edge_tables_and_charts(void **state)
{
	struct doc *d = xcalloc(1, sizeof(*d));
	struct doc_block *b;
	char *path, *dump, *xml;

	(void)state;
	NEED_PYTHON();
	NEED_UNZIP();
	d->meta.created = 1640908800;
	b = fixture_block(d, DOC_TABLE, 0);
	b->table = wide_table("表1", 12, 3);
	b = fixture_block(d, DOC_TABLE, 0);
	b->table = wide_table("表2", 3, 0); /* only a totals row */
	b = fixture_block(d, DOC_CHART, 0);
	b->chart = fixture_chart(CHART_BAR, 1);
	b->chart->label = xstrdup("图1");
	b->chart->ncat = 0; /* no categories: data table, no chart */
	b->chart->unit = UNIT_COUNT;
	b->chart->scale = 1;
	replace(&b->chart->unit_label, "人");
	for (size_t i = 0; i < 6; i++) {
		free(b->chart->categories[i]);
		free(b->chart->series[0].labels[i]);
	}
	doc_chart_finish(b->chart);

	path = render(d, "edge.xlsx");
	dump = dump_workbook(path);
	assert_line(dump, "SHEET\t1\t表1 宽表");
	assert_line(dump, "SHEET\t2\t表2 宽表");
	assert_line(dump, "SHEET\t3\t图1 各区县城乡低保金发放情况");
	assert_line(dump, "SHEET\t4\t指标");
	/* no appendix in the doc: no 数据质量 sheet, the renderer makes none up */
	assert_null(strstr(dump, "\t数据质量"));
	assert_line(dump, "CELL\t表1 宽表\tL6\t=SUM(L3:L5)");
	assert_line(dump, "CACHED\t表1 宽表\tL6\t370.35");
	assert_line(dump, "FILTER\t表1 宽表\tA2:L5");
	assert_line(dump, "PRINT\t表1 宽表\tpaper=9 orient=landscape fit=True fitw=None fith=0 "
			  "titles=$2:$2");
	/* no body: the total is a plain number, the filter the header alone */
	assert_line(dump, "CELL\t表2 宽表\tB3\t0");
	assert_line(dump, "FILTER\t表2 宽表\tA2:C2");
	assert_line(dump, "CELL\t图1 各区县城乡低保金发放情况\tB2\t系列1（人）");
	xml = unzip_part(path, "xl/charts/chart1.xml");
	assert_string_equal(xml, "");
	free(xml);
	free(dump);
	free(path);
	doc_free(d);
}

/*
 * 图6 of the default report: a stacked count chart in 个.  The axis title
 * stays horizontal (a rotated 个 reads like an arrow), the count axis has
 * whole steps (0, 1, 2, not 0.0, 0.5), and a segment too small for its
 * label (a 0 beside stacks of 9) has its label hidden.
 */
static void test_count_chart_axes_and_labels(void **state)
{
	static const int64_t a[] = {2, 1, 2, 4, 3, 4}, b[] = {5, 6, 3, 4, 5, 0};
	struct doc *d = xcalloc(1, sizeof(*d));
	struct doc_block *blk;
	struct doc_chart *c;
	char *path, *xml, *val;

	(void)state;
	NEED_UNZIP();
	d->meta.created = 1640908800;
	blk = fixture_block(d, DOC_CHART, 0);
	c = blk->chart = fixture_chart(CHART_STACKED, 2);
	c->label = xstrdup("图6");
	c->unit = UNIT_COUNT;
	c->scale = 1;
	c->grouped = false;
	free(c->unit_label);
	c->unit_label = xstrdup("个");
	for (size_t i = 0; i < 6; i++) {
		c->series[0].values[i] = a[i];
		c->series[1].values[i] = b[i];
	}
	path = render(d, "counts.xlsx");
	xml = unzip_part(path, "xl/charts/chart1.xml");
	val = strstr(xml, "<c:valAx>");
	assert_non_null(val);
	assert_has(val, "<a:bodyPr rot=\"0\" vert=\"horz\"/>");
	assert_has(val, "<a:t>个</a:t>");
	assert_has(val, "<c:numFmt formatCode=\"0\" sourceLinked=\"0\"/>");
	/* the tallest stack is 9: whole steps, not Excel's 0.5 */
	assert_has(val, "<c:majorUnit val=\"1\"/>");
	/* the second series' 0 at 邻水县 (index 5): its label hidden, no other */
	assert_has(xml, "<c:dLbl><c:idx val=\"5\"/><c:delete val=\"1\"/></c:dLbl>");
	assert_null(strstr(strstr(xml, "<c:dLbl>") + 1, "<c:dLbl>"));
	free(xml);
	free(path);
	doc_free(d);
}

/*
 * "—" where a figure has no meaning (doc_cell.no_value): a text cell,
 * right-aligned like the column's numbers, in the body and the totals row.
 * A chart point without a value: "—" in the data column the chart does not
 * read, a blank cell (a gap; Excel draws text as 0) in the one it reads.
 */
static void test_no_value(void **state)
{
	struct doc *d = xcalloc(1, sizeof(*d));
	struct doc_block *b;
	struct doc_table *t;
	struct doc_chart *c;
	char *path, *dump;

	(void)state;
	NEED_PYTHON();
	d->meta.created = 1640908800;
	b = fixture_block(d, DOC_TABLE, 0);
	t = b->table = wide_table("表1", 2, 2);
	free(t->cells[3].text); /* row 1, column 1 */
	t->cells[3].text = xstrdup("—");
	t->cells[3].numeric = false;
	t->cells[3].raw = 0;
	t->cells[3].no_value = true;
	free(t->cells[5].text); /* the totals row */
	t->cells[5].text = xstrdup("—");
	t->cells[5].numeric = false;
	t->cells[5].no_value = true;
	t->summable[1] = false;
	b = fixture_block(d, DOC_CHART, 0);
	c = b->chart = fixture_chart(CHART_BAR, 1); /* 万元: the chart reads column C */
	c->label = xstrdup("图1");
	c->series[0].no_value = xcalloc(c->ncat, sizeof(bool));
	c->series[0].no_value[1] = true;
	c->series[0].values[1] = 0;
	doc_chart_finish(c);
	b = fixture_block(d, DOC_CHART, 0);
	c = b->chart = fixture_chart(CHART_LINE, 1);
	c->label = xstrdup("图2");
	free(c->title);
	c->title = xstrdup("计数");
	c->unit = UNIT_COUNT;
	c->scale = 1; /* as is: the chart reads column B */
	c->series[0].no_value = xcalloc(c->ncat, sizeof(bool));
	c->series[0].no_value[1] = true;
	c->series[0].values[1] = 0;
	doc_chart_finish(c);

	path = render(d, "no_value.xlsx");
	dump = dump_workbook(path);
	assert_line(dump, "CELL\t表1 宽表\tB3\t123.45");
	assert_line(dump, "CELL\t表1 宽表\tB4\t—");
	assert_false(has_prefix(dump, "NUMFMT\t表1 宽表\tB4\t")); /* text, not a number */
	assert_line(dump, "ALIGN\t表1 宽表\tB4\tright");
	assert_false(has_prefix(dump, "ALIGN\t表1 宽表\tA4\t")); /* text stays left */
	assert_line(dump, "CELL\t表1 宽表\tB5\t—");
	assert_line(dump, "ALIGN\t表1 宽表\tB5\tright");
	assert_line(dump, "BOLD\t表1 宽表\tB5");
	assert_line(dump, "CELL\t图1 各区县城乡低保金发放情况\tB4\t—");
	assert_line(dump, "ALIGN\t图1 各区县城乡低保金发放情况\tB4\tright");
	assert_line(dump, "BLANK\t图1 各区县城乡低保金发放情况\tC4");
	assert_false(has_prefix(dump, "CELL\t图1 各区县城乡低保金发放情况\tC4\t"));
	assert_line(dump, "CELL\t图1 各区县城乡低保金发放情况\tC5\t3987.654321");
	assert_line(dump, "BLANK\t图2 计数\tB4");
	assert_false(has_prefix(dump, "CELL\t图2 计数\tB4\t"));
	free(dump);
	free(path);
	doc_free(d);
}

static void test_unwritable(void **state)
{
	struct doc *d = fixture_doc();
	char err[512] = "";
	char *dirpath;

	(void)state;
	assert_int_equal(xlsx_render(d, "/nonexistent-civreport/out.xlsx", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent-civreport/out.xlsx"));
	/* the target is a directory */
	dirpath = tmp_path("a-directory");
	assert_int_equal(mkdir(dirpath, 0755), 0);
	err[0] = '\0';
	assert_int_equal(xlsx_render(d, dirpath, err, sizeof(err)), -1);
	assert_non_null(strstr(err, dirpath));
	free(dirpath);
	doc_free(d);
}

/* A libxlsxwriter error (a column past XFD) fails the render cleanly. */
static void test_library_error(void **state)
{
	struct doc *d = xcalloc(1, sizeof(*d));
	struct doc_block *b = fixture_block(d, DOC_TABLE, 0);
	char *path = tmp_path("too-wide.xlsx");
	char err[512] = "";

	(void)state;
	b->table = wide_table("表1", 16385, 1);
	assert_int_equal(xlsx_render(d, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "表1 宽表!XFE2"));
	assert_non_null(strstr(err, "range"));
	assert_int_equal(access(path, F_OK), -1); /* no half-written file */
	free(path);
	doc_free(d);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_utf8),
		cmocka_unit_test(test_display_width),
		cmocka_unit_test(test_sheet_name_chars),
		cmocka_unit_test(test_sheet_name_length),
		cmocka_unit_test(test_sheet_name_unique),
		cmocka_unit_test(test_sheets_in_order),
		cmocka_unit_test(test_table_cells),
		cmocka_unit_test(test_table_totals),
		cmocka_unit_test(test_table_layout),
		cmocka_unit_test(test_chart_types),
		cmocka_unit_test(test_chart_series),
		cmocka_unit_test(test_chart_data_sheet),
		cmocka_unit_test(test_figures_sheet),
		cmocka_unit_test(test_quality_sheet),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_created_missing),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_long_captions),
		cmocka_unit_test(test_edge_tables_and_charts),
		cmocka_unit_test(test_count_chart_axes_and_labels),
		cmocka_unit_test(test_no_value),
		cmocka_unit_test(test_unwritable),
		cmocka_unit_test(test_library_error),
	};
	/* clang-format on */

	return cmocka_run_group_tests_name("xlsx", tests, group_setup, group_teardown);
}
