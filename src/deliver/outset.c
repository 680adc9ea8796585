/*
 * outset.c - a report's output set, switched all at once; see outset.h.
 *
 * Set folders of the period, .2021.set-XXXXXX, that are not the current
 * one are what a run left that failed or was killed: one still holding the
 * mark .civreport-stage was never near its commit and holds only files this
 * run made (removed whole); one without it (the previous set after a
 * commit, or a new set killed between the mark's removal and the switch)
 * is retired as step 4 of outset.h says.  Links named .2021.set-*.link
 * are a commit's links that were never renamed.
 *
 * This file must never delete a file that no manifest names and that is
 * not one of civreport's fixed names (an officer's note in the folder),
 * never follow a symlink it did not make, never leave the link naming an
 * incomplete folder, and never be entered without the run lock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest.h"
#include "outfile.h"
#include "outset.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/testhook.h"
#include "util/xalloc.h"

/* In a new set folder until it is committed: "never current, all ours". */
#define STAGE_MARK   ".civreport-stage"
#define OURS_PREFIX  ".civreport-"
#define FAILED_DIR   "failed"
#define LINK_SUFFIX  ".link"
#define ASIDE_SUFFIX ".old"

/* civreport's own names in a set folder besides its manifest's "outputs". */
static const char *const fixed_names[] = {"manifest.json", "metrics.json", "rejects.csv",
					  FAILED_DIR, ".civreport.lock"};

void outset_init(struct outset *s, const char *parent, const char *period)
{
	memset(s, 0, sizeof(*s));
	s->parent = xstrdup(parent);
	s->period = xstrdup(period);
	s->path = xasprintf("%s/%s", parent, period);
	s->lockname = xasprintf(".%s.lock", period);
	s->mode = 0750;
}

/* ".2021.set-": the prefix of every set folder of this period. */
static char *set_prefix(const struct outset *s)
{
	return xasprintf(".%s.set-", s->period);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int sync_path(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	int err = 0;

	if (fd < 0)
		return -1;
	if (fsync(fd) != 0 && errno != EINVAL)
		err = errno;
	close(fd);
	errno = err;
	return err ? -1 : 0;
}

/*
 * Remove a folder of civreport's own (a never-committed set, a failed/):
 * its files, one level of folders of files, then itself.  Anything it cannot
 * remove stays (and so does the folder).  Returns 0 when the folder is gone.
 */
static int remove_ours(int atfd, const char *name, int depth)
{
	int fd = openat(atfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth > 0)
				remove_ours(dirfd(d), de->d_name, depth - 1);
		} else {
			unlinkat(dirfd(d), de->d_name, 0);
		}
	}
	closedir(d);
	return unlinkat(atfd, name, AT_REMOVEDIR);
}

static int remove_ours_path(const char *path)
{
	return remove_ours(AT_FDCWD, path, 1);
}

/* The names civreport knows as its own in the set folder dir. */
struct known {
	char **outputs;
	long n;
};

static void known_load(struct known *k, const char *dir)
{
	char *manifest = xasprintf("%s/manifest.json", dir);

	k->n = manifest_read_outputs(manifest, &k->outputs);
	if (k->n < 0)
		k->n = 0;
	free(manifest);
}

static bool known_has(const struct known *k, const char *name)
{
	if (strncmp(name, OURS_PREFIX, strlen(OURS_PREFIX)) == 0)
		return true;
	for (size_t i = 0; i < sizeof(fixed_names) / sizeof(fixed_names[0]); i++)
		if (strcmp(name, fixed_names[i]) == 0)
			return true;
	for (long i = 0; i < k->n; i++) {
		size_t n = strlen(name);
		/* an output in a folder of the set (a --each report's 岳池县/x.pdf) */
		if (strcmp(name, k->outputs[i]) == 0 ||
		    (strncmp(name, k->outputs[i], n) == 0 && k->outputs[i][n] == '/'))
			return true;
	}
	return false;
}

static void known_free(struct known *k)
{
	for (long i = 0; i < k->n; i++)
		free(k->outputs[i]);
	free(k->outputs);
	k->outputs = NULL;
	k->n = 0;
}

/* Move an entry of the operator's from one set folder to another. */
static int move_entry(const char *from_dir, const char *to_dir, const char *name)
{
	char *from = xasprintf("%s/%s", from_dir, name);
	char *to = xasprintf("%s/%s", to_dir, name);
	int rc = outfile_rename(from, to);
	int err = errno;

	free(from);
	free(to);
	errno = err;
	return rc;
}

