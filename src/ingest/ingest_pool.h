/*
 * ingest_pool.h - the threads of one ingest run and the work they share,
 * private to ingest.c.
 *
 * Two kinds of task: parsing a chunk (chunk_work, ingest_chunk.h), in any
 * order, and one shard's admission of a chunk (shard_chunk,
 * ingest_shard.h), which each shard does in the order the chunks were
 * handed over.  A free thread takes the oldest shard task it may run, else
 * a chunk to parse: admission drains what parsing filled.
 *
 * The reading thread is one of the threads: while it waits for a chunk it
 * runs tasks itself (pool_wait_parsed, pool_wait_admitted).  So "--threads
 * N" is N threads in all, and with one thread (no workers) the run is
 * plain sequential code.
 *
 *	struct ingest_pool pool;
 *
 *	pool_start(&pool, 1, 8, shards, 2);  // one worker besides this thread
 *	pool_submit(&pool, chunk);            // to parse
 *	pool_wait_parsed(&pool, chunk, parser);
 *	pool_admit(&pool, chunk);             // to the shards, in order
 *	pool_wait_admitted(&pool, chunk, parser);
 *	pool_forget(&pool, chunk);            // before freeing it
 *	pool_stop(&pool);                     // joins the workers
 */
#ifndef CIVREPORT_INGEST_POOL_H
#define CIVREPORT_INGEST_POOL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "ingest_chunk.h"
#include "ingest_shard.h"

/* At most this many threads, shards too (ingest_options.threads is capped). */
#define POOL_MAX_THREADS 64

struct ingest_pool {
	pthread_mutex_t lock;
	pthread_cond_t work; /* a task to run, or stop */
	pthread_cond_t done; /* a task finished */
	struct chunk **jobs; /* chunks to parse: a ring of capacity + 1 */
	size_t head, tail, cap;
	struct shard *shards; /* nshards of them, or none */
	unsigned nshards;
	struct chunk *shard_next[POOL_MAX_THREADS]; /* per shard: its next chunk, or NULL */
	bool shard_busy[POOL_MAX_THREADS];
	unsigned turn;      /* the shard looked at first: no shard starves */
	unsigned started;   /* workers that took their number (shard affinity) */
	struct chunk *last; /* the chunk handed to the shards last, while it lives */
	bool stop;
	pthread_t *tids;
	int nthreads; /* workers running */
};

/*
 * Start up to nworkers worker threads (0: the calling thread does all the
 * work) for at most capacity chunks in flight, admitting through nshards
 * shards (0: the caller admits rows itself).  Returns the number of workers
 * started: fewer than asked when the system refuses more threads (a
 * warning is logged; the run goes on with fewer).
 */
int pool_start(struct ingest_pool *pool, int nworkers, size_t capacity, struct shard *shards,
	       unsigned nshards);

/* Hand c to be parsed. */
void pool_submit(struct ingest_pool *pool, struct chunk *c);

/* Until c has been parsed, running tasks (with parser) meanwhile. */
void pool_wait_parsed(struct ingest_pool *pool, struct chunk *c, struct chunk_parser *parser);

/* Hand parsed c to every shard, after the chunks handed before it. */
void pool_admit(struct ingest_pool *pool, struct chunk *c);

/* Until every shard has admitted c (at once when it was never handed over). */
void pool_wait_admitted(struct ingest_pool *pool, struct chunk *c, struct chunk_parser *parser);

/* Whether every shard has admitted c (or it was never handed over), without waiting. */
bool pool_admitted(struct ingest_pool *pool, struct chunk *c);

/* c is about to be freed: the pool holds no pointer to it after this. */
void pool_forget(struct ingest_pool *pool, struct chunk *c);

/* Let the workers finish, join them and free the pool. */
void pool_stop(struct ingest_pool *pool);

#endif
