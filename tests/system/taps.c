/* taps: where to tap on the real screen, worked out with the kiosk's own
 * pure core (kiosk/core app.c, keyboard.c, layout.c) instead of pixel
 * positions measured by hand, so the whole-system test keeps working when
 * the layout or the deck changes.
 *
 *   taps DECK DATA_DIR W H signup|staff|staff-open PIN
 *
 * It plays the journey on a simulated App of W x H (the screen the VM
 * shows), tap by tap, exactly as the kiosk would take the same taps, and
 * prints one line per gesture for tests/system/run.py:
 *
 *   tap X Y WHAT        a finger down and up at pixel (X, Y)
 *   hold X Y MS WHAT    a finger held MS milliseconds
 *   screen NAME         the screen the kiosk shows now (a checkpoint)
 *   expect FIELD VALUE  what the sign-up row must hold
 *   button NAME X Y     where a staff-screen button is (staff-open), for
 *                       the USB proof to tap when it is ready
 *
 * signup: from the first slide, Next, the sign-up button, every field of
 * the deck's form filled with the on-screen keyboard (text), the second
 * choice (choice), the consent ticked, Send. staff: hold the staff corner,
 * type PIN on the keypad, open the staff screen, tap "Exit kiosk".
 * staff-open: the same up to the open staff screen, then its buttons
 * (export, erase, yes, exit, close).
 * Exits non-zero when the simulated kiosk does not end where it should. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "deck.h"
#include "deckload.h"
#include "diag.h"

static App app;
static uint64_t now = 1000;

static const char *screen_name(Screen s)
{
    switch (s) {
    case SCREEN_SLIDES:
        return "slides";
    case SCREEN_FORM:
        return "form";
    case SCREEN_THANKS:
        return "thanks";
    case SCREEN_PIN:
        return "pin";
    case SCREEN_STAFF:
        return "staff";
    }
    return "?";
}

static void step(InputType type, int x, int y)
{
    Input in = {0};
    in.type = type;
    in.x = x;
    in.y = y;
    app_update(&app, &in, now);
}

static void wait_ms(int ms)
{
    for (int t = 0; t < ms; t += 16) {
        now += 16;
        step(IN_TICK, 0, 0);
    }
}

/* The driver waits between gestures too; here time only has to pass so
 * that transitions end and a tap is not taken for a double tap. */
static void tap(int x, int y, const char *what)
{
    printf("tap %d %d %s\n", x, y, what);
    step(IN_DOWN, x, y);
    wait_ms(80);
    step(IN_UP, x, y);
    wait_ms(600);
}

static void tap_rect(LRect r, const char *what)
{
    tap(r.x + r.w / 2, r.y + r.h / 2, what);
}

static void hold(LRect r, int ms, const char *what)
{
    int x = r.x + r.w / 2, y = r.y + r.h / 2;
    printf("hold %d %d %d %s\n", x, y, ms, what);
    step(IN_DOWN, x, y);
    wait_ms(ms);
    step(IN_UP, x, y);
    wait_ms(600);
}

static void screen(void)
{
    printf("screen %s\n", screen_name(app.screen));
}

static int find_key(const char *text)
{
    for (int i = 0; i < app.kb.count; i++) {
        const KeyBox *k = &app.kb.keys[i];
        if (k->action.kind == KEY_INSERT && k->action.text && strcmp(k->action.text, text) == 0)
            return i;
    }
    return -1;
}

static int find_action(KeyActionKind kind)
{
    for (int i = 0; i < app.kb.count; i++)
        if (app.kb.keys[i].action.kind == kind)
            return i;
    return -1;
}

static void press(int key)
{
    const KeyBox *k = &app.kb.keys[key];
    char what[64];
    if (k->action.kind == KEY_INSERT)
        snprintf(what, sizeof what, "key '%s'", k->action.text);
    else
        snprintf(what, sizeof what, "key %s", k->label ? k->label : "?");
    tap(k->x + k->w / 2, k->y + k->h / 2, what);
}

/* Types with on-screen keys only, turning pages as a person would. */
static int type(const char *s)
{
    for (; *s; s++) {
        char want[2] = {*s, 0};
        int k = find_key(want);
        static const KeyActionKind pages[] = {KEY_SHIFT, KEY_PAGE_SYMBOLS, KEY_PAGE_LETTERS,
                                              KEY_SHIFT, KEY_PAGE_LETTERS};
        for (size_t t = 0; k < 0 && t < sizeof pages / sizeof pages[0]; t++) {
            int p = find_action(pages[t]);
            if (p < 0)
                continue;
            press(p);
            k = find_key(want);
        }
        if (k < 0) {
            fprintf(stderr, "taps: no on-screen key types '%c'\n", *s);
            return -1;
        }
        press(k);
    }
    return 0;
}

