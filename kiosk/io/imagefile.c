/* imagefile: an image file's checks before decoding: a regular file, within
 * the byte cap, PNG/JPEG/SVG by content, within the pixel cap by header. */
#include "imagefile.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsx.h"

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

const char *imagefile_kind_name(ImageFileKind kind)
{
    switch (kind) {
    case IMAGEFILE_PNG:
        return "PNG";
    case IMAGEFILE_JPEG:
        return "JPEG";
    case IMAGEFILE_SVG:
        return "SVG";
    case IMAGEFILE_NONE:
        break;
    }
    return "unknown";
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool too_many_pixels(double w, double h, char *why, size_t whylen)
{
    if (w * h <= (double)IMAGEFILE_MAX_PIXELS)
        return false;
    snprintf(why, whylen, "it is %.0fx%.0f pixels (%.0f megapixels; the limit is %lld)", w, h,
             w * h / 1e6, IMAGEFILE_MAX_PIXELS / 1000000);
    return true;
}

static ImageFileKind sniff_png(const unsigned char *d, size_t len, int *w, int *h, char *why,
                               size_t whylen)
{
    /* The IHDR chunk comes first: length 13, type, width, height. */
    if (len < 24 || be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0) {
        snprintf(why, whylen, "its PNG header is damaged or cut short");
        return IMAGEFILE_NONE;
    }
    uint32_t pw = be32(d + 16), ph = be32(d + 20);
    if (pw == 0 || ph == 0 || pw > 0x7FFFFFFF || ph > 0x7FFFFFFF) {
        snprintf(why, whylen, "its PNG header claims an impossible size %ux%u", pw, ph);
        return IMAGEFILE_NONE;
    }
    if (too_many_pixels(pw, ph, why, whylen))
        return IMAGEFILE_NONE;
    *w = (int)pw;
    *h = (int)ph;
    return IMAGEFILE_PNG;
}

/* Walks the marker segments up to the frame header (SOFn). */
static ImageFileKind sniff_jpeg(const unsigned char *d, size_t len, int *w, int *h, char *why,
                                size_t whylen)
{
    size_t i = 2;
    while (i < len) {
        if (d[i] != 0xFF)
            break;
        while (i < len && d[i] == 0xFF)
            i++; /* fill bytes */
        if (i >= len)
            break;
        unsigned m = d[i++];
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue; /* markers without a length */
        if (m == 0xD9 || m == 0xDA)
            break; /* end of image or image data before any frame header */
        if (i + 2 > len)
            break;
        size_t seg = (size_t)d[i] << 8 | d[i + 1];
        if (seg < 2)
            break;
        bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof) {
            if (i + 7 > len)
                break;
            unsigned jh = (unsigned)d[i + 3] << 8 | d[i + 4],
                     jw = (unsigned)d[i + 5] << 8 | d[i + 6];
            if (jw == 0 || jh == 0) {
                snprintf(why, whylen, "its JPEG header gives no size");
                return IMAGEFILE_NONE;
            }
            if (too_many_pixels(jw, jh, why, whylen))
                return IMAGEFILE_NONE;
            *w = (int)jw;
            *h = (int)jh;
            return IMAGEFILE_JPEG;
        }
        i += seg;
    }
    snprintf(why, whylen, "its JPEG header is damaged or cut short");
    return IMAGEFILE_NONE;
}

static const char *skip_past(const char *p, const char *end, const char *what)
{
    size_t n = strlen(what);
    for (; p + n <= end; p++)
        if (memcmp(p, what, n) == 0)
            return p + n;
    return NULL;
}

/* Past an XML declaration, comments, processing instructions and a DOCTYPE
 * (with its internal subset in brackets): where the root tag should be. */
static const char *svg_root(const char *p, const char *end)
{
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p && p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            p = skip_past(p + 4, end, "-->");
        } else if (end - p >= 2 && memcmp(p, "<?", 2) == 0) {
            p = skip_past(p + 2, end, "?>");
        } else if (end - p >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0) {
            int depth = 0;
            for (p += 9; p < end && (*p != '>' || depth > 0); p++)
                depth += *p == '[' ? 1 : *p == ']' ? -1 : 0;
            p = p < end ? p + 1 : NULL;
        } else {
            return p;
        }
    }
    return NULL;
}

