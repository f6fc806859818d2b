/* export: copying the sign-ups CSV to a USB stick. See export.h for the
 * contract; this file says why each step is where it is.
 *
 * The people who use this are front-desk staff: they press "Export to USB",
 * wait for "Saved", and pull the stick out, usually without ejecting it.
 * Everything below serves that: the file must be complete and on the stick
 * (not in the page cache) by the time we say "Saved", an earlier export on
 * the same stick must never be replaced, and a failure must be a sentence
 * they can act on ("the USB stick is read-only").
 */
#include "export.h"
#include "util.h"

#include "fsx.h"

#include "csv.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <unistd.h>

/* "-2", "-3"... for exports in the same second; this many means something
 * is wrong with the folder (or we are looping), so stop rather than spin. */
#define EXPORT_SUFFIX_MAX 1000

/* Name parts are cut to this: a kiosk id is at most 64 characters in the
 * settings (SETTINGS_MAX_ID_CHARS), and FAT allows 255 per name in total. */
#define EXPORT_NAME_PART_MAX_CHARS 64

static const char EXPORT_NO_DRIVE[] = "No USB stick found: plug one in and wait a few seconds";

/* ---- finding the stick ------------------------------------------------- */

typedef struct {
    char *dev, *dir; /* unescaped; point into line */
    char *line;      /* owns the storage */
    int ro;
} Mount;

/* The kernel writes space, tab, newline and backslash in /proc/mounts as
 * "\040", "\011", "\012", "\134" (a stick labelled "MY STICK" is mounted
 * at "/media/pi/MY\040STICK"). Any other backslash is kept as it is. */
static void unescape(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
            r[3] >= '0' && r[3] <= '7') {
            *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
            r += 3;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* Splits off the next field separated by spaces or tabs (the kernel escapes
 * them inside fields). NULL when the line has no more fields. */
static char *next_field(char **cursor)
{
    char *p = *cursor;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0' || *p == '\n')
        return NULL;
    char *start = p;
    while (*p && *p != ' ' && *p != '\t' && *p != '\n')
        p++;
    if (*p)
        *p++ = '\0';
    *cursor = p;
    return start;
}

static int has_option(const char *opts, const char *want)
{
    size_t n = strlen(want);
    for (const char *p = opts; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, want, n) == 0)
            return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static void free_mounts(Mount *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(m[i].line);
    free(m);
}

/* Reads the whole mount table first: the root device may be listed after
 * the stick (bind mounts, a late remount of "/"), and we must know it to
 * skip its partitions. Lines with fewer than four fields are ignored: the
 * table is the kernel's, a short line is one we do not understand. */
static int read_mounts(const char *path, Mount **out, size_t *nout, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    Mount *m = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t linecap = 0;
    if (!f) {
        util_format(err, errlen, "Cannot look for a USB stick: %s: %s", path, strerror(errno));
        return -1;
    }
    while (getline(&line, &linecap, f) >= 0) {
        char *cur = line, *dev = next_field(&cur), *dir = next_field(&cur);
        char *type = next_field(&cur), *opts = next_field(&cur);
        if (!dev || !dir || !type || !opts)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            Mount *nm = realloc(m, ncap * sizeof *nm);
            if (!nm)
                goto oom;
            m = nm;
            cap = ncap;
        }
        unescape(dev);
        unescape(dir);
        m[n].line = line;
        m[n].dev = dev;
        m[n].dir = dir;
        m[n].ro = has_option(opts, "ro");
        n++;
        line = NULL; /* now owned by m[n - 1] */
        linecap = 0;
    }
    free(line);
    fclose(f);
    *out = m;
    *nout = n;
    return 0;
oom:
    free(line);
    fclose(f);
    free_mounts(m, n);
    util_format(err, errlen, "Cannot look for a USB stick: out of memory");
    return -1;
}

static int path_exists(const char *path)
{
    struct stat st;
    return fsx_sys.stat(path, &st) == 0;
}

