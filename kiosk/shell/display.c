/* display: see display.h. */
#include "display.h"

#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "log.h"

/* Screenshots are for the docs: a common large screen. */
#define DISPLAY_HEADLESS_W 1920
#define DISPLAY_HEADLESS_H 1080
/* The staff preview's window: fits a laptop screen, the size of a 10" panel. */
#define DISPLAY_PREVIEW_W 1280
#define DISPLAY_PREVIEW_H 800

/* Says which of the usual installation problems stopped SDL from opening
 * the screen, and how to fix it, so the service log tells the installer. */
static const char *kms_diagnosis(void)
{
    if (access("/dev/dri/card0", F_OK) != 0 && access("/dev/dri/card1", F_OK) != 0)
        return "No /dev/dri/card* device: the KMS display driver is not loaded. On a Raspberry "
               "Pi, keep dtoverlay=vc4-kms-v3d in /boot/firmware/config.txt and reboot.";
    if (access("/dev/dri/card0", R_OK | W_OK) != 0 && access("/dev/dri/card1", R_OK | W_OK) != 0)
        return "No permission on /dev/dri/card*: add the user to the 'video' and 'render' groups "
               "(sudo usermod -aG video,render USER) and log in again.";
    if (access("/dev/input/event0", R_OK) != 0)
        return "Cannot read /dev/input/event*: touches will not work; add the user to the "
               "'input' group (sudo usermod -aG input USER).";
    return NULL;
}

static void print_failure(const char *what)
{
    const char *driver = SDL_getenv("SDL_VIDEODRIVER");
    bool kms = driver && strcmp(driver, "kmsdrm") == 0;
    const char *why = NULL;
    char held[600];
    if (!kms && !SDL_getenv("DISPLAY") && !SDL_getenv("WAYLAND_DISPLAY")) {
        why = "No desktop session found (DISPLAY and WAYLAND_DISPLAY are unset). On Raspberry Pi "
              "OS Lite run with SDL_VIDEODRIVER=kmsdrm (the kiosk.service does); from SSH, "
              "preview with --screenshot DIR.";
    } else if (kms) {
        why = kms_diagnosis();
        if (!why) {
            snprintf(held, sizeof held,
                     "The screen may be held by a desktop session (%s). Stop it (sudo systemctl "
                     "disable --now lightdm) or use the desktop autostart instead of "
                     "kiosk.service.",
                     SDL_GetError());
            why = held;
        }
    } else {
        why = "Check that the desktop session is running and that this user may use it.";
    }
    fprintf(stderr, "kiosk: %s: %s\n%s\n", what, SDL_GetError(), why);
}

/* True when a GPU's render node can be opened: without one, OpenGL on a
 * desktop is Mesa's llvmpipe on the CPU. */
static bool have_gpu(void)
{
    glob_t g;
    bool found = false;
    if (glob("/dev/dri/renderD*", 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc && !found; i++)
            found = access(g.gl_pathv[i], R_OK | W_OK) == 0;
        globfree(&g);
    }
    return found;
}

/* True when SDL's video driver has a window framebuffer of its own, so
 * the software renderer can blit straight to the window. X11 and offscreen
 * have one. Wayland and KMS/DRM have none: there SDL shows a software-drawn
 * picture only through an OpenGL texture, and with
 * SDL_FRAMEBUFFER_ACCELERATION=0 it refuses the software renderer outright
 * ("Couldn't find matching render driver"), deciding once per process. */
static bool own_framebuffer(void)
{
    const char *driver = SDL_GetCurrentVideoDriver();
    return driver && (strcmp(driver, "x11") == 0 || strcmp(driver, "offscreen") == 0);
}

/* The software renderer when asked for, when there is no screen, and for
 * "auto" on an X11 desktop without a GPU: there an OpenGL context is
 * llvmpipe, which costs ~0.3 s and ~100 MiB at start and draws no faster
 * than SDL's own blitter. On Wayland the software renderer would need an
 * OpenGL (llvmpipe) framebuffer anyway, so SDL chooses there, as on KMS
 * (the Pi's console) and with a GPU. */
