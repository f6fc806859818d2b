/* main: the command line. Parses options, finds the data directory, loads
 * the deck and hands over to the shell. The only place that decides exit
 * statuses: 0 ok, 1 invalid deck or input, 2 usage error, 3 runtime failure,
 * 4 staff chose "Exit kiosk", 128+N stopped by signal N. */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deck.h"
#include "deckload.h"
#include "deliver.h"
#include "diag.h"
#include "fit.h"
#include "kiosk_version.h"
#include "log.h"
#include "pin.h"
#include "settings.h"
#include "shell.h"

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_RUNTIME = 3 };

static const char usage_text[] =
    "usage: kiosk [OPTIONS] [DECK.yaml]      no DECK: the bundled slides/microneedling.yaml\n"
    "  --check          load and validate the deck and everything it references, print\n"
    "                   diagnostics, exit\n"
    "  --windowed       run in a window (staff preview) instead of fullscreen\n"
    "  --size WxH       window / screenshot size\n"
    "  --screenshot DIR render every slide and screen to DIR/NN-name.png without a display,\n"
    "                   then exit\n"
    "  --screens LIST   with --screenshot, only these: 'slides', slide names, or screens\n"
    "                   (form-empty, form-typing, form-errors, form-filled, thanks,\n"
    "                   thanks-saved-later, staff-pin, staff), comma-separated\n"
    "  --lang CODE      with --screenshot, in this language of the deck (es)\n"
    "  --larger-text    with --screenshot, as a client sees it after \"Larger text\"\n"
    "  --signups FILE   where sign-ups are stored (default\n"
    "                   $XDG_DATA_HOME/kiosk/signups.csv, else ~/.local/share/kiosk/)\n"
    "  --kiosk-id ID    name of this screen, written with every sign-up (default: host name)\n"
    "  --renderer NAME  auto, software, or an SDL render driver such as opengles2\n"
    "  --rotation DEG   0, 90, 180 or 270: turn the UI for a panel mounted turned\n"
    "  --config FILE    settings for this screen (default /etc/kiosk/kiosk.yaml, if it\n"
    "                   exists); --check validates it too\n"
    "  --set-pin        ask for a new staff PIN and store its hash in the settings file\n"
    "  --help, --version\n"
    "exit status: 0 ok, 1 invalid deck or input, 2 usage error (unknown option, bad value),\n"
    "             3 runtime failure, 4 staff chose \"Exit kiosk\" (a supervisor leaves it\n"
    "             stopped), 128+N stopped by signal N (a supervisor starts it again)\n"
    "environment: KIOSK_DATA_DIR overrides where the bundled slides, fonts and images are.\n";

/* What the command line asked for. */
typedef struct {
    ShellOptions shell;
    bool check, set_pin, help, version;
    const char *deck, *config;
} Cli;

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The bundled deck must be found from the build tree and from an installed
 * prefix alike: an installed kiosk has ../share/kiosk next to its bin/, a
 * build-tree kiosk uses the source tree it was built from. */
static const char *find_data_dir(char *buf, size_t cap)
{
    const char *env = getenv("KIOSK_DATA_DIR");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char probe[PATH_MAX + 32];
            int len = snprintf(buf, cap, "%s/../share/kiosk", exe);
            if (len > 0 && (size_t)len < cap &&
                snprintf(probe, sizeof probe, "%s/slides", buf) < (int)sizeof probe &&
                is_dir(probe))
                return buf;
        }
    }
    if (is_dir(KIOSK_SOURCE_DATA_DIR "/slides"))
        return KIOSK_SOURCE_DATA_DIR;
    return KIOSK_INSTALL_DATA_DIR;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "kiosk: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'kiosk --help'.\n");
    return EXIT_USAGE;
}

