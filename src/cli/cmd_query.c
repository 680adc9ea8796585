/*
 * cmd_query.c - `civreport query`: an officer's ad-hoc question, answered
 * from one scan of the input: one or more expressions, printed as an aligned
 * table, CSV (expression,key,key2,value: key2 is the second by-column's value)
 * or JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agg.h"
#include "cli.h"
#include "util/exitcode.h"
#include "engine/format.h"
#include "engine/metrics.h"
#include "util/log.h"
#include "engine/scan.h"
#include "ingest/rejects.h"
#include "util/escape.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Exactly, for a reader (1,234,567.89) or for a CSV (1234567.89). */
static void exact(char *buf, size_t len, int64_t v, enum unit unit, bool group)
{
	format_exact(buf, len, v, unit, group);
}

/* s padded to width; escaped first: a key from the data may hold ESC or U+202E. */
static void pad_to(const char *s, size_t width, bool right)
{
	char *e = escape_terminal_dup(s);
	size_t w = utf8_display_width(e);

	if (right)
		for (; w < width; w++)
			putchar(' ');
	fputs(e, stdout);
	if (!right)
		for (; w < width; w++)
			putchar(' ');
	free(e);
}

static size_t shown_width(const char *s)
{
	char *e = escape_terminal_dup(s);
	size_t w = utf8_display_width(e);

	free(e);
	return w;
}

/*
 * A group key's parts in columns of widths kw[] (+2 each): by two columns,
 * two columns of text, never one text joined by a separator a value may
 * hold ("助学/甲").
 */
static void print_key(const struct agg_group *g, const size_t *kw)
{
	for (size_t p = 0; p < g->nparts; p++)
		pad_to(g->part[p].text, kw[p] + 2, false);
}

static void print_table(const struct agg *agg, const size_t *ids, int n)
{
	for (int i = 0; i < n; i++) {
		const struct query *q = agg_query(agg, ids[i]);
		const struct agg_value *v = agg_value(agg, ids[i]);
		size_t kw[2] = {4, 0}, vw = 1, last = q->nby > 1 ? 1 : 0;
		char buf[64];

		fputs(i ? "\n" : "", stdout);
		pad_to(q->text, 0, false);
		putchar('\n');
		if (!v->present) {
			puts("  (无该年度数据)");
			continue;
		}
		if (v->ngroups == 0) {
			exact(buf, sizeof(buf), v->value, v->unit, true);
			printf("  %s%s\n", buf, v->unit == UNIT_FEN ? " 元" : "");
			continue;
		}
		for (size_t g = 0; g < v->ngroups; g++) {
			exact(buf, sizeof(buf), v->groups[g].value, v->unit, true);
			for (size_t p = 0; p < v->groups[g].nparts; p++)
				if (shown_width(v->groups[g].part[p].text) > kw[p])
					kw[p] = shown_width(v->groups[g].part[p].text);
			if (strlen(buf) > vw)
				vw = strlen(buf);
		}
		exact(buf, sizeof(buf), v->value, v->unit, true);
		if (strlen(buf) > vw)
			vw = strlen(buf);
		for (size_t g = 0; g < v->ngroups; g++) {
			fputs("  ", stdout);
			print_key(&v->groups[g], kw);
			exact(buf, sizeof(buf), v->groups[g].value, v->unit, true);
			pad_to(buf, vw, true);
			putchar('\n');
		}
		fputs("  ", stdout);
		pad_to("合计", kw[0] + 2 + (last ? kw[1] + 2 : 0), false);
		exact(buf, sizeof(buf), v->value, v->unit, true);
		pad_to(buf, vw, true);
		printf("%s\n", v->unit == UNIT_FEN ? "  (元)" : "");
	}
}

static void print_csv(const struct agg *agg, const size_t *ids, int n)
{
	/* key2: the value of the second by-column, its own field */
	puts("expression,key,key2,value");
	for (int i = 0; i < n; i++) {
		const struct query *q = agg_query(agg, ids[i]);
		const struct agg_value *v = agg_value(agg, ids[i]);
		char buf[64];

		if (!v->present)
			continue;
		/*
		 * rejects.csv's field writer: a key from the data such as
		 * =HYPERLINK(...) stays text in a spreadsheet; the value is a
		 * number we formatted, written as it is (-12.50 must stay a number)
		 */
		if (v->ngroups == 0) {
			csv_write_field(stdout, q->text, 0);
			exact(buf, sizeof(buf), v->value, v->unit, false);
			printf(",,%s\n", buf);
		}
		for (size_t g = 0; g < v->ngroups; g++) {
			const struct agg_group *gr = &v->groups[g];

			csv_write_field(stdout, q->text, 0);
			csv_write_field(stdout, gr->part[0].text, 0);
			csv_write_field(stdout, gr->nparts > 1 ? gr->part[1].text : "", 0);
			exact(buf, sizeof(buf), v->groups[g].value, v->unit, false);
			printf("%s\n", buf);
		}
	}
}

int cmd_query(struct cli *cli)
{
	struct schema schema;
	struct agg *agg;
	struct ingest_result res;
	struct scan_options so = {0};
	size_t *ids;
	char err[1024];
	int rc;

	if (cli->year == 0) {
		fprintf(stderr, "civreport query: 需要 --year YYYY\n");
		return EXIT_USAGE;
	}
	if (cli->nargs == 0) {
		fprintf(stderr,
			"civreport query: 请给出至少一个表达式,如 'relief.amount by 区县'\n");
		return EXIT_USAGE;
	}
	if ((rc = cli_load_schema(&schema)) != 0)
		return rc;
	agg = agg_new(&schema, cli->year);
	ids = xcalloc((size_t)cli->nargs, sizeof(size_t));
	for (int i = 0; i < cli->nargs; i++) {
		struct query q;
		struct query_error qe;

		if (query_parse(&q, &schema, cli->args[i], cli->year, &qe) != 0) {
			char *prefix = xstrndup(cli->args[i], qe.offset);
			fprintf(stderr, "表达式 %d 第%zu列: %s\n  %s\n  %*s^\n", i + 1, qe.column,
				qe.message, cli->args[i], (int)utf8_display_width(prefix), "");
			free(prefix);
			agg_free(agg);
			free(ids);
			schema_release(&schema);
			return EXIT_USAGE;
		}
		ids[i] = agg_add(agg, &q);
	}
	so.input_dir = cli->input;
	so.year = cli->year;
	so.threads = cli->threads;
	so.encoding = cli->encoding;
	so.max_reject_rate = 1.0;
	so.progress = cli->progress;
	rc = scan_run(&schema, agg, &so, &res, err, sizeof(err));
	if (rc == EXIT_OK) {
		if (strcmp(cli->format, "csv") == 0)
			print_csv(agg, ids, cli->nargs);
		else if (strcmp(cli->format, "json") == 0)
			metrics_write_json(stdout, agg, ids, (size_t)cli->nargs, NULL, NULL);
		else
			print_table(agg, ids, cli->nargs);
	} else {
		log_error("%s", err);
	}
	ingest_result_release(&res);
	agg_free(agg);
	free(ids);
	schema_release(&schema);
	return rc;
}
