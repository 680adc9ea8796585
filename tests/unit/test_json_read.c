/*
 * test_json_read.c - reading back the JSON civreport writes (util/json_read.h):
 * what json_string writes reads back the same, strict syntax, hostile
 * nesting refused; and the manifest's mail section written and read back
 * (deliver/manifest_mail.h), updated in place without touching the rest.
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

#include "deliver/manifest_mail.h"
#include "util/json.h"
#include "util/json_read.h"
#include "util/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct json_value *parse(const char *s)
{
	return json_parse(s, strlen(s));
}

static void test_values(void **state)
{
	struct json_value *v;

	(void)state;
	v = parse(" {\"a\": \"x\\\"y\\\\z\\n\\u00e9\\u5e7f\\ud83d\\ude00\", \"n\": -12, "
		  "\"f\": 1.5e3, \"t\": true, \"no\": false, \"z\": null, \"l\": [1, \"two\", []],"
		  " \"o\": {}} ");
	assert_non_null(v);
	assert_string_equal(json_get_string(v, "a"), "x\"y\\z\né广😀");
	assert_int_equal(json_get_int(v, "n", 0), -12);
	assert_int_equal(json_get_int(v, "f", 7), 7); /* not an integer */
	assert_int_equal(json_get_int(v, "missing", 9), 9);
	assert_true(json_get(v, "t")->boolean);
	assert_int_equal(json_get(v, "z")->type, JSON_NULL);
	assert_int_equal(json_get(v, "l")->n, 3);
	assert_string_equal(json_get(v, "l")->items[1].text, "two");
	assert_int_equal(json_get(v, "o")->type, JSON_OBJECT);
	assert_null(json_get_string(v, "n"));
	json_free(v);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
	    "",       "{",       "{\"a\" 1}",     "{\"a\": 1,}", "[1,]",     "{a: 1}",
	    "\"open", "\"\\x\"", "\"\\ud83d\"",   "\"\\ude00\"", "tru",      "nul",
	    "{} {}",  "[1 2]",   "\"tab\there\"", "-",           "{\"a\":}", "// c\n{}",
	};
	char deep[200];
	struct json_value *v;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		v = parse(bad[i]);
		if (v != NULL) {
			json_free(v);
			fail_msg("accepted: %s", bad[i]);
		}
	}
	/* 65 levels: refused, not a stack overflow */
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	deep[130] = '\0';
	assert_null(parse(deep));
	/* 64 levels: fine */
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	deep[128] = '\0';
	v = parse(deep);
	assert_non_null(v);
	json_free(v);
}

/* Everything json_string writes reads back as it was. */
static void test_round_trip(void **state)
{
	static const char *const texts[] = {"", "plain", "引号\"与\\反斜杠", "line\nbreak\ttab\x01",
					    "广安市2021年民政工作总结"};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		struct json_value *v;

		json_string(fp, texts[i]);
		fclose(fp);
		v = json_parse(buf, len);
		assert_non_null(v);
		assert_string_equal(v->text, texts[i]);
		json_free(v);
		free(buf);
	}
}

/* The mail section: written, read back, updated in place. */
static void test_manifest_mail(void **state)
{
	char dir[] = "/tmp/civreport-json-XXXXXX", path[64];
	char a[] = "a@example.gov.cn", b[] = "b@example.gov.cn";
	char *to[] = {a, b};
	struct manifest_mail m = {0}, r;
	struct stat st;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	m.subject = xstrdup("广安市2021年民政工作总结");
	m.body = xstrdup("各位领导:\n\n附件\"见\"。");
	m.pdf = xstrdup("annual-report-2021.pdf");
	m.xlsx = xstrdup("annual-report-2021.xlsx");
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("{\n  \"fingerprint\": \"f\",\n  \"inputs\": [\n  ],\n", fp);
	manifest_mail_write(fp, &m);
	fputs(",\n  \"outputs\": [\"x\"]\n}\n", fp); /* a member after it stays */
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, 0640), 0);

	assert_int_equal(manifest_mail_read(path, &r), 0);
	assert_false(r.sent);
	assert_string_equal(r.subject, m.subject);
	assert_string_equal(r.body, m.body);
	assert_int_equal(r.attempts, 0);
	assert_null(r.time);
	assert_null(r.error);

	manifest_mail_attempted(&r, to, 2, "邮件服务器拒绝收件人 a@example.gov.cn(550)");
	assert_int_equal(manifest_mail_update(path, &r), 0);
	manifest_mail_attempted(&r, to, 2, NULL);
	assert_int_equal(manifest_mail_update(path, &r), 0);
	manifest_mail_release(&r);
	assert_int_equal(manifest_mail_read(path, &r), 0);
	assert_true(r.sent);
	assert_int_equal(r.attempts, 2);
	assert_non_null(r.time);
	assert_null(r.error);
	assert_int_equal(r.nto, 2);
	assert_string_equal(r.to[1], "b@example.gov.cn");
	manifest_mail_release(&r);
	{
		struct json_value *doc = json_parse_file(path);

		assert_non_null(doc);
		assert_string_equal(json_get_string(doc, "fingerprint"), "f");
		assert_int_equal(json_get(doc, "outputs")->n, 1);
		json_free(doc);
	}
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);

	/* a manifest without a mail section (an older civreport's) */
	fp = fopen(path, "w");
	fputs("{\"fingerprint\": \"f\"}\n", fp);
	fclose(fp);
	assert_int_equal(manifest_mail_read(path, &r), -1);
	assert_int_equal(manifest_mail_update(path, &m), -1);
	unlink(path);
	assert_int_equal(manifest_mail_read(path, &r), -1);
	rmdir(dir);
	manifest_mail_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_manifest_mail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
