/*
 * metrics.c - writing metrics.json; see metrics.h.
 */
#include <stdlib.h>

#include "format.h"
#include "metrics.h"
#include "util/json.h"

/* A figure the report's text does not show: the default format of text. */
static void default_text(char *buf, size_t len, int64_t v, enum unit unit)
{
	struct format_spec spec;

	format_parse(&spec, format_default_name(unit), NULL, 0);
	format_value(buf, len, &spec, v, unit);
}

static void plain(FILE *fp, int64_t v)
{
	fprintf(fp, "%lld", (long long)v);
}

/*
 * A group's key: its value by one column as a string, by two columns an
 * array of the two values, never one text joined by a separator a value
 * may hold itself ("助学/甲").
 */
static void write_key(FILE *fp, const struct agg_group *g)
{
	if (g->nparts == 1) {
		json_string(fp, g->part[0].text);
		return;
	}
	fputc('[', fp);
	for (size_t p = 0; p < g->nparts; p++) {
		fputs(p ? ", " : "", fp);
		json_string(fp, g->part[p].text);
	}
	fputc(']', fp);
}

static void write_figure(FILE *fp, const struct agg *agg, size_t id, const char *shown)
{
	const struct query *q = agg_query(agg, id);
	const struct agg_value *v = agg_value(agg, id);
	char text[64];

	fputs("    {\"expression\": ", fp);
	json_string(fp, q->text);
	fprintf(fp, ", \"unit\": \"%s\", \"present\": %s", v->unit == UNIT_FEN ? "fen" : "count",
		v->present ? "true" : "false");
	if (v->empty) /* rows came, none with the column: value 0 is no figure */
		fputs(", \"empty\": true", fp);
	fputs(", \"value\": ", fp);
	plain(fp, v->value);
	if (shown == NULL && v->empty)
		snprintf(text, sizeof(text), "—");
	else if (shown == NULL)
		default_text(text, sizeof(text), v->value, v->unit);
	fputs(", \"text\": ", fp);
	json_string(fp, shown != NULL ? shown : text);
	if (q->nby > 0) {
		fputs(",\n     \"groups\": [", fp);
		for (size_t g = 0; g < v->ngroups; g++) {
			fputs(g ? ", {\"key\": " : "{\"key\": ", fp);
			write_key(fp, &v->groups[g]);
			if (v->groups[g].empty)
				fputs(", \"empty\": true", fp);
			fputs(", \"value\": ", fp);
			plain(fp, v->groups[g].value);
			fputc('}', fp);
		}
		fputc(']', fp);
	}
	fputc('}', fp);
}

void metrics_write_json(FILE *fp, const struct agg *agg, const size_t *ids, size_t n,
			const int *year, char *const *texts)
{
	if (ids == NULL)
		n = agg_count(agg);
	fputs("{\n", fp);
	if (year != NULL)
		fprintf(fp, "  \"year\": %d,\n", *year);
	fputs("  \"figures\": [\n", fp);
	for (size_t i = 0; i < n; i++) {
		size_t id = ids ? ids[i] : i;

		write_figure(fp, agg, id, texts ? texts[id] : NULL);
		fputs(i + 1 < n ? ",\n" : "\n", fp);
	}
	fputs("  ]\n}\n", fp);
}
