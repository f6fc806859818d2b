/* shell: the imperative SDL part of the kiosk: window, event loop, timers,
 * carrying out the effects the app core asks for. Only main calls it. */
#ifndef KIOSK_SHELL_H
#define KIOSK_SHELL_H

#include <stdbool.h>

#include "app.h"
#include "deck.h"
#include "settings.h"

typedef struct {
    const char *deck_path;      /* the deck file (for reloads and messages) */
    const char *data_dir;       /* bundled fonts/, images/ */
    const char *signups_path;   /* CSV file of sign-ups */
    const char *kiosk_id;       /* written with every sign-up */
    const char *screenshot_dir; /* non-NULL: render every screen to PNGs and return */
    bool windowed;
    int width, height;        /* 0: the display's size (or 1920x1080 for screenshots) */
    const char *renderer;     /* "auto", "software", or an SDL render driver name */
    int rotation;             /* 0, 90, 180, 270: the UI turned clockwise on the panel */
    const char *stats_path;   /* anonymous usage counts; NULL: none */
    const Settings *settings; /* may be NULL: defaults */
    int display;              /* SDL display index / KMS card number */
} ShellOptions;

typedef struct Shell Shell;

/** Opens the display and everything the kiosk needs. Takes ownership of
 *  deck (freed by shell_close, or here on failure). Returns NULL after
 *  printing why it failed. */
Shell *shell_open(const ShellOptions *opts, Deck *deck);

/** One turn of the loop: waits up to max_wait_ms for an event or the next
 *  timer, feeds the app, carries out its effects, draws if needed. Returns
 *  false once the kiosk should stop. */
bool shell_step(Shell *sh, int max_wait_ms);

/** The app's state, for tests. */
const App *shell_app(const Shell *sh);

/** Reads back the panel as last presented (ARGB8888), for tests. Returns a
 *  surface the caller frees, or NULL. */
struct SDL_Surface;
struct SDL_Surface *shell_read_panel(Shell *sh);

/** The last live reload's result ("ok at 10:42 ...", "failed at ...: why"),
 *  "" before the first. */
const char *shell_reload_status(const Shell *sh);

void shell_close(Shell *sh);

/** Runs the kiosk until it is told to quit. Takes ownership of deck. Returns
 *  a process exit status (0 ok, 3 runtime failure) and prints why it failed. */
int shell_run(const ShellOptions *opts, Deck *deck);

#endif
