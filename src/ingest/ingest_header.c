/*
 * ingest_header.c - which dataset a header row names, and how its fields
 * map to the dataset's columns; see ingest_recognise() in ingest_chunk.h.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest_chunk.h"
#include "mask.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Messages list this many column names at most, then the count. */
#define MAX_LISTED_NAMES 20

struct header_match {
	const struct dataset *ds;
	int *field_col;
	size_t matched;
};

static void match_dataset(const struct dataset *ds, char **fields, size_t n, struct header_match *m)
{
	m->ds = ds;
	m->field_col = xcalloc(n ? n : 1, sizeof(int));
	m->matched = 0;
	for (size_t i = 0; i < n; i++) {
		int col = dataset_column(ds, fields[i]);

		/* the same column twice: the first one counts */
		for (size_t j = 0; j < i && col >= 0; j++)
			if (m->field_col[j] == col)
				col = -1;
		m->field_col[i] = col;
		if (col >= 0)
			m->matched++;
	}
}

static size_t missing_required(const struct header_match *m, size_t n, int *first)
{
	size_t missing = 0;

	*first = -1;
	for (size_t c = 0; c < m->ds->ncols; c++) {
		bool found = false;

		if (!m->ds->cols[c].required)
			continue;
		for (size_t i = 0; i < n; i++)
			if (m->field_col[i] == (int)c)
				found = true;
		if (!found) {
			if (*first < 0)
				*first = (int)c;
			missing++;
		}
	}
	return missing;
}

/*
 * "a、b、c" for a message: at most MAX_LISTED_NAMES names, then "……等共N列";
 * linear in the names listed, whatever n is (a header of 80,000 unknown
 * columns once took 25 s and a 0.9 MB log line).
 */
static char *name_list(char **items, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n && i < MAX_LISTED_NAMES; i++) {
		if (i > 0)
			strbuf_addstr(&sb, "、");
		strbuf_addf(&sb, "%.60s", items[i]);
		utf8_trim_tail(sb.buf);
		sb.len = strlen(sb.buf);
	}
	if (n > MAX_LISTED_NAMES)
		strbuf_addf(&sb, "……等共%zu列", n);
	return strbuf_detach(&sb, NULL);
}

/*
 * Choose the dataset whose columns the header matches best; a file name
 * starting with a dataset's name breaks ties.  Sets plan or returns an error.
 */
char *ingest_recognise(const struct schema *schema, const char *path, char **fields, size_t n,
		       struct file_plan *plan, char **warning, bool *none_known)
{
	struct header_match best = {0};
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *err = NULL, **unknown = NULL;
	size_t nunknown = 0;
	int first;

	for (size_t s = 0; s < schema->nsets; s++) {
		struct header_match m;
		size_t missing;

		match_dataset(&schema->sets[s], fields, n, &m);
		missing = missing_required(&m, n, &first);
		/* score: all required present wins; then columns matched; then name */
		if (best.ds == NULL || (missing == 0 && missing_required(&best, n, &first) > 0) ||
		    (m.matched > best.matched &&
		     (missing == 0) == (missing_required(&best, n, &first) == 0)) ||
		    (m.matched == best.matched &&
		     strncmp(base, m.ds->name, strlen(m.ds->name)) == 0)) {
			free(best.field_col);
			best = m;
		} else {
			free(m.field_col);
		}
	}
	/* the first line may be data (a headerless export): never echo it as it is */
	*none_known = best.ds == NULL || best.matched == 0;
	if (*none_known) {
		char *found = mask_header_fields(fields, n, false);
		err = xasprintf("无法识别文件属于哪类数据：表头中没有认识的列（找到的列：%s）",
				found);
		free(found);
		free(best.field_col);
		return err;
	}
	if (missing_required(&best, n, &first) > 0) {
		char *found = mask_header_fields(fields, n, true);
		err = xasprintf("缺少必需的列“%s”（按%s识别；文件中的列：%s）",
				best.ds->cols[first].name, best.ds->title, found);
		free(found);
		free(best.field_col);
		return err;
	}
	for (size_t i = 0; i < n; i++)
		if (best.field_col[i] < 0 && fields[i][strspn(fields[i], " \t")] != '\0') {
			unknown = xrealloc(unknown, (nunknown + 1) * sizeof(char *));
			unknown[nunknown++] = fields[i];
		}
	if (nunknown > 0) {
		char *list = name_list(unknown, nunknown);
		*warning = xasprintf("忽略了不认识的列：%s", list);
		free(list);
	}
	free(unknown);
	plan->ds = best.ds;
	plan->field_col = best.field_col;
	plan->nfields = n;
	return NULL;
}
