/* The app state machine with a fake clock: hours of attract loop, taps,
 * swipes, transitions and the whole sign-up form in microseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check.h"
#include "deck.h"
#include "deckload.h"

#define W 1280
#define H 800

static const char deck_yaml[] =
    "timing:\n  transition_ms: 300\n  inactivity: 60\n  form_inactivity: 45\n  thanks: 8\n"
    "slides:\n"
    "  - title: One\n    duration: 5\n"
    "  - title: Two\n    duration: 7\n"
    "  - title: Three\n    duration: 9\n"
    "  - layout: signup\n    title: Book\n    button: Go\n    duration: 6\n";

static Deck *load(const char *yaml)
{
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR};
    Deck *d = deck_load_string("test.yaml", yaml, strlen(yaml), &opts, &diags);
    if (!d)
        diag_print(&diags, stderr);
    diag_clear(&diags);
    return d;
}

static void step(App *a, InputType t, int x, int y, uint64_t now)
{
    Input in = {.type = t, .x = x, .y = y};
    app_update(a, &in, now);
}

static void tick(App *a, uint64_t now)
{
    step(a, IN_TICK, 0, 0, now);
}

static void tap(App *a, int x, int y, uint64_t now)
{
    step(a, IN_DOWN, x, y, now);
    step(a, IN_UP, x, y, now + 80);
}

static void tap_rect(App *a, LRect r, uint64_t now)
{
    tap(a, r.x + r.w / 2, r.y + r.h / 2, now);
}

static void swipe(App *a, int x0, int x1, int y0, int y1, uint64_t now, uint64_t ms)
{
    step(a, IN_DOWN, x0, y0, now);
    step(a, IN_MOVE, (x0 + x1) / 2, (y0 + y1) / 2, now + ms / 2);
    step(a, IN_UP, x1, y1, now + ms);
}

static void test_attract_loop(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    int durations[] = {5000, 7000, 9000, 6000};
    uint64_t t = 0;
    int expect = 0;
    int advances = 0;
    /* One hour, in 10 ms ticks: every advance happens on time. */
    uint64_t next = (uint64_t)durations[0];
    for (t = 10; t <= 3600u * 1000; t += 10) {
        tick(&a, t);
        if (t >= next) {
            expect = (expect + 1) % 4;
            next = t + (uint64_t)durations[expect];
            advances++;
        }
        if (a.slide != expect) {
            fprintf(stderr, "at %llu ms: slide %d, expected %d\n", (unsigned long long)t, a.slide,
                    expect);
            check_failures++;
            break;
        }
    }
    CHECK(advances > 100);
    CHECK(a.attract);
    CHECK_INT(a.screen, SCREEN_SLIDES);
}

static void test_timeout_says_when(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 1000);
    CHECK_INT(app_next_timeout(&a, 1000), 5000);
    CHECK_INT(app_next_timeout(&a, 4000), 2000);
    tick(&a, 6000);
    CHECK_INT(a.slide, 1);
    /* While a transition runs, frames come at ~60 fps. */
    CHECK_INT(app_next_timeout(&a, 6000), APP_FRAME_MS);
    tick(&a, 6300);
    CHECK_INT(a.trans_dir, 0);
    CHECK_INT(app_next_timeout(&a, 6300), 7000 - 300);
    CHECK(app_transition(&a, 6300) == 1.0);
}

/* A first frame that took seconds does not eat into the first slide. */
static void test_first_slide_counts_from_first_frame(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 1000);
    app_shown(&a, 4500);
    CHECK_INT(app_next_timeout(&a, 4500), 5000);
    tick(&a, 6000);
    CHECK_INT(a.slide, 0);
    tick(&a, 9500);
    CHECK_INT(a.slide, 1);
    /* Once a slide has moved on, app_shown changes nothing. */
    tick(&a, 9900);
    app_shown(&a, 20000);
    CHECK_INT(a.slide_since, 9500);
}

