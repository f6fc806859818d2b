/* The bundled deck with the real fonts: every slide fits every supported
 * screen with body text at or above the readable minimum, every image it
 * names exists and decodes (and --check names one that does not), the theme
 * meets WCAG AA, and the fake metrics the layout tests use agree with the
 * real font on what fits. */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "deck.h"
#include "deckload.h"
#include "fit.h"
#include "layout.h"
#include "text.h"

static const struct {
    int w, h;
} sizes[] = {{800, 480},   {480, 800},   {1024, 600}, {1280, 800},
             {1920, 1080}, {1080, 1920}, {3840, 2160}};

static int fake_measure(void *ctx, const char *s, size_t len, int px, bool bold, int *w)
{
    (void)ctx;
    int chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    *w = chars * px * (bold ? 60 : 55) / 100;
    return 0;
}

int main(void)
{
    if (SDL_Init(0) != 0 || TTF_Init() != 0)
        return 1;
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions lo = {.data_dir = TEST_SOURCE_DIR};
    Deck *d = deck_load(TEST_SOURCE_DIR "/slides/microneedling.yaml", &lo, &diags);
    CHECK(d != NULL);
    /* No warnings at all: contrast, durations, layouts. */
    CHECK_INT(diags.count, 0);
    diag_print(&diags, stderr);
    diag_clear(&diags);
    if (!d)
        return check_report("test_fit");

    char err[256];
    TextFonts *fonts = text_open_deck(d, TEST_SOURCE_DIR, err, sizeof err);
    CHECK(fonts != NULL);
    CHECK(strstr(d->theme.font, "AtkinsonHyperlegible-Regular.ttf") != NULL);
    LayoutMetrics real = {text_measure, fonts}, fake = {fake_measure, NULL};
    SlideLayout *lay = malloc(sizeof *lay);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        LayoutSizes z = layout_sizes(d, sizes[k].w, sizes[k].h);
        for (size_t i = 0; i < d->slide_count; i++) {
            layout_slide(d, &d->slides[i], sizes[k].w, sizes[k].h, &real, lay);
            if (lay->too_long || lay->truncated || lay->body_px < z.min_body) {
                fprintf(stderr, "%dx%d slide %zu: body %d px (minimum %d)%s\n", sizes[k].w,
                        sizes[k].h, i + 1, lay->body_px, z.min_body,
                        lay->truncated ? ", truncated" : "");
                check_failures++;
            }
            /* Readable from across the room: the floors. */
            if (sizes[k].w == 800 && sizes[k].h == 480)
                CHECK(lay->body_px >= 24);
            if (sizes[k].w == 1920 && sizes[k].h == 1080)
                CHECK(lay->body_px >= 44);
            /* What fits with the real font fits with the fake one: the
             * layout tests' fake is a fair stand-in. */
            layout_slide(d, &d->slides[i], sizes[k].w, sizes[k].h, &fake, lay);
            CHECK(!lay->too_long);
        }
    }
    free(lay);

    /* The check --check runs agrees. */
    /* Every language, normal and larger text (at least 1.3x after
     * fitting), slides and the form. */
    CHECK_INT(fit_check_deck(d, TEST_SOURCE_DIR, &diags), 0);
    diag_clear(&diags);

    /* Every image named exists and decodes. */
    int images = 0;
    for (size_t i = 0; i < d->slide_count; i++) {
        const Slide *s = &d->slides[i];
        if (!s->image)
            continue;
        images++;
        CHECK(!s->image_missing);
        SDL_Surface *img = IMG_Load(s->image);
        if (!img) {
            fprintf(stderr, "%s: %s\n", s->image, IMG_GetError());
            check_failures++;
            continue;
        }
        CHECK(img->w >= 100 && img->h >= 100);
        SDL_FreeSurface(img);
    }
    CHECK(images >= 12);

    /* WCAG 2.1 AA: 4.5:1 for text, 3:1 for large titles and controls. */
    const DeckTheme *t = &d->theme;
    CHECK(deck_contrast_ratio(t->text, t->background) >= 4.5);
    CHECK(deck_contrast_ratio(t->muted, t->background) >= 4.5);
    CHECK(deck_contrast_ratio(t->accent_text, t->accent) >= 4.5);
    CHECK(deck_contrast_ratio(t->text, t->surface) >= 4.5);
    CHECK(deck_contrast_ratio(t->error, t->surface) >= 4.5);
    CHECK(deck_contrast_ratio(t->accent, t->background) >= 3.0);

    /* A deck whose text is far too long is reported by the fit check. */
    char yaml[3000] = "slides:\n  - title: Too much\n    text: ";
    for (int i = 0; i < 60; i++)
        strcat(yaml, "many more words here ");
    strcat(yaml, "\n");
    Deck *big = deck_load_string(TEST_SOURCE_DIR "/slides/t.yaml", yaml, strlen(yaml), &lo, &diags);
    CHECK(big != NULL);
    diag_clear(&diags);
    if (big) {
        CHECK(fit_check_deck(big, TEST_SOURCE_DIR, &diags) > 0);
        CHECK(diags.count > 0 && strstr(diags.items[0].message, "too long for a 800x480") != NULL);
        if (diags.count)
            CHECK_INT(diags.items[0].line, 2);
        diag_clear(&diags);
        deck_free(big);
    }
    /* An image the kiosk would refuse is named at its slide, with why. */
    static const char bad[] = "slides:\n  - title: Words\n    text: Fine.\n"
                              "  - title: Picture\n    image: tests/decks/README.md\n";
    Deck *pic = deck_load_string(TEST_SOURCE_DIR "/slides/t.yaml", bad, strlen(bad), &lo, &diags);
    CHECK(pic != NULL && diags.count == 0);
    diag_clear(&diags);
    if (pic) {
        CHECK_INT(fit_check_deck(pic, TEST_SOURCE_DIR, &diags), 1);
        CHECK_INT(diags.count, 1);
        if (diags.count) {
            CHECK_INT(diags.items[0].line, 4);
            CHECK_INT(diags.items[0].col, 5);
            CHECK_INT(diags.items[0].level, DIAG_WARNING);
            CHECK(strstr(diags.items[0].message, "slide 2's image '") == diags.items[0].message);
            CHECK(strstr(diags.items[0].message,
                         "tests/decks/README.md' cannot be shown: it is not a PNG, JPEG or SVG "
                         "file (expected a PNG, JPEG or SVG of at most 32 MiB and 40 megapixels; "
                         "the kiosk shows a placeholder)") != NULL);
        }
        diag_clear(&diags);
        deck_free(pic);
    }
    text_close(fonts);
    deck_free(d);
    TTF_Quit();
    SDL_Quit();
    return check_report("test_fit");
}
