/*
 * persons.c - a u64dict from ID to index, plus payment marks; see persons.h.
 */
#include <stdlib.h>
#include <string.h>

#include "util/dict.h"
#include "persons.h"
#include "util/xalloc.h"

struct persons {
	struct u64dict *ids;
	uint64_t *marks[2]; /* per index, per year slot */
	size_t mcap;
};

struct persons *persons_new(void)
{
	struct persons *p = xcalloc(1, sizeof(*p));

	p->ids = u64dict_new();
	return p;
}

void persons_free(struct persons *p)
{
	if (p == NULL)
		return;
	u64dict_free(p->ids);
	free(p->marks[0]);
	free(p->marks[1]);
	free(p);
}

uint32_t persons_index(struct persons *p, uint64_t id)
{
	return u64dict_index(p->ids, id);
}

bool persons_mark(struct persons *p, uint32_t index, int slot, unsigned bit)
{
	uint64_t b = 1ull << (bit & 63);

	if (index >= p->mcap) {
		size_t old = p->mcap, cap = old ? old : 1024;

		while (cap <= index)
			cap *= 2;
		for (int k = 0; k < 2; k++) {
			/* a year's marks exist only once a row of that year came */
			if (p->marks[k] == NULL)
				continue;
			p->marks[k] = xrealloc(p->marks[k], cap * sizeof(uint64_t));
			memset(p->marks[k] + old, 0, (cap - old) * sizeof(uint64_t));
		}
		p->mcap = cap;
	}
	if (p->marks[slot] == NULL)
		p->marks[slot] = xcalloc(p->mcap, sizeof(uint64_t));
	if (p->marks[slot][index] & b)
		return false;
	p->marks[slot][index] |= b;
	return true;
}

size_t persons_count(const struct persons *p)
{
	return u64dict_count(p->ids);
}
