/* watch: wakes the SDL loop when a watched file changes or a signal
 * arrives, without polling. A thread sleeps in poll() on inotify and a
 * signalfd and pushes an SDL user event; the loop keeps sleeping in
 * SDL_WaitEventTimeout until then. */
#ifndef KIOSK_WATCH_H
#define KIOSK_WATCH_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct Watch Watch;

/* event.user.code of the pushed events */
enum { WATCH_FILE_CHANGED = 1, WATCH_SIGNAL = 2 /* event.user.data1 = (intptr_t)signo */ };

/** Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and every thread
 *  started after it, so that only the watch thread receives them. Call
 *  before SDL_Init. */
void watch_block_signals(void);

/** Starts the thread; events are pushed with type event_type (from
 *  SDL_RegisterEvents). Returns NULL with err when it cannot (the kiosk
 *  then runs without live reload, and signals end it the default way). */
Watch *watch_start(Uint32 event_type, char *err, size_t errlen);

/** Watches one file (by its directory, so that editors that save by
 *  renaming a new file into place are seen). Returns 0 or -1. */
int watch_add(Watch *w, const char *path);

/** Watches the files whose names match the last part of path, a shell
 *  pattern ("slides/microneedling.*.yaml"): created, changed or removed.
 *  Returns 0 or -1. */
int watch_add_pattern(Watch *w, const char *path);

/** Forgets every watched file (before watching a new deck's files). */
void watch_clear(Watch *w);

/** NULL is a no-op. */
void watch_stop(Watch *w);

#endif
