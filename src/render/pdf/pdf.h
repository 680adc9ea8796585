/*
 * pdf.h - the PDF renderer: a struct doc to an A4 report in the spirit of
 * GB/T 9704, drawn with cairo and pangocairo.
 *
 * Reads only the doc (doc.h).  Fonts are pinned by family name with the
 * language set to zh-cn so the result never depends on the locale.  Bytes are
 * deterministic: the creation date comes from doc->meta.created.
 */
#ifndef CIVREPORT_PDF_H
#define CIVREPORT_PDF_H

#include <stddef.h>

#include "doc/doc.h"

/*
 * Render doc to a PDF at path (the caller's temporary file; the deliver stage
 * renames it into place).  Returns 0, or -1 with a message in err.
 */
int pdf_render(const struct doc *doc, const char *path, char *err, size_t errlen);

#endif
