/* render: draws slides, controls, the form, the keyboard and the thank-you
 * screen. Everything drawn is a function of the App and the time passed in;
 * nothing here reads a clock or changes the app. */
#include "render.h"
#include "util.h"

#include <math.h>
#include <string.h>

#include "image.h"
#include "imagecache.h"
#include "layout.h"
#include "log.h"

/* Slide textures kept: the one shown and the next (built while the current
 * one stands, so a transition never waits for it); during a transition,
 * the two it joins. A 1080p slide is 8 MiB. */
#define RENDER_SLIDE_CACHE 2
/* Short texts (button labels, form labels, keys) kept as textures. */
#define RENDER_LABEL_CACHE 96
/* Images kept as textures, sized for the box they are drawn in. Each is
 * drawn into its slide's texture, so it is needed again only when that
 * slide is rebuilt, once per loop: two are enough (the shown and the next
 * slide's), and each 1080p one is ~1.5 MiB. */
#define RENDER_IMAGE_CACHE 2
#define DISC_PX 256

typedef struct {
    int index, w, h;
    SDL_Texture *tex;
    unsigned used;
} SlideTex;

typedef struct {
    char *text;
    int px;
    bool bold;
    SDL_Color color;
    SDL_Texture *tex;
    int w, h;
    unsigned used;
} Label;

typedef struct {
    char *path;
    int box_w, box_h;
    SDL_Texture *tex; /* NULL: failed, draw a placeholder; else sized to fit the box */
    int w, h;
    unsigned used;
} Image;

/* Images already warned about since the deck was set: one log line per bad
 * file and deck, not one per loop. */
#define RENDER_WARNED_MAX DECK_MAX_SLIDES

struct Render {
    SDL_Renderer *r;
    TextFonts *fonts;
    const Deck *deck;      /* the view drawn: a language, larger text or not */
    const Deck *deck_base; /* the deck loaded; deck is one of its views */
    SDL_Texture *disc;     /* an anti-aliased white disc, tinted for dots and corners */
    SlideTex slides[RENDER_SLIDE_CACHE];
    Label labels[RENDER_LABEL_CACHE];
    Image images[RENDER_IMAGE_CACHE];
    ImageCache *disk; /* scaled images on disk; NULL: none, decode each time */
    char *warned[RENDER_WARNED_MAX];
    unsigned clock;
    int missing_images;
};

static SDL_Color col(DeckColor c)
{
    return (SDL_Color){c.r, c.g, c.b, 255};
}

static SDL_Color mix(SDL_Color a, SDL_Color b, double t)
{
    return (SDL_Color){(Uint8)lround(a.r + (b.r - a.r) * t), (Uint8)lround(a.g + (b.g - a.g) * t),
                       (Uint8)lround(a.b + (b.b - a.b) * t), 255};
}

static SDL_Texture *make_disc(SDL_Renderer *r)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, DISC_PX, DISC_PX, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    double c = DISC_PX / 2.0;
    for (int y = 0; y < DISC_PX; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < DISC_PX; x++) {
            double d = hypot(x + 0.5 - c, y + 0.5 - c);
            double a = c - d + 0.5; /* one pixel of anti-aliasing at the edge */
            a = a < 0 ? 0 : a > 1 ? 1 : a;
            row[x] = ((Uint32)lround(a * 255) << 24) | 0xFFFFFF;
        }
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(r, s);
    SDL_FreeSurface(s);
    if (t) {
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
        /* Linear filtering keeps small scaled-down dots round. */
        SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
    }
    return t;
}

