/*
 * template_markdown.c - the template body, parsed by cmark-gfm (CommonMark
 * with GFM pipe tables), turned into template blocks: headings, paragraphs,
 * list items, page breaks, charts and tables.
 *
 * The body arrives with its placeholders already replaced by markers (see
 * template_placeholder.c), so every text node is split at markers into text
 * and figure spans here.  cmark keeps the file's line numbers because the
 * front matter was blanked, not cut.
 *
 * Never: let a cmark node outlive template_load, or drop text silently
 * where an officer would expect it in the report (HTML and images are the
 * only things left out, as documented in templates/README.md).
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "template_impl.h"
#include "util/xalloc.h"

static size_t add_block(struct template *t, enum doc_block_kind kind, int level)
{
	struct tpl_block *b;

	t->blocks = xgrow(t->blocks, &t->capblocks, t->nblocks + 1, sizeof(*t->blocks));
	b = &t->blocks[t->nblocks];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->level = level;
	return t->nblocks++;
}

static bool is_type(cmark_node *n, const char *name)
{
	const char *s = cmark_node_get_type_string(n);

	return s != NULL && strcmp(s, name) == 0;
}

static const char *literal(cmark_node *n)
{
	const char *s = cmark_node_get_literal(n);

	return s != NULL ? s : "";
}

/* Inline content with its styles: bold, italic, code, figures. */
static void inlines(struct tpl_text *tx, cmark_node *n, unsigned flags)
{
	for (cmark_node *c = cmark_node_first_child(n); c != NULL; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
			tpl_text_marked(tx, literal(c), strlen(literal(c)), flags);
			break;
		case CMARK_NODE_CODE:
			tpl_text_marked(tx, literal(c), strlen(literal(c)), flags | DOC_RUN_CODE);
			break;
		case CMARK_NODE_SOFTBREAK:
			tpl_text_add(tx, SPAN_BREAK, flags, NULL, 0, 0);
			break;
		case CMARK_NODE_LINEBREAK:
			tpl_text_add(tx, SPAN_TEXT, flags, "\n", 1, 0);
			break;
		case CMARK_NODE_EMPH:
			inlines(tx, c, flags | DOC_RUN_ITALIC);
			break;
		case CMARK_NODE_STRONG:
			inlines(tx, c, flags | DOC_RUN_BOLD);
			break;
		case CMARK_NODE_IMAGE:
		case CMARK_NODE_HTML_INLINE:
			break; /* a report has no pictures or HTML */
		default:
			inlines(tx, c, flags); /* links: their text */
		}
	}
}

/* A paragraph of just "\pagebreak" (or "\newpage") starts a new page. */
static bool is_pagebreak(cmark_node *p)
{
	cmark_node *c = cmark_node_first_child(p);
	char *s;
	bool yes;

	if (c == NULL || cmark_node_next(c) != NULL || cmark_node_get_type(c) != CMARK_NODE_TEXT)
		return false;
	s = tpl_trim(literal(c), strlen(literal(c)));
	yes = strcmp(s, "\\pagebreak") == 0 || strcmp(s, "\\newpage") == 0;
	free(s);
	return yes;
}

/* "表:标题" (or "表：") right before a pipe table is that table's caption. */
static const char *caption_text(cmark_node *p)
{
	cmark_node *c = cmark_node_first_child(p);
	const char *s;

	if (c == NULL || cmark_node_get_type(c) != CMARK_NODE_TEXT || cmark_node_next(c) != NULL)
		return NULL;
	s = literal(c);
	if (strncmp(s, "表:", 4) == 0)
		return s + 4;
	if (strncmp(s, "表：", 6) == 0)
		return s + 6;
	return NULL;
}

static bool is_caption(cmark_node *p)
{
	cmark_node *next = cmark_node_next(p);

	return next != NULL && is_type(next, "table") && caption_text(p) != NULL;
}

static void paragraph(struct tpl_load *ld, cmark_node *n)
{
	size_t b;

	if (is_pagebreak(n)) {
		add_block(ld->t, DOC_PAGE_BREAK, 0);
		return;
	}
	if (is_caption(n))
		return;
	b = add_block(ld->t, DOC_PARAGRAPH, 0);
	inlines(&ld->t->blocks[b].text, n, 0);
}

static void heading(struct tpl_load *ld, cmark_node *n)
{
	int level = cmark_node_get_heading_level(n);
	size_t b = add_block(ld->t, DOC_HEADING, level > 3 ? 3 : level);

	inlines(&ld->t->blocks[b].text, n, 0);
}

static void grid_row(cmark_node *row, struct tpl_cell *cells, size_t ncols)
{
	size_t i = 0;

	for (cmark_node *c = cmark_node_first_child(row); c != NULL && i < ncols;
	     c = cmark_node_next(c), i++) {
		cells[i].kind = CELL_RICH;
		inlines(&cells[i].rich, c, 0);
	}
	for (; i < ncols; i++)
		cells[i].kind = CELL_RICH;
}

