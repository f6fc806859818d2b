/* shell: the imperative part. Opens the display, pumps events into the app
 * core, sleeps until the next event or timer, draws when something changed,
 * and carries out the effects the core asks for (storing a sign-up). The
 * only place with mutable globals: the signal flag. */
#include "shell.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "deckload.h"
#include "export.h"
#include "fsx.h"
#include "input.h"
#include "log.h"
#include "pin.h"
#include "render.h"
#include "settings.h"
#include "stats.h"
#include "store.h"
#include "text.h"
#include "util.h"
#include "watch.h"

/* How often sign-ups that could not be written are tried again. */
#define SHELL_STORE_RETRY_MS 10000
#define SHELL_SCREENSHOT_W 1920
#define SHELL_SCREENSHOT_H 1080

static volatile sig_atomic_t shell_stop_signal;

static void on_stop_signal(int sig)
{
    shell_stop_signal = sig;
}

struct Shell {
    const ShellOptions *opts;
    Deck *deck;
    SDL_Window *win;
    SDL_Renderer *ren;
    TextFonts *fonts;
    Render *render;
    Store *store;
    char **columns;
    size_t ncolumns;
    App app;
    InputState input;
    uint64_t next_store_retry;
    uint64_t now;
    bool quit;
    unsigned long frames;
    int rotation;                /* 0, 90, 180, 270 */
    SDL_Texture *ui;             /* the UI before it is turned onto the panel */
    bool exit_after_first_frame; /* KIOSK_EXIT_AFTER_FIRST_FRAME=1, for benchmarks */

    /* Live reload. */
    Watch *watch;
    Uint32 watch_event;
    uint64_t reload_due;    /* 0: none; else when to read the deck again */
    Deck *pending;          /* a good new deck waiting for a slide boundary */
    uint64_t boundary_seen; /* app.slide_since when we last looked */
    time_t deck_loaded_at;
    char reload_status[240];

    /* Usage counts already written to the stats file. */
    unsigned stats_slides, stats_opened, stats_completed, stats_abandoned;
    uint64_t stats_due;
};

/* After the last change to the deck's files, wait this long before reading
 * them: an editor saving a large file, or a copy over SSH, is done by then,
 * so a half-written deck is not read. */
#define SHELL_RELOAD_DEBOUNCE_MS 500
/* Usage counts reach the stats file at most this often (and at exit). */
#define SHELL_STATS_EVERY_MS (5 * 60 * 1000)

static int open_fonts(Shell *sh)
{
    char err[512];
    sh->fonts = text_open_deck(sh->deck, sh->opts->data_dir, err, sizeof err);
    if (!sh->fonts) {
        log_msg(LOG_ERROR, "%s", err);
        return -1;
    }
    return 0;
}

/* ---- sign-ups --------------------------------------------------------- */

static void free_columns(Shell *sh)
{
    for (size_t i = 0; i < sh->ncolumns; i++)
        free(sh->columns[i]);
    free(sh->columns);
    sh->columns = NULL;
    sh->ncolumns = 0;
}

static int build_columns(Shell *sh)
{
    const char *names[APP_ROW_MAX];
    size_t n = app_signup_columns(sh->deck, names);
    /* Copies: the columns outlive a deck swapped by a reload. */
    sh->columns = calloc(n, sizeof *sh->columns);
    if (!sh->columns)
        return -1;
    sh->ncolumns = n;
    for (size_t i = 0; i < n; i++)
        if (!(sh->columns[i] = strdup(names[i])))
            return -1;
    return 0;
}

static void open_store(Shell *sh)
{
    char note[512] = "", err[512] = "";
    if (store_open(&sh->store, sh->opts->signups_path, (const char *const *)sh->columns,
                   sh->ncolumns, note, sizeof note, err, sizeof err) != 0) {
        sh->store = NULL;
        log_msg(LOG_ERROR, "sign-ups cannot be stored yet: %s (will retry)", err);
        return;
    }
    if (note[0])
        log_msg(LOG_WARN, "%s", note);
    log_msg(LOG_INFO, "sign-ups go to %s (%zu so far)", sh->opts->signups_path,
            store_row_count(sh->store));
}

/* Pending rows while the file cannot even be opened: kept here, written
 * once it can. The store keeps its own queue for write failures. */
typedef struct PendingRow {
    struct PendingRow *next;
    size_t n;
    char **values;
} PendingRow;

static PendingRow *shell_pending;

static void wipe_free(char *s)
{
    if (!s)
        return;
    util_wipe(s, strlen(s));
    free(s);
}

static void free_row(PendingRow *row)
{
    for (size_t i = 0; i < row->n; i++)
        wipe_free(row->values[i]);
    free(row->values);
    free(row);
}

static void keep_in_memory(const char *const *values, size_t n)
{
    PendingRow *row = calloc(1, sizeof *row);
    if (row) {
        row->n = n;
        row->values = calloc(n, sizeof *row->values);
        for (size_t i = 0; row->values && i < n; i++)
            row->values[i] = strdup(values[i]);
        row->next = shell_pending;
        shell_pending = row;
    }
}

