/* imagecache: images already decoded and scaled to the size they are shown,
 * kept on disk so that a slide change reads a few MiB of pixels instead of
 * decoding a 12 MP photo again. Each entry is one file named after a hash
 * of the source's path, identity (size, mtime, inode) and the box it is
 * shown in; it holds a small header, raw 32-bit pixels and a checksum. A
 * corrupt entry is removed and rebuilt; a cache that cannot be written is
 * simply no cache. Nothing here knows SDL: the pixel format is an opaque
 * number the caller gives back to itself. */
#ifndef KIOSK_IMAGECACHE_H
#define KIOSK_IMAGECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imagefile.h"

/* The whole cache on disk. A 1080p slide's picture is 2-4 MiB scaled, so a
 * deck of 12-20 photos at one screen size fits, with room for a second
 * size after a rotation; the SD card is not filled by a cache. */
#define IMAGECACHE_MAX_BYTES ((uint64_t)64 << 20)
/* Largest side of an entry: an 8K screen's full width, which is more than
 * any box on a supported screen. Anything larger in a header is damage. */
#define IMAGECACHE_MAX_SIDE 8192

typedef struct ImageCache ImageCache;

/* Pixels as stored: rows of w 32-bit pixels, no padding (pitch w * 4). */
typedef struct {
    uint32_t w, h;
    uint32_t format; /* the caller's own pixel format number */
    void *pixels;    /* imagecache_get(): the caller frees with free() */
} ImageCachePixels;

/** The default folder: $XDG_CACHE_HOME/kiosk/images, else
 *  $HOME/.cache/kiosk/images. False when neither is set (no cache). */
bool imagecache_default_dir(char *buf, size_t cap);

/** Opens the cache in dir (created with its parents, mode 0700), cleans
 *  left-over temporaries and trims it to max_bytes. NULL when the folder
 *  cannot be made or used, or out of memory: then there is no cache. */
ImageCache *imagecache_open(const char *dir, uint64_t max_bytes);

/** NULL is a no-op. */
void imagecache_close(ImageCache *c);

/** The key of one version of one file shown in a box of box_w x box_h. */
uint64_t imagecache_key(const char *path, const ImageFileId *id, int box_w, int box_h);

/** Reads key's entry into out (pixels malloc'd). Returns true on a hit; a
 *  missing entry is false, a damaged one is removed and false. */
bool imagecache_get(ImageCache *c, uint64_t key, ImageCachePixels *out);

/** Stores an entry (a temporary renamed into place, so readers never see
 *  half of one), then removes the least recently used entries while the
 *  cache is over its size. Returns 0, or -1 when it could not (nothing to
 *  do about it: the image is simply decoded again next time). */
int imagecache_put(ImageCache *c, uint64_t key, const ImageCachePixels *px);

/** Bytes the cache's entries take now (for tests and the staff screen). */
uint64_t imagecache_bytes(ImageCache *c);

#endif
