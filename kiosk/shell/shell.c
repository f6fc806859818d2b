/* shell: the loop. Sleeps until the next event or timer, feeds the app core,
 * has the effects carried out, draws when something changed. The only
 * mutable global is the signal flag, for when no watcher thread can take
 * signals. */
#include "shell.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "effects.h"
#include "kiosk_version.h"
#include "log.h"
#include "pinstate.h"
#include "retention.h"
#include "screenshot.h"
#include "shellstate.h"
#include "staff.h"

/* Sign-ups still waiting at stop are tried this long: well inside the 90 s
 * a service manager gives a stopping service, long enough for a disk that
 * was briefly busy. */
#define SHELL_STOP_FLUSH_MS 5000
/* Without a watcher thread, signals only set a flag: the wait is cut to
 * this so the flag is seen. */
#define SHELL_SIGNAL_POLL_MS 1000
/* With the watcher, waits are bounded only so a lost wake-up cannot hang
 * the kiosk. */
#define SHELL_MAX_WAIT_MS 60000

static volatile sig_atomic_t shell_stop_signal;

static void on_stop_signal(int sig)
{
    shell_stop_signal = sig;
}

static void stop_on_signal(Shell *sh, int sig)
{
    log_msg(LOG_INFO, "stopping on signal %d", sig);
    sh->quit = true;
    sh->status = SHELL_EXIT_SIGNAL_BASE + sig;
}

/* Outside opening hours the screen goes dark. Returns milliseconds to the
 * next whole minute, when to look again (-1: no opening hours set). */
static int apply_opening_hours(Shell *sh)
{
    const Settings *st = sh->opts->settings;
    if (!st || !st->sleep_enabled)
        return -1;
    time_t t = time(NULL);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return -1;
    bool asleep = settings_asleep(st, tm.tm_hour * 60 + tm.tm_min);
    if (asleep != sh->app.asleep) {
        app_sleep(&sh->app, asleep, sh->now);
        if (sh->app.asleep == asleep)
            log_msg(LOG_INFO,
                    asleep ? "outside opening hours: screen dark" : "opening hours: screen on");
    }
    return (60 - tm.tm_sec) * 1000;
}

static void handle_event(Shell *sh, const SDL_Event *ev, uint64_t now)
{
    int sig = reload_handle_event(&sh->reload, ev, now);
    if (sig) {
        stop_on_signal(sh, sig);
        return;
    }
    if (staff_handle_event(sh, ev))
        return;
    if (ev->type == SDL_QUIT) {
        /* In fullscreen only staff (or the service manager) may stop the
         * kiosk; a window manager's close is for the windowed preview. */
        if (sh->opts->windowed)
            sh->quit = true;
        return;
    }
    if (ev->type == SDL_WINDOWEVENT && (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
                                        ev->window.event == SDL_WINDOWEVENT_EXPOSED)) {
        display_resize(&sh->display);
        sh->input.w = sh->display.w;
        sh->input.h = sh->display.h;
        Input in = {.type = IN_RESIZE, .x = sh->display.w, .y = sh->display.h};
        app_update(&sh->app, &in, now);
        sh->app.dirty = true;
        return;
    }
    Input in;
    if (input_translate(&sh->input, ev, &in))
        app_update(&sh->app, &in, now);
}

/* A new deck from a live reload, at a slide boundary. */
static void swap_deck(Shell *sh)
{
    /* Sign-ups still waiting keep the old deck (and its columns) until they
     * are on disk: rows of another form's shape would never fit the file. */
    Deck *d = reload_take(&sh->reload, &sh->app, store_pending(sh->store) > 0);
    if (!d)
        return;
    Deck *old = sh->deck;
    sh->deck = d;
    render_set_deck(sh->render, d);
    app_set_deck(&sh->app, d, sh->now);
    reload_shown(&sh->reload, d, &sh->app);
    /* The form's columns follow the deck's fields: a new store, so a
     * changed form starts a new file instead of misaligning columns. */
    effects_open_store(sh);
    deck_free(old);
}

static void tell_service_manager(Shell *sh, uint64_t now)
{
    if (sh->frames && !sh->ready && !sh->opts->headless) {
        /* READY once clients can see the slides, not when the process starts. */
        sd_notify(0, "READY=1");
        sh->ready = true;
    }
    if (sh->watchdog_ms && now >= sh->next_watchdog) {
        sd_notify(0, "WATCHDOG=1");
        sh->next_watchdog = now + sh->watchdog_ms / 2;
    }
}

static void draw(Shell *sh, uint64_t now)
{
    display_present(&sh->display, sh->render, &sh->app, now);
    sh->app.dirty = false;
    /* The first slide's time starts when a client can see it: a first frame
     * that took seconds (a busy Pi, software GL) does not cut it short. */
    if (!sh->frames && sh->sdl_clock)
        app_shown(&sh->app, SDL_GetTicks64());
    if (!sh->frames++ && sh->exit_after_first_frame) {
        /* For the benchmark: process start to first frame presented. */
        log_msg(LOG_INFO, "first frame presented");
        sh->quit = true;
    }
}

