/*
 * test_mask.c - masking by content (src/ingest/mask.c), the escapes for a
 * terminal (src/util/escape.c) and JSON strings for any bytes
 * (src/util/json.c).
 *
 * Regression tests for issue 10 items 14, 15 and 17: rejects.csv masked by
 * column position only, so a shifted row showed a full name under 救助类别
 * and a full ID under 户号, and a name in the ID column showed through the
 * ID mask; an unrecognised first line was echoed in the error as it stood;
 * terminal escapes in the data reached the terminal, and invalid UTF-8
 * made invalid JSON.  The IDs and names are the synthetic ones of
 * tests/fixtures/ingest/README.md.
 *
 * Run from the repository root (templates/schema.ini).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "ingest/mask.h"
#include "ingest/rejects.h"
#include "ingest/schema.h"
#include "util/escape.h"
#include "util/json.h"
#include "util/xalloc.h"

static struct schema schema;
static const struct dataset *relief;

static const struct column *col(const char *name)
{
	int c = dataset_column(relief, name);

	assert_true(c >= 0);
	return &relief->cols[c];
}

/* mask_field of s for column name (NULL: unknown), compared with want. */
static void expect_field(const char *name, const char *s, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	mask_field(&sb, name ? col(name) : NULL, s, strlen(s));
	if (strcmp(sb.buf ? sb.buf : "", want) != 0)
		fail_msg("mask_field(%s, \"%s\") = \"%s\", want \"%s\"", name ? name : "NULL", s,
			 sb.buf ? sb.buf : "", want);
	strbuf_release(&sb);
}

static int setup(void **state)
{
	char err[256];

	(void)state;
	if (schema_load(&schema, "templates/schema.ini", err, sizeof(err)) != 0) {
		print_message("%s\n", err);
		return -1;
	}
	relief = schema_find(&schema, "relief");
	return relief == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	schema_release(&schema);
	return 0;
}

static void test_looks_like_id(void **state)
{
	(void)state;
	assert_true(mask_looks_like_id("511602198001150012", 18));
	assert_true(mask_looks_like_id("51160219850707124X", 18));
	assert_true(mask_looks_like_id("51160219850707124x", 18));
	/* a wrong check digit, a digit lost, the legacy 15 digits */
	assert_true(mask_looks_like_id("511602198001150013", 18));
	assert_true(mask_looks_like_id("51160219800115001", 17));
	assert_true(mask_looks_like_id("511602800115001", 15));
	/* spaces, dashes, full-width digits, surrounding spaces */
	assert_true(mask_looks_like_id("511602 19800115 0012", 20));
	assert_true(mask_looks_like_id("511602-19800115-0012", 20));
	const char *fw = "５１１６０２１９８００１１５００１２";
	assert_true(mask_looks_like_id(fw, strlen(fw)));
	assert_true(mask_looks_like_id("  511602198001150012 ", 21));
	/* money, months, household numbers are not */
	assert_false(mask_looks_like_id("520.00", 6));
	assert_false(mask_looks_like_id("2021-01", 7));
	assert_false(mask_looks_like_id("H001", 4));
	assert_false(mask_looks_like_id("51160219800115", 14));
	assert_true(mask_looks_like_id("51160219800115A012", 18));
	assert_false(mask_looks_like_id("ABC51160219800115", 17));
	assert_false(mask_looks_like_id("", 0));
}

static void test_looks_like_name(void **state)
{
	static const char *const names[] = {"张三",          "欧阳娜娜", "张 三",
					    "阿卜杜·热合曼", "  李四  ", "王五　"};
	static const char *const others[] = {
	    "张", "城市居民最低生活保障", "H001", "520.00", "2021年1月", "·张三", "张三·", "张三1"};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!mask_looks_like_name(names[i], strlen(names[i])))
			fail_msg("\"%s\" should look like a name", names[i]);
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (mask_looks_like_name(others[i], strlen(others[i])))
			fail_msg("\"%s\" should not look like a name", others[i]);
}

/* Rule 1: a field whose column is not known is masked whole. */
static void test_unknown_column_masked_whole(void **state)
{
	(void)state;
	expect_field(NULL, "511602198001150012", "511602********0012");
	expect_field(NULL, "张三", "张*");
	expect_field(NULL, "欧阳娜娜", "欧***");
	expect_field(NULL, "广安区", "广**");
	expect_field(NULL, "520.00", "5*****");
	expect_field(NULL, "H001", "H***");
	expect_field(NULL, "", "");
}

/* Rule 2: a personal-data column masks whatever it holds, never showing a name through the ID mask.
 */
