/*
 * test_book.c - the spreadsheet readers (ingest/book.h): every
 * fixture of tests/fixtures/workbook/ (README.md there) read back as the
 * exact CSV text, files libxlsxwriter writes at run time, hostile packages
 * built here with libzip (each must be a reason, never a crash or a
 * silently empty sheet), and the shared cell-to-text rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "ingest/book.h"
#include "ingest/book_impl.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "ingest_fixture.h"

#define FIX    "tests/fixtures/workbook/"
#define M      BOOK_MARK
#define HEADER "身份证号,姓名,区县,乡镇(街道),救助类别,发放年月,发放金额,户号\n"
#define ROW1   "511602198001150012,张三,广安区,浓洲镇,城市低保,2021-01,520,H001\n"
#define ROW2   "511603197512030022,李四,前锋区,奎阁街道,农村低保,2021-01,390.5,H002\n"
#define ROW3   "511681199006300139,王五,华蓥市,双河街道,特困供养,2021-02,800,H003\n"
#define TITLE  "广安市2021年城乡低保发放明细表\n"

/* ------------------------------------------------------------ helpers */

/*
 * Sheet i of path read whole with reads of want bytes: its text, or NULL
 * with the reason in err (from open, select or read).  *calls counts the
 * reads that returned 1.
 */
static char *read_sheet(const char *path, size_t i, size_t want, size_t *calls, char *err,
			size_t errlen)
{
	struct book *wb = book_open(path, err, errlen);
	struct strbuf all = STRBUF_INIT, chunk = STRBUF_INIT;
	int rc = -1;

	*calls = 0;
	if (wb == NULL)
		return NULL;
	if (book_select(wb, i, err, errlen) == 0) {
		while ((rc = book_read(wb, &chunk, want, err, errlen)) == 1) {
			/* whole lines only */
			assert_true(chunk.len > 0 && chunk.buf[chunk.len - 1] == '\n');
			strbuf_add(&all, chunk.buf, chunk.len);
			strbuf_reset(&chunk);
			(*calls)++;
		}
		if (rc == 0) {
			strbuf_add(&all, chunk.buf != NULL ? chunk.buf : "", chunk.len);
			/* the end is sticky */
			assert_int_equal(book_read(wb, &chunk, want, err, errlen), 0);
		} else {
			/* so is an error */
			char again[512];

			assert_int_equal(book_read(wb, &chunk, want, again, sizeof(again)), -1);
			assert_string_equal(again, err);
		}
	}
	book_close(wb);
	strbuf_release(&chunk);
	if (rc != 0) {
		strbuf_release(&all);
		return NULL;
	}
	return strbuf_detach(&all, NULL);
}

/* Sheet i of path reads exactly expected, the same line by line as in one read. */
static void expect_sheet(const char *path, size_t i, const char *expected)
{
	char err[512] = "";
	size_t calls, lines = 0;
	char *whole = read_sheet(path, i, (size_t)1 << 30, &calls, err, sizeof(err));
	char *one;

	if (whole == NULL)
		fail_msg("%s sheet %zu: %s", path, i, err);
	assert_string_equal(whole, expected);
	one = read_sheet(path, i, 1, &calls, err, sizeof(err));
	assert_non_null(one);
	assert_string_equal(one, expected);
	for (const char *p = expected; *p != '\0'; p++)
		lines += *p == '\n';
	/* at least one row per read (gaps come with the row after them) */
	assert_true(calls <= lines);
	free(whole);
	free(one);
}

/* Reading path (open, select sheet 0, read) fails with a reason holding want. */
static void expect_error(const char *path, const char *want)
{
	char err[512] = "";
	size_t calls;
	char *text = read_sheet(path, 0, (size_t)1 << 30, &calls, err, sizeof(err));

	if (text != NULL)
		fail_msg("%s read without error: \"%s\"", path, text);
	if (strstr(err, want) == NULL)
		fail_msg("%s: \"%s\" does not say \"%s\"", path, err, want);
}

static void expect_sheets(const char *path, const char *kind, size_t n, const char *const *names,
			  const bool *hidden)
{
	char err[512];
	struct book *wb = book_open(path, err, sizeof(err));

	if (wb == NULL)
		fail_msg("%s: %s", path, err);
	assert_string_equal(book_kind(wb), kind);
	assert_int_equal(book_nsheets(wb), n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(book_sheet(wb, i)->name, names[i]);
		assert_int_equal(book_sheet(wb, i)->hidden, hidden[i]);
	}
	assert_null(book_sheet(wb, n));
	assert_int_equal(book_select(wb, n, err, sizeof(err)), -1);
	book_close(wb);
}

/* A zip of the given name / content pairs (NULL-terminated) as dir/file. */
static void write_zip(const char *file, const char *const *parts)
{
	int zerr = 0;
	zip_t *z = zip_open(at(file), ZIP_CREATE | ZIP_TRUNCATE, &zerr);

	assert_non_null(z);
	for (size_t i = 0; parts[i] != NULL; i += 2) {
		zip_source_t *src = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);

		zip_int64_t idx;

		assert_non_null(src);
		idx = zip_file_add(z, parts[i], src, ZIP_FL_OVERWRITE);
		assert_true(idx >= 0);
		/* the giant parts stored: deflating 64 MiB would be most of the test's time */
		if (strlen(parts[i + 1]) > (1u << 20))
			assert_int_equal(
			    zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0), 0);
	}
	assert_int_equal(zip_close(z), 0);
}

#define NS    "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define RELNS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define ROOT_RELS                                                                                  \
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"   \
	"<Relationship Id=\"rId1\" Type=\"" RELNS "/officeDocument\" Target=\"xl/workbook.xml\"/>" \
	"</Relationships>"
#define WORKBOOK_XML                                                                               \
	"<workbook xmlns=\"" NS "\" xmlns:r=\"" RELNS "\"><sheets>"                                \
	"<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"

