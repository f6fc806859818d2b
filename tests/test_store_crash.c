/* The sign-up store under failing system calls and power cuts, through
 * fsx's seam (fsx_sys), in the spirit of SQLite's crash tests and ALICE
 * (Pillai et al., OSDI 2014).
 *
 * One small scenario (open a new file, append, close; a torn row left by a
 * crashed writer; reopen with torn-tail recovery, append; reopen with other
 * columns so the file is archived; a row the disk refuses, kept in .pending;
 * a row that drains it) runs with every file-system call recorded. Then:
 *
 * 1. Failure injection: the scenario runs again once per call and fault
 *    (EIO, ENOSPC, EINTR, and a short write for write()), that one call
 *    failing. Each failure must be reported (its strerror or "only N of"
 *    reaches an error or a note) or change nothing (EINTR retried, a tidy
 *    step), and after a clean reopen every row the store took (0, or 1:
 *    queued) is in the files exactly once.
 *
 * 2. Power cuts: from the recording, every on-disk state a power cut could
 *    leave after each call is built in memory and written to a directory:
 *    writes since the file's last fsync dropped, kept, torn in the middle or
 *    left as zeros (the size reached the disk, the data did not), alone or
 *    as an ordered prefix; creations, renames and unlinks not yet covered
 *    by an fsync of the folder undone. store_open() on each must succeed and
 *    leave every promised row (store_append() returned 0, or 1 with every
 *    queued row durable in .pending) exactly once, no torn row in a CSV
 *    (csv_scan_complete() == length, every row the header's width and
 *    exactly the bytes written), and no .pending left behind.
 *
 * Real fsync() is skipped throughout (the model decides what is durable),
 * so the test runs at memory speed. */
#include "csv.h"
#include "fsx.h"
#include "store.h"

#include "check.h"
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_OPS 512
#define MAX_NAMES 32
#define MAX_INODES 128
#define MAX_FDS 1024
#define MAX_ROWS 8
/* Distinct crash states remembered for deduplication. */
#define MAX_SEEN 65536

static char root[128];

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the scenario's rows ----------------------------------------------- */

static const char *const COLS1[] = {"id", "name", "phone"};
static const char *const COLS2[] = {"id", "name", "email"};
static const char *const ROWS[MAX_ROWS][3] = {
    {"r1", "Zoë \"Z\", Jr.\r\nsecond line", "+33 6 12 34 56 78"},
    {"r2", "Bob", "x"},
    {"r3", "Cy", "=1+1"},
    {"r4", "Di", "di@example.org"},
    {"r5", "Ed, refused", "ed@example.org"},
    {"r6", "Flo", "flo@example.org"},
};
#define NROWS 6

/* ---- the recording fake ------------------------------------------------ */

typedef enum { OP_CREAT, OP_WRITE, OP_TRUNC, OP_FSYNC, OP_RENAME, OP_UNLINK, OP_MARK } OpKind;

typedef struct {
    OpKind kind;
    int ino;                  /* the file (0: the folder) */
    char name[96], name2[96]; /* CREAT, UNLINK: name; RENAME: name -> name2 */
    size_t off, len;          /* WRITE, TRUNC (len) */
    char *data;               /* WRITE */
    int mark;                 /* MARK: row promised (>= 0) or -(columns set) - 1 */
} Op;

typedef struct {
    char name[96];
    int ino;
} Name;

typedef struct {
    char *data;
    size_t len;
} Inode;

/* Files as the recording sees them (the live model), or as a crash state
 * rebuilds them. */
typedef struct {
    Name names[MAX_NAMES];
    int nnames;
    Inode inodes[MAX_INODES];
    int ninodes;
} Model;

static struct {
    char dir[160];
    size_t dirlen;
    bool record;
    Op ops[MAX_OPS];
    int nops;
    Model live;
    struct {
        bool used, append;
        int ino;
        size_t pos;
    } fds[MAX_FDS];
    /* failure injection */
    long calls, fail_at;
    int fail_kind; /* FAULT_* */
    bool fired, external, refuse_main_write;
    const char *fired_what;
} R;

enum { FAULT_NONE, FAULT_EIO, FAULT_ENOSPC, FAULT_EINTR, FAULT_SHORT };
static const char *const FAULT_NAME[] = {"none", "EIO", "ENOSPC", "EINTR", "short write"};

static int name_find(const Model *m, const char *name)
{
    for (int i = 0; i < m->nnames; i++)
        if (strcmp(m->names[i].name, name) == 0)
            return i;
    return -1;
}

