#include "fsx.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the system-call seam ------------------------------------------------ */

static int real_open(const char *path, int flags, mode_t mode)
{
    return open(path, flags, mode);
}

static int real_stat(const char *path, struct stat *st)
{
    return stat(path, st);
}

static int real_lstat(const char *path, struct stat *st)
{
    return lstat(path, st);
}

static int real_fstat(int fd, struct stat *st)
{
    return fstat(fd, st);
}

const FsxSys fsx_sys_real = {
    .open = real_open,
    .close = close,
    .write = write,
    .pread = pread,
    .fsync = fsync,
    .fdatasync = fdatasync,
    .ftruncate = ftruncate,
    .rename = rename,
    .unlink = unlink,
    .mkdir = mkdir,
    .mkstemp = mkstemp,
    .flock = flock,
    .fchmod = fchmod,
    .fchown = fchown,
    .fstat = real_fstat,
    .stat = real_stat,
    .lstat = real_lstat,
};

FsxSys fsx_sys = {
    .open = real_open,
    .close = close,
    .write = write,
    .pread = pread,
    .fsync = fsync,
    .fdatasync = fdatasync,
    .ftruncate = ftruncate,
    .rename = rename,
    .unlink = unlink,
    .mkdir = mkdir,
    .mkstemp = mkstemp,
    .flock = flock,
    .fchmod = fchmod,
    .fchown = fchown,
    .fstat = real_fstat,
    .stat = real_stat,
    .lstat = real_lstat,
};

/* ---- paths --------------------------------------------------------------- */

char *fsx_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

int fsx_fsync_dir(const char *dir)
{
    int fd = fsx_sys.open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int rc = fsx_sys.fsync(fd);
    int e = errno;
    fsx_sys.close(fd);
    if (rc != 0 && e == EINVAL)
        rc = 0;
    errno = e;
    return rc;
}

int fsx_make_dirs(const char *dir, mode_t mode, bool sync, char *failed, size_t cap)
{
    char *buf = strdup(dir);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    int rc = 0;
    size_t n = strlen(buf);
    for (size_t i = 1; i <= n && rc == 0; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char saved = buf[i];
        buf[i] = '\0';
        if (fsx_sys.mkdir(buf, mode) == 0) {
            /* The new directory's name lives in its parent. */
            char *parent = sync ? fsx_dir_of(buf) : NULL;
            if (sync && (!parent || fsx_fsync_dir(parent) != 0)) {
                if (!parent)
                    errno = ENOMEM;
                rc = -1;
            }
            free(parent);
        } else if (errno != EEXIST) {
            /* Some systems say EACCES or EROFS for a directory that exists
             * where we may not write; existing is all we need. */
            struct stat st;
            int e = errno;
            if (fsx_sys.stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
                errno = e;
                rc = -1;
            }
        }
        if (rc != 0 && failed)
            snprintf(failed, cap, "%s", buf);
        buf[i] = saved;
    }
    free(buf);
    return rc;
}