static int opt_size(Cli *c, const char *v)
{
    char *end;
    errno = 0;
    long a = strtol(v, &end, 10);
    long b = 0;
    bool ok = !errno && end != v && (*end == 'x' || *end == 'X');
    if (ok) {
        const char *second = end + 1;
        b = strtol(second, &end, 10);
        ok = !errno && end != second && *end == '\0';
    }
    /* 320 is below any touchscreen we support; 8192 above any we know. */
    if (!ok || a < 320 || b < 320 || a > 8192 || b > 8192)
        return usage_error("bad --size '%s' (expected WIDTHxHEIGHT, such as 800x480, "
                           "each from 320 to 8192)",
                           v);
    c->shell.width = (int)a;
    c->shell.height = (int)b;
    return EXIT_OK;
}

static int opt_rotation(Cli *c, const char *v)
{
    char *end;
    long deg = strtol(v, &end, 10);
    if (*end || (deg != 0 && deg != 90 && deg != 180 && deg != 270))
        return usage_error("bad --rotation '%s' (expected 0, 90, 180 or 270)", v);
    c->shell.rotation = (int)deg;
    return EXIT_OK;
}

typedef enum { OPT_FLAG, OPT_STRING, OPT_SIZE, OPT_ROTATION } OptKind;

/* Every option once: its name, what it takes, and the field it sets. */
static const struct {
    const char *name;
    OptKind kind;
    size_t field; /* offsetof in Cli: a bool for flags, a const char * for strings */
} options[] = {
    {"--check", OPT_FLAG, offsetof(Cli, check)},
    {"--set-pin", OPT_FLAG, offsetof(Cli, set_pin)},
    {"--windowed", OPT_FLAG, offsetof(Cli, shell.windowed)},
    {"--help", OPT_FLAG, offsetof(Cli, help)},
    {"-h", OPT_FLAG, offsetof(Cli, help)},
    {"--version", OPT_FLAG, offsetof(Cli, version)},
    {"--size", OPT_SIZE, 0},
    {"--rotation", OPT_ROTATION, 0},
    {"--screenshot", OPT_STRING, offsetof(Cli, shell.screenshot_dir)},
    {"--screens", OPT_STRING, offsetof(Cli, shell.screens)},
    {"--lang", OPT_STRING, offsetof(Cli, shell.view_lang)},
    {"--larger-text", OPT_FLAG, offsetof(Cli, shell.view_large)},
    {"--signups", OPT_STRING, offsetof(Cli, shell.signups_path)},
    {"--kiosk-id", OPT_STRING, offsetof(Cli, shell.kiosk_id)},
    {"--renderer", OPT_STRING, offsetof(Cli, shell.renderer)},
    {"--config", OPT_STRING, offsetof(Cli, config)},
};

static int set_option(Cli *c, size_t i, const char *value)
{
    char *field = (char *)c + options[i].field;
    switch (options[i].kind) {
    case OPT_FLAG:
        *(bool *)(void *)field = true;
        return EXIT_OK;
    case OPT_STRING:
        *(const char **)(void *)field = value;
        return EXIT_OK;
    case OPT_SIZE:
        return opt_size(c, value);
    default:
        return opt_rotation(c, value);
    }
}

static int parse_args(int argc, char **argv, Cli *c)
{
    for (int i = 1; i < argc && !c->help && !c->version; i++) {
        const char *a = argv[i];
        size_t o = 0, n = sizeof options / sizeof options[0];
        while (o < n && strcmp(a, options[o].name) != 0)
            o++;
        if (o == n && a[0] == '-' && a[1] != '\0')
            return usage_error("unknown option '%s'", a);
        if (o == n && c->deck)
            return usage_error("more than one deck given ('%s'); expected at most one", a);
        if (o == n) {
            c->deck = a;
            continue;
        }
        const char *value = NULL;
        if (options[o].kind != OPT_FLAG) {
            value = i + 1 < argc ? argv[++i] : NULL;
            if (!value || !*value)
                return usage_error("option '%s' needs a value", a);
        }
        int rc = set_option(c, o, value);
        if (rc != EXIT_OK)
            return rc;
    }
    return EXIT_OK;
}

