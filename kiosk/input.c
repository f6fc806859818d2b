#include "input.h"

#include <string.h>

static int to_px(float v, int size)
{
    int p = (int)(v * (float)size);
    return p < 0 ? 0 : p >= size ? size - 1 : p;
}

static bool key_input(SDL_Keycode k, Input *out)
{
    switch (k) {
    case SDLK_LEFT:
    case SDLK_PAGEUP:
        out->key = KEYIN_LEFT;
        break;
    case SDLK_RIGHT:
    case SDLK_PAGEDOWN:
        out->key = KEYIN_RIGHT;
        break;
    case SDLK_HOME:
        out->key = KEYIN_HOME;
        break;
    case SDLK_BACKSPACE:
        out->key = KEYIN_BACKSPACE;
        break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        out->key = KEYIN_RETURN;
        break;
    case SDLK_TAB:
        out->key = KEYIN_TAB;
        break;
    default:
        return false;
    }
    out->type = IN_KEY;
    return true;
}

bool input_translate(InputState *st, const SDL_Event *ev, Input *out)
{
    memset(out, 0, sizeof *out);
    switch (ev->type) {
    case SDL_FINGERDOWN:
        if (st->finger_down || st->mouse_down)
            return false; /* a second finger: ignore, one tap is one action */
        st->finger_down = true;
        st->finger = ev->tfinger.fingerId;
        out->type = IN_DOWN;
        break;
    case SDL_FINGERMOTION:
        if (!st->finger_down || ev->tfinger.fingerId != st->finger)
            return false;
        out->type = IN_MOVE;
        break;
    case SDL_FINGERUP:
        if (!st->finger_down || ev->tfinger.fingerId != st->finger)
            return false;
        st->finger_down = false;
        out->type = IN_UP;
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        /* SDL also reports each touch as a mouse click: drop those, the
         * finger events already said it. */
        if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
            return false;
        if (ev->type == SDL_MOUSEBUTTONDOWN) {
            if (st->finger_down || st->mouse_down)
                return false;
            st->mouse_down = true;
            out->type = IN_DOWN;
        } else {
            if (!st->mouse_down)
                return false;
            st->mouse_down = false;
            out->type = IN_UP;
        }
        out->x = ev->button.x;
        out->y = ev->button.y;
        return true;
    case SDL_MOUSEMOTION:
        if (ev->motion.which == SDL_TOUCH_MOUSEID || !st->mouse_down)
            return false;
        out->type = IN_MOVE;
        out->x = ev->motion.x;
        out->y = ev->motion.y;
        return true;
    case SDL_KEYDOWN:
        return key_input(ev->key.keysym.sym, out);
    case SDL_TEXTINPUT:
        out->type = IN_TEXT;
        SDL_strlcpy(out->text, ev->text.text, sizeof out->text);
        return true;
    default:
        return false;
    }
    out->x = to_px(ev->tfinger.x, st->w);
    out->y = to_px(ev->tfinger.y, st->h);
    return true;
}
