/*
 * ingest_cache.c - the parse cache's files: the folder and its safety, the
 * keys, the source records (.stat), the entries' parses (.data), eviction.
 * See ingest_cache.h for what is kept and when it is used.
 *
 * Everything under the cache folder is reached from directory descriptors
 * with openat(O_NOFOLLOW), never by path: a symlink planted in the cache
 * cannot send a read or a write elsewhere.  Only names of our own patterns
 * are ever deleted, so a cache folder pointed at the wrong place (--cache
 * ~) loses nothing: a folder that holds other files and no CACHEDIR.TAG of
 * ours is refused.  A failure to write only turns the cache off for the
 * run; it never fails the run.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <linux/magic.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "ingest_cache.h"
#include "util/write.h"
#include "util/log.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/version.h"
#include "util/xalloc.h"

#define CACHE_FORMAT 3
#define STAT_MAGIC   "CIVRSTA1"
#define INDEX_MAGIC  "CIVRIDX1"
#define TRAIL_MAGIC  "CIVRDAT1"
#define STAT_SIZE    160
#define TRAIL_SIZE   56
#define SEG_ENTRY    (33 + SEG_SUM_SIZE)
#define TAG_NAME     "CACHEDIR.TAG"
#define TAG_TEXT                                                                                   \
	"Signature: 8a477f597d28d172789f06886806bc55\n"                                            \
	"# This file is a cache directory tag created by civreport (its parse cache).\n"           \
	"# For information about cache directory tags see https://bford.info/cachedir/\n"
#define TMP_PREFIX ".tmp."
/* a temporary file this old is a crashed run's, never a live one's */
#define TMP_STALE_S 3600
/* the most fields a header may have (ingest.c MAX_HEADER_FIELDS) */
#define MAX_FIELDS     16384
#define ZFS_MAGIC      0x2fc12fc1
#define BCACHEFS_MAGIC 0xca451a4e

struct cache {
	int root;              /* the cache folder */
	int dir;               /* <folder>/ of this input folder */
	char folder[33];       /* its name */
	unsigned char key[32]; /* what every entry's key starts from */
	bool no_write;         /* a write failed: no more this run */
	char **used;           /* names this run looked up or wrote */
	size_t nused, cused;
	char *shown;      /* the cache folder, for messages */
	unsigned counter; /* temporary names */
};

struct seg_entry {
	uint64_t body_off, body_len, src_off, src_len;
	bool last;
	unsigned char sum[SEG_SUM_SIZE]; /* chunk_seg_sum of the body */
};

struct cache_reader {
	int fd;
	struct seg_entry *segs;
	size_t nsegs, next;
	int32_t today_lo, today_hi; /* the entry's, which hold for each of its chunks */
};

struct cache_writer {
	struct cache *cache;
	int fd;
	char tmp[64];
	char name[64];
	unsigned char key[32];
	struct strbuf buf; /* bytes not yet written */
	uint64_t off;
	struct seg_entry *segs;
	size_t nsegs, csegs;
	int32_t today_lo, today_hi;
	bool failed;
};

static const char *build_override;
static uint64_t max_bytes = CACHE_MAX_BYTES;

void cache_set_build(const char *build)
{
	build_override = build;
}

void cache_set_max_bytes(uint64_t bytes)
{
	max_bytes = bytes ? bytes : CACHE_MAX_BYTES;
}

/* ------------------------------------------------------------ helpers */

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void sha(const void *data, size_t len, unsigned char md[32])
{
	unsigned int n = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
}

