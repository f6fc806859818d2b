/* stats: anonymous usage counts, so the clinic can see whether the kiosk
 * works for them (are slides seen, are sign-up forms finished or given up).
 *
 * The file is a small CSV that opens in any spreadsheet:
 *
 *   date,slides_viewed,forms_opened,forms_completed,forms_abandoned
 *   2026-03-02,412,9,7,2
 *
 * one row per local date, sorted by date. It holds NO personal data, by
 * construction: the only inputs are a date and four counters, so nothing a
 * person typed can reach it. That is why it may be group-readable (0640) and
 * kept for years, unlike the sign-ups file.
 *
 * Pure POSIX C: no SDL, no clock read except in stats_date() (which takes
 * the time as a parameter and only converts it).
 */
#ifndef KIOSK_STATS_H
#define KIOSK_STATS_H

#include <stddef.h>
#include <time.h>

/** Days kept: three years (1096 days) and a little slack. Older rows are
 *  dropped when a new day is added, so the file stays ~40 KiB forever. */
#define STATS_MAX_DAYS 1100

/** A stats file larger than this is not one we wrote (1100 rows of at most
 *  ~55 bytes is ~60 KiB); we refuse to rewrite it rather than guess. */
#define STATS_MAX_BYTES ((size_t)1024 * 1024)

typedef struct {
    unsigned slides_viewed, forms_opened, forms_completed, forms_abandoned;
} StatsCounts;

/**
 * Adds @p delta to the row of @p date ("YYYY-MM-DD") in the stats file at
 * @p path. Creates the file (mode 0640) and missing parent directories
 * (0750) as needed. Other days' rows are kept; the file is rewritten
 * whole, sorted by date, through "<path>.tmp" + fsync + rename + fsync of
 * the directory, so a power cut leaves either the old or the new file.
 * Sums saturate at UINT_MAX. Only one process may write a given file (the
 * kiosk is single-instance: the sign-up store's lock sees to it).
 *
 * Reading an existing file: the header row, blank lines and a UTF-8 BOM are
 * skipped; fields may be quoted (a spreadsheet re-saving the file); two
 * rows of the same date are summed. A malformed line (wrong field count, a
 * date not YYYY-MM-DD, a count not a plain decimal number) is dropped from
 * the rewritten file, never a well-formed one, and reported in @p err as
 * "<path>: skipped N malformed line(s) (line L, ...)" even though the call
 * returns 0. When more than STATS_MAX_DAYS dates result, the oldest go.
 *
 * Returns 0 (@p err is "" or a sentence to log), or -1 with @p err saying
 * why: a bad date or NULL argument, an unreadable or too large file, or a
 * failed write (the old file is then untouched).
 */
int stats_add(const char *path, const char *date, const StatsCounts *delta, char *err,
              size_t errlen);

/**
 * Reads the counts of @p date into @p out: zeros when the date has no row or
 * the file does not exist yet. Malformed lines are ignored; duplicate rows
 * of the date are summed, as stats_add() would. Returns 0, or -1 (and
 * zeros) when the file exists but cannot be read or is too large.
 */
int stats_read(const char *path, const char *date, StatsCounts *out);

/** Writes the local date of @p t as "YYYY-MM-DD" and a NUL into @p out;
 *  "" if @p t cannot be converted. */
void stats_date(time_t t, char out[11]);

#endif
