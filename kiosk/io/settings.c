/* settings: the per-screen settings file, read through ytree like a deck.
 *
 * ytree builds the tree with the limits in settings.h; this file walks it
 * against the schema, reporting every problem at its FILE:LINE:COL. No
 * file is read below settings_load(), so everything is testable from
 * strings. */
#include "settings.h"
#include "util.h"

#include "fsx.h"
#include "ytree.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MINUTES_PER_DAY = 24 * 60 };

/* Whether the file can be read by every user: with a staff_pin in it,
 * that gives the PIN away (see pin.h). */
typedef enum { PERM_UNKNOWN, PERM_PRIVATE, PERM_WORLD_READABLE } FilePerm;

/* The settings file for ytree: the limits in settings.h; the format nests
 * three deep (delivery: email: to:). */
static const YFormat settings_format = {.what = "settings file",
                                        .root_hint = "'key: value' lines such as 'rotation: 90'",
                                        .text_hint = "",
                                        .max_depth = SETTINGS_MAX_DEPTH,
                                        .depth_needed = 3,
                                        .max_nodes = SETTINGS_MAX_NODES,
                                        .max_text = SETTINGS_MAX_TEXT_BYTES};

void settings_defaults(Settings *s)
{
    memset(s, 0, sizeof *s);
    s->renderer = "auto";
    s->export_dir = "/media";
    s->inactivity_ms = -1;
    s->form_inactivity_ms = -1;
    s->thanks_ms = -1;
    s->log_level = 2;
    s->keep_days = SETTINGS_DEFAULT_KEEP_DAYS;
}

bool settings_hash_well_formed(const char *s)
{
    if (!s || s[0] != '$')
        return false;
    size_t i = 1;
    while (i < 9 && (islower((unsigned char)s[i]) || isdigit((unsigned char)s[i])))
        i++;
    /* "$6$...", "$y$...", "$2b$...", and Sun's "$md5,rounds=...". */
    if (i == 1 || (s[i] != '$' && s[i] != ','))
        return false;
    size_t rest = 0;
    for (i++; s[i]; i++, rest++) {
        unsigned char ch = (unsigned char)s[i];
        if (!isalnum(ch) && !strchr("./$=,", ch))
            return false;
        if (i >= 512)
            return false;
    }
    /* No method makes hashes shorter than a salt and a few characters. */
    return rest >= 8;
}

/* ---- typed values -------------------------------------------------------- */

/* One-line text: NULL when absent or reported. */
static const char *get_line(YCtx *c, const YNode *map, const char *key)
{
    const char *s = yt_text(c, map, key, false, "");
    if (s && strchr(s, '\n')) {
        yt_err(c, yt_get(map, key), "'%s' is more than one line (expected one line)", key);
        return NULL;
    }
    return s;
}

/* A path made absolute: relative ones are taken relative to the settings
 * file's directory, which is where a person writing "slides/my.yaml" looks
 * from (not the service's working directory, '/'). It need not exist yet
 * (the sign-ups file is created later), so nothing is looked up; an empty
 * path, a '~' or one too long is a hard error. Compare deckload.c's
 * get_existing_file(). */
static const char *get_absolute_path(YCtx *c, const YNode *map, const char *key)
{
    const char *rel = get_line(c, map, key);
    if (!rel)
        return NULL;
    const YNode *v = yt_get(map, key);
    if (!rel[0]) {
        yt_err(c, v, "'%s' is empty (expected a path such as /etc/kiosk/...)", key);
        return NULL;
    }
    if (rel[0] == '~') {
        yt_err(c, v,
               "'%s' starts with '~' (expected a full path such as /home/pi/...: '~' is "
               "not expanded here)",
               key);
        return NULL;
    }
    if (rel[0] == '/')
        return rel;
    size_t need = strlen(c->dir) + 1 + strlen(rel) + 1;
    if (need > SETTINGS_MAX_TEXT_BYTES) {
        yt_err(c, v, "'%s' is too long once joined to %s (expected at most %d characters)", key,
               c->dir, SETTINGS_MAX_TEXT_BYTES - 1);
        return NULL;
    }
    char *out = arena_alloc(c->arena, need);
    if (out)
        snprintf(out, need, "%s%s%s", c->dir, strcmp(c->dir, "/") == 0 ? "" : "/", rel);
    return out;
}

