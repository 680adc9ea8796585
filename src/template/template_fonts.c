/*
 * template_fonts.c - the font roles and the page style of the front matter,
 * and the check that the chosen fonts draw every character of the template.
 *
 * A role (title_font, heading1_font, heading2_font, body_font, table_font)
 * is a list of families tried in order: "方正小标宋简体, Noto Serif CJK SC"
 * gives the bureau's font where it is installed and Debian's elsewhere.
 * The first installed family is the role's; none installed is an error of
 * the template, found before any data is read, naming the role, the fonts
 * tried and the Debian package with a fallback.  fontconfig would silently
 * draw a missing 仿宋_GB2312 in DejaVu Sans: never trust a substitute.
 *
 * Each character of the template is checked against the font of the role
 * that sets it (a # heading against heading1_font, a table row against
 * table_font ...), so a bureau's GB2312-only 仿宋 is not blamed for a rare
 * character of the title.
 *
 * Never: pick a family that is not installed, or read data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "template_impl.h"
#include "util/glyphs.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

/* A family name longer than this is not one (fontconfig's are < 100 bytes). */
#define FAMILY_MAX 200
/* Names a role may list: each costs a fontconfig match, and a list is a few fallbacks. */
#define FAMILIES_MAX 16

/* What each role is for the officer, and where Debian has a font for it. */
static const struct role {
	int key;             /* enum meta_key */
	const char *name;    /* 正文字体 */
	const char *gbt9704; /* the 公文 face the role stands for */
	const char *fallback;
	const char *package;
} roles[DOC_NFONT_ROLES] = {
    [DOC_FONT_TITLE] = {MK_TITLE_FONT, "题目字体", "小标宋", "Noto Serif CJK SC", "fonts-noto-cjk"},
    [DOC_FONT_HEADING1] = {MK_HEADING1_FONT, "一级标题字体", "黑体", "Noto Sans CJK SC",
			   "fonts-noto-cjk"},
    [DOC_FONT_HEADING2] = {MK_HEADING2_FONT, "二级标题字体", "楷体", "LXGW WenKai",
			   "fonts-lxgw-wenkai"},
    [DOC_FONT_BODY] = {MK_BODY_FONT, "正文字体", "仿宋", "Noto Serif CJK SC", "fonts-noto-cjk"},
    [DOC_FONT_TABLE] = {MK_TABLE_FONT, "表格字体", "仿宋或宋体", "Noto Serif CJK SC",
			"fonts-noto-cjk"},
};

/* Debian packages of the families a bureau is likely to name. */
static const struct {
	const char *family;
	const char *package;
} debian_fonts[] = {
    {"Noto Serif CJK SC", "fonts-noto-cjk"},      {"Noto Sans CJK SC", "fonts-noto-cjk"},
    {"LXGW WenKai", "fonts-lxgw-wenkai"},         {"霞鹜文楷", "fonts-lxgw-wenkai"},
    {"AR PL UKai CN", "fonts-arphic-ukai"},       {"AR PL UMing CN", "fonts-arphic-uming"},
    {"AR PL KaitiM GB", "fonts-arphic-gkai00mp"}, {"WenQuanYi Zen Hei", "fonts-wqy-zenhei"},
};

static const char *debian_package(const char *family)
{
	for (size_t i = 0; i < sizeof(debian_fonts) / sizeof(debian_fonts[0]); i++)
		if (strcasecmp(family, debian_fonts[i].family) == 0)
			return debian_fonts[i].package;
	return NULL;
}

/* The front-matter key of role r (title_font ...), for messages. */
static const char *role_key(int r)
{
	static const char *const keys[DOC_NFONT_ROLES] = {
	    [DOC_FONT_TITLE] = "title_font",       [DOC_FONT_HEADING1] = "heading1_font",
	    [DOC_FONT_HEADING2] = "heading2_font", [DOC_FONT_BODY] = "body_font",
	    [DOC_FONT_TABLE] = "table_font",
	};
	return keys[r];
}

/* The separators of a list: "," "，" "、". */
static size_t separator_at(const char *p)
{
	if (*p == ',')
		return 1;
	if (strncmp(p, "，", 3) == 0 || strncmp(p, "、", 3) == 0)
		return 3;
	return 0;
}

/* Whether name can be a family: printable UTF-8, not too long. */
static bool plausible_family(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > FAMILY_MAX || utf8_valid_prefix(name, n) != n)
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/*
 * The first installed family of the role's list.  The names tried are
 * added to *tried (“A”“B”), and the Debian package of the first of them
 * that Debian has to *package, for the message when none is installed.
 */
static char *first_installed(struct tpl_load *ld, int r, const char *list, int line,
			     struct strbuf *tried, const char **package, bool *said)
{
	const char *p = list;
	int n = 0;

