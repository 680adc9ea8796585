/*
 * ini.c - the INI line splitter; see ini.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "xalloc.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int ini_parse_string(const char *text, ini_handler handler, void *ctx, int *bad_line)
{
	char *copy = xstrdup(text), *line = copy, *next;
	char *section = xstrdup("");
	int lineno = 0, rc = 0;

	/* A UTF-8 BOM from an editor on Windows is not part of the first key. */
	if (strncmp(line, "\xEF\xBB\xBF", 3) == 0)
		line += 3;
	for (; line != NULL && rc == 0; line = next) {
		char *s, *eq;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		s = trim(line);
		if (*s == '\0' || *s == ';' || *s == '#')
			continue;
		if (*s == '[') {
			char *end = strrchr(s, ']');
			if (end == NULL)
				goto malformed;
			*end = '\0';
			free(section);
			section = xstrdup(trim(s + 1));
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL)
			goto malformed;
		*eq = '\0';
		rc = handler(ctx, section, trim(s), trim(eq + 1), lineno);
	}
	free(section);
	free(copy);
	return rc;
malformed:
	if (bad_line != NULL)
		*bad_line = lineno;
	free(section);
	free(copy);
	errno = EINVAL;
	return -1;
}

int ini_parse_file(const char *path, ini_handler handler, void *ctx, int *bad_line)
{
	FILE *fp = fopen(path, "rb");
	char *text = NULL;
	size_t cap = 0, len = 0, n;
	int rc;

	if (bad_line != NULL)
		*bad_line = 0;
	if (fp == NULL)
		return -1;
	do {
		text = xgrow(text, &cap, len + 4097, 1);
		n = fread(text + len, 1, 4096, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		int saved = errno;
		fclose(fp);
		free(text);
		errno = saved;
		return -1;
	}
	fclose(fp);
	text[len] = '\0';
	rc = ini_parse_string(text, handler, ctx, bad_line);
	free(text);
	return rc;
}

/* The next top-level comma (ASCII or full-width) in p, not inside brackets. */
static char *next_comma(char *p, size_t *skip)
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '(' || strncmp(p, "（", 3) == 0) {
			depth++;
		} else if ((*p == ')' || strncmp(p, "）", 3) == 0) && depth > 0) {
			depth--;
		} else if (depth == 0 && *p == ',') {
			*skip = 1;
			return p;
		} else if (depth == 0 && strncmp(p, "，", 3) == 0) {
			*skip = 3;
			return p;
		}
	}
	return NULL;
}

size_t ini_split_list(const char *value, char ***items)
{
	char *copy = xstrdup(value), *p = copy;
	size_t n = 0, cap = 0;

	*items = NULL;
	while (p != NULL) {
		size_t skip = 0;
		/* an alias such as 县(市,区) keeps the comma inside its brackets */
		char *comma = next_comma(p, &skip), *item;

		if (comma != NULL)
			*comma = '\0';
		item = trim(p);
		if (*item != '\0') {
			*items = xgrow(*items, &cap, n + 1, sizeof(char *));
			(*items)[n++] = xstrdup(item);
		}
		p = comma != NULL ? comma + skip : NULL;
	}
	free(copy);
	return n;
}

void ini_free_list(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}
