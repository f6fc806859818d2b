/* Tests of the settings loader: a table of files and the exact diagnostics
 * each gives (file:line:col and message), the values a good file loads to,
 * relative paths, the sleep window, and settings_with_pin's edits.
 *
 * Files are loaded from memory as "t.yaml" unless a case needs a real file
 * (permissions, the packaged kiosk.yaml). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "settings.h"

/* A well-formed hash (SHA-512 crypt of "1234"); these tests never verify it. */
#define HASH                                                                                       \
    "$6$kioskSalt$"                                                                                \
    "Qm5G0ZJ0o8iV0E0Ck1y9kq2cD4m7k9m1oY9Zr2n8K5u8S0xk6Yp3t2QWe1fVb3x0Yk1mN2pQ3rS4tU5vW6xY7z"
#define NEW_HASH "$y$j9T$F5Jx5fExrKuJdvfNqgmGU.$Ww0uNj1Bd3kdSc9aYfqWfXuzwWydWL2nLSEbTo8tJb3"

/* ---- helpers ----------------------------------------------------------- */

/* All diagnostics, formatted, one per line without a final newline. */
static char *joined(const DiagList *diags)
{
    size_t cap = 1, used = 0;
    char line[2048];
    for (size_t i = 0; i < diags->count; i++)
        cap += (size_t)diag_format(&diags->items[i], line, sizeof line) + 1;
    char *out = malloc(cap);
    if (!out)
        abort();
    out[0] = '\0';
    for (size_t i = 0; i < diags->count; i++) {
        diag_format(&diags->items[i], line, sizeof line);
        used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? "\n" : "", line);
    }
    return out;
}

/* Loads text as name and compares every diagnostic with want; returns the
 * settings (or NULL) for further checks. */
static Settings *expect_as(const char *case_name, const char *name, const char *text, size_t len,
                           bool loads, const char *want)
{
    DiagList diags = DIAG_LIST_INIT;
    Settings *s = settings_load_string(name, text, len, &diags);
    char *got = joined(&diags);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "FAIL %s: diagnostics\n--- got:\n%s\n--- expected:\n%s\n---\n", case_name,
                got, want);
        check_failures++;
    }
    if ((s != NULL) != loads) {
        fprintf(stderr, "FAIL %s: settings are %s, expected %s\n", case_name,
                s ? "returned" : "NULL", loads ? "settings" : "NULL");
        check_failures++;
    }
    if (!s && diag_count(&diags, DIAG_ERROR) == 0) {
        fprintf(stderr, "FAIL %s: NULL without an error\n", case_name);
        check_failures++;
    }
    free(got);
    diag_clear(&diags);
    return s;
}

