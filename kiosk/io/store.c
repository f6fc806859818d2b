/* store: the sign-up CSV. See store.h for the contract; this file explains
 * why each lock and fsync sits where it does.
 *
 * Durability model. A row is acknowledged (store_append() returns 0) only
 * after one write() of the whole row and a successful fsync(). We write a
 * row in one call so that, with the file opened O_APPEND and only one writer
 * (the flock), the file is always "complete rows, then at most one torn row":
 * exactly what torn-tail recovery at open can repair without guessing. A
 * power cut can tear that last row (or leave zeros where the filesystem
 * allocated blocks before the data arrived); recovery moves those bytes to
 * "<path>.partial" instead of deleting them, because a person may still be
 * able to read a name out of them.
 *
 * Rows the disk refuses wait in the store's queue in memory and are retried.
 * So that a stop, a crash or a power cut in the meantime does not lose them,
 * they are ALSO appended to "<path>.pending" in the same folder (durably:
 * fsync, and a directory fsync when the file is new). At the next open, and
 * whenever the queue drains, that file's rows are added to the main file,
 * skipping any whose id (the first field) is already there, and the file is
 * removed: see pending_drain() for each crash window. The same folder, and
 * no second location, because the packaged service may write nowhere else
 * (ProtectSystem=strict, StateDirectory=kiosk), /var/tmp is cleaned and
 * shared (personal data must stay in the owner-only folder), and the refusals
 * it helps with are those of the one file: its size limit, a file that
 * cannot be reopened or locked yet, a failed fsync on it. A disk that is
 * full for everyone refuses the .pending file too; the rows then wait in
 * memory only, and the messages say so.
 *
 * Every system call goes through fsx's seam (fsx_sys), so the tests can fail
 * each one in turn and replay what a power cut could leave after each.
 */
#include "store.h"

#include "csv.h"
#include "util.h"

#include "fsx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#if defined(__linux__) && defined(__has_include)
#if __has_include(<sys/random.h>)
#include <sys/random.h>
#define STORE_HAVE_GETRANDOM 1
#endif
#endif

/* How many times store_open() retries when the path changes under it between
 * open() and flock() (another kiosk archived it in that instant). Each retry
 * needs a fresh rename by someone else, so a handful means "something keeps
 * replacing this file", which a person must look at. */
#define STORE_OPEN_RETRIES 8

/* Archive names get "-2", "-3"... when a file was archived in the same
 * second; this many means something is looping, so stop rather than spin. */
#define STORE_ARCHIVE_SUFFIX_MAX 1000

/* Room for the sentences store_open() reports when it reopens a replaced
 * file from store_flush(): a path and two or three sentences about it. */
#define STORE_NOTE_BYTES 1024

/* store_count_rows() parses at most this many fields of a row: the kiosk's
 * rows have 4 + 16 fields + 1 at most (app.h); more means a row a person
 * added by hand, which is not counted. */
#define STORE_COUNT_FIELDS_MAX 64

typedef struct {
    char *bytes; /* one formatted row, "\r\n" included: personal data */
    size_t len;
    bool durable; /* also in "<path>.pending", fsynced; these are a prefix of the queue */
} Pending;

struct Store {
    int fd;
    char *path;
    char *pending_path; /* "<path>.pending" */
    char **columns;
    size_t ncolumns;
    dev_t dev;         /* identity of the file we hold locked, to notice it being */
    ino_t ino;         /* moved or replaced behind our back */
    off_t repair_size; /* >= 0: an undo failed; cut the file here before writing */
    size_t rows;
    Pending *queue;
    size_t nqueue, capqueue;
    bool drain_needed; /* a .pending file may hold rows the main file lacks */
};

/* ---- messages ---------------------------------------------------------- */

/* Adds a sentence to a note; notes can collect several (recovery, rename). */
/* Formats fmt, then ": strerror(errno)", and leaves errno as it was, so the
 * caller can still hand errno up after building the message. */
static void msg_errno(char *buf, size_t cap, const char *fmt, ...)
{
    int e = errno;
    va_list ap;
    va_start(ap, fmt);
    util_vformat(buf, cap, fmt, ap);
    va_end(ap);
    if (buf && cap > 0) {
        size_t used = strnlen(buf, cap);
        if (used < cap)
            snprintf(buf + used, cap - used, ": %s", strerror(e));
    }
    errno = e;
}

void store_format_time(time_t t, char *buf, size_t cap)
{
    struct tm tm;
    if (!buf || cap == 0)
        return;
    if (!localtime_r(&t, &tm)) {
        buf[0] = '\0';
        return;
    }
    long off = tm.tm_gmtoff;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 3600,
             off / 60 % 60);
}

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

void store_make_id(char out[17])
{
    static const char hex[] = "0123456789abcdef";
    static _Atomic unsigned long counter;
    unsigned char b[8];
    int ok = 0;
#ifdef STORE_HAVE_GETRANDOM
    /* GRND_NONBLOCK: at early boot the pool may not be ready, and a kiosk
     * must not freeze on a sign-up for that; /dev/urandom never blocks. */
    ok = getrandom(b, sizeof b, GRND_NONBLOCK) == (ssize_t)sizeof b;
#endif
    if (!ok) {
        int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ok = read(fd, b, sizeof b) == (ssize_t)sizeof b;
            close(fd);
        }
    }
    if (!ok) {
        /* Unique within this process (the counter) and across restarts (the
         * clock, the pid); not unpredictable, which an id need not be. */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t x = splitmix64((uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 32) ^
                                (uint64_t)ts.tv_nsec ^ splitmix64(counter++));
        for (size_t i = 0; i < sizeof b; i++)
            b[i] = (unsigned char)(x >> (8 * i));
    }
    for (size_t i = 0; i < sizeof b; i++) {
        out[2 * i] = hex[b[i] >> 4];
        out[2 * i + 1] = hex[b[i] & 15];
    }
    out[16] = '\0';
}

