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
 * A field is quoted when it contains , " CR LF ; or TAB, or begins or ends
 * with a space or TAB (readers that trim would otherwise change it); quotes
 * are doubled.
 *
 * Formula-injection guard, for a reader that splits on , ; TAB or | and
 * whether or not it honours the quotes: wherever such a reader may start a
 * cell (the start of a value, and right after each , ; | TAB CR or LF in
 * it, a CR LF pair counting once), a ' is put in (inside the quotes) when
 * what follows begins with TAB or CR, or with = + - @ (or a full-width,
 * small, superscript or subscript form of one, or U+2212) after any spaces,
 * TABs, '"', Unicode spaces and invisible format characters. So "=1+1"
 * becomes "'=1+1" and "Ann;+1+1;" becomes "\"Ann;'+1+1;\"", and a
 * spreadsheet shows both as text. That includes phone numbers
 * ("+44 20 ..." becomes "'+44 20 ...") and a lone "-": intended, since
 * every column here is text. A reader splitting on anything else (space,
 * ':') is not guarded against. NULL values are empty.
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
