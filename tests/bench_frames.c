/* bench_frames: part of the on-demand benchmark (tests/bench.sh), not a test.
 *
 * Default mode: the time of one frame in the middle of a slide transition,
 * drawn by the kiosk's own renderer (render_frame + SDL_RenderPresent) with
 * SDL's software renderer, for each transition kind and screen size. Runs on
 * SDL's offscreen driver unless SDL_VIDEODRIVER says otherwise (x11 under
 * Xvfb also presents to a window, as the kiosk does). Prints one line per
 * measurement:
 *
 *   frame kind=fade size=1920x1080 frames=200 avg_ms=... p50_ms=... p95_ms=...
 *         max_ms=... render_avg_ms=... present_avg_ms=...
 *
 * kind is fade or slide (the kiosk), none (a standing slide redrawn), and
 * floor-copy / floor-fade: the least SDL's software renderer can do for the
 * same picture (one opaque full-screen copy; an opaque copy plus an
 * alpha-modulated one), with no clear, no chrome.
 *
 * --floor: the smallest SDL2 program that shows one slide the way the kiosk
 * does (same hints, fullscreen, software renderer, one line of SDL_ttf text),
 * for comparing start-up time and memory. Presents one frame, then exits, or
 * waits --hold SECONDS first (so its memory can be read).
 *
 * usage: bench_frames [--data DIR] [--deck FILE] [--frames N] [--sizes WxH,WxH]
 *        bench_frames --floor [--font FILE] [--hold SECONDS] [--size WxH]
 */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "deck.h"
#include "deckload.h"
#include "diag.h"
#include "render.h"
#include "text.h"

#define BENCH_MAX_FRAMES 10000
#define BENCH_MAX_SIZES 8

typedef struct {
    const char *data_dir;
    const char *deck_path;
    const char *font;
    int frames;
    int nsizes;
    int w[BENCH_MAX_SIZES], h[BENCH_MAX_SIZES];
    bool floor;
    double hold_s;
    int floor_w, floor_h; /* 0: fullscreen, as the kiosk */
} Options;

static double now_ms(void)
{
    return (double)SDL_GetPerformanceCounter() * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static bool parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X'))
        return false;
    const char *second = end + 1;
    long b = strtol(second, &end, 10);
    if (end == second || (*end != '\0' && *end != ','))
        return false;
    if (a < 64 || b < 64 || a > 8192 || b > 8192)
        return false;
    *w = (int)a;
    *h = (int)b;
    return true;
}

static void set_hints(void)
{
    /* As kiosk/shell.c does for the software renderer. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
}

/* ---- the floor -------------------------------------------------------- */

static int run_floor(const Options *o)
{
    set_hints();
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "bench_frames: SDL_Init: %s\n", SDL_GetError());
        return 3;
    }
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    int w = o->floor_w, h = o->floor_h;
    if (!w) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
        w = 1280;
        h = 800;
    }
    SDL_Window *win = SDL_CreateWindow("floor", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w,
                                       h, flags);
    SDL_Renderer *ren = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    if (!ren || TTF_Init() != 0) {
        fprintf(stderr, "bench_frames: %s\n", SDL_GetError());
        return 3;
    }
    SDL_GetRendererOutputSize(ren, &w, &h);
    TTF_Font *font = TTF_OpenFont(o->font, h / 14 > 8 ? h / 14 : 8);
    if (!font) {
        fprintf(stderr, "bench_frames: %s: %s\n", o->font, TTF_GetError());
        return 3;
    }
    SDL_Surface *s = TTF_RenderUTF8_Blended(font, "Microneedling for acne scars",
                                            (SDL_Color){0x2B, 0x2A, 0x28, 255});
    SDL_Texture *t = s ? SDL_CreateTextureFromSurface(ren, s) : NULL;
    SDL_SetRenderDrawColor(ren, 0xF7, 0xF3, 0xEE, 255);
    SDL_RenderClear(ren);
    if (t) {
        SDL_Rect dst = {(w - s->w) / 2, (h - s->h) / 2, s->w, s->h};
        SDL_RenderCopy(ren, t, NULL, &dst);
    }
    SDL_RenderPresent(ren);
    /* bench.sh passes the wall time it started us at: process start to
     * first frame, without the time the process takes to exit. */
    const char *started = SDL_getenv("BENCH_T0_NS");
    struct timespec ts;
    if (started && timespec_get(&ts, TIME_UTC)) {
        double start_ms = strtod(started, NULL) / 1e6;
        double now = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
        printf("floor first_frame_ms=%.1f\n", now - start_ms);
        fflush(stdout);
    }
    if (o->hold_s > 0) {
        /* Stay up like a standing slide: asleep until the time is over. */
        Uint64 end = SDL_GetTicks64() + (Uint64)(o->hold_s * 1000);
        for (Uint64 t0; (t0 = SDL_GetTicks64()) < end;) {
            SDL_Event ev;
            if (SDL_WaitEventTimeout(&ev, (int)(end - t0)) && ev.type == SDL_QUIT)
                break;
        }
    }
    if (t)
        SDL_DestroyTexture(t);
    SDL_FreeSurface(s);
    TTF_CloseFont(font);
    TTF_Quit();
    SDL_DestroyRenderer(ren);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return 0;
}

