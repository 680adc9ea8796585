/*
 * ingest_pool.c - the parse workers of one ingest run; see ingest_pool.h.
 */
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_pool.h"
#include "util/log.h"
#include "util/xalloc.h"

void chunk_finish(struct chunk *c)
{
	if (c->encode && c->error == NULL) {
		chunk_encode(c);
		chunk_seg_sum(c->seg, c->seg_len, c->seg_sum);
	}
	chunk_window(c);
}

void chunk_work(struct chunk_parser *p, struct chunk *c)
{
	if (c->cached) {
		unsigned char sum[SEG_SUM_SIZE];
		size_t got = 0;

		/* read here, off the admitting thread */
		c->seg = xmalloc(c->seg_len ? c->seg_len : 1);
		while (got < c->seg_len) {
			ssize_t n = pread(c->seg_fd, c->seg + got, c->seg_len - got,
					  (off_t)(c->seg_off + got));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		if (got < c->seg_len) {
			free(c->seg);
			c->seg = NULL;
		}
		/* a chunk of the cache is used only as it was written (ingest_cache.h) */
		if (c->seg == NULL ||
		    (chunk_seg_sum(c->seg, c->seg_len, sum),
		     memcmp(sum, c->seg_sum, SEG_SUM_SIZE) != 0) ||
		    chunk_decode(c, c->seg, c->seg_len, c->plan->decode) != 0) {
			c->damaged = true;
			return;
		}
		chunk_window(c);
		return;
	}
	chunk_parse(p, c);
	if (!c->unterminated) /* else parsed again with the next chunk (ingest.c merge_into) */
		chunk_finish(c);
}

/* A task: a chunk to parse (shard < 0) or to admit in shard `shard`. */
struct task {
	struct chunk *c;
	int shard;
};

/* Shard k's next chunk as t, if it may run now. */
static bool take_shard(struct ingest_pool *q, unsigned k, struct task *t)
{
	if (q->shard_next[k] == NULL || q->shard_busy[k])
		return false;
	t->c = q->shard_next[k];
	t->shard = (int)k;
	q->shard_busy[k] = true;
	return true;
}

/*
 * The next task for thread self (0: the reading thread), under the lock:
 * its own shard's work first, so that a shard's persons and tallies stay
 * in one core's cache; then a chunk to parse; then any shard's work, so
 * that a shard whose thread is busy (or was never started) still moves.
 */
static bool take(struct ingest_pool *q, unsigned self, struct task *t)
{
	if (q->nshards > 0 && take_shard(q, self % q->nshards, t))
		return true;
	if (q->head != q->tail) {
		t->c = q->jobs[q->head++ % q->cap];
		t->shard = -1;
		return true;
	}
	for (unsigned i = 0; i < q->nshards; i++)
		if (take_shard(q, (q->turn + i) % q->nshards, t)) {
			q->turn = (unsigned)t->shard + 1;
			return true;
		}
	return false;
}

/* Run t without the lock; called and returning with it held. */
static void run(struct ingest_pool *q, const struct task *t, struct chunk_parser *p)
{
	struct chunk *c = t->c;

	pthread_mutex_unlock(&q->lock);
	if (t->shard < 0) {
		chunk_work(p, c);
		if (q->nshards > 0 && c->windowed)
			shard_split(c, q->nshards);
	} else
		shard_chunk(&q->shards[t->shard], c);
	pthread_mutex_lock(&q->lock);
	if (t->shard < 0) {
		c->done = true;
	} else {
		/* the next chunk of this shard, if handed over already (pool_admit) */
		q->shard_busy[t->shard] = false;
		q->shard_next[t->shard] = c->next_admit;
		c->shards_left--;
		if (c->next_admit != NULL)
			pthread_cond_signal(&q->work);
	}
	pthread_cond_broadcast(&q->done);
}

static void *worker(void *arg)
{
	struct ingest_pool *q = arg;
	struct chunk_parser *p = chunk_parser_new();
	struct task t;
	unsigned self;

	pthread_mutex_lock(&q->lock);
	self = ++q->started; /* the reading thread is 0 */
	for (;;) {
		if (take(q, self, &t))
			run(q, &t, p);
		else if (q->stop)
			break;
		else
			pthread_cond_wait(&q->work, &q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	chunk_parser_free(p);
	return NULL;
}

static void release(struct ingest_pool *q)
{
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->work);
	pthread_cond_destroy(&q->done);
	free(q->jobs);
	free(q->tids);
}

int pool_start(struct ingest_pool *q, int nworkers, size_t capacity, struct shard *shards,
	       unsigned nshards)
{
	int rc = 0;

	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->work, NULL);
	pthread_cond_init(&q->done, NULL);
	q->cap = capacity + 1;
	q->jobs = xcalloc(q->cap, sizeof(*q->jobs));
	q->shards = shards;
	q->nshards = nshards < POOL_MAX_THREADS ? nshards : POOL_MAX_THREADS;
	q->tids = xcalloc(nworkers > 0 ? (size_t)nworkers : 1, sizeof(*q->tids));
	while (q->nthreads < nworkers &&
	       (rc = pthread_create(&q->tids[q->nthreads], NULL, worker, q)) == 0)
		q->nthreads++;
	/* this thread works too: fewer workers make a slower run, never a wrong one */
	if (q->nthreads < nworkers)
		log_warn("只能创建 %d 个读取线程（要求 %d 个）：%s", q->nthreads + 1, nworkers + 1,
			 strerror(rc));
	return q->nthreads;
}

void pool_submit(struct ingest_pool *q, struct chunk *c)
{
	pthread_mutex_lock(&q->lock);
	q->jobs[q->tail++ % q->cap] = c;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->lock);
}

