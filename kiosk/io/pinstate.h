/* pinstate: the wrong-PIN back-off kept on disk, so that restarting the
 * kiosk (or pulling its plug) buys no extra guesses at the staff PIN.
 *
 * The file lives beside the sign-ups (PIN_STATE_FILE in the same folder:
 * /var/lib/kiosk/pin-backoff for the service) and is a few lines of text:
 *
 *   failures: 5
 *   locked_until: 1765080000
 *   staff_pin_tag: 3b1f9c0e5a7d2e41
 *
 * the wrong PINs since the last right one, the end of the lockout on the
 * wall clock (time(): the app's own clock restarts at every start), and a
 * fingerprint of the staff_pin hash they were counted against. A new hash
 * (kiosk --set-pin makes one with a fresh salt even for the same PIN)
 * starts the count afresh wherever the file is: that is staff's way back
 * in after a visitor's guesses.
 *
 * The kiosk writes the file before it checks a PIN, as if the PIN were
 * wrong, and again after a right one (shell/staff.c): a power cut during
 * or right after a check leaves the wrong PIN counted. */
#ifndef KIOSK_PINSTATE_H
#define KIOSK_PINSTATE_H

#include <stddef.h>
#include <stdint.h>

#include "pinguard.h"

#define PIN_STATE_FILE "pin-backoff"
/* Three short lines and a comment; anything larger is not ours. */
#define PIN_STATE_MAX_BYTES 4096

typedef struct {
    int failures;         /* wrong PINs since the last right one */
    int64_t locked_until; /* wall clock, seconds (time()); 0: not locked */
    uint64_t pin_tag;     /* pin_state_tag() of the hash they count against */
} PinState;

/** The state file for sign-ups kept at signups_path: PIN_STATE_FILE in
 *  the same folder. Returns 0, or -1 when out does not hold it. */
int pin_state_path(const char *signups_path, char *out, size_t cap);

/** A fingerprint of a staff_pin hash (64-bit FNV-1a of its text; NULL
 *  counts as ""). Not a secret and not a check of anything: it only tells
 *  one hash from another. */
uint64_t pin_state_tag(const char *hash);

/** The file's text for s, NUL-terminated, into buf. Returns its length, or
 *  -1 when cap is too small. */
int pin_state_format(const PinState *s, char *buf, size_t cap);

/** Reads the file's text (len bytes, need not end in NUL): each of the
 *  three keys once, '#' comments and blank lines skipped. Returns 0, or -1
 *  with the first problem in err: "LINE: message", or just the message
 *  when a key is missing. */
int pin_state_parse(const char *text, size_t len, PinState *out, char *err, size_t errlen);

/** Reads the file at path. Returns 0 with *out, 1 when there is no file
 *  (*out zeroed), or -1 with why in err (starting with path). */
int pin_state_load(const char *path, PinState *out, char *err, size_t errlen);

/** Replaces the file at path with the back-off g of the PIN whose hash is
 *  hash, now_ms on the app's clock being now_s on the wall clock: through
 *  "<path>.tmp", fsync, rename and a sync of the folder (fsx_replace), mode
 *  0600, so that a power cut leaves the old file or the new one. Returns 0,
 *  or -1 with why in err. */
int pin_state_keep(const char *path, const char *hash, const PinGuard *g, uint64_t now_ms,
                   int64_t now_s, char *err, size_t errlen);

/** The back-off a starting kiosk takes over from the file at path, for the
 *  PIN whose hash is hash (see pin_guard_restore() for the time left). No
 *  file, or one counted against another hash: none. A file that cannot be
 *  read or makes no sense counts as PIN_FREE_ATTEMPTS wrong PINs, locked
 *  for the first step: only the kiosk writes it, atomically, so that is a
 *  failing disk or tampering, and the safe side is a short lockout. note
 *  gets a sentence to log, "" when there is nothing to say. */
PinGuard pin_state_restore(const char *path, const char *hash, uint64_t now_ms, int64_t now_s,
                           char *note, size_t cap);

#endif
