/* imagefile: the checks an image file passes before anything decodes it.
 * It must be a regular file (a FIFO or a device never blocks the kiosk), no
 * larger than the byte cap, a PNG, JPEG or SVG by its content (not its
 * name), and its header must not claim more pixels than the pixel cap. No
 * SDL here: these are plain bytes, tested without a display. */
#ifndef KIOSK_IMAGEFILE_H
#define KIOSK_IMAGEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest image file read. A 12 MP phone photo is 3-8 MiB as JPEG and a
 * large PNG screenshot ~10 MiB; anything bigger is a mistake (a RAW file, a
 * print-resolution scan) that would only be read to be refused. */
#define IMAGEFILE_MAX_BYTES ((size_t)32 << 20)
/* SVGs are small drawings (the bundled ones are 4-27 KiB); nanosvg keeps
 * every path of one in memory while parsing, so a huge one costs far more
 * than its size. */
#define IMAGEFILE_MAX_SVG_BYTES ((size_t)4 << 20)
/* The most pixels a header may claim. A 4032x3024 phone photo is 12 MP and
 * a 48 MP phone's full-size photo 8000x6000; 40 MP decodes to 160 MiB at 4
 * bytes a pixel, which a Raspberry Pi with 1 GiB can still afford once,
 * while a 20000x20000 PNG of a few KiB would need 1.6 GiB. */
#define IMAGEFILE_MAX_PIXELS 40000000LL
/* How far into an SVG its <svg> tag may start: after an XML declaration,
 * comments and a DOCTYPE (Illustrator's carries a few entities). */
#define IMAGEFILE_SVG_PROLOG_BYTES 8192

typedef enum { IMAGEFILE_NONE, IMAGEFILE_PNG, IMAGEFILE_JPEG, IMAGEFILE_SVG } ImageFileKind;

/* What identifies one version of a file, for cache keys. */
typedef struct {
    uint64_t dev, ino, size;
    int64_t mtime_ns;
} ImageFileId;

typedef struct {
    int fd; /* -1 when closed */
    ImageFileId id;
    ImageFileKind kind;
    /* The size to fit the picture by: a PNG's or JPEG's pixels, an SVG's
     * viewBox (else its width and height); 0 when an SVG says neither. */
    int w, h;
    unsigned char *data; /* after imagefile_read(): the whole file plus a NUL */
    size_t len;
} ImageFile;

/** Opens path read-only without blocking or following a final symbolic
 *  link, and checks that it is a regular file within the byte cap. Returns
 *  0, or -1 with the reason in why (f is then closed). */
int imagefile_open(ImageFile *f, const char *path, char *why, size_t whylen);

/** Reads the opened file and checks its content: kind, header, pixels.
 *  Returns 0 with f->data, kind, w and h set, or -1 with the reason in why. */
int imagefile_read(ImageFile *f, char *why, size_t whylen);

/** Frees the data and closes the file. Closed or zeroed f: a no-op. */
void imagefile_close(ImageFile *f);

/** The pure check behind imagefile_read: what the bytes are and the size
 *  their header claims. Returns the kind, or IMAGEFILE_NONE with why. */
ImageFileKind imagefile_sniff(const unsigned char *data, size_t len, int *w, int *h, char *why,
                              size_t whylen);

/** "PNG", "JPEG", "SVG" or "unknown". */
const char *imagefile_kind_name(ImageFileKind kind);

#endif