/* A GFM pipe table: cells of text with placeholders. */
static void grid(struct tpl_load *ld, cmark_node *n)
{
	struct tpl_table *tb = xcalloc(1, sizeof(*tb));
	cmark_node *prev = cmark_node_previous(n);
	size_t b;

	tb->kind = TABLE_GRID;
	tb->ncols = cmark_gfm_extensions_get_table_columns(n);
	tb->hcells = xcalloc(tb->ncols ? tb->ncols : 1, sizeof(*tb->hcells));
	if (prev != NULL && cmark_node_get_type(prev) == CMARK_NODE_PARAGRAPH && is_caption(prev)) {
		char *cap = tpl_trim(caption_text(prev), strlen(caption_text(prev)));

		tb->title = tpl_replace_vars(ld->t, cap);
		free(cap);
		if (strstr(tb->title, TPL_MARK_OPEN) != NULL)
			tpl_diag(ld, cmark_node_get_start_line(prev), 1,
				 "表题中不能使用 {{ }} 占位符");
	}
	for (cmark_node *r = cmark_node_first_child(n); r != NULL; r = cmark_node_next(r)) {
		if (is_type(r, "table_header") || cmark_gfm_extensions_get_table_row_is_header(r)) {
			grid_row(r, tb->hcells, tb->ncols);
			continue;
		}
		tb->cells = xrealloc(tb->cells, (tb->nrows + 1) * tb->ncols * sizeof(*tb->cells));
		memset(tb->cells + tb->nrows * tb->ncols, 0, tb->ncols * sizeof(*tb->cells));
		grid_row(r, tb->cells + tb->nrows * tb->ncols, tb->ncols);
		tb->nrows++;
	}
	b = add_block(ld->t, DOC_TABLE, 0);
	ld->t->blocks[b].table = tb;
}

static int fence_kind(const char *word)
{
	if (strcmp(word, "chart") == 0 || strcmp(word, "图表") == 0)
		return DOC_CHART;
	if (strcmp(word, "table") == 0 || strcmp(word, "表格") == 0)
		return DOC_TABLE;
	return -1;
}

/* A code block that is neither chart nor table is shown as code. */
static void code_text(struct tpl_load *ld, cmark_node *n)
{
	const char *s = literal(n);
	size_t len = strlen(s), b;

	while (len > 0 && s[len - 1] == '\n')
		len--;
	b = add_block(ld->t, DOC_PARAGRAPH, 0);
	tpl_text_add(&ld->t->blocks[b].text, SPAN_TEXT, DOC_RUN_CODE, s, len, 0);
}

static void code_block(struct tpl_load *ld, cmark_node *n)
{
	static const char *const kinds[] = {"chart", "table", "图表", "表格"};
	const char *info = cmark_node_get_fence_info(n);
	char *word = tpl_trim(info ? info : "", strcspn(info ? info : "", " \t{"));
	int line = cmark_node_get_start_line(n), kind = fence_kind(word);
	const char *hint;
	size_t b;

	if (kind == DOC_CHART || kind == DOC_TABLE) {
		struct tpl_chart *c = NULL;
		struct tpl_table *tb = NULL;

		if (kind == DOC_CHART)
			c = tpl_chart_parse(ld, literal(n), line);
		else
			tb = tpl_table_parse(ld, literal(n), line);
		if (c != NULL || tb != NULL) {
			b = add_block(ld->t, (enum doc_block_kind)kind, 0);
			ld->t->blocks[b].chart = c;
			ld->t->blocks[b].table = tb;
		}
	} else if (word[0] != '\0' && (hint = tpl_nearest(word, kinds, 4)) != NULL) {
		tpl_diag(ld, line, 1, "未知的代码块类型“%s”，是不是“%s”？", word, hint);
	} else {
		code_text(ld, n);
	}
	free(word);
}

static void walk(struct tpl_load *ld, cmark_node *n, int depth);

static void list_items(struct tpl_load *ld, cmark_node *list, int depth)
{
	bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
	int number = cmark_node_get_list_start(list);

	for (cmark_node *it = cmark_node_first_child(list); it != NULL; it = cmark_node_next(it)) {
		cmark_node *first = cmark_node_first_child(it);
		size_t b = add_block(ld->t, DOC_LIST_ITEM, depth);

		ld->t->blocks[b].list_number = ordered ? number++ : 0;
		if (first != NULL && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
			inlines(&ld->t->blocks[b].text, first, 0);
			first = cmark_node_next(first);
		}
		/* further paragraphs, nested lists, charts inside the item */
		for (cmark_node *c = first; c != NULL; c = cmark_node_next(c))
			walk(ld, c, depth);
	}
}

/* One block node (and, for containers, what it holds). */
static void walk(struct tpl_load *ld, cmark_node *n, int depth)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_DOCUMENT:
	case CMARK_NODE_BLOCK_QUOTE:
		for (cmark_node *c = cmark_node_first_child(n); c != NULL; c = cmark_node_next(c))
			walk(ld, c, depth);
		break;
	case CMARK_NODE_PARAGRAPH:
		paragraph(ld, n);
		break;
	case CMARK_NODE_HEADING:
		heading(ld, n);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		add_block(ld->t, DOC_PAGE_BREAK, 0);
		break;
	case CMARK_NODE_LIST:
		list_items(ld, n, depth + 1);
		break;
	case CMARK_NODE_CODE_BLOCK:
		code_block(ld, n);
		break;
	default:
		if (is_type(n, "table"))
			grid(ld, n);
		/* HTML blocks (<!-- comments -->) are left out */
	}
}

void tpl_markdown(struct tpl_load *ld, const char *marked, size_t len)
{
	cmark_parser *p;
	cmark_syntax_extension *table;
	cmark_node *doc;

	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new(CMARK_OPT_DEFAULT);
	table = cmark_find_syntax_extension("table");
	if (table != NULL)
		cmark_parser_attach_syntax_extension(p, table);
	cmark_parser_feed(p, marked, len);
	doc = cmark_parser_finish(p);
	walk(ld, doc, 0);
	cmark_node_free(doc);
	cmark_parser_free(p);
}