/*
 * Retire a set folder that is no longer current (step 4 of outset.h):
 * civreport's own files go; a file the current folder (cur, may be NULL)
 * also has goes only when it is the same file (carried there by a link);
 * anything else of the operator's is moved into cur, or, when cur has that
 * name already (a newer version saved meanwhile, a new output of that
 * name), stays.  What is left keeps the folder, named in the log.
 */
static void retire(const char *dir, const char *cur)
{
	struct known k;
	struct dirent *de;
	DIR *d = opendir(dir);
	int curfd = cur ? open(cur, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

	if (d == NULL) {
		log_warn("无法清理旧的输出目录 %s：%s", dir, strerror(errno));
		if (curfd >= 0)
			close(curfd);
		return;
	}
	known_load(&k, dir);
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		struct stat st, cst;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (known_has(&k, name)) {
			if (S_ISDIR(st.st_mode))
				remove_ours(dirfd(d), name, 1);
			else
				unlinkat(dirfd(d), name, 0);
		} else if (curfd >= 0 && fstatat(curfd, name, &cst, AT_SYMLINK_NOFOLLOW) == 0) {
			/* only the very file carry() linked across: one saved over
			 * it since then is the operator's newer version, kept */
			if (!S_ISDIR(st.st_mode) && st.st_dev == cst.st_dev &&
			    st.st_ino == cst.st_ino)
				unlinkat(dirfd(d), name, 0);
		} else if (cur != NULL && move_entry(dir, cur, name) != 0) {
			log_warn("无法把 %s/%s 移入新的输出目录：%s", dir, name, strerror(errno));
		}
	}
	closedir(d);
	known_free(&k);
	if (curfd >= 0)
		close(curfd);
	if (rmdir(dir) != 0)
		log_warn("旧的输出目录 %s 中还有 civreport 不认识的文件，已保留，请查看", dir);
}

static bool has_stage_mark(const char *dir)
{
	char *mark = xasprintf("%s/" STAGE_MARK, dir);
	struct stat st;
	bool has = lstat(mark, &st) == 0;

	free(mark);
	return has;
}

/* Where s->path leads: s->current, s->legacy, s->mode.  -1: not ours. */
static int find_current(struct outset *s)
{
	char *prefix = set_prefix(s), target[PATH_MAX];
	struct stat st;
	ssize_t n;

	free(s->current);
	s->current = NULL;
	s->legacy = false;
	if (lstat(s->path, &st) != 0) {
		free(prefix);
		return errno == ENOENT ? 0 : -1;
	}
	if (S_ISDIR(st.st_mode)) {
		/* a real folder: written by a civreport older than set folders */
		s->current = xstrdup(s->path);
		s->legacy = true;
		s->mode = st.st_mode & 07777;
		free(prefix);
		return 0;
	}
	if (!S_ISLNK(st.st_mode) || (n = readlink(s->path, target, sizeof(target) - 1)) < 0) {
		free(prefix);
		errno = ENOTDIR;
		return -1;
	}
	target[n] = '\0';
	if (strncmp(target, prefix, strlen(prefix)) != 0 || strchr(target, '/') != NULL) {
		free(prefix);
		errno = EEXIST;
		return -1;
	}
	free(prefix);
	s->current = xasprintf("%s/%s", s->parent, target);
	if (lstat(s->current, &st) != 0 || !S_ISDIR(st.st_mode)) {
		/* a dangling link (its folder removed by hand): no current set */
		free(s->current);
		s->current = NULL;
		return 0;
	}
	s->mode = st.st_mode & 07777;
	return 0;
}

/* failed/ folders being built when a run was killed, in the current folder */
static void remove_stale_failed(const char *cur)
{
	static const char prefix[] = OURS_PREFIX "tmp-failed-";
	struct dirent *de;
	DIR *d = opendir(cur);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, sizeof(prefix) - 1) == 0)
			remove_ours(dirfd(d), de->d_name, 1);
	closedir(d);
}

/* Whether one of the links (targets read in the output folder) names path's folder. */
static bool links_to(char *const *targets, size_t n, const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	for (size_t i = 0; i < n; i++) {
		const char *t =
		    strrchr(targets[i], '/') ? strrchr(targets[i], '/') + 1 : targets[i];

		if (strcmp(t, base) == 0)
			return true;
	}
	return false;
}

