/* util: the handful of small steps every layer needs and none owns: integer
 * bounds, formatting a message into a caller's buffer, walking UTF-8, and
 * wiping personal data from memory. Written once here so each module does
 * not grow its own copy. */
#ifndef KIOSK_UTIL_H
#define KIOSK_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

static inline int util_imin(int a, int b)
{
    return a < b ? a : b;
}

static inline int util_imax(int a, int b)
{
    return a > b ? a : b;
}

static inline int util_clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/** Overwrites n bytes through a volatile pointer, so the compiler cannot
 *  drop it: personal data must not linger in freed memory. */
void util_wipe(void *p, size_t n);

/** printf into buf (cut to cap, always terminated). A NULL buf or cap 0
 *  is allowed and does nothing, so callers may pass an optional message
 *  buffer straight through. */
void util_format(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void util_vformat(char *buf, size_t cap, const char *fmt, va_list ap);

/** Like util_format, but appends to what buf holds, after a space when it
 *  holds something: for notes that collect several sentences. */
void util_append(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void util_vappend(char *buf, size_t cap, const char *fmt, va_list ap);

/** True for a UTF-8 continuation byte (10xxxxxx). */
static inline bool util_utf8_is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/** Length of the well-formed UTF-8 sequence at s (1..4) with its code point
 *  in *cp, or 0 when s does not start one (stray continuation byte,
 *  overlong form, surrogate, above U+10FFFF, or cut short). s[0] must not
 *  be NUL; a NUL inside a sequence is not a continuation byte, so this
 *  never reads past the terminator. */
int util_utf8_decode(const unsigned char *s, unsigned *cp);

/** The index of the character after the one starting at i, at most len. */
size_t util_utf8_next(const char *s, size_t i, size_t len);

/** Characters (not bytes) of a NUL-terminated UTF-8 string. */
size_t util_utf8_count(const char *s);

#endif
