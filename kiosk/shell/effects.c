/* effects: see effects.h. */
#include "effects.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dupe.h"
#include "log.h"
#include "outbox.h"
#include "shellstate.h"
#include "staff.h"
#include "util.h"

/* How often sign-ups that could not be written are tried again. */
#define EFFECTS_STORE_RETRY_MS 10000
/* Between tries at stop: the disk may come back (a stick reseated, space
 * freed) while the service manager waits for the kiosk to end. */
#define EFFECTS_STOP_RETRY_MS 500

/* The deck's first phone and first email field: what duplicates are
 * matched on. -1 when the form has none. */
static void contact_fields(const Deck *d, int *phone, int *email)
{
    *phone = *email = -1;
    for (size_t i = 0; i < d->field_count && i < DECK_MAX_FIELDS; i++) {
        if (d->fields[i].type == FIELD_PHONE && *phone < 0)
            *phone = (int)i;
        if (d->fields[i].type == FIELD_EMAIL && *email < 0)
            *email = (int)i;
    }
}

typedef struct {
    DupeIndex *ix;
    const char *phone_col, *email_col; /* column names; NULL: none */
    int64_t since;
} IndexBuild;

static const char *row_value(const OutboxRow *row, const char *name)
{
    for (size_t i = 0; name && i < row->n; i++)
        if (strcmp(row->names[i], name) == 0)
            return row->values[i];
    return NULL;
}

static int index_row(void *ctx, const OutboxRow *row)
{
    IndexBuild *b = ctx;
    int64_t t = dupe_parse_time(row_value(row, "timestamp"));
    if (t > b->since)
        dupe_add(b->ix, t, row->id, row_value(row, b->phone_col), row_value(row, b->email_col));
    return 0;
}

/* The archive number of name if it is "<stem>-YYYYmmdd-HHMMSS[-N].csv"
 * (store.c's archive_name(): N is 1 without a suffix), its stamp into
 * stamp; 0 if name is not one. */
static long archive_number(const char *name, const char *stem, char stamp[16])
{
    size_t n = strlen(stem);
    if (strncmp(name, stem, n) != 0 || name[n] != '-')
        return 0;
    const char *p = name + n + 1;
    for (int i = 0; i < 15; i++)
        if (i == 8 ? p[i] != '-' : !isdigit((unsigned char)p[i]))
            return 0;
    memcpy(stamp, p, 15);
    stamp[15] = '\0';
    p += 15;
    if (strcmp(p, ".csv") == 0)
        return 1;
    char *end = NULL;
    long k = *p == '-' ? strtol(p + 1, &end, 10) : 0;
    return k > 1 && end && strcmp(end, ".csv") == 0 ? k : 0;
}

/* The newest file the store renamed aside next to csv, into out; false
 * when there is none. */
static bool newest_archive(const char *csv, char *out, size_t cap)
{
    char dir[4096], stem[512], best[16] = "", stamp[16];
    long best_k = 0;
    const char *slash = strrchr(csv, '/');
    util_format(dir, sizeof dir, "%.*s", slash ? (int)(slash - csv) : 1, slash ? csv : ".");
    const char *file = slash ? slash + 1 : csv;
    size_t len = strlen(file);
    util_format(stem, sizeof stem, "%.*s",
                (int)(len >= 4 && strcmp(file + len - 4, ".csv") == 0 ? len - 4 : len), file);
    DIR *d = opendir(dir[0] ? dir : "/");
    if (!d)
        return false;
    for (struct dirent *e; (e = readdir(d));) {
        long k = archive_number(e->d_name, stem, stamp);
        int c = k ? strcmp(stamp, best) : -1;
        if (c > 0 || (c == 0 && k > best_k)) {
            memcpy(best, stamp, sizeof best);
            best_k = k;
            util_format(out, cap, "%s/%s", dir, e->d_name);
        }
    }
    closedir(d);
    return best_k > 0;
}

/* The index of the last day's rows, from the sign-up file and the newest
 * one renamed aside (a changed form, or an upgrade that added a column,
 * starts a new file): rebuilt at start and whenever the store is opened
 * anew (a new deck, a new file). */
static void index_signups(Shell *sh)
{
    int phone, email;
    contact_fields(sh->deck, &phone, &email);
    dupe_free(&sh->dupes);
    IndexBuild b = {&sh->dupes, phone >= 0 ? sh->deck->fields[phone].id : NULL,
                    email >= 0 ? sh->deck->fields[email].id : NULL,
                    (int64_t)time(NULL) - DUPE_WINDOW_S};
    char err[600] = "", archive[4600];
    /* Older rows first: the index is oldest first (dupe.h). */
    if (newest_archive(sh->opts->signups_path, archive, sizeof archive) &&
        outbox_each_row(archive, index_row, &b, err, sizeof err) != 0)
        log_msg(LOG_WARN, "earlier sign-ups not read, so duplicates are not marked: %s", err);
    if (outbox_each_row(sh->opts->signups_path, index_row, &b, err, sizeof err) != 0)
        log_msg(LOG_WARN, "earlier sign-ups not read, so duplicates are not marked: %s", err);
}

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
    index_signups(sh);
    return 0;
}

/* The row's phone and email as the form holds them; NULL when the form
 * has no such field. */
static void row_contacts(const Shell *sh, const SignupRow *row, const char **phone,
                         const char **email)
{
    int p, e;
    contact_fields(sh->deck, &p, &e);
    /* The deck's fields start at column 4 (app_signup_columns). */
    *phone = p >= 0 ? row->value[4 + p] : NULL;
    *email = e >= 0 ? row->value[4 + e] : NULL;
}

/* Sets the row's duplicate_of to the id of the earliest
 * row of the last day with the same phone or email; the client is told
 * nothing different. */
static void mark_duplicate(Shell *sh, SignupRow *row, int64_t t, char earlier[17])
{
    const char *phone, *email;
    char p[DUPE_PHONE_MAX], e[DUPE_EMAIL_MAX];
    row_contacts(sh, row, &phone, &email);
    dupe_norm_phone(phone, p, sizeof p);
    dupe_norm_email(email, e, sizeof e);
    const char *found = dupe_find(&sh->dupes, t, p, e);
    if (found)
        util_format(earlier, 17, "%s", found);
    row->value[app_signup_duplicate_column(sh->deck)] = earlier;
    util_wipe(p, sizeof p);
    util_wipe(e, sizeof e);
}

static void remember_row(Shell *sh, const SignupRow *row, int64_t t, const char *id)
{
    const char *phone, *email;
    row_contacts(sh, row, &phone, &email);
    dupe_add(&sh->dupes, t, id, phone, email);
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
    time_t t = time(NULL);
    store_format_time(t, stamp, sizeof stamp);
    app_signup_row(&sh->app, id, stamp, sh->opts->kiosk_id, &row);
    char earlier[17] = "";
    mark_duplicate(sh, &row, (int64_t)t, earlier);
    int rc = sh->store ? store_append(sh->store, row.value, row.count, err, sizeof err) : -1;
    if (rc >= 0)
        remember_row(sh, &row, (int64_t)t, id);
    util_wipe(&row, sizeof row);
    if (rc == 0) {
        if (err[0])
            log_msg(LOG_WARN, "%s", err);
        log_msg(LOG_INFO, "sign-up %s stored%s%s", id, earlier[0] ? ", a duplicate of " : "",
                earlier);
        sh->counts.saved++;
        delivery_kick(sh->delivery);
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
    else {
        log_msg(LOG_INFO, "%zu waiting sign-up(s) are now stored%s%s", before, err[0] ? "; " : "",
                err);
        delivery_kick(sh->delivery);
    }
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
