/* outbox: see outbox.h for the design and why it is crash-safe. */
#include "outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
#include "dupe.h"
#include "fsx.h"
#include "signfiles.h"
#include "store.h"
#include "util.h"

/* The first line of a route's list: "after <id> <seconds since the epoch>",
 * "after - <seconds>" when the file had no rows. */
#define OUTBOX_AFTER "after "

/* An archive known to hold nothing waiting. Archives get no new rows and
 * the delivered ids only grow, so it need not be read again until it is
 * rewritten (retention, erase), which changes what stat says. */
typedef struct {
    char *path;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    bool has_start; /* the starting row is in it */
} Settled;

/* One file rows are sent from, as this pass found it. */
typedef struct {
    const char *path;
    struct stat st; /* taken before the file is read, when known */
    bool known;     /* an archive whose stat was taken: it may be remembered */
    bool settled;   /* remembered, and unchanged since: nothing in it waits */
    bool has_start; /* when settled: the starting row is in it */
} Source;

struct Outbox {
    char *signups, *list;
    uint64_t *ids; /* delivered ids, sorted, as numbers (they are 16 hex digits) */
    size_t nids, capids;
    char after[17];    /* the starting point: rows up to this id are not sent */
    long long after_t; /* when the list was made; 0: not known */
    SignFiles *files;  /* the last listing of the sign-up files */
    Source *src;       /* what sources() made of it: archives, then live */
    size_t nsrc;
    Settled *settled;
    size_t nsettled, capsettled;
};

/* A row id as a number; false if it is not 16 lower-case hex digits. */
static bool id_value(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (len != 16)
        return false;
    for (size_t i = 0; i < 16; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return true;
}

static size_t id_lower_bound(const Outbox *o, uint64_t v)
{
    size_t lo = 0, hi = o->nids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->ids[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool delivered(const Outbox *o, const char *id)
{
    uint64_t v;
    if (!id_value(id, strlen(id), &v))
        return false;
    size_t i = id_lower_bound(o, v);
    return i < o->nids && o->ids[i] == v;
}

static int add_id(Outbox *o, uint64_t v)
{
    size_t i = id_lower_bound(o, v);
    if (i < o->nids && o->ids[i] == v)
        return 0;
    if (o->nids == o->capids) {
        size_t cap = o->capids ? o->capids * 2 : 256;
        uint64_t *p = realloc(o->ids, cap * sizeof *p);
        if (!p)
            return -1;
        o->ids = p;
        o->capids = cap;
    }
    memmove(o->ids + i + 1, o->ids + i, (o->nids - i) * sizeof *o->ids);
    o->ids[i] = v;
    o->nids++;
    return 0;
}

/* The whole file at path (complete rows only); *len 0 and no error for a
 * missing file. */
static char *read_rows(const char *path, size_t *len, char *err, size_t errlen)
{
    char why[512];
    *len = 0;
    int fd = fsx_open_owned(path, O_RDONLY, 0, "sign-ups", why, sizeof why);
    if (fd < 0) {
        if (errno != ENOENT)
            util_format(err, errlen, "%s: cannot read it: %s", path,
                        why[0] ? why : strerror(errno));
        return errno == ENOENT ? calloc(1, 1) : NULL;
    }
    struct stat st;
    char *buf = NULL;
    if (fsx_sys.fstat(fd, &st) != 0 || (size_t)st.st_size > STORE_READ_MAX_BYTES) {
        util_format(err, errlen, "%s: cannot read it (too large, or %s)", path, strerror(errno));
    } else {
        size_t got = 0;
        buf = fsx_pread_all(fd, (size_t)st.st_size, &got);
        if (!buf)
            util_format(err, errlen, "%s: cannot read it: %s", path, strerror(errno));
        else
            *len = csv_scan_complete(buf, got); /* a row being written is not one yet */
    }
    fsx_sys.close(fd);
    return buf;
}

static void free_fields(char **f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i])
            util_wipe(f[i], strlen(f[i]));
        free(f[i]);
    }
}

void outbox_row_free(OutboxRow *row)
{
    if (!row)
        return;
    if (row->values)
        free_fields(row->values, row->n);
    if (row->names)
        free_fields(row->names, row->n);
    free(row->values);
    free(row->names);
    memset(row, 0, sizeof *row);
}

