/*
 * book_xls_sst.c - refuse, before libfreexl parses it, an .xls whose
 * shared-string table libfreexl 1.0.6 misreads (book_impl.h).
 *
 * libfreexl's parse_SST assumes that a string split across a record
 * boundary ends in the next CONTINUE record: a string spanning three or
 * more records (some 8,000 Chinese characters in one cell) makes it copy
 * the rest of the string from past its record buffer (a heap over-read
 * that AddressSanitizer stops in freexl_open), and rich-text or phonetic
 * data spilling into the next record is read as the next strings.  Either
 * way cells would read garbage, so such a workbook is refused instead.
 *
 * The file is read as far as that needs: the compound file's FAT and
 * directory, the "Workbook" stream, its SST record and the CONTINUE
 * records after it.  A file this reader cannot follow is left to
 * libfreexl, which then fails on it or reads it as it would anyway: only
 * the one pattern above is refused.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "book_impl.h"

#define FREE_SECT     0xffffffffu
#define BIFF_SST      0x00fc
#define BIFF_CONTINUE 0x003c

struct cfb {
	const unsigned char *b;
	size_t len;
	size_t ss;     /* sector size */
	uint32_t *fat; /* sector -> next sector */
	size_t nfat;
};

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned u16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* Sector s's bytes, or NULL when it is not in the file. */
static const unsigned char *sector(const struct cfb *c, uint32_t s)
{
	size_t at = ((size_t)s + 1) * c->ss;

	return s < FREE_SECT - 8 && at + c->ss <= c->len ? c->b + at : NULL;
}

/* The FAT from the header's and the DIFAT's list of FAT sectors; false if unreadable. */
static bool load_fat(struct cfb *c)
{
	size_t per = c->ss / 4, nlist = 0, cap = 0, steps = 0;
	uint32_t *list = NULL, next = u32(c->b + 68), ndifat = u32(c->b + 72);

	for (int i = 0; i < 109; i++) {
		list = xgrow(list, &cap, nlist + 1, sizeof(*list));
		list[nlist++] = u32(c->b + 76 + 4 * i);
	}
	for (; ndifat > 0 && next < FREE_SECT - 8; ndifat--) {
		const unsigned char *d = sector(c, next);

		if (d == NULL || ++steps > c->len / c->ss)
			break;
		for (size_t i = 0; i + 1 < per; i++) {
			list = xgrow(list, &cap, nlist + 1, sizeof(*list));
			list[nlist++] = u32(d + 4 * i);
		}
		next = u32(d + c->ss - 4);
	}
	c->nfat = nlist * per;
	c->fat = xmalloc(c->nfat * sizeof(*c->fat));
	for (size_t k = 0; k < nlist; k++) {
		const unsigned char *f = list[k] == FREE_SECT ? NULL : sector(c, list[k]);

		/* a FAT sector missing from the file ends every chain through it */
		for (size_t i = 0; i < per; i++)
			c->fat[k * per + i] = f != NULL ? u32(f + 4 * i) : FREE_SECT;
	}
	free(list);
	return c->nfat > 0;
}

/* The stream starting at sector s, size bytes, copied out; NULL if the chain breaks. */
static unsigned char *stream(const struct cfb *c, uint32_t s, size_t size)
{
	unsigned char *out = xmalloc(size + 1);
	size_t have = 0;

	while (have < size) {
		const unsigned char *d = sector(c, s);
		size_t n = size - have < c->ss ? size - have : c->ss;

		if (d == NULL || s >= c->nfat) {
			free(out);
			return NULL;
		}
		memcpy(out + have, d, n);
		have += n;
		s = c->fat[s];
	}
	return out;
}

/* The "Workbook" stream (BIFF8), or NULL (none, too small to hold the pattern, unreadable). */
static unsigned char *workbook_stream(struct cfb *c, size_t *size)
{
	static const char name[] = "workbook";
	uint32_t s = u32(c->b + 48), cutoff = u32(c->b + 56);
	size_t steps = 0;

	while (s < FREE_SECT - 8 && s < c->nfat && ++steps <= c->len / c->ss) {
		const unsigned char *d = sector(c, s);

		for (size_t e = 0; d != NULL && e + 128 <= c->ss; e += 128) {
			const unsigned char *ent = d + e;
			size_t i;

			if (ent[66] != 2 || u16(ent + 64) != 2 * sizeof(name))
				continue;
			for (i = 0; i < sizeof(name) - 1; i++)
				if ((ent[2 * i] | 0x20) != name[i] || ent[2 * i + 1] != 0)
					break;
			if (i < sizeof(name) - 1)
				continue;
			*size = u32(ent + 120);
			/* a stream in the mini stream is under 4 KiB: no string spans 3 records */
			if (*size < cutoff || *size > c->len)
				return NULL;
			return stream(c, u32(ent + 116), *size);
		}
		if (d == NULL)
			break;
		s = c->fat[s];
	}
	return NULL;
}

