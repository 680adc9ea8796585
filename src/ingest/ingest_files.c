/*
 * ingest_files.c - listing the input folder: which files a run reads, and
 * which paths are the same file; see ingest_list() in ingest.h.
 *
 * The listing decides what the report counts, so it must never skip
 * silently: whatever could hold data and cannot be read (a folder it may
 * not open, a dangling link to an unmounted share) refuses the listing,
 * naming the path.  And it must never count a file twice: each directory is
 * entered once by device and inode (a symlink loop leads nowhere new), and
 * every path records the file (device, inode) it reaches.  It must never
 * follow a link out of the input folder.
 *
 * Nor may it drop data an officer meant to give it without a word: a file
 * that looks like a table or an archive of tables civreport cannot read
 * (2021低保.et, 备份.zip) is not read, but listed as unread, so that the
 * run says so.  CSV files and workbooks (.xlsx .xlsm .xls) are read.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest.h"
#include "mask.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "book.h"

/* The unread files a message names before "……等共N个". */
#define UNREAD_SHOWN 5

struct dirid {
	dev_t dev;
	ino_t ino;
};

struct entry {
	char *path;
	dev_t dev;
	ino_t ino;
	int64_t size;
};

struct walker {
	const char *root;
	char *rootreal; /* realpath of root: links must stay under it */
	size_t rootlen;
	struct dirid *dirs; /* entered so far */
	size_t ndirs, dcap;
	char **deferred; /* symlinked directories, entered after the real ones */
	size_t ndeferred, fcap;
	struct entry *files;
	size_t nfiles, ecap;
	char **unread; /* files that look like data but are not CSV, masked */
	size_t nunread, ucap;
	char *error;
};

/* What civreport reads: CSV exports and workbooks, never dot files or Excel's ~$ lock files. */
static bool is_input(const char *name)
{
	size_t n = strlen(name);

	if (name[0] == '.' || strncmp(name, "~$", 2) == 0)
		return false;
	return (n > 4 && strcasecmp(name + n - 4, ".csv") == 0) || book_path(name);
}

/*
 * What civreport does not read but an officer may well have meant as data:
 * spreadsheets, text exports, database tables and archives.  Documents
 * (.docx, .pdf) and pictures are what an input folder may hold beside the
 * data without anyone expecting them in the figures.
 */
static const struct {
	const char *ext;
	const char *kind;
} unread_kinds[] = {
    {"xlsb", "Excel 二进制工作簿"},
    {"et", "WPS 表格"},
    {"ett", "WPS 表格"},
    {"ods", "OpenDocument 表格"},
    {"numbers", "Numbers 表格"},
    {"txt", "文本文件"},
    {"tsv", "文本文件"},
    {"tab", "文本文件"},
    {"dbf", "数据库表"},
    {"mdb", "Access 数据库"},
    {"accdb", "Access 数据库"},
    {"zip", "压缩包"},
    {"rar", "压缩包"},
    {"7z", "压缩包"},
    {"gz", "压缩包"},
    {"tgz", "压缩包"},
    {"tar", "压缩包"},
    {"bz2", "压缩包"},
    {"xz", "压缩包"},
};

/* README.txt, 数据说明.txt (dot: its extension): notes kept beside the data, not data. */
static bool is_note(const char *name, const char *dot)
{
	static const char tail[] = "说明";
	size_t stem = (size_t)(dot - name), n = sizeof(tail) - 1;

	return strncasecmp(name, "readme", strlen("readme")) == 0 ||
	       (stem >= n && memcmp(dot - n, tail, n) == 0);
}

const char *ingest_unread_kind(const char *path)
{
	const char *name = strrchr(path, '/'), *dot;

	name = name ? name + 1 : path;
	dot = strrchr(name, '.');
	/* dot files are skipped; ~$x.xlsx is the lock file Excel and WPS keep open */
	if (dot == NULL || dot == name || name[0] == '.' || strncmp(name, "~$", 2) == 0)
		return NULL;
	for (size_t i = 0; i < sizeof(unread_kinds) / sizeof(unread_kinds[0]); i++)
		if (strcasecmp(dot + 1, unread_kinds[i].ext) == 0)
			return strcmp(unread_kinds[i].ext, "txt") == 0 && is_note(name, dot)
				   ? NULL
				   : unread_kinds[i].kind;
	return NULL;
}

