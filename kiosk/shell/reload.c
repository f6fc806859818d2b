/* reload: see reload.h. */
#include "reload.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "deckload.h"
#include "log.h"

void reload_apply_settings(const Settings *st, Deck *d)
{
    if (!st)
        return;
    if (st->inactivity_ms > 0)
        d->timing.inactivity_ms = st->inactivity_ms;
    if (st->form_inactivity_ms > 0)
        d->timing.form_inactivity_ms = st->form_inactivity_ms;
    if (st->thanks_ms > 0)
        d->timing.thanks_ms = st->thanks_ms;
}

static void watch_files(Reload *r, const Deck *d)
{
    if (!r->watch)
        return;
    watch_clear(r->watch);
    watch_add(r->watch, r->deck_path);
    /* Its translations, loaded or not: a new one, or a broken one fixed,
     * reloads the deck as an edit of the deck does. */
    size_t n = strlen(r->deck_path);
    char pattern[4096];
    if (n > 5 && strcmp(r->deck_path + n - 5, ".yaml") == 0 &&
        snprintf(pattern, sizeof pattern, "%.*s.*.yaml", (int)(n - 5), r->deck_path) <
            (int)sizeof pattern)
        watch_add_pattern(r->watch, pattern);
    if (d->theme.font)
        watch_add(r->watch, d->theme.font);
    if (d->theme.bold_font)
        watch_add(r->watch, d->theme.bold_font);
    for (size_t i = 0; i < d->slide_count; i++)
        if (d->slides[i].image)
            watch_add(r->watch, d->slides[i].image);
}

int reload_start(Reload *r, const Deck *deck, char *err, size_t errlen)
{
    r->loaded_at = time(NULL);
    r->event = SDL_RegisterEvents(1);
    if (r->event == (Uint32)-1) {
        snprintf(err, errlen, "no SDL event type left: %s", SDL_GetError());
        return -1;
    }
    r->watch = watch_start(r->event, err, errlen);
    if (!r->watch)
        return -1;
    watch_files(r, deck);
    return 0;
}

int reload_handle_event(Reload *r, const SDL_Event *ev, uint64_t now)
{
    if (!r->watch || ev->type != r->event)
        return 0;
    if (ev->user.code == WATCH_FILE_CHANGED) {
        r->due = now + RELOAD_DEBOUNCE_MS;
        return 0;
    }
    int sig = (int)(intptr_t)ev->user.data1;
    if (ev->user.code != WATCH_SIGNAL)
        return 0;
    if (sig != SIGHUP)
        return sig;
    log_msg(LOG_INFO, "SIGHUP: reloading the deck");
    r->due = now;
    return 0;
}

int reload_timeout(const Reload *r, uint64_t now)
{
    if (!r->due)
        return -1;
    return r->due > now ? (int)(r->due - now) : 0;
}

static void clock_text(char *out, size_t cap, time_t t)
{
    struct tm tm;
    if (localtime_r(&t, &tm))
        strftime(out, cap, "%H:%M", &tm);
    else
        snprintf(out, cap, "?");
}

/* Logs every diagnostic and returns the first error's text in buf. */
static const char *log_diags(const DiagList *diags, char *buf, size_t cap)
{
    const char *first = NULL;
    for (size_t i = 0; i < diags->count; i++) {
        diag_format(&diags->items[i], buf, cap);
        log_msg(diags->items[i].level == DIAG_ERROR ? LOG_ERROR : LOG_WARN, "%s", buf);
    }
    for (size_t i = 0; !first && i < diags->count; i++)
        if (diags->items[i].level == DIAG_ERROR) {
            diag_format(&diags->items[i], buf, cap);
            first = buf;
        }
    return first ? first : "unknown error";
}

void reload_run(Reload *r, uint64_t now)
{
    if (!r->due || now < r->due)
        return;
    r->due = 0;
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions lo = {.data_dir = r->data_dir};
    Deck *d = deck_load(r->deck_path, &lo, &diags);
    char when[16], buf[1024];
    clock_text(when, sizeof when, time(NULL));
    const char *why = log_diags(&diags, buf, sizeof buf);
    if (!d) {
        /* Keep the last good deck on screen; say why on the staff screen. */
        snprintf(r->status, sizeof r->status, "failed at %s: %s", when, why);
        log_msg(LOG_ERROR, "deck reload failed; still showing the previous deck");
    } else {
        reload_apply_settings(r->settings, d);
        deck_free(r->pending);
        r->pending = d;
        snprintf(r->status, sizeof r->status, "ok at %s (%zu slides)", when, d->slide_count);
        log_msg(LOG_INFO, "deck reloaded: %s (%zu slides); shown from the next slide", d->path,
                d->slide_count);
    }
    diag_clear(&diags);
}

/* A good new deck replaces the old one at a slide boundary, never in the
 * middle of a client's sign-up or on the staff screen. */
Deck *reload_take(Reload *r, const App *app, bool busy)
{
    bool boundary = app->slide_since != r->boundary_seen;
    r->boundary_seen = app->slide_since;
    if (!r->pending || app->screen != SCREEN_SLIDES || !boundary || busy)
        return NULL;
    Deck *d = r->pending;
    r->pending = NULL;
    return d;
}

void reload_shown(Reload *r, const Deck *deck, const App *app)
{
    r->loaded_at = time(NULL);
    r->boundary_seen = app->slide_since;
    watch_files(r, deck);
}

void reload_describe(const Reload *r, const Deck *shown, char *deck_line, size_t deck_cap,
                     char *reload_line, size_t reload_cap)
{
    char when[16];
    clock_text(when, sizeof when, r->loaded_at);
    snprintf(deck_line, deck_cap, "Deck: %s, %zu slides, loaded at %s", shown->name,
             shown->slide_count, when);
    snprintf(reload_line, reload_cap, "Last reload: %s",
             r->status[0] ? r->status : "none since start");
}

void reload_stop(Reload *r)
{
    watch_stop(r->watch);
    r->watch = NULL;
    deck_free(r->pending);
    r->pending = NULL;
}