/* A whole number among allowed values (or, with allowed NULL, min..max). */
static bool get_int(YCtx *c, const YNode *map, const char *key, long min, long max,
                    const long *allowed, size_t n_allowed, const char *expected, int *out)
{
    const YNode *v = yt_get(map, key);
    if (!v || yt_is_null(v))
        return false;
    if (v->type != YN_SCALAR) {
        yt_err(c, v, "'%s' is %s (expected %s)", key, yt_describe(v), expected);
        return false;
    }
    char *end = NULL;
    errno = 0;
    long n = strtol(v->str, &end, 10);
    if (v->len == 0 || errno || *end != '\0' || isspace((unsigned char)v->str[0])) {
        yt_err(c, v, "'%s' is '%s' (expected %s)", key, v->str, expected);
        return false;
    }
    bool ok = n >= min && n <= max;
    if (allowed) {
        ok = false;
        for (size_t i = 0; i < n_allowed; i++)
            ok = ok || n == allowed[i];
    }
    if (!ok) {
        yt_err(c, v, "'%s' is %ld (expected %s)", key, n, expected);
        return false;
    }
    *out = (int)n;
    return true;
}

/* "H:MM" or "HH:MM", 24-hour, to minutes after midnight; -1 if not. */
static int parse_hhmm(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || n > 5 || s[n - 3] != ':')
        return -1;
    for (size_t i = 0; i < n; i++)
        if (i != n - 3 && !isdigit((unsigned char)s[i]))
            return -1;
    /* Only digits and the ':' are left, so atoi cannot fail. */
    int h = atoi(s), m = atoi(s + n - 2); /* NOLINT(cert-err34-c) */
    if (h > 23 || m > 59)
        return -1;
    return h * 60 + m;
}

static const char hhmm_expected[] = "expected a time of day as \"HH:MM\", 24-hour, such as "
                                    "\"20:00\"";

/* A time of the sleep window; -1 when missing or reported. */
static int get_time(YCtx *c, const YNode *map, const YNode *map_key, const char *key)
{
    const YNode *v = yt_get(map, key);
    if (!v || yt_is_null(v)) {
        yt_err(c, v ? v : map_key,
               "'sleep' has no '%s' (expected both 'from' and 'to', such "
               "as from: \"20:00\" and to: \"07:00\")",
               key);
        return -1;
    }
    if (v->type != YN_SCALAR) {
        yt_err(c, v, "'%s' is %s (%s)", key, yt_describe(v), hhmm_expected);
        return -1;
    }
    int min = parse_hhmm(v->str);
    if (min < 0)
        yt_err(c, v, "'%s' is '%.40s' (%s)", key, v->str, hhmm_expected);
    return min;
}

/* ---- sections ------------------------------------------------------------ */

static void load_timeouts(YCtx *c, Settings *s, const YNode *root)
{
    const YNode *t = yt_map(c, root, "timeouts");
    if (!t)
        return;
    static const char *const keys[] = {"inactivity", "form_inactivity", "thanks", NULL};
    yt_check_keys(c, t, keys, "the timeouts");
    /* The deck's own limits: a screen can shorten or lengthen, not break. */
    yt_seconds(c, t, "inactivity", 10, 3600, &s->inactivity_ms);
    yt_seconds(c, t, "form_inactivity", 15, 600, &s->form_inactivity_ms);
    yt_seconds(c, t, "thanks", 2, 60, &s->thanks_ms);
}

static void load_sleep(YCtx *c, Settings *s, const YNode *root)
{
    const YNode *m = yt_map(c, root, "sleep");
    if (!m)
        return;
    static const char *const keys[] = {"from", "to", NULL};
    yt_check_keys(c, m, keys, "the sleep times");
    const YNode *key = yt_key(root, "sleep");
    int from = get_time(c, m, key, "from");
    int to = get_time(c, m, key, "to");
    if (from < 0 || to < 0)
        return;
    if (from == to) {
        yt_err(c, yt_get(m, "to"),
               "'sleep' starts and ends at %02d:%02d (expected different "
               "times; leave 'sleep' out to keep the screen on)",
               from / 60, from % 60);
        return;
    }
    s->sleep_enabled = true;
    s->sleep_from_min = from;
    s->sleep_to_min = to;
}

