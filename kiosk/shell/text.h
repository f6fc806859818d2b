/* text: fonts at any pixel size from one file read once, and the text
 * measuring function layout needs (TTF_SizeUTF8 measures without drawing). */
#ifndef KIOSK_TEXT_H
#define KIOSK_TEXT_H

#include <SDL_ttf.h>
#include <stdbool.h>
#include <stddef.h>

#include "deck.h"

typedef struct TextFonts TextFonts;

/** Opens the regular and bold faces (bold may be NULL: the regular face is
 *  used). Returns NULL with a message in err. Free with text_close(). The
 *  caller has called TTF_Init(). */
TextFonts *text_open(const char *regular, const char *bold, char *err, size_t errlen);

/** Opens the deck's fonts; where one cannot be read, the bundled font in
 *  data_dir, else any font in data_dir/fonts: text must always show. */
TextFonts *text_open_deck(const Deck *deck, const char *data_dir, char *err, size_t errlen);

/** The face at px pixels, opened on first use and kept; NULL on failure. */
TTF_Font *text_font(TextFonts *t, int px, bool bold);

/** A LayoutMeasureFn: ctx is a TextFonts. */
int text_measure(void *ctx, const char *utf8, size_t len, int px, bool bold, int *w);

void text_close(TextFonts *t);

#endif
