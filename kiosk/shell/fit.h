/* fit: checks with the real fonts that every slide fits the smallest
 * supported screens, and that every image decodes, for --check. Uses
 * SDL_ttf and SDL_image but no display. */
#ifndef KIOSK_FIT_H
#define KIOSK_FIT_H

#include "deck.h"
#include "diag.h"

/** Lays out every slide at the smallest supported screen sizes and reports
 *  text that had to be shrunk below the readable minimum as a warning at the
 *  slide's line; decodes every image the way the kiosk would and reports
 *  each one it would refuse (not an image, too large, damaged) as a warning
 *  at the slide's line, with the reason. Returns the number of problems. */
int fit_check_deck(const Deck *deck, const char *data_dir, DiagList *diags);

#endif
