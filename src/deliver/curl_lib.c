/*
 * curl_lib.c - libcurl through dlopen; see curl_lib.h.
 */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>

#include "curl_lib.h"

#define LIBCURL_SONAME "libcurl.so.4"

static const char *soname = LIBCURL_SONAME;
static struct curl_lib table;
static const struct curl_lib *loaded;
static const char *failed;
static char failure[512]; /* dlerror's sentence, kept: the next dl call replaces it */

/* Each entry of table and the symbol that fills it. */
static const struct {
	size_t offset;
	const char *name;
} symbols[] = {
    {offsetof(struct curl_lib, global_init), "curl_global_init"},
    {offsetof(struct curl_lib, easy_init), "curl_easy_init"},
    {offsetof(struct curl_lib, easy_setopt), "curl_easy_setopt"},
    {offsetof(struct curl_lib, easy_perform), "curl_easy_perform"},
    {offsetof(struct curl_lib, easy_getinfo), "curl_easy_getinfo"},
    {offsetof(struct curl_lib, easy_cleanup), "curl_easy_cleanup"},
    {offsetof(struct curl_lib, easy_strerror), "curl_easy_strerror"},
    {offsetof(struct curl_lib, slist_append), "curl_slist_append"},
    {offsetof(struct curl_lib, slist_free_all), "curl_slist_free_all"},
};

static const char *load(void)
{
	/* kept for the life of the process: curl keeps state of its own */
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL)
		return dlerror();
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		void *fn = dlsym(lib, symbols[i].name);

		if (fn == NULL)
			return dlerror();
		/* POSIX: a function's address converts to and from void * */
		*(void **)((char *)&table + symbols[i].offset) = fn;
	}
	if (table.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return "curl_global_init failed";
	return NULL;
}

const struct curl_lib *curl_lib(const char **why)
{
	if (loaded == NULL && failed == NULL) {
		const char *e = load();

		if (e == NULL) {
			loaded = &table;
		} else {
			snprintf(failure, sizeof(failure), "%s", e);
			failed = failure;
		}
	}
	*why = failed;
	return loaded;
}

void curl_lib_set_soname(const char *name)
{
	soname = name != NULL ? name : LIBCURL_SONAME;
	loaded = NULL;
	failed = NULL;
}
