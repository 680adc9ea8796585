/*
 * ingest.c - the reading half of ingest: find the files, recognise each
 * one's dataset from its header, cut it into chunks for the workers
 * (ingest_pool.c), and admit the parsed chunks strictly in order.
 *
 * Admission is the only step that sees rows of several chunks, so it is where
 * a row becomes a person (a dense index per dataset) and where duplicate
 * payments are caught; doing it in (file, line) order is what makes results
 * independent of the number of threads.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <malloc.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"
#include "ingest_cache.h"
#include "ingest_chunk.h"
#include "ingest_pool.h"
#include "mask.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "ingest_shard.h"
#include "persons.h"
#include "util/sha256.h"
#include "util/testhook.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "book.h"

/*
 * A header wider than a spreadsheet can be (Excel's 16,384 columns), or a
 * header line over 1 MiB, is not an export: the file is refused.  Nothing
 * else about a file's width is limited.
 */
#define MAX_HEADER_FIELDS 16384
#define MAX_HEADER_BYTES  (1u << 20)

static size_t chunk_bytes = CHUNK_BYTES;
static size_t max_record_bytes = CHUNK_MAX_RECORD_BYTES;

void ingest_set_chunk_sizes(size_t chunk, size_t max_record)
{
	chunk_bytes = chunk > 0 ? chunk : CHUNK_BYTES;
	max_record_bytes = max_record > 0 ? max_record : CHUNK_MAX_RECORD_BYTES;
	chunk_set_max_record_bytes(max_record);
}

/* ------------------------------------------------------------- headers */

static const char *encoding_name(enum file_encoding e)
{
	switch (e) {
	case ENC_UTF8:
		return "UTF-8";
	case ENC_UTF8_BOM:
		return "UTF-8 (BOM)";
	case ENC_GB18030:
		return "GB18030";
	}
	return "?";
}

/* Multibyte UTF-8 characters outnumber invalid bytes ten to one. */
static bool utf8_mostly_valid(const char *buf, size_t len)
{
	size_t i = 0, good = 0, bad = 0;

	while (i < len) {
		size_t v = utf8_valid_prefix(buf + i, len - i);

		for (size_t k = i; k < i + v; k++)
			good += ((unsigned char)buf[k] & 0xC0) == 0xC0;
		i += v;
		if (i < len) {
			bad++;
			i++;
		}
	}
	return good >= 10 * bad && good > 0;
}

static bool has_non_ascii(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)buf[i] >= 0x80)
			return true;
	return false;
}

static uint64_t header_extent(const char *raw, size_t avail, size_t *rawlen);

/*
 * Valid UTF-8 first, else GB18030; never the reverse (GB18030 decodes
 * anything).  The header decides: it is what the export wrote first, and a
 * GB18030 row appended later must not turn a UTF-8 file into mojibake (its
 * own bytes are rejected, line by line).  Only an all-ASCII header leaves
 * the choice to the first lines that are not ASCII.
 */
static enum file_encoding detect_encoding(const char *buf, size_t len, bool at_eof,
					  const char *forced)
{
	size_t valid, hlen;

	if (forced != NULL && strcasecmp(forced, "gb18030") == 0)
		return ENC_GB18030;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		return ENC_UTF8_BOM;
	if (forced != NULL && (strcasecmp(forced, "utf-8") == 0 || strcasecmp(forced, "utf8") == 0))
		return ENC_UTF8;
	header_extent(buf, len, &hlen);
	if (hlen < len || at_eof) {
		/* a complete header: judge by it when it says anything */
		if (has_non_ascii(buf, hlen))
			return utf8_valid_prefix(buf, hlen) == hlen ? ENC_UTF8 : ENC_GB18030;
		/* an ASCII header: the first line with other bytes decides */
		for (size_t pos = hlen, next; pos < len; pos = next) {
			const char *lf = memchr(buf + pos, '\n', len - pos);
			next = lf ? (size_t)(lf - buf) + 1 : len;
			if (next == len && !at_eof)
				break; /* may end inside a character */
			if (has_non_ascii(buf + pos, next - pos))
				return utf8_valid_prefix(buf + pos, next - pos) == next - pos
					   ? ENC_UTF8
					   : ENC_GB18030;
		}
	}
	/* the sample may end inside a character: drop that character's bytes */
	valid = utf8_valid_prefix(buf, len);
	if (!at_eof && valid < len && len - valid < 4 &&
	    utf8_valid_prefix(buf + valid, len - valid) == 0 && (unsigned char)buf[valid] >= 0xC2) {
		size_t need = (unsigned char)buf[valid] >= 0xF0   ? 4
			      : (unsigned char)buf[valid] >= 0xE0 ? 3
								  : 2;
		if (len - valid < need)
			len = valid;
	}
	if (valid == len)
		return ENC_UTF8;
	/*
	 * A few bad bytes in otherwise Chinese UTF-8 are damage, not GB18030:
	 * GB18030 text read as UTF-8 is invalid almost everywhere.
	 */
	return utf8_mostly_valid(buf, len) ? ENC_UTF8 : ENC_GB18030;
}

static char *to_utf8(const char *buf, size_t len)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	size_t cap = len * 2 + 8, inleft = len, outleft = cap;
	char *out = xmalloc(cap + 1), *in = (char *)buf, *o = out;

	while (inleft > 0 && iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
		if (errno == E2BIG)
			break;
		in++; /* an invalid byte in a header: drop it, the match will fail */
		inleft--;
	}
	iconv_close(cd);
	*o = '\0';
	return out;
}

/* ------------------------------------------------------------ the run */

struct open_file {
	int fd;                      /* a CSV's; -1 for a worksheet or an entry from the cache */
	struct cache_reader *reader; /* the entry's chunks come from the cache (r->readers) */
	struct book *book;           /* a worksheet's rows come from here (the run's) */
	char *book_error;            /* why the workbook could not be read on, or NULL */
	size_t index;
	struct file_plan plan;
	EVP_MD_CTX *sha;
	char *pending; /* bytes read but not yet handed out */
	size_t plen, pcap;
	uint64_t offset; /* file offset of pending[0] */
	bool eof;
	int64_t size; /* at open; a file that ends elsewhere changed under us */
	int64_t bytes_read;
	uint64_t header_lines;
};

struct run {
	const struct schema *schema;
	const struct ingest_options *opt;
	const struct ingest_sink *sink;
	struct ingest_result *res;
	struct ingest_listing found;
	char (*prehash)[65]; /* per path: SHA-256 taken before reading, or "" */
	size_t nfiles;       /* entries (res->files): a CSV, or a worksheet of a workbook */
	size_t *src;         /* per entry: its path in found */
	long *sheet;         /* per entry: the worksheet's index in its workbook, or -1 */
	size_t *first;       /* per path: its first entry */
	int64_t *stamp;      /* per path: a workbook's mtime (ns) when its sheets were listed */
	struct book *book;   /* the workbook being read, path found.paths[book_src] */
	size_t book_src;
	int32_t today;
	size_t next_file;
	struct open_file *cur;
	struct file_plan **plans; /* per entry, kept until the end */
	struct shard *shards;     /* persons by ID hash (ingest_shard.h) */
	unsigned nshards;
	bool sharded;                /* the shards admit on the pool's threads */
	struct chunk_parser *parser; /* the admitting thread's, for merged chunks */
	struct chunk *stash;         /* read ahead by read_next_now, for another file */
	uint64_t *line_base;         /* per entry: lines before the next chunk */
	uint64_t *head_lines;        /* per entry: lines of the header and the rows above it */
	size_t seq;
	int status;
	uint64_t bytes_total, bytes_done;
	uint64_t rows;
	struct timespec started, last_progress;
	/* the parse cache (ingest_cache.h), NULL when off */
	struct cache *cache;
	struct stat *src_st;           /* per path: its stat when read (or looked up) */
	int64_t *src_seen;             /* per path: CLOCK_REALTIME ns before that */
	bool *src_moved;               /* per path: its stat changed while it was read */
	struct cache_reader **readers; /* per entry: its cached parse being admitted */
	struct cache_writer **writers; /* per entry: its parse being written */
	char **head_warning;           /* per entry: its warning once the header was read */
	bool *from_cache, *parsed;     /* per entry: for the log's summary */
	bool *damage_noted;            /* per entry: its damaged cache was logged */
};

static void hex(const unsigned char *md, char out[65])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[64] = '\0';
}

static void file_error(struct run *r, size_t index, char *msg);

static int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Whether a's identity (device, inode, size, times) is b's. */
static bool same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       mtime_ns(a) == mtime_ns(b) && a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* CLOCK_REALTIME, the clock of file times (ingest_cache.h: the racy rule). */
static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * A workbook is hashed when its sheets are listed and read later, sheet by
 * sheet: a workbook saved again in between is refused, as a CSV is when its
 * bytes differ from its hash.
 */
#define BOOK_CHANGED "文件在读取过程中被修改；请在导出完成后重新运行"

