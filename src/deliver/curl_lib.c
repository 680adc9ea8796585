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

/* dlerror's sentence, or what failed when it has none */
static const char *dl_failure(const char *what)
{
	const char *e = dlerror();

	return e != NULL ? e : what;
}

static const char *load(void)
{
	/* kept for the life of the process once loaded: curl keeps state of its own */
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	const char *e = NULL;

	if (lib == NULL)
		return dl_failure(soname);
	for (size_t i = 0; e == NULL && i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		void *fn;

		(void)dlerror(); /* dlsym's NULL is an error only with dlerror's word */
		fn = dlsym(lib, symbols[i].name);
		if (fn == NULL)
			e = dl_failure(symbols[i].name);
		/* POSIX: a function's address converts to and from void * */
		*(void **)((char *)&table + symbols[i].offset) = fn;
	}
	if (e == NULL && table.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		e = "libcurl 初始化失败（curl_global_init）";
	if (e != NULL) {
		snprintf(failure, sizeof(failure), "%s", e); /* before dlclose frees it */
		dlclose(lib);
		return failure;
	}
	return NULL;
}

const struct curl_lib *curl_lib(const char **why)
{
	if (loaded == NULL && failed == NULL) {
		const char *e = load();

		if (e == NULL) {
			loaded = &table;
		} else {
			if (e != failure)
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