/* ---- files and directories -------------------------------------------- */

/* mkdir -p of path's directory, each new directory 0700 (the sign-ups are
 * personal data). Existing directories are left as they are: they may be
 * shared ones like /var/lib that we have no business changing. */
static int make_parents(const char *path, char *err, size_t errlen)
{
    char *dir = fsx_dir_of(path);
    char failed[4096] = "";
    if (!dir) {
        errno = ENOMEM;
        msg_errno(err, errlen, "%s: cannot create its directory", path);
        return -1;
    }
    /* Synced: a power cut must not take a new directory, and the rows in
     * it, away. */
    int rc = fsx_make_dirs(dir, 0700, true, failed, sizeof failed);
    if (rc != 0)
        msg_errno(err, errlen, "%s: cannot create directory %s", path, failed);
    free(dir);
    return rc;
}

/* Opens and locks path. We lock before reading anything because recovery
 * truncates the file: doing that while another kiosk appends would cut its
 * acknowledged row. LOCK_NB because two kiosks on one file is a setup
 * mistake a person must fix; blocking would only freeze the second kiosk.
 * After locking we check the path still names the file we locked: if
 * another kiosk archived (renamed) it between our open() and flock(), we
 * would otherwise append to the archive. */
static int open_locked(const char *path, int *fdout, struct stat *st, char *err, size_t errlen)
{
    char why[1024];
    /* Neither the file nor its folder may be a symbolic link or belong to
     * another user: rows written through a link planted there would go
     * wherever it points. */
    char *dir = fsx_dir_of(path);
    int dfd = dir ? fsx_open_owned(dir, O_RDONLY | O_DIRECTORY, 0, "sign-ups", why, sizeof why)
                  : -1;
    if (dfd < 0) {
        if (!dir)
            errno = ENOMEM;
        if (dir && why[0])
            util_format(err, errlen, "%s", why);
        else
            msg_errno(err, errlen, "%s: cannot open its folder", path);
        free(dir);
        return -1;
    }
    fsx_sys.close(dfd);
    free(dir);
    for (int attempt = 0; attempt < STORE_OPEN_RETRIES; attempt++) {
        struct stat pst;
        int fd = fsx_open_owned(path, O_RDWR | O_APPEND | O_CREAT, 0600, "sign-ups", why,
                                sizeof why);
        if (fd < 0) {
            if (why[0])
                util_format(err, errlen, "%s", why);
            else
                msg_errno(err, errlen, "%s: cannot open", path);
            return -1;
        }
        if (fsx_sys.flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            fsx_sys.close(fd);
            errno = e;
            if (e == EWOULDBLOCK)
                msg_errno(err, errlen,
                          "%s: another kiosk (or a second copy of this one) has this file "
                          "locked; only one may write to it",
                          path);
            else
                msg_errno(err, errlen, "%s: cannot lock", path);
            return -1;
        }
        if (fsx_sys.fstat(fd, st) != 0) {
            int e = errno;
            fsx_sys.close(fd);
            errno = e;
            msg_errno(err, errlen, "%s: cannot stat", path);
            return -1;
        }
        if (fsx_sys.lstat(path, &pst) == 0 && pst.st_dev == st->st_dev &&
            pst.st_ino == st->st_ino) {
            *fdout = fd;
            return 0;
        }
        fsx_sys.close(fd);
    }
    errno = EAGAIN;
    msg_errno(err, errlen, "%s: the file kept being replaced while opening it", path);
    return -1;
}

/* Group/other bits on a file of personal data are a leak waiting to
 * happen; tighten them and say so, since someone may have set them on
 * purpose and should learn why they keep coming back. */
static void tighten_mode(int fd, const struct stat *st, const char *path, char *note,
                         size_t notelen)
{
    if ((st->st_mode & 077) == 0)
        return;
    if (fsx_sys.fchmod(fd, 0600) == 0)
        util_append(note, notelen,
                    "%s: was readable by other users (mode %03o); set to owner-only (0600).", path,
                    (unsigned)(st->st_mode & 0777));
    else
        util_append(note, notelen,
                    "%s: is readable by other users (mode %03o) and could not be "
                    "changed: %s.",
                    path, (unsigned)(st->st_mode & 0777), strerror(errno));
}

/* Writes one row with one write() and makes it durable. On any failure the
 * file is cut back to its size before the write, so a torn row never sits in
 * front of the next one; if even that fails, repair_size remembers where to
 * cut before the next write. */
static int write_row(Store *s, const char *bytes, size_t len, char *err, size_t errlen)
{
    struct stat st;
    ssize_t n;
    if (s->repair_size >= 0) {
        if (fsx_sys.ftruncate(s->fd, s->repair_size) != 0) {
            msg_errno(err, errlen, "%s: cannot cut an incomplete row off the end of the file",
                      s->path);
            return -1;
        }
        s->repair_size = -1;
    }
    /* We hold the lock and append with O_APPEND, so the size now is exactly
     * where our row will start, and the size to return to if it fails. */
    if (fsx_sys.fstat(s->fd, &st) != 0) {
        msg_errno(err, errlen, "%s: cannot stat", s->path);
        return -1;
    }
    off_t before = st.st_size;
    do
        n = fsx_sys.write(s->fd, bytes, len);
    while (n < 0 && errno == EINTR);
    if (n == (ssize_t)len) {
        /* The acknowledgement point: after this fsync the row survives a
         * power cut, so only now may the caller tell the person "saved". */
        if (fsx_sys.fsync(s->fd) == 0)
            return 0;
        /* After a failed fsync Linux may mark the pages clean anyway
         * (PostgreSQL's "fsyncgate", 2018), so these bytes are of unknown
         * durability and a second fsync could lie. Cut them and rewrite them
         * later from our own copy. */
        msg_errno(err, errlen, "%s: could not flush a row to disk (fsync)", s->path);
    } else if (n < 0) {
        msg_errno(err, errlen, "%s: could not write a row", s->path);
    } else {
        util_format(
            err, errlen,
            "%s: only %zd of %zu bytes of a row could be written (disk full or file size limit)",
            s->path, n, len);
    }
    int e = errno;
    if (fsx_sys.ftruncate(s->fd, before) != 0)
        s->repair_size = before;
    else
        (void)fsx_sys.fsync(s->fd); /* tidy, not needed: recovery at open would cut it too */
    errno = e;
    return -1;
}