/* Whether entry index is a worksheet whose workbook is no longer the one listed. */
static bool book_changed(const struct run *r, size_t index)
{
	size_t src;
	char *full;
	struct stat st;
	bool changed;

	if (r->sheet == NULL || r->sheet[index] < 0)
		return false;
	src = r->src[index];
	full = xasprintf("%s/%s", r->opt->input_dir, r->found.paths[src]);
	changed = stat(full, &st) != 0 || st.st_size != r->found.size[src] ||
		  mtime_ns(&st) != r->stamp[src];
	free(full);
	return changed;
}

static void book_unchanged(struct run *r, size_t index)
{
	if (r->res->files[index].error == NULL && book_changed(r, index))
		file_error(r, index, xstrdup(BOOK_CHANGED));
}

static void close_file(struct run *r)
{
	struct open_file *f = r->cur;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;

	if (f == NULL)
		return;
	if (f->reader != NULL) {
		/* from the cache: nothing was opened (the reader stays for admission) */
		if (r->sheet[f->index] >= 0 &&
		    (f->index + 1 == r->nfiles || r->src[f->index + 1] != r->src[f->index]))
			r->bytes_done += (uint64_t)r->found.size[r->src[f->index]];
		free(f->pending);
		free(f);
		r->cur = NULL;
		return;
	}
	if (f->book != NULL) {
		book_unchanged(r, f->index);
		if (f->index + 1 == r->nfiles || r->src[f->index + 1] != r->src[f->index])
			r->bytes_done += (uint64_t)r->found.size[r->src[f->index]];
		free(f->book_error);
		free(f->pending);
		free(f);
		r->cur = NULL;
		return;
	}
	EVP_DigestFinal_ex(f->sha, md, &mdlen);
	hex(md, r->res->files[f->index].sha256);
	EVP_MD_CTX_free(f->sha);
	/* hashed before reading (same_content): the bytes read must be those */
	if (f->eof && r->prehash[r->src[f->index]][0] && r->res->files[f->index].error == NULL &&
	    strcmp(r->prehash[r->src[f->index]], r->res->files[f->index].sha256) != 0)
		file_error(r, f->index, xstrdup("文件在读取过程中被修改；请在导出完成后重新运行"));
	if (r->cache != NULL) {
		/* the parse is the content's only if nothing moved while it was read */
		struct stat st;

		if (fstat(f->fd, &st) != 0 || !same_stat(&st, &r->src_st[r->src[f->index]]))
			r->src_moved[r->src[f->index]] = true;
	}
	close(f->fd);
	free(f->pending);
	free(f);
	r->cur = NULL;
}

/* A worksheet's next rows as CSV lines (workbook.h), appended to pending. */
static int fill_book(struct open_file *f, size_t want)
{
	struct strbuf rows = {f->pending, f->plen, f->pcap};
	char err[512];
	int rc = book_read(f->book, &rows, want, err, sizeof(err));

	f->pending = rows.buf;
	f->plen = rows.len;
	f->pcap = rows.cap;
	if (rc < 0) {
		free(f->book_error);
		f->book_error = xstrdup(err);
		return -1;
	}
	f->eof = rc == 0;
	return 0;
}

/* Why f could not be read: the workbook's reason, or the system's (malloc'd). */
static char *read_error(const struct open_file *f)
{
	return f->book_error ? xstrdup(f->book_error)
			     : xasprintf("读取文件失败：%s", strerror(errno));
}