static void test_taps_and_zones(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    ChromeLayout c;
    layout_chrome(d, W, H, &c);
    /* A tap on the right part advances exactly one slide. */
    tap(&a, W * 8 / 10, H / 2, 100);
    CHECK_INT(a.slide, 1);
    CHECK(!a.attract);
    /* The Next button too, exactly one. */
    tap_rect(&a, c.next, 1000);
    CHECK_INT(a.slide, 2);
    /* Left part and Back go back. */
    tap(&a, W / 10, H / 2, 2000);
    CHECK_INT(a.slide, 1);
    tap_rect(&a, c.back, 3000);
    CHECK_INT(a.slide, 0);
    /* Back on the first slide does nothing (and Back is hidden there). */
    tap(&a, W / 10, H / 2, 4000);
    CHECK_INT(a.slide, 0);
    CHECK_INT(app_hit(&a, c.back.x + 5, c.back.y + 5).kind, HIT_NONE);
    /* Next on the last slide starts again. */
    a.slide = 3;
    tap_rect(&a, c.next, 5000);
    CHECK_INT(a.slide, 0);
    /* Keys for staff. */
    Input k = {.type = IN_KEY, .key = KEYIN_RIGHT};
    app_update(&a, &k, 6000);
    CHECK_INT(a.slide, 1);
    k.key = KEYIN_LEFT;
    app_update(&a, &k, 7000);
    CHECK_INT(a.slide, 0);
}

static void test_press_feedback(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    ChromeLayout c;
    layout_chrome(d, W, H, &c);
    a.dirty = false;
    step(&a, IN_DOWN, c.next.x + c.next.w / 2, c.next.y + c.next.h / 2, 100);
    /* Feedback on touch, before the finger lifts. */
    CHECK_INT(a.pressed.kind, HIT_NEXT);
    CHECK(a.dirty);
    CHECK_INT(a.slide, 0);
    /* Sliding off the button cancels it. */
    step(&a, IN_MOVE, c.next.x + c.next.w / 2, c.next.y - H / 3, 150);
    CHECK_INT(a.pressed.kind, HIT_NONE);
    step(&a, IN_UP, c.next.x + c.next.w / 2, c.next.y - H / 3, 400);
    CHECK_INT(a.slide, 0);
}

static void test_inactivity(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    tap(&a, W * 8 / 10, H / 2, 1000);
    tap(&a, W * 8 / 10, H / 2, 2000);
    CHECK_INT(a.slide, 2);
    /* The client reads: no auto-advance while they are here. */
    for (uint64_t t = 2100; t < 2080 + 60000; t += 100)
        tick(&a, t);
    CHECK_INT(a.slide, 2);
    CHECK(!a.attract);
    CHECK_INT(app_next_timeout(&a, 40000), 2080 + 60000 - 40000);
    tick(&a, 2080 + 60000);
    CHECK_INT(a.slide, 0);
    CHECK(a.attract);
    /* ...and the loop resumes. */
    tick(&a, 2080 + 60000 + 5000);
    CHECK_INT(a.slide, 1);
}

static void test_tap_during_transition(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    tap(&a, W * 8 / 10, H / 2, 1000);
    CHECK_INT(a.slide, 1);
    CHECK(a.trans_dir == 1);
    CHECK(app_transition(&a, 1100) < 1.0);
    /* A second tap 50 ms into the fade completes it and moves on. */
    tap(&a, W * 8 / 10, H / 2, 1130);
    CHECK_INT(a.slide, 2);
    CHECK_INT(a.from_slide, 1);
    CHECK(a.trans_dir == 1);
    CHECK(app_transition(&a, 1210) == 0.0);
    tick(&a, 1210 + 300);
    CHECK_INT(a.trans_dir, 0);
}

static void test_swipes(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    /* A quick swipe left across 20 % of the width: next. */
    swipe(&a, W * 6 / 10, W * 4 / 10, H / 2, H / 2 + 10, 1000, 200);
    CHECK_INT(a.slide, 1);
    /* Right: back. */
    swipe(&a, W * 4 / 10, W * 6 / 10, H / 2, H / 2, 2000, 200);
    CHECK_INT(a.slide, 0);
    /* Too short (8 %): more than a tap's wobble, less than a swipe: nothing. */
    swipe(&a, W / 2, W / 2 - W * 8 / 100, H / 2, H / 2, 3000, 200);
    CHECK_INT(a.slide, 0);
    /* Just over the threshold: a swipe. */
    swipe(&a, W / 2, W / 2 - W * (APP_SWIPE_MIN_PERMILLE + 5) / 1000, H / 2, H / 2, 4000, 200);
    CHECK_INT(a.slide, 1);
    /* Too slow: a drag, nothing. */
    swipe(&a, W * 7 / 10, W * 3 / 10, H / 2, H / 2, 5000, APP_SWIPE_MAX_MS + 200);
    CHECK_INT(a.slide, 1);
    /* Mostly vertical: nothing. */
    swipe(&a, W / 2, W / 2 - W / 8, H / 5, H * 4 / 5, 6000, 200);
    CHECK_INT(a.slide, 1);
    /* A wobble within the slop is still a tap (right zone: next). */
    swipe(&a, W * 8 / 10, W * 8 / 10 + 5, H / 2, H / 2 + 5, 7000, 100);
    CHECK_INT(a.slide, 2);
}