void shell_feed(Shell *sh, const Input *in, uint64_t now)
{
    sh->now = now;
    app_update(&sh->app, in, now);
    effects_run(sh);
}

/* When an event happened. On SDL's clock (the kiosk's loop), each event
 * keeps its own time, so a finger held 3 s is a hold even when its lifting
 * waited in the queue behind a slow frame; on a test's clock, the turn's. */
static uint64_t event_time(Shell *sh, const SDL_Event *ev, uint64_t now)
{
    if (!sh->sdl_clock)
        return now;
    /* SDL stamps events with the low 32 bits of its millisecond clock. */
    uint64_t t = now - (uint32_t)((uint32_t)now - ev->common.timestamp);
    /* Never before what the app has already seen (the previous turn, the
     * last event): its timers must not run backwards. */
    if (t > now)
        t = now;
    if (t < sh->last_event)
        t = sh->last_event;
    sh->last_event = t;
    return t;
}

bool shell_turn(Shell *sh, uint64_t now, bool may_draw)
{
    SDL_Event ev;
    sh->now = now;
    Input tick = {.type = IN_TICK};
    while (SDL_PollEvent(&ev)) {
        uint64_t t = event_time(sh, &ev, now);
        /* Timers run up to the event first: a hold fires before its release. */
        app_update(&sh->app, &tick, t);
        handle_event(sh, &ev, t);
    }
    app_update(&sh->app, &tick, now);
    sh->last_event = now;
    effects_run(sh);
    effects_retry_store(sh, now);
    reload_run(&sh->reload, now);
    swap_deck(sh);
    usage_flush(&sh->usage, &sh->app, now, false);
    retention_run(sh, now);
    bool moving = app_transition(&sh->app, now) < 1.0;
    if (may_draw && (sh->app.dirty || moving))
        draw(sh, now);
    tell_service_manager(sh, now);
    /* With the picture up and no transition running, use the quiet time
     * to get the next slide ready, so the coming transition starts at once
     * instead of stalling on its first frame. */
    if (may_draw && !sh->quit && !moving)
        render_prepare(sh->render, &sh->app);
    if (shell_stop_signal && !sh->quit)
        stop_on_signal(sh, (int)shell_stop_signal);
    return !sh->quit;
}

static int ms_until(uint64_t when, uint64_t now)
{
    return when > now ? (int)(when - now) : 0;
}

static int sooner(int a, int b)
{
    return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

/* Milliseconds until the next timer of the app, the store, a reload, the
 * opening hours or the watchdog; -1 when only an event can change anything. */
static int next_timer(Shell *sh, uint64_t now)
{
    int timeout = app_next_timeout(&sh->app, now);
    if (store_pending(sh->store))
        timeout = sooner(timeout, ms_until(sh->next_store_retry, now));
    timeout = sooner(timeout, reload_timeout(&sh->reload, now));
    timeout = sooner(timeout, apply_opening_hours(sh));
    timeout = sooner(timeout, ms_until(sh->next_retention, now));
    if (sh->watchdog_ms)
        timeout = sooner(timeout, ms_until(sh->next_watchdog, now));
    return timeout;
}

bool shell_step(Shell *sh, int max_wait_ms)
{
    int timeout = next_timer(sh, sh->now);
    /* Sleep until an event or the next timer: no polling, so a standing
     * slide costs no CPU. */
    if (timeout < 0 || timeout > max_wait_ms)
        timeout = max_wait_ms;
    SDL_WaitEventTimeout(NULL, timeout);
    sh->sdl_clock = true;
    return shell_turn(sh, SDL_GetTicks64(), true);
}

const char *shell_reload_status(const Shell *sh)
{
    return sh->reload.status;
}

const App *shell_app(const Shell *sh)
{
    return &sh->app;
}

const InputState *shell_input(const Shell *sh)
{
    return &sh->input;
}

const ShellCounts *shell_counts(const Shell *sh)
{
    return &sh->counts;
}

SDL_Surface *shell_read_panel(Shell *sh)
{
    return display_read(&sh->display, SDL_PIXELFORMAT_ARGB8888);
}

static int start_drawing(Shell *sh)
{
    const ShellOptions *o = sh->opts;
    DisplayOptions d = {.headless = o->headless,
                        .windowed = o->windowed,
                        .width = o->width,
                        .height = o->height,
                        .renderer = o->renderer ? o->renderer : "auto",
                        /* Screenshots show the UI as designed, unturned. */
                        .rotation = o->screenshot_dir ? 0 : o->rotation,
                        .display = o->display,
                        .title = sh->deck->title ? sh->deck->title : "kiosk"};
    if (display_open(&sh->display, &d) != 0)
        return -1;
    sh->input.w = sh->display.w;
    sh->input.h = sh->display.h;
    sh->input.rotation = sh->display.rotation;
    if (TTF_Init() != 0) {
        fprintf(stderr, "kiosk: cannot start the font engine: %s\n", TTF_GetError());
        return -1;
    }
    IMG_Init(IMG_INIT_PNG | IMG_INIT_JPG);
    char err[512];
    sh->fonts = text_open_deck(sh->deck, o->data_dir, err, sizeof err);
    sh->render = sh->fonts ? render_create(sh->display.ren, sh->fonts, err, sizeof err) : NULL;
    if (!sh->render) {
        fprintf(stderr, "kiosk: %s\n", err);
        return -1;
    }
    render_set_deck(sh->render, sh->deck);
    return 0;
}

/* Signals end the kiosk through the watcher's events; without a watcher,
 * through a flag the loop looks at. */
static void start_reload(Shell *sh)
{
    char err[256];
    if (reload_start(&sh->reload, sh->deck, err, sizeof err) == 0)
        return;
    log_msg(LOG_WARN, "live reload is off: %s", err);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    signal(SIGTERM, on_stop_signal);
    signal(SIGINT, on_stop_signal);
    signal(SIGHUP, on_stop_signal);
}

static void start_watchdog(Shell *sh)
{
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000) {
        sh->watchdog_ms = usec / 1000;
        log_msg(LOG_INFO, "watchdog: telling the service manager every %llu ms",
                (unsigned long long)(sh->watchdog_ms / 2));
    }
}

