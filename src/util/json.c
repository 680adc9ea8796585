/*
 * json.c - JSON string literals for the files civreport writes; see json.h.
 */
#include <string.h>

#include "escape.h"
#include "json.h"
#include "text.h"

void json_string(FILE *fp, const char *s)
{
	size_t len = strlen(s), i = 0;

	fputc('"', fp);
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode_char(s + i, len - i, &cp);

		if (n == 0) {
			/* JSON is UTF-8: a byte that is not becomes U+FFFD */
			fputs("\\ufffd", fp);
			i++;
			continue;
		}
		if (cp == '"' || cp == '\\')
			fprintf(fp, "\\%c", (char)cp);
		else if (cp == '\n')
			fputs("\\n", fp);
		else if (escape_char_unsafe(cp))
			fprintf(fp, "\\u%04x", (unsigned)cp);
		else
			fwrite(s + i, 1, n, fp);
		i += n;
	}
	fputc('"', fp);
}
