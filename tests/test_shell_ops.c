/* Staff operations through the real shell on the offscreen driver: live
 * reload (a good deck, a bad one, a half-written one, a change while a
 * client fills in the form), the corner hold and PIN to the staff screen,
 * export to a folder standing in for a USB stick, and a log that never
 * holds a client's name, phone or email. */
#include <SDL.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "deck.h"
#include "deckload.h"
#include "pin.h"
#include "settings.h"
#include "shell.h"

#define W 800
#define H 480

static Shell *sh;
static char dir[] = "/tmp/kiosk-ops-XXXXXX";
static char deck_path[256];

static void run_for(int ms)
{
    uint64_t end = SDL_GetTicks64() + (uint64_t)ms;
    while (SDL_GetTicks64() < end)
        shell_step(sh, 20);
}

static void finger(Uint32 type, int x, int y)
{
    SDL_Event ev = {0};
    ev.type = type;
    ev.tfinger.fingerId = 1;
    ev.tfinger.x = (x + 0.5f) / W;
    ev.tfinger.y = (y + 0.5f) / H;
    SDL_PushEvent(&ev);
    for (int i = 0; i < 3; i++)
        shell_step(sh, 0);
}

static void tap(LRect r)
{
    finger(SDL_FINGERDOWN, r.x + r.w / 2, r.y + r.h / 2);
    finger(SDL_FINGERUP, r.x + r.w / 2, r.y + r.h / 2);
}

static void write_file(const char *path, const char *text, size_t len)
{
    /* Like an editor: a new file renamed into place. */
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    fwrite(text, 1, len, f);
    fclose(f);
    rename(tmp, path);
}

static void write_deck(int slides)
{
    char text[2048] = "signup:\n  consent_version: v1\nslides:\n";
    for (int i = 0; i < slides; i++) {
        char s[64];
        snprintf(s, sizeof s, "  - title: Slide %d\n    text: Words.\n", i + 1);
        strcat(text, s);
    }
    write_file(deck_path, text, strlen(text));
}

static const Deck *shown(void)
{
    return shell_app(sh)->deck;
}

static void press_key_text(const char *text)
{
    const App *a = shell_app(sh);
    for (int i = 0; i < a->kb.count; i++) {
        const KeyBox *k = &a->kb.keys[i];
        if (k->action.kind == KEY_INSERT && strcmp(k->action.text, text) == 0) {
            tap((LRect){k->x, k->y, k->w, k->h});
            return;
        }
    }
    fprintf(stderr, "no key '%s'\n", text);
    check_failures++;
}

static void press_action(KeyActionKind kind)
{
    const App *a = shell_app(sh);
    for (int i = 0; i < a->kb.count; i++) {
        const KeyBox *k = &a->kb.keys[i];
        if (k->action.kind == kind) {
            tap((LRect){k->x, k->y, k->w, k->h});
            return;
        }
    }
}

