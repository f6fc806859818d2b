/* store: the sign-up CSV.
 *
 * Each sign-up is one row of a CSV file that clinic staff open in a
 * spreadsheet. The file holds personal data, so the rules are: a row the
 * caller was told is stored (store_append() returned 0) survives a power cut;
 * nothing is ever deleted (torn tails go to "<path>.partial", an old file
 * with other columns is renamed aside); no field value ever appears in an
 * error message; the file and its directory are readable by the owner only.
 *
 * One Store owns one open file descriptor and an exclusive flock() on it for
 * its whole life, so two kiosks (or a kiosk and a stray second instance)
 * configured with the same path cannot interleave rows.
 *
 * Pure POSIX C: no SDL, no clock read except where named (store_open() reads
 * it to name an archived file).
 */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef struct Store Store;

/** Whole file read into memory once at open, for torn-tail recovery, the
 *  header check and the row count. 64 MiB is ~300 000 sign-ups of ~200 bytes,
 *  decades at one kiosk, and still a short-lived allocation on a small board.
 *  A larger file is renamed aside like a file with other columns (see
 *  store_open()), so the kiosk keeps taking sign-ups. */
#define STORE_READ_MAX_BYTES ((size_t)64 * 1024 * 1024)

/** Rows held in memory while the disk refuses them. A busy day is well under
 *  a thousand sign-ups; past this the disk is not coming back by itself, and
 *  holding more personal data in RAM only grows what a crash would lose. */
#define STORE_PENDING_MAX 1024

/**
 * Opens (creating if needed) the CSV at @p path for appending sign-ups.
 *
 * Creates missing parent directories with mode 0700 and the file with mode
 * 0600; an existing file with group/other permission bits is tightened to
 * 0600 (said in @p note). Takes an exclusive, non-blocking flock(): if another
 * process holds it, fails with errno set to EWOULDBLOCK so the caller can
 * tell "busy" from "broken". A new or empty file gets the header row built
 * from @p columns. Neither the file nor its folder may be a symbolic link or
 * belong to another user than geteuid() ("... is a symbolic link; refusing
 * to write sign-ups through it"; the target is left untouched). An existing
 * file is recovered: an incomplete last row (a
 * power cut mid-write) is appended to "<path>.partial" and cut from the file.
 * If the existing header differs from @p columns (compared field by field
 * after parsing, so a spreadsheet re-saving it with other quoting or line
 * ends still matches; a UTF-8 BOM is ignored), or the file is larger than
 * STORE_READ_MAX_BYTES, the old file is renamed to
 * "<path minus .csv>-<YYYYmmdd-HHMMSS>.csv" ("-2", "-3"... appended if that
 * name exists; never overwritten, never deleted) and a new file is started.
 * Then the rows of "<path>.pending" (rows an earlier run's disk refused) are
 * appended, in order, skipping any whose id is already in the file, and that
 * file is removed (if this fails they stay there, said in @p note).
 *
 * @p columns is copied; the caller keeps ownership. @p note (may be NULL) is
 * set to "" or to sentences the caller should log (recovery, rename,
 * permissions); it never contains row contents.
 *
 * Returns 0 and a new Store in *out that the caller frees with store_close(),
 * or -1 with a message naming the path and strerror() in @p err (and errno
 * set); *out is then NULL.
 */
int store_open(Store **out, const char *path, const char *const *columns, size_t ncolumns,
               char *note, size_t notelen, char *err, size_t errlen);

/**
 * Like store_open(), but a file that cannot be opened yet (a read-only or
 * missing disk, a lock held by a stray second kiosk) is no failure: the
 * Store is made anyway and opens the file at the next store_append() or
 * store_flush(), holding rows in its queue until then. This is how the
 * kiosk opens its sign-up file, so there is one queue of waiting rows, the
 * store's, whatever the disk does.
 *
 * Returns 0 with the file open, 1 with a Store in *out whose file is not
 * open yet (@p err says why), -1 only for unusable arguments or no memory
 * (*out is then NULL).
 */
