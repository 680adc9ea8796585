/*
 * bigmem.c - big zeroed arrays on huge pages; see bigmem.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "bigmem.h"
#include "xalloc.h"

#define HUGE_PAGE ((size_t)2 << 20)
/*
 * From a huge page up: a smaller array would take a whole one.  Which of
 * malloc and mmap an array came from follows from its size alone, so
 * big_free must be given the size big_calloc was.
 */
#define BIG_MIN HUGE_PAGE

static size_t rounded(size_t bytes)
{
	return (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

void *big_calloc(size_t bytes)
{
	size_t len, head;
	char *map;
	uintptr_t at;

	if (bytes < BIG_MIN)
		return xcalloc(1, bytes);
	if (bytes > SIZE_MAX - 2 * HUGE_PAGE)
		xalloc_failed(bytes);
	/* a huge page must start on a 2 MB boundary: map one more, trim both ends */
	len = rounded(bytes);
	map =
	    mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		xalloc_failed(bytes);
	at = ((uintptr_t)map + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	head = at - (uintptr_t)map;
	if (head > 0)
		munmap(map, head);
	munmap((char *)at + len, HUGE_PAGE - head);
	/* advice: where THP is off, these are plain pages */
	(void)madvise((void *)at, len, MADV_HUGEPAGE);
	return (void *)at;
}

void big_free(void *p, size_t bytes)
{
	if (p == NULL)
		return;
	if (bytes < BIG_MIN)
		free(p);
	else
		munmap(p, rounded(bytes));
}