static bool file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, needle) != NULL;
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    snprintf(deck_path, sizeof deck_path, "%s/deck.yaml", dir);
    char csv[300], usb[300], log_path[300], settings_text[1024], hash[PIN_HASH_MAX];
    snprintf(csv, sizeof csv, "%s/signups.csv", dir);
    snprintf(usb, sizeof usb, "%s/usb", dir);
    snprintf(log_path, sizeof log_path, "%s/kiosk.log", dir);
    mkdir(usb, 0700);
    setenv("KIOSK_USB_ROOT", usb, 1);

    /* Everything the kiosk logs goes to a file we can search. */
    int log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int saved_stderr = dup(2);
    dup2(log_fd, 2);

    char err[256];
    CHECK_INT(pin_hash("2468", hash, sizeof hash, err, sizeof err), 0);
    snprintf(settings_text, sizeof settings_text, "staff_pin: \"%s\"\n", hash);
    DiagList diags = DIAG_LIST_INIT;
    Settings *settings = settings_load_string("kiosk.yaml", settings_text, strlen(settings_text),
                                              &diags);
    diag_clear(&diags);
    CHECK(settings != NULL);

    write_deck(2);
    DeckLoadOptions lo = {.data_dir = TEST_SOURCE_DIR};
    Deck *deck = deck_load(deck_path, &lo, &diags);
    diag_clear(&diags);
    ShellOptions opts = {.deck_path = deck_path,
                         .data_dir = TEST_SOURCE_DIR,
                         .signups_path = csv,
                         .kiosk_id = "ops-test",
                         .windowed = true,
                         .width = W,
                         .height = H,
                         .renderer = "software",
                         .settings = settings};
    sh = shell_open(&opts, deck);
    CHECK(sh != NULL);
    if (!sh)
        return check_report("test_shell_ops");
    run_for(100);
    ChromeLayout c;
    layout_chrome(shown(), W, H, &c);

    /* A good new deck: shown from the next slide on. */
    write_deck(3);
    run_for(800);
    CHECK_INT(shown()->slide_count, 2);
    tap(c.next);
    run_for(50);
    CHECK_INT(shown()->slide_count, 3);

    /* A broken deck: rejected, the old one stays, the staff are told. */
    write_file(deck_path, "slides: [\n", 10);
    run_for(800);
    tap(c.next);
    run_for(50);
    CHECK_INT(shown()->slide_count, 3);
    CHECK(strstr(shell_reload_status(sh), "failed") != NULL);

    /* A half-written deck followed by the rest within the debounce: only
     * the whole file is read, so no failure is reported for it. */
    const char *whole = "slides:\n  - title: A\n  - title: B\n  - title: C\n  - title: D\n";
    int fd = open(deck_path, O_WRONLY | O_TRUNC);
    CHECK(write(fd, whole, 20) == 20);
    close(fd); /* the first half is on disk and the editor closed it */
    run_for(150);
    fd = open(deck_path, O_WRONLY | O_APPEND);
    CHECK(write(fd, whole + 20, strlen(whole) - 20) == (ssize_t)(strlen(whole) - 20));
    close(fd);
    run_for(800);
    CHECK(strstr(shell_reload_status(sh), "ok") != NULL);
    tap(c.next);
    run_for(50);
    CHECK_INT(shown()->slide_count, 4);

    /* A translation saved next to the deck: reloaded like the deck, and
     * its language button appears; a broken one is left out, the deck and
     * its other languages shown. */
    char es_path[300];
    snprintf(es_path, sizeof es_path, "%s/deck.es.yaml", dir);
    const char *es = "language: {code: es, name: Español}\nslides:\n  - name: a\n    title: Uno\n";
    CHECK_INT(shell_app(sh)->base->lang_count, 1);
    write_file(es_path, es, strlen(es));
    run_for(800);
    tap(c.next);
    run_for(50);
    CHECK_INT(shell_app(sh)->base->lang_count, 2);
    CHECK_STR(deck_view(shell_app(sh)->base, 1, false)->slides[0].title, "Uno");
    write_file(es_path, "language: {code: es, name: Español}\nslides: [\n", 47);
    run_for(800);
    tap(c.next);
    run_for(50);
    CHECK_INT(shell_app(sh)->base->lang_count, 1);
    CHECK_INT(shown()->slide_count, 4);
    unlink(es_path);

    /* A change while a client fills in the form waits until they are done. */
    tap(c.signup);
    CHECK_INT(shell_app(sh)->screen, SCREEN_FORM);
    write_deck(5);
    run_for(800);
    CHECK_INT(shown()->slide_count, 4);
    FormLayout fl;
    app_form_layout(shell_app(sh), &fl);
    /* The client signs up meanwhile, with details that must not be logged. */
    tap(fl.box[0]);
    SDL_Event te = {0};
    te.type = SDL_TEXTINPUT;
    strcpy(te.text.text, "Secretname Q");
    SDL_PushEvent(&te);
    run_for(30);
    press_action(KEY_DONE);
    app_form_layout(shell_app(sh), &fl);
    tap(fl.box[2]);
    strcpy(te.text.text, "hidden@example.org");
    SDL_PushEvent(&te);
    run_for(30);
    press_action(KEY_DONE);
    app_form_layout(shell_app(sh), &fl);
    tap(fl.box[1]);
    strcpy(te.text.text, "0207946999");
    SDL_PushEvent(&te);
    run_for(30);
    press_action(KEY_DONE);
    app_form_layout(shell_app(sh), &fl);
    tap(fl.consent_box);
    tap(fl.submit);
    CHECK_INT(shell_app(sh)->screen, SCREEN_THANKS);
    CHECK_INT(shown()->slide_count, 4);
    tap((LRect){W / 2, H / 2, 1, 1}); /* back to the slides: a boundary */
    run_for(50);
    CHECK_INT(shown()->slide_count, 5);
    CHECK(file_contains(csv, "Secretname Q"));

    /* Staff: hold the corner, enter the PIN, export. */
    /* The hold's release waits in the queue (a slow frame on a busy Pi):
     * it is still a hold, by the events' own times. */
    LRect corner = app_staff_corner(shell_app(sh));
    SDL_Event down = {0};
    down.type = SDL_FINGERDOWN;
    down.tfinger.fingerId = 1;
    down.tfinger.x = (corner.x + 4.5f) / W;
    down.tfinger.y = (corner.y + 4.5f) / H;
    SDL_PushEvent(&down);
    SDL_Delay(APP_STAFF_HOLD_MS + 200);
    SDL_Event up = down;
    up.type = SDL_FINGERUP;
    SDL_PushEvent(&up);
    shell_step(sh, 0);
    CHECK_INT(shell_app(sh)->screen, SCREEN_PIN);
    press_key_text("1");
    press_key_text("1");
    press_key_text("1");
    press_key_text("1");
    press_action(KEY_DONE);
    CHECK_INT(shell_app(sh)->screen, SCREEN_PIN);
    CHECK(shell_app(sh)->pin_wrong);
    press_key_text("2");
    press_key_text("4");
    press_key_text("6");
    press_key_text("8");
    press_action(KEY_DONE);
    CHECK_INT(shell_app(sh)->screen, SCREEN_STAFF);
    CHECK(strstr(shell_app(sh)->staff.signups, "1 today") != NULL);
    StaffLayout sl;
    app_staff_layout(shell_app(sh), &sl);
    tap(sl.export_btn);
    /* The copy runs on a thread: the screen says so (unless the copy was
     * already done by the tap's last turn), then the result. */
    CHECK(strstr(shell_app(sh)->staff.message, "Saving") != NULL ||
          strstr(shell_app(sh)->staff.message, "Saved") != NULL);
    for (int i = 0; i < 100 && !strstr(shell_app(sh)->staff.message, "Saved"); i++)
        run_for(20);
    CHECK(strstr(shell_app(sh)->staff.message, "Saved") != NULL);
    DIR *d = opendir(usb);
    int exported = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strstr(e->d_name, ".csv")) {
            char path[600];
            snprintf(path, sizeof path, "%s/%s", usb, e->d_name);
            CHECK(file_contains(path, "Secretname Q"));
            exported++;
        }
    }
    if (d)
        closedir(d);
    CHECK_INT(exported, 1);
    /* The export read the copy back: Erase offers exactly those rows, asks
     * first, and leaves the stick's copy alone. */
    CHECK_INT(shell_app(sh)->staff.erasable, 1);
    tap(sl.erase_btn);
    CHECK(shell_app(sh)->staff.erase_confirm);
    CHECK(strstr(shell_app(sh)->staff.message, "Erase 1 sign-up from this kiosk?") != NULL);
    CHECK(file_contains(csv, "Secretname Q")); /* nothing gone before Yes */
    tap(sl.yes_btn);
    CHECK(strstr(shell_app(sh)->staff.message, "Erased 1 sign-up from this kiosk") != NULL);
    CHECK(!file_contains(csv, "Secretname Q"));
    CHECK(file_contains(csv, "id,"));
    CHECK_INT(shell_app(sh)->staff.erasable, 0);
    d = opendir(usb);
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".csv")) {
            char path[600];
            snprintf(path, sizeof path, "%s/%s", usb, e->d_name);
            CHECK(file_contains(path, "Secretname Q"));
        }
    if (d)
        closedir(d);
    /* Exit from the staff screen ends the loop. */
    tap(sl.exit_btn);
    CHECK(!shell_step(sh, 0));
    shell_close(sh);
    settings_free(settings);

    fflush(stderr);
    dup2(saved_stderr, 2);
    close(log_fd);
    /* The log says what happened, and nothing about who. */
    CHECK(file_contains(log_path, "deck reload failed"));
    CHECK(file_contains(log_path, "stored"));
    CHECK(file_contains(log_path, "staff screen opened"));
    CHECK(file_contains(log_path, "export done"));
    CHECK(file_contains(log_path, "erased 1 sign-up(s) from the kiosk"));
    CHECK(!file_contains(log_path, "Secretname"));
    CHECK(!file_contains(log_path, "hidden@example.org"));
    CHECK(!file_contains(log_path, "0207946999"));
    CHECK(!file_contains(log_path, "2468"));
    if (check_failures) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "cat '%s' >&2", log_path);
        if (system(cmd) != 0)
            fprintf(stderr, "(log not shown)\n");
    }
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("test_shell_ops");
}