static int signup(void)
{
    ChromeLayout c;
    layout_chrome(app.deck, app.w, app.h, &c);
    screen();
    tap_rect(c.next, "Next");
    if (app.slide != 1) {
        fprintf(stderr, "taps: Next did not move to the second slide\n");
        return -1;
    }
    screen();
    if (c.signup.w <= 0) {
        fprintf(stderr, "taps: the deck has no sign-up button in its bar\n");
        return -1;
    }
    tap_rect(c.signup, "the sign-up button");
    if (app.screen != SCREEN_FORM) {
        fprintf(stderr, "taps: the sign-up button did not open the form\n");
        return -1;
    }
    screen();
    for (int i = 0; i < app.form.count; i++) {
        FormLayout fl;
        app_form_layout(&app, &fl);
        const char *value = NULL;
        switch (app.form.spec[i].kind) {
        case FORM_TEXT:
            value = "Ann Lee";
            break;
        case FORM_PHONE:
            /* The phone keypad has no space key (digits, + and -). */
            value = "020-7946-0958";
            break;
        case FORM_EMAIL:
            value = "ann.lee@example.com";
            break;
        case FORM_CHOICE:
            if (app.form.spec[i].choice_count > 1) {
                tap_rect(fl.choice[i][1], "a choice");
                printf("expect choice %d\n", i);
            }
            continue;
        case FORM_CHECK:
            tap_rect(fl.consent_box, "the consent box");
            continue;
        }
        char what[32];
        snprintf(what, sizeof what, "field %d", i);
        tap_rect(fl.box[i], what);
        if (!app.kb_visible) {
            fprintf(stderr, "taps: no keyboard for field %d\n", i);
            return -1;
        }
        if (type(value) != 0)
            return -1;
        if (strcmp(app.form.value[i], value) != 0) {
            fprintf(stderr, "taps: field %d holds '%s', not '%s'\n", i, app.form.value[i], value);
            return -1;
        }
        printf("expect text %s\n", value);
        press(find_action(KEY_DONE));
        if (app.kb_visible) {
            fprintf(stderr, "taps: the keyboard stayed after done\n");
            return -1;
        }
    }
    if (!form_valid(&app.form)) {
        fprintf(stderr, "taps: the filled form is not valid\n");
        return -1;
    }
    screen();
    FormLayout fl;
    app_form_layout(&app, &fl);
    tap_rect(fl.submit, "Send");
    if (!(app.effects & EFFECT_STORE) && app.screen != SCREEN_THANKS) {
        fprintf(stderr, "taps: Send did not store the sign-up\n");
        return -1;
    }
    app.effects = 0;
    app_stored(&app, true, now);
    screen();
    return app.screen == SCREEN_THANKS ? 0 : -1;
}

static void button(const char *name, LRect r)
{
    printf("button %s %d %d\n", name, r.x + r.w / 2, r.y + r.h / 2);
}

static int staff(const char *pin, bool leave)
{
    screen();
    /* Held well past APP_STAFF_HOLD_MS: the shell sees the hold only in a
     * turn between then and the release, and a slow (emulated) kiosk may
     * spend seconds preparing the next slide between two turns. */
    hold(app_staff_corner(&app), APP_STAFF_HOLD_MS + 7000, "the staff corner");
    if (app.screen != SCREEN_PIN) {
        fprintf(stderr, "taps: holding the corner did not open the PIN screen\n");
        return -1;
    }
    screen();
    if (type(pin) != 0)
        return -1;
    press(find_action(KEY_DONE));
    if (!(app.effects & EFFECT_CHECK_PIN)) {
        fprintf(stderr, "taps: the PIN was not sent for checking\n");
        return -1;
    }
    app.effects = 0;
    app_pin_result(&app, true, now);
    screen();
    StaffLayout sl;
    app_staff_layout(&app, &sl);
    if (!leave) {
        button("export", sl.export_btn);
        button("erase", sl.erase_btn);
        button("yes", sl.yes_btn);
        button("exit", sl.exit_btn);
        button("close", sl.close);
        return app.screen == SCREEN_STAFF ? 0 : -1;
    }
    tap_rect(sl.exit_btn, "Exit kiosk");
    if (!(app.effects & EFFECT_QUIT)) {
        fprintf(stderr, "taps: Exit kiosk did not quit\n");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: taps DECK DATA_DIR W H signup|staff [PIN]\n");
        return 2;
    }
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions lo = {.data_dir = argv[2]};
    Deck *deck = deck_load(argv[1], &lo, &diags);
    diag_clear(&diags);
    if (!deck) {
        fprintf(stderr, "taps: cannot load %s\n", argv[1]);
        return 1;
    }
    app_init(&app, deck, atoi(argv[3]), atoi(argv[4]), now);
    wait_ms(100);
    int rc;
    if (strcmp(argv[5], "signup") == 0)
        rc = signup();
    else if (strcmp(argv[5], "staff") == 0 && argc > 6)
        rc = staff(argv[6], true);
    else if (strcmp(argv[5], "staff-open") == 0 && argc > 6)
        rc = staff(argv[6], false);
    else
        rc = 2;
    deck_free(deck);
    return rc == 0 ? 0 : 1;
}