int outset_recover(struct outset *s)
{
	char *prefix = set_prefix(s);
	size_t plen = strlen(prefix);
	struct dirent *de;
	char **stale = NULL, **linked = NULL;
	size_t nstale = 0, nlinked = 0;
	DIR *d;

	if (find_current(s) != 0) {
		int err = errno;

		log_error("%s 不是 civreport 的输出目录（%s），请改用别的 --output 或移走它",
			  s->path, err == EEXIST ? "是指向别处的符号链接" : strerror(err));
		free(prefix);
		errno = err;
		return -1;
	}
	d = opendir(s->parent);
	if (d == NULL) {
		free(prefix);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char target[PATH_MAX];
		ssize_t n;

		if (strncmp(de->d_name, prefix, plen) == 0) {
			stale = xrealloc(stale, (nstale + 1) * sizeof(*stale));
			stale[nstale++] = xasprintf("%s/%s", s->parent, de->d_name);
		} else if ((n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1)) > 0) {
			/* the operator's own link to a set (output/2021-archive) */
			target[n] = '\0';
			linked = xrealloc(linked, (nlinked + 1) * sizeof(*linked));
			linked[nlinked++] = xstrdup(target);
		}
	}
	closedir(d);
	free(prefix);
	for (size_t i = 0; i < nstale; i++) {
		struct stat st;
		size_t n = strlen(stale[i]), alen = strlen(ASIDE_SUFFIX);

		if (lstat(stale[i], &st) != 0 || (s->current && strcmp(stale[i], s->current) == 0))
			continue;
		if (S_ISLNK(st.st_mode) || S_ISREG(st.st_mode)) {
			unlink(stale[i]); /* a link made for a commit that never happened */
		} else if (!S_ISDIR(st.st_mode)) {
			continue;
		} else if (has_stage_mark(stale[i])) {
			remove_ours_path(stale[i]); /* never committed: all ours */
		} else if (s->current == NULL && n > alen &&
			   strcmp(stale[i] + n - alen, ASIDE_SUFFIX) == 0 &&
			   rename(stale[i], s->path) == 0) {
			/* an old real folder moved aside by a commit that was cut short */
			find_current(s);
		} else if (links_to(linked, nlinked, stale[i])) {
			/* the operator's link names it (mv output/2021 output/2021-archive) */
			log_info("%s 由另一个符号链接指向（如移走的旧报告），保留", stale[i]);
		} else if (s->current == NULL) {
			/*
			 * A complete set that output/<year> no longer names (the
			 * link was removed or moved away): never delete a report
			 * nobody asked to delete.
			 */
			log_warn("%s 是一份完整的旧报告，%s 已不指向它；保留，不清理", stale[i],
				 s->path);
		} else {
			retire(stale[i], s->current);
		}
	}
	for (size_t i = 0; i < nstale; i++)
		free(stale[i]);
	free(stale);
	for (size_t i = 0; i < nlinked; i++)
		free(linked[i]);
	free(linked);
	if (s->current != NULL) {
		outfile_remove_stale(s->current);
		remove_stale_failed(s->current);
	}
	return 0;
}

