/* imagecache: an entry reads back exactly as written; a damaged, cut or
 * foreign entry is a miss and is removed; the cache stays under its size by
 * dropping the least recently used; a cache that cannot be written is no
 * cache, not a failure. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "imagecache.h"

static char tmpdir[] = "/tmp/test_imagecache.XXXXXX";

static ImageCachePixels pixels(uint32_t w, uint32_t h, uint32_t seed)
{
    uint32_t *p = malloc((size_t)w * h * 4);
    for (size_t i = 0; p && i < (size_t)w * h; i++)
        p[i] = (uint32_t)i * 2654435761u ^ seed;
    return (ImageCachePixels){w, h, 0x16362004u, p};
}

static int count_files(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strstr(e->d_name, suffix) != NULL;
    if (d)
        closedir(d);
    return n;
}

static void entry_name(const char *dir, uint64_t key, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%016llx.img", dir, (unsigned long long)key);
}

/* Damages an entry: one byte changed at off, or cut to len. */
static void damage(const char *path, long off, long cut)
{
    int fd = open(path, O_RDWR);
    CHECK(fd >= 0);
    if (off >= 0) {
        unsigned char b;
        CHECK(pread(fd, &b, 1, off) == 1);
        b ^= 0x40;
        CHECK(pwrite(fd, &b, 1, off) == 1);
    }
    if (cut >= 0)
        CHECK(ftruncate(fd, cut) == 0);
    close(fd);
}

static void test_round_trip_and_damage(const char *dir)
{
    ImageCache *c = imagecache_open(dir, IMAGECACHE_MAX_BYTES);
    CHECK(c != NULL);
    ImageFileId id = {1, 2, 3, 4};
    uint64_t key = imagecache_key("/a/photo.jpg", &id, 800, 600);
    /* Each part of the key matters. */
    ImageFileId newer = {1, 2, 3, 5};
    CHECK(key != imagecache_key("/a/photo.jpg", &newer, 800, 600));
    CHECK(key != imagecache_key("/a/photo.jpg", &id, 800, 601));
    CHECK(key != imagecache_key("/a/other.jpg", &id, 800, 600));

    ImageCachePixels in = pixels(321, 123, 7), out;
    CHECK(!imagecache_get(c, key, &out));
    CHECK_INT(imagecache_put(c, key, &in), 0);
    CHECK(imagecache_get(c, key, &out));
    CHECK_INT(out.w, 321);
    CHECK_INT(out.h, 123);
    CHECK_INT(out.format, in.format);
    CHECK(out.pixels && memcmp(out.pixels, in.pixels, 321 * 123 * 4) == 0);
    free(out.pixels);
    CHECK_INT(count_files(dir, "tmp."), 0);

    /* Damage in the pixels, in the header, a cut: each a miss, and the
     * entry is gone so the next put rebuilds it. */
    char path[600];
    entry_name(dir, key, path, sizeof path);
    const long offs[][2] = {{48 + 5000, -1}, {12, -1}, {-1, 48 + 100}, {-1, 10}};
    for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) {
        damage(path, offs[i][0], offs[i][1]);
        CHECK(!imagecache_get(c, key, &out));
        CHECK(out.pixels == NULL);
        CHECK(access(path, F_OK) != 0);
        CHECK_INT(imagecache_put(c, key, &in), 0);
        CHECK(imagecache_get(c, key, &out));
        free(out.pixels);
    }
    /* An entry under another key's name (a hash collision, a copy). */
    char other[600];
    entry_name(dir, key + 1, other, sizeof other);
    CHECK(rename(path, other) == 0);
    CHECK(!imagecache_get(c, key + 1, &out));

    /* A left-over temporary from a kiosk that died mid-write goes when
     * the cache is next opened, once it is old. */
    char stale[600];
    snprintf(stale, sizeof stale, "%s/tmp.abcdef", dir);
    FILE *f = fopen(stale, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    struct timespec old[2] = {{1000, 0}, {1000, 0}};
    CHECK(utimensat(AT_FDCWD, stale, old, 0) == 0);
    imagecache_close(c);
    c = imagecache_open(dir, IMAGECACHE_MAX_BYTES);
    CHECK(access(stale, F_OK) != 0);
    imagecache_close(c);
    imagecache_close(NULL);
    free(in.pixels);
}

static void test_size_limit(const char *dir)
{
    /* 1 MiB: room for three 300 KiB entries. */
    ImageCache *c = imagecache_open(dir, 1 << 20);
    CHECK(c != NULL);
    ImageFileId id = {1, 2, 3, 4};
    uint64_t keys[6];
    for (int i = 0; i < 6; i++) {
        ImageCachePixels px = pixels(320, 240, (uint32_t)i);
        keys[i] = imagecache_key("/p.png", &id, 100 + i, 100);
        CHECK_INT(imagecache_put(c, keys[i], &px), 0);
        free(px.pixels);
        /* Distinct mtimes, oldest first. */
        char path[600];
        entry_name(dir, keys[i], path, sizeof path);
        struct timespec t[2] = {{2000 + i, 0}, {2000 + i, 0}};
        utimensat(AT_FDCWD, path, t, 0);
        CHECK(imagecache_bytes(c) <= (1 << 20));
    }
    ImageCachePixels out;
    CHECK(!imagecache_get(c, keys[0], &out)); /* the oldest went */
    CHECK(imagecache_get(c, keys[5], &out));
    free(out.pixels);
    /* One entry larger than half the cache is not kept at all. */
    ImageCachePixels big = pixels(600, 600, 9);
    CHECK_INT(imagecache_put(c, 42, &big), -1);
    free(big.pixels);
    imagecache_close(c);
}

static void test_no_cache(void)
{
    /* A folder that cannot be made: no cache, and every call copes. */
    CHECK(imagecache_open("/proc/kiosk-no-such/images", IMAGECACHE_MAX_BYTES) == NULL);
    CHECK(imagecache_open(NULL, IMAGECACHE_MAX_BYTES) == NULL);
    ImageCachePixels out, px = pixels(4, 4, 1);
    CHECK(!imagecache_get(NULL, 1, &out));
    CHECK_INT(imagecache_put(NULL, 1, &px), -1);
    free(px.pixels);

    char buf[512];
    setenv("XDG_CACHE_HOME", "/var/cache/kiosk", 1);
    CHECK(imagecache_default_dir(buf, sizeof buf));
    CHECK_STR(buf, "/var/cache/kiosk/kiosk/images");
    unsetenv("XDG_CACHE_HOME");
    setenv("HOME", "/home/pi", 1);
    CHECK(imagecache_default_dir(buf, sizeof buf));
    CHECK_STR(buf, "/home/pi/.cache/kiosk/images");
    unsetenv("HOME");
    CHECK(!imagecache_default_dir(buf, sizeof buf));
}

int main(void)
{
    CHECK(mkdtemp(tmpdir) != NULL);
    char dir[600], dir2[600];
    snprintf(dir, sizeof dir, "%s/a/kiosk/images", tmpdir);
    snprintf(dir2, sizeof dir2, "%s/b", tmpdir);
    test_round_trip_and_damage(dir);
    test_size_limit(dir2);
    test_no_cache();
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    CHECK_INT(system(cmd), 0);
    return check_report("test_imagecache");
}
