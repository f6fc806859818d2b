/* reload: live reload of the deck. A watcher thread wakes the loop when the
 * deck's files change (or on SIGHUP); after a short quiet time the deck is
 * read again; a good new deck waits for a slide boundary, a bad one is
 * logged and the old one stays on screen. */
#ifndef KIOSK_RELOAD_H
#define KIOSK_RELOAD_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "app.h"
#include "deck.h"
#include "settings.h"
#include "watch.h"

/* After the last change to the deck's files, wait this long before reading
 * them: an editor saving a large file, or a copy over SSH, is done by then,
 * so a half-written deck is not read. */
#define RELOAD_DEBOUNCE_MS 500

typedef struct {
    const char *deck_path, *data_dir; /* borrowed from the options */
    const Settings *settings;         /* may be NULL */
    Watch *watch;                     /* NULL: no live reload (signals end the kiosk) */
    Uint32 event;                     /* the watcher's SDL event type */
    uint64_t due;                     /* 0: none; else when to read the deck again */
    Deck *pending;                    /* a good new deck waiting for a slide boundary */
    uint64_t boundary_seen;           /* app.slide_since when last looked */
    time_t loaded_at;                 /* when the deck on screen was loaded */
    char status[240];                 /* "ok at 10:42 (15 slides)", "failed at ...: why" */
} Reload;

/** Starts watching the files of deck. Returns 0, or -1 with err when no
 *  watcher could be started (the kiosk then runs without live reload). */
int reload_start(Reload *r, const Deck *deck, char *err, size_t errlen);

/** Where the settings give a timeout, it wins over the deck's: timeouts
 *  belong to the screen more than to the deck. */
void reload_apply_settings(const Settings *st, Deck *d);

/** Handles the watcher's event. Returns 0 when ev is not the watcher's or
 *  was handled, or the signal number when a signal asks the kiosk to stop. */
int reload_handle_event(Reload *r, const SDL_Event *ev, uint64_t now);

/** Milliseconds until reload_run() has work, -1 when none. */
int reload_timeout(const Reload *r, uint64_t now);

/** Reads the deck again when it is due. */
void reload_run(Reload *r, uint64_t now);

/** The new deck to show now, or NULL: only at a slide boundary on the
 *  slides, and never while busy (sign-ups of the old form still waiting).
 *  The caller owns the returned deck and calls reload_shown() with it. */
Deck *reload_take(Reload *r, const App *app, bool busy);

/** The deck on screen changed: watch its files and remember when. */
void reload_shown(Reload *r, const Deck *deck, const App *app);

/** The staff screen's two lines about the deck: which one is shown since
 *  when, and how the last reload went. */
void reload_describe(const Reload *r, const Deck *shown, char *deck_line, size_t deck_cap,
                     char *reload_line, size_t reload_cap);

/** Stops the watcher and frees a waiting deck. */
void reload_stop(Reload *r);

#endif
