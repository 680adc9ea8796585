/*
 * ingest_pool.c - the parse workers of one ingest run; see ingest_pool.h.
 */
#include <errno.h>
#include <openssl/evp.h>
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
		unsigned int n = 0;

		chunk_encode(c);
		EVP_Digest(c->seg, c->seg_len, c->seg_sha, &n, EVP_sha256(), NULL);
	}
	chunk_window(c);
}

void chunk_work(struct chunk_parser *p, struct chunk *c)
{
	if (c->cached) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
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
		    EVP_Digest(c->seg, c->seg_len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
		    mdlen != 32 || memcmp(md, c->seg_sha, 32) != 0 ||
		    chunk_decode(c, c->seg, c->seg_len) != 0) {
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

static void *worker(void *arg)
{
	struct ingest_pool *q = arg;
	struct chunk_parser *p = chunk_parser_new();

	for (;;) {
		struct chunk *c;

		pthread_mutex_lock(&q->lock);
		while (q->head == q->tail && !q->stop)
			pthread_cond_wait(&q->work, &q->lock);
		if (q->head == q->tail) {
			pthread_mutex_unlock(&q->lock);
			break;
		}
		c = q->jobs[q->head++ % q->cap];
		pthread_mutex_unlock(&q->lock);

		chunk_work(p, c);

		pthread_mutex_lock(&q->lock);
		c->done = true;
		pthread_cond_broadcast(&q->done);
		pthread_mutex_unlock(&q->lock);
	}
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

int pool_start(struct ingest_pool *q, int nthreads, size_t capacity, char *err, size_t errlen)
{
	int rc = 0;

	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->work, NULL);
	pthread_cond_init(&q->done, NULL);
	q->cap = capacity + 1;
	q->jobs = xcalloc(q->cap, sizeof(*q->jobs));
	q->tids = xcalloc((size_t)nthreads, sizeof(*q->tids));
	while (q->nthreads < nthreads &&
	       (rc = pthread_create(&q->tids[q->nthreads], NULL, worker, q)) == 0)
		q->nthreads++;
	if (q->nthreads == 0) {
		snprintf(err, errlen, "无法创建读取线程：%s", strerror(rc));
		release(q);
		return -1;
	}
	if (q->nthreads < nthreads)
		log_warn("只能创建 %d 个读取线程（要求 %d 个）：%s", q->nthreads, nthreads,
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

void pool_wait(struct ingest_pool *q, struct chunk *c)
{
	pthread_mutex_lock(&q->lock);
	while (!c->done)
		pthread_cond_wait(&q->done, &q->lock);
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
