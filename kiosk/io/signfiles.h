/* signfiles: every file that holds sign-ups, and the rewrites that remove
 * rows from them (retention, erase after a verified export).
 *
 * The store writes one live file ("signups.csv"); when a deck edit changes
 * the form's fields or the file passes its size limit it is renamed
 * "signups-<YYYYmmdd-HHMMSS>[-N].csv" (an archive), and torn rows found by
 * recovery go to "signups.csv.partial". All three hold personal data, so
 * export, counts and retention must see all of them: this module is the one
 * place that knows the names.
 *
 * Rewrites go through fsx_replace() (temporary, fsync, rename, directory
 * fsync): a power cut leaves the old file or the new one, never a mix. The
 * live file is held open by the store, so callers close the store first
 * and open it again after (see staff.c).
 *
 * Messages name files and counts, never what a row holds.
 */
#ifndef KIOSK_SIGNFILES_H
#define KIOSK_SIGNFILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "retain.h"

typedef enum {
    SIGNFILE_LIVE,      /* the file the store appends to */
    SIGNFILE_ARCHIVE,   /* a live file set aside: "<stem>-<stamp>[-N].csv" */
    SIGNFILE_RECOVERED, /* "<live>.partial": torn rows, no header */
} SignFileKind;

#define SIGNFILES_MAX 256 /* archives beyond this are left for the next call */

typedef struct {
    SignFileKind kind;
    char path[4096];
    size_t rows; /* complete data rows (the header not counted) */
} SignFile;

typedef struct {
    SignFile file[SIGNFILES_MAX];
    size_t n;
} SignFiles;

/**
 * Lists the sign-up files of the live file @p live: itself, its archives
 * (oldest first: by their time, then "-2", "-3", ...) and its ".partial",
 * each only if it exists, with their complete rows counted. Returns 0, or
 * -1 with @p err when the folder cannot be read (a missing folder is no
 * files).
 */
int signfiles_list(const char *live, SignFiles *out, char *err, size_t errlen);

/** As signfiles_list(), without reading the files (every rows field is 0): for
 *  a caller that reads them itself, often (the delivery outbox). */
int signfiles_names(const char *live, SignFiles *out, char *err, size_t errlen);

/** Rows per kind over @p fs: live, archives together, recovered. */
void signfiles_totals(const SignFiles *fs, size_t *live, size_t *archived, size_t *recovered);

/**
 * Removes from the file @p path every row older than @p keep_days before
 * @p now (retain_filter()), rewriting it atomically and durably with mode
 * 0600 only when a row goes; a file left with no rows is removed when
 * @p remove_if_empty (archives, .partial; not the live file). @p count says what was kept and
 * removed. Returns 0, or -1 with
 * @p err (the file is then untouched).
 */
int signfiles_retain(const char *path, int64_t now, int keep_days, int remove_if_empty,
                     RetainCount *count, char *err, size_t errlen);

/** True when @p path holds a row signfiles_retain() would remove: the live
 *  file's store is closed and reopened only then. */
bool signfiles_has_old(const char *path, int64_t now, int keep_days);

/** Complete data rows in @p len bytes of CSV: the header row (first field
 *  "id"), if any, is not counted. */
size_t signfiles_data_rows(const char *buf, size_t len);

/** A 64-bit FNV-1a of @p len bytes: how an export remembers what it
 *  verified on the stick without keeping personal data in memory. */
uint64_t signfiles_hash(const void *p, size_t len);

/**
 * Erases from @p path the data rows of its first @p len bytes, if those
 * bytes still hash to @p hash (what the export verified on the stick);
 * rows after them (arrived since) stay, with the header. A file left with
 * no data rows is removed, unless @p keep_header_file (the live file, which
 * the store reopens). Sets *@p erased to the rows erased. Returns 0, 1 when
 * the file changed since (nothing erased), or -1 with @p err.
 */
int signfiles_erase_prefix(const char *path, size_t len, uint64_t hash, int keep_header_file,
                           size_t *erased, char *err, size_t errlen);

#endif
