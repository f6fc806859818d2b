/* deck: the slide deck as plain structs, and what is known about a deck
 * without reading a file. The loader is io/deckload. */
#include "deck.h"

#include <math.h>
#include <stdlib.h>

#include "arena.h"

int deck_reading_time_ms(size_t words)
{
    /* A calm loop: 4 s to notice the slide, then ~3 words a second. */
    long ms = 4000 + (long)words * 1000 / 3;
    if (ms < 6000)
        ms = 6000;
    if (ms > 30000)
        ms = 30000;
    return (int)ms;
}

const char *const deck_slide_kinds[] = {"title", "text",   "bullets", "steps",
                                        "image", "signup", NULL};

const char *deck_slide_kind_name(SlideKind kind)
{
    return deck_slide_kinds[kind];
}

/* WCAG 2.1 relative luminance. */
static double luminance(DeckColor col)
{
    double ch[3] = {col.r / 255.0, col.g / 255.0, col.b / 255.0};
    for (int i = 0; i < 3; i++)
        ch[i] = ch[i] <= 0.04045 ? ch[i] / 12.92 : pow((ch[i] + 0.055) / 1.055, 2.4);
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

double deck_contrast_ratio(DeckColor a, DeckColor b)
{
    double la = luminance(a), lb = luminance(b);
    if (la < lb) {
        double t = la;
        la = lb;
        lb = t;
    }
    return (la + 0.05) / (lb + 0.05);
}

static void free_arena(void *arena)
{
    arena_free(arena);
    free(arena);
}

void deck_free(Deck *deck)
{
    if (!deck)
        return;
    /* The languages list lives in the deck's own arena: free the others
     * first. Larger-text views live in their language's arena. */
    for (size_t i = 1; i < deck->lang_count; i++)
        if (deck->langs[i] != deck)
            free_arena(deck->langs[i]->arena);
    free_arena(deck->arena);
}

const Deck *deck_view(const Deck *deck, size_t lang, bool large)
{
    const Deck *d = deck;
    if (deck->langs && lang < deck->lang_count)
        d = deck->langs[lang];
    return large && d->large ? d->large : d;
}

/* Darker by mixing towards black until c reaches min:1 against bg: keeps the
 * clinic's hue and only deepens it. */
static DeckColor deepen(DeckColor c, DeckColor bg, double min)
{
    for (int step = 0; step < 100 && deck_contrast_ratio(c, bg) < min; step++) {
        c.r = (uint8_t)(c.r * 9 / 10);
        c.g = (uint8_t)(c.g * 9 / 10);
        c.b = (uint8_t)(c.b * 9 / 10);
    }
    return c;
}

DeckTheme deck_large_theme(const DeckTheme *theme)
{
    static const DeckColor white = {255, 255, 255}, black = {0, 0, 0};
    DeckTheme t = *theme;
    /* Black on white is the highest contrast there is (21:1); buttons and
     * accents keep the deck's hue, deepened to AAA against white. A small
     * margin over 7.0 keeps rounding in the renderer's mixes above it. */
    t.background = white;
    t.surface = white;
    t.text = black;
    t.muted = (DeckColor){0x2E, 0x2E, 0x2E};
    t.accent_text = white;
    t.accent = deepen(theme->accent, white, DECK_AAA_CONTRAST + 0.5);
    t.error = deepen(theme->error, white, DECK_AAA_CONTRAST + 0.5);
    t.text_scale = theme->text_scale * DECK_LARGE_TEXT_PERCENT / 100;
    /* Titles are already 1.45x the body: they keep their size, so that the
     * room goes to the running text. */
    t.title_scale = theme->title_scale * 100 / DECK_LARGE_TEXT_PERCENT;
    return t;
}

bool deck_theme_contrast_ok(const DeckTheme *t, double min, double *worst)
{
    /* Every pair the renderer draws text in: ink on the page and on input
     * boxes, labels on buttons, the thank-you title in the accent colour,
     * messages in the error colour. */
    const DeckColor pairs[][2] = {
        {t->text, t->background},  {t->text, t->surface},       {t->muted, t->background},
        {t->muted, t->surface},    {t->accent_text, t->accent}, {t->accent, t->background},
        {t->error, t->background}, {t->error, t->surface},
    };
    double low = 21.0;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        double r = deck_contrast_ratio(pairs[i][0], pairs[i][1]);
        low = r < low ? r : low;
    }
    if (worst)
        *worst = low;
    return low + 1e-9 >= min;
}