static void type_on_keyboard(App *a, const char *text, uint64_t *now)
{
    /* Press the on-screen keys that spell the text, in whichever case the
     * page shows (the form capitalises a name's first letter itself). */
    for (const char *p = text; *p; p++) {
        char want[2] = {*p, 0};
        char other[2] = {(char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p), 0};
        int found = -1;
        for (int pass = 0; pass < 2 && found < 0; pass++) {
            for (int i = 0; i < a->kb.count; i++) {
                const KeyBox *k = &a->kb.keys[i];
                if (k->action.kind == KEY_INSERT && k->action.text &&
                    (strcmp(k->action.text, want) == 0 || strcmp(k->action.text, other) == 0)) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                /* Switch to the symbols page for digits and such. */
                for (int i = 0; i < a->kb.count; i++)
                    if (a->kb.keys[i].action.kind == KEY_PAGE_SYMBOLS ||
                        a->kb.keys[i].action.kind == KEY_SHIFT) {
                        const KeyBox *k = &a->kb.keys[i];
                        tap(a, k->x + k->w / 2, k->y + k->h / 2, *now += 200);
                        break;
                    }
            }
        }
        if (found < 0) {
            fprintf(stderr, "no key for '%c'\n", *p);
            check_failures++;
            return;
        }
        const KeyBox *k = &a->kb.keys[found];
        tap(a, k->x + k->w / 2, k->y + k->h / 2, *now += 200);
    }
}

static void test_form_flow(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    ChromeLayout c;
    layout_chrome(d, W, H, &c);
    uint64_t now = 1000;
    tap_rect(&a, c.signup, now);
    CHECK_INT(a.screen, SCREEN_FORM);
    CHECK_INT(a.forms_opened, 1);
    FormLayout fl;
    app_form_layout(&a, &fl);

    /* Submit while empty: nothing stored, every error shown. */
    tap_rect(&a, fl.submit, now += 500);
    CHECK(!(a.effects & EFFECT_STORE));
    CHECK(form_should_show_error(&a.form, 0));

    /* Name: the keyboard comes up and the field stays above it. */
    tap_rect(&a, fl.box[0], now += 500);
    CHECK_INT(a.form.focus, 0);
    CHECK(a.kb_visible);
    app_form_layout(&a, &fl);
    CHECK(fl.keyboard.h > 0);
    CHECK(fl.box[0].y + fl.box[0].h <= fl.keyboard.y);
    type_on_keyboard(&a, "ann", &now);
    CHECK_STR(a.form.value[0], "Ann");

    /* Phone gets the keypad. */
    for (int i = 0; i < a.kb.count; i++)
        if (a.kb.keys[i].action.kind == KEY_DONE)
            tap(&a, a.kb.keys[i].x + 4, a.kb.keys[i].y + 4, now += 200);
    CHECK(!a.kb_visible);
    app_form_layout(&a, &fl);
    tap_rect(&a, fl.box[1], now += 500);
    CHECK_INT(a.form.focus, 1);
    CHECK_INT(a.kb.page, KB_PAGE_PHONE);
    type_on_keyboard(&a, "0123456789", &now);
    CHECK_STR(a.form.value[1], "0123456789");
    /* A physical keyboard works too. */
    Input text = {.type = IN_TEXT};
    strcpy(text.text, "0");
    app_update(&a, &text, now += 100);
    CHECK_STR(a.form.value[1], "01234567890");
    Input bs = {.type = IN_KEY, .key = KEYIN_BACKSPACE};
    app_update(&a, &bs, now += 100);
    CHECK_STR(a.form.value[1], "0123456789");

    /* Consent, then submit. */
    Input tab = {.type = IN_KEY, .key = KEYIN_TAB};
    app_update(&a, &tab, now += 100);
    CHECK_INT(a.form.focus, 2);
    app_update(&a, &tab, now += 100); /* past the last text field */
    CHECK(!a.kb_visible);
    app_form_layout(&a, &fl);
    CHECK(!form_valid(&a.form));
    tap_rect(&a, fl.consent_box, now += 300);
    CHECK(a.form.checked[a.consent_field]);
    CHECK(form_valid(&a.form));
    tap_rect(&a, fl.submit, now += 300);
    CHECK(a.effects & EFFECT_STORE);
    /* The shell stores it and reports back. */
    a.effects = 0;
    app_stored(&a, true, now);
    CHECK_INT(a.screen, SCREEN_THANKS);
    CHECK_STR(a.form.value[0], "");
    CHECK_INT(a.forms_completed, 1);
    tick(&a, now + 7999);
    CHECK_INT(a.screen, SCREEN_THANKS);
    tick(&a, now + 8000);
    CHECK_INT(a.screen, SCREEN_SLIDES);
    CHECK_INT(a.slide, 0);
    CHECK(a.attract);
}

