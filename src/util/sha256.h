/*
 * sha256.h - SHA-256 of files and buffers, in hex, through OpenSSL's EVP.
 *
 * Used for provenance (the appendix, the workbook) and for the manifest that
 * lets --if-changed skip a night's run.
 */
#ifndef CIVREPORT_SHA256_H
#define CIVREPORT_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* hex must hold 65 bytes.  Returns 0, or -1 with errno (file unreadable). */
int sha256_file(const char *path, char hex[65], int64_t *size);
void sha256_buffer(const void *data, size_t len, char hex[65]);

#endif
