/*
 * fuzz_query.c - libFuzzer target for the metric language parser: any bytes
 * must either parse into a query that resolves against the schema or give an
 * error whose position lies inside the expression.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/query.h"
#include "ingest/schema.h"

static struct schema fuzz_schema;
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct query q;
	struct query_error err;
	char *text;

	if (!ready) {
		char msg[512];
		if (schema_load(&fuzz_schema, "templates/schema.ini", msg, sizeof(msg)) != 0)
			abort();
		ready = 1;
	}
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	if (query_parse(&q, &fuzz_schema, text, &(struct period){2021 * 12, 2021 * 12 + 11},
			&err) == 0) {
		if (q.ds == NULL || (q.col < 0 && q.measure != MEASURE_ROWS))
			abort();
		query_release(&q);
	} else if (err.offset > strlen(text) || err.message[0] == '\0') {
		abort();
	}
	free(text);
	return 0;
}