/* Returns true when the row is durably on disk. Otherwise it is kept in
 * memory (by the store, or here when the store cannot take it) and
 * retried: a sign-up is never silently dropped. */
static bool store_row(Shell *sh, const char *const *values, size_t n, const char *id)
{
    char err[512] = "";
    if (!sh->store)
        open_store(sh);
    if (sh->store) {
        int rc = store_append(sh->store, values, n, err, sizeof err);
        if (rc == 0) {
            if (err[0])
                log_msg(LOG_WARN, "%s", err);
            log_msg(LOG_INFO, "sign-up %s stored", id);
            return true;
        }
        if (rc == 1) {
            log_msg(LOG_ERROR, "sign-up %s not written yet: %s (kept in memory, will retry)", id,
                    err);
            return false;
        }
        log_msg(LOG_ERROR, "the sign-up file's queue is full: %s", err);
    }
    keep_in_memory(values, n);
    log_msg(LOG_ERROR, "sign-up %s kept in memory until the sign-up file can take it", id);
    return false;
}

static void retry_stores(Shell *sh, uint64_t now)
{
    if (now < sh->next_store_retry)
        return;
    sh->next_store_retry = now + SHELL_STORE_RETRY_MS;
    if (shell_pending && !sh->store)
        open_store(sh);
    char err[512];
    while (shell_pending && sh->store) {
        PendingRow *row = shell_pending;
        if (store_append(sh->store, (const char *const *)row->values, row->n, err, sizeof err) < 0)
            break; /* the store's own queue is full: keep it here */
        shell_pending = row->next;
        log_msg(LOG_INFO, "sign-up %s stored after a retry", row->values[0]);
        free_row(row);
    }
    if (sh->store && store_pending(sh->store)) {
        size_t left = store_flush(sh->store, err, sizeof err);
        if (left)
            log_msg(LOG_ERROR, "%zu sign-up(s) still waiting to be written: %s", left, err);
        else
            log_msg(LOG_INFO, "waiting sign-ups are now stored");
    }
}

static bool anything_pending(const Shell *sh)
{
    return shell_pending || (sh->store && store_pending(sh->store));
}

static void save_signup(Shell *sh, uint64_t now)
{
    char id[17], stamp[64];
    SignupRow row;
    store_make_id(id);
    store_format_time(time(NULL), stamp, sizeof stamp);
    app_signup_row(&sh->app, id, stamp, sh->opts->kiosk_id, &row);
    bool saved = store_row(sh, row.value, row.count, id);
    util_wipe(&row, sizeof row);
    app_stored(&sh->app, saved, now);
}

/* ---- display ---------------------------------------------------------- */

/* Says which of the usual installation problems stopped SDL from opening
 * the screen, and how to fix it, so the service log tells the installer. */
static void display_diagnosis(const char *sdl_error, char *out, size_t cap)
{
    const char *driver = SDL_getenv("SDL_VIDEODRIVER");
    bool kms = driver && strcmp(driver, "kmsdrm") == 0;
    if (!kms && !SDL_getenv("DISPLAY") && !SDL_getenv("WAYLAND_DISPLAY")) {
        snprintf(out, cap,
                 "No desktop session found (DISPLAY and WAYLAND_DISPLAY are unset). "
                 "On Raspberry Pi OS Lite run with SDL_VIDEODRIVER=kmsdrm (the "
                 "kiosk.service does); from SSH, preview with --screenshot DIR.");
        return;
    }
    if (kms) {
        bool any = access("/dev/dri/card0", F_OK) == 0 || access("/dev/dri/card1", F_OK) == 0;
        if (!any) {
            snprintf(out, cap,
                     "No /dev/dri/card* device: the KMS display driver is not "
                     "loaded. On a Raspberry Pi, keep dtoverlay=vc4-kms-v3d in "
                     "/boot/firmware/config.txt and reboot.");
            return;
        }
        if (access("/dev/dri/card0", R_OK | W_OK) != 0 &&
            access("/dev/dri/card1", R_OK | W_OK) != 0) {
            snprintf(out, cap,
                     "No permission on /dev/dri/card*: add the user to the 'video' "
                     "and 'render' groups (sudo usermod -aG video,render USER) and "
                     "log in again.");
            return;
        }
        if (access("/dev/input/event0", R_OK) != 0) {
            snprintf(out, cap,
                     "Cannot read /dev/input/event*: touches will not work; add the "
                     "user to the 'input' group (sudo usermod -aG input USER).");
            return;
        }
        snprintf(out, cap,
                 "The screen may be held by a desktop session (%s). Stop it (sudo "
                 "systemctl disable --now lightdm) or use the desktop autostart "
                 "instead of kiosk.service.",
                 sdl_error);
        return;
    }
    snprintf(out, cap,
             "Check that the desktop session is running and that this user may use "
             "it.");
}

