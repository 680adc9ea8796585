/*
 * template.c - loading a report template: reading the file, the front
 * matter, and handing the body to the placeholder scanner and to cmark-gfm;
 * see template.h.
 *
 * Every problem becomes a diagnostic with the line and character column of
 * the FILE, never of a rewritten buffer: the front matter is blanked (not
 * cut) before cmark parses the body, and placeholders are checked where they
 * stand before they are replaced by markers.  Loading collects every
 * problem; it never stops at the first one.
 *
 * Never: read data, print, or exit on a bad template (the caller decides).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "template_impl.h"
#include "util/glyphs.h"
#include "util/text.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* A template larger than this is not a report template. */
#define TEMPLATE_MAX_BYTES (4u << 20)

static const struct {
	const char *key;
	const char *alias;
	const char *def; /* NULL: none */
} meta_keys[MK_COUNT] = {
    [MK_TITLE] = {"title", "标题", "{year}年工作总结"},
    [MK_ORGANISATION] = {"organisation", "单位", ""},
    [MK_AUTHOR] = {"author", "作者", NULL},
    [MK_SUBJECT] = {"subject", "主题", NULL},
    [MK_KEYWORDS] = {"keywords", "关键词", ""},
    [MK_DATE] = {"date", "日期", "{year}年12月31日"},
    [MK_PDF] = {"pdf", NULL, "annual-report-{year}.pdf"},
    [MK_XLSX] = {"xlsx", NULL, "annual-report-{year}.xlsx"},
    [MK_DOCX] = {"docx", NULL, NULL},
    /* the font roles: lists tried in order (template_fonts.c) */
    [MK_TITLE_FONT] = {"title_font", "题目字体", "Noto Serif CJK SC"},
    [MK_HEADING1_FONT] = {"heading1_font", "一级标题字体", "Noto Sans CJK SC"},
    [MK_HEADING2_FONT] = {"heading2_font", "二级标题字体", "LXGW WenKai, Noto Serif CJK SC"},
    [MK_BODY_FONT] = {"body_font", "正文字体", "Noto Serif CJK SC"},
    [MK_TABLE_FONT] = {"table_font", "表格字体", "Noto Serif CJK SC"},
    [MK_STYLE] = {"style", "版式", "compact"},
    [MK_MAIL_SUBJECT] = {"mail_subject", "邮件主题", NULL},
    [MK_MAIL_BODY] = {"mail_body", "邮件正文", NULL},
    [MK_AREA] = {"area", "地区", ""},
};

