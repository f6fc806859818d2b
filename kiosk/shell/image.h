/* image: an image file to pixels at the size it is shown. Only files that
 * imagefile passes are decoded, each by its own decoder: PNG by SDL_image,
 * JPEG by TurboJPEG at the smallest of 1/8, 1/4, 1/2 or full size that is
 * still at least the shown size (a 12 MP photo shown at 1/4 never exists at
 * full size), SVG rasterised straight at the shown size. The result may be
 * kept in an ImageCache and read back on the next loop. */
#ifndef KIOSK_IMAGE_H
#define KIOSK_IMAGE_H

#include <SDL.h>
#include <stddef.h>

#include "imagecache.h"

/** Loads path scaled to fit inside box_w x box_h (aspect kept) as a 32-bit
 *  surface: SDL_PIXELFORMAT_ARGB8888 when it has transparency, else
 *  SDL_PIXELFORMAT_XRGB8888. With a cache (may be NULL), a scaled copy is
 *  read from or written to it. Returns a surface the caller frees with
 *  SDL_FreeSurface(), or NULL with the reason in why (a file refused by
 *  imagefile is never decoded). */
SDL_Surface *image_load(const char *path, int box_w, int box_h, ImageCache *cache, char *why,
                        size_t whylen);

/** The size of a w x h picture scaled to fit inside box_w x box_h. */
void image_fit(int w, int h, int box_w, int box_h, int *fit_w, int *fit_h);

#endif
