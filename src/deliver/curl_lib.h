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

struct curl_lib {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *h);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
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
