/* imagecache: scaled images on disk, one checked file per image and box,
 * the least recently used removed past a size. */
#include "imagecache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsx.h"

/* Bump when the header or the way images are scaled changes, so entries
 * written by an older kiosk are rebuilt rather than shown. */
#define IMAGECACHE_VERSION 1u
#define IMAGECACHE_SUFFIX ".img"
/* A temporary older than this was left by a kiosk that died mid-write. */
#define IMAGECACHE_STALE_TMP_S 600
/* A hit marks its entry used (its mtime) at most this often, so showing a
 * slide does not write to the SD card every time. */
#define IMAGECACHE_TOUCH_S 3600

static const char imagecache_magic[8] = {'K', 'I', 'O', 'S', 'K', 'I', 'M', 'G'};

/* Native byte order: the cache never leaves the machine that wrote it. */
typedef struct {
    char magic[8];
    uint32_t version, w, h, format;
    uint64_t key, checksum, bytes;
} Header;

struct ImageCache {
    char *dir;
    uint64_t max_bytes;
};

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

/* Word at a time: ~10x faster than bytewise FNV on a few MiB of pixels;
 * it guards against torn or damaged files, not against an attacker. */
static uint64_t checksum(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325ULL ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, b + i, 8);
        h = (h ^ v) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    return fnv1a(h, b + i, n - i);
}

bool imagecache_default_dir(char *buf, size_t cap)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, cap, "%s/kiosk/images", xdg);
    else if (home && home[0] == '/')
        n = snprintf(buf, cap, "%s/.cache/kiosk/images", home);
    else
        return false;
    return n > 0 && (size_t)n < cap;
}

uint64_t imagecache_key(const char *path, const ImageFileId *id, int box_w, int box_h)
{
    uint64_t h = fnv1a(0xcbf29ce484222325ULL, path, strlen(path) + 1);
    uint64_t parts[] = {id->dev,
                        id->ino,
                        id->size,
                        (uint64_t)id->mtime_ns,
                        (uint64_t)(uint32_t)box_w,
                        (uint64_t)(uint32_t)box_h,
                        IMAGECACHE_VERSION};
    return fnv1a(h, parts, sizeof parts);
}

static void entry_path(const ImageCache *c, uint64_t key, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%016llx" IMAGECACHE_SUFFIX, c->dir, (unsigned long long)key);
}

/* Entries by age, for trimming. */
typedef struct {
    char name[32];
    int64_t mtime;
    uint64_t bytes;
} Entry;

static int by_age(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

/* Removes stale temporaries, then the oldest entries until the rest fit in
 * budget. Returns the bytes left. */
static uint64_t trim(ImageCache *c, uint64_t budget)
{
    DIR *d = opendir(c->dir);
    if (!d)
        return 0;
    Entry *list = NULL;
    size_t n = 0, cap = 0;
    uint64_t total = 0;
    time_t now = time(NULL);
    struct dirent *e;
    int dfd = dirfd(d);
    while ((e = readdir(d))) {
        struct stat st;
        if (e->d_name[0] == '.' || fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "tmp.", 4) == 0) {
            if (now - st.st_mtime > IMAGECACHE_STALE_TMP_S)
                unlinkat(dfd, e->d_name, 0);
            continue;
        }
        if (len >= sizeof list->name || len < 5 ||
            strcmp(e->d_name + len - 4, IMAGECACHE_SUFFIX) != 0)
            continue; /* not ours: left alone */
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            Entry *more = realloc(list, ncap * sizeof *list);
            if (!more)
                break;
            list = more;
            cap = ncap;
        }
        memcpy(list[n].name, e->d_name, len + 1);
        list[n].mtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
        list[n].bytes = (uint64_t)st.st_blocks * 512;
        total += list[n].bytes;
        n++;
    }
    if (total > budget && n) {
        qsort(list, n, sizeof *list, by_age);
        for (size_t i = 0; i < n && total > budget; i++)
            if (unlinkat(dfd, list[i].name, 0) == 0)
                total -= list[i].bytes;
    }
    free(list);
    closedir(d);
    return total;
}