/* ---- the file ---- */

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap = 65536;
	char *buf;

	if (f == NULL) {
		snprintf(err, errlen, "无法打开模板文件 %s：%s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(cap);
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);

		n += got;
		if (n > TEMPLATE_MAX_BYTES) {
			snprintf(err, errlen, "模板文件 %s 过大（超过 4 MB），不是报告模板", path);
			break;
		}
		if (got == 0)
			break;
		if (cap - n - 1 == 0)
			buf = xrealloc(buf, cap *= 2);
	}
	if (ferror(f) || n > TEMPLATE_MAX_BYTES) {
		if (n <= TEMPLATE_MAX_BYTES)
			snprintf(err, errlen, "无法读取模板文件 %s：%s", path, strerror(errno));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void index_lines(struct tpl_load *ld)
{
	size_t cap = 0;

	ld->lines = xgrow(NULL, &cap, 1, sizeof(size_t));
	ld->lines[0] = 0;
	ld->nlines = 1;
	for (size_t i = 0; i < ld->srclen; i++)
		if (ld->src[i] == '\n' && i + 1 < ld->srclen) {
			ld->lines = xgrow(ld->lines, &cap, ld->nlines + 1, sizeof(size_t));
			ld->lines[ld->nlines++] = i + 1;
		}
}

/* A NUL byte or invalid UTF-8 stops loading: report where it is. */
static int check_encoding(struct tpl_load *ld)
{
	size_t ok = utf8_valid_prefix(ld->src, ld->srclen);
	int line = 1;
	size_t start = 0;

	if (ok == ld->srclen && strlen(ld->src) == ld->srclen)
		return 0;
	if (ok > strlen(ld->src))
		ok = strlen(ld->src);
	for (size_t i = 0; i < ok; i++)
		if (ld->src[i] == '\n') {
			line++;
			start = i + 1;
		}
	tpl_diag(ld, line, tpl_column(ld->src + start, ld->src + ok),
		 "模板不是有效的 UTF-8 文本（请用 UTF-8 编码保存模板文件）");
	return -1;
}

/* ---- front matter ---- */

static bool is_rule(const char *s, size_t len, const char *rule)
{
	char *t = tpl_trim(s, len);
	bool yes = strcmp(t, rule) == 0;

	free(t);
	return yes;
}

static int meta_key(const char *key)
{
	for (int k = 0; k < MK_COUNT; k++)
		if (strcmp(key, meta_keys[k].key) == 0 ||
		    (meta_keys[k].alias && strcmp(key, meta_keys[k].alias) == 0))
			return k;
	return -1;
}

static void unknown_meta_key(struct tpl_load *ld, const char *key, int line, int col)
{
	const char *names[2 * MK_COUNT];
	const char *hint;

	for (int k = 0; k < MK_COUNT; k++) {
		names[2 * k] = meta_keys[k].key;
		names[2 * k + 1] = meta_keys[k].alias;
	}
	hint = tpl_nearest(key, names, 2 * MK_COUNT);
	if (hint != NULL)
		tpl_diag(ld, line, col, "文件开头的设置中有未知的键“%s”，是不是“%s”？", key, hint);
	else
		tpl_diag(ld, line, col,
			 "文件开头的设置中有未知的键“%s”，可用：title organisation author subject "
			 "keywords date pdf xlsx docx style title_font heading1_font heading2_font "
			 "body_font table_font mail_subject mail_body area",
			 key);
}

/* "value" or 'value' lose their quotes, as in YAML. */
static char *unquote(char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		memmove(v, v + 1, n - 2);
		v[n - 2] = '\0';
	}
	return v;
}

/* Placeholders are allowed in the mail texts only; mark them there. */
static void meta_value(struct tpl_load *ld, int k, const char *s, size_t len, int line, int col)
{
	struct template *t = ld->t;

	if (t->mv[k] != NULL) {
		tpl_diag(ld, line, 1, "“%s”设置了两次，只保留一次", meta_keys[k].key);
		return;
	}
	t->mv[k] = unquote(xstrndup(s, len));
	ld->meta_line[k] = line;
	if (k == MK_MAIL_SUBJECT || k == MK_MAIL_BODY)
		ld->mail_marked[k - MK_MAIL_SUBJECT] = unquote(tpl_mark(ld, s, len, line, col));
	else if (strstr(t->mv[k], "{{") != NULL)
		tpl_diag(ld, line, col,
			 "“%s”中不能使用 {{ }} 占位符（只有 mail_subject 和 mail_body "
			 "可以）；年份请写 {year}",
			 meta_keys[k].key);
}

static void front_line(struct tpl_load *ld, int line)
{
	size_t len;
	const char *s = tpl_line(ld, line, &len);
	const char *e = s + len, *colon = NULL, *p;
	char *key;
	int k;

	for (p = s; p < e; p++) {
		if (*p == ':' || (e - p >= 3 && strncmp(p, "：", 3) == 0)) {
			colon = p;
			break;
		}
	}
	p = s;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p == e || *p == '#')
		return;
	if (colon == NULL) {
		tpl_diag(ld, line, tpl_column(s, p),
			 "文件开头的设置应写成“键: 值”，如 title: 广安市{year}年民政工作总结");
		return;
	}
	key = tpl_trim(s, (size_t)(colon - s));
	k = meta_key(key);
	if (k < 0) {
		unknown_meta_key(ld, key, line, tpl_column(s, p));
	} else {
		const char *v = colon + (*colon == ':' ? 1 : 3), *ve = e;

		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		meta_value(ld, k, v, (size_t)(ve - v), line, tpl_column(s, v));
	}
	free(key);
}

