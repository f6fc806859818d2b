/* retention: see retention.h. */
#include "retention.h"

#include <stdlib.h>
#include <time.h>

#include "effects.h"
#include "log.h"
#include "shellstate.h"
#include "signfiles.h"

/* One pass over the files; with_live false leaves the live file alone
 * (the store holds it and cannot let go now). */
static void retain_all(const char *live, int keep_days, bool with_live, Shell *sh)
{
    SignFiles *fs = malloc(sizeof *fs);
    char err[600];
    size_t removed = 0, undated = 0;
    if (!fs || signfiles_list(live, fs, err, sizeof err) != 0)
        log_msg(LOG_WARN, "retention: %s", fs ? err : "out of memory");
    for (size_t i = 0; fs && i < fs->n; i++) {
        const SignFile *f = &fs->file[i];
        bool is_live = f->kind == SIGNFILE_LIVE;
        RetainCount c;
        if (is_live && (!with_live || !signfiles_has_old(f->path, (int64_t)time(NULL), keep_days)))
            continue; /* the store is closed and reopened only for a rewrite */
        if (is_live && sh) {
            store_close(sh->store);
            sh->store = NULL;
        }
        if (signfiles_retain(f->path, (int64_t)time(NULL), keep_days, !is_live, &c, err,
                             sizeof err) != 0)
            log_msg(LOG_ERROR, "retention: %s", err);
        if (is_live && sh)
            (void)effects_open_store(sh);
        removed += c.removed;
        undated += c.undated;
    }
    free(fs);
    if (removed)
        log_msg(LOG_INFO, "retention: removed %zu sign-up(s) older than %d days", removed,
                keep_days);
    if (undated)
        log_msg(LOG_WARN, "retention: kept %zu sign-up(s) whose date cannot be read", undated);
}

void retention_at_start(const char *signups_path, int keep_days)
{
    if (keep_days > 0 && signups_path)
        retain_all(signups_path, keep_days, true, NULL);
}

void retention_run(Shell *sh, uint64_t now)
{
    const Settings *st = sh->opts->settings;
    int keep_days = st ? st->keep_days : SETTINGS_DEFAULT_KEEP_DAYS;
    if (now < sh->next_retention)
        return;
    sh->next_retention = now + RETENTION_EVERY_MS;
    if (sh->export_job.thread) {
        /* An export reads the files now: try again in a minute. */
        sh->next_retention = now + RETENTION_RETRY_MS;
        return;
    }
    if (keep_days <= 0)
        return;
    retain_all(sh->opts->signups_path, keep_days, store_pending(sh->store) == 0, sh);
}
