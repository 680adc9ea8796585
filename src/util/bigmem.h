/*
 * bigmem.h - zeroed arrays of a megabyte and more, on huge pages where the
 * kernel allows it.
 *
 * The persons' dictionaries and payment marks of a city are megabytes
 * each, looked up at random.  On 4 KB pages each costs a page fault per
 * page as it grows (a few microseconds each on a virtual machine: a tenth
 * of a repeat query) and a TLB miss per look-up; on 2 MB pages (THP, which
 * Debian's kernels grant on request: "madvise") a fault per 2 MB and few
 * misses.  Arrays smaller than a huge page come from malloc as usual.
 * Like xalloc, a failure exits.  Callers compute the size themselves:
 * they keep their capacities far below an overflow (a dictionary's are
 * 32-bit indexes).
 *
 *	uint64_t *keys = big_calloc(cap * sizeof(uint64_t));
 *	...
 *	big_free(keys, cap * sizeof(uint64_t));	// the same size
 */
#ifndef CIVREPORT_BIGMEM_H
#define CIVREPORT_BIGMEM_H

#include <stddef.h>

void *big_calloc(size_t bytes);
void big_free(void *p, size_t bytes);

#endif