static bool use_software(const DisplayOptions *o)
{
    if (o->headless || strcmp(o->renderer, "software") == 0)
        return true;
    if (strcmp(o->renderer, "auto") != 0)
        return false;
    const char *driver = SDL_GetCurrentVideoDriver();
    if (!driver || strcmp(driver, "x11") != 0 || have_gpu())
        return false;
    log_msg(LOG_INFO, "no GPU render node (/dev/dri/renderD*): using the software renderer");
    return true;
}

static void set_hints(const DisplayOptions *o)
{
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    if (o->display > 0 && !SDL_getenv("SDL_KMSDRM_DEVICE_INDEX")) {
        /* On KMS the display is a /dev/dri/cardN device (a Pi 5 with a DSI
         * panel has several); elsewhere it is SDL's display index. */
        char index[16];
        SDL_snprintf(index, sizeof index, "%d", o->display);
        SDL_setenv("SDL_KMSDRM_DEVICE_INDEX", index, 1);
    }
}

/* The window's place and size. Fullscreen covers the display exactly even
 * where no window manager will resize it (an X server started with xinit,
 * Xvfb): FULLSCREEN_DESKTOP only asks a window manager to do so, and
 * without one the window would keep the size it was created with. */
static Uint32 window_geometry(const DisplayOptions *o, SDL_Rect *at)
{
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    at->x = at->y = (int)SDL_WINDOWPOS_CENTERED_DISPLAY(o->display);
    at->w = o->width;
    at->h = o->height;
    if (o->headless) {
        if (!at->w) {
            at->w = DISPLAY_HEADLESS_W;
            at->h = DISPLAY_HEADLESS_H;
        }
        return flags | SDL_WINDOW_HIDDEN;
    }
    if (o->windowed) {
        if (!at->w) {
            at->w = DISPLAY_PREVIEW_W;
            at->h = DISPLAY_PREVIEW_H;
        }
        return flags | SDL_WINDOW_RESIZABLE;
    }
    SDL_Rect bounds;
    if (!at->w && SDL_GetDisplayBounds(o->display, &bounds) == 0) {
        *at = bounds;
    } else if (!at->w) {
        at->w = DISPLAY_PREVIEW_W;
        at->h = DISPLAY_PREVIEW_H;
    }
    return flags | SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
}

static SDL_Renderer *create_renderer(SDL_Window *win, const char *name, bool software)
{
    int index = -1;
    /* On KMS/DRM SDL's first choice, desktop OpenGL, can draw to a screen
     * that stays black (seen with Mesa on virtio-gpu); OpenGL ES is what
     * the Pi's GPU and KMS/EGL are made for. */
    const char *driver = SDL_GetCurrentVideoDriver();
    if (!software && strcmp(name, "auto") == 0 && driver && SDL_strcasecmp(driver, "kmsdrm") == 0)
        name = "opengles2";
    if (!software && strcmp(name, "auto") != 0) {
        for (int i = 0; i < SDL_GetNumRenderDrivers(); i++) {
            SDL_RendererInfo info;
            if (SDL_GetRenderDriverInfo(i, &info) == 0 && strcmp(info.name, name) == 0)
                index = i;
        }
        if (index < 0)
            log_msg(LOG_WARN, "renderer '%s' is not available; using the default", name);
    }
    SDL_Renderer *ren = SDL_CreateRenderer(
        win, index,
        software ? SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE : SDL_RENDERER_TARGETTEXTURE);
    if (!ren && !software)
        ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    return ren;
}

