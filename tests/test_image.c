/* image: hostile image files cannot take the kiosk down. A deck built here
 * at run time names a PNG whose header claims 20000x20000, a real
 * 20000x20000 PNG of a few hundred KiB (all-zero rows, deflated), a TIFF
 * named .png, a FIFO named photo.png, a symbolic link and a path leading
 * out of the deck's folder, a JPEG cut short, an empty file, an SVG with an
 * absurd width and a 40 MiB file; and a real 4032x3024 photo, which must
 * show. Each bad one is refused with its reason before it is decoded; the
 * real kiosk renders every slide in bounded memory and time, and --check
 * names every bad image at its line. */
#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <turbojpeg.h>
#include <unistd.h>

#include "check.h"
#include "files.h"
#include "image.h"
#include "imagecache.h"

/* The kiosk's peak memory rendering the hostile deck: its usual ~60 MiB
 * and room to spare, far below the 1.6 GiB one of these images asked for.
 * AddressSanitizer's shadow memory and quarantine take more. */
#if defined(__SANITIZE_ADDRESS__)
#define TEST_MAX_RSS_KIB (300 * 1024)
#else
#define TEST_MAX_RSS_KIB (200 * 1024)
#endif
/* A few seconds here; the machines that run the tests are shared. */
#define TEST_MAX_SECONDS 60

static char tmpdir[] = "/tmp/test_image.XXXXXX";

static const char *tmp(const char *name)
{
    static char buf[8][600];
    static int n;
    char *b = buf[n++ % 8];
    snprintf(b, 600, "%s/%s", tmpdir, name);
    return b;
}

static void write_file(const char *path, const void *data, size_t len)
{
    CHECK(files_write(path, data, len) == 0);
}

/* ---- PNG by hand -------------------------------------------------------- */

typedef struct {
    unsigned char *p;
    size_t len, cap;
} Buf;

static void put(Buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void put32(Buf *b, uint32_t v)
{
    unsigned char be[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 8), (unsigned char)v};
    put(b, be, 4);
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static void chunk(Buf *b, const char *type, const unsigned char *data, size_t n)
{
    put32(b, (uint32_t)n);
    size_t start = b->len;
    put(b, type, 4);
    if (n)
        put(b, data, n);
    put32(b, crc32_of(b->p + start, n + 4));
}

/* Bits into a deflate stream, least significant first. */
typedef struct {
    Buf *b;
    uint32_t acc;
    int n;
} Bits;

static void bits(Bits *w, uint32_t v, int n)
{
    w->acc |= v << w->n;
    w->n += n;
    while (w->n >= 8) {
        unsigned char c = (unsigned char)w->acc;
        put(w->b, &c, 1);
        w->acc >>= 8;
        w->n -= 8;
    }
}

/* A fixed-Huffman code, most significant bit first. */
static void code(Bits *w, uint32_t c, int n)
{
    for (int i = n - 1; i >= 0; i--)
        bits(w, (c >> i) & 1, 1);
}

/* A zlib stream of n zero bytes: one literal 0, then copies of 258 bytes
 * at distance 1 (13 bits each), then literals. ~1/160 of n. */
static void zlib_zeros(Buf *b, uint64_t n)
{
    unsigned char head[2] = {0x78, 0x01};
    put(b, head, 2);
    Bits w = {b, 0, 0};
    bits(&w, 1, 1); /* final block */
    bits(&w, 1, 2); /* fixed Huffman */
    uint64_t left = n;
    if (left) {
        code(&w, 0x30, 8); /* literal 0 */
        left--;
    }
    for (; left >= 258; left -= 258) {
        code(&w, 0xC5, 8); /* length 258 (code 285) */
        code(&w, 0, 5);    /* distance 1 */
    }
    for (; left; left--)
        code(&w, 0x30, 8);
    code(&w, 0, 7); /* end of block */
    bits(&w, 0, 7); /* flush */
    /* Adler-32 of zeros: a stays 1, b adds it n times. */
    put32(b, (uint32_t)((n % 65521) << 16 | 1));
}

/* A real greyscale PNG of w x h black pixels at 1 bit a pixel. With
 * header_only, just the signature and a header claiming that size. */
static void write_png(const char *path, uint32_t w, uint32_t h, bool header_only)
{
    Buf b = {0};
    put(&b, "\x89PNG\r\n\x1a\n", 8);
    unsigned char ihdr[13] = {0};
    Buf hb = {ihdr, 0, 13};
    put32(&hb, w);
    put32(&hb, h);
    ihdr[8] = 1; /* bit depth; colour type 0: grey */
    chunk(&b, "IHDR", ihdr, 13);
    if (!header_only) {
        Buf z = {0};
        zlib_zeros(&z, (uint64_t)h * (1 + (w + 7) / 8));
        chunk(&b, "IDAT", z.p, z.len);
        chunk(&b, "IEND", NULL, 0);
        free(z.p);
    }
    write_file(path, b.p, b.len);
    free(b.p);
}

/* ---- JPEG by TurboJPEG -------------------------------------------------- */

/* A w x h gradient as JPEG; keep is how many bytes of it to write. */
static size_t write_jpeg(const char *path, int w, int h, double keep)
{
    unsigned char *rgb = malloc((size_t)w * h * 3), *jpeg = NULL;
    unsigned long len = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned char *p = rgb + ((size_t)y * w + x) * 3;
            p[0] = (unsigned char)(x * 255 / w);
            p[1] = (unsigned char)(y * 255 / h);
            p[2] = (unsigned char)((x ^ y) & 0xFF);
        }
    tjhandle tj = tjInitCompress();
    CHECK(tj && tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &jpeg, &len, TJSAMP_420, 85, 0) == 0);
    write_file(path, jpeg, (size_t)(len * keep));
    tjFree(jpeg);
    tjDestroy(tj);
    free(rgb);
    return (size_t)(len * keep);
}