static void test_form_inactivity_wipes(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    a.slide = 3;
    LRect cta = layout_cta_button(d, W, H);
    tap_rect(&a, cta, 1000);
    CHECK_INT(a.screen, SCREEN_FORM);
    FormLayout fl;
    app_form_layout(&a, &fl);
    tap_rect(&a, fl.box[0], 2000);
    Input text = {.type = IN_TEXT};
    strcpy(text.text, "Secret Name");
    app_update(&a, &text, 3000);
    CHECK_STR(a.form.value[0], "Secret Name");
    CHECK_INT(app_next_timeout(&a, 3000), 45000);
    tick(&a, 3000 + 44999);
    CHECK_INT(a.screen, SCREEN_FORM);
    tick(&a, 3000 + 45000);
    CHECK_INT(a.screen, SCREEN_SLIDES);
    CHECK(a.attract);
    CHECK_INT(a.slide, 0);
    CHECK_INT(a.forms_abandoned, 1);
    for (int i = 0; i < FORM_MAX_FIELDS; i++)
        for (int b = 0; b < FORM_VALUE_MAX; b++)
            if (a.form.value[i][b]) {
                check_failures++;
                fprintf(stderr, "field %d byte %d not wiped\n", i, b);
                i = FORM_MAX_FIELDS;
                break;
            }
    CHECK(!a.kb_visible);
}

static void test_cancel_returns(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    a.slide = 2;
    ChromeLayout c;
    layout_chrome(d, W, H, &c);
    tap_rect(&a, c.signup, 1000);
    FormLayout fl;
    app_form_layout(&a, &fl);
    tap_rect(&a, fl.box[0], 2000);
    Input text = {.type = IN_TEXT};
    strcpy(text.text, "Bob");
    app_update(&a, &text, 3000);
    app_form_layout(&a, &fl);
    /* Cancel is there even while typing. */
    CHECK(fl.cancel.w > 0);
    tap_rect(&a, fl.cancel, 4000);
    CHECK_INT(a.screen, SCREEN_SLIDES);
    CHECK_INT(a.slide, 2);
    CHECK_STR(a.form.value[0], "");
}

static void test_failed_store_thanks(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    a.screen = SCREEN_FORM;
    app_stored(&a, false, 500);
    CHECK_INT(a.screen, SCREEN_THANKS);
    CHECK(a.store_failed);
    /* A tap anywhere returns to the loop. */
    tap(&a, 10, 10, 1000);
    CHECK_INT(a.screen, SCREEN_SLIDES);
}

static void test_no_transition_when_off(void)
{
    Deck *d = load("timing:\n  transition: none\nslides:\n  - title: A\n  - title: B\n");
    App a;
    app_init(&a, d, W, H, 0);
    tap(&a, W * 8 / 10, H / 2, 100);
    CHECK_INT(a.slide, 1);
    CHECK_INT(a.trans_dir, 0);
    CHECK(app_transition(&a, 180) == 1.0);
    deck_free(d);
}