static bool is_unread(const char *name)
{
	return !is_input(name) && ingest_unread_kind(name) != NULL;
}

/* An unread file, kept as a message shows it: a run of ID digits in its path masked. */
static void add_unread(struct walker *w, char *rel)
{
	struct strbuf sb = STRBUF_INIT;

	mask_ids(&sb, rel, strlen(rel));
	free(rel);
	w->unread = xgrow(w->unread, &w->ucap, w->nunread + 1, sizeof(char *));
	w->unread[w->nunread++] = strbuf_detach(&sb, NULL);
}

static int refuse(struct walker *w, char *msg)
{
	if (w->error == NULL)
		w->error = msg;
	else
		free(msg);
	return -1;
}

/* Whether dir (dev, ino) was entered before; remembers it when not. */
static bool entered(struct walker *w, const struct stat *st)
{
	for (size_t i = 0; i < w->ndirs; i++)
		if (w->dirs[i].dev == st->st_dev && w->dirs[i].ino == st->st_ino)
			return true;
	w->dirs = xgrow(w->dirs, &w->dcap, w->ndirs + 1, sizeof(*w->dirs));
	w->dirs[w->ndirs++] = (struct dirid){st->st_dev, st->st_ino};
	return false;
}

/* Whether full, resolved, lies inside the input folder. */
static bool inside(struct walker *w, const char *full, char **real)
{
	*real = realpath(full, NULL);
	if (*real == NULL)
		return false;
	if (w->rootlen == 1) /* the input folder is "/" */
		return true;
	return strncmp(*real, w->rootreal, w->rootlen) == 0 &&
	       ((*real)[w->rootlen] == '/' || (*real)[w->rootlen] == '\0');
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory full (no dot files), sorted; -1 when it cannot be read. */
static long read_names(struct walker *w, const char *full, char ***names)
{
	DIR *d = opendir(full);
	struct dirent *e;
	size_t n = 0, cap = 0;

	*names = NULL;
	if (d == NULL)
		return refuse(
		    w, xasprintf("无法读取输入目录中的文件夹 %s：%s", full, strerror(errno)));
	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL)
			break;
		if (e->d_name[0] == '.')
			continue;
		*names = xgrow(*names, &cap, n + 1, sizeof(char *));
		(*names)[n++] = xstrdup(e->d_name);
	}
	if (errno != 0) {
		int saved = errno;

		closedir(d);
		for (size_t i = 0; i < n; i++)
			free((*names)[i]);
		free(*names);
		*names = NULL;
		return refuse(
		    w, xasprintf("无法读取输入目录中的文件夹 %s：%s", full, strerror(saved)));
	}
	closedir(d);
	if (n > 0)
		qsort(*names, n, sizeof(char *), cmp_str);
	return (long)n;
}

/* A CSV file at full (st: what it leads to): recorded when it can be read. */
static int add_file(struct walker *w, char *rel, const char *full, const struct stat *st)
{
	int fd;

	if (!S_ISREG(st->st_mode)) {
		free(rel);
		return refuse(
		    w, xasprintf("%s 不是普通文件（如管道或设备），无法作为 CSV 读取", full));
	}
	/* root reads anything: the listing is where a file we may not read shows */
	fd = open(full, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		free(rel);
		return refuse(w, xasprintf("无法读取文件 %s：%s", full, strerror(errno)));
	}
	close(fd);
	w->files = xgrow(w->files, &w->ecap, w->nfiles + 1, sizeof(*w->files));
	w->files[w->nfiles++] = (struct entry){rel, st->st_dev, st->st_ino, (int64_t)st->st_size};
	return 0;
}

static int walk(struct walker *w, const char *rel);

