/* display: the screen the kiosk draws on. Opens SDL's video, the window and
 * the renderer, says which installation problem stopped it when it cannot,
 * and turns the picture for a panel mounted turned. */
#ifndef KIOSK_DISPLAY_H
#define KIOSK_DISPLAY_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "render.h"

typedef struct {
    bool headless;        /* no screen: SDL's offscreen driver, a hidden window */
    bool windowed;        /* the staff preview: a resizable window */
    int width, height;    /* 0: the display's own size (1920x1080 headless) */
    const char *renderer; /* "auto", "software", or an SDL render driver name */
    int rotation;         /* 0, 90, 180, 270: the UI turned clockwise on the panel */
    int display;          /* SDL display index / KMS card number */
    const char *title;
} DisplayOptions;

typedef struct {
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *ui; /* the UI before it is turned onto the panel; NULL at 0 degrees */
    int rotation;
    int w, h; /* the screen as the app sees it: the panel turned by rotation */
} Display;

/** Starts SDL's video and opens the window and renderer. Returns 0, or -1
 *  after printing why to stderr with the fix for the usual installation
 *  problems (no KMS device, permissions, a desktop holding the screen). */
int display_open(Display *d, const DisplayOptions *o);

/** Reads the renderer's output size again (after the window changed size)
 *  and sets d->w and d->h. Returns 0 or -1. */
int display_resize(Display *d);

/** Draws the app's screen and presents it, through the rotation. */
void display_present(Display *d, Render *r, const App *app, uint64_t now);

/** The panel as last drawn, in format (an SDL_PIXELFORMAT_*); a surface the
 *  caller frees, or NULL. */
SDL_Surface *display_read(Display *d, Uint32 format);

/** Closes the window and renderer (not SDL itself). */
void display_close(Display *d);

#endif