static void load_renderer(YCtx *c, Settings *s, const YNode *root)
{
    const char *r = get_line(c, root, "renderer");
    if (!r)
        return;
    /* SDL's driver names are short words; anything else is a typo. */
    bool ok = r[0] && strlen(r) <= 32;
    for (const char *p = r; *p; p++)
        ok = ok && (isalnum((unsigned char)*p) || *p == '_' || *p == '-');
    if (!ok) {
        yt_err(c, yt_get(root, "renderer"),
               "'renderer' is '%.40s' (expected auto, software, "
               "opengles2, opengl or another SDL render driver "
               "name)",
               r);
        return;
    }
    s->renderer = r;
}

static void load_kiosk_id(YCtx *c, Settings *s, const YNode *root)
{
    const char *id = get_line(c, root, "kiosk_id");
    if (!id)
        return;
    const YNode *v = yt_get(root, "kiosk_id");
    if (!id[0])
        yt_err(c, v,
               "'kiosk_id' is empty (expected a name for this screen, such as "
               "waiting-room-1)");
    else if (util_utf8_count(id) > SETTINGS_MAX_ID_CHARS)
        yt_err(c, v, "'kiosk_id' is %zu characters long (expected at most %d)", util_utf8_count(id),
               SETTINGS_MAX_ID_CHARS);
    else
        s->kiosk_id = id;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* The value is never repeated in a message: it may be a PIN in clear, and
 * messages end up in the journal. */
static void load_staff_pin(YCtx *c, Settings *s, const YNode *root, FilePerm perm)
{
    const char *h = get_line(c, root, "staff_pin");
    if (!h || !h[0])
        return; /* "" too: no PIN set */
    const YNode *v = yt_get(root, "staff_pin");
    if (all_digits(h)) {
        yt_err(c, v,
               "'staff_pin' is a PIN in clear (expected the PIN's hash, never the PIN: "
               "remove this line and run kiosk --set-pin)");
        return;
    }
    if (!settings_hash_well_formed(h)) {
        yt_err(c, v,
               "'staff_pin' is not a PIN hash (expected a crypt(3) hash such as "
               "\"$y$...\": run kiosk --set-pin to write one)");
        return;
    }
    if (perm == PERM_WORLD_READABLE)
        yt_warn(c, v,
                "every user can read this file, and a 4-8 digit PIN is quickly found "
                "from its hash (expected it private: sudo chmod o-rwx %s)",
                c->file);
    s->staff_pin = h;
}

/* ---- delivery ------------------------------------------------------------ */

/* The host of scheme://[user@]host[:port][/...], into host; false when url
 * has no "://" or no host. */
static bool url_host(const char *url, char *host, size_t cap)
{
    const char *p = strstr(url, "://");
    if (!p || !cap)
        return false;
    p += 3;
    const char *end = p + strcspn(p, "/?#");
    const char *at = memchr(p, '@', (size_t)(end - p));
    if (at)
        p = at + 1;
    const char *colon = *p == '[' ? memchr(p, ']', (size_t)(end - p)) : NULL;
    if (colon)
        end = colon + 1;
    else if ((colon = memchr(p, ':', (size_t)(end - p))))
        end = colon;
    size_t n = (size_t)(end - p);
    if (n == 0 || n >= cap)
        return false;
    memcpy(host, p, n);
    host[n] = '\0';
    return true;
}

bool settings_url_loopback(const char *url)
{
    char host[256];
    if (!url || !url_host(url, host, sizeof host))
        return false;
    return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
           strcmp(host, "[::1]") == 0;
}

/* An address as the kiosk sends it: one "local@domain", no spaces, no
 * display name, nothing a header could be split on. */
static bool address_ok(const char *a)
{
    const char *at = strchr(a, '@');
    if (!at || at == a || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.'))
        return false;
    for (const char *p = a; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("<>,;\"()[]\\", *p) || (unsigned char)*p == 0x7f)
            return false;
    return true;
}

static const char *get_address(YCtx *c, const YNode *m, const char *key)
{
    const char *a = get_line(c, m, key);
    const YNode *v = yt_get(m, key);
    if (!v) {
        yt_err(c, m, "'email' has no '%s' (expected an address such as frontdesk@clinic.example)",
               key);
        return NULL;
    }
    if (a && !address_ok(a)) {
        yt_err(c, v, "'%s' is '%.80s' (expected one address such as frontdesk@clinic.example)", key,
               a);
        return NULL;
    }
    return a;
}

/* A URL with one of the schemes given; plain text ones (plain: the scheme
 * that sends in the clear) only with insecure and a loopback host. */
static const char *get_url(YCtx *c, const YNode *m, const char *key, const char *const *schemes,
                           const char *plain, bool insecure, const char *expected)
{
    const char *u = get_line(c, m, key);
    const YNode *v = yt_get(m, key);
    if (!u)
        return NULL;
    bool scheme_ok = false;
    for (size_t i = 0; schemes[i]; i++)
        scheme_ok = scheme_ok || strncmp(u, schemes[i], strlen(schemes[i])) == 0;
    char host[256];
    if (!scheme_ok || !url_host(u, host, sizeof host) || strpbrk(u, " \t")) {
        /* Not repeated when it may hold a password (user:password@host). */
        if (strchr(u, '@')) {
            yt_err(c, v, "'%s' is not a server address (expected %s)", key, expected);
            return NULL;
        }
        yt_err(c, v, "'%s' is '%.120s' (expected %s)", key, u, expected);
        return NULL;
    }
    /* A password in the URL would end up in every message that names the
     * server; secrets live in files (deliver.h). The value is not repeated. */
    const char *auth = strstr(u, "://") + 3;
    const char *at = strchr(auth, '@');
    if (at && at < auth + strcspn(auth, "/?#")) {
        yt_err(c, v,
               "'%s' has a user or password in it (expected the server only; the login goes "
               "in 'user' and 'password_file' or 'token_file')",
               key);
        return NULL;
    }
    if (plain && strncmp(u, plain, strlen(plain)) == 0 && !insecure) {
        yt_err(c, v,
               "'%s' sends sign-ups unencrypted (expected %s; plain text only with "
               "'insecure: true', for tests on this machine)",
               key, expected);
        return NULL;
    }
    if (insecure && !settings_url_loopback(u)) {
        yt_err(c, yt_get(m, "insecure"),
               "'insecure: true' with a server that is not on this machine (expected "
               "insecure only for tests on localhost or 127.0.0.1)");
        return NULL;
    }
    return u;
}

static void load_email(YCtx *c, Settings *s, const YNode *d)
{
    const YNode *m = yt_map(c, d, "email");
    if (!m)
        return;
    static const char *const keys[] = {"to",      "from",     "smtp", "user", "password_file",
                                       "ca_file", "insecure", NULL};
    yt_check_keys(c, m, keys, "the email delivery");
    SettingsEmail *e = &s->email;
    yt_bool(c, m, "insecure", &e->insecure);
    e->to = get_address(c, m, "to");
    e->from = get_address(c, m, "from");
    static const char *const schemes[] = {"smtp://", "smtps://", NULL};
    e->smtp = get_url(c, m, "smtp", schemes, NULL, e->insecure,
                      "smtp://HOST:587 (STARTTLS) or smtps://HOST:465");
    if (!yt_get(m, "smtp"))
        yt_err(c, m,
               "'email' has no 'smtp' (expected the mail server, such as "
               "smtp://mail.clinic.example:587)");
    e->user = get_line(c, m, "user");
    e->password_file = get_absolute_path(c, m, "password_file");
    e->ca_file = get_absolute_path(c, m, "ca_file");
    if ((e->user != NULL) != (e->password_file != NULL))
        yt_err(c, m, "'email' has %s (expected both 'user' and 'password_file', or neither)",
               e->user ? "a 'user' but no 'password_file'" : "a 'password_file' but no 'user'");
}

static void load_webhook(YCtx *c, Settings *s, const YNode *d)
{
    const YNode *m = yt_map(c, d, "webhook");
    if (!m)
        return;
    static const char *const keys[] = {"url", "token_file", "ca_file", "insecure", NULL};
    yt_check_keys(c, m, keys, "the webhook delivery");
    SettingsWebhook *w = &s->webhook;
    yt_bool(c, m, "insecure", &w->insecure);
    static const char *const schemes[] = {"https://", "http://", NULL};
    w->url = get_url(c, m, "url", schemes, "http://", w->insecure,
                     "an https:// address such as https://crm.example/hooks/kiosk");
    if (!yt_get(m, "url"))
        yt_err(c, m, "'webhook' has no 'url' (expected an https:// address)");
    w->token_file = get_absolute_path(c, m, "token_file");
    w->ca_file = get_absolute_path(c, m, "ca_file");
}

static void load_delivery(YCtx *c, Settings *s, const YNode *root)
{
    const YNode *d = yt_map(c, root, "delivery");
    if (!d)
        return;
    static const char *const keys[] = {"email", "webhook", NULL};
    yt_check_keys(c, d, keys, "the delivery");
    load_email(c, s, d);
    load_webhook(c, s, d);
    /* Half a route is no route: nothing is sent from it. */
    if (!s->email.to || !s->email.from || !s->email.smtp)
        memset(&s->email, 0, sizeof s->email);
    if (!s->webhook.url)
        memset(&s->webhook, 0, sizeof s->webhook);
}

/* Nothing but blank and comment lines: all defaults, not "empty file". */
static bool only_comments(const char *text, size_t len)
{
    size_t i = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    bool line_start = true;
    for (; i < len; i++) {
        char ch = text[i];
        if (ch == '\n' || ch == '\r') {
            line_start = true;
        } else if (ch == ' ' || ch == '\t') {
            continue;
        } else if (ch == '#' && line_start) {
            while (i + 1 < len && text[i + 1] != '\n' && text[i + 1] != '\r')
                i++;
        } else {
            return false;
        }
    }
    return true;
}

static void load_root(YCtx *c, Settings *s, const YNode *root, FilePerm perm)
{
    if (yt_is_null(root))
        return;
    if (root->type != YN_MAP) {
        yt_err(c, root,
               "the top of the settings file is %s (expected 'key: value' lines such "
               "as 'rotation: 90')",
               yt_describe(root));
        return;
    }
    static const char *const keys[] = {"deck",      "kiosk_id",  "signups",    "stats",
                                       "timeouts",  "rotation",  "display",    "renderer",
                                       "staff_pin", "log_level", "export_dir", "sleep",
                                       "keep_days", "delivery",  NULL};
    yt_check_keys(c, root, keys, "the settings file");
    const char *p;
    s->deck = get_absolute_path(c, root, "deck");
    load_kiosk_id(c, s, root);
    s->signups = get_absolute_path(c, root, "signups");
    s->stats = get_absolute_path(c, root, "stats");
    if ((p = get_absolute_path(c, root, "export_dir")))
        s->export_dir = p;
    load_timeouts(c, s, root);
    static const long rotations[] = {0, 90, 180, 270};
    get_int(c, root, "rotation", 0, 0, rotations, 4, "0, 90, 180 or 270: degrees clockwise",
            &s->rotation);
    get_int(c, root, "display", 0, SETTINGS_MAX_DISPLAY, NULL, 0,
            "a display number from 0 to 15; 0 is the first", &s->display);
    get_int(c, root, "keep_days", 0, SETTINGS_MAX_KEEP_DAYS, NULL, 0,
            "days to keep sign-ups on the kiosk, 0 to 36500; 0 keeps them forever", &s->keep_days);
    load_renderer(c, s, root);
    load_staff_pin(c, s, root, perm);
    static const char *const levels[] = {"error", "warning", "info", "debug", NULL};
    s->log_level = yt_enum(c, root, "log_level", levels, s->log_level);
    load_sleep(c, s, root);
    load_delivery(c, s, root);
}

static Settings *load(const char *name, const char *text, size_t len, FilePerm perm,
                      DiagList *diags)
{
    YCtx c = yt_ctx(&settings_format, name, diags);
    Settings *s = NULL;
    if (yt_begin(&c, len, SETTINGS_MAX_BYTES) != 0)
        goto done;
    s = arena_alloc(c.arena, sizeof *s);
    if (!s) {
        diag_add(diags, DIAG_ERROR, name, 0, 0, "out of memory");
        goto done;
    }
    settings_defaults(s);
    if (!only_comments(text, len)) {
        const YNode *root = yt_build(&c, text, len);
        if (root)
            load_root(&c, s, root, perm);
        else
            c.fatal++; /* already reported */
    }
    /* Callers rely on it: NULL comes with at least one error, and any
     * error gives NULL (a half-applied settings file would turn or darken
     * the screen in ways nobody asked for). */
    if (c.fatal)
        s = NULL;
    if (s) {
        s->path = arena_strdup(c.arena, name);
        s->arena = c.arena;
        if (!s->path) {
            diag_add(diags, DIAG_ERROR, name, 0, 0, "out of memory");
            s = NULL;
        } else {
            c.arena = NULL;
        }
    }
done:
    yt_end(&c);
    return s;
}

Settings *settings_load_string(const char *name, const char *text, size_t len, DiagList *diags)
{
    return load(name, text, len, PERM_UNKNOWN, diags);
}

Settings *settings_load(const char *path, DiagList *diags)
{
    char *buf;
    size_t len;
    if (yt_read_file(path, SETTINGS_MAX_BYTES, "settings file", diags, &buf, &len) != 0)
        return NULL;
    struct stat st;
    FilePerm perm = fsx_sys.stat(path, &st) != 0  ? PERM_UNKNOWN
                    : (st.st_mode & S_IROTH) != 0 ? PERM_WORLD_READABLE
                                                  : PERM_PRIVATE;
    Settings *s = load(path, buf, len, perm, diags);
    free(buf);
    return s;
}

void settings_free(Settings *s)
{
    if (!s || !s->arena)
        return;
    Arena *a = s->arena;
    arena_free(a); /* s itself lives in the arena */
    free(a);
}

bool settings_asleep(const Settings *s, int minute_of_day)
{
    if (!s || !s->sleep_enabled)
        return false;
    int m = minute_of_day % MINUTES_PER_DAY;
    if (m < 0)
        m += MINUTES_PER_DAY;
    int from = s->sleep_from_min, to = s->sleep_to_min;
    if (from < to)
        return m >= from && m < to;
    return m >= from || m < to; /* overnight, e.g. 20:00 to 07:00 */
}

/* ---- settings_with_pin ------------------------------------------------- */

/* Does the line [p, end) start with key followed by optional blanks and a
 * ':' that ends the key (then a blank or the end of the line)? */
static bool line_has_key(const char *p, const char *end, const char *key)
{
    size_t n = strlen(key);
    if ((size_t)(end - p) < n || memcmp(p, key, n) != 0)
        return false;
    p += n;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p < end && *p == ':' && (p + 1 == end || p[1] == ' ' || p[1] == '\t');
}

typedef struct {
    size_t start, content_end, end; /* end: after the line break */
} Line;

static Line line_at(const char *text, size_t len, size_t start)
{
    Line l = {start, start, start};
    while (l.content_end < len && text[l.content_end] != '\n')
        l.content_end++;
    l.end = l.content_end < len ? l.content_end + 1 : len;
    if (l.content_end > start && text[l.content_end - 1] == '\r')
        l.content_end--;
    return l;
}

/* The offset after the indented lines from off on: a value's
 * continuation lines. */
static size_t skip_value(const char *text, size_t len, size_t off)
{
    while (off < len && (text[off] == ' ' || text[off] == '\t'))
        off = line_at(text, len, off).end;
    return off;
}

typedef struct {
    char *s;
    size_t len, cap;
    bool failed;
} Out;

static void out_add(Out *o, const char *s, size_t n)
{
    if (o->failed)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->len + n + 1)
            cap *= 2;
        char *p = realloc(o->s, cap);
        if (!p) {
            o->failed = true;
            return;
        }
        o->s = p;
        o->cap = cap;
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = '\0';
}

/* The edit below works on lines ended by "\n" (or "\r\n"), but YAML also
 * ends a line at a lone CR (old Mac files), NEL, LS and PS: it would take
 * "staff_pin: ...<CR>rotation: 90" for one line and drop the rotation, and
 * reads_back() only looks at staff_pin. Such files are refused. */
static bool only_newline_breaks(const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = 0; i < len; i++) {
        if (u[i] == '\r' && (i + 1 >= len || u[i + 1] != '\n'))
            return false;
        if (u[i] == 0xC2 && i + 1 < len && u[i + 1] == 0x85) /* NEL */
            return false;
        if (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 &&
            (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)) /* LS, PS */
            return false;
    }
    return true;
}