/* The app sees the screen as the client does: turned by the rotation
 * setting. A panel of pw x ph shows a UI of ph x pw at 90 or 270. */
static int set_panel_size(Shell *sh, int pw, int ph)
{
    int w = pw, h = ph;
    if (sh->rotation == 90 || sh->rotation == 270) {
        w = ph;
        h = pw;
    }
    sh->input.w = w;
    sh->input.h = h;
    sh->input.rotation = sh->rotation;
    if (sh->rotation) {
        if (sh->ui)
            SDL_DestroyTexture(sh->ui);
        sh->ui = SDL_CreateTexture(sh->ren, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_TARGET, w, h);
        if (!sh->ui) {
            fprintf(stderr, "kiosk: cannot create the rotated screen: %s\n", SDL_GetError());
            return -1;
        }
    }
    return 0;
}

/* Draws the app's screen, through the rotation when the panel is mounted
 * turned (KMS ignores the desktop's rotation, so the kiosk turns itself). */
static void present(Shell *sh, uint64_t now)
{
    if (!sh->ui) {
        render_frame(sh->render, &sh->app, now);
        SDL_RenderPresent(sh->ren);
        return;
    }
    SDL_SetRenderTarget(sh->ren, sh->ui);
    render_frame(sh->render, &sh->app, now);
    SDL_SetRenderTarget(sh->ren, NULL);
    SDL_SetRenderDrawColor(sh->ren, 0, 0, 0, 255);
    SDL_RenderClear(sh->ren);
    int pw, ph;
    SDL_GetRendererOutputSize(sh->ren, &pw, &ph);
    SDL_Rect dst = {(pw - sh->input.w) / 2, (ph - sh->input.h) / 2, sh->input.w, sh->input.h};
    SDL_RenderCopyEx(sh->ren, sh->ui, NULL, &dst, sh->rotation, NULL, SDL_FLIP_NONE);
    SDL_RenderPresent(sh->ren);
}

static int open_display(Shell *sh, bool headless)
{
    const ShellOptions *o = sh->opts;
    bool software = headless || strcmp(o->renderer, "software") == 0;
    /* SDL's default opens a hidden OpenGL context for the software
     * renderer's window framebuffer: ~100 MiB, 0.25 s at start and ~20 ms
     * per present here. Blit straight to the window instead. */
    if (software)
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    if (o->display > 0 && !SDL_getenv("SDL_KMSDRM_DEVICE_INDEX")) {
        /* On KMS the display is a /dev/dri/cardN device (a Pi 5 with a DSI
         * panel has several); elsewhere it is SDL's display index. */
        char index[16];
        SDL_snprintf(index, sizeof index, "%d", o->display);
        SDL_setenv("SDL_KMSDRM_DEVICE_INDEX", index, 1);
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        char why[600];
        display_diagnosis(SDL_GetError(), why, sizeof why);
        fprintf(stderr, "kiosk: cannot open the display: %s\n%s\n", SDL_GetError(), why);
        return -1;
    }
    int w = o->width, h = o->height;
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    if (headless) {
        if (!w) {
            w = SHELL_SCREENSHOT_W;
            h = SHELL_SCREENSHOT_H;
        }
        flags |= SDL_WINDOW_HIDDEN;
    } else if (o->windowed) {
        if (!w) {
            w = 1280;
            h = 800;
        }
        flags |= SDL_WINDOW_RESIZABLE;
    } else {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
        if (!w) {
            w = 1280;
            h = 800;
        }
    }
    const char *title = sh->deck->title ? sh->deck->title : "kiosk";
    int pos = (int)SDL_WINDOWPOS_CENTERED_DISPLAY(o->display);
    sh->win = SDL_CreateWindow(title, pos, pos, w, h, flags);
    if (!sh->win) {
        char why[600];
        display_diagnosis(SDL_GetError(), why, sizeof why);
        fprintf(stderr, "kiosk: cannot open a window: %s\n%s\n", SDL_GetError(), why);
        return -1;
    }
    int index = -1;
    if (!software && strcmp(o->renderer, "auto") != 0) {
        for (int i = 0; i < SDL_GetNumRenderDrivers(); i++) {
            SDL_RendererInfo info;
            if (SDL_GetRenderDriverInfo(i, &info) == 0 && strcmp(info.name, o->renderer) == 0)
                index = i;
        }
        if (index < 0)
            log_msg(LOG_WARN, "renderer '%s' is not available; using the default", o->renderer);
    }
    sh->ren = SDL_CreateRenderer(sh->win, index,
                                 software ? SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE
                                          : SDL_RENDERER_TARGETTEXTURE);
    if (!sh->ren && !software)
        sh->ren = SDL_CreateRenderer(sh->win, -1, SDL_RENDERER_SOFTWARE);
    if (!sh->ren) {
        fprintf(stderr, "kiosk: cannot create a renderer: %s\n", SDL_GetError());
        return -1;
    }
    if (!headless && !o->windowed)
        SDL_ShowCursor(SDL_DISABLE);
    SDL_DisableScreenSaver();
    SDL_RendererInfo info;
    SDL_GetRendererInfo(sh->ren, &info);
    SDL_GetRendererOutputSize(sh->ren, &w, &h);
    SDL_DisplayMode mode;
    if (SDL_GetCurrentDisplayMode(SDL_GetWindowDisplayIndex(sh->win), &mode) != 0)
        mode.refresh_rate = 0;
    log_msg(LOG_INFO,
            "video driver %s, renderer %s, output %dx%d, display %d at %d Hz, "
            "rotation %d",
            SDL_GetCurrentVideoDriver(), info.name, w, h, SDL_GetWindowDisplayIndex(sh->win),
            mode.refresh_rate, sh->rotation);
    return set_panel_size(sh, w, h);
}