int store_create(Store **out, const char *path, const char *const *columns, size_t ncolumns,
                 char *note, size_t notelen, char *err, size_t errlen);

/** True when the Store has its file open and locked. */
bool store_is_open(const Store *s);

/**
 * Counts the data rows of the file whose field number @p column (0-based)
 * starts with @p prefix, parsing the file with the same CSV rules that wrote
 * it: the staff screen counts today's sign-ups with the timestamp column and
 * the date. Rows after a malformed one are not counted. Returns 0 with the
 * count in *out (0 when the file is not open), or -1 with @p err.
 */
int store_count_rows(const Store *s, size_t column, const char *prefix, size_t *out, char *err,
                     size_t errlen);

/**
 * Queues one record of @p nvalues values (must equal the column count; a
 * NULL value is written as empty) and writes every queued record in order.
 * The values are copied (formatted) at once; the caller keeps ownership.
 *
 * Each row goes to disk with one write() and then fsync(). A failed or short
 * write is undone with ftruncate() to the size before it, so a torn row never
 * corrupts the next; the record stays queued for store_flush(), and is also
 * appended durably to "<path>.pending" when that file can be written (see
 * store_pending_durable()).
 *
 * Returns 0 when this record and all before it are durably on disk;
 * 1 when it is queued in memory because the disk refused it (@p err says why);
 * -1 when it was NOT kept at all: out of memory, wrong number of values, or
 * STORE_PENDING_MAX rows already waiting (@p err says which). The caller must
 * not tell the person "saved" on -1. @p err never contains field values; it
 * may hold an informational sentence even on 0 (the file was moved or
 * replaced by another program and has been reopened): log it if non-empty.
 */
int store_append(Store *s, const char *const *values, size_t nvalues, char *err, size_t errlen);

/**
 * Retries queued records, in order (the shell calls it on a timer). If the
 * file at the path is no longer the one this Store has open (moved away,
 * or replaced by a spreadsheet saving over it), the path is reopened first,
 * with the same recovery and header rules as store_open(), so rows do not go
 * on into an unlinked file. Returns how many records remain queued; @p err is
 * "" or says why (and as for store_append(), may be informational on 0).
 */
size_t store_flush(Store *s, char *err, size_t errlen);

/** Records queued in memory, not yet in the file. */
size_t store_pending(const Store *s);

/** Of those, how many are also durably in "<path>.pending" (fsynced there),
 *  so that a stop, a crash or a power cut does not lose them: the next
 *  store_open()/store_create() or a drained queue adds them to the file,
 *  each once (rows whose id, the first field, is already there are
 *  skipped). The rest are in memory only. */
size_t store_pending_durable(const Store *s);

/** "<path>.pending", for messages. */
const char *store_pending_path(const Store *s);

/** Data rows in the file (for the staff screen): rows found at open (header
 *  excluded) plus rows appended since. */
size_t store_row_count(const Store *s);

/**
 * Makes one last attempt to write queued records, wipes any that remain
 * (explicit overwrite, so personal data does not linger in freed memory),
 * closes the file (releasing the lock) and frees @p s. Check store_flush()
 * first if you need to know whether anything will be lost. NULL is a no-op.
 */
void store_close(Store *s);

/**
 * Writes @p t as ISO 8601 local time with its UTC offset, e.g.
 * "2026-12-02T10:39:23+01:00" (25 chars; pass cap >= 26). Uses the process's
 * TZ via localtime_r(). Truncates like snprintf; "" if the time is invalid.
 */
void store_format_time(time_t t, char *buf, size_t cap);

/**
 * Writes a new id of 16 lowercase hex characters and a NUL into @p out, from
 * getrandom() (non-blocking), else /dev/urandom, else a mix of the clock,
 * the pid and a counter (unique within a process, not unpredictable).
 */
void store_make_id(char out[17]);

#endif
