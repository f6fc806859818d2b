/* staff: see staff.h. */
#include "staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "delivery.h"
#include "effects.h"
#include "export.h"
#include "kiosk_version.h"
#include "log.h"
#include "pin.h"
#include "pinstate.h"
#include "retain.h"
#include "shellstate.h"
#include "signfiles.h"
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

/* The sign-ups per file (signfiles.h): the current file, the older ones a
 * form change or the size limit set aside, and rows torn tails left.
 * Returns the total. */
static size_t fill_files(Shell *sh, StaffInfo *si)
{
    SignFiles *fs = malloc(sizeof *fs);
    char err[512];
    size_t live = 0, archived = 0, recovered = 0, narchives = 0;
    if (fs && signfiles_list(sh->opts->signups_path, fs, err, sizeof err) != 0)
        log_msg(LOG_WARN, "older sign-up files not counted: %s", err);
    if (fs) {
        signfiles_totals(fs, &live, &archived, &recovered);
        for (size_t i = 0; i < fs->n; i++)
            narchives += fs->file[i].kind == SIGNFILE_ARCHIVE;
    }
    free(fs);
    snprintf(si->files, sizeof si->files,
             "In files: %zu current, %zu in %zu older file%s, %zu recovered", live, archived,
             narchives, narchives == 1 ? "" : "s", recovered);
    return live + archived + recovered;
}

/* The funnel: today's and this week's (from Monday, local time) counts from
 * the stats file, after writing out the counts still in memory. */
static void fill_funnel(Shell *sh, StaffInfo *si)
{
    char dates[7][11], today[11];
    struct tm tm;
    time_t now = time(NULL);
    StatsCounts day = {0}, week = {0};
    usage_flush(&sh->usage, &sh->app, sh->now, true);
    stats_date(now, today);
    int n = localtime_r(&now, &tm)
                ? retain_week_dates(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, dates)
                : 0;
    for (int i = 0; i < n && sh->usage.path; i++) {
        StatsCounts c = {0};
        stats_read(sh->usage.path, dates[i], &c);
        week.slides_viewed += c.slides_viewed;
        week.forms_opened += c.forms_opened;
        week.forms_completed += c.forms_completed;
        week.forms_abandoned += c.forms_abandoned;
        if (strcmp(dates[i], today) == 0)
            day = c;
    }
    const StatsCounts *c[2] = {&day, &week};
    char *out[2] = {si->today, si->week};
    const char *when[2] = {"Today", "This week"};
    for (int i = 0; i < 2; i++)
        snprintf(out[i], sizeof si->today,
                 "%s: %u slides shown, %u forms opened, %u sent, %u abandoned", when[i],
                 c[i]->slides_viewed, c[i]->forms_opened, c[i]->forms_completed,
                 c[i]->forms_abandoned);
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
             fill_files(sh, si), store_pending(sh->store) ? ", some waiting to be written" : "");
    fill_funnel(sh, si);
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
    char signups[4096], kiosk_id[256], export_dir[4096], eject[4096];
    Uint32 done_event;
    /* Written by the thread, read by the loop once the event arrived. */
    bool ok;
    char message[600], dest[4096];
    SignFiles files;
    ExportResult res;
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

/* Rows copied and rows read back equal, over the export's files. */
static void result_rows(const ExportResult *res, size_t *rows, size_t *verified)
{
    *rows = *verified = 0;
    for (size_t i = 0; i < res->n; i++) {
        *rows += res->item[i].rows;
        *verified += res->item[i].verified ? res->item[i].rows : 0;
    }
}

/* A stick the packaged udev rule mounted is unmounted by the root side when
 * asked (export.h); the export says it is safe to pull only once the mount
 * is gone. Returns true when it is. */
static bool eject(const ExportJob *job, const char *drive)
{
    if (strcmp(drive, EXPORT_KIOSK_MOUNT) != 0 || !job->eject[0])
        return false;
    if (export_request_eject(job->eject) != 0)
        return false;
    for (int waited = 0; waited < EXPORT_EJECT_WAIT_MS; waited += 200) {
        if (!export_is_mounted("/proc/mounts", drive))
            return true;
        SDL_Delay(200);
    }
    return false;
}

/* The sentence staff read after an export. */
static void say_result(ExportJob *job, const char *drive, int rc)
{
    size_t rows, verified;
    char why[600];
    result_rows(&job->res, &rows, &verified);
    if (rc != 0) {
        const char *m = job->message;
        /* export.c's sentences stand alone; here they follow "Export failed:". */
        if (strncmp(m, "Cannot export: ", 15) == 0)
            m += 15;
        snprintf(why, sizeof why, "%s", m);
        if (job->res.n)
            snprintf(job->message, sizeof job->message,
                     "Export failed: %s Only %zu of %zu files on the stick are complete; "
                     "export again.",
                     why, job->res.n, job->files.n);
        else
            snprintf(job->message, sizeof job->message,
                     "Export failed: %s Nothing on the stick is complete.", why);
        (void)eject(job, drive);
        return;
    }
    bool out = eject(job, drive);
    snprintf(job->message, sizeof job->message, "Saved %zu sign-up%s in %zu file%s%s. %s", rows,
             rows == 1 ? "" : "s", job->res.n, job->res.n == 1 ? "" : "s",
             verified == rows ? ", checked on the stick" : "",
             out ? "You can pull the stick out now."
             : strcmp(drive, EXPORT_KIOSK_MOUNT) == 0
                 ? "The kiosk could not release the stick: wait 10 s before pulling it out."
                 : "Eject the stick before pulling it out.");
}