static void to_hex(const unsigned char *md, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

static bool from_hex(const char *hex, unsigned char out[32])
{
	for (int i = 0; i < 32; i++) {
		int hi = isxdigit((unsigned char)hex[2 * i]) ? hex[2 * i] : -1;
		int lo = hi >= 0 && isxdigit((unsigned char)hex[2 * i + 1]) ? hex[2 * i + 1] : -1;

		if (lo < 0)
			return false;
		hi = hi <= '9' ? hi - '0' : (hi | 0x20) - 'a' + 10;
		lo = lo <= '9' ? lo - '0' : (lo | 0x20) - 'a' + 10;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return hex[64] == '\0';
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* Whether fd's file is one the cache may read: ours alone, regular, one link. */
static const char *file_problem(int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return "无法读取";
	if (!S_ISREG(st.st_mode))
		return "不是普通文件";
	if (st.st_uid != geteuid() || (st.st_mode & 07777) != 0600)
		return "属主或权限不对";
	if (st.st_nlink != 1)
		return "有其他硬链接";
	return NULL;
}

static bool full_pread(int fd, void *buf, size_t len, uint64_t off)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return true;
}

static void use(struct cache *c, const char *name)
{
	c->used = xgrow(c->used, &c->cused, c->nused + 1, sizeof(char *));
	c->used[c->nused++] = xstrdup(name);
}

/* Names: the first 32 hex digits of a SHA-256 of what they stand for. */
static void name_of(const char *kind, const char *what, char out[33])
{
	struct strbuf sb = STRBUF_INIT;
	unsigned char md[32];

	strbuf_addstr(&sb, kind);
	strbuf_addch(&sb, '\0');
	strbuf_addstr(&sb, what);
	sha(sb.buf, sb.len, md);
	to_hex(md, 16, out);
	strbuf_release(&sb);
}

static void data_name(const char *rel, long sheet, char out[64])
{
	char path[33];

	name_of("path", rel, path);
	if (sheet < 0)
		snprintf(out, 64, "%s.csv.data", path);
	else
		snprintf(out, 64, "%s.%ld.data", path, sheet);
}

static bool is_hex_name(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* A file name the cache writes in an input folder's folder. */
static bool our_entry_name(const char *s)
{
	size_t n = strlen(s);
	const char *dot = s + 32;

	if (strncmp(s, TMP_PREFIX, strlen(TMP_PREFIX)) == 0)
		return true;
	if (n < 33 || !is_hex_name(s, 32) || *dot != '.')
		return false;
	if (strcmp(dot, ".stat") == 0 || strcmp(dot, ".csv.data") == 0)
		return true;
	dot++;
	while (*dot >= '0' && *dot <= '9')
		dot++;
	return dot > s + 33 && strcmp(dot, ".data") == 0;
}

static bool our_folder_name(const char *s)
{
	return strlen(s) == 32 && is_hex_name(s, 32);
}

/* ------------------------------------------------------------ the key */

static void add_str(struct strbuf *sb, const char *s)
{
	strbuf_addf(sb, "%zu:", s ? strlen(s) : (size_t)0);
	if (s)
		strbuf_addstr(sb, s);
}

/* Every field of the schema: any change to it is another parse. */
static void schema_text(struct strbuf *sb, const struct schema *schema)
{
	strbuf_addf(sb, "sets %zu;", schema->nsets);
	for (size_t s = 0; s < schema->nsets; s++) {
		const struct dataset *ds = &schema->sets[s];

		add_str(sb, ds->name);
		add_str(sb, ds->title);
		strbuf_addf(sb, "cols %zu %d %d %d %d %d;", ds->ncols, ds->person, ds->amount,
			    ds->period, ds->household, ds->unique_enum);
		for (size_t c = 0; c < ds->ncols; c++) {
			const struct column *col = &ds->cols[c];

			add_str(sb, col->name);
			add_str(sb, col->key);
			strbuf_addf(sb, "%d %d %d %lld %d %zu %zu;", (int)col->type, col->required,
				    col->negative, (long long)col->max, (int)col->mask, col->nmatch,
				    col->nvalues);
			for (size_t i = 0; i < col->nmatch; i++)
				add_str(sb, col->match[i]);
			for (size_t i = 0; i < col->nvalues; i++) {
				add_str(sb, col->values[i]);
				add_str(sb, col->values_folded ? col->values_folded[i] : NULL);
			}
		}
	}
	strbuf_addf(sb, "levels %zu;", schema->nlevels);
	for (size_t i = 0; i < schema->nlevels; i++)
		add_str(sb, schema->levels[i]);
}

/* The GNU build ID of one loaded object, hex into out (empty when it has none). */
static void object_build_id(const struct dl_phdr_info *info, char out[129])
{
	out[0] = '\0';
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p, *end;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)(const void *)p;
			size_t name = (n->n_namesz + 3) & ~(size_t)3;
			size_t desc = (n->n_descsz + 3) & ~(size_t)3;
			const char *nm = p + sizeof(*n);

			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    memcmp(nm, "GNU", 4) == 0 && n->n_descsz <= 64 &&
			    nm + name + n->n_descsz <= end) {
				to_hex((const unsigned char *)nm + name, n->n_descsz, out);
				return;
			}
			p = nm + name + desc;
		}
	}
}

struct build_ids {
	struct strbuf *sb;
	bool main_has; /* the program itself has a build ID */
	size_t objects;
};

/*
 * The libraries whose code parses: glibc (iconv's GB18030 and its gconv
 * modules come with it), libcsv, and the workbook readers' libzip, zlib,
 * expat and freexl.  Named, not every loaded object: a library loaded
 * later (a gconv module) must not change the key within a run.
 */
static bool parses(const char *path)
{
	static const char *const names[] = {"libc.so.", "libcsv.so.",   "libzip.so.",
					    "libz.so.", "libexpat.so.", "libfreexl.so."};
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(base, names[i], strlen(names[i])) == 0)
			return true;
	return false;
}

/*
 * The program's build ID, and those of the libraries that parse: an
 * upgraded one may parse otherwise.  A library without one is named with
 * its path.
 */
static int add_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	struct build_ids *b = data;
	char id[129];
	bool main = b->objects++ == 0;

	(void)size;
	if (!main && !parses(info->dlpi_name))
		return 0;
	object_build_id(info, id);
	if (main)
		b->main_has = id[0] != '\0';
	strbuf_addf(b->sb, "object %s %s;", id, id[0] || main ? "" : info->dlpi_name);
	return 0;
}

static void build_text(struct strbuf *sb)
{
	struct build_ids b = {.sb = sb};
	char hex[65];

	if (build_override != NULL) {
		add_str(sb, build_override);
		return;
	}
	dl_iterate_phdr(add_build_id, &b);
	if (b.main_has)
		return;
	/* a program built without an ID: its bytes are its identity */
	if (sha256_file("/proc/self/exe", hex, NULL) == 0)
		strbuf_addf(sb, "exe %s;", hex);
	else /* neither: every run is its own build, the cache is never used */
		strbuf_addf(sb, "run %lld %d;", (long long)now_ns(), (int)getpid());
}

