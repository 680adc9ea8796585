/*
 * cmd_lint.c - `civreport lint`: check a template without reading any data.
 * Prints every problem as file:line:column: message and exits 2 when there
 * is one.  Half-width punctuation next to Chinese text is a warning
 * (lint_punct.c), which leaves the exit status 0; --fix rewrites it first,
 * so that the template checked is the fixed one.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "lint_punct.h"
#include "util/exitcode.h"
#include "util/paths.h"
#include "template/template.h"

int cmd_lint(struct cli *cli)
{
	struct schema schema;
	struct template *t;
	struct template_diag *diags = NULL;
	size_t ndiags = 0;
	struct template_scope scope = {0};
	char *path = cli->template_path ? NULL : data_path("annual-summary.md");
	const char *tp = cli->template_path ? cli->template_path : path;
	size_t npunct = 0;
	int rc;

	if (tp == NULL) {
		fprintf(stderr,
			"civreport lint: 找不到默认模板 annual-summary.md，请用 --template 指定\n");
		return EXIT_USAGE;
	}
	if ((rc = lint_punct(tp, cli->fix, cli->quiet, &npunct)) != 0) {
		free(path);
		return rc;
	}
	if ((rc = cli_load_schema(&schema)) != 0) {
		free(path);
		return rc;
	}
	scope.period = cli->has_period ? cli->period : period_year(2021);
	scope.where = (const char *const *)cli->where;
	scope.nwhere = cli->nwhere;
	rc = template_load(&t, tp, &schema, &scope, &diags, &ndiags);
	if (rc != 0) {
		template_print_diags(stderr, tp, diags, ndiags);
		fprintf(stderr, "%s: %zu 个错误\n", tp, ndiags);
		rc = EXIT_USAGE;
	} else {
		if (!cli->quiet &&
		    (cli->fix || npunct == 0)) /* cron mails whatever reaches stdout */
			printf("%s: 模板检查通过\n", tp);
		else if (!cli->quiet)
			printf("%s: 模板检查通过（有 %zu 处标点警告）\n", tp, npunct);
		template_free(t);
	}
	free(diags);
	free(path);
	schema_release(&schema);
	return rc;
}
