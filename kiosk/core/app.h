/* app: the whole behaviour of the kiosk as a pure step function.
 *
 * app_update(&app, &input, now_ms) takes the current state, one input and the
 * time, and moves the state on: which screen, which slide, transition
 * progress, timers, gestures, the form. It calls no SDL, reads no clock and
 * does no I/O; what the shell must do (store a sign-up, quit) comes out as
 * effects. Tests drive hours of attract loop in microseconds with it. */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "deck.h"
#include "form.h"
#include "keyboard.h"
#include "layout.h"
#include "pinguard.h"

typedef enum { SCREEN_SLIDES, SCREEN_FORM, SCREEN_THANKS, SCREEN_PIN, SCREEN_STAFF } Screen;

typedef enum {
    IN_NONE,
    IN_DOWN,  /* finger or mouse button down at (x, y) */
    IN_MOVE,  /* while down */
    IN_UP,    /* finger lifted at (x, y) */
    IN_KEY,   /* a key, see AppKey */
    IN_TEXT,  /* typed text from a physical keyboard (UTF-8) */
    IN_TICK,  /* time passed; nothing else */
    IN_RESIZE /* the screen is now x by y */
} InputType;

typedef enum {
    KEYIN_LEFT,
    KEYIN_RIGHT,
    KEYIN_HOME,
    KEYIN_BACKSPACE,
    KEYIN_RETURN,
    KEYIN_TAB
} AppKey;

typedef struct {
    InputType type;
    int x, y;
    AppKey key;
    char text[32];
} Input;

/* What the pointer is over; also what a pressed button shows. */
typedef enum {
    HIT_NONE,
    HIT_BACK,
    HIT_NEXT,
    HIT_SIGNUP,
    HIT_CTA,
    HIT_ZONE_BACK,
    HIT_ZONE_NEXT,
    HIT_FIELD,  /* index = field */
    HIT_CHOICE, /* index = field, choice = which of its choices */
    HIT_CONSENT,
    HIT_SUBMIT,
    HIT_CANCEL,
    HIT_KEY, /* index = key in the keyboard layout */
    HIT_THANKS,
    HIT_PIN_CANCEL,
    HIT_STAFF_EXPORT,
    HIT_STAFF_RESTART,
    HIT_STAFF_EXIT,
    HIT_STAFF_CLOSE,
    HIT_STAFF_ERASE,     /* asks to confirm the erase */
    HIT_STAFF_ERASE_YES, /* confirmed: EFFECT_ERASE */
    HIT_STAFF_ERASE_NO,
    HIT_LANG,  /* index = the language to switch to */
    HIT_LARGER /* the larger/normal text toggle */
} HitKind;

typedef struct {
    HitKind kind;
    int index;
    int choice; /* HIT_CHOICE only */
} Hit;

enum {
    EFFECT_STORE = 1u << 0, /* the form holds a valid sign-up: store it, then app_stored() */
    EFFECT_QUIT = 1u << 1,
    EFFECT_CHECK_PIN = 1u << 2,  /* verify app->pin against the hash, then app_pin_result() */
    EFFECT_EXPORT = 1u << 3,     /* copy the sign-ups to a USB stick, then app_staff_message() */
    EFFECT_STAFF_INFO = 1u << 4, /* the staff screen opened: fill app->staff */
    EFFECT_ERASE = 1u << 5       /* erase the exported sign-ups, then app_staff_erasable(app, 0) */
};

/* Press and hold a top corner this long to reach the staff PIN: longer
 * than any client's tap, short enough for staff who know. */
#define APP_STAFF_HOLD_MS 3000
#define APP_PIN_MAX 8

/* What the staff screen shows, filled in by the shell (it owns the files). */
typedef struct {
    char deck[160];     /* deck name and when it was loaded */
    char reload[240];   /* last reload: ok, or why it failed */
    char signups[120];  /* today / total / waiting to be written */
    char disk[80];      /* free space */
    char version[128];  /* "kiosk 0.2.0 (git 1a2b3c4-dirty), screen '<id, up to 64>'" */
    char delivery[120]; /* waiting to be delivered, last delivery */
    char message[240];  /* the result of the last action (export) */
    char files[120];    /* sign-ups per file: current, older files, recovered */
    char today[120];    /* the funnel today: slides, forms opened, sent, abandoned */
    char week[120];     /* the same since Monday */
    size_t erasable;    /* sign-ups the last export verified on the stick (0: no Erase) */
    bool erase_confirm; /* the erase was asked: Yes / Cancel showing */
} StaffInfo;

