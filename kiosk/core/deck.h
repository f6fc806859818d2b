/* deck: the slide deck model and its YAML loader.
 *
 * A Deck is plain data, immutable once loaded. Every string in it lives in
 * the deck's own arena and is freed by deck_free(); nothing is shared with
 * the caller. The format is documented for clinic staff in slides/README.md. */
#ifndef KIOSK_DECK_H
#define KIOSK_DECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "qr.h"

/* Limits. Decks are written by hand; these bound what a careless or hostile
 * file can make the kiosk do, and each is far above any sensible deck. */
#define DECK_MAX_BYTES (1024 * 1024) /* a deck of 100 slides is ~30 KiB */
#define DECK_MAX_DEPTH 16            /* the format nests 5 deep at most */
#define DECK_MAX_NODES 100000        /* bounds the tree built from a 1 MiB file */
/* A waiting-room loop is 5-20 slides; a clinic showing its photo
 * catalogue may reach a couple of hundred. More is a mistake (a file pasted
 * twice), and each slide costs nothing until it is shown. */
#define DECK_MAX_SLIDES 500
#define DECK_MAX_TEXT_BYTES 2000 /* longer will not fit a screen anyway */
#define DECK_MAX_ITEMS 8         /* bullets/steps a screen can show large */
#define DECK_MAX_FIELDS 10       /* a form a client fills in with a finger */
#define DECK_MAX_CHOICES 6       /* choice buttons that fit one row or two */
#define DECK_MIN_DURATION_MS 2000
#define DECK_MAX_DURATION_MS 120000
/* The deck's own language and its translations. Each other language is a
 * button on every slide; four buttons still leave the title its row. */
#define DECK_MAX_LANGUAGES 4
/* Larger text: running text grows by this much (percent), at least the
 * 1.3x the accessibility issue asks for. */
#define DECK_LARGE_TEXT_PERCENT 135
/* WCAG 2.1 AAA contrast for text (1.4.6). */
#define DECK_AAA_CONTRAST 7.0

typedef struct {
    uint8_t r, g, b;
} DeckColor;

typedef enum {
    SLIDE_TITLE,   /* big title, optional subtitle and image */
    SLIDE_TEXT,    /* title and paragraphs, optional image beside */
    SLIDE_BULLETS, /* title and a bullet list */
    SLIDE_STEPS,   /* title and numbered steps */
    SLIDE_IMAGE,   /* title, a large image and a caption */
    SLIDE_SIGNUP,  /* call to action: text and a button that opens the form */
} SlideKind;

typedef struct {
    SlideKind kind;
    const char *name;     /* file-name-safe slug, for screenshots */
    const char *title;    /* may be NULL */
    const char *subtitle; /* title slides; may be NULL */
    const char *text;     /* paragraphs separated by '\n'; may be NULL */
    const char **items;   /* bullets or steps */
    size_t item_count;
    const char *image;   /* resolved path; may be NULL */
    bool image_missing;  /* reported by the loader; renderer shows a placeholder */
    const char *caption; /* may be NULL */
    const char *button;  /* signup slides: label of the button */
    int duration_ms;     /* attract-loop time on screen */
    int line, col;       /* where the slide starts, for diagnostics */
} Slide;

typedef enum { TRANSITION_FADE, TRANSITION_SLIDE, TRANSITION_NONE } TransitionKind;

typedef struct {
    DeckColor background, text, accent, accent_text, muted, surface, error;
    const char *font;      /* resolved path of the regular face */
    const char *bold_font; /* resolved path of the bold face */
    int text_scale;        /* percent; 100 = the default body size */
    int title_scale;       /* percent */
    int line;              /* where theme: is, for contrast warnings */
    int col;
} DeckTheme;

typedef struct {
    TransitionKind transition;
    int transition_ms;
    int inactivity_ms;      /* back to the attract loop after no touch */
    int form_inactivity_ms; /* form wiped and closed after no touch */
    int thanks_ms;          /* thank-you screen shown this long */
} DeckTiming;

typedef enum { FIELD_TEXT, FIELD_EMAIL, FIELD_PHONE, FIELD_CHOICE } DeckFieldType;