static void name_set(Model *m, const char *name, int ino)
{
    int i = name_find(m, name);
    if (i < 0 && m->nnames < MAX_NAMES)
        i = m->nnames++;
    if (i >= 0) {
        snprintf(m->names[i].name, sizeof m->names[i].name, "%s", name);
        m->names[i].ino = ino;
    }
}

static void name_del(Model *m, const char *name)
{
    int i = name_find(m, name);
    if (i >= 0)
        m->names[i] = m->names[--m->nnames];
}

static void inode_write(Model *m, int ino, size_t off, const char *data, size_t len)
{
    Inode *f = &m->inodes[ino];
    if (off + len > f->len) {
        f->data = realloc(f->data, off + len + 1);
        if (!f->data)
            abort();
        memset(f->data + f->len, 0, off + len - f->len);
        f->len = off + len;
    }
    memcpy(f->data + off, data, len);
}

static void inode_trunc(Model *m, int ino, size_t len)
{
    Inode *f = &m->inodes[ino];
    if (len > f->len) {
        f->data = realloc(f->data, len + 1);
        if (!f->data)
            abort();
        memset(f->data + f->len, 0, len - f->len);
    }
    f->len = len;
}

static void model_free(Model *m)
{
    for (int i = 0; i < m->ninodes; i++)
        free(m->inodes[i].data);
    memset(m, 0, sizeof *m);
}

/* path relative to the scenario's folder ("" for the folder), or NULL. */
static const char *rel(const char *path)
{
    if (strncmp(path, R.dir, R.dirlen) != 0)
        return NULL;
    if (path[R.dirlen] == '\0')
        return "";
    return path[R.dirlen] == '/' ? path + R.dirlen + 1 : NULL;
}