static int fill(struct open_file *f, size_t want)
{
	while (f->book != NULL && !f->eof && f->plen < want)
		if (fill_book(f, want) != 0)
			return -1;
	while (!f->eof && f->plen < want) {
		ssize_t n;

		/* exactly up to want: where chunks are cut depends on nothing else */
		f->pending = xgrow(f->pending, &f->pcap, want, 1);
		n = read(f->fd, f->pending + f->plen, want - f->plen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			f->eof = true;
		f->bytes_read += n;
		EVP_DigestUpdate(f->sha, f->pending + f->plen, (size_t)n);
		f->plen += (size_t)n;
	}
	return 0;
}

static void file_error(struct run *r, size_t index, char *msg)
{
	struct ingest_file *file = &r->res->files[index];
	char *name = ingest_file_label(file);

	/*
	 * a workbook saved again while read fails as a damaged zip or XML:
	 * the officer must hear that it changed, not that a good file is bad
	 */
	if (book_changed(r, index) && strcmp(msg, BOOK_CHANGED) != 0) {
		free(msg);
		msg = xstrdup(BOOK_CHANGED);
	}
	free(file->error);
	file->error = msg;
	r->status = 1;
	log_error("%s: %s", name, msg);
	free(name);
}

/*
 * The raw bytes of the header record: leading blank lines (empty, or of
 * spaces and tabs), then up to the
 * first line end outside quotes (CRLF, LF or CR).  Works on GB18030 bytes
 * too, where '"' and line ends never occur inside a character.  Returns the
 * physical lines it spans.
 */
static uint64_t header_extent(const char *raw, size_t avail, size_t *rawlen)
{
	size_t i = 0;
	uint64_t lines = 0;
	bool quoted = false;

	/* blank lines, also of spaces and tabs: the header parser skips those too */
	for (;;) {
		size_t j = i;

		while (j < avail && (raw[j] == ' ' || raw[j] == '\t'))
			j++;
		if (j >= avail || (raw[j] != '\n' && raw[j] != '\r'))
			break;
		if (raw[j] == '\r' && j + 1 < avail && raw[j + 1] == '\n')
			j++;
		lines++;
		i = j + 1;
	}
	while (i < avail) {
		char ch = raw[i++];

		if (ch == '"') {
			quoted = !quoted;
		} else if (ch == '\n') {
			lines++;
			if (!quoted)
				break;
		} else if (ch == '\r' && !quoted) {
			if (i < avail && raw[i] == '\n')
				i++;
			lines++;
			break;
		}
	}
	*rawlen = i;
	return lines;
}

/*
 * The header of f: the first of its first MAX_LEAD_ROWS records that names
 * a dataset's columns, the rows above it (titles, units, blank rows: rows
 * naming no column at all) skipped and counted in *titles.  *hdr walks the
 * UTF-8 text, *skip the raw bytes, in step.  Sets f->plan, f->header_lines
 * and moves the pending bytes past the header.  Returns NULL, or why the
 * file cannot be read: the first row's reason when no row is a header.
 */
static char *read_header(struct run *r, struct open_file *f, struct ingest_file *file,
			 const char **hdr, size_t *skip, size_t *titles)
{
	char *first = NULL, *msg = NULL, **fields = NULL;
	size_t nfields = 0, rawlen = 0;
	uint64_t lines = 0, lead = 0;

	for (;;) {
		long hlen = chunk_parse_header(*hdr, strlen(*hdr), &fields, &nfields);
		bool none_known = false;

		if (hlen <= 0) {
			msg = hlen < 0 ? xstrdup("表头格式错误（引号不匹配）")
			      : f->plen > MAX_HEADER_BYTES
				  ? xasprintf("表头行超过%u MB，不像导出的表格文件",
					      MAX_HEADER_BYTES >> 20)
				  : xstrdup("找不到完整的表头行");
			break;
		}
		if (nfields > MAX_HEADER_FIELDS) {
			msg = xasprintf("表头有%zu列，超过表格软件最多的%u列，不像导出的表格文件",
					nfields, MAX_HEADER_FIELDS);
			break;
		}
		lines = header_extent(f->pending + *skip, f->plen - *skip, &rawlen);
		msg = ingest_recognise(r->schema, file->path, fields, nfields, &f->plan,
				       &file->warning, &none_known);
		if (msg == NULL || !none_known || *titles + 1 >= MAX_LEAD_ROWS ||
		    *skip + rawlen >= f->plen)
			break;
		/* a row above the header: a title, a unit line, a merged cell */
		if (first == NULL)
			first = msg;
		else
			free(msg);
		msg = NULL;
		for (size_t i = 0; i < nfields; i++)
			free(fields[i]);
		free(fields);
		fields = NULL;
		nfields = 0; /* a failing parse of the next row leaves both as they are */
		(*titles)++;
		lead += lines;
		*hdr += hlen;
		*skip += rawlen;
	}
	for (size_t i = 0; i < nfields; i++)
		free(fields[i]);
	free(fields);
	if (msg != NULL) {
		/* no header in the first rows: what is wrong with the first one */
		if (first != NULL) {
			free(msg);
			msg = first;
		}
		return msg;
	}
	free(first);
	f->header_lines = lead + lines;
	memmove(f->pending, f->pending + *skip + rawlen, f->plen - *skip - rawlen);
	f->plen -= *skip + rawlen;
	f->offset = *skip + rawlen;
	if (*titles > 0) {
		char *w = xasprintf("跳过了表头之前的%zu行（标题、单位等，不是数据）%s%s", *titles,
				    file->warning ? "；" : "", file->warning ? file->warning : "");
		free(file->warning);
		file->warning = w;
	}
	return NULL;
}

/* Whether raw holds n complete records (the last one ended by a line end). */
static bool has_records(const char *raw, size_t avail, size_t n)
{
	size_t at = 0, len;

	for (size_t k = 0; k < n; k++) {
		header_extent(raw + at, avail - at, &len);
		if (len == 0 || at + len >= avail)
			return false;
		at += len;
	}
	return true;
}

/*
 * Entry index's worksheet selected in the run's workbook (opened, or kept
 * open from the entry before: a workbook's sheets are read one after the
 * other); f reads it.  false with the file's error set.
 */
static bool open_sheet(struct run *r, size_t index, struct open_file *f)
{
	size_t src = r->src[index];
	char err[512];

	if (r->book == NULL || r->book_src != src) {
		char *full = xasprintf("%s/%s", r->opt->input_dir, r->found.paths[src]);

		book_close(r->book);
		r->book = book_open(full, err, sizeof(err));
		r->book_src = src;
		free(full);
		if (r->book == NULL) {
			file_error(r, index, xstrdup(err));
			return false;
		}
	}
	if (book_select(r->book, (size_t)r->sheet[index], err, sizeof(err)) != 0) {
		file_error(r, index, xstrdup(err));
		return false;
	}
	f->fd = -1;
	f->book = r->book;
	f->size = r->found.size[src];
	return true;
}

/* Open entry index's CSV file for f; false with the file's error set. */
static bool open_csv(struct run *r, size_t index, struct open_file *f)
{
	struct ingest_file *file = &r->res->files[index];
	char *full = xasprintf("%s/%s", r->opt->input_dir, file->path);
	struct stat st;
	int64_t seen = now_ns(); /* before the file is read: the racy rule */

	f->fd = open(full, O_RDONLY | O_CLOEXEC);
	free(full);
	if (f->fd < 0 || fstat(f->fd, &st) != 0) {
		file_error(r, index, xasprintf("无法打开文件：%s", strerror(errno)));
		if (f->fd >= 0)
			close(f->fd);
		return false;
	}
	if (r->cache != NULL) {
		r->src_st[r->src[index]] = st;
		r->src_seen[r->src[index]] = seen;
	}
	file->size = st.st_size;
	f->size = st.st_size;
	f->sha = EVP_MD_CTX_new();
	EVP_DigestInit_ex(f->sha, EVP_sha256(), NULL);
	return true;
}

/*
 * The rest of f's plan (the run's period and date) once its header is
 * known, read or from the cache; its warning logged.
 */
static void plan_ready(struct run *r, size_t index, struct open_file *f)
{
	struct ingest_file *file = &r->res->files[index];
	char *name;

	f->plan.period = r->opt->period;
	f->plan.prev = period_prev_year(&r->opt->period);
	f->plan.last = period_last(&r->opt->period);
	f->plan.span_first =
	    f->plan.prev.first < f->plan.last.first ? f->plan.prev.first : f->plan.last.first;
	f->plan.today = r->today;
	f->plan.decode = CHUNK_ALL_COLUMNS;
	if (r->opt->columns != NULL && f->plan.ds != NULL) {
		const struct dataset *ds = f->plan.ds;

		/* what the sink reads, and what admission does: IDs, windows, duplicates */
		f->plan.decode = r->opt->columns[ds - r->schema->sets] | 1ull << ds->period;
		if (ds->person >= 0)
			f->plan.decode |= 1ull << ds->person;
		if (ds->unique_enum >= 0)
			f->plan.decode |= 1ull << ds->unique_enum;
	}
	file->ds = f->plan.ds;
	name = ingest_file_label(file);
	if (file->warning != NULL)
		log_warn("%s: %s", name, file->warning);
	free(name);
	r->plans[index] = xmalloc(sizeof(struct file_plan));
	*r->plans[index] = f->plan;
	r->line_base[index] = f->header_lines;
	if (r->head_lines != NULL)
		r->head_lines[index] = f->header_lines;
}

/*
 * Entry index from the parse cache, when it holds the parse of this
 * content for this run (ingest_cache.h): f hands out the cached chunks.
 */
static bool open_cached(struct run *r, size_t index, struct open_file *f)
{
	size_t src = r->src[index];
	struct ingest_file *file = &r->res->files[index];
	struct cache_meta m;
	struct cache_reader *rd;
	char *label;

	if (r->cache == NULL || !r->prehash[src][0])
		return false;
	label = ingest_file_label(file);
	rd = cache_read(r->cache, file->path, r->sheet[index], file->sheet, label, r->prehash[src],
			r->today, r->schema, &m);
	free(label);
	if (rd == NULL)
		return false;
	f->fd = -1;
	f->reader = r->readers[index] = rd;
	f->size = r->found.size[src];
	f->plan.ds = &r->schema->sets[m.ds];
	f->plan.encoding = m.encoding;
	f->plan.field_col = m.field_col;
	f->plan.nfields = m.nfields;
	f->plan.workbook = m.workbook;
	f->header_lines = m.header_lines;
	file->encoding = m.encoding_name;
	file->warning = m.warning;
	if (r->sheet[index] < 0)
		file->size = r->src_st[src].st_size;
	memcpy(file->sha256, r->prehash[src], sizeof(file->sha256));
	r->head_warning[index] = m.warning ? xstrdup(m.warning) : NULL;
	r->from_cache[index] = file->cached = true;
	return true;
}

/* Open the next file and read its header; false when there is none left. */
static bool open_next(struct run *r)
{
	while (r->next_file < r->nfiles) {
		size_t index = r->next_file++;
		struct ingest_file *file = &r->res->files[index];
		struct open_file *f;
		char *text, *msg;
		const char *hdr;
		size_t skip, title_rows = 0;
		/* enough for the header and for telling the encoding; less in chunk tests */
		size_t sample = chunk_bytes < 64 * 1024 ? chunk_bytes : 64 * 1024;

		/* a copy read under another path, or a workbook found unreadable when listed */
		if (file->same_as != NULL || file->error != NULL)
			continue;
		f = xcalloc(1, sizeof(*f));
		f->index = index;
		if (open_cached(r, index, f)) {
			r->cur = f;
			plan_ready(r, index, f);
			return true;
		}
		if (!(r->sheet[index] >= 0 ? open_sheet(r, index, f) : open_csv(r, index, f))) {
			free(f);
			continue;
		}
		r->cur = f;
		if (r->cache != NULL)
			r->parsed[index] = true;
		if (fill(f, sample) != 0) {
			file_error(r, index, read_error(f));
			goto drain;
		}
		if (f->plen == 0) {
			file_error(r, index,
				   xstrdup(f->book ? "工作表是空的（没有表头）"
						   : "文件是空的（没有表头）"));
			goto drain;
		}
		/*
		 * the header may be longer than the sample only in odd files; the
		 * rows above it (read_header) are looked for within what is read
		 */
		while (!f->eof && f->plen <= MAX_HEADER_BYTES &&
		       !has_records(f->pending, f->plen, 1))
			if (fill(f, f->plen + sample) != 0)
				break;
		/* a worksheet's text is UTF-8 whatever --encoding says of the CSV files */
		f->plan.encoding =
		    f->book ? ENC_UTF8
			    : detect_encoding(f->pending, f->plen, f->eof, r->opt->encoding);
		f->plan.workbook = f->book != NULL;
		file->encoding = f->book ? book_kind(f->book) : encoding_name(f->plan.encoding);
		skip = f->plan.encoding == ENC_UTF8_BOM ? 3 : 0;
		text = f->plan.encoding == ENC_GB18030
			   ? to_utf8(f->pending, f->plen)
			   : xstrndup(f->pending + skip, f->plen - skip);
		hdr = text;
		msg = read_header(r, f, file, &hdr, &skip, &title_rows);
		free(text);
		if (msg != NULL) {
			file_error(r, index, msg);
			goto drain;
		}
		if (file->hidden) {
			char *w = xasprintf("是隐藏的工作表，已读取%s%s", file->warning ? "；" : "",
					    file->warning ? file->warning : "");
			free(file->warning);
			file->warning = w;
		}
		plan_ready(r, index, f);
		if (r->cache != NULL) {
			/* what the cache keeps of the header: the warning as it is now */
			r->head_warning[index] = file->warning ? xstrdup(file->warning) : NULL;
			r->writers[index] =
			    cache_write(r->cache, file->path, r->sheet[index], file->sheet);
		}
		return true;
	drain:
		/* still hash the whole file for the record, then move on (a workbook's is) */
		while (f->book == NULL && !f->eof && fill(f, f->plen + chunk_bytes) == 0)
			f->plen = 0;
		r->bytes_done += f->book ? 0 : (uint64_t)file->size;
		close_file(r);
	}
	return false;
}

/* Count '"' in buf[0..len). */
static size_t quotes(const char *buf, size_t len)
{
	size_t n = 0;
	const char *p = buf, *end = buf + len;

	while ((p = memchr(p, '"', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/*
 * The last place at or before end where a line ends in buf[0..len): just
 * after an LF, or after a CR that is followed by something else than an LF.
 * A CR that is the last byte read may be the first half of a CRLF: never cut
 * there, or the LF would start the next chunk as an extra line.  0 when
 * there is none.
 */
static size_t last_line_end(const char *buf, size_t end, size_t len)
{
	for (size_t i = end; i > 0; i--) {
		if (buf[i - 1] == '\n')
			return i;
		if (buf[i - 1] == '\r' && i < len && buf[i] != '\n')
			return i;
	}
	return 0;
}

/*
 * Where to cut pending: just after the last line end (LF, CRLF or a lone
 * CR alike) outside quotes, i.e. with an even number of quotes before it.
 * 0 when there is none yet.  The count is a guess that a stray quote
 * upsets; the parser finds out and the chunk is merged with the next.
 */
static size_t cut_point(const char *buf, size_t len)
{
	size_t q = quotes(buf, len), end = len, cut;

	while ((cut = last_line_end(buf, end, len)) > 0) {
		q -= quotes(buf + cut, end - cut);
		if (q % 2 == 0)
			return cut;
		end = cut - 1; /* before this line end's last byte */
	}
	return 0;
}

/* The next chunk of the current (or next) file, or NULL at the end of input. */
static struct chunk *next_chunk(struct run *r)
{
	for (;;) {
		struct open_file *f;
		struct chunk *c;
		size_t cut;

		if (r->cur == NULL && !open_next(r))
			return NULL;
		f = r->cur;
		if (f->reader != NULL) {
			/* the cached parse, chunk by chunk, as it was cut when parsed */
			c = xcalloc(1, sizeof(*c));
			if (!cache_read_next(f->reader, c)) {
				free(c);
				close_file(r);
				continue;
			}
			c->plan = r->plans[f->index];
			c->file = f->index;
			c->seq = r->seq++;
			if (c->last)
				close_file(r);
			return c;
		}
		if (fill(f, f->plen + chunk_bytes) != 0) {
			file_error(r, f->index, read_error(f));
			close_file(r);
			continue;
		}
		if (f->book == NULL && f->eof && f->bytes_read != f->size) {
			/* the export was still being written, or replaced: its rows can't be
			 * trusted */
			file_error(r, f->index,
				   xasprintf("文件在读取过程中被修改（打开时 %lld 字节，读到 %lld "
					     "字节）；请在导出完成后重新运行",
					     (long long)f->size, (long long)f->bytes_read));
			close_file(r);
			continue;
		}
		cut = f->eof ? f->plen : cut_point(f->pending, f->plen);
		while (cut == 0 && !f->eof && f->plen < max_record_bytes) {
			if (fill(f, f->plen + chunk_bytes) != 0)
				break;
			cut = f->eof ? f->plen : cut_point(f->pending, f->plen);
		}
		if (cut == 0 && !f->eof)
			cut = last_line_end(f->pending, f->plen, f->plen);
		if (cut == 0 && !f->eof) {
			/* never cut inside a line: the parts would be read as two rows */
			file_error(
			    r, f->index,
			    xasprintf("文件中有一行超过%zu字节（没有换行），不像导出的表格文件",
				      max_record_bytes));
			close_file(r);
			continue;
		}
		c = xcalloc(1, sizeof(*c));
		c->plan = r->plans[f->index];
		c->file = f->index;
		c->seq = r->seq++;
		c->encode = r->writers != NULL && r->writers[f->index] != NULL;
		c->offset = f->offset;
		c->last = f->eof && cut == f->plen;
		c->len = cut;
		/*
		 * The chunk takes the read buffer as it is; only the unfinished
		 * record after the cut moves to a new buffer (bytes past c->len
		 * are never looked at).
		 */
		c->data = f->pending;
		f->plen -= cut;
		f->pcap = f->plen + 2 * chunk_bytes;
		f->pending = xmalloc(f->pcap);
		memcpy(f->pending, c->data + cut, f->plen);
		f->offset += cut;
		if (c->last)
			close_file(r);
		if (c->len == 0 && !c->last) {
			chunk_release(c);
			free(c);
			continue;
		}
		return c;
	}
}

/* --------------------------------------------------------- admission */

static void format_value(const struct column *col, int64_t v, const char *text, char *buf,
			 size_t cap)
{
	switch (col->type) {
	case COL_ID: {
		char id[19];
		id_format((uint64_t)v, id);
		mask_id(buf, cap, id, 18);
		break;
	}
	case COL_MONEY:
		snprintf(buf, cap, "%s%lld.%02lld", v < 0 ? "-" : "", llabs(v) / 100,
			 llabs(v) % 100);
		break;
	case COL_INTEGER:
		snprintf(buf, cap, "%lld", (long long)v);
		break;
	case COL_MONTH:
		snprintf(buf, cap, "%04lld-%02lld", (long long)(v / 100), (long long)(v % 100));
		break;
	case COL_DATE:
		snprintf(buf, cap, "%04lld-%02lld-%02lld", (long long)(v / 10000),
			 (long long)(v / 100 % 100), (long long)(v % 100));
		break;
	case COL_ENUM:
		snprintf(buf, cap, "%s", col->values[v]);
		break;
	case COL_TEXT: {
		/* a text column may hold an ID number all the same (mask.h) */
		struct strbuf m = STRBUF_INIT;
		mask_field(&m, col, text + ((uint64_t)v >> 32), (size_t)((uint64_t)v & 0xffffffff));
		snprintf(buf, cap, "%s", m.buf ? m.buf : "");
		strbuf_release(&m);
		break;
	}
	}
}

/*
 * A duplicate is found after typing: rebuild its row from the values
 * (masked), in the file's columns and order like every other reject's row
 * (the schema's columns the file lacks are not there).
 */
static char *row_from_record(const struct file_plan *plan, const int64_t *rec, const char *text)
{
	const struct dataset *ds = plan->ds;
	struct strbuf out = STRBUF_INIT;
	uint64_t present = (uint64_t)rec[REC_PRESENT];
	bool first = true;
	char buf[256];

	for (size_t i = 0; i < plan->nfields; i++) {
		int c = plan->field_col[i];

		if (c < 0)
			continue;
		buf[0] = '\0';
		if (present >> c & 1)
			format_value(&ds->cols[c], rec[REC_HEAD + c], text, buf, sizeof(buf));
		if (!first)
			strbuf_addch(&out, ',');
		first = false;
		if (strpbrk(buf, ",\"\r\n") != NULL) {
			strbuf_addch(&out, '"');
			for (const char *s = buf; *s; s++) {
				if (*s == '"')
					strbuf_addch(&out, '"');
				strbuf_addch(&out, *s);
			}
			strbuf_addch(&out, '"');
		} else {
			strbuf_addstr(&out, buf);
		}
	}
	return strbuf_detach(&out, NULL);
}

/*
 * A worksheet's cell of schema column col on row line, "B52" (the
 * column's first field in the sheet), into buf; "" for a CSV or the
 * whole row.
 */
static void cell_name(const struct run *r, size_t file, uint64_t line, int col, char buf[32])
{
	const struct file_plan *plan = r->plans[file];

	buf[0] = '\0';
	if (r->res->files[file].sheet == NULL || col < 0 || plan == NULL)
		return;
	for (size_t i = 0; i < plan->nfields; i++)
		if (plan->field_col[i] == col) {
			char letters[8];

			book_column_name(i, letters);
			snprintf(buf, 32, "%s%llu", letters, (unsigned long long)line);
			return;
		}
}

/* Where a reject is, for the reasons' table: "a.xlsx 工作表“S” B52", "b.csv 第7行". */
static char *reject_place(const struct ingest_file *f, uint64_t line, const char *cell)
{
	char *name = ingest_file_label(f), *at;

	at = cell[0] ? xasprintf("%s %s", name, cell)
		     : xasprintf("%s 第%llu行", name, (unsigned long long)line);
	free(name);
	return at;
}

static void emit_reject(struct run *r, size_t file, uint64_t line, int col, enum value_error code,
			const char *reason, const char *row)
{
	struct ingest_file *f = &r->res->files[file];
	char cell[32], *shown = ingest_shown_path(f->path);
	struct ingest_reject rej = {
	    .file = shown,
	    .sheet = f->sheet,
	    .ds = f->ds,
	    .line = line,
	    .cell = cell,
	    .column = col >= 0 ? f->ds->cols[col].name : "",
	    .code = code,
	    .reason = reason,
	    .row = row,
	};

	cell_name(r, file, line, col, cell);
	f->rejected++;
	r->res->reasons[code]++;
	if (r->res->first_at[code] == NULL)
		r->res->first_at[code] = reject_place(f, line, cell);
	if (r->sink->reject != NULL)
		r->sink->reject(r->sink->ctx, &rej);
	free(shown);
}

/*
 * Record rec of c with every column: a chunk from the cache holds only the
 * columns the run reads (file_plan.decode), so it is decoded again whole,
 * once, for the rows a reject shows.  NULL when that fails (a forged
 * cache: its checksum held, a value did not).
 */
static const int64_t *whole_record(struct chunk *c, const int64_t *rec, const char **text)
{
	struct chunk *w = c->whole;
	size_t lo = 0, hi;

	*text = c->text;
	if (chunk_holds_all(c))
		return rec;
	if (w == NULL) {
		w = c->whole = xcalloc(1, sizeof(*w));
		w->plan = c->plan;
		w->len = c->len;
		if (chunk_decode(w, c->seg, c->seg_len, CHUNK_ALL_COLUMNS) != 0)
			w->nrecs = 0;
	}
	/* lines increase: the record of rec's line */
	for (hi = w->nrecs; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->recs[mid * w->stride + REC_LINE] < rec[REC_LINE])
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == w->nrecs || w->recs[lo * w->stride + REC_LINE] != rec[REC_LINE])
		return NULL;
	*text = w->text;
	return w->recs + lo * w->stride;
}

/* The reject of a row its shard found to be a duplicate. */
static void emit_duplicate(struct run *r, struct chunk *c, const int64_t *rec)
{
	const struct dataset *ds = c->plan->ds;
	const char *texts;
	const int64_t *whole = whole_record(c, rec, &texts);
	char *text = whole != NULL ? row_from_record(c->plan, whole, texts)
				   : xstrdup("（解析缓存中该行无法读取）");
	char *reason = xasprintf("重复记录：同一身份证号、%s、%s已有一条发放记录",
				 ds->cols[ds->unique_enum].name, ds->cols[ds->period].name);

	emit_reject(r, c->file, c->base + (uint64_t)rec[REC_LINE] + 1, ds->person, VALUE_DUPLICATE,
		    reason, text);
	free(reason);
	free(text);
}

/*
 * The next record of c from ri that emit looks at: when sharded, the next
 * duplicate (the shards counted the others), else every one.
 */
static size_t next_record(const struct run *r, const struct chunk *c, size_t ri)
{
	if (!r->sharded)
		return ri;
	if (c->dup == NULL)
		return c->nrecs;
	while (ri < c->nrecs && !c->dup[ri])
		ri++;
	return ri;
}

/*
 * Record ri of c, which emit looks at: when sharded, a duplicate its shard
 * found; else admitted here (the one shard) and counted.
 */
static void count_record(struct run *r, struct chunk *c, size_t ri)
{
	const int64_t *rec = c->recs + ri * c->stride;
	struct ingest_file *f = &r->res->files[c->file];
	unsigned windows = (unsigned)(rec[REC_SLOT] & 0xff);

	if (r->sharded || !shard_record(&r->shards[0], c, rec)) {
		emit_duplicate(r, c, rec);
	} else if (windows & WINDOW_CUR) {
		f->accepted++;
	} else {
		f->outside++;
		if (windows != 0)
			r->res->has_prev[c->plan->ds - r->schema->sets] = true;
	}
}

static void progress(struct run *r, bool final)
{
	struct timespec now;
	double elapsed, since, rate, left;
	char eta[48];

	if (!r->opt->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	since = (double)(now.tv_sec - r->last_progress.tv_sec) +
		(double)(now.tv_nsec - r->last_progress.tv_nsec) / 1e9;
	if (!final && since < 0.5)
		return;
	r->last_progress = now;
	elapsed = (double)(now.tv_sec - r->started.tv_sec) +
		  (double)(now.tv_nsec - r->started.tv_nsec) / 1e9;
	rate = elapsed > 0 ? (double)r->bytes_done / elapsed / 1e6 : 0;
	left = r->bytes_total > r->bytes_done ? (double)(r->bytes_total - r->bytes_done) / 1e6 : 0;
	/* no estimate before a byte is done (a first workbook counts when its sheets are) */
	if (rate > 0)
		snprintf(eta, sizeof(eta), "，预计剩余 %.0f 秒", left / rate);
	else
		eta[0] = '\0';
	fprintf(stderr, "\r读取中：文件 %zu/%zu，%llu 行，%.0f MB/s%s   %s", r->next_file,
		r->nfiles, (unsigned long long)r->rows, rate, eta, final ? "\n" : "");
}

/* The file's warning for its first line whose bytes are not text, and a log line. */
static void bad_bytes_warning(struct ingest_file *f, uint64_t line, uint64_t base, bool nul)
{
	unsigned long long n = (unsigned long long)(base + line + 1);
	char *msg, *name;

	if (line == UINT64_MAX)
		return;
	msg = nul ? xasprintf("第%llu行起含有NUL（零）字节（文件可能已损坏），相关行已拒收", n)
		  : xasprintf("第%llu行起有不符合%s编码的字节，相关行已拒收", n, f->encoding);
	name = ingest_shown_path(f->path); /* only a CSV has bytes of an encoding */
	log_warn("%s: %s", name, msg);
	free(name);
	if (f->warning == NULL)
		f->warning = msg;
	else
		free(msg);
}

/*
 * The parse cache after c's admission: c's encoding into its entry's file,
 * committed after the last chunk (or dropped when the file had an error
 * or moved while it was read); a CSV read whole is recorded as known.
 */
static void cache_admitted(struct run *r, struct chunk *c)
{
	size_t i = c->file, src = r->src[i];
	struct ingest_file *f = &r->res->files[i];
	struct cache_writer *w = r->writers[i];
	bool good = f->error == NULL && !r->src_moved[src];

	if (w != NULL && !good) {
		cache_write_abort(w);
		r->writers[i] = w = NULL;
	}
	cache_write_chunk(w, c);
	if (!c->last)
		return;
	if (good && r->parsed[i] && r->sheet[i] < 0)
		cache_note_source(r->cache, f->path, &r->src_st[src], r->src_seen[src], f->sha256);
	if (w != NULL) {
		struct cache_meta m = {
		    .ds = (size_t)(c->plan->ds - r->schema->sets),
		    .encoding = c->plan->encoding,
		    .workbook = c->plan->workbook,
		    .field_col = c->plan->field_col,
		    .nfields = c->plan->nfields,
		    .header_lines = r->head_lines[i],
		    .encoding_name = f->encoding,
		    .warning = r->head_warning[i],
		};

		cache_write_commit(w, &m, f->sha256);
		r->writers[i] = NULL;
	}
	cache_read_close(r->readers[i]);
	r->readers[i] = NULL;
}

/*
 * c, parsed and after every chunk before it: its rows to the shards (or,
 * not sharded, to emit's loop) unless its file already has an error, which
 * its own errors then give it.  In order, so c->base is its first line.
 */
static void place(struct run *r, struct ingest_pool *pool, struct chunk *c)
{
	struct ingest_file *f = &r->res->files[c->file];
	const struct dataset *ds = c->plan->ds;

	if (c->merged)
		return;
	c->base = r->line_base[c->file];
	r->line_base[c->file] = c->base + c->lines;
	if (f->error != NULL)
		return;
	c->admitted = true;
	if (r->sharded) {
		if (ds->person >= 0 && ds->unique_enum >= 0 && c->nrecs > 0)
			c->dup = xcalloc(c->nrecs, 1);
		if (c->by_shard == NULL && r->nshards > 1) /* parsed here again (merge_into...) */
			shard_split(c, r->nshards);
		c->counts = xcalloc(r->nshards, sizeof(*c->counts));
		pool_admit(pool, c);
	}
	if (c->error != NULL) {
		file_error(r, c->file, c->error);
		c->error = NULL;
	} else if (c->reheader_line != UINT64_MAX) {
		file_error(r, c->file,
			   xasprintf("第%llu行是另一个表头，列与文件开头的表头不同：文件由两个不同"
				     "格式的导出拼接而成，请分开保存后再运行",
				     (unsigned long long)(c->base + c->reheader_line + 1)));
	}
}

/* c, admitted by every shard: its rejects (in line order with its rows) and counts. */
static void emit(struct run *r, struct chunk *c)
{
	struct ingest_file *f = &r->res->files[c->file];
	uint64_t base = c->base;
	size_t ri = 0, ji = 0;

	if (c->merged)
		return;
	if (!c->admitted)
		goto done;
	bad_bytes_warning(f, c->nul_line, base, true);
	bad_bytes_warning(f, c->bad_line, base, false);
	/* records and rejects are each in line order: merge them */
	while ((ri = next_record(r, c, ri)) < c->nrecs || ji < c->nrejects) {
		const int64_t *rec = ri < c->nrecs ? c->recs + ri * c->stride : NULL;
		struct chunk_reject *rej = ji < c->nrejects ? &c->rejects[ji] : NULL;

		if (rej != NULL && (rec == NULL || rej->line <= (uint64_t)rec[REC_LINE])) {
			uint64_t line = base + rej->line + 1;
			char *reason = chunk_reject_reason(rej, line);

			emit_reject(r, c->file, line, rej->col, rej->code, reason, rej->row);
			free(reason);
			ji++;
		} else {
			count_record(r, c, ri++);
		}
	}
	for (unsigned k = 0; c->counts != NULL && k < r->nshards; k++) {
		f->accepted += c->counts[k].accepted;
		f->outside += c->counts[k].outside;
		if (c->counts[k].prev)
			r->res->has_prev[c->plan->ds - r->schema->sets] = true;
	}
	f->read += c->read;
	f->lines += c->lines;
	f->blank += c->blank;
	f->spanned += c->spanned;
	r->rows += c->read;
	f->outside += c->outside;
	if (c->max_year > r->res->max_year[c->plan->ds - r->schema->sets])
		r->res->max_year[c->plan->ds - r->schema->sets] = c->max_year;
	for (size_t y = 0; y < INGEST_YEARS; y++)
		r->res->year_rows[y] += c->year_rows[y];
	if (c->last && f->spanned > 0) { /* only a CSV's fields hold line breaks */
		char *name = ingest_shown_path(f->path);

		log_info("%s: %llu个物理行 = %llu行记录 + %llu个空行 + "
			 "%llu行（字段内换行，属于上一行的记录）",
			 name, (unsigned long long)f->lines, (unsigned long long)f->read,
			 (unsigned long long)f->blank, (unsigned long long)f->spanned);
		free(name);
	}
done:
	if (r->cache != NULL)
		cache_admitted(r, c);
	/* a worksheet's CSV text is not the workbook's bytes: those count when it is done */
	r->bytes_done += c->plan->workbook ? 0 : c->len;
	progress(r, false);
}

/*
 * c ended inside a quoted field: the reader's cut went through it (a stray
 * quote upset its quote count).  Parse c's bytes and next's together, here,
 * and drop next's own results.  Rare, and only ever in broken files.
 */
static void merge_into(struct run *r, struct chunk *c, struct chunk *next)
{
	char *data = xmalloc(c->len + next->len + 1);

	if (r->parser == NULL)
		r->parser = chunk_parser_new();
	memcpy(data, c->data, c->len);
	memcpy(data + c->len, next->data, next->len);
	chunk_release(c);
	c->data = data;
	c->len += next->len;
	c->last = next->last;
	c->nrecs = c->nrejects = 0;
	c->tlen = 0;
	c->rcap = c->jcap = c->tcap = 0;
	chunk_parse(r->parser, c);
	next->merged = true;
}

/*
 * Bytes [offset, offset + len) of a worksheet's CSV text (as fill_book
 * reads it), read again from the start of the sheet.  false with *err.
 */
static bool sheet_bytes(struct run *r, size_t i, const char *full, uint64_t offset, char *buf,
			size_t len, char **err)
{
	char msg[512];
	struct book *b = book_open(full, msg, sizeof(msg));
	struct strbuf rows = STRBUF_INIT;
	uint64_t pos = 0; /* of rows.buf[0] in the sheet's text */
	int rc = 1;

	if (b == NULL || book_select(b, (size_t)r->sheet[i], msg, sizeof(msg)) != 0) {
		*err = xstrdup(msg);
		book_close(b);
		return false;
	}
	while (rc > 0 && pos + rows.len < offset + len) {
		rc = book_read(b, &rows, rows.len + CHUNK_BYTES, msg, sizeof(msg));
		if (pos + rows.len <= offset) {
			pos += rows.len;
			rows.len = 0;
		}
	}
	if (rc < 0 || pos + rows.len < offset + len) {
		*err = rc < 0 ? xstrdup(msg) : xstrdup(BOOK_CHANGED);
		rc = -1;
	} else {
		memcpy(buf, rows.buf + (offset - pos), len);
	}
	strbuf_release(&rows);
	book_close(b);
	return rc >= 0;
}

/*
 * The source bytes of entry i's chunk at offset (len of them), read again
 * for a cached chunk that turned out damaged; NULL with *err when the
 * file is no longer the one the cache vouched for.
 */
static char *source_bytes(struct run *r, size_t i, uint64_t offset, size_t len, char **err)
{
	struct ingest_file *f = &r->res->files[i];
	char *full = xasprintf("%s/%s", r->opt->input_dir, f->path);
	char *buf = xmalloc(len + 1);
	bool ok;

	if (r->sheet[i] >= 0 && book_changed(r, i)) {
		ok = false;
		*err = xstrdup(BOOK_CHANGED);
	} else if (r->sheet[i] >= 0) {
		ok = sheet_bytes(r, i, full, offset, buf, len, err);
	} else {
		int fd = open(full, O_RDONLY | O_CLOEXEC);
		struct stat st;
		size_t got = 0;

		ok = fd >= 0 && fstat(fd, &st) == 0 && same_stat(&st, &r->src_st[r->src[i]]);
		while (ok && got < len) {
			ssize_t n = pread(fd, buf + got, len - got, (off_t)(offset + got));

			if (n < 0 && errno == EINTR)
				continue;
			ok = n > 0;
			got += ok ? (size_t)n : 0;
		}
		if (!ok)
			*err = xstrdup("文件在读取过程中被修改;请在导出完成后重新运行");
		if (fd >= 0)
			close(fd);
	}
	free(full);
	if (!ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * A cached chunk that failed its checksum or its checks: logged once per
 * entry, parsed from the source instead, and the entry written anew (its
 * chunks before this one copied from the old file, checked again).
 */
static void parse_damaged(struct run *r, struct chunk *c)
{
	size_t i = c->file;
	struct ingest_file *f = &r->res->files[i];
	char *err = NULL;

	if (!r->damage_noted[i]) {
		char *label = ingest_file_label(f);

		log_warn("解析缓存：%s 的缓存有一块已损坏（校验和不符），该块已按原文件重新读取，"
			 "缓存已重建",
			 label);
		free(label);
		r->damage_noted[i] = true;
		if (r->writers[i] == NULL && r->readers[i] != NULL) {
			struct cache_writer *w =
			    cache_write(r->cache, f->path, r->sheet[i], f->sheet);

			if (w != NULL && !cache_write_copy(w, r->readers[i], c->offset)) {
				cache_write_abort(w);
				w = NULL;
			}
			r->writers[i] = w;
		}
	}
	free(c->seg);
	c->seg = NULL;
	c->seg_len = 0;
	c->cached = c->damaged = false;
	c->encode = r->writers[i] != NULL;
	c->data = source_bytes(r, i, c->offset, c->len, &err);
	if (c->data == NULL) {
		if (f->error == NULL)
			file_error(r, i, err);
		else
			free(err);
		c->windowed = true; /* nothing of it is admitted: the file has its error */
		return;
	}
	if (r->parser == NULL)
		r->parser = chunk_parser_new();
	chunk_parse(r->parser, c);
	chunk_finish(c);
}

/*
 * The chunk after c in the same file, read now because none is in flight,
 * or NULL.  A chunk of another file is kept for next_chunk to hand out.
 */
static struct chunk *read_next_now(struct run *r, const struct chunk *c)
{
	struct chunk *next = r->stash != NULL ? r->stash : next_chunk(r);

	r->stash = NULL;
	if (next != NULL && next->file != c->file) {
		r->stash = next;
		return NULL;
	}
	return next;
}

static int threads_wanted(const struct ingest_options *opt)
{
	long n = opt->threads > 0 ? opt->threads : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static int cmp_size(const void *a, const void *b, void *arg)
{
	const int64_t *size = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (size[i] != size[j])
		return size[i] < size[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

/*
 * The same export read twice is counted twice where no duplicate key
 * catches it (charity, elderly): a copy such as "charity (1).csv" is read
 * once.  Only files of equal size can be equal, so only those are hashed
 * before reading; of identical files, the one ingest_path_before() puts
 * first is read and the others are marked same_as it.  Byte for byte only: a copy saved with other
 * line ends or in another encoding is another file, left to the duplicate keys.  -1 with a message
 * when a file cannot be read.
 */
static int same_content(struct run *r, char *err, size_t errlen)
{
	struct ingest_listing *l = &r->found;
	size_t *order = xcalloc(l->n, sizeof(size_t));
	int rc = 0;

	for (size_t i = 0; i < l->n; i++)
		order[i] = i;
	if (l->n > 1)
		qsort_r(order, l->n, sizeof(size_t), cmp_size, l->size);
	for (size_t k = 0; k < l->n && rc == 0; k++) {
		size_t i = order[k];
		bool twin = (k > 0 && l->size[order[k - 1]] == l->size[i]) ||
			    (k + 1 < l->n && l->size[order[k + 1]] == l->size[i]);
		char *full;

		if (!twin || l->same[i] >= 0 || r->prehash[i][0])
			continue; /* a single size, a link, or known from the parse cache */
		full = xasprintf("%s/%s", r->opt->input_dir, l->paths[i]);
		if (sha256_file(full, r->prehash[i], NULL) != 0) {
			snprintf(err, errlen, "无法读取文件 %s：%s", full, strerror(errno));
			rc = -1;
		}
		free(full);
	}
	/* equal sizes sit side by side in order: each names the best of its equals */
	for (size_t k0 = 0, k1; k0 < l->n && rc == 0; k0 = k1) {
		for (k1 = k0 + 1; k1 < l->n && l->size[order[k1]] == l->size[order[k0]]; k1++)
			;
		for (size_t k = k0; k < k1; k++) {
			size_t i = order[k], rep = i;

			if (!r->prehash[i][0])
				continue;
			for (size_t m = k0; m < k1; m++) {
				size_t j = order[m];

				if (r->prehash[j][0] && strcmp(r->prehash[i], r->prehash[j]) == 0 &&
				    ingest_path_before(l->paths[j], l->paths[rep]))
					rep = j;
			}
			if (rep != i)
				l->same[i] = (long)rep;
		}
	}
	free(order);
	return rc;
}

/*
 * A workbook's SHA-256 and time, taken when its sheets are listed (a CSV's
 * hash is taken as it is read).  false with the entry's error when the
 * file cannot be read.
 */
static bool stamp_book(struct run *r, size_t i, const char *full, char **error)
{
	struct stat st, after;
	int64_t seen = now_ns();
	bool hashed = !r->prehash[i][0];

	if (stat(full, &st) != 0 || (hashed && sha256_file(full, r->prehash[i], NULL) != 0)) {
		*error = xasprintf("无法读取文件：%s", strerror(errno));
		return false;
	}
	r->stamp[i] = mtime_ns(&st);
	/* the hash is the content's if nothing moved meanwhile: the cache may keep it */
	if (r->cache != NULL && hashed && stat(full, &after) == 0 && same_stat(&st, &after))
		cache_note_source(r->cache, r->found.paths[i], &st, seen, r->prehash[i]);
	return true;
}

/*
 * The entries of res->files: each path of the listing once, except a
 * workbook, which is one entry per worksheet holding data
 * (ingest_book_sheets), in the listing's order.  An entry's error
 * (an unreadable workbook) is kept in files[].error for run_begin to
 * report.
 */
static void list_entries(struct run *r)
{
	struct ingest_listing *l = &r->found;
	struct ingest_result *res = r->res;
	size_t cap = 0;

	r->first = xcalloc(l->n ? l->n : 1, sizeof(size_t));
	r->stamp = xcalloc(l->n ? l->n : 1, sizeof(int64_t));
	for (size_t i = 0; i < l->n; i++) {
		struct ingest_sheet one = {.index = -1}, *sheets = &one;
		size_t n = 1;
		bool book = l->same[i] < 0 && book_path(l->paths[i]);

		if (book) {
			char *full = xasprintf("%s/%s", r->opt->input_dir, l->paths[i]);

			if (stamp_book(r, i, full, &one.error))
				n = ingest_book_sheets(r->schema, full, l->paths[i], &sheets);
			free(full);
		}
		r->first[i] = r->nfiles;
		for (size_t k = 0; k < n; k++) {
			struct ingest_file *f;
			size_t e = r->nfiles++;

			res->files = xgrow(res->files, &cap, r->nfiles, sizeof(*res->files));
			r->src = xrealloc(r->src, cap * sizeof(*r->src));
			r->sheet = xrealloc(r->sheet, cap * sizeof(*r->sheet));
			f = &res->files[e];
			memset(f, 0, sizeof(*f));
			f->path = xstrdup(l->paths[i]);
			f->encoding = "";
			f->sheet = sheets[k].name;
			f->hidden = sheets[k].hidden;
			f->error = sheets[k].error;
			if (book) {
				/* a workbook's bytes are its sheets' too */
				f->size = l->size[i];
				memcpy(f->sha256, r->prehash[i], sizeof(f->sha256));
			}
			sheets[k].name = sheets[k].error = NULL;
			r->src[e] = i;
			r->sheet[e] = sheets[k].index;
		}
		if (sheets != &one)
			ingest_sheets_free(sheets, n);
	}
	res->nfiles = r->nfiles;
}

/*
 * The parse cache for this run, and what it knows of each file's content
 * (prehash): known from its record, or hashed now when the record cannot
 * vouch for it (ingest_cache.h).  An unknown file is parsed.
 */
static void cache_begin(struct run *r)
{
	struct ingest_listing *l = &r->found;

	r->cache = cache_open(r->opt->cache_dir, r->opt->input_dir, r->schema, r->opt->encoding,
			      max_record_bytes);
	if (r->cache == NULL)
		return;
	r->src_st = xcalloc(l->n ? l->n : 1, sizeof(struct stat));
	r->src_seen = xcalloc(l->n ? l->n : 1, sizeof(int64_t));
	r->src_moved = xcalloc(l->n ? l->n : 1, sizeof(bool));
	for (size_t i = 0; i < l->n; i++) {
		char *full, *label;
		struct stat after;
		int64_t seen = now_ns();

		if (l->same[i] >= 0)
			continue;
		full = xasprintf("%s/%s", r->opt->input_dir, l->paths[i]);
		label = ingest_shown_path(l->paths[i]);
		if (stat(full, &r->src_st[i]) == 0 &&
		    cache_source(r->cache, l->paths[i], full, label, &r->src_st[i],
				 r->prehash[i]) == CACHE_HASH) {
			/* touched, copied back, on a stick or a share: is the content the same? */
			if (sha256_file(full, r->prehash[i], NULL) != 0 ||
			    stat(full, &after) != 0 || !same_stat(&after, &r->src_st[i]))
				r->prehash[i][0] = '\0';
			else
				cache_note_source(r->cache, l->paths[i], &r->src_st[i], seen,
						  r->prehash[i]);
		}
		r->src_seen[i] = seen;
		free(label);
		free(full);
	}
}

/*
 * The files to read, the result's arrays and the run's per-file state;
 * -1 with a message when the folder cannot be listed or holds no CSV.
 */
static int run_begin(struct run *r, char *err, size_t errlen)
{
	const struct schema *schema = r->schema;
	struct ingest_result *res = r->res;
	bool from_env;

	memset(res, 0, sizeof(*res));
	res->nsets = schema->nsets;
	res->persons = xcalloc(schema->nsets, sizeof(size_t));
	res->has_prev = xcalloc(schema->nsets, sizeof(bool));
	res->max_year = xcalloc(schema->nsets, sizeof(int));
	r->today = r->opt->today ? r->opt->today : value_today(&from_env);
	if (ingest_list(r->opt->input_dir, &r->found) != 0) {
		snprintf(err, errlen, "%s", r->found.error);
		return -1;
	}
	res->unread = r->found.unread;
	res->nunread = r->found.nunread;
	r->found.unread = NULL;
	r->found.nunread = 0;
	if (r->found.n == 0) {
		ingest_no_csv_message(r->opt->input_dir, res->unread, res->nunread, err, errlen);
		return -1;
	}
	ingest_unread_warn(r->opt->input_dir, res->unread, res->nunread);
	r->prehash = xcalloc(r->found.n, sizeof(*r->prehash));
	if (r->opt->cache_dir != NULL)
		cache_begin(r);
	if (same_content(r, err, errlen) != 0)
		return -1;
	list_entries(r);
	r->plans = xcalloc(r->nfiles, sizeof(struct file_plan *));
	r->line_base = xcalloc(r->nfiles, sizeof(uint64_t));
	if (r->cache != NULL) {
		r->head_lines = xcalloc(r->nfiles, sizeof(uint64_t));
		r->readers = xcalloc(r->nfiles, sizeof(*r->readers));
		r->writers = xcalloc(r->nfiles, sizeof(*r->writers));
		r->head_warning = xcalloc(r->nfiles, sizeof(char *));
		r->from_cache = xcalloc(r->nfiles, sizeof(bool));
		r->parsed = xcalloc(r->nfiles, sizeof(bool));
		r->damage_noted = xcalloc(r->nfiles, sizeof(bool));
	}
	for (size_t i = 0; i < r->found.n; i++) {
		struct ingest_file *f = &res->files[r->first[i]];
		char *name, *same;

		if (r->found.same[i] < 0) {
			r->bytes_total += (uint64_t)r->found.size[i];
			continue;
		}
		f->same_as = res->files[r->first[r->found.same[i]]].path;
		f->size = r->found.size[i];
		name = ingest_shown_path(f->path);
		same = ingest_shown_path(f->same_as);
		log_warn("%s: 与 %s %s，只读取一次，不重复计入", name, same,
			 r->prehash[i][0] ? "内容完全相同" : "是同一个文件（链接）");
		free(name);
		free(same);
	}
	for (size_t i = 0; i < r->nfiles; i++)
		if (res->files[i].error != NULL) {
			char *msg = res->files[i].error;

			res->files[i].error = NULL;
			file_error(r, i, msg);
		}
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	r->last_progress = r->started;
	return 0;
}

/*
 * c, parsed, made ready for admission: a chunk that ends inside a quoted
 * field is parsed again together with the ones after it (merge_into), a
 * damaged chunk of the cache from the source.  The chunks after c in
 * flight (n of them from inflight[at]) are parsed but not yet placed.
 */
static void prepare(struct run *r, struct ingest_pool *pool, struct chunk *c,
		    struct chunk **inflight, size_t at, size_t n, size_t max_inflight)
{
	for (size_t k = 1; c->unterminated && k < n; k++) {
		struct chunk *next = inflight[(at + k) % max_inflight];

		if (next->file != c->file)
			break;
		pool_wait_parsed(pool, next, r->parser);
		merge_into(r, c, next);
	}
	/*
	 * Still inside a record and every chunk in flight taken: read on
	 * (the parser ends any record within CHUNK_MAX_RECORD_BYTES).
	 */
	while (c->unterminated) {
		struct chunk *next = read_next_now(r, c);

		if (next == NULL)
			break;
		merge_into(r, c, next);
		chunk_release(next);
		free(next);
	}
	if (c->damaged)
		parse_damaged(r, c);
	else if (!c->merged && !c->windowed)
		chunk_finish(c); /* parsed again here, with the chunks after it */
}

/*
 * Read chunks ahead (at most max_inflight not yet emitted) while the pool
 * parses them; place each one in order once it is parsed, and emit each
 * one in order once every shard has admitted it.  Emitting comes first
 * when it can: it frees a chunk.
 */
static void admit_in_order(struct run *r, struct ingest_pool *pool, size_t max_inflight)
{
	struct chunk **inflight = xcalloc(max_inflight, sizeof(*inflight));
	size_t nin = 0, head = 0, nplaced = 0;
	bool input_done = false;

	while (!input_done || nin > 0) {
		struct chunk *c;

		while (!input_done && nin < max_inflight) {
			c = r->stash != NULL ? r->stash : next_chunk(r);
			r->stash = NULL;
			if (c == NULL) {
				input_done = true;
				break;
			}
			inflight[(head + nin++) % max_inflight] = c;
			pool_submit(pool, c);
			testhook_point("scan");
		}
		if (nin == 0)
			break;
		if (nplaced < nin && (nplaced == 0 || !pool_admitted(pool, inflight[head]))) {
			size_t at = (head + nplaced) % max_inflight;

			c = inflight[at];
			pool_wait_parsed(pool, c, r->parser);
			/*
			 * A damaged chunk of the cache rewrites its cache file
			 * up to itself (parse_damaged): only once every chunk
			 * before it is emitted, so none is written twice.
			 */
			if (!c->damaged || nplaced == 0) {
				prepare(r, pool, c, inflight, at, nin - nplaced, max_inflight);
				place(r, pool, c);
				nplaced++;
				continue;
			}
		}
		c = inflight[head];
		pool_wait_admitted(pool, c, r->parser);
		emit(r, c);
		pool_forget(pool, c);
		chunk_release(c);
		free(c);
		head = (head + 1) % max_inflight;
		nin--;
		nplaced--;
	}
	free(inflight);
	progress(r, true);
}

/* One line: which entries came from the parse cache, which were read. */
static void cache_summary(const struct run *r)
{
	char **cached = xcalloc(r->nfiles + 1, sizeof(char *));
	char **read = xcalloc(r->nfiles + 1, sizeof(char *));
	size_t nc = 0, nr = 0;
	char *a, *b;

	for (size_t i = 0; i < r->nfiles; i++) {
		if (r->from_cache[i])
			cached[nc++] = ingest_file_label(&r->res->files[i]);
		else if (r->parsed[i])
			read[nr++] = ingest_file_label(&r->res->files[i]);
	}
	a = ingest_unread_names(cached, nc);
	b = ingest_unread_names(read, nr);
	log_info("解析缓存：取自缓存 %zu 个%s%s%s；重新读取 %zu 个%s%s%s", nc, nc ? "（" : "", a,
		 nc ? "）" : "", nr, nr ? "（" : "", b, nr ? "）" : "");
	free(a);
	free(b);
	for (size_t i = 0; i < nc; i++)
		free(cached[i]);
	for (size_t i = 0; i < nr; i++)
		free(read[i]);
	free(cached);
	free(read);
}

/* The parse cache's part of the run freed; with evict, the cache trimmed (ingest_cache.h). */
static void cache_end(struct run *r, bool evict)
{
	if (r->cache != NULL && r->from_cache != NULL)
		cache_summary(r);
	for (size_t i = 0; r->writers != NULL && i < r->nfiles; i++) {
		cache_write_abort(r->writers[i]);
		cache_read_close(r->readers[i]);
		free(r->head_warning[i]);
	}
	cache_close(r->cache, evict);
	free(r->src_st);
	free(r->src_seen);
	free(r->src_moved);
	free(r->readers);
	free(r->writers);
	free(r->head_warning);
	free(r->from_cache);
	free(r->parsed);
	free(r->damage_noted);
	free(r->head_lines);
}

/* The counts into the result, the run's state freed; returns the run's status. */
static int run_end(struct run *r)
{
	struct ingest_result *res = r->res;

	cache_end(r, true);
	chunk_parser_free(r->parser);
	if (r->stash != NULL) {
		chunk_release(r->stash);
		free(r->stash);
	}
	for (unsigned k = 0; k < r->nshards; k++) {
		for (size_t s = 0; s < r->schema->nsets; s++) {
			res->persons[s] += persons_count(r->shards[k].persons[s]);
			persons_free(r->shards[k].persons[s]);
		}
		free(r->shards[k].persons);
	}
	free(r->shards);
	book_close(r->book);
	for (size_t i = 0; i < r->nfiles; i++) {
		if (r->plans[i] != NULL)
			free(r->plans[i]->field_col);
		free(r->plans[i]);
		/* a workbook's bytes once, however many sheets */
		if (r->first[r->src[i]] == i)
			res->bytes += (uint64_t)res->files[i].size;
	}
	for (size_t i = 0; i < r->found.n; i++) {
		struct ingest_file *f = &res->files[r->first[i]];
		const struct ingest_file *read;

		if (f->same_as == NULL)
			continue;
		/* the record shows the file as what it is: the one read instead */
		read = &res->files[r->first[r->found.same[i]]];
		f->ds = read->ds;
		f->encoding = read->encoding;
		memcpy(f->sha256, read->sha256, sizeof(f->sha256));
	}
	free(r->plans);
	free(r->line_base);
	free(r->prehash);
	free(r->src);
	free(r->sheet);
	free(r->first);
	free(r->stamp);
	ingest_listing_release(&r->found);
	return r->status;
}

/*
 * A chunk's buffers (about a megabyte of records each) are allocated by a
 * worker and freed by the admitting thread.  With glibc's defaults each
 * was mapped afresh, or its arena trimmed and grown again, hundreds of
 * times a run: page faults were half the time of a run from the parse
 * cache.  Freed memory is kept for the next chunk instead; the peak is what
 * is in flight either way.  While rows are read, blocks from 4 MB (a
 * dictionary's table as it grows) are mapped and unmapped: kept, the old
 * tables of a city's persons and households added 70 MB to the peak at
 * scale 10.  After it (keep_big_blocks), they are kept too: the renderers'
 * large buffers then reuse them instead of faulting in fresh pages each
 * time (a warm run's system time was 0.45 s, not 0.17 s).
 */
static void keep_freed_memory(void)
{
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
}

static void keep_big_blocks(void)
{
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

/*
 * The shards: one per thread when the sink takes rows in parallel, else
 * one, run by this thread.  Each has the sink's context it was given.
 */
static void shards_begin(struct run *r, int nthreads)
{
	void **ctxs;

	r->sharded = r->sink->shards != NULL;
	r->nshards = r->sharded ? (unsigned)nthreads : 1;
	r->shards = xcalloc(r->nshards, sizeof(*r->shards));
	ctxs = xcalloc(r->nshards, sizeof(void *));
	ctxs[0] = r->sink->ctx;
	if (r->sharded)
		r->sink->shards(r->sink->ctx, r->nshards, ctxs);
	for (unsigned k = 0; k < r->nshards; k++) {
		struct shard *sh = &r->shards[k];

		sh->k = k;
		sh->n = r->nshards;
		sh->schema = r->schema;
		sh->row = r->sink->row;
		sh->ctx = ctxs[k];
		sh->want = r->opt->want;
		sh->persons = xcalloc(r->schema->nsets, sizeof(struct persons *));
		for (size_t s = 0; s < r->schema->nsets; s++)
			sh->persons[s] = persons_new();
	}
	free(ctxs);
}

int ingest_run(const struct schema *schema, const struct ingest_options *opt,
	       const struct ingest_sink *sink, struct ingest_result *res, char *err, size_t errlen)
{
	struct run r = {.schema = schema, .opt = opt, .sink = sink, .res = res};
	struct ingest_pool pool;
	int nthreads = threads_wanted(opt), rc;

	keep_freed_memory();
	if (run_begin(&r, err, errlen) != 0) {
		cache_end(&r, false);
		free(r.prehash);
		ingest_listing_release(&r.found);
		keep_big_blocks();
		return -1;
	}
	shards_begin(&r, nthreads);
	r.parser = chunk_parser_new();
	/* this thread works too; four chunks per thread in flight keep every one busy */
	pool_start(&pool, nthreads - 1, (size_t)nthreads * 4, r.sharded ? r.shards : NULL,
		   r.sharded ? r.nshards : 0);
	admit_in_order(&r, &pool, (size_t)nthreads * 4);
	pool_stop(&pool);
	rc = run_end(&r);
	keep_big_blocks();
	return rc;
}

void ingest_result_release(struct ingest_result *res)
{
	for (size_t i = 0; i < res->nfiles; i++) {
		free(res->files[i].path);
		free(res->files[i].sheet);
		free(res->files[i].error);
		free(res->files[i].warning);
	}
	for (size_t i = 0; i < VALUE_ERROR_COUNT; i++)
		free(res->first_at[i]);
	for (size_t i = 0; i < res->nunread; i++)
		free(res->unread[i]);
	free(res->unread);
	free(res->files);
	free(res->persons);
	free(res->has_prev);
	free(res->max_year);
	memset(res, 0, sizeof(*res));
}

char *ingest_shown_path(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	mask_ids(&sb, path, strlen(path));
	return strbuf_detach(&sb, NULL);
}

char *ingest_file_label(const struct ingest_file *f)
{
	char *shown = ingest_shown_path(f->path), *label;

	if (f->sheet == NULL)
		return shown;
	label = xasprintf("%s 工作表“%s”", shown, f->sheet);
	free(shown);
	return label;
}
