/*
 * sample_out.c - the sample generator's output files: one large buffer per
 * file, optional conversion to GB18030 through glibc's iconv, and a hidden
 * temporary name renamed into place only when everything was written, so a
 * killed run never leaves a half file that looks like an export.
 *
 * The temporary name is random and created with O_EXCL (mkostemps): --out
 * may be a shared folder such as /tmp, where a predictable name (it was
 * .NAME.PID.tmp) lets another user plant a symlink there and have this run
 * (as root, say) overwrite the file it points to.  O_CREAT|O_EXCL never
 * follows a symlink: a name that exists, as anything, is skipped.
 *
 * Errors are sticky (as cairo's): a failed write is remembered and reported
 * once by sample_out_close(), so the row loops carry no checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sample_impl.h"
#include "util/xalloc.h"

/* Large writes: a scale-10 sample is several gigabytes. */
#define OUT_BUFSIZE (4u << 20)
/* The mode of a generated export (mkostemps creates the file 0600). */
#define OUT_MODE   0644
#define TMP_SUFFIX ".tmp"

int sample_out_open(struct sample_out *o, const char *dir, const char *name,
		    enum sample_encoding enc, int crlf, char *err, size_t errlen)
{
	int fd;

	memset(o, 0, sizeof(*o));
	o->cd = (iconv_t)-1;
	o->path = xasprintf("%s/%s", dir, name);
	/* hidden and not ending in .csv, so no reader mistakes it for an export */
	o->tmp = xasprintf("%s/.%s.XXXXXX" TMP_SUFFIX, dir, name);
	o->eol = crlf ? "\r\n" : "\n";
	o->eollen = crlf ? 2 : 1;
	if (enc == ENC_GB18030) {
		o->cd = iconv_open("GB18030", "UTF-8");
		if (o->cd == (iconv_t)-1) {
			snprintf(err, errlen, "无法转换为 GB18030 编码：%s", strerror(errno));
			goto fail;
		}
	}
	fd = mkostemps(o->tmp, (int)strlen(TMP_SUFFIX), O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(err, errlen, "无法在 %s 中创建文件 %s：%s", dir, name, strerror(errno));
		goto fail;
	}
	o->fp = fdopen(fd, "wb");
	if (o->fp == NULL || fchmod(fd, OUT_MODE) != 0) {
		snprintf(err, errlen, "无法创建文件 %s：%s", o->tmp, strerror(errno));
		if (o->fp != NULL)
			fclose(o->fp);
		else
			close(fd);
		o->fp = NULL;
		unlink(o->tmp);
		goto fail;
	}
	o->cap = OUT_BUFSIZE;
	o->buf = xmalloc(o->cap);
	if (enc == ENC_UTF8_BOM)
		sample_out_raw(o, "\xEF\xBB\xBF", 3);
	return 0;
fail:
	if (o->cd != (iconv_t)-1)
		iconv_close(o->cd);
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
	o->cd = (iconv_t)-1;
	return -1;
}

static void out_write(struct sample_out *o, const char *s, size_t n)
{
	if (o->err || n == 0)
		return;
	errno = 0;
	if (fwrite(s, 1, n, o->fp) != n)
		o->err = errno ? errno : EIO;
}

static void out_flush(struct sample_out *o)
{
	out_write(o, o->buf, o->len);
	o->len = 0;
}

void sample_out_spill(struct sample_out *o, const char *s, size_t n)
{
	out_flush(o);
	if (n > o->cap) {
		out_write(o, s, n);
		return;
	}
	memcpy(o->buf, s, n);
	o->len = n;
}

/*
 * Convert in[0..n) into the buffer, flushing whenever it fills.  Text that
 * GB18030 cannot hold (none: it covers all of Unicode) or broken UTF-8 is a
 * bug in the generator, reported as EILSEQ at close.
 */
void sample_out_text(struct sample_out *o, const char *s, size_t n)
{
	char *in = (char *)s;
	size_t inleft = n;

	if (o->cd == (iconv_t)-1) {
		sample_out_raw(o, s, n);
		return;
	}
	while (inleft > 0 && !o->err) {
		char *outp = o->buf + o->len;
		size_t outleft = o->cap - o->len;

		if (iconv(o->cd, &in, &inleft, &outp, &outleft) == (size_t)-1 && errno != E2BIG) {
			o->err = EILSEQ;
			break;
		}
		o->len = (size_t)(outp - o->buf);
		if (inleft > 0)
			out_flush(o);
	}
}

void sample_out_encode(struct sample_out *o, const struct sample_line *in, struct sample_line *out)
{
	char *inp = (char *)in->b, *outp = out->b;
	size_t inleft = in->n, outleft = sizeof(out->b);

	if (o->cd == (iconv_t)-1) {
		*out = *in;
		return;
	}
	if (iconv(o->cd, &inp, &inleft, &outp, &outleft) == (size_t)-1 && !o->err)
		o->err = EILSEQ;
	out->n = sizeof(out->b) - outleft;
}

static void out_free(struct sample_out *o)
{
	if (o->cd != (iconv_t)-1)
		iconv_close(o->cd);
	free(o->buf);
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
	o->cd = (iconv_t)-1;
}

int sample_out_close(struct sample_out *o, char *err, size_t errlen)
{
	int rc = 0;

	out_flush(o);
	if (fclose(o->fp) != 0 && !o->err)
		o->err = errno ? errno : EIO;
	o->fp = NULL;
	if (!o->err && rename(o->tmp, o->path) != 0)
		o->err = errno;
	if (o->err) {
		snprintf(err, errlen, "无法写入 %s：%s", o->path, strerror(o->err));
		unlink(o->tmp);
		rc = -1;
	}
	out_free(o);
	return rc;
}

void sample_out_discard(struct sample_out *o)
{
	if (o->path == NULL)
		return; /* never opened, or already closed */
	if (o->fp != NULL) {
		fclose(o->fp);
		unlink(o->tmp);
	}
	out_free(o);
}
