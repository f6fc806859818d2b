/* retain: which sign-up rows are old enough to go, and the civil-date
 * arithmetic behind it and behind the staff screen's weekly counts.
 *
 * Pure: the rows come in as bytes, the time as a parameter. The files are
 * read and rewritten by kiosk/io/signfiles.c.
 */
#ifndef KIOSK_RETAIN_H
#define KIOSK_RETAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The column the store writes each row's time in (app_signup_columns(): id,
 *  timestamp, ...). Files without a header (".partial") use its position. */
#define RETAIN_TIME_COLUMN_NAME "timestamp"
#define RETAIN_TIME_COLUMN_INDEX 1

/** A row has at most this many fields (the form's fields plus the store's). */
#define RETAIN_MAX_FIELDS 64

typedef struct {
    size_t kept;    /* data rows kept because they are recent enough */
    size_t removed; /* data rows older than keep_days */
    size_t undated; /* data rows kept because their time could not be read */
    size_t torn;    /* bytes after the last complete row, kept as they are */
} RetainCount;

/**
 * Filters the CSV bytes @p buf (@p len) for @p keep_days: writes to @p out
 * (at least @p len bytes) the header row, if the first row is one (its
 * first field is "id", or a field is named "timestamp"), then every data row whose time is at most
 * keep_days * 86400 s before @p now (Unix seconds), then any bytes after the
 * last complete row, each row byte for byte as it was. Rows whose time
 * cannot be read, and rows that do not parse at all, are kept and counted
 * in undated: a row is only ever removed when it is known to be old.
 * The time column is found by its name in the header, else
 * RETAIN_TIME_COLUMN_INDEX; times are ISO 8601 as the store writes them
 * ("2026-03-02T14:05:09+01:00"; "Z" and no offset are read too).
 * @p keep_days <= 0 keeps everything. Returns the length written to out.
 */
size_t retain_filter(const char *buf, size_t len, int64_t now, int keep_days, char *out,
                     RetainCount *count);

/** True when the row @p f (@p nf fields) is the store's header: its first
 *  field is "id" or a field is named RETAIN_TIME_COLUMN_NAME. */
bool retain_is_header(const char *const *f, int nf);

/** Reads an ISO 8601 time ("YYYY-MM-DDTHH:MM:SS" then "+HH:MM", "-HH:MM",
 *  "Z" or nothing for UTC) into Unix seconds. Returns 0, or -1 if it is not
 *  one. */
int retain_parse_time(const char *s, int64_t *out);

/** Days since 1970-01-01 of the civil date y-m-d (proleptic Gregorian). */
int64_t retain_days_from_civil(int y, int m, int d);

/** The civil date of day @p days since 1970-01-01. */
void retain_civil_from_days(int64_t days, int *y, int *m, int *d);

/** Fills @p dates with "YYYY-MM-DD" for every day from the Monday of the
 *  week holding y-m-d up to that day itself; returns how many (1..7). */
int retain_week_dates(int y, int m, int d, char dates[7][11]);

#endif