/* Writes the header to the (empty) file. The directory sync makes the
 * file's name durable: without it a power cut could lose a new file, and
 * every row later acknowledged in it. It also covers a rename just done in
 * the same directory by archive(). */
static int write_header(Store *s, char *err, size_t errlen)
{
    size_t len = csv_format_row(NULL, 0, (const char *const *)s->columns, s->ncolumns);
    char *row = malloc(len + 1);
    if (!row) {
        errno = ENOMEM;
        msg_errno(err, errlen, "%s: cannot write the header", s->path);
        return -1;
    }
    csv_format_row(row, len + 1, (const char *const *)s->columns, s->ncolumns);
    int rc = write_row(s, row, len, err, errlen);
    free(row);
    if (rc != 0)
        return -1;
    char *dir = fsx_dir_of(s->path);
    if (!dir || fsx_fsync_dir(dir) != 0) {
        if (!dir)
            errno = ENOMEM;
        msg_errno(err, errlen, "%s: cannot sync its directory", s->path);
        free(dir);
        return -1;
    }
    free(dir);
    return 0;
}

/* "<path minus .csv>-<YYYYmmdd-HHMMSS>[-N].csv", a name not yet taken.
 * We hold the lock on path, so no other kiosk archives it concurrently; the
 * lstat-then-rename window is only open to programs that ignore the lock.
 * (link()+unlink() would close it but fails on FAT USB sticks.) */
static char *archive_name(const char *path)
{
    char stamp[32];
    struct tm tm;
    time_t now = time(NULL);
    if (!localtime_r(&now, &tm) || strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm) == 0)
        snprintf(stamp, sizeof stamp, "%lld", (long long)now);
    size_t base = strlen(path);
    if (base >= 4 && strcmp(path + base - 4, ".csv") == 0)
        base -= 4;
    size_t cap = base + strlen(stamp) + 32;
    char *name = malloc(cap);
    if (!name)
        return NULL;
    for (int k = 1; k <= STORE_ARCHIVE_SUFFIX_MAX; k++) {
        struct stat st;
        if (k == 1)
            snprintf(name, cap, "%.*s-%s.csv", (int)base, path, stamp);
        else
            snprintf(name, cap, "%.*s-%s-%d.csv", (int)base, path, stamp, k);
        if (fsx_sys.lstat(name, &st) != 0 && errno == ENOENT)
            return name;
    }
    free(name);
    errno = EEXIST;
    return NULL;
}

/* Renames the file aside and opens a fresh one at path. We keep the lock on
 * the old file until the new one is locked, so no other kiosk can slip in
 * and append to the file we are moving. */
static int archive(Store *s, const char *why, char *note, size_t notelen, char *err, size_t errlen)
{
    struct stat st;
    int fd;
    char *name = archive_name(s->path);
    if (!name) {
        msg_errno(err, errlen, "%s: %s, but no free name to keep it under", s->path, why);
        return -1;
    }
    if (fsx_sys.rename(s->path, name) != 0) {
        msg_errno(err, errlen, "%s: %s, but renaming it to %s failed", s->path, why, name);
        free(name);
        return -1;
    }
    if (open_locked(s->path, &fd, &st, err, errlen) != 0) {
        free(name);
        return -1;
    }
    fsx_sys.close(s->fd);
    s->fd = fd;
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    s->repair_size = -1;
    util_append(note, notelen, "%s: %s; it was kept as %s and a new file was started.", s->path,
                why, name);
    free(name);
    return 0;
}

/* Appends a torn tail to "<path>.partial". It must be durable there before
 * we cut it from the main file: a power cut between the two then leaves the
 * bytes in both places, never in neither. */
static int save_tail(const Store *s, const char *tail, size_t len, char *err, size_t errlen)
{
    size_t plen = strlen(s->path);
    char *ppath = malloc(plen + sizeof ".partial");
    struct stat st;
    int fd = -1, rc = -1;
    if (!ppath) {
        errno = ENOMEM;
        msg_errno(err, errlen, "%s: cannot save an incomplete last row", s->path);
        return -1;
    }
    memcpy(ppath, s->path, plen);
    memcpy(ppath + plen, ".partial", sizeof ".partial");
    char why[1024];
    fd = fsx_open_owned(ppath, O_WRONLY | O_APPEND | O_CREAT, 0600, "sign-ups", why, sizeof why);
    if (fd < 0) {
        if (why[0])
            util_format(err, errlen, "%s", why);
        else
            msg_errno(err, errlen, "%s: cannot open to save an incomplete last row", ppath);
        goto out;
    }
    if (fsx_sys.fstat(fd, &st) == 0 && (st.st_mode & 077))
        (void)fsx_sys.fchmod(fd, 0600);
    /* Several writes are fine here: nothing parses .partial, and a retry
     * after a failure only duplicates bytes, which loses nothing. */
    for (size_t off = 0; off < len;) {
        ssize_t n = fsx_sys.write(fd, tail + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            msg_errno(err, errlen, "%s: cannot save an incomplete last row", ppath);
            goto out;
        }
        off += (size_t)n;
    }
    if (fsx_sys.fsync(fd) != 0) {
        msg_errno(err, errlen, "%s: cannot sync a saved incomplete last row", ppath);
        goto out;
    }
    char *dir = fsx_dir_of(s->path);
    if (!dir || fsx_fsync_dir(dir) != 0) { /* .partial may be new: make its name durable */
        if (!dir)
            errno = ENOMEM;
        msg_errno(err, errlen, "%s: cannot sync its directory", ppath);
        free(dir);
        goto out;
    }
    free(dir);
    rc = 0;
out:
    if (fd >= 0)
        fsx_sys.close(fd);
    free(ppath);
    return rc;
}

