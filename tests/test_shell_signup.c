/* End to end through the offscreen driver: the real shell, fed real SDL
 * finger events, taps through the sign-up form on the bundled deck with the
 * on-screen keyboard, and the row is then found in the CSV file. */
#include <SDL.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "csv.h"
#include "deck.h"
#include "deckload.h"
#include "shell.h"
#include "store.h"

#define W 800
#define H 480

static Shell *sh;

static void settle(void)
{
    for (int i = 0; i < 5; i++)
        shell_step(sh, 0);
}

static void tap(int x, int y)
{
    SDL_Event ev = {0};
    ev.type = SDL_FINGERDOWN;
    ev.tfinger.fingerId = 1;
    ev.tfinger.x = (x + 0.5f) / W;
    ev.tfinger.y = (y + 0.5f) / H;
    SDL_PushEvent(&ev);
    settle();
    ev.type = SDL_FINGERUP;
    SDL_PushEvent(&ev);
    settle();
}

static void tap_rect(LRect r)
{
    tap(r.x + r.w / 2, r.y + r.h / 2);
}

static int find_key(const App *a, const char *text)
{
    for (int i = 0; i < a->kb.count; i++) {
        const KeyBox *k = &a->kb.keys[i];
        if (k->action.kind == KEY_INSERT && k->action.text && strcmp(k->action.text, text) == 0)
            return i;
    }
    return -1;
}

static int find_action(const App *a, KeyActionKind kind)
{
    for (int i = 0; i < a->kb.count; i++)
        if (a->kb.keys[i].action.kind == kind)
            return i;
    return -1;
}

static void press(int key)
{
    const KeyBox *k = &shell_app(sh)->kb.keys[key];
    tap(k->x + k->w / 2, k->y + k->h / 2);
}

/* Types with the on-screen keys only, switching pages as a person would. */
static void type(const char *s)
{
    for (; *s; s++) {
        char want[5] = {*s, 0};
        char upper[5] = {(char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s), 0};
        if (*s == '.' && strncmp(s, ".com", 4) == 0 && find_key(shell_app(sh), ".com") >= 0) {
            press(find_key(shell_app(sh), ".com"));
            s += 3;
            continue;
        }
        /* A person taps the letter shown, whatever its case. */
        int k = find_key(shell_app(sh), want);
        if (k < 0)
            k = find_key(shell_app(sh), upper);
        for (int tries = 0; k < 0 && tries < 4; tries++) {
            const App *a = shell_app(sh);
            KeyActionKind page = tries % 2 == 0 ? KEY_SHIFT : KEY_PAGE_SYMBOLS;
            if (*s >= '0' && *s <= '9')
                page = tries % 2 == 0 ? KEY_PAGE_SYMBOLS : KEY_PAGE_LETTERS;
            int p = find_action(a, page);
            if (p < 0)
                p = find_action(a, KEY_PAGE_LETTERS);
            if (p >= 0)
                press(p);
            k = find_key(shell_app(sh), want);
        }
        if (k < 0) {
            fprintf(stderr, "no on-screen key for '%c'\n", *s);
            check_failures++;
            return;
        }
        press(k);
    }
}

