/*
 * curl_lib.h - libcurl, loaded when the first mail is sent.
 *
 * Linked, libcurl and the thirty libraries it pulls in (TLS, HTTP/2,
 * LDAP, Kerberos...) cost every invocation 11 ms before main: symbol
 * binding and their constructors, a third of the start of a repeat
 * `civreport query`, for a mail most runs never send (git keeps libcurl
 * out of its commands the same way, in git-remote-http).  So mail.c calls
 * libcurl through this table, filled once by dlopen("libcurl.so.4"): the
 * SONAME our headers are for, from the same Debian package.
 *
 *	const struct curl_lib *cu = curl_lib(&why);
 *
 *	if (cu == NULL)
 *		... why: dlerror()'s sentence ...
 *	h = cu->easy_init();
 */
#ifndef CIVREPORT_CURL_LIB_H
#define CIVREPORT_CURL_LIB_H

#include <curl/curl.h>

/*
 * Each function's type is curl.h's own, so the table cannot drift from it.
 * What is lost is curl's compile-time check of curl_easy_setopt's values
 * (typecheck-gcc.h works on the name): mail.c passes longs as 1L, (long).
 */
struct curl_lib {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
};

/*
 * The table, libcurl loaded and curl_global_init called (once, on the
 * first call: not thread-safe, as curl_global_init is not); or NULL with
 * *why (static) saying what failed.
 */
const struct curl_lib *curl_lib(const char **why);

/*
 * Tests only: load soname instead of libcurl's (NULL: libcurl's again) at
 * the next curl_lib(), as if nothing had been loaded.
 */
void curl_lib_set_soname(const char *soname);

#endif
