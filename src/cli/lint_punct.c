/*
 * lint_punct.c - `civreport lint`'s punctuation check: half-width marks
 * next to Chinese text are warnings (they never fail lint), and with --fix
 * they are rewritten in the template file (template/template_punct.h).
 *
 * The rewrite is atomic: a temporary file beside the template, with the
 * template's mode, renamed over it; a symlink is refused (which of its
 * targets to rewrite is the officer's choice), and so is a file that
 * changed while it was read.
 *
 * Never: rewrite anything but the marks the scanner found, or leave a
 * half-written template behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lint_punct.h"
#include "util/write.h"
#include "template/template_punct.h"
#include "util/exitcode.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* As template.c: a larger file is no template (template_load says so). */
#define PUNCT_MAX_BYTES (4u << 20)

/* How many changed places --fix names; the count covers the rest. */
#define FIX_SHOWN 5

static char *slurp(int fd, size_t *len)
{
	size_t n = 0, cap = 65536;
	char *buf = xmalloc(cap);

	for (;;) {
		ssize_t got = read(fd, buf + n, cap - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || n + (size_t)got > PUNCT_MAX_BYTES) {
			free(buf);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	*len = n;
	return buf;
}

/* Replace path's content by data: temp file, same mode, fsync, rename. */
static int replace_file(const char *path, const struct stat *was, const char *data, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	struct stat now;
	int fd, err = 0;

	strbuf_addf(&tmp, "%s.lint-fix-XXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		fprintf(stderr, "civreport lint: 无法在模板所在目录创建临时文件（%s）：%s\n",
			tmp.buf, strerror(errno));
		strbuf_release(&tmp);
		return EXIT_IO;
	}
	if (fchmod(fd, was->st_mode & 07777) != 0 || write_fd_all(fd, data, len) != 0 ||
	    fsync(fd) != 0)
		err = errno ? errno : EIO;
	if (close(fd) != 0 && err == 0)
		err = errno;
	/* an editor saved the template meanwhile: its change wins, ours waits */
	if (err == 0 && (lstat(path, &now) != 0 || now.st_ino != was->st_ino ||
			 now.st_size != was->st_size || now.st_mtim.tv_sec != was->st_mtim.tv_sec ||
			 now.st_mtim.tv_nsec != was->st_mtim.tv_nsec)) {
		fprintf(stderr, "civreport lint: %s 在检查过程中被修改，未改写；请再运行一次\n",
			path);
		unlink(tmp.buf);
		strbuf_release(&tmp);
		return EXIT_IO;
	}
	if (err == 0 && rename(tmp.buf, path) != 0)
		err = errno;
	if (err != 0) {
		fprintf(stderr, "civreport lint: 无法改写 %s：%s（原文件未改动）\n", path,
			strerror(err));
		unlink(tmp.buf);
	}
	strbuf_release(&tmp);
	return err != 0 ? EXIT_IO : 0;
}

static void print_warnings(const char *path, const struct punct_hit *hits, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s:%d:%d: 警告: 半角%s“%c”与汉字相邻，应为全角“%s”\n", path,
			hits[i].line, hits[i].column, punct_name(hits[i].mark), hits[i].mark,
			punct_full(hits[i].mark));
	if (n > 0)
		fprintf(stderr, "%s: %zu 处半角标点（civreport lint --fix 可自动改正）\n", path, n);
}

static void print_fixed(const char *path, const struct punct_hit *hits, size_t n)
{
	printf("%s: 已改正 %zu 处半角标点：", path, n);
	for (size_t i = 0; i < n && i < FIX_SHOWN; i++)
		printf("%s第%d行第%d列“%c”→“%s”", i ? "、" : "", hits[i].line, hits[i].column,
		       hits[i].mark, punct_full(hits[i].mark));
	printf("%s\n", n > FIX_SHOWN ? "等" : "");
}

int lint_punct(const char *path, bool fix, bool quiet, size_t *nfound)
{
	struct punct_hit *hits = NULL;
	struct stat st;
	size_t len = 0, n, outlen;
	char *src, *out;
	int fd, rc = 0;

	*nfound = 0;
	if (fix && lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		fprintf(stderr,
			"civreport lint: %s 是符号链接，--fix 不改写它；请对它指向的文件运行 "
			"civreport lint --fix --template 该文件\n",
			path);
		return EXIT_USAGE;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | (fix ? O_NOFOLLOW : 0));
	if (fd < 0)
		return 0; /* template_load says why the template cannot be read */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (src = slurp(fd, &len)) == NULL) {
		close(fd);
		return 0; /* a folder or a huge file: template_load says so */
	}
	close(fd);
	n = punct_scan(src, len, &hits);
	*nfound = n;
	if (!fix) {
		print_warnings(path, hits, n);
	} else if (n == 0) {
		if (!quiet)
			printf("%s: 没有需要改正的半角标点\n", path);
	} else {
		out = punct_fix(src, len, hits, n, &outlen);
		rc = replace_file(path, &st, out, outlen);
		if (rc == 0 && !quiet)
			print_fixed(path, hits, n);
		free(out);
	}
	free(hits);
	free(src);
	return rc;
}
