/* Small shared steps; see util.h. */
#include "util.h"

#include <stdio.h>
#include <string.h>

void util_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

void util_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
    if (!buf || cap == 0)
        return;
    vsnprintf(buf, cap, fmt, ap);
}

void util_format(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    util_vformat(buf, cap, fmt, ap);
    va_end(ap);
}

void util_vappend(char *buf, size_t cap, const char *fmt, va_list ap)
{
    if (!buf || cap == 0)
        return;
    size_t used = strnlen(buf, cap);
    if (used >= cap)
        return;
    if (used > 0 && used + 1 < cap)
        buf[used++] = ' ';
    vsnprintf(buf + used, cap - used, fmt, ap);
}

void util_append(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    util_vappend(buf, cap, fmt, ap);
    va_end(ap);
}

int util_utf8_decode(const unsigned char *s, unsigned *cp)
{
    const unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (!util_utf8_is_cont(s[1]))
            return 0;
        *cp = ((unsigned)(c & 0x1F) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        /* E0 needs A0..BF (no overlongs), ED needs 80..9F (no surrogates) */
        const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        if (s[1] < lo || s[1] > hi || !util_utf8_is_cont(s[2]))
            return 0;
        *cp = ((unsigned)(c & 0x0F) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        /* F0 needs 90..BF (no overlongs), F4 needs 80..8F (<= U+10FFFF) */
        const unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        if (s[1] < lo || s[1] > hi || !util_utf8_is_cont(s[2]) || !util_utf8_is_cont(s[3]))
            return 0;
        *cp = ((unsigned)(c & 0x07) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
              (s[3] & 0x3Fu);
        return 4;
    }
    return 0;
}

size_t util_utf8_next(const char *s, size_t i, size_t len)
{
    i++;
    while (i < len && util_utf8_is_cont((unsigned char)s[i]))
        i++;
    return i;
}

size_t util_utf8_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += !util_utf8_is_cont((unsigned char)*s);
    return n;
}