/* Reads the text back as the loader would: is staff_pin exactly hash? */
static bool reads_back(const char *text, size_t len, const char *hash)
{
    Arena arena = {NULL};
    DiagList diags = DIAG_LIST_INIT;
    YCtx c = yt_ctx(&settings_format, "", &diags);
    c.arena = &arena;
    const YNode *root = yt_build(&c, text, len);
    size_t keys = 0;
    for (size_t i = 0; root && root->type == YN_MAP && i + 1 < root->n; i += 2)
        keys += root->kids[i]->type == YN_SCALAR && strcmp(root->kids[i]->str, "staff_pin") == 0;
    const YNode *v = yt_get(root, "staff_pin");
    bool ok = keys == 1 && v && v->type == YN_SCALAR && strcmp(v->str, hash) == 0;
    arena_free(&c.tree);
    arena_free(&arena);
    diag_clear(&diags);
    return ok;
}

/* Where the staff_pin line goes: the offset of the first top-level
 * staff_pin line (*found set), else the line after a commented-out
 * example, else the end. bom: the bytes of a byte-order mark to skip. */
static size_t pin_line_place(const char *text, size_t len, size_t bom, bool *found)
{
    bool after_example = false;
    size_t at = len;
    *found = false;
    for (size_t off = 0; off < len;) {
        Line l = line_at(text, len, off);
        size_t from = off == 0 ? bom : off;
        if (line_has_key(text + from, text + l.content_end, "staff_pin")) {
            *found = true;
            return off;
        }
        if (!after_example && from < l.content_end && text[from] == '#') {
            const char *p = text + from + 1;
            while (p < text + l.content_end && *p == ' ')
                p++;
            if (line_has_key(p, text + l.content_end, "staff_pin")) {
                after_example = true;
                at = l.end;
            }
        }
        off = l.end;
    }
    return at;
}

