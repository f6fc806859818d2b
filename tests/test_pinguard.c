/* Tests of the wrong-PIN back-off (core/pinguard): the schedule of
 * lockouts, and what a restart takes over from the wall clock. */
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "pinguard.h"

static void test_schedule(void)
{
    /* Wrong PINs one after another, each as soon as allowed: the lockout
     * that follows each, in seconds. */
    static const int schedule_s[] = {0, 0, 30, 60, 120, 240, 480, 900, 900, 900};
    PinGuard g = {0, 0};
    uint64_t now = 1000000;
    CHECK(!pin_guard_locked(&g, now));
    CHECK_INT(pin_guard_wait_s(&g, now), 0);
    for (size_t i = 0; i < sizeof schedule_s / sizeof schedule_s[0]; i++) {
        pin_guard_result(&g, false, now);
        int want = schedule_s[i];
        CHECK_INT(g.failures, (int)i + 1);
        CHECK_INT(pin_guard_lock_ms((int)i + 1), (uint64_t)want * 1000);
        if (pin_guard_wait_s(&g, now) != want || pin_guard_locked(&g, now) != (want > 0)) {
            fprintf(stderr, "FAIL wrong PIN %zu: wait %d s, expected %d s\n", i + 1,
                    pin_guard_wait_s(&g, now), want);
            check_failures++;
        }
        if (want > 0) {
            /* Rounded up to whole seconds, free at the exact millisecond. */
            uint64_t end = now + (uint64_t)want * 1000;
            CHECK_INT(pin_guard_wait_s(&g, now + 1), want);
            CHECK_INT(pin_guard_wait_s(&g, end - 1001), 2);
            CHECK_INT(pin_guard_wait_s(&g, end - 1000), 1);
            CHECK_INT(pin_guard_wait_s(&g, end - 1), 1);
            CHECK(pin_guard_locked(&g, end - 1));
            CHECK(!pin_guard_locked(&g, end));
            CHECK_INT(pin_guard_wait_s(&g, end), 0);
            /* A result during the lockout is not counted (and does not
             * unlock, even if right). */
            PinGuard before = g;
            pin_guard_result(&g, false, end - 1);
            pin_guard_result(&g, true, end - 1);
            CHECK_INT(g.failures, before.failures);
            CHECK_INT(g.locked_until_ms, before.locked_until_ms);
            now = end;
        } else {
            now += 5000;
        }
    }
    /* A right PIN clears it all: three free tries again. */
    pin_guard_result(&g, true, now);
    CHECK_INT(g.failures, 0);
    CHECK(!pin_guard_locked(&g, now));
    pin_guard_result(&g, false, now);
    pin_guard_result(&g, false, now);
    CHECK(!pin_guard_locked(&g, now));
    pin_guard_result(&g, false, now);
    CHECK_INT(pin_guard_wait_s(&g, now), 30);

    /* A very long run stays at the cap, without overflow. */
    PinGuard h = {2000000000, 0};
    pin_guard_result(&h, false, 5);
    CHECK_INT(h.locked_until_ms, 5 + PIN_LOCK_MAX_MS);
    PinGuard m = {2147483647, 0};
    pin_guard_result(&m, false, 0);
    CHECK_INT(m.failures, 2147483647);
    CHECK_INT(pin_guard_wait_s(&m, 0), 900);
    CHECK_INT(pin_guard_lock_ms(-1), 0);
    CHECK_INT(pin_guard_lock_ms(0), 0);
}

/* The deadline kept on disk: the wall clock's seconds, rounded up. */
static void test_deadline(void)
{
    PinGuard g = {4, 70500}; /* locked until 70.5 s on the app's clock */
    CHECK_INT(pin_guard_deadline_s(&g, 10500, 1700000000), 1700000060);
    CHECK_INT(pin_guard_deadline_s(&g, 10000, 1700000000), 1700000061); /* 60.5 s: 61 */
    CHECK_INT(pin_guard_deadline_s(&g, 70499, 1700000000), 1700000001);
    CHECK_INT(pin_guard_deadline_s(&g, 70500, 1700000000), 0);
    PinGuard free_tries = {2, 0};
    CHECK_INT(pin_guard_deadline_s(&free_tries, 0, 1700000000), 0);
}

/* A start takes over failures and a wall-clock deadline. */
static void test_restore(void)
{
    const int64_t t = 1700000000; /* the wall clock at the start */
    const uint64_t boot = 2500;   /* the app's clock at the start */
    static const struct {
        const char *what;
        int failures;
        int64_t until;
        int want_failures, want_wait_s;
    } cases[] = {
        {"nothing kept", 0, 0, 0, 0},
        {"free tries used, none locked", 2, 0, 2, 0},
        {"a stray deadline with free tries left", 2, t + 100, 2, 0},
        {"40 s left of 60 s", 4, t + 40, 4, 40},
        {"the deadline passed while off", 4, t - 1, 4, 0},
        {"the deadline is now", 4, t, 4, 0},
        {"clock set back: at most one step", 4, t + 3600, 4, 60},
        {"clock far behind: at most the cap", 50, INT64_MAX, 50, 900},
        {"a deadline in the past of 1970", 3, -5, 3, 0},
        {"negative failures are none", -3, t + 10, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        PinGuard g = pin_guard_restore(cases[i].failures, cases[i].until, t, boot);
        int wait = pin_guard_wait_s(&g, boot);
        if (g.failures != cases[i].want_failures || wait != cases[i].want_wait_s) {
            fprintf(stderr, "FAIL restore '%s': %d failures, %d s, expected %d, %d s\n",
                    cases[i].what, g.failures, wait, cases[i].want_failures, cases[i].want_wait_s);
            check_failures++;
        }
    }
    /* The wall clock at a negative time (a clock gone very wrong): still
     * bounded. */
    PinGuard g = pin_guard_restore(5, INT64_MAX, INT64_MIN, 0);
    CHECK_INT(pin_guard_wait_s(&g, 0), 120);
    /* Round trip: a lockout kept and taken over 10 s later runs out at the
     * same moment. */
    PinGuard before = {5, 100000 + 120000};
    int64_t kept = pin_guard_deadline_s(&before, 100000, t);
    PinGuard after = pin_guard_restore(before.failures, kept, t + 10, boot);
    CHECK_INT(after.failures, 5);
    CHECK_INT(pin_guard_wait_s(&after, boot), 110);
    /* And the next wrong PIN after it goes on with the schedule. */
    pin_guard_result(&after, false, boot + 110000);
    CHECK_INT(pin_guard_wait_s(&after, boot + 110000), 240);
}

int main(void)
{
    test_schedule();
    test_deadline();
    test_restore();
    return check_report("test_pinguard");
}