/* Compares the file's first row with the header this kiosk would write,
 * both parsed, so a spreadsheet re-saving the file with other quoting or
 * line ends does not count as "other columns". */
static int header_matches(const Store *s, const char *buf, size_t len)
{
    int maxf = s->ncolumns + 1 > 4096 ? 4096 : (int)s->ncolumns + 1;
    size_t hlen = csv_format_row(NULL, 0, (const char *const *)s->columns, s->ncolumns);
    char *want = malloc(hlen + 1);
    char **a = calloc((size_t)maxf, sizeof *a), **b = calloc((size_t)maxf, sizeof *b);
    int na = -1, nb = -1, same = 0;
    if (!want || !a || !b)
        goto out;
    csv_format_row(want, hlen + 1, (const char *const *)s->columns, s->ncolumns);
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) { /* BOM from a spreadsheet */
        buf += 3;
        len -= 3;
    }
    na = csv_parse_row(want, hlen, NULL, a, maxf);
    nb = csv_parse_row(buf, len, NULL, b, maxf);
    same = na >= 0 && na == nb;
    for (int i = 0; same && i < na; i++)
        same = strcmp(a[i], b[i]) == 0;
out:
    for (int i = 0; a && i < na; i++)
        free(a[i]);
    for (int i = 0; b && i < nb; i++)
        free(b[i]);
    free(a);
    free(b);
    free(want);
    return same;
}

/* Brings the locked file at s->fd into a state where rows can be appended:
 * recovered, with our header, and counts its rows. */
static int prepare(Store *s, char *note, size_t notelen, char *err, size_t errlen)
{
    for (;;) {
        struct stat st;
        size_t size, got, complete, rows;
        char *buf;
        if (fsx_sys.fstat(s->fd, &st) != 0) {
            msg_errno(err, errlen, "%s: cannot stat", s->path);
            return -1;
        }
        if (st.st_size == 0) {
            s->rows = 0;
            return write_header(s, err, errlen);
        }
        if ((uintmax_t)st.st_size > STORE_READ_MAX_BYTES) {
            if (archive(s, "is larger than the 64 MiB read at start", note, notelen, err, errlen) !=
                0)
                return -1;
            continue;
        }
        size = (size_t)st.st_size;
        buf = fsx_pread_all(s->fd, size, &got);
        if (!buf) {
            msg_errno(err, errlen, "%s: cannot read", s->path);
            return -1;
        }
        complete = csv_scan_rows(buf, got, &rows);
        if (complete < got) {
            if (save_tail(s, buf + complete, got - complete, err, errlen) != 0)
                goto fail;
            /* fsync so the file we describe in the note is the file on disk;
             * safety does not hinge on it (the next row's fsync carries the
             * new size), but a report that is not yet true is a poor report. */
            if (fsx_sys.ftruncate(s->fd, (off_t)complete) != 0 || fsx_sys.fsync(s->fd) != 0) {
                msg_errno(err, errlen,
                          "%s: saved its incomplete last row to %s.partial but "
                          "cannot cut it from the file",
                          s->path, s->path);
                goto fail;
            }
            util_append(note, notelen,
                        "%s: the last row was incomplete (power cut while writing?); its %zu "
                        "bytes were moved to %s.partial.",
                        s->path, got - complete, s->path);
        }
        if (complete == 0) {
            util_wipe(buf, got);
            free(buf);
            continue; /* now empty: start with the header */
        }
        if (!header_matches(s, buf, complete)) {
            util_wipe(buf, got);
            free(buf);
            if (archive(s, "has other columns than this kiosk's form", note, notelen, err,
                        errlen) != 0)
                return -1;
            continue;
        }
        util_wipe(buf, got);
        free(buf);
        s->rows = rows - 1;
        return 0;
    fail:
        util_wipe(buf, got);
        free(buf);
        return -1;
    }
}

/* ---- the .pending file ------------------------------------------------- */

/* Ids (first fields) seen: the main file's, sorted for bsearch, then the
 * few added while draining, searched in turn. */
typedef struct {
    char **v;
    size_t n, cap, sorted;
} Ids;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ids_add(Ids *ids, char *id)
{
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 256;
        char **v = realloc(ids->v, cap * sizeof *v);
        if (!v)
            return -1;
        ids->v = v;
        ids->cap = cap;
    }
    ids->v[ids->n++] = id;
    return 0;
}

static bool ids_has(const Ids *ids, const char *id)
{
    if (ids->sorted && bsearch(&id, ids->v, ids->sorted, sizeof *ids->v, cmp_str))
        return true;
    for (size_t i = ids->sorted; i < ids->n; i++)
        if (strcmp(ids->v[i], id) == 0)
            return true;
    return false;
}

static void ids_free(Ids *ids)
{
    for (size_t i = 0; i < ids->n; i++)
        free(ids->v[i]);
    free(ids->v);
}

/* The first field of the row at buf (a copy the caller frees) and its
 * width and length; NULL when it does not parse or out of memory. */
static char *row_id(const char *buf, size_t len, size_t *used, int *width)
{
    char *f[STORE_COUNT_FIELDS_MAX];
    int n = csv_parse_row(buf, len, used, f, STORE_COUNT_FIELDS_MAX);
    char *id = NULL;
    if (n <= 0)
        return NULL;
    id = f[0];
    for (int i = 1; i < n; i++) {
        util_wipe(f[i], strlen(f[i]));
        free(f[i]);
    }
    *width = n;
    return id;
}