static void test_staff_gesture_and_pin(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    LRect corner = app_staff_corner(&a);
    /* A short press in the corner is a normal tap (the back zone). */
    tap(&a, corner.x + 5, corner.y + 5, 1000);
    CHECK_INT(a.screen, SCREEN_SLIDES);
    /* Held for three seconds, it opens the PIN pad... */
    step(&a, IN_DOWN, corner.x + 5, corner.y + 5, 2000);
    CHECK_INT(app_next_timeout(&a, 2000), APP_STAFF_HOLD_MS);
    tick(&a, 2000 + APP_STAFF_HOLD_MS - 1);
    CHECK_INT(a.screen, SCREEN_SLIDES);
    tick(&a, 2000 + APP_STAFF_HOLD_MS);
    CHECK_INT(a.screen, SCREEN_PIN);
    /* ...and letting go presses nothing. */
    step(&a, IN_UP, corner.x + 5, corner.y + 5, 5200);
    CHECK_INT(a.screen, SCREEN_PIN);
    CHECK_INT(a.slide, 0);
    /* A hold that wanders off is not a hold. */
    App b;
    app_init(&b, d, W, H, 0);
    step(&b, IN_DOWN, corner.x + 5, corner.y + 5, 100);
    step(&b, IN_MOVE, corner.x + 5, corner.y + H / 3, 500);
    tick(&b, 100 + APP_STAFF_HOLD_MS + 10);
    CHECK_INT(b.screen, SCREEN_SLIDES);

    /* Type 1234 on the keypad and OK: the shell is asked to check it. */
    uint64_t now = 6000;
    const char *digits = "1234";
    for (const char *p = digits; *p; p++)
        for (int i = 0; i < a.kb.count; i++)
            if (a.kb.keys[i].action.kind == KEY_INSERT && a.kb.keys[i].action.text[0] == *p &&
                !a.kb.keys[i].action.text[1])
                tap(&a, a.kb.keys[i].x + a.kb.keys[i].w / 2, a.kb.keys[i].y + a.kb.keys[i].h / 2,
                    now += 300);
    CHECK_STR(a.pin, "1234");
    for (int i = 0; i < a.kb.count; i++)
        if (a.kb.keys[i].action.kind == KEY_DONE)
            tap(&a, a.kb.keys[i].x + a.kb.keys[i].w / 2, a.kb.keys[i].y + a.kb.keys[i].h / 2,
                now += 300);
    CHECK(a.effects & EFFECT_CHECK_PIN);
    a.effects = 0;
    /* Wrong three times: then a lockout, and the keypad does nothing. */
    for (int k = 0; k < 3; k++)
        app_pin_result(&a, false, now);
    CHECK_STR(a.pin, "");
    CHECK(a.pin_wrong);
    CHECK(pin_guard_locked(&a.pin_guard, now));
    Input digit = {.type = IN_TEXT};
    strcpy(digit.text, "5");
    app_update(&a, &digit, now + 100);
    CHECK_STR(a.pin, "");
    /* After the lockout, the right PIN opens the staff screen. */
    now += 31000;
    app_update(&a, &digit, now);
    CHECK_STR(a.pin, "5");
    app_pin_result(&a, true, now);
    CHECK_INT(a.screen, SCREEN_STAFF);
    CHECK(a.effects & EFFECT_STAFF_INFO);
    CHECK_STR(a.pin, "");
    a.effects = 0;
    StaffLayout sl;
    app_staff_layout(&a, &sl);
    tap_rect(&a, sl.export_btn, now += 500);
    CHECK(a.effects & EFFECT_EXPORT);
    tap_rect(&a, sl.exit_btn, now += 500);
    CHECK(a.effects & EFFECT_QUIT);
    /* Left alone, the staff screen closes itself. */
    tick(&a, now + 44000);
    CHECK_INT(a.screen, SCREEN_STAFF);
    tick(&a, now + 45100);
    CHECK_INT(a.screen, SCREEN_SLIDES);
    /* Keys other than the arrows and Home do nothing on the slides (the
     * shell never passes Escape on: tests/xvfb_e2e.test.sh). */
    Input esc = {.type = IN_KEY, .key = KEYIN_TAB};
    app_update(&a, &esc, now + 46000);
    CHECK(!(a.effects & ~(unsigned)(EFFECT_EXPORT | EFFECT_QUIT)));
}

