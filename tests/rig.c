/* rig: see rig.h. */
#include "rig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "deckload.h"
#include "files.h"
#include "pin.h"

static Settings *rig_settings(const char *pin, const char *extra)
{
    char hash[PIN_HASH_MAX], err[256], text[PIN_HASH_MAX + 4096];
    if (pin_hash(pin, hash, sizeof hash, err, sizeof err) != 0) {
        fprintf(stderr, "rig: %s\n", err);
        return NULL;
    }
    snprintf(text, sizeof text, "staff_pin: \"%s\"\n%s", hash, extra ? extra : "");
    DiagList diags = DIAG_LIST_INIT;
    Settings *s = settings_load_string("rig.yaml", text, strlen(text), &diags);
    diag_print(&diags, stderr);
    diag_clear(&diags);
    return s;
}

int rig_open(Rig *r, const char *deck_path, int w, int h)
{
    return rig_open_pin(r, deck_path, w, h, RIG_PIN);
}

static int rig_open_any(Rig *r, const char *deck_path, int w, int h, const char *pin,
                        const char *dir, const char *extra);

int rig_open_pin(Rig *r, const char *deck_path, int w, int h, const char *pin)
{
    return rig_open_any(r, deck_path, w, h, pin, NULL, NULL);
}

int rig_open_in(Rig *r, const char *dir, const char *extra, int w, int h)
{
    return rig_open_any(r, NULL, w, h, RIG_PIN, dir, extra);
}

int rig_open_deck_in(Rig *r, const char *deck_path, const char *dir, const char *extra, int w,
                     int h)
{
    return rig_open_any(r, deck_path, w, h, RIG_PIN, dir, extra);
}

