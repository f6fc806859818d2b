/* RFC 4180 rows with the formula guard; see csv.h. */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

static int is_guard_char(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int needs_quotes(const char *v)
{
    size_t n = strlen(v);
    if (n == 0)
        return 0;
    if (is_blank(v[0]) || is_blank(v[n - 1]))
        return 1;
    return strpbrk(v, ",\"\r\n") != NULL;
}

size_t csv_format_row(char *buf, size_t cap, const char *const *values, size_t n)
{
    size_t pos = 0;
#define PUT(ch)                                                                                    \
    do {                                                                                           \
        if (pos + 1 < cap)                                                                         \
            buf[pos] = (ch);                                                                       \
        pos++;                                                                                     \
    } while (0)
    for (size_t i = 0; i < n; i++) {
        const char *v = values && values[i] ? values[i] : "";
        int quoted = needs_quotes(v);
        if (i > 0)
            PUT(',');
        if (quoted)
            PUT('"');
        if (is_guard_char(v[0]))
            PUT('\'');
        for (const char *p = v; *p; p++) {
            if (*p == '"')
                PUT('"');
            PUT(*p);
        }
        if (quoted)
            PUT('"');
    }
    PUT('\r');
    PUT('\n');
#undef PUT
    if (buf && cap > 0)
        buf[pos < cap ? pos : cap - 1] = '\0';
    return pos;
}

size_t csv_scan_rows(const char *buf, size_t len, size_t *rows)
{
    size_t done = 0, n = 0;
    int quoted = 0;
    if (!buf)
        len = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '"') {
            quoted = !quoted;
        } else if (buf[i] == '\n' && !quoted) {
            done = i + 1;
            n++;
        }
    }
    if (rows)
        *rows = n;
    return done;
}

size_t csv_scan_complete(const char *buf, size_t len)
{
    return csv_scan_rows(buf, len, NULL);
}

int csv_parse_row(const char *buf, size_t len, size_t *consumed, char **fields, int maxfields)
{
    size_t i = 0;
    int nf = 0;
    if (!buf || !fields || maxfields <= 0)
        return -1;
    for (;;) {
        char *f;
        if (nf == maxfields)
            goto fail;
        if (i < len && buf[i] == '"') {
            size_t start = ++i, flen = 0;
            for (;;) {
                if (i >= len)
                    goto fail; /* quote never closed */
                if (buf[i] == '"') {
                    if (i + 1 < len && buf[i + 1] == '"') {
                        i += 2;
                        flen++;
                        continue;
                    }
                    break;
                }
                i++;
                flen++;
            }
            f = malloc(flen + 1);
            if (!f)
                goto fail;
            for (size_t j = start, k = 0; k < flen; k++) {
                f[k] = buf[j];
                j += buf[j] == '"' ? 2 : 1;
            }
            f[flen] = '\0';
            i++; /* the closing quote */
        } else {
            size_t start = i;
            while (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r') {
                if (buf[i] == '"')
                    goto fail; /* RFC 4180: quotes only in quoted fields */
                i++;
            }
            f = malloc(i - start + 1);
            if (!f)
                goto fail;
            memcpy(f, buf + start, i - start);
            f[i - start] = '\0';
        }
        fields[nf++] = f;
        if (i >= len)
            goto fail; /* no line end: not a complete row */
        if (buf[i] == ',') {
            i++;
            continue;
        }
        if (buf[i] == '\n') {
            i++;
            break;
        }
        if (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n') {
            i += 2;
            break;
        }
        goto fail; /* text after a closing quote, or a bare CR */
    }
    if (consumed)
        *consumed = i;
    return nf;
fail:
    while (nf > 0) {
        nf--;
        free(fields[nf]);
        fields[nf] = NULL;
    }
    return -1;
}
