/*
 * ingest_shard.c - admitting rows by person; see ingest_shard.h.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest_shard.h"
#include "util/xalloc.h"

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

/* The shard of n that owns record rec of c. */
static unsigned owner(const struct chunk *c, const int64_t *rec, unsigned n)
{
	const struct dataset *ds = c->plan->ds;

	if (n == 1)
		return 0;
	if (ds->person < 0)
		return (unsigned)(c->seq % n);
	return id_shard((uint64_t)chunk_value(c, rec, ds->person), n);
}

void shard_split(struct chunk *c, unsigned n)
{
	uint8_t *of;
	size_t *at;

	free(c->by_shard);
	free(c->shard_from);
	c->by_shard = NULL;
	c->shard_from = NULL;
	if (n < 2)
		return; /* one shard reads every record */
	of = xmalloc(c->nrecs ? c->nrecs : 1);
	at = xcalloc(n + 1, sizeof(size_t));
	c->shard_from = xcalloc(n + 1, sizeof(size_t));
	for (size_t i = 0; i < c->nrecs; i++) {
		of[i] = (uint8_t)owner(c, c->recs + i * c->stride, n);
		c->shard_from[of[i] + 1]++;
	}
	for (unsigned k = 0; k < n; k++)
		c->shard_from[k + 1] += c->shard_from[k];
	memcpy(at, c->shard_from, n * sizeof(size_t));
	c->by_shard = xmalloc((c->nrecs ? c->nrecs : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < c->nrecs; i++)
		c->by_shard[at[of[i]]++] = (uint32_t)i;
	free(at);
	free(of);
}

/*
 * Record rec's values by column: the record's own when it holds every
 * column, else spread into s->v, where the columns it lacks stay 0.
 */
static const int64_t *row_values(struct shard *s, const struct chunk *c, const int64_t *rec)
{
	if (chunk_holds_all(c))
		return rec + REC_HEAD;
	if (s->v_held != c->held) {
		memset(s->v, 0, sizeof(s->v));
		s->v_held = c->held;
	}
	for (uint64_t m = c->held; m != 0; m &= m - 1) {
		int col = __builtin_ctzll(m);

		s->v[col] = rec[REC_HEAD + c->place[col]];
	}
	return s->v;
}

bool shard_record(struct shard *s, const struct chunk *c, const int64_t *rec)
{
	const struct dataset *ds = c->plan->ds;
	size_t si = (size_t)(ds - s->schema->sets);
	struct ingest_row row = {
	    .windows = (unsigned)(rec[REC_SLOT] & 0xff),
	    .person = UINT32_MAX,
	    .present = (uint64_t)rec[REC_PRESENT],
	    .v = row_values(s, c, rec),
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
		row.person = own;
	}
	/* a row of the report period may be in a comparison period too (a range over a year) */
	if ((row.windows & (WINDOW_CUR | s->want)) != 0 && s->row != NULL)
		s->row(s->ctx, ds, &row);
	return true;
}

/*
 * Records looked ahead: a record is loaded RECORD_AHEAD records before its
 * turn (another core most likely wrote it), its person's place in the
 * dictionary PERSON_AHEAD before.
 */
#define RECORD_AHEAD 16
#define PERSON_AHEAD 8

void shard_chunk(struct shard *s, struct chunk *c)
{
	const struct dataset *ds = c->plan->ds;
	struct persons *persons = ds->person >= 0 ? s->persons[ds - s->schema->sets] : NULL;
	const uint32_t *mine = c->by_shard ? c->by_shard + c->shard_from[s->k] : NULL;
	size_t n = c->by_shard ? c->shard_from[s->k + 1] - c->shard_from[s->k] : c->nrecs;
	struct shard_counts counts = {0};

	for (size_t j = 0; j < n; j++) {
		size_t i = mine ? mine[j] : j;

		if (j + RECORD_AHEAD < n)
			__builtin_prefetch(c->recs +
					   (mine ? mine[j + RECORD_AHEAD] : j + RECORD_AHEAD) *
					       c->stride);
		if (persons != NULL && j + PERSON_AHEAD < n) {
			size_t ahead = mine ? mine[j + PERSON_AHEAD] : j + PERSON_AHEAD;

			persons_prefetch(persons, (uint64_t)chunk_value(
						      c, c->recs + ahead * c->stride, ds->person));
		}
		const int64_t *rec = c->recs + i * c->stride;
		unsigned windows = (unsigned)(rec[REC_SLOT] & 0xff);

		if (!shard_record(s, c, rec)) {
			c->dup[i] = 1;
		} else if (windows & WINDOW_CUR) {
			counts.accepted++;
		} else {
			counts.outside++;
			counts.prev |= windows != 0;
		}
	}
	c->counts[s->k] = counts;
}
