/* usage: the app's anonymous usage counts (slides viewed, forms opened,
 * sent, abandoned) added to the stats file every few minutes and at exit,
 * so a crash loses minutes of counts at most and the SD card is not written
 * at every tap. */
#ifndef KIOSK_USAGE_H
#define KIOSK_USAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"

/* Counts reach the stats file at most this often (and at exit). */
#define USAGE_EVERY_MS (5 * 60 * 1000)

typedef struct {
    const char *path;                              /* the stats file; NULL: counts are not kept */
    unsigned slides, opened, completed, abandoned; /* already in the file */
    uint64_t due;
} Usage;

/** Adds what the app counted since the last flush to the file, when due or
 *  when forced (at exit). A failure is logged and retried next time. */
void usage_flush(Usage *u, const App *app, uint64_t now, bool force);

#endif