/*
 * A minimal package as dir/file: one sheet whose <sheetData> holds rows
 * (or the whole part when rows starts with '<?' or '<w'), shared strings
 * and styles when given ("" names a part the zip then lacks).
 */
static void write_book(const char *file, const char *rows, const char *sst, const char *styles)
{
	char *sheet = rows[0] == '<' && (rows[1] == '?' || rows[1] == 'w')
			  ? xstrdup(rows)
			  : xasprintf("<worksheet xmlns=\"" NS "\"><sheetData>%s</sheetData>"
				      "</worksheet>",
				      rows);
	char *rels =
	    xasprintf("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		      "relationships\"><Relationship Id=\"rId1\" Type=\"" RELNS "/worksheet\" "
		      "Target=\"worksheets/sheet1.xml\"/>%s%s</Relationships>",
		      sst != NULL ? "<Relationship Id=\"rId2\" Type=\"" RELNS "/sharedStrings\" "
				    "Target=\"sharedStrings.xml\"/>"
				  : "",
		      styles != NULL ? "<Relationship Id=\"rId3\" Type=\"" RELNS "/styles\" "
				       "Target=\"styles.xml\"/>"
				     : "");
	const char *parts[16] = {"_rels/.rels",
				 ROOT_RELS,
				 "xl/workbook.xml",
				 WORKBOOK_XML,
				 "xl/_rels/workbook.xml.rels",
				 rels,
				 "xl/worksheets/sheet1.xml",
				 sheet};
	size_t n = 8;

	if (sst != NULL && sst[0] != '\0') {
		parts[n++] = "xl/sharedStrings.xml";
		parts[n++] = sst;
	}
	if (styles != NULL && styles[0] != '\0') {
		parts[n++] = "xl/styles.xml";
		parts[n++] = styles;
	}
	parts[n] = NULL;
	write_zip(file, parts);
	free(sheet);
	free(rels);
}