/*
 * The front matter: "---" on line 1, "key: value" lines, "---".  Its bytes
 * are then blanked (newlines kept) so cmark's line numbers stay the file's.
 */
static void front_matter(struct tpl_load *ld, char *src)
{
	size_t len;
	const char *s = tpl_line(ld, 1, &len);
	int end = 0;

	if (!is_rule(s, len, "---"))
		return;
	for (int l = 2; (size_t)l <= ld->nlines && end == 0; l++) {
		s = tpl_line(ld, l, &len);
		if (is_rule(s, len, "---") || is_rule(s, len, "..."))
			end = l;
	}
	if (end == 0) {
		tpl_diag(ld, 1, 1, "文件开头的设置（front matter）缺少结束的“---”行");
		return;
	}
	for (int l = 2; l < end; l++)
		front_line(ld, l);
	s = tpl_line(ld, end, &len);
	for (char *p = src; p < s + len; p++)
		if (*p != '\n')
			*p = ' ';
}

/* "\n" in a mail text is a line break; "\\" a backslash. */
static char *unescape(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			*o++ = '\n';
			s++;
		} else if (s[0] == '\\' && s[1] == '\\') {
			*o++ = '\\';
			s++;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

/*
 * The mail texts: the settings show them as written (with {year} and "\n"
 * resolved), the template keeps them with markers for filling.
 */
static void meta_mail(struct tpl_load *ld, int k)
{
	struct template *t = ld->t;
	int which = k - MK_MAIL_SUBJECT;
	char *y, *u;

	if (t->mv[k] == NULL)
		return;
	y = tpl_replace_vars(t, t->mv[k]);
	free(t->mv[k]);
	t->mv[k] = unescape(y);
	free(y);
	y = tpl_replace_vars(t, ld->mail_marked[which]);
	u = unescape(y);
	tpl_text_marked(&t->mail[which], u, strlen(u), 0);
	t->has_mail[which] = true;
	free(y);
	free(u);
}

static void meta_defaults(struct tpl_load *ld)
{
	struct template *t = ld->t;
	char *y;

	for (int k = 0; k < MK_COUNT; k++) {
		if (k == MK_MAIL_SUBJECT || k == MK_MAIL_BODY)
			continue;
		if (t->mv[k] == NULL && meta_keys[k].def != NULL)
			t->mv[k] = xstrdup(meta_keys[k].def);
		if (t->mv[k] != NULL) {
			y = tpl_replace_vars(t, t->mv[k]);
			free(t->mv[k]);
			t->mv[k] = y;
		}
	}
	if (t->mv[MK_AUTHOR] == NULL)
		t->mv[MK_AUTHOR] = xstrdup(t->mv[MK_ORGANISATION]);
	if (t->mv[MK_SUBJECT] == NULL)
		t->mv[MK_SUBJECT] = xstrdup(t->mv[MK_TITLE]);
	meta_mail(ld, MK_MAIL_SUBJECT);
	meta_mail(ld, MK_MAIL_BODY);
}

/*
 * Output names written into the output folder beside each other and beside
 * civreport's own files: a name that is one of those (manifest.json, the
 * lock), reaches outside the folder, is hidden or cannot be a file name on
 * the folder's file system would destroy another output, so it is refused
 * here, before any data is read (lint and run alike).
 */
static const char *const reserved_names[] = {
    "manifest.json", "metrics.json", "rejects.csv", "failed", ".civreport.lock",
};

/* Bytes of a file name (NAME_MAX of every Linux file system). */
#define FILE_NAME_MAX 255

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcasecmp(s + n - m, suffix) == 0;
}

