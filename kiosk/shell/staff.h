/* staff: the shell's side of the staff screen: checking the PIN, the facts
 * it shows (deck, reloads, sign-ups, disk, version) and the USB export. */
#ifndef KIOSK_STAFF_H
#define KIOSK_STAFF_H

#include "shell.h"

/** Verifies the PIN the app holds against the settings' hash and tells the
 *  app (app_pin_result). No PIN set: refused, and the log says how to set one. */
void staff_check_pin(Shell *sh);

/** Fills the staff screen's lines (app->staff). */
void staff_fill_info(Shell *sh);

/** Writes waiting sign-ups if it can, then copies the sign-up file to a USB
 *  stick and puts the result on the staff screen. */
void staff_export(Shell *sh);

#endif
