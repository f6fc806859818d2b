/* input: SDL events to the app's Input, normalized once here: fingers from
 * 0..1 to pixels, the mouse events SDL synthesizes from touches dropped (one
 * tap is one action), one finger followed at a time. */
#ifndef KIOSK_INPUT_H
#define KIOSK_INPUT_H

#include <SDL.h>
#include <stdbool.h>

#include "app.h"

typedef struct {
    int w, h;         /* the logical screen the app sees */
    int rotation;     /* 0, 90, 180 or 270: the UI turned clockwise on the panel */
    bool finger_down; /* following this finger; others are ignored */
    SDL_FingerID finger;
    bool mouse_down;
} InputState;

/** Maps a point on the physical panel to the app's rotated screen of
 *  w x h (logical size). Pure; exposed for tests. */
void input_unrotate(int rotation, int w, int h, int px, int py, int *x, int *y);

/** The physical panel size for a logical w x h at this rotation. */
void input_panel_size(int rotation, int w, int h, int *pw, int *ph);

/** Translates one event. Returns true and fills *out when the app should
 *  see it. */
bool input_translate(InputState *st, const SDL_Event *ev, Input *out);

#endif