/* The staff screen's lines of facts. */
#define APP_STAFF_INFO_LINES 9

/* Gesture thresholds, as fractions of the screen so a swipe feels the same
 * on 7" and 27" panels. */
#define APP_TAP_SLOP_PERMILLE 40   /* a finger wobbles ~4 % of the short side */
#define APP_SWIPE_MIN_PERMILLE 120 /* a deliberate swipe crosses 12 % of the width */
#define APP_SWIPE_MAX_MS 800       /* slower than this is a drag, not a swipe */
#define APP_FRAME_MS 16            /* transitions animate at ~60 fps */

typedef struct {
    const Deck *deck; /* what the client sees: base in lang, larger or not */
    const Deck *base; /* borrowed; the shell keeps it alive */
    size_t lang;      /* index into base->langs; back to 0 when the kiosk resets */
    bool large;       /* larger text and high contrast, until the kiosk resets */
    int w, h;
    Screen screen;

    int slide;      /* the slide shown (the target of a transition) */
    int from_slide; /* the slide a transition leaves */
    int trans_dir;  /* +1 forward, -1 back, 0 none running */
    uint64_t trans_start;
    uint64_t slide_since; /* when the current slide was reached */
    bool attract;         /* nobody has touched since the loop last restarted */
    uint64_t last_input;

    bool down; /* a finger is down */
    int down_x, down_y;
    uint64_t down_at;
    Hit pressed; /* what shows as pressed */

    Form form;
    FormFieldSpec specs[FORM_MAX_FIELDS];
    int consent_field; /* index of the consent checkbox in form */
    KeyboardLayout kb; /* valid while a text field has focus */
    bool kb_visible;
    bool store_failed; /* thanks screen: the sign-up is kept in memory for retry */
    uint64_t thanks_since;

    bool corner_hold; /* a finger rests on the staff corner, unmoved */
    bool hold_fired;  /* the corner hold opened the PIN screen: ignore its release */
    bool asleep;      /* outside opening hours: screen dark */
    bool waking;      /* the touch that woke the screen: it presses nothing */
    char pin[APP_PIN_MAX + 1];
    bool pin_wrong; /* the last PIN entered was wrong */
    PinGuard pin_guard;
    StaffInfo staff;

    unsigned effects; /* EFFECT_* for the shell; cleared by the shell */
    bool dirty;       /* the picture changed: draw a frame */
    unsigned slides_viewed, forms_opened, forms_completed, forms_abandoned;
} App;

void app_init(App *app, const Deck *deck, int w, int h, uint64_t now_ms);

/** The first frame is on screen at now_ms: the first slide's time, and the
 *  inactivity timer, start now rather than at app_init(). */
void app_shown(App *app, uint64_t now_ms);

/** One step. */
void app_update(App *app, const Input *in, uint64_t now_ms);

/** Milliseconds until app_update must run again with IN_TICK (0 = now,
 *  -1 = only on input). The shell sleeps this long in SDL_WaitEventTimeout. */
int app_next_timeout(const App *app, uint64_t now_ms);

/** Transition progress 0..1 (1 when none is running). */
double app_transition(const App *app, uint64_t now_ms);

/** What is at (x, y) on the current screen. */
Hit app_hit(const App *app, int x, int y);

/** The shell reports how storing the sign-up went; the form is wiped. */
void app_stored(App *app, bool saved_now, uint64_t now_ms);

/** Replaces the deck (same shape guaranteed by the caller: a fresh app_init
 *  is done if the screen is not the slides). */
void app_set_deck(App *app, const Deck *deck, uint64_t now_ms);

/** Switches the client's view: language lang (an index into the deck's
 *  languages), larger text or not. What the form holds is kept. */
void app_set_view(App *app, size_t lang, bool large);

/* One sign-up as the CSV holds it: id, timestamp, kiosk id, deck name, the
 * deck's fields, the consent version, duplicate_of (dupe.h: the id of an
 * earlier row with the same phone or email, or empty) and the language the
 * client used. New columns go at the end, so older rows read the same by
 * position. */