static void write_bytes(const char *file, const void *data, size_t len)
{
	FILE *fp = fopen(at(file), "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	assert_non_null(fp);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(fp);
	return strbuf_detach(&sb, len);
}

/* ------------------------------------------------------------ the committed fixtures */

static void test_fixture_title_row(void **state)
{
	(void)state;
	expect_sheet(FIX "title_row.xlsx", 0, TITLE HEADER ROW1 ROW2 ROW3);
}

static void test_fixture_merged_title(void **state)
{
	(void)state;
	/* openpyxl writes only A1 of the merged A1:E1 */
	expect_sheet(FIX "merged_title.xlsx", 0, TITLE HEADER ROW1 ROW2 ROW3);
}

static void test_fixture_date1904(void **state)
{
	(void)state;
	/* yyyy-mm and yyyy"年"m"月"d"日" are dates; the 1904 system; 14:30 dropped */
	expect_sheet(FIX "date1904.xlsx", 0,
		     "身份证号,姓名,区县,救助类别,发放年月,发放金额,纳入日期\n"
		     "511602198001150012,张三,广安区,城市低保,2021-01-01,520,2020-03-15\n"
		     "511603197512030022,李四,前锋区,农村低保,2021-02-01,390.5,2019-12-31\n"
		     "511681199006300139,王五,华蓥市,特困供养,2021-03-01,800,2024-02-29\n");
}

static void test_fixture_id_number(void **state)
{
	(void)state;
	/* Excel's 15 digits: what the ingest rejects as an ID stored as a number */
	expect_sheet(FIX "id_number.xlsx", 0,
		     HEADER
		     "5.1160219800115E+17,张三,广安区,浓洲镇,城市低保,2021-01,520,H001\n"
		     "5.1160319751203E+17,李四,前锋区,奎阁街道,农村低保,2021-01,390.5,H002\n"
		     "5.116811990063E+17,王五,华蓥市,双河街道,特困供养,2021-02,800,H003\n"
		     "51160219850707124X,欧阳娜娜,广安区,浓洲镇,城市低保,2021-03,1234.5,H001\n");
}

static void test_fixture_formulas(void **state)
{
	(void)state;
	/* openpyxl caches no result: every formula is the mark; an error value is E */
	expect_sheet(FIX "formulas.xlsx", 0,
		     "身份证号,姓名,区县,乡镇(街道),救助类别,发放年月,发放金额,户号,标准,人数\n"
		     "511602198001150012,张三,广安区,浓洲镇,城市低保,2021-01," M "F,H001,520,1\n"
		     "511603197512030022,李四,前锋区,奎阁街道,农村低保,2021-01," M
		     "F,H002,390.5,1\n"
		     "511681199006300139,王五,华蓥市,双河街道,特困供养,2021-02," M "F,H003,800,1\n"
		     "合计,,,,,," M "F,," M "E#DIV/0!\n");
}

static void test_fixture_numbers_as_text(void **state)
{
	(void)state;
	expect_sheet(FIX "numbers_as_text.xlsx", 0,
		     HEADER
		     "511602198001150012,张三,广安区,浓洲镇,城市低保,2021-01,520.00,001\n"
		     "511603197512030022,李四,前锋区,奎阁街道,农村低保,2021.10,390.50,002\n"
		     "511681199006300139,王五,华蓥市,双河街道,特困供养,2021-02,\"1,234.50\",003\n");
}

static void test_fixture_trailing_rows(void **state)
{
	(void)state;
	/* rows 5-8 are bordered and shaded but empty: empty lines */
	expect_sheet(FIX "trailing_rows.xlsx", 0, HEADER ROW1 ROW2 ROW3 "\n\n\n\n");
}

static void test_fixture_notes_sheet(void **state)
{
	static const char *const names[] = {"低保明细", "填表说明"};
	static const bool hidden[] = {false, false};

	(void)state;
	expect_sheets(FIX "notes_sheet.xlsx", "xlsx", 2, names, hidden);
	expect_sheet(FIX "notes_sheet.xlsx", 0, HEADER ROW1 ROW2 ROW3);
	/* a line break typed in a cell is a space: the row stays one line */
	expect_sheet(FIX "notes_sheet.xlsx", 1,
		     "说明\n"
		     "\"1. 金额单位为元,保留两位小数 2. 身份证号一列请设为文本\"\n"
		     "填表人:,民政局社会救助科\n");
}

static void test_fixture_hidden_sheet(void **state)
{
	static const char *const names[] = {"低保明细", "2020年", "代码表"};
	static const bool hidden[] = {false, true, true};

	(void)state;
	expect_sheets(FIX "hidden_sheet.xlsx", "xlsx", 3, names, hidden);
	expect_sheet(FIX "hidden_sheet.xlsx", 0, HEADER ROW1);
	expect_sheet(FIX "hidden_sheet.xlsx", 1, HEADER ROW2);
	expect_sheet(FIX "hidden_sheet.xlsx", 2, "区县代码,区县\n511602,广安区\n");
}

static void test_fixture_shared_rich(void **state)
{
	(void)state;
	/* runs joined, the phonetic reading left out, spaces kept, _xHHHH_ decoded */
	expect_sheet(
	    FIX "shared_rich.xlsx", 0,
	    "2021年第一季度低保发放表\n"
	    "身份证号,姓名,区县,户号\n"
	    "511602198001150012,张三,\" 广安区 \",H_x0041_,\"浓洲镇 新街村\",\xf0\xa0\x80\x80\n");
}

static void test_fixture_no_r(void **state)
{
	(void)state;
	/* no r on rows or cells: each the previous plus one; the empty <row> a blank line */
	expect_sheet(FIX "no_r.xlsx", 0, HEADER ROW1 "\n" ROW2);
}

static void test_fixture_prefixed(void **state)
{
	(void)state;
	expect_sheet(FIX "prefixed.xlsx", 0, HEADER ROW1 ROW2 ROW3);
}

static void test_fixture_xls(void **state)
{
	static const char *const names[] = {"儿童福利"};
	static const bool hidden[] = {false};

	(void)state;
	expect_sheets(FIX "relief.xls", "xls", 1, names, hidden);
	/* the formula of the 合计 row reads empty (libfreexl gives formulas as NULL) */
	expect_sheet(
	    FIX "relief.xls", 0,
	    "身份证号,姓名,区县,乡镇(街道),救助类别,发放年月,发放金额,户号,纳入日期\n"
	    "511602198001150012,张三,广安区,浓洲镇,城市低保,2021-01,520,H001,2020-03-15\n"
	    "511603197512030022,李四,前锋区,奎阁街道,农村低保,2021-01,390.5,H002,2019-12-31\n"
	    "511681199006300139,王五,华蓥市,双河街道,特困供养,2021-02,800,H003,2024-02-29\n"
	    "合计\n"
	    "511622201003050357,欧阳娜娜,,,,,0.3\n");
	expect_sheet(FIX "date1904.xls", 0,
		     "身份证号,姓名,发放年月,纳入日期\n"
		     "511602198001150012,张三,2021-01-01,2020-03-15\n");
}

static void test_fixture_encrypted(void **state)
{
	char err[512];

	(void)state;
	assert_null(book_open(FIX "encrypted.xlsx", err, sizeof(err)));
	assert_string_equal(err, "工作簿有密码保护，请先在Excel里去掉密码再导出");
	assert_null(book_open(FIX "password.xls", err, sizeof(err)));
	assert_string_equal(err, "工作簿有密码保护，请先在Excel里去掉密码再导出");
}

/* ------------------------------------------------------------ written by libxlsxwriter */

static void test_libxlsxwriter(void **state)
{
	static const char *const names[] = {"低保明细", "旧表"};
	static const bool hidden[] = {false, true};
	lxw_workbook *wb = workbook_new(at("lxw.xlsx"));
	lxw_worksheet *ws = workbook_add_worksheet(wb, "低保明细");
	lxw_worksheet *old = workbook_add_worksheet(wb, "旧表");
	lxw_format *merge = workbook_add_format(wb);
	lxw_format *ymd = workbook_add_format(wb), *cjk = workbook_add_format(wb);
	lxw_format *custom = workbook_add_format(wb), *money = workbook_add_format(wb);
	static const char *const header[] = {"身份证号", "姓名",     "区县", "救助类别",
					     "发放年月", "发放金额", "户号", "有效"};
	lxw_datetime jan = {2021, 1, 1, 0, 0, 0}, feb = {2021, 2, 1, 9, 30, 0};
	lxw_datetime mar = {2021, 3, 1, 0, 0, 0};

	(void)state;
	format_set_bold(merge);
	format_set_num_format_index(ymd, 14); /* m/d/yyyy, built in */
	format_set_num_format_index(cjk, 31); /* yyyy"年"m"月"d"日", East Asian built-in */
	format_set_num_format(custom, "yyyy\"年\"m\"月\"");
	format_set_num_format(money, "[Red]#,##0.00;\\-#,##0.00"); /* not a date */
	worksheet_merge_range(ws, 0, 0, 0, 4, "广安市2021年城乡低保发放明细表", merge);
	for (lxw_col_t c = 0; c < 8; c++)
		worksheet_write_string(ws, 1, c, header[c], NULL);
	worksheet_write_string(ws, 2, 0, "511602198001150012", NULL);
	worksheet_write_string(ws, 2, 1, "张三", NULL);
	worksheet_write_string(ws, 2, 2, "广安区", NULL);
	worksheet_write_string(ws, 2, 3, "城市低保", NULL);
	worksheet_write_datetime(ws, 2, 4, &jan, ymd);
	worksheet_write_formula_num(ws, 2, 5, "=260*2", money, 520);
	worksheet_write_formula_str(ws, 2, 6, "=\"H\"&\"001\"", NULL, "H001");
	worksheet_write_boolean(ws, 2, 7, 1, NULL);
	worksheet_write_string(ws, 3, 0, "511603197512030022", NULL);
	worksheet_write_datetime(ws, 3, 4, &feb, cjk);
	worksheet_write_number(ws, 3, 5, 390.5, money);
	worksheet_write_boolean(ws, 3, 7, 0, NULL);
	worksheet_write_datetime(ws, 4, 4, &mar, custom);
	/* without a result libxlsxwriter caches 0: the reader cannot know better */
	worksheet_write_formula(ws, 4, 5, "=SUM(F3:F4)", NULL);
	worksheet_write_blank(ws, 5, 3, merge); /* formatted, empty */
	worksheet_write_string(old, 0, 0, "旧数据", NULL);
	worksheet_hide(old);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	expect_sheets(at("lxw.xlsx"), "xlsx", 2, names, hidden);
	expect_sheet(at("lxw.xlsx"), 0,
		     "广安市2021年城乡低保发放明细表\n"
		     "身份证号,姓名,区县,救助类别,发放年月,发放金额,户号,有效\n"
		     "511602198001150012,张三,广安区,城市低保,2021-01-01,520,H001,TRUE\n"
		     "511603197512030022,,,,2021-02-01,390.5,,FALSE\n"
		     ",,,,2021-03-01,0\n"
		     "\n");
	expect_sheet(at("lxw.xlsx"), 1, "旧数据\n");
}

static void test_libxlsxwriter_constant_memory(void **state)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = dir};
	lxw_workbook *wb = workbook_new_opt(at("big.xlsx"), &opt);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	struct strbuf want = STRBUF_INIT;

	(void)state;
	/* inline strings, no shared strings part; rows 1..3001, every 7th left out */
	for (lxw_row_t r = 0; r < 3001; r++) {
		char id[32];

		if (r % 7 == 3) {
			strbuf_addch(&want, '\n');
			continue;
		}
		snprintf(id, sizeof(id), "H%05u", r);
		worksheet_write_string(ws, r, 0, id, NULL);
		worksheet_write_number(ws, r, 2, r * 0.25, NULL);
		strbuf_addf(&want, "%s,,%.15G\n", id, r * 0.25);
	}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	expect_sheet(at("big.xlsx"), 0, want.buf);
	strbuf_release(&want);
}