static void entry_key(const struct cache *c, const char *rel, long sheet, const char *sheet_name,
		      unsigned char key[32])
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add(&sb, c->key, 32);
	add_str(&sb, rel);
	strbuf_addf(&sb, "sheet %ld;", sheet);
	add_str(&sb, sheet_name);
	sha(sb.buf, sb.len, key);
	strbuf_release(&sb);
}

/* ---------------------------------------------------- folders, safety */

/*
 * A stream over folder fd's entries, from the first: a dup shares the
 * descriptor's position, which an earlier listing left at the end.
 */
static DIR *list_folder(int fd)
{
	int dup_fd = dup(fd);
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;

	if (d == NULL) {
		if (dup_fd >= 0)
			close(dup_fd);
		return NULL;
	}
	rewinddir(d);
	return d;
}

/* mkdir -p, the folders made 0700. */
static void make_folders(const char *dir)
{
	char *p = xstrdup(dir);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	mkdir(p, 0700);
	free(p);
}

/* Delete the cache's own files in folder fd (only names of ours). */
static void empty_folder(int fd)
{
	DIR *d = list_folder(fd);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (our_entry_name(e->d_name))
			unlinkat(fd, e->d_name, 0);
	closedir(d);
}

/* Whether root holds nothing but ours: CACHEDIR.TAG of ours, folders of ours. */
static const char *root_problem(int root)
{
	int tag;
	DIR *d = list_folder(root);
	struct dirent *e;
	bool others = false, tagged = false;
	char buf[64];

	if (d == NULL)
		return "无法读取";
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    strcmp(e->d_name, TAG_NAME) != 0 && !our_folder_name(e->d_name))
			others = true;
	closedir(d);
	tag = openat(root, TAG_NAME, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (tag >= 0) {
		ssize_t n = read(tag, buf, sizeof(buf));

		tagged = n >= 43 && memcmp(buf, TAG_TEXT, 43) == 0;
		close(tag);
	}
	if (others && !tagged)
		return "其中有不属于缓存的文件，不像 civreport "
		       "的缓存目录（请指定一个空目录或专用目录）";
	return NULL;
}

