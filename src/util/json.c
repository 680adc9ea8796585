/*
 * json.c - writing metrics.json; see json.h.
 */
#include <stdlib.h>

#include "engine/format.h"
#include "json.h"

void json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

/* The reader's form: money in 万元/亿元 with two decimals, counts with separators. */
static void readable(char *buf, size_t len, int64_t v, enum unit unit)
{
	struct format_spec spec = {unit == UNIT_FEN ? FMT_AUTO : FMT_THOUSANDS, 2};

	format_value(buf, len, &spec, v, unit);
}

static void plain(FILE *fp, int64_t v)
{
	fprintf(fp, "%lld", (long long)v);
}

static void write_figure(FILE *fp, const struct agg *agg, size_t id)
{
	const struct query *q = agg_query(agg, id);
	const struct agg_value *v = agg_value(agg, id);
	char text[64];

	fputs("    {\"expression\": ", fp);
	json_string(fp, q->text);
	fprintf(fp, ", \"unit\": \"%s\", \"present\": %s", v->unit == UNIT_FEN ? "fen" : "count",
		v->present ? "true" : "false");
	fputs(", \"value\": ", fp);
	plain(fp, v->value);
	readable(text, sizeof(text), v->value, v->unit);
	fputs(", \"text\": ", fp);
	json_string(fp, text);
	if (q->nby > 0) {
		fputs(",\n     \"groups\": [", fp);
		for (size_t g = 0; g < v->ngroups; g++) {
			fputs(g ? ", {\"key\": " : "{\"key\": ", fp);
			json_string(fp, v->groups[g].key);
			fputs(", \"value\": ", fp);
			plain(fp, v->groups[g].value);
			fputc('}', fp);
		}
		fputc(']', fp);
	}
	fputc('}', fp);
}

void metrics_write_json(FILE *fp, const struct agg *agg, const size_t *ids, size_t n,
			const int *year)
{
	if (ids == NULL)
		n = agg_count(agg);
	fputs("{\n", fp);
	if (year != NULL)
		fprintf(fp, "  \"year\": %d,\n", *year);
	fputs("  \"figures\": [\n", fp);
	for (size_t i = 0; i < n; i++) {
		write_figure(fp, agg, ids ? ids[i] : i);
		fputs(i + 1 < n ? ",\n" : "\n", fp);
	}
	fputs("  ]\n}\n", fp);
}
