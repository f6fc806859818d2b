/* staff: see staff.h. */
#include "staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"
#include "kiosk_version.h"
#include "log.h"
#include "pin.h"
#include "pinstate.h"
#include "shellstate.h"
#include "stats.h"
#include "util.h"

/* The sign-up file's timestamp column (app_signup_columns: id, timestamp, ...). */
#define STAFF_TIMESTAMP_COLUMN 1

/* Keeps the back-off g in the file beside the sign-ups (pinstate.h). */
static void keep_pin_state(const Shell *sh, const char *hash, const PinGuard *g)
{
    char path[4096], err[600];
    if (pin_state_path(sh->opts->signups_path, path, sizeof path) != 0)
        util_format(err, sizeof err, "the sign-ups path is too long");
    else if (pin_state_keep(path, hash, g, sh->now, (int64_t)time(NULL), err, sizeof err) == 0)
        return;
    /* The check goes on: the back-off in memory still holds until the next
     * restart, and refusing every PIN on a full or failing disk would lock
     * staff out when they most need the staff screen. */
    log_msg(LOG_ERROR, "the wrong-PIN count is not kept across restarts: %s", err);
}

void staff_check_pin(Shell *sh)
{
    const Settings *st = sh->opts->settings;
    const char *hash = st ? st->staff_pin : NULL;
    size_t digits = strlen(sh->app.pin);
    /* The attempt is on disk as a wrong one before the PIN is checked, so
     * pulling the plug during or right after the check cannot take it
     * back; a right PIN clears it after. */
    PinGuard wrong = sh->app.pin_guard;
    pin_guard_result(&wrong, false, sh->now);
    keep_pin_state(sh, hash, &wrong);
    bool ok = hash && pin_verify(sh->app.pin, hash);
    if (!hash)
        log_msg(LOG_WARN, "staff screen refused: no staff PIN is set (run kiosk --set-pin)");
    app_pin_result(&sh->app, ok, sh->now);
    if (!ok) {
        log_msg(LOG_WARN, "wrong staff PIN entered (%d since the last right one)",
                sh->app.pin_guard.failures);
        return;
    }
    keep_pin_state(sh, hash, &sh->app.pin_guard);
    log_msg(LOG_INFO, "staff screen opened");
    if (digits < PIN_MIN_DIGITS) {
        /* Set before new PINs needed more digits: it still works. */
        log_msg(LOG_WARN,
                "the staff PIN has fewer than %d digits: set a longer one with sudo "
                "kiosk --set-pin",
                PIN_MIN_DIGITS);
        char msg[160];
        snprintf(msg, sizeof msg,
                 "This PIN is short and easy to guess: set one of %d to %d digits with sudo "
                 "kiosk --set-pin",
                 PIN_MIN_DIGITS, PIN_MAX_DIGITS);
        app_staff_message(&sh->app, msg);
    }
}

/* Free space where the sign-ups go; the file may not exist yet, so ask its
 * nearest existing folder. */
static long long free_bytes_near(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    long long free_bytes = export_free_bytes(dir);
    for (char *slash; free_bytes < 0 && (slash = strrchr(dir, '/')) && slash != dir;) {
        *slash = '\0';
        free_bytes = export_free_bytes(dir);
    }
    return free_bytes;
}

/* Bytes as a person reads them: "77.9 GB", "512 MB" (powers of 1000, as
 * disk makers and file managers count). */