/* A start in back-off (wrong PINs before a restart: pinstate.h puts the
 * guard back): the keypad takes nothing until the time left has passed,
 * and a PIN of 4 digits (set before new ones needed 6) is still sent to
 * be checked. */
static void test_pin_locked_at_start(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    a.pin_guard = pin_guard_restore(5, 1700000090, 1700000000, 0); /* 90 s of 120 left */
    LRect corner = app_staff_corner(&a);
    step(&a, IN_DOWN, corner.x + 5, corner.y + 5, 1000);
    tick(&a, 1000 + APP_STAFF_HOLD_MS);
    CHECK_INT(a.screen, SCREEN_PIN);
    step(&a, IN_UP, corner.x + 5, corner.y + 5, 4100);
    Input digits = {.type = IN_TEXT};
    strcpy(digits.text, "2468");
    app_update(&a, &digits, 5000);
    CHECK_STR(a.pin, "");
    CHECK_INT(pin_guard_wait_s(&a.pin_guard, 5000), 85);
    CHECK_INT(app_next_timeout(&a, 5000), 1000); /* the count-down on screen */
    /* Once the time has passed, a fresh hold and the PIN go through. */
    step(&a, IN_DOWN, corner.x + 5, corner.y + 5, 90000);
    tick(&a, 90000 + APP_STAFF_HOLD_MS);
    step(&a, IN_UP, corner.x + 5, corner.y + 5, 93100);
    CHECK_INT(a.screen, SCREEN_PIN);
    app_update(&a, &digits, 93500);
    CHECK_STR(a.pin, "2468");
    Input ret = {.type = IN_KEY, .key = KEYIN_RETURN};
    app_update(&a, &ret, 93600);
    CHECK(a.effects & EFFECT_CHECK_PIN);
    /* Three digits are not a PIN. */
    a.effects = 0;
    Input back = {.type = IN_KEY, .key = KEYIN_BACKSPACE};
    app_update(&a, &back, 93700);
    app_update(&a, &ret, 93800);
    CHECK(!(a.effects & EFFECT_CHECK_PIN));
}

static void test_sleep_and_wake(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    app_sleep(&a, true, 100);
    CHECK(a.asleep);
    CHECK_INT(app_next_timeout(&a, 200), -1);
    tick(&a, 100000);
    CHECK_INT(a.slide, 0); /* no loop while dark */
    /* The first touch only wakes: it does not also press Next. */
    ChromeLayout c;
    layout_chrome(d, W, H, &c);
    tap_rect(&a, c.next, 200000);
    CHECK(!a.asleep);
    CHECK_INT(a.slide, 0);
    tap_rect(&a, c.next, 201000);
    CHECK_INT(a.slide, 1);
    /* Never dark in the middle of a client's form. */
    tap_rect(&a, c.signup, 202000);
    app_sleep(&a, true, 203000);
    CHECK(!a.asleep);
}

static void test_signup_row(void)
{
    Deck *d = load("slides:\n  - title: A\n");
    App a;
    app_init(&a, d, W, H, 0);
    const char *cols[APP_ROW_MAX];
    size_t n = app_signup_columns(d, cols);
    CHECK_INT(n, 11);
    CHECK_STR(cols[0], "id");
    CHECK_STR(cols[4], "name");
    CHECK_STR(cols[7], "contact_time");
    CHECK_STR(cols[8], "consent_version");
    CHECK_STR(cols[9], "duplicate_of"); /* new columns go at the end */
    CHECK_STR(cols[10], "language");
    form_focus(&a.form, 0);
    form_insert_text(&a.form, "  Zoë Müller ");
    form_choose(&a.form, 3, 1);
    SignupRow row;
    app_signup_row(&a, "0123456789abcdef", "2026-12-02T10:00:00+00:00", "desk", &row);
    CHECK_INT(row.count, n);
    CHECK_STR(row.value[2], "desk");
    CHECK_STR(row.value[3], "test");
    CHECK_STR(row.value[4], "Zoë Müller"); /* spaces around a value dropped */
    CHECK_STR(row.value[5], "");
    CHECK_STR(row.value[7], "Afternoon"); /* a choice as its text */
    CHECK_STR(row.value[8], "1");
    deck_free(d);
}