/* The disk a device node belongs to, as named under /sys/block: "/dev/sda1"
 * -> "sda", "/dev/mmcblk1p1" -> "mmcblk1", "/dev/nvme0n1p2" -> "nvme0n1";
 * a whole disk ("/dev/sdb", "/dev/mmcblk1") is its own. Disks whose names
 * end in a digit number their partitions "p1", "p2" (the kernel's rule), so
 * only the letter-named families (sd, hd, vd, xvd) lose bare trailing
 * digits. Where sysfs is given and has the name itself as a disk, that wins.
 * Returns 0, or -1 for a device that is not a plain /dev node. */
static int disk_of(const char *dev, const char *sysfs, char *out, size_t cap)
{
    if (strncmp(dev, "/dev/", 5) != 0)
        return -1;
    const char *name = dev + 5;
    size_t n = strlen(name), k = n;
    if (n == 0 || strchr(name, '/') || n >= cap)
        return -1;
    memcpy(out, name, n + 1);
    if (sysfs) {
        char p[4096];
        if ((size_t)snprintf(p, sizeof p, "%s/block/%s", sysfs, name) < sizeof p && path_exists(p))
            return 0;
    }
    while (k > 0 && isdigit((unsigned char)name[k - 1]))
        k--;
    if (k == n || k == 0)
        return 0;
    if (k >= 2 && name[k - 1] == 'p' && isdigit((unsigned char)name[k - 2]))
        out[k - 1] = '\0';
    else if (strncmp(name, "sd", 2) == 0 || strncmp(name, "hd", 2) == 0 ||
             strncmp(name, "vd", 2) == 0 || strncmp(name, "xvd", 3) == 0)
        out[k] = '\0';
    return 0;
}

enum { CLASS_FIXED = -1, CLASS_UNKNOWN = 0, CLASS_USB = 1 };

/* A sysfs device path through a USB controller has a component "usb<N>"
 * (".../0000:01:00.0/usb2/2-2/2-2:1.0/host0/.../block/sda"). This catches
 * the many sticks and USB SSDs that report removable=0. */
static int on_usb(const char *sysfs, const char *disk)
{
    char p[4096];
    int usb = 0;
    if ((size_t)snprintf(p, sizeof p, "%s/block/%s", sysfs, disk) >= sizeof p)
        return 0;
    char *real = realpath(p, NULL);
    if (!real)
        return 0;
    for (const char *s = strstr(real, "/usb"); s; s = strstr(s + 1, "/usb"))
        if (isdigit((unsigned char)s[4])) {
            usb = 1;
            break;
        }
    free(real);
    return usb;
}

static int classify(const char *sysfs, const char *disk)
{
    char p[4096], v[8] = "";
    if (!sysfs)
        return CLASS_UNKNOWN;
    if ((size_t)snprintf(p, sizeof p, "%s/block/%s", sysfs, disk) >= sizeof p || !path_exists(p))
        return CLASS_UNKNOWN;
    snprintf(p, sizeof p, "%s/block/%s/removable", sysfs, disk);
    FILE *f = fopen(p, "r");
    if (f) {
        if (!fgets(v, sizeof v, f))
            v[0] = '\0';
        fclose(f);
    }
    if (v[0] == '1')
        return CLASS_USB;
    return on_usb(sysfs, disk) ? CLASS_USB : CLASS_FIXED;
}

/* dir is root or below it. Trailing slashes on root are ignored, so
 * "/media/" matches "/media/pi/STICK" but "/med" does not. */
static int is_under(const char *dir, const char *root)
{
    size_t n = strlen(root);
    while (n > 0 && root[n - 1] == '/')
        n--;
    return strncmp(dir, root, n) == 0 && (dir[n] == '\0' || dir[n] == '/');
}

/* How good a drive the mount m is, or -1 when it is none: below one of
 * roots, a block device, not on the OS's disk (rootdev, or rootdisk when
 * known), not one sysfs calls fixed. */
