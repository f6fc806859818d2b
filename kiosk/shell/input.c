#include "input.h"

#include <string.h>

static int to_px(float v, int size)
{
    int p = (int)(v * (float)size);
    return p < 0 ? 0 : p >= size ? size - 1 : p;
}

void input_panel_size(int rotation, int w, int h, int *pw, int *ph)
{
    bool turned = rotation == 90 || rotation == 270;
    *pw = turned ? h : w;
    *ph = turned ? w : h;
}

/* The renderer turns the UI clockwise by `rotation` onto the panel; a touch
 * on the panel is turned back the same way, so it lands on what is drawn
 * under the finger. */
void input_unrotate(int rotation, int w, int h, int px, int py, int *x, int *y)
{
    switch (rotation) {
    case 90:
        *x = py;
        *y = h - 1 - px;
        break;
    case 180:
        *x = w - 1 - px;
        *y = h - 1 - py;
        break;
    case 270:
        *x = w - 1 - py;
        *y = px;
        break;
    default:
        *x = px;
        *y = py;
        break;
    }
}

static void place(const InputState *st, int px, int py, Input *out)
{
    input_unrotate(st->rotation, st->w, st->h, px, py, &out->x, &out->y);
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
        place(st, ev->button.x, ev->button.y, out);
        return true;
    case SDL_MOUSEMOTION:
        if (ev->motion.which == SDL_TOUCH_MOUSEID || !st->mouse_down)
            return false;
        out->type = IN_MOVE;
        place(st, ev->motion.x, ev->motion.y, out);
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
    /* Fingers come normalized 0..1 over the panel. */
    int pw, ph;
    input_panel_size(st->rotation, st->w, st->h, &pw, &ph);
    place(st, to_px(ev->tfinger.x, pw), to_px(ev->tfinger.y, ph), out);
    return true;
}
