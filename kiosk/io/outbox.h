/* outbox: the sign-ups still to be delivered by one route (email or
 * webhook), kept durably.
 *
 * How "queued in the same durable step that stores it" holds. There is no
 * second copy of a sign-up to keep in step with the first: the outbox IS
 * the sign-up file, read with the same CSV rules that wrote it, plus one
 * small file per route beside it, "<signups>.sent-<route>", listing the
 * ids of the rows that route has delivered (one id a line, appended and
 * fsynced after the receiver said yes). A row is waiting when it is a
 * complete row of a sign-up file, comes after the route's starting
 * point, and its id is not in that list. So:
 *
 * - the durable step that stores a sign-up (store_append()'s write and
 *   fsync) is the step that queues it: a crash between any two system
 *   calls leaves it either not stored (not acknowledged, not in the file,
 *   not sent) or stored and waiting;
 * - a crash after a send and before the id is fsynced into the list sends
 *   the row again after the restart, with the same id as Message-ID and
 *   Idempotency-Key, so the receiver sees it once;
 * - rows go in the file's order, and each route has its own list, so a
 *   route that keeps failing holds back only itself.
 *
 * The starting point: when a route's list does not exist yet (delivery
 * just set up), it is made with "after <id of the last row> <now>", so
 * setting up email does not mail out years of old sign-ups. Rows after
 * that id wait; if the id is no longer in any file (old rows were
 * removed), rows stamped after <now> wait.
 *
 * The files: the live sign-up file and the archives the store set it
 * aside as (the deck's fields changed, or it grew past its limit; see
 * signfiles.h), oldest first, so a row waiting when the form changed is
 * still sent, before newer ones. An archive found with nothing waiting is
 * not read again until it changes. The ".partial" of torn rows is not
 * sent: a torn row is not a sign-up anyone confirmed. A row the disk
 * refused waits in the store's queue (store.h) and is delivered once it
 * reaches the file. */
#ifndef KIOSK_OUTBOX_H
#define KIOSK_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct Outbox Outbox;

/* Columns a row may have: the kiosk's rows have 4 + 16 fields + 3; more
 * means a hand-made row, which is not sent. */
#define OUTBOX_FIELDS_MAX 64

/** One row of the sign-up file: names from its header, values parsed.
 *  Personal data: outbox_row_free() wipes it. */
typedef struct {
    char **names, **values;
    size_t n;
    char id[17];
} OutboxRow;

/** Opens the route's list "<signups>.sent-<route>" (route: a short word
 *  such as "email"), creating it (mode 0600, atomically) with the current
 *  last row as its starting point when it does not exist; a missing
 *  sign-up file counts as empty. Returns 0 with a new Outbox the caller
 *  closes with outbox_close(), or -1 with a message naming the file in
 *  err. */
int outbox_open(Outbox **out, const char *signups, const char *route, char *err, size_t errlen);

/** The first waiting row into *row (the caller frees it with
 *  outbox_row_free()), and how many wait in all into *waiting (may be
 *  NULL). Returns 1 with a row, 0 when none waits (*row empty), -1 when
 *  the sign-up file cannot be read (err says why; never row contents). */
int outbox_next(Outbox *o, OutboxRow *row, size_t *waiting, char *err, size_t errlen);

/** Records that id was delivered: appended to the list and fsynced.
 *  Returns 0, or -1 with err (the row will then be sent again, and the
 *  receiver sees the same id). */
int outbox_done(Outbox *o, const char *id, char *err, size_t errlen);

/** When the route last delivered a row, as the list's modification time;
 *  0 when it never has. Lets the staff screen say so across restarts. */
long long outbox_last_delivered(const Outbox *o);

/** Wipes and frees what row holds; an empty row is a no-op. */
void outbox_row_free(OutboxRow *row);

/** Frees o; NULL is a no-op. */
void outbox_close(Outbox *o);

/** Calls fn for every complete row of the CSV at path (after its header),
 *  in order, until fn returns non-zero. A missing file has no rows.
 *  Returns 0, or -1 with err when the file cannot be read. */
int outbox_each_row(const char *path, int (*fn)(void *ctx, const OutboxRow *row), void *ctx,
                    char *err, size_t errlen);

#endif
