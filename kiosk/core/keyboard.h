/* On-screen keyboard as data: pages of key labels, their geometry in a
 * rectangle, and hit testing. Pure: no SDL, no I/O, no clock, no mutable
 * globals.
 *
 * Each page is one array of labels ("\n" ends a row, "" ends the map) plus a
 * parallel array of relative key widths, as in LVGL's lv_keyboard. A key
 * never acts by itself: tapping it yields a KeyAction that the form applies
 * (form_apply_key). The keyboard holds no state; the current page lives in
 * the Form.
 *
 * Icons: control keys carry a label ("⇧", "⌫", "✓", "␣") AND a KeyIcon. The
 * renderer should draw the icon when icon != KEY_ICON_NONE (the UI font may
 * not have those glyphs) and use the label only as a fallback or for
 * accessibility. The space bar is drawn with the deck's word for it
 * (labels.space, "space" by default). Labels of text keys are the text they
 * insert.
 */
#ifndef KIOSK_KEYBOARD_H
#define KIOSK_KEYBOARD_H

typedef enum { KB_MODE_TEXT, KB_MODE_EMAIL, KB_MODE_PHONE } KbMode;

/* Pages. Shift toggles LOWER <-> UPPER and ACCENTS <-> ACCENTS_UPPER. The
 * accents pages (é è à ç ü ö ñ ß … and their capitals) are reached from the
 * "àé" key on the text letter pages and on the symbols page, so that names
 * like "Zoë", "José", "Müller" and "Élodie" can be typed. */
typedef enum {
    KB_PAGE_LOWER,
    KB_PAGE_UPPER,
    KB_PAGE_SYMBOLS,
    KB_PAGE_PHONE,
    KB_PAGE_ACCENTS,
    KB_PAGE_ACCENTS_UPPER,
    KB_PAGE_COUNT
} KbPage;

typedef enum {
    KEY_INSERT,       /* insert action.text */
    KEY_BACKSPACE,    /* delete one code point before the end */
    KEY_SHIFT,        /* one-shot shift: LOWER <-> UPPER, ACCENTS <-> ACCENTS_UPPER */
    KEY_PAGE_SYMBOLS, /* "?123" */
    KEY_PAGE_LETTERS, /* "ABC" */
    KEY_PAGE_ACCENTS, /* "àé" */
    KEY_DONE          /* hide the keyboard (unfocus the field) */
} KeyActionKind;

typedef enum {
    KEY_ICON_NONE,
    KEY_ICON_SHIFT,
    KEY_ICON_BACKSPACE,
    KEY_ICON_DONE,
    KEY_ICON_SPACE
} KeyIcon;

typedef struct {
    KeyActionKind kind;
    const char *text; /* UTF-8 inserted for KEY_INSERT; NULL otherwise */
} KeyAction;

/* A key in pixels. label and action.text point to static strings. */
typedef struct {
    int x, y, w, h;
    const char *label;
    KeyIcon icon;
    KeyAction action;
} KeyBox;

/* The largest page (accents) has 36 keys; 64 leaves room for a fifth row. */
#define KB_MAX_KEYS 64

/* Every page has this many rows, so the keyboard keeps its height when the
 * page changes. */
#define KB_ROWS 4

/* The smallest key height we accept: 48 px is ~9.2 mm on the Raspberry Pi
 * 7" display (800 px over 154 mm), in line with Material's 48 dp and
 * Apple's 44 pt touch targets. */
#define KB_MIN_KEY_H_PX 48

typedef struct {
    KeyBox keys[KB_MAX_KEYS];
    int count;
    int x, y, w, h; /* the rectangle the page was laid out in */
    int gap;        /* px between neighbouring keys; half of it around the edge */
    KbMode mode;
    KbPage page; /* the page actually laid out (PHONE in KB_MODE_PHONE) */
} KeyboardLayout;

/** Lays out @p page for @p mode in the rectangle (x,y,w,h). Keys tile the
 * rectangle row by row with a gap proportional to its size (half a gap at the
 * edges), so no key leaves the rectangle and no two keys overlap. The phone
 * keypad is centred and no wider than 2.5 times its height so its keys stay
 * near-square. KB_MODE_PHONE always lays out KB_PAGE_PHONE; an out-of-range
 * page is treated as KB_PAGE_LOWER. A rectangle too small for keys gives keys
 * of zero size, which keyboard_hit() never returns. */
void keyboard_layout(KeyboardLayout *out, KbMode mode, KbPage page, int x, int y, int w, int h);

/** Index into kb->keys of the key under (px,py), or -1. A tap in a gap goes
 * to the nearest key (Chebyshev distance, first key on a tie) when it is
 * within half a gap of it, so every point of the rectangle between keys
 * resolves to a key. */
int keyboard_hit(const KeyboardLayout *kb, int px, int py);

/** Height in px the keyboard wants at the bottom of a screen_w x screen_h
 * screen: half the height in landscape (keys 52 px high at 800x480), about
 * 0.55 of the width in portrait (594 px, ~31 %, at 1080x1920), never less
 * than KB_ROWS keys of KB_MIN_KEY_H_PX and never more than 55 % of the
 * height. The same for every mode so the form does not jump between
 * fields. */
int keyboard_preferred_height(KbMode mode, int screen_w, int screen_h);

#endif
