/* layout: pure placement of everything the kiosk draws.
 *
 * A slide, a screen size and a way to measure text go in; positioned boxes
 * come out. Sizes derive from the screen (never fixed pixels), so the same
 * deck works from 800x480 to 3840x2160, landscape or portrait. Text is
 * measured through LayoutMetrics: the real one wraps TTF_SizeUTF8, tests use
 * a fixed advance per glyph. Nothing here draws or allocates. */
#ifndef KIOSK_LAYOUT_H
#define KIOSK_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "deck.h"

typedef struct {
    int x, y, w, h;
} LRect;

/** Measures one line of UTF-8 text (len bytes, not NUL-terminated) at a font
 *  size of px pixels; sets *w. Returns 0, or -1 if it cannot measure. */
typedef int (*LayoutMeasureFn)(void *ctx, const char *utf8, size_t len, int px, bool bold, int *w);

typedef struct {
    LayoutMeasureFn measure;
    void *ctx;
} LayoutMetrics;

typedef enum {
    BOX_TEXT,   /* one line of text */
    BOX_IMAGE,  /* an image scaled to fit inside r, aspect kept */
    BOX_BULLET, /* a round bullet */
    BOX_BADGE,  /* a numbered circle for steps */
    BOX_BUTTON, /* a call-to-action button; its label is a BOX_TEXT after it */
} BoxKind;

typedef enum { INK_TEXT, INK_MUTED, INK_ACCENT, INK_ACCENT_TEXT } BoxInk;

typedef struct {
    BoxKind kind;
    LRect r;
    const char *text; /* BOX_TEXT: points into the deck; len bytes */
    size_t len;
    int px; /* font size */
    bool bold;
    BoxInk ink;
    const char *image; /* BOX_IMAGE: path, NULL for a placeholder */
    int number;        /* BOX_BADGE */
} Box;

/* Enough for a slide of the longest text at the smallest size. */
#define LAYOUT_MAX_BOXES 400

typedef struct {
    Box box[LAYOUT_MAX_BOXES];
    int count;
    int body_px;    /* body size used after shrinking to fit */
    int min_px;     /* the readable minimum for this screen */
    bool too_long;  /* even the readable minimum did not fit: text was made smaller */
    bool truncated; /* more boxes than LAYOUT_MAX_BOXES */
} SlideLayout;

/** The font sizes of a screen: body text, its readable minimum, titles. */
typedef struct {
    int body, min_body, title, hero;
} LayoutSizes;

LayoutSizes layout_sizes(const Deck *deck, int w, int h);

/** The margin around content, proportional to the screen. */
int layout_margin(int w, int h);

/** The navigation bar along the bottom of slide screens. */
typedef struct {
    LRect bar;
    LRect back, next, signup; /* signup.w == 0 when there is no persistent button */
    LRect progress;           /* where the dots go */
    int label_px;
} ChromeLayout;

void layout_chrome(const Deck *deck, int w, int h, ChromeLayout *out);

/** The view buttons: one per other language (its name in that language)
 *  and the larger/normal text toggle, in a row ending at the top-right.
 *  Sizes come from the screen, never from the labels, so the core can hit
 *  test them; the renderer shrinks a long label to fit. */
typedef struct {
    LRect strip;                    /* all of them; w == 0 when none */
    LRect larger;                   /* the text size toggle */
    LRect lang[DECK_MAX_LANGUAGES]; /* switch to language i; w == 0 for the one shown */
    int label_px;
} ViewButtons;

/** The view buttons in a row whose right end is at right and top at top. */
void layout_view_buttons(const Deck *deck, int w, int h, int right, int top, ViewButtons *out);

/** The view buttons where the slides show them: top-right of the content. */
void layout_slide_view_buttons(const Deck *deck, int w, int h, ViewButtons *out);

/** The index of deck (a view) among its languages; 0 when it has none. */
size_t layout_lang_index(const Deck *deck);

/** The area above the navigation bar where slide content goes. */
LRect layout_content(const Deck *deck, int w, int h);

/** Where a call-to-action slide's button goes (also used for hit testing). */
LRect layout_cta_button(const Deck *deck, int w, int h);

/** Lays out one slide. Text that does not fit is shrunk; below the readable
 *  minimum it keeps shrinking so nothing is clipped, and too_long is set. */
void layout_slide(const Deck *deck, const Slide *slide, int w, int h, const LayoutMetrics *m,
                  SlideLayout *out);

/** Wraps one paragraph into lines of at most max_w pixels, breaking at spaces
 *  (inside a word only when the word alone is too wide, and then only between
 *  UTF-8 characters). Writes up to max_lines (start, len) pairs; returns the
 *  number of lines needed. */
int layout_wrap(const LayoutMetrics *m, const char *text, size_t len, int px, bool bold, int max_w,
                size_t *starts, size_t *lens, int max_lines);

bool layout_rects_overlap(LRect a, LRect b);
bool layout_rect_inside(LRect inner, LRect outer);
bool layout_rect_contains(LRect r, int x, int y);

#endif
