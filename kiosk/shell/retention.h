/* retention: the settings' keep_days applied to every sign-up file, at
 * start and then hourly (signfiles_retain() does the rewriting). */
#ifndef KIOSK_RETENTION_H
#define KIOSK_RETENTION_H

#include <stdint.h>

#include "shell.h"

/* Hourly: a row lives at most an hour past keep_days, and a pass over a
 * year of sign-ups (a few MB) costs milliseconds, so more often buys
 * nothing and less often keeps data longer than promised. */
#define RETENTION_EVERY_MS (60u * 60u * 1000u)
/* A pass due while an export reads the files waits this long. */
#define RETENTION_RETRY_MS (60u * 1000u)

/** Removes old rows from every sign-up file when due (sh->next_retention),
 *  then sets the next time. The live file is rewritten with the store
 *  closed, and only when no sign-up waits for the disk (else it is tried
 *  at the next pass). Logs counts, never rows. */
void retention_run(Shell *sh, uint64_t now);

/** The same at start, before the store opens the live file. */
void retention_at_start(const char *signups_path, int keep_days);

#endif
