#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

/* The one setting of the logger, set once at start by main. */
static LogLevel log_level = LOG_INFO;

void log_set_level(LogLevel level)
{
    log_level = level;
}

void log_msg(LogLevel level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    if (level > log_level)
        return;
    char stamp[40] = "";
    time_t t = time(NULL);
    struct tm tm;
    if (localtime_r(&t, &tm))
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S%z", &tm);
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* One fprintf per line so concurrent writers never interleave mid-line. */
    fprintf(stderr, "%s kiosk %s: %s\n", stamp, names[level], msg);
}