/* ---- language and larger text ------------------------------------------ */

static Deck *load_two_languages(void)
{
    static const char es[] = "language: {code: es, name: Español}\n"
                             "labels: {next: Siguiente}\n"
                             "signup:\n  heading: Reserve\n"
                             "slides:\n  - name: two\n    title: Dos\n";
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR};
    DeckSource src = {"test.yaml", deck_yaml, strlen(deck_yaml)};
    DeckSource tr = {"test.es.yaml", es, strlen(es)};
    Deck *d = deck_load_sources(&src, &tr, 1, &opts, &diags);
    if (!d || diag_count(&diags, DIAG_ERROR))
        diag_print(&diags, stderr);
    diag_clear(&diags);
    return d;
}

/* A client switches to Spanish and to larger text on a slide, and the
 * kiosk forgets both when nobody has touched it for the inactivity time. */
static void test_view_on_slides(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    app_shown(&a, 0);
    tap(&a, W * 9 / 10, H / 3, 1000); /* to slide "Two" */
    CHECK_INT(a.slide, 1);
    ViewButtons vb;
    layout_slide_view_buttons(a.deck, W, H, &vb);
    CHECK(vb.lang[0].w == 0); /* the language shown has no button */
    CHECK(vb.lang[1].w > 0);
    tap_rect(&a, vb.lang[1], 2000);
    CHECK_STR(a.deck->lang_code, "es");
    CHECK_STR(a.deck->slides[a.slide].title, "Dos");
    CHECK_STR(a.deck->texts.next, "Siguiente");
    CHECK_INT(a.slide, 1); /* the same slide, now in Spanish */
    CHECK(a.screen == SCREEN_SLIDES);

    layout_slide_view_buttons(a.deck, W, H, &vb);
    CHECK(vb.lang[1].w == 0 && vb.lang[0].w > 0);
    tap_rect(&a, vb.larger, 3000);
    CHECK(a.large && a.deck->is_large);
    CHECK_STR(a.deck->lang_code, "es");
    CHECK(a.deck->theme.text_scale >= 130);
    tap_rect(&a, vb.lang[0], 4000); /* back to English, still larger */
    CHECK_STR(a.deck->lang_code, "en");
    CHECK(a.deck->is_large);
    layout_slide_view_buttons(a.deck, W, H, &vb);
    tap_rect(&a, vb.lang[1], 5000);

    /* Inactivity: the next client starts in English at normal size. */
    tick(&a, 5080 + 59000);
    CHECK_STR(a.deck->lang_code, "es");
    tick(&a, 5080 + 60000);
    CHECK_INT(a.slide, 0);
    CHECK_STR(a.deck->lang_code, "en");
    CHECK(!a.large && !a.deck->is_large);
    CHECK(a.deck == d);
}

/* On the form, while typing: what was typed stays, the keyboard too. */
static void test_view_on_form(const Deck *d)
{
    App a;
    app_init(&a, d, W, H, 0);
    ChromeLayout c;
    layout_chrome(a.deck, W, H, &c);
    tap_rect(&a, c.signup, 1000);
    CHECK(a.screen == SCREEN_FORM);
    FormLayout fl;
    app_form_layout(&a, &fl);
    CHECK(fl.view.lang[1].w > 0);
    tap_rect(&a, fl.box[0], 2000);
    CHECK(a.kb_visible);
    Input text = {.type = IN_TEXT};
    snprintf(text.text, sizeof text.text, "Zoë");
    app_update(&a, &text, 2500);
    app_form_layout(&a, &fl);
    CHECK(fl.keyboard.h > 0);
    CHECK(fl.view.lang[1].w > 0); /* the buttons stay while typing */
    CHECK(!layout_rects_overlap(fl.view.strip, fl.cancel));
    CHECK(!layout_rects_overlap(fl.view.strip, fl.keyboard));
    tap_rect(&a, fl.view.lang[1], 3000);
    CHECK_STR(a.deck->lang_code, "es");
    CHECK_STR(a.deck->texts.form_heading, "Reserve");
    CHECK(a.screen == SCREEN_FORM);
    CHECK_STR(a.form.value[0], "Zoë");
    CHECK(a.kb_visible);
    CHECK_INT(a.form.focus, 0);
    app_form_layout(&a, &fl);
    tap_rect(&a, fl.view.larger, 4000);
    CHECK(a.deck->is_large);
    CHECK_STR(a.form.value[0], "Zoë");
    /* The keyboard was laid out again for the larger form. */
    app_form_layout(&a, &fl);
    CHECK(a.kb.count > 0 && a.kb.keys[0].y >= fl.keyboard.y);
    tap_rect(&a, fl.view.lang[0], 5000);
    CHECK_STR(a.deck->lang_code, "en");
    CHECK_STR(a.form.value[0], "Zoë");

    /* Form inactivity wipes it and resets the view. */
    tick(&a, 5080 + 45000);
    CHECK(a.screen == SCREEN_SLIDES);
    CHECK(a.deck == d);

    /* A sign-up in Spanish records 'es'; its choices read as the deck's. */
    app_init(&a, d, W, H, 0);
    app_set_view(&a, 1, false);
    SignupRow row;
    app_signup_row(&a, "id", "stamp", "desk", &row);
    CHECK_STR(row.value[row.count - 1], "es");
}

