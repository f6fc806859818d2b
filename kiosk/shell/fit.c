/* fit: --check's proof that every slide fits the smallest supported
 * screens with the real fonts, before a client ever sees it clipped or
 * shrunk past reading. */
#include "fit.h"

#include <SDL_ttf.h>
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
    for (size_t i = 0; lay && i < deck->slide_count; i++) {
        const Slide *s = &deck->slides[i];
        for (size_t k = 0; k < sizeof fit_sizes / sizeof fit_sizes[0]; k++) {
            layout_slide(deck, s, fit_sizes[k].w, fit_sizes[k].h, &m, lay);
            if (lay->truncated) {
                diag_add(diags, DIAG_ERROR, deck->path, s->line, s->col,
                         "slide %zu is far too long for a %dx%d screen (expected text that "
                         "fits: split it over several slides)",
                         i + 1, fit_sizes[k].w, fit_sizes[k].h);
                problems++;
                break;
            }
            if (lay->too_long) {
                diag_add(diags, DIAG_WARNING, deck->path, s->line, s->col,
                         "slide %zu is too long for a %dx%d screen: its text is shrunk to "
                         "%d px, below the readable %d px (shorten it or split the slide)",
                         i + 1, fit_sizes[k].w, fit_sizes[k].h, lay->body_px, lay->min_px);
                problems++;
                break;
            }
        }
    }
    free(lay);
    problems += check_images(deck, diags);
    text_close(fonts);
    if (own_ttf)
        TTF_Quit();
    return problems;
}
