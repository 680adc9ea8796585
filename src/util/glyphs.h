/*
 * glyphs.h - which characters the installed fonts can draw (fontconfig),
 * so that text is checked before it reaches the PDF: an officer's template
 * against the fonts it names (lint), data against every font (the PDF's
 * font fallback draws what the chosen font lacks).
 *
 * Answers are cached per process; call from one thread at a time.
 */
#ifndef CIVREPORT_GLYPHS_H
#define CIVREPORT_GLYPHS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Whether a font of family is installed: fontconfig matches the family
 * under any of its names ("LXGW WenKai" or "霞鹜文楷"), case-insensitively.
 * fontconfig itself always substitutes something; this never does.
 */
bool font_family_installed(const char *family);

/*
 * Whether the font of family (e.g. "Noto Serif CJK SC") has cp; true when
 * no font of that family is installed (the PDF renderer reports that).
 */
bool glyph_in_family(const char *family, uint32_t cp);

/* Whether any installed font has cp: the PDF's fallback can draw it. */
bool glyph_in_any_font(uint32_t cp);

/* Forget the cached character sets (tests; at exit for leak checkers). */
void glyphs_release(void);

#endif
