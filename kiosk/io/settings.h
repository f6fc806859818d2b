/* settings: the per-screen settings file (default /etc/kiosk/kiosk.yaml,
 * `kiosk --config FILE` for another), read with the same compiler-style
 * diagnostics as decks.
 *
 * Every key is optional. The file documents itself for staff: see
 * packaging/kiosk.yaml, which lists every key with its default.
 *
 *   key                       default               checked
 *   deck                      NULL: bundled deck    text; a relative path is taken
 *                                                   relative to the settings file's dir
 *   kiosk_id                  NULL: host name       one line, at most 64 characters
 *   signups                   NULL: main decides    path, relative as for deck
 *   stats                     NULL: next to signups path, relative as for deck
 *   timeouts.inactivity       -1: the deck's        10..3600 s
 *   timeouts.form_inactivity  -1: the deck's        15..600 s
 *   timeouts.thanks           -1: the deck's        2..60 s
 *   rotation                  0                     0, 90, 180 or 270
 *   display                   0                     0..15
 *   renderer                  "auto"                a driver name: auto, software,
 *                                                   opengles2, opengl, ...
 *   staff_pin                 NULL: no PIN set      a crypt(3) hash "$id$...", as
 *                                                   written by `kiosk --set-pin`;
 *                                                   never a PIN in clear
 *   log_level                 2 (info)              error, warning, info, debug
 *   export_dir                "/media"              path, relative as for deck
 *   keep_days                 90                    0..36500; 0: keep forever
 *   sleep.from, sleep.to      no sleep              "HH:MM" (24 h), both or neither,
 *                                                   different; may wrap midnight
 *   delivery.email.*          off                   to, from: one address each; smtp:
 *                                                   smtp://host[:port] (STARTTLS) or
 *                                                   smtps://; user + password_file (both
 *                                                   or neither); ca_file; insecure (bool,
 *                                                   loopback hosts only)
 *   delivery.webhook.*        off                   url: https://...; token_file; ca_file;
 *                                                   insecure (http:// on loopback only)
 *
 * Whether secret files exist and are private is checked when they are
 * used, and by kiosk --check (deliver.h), not here: this file reads no
 * other file.
 *
 * Strings in a Settings live in its arena and are freed by settings_free(). */
#ifndef KIOSK_SETTINGS_H
#define KIOSK_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* The default place, used when no --config is given. */
#define SETTINGS_DEFAULT_PATH "/etc/kiosk/kiosk.yaml"

/* Limits. The file is written by hand (or by --set-pin); these bound what a
 * careless or hostile file can make the kiosk do, far above any real one. */
#define SETTINGS_MAX_BYTES (64 * 1024) /* the packaged file, mostly comments, is ~3 KiB */
#define SETTINGS_MAX_DEPTH 4           /* the format nests 3 deep (delivery: email: to:) */
#define SETTINGS_MAX_NODES 1000        /* the format has ~20 values */
#define SETTINGS_MAX_TEXT_BYTES 4096   /* PATH_MAX: the longest path Linux takes */
#define SETTINGS_MAX_ID_CHARS 64       /* a name people read in an export, not a paragraph */
#define SETTINGS_MAX_DISPLAY 15        /* SDL display / KMS card index; a Pi has 2-3 */
/* Sign-ups older than this many days are removed from the kiosk: about a
 * season of follow-up calls; a clinic wanting longer says so in the file. */
#define SETTINGS_DEFAULT_KEEP_DAYS 90
#define SETTINGS_MAX_KEEP_DAYS 36500 /* a hundred years: "forever" is 0 */

/* Delivery by email (off while smtp is NULL). */
typedef struct {
    const char *to, *from;               /* addresses */
    const char *smtp;                    /* smtp://host[:port] or smtps://host[:port] */
    const char *user;                    /* NULL: no login */
    const char *password_file, *ca_file; /* resolved paths; may be NULL */
    bool insecure;                       /* plain text allowed (loopback hosts only) */
} SettingsEmail;