/* ------------------------------------------------------------ cell types */

#define STYLES                                                                                     \
	"<styleSheet xmlns=\"" NS "\"><numFmts count=\"3\">"                                       \
	"<numFmt numFmtId=\"164\" "                                                                \
	"formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"                     \
	"<numFmt numFmtId=\"165\" formatCode=\"[Red]0.00;\\-0.00\"/>"                              \
	"<numFmt numFmtId=\"166\" formatCode=\"&quot;day&quot;0\"/></numFmts>"                     \
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"                           \
	"<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"     \
	"<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"21\"/></cellXfs>"              \
	"<dxfs count=\"1\"><dxf><numFmt numFmtId=\"0\" formatCode=\"yyyy\"/></dxf></dxfs>"         \
	"</styleSheet>"

static void test_cell_types(void **state)
{
	(void)state;
	write_book("types.xlsx",
		   /* numbers: Excel's 15 digits, -0, LibreOffice's exponent, blanks around */
		   "<row r=\"1\"><c r=\"A1\"><v>350.10000000000002</v></c><c r=\"B1\" t=\"n\">"
		   "<v>-0</v></c><c r=\"C1\"><v>-1.5E-007</v></c><c r=\"D1\"><v> 12 </v></c>"
		   "<c r=\"E1\"><v>abc</v></c><c r=\"F1\"><v>1e3</v></c></row>"
		   /* dates: built-in 14, a custom 年月日, a time alone, [Red]0.00 and "day"0 not */
		   "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>45366</v></c><c r=\"B2\" s=\"2\">"
		   "<v>45382.60416666666</v></c><c r=\"C2\" s=\"5\"><v>0.6041666666666666</v></c>"
		   "<c r=\"D2\" s=\"3\"><v>45366</v></c><c r=\"E2\" s=\"4\"><v>45366</v></c>"
		   "<c r=\"F2\" s=\"1\"><v>60</v></c><c r=\"G2\" s=\"1\"><v>-1</v></c>"
		   "<c r=\"H2\" s=\"99\"><v>45366</v></c></row>"
		   /* text kinds, sparse columns, trailing blanks left out */
		   "<row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><r><t>张</t></r><r><t>三</t></r>"
		   "<rPh><t>zhang</t></rPh></is></c><c r=\"D4\" t=\"str\"><f>A1</f><v> a,b </v></c>"
		   "<c r=\"E4\" t=\"str\"><f>\"\"</f><v></v></c><c r=\"F4\" t=\"b\"><v>1</v></c>"
		   "<c r=\"G4\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c><c r=\"H4\" t=\"d\">"
		   "<v>2024-03-15T14:30:00</v></c><c r=\"I4\" t=\"d\"><v>T14:30:00</v></c>"
		   "<c r=\"J4\" t=\"inlineStr\"><is><t>say \"hi\"</t></is></c><c r=\"K4\"/>"
		   "<c r=\"L4\" t=\"s\"/></row>"
		   /* formulas: cached, none, empty <v/>, a string formula without <v> */
		   "<row r=\"5\"><c r=\"A5\"><f>1+1</f><v>2</v></c><c r=\"B5\"><f>1+1</f></c>"
		   "<c r=\"C5\"><f>1+1</f><v/></c><c r=\"D5\" t=\"str\"><f>A4</f></c>"
		   "<c r=\"E5\" t=\"b\"><f>TRUE()</f></c><c r=\"F5\" t=\"e\"><v></v></c></row>",
		   NULL, STYLES);
	expect_sheet(at("types.xlsx"), 0,
		     "350.1,0,-1.5E-07,12,abc,1000\n"
		     "2024-03-15,2024-03-31,14:30:00,45366,45366,1900-02-29,-1,45366\n"
		     "\n"
		     ",张三,,\" a,b \",,TRUE," M "E#DIV/0!,2024-03-15,14:30:00,\"say \"\"hi\"\"\"\n"
		     "2," M "F," M "F," M "F," M "F," M "E\n");
}