/* The ids of the data rows of the locked main file. */
static int main_ids(const Store *s, Ids *ids, char *err, size_t errlen)
{
    struct stat st;
    size_t got = 0, used = 0;
    char *buf = NULL;
    int rc = -1;
    if (fsx_sys.fstat(s->fd, &st) != 0) {
        msg_errno(err, errlen, "%s: cannot stat", s->path);
        return -1;
    }
    if ((uintmax_t)st.st_size > STORE_READ_MAX_BYTES)
        errno = EFBIG;
    else
        buf = fsx_pread_all(s->fd, (size_t)st.st_size, &got);
    if (!buf) {
        msg_errno(err, errlen, "%s: cannot read", s->path);
        return -1;
    }
    for (size_t at = 0; at < got; at += used) {
        int width;
        char *id = row_id(buf + at, got - at, &used, &width);
        if (!id)
            break; /* prepare() left complete rows; a row mangled by hand ends the search */
        if (at == 0 || ids_add(ids, id) != 0)
            free(id);
    }
    if (ids->n > 1)
        qsort(ids->v, ids->n, sizeof *ids->v, cmp_str);
    ids->sorted = ids->n;
    rc = 0;
    util_wipe(buf, got);
    free(buf);
    return rc;
}

/* Opens and locks "<path>.pending" (creating it with create) and reads its
 * complete rows into *buf. A torn tail (a crash while appending to it) is
 * saved to "<path>.partial" and cut off, as for the main file, so the next
 * append starts on a clean line. Returns the fd, or -1 with err (ENOENT
 * without create: there is none). */
static int pending_open(Store *s, bool create, char **buf, size_t *len, char *err, size_t errlen)
{
    char why[1024];
    struct stat st, pst;
    size_t got = 0;
    *buf = NULL;
    *len = 0;
    int fd = fsx_open_owned(s->pending_path, O_RDWR | O_APPEND | (create ? O_CREAT : 0), 0600,
                            "sign-ups", why, sizeof why);
    if (fd < 0) {
        if (why[0])
            util_format(err, errlen, "%s", why);
        else
            msg_errno(err, errlen, "%s: cannot open", s->pending_path);
        return -1;
    }
    /* Locked so that a second kiosk refused the main file does not append
     * while this one drains; checked afterwards to still be the file at the
     * name, or rows would go to one a drain just removed. */
    if (fsx_sys.flock(fd, LOCK_EX | LOCK_NB) != 0 || fsx_sys.fstat(fd, &st) != 0 ||
        fsx_sys.lstat(s->pending_path, &pst) != 0 || st.st_ino != pst.st_ino ||
        st.st_dev != pst.st_dev) {
        if (errno == ENOENT)
            errno = EAGAIN;
        msg_errno(err, errlen, "%s: cannot lock", s->pending_path);
        goto fail;
    }
    if ((uintmax_t)st.st_size > STORE_READ_MAX_BYTES) {
        errno = EFBIG;
        msg_errno(err, errlen, "%s: cannot read", s->pending_path);
        goto fail;
    }
    *buf = fsx_pread_all(fd, (size_t)st.st_size, &got);
    if (!*buf) {
        msg_errno(err, errlen, "%s: cannot read", s->pending_path);
        goto fail;
    }
    *len = csv_scan_complete(*buf, got);
    if (*len < got) {
        if (save_tail(s, *buf + *len, got - *len, err, errlen) != 0)
            goto fail;
        if (fsx_sys.ftruncate(fd, (off_t)*len) != 0 || fsx_sys.fsync(fd) != 0) {
            msg_errno(err, errlen, "%s: cannot cut an incomplete row off its end", s->pending_path);
            goto fail;
        }
    }
    return fd;
fail : {
    int e = errno;
    if (*buf)
        util_wipe(*buf, got);
    free(*buf);
    *buf = NULL;
    fsx_sys.close(fd);
    errno = e;
    return -1;
}
}

/* Moves a .pending file written under other columns (the deck changed
 * before its rows could be added) aside under an archive name, as a main
 * file with other columns is: it is a sign-up file of its own. */
static int pending_set_aside(Store *s, char *note, size_t notelen, char *err, size_t errlen)
{
    char *name = archive_name(s->path), *dir = fsx_dir_of(s->path);
    int rc = -1;
    if (!name || !dir || fsx_sys.rename(s->pending_path, name) != 0 || fsx_fsync_dir(dir) != 0)
        msg_errno(err, errlen,
                  "%s: has other columns than this kiosk's form but cannot be kept aside",
                  s->pending_path);
    else {
        util_append(note, notelen,
                    "%s: has other columns than this kiosk's form; it was kept as %s.",
                    s->pending_path, name);
        rc = 0;
    }
    free(name);
    free(dir);
    return rc;
}

/* Appends the queued rows not yet in "<path>.pending" to it, in queue
 * order, with one write(), then fsync(), and a directory fsync when the
 * file is new: only then are they marked durable. A failure cuts the file
 * back (tidy: the rows stay queued, and a row there twice is added once). */
