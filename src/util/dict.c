/*
 * dict.c - open-addressing hash tables to dense indexes; see dict.h.
 */
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "dict.h"
#include "xalloc.h"

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

struct u64dict {
	uint64_t *keys; /* key + 1; 0 = empty */
	uint32_t *index;
	size_t cap, count;
};

struct u64dict *u64dict_new(void)
{
	struct u64dict *d = xcalloc(1, sizeof(*d));

	d->cap = 1024;
	d->keys = big_calloc(d->cap * sizeof(uint64_t));
	d->index = big_calloc(d->cap * sizeof(uint32_t));
	return d;
}

void u64dict_free(struct u64dict *d)
{
	if (d == NULL)
		return;
	big_free(d->keys, d->cap * sizeof(uint64_t));
	big_free(d->index, d->cap * sizeof(uint32_t));
	free(d);
}

static void u64_grow(struct u64dict *d)
{
	size_t cap = d->cap * 2;
	uint64_t *keys = big_calloc(cap * sizeof(uint64_t));
	uint32_t *index = big_calloc(cap * sizeof(uint32_t));

	for (size_t i = 0; i < d->cap; i++) {
		size_t s;

		if (d->keys[i] == 0)
			continue;
		for (s = mix(d->keys[i]) & (cap - 1); keys[s] != 0; s = (s + 1) & (cap - 1))
			;
		keys[s] = d->keys[i];
		index[s] = d->index[i];
	}
	big_free(d->keys, d->cap * sizeof(uint64_t));
	big_free(d->index, d->cap * sizeof(uint32_t));
	d->keys = keys;
	d->index = index;
	d->cap = cap;
}

uint32_t u64dict_index(struct u64dict *d, uint64_t key)
{
	uint64_t k = key + 1;
	size_t s;

	/* key + 1 would wrap for UINT64_MAX: no ID or date comes near it */
	for (s = mix(k) & (d->cap - 1); d->keys[s] != 0; s = (s + 1) & (d->cap - 1))
		if (d->keys[s] == k)
			return d->index[s];
	/*
	 * Up to 7/8 full: IDs are well mixed, so probes stay a cache line or
	 * two, and a city's persons take 12 bytes a slot (at 3/4, 1.6 million
	 * persons of a shard just missed 2^21 slots and took 50 MB, not 25).
	 */
	if ((d->count + 1) * 8 > d->cap * 7) {
		u64_grow(d);
		for (s = mix(k) & (d->cap - 1); d->keys[s] != 0; s = (s + 1) & (d->cap - 1))
			;
	}
	d->keys[s] = k;
	d->index[s] = (uint32_t)d->count;
	return (uint32_t)d->count++;
}

size_t u64dict_count(const struct u64dict *d)
{
	return d->count;
}

void u64dict_prefetch(const struct u64dict *d, uint64_t key)
{
	size_t s = mix(key + 1) & (d->cap - 1);

	__builtin_prefetch(&d->keys[s]);
	__builtin_prefetch(&d->index[s]);
}

void u64dict_keys(const struct u64dict *d, uint64_t *keys)
{
	for (size_t s = 0; s < d->cap; s++)
		if (d->keys[s] != 0)
			keys[d->index[s]] = d->keys[s] - 1;
}

/*
 * Keys live NUL-terminated in one arena (a household number costs its
 * length plus 13 bytes, not a malloc'd block each): a city has a million of
 * them at scale 10.
 */
struct strdict {
	uint32_t *slots; /* index + 1; 0 = empty */
	size_t cap;
	char *arena;
	size_t alen, acap;
	size_t *offs;     /* by index: key offset in the arena */
	uint32_t *lens;   /* by index: keys may hold NUL bytes */
	uint32_t *hashes; /* by index: high bits of the hash, to skip most compares */
	size_t count, kcap;
};

struct strdict *strdict_new(void)
{
	struct strdict *d = xcalloc(1, sizeof(*d));

	d->cap = 256;
	d->slots = xcalloc(d->cap, sizeof(uint32_t));
	return d;
}

void strdict_free(struct strdict *d)
{
	if (d == NULL)
		return;
	free(d->arena);
	free(d->offs);
	free(d->hashes);
	free(d->lens);
	free(d->slots);
	free(d);
}

/* FNV-1a, then mixed: keys are short codes such as household numbers. */
static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return mix(h);
}

static void str_grow(struct strdict *d)
{
	size_t cap = d->cap * 2;
	uint32_t *slots = xcalloc(cap, sizeof(uint32_t));

	for (size_t i = 0; i < d->count; i++) {
		size_t s;
		uint64_t h = hash_bytes(d->arena + d->offs[i], d->lens[i]);

		for (s = h & (cap - 1); slots[s] != 0; s = (s + 1) & (cap - 1))
			;
		slots[s] = (uint32_t)i + 1;
	}
	free(d->slots);
	d->slots = slots;
	d->cap = cap;
}

/* Per thread, so that counting needs no atomics on the scan's hot path. */
static _Thread_local uint64_t compares;

uint64_t strdict_compares(void)
{
	return compares;
}

/* The slot holding s, or the empty slot where it would go. */
static size_t str_slot(const struct strdict *d, const char *s, size_t len, uint64_t h)
{
	size_t slot;

	for (slot = h & (d->cap - 1); d->slots[slot] != 0; slot = (slot + 1) & (d->cap - 1)) {
		uint32_t i = d->slots[slot] - 1;

		compares++;
		if (d->hashes[i] == (uint32_t)(h >> 32) && d->lens[i] == len &&
		    memcmp(d->arena + d->offs[i], s, len) == 0)
			break;
	}
	return slot;
}

uint32_t strdict_find(const struct strdict *d, const char *s, size_t len)
{
	size_t slot = str_slot(d, s, len, hash_bytes(s, len));

	return d->slots[slot] != 0 ? d->slots[slot] - 1 : STRDICT_NONE;
}

uint32_t strdict_index(struct strdict *d, const char *s, size_t len)
{
	uint64_t h = hash_bytes(s, len);
	size_t slot = str_slot(d, s, len, h);

	if (d->slots[slot] != 0)
		return d->slots[slot] - 1;
	if ((d->count + 1) * 2 > d->cap) {
		str_grow(d);
		for (slot = h & (d->cap - 1); d->slots[slot] != 0; slot = (slot + 1) & (d->cap - 1))
			;
	}
	if (d->count == d->kcap) {
		/* one capacity for the three arrays: grow them together, rarely */
		d->kcap = d->kcap ? d->kcap * 2 : 64;
		d->offs = xrealloc(d->offs, d->kcap * sizeof(size_t));
		d->hashes = xrealloc(d->hashes, d->kcap * sizeof(uint32_t));
		d->lens = xrealloc(d->lens, d->kcap * sizeof(uint32_t));
	}
	d->arena = xgrow(d->arena, &d->acap, d->alen + len + 1, 1);
	memcpy(d->arena + d->alen, s, len);
	d->arena[d->alen + len] = '\0';
	d->offs[d->count] = d->alen;
	d->alen += len + 1;
	d->lens[d->count] = (uint32_t)len;
	d->hashes[d->count] = (uint32_t)(h >> 32);
	d->slots[slot] = (uint32_t)d->count + 1;
	return (uint32_t)d->count++;
}

size_t strdict_count(const struct strdict *d)
{
	return d->count;
}

const char *strdict_key(const struct strdict *d, uint32_t i)
{
	return d->arena + d->offs[i];
}