/* The view buttons clear the staff corner (top-left), the navigation bar
 * and the form's buttons, on every screen size, in both text sizes. */
static void test_view_buttons_place(const Deck *d)
{
    static const int sizes[][2] = {{800, 480}, {480, 800}, {1920, 1080}, {1080, 1920}};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        for (int large = 0; large < 2; large++) {
            App a;
            int w = sizes[k][0], h = sizes[k][1];
            app_init(&a, d, w, h, 0);
            app_set_view(&a, 0, large);
            ViewButtons vb;
            layout_slide_view_buttons(a.deck, w, h, &vb);
            ChromeLayout c;
            layout_chrome(a.deck, w, h, &c);
            CHECK(!layout_rects_overlap(vb.strip, app_staff_corner(&a)));
            CHECK(!layout_rects_overlap(vb.strip, c.bar));
            CHECK(layout_rect_inside(vb.strip, (LRect){0, 0, w, h}));
            CHECK(vb.larger.h >= 44 && vb.lang[1].h >= 44); /* a finger's width */
            a.screen = SCREEN_FORM;
            FormLayout fl;
            app_form_layout(&a, &fl);
            CHECK(!layout_rects_overlap(fl.view.strip, fl.heading));
            for (int i = 0; i < a.form.count; i++)
                CHECK(!layout_rects_overlap(fl.view.strip, fl.box[i]));
            /* Everything of the form above the bar and on the screen. */
            for (int i = 0; i < a.form.count; i++)
                CHECK(fl.error[i].y + fl.error[i].h <= fl.cancel.y);
            /* Larger text: the form's words at least 1.3x on the 7" screen. */
            if (large && w == 800) {
                App n;
                app_init(&n, d, w, h, 0);
                n.screen = SCREEN_FORM;
                FormLayout nf;
                app_form_layout(&n, &nf);
                CHECK(fl.label_px * 10 >= nf.label_px * 13);
                CHECK(fl.value_px * 10 >= nf.value_px * 13);
                CHECK(fl.small_px * 10 >= nf.small_px * 13);
            }
        }
    }
}

int main(void)
{
    Deck *d = load(deck_yaml);
    CHECK(d != NULL);
    if (!d)
        return check_report("test_app");
    test_attract_loop(d);
    test_timeout_says_when(d);
    test_first_slide_counts_from_first_frame(d);
    test_taps_and_zones(d);
    test_press_feedback(d);
    test_inactivity(d);
    test_tap_during_transition(d);
    test_swipes(d);
    test_form_flow(d);
    test_form_inactivity_wipes(d);
    test_cancel_returns(d);
    test_failed_store_thanks(d);
    test_no_transition_when_off();
    test_staff_gesture_and_pin(d);
    test_pin_locked_at_start(d);
    test_sleep_and_wake(d);
    test_signup_row();
    deck_free(d);
    Deck *two = load_two_languages();
    CHECK(two != NULL && two->lang_count == 2);
    if (two && two->lang_count == 2) {
        test_view_on_slides(two);
        test_view_on_form(two);
        test_view_buttons_place(two);
    }
    deck_free(two);
    return check_report("test_app");
}
