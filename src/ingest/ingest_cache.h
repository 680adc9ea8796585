/*
 * ingest_cache.h - private to the ingest stage: the parse cache, which
 * keeps each input entry's parsed chunks on disk so that a repeat run over
 * unchanged exports admits them without reading or parsing the file again.
 *
 * What is kept, per entry (a CSV, or a worksheet of a workbook): how its
 * header was read (the dataset, the columns, the encoding, the lines above
 * the header, the warning), then each chunk as chunk_encode() made it:
 * typed records (IDs as integers, enum codes, fen, yyyymm), the parse's
 * rejects with their reasons and masked rows, and the counts.  Never
 * anything that depends on the report period (chunk_window() runs after),
 * so one cache serves a run of any --period and --where; admission
 * (persons, duplicates across files, the sink) runs every time.
 *
 * The layout, under the cache folder (0700; created when missing):
 *
 *	CACHEDIR.TAG                  backup tools leave the folder out
 *	<folder>/                     one per input folder (0700): the first
 *	                              32 hex digits of the SHA-256 of its real path
 *	<folder>/<path>.stat          an input file's identity: device, inode,
 *	                              size, mtime and ctime (ns), when it was
 *	                              read, its SHA-256; a checksum over all
 *	<folder>/<path>.<sheet>.data  an entry's parse ("csv", or the sheet's
 *	                              index): the chunks, then an index (the
 *	                              key, the header, each chunk's place,
 *	                              source bytes and XXH3-128 checksum),
 *	                              then a trailer with the index's place
 *	                              and SHA-256
 *
 * Every file is 0600, written under a temporary name and renamed, so a
 * reader sees a whole file or none, and concurrent runs each write whole
 * files (the last rename wins).  A file is used only when it is a regular
 * file (no symlink, no FIFO), ours, 0600, with one link, and its
 * checksums hold; anything else is a damaged entry: deleted, logged once,
 * parsed from the source and written again.
 *
 * When an entry's parse is used (the key): the data file's key is the
 * SHA-256 of the cache format, civreport's version and build (the ELF
 * build IDs of the program and of the libraries that parse: glibc,
 * libcsv, libzip, zlib, expat, freexl; else the executable's SHA-256: any
 * rebuild, and an upgraded library that parses, is another parser),
 * the schema (every field of it that the parse reads), the --encoding
 * option, the record limit, the entry's path and sheet; the content's
 * SHA-256 must be the source's; and the run's date must be one for which
 * the parse's verdicts on dates hold (chunk.today_lo/hi: a file whose rows
 * all lie before both days parses the same on either).
 *
 * How the source's SHA-256 is known without reading it: from the .stat
 * file when the file's device, inode, size, mtime and ctime are those
 * recorded, on a local file system whose kernel keeps ctime (ext2/3/4,
 * xfs, btrfs, tmpfs, f2fs, zfs, overlayfs, bcachefs), and the file had
 * not changed for CACHE_RACY_NS before it was read (git's "racily clean"
 * rule).  ctime is set by the kernel on every write, rename or touch and
 * no unprivileged program can set it, so a file changed and then
 * touch -d'ed back to its size and mtime has another ctime.  Elsewhere
 * (vfat and exFAT sticks, whose ctime is not a change time; NFS and SMB
 * shares, whose attributes a client may cache; FUSE) and whenever the stat
 * differs or the record is racy, the whole file is hashed: a file touched
 * without a change hashes the same and its parse is still used.
 *
 * Bounded size: at the end of a run the folder's files of entries no
 * longer present are deleted, and whole input folders' caches, least
 * recently used first, while the cache holds more than CACHE_MAX_BYTES
 * (never the current folder's).
 */
#ifndef CIVREPORT_INGEST_CACHE_H
#define CIVREPORT_INGEST_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "ingest_chunk.h"
#include "schema.h"

#define CACHE_MAX_BYTES (4ull << 30)
#define CACHE_RACY_NS   (3ll * 1000000000)

struct cache;
struct cache_reader;
struct cache_writer;

/*
 * The cache at dir for the run over input_dir, or NULL when it cannot be
 * used (a log line says why: a folder that is not ours, not a folder, or
 * cannot be created).  A folder ours but open to others (group or other
 * bits) is closed to 0700 and emptied: anything in it may have been
 * planted.  The key covers schema, encoding (NULL: auto) and max_record
 * (the parse's record limit).
 */