/* Why v is no good as the file name of key k's output, or NULL. */
static const char *bad_file_name(const char *v, int k)
{
	const char *ext = k == MK_PDF ? ".pdf" : k == MK_DOCX ? ".docx" : ".xlsx";

	if (v[0] == '\0')
		return "文件名为空";
	if (strlen(v) > FILE_NAME_MAX)
		return "文件名超过 255 字节";
	if (strchr(v, '/') != NULL || strchr(v, '\\') != NULL)
		return "只写文件名，不能含“/”或“\\”";
	if (v[0] == '.')
		return "文件名不能以“.”开头（隐藏文件、“..”）";
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "文件名不能含控制字符";
	if (utf8_valid_prefix(v, strlen(v)) != strlen(v))
		return "文件名不是有效的 UTF-8";
	for (size_t i = 0; i < sizeof(reserved_names) / sizeof(reserved_names[0]); i++)
		if (strcasecmp(v, reserved_names[i]) == 0)
			return "与 civreport 自己的文件同名（manifest.json、metrics.json、"
			       "rejects.csv、failed、.civreport.lock），会覆盖它";
	if (!ends_with_ci(v, ext))
		return k == MK_PDF    ? "PDF 的文件名应以 .pdf 结尾"
		       : k == MK_DOCX ? "DOCX 的文件名应以 .docx 结尾"
				      : "XLSX 的文件名应以 .xlsx 结尾";
	return NULL;
}

static void check_file_name(struct tpl_load *ld, int k)
{
	const char *v = ld->t->mv[k];
	const char *why = v != NULL ? bad_file_name(v, k) : NULL; /* docx: may be absent */
	int line = ld->meta_line[k] ? ld->meta_line[k] : 1;
	bool plain;

	if (why == NULL)
		return;
	plain = v[0] != '\0';
	/* control characters, broken UTF-8 and 300-byte names are not echoed */
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		plain = plain && *p >= 0x20 && *p != 0x7f;
	if (plain && strlen(v) <= 80 && utf8_valid_prefix(v, strlen(v)) == strlen(v))
		tpl_diag(ld, line, 1, "%s 的文件名“%s”无效：%s", meta_keys[k].key, v, why);
	else
		tpl_diag(ld, line, 1, "%s 的文件名无效：%s", meta_keys[k].key, why);
}

/* The outputs are written into one folder: one name each. */
static void check_file_names_differ(struct tpl_load *ld)
{
	static const int keys[] = {MK_PDF, MK_XLSX, MK_DOCX};
	const size_t n = sizeof(keys) / sizeof(keys[0]);

	for (size_t j = 1; j < n; j++)
		for (size_t i = 0; i < j; i++) {
			const char *a = ld->t->mv[keys[i]], *b = ld->t->mv[keys[j]];
			int k = keys[j];

			if (a == NULL || b == NULL || strcasecmp(a, b) != 0)
				continue;
			tpl_diag(ld, ld->meta_line[k] ? ld->meta_line[k] : 1, 1,
				 "%s 的文件名“%s”与 %s 的相同：两个文件会互相覆盖",
				 meta_keys[k].key, b, meta_keys[keys[i]].key);
			return;
		}
}

static void fill_meta(struct template *t)
{
	struct template_meta *m = &t->meta;

	m->title = t->mv[MK_TITLE];
	m->organisation = t->mv[MK_ORGANISATION];
	m->author = t->mv[MK_AUTHOR];
	m->subject = t->mv[MK_SUBJECT];
	m->keywords = t->mv[MK_KEYWORDS];
	m->date_label = t->mv[MK_DATE];
	m->pdf_name = t->mv[MK_PDF];
	m->xlsx_name = t->mv[MK_XLSX];
	m->docx_name = t->mv[MK_DOCX];
	for (int r = 0; r < DOC_NFONT_ROLES; r++)
		m->font[r] = t->font[r];
	m->title_bold = t->title_bold;
	m->style = t->style;
	m->mail_subject = t->mv[MK_MAIL_SUBJECT];
	m->mail_body = t->mv[MK_MAIL_BODY];
	m->area = tpl_area(t);
}

/* ---- the body ---- */

/*
 * One line outside fences: placeholders marked, except inside HTML
 * comments (<!-- ... -->, which may span lines and may mention {{ }}).
 */
