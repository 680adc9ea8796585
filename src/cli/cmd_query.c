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

/*
 * What a figure without meaning shows, as in the report: a sum over rows none
 * of which hold the column summed (受益人次 of 捐赠收入) is "—", not 0.
 */
#define NO_VALUE "—"

/* Exactly, for a reader (1,234,567.89) or for a CSV (1234567.89); "—" when empty. */
static void exact(char *buf, size_t len, int64_t v, enum unit unit, bool group, bool empty)
{
	if (empty)
		snprintf(buf, len, "%s", NO_VALUE);
	else
		format_exact(buf, len, v, unit, group);
}

/* The note under a figure with "—": which column the rows do not hold. */
static void empty_note(const struct query *q, bool single)
{
	const char *col = q->col >= 0 ? q->ds->cols[q->col].name : "";

	if (single)
		printf("  %s（这些记录都没有填写“%s”）\n", NO_VALUE, col);
	else
		printf("  %s：该组有记录，但都没有填写“%s”\n", NO_VALUE, col);
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
		bool any_empty = false;
		char buf[64];

		fputs(i ? "\n" : "", stdout);
		pad_to(q->text, 0, false);
		putchar('\n');
		if (!v->present) {
			puts("  （该期间没有数据）");
			continue;
		}
		if (v->ngroups == 0) {
			if (v->empty) {
				empty_note(q, true);
				continue;
			}
			exact(buf, sizeof(buf), v->value, v->unit, true, false);
			printf("  %s%s\n", buf, v->unit == UNIT_FEN ? " 元" : "");
			continue;
		}
		for (size_t g = 0; g < v->ngroups; g++) {
			exact(buf, sizeof(buf), v->groups[g].value, v->unit, true,
			      v->groups[g].empty);
			for (size_t p = 0; p < v->groups[g].nparts; p++)
				if (shown_width(v->groups[g].part[p].text) > kw[p])
					kw[p] = shown_width(v->groups[g].part[p].text);
			if (utf8_display_width(buf) > vw)
				vw = utf8_display_width(buf);
			any_empty = any_empty || v->groups[g].empty;
		}
		exact(buf, sizeof(buf), v->value, v->unit, true, v->empty);
		if (utf8_display_width(buf) > vw)
			vw = utf8_display_width(buf);
		for (size_t g = 0; g < v->ngroups; g++) {
			fputs("  ", stdout);
			print_key(&v->groups[g], kw);
			exact(buf, sizeof(buf), v->groups[g].value, v->unit, true,
			      v->groups[g].empty);
			pad_to(buf, vw, true);
			putchar('\n');
		}
		fputs("  ", stdout);
		pad_to("合计", kw[0] + 2 + (last ? kw[1] + 2 : 0), false);
		exact(buf, sizeof(buf), v->value, v->unit, true, v->empty);
		pad_to(buf, vw, true);
		printf("%s\n", v->unit == UNIT_FEN ? "  （元）" : "");
		if (any_empty)
			empty_note(q, false);
	}
}

static void print_csv(const struct agg *agg, const size_t *ids, int n)
{
	for (int i = 0; i < n; i++) {
		const struct query *q = agg_query(agg, ids[i]);
		const struct agg_value *v = agg_value(agg, ids[i]);
		char buf[64];

		if (!v->present)
			continue;
		/*
		 * rejects.csv's field writer: a key from the data such as
		 * =HYPERLINK(...) stays text in a spreadsheet; the value is a
		 * number we formatted, written as it is (-12.50 must stay a number),
		 * or "—" where a figure has no meaning, as in the report
		 */
		if (v->ngroups == 0) {
			csv_write_field(stdout, q->text, 0);
			exact(buf, sizeof(buf), v->value, v->unit, false, v->empty);
			printf(",,%s\n", buf);
		}
		for (size_t g = 0; g < v->ngroups; g++) {
			const struct agg_group *gr = &v->groups[g];

			csv_write_field(stdout, q->text, 0);
			csv_write_field(stdout, gr->part[0].text, 0);
			csv_write_field(stdout, gr->nparts > 1 ? gr->part[1].text : "", 0);
			exact(buf, sizeof(buf), gr->value, v->unit, false, gr->empty);
			printf("%s\n", buf);
		}
	}
}

