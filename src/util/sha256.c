/*
 * sha256.c - SHA-256 of files and buffers through OpenSSL's EVP; see sha256.h.
 *
 * Files are streamed in 1 MiB reads, so hashing a large input never holds
 * it in memory.  This file must never print a partial digest: on a read
 * error the caller gets -1 and errno, not a hash of half a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "exitcode.h"
#include "sha256.h"
#include "xalloc.h"

#define SHA256_CHUNK (1024 * 1024)

/*
 * EVP only fails here when OpenSSL cannot allocate or is misconfigured:
 * like running out of memory, nothing the run can recover from.
 */
static void evp_failed(void)
{
	fprintf(stderr, "civreport: OpenSSL SHA-256 failed\n");
	exit(EXIT_IO);
}

static void to_hex(const unsigned char *md, unsigned int n, char hex[65])
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned int i = 0; i < n && i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0x0f];
	}
	hex[64] = '\0';
}

void sha256_buffer(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL))
		evp_failed();
	to_hex(md, n, hex);
}

/* Feed fd to ctx until end of file.  Returns 0, or -1 with errno. */
static int digest_fd(EVP_MD_CTX *ctx, int fd, int64_t *total)
{
	unsigned char *buf = xmalloc(SHA256_CHUNK);
	int ret = 0;

	*total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, SHA256_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -1;
			break;
		}
		if (n == 0)
			break;
		if (!EVP_DigestUpdate(ctx, buf, (size_t)n))
			evp_failed();
		*total += n;
	}
	free(buf);
	return ret;
}

int sha256_file(const char *path, char hex[65], int64_t *size)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_MD_CTX *ctx;
	int64_t total;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		evp_failed();
	if (digest_fd(ctx, fd, &total) < 0) {
		err = errno;
		EVP_MD_CTX_free(ctx);
		close(fd);
		errno = err;
		return -1;
	}
	if (!EVP_DigestFinal_ex(ctx, md, &n))
		evp_failed();
	EVP_MD_CTX_free(ctx);
	close(fd);
	to_hex(md, n, hex);
	if (size != NULL)
		*size = total;
	return 0;
}