	while (*p) {
		const char *e = p;
		size_t sep;
		char *name;

		while (*e && separator_at(e) == 0)
			e++;
		sep = *e ? separator_at(e) : 0;
		name = tpl_trim(p, (size_t)(e - p));
		p = e + sep;
		if (name[0] == '\0') {
			free(name);
			continue;
		}
		if (++n > FAMILIES_MAX) {
			tpl_diag(ld, line, 1, "%s（%s）最多列出 %d 个字体", roles[r].name,
				 role_key(r), FAMILIES_MAX);
			free(name);
			*said = true;
			return NULL;
		}
		if (!plausible_family(name)) {
			tpl_diag(ld, line, 1,
				 "%s（%s）中有一个字体名无效（含控制字符或超过 %d 字节）",
				 roles[r].name, role_key(r), FAMILY_MAX);
			free(name);
			continue;
		}
		if (font_family_installed(name))
			return name;
		strbuf_addf(tried, "“%s”", name);
		if (*package == NULL)
			*package = debian_package(name);
		free(name);
	}
	return NULL;
}

static void no_font(struct tpl_load *ld, int r, int line, const char *tried)
{
	const struct role *ro = &roles[r];

	if (tried[0] == '\0') {
		tpl_diag(ld, line, 1, "%s（%s，%s）没有写字体，例如 %s", ro->name, role_key(r),
			 ro->gbt9704, ro->fallback);
		return;
	}
	tpl_diag(ld, line, 1,
		 "%s（%s，%s）：列出的字体%s都没有安装。请把字体文件放进 "
		 "/usr/local/share/fonts 后运行 fc-cache -f，或在列表末尾加上 %s"
		 "（Debian 软件包 %s：apt-get install %s）",
		 ro->name, role_key(r), ro->gbt9704, tried, ro->fallback, ro->package, ro->package);
}

/*
 * A heavy display face (小标宋) is set as it is; any other title font is
 * set bold, as Noto Serif's regular weight is too light for a title.
 */
static bool is_display_face(const char *family)
{
	return strstr(family, "小标宋") != NULL || strstr(family, "XiaoBiaoSong") != NULL ||
	       strstr(family, "Xiaobiaosong") != NULL;
}

void tpl_fonts_resolve(struct tpl_load *ld)
{
	struct template *t = ld->t;

	for (int r = 0; r < DOC_NFONT_ROLES; r++) {
		int k = roles[r].key;
		int line = ld->meta_line[k] ? ld->meta_line[k] : 1;
		struct strbuf tried = STRBUF_INIT;
		const char *package = NULL;
		bool said = false;

		t->font[r] =
		    first_installed(ld, r, t->mv[k] ? t->mv[k] : "", line, &tried, &package, &said);
		if (t->font[r] == NULL && !said && package != NULL)
			tpl_diag(ld, line, 1,
				 "%s（%s，%s）：列出的字体%s都没有安装；其中有 Debian 的字体，"
				 "安装软件包 %s 即可（apt-get install %s）",
				 roles[r].name, role_key(r), roles[r].gbt9704, tried.buf, package,
				 package);
		else if (t->font[r] == NULL && !said)
			no_font(ld, r, line, tried.buf ? tried.buf : "");
		strbuf_release(&tried);
	}
	t->title_bold =
	    t->font[DOC_FONT_TITLE] == NULL || !is_display_face(t->font[DOC_FONT_TITLE]);
}

void tpl_style_resolve(struct tpl_load *ld)
{
	const char *v = ld->t->mv[MK_STYLE];

	ld->t->style = DOC_STYLE_COMPACT;
	if (v == NULL || strcmp(v, "compact") == 0 || strcmp(v, "紧凑") == 0)
		return;
	if (strcmp(v, "gbt9704") == 0 || strcmp(v, "公文") == 0) {
		ld->t->style = DOC_STYLE_GBT9704;
		return;
	}
	if (plausible_family(v) && strlen(v) <= 40)
		tpl_diag(ld, ld->meta_line[MK_STYLE], 1,
			 "style 的值“%s”无效：可用 compact（紧凑，默认）或 gbt9704（公文，"
			 "GB/T 9704 的三号字、每面22行每行28字）",
			 v);
	else
		tpl_diag(ld, ld->meta_line[MK_STYLE], 1,
			 "style 的值无效：可用 compact（紧凑，默认）或 gbt9704（公文）");
}

/* ---- every character against its role's font ---- */

enum {
	ROLE_TITLE = 1u << DOC_FONT_TITLE,
	ROLE_HEADING1 = 1u << DOC_FONT_HEADING1,
	ROLE_HEADING2 = 1u << DOC_FONT_HEADING2,
	ROLE_BODY = 1u << DOC_FONT_BODY,
	ROLE_TABLE = 1u << DOC_FONT_TABLE,
};

/*
 * Which roles set a line of the body.  Inside a ```table or ```chart
 * block: cells (table font), captions and chart labels (heading 1's); a
 * GFM table row likewise; # and ## headings their own; all else the body.
 */