static void human_bytes(long long bytes, char *out, size_t cap)
{
    static const char *const units[] = {"bytes", "kB", "MB", "GB", "TB"};
    if (bytes < 0) {
        snprintf(out, cap, "unknown");
        return;
    }
    double v = (double)bytes;
    int u = 0;
    while (v >= 1000 && u < 4) {
        v /= 1000;
        u++;
    }
    snprintf(out, cap, u == 0 || v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
}

void staff_fill_info(Shell *sh)
{
    StaffInfo *si = &sh->app.staff;
    reload_describe(&sh->reload, sh->deck, si->deck, sizeof si->deck, si->reload,
                    sizeof si->reload);
    char today[11], err[256];
    size_t today_rows = 0;
    stats_date(time(NULL), today);
    if (store_count_rows(sh->store, STAFF_TIMESTAMP_COLUMN, today, &today_rows, err, sizeof err) !=
        0)
        log_msg(LOG_WARN, "today's sign-ups not counted: %s", err);
    snprintf(si->signups, sizeof si->signups, "Sign-ups: %zu today, %zu in total%s", today_rows,
             store_row_count(sh->store),
             store_pending(sh->store) ? ", some waiting to be written" : "");
    char free_text[32];
    human_bytes(free_bytes_near(sh->opts->signups_path), free_text, sizeof free_text);
    snprintf(si->disk, sizeof si->disk, "Free disk space: %s", free_text);
    delivery_describe(sh->delivery, si->delivery, sizeof si->delivery);
    snprintf(si->version, sizeof si->version, "kiosk %s, screen '%s'", KIOSK_VERSION,
             sh->opts->kiosk_id);
    sh->app.dirty = true;
}

struct ExportJob {
    /* Copied in, so the thread shares nothing with the loop. */
    char signups[4096], kiosk_id[256], export_dir[4096];
    Uint32 done_event;
    /* Written by the thread, read by the loop once the event arrived. */
    bool ok;
    char message[600], dest[4096];
};

/* The stick to write to: KIOSK_USB_ROOT (a folder standing in for it, for
 * tests), else the first removable drive mounted under the usual places. */
static int find_stick(const ExportJob *job, char *drive, size_t cap, char *err, size_t errlen)
{
    const char *usb = SDL_getenv("KIOSK_USB_ROOT");
    if (usb && *usb) {
        snprintf(drive, cap, "%s", usb);
        return 0;
    }
    const char *roots[] = {job->export_dir[0] ? job->export_dir : "/media", "/media", "/run/media",
                           "/mnt"};
    return export_find_drive("/proc/mounts", "/sys", roots, 4, drive, cap, err, errlen);
}

static void run_export(ExportJob *job)
{
    char drive[4096];
    job->ok = find_stick(job, drive, sizeof drive, job->message, sizeof job->message) == 0 &&
              export_copy(job->signups, drive, job->kiosk_id, time(NULL), job->dest,
                          sizeof job->dest, job->message, sizeof job->message) == 0;
}

/* The thread: the copy, then an event that wakes the loop to show the result. */
static int export_thread(void *data)
{
    ExportJob *job = data;
    run_export(job);
    SDL_Event ev = {.type = job->done_event};
    SDL_PushEvent(&ev);
    return 0;
}

void staff_export(Shell *sh)
{
    StaffExport *x = &sh->export_job;
    char err[512];
    if (x->thread) {
        app_staff_message(&sh->app, "Still saving to the USB stick...");
        return;
    }
    if (store_pending(sh->store))
        store_flush(sh->store, err, sizeof err);
    ExportJob *job = calloc(1, sizeof *job);
    if (!job) {
        app_staff_message(&sh->app, "Out of memory: nothing was saved");
        return;
    }
    const Settings *st = sh->opts->settings;
    snprintf(job->signups, sizeof job->signups, "%s", sh->opts->signups_path);
    snprintf(job->kiosk_id, sizeof job->kiosk_id, "%s", sh->opts->kiosk_id);
    snprintf(job->export_dir, sizeof job->export_dir, "%s",
             st && st->export_dir ? st->export_dir : "");
    if (!x->event)
        x->event = SDL_RegisterEvents(1);
    job->done_event = x->event;
    x->job = job;
    x->thread = SDL_CreateThread(export_thread, "export", job);
    if (!x->thread) {
        /* No thread to be had: do it here rather than not at all. */
        run_export(job);
        SDL_Event ev = {.type = x->event};
        staff_handle_event(sh, &ev);
        return;
    }
    app_staff_message(&sh->app, "Saving to the USB stick...");
    log_msg(LOG_INFO, "export started");
}

bool staff_handle_event(Shell *sh, const SDL_Event *ev)
{
    StaffExport *x = &sh->export_job;
    if (!x->event || ev->type != x->event || !x->job)
        return false;
    if (x->thread)
        SDL_WaitThread(x->thread, NULL);
    x->thread = NULL;
    ExportJob *job = x->job;
    x->job = NULL;
    if (job->ok) {
        const char *base = strrchr(job->dest, '/');
        char msg[600];
        snprintf(msg, sizeof msg, "Saved to the USB stick as %s", base ? base + 1 : job->dest);
        app_staff_message(&sh->app, msg);
        log_msg(LOG_INFO, "export done: %s", job->dest);
        staff_fill_info(sh);
    } else {
        app_staff_message(&sh->app, job->message);
        log_msg(LOG_WARN, "export failed: %s", job->message);
    }
    free(job);
    return true;
}

void staff_stop(Shell *sh, int timeout_ms)
{
    StaffExport *x = &sh->export_job;
    for (int waited = 0; x->thread && waited < timeout_ms; waited += 100) {
        SDL_Event ev;
        SDL_PumpEvents();
        if (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, x->event, x->event) == 1) {
            staff_handle_event(sh, &ev);
            return;
        }
        SDL_Delay(100);
    }
    if (x->thread) {
        /* A stalled stick: the process ends around the thread, which still
         * uses its job. */
        log_msg(LOG_WARN, "export still running at stop; left unfinished");
        SDL_DetachThread(x->thread);
        x->thread = NULL;
        x->job = NULL;
    }
}
