/* input: SDL events to the app's Input, normalized once here: fingers from
 * 0..1 to pixels, the mouse events SDL synthesizes from touches dropped (one
 * tap is one action), one finger followed at a time. */
#ifndef KIOSK_INPUT_H
#define KIOSK_INPUT_H

#include <SDL.h>
#include <stdbool.h>

#include "app.h"

typedef struct {
    int w, h;               /* the logical screen the app sees */
    bool finger_down;       /* following this finger; others are ignored */
    SDL_FingerID finger;
    bool mouse_down;
} InputState;

/** Translates one event. Returns true and fills *out when the app should
 *  see it. */
bool input_translate(InputState *st, const SDL_Event *ev, Input *out);

#endif
