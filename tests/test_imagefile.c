/* imagefile: what the bytes are and what size their header claims, decided
 * before any decoder sees them; and which files are not opened as images
 * at all (FIFOs, directories, symbolic links, files over the cap). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "files.h"
#include "imagefile.h"

#define PNG_SIG "\x89PNG\r\n\x1a\n"
/* An IHDR chunk's start: length 13, type, width, height (big-endian). */
#define IHDR(w, h) "\0\0\0\x0dIHDR" w h "\x08\x06\0\0\0"

static const struct {
    const char *name;
    const char *bytes;
    size_t len; /* 0: strlen */
    ImageFileKind kind;
    int w, h;
    const char *why; /* a substring of the reason when refused */
} cases[] = {
    {"a PNG", PNG_SIG IHDR("\0\0\x0f\xc0", "\0\0\x0b\xd0"), 29, IMAGEFILE_PNG, 4032, 3024, NULL},
    {"a 20000x20000 PNG", PNG_SIG IHDR("\0\0\x4e\x20", "\0\0\x4e\x20"), 29, IMAGEFILE_NONE, 0, 0,
     "it is 20000x20000 pixels (400 megapixels; the limit is 40)"},
    {"a PNG at the cap", PNG_SIG IHDR("\0\0\x1f\x40", "\0\0\x13\x88"), 29, IMAGEFILE_PNG, 8000,
     5000, NULL},
    {"a PNG just over the cap", PNG_SIG IHDR("\0\0\x1f\x40", "\0\0\x13\x89"), 29, IMAGEFILE_NONE, 0,
     0, "8000x5001"},
    {"a PNG of width 0", PNG_SIG IHDR("\0\0\0\0", "\0\0\0\x10"), 29, IMAGEFILE_NONE, 0, 0,
     "impossible size"},
    {"a PNG cut in its header", PNG_SIG "\0\0\0\x0dIHDR\0\0", 18, IMAGEFILE_NONE, 0, 0,
     "damaged or cut short"},
    {"a JPEG after APP0 and APP1",
     "\xff\xd8\xff\xe0\0\x04JF\xff\xe1\0\x04xx\xff\xdb\0\x03q\xff\xc0\0\x11\x08\x0b\xd0\x0f\xc0"
     "\x03",
     29, IMAGEFILE_JPEG, 4032, 3024, NULL},
    {"a progressive JPEG", "\xff\xd8\xff\xc2\0\x11\x08\0\x10\0\x20\x03", 12, IMAGEFILE_JPEG, 32, 16,
     NULL},
    {"a 65535x65535 JPEG", "\xff\xd8\xff\xc0\0\x11\x08\xff\xff\xff\xff\x03", 12, IMAGEFILE_NONE, 0,
     0, "65535x65535"},
    {"a JPEG with no frame header", "\xff\xd8\xff\xe0\0\x04JF\xff\xda\0\x02", 14, IMAGEFILE_NONE, 0,
     0, "JPEG header is damaged"},
    {"a JPEG cut short", "\xff\xd8\xff\xe0\0\x10JF", 9, IMAGEFILE_NONE, 0, 0, "cut short"},
    {"an SVG", "<svg xmlns='http://www.w3.org/2000/svg' width='400' height='300'/>", 0,
     IMAGEFILE_SVG, 400, 300, NULL},
    {"an SVG's viewBox gives its shape",
     "<svg width=\"100%\" height=\"100%\" viewBox=\"0 0 1600,900\">", 0, IMAGEFILE_SVG, 1600, 900,
     NULL},
    {"an SVG after a prolog",
     "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- Created with Inkscape -->\n"
     "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\" [\n<!ENTITY ns \"a>b\">\n]>\n"
     "<svg\n  width=\"2in\" height=\"1in\">",
     0, IMAGEFILE_SVG, 192, 96, NULL},
    {"an SVG with no size", "<svg xmlns='http://www.w3.org/2000/svg'><rect/></svg>", 0,
     IMAGEFILE_SVG, 0, 0, NULL},
    {"an SVG with an absurd width", "<svg width='1000000' height='1000000' viewBox='0 0 4 3'>", 0,
     IMAGEFILE_NONE, 0, 0, "1000000x1000000 pixels (1000000 megapixels; the limit is 40) by its"},
    {"a large viewBox is coordinates, not pixels", "<svg viewBox='0 0 100000 100000'>", 0,
     IMAGEFILE_SVG, 100000, 100000, NULL},
    {"a huge viewBox drawn small", "<svg width='400' height='300' viewBox='0 0 40000 30000'>", 0,
     IMAGEFILE_SVG, 40000, 30000, NULL},
    {"HTML is not an SVG", "<!DOCTYPE html><html><svg width='1' height='1'/></html>", 0,
     IMAGEFILE_NONE, 0, 0, "not a PNG, JPEG or SVG"},
    {"<svgfoo> is not an SVG", "<svgfoo/>", 0, IMAGEFILE_NONE, 0, 0, "not a PNG"},
    {"a TIFF", "II*\0\x08\0\0\0", 8, IMAGEFILE_NONE, 0, 0,
     "it is a TIFF file, not a PNG, JPEG or SVG"},
    {"a GIF", "GIF89a", 0, IMAGEFILE_NONE, 0, 0, "GIF file"},
    {"a WebP", "RIFF\0\0\0\0WEBPVP8 ", 16, IMAGEFILE_NONE, 0, 0, "WebP file"},
    {"an XCF", "gimp xcf v011", 0, IMAGEFILE_NONE, 0, 0, "XCF file"},
    {"text", "hello", 0, IMAGEFILE_NONE, 0, 0, "it is not a PNG, JPEG or SVG file"},
    {"an empty file", "", 0, IMAGEFILE_NONE, 0, 0, "the file is empty"},
};

