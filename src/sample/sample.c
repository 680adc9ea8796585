/*
 * sample.c - `civreport sample`: write a deterministic synthetic copy of
 * Guang'an's four exports whose figures at scale 1 are exactly those of the
 * 2021 annual summary.  This file checks the options, makes the folder and
 * runs the datasets in a fixed order (the order matters: ID numbers are
 * handed out in it).  See sample.h; the datasets live in sample_relief.c,
 * sample_children.c and sample_ledger.c.
 *
 * It must never read the clock or rand(): the same options give the same
 * bytes on every machine.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "sample.h"
#include "sample_impl.h"
#include "util/xalloc.h"

/* Generous bounds: beyond them the birth years or the sizes stop making sense. */
#define YEAR_MIN  2000
#define YEAR_MAX  2090
#define SCALE_MAX 100.0

/* mkdir -p: create path and its missing parents. */
static int make_dirs(const char *path, char *err, size_t errlen)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "无法创建目录 %s：%s", p, strerror(errno));
			rc = -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

static int check_options(const struct sample_options *opt, char *err, size_t errlen)
{
	if (opt->out == NULL || opt->out[0] == '\0') {
		snprintf(err, errlen, "未指定输出目录");
		return -1;
	}
	if (opt->year < YEAR_MIN || opt->year > YEAR_MAX) {
		snprintf(err, errlen, "年份 %d 超出范围（%d—%d）", opt->year, YEAR_MIN, YEAR_MAX);
		return -1;
	}
	/* written as a negation so that NaN is refused too */
	if (!(opt->scale > 0.0 && opt->scale <= SCALE_MAX)) {
		snprintf(err, errlen, "规模 %g 超出范围（大于 0，至多 %g）", opt->scale, SCALE_MAX);
		return -1;
	}
	if (opt->format != SAMPLE_CSV && opt->format != SAMPLE_XLSX) {
		snprintf(err, errlen, "未知的输出格式 %d", (int)opt->format);
		return -1;
	}
	if (opt->sheet_rows < 0) {
		snprintf(err, errlen, "每个工作表的行数 %ld 不能为负", opt->sheet_rows);
		return -1;
	}
	return 0;
}

int sample_generate(const struct sample_options *opt, char *err, size_t errlen)
{
	struct sample_ctx ctx = {0};
	struct stat st;
	int rc;

	if (check_options(opt, err, errlen) != 0)
		return -1;
	if (make_dirs(opt->out, err, errlen) != 0)
		return -1;
	if (stat(opt->out, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s 不是目录", opt->out);
		return -1;
	}
	ctx.year = opt->year;
	ctx.scale = opt->scale;
	ctx.seed = opt->seed;
	ctx.out = opt->out;
	ctx.format = opt->format;
	ctx.sheet_rows = opt->sheet_rows;
	sample_ids_init(&ctx.ids, opt->year, opt->seed);

	rc = sample_relief(&ctx, err, errlen);
	if (rc == 0)
		rc = sample_children(&ctx, err, errlen);
	if (rc == 0)
		rc = sample_elderly(&ctx, err, errlen);
	if (rc == 0)
		rc = sample_charity(&ctx, err, errlen);

	sample_ids_release(&ctx.ids);
	return rc;
}