static Settings *expect(const char *case_name, const char *text, bool loads, const char *want)
{
    return expect_as(case_name, "t.yaml", text, strlen(text), loads, want);
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* ---- the table: each file and everything it must say ------------------- */

typedef struct {
    const char *name;
    const char *text;
    bool loads;
    const char *want; /* every diagnostic, "\n"-separated */
} Case;

#define EXPECT_SECONDS(key, lo, hi) "(expected a number of seconds from " #lo " to " #hi ")"
#define HHMM "(expected a time of day as \"HH:MM\", 24-hour, such as \"20:00\")"

static const Case cases[] = {
    /* Nothing set: every default, no word said. */
    {"empty", "", true, ""},
    {"comments only", "# nothing here\n\n   # indented comment\n#rotation: 90\n", true, ""},
    {"comments only, CRLF, BOM", "\xEF\xBB\xBF# hi\r\n\r\n", true, ""},
    {"null document", "~\n", true, ""},
    {"bare document marker", "---\n", true, ""},
    {"null values are defaults", "deck:\nrotation: ~\ntimeouts:\nsleep:\n", true, ""},

    /* rotation */
    {"rotation 45", "rotation: 45\n", false,
     "t.yaml:1:11: error: 'rotation' is 45 (expected 0, 90, 180 or 270: degrees clockwise)"},
    {"rotation -90", "rotation: -90\n", false,
     "t.yaml:1:11: error: 'rotation' is -90 (expected 0, 90, 180 or 270: degrees clockwise)"},
    {"rotation 90.0", "rotation: 90.0\n", false,
     "t.yaml:1:11: error: 'rotation' is '90.0' (expected 0, 90, 180 or 270: degrees "
     "clockwise)"},
    {"rotation word", "rotation: left\n", false,
     "t.yaml:1:11: error: 'rotation' is 'left' (expected 0, 90, 180 or 270: degrees "
     "clockwise)"},
    {"rotation list", "rotation: [90]\n", false,
     "t.yaml:1:11: error: 'rotation' is a list (expected 0, 90, 180 or 270: degrees "
     "clockwise)"},
    {"rotation huge", "rotation: 99999999999999999999\n", false,
     "t.yaml:1:11: error: 'rotation' is '99999999999999999999' (expected 0, 90, 180 or 270: "
     "degrees clockwise)"},

    /* keep_days */
    {"keep_days 0 keeps forever", "keep_days: 0\n", true, ""},
    {"keep_days -1", "keep_days: -1\n", false,
     "t.yaml:1:12: error: 'keep_days' is -1 (expected days to keep sign-ups on the kiosk, 0 to "
     "36500; 0 keeps them forever)"},
    {"keep_days a season", "keep_days: three months\n", false,
     "t.yaml:1:12: error: 'keep_days' is 'three months' (expected days to keep sign-ups on the "
     "kiosk, 0 to 36500; 0 keeps them forever)"},

    /* display */
    {"display -1", "display: -1\n", false,
     "t.yaml:1:10: error: 'display' is -1 (expected a display number from 0 to 15; 0 is the "
     "first)"},
    {"display 16", "display: 16\n", false,
     "t.yaml:1:10: error: 'display' is 16 (expected a display number from 0 to 15; 0 is the "
     "first)"},
    {"display 1.5", "display: 1.5\n", false,
     "t.yaml:1:10: error: 'display' is '1.5' (expected a display number from 0 to 15; 0 is "
     "the first)"},
    {"display mapping", "display:\n  card: 1\n", false,
     "t.yaml:2:3: error: 'display' is a mapping (expected a display number from 0 to 15; 0 "
     "is the first)"},

    /* log_level */
    {"log_level loud", "log_level: loud\n", false,
     "t.yaml:1:12: error: 'log_level' is 'loud' (expected one of: error, warning, info, "
     "debug)"},
    {"log_level number", "log_level: 3\n", false,
     "t.yaml:1:12: error: 'log_level' is '3' (expected one of: error, warning, info, debug)"},

    /* timeouts: every problem, not just the first */
    {"timeouts out of range", "timeouts:\n  inactivity: 5\n  form_inactivity: 601\n  thanks: 61\n",
     false,
     "t.yaml:2:15: error: 'inactivity' is 5 " EXPECT_SECONDS(
         inactivity, 10,
         3600) "\n"
               "t.yaml:3:20: error: 'form_inactivity' is 601 " EXPECT_SECONDS(
                   form_inactivity, 15,
                   600) "\n"
                        "t.yaml:4:11: error: 'thanks' is 61 " EXPECT_SECONDS(thanks, 2, 60)},
    {"timeouts just outside the other end",
     "timeouts:\n  inactivity: 3601\n  form_inactivity: 14.9\n  thanks: 1\n", false,
     "t.yaml:2:15: error: 'inactivity' is 3601 " EXPECT_SECONDS(
         inactivity, 10, 3600) "\n"
                               "t.yaml:3:20: error: 'form_inactivity' is 14.9 " EXPECT_SECONDS(
                                   form_inactivity, 15,
                                   600) "\n"
                                        "t.yaml:4:11: error: 'thanks' is 1 " EXPECT_SECONDS(thanks,
                                                                                            2, 60)},
    {"timeouts word", "timeouts:\n  thanks: long\n", false,
     "t.yaml:2:11: error: 'thanks' is 'long' " EXPECT_SECONDS(thanks, 2, 60)},
    {"timeouts not a mapping", "timeouts: 60\n", false,
     "t.yaml:1:11: error: 'timeouts' is '60' (expected a mapping of 'key: value' lines "
     "indented below it)"},

    /* sleep */
    {"sleep 25:00", "sleep:\n  from: \"25:00\"\n  to: \"07:00\"\n", false,
     "t.yaml:2:9: error: 'from' is '25:00' " HHMM},
    {"sleep bad minutes and form", "sleep:\n  from: \"7:60\"\n  to: \"2000\"\n", false,
     "t.yaml:2:9: error: 'from' is '7:60' " HHMM "\n"
     "t.yaml:3:7: error: 'to' is '2000' " HHMM},
    {"sleep one digit minutes", "sleep:\n  from: \"20:0\"\n  to: \"20:00:00\"\n", false,
     "t.yaml:2:9: error: 'from' is '20:0' " HHMM "\n"
     "t.yaml:3:7: error: 'to' is '20:00:00' " HHMM},
    {"sleep from == to", "sleep:\n  from: \"20:00\"\n  to: \"20:00\"\n", false,
     "t.yaml:3:7: error: 'sleep' starts and ends at 20:00 (expected different times; leave "
     "'sleep' out to keep the screen on)"},
    {"sleep equal in other spelling", "sleep:\n  from: 7:05\n  to: \"07:05\"\n", false,
     "t.yaml:3:7: error: 'sleep' starts and ends at 07:05 (expected different times; leave "
     "'sleep' out to keep the screen on)"},
    {"sleep without to", "sleep:\n  from: \"20:00\"\n", false,
     "t.yaml:1:1: error: 'sleep' has no 'to' (expected both 'from' and 'to', such as from: "
     "\"20:00\" and to: \"07:00\")"},
    {"sleep list time", "sleep:\n  from: [20, 0]\n  to: \"07:00\"\n", false,
     "t.yaml:2:9: error: 'from' is a list " HHMM},
    {"sleep typo", "sleep:\n  form: \"20:00\"\n  to: \"07:00\"\n", false,
     "t.yaml:2:3: error: unknown key 'form' in the sleep times (did you mean 'from'?)\n"
     "t.yaml:1:1: error: 'sleep' has no 'from' (expected both 'from' and 'to', such as from: "
     "\"20:00\" and to: \"07:00\")"},
    {"sleep as a word", "sleep: off\n", false,
     "t.yaml:1:8: error: 'sleep' is 'off' (expected a mapping of 'key: value' lines indented "
     "below it)"},

    /* unknown keys */
    {"rotaion", "rotaion: 90\n", false,
     "t.yaml:1:1: error: unknown key 'rotaion' in the settings file (did you mean "
     "'rotation'?)"},
    {"timeout typo", "timeouts:\n  inactivty: 30\n", false,
     "t.yaml:2:3: error: unknown key 'inactivty' in the timeouts (did you mean "
     "'inactivity'?)"},
    {"unknown key, no near miss", "colour: red\n", false,
     "t.yaml:1:1: error: unknown key 'colour' in the settings file (expected one of: deck, "
     "kiosk_id, signups, stats, timeouts, rotation, display, renderer, staff_pin, log_level, "
     "export_dir, sleep, keep_days, delivery)"},
    {"duplicate key", "rotation: 90\nrotation: 180\n", false,
     "t.yaml:2:1: error: 'rotation' appears twice in the settings file (expected each key "
     "once; the first is at line 1)"},

    /* staff_pin: never a PIN in clear, and never repeated in a message */
    {"cleartext PIN", "staff_pin: 1234\n", false,
     "t.yaml:1:12: error: 'staff_pin' is a PIN in clear (expected the PIN's hash, never the "
     "PIN: remove this line and run kiosk --set-pin)"},
    {"cleartext PIN quoted", "staff_pin: \"00123456\"\n", false,
     "t.yaml:1:12: error: 'staff_pin' is a PIN in clear (expected the PIN's hash, never the "
     "PIN: remove this line and run kiosk --set-pin)"},
    {"staff_pin not a hash", "staff_pin: hunter2\n", false,
     "t.yaml:1:12: error: 'staff_pin' is not a PIN hash (expected a crypt(3) hash such as "
     "\"$y$...\": run kiosk --set-pin to write one)"},
    {"staff_pin short hash", "staff_pin: \"$6$abc\"\n", false,
     "t.yaml:1:12: error: 'staff_pin' is not a PIN hash (expected a crypt(3) hash such as "
     "\"$y$...\": run kiosk --set-pin to write one)"},
    {"staff_pin with a space", "staff_pin: \"$6$abcdefgh$ijkl mnop\"\n", false,
     "t.yaml:1:12: error: 'staff_pin' is not a PIN hash (expected a crypt(3) hash such as "
     "\"$y$...\": run kiosk --set-pin to write one)"},
    {"staff_pin empty means none", "staff_pin: \"\"\n", true, ""},

    /* text values */
    {"renderer empty", "renderer: \"\"\n", false,
     "t.yaml:1:11: error: 'renderer' is '' (expected auto, software, opengles2, opengl or "
     "another SDL render driver name)"},
    {"renderer with a space", "renderer: open gl\n", false,
     "t.yaml:1:11: error: 'renderer' is 'open gl' (expected auto, software, opengles2, "
     "opengl or another SDL render driver name)"},
    {"kiosk_id empty", "kiosk_id: \"\"\n", false,
     "t.yaml:1:11: error: 'kiosk_id' is empty (expected a name for this screen, such as "
     "waiting-room-1)"},
    {"kiosk_id too long",
     "kiosk_id: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", false,
     "t.yaml:1:11: error: 'kiosk_id' is 65 characters long (expected at most 64)"},
    {"kiosk_id 64 accented characters",
     "kiosk_id: éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé\n", true, ""},
    {"kiosk_id two lines", "kiosk_id: |\n  a\n  b\n", false,
     "t.yaml:1:11: error: 'kiosk_id' is more than one line (expected one line)"},
    {"deck is a list", "deck: [a.yaml, b.yaml]\n", false,
     "t.yaml:1:7: error: 'deck' is a list (expected text)"},
    {"deck empty", "deck: \"\"\n", false,
     "t.yaml:1:7: error: 'deck' is empty (expected a path such as /etc/kiosk/...)"},
    {"deck with ~", "deck: ~/slides/my.yaml\n", false,
     "t.yaml:1:7: error: 'deck' starts with '~' (expected a full path such as /home/pi/...: "
     "'~' is not expanded here)"},
    {"signups control character", "signups: \"a\\u0001b\"\n", false,
     "t.yaml:1:10: error: 'signups' contains control characters (expected plain text)"},

    /* many problems at once, in file order within each section */
    {"all problems reported",
     "rotaion: 90\nrotation: 45\ndisplay: 99\nlog_level: loud\nstaff_pin: 4321\n", false,
     "t.yaml:1:1: error: unknown key 'rotaion' in the settings file (did you mean "
     "'rotation'?)\n"
     "t.yaml:2:11: error: 'rotation' is 45 (expected 0, 90, 180 or 270: degrees clockwise)\n"
     "t.yaml:3:10: error: 'display' is 99 (expected a display number from 0 to 15; 0 is the "
     "first)\n"
     "t.yaml:5:12: error: 'staff_pin' is a PIN in clear (expected the PIN's hash, never the "
     "PIN: remove this line and run kiosk --set-pin)\n"
     "t.yaml:4:12: error: 'log_level' is 'loud' (expected one of: error, warning, info, "
     "debug)"},

    /* the shape of the file */
    {"top is a list", "- rotation: 90\n", false,
     "t.yaml:1:1: error: the top of the settings file is a list (expected 'key: value' lines "
     "such as 'rotation: 90')"},
    {"top is text", "rotation 90\n", false,
     "t.yaml:1:1: error: the top of the settings file is text (expected 'key: value' lines "
     "such as 'rotation: 90')"},
    {"too deep", "timeouts:\n  inactivity:\n    a:\n      b:\n        c: 1\n", false,
     "t.yaml:5:9: error: nested too deeply (the limit is 4 levels; a settings file needs at "
     "most 3)"},
    {"syntax error", "rotation: 90\n  display: 1\n", false,
     "t.yaml:2:10: error: YAML syntax: unexpected ':' (expected text that contains ': ' in "
     "quotes, or this key lined up with the keys above it)"},
    {"tab", "rotation: 90\n\tdisplay: 1\n", false,
     "t.yaml:2:1: error: YAML syntax: a tab character here (expected spaces: YAML does not "
     "allow tabs for indenting)"},
    /* delivery: addresses, URLs, TLS unless on loopback and said so */
    {"delivery ok",
     "delivery:\n  email:\n    to: desk@clinic.example\n    from: kiosk@clinic.example\n"
     "    smtp: smtp://mail.clinic.example:587\n    user: kiosk\n"
     "    password_file: /etc/kiosk/smtp-password\n"
     "  webhook:\n    url: https://crm.example/hooks/kiosk\n"
     "    token_file: /etc/kiosk/webhook-token\n",
     true, ""},
    {"delivery: bad address",
     "delivery:\n  email:\n    to: Front Desk <desk@clinic.example>\n    from: k@c.example\n"
     "    smtp: smtps://mail.c.example\n",
     false,
     "t.yaml:3:9: error: 'to' is 'Front Desk <desk@clinic.example>' (expected one address such "
     "as frontdesk@clinic.example)"},
    {"delivery: no smtp", "delivery:\n  email:\n    to: a@b.example\n    from: k@b.example\n",
     false,
     "t.yaml:3:5: error: 'email' has no 'smtp' (expected the mail server, such as "
     "smtp://mail.clinic.example:587)"},
    {"delivery: smtp scheme",
     "delivery:\n  email:\n    to: a@b.example\n    from: k@b.example\n"
     "    smtp: mail.b.example:25\n",
     false,
     "t.yaml:5:11: error: 'smtp' is 'mail.b.example:25' (expected smtp://HOST:587 (STARTTLS) or "
     "smtps://HOST:465)"},
    {"delivery: user without password",
     "delivery:\n  email:\n    to: a@b.example\n    from: k@b.example\n"
     "    smtp: smtp://m.b.example\n    user: kiosk\n",
     false,
     "t.yaml:3:5: error: 'email' has a 'user' but no 'password_file' (expected both 'user' and "
     "'password_file', or neither)"},
    {"delivery: http webhook", "delivery:\n  webhook:\n    url: http://crm.example/hook\n", false,
     "t.yaml:3:10: error: 'url' sends sign-ups unencrypted (expected an https:// address such as "
     "https://crm.example/hooks/kiosk; plain text only with 'insecure: true', for tests on this "
     "machine)"},
    {"delivery: http webhook on loopback",
     "delivery:\n  webhook:\n    url: http://127.0.0.1:25001/hook\n    insecure: true\n", true, ""},
    {"delivery: insecure far away",
     "delivery:\n  email:\n    to: a@b.example\n    from: k@b.example\n"
     "    smtp: smtp://mail.b.example\n    insecure: true\n",
     false,
     "t.yaml:6:15: error: 'insecure: true' with a server that is not on this machine (expected "
     "insecure only for tests on localhost or 127.0.0.1)"},
    {"delivery: password in the URL",
     "delivery:\n  webhook:\n    url: https://bob:hunter2@crm.example/hook\n", false,
     "t.yaml:3:10: error: 'url' has a user or password in it (expected the server only; the "
     "login goes in 'user' and 'password_file' or 'token_file')"},
    {"delivery typo", "delivery:\n  emial:\n    to: a@b.example\n", false,
     "t.yaml:2:3: error: unknown key 'emial' in the delivery (did you mean 'email'?)"},
    {"alias", "export_dir: &d /media\nsignups: *d\n", false,
     "t.yaml:2:10: error: aliases ('*d') are not supported in settings files (expected the "
     "value written out in full)"},
};

static void test_table(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        settings_free(expect(cases[i].name, cases[i].text, cases[i].loads, cases[i].want));
}

/* ---- values --------------------------------------------------------------- */

static void check_defaults(const Settings *s)
{
    CHECK(s->deck == NULL);
    CHECK(s->kiosk_id == NULL);
    CHECK(s->signups == NULL);
    CHECK(s->stats == NULL);
    CHECK_STR(s->renderer, "auto");
    CHECK(s->staff_pin == NULL);
    CHECK_STR(s->export_dir, "/media");
    CHECK_INT(s->inactivity_ms, -1);
    CHECK_INT(s->form_inactivity_ms, -1);
    CHECK_INT(s->thanks_ms, -1);
    CHECK_INT(s->rotation, 0);
    CHECK_INT(s->display, 0);
    CHECK_INT(s->log_level, 2);
    CHECK_INT(s->keep_days, 90);
    CHECK(!s->sleep_enabled);
}

static void test_defaults(void)
{
    Settings d;
    memset(&d, 0x5A, sizeof d);
    settings_defaults(&d);
    check_defaults(&d);
    CHECK(d.path == NULL);
    CHECK(d.arena == NULL);
    settings_free(&d); /* does nothing to a defaults struct */

    /* Errors already in the list (from a deck, say) are not this file's. */
    DiagList diags = DIAG_LIST_INIT;
    diag_add(&diags, DIAG_ERROR, "deck.yaml", 1, 1, "an earlier problem");
    Settings *mine = settings_load_string("t.yaml", "rotation: 90\n", 13, &diags);
    CHECK(mine != NULL);
    CHECK_INT(diags.count, 1);
    settings_free(mine);
    diag_clear(&diags);
    settings_free(NULL);

    /* A file of comments is the defaults, remembering where it came from. */
    Settings *s = expect("defaults from comments", "# nothing\n", true, "");
    if (s) {
        check_defaults(s);
        CHECK_STR(s->path, "t.yaml");
        CHECK(s->arena != NULL);
    }
    settings_free(s);
}

static const char full_file[] = "# every key\n"
                                "deck: /etc/kiosk/slides/my.yaml\n"
                                "kiosk_id: waiting-room-1\n"
                                "signups: /var/lib/kiosk/signups.csv\n"
                                "stats: /var/lib/kiosk/stats.csv\n"
                                "timeouts:\n"
                                "  inactivity: 90\n"
                                "  form_inactivity: 45.5\n"
                                "  thanks: 8\n"
                                "rotation: 270\n"
                                "display: 15\n"
                                "renderer: opengles2\n"
                                "staff_pin: \"" HASH "\"\n"
                                "log_level: debug\n"
                                "export_dir: /media/usb\n"
                                "keep_days: 30\n"
                                "sleep:\n"
                                "  from: \"20:00\"\n"
                                "  to: 7:30\n";

static void test_full_file(void)
{
    Settings *s = expect("full file", full_file, true, "");
    if (!s)
        return;
    CHECK_STR(s->deck, "/etc/kiosk/slides/my.yaml");
    CHECK_STR(s->kiosk_id, "waiting-room-1");
    CHECK_STR(s->signups, "/var/lib/kiosk/signups.csv");
    CHECK_STR(s->stats, "/var/lib/kiosk/stats.csv");
    CHECK_INT(s->inactivity_ms, 90000);
    CHECK_INT(s->form_inactivity_ms, 45500);
    CHECK_INT(s->thanks_ms, 8000);
    CHECK_INT(s->rotation, 270);
    CHECK_INT(s->display, 15);
    CHECK_STR(s->renderer, "opengles2");
    CHECK_STR(s->staff_pin, HASH);
    CHECK_INT(s->log_level, 3);
    CHECK_STR(s->export_dir, "/media/usb");
    CHECK_INT(s->keep_days, 30);
    CHECK(s->sleep_enabled);
    CHECK_INT(s->sleep_from_min, 20 * 60);
    CHECK_INT(s->sleep_to_min, 7 * 60 + 30);
    CHECK_STR(s->path, "t.yaml");
    settings_free(s);

    /* Each accepted value of the enumerations. */
    static const struct {
        const char *text;
        int rotation, log_level;
    } ok[] = {
        {"rotation: 0\nlog_level: error\n", 0, 0},
        {"rotation: 90\nlog_level: warning\n", 90, 1},
        {"rotation: \"180\"\nlog_level: info\n", 180, 2},
        {"rotation: 270\nlog_level: debug\n", 270, 3},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        s = expect(ok[i].text, ok[i].text, true, "");
        if (s) {
            CHECK_INT(s->rotation, ok[i].rotation);
            CHECK_INT(s->log_level, ok[i].log_level);
        }
        settings_free(s);
    }
    /* Limits of the ranges are inside them. */
    s = expect("range ends",
               "display: 0\ntimeouts:\n  inactivity: 10\n  form_inactivity: 600\n  thanks: 2\n",
               true, "");
    if (s) {
        CHECK_INT(s->inactivity_ms, 10000);
        CHECK_INT(s->form_inactivity_ms, 600000);
        CHECK_INT(s->thanks_ms, 2000);
    }
    settings_free(s);
    s = expect("sleep across midnight", "sleep: {from: \"23:59\", to: \"0:00\"}\n", true, "");
    if (s) {
        CHECK(s->sleep_enabled);
        CHECK_INT(s->sleep_from_min, 23 * 60 + 59);
        CHECK_INT(s->sleep_to_min, 0);
    }
    settings_free(s);
}

/* ---- relative paths ------------------------------------------------------ */

static void test_relative_paths(void)
{
    static const struct {
        const char *file, *deck, *want;
    } cases_rel[] = {
        {"/etc/kiosk/kiosk.yaml", "slides/my.yaml", "/etc/kiosk/slides/my.yaml"},
        {"/etc/kiosk/kiosk.yaml", "../other/x.yaml", "/etc/kiosk/../other/x.yaml"},
        {"/etc/kiosk/kiosk.yaml", "/srv/deck.yaml", "/srv/deck.yaml"},
        {"/kiosk.yaml", "my.yaml", "/my.yaml"},
        {"kiosk.yaml", "my.yaml", "./my.yaml"},
        {"conf/kiosk.yaml", "my.yaml", "conf/my.yaml"},
    };
    for (size_t i = 0; i < sizeof cases_rel / sizeof cases_rel[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "deck: %s\nsignups: %s\n", cases_rel[i].deck,
                 cases_rel[i].deck);
        Settings *s = expect_as(cases_rel[i].file, cases_rel[i].file, text, strlen(text), true, "");
        if (s) {
            CHECK_STR(s->deck, cases_rel[i].want);
            CHECK_STR(s->signups, cases_rel[i].want);
        }
        settings_free(s);
    }
}

/* ---- the sleep window ----------------------------------------------------- */

static void test_asleep(void)
{
    static const struct {
        int from, to, minute;
        bool want;
    } t[] = {
        /* overnight, 20:00 to 07:00 */
        {1200, 420, 1199, false},
        {1200, 420, 1200, true},
        {1200, 420, 1439, true},
        {1200, 420, 0, true},
        {1200, 420, 419, true},
        {1200, 420, 420, false},
        {1200, 420, 720, false},
        /* within a day, 12:00 to 13:00 */
        {720, 780, 719, false},
        {720, 780, 720, true},
        {720, 780, 779, true},
        {720, 780, 780, false},
        {720, 780, 0, false},
        /* up to midnight exactly, and from midnight */
        {1380, 0, 1379, false},
        {1380, 0, 1380, true},
        {1380, 0, 1439, true},
        {1380, 0, 0, false},
        {0, 60, 0, true},
        {0, 60, 59, true},
        {0, 60, 60, false},
        {0, 60, 1439, false},
        /* one minute awake a day */
        {1, 0, 0, false},
        {1, 0, 1, true},
        {1, 0, 1439, true},
        /* minutes outside a day are taken modulo a day */
        {1200, 420, 1440 + 1200, true},
        {1200, 420, -1, true},
        {1200, 420, 1440 + 600, false},
        {720, 780, -720, true},
    };
    Settings s;
    settings_defaults(&s);
    for (int m = 0; m < 1440; m++)
        CHECK(!settings_asleep(&s, m));
    CHECK(!settings_asleep(NULL, 0));
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        s.sleep_enabled = true;
        s.sleep_from_min = t[i].from;
        s.sleep_to_min = t[i].to;
        if (settings_asleep(&s, t[i].minute) != t[i].want) {
            fprintf(stderr, "FAIL asleep from %d to %d at %d: expected %s\n", t[i].from, t[i].to,
                    t[i].minute, t[i].want ? "asleep" : "awake");
            check_failures++;
        }
    }
    /* Over a whole day, asleep exactly as long as the window. */
    s.sleep_from_min = 1200;
    s.sleep_to_min = 420;
    int asleep = 0;
    for (int m = 0; m < 1440; m++)
        asleep += settings_asleep(&s, m);
    CHECK_INT(asleep, 11 * 60);
}