/* ---- transition frames ------------------------------------------------ */

typedef struct {
    double total[BENCH_MAX_FRAMES];
    double render_sum, present_sum;
    int n;
} Samples;

static void report(const char *kind, int w, int h, Samples *s)
{
    double sum = 0;
    for (int i = 0; i < s->n; i++)
        sum += s->total[i];
    qsort(s->total, (size_t)s->n, sizeof s->total[0], cmp_double);
    int n = s->n, p95 = n * 95 / 100 < n ? n * 95 / 100 : n - 1;
    printf("frame kind=%s size=%dx%d frames=%d avg_ms=%.3f p50_ms=%.3f p95_ms=%.3f max_ms=%.3f "
           "render_avg_ms=%.3f present_avg_ms=%.3f\n",
           kind, w, h, n, sum / n, s->total[n / 2], s->total[p95], s->total[n - 1],
           s->render_sum / n, s->present_sum / n);
    fflush(stdout);
}

/* Frames in the middle of a transition from slide 0 to slide 1, at times
 * spread over the whole transition. */
static void measure_kiosk(Render *render, SDL_Renderer *ren, App *app, const char *kind, int frames,
                          Samples *s)
{
    int ms = app->deck->timing.transition_ms > 1 ? app->deck->timing.transition_ms : 300;
    memset(s, 0, sizeof *s);
    for (int i = 0; i < frames; i++) {
        if (strcmp(kind, "none") == 0) {
            app->from_slide = app->slide = 1;
            app->trans_dir = 0;
        } else {
            app->from_slide = 0;
            app->slide = 1;
            app->trans_dir = 1;
        }
        app->trans_start = 0;
        uint64_t now = 1 + (uint64_t)(i % (ms - 1));
        double t0 = now_ms();
        render_frame(render, app, now);
        double t1 = now_ms();
        SDL_RenderPresent(ren);
        double t2 = now_ms();
        s->total[s->n++] = t2 - t0;
        s->render_sum += t1 - t0;
        s->present_sum += t2 - t1;
    }
}

static SDL_Texture *solid_texture(SDL_Renderer *ren, int w, int h, Uint8 r, Uint8 g, Uint8 b)
{
    SDL_Texture *t = SDL_CreateTexture(ren, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_TARGET, w, h);
    if (!t)
        return NULL;
    SDL_SetRenderTarget(ren, t);
    SDL_SetRenderDrawColor(ren, r, g, b, 255);
    SDL_RenderClear(ren);
    SDL_SetRenderDrawColor(ren, (Uint8)(255 - r), (Uint8)(255 - g), (Uint8)(255 - b), 255);
    SDL_Rect stripe = {w / 8, h / 4, w / 2, h / 8};
    SDL_RenderFillRect(ren, &stripe);
    SDL_SetRenderTarget(ren, NULL);
    return t;
}