static void test_personal_columns(void **state)
{
	(void)state;
	expect_field("身份证号", "511602198001150012", "511602********0012");
	expect_field("身份证号", "51160219850707124X", "511602********124X");
	expect_field("身份证号", "511602800115001", "511602*****5001");
	/* a typo in an ID still shows where it is */
	expect_field("身份证号", "5116021980011500A2", "511602********00A2");
	/* the name where the ID should be: 张三丰 is 9 bytes, all kept by a 6 + 4 byte mask */
	expect_field("身份证号", "张三丰", "张**");
	expect_field("姓名", "张三", "张*");
	expect_field("姓名", "511602198001150012", "511602********0012");
}

/* Rules 3 and 4: content decides, wherever the value stands. */
static void test_content_rules(void **state)
{
	(void)state;
	/* a full ID under 户号 (issue 10 item 14) */
	expect_field("户号", "511621196202280243", "511621********0243");
	expect_field("户号", "H511621196202280243", "H51162*********0243");
	expect_field("户号", "Room511621196202280243", "Room511621********0243");
	expect_field("户号", "51162119620228A243", "511621********A243");
	expect_field("户号", "13900002222", "13900002222");
	expect_field("乡镇(街道)", "家住 511602 19800115 0012 号", "家住 511602 ******** 0012 号");
	expect_field("发放金额", "511602198001150012", "511602********0012");
	/* a name under an enum or typed column */
	expect_field("救助类别", "张三", "张*");
	expect_field("区县", "欧阳娜娜", "欧***");
	expect_field("发放金额", "王五", "王*");
	expect_field("发放年月", "李四", "李*");
	/* allowed and misspelt enum values, other values stay as they are */
	expect_field("区县", "广安区", "广安区");
	expect_field("区县", "广安县", "广安县");
	expect_field("救助类别", "城镇低保", "城镇低保");
	expect_field("救助类别", "城市低宝", "城市低宝");
	expect_field("救助类别", "低保", "低保");
	expect_field("区县", "武胜男", "武**");
	expect_field("救助类别", "张永保", "张**");
	expect_field("发放金额", "4O0", "4O0");
	expect_field("发放年月", "2021-13", "2021-13");
	/* place names in a text column that is not personal data */
	expect_field("乡镇(街道)", "浓洲镇", "浓洲镇");
	expect_field("户号", "H001", "H001");
	/*
	 * Digits split by other separators (found by review: each printed the
	 * whole ID): two spaces, underscore, dots, slash, a byte not UTF-8,
	 * and after a word
	 */
	expect_field("户号", "511602  196802063163", "511602  ********3163");
	expect_field("户号", "511602_196802063163", "511602_********3163");
	expect_field("户号", "5116.0219.6802.0631.63", "5116.02**.****.**31.63");
	expect_field("户号", "511602/196802063163", "511602/********3163");
	expect_field("户号", "Room 511602 196802063163", "Room 511602 ********3163");
	{
		struct strbuf sb = STRBUF_INIT;
		const char raw[] = "511602\xff"
				   "196802063163";

		mask_field(&sb, col("户号"), raw, sizeof(raw) - 1);
		if (sb.buf == NULL || strstr(sb.buf, "196802063163") != NULL ||
		    strstr(sb.buf, "19680206") != NULL)
			fail_msg("an invalid byte inside an ID: \"%s\"", sb.buf ? sb.buf : "");
		strbuf_release(&sb);
	}
	/* dates, amounts and short numbers stay readable */
	expect_field("户号", "2021-01-30", "2021-01-30");
	expect_field("户号", "GA021023240", "GA021023240");
}

/* Rule 5: controls, bidi overrides and invalid bytes become visible escapes. */
static void test_field_escapes(void **state)
{
	(void)state;
	expect_field("乡镇(街道)", "浓洲\x1b[31m镇", "浓洲\\x1b[31m镇");
	expect_field("乡镇(街道)",
		     "a\xe2\x80\xae"
		     "b",
		     "a\\u202eb");
	expect_field("乡镇(街道)", "a\xff", "a\\xff");
}

static void test_quote_cut(void **state)
{
	char *q;

	(void)state;
	q = mask_quote(col("救助类别"), "张三", 6, 20);
	assert_string_equal(q, "张*");
	free(q);
	q = mask_quote(col("救助类别"), "一二三四五六七八九十", 30, 4);
	assert_string_equal(q, "一二三四…");
	free(q);
	q = mask_quote(NULL, "城市低保", 12, 20);
	assert_string_equal(q, "城***");
	free(q);
}

