/*
 * test_punct.c - half-width punctuation next to Chinese text
 * (template/template_punct.h): what is found, where (line, column in
 * characters), what is never touched, and that a fix is final.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "template/template_punct.h"

/* The fixed text of s; *n gets the number of hits. */
static char *fixed(const char *s, size_t *n)
{
	struct punct_hit *hits;
	size_t len;
	char *out;

	*n = punct_scan(s, strlen(s), &hits);
	out = punct_fix(s, strlen(s), hits, *n, &len);
	assert_int_equal(len, strlen(out));
	free(hits);
	return out;
}

/* s is fixed into want, and fixing want again changes nothing. */
static void check_fix(const char *s, const char *want, size_t nwant)
{
	size_t n, again;
	char *out = fixed(s, &n), *out2;

	assert_string_equal(out, want);
	assert_int_equal(n, nwant);
	out2 = fixed(out, &again);
	assert_int_equal(again, 0);
	assert_string_equal(out2, out);
	free(out);
	free(out2);
}

/* s is left exactly as written. */
static void check_untouched(const char *s)
{
	check_fix(s, s, 0);
}

static void test_marks_and_locations(void **state)
{
	const char *s = "第一行\n今年以来,全市;共计:有(甲)吗!是?\n";
	struct punct_hit *h;
	size_t n = punct_scan(s, strlen(s), &h);

	(void)state;
	assert_int_equal(n, 7);
	assert_int_equal(h[0].line, 2);
	assert_int_equal(h[0].column, 5); /* characters, not bytes */
	assert_int_equal(h[0].mark, ',');
	assert_int_equal(h[0].offset, strlen("第一行\n今年以来"));
	assert_int_equal(h[1].column, 8);
	assert_int_equal(h[1].mark, ';');
	assert_int_equal(h[3].mark, '(');
	assert_int_equal(h[4].mark, ')');
	assert_int_equal(h[6].column, 19);
	free(h);
	check_fix(s, "第一行\n今年以来，全市；共计：有（甲）吗！是？\n", 7);
	assert_string_equal(punct_full(','), "，");
	assert_string_equal(punct_name('?'), "问号");
	assert_null(punct_full('.'));
}

static void test_one_side_and_spaces(void **state)
{
	(void)state;
	check_fix("民政, 社会救助", "民政，社会救助", 1);
	check_fix("见附件 (PDF) 和表", "见附件（PDF）和表", 2); /* the pair follows its half */
	check_fix("由软件 app ,生成", "由软件 app，生成", 1);
	/* indentation and a hard line break (two trailing spaces) stay */
	check_fix("  (一)总体\n民政,  \n下一行", "  （一）总体\n民政，  \n下一行", 3);
	check_untouched("abc, def (ghi): jkl");
	check_untouched("Hello, world! 民政");
	/* a variable that stands for Chinese text is Chinese; {year} is digits */
	check_fix("{since},{area}慈善", "{since}，{area}慈善", 1);
	check_fix("为{period_name}:", "为{period_name}：", 1);
	check_untouched("x{year},{period}y");
}

static void test_full_width_already_and_mixed(void **state)
{
	(void)state;
	check_untouched("今年以来，全市发放低保金（元）：共计；");
	check_fix("今年以来，全市,发放（元):共计", "今年以来，全市，发放（元）：共计", 3);
	check_fix("《总结》(PDF)和数据表", "《总结》（PDF）和数据表", 2);
	/* a pair half full-width, half not, beside code */
	check_fix("引号（`\"...\"`),引号", "引号（`\"...\"`），引号", 2);
	check_fix("a (`x`）乙", "a（`x`）乙", 1);
}

static void test_expressions_and_code(void **state)
{
	(void)state;
	check_untouched("为{{ relief.persons[救助类别=城市低保,农村低保] | auto:1 }}名");
	check_fix("低保{{ relief.amount[救助类别=城市低保,农村低保] | 万:1 }}元,共计",
		  "低保{{ relief.amount[救助类别=城市低保,农村低保] | 万:1 }}元，共计", 1);
	check_untouched("写成 `[救助类别=城市低保,农村低保]` 即可");
	check_untouched("写成 ``a`b,中文`` 即可");
	check_untouched(
	    "```chart\ntitle: 图(一)\nseries: 低保金 = relief.amount[救助类别=城市低保,农村低保] "
	    "by 区县\nformat: 万:1\n```\n");
	check_untouched(
	    "```table\nrows: 区县\ncolumn: 人数(人) = relief.persons | thousands\n```\n");
	check_untouched("~~~~\n中文,中文\n~~~~\n");
	check_untouched("段落\n\n    缩进代码,中文\n");
	/* after a fence, prose again */
	check_fix("```\n甲,乙\n```\n甲,乙", "```\n甲,乙\n```\n甲，乙", 1);
	/* a code span over two lines of one paragraph */
	check_untouched("见 `甲,\n乙` 处");
	/* an unclosed backtick is literal: the text beside it is prose */
	check_fix("单个`反引号,中文", "单个`反引号，中文", 1);
}

