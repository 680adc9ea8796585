/*
 * persons.c - a u64dict from ID to index, plus payment marks; see persons.h.
 */
#include <stdlib.h>
#include <string.h>

#include "util/bigmem.h"
#include "util/dict.h"
#include "persons.h"
#include "util/xalloc.h"

struct persons {
	struct u64dict *ids;
	/*
	 * The last ID asked for and its index: an export lists a person's
	 * months one after the other, so most rows skip the hash look-up.
	 */
	uint64_t last_id;
	uint32_t last_index;
	bool have_last;
	uint64_t **marks; /* per year slot, per index; NULL until the slot's first row */
	size_t nslots;
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
	for (size_t k = 0; k < p->nslots; k++)
		big_free(p->marks[k], p->mcap * sizeof(uint64_t));
	free(p->marks);
	free(p);
}

uint32_t persons_index(struct persons *p, uint64_t id)
{
	if (!p->have_last || p->last_id != id) {
		p->last_index = u64dict_index(p->ids, id);
		p->last_id = id;
		p->have_last = true;
	}
	return p->last_index;
}

void persons_prefetch(const struct persons *p, uint64_t id)
{
	u64dict_prefetch(p->ids, id);
}

bool persons_mark(struct persons *p, uint32_t index, size_t slot, unsigned bit)
{
	uint64_t b = 1ull << (bit & 63);

	if (index >= p->mcap) {
		size_t old = p->mcap, cap = old ? old : 1024;

		while (cap <= index)
			cap *= 2;
		for (size_t k = 0; k < p->nslots; k++) {
			uint64_t *marks;

			/* a year's marks exist only once a row of that year came */
			if (p->marks[k] == NULL)
				continue;
			marks = big_calloc(cap * sizeof(uint64_t));
			memcpy(marks, p->marks[k], old * sizeof(uint64_t));
			big_free(p->marks[k], old * sizeof(uint64_t));
			p->marks[k] = marks;
		}
		p->mcap = cap;
	}
	if (slot >= p->nslots) {
		p->marks = xrealloc(p->marks, (slot + 1) * sizeof(*p->marks));
		memset(p->marks + p->nslots, 0, (slot + 1 - p->nslots) * sizeof(*p->marks));
		p->nslots = slot + 1;
	}
	if (p->marks[slot] == NULL)
		p->marks[slot] = big_calloc(p->mcap * sizeof(uint64_t));
	if (p->marks[slot][index] & b)
		return false;
	p->marks[slot][index] |= b;
	return true;
}

size_t persons_count(const struct persons *p)
{
	return u64dict_count(p->ids);
}