char *settings_with_pin(const char *text, size_t len, const char *hash)
{
    if (!settings_hash_well_formed(hash) || (!text && len))
        return NULL;
    if (text && !only_newline_breaks(text, len))
        return NULL;
    if (!text)
        text = "";
    size_t bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    Line first = line_at(text, len, 0);
    const char *eol = first.end > first.content_end + 1 ? "\r\n" : "\n";

    bool found = false;
    size_t at = pin_line_place(text, len, bom, &found);

    char line[600]; /* a well-formed hash is at most 511 characters */
    int n = snprintf(line, sizeof line, "staff_pin: \"%s\"", hash);
    if (n < 0 || (size_t)n >= sizeof line)
        return NULL;
    Out o = {NULL, 0, 0, false};
    if (found) {
        Line l = line_at(text, len, at);
        out_add(&o, text, at == 0 ? bom : at);
        out_add(&o, line, (size_t)n);
        out_add(&o, text + l.content_end, l.end - l.content_end); /* its own line break */
        /* The old value's continuation lines go, and so does any later
         * duplicate of the key (an error in the file anyway). */
        for (size_t p = skip_value(text, len, l.end); p < len;) {
            Line k = line_at(text, len, p);
            if (line_has_key(text + p, text + k.content_end, "staff_pin")) {
                p = skip_value(text, len, k.end);
                continue;
            }
            out_add(&o, text + p, k.end - p);
            p = k.end;
        }
    } else {
        out_add(&o, text, at);
        if (at > 0 && text[at - 1] != '\n')
            out_add(&o, eol, strlen(eol));
        out_add(&o, line, (size_t)n);
        out_add(&o, eol, strlen(eol));
        out_add(&o, text + at, len - at);
    }
    if (o.failed || !o.s || !reads_back(o.s, o.len, hash)) {
        free(o.s);
        return NULL;
    }
    return o.s;
}