/* The value of attribute name inside the tag [tag, end), copied to buf. */
static bool svg_attr(const char *tag, const char *end, const char *name, char *buf, size_t cap)
{
    size_t n = strlen(name);
    for (const char *p = tag; p + n + 2 < end; p++) {
        if ((p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n' && p[-1] != '\r') ||
            memcmp(p, name, n) != 0)
            continue;
        const char *q = p + n;
        while (q < end && *q == ' ')
            q++;
        if (q >= end || *q != '=')
            continue;
        q++;
        while (q < end && *q == ' ')
            q++;
        if (q >= end || (*q != '"' && *q != '\''))
            continue;
        const char *close = memchr(q + 1, *q, (size_t)(end - q - 1));
        if (!close)
            return false;
        size_t len = (size_t)(close - q - 1);
        if (len >= cap)
            len = cap - 1;
        memcpy(buf, q + 1, len);
        buf[len] = '\0';
        return true;
    }
    return false;
}

/* A length as nanosvg reads it at 96 dpi; 0 for none or a percentage. */
static double svg_length(const char *s)
{
    char *unit;
    double v = strtod(s, &unit);
    if (unit == s || !isfinite(v) || v <= 0)
        return 0;
    static const struct {
        const char *unit;
        double px;
    } units[] = {{"", 1},           {"px", 1},  {"pt", 96.0 / 72}, {"pc", 16}, {"mm", 96 / 25.4},
                 {"cm", 96 / 2.54}, {"in", 96}, {"em", 16},        {"ex", 8}};
    while (*unit == ' ')
        unit++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i].unit) == 0)
            return v * units[i].px;
    return 0;
}

/* A viewBox's width and height: four numbers apart by spaces or commas. */
static bool view_box(const char *s, double *w, double *h)
{
    double v[4];
    for (int i = 0; i < 4; i++) {
        while (*s == ' ' || *s == ',' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        char *end;
        v[i] = strtod(s, &end);
        if (end == s || !isfinite(v[i]))
            return false;
        s = end;
    }
    *w = v[2];
    *h = v[3];
    return v[2] > 0 && v[3] > 0;
}

static ImageFileKind sniff_svg(const unsigned char *d, size_t len, int *w, int *h, char *why,
                               size_t whylen)
{
    const char *text = (const char *)d, *end = text + len;
    if (len > IMAGEFILE_MAX_SVG_BYTES) {
        snprintf(why, whylen, "it is an SVG of %zu KiB (the limit for an SVG is %zu KiB)",
                 len >> 10, IMAGEFILE_MAX_SVG_BYTES >> 10);
        return IMAGEFILE_NONE;
    }
    const char *tag_end = NULL;
    for (const char *p = text + 5; p < end && *p != '<'; p++) {
        if (*p == '>') {
            tag_end = p;
            break;
        }
    }
    /* Attribute values may hold '>' only when quoted; the <svg> tag of a
     * real drawing does not, so the first '>' ends it. */
    if (!tag_end)
        tag_end = end;
    char val[128];
    double dw = 0, dh = 0, vw = 0, vh = 0;
    if (svg_attr(text + 4, tag_end, "width", val, sizeof val))
        dw = svg_length(val);
    if (svg_attr(text + 4, tag_end, "height", val, sizeof val))
        dh = svg_length(val);
    if (svg_attr(text + 4, tag_end, "viewBox", val, sizeof val) && !view_box(val, &vw, &vh))
        vw = vh = 0;
    /* The size it asks to be drawn at, which any viewer (and SDL_image
     * when not told a size) would allocate: over the cap it is a broken
     * export. The kiosk itself always rasterises at the shown size, so a
     * large viewBox (coordinates, not pixels) is fine. */
    double rw = dw > 0 ? dw : vw, rh = dh > 0 ? dh : vh;
    if (dw > 0 && dh > 0 && too_many_pixels(dw, dh, why, whylen)) {
        snprintf(why + strlen(why), whylen - strlen(why), " by its width and height");
        return IMAGEFILE_NONE;
    }
    /* Its shape: the viewBox, as the drawing is scaled to it. */
    double fw = vw > 0 ? vw : rw, fh = vw > 0 ? vh : rh;
    if (fw > 0 && fh > 0 && fw < 1e6 && fh < 1e6 && fw / fh < 1e4 && fh / fw < 1e4) {
        *w = (int)ceil(fw);
        *h = (int)ceil(fh);
    } else {
        *w = *h = 0;
    }
    return IMAGEFILE_SVG;
}

/* A few formats people try, named so the message says what the file is. */
static const char *other_format(const unsigned char *d, size_t len)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *name;
    } known[] = {{"II*\0", 4, "TIFF"}, {"MM\0*", 4, "TIFF"},   {"GIF8", 4, "GIF"},
                 {"BM", 2, "BMP"},     {"gimp xcf", 8, "XCF"}, {"%PDF", 4, "PDF"},
                 {"8BPS", 4, "PSD"},   {"\0\0\1\0", 4, "ICO"}, {"qoif", 4, "QOI"}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (len >= known[i].len && memcmp(d, known[i].magic, known[i].len) == 0)
            return known[i].name;
    if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
        return "WebP";
    if (len >= 12 && memcmp(d + 4, "ftyp", 4) == 0)
        return "HEIC/AVIF";
    if (len >= 128 && d[0] == 0x0A && d[1] <= 5 && d[2] == 1)
        return "PCX";
    return NULL;
}

