/*
 * quality.c - the data-quality summary civreport check and run print: the
 * tables of the report's appendix (report.c), drawn as text (the files not
 * read among them), and the line that reconciles every row read.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "doc/report.h"
#include "render/text/text_table.h"

void cli_print_quality(FILE *fp, const struct schema *schema, const struct ingest_result *res)
{
	struct doc_table *t[4] = {report_files_table(res, ""),
				  report_datasets_table(schema, res, ""),
				  report_unread_table(res, ""), report_reasons_table(res, "", 0)};
	char *balance = report_balance(res);

	for (size_t i = 0; i < 4; i++) {
		if (t[i] == NULL)
			continue;
		if (i > 0)
			fputc('\n', fp);
		text_table_print(fp, t[i]);
		doc_table_free(t[i]);
	}
	fprintf(fp, "合计：%s\n", balance);
	free(balance);
}
