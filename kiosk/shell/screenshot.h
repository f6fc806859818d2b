/* screenshot: every slide and screen of a deck as PNG files, without a
 * display (SDL's offscreen driver), for staff previewing a deck over SSH and
 * for the docs' gallery. */
#ifndef KIOSK_SCREENSHOT_H
#define KIOSK_SCREENSHOT_H

#include "shell.h"

/** Writes DIR/NN-name.png for each slide, then each of app.h's previews
 *  (the form, thank-you and staff screens), or only those the options'
 *  `screens` list names. Returns 0; 2 for a name that matches nothing; 3
 *  after printing why a file could not be written. */
int screenshot_all(Shell *sh, const char *dir);

#endif