static void test_front_matter(void **state)
{
	const char *in = "---\ntitle: 广安市(2021)总结\nkeywords: 民政, 救助\npdf: 报告(甲).pdf\n"
			 "body_font: 仿宋(GB2312)\n# 注释:中文,中文\nmail_body: 各位,附件是{{ "
			 "relief.persons[救助类别=城市低保,农村低保] }}人。\n---\n正文,中文\n";
	const char *want =
	    "---\ntitle: 广安市（2021）总结\nkeywords: 民政, 救助\npdf: 报告(甲).pdf\n"
	    "body_font: 仿宋(GB2312)\n# 注释:中文,中文\nmail_body: 各位，附件是{{ "
	    "relief.persons[救助类别=城市低保,农村低保] }}人。\n---\n正文，中文\n";

	(void)state;
	check_fix(in, want, 4);
	/* a Chinese key (alias) and the full-width colon after a key */
	check_fix("---\n标题：广安(市)\n地区: 广安市\n---\n",
		  "---\n标题：广安（市）\n地区: 广安市\n---\n", 2);
}

static void test_comments_urls_numbers(void **state)
{
	(void)state;
	check_untouched("<!-- 仅总报告 -->\n今年\n<!-- /仅总报告 -->\n");
	check_untouched("<!--\n  注释,中文(甲)\n  再一行:中文\n-->\n");
	check_fix("<!-- 注:中 -->民政,救助", "<!-- 注:中 -->民政，救助", 1);
	check_untouched("见https://example.com/a?b=中,文 处");
	check_untouched("见[说明](附件(一).md)处");
	check_untouched("如下![图](图.png)");
	check_untouched("<span title=\"中,文\">甲</span>");
	check_untouched("共1,234.5元，2021-09月，10:30时");
	check_untouched("转义\\(中文\\)");
}

static void test_english_lines(void **state)
{
	(void)state;
	check_untouched("(`@prev` = 同比, the same months a year earlier; `@last` = 环比, the");
	check_untouched("`{sub}` (the next area level: 区县 in the whole report)");
}

static void test_utf8_edges(void **state)
{
	/* U+20000 (4 bytes, CJK ext. B) counts as Chinese and as one column */
	const char *ext_b = "\xf0\xa0\x80\x80,\xf0\xa0\x80\x81";
	struct punct_hit *h;
	size_t n = punct_scan(ext_b, strlen(ext_b), &h);

	(void)state;
	assert_int_equal(n, 1);
	assert_int_equal(h[0].column, 2);
	free(h);
	check_fix(ext_b, "\xf0\xa0\x80\x80，\xf0\xa0\x80\x81", 1);
	/* invalid bytes are never Chinese, never rewritten, one column each */
	check_untouched("\xe4\xb8,\xad");
	check_untouched("\xff\xfe,(\x80)");
	n = punct_scan("\xff\xff民,政", 9, &h);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].column, 4);
	free(h);
	/* a truncated character at the very end, NUL bytes, empty text */
	check_fix("民,\xe6\xb0", "民，\xe6\xb0", 1);
	n = punct_scan("民,\0政,", 9, &h);
	assert_int_equal(n, 2);
	free(h);
	assert_int_equal(punct_scan("", 0, &h), 0);
	assert_null(h);
	check_untouched(",");
	check_untouched("(");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_marks_and_locations),
	    cmocka_unit_test(test_one_side_and_spaces),
	    cmocka_unit_test(test_full_width_already_and_mixed),
	    cmocka_unit_test(test_expressions_and_code),
	    cmocka_unit_test(test_front_matter),
	    cmocka_unit_test(test_comments_urls_numbers),
	    cmocka_unit_test(test_english_lines),
	    cmocka_unit_test(test_utf8_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