static void run_export(ExportJob *job)
{
    char drive[4096], err[512];
    job->ok = false;
    if (find_stick(job, drive, sizeof drive, job->message, sizeof job->message) != 0)
        return;
    if (signfiles_list(job->signups, &job->files, err, sizeof err) != 0)
        log_msg(LOG_WARN, "older sign-up files not exported: %s", err);
    int rc = export_files(&job->files, drive, job->kiosk_id, time(NULL), &job->res, job->message,
                          sizeof job->message);
    job->ok = rc == 0;
    if (job->ok && job->res.n)
        snprintf(job->dest, sizeof job->dest, "%s", job->res.item[0].dest);
    say_result(job, drive, rc);
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
    const char *eject_path = SDL_getenv("KIOSK_USB_EJECT");
    snprintf(job->eject, sizeof job->eject, "%s", eject_path ? eject_path : EXPORT_EJECT_REQUEST);
    free(x->verified);
    x->verified = NULL;
    app_staff_erasable(&sh->app, 0);
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

/* What the export verified on the stick stays for "Erase from kiosk"; the
 * rest of the job goes. */
static void keep_verified(Shell *sh, const ExportJob *job)
{
    size_t rows, verified;
    result_rows(&job->res, &rows, &verified);
    /* Erasing rows the mail server or the webhook has not had yet would
     * lose them for the front desk's inbox: Erase waits until they are
     * sent. */
    size_t waiting = delivery_waiting(sh->delivery);
    if (verified > 0 && waiting > 0) {
        char msg[240];
        snprintf(msg, sizeof msg,
                 "%s %zu sign-up%s still wait%s to be delivered: Erase is offered after that.",
                 job->message, waiting, waiting == 1 ? "" : "s", waiting == 1 ? "s" : "");
        app_staff_message(&sh->app, msg);
        return;
    }
    ExportResult *v = malloc(sizeof *v);
    if (!v || verified == 0) {
        free(v);
        return;
    }
    *v = job->res;
    sh->export_job.verified = v;
    app_staff_erasable(&sh->app, verified);
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
        size_t rows, verified;
        result_rows(&job->res, &rows, &verified);
        /* The message holds counts and file names, never a row. */
        log_msg(LOG_INFO,
                "export done: %zu sign-up(s) in %zu file(s), %zu checked on the stick: %s", rows,
                job->res.n, verified, job->message);
        staff_fill_info(sh);
        app_staff_message(&sh->app, job->message);
        keep_verified(sh, job);
    } else {
        app_staff_message(&sh->app, job->message);
        log_msg(LOG_WARN, "%s", job->message);
    }
    free(job);
    return true;
}

/* Erases one exported file's verified rows; the live file only with the
 * store closed (it holds the file open and locked) and opened again after. */
static int erase_item(Shell *sh, const ExportItem *it, size_t *erased, char *err, size_t errlen)
{
    bool live = it->kind == SIGNFILE_LIVE;
    if (live && store_pending(sh->store)) {
        util_format(err, errlen, "sign-ups are waiting to be written to %s", it->src);
        return -1;
    }
    if (live) {
        store_close(sh->store);
        sh->store = NULL;
    }
    int rc = signfiles_erase_prefix(it->src, it->len, it->hash, live, erased, err, errlen);
    if (rc == 0 && it->kind == SIGNFILE_RECOVERED)
        *erased = it->rows; /* a torn row has no line end, and counts as the export counted it */
    if (live && effects_open_store(sh) != 0 && rc == 0) {
        util_format(err, errlen, "%s was erased but could not be opened again", it->src);
        rc = -1;
    }
    return rc;
}

void staff_erase(Shell *sh)
{
    ExportResult *v = sh->export_job.verified;
    size_t total = 0, changed = 0, failed = 0;
    char err[600] = "", msg[240];
    for (size_t i = 0; v && i < v->n; i++) {
        size_t erased = 0;
        if (!v->item[i].verified)
            continue;
        int rc = erase_item(sh, &v->item[i], &erased, err, sizeof err);
        total += erased;
        changed += rc == 1;
        failed += rc < 0;
        if (rc < 0)
            log_msg(LOG_ERROR, "erase after export: %s", err);
    }
    free(v);
    sh->export_job.verified = NULL;
    sh->counts.erased += total;
    app_staff_erasable(&sh->app, 0);
    log_msg(failed || changed ? LOG_WARN : LOG_INFO,
            "erased %zu sign-up(s) from the kiosk after a verified export (%zu file(s) changed "
            "since the export, %zu failed)",
            total, changed, failed);
    if (failed || changed)
        snprintf(msg, sizeof msg,
                 "Erased %zu sign-ups; %zu file(s) were kept because they changed since the "
                 "export or could not be rewritten. Export again.",
                 total, changed + failed);
    else
        snprintf(msg, sizeof msg, "Erased %zu sign-up%s from this kiosk.", total,
                 total == 1 ? "" : "s");
    staff_fill_info(sh);
    app_staff_message(&sh->app, msg);
}

void staff_stop(Shell *sh, int timeout_ms)
{
    StaffExport *x = &sh->export_job;
    free(x->verified);
    x->verified = NULL;
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