static Op *op_add(OpKind kind, int ino)
{
    if (!R.record || R.nops == MAX_OPS)
        return NULL;
    Op *o = &R.ops[R.nops++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->ino = ino;
    return o;
}

static void mark(int m)
{
    Op *o = op_add(OP_MARK, 0);
    if (o)
        o->mark = m;
}

/* The injection point every fake passes first: the fault to act out for
 * this call, or FAULT_NONE. */
static int inject_named(const char *what)
{
    if (R.external)
        return FAULT_NONE;
    if (R.calls++ != R.fail_at)
        return FAULT_NONE;
    R.fired = true;
    R.fired_what = what;
    return R.fail_kind;
}

#define inject() inject_named(__func__ + 5) /* "fake_write" -> "write" */

static int fault_errno(int f)
{
    return f == FAULT_EIO ? EIO : f == FAULT_ENOSPC ? ENOSPC : EINTR;
}

#define FAIL_IF_INJECTED(ret)                                                                      \
    do {                                                                                           \
        int f_ = inject();                                                                         \
        if (f_ != FAULT_NONE && f_ != FAULT_SHORT) {                                               \
            errno = fault_errno(f_);                                                               \
            return ret;                                                                            \
        }                                                                                          \
    } while (0)

static int fake_open(const char *path, int flags, mode_t mode)
{
    FAIL_IF_INJECTED(-1);
    const char *r = rel(path);
    bool existed = r && (r[0] == '\0' || name_find(&R.live, r) >= 0);
    int fd = fsx_sys_real.open(path, flags, mode);
    if (fd < 0 || !r || fd >= MAX_FDS)
        return fd;
    int ino = r[0] == '\0' ? 0 : existed ? R.live.names[name_find(&R.live, r)].ino : -1;
    if (!existed && R.live.ninodes < MAX_INODES) {
        ino = R.live.ninodes++;
        name_set(&R.live, r, ino);
        Op *o = op_add(OP_CREAT, ino);
        if (o)
            snprintf(o->name, sizeof o->name, "%s", r);
    }
    if (ino > 0 && (flags & O_TRUNC)) {
        inode_trunc(&R.live, ino, 0);
        Op *o = op_add(OP_TRUNC, ino);
        if (o)
            o->len = 0;
    }
    R.fds[fd].used = true;
    R.fds[fd].append = (flags & O_APPEND) != 0;
    R.fds[fd].ino = ino;
    R.fds[fd].pos = 0;
    return fd;
}

static ssize_t fake_write(int fd, const void *buf, size_t len)
{
    int f = inject();
    if (f != FAULT_NONE && f != FAULT_SHORT) {
        errno = fault_errno(f);
        return -1;
    }
    bool known = fd >= 0 && fd < MAX_FDS && R.fds[fd].used;
    if (known && R.refuse_main_write && name_find(&R.live, "s.csv") >= 0 &&
        R.fds[fd].ino == R.live.names[name_find(&R.live, "s.csv")].ino) {
        R.refuse_main_write = false;
        errno = EFBIG; /* not a fault under test: its own errno, so the tally can tell */
        return -1;
    }
    if (f == FAULT_SHORT && len > 1)
        len /= 2;
    ssize_t n = fsx_sys_real.write(fd, buf, len);
    if (n > 0 && known) {
        int ino = R.fds[fd].ino;
        size_t off = R.fds[fd].append ? R.live.inodes[ino].len : R.fds[fd].pos;
        inode_write(&R.live, ino, off, buf, (size_t)n);
        R.fds[fd].pos = off + (size_t)n;
        Op *o = op_add(OP_WRITE, ino);
        if (o) {
            o->off = off;
            o->len = (size_t)n;
            o->data = malloc((size_t)n);
            if (!o->data)
                abort();
            memcpy(o->data, buf, (size_t)n);
        }
    }
    return n;
}

static ssize_t fake_pread(int fd, void *buf, size_t len, off_t off)
{
    FAIL_IF_INJECTED(-1);
    return fsx_sys_real.pread(fd, buf, len, off);
}

/* Real fsync() is skipped: the model decides what a power cut keeps. */
static int fake_fsync(int fd)
{
    FAIL_IF_INJECTED(-1);
    if (fd >= 0 && fd < MAX_FDS && R.fds[fd].used)
        op_add(OP_FSYNC, R.fds[fd].ino);
    return 0;
}

static int fake_ftruncate(int fd, off_t len)
{
    FAIL_IF_INJECTED(-1);
    int rc = fsx_sys_real.ftruncate(fd, len);
    if (rc == 0 && fd >= 0 && fd < MAX_FDS && R.fds[fd].used) {
        inode_trunc(&R.live, R.fds[fd].ino, (size_t)len);
        Op *o = op_add(OP_TRUNC, R.fds[fd].ino);
        if (o)
            o->len = (size_t)len;
    }
    return rc;
}

static int fake_rename(const char *from, const char *to)
{
    FAIL_IF_INJECTED(-1);
    int rc = fsx_sys_real.rename(from, to);
    const char *a = rel(from), *b = rel(to);
    if (rc == 0 && a && b && name_find(&R.live, a) >= 0) {
        int ino = R.live.names[name_find(&R.live, a)].ino;
        name_del(&R.live, b);
        name_del(&R.live, a);
        name_set(&R.live, b, ino);
        Op *o = op_add(OP_RENAME, 0);
        if (o) {
            snprintf(o->name, sizeof o->name, "%s", a);
            snprintf(o->name2, sizeof o->name2, "%s", b);
        }
    }
    return rc;
}

static int fake_unlink(const char *path)
{
    FAIL_IF_INJECTED(-1);
    int rc = fsx_sys_real.unlink(path);
    const char *r = rel(path);
    if (rc == 0 && r) {
        name_del(&R.live, r);
        Op *o = op_add(OP_UNLINK, 0);
        if (o)
            snprintf(o->name, sizeof o->name, "%s", r);
    }
    return rc;
}

/* On Linux close() frees the descriptor even when it reports an error. */
static int fake_close(int fd)
{
    int f = inject();
    if (fd >= 0 && fd < MAX_FDS)
        R.fds[fd].used = false;
    int rc = fsx_sys_real.close(fd);
    if (f != FAULT_NONE && f != FAULT_SHORT) {
        errno = fault_errno(f);
        return -1;
    }
    return rc;
}

static int fake_mkdir(const char *path, mode_t mode)
{
    FAIL_IF_INJECTED(-1);
    return fsx_sys_real.mkdir(path, mode);
}

static int fake_mkstemp(char *templ)
{
    FAIL_IF_INJECTED(-1);
    return fsx_sys_real.mkstemp(templ);
}

static int fake_flock(int fd, int op)
{
    FAIL_IF_INJECTED(-1);
    return fsx_sys_real.flock(fd, op);
}

static int fake_fchmod(int fd, mode_t mode)
{
    FAIL_IF_INJECTED(-1);
    return fsx_sys_real.fchmod(fd, mode);
}

static int fake_fchown(int fd, uid_t u, gid_t g)
{
    FAIL_IF_INJECTED(-1);
    return fsx_sys_real.fchown(fd, u, g);
}

static int fake_fstat(int fd, struct stat *st)
{
    FAIL_IF_INJECTED(-1);
    return fsx_sys_real.fstat(fd, st);
}

static int fake_stat(const char *path, struct stat *st)
{
    FAIL_IF_INJECTED(-1);
    return fsx_sys_real.stat(path, st);
}

static int fake_lstat(const char *path, struct stat *st)
{
    FAIL_IF_INJECTED(-1);
    return fsx_sys_real.lstat(path, st);
}

static const FsxSys FAKE = {
    .open = fake_open,
    .close = fake_close,
    .write = fake_write,
    .pread = fake_pread,
    .fsync = fake_fsync,
    .fdatasync = fake_fsync,
    .ftruncate = fake_ftruncate,
    .rename = fake_rename,
    .unlink = fake_unlink,
    .mkdir = fake_mkdir,
    .mkstemp = fake_mkstemp,
    .flock = fake_flock,
    .fchmod = fake_fchmod,
    .fchown = fake_fchown,
    .fstat = fake_fstat,
    .stat = fake_stat,
    .lstat = fake_lstat,
};

static int no_fsync(int fd)
{
    (void)fd;
    return 0;
}

/* The real calls without fsync, for checking states quickly. */
static FsxSys fast_real(void)
{
    FsxSys t = fsx_sys_real;
    t.fsync = no_fsync;
    t.fdatasync = no_fsync;
    return t;
}

static void reset_fake(const char *dir, bool record, long fail_at, int fail_kind)
{
    for (int i = 0; i < R.nops; i++)
        free(R.ops[i].data);
    model_free(&R.live);
    memset(&R, 0, sizeof R);
    snprintf(R.dir, sizeof R.dir, "%s", dir);
    R.dirlen = strlen(R.dir);
    R.record = record;
    R.fail_at = fail_at;
    R.fail_kind = fail_kind;
    R.live.ninodes = 1; /* inode 0: the folder, which exists and is durable */
}

/* ---- the scenario ------------------------------------------------------ */

typedef struct {
    int rc[MAX_ROWS]; /* store_append()'s answer, -2: not tried */
    char log[8192];   /* every error and note, to see failures reported */
    int cols;         /* the columns last used (1 or 2) */
} Outcome;

static void log_line(Outcome *o, const char *what, const char *msg)
{
    size_t used = strlen(o->log);
    if (msg[0])
        snprintf(o->log + used, sizeof o->log - used, "%s: %s\n", what, msg);
}

static Store *open_cols(const char *path, int cols, Outcome *o)
{
    char note[2048] = "", err[1024] = "";
    Store *s = NULL;
    mark(-cols - 1);
    o->cols = cols;
    int rc = store_create(&s, path, cols == 1 ? COLS1 : COLS2, 3, note, sizeof note, err,
                          sizeof err);
    log_line(o, "note", note);
    if (rc != 0)
        log_line(o, "create", err);
    return s;
}

static void append(Store *s, int row, Outcome *o)
{
    char err[1024] = "";
    if (!s)
        return;
    int rc = store_append(s, ROWS[row], 3, err, sizeof err);
    o->rc[row] = rc;
    log_line(o, "append", err);
    /* A promise: saved (0), or saved later with every waiting row durable
     * in .pending. */
    if (rc == 0 || (rc == 1 && store_pending_durable(s) == store_pending(s)))
        mark(row);
}

static void scenario(const char *dir, Outcome *o)
{
    char path[256];
    memset(o, 0, sizeof *o);
    for (int i = 0; i < MAX_ROWS; i++)
        o->rc[i] = -2;
    snprintf(path, sizeof path, "%s/s.csv", dir);
    Store *s = open_cols(path, 1, o);
    append(s, 0, o);
    append(s, 1, o);
    store_close(s);

    /* A writer that crashed mid-row left a torn tail (not the store's
     * calls: no faults are injected into them). */
    R.external = true;
    int fd = fsx_sys.open(path, O_WRONLY | O_APPEND | O_CLOEXEC, 0);
    if (fd >= 0) {
        (void)!fsx_sys.write(fd, "r9,\"Torn", 8);
        (void)fsx_sys.fsync(fd);
        fsx_sys.close(fd);
    }
    R.external = false;

    s = open_cols(path, 1, o); /* torn-tail recovery */
    append(s, 2, o);
    store_close(s);

    s = open_cols(path, 2, o); /* other columns: archived */
    append(s, 3, o);
    R.refuse_main_write = true; /* the disk refuses r5: it goes to .pending */
    append(s, 4, o);
    append(s, 5, o); /* r5 and r6 drained into the file */
    store_close(s);
}

/* ---- checking a folder ------------------------------------------------- */

/* Checks one CSV (the main file or an archive): complete rows only, every
 * row the header's width, every data row exactly as written. Counts ids
 * into seen. Returns the problems found (printed with where). */
static int check_csv(const char *path, int seen[MAX_ROWS], const char *where)
{
    size_t len, off = 0;
    char *buf = files_slurp(path, &len);
    int bad = 0, width = -1;
    if (!buf)
        return 1;
    if (csv_scan_complete(buf, len) != len) {
        fprintf(stderr, "%s: %s does not end on a complete row\n", where, path);
        bad++;
    }
    while (!bad && off < len) {
        char *f[8];
        size_t used;
        int n = csv_parse_row(buf + off, len - off, &used, f, 8);
        if (n < 0 || (width >= 0 && n != width)) {
            fprintf(stderr, "%s: %s: row at byte %zu has %d fields\n", where, path, off, n);
            bad++;
        } else if (width < 0) {
            width = n;
        } else {
            int row = -1;
            for (int r = 0; r < NROWS; r++)
                if (strcmp(f[0], ROWS[r][0]) == 0)
                    row = r;
            char want[512];
            size_t wl = row >= 0 ? csv_format_row(want, sizeof want, ROWS[row], 3) : 0;
            if (row < 0 || wl != used || memcmp(want, buf + off, used) != 0) {
                fprintf(stderr, "%s: %s: row at byte %zu is not a row written whole\n", where, path,
                        off);
                bad++;
            } else {
                seen[row]++;
            }
        }
        for (int i = 0; i < n; i++)
            free(f[i]);
        off += n < 0 ? len - off : used;
    }
    free(buf);
    return bad;
}

/* Every CSV in dir (the main file and archives; not .partial, .pending).
 * Returns problems; counts ids into seen; *pending: a .pending is there. */
static int check_dir(const char *dir, int seen[MAX_ROWS], bool *pending, const char *where)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int bad = 0;
    *pending = false;
    memset(seen, 0, MAX_ROWS * sizeof *seen);
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (n > 8 && strcmp(e->d_name + n - 8, ".pending") == 0)
            *pending = true;
        else if (n > 4 && strcmp(e->d_name + n - 4, ".csv") == 0)
            bad += check_csv(p, seen, where);
    }
    if (d)
        closedir(d);
    return bad;
}

