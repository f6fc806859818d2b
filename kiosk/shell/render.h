/* render: the app's state to pixels. A thin SDL layer over the pure layout:
 * slides are drawn once into opaque textures (current and neighbours kept),
 * a frame only copies them and draws the small controls on top. */
#ifndef KIOSK_RENDER_H
#define KIOSK_RENDER_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "deck.h"
#include "text.h"

typedef struct Render Render;

/** Borrows renderer and fonts. Images are scaled to their box once and kept
 *  on disk (imagecache in $XDG_CACHE_HOME/kiosk/images, else
 *  ~/.cache/kiosk/images; without one they are decoded each time). An image
 *  that cannot be shown is a placeholder and one warning in the log per
 *  deck. Returns NULL with a message in err. */
Render *render_create(SDL_Renderer *renderer, TextFonts *fonts, char *err, size_t errlen);

/** Forget everything cached for the previous deck or screen size. */
void render_set_deck(Render *r, const Deck *deck);

/** Draws the whole screen for the app's state (does not present). */
void render_frame(Render *r, const App *app, uint64_t now_ms);

/** While a slide simply stands, draws the next slide into its texture so
 *  the coming transition starts at once. Returns true when it did work. */
bool render_prepare(Render *r, const App *app);

/** Number of images that could not be loaded and were drawn as placeholders. */
int render_missing_images(const Render *r);

/** NULL is a no-op. */
void render_destroy(Render *r);

#endif
