/* effects: see effects.h. */
#include "effects.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "shellstate.h"
#include "staff.h"
#include "util.h"

/* How often sign-ups that could not be written are tried again. */
#define EFFECTS_STORE_RETRY_MS 10000
/* Between tries at stop: the disk may come back (a stick reseated, space
 * freed) while the service manager waits for the kiosk to end. */
#define EFFECTS_STOP_RETRY_MS 500

int effects_open_store(Shell *sh)
{
    const char *names[APP_ROW_MAX];
    size_t n = app_signup_columns(sh->deck, names);
    char note[512] = "", err[512] = "";
    /* The old store lets go of the file (and its lock) first; the caller
     * swaps decks only when it has no rows waiting. */
    store_close(sh->store);
    sh->store = NULL;
    Store *s = NULL;
    int rc = store_create(&s, sh->opts->signups_path, names, n, note, sizeof note, err, sizeof err);
    if (rc < 0) {
        log_msg(LOG_ERROR, "sign-ups cannot be stored: %s", err);
        return -1;
    }
    sh->store = s;
    if (note[0])
        log_msg(LOG_WARN, "%s", note);
    if (rc == 1)
        log_msg(LOG_ERROR, "sign-ups cannot be stored yet: %s (will retry)", err);
    else
        log_msg(LOG_INFO, "sign-ups go to %s (%zu so far)", sh->opts->signups_path,
                store_row_count(s));
    return 0;
}

/* EFFECT_STORE. The client is told "saved" only when the row is durably on
 * disk; a row the disk refused waits in the store's queue and is retried,
 * and is also kept in the store's .pending file when that can be written,
 * so a stop or a crash before the retry does not lose it. */
static void store_signup(Shell *sh)
{
    uint64_t now = sh->now;
    char id[17], stamp[64], err[512] = "";
    SignupRow row;
    store_make_id(id);
    store_format_time(time(NULL), stamp, sizeof stamp);
    app_signup_row(&sh->app, id, stamp, sh->opts->kiosk_id, &row);
    int rc = sh->store ? store_append(sh->store, row.value, row.count, err, sizeof err) : -1;
    util_wipe(&row, sizeof row);
    if (rc == 0) {
        if (err[0])
            log_msg(LOG_WARN, "%s", err);
        log_msg(LOG_INFO, "sign-up %s stored", id);
        sh->counts.saved++;
    } else if (rc == 1) {
        log_msg(LOG_ERROR, "sign-up %s not written yet: %s", id, err);
        sh->counts.kept++;
        sh->next_store_retry = now + EFFECTS_STORE_RETRY_MS;
    } else {
        log_msg(LOG_ERROR, "sign-up %s could not be kept: %s", id,
                err[0] ? err : "the sign-up file could not be set up");
        sh->counts.refused++;
    }
    app_stored(&sh->app, rc == 0, now);
}

void effects_retry_store(Shell *sh, uint64_t now)
{
    if (!store_pending(sh->store) || now < sh->next_store_retry)
        return;
    sh->next_store_retry = now + EFFECTS_STORE_RETRY_MS;
    char err[512];
    size_t before = store_pending(sh->store);
    size_t left = store_flush(sh->store, err, sizeof err);
    if (left)
        log_msg(LOG_ERROR, "%zu sign-up(s) still waiting to be written: %s", left, err);
    else
        log_msg(LOG_INFO, "%zu waiting sign-up(s) are now stored%s%s", before, err[0] ? "; " : "",
                err);
}

void effects_flush_store(Shell *sh, int timeout_ms)
{
    char err[512] = "";
    for (int waited = 0; store_pending(sh->store); waited += EFFECTS_STOP_RETRY_MS) {
        if (store_flush(sh->store, err, sizeof err) == 0) {
            log_msg(LOG_INFO, "waiting sign-ups written before exit");
            return;
        }
        if (waited >= timeout_ms)
            break;
        usleep(EFFECTS_STOP_RETRY_MS * 1000);
    }
    size_t left = store_pending(sh->store), kept = store_pending_durable(sh->store);
    if (left && kept == left)
        log_msg(LOG_WARN,
                "%zu sign-up(s) could not be written before exit; they are kept in %s and go "
                "into the sign-up file at the next start: %s",
                left, store_pending_path(sh->store), err);
    else if (left)
        log_msg(LOG_ERROR,
                "%zu sign-up(s) could not be written before exit and are lost (%zu kept in %s "
                "for the next start): %s",
                left - kept, kept, store_pending_path(sh->store), err);
}

static void check_pin(Shell *sh)
{
    sh->counts.pins_checked++;
    staff_check_pin(sh);
}

static void export_signups(Shell *sh)
{
    sh->counts.exports++;
    staff_export(sh);
}

/* In fullscreen only staff (or the service manager) may stop the kiosk;
 * the status tells a supervisor not to start it again. */
/* Staff's Exit with sign-ups still waiting for the disk asks first: the
 * second tap within this long exits. */
#define EFFECTS_EXIT_CONFIRM_MS 15000

/* Says what exiting now would do to the waiting sign-ups; true when staff
 * were asked and the kiosk should not exit yet. */
static bool exit_needs_confirming(Shell *sh)
{
    size_t waiting = store_pending(sh->store);
    if (!waiting || (sh->exit_asked_at && sh->now - sh->exit_asked_at <= EFFECTS_EXIT_CONFIRM_MS))
        return false;
    size_t durable = store_pending_durable(sh->store);
    char msg[240];
    snprintf(msg, sizeof msg,
             "%zu sign-up(s) not yet in the file%s. Tap Exit kiosk again to exit anyway.", waiting,
             durable == waiting ? " (kept on disk, written at the next start)"
                                : ": they would be lost");
    app_staff_message(&sh->app, msg);
    log_msg(LOG_WARN, "staff asked to exit with %zu sign-up(s) waiting; asked to confirm", waiting);
    sh->exit_asked_at = sh->now ? sh->now : 1;
    return true;
}

static void staff_exit(Shell *sh)
{
    if (exit_needs_confirming(sh))
        return;
    log_msg(LOG_INFO, "staff chose to exit the kiosk");
    sh->counts.staff_exits++;
    sh->quit = true;
    sh->status = SHELL_EXIT_STAFF;
}

typedef void (*EffectHandler)(Shell *sh);

static const struct {
    unsigned effect;
    EffectHandler run;
} effect_handlers[] = {
    {EFFECT_STORE, store_signup},         {EFFECT_CHECK_PIN, check_pin},
    {EFFECT_STAFF_INFO, staff_fill_info}, {EFFECT_EXPORT, export_signups},
    {EFFECT_ERASE, staff_erase},          {EFFECT_QUIT, staff_exit},
};

void effects_run(Shell *sh)
{
    for (size_t i = 0; i < sizeof effect_handlers / sizeof effect_handlers[0]; i++) {
        if (!(sh->app.effects & effect_handlers[i].effect))
            continue;
        sh->app.effects &= ~effect_handlers[i].effect;
        effect_handlers[i].run(sh);
    }
}