/* What SDL's software renderer costs at the least for the same pictures. */
static void measure_floor(SDL_Renderer *ren, int w, int h, bool fade, int frames, Samples *s)
{
    SDL_Texture *a = solid_texture(ren, w, h, 0xF7, 0xF3, 0xEE);
    SDL_Texture *b = solid_texture(ren, w, h, 0x1F, 0x5F, 0x5B);
    memset(s, 0, sizeof *s);
    if (!a || !b)
        goto out;
    SDL_SetTextureBlendMode(a, SDL_BLENDMODE_NONE);
    SDL_SetTextureBlendMode(b, SDL_BLENDMODE_BLEND);
    for (int i = 0; i < frames; i++) {
        double t0 = now_ms();
        SDL_RenderCopy(ren, a, NULL, NULL);
        if (fade) {
            SDL_SetTextureAlphaMod(b, (Uint8)(1 + i % 254));
            SDL_RenderCopy(ren, b, NULL, NULL);
        }
        double t1 = now_ms();
        SDL_RenderPresent(ren);
        double t2 = now_ms();
        s->total[s->n++] = t2 - t0;
        s->render_sum += t1 - t0;
        s->present_sum += t2 - t1;
    }
out:
    if (a)
        SDL_DestroyTexture(a);
    if (b)
        SDL_DestroyTexture(b);
}

static int run_size(const Options *o, Deck *deck, TextFonts *fonts, int w, int h)
{
    SDL_Window *win = SDL_CreateWindow("bench_frames", SDL_WINDOWPOS_CENTERED,
                                       SDL_WINDOWPOS_CENTERED, w, h, SDL_WINDOW_BORDERLESS);
    SDL_Renderer *ren = win ? SDL_CreateRenderer(win, -1,
                                                 SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE)
                            : NULL;
    if (!ren) {
        fprintf(stderr, "bench_frames: cannot open a %dx%d window: %s\n", w, h, SDL_GetError());
        return 3;
    }
    /* Let a real window (x11) appear and settle before timing. */
    for (int i = 0; i < 5; i++) {
        SDL_PumpEvents();
        SDL_Delay(10);
    }
    int ow, oh;
    SDL_GetRendererOutputSize(ren, &ow, &oh);
    if (ow != w || oh != h)
        fprintf(stderr, "bench_frames: asked for %dx%d, got %dx%d\n", w, h, ow, oh);
    char err[256];
    Render *render = render_create(ren, fonts, err, sizeof err);
    if (!render) {
        fprintf(stderr, "bench_frames: %s\n", err);
        return 3;
    }
    render_set_deck(render, deck);
    static App app; /* large; keep it off the stack */
    app_init(&app, deck, ow, oh, 0);

    /* Warm up as the kiosk would have: slides 0 and 1 drawn once each, so
     * their textures are cached; a transition frame only copies. */
    for (int s = 0; s < 2 && (size_t)s < deck->slide_count; s++) {
        app.slide = app.from_slide = s;
        app.trans_dir = 0;
        render_frame(render, &app, 0);
        SDL_RenderPresent(ren);
    }
    if (deck->slide_count < 2) {
        fprintf(stderr, "bench_frames: the deck needs at least two slides\n");
        return 3;
    }

    static Samples s;
    TransitionKind saved = deck->timing.transition;
    const struct {
        const char *name;
        TransitionKind kind;
    } kinds[] = {{"fade", TRANSITION_FADE}, {"slide", TRANSITION_SLIDE}, {"none", saved}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        deck->timing.transition = kinds[k].kind; /* the renderer reads it every frame */
        measure_kiosk(render, ren, &app, kinds[k].name, 10, &s); /* warm-up */
        measure_kiosk(render, ren, &app, kinds[k].name, o->frames, &s);
        report(kinds[k].name, ow, oh, &s);
    }
    deck->timing.transition = saved;
    render_destroy(render);

    measure_floor(ren, ow, oh, false, o->frames, &s);
    if (s.n)
        report("floor-copy", ow, oh, &s);
    measure_floor(ren, ow, oh, true, o->frames, &s);
    if (s.n)
        report("floor-fade", ow, oh, &s);

    SDL_DestroyRenderer(ren);
    SDL_DestroyWindow(win);
    return 0;
}