static unsigned line_roles(const char *s, size_t len, bool in_fence)
{
	const char *e = s + len, *p = s;
	size_t hashes = 0;

	if (in_fence || memchr(s, '|', len) != NULL)
		return ROLE_TABLE | ROLE_HEADING1 | (in_fence ? 0 : ROLE_BODY);
	while (p < e && p - s < 3 && *p == ' ')
		p++;
	while (p + hashes < e && p[hashes] == '#')
		hashes++;
	if (hashes > 0 && (p + hashes == e || p[hashes] == ' ' || p[hashes] == '\t'))
		return hashes == 1 ? ROLE_HEADING1 : hashes == 2 ? ROLE_HEADING2 : ROLE_BODY;
	return ROLE_BODY;
}

/*
 * The first character of p..end that a font of roles lacks, or a control
 * character, is an error at line: the PDF would fail (exit 3) or print a
 * box.  One error a line: a word of Uyghur is one mistake.  Template text
 * is the officer's to fix; data text gets the fonts' fallback instead
 * (doc_clean.c).
 */
static void check_range(struct tpl_load *ld, int line, const char *bol, const char *p,
			const char *end, unsigned roles_mask)
{
	while (p < end) {
		size_t n = utf8_char_len(p);
		unsigned cp = (unsigned char)*p;
		const char *missing = NULL;

		if (n == 0)
			break;
		for (size_t i = 1; i < n; i++)
			cp = cp << 6 | ((unsigned char)p[i] & 0x3f);
		if (n > 1)
			cp &= (1u << (5 * n + 1)) - 1;
		if (cp < 0x20 ? cp != '\t' && cp != '\n' && cp != '\r' : cp >= 0x7f && cp < 0xa0) {
			tpl_diag(ld, line, tpl_column(bol, p),
				 "控制字符 U+%04X 不能出现在模板中，请删去", cp);
			return;
		}
		for (int r = 0; missing == NULL && cp >= 0x80 && r < DOC_NFONT_ROLES; r++)
			if ((roles_mask & 1u << r) && ld->t->font[r] != NULL &&
			    !glyph_in_family(ld->t->font[r], cp))
				missing = ld->t->font[r];
		if (missing != NULL) {
			tpl_diag(
			    ld, line, tpl_column(bol, p),
			    "字体“%s”没有字符“%.*s”（U+%04X），PDF 无法显示，请删去或改用常用字",
			    missing, (int)n, p, cp);
			return;
		}
		p += n;
	}
}

/* The body (outside <!-- comments -->) and the front-matter values the reports show. */
void tpl_check_glyphs(struct tpl_load *ld, const char *raw)
{
	static const struct {
		int key;
		unsigned roles;
	} shown[] = {
	    {MK_TITLE, ROLE_TITLE},  {MK_ORGANISATION, ROLE_BODY}, {MK_AUTHOR, ROLE_BODY},
	    {MK_SUBJECT, ROLE_BODY}, {MK_KEYWORDS, ROLE_BODY},     {MK_DATE, ROLE_BODY},
	};
	bool in_comment = false;
	size_t fence = 0;
	char fch = 0;

	for (size_t l = 0; l < ld->nlines; l++) {
		const char *s = ld->src + ld->lines[l];
		const char *e =
		    l + 1 < ld->nlines ? ld->src + ld->lines[l + 1] : ld->src + ld->srclen;
		const char *p = s;
		char ch = 0;
		size_t run = in_comment ? 0 : tpl_fence_run(s, e, &ch);
		unsigned mask = line_roles(s, (size_t)(e - s), fence > 0);

		if (fence == 0 && run > 0) {
			fence = run;
			fch = ch;
		} else if (fence > 0 && run >= fence && ch == fch) {
			fence = 0;
		}
		while (p < e) {
			const char *mark = memmem(p, (size_t)(e - p), in_comment ? "-->" : "<!--",
						  in_comment ? 3 : 4);
			const char *stop = mark ? mark : e;

			if (!in_comment)
				check_range(ld, (int)l + 1, s, p, stop, mask);
			if (mark == NULL)
				break;
			p = mark + (in_comment ? 3 : 4);
			in_comment = !in_comment;
		}
	}
	for (size_t k = 0; k < sizeof(shown) / sizeof(shown[0]); k++) {
		int line = ld->meta_line[shown[k].key];
		const char *start, *eol, *colon;

		if (line <= 0 || (size_t)line > ld->nlines)
			continue;
		start = raw + ld->lines[line - 1];
		eol = memchr(start, '\n', (size_t)(raw + ld->srclen - start));
		eol = eol ? eol : raw + ld->srclen;
		colon = memchr(start, ':', (size_t)(eol - start));
		check_range(ld, line, start, colon ? colon + 1 : start, eol, shown[k].roles);
	}
}
