/* pin: the staff PIN. Hashing with crypt(3) (only the hash is ever stored,
 * in the settings file), checking a PIN against it, the back-off after
 * wrong PINs, and `kiosk --set-pin`, which asks for a new PIN on the
 * terminal and writes its hash into the settings file.
 *
 * A 4-8 digit PIN has at most 10^8 values: its hash does not keep it secret
 * from someone who can read the hash, so the settings file must stay
 * unreadable to others (0640 root:kiosk), and the back-off below is what
 * stops guessing on the screen. */
#ifndef KIOSK_PIN_H
#define KIOSK_PIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PIN_MIN_DIGITS 4 /* 10^4 values: ~100 days to try them all at 15 min each */
#define PIN_MAX_DIGITS 8 /* more is not remembered at a front desk */

/* Room for any hash pin_hash() writes (crypt's own bound, CRYPT_OUTPUT_SIZE). */
#define PIN_HASH_MAX 384

/* The back-off: these many wrong PINs in a row cost nothing (fingers slip),
 * then each wrong PIN locks the entry for PIN_LOCK_FIRST_MS, doubled for
 * each further one, at most PIN_LOCK_MAX_MS. */
#define PIN_FREE_ATTEMPTS 3
#define PIN_LOCK_FIRST_MS 30000u
#define PIN_LOCK_MAX_MS (15u * 60u * 1000u)

/** Hashes a PIN (digits only, PIN_MIN_DIGITS..PIN_MAX_DIGITS) with a fresh
 *  random salt: yescrypt ("$y$") where libcrypt has it, else SHA-512
 *  ("$6$"). Writes the NUL-terminated hash to out (cap >= PIN_HASH_MAX is
 *  always enough). Returns 0, or -1 with the reason in err (the PIN itself
 *  is never put in a message). */
int pin_hash(const char *pin, char *out, size_t cap, char *err, size_t errlen);

/** True when crypt(pin, hash) is hash, compared in constant time. False
 *  for a NULL or malformed PIN or hash (see settings_hash_well_formed()),
 *  and for a hash method this libcrypt does not know. Takes as long as one
 *  hashing (tens of milliseconds for yescrypt on a Pi). */
bool pin_verify(const char *pin, const char *hash);

/* ---- back-off: pure, time passed in --------------------------------- */

typedef struct {
    int failures;             /* wrong PINs since the last right one */
    uint64_t locked_until_ms; /* no PIN may be tried before this time */
} PinGuard;                   /* zeroed: no failures, not locked */

/** True while a lockout runs: the caller must not check a PIN then. */
bool pin_guard_locked(const PinGuard *g, uint64_t now_ms);

/** Seconds left of the lockout, rounded up; 0 when a PIN may be tried. */
int pin_guard_wait_s(const PinGuard *g, uint64_t now_ms);

/** Records the result of checking a PIN at now_ms: a right one clears
 *  everything; the PIN_FREE_ATTEMPTS-th wrong one in a row and each after
 *  it starts a lockout (30 s, 60 s, 120 s, ... at most 15 min). A result
 *  during a lockout is ignored: no PIN should have been checked then. */
void pin_guard_result(PinGuard *g, bool ok, uint64_t now_ms);

/* ---- kiosk --set-pin ------------------------------------------------- */

/** Asks for a new staff PIN on out and reads it from in, twice: with echo
 *  off when in is a terminal, plain lines otherwise (scripts, tests). Then
 *  writes its hash into the settings file at settings_path with
 *  settings_with_pin(), keeping the rest of the file as it was, or creates
 *  the file (mode 0600, its directories 0755) when missing. The write is
 *  atomic: a temporary file in the same directory, fsync, rename, fsync of
 *  the directory; an existing file keeps its owner, group and mode (without
 *  any access for others). Nothing is written unless both PINs are
 *  well-formed and equal. Returns 0, or -1 with the reason in err; saying
 *  either to the person is the caller's part (out gets the prompts only). */
int pin_prompt_and_write(const char *settings_path, FILE *in, FILE *out, char *err, size_t errlen);

#endif