/* ---- settings_with_pin ------------------------------------------------------ */

#define PINLINE "staff_pin: \"" NEW_HASH "\""

static void test_with_pin(void)
{
    static const struct {
        const char *name, *in, *want; /* want NULL: refused */
    } t[] = {
        {"empty file", "", PINLINE "\n"},
        {"no pin yet", "rotation: 90\n", "rotation: 90\n" PINLINE "\n"},
        {"no final newline", "rotation: 90", "rotation: 90\n" PINLINE "\n"},
        {"replaced, comments kept",
         "# Settings\n"
         "rotation: 90   # the panel is mounted turned\n"
         "\n"
         "# The PIN:\n"
         "staff_pin: \"" HASH "\"\n"
         "# end\n"
         "display: 1\n",
         "# Settings\n"
         "rotation: 90   # the panel is mounted turned\n"
         "\n"
         "# The PIN:\n" PINLINE "\n"
         "# end\n"
         "display: 1\n"},
        {"replaced, last line without newline", "rotation: 0\nstaff_pin: 1234",
         "rotation: 0\n" PINLINE},
        {"replaced with its continuation lines", "staff_pin:\n  \"" HASH "\"\nrotation: 0\n",
         PINLINE "\nrotation: 0\n"},
        {"key with blanks before the colon", "staff_pin  : x\n", PINLINE "\n"},
        {"after a commented-out example",
         "# PIN hash, written by kiosk --set-pin:\n# staff_pin: \"$y$...\"\n\nrotation: 0\n",
         "# PIN hash, written by kiosk --set-pin:\n# staff_pin: \"$y$...\"\n" PINLINE
         "\n\nrotation: 0\n"},
        {"commented example at the end", "rotation: 0\n#staff_pin: x",
         "rotation: 0\n#staff_pin: x\n" PINLINE "\n"},
        {"CRLF kept", "rotation: 0\r\nstaff_pin: x\r\ndisplay: 1\r\n",
         "rotation: 0\r\n" PINLINE "\r\ndisplay: 1\r\n"},
        {"CRLF for an added line", "rotation: 0\r\n", "rotation: 0\r\n" PINLINE "\r\n"},
        {"BOM kept", "\xEF\xBB\xBFstaff_pin: x\n", "\xEF\xBB\xBF" PINLINE "\n"},
        {"later duplicates dropped", "staff_pin: a\nrotation: 0\nstaff_pin: b\n  c\ndisplay: 1\n",
         PINLINE "\nrotation: 0\ndisplay: 1\n"},
        {"not fooled by a longer key", "staff_pins: 1\n", "staff_pins: 1\n" PINLINE "\n"},
        {"nested key is not the setting", "timeouts:\n  staff_pin: x\n",
         "timeouts:\n  staff_pin: x\n" PINLINE "\n"},
        {"flow style", "{rotation: 90}\n", NULL},
        {"syntax error", "rotation: [90\n", NULL},
        {"quoted key", "\"staff_pin\": x\n", NULL},
        {"document end marker", "rotation: 90\n...\n", NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char *got = settings_with_pin(t[i].in, strlen(t[i].in), NEW_HASH);
        if (!same_str(got, t[i].want)) {
            fprintf(stderr, "FAIL with_pin %s\n--- got:\n%s\n--- expected:\n%s\n---\n", t[i].name,
                    got ? got : "(NULL)", t[i].want ? t[i].want : "(NULL)");
            check_failures++;
        }
        /* Whatever it writes reads back as that hash. */
        if (got) {
            DiagList diags = DIAG_LIST_INIT;
            Settings *s = settings_load_string("t.yaml", got, strlen(got), &diags);
            if (s)
                CHECK_STR(s->staff_pin, NEW_HASH);
            settings_free(s);
            diag_clear(&diags);
        }
        free(got);
    }
    /* Only a hash can go in: nothing that could break the YAML or be a PIN. */
    static const char *const bad[] = {
        NULL, "", "1234", "$6$", "$6$abc\"def\nghij", "$6$abcdefgh$ijk#lmn", "6$abcdefghijklmnop"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *got = settings_with_pin("rotation: 0\n", 12, bad[i]);
        if (got) {
            fprintf(stderr, "FAIL with_pin accepted hash '%s'\n", bad[i] ? bad[i] : "(NULL)");
            check_failures++;
        }
        free(got);
    }
    /* Text with a NUL before len: the edit works on len bytes. */
    char *got = settings_with_pin("rotation: 0\nXX", 12, NEW_HASH);
    CHECK_STR(got, "rotation: 0\n" PINLINE "\n");
    free(got);
}

static void test_hash_shape(void)
{
    static const struct {
        const char *s;
        bool ok;
    } t[] = {
        {HASH, true},
        {NEW_HASH, true},
        {"$2b$10$abcdefghijklmnopqrstuv", true},
        {"$md5,rounds=5000$abcdefgh$", true},
        {NULL, false},
        {"", false},
        {"1234", false},
        {"$", false},
        {"$$abcdefghijk", false},
        {"$6$short", false},
        {"$6abcdefghijk", false},
        {"$6$abcdefgh$ijk lmn", false},
        {"$6$abcdefgh$ijk\nlmn", false},
        {"$6$abcdefgh$ijk\"lmn", false},
        {"$Y$abcdefghijk", false},
        {"$toolongid$abcdefghijk", false},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (settings_hash_well_formed(t[i].s) != t[i].ok) {
            fprintf(stderr, "FAIL hash shape '%s': expected %s\n", t[i].s ? t[i].s : "(NULL)",
                    t[i].ok ? "well-formed" : "refused");
            check_failures++;
        }
}

/* ---- files ----------------------------------------------------------------- */

static char tmpdir[] = "/tmp/test_settings.XXXXXX";

static void write_file(const char *path, const char *data, mode_t mode)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, strlen(data), f) != strlen(data) || fclose(f) != 0)
        abort();
    if (chmod(path, mode) != 0)
        abort();
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    if (!buf)
        abort();
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static void test_files(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        check_failures++;
        return;
    }
    char dir[128], path[160], want[1024];
    snprintf(dir, sizeof dir, "%s/etc", tmpdir);
    if (mkdir(dir, 0755) != 0)
        abort();
    snprintf(path, sizeof path, "%s/kiosk.yaml", dir);

    /* A relative deck is found next to the settings file. */
    write_file(path, "deck: slides/my.yaml\n", 0640);
    DiagList diags = DIAG_LIST_INIT;
    Settings *s = settings_load(path, &diags);
    CHECK(s != NULL);
    CHECK_INT(diags.count, 0);
    snprintf(want, sizeof want, "%s/slides/my.yaml", dir);
    if (s) {
        CHECK_STR(s->deck, want);
        CHECK_STR(s->path, path);
    }
    settings_free(s);
    diag_clear(&diags);

    /* A PIN hash in a file every user can read: usable, with a warning. */
    write_file(path, "rotation: 90\nstaff_pin: \"" HASH "\"\n", 0644);
    s = settings_load(path, &diags);
    CHECK(s != NULL);
    char *got = joined(&diags);
    snprintf(want, sizeof want,
             "%s:2:12: warning: every user can read this file, and a 4-8 digit PIN is quickly "
             "found from its hash (expected it private: sudo chmod o-rwx %s)",
             path, path);
    CHECK_STR(got, want);
    free(got);
    settings_free(s);
    diag_clear(&diags);
    /* ... and none when it is private, or holds no PIN. */
    chmod(path, 0640);
    s = settings_load(path, &diags);
    CHECK(s != NULL);
    CHECK_INT(diags.count, 0);
    settings_free(s);
    diag_clear(&diags);
    write_file(path, "rotation: 90\n", 0644);
    s = settings_load(path, &diags);
    CHECK(s != NULL);
    CHECK_INT(diags.count, 0);
    settings_free(s);
    diag_clear(&diags);

    /* Missing file, directory: errors from ytree's reader. */
    char missing[200];
    snprintf(missing, sizeof missing, "%s/nope.yaml", dir);
    s = settings_load(missing, &diags);
    CHECK(s == NULL);
    got = joined(&diags);
    snprintf(want, sizeof want,
             "%s: error: cannot open the settings file: No such file or "
             "directory (expected a readable YAML file)",
             missing);
    CHECK_STR(got, want);
    free(got);
    diag_clear(&diags);
    s = settings_load(dir, &diags);
    CHECK(s == NULL);
    CHECK_INT(diag_count(&diags, DIAG_ERROR), 1);
    diag_clear(&diags);

    /* Too big a file. */
    size_t big_len = SETTINGS_MAX_BYTES + 1;
    char *big = malloc(big_len + 1);
    if (!big)
        abort();
    memset(big, '#', big_len);
    big[big_len] = '\0';
    write_file(path, big, 0600);
    s = settings_load(path, &diags);
    CHECK(s == NULL);
    got = joined(&diags);
    snprintf(want, sizeof want,
             "%s:1:1: error: the file is 65537 bytes (expected at most "
             "65536: is this really a settings file?)",
             path);
    CHECK_STR(got, want);
    free(got);
    diag_clear(&diags);
    /* The same from memory. */
    settings_free(expect_as("too big", "t.yaml", big, big_len, false,
                            "t.yaml:1:1: error: the file is 65537 bytes (expected at most "
                            "65536: is this really a settings file?)"));
    free(big);
    unlink(path);
    rmdir(dir);
    rmdir(tmpdir);
}