/* One expression of the command line: a figure, or A / B (an average or a share). */
struct qarg {
	size_t a, b;
	bool ratio;
};

/* Where a top-level "/" splits text into A / B, or NULL. */
static const char *top_slash(const char *s)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '[' || *s == '(' || strncmp(s, "［", 3) == 0 || strncmp(s, "（", 3) == 0)
			depth++;
		else if ((*s == ']' || *s == ')' || strncmp(s, "］", 3) == 0 ||
			  strncmp(s, "）", 3) == 0) &&
			 depth > 0)
			depth--;
		else if (depth == 0 && *s == '/')
			return s;
	}
	return NULL;
}

/* Parse, restrict (--where) and register one side; EXIT_USAGE after saying why. */
static int add_side(struct cli *cli, const struct schema *schema, struct agg *agg, int i,
		    const char *text, size_t *id)
{
	struct query q;
	struct query_error qe;

	if (query_parse(&q, schema, text, &cli->period, &qe) != 0) {
		char *prefix = xstrndup(text, qe.offset);
		fprintf(stderr, "表达式 %d 第%zu列：%s\n  %s\n  %*s^\n", i + 1, qe.column,
			qe.message, text, (int)utf8_display_width(prefix), "");
		free(prefix);
		return EXIT_USAGE;
	}
	/* --where 区县=岳池县: the figure of that area only */
	for (size_t w = 0; w < cli->nwhere; w++)
		if (query_restrict(&q, schema, cli->where[w], &cli->period, &qe) != 0) {
			fprintf(stderr, "--where %s: %s\n", cli->where[w], qe.message);
			query_release(&q);
			return EXIT_USAGE;
		}
	*id = agg_add(agg, &q);
	return EXIT_OK;
}

static int add_arg(struct cli *cli, const struct schema *schema, struct agg *agg, int i,
		   struct qarg *qa)
{
	const char *text = cli->args[i], *slash = top_slash(text);
	char *a;
	int rc;

	if (slash == NULL)
		return add_side(cli, schema, agg, i, text, &qa->a);
	qa->ratio = true;
	a = xstrndup(text, (size_t)(slash - text));
	rc = add_side(cli, schema, agg, i, a, &qa->a);
	free(a);
	if (rc == EXIT_OK)
		rc = add_side(cli, schema, agg, i, slash + 1, &qa->b);
	if (rc == EXIT_OK &&
	    (query_grouped(agg_query(agg, qa->a)) || query_grouped(agg_query(agg, qa->b)))) {
		fprintf(stderr, "表达式 %d：A / B 的两边都应是单个数（不带 by）\n", i + 1);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK && agg_query(agg, qa->a)->unit == UNIT_COUNT &&
	    agg_query(agg, qa->b)->unit == UNIT_FEN) {
		fprintf(stderr,
			"表达式 %d：人数（或次数）除以金额没有意义；人均金额应写成 金额 / 人数\n",
			i + 1);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK && strcmp(cli->format, "json") == 0) {
		fprintf(stderr, "表达式 %d：A / B 只能用 --format table 或 csv 输出\n", i + 1);
		rc = EXIT_USAGE;
	}
	return rc;
}

/*
 * A / B exactly rounded: money / persons in yuan with 2 decimals (人均, its
 * unit in *unit), like units as a ratio with 4 decimals; false when there
 * is nothing to divide by or no data.
 */
