/*
 * checked.h - integer sums that never wrap.
 *
 * Money is int64 fen and counts are int64: a total past INT64_MAX must
 * stop the run with a clear error, never print a wrapped (negative) figure.
 * Sums made row by row keep a flag and report it at the end of the scan
 * (agg.c); the few sums made after it, over finished figures (table totals,
 * stacked chart values), call checked_sum(), which exits like xalloc's
 * out-of-memory path: the run cannot go on, and the previous outputs stay.
 */
#ifndef CIVREPORT_CHECKED_H
#define CIVREPORT_CHECKED_H

#include <stdbool.h>
#include <stdint.h>

/* *sum += v; false (and *sum unchanged) when the result would not fit. */
static inline bool checked_add(int64_t *sum, int64_t v)
{
	int64_t r;

	if (__builtin_add_overflow(*sum, v, &r))
		return false;
	*sum = r;
	return true;
}

/*
 * a + b, or, when it does not fit, log "合计超出可计算的范围:<what>" and
 * exit with EXIT_DATA (temporary outputs are removed by their atexit hook).
 */
int64_t checked_sum(int64_t a, int64_t b, const char *what);

#endif