ImageFileKind imagefile_sniff(const unsigned char *data, size_t len, int *w, int *h, char *why,
                              size_t whylen)
{
    *w = *h = 0;
    if (len == 0) {
        snprintf(why, whylen, "the file is empty");
        return IMAGEFILE_NONE;
    }
    if (len >= 8 && memcmp(data, png_sig, 8) == 0)
        return sniff_png(data, len, w, h, why, whylen);
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        return sniff_jpeg(data, len, w, h, why, whylen);
    size_t window = len < IMAGEFILE_SVG_PROLOG_BYTES ? len : IMAGEFILE_SVG_PROLOG_BYTES;
    const char *root = svg_root((const char *)data, (const char *)data + window);
    if (root && (const char *)data + len - root > 5 && memcmp(root, "<svg", 4) == 0 &&
        strchr(" \t\r\n>/", root[4]))
        return sniff_svg((const unsigned char *)root, len - (size_t)(root - (const char *)data), w,
                         h, why, whylen);
    const char *other = other_format(data, len);
    if (other)
        snprintf(why, whylen, "it is a %s file, not a PNG, JPEG or SVG", other);
    else
        snprintf(why, whylen, "it is not a PNG, JPEG or SVG file");
    return IMAGEFILE_NONE;
}

int imagefile_open(ImageFile *f, const char *path, char *why, size_t whylen)
{
    *f = (ImageFile){.fd = -1};
    /* O_NONBLOCK: opening a FIFO with no writer would wait for ever. A
     * final symbolic link is refused: the deck loader hands over the path
     * it resolved and confined to the deck's folder, so a link here was
     * put there since. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
    if (fd < 0) {
        snprintf(why, whylen, "%s", errno == ELOOP ? "it is a symbolic link" : strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "it is not a regular file (%s)",
                 S_ISDIR(st.st_mode)                          ? "a directory"
                 : S_ISFIFO(st.st_mode)                       ? "a FIFO"
                 : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                              : "a socket");
        close(fd);
        return -1;
    }
    if ((uint64_t)st.st_size > IMAGEFILE_MAX_BYTES) {
        snprintf(why, whylen, "the file is %lld MiB (the limit is %zu MiB)",
                 (long long)((st.st_size + (1 << 20) - 1) >> 20), IMAGEFILE_MAX_BYTES >> 20);
        close(fd);
        return -1;
    }
    f->fd = fd;
    f->id = (ImageFileId){(uint64_t)st.st_dev, (uint64_t)st.st_ino, (uint64_t)st.st_size,
                          (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec};
    return 0;
}

int imagefile_read(ImageFile *f, char *why, size_t whylen)
{
    /* The size fstat gave (within the cap), plus one byte to notice a file
     * that grew since, which also leaves room for a NUL so an SVG is a C
     * string. */
    size_t size = (size_t)f->id.size, got = 0;
    char *data = fsx_pread_all(f->fd, size + 1, &got);
    if (!data) {
        snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    if (got > size) {
        snprintf(why, whylen, "the file grew while it was read");
        free(data);
        return -1;
    }
    data[got] = '\0';
    f->data = (unsigned char *)data;
    f->len = got;
    f->kind = imagefile_sniff(f->data, f->len, &f->w, &f->h, why, whylen);
    return f->kind == IMAGEFILE_NONE ? -1 : 0;
}

void imagefile_close(ImageFile *f)
{
    if (!f)
        return;
    free(f->data);
    if (f->fd >= 0)
        close(f->fd);
    *f = (ImageFile){.fd = -1};
}