/* Issue 10 item 15: the first line of a headerless export, for the error message. */
static void test_header_fields(void **state)
{
	const char *fields[] = {"511602198001150012", "张三",    "广安区", "浓洲镇",
				"城市低保",           "2021-01", "520.00", "H001"};
	const char *header[] = {"身份证号", "联系电话", "备注 511602198001150012"};
	char *s;

	(void)state;
	s = mask_header_fields((char *const *)fields, 8, false);
	assert_null(strstr(s, "511602198001150012"));
	assert_null(strstr(s, "张三"));
	assert_null(strstr(s, "广安区"));
	assert_non_null(strstr(s, "张*"));
	assert_non_null(strstr(s, "（共8列）"));
	assert_null(strstr(s, "520.00")); /* only the first few fields */
	free(s);
	/* a header that matched some columns: names shown, an ID still masked */
	s = mask_header_fields((char *const *)header, 3, true);
	assert_string_equal(s, "身份证号、联系电话、备注 511602********001…");
	free(s);
}

/* Issue 10 item 17: escapes for a terminal. */
static void test_escape_terminal(void **state)
{
	char *s;

	(void)state;
	s = escape_terminal_dup("广安区\x1b]0;pwned\x07\r\n\t\x7f");
	assert_string_equal(s, "广安区\\x1b]0;pwned\\x07\\x0d\\x0a\\x09\\x7f");
	free(s);
	/* C1 (U+009B, a CSI), bidi overrides and isolates, line separators */
	s = escape_terminal_dup("\xc2\x9b"
				"1m\xe2\x80\xae\xe2\x81\xa6\xe2\x80\xa8");
	assert_string_equal(s, "\\u009b1m\\u202e\\u2066\\u2028");
	free(s);
	/* a byte that is not UTF-8; Chinese and emoji unchanged */
	s = escape_terminal_dup("\xb9\xe3 广安 \xf0\x9f\x98\x80");
	assert_string_equal(s, "\\xb9\\xe3 广安 \xf0\x9f\x98\x80");
	free(s);
}

static char *json_of(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	json_string(fp, s);
	fclose(fp);
	return buf;
}

/* JSON for any bytes: valid UTF-8 out, controls escaped. */
static void test_json_any_bytes(void **state)
{
	char *s;

	(void)state;
	s = json_of("a\xff\xfe"
		    "b\x1b[2J\"\\\n");
	assert_string_equal(s, "\"a\\ufffd\\ufffdb\\u001b[2J\\\"\\\\\\n\"");
	free(s);
	s = json_of("广安\xe2\x80\xae\xc2\x85");
	assert_string_equal(s, "\"广安\\u202e\\u0085\"");
	free(s);
}

/* The one CSV field writer (rejects.csv, query --format csv). */
static void test_csv_formula(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","},
	    {"@SUM(1)", "'@SUM(1),"},
	    {"+1", "'+1,"},
	    {"-1", "'-1,"},
	    {"\t=1", "'\t=1,"},
	    {"广安区", "广安区,"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);

		csv_write_field(fp, cases[i].in, 0);
		fclose(fp);
		if (strcmp(buf, cases[i].out) != 0)
			fail_msg("csv_write_field(%s) = %s, want %s", cases[i].in, buf,
				 cases[i].out);
		free(buf);
	}
}

/* ------------------------------------------ rejected rows, end to end */

struct rejects {
	char *rows[16], *reasons[16], *columns[16];
	size_t n;
};

static void on_row(void *ctx, const struct dataset *ds, const struct ingest_row *row)
{
	(void)ctx;
	(void)ds;
	(void)row;
}

static void on_reject(void *ctx, const struct ingest_reject *r)
{
	struct rejects *g = ctx;

	assert_true(g->n < 16);
	g->rows[g->n] = xstrdup(r->row);
	g->reasons[g->n] = xstrdup(r->reason);
	g->columns[g->n] = xstrdup(r->column);
	g->n++;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Read one CSV file of the given text with ingest_run; the rejects land in g. */
static void ingest_text(const char *csv, struct rejects *g, struct ingest_result *res)
{
	char dir[] = "/tmp/test_mask.XXXXXX", err[256], *path;
	struct ingest_sink sink = {.ctx = g, .row = on_row, .reject = on_reject};
	struct ingest_options opt = {.period = {2021 * 12, 2021 * 12 + 11}, .threads = 1};
	FILE *fp;

	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/relief.csv", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(csv, fp);
	assert_int_equal(fclose(fp), 0);
	opt.input_dir = dir;
	memset(g, 0, sizeof(*g));
	assert_int_equal(ingest_run(&schema, &opt, &sink, res, err, sizeof(err)), 0);
	nftw(dir, rm_entry, 4, FTW_DEPTH | FTW_PHYS);
	free(path);
}

static void rejects_free(struct rejects *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->rows[i]);
		free(g->reasons[i]);
		free(g->columns[i]);
	}
}