/* A symlink: followed only inside the input folder, and never when dangling. */
static int add_link(struct walker *w, char *sub, const char *full, const char *name)
{
	struct stat st;
	char *real = NULL;
	int rc = 0;

	if (stat(full, &st) != 0) {
		/* an unmounted share, a moved folder: its data would be silently missing */
		rc = refuse(w, xasprintf("符号链接 %s 指向的位置无法访问（%s）；若是网络共享，"
					 "请确认已挂载",
					 full, strerror(errno)));
		free(sub);
		return rc;
	}
	if (!S_ISDIR(st.st_mode) && is_unread(name)) {
		add_unread(w, sub); /* only named, never opened: wherever it leads */
		return 0;
	}
	if (!S_ISDIR(st.st_mode) && !is_input(name)) {
		free(sub); /* a link to something civreport never reads */
		return 0;
	}
	if (!inside(w, full, &real)) {
		rc = refuse(w, xasprintf("符号链接 %s 指向输入目录之外（%s），不读取；请把文件复制"
					 "到输入目录，或用 --input 指定其所在目录",
					 full, real ? real : strerror(errno)));
		free(real);
		free(sub);
		return rc;
	}
	free(real);
	if (S_ISDIR(st.st_mode)) {
		/* after the real folders, so that a file keeps its own path */
		w->deferred = xgrow(w->deferred, &w->fcap, w->ndeferred + 1, sizeof(char *));
		w->deferred[w->ndeferred++] = sub;
		return 0;
	}
	return add_file(w, sub, full, &st);
}

