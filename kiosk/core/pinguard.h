/* pinguard: what a staff PIN may look like and the back-off after wrong
 * ones. Pure: time is passed in (the app's milliseconds, and for what is
 * kept across restarts the wall clock's seconds), so a test can go through
 * a day of lockouts in microseconds. */
#ifndef KIOSK_PINGUARD_H
#define KIOSK_PINGUARD_H

#include <stdbool.h>
#include <stdint.h>

/* A new PIN (kiosk --set-pin) has at least 6 digits: 10^6 values at one
 * guess per PIN_LOCK_MAX_MS take ~14 years on average to find, where 4
 * digits took ~52 days. */
#define PIN_MIN_DIGITS 6
/* PINs set before 6 digits were asked for keep opening the staff screen
 * (refusing them would lock staff out after an update); the keypad and
 * pin_verify() take these many and up. */
#define PIN_ENTRY_MIN_DIGITS 4
#define PIN_MAX_DIGITS 8 /* more is not remembered at a front desk */

/* The back-off: these many wrong PINs in a row cost nothing (fingers slip),
 * then each wrong PIN locks the entry for PIN_LOCK_FIRST_MS, doubled for
 * each further one, at most PIN_LOCK_MAX_MS: the longest a visitor's
 * guesses can keep staff out. */
#define PIN_FREE_ATTEMPTS 3
#define PIN_LOCK_FIRST_MS 30000u
#define PIN_LOCK_MAX_MS (15u * 60u * 1000u)

typedef struct {
    int failures;             /* wrong PINs since the last right one */
    uint64_t locked_until_ms; /* no PIN may be tried before this time */
} PinGuard;                   /* zeroed: no failures, not locked */

/** True while a lockout runs: the caller must not check a PIN then. */
bool pin_guard_locked(const PinGuard *g, uint64_t now_ms);

/** Seconds left of the lockout, rounded up; 0 when a PIN may be tried. */
int pin_guard_wait_s(const PinGuard *g, uint64_t now_ms);

/** The lockout that the failures-th wrong PIN in a row starts: 0 for the
 *  free ones, then 30 s, 60 s, 120 s, ... at most PIN_LOCK_MAX_MS. */
uint64_t pin_guard_lock_ms(int failures);

/** Records the result of checking a PIN at now_ms: a right one clears
 *  everything; the PIN_FREE_ATTEMPTS-th wrong one in a row and each after
 *  it starts a lockout (pin_guard_lock_ms). A result during a lockout is
 *  ignored: no PIN should have been checked then. */
void pin_guard_result(PinGuard *g, bool ok, uint64_t now_ms);

/* ---- across restarts ---------------------------------------------------- */
/* The app's clock starts again at every start, so what is kept on disk is
 * the end of the lockout on the wall clock (time(), seconds), which keeps
 * running while the power is off. */

/** When the lockout g runs out on the wall clock, given that now_ms on
 *  the app's clock is now_s on the wall clock: rounded up to a whole
 *  second; 0 when g is not locked. */
int64_t pin_guard_deadline_s(const PinGuard *g, uint64_t now_ms, int64_t now_s);

/** The guard a start takes over from what was kept: failures wrong PINs,
 *  locked until locked_until_s on the wall clock, read at now_s (wall
 *  clock) and now_ms (the app's clock). The time left is honoured, but
 *  never more than the lockout those failures give (pin_guard_lock_ms): a
 *  Pi has no clock battery and may start with its clock set back, and
 *  staff must never wait longer than one step. */
PinGuard pin_guard_restore(int failures, int64_t locked_until_s, int64_t now_s, uint64_t now_ms);

#endif
