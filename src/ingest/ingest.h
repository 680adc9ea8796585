/*
 * ingest.h - reading the input folder: every CSV export of every dataset,
 * in UTF-8 or GB18030, validated row by row against the schema.
 *
 * Every data row read ends as exactly one of: accepted (in the report
 * period: handed to the sink), rejected (handed to the sink's reject
 * callback with file, line, column and reason), or outside the report
 * period (counted; rows of the comparison periods are handed on too when
 * asked for, for "@prev" and "@last" figures).  The counts per
 * file reconcile: read == accepted + rejected + outside.
 *
 * "read" counts records, the rows an officer sees in the exporting system
 * or in Excel, and no physical line is ever left out of it: every line after
 * the header is a blank line, the first line of a record, or a further line
 * of a well-formed record whose quoted field holds a line break (a
 * multi-line address).  So lines == read + blank + spanned, whatever the
 * quotes and line ends (LF, CRLF, CR) do.  A record that spans lines and
 * then turns out broken (a quote left open swallowed the lines after it) is
 * rejected on its first line alone and the lines after it are read again as
 * records.  Counting a two-line address as one row keeps "read" equal to
 * the export's row count; the log gives lines and spanned when they differ.
 *
 * Files are cut into chunks at record boundaries and parsed by worker
 * threads, and rows are admitted (duplicates found, rows handed on) by
 * shards of persons in parallel (ingest_sink.shards); each person's rows
 * and all the rejects still come in (file, line) order, so the results
 * and the rejects never depend on the thread count.  Memory is bounded by
 * the chunks in flight plus one entry per distinct person.
 *
 * Personal data stays inside: ID numbers reach the sink as integers (and a
 * dense per-dataset person index), PII text columns arrive already masked.
 */
#ifndef CIVREPORT_INGEST_H
#define CIVREPORT_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema.h"
#include "util/period.h"
#include "value.h"

/*
 * The windows of months a row can fall in (util/period.h): the report
 * period, the same months a year earlier (@prev, 同比) and the period of
 * the same length just before (@last, 环比).  The last two may overlap
 * (2021-01..2021-09: 2020-01..2020-09 and 2020-04..2020-12), so a row
 * carries a set of them.
 */
enum ingest_window {
	WINDOW_CUR = 1,  /* the report period: the row is accepted */
	WINDOW_PREV = 2, /* period_prev_year(): handed on when options.want & WINDOW_PREV */
	WINDOW_LAST = 4, /* period_last(): handed on when options.want & WINDOW_LAST */
};

/* One accepted row, valid only during the sink's row callback. */
struct ingest_row {
	unsigned windows; /* enum ingest_window bits, at least one */
	uint32_t person;  /* dense index of the person in the dataset (its shard), or UINT32_MAX */
	uint64_t present; /* bit c set when column c holds a value */
	/*
	 * Per column: id, fen, integer, yyyymm, yyyymmdd or enum index; for
	 * a row from the parse cache, 0 in columns not in
	 * ingest_options.columns (their present bits still say the truth).
	 */
	const int64_t *v;
	const char *text; /* text columns: v[c] = offset << 32 | length into text */
	uint64_t line;
};

/* The text of text column c of row (length in *len), or NULL when empty. */
static inline const char *ingest_row_text(const struct ingest_row *row, int c, size_t *len)
{
	uint64_t v = (uint64_t)row->v[c];

	if (!(row->present >> c & 1)) {
		*len = 0;
		return NULL;
	}
	*len = v & 0xffffffffu;
	return row->text + (v >> 32);
}

/* A rejected row, valid only during the reject callback. */
struct ingest_reject {
	const char *file;  /* path relative to the input folder */
	const char *sheet; /* the worksheet of a workbook, or NULL for a CSV */
	const struct dataset *ds;
	uint64_t line;      /* 1-based physical line where the record starts (a sheet's row) */
	const char *cell;   /* a sheet's cell such as "B52" when column names one, else "" */
	const char *column; /* canonical column name, or "" for the whole row */
	enum value_error code;
	const char *reason; /* full sentence, e.g. "“广安县”不是允许的区县,可选:..." */
	const char *row;    /* the row as CSV fields, PII masked */
};

struct ingest_sink {
	void *ctx;
	void (*row)(void *ctx, const struct dataset *ds, const struct ingest_row *row);
	void (*reject)(void *ctx, const struct ingest_reject *reject);
	/*
	 * Optional: rows admitted in parallel.  ingest_run asks once, before
	 * the first row, for n contexts (ctxs[k], one per shard); then row is
	 * called with ctxs[k] from shard k's thread, at the same time as other
	 * shards' rows.  Every row of one person goes to one shard, in (file,
	 * line) order; ingest_row.person is dense within the shard (another
	 * shard's persons have the same indexes); rows of other people and of
	 * datasets without IDs come in no fixed order.  reject is
	 * still called on one thread, in (file, line) order.  Without it, every
	 * callback runs on the calling thread, in (file, line) order.
	 */
	void (*shards)(void *ctx, unsigned n, void **ctxs);
};

