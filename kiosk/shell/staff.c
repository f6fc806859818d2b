/* staff: see staff.h. */
#include "staff.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "export.h"
#include "log.h"
#include "pin.h"
#include "shellstate.h"
#include "stats.h"

/* The sign-up file's timestamp column (app_signup_columns: id, timestamp, ...). */
#define STAFF_TIMESTAMP_COLUMN 1

void staff_check_pin(Shell *sh)
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
    snprintf(si->disk, sizeof si->disk, "Free disk space: %lld MB",
             free_bytes_near(sh->opts->signups_path) / 1000000);
    snprintf(si->version, sizeof si->version, "kiosk %s, screen '%s'", KIOSK_VERSION,
             sh->opts->kiosk_id);
    sh->app.dirty = true;
}

/* The stick to write to: KIOSK_USB_ROOT (a folder standing in for it, for
 * tests), else the first removable drive mounted under the usual places. */
static int find_stick(const Shell *sh, char *drive, size_t cap, char *err, size_t errlen)
{
    const char *usb = SDL_getenv("KIOSK_USB_ROOT");
    if (usb && *usb) {
        snprintf(drive, cap, "%s", usb);
        return 0;
    }
    const Settings *st = sh->opts->settings;
    const char *roots[] = {st && st->export_dir ? st->export_dir : "/media", "/media", "/run/media",
                           "/mnt"};
    return export_find_drive("/proc/mounts", "/sys", roots, 4, drive, cap, err, errlen);
}

void staff_export(Shell *sh)
{
    char err[512], drive[4096], dest[4096], msg[600];
    if (store_pending(sh->store))
        store_flush(sh->store, err, sizeof err);
    if (find_stick(sh, drive, sizeof drive, err, sizeof err) != 0) {
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
    staff_fill_info(sh);
}