/* Open (creating) folder name under root: ours, 0700, a real folder. */
static int open_folder(struct cache *c, const char *name)
{
	int fd = openat(c->root, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0 && errno == ENOENT) {
		mkdirat(c->root, name, 0700);
		fd = openat(c->root, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	} else if (fd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
		/* a symlink or a file where our folder goes: planted, or damage */
		log_warn("解析缓存 %s：%s 不是目录（符号链接或文件），已删除并重建", c->shown,
			 name);
		unlinkat(c->root, name, 0);
		mkdirat(c->root, name, 0700);
		fd = openat(c->root, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || st.st_uid != geteuid()) {
		close(fd);
		errno = EPERM; /* another user's folder in ours: leave it */
		return -1;
	}
	if ((st.st_mode & 077) != 0) {
		log_warn(
		    "解析缓存 %s：目录 %s 的权限为 %04o（其他用户可访问），已改为 0700 并清空重建",
		    c->shown, name, (unsigned)(st.st_mode & 07777));
		empty_folder(fd);
		if (fchmod(fd, 0700) != 0) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

struct cache *cache_open(const char *dir, const char *input_dir, const struct schema *schema,
			 const char *encoding, size_t max_record)
{
	struct cache *c = xcalloc(1, sizeof(*c));
	struct strbuf sb = STRBUF_INIT;
	char *real = realpath(input_dir, NULL);
	const char *why = NULL;
	struct stat st;
	int tag;

	c->root = c->dir = -1;
	c->shown = xstrdup(dir);
	make_folders(dir);
	c->root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->root < 0 || fstat(c->root, &st) != 0)
		why = strerror(errno);
	else if (st.st_uid != geteuid())
		why = "目录属于其他用户";
	else
		why = root_problem(c->root);
	if (why == NULL && (st.st_mode & 077) != 0) {
		/* others could read what it holds, or plant files in it */
		log_warn("解析缓存 %s 的权限为 %04o（其他用户可访问），已改为 0700 并清空重建", dir,
			 (unsigned)(st.st_mode & 07777));
		if (fchmod(c->root, 0700) != 0) {
			why = strerror(errno);
		} else {
			DIR *d = list_folder(c->root);
			struct dirent *e;

			while (d != NULL && (e = readdir(d)) != NULL) {
				int fd;

				if (!our_folder_name(e->d_name))
					continue;
				fd = openat(c->root, e->d_name,
					    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (fd >= 0) {
					empty_folder(fd);
					close(fd);
				}
				unlinkat(c->root, e->d_name, AT_REMOVEDIR);
			}
			if (d != NULL)
				closedir(d);
		}
	}
	if (why == NULL && real == NULL)
		why = strerror(errno);
	if (why != NULL) {
		log_warn("解析缓存 %s 不可用（%s），本次不使用缓存", dir, why);
		cache_close(c, false);
		free(real);
		return NULL;
	}
	tag = openat(c->root, TAG_NAME, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (tag >= 0) {
		if (write_fd_all(tag, TAG_TEXT, strlen(TAG_TEXT)) != 0)
			log_warn("解析缓存：无法写入 %s/%s：%s", dir, TAG_NAME, strerror(errno));
		close(tag);
	}
	name_of("folder", real, c->folder);
	free(real);
	c->dir = open_folder(c, c->folder);
	if (c->dir < 0) {
		log_warn("解析缓存 %s 不可用（%s），本次不使用缓存", dir, strerror(errno));
		cache_close(c, false);
		return NULL;
	}
	strbuf_addf(&sb, "civreport parse cache %d;", CACHE_FORMAT);
	add_str(&sb, CIVREPORT_VERSION);
	build_text(&sb);
	schema_text(&sb, schema);
	add_str(&sb, encoding ? encoding : "auto");
	strbuf_addf(&sb, "max record %zu;", max_record);
	sha(sb.buf, sb.len, c->key);
	strbuf_release(&sb);
	return c;
}

/* -------------------------------------------------- source records */

/* Whether the kernel keeps a change time for files on fs (see ingest_cache.h). */
static bool keeps_ctime(const char *full)
{
	struct statfs sf;

	if (statfs(full, &sf) != 0)
		return false;
	switch ((unsigned long)sf.f_type) {
	case EXT4_SUPER_MAGIC: /* ext2, ext3 too */
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case TMPFS_MAGIC:
	case F2FS_SUPER_MAGIC:
	case OVERLAYFS_SUPER_MAGIC:
	case ZFS_MAGIC:
	case BCACHEFS_MAGIC:
		return true;
	default:
		return false;
	}
}

static void stat_name(const char *rel, char out[64])
{
	char path[33];

	name_of("path", rel, path);
	snprintf(out, 64, "%s.stat", path);
}

/* Log a damaged file of the cache and delete it. */
static void damaged(struct cache *c, const char *name, const char *label, const char *why)
{
	log_warn("解析缓存：%s 的缓存已损坏（%s），已删除，按原文件重新读取并重建", label, why);
	unlinkat(c->dir, name, 0);
}

enum cache_source cache_source(struct cache *c, const char *rel, const char *full,
			       const char *label, const struct stat *st, char sha256[65])
{
	char name[64];
	unsigned char rec[STAT_SIZE + 1], md[32], path_md[32];
	const char *why;
	ssize_t n;
	int fd;
	bool same;

	if (c == NULL)
		return CACHE_UNKNOWN;
	stat_name(rel, name);
	use(c, name);
	fd = openat(c->dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			damaged(c, name, label, "不是普通文件");
		return CACHE_UNKNOWN;
	}
	why = file_problem(fd);
	n = why ? 0 : pread(fd, rec, sizeof(rec), 0);
	close(fd);
	if (why == NULL && n != STAT_SIZE)
		why = "长度不对";
	if (why == NULL) {
		sha(rec, STAT_SIZE - 32, md);
		sha(rel, strlen(rel), path_md);
		if (memcmp(rec, STAT_MAGIC, 8) != 0 || memcmp(md, rec + STAT_SIZE - 32, 32) != 0 ||
		    memcmp(path_md, rec + 96, 32) != 0)
			why = "校验和不符";
	}
	if (why != NULL) {
		damaged(c, name, label, why);
		return CACHE_UNKNOWN;
	}
	if ((int64_t)get64(rec + 24) != (int64_t)st->st_size)
		return CACHE_UNKNOWN;
	to_hex(rec + 64, 32, sha256);
	same = get64(rec + 8) == (uint64_t)st->st_dev && get64(rec + 16) == (uint64_t)st->st_ino &&
	       (int64_t)get64(rec + 32) == ns(&st->st_mtim) &&
	       (int64_t)get64(rec + 40) == ns(&st->st_ctim);
	/*
	 * unchanged for CACHE_RACY_NS before it was read, on a file system
	 * that keeps ctime: any change since would show in the stat
	 */
	if (same && ns(&st->st_ctim) + CACHE_RACY_NS <= (int64_t)get64(rec + 48) &&
	    keeps_ctime(full))
		return CACHE_KNOWN;
	sha256[0] = '\0';
	return CACHE_HASH;
}

/* Write bytes as name in the input folder's folder: a temporary file, then renamed. */
static bool cache_write_file(struct cache *c, const char *name, const void *data, size_t len);

void cache_note_source(struct cache *c, const char *rel, const struct stat *st, int64_t seen_ns,
		       const char sha256[65])
{
	unsigned char rec[STAT_SIZE];
	char name[64];

	if (c == NULL || c->no_write)
		return;
	memset(rec, 0, sizeof(rec));
	memcpy(rec, STAT_MAGIC, 8);
	put64(rec + 8, (uint64_t)st->st_dev);
	put64(rec + 16, (uint64_t)st->st_ino);
	put64(rec + 24, (uint64_t)st->st_size);
	put64(rec + 32, (uint64_t)ns(&st->st_mtim));
	put64(rec + 40, (uint64_t)ns(&st->st_ctim));
	put64(rec + 48, (uint64_t)seen_ns);
	if (!from_hex(sha256, rec + 64))
		return;
	sha(rel, strlen(rel), rec + 96);
	sha(rec, STAT_SIZE - 32, rec + STAT_SIZE - 32);
	stat_name(rel, name);
	use(c, name);
	cache_write_file(c, name, rec, sizeof(rec));
}

/* ------------------------------------------------------ writing files */

static void write_failed(struct cache *c, int err)
{
	if (!c->no_write)
		log_warn("无法写入解析缓存 %s：%s；本次不再写入缓存", c->shown, strerror(err));
	c->no_write = true;
}

/* A new temporary file in the input folder's folder, 0600; -1 after write_failed. */
static int temp_file(struct cache *c, char tmp[64])
{
	int fd = -1;

	for (int tries = 0; fd < 0 && tries < 16; tries++) {
		uint64_t r;

		if (getentropy(&r, sizeof(r)) != 0)
			r = (uint64_t)now_ns() ^ (uint64_t)getpid() << 32 ^ c->counter;
		c->counter++;
		snprintf(tmp, 64, TMP_PREFIX "%d.%016llx", (int)getpid(), (unsigned long long)r);
		fd =
		    openat(c->dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		write_failed(c, errno);
		return -1;
	}
	if (fchmod(fd, 0600) != 0) {
		write_failed(c, errno);
		close(fd);
		unlinkat(c->dir, tmp, 0);
		return -1;
	}
	return fd;
}

/* Close fd and rename tmp to name; false after write_failed. */
static bool finish_file(struct cache *c, int fd, const char *tmp, const char *name)
{
	int err = close(fd) != 0 ? errno : 0;

	if (err == 0 && renameat(c->dir, tmp, c->dir, name) != 0)
		err = errno;
	if (err != 0) {
		unlinkat(c->dir, tmp, 0);
		write_failed(c, err);
		return false;
	}
	return true;
}

static bool cache_write_file(struct cache *c, const char *name, const void *data, size_t len)
{
	char tmp[64];
	int fd = temp_file(c, tmp);

	if (fd < 0)
		return false;
	if (!(write_fd_all(fd, data, len) == 0)) {
		int err = errno ? errno : EIO;

		close(fd);
		unlinkat(c->dir, tmp, 0);
		write_failed(c, err);
		return false;
	}
	return finish_file(c, fd, tmp, name);
}

/* ------------------------------------------------------- entry files */

void cache_meta_release(struct cache_meta *m)
{
	free(m->field_col);
	free(m->warning);
	memset(m, 0, sizeof(*m));
}

/* ingest_file.encoding's spellings (ingest.c, book kinds). */
static const char *const enc_names[] = {"UTF-8", "UTF-8 (BOM)", "GB18030", "xlsx", "xls"};
#define NENC (sizeof(enc_names) / sizeof(enc_names[0]))

struct index_in {
	const unsigned char *p, *end;
	bool bad;
};

static const unsigned char *take(struct index_in *in, size_t n)
{
	const unsigned char *p = in->p;

	if (in->bad || (size_t)(in->end - in->p) < n) {
		in->bad = true;
		return NULL;
	}
	in->p += n;
	return p;
}

static uint64_t take64(struct index_in *in)
{
	const unsigned char *p = take(in, 8);

	return p ? get64(p) : 0;
}

static uint32_t take32(struct index_in *in)
{
	const unsigned char *p = take(in, 4);

	return p ? get32(p) : 0;
}

/* The entry's index, checked: NULL and *why when it does not hold. */
static bool read_index(struct cache *c, const unsigned char *idx, size_t len, uint64_t body_end,
		       const unsigned char key[32], const char *sha256, int32_t today,
		       struct cache_meta *m, struct cache_reader *rd, const char **why, bool *stale)
{
	struct index_in in = {idx, idx + len, false};
	const unsigned char *k, *content, *p, *h;
	unsigned char want[32];
	int32_t lo, hi;
	uint32_t wlen;
	uint64_t at = 0, src = 0;

	(void)c;
	*stale = false;
	p = take(&in, 8);
	if (p == NULL || memcmp(p, INDEX_MAGIC, 8) != 0) {
		*why = "格式不对";
		return false;
	}
	k = take(&in, 32);
	content = take(&in, 32);
	lo = (int32_t)take32(&in);
	hi = (int32_t)take32(&in);
	if (in.bad) {
		*why = "格式不对";
		return false;
	}
	if (memcmp(k, key, 32) != 0) {
		/* another civreport, schema, --encoding: not damage, just not this run's */
		*stale = true;
		*why = "来自另一版本、另一 schema 或另一编码设置";
		return false;
	}
	if (!from_hex(sha256, want) || memcmp(content, want, 32) != 0 || today < lo ||
	    today >= hi) {
		*stale = true;
		*why = NULL; /* the file changed, or its dates read otherwise today: no log */
		return false;
	}
	rd->today_lo = lo;
	rd->today_hi = hi;
	m->ds = take32(&in);
	p = take(&in, 4);
	m->header_lines = take64(&in);
	wlen = take32(&in);
	if (in.bad || p[0] > ENC_GB18030 || p[1] > 1 || p[2] >= NENC) {
		*why = "格式不对";
		return false;
	}
	m->encoding = (enum file_encoding)p[0];
	m->workbook = p[1];
	m->encoding_name = enc_names[p[2]];
	if (wlen > 0) {
		const unsigned char *w = take(&in, wlen - 1);

		if (w == NULL || memchr(w, CACHE_TEXT_XOR, wlen - 1) != NULL) {
			*why = "格式不对"; /* a NUL in the warning, once decoded */
			return false;
		}
		m->warning = xmalloc(wlen);
		for (uint32_t i = 0; i + 1 < wlen; i++)
			m->warning[i] = (char)(w[i] ^ CACHE_TEXT_XOR);
		m->warning[wlen - 1] = '\0';
	}
	m->nfields = take64(&in);
	if (in.bad || m->nfields == 0 || m->nfields > MAX_FIELDS) {
		*why = "格式不对";
		return false;
	}
	m->field_col = xcalloc(m->nfields, sizeof(int));
	for (size_t i = 0; i < m->nfields; i++)
		m->field_col[i] = (int32_t)take32(&in);
	rd->nsegs = take64(&in);
	if (in.bad || rd->nsegs == 0 || rd->nsegs > (size_t)(in.end - in.p) / SEG_ENTRY) {
		*why = "格式不对";
		return false;
	}
	rd->segs = xcalloc(rd->nsegs, sizeof(*rd->segs));
	for (size_t i = 0; i < rd->nsegs; i++) {
		struct seg_entry *e = &rd->segs[i];

		e->body_off = take64(&in);
		e->body_len = take64(&in);
		e->src_off = take64(&in);
		e->src_len = take64(&in);
		p = take(&in, 1);
		h = take(&in, SEG_SUM_SIZE);
		if (in.bad)
			break;
		memcpy(e->sum, h, SEG_SUM_SIZE);
		e->last = p[0] == 1;
		/* the chunks one after the other, in the file and in the source */
		if (e->body_off != at || e->body_len > body_end - at ||
		    (i > 0 && e->src_off != src) || p[0] > 1 || e->last != (i + 1 == rd->nsegs)) {
			in.bad = true;
			break;
		}
		at += e->body_len;
		src = e->src_off + e->src_len;
	}
	if (in.bad || at != body_end || in.p != in.end) {
		*why = "索引不对";
		return false;
	}
	return true;
}

struct cache_reader *cache_read(struct cache *c, const char *rel, long sheet,
				const char *sheet_name, const char *label, const char sha256[65],
				int32_t today, const struct schema *schema, struct cache_meta *m)
{
	struct cache_reader *rd;
	unsigned char trail[TRAIL_SIZE], key[32], md[32], *idx = NULL;
	uint64_t idx_off, idx_len;
	const char *why = NULL;
	struct stat st;
	char name[64];
	bool stale = false;
	int fd;

	memset(m, 0, sizeof(*m));
	if (c == NULL)
		return NULL;
	data_name(rel, sheet, name);
	use(c, name);
	entry_key(c, rel, sheet, sheet_name, key);
	fd = openat(c->dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			damaged(c, name, label, "不是普通文件");
		return NULL;
	}
	rd = xcalloc(1, sizeof(*rd));
	rd->fd = fd;
	why = file_problem(fd);
	if (why == NULL && (fstat(fd, &st) != 0 || st.st_size < TRAIL_SIZE ||
			    !full_pread(fd, trail, TRAIL_SIZE, (uint64_t)st.st_size - TRAIL_SIZE)))
		why = "文件被截断";
	if (why == NULL) {
		idx_off = get64(trail);
		idx_len = get64(trail + 8);
		if (memcmp(trail + 48, TRAIL_MAGIC, 8) != 0 || idx_len > (uint64_t)st.st_size ||
		    idx_off != (uint64_t)st.st_size - TRAIL_SIZE - idx_len)
			why = "文件被截断或不完整";
	}
	if (why == NULL) {
		idx = xmalloc(idx_len ? idx_len : 1);
		if (!full_pread(fd, idx, idx_len, idx_off))
			why = "文件被截断";
		else if (sha(idx, idx_len, md), memcmp(md, trail + 16, 32) != 0)
			why = "校验和不符";
	}
	if (why == NULL &&
	    read_index(c, idx, idx_len, idx_off, key, sha256, today, m, rd, &why, &stale)) {
		const struct dataset *ds = m->ds < schema->nsets ? &schema->sets[m->ds] : NULL;

		for (size_t i = 0; ds != NULL && i < m->nfields; i++)
			if (m->field_col[i] < -1 || m->field_col[i] >= (int)ds->ncols)
				ds = NULL;
		if (ds != NULL && ds->ncols <= 64) {
			free(idx);
			return rd;
		}
		why = "索引不对";
	}
	free(idx);
	if (stale && why != NULL)
		log_info("解析缓存：%s 的缓存%s，重新读取", label, why);
	else if (!stale)
		damaged(c, name, label, why);
	cache_meta_release(m);
	cache_read_close(rd);
	return NULL;
}

bool cache_read_next(struct cache_reader *rd, struct chunk *c)
{
	const struct seg_entry *e;

	if (rd->next >= rd->nsegs)
		return false;
	e = &rd->segs[rd->next++];
	c->cached = true;
	c->offset = e->src_off;
	c->len = (size_t)e->src_len;
	c->last = e->last;
	memcpy(c->seg_sum, e->sum, SEG_SUM_SIZE);
	c->seg = NULL;
	c->seg_len = (size_t)e->body_len;
	c->seg_fd = rd->fd;
	c->seg_off = e->body_off;
	return true;
}

void cache_read_close(struct cache_reader *rd)
{
	if (rd == NULL)
		return;
	close(rd->fd);
	free(rd->segs);
	free(rd);
}

/* ------------------------------------------------------------ writers */

struct cache_writer *cache_write(struct cache *c, const char *rel, long sheet,
				 const char *sheet_name)
{
	struct cache_writer *w;

	if (c == NULL || c->no_write)
		return NULL;
	w = xcalloc(1, sizeof(*w));
	w->cache = c;
	data_name(rel, sheet, w->name);
	use(c, w->name);
	entry_key(c, rel, sheet, sheet_name, w->key);
	w->fd = temp_file(c, w->tmp);
	if (w->fd < 0) {
		free(w);
		return NULL;
	}
	w->buf = (struct strbuf)STRBUF_INIT;
	w->today_lo = INT32_MIN;
	w->today_hi = INT32_MAX;
	return w;
}

static void flush(struct cache_writer *w, bool all)
{
	if (w->failed || (!all && w->buf.len < (1u << 20)))
		return;
	if (!(write_fd_all(w->fd, w->buf.buf, w->buf.len) == 0)) {
		w->failed = true;
		write_failed(w->cache, errno ? errno : EIO);
	}
	strbuf_reset(&w->buf);
}

static void add_seg(struct cache_writer *w, const char *body, size_t len,
		    const unsigned char sum[SEG_SUM_SIZE], uint64_t src_off, uint64_t src_len,
		    bool last)
{
	struct seg_entry *e;

	w->segs = xgrow(w->segs, &w->csegs, w->nsegs + 1, sizeof(*w->segs));
	e = &w->segs[w->nsegs++];
	e->body_off = w->off;
	e->body_len = len;
	e->src_off = src_off;
	e->src_len = src_len;
	e->last = last;
	memcpy(e->sum, sum, SEG_SUM_SIZE);
	strbuf_add(&w->buf, body, len);
	w->off += len;
	flush(w, false);
}

void cache_write_chunk(struct cache_writer *w, const struct chunk *c)
{
	if (w == NULL || w->failed)
		return;
	if (c->seg == NULL) {
		w->failed = true; /* a chunk without its encoding: the entry cannot be whole */
		return;
	}
	if (c->today_lo > w->today_lo)
		w->today_lo = c->today_lo;
	if (c->today_hi < w->today_hi)
		w->today_hi = c->today_hi;
	add_seg(w, c->seg, c->seg_len, c->seg_sum, c->offset, c->len, c->last);
}

bool cache_write_copy(struct cache_writer *w, struct cache_reader *rd, uint64_t before)
{
	if (w != NULL && rd->today_lo > w->today_lo)
		w->today_lo = rd->today_lo;
	if (w != NULL && rd->today_hi < w->today_hi)
		w->today_hi = rd->today_hi;
	for (size_t i = 0; w != NULL && !w->failed && i < rd->nsegs; i++) {
		const struct seg_entry *e = &rd->segs[i];
		unsigned char sum[SEG_SUM_SIZE];
		char *body;

		if (e->src_off >= before)
			break;
		body = xmalloc(e->body_len ? e->body_len : 1);
		if (!full_pread(rd->fd, body, e->body_len, e->body_off) ||
		    (chunk_seg_sum(body, e->body_len, sum),
		     memcmp(sum, e->sum, SEG_SUM_SIZE) != 0)) {
			free(body);
			return false;
		}
		add_seg(w, body, e->body_len, e->sum, e->src_off, e->src_len, e->last);
		free(body);
	}
	return w != NULL && !w->failed;
}

void cache_write_commit(struct cache_writer *w, const struct cache_meta *m, const char sha256[65])
{
	unsigned char head[32 + 32 + 4 + 4 + 8], trail[TRAIL_SIZE], b[8];
	size_t idx_at, enc = 0;
	uint64_t idx_off;

	if (w == NULL)
		return;
	while (enc < NENC && strcmp(enc_names[enc], m->encoding_name) != 0)
		enc++;
	if (w->failed || w->nsegs == 0 || enc == NENC || !from_hex(sha256, head + 32)) {
		cache_write_abort(w);
		return;
	}
	flush(w, true);
	idx_off = w->off;
	idx_at = w->buf.len;
	strbuf_add(&w->buf, INDEX_MAGIC, 8);
	memcpy(head, w->key, 32);
	put32(head + 64, (uint32_t)w->today_lo);
	put32(head + 68, (uint32_t)w->today_hi);
	strbuf_add(&w->buf, head, 72);
	put32(b, (uint32_t)m->ds);
	b[4] = (unsigned char)m->encoding;
	b[5] = m->workbook;
	b[6] = (unsigned char)enc;
	b[7] = 0;
	strbuf_add(&w->buf, b, 8);
	put64(b, m->header_lines);
	strbuf_add(&w->buf, b, 8);
	put32(b, m->warning ? (uint32_t)strlen(m->warning) + 1 : 0);
	strbuf_add(&w->buf, b, 4);
	for (const char *s = m->warning; s && *s; s++)
		strbuf_addch(&w->buf, (char)((unsigned char)*s ^ CACHE_TEXT_XOR));
	put64(b, m->nfields);
	strbuf_add(&w->buf, b, 8);
	for (size_t i = 0; i < m->nfields; i++) {
		put32(b, (uint32_t)m->field_col[i]);
		strbuf_add(&w->buf, b, 4);
	}
	put64(b, w->nsegs);
	strbuf_add(&w->buf, b, 8);
	for (size_t i = 0; i < w->nsegs; i++) {
		const struct seg_entry *e = &w->segs[i];

		put64(b, e->body_off);
		strbuf_add(&w->buf, b, 8);
		put64(b, e->body_len);
		strbuf_add(&w->buf, b, 8);
		put64(b, e->src_off);
		strbuf_add(&w->buf, b, 8);
		put64(b, e->src_len);
		strbuf_add(&w->buf, b, 8);
		strbuf_addch(&w->buf, e->last ? 1 : 0);
		strbuf_add(&w->buf, e->sum, SEG_SUM_SIZE);
	}
	put64(trail, idx_off);
	put64(trail + 8, w->buf.len - idx_at);
	sha(w->buf.buf + idx_at, w->buf.len - idx_at, trail + 16);
	memcpy(trail + 48, TRAIL_MAGIC, 8);
	strbuf_add(&w->buf, trail, TRAIL_SIZE);
	flush(w, true);
	if (w->failed) {
		cache_write_abort(w);
		return;
	}
	finish_file(w->cache, w->fd, w->tmp, w->name);
	w->fd = -1;
	strbuf_release(&w->buf);
	free(w->segs);
	free(w);
}

void cache_write_abort(struct cache_writer *w)
{
	if (w == NULL)
		return;
	if (w->fd >= 0) {
		close(w->fd);
		unlinkat(w->cache->dir, w->tmp, 0);
	}
	strbuf_release(&w->buf);
	free(w->segs);
	free(w);
}

/* ----------------------------------------------------------- eviction */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folder's files of entries this run did not use, and stale temporary files. */
static void evict_absent(struct cache *c)
{
	DIR *d = list_folder(c->dir);
	struct dirent *e;
	time_t now = time(NULL);

	if (d == NULL)
		return;
	qsort(c->used, c->nused, sizeof(char *), cmp_str);
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		struct stat st;

		if (!our_entry_name(name))
			continue;
		if (strncmp(name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0) {
			/* another run's file being written is young: only a crashed run's goes */
			if (fstatat(c->dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    st.st_mtime + TMP_STALE_S < now)
				unlinkat(c->dir, name, 0);
			continue;
		}
		if (bsearch(&name, c->used, c->nused, sizeof(char *), cmp_str) == NULL)
			unlinkat(c->dir, name, 0);
	}
	closedir(d);
}

struct folder_use {
	char name[33];
	time_t used;
	uint64_t bytes;
};

static int cmp_use(const void *a, const void *b)
{
	const struct folder_use *x = a, *y = b;

	return x->used < y->used ? -1 : x->used > y->used;
}

/* The bytes of folder fd's files. */
static uint64_t folder_bytes(int fd)
{
	DIR *d = list_folder(fd);
	struct dirent *e;
	uint64_t sum = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (our_entry_name(e->d_name) &&
		    fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			sum += (uint64_t)st.st_blocks * 512;
	}
	closedir(d);
	return sum;
}

/* Whole folders, least recently used first, while the cache is over its cap. */
static void evict_lru(struct cache *c)
{
	DIR *d = list_folder(c->root);
	struct dirent *e;
	struct folder_use *f = NULL;
	size_t n = 0, cap = 0;
	uint64_t total = 0;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		int fd;

		if (!our_folder_name(e->d_name))
			continue;
		fd = openat(c->root, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0) {
			f = xgrow(f, &cap, n + 1, sizeof(*f));
			memcpy(f[n].name, e->d_name, 33); /* our_folder_name: 32 characters */
			f[n].used = st.st_mtime;
			f[n].bytes = folder_bytes(fd);
			total += f[n].bytes;
			n++;
		}
		close(fd);
	}
	closedir(d);
	if (n > 1)
		qsort(f, n, sizeof(*f), cmp_use);
	for (size_t i = 0; i < n && total > max_bytes; i++) {
		int fd;

		if (strcmp(f[i].name, c->folder) == 0)
			continue;
		fd = openat(c->root, f[i].name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			empty_folder(fd);
			close(fd);
		}
		unlinkat(c->root, f[i].name, AT_REMOVEDIR);
		total -= f[i].bytes;
	}
	free(f);
}

void cache_close(struct cache *c, bool evict)
{
	if (c == NULL)
		return;
	if (evict && c->dir >= 0) {
		evict_absent(c);
		/* the folder's time says when it was last used */
		futimens(c->dir, NULL);
		evict_lru(c);
	}
	if (c->dir >= 0)
		close(c->dir);
	if (c->root >= 0)
		close(c->root);
	for (size_t i = 0; i < c->nused; i++)
		free(c->used[i]);
	free(c->used);
	free(c->shown);
	free(c);
}
