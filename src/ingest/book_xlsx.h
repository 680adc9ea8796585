/*
 * book_xlsx.h - private to the .xlsx reader: the package as read at
 * open (book_xlsx.c), the sheet streamed on demand
 * (book_xlsx_sheet.c), and the zip and expat plumbing both use
 * (book_xlsx_part.c).  Files call down this list, never up it.
 *
 * Every XML part goes through expat with namespace processing
 * (XML_ParserCreateNS, '|'), and elements and attributes are matched by
 * local name, so an "x:"-prefixed file reads like any other.  A document
 * type declaration is refused (an OOXML part never has one; this also
 * shuts out entity expansion), and a single XML token may not grow past
 * WBX_MAX_TOKEN: expat buffers a token whole, and a small zip can inflate
 * to gigabytes of one attribute.
 */
#ifndef CIVREPORT_BOOK_XLSX_H
#define CIVREPORT_BOOK_XLSX_H

#include <expat.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zip.h>

#include "util/strbuf.h"
#include "book_impl.h"

/*
 * The most one token, one cell's text or one row's CSV line may hold: the
 * ingest refuses a longer line anyway (CHUNK_MAX_RECORD_BYTES), and Excel
 * itself holds at most 32,767 characters in a cell.
 */
#define WBX_MAX_PIECE (64u << 20)

/*
 * The most bytes fed to expat with no event: one start tag still growing.
 * Lower than WBX_MAX_PIECE because expat 2.5 scans such a token again at
 * every chunk (quadratic), and no tag Excel writes comes near it.
 */
#define WBX_MAX_TOKEN (16u << 20)

/* How much of a part is inflated and handed to expat at a time. */
#define WBX_CHUNK (256u << 10)

/* The last row and column Excel has (XFD1048576). */
#define WBX_MAX_ROW 1048576u
#define WBX_MAX_COL 16384u

/*
 * What every expat handler's user data starts with, so that the shared
 * handlers (the refused DTD) and the feeding loop can report through it.
 */
struct wbx_ctx {
	XML_Parser parser;
	size_t quiet; /* bytes fed since the last event: a token still growing */
	bool failed;  /* a handler stopped the parser; err holds why */
	char err[512];
};

/* The package and what is read from it once, at open. */
struct wbx_book {
	zip_t *zip;
	char **parts;  /* per sheet, its part name; NULL when the package lacks it */
	bool date1904; /* <workbookPr date1904="1"> */
	bool *xf_date; /* per cellXfs entry: its number format is a date or time */
	size_t nxf;
	/* shared strings: string i is sst[sst_off[i]] .. sst[sst_off[i + 1]] */
	char *sst;
	size_t *sst_off;
	size_t nsst;
	bool sst_missing;        /* the workbook names a shared-strings part the zip lacks */
	struct wbx_sheet *sheet; /* the selected sheet's reader, or NULL */
};

/* book_xlsx_part.c */

/* The local part of an expat name ("uri|local" or "local"). */
const char *wbx_local(const char *name);

/* The value of the attribute with local name local, or NULL. */
const char *wbx_attr(const char **atts, const char *local);

/*
 * A new namespace-aware parser whose user data is ctx (the caller's struct
 * starting with it), with the DTD refused.  The caller sets its handlers.
 */
XML_Parser wbx_parser_new(struct wbx_ctx *ctx);

/* Stop the parser from a handler, with the reason for err. */
void wbx_fail(struct wbx_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Open part name (case-insensitive, as part names are); NULL when the
 * package has no such part, or with err set when it cannot be read
 * (encrypted entry, damaged zip).
 */
zip_file_t *wbx_part_open(zip_t *zip, const char *name, char *err, size_t errlen);

/* Whether the package has part name. */
bool wbx_part_exists(zip_t *zip, const char *name);

/*
 * Feed the next chunk of zf to ctx's parser.  1 when more may follow, 0
 * when the part ended (the final buffer was parsed), 2 when a handler
 * suspended the parser (resume with XML_ResumeParser), -1 with err on a
 * damaged part (the reason is ctx->err when a handler gave one).
 */
int wbx_feed(struct wbx_ctx *ctx, zip_file_t *zf, bool *final, char *err, size_t errlen);

/* Parse the whole part name through ctx's parser: 0, 1 when the package has no such part, -1 with
 * err. */
int wbx_parse_part(struct wbx_ctx *ctx, zip_t *zip, const char *name, char *err, size_t errlen);

/* The message for an expat error other than a handler's own. */
void wbx_xml_error(struct wbx_ctx *ctx, char *err, size_t errlen);

/*
 * Append text to out with the _xHHHH_ escapes decoded (_x000D_ is CR,
 * _x005F_ a literal "_"); a surrogate pair joins, a lone surrogate or NUL
 * becomes U+FFFD.
 */
void wbx_unescape(struct strbuf *out, const char *s, size_t len);

/* book_xlsx_sheet.c */

/* Start reading part (of book) from its first row; the previous sheet's reader is freed. */
int wbx_sheet_open(struct wbx_book *book, const char *part, char *err, size_t errlen);
int wbx_sheet_read(struct wbx_book *book, struct strbuf *out, size_t want, char *err,
		   size_t errlen);
void wbx_sheet_free(struct wbx_sheet *sheet);

#endif
