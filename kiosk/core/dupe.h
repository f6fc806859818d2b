/* dupe: marking a sign-up made twice. A client who taps Send twice, or
 * comes back the same afternoon, should not be called twice; but a row is
 * never refused for it (the second may correct the first). So the new row
 * gets, in its duplicate_of column, the id of the earliest row with the
 * same phone or email in the 24 hours before it, and the client is told
 * nothing different.
 *
 * Pure: times are given in (seconds since the epoch), nothing is read. The
 * index holds a 64-bit hash of each normalised phone and email, not the
 * text: a day of sign-ups costs 40 bytes each, and no contact details sit
 * in memory for a day. (Two different values sharing a hash, 1 in 2^64,
 * would mark a row wrongly: harmless, the row is kept either way.) */
#ifndef KIOSK_DUPE_H
#define KIOSK_DUPE_H

#include <stddef.h>
#include <stdint.h>

/* The look-back: "the same day" for a front desk, and short enough that a
 * client signing up again next month is a new lead, not a duplicate. */
#define DUPE_WINDOW_S (24 * 60 * 60)

/* Normalised values longer than this are cut: real phones have <= 15
 * digits (E.164), emails <= 254 characters (RFC 5321); a cut value still
 * matches itself. */
#define DUPE_PHONE_MAX 32
#define DUPE_EMAIL_MAX 256

typedef struct {
    int64_t t;      /* when it was stored, seconds since the epoch */
    uint64_t phone; /* hash of the digits; 0 when none */
    uint64_t email; /* hash of the trimmed, lower-case email; 0 when none */
    char id[17];    /* the row's id */
} DupeEntry;

typedef struct {
    DupeEntry *e; /* oldest first */
    size_t n, cap;
} DupeIndex;

#define DUPE_INDEX_INIT                                                                            \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/** The digits of a phone number, nothing else ("+44 (20) 7946-0000" gives
 *  "442079460000"), into out (cap bytes, NUL-terminated, cut to fit). */
void dupe_norm_phone(const char *in, char *out, size_t cap);

/** An email without surrounding spaces, ASCII letters lower-cased (the
 *  domain is case-blind, and people do not mean two mailboxes by two
 *  spellings of theirs). */
void dupe_norm_email(const char *in, char *out, size_t cap);

/** The id of the earliest entry stored in (t - DUPE_WINDOW_S, t] whose
 *  phone equals phone or whose email equals email (empty values match
 *  nothing); NULL when none. phone and email are already normalised. The
 *  pointer is into the index: copy it before changing the index. */
const char *dupe_find(const DupeIndex *ix, int64_t t, const char *phone, const char *email);

/** Adds a row (values normalised here), dropping entries older than the
 *  window before t. Returns 0, or -1 when out of memory (the index is then
 *  unchanged: a missed mark is not worth stopping for). */
int dupe_add(DupeIndex *ix, int64_t t, const char *id, const char *phone, const char *email);

/** Wipes and frees the entries; ix is left empty and may be reused. */
void dupe_free(DupeIndex *ix);

/** Seconds since the epoch of a time as the sign-up file writes it,
 *  "2026-12-02T10:39:23+01:00" (a 'Z' is taken too); -1 if not one. */
int64_t dupe_parse_time(const char *s);

#endif
