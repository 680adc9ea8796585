/*
 * json_read.c - a small recursive-descent JSON reader; see json_read.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_read.h"
#include "strbuf.h"
#include "xalloc.h"

#define MAX_DEPTH 64

struct reader {
	const char *p, *end;
	int depth;
};

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static void free_members(struct json_value *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free_members(&v->items[i]);
		if (v->keys != NULL)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->text);
}

static int hex4(struct reader *r, unsigned *out)
{
	unsigned v = 0;

	if (r->end - r->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = *r->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void put_utf8(struct strbuf *sb, unsigned cp)
{
	if (cp < 0x80) {
		strbuf_addch(sb, (char)cp);
	} else if (cp < 0x800) {
		strbuf_addch(sb, (char)(0xc0 | cp >> 6));
		strbuf_addch(sb, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		strbuf_addch(sb, (char)(0xe0 | cp >> 12));
		strbuf_addch(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		strbuf_addch(sb, (char)(0x80 | (cp & 0x3f)));
	} else {
		strbuf_addch(sb, (char)(0xf0 | cp >> 18));
		strbuf_addch(sb, (char)(0x80 | ((cp >> 12) & 0x3f)));
		strbuf_addch(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		strbuf_addch(sb, (char)(0x80 | (cp & 0x3f)));
	}
}

/* A string literal at r->p (the opening quote); its unescaped text in *out. */
static int parse_string(struct reader *r, char **out)
{
	struct strbuf sb = STRBUF_INIT;

	r->p++;
	while (r->p < r->end && *r->p != '"') {
		unsigned char c = (unsigned char)*r->p++;
		unsigned cp, lo;

		if (c < 0x20)
			goto bad;
		if (c != '\\') {
			strbuf_addch(&sb, (char)c);
			continue;
		}
		if (r->p >= r->end)
			goto bad;
		switch (*r->p++) {
		case '"':
			strbuf_addch(&sb, '"');
			break;
		case '\\':
			strbuf_addch(&sb, '\\');
			break;
		case '/':
			strbuf_addch(&sb, '/');
			break;
		case 'b':
			strbuf_addch(&sb, '\b');
			break;
		case 'f':
			strbuf_addch(&sb, '\f');
			break;
		case 'n':
			strbuf_addch(&sb, '\n');
			break;
		case 'r':
			strbuf_addch(&sb, '\r');
			break;
		case 't':
			strbuf_addch(&sb, '\t');
			break;
		case 'u':
			if (hex4(r, &cp) != 0)
				goto bad;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
					goto bad;
				r->p += 2;
				if (hex4(r, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
					goto bad;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				goto bad;
			}
			put_utf8(&sb, cp);
			break;
		default:
			goto bad;
		}
	}
	if (r->p >= r->end)
		goto bad;
	r->p++;
	*out = sb.buf != NULL ? strbuf_detach(&sb, NULL) : xstrdup("");
	return 0;
bad:
	strbuf_release(&sb);
	return -1;
}

static int parse_value(struct reader *r, struct json_value *v);

/* Append a zeroed member to v; its index is v->n - 1. */
static struct json_value *add_member(struct json_value *v, size_t *cap, size_t *kcap)
{
	v->items = xgrow(v->items, cap, v->n + 1, sizeof(*v->items));
	if (v->type == JSON_OBJECT)
		v->keys = xgrow(v->keys, kcap, v->n + 1, sizeof(*v->keys));
	memset(&v->items[v->n], 0, sizeof(v->items[0]));
	if (v->keys != NULL)
		v->keys[v->n] = NULL;
	return &v->items[v->n++];
}

/* An array or object at r->p; close is ']' or '}'. */
static int parse_container(struct reader *r, struct json_value *v, char close)
{
	size_t cap = 0, kcap = 0;

	if (++r->depth > MAX_DEPTH)
		return -1;
	r->p++;
	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		r->depth--;
		return 0;
	}
	for (;;) {
		struct json_value *m;
		char *key = NULL;

		skip_ws(r);
		if (close == '}') {
			if (r->p >= r->end || *r->p != '"' || parse_string(r, &key) != 0)
				return -1;
			skip_ws(r);
			if (r->p >= r->end || *r->p != ':') {
				free(key);
				return -1;
			}
			r->p++;
		}
		m = add_member(v, &cap, &kcap);
		if (key != NULL)
			v->keys[v->n - 1] = key;
		if (parse_value(r, m) != 0)
			return -1;
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			r->depth--;
			return 0;
		}
		return -1;
	}
}

static int parse_number(struct reader *r, struct json_value *v)
{
	const char *s = r->p;

	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p >= r->end || *r->p < '0' || *r->p > '9')
		return -1;
	while (r->p < r->end && strchr("0123456789.eE+-", *r->p) != NULL)
		r->p++;
	v->type = JSON_NUMBER;
	v->text = xstrndup(s, (size_t)(r->p - s));
	return 0;
}

static int literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return -1;
	r->p += n;
	return 0;
}

static int parse_value(struct reader *r, struct json_value *v)
{
	skip_ws(r);
	if (r->p >= r->end)
		return -1;
	switch (*r->p) {
	case '{':
		v->type = JSON_OBJECT;
		return parse_container(r, v, '}');
	case '[':
		v->type = JSON_ARRAY;
		return parse_container(r, v, ']');
	case '"':
		v->type = JSON_STRING;
		return parse_string(r, &v->text);
	case 't':
		v->type = JSON_BOOL;
		v->boolean = true;
		return literal(r, "true");
	case 'f':
		v->type = JSON_BOOL;
		return literal(r, "false");
	case 'n':
		v->type = JSON_NULL;
		return literal(r, "null");
	default:
		return parse_number(r, v);
	}
}

struct json_value *json_parse(const char *text, size_t len)
{
	struct reader r = {.p = text, .end = text + len};
	struct json_value *v = xcalloc(1, sizeof(*v));

	if (parse_value(&r, v) == 0) {
		skip_ws(&r);
		if (r.p == r.end)
			return v;
	}
	json_free(v);
	return NULL;
}

struct json_value *json_parse_file(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_value *v;
	char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			close(fd);
			strbuf_release(&sb);
			errno = err;
			return NULL;
		}
		strbuf_add(&sb, buf, (size_t)n);
	}
	close(fd);
	v = json_parse(sb.buf != NULL ? sb.buf : "", sb.len);
	strbuf_release(&sb);
	if (v == NULL)
		errno = EINVAL;
	return v;
}

const struct json_value *json_get(const struct json_value *v, const char *key)
{
	if (v == NULL || v->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return &v->items[i];
	return NULL;
}

const char *json_get_string(const struct json_value *v, const char *key)
{
	const struct json_value *m = json_get(v, key);

	return m != NULL && m->type == JSON_STRING ? m->text : NULL;
}

long long json_get_int(const struct json_value *v, const char *key, long long deflt)
{
	const struct json_value *m = json_get(v, key);
	char *end;
	long long n;

	if (m == NULL || m->type != JSON_NUMBER)
		return deflt;
	errno = 0;
	n = strtoll(m->text, &end, 10);
	return errno == 0 && *end == '\0' ? n : deflt;
}

void json_free(struct json_value *v)
{
	if (v == NULL)
		return;
	free_members(v);
	free(v);
}
