/*
 * xlsx.c - the XLSX renderer's driver: the workbook, its formats and
 * properties, the sheet order and error reporting.  See xlsx.h; the sheets
 * are in xlsx_table.c, xlsx_chart.c and xlsx_meta.c, the cell writers they
 * share in xlsx_sheet.c.
 *
 * path is the caller's temporary file (outfile.h renames it into place, as
 * for the PDF); on failure it is removed, never left half-written.
 *
 * Determinism: libxlsxwriter 1.1.4 stamps docProps/core.xml with the
 * properties' created time (dcterms:created and dcterms:modified) and
 * every zip entry with the fixed DOS date 1980-01-01 00:00, so with created
 * pinned to doc->meta.created two renders of one doc are byte-identical.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/testhook.h"
#include "util/xalloc.h"
#include "xlsx.h"
#include "xlsx_priv.h"

/*
 * 1.1.4 takes created == 0 to mean "now"; a doc without a creation time gets
 * the zip epoch instead, so the bytes still never depend on the clock.
 */
#define CREATED_FALLBACK 315532800 /* 1980-01-01T00:00:00Z */

static lxw_format *new_format(lxw_workbook *wb, bool bold, bool border, const char *numfmt)
{
	lxw_format *f = workbook_add_format(wb);

	if (bold)
		format_set_bold(f);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	if (numfmt)
		format_set_num_format(f, numfmt);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	return f;
}

static void formats_init(struct xlsx_ctx *x)
{
	struct xlsx_formats *f = &x->f;
	lxw_workbook *wb = x->wb;

	f->caption = new_format(wb, true, false, NULL);
	format_set_font_size(f->caption, 14);
	f->section = new_format(wb, true, false, NULL);
	format_set_font_size(f->section, 12);
	f->header = new_format(wb, true, true, NULL);
	format_set_align(f->header, LXW_ALIGN_CENTER);
	format_set_bg_color(f->header, 0xDDEBF7);
	format_set_text_wrap(f->header);
	f->text = new_format(wb, false, true, NULL);
	f->yuan = new_format(wb, false, true, XLSX_NUMFMT_YUAN);
	f->count = new_format(wb, false, true, XLSX_NUMFMT_COUNT);
	f->scaled = new_format(wb, false, true, XLSX_NUMFMT_SCALED);
	f->total_text = new_format(wb, true, true, NULL);
	f->total_yuan = new_format(wb, true, true, XLSX_NUMFMT_YUAN);
	f->total_count = new_format(wb, true, true, XLSX_NUMFMT_COUNT);
	f->no_value = new_format(wb, false, true, NULL);
	f->total_no_value = new_format(wb, true, true, NULL);
	format_set_align(f->no_value, LXW_ALIGN_RIGHT);
	format_set_align(f->total_no_value, LXW_ALIGN_RIGHT);
	format_set_bg_color(f->total_text, 0xF2F2F2);
	format_set_bg_color(f->total_yuan, 0xF2F2F2);
	format_set_bg_color(f->total_count, 0xF2F2F2);
	format_set_bg_color(f->total_no_value, 0xF2F2F2);
	for (int d = 0; d < 3; d++)
		for (int t = 0; t < 2; t++) {
			static const char *const numfmt[3] = {"#,##0", "#,##0.0", "#,##0.00"};
			static const char *const pctfmt[3] = {"0%", "0.0%", "0.00%"};
			f->digits[d][t] = new_format(wb, t, true, numfmt[d]);
			f->percent[d][t] = new_format(wb, t, true, pctfmt[d]);
			if (t) {
				format_set_bg_color(f->digits[d][t], 0xF2F2F2);
				format_set_bg_color(f->percent[d][t], 0xF2F2F2);
			}
		}
}

static void set_properties(struct xlsx_ctx *x)
{
	const struct doc_meta *m = &x->doc->meta;
	lxw_doc_properties p = {0};

	p.title = (char *)xlsx_str(x, m->title);
	p.subject = (char *)xlsx_str(x, m->subject);
	p.author = (char *)xlsx_str(x, m->author);
	p.company = (char *)xlsx_str(x, m->organisation);
	p.keywords = (char *)xlsx_str(x, m->keywords);
	p.comments = (char *)xlsx_str(x, m->generator ? m->generator : "");
	p.created = m->created > 0 ? (time_t)m->created : (time_t)CREATED_FALLBACK;
	xlsx_check(x, workbook_set_properties(x->wb, &p), "文档属性");
}

/* One sheet per table and chart of the body, named after its caption. */
static void block_sheets(struct xlsx_ctx *x)
{
	for (size_t i = 0; i < x->doc->nblocks; i++) {
		const struct doc_block *b = &x->doc->blocks[i];

		if (b->kind == DOC_TABLE && b->table)
			xlsx_table_sheet(x, b->table);
		else if (b->kind == DOC_CHART && b->chart)
			xlsx_chart_sheet(x, b->chart);
	}
}

static void ctx_free(struct xlsx_ctx *x)
{
	for (size_t i = 0; i < x->npool; i++)
		free(x->pool[i]);
	for (size_t i = 0; i < x->nnames; i++)
		free(x->names[i]);
	free(x->pool);
	free(x->names);
}

static void report(char *err, size_t errlen, const char *path, const struct xlsx_ctx *x,
		   lxw_error e, int saved_errno)
{
	const char *where = x->lerr != LXW_NO_ERROR ? x->where : "保存工作簿";

	if (e == LXW_ERROR_CREATING_XLSX_FILE && saved_errno)
		snprintf(err, errlen, "XLSX：写入 %s 失败：%s：%s（%s）", path, where,
			 lxw_strerror(e), strerror(saved_errno));
	else
		snprintf(err, errlen, "XLSX：写入 %s 失败：%s：%s", path, where, lxw_strerror(e));
}

/*
 * Fail early and clearly when path cannot be written (1.1.4 only prints it),
 * and refuse a symlink at path (O_NOFOLLOW); libxlsxwriter then opens it by
 * name, which in a run is inside the run's private staging folder (outset.h).
 */
static bool can_create(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);

	if (fd < 0) {
		snprintf(err, errlen, "XLSX：无法写入 %s：%s", path, strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

int xlsx_render(const struct doc *doc, const char *path, char *err, size_t errlen)
{
	struct xlsx_ctx x = {0};
	lxw_error e;
	int saved_errno;

	testhook_point("render-xlsx");
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (!can_create(path, err, errlen))
		return -1;
	x.doc = doc;
	x.wb = workbook_new(path);
	if (x.wb == NULL) {
		snprintf(err, errlen, "XLSX：%s：%s", path,
			 lxw_strerror(LXW_ERROR_MEMORY_MALLOC_FAILED));
		remove(path);
		return -1;
	}
	/* The fixed sheets come last but their names are taken first. */
	xlsx_name_take(&x, xstrdup(XLSX_SHEET_FIGURES));
	xlsx_name_take(&x, xstrdup(XLSX_SHEET_QUALITY));
	formats_init(&x);
	set_properties(&x);
	block_sheets(&x);
	xlsx_figures_sheet(&x);
	if (doc->nappendix > 0)
		xlsx_quality_sheet(&x);

	errno = 0;
	e = workbook_close(x.wb); /* writes the file and frees the workbook */
	saved_errno = errno;
	if (x.lerr != LXW_NO_ERROR)
		e = x.lerr;
	if (e != LXW_NO_ERROR) {
		report(err, errlen, path, &x, e, saved_errno);
		remove(path);
	}
	ctx_free(&x);
	return e != LXW_NO_ERROR ? -1 : 0;
}
