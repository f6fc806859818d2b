/* dupe: see dupe.h. */
#include "dupe.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void dupe_norm_phone(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    if (!cap)
        return;
    for (; in && *in && n + 1 < cap; in++)
        if (*in >= '0' && *in <= '9')
            out[n++] = *in;
    out[n] = '\0';
}

void dupe_norm_email(const char *in, char *out, size_t cap)
{
    if (!cap)
        return;
    out[0] = '\0';
    if (!in)
        return;
    while (*in == ' ' || *in == '\t')
        in++;
    size_t len = strlen(in);
    while (len && (in[len - 1] == ' ' || in[len - 1] == '\t'))
        len--;
    if (len >= cap)
        len = cap - 1;
    for (size_t i = 0; i < len; i++)
        out[i] = in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] - 'A' + 'a') : in[i];
    out[len] = '\0';
}

/* FNV-1a, 64 bits; 0 is kept for "no value". */
static uint64_t hash(const char *s)
{
    if (!s || !s[0])
        return 0;
    uint64_t h = 0xcbf29ce484222325u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return h ? h : 1;
}

const char *dupe_find(const DupeIndex *ix, int64_t t, const char *phone, const char *email)
{
    uint64_t p = hash(phone), m = hash(email);
    for (size_t i = 0; i < ix->n; i++) {
        const DupeEntry *e = &ix->e[i];
        if (e->t <= t - DUPE_WINDOW_S || e->t > t)
            continue;
        if ((p && p == e->phone) || (m && m == e->email))
            return e->id;
    }
    return NULL;
}

/* Drops entries that can no longer match anything stored at t or later. */
static void prune(DupeIndex *ix, int64_t t)
{
    size_t old = 0;
    while (old < ix->n && ix->e[old].t <= t - DUPE_WINDOW_S)
        old++;
    if (!old)
        return;
    util_wipe(ix->e, old * sizeof *ix->e);
    memmove(ix->e, ix->e + old, (ix->n - old) * sizeof *ix->e);
    ix->n -= old;
}

int dupe_add(DupeIndex *ix, int64_t t, const char *id, const char *phone, const char *email)
{
    prune(ix, t);
    if (ix->n == ix->cap) {
        size_t cap = ix->cap ? ix->cap * 2 : 16;
        DupeEntry *e = malloc(cap * sizeof *e);
        if (!e)
            return -1;
        /* A copy, not realloc: the old block is wiped before it is freed. */
        if (ix->n)
            memcpy(e, ix->e, ix->n * sizeof *e);
        util_wipe(ix->e, ix->cap * sizeof *ix->e);
        free(ix->e);
        ix->e = e;
        ix->cap = cap;
    }
    DupeEntry *e = &ix->e[ix->n++];
    memset(e, 0, sizeof *e);
    e->t = t;
    util_format(e->id, sizeof e->id, "%s", id ? id : "");
    char p[DUPE_PHONE_MAX], m[DUPE_EMAIL_MAX];
    dupe_norm_phone(phone, p, sizeof p);
    dupe_norm_email(email, m, sizeof m);
    e->phone = hash(p);
    e->email = hash(m);
    util_wipe(p, sizeof p);
    util_wipe(m, sizeof m);
    return 0;
}

void dupe_free(DupeIndex *ix)
{
    if (ix->e)
        util_wipe(ix->e, ix->cap * sizeof *ix->e);
    free(ix->e);
    ix->e = NULL;
    ix->n = ix->cap = 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* n digits at s as a number; -1 if any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int64_t dupe_parse_time(const char *s)
{
    if (!s || strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':')
        return -1;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        se < 0 || se > 60)
        return -1;
    int64_t off = 0;
    const char *z = s + 19;
    if (strcmp(z, "Z") != 0) {
        int oh = strlen(z) == 6 && z[3] == ':' ? digits(z + 1, 2) : -1;
        int om = oh >= 0 ? digits(z + 4, 2) : -1;
        if ((z[0] != '+' && z[0] != '-') || oh < 0 || om < 0)
            return -1;
        off = (int64_t)(oh * 3600 + om * 60) * (z[0] == '-' ? -1 : 1);
    }
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
}