static int start(Shell *sh, bool headless)
{
    if (open_display(sh, headless) != 0)
        return -1;
    if (TTF_Init() != 0) {
        fprintf(stderr, "kiosk: cannot start the font engine: %s\n", TTF_GetError());
        return -1;
    }
    IMG_Init(IMG_INIT_PNG | IMG_INIT_JPG);
    if (open_fonts(sh) != 0)
        return -1;
    char err[256];
    sh->render = render_create(sh->ren, sh->fonts, err, sizeof err);
    if (!sh->render) {
        fprintf(stderr, "kiosk: %s\n", err);
        return -1;
    }
    render_set_deck(sh->render, sh->deck);
    return 0;
}

static void flush_stats(Shell *sh, bool force);

static void stop(Shell *sh)
{
    watch_stop(sh->watch);
    sh->watch = NULL;
    if (!sh->opts->screenshot_dir)
        flush_stats(sh, true);
    deck_free(sh->pending);
    sh->pending = NULL;
    render_destroy(sh->render);
    text_close(sh->fonts);
    if (sh->ui)
        SDL_DestroyTexture(sh->ui);
    if (sh->ren)
        SDL_DestroyRenderer(sh->ren);
    if (sh->win)
        SDL_DestroyWindow(sh->win);
    while (shell_pending) {
        PendingRow *row = shell_pending;
        shell_pending = row->next;
        log_msg(LOG_ERROR, "sign-up %s could not be written before exit", row->values[0]);
        free_row(row);
    }
    if (sh->store && store_pending(sh->store)) {
        char err[256];
        store_flush(sh->store, err, sizeof err);
        if (store_pending(sh->store))
            log_msg(LOG_ERROR, "%zu sign-up(s) could not be written before exit: %s",
                    store_pending(sh->store), err);
    }
    store_close(sh->store);
    free_columns(sh);
    IMG_Quit();
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
    deck_free(sh->deck);
}

/* ---- screenshots ------------------------------------------------------ */

static int save_png(Shell *sh, const char *dir, int n, const char *name)
{
    int w, h;
    SDL_GetRendererOutputSize(sh->ren, &w, &h);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
    if (!s)
        return -1;
    int rc = SDL_RenderReadPixels(sh->ren, NULL, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch);
    char path[4096];
    snprintf(path, sizeof path, "%s/%02d-%s.png", dir, n, name);
    if (rc == 0)
        rc = IMG_SavePNG(s, path);
    SDL_FreeSurface(s);
    if (rc != 0) {
        fprintf(stderr, "kiosk: cannot write %s: %s\n", path, SDL_GetError());
        return -1;
    }
    return 0;
}

static int shot(Shell *sh, const char *dir, int *n, const char *name)
{
    render_frame(sh->render, &sh->app, 0);
    SDL_RenderPresent(sh->ren);
    return save_png(sh, dir, ++*n, name);
}

/* A made-up client, for the pictures only. */
static void fill_example(Form *f, const Deck *d)
{
    static const char *const examples[] = {"Zoë Müller", "+44 20 7946 0958",
                                           "zoe.muller@example.com"};
    int text = 0;
    for (size_t i = 0; i < d->field_count && (int)i < f->count; i++) {
        if (f->spec[i].kind == FORM_CHOICE) {
            form_choose(f, (int)i, 0);
            continue;
        }
        form_focus(f, (int)i);
        form_insert_text(f, examples[text < 3 ? text : 2]);
        text++;
    }
    form_focus(f, -1);
}

static void fill_staff_info(Shell *sh);

