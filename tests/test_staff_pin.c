/* The wrong-PIN back-off through the real shell (tests/rig.h): PINs typed
 * on the staff pad are checked by the shell's own handler, the count is
 * kept beside the sign-ups, and a shell opened again on the same folder
 * (a restart) starts where the last one stopped. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "deckload.h"
#include "pinstate.h"
#include "rig.h"

/* Holds the staff corner (unless the pad is up), types pin and presses
 * Return. */
static void enter_pin(Rig *r, const char *pin)
{
    if (rig_app(r)->screen != SCREEN_PIN) {
        LRect corner = app_staff_corner(rig_app(r));
        rig_feed(r, IN_DOWN, corner.x + 4, corner.y + 4);
        rig_turn(r, APP_STAFF_HOLD_MS + 10, false);
        rig_feed(r, IN_UP, corner.x + 4, corner.y + 4);
    }
    Input digits = {.type = IN_TEXT};
    snprintf(digits.text, sizeof digits.text, "%s", pin);
    shell_feed(r->sh, &digits, r->now);
    Input ret = {.type = IN_KEY, .key = KEYIN_RETURN};
    shell_feed(r->sh, &ret, r->now);
    rig_turn(r, 10, false);
}

/* Stops the shell and opens it again on the same folder and settings, as
 * a restart of the service would; the rig's clock starts again as the
 * app's does. */
static int restart(Rig *r)
{
    shell_close(r->sh);
    r->sh = NULL;
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions lo = {.data_dir = TEST_SOURCE_DIR};
    Deck *deck = deck_load(r->deck, &lo, &diags);
    diag_clear(&diags);
    r->sh = deck ? shell_open(&r->opts, deck) : NULL;
    r->now = 1000;
    return r->sh ? 0 : -1;
}

static int kept_failures(const Rig *r)
{
    char path[160], err[300];
    PinState s;
    snprintf(path, sizeof path, "%s/" PIN_STATE_FILE, r->dir);
    return pin_state_load(path, &s, err, sizeof err) == 0 ? s.failures : -1;
}

/* A PIN set before 6 digits were asked for: it still opens the staff
 * screen, which then asks for a longer one. */
#define OLD_PIN "2468"

int main(void)
{
    Rig r;
    if (rig_open_pin(&r, NULL, 1280, 800, OLD_PIN) != 0)
        return 1;
    CHECK_INT(kept_failures(&r), -1); /* no file before the first PIN */
    for (int i = 0; i < PIN_FREE_ATTEMPTS; i++) {
        enter_pin(&r, "9999");
        CHECK_INT(rig_app(&r)->screen, SCREEN_PIN);
        CHECK_INT(kept_failures(&r), i + 1);
    }
    CHECK(pin_guard_locked(&rig_app(&r)->pin_guard, r.now));

    /* Restarted: still locked, for what is left of the 30 s (the wall
     * clock may have ticked on a second meanwhile). */
    if (restart(&r) != 0) {
        rig_close(&r, false);
        return check_report("test_staff_pin") + 1;
    }
    int wait = pin_guard_wait_s(&rig_app(&r)->pin_guard, r.now);
    CHECK(wait >= 27 && wait <= 29);
    CHECK_INT(rig_app(&r)->pin_guard.failures, PIN_FREE_ATTEMPTS);
    /* The pad takes nothing meanwhile, not even the right PIN. */
    enter_pin(&r, OLD_PIN);
    CHECK_INT(rig_app(&r)->screen, SCREEN_PIN);
    CHECK_STR(rig_app(&r)->pin, "");
    CHECK_INT(shell_counts(r.sh)->pins_checked, 0);

    /* After it, the right PIN opens the staff screen and the count is
     * cleared on disk: the next start is free. */
    rig_turn(&r, 31000, false);
    enter_pin(&r, OLD_PIN);
    CHECK_INT(rig_app(&r)->screen, SCREEN_STAFF);
    CHECK_INT(kept_failures(&r), 0);
    /* OLD_PIN has 4 digits: it works, and the staff screen asks for a
     * longer one. */
    CHECK(strstr(rig_app(&r)->staff.message, "This PIN is short") != NULL);
    if (restart(&r) == 0) {
        CHECK_INT(rig_app(&r)->pin_guard.failures, 0);
        CHECK(!pin_guard_locked(&rig_app(&r)->pin_guard, r.now));
    }
    rig_close(&r, false);
    return check_report("test_staff_pin");
}