static int drive_score(const Mount *m, const char *sysfs_root, const char *const *roots,
                       size_t nroots, const char *rootdev, const char *rootdisk)
{
    char disk[256];
    int under = 0;
    for (size_t r = 0; r < nroots && !under; r++)
        under = roots && roots[r] && roots[r][0] && is_under(m->dir, roots[r]);
    if (!under)
        return -1;
    /* Only block devices are drives: tmpfs, network shares and the like
     * under /media are not something staff can carry away. One we cannot
     * map to a disk (/dev/mapper/..., /dev/disk/by-label/...) is a drive
     * of an unknown kind. */
    if (!m->dev || strncmp(m->dev, "/dev/", 5) != 0)
        return -1;
    if (disk_of(m->dev, sysfs_root, disk, sizeof disk) != 0)
        disk[0] = '\0';
    /* The OS's own disk: its other partitions (/boot/firmware) must
     * never receive personal data meant for a stick. */
    if ((rootdev && strcmp(m->dev, rootdev) == 0) || (rootdisk[0] && strcmp(disk, rootdisk) == 0))
        return -1;
    int cls = disk[0] ? classify(sysfs_root, disk) : CLASS_UNKNOWN;
    if (cls == CLASS_FIXED)
        return -1;
    /* USB beats unknown; then a writable mount beats a read-only one
     * (a stick with its lock switch on is still reported by
     * export_copy() if it is the only one); then table order. */
    return cls * 2 + !m->ro;
}

int export_find_drive(const char *mounts_path, const char *sysfs_root, const char *const *roots,
                      size_t nroots, char *out, size_t cap, char *err, size_t errlen)
{
    Mount *m = NULL;
    size_t n = 0, best = 0;
    int best_score = -1;
    char rootdisk[256] = "";
    const char *rootdev = NULL;
    if (err && errlen)
        err[0] = '\0';
    if (out && cap)
        out[0] = '\0';
    if (!mounts_path || !out || cap == 0) {
        util_format(err, errlen, "Cannot look for a USB stick: no mount table given");
        return -1;
    }
    if (read_mounts(mounts_path, &m, &n, err, errlen) != 0)
        return -1;
    /* The last mount on "/" is the one in effect ("rootfs" may come first). */
    for (size_t i = 0; i < n; i++)
        if (strcmp(m[i].dir, "/") == 0)
            rootdev = m[i].dev;
    if (rootdev && disk_of(rootdev, sysfs_root, rootdisk, sizeof rootdisk) != 0)
        rootdisk[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int score = drive_score(&m[i], sysfs_root, roots, nroots, rootdev, rootdisk);
        if (score > best_score) {
            best_score = score;
            best = i;
        }
    }
    int rc = -1;
    if (best_score < 0) {
        util_format(err, errlen, "%s", EXPORT_NO_DRIVE);
    } else if (strlen(m[best].dir) >= cap) {
        util_format(err, errlen, "Cannot use the USB stick: its folder name is too long");
    } else {
        memcpy(out, m[best].dir, strlen(m[best].dir) + 1);
        rc = 0;
    }
    free_mounts(m, n);
    return rc;
}

/* ---- copying ------------------------------------------------------------ */

long long export_free_bytes(const char *path)
{
    struct statvfs v;
    if (!path || statvfs(path, &v) != 0)
        return -1;
    /* f_bavail, not f_bfree: the blocks reserved for root are not ours. */
    unsigned long long b = (unsigned long long)v.f_bavail * (unsigned long long)v.f_frsize;
    return b > (unsigned long long)9223372036854775807LL ? 9223372036854775807LL : (long long)b;
}

/* Copies at most max characters of s into out, each outside [A-Za-z0-9_-]
 * replaced by '_': FAT refuses : * ? " < > | \ in names, and a name staff
 * may type into a shell should need no quoting. */
