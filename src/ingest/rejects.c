/*
 * rejects.c - writing rejects.csv; see rejects.h.
 */
#include <string.h>

#include "rejects.h"

void csv_write_field(FILE *fp, const char *s, int last)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', fp);
	/*
	 * CSV formula injection: =cmd|' /C calc'!A0 must stay text; Excel
	 * also reads a formula after a leading tab or CR (OWASP's list)
	 */
	if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
		fputc('\'', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	if (quote)
		fputc('"', fp);
	fputs(last ? "\r\n" : ",", fp);
}

void rejects_begin(FILE *fp)
{
	fputs("\xEF\xBB\xBF", fp);
	fputs("文件,工作表,行号,单元格,数据集,列,原因,记录（已脱敏）\r\n", fp);
}

void rejects_write(FILE *fp, const struct ingest_reject *r)
{
	char line[32];

	snprintf(line, sizeof(line), "%llu", (unsigned long long)r->line);
	csv_write_field(fp, r->file, 0);
	csv_write_field(fp, r->sheet ? r->sheet : "", 0);
	csv_write_field(fp, line, 0);
	csv_write_field(fp, r->cell ? r->cell : "", 0);
	csv_write_field(fp, r->ds ? r->ds->name : "", 0);
	csv_write_field(fp, r->column, 0);
	csv_write_field(fp, r->reason, 0);
	csv_write_field(fp, r->row, 1);
}