static int pending_save(Store *s, char *err, size_t errlen)
{
    size_t first = 0, len = 0, hlen = 0, pos = 0, old = 0;
    char *buf = NULL, *old_text = NULL, *dir = NULL;
    int rc = -1, fd;
    while (first < s->nqueue && s->queue[first].durable)
        first++;
    if (first == s->nqueue)
        return 0;
    char note[STORE_NOTE_BYTES] = "";
    fd = pending_open(s, true, &old_text, &old, err, errlen);
    if (fd < 0)
        return -1;
    if (old > 0 && !header_matches(s, old_text, old)) {
        fsx_sys.close(fd);
        fd = -1;
        if (pending_set_aside(s, note, sizeof note, err, errlen) != 0 ||
            (fd = pending_open(s, true, &old_text, &old, err, errlen)) < 0)
            goto out;
    }
    if (old == 0)
        hlen = csv_format_row(NULL, 0, (const char *const *)s->columns, s->ncolumns);
    len = hlen;
    for (size_t i = first; i < s->nqueue; i++)
        len += s->queue[i].len;
    buf = malloc(len + 1);
    dir = fsx_dir_of(s->path);
    if (!buf || !dir) {
        errno = ENOMEM;
        msg_errno(err, errlen, "%s: cannot write", s->pending_path);
        goto out;
    }
    if (hlen)
        pos = csv_format_row(buf, hlen + 1, (const char *const *)s->columns, s->ncolumns);
    for (size_t i = first; i < s->nqueue; i++) {
        memcpy(buf + pos, s->queue[i].bytes, s->queue[i].len);
        pos += s->queue[i].len;
    }
    if (fsx_write_all(fd, buf, len) != 0 || fsx_sys.fsync(fd) != 0) {
        msg_errno(err, errlen, "%s: cannot write", s->pending_path);
        int e = errno;
        (void)fsx_sys.ftruncate(fd, (off_t)old);
        errno = e;
        goto out;
    }
    /* A new file's name lives in the folder: not durable until it is. */
    if (old == 0 && fsx_fsync_dir(dir) != 0) {
        msg_errno(err, errlen, "%s: cannot sync its folder", s->pending_path);
        goto out;
    }
    for (size_t i = first; i < s->nqueue; i++)
        s->queue[i].durable = true;
    rc = 0;
out:
    if (buf)
        util_wipe(buf, len);
    free(buf);
    if (old_text)
        util_wipe(old_text, old);
    free(old_text);
    free(dir);
    if (fd >= 0)
        fsx_sys.close(fd);
    return rc;
}

typedef struct {
    size_t added, skipped, bad;
} DrainCount;

/* Copies the rows of buf whose id is not in ids to out (adding their ids).
 * A row that does not parse or has another width is not a row of this
 * form: it goes to .partial, never dropped. */
static int drain_rows(Store *s, const char *buf, size_t len, Ids *ids, char *out, size_t *olen,
                      DrainCount *c, char *err, size_t errlen)
{
    for (size_t at = 0, used = 0; at < len; at += used) {
        int width = 0;
        char *id = row_id(buf + at, len - at, &used, &width);
        if (!id || width != (int)s->ncolumns) {
            if (!id)
                used = len - at;
            free(id);
            if (save_tail(s, buf + at, used, err, errlen) != 0)
                return -1;
            c->bad++;
            continue;
        }
        if (id[0] && ids_has(ids, id)) {
            c->skipped++;
            free(id);
            continue;
        }
        memcpy(out + *olen, buf + at, used);
        *olen += used;
        c->added++;
        if (!id[0] || ids_add(ids, id) != 0)
            free(id); /* an empty id is never skipped; out of memory only risks a duplicate */
    }
    return 0;
}

/* Adds to the main file (open and locked) the rows of "<path>.pending" and
 * then the queued ones, in that order, each only if its id is not in the
 * main file yet; one write(), one fsync(); then removes .pending and syncs
 * the folder. Crash windows: while .pending is being appended to, its torn
 * tail goes to .partial at the next open (those rows were not yet marked
 * durable and were still in memory); after the main file's fsync but before
 * the removal, or after the removal but before the folder's fsync, the rows
 * are in both files and the next drain skips them by id: exactly once. A
 * crash mid-write of the main file leaves a torn tail there, which
 * prepare() moves to .partial, and the rows still in .pending. On success
 * the queue is empty. */
static int pending_drain(Store *s, char *note, size_t notelen, char *err, size_t errlen)
{
    Ids ids = {0};
    char *text = NULL, *out = NULL, *dir = NULL;
    size_t tlen = 0, olen = 0, used = 0;
    int rc = -1, fd = pending_open(s, false, &text, &tlen, err, errlen);
    if (fd < 0 && errno != ENOENT)
        return -1;
    if (fd < 0 && s->nqueue == 0) {
        /* The common case at open: nothing waits anywhere. */
        util_format(err, errlen, "%s", "");
        s->drain_needed = false;
        return 0;
    }
    if (text && tlen > 0 && !header_matches(s, text, tlen)) {
        rc = pending_set_aside(s, note, notelen, err, errlen);
        fsx_sys.close(fd);
        util_wipe(text, tlen);
        free(text);
        if (rc != 0)
            return -1;
        fd = -1;
        text = NULL;
        tlen = 0;
        rc = -1;
    }
    size_t qlen = 0;
    for (size_t i = 0; i < s->nqueue; i++)
        qlen += s->queue[i].len;
    out = malloc(tlen + qlen + 1);
    dir = fsx_dir_of(s->path);
    if (!out || !dir) {
        errno = ENOMEM;
        msg_errno(err, errlen, "%s: cannot add the rows of %s", s->path, s->pending_path);
        goto out;
    }
    if (main_ids(s, &ids, err, errlen) != 0)
        goto out;
    /* .pending's rows (after its header), then the queue's. */
    DrainCount c = {0};
    if (tlen > 0) {
        int width = 0;
        free(row_id(text, tlen, &used, &width)); /* the header: header_matches() said it parses */
        if (drain_rows(s, text + used, tlen - used, &ids, out, &olen, &c, err, errlen) != 0)
            goto out;
    }
    for (size_t q = 0; q < s->nqueue; q++)
        if (drain_rows(s, s->queue[q].bytes, s->queue[q].len, &ids, out, &olen, &c, err, errlen) !=
            0)
            goto out;
    if (olen > 0 && write_row(s, out, olen, err, errlen) != 0)
        goto out;
    s->rows += c.added;
    for (size_t i = 0; i < s->nqueue; i++) {
        util_wipe(s->queue[i].bytes, s->queue[i].len);
        free(s->queue[i].bytes);
    }
    s->nqueue = 0;
    if (fd >= 0) {
        if (fsx_sys.unlink(s->pending_path) != 0 || fsx_fsync_dir(dir) != 0) {
            /* Its rows are in the main file now; a drain that finds it
             * again skips them by id. */
            msg_errno(err, errlen, "%s: its rows were added to %s but it cannot be removed",
                      s->pending_path, s->path);
            goto out;
        }
        util_append(note, notelen,
                    "%s: %zu sign-up(s) the disk had refused earlier were added from %s (%zu "
                    "already there%s).",
                    s->path, c.added, s->pending_path, c.skipped,
                    c.bad ? "; rows of another form went to .partial" : "");
    }
    s->drain_needed = false;
    rc = 0;
out:
    ids_free(&ids);
    if (out)
        util_wipe(out, olen);
    free(out);
    if (text)
        util_wipe(text, tlen);
    free(text);
    free(dir);
    if (fd >= 0)
        fsx_sys.close(fd);
    return rc;
}

