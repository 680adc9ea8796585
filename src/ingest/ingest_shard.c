/*
 * ingest_shard.c - admitting rows by person; see ingest_shard.h.
 */
#include "ingest_shard.h"

/*
 * The shard of an ID: the high bits of a multiplicative hash.  The
 * persons dictionary places keys by the low bits of another hash, so a
 * shard's IDs still spread over its whole table.
 */
static unsigned id_shard(uint64_t id, unsigned n)
{
	uint64_t h = id * 0x9E3779B97F4A7C15ull;

	return (unsigned)((h >> 32) * n >> 32);
}

bool shard_owns(const struct shard *s, const struct chunk *c, const int64_t *rec)
{
	const struct dataset *ds = c->plan->ds;

	if (s->n == 1)
		return true;
	if (ds->person < 0)
		return c->seq % s->n == s->k;
	return id_shard((uint64_t)rec[REC_HEAD + ds->person], s->n) == s->k;
}

bool shard_record(struct shard *s, const struct chunk *c, const int64_t *rec)
{
	const struct dataset *ds = c->plan->ds;
	size_t si = (size_t)(ds - s->schema->sets);
	struct ingest_row row = {
	    .windows = (unsigned)(rec[REC_SLOT] & 0xff),
	    .person = UINT32_MAX,
	    .present = (uint64_t)rec[REC_PRESENT],
	    .v = rec + REC_HEAD,
	    .text = c->text,
	    .line = c->base + (uint64_t)rec[REC_LINE] + 1,
	};

	if (ds->person >= 0) {
		uint32_t own = persons_index(s->persons[si], (uint64_t)row.v[ds->person]);

		if (ds->unique_enum >= 0 && (row.present >> ds->unique_enum & 1)) {
			int64_t period = row.v[ds->period];
			int month = ds->cols[ds->period].type == COL_MONTH
					? (int)(period % 100)
					: (int)(period / 100 % 100);
			unsigned bit =
			    (unsigned)row.v[ds->unique_enum] * 12 + (unsigned)(month - 1);

			if (!persons_mark(s->persons[si], own, (size_t)(rec[REC_SLOT] >> 8), bit))
				return false;
		}
		/* below 2^32 / n persons per shard: more than a country's people */
		row.person = own * s->n + s->k;
	}
	/* a row of the report period may be in a comparison period too (a range over a year) */
	if ((row.windows & (WINDOW_CUR | s->want)) != 0 && s->row != NULL)
		s->row(s->ctx, ds, &row);
	return true;
}

void shard_chunk(struct shard *s, struct chunk *c)
{
	for (size_t i = 0; i < c->nrecs; i++) {
		const int64_t *rec = c->recs + i * c->stride;

		if (shard_owns(s, c, rec) && !shard_record(s, c, rec))
			c->dup[i] = 1;
	}
}