int outset_begin(struct outset *s)
{
	char *mark;
	int fd, err;
	mode_t mask = umask(0);

	umask(mask);
	if (s->current == NULL)
		s->mode = 0750 & ~mask; /* as make_dirs would have made the folder */
	s->stage = xasprintf("%s/.%s.set-XXXXXX", s->parent, s->period);
	if (mkdtemp(s->stage) == NULL) {
		err = errno;
		free(s->stage);
		s->stage = NULL;
		errno = err;
		return -1;
	}
	mark = outset_stage_file(s, STAGE_MARK);
	if (outfile_stage_register(s->stage) != 0 ||
	    (fd = open(mark, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
		err = errno;
		free(mark);
		outset_abort(s);
		errno = err;
		return -1;
	}
	close(fd);
	free(mark);
	return 0;
}

char *outset_stage_file(const struct outset *s, const char *name)
{
	return xasprintf("%s/%s", s->stage, name);
}

void outset_abort(struct outset *s)
{
	int saved = errno;

	if (s->stage == NULL)
		return;
	outfile_stage_unregister(s->stage);
	remove_ours_path(s->stage);
	free(s->stage);
	s->stage = NULL;
	errno = saved;
}

/*
 * Step 1: link the operator's files of the current folder into the stage;
 * the names of what must be moved after the switch go to *later.
 */
static void carry(struct outset *s, char ***later, size_t *nlater)
{
	struct known k;
	struct dirent *de;
	DIR *d;
	int sfd;

	*later = NULL;
	*nlater = 0;
	if (s->current == NULL || (d = opendir(s->current)) == NULL)
		return;
	sfd = open(s->stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	known_load(&k, s->current);
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    known_has(&k, de->d_name))
			continue;
		/* a name the new set has: the new output replaces it */
		if (fstatat(sfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (!S_ISDIR(st.st_mode) && !testhook_fail("link") &&
		    linkat(dirfd(d), de->d_name, sfd, de->d_name, 0) == 0)
			continue;
		*later = xrealloc(*later, (*nlater + 1) * sizeof(char *));
		(*later)[(*nlater)++] = xstrdup(de->d_name);
	}
	known_free(&k);
	close(sfd);
	closedir(d);
}

/* Step 3: the link over s->path.  Returns 0; -1 with errno, nothing changed. */
static int switch_link(struct outset *s, char **old)
{
	char *link = xasprintf("%s" LINK_SUFFIX, s->stage), *mark;
	int rc, err = 0;
	sigset_t sigs;

	*old = NULL;
	if (testhook_fail("symlink") || symlink(base_name(s->stage), link) != 0) {
		err = errno;
		free(link);
		errno = err;
		return -1;
	}
	/*
	 * The mark goes first: a folder without it that is not current is
	 * retired by the next run (outset_recover), which removes exactly
	 * what its manifest names and the links carried from the current one.
	 */
	mark = outset_stage_file(s, STAGE_MARK);
	if (unlink(mark) != 0) {
		err = errno;
		free(mark);
		unlink(link);
		free(link);
		errno = err;
		return -1;
	}
	free(mark);
	testhook_point("swap");
	/* the stage stops being ours to remove in the same breath as it is committed */
	outfile_block_signals(&sigs);
	if (!s->legacy) {
		rc = outfile_rename(link, s->path);
		err = errno;
	} else {
		rc = testhook_fail("rename")
			 ? -1
			 : renameat2(AT_FDCWD, link, AT_FDCWD, s->path, RENAME_EXCHANGE);
		err = errno;
		if (rc == 0) {
			*old = link; /* the old real folder is where the link was made */
			link = NULL;
		} else if (err == EINVAL || err == ENOSYS || err == EOPNOTSUPP) {
			/* no exchange here: the old folder aside, then the link in */
			char *aside = xasprintf("%s" ASIDE_SUFFIX, s->stage);

			rc = outfile_rename(s->path, aside);
			err = errno;
			if (rc == 0 && (rc = outfile_rename(link, s->path)) != 0) {
				err = errno;
				if (rename(aside, s->path) != 0)
					log_error("无法把原输出目录从 %s 移回 %s：%s", aside,
						  s->path, strerror(errno));
			}
			if (rc == 0)
				*old = aside;
			else
				free(aside);
		}
	}
	if (rc == 0)
		outfile_stage_unregister(s->stage);
	outfile_restore_signals(&sigs);
	if (link != NULL && rc != 0)
		unlink(link);
	free(link);
	errno = err;
	return rc;
}

int outset_commit(struct outset *s)
{
	char **later, *old = NULL;
	size_t nlater;
	int fd, err;

	carry(s, &later, &nlater);
	fd = open(s->stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	err = fd < 0 ? errno : 0;
	if (err == 0 && fchmod(fd, s->mode) != 0)
		err = errno;
	if (err == 0 && fsync(fd) != 0 && errno != EINVAL)
		err = errno;
	if (fd >= 0)
		close(fd);
	if (err == 0 && switch_link(s, &old) != 0)
		err = errno;
	if (err != 0) {
		for (size_t i = 0; i < nlater; i++)
			free(later[i]);
		free(later);
		outset_abort(s);
		errno = err;
		return -1;
	}
	/* committed: from here on, problems are only logged */
	if (sync_path(s->parent) != 0)
		log_warn("无法同步输出目录 %s：%s", s->parent, strerror(errno));
	testhook_point("swapped");
	if (old == NULL && s->current != NULL)
		old = xstrdup(s->current);
	for (size_t i = 0; i < nlater; i++) {
		if (old != NULL && move_entry(old, s->stage, later[i]) != 0)
			log_warn("无法把 %s/%s 移入新的输出目录：%s", old, later[i],
				 strerror(errno));
		free(later[i]);
	}
	free(later);
	if (old != NULL)
		retire(old, s->stage);
	free(old);
	free(s->current);
	s->current = s->stage;
	s->legacy = false;
	s->stage = NULL;
	return 0;
}

/* The text of failed/summary.txt into dir/summary.txt, on disk. */
static int write_summary(const char *dir, const char *summary, mode_t mode)
{
	char *path = xasprintf("%s/summary.txt", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	size_t n = strlen(summary);
	int err = 0;

	free(path);
	if (fd < 0)
		return -1;
	if (write(fd, summary, n) != (ssize_t)n)
		err = errno ? errno : EIO;
	if (err == 0 && (fchmod(fd, mode) != 0 || fsync(fd) != 0))
		err = errno;
	close(fd);
	errno = err;
	return err ? -1 : 0;
}

/* dir (complete, private) becomes cur/failed, replacing an earlier one. */
static int replace_failed(const char *dir, const char *cur)
{
	char *failed = xasprintf("%s/" FAILED_DIR, cur);
	char *aside = xasprintf("%s" ASIDE_SUFFIX, dir);
	struct stat st;
	sigset_t sigs;
	int rc, err;

	outfile_block_signals(&sigs);
	if (lstat(failed, &st) != 0) {
		rc = outfile_rename(dir, failed);
	} else if (!S_ISDIR(st.st_mode)) {
		errno = EEXIST;
		rc = -1;
	} else {
		rc = testhook_fail("rename")
			 ? -1
			 : renameat2(AT_FDCWD, dir, AT_FDCWD, failed, RENAME_EXCHANGE);
		if (rc == 0) {
			/* dir now holds the earlier failed/ */
			free(aside);
			aside = xstrdup(dir);
		} else if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
			rc = outfile_rename(failed, aside);
			if (rc == 0 && (rc = outfile_rename(dir, failed)) != 0) {
				err = errno;
				rename(aside, failed);
				errno = err;
			}
		}
	}
	err = errno;
	if (rc == 0)
		outfile_stage_unregister(dir);
	outfile_restore_signals(&sigs);
	if (rc == 0) {
		remove_ours_path(aside);
		sync_path(cur);
	}
	free(failed);
	free(aside);
	errno = err;
	return rc;
}

int outset_keep_failed(struct outset *s, const char *rejects, const char *summary)
{
	char *from = outset_stage_file(s, rejects), *dir, *to;
	int rc, err;

	if (s->current == NULL) {
		/* no report yet: the failed/ is all an (empty) new set holds */
		char *failed = outset_stage_file(s, FAILED_DIR);

		dir = failed;
		rc = mkdir(dir, 0700);
	} else {
		dir = xasprintf("%s/" OURS_PREFIX "tmp-failed-XXXXXX", s->current);
		rc = mkdtemp(dir) == NULL ? -1 : 0;
		if (rc == 0 && outfile_stage_register(dir) != 0) {
			rmdir(dir);
			rc = -1;
		}
	}
	if (rc != 0) {
		err = errno;
		free(from);
		free(dir);
		errno = err;
		return -1;
	}
	to = xasprintf("%s/rejects.csv", dir);
	rc = outfile_rename(from, to);
	if (rc == 0)
		rc = write_summary(dir, summary, s->mode & 0666);
	if (rc == 0)
		rc = chmod(dir, s->mode);
	if (rc == 0)
		rc = sync_path(dir);
	if (rc == 0 && s->current == NULL)
		rc = outset_commit(s);
	else if (rc == 0)
		rc = replace_failed(dir, s->current);
	err = errno;
	if (rc != 0 && s->current != NULL) {
		outfile_stage_unregister(dir);
		remove_ours_path(dir);
	}
	free(from);
	free(to);
	free(dir);
	errno = err;
	return rc;
}

void outset_release(struct outset *s)
{
	outset_abort(s);
	free(s->parent);
	free(s->period);
	free(s->path);
	free(s->lockname);
	free(s->current);
	memset(s, 0, sizeof(*s));
}
