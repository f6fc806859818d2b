/* On-screen keyboard pages as data, their geometry and hit testing.
 * See keyboard.h for the contract. */
#include "keyboard.h"

#include <stddef.h>
#include <string.h>

/* ---- The pages -------------------------------------------------------
 * One array of labels per page ("\n" ends a row, "" ends the map) and a
 * parallel array with one relative width per key (row breaks have none).
 * Widths are in half-letter units: a letter is 2, so a 10-letter row is 20
 * and a row of other keys that sums to 20 lines up with it. Rows are
 * stretched to the full width, so a row summing to 18 has slightly wider
 * keys and one summing to 22 slightly narrower ones.
 *
 * Labels of control keys are matched against kb_controls[] below; every
 * other label inserts itself. The symbols are UTF-8 (this file is UTF-8). */

/* The maps keep one keyboard row per line. */
/* clang-format off */
#define LBL_SHIFT "⇧"     /* U+21E7 */
#define LBL_BKSP "⌫"      /* U+232B */
#define LBL_DONE "✓"      /* U+2713 */
#define LBL_SPACE "␣"     /* U+2423 */
#define LBL_SYMBOLS "?123"
#define LBL_LETTERS "ABC"
#define LBL_ACCENTS "àé"

/* Names need the apostrophe and the hyphen (O'Brien, Jean-Luc) on the
 * first page; everything else is one page away. */
static const char *const map_lower_text[] = {
    "q", "w", "e", "r", "t", "y", "u", "i", "o", "p", "\n",
    "a", "s", "d", "f", "g", "h", "j", "k", "l", "\n",
    LBL_SHIFT, "z", "x", "c", "v", "b", "n", "m", LBL_BKSP, "\n",
    LBL_SYMBOLS, LBL_ACCENTS, "'", LBL_SPACE, "-", LBL_DONE, ""};
static const char *const map_upper_text[] = {
    "Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P", "\n",
    "A", "S", "D", "F", "G", "H", "J", "K", "L", "\n",
    LBL_SHIFT, "Z", "X", "C", "V", "B", "N", "M", LBL_BKSP, "\n",
    LBL_SYMBOLS, LBL_ACCENTS, "'", LBL_SPACE, "-", LBL_DONE, ""};
static const unsigned char widths_text[] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2,
    3, 2, 2, 2, 2, 2, 2, 2, 3,
    3, 2, 2, 8, 2, 3};

static const char *const map_lower_email[] = {
    "q", "w", "e", "r", "t", "y", "u", "i", "o", "p", "\n",
    "a", "s", "d", "f", "g", "h", "j", "k", "l", "\n",
    LBL_SHIFT, "z", "x", "c", "v", "b", "n", "m", LBL_BKSP, "\n",
    LBL_SYMBOLS, "@", LBL_SPACE, ".", ".com", LBL_DONE, ""};
static const char *const map_upper_email[] = {
    "Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P", "\n",
    "A", "S", "D", "F", "G", "H", "J", "K", "L", "\n",
    LBL_SHIFT, "Z", "X", "C", "V", "B", "N", "M", LBL_BKSP, "\n",
    LBL_SYMBOLS, "@", LBL_SPACE, ".", ".com", LBL_DONE, ""};
static const unsigned char widths_email[] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2,
    3, 2, 2, 2, 2, 2, 2, 2, 3,
    3, 2, 7, 2, 3, 3};

/* Digits and the punctuation an email address, a street name or a note
 * needs. Shared by the text and email modes. */
static const char *const map_symbols[] = {
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "\n",
    "@", "#", "&", "_", "-", "+", "(", ")", "/", "\n",
    LBL_ACCENTS, "%", "*", "\"", "'", ":", ";", "!", "?", LBL_BKSP, "\n",
    LBL_LETTERS, ",", LBL_SPACE, ".", LBL_DONE, ""};
static const unsigned char widths_symbols[] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2,
    3, 2, 2, 2, 2, 2, 2, 2, 2, 3,
    3, 2, 10, 2, 3};

/* Latin letters with diacritics used in Western European names (French,
 * German, Spanish, Portuguese, Italian, Nordic, Dutch). Capitals have their
 * own page because names start with them (Élodie, Ömer, Ángel). ß has no
 * capital in names, so it stays on both pages. */
static const char *const map_accents[] = {
    "à", "á", "â", "ä", "ã", "å", "æ", "ç", "è", "é", "\n",
    "ê", "ë", "ì", "í", "î", "ï", "ñ", "ò", "ó", "ô", "\n",
    LBL_SHIFT, "ö", "õ", "ø", "œ", "ù", "ú", "û", "ü", LBL_BKSP, "\n",
    LBL_LETTERS, "ß", "ý", LBL_SPACE, "ÿ", LBL_DONE, ""};
static const char *const map_accents_upper[] = {
    "À", "Á", "Â", "Ä", "Ã", "Å", "Æ", "Ç", "È", "É", "\n",
    "Ê", "Ë", "Ì", "Í", "Î", "Ï", "Ñ", "Ò", "Ó", "Ô", "\n",
    LBL_SHIFT, "Ö", "Õ", "Ø", "Œ", "Ù", "Ú", "Û", "Ü", LBL_BKSP, "\n",
    LBL_LETTERS, "ß", "Ý", LBL_SPACE, "Ÿ", LBL_DONE, ""};