/* After the disk refused rows: keep those not yet durable in .pending, and
 * say where the queue is. */
static void keep_queue(Store *s, char *err, size_t errlen)
{
    char why[512] = "";
    if (s->nqueue == 0)
        return;
    int saved = pending_save(s, why, sizeof why) == 0;
    if (saved)
        util_append(err, errlen, "(%zu row(s) kept in memory and in %s, will retry)", s->nqueue,
                    s->pending_path);
    else
        util_append(err, errlen, "(%zu row(s) kept in memory, will retry; not in %s: %s)",
                    s->nqueue, s->pending_path, why);
}

static void store_free(Store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nqueue; i++) {
        util_wipe(s->queue[i].bytes, s->queue[i].len);
        free(s->queue[i].bytes);
    }
    free(s->queue);
    if (s->fd >= 0)
        fsx_sys.close(s->fd); /* releases the flock */
    for (size_t i = 0; s->columns && i < s->ncolumns; i++)
        free(s->columns[i]);
    free(s->columns);
    free(s->path);
    free(s->pending_path);
    free(s);
}

/* A Store for path with no file open yet (fd -1); NULL when out of memory
 * or the arguments are unusable (err says which). */
static Store *store_new(const char *path, const char *const *columns, size_t ncolumns, char *err,
                        size_t errlen)
{
    if (!path || !*path || !columns || ncolumns == 0) {
        errno = EINVAL;
        msg_errno(err, errlen, "%s: a sign-up file needs a path and at least one column",
                  path ? path : "(null)");
        return NULL;
    }
    Store *s = calloc(1, sizeof *s);
    if (!s)
        goto nomem;
    s->fd = -1;
    s->repair_size = -1;
    s->path = strdup(path);
    s->pending_path = malloc(strlen(path) + sizeof ".pending");
    s->columns = calloc(ncolumns, sizeof *s->columns);
    if (!s->path || !s->pending_path || !s->columns)
        goto nomem;
    snprintf(s->pending_path, strlen(path) + sizeof ".pending", "%s.pending", path);
    s->ncolumns = ncolumns;
    for (size_t i = 0; i < ncolumns; i++) {
        s->columns[i] = strdup(columns[i] ? columns[i] : "");
        if (!s->columns[i])
            goto nomem;
    }
    return s;
nomem:
    store_free(s);
    errno = ENOMEM;
    msg_errno(err, errlen, "%s: cannot open", path);
    return NULL;
}

/* Opens, locks and prepares the file for a Store that has none open. */
static int open_file(Store *s, char *note, size_t notelen, char *err, size_t errlen)
{
    struct stat st;
    if (make_parents(s->path, err, errlen) != 0 ||
        open_locked(s->path, &s->fd, &st, err, errlen) != 0)
        return -1;
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    s->repair_size = -1;
    tighten_mode(s->fd, &st, s->path, note, notelen);
    s->drain_needed = true;
    if (prepare(s, note, notelen, err, errlen) != 0) {
        int e = errno;
        fsx_sys.close(s->fd);
        s->fd = -1;
        s->rows = 0;
        errno = e;
        return -1;
    }
    return 0;
}

int store_create(Store **out, const char *path, const char *const *columns, size_t ncolumns,
                 char *note, size_t notelen, char *err, size_t errlen)
{
    util_format(note, notelen, "%s", "");
    util_format(err, errlen, "%s", "");
    if (!out) {
        errno = EINVAL;
        return -1;
    }
    *out = store_new(path, columns, ncolumns, err, errlen);
    if (!*out)
        return -1;
    if (open_file(*out, note, notelen, err, errlen) != 0)
        return 1;
    /* Rows a previous run could only keep in .pending go in now. If they
     * cannot, they stay there (durable) for the next open or flush. */
    char why[512] = "";
    if (pending_drain(*out, note, notelen, why, sizeof why) != 0)
        util_append(note, notelen, "%s (its rows will be added later).", why);
    return 0;
}

int store_open(Store **out, const char *path, const char *const *columns, size_t ncolumns,
               char *note, size_t notelen, char *err, size_t errlen)
{
    int rc = store_create(out, path, columns, ncolumns, note, notelen, err, errlen);
    if (rc != 1)
        return rc;
    int e = errno;
    store_free(*out);
    *out = NULL;
    errno = e ? e : EIO;
    return -1;
}

bool store_is_open(const Store *s)
{
    return s && s->fd >= 0;
}

/* True when path no longer names the file we have open: moved away by a
 * person, or replaced by a program that saves by writing a new file and
 * renaming it over (most spreadsheets). Rows written to our fd would then go
 * to an archive or, worse, an unlinked file that vanishes when we close it. */
static int file_was_replaced(const Store *s)
{
    struct stat st;
    if (fsx_sys.lstat(s->path, &st) != 0)
        return errno == ENOENT;
    return st.st_dev != s->dev || st.st_ino != s->ino;
}

static int reopen(Store *s, char *err, size_t errlen)
{
    char note[STORE_NOTE_BYTES] = "";
    struct stat st;
    int oldfd = s->fd, fd;
    dev_t olddev = s->dev;
    ino_t oldino = s->ino;
    size_t oldrows = s->rows;
    if (make_parents(s->path, err, errlen) != 0 || open_locked(s->path, &fd, &st, err, errlen) != 0)
        return -1;
    s->fd = fd;
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    s->repair_size = -1;
    tighten_mode(fd, &st, s->path, note, sizeof note);
    s->drain_needed = true;
    if (prepare(s, note, sizeof note, err, errlen) != 0) {
        fsx_sys.close(s->fd);
        s->fd = oldfd;
        s->dev = olddev;
        s->ino = oldino;
        s->rows = oldrows;
        return -1;
    }
    fsx_sys.close(oldfd);
    util_format(err, errlen,
                "%s: the file was moved or replaced by another program; reopened it.%s%s", s->path,
                note[0] ? " " : "", note);
    return 0;
}