static void sanitize(char *out, const char *s, size_t len, size_t max)
{
    size_t i;
    for (i = 0; i < len && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = (char)(((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '_' || c == '-')
                            ? c
                            : '_');
    }
    out[i] = '\0';
}

/* Turns a write-side errno into what staff can do about it. */
static void say_write_error(char *err, size_t errlen, int e, const char *dir,
                            unsigned long long need)
{
    if (e == EROFS)
        util_format(err, errlen,
                    "Cannot export: the USB stick is read-only (is its lock switch on?)");
    else if (e == ENOSPC
#ifdef EDQUOT
             || e == EDQUOT
#endif
    )
        util_format(err, errlen, "Cannot export: the USB stick is full (needs %llu KB)",
                    (need + 1023) / 1024);
    else if (e == EACCES || e == EPERM)
        util_format(err, errlen, "Cannot export: the kiosk may not write to %s: %s", dir,
                    strerror(e));
    else if (e == ENOENT || e == ENODEV || e == EIO || e == ENXIO)
        util_format(err, errlen,
                    "Cannot export: writing to %s failed (%s); was the USB stick removed?", dir,
                    strerror(e));
    else
        util_format(err, errlen, "Cannot export: writing to %s failed: %s", dir, strerror(e));
}

/* "<dir>/<base>.csv" or "<dir>/<base>-<k>.csv" into name. Returns 0 when it
 * is not taken, 1 when it is, -1 (errno) when we cannot tell. */
static int candidate(char *name, size_t cap, const char *dir, const char *base, int k)
{
    struct stat st;
    if (k == 1)
        snprintf(name, cap, "%s/%s.csv", dir, base);
    else
        snprintf(name, cap, "%s/%s-%d.csv", dir, base, k);
    if (fsx_sys.lstat(name, &st) == 0)
        return 1;
    return errno == ENOENT ? 0 : -1;
}

/* "<stem>-<id>-<YYYYmmdd-HHMMSS>" for src, kiosk_id and now; the caller
 * frees it. NULL when out of memory. */
static char *export_base_name(const char *src, const char *kiosk_id, time_t now)
{
    char stem[EXPORT_NAME_PART_MAX_CHARS + 1], id[EXPORT_NAME_PART_MAX_CHARS + 1], stamp[32];
    const char *b = strrchr(src, '/');
    struct tm tm;
    b = b ? b + 1 : src;
    size_t blen = strlen(b);
    if (blen >= 4 && strcasecmp(b + blen - 4, ".csv") == 0)
        blen -= 4;
    sanitize(stem, b, blen, EXPORT_NAME_PART_MAX_CHARS);
    if (!stem[0])
        snprintf(stem, sizeof stem, "signups");
    if (!kiosk_id)
        kiosk_id = "";
    sanitize(id, kiosk_id, strlen(kiosk_id), EXPORT_NAME_PART_MAX_CHARS);
    if (!id[0])
        snprintf(id, sizeof id, "kiosk");
    if (!localtime_r(&now, &tm) || strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm) == 0)
        snprintf(stamp, sizeof stamp, "%lld", (long long)now);
    size_t n = strlen(stem) + strlen(id) + strlen(stamp) + 3;
    char *base = malloc(n);
    if (base)
        snprintf(base, n, "%s-%s-%s", stem, id, stamp);
    return base;
}

/* The folder first: "stick removed" is the commonest failure, and saying
 * so beats any message about the file. */