static int run_frames(const Options *o)
{
    if (!SDL_getenv("SDL_VIDEODRIVER"))
        SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
    set_hints();
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "bench_frames: SDL_Init: %s\n", SDL_GetError());
        return 3;
    }
    IMG_Init(IMG_INIT_PNG | IMG_INIT_JPG);
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions load = {.data_dir = o->data_dir};
    Deck *deck = deck_load(o->deck_path, &load, &diags);
    if (diag_count(&diags, DIAG_ERROR))
        diag_print(&diags, stderr); /* missing images: drawn as placeholders */
    diag_clear(&diags);
    if (!deck) {
        fprintf(stderr, "bench_frames: cannot load %s\n", o->deck_path);
        return 1;
    }
    char err[512];
    TextFonts *fonts = text_open_deck(deck, o->data_dir, err, sizeof err);
    if (!fonts) {
        fprintf(stderr, "bench_frames: %s\n", err);
        deck_free(deck);
        return 3;
    }
    printf("video_driver=%s deck=%s transition_ms=%d\n", SDL_GetCurrentVideoDriver(), o->deck_path,
           deck->timing.transition_ms);
    int rc = 0;
    for (int i = 0; i < o->nsizes && rc == 0; i++)
        rc = run_size(o, deck, fonts, o->w[i], o->h[i]);
    text_close(fonts);
    deck_free(deck);
    IMG_Quit();
    TTF_Quit();
    SDL_Quit();
    return rc;
}

/* ---- command line ----------------------------------------------------- */

static int usage(void)
{
    fprintf(stderr,
            "usage: bench_frames [--data DIR] [--deck FILE] [--frames N] [--sizes WxH,WxH]\n"
            "       bench_frames --floor [--font FILE] [--hold SECONDS] [--size WxH]\n"
            "DIR defaults to $KIOSK_DATA_DIR, FILE to DIR/slides/microneedling.yaml.\n");
    return 2;
}

int main(int argc, char **argv)
{
    static char deck_buf[4096], font_buf[4096];
    Options o = {.frames = 200};
    o.data_dir = getenv("KIOSK_DATA_DIR");
#ifdef BENCH_SOURCE_DIR
    if (!o.data_dir || !*o.data_dir)
        o.data_dir = BENCH_SOURCE_DIR;
#endif
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--floor") == 0) {
            o.floor = true;
            continue;
        }
        if (!v)
            return usage();
        i++;
        if (strcmp(a, "--data") == 0) {
            o.data_dir = v;
        } else if (strcmp(a, "--deck") == 0) {
            o.deck_path = v;
        } else if (strcmp(a, "--font") == 0) {
            o.font = v;
        } else if (strcmp(a, "--frames") == 0) {
            o.frames = atoi(v);
            if (o.frames < 10 || o.frames > BENCH_MAX_FRAMES)
                return usage();
        } else if (strcmp(a, "--hold") == 0) {
            o.hold_s = atof(v);
        } else if (strcmp(a, "--size") == 0) {
            if (!parse_size(v, &o.floor_w, &o.floor_h))
                return usage();
        } else if (strcmp(a, "--sizes") == 0) {
            o.nsizes = 0;
            for (const char *p = v; p && *p && o.nsizes < BENCH_MAX_SIZES; o.nsizes++) {
                if (!parse_size(p, &o.w[o.nsizes], &o.h[o.nsizes]))
                    return usage();
                p = strchr(p, ',');
                p = p ? p + 1 : NULL;
            }
        } else {
            return usage();
        }
    }
    if (!o.data_dir || !*o.data_dir)
        o.data_dir = ".";
    if (!o.deck_path) {
        snprintf(deck_buf, sizeof deck_buf, "%s/slides/microneedling.yaml", o.data_dir);
        o.deck_path = deck_buf;
    }
    if (!o.font) {
        snprintf(font_buf, sizeof font_buf, "%s/fonts/AtkinsonHyperlegible-Regular.ttf",
                 o.data_dir);
        o.font = font_buf;
    }
    if (!o.nsizes) {
        o.nsizes = 2;
        o.w[0] = 1920, o.h[0] = 1080;
        o.w[1] = 1280, o.h[1] = 800;
    }
    return o.floor ? run_floor(&o) : run_frames(&o);
}
