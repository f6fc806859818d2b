/* pinstate: see pinstate.h. */
#include "pinstate.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsx.h"
#include "util.h"

static const char header[] =
    "# The kiosk's count of wrong staff PINs, kept so that a restart buys no\n"
    "# more guesses. Running kiosk --set-pin (a new hash) starts it afresh.\n";

int pin_state_path(const char *signups_path, char *out, size_t cap)
{
    const char *slash = signups_path ? strrchr(signups_path, '/') : NULL;
    int n = slash ? snprintf(out, cap, "%.*s/%s", (int)(slash - signups_path), signups_path,
                             PIN_STATE_FILE)
                  : snprintf(out, cap, "%s", PIN_STATE_FILE);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

uint64_t pin_state_tag(const char *hash)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a 64 offset basis and prime */
    for (const char *p = hash ? hash : ""; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ull;
    }
    return h;
}

int pin_state_format(const PinState *s, char *buf, size_t cap)
{
    int n = snprintf(buf, cap,
                     "%sfailures: %d\nlocked_until: %" PRId64 "\nstaff_pin_tag: %016" PRIx64 "\n",
                     header, s->failures, s->locked_until, s->pin_tag);
    return n >= 0 && (size_t)n < cap ? n : -1;
}

/* A plain decimal number (no sign, no spaces) up to max. */
static bool parse_decimal(const char *v, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t x = 0;
    if (n == 0 || n > 19)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return false;
        x = x * 10 + (uint64_t)(v[i] - '0');
    }
    if (x > max)
        return false;
    *out = x;
    return true;
}

static bool parse_hex16(const char *v, size_t n, uint64_t *out)
{
    uint64_t x = 0;
    if (n != 16)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return false;
        x = x << 4 | (uint64_t)d;
    }
    *out = x;
    return true;
}

int pin_state_parse(const char *text, size_t len, PinState *out, char *err, size_t errlen)
{
    static const char *const keys[] = {"failures", "locked_until", "staff_pin_tag"};
    enum { N_KEYS = sizeof keys / sizeof keys[0] };
    bool seen[N_KEYS] = {false};
    PinState s = {0, 0, 0};
    size_t off = 0, line = 0;
    while (off < len) {
        const char *l = text + off, *nl = memchr(l, '\n', len - off);
        size_t n = nl ? (size_t)(nl - l) : len - off;
        off += n + (nl ? 1 : 0);
        line++;
        if (n && l[n - 1] == '\r')
            n--;
        if (n == 0 || l[0] == '#')
            continue;
        const char *colon = memchr(l, ':', n);
        size_t k = 0, klen = colon ? (size_t)(colon - l) : 0;
        while (k < N_KEYS && !(strlen(keys[k]) == klen && memcmp(l, keys[k], klen) == 0))
            k++;
        if (k == N_KEYS) {
            util_format(err, errlen,
                        "%zu: expected 'failures:', 'locked_until:' or "
                        "'staff_pin_tag:'",
                        line);
            return -1;
        }
        if (seen[k]) {
            util_format(err, errlen, "%zu: '%s' a second time", line, keys[k]);
            return -1;
        }
        seen[k] = true;
        const char *v = colon + 1;
        size_t vlen = n - klen - 1;
        while (vlen && *v == ' ') {
            v++;
            vlen--;
        }
        uint64_t x = 0;
        bool ok = k == 0   ? parse_decimal(v, vlen, INT_MAX, &x)
                  : k == 1 ? parse_decimal(v, vlen, INT64_MAX, &x)
                           : parse_hex16(v, vlen, &x);
        if (!ok) {
            util_format(err, errlen, "%zu: '%s' needs %s", line, keys[k],
                        k == 2 ? "16 hex digits (0-9, a-f)" : "a whole number of 0 or more");
            return -1;
        }
        if (k == 0)
            s.failures = (int)x;
        else if (k == 1)
            s.locked_until = (int64_t)x;
        else
            s.pin_tag = x;
    }
    for (size_t k = 0; k < N_KEYS; k++)
        if (!seen[k]) {
            util_format(err, errlen, "no '%s' line", keys[k]);
            return -1;
        }
    *out = s;
    return 0;
}

