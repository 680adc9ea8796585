/*
 * dict.h - dictionaries from a value to a dense index 0, 1, 2, ... in order
 * of first insertion: 64-bit integers (u64dict) and byte strings (strdict).
 *
 * Dense indexes let distinct counts be bitmaps.  Memory grows with distinct
 * values only; the same insertions give the same indexes.
 */
#ifndef CIVREPORT_DICT_H
#define CIVREPORT_DICT_H

#include <stddef.h>
#include <stdint.h>

struct u64dict;
struct strdict;

struct u64dict *u64dict_new(void);
void u64dict_free(struct u64dict *d);
/* The index of key, adding it when new. */
uint32_t u64dict_index(struct u64dict *d, uint64_t key);
size_t u64dict_count(const struct u64dict *d);
/*
 * Start loading the place of key into the cache: a look-up a few keys
 * later then waits for no memory (a city's persons do not fit in a cache).
 */
void u64dict_prefetch(const struct u64dict *d, uint64_t key);
/* Every key at its index: keys[i] for i below u64dict_count(d). */
void u64dict_keys(const struct u64dict *d, uint64_t *keys);

struct strdict *strdict_new(void);
void strdict_free(struct strdict *d);
uint32_t strdict_index(struct strdict *d, const char *s, size_t len);
size_t strdict_count(const struct strdict *d);
/* The index of s, or STRDICT_NONE when it was never added. */
#define STRDICT_NONE UINT32_MAX
uint32_t strdict_find(const struct strdict *d, const char *s, size_t len);
/*
 * Keys compared by this thread's strdict look-ups so far: a test checks
 * with it that a look-up costs a few comparisons, not one per key.
 */
uint64_t strdict_compares(void);
/* The string of index i (NUL-terminated, owned by the dictionary). */
const char *strdict_key(const struct strdict *d, uint32_t i);

#endif