static int check_folder(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (fsx_sys.stat(dir, &st) != 0) {
        if (errno == ENOENT)
            util_format(err, errlen, "Cannot export: %s is not there (was the USB stick removed?)",
                        dir);
        else
            util_format(err, errlen, "Cannot export: %s: %s", dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        util_format(err, errlen, "Cannot export: %s is not a folder", dir);
        return -1;
    }
    return 0;
}

/* Reads src whole; *len is where its complete rows end, *got how much was
 * read. Returns the buffer (the caller wipes and frees *got bytes), or NULL
 * with err set.
 *
 * No flock here: the store holds LOCK_EX on its own open file description
 * in this same process, and flock() locks conflict between descriptions
 * even within one process, so LOCK_SH would block the event loop. The store
 * writes each row with one write(), so what we read is complete rows plus
 * at most part of one; csv_scan_complete() tells us where the complete ones
 * end. */
static char *read_complete_rows(const char *src, size_t *got, size_t *len, char *err, size_t errlen)
{
    struct stat st;
    char *buf = NULL;
    *got = *len = 0;
    int in = fsx_sys.open(src, O_RDONLY | O_CLOEXEC, 0);
    if (in < 0) {
        if (errno == ENOENT)
            util_format(err, errlen,
                        "Nothing to export yet: there are no sign-ups (%s does not exist)", src);
        else
            util_format(err, errlen, "Cannot export: cannot read %s: %s", src, strerror(errno));
        return NULL;
    }
    /* Refuse rather than cut: a copy missing its last rows would look
     * complete to whoever opens it. (The store sets such a file aside at its
     * next start, so this can only happen to a file that grew past the limit
     * while the kiosk ran: decades of sign-ups, or something else writing.) */
    if (fsx_sys.fstat(in, &st) != 0)
        util_format(err, errlen, "Cannot export: cannot read %s: %s", src, strerror(errno));
    else if (st.st_size < 0 || (unsigned long long)st.st_size > EXPORT_MAX_BYTES)
        util_format(err, errlen,
                    "Cannot export: %s is larger than %zu MiB; copy it off the kiosk by hand", src,
                    EXPORT_MAX_BYTES / (1024 * 1024));
    else if (!(buf = fsx_pread_all(in, (size_t)st.st_size, got)))
        util_format(err, errlen, "Cannot export: cannot read %s: %s", src, strerror(errno));
    fsx_sys.close(in);
    if (buf) {
        *len = csv_scan_complete(buf, *got);
        if (*len == 0) {
            util_format(err, errlen, "Nothing to export yet: %s has no complete rows", src);
            util_wipe(buf, *got);
            free(buf);
            buf = NULL;
        }
    }
    return buf;
}

/* Checked before writing so a full stick is said plainly and leaves no
 * half-written file behind; ENOSPC while writing is still handled, as
 * statvfs() on FAT is only an estimate. */
static int check_room(const char *dir, unsigned long long need, char *err, size_t errlen)
{
    struct statvfs vfs;
    if (statvfs(dir, &vfs) != 0)
        return 0;
    unsigned long long avail = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
    if (avail < need) {
        util_format(err, errlen,
                    "Cannot export: the USB stick is full (needs %llu KB, has %llu KB free)",
                    (need + 1023) / 1024, avail / 1024);
        return -1;
    }
    return 0;
}

/* Where one export goes: "<dir>/<base>[-<k>].csv", tried from k = 1 up. */
typedef struct {
    const char *dir;
    char *base, *final; /* final has cap bytes */
    size_t cap;
    int k;
    unsigned long long need; /* for messages about a full stick */
} Dest;

/* Creates the temporary, named after the first free final name (which is
 * left in d->final) and created with O_EXCL, so two exports never share
 * it; 0600 because this is personal data (on FAT the mount options decide,
 * which is why it is only asked for, not checked). */
static int create_tmp(FsxTmp *t, Dest *d, char *err, size_t errlen)
{
    size_t tcap = d->cap + 4;
    char *tmp = malloc(tcap);
    int rc = -1;
    if (!tmp) {
        util_format(err, errlen, "Cannot export: out of memory");
        return -1;
    }
    for (; d->k <= EXPORT_SUFFIX_MAX; d->k++) {
        int taken = candidate(d->final, d->cap, d->dir, d->base, d->k);
        if (taken < 0) {
            say_write_error(err, errlen, errno, d->dir, d->need);
            break;
        }
        if (taken)
            continue;
        snprintf(tmp, tcap, "%s.tmp", d->final);
        if (fsx_tmp_create(t, tmp, 0600) == 0) {
            rc = 0;
            break;
        }
        if (errno != EEXIST) {
            say_write_error(err, errlen, errno, d->dir, d->need);
            break;
        }
    }
    if (rc != 0 && d->k > EXPORT_SUFFIX_MAX)
        util_format(err, errlen, "Cannot export: %s already holds %d exports from this second",
                    d->dir, EXPORT_SUFFIX_MAX);
    free(tmp);
    return rc;
}

/* rename() replaces an existing file, so look again just before: another
 * export may have taken the name meanwhile, and then the next free one is
 * used. The window between lstat() and rename() is open only to other
 * programs writing this exact name; link() would close it, but FAT (what
 * sticks use) has no hard links. */
static int recheck_final(Dest *d, char *err, size_t errlen)
{
    for (;; d->k++) {
        int taken = -1;
        errno = EEXIST;
        if (d->k <= EXPORT_SUFFIX_MAX)
            taken = candidate(d->final, d->cap, d->dir, d->base, d->k);
        if (taken < 0) {
            say_write_error(err, errlen, errno, d->dir, d->need);
            return -1;
        }
        if (!taken)
            return 0;
    }
}

/* Writes len bytes of buf to a new file in d->dir (fsx's atomic replace,
 * to a name nothing holds), the name it got in d->final. */
static int write_copy(Dest *d, const char *buf, size_t len, char *err, size_t errlen)
{
    FsxTmp t = FSX_TMP_INIT;
    int rc = -1;
    if (create_tmp(&t, d, err, errlen) != 0)
        goto done;
    if (fsx_tmp_finish(&t, buf, len) != 0) {
        say_write_error(err, errlen, errno, d->dir, d->need);
        goto done;
    }
    if (recheck_final(d, err, errlen) != 0)
        goto done;
    int step = fsx_tmp_commit(&t, d->final);
    if (step == FSX_STEP_SYNC_DIR)
        util_format(
            err, errlen,
            "The copy %s was written but the USB stick did not confirm it (%s); export again "
            "before removing the stick",
            d->final, strerror(errno));
    else if (step != 0)
        say_write_error(err, errlen, errno, d->dir, d->need);
    rc = step == 0 ? 0 : -1;
done:
    /* A half-written copy of personal data on a stick helps nobody. */
    fsx_tmp_discard(&t);
    return rc;
}

/* Reads back d->final (len bytes) from the stick, not from the page cache
 * (POSIX_FADV_DONTNEED after the fsync drops its clean pages), and
 * compares. */
static bool verify_copy(const char *final, const char *buf, size_t len)
{
    size_t got = 0;
    bool same = false;
    int fd = fsx_sys.open(final, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return false;
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    char *back = fsx_pread_all(fd, len, &got);
    same = back && got == len && memcmp(back, buf, len) == 0;
    if (back)
        util_wipe(back, got);
    free(back);
    fsx_sys.close(fd);
    return same;
}

/* The base name (no ".csv") a sign-up file f gets on the stick. */
static char *item_base(const SignFile *f, const char *kiosk_id, time_t now)
{
    if (f->kind == SIGNFILE_LIVE)
        return export_base_name(f->path, kiosk_id, now);
    char part[EXPORT_NAME_PART_MAX_CHARS * 2 + 1];
    const char *b = strrchr(f->path, '/');
    b = b ? b + 1 : f->path;
    size_t blen = strlen(b);
    if (f->kind == SIGNFILE_ARCHIVE) {
        sanitize(part, b, blen >= 4 ? blen - 4 : blen, sizeof part - 1);
        return strdup(part);
    }
    /* "signups.csv.partial" -> "signups.csv-recovered" -> "signups-recovered-<id>-<stamp>" */
    char name[4096];
    size_t stem = blen > 12 && strcmp(b + blen - 12, ".csv.partial") == 0 ? blen - 12 : blen;
    snprintf(name, sizeof name, "%.*s-recovered.csv", (int)stem, b);
    return export_base_name(name, kiosk_id, now);
}

/* The bytes of f to copy: complete rows, or the whole .partial (torn rows
 * are what it holds; a person may still read a name in them). */
static char *item_bytes(const SignFile *f, size_t *got, size_t *len, char *err, size_t errlen)
{
    if (f->kind != SIGNFILE_RECOVERED)
        return read_complete_rows(f->path, got, len, err, errlen);
    struct stat st;
    char *buf = NULL;
    *got = *len = 0;
    int in = fsx_sys.open(f->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
    if (in >= 0 && fsx_sys.fstat(in, &st) == 0 && st.st_size > 0 &&
        (unsigned long long)st.st_size <= EXPORT_MAX_BYTES)
        buf = fsx_pread_all(in, (size_t)st.st_size, got);
    if (!buf)
        util_format(err, errlen, "Cannot export: cannot read %s", f->path);
    if (in >= 0)
        fsx_sys.close(in);
    *len = *got;
    return buf;
}

static int export_one(const SignFile *f, const char *dir, const char *kiosk_id, time_t now,
                      ExportItem *it, char *err, size_t errlen)
{
    size_t got = 0, len = 0;
    int rc = -1;
    Dest d = {.dir = dir, .k = 1};
    char *buf = item_bytes(f, &got, &len, err, errlen);
    if (!buf)
        return 1; /* nothing to copy in this one */
    d.need = (unsigned long long)len + EXPORT_SLACK_BYTES;
    d.base = item_base(f, kiosk_id, now);
    d.cap = strlen(dir) + (d.base ? strlen(d.base) : 0) + 32;
    d.final = malloc(d.cap);
    if (!d.base || !d.final)
        util_format(err, errlen, "Cannot export: out of memory");
    else if (check_room(dir, d.need, err, errlen) == 0 &&
             write_copy(&d, buf, len, err, errlen) == 0)
        rc = 0;
    if (rc == 0) {
        it->kind = f->kind;
        snprintf(it->src, sizeof it->src, "%s", f->path);
        snprintf(it->dest, sizeof it->dest, "%s", d.final);
        it->rows = f->kind == SIGNFILE_RECOVERED ? f->rows : signfiles_data_rows(buf, len);
        it->len = len;
        it->hash = signfiles_hash(buf, len);
        it->verified = verify_copy(d.final, buf, len);
    }
    util_wipe(buf, got);
    free(buf);
    free(d.base);
    free(d.final);
    return rc;
}

int export_files(const SignFiles *fs, const char *dir, const char *kiosk_id, time_t now,
                 ExportResult *res, char *err, size_t errlen)
{
    char skip[600];
    res->n = 0;
    util_format(err, errlen, "%s", "");
    if (!fs || !dir || check_folder(dir, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < fs->n; i++) {
        int rc = export_one(&fs->file[i], dir, kiosk_id, now, &res->item[res->n], err, errlen);
        if (rc < 0)
            return -1;
        if (rc == 0)
            res->n++;
        else
            snprintf(skip, sizeof skip, "%s", err);
        err[0] = '\0';
    }
    if (res->n == 0) {
        util_format(err, errlen, "%s",
                    fs->n ? skip : "Nothing to export yet: there are no sign-ups");
        return -1;
    }
    return 0;
}

int export_copy(const char *src, const char *dir, const char *kiosk_id, time_t now, char *dest,
                size_t destcap, char *err, size_t errlen)
{
    int rc = -1;
    char *buf = NULL;
    size_t got = 0, len = 0;
    Dest d = {.dir = dir, .k = 1};

    if (dest && destcap)
        dest[0] = '\0';
    if (err && errlen)
        err[0] = '\0';
    if (!src || !dir) {
        util_format(err, errlen, "Cannot export: no sign-ups file or no USB stick given");
        return -1;
    }
    if (check_folder(dir, err, errlen) != 0)
        return -1;
    buf = read_complete_rows(src, &got, &len, err, errlen);
    if (!buf)
        return -1;
    d.need = (unsigned long long)len + EXPORT_SLACK_BYTES;
    if (check_room(dir, d.need, err, errlen) != 0)
        goto done;
    d.base = export_base_name(src, kiosk_id, now);
    d.cap = strlen(dir) + (d.base ? strlen(d.base) : 0) + 32;
    d.final = malloc(d.cap);
    if (!d.base || !d.final) {
        util_format(err, errlen, "Cannot export: out of memory");
        goto done;
    }
    if (write_copy(&d, buf, len, err, errlen) != 0)
        goto done;
    if (dest && destcap)
        snprintf(dest, destcap, "%s", d.final);
    rc = 0;
done:
    util_wipe(buf, got);
    free(buf);
    free(d.base);
    free(d.final);
    return rc;
}

bool export_is_mounted(const char *mounts_path, const char *dir)
{
    Mount *m = NULL;
    size_t n = 0;
    char err[8];
    bool found = false;
    if (read_mounts(mounts_path, &m, &n, err, sizeof err) != 0)
        return false;
    for (size_t i = 0; i < n && !found; i++)
        found = strcmp(m[i].dir, dir) == 0;
    free_mounts(m, n);
    return found;
}

int export_request_eject(const char *request)
{
    int fd = fsx_sys.open(request, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return -1;
    return fsx_sys.close(fd);
}