/* How the on-screen keyboard starts a word in a text field, as phone
 * keyboards do: Shift on for every word (names), for the first letter only,
 * or never. The client can always turn Shift off. */
typedef enum { CAPITALIZE_WORDS, CAPITALIZE_FIRST, CAPITALIZE_NONE } DeckCapitalize;

typedef struct {
    const char *id; /* CSV column */
    const char *label;
    DeckFieldType type;
    bool required;
    bool contact; /* one of the "at least one of these" fields */
    const char **choices;
    size_t choice_count;
    DeckCapitalize capitalize; /* text fields: words when the id is a name */
    int line, col;             /* where the field starts, for diagnostics (0: a default) */
} DeckField;

/* Words the kiosk shows, all from the deck so a clinic can translate it. */
typedef struct {
    const char *next, *back, *signup_button, *start_over;
    const char *form_heading, *form_intro, *submit, *cancel;
    const char *consent, *consent_version;
    const char *thanks_title, *thanks_text, *saved_later_text;
    const char *err_required, *err_email, *err_phone, *err_contact, *err_consent;
    const char *err_phone_short, *err_phone_long; /* err_phone: not digits */
    const char *optional;
    const char *booking_prompt; /* the line above the booking QR code */
    const char *key_space;      /* the on-screen keyboard's space bar */
    /* The staff screen (front-desk staff, behind the PIN). */
    const char *staff_title, *pin_prompt, *pin_wrong, *pin_locked;
    const char *staff_export, *staff_restart, *staff_exit, *staff_close;
    const char *staff_erase, *staff_erase_yes, *staff_cancel;
    /* The view buttons on every slide and the form. */
    const char *larger_text, *normal_text;
} DeckTexts;

typedef struct Deck {
    const char *path; /* the file it was loaded from */
    const char *name; /* short name written with each sign-up */
    const char *title;
    DeckTheme theme;
    DeckTiming timing;
    DeckTexts texts;
    bool signup_on_every_slide;
    /* signup.booking_url: an https:// link clients may open on their own
     * phone, shown as a QR code; NULL when unset. booking_qr is its matrix
     * (modules in the deck's arena: deck_free() frees them). */
    const char *booking_url;
    QrCode booking_qr;
    Slide *slides;
    size_t slide_count;
    DeckField *fields;
    size_t field_count;
    /* Languages: every language's Deck has the same slides and fields and
     * differs only in its texts. langs[0] is the deck's own language; all
     * of them share the one list (owned by langs[0]). */
    const char *lang_code; /* "en" */
    const char *lang_name; /* in that language: "English", "Español" */
    const struct Deck *const *langs;
    size_t lang_count;
    /* This deck in larger text and the high-contrast theme; NULL when this
     * is that view (see deck_view()). */
    const struct Deck *large;
    bool is_large;
    void *arena; /* private: owns every string above */
} Deck;

/** NULL is a no-op. Frees the translations and larger-text views too. */
void deck_free(Deck *deck);

/** What a client sees: the deck in language lang (an index into
 *  deck->langs; out of range means the deck's own), in larger text when
 *  large. deck is any of its languages' Decks. */
const Deck *deck_view(const Deck *deck, size_t lang, bool large);

/** The larger-text view's theme: text_scale grown by
 *  DECK_LARGE_TEXT_PERCENT, colours replaced by a high-contrast set whose
 *  text pairs all reach DECK_AAA_CONTRAST. */
DeckTheme deck_large_theme(const DeckTheme *theme);

/** Whether every text/background pair of theme reaches min:1 (the pairs
 *  the renderer draws); sets *worst to the lowest ratio found. */
bool deck_theme_contrast_ok(const DeckTheme *theme, double min, double *worst);

/** Default attract-loop time for text with this many words: a base plus
 *  reading time at about three words a second. */
int deck_reading_time_ms(size_t words);

/** The layout names, in SlideKind order, NULL-terminated. */
extern const char *const deck_slide_kinds[];

const char *deck_slide_kind_name(SlideKind kind);

/** WCAG 2.1 contrast ratio of two colours, 1.0 .. 21.0. */
double deck_contrast_ratio(DeckColor a, DeckColor b);

#endif