int main(void)
{
    char dir[] = "/tmp/kiosk-e2e-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char csv[256];
    snprintf(csv, sizeof csv, "%s/data/signups.csv", dir);

    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions lo = {.data_dir = TEST_SOURCE_DIR};
    Deck *deck = deck_load(TEST_SOURCE_DIR "/slides/microneedling.yaml", &lo, &diags);
    diag_clear(&diags);
    CHECK(deck != NULL);
    if (!deck)
        return check_report("test_shell_signup");
    ShellOptions opts = {.deck_path = TEST_SOURCE_DIR "/slides/microneedling.yaml",
                         .data_dir = TEST_SOURCE_DIR,
                         .signups_path = csv,
                         .kiosk_id = "waiting-room-1",
                         .windowed = true,
                         .width = W,
                         .height = H,
                         .renderer = "software"};
    sh = shell_open(&opts, deck);
    CHECK(sh != NULL);
    if (!sh)
        return check_report("test_shell_signup");
    settle();
    const App *a = shell_app(sh);
    CHECK_INT(a->w, W);

    /* Step to the call-to-action slide and tap its button. */
    for (size_t i = 0; i + 1 < deck->slide_count; i++)
        tap(W * 9 / 10, H / 3);
    CHECK_INT(a->slide, (int)deck->slide_count - 1);
    tap_rect(layout_cta_button(deck, W, H));
    CHECK_INT(a->screen, SCREEN_FORM);

    FormLayout fl;
    app_form_layout(a, &fl);
    tap_rect(fl.box[0]);
    CHECK(a->kb_visible);
    /* Tapping the letters shown, never Shift: the keyboard starts each
     * word of a name with a capital, as a phone's does. */
    type("jane test");
    CHECK_STR(a->form.value[0], "Jane Test");

    press(find_action(a, KEY_DONE));
    CHECK(!a->kb_visible);

    /* The client switches to Spanish on the form, with the language
     * button: the form speaks Spanish and what was typed stays. */
    app_form_layout(a, &fl);
    CHECK(fl.view.lang[1].w > 0);
    tap_rect(fl.view.lang[1]);
    CHECK_STR(a->deck->lang_code, "es");
    CHECK_STR(a->deck->fields[0].label, "Su nombre");
    CHECK_STR(a->form.value[0], "Jane Test");
    CHECK_INT(a->screen, SCREEN_FORM);

    app_form_layout(a, &fl);
    tap_rect(fl.box[1]);
    CHECK_INT(a->kb.page, KB_PAGE_PHONE);
    /* Digits only but too short: told so, not "digits only". */
    type("51234");
    press(find_action(a, KEY_DONE));
    CHECK(form_should_show_error(&a->form, 1));
    CHECK_INT(form_field_error(&a->form, 1), FORM_ERR_PHONE_SHORT);
    app_form_layout(a, &fl);
    tap_rect(fl.box[1]);
    for (int i = 0; i < 5; i++)
        press(find_action(a, KEY_BACKSPACE));
    CHECK_STR(a->form.value[1], "");
    type("+44-20-7946-0958");
    press(find_action(a, KEY_DONE));
    app_form_layout(a, &fl);
    tap_rect(fl.box[2]);
    type("ann.lee@example.com");
    CHECK_STR(a->form.value[2], "ann.lee@example.com");
    press(find_action(a, KEY_DONE));
    app_form_layout(a, &fl);
    tap_rect(fl.choice[3][1]);
    CHECK_INT(a->form.choice[3], 1);
    tap_rect(fl.consent_box);
    CHECK(form_valid(&a->form));
    tap_rect(fl.submit);
    CHECK_INT(a->screen, SCREEN_THANKS);
    CHECK(!a->store_failed);

    /* The row is in the file, complete, with what was typed. */
    struct stat st;
    CHECK(stat(csv, &st) == 0);
    CHECK_INT(st.st_mode & 0777, 0600);
    FILE *f = fopen(csv, "rb");
    char buf[4096] = "";
    size_t len = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    char *fields[16] = {0};
    size_t used = 0, used2 = 0;
    int n = csv_parse_row(buf, len, &used, fields, 16); /* header */
    CHECK_INT(n, 11);
    CHECK_STR(fields[0], "id");
    CHECK_STR(fields[4], "name");
    CHECK_STR(fields[8], "consent_version");
    CHECK_STR(fields[9], "duplicate_of");
    CHECK_STR(fields[10], "language");
    for (int i = 0; i < 16; i++) {
        free(fields[i]);
        fields[i] = NULL;
    }
    n = csv_parse_row(buf + used, len - used, &used2, fields, 16);
    CHECK_INT(n, 11);
    if (n == 10) {
        CHECK_INT(strlen(fields[0]), 16);
        CHECK(strlen(fields[1]) >= 25); /* 2026-12-02T10:39:23+01:00 */
        CHECK_STR(fields[2], "waiting-room-1");
        CHECK_STR(fields[3], "microneedling");
        CHECK_STR(fields[4], "Jane Test");
        /* A leading + is guarded against spreadsheet formulas. */
        CHECK_STR(fields[5], "'+44-20-7946-0958");
        CHECK_STR(fields[6], "ann.lee@example.com");
        /* "Tarde" on screen; the column reads the same in every language. */
        CHECK_STR(fields[7], "Afternoon");
        CHECK_STR(fields[8], "2026-12-01");
        CHECK_STR(fields[9], ""); /* not a duplicate */
        CHECK_STR(fields[10], "es");
    }
    for (int i = 0; i < 16; i++)
        free(fields[i]);
    CHECK_INT(used + used2, len);

    /* The form was wiped for the next person; the thank-you screen is in
     * Spanish, and tapping it starts the next client in English. */
    CHECK_STR(a->form.value[0], "");
    CHECK_STR(a->deck->lang_code, "es");
    tap(W / 2, H / 2);
    CHECK_INT(a->screen, SCREEN_SLIDES);
    CHECK_STR(a->deck->lang_code, "en");
    shell_close(sh);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("test_shell_signup");
}
