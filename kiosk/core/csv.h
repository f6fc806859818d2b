/* csv: the sign-up file's row format, RFC 4180 as spreadsheets read it,
 * with a guard against formula injection. Pure (buffers in, buffers out), so
 * the store that writes rows and the staff screen, export and usage counts
 * that read them share one definition of a row. */
#ifndef KIOSK_CSV_H
#define KIOSK_CSV_H

#include <stddef.h>

/**
 * Formats one RFC 4180 row ending in "\r\n" into @p buf (NUL-terminated,
 * truncated to @p cap like snprintf; @p buf may be NULL when @p cap is 0).
 * A field is quoted when it contains , " CR or LF, or begins or ends with a
 * space or TAB (readers that trim would otherwise change it); quotes are
 * doubled. Formula-injection guard: a value beginning with = + - @ TAB or CR
 * gets a leading ' (inside the quotes), so a spreadsheet shows it as text.
 * That includes phone numbers ("+44 20 ..." becomes "'+44 20 ...") and a
 * lone "-": intended, since every column here is text. NULL values are empty.
 * Returns the bytes needed, excluding the NUL.
 */
size_t csv_format_row(char *buf, size_t cap, const char *const *values, size_t n);

/**
 * Returns the length of the longest prefix of @p buf made only of complete
 * rows: ending in "\n" (or "\r\n") outside quotes. A '"' anywhere toggles
 * quoting, which for well-formed CSV is exactly RFC 4180's rule. Whatever
 * follows is a torn tail. Safe on any bytes; reads only buf[0..len).
 */
size_t csv_scan_complete(const char *buf, size_t len);

/** csv_scan_complete() that also counts the complete rows (*rows, may be
 *  NULL): the store counts rows at open with it, so the two can never
 *  disagree on where rows end. */
size_t csv_scan_rows(const char *buf, size_t len, size_t *rows);

/**
 * Parses one complete row at @p buf (strict RFC 4180; "\n" or "\r\n" ends it)
 * into at most @p maxfields strings, each malloc'd and owned by the caller
 * (free each). Sets *consumed (if not NULL) to the row's length including its
 * line end. Returns the number of fields, or -1 if the row is malformed
 * (unterminated quote, no line end within @p len, a quote inside an unquoted
 * field, text after a closing quote, a bare CR), has more than @p maxfields
 * fields, or memory ran out; on -1 nothing is left allocated.
 * Does not undo the formula guard: a guarded value comes back with its '.
 */
int csv_parse_row(const char *buf, size_t len, size_t *consumed, char **fields, int maxfields);

#endif
