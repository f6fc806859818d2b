/* delivery: the sign-ups sent on by email and/or webhook, one thread per
 * route, so that a slow or dead server never holds up the screen or the
 * watchdog, and a route that keeps failing never holds up the other.
 *
 * Each thread takes the route's first waiting row (outbox.h: the sign-up
 * file itself plus the route's list of delivered ids), builds the message
 * (notice.h), sends it (deliver.h), records it as delivered durably, and
 * goes on; after a failure it waits (notice_backoff_ms: 5 s doubling to
 * 15 min) and tries the same row again, so rows go in order. It touches no
 * SDL state but its own mutex and condition; the loop reads the counts for
 * the staff screen under that mutex. The log says "sign-up <id> delivered
 * by email" and why a send failed, never a secret or a field. */
#ifndef KIOSK_DELIVERY_H
#define KIOSK_DELIVERY_H

#include <stddef.h>

#include "settings.h"

typedef struct Delivery Delivery;

/* With nothing to send, a thread looks at the file again this often
 * anyway: rows the disk refused reach the file later, from the store's
 * retry, without a kick. */
#define DELIVERY_IDLE_MS 30000

/** Starts a thread for each route the settings set up. Returns NULL when
 *  none is (delivery off) or it could not start (logged). */
Delivery *delivery_start(const Settings *s, const char *signups_path);

/** A sign-up was stored: look now, not at the next idle check. NULL is a
 *  no-op. */
void delivery_kick(Delivery *d);

/** The staff screen's line: "Delivery: 2 waiting · last delivered 14:02",
 *  "Delivery: not set up", or with a failing route named. */
void delivery_describe(Delivery *d, char *out, size_t cap);

/** How many sign-ups wait for the route furthest behind; 0 without
 *  delivery (NULL). */
size_t delivery_waiting(Delivery *d);

/** Asks the threads to end, cancels a send in progress, and waits for
 *  them (at most about a second: a send is cut off, and the row is sent
 *  again at the next start). Frees d; NULL is a no-op. */
void delivery_stop(Delivery *d);

#endif
