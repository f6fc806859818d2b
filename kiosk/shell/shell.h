/* shell: the imperative SDL part of the kiosk: the loop that waits for
 * events and timers, feeds the app core, has its effects carried out and
 * draws. Its parts: display (window), reload (live reload), effects (what
 * the app asks for), staff (staff screen), usage (counts), screenshot. */
#ifndef KIOSK_SHELL_H
#define KIOSK_SHELL_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "deck.h"
#include "input.h"
#include "settings.h"

/* Exit statuses beyond main's 0-3 that a supervisor must tell apart: staff
 * chose "Exit kiosk" (do not restart), and a signal ended the kiosk
 * (128 + its number, as a shell reports it: restart unless the service
 * manager itself asked). */
#define SHELL_EXIT_STAFF 4
#define SHELL_EXIT_SIGNAL_BASE 128

typedef struct {
    const char *deck_path;      /* the deck file (for reloads and messages) */
    const char *data_dir;       /* bundled fonts/, images/ */
    const char *signups_path;   /* CSV file of sign-ups */
    const char *kiosk_id;       /* written with every sign-up */
    const char *screenshot_dir; /* non-NULL: render every screen to PNGs and return */
    const char *screens;        /* with screenshot_dir: "all" (NULL), "slides", or names */
    const char *view_lang;      /* with screenshot_dir: the language shown (a code) */
    bool view_large;            /* with screenshot_dir: larger text */
    bool windowed;
    bool headless;          /* no display, no watcher, no signals: tests (implied by screenshots) */
    int width, height;      /* 0: the display's size (or 1920x1080 headless) */
    const char *renderer;   /* "auto", "software", or an SDL render driver name */
    int rotation;           /* 0, 90, 180, 270: the UI turned clockwise on the panel */
    const char *stats_path; /* anonymous usage counts; NULL: none */
    const Settings *settings; /* may be NULL: defaults */
    int display;              /* SDL display index / KMS card number */
} ShellOptions;

/* What the effect handlers did, for the log's summary and for tests. */
typedef struct {
    unsigned long saved;   /* sign-ups durably stored at once */
    unsigned long kept;    /* sign-ups the disk refused, kept in the store's queue */
    unsigned long refused; /* sign-ups that could not even be kept (queue full) */
    unsigned long pins_checked, exports, staff_exits;
    unsigned long erased; /* sign-ups erased after a verified export */
} ShellCounts;

typedef struct Shell Shell;

/** Opens the display and everything the kiosk needs. Takes ownership of
 *  deck (freed by shell_close, or here on failure). Returns NULL after
 *  printing why it failed. */
Shell *shell_open(const ShellOptions *opts, Deck *deck);

/** One turn of the loop: waits up to max_wait_ms for an event or the next
 *  timer, then shell_turn() at SDL's clock. Returns false once the kiosk
 *  should stop. */
bool shell_step(Shell *sh, int max_wait_ms);

/** Handles every event already queued, ticks the app, carries out its
 *  effects and timers at time now (milliseconds, never going back), and
 *  draws when the picture changed and draw is true (tests draw only every
 *  few turns). Returns false once the kiosk should stop. */
bool shell_turn(Shell *sh, uint64_t now, bool draw);

/** Feeds one input straight to the app at time now and carries out its
 *  effects, as shell_turn() does for an SDL event. */
void shell_feed(Shell *sh, const Input *in, uint64_t now);

/** The app's state, for tests. */
const App *shell_app(const Shell *sh);

/** The input translator's state (which finger is followed), for tests. */
const InputState *shell_input(const Shell *sh);

/** What the effect handlers have done so far. */
const ShellCounts *shell_counts(const Shell *sh);

/** Reads back the panel as last presented (ARGB8888), for tests. Returns a
 *  surface the caller frees, or NULL. */
struct SDL_Surface;
struct SDL_Surface *shell_read_panel(Shell *sh);

/** The last live reload's result ("ok at 10:42 ...", "failed at ...: why"),
 *  "" before the first. */
const char *shell_reload_status(const Shell *sh);

/** Writes the sign-ups still waiting (trying for a few seconds), then frees
 *  everything. NULL is a no-op. */
void shell_close(Shell *sh);

/** Runs the kiosk until it is told to quit. Takes ownership of deck. Returns
 *  a process exit status: 0 (a preview window closed, screenshots written),
 *  3 runtime failure, SHELL_EXIT_STAFF, or SHELL_EXIT_SIGNAL_BASE + the
 *  signal that stopped it; prints why it failed. */
int shell_run(const ShellOptions *opts, Deck *deck);

#endif
