/*
 * test_bitset.c - windowed bitmaps (src/engine/bitset.c) against a plain
 * array of flags: members added in rising, falling and scattered order
 * (the window grows up, down and both ways), unions of sets whose windows
 * overlap or lie apart, members added through a map, counts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/bitset.h"

#define SPAN 20000

/* b holds exactly the indexes flagged in want[0..SPAN). */
static void expect_members(const struct bitset *b, const bool *want)
{
	int64_t n = 0;

	for (size_t i = 0; i < SPAN; i++) {
		size_t w = i >> 6;
		bool in = w >= b->first && w < b->first + b->nwords &&
			  (b->words[w - b->first] >> (i & 63) & 1);

		assert_int_equal(in, want[i]);
		n += want[i];
	}
	assert_int_equal(bitset_count(b), n);
}

/* A small generator of its own: the same sequence on every machine. */
static uint32_t next(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

static void test_orders(void **state)
{
	static bool want[SPAN];
	uint64_t seed = 7;

	(void)state;
	for (int order = 0; order < 3; order++) {
		struct bitset b = BITSET_INIT;

		memset(want, 0, sizeof(want));
		for (uint32_t k = 0; k < 3000; k++) {
			uint32_t i = order == 0   ? 5000 + k * 3
				     : order == 1 ? 15000 - k * 3
						  : next(&seed) % SPAN;

			bitset_add(&b, i);
			want[i] = true;
		}
		expect_members(&b, want);
		bitset_clear(&b);
		assert_int_equal(bitset_count(&b), 0);
	}
}

static void test_union_and_map(void **state)
{
	static bool want[SPAN];
	static uint32_t map[SPAN];
	struct bitset a = BITSET_INIT, b = BITSET_INIT, c = BITSET_INIT, e = BITSET_INIT;

	(void)state;
	memset(want, 0, sizeof(want));
	for (uint32_t i = 100; i < 300; i += 7) { /* a low window */
		bitset_add(&a, i);
		want[i] = true;
	}
	for (uint32_t i = 18000; i < 19000; i += 11) { /* far above it */
		bitset_add(&b, i);
		want[i] = true;
	}
	bitset_or(&a, &b);
	bitset_or(&a, &e); /* the empty set changes nothing */
	expect_members(&a, want);
	/* through a map: i -> SPAN - 1 - i */
	for (uint32_t i = 0; i < SPAN; i++)
		map[i] = SPAN - 1 - i;
	bitset_add_mapped(&c, &a, map);
	for (size_t i = 0; i < SPAN / 2; i++) {
		bool t = want[i];

		want[i] = want[SPAN - 1 - i];
		want[SPAN - 1 - i] = t;
	}
	expect_members(&c, want);
	bitset_clear(&a);
	bitset_clear(&b);
	bitset_clear(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_orders),
	    cmocka_unit_test(test_union_and_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
