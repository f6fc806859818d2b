/* log: one line per event to stderr, with a timestamp and a level, which
 * journald keeps under systemd. Personal data never goes through here. */
#ifndef KIOSK_LOG_H
#define KIOSK_LOG_H

typedef enum { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG } LogLevel;

/** Messages above this level are dropped (default LOG_INFO). */
void log_set_level(LogLevel level);

void log_msg(LogLevel level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
