/* Keyboard pages: geometry on the screens we ship for, hit testing, and the
 * keys each page must have. */
#include "keyboard.h"

#include "check.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    int w, h;
} screens[] = {
    {800, 480},   /* Raspberry Pi 7" display */
    {1280, 800},  /* 10" panels */
    {1920, 1080}, /* touch monitors */
    {1080, 1920}, /* the same, portrait */
};

static const struct {
    KbMode mode;
    KbPage page;
    int keys; /* how many keys the page has */
} pages[] = {
    {KB_MODE_TEXT, KB_PAGE_LOWER, 34},         {KB_MODE_TEXT, KB_PAGE_UPPER, 34},
    {KB_MODE_TEXT, KB_PAGE_SYMBOLS, 34},       {KB_MODE_TEXT, KB_PAGE_ACCENTS, 36},
    {KB_MODE_TEXT, KB_PAGE_ACCENTS_UPPER, 36}, {KB_MODE_EMAIL, KB_PAGE_LOWER, 34},
    {KB_MODE_EMAIL, KB_PAGE_UPPER, 34},        {KB_MODE_EMAIL, KB_PAGE_SYMBOLS, 34},
    {KB_MODE_EMAIL, KB_PAGE_ACCENTS, 36},      {KB_MODE_PHONE, KB_PAGE_PHONE, 14},
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Index of the key inserting @p text, or -1. */
static int find_insert(const KeyboardLayout *kb, const char *text)
{
    for (int i = 0; i < kb->count; i++)
        if (kb->keys[i].action.kind == KEY_INSERT && strcmp(kb->keys[i].action.text, text) == 0)
            return i;
    return -1;
}

static int find_kind(const KeyboardLayout *kb, KeyActionKind kind)
{
    for (int i = 0; i < kb->count; i++)
        if (kb->keys[i].action.kind == kind)
            return i;
    return -1;
}

static bool overlap(const KeyBox *a, const KeyBox *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static void check_geometry(int sw, int sh, KbMode mode, KbPage page, int want_keys)
{
    const int kh = keyboard_preferred_height(mode, sw, sh);
    KeyboardLayout kb;
    keyboard_layout(&kb, mode, page, 0, sh - kh, sw, kh);
    CHECK_INT(kb.count, want_keys);
    CHECK_INT(kb.page, page);
    CHECK(kb.gap >= 2);
    for (int i = 0; i < kb.count; i++) {
        const KeyBox *k = &kb.keys[i];
        /* inside the keyboard rectangle and the screen */
        if (!(k->x >= kb.x && k->y >= kb.y && k->x + k->w <= kb.x + kb.w &&
              k->y + k->h <= kb.y + kb.h && k->x >= 0 && k->y >= 0 && k->x + k->w <= sw &&
              k->y + k->h <= sh)) {
            fprintf(stderr,
                    "%dx%d mode %d page %d: key %d '%s' at %d,%d %dx%d leaves the keyboard\n", sw,
                    sh, mode, page, i, k->label, k->x, k->y, k->w, k->h);
            check_failures++;
        }
        if (k->h < KB_MIN_KEY_H_PX) {
            fprintf(stderr, "%dx%d mode %d page %d: key '%s' only %d px high\n", sw, sh, mode, page,
                    k->label, k->h);
            check_failures++;
        }
        /* The 44 px width floor is for the smallest screen; larger ones
         * have wider keys, portrait ones narrower but taller keys. */
        if (sw == 800 && sh == 480 && k->w < 44) {
            fprintf(stderr, "800x480 mode %d page %d: key '%s' only %d px wide\n", mode, page,
                    k->label, k->w);
            check_failures++;
        }
        CHECK(k->label && k->label[0]);
        CHECK(k->action.kind != KEY_INSERT || (k->action.text && k->action.text[0]));
        /* the centre hits the key */
        CHECK_INT(keyboard_hit(&kb, k->x + k->w / 2, k->y + k->h / 2), i);
        /* so do its corners */
        CHECK_INT(keyboard_hit(&kb, k->x, k->y), i);
        CHECK_INT(keyboard_hit(&kb, k->x + k->w - 1, k->y + k->h - 1), i);
        for (int j = i + 1; j < kb.count; j++) {
            if (overlap(k, &kb.keys[j])) {
                fprintf(stderr, "%dx%d mode %d page %d: keys '%s' and '%s' overlap\n", sw, sh, mode,
                        page, k->label, kb.keys[j].label);
                check_failures++;
            }
        }
    }
    /* Taps in gaps go to a neighbour: every pixel of the gap between two
     * keys side by side, and the point between a key and the row below. */
    for (int i = 0; i + 1 < kb.count; i++) {
        const KeyBox *a = &kb.keys[i], *b = &kb.keys[i + 1];
        if (a->y == b->y) {
            CHECK(b->x - (a->x + a->w) == kb.gap);
            for (int px = a->x + a->w; px < b->x; px++) {
                const int hit = keyboard_hit(&kb, px, a->y + a->h / 2);
                if (hit != i && hit != i + 1) {
                    fprintf(stderr, "%dx%d page %d: gap tap at x=%d between '%s' and '%s' hit %d\n",
                            sw, sh, page, px, a->label, b->label, hit);
                    check_failures++;
                }
            }
        }
    }
    for (int i = 0; i < kb.count; i++) {
        const KeyBox *a = &kb.keys[i];
        for (int py = a->y + a->h; py < a->y + a->h + kb.gap && py < kb.y + kb.h; py++) {
            const int hit = keyboard_hit(&kb, a->x + a->w / 2, py);
            if (hit < 0 || (hit != i && kb.keys[hit].y <= a->y)) {
                fprintf(stderr, "%dx%d page %d: tap below '%s' at y=%d hit %d\n", sw, sh, page,
                        a->label, py, hit);
                check_failures++;
            }
        }
    }
    /* Everything inside the keyboard's key area resolves to a key (on a
     * sample grid); far outside, nothing does. */
    if (page != KB_PAGE_PHONE)
        for (int py = kb.y; py < kb.y + kb.h; py += 7)
            for (int px = kb.x; px < kb.x + kb.w; px += 7)
                if (keyboard_hit(&kb, px, py) < 0) {
                    fprintf(stderr, "%dx%d page %d: dead spot at %d,%d\n", sw, sh, page, px, py);
                    check_failures++;
                }
    CHECK_INT(keyboard_hit(&kb, sw / 2, kb.y - kb.gap - 5), -1);
    CHECK_INT(keyboard_hit(&kb, -100, sh - 10), -1);
}

static void test_geometry(void)
{
    for (int s = 0; s < N(screens); s++)
        for (int p = 0; p < N(pages); p++)
            check_geometry(screens[s].w, screens[s].h, pages[p].mode, pages[p].page, pages[p].keys);
}

static void test_preferred_height(void)
{
    for (int s = 0; s < N(screens); s++) {
        const int w = screens[s].w, h = screens[s].h;
        for (KbMode m = KB_MODE_TEXT; m <= KB_MODE_PHONE; m++) {
            const int kh = keyboard_preferred_height(m, w, h);
            CHECK(kh <= h * 55 / 100);
            CHECK(kh >= KB_ROWS * KB_MIN_KEY_H_PX);
            CHECK_INT(kh, keyboard_preferred_height(KB_MODE_TEXT, w, h)); /* no jumps */
            if (h > w) /* portrait: a third of the screen at most, a fifth at least */
                CHECK(kh * 3 <= h && kh * 5 >= h);
            else
                CHECK(kh * 100 >= h * 40);
        }
    }
    CHECK_INT(keyboard_preferred_height(KB_MODE_TEXT, 800, 480), 240);
    CHECK_INT(keyboard_preferred_height(KB_MODE_TEXT, 0, 480), 0);
    CHECK_INT(keyboard_preferred_height(KB_MODE_TEXT, 800, -1), 0);
    /* A short screen still gets 48 px keys when 55 % allows it. */
    const int kh = keyboard_preferred_height(KB_MODE_TEXT, 800, 420);
    KeyboardLayout kb;
    keyboard_layout(&kb, KB_MODE_TEXT, KB_PAGE_LOWER, 0, 420 - kh, 800, kh);
    for (int i = 0; i < kb.count; i++)
        CHECK(kb.keys[i].h >= KB_MIN_KEY_H_PX);
}

static void test_required_keys(void)
{
    KeyboardLayout kb;
    static const KbPage letter_pages[] = {KB_PAGE_LOWER, KB_PAGE_UPPER};
    for (KbMode m = KB_MODE_TEXT; m <= KB_MODE_EMAIL; m++) {
        for (int p = 0; p < N(letter_pages); p++) {
            keyboard_layout(&kb, m, letter_pages[p], 0, 0, 800, 240);
            const int shift = find_kind(&kb, KEY_SHIFT), bksp = find_kind(&kb, KEY_BACKSPACE);
            const int done = find_kind(&kb, KEY_DONE), space = find_insert(&kb, " ");
            CHECK(shift >= 0 && kb.keys[shift].icon == KEY_ICON_SHIFT);
            CHECK(bksp >= 0 && kb.keys[bksp].icon == KEY_ICON_BACKSPACE);
            CHECK(done >= 0 && kb.keys[done].icon == KEY_ICON_DONE);
            CHECK(space >= 0 && kb.keys[space].icon == KEY_ICON_SPACE);
            CHECK(find_kind(&kb, KEY_PAGE_SYMBOLS) >= 0);
            CHECK(find_kind(&kb, KEY_PAGE_LETTERS) < 0);
            /* the space bar is the widest key */
            for (int i = 0; i < kb.count; i++)
                CHECK(kb.keys[i].w <= kb.keys[space].w);
            const char *a = letter_pages[p] == KB_PAGE_LOWER ? "a" : "A";
            const char *z = letter_pages[p] == KB_PAGE_LOWER ? "z" : "Z";
            CHECK(find_insert(&kb, a) >= 0);
            CHECK(find_insert(&kb, z) >= 0);
            for (const char *c = "qwertyuiopasdfghjklzxcvbnm"; *c; c++) {
                char s[2] = {*c, 0};
                if (letter_pages[p] == KB_PAGE_UPPER)
                    s[0] = (char)(s[0] - 'a' + 'A');
                CHECK(find_insert(&kb, s) >= 0);
            }
            if (m == KB_MODE_EMAIL) {
                CHECK(find_insert(&kb, "@") >= 0);
                CHECK(find_insert(&kb, ".") >= 0);
                CHECK(find_insert(&kb, ".com") >= 0);
            } else {
                CHECK(find_insert(&kb, "'") >= 0); /* O'Brien */
                CHECK(find_insert(&kb, "-") >= 0); /* Jean-Luc */
                CHECK(find_kind(&kb, KEY_PAGE_ACCENTS) >= 0);
            }
        }
        keyboard_layout(&kb, m, KB_PAGE_SYMBOLS, 0, 0, 800, 240);
        for (const char *c = "0123456789@._-+"; *c; c++) {
            const char s[2] = {*c, 0};
            CHECK(find_insert(&kb, s) >= 0);
        }
        CHECK(find_kind(&kb, KEY_PAGE_LETTERS) >= 0);
        CHECK(find_kind(&kb, KEY_PAGE_ACCENTS) >= 0);
        CHECK(find_kind(&kb, KEY_BACKSPACE) >= 0);
        CHECK(find_kind(&kb, KEY_DONE) >= 0);
        CHECK(find_insert(&kb, " ") >= 0);
    }

    /* Accents: lower case on one page, capitals on the shifted one. */
    static const char *const lower[] = {"é", "è", "ê", "ë", "à", "â", "ç",
                                        "ü", "ö", "ñ", "ï", "ô", "ß"};
    static const char *const upper[] = {"É", "È", "Ê", "Ë", "À", "Â", "Ç", "Ü", "Ö", "Ñ", "Ï", "Ô"};
    keyboard_layout(&kb, KB_MODE_TEXT, KB_PAGE_ACCENTS, 0, 0, 800, 240);
    for (int i = 0; i < N(lower); i++)
        CHECK(find_insert(&kb, lower[i]) >= 0);
    CHECK(find_kind(&kb, KEY_SHIFT) >= 0);
    CHECK(find_kind(&kb, KEY_PAGE_LETTERS) >= 0);
    CHECK(find_kind(&kb, KEY_BACKSPACE) >= 0);
    keyboard_layout(&kb, KB_MODE_TEXT, KB_PAGE_ACCENTS_UPPER, 0, 0, 800, 240);
    for (int i = 0; i < N(upper); i++)
        CHECK(find_insert(&kb, upper[i]) >= 0);

    /* Phone: keypad only, whatever page is asked for. */
    for (KbPage p = KB_PAGE_LOWER; p < KB_PAGE_COUNT; p++) {
        keyboard_layout(&kb, KB_MODE_PHONE, p, 0, 0, 800, 240);
        CHECK_INT(kb.page, KB_PAGE_PHONE);
        CHECK_INT(kb.count, 14);
        for (const char *c = "0123456789+-"; *c; c++) {
            const char s[2] = {*c, 0};
            CHECK(find_insert(&kb, s) >= 0);
        }
        CHECK(find_kind(&kb, KEY_BACKSPACE) >= 0);
        CHECK(find_kind(&kb, KEY_DONE) >= 0);
        CHECK(find_kind(&kb, KEY_SHIFT) < 0);
        CHECK(find_kind(&kb, KEY_PAGE_SYMBOLS) < 0);
        CHECK(find_kind(&kb, KEY_PAGE_LETTERS) < 0);
        CHECK(find_insert(&kb, "a") < 0);
        /* No blank key: the space is gone, every key has a label. */
        CHECK(find_insert(&kb, " ") < 0);
        for (int i = 0; i < kb.count; i++)
            CHECK(kb.keys[i].icon != KEY_ICON_SPACE && kb.keys[i].label && kb.keys[i].label[0]);
    }
    /* 0 sits centred under 8, as on a phone, spanning 7 to 9. */
    const KeyBox *k0 = &kb.keys[find_insert(&kb, "0")], *k8 = &kb.keys[find_insert(&kb, "8")];
    const KeyBox *k7 = &kb.keys[find_insert(&kb, "7")], *k9 = &kb.keys[find_insert(&kb, "9")];
    CHECK(abs((k0->x + k0->w / 2) - (k8->x + k8->w / 2)) <= 1);
    CHECK_INT(k0->x, k7->x);
    CHECK_INT(k0->x + k0->w, k9->x + k9->w);
    CHECK(k0->y > k8->y);
    /* On a wide keyboard the keypad is centred, not stretched. */
    CHECK(kb.keys[0].x > 0);
    CHECK(kb.keys[3].x + kb.keys[3].w < 800);
    CHECK_INT(kb.keys[0].x - 0, 800 - (kb.keys[3].x + kb.keys[3].w));
}

static void test_degenerate(void)
{
    KeyboardLayout kb;
    keyboard_layout(&kb, KB_MODE_TEXT, KB_PAGE_LOWER, 10, 10, 0, 0);
    CHECK_INT(kb.count, 34);
    for (int i = 0; i < kb.count; i++)
        CHECK(kb.keys[i].w == 0 && kb.keys[i].h == 0);
    CHECK_INT(keyboard_hit(&kb, 10, 10), -1);
    keyboard_layout(&kb, KB_MODE_TEXT, KB_PAGE_LOWER, 0, 0, -5, -5);
    CHECK_INT(kb.w, 0);
    CHECK_INT(keyboard_hit(&kb, 0, 0), -1);
    keyboard_layout(&kb, KB_MODE_TEXT, (KbPage)99, 0, 0, 800, 240);
    CHECK_INT(kb.page, KB_PAGE_LOWER);
    CHECK_INT(keyboard_hit(NULL, 0, 0), -1);
    keyboard_layout(NULL, KB_MODE_TEXT, KB_PAGE_LOWER, 0, 0, 800, 240); /* no crash */
    /* The layout can sit anywhere on the screen. */
    keyboard_layout(&kb, KB_MODE_EMAIL, KB_PAGE_LOWER, 100, 300, 600, 180);
    for (int i = 0; i < kb.count; i++)
        CHECK_INT(
            keyboard_hit(&kb, kb.keys[i].x + kb.keys[i].w / 2, kb.keys[i].y + kb.keys[i].h / 2), i);
    CHECK(kb.keys[0].x >= 100 && kb.keys[0].y >= 300);
}

int main(void)
{
    test_geometry();
    test_preferred_height();
    test_required_keys();
    test_degenerate();
    return check_report("test_keyboard");
}