int pin_state_load(const char *path, PinState *out, char *err, size_t errlen)
{
    char why[1024];
    memset(out, 0, sizeof *out);
    /* Never through a symbolic link, nor a file of another user: a count
     * planted there must not decide who may try a PIN. */
    int fd = fsx_open_owned(path, O_RDONLY, 0, "the wrong-PIN count", why, sizeof why);
    if (fd < 0) {
        if (!why[0] && errno == ENOENT)
            return 1;
        if (!why[0])
            util_format(why, sizeof why, "%s: cannot open: %s", path, strerror(errno));
        util_format(err, errlen, "%s", why);
        return -1;
    }
    size_t got = 0;
    char *buf = fsx_pread_all(fd, PIN_STATE_MAX_BYTES + 1, &got);
    int rc = -1;
    if (!buf)
        util_format(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    else if (got > PIN_STATE_MAX_BYTES)
        util_format(err, errlen, "%s: larger than %d bytes, so not a back-off file", path,
                    PIN_STATE_MAX_BYTES);
    else if (pin_state_parse(buf, got, out, why, sizeof why) != 0)
        /* path:LINE: message, or path: message for the whole file. */
        util_format(err, errlen, "%s:%s%s", path, why[0] >= '0' && why[0] <= '9' ? "" : " ", why);
    else
        rc = 0;
    free(buf);
    fsx_sys.close(fd);
    return rc;
}

int pin_state_keep(const char *path, const char *hash, const PinGuard *g, uint64_t now_ms,
                   int64_t now_s, char *err, size_t errlen)
{
    PinState s = {g->failures, pin_guard_deadline_s(g, now_ms, now_s), pin_state_tag(hash)};
    char text[PIN_STATE_MAX_BYTES], tmp[PATH_MAX];
    int len = pin_state_format(&s, text, sizeof text);
    if (len < 0 || snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        util_format(err, errlen, "%s: the path is too long", path);
        return -1;
    }
    /* Left by a crash; it never holds anything the file lacks. fsx_replace
     * then creates it O_EXCL, so a link planted there is not followed. */
    (void)fsx_sys.unlink(tmp);
    int step = fsx_replace(path, tmp, text, (size_t)len, 0600);
    if (step == 0)
        return 0;
    util_format(err, errlen, "%s: cannot %s: %s", step <= FSX_STEP_CLOSE ? tmp : path,
                step == FSX_STEP_CREATE     ? "create"
                : step == FSX_STEP_RENAME   ? "replace it"
                : step == FSX_STEP_SYNC_DIR ? "sync its folder"
                                            : "write",
                strerror(errno));
    return -1;
}

PinGuard pin_state_restore(const char *path, const char *hash, uint64_t now_ms, int64_t now_s,
                           char *note, size_t cap)
{
    PinState s;
    char why[512];
    if (cap)
        note[0] = '\0';
    int rc = pin_state_load(path, &s, why, sizeof why);
    if (rc == 1)
        return (PinGuard){0, 0};
    if (rc != 0) {
        PinGuard g = pin_guard_restore(PIN_FREE_ATTEMPTS, INT64_MAX, now_s, now_ms);
        util_format(note, cap, "%s; counted as %d wrong staff PINs (a %d s lockout)", why,
                    PIN_FREE_ATTEMPTS, pin_guard_wait_s(&g, now_ms));
        return g;
    }
    if (s.pin_tag != pin_state_tag(hash)) {
        if (s.failures > 0)
            util_format(note, cap,
                        "%s: %d wrong PIN(s) were counted against another staff PIN; the new "
                        "one starts afresh",
                        path, s.failures);
        return (PinGuard){0, 0};
    }
    PinGuard g = pin_guard_restore(s.failures, s.locked_until, now_s, now_ms);
    if (pin_guard_locked(&g, now_ms))
        util_format(note, cap,
                    "%d wrong staff PIN(s) since the last right one (%s): locked for %d s",
                    g.failures, path, pin_guard_wait_s(&g, now_ms));
    else if (g.failures > 0)
        util_format(note, cap, "%d wrong staff PIN(s) since the last right one (%s)", g.failures,
                    path);
    return g;
}