/* The packaged /etc/kiosk/kiosk.yaml: loads without a word, documents every
 * key, and takes a PIN. */
static void test_packaged_file(void)
{
    const char *path = TEST_SOURCE_DIR "/packaging/kiosk.yaml";
    DiagList diags = DIAG_LIST_INIT;
    Settings *s = settings_load(path, &diags);
    char *got = joined(&diags);
    CHECK_STR(got, "");
    free(got);
    diag_clear(&diags);
    CHECK(s != NULL);
    if (s) {
        CHECK_INT(s->rotation, 0);
        CHECK(s->staff_pin == NULL);
        CHECK(s->deck == NULL);
        CHECK_STR(s->renderer, "auto");
        CHECK_INT(s->log_level, 2);
    }
    settings_free(s);

    size_t len;
    char *text = read_all(path, &len);
    CHECK(text != NULL);
    if (!text)
        return;
    static const char *const documented[] = {"# deck:",
                                             "# kiosk_id:",
                                             "# signups:",
                                             "# stats:",
                                             "# timeouts:",
                                             "#   inactivity:",
                                             "#   form_inactivity:",
                                             "#   thanks:",
                                             "\nrotation: 0\n",
                                             "# display:",
                                             "# renderer:",
                                             "# staff_pin:",
                                             "# log_level:",
                                             "# export_dir:",
                                             "# sleep:",
                                             "# delivery:",
                                             "#   email:",
                                             "#     password_file:",
                                             "#   webhook:",
                                             "#     token_file:",
                                             "#   from:",
                                             "#   to:"};
    for (size_t i = 0; i < sizeof documented / sizeof documented[0]; i++)
        if (!strstr(text, documented[i])) {
            fprintf(stderr, "FAIL packaging/kiosk.yaml does not document '%s'\n", documented[i]);
            check_failures++;
        }
    /* Uncommenting each example gives a valid file (the examples are right). */
    char *edited = malloc(len + 1);
    if (!edited)
        abort();
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        /* "# key: value" and "#   key: value" are examples; "# Words." is prose. */
        size_t k = i + 2;
        while (k < e && text[k] == ' ')
            k++;
        size_t w = k;
        while (w < e && (text[w] == '_' || (text[w] >= 'a' && text[w] <= 'z')))
            w++;
        bool example = e - i > 2 && text[i] == '#' && text[i + 1] == ' ' && w > k && w < e &&
                       text[w] == ':' && (w + 1 == e || text[w + 1] == ' ');
        size_t from = example ? i + 2 : i;
        memcpy(edited + n, text + from, e - from);
        n += e - from;
        if (e < len)
            edited[n++] = '\n';
        i = e + 1;
    }
    edited[n] = '\0';
    s = settings_load_string("/etc/kiosk/kiosk.yaml", edited, n, &diags);
    got = joined(&diags);
    CHECK_STR(got, "");
    free(got);
    diag_clear(&diags);
    CHECK(s != NULL);
    settings_free(s);
    free(edited);

    char *with = settings_with_pin(text, len, NEW_HASH);
    CHECK(with != NULL);
    if (with) {
        s = settings_load_string(path, with, strlen(with), &diags);
        CHECK(s != NULL);
        CHECK_INT(diags.count, 0);
        if (s)
            CHECK_STR(s->staff_pin, NEW_HASH);
        settings_free(s);
        diag_clear(&diags);
        /* Every line of the original is still there, in order. */
        CHECK_INT(strlen(with), len + strlen(PINLINE "\n"));
    }
    free(with);
    free(text);
}

