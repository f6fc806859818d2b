/* fit: checks with the real fonts that every slide fits the smallest
 * supported screens, for --check. Uses SDL_ttf but no display. */
#ifndef KIOSK_FIT_H
#define KIOSK_FIT_H

#include "deck.h"
#include "diag.h"

/** Lays out every slide at the smallest supported screen sizes and reports
 *  text that had to be shrunk below the readable minimum as a warning at the
 *  slide's line. Returns the number of problems found. */
int fit_check_deck(const Deck *deck, const char *data_dir, DiagList *diags);

#endif
