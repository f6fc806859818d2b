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

void deck_free(Deck *deck)
{
    if (!deck)
        return;
    Arena *a = deck->arena;
    arena_free(a);
    free(a);
}