/* ---- 1. failure injection ---------------------------------------------- */

/* The files a run leaves, names without their time stamps, as one string:
 * two runs that did the same thing leave the same. */
static char *dir_digest(const char *dir)
{
    char names[MAX_NAMES][256];
    int n = files_list(dir, "", names, MAX_NAMES);
    size_t cap = 1, len = 0;
    char *out = calloc(1, 1);
    for (int i = 0; i < n && out; i++) {
        char p[512];
        size_t fl = 0;
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        char *body = files_slurp(p, &fl);
        const char *kind = strstr(names[i], ".partial")     ? "partial"
                           : strstr(names[i], ".pending")   ? "pending"
                           : strcmp(names[i], "s.csv") == 0 ? "main"
                                                            : "archive";
        cap += strlen(kind) + fl + 4;
        out = realloc(out, cap);
        if (!out)
            abort();
        len += (size_t)sprintf(out + len, "%s:", kind);
        if (body)
            memcpy(out + len, body, fl);
        len += fl;
        out[len++] = '\n';
        out[len] = '\0';
        free(body);
    }
    return out;
}

typedef struct {
    int fired, reported, retried, harmless, silent, lost;
} Tally;

static void test_failures(void)
{
    char dir[256], clean_dir[256];
    Outcome clean, o;
    Tally t[5] = {{0}};
    long long start = now_ms();
    snprintf(clean_dir, sizeof clean_dir, "%s/clean", root);
    mkdir(clean_dir, 0700);
    reset_fake(clean_dir, false, -1, FAULT_NONE);
    fsx_sys = FAKE;
    scenario(clean_dir, &clean);
    long ncalls = R.calls;
    fsx_sys = fsx_sys_real;
    char *clean_digest = dir_digest(clean_dir);
    for (int r = 0; r < NROWS; r++)
        CHECK_INT(clean.rc[r], r == 4 ? 1 : 0);
    int runs = 0;
    for (long call = 0; call < ncalls; call++) {
        for (int kind = FAULT_EIO; kind <= FAULT_SHORT; kind++) {
            snprintf(dir, sizeof dir, "%s/f%ld-%d", root, call, kind);
            mkdir(dir, 0700);
            reset_fake(dir, false, call, kind);
            fsx_sys = FAKE;
            scenario(dir, &o);
            bool fired = R.fired;
            fsx_sys = fast_real();
            if (!fired) {
                files_rm_tree(dir);
                continue;
            }
            if (kind == FAULT_SHORT && strcmp(R.fired_what, "write") != 0) {
                files_rm_tree(dir); /* a short write is a fault of write() only */
                continue;
            }
            runs++;
            /* A short write matters only for write(); for other calls the
             * short-write run is the clean run again. */
            char *digest = dir_digest(dir);
            bool same = strcmp(digest, clean_digest) == 0;
            free(digest);
            Tally *k = &t[kind];
            k->fired++;
            const char *sign = kind == FAULT_SHORT ? "only " : strerror(fault_errno(kind));
            if (strstr(o.log, sign))
                k->reported++;
            else if (same && (kind == FAULT_EINTR || kind == FAULT_SHORT))
                k->retried++;
            else if (same) {
                k->harmless++;
                printf("  harmless: call %ld (%s) %s\n", call, R.fired_what, FAULT_NAME[kind]);
            } else {
                k->silent++;
                fprintf(stderr, "failures: call %ld %s: not reported and changed the files\n%s",
                        call, FAULT_NAME[kind], o.log);
            }
            /* Nothing the store took is lost: a clean reopen drains
             * .pending, then every row taken is in the files once. */
            char path[300], note[2048], err[1024];
            Store *s = NULL;
            snprintf(path, sizeof path, "%s/s.csv", dir);
            if (store_open(&s, path, o.cols == 1 ? COLS1 : COLS2, 3, note, sizeof note, err,
                           sizeof err) != 0)
                fprintf(stderr, "failures: call %ld %s: reopen: %s\n", call, FAULT_NAME[kind], err);
            store_close(s);
            int seen[MAX_ROWS];
            bool pending;
            char where[64];
            snprintf(where, sizeof where, "call %ld %s", call, FAULT_NAME[kind]);
            int bad = check_dir(dir, seen, &pending, where);
            for (int r = 0; r < NROWS; r++)
                if ((o.rc[r] >= 0 && seen[r] != 1) || seen[r] > 1) {
                    fprintf(stderr, "failures: %s: row %s (answer %d) is there %d times\n", where,
                            ROWS[r][0], o.rc[r], seen[r]);
                    bad++;
                }
            if (bad) {
                k->lost++;
                fprintf(stderr, "%s", o.log);
            }
            CHECK_INT(bad, 0);
            if (bad == 0)
                files_rm_tree(dir);
        }
    }
    free(clean_digest);
    printf("failures: %ld calls in the scenario, %d runs with one failing, in %lld ms\n", ncalls,
           runs, now_ms() - start);
    for (int kind = FAULT_EIO; kind <= FAULT_SHORT; kind++) {
        printf("  %-11s %4d failed calls: %4d reported, %3d retried, %3d harmless, %d silent, "
               "%d lost\n",
               FAULT_NAME[kind], t[kind].fired, t[kind].reported, t[kind].retried, t[kind].harmless,
               t[kind].silent, t[kind].lost);
        CHECK_INT(t[kind].silent, 0);
        CHECK_INT(t[kind].lost, 0);
    }
    reset_fake(clean_dir, false, -1, FAULT_NONE);
}