#define APP_ROW_MAX (4 + DECK_MAX_FIELDS + 3)

typedef struct {
    const char *value[APP_ROW_MAX]; /* point into text, the deck, the arguments */
    size_t count;
    char text[DECK_MAX_FIELDS][FORM_VALUE_MAX]; /* typed values, trimmed */
} SignupRow;

/** The CSV's column names for this deck (pointers into the deck and string
 *  literals); returns how many. */
size_t app_signup_columns(const Deck *deck, const char *out[APP_ROW_MAX]);

/** Where duplicate_of is in a row of this deck's columns. */
size_t app_signup_duplicate_column(const Deck *deck);

/** The row for what the form holds: choices as their text in the deck's
 *  own language (the column reads the same whatever the client chose),
 *  typed values without leading or trailing spaces; duplicate_of empty (the
 *  shell, which holds the index of earlier rows, sets it). The row holds
 *  personal data: wipe it (util_wipe) when done. */
void app_signup_row(const App *app, const char *id, const char *stamp, const char *kiosk_id,
                    SignupRow *row);

/** The shell verified app->pin: opens the staff screen or counts a miss. */
void app_pin_result(App *app, bool ok, uint64_t now_ms);

/** Text for the staff screen's message line (the export result). */
void app_staff_message(App *app, const char *text);

/** After an export: @p rows sign-ups were verified on the stick and may be
 *  erased from the kiosk (0 hides the Erase button and any confirmation). */
void app_staff_erasable(App *app, size_t rows);

/** Outside opening hours the screen goes dark; only on the slides, never
 *  in the middle of a client's form. */
void app_sleep(App *app, bool asleep, uint64_t now_ms);

/** The corner a staff member holds to open the PIN screen. */
LRect app_staff_corner(const App *app);

/** The PIN screen's and staff screen's buttons. */
typedef struct {
    LRect title, message, entry, cancel, keypad;
    LRect info[APP_STAFF_INFO_LINES];
    LRect export_btn, erase_btn, restart, exit_btn, close;
    LRect yes_btn, no_btn; /* the erase confirmation, over export and erase */
} StaffLayout;

void app_staff_layout(const App *app, StaffLayout *out);

/** Where the form's pieces are on the current screen. */
typedef struct {
    LRect heading; /* heading and intro, above the fields */
    LRect label[FORM_MAX_FIELDS];
    LRect box[FORM_MAX_FIELDS];   /* input box, or the row of choices */
    LRect error[FORM_MAX_FIELDS]; /* where the field's message goes */
    LRect choice[FORM_MAX_FIELDS][DECK_MAX_CHOICES];
    bool visible[FORM_MAX_FIELDS];
    LRect consent_box, consent_text;
    LRect submit, cancel;
    LRect keyboard; /* h == 0 when hidden */
    ViewButtons view;
    int label_px, value_px, small_px;
    int heading_px; /* the heading's size when the whole form shows */
} FormLayout;

void app_form_layout(const App *app, FormLayout *out);

/* The screens the docs and staff previews show, each with made-up content
 * (an example client, a PIN half typed). */
typedef enum {
    APP_PREVIEW_FORM_EMPTY,
    APP_PREVIEW_FORM_TYPING, /* the first field has focus and the keyboard is up */
    APP_PREVIEW_FORM_ERRORS, /* Send tapped on an empty form */
    APP_PREVIEW_FORM_FILLED,
    APP_PREVIEW_THANKS,
    APP_PREVIEW_SAVED_LATER, /* the thank-you screen when the disk refused the row */
    APP_PREVIEW_STAFF_PIN,
    APP_PREVIEW_STAFF, /* sets EFFECT_STAFF_INFO: the shell fills app->staff */
    APP_PREVIEW_COUNT
} AppPreview;

/** The file-name-friendly name of a preview ("form-empty", "staff"). */
const char *app_preview_name(AppPreview which);

/** Starts the app afresh (app_init at time 0, same deck and size) and shows
 *  slide number `slide` standing, or a preview screen. This is the one way
 *  the screenshots put the app in a state: through its own inputs and
 *  functions, never by writing its fields from outside. */
void app_preview_slide(App *app, int slide);
void app_preview(App *app, AppPreview which);

/** The thank-you screen's button area (the whole screen is a target too). */
LRect app_thanks_button(const App *app);

#endif
