/* dupe: see dupe.h. */
#include "dupe.h"
#include "retain.h"

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

int64_t dupe_parse_time(const char *s)
{
    /* One reader of the sign-up file's times: retention's. */
    int64_t t;
    return s && retain_parse_time(s, &t) == 0 ? t : -1;
}
