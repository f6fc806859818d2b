/* Rendering through SDL's offscreen driver and software renderer: every
 * screen renders and is not blank at the sizes we support, a tap pushed as
 * real SDL finger events advances exactly one slide, a pressed button
 * changes on the very next frame, and a missing image is a placeholder. */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "check.h"
#include "deck.h"
#include "deckload.h"
#include "input.h"
#include "render.h"
#include "text.h"

typedef struct {
    SDL_Window *win;
    SDL_Renderer *ren;
    TextFonts *fonts;
    Render *render;
    Deck *deck;
    App app;
    InputState in;
} Rig;

static Deck *load_file(const char *path)
{
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR};
    Deck *d = deck_load(path, &opts, &diags);
    diag_clear(&diags);
    return d;
}

static Deck *load_string(const char *yaml)
{
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR};
    Deck *d = deck_load_string(TEST_SOURCE_DIR "/slides/t.yaml", yaml, strlen(yaml), &opts, &diags);
    diag_clear(&diags);
    return d;
}

static int rig_open(Rig *r, Deck *deck, int w, int h)
{
    memset(r, 0, sizeof *r);
    r->deck = deck;
    r->win = SDL_CreateWindow("test", 0, 0, w, h, SDL_WINDOW_HIDDEN);
    r->ren = r->win ? SDL_CreateRenderer(r->win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    char err[256];
    r->fonts = deck ? text_open_deck(deck, TEST_SOURCE_DIR, err, sizeof err) : NULL;
    r->render = r->fonts ? render_create(r->ren, r->fonts, err, sizeof err) : NULL;
    if (!r->render) {
        fprintf(stderr, "rig: %s\n", SDL_GetError());
        return -1;
    }
    render_set_deck(r->render, deck);
    app_init(&r->app, deck, w, h, 0);
    r->in.w = w;
    r->in.h = h;
    return 0;
}

static void rig_close(Rig *r)
{
    render_destroy(r->render);
    text_close(r->fonts);
    if (r->ren)
        SDL_DestroyRenderer(r->ren);
    if (r->win)
        SDL_DestroyWindow(r->win);
}

static Uint32 pixel(SDL_Surface *s, int x, int y)
{
    return *(Uint32 *)((Uint8 *)s->pixels + y * s->pitch + x * 4);
}

static SDL_Surface *grab(Rig *r)
{
    int w, h;
    SDL_GetRendererOutputSize(r->ren, &w, &h);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_RenderReadPixels(r->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
    return s;
}

static void frame(Rig *r, uint64_t now)
{
    render_frame(r->render, &r->app, now);
    SDL_RenderPresent(r->ren);
}

/* Pushes an event through SDL's queue and the real input path. */
static void push(Rig *r, SDL_Event *ev, uint64_t now)
{
    SDL_PushEvent(ev);
    SDL_Event got;
    while (SDL_PollEvent(&got)) {
        Input in;
        if (input_translate(&r->in, &got, &in))
            app_update(&r->app, &in, now);
    }
}

static void finger(Rig *r, Uint32 type, float x, float y, uint64_t now)
{
    SDL_Event ev = {0};
    ev.type = type;
    ev.tfinger.touchId = 1;
    ev.tfinger.fingerId = 7;
    ev.tfinger.x = x;
    ev.tfinger.y = y;
    push(r, &ev, now);
    /* What SDL synthesizes from a touch: must be ignored. */
    if (type != SDL_FINGERMOTION) {
        SDL_Event m = {0};
        m.type = type == SDL_FINGERDOWN ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP;
        m.button.which = SDL_TOUCH_MOUSEID;
        m.button.button = SDL_BUTTON_LEFT;
        m.button.x = (int)(x * r->in.w);
        m.button.y = (int)(y * r->in.h);
        push(r, &m, now);
    }
}

static void test_one_tap_one_slide(void)
{
    Deck *d = load_file(TEST_SOURCE_DIR "/slides/microneedling.yaml");
    Rig r;
    CHECK(d && rig_open(&r, d, 800, 480) == 0);
    if (!d)
        return;
    frame(&r, 0);
    finger(&r, SDL_FINGERDOWN, 0.8f, 0.4f, 100);
    finger(&r, SDL_FINGERUP, 0.8f, 0.4f, 180);
    CHECK_INT(r.app.slide, 1);
    /* A second finger while the first is down is ignored. */
    finger(&r, SDL_FINGERDOWN, 0.8f, 0.4f, 1000);
    SDL_Event ev = {0};
    ev.type = SDL_FINGERDOWN;
    ev.tfinger.fingerId = 8;
    ev.tfinger.x = 0.1f;
    ev.tfinger.y = 0.4f;
    push(&r, &ev, 1010);
    ev.type = SDL_FINGERUP;
    push(&r, &ev, 1020);
    finger(&r, SDL_FINGERUP, 0.8f, 0.4f, 1050);
    CHECK_INT(r.app.slide, 2);
    /* A real mouse click (staff at a laptop) works too, once. */
    SDL_Event m = {0};
    m.type = SDL_MOUSEBUTTONDOWN;
    m.button.which = 0;
    m.button.button = SDL_BUTTON_LEFT;
    m.button.x = 700;
    m.button.y = 200;
    push(&r, &m, 2000);
    m.type = SDL_MOUSEBUTTONUP;
    push(&r, &m, 2050);
    CHECK_INT(r.app.slide, 3);
    rig_close(&r);
    deck_free(d);
}

static void test_press_shows_next_frame(void)
{
    Deck *d = load_file(TEST_SOURCE_DIR "/slides/microneedling.yaml");
    Rig r;
    CHECK(d && rig_open(&r, d, 800, 480) == 0);
    if (!d)
        return;
    ChromeLayout c;
    layout_chrome(d, 800, 480, &c);
    frame(&r, 0);
    SDL_Surface *before = grab(&r);
    float fx = (c.next.x + c.next.w / 2.0f) / 800, fy = (c.next.y + 6) / 480.0f;
    finger(&r, SDL_FINGERDOWN, fx, fy, 100);
    CHECK_INT(r.app.pressed.kind, HIT_NEXT);
    CHECK(r.app.dirty);
    frame(&r, 100);
    SDL_Surface *after = grab(&r);
    /* The button's face changes colour on the first frame after touch. */
    int x = c.next.x + c.next.w / 8, y = c.next.y + c.next.h / 2;
    CHECK(pixel(before, x, y) != pixel(after, x, y));
    SDL_FreeSurface(before);
    SDL_FreeSurface(after);
    rig_close(&r);
    deck_free(d);
}

static void test_missing_image_placeholder(void)
{
    Deck *d = load_string("slides:\n  - title: Gone\n    text: The picture is missing.\n"
                          "    image: images/no-such-picture.png\n"
                          "  - title: Broken\n    image: " TEST_SOURCE_DIR "/tests/check.h\n"
                          "    text: Not an image at all.\n");
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK(d->slides[0].image_missing);
    Rig r;
    CHECK(rig_open(&r, d, 1280, 800) == 0);
    frame(&r, 0);
    r.app.slide = 1;
    frame(&r, 0);
    CHECK(render_missing_images(r.render) >= 2);
    rig_close(&r);
    deck_free(d);
}

static int count_colours(SDL_Surface *s)
{
    /* Distinct colours in a sample: a blank screen has one. */
    Uint32 seen[64];
    int n = 0;
    for (int y = 0; y < s->h && n < 64; y += 7)
        for (int x = 0; x < s->w && n < 64; x += 5) {
            Uint32 p = pixel(s, x, y);
            bool known = false;
            for (int i = 0; i < n; i++)
                known = known || seen[i] == p;
            if (!known)
                seen[n++] = p;
        }
    return n;
}

static void test_screenshots(void)
{
    Deck *d = load_file(TEST_SOURCE_DIR "/slides/microneedling.yaml");
    CHECK(d != NULL);
    if (!d)
        return;
    static const char *sizes[] = {"800x480", "1920x1080", "1080x1920"};
    for (size_t k = 0; k < 3; k++) {
        char dir[512], cmd[1200];
        snprintf(dir, sizeof dir, "%s/shots-%s", TEST_BINARY_DIR, sizes[k]);
        snprintf(cmd, sizeof cmd, "rm -rf '%s' && '%s' --screenshot '%s' --size %s >/dev/null", dir,
                 KIOSK_BIN, dir, sizes[k]);
        CHECK_INT(system(cmd), 0);
        DIR *dh = opendir(dir);
        CHECK(dh != NULL);
        if (!dh)
            continue;
        struct dirent *e;
        int files = 0;
        while ((e = readdir(dh))) {
            if (!strstr(e->d_name, ".png"))
                continue;
            files++;
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            SDL_Surface *raw = IMG_Load(path);
            SDL_Surface *s = raw ? SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0)
                                 : NULL;
            CHECK(s != NULL);
            if (s) {
                int w, h;
                sscanf(sizes[k], "%dx%d", &w, &h);
                CHECK_INT(s->w, w);
                CHECK_INT(s->h, h);
                if (count_colours(s) < 8) {
                    fprintf(stderr, "%s looks blank\n", path);
                    check_failures++;
                }
            }
            SDL_FreeSurface(s);
            SDL_FreeSurface(raw);
        }
        closedir(dh);
        /* Every slide, then the form (empty, typing, errors, filled), both
         * thank-you screens, the PIN pad and the staff screen. */
        CHECK_INT(files, (int)d->slide_count + 8);
    }
    deck_free(d);
}

/* Pixels in the middle of a key (its rounded corners left out) that are
 * not the key's own fill: a key with a label or an icon has some. */
static int ink_in_key(SDL_Surface *s, const KeyBox *k)
{
    const Uint32 fill = pixel(s, k->x + k->w / 2, k->y + 2);
    int n = 0;
    for (int y = k->y + k->h / 4; y < k->y + k->h * 3 / 4; y++)
        for (int x = k->x + k->w / 6; x < k->x + k->w * 5 / 6; x++)
            n += pixel(s, x, y) != fill;
    return n;
}

/* The space bar says "space" (the deck's word), and the phone keypad has
 * no blank key: every key there shows a digit, a sign or an icon. */
static void test_keyboard_keys_labelled(void)
{
    Deck *d = load_file(TEST_SOURCE_DIR "/slides/microneedling.yaml");
    CHECK(d != NULL);
    if (!d)
        return;
    Rig r;
    CHECK(rig_open(&r, d, 1280, 800) == 0);
    app_preview(&r.app, APP_PREVIEW_FORM_TYPING);
    frame(&r, 0);
    SDL_Surface *s = grab(&r);
    int space = -1;
    for (int i = 0; i < r.app.kb.count; i++)
        if (r.app.kb.keys[i].icon == KEY_ICON_SPACE)
            space = i;
    CHECK(space >= 0);
    if (space >= 0 && ink_in_key(s, &r.app.kb.keys[space]) < 50) {
        fprintf(stderr, "the space bar shows no label\n");
        check_failures++;
    }
    SDL_FreeSurface(s);

    /* The phone field, by a tap, as a client would. */
    FormLayout fl;
    app_preview(&r.app, APP_PREVIEW_FORM_EMPTY);
    app_form_layout(&r.app, &fl);
    const float fx = (fl.box[1].x + fl.box[1].w / 2.0f) / 1280, fy = (fl.box[1].y + 4.0f) / 800;
    finger(&r, SDL_FINGERDOWN, fx, fy, 1000);
    finger(&r, SDL_FINGERUP, fx, fy, 1090);
    frame(&r, 1200);
    CHECK_INT(r.app.kb.page, KB_PAGE_PHONE);
    s = grab(&r);
    for (int i = 0; i < r.app.kb.count; i++) {
        const KeyBox *k = &r.app.kb.keys[i];
        if (ink_in_key(s, k) < 20) {
            fprintf(stderr, "phone key %d ('%s') looks blank\n", i, k->label);
            check_failures++;
        }
    }
    SDL_FreeSurface(s);
    rig_close(&r);
    deck_free(d);
}

/* Switching language and text size with real finger events redraws the
 * slide at once in the new view: the slide textures are not stale. */
static void test_view_switch_redraws(void)
{
    Deck *d = load_file(TEST_SOURCE_DIR "/slides/microneedling.yaml");
    Rig r;
    CHECK(d && d->lang_count == 2 && rig_open(&r, d, 800, 480) == 0);
    if (!d || d->lang_count != 2)
        return;
    frame(&r, 0);
    SDL_Surface *en = grab(&r);
    ViewButtons vb;
    layout_slide_view_buttons(r.app.deck, 800, 480, &vb);
    float fx = (vb.lang[1].x + vb.lang[1].w / 2.0f) / 800,
          fy = (vb.lang[1].y + vb.lang[1].h / 2.0f) / 480;
    finger(&r, SDL_FINGERDOWN, fx, fy, 100);
    finger(&r, SDL_FINGERUP, fx, fy, 180);
    CHECK_STR(r.app.deck->lang_code, "es");
    frame(&r, 200);
    SDL_Surface *es = grab(&r);
    /* The title's row differs: "Microneedling para..." is not the English. */
    int differ = 0;
    for (int y = 60; y < 240; y += 3)
        for (int x = 20; x < 400; x += 3)
            differ += pixel(en, x, y) != pixel(es, x, y);
    CHECK(differ > 100);
    layout_slide_view_buttons(r.app.deck, 800, 480, &vb);
    fx = (vb.larger.x + vb.larger.w / 2.0f) / 800;
    fy = (vb.larger.y + vb.larger.h / 2.0f) / 480;
    finger(&r, SDL_FINGERDOWN, fx, fy, 300);
    finger(&r, SDL_FINGERUP, fx, fy, 380);
    CHECK(r.app.deck->is_large);
    frame(&r, 400);
    SDL_Surface *large = grab(&r);
    /* The high-contrast theme: a white page (the deck's is off-white). */
    CHECK_INT(pixel(es, 2, 300) & 0xFFFFFF, 0xF7F3EE);
    CHECK_INT(pixel(large, 2, 300) & 0xFFFFFF, 0xFFFFFF);
    SDL_FreeSurface(en);
    SDL_FreeSurface(es);
    SDL_FreeSurface(large);
    rig_close(&r);
    deck_free(d);
}

int main(void)
{
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "cannot start SDL: %s\n", SDL_GetError());
        return 1;
    }
    test_one_tap_one_slide();
    test_press_shows_next_frame();
    test_missing_image_placeholder();
    test_keyboard_keys_labelled();
    test_screenshots();
    test_view_switch_redraws();
    TTF_Quit();
    SDL_Quit();
    return check_report("test_render");
}