/* ---- 2. power cuts ----------------------------------------------------- */

enum { KEEP, DROP, TEAR, ZERO };

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 0x100000001b3u;
    return h;
}

static uint64_t seen_hash[MAX_SEEN];
static int nseen;

static bool seen_before(uint64_t h)
{
    for (int i = 0; i < nseen; i++)
        if (seen_hash[i] == h)
            return true;
    if (nseen < MAX_SEEN)
        seen_hash[nseen++] = h;
    return false;
}

/* Rebuilds the files after ops[0..k) with action[i] for each; false when
 * the combination cannot happen (a name used before it exists). */
static bool replay(const Op *ops, int k, const unsigned char *action, const size_t *cut, Model *m)
{
    memset(m, 0, sizeof *m);
    m->ninodes = MAX_INODES;
    for (int i = 0; i < k; i++) {
        const Op *o = &ops[i];
        int a = action[i];
        switch (o->kind) {
        case OP_CREAT:
            if (a == DROP)
                break;
            if (name_find(m, o->name) >= 0)
                return false;
            name_set(m, o->name, o->ino);
            break;
        case OP_WRITE:
            if (a == KEEP)
                inode_write(m, o->ino, o->off, o->data, o->len);
            else if (a == TEAR)
                inode_write(m, o->ino, o->off, o->data, cut[i]);
            else if (a == ZERO) {
                char *z = calloc(1, o->len);
                if (!z)
                    abort();
                inode_write(m, o->ino, o->off, z, o->len);
                free(z);
            }
            break;
        case OP_TRUNC:
            if (a != DROP)
                inode_trunc(m, o->ino, o->len);
            break;
        case OP_RENAME:
            if (a == DROP)
                break;
            if (name_find(m, o->name) < 0)
                return false;
            {
                int ino = m->names[name_find(m, o->name)].ino;
                name_del(m, o->name2);
                name_del(m, o->name);
                name_set(m, o->name2, ino);
            }
            break;
        case OP_UNLINK:
            if (a == DROP)
                break;
            if (name_find(m, o->name) < 0)
                return false;
            name_del(m, o->name);
            break;
        default:
            break;
        }
    }
    return true;
}