static int screenshots(Shell *sh)
{
    const char *dir = sh->opts->screenshot_dir;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "kiosk: cannot create %s: %s\n", dir, strerror(errno));
        return 3;
    }
    App *app = &sh->app;
    int n = 0;
    for (size_t i = 0; i < sh->deck->slide_count; i++) {
        app->slide = app->from_slide = (int)i;
        app->trans_dir = 0;
        if (shot(sh, dir, &n, sh->deck->slides[i].name) != 0)
            return 3;
    }
    app->screen = SCREEN_FORM;
    form_clear(&app->form);
    int rc = shot(sh, dir, &n, "form-empty");
    /* Typing into the first field: the keyboard is up. */
    Input in = {.type = IN_TEXT};
    form_focus(&app->form, 0);
    app->kb_visible = true;
    FormLayout fl;
    app_form_layout(app, &fl);
    keyboard_layout(&app->kb, form_keyboard_mode(&app->form), app->form.page, fl.keyboard.x,
                    fl.keyboard.y, fl.keyboard.w, fl.keyboard.h);
    snprintf(in.text, sizeof in.text, "Zoë");
    form_insert_text(&app->form, in.text);
    rc |= shot(sh, dir, &n, "form-typing");
    form_clear(&app->form);
    app->kb_visible = false;
    form_attempt_submit(&app->form);
    rc |= shot(sh, dir, &n, "form-errors");
    form_clear(&app->form);
    fill_example(&app->form, sh->deck);
    form_toggle(&app->form, app->consent_field);
    rc |= shot(sh, dir, &n, "form-filled");
    form_clear(&app->form);
    app->screen = SCREEN_THANKS;
    app->store_failed = false;
    rc |= shot(sh, dir, &n, "thanks");
    app->store_failed = true;
    rc |= shot(sh, dir, &n, "thanks-saved-later");
    /* Staff screens, for the docs: the PIN pad and the staff screen. */
    app->screen = SCREEN_SLIDES;
    Input down = {.type = IN_DOWN, .x = 1, .y = 1};
    app_update(app, &down, 0);
    Input tick = {.type = IN_TICK};
    app_update(app, &tick, APP_STAFF_HOLD_MS);
    snprintf(app->pin, sizeof app->pin, "12");
    rc |= shot(sh, dir, &n, "staff-pin");
    app_pin_result(app, true, APP_STAFF_HOLD_MS);
    app->effects = 0;
    fill_staff_info(sh);
    app_staff_message(app, "Saved to the USB stick as signups-kiosk-20261202-103900.csv");
    rc |= shot(sh, dir, &n, "staff");
    if (rc)
        return 3;
    printf("%d screens written to %s\n", n, dir);
    return 0;
}

/* ---- the loop --------------------------------------------------------- */

/* ---- settings applied to a deck, live reload ------------------------- */

/* Timeouts belong to the screen (settings) more than to the deck: where
 * the settings give one, it wins. */
static void apply_settings(const Shell *sh, Deck *d)
{
    const Settings *st = sh->opts->settings;
    if (!st)
        return;
    if (st->inactivity_ms > 0)
        d->timing.inactivity_ms = st->inactivity_ms;
    if (st->form_inactivity_ms > 0)
        d->timing.form_inactivity_ms = st->form_inactivity_ms;
    if (st->thanks_ms > 0)
        d->timing.thanks_ms = st->thanks_ms;
}

static void watch_deck_files(Shell *sh, const Deck *d)
{
    if (!sh->watch)
        return;
    watch_clear(sh->watch);
    watch_add(sh->watch, sh->opts->deck_path);
    if (d->theme.font)
        watch_add(sh->watch, d->theme.font);
    if (d->theme.bold_font)
        watch_add(sh->watch, d->theme.bold_font);
    for (size_t i = 0; i < d->slide_count; i++)
        if (d->slides[i].image)
            watch_add(sh->watch, d->slides[i].image);
}

static void stamp(char *out, size_t cap, time_t t)
{
    struct tm tm;
    if (localtime_r(&t, &tm))
        strftime(out, cap, "%H:%M", &tm);
    else
        snprintf(out, cap, "?");
}

static void reload_now(Shell *sh)
{
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions lo = {.data_dir = sh->opts->data_dir};
    Deck *d = deck_load(sh->opts->deck_path, &lo, &diags);
    char when[16];
    stamp(when, sizeof when, time(NULL));
    char buf[1024];
    for (size_t i = 0; i < diags.count; i++) {
        diag_format(&diags.items[i], buf, sizeof buf);
        log_msg(diags.items[i].level == DIAG_ERROR ? LOG_ERROR : LOG_WARN, "%s", buf);
    }
    if (!d) {
        /* Keep the last good deck on screen; say why on the staff screen. */
        const char *why = "unknown error";
        for (size_t i = 0; i < diags.count; i++)
            if (diags.items[i].level == DIAG_ERROR) {
                diag_format(&diags.items[i], buf, sizeof buf);
                why = buf;
                break;
            }
        snprintf(sh->reload_status, sizeof sh->reload_status, "failed at %s: %s", when, why);
        log_msg(LOG_ERROR, "deck reload failed; still showing the previous deck");
    } else {
        apply_settings(sh, d);
        deck_free(sh->pending);
        sh->pending = d;
        snprintf(sh->reload_status, sizeof sh->reload_status, "ok at %s (%zu slides)", when,
                 d->slide_count);
        log_msg(LOG_INFO, "deck reloaded: %s (%zu slides); shown from the next slide", d->path,
                d->slide_count);
    }
    diag_clear(&diags);
}

