/* delivery: see delivery.h. */
#include "delivery.h"

#include <SDL.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deliver.h"
#include "log.h"
#include "notice.h"
#include "outbox.h"
#include "store.h"
#include "util.h"

/* The longest message or JSON body: a row is at most 16 fields of
 * FORM_VALUE_MAX bytes plus a few short columns, well under this. */
#define DELIVERY_BODY_MAX (64 * 1024)

typedef enum { ROUTE_EMAIL, ROUTE_WEBHOOK, ROUTE_COUNT } RouteKind;

static const char *const route_names[ROUTE_COUNT] = {"email", "webhook"};

typedef struct {
    Delivery *d;
    RouteKind kind;
    SDL_Thread *thread;
    Outbox *ob;  /* the thread's once started */
    bool kicked; /* under d->mu */
    /* The staff screen's facts, under d->mu. */
    size_t waiting;
    bool known;     /* waiting has been counted once */
    bool failing;   /* the last try failed */
    time_t last_ok; /* 0: none since start */
} Route;

struct Delivery {
    const Settings *settings; /* the settings outlive the shell */
    char signups[4096];
    SDL_mutex *mu;
    SDL_cond *cond;
    atomic_bool stop;
    Route routes[ROUTE_COUNT];
};

/* Waits up to ms for a kick or the stop; returns false on stop. */
static bool wait_for(Route *r, uint64_t ms, bool kick_ends_wait)
{
    Delivery *d = r->d;
    uint64_t until = SDL_GetTicks64() + ms;
    SDL_LockMutex(d->mu);
    while (!atomic_load(&d->stop) && !(kick_ends_wait && r->kicked)) {
        uint64_t now = SDL_GetTicks64();
        if (now >= until)
            break;
        SDL_CondWaitTimeout(d->cond, d->mu, (Uint32)(until - now));
    }
    r->kicked = false;
    bool go_on = !atomic_load(&d->stop);
    SDL_UnlockMutex(d->mu);
    return go_on;
}

static void set_status(Route *r, size_t waiting, bool failing, bool delivered)
{
    SDL_LockMutex(r->d->mu);
    r->waiting = waiting;
    r->known = true;
    r->failing = failing;
    if (delivered)
        r->last_ok = time(NULL);
    SDL_UnlockMutex(r->d->mu);
}

/* Builds the route's message for row and sends it. */
static int send_row(Route *r, const OutboxRow *row, char *body, char *err, size_t errlen)
{
    const Settings *s = r->d->settings;
    NoticeRow nr = {(const char *const *)row->names, (const char *const *)row->values, row->n};
    size_t need;
    if (r->kind == ROUTE_EMAIL) {
        char date[64];
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z", &tm);
        need = notice_email(body, DELIVERY_BODY_MAX, &nr, s->email.from, s->email.to, date);
    } else {
        need = notice_json(body, DELIVERY_BODY_MAX, &nr);
    }
    if (need >= DELIVERY_BODY_MAX) {
        util_format(err, errlen, "the sign-up is too large to send");
        return -1;
    }
    return r->kind == ROUTE_EMAIL
               ? deliver_email(&s->email, body, &r->d->stop, err, errlen)
               : deliver_webhook(&s->webhook, row->id, body, &r->d->stop, err, errlen);
}

/* One pass: the next waiting row, sent. Returns how long to wait before
 * the next pass (0: at once). */
static uint64_t deliver_next(Route *r, Outbox *ob, unsigned *failures, char *body)
{
    const char *name = route_names[r->kind];
    char err[1024] = "";
    OutboxRow row;
    size_t waiting = 0;
    int rc = outbox_next(ob, &row, &waiting, err, sizeof err);
    if (rc == 0) {
        set_status(r, 0, false, false);
        *failures = 0;
        return DELIVERY_IDLE_MS;
    }
    if (rc > 0)
        rc = send_row(r, &row, body, err, sizeof err);
    util_wipe(body, DELIVERY_BODY_MAX);
    bool ok = rc == 0 && outbox_done(ob, row.id, err, sizeof err) == 0;
    if (rc == 0)
        log_msg(LOG_INFO, "sign-up %s delivered by %s", row.id, name);
    if (rc == 0 && !ok)
        log_msg(LOG_ERROR, "sign-up %s may be sent by %s again (same id): %s", row.id, name, err);
    set_status(r, rc == 0 ? waiting - 1 : waiting, rc != 0, rc == 0);
    if (ok) {
        *failures = 0;
        outbox_row_free(&row);
        return 0;
    }
    if (rc == 0) {
        /* Sent, but not recorded (the disk refused the list): back off
         * like a failed send, or the same row would go out again and
         * again at once. */
        outbox_row_free(&row);
        return notice_backoff_ms(++*failures, 0);
    }
    if (atomic_load(&r->d->stop)) {
        outbox_row_free(&row);
        return 0;
    }
    /* Jitter from the clock: kiosks that lost the same server at the
     * same moment do not all come back at the same one. */
    uint64_t wait = notice_backoff_ms(++*failures, (unsigned)(SDL_GetPerformanceCounter() % 1000));
    if (row.id[0])
        log_msg(LOG_ERROR,
                "sign-up %s not delivered by %s yet (%zu waiting): %s; next try in %llu s", row.id,
                name, waiting, err, (unsigned long long)(wait / 1000));
    else
        log_msg(LOG_ERROR, "sign-ups cannot be read for delivery by %s: %s; next try in %llu s",
                name, err, (unsigned long long)(wait / 1000));
    outbox_row_free(&row);
    return wait;
}

