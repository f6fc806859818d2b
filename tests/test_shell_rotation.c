/* A panel mounted turned: the kiosk draws the UI rotated and turns touches
 * back, so a tap where a button is drawn presses that button, at all four
 * rotations. Through the real shell on the offscreen driver. */
#include <SDL.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check.h"
#include "deck.h"
#include "deckload.h"
#include "input.h"
#include "shell.h"

/* Where a point of the UI appears on the panel: the inverse of
 * input_unrotate, written out separately so the test does not trust it. */
static void to_panel(int rot, int w, int h, int x, int y, int *px, int *py)
{
    switch (rot) {
    case 90:
        *px = h - 1 - y;
        *py = x;
        break;
    case 180:
        *px = w - 1 - x;
        *py = h - 1 - y;
        break;
    case 270:
        *px = y;
        *py = w - 1 - x;
        break;
    default:
        *px = x;
        *py = y;
        break;
    }
}

static Uint32 pixel(SDL_Surface *s, int x, int y)
{
    return *(Uint32 *)((Uint8 *)s->pixels + y * s->pitch + x * 4);
}

static void finger(Uint32 type, int px, int py, int pw, int ph)
{
    SDL_Event ev = {0};
    ev.type = type;
    ev.tfinger.fingerId = 3;
    ev.tfinger.x = (px + 0.5f) / pw;
    ev.tfinger.y = (py + 0.5f) / ph;
    SDL_PushEvent(&ev);
}

int main(void)
{
    /* The pure mapping round-trips every corner at every rotation. */
    for (int rot = 0; rot < 360; rot += 90) {
        int w = 800, h = 480;
        int pts[][2] = {{0, 0}, {w - 1, 0}, {0, h - 1}, {w - 1, h - 1}, {123, 45}};
        for (size_t i = 0; i < 5; i++) {
            int px, py, x, y;
            to_panel(rot, w, h, pts[i][0], pts[i][1], &px, &py);
            input_unrotate(rot, w, h, px, py, &x, &y);
            CHECK_INT(x, pts[i][0]);
            CHECK_INT(y, pts[i][1]);
        }
    }

    for (int rot = 0; rot < 360; rot += 90) {
        DiagList diags = DIAG_LIST_INIT;
        DeckLoadOptions lo = {.data_dir = TEST_SOURCE_DIR};
        Deck *deck = deck_load(TEST_SOURCE_DIR "/slides/microneedling.yaml", &lo, &diags);
        diag_clear(&diags);
        /* A 7" panel in landscape; the UI is portrait at 90 and 270. */
        int pw = 800, ph = 480;
        ShellOptions opts = {.deck_path = "x",
                             .data_dir = TEST_SOURCE_DIR,
                             .signups_path = "/tmp/kiosk-rotation-test.csv",
                             .kiosk_id = "t",
                             .windowed = true,
                             .width = pw,
                             .height = ph,
                             .renderer = "software",
                             .rotation = rot};
        Shell *sh = shell_open(&opts, deck);
        CHECK(sh != NULL);
        if (!sh)
            continue;
        for (int i = 0; i < 3; i++)
            shell_step(sh, 0);
        const App *a = shell_app(sh);
        int w = a->w, h = a->h;
        CHECK_INT(w, rot % 180 ? ph : pw);
        CHECK_INT(h, rot % 180 ? pw : ph);
        ChromeLayout c;
        layout_chrome(deck, w, h, &c);
        /* Aim at the left part of the Next button: off-centre, so a wrong
         * turn of the point would miss it. */
        int x = c.next.x + c.next.w / 5, y = c.next.y + c.next.h / 3;
        int px, py;
        to_panel(rot, w, h, x, y, &px, &py);
        SDL_Surface *before = shell_read_panel(sh);
        finger(SDL_FINGERDOWN, px, py, pw, ph);
        for (int i = 0; i < 3; i++)
            shell_step(sh, 0);
        CHECK_INT(a->pressed.kind, HIT_NEXT);
        SDL_Surface *pressed = shell_read_panel(sh);
        /* The drawn button is under the finger: its face changed there. */
        if (before && pressed)
            CHECK(pixel(before, px, py) != pixel(pressed, px, py));
        finger(SDL_FINGERUP, px, py, pw, ph);
        for (int i = 0; i < 3; i++)
            shell_step(sh, 0);
        CHECK_INT(a->slide, 1);
        if (check_failures)
            fprintf(stderr, "rotation %d\n", rot);
        SDL_FreeSurface(before);
        SDL_FreeSurface(pressed);
        shell_close(sh);
    }
    remove("/tmp/kiosk-rotation-test.csv");
    return check_report("test_shell_rotation");
}