/* Writes the state to a fresh folder, opens the store on it and checks. */
static int check_state(const Model *m, int cols, const bool promised[MAX_ROWS], const char *where)
{
    char dir[256], path[512];
    snprintf(dir, sizeof dir, "%s/state", root);
    files_rm_tree(dir);
    mkdir(dir, 0700);
    for (int i = 0; i < m->nnames; i++) {
        const Inode *f = &m->inodes[m->names[i].ino];
        snprintf(path, sizeof path, "%s/%s", dir, m->names[i].name);
        FILE *out = fopen(path, "wb");
        if (!out || (f->len && fwrite(f->data, 1, f->len, out) != f->len)) {
            perror(path);
            abort();
        }
        fclose(out);
    }
    char note[2048], err[1024];
    Store *s = NULL;
    int bad = 0;
    snprintf(path, sizeof path, "%s/s.csv", dir);
    if (store_open(&s, path, cols == 1 ? COLS1 : COLS2, 3, note, sizeof note, err, sizeof err) !=
        0) {
        fprintf(stderr, "%s: store_open: %s\n", where, err);
        bad++;
    }
    store_close(s);
    int seen[MAX_ROWS];
    bool pending;
    bad += check_dir(dir, seen, &pending, where);
    if (pending) {
        fprintf(stderr, "%s: .pending left after a clean open\n", where);
        bad++;
    }
    for (int r = 0; r < NROWS; r++)
        if ((promised[r] && seen[r] != 1) || seen[r] > 1) {
            fprintf(stderr, "%s: row %s (%s) is there %d times\n", where, ROWS[r][0],
                    promised[r] ? "promised" : "not promised", seen[r]);
            bad++;
        }
    return bad;
}

