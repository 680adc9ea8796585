/*
 * mask.h - personal data out of every row and message that quotes input:
 * rejects.csv rows, reasons that quote a value, the first line of a file
 * that could not be recognised.
 *
 * Masking by column position alone failed: a row shifted by an unquoted
 * comma put a full name under 救助类别, a row missing a field put a full ID
 * under 户号.  So a value is masked by where it stands and by what it looks
 * like.  The rules, in order:
 *
 *  1. A field whose column is not known (col NULL: a row with more or fewer
 *     fields than the header, or cut by a stray quote) is masked whole.
 *  2. A field of a personal-data column (schema: pii/mask) is masked whole.
 *     Masked whole: an ID number (rule 3) keeps its first 6 and last 4
 *     characters (511602********123X); anything else keeps its first
 *     character and every other character becomes '*' (张*, 5*****), so a
 *     name in the ID column no longer shows through the ID mask.
 *  3. In every other field, an ID number is masked wherever it stands in
 *     the field: 15 or more letters and digits in a row (digits ASCII or
 *     full-width, single spaces or dashes between them allowed), at most
 *     two of them letters (the check X, a typo as in 51160219800115A012),
 *     and inside longer tokens (Room511602198001150012) each run of 15 or
 *     more digits: an ID, valid or not, with a digit lost, a bank card.
 *  4. A field that looks like a name - 2 to 4 CJK ideographs, spaces
 *     between them allowed, or ideographs joined by a middle dot (·) as in
 *     transcribed minority names - is masked like a name, unless
 *     - it is an allowed value of its enum column, or a misspelt one: it
 *       ends like an allowed value and shares another character with one
 *       (广安县: 岳池县, 广安区; 城镇低保), or is one character off an
 *       allowed value of four or more characters (城市低宝), or is part of
 *       an allowed value (助学 for 助学金).  One character off a
 *       three-character value is not enough: 武胜男 is a name;
 *     - or it stands in a text column that is not personal data
 *       (乡镇(街道), 户号, 项目名称...): place and project names look like
 *       personal names, and those columns feed the report's tables as they
 *       are, so masking them here would protect nothing.
 *  5. Controls, bidi overrides and bytes that are not UTF-8 become visible
 *     escapes (util/escape.h).
 *
 * Not caught: a name inside a longer text (张三家的低保), a name of five or
 * more characters without a dot, a name in Latin letters, a name that
 * happens to pass as a misspelt enum value.  Masked although harmless: a
 * word of 2 to 4 characters in a typed column (去年 in a date column).
 */
#ifndef CIVREPORT_MASK_H
#define CIVREPORT_MASK_H

#include <stdbool.h>
#include <stddef.h>

#include "schema.h"
#include "util/strbuf.h"

/* Whether s[0..len), spaces around it aside, is one digit run of rule 3. */
bool mask_looks_like_id(const char *s, size_t len);

/* Whether s[0..len), spaces around it aside, looks like a name (rule 4). */
bool mask_looks_like_name(const char *s, size_t len);

/*
 * Rule 3 alone, nothing escaped: ID-like runs of s[0..len) masked, the
 * rest appended as it is.  For text that is not a field but may carry an
 * ID number, like a file name; the caller escapes it for where it shows it
 * (log.h, doc_clean.h do).
 */
void mask_ids(struct strbuf *out, const char *s, size_t len);

/*
 * Append the field s[0..len) of column col to out, masked by the rules
 * above; col NULL when the field's column is not known (rule 1).
 */
void mask_field(struct strbuf *out, const struct column *col, const char *s, size_t len);

/*
 * The same, for a message that quotes the value: cut to at most max_chars
 * characters (an ellipsis added when cut).  Returns a malloc'd string.
 */
char *mask_quote(const struct column *col, const char *s, size_t len, size_t max_chars);

/*
 * The fields of a first line that could not be taken as a header, for the
 * error message: at most a few fields, each cut short, then the count.
 * When is_header (some field matched a column), fields are column names:
 * only ID-like runs are masked; otherwise the line may well be data (a
 * headerless export) and each field is masked by content (rules 3 to 5).
 * Returns a malloc'd string such as
 * "511602********123X、张*、广**、浓**、城***、2021-01…(共8列)".
 */
char *mask_header_fields(char *const *fields, size_t n, bool is_header);

#endif
