/* libFuzzer target for the deck loader: a deck is a file clinic staff edit
 * by hand and the kiosk reloads while it runs, so no bytes in it may crash
 * or leak. Built and run by .ci/fuzz.sh (see docs/testing.md);
 * tests/test_fuzz_regress.c replays the corpus and the saved crashers
 * through this same function in the normal test suite.
 *
 * Besides "no crash, no leak, no undefined behaviour", it checks what the
 * rest of the kiosk relies on from a deck that loads (deck.h), and lays out
 * every slide of it, since a deck that loads is shown. */
#include "deck.h"
#include "deckload.h"
#include "diag.h"
#include "layout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The screen the layout check uses: the smallest the kiosk supports, where
 * text has the least room. */
enum { FUZZ_DECK_SCREEN_W = 800, FUZZ_DECK_SCREEN_H = 480 };

/* Every UTF-8 character is 0.55 em wide, as in tests/test_layout.c. */
static int fake_measure(void *ctx, const char *s, size_t len, int px, bool bold, int *w)
{
    (void)ctx;
    int chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    *w = chars * px * (bold ? 60 : 55) / 100;
    return 0;
}

/* Reads every byte of s, so ASan sees a string that is not there. */
static size_t touch(const char *s)
{
    return s ? strlen(s) : 0;
}

static void check_deck(const Deck *d)
{
    size_t sink = 0;
    if (d->slide_count == 0 || d->slide_count > DECK_MAX_SLIDES || !d->slides)
        abort();
    if (d->field_count > DECK_MAX_FIELDS || (d->field_count && !d->fields))
        abort();
    if (!d->path || !d->name)
        abort();
    if (d->timing.transition < TRANSITION_FADE || d->timing.transition > TRANSITION_NONE)
        abort();
    sink += touch(d->title) + touch(d->theme.font) + touch(d->theme.bold_font);
    for (size_t i = 0; i < d->slide_count; i++) {
        const Slide *s = &d->slides[i];
        if (s->kind < SLIDE_TITLE || s->kind > SLIDE_SIGNUP)
            abort();
        if (!s->name || !s->name[0] || s->item_count > DECK_MAX_ITEMS)
            abort();
        if (s->duration_ms < DECK_MIN_DURATION_MS || s->duration_ms > DECK_MAX_DURATION_MS)
            abort();
        if (s->kind == SLIDE_SIGNUP && !s->button)
            abort();
        sink += touch(s->title) + touch(s->subtitle) + touch(s->text) + touch(s->caption) +
                touch(s->image) + touch(s->button) + touch(deck_slide_kind_name(s->kind));
        for (size_t j = 0; j < s->item_count; j++)
            sink += touch(s->items[j]);
    }
    for (size_t i = 0; i < d->field_count; i++) {
        const DeckField *f = &d->fields[i];
        if (!f->id || !f->label || f->choice_count > DECK_MAX_CHOICES)
            abort();
        if (f->type == FIELD_CHOICE && (f->choice_count < 1 || !f->choices))
            abort();
        for (size_t j = 0; j < f->choice_count; j++)
            sink += touch(f->choices[j]);
    }
    (void)sink;
}

static void check_layout(const Deck *d)
{
    static SlideLayout lay; /* ~20 KiB: not on the fuzzer's stack */
    const LayoutMetrics m = {fake_measure, NULL};
    ChromeLayout chrome;
    layout_chrome(d, FUZZ_DECK_SCREEN_W, FUZZ_DECK_SCREEN_H, &chrome);
    for (size_t i = 0; i < d->slide_count; i++) {
        layout_slide(d, &d->slides[i], FUZZ_DECK_SCREEN_W, FUZZ_DECK_SCREEN_H, &m, &lay);
        if (lay.count < 0 || lay.count > LAYOUT_MAX_BOXES)
            abort();
        for (int b = 0; b < lay.count; b++) {
            const Box *box = &lay.box[b];
            volatile char sink = 0;
            /* A text box points into the deck: every byte must be there. */
            if (box->kind == BOX_TEXT)
                for (size_t k = 0; k < box->len; k++)
                    sink ^= box->text[k];
            (void)sink;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, not NUL-terminated: the loader takes a
     * length, so ASan must see any read past it. */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    DiagList diags = DIAG_LIST_INIT;
    /* Relative paths in the deck are looked up from the working directory
     * (.ci/fuzz.sh runs from the source tree, so images/... exist). */
    DeckLoadOptions opts = {.data_dir = "."};
    Deck *d = deck_load_string("slides/fuzz.yaml", text, size, &opts, &diags);
    /* deck.h: NULL comes with at least one error. */
    if (!d && diag_count(&diags, DIAG_ERROR) == 0)
        abort();
    /* Every diagnostic has a place people can find and formats in full. */
    for (size_t i = 0; i < diags.count; i++) {
        char line[2048];
        const Diag *g = &diags.items[i];
        if (!g->message || g->line < 0 || g->col < 0 || (g->line > 0 && g->col == 0))
            abort();
        if (diag_format(g, line, sizeof line) < 0)
            abort();
    }
    if (d) {
        check_deck(d);
        check_layout(d);
    }
    deck_free(d);
    diag_clear(&diags);
    free(text);
    return 0;
}