Render *render_create(SDL_Renderer *renderer, TextFonts *fonts, char *err, size_t errlen)
{
    Render *r = SDL_calloc(1, sizeof *r);
    if (!r) {
        SDL_snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->r = renderer;
    r->fonts = fonts;
    r->disc = make_disc(renderer);
    if (!r->disc) {
        SDL_snprintf(err, errlen, "cannot create a texture: %s", SDL_GetError());
        SDL_free(r);
        return NULL;
    }
    char dir[4096];
    if (imagecache_default_dir(dir, sizeof dir))
        r->disk = imagecache_open(dir, IMAGECACHE_MAX_BYTES);
    if (!r->disk)
        log_msg(LOG_INFO, "no image cache: images are decoded each time they are shown");
    return r;
}

/* The slides and labels drawn for one view of the deck. */
static void drop_drawn(Render *r)
{
    for (int i = 0; i < RENDER_SLIDE_CACHE; i++) {
        if (r->slides[i].tex)
            SDL_DestroyTexture(r->slides[i].tex);
        r->slides[i] = (SlideTex){0};
    }
    for (int i = 0; i < RENDER_LABEL_CACHE; i++) {
        if (r->labels[i].tex)
            SDL_DestroyTexture(r->labels[i].tex);
        SDL_free(r->labels[i].text);
        r->labels[i] = (Label){0};
    }
}

static void drop_caches(Render *r)
{
    drop_drawn(r);
    for (int i = 0; i < RENDER_IMAGE_CACHE; i++) {
        if (r->images[i].tex)
            SDL_DestroyTexture(r->images[i].tex);
        SDL_free(r->images[i].path);
        r->images[i] = (Image){0};
    }
    for (int i = 0; i < RENDER_WARNED_MAX; i++) {
        SDL_free(r->warned[i]);
        r->warned[i] = NULL;
    }
}

/* A client switched language or text size: the slides and labels are
 * drawn again in the new view; decoded pictures stay. */
static void set_view(Render *r, const Deck *view)
{
    drop_drawn(r);
    r->deck = view;
}

void render_set_deck(Render *r, const Deck *deck)
{
    drop_caches(r);
    r->deck = deck;
    r->deck_base = deck;
    r->missing_images = 0;
}

void render_destroy(Render *r)
{
    if (!r)
        return;
    drop_caches(r);
    if (r->disc)
        SDL_DestroyTexture(r->disc);
    imagecache_close(r->disk);
    SDL_free(r);
}

int render_missing_images(const Render *r)
{
    return r->missing_images;
}

/* ---- primitives ------------------------------------------------------- */

static void set_color(Render *r, SDL_Color c)
{
    SDL_SetRenderDrawColor(r->r, c.r, c.g, c.b, c.a);
}

static void fill_rect(Render *r, LRect rc, SDL_Color c)
{
    set_color(r, c);
    SDL_Rect s = {rc.x, rc.y, rc.w, rc.h};
    SDL_RenderFillRect(r->r, &s);
}

static void disc(Render *r, int cx, int cy, int d, SDL_Color c)
{
    SDL_SetTextureColorMod(r->disc, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(r->disc, c.a);
    SDL_Rect dst = {cx - d / 2, cy - d / 2, d, d};
    SDL_RenderCopy(r->r, r->disc, NULL, &dst);
}

/* A rounded rectangle from four quarter discs and three rectangles. */
static void round_rect(Render *r, LRect rc, int radius, SDL_Color c)
{
    radius = util_imin(radius, util_imin(rc.w, rc.h) / 2);
    if (radius <= 1) {
        fill_rect(r, rc, c);
        return;
    }
    SDL_SetTextureColorMod(r->disc, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(r->disc, c.a);
    int d = radius * 2, h = DISC_PX / 2;
    SDL_Rect src[4] = {{0, 0, h, h}, {h, 0, h, h}, {0, h, h, h}, {h, h, h, h}};
    SDL_Rect dst[4] = {{rc.x, rc.y, radius, radius},
                       {rc.x + rc.w - radius, rc.y, radius, radius},
                       {rc.x, rc.y + rc.h - radius, radius, radius},
                       {rc.x + rc.w - radius, rc.y + rc.h - radius, radius, radius}};
    for (int i = 0; i < 4; i++)
        SDL_RenderCopy(r->r, r->disc, &src[i], &dst[i]);
    (void)d;
    fill_rect(r, (LRect){rc.x + radius, rc.y, rc.w - 2 * radius, rc.h}, c);
    fill_rect(r, (LRect){rc.x, rc.y + radius, radius, rc.h - 2 * radius}, c);
    fill_rect(r, (LRect){rc.x + rc.w - radius, rc.y + radius, radius, rc.h - 2 * radius}, c);
}

static void outlined(Render *r, LRect rc, int radius, int border, SDL_Color edge, SDL_Color fill)
{
    round_rect(r, rc, radius, edge);
    LRect in = {rc.x + border, rc.y + border, rc.w - 2 * border, rc.h - 2 * border};
    round_rect(r, in, radius - border, fill);
}

static SDL_Texture *text_texture(Render *r, const char *s, size_t len, int px, bool bold,
                                 SDL_Color c, int *w, int *h)
{
    TTF_Font *font = text_font(r->fonts, px, bold);
    if (!font || len == 0)
        return NULL;
    char stack[512];
    char *buf = len < sizeof stack ? stack : SDL_malloc(len + 1);
    if (!buf)
        return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    SDL_Surface *surf = TTF_RenderUTF8_Blended(font, buf, c);
    if (buf != stack)
        SDL_free(buf);
    if (!surf)
        return NULL;
    SDL_Texture *t = SDL_CreateTextureFromSurface(r->r, surf);
    *w = surf->w;
    *h = surf->h;
    SDL_FreeSurface(surf);
    return t;
}

/* Draws text once without caching (slide textures are themselves cached). */
static void draw_text_once(Render *r, const char *s, size_t len, int px, bool bold, SDL_Color c,
                           int x, int y)
{
    int w, h;
    SDL_Texture *t = text_texture(r, s, len, px, bold, c, &w, &h);
    if (!t)
        return;
    SDL_Rect dst = {x, y, w, h};
    SDL_RenderCopy(r->r, t, NULL, &dst);
    SDL_DestroyTexture(t);
}

static Label *label(Render *r, const char *s, int px, bool bold, SDL_Color c)
{
    if (!s || !*s)
        return NULL;
    Label *lru = &r->labels[0];
    for (int i = 0; i < RENDER_LABEL_CACHE; i++) {
        Label *l = &r->labels[i];
        if (l->text && l->px == px && l->bold == bold && l->color.r == c.r && l->color.g == c.g &&
            l->color.b == c.b && strcmp(l->text, s) == 0) {
            l->used = ++r->clock;
            return l;
        }
        if (!l->text || (lru->text && l->used < lru->used))
            lru = l;
    }
    if (lru->tex)
        SDL_DestroyTexture(lru->tex);
    SDL_free(lru->text);
    *lru = (Label){0};
    lru->tex = text_texture(r, s, strlen(s), px, bold, c, &lru->w, &lru->h);
    if (!lru->tex)
        return NULL;
    lru->text = SDL_strdup(s);
    lru->px = px;
    lru->bold = bold;
    lru->color = c;
    lru->used = ++r->clock;
    return lru;
}

enum { ALIGN_LEFT, ALIGN_CENTER };

static int text_width(Render *r, const char *s, int px, bool bold)
{
    int w = 0;
    if (s && text_measure(r->fonts, s, strlen(s), px, bold, &w) != 0)
        w = 0;
    return w;
}

/* One line in a box, shrunk until it fits the width, centred vertically. */
static void text_in(Render *r, const char *s, int px, bool bold, SDL_Color c, LRect box, int align)
{
    if (!s || !*s)
        return;
    while (px > 10 && text_width(r, s, px, bold) > box.w)
        px--;
    Label *l = label(r, s, px, bold, c);
    if (!l)
        return;
    int x = align == ALIGN_CENTER ? box.x + (box.w - l->w) / 2 : box.x;
    SDL_Rect dst = {x, box.y + (box.h - l->h) / 2, l->w, l->h};
    SDL_RenderCopy(r->r, l->tex, NULL, &dst);
}

/* Wrapped text in a box, shrinking until every line fits. */
static void paragraph_in(Render *r, const char *s, int px, bool bold, SDL_Color c, LRect box,
                         int align)
{
    if (!s || !*s)
        return;
    LayoutMetrics m = {text_measure, r->fonts};
    size_t starts[16], lens[16];
    int n = 0;
    for (; px > 10; px--) {
        n = layout_wrap(&m, s, strlen(s), px, bold, box.w, starts, lens, 16);
        if (n <= 16 && n * px * 5 / 4 <= box.h)
            break;
    }
    n = util_imin(n, 16);
    int lh = px * 5 / 4;
    /* Centred text is centred both ways; left-aligned text reads from the
     * top, next to its field or box. */
    int y = align == ALIGN_CENTER ? box.y + (box.h - n * lh) / 2 : box.y;
    for (int i = 0; i < n; i++) {
        int w = 0;
        text_measure(r->fonts, s + starts[i], lens[i], px, bold, &w);
        int x = align == ALIGN_CENTER ? box.x + (box.w - w) / 2 : box.x;
        draw_text_once(r, s + starts[i], lens[i], px, bold, c, x, y + i * lh);
    }
}

/* ---- images ----------------------------------------------------------- */

static void fit_inside(int iw, int ih, LRect box, LRect *out)
{
    double sx = (double)box.w / iw, sy = (double)box.h / ih;
    double s = sx < sy ? sx : sy;
    int w = util_imax(1, (int)lround(iw * s)), h = util_imax(1, (int)lround(ih * s));
    *out = (LRect){box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h};
}

static void warn_once(Render *r, const char *path, const char *why)
{
    int free_slot = -1;
    for (int i = 0; i < RENDER_WARNED_MAX; i++) {
        if (r->warned[i] && strcmp(r->warned[i], path) == 0)
            return;
        if (!r->warned[i] && free_slot < 0)
            free_slot = i;
    }
    log_msg(LOG_WARN, "image %s cannot be shown: %s; drawing a placeholder", path, why);
    if (free_slot >= 0)
        r->warned[free_slot] = SDL_strdup(path);
}

static Image *image(Render *r, const char *path, LRect box)
{
    Image *lru = &r->images[0];
    for (int i = 0; i < RENDER_IMAGE_CACHE; i++) {
        Image *im = &r->images[i];
        if (im->path && strcmp(im->path, path) == 0 && im->box_w == box.w && im->box_h == box.h) {
            im->used = ++r->clock;
            return im;
        }
        if (!im->path || (lru->path && im->used < lru->used))
            lru = im;
    }
    if (lru->tex)
        SDL_DestroyTexture(lru->tex);
    SDL_free(lru->path);
    *lru = (Image){0};
    lru->path = SDL_strdup(path);
    lru->box_w = box.w;
    lru->box_h = box.h;
    lru->used = ++r->clock;

    char why[512];
    SDL_Surface *s = image_load(path, box.w, box.h, r->disk, why, sizeof why);
    if (!s) {
        warn_once(r, path, why);
        r->missing_images++;
        return lru;
    }
    lru->tex = SDL_CreateTextureFromSurface(r->r, s);
    lru->w = s->w;
    lru->h = s->h;
    /* Photos are opaque: copied without blending, which is faster. */
    if (lru->tex)
        SDL_SetTextureBlendMode(lru->tex, SDL_ISPIXELFORMAT_ALPHA(s->format->format)
                                              ? SDL_BLENDMODE_BLEND
                                              : SDL_BLENDMODE_NONE);
    else
        warn_once(r, path, SDL_GetError());
    SDL_FreeSurface(s);
    return lru;
}

/* A neutral placeholder: a soft panel with a simple picture symbol. */
static void placeholder(Render *r, LRect box)
{
    const DeckTheme *t = &r->deck->theme;
    SDL_Color bg = mix(col(t->background), col(t->muted), 0.12);
    SDL_Color fg = mix(col(t->background), col(t->muted), 0.35);
    LRect fit;
    fit_inside(4, 3, box, &fit);
    round_rect(r, fit, fit.h / 12, bg);
    int d = fit.h / 6;
    disc(r, fit.x + fit.w * 2 / 3, fit.y + fit.h / 3, d, fg);
    SDL_Vertex v[3] = {
        {{(float)(fit.x + fit.w / 5), (float)(fit.y + fit.h * 4 / 5)}, fg, {0, 0}},
        {{(float)(fit.x + fit.w * 2 / 5), (float)(fit.y + fit.h * 2 / 5)}, fg, {0, 0}},
        {{(float)(fit.x + fit.w * 3 / 5), (float)(fit.y + fit.h * 4 / 5)}, fg, {0, 0}},
    };
    SDL_RenderGeometry(r->r, NULL, v, 3, NULL, 0);
}

static void draw_image(Render *r, const char *path, LRect box)
{
    Image *im = path ? image(r, path, box) : NULL;
    if (!im || !im->tex) {
        if (!path)
            r->missing_images++;
        placeholder(r, box);
        return;
    }
    /* Already the size it is shown: copied 1:1, centred in its box. */
    SDL_Rect dst = {box.x + (box.w - im->w) / 2, box.y + (box.h - im->h) / 2, im->w, im->h};
    SDL_RenderCopy(r->r, im->tex, NULL, &dst);
}

/* ---- slides ----------------------------------------------------------- */

static SDL_Color ink(const DeckTheme *t, BoxInk k)
{
    switch (k) {
    case INK_MUTED:
        return col(t->muted);
    case INK_ACCENT:
        return col(t->accent);
    case INK_ACCENT_TEXT:
        return col(t->accent_text);
    case INK_TEXT:
        break;
    }
    return col(t->text);
}

/* The booking QR code: black modules on a white square, whatever the
 * theme (a dark theme's light-on-dark code is one many phones refuse), each
 * module whole pixels so no edge is blurred. */
static void draw_qr(Render *r, const Box *b)
{
    const QrCode *qr = &r->deck->booking_qr;
    const int mpx = b->number, q = QR_QUIET_MODULES;
    if (mpx <= 0 || qr->size <= 0)
        return;
    fill_rect(r, b->r, (SDL_Color){255, 255, 255, 255});
    SDL_Rect rows[QR_MAX_MODULES];
    set_color(r, (SDL_Color){0, 0, 0, 255});
    for (int y = 0; y < qr->size; y++) {
        int n = 0;
        for (int x = 0; x < qr->size && n < QR_MAX_MODULES; x++) {
            if (!qr_dark(qr, x, y))
                continue;
            /* A run of dark modules is one rectangle. */
            int run = 1;
            while (x + run < qr->size && qr_dark(qr, x + run, y))
                run++;
            rows[n++] = (SDL_Rect){b->r.x + (q + x) * mpx, b->r.y + (q + y) * mpx, run * mpx, mpx};
            x += run - 1;
        }
        SDL_RenderFillRects(r->r, rows, n);
    }
}

static void draw_boxes(Render *r, const SlideLayout *lay)
{
    const DeckTheme *t = &r->deck->theme;
    for (int i = 0; i < lay->count; i++) {
        const Box *b = &lay->box[i];
        switch (b->kind) {
        case BOX_TEXT:
            draw_text_once(r, b->text, b->len, b->px, b->bold, ink(t, b->ink), b->r.x, b->r.y);
            break;
        case BOX_IMAGE:
            draw_image(r, b->image, b->r);
            break;
        case BOX_BULLET:
            disc(r, b->r.x + b->r.w / 2, b->r.y + b->r.h / 2, b->r.w, ink(t, b->ink));
            break;
        case BOX_BADGE: {
            disc(r, b->r.x + b->r.w / 2, b->r.y + b->r.h / 2, b->r.w, ink(t, b->ink));
            char num[8];
            SDL_snprintf(num, sizeof num, "%d", b->number);
            int npx = b->px, tw = 0;
            text_measure(r->fonts, num, strlen(num), npx, true, &tw);
            TTF_Font *f = text_font(r->fonts, npx, true);
            int th = f ? TTF_FontHeight(f) : npx;
            draw_text_once(r, num, strlen(num), npx, true, col(t->accent_text),
                           b->r.x + (b->r.w - tw) / 2, b->r.y + (b->r.h - th) / 2);
            break;
        }
        case BOX_BUTTON:
            round_rect(r, b->r, b->r.h / 4, col(t->accent));
            break;
        case BOX_QR:
            draw_qr(r, b);
            break;
        }
    }
}

static void draw_slide_boxes(Render *r, const Slide *s, int w, int h)
{
    SlideLayout *lay = SDL_malloc(sizeof *lay);
    if (!lay)
        return;
    LayoutMetrics m = {text_measure, r->fonts};
    layout_slide(r->deck, s, w, h, &m, lay);
    draw_boxes(r, lay);
    SDL_free(lay);
}

static SDL_Texture *slide_texture(Render *r, int index, int w, int h)
{
    SlideTex *lru = &r->slides[0];
    for (int i = 0; i < RENDER_SLIDE_CACHE; i++) {
        SlideTex *st = &r->slides[i];
        if (st->tex && st->index == index && st->w == w && st->h == h) {
            st->used = ++r->clock;
            return st->tex;
        }
        if (!st->tex || (lru->tex && st->used < lru->used))
            lru = st;
    }
    /* Reuse the evicted texture when it has the right size: a new 8 MiB
     * texture is allocated and zeroed only to be painted over. */
    SDL_Texture *tex = lru->tex && lru->w == w && lru->h == h ? lru->tex : NULL;
    if (lru->tex && !tex)
        SDL_DestroyTexture(lru->tex);
    *lru = (SlideTex){0};
    /* Opaque RGB888: a cross-fade of opaque textures costs a fifth of one
     * with per-pixel alpha in SDL's software blitter. */
    if (!tex)
        tex = SDL_CreateTexture(r->r, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_TARGET, w, h);
    if (!tex)
        return NULL;
    SDL_Texture *prev = SDL_GetRenderTarget(r->r);
    SDL_SetRenderTarget(r->r, tex);
    SDL_Color bg = col(r->deck->theme.background);
    SDL_SetRenderDrawColor(r->r, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(r->r);
    draw_slide_boxes(r, &r->deck->slides[index], w, h);
    SDL_SetRenderTarget(r->r, prev);
    lru->tex = tex;
    lru->index = index;
    lru->w = w;
    lru->h = h;
    lru->used = ++r->clock;
    return tex;
}

/* ---- controls --------------------------------------------------------- */

typedef enum { BTN_PRIMARY, BTN_SECONDARY, BTN_DISABLED } ButtonStyle;

/* A button's label, laid out like every other button's (layout.h). */
static void button_label(Render *r, LRect rc, const char *text, int px, bool bold, SDL_Color c)
{
    LayoutMetrics m = {text_measure, r->fonts};
    ButtonLabel bl;
    layout_button_label(&m, text, px, bold, rc, &bl);
    if (bl.lines <= 0)
        return;
    /* Centred on the button by the font's own line height, which the
     * layout's estimate only approximates. */
    TTF_Font *f = text_font(r->fonts, bl.px, bold);
    int fh = f ? TTF_FontHeight(f) : bl.r[0].h;
    int top = rc.y + (rc.h - fh * bl.lines) / 2;
    for (int i = 0; i < bl.lines; i++)
        draw_text_once(r, text + bl.start[i], bl.len[i], bl.px, bold, c, bl.r[i].x, top + i * fh);
}

static void button(Render *r, LRect rc, const char *text, int px, ButtonStyle style, bool pressed)
{
    const DeckTheme *t = &r->deck->theme;
    SDL_Color accent = col(t->accent), surface = col(t->surface);
    int radius = rc.h / 4;
    int border = util_imax(2, rc.h / 22);
    if (style == BTN_PRIMARY) {
        /* Pressed darkens the button at once: the finger covers the centre,
         * so the whole button changes, not just an outline. */
        SDL_Color fill = pressed ? mix(accent, (SDL_Color){0, 0, 0, 255}, 0.35) : accent;
        round_rect(r, rc, radius, fill);
        button_label(r, rc, text, px, true, col(t->accent_text));
    } else if (style == BTN_SECONDARY) {
        SDL_Color fill = pressed ? mix(surface, accent, 0.25) : surface;
        outlined(r, rc, radius, border, accent, fill);
        button_label(r, rc, text, px, true, col(t->text));
    } else {
        SDL_Color edge = mix(col(t->background), col(t->muted), 0.5);
        outlined(r, rc, radius, border, edge, mix(surface, col(t->background), 0.5));
        button_label(r, rc, text, px, true, col(t->muted));
    }
}

/* The language buttons (each language's name in that language) and the
 * text size toggle, on the slides and the form. */
static void draw_view_buttons(Render *r, const App *app, const ViewButtons *vb)
{
    const Deck *d = r->deck;
    for (size_t i = 0; i < d->lang_count && i < DECK_MAX_LANGUAGES; i++)
        if (vb->lang[i].w > 0)
            button(r, vb->lang[i], d->langs[i]->lang_name, vb->label_px, BTN_SECONDARY,
                   app->pressed.kind == HIT_LANG && app->pressed.index == (int)i);
    if (vb->larger.w > 0)
        button(r, vb->larger, d->is_large ? d->texts.normal_text : d->texts.larger_text,
               vb->label_px, d->is_large ? BTN_PRIMARY : BTN_SECONDARY,
               app->pressed.kind == HIT_LARGER);
}

static void draw_chrome(Render *r, const App *app)
{
    const Deck *d = r->deck;
    const DeckTheme *t = &d->theme;
    ChromeLayout c;
    layout_chrome(d, app->w, app->h, &c);
    fill_rect(r, c.bar, mix(col(t->background), col(t->surface), 0.6));
    /* Progress: one segment per slide, filled up to the one shown. */
    int n = (int)d->slide_count;
    int gap = util_imax(2, c.progress.h / 2);
    for (int i = 0; i < n; i++) {
        int x0 = c.progress.x + (c.progress.w + gap) * i / n;
        int x1 = c.progress.x + (c.progress.w + gap) * (i + 1) / n - gap;
        SDL_Color fill = i <= app->slide ? col(t->accent)
                                         : mix(col(t->background), col(t->muted), 0.3);
        fill_rect(r, (LRect){x0, c.progress.y, x1 - x0, c.progress.h}, fill);
    }
    if (app->slide > 0)
        button(r, c.back, d->texts.back, c.label_px, BTN_SECONDARY, app->pressed.kind == HIT_BACK);
    bool last = app->slide == n - 1;
    button(r, c.next, last ? d->texts.start_over : d->texts.next, c.label_px, BTN_SECONDARY,
           app->pressed.kind == HIT_NEXT);
    if (c.signup.w > 0)
        button(r, c.signup, d->texts.signup_button, c.label_px, BTN_PRIMARY,
               app->pressed.kind == HIT_SIGNUP);
    ViewButtons vb;
    layout_slide_view_buttons(d, app->w, app->h, &vb);
    draw_view_buttons(r, app, &vb);
}

static void copy_slide(Render *r, int index, int w, int h, int dx, Uint8 alpha)
{
    SDL_Texture *tex = slide_texture(r, index, w, h);
    if (!tex)
        return;
    SDL_SetTextureBlendMode(tex, alpha == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetTextureAlphaMod(tex, alpha);
    SDL_Rect dst = {dx, 0, w, h};
    SDL_RenderCopy(r->r, tex, NULL, &dst);
}

static double ease(double p)
{
    return p * p * (3 - 2 * p);
}

static void draw_slides(Render *r, const App *app, uint64_t now)
{
    double p = app_transition(app, now);
    int w = app->w, h = app->h;
    if (p >= 1.0) {
        copy_slide(r, app->slide, w, h, 0, 255);
    } else if (r->deck->timing.transition == TRANSITION_SLIDE) {
        int off = (int)lround(ease(p) * w) * (app->trans_dir > 0 ? 1 : -1);
        copy_slide(r, app->from_slide, w, h, -off, 255);
        copy_slide(r, app->slide, w, h, (app->trans_dir > 0 ? w : -w) - off, 255);
    } else {
        copy_slide(r, app->from_slide, w, h, 0, 255);
        copy_slide(r, app->slide, w, h, 0, (Uint8)lround(ease(p) * 255));
    }
    if (app->pressed.kind == HIT_CTA) {
        /* The call-to-action button lives in the slide texture; darken it
         * in place while pressed. */
        LRect b = layout_cta_button(r->deck, w, h);
        SDL_SetRenderDrawBlendMode(r->r, SDL_BLENDMODE_BLEND);
        round_rect(r, b, b.h / 4, (SDL_Color){0, 0, 0, 90});
        SDL_SetRenderDrawBlendMode(r->r, SDL_BLENDMODE_NONE);
    }
    draw_chrome(r, app);
}

/* ---- the form --------------------------------------------------------- */

static const char *error_text(const Deck *d, FormError e)
{
    switch (e) {
    case FORM_ERR_REQUIRED:
        return d->texts.err_required;
    case FORM_ERR_EMAIL:
        return d->texts.err_email;
    case FORM_ERR_PHONE:
        return d->texts.err_phone;
    case FORM_ERR_PHONE_SHORT:
        return d->texts.err_phone_short;
    case FORM_ERR_PHONE_LONG:
        return d->texts.err_phone_long;
    case FORM_ERR_NEED_CONTACT:
        return d->texts.err_contact;
    case FORM_ERR_CONSENT:
        return d->texts.err_consent;
    case FORM_OK:
        break;
    }
    return NULL;
}

static void draw_check(Render *r, LRect box, SDL_Color c)
{
    /* A tick from two thick strokes. */
    float x = (float)box.x, y = (float)box.y, w = (float)box.w, th = w / 9.0f;
    SDL_FPoint p[3] = {{x + w * 0.22f, y + w * 0.52f},
                       {x + w * 0.42f, y + w * 0.72f},
                       {x + w * 0.78f, y + w * 0.30f}};
    for (int seg = 0; seg < 2; seg++) {
        SDL_FPoint a = p[seg], b = p[seg + 1];
        float dx = b.x - a.x, dy = b.y - a.y, len = sqrtf(dx * dx + dy * dy);
        float nx = -dy / len * th / 2, ny = dx / len * th / 2;
        SDL_Vertex v[4] = {{{a.x + nx, a.y + ny}, c, {0, 0}},
                           {{a.x - nx, a.y - ny}, c, {0, 0}},
                           {{b.x - nx, b.y - ny}, c, {0, 0}},
                           {{b.x + nx, b.y + ny}, c, {0, 0}}};
        int idx[6] = {0, 1, 2, 0, 2, 3};
        SDL_RenderGeometry(r->r, NULL, v, 4, idx, 6);
    }
}

static void triangles(Render *r, const SDL_FPoint *p, int n, SDL_Color c)
{
    SDL_Vertex v[8];
    int idx[18], k = 0;
    for (int i = 0; i < n && i < 8; i++)
        v[i] = (SDL_Vertex){p[i], c, {0, 0}};
    for (int i = 1; i + 1 < n && k + 3 <= 18; i++) {
        idx[k++] = 0;
        idx[k++] = i;
        idx[k++] = i + 1;
    }
    SDL_RenderGeometry(r->r, NULL, v, n, idx, k);
}

/* Shift: an upward arrow; backspace: a left-pointing tag; done: a tick. */
static void draw_icon(Render *r, KeyIcon icon, LRect rc, SDL_Color c)
{
    float s = (float)util_imin(rc.w, rc.h) * 0.5f;
    float cx = rc.x + rc.w / 2.0f, cy = rc.y + rc.h / 2.0f;
    if (icon == KEY_ICON_SHIFT) {
        SDL_FPoint head[3] = {{cx, cy - s * 0.55f}, {cx + s * 0.5f, cy}, {cx - s * 0.5f, cy}};
        triangles(r, head, 3, c);
        fill_rect(r, (LRect){(int)(cx - s * 0.2f), (int)cy, (int)(s * 0.4f), (int)(s * 0.5f)}, c);
    } else if (icon == KEY_ICON_BACKSPACE) {
        SDL_FPoint tag[5] = {{cx - s * 0.7f, cy},
                             {cx - s * 0.3f, cy - s * 0.4f},
                             {cx + s * 0.7f, cy - s * 0.4f},
                             {cx + s * 0.7f, cy + s * 0.4f},
                             {cx - s * 0.3f, cy + s * 0.4f}};
        triangles(r, tag, 5, c);
    } else if (icon == KEY_ICON_DONE) {
        draw_check(
            r,
            (LRect){(int)(cx - s * 0.6f), (int)(cy - s * 0.6f), (int)(s * 1.2f), (int)(s * 1.2f)},
            c);
    }
}

static void draw_value(Render *r, const char *value, int px, SDL_Color c, LRect box, bool focused,
                       SDL_Color caret)
{
    int pad = box.h / 4;
    LRect in = {box.x + pad, box.y, box.w - 2 * pad, box.h};
    int w = 0, h = px;
    SDL_Texture *t = value[0] ? text_texture(r, value, strlen(value), px, false, c, &w, &h) : NULL;
    /* A long value the client is not typing in is shown whole, a little
     * smaller, so they can check it; cut at the start, it would read as a
     * different address. */
    int fit_px = t && w > 0 ? px * (in.w - px / 3) / w : px;
    if (t && !focused && fit_px < px && fit_px >= px * 6 / 10) {
        SDL_DestroyTexture(t);
        t = text_texture(r, value, strlen(value), fit_px, false, c, &w, &h);
    }
    int x = in.x;
    if (t) {
        /* Show the end of a long value: that is where the client types. */
        int shown = util_imin(w, in.w - px / 3);
        SDL_Rect src = {w - shown, 0, shown, h};
        SDL_Rect dst = {in.x, in.y + (in.h - h) / 2, shown, h};
        SDL_RenderCopy(r->r, t, &src, &dst);
        SDL_DestroyTexture(t);
        x = in.x + shown;
    }
    if (focused)
        fill_rect(r, (LRect){x + 2, box.y + box.h / 5, util_imax(2, px / 12), box.h * 3 / 5},
                  caret);
}

static void draw_keyboard(Render *r, const App *app, LRect area)
{
    const DeckTheme *t = &r->deck->theme;
    fill_rect(r, area, mix(col(t->background), col(t->muted), 0.18));
    const KeyboardLayout *kb = &app->kb;
    for (int i = 0; i < kb->count; i++) {
        const KeyBox *k = &kb->keys[i];
        LRect rc = {k->x, k->y, k->w, k->h};
        bool pressed = app->pressed.kind == HIT_KEY && app->pressed.index == i;
        bool special = k->action.kind != KEY_INSERT;
        SDL_Color fill = pressed   ? col(t->accent)
                         : special ? mix(col(t->surface), col(t->muted), 0.15)
                                   : col(t->surface);
        SDL_Color fg = pressed ? col(t->accent_text) : col(t->text);
        round_rect(r, rc, util_imin(rc.w, rc.h) / 6, fill);
        int px = util_imax(14, util_imin(rc.h * 45 / 100, rc.w * 60 / 100));
        const char *text = k->label;
        if (k->icon == KEY_ICON_DONE && !pressed) {
            round_rect(r, rc, util_imin(rc.w, rc.h) / 6, col(t->accent));
            fg = col(t->accent_text);
        }
        if (k->icon == KEY_ICON_SPACE) {
            /* The space bar says what it is, in the deck's language. */
            text_in(r, r->deck->texts.key_space, util_imax(14, px * 3 / 4), false,
                    pressed ? fg : col(t->muted), (LRect){rc.x + 8, rc.y, rc.w - 16, rc.h},
                    ALIGN_CENTER);
            continue;
        }
        if (k->icon != KEY_ICON_NONE) {
            /* Icons are drawn, not typed: the reading font has no arrows. */
            bool shifted = kb->page == KB_PAGE_UPPER || kb->page == KB_PAGE_ACCENTS_UPPER;
            if (k->icon == KEY_ICON_SHIFT && shifted && !pressed) {
                round_rect(r, rc, util_imin(rc.w, rc.h) / 6,
                           mix(col(t->surface), col(t->accent), 0.3));
            }
            draw_icon(r, k->icon, rc, fg);
            text = NULL;
        }
        if (text)
            text_in(r, text, px, special, fg, (LRect){rc.x + 4, rc.y, rc.w - 8, rc.h},
                    ALIGN_CENTER);
    }
}

static void draw_form_heading(Render *r, const FormLayout *fl, bool typing)
{
    const Deck *d = r->deck;
    SDL_Color muted = col(d->theme.muted);
    if (typing) {
        text_in(r, d->texts.form_heading, fl->label_px, true, muted, fl->heading, ALIGN_LEFT);
        return;
    }
    LRect head = {fl->heading.x, fl->heading.y, fl->heading.w, fl->heading_px * 6 / 5};
    text_in(r, d->texts.form_heading, fl->heading_px, true, col(d->theme.text), head, ALIGN_LEFT);
    if (fl->heading.h <= head.h + fl->label_px)
        return;
    /* Under the view buttons, when the heading's area has the room, the
     * intro line has the whole width and keeps its size. */
    LRect intro = {fl->heading.x, head.y + head.h, fl->heading.w, fl->label_px * 5 / 4};
    const LRect *vs = &fl->view.strip;
    int below = util_imax(intro.y, vs->y + vs->h);
    if (vs->w > 0 && vs->x > intro.x && below + intro.h <= fl->heading.y + fl->heading.h) {
        intro.y = below;
        intro.w = vs->x + vs->w - intro.x;
    }
    text_in(r, d->texts.form_intro, fl->label_px, false, muted, intro, ALIGN_LEFT);
}

static void draw_choices(Render *r, const App *app, const FormLayout *fl, int i)
{
    const DeckTheme *t = &r->deck->theme;
    const Form *f = &app->form;
    SDL_Color accent = col(t->accent), surface = col(t->surface), muted = col(t->muted);
    const int n = util_imin(f->spec[i].choice_count, DECK_MAX_CHOICES);
    LayoutMetrics m = {text_measure, r->fonts};
    const int px = layout_choices_px(&m, r->deck->fields[i].choices, fl->choice[i], n,
                                     fl->value_px);
    for (int c = 0; c < n; c++) {
        bool on = f->choice[i] == c;
        bool pressed = app->pressed.kind == HIT_CHOICE && app->pressed.index == i &&
                       app->pressed.choice == c;
        LRect rc = fl->choice[i][c];
        if (on || pressed)
            round_rect(r, rc, rc.h / 4, pressed && !on ? mix(surface, accent, 0.3) : accent);
        else
            outlined(r, rc, rc.h / 4, util_imax(2, rc.h / 22), muted, surface);
        button_label(r, rc, r->deck->fields[i].choices[c], px, on,
                     on ? col(t->accent_text) : col(t->text));
    }
}

/* One field: its label ("(optional)" added where it is), its box or
 * choices, and its message when it has one to show. */
static void draw_field(Render *r, const App *app, const FormLayout *fl, int i)
{
    const Deck *d = r->deck;
    const DeckTheme *t = &d->theme;
    const Form *f = &app->form;
    const DeckField *df = &d->fields[i];
    bool choice = f->spec[i].kind == FORM_CHOICE;
    char lab[300];
    if (!df->required && (choice || !df->contact))
        SDL_snprintf(lab, sizeof lab, "%s (%s)", df->label, d->texts.optional);
    else
        SDL_snprintf(lab, sizeof lab, "%s", df->label);
    text_in(r, lab, fl->label_px, true, col(t->text), fl->label[i], ALIGN_LEFT);
    bool show_err = form_should_show_error(f, i);
    if (choice) {
        draw_choices(r, app, fl, i);
    } else {
        bool focused = f->focus == i;
        SDL_Color edge = col(show_err ? t->error : focused ? t->accent : t->muted);
        int border = util_imax(2, fl->box[i].h / (focused ? 14 : 22));
        outlined(r, fl->box[i], fl->box[i].h / 6, border, edge, col(t->surface));
        draw_value(r, f->value[i], fl->value_px, col(t->text), fl->box[i], focused, col(t->accent));
    }
    if (show_err)
        paragraph_in(r, error_text(d, form_field_error(f, i)), fl->small_px, false, col(t->error),
                     fl->error[i], ALIGN_LEFT);
}

static void draw_consent(Render *r, const App *app, const FormLayout *fl)
{
    const Deck *d = r->deck;
    const DeckTheme *t = &d->theme;
    int ci = app->consent_field;
    LRect b = fl->consent_box;
    bool show_err = form_should_show_error(&app->form, ci);
    if (app->form.checked[ci]) {
        round_rect(r, b, b.h / 6, col(t->accent));
        draw_check(r, b, col(t->accent_text));
    } else {
        outlined(r, b, b.h / 6, util_imax(2, b.h / 14), col(show_err ? t->error : t->muted),
                 col(t->surface));
    }
    paragraph_in(r, d->texts.consent, fl->label_px, false, col(t->text), fl->consent_text,
                 ALIGN_LEFT);
    if (show_err)
        paragraph_in(r, d->texts.err_consent, fl->small_px, false, col(t->error), fl->error[ci],
                     ALIGN_LEFT);
}

static void draw_form(Render *r, const App *app)
{
    const Deck *d = r->deck;
    FormLayout fl;
    app_form_layout(app, &fl);
    const Form *f = &app->form;
    bool typing = fl.keyboard.h > 0;
    draw_form_heading(r, &fl, typing);
    for (int i = 0; i < f->count; i++)
        if (fl.visible[i] && i != app->consent_field)
            draw_field(r, app, &fl, i);
    if (fl.visible[app->consent_field] && !typing)
        draw_consent(r, app, &fl);
    int bpx = util_imax(14, fl.cancel.h * 42 / 100);
    button(r, fl.cancel, d->texts.cancel, bpx, BTN_SECONDARY, app->pressed.kind == HIT_CANCEL);
    if (fl.submit.w)
        button(r, fl.submit, d->texts.submit, bpx, form_valid(f) ? BTN_PRIMARY : BTN_DISABLED,
               app->pressed.kind == HIT_SUBMIT);
    if (typing)
        draw_keyboard(r, app, fl.keyboard);
    draw_view_buttons(r, app, &fl.view);
}

static void draw_thanks(Render *r, const App *app)
{
    const Deck *d = r->deck;
    const DeckTheme *t = &d->theme;
    LayoutSizes z = layout_sizes(d, app->w, app->h);
    ThanksLayout tl;
    layout_thanks(d, app->w, app->h, &tl);
    text_in(r, d->texts.thanks_title, z.hero, true, col(t->accent), tl.title, ALIGN_CENTER);
    const char *msg = app->store_failed ? d->texts.saved_later_text : d->texts.thanks_text;
    paragraph_in(r, msg, z.body, false, col(t->text), tl.text, ALIGN_CENTER);
    if (tl.booking.w > 0) {
        SlideLayout *lay = SDL_malloc(sizeof *lay);
        if (lay) {
            LayoutMetrics m = {text_measure, r->fonts};
            lay->count = 0;
            lay->truncated = false;
            if (layout_booking(d, tl.booking, z.body, util_imin(app->w, app->h), &m, lay))
                draw_boxes(r, lay);
            SDL_free(lay);
        }
    }
    ChromeLayout ch;
    layout_chrome(d, app->w, app->h, &ch);
    button(r, app_thanks_button(app), d->texts.start_over, ch.label_px, BTN_PRIMARY,
           app->pressed.kind == HIT_THANKS);
}

static void draw_keypad(Render *r, const App *app, bool enabled)
{
    const DeckTheme *t = &r->deck->theme;
    const KeyboardLayout *kb = &app->kb;
    for (int i = 0; i < kb->count; i++) {
        const KeyBox *k = &kb->keys[i];
        const KeyAction *a = &k->action;
        /* Only digits, backspace and OK mean anything for a PIN. */
        bool digit = a->kind == KEY_INSERT && a->text && a->text[0] >= '0' && a->text[0] <= '9' &&
                     !a->text[1];
        if (!digit && a->kind != KEY_BACKSPACE && a->kind != KEY_DONE)
            continue;
        LRect rc = {k->x, k->y, k->w, k->h};
        bool pressed = app->pressed.kind == HIT_KEY && app->pressed.index == i;
        SDL_Color fill = !enabled  ? mix(col(t->surface), col(t->background), 0.6)
                         : pressed ? col(t->accent)
                                   : col(t->surface);
        if (a->kind == KEY_DONE && enabled && !pressed)
            fill = col(t->accent);
        /* An edge, so a key reads as a key where the page is the keys'
         * colour (the larger-text theme is white on white). */
        if (enabled && !pressed && a->kind != KEY_DONE)
            outlined(r, rc, util_imin(rc.w, rc.h) / 6, util_imax(2, rc.h / 30), col(t->muted),
                     fill);
        else
            round_rect(r, rc, util_imin(rc.w, rc.h) / 6, fill);
        SDL_Color fg = pressed || (a->kind == KEY_DONE && enabled) ? col(t->accent_text)
                       : enabled                                   ? col(t->text)
                                                                   : col(t->muted);
        if (digit)
            text_in(r, k->label, util_imax(14, rc.h * 45 / 100), true, fg,
                    (LRect){rc.x + 4, rc.y, rc.w - 8, rc.h}, ALIGN_CENTER);
        else
            draw_icon(r, a->kind == KEY_DONE ? KEY_ICON_DONE : KEY_ICON_BACKSPACE, rc, fg);
    }
}

/* The title and the Close button the PIN pad and the staff screen share. */
static void staff_header(Render *r, const App *app, StaffLayout *sl, ChromeLayout *c)
{
    const Deck *d = r->deck;
    app_staff_layout(app, sl);
    layout_chrome(d, app->w, app->h, c);
    text_in(r, d->texts.staff_title, c->label_px * 3 / 2, true, col(d->theme.text), sl->title,
            ALIGN_LEFT);
    HitKind close = app->screen == SCREEN_PIN ? HIT_PIN_CANCEL : HIT_STAFF_CLOSE;
    button(r, sl->close, d->texts.staff_close, c->label_px, BTN_SECONDARY,
           app->pressed.kind == close);
}

static void draw_pin(Render *r, const App *app, uint64_t now)
{
    const Deck *d = r->deck;
    const DeckTheme *t = &d->theme;
    StaffLayout sl;
    ChromeLayout c;
    staff_header(r, app, &sl, &c);
    int wait = pin_guard_wait_s(&app->pin_guard, now);
    char msg[300];
    SDL_Color mc = col(t->muted);
    if (wait > 0) {
        /* "{s}" in the deck's text stands for the seconds left. */
        const char *tpl = d->texts.pin_locked, *at = SDL_strstr(tpl, "{s}");
        if (at)
            SDL_snprintf(msg, sizeof msg, "%.*s%d%s", (int)(at - tpl), tpl, wait, at + 3);
        else
            SDL_snprintf(msg, sizeof msg, "%s", tpl);
        mc = col(t->error);
    } else if (app->pin_wrong) {
        SDL_snprintf(msg, sizeof msg, "%s", d->texts.pin_wrong);
        mc = col(t->error);
    } else {
        SDL_snprintf(msg, sizeof msg, "%s", d->texts.pin_prompt);
    }
    text_in(r, msg, sl.message.h * 4 / 5, false, mc, sl.message, ALIGN_LEFT);
    char dots[APP_PIN_MAX * 2 + 1] = "";
    size_t n = SDL_strlen(app->pin);
    for (size_t i = 0; i < n; i++)
        SDL_strlcat(dots, "* ", sizeof dots);
    outlined(r, sl.entry, sl.entry.h / 6, 2, col(t->muted), col(t->surface));
    text_in(r, dots, sl.entry.h * 3 / 5, true, col(t->text),
            (LRect){sl.entry.x + sl.entry.h / 3, sl.entry.y, sl.entry.w, sl.entry.h}, ALIGN_LEFT);
    draw_keypad(r, app, wait == 0);
}

/* Yes / Cancel in place of the buttons, so nothing else is a tap away. */
static void draw_erase_confirm(Render *r, const App *app, const StaffLayout *sl,
                               const ChromeLayout *c)
{
    const Deck *d = r->deck;
    button(r, sl->yes_btn, d->texts.staff_erase_yes, c->label_px, BTN_PRIMARY,
           app->pressed.kind == HIT_STAFF_ERASE_YES);
    button(r, sl->no_btn, d->texts.staff_cancel, c->label_px, BTN_SECONDARY,
           app->pressed.kind == HIT_STAFF_ERASE_NO);
}

static void draw_staff(Render *r, const App *app)
{
    const Deck *d = r->deck;
    const DeckTheme *t = &d->theme;
    StaffLayout sl;
    ChromeLayout c;
    staff_header(r, app, &sl, &c);
    const StaffInfo *si = &app->staff;
    const char *lines[APP_STAFF_INFO_LINES] = {si->deck,     si->reload, si->signups,
                                               si->files,    si->today,  si->week,
                                               si->delivery, si->disk,   si->version};
    for (int i = 0; i < APP_STAFF_INFO_LINES; i++)
        text_in(r, lines[i], sl.info[i].h * 4 / 5, false, col(t->text), sl.info[i], ALIGN_LEFT);
    paragraph_in(r, si->message, sl.message.h * 2 / 5, true, col(t->accent), sl.message,
                 ALIGN_LEFT);
    if (si->erase_confirm) {
        draw_erase_confirm(r, app, &sl, &c);
        return;
    }
    if (si->erasable > 0)
        button(r, sl.erase_btn, d->texts.staff_erase, c.label_px, BTN_SECONDARY,
               app->pressed.kind == HIT_STAFF_ERASE);
    button(r, sl.export_btn, d->texts.staff_export, c.label_px, BTN_PRIMARY,
           app->pressed.kind == HIT_STAFF_EXPORT);
    button(r, sl.restart, d->texts.staff_restart, c.label_px, BTN_SECONDARY,
           app->pressed.kind == HIT_STAFF_RESTART);
    button(r, sl.exit_btn, d->texts.staff_exit, c.label_px, BTN_SECONDARY,
           app->pressed.kind == HIT_STAFF_EXIT);
}

bool render_prepare(Render *r, const App *app)
{
    if (app->asleep || app->screen != SCREEN_SLIDES || app->trans_dir != 0 ||
        r->deck->slide_count < 2)
        return false;
    int next = (app->slide + 1) % (int)r->deck->slide_count;
    for (int i = 0; i < RENDER_SLIDE_CACHE; i++)
        if (r->slides[i].tex && r->slides[i].index == next && r->slides[i].w == app->w &&
            r->slides[i].h == app->h)
            return false;
    /* Keep the shown slide's texture: it is the most recently used, so the
     * next one takes the other place. */
    slide_texture(r, app->slide, app->w, app->h);
    slide_texture(r, next, app->w, app->h);
    return true;
}

void render_frame(Render *r, const App *app, uint64_t now)
{
    if (app->deck != r->deck && app->base == r->deck_base)
        set_view(r, app->deck);
    if (app->asleep) {
        /* Outside opening hours: black, so the panel idles. */
        SDL_SetRenderDrawColor(r->r, 0, 0, 0, 255);
        SDL_RenderClear(r->r);
        return;
    }
    /* Slides cover the whole screen with opaque textures: clearing first
     * would only paint every pixel twice. */
    if (app->screen != SCREEN_SLIDES) {
        SDL_Color bg = col(r->deck->theme.background);
        SDL_SetRenderDrawColor(r->r, bg.r, bg.g, bg.b, 255);
        SDL_RenderClear(r->r);
    }
    switch (app->screen) {
    case SCREEN_SLIDES:
        draw_slides(r, app, now);
        break;
    case SCREEN_FORM:
        draw_form(r, app);
        break;
    case SCREEN_THANKS:
        draw_thanks(r, app);
        break;
    case SCREEN_PIN:
        draw_pin(r, app, now);
        break;
    case SCREEN_STAFF:
        draw_staff(r, app);
        break;
    }
}