static int set_pin(const Cli *c)
{
    char err[512];
    const char *path = c->config ? c->config : SETTINGS_DEFAULT_PATH;
    if (pin_prompt_and_write(path, stdin, stdout, err, sizeof err) != 0) {
        fprintf(stderr, "kiosk: %s\n", err);
        return EXIT_INVALID;
    }
    printf("The staff PIN is set in %s. Restart the kiosk to use it; that also ends any\n"
           "lockout after wrong PINs.\n",
           path);
    return EXIT_OK;
}

/* Options on the command line win over settings; settings over defaults. */
static void apply_settings(Cli *c, const Settings *set)
{
    ShellOptions *o = &c->shell;
    o->settings = set;
    log_set_level((LogLevel)set->log_level);
    if (o->rotation < 0)
        o->rotation = set->rotation;
    if (!o->renderer)
        o->renderer = set->renderer ? set->renderer : "auto";
    o->display = set->display;
    if (!o->kiosk_id)
        o->kiosk_id = set->kiosk_id;
    if (!o->signups_path)
        o->signups_path = set->signups;
    if (!c->deck)
        c->deck = set->deck;
}

/* What --check prints: each file's verdict, since staff fix one at a time. */
static int report_check(const Cli *c, const Deck *deck, const Settings *settings,
                        size_t settings_errors, size_t errors, size_t warnings)
{
    const char *settings_name = c->config ? c->config : SETTINGS_DEFAULT_PATH;
    if (settings_errors)
        fprintf(stderr, "%s: %zu error%s\n", settings_name, settings_errors,
                settings_errors == 1 ? "" : "s");
    else if (settings)
        printf("%s: ok\n", settings_name);
    errors -= settings_errors;
    if (errors == 0 && deck)
        printf("%s: ok, %zu slide%s, %zu warning%s\n", c->deck, deck->slide_count,
               deck->slide_count == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    else
        fprintf(stderr, "%s: %zu error%s, %zu warning%s\n", c->deck, errors, errors == 1 ? "" : "s",
                warnings, warnings == 1 ? "" : "s");
    return errors || settings_errors ? EXIT_INVALID : EXIT_OK;
}

/* Where sign-ups, usage counts and the screen's name go when nothing says:
 * the user's data folder, next to the sign-ups, the host name. */
static void default_paths(ShellOptions *o, char *signups, char *stats, char *host, size_t cap)
{
    if (!o->signups_path) {
        const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
        if (xdg && *xdg == '/')
            snprintf(signups, cap, "%s/kiosk/signups.csv", xdg);
        else if (home && *home)
            snprintf(signups, cap, "%s/.local/share/kiosk/signups.csv", home);
        else
            snprintf(signups, cap, "signups.csv");
        o->signups_path = signups;
    }
    if (!o->stats_path) {
        const char *slash = strrchr(o->signups_path, '/');
        int dir_len = slash ? (int)(slash - o->signups_path) : 1;
        if (snprintf(stats, cap, "%.*s/stats.csv", dir_len, slash ? o->signups_path : ".") <
            (int)cap)
            o->stats_path = stats;
    }
    if (!o->kiosk_id) {
        if (gethostname(host, cap) != 0)
            snprintf(host, cap, "kiosk");
        host[cap - 1] = '\0';
        o->kiosk_id = host;
    }
}

/* Settings: --config, else the system file when there is one. NULL with
 * *unusable when a file exists but cannot be used (diags say why). */
static Settings *load_settings(const Cli *c, DiagList *diags, bool *unusable)
{
    struct stat st;
    *unusable = false;
    if (!c->config && stat(SETTINGS_DEFAULT_PATH, &st) != 0)
        return NULL;
    Settings *s = settings_load(c->config ? c->config : SETTINGS_DEFAULT_PATH, diags);
    *unusable = !s;
    return s;
}

/* The desktop install runs the kiosk as the desktop's user, who cannot read
 * the settings file (root:kiosk 0640) until added to its group. */
static void explain_unreadable(const char *path)
{
    if (access(path, R_OK) == 0 || errno != EACCES)
        return;
    struct passwd entry, *pw = NULL;
    char buf[1024];
    const char *user = getpwuid_r(geteuid(), &entry, buf, sizeof buf, &pw) == 0 && pw ? pw->pw_name
                                                                                      : "USER";
    fprintf(stderr,
            "kiosk: user %s may not read %s. The packaged settings file is readable by\n"
            "root and the 'kiosk' group: sudo adduser %s kiosk   (then log out and in again)\n",
            user, path, user);
}

int main(int argc, char **argv)
{
    Cli c = {.shell = {.rotation = -1}};
    int rc = parse_args(argc, argv, &c);
    if (rc != EXIT_OK || c.help || c.version) {
        if (c.help)
            fputs(usage_text, stdout);
        else if (c.version)
            printf("kiosk %s\n", KIOSK_VERSION);
        return rc;
    }
    if (c.set_pin)
        return set_pin(&c);

    DiagList diags = DIAG_LIST_INIT;
    bool unusable;
    Settings *settings = load_settings(&c, &diags, &unusable);
    Settings defaults;
    if (unusable)
        explain_unreadable(c.config ? c.config : SETTINGS_DEFAULT_PATH);
    if (unusable && !c.check) {
        diag_print(&diags, stderr);
        fprintf(stderr, "kiosk: the settings file cannot be used; fix the errors above\n");
        diag_clear(&diags);
        return EXIT_INVALID;
    }
    /* The delivery's secret and CA files: read when a sign-up is sent, so
     * --check is where a wrong mode or path shows before then. */
    if (c.check && settings)
        deliver_check(settings, c.config ? c.config : SETTINGS_DEFAULT_PATH, &diags);
    size_t settings_errors = diag_count(&diags, DIAG_ERROR);
    settings_defaults(&defaults);
    apply_settings(&c, settings ? settings : &defaults);

    char data_buf[PATH_MAX], deck_buf[PATH_MAX];
    c.shell.data_dir = find_data_dir(data_buf, sizeof data_buf);
    if (!c.deck) {
        if (snprintf(deck_buf, sizeof deck_buf, "%s/slides/microneedling.yaml", c.shell.data_dir) >=
            (int)sizeof deck_buf) {
            settings_free(settings);
            return usage_error("the data directory path is too long: %s", c.shell.data_dir);
        }
        c.deck = deck_buf;
    }
    c.shell.deck_path = c.deck;

    /* A translation is checked with its deck: alone it is not a deck. */
    char base_buf[PATH_MAX];
    if (c.check && deck_translation_of(c.deck, base_buf, sizeof base_buf)) {
        printf("%s is a translation of %s: checking that deck and its translations\n", c.deck,
               base_buf);
        c.deck = base_buf;
    }
    DeckLoadOptions load = {.data_dir = c.shell.data_dir, .list_untranslated = c.check};
    Deck *deck = deck_load(c.deck, &load, &diags);
    if (c.check && deck)
        fit_check_deck(deck, c.shell.data_dir, &diags);
    diag_print(&diags, stderr);
    size_t errors = diag_count(&diags, DIAG_ERROR), warnings = diag_count(&diags, DIAG_WARNING);
    diag_clear(&diags);

    if (c.check) {
        rc = report_check(&c, deck, settings, settings_errors, errors, warnings);
    } else if (!deck) {
        fprintf(stderr, "kiosk: the deck %s cannot be shown; fix the errors above\n", c.deck);
        rc = EXIT_INVALID;
    } else {
        char signups[PATH_MAX], stats[PATH_MAX], host[PATH_MAX];
        c.shell.stats_path = (settings ? settings : &defaults)->stats;
        default_paths(&c.shell, signups, stats, host, PATH_MAX);
        rc = shell_run(&c.shell, deck);
        deck = NULL; /* the shell owns it */
    }
    deck_free(deck);
    settings_free(settings);
    return rc;
}