void pool_admit(struct ingest_pool *q, struct chunk *c)
{
	pthread_mutex_lock(&q->lock);
	c->handed = true;
	c->shards_left = q->nshards;
	c->next_admit = NULL;
	if (q->last != NULL)
		q->last->next_admit = c;
	q->last = c;
	/* a shard neither busy nor waiting has admitted every chunk before c */
	for (unsigned k = 0; k < q->nshards; k++)
		if (q->shard_next[k] == NULL && !q->shard_busy[k])
			q->shard_next[k] = c;
	pthread_cond_broadcast(&q->work);
	pthread_mutex_unlock(&q->lock);
}

/* Until *flag (or, with count, *count == 0), running tasks meanwhile. */
static void wait_running(struct ingest_pool *q, const bool *flag, const unsigned *count,
			 struct chunk_parser *p)
{
	struct task t;

	pthread_mutex_lock(&q->lock);
	while (flag != NULL ? !*flag : *count > 0) {
		if (take(q, 0, &t))
			run(q, &t, p);
		else
			pthread_cond_wait(&q->done, &q->lock);
	}
	pthread_mutex_unlock(&q->lock);
}

void pool_wait_parsed(struct ingest_pool *q, struct chunk *c, struct chunk_parser *p)
{
	wait_running(q, &c->done, NULL, p);
}

void pool_wait_admitted(struct ingest_pool *q, struct chunk *c, struct chunk_parser *p)
{
	if (c->handed)
		wait_running(q, NULL, &c->shards_left, p);
}

bool pool_admitted(struct ingest_pool *q, struct chunk *c)
{
	bool done;

	pthread_mutex_lock(&q->lock);
	done = !c->handed || c->shards_left == 0;
	pthread_mutex_unlock(&q->lock);
	return done;
}

void pool_forget(struct ingest_pool *q, struct chunk *c)
{
	pthread_mutex_lock(&q->lock);
	if (q->last == c)
		q->last = NULL;
	pthread_mutex_unlock(&q->lock);
}

void pool_stop(struct ingest_pool *q)
{
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_broadcast(&q->work);
	pthread_mutex_unlock(&q->lock);
	for (int i = 0; i < q->nthreads; i++)
		pthread_join(q->tids[i], NULL);
	release(q);
}
