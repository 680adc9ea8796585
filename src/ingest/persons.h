/*
 * persons.h - the dictionary from resident ID to a dense person index, one
 * per dataset, with each person's payments seen (for duplicates).
 *
 * IDs are 64-bit integers, never strings; the index is assigned in order of
 * first appearance, so the same input gives the same indexes.  Memory is
 * about 24 bytes per distinct person, whatever the number of rows.
 */
#ifndef CIVREPORT_PERSONS_H
#define CIVREPORT_PERSONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct persons;

struct persons *persons_new(void);
void persons_free(struct persons *p);

/* The index of id, adding it when new. */
uint32_t persons_index(struct persons *p, uint64_t id);

/* persons_index(p, id) will come soon: load its place (u64dict_prefetch). */
void persons_prefetch(const struct persons *p, uint64_t id);

/*
 * Mark payment bit (0..63: category x 12 + month - 1) of the person in the
 * given year slot (the year's place among the years checked, from 0).
 * Returns false when it was already marked: a duplicate payment.  A year's
 * marks take 8 bytes per person, allocated when its first row comes.
 */
bool persons_mark(struct persons *p, uint32_t index, size_t slot, unsigned bit);

size_t persons_count(const struct persons *p);

#endif