int outbox_each_row(const char *path, int (*fn)(void *ctx, const OutboxRow *row), void *ctx,
                    char *err, size_t errlen)
{
    size_t len, off = 0, used;
    char *buf = read_rows(path, &len, err, errlen);
    if (!buf)
        return -1;
    char *names[OUTBOX_FIELDS_MAX], *values[OUTBOX_FIELDS_MAX];
    size_t bom = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    int nn = len ? csv_parse_row(buf + bom, len - bom, &used, names, OUTBOX_FIELDS_MAX) : -1;
    off = bom + (nn > 0 ? used : len);
    int stop = 0;
    while (off < len && !stop) {
        int nv = csv_parse_row(buf + off, len - off, &used, values, OUTBOX_FIELDS_MAX);
        if (nv < 0)
            break; /* as store_count_rows(): rows after a malformed one are not read */
        off += used;
        OutboxRow row = {names, values, (size_t)nv, ""};
        if (nv == nn && nv > 0 && strlen(values[0]) == 16) {
            memcpy(row.id, values[0], 17);
            stop = fn(ctx, &row);
        }
        free_fields(values, (size_t)nv);
    }
    if (nn > 0)
        free_fields(names, (size_t)nn);
    util_wipe(buf, len);
    free(buf);
    return 0;
}

/* ---- the files rows are sent from ----------------------------------------- */

/* The entry for path, changed since or not; NULL if none. */
static Settled *settled_slot(const Outbox *o, const char *path)
{
    for (size_t i = 0; i < o->nsettled; i++)
        if (strcmp(o->settled[i].path, path) == 0)
            return &o->settled[i];
    return NULL;
}

static bool same_file(const Settled *k, const struct stat *st)
{
    return k->dev == st->st_dev && k->ino == st->st_ino && k->size == st->st_size &&
           k->mtime.tv_sec == st->st_mtim.tv_sec && k->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* Remembers that path, as st describes it, holds nothing waiting. Out of
 * memory only means it is read again next time. */
static void settled_put(Outbox *o, const char *path, const struct stat *st, bool has_start)
{
    Settled *k = settled_slot(o, path);
    if (!k) {
        if (o->nsettled == o->capsettled) {
            size_t cap = o->capsettled ? o->capsettled * 2 : 8;
            Settled *p = realloc(o->settled, cap * sizeof *p);
            if (!p)
                return;
            o->settled = p;
            o->capsettled = cap;
        }
        char *copy = strdup(path);
        if (!copy)
            return;
        k = &o->settled[o->nsettled++];
        k->path = copy;
    }
    k->dev = st->st_dev;
    k->ino = st->st_ino;
    k->size = st->st_size;
    k->mtime = st->st_mtim;
    k->has_start = has_start;
}

/* Into o->src, oldest first: the archives (signfiles_names() sorts them),
 * then the live file. A row waiting when the form changed is in an
 * archive, and is still sent, before newer rows. Each archive is looked
 * up among those remembered once, here, with the stat taken before it is
 * read. */
static int sources(Outbox *o, char *err, size_t errlen)
{
    o->nsrc = 0;
    if (signfiles_names(o->signups, o->files, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < o->files->n; i++) {
        if (o->files->file[i].kind != SIGNFILE_ARCHIVE)
            continue;
        Source *c = &o->src[o->nsrc++];
        *c = (Source){.path = o->files->file[i].path};
        c->known = fsx_sys.stat(c->path, &c->st) == 0;
        const Settled *k = c->known ? settled_slot(o, c->path) : NULL;
        c->settled = k && same_file(k, &c->st);
        c->has_start = c->settled && k->has_start;
    }
    o->src[o->nsrc++] = (Source){.path = o->signups}; /* missing: no rows */
    return 0;
}

/* ---- a route's list ------------------------------------------------------ */

static int last_id(void *ctx, const OutboxRow *row)
{
    memcpy(ctx, row->id, 17);
    return 0;
}

/* Makes the list with the last row of the last file as the starting point. */
static int create_list(Outbox *o, char *err, size_t errlen)
{
    char last[17] = "-", text[64], tmp[4200];
    if (sources(o, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < o->nsrc; i++)
        if (outbox_each_row(o->src[i].path, last_id, last, err, errlen) != 0)
            return -1;
    long long now = (long long)time(NULL);
    int n = snprintf(text, sizeof text, OUTBOX_AFTER "%s %lld\n", last, now);
    snprintf(tmp, sizeof tmp, "%s.tmp", o->list);
    fsx_sys.unlink(tmp); /* left by a power cut during an earlier try */
    if (fsx_replace(o->list, tmp, text, (size_t)n, 0600) != 0) {
        util_format(err, errlen, "%s: cannot create it: %s", o->list, strerror(errno));
        return -1;
    }
    snprintf(o->after, sizeof o->after, "%s", last);
    o->after_t = now;
    return 0;
}

/* "<id> <seconds>" of the first line; the seconds may be missing. */
static void parse_after(Outbox *o, const char *s, size_t n)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)(n < 63 ? n : 63), s);
    char *sp = strchr(buf, ' ');
    if (sp) {
        *sp = '\0';
        o->after_t = strtoll(sp + 1, NULL, 10);
    }
    snprintf(o->after, sizeof o->after, "%.16s", buf);
}