int display_open(Display *d, const DisplayOptions *o)
{
    memset(d, 0, sizeof *d);
    d->rotation = o->rotation;
    set_hints(o);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        print_failure("cannot open the display");
        return -1;
    }
    bool software = use_software(o);
    /* SDL's default opens a hidden OpenGL context for the software
     * renderer's window framebuffer: ~100 MiB, 0.25 s at start and ~20 ms
     * per present here. Blit straight to the window instead, where the
     * video driver can. */
    if (software && own_framebuffer())
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_Rect at;
    Uint32 flags = window_geometry(o, &at);
    d->win = SDL_CreateWindow(o->title, at.x, at.y, at.w, at.h, flags);
    if (!d->win) {
        print_failure("cannot open a window");
        return -1;
    }
    d->ren = create_renderer(d->win, o->renderer, software);
    if (!d->ren) {
        fprintf(stderr, "kiosk: cannot create a renderer: %s\n", SDL_GetError());
        return -1;
    }
    if (!o->headless && !o->windowed)
        SDL_ShowCursor(SDL_DISABLE);
    SDL_DisableScreenSaver();
    if (display_resize(d) != 0)
        return -1;
    SDL_RendererInfo info;
    SDL_GetRendererInfo(d->ren, &info);
    SDL_DisplayMode mode;
    int index = SDL_GetWindowDisplayIndex(d->win);
    if (SDL_GetCurrentDisplayMode(index, &mode) != 0)
        mode.refresh_rate = 0;
    int pw, ph;
    SDL_GetRendererOutputSize(d->ren, &pw, &ph);
    log_msg(LOG_INFO,
            "video driver %s, renderer %s, output %dx%d, display %d at %d Hz, rotation %d",
            SDL_GetCurrentVideoDriver(), info.name, pw, ph, index, mode.refresh_rate, d->rotation);
    return 0;
}

int display_resize(Display *d)
{
    int pw, ph;
    if (SDL_GetRendererOutputSize(d->ren, &pw, &ph) != 0)
        return -1;
    /* The app sees the screen as the client does: turned by the rotation
     * setting. A panel of pw x ph shows a UI of ph x pw at 90 or 270. */
    int w = d->w, h = d->h;
    input_panel_size(d->rotation, pw, ph, &d->w, &d->h);
    if (!d->rotation || (d->ui && w == d->w && h == d->h))
        return 0;
    if (d->ui)
        SDL_DestroyTexture(d->ui);
    d->ui = SDL_CreateTexture(d->ren, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_TARGET, d->w, d->h);
    if (!d->ui) {
        fprintf(stderr, "kiosk: cannot create the rotated screen: %s\n", SDL_GetError());
        return -1;
    }
    return 0;
}

/* KMS ignores the desktop's rotation, so the kiosk turns its picture itself. */
void display_present(Display *d, Render *r, const App *app, uint64_t now)
{
    if (!d->ui) {
        render_frame(r, app, now);
        SDL_RenderPresent(d->ren);
        return;
    }
    SDL_SetRenderTarget(d->ren, d->ui);
    render_frame(r, app, now);
    SDL_SetRenderTarget(d->ren, NULL);
    SDL_SetRenderDrawColor(d->ren, 0, 0, 0, 255);
    SDL_RenderClear(d->ren);
    int pw, ph;
    SDL_GetRendererOutputSize(d->ren, &pw, &ph);
    SDL_Rect dst = {(pw - d->w) / 2, (ph - d->h) / 2, d->w, d->h};
    SDL_RenderCopyEx(d->ren, d->ui, NULL, &dst, d->rotation, NULL, SDL_FLIP_NONE);
    SDL_RenderPresent(d->ren);
}

SDL_Surface *display_read(Display *d, Uint32 format)
{
    int w, h;
    SDL_GetRendererOutputSize(d->ren, &w, &h);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, SDL_BITSPERPIXEL(format), format);
    if (s && SDL_RenderReadPixels(d->ren, NULL, format, s->pixels, s->pitch) != 0) {
        SDL_FreeSurface(s);
        s = NULL;
    }
    return s;
}

void display_close(Display *d)
{
    if (d->ui)
        SDL_DestroyTexture(d->ui);
    if (d->ren)
        SDL_DestroyRenderer(d->ren);
    if (d->win)
        SDL_DestroyWindow(d->win);
    memset(d, 0, sizeof *d);
}