static int route_main(void *arg)
{
    Route *r = arg;
    char err[1024];
    Outbox *ob = r->ob;
    unsigned failures = 0;
    uint64_t wait = 0;
    char *body = malloc(DELIVERY_BODY_MAX);
    while (body && wait_for(r, wait, failures == 0)) {
        if (!ob && outbox_open(&ob, r->d->signups, route_names[r->kind], err, sizeof err) != 0) {
            wait = notice_backoff_ms(++failures, 0);
            log_msg(LOG_ERROR, "delivery by %s cannot start: %s", route_names[r->kind], err);
            set_status(r, 0, true, false);
            continue;
        }
        if (wait == 0 && ob && failures == 0) {
            SDL_LockMutex(r->d->mu);
            if (!r->last_ok)
                r->last_ok = outbox_last_delivered(ob);
            SDL_UnlockMutex(r->d->mu);
        }
        wait = deliver_next(r, ob, &failures, body);
    }
    if (!body)
        log_msg(LOG_ERROR, "delivery by %s stopped: out of memory", route_names[r->kind]);
    free(body);
    outbox_close(ob);
    return 0;
}

Delivery *delivery_start(const Settings *s, const char *signups_path)
{
    if (!s || (!s->email.smtp && !s->webhook.url))
        return NULL;
    Delivery *d = calloc(1, sizeof *d);
    if (!d || deliver_init() != 0 || !(d->mu = SDL_CreateMutex()) ||
        !(d->cond = SDL_CreateCond())) {
        log_msg(LOG_ERROR, "delivery cannot start: %s", d ? SDL_GetError() : "out of memory");
        delivery_stop(d);
        return NULL;
    }
    d->settings = s;
    util_format(d->signups, sizeof d->signups, "%s", signups_path);
    bool on[ROUTE_COUNT] = {s->email.smtp != NULL, s->webhook.url != NULL};
    for (int k = 0; k < ROUTE_COUNT; k++) {
        Route *r = &d->routes[k];
        r->d = d;
        r->kind = (RouteKind)k;
        if (!on[k])
            continue;
        /* Opened here, before the first sign-up can be made: a route set
         * up just now starts after the file's last row (outbox.h), and
         * that must not race with a client tapping Send. */
        char err[1024];
        if (outbox_open(&r->ob, signups_path, route_names[k], err, sizeof err) != 0)
            log_msg(LOG_ERROR, "delivery by %s: %s (will retry)", route_names[k], err);
        r->thread = SDL_CreateThread(route_main, route_names[k], r);
        if (!r->thread)
            log_msg(LOG_ERROR, "delivery by %s cannot start: %s", route_names[k], SDL_GetError());
        else
            log_msg(LOG_INFO, "sign-ups are delivered by %s", route_names[k]);
    }
    return d;
}

void delivery_kick(Delivery *d)
{
    if (!d)
        return;
    SDL_LockMutex(d->mu);
    for (int k = 0; k < ROUTE_COUNT; k++)
        d->routes[k].kicked = true;
    SDL_CondBroadcast(d->cond);
    SDL_UnlockMutex(d->mu);
}

void delivery_describe(Delivery *d, char *out, size_t cap)
{
    if (!d) {
        util_format(out, cap, "Delivery: not set up");
        return;
    }
    size_t waiting = 0;
    time_t last = 0;
    char failing[40] = "";
    bool known = false;
    SDL_LockMutex(d->mu);
    for (int k = 0; k < ROUTE_COUNT; k++) {
        const Route *r = &d->routes[k];
        if (!r->thread)
            continue;
        known = known || r->known;
        waiting = r->waiting > waiting ? r->waiting : waiting;
        last = r->last_ok > last ? r->last_ok : last;
        if (r->failing)
            util_append(failing, sizeof failing, "%s%s", failing[0] ? ", " : " · ", route_names[k]);
    }
    SDL_UnlockMutex(d->mu);
    char when[16] = "none yet";
    struct tm tm;
    if (last && localtime_r(&last, &tm))
        strftime(when, sizeof when, "%H:%M", &tm);
    if (known)
        util_format(out, cap, "Delivery: %zu waiting · last delivered %s%s%s", waiting, when,
                    failing, failing[0] ? " failing" : "");
    else
        util_format(out, cap, "Delivery: starting");
}

size_t delivery_waiting(Delivery *d)
{
    if (!d)
        return 0;
    size_t waiting = 0;
    SDL_LockMutex(d->mu);
    for (int k = 0; k < ROUTE_COUNT; k++)
        if (d->routes[k].thread && d->routes[k].waiting > waiting)
            waiting = d->routes[k].waiting;
    SDL_UnlockMutex(d->mu);
    return waiting;
}

void delivery_stop(Delivery *d)
{
    if (!d)
        return;
    if (d->mu) {
        SDL_LockMutex(d->mu);
        atomic_store(&d->stop, true);
        if (d->cond)
            SDL_CondBroadcast(d->cond);
        SDL_UnlockMutex(d->mu);
    }
    for (int k = 0; k < ROUTE_COUNT; k++) {
        if (d->routes[k].thread)
            SDL_WaitThread(d->routes[k].thread, NULL);
        else
            outbox_close(d->routes[k].ob);
    }
    if (d->cond)
        SDL_DestroyCond(d->cond);
    if (d->mu)
        SDL_DestroyMutex(d->mu);
    free(d);
}
