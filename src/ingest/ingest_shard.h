/*
 * ingest_shard.h - private to the ingest stage: admitting rows by person.
 *
 * Each row of a chunk belongs to one shard: the one its person's ID hashes
 * to (a dataset without IDs: the chunk's, by its place in the run).  A
 * shard owns the dictionary of its persons and the payments they were
 * paid, so a duplicate (the same person, category and month twice) is
 * found inside one shard, and shards admit their rows at the same time on
 * different threads.  Each shard takes the chunks in (file, line) order,
 * so "the first row in (file, line) order wins" holds for any number of
 * shards.
 *
 * The sink sees the shard's own person index (dense from 0 in each shard:
 * two shards give the same index to two persons, never two indexes to
 * one person).
 */
#ifndef CIVREPORT_INGEST_SHARD_H
#define CIVREPORT_INGEST_SHARD_H

#include <stdbool.h>
#include <stdint.h>

#include "ingest_chunk.h"
#include "persons.h"

struct shard {
	unsigned k, n; /* this shard, of n */
	const struct schema *schema;
	struct persons **persons; /* per dataset: the persons of this shard */
	void (*row)(void *ctx, const struct dataset *ds, const struct ingest_row *row);
	void *ctx;     /* the sink's context for this shard */
	unsigned want; /* windows handed on besides WINDOW_CUR (ingest_options.want) */
	/* a narrow record's values by column (shard_record): those of v_held, the others 0 */
	int64_t v[64];
	uint64_t v_held;
};

/*
 * Admit one record of c (c->base set): find its person, check it is no
 * duplicate and hand it to the sink when its windows are wanted.  Returns
 * false for a duplicate, which the sink never sees.
 */
bool shard_record(struct shard *s, const struct chunk *c, const int64_t *rec);

/*
 * c's records grouped by the shard of n that owns each (c->by_shard):
 * done once, by the thread that parsed c, so that each shard then reads
 * its own records only.
 */
void shard_split(struct chunk *c, unsigned n);

/*
 * Every record of c that s owns (c split for s->n shards): duplicates
 * marked in c->dup, the others counted in c->counts[s->k].
 */
void shard_chunk(struct shard *s, struct chunk *c);

#endif