static const unsigned char widths_accents[] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    3, 2, 2, 2, 2, 2, 2, 2, 2, 3,
    3, 2, 2, 8, 2, 3};

/* A phone keypad: digits where a phone has them, 0 centred under 8, and
 * only what a number is written with. There is no space key: a number
 * needs none, and a blank-looking key that typed an invisible space read as
 * a key that does nothing. 14 keys in a 4x4 grid leave one cell spare: 0
 * spans the three digit columns, as a calculator's wide 0 does. */
static const char *const map_phone[] = {
    "1", "2", "3", LBL_BKSP, "\n",
    "4", "5", "6", "-", "\n",
    "7", "8", "9", "+", "\n",
    "0", LBL_DONE, ""};
static const unsigned char widths_phone[] = {
    1, 1, 1, 1,
    1, 1, 1, 1,
    1, 1, 1, 1,
    3, 1};

typedef struct {
    const char *const *labels;
    const unsigned char *widths;
    size_t n_widths; /* must equal the number of keys in labels */
} KbMap;

#define KB_MAP(l, w) {(l), (w), sizeof(w) / sizeof((w)[0])}

/* The control keys, found by label (as LVGL's keyboard does). */
static const struct {
    const char *label;
    KeyActionKind kind;
    KeyIcon icon;
    const char *text;
} kb_controls[] = {
    {LBL_SHIFT, KEY_SHIFT, KEY_ICON_SHIFT, NULL},
    {LBL_BKSP, KEY_BACKSPACE, KEY_ICON_BACKSPACE, NULL},
    {LBL_DONE, KEY_DONE, KEY_ICON_DONE, NULL},
    {LBL_SPACE, KEY_INSERT, KEY_ICON_SPACE, " "},
    {LBL_SYMBOLS, KEY_PAGE_SYMBOLS, KEY_ICON_NONE, NULL},
    {LBL_LETTERS, KEY_PAGE_LETTERS, KEY_ICON_NONE, NULL},
    {LBL_ACCENTS, KEY_PAGE_ACCENTS, KEY_ICON_NONE, NULL},
};

/* Gap between keys: 1/80 of the width or 1/30 of the height, whichever is
 * smaller (8 px on an 800x240 keyboard), at least 2 px so keys read as
 * separate and at most 12 px so big screens don't waste key area. */
#define KB_GAP_MIN_PX 2
#define KB_GAP_MAX_PX 12
/* clang-format on */

static int kb_gap(int w, int h)
{
    int g = w / 80 < h / 30 ? w / 80 : h / 30;
    if (g < KB_GAP_MIN_PX)
        g = KB_GAP_MIN_PX;
    if (g > KB_GAP_MAX_PX)
        g = KB_GAP_MAX_PX;
    return g;
}

/* The phone keypad is at most 2.5 times as wide as it is tall (the constant
 * is that ratio times 2): its keys then stay about twice as wide as tall and
 * look like a keypad rather than four long bars on a wide screen. */
#define KB_PHONE_MAX_ASPECT_X2 5

static KbMap kb_map(KbMode mode, KbPage page)
{
    static const KbMap lower_text = KB_MAP(map_lower_text, widths_text);
    static const KbMap upper_text = KB_MAP(map_upper_text, widths_text);
    static const KbMap lower_email = KB_MAP(map_lower_email, widths_email);
    static const KbMap upper_email = KB_MAP(map_upper_email, widths_email);
    static const KbMap symbols = KB_MAP(map_symbols, widths_symbols);
    static const KbMap accents = KB_MAP(map_accents, widths_accents);
    static const KbMap accents_upper = KB_MAP(map_accents_upper, widths_accents);
    static const KbMap phone = KB_MAP(map_phone, widths_phone);

    switch (page) {
    case KB_PAGE_UPPER:
        return mode == KB_MODE_EMAIL ? upper_email : upper_text;
    case KB_PAGE_SYMBOLS:
        return symbols;
    case KB_PAGE_PHONE:
        return phone;
    case KB_PAGE_ACCENTS:
        return accents;
    case KB_PAGE_ACCENTS_UPPER:
        return accents_upper;
    case KB_PAGE_LOWER:
    case KB_PAGE_COUNT:
    default:
        break;
    }
    return mode == KB_MODE_EMAIL ? lower_email : lower_text;
}

static void kb_key_from_label(KeyBox *k, const char *label)
{
    k->label = label;
    k->icon = KEY_ICON_NONE;
    k->action.kind = KEY_INSERT;
    k->action.text = label;
    for (size_t i = 0; i < sizeof kb_controls / sizeof kb_controls[0]; i++) {
        if (strcmp(label, kb_controls[i].label) == 0) {
            k->icon = kb_controls[i].icon;
            k->action.kind = kb_controls[i].kind;
            k->action.text = kb_controls[i].text;
            return;
        }
    }
}