static void test_cell_text_escapes(void **state)
{
	(void)state;
	write_book("esc.xlsx",
		   "<row><c t=\"inlineStr\"><is><t>a_x000D__x000A_b</t></is></c>"
		   "<c t=\"str\"><v>_x005f_x0041_</v></c><c t=\"inlineStr\"><is><t>_x0000_|_xD800_|"
		   "_xDC00_|_x00e9_|_x41_|_x0041</t></is></c><c t=\"inlineStr\"><is><t>\xe2\x80\x83"
		   " 全角 </t></is></c></row>",
		   NULL, NULL);
	/* CR LF in a cell: one space; NUL and lone surrogates: U+FFFD; short forms left alone */
	expect_sheet(at("esc.xlsx"), 0,
		     "\"a b\",_x0041_,\xef\xbf\xbd|\xef\xbf\xbd|\xef\xbf\xbd|\xc3\xa9|_x41_|_x0041,"
		     "\"\xe2\x80\x83 全角 \"\n");
}

static void test_rows_and_columns(void **state)
{
	(void)state;
	/* gaps are empty lines, a row's number may come from its first cell only */
	write_book("gaps.xlsx",
		   "<row r=\"2\"><c r=\"C2\"><v>1</v></c></row><row><c r=\"A5\"><v>5</v></c></row>"
		   "<row/><row r=\"8\"><c r=\"XFD8\"><v>8</v></c></row>",
		   NULL, NULL);
	{
		struct strbuf want = STRBUF_INIT;

		strbuf_addstr(&want, "\n,,1\n\n\n5\n\n\n");
		for (int i = 0; i < 16383; i++)
			strbuf_addch(&want, ',');
		strbuf_addstr(&want, "8\n");
		expect_sheet(at("gaps.xlsx"), 0, want.buf);
		strbuf_release(&want);
	}
	/* the last row Excel has is read, its gap of empty lines too */
	write_book("last.xlsx", "<row r=\"1048576\"><c r=\"A1048576\"><v>1</v></c></row>", NULL,
		   NULL);
	{
		char err[512];
		size_t calls;
		char *text = read_sheet(at("last.xlsx"), 0, 1, &calls, err, sizeof(err));

		assert_non_null(text);
		assert_int_equal(strlen(text), 1048575 + 2);
		assert_string_equal(text + 1048575, "1\n");
		free(text);
	}
}

/* ------------------------------------------------------------ hostile and damaged files */

static void test_bad_rows(void **state)
{
	(void)state;
	write_book("far.xlsx",
		   "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2000000\">"
		   "<c r=\"A2000000\"><v>1</v></c></row>",
		   NULL, NULL);
	expect_error(at("far.xlsx"), "第2000000行超出了Excel的最大行数");
	write_book("huge_r.xlsx", "<row r=\"99999999999999999999999\"/>", NULL, NULL);
	expect_error(at("huge_r.xlsx"), "第99999999999999999999999行超出了Excel的最大行数");
	write_book("order.xlsx",
		   "<row r=\"5\"><c r=\"A5\"><v>1</v></c></row><row r=\"3\">"
		   "<c r=\"A3\"><v>1</v></c></row>",
		   NULL, NULL);
	expect_error(at("order.xlsx"), "第3行排在第5行之后");
	write_book("twice.xlsx", "<row r=\"4\"/><row r=\"4\"/>", NULL, NULL);
	expect_error(at("twice.xlsx"), "第4行在工作表里出现了两次");
	write_book("zero.xlsx", "<row r=\"0\"/>", NULL, NULL);
	expect_error(at("zero.xlsx"), "行号0");
	write_book("nan.xlsx", "<row r=\"x1\"/>", NULL, NULL);
	expect_error(at("nan.xlsx"), "行号");
	/* a cell of another row, one past the row limit by counting */
	write_book("other.xlsx", "<row r=\"3\"><c r=\"A4\"><v>1</v></c></row>", NULL, NULL);
	expect_error(at("other.xlsx"), "第3行里有不属于这一行的单元格A4");
	write_book("nested.xlsx", "<row r=\"1\"><row r=\"2\"/></row>", NULL, NULL);
	expect_error(at("nested.xlsx"), "文件已损坏");
}

static void test_bad_columns(void **state)
{
	struct strbuf cells = STRBUF_INIT;

	(void)state;
	write_book("xfe.xlsx", "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", NULL, NULL);
	expect_error(at("xfe.xlsx"), "第1行的单元格XFE1超出了Excel的最大列XFD");
	write_book("wide.xlsx",
		   "<row r=\"7\"><c r=\"AAAAAAAAAAAAAAAAAAAAAAAA7\"><v>1</v></c></row>", NULL,
		   NULL);
	expect_error(at("wide.xlsx"), "第7行的单元格");
	write_book("back.xlsx",
		   "<row r=\"1\"><c r=\"C1\"><v>1</v></c><c r=\"B1\"><v>1</v></c></row>", NULL,
		   NULL);
	expect_error(at("back.xlsx"), "第1行的单元格B1排在同一行靠右的单元格之后");
	write_book("badref.xlsx", "<row r=\"1\"><c r=\"12\"><v>1</v></c></row>", NULL, NULL);
	expect_error(at("badref.xlsx"), "单元格引用");
	/* 16,385 cells without r: one past XFD */
	strbuf_addstr(&cells, "<row>");
	for (int i = 0; i < 16385; i++)
		strbuf_addstr(&cells, "<c/>");
	strbuf_addstr(&cells, "</row>");
	write_book("many.xlsx", cells.buf, NULL, NULL);
	expect_error(at("many.xlsx"), "第1行的单元格超出了Excel的最大列XFD");
	strbuf_release(&cells);
}

