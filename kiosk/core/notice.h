/* notice: what a delivered sign-up looks like, and when a failed send is
 * tried again. Pure: a row comes in as its column names and values (as the
 * sign-up file holds them), text goes out; times are given.
 *
 * The email is plain text, one "column: value" line per field, for front
 * desk staff to read and call back. Its Subject carries no personal data
 * ("New sign-up at <kiosk id>"): subjects show on lock screens, in
 * notification pop-ups and in mail server logs, where a body does not.
 * The Message-ID is "<ROW-ID@kiosk>", so a receiver (or a person) sees a
 * send retried after a lost reply as the same message.
 *
 * The webhook body is one JSON object: every column by its name, except
 * "timestamp" which is "time", and an empty duplicate_of which is null. */
#ifndef KIOSK_NOTICE_H
#define KIOSK_NOTICE_H

#include <stddef.h>
#include <stdint.h>

/* The back-off after a failed send: 5 s (a server restarting), doubling,
 * at most 15 min (a day offline costs ~100 tries, and a server that comes
 * back is used within a quarter of an hour). */
#define NOTICE_BACKOFF_FIRST_MS 5000
#define NOTICE_BACKOFF_MAX_MS (15 * 60 * 1000)

typedef struct {
    const char *const *names;  /* column names: id, timestamp, kiosk, ... */
    const char *const *values; /* the row's values, as many */
    size_t n;
} NoticeRow;

/** The wait before try number failures + 1 after failures (>= 1) failed
 *  in a row; jitter (0..999, from the caller's random source) spreads
 *  kiosks that lost the same server by up to a tenth. */
uint64_t notice_backoff_ms(unsigned failures, unsigned jitter);

/** The value of column name, or NULL. */
const char *notice_value(const NoticeRow *row, const char *name);

/** A whole RFC 5322 message (CRLF line ends) for the row into buf (cap
 *  bytes, NUL-terminated): From, To, Date (date: an RFC 5322 date the
 *  caller formats), Subject, Message-ID, MIME headers (UTF-8, 8bit), a
 *  blank line and the body. Returns the length it needs, like snprintf. */
size_t notice_email(char *buf, size_t cap, const NoticeRow *row, const char *from, const char *to,
                    const char *date);

/** The JSON object for the row into buf; returns the length needed. */
size_t notice_json(char *buf, size_t cap, const NoticeRow *row);

/** A value as the sign-up file's formula guard left it, without the ' the
 *  guard put in front (csv.h): "'+44 20" gives "+44 20". Only a ' at the
 *  start followed by one of = + - @ TAB CR is taken off; a name such as
 *  "'Tis" keeps it. Returns a pointer into v. */
const char *notice_unguard(const char *v);

#endif