/* Delivery by webhook (off while url is NULL). */
typedef struct {
    const char *url;                  /* https://..., http:// only when insecure */
    const char *token_file, *ca_file; /* resolved paths; may be NULL */
    bool insecure;
} SettingsWebhook;

typedef struct Settings {
    const char *deck;       /* resolved path; NULL: the bundled deck */
    const char *kiosk_id;   /* NULL: main uses the host name */
    const char *signups;    /* resolved path; NULL: main decides */
    const char *stats;      /* resolved path; NULL: next to the sign-ups */
    const char *renderer;   /* "auto" unless set; never empty */
    const char *staff_pin;  /* crypt(3) hash; NULL: no PIN set */
    const char *export_dir; /* where USB sticks are mounted; "/media" unless set */
    int inactivity_ms, form_inactivity_ms, thanks_ms; /* -1: use the deck's */
    int rotation;                                     /* 0, 90, 180, 270: clockwise */
    int display;                                      /* 0..SETTINGS_MAX_DISPLAY */
    int keep_days;                                    /* sign-ups older than this go; 0: never */
    int log_level;                    /* 0 error, 1 warning, 2 info, 3 debug: LogLevel's order */
    bool sleep_enabled;               /* screen dark from sleep_from_min to sleep_to_min */
    int sleep_from_min, sleep_to_min; /* minutes after local midnight, 0..1439 */
    SettingsEmail email;              /* delivery.email */
    SettingsWebhook webhook;          /* delivery.webhook */
    const char *path;                 /* the file it came from, NULL for defaults */
    void *arena;                      /* private */
} Settings;

/** Fills s with every default (no file): path and arena NULL. Such a
 *  Settings needs no settings_free() (which does nothing to it). */
void settings_defaults(Settings *s);

/** Reads and checks the settings file at path. Returns a new Settings the
 *  caller frees with settings_free(), or NULL when the file could not be
 *  read or has errors (each problem is in diags; NULL always comes with at
 *  least one error). Warnings leave a usable Settings. A missing file is an
 *  error here: for the default path, call this only if the file exists. */
Settings *settings_load(const char *path, DiagList *diags);

/** The same for text in memory; name is used in diagnostics and is the
 *  path relative paths are resolved against. No file is read. A text of
 *  nothing but comments gives all defaults. */
Settings *settings_load_string(const char *name, const char *text, size_t len, DiagList *diags);

/** Frees a Settings from settings_load*(); NULL, or one filled by
 *  settings_defaults(), is left alone. */
void settings_free(Settings *s);

/** Pure: is the screen asleep at this minute of the day (0..1439; other
 *  values are taken modulo a day)? Asleep from sleep_from_min included to
 *  sleep_to_min excluded, across midnight when from > to. False when s is
 *  NULL or has no sleep window. */
bool settings_asleep(const Settings *s, int minute_of_day);

/** The text of a settings file with its top-level staff_pin line set to
 *  hash: an existing line (with any continuation lines of its value) is
 *  replaced, otherwise a line is added, after a commented-out
 *  "# staff_pin:" example if there is one, else at the end. Every other
 *  line, comment and line ending is kept byte for byte. Returns a malloc'd
 *  NUL-terminated text the caller frees, or NULL when hash is not a
 *  well-formed crypt hash, out of memory, the file ends lines with
 *  something YAML takes as a line break but this edit would not (a lone CR,
 *  NEL, LS or PS), or the result would not read back as staff_pin: hash (a
 *  flow-style '{...}' file, a syntax error): such a file needs editing by
 *  hand. */
char *settings_with_pin(const char *text, size_t len, const char *hash);

/** True when s has the shape of a crypt(3) hash: "$id$" then only the
 *  characters crypt uses ([A-Za-z0-9./$=,]). Pure; says nothing about
 *  whether this system's libcrypt knows the method. */
bool settings_hash_well_formed(const char *s);

/** True when url's host is the loopback interface (localhost, 127.x.y.z,
 *  [::1]): the only place plain-text delivery is allowed, for tests. */
bool settings_url_loopback(const char *url);

#endif