struct cache *cache_open(const char *dir, const char *input_dir, const struct schema *schema,
			 const char *encoding, size_t max_record);

/*
 * Done: with evict, delete the folder's files of entries this run did not
 * look up (files no longer present) and stale temporary files, then whole
 * folders least recently used first while the cache is over
 * CACHE_MAX_BYTES.  Frees the cache.  NULL is fine.
 */
void cache_close(struct cache *cache, bool evict);

/* What the cache knows of a source file's content. */
enum cache_source {
	CACHE_UNKNOWN, /* no record, or another size: the file must be parsed */
	CACHE_HASH,    /* a record, but the stat cannot vouch: hash the file */
	CACHE_KNOWN,   /* sha256 holds the content's SHA-256 (hex) */
};

/*
 * The record of source rel (relative to the input folder; full: the path
 * to open it by), stat st.  A damaged record is deleted (and logged,
 * naming label).
 */
enum cache_source cache_source(struct cache *cache, const char *rel, const char *full,
			       const char *label, const struct stat *st, char sha256[65]);

/*
 * Record that source rel, with stat st when its reading began at seen_ns
 * (CLOCK_REALTIME) and still after it, has content sha256.  Nothing
 * when writing fails (the cache is then off for the run, logged once).
 */
void cache_note_source(struct cache *cache, const char *rel, const struct stat *st, int64_t seen_ns,
		       const char sha256[65]);

/* How an entry's header was read: what open_next() sets up from it. */
struct cache_meta {
	size_t ds;                   /* dataset index in the schema */
	enum file_encoding encoding; /* of the CSV's bytes */
	bool workbook;
	int *field_col; /* malloc'd, nfields of them */
	size_t nfields;
	uint64_t header_lines;
	const char *encoding_name; /* ingest_file.encoding: a static string */
	char *warning;             /* malloc'd, or NULL */
};

void cache_meta_release(struct cache_meta *meta);

/*
 * The cached parse of entry (rel, sheet: -1 for a CSV; its name, or NULL)
 * whose source has content sha256, for a run dated today: a reader with
 * *meta filled, or NULL (none, or another key: logged at info level;
 * damaged: deleted and logged naming label).
 */
struct cache_reader *cache_read(struct cache *cache, const char *rel, long sheet,
				const char *sheet_name, const char *label, const char sha256[65],
				int32_t today, const struct schema *schema,
				struct cache_meta *meta);

/*
 * The next chunk of the reader, in order: c->cached, c->seg_fd, seg_off,
 * seg_len and seg_sum (the index's: the worker reads and checks the bytes,
 * chunk_work), c->offset, c->len (source bytes) and c->last set.  The
 * reader must stay open until its chunks are done.  Returns false after
 * the last.
 */
bool cache_read_next(struct cache_reader *rd, struct chunk *c);

void cache_read_close(struct cache_reader *rd);

/*
 * Write entry (rel, sheet, sheet_name) anew: chunks are added in order
 * (their c->seg), then the header and source identity are committed.
 * NULL when the cache takes no more writes.
 */
struct cache_writer *cache_write(struct cache *cache, const char *rel, long sheet,
				 const char *sheet_name);

/* Append c's encoded parse (c->seg, c->offset, c->len, c->last, today interval). */
void cache_write_chunk(struct cache_writer *w, const struct chunk *c);

/*
 * Append the chunks of rd's file that start before source offset before,
 * checked again: a damaged entry's good chunks, written anew with the
 * chunks parsed again.  false when one of them no longer checks (the
 * writer is then useless: abort).
 */
bool cache_write_copy(struct cache_writer *w, struct cache_reader *rd, uint64_t before);

/*
 * Finish: the index (meta, the content's sha256) and the trailer are
 * written and the file renamed into place.  Frees w.
 */
void cache_write_commit(struct cache_writer *w, const struct cache_meta *meta,
			const char sha256[65]);

/* Drop what w wrote.  Frees w; NULL is fine. */
void cache_write_abort(struct cache_writer *w);

/* Tests only: the key's build part, instead of the executable's (NULL: back to it). */
void cache_set_build(const char *build);

/* Tests only: the cap instead of CACHE_MAX_BYTES (0: back to it). */
void cache_set_max_bytes(uint64_t bytes);

#endif