static int kb_nonneg(int v)
{
    return v < 0 ? 0 : v;
}

void keyboard_layout(KeyboardLayout *out, KbMode mode, KbPage page, int x, int y, int w, int h)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (w < 0)
        w = 0;
    if (h < 0)
        h = 0;
    if (mode == KB_MODE_PHONE)
        page = KB_PAGE_PHONE;
    if ((int)page < 0 || page >= KB_PAGE_COUNT)
        page = KB_PAGE_LOWER;
    out->x = x;
    out->y = y;
    out->w = w;
    out->h = h;
    out->mode = mode;
    out->page = page;
    out->gap = kb_gap(w, h);

    const KbMap m = kb_map(mode, page);
    int rows = 1;
    size_t nkeys = 0;
    for (const char *const *l = m.labels; **l; l++) {
        if (strcmp(*l, "\n") == 0)
            rows++;
        else
            nkeys++;
    }
    /* A map whose widths don't match its labels is a bug in the tables
     * above; lay out nothing rather than read past an array (the tests
     * check every page has keys). */
    if (nkeys != m.n_widths || nkeys > KB_MAX_KEYS)
        return;

    int ax = x, aw = w;
    if (page == KB_PAGE_PHONE && (long)h * KB_PHONE_MAX_ASPECT_X2 / 2 < w) {
        aw = (int)((long)h * KB_PHONE_MAX_ASPECT_X2 / 2);
        ax = x + (w - aw) / 2;
    }

    const int g = out->gap, g_lead = g / 2;
    const char *const *row_start = m.labels;
    size_t wi = 0;
    for (int r = 0; r < rows; r++) {
        int total = 0;
        const char *const *l;
        size_t wj = wi;
        for (l = row_start; **l && strcmp(*l, "\n") != 0; l++)
            total += m.widths[wj++];
        const int y0 = y + (int)((long)h * r / rows);
        const int y1 = y + (int)((long)h * (r + 1) / rows);
        int cum = 0;
        for (l = row_start; **l && strcmp(*l, "\n") != 0; l++) {
            const int kw = m.widths[wi++];
            const int x0 = ax + (int)((long)aw * cum / total);
            const int x1 = ax + (int)((long)aw * (cum + kw) / total);
            cum += kw;
            KeyBox *k = &out->keys[out->count++];
            k->x = x0 + g_lead;
            k->y = y0 + g_lead;
            k->w = kb_nonneg(x1 - x0 - g);
            k->h = kb_nonneg(y1 - y0 - g);
            kb_key_from_label(k, *l);
        }
        row_start = **l ? l + 1 : l;
    }
}

/* Distance from p to the half-open span [lo, lo+len) in whole pixels. */
static int kb_dist(int p, int lo, int len)
{
    if (p < lo)
        return lo - p;
    if (p >= lo + len)
        return p - (lo + len - 1);
    return 0;
}

int keyboard_hit(const KeyboardLayout *kb, int px, int py)
{
    if (!kb)
        return -1;
    /* Neighbours are exactly one gap apart, so every pixel between them is
     * within ceil(gap/2) of one of them. */
    const int reach = (kb->gap + 1) / 2;
    int best = -1, best_d = reach + 1;
    for (int i = 0; i < kb->count && i < KB_MAX_KEYS; i++) {
        const KeyBox *k = &kb->keys[i];
        if (k->w <= 0 || k->h <= 0)
            continue;
        const int dx = kb_dist(px, k->x, k->w), dy = kb_dist(py, k->y, k->h);
        const int d = dx > dy ? dx : dy;
        if (d == 0)
            return i;
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

/* Landscape: half the screen height, which leaves the other half for the
 * field being edited and its label. Portrait: keys about 1.4 times as tall
 * as wide, like a phone's, which is 0.55 of the width for four rows of ten.
 * Never more than 55 % of the height, so the form stays visible. */
#define KB_LANDSCAPE_HEIGHT_PCT 50
#define KB_PORTRAIT_WIDTH_PCT 55
#define KB_MAX_HEIGHT_PCT 55

int keyboard_preferred_height(KbMode mode, int screen_w, int screen_h)
{
    (void)mode; /* every page has KB_ROWS rows: one height for all modes */
    if (screen_w <= 0 || screen_h <= 0)
        return 0;
    const long hw = (long)screen_h * KB_LANDSCAPE_HEIGHT_PCT / 100;
    const long ww = (long)screen_w * KB_PORTRAIT_WIDTH_PCT / 100;
    int h = (int)(hw < ww ? hw : ww);
    /* The gap grows with the height, so settle the floor in a few steps
     * (it is bounded by KB_GAP_MAX_PX, so this converges at once). */
    for (int i = 0; i < 3; i++) {
        const int floor_h = KB_ROWS * (KB_MIN_KEY_H_PX + kb_gap(screen_w, h));
        if (h < floor_h)
            h = floor_h;
    }
    const int cap = (int)((long)screen_h * KB_MAX_HEIGHT_PCT / 100);
    if (h > cap)
        h = cap;
    return h;
}
