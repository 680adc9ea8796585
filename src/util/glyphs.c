/*
 * glyphs.c - character coverage of the installed fonts; see glyphs.h.
 *
 * Never: pick or load a font for drawing (the PDF renderer does, through
 * pango); this only answers whether a character can be drawn at all.
 */
#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>

#include "glyphs.h"
#include "xalloc.h"

struct family_set {
	char *family;
	FcCharSet *set; /* NULL: no such font installed */
};

static struct family_set *families;
static size_t nfamilies, capfamilies;
static FcCharSet *all_fonts;

/* The charset of the font fontconfig matches for family (NULL: none). */
static FcCharSet *match_set(const char *family)
{
	/* the name as a family, never parsed: "Foo:bold" or "Foo-12" is no pattern */
	FcPattern *pat = FcPatternCreate(), *match;
	FcCharSet *cs = NULL, *set = NULL;
	FcResult res;

	if (pat == NULL)
		return NULL;
	FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	match = FcFontMatch(NULL, pat, &res);
	/* fontconfig always matches something: only the family asked for counts */
	for (int i = 0; match != NULL && set == NULL; i++) {
		FcChar8 *got;

		if (FcPatternGetString(match, FC_FAMILY, i, &got) != FcResultMatch)
			break;
		if (FcStrCmpIgnoreCase(got, (const FcChar8 *)family) == 0 &&
		    FcPatternGetCharSet(match, FC_CHARSET, 0, &cs) == FcResultMatch)
			set = FcCharSetCopy(cs);
	}
	if (match != NULL)
		FcPatternDestroy(match);
	FcPatternDestroy(pat);
	return set;
}

static struct family_set *family_entry(const char *family)
{
	size_t i;

	for (i = 0; i < nfamilies; i++)
		if (strcmp(families[i].family, family) == 0)
			break;
	if (i == nfamilies) {
		families = xgrow(families, &capfamilies, nfamilies + 1, sizeof(*families));
		families[i].family = xstrdup(family);
		families[i].set = match_set(family);
		nfamilies++;
	}
	return &families[i];
}

bool font_family_installed(const char *family)
{
	return family_entry(family)->set != NULL;
}

bool glyph_in_family(const char *family, uint32_t cp)
{
	const struct family_set *f = family_entry(family);

	/* a font that is not installed is told apart (font_family_installed) */
	return f->set == NULL || FcCharSetHasChar(f->set, cp);
}

bool glyph_in_any_font(uint32_t cp)
{
	if (all_fonts == NULL) {
		FcPattern *pat = FcPatternCreate();
		FcObjectSet *os = FcObjectSetBuild(FC_CHARSET, NULL);
		FcFontSet *fs = FcFontList(NULL, pat, os);

		all_fonts = FcCharSetCreate();
		for (int f = 0; fs != NULL && f < fs->nfont; f++) {
			FcCharSet *cs;

			if (FcPatternGetCharSet(fs->fonts[f], FC_CHARSET, 0, &cs) == FcResultMatch)
				FcCharSetMerge(all_fonts, cs, NULL);
		}
		if (fs != NULL)
			FcFontSetDestroy(fs);
		FcObjectSetDestroy(os);
		FcPatternDestroy(pat);
	}
	return FcCharSetHasChar(all_fonts, cp);
}

void glyphs_release(void)
{
	for (size_t i = 0; i < nfamilies; i++) {
		free(families[i].family);
		if (families[i].set != NULL)
			FcCharSetDestroy(families[i].set);
	}
	free(families);
	families = NULL;
	nfamilies = capfamilies = 0;
	if (all_fonts != NULL)
		FcCharSetDestroy(all_fonts);
	all_fonts = NULL;
}