/* A good new deck replaces the old one at a slide boundary, never in the
 * middle of a client's sign-up or on the staff screen. */
static void maybe_swap_deck(Shell *sh)
{
    bool boundary = sh->app.slide_since != sh->boundary_seen;
    sh->boundary_seen = sh->app.slide_since;
    /* Sign-ups still waiting to be written keep the old deck (and its
     * columns) until they are on disk: rows of another form's shape would
     * never fit the file. */
    if (!sh->pending || sh->app.screen != SCREEN_SLIDES || !boundary || anything_pending(sh))
        return;
    Deck *old = sh->deck;
    sh->deck = sh->pending;
    sh->pending = NULL;
    render_set_deck(sh->render, sh->deck);
    app_set_deck(&sh->app, sh->deck, sh->now);
    sh->deck_loaded_at = time(NULL);
    watch_deck_files(sh, sh->deck);
    /* The form's columns follow the deck's fields: reopen the store so a
     * changed form starts a new file instead of misaligning columns. */
    free_columns(sh);
    if (build_columns(sh) == 0) {
        store_close(sh->store);
        sh->store = NULL;
        open_store(sh);
    }
    deck_free(old);
    sh->boundary_seen = sh->app.slide_since;
}

/* ---- staff -------------------------------------------------------------- */

/* Rows of today in the sign-up file, by their timestamp column. */
static size_t count_today(const char *path)
{
    char today[11];
    stats_date(time(NULL), today);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        /* id,timestamp,...: the id is 16 hex digits, so the date starts at
         * a known column for rows the kiosk wrote. */
        if (strlen(line) > 28 && line[16] == ',' && strncmp(line + 17, today, 10) == 0)
            n++;
    }
    fclose(f);
    return n;
}

static void fill_staff_info(Shell *sh)
{
    StaffInfo *si = &sh->app.staff;
    char when[16];
    stamp(when, sizeof when, sh->deck_loaded_at);
    snprintf(si->deck, sizeof si->deck, "Deck: %s, %zu slides, loaded at %s", sh->deck->name,
             sh->deck->slide_count, when);
    snprintf(si->reload, sizeof si->reload, "Last reload: %s",
             sh->reload_status[0] ? sh->reload_status : "none since start");
    size_t waiting = sh->store ? store_pending(sh->store) : 0;
    for (PendingRow *r = shell_pending; r; r = r->next)
        waiting++;
    snprintf(si->signups, sizeof si->signups, "Sign-ups: %zu today, %zu in total%s",
             count_today(sh->opts->signups_path), sh->store ? store_row_count(sh->store) : 0,
             waiting ? ", some waiting to be written" : "");
    /* The file may not exist yet: ask its nearest existing folder. */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", sh->opts->signups_path);
    long long free_bytes = export_free_bytes(dir);
    for (char *slash; free_bytes < 0 && (slash = strrchr(dir, '/')) && slash != dir;) {
        *slash = '\0';
        free_bytes = export_free_bytes(dir);
    }
    snprintf(si->disk, sizeof si->disk, "Free disk space: %lld MB", free_bytes / 1000000);
    snprintf(si->version, sizeof si->version, "kiosk %s, screen '%s'", KIOSK_VERSION,
             sh->opts->kiosk_id);
    sh->app.dirty = true;
}

static void export_signups(Shell *sh)
{
    char err[512], drive[4096], dest[4096], msg[600];
    char errbuf[256];
    if (sh->store)
        store_flush(sh->store, errbuf, sizeof errbuf);
    const Settings *st = sh->opts->settings;
    const char *roots[] = {st && st->export_dir ? st->export_dir : "/media", "/media", "/run/media",
                           "/mnt"};
    const char *usb = SDL_getenv("KIOSK_USB_ROOT"); /* tests: a folder standing in */
    if (usb && *usb)
        snprintf(drive, sizeof drive, "%s", usb);
    if (!(usb && *usb) && export_find_drive("/proc/mounts", "/sys", roots, 4, drive, sizeof drive,
                                            err, sizeof err) != 0) {
        app_staff_message(&sh->app, err);
        log_msg(LOG_WARN, "export: %s", err);
        return;
    }
    if (export_copy(sh->opts->signups_path, drive, sh->opts->kiosk_id, time(NULL), dest,
                    sizeof dest, err, sizeof err) != 0) {
        app_staff_message(&sh->app, err);
        log_msg(LOG_ERROR, "export failed: %s", err);
        return;
    }
    const char *base = strrchr(dest, '/');
    snprintf(msg, sizeof msg, "Saved to the USB stick as %s", base ? base + 1 : dest);
    app_staff_message(&sh->app, msg);
    log_msg(LOG_INFO, "export done: %s", dest);
    fill_staff_info(sh);
}