static void mark_line(struct tpl_load *ld, struct strbuf *out, const char *s, size_t len, int line,
		      bool *in_comment)
{
	const char *e = s + len, *p = s;

	while (p < e) {
		const char *q =
		    memmem(p, (size_t)(e - p), *in_comment ? "-->" : "<!--", *in_comment ? 3 : 4);
		const char *end = q ? q + (*in_comment ? 3 : 4) : e;

		if (*in_comment) {
			strbuf_add(out, p, (size_t)(end - p));
		} else {
			char *m =
			    tpl_mark(ld, p, (size_t)((q ? q : e) - p), line, tpl_column(s, p));

			char *v = tpl_replace_vars(ld->t, m);

			strbuf_addstr(out, v);
			strbuf_add(out, q ? q : e, (size_t)(end - (q ? q : e)));
			free(v);
			free(m);
		}
		if (q != NULL)
			*in_comment = !*in_comment;
		p = end;
	}
}

/*
 * Whether line s is the comment that opens (close false) or closes a part
 * of the template that only some reports show: <!-- 仅总报告 --> ...
 * <!-- /仅总报告 --> (or whole-only) only the whole report, e.g. narrative
 * about the whole city that a 区县 report of --each must not repeat as its
 * own; <!-- 仅分报告 --> (each-only) only the reports of one area.
 */
static bool part_mark(const char *s, size_t len, bool close, const char *const names[2])
{
	char *t = tpl_trim(s, len);
	bool is = false;

	for (size_t i = 0; i < 2 && !is; i++) {
		char *m = xasprintf("<!--%s%s-->", close ? "/" : "", names[i]);
		char *m2 = xasprintf("<!-- %s%s -->", close ? "/" : "", names[i]);
		is = strcmp(t, m) == 0 || strcmp(t, m2) == 0;
		free(m);
		free(m2);
	}
	free(t);
	return is;
}

/* The body with placeholders outside fenced blocks replaced by markers. */
static char *mark_body(struct tpl_load *ld, size_t *outlen)
{
	struct strbuf out = STRBUF_INIT;
	size_t fence = 0;
	char fch = 0;
	bool in_comment = false;
	int whole_from = 0; /* the line that opened a whole-report-only part */
	int each_from = 0;  /* ... an each-only part */
	static const char *const whole[2] = {"仅总报告", "whole-only"};
	static const char *const each[2] = {"仅分报告", "each-only"};

	for (size_t l = 1; l <= ld->nlines; l++) {
		size_t len, run;
		const char *s = tpl_line(ld, (int)l, &len);
		char ch = 0;

		run = in_comment ? 0 : tpl_fence_run(s, s + len, &ch);
		if (fence == 0 && !in_comment && each_from == 0 &&
		    part_mark(s, len, whole_from != 0, whole)) {
			/* a blank line keeps the line numbers of what follows */
			whole_from = whole_from ? 0 : (int)l;
		} else if (fence == 0 && !in_comment && whole_from == 0 &&
			   part_mark(s, len, each_from != 0, each)) {
			each_from = each_from ? 0 : (int)l;
		} else if (fence == 0 && !in_comment &&
			   (part_mark(s, len, true, whole) || part_mark(s, len, true, each) ||
			    part_mark(s, len, false, whole) || part_mark(s, len, false, each))) {
			tpl_diag(ld, (int)l, 1,
				 "“仅总报告”“仅分报告”的开始和结束应成对出现，不能嵌套");
		} else if ((whole_from != 0 && ld->t->burst) || (each_from != 0 && !ld->t->burst)) {
			/* left out of a report of one area: not even its figures count */
		} else if (fence == 0 && run > 0) {
			fence = run;
			fch = ch;
			strbuf_add(&out, s, len);
		} else if (fence > 0) {
			if (run >= fence && ch == fch)
				fence = 0;
			strbuf_add(&out, s, len);
		} else {
			mark_line(ld, &out, s, len, (int)l, &in_comment);
		}
		strbuf_add(&out, "\n", 1);
	}
	if (whole_from != 0 || each_from != 0)
		tpl_diag(ld, whole_from ? whole_from : each_from, 1,
			 "“<!-- %s -->”没有结束：在这部分末尾另起一行写 <!-- /%s -->",
			 whole_from ? "仅总报告" : "仅分报告",
			 whole_from ? "仅总报告" : "仅分报告");
	return strbuf_detach(&out, outlen);
}