/* The packaged file's delivery example, uncommented, is a valid section
 * that sets up both routes as its comments say. */
static void test_packaged_delivery(void)
{
    size_t len;
    char *text = read_all(TEST_SOURCE_DIR "/packaging/kiosk.yaml", &len);
    const char *at = text ? strstr(text, "# delivery:") : NULL;
    CHECK(at != NULL);
    if (!at) {
        free(text);
        return;
    }
    char out[4096];
    size_t n = 0;
    for (const char *p = at; *p && n + 1 < sizeof out; p++) {
        bool line_start = p == at || p[-1] == '\n';
        if (line_start && p[0] == '#' && p[1] == ' ')
            p += 2;
        out[n++] = *p;
    }
    out[n] = '\0';
    DiagList diags = DIAG_LIST_INIT;
    Settings *s = settings_load_string("/etc/kiosk/kiosk.yaml", out, n, &diags);
    char *got = joined(&diags);
    CHECK_STR(got, "");
    free(got);
    diag_clear(&diags);
    CHECK(s != NULL);
    if (s) {
        CHECK_STR(s->email.smtp, "smtp://mail.clinic.example:587");
        CHECK_STR(s->email.to, "frontdesk@clinic.example");
        CHECK_STR(s->email.password_file, "/etc/kiosk/smtp-password");
        CHECK(!s->email.insecure);
        CHECK_STR(s->webhook.url, "https://crm.example/hooks/kiosk");
        CHECK_STR(s->webhook.token_file, "/etc/kiosk/webhook-token");
        CHECK(s->webhook.ca_file == NULL);
    }
    settings_free(s);
    free(text);
}

int main(void)
{
    test_packaged_delivery();
    test_table();
    test_defaults();
    test_full_file();
    test_relative_paths();
    test_asleep();
    test_with_pin();
    test_hash_shape();
    test_files();
    test_packaged_file();
    return check_report("test_settings");
}
