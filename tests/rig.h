/* rig: the real shell for tests. Opens kiosk/shell's Shell headless (SDL's
 * offscreen driver, software renderer) on the bundled deck, with its own
 * temporary folder for the sign-up file and a folder standing in for a USB
 * stick, and a staff PIN. Time is the test's: every turn is given its clock,
 * so hours of kiosk run in seconds, and every effect goes through the
 * shell's own handlers (the real store, PIN check, staff screen, export). */
#ifndef KIOSK_TEST_RIG_H
#define KIOSK_TEST_RIG_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "settings.h"
#include "shell.h"

/* The staff PIN the rig's settings hold. */
#define RIG_PIN "246813"

typedef struct {
    Shell *sh;
    ShellOptions opts;
    Settings *settings;
    char dir[64];   /* the rig's temporary folder */
    char csv[128];  /* dir/signups.csv */
    char usb[128];  /* dir/usb: the "stick" */
    char deck[256]; /* the deck shown */
    uint64_t now;   /* the test's clock */
} Rig;

/** Opens the shell at w x h on the deck at deck_path (NULL: the bundled
 *  deck), with RIG_PIN as the staff PIN. Returns 0, or -1 after printing why. */
int rig_open(Rig *r, const char *deck_path, int w, int h);

/** rig_open() with another staff PIN (4 to 8 digits: a PIN set before 6
 *  were asked for may be shorter). */
int rig_open_pin(Rig *r, const char *deck_path, int w, int h, const char *pin);

/** rig_open() in the folder dir (NULL: a new temporary one; an existing
 *  one is reused as it is, as a kiosk restarted on its files), with extra
 *  (NULL: none) added to the settings file after the staff PIN: e.g. a
 *  delivery section. */
int rig_open_in(Rig *r, const char *dir, const char *extra, int w, int h);

/** rig_open_in() on the deck at deck_path (NULL: the bundled deck). */
int rig_open_deck_in(Rig *r, const char *deck_path, const char *dir, const char *extra, int w,
                     int h);

/** Moves the clock on by ms and has the shell take one turn (events queued
 *  with SDL_PushEvent, timers, effects; drawing when draw). Returns what
 *  shell_turn returns. */
bool rig_turn(Rig *r, int ms, bool draw);

/** Feeds one input at the rig's clock, effects carried out. */
void rig_feed(Rig *r, InputType type, int x, int y);

/** A finger down and up in the middle of rc, 90 ms apart, then 10 ms more. */
void rig_tap(Rig *r, LRect rc);

/** One client: taps "sign up" on the slides, types name, phone and email
 *  as on a USB keyboard (tap the first field, then text and Tab), picks
 *  choice number `choice` of every choice field, ticks consent and taps
 *  Send. Returns true when the thank-you screen shows. */
bool rig_sign_up(Rig *r, const char *name, const char *phone, const char *email, int choice);

/** The staff screen as staff reach it: the corner held, RIG_PIN typed. */
void rig_open_staff(Rig *r);
/** The app as the shell has it. */
const App *rig_app(const Rig *r);

/** Data rows in the sign-up file, parsed (the header not counted); -1 when
 *  the file cannot be read or a row is malformed. */
long rig_csv_rows(const Rig *r);

/** Checks the sign-up file as a spreadsheet would read it: complete rows
 *  only, each of the header's width, each with a name and the consent
 *  version, and want_rows of them. Prints each problem; returns how many. */
int rig_check_csv(const Rig *r, long want_rows);

/** Closes the shell (waiting sign-ups written) and, unless keep, removes
 *  the rig's folder. */
void rig_close(Rig *r, bool keep);

#endif