static bool ratio_text(const struct agg *agg, const struct qarg *qa, bool group, char *buf,
		       size_t len, const char **unit)
{
	const struct agg_value *a = agg_value(agg, qa->a), *b = agg_value(agg, qa->b);
	int64_t den = b->value;

	*unit = "";
	if (!a->present || !b->present || a->empty || b->empty || b->value == 0)
		return false;
	if (a->unit == UNIT_FEN && b->unit == UNIT_COUNT) {
		enum measure m = agg_query(agg, qa->b)->measure;
		*unit = m == MEASURE_PERSONS      ? " 元/人"
			: m == MEASURE_ROWS       ? " 元/人次"
			: m == MEASURE_HOUSEHOLDS ? " 元/户"
						  : " 元/单位";
		if (__builtin_mul_overflow(den, 100, &den))
			return false;
		return format_decimal(buf, len, a->value, den, 2, group) >= 0;
	}
	return format_decimal(buf, len, a->value, den, 4, group) >= 0;
}

/* The figures in the order given: a table, or CSV (a ratio's key fields empty). */
static void print_all(const struct cli *cli, const struct agg *agg, const struct qarg *qa, bool csv)
{
	/* key2: the value of the second by-column, its own field */
	if (csv)
		puts("expression,key,key2,value");
	for (int i = 0; i < cli->nargs; i++) {
		char buf[64];
		const char *unit;
		bool ok;

		if (!csv && i > 0)
			putchar('\n');
		if (!qa[i].ratio) {
			(csv ? print_csv : print_table)(agg, &qa[i].a, 1);
			continue;
		}
		ok = ratio_text(agg, &qa[i], !csv, buf, sizeof(buf), &unit);
		if (csv) {
			if (!ok)
				continue;
			csv_write_field(stdout, cli->args[i], 0);
			printf(",,%s\n", buf);
		} else {
			pad_to(cli->args[i], 0, false);
			printf("\n  %s%s\n", ok ? buf : "—（没有数据或除数为0）", ok ? unit : "");
		}
	}
}

int cmd_query(struct cli *cli)
{
	struct schema schema;
	struct agg *agg;
	struct ingest_result res;
	struct scan_options so = {0};
	struct qarg *qa;
	size_t *ids, nids = 0;
	char err[1024];
	int rc;

	if (!cli->has_period) {
		fprintf(stderr,
			"civreport query: 需要 --period（如 2021、2021Q3）或 --year YYYY\n");
		return EXIT_USAGE;
	}
	if (cli->nargs == 0) {
		fprintf(stderr,
			"civreport query: 请给出至少一个表达式，如 'relief.amount by 区县'\n");
		return EXIT_USAGE;
	}
	if ((rc = cli_load_schema(&schema)) != 0)
		return rc;
	agg = agg_new(&schema, &cli->period);
	qa = xcalloc((size_t)cli->nargs, sizeof(*qa));
	ids = xcalloc((size_t)cli->nargs, sizeof(size_t));
	for (int i = 0; i < cli->nargs && rc == EXIT_OK; i++) {
		rc = add_arg(cli, &schema, agg, i, &qa[i]);
		if (rc == EXIT_OK && !qa[i].ratio)
			ids[nids++] = qa[i].a;
	}
	if (rc != EXIT_OK) {
		agg_free(agg);
		free(ids);
		free(qa);
		schema_release(&schema);
		return rc;
	}
	so.input_dir = cli->input;
	so.period = cli->period;
	so.threads = cli->threads;
	so.encoding = cli->encoding;
	so.max_reject_rate = 1.0;
	so.progress = cli->progress;
	so.cache_dir = cli->cache;
	rc = scan_run(&schema, agg, &so, &res, err, sizeof(err));
	if (rc == EXIT_OK) {
		if (strcmp(cli->format, "json") == 0)
			metrics_write_json(stdout, agg, ids, nids, NULL, NULL);
		else
			print_all(cli, agg, qa, strcmp(cli->format, "csv") == 0);
	} else {
		log_error("%s", err);
	}
	ingest_result_release(&res);
	agg_free(agg);
	free(ids);
	free(qa);
	schema_release(&schema);
	return rc;
}