Shell *shell_open(const ShellOptions *opts, Deck *deck)
{
    Shell *sh = calloc(1, sizeof *sh);
    if (!sh) {
        fprintf(stderr, "kiosk: out of memory\n");
        deck_free(deck);
        return NULL;
    }
    sh->opts = opts;
    sh->deck = deck;
    sh->reload = (Reload){.deck_path = opts->deck_path,
                          .data_dir = opts->data_dir,
                          .settings = opts->settings,
                          .loaded_at = time(NULL)};
    sh->usage.path = opts->screenshot_dir ? NULL : opts->stats_path;
    reload_apply_settings(opts->settings, deck);
    if (!opts->headless)
        watch_block_signals(); /* before SDL starts threads: signals go to the watcher */
    const char *first = SDL_getenv("KIOSK_EXIT_AFTER_FIRST_FRAME");
    sh->exit_after_first_frame = first && strcmp(first, "1") == 0;
    if (start_drawing(sh) != 0)
        goto fail;
    sh->now = opts->headless ? 0 : SDL_GetTicks64();
    sh->last_event = sh->now;
    app_init(&sh->app, deck, sh->display.w, sh->display.h, sh->now);
    if (opts->screenshot_dir)
        return sh;
    /* Old rows go before the store reads the file: nothing to close yet. */
    retention_at_start(opts->signups_path,
                       opts->settings ? opts->settings->keep_days : SETTINGS_DEFAULT_KEEP_DAYS);
    sh->next_retention = sh->now + RETENTION_EVERY_MS;
    if (effects_open_store(sh) != 0)
        goto fail;
    sh->delivery = delivery_start(opts->settings, opts->signups_path);
    { /* Wrong PINs before a restart still count (pinstate.h). */
        char path[4096], note[1024] = "";
        if (pin_state_path(opts->signups_path, path, sizeof path) == 0)
            sh->app.pin_guard = pin_state_restore(path,
                                                  opts->settings ? opts->settings->staff_pin : NULL,
                                                  sh->now, (int64_t)time(NULL), note, sizeof note);
        if (note[0])
            log_msg(LOG_WARN, "%s", note);
    }
    if (!opts->headless) {
        log_msg(LOG_INFO, "kiosk %s started: deck %s (%zu slides)", KIOSK_VERSION, deck->path,
                deck->slide_count);
        start_reload(sh);
        start_watchdog(sh);
    }
    SDL_StartTextInput();
    return sh;
fail:
    shell_close(sh);
    return NULL;
}

void shell_close(Shell *sh)
{
    if (!sh)
        return;
    if (!sh->opts->headless)
        sd_notify(0, "STOPPING=1");
    reload_stop(&sh->reload);
    staff_stop(sh, SHELL_STOP_FLUSH_MS);
    usage_flush(&sh->usage, &sh->app, sh->now, true);
    /* Sends in progress are cut off first: each row not recorded as
     * delivered goes again at the next start, with the same id. */
    delivery_stop(sh->delivery);
    effects_flush_store(sh, SHELL_STOP_FLUSH_MS);
    store_close(sh->store);
    dupe_free(&sh->dupes);
    render_destroy(sh->render);
    text_close(sh->fonts);
    display_close(&sh->display);
    IMG_Quit();
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
    deck_free(sh->deck);
    free(sh);
}

int shell_run(const ShellOptions *opts, Deck *deck)
{
    ShellOptions o = *opts;
    if (o.screenshot_dir) {
        /* Screenshots need no display: SDL draws into memory. */
        SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
        o.headless = true;
    }
    Shell *sh = shell_open(&o, deck);
    if (!sh)
        return 3;
    int status;
    if (o.screenshot_dir) {
        status = screenshot_all(sh, o.screenshot_dir);
    } else {
        while (shell_step(sh, sh->reload.watch ? SHELL_MAX_WAIT_MS : SHELL_SIGNAL_POLL_MS)) {
        }
        status = sh->status;
    }
    shell_close(sh);
    return status;
}