/* Years a row can carry (value.c accepts 1900 to 2099): ingest_result.year_rows. */
#define INGEST_YEAR_MIN 1900
#define INGEST_YEARS    200

struct ingest_options {
	const char *input_dir;
	/*
	 * The report period; {0, 0} accepts no row (a validation pass).
	 * Rows from the first month of either comparison period to the
	 * period's end are checked for duplicates whatever is wanted, so the
	 * rejects never depend on which figures a template has.
	 */
	struct period period;
	unsigned want;        /* WINDOW_PREV | WINDOW_LAST: hand those rows to the sink too */
	int threads;          /* threads in all, this one too; 0 = the number of cores */
	const char *encoding; /* NULL or "auto", "utf-8", "gb18030" */
	bool progress;        /* a progress line on stderr */
	int32_t today;        /* yyyymmdd: later dates are rejects; 0 = value_today() */
	/*
	 * The parse cache's folder (ingest_cache.h), or NULL for none: an
	 * entry whose parse it holds is not read again, and results are the
	 * same byte for byte.
	 */
	const char *cache_dir;
	/*
	 * Per dataset (schema order), the columns the sink reads (bit c for
	 * column c), or NULL for all.  A chunk from the parse cache decodes only
	 * those and the ones admission needs (the ID, the period, the
	 * duplicate key); the sink sees 0 in the others, present bits intact.
	 */
	const uint64_t *columns;
};

/*
 * One CSV file, or one worksheet of a workbook (.xlsx .xlsm .xls): a
 * workbook has an entry per sheet whose header names a dataset's columns,
 * each with the workbook's path, size and SHA-256 and its own counts.  A
 * workbook none of whose sheets holds data is one entry with the error.
 */
struct ingest_file {
	char *path;               /* relative to the input folder */
	char *sheet;              /* the worksheet's name, or NULL for a CSV */
	bool hidden;              /* a hidden worksheet (read all the same, and noted) */
	const struct dataset *ds; /* NULL when the file could not be recognised */
	const char *encoding;     /* "UTF-8", "UTF-8 (BOM)", "GB18030"; "xlsx", "xls" */
	int64_t size;
	char sha256[65];
	uint64_t read, accepted, rejected, outside;
	uint64_t lines;   /* physical lines after the header: read + blank + spanned */
	uint64_t blank;   /* blank lines (rows of empty fields too) */
	uint64_t spanned; /* further lines of records with a quoted line break */
	char *error;      /* why the file could not be read at all, or NULL */
	char *warning;    /* e.g. ignored columns, invalid bytes; or NULL */
	bool cached;      /* its parse came from the parse cache (options.cache_dir) */
	/*
	 * Not read: the path of the file read instead, which is the same file
	 * (a symlink, a hard link) or has byte for byte the same content (a
	 * copy such as "charity (1).csv"); its counts are all 0.  NULL for a
	 * file that was read.
	 */
	const char *same_as;
};

struct ingest_result {
	struct ingest_file *files;
	size_t nfiles;
	uint64_t reasons[VALUE_ERROR_COUNT]; /* rejected rows per reason */
	/* per reason, where it was first seen: "a.xlsx 工作表“Sheet1” B52", "b.csv 第7行" */
	char *first_at[VALUE_ERROR_COUNT];
	size_t *persons; /* distinct persons per dataset (schema order) */
	bool *has_prev;  /* per dataset: any row of a comparison period (@prev or @last) */
	int *max_year;   /* per dataset: latest year seen in any row, 0 if none */
	/* valid rows (any year) per year, all datasets: [y - INGEST_YEAR_MIN] */
	uint64_t year_rows[INGEST_YEARS];
	uint64_t bytes;
	size_t nsets;
	/* the listing's unread files (ingest_listing.unread): named, never read */
	char **unread;
	size_t nunread;
};

/*
 * Read every *.csv and every workbook (*.xlsx *.xlsm *.xls: each worksheet
 * whose header names a dataset's columns; the other sheets named once in
 * the log) under options->input_dir (sorted by path) and feed the sink.  Returns 0 when every file
 * could be read (rows may still be rejected), 1 when a file could not be parsed at all (see
 * files[].error: the run must not produce figures without it), -1 on a system error with a message
 * in err (folder missing, no CSV or workbook found: the message names the unread files, if any).
 * Files civreport cannot read but that look like data are named in one warning on the log
 * (ingest_unread_warn) and in result->unread.  Release result with ingest_result_release().
 */
int ingest_run(const struct schema *schema, const struct ingest_options *options,
	       const struct ingest_sink *sink, struct ingest_result *result, char *err,
	       size_t errlen);