static uint64_t model_hash(const Model *m, int cols)
{
    uint64_t h = fnv(0xcbf29ce484222325u, &cols, sizeof cols);
    /* names in order of name, so equal folders hash equal */
    int order[MAX_NAMES];
    for (int i = 0; i < m->nnames; i++)
        order[i] = i;
    for (int i = 1; i < m->nnames; i++)
        for (int j = i; j > 0 && strcmp(m->names[order[j - 1]].name, m->names[order[j]].name) > 0;
             j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int i = 0; i < m->nnames; i++) {
        const Name *n = &m->names[order[i]];
        const Inode *f = &m->inodes[n->ino];
        h = fnv(h, n->name, strlen(n->name) + 1);
        h = fnv(h, &f->len, sizeof f->len);
        h = fnv(h, f->data ? f->data : "", f->len);
    }
    return h;
}

static void test_power_cuts(void)
{
    char dir[256];
    Outcome o;
    long long start = now_ms();
    snprintf(dir, sizeof dir, "%s/rec", root);
    mkdir(dir, 0700);
    reset_fake(dir, true, -1, FAULT_NONE);
    fsx_sys = FAKE;
    scenario(dir, &o);
    fsx_sys = fast_real();
    int nops = R.nops;
    const Op *ops = R.ops;
    /* The recording, one letter an op: C create, W write, T truncate, F
     * fsync of a file, D fsync of the folder, R rename, U unlink, and the
     * promises (+row) and column changes (#n). */
    printf("power cuts: recorded:");
    for (int i = 0; i < nops; i++) {
        const Op *op = &ops[i];
        if (op->kind == OP_MARK && op->mark >= 0)
            printf(" +%s", ROWS[op->mark][0]);
        else if (op->kind == OP_MARK)
            printf(" #%d", -op->mark - 1);
        else if (op->kind == OP_CREAT)
            printf(" C(%s)", op->name);
        else if (op->kind == OP_RENAME)
            printf(" R(%.5s..)", op->name);
        else if (op->kind == OP_UNLINK)
            printf(" U(%s)", op->name);
        else if (op->kind == OP_WRITE)
            printf(" W%d", op->ino);
        else if (op->kind == OP_TRUNC)
            printf(" T%d", op->ino);
        else
            printf(" %c%s", op->ino ? 'F' : 'D', op->ino ? "" : "");
    }
    printf("\n");
    CHECK(nops < MAX_OPS);
    long generated = 0, impossible = 0, checked = 0, failed = 0;
    unsigned char action[MAX_OPS];
    size_t cut[MAX_OPS];
    long volatile_total = 0;
    for (int k = 0; k <= nops; k++) {
        /* What a power cut after ops[0..k) may undo: a data op with no
         * fsync of its file after it, a name op with no fsync of the
         * folder after it. */
        bool volatile_op[MAX_OPS] = {false}, promised[MAX_ROWS] = {false};
        int cols = 1, nvol = 0;
        for (int i = 0; i < k; i++) {
            const Op *op = &ops[i];
            if (op->kind == OP_MARK) {
                if (op->mark >= 0)
                    promised[op->mark] = true;
                else
                    cols = -op->mark - 1;
                continue;
            }
            if (op->kind == OP_FSYNC)
                continue;
            int target = op->kind == OP_WRITE || op->kind == OP_TRUNC ? op->ino : 0;
            bool synced = false;
            for (int j = i + 1; j < k && !synced; j++)
                synced = ops[j].kind == OP_FSYNC && ops[j].ino == target;
            volatile_op[i] = !synced;
            nvol += !synced;
        }
        /* The variants: all kept (what SIGKILL leaves), all dropped; each
         * volatile op alone dropped; each volatile write alone torn at
         * every byte boundary, or zeroed (its size reached the disk, its
         * data did not); and each ordered prefix of the volatile ops, its
         * last one dropped, torn in the middle or zeroed. */
        for (int which = -2; which < k; which++) {
            bool data = which >= 0 && ops[which].kind == OP_WRITE;
            size_t len = data ? ops[which].len : 0;
            if (which >= 0 && !volatile_op[which])
                continue;
            /* how: 0 drop alone, 1 zero alone, 2..4 prefix (drop, tear,
             * zero), then 5 + c: torn alone after c bytes */
            size_t nhow = which < 0 ? 1 : data ? 5 + len - 1 : 3;
            for (size_t how = 0; how < nhow; how++) {
                if (!data && (how == 1 || how == 4))
                    continue;
                for (int i = 0; i < k; i++) {
                    action[i] = KEEP;
                    cut[i] = 0;
                    if (!volatile_op[i])
                        continue;
                    if (which == -1)
                        action[i] = DROP;
                    else if (which == -2)
                        action[i] = KEEP;
                    else if (how == 0)
                        action[i] = i == which ? DROP : KEEP;
                    else if (how == 1)
                        action[i] = i == which ? ZERO : KEEP;
                    else if (how <= 4)
                        action[i] = i < which   ? KEEP
                                    : i > which ? DROP
                                    : how == 2  ? DROP
                                    : how == 3  ? TEAR
                                                : ZERO;
                    else if (i == which)
                        action[i] = TEAR;
                    if (action[i] == TEAR)
                        cut[i] = how >= 5 ? how - 4 : ops[i].len / 2;
                }
                generated++;
                Model m;
                if (!replay(ops, k, action, cut, &m)) {
                    impossible++;
                    model_free(&m);
                    continue;
                }
                if (seen_before(model_hash(&m, cols))) {
                    model_free(&m);
                    continue;
                }
                char where[128];
                snprintf(where, sizeof where, "power cut after op %d of %d (op %d, variant %zu)", k,
                         nops, which, how);
                int bad = check_state(&m, cols, promised, where);
                checked++;
                failed += bad > 0;
                CHECK_INT(bad, 0);
                model_free(&m);
            }
        }
        volatile_total += nvol;
    }
    printf("power cuts: %d recorded ops, %ld (crash point, volatile op) pairs, %ld states "
           "generated, %ld impossible, %ld distinct checked, %ld failed, in %lld ms\n",
           nops, volatile_total, generated, impossible, checked, failed, now_ms() - start);
    CHECK(checked > 100);
    reset_fake(dir, false, -1, FAULT_NONE);
}

int main(void)
{
    long long start = now_ms();
    /* /dev/shm when there is one: the states are many and small. */
    snprintf(root, sizeof root, "%s",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm/test_store_crash.XXXXXX"
                                           : "/tmp/test_store_crash.XXXXXX");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    umask(022);
    test_failures();
    test_power_cuts();
    fsx_sys = fsx_sys_real;
    printf("test_store_crash: %lld ms\n", now_ms() - start);
    if (check_failures == 0)
        files_rm_tree(root);
    else
        fprintf(stderr, "test_store_crash: files kept in %s\n", root);
    return check_report("test_store_crash");
}
