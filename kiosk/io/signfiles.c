/* signfiles: see signfiles.h. */
#include "signfiles.h"

#include "csv.h"
#include "fsx.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The same bound as the store's and the export's: decades of sign-ups. */
#define SIGNFILES_READ_MAX_BYTES ((size_t)64 * 1024 * 1024)

/* Reads path whole into a buffer the caller wipes and frees (*len bytes).
 * NULL with errno (ENOENT: no such file; EFBIG: over the bound). */
static char *read_file(const char *path, size_t *len)
{
    struct stat st;
    char *buf = NULL;
    *len = 0;
    int fd = fsx_sys.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
    if (fd < 0)
        return NULL;
    if (fsx_sys.fstat(fd, &st) != 0)
        goto out;
    if (!S_ISREG(st.st_mode) || (uintmax_t)st.st_size > SIGNFILES_READ_MAX_BYTES) {
        errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
        goto out;
    }
    buf = fsx_pread_all(fd, (size_t)st.st_size, len);
out : {
    int e = errno;
    fsx_sys.close(fd);
    errno = e;
}
    return buf;
}

static void drop(char *buf, size_t len)
{
    if (buf)
        util_wipe(buf, len);
    free(buf);
}

/* The first row's length when it is the store's header, else 0: ".partial" files and files a person
 * cut have none. */
static size_t header_len(const char *buf, size_t len)
{
    char *f[RETAIN_MAX_FIELDS];
    size_t used = 0;
    int nf = csv_parse_row(buf, len, &used, f, RETAIN_MAX_FIELDS);
    bool header = retain_is_header((const char *const *)f, nf);
    for (int i = 0; i < nf; i++) {
        util_wipe(f[i], strlen(f[i]));
        free(f[i]);
    }
    return header ? used : 0;
}

/* Complete data rows in buf. */
size_t signfiles_data_rows(const char *buf, size_t len)
{
    size_t rows = 0, h = header_len(buf, len);
    csv_scan_rows(buf + h, len - h, &rows);
    return rows;
}

/* Rows in path; in a .partial a torn row without its line end counts too
 * (that is what the file is for). */
static size_t count_rows(const char *path, SignFileKind kind)
{
    size_t len, rows = 0;
    char *buf = read_file(path, &len);
    if (buf)
        rows = signfiles_data_rows(buf, len);
    if (buf && kind == SIGNFILE_RECOVERED)
        rows += csv_scan_complete(buf, len) < len;
    drop(buf, len);
    return rows;
}

/* "<stem>-YYYYmmdd-HHMMSS.csv" or "<stem>-YYYYmmdd-HHMMSS-<N>.csv": what the
 * store's archive_name() makes, and nothing else (an export or a person's
 * "signups-old.csv" in the folder is not ours to count or erase). */
static bool is_archive(const char *name, const char *stem, size_t stemlen)
{
    if (strncmp(name, stem, stemlen) != 0 || name[stemlen] != '-')
        return false;
    const char *p = name + stemlen + 1;
    for (int i = 0; i < 15; i++)
        if (i == 8 ? p[i] != '-' : (p[i] < '0' || p[i] > '9'))
            return false;
    p += 15;
    if (*p == '-') {
        if (p[1] < '0' || p[1] > '9')
            return false;
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    }
    return strcmp(p, ".csv") == 0;
}

/* An archive's name up to its time, and its number among those set aside
 * in the same second: the store adds "-2", "-3", ... (at most 4 digits,
 * where the time ends in 6) and plain name order would put "-2" first. */
static size_t archive_key(const char *path, long *seq)
{
    size_t end = strlen(path) - 4, d = end; /* before ".csv" */
    while (d > 0 && path[d - 1] >= '0' && path[d - 1] <= '9')
        d--;
    *seq = 1;
    if (end - d > 4 || d == 0 || path[d - 1] != '-')
        return end;
    *seq = strtol(path + d, NULL, 10);
    return d - 1;
}

/* Oldest first. */
static int cmp_path(const void *a, const void *b)
{
    const char *pa = ((const SignFile *)a)->path, *pb = ((const SignFile *)b)->path;
    long sa, sb;
    size_t la = archive_key(pa, &sa), lb = archive_key(pb, &sb);
    int c = strncmp(pa, pb, la < lb ? la : lb);
    if (c == 0)
        c = (la > lb) - (la < lb);
    return c ? c : (sa > sb) - (sa < sb);
}

static void add(SignFiles *fs, SignFileKind kind, const char *path, bool count)
{
    struct stat st;
    if (fs->n >= SIGNFILES_MAX || fsx_sys.lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    SignFile *f = &fs->file[fs->n++];
    f->kind = kind;
    snprintf(f->path, sizeof f->path, "%s", path);
    f->rows = count ? count_rows(path, kind) : 0;
}

/* The archives in live's folder, oldest first (cmp_path). */
static int list_archives(const char *live, SignFiles *fs, bool count, char *err, size_t errlen)
{
    char *dir = fsx_dir_of(live);
    const char *base = strrchr(live, '/');
    base = base ? base + 1 : live;
    size_t stemlen = strlen(base);
    if (stemlen >= 4 && strcmp(base + stemlen - 4, ".csv") == 0)
        stemlen -= 4;
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) {
        int missing = dir && errno == ENOENT;
        if (!missing)
            util_format(err, errlen, "cannot list %s: %s", dir ? dir : live, strerror(errno));
        free(dir);
        return missing ? 0 : -1;
    }
    size_t first = fs->n;
    for (struct dirent *e; (e = readdir(d));) {
        char path[4096];
        if (!is_archive(e->d_name, base, stemlen))
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < sizeof path)
            add(fs, SIGNFILE_ARCHIVE, path, count);
    }
    closedir(d);
    free(dir);
    qsort(fs->file + first, fs->n - first, sizeof fs->file[0], cmp_path);
    return 0;
}

