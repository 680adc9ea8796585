/*
 * ingest_pool.h - the parse workers of one ingest run, private to ingest.c.
 *
 * The reading thread submits chunks in order; whichever worker is free
 * parses the next one (chunk_parse, ingest_chunk.h) and marks it done; the
 * admitting thread waits for exactly the chunk it needs next, so rows are
 * still admitted in (file, line) order whatever the number of workers.
 *
 *	struct ingest_pool pool;
 *
 *	if (pool_start(&pool, 2, 7, err, sizeof(err)) < 0)
 *		return -1;
 *	pool_submit(&pool, chunk);      // at most capacity chunks not yet admitted
 *	pool_wait(&pool, chunk);        // chunk->done is now true
 *	pool_stop(&pool);               // joins the workers
 */
#ifndef CIVREPORT_INGEST_POOL_H
#define CIVREPORT_INGEST_POOL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "ingest_chunk.h"

struct ingest_pool {
	pthread_mutex_t lock;
	pthread_cond_t work; /* a chunk to parse, or stop */
	pthread_cond_t done; /* a chunk finished */
	struct chunk **jobs; /* a ring of capacity + 1 */
	size_t head, tail, cap;
	bool stop;
	pthread_t *tids;
	int nthreads; /* workers running */
};

/*
 * Start up to nthreads workers for at most capacity chunks in flight.
 * Returns the number started: fewer than asked when the system refuses
 * more threads (a warning is logged), -1 with a message in err when it
 * refuses the first one (nothing is left to clean up).
 */
int pool_start(struct ingest_pool *pool, int nthreads, size_t capacity, char *err, size_t errlen);

/* Hand c to the workers. */
void pool_submit(struct ingest_pool *pool, struct chunk *c);

/* Block until c has been parsed. */
void pool_wait(struct ingest_pool *pool, struct chunk *c);

/* Let the workers finish, join them and free the pool. */
void pool_stop(struct ingest_pool *pool);

#endif
