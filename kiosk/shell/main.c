/* main: the command line. Parses options, finds the data directory, loads
 * the deck and hands over to the shell. The only place that decides exit
 * statuses: 0 ok, 1 invalid deck or input, 2 usage error, 3 runtime failure. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deck.h"
#include "deckload.h"
#include "diag.h"
#include "fit.h"
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
    "             3 runtime failure\n"
    "environment: KIOSK_DATA_DIR overrides where the bundled slides, fonts and images are.\n";

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

static bool parse_size(const char *s, int *w, int *h)
{
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10);
    if (errno || end == s || (*end != 'x' && *end != 'X'))
        return false;
    const char *second = end + 1;
    long b = strtol(second, &end, 10);
    if (errno || end == second || *end != '\0')
        return false;
    /* 320 is below any touchscreen we support; 8192 above any we know. */
    if (a < 320 || b < 320 || a > 8192 || b > 8192)
        return false;
    *w = (int)a;
    *h = (int)b;
    return true;
}

static char *default_signups_path(void)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    char buf[PATH_MAX];
    if (xdg && *xdg == '/')
        snprintf(buf, sizeof buf, "%s/kiosk/signups.csv", xdg);
    else if (home && *home)
        snprintf(buf, sizeof buf, "%s/.local/share/kiosk/signups.csv", home);
    else
        snprintf(buf, sizeof buf, "signups.csv");
    return strdup(buf);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "kiosk: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'kiosk --help'.\n");
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    ShellOptions opts = {.renderer = NULL, .rotation = -1};
    bool check = false, set_pin = false;
    const char *deck_arg = NULL, *config = NULL;
    char host[256] = "kiosk";

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            printf("kiosk %s\n", KIOSK_VERSION);
            return EXIT_OK;
        } else if (strcmp(a, "--check") == 0) {
            check = true;
        } else if (strcmp(a, "--set-pin") == 0) {
            set_pin = true;
        } else if (strcmp(a, "--windowed") == 0) {
            opts.windowed = true;
        } else if (strcmp(a, "--size") == 0 || strcmp(a, "--screenshot") == 0 ||
                   strcmp(a, "--signups") == 0 || strcmp(a, "--kiosk-id") == 0 ||
                   strcmp(a, "--renderer") == 0 || strcmp(a, "--rotation") == 0 ||
                   strcmp(a, "--config") == 0) {
            if (!next || !*next)
                return usage_error("option '%s' needs a value", a);
            i++;
            if (strcmp(a, "--size") == 0) {
                if (!parse_size(next, &opts.width, &opts.height))
                    return usage_error("bad --size '%s' (expected WIDTHxHEIGHT, such as 800x480, "
                                       "each from 320 to 8192)",
                                       next);
            } else if (strcmp(a, "--screenshot") == 0) {
                opts.screenshot_dir = next;
            } else if (strcmp(a, "--signups") == 0) {
                opts.signups_path = next;
            } else if (strcmp(a, "--kiosk-id") == 0) {
                opts.kiosk_id = next;
            } else if (strcmp(a, "--config") == 0) {
                config = next;
            } else if (strcmp(a, "--rotation") == 0) {
                char *end;
                long deg = strtol(next, &end, 10);
                if (*end || (deg != 0 && deg != 90 && deg != 180 && deg != 270))
                    return usage_error("bad --rotation '%s' (expected 0, 90, 180 or 270)", next);
                opts.rotation = (int)deg;
            } else {
                opts.renderer = next;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (deck_arg) {
            return usage_error("more than one deck given ('%s'); expected at most one", a);
        } else {
            deck_arg = a;
        }
    }

    if (set_pin) {
        char err[512];
        const char *path = config ? config : SETTINGS_DEFAULT_PATH;
        if (pin_prompt_and_write(path, stdin, stdout, err, sizeof err) != 0) {
            fprintf(stderr, "kiosk: %s\n", err);
            return EXIT_INVALID;
        }
        printf("The staff PIN is set in %s. Restart the kiosk to use it.\n", path);
        return EXIT_OK;
    }

    /* Settings: --config, else the system file when there is one. Options
     * on the command line win over settings. */
    DiagList diags = DIAG_LIST_INIT;
    Settings defaults;
    settings_defaults(&defaults);
    Settings *settings = NULL;
    struct stat st;
    if (config || stat(SETTINGS_DEFAULT_PATH, &st) == 0) {
        settings = settings_load(config ? config : SETTINGS_DEFAULT_PATH, &diags);
        if (!settings && !check) {
            diag_print(&diags, stderr);
            fprintf(stderr, "kiosk: the settings file cannot be used; fix the errors above\n");
            diag_clear(&diags);
            return EXIT_INVALID;
        }
    }
    size_t settings_errors = diag_count(&diags, DIAG_ERROR);
    const char *settings_name = config ? config : SETTINGS_DEFAULT_PATH;
    const Settings *set = settings ? settings : &defaults;
    opts.settings = set;
    log_set_level((LogLevel)set->log_level);
    if (opts.rotation < 0)
        opts.rotation = set->rotation;
    if (!opts.renderer)
        opts.renderer = set->renderer ? set->renderer : "auto";
    opts.display = set->display;
    if (!opts.kiosk_id)
        opts.kiosk_id = set->kiosk_id;
    if (!opts.signups_path)
        opts.signups_path = set->signups;
    if (!deck_arg)
        deck_arg = set->deck;

    char data_buf[PATH_MAX];
    opts.data_dir = find_data_dir(data_buf, sizeof data_buf);
    char deck_buf[PATH_MAX];
    if (!deck_arg) {
        if (snprintf(deck_buf, sizeof deck_buf, "%s/slides/microneedling.yaml", opts.data_dir) >=
            (int)sizeof deck_buf) {
            settings_free(settings);
            return usage_error("the data directory path is too long: %s", opts.data_dir);
        }
        deck_arg = deck_buf;
    }
    opts.deck_path = deck_arg;

    DeckLoadOptions load = {.data_dir = opts.data_dir};
    Deck *deck = deck_load(deck_arg, &load, &diags);
    if (check && deck)
        fit_check_deck(deck, opts.data_dir, &diags);
    diag_print(&diags, stderr);
    size_t errors = diag_count(&diags, DIAG_ERROR);
    size_t warnings = diag_count(&diags, DIAG_WARNING);
    diag_clear(&diags);

    if (check) {
        /* Say which file the errors are in: staff fix one file at a time. */
        if (settings_errors)
            fprintf(stderr, "%s: %zu error%s\n", settings_name, settings_errors,
                    settings_errors == 1 ? "" : "s");
        else if (settings)
            printf("%s: ok\n", settings_name);
        errors -= settings_errors;
        if (errors == 0 && deck)
            printf("%s: ok, %zu slide%s, %zu warning%s\n", deck_arg, deck->slide_count,
                   deck->slide_count == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
        else
            fprintf(stderr, "%s: %zu error%s, %zu warning%s\n", deck_arg, errors,
                    errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
        deck_free(deck);
        settings_free(settings);
        return errors || settings_errors ? EXIT_INVALID : EXIT_OK;
    }
    if (!deck) {
        fprintf(stderr, "kiosk: the deck %s cannot be shown; fix the errors above\n", deck_arg);
        settings_free(settings);
        return EXIT_INVALID;
    }

    char *signups = NULL;
    if (!opts.signups_path) {
        signups = default_signups_path();
        opts.signups_path = signups;
    }
    /* Usage counts live next to the sign-ups unless the settings say. */
    char stats_buf[PATH_MAX];
    opts.stats_path = set->stats;
    if (!opts.stats_path) {
        const char *slash = strrchr(opts.signups_path, '/');
        int dir_len = slash ? (int)(slash - opts.signups_path) : 1;
        if (snprintf(stats_buf, sizeof stats_buf, "%.*s/stats.csv", dir_len,
                     slash ? opts.signups_path : ".") < (int)sizeof stats_buf)
            opts.stats_path = stats_buf;
    }
    if (!opts.kiosk_id) {
        if (gethostname(host, sizeof host) != 0)
            snprintf(host, sizeof host, "kiosk");
        host[sizeof host - 1] = '\0';
        opts.kiosk_id = host;
    }
    int status = shell_run(&opts, deck);
    free(signups);
    settings_free(settings);
    return status;
}
