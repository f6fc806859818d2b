/* notice: see notice.h. */
#include "notice.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

uint64_t notice_backoff_ms(unsigned failures, unsigned jitter)
{
    uint64_t ms = NOTICE_BACKOFF_FIRST_MS;
    for (unsigned i = 1; i < failures && ms < NOTICE_BACKOFF_MAX_MS; i++)
        ms *= 2;
    if (ms > NOTICE_BACKOFF_MAX_MS)
        ms = NOTICE_BACKOFF_MAX_MS;
    return ms + ms / 10 * (jitter % 1000) / 1000;
}

const char *notice_value(const NoticeRow *row, const char *name)
{
    for (size_t i = 0; i < row->n; i++)
        if (strcmp(row->names[i], name) == 0)
            return row->values[i] ? row->values[i] : "";
    return NULL;
}

const char *notice_unguard(const char *v)
{
    if (v && v[0] == '\'' && v[1] && strchr("=+-@\t\r", v[1]))
        return v + 1;
    return v ? v : "";
}

/* A growing text in a caller's buffer: counts what it would need, like
 * snprintf, and never writes past cap. */
typedef struct {
    char *buf;
    size_t cap, len;
} Text;

static void put(Text *t, const char *s, size_t n)
{
    if (t->len < t->cap) {
        size_t room = t->cap - t->len - 1;
        memcpy(t->buf + t->len, s, n < room ? n : room);
    }
    t->len += n;
    if (t->cap)
        t->buf[t->len < t->cap ? t->len : t->cap - 1] = '\0';
}

static void puts_(Text *t, const char *s)
{
    put(t, s, strlen(s));
}

/* A value on one line: a CR, LF or other control character would end a
 * header or fake one. Form values have none; a hand-edited file might. */
static void put_line_value(Text *t, const char *v)
{
    for (; *v; v++) {
        unsigned char c = (unsigned char)*v;
        put(t, c < 0x20 || c == 0x7f ? " " : v, 1);
    }
}

static bool ascii_printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return false;
    return true;
}

size_t notice_email(char *buf, size_t cap, const NoticeRow *row, const char *from, const char *to,
                    const char *date)
{
    Text t = {buf, cap, 0};
    if (cap)
        buf[0] = '\0';
    const char *id = notice_value(row, "id"), *kiosk = notice_value(row, "kiosk");
    puts_(&t, "From: <");
    put_line_value(&t, from);
    puts_(&t, ">\r\nTo: <");
    put_line_value(&t, to);
    puts_(&t, ">\r\nDate: ");
    put_line_value(&t, date);
    /* A kiosk name outside printable ASCII would need RFC 2047 encoding
     * in a header; the subject then does without it. */
    puts_(&t, "\r\nSubject: New sign-up");
    if (kiosk && kiosk[0] && ascii_printable(kiosk)) {
        puts_(&t, " at ");
        puts_(&t, kiosk);
    }
    puts_(&t, "\r\nMessage-ID: <");
    put_line_value(&t, id ? id : "");
    puts_(&t, "@kiosk>\r\nMIME-Version: 1.0\r\n"
              "Content-Type: text/plain; charset=UTF-8\r\n"
              "Content-Transfer-Encoding: 8bit\r\n\r\n"
              "A new sign-up from the kiosk:\r\n\r\n");
    for (size_t i = 0; i < row->n; i++) {
        put_line_value(&t, row->names[i]);
        puts_(&t, ": ");
        put_line_value(&t, notice_unguard(row->values[i]));
        puts_(&t, "\r\n");
    }
    return t.len;
}

static void put_json_string(Text *t, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    puts_(t, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            put(t, e, 2);
        } else if (c < 0x20 || c == 0x7f) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put(t, e, 6);
        } else {
            put(t, s, 1);
        }
    }
    puts_(t, "\"");
}

size_t notice_json(char *buf, size_t cap, const NoticeRow *row)
{
    Text t = {buf, cap, 0};
    if (cap)
        buf[0] = '\0';
    puts_(&t, "{");
    for (size_t i = 0; i < row->n; i++) {
        const char *name = row->names[i], *v = notice_unguard(row->values[i]);
        if (i)
            puts_(&t, ",");
        put_json_string(&t, strcmp(name, "timestamp") == 0 ? "time" : name);
        puts_(&t, ":");
        if (strcmp(name, "duplicate_of") == 0 && !v[0])
            puts_(&t, "null");
        else
            put_json_string(&t, v);
    }
    puts_(&t, "}");
    return t.len;
}
