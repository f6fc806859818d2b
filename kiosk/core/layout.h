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
    BOX_QR,     /* the booking QR code: r is its light square, quiet zone
                   included; number is the whole pixels per module */
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

/* The booking QR code's modules, in whole pixels. 5 px is ~0.96 mm on the
 * 7" 800x480 panel (800 px over 154 mm): a 33-module code is 40 mm wide
 * with its quiet zone, which a phone camera reads from half a metre (it
 * still sees 5 camera pixels per module there). 3 px is the least we draw;
 * below that a phone must come close, and the panel is left out. */
#define LAYOUT_QR_GOOD_MODULE_PX 5
#define LAYOUT_QR_MIN_MODULE_PX 3
/* The QR code is never wider than this share of the screen's short side:
 * on a big screen a code that fills the column looks like a poster. */
#define LAYOUT_QR_MAX_SIDE_PCT 45

/** The booking panel: the deck's line (texts.booking_prompt), the QR code
 *  of deck->booking_url and the URL under it, centred in @p area, appended
 *  to @p out. The text starts at @p px and gives way (down to the smallest
 *  legible size) until the code has LAYOUT_QR_GOOD_MODULE_PX per module.
 *  Returns false, adding nothing, when the deck has no booking URL or the
 *  code would get fewer than LAYOUT_QR_MIN_MODULE_PX. */
bool layout_booking(const Deck *deck, LRect area, int px, int short_side, const LayoutMetrics *m,
                    SlideLayout *out);

/** The label of a button (navigation, form, choice): inside the button with
 *  the same padding on every button, a quarter of its height on the left
 *  and right and a tenth above and below. It keeps @p px when it fits on
 *  one line, else shrinks until it does; if that takes it below
 *  LAYOUT_LABEL_MIN_PCT of px and the label has several words, two lines
 *  are used instead when they can be larger. Line i is
 *  text[start[i], +len[i]) in r[i]; every r[i] lies inside the padded box
 *  (a single word too wide even at LAYOUT_LABEL_FLOOR_PX is the one
 *  exception, drawn at that size). */
typedef struct {
    int lines, px;
    size_t start[2], len[2];
    LRect r[2];
} ButtonLabel;

/* A label shrinks to this share of its size before it wraps: a little
 * smaller reads better than a word broken over two lines. */
#define LAYOUT_LABEL_MIN_PCT 80
/* Below this a label is unreadable at any distance; it stops shrinking. */
#define LAYOUT_LABEL_FLOOR_PX 8

LRect layout_button_inner(LRect button);
void layout_button_label(const LayoutMetrics *m, const char *text, int px, bool bold, LRect button,
                         ButtonLabel *out);

/** One size for a row of choice buttons, so that no option looks more
 *  important than another: the smallest that layout_button_label() gives
 *  any of the @p n labels in its button (measured bold, as a chosen one is
 *  drawn, so choosing does not resize it). */
int layout_choices_px(const LayoutMetrics *m, const char *const *labels, const LRect *buttons,
                      int n, int px);

/** The thank-you screen: its title, its message and, when the deck has a
 *  booking URL, the booking panel's area (beside the text in landscape,
 *  under it in portrait; w == 0 without a URL). */
typedef struct {
    LRect title, text, booking;
} ThanksLayout;

void layout_thanks(const Deck *deck, int w, int h, ThanksLayout *out);

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