static int list(const char *live, SignFiles *out, bool count, char *err, size_t errlen)
{
    char partial[4096];
    util_format(err, errlen, "%s", "");
    out->n = 0;
    if (!live || (size_t)snprintf(partial, sizeof partial, "%s.partial", live) >= sizeof partial) {
        util_format(err, errlen, "no sign-ups file, or its name is too long");
        return -1;
    }
    add(out, SIGNFILE_LIVE, live, count);
    int rc = list_archives(live, out, count, err, errlen);
    add(out, SIGNFILE_RECOVERED, partial, count);
    return rc;
}

int signfiles_list(const char *live, SignFiles *out, char *err, size_t errlen)
{
    return list(live, out, true, err, errlen);
}

int signfiles_names(const char *live, SignFiles *out, char *err, size_t errlen)
{
    return list(live, out, false, err, errlen);
}

void signfiles_totals(const SignFiles *fs, size_t *live, size_t *archived, size_t *recovered)
{
    *live = *archived = *recovered = 0;
    for (size_t i = 0; i < fs->n; i++) {
        size_t *t = fs->file[i].kind == SIGNFILE_LIVE      ? live
                    : fs->file[i].kind == SIGNFILE_ARCHIVE ? archived
                                                           : recovered;
        *t += fs->file[i].rows;
    }
}

/* Replaces path with len bytes of data, or removes it (remove_it: nothing
 * but a header is left in an archive or .partial). */
static int rewrite(const char *path, const char *data, size_t len, bool remove_it, char *err,
                   size_t errlen)
{
    char tmp[4096 + 8];
    if (remove_it) {
        char *dir = fsx_dir_of(path);
        int rc = fsx_sys.unlink(path) == 0 && dir && fsx_fsync_dir(dir) == 0 ? 0 : -1;
        if (rc != 0)
            util_format(err, errlen, "%s: cannot remove: %s", path, strerror(errno));
        free(dir);
        return rc;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    /* A temporary left by a power cut in an earlier rewrite is ours. */
    (void)fsx_sys.unlink(tmp);
    if (fsx_replace(path, tmp, data, len, 0600) != 0) {
        util_format(err, errlen, "%s: cannot rewrite: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

bool signfiles_has_old(const char *path, int64_t now, int keep_days)
{
    size_t len = 0;
    RetainCount c = {0};
    if (keep_days <= 0)
        return false;
    char *buf = read_file(path, &len);
    char *out = buf ? malloc(len ? len : 1) : NULL;
    if (out)
        retain_filter(buf, len, now, keep_days, out, &c);
    drop(out, len);
    drop(buf, len);
    return c.removed > 0;
}

int signfiles_retain(const char *path, int64_t now, int keep_days, int remove_if_empty,
                     RetainCount *count, char *err, size_t errlen)
{
    size_t len = 0;
    memset(count, 0, sizeof *count);
    util_format(err, errlen, "%s", "");
    if (keep_days <= 0)
        return 0;
    char *buf = read_file(path, &len);
    if (!buf) {
        if (errno == ENOENT)
            return 0;
        util_format(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    char *out = malloc(len ? len : 1);
    int rc = -1;
    if (!out) {
        util_format(err, errlen, "%s: out of memory", path);
        goto done;
    }
    size_t n = retain_filter(buf, len, now, keep_days, out, count);
    rc = 0;
    if (count->removed > 0) {
        bool empty = count->kept + count->undated == 0 && count->torn == 0;
        rc = rewrite(path, out, n, empty && remove_if_empty, err, errlen);
    }
done:
    drop(out, len);
    drop(buf, len);
    return rc;
}

uint64_t signfiles_hash(const void *p, size_t len)
{
    const unsigned char *b = p;
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= b[i];
        h *= 1099511628211ULL;
    }
    return h;
}

int signfiles_erase_prefix(const char *path, size_t len, uint64_t hash, int keep_header_file,
                           size_t *erased, char *err, size_t errlen)
{
    size_t got = 0;
    *erased = 0;
    util_format(err, errlen, "%s", "");
    char *buf = read_file(path, &got);
    if (!buf) {
        util_format(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    int rc = 1;
    char *out = NULL;
    size_t outlen = 0;
    if (got < len || signfiles_hash(buf, len) != hash)
        goto done; /* rewritten since the export (retention, a person): not what was verified */
    size_t h = header_len(buf, len), rest = got - len;
    outlen = h + rest;
    out = malloc(outlen + 1);
    if (!out) {
        util_format(err, errlen, "%s: out of memory", path);
        rc = -1;
        goto done;
    }
    memcpy(out, buf, h);
    memcpy(out + h, buf + len, rest);
    size_t rows = signfiles_data_rows(buf, len);
    rc = rewrite(path, out, outlen, rest == 0 && !keep_header_file, err, errlen);
    if (rc == 0)
        *erased = rows;
done:
    drop(out, outlen);
    drop(buf, got);
    return rc;
}
