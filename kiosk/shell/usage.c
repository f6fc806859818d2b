/* usage: see usage.h. */
#include "usage.h"

#include <time.h>

#include "log.h"
#include "stats.h"

void usage_flush(Usage *u, const App *a, uint64_t now, bool force)
{
    StatsCounts d = {a->slides_viewed - u->slides, a->forms_opened - u->opened,
                     a->forms_completed - u->completed, a->forms_abandoned - u->abandoned};
    if (!d.slides_viewed && !d.forms_opened && !d.forms_completed && !d.forms_abandoned)
        return;
    if (!force && now < u->due)
        return;
    u->due = now + USAGE_EVERY_MS;
    if (!u->path)
        return;
    char date[11], err[256];
    stats_date(time(NULL), date);
    if (stats_add(u->path, date, &d, err, sizeof err) != 0) {
        log_msg(LOG_WARN, "usage counts not written: %s", err);
        return;
    }
    u->slides = a->slides_viewed;
    u->opened = a->forms_opened;
    u->completed = a->forms_completed;
    u->abandoned = a->forms_abandoned;
}