ImageCache *imagecache_open(const char *dir, uint64_t max_bytes)
{
    if (!dir || fsx_make_dirs(dir, 0700, false, NULL, 0) != 0 || access(dir, W_OK | X_OK) != 0)
        return NULL;
    ImageCache *c = calloc(1, sizeof *c);
    if (!c || !(c->dir = strdup(dir))) {
        free(c);
        return NULL;
    }
    c->max_bytes = max_bytes;
    trim(c, max_bytes);
    return c;
}

void imagecache_close(ImageCache *c)
{
    if (!c)
        return;
    free(c->dir);
    free(c);
}

uint64_t imagecache_bytes(ImageCache *c)
{
    return c ? trim(c, UINT64_MAX) : 0;
}

bool imagecache_get(ImageCache *c, uint64_t key, ImageCachePixels *out)
{
    *out = (ImageCachePixels){0};
    if (!c)
        return false;
    char path[4096];
    entry_path(c, key, path, sizeof path);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return false;
    Header h;
    struct stat st;
    void *px = NULL;
    bool ok = false, keep = false; /* keep: not damaged, only no memory */
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h)
        goto done;
    uint64_t bytes = (uint64_t)h.w * h.h * 4;
    if (memcmp(h.magic, imagecache_magic, 8) != 0 || h.version != IMAGECACHE_VERSION ||
        h.key != key || h.w == 0 || h.h == 0 || h.w > IMAGECACHE_MAX_SIDE ||
        h.h > IMAGECACHE_MAX_SIDE || h.bytes != bytes || (uint64_t)st.st_size != sizeof h + bytes)
        goto done;
    size_t got = 0;
    px = malloc(bytes);
    if (!px) {
        keep = true;
        goto done;
    }
    for (ssize_t r; got < bytes; got += (size_t)r) {
        r = pread(fd, (char *)px + got, bytes - got, (off_t)(sizeof h + got));
        if (r < 0 && errno == EINTR) {
            r = 0;
            continue;
        }
        if (r <= 0)
            goto done;
    }
    if (checksum(px, bytes) != h.checksum)
        goto done;
    ok = true;
    *out = (ImageCachePixels){h.w, h.h, h.format, px};
    px = NULL;
    if (time(NULL) - st.st_mtime > IMAGECACHE_TOUCH_S)
        futimens(fd, NULL); /* used: the last to be trimmed */
done:
    free(px);
    close(fd);
    if (!ok && !keep)
        unlink(path); /* damaged or stale: rebuilt on the next put */
    return ok;
}

int imagecache_put(ImageCache *c, uint64_t key, const ImageCachePixels *px)
{
    if (!c || px->w == 0 || px->h == 0 || px->w > IMAGECACHE_MAX_SIDE ||
        px->h > IMAGECACHE_MAX_SIDE)
        return -1;
    uint64_t bytes = (uint64_t)px->w * px->h * 4;
    /* One entry may not push out half of the others. */
    if (bytes + sizeof(Header) > c->max_bytes / 2)
        return -1;
    Header h = {.version = IMAGECACHE_VERSION,
                .w = px->w,
                .h = px->h,
                .format = px->format,
                .key = key,
                .checksum = checksum(px->pixels, bytes),
                .bytes = bytes};
    memcpy(h.magic, imagecache_magic, 8);
    char templ[4096], path[4096];
    snprintf(templ, sizeof templ, "%s/tmp.XXXXXX", c->dir);
    entry_path(c, key, path, sizeof path);
    /* No fsync: after a power cut a torn entry fails its size or checksum
     * and is rebuilt, and syncing would only wear the SD card. */
    int fd = mkstemp(templ);
    if (fd < 0)
        return -1;
    int rc = fsx_write_all(fd, &h, sizeof h) == 0 && fsx_write_all(fd, px->pixels, bytes) == 0 ? 0
                                                                                               : -1;
    if (close(fd) != 0)
        rc = -1;
    if (rc == 0 && rename(templ, path) != 0)
        rc = -1;
    if (rc != 0)
        unlink(templ);
    else
        trim(c, c->max_bytes);
    return rc;
}
