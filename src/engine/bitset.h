/*
 * bitset.h - sets of dense indexes (persons, household numbers, any
 * distinct value) as bitmaps, for exact distinct counts.
 *
 * A set keeps only the window of words between its lowest and highest
 * member: indexes are given in order of first appearance and an export is
 * read file by file, so the persons of one 区县 (one file) are side by
 * side, and a figure by 区县 costs each district its own range, not the
 * whole city's.
 */
#ifndef CIVREPORT_BITSET_H
#define CIVREPORT_BITSET_H

#include <stddef.h>
#include <stdint.h>

struct bitset {
	uint64_t *words; /* words [first, first + nwords) of the bitmap; the rest 0 */
	size_t first, nwords;
};

#define BITSET_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void bitset_add(struct bitset *b, uint32_t i);

/* dst |= src. */
void bitset_or(struct bitset *dst, const struct bitset *src);

/* The members of b, each i as map[i] (NULL: i itself), added to dst. */
void bitset_add_mapped(struct bitset *dst, const struct bitset *src, const uint32_t *map);

int64_t bitset_count(const struct bitset *b);

/* Free b's words; b is then empty. */
void bitset_clear(struct bitset *b);

#endif