/* Reads the list; lines that are not an id (a line torn by a power cut)
 * are skipped: that row is sent again, with the same id. */
static int load_list(Outbox *o, const char *text, size_t len)
{
    size_t off = 0;
    while (off < len) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *line = text + off;
        size_t n = end - off;
        uint64_t v;
        if (off == 0 && n > strlen(OUTBOX_AFTER) && memcmp(line, OUTBOX_AFTER, 6) == 0)
            parse_after(o, line + 6, n - 6);
        else if (id_value(line, n, &v) && add_id(o, v) != 0)
            return -1;
        off = end + 1;
    }
    return 0;
}

static int open_list(Outbox *o, char *err, size_t errlen)
{
    char why[512];
    int fd = fsx_open_owned(o->list, O_RDONLY, 0, "the delivery list", why, sizeof why);
    if (fd < 0 && errno == ENOENT)
        return create_list(o, err, errlen);
    struct stat st;
    char *text = NULL;
    size_t got = 0;
    if (fd >= 0 && fsx_sys.fstat(fd, &st) == 0)
        text = fsx_pread_all(fd, (size_t)st.st_size, &got);
    int rc = text && load_list(o, text, got) == 0 ? 0 : -1;
    if (rc != 0)
        util_format(err, errlen, "%s: cannot read it: %s", o->list,
                    why[0] && fd < 0 ? why : strerror(errno));
    if (fd >= 0)
        fsx_sys.close(fd);
    free(text);
    return rc;
}

int outbox_open(Outbox **out, const char *signups, const char *route, char *err, size_t errlen)
{
    *out = NULL;
    Outbox *o = calloc(1, sizeof *o);
    size_t n = strlen(signups) + strlen(route) + 8;
    if (o) {
        o->signups = strdup(signups);
        o->list = malloc(n);
        o->files = calloc(1, sizeof *o->files);
        o->src = calloc(SIGNFILES_MAX + 1, sizeof *o->src);
    }
    if (!o || !o->signups || !o->list || !o->files || !o->src) {
        util_format(err, errlen, "out of memory");
        outbox_close(o);
        return -1;
    }
    snprintf(o->list, n, "%s.sent-%s", signups, route);
    snprintf(o->after, sizeof o->after, "-");
    if (open_list(o, err, errlen) != 0) {
        outbox_close(o);
        return -1;
    }
    *out = o;
    return 0;
}

long long outbox_last_delivered(const Outbox *o)
{
    struct stat st;
    if (!o || !o->nids || fsx_sys.stat(o->list, &st) != 0)
        return 0;
    return (long long)st.st_mtime;
}

void outbox_close(Outbox *o)
{
    if (!o)
        return;
    free(o->signups);
    free(o->list);
    free(o->ids);
    free(o->files);
    free(o->src);
    for (size_t i = 0; i < o->nsettled; i++)
        free(o->settled[i].path);
    free(o->settled);
    free(o);
}

/* ---- finding the next row ----------------------------------------------- */

typedef struct {
    const Outbox *o;
    bool past_start;  /* the starting point has been passed */
    bool start_found; /* the starting row is in the file */
    size_t waiting;
    OutboxRow *first;
    int failed;
} Scan;

static int copy_row(OutboxRow *dst, const OutboxRow *src)
{
    dst->names = calloc(src->n, sizeof *dst->names);
    dst->values = calloc(src->n, sizeof *dst->values);
    dst->n = src->n;
    memcpy(dst->id, src->id, sizeof dst->id);
    for (size_t i = 0; dst->names && dst->values && i < src->n; i++) {
        dst->names[i] = strdup(src->names[i]);
        dst->values[i] = strdup(src->values[i]);
        if (!dst->names[i] || !dst->values[i])
            break;
    }
    bool ok = dst->names && dst->values && (!src->n || dst->values[src->n - 1]);
    return ok ? 0 : -1;
}

/* When the starting row is gone from the file, rows stored before the
 * list was made still are not sent: the file may have been cut down (old
 * rows removed), and a clinic setting up email must not get years of old
 * sign-ups. A row whose time cannot be read is sent. */