static void test_bad_shared_strings(void **state)
{
	(void)state;
	write_book("sst_index.xlsx",
		   "<row r=\"1\"><c r=\"B1\" t=\"s\"><v>99999999999999999999</v></c></row>",
		   "<sst xmlns=\"" NS "\"><si><t>a</t></si></sst>", NULL);
	expect_error(at("sst_index.xlsx"), "第1行B列引用的共享字符串不存在");
	write_book("sst_one.xlsx", "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row>",
		   "<sst xmlns=\"" NS "\"><si><t>a</t></si></sst>", NULL);
	expect_error(at("sst_one.xlsx"), "第2行A列引用的共享字符串不存在");
	write_book("sst_nan.xlsx", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>-1</v></c></row>",
		   "<sst xmlns=\"" NS "\"><si><t>a</t></si></sst>", NULL);
	expect_error(at("sst_nan.xlsx"), "不是数字");
	/* the workbook names a shared strings part the zip lacks */
	write_book("sst_missing.xlsx", "<row r=\"3\"><c r=\"C3\" t=\"s\"><v>0</v></c></row>", "",
		   NULL);
	expect_error(at("sst_missing.xlsx"), "第3行C列引用了共享字符串，但文件里没有共享字符串表");
	/* and a sheet that needs none still reads */
	write_book("sst_unused.xlsx", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", "", "");
	expect_sheet(at("sst_unused.xlsx"), 0, "1\n");
	/* no relationship to shared strings at all */
	write_book("sst_none.xlsx", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", NULL,
		   NULL);
	expect_error(at("sst_none.xlsx"), "没有共享字符串表");
}

#define BOMB                                                                                       \
	"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"                             \
	"<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"                    \
	"<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"          \
	"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"          \
	"<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"          \
	"<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"          \
	"<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"          \
	"<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"          \
	"<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"          \
	"<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"

static void test_hostile_xml(void **state)
{
	char err[512];

	(void)state;
	write_book("bomb.xlsx",
		   BOMB "<worksheet xmlns=\"" NS "\"><sheetData><row><c t=\"inlineStr\"><is><t>"
			"&lol9;</t></is></c></row></sheetData></worksheet>",
		   NULL, NULL);
	expect_error(at("bomb.xlsx"), "文件已损坏");
	/* in the shared strings: the workbook does not open */
	write_book("bomb_sst.xlsx", "<row/>",
		   BOMB "<sst xmlns=\"" NS "\"><si><t>&lol9;</t></si></sst>", NULL);
	assert_null(book_open(at("bomb_sst.xlsx"), err, sizeof(err)));
	assert_non_null(strstr(err, "文件已损坏"));
	/* an external entity is never fetched */
	write_book("xxe.xlsx",
		   "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		   "<worksheet xmlns=\"" NS "\"><sheetData><row><c t=\"inlineStr\"><is><t>&x;</t>"
		   "</is></c></row></sheetData></worksheet>",
		   NULL, NULL);
	expect_error(at("xxe.xlsx"), "文件已损坏");
	/* invalid UTF-8 is expat's error */
	write_book("utf8.xlsx", "<row><c t=\"inlineStr\"><is><t>\xff\xfe</t></is></c></row>", NULL,
		   NULL);
	expect_error(at("utf8.xlsx"), "文件已损坏");
	/* cut short inside the sheet */
	write_book("cut.xlsx",
		   "<?xml version=\"1.0\"?><worksheet xmlns=\"" NS "\"><sheetData><row>"
		   "<c><v>1</v></c></row><row><c><v>2",
		   NULL, NULL);
	expect_error(at("cut.xlsx"), "文件已损坏");
}

/* One cell or one tag of more than 64 MiB: a reason, with memory bounded. */
static void test_giant_pieces(void **state)
{
	size_t n = (64u << 20) + 16;
	char *big = xmalloc(n + 256);

	(void)state;
	strcpy(big, "<row><c t=\"inlineStr\"><is><t>");
	memset(big + strlen(big), 'x', n);
	strcpy(big + 29 + n, "</t></is></c></row>");
	write_book("giant_cell.xlsx", big, NULL, NULL);
	expect_error(at("giant_cell.xlsx"), "第1行有一个超过64 MiB的单元格");
	strcpy(big, "<row><c r=\"");
	memset(big + strlen(big), 'A', n);
	strcpy(big + 11 + n, "\"/></row>");
	write_book("giant_tag.xlsx", big, NULL, NULL);
	expect_error(at("giant_tag.xlsx"), "超过16 MiB的标记");
	free(big);
}

static void test_damaged_packages(void **state)
{
	char err[512];
	size_t len;
	char *bytes = slurp(FIX "title_row.xlsx", &len);
	static const char *const only_text[] = {"hello.txt", "hello", NULL};
	static const char *const docx[] = {
	    "_rels/.rels",
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"rId1\" Type=\"" RELNS "/officeDocument\" "
	    "Target=\"word/document.xml\"/></Relationships>",
	    "word/document.xml",
	    "<w:document "
	    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>",
	    NULL};
	static const char *const xlsb[] = {
	    "_rels/.rels",
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"rId1\" Type=\"" RELNS "/officeDocument\" "
	    "Target=\"xl/workbook.bin\"/></Relationships>",
	    "xl/workbook.bin", "\x83\x01", NULL};
	static const char *const lost_sheet[] = {"_rels/.rels", ROOT_RELS, "xl/workbook.xml",
						 WORKBOOK_XML, NULL};
	unsigned char random[4096];
	unsigned seed = 12345;

	(void)state;
	/* a download cut in half: no central directory */
	write_bytes("half.xlsx", bytes, len / 2);
	assert_null(book_open(at("half.xlsx"), err, sizeof(err)));
	assert_non_null(strstr(err, "文件已损坏"));
	/* the right magic, then noise */
	memcpy(random, "PK\3\4", 4);
	for (size_t i = 4; i < sizeof(random); i++) {
		seed = seed * 1103515245u + 12345u;
		random[i] = (unsigned char)(seed >> 16);
	}
	write_bytes("noise.xlsx", random, sizeof(random));
	assert_null(book_open(at("noise.xlsx"), err, sizeof(err)));
	assert_non_null(strstr(err, "文件已损坏"));
	/* a flipped byte inside the compressed sheet: the checksum */
	{
		char *copy = xmalloc(len);
		int failures = 0;

		for (size_t at_byte = 200; at_byte < len / 2; at_byte += 97) {
			char e2[512];
			size_t calls;
			char *text;

			memcpy(copy, bytes, len);
			copy[at_byte] ^= 0x55;
			write_bytes("flip.xlsx", copy, len);
			text = read_sheet(at("flip.xlsx"), 0, 1, &calls, e2, sizeof(e2));
			/* either a byte the reader never needs, or a reason */
			if (text == NULL)
				failures++;
			free(text);
		}
		assert_true(failures > 0);
		free(copy);
	}
	write_zip("text.xlsx", only_text);
	assert_null(book_open(at("text.xlsx"), err, sizeof(err)));
	assert_string_equal(err, "不是Excel工作簿（压缩包里没有workbook.xml）");
	write_zip("word.xlsx", docx);
	assert_null(book_open(at("word.xlsx"), err, sizeof(err)));
	assert_non_null(strstr(err, "不是Excel工作簿"));
	write_zip("binary.xlsx", xlsb);
	assert_null(book_open(at("binary.xlsx"), err, sizeof(err)));
	assert_non_null(strstr(err, ".xlsb"));
	/* the workbook names a sheet whose part is missing */
	write_zip("lost.xlsx", lost_sheet);
	expect_error(at("lost.xlsx"), "工作表“S”的内容不在文件里");
	/* an OLE2 file that is no workbook */
	memcpy(random, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
	write_bytes("noise.xls", random, sizeof(random));
	assert_null(book_open(at("noise.xls"), err, sizeof(err)));
	assert_non_null(strstr(err, "文件已损坏"));
	write_bytes("empty.xlsx", "", 0);
	assert_null(book_open(at("empty.xlsx"), err, sizeof(err)));
	assert_string_equal(err, "文件是空的");
	assert_null(book_open(at("absent.xlsx"), err, sizeof(err)));
	assert_non_null(strstr(err, "无法打开文件"));
	free(bytes);
}

/* The part chain: targets relative, absolute or with "..", names in another case. */
static void test_part_chain(void **state)
{
	static const char *const parts[] = {
	    "_rels/.rels",
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"rId9\" Type=\"" RELNS "/officeDocument\" "
	    "Target=\"/book/Main.xml\"/></Relationships>",
	    "book/main.xml",
	    "<workbook xmlns=\"" NS "\" xmlns:r=\"" RELNS "\"><workbookPr date1904=\"true\"/>"
	    "<sheets><sheet name=\"甲\" sheetId=\"1\" r:id=\"a\"/><sheet name=\"乙\" sheetId=\"2\" "
	    "r:id=\"b\" state=\"veryHidden\"/><sheet name=\"丙\" sheetId=\"3\" r:id=\"c\"/>"
	    "</sheets></workbook>",
	    "book/_rels/main.xml.rels",
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"a\" Type=\"" RELNS "/worksheet\" Target=\"./s/../s/one.xml\"/>"
	    "<Relationship Id=\"b\" Type=\"" RELNS "/worksheet\" Target=\"../other/two.xml\"/>"
	    "<Relationship Id=\"c\" Type=\"" RELNS "/worksheet\" Target=\"http://x/y.xml\" "
	    "TargetMode=\"External\"/>"
	    "<Relationship Id=\"st\" Type=\"" RELNS "/styles\" Target=\"/book/st.xml\"/>"
	    "</Relationships>",
	    "book/s/one.xml",
	    "<worksheet xmlns=\"" NS "\"><sheetData><row><c s=\"1\"><v>43904</v></c></row>"
	    "</sheetData></worksheet>",
	    "other/two.xml",
	    "<worksheet xmlns=\"" NS "\"><sheetData><row><c><v>2</v></c></row></sheetData>"
	    "</worksheet>",
	    "book/st.xml",
	    "<styleSheet xmlns=\"" NS "\"><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
	    "</cellXfs></styleSheet>",
	    NULL};
	static const char *const names[] = {"甲", "乙", "丙"};
	static const bool hidden[] = {false, true, false};

	(void)state;
	write_zip("chain.xlsx", parts);
	expect_sheets(at("chain.xlsx"), "xlsx", 3, names, hidden);
	/* 43904 in the 1904 system is 2024-03-15 */
	expect_sheet(at("chain.xlsx"), 0, "2024-03-15\n");
	expect_sheet(at("chain.xlsx"), 1, "2\n");
	{
		char err[512];
		struct book *wb = book_open(at("chain.xlsx"), err, sizeof(err));
		struct strbuf sb = STRBUF_INIT;

		assert_non_null(wb);
		/* an external target is no sheet of the package */
		assert_int_equal(book_select(wb, 2, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "丙"));
		assert_int_equal(book_read(wb, &sb, 1, err, sizeof(err)), -1);
		/* a later select starts over, and another sheet reads */
		assert_int_equal(book_select(wb, 1, err, sizeof(err)), 0);
		assert_int_equal(book_read(wb, &sb, 1 << 20, err, sizeof(err)), 0);
		assert_int_equal(book_select(wb, 0, err, sizeof(err)), 0);
		assert_int_equal(book_read(wb, &sb, 1 << 20, err, sizeof(err)), 0);
		assert_string_equal(sb.buf, "2\n2024-03-15\n");
		book_close(wb);
		strbuf_release(&sb);
	}
}

/* ------------------------------------------------------------ the shared cell rules */

static void test_format_number(void **state)
{
	static const struct {
		double v;
		const char *want;
	} cases[] = {
	    {0, "0"},
	    {-0.0, "0"},
	    {350.10000000000002, "350.1"},
	    {0.1 + 0.2, "0.3"},
	    {511621197806059000.0, "5.11621197806059E+17"},
	    {123456789012345.0, "123456789012345"},
	    {1234567890123456.0, "1.23456789012346E+15"},
	    {-1.5e-7, "-1.5E-07"},
	    {0.0001, "0.0001"},
	    {1e-5, "1E-05"},
	    {520, "520"},
	    {-390.5, "-390.5"},
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		book_format_number(cases[i].v, buf);
		assert_string_equal(buf, cases[i].want);
	}
}

static void test_format_date(void **state)
{
	static const struct {
		double serial;
		bool date1904;
		const char *want;
	} cases[] = {
	    {1, false, "1900-01-01"},
	    {59, false, "1900-02-28"},
	    {60, false, "1900-02-29"},
	    {61, false, "1900-03-01"},
	    {45366, false, "2024-03-15"},
	    {45366.99999, false, "2024-03-15"},
	    {45382.60416666666, false, "2024-03-31"},
	    {43904, true, "2024-03-15"},
	    {0, true, "1904-01-01"},
	    {0.5, false, "12:00:00"},
	    {0.60416666666, false, "14:30:00"},
	    {0, false, "00:00:00"},
	    {2958465, false, "9999-12-31"},
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(book_format_date(cases[i].serial, cases[i].date1904, buf));
		assert_string_equal(buf, cases[i].want);
	}
	assert_false(book_format_date(-1, false, buf));
	assert_false(book_format_date(2958466, false, buf));
	assert_false(book_format_date(1.0 / 0.0, false, buf));
	assert_false(book_format_date(0.0 / 0.0, true, buf));
}

static void test_add_field(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	book_add_field(&sb, true, "a", 1);
	book_add_field(&sb, false, "", 0);
	book_add_field(&sb, false, "b,c", 3);
	book_add_field(&sb, false, "say \"x\"", 7);
	book_add_field(&sb, false, " lead", 5);
	book_add_field(&sb, false, "trail ", 6);
	book_add_field(&sb, false, "x\r\ny\nz\rw", 8);
	book_add_field(&sb, false, "mid space", 9);
	book_add_field(&sb, false, "\n", 1);
	assert_string_equal(sb.buf, "a,,\"b,c\",\"say \"\"x\"\"\",\" lead\",\"trail \",\"x y z w\","
				    "mid space,\" \"");
	strbuf_reset(&sb);
	book_add_field(&sb, true, "", 0);
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

static void test_column_name(void **state)
{
	static const struct {
		size_t col;
		const char *want;
	} cases[] = {{0, "A"},       {25, "Z"},      {26, "AA"},     {51, "AZ"},
		     {52, "BA"},     {701, "ZZ"},    {702, "AAA"},   {16383, "XFD"},
		     {16384, "XFE"}, {18277, "ZZZ"}, {18278, "AAAA"}};
	char buf[8];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		book_column_name(cases[i].col, buf);
		assert_string_equal(buf, cases[i].want);
	}
	/* the largest column fits, cut at 7 letters */
	book_column_name((size_t)-1, buf);
	assert_int_equal(strlen(buf), 7);
}

static void test_book_path(void **state)
{
	(void)state;
	assert_true(book_path("低保.xlsx"));
	assert_true(book_path("a.XLSX"));
	assert_true(book_path("a.xlsm"));
	assert_true(book_path("a.Xls"));
	assert_false(book_path("a.csv"));
	assert_false(book_path("xlsx"));
	assert_false(book_path("a.xlsx.bak"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixture_title_row),
	    cmocka_unit_test(test_fixture_merged_title),
	    cmocka_unit_test(test_fixture_date1904),
	    cmocka_unit_test(test_fixture_id_number),
	    cmocka_unit_test(test_fixture_formulas),
	    cmocka_unit_test(test_fixture_numbers_as_text),
	    cmocka_unit_test(test_fixture_trailing_rows),
	    cmocka_unit_test(test_fixture_notes_sheet),
	    cmocka_unit_test(test_fixture_hidden_sheet),
	    cmocka_unit_test(test_fixture_shared_rich),
	    cmocka_unit_test(test_fixture_no_r),
	    cmocka_unit_test(test_fixture_prefixed),
	    cmocka_unit_test(test_fixture_xls),
	    cmocka_unit_test(test_fixture_encrypted),
	    cmocka_unit_test_setup_teardown(test_libxlsxwriter, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_libxlsxwriter_constant_memory, tmpdir_new,
					    tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_cell_types, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_cell_text_escapes, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_rows_and_columns, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_bad_rows, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_bad_columns, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_bad_shared_strings, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_hostile_xml, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_giant_pieces, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_damaged_packages, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test_setup_teardown(test_part_chain, tmpdir_new, tmpdir_remove),
	    cmocka_unit_test(test_format_number),
	    cmocka_unit_test(test_format_date),
	    cmocka_unit_test(test_add_field),
	    cmocka_unit_test(test_column_name),
	    cmocka_unit_test(test_book_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