int fsx_open_owned(const char *path, int flags, mode_t mode, const char *what, char *why,
                   size_t cap)
{
    struct stat st;
    bool dir = (flags & O_DIRECTORY) != 0;
    util_format(why, cap, "%s", "");
    int fd = fsx_sys.open(path, flags | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        int e = errno;
        /* O_NOFOLLOW says ELOOP for a link; with O_DIRECTORY some kernels
         * say ENOTDIR first. Either way a link is named as one. */
        if ((e == ELOOP || e == ENOTDIR) && fsx_sys.lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
            util_format(why, cap, "%s is a symbolic link; refusing to write %s through it", path,
                        what);
            e = ELOOP;
        }
        errno = e;
        return -1;
    }
    if (fsx_sys.fstat(fd, &st) != 0) {
        int e = errno;
        fsx_sys.close(fd);
        errno = e;
        return -1;
    }
    int e = 0;
    if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
        util_format(why, cap, "%s is not a %s; refusing to write %s to it", path,
                    dir ? "folder" : "regular file", what);
        e = EINVAL;
    } else if (st.st_uid != geteuid()) {
        util_format(why, cap,
                    "%s is owned by user %u, not by the kiosk's user (%u); refusing to write %s "
                    "to it",
                    path, (unsigned)st.st_uid, (unsigned)geteuid(), what);
        e = EPERM;
    }
    if (e) {
        fsx_sys.close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int fsx_write_all(int fd, const void *p, size_t len)
{
    const char *c = p;
    while (len > 0) {
        ssize_t w = fsx_sys.write(fd, c, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        if (w == 0) {
            errno = ENOSPC; /* a regular file that takes nothing is full */
            return -1;
        }
        c += w;
        len -= (size_t)w;
    }
    return 0;
}

char *fsx_pread_all(int fd, size_t size, size_t *got)
{
    char *buf = malloc(size ? size : 1);
    size_t n = 0;
    if (!buf)
        return NULL;
    while (n < size) {
        ssize_t r = fsx_sys.pread(fd, buf + n, size - n, (off_t)n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            util_wipe(buf, n);
            free(buf);
            errno = e;
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *got = n;
    return buf;
}

/* ---- atomic replace ------------------------------------------------------ */

static void tmp_clear(FsxTmp *t)
{
    t->fd = -1;
    t->name = NULL;
    t->committed = false;
}

/* Both creators: a temporary nobody else has, under name (unique: a fresh
 * name from the template, as mkstemp makes it). */
static int tmp_create(FsxTmp *t, const char *name, bool unique, mode_t mode)
{
    tmp_clear(t);
    char *copy = strdup(name);
    if (!copy) {
        errno = ENOMEM;
        return -1;
    }
    int fd = unique ? fsx_sys.mkstemp(copy)
                    : fsx_sys.open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        int e = errno;
        free(copy);
        errno = e;
        return -1;
    }
    t->fd = fd;
    t->name = copy;
    return 0;
}

int fsx_tmp_create(FsxTmp *t, const char *name, mode_t mode)
{
    return tmp_create(t, name, false, mode);
}

int fsx_tmp_create_unique(FsxTmp *t, const char *templ)
{
    return tmp_create(t, templ, true, 0600);
}

int fsx_tmp_finish(FsxTmp *t, const void *data, size_t len)
{
    if (fsx_write_all(t->fd, data, len) != 0)
        return FSX_STEP_WRITE;
    /* The data must be on disk before the rename gives it the final name:
     * otherwise a power cut (or a stick pulled out) soon after can leave
     * the final name over missing data, as the rename may reach the disk
     * before the contents (ext4's delayed allocation, FAT). */
    if (fsx_sys.fsync(t->fd) != 0)
        return FSX_STEP_FSYNC;
    /* close() is checked because some file systems report a failed
     * write-back only there. */
    int fd = t->fd;
    t->fd = -1;
    if (fsx_sys.close(fd) != 0)
        return FSX_STEP_CLOSE;
    return 0;
}

int fsx_tmp_commit(FsxTmp *t, const char *path)
{
    char *dir = fsx_dir_of(path);
    if (!dir) {
        errno = ENOMEM;
        return FSX_STEP_RENAME;
    }
    int rc = 0;
    if (fsx_sys.rename(t->name, path) != 0) {
        rc = FSX_STEP_RENAME;
    } else {
        t->committed = true;
        /* The rename is an entry in the directory: it survives a power cut
         * only once the directory is on disk too. */
        if (fsx_fsync_dir(dir) != 0)
            rc = FSX_STEP_SYNC_DIR;
    }
    int e = errno;
    free(dir);
    errno = e;
    return rc;
}

void fsx_tmp_discard(FsxTmp *t)
{
    int e = errno;
    if (t->fd >= 0)
        fsx_sys.close(t->fd);
    /* Half-written, or never renamed: it holds nothing the real file needs. */
    if (t->name && !t->committed)
        (void)fsx_sys.unlink(t->name);
    free(t->name);
    tmp_clear(t);
    errno = e;
}

int fsx_replace(const char *path, const char *tmp, const void *data, size_t len, mode_t mode)
{
    FsxTmp t;
    if (fsx_tmp_create(&t, tmp, mode) != 0)
        return FSX_STEP_CREATE;
    /* fchmod because the mode must not depend on the umask. */
    int rc = fsx_sys.fchmod(t.fd, mode) != 0 ? FSX_STEP_MODE : fsx_tmp_finish(&t, data, len);
    if (rc == 0)
        rc = fsx_tmp_commit(&t, path);
    fsx_tmp_discard(&t);
    return rc;
}