static void check_pin(Shell *sh)
{
    const Settings *st = sh->opts->settings;
    const char *hash = st ? st->staff_pin : NULL;
    bool ok = hash && pin_verify(sh->app.pin, hash);
    if (!hash)
        log_msg(LOG_WARN, "staff screen refused: no staff PIN is set (run kiosk --set-pin)");
    app_pin_result(&sh->app, ok, sh->now);
    if (ok)
        log_msg(LOG_INFO, "staff screen opened");
    else
        log_msg(LOG_WARN, "wrong staff PIN entered");
}

static void flush_stats(Shell *sh, bool force)
{
    const App *a = &sh->app;
    StatsCounts d = {a->slides_viewed - sh->stats_slides, a->forms_opened - sh->stats_opened,
                     a->forms_completed - sh->stats_completed,
                     a->forms_abandoned - sh->stats_abandoned};
    if (!d.slides_viewed && !d.forms_opened && !d.forms_completed && !d.forms_abandoned)
        return;
    if (!force && sh->now < sh->stats_due)
        return;
    sh->stats_due = sh->now + SHELL_STATS_EVERY_MS;
    if (!sh->opts->stats_path)
        return;
    char date[11], err[256];
    stats_date(time(NULL), date);
    if (stats_add(sh->opts->stats_path, date, &d, err, sizeof err) != 0) {
        log_msg(LOG_WARN, "usage counts not written: %s", err);
        return;
    }
    sh->stats_slides = a->slides_viewed;
    sh->stats_opened = a->forms_opened;
    sh->stats_completed = a->forms_completed;
    sh->stats_abandoned = a->forms_abandoned;
}

/* Minutes to the next whole minute, for the opening-hours check. */
static int sleep_check(Shell *sh)
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

static void handle_event(Shell *sh, const SDL_Event *ev, uint64_t now, bool *quit)
{
    if (sh->watch && ev->type == sh->watch_event) {
        if (ev->user.code == WATCH_FILE_CHANGED) {
            sh->reload_due = now + SHELL_RELOAD_DEBOUNCE_MS;
        } else if (ev->user.code == WATCH_SIGNAL) {
            int sig = (int)(intptr_t)ev->user.data1;
            if (sig == SIGHUP) {
                log_msg(LOG_INFO, "SIGHUP: reloading the deck");
                sh->reload_due = now;
            } else {
                log_msg(LOG_INFO, "stopping on signal %d", sig);
                *quit = true;
            }
        }
        return;
    }
    if (ev->type == SDL_QUIT) {
        /* In fullscreen only staff (or the service manager) may stop the
         * kiosk; a window manager's close is for the windowed preview. */
        if (sh->opts->windowed)
            *quit = true;
        return;
    }
    if (ev->type == SDL_WINDOWEVENT && (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
                                        ev->window.event == SDL_WINDOWEVENT_EXPOSED)) {
        int w, h;
        SDL_GetRendererOutputSize(sh->ren, &w, &h);
        set_panel_size(sh, w, h);
        Input in = {.type = IN_RESIZE, .x = sh->input.w, .y = sh->input.h};
        app_update(&sh->app, &in, now);
        sh->app.dirty = true;
        return;
    }
    Input in;
    if (input_translate(&sh->input, ev, &in))
        app_update(&sh->app, &in, now);
}