/* No reject row or reason holds a full synthetic ID or name. */
static void expect_nothing_personal(const struct rejects *g)
{
	static const char *const personal[] = {
	    "511602198001150012",
	    "511603197512030022",
	    "511681199006300139",
	    "511621196202280243",
	    "张三",
	    "李四",
	    "王五",
	    "赵六",
	    "张三丰",
	};

	for (size_t i = 0; i < g->n; i++)
		for (size_t k = 0; k < sizeof(personal) / sizeof(personal[0]); k++)
			if (strstr(g->rows[i], personal[k]) != NULL ||
			    strstr(g->reasons[i], personal[k]) != NULL)
				fail_msg("reject %zu shows %s: %s | %s", i, personal[k],
					 g->reasons[i], g->rows[i]);
}

/*
 * Regression (issue 10 item 14): rejects.csv masked by header position, so
 * shifted rows showed names and IDs under other columns.
 */
static void test_rejected_rows_masked(void **state)
{
	struct rejects g;
	struct ingest_result res;

	(void)state;
	ingest_text(
	    "身份证号,姓名,区县,乡镇(街道),救助类别,发放年月,发放金额,户号\n"
	    "511602198001150012,张三,广安区,浓洲镇,城市低保,2021-01,520.00,H001\n"
	    /* an unquoted comma: one field too many */
	    "511603197512030022,李四,前锋区,奎阁,街道,农村低保,2021-01,390.50,H002\n"
	    /* 乡镇 left out: every field one column to the left */
	    "511681199006300139,王五,华蓥市,城市低保,2021-02,100.00,H003\n"
	    /* the ID left out: the name under 身份证号 */
	    "张三丰,广安区,浓洲镇,城市低保,2021-01,520.00,H001\n"
	    /* a well-formed row with an ID under 户号 */
	    "511621196202280243,赵六,岳池县,九龙镇,城市低保,2021-02,1OO,511621196202280243\n",
	    &g, &res);
	assert_int_equal(g.n, 4);
	expect_nothing_personal(&g);
	assert_string_equal(g.rows[0], "511603********0022,李*,前**,奎*,街*,农***,2******,3*****");
	assert_string_equal(g.rows[1], "511681********0139,王*,华**,城***,2******,1*****,H***");
	assert_string_equal(g.rows[2], "张**,广**,浓**,城***,2******,5*****,H***");
	assert_string_equal(
	    g.rows[3],
	    "511621********0243,赵*,岳池县,九龙镇,城市低保,2021-02,1OO,511621********0243");
	rejects_free(&g);
	ingest_result_release(&res);

	/* another column order: a field left out puts the name under 救助类别 */
	ingest_text("身份证号,区县,乡镇(街道),救助类别,姓名,发放年月,发放金额\n"
		    "511602198001150012,广安区,浓洲镇,张三,2021-01,520.00\n"
		    /* well-formed, the name typed into 救助类别 */
		    "511603197512030022,前锋区,奎阁街道,李四,李四,2021-01,390.50\n",
		    &g, &res);
	assert_int_equal(g.n, 2);
	expect_nothing_personal(&g);
	assert_string_equal(g.columns[0], "救助类别");
	assert_non_null(strstr(g.reasons[0], "“张*”"));
	assert_non_null(strstr(g.reasons[1], "“李*”"));
	assert_string_equal(g.rows[1], "511603********0022,前锋区,奎阁街道,李*,李*,2021-01,390.50");
	rejects_free(&g);
	ingest_result_release(&res);

	/* a duplicate's row is rebuilt from its values: 户号 masked by content there too */
	ingest_text(
	    "身份证号,姓名,区县,乡镇(街道),救助类别,发放年月,发放金额,户号\n"
	    "511621196202280243,赵六,岳池县,九龙镇,城市低保,2021-02,100,511621196202280243\n"
	    "511621196202280243,赵六,岳池县,九龙镇,城市低保,2021-02,100,511621196202280243\n",
	    &g, &res);
	assert_int_equal(g.n, 1);
	expect_nothing_personal(&g);
	assert_non_null(strstr(g.rows[0], "511621********0243,赵*,"));
	assert_non_null(strstr(g.rows[0], ",511621********0243"));
	rejects_free(&g);
	ingest_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_looks_like_id),
	    cmocka_unit_test(test_looks_like_name),
	    cmocka_unit_test(test_unknown_column_masked_whole),
	    cmocka_unit_test(test_personal_columns),
	    cmocka_unit_test(test_content_rules),
	    cmocka_unit_test(test_field_escapes),
	    cmocka_unit_test(test_quote_cut),
	    cmocka_unit_test(test_header_fields),
	    cmocka_unit_test(test_escape_terminal),
	    cmocka_unit_test(test_json_any_bytes),
	    cmocka_unit_test(test_csv_formula),
	    cmocka_unit_test(test_rejected_rows_masked),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