void ingest_result_release(struct ingest_result *result);

/*
 * How outputs and messages show an input's path (malloc'd): a run of 15 or
 * more digits in it (an ID number in "511602199001010012补发.xlsx") masked
 * (mask_ids), as everywhere personal data could show.  The path itself
 * stays as it is for opening the file.
 */
char *ingest_shown_path(const char *path);

/* How messages name a file: its shown path, and a worksheet's name after it (malloc'd). */
char *ingest_file_label(const struct ingest_file *f);

/*
 * What "year = latest" means (latest.c): the latest year whose valid rows
 * (all datasets; rows dated after the run's date are rejects, so never
 * counted) number at least a tenth of the busiest year's.  A stray row of a
 * later year (a typo, an export of the new year's first days) does not
 * move the report to an almost empty year.  Returns the year, with why it
 * was chosen (and which later years were passed over) in why; 0 with the
 * reason when no row holds a valid year.
 */
int ingest_latest_year(const struct ingest_result *result, char *why, size_t whylen);

/*
 * The files of an input folder (ingest_files.c).  Every *.csv, *.xlsx,
 * *.xlsm and *.xls under dir (not Excel's ~$ lock files),
 * sub-folders too (names starting with '.' are skipped), sorted by path.
 * Each directory is entered once, however many paths lead to it (device +
 * inode), so a symlink loop cannot multiply a file; a symlinked directory
 * is not entered (its target is inside the folder and read under its own
 * path).  A file reached by several paths (symlinks, hard links) is one
 * file, read under the path that comes first by ingest_path_before():
 * same[i] names that path for each other one.
 *
 * The listing is refused, with a message naming the path, when anything
 * that could hold data cannot be read: a sub-folder that cannot be opened,
 * a CSV that cannot be opened for reading, a dangling symlink (an unmounted
 * share), a *.csv that is not a regular file (a FIFO would block the run),
 * a symlink (to a directory or a *.csv) that leads outside dir: civreport
 * reads only what is in its input folder, never e.g. /etc/shadow through a
 * link.  Skipping any of them would make a report without the data.
 *
 * Files civreport does not read but that look like data an officer meant
 * to give it (ingest_unread_kind: 2021低保.et, 备份.zip, in sub-folders
 * too, or a symlink with such a name) are listed in unread: never opened,
 * named so that the run can say their data is not in the report.  Their
 * paths are kept as messages show them: a run of 15 or more digits (an ID
 * number in a name) masked by mask_ids(); not escaped.
 */
struct ingest_listing {
	char **paths; /* relative to dir, sorted */
	size_t n;
	long *same;    /* per path: index of an earlier path of the same file, or -1 */
	int64_t *size; /* per path: its size when listed */
	char *error;   /* malloc'd, when the listing was refused */
	char **unread; /* relative to dir, sorted, ID runs masked */
	size_t nunread;
};

/*
 * What kind of file path names when civreport does not read it but an
 * officer may have meant it as data ("WPS 表格", "压缩包", "文本文件"...),
 * by its extension in any case: .xlsb .et .ett .ods .numbers .txt .tsv .tab .dbf .mdb .accdb .zip
 * .rar .7z .gz .tgz .tar .bz2 .xz.  NULL for anything else, and for notes and lock files that sit
 * beside data: dot files, Excel's and WPS's ~$ lock files, README*.txt and *说明.txt.  A static
 * string.
 */
const char *ingest_unread_kind(const char *path);

/* "a.xlsx、b.zip" of n unread paths, the first five then "……等共N个"; caller frees. */
char *ingest_unread_names(char *const *unread, size_t n);

/*
 * One warning on the log naming the n unread files of input folder dir
 * (nothing when n is 0), not repeated when the same folder is listed again
 * with the same files in one process (run --year latest lists it twice).
 */
void ingest_unread_warn(const char *dir, char *const *unread, size_t n);

/* The error for a folder without CSV files into err, naming its unread files. */
void ingest_no_csv_message(const char *dir, char *const *unread, size_t n, char *err,
			   size_t errlen);

/*
 * Which of two paths of one file (or of two identical files) is read: the
 * shorter, then the first in byte order ("charity.csv" before
 * "charity (1).csv" and before "backup/charity.csv").
 */
bool ingest_path_before(const char *a, const char *b);

/* 0, or -1 with listing->error set (errno as the failing call left it). */
int ingest_list(const char *dir, struct ingest_listing *listing);
void ingest_listing_release(struct ingest_listing *listing);

/*
 * The paths of ingest_list (each file once per path), malloc'd (each path
 * too), and its unread paths in *unread (*nunread of them, malloc'd the
 * same way) unless unread is NULL.  Returns the count, or -1 when the
 * listing is refused.
 */
long ingest_list_files(const char *dir, char ***paths, char ***unread, size_t *nunread);

#endif
