/* effects: what the app asks the shell to do (app.h's EFFECT_* bits),
 * carried out by one small handler each, from a table. The loop calls
 * effects_run() after every turn; tests call it too, so their random
 * clients go through the same sign-up path as the kiosk's. */
#ifndef KIOSK_EFFECTS_H
#define KIOSK_EFFECTS_H

#include <stdint.h>

#include "shell.h"

/** Carries out and clears every effect the app has raised, at the time of
 *  the shell's current turn. */
void effects_run(Shell *sh);

/** The sign-up file's columns for the shell's deck: opens (or reopens, after
 *  the deck's fields changed) the store. The store opens its file later if
 *  it cannot now. Returns 0, or -1 when out of memory. */
int effects_open_store(Shell *sh);

/** Tries the sign-ups waiting for the disk again when it is time. */
void effects_retry_store(Shell *sh, uint64_t now);

/** Before the kiosk stops: tries the waiting sign-ups until they are on disk
 *  or timeout_ms have passed, and logs how many could not be written. */
void effects_flush_store(Shell *sh, int timeout_ms);

#endif