static bool before_start(const Outbox *o, const OutboxRow *row)
{
    if (o->after_t <= 0 || strcmp(o->after, "-") == 0)
        return false; /* no rows when the list was made: every row is newer */
    for (size_t i = 0; i < row->n; i++)
        if (strcmp(row->names[i], "timestamp") == 0) {
            int64_t t = dupe_parse_time(row->values[i]);
            return t >= 0 && t <= o->after_t;
        }
    return false;
}

static int scan_row(void *ctx, const OutboxRow *row)
{
    Scan *s = ctx;
    if (!s->past_start || (!s->start_found && before_start(s->o, row)))
        return 0;
    if (delivered(s->o, row->id))
        return 0;
    s->waiting++;
    if (s->waiting == 1 && copy_row(s->first, row) != 0)
        s->failed = 1;
    return 0;
}

static int find_start(void *ctx, const OutboxRow *row)
{
    Scan *s = ctx;
    if (strcmp(row->id, s->o->after) == 0) {
        s->past_start = true;
        return 1;
    }
    return 0;
}

/* Rows after the starting point: a second pass from its row on. */
static int scan_after(void *ctx, const OutboxRow *row)
{
    Scan *s = ctx;
    if (!s->past_start) {
        s->past_start = strcmp(row->id, s->o->after) == 0;
        return 0;
    }
    return scan_row(ctx, row);
}

/* Which of o->src holds the starting row; o->nsrc when none does. */
static size_t find_start_file(const Outbox *o, char *err, size_t errlen)
{
    if (strcmp(o->after, "-") == 0)
        return o->nsrc;
    for (size_t i = 0; i < o->nsrc; i++) {
        const Source *c = &o->src[i];
        Scan s = {.o = o};
        if (c->settled ? c->has_start
                       : outbox_each_row(c->path, find_start, &s, err, errlen) == 0 && s.past_start)
            return i;
    }
    return o->nsrc;
}

int outbox_next(Outbox *o, OutboxRow *row, size_t *waiting, char *err, size_t errlen)
{
    memset(row, 0, sizeof *row);
    if (sources(o, err, errlen) != 0)
        return -1;
    /* Is the starting row still there? If the files were started afresh
     * since, every row in them is newer than the starting point. */
    size_t start = find_start_file(o, err, errlen);
    Scan s = {.o = o, .first = row, .start_found = start < o->nsrc, .past_start = start == o->nsrc};
    for (size_t i = 0; i < o->nsrc; i++) {
        const Source *c = &o->src[i];
        if (c->settled) {
            s.past_start = s.past_start || i == start;
            continue;
        }
        size_t before = s.waiting;
        if (outbox_each_row(c->path, s.start_found ? scan_after : scan_row, &s, err, errlen) != 0) {
            outbox_row_free(row);
            return -1;
        }
        if (c->known && s.waiting == before)
            settled_put(o, c->path, &c->st, i == start);
    }
    if (s.failed) {
        outbox_row_free(row);
        util_format(err, errlen, "out of memory");
        return -1;
    }
    if (waiting)
        *waiting = s.waiting;
    return s.waiting ? 1 : 0;
}

int outbox_done(Outbox *o, const char *id, char *err, size_t errlen)
{
    uint64_t v;
    char line[18], why[512];
    if (!id_value(id, strlen(id), &v)) {
        util_format(err, errlen, "not a sign-up id");
        return -1;
    }
    snprintf(line, sizeof line, "%s\n", id);
    int fd = fsx_open_owned(o->list, O_WRONLY | O_APPEND, 0, "the delivery list", why, sizeof why);
    /* A line torn by a power cut is ended first, so this id is a line. */
    struct stat st;
    char last = '\n';
    if (fd >= 0 && fsx_sys.fstat(fd, &st) == 0 && st.st_size > 0) {
        int rfd = fsx_sys.open(o->list, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
        if (rfd >= 0) {
            if (fsx_sys.pread(rfd, &last, 1, st.st_size - 1) != 1)
                last = '\n';
            fsx_sys.close(rfd);
        }
    }
    int rc = fd >= 0 && (last == '\n' || fsx_write_all(fd, "\n", 1) == 0) &&
                     fsx_write_all(fd, line, 17) == 0 && fsx_sys.fsync(fd) == 0
                 ? 0
                 : -1;
    if (rc != 0)
        util_format(err, errlen, "%s: cannot record a delivery: %s", o->list,
                    why[0] && fd < 0 ? why : strerror(errno));
    if (fd >= 0)
        fsx_sys.close(fd);
    if (rc == 0 && add_id(o, v) != 0) {
        util_format(err, errlen, "out of memory");
        rc = -1;
    }
    return rc;
}