size_t store_flush(Store *s, char *err, size_t errlen)
{
    size_t done = 0;
    char note[STORE_NOTE_BYTES] = "";
    util_format(err, errlen, "%s", "");
    if (!s || (s->nqueue == 0 && !s->drain_needed))
        return 0;
    if (s->fd < 0) {
        if (open_file(s, note, sizeof note, err, errlen) != 0) {
            keep_queue(s, err, errlen);
            return s->nqueue;
        }
        util_format(err, errlen, "%s", note);
        note[0] = '\0';
    } else if (file_was_replaced(s) && reopen(s, err, errlen) != 0) {
        keep_queue(s, err, errlen);
        return s->nqueue;
    }
    /* After an open, or when rows are in .pending: the drain adds both
     * .pending's rows and the queue's, each once. */
    if (s->drain_needed || (s->nqueue > 0 && s->queue[0].durable)) {
        char why[512] = "";
        if (pending_drain(s, note, sizeof note, why, sizeof why) != 0) {
            util_append(err, errlen, "%s", why);
            keep_queue(s, err, errlen);
            return s->nqueue;
        }
        if (note[0])
            util_append(err, errlen, "%s", note);
        return 0;
    }
    while (done < s->nqueue) {
        Pending *p = &s->queue[done];
        if (write_row(s, p->bytes, p->len, err, errlen) != 0)
            break;
        util_wipe(p->bytes, p->len);
        free(p->bytes);
        s->rows++;
        done++;
    }
    memmove(s->queue, s->queue + done, (s->nqueue - done) * sizeof *s->queue);
    s->nqueue -= done;
    keep_queue(s, err, errlen);
    return s->nqueue;
}

int store_append(Store *s, const char *const *values, size_t nvalues, char *err, size_t errlen)
{
    util_format(err, errlen, "%s", "");
    if (!s)
        return -1;
    if (nvalues != s->ncolumns) {
        util_format(err, errlen,
                    "%s: a sign-up has %zu values but the file has %zu columns; not saved", s->path,
                    nvalues, s->ncolumns);
        return -1;
    }
    if (s->nqueue >= STORE_PENDING_MAX) {
        util_format(err, errlen, "%s: %d sign-ups are already waiting for the disk; not saved",
                    s->path, STORE_PENDING_MAX);
        return -1;
    }
    if (s->nqueue == s->capqueue) {
        size_t cap = s->capqueue ? s->capqueue * 2 : 4;
        Pending *q = realloc(s->queue, cap * sizeof *q);
        if (!q)
            goto nomem;
        s->queue = q;
        s->capqueue = cap;
    }
    size_t len = csv_format_row(NULL, 0, values, nvalues);
    char *row = malloc(len + 1);
    if (!row)
        goto nomem;
    csv_format_row(row, len + 1, values, nvalues);
    s->queue[s->nqueue].bytes = row;
    s->queue[s->nqueue].len = len;
    s->queue[s->nqueue].durable = false;
    s->nqueue++;
    return store_flush(s, err, errlen) == 0 ? 0 : 1;
nomem:
    util_format(err, errlen, "%s: out of memory; sign-up not saved", s->path);
    return -1;
}

int store_count_rows(const Store *s, size_t column, const char *prefix, size_t *out, char *err,
                     size_t errlen)
{
    struct stat st;
    int rc = -1;
    char *buf = NULL;
    size_t got = 0, at, used, n = 0, plen = strlen(prefix);
    util_format(err, errlen, "%s", "");
    *out = 0;
    if (!s || s->fd < 0)
        return 0;
    if (fsx_sys.fstat(s->fd, &st) != 0) {
        msg_errno(err, errlen, "%s: cannot stat", s->path);
        return -1;
    }
    if ((uintmax_t)st.st_size > STORE_READ_MAX_BYTES) {
        errno = EFBIG;
        msg_errno(err, errlen, "%s: cannot count its rows", s->path);
        return -1;
    }
    buf = fsx_pread_all(s->fd, (size_t)st.st_size, &got);
    if (!buf) {
        msg_errno(err, errlen, "%s: cannot read", s->path);
        return -1;
    }
    /* The header is a row like any other: skip it. */
    for (at = 0, used = 0; at < got; at += used) {
        char *fields[STORE_COUNT_FIELDS_MAX];
        int nf = csv_parse_row(buf + at, got - at, &used, fields, STORE_COUNT_FIELDS_MAX);
        if (nf < 0)
            break; /* a torn tail, or a row a person mangled: count what came before */
        if (at > 0 && (size_t)nf > column && strncmp(fields[column], prefix, plen) == 0)
            n++;
        for (int i = 0; i < nf; i++) {
            util_wipe(fields[i], strlen(fields[i]));
            free(fields[i]);
        }
    }
    *out = n;
    rc = 0;
    util_wipe(buf, got);
    free(buf);
    return rc;
}

size_t store_pending(const Store *s)
{
    return s ? s->nqueue : 0;
}

size_t store_pending_durable(const Store *s)
{
    size_t n = 0;
    while (s && n < s->nqueue && s->queue[n].durable)
        n++;
    return n;
}

const char *store_pending_path(const Store *s)
{
    return s ? s->pending_path : "";
}

size_t store_row_count(const Store *s)
{
    return s ? s->rows : 0;
}

void store_close(Store *s)
{
    if (!s)
        return;
    if (s->nqueue > 0)
        (void)store_flush(s, NULL, 0);
    store_free(s);
}
