/* pin: the staff PIN. Hashing with crypt(3) (only the hash is ever stored,
 * in the settings file), checking a PIN against it, and `kiosk --set-pin`,
 * which asks for a new PIN on the terminal and writes its hash into the
 * settings file. The back-off after wrong PINs is pure and lives in the
 * core (pinguard.h); pinstate.h keeps it across restarts.
 *
 * A PIN of at most 8 digits has at most 10^8 values: its hash does not keep
 * it secret from someone who can read the hash, so the settings file must
 * stay unreadable to others (0640 root:kiosk), and the back-off is what
 * stops guessing on the screen. */
#ifndef KIOSK_PIN_H
#define KIOSK_PIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pinguard.h"

/* Room for any hash pin_hash() writes (crypt's own bound, CRYPT_OUTPUT_SIZE). */
#define PIN_HASH_MAX 384

/** Hashes a PIN (digits only, PIN_ENTRY_MIN_DIGITS..PIN_MAX_DIGITS: any PIN
 *  pin_verify() takes; --set-pin asks PIN_MIN_DIGITS of new ones) with a fresh
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

/* ---- kiosk --set-pin ------------------------------------------------- */

/** Asks for a new staff PIN (PIN_MIN_DIGITS to PIN_MAX_DIGITS digits) on
 *  out and reads it from in, twice: with echo off when in is a terminal,
 *  plain lines otherwise (scripts, tests). Then
 *  writes its hash into the settings file at settings_path with
 *  settings_with_pin(), keeping the rest of the file as it was, or creates
 *  the file (mode 0600, its directories 0755) when missing. The write is
 *  atomic: a temporary file in the same directory, fsync, rename, fsync of
 *  the directory; an existing file keeps its owner, group and mode (without
 *  any access for others). Nothing is written unless both PINs are
 *  well-formed and equal. The new hash (a fresh salt, even for the same
 *  PIN) also ends any wrong-PIN back-off at the kiosk's next start
 *  (pinstate.h). Returns 0, or -1 with the reason in err; saying
 *  either to the person is the caller's part (out gets the prompts only). */
int pin_prompt_and_write(const char *settings_path, FILE *in, FILE *out, char *err, size_t errlen);

#endif