static int rig_open_any(Rig *r, const char *deck_path, int w, int h, const char *pin,
                        const char *dir, const char *extra)
{
    memset(r, 0, sizeof *r);
    /* tmpfs when there is one: each sign-up is fsync'd. */
    snprintf(r->dir, sizeof r->dir, "%s/kiosk-rig-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (dir)
        snprintf(r->dir, sizeof r->dir, "%s", dir);
    else if (!mkdtemp(r->dir)) {
        perror("rig: mkdtemp");
        return -1;
    }
    snprintf(r->csv, sizeof r->csv, "%s/signups.csv", r->dir);
    snprintf(r->usb, sizeof r->usb, "%s/usb", r->dir);
    snprintf(r->deck, sizeof r->deck, "%s",
             deck_path ? deck_path : TEST_SOURCE_DIR "/slides/microneedling.yaml");
    mkdir(r->usb, 0700);
    setenv("KIOSK_USB_ROOT", r->usb, 1);
    r->settings = rig_settings(pin, extra);
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions lo = {.data_dir = TEST_SOURCE_DIR};
    Deck *deck = deck_load(r->deck, &lo, &diags);
    diag_print(&diags, stderr);
    diag_clear(&diags);
    if (!r->settings || !deck) {
        fprintf(stderr, "rig: cannot load the deck or the settings\n");
        deck_free(deck);
        return -1;
    }
    r->opts = (ShellOptions){.deck_path = r->deck,
                             .data_dir = TEST_SOURCE_DIR,
                             .signups_path = r->csv,
                             .kiosk_id = "rig",
                             .headless = true,
                             .width = w,
                             .height = h,
                             .renderer = "software",
                             .settings = r->settings};
    r->sh = shell_open(&r->opts, deck);
    if (!r->sh)
        return -1;
    /* Nothing left over from an earlier rig in this process. */
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    r->now = 1000;
    return 0;
}

bool rig_turn(Rig *r, int ms, bool draw)
{
    r->now += (uint64_t)(ms > 0 ? ms : 0);
    return shell_turn(r->sh, r->now, draw);
}

void rig_feed(Rig *r, InputType type, int x, int y)
{
    Input in = {.type = type, .x = x, .y = y};
    shell_feed(r->sh, &in, r->now);
}

void rig_tap(Rig *r, LRect rc)
{
    int x = rc.x + rc.w / 2, y = rc.y + rc.h / 2;
    rig_feed(r, IN_DOWN, x, y);
    r->now += 90;
    rig_feed(r, IN_UP, x, y);
    r->now += 10;
}

static bool typed(FormFieldKind k)
{
    return k == FORM_TEXT || k == FORM_EMAIL || k == FORM_PHONE;
}

bool rig_sign_up(Rig *r, const char *name, const char *phone, const char *email, int choice)
{
    const App *a = rig_app(r);
    ChromeLayout c;
    layout_chrome(a->deck, a->w, a->h, &c);
    if (a->screen == SCREEN_SLIDES)
        rig_tap(r, c.signup);
    if (a->screen != SCREEN_FORM)
        return false;
    const char *text[] = {name, phone, email};
    FormLayout fl;
    app_form_layout(a, &fl);
    int t = 0;
    for (int i = 0; i < a->form.count; i++) {
        if (!typed(a->form.spec[i].kind))
            continue;
        if (t == 0)
            rig_tap(r, fl.box[i]);
        Input in = {.type = IN_TEXT};
        snprintf(in.text, sizeof in.text, "%s", text[t < 3 ? t : 2]);
        shell_feed(r->sh, &in, r->now);
        Input next = {.type = IN_KEY, .key = KEYIN_TAB};
        shell_feed(r->sh, &next, r->now);
        t++;
    }
    app_form_layout(a, &fl);
    for (int i = 0; i < a->form.count; i++)
        if (a->form.spec[i].kind == FORM_CHOICE)
            rig_tap(r, fl.choice[i][choice % a->form.spec[i].choice_count]);
    rig_tap(r, fl.consent_box);
    rig_tap(r, fl.submit);
    return a->screen == SCREEN_THANKS;
}

const App *rig_app(const Rig *r)
{
    return shell_app(r->sh);
}

long rig_csv_rows(const Rig *r)
{
    FILE *f = fopen(r->csv, "rb");
    if (!f)
        return -1;
    static char buf[8 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    long rows = -1; /* the header is not a row */
    for (size_t off = 0, used = 0; off < len; off += used) {
        char *fields[64];
        int n = csv_parse_row(buf + off, len - off, &used, fields, 64);
        if (n < 0)
            return -1;
        for (int i = 0; i < n; i++)
            free(fields[i]);
        rows++;
    }
    return rows;
}

int rig_check_csv(const Rig *r, long want_rows)
{
    const char *names[APP_ROW_MAX];
    size_t ncolumns = app_signup_columns(rig_app(r)->deck, names), len = 0;
    char *buf = files_slurp(r->csv, &len);
    if (!buf) {
        fprintf(stderr, "rig: %s is missing\n", r->csv);
        return 1;
    }
    int problems = 0;
    size_t consent = 0; /* not last: duplicate_of, often empty, follows it */
    while (consent + 1 < ncolumns && strcmp(names[consent], "consent_version") != 0)
        consent++;
    if (csv_scan_complete(buf, len) != len) {
        fprintf(stderr, "rig: %s ends in an incomplete row\n", r->csv);
        problems++;
    }
    long rows = -1; /* the header is not a row */
    for (size_t off = 0, used = 0; off < len; off += used, rows++) {
        char *fields[64] = {0};
        int n = csv_parse_row(buf + off, len - off, &used, fields, 64);
        /* Sent forms have a name and the consent version. */
        bool ok = n == (int)ncolumns && (rows < 0 || (fields[4][0] && fields[consent][0]));
        for (int i = 0; i < 64; i++)
            free(fields[i]);
        if (!ok) {
            fprintf(stderr, "rig: %s: row %ld has %d fields (expected %zu) or lacks a name\n",
                    r->csv, rows + 1, n, ncolumns);
            problems++;
            break;
        }
    }
    if (rows != want_rows) {
        fprintf(stderr, "rig: %s has %ld rows, expected %ld\n", r->csv, rows, want_rows);
        problems++;
    }
    free(buf);
    return problems;
}

void rig_close(Rig *r, bool keep)
{
    shell_close(r->sh);
    r->sh = NULL;
    settings_free(r->settings);
    r->settings = NULL;
    if (keep) {
        fprintf(stderr, "rig: files kept in %s\n", r->dir);
        return;
    }
    files_rm_tree(r->dir);
}

void rig_open_staff(Rig *r)
{
    LRect c = app_staff_corner(rig_app(r));
    rig_feed(r, IN_DOWN, c.x + c.w / 2, c.y + c.h / 2);
    rig_turn(r, APP_STAFF_HOLD_MS + 100, true);
    rig_feed(r, IN_UP, c.x + c.w / 2, c.y + c.h / 2);
    Input pin = {.type = IN_TEXT};
    snprintf(pin.text, sizeof pin.text, "%s", RIG_PIN);
    shell_feed(r->sh, &pin, r->now);
    Input done = {.type = IN_KEY, .key = KEYIN_RETURN};
    shell_feed(r->sh, &done, r->now);
    rig_turn(r, 100, true);
}