static int sooner(int a, int b)
{
    return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

bool shell_step(Shell *sh, int max_wait_ms)
{
    uint64_t now = sh->now;
    int timeout = app_next_timeout(&sh->app, now);
    if (anything_pending(sh))
        timeout = sooner(timeout,
                         (int)(sh->next_store_retry > now ? sh->next_store_retry - now : 0));
    if (sh->reload_due)
        timeout = sooner(timeout, (int)(sh->reload_due > now ? sh->reload_due - now : 0));
    timeout = sooner(timeout, sleep_check(sh));
    /* Sleep until an event or the next timer: no polling, so a standing
     * slide costs no CPU. Signals interrupt the wait at the latest after
     * max_wait_ms. */
    if (timeout < 0 || timeout > max_wait_ms)
        timeout = max_wait_ms;
    SDL_Event ev;
    int got = SDL_WaitEventTimeout(&ev, timeout);
    now = sh->now = SDL_GetTicks64();
    if (got) {
        handle_event(sh, &ev, now, &sh->quit);
        while (SDL_PollEvent(&ev))
            handle_event(sh, &ev, now, &sh->quit);
    }
    Input tick = {.type = IN_TICK};
    app_update(&sh->app, &tick, now);
    if (sh->app.effects & EFFECT_STORE) {
        sh->app.effects &= ~(unsigned)EFFECT_STORE;
        save_signup(sh, now);
    }
    if (sh->app.effects & EFFECT_CHECK_PIN) {
        sh->app.effects &= ~(unsigned)EFFECT_CHECK_PIN;
        check_pin(sh);
    }
    if (sh->app.effects & EFFECT_STAFF_INFO) {
        sh->app.effects &= ~(unsigned)EFFECT_STAFF_INFO;
        fill_staff_info(sh);
    }
    if (sh->app.effects & EFFECT_EXPORT) {
        sh->app.effects &= ~(unsigned)EFFECT_EXPORT;
        export_signups(sh);
    }
    if (sh->app.effects & EFFECT_QUIT) {
        log_msg(LOG_INFO, "staff chose to exit the kiosk");
        sh->quit = true;
    }
    if (anything_pending(sh))
        retry_stores(sh, now);
    if (sh->reload_due && now >= sh->reload_due) {
        sh->reload_due = 0;
        reload_now(sh);
    }
    maybe_swap_deck(sh);
    flush_stats(sh, false);
    if (sh->app.dirty || app_transition(&sh->app, now) < 1.0) {
        present(sh, now);
        sh->app.dirty = false;
        if (!sh->frames++ && sh->exit_after_first_frame) {
            /* For the benchmark: process start to first frame presented. */
            log_msg(LOG_INFO, "first frame presented");
            sh->quit = true;
        }
    }
    /* With the picture up and no transition running, use the quiet time
     * to get the next slide ready, so the coming transition starts at once
     * instead of stalling on its first frame. */
    if (!sh->quit && app_transition(&sh->app, now) >= 1.0)
        render_prepare(sh->render, &sh->app);
    if (shell_stop_signal) {
        log_msg(LOG_INFO, "stopping on signal %d", (int)shell_stop_signal);
        sh->quit = true;
    }
    return !sh->quit;
}

const char *shell_reload_status(const Shell *sh)
{
    return sh->reload_status;
}

const App *shell_app(const Shell *sh)
{
    return &sh->app;
}

SDL_Surface *shell_read_panel(Shell *sh)
{
    int w, h;
    SDL_GetRendererOutputSize(sh->ren, &w, &h);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (s &&
        SDL_RenderReadPixels(sh->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0) {
        SDL_FreeSurface(s);
        s = NULL;
    }
    return s;
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
    apply_settings(sh, deck);
    if (!opts->screenshot_dir)
        watch_block_signals(); /* before SDL starts threads: signals go to the watcher */
    /* Screenshots show the UI as designed, unturned. */
    sh->rotation = opts->screenshot_dir ? 0 : opts->rotation;
    const char *first = SDL_getenv("KIOSK_EXIT_AFTER_FIRST_FRAME");
    sh->exit_after_first_frame = first && strcmp(first, "1") == 0;
    bool headless = opts->screenshot_dir != NULL;
    if (build_columns(sh) != 0) {
        fprintf(stderr, "kiosk: out of memory\n");
        goto fail;
    }
    if (start(sh, headless) != 0)
        goto fail;
    sh->now = SDL_GetTicks64();
    app_init(&sh->app, deck, sh->input.w, sh->input.h, headless ? 0 : sh->now);
    sh->boundary_seen = sh->app.slide_since;
    sh->deck_loaded_at = time(NULL);
    if (!headless) {
        log_msg(LOG_INFO, "kiosk %s started: deck %s (%zu slides)", KIOSK_VERSION, deck->path,
                deck->slide_count);
        open_store(sh);
        char err[256];
        sh->watch_event = SDL_RegisterEvents(1);
        sh->watch = sh->watch_event != (Uint32)-1 ? watch_start(sh->watch_event, err, sizeof err)
                                                  : NULL;
        if (sh->watch) {
            watch_deck_files(sh, deck);
        } else {
            /* No live reload; signals end the kiosk through a flag. */
            log_msg(LOG_WARN, "live reload is off: %s", err);
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGTERM);
            sigaddset(&set, SIGINT);
            sigaddset(&set, SIGHUP);
            pthread_sigmask(SIG_UNBLOCK, &set, NULL);
            signal(SIGTERM, on_stop_signal);
            signal(SIGINT, on_stop_signal);
        }
        SDL_StartTextInput();
    }
    return sh;
fail:
    shell_close(sh);
    return NULL;
}

void shell_close(Shell *sh)
{
    if (!sh)
        return;
    stop(sh);
    free(sh);
}

int shell_run(const ShellOptions *opts, Deck *deck)
{
    if (opts->screenshot_dir) {
        /* Screenshots need no display: SDL draws into memory. */
        SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
    }
    Shell *sh = shell_open(opts, deck);
    if (!sh)
        return 3;
    int status = 0;
    if (opts->screenshot_dir)
        status = screenshots(sh);
    else
        /* Waits are bounded only so a lost wake-up cannot hang the kiosk;
         * files and signals wake it through the watcher. */
        while (shell_step(sh, sh->watch ? 60000 : 1000)) {
        }
    shell_close(sh);
    return status;
}
