/*
 * bitset.c - windowed bitmaps; see bitset.h.
 */
#include <stdlib.h>
#include <string.h>

#include "bitset.h"
#include "util/xalloc.h"

/*
 * Make b cover words [lo, hi), zeroed where new.  It grows by at least its
 * own size on the side it grows, so that adding indexes one by one costs
 * amortised constant time either way.
 */
static void cover(struct bitset *b, size_t lo, size_t hi)
{
	size_t first = b->first, end = b->first + b->nwords, n;
	uint64_t *words;

	if (b->nwords == 0) {
		first = lo;
		end = hi - lo < 8 ? lo + 8 : hi;
	} else {
		if (lo >= first && hi <= end)
			return;
		if (hi > end)
			end = hi > end + b->nwords ? hi : end + b->nwords;
		if (lo < first) {
			size_t down = first >= b->nwords ? first - b->nwords : 0;

			first = lo < down ? lo : down;
		}
	}
	n = end - first;
	words = xcalloc(n, sizeof(uint64_t));
	if (b->nwords > 0)
		memcpy(words + (b->first - first), b->words, b->nwords * sizeof(uint64_t));
	free(b->words);
	b->words = words;
	b->first = first;
	b->nwords = n;
}

void bitset_add(struct bitset *b, uint32_t i)
{
	size_t w = i >> 6;

	/* unsigned: a word below the window wraps round to a large offset */
	if (w - b->first >= b->nwords)
		cover(b, w, w + 1);
	b->words[w - b->first] |= 1ull << (i & 63);
}

void bitset_or(struct bitset *dst, const struct bitset *src)
{
	if (src->nwords == 0)
		return;
	cover(dst, src->first, src->first + src->nwords);
	for (size_t w = 0; w < src->nwords; w++)
		dst->words[src->first - dst->first + w] |= src->words[w];
}

void bitset_add_mapped(struct bitset *dst, const struct bitset *src, const uint32_t *map)
{
	if (map == NULL) {
		bitset_or(dst, src);
		return;
	}
	for (size_t w = 0; w < src->nwords; w++)
		for (uint64_t bits = src->words[w]; bits != 0; bits &= bits - 1)
			bitset_add(dst, map[(src->first + w) * 64 + (size_t)__builtin_ctzll(bits)]);
}

int64_t bitset_count(const struct bitset *b)
{
	int64_t n = 0;

	for (size_t i = 0; i < b->nwords; i++)
		n += __builtin_popcountll(b->words[i]);
	return n;
}

void bitset_clear(struct bitset *b)
{
	free(b->words);
	b->words = NULL;
	b->first = b->nwords = 0;
}