/* Every entry of directory rel (already counted as entered). */
static int walk(struct walker *w, const char *rel)
{
	char *dir = rel[0] ? xasprintf("%s/%s", w->root, rel) : xstrdup(w->root);
	char **names;
	long n = read_names(w, dir, &names);
	int rc = n < 0 ? -1 : 0;

	for (long i = 0; i < n; i++) {
		char *sub = rel[0] ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
		char *full = xasprintf("%s/%s", w->root, sub);
		struct stat st;

		if (rc != 0) {
			free(sub);
		} else if (lstat(full, &st) != 0) {
			rc = refuse(w, xasprintf("无法读取 %s：%s", full, strerror(errno)));
			free(sub);
		} else if (S_ISLNK(st.st_mode)) {
			rc = add_link(w, sub, full, names[i]);
		} else if (S_ISDIR(st.st_mode)) {
			if (!entered(w, &st))
				rc = walk(w, sub);
			free(sub);
		} else if (is_input(names[i])) {
			rc = add_file(w, sub, full, &st);
		} else if (is_unread(names[i])) {
			add_unread(w, sub);
		} else {
			free(sub);
		}
		free(full);
		free(names[i]);
	}
	free(names);
	free(dir);
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

/* Order of file indexes by (device, inode), then path order: same files side by side. */
static int cmp_inode(const void *a, const void *b, void *arg)
{
	const struct entry *files = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (files[i].dev != files[j].dev)
		return files[i].dev < files[j].dev ? -1 : 1;
	if (files[i].ino != files[j].ino)
		return files[i].ino < files[j].ino ? -1 : 1;
	return i < j ? -1 : i > j;
}

static void walker_release(struct walker *w)
{
	for (size_t i = 0; i < w->nfiles; i++)
		free(w->files[i].path);
	for (size_t i = 0; i < w->ndeferred; i++)
		free(w->deferred[i]);
	for (size_t i = 0; i < w->nunread; i++)
		free(w->unread[i]);
	free(w->unread);
	free(w->files);
	free(w->deferred);
	free(w->dirs);
	free(w->rootreal);
	free(w->error);
}

/* Walk the real folders, then the symlinked ones (each may defer more). */
static int walk_all(struct walker *w)
{
	struct stat st;

	if (stat(w->root, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    (w->rootreal = realpath(w->root, NULL)) == NULL)
		return refuse(w, xasprintf("无法读取输入目录 %s：%s", w->root,
					   errno ? strerror(errno) : "不是目录"));
	w->rootlen = strlen(w->rootreal);
	entered(w, &st);
	if (walk(w, "") != 0)
		return -1;
	for (size_t i = 0; i < w->ndeferred; i++) {
		char *full = xasprintf("%s/%s", w->root, w->deferred[i]);

		if (stat(full, &st) == 0 && !entered(w, &st) && walk(w, w->deferred[i]) != 0) {
			free(full);
			return -1;
		}
		free(full);
	}
	return 0;
}

int ingest_list(const char *dir, struct ingest_listing *out)
{
	struct walker w = {.root = dir};
	size_t *order;

	memset(out, 0, sizeof(*out));
	errno = 0;
	if (walk_all(&w) != 0) {
		int saved = errno;

		out->error = w.error;
		w.error = NULL;
		walker_release(&w);
		errno = saved;
		return -1;
	}
	if (w.nfiles > 0)
		qsort(w.files, w.nfiles, sizeof(*w.files), cmp_entry);
	if (w.nunread > 0)
		qsort(w.unread, w.nunread, sizeof(char *), cmp_str);
	out->unread = w.unread;
	out->nunread = w.nunread;
	w.unread = NULL;
	w.nunread = 0;
	out->n = w.nfiles;
	out->paths = xcalloc(w.nfiles, sizeof(char *));
	out->same = xcalloc(w.nfiles, sizeof(long));
	out->size = xcalloc(w.nfiles, sizeof(int64_t));
	order = xcalloc(w.nfiles, sizeof(size_t));
	for (size_t i = 0; i < w.nfiles; i++) {
		out->paths[i] = w.files[i].path;
		out->size[i] = w.files[i].size;
		out->same[i] = -1;
		order[i] = i;
		w.files[i].path = NULL;
	}
	if (w.nfiles > 1)
		qsort_r(order, w.nfiles, sizeof(size_t), cmp_inode, w.files);
	/* one file (device, inode) per run of order: all its paths name the first */
	for (size_t k0 = 0, k1; k0 < w.nfiles; k0 = k1) {
		size_t rep = order[k0];

		for (k1 = k0 + 1; k1 < w.nfiles && w.files[order[k1]].dev == w.files[rep].dev &&
				  w.files[order[k1]].ino == w.files[rep].ino;
		     k1++)
			if (ingest_path_before(out->paths[order[k1]], out->paths[rep]))
				rep = order[k1];
		for (size_t k = k0; k < k1; k++)
			if (order[k] != rep)
				out->same[order[k]] = (long)rep;
	}
	free(order);
	walker_release(&w);
	return 0;
}

bool ingest_path_before(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return la != lb ? la < lb : strcmp(a, b) < 0;
}

void ingest_listing_release(struct ingest_listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
	free(l->same);
	free(l->size);
	free(l->error);
	for (size_t i = 0; i < l->nunread; i++)
		free(l->unread[i]);
	free(l->unread);
	memset(l, 0, sizeof(*l));
}

char *ingest_unread_names(char *const *unread, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n && i < UNREAD_SHOWN; i++)
		strbuf_addf(&sb, "%s%s", i ? "、" : "", unread[i]);
	if (n > UNREAD_SHOWN)
		strbuf_addf(&sb, "……等共%zu个", n);
	return strbuf_detach(&sb, NULL);
}

void ingest_unread_warn(const char *dir, char *const *unread, size_t n)
{
	/*
	 * run --year latest lists the folder twice (the pass that finds the
	 * year, then the report's): the officer is told once
	 */
	static char *last;
	char *names, *msg;

	if (n == 0)
		return;
	names = ingest_unread_names(unread, n);
	msg =
	    xasprintf("输入目录 %s 中有 %zu 个文件 civreport 不能读取，未读取，其中的数据不在"
		      "报告中：%s；请在 Excel 或 WPS 中另存为 .xlsx 或 CSV（UTF-8）后放入输入目录",
		      dir, n, names);
	free(names);
	if (last != NULL && strcmp(last, msg) == 0) {
		free(msg);
		return;
	}
	log_warn("%s", msg);
	free(last);
	last = msg;
}

void ingest_no_csv_message(const char *dir, char *const *unread, size_t n, char *err, size_t errlen)
{
	char *names;

	if (n == 0) {
		snprintf(err, errlen, "输入目录 %s 中没有 CSV 或 Excel 文件", dir);
		return;
	}
	names = ingest_unread_names(unread, n);
	snprintf(err, errlen,
		 "输入目录 %s 中没有 CSV 或 Excel 文件；其中 %zu 个文件 civreport 不能读取：%s；"
		 "请在 Excel 或 WPS 中另存为 .xlsx 或 CSV（UTF-8）后放入输入目录",
		 dir, n, names);
	free(names);
}

long ingest_list_files(const char *dir, char ***paths, char ***unread, size_t *nunread)
{
	struct ingest_listing l;
	long n;

	*paths = NULL;
	if (unread != NULL) {
		*unread = NULL;
		*nunread = 0;
	}
	if (ingest_list(dir, &l) != 0) {
		ingest_listing_release(&l);
		return -1;
	}
	*paths = l.paths;
	n = (long)l.n;
	l.paths = NULL;
	l.n = 0;
	if (unread != NULL) {
		*unread = l.unread;
		*nunread = l.nunread;
		l.unread = NULL;
		l.nunread = 0;
	}
	ingest_listing_release(&l);
	return n;
}
