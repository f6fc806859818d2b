#include "fsx.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
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
        if (mkdir(buf, mode) == 0) {
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
            if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
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

int fsx_write_all(int fd, const void *p, size_t len)
{
    const char *c = p;
    while (len > 0) {
        ssize_t w = write(fd, c, len);
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
        ssize_t r = pread(fd, buf + n, size - n, (off_t)n);
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