static int cmp_diag(const void *a, const void *b)
{
	const struct template_diag *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void parse_template(struct tpl_load *ld, char *src)
{
	char *marked;
	size_t mlen;

	front_matter(ld, src);
	meta_defaults(ld);
	check_file_name(ld, MK_PDF);
	check_file_name(ld, MK_XLSX);
	check_file_name(ld, MK_DOCX);
	check_file_names_differ(ld);
	tpl_fonts_resolve(ld);
	tpl_style_resolve(ld);
	fill_meta(ld->t);
	/* the body is read from the blanked source from here on */
	marked = mark_body(ld, &mlen);
	tpl_markdown(ld, marked, mlen);
	free(marked);
}

int template_load(struct template **out, const char *path, const struct schema *schema,
		  const struct template_scope *scope, struct template_diag **diags, size_t *ndiags)
{
	struct tpl_load ld = {0};
	char err[512];
	char *src;
	size_t len;

	*out = NULL;
	src = read_file(path, &len, err, sizeof(err));
	if (src == NULL) {
		tpl_diag(&ld, 0, 0, "%s", err);
	} else {
		size_t bom = len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

		ld.src = src + bom;
		ld.srclen = len - bom;
		ld.t = xcalloc(1, sizeof(*ld.t));
		ld.t->schema = schema;
		ld.t->period = scope->period;
		ld.t->year = period_end_year(&scope->period);
		ld.t->area = scope->area ? xstrdup(scope->area) : NULL;
		ld.t->burst = scope->burst;
		ld.t->where = xcalloc(scope->nwhere + 1, sizeof(char *));
		for (size_t i = 0; i < scope->nwhere; i++)
			ld.t->where[i] = xstrdup(scope->where[i]);
		ld.t->nwhere = scope->nwhere;
		tpl_scope_sub(&ld, scope->sub);
		index_lines(&ld);
		if (check_encoding(&ld) == 0) {
			/* the front matter is blanked while parsing: keep it for the check */
			char *raw = xstrndup(ld.src, ld.srclen);

			parse_template(&ld, src + bom);
			tpl_check_glyphs(&ld, raw);
			free(raw);
		}
	}
	free(src);
	free(ld.lines);
	free(ld.mail_marked[0]);
	free(ld.mail_marked[1]);
	if (ld.ndiags > 0) {
		template_free(ld.t);
		qsort(ld.diags, ld.ndiags, sizeof(*ld.diags), cmp_diag);
		*diags = ld.diags;
		*ndiags = ld.ndiags;
		return -1;
	}
	*diags = NULL;
	*ndiags = 0;
	*out = ld.t;
	return 0;
}

const struct template_meta *template_meta(const struct template *t)
{
	return &t->meta;
}

void template_register(struct template *t, struct agg *agg)
{
	tpl_exprs_register(t, agg);
}

void template_free(struct template *t)
{
	if (t == NULL)
		return;
	for (int k = 0; k < MK_COUNT; k++)
		free(t->mv[k]);
	for (int r = 0; r < DOC_NFONT_ROLES; r++)
		free(t->font[r]);
	free(t->area);
	free(t->sub_name);
	for (size_t i = 0; i < t->nwhere; i++)
		free(t->where[i]);
	free(t->where);
	tpl_text_release(&t->mail[0]);
	tpl_text_release(&t->mail[1]);
	for (size_t i = 0; i < t->nfigs; i++)
		tpl_fig_release(&t->figs[i]);
	free(t->figs);
	tpl_exprs_release(t);
	for (size_t i = 0; i < t->nblocks; i++) {
		tpl_text_release(&t->blocks[i].text);
		tpl_chart_free(t->blocks[i].chart);
		tpl_table_free(t->blocks[i].table);
	}
	free(t->blocks);
	free(t);
}

/* file:line:col: 错误: message, as mandoc prints its diagnostics. */
void template_print_diags(FILE *fp, const char *path, const struct template_diag *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%s:%d:%d: 错误: %s\n", path, d[i].line, d[i].column, d[i].message);
}
