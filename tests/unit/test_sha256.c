/*
 * test_sha256.c - sha256_buffer and sha256_file against known vectors
 * (FIPS 180-2), and a file larger than one 1 MiB read.
 *
 * Files live in a fresh mkdtemp folder under /tmp, removed at the end; the
 * tests never touch the work tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/sha256.h"
#include "util/xalloc.h"

static const char hex_abc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char hex_empty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char msg_448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char hex_448[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
/* One million 'a': crosses no read boundary, but is the classic long vector. */
static const char hex_million_a[] =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/civreport-sha256-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *write_file(const char *name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void test_buffer_vectors(void **state)
{
	char hex[65];

	(void)state;
	sha256_buffer("abc", 3, hex);
	assert_string_equal(hex, hex_abc);
	sha256_buffer("", 0, hex);
	assert_string_equal(hex, hex_empty);
	sha256_buffer(msg_448, strlen(msg_448), hex);
	assert_string_equal(hex, hex_448);
}

static void test_file_vectors(void **state)
{
	char hex[65];
	int64_t size = -1;
	char *path;

	(void)state;
	path = write_file("abc.txt", "abc", 3);
	assert_int_equal(sha256_file(path, hex, &size), 0);
	assert_string_equal(hex, hex_abc);
	assert_int_equal(size, 3);
	free(path);

	path = write_file("empty.txt", "", 0);
	assert_int_equal(sha256_file(path, hex, &size), 0);
	assert_string_equal(hex, hex_empty);
	assert_int_equal(size, 0);
	free(path);

	/* size may be NULL */
	path = write_file("448.txt", msg_448, strlen(msg_448));
	assert_int_equal(sha256_file(path, hex, NULL), 0);
	assert_string_equal(hex, hex_448);
	free(path);
}

static void test_file_million_a(void **state)
{
	char *data = xmalloc(1000000);
	char hex[65];
	int64_t size;
	char *path;

	(void)state;
	memset(data, 'a', 1000000);
	path = write_file("million-a.txt", data, 1000000);
	assert_int_equal(sha256_file(path, hex, &size), 0);
	assert_string_equal(hex, hex_million_a);
	assert_int_equal(size, 1000000);
	free(path);
	free(data);
}

/* 3.5 MiB of varied bytes: several 1 MiB reads and a partial last one. */
static void test_file_large_matches_buffer(void **state)
{
	size_t len = 3 * 1024 * 1024 + 512 * 1024 + 7;
	unsigned char *data = xmalloc(len);
	char hex_file[65], hex_buf[65];
	int64_t size;
	char *path;

	(void)state;
	for (size_t i = 0; i < len; i++)
		data[i] = (unsigned char)((i * 2654435761u) >> 13);
	path = write_file("large.bin", data, len);
	assert_int_equal(sha256_file(path, hex_file, &size), 0);
	sha256_buffer(data, len, hex_buf);
	assert_string_equal(hex_file, hex_buf);
	assert_int_equal(size, (int64_t)len);
	free(path);
	free(data);
}

static void test_file_errors(void **state)
{
	char hex[65] = "unchanged";
	char *path;

	(void)state;
	path = xasprintf("%s/does-not-exist", tmpdir);
	errno = 0;
	assert_int_equal(sha256_file(path, hex, NULL), -1);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(hex, "unchanged");
	free(path);

	/* A folder opens but does not read: no digest of nothing. */
	errno = 0;
	assert_int_equal(sha256_file(tmpdir, hex, NULL), -1);
	assert_int_equal(errno, EISDIR);
	assert_string_equal(hex, "unchanged");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_buffer_vectors), cmocka_unit_test(test_file_vectors),
	    cmocka_unit_test(test_file_million_a), cmocka_unit_test(test_file_large_matches_buffer),
	    cmocka_unit_test(test_file_errors),
	};

	return cmocka_run_group_tests_name("sha256", tests, setup, teardown);
}