static void test_sniff(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].bytes);
        int w = -1, h = -1;
        char why[256] = "";
        ImageFileKind k = imagefile_sniff((const unsigned char *)cases[i].bytes, len, &w, &h, why,
                                          sizeof why);
        bool ok = k == cases[i].kind &&
                  (k == IMAGEFILE_NONE || (w == cases[i].w && h == cases[i].h)) &&
                  (!cases[i].why || strstr(why, cases[i].why));
        if (!ok) {
            fprintf(stderr, "FAIL %s: kind %s %dx%d (%s), expected %s %dx%d (%s)\n", cases[i].name,
                    imagefile_kind_name(k), w, h, why, imagefile_kind_name(cases[i].kind),
                    cases[i].w, cases[i].h, cases[i].why ? cases[i].why : "");
            check_failures++;
        }
    }
}

static char tmpdir[] = "/tmp/test_imagefile.XXXXXX";

static const char *tmp(const char *name)
{
    static char buf[4][512];
    static int n;
    char *b = buf[n++ % 4];
    snprintf(b, 512, "%s/%s", tmpdir, name);
    return b;
}

static void write_file(const char *path, const void *data, size_t len)
{
    CHECK(files_write(path, data, len) == 0);
}

/* Opens and reads path; returns the reason ("" when it passed). */
static const char *try_file(const char *path, ImageFile *f)
{
    static char why[256];
    why[0] = '\0';
    if (imagefile_open(f, path, why, sizeof why) == 0 && imagefile_read(f, why, sizeof why) == 0)
        why[0] = '\0';
    return why;
}

static void test_files(void)
{
    CHECK(mkdtemp(tmpdir) != NULL);
    ImageFile f;
    static const char svg[] = "<svg width='40' height='30'/>";
    write_file(tmp("ok.png"), svg, strlen(svg)); /* named .png, an SVG by content */
    CHECK_STR(try_file(tmp("ok.png"), &f), "");
    CHECK_INT(f.kind, IMAGEFILE_SVG);
    CHECK_INT(f.len, strlen(svg));
    CHECK(f.data && f.data[f.len] == '\0');
    CHECK_INT(f.id.size, strlen(svg));
    imagefile_close(&f);
    imagefile_close(&f); /* twice: a no-op */
    imagefile_close(NULL);

    /* A FIFO with no writer: refused at once, never waited on. */
    CHECK(mkfifo(tmp("photo.png"), 0600) == 0);
    time_t t0 = time(NULL);
    CHECK_STR(try_file(tmp("photo.png"), &f), "it is not a regular file (a FIFO)");
    CHECK(time(NULL) - t0 < 2);
    CHECK(f.fd == -1);
    CHECK_STR(try_file(tmpdir, &f), "it is not a regular file (a directory)");
    CHECK_STR(try_file("/dev/zero", &f), "it is not a regular file (a device)");
    CHECK(symlink(tmp("ok.png"), tmp("link.png")) == 0);
    CHECK_STR(try_file(tmp("link.png"), &f), "it is a symbolic link");
    CHECK_STR(try_file(tmp("none.png"), &f), strerror(ENOENT));

    /* Over the byte cap: refused from its size, nothing read (a sparse
     * file, so the test writes nothing). */
    int fd = open(tmp("big.jpg"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0 && write(fd, "\xff\xd8\xff", 3) == 3 &&
          ftruncate(fd, (off_t)IMAGEFILE_MAX_BYTES + 1) == 0);
    close(fd);
    CHECK_STR(try_file(tmp("big.jpg"), &f), "the file is 33 MiB (the limit is 32 MiB)");
    write_file(tmp("empty.png"), "", 0);
    CHECK_STR(try_file(tmp("empty.png"), &f), "the file is empty");
    imagefile_close(&f);

    const char *names[] = {"ok.png", "photo.png", "link.png", "big.jpg", "empty.png"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(tmp(names[i]));
    rmdir(tmpdir);
}

int main(void)
{
    test_sniff();
    test_files();
    return check_report("test_imagefile");
}