struct rec {
	const unsigned char *p;
	size_t len;
};

/*
 * Walk the SST's strings over its records as libfreexl does; false when a
 * string's characters run past the record after the one it starts in, or
 * its header, rich-text runs or phonetic data cross a record's end.
 */
static bool sst_ok(const struct rec *r, size_t nrec)
{
	size_t k = 0, p = 8;
	uint32_t n = r[0].len >= 8 ? u32(r[0].p + 4) : 0;

	for (uint32_t i = 0; i < n; i++) {
		size_t cch, w, head, extra = 0, avail;
		unsigned flags;

		if (p >= r[k].len) { /* the next string starts the next record */
			if (++k >= nrec)
				return true;
			p = 0;
		}
		if (r[k].len - p < 3)
			return false;
		cch = u16(r[k].p + p);
		flags = r[k].p[p + 2];
		w = flags & 1 ? 2 : 1;
		head = 3 + (flags & 8 ? 2 : 0) + (flags & 4 ? 4 : 0);
		if (r[k].len - p < head)
			return false;
		if (flags & 8)
			extra += 4 * (size_t)u16(r[k].p + p + 3);
		if (flags & 4)
			extra += u32(r[k].p + p + 3 + (flags & 8 ? 2 : 0));
		p += head;
		avail = r[k].len - p;
		if (cch * w > avail) {
			/* the rest, after one option byte, must end in the next record */
			size_t done = w == 1 ? avail : avail / 2;

			if (++k >= nrec)
				return false;
			if (r[k].len < 1)
				return false;
			w = r[k].p[0] & 1 ? 2 : 1;
			p = 1 + (cch - done) * w;
			if (p > r[k].len)
				return false;
		} else {
			p += cch * w;
		}
		if (extra > r[k].len - p)
			return false;
		p += extra;
	}
	return true;
}

/* The BIFF stream's SST and its CONTINUE records checked; true when there is none. */
static bool biff_ok(const unsigned char *s, size_t size)
{
	struct rec *r = NULL;
	size_t nrec = 0, cap = 0, at = 0;
	bool ok = true, in_sst = false;

	while (at + 4 <= size) {
		unsigned type = u16(s + at), len = u16(s + at + 2);

		if (at + 4 + len > size)
			break;
		if (type == BIFF_SST || (in_sst && type == BIFF_CONTINUE)) {
			r = xgrow(r, &cap, nrec + 1, sizeof(*r));
			r[nrec++] = (struct rec){s + at + 4, len};
			in_sst = true;
		} else if (in_sst) {
			break;
		}
		at += 4 + (size_t)len;
	}
	if (nrec > 0)
		ok = sst_ok(r, nrec);
	free(r);
	return ok;
}

int book_xls_sst_check(const char *path, char *err, size_t errlen)
{
	struct cfb c = {0};
	unsigned char *buf = NULL, *wbs;
	size_t size = 0, cap = 0;
	FILE *fp = fopen(path, "rb");
	int rc = 0;

	if (fp == NULL)
		return 0; /* libfreexl says why */
	for (;;) {
		size_t n;

		buf = xgrow(buf, &cap, size + 65536, 1);
		n = fread(buf + size, 1, cap - size, fp);
		if (n == 0)
			break;
		size += n;
	}
	fclose(fp);
	c.b = buf;
	c.len = size;
	if (size >= 512 && (u16(buf + 30) == 9 || u16(buf + 30) == 12)) {
		c.ss = (size_t)1 << u16(buf + 30);
		if (load_fat(&c) && (wbs = workbook_stream(&c, &size)) != NULL) {
			if (!biff_ok(wbs, size)) {
				snprintf(
				    err, errlen,
				    "有单元格的文字过长（跨越了3个以上的记录），.xls读取程序无法"
				    "正确读出；请在Excel里把工作簿另存为.xlsx");
				rc = -1;
			}
			free(wbs);
		}
	}
	free(c.fat);
	free(buf);
	return rc;
}
