/* fit: --check's proof that every slide fits the smallest supported
 * screens with the real fonts, before a client ever sees it clipped or
 * shrunk past reading. */
#include "fit.h"

#include <SDL_ttf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "layout.h"
#include "text.h"

/* The official Raspberry Pi 7" display, landscape and portrait. */
static const struct {
    int w, h;
} fit_sizes[] = {{800, 480}, {480, 800}};

/* Decodes every image the kiosk would show, as the kiosk would (same
 * checks, same decoders, no disk cache), and names each it would refuse at
 * its slide. Images the loader already reported (missing, outside the
 * deck's folder) are not tried again. */
static int check_images(const Deck *deck, DiagList *diags)
{
    int problems = 0;
    for (size_t i = 0; i < deck->slide_count; i++) {
        const Slide *s = &deck->slides[i];
        if (!s->image || s->image_missing)
            continue;
        /* A picture shown on several slides is decoded and reported once. */
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = deck->slides[j].image && !deck->slides[j].image_missing &&
                   strcmp(deck->slides[j].image, s->image) == 0;
        if (seen)
            continue;
        char why[512];
        SDL_Surface *img = image_load(s->image, fit_sizes[0].w, fit_sizes[0].h, NULL, why,
                                      sizeof why);
        if (img) {
            SDL_FreeSurface(img);
            continue;
        }
        diag_add(diags, DIAG_WARNING, deck->path, s->line, s->col,
                 "slide %zu's image '%s' cannot be shown: %s (expected a PNG, JPEG or SVG of at "
                 "most %zu MiB and %lld megapixels; the kiosk shows a placeholder)",
                 i + 1, s->image, why, IMAGEFILE_MAX_BYTES >> 20, IMAGEFILE_MAX_PIXELS / 1000000);
        problems++;
    }
    return problems;
}

/* "" for the deck as written; " (Español, larger text)" for a view. */
static void view_name(const Deck *base, const Deck *v, char *buf, size_t cap)
{
    if (v == base) {
        buf[0] = '\0';
        return;
    }
    snprintf(buf, cap, " (%s%s)", v->lang_name ? v->lang_name : "?",
             v->is_large ? ", larger text" : "");
}

/* Larger text must really be larger: its running text at least
 * FIT_MIN_GROWTH times the normal view's, after both are fitted. */
#define FIT_MIN_GROWTH 1.3

/* One slide of one view at one size; returns its body size, or -1 after
 * reporting that it does not fit. */
static int fit_slide(const Deck *base, const Deck *v, size_t i, int w, int h,
                     const LayoutMetrics *m, SlideLayout *lay, DiagList *diags)
{
    const Slide *s = &v->slides[i];
    layout_slide(v, s, w, h, m, lay);
    if (!lay->truncated && !lay->too_long)
        return lay->body_px;
    char what[160];
    view_name(base, v, what, sizeof what);
    /* The slide's place in the deck, which every language shares. */
    diag_add(diags, lay->truncated ? DIAG_ERROR : DIAG_WARNING, base->path, s->line, s->col,
             "slide %zu%s is too long for a %dx%d screen: its text is shrunk to %d px, below "
             "the readable %d px (shorten it or split the slide)",
             i + 1, what, w, h, lay->body_px, lay->min_px);
    return -1;
}

/* One language in both text sizes; the larger must be FIT_MIN_GROWTH times
 * the normal after both are fitted. */
static int check_language(const Deck *base, size_t lang, const LayoutMetrics *m, SlideLayout *lay,
                          DiagList *diags)
{
    const Deck *normal = deck_view(base, lang, false), *large = deck_view(base, lang, true);
    int problems = 0;
    for (size_t i = 0; i < normal->slide_count; i++) {
        for (size_t k = 0; k < sizeof fit_sizes / sizeof fit_sizes[0]; k++) {
            int w = fit_sizes[k].w, h = fit_sizes[k].h;
            int px = fit_slide(base, normal, i, w, h, m, lay, diags);
            int big = large != normal ? fit_slide(base, large, i, w, h, m, lay, diags) : px;
            if (px < 0 || big < 0) {
                problems++;
                break;
            }
            if (large != normal && big * 10 < px * (int)lround(FIT_MIN_GROWTH * 10)) {
                char what[160];
                view_name(base, large, what, sizeof what);
                diag_add(diags, DIAG_WARNING, base->path, normal->slides[i].line,
                         normal->slides[i].col,
                         "slide %zu%s has text of %d px on a %dx%d screen, not %.1fx the normal "
                         "%d px: it is shrunk to fit (shorten it so larger text is larger)",
                         i + 1, what, big, w, h, FIT_MIN_GROWTH, px);
                problems++;
                break;
            }
        }
    }
    return problems;
}

int fit_check_deck(const Deck *deck, const char *data_dir, DiagList *diags)
{
    bool own_ttf = !TTF_WasInit();
    if (own_ttf && TTF_Init() != 0) {
        diag_add(diags, DIAG_WARNING, deck->path, 0, 0, "cannot check that slides fit: %s",
                 TTF_GetError());
        return 0;
    }
    char err[512];
    TextFonts *fonts = text_open_deck(deck, data_dir, err, sizeof err);
    if (!fonts) {
        diag_add(diags, DIAG_ERROR, deck->path, 0, 0, "cannot check that slides fit: %s", err);
        if (own_ttf)
            TTF_Quit();
        return 1;
    }
    SlideLayout *lay = malloc(sizeof *lay);
    int problems = 0;
    LayoutMetrics m = {text_measure, fonts};
    /* Every language, in both text sizes: a client may pick any of them. */
    size_t langs = deck->lang_count ? deck->lang_count : 1;
    for (size_t l = 0; lay && l < langs; l++)
        problems += check_language(deck, l, &m, lay, diags);
    free(lay);
    problems += check_images(deck, diags);
    text_close(fonts);
    if (own_ttf)
        TTF_Quit();
    return problems;
}