/* ---- the deck ------------------------------------------------------------ */

/* One slide per image, in this order; each slide is two lines, the first
 * at line 2 + 2 * i. why: a substring of what --check and the log say. */
static const struct {
    const char *image;
    const char *why; /* NULL: shows */
} images[] = {
    {"images/huge-header.png", "it is 20000x20000 pixels (400 megapixels; the limit is 40)"},
    {"images/huge-zeros.png", "it is 20000x20000 pixels"},
    {"images/tiff.png", "it is a TIFF file, not a PNG, JPEG or SVG"},
    {"images/photo.png", "not found"}, /* a FIFO: the loader says so, nothing opens it */
    {"images/escape.png", "is outside the deck's folder"},
    {"../../../etc/passwd", "is outside the deck's folder"},
    {"images/truncated.jpg", "the JPEG cannot be decoded"},
    {"images/empty.png", "the file is empty"},
    {"images/absurd.svg", "it is 1000000x2000 pixels (2000 megapixels; the limit is 40)"},
    {"images/big.png", "the file is 41 MiB (the limit is 32 MiB)"},
    {"images/good.jpg", NULL},
    {"images/good.png", NULL},
};
#define IMAGES (sizeof images / sizeof images[0])

static void make_deck(void)
{
    CHECK(mkdir(tmp("deck"), 0700) == 0 && mkdir(tmp("deck/images"), 0700) == 0);
    write_png(tmp("deck/images/huge-header.png"), 20000, 20000, true);
    write_png(tmp("deck/images/huge-zeros.png"), 20000, 20000, false);
    write_png(tmp("deck/images/good.png"), 640, 480, false);
    write_file(tmp("deck/images/tiff.png"), "II*\0\x08\0\0\0\0\0\0\0\0\0\0\0", 16);
    CHECK(mkfifo(tmp("deck/images/photo.png"), 0600) == 0);
    CHECK(symlink("/etc/passwd", tmp("deck/images/escape.png")) == 0);
    write_jpeg(tmp("deck/images/truncated.jpg"), 640, 480, 0.6);
    write_file(tmp("deck/images/empty.png"), "", 0);
    static const char svg[] = "<?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg' "
                              "width='1000000' height='2000'><rect width='10' height='10'/></svg>";
    write_file(tmp("deck/images/absurd.svg"), svg, strlen(svg));
    int fd = open(tmp("deck/images/big.png"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0 && write(fd, "\x89PNG\r\n\x1a\n", 8) == 8 && ftruncate(fd, 41 << 20) == 0);
    close(fd);
    write_jpeg(tmp("deck/images/good.jpg"), 4032, 3024, 1.0);

    char yaml[4096] = "slides:\n";
    for (size_t i = 0; i < IMAGES; i++) {
        char s[300];
        snprintf(s, sizeof s, "  - title: Image %zu\n    image: %s\n", i + 1, images[i].image);
        strcat(yaml, s);
    }
    write_file(tmp("deck/deck.yaml"), yaml, strlen(yaml));
}

/* ---- in process -------------------------------------------------------- */

static void test_load(void)
{
    ImageCache *cache = imagecache_open(tmp("cache"), IMAGECACHE_MAX_BYTES);
    CHECK(cache != NULL);
    for (size_t i = 0; i < IMAGES; i++) {
        char path[700], why[512] = "";
        snprintf(path, sizeof path, "%s/%s", tmp("deck"), images[i].image);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        SDL_Surface *s = image_load(path, 800, 480, cache, why, sizeof why);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (!images[i].why) {
            CHECK(s != NULL);
            if (!s) {
                fprintf(stderr, "%s: %s\n", images[i].image, why);
                continue;
            }
            /* Scaled to the box already: 4:3 in 800x480 is 640x480. */
            CHECK_INT(s->w, 640);
            CHECK_INT(s->h, 480);
            CHECK_INT(s->format->format, SDL_PIXELFORMAT_XRGB8888);
            /* Read back from the disk cache: the same pixels. */
            SDL_Surface *again = image_load(path, 800, 480, cache, why, sizeof why);
            CHECK(again && again->w == s->w && again->h == s->h &&
                  memcmp(again->pixels, s->pixels, (size_t)s->pitch * s->h) == 0);
            SDL_FreeSurface(again);
            SDL_FreeSurface(s);
            continue;
        }
        CHECK(s == NULL);
        SDL_FreeSurface(s);
        /* The loader refuses escape.png and photo.png before the renderer
         * sees them; opened anyway, they are refused here too. */
        const char *want = strcmp(images[i].image, "images/photo.png") == 0
                               ? "it is not a regular file (a FIFO)"
                           : strcmp(images[i].image, "images/escape.png") == 0
                               ? "it is a symbolic link"
                           : images[i].image[0] == '.' ? "" /* /etc/passwd: not an image */
                                                       : images[i].why;
        if (!strstr(why, want)) {
            fprintf(stderr, "FAIL %s: \"%s\", expected \"%s\"\n", images[i].image, why, want);
            check_failures++;
        }
        /* Refused from its header: no time spent decoding. */
        if (ms > 1000) {
            fprintf(stderr, "FAIL %s took %.0f ms to refuse\n", images[i].image, ms);
            check_failures++;
        }
    }
    /* A bundled drawing: rasterised at the box's size, transparency kept. */
    char why[512] = "";
    SDL_Surface *svg = image_load(TEST_SOURCE_DIR "/images/title.svg", 800, 480, NULL, why,
                                  sizeof why);
    CHECK(svg != NULL);
    if (svg) {
        CHECK_INT(svg->w, 640); /* 400x300 in 800x480 */
        CHECK_INT(svg->h, 480);
        CHECK_INT(svg->format->format, SDL_PIXELFORMAT_ARGB8888);
        Uint32 corner = *(Uint32 *)svg->pixels;
        CHECK(corner >> 24 < 255); /* the drawing's background is see-through */
    }
    SDL_FreeSurface(svg);
    imagecache_close(cache);
}

/* ---- the real kiosk ------------------------------------------------------ */

typedef struct {
    int status;
    long maxrss_kib;
    double seconds;
} Run;

static Run run_kiosk(const char *const argv[], const char *log)
{
    Run r = {-1, 0, 0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 1);
        dup2(fd, 2);
        setenv("XDG_CACHE_HOME", tmp("xdg-cache"), 1);
        execv(KIOSK_BIN, (char *const *)argv);
        _exit(127);
    }
    struct rusage ru;
    int st = 0;
    if (pid > 0 && wait4(pid, &st, 0, &ru) == pid) {
        r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        r.maxrss_kib = ru.ru_maxrss;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r.seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    return r;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s = calloc(1, 1 << 20);
    if (f && s)
        s[fread(s, 1, (1 << 20) - 1, f)] = '\0';
    if (f)
        fclose(f);
    return s;
}

static void test_kiosk_renders(void)
{
    const char *argv[] = {KIOSK_BIN, "--screenshot",        tmp("shots"), "--size",
                          "800x480", tmp("deck/deck.yaml"), NULL};
    for (int pass = 0; pass < 2; pass++) { /* cold, then warm disk cache */
        Run r = run_kiosk(argv, tmp("shots.log"));
        printf("screenshots of the hostile deck (%s cache): exit %d, %.2f s, peak RSS %ld MiB\n",
               pass ? "warm" : "cold", r.status, r.seconds, r.maxrss_kib / 1024);
        CHECK_INT(r.status, 0);
        CHECK(r.maxrss_kib > 0 && r.maxrss_kib < TEST_MAX_RSS_KIB);
        CHECK(r.seconds < TEST_MAX_SECONDS);
    }
    char *log = slurp(tmp("shots.log"));
    /* The log names each bad file that reached the renderer, with why. */
    for (size_t i = 0; log && i < IMAGES; i++) {
        const char *name = strrchr(images[i].image, '/') + 1;
        char *at = strstr(log, name);
        bool loader = strstr(images[i].why ? images[i].why : "", "not found") ||
                      strstr(images[i].why ? images[i].why : "", "outside");
        if (!images[i].why || loader) {
            if (images[i].why == NULL && at && strstr(at, "cannot be shown")) {
                fprintf(stderr, "FAIL %s is refused:\n%s\n", name, log);
                check_failures++;
            }
            continue;
        }
        if (!at || !strstr(at, images[i].why)) {
            fprintf(stderr, "FAIL the log does not say why %s is refused:\n%s\n", name, log);
            check_failures++;
        }
    }
    free(log);
    /* Every slide was written. */
    for (size_t i = 0; i < IMAGES; i++) {
        char png[700];
        snprintf(png, sizeof png, "%s/%02zu-image-%zu.png", tmp("shots"), i + 1, i + 1);
        if (access(png, F_OK) != 0) {
            fprintf(stderr, "FAIL %s was not written\n", png);
            check_failures++;
        }
    }
}

static void test_check_names_them(void)
{
    const char *argv[] = {KIOSK_BIN, "--check", tmp("deck/deck.yaml"), NULL};
    Run r = run_kiosk(argv, tmp("check.log"));
    printf("--check of the hostile deck: exit %d, %.2f s, peak RSS %ld MiB\n", r.status, r.seconds,
           r.maxrss_kib / 1024);
    CHECK(r.status != 0); /* images outside the deck's folder are errors */
    CHECK(r.maxrss_kib > 0 && r.maxrss_kib < TEST_MAX_RSS_KIB);
    char *log = slurp(tmp("check.log"));
    const char *deck = tmp("deck/deck.yaml");
    for (size_t i = 0; log && i < IMAGES; i++) {
        if (!images[i].why)
            continue;
        /* The loader's at the image's value, the decode check's at the
         * slide. */
        bool loader = strstr(images[i].why, "not found") || strstr(images[i].why, "outside");
        char where[800];
        snprintf(where, sizeof where, "%s:%zu:%d: %s: ", deck, 2 + 2 * i + (loader ? 1 : 0),
                 loader ? 12 : 5, loader ? "error" : "warning");
        char *at = strstr(log, where);
        char *eol = at ? strchr(at, '\n') : NULL;
        if (eol)
            *eol = '\0';
        if (!at || !strstr(at, images[i].image) || !strstr(at, images[i].why)) {
            fprintf(stderr, "FAIL --check does not name %s at %s with \"%s\":\n%s\n",
                    images[i].image, where, images[i].why, at ? at : log);
            check_failures++;
        }
        if (eol)
            *eol = '\n';
    }
    /* The good ones are not named. */
    CHECK(log && !strstr(log, "good.jpg") && !strstr(log, "good.png"));
    /* One whole line, exactly. */
    char want[1200];
    snprintf(want, sizeof want,
             "%s:4:5: warning: slide 2's image '%s/images/huge-zeros.png' cannot be shown: it is "
             "20000x20000 pixels (400 megapixels; the limit is 40) (expected a PNG, JPEG or SVG of "
             "at most 32 MiB and 40 megapixels; the kiosk shows a placeholder)\n",
             deck, tmp("deck"));
    if (log && !strstr(log, want)) {
        fprintf(stderr, "FAIL --check does not say:\n%s\nit says:\n%s\n", want, log);
        check_failures++;
    }
    free(log);
}

int main(void)
{
    if (!mkdtemp(tmpdir) || SDL_Init(0) != 0)
        return 1;
    make_deck();
    test_load();
    test_kiosk_renders();
    test_check_names_them();
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    /* KIOSK_TEST_KEEP: keep the deck and screenshots to look at. */
    if (!check_failures && !getenv("KIOSK_TEST_KEEP"))
        CHECK_INT(system(cmd), 0);
    else
        fprintf(stderr, "kept %s\n", tmpdir);
    SDL_Quit();
    return check_report("test_image");
}
