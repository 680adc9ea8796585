/*
 * json_read.h - reading back the small JSON files civreport writes itself
 * (manifest.json): a whole document parsed into a tree of values.
 *
 * Strict RFC 8259 syntax (no comments, no trailing commas); strings are
 * unescaped into UTF-8 (\uXXXX with surrogate pairs), numbers are kept as
 * their text (read them with strtoll/strtod), and nothing has a size limit
 * but memory.  Nesting deeper than 64 levels is refused, so a hostile file
 * cannot exhaust the stack.
 *
 * Usage:
 *
 *	struct json_value *doc = json_parse(text, len);
 *	const struct json_value *mail = json_get(doc, "mail");
 *	const char *state = json_get_string(mail, "state");	// NULL if absent
 *	json_free(doc);
 */
#ifndef CIVREPORT_JSON_READ_H
#define CIVREPORT_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_value {
	enum json_type type;
	bool boolean;             /* JSON_BOOL */
	char *text;               /* JSON_STRING: unescaped; JSON_NUMBER: as written */
	size_t n;                 /* JSON_ARRAY, JSON_OBJECT: how many members */
	char **keys;              /* JSON_OBJECT: the members' names */
	struct json_value *items; /* JSON_ARRAY, JSON_OBJECT: the members */
};

/* The document in text[0..len), or NULL when it is not valid JSON. */
struct json_value *json_parse(const char *text, size_t len);

/* The document in the file at path, or NULL (errno set, EINVAL: not JSON). */
struct json_value *json_parse_file(const char *path);

/* Member key of object v (the first of that name), or NULL when v is no object or lacks it. */
const struct json_value *json_get(const struct json_value *v, const char *key);

/* Member key as a string, or NULL when absent or not a string. */
const char *json_get_string(const struct json_value *v, const char *key);

/* Member key as an integer, or deflt when absent or not an integer. */
long long json_get_int(const struct json_value *v, const char *key, long long deflt);

void json_free(struct json_value *v);

#endif
