/* Tests of the deck loader: a table of decks and the exact diagnostics each
 * gives (file:line:col and message), then the values a good deck loads to,
 * then hostile input that must not crash, hang or take much memory.
 *
 * Decks are loaded from memory as "t.yaml" with the source tree as the data
 * directory, so paths such as tests/decks/dot.svg resolve there. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "deck.h"
#include "deckload.h"
#include "diag.h"

#define DOT_SVG TEST_SOURCE_DIR "/tests/decks/dot.svg"

/* ---- helpers ----------------------------------------------------------- */

static Deck *load_text(const char *text, size_t len, DiagList *diags)
{
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR};
    return deck_load_string("t.yaml", text, len, &opts, diags);
}

static Deck *load(const char *text, DiagList *diags)
{
    return load_text(text, strlen(text), diags);
}

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

/* Every loader result must keep these promises, whatever the input. */
static void check_invariants(const char *name, const Deck *d, const DiagList *diags)
{
    size_t errors = diag_count(diags, DIAG_ERROR);
    if (!d && errors == 0) {
        fprintf(stderr, "%s: NULL deck without an error\n", name);
        check_failures++;
    }
    if (d && d->slide_count == 0) {
        fprintf(stderr, "%s: a deck with no slides\n", name);
        check_failures++;
    }
    for (size_t i = 0; i < diags->count; i++) {
        const Diag *g = &diags->items[i];
        if (g->line < 0 || g->col < 0 || (g->line > 0) != (g->col > 0) || !g->message ||
            !g->message[0]) {
            fprintf(stderr, "%s: malformed diagnostic %d:%d '%s'\n", name, g->line, g->col,
                    g->message ? g->message : "(null)");
            check_failures++;
        }
    }
}

/* Loads text and compares all diagnostics with want; returns the deck (or
 * NULL) for further checks. */
static Deck *expect_len(const char *name, const char *text, size_t len, bool loads,
                        const char *want)
{
    DiagList diags = DIAG_LIST_INIT;
    Deck *d = load_text(text, len, &diags);
    char *got = joined(&diags);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "FAIL %s: diagnostics\n--- got:\n%s\n--- expected:\n%s\n---\n", name, got,
                want);
        check_failures++;
    }
    if ((d != NULL) != loads) {
        fprintf(stderr, "FAIL %s: deck is %s, expected %s\n", name, d ? "returned" : "NULL",
                loads ? "a deck" : "NULL");
        check_failures++;
    }
    check_invariants(name, d, &diags);
    free(got);
    diag_clear(&diags);
    return d;
}

static Deck *expect(const char *name, const char *text, bool loads, const char *want)
{
    return expect_len(name, text, strlen(text), loads, want);
}

/* A growable string for generated decks. */
typedef struct {
    char *s;
    size_t len, cap;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p)
            abort();
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void buf_str(Buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_repeat(Buf *b, const char *s, size_t times)
{
    for (size_t i = 0; i < times; i++)
        buf_str(b, s);
}

/* Windows Notepad: a UTF-8 byte-order mark and CRLF line ends. */
static char *notepad(const char *lf, size_t *len)
{
    Buf b = {0};
    buf_add(&b, "\xEF\xBB\xBF", 3);
    for (const char *p = lf; *p; p++)
        buf_add(&b, *p == '\n' ? "\r\n" : p, *p == '\n' ? 2 : 1);
    *len = b.len;
    return b.s;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

/* ---- 1. the table: a deck and exactly what the loader says about it ---- */

typedef struct {
    const char *name;
    const char *yaml;
    bool loads;         /* a deck is returned (possibly with soft errors) */
    const char *expect; /* every diagnostic, in order, joined by '\n' */
} Case;

#define NOT_FOUND(what, path, line_col)                                                            \
    "t.yaml:" line_col ": error: " what " '" path "' not found (expected a readable file "         \
    "in . or " TEST_SOURCE_DIR ")"

static const Case cases[] = {
    /* Good decks give no diagnostics at all. */
    {"minimal", "slides:\n  - title: Hello\n    text: World\n", true, ""},
    {"all layouts",
     "slides:\n"
     "  - layout: title\n    title: Microneedling\n    subtitle: For acne scars\n"
     "  - layout: text\n    title: What is it?\n    text: A treatment.\n"
     "  - layout: bullets\n    title: Why\n    items: [Collagen, Renewal]\n"
     "  - layout: steps\n    title: How\n    items: [Consultation, Treatment]\n"
     "  - layout: image\n    title: Device\n    image: tests/decks/dot.svg\n    caption: Fine\n"
     "  - layout: signup\n    title: Book\n    text: Free assessment.\n    button: Sign up\n",
     true, ""},

    /* Durations. */
    {"duration too short",
     "slides:\n  - title: A\n"
     "    text: one two three four five six seven eight nine ten eleven twelve thirteen "
     "fourteen fifteen\n"
     "    duration: 3\n",
     true,
     "t.yaml:4:15: warning: duration 3 s is short for 16 words (about 10 s are needed to read "
     "them)"},
    {"duration abc", "slides:\n  - title: A\n    duration: abc\n", false,
     "t.yaml:3:15: error: 'duration' is 'abc' (expected a number of seconds from 2 to 120)"},
    {"duration below the minimum", "slides:\n  - title: A\n    duration: 1\n", false,
     "t.yaml:3:15: error: 'duration' is 1 (expected a number of seconds from 2 to 120)"},
    {"duration above the maximum", "slides:\n  - title: A\n    duration: 600\n", false,
     "t.yaml:3:15: error: 'duration' is 600 (expected a number of seconds from 2 to 120)"},
    {"duration a list", "slides:\n  - title: A\n    duration: [5]\n", false,
     "t.yaml:3:15: error: 'duration' is a list (expected a number of seconds from 2 to 120)"},
    {"duration infinite", "slides:\n  - title: A\n    duration: 1e400\n", false,
     "t.yaml:3:15: error: 'duration' is '1e400' (expected a number of seconds from 2 to 120)"},

    /* YAML syntax, each at the line and column a person has to look at. */
    {"bad indentation in a list item", "slides:\n  - title: A\n   text: B\n", false,
     "t.yaml:3:4: error: YAML syntax: this line is not lined up with the list above it "
     "(expected '- ' in the same column as the other items, or a key lined up with the keys "
     "of the item above)"},
    {"key indented too far", "slides:\n  - title: A\n      text: B\n", false,
     "t.yaml:3:11: error: YAML syntax: unexpected ':' (expected text that contains ': ' in "
     "quotes, or this key lined up with the keys above it)"},
    {"key indented too little",
     "theme:\n  background: \"#FFFFFF\"\n text: \"#000000\"\nslides:\n  - title: A\n", false,
     "t.yaml:3:2: error: YAML syntax: this line is not lined up with the keys above it "
     "(expected the same indentation as the other keys of its section)"},
    {"colon in unquoted text", "slides:\n  - title: Step 1: Consultation\n", false,
     "t.yaml:2:18: error: YAML syntax: unexpected ':' (expected text that contains ': ' in "
     "quotes, or this key lined up with the keys above it)"},
    {"unclosed double quote", "slides:\n  - title: \"Hello\n    text: World\n", false,
     "t.yaml:2:12: error: YAML syntax: the quote that starts here is never closed (expected a "
     "closing \" at the end of the text)"},
    {"unclosed single quote", "title: 'Skin\nslides:\n  - title: A\n", false,
     "t.yaml:1:8: error: YAML syntax: the quote that starts here is never closed (expected a "
     "closing ' at the end of the text)"},
    {"text after the closing quote", "slides:\n  - title: 'It's here'\n", false,
     "t.yaml:2:16: error: YAML syntax: more text after the closing quote (expected the whole "
     "text inside the quotes; write a quote inside \"...\" as \\\" and inside '...' as '')"},
    {"tab indentation", "slides:\n\t- title: A\n", false,
     "t.yaml:2:1: error: YAML syntax: a tab character here (expected spaces: YAML does not "
     "allow tabs for indenting)"},
    {"tab in a mapping", "slides:\n  - title: A\n\t text: B\n", false,
     "t.yaml:3:1: error: YAML syntax: a tab character here (expected spaces: YAML does not "
     "allow tabs for indenting)"},
    {"line without a colon", "slides:\n  - title: A\n    text:B\n", false,
     "t.yaml:3:5: error: YAML syntax: this line has no ': ' (expected 'key: value' with a space "
     "after the ':', or more indentation if it continues the text above)"},
    {"list item after a key", "slides:\n  - title: A\n    items: - a\n", false,
     "t.yaml:3:12: error: YAML syntax: a '- ' item cannot start here (expected each item on its "
     "own line, below its key and indented)"},
    {"unclosed flow list", "slides:\n  - title: A\n    items: [a, b\n  - title: B\n", false,
     "t.yaml:3:12: error: YAML syntax: the list opened by this '[' is not closed (expected ', ' "
     "between the items and a ']' at the end)"},
    {"text starting with @", "slides:\n  - title: @clinic\n", false,
     "t.yaml:2:12: error: YAML syntax: text cannot start with '@' (expected the text in "
     "quotes)"},

    /* Wrong types. */
    {"slides is a number", "slides: 42\n", false,
     "t.yaml:1:9: error: 'slides' is '42' (expected a list, each item on its own line starting "
     "with '- ')"},
    {"slides is a mapping", "slides:\n  title: A\n", false,
     "t.yaml:2:3: error: 'slides' is a mapping (expected a list, each item on its own line "
     "starting with '- ')"},
    {"title is a list", "slides:\n  - title: [a, b]\n", false,
     "t.yaml:2:12: error: 'title' is a list (expected text)"},
    {"theme is a word", "theme: red\nslides:\n  - title: A\n", false,
     "t.yaml:1:8: error: 'theme' is 'red' (expected a mapping of 'key: value' lines indented "
     "below it)"},
    {"colour is a name", "theme:\n  background: red\nslides:\n  - title: A\n", false,
     "t.yaml:2:15: error: 'background' is 'red' (expected a colour like \"#1F5F5B\", in "
     "quotes)"},
    {"colour without quotes is a comment", "theme:\n  background: #000000\nslides:\n  - title: A\n",
     false,
     "t.yaml:2:3: error: 'background' has no colour (expected a colour like \"#1F5F5B\" in "
     "quotes: without them '#' starts a comment)"},
    {"colour with a bad digit", "theme:\n  text: \"#12345G\"\nslides:\n  - title: A\n", false,
     "t.yaml:2:9: error: 'text' is '#12345G' (expected a colour like \"#1F5F5B\", in quotes)"},
    {"slide is a word", "slides:\n  - hello\n", false,
     "t.yaml:2:5: error: slide 1 is just 'hello' (expected a mapping such as 'title: ...' "
     "indented under '- ')"},
    {"items is a sentence", "slides:\n  - title: A\n    items: a, b\n", false,
     "t.yaml:3:12: error: 'items' is 'a, b' (expected a list, each item on its own line "
     "starting with '- ')"},
    {"unknown layout", "slides:\n  - title: A\n    layout: grid\n", false,
     "t.yaml:3:13: error: 'layout' is 'grid' (expected one of: title, text, bullets, steps, "
     "image, signup)"},
    {"unknown transition and too short inactivity",
     "timing:\n  transition: zoom\n  inactivity: 5\nslides:\n  - title: A\n", false,
     "t.yaml:2:15: error: 'transition' is 'zoom' (expected one of: fade, slide, none)\n"
     "t.yaml:3:15: error: 'inactivity' is 5 (expected a number of seconds from 10 to 3600)"},
    {"text sizes", "theme:\n  text_size: 300\n  title_size: big\nslides:\n  - title: A\n", false,
     "t.yaml:2:14: error: 'text_size' is 300 (expected a number of percent from 50 to 200)\n"
     "t.yaml:3:15: error: 'title_size' is 'big' (expected a number of percent from 50 to "
     "200)"},
    {"a key that is a list", "slides:\n  - [a]: b\n", false,
     "t.yaml:2:5: error: a key in a slide is a list (expected a plain word such as 'title')"},
    {"control character in a title", "slides:\n  - title: \"a\\x01b\"\n", false,
     "t.yaml:2:12: error: 'title' contains control characters (expected plain text)"},
    {"control character in an item", "slides:\n  - title: A\n    items: [\"a\\eb\"]\n", false,
     "t.yaml:3:13: error: an entry of items contains control characters (expected plain "
     "text)"},

    /* Unknown keys: near misses get a suggestion, far ones the list. */
    {"titel", "slides:\n  - titel: A\n", false,
     "t.yaml:2:5: error: unknown key 'titel' in a slide (did you mean 'title'?)"},
    {"layuot", "slides:\n  - title: A\n    layuot: text\n", false,
     "t.yaml:3:5: error: unknown key 'layuot' in a slide (did you mean 'layout'?)"},
    {"backgrund", "theme:\n  backgrund: \"#FFFFFF\"\nslides:\n  - title: A\n", false,
     "t.yaml:2:3: error: unknown key 'backgrund' in the theme (did you mean 'background'?)"},
    {"slids", "slids:\n  - title: A\nslides:\n  - title: A\n", false,
     "t.yaml:1:1: error: unknown key 'slids' in the deck (did you mean 'slides'?)"},
    {"far miss in a slide", "slides:\n  - title: A\n    colour: red\n", false,
     "t.yaml:3:5: error: unknown key 'colour' in a slide (expected one of: layout, name, title, "
     "subtitle, text, items, image, caption, button, duration)"},
    {"far miss at the top", "pages:\n  - title: A\nslides:\n  - title: A\n", false,
     "t.yaml:1:1: error: unknown key 'pages' in the deck (expected one of: title, name, "
     "language, theme, timing, labels, signup, slides)"},
    {"far miss in the theme", "theme:\n  colour: \"#FFFFFF\"\nslides:\n  - title: A\n", false,
     "t.yaml:2:3: error: unknown key 'colour' in the theme (expected one of: background, text, "
     "accent, accent_text, muted, surface, error, font, bold_font, text_size, title_size)"},
    {"far miss in timing", "timing:\n  speed: 3\nslides:\n  - title: A\n", false,
     "t.yaml:2:3: error: unknown key 'speed' in the timing (expected one of: transition, "
     "transition_ms, inactivity, form_inactivity, thanks)"},
    {"far miss in labels", "labels:\n  forward: Go\nslides:\n  - title: A\n", false,
     "t.yaml:2:3: error: unknown key 'forward' in the labels (expected one of: next, back, "
     "signup, start_over, staff_title, pin_prompt, pin_wrong, pin_locked, staff_export, "
     "staff_restart, staff_exit, staff_close, staff_erase, staff_erase_yes, staff_cancel, "
     "space, larger_text, normal_text)"},
    {"near miss in the error messages",
     "signup:\n  errors:\n    emial: Bad address\nslides:\n  - title: A\n", false,
     "t.yaml:3:5: error: unknown key 'emial' in the error messages (did you mean 'email'?)"},
    {"near miss in a field",
     "signup:\n  fields:\n    - id: a\n      lable: A\nslides:\n  - title: A\n", false,
     "t.yaml:4:7: error: unknown key 'lable' in a sign-up field (did you mean 'label'?)\n"
     "t.yaml:3:7: error: a sign-up field has no 'label' (expected 'label: some text')"},

    /* Duplicate keys. */
    {"duplicate title", "slides:\n  - title: A\n    title: B\n", false,
     "t.yaml:3:5: error: 'title' appears twice in a slide (expected each key once; the first "
     "is at line 2)"},
    {"duplicate slides", "slides:\n  - title: A\nslides:\n  - title: B\n", false,
     "t.yaml:3:1: error: 'slides' appears twice in the deck (expected each key once; the first "
     "is at line 1)"},
    {"duplicate colour",
     "theme:\n  text: \"#000000\"\n  text: \"#111111\"\nslides:\n  - title: A\n", false,
     "t.yaml:3:3: error: 'text' appears twice in the theme (expected each key once; the first "
     "is at line 2)"},

    /* Missing required things. */
    {"no slides key", "title: Skin\n", false,
     "t.yaml:1:1: error: the deck has no 'slides:' (expected a list of slides)"},
    {"slides with nothing after it", "title: Skin\nslides:\n", false,
     "t.yaml:2:1: error: 'slides' is empty (expected at least one slide)"},
    {"slides an empty list", "slides: []\n", false,
     "t.yaml:1:9: error: 'slides' is empty (expected at least one slide)"},
    {"bullets without items", "slides:\n  - layout: bullets\n    title: A\n", false,
     "t.yaml:2:5: error: a bullets slide has no 'items' (expected a list of bullets)"},
    {"steps without items", "slides:\n  - layout: steps\n    title: A\n    items:\n", false,
     "t.yaml:2:5: error: a steps slide has no 'items' (expected a list of steps)"},
    {"bullets with an empty list", "slides:\n  - title: A\n    items: []\n", false,
     "t.yaml:3:12: error: 'items' is empty (expected at least one entry, each on its own line "
     "starting with '- ')"},
    {"empty item", "slides:\n  - title: A\n    items:\n      - a\n      -\n", false,
     "t.yaml:5:8: error: an entry of items is nothing (expected text after '- ')"},
    {"image slide without an image", "slides:\n  - layout: image\n    title: A\n", false,
     "t.yaml:2:5: error: an image slide has no 'image' (expected 'image: images/name.svg')"},
    /* The booking link: https only, one that a QR code can hold. */
    {"booking url", "signup:\n  booking_url: https://clinic.example/book\nslides:\n  - title: A\n",
     true, ""},
    {"booking url over http",
     "signup:\n  booking_url: http://clinic.example/book\nslides:\n  - title: A\n", true,
     "t.yaml:2:16: error: booking_url 'http://clinic.example/book' is not a web link (expected "
     "an https:// URL, like 'https://clinic.example/book')"},
    {"booking url without a host", "signup:\n  booking_url: https:///book\nslides:\n  - title: A\n",
     true,
     "t.yaml:2:16: error: booking_url 'https:///book' is not a web link (expected an https:// "
     "URL, like 'https://clinic.example/book')"},
    {"booking url with a space",
     "signup:\n  booking_url: https://clinic.example/my book\nslides:\n  - title: A\n", true,
     "t.yaml:2:16: error: booking_url 'https://clinic.example/my book' is not a web link "
     "(expected an https:// URL, like 'https://clinic.example/book')"},
    {"capitalize on a phone field",
     "signup:\n  fields:\n    - id: tel\n      label: Tel\n      type: phone\n"
     "      capitalize: none\nslides:\n  - title: A\n",
     true,
     "t.yaml:6:19: warning: 'capitalize' is ignored on a phone field (expected only on type: "
     "text)"},
    {"capitalize: loud",
     "signup:\n  fields:\n    - id: name\n      label: Name\n      capitalize: loud\n"
     "slides:\n  - title: A\n",
     false, "t.yaml:5:19: error: 'capitalize' is 'loud' (expected one of: words, first, none)"},
    {"field without id", "signup:\n  fields:\n    - label: Name\nslides:\n  - title: A\n", false,
     "t.yaml:3:7: error: a sign-up field has no 'id' (expected 'id: some text')"},
    {"empty slide", "slides:\n  - layout: text\n", true,
     "t.yaml:2:5: warning: this slide has nothing to show (expected at least a title or "
     "text)"},

    /* Missing files: an error, but the deck is still usable. */
    {"missing image", "slides:\n  - title: A\n    image: images/nope.svg\n", true,
     NOT_FOUND("image", "images/nope.svg", "3:12")},
    {"missing font", "theme:\n  font: fonts/nope.ttf\nslides:\n  - title: A\n", true,
     NOT_FOUND("font", "fonts/nope.ttf", "2:9")},
    {"missing bold font", "theme:\n  bold_font: fonts/nope.ttf\nslides:\n  - title: A\n", true,
     NOT_FOUND("font", "fonts/nope.ttf", "2:14")},
    {"missing absolute image", "slides:\n  - title: A\n    image: /nonexistent/x.svg\n", true,
     "t.yaml:3:12: error: image '/nonexistent/x.svg' not found (expected a readable file)"},
    {"an image that is a directory", "slides:\n  - title: A\n    image: tests/decks\n", true,
     NOT_FOUND("image", "tests/decks", "3:12")},

    /* Sign-up fields. */
    {"duplicate field id",
     "signup:\n  fields:\n    - id: name\n      label: Name\n    - id: name\n      label: "
     "Other\nslides:\n  - title: A\n",
     false,
     "t.yaml:5:11: error: field id 'name' is used twice (expected each id once: it names a "
     "column of the sign-up file)"},
    {"field id with spaces",
     "signup:\n  fields:\n    - id: Your Name\n      label: Name\nslides:\n  - title: A\n", false,
     "t.yaml:3:11: error: field id 'Your Name' is not a simple name (expected lowercase "
     "letters, digits and '_', like 'phone')"},
    {"choice without choices",
     "signup:\n  fields:\n    - id: t\n      label: T\n      type: choice\nslides:\n  - title: "
     "A\n",
     false,
     "t.yaml:3:7: error: choice field 't' needs at least 2 'choices' (expected a list of 2 to 6 "
     "options)"},
    {"choice with one choice",
     "signup:\n  fields:\n    - id: t\n      label: T\n      type: choice\n      choices: "
     "[x]\nslides:\n  - title: A\n",
     false,
     "t.yaml:6:16: error: choice field 't' needs at least 2 'choices' (expected a list of 2 to "
     "6 options)"},
    {"too many choices",
     "signup:\n  fields:\n    - id: t\n      label: T\n      type: choice\n      choices: "
     "[a, b, c, d, e, f, g]\nslides:\n  - title: A\n",
     false, "t.yaml:6:35: error: too many choices: 7 (expected at most 6 in one field)"},
    {"bad field type",
     "signup:\n  fields:\n    - id: t\n      label: T\n      type: date\nslides:\n  - title: "
     "A\n",
     false, "t.yaml:5:13: error: 'type' is 'date' (expected one of: text, email, phone, choice)"},
    {"required maybe",
     "signup:\n  fields:\n    - id: t\n      label: T\n      required: maybe\nslides:\n  - "
     "title: A\n",
     false, "t.yaml:5:17: error: 'required' is 'maybe' (expected true or false)"},
    {"choices on a text field",
     "signup:\n  fields:\n    - id: t\n      label: T\n      choices: [x, y]\nslides:\n  - "
     "title: A\n",
     true,
     "t.yaml:5:16: warning: 'choices' is ignored on a text field (expected only on type: "
     "choice)"},
    {"required contact field",
     "signup:\n  fields:\n    - id: mail\n      label: Email\n      type: email\n      "
     "required: true\nslides:\n  - title: A\n",
     true,
     "t.yaml:3:7: warning: field 'mail' is both required and a contact field; 'contact' "
     "already asks for at least one of the contact fields"},
    {"no fields", "signup:\n  fields: []\nslides:\n  - title: A\n", false,
     "t.yaml:2:11: error: the sign-up form has no fields (expected at least a name field)"},
    {"field is a word", "signup:\n  fields:\n    - name\nslides:\n  - title: A\n", false,
     "t.yaml:3:7: error: a sign-up field is text (expected a mapping with 'id:', 'label:' and "
     "'type:')"},

    /* Things that are not shown where they are written. */
    {"extras on a text slide",
     "slides:\n  - title: A\n    subtitle: S\n    caption: C\n    button: B\n", true,
     "t.yaml:3:15: warning: 'subtitle' is not shown on a text slide (expected layout: title)\n"
     "t.yaml:4:14: warning: 'caption' is not shown on a text slide (expected layout: image)\n"
     "t.yaml:5:13: warning: 'button' is not shown on a text slide (expected layout: signup)"},
    {"items on a title slide", "slides:\n  - layout: title\n    title: A\n    items: [a]\n", true,
     "t.yaml:4:12: warning: 'items' is not shown on a title slide (expected layout: bullets or "
     "steps)"},

    /* Every problem in a file, not only the first: three separate ones. */
    {"three problems", "slides:\n  - titel: A\n  - title: [x]\n  - title: C\n    duration: abc\n",
     false,
     "t.yaml:2:5: error: unknown key 'titel' in a slide (did you mean 'title'?)\n"
     "t.yaml:3:12: error: 'title' is a list (expected text)\n"
     "t.yaml:5:15: error: 'duration' is 'abc' (expected a number of seconds from 2 to 120)"},
    {"problems in every section",
     "theme:\n  backgrund: \"#FFFFFF\"\ntiming:\n  thanks: 0\nlabels:\n  next: [a]\n"
     "signup:\n  fields:\n    - id: A\n      label: A\nslides:\n  - layout: image\n",
     false,
     "t.yaml:2:3: error: unknown key 'backgrund' in the theme (did you mean 'background'?)\n"
     "t.yaml:4:11: error: 'thanks' is 0 (expected a number of seconds from 2 to 60)\n"
     "t.yaml:6:9: error: 'next' is a list (expected text)\n"
     "t.yaml:9:11: error: field id 'A' is not a simple name (expected lowercase letters, digits "
     "and '_', like 'phone')\n"
     "t.yaml:12:5: error: an image slide has no 'image' (expected 'image: images/name.svg')"},

    /* Contrast: a warning at the 'theme:' line, for each pair that fails. */
    {"low contrast theme",
     "title: Skin\ntheme:\n  background: \"#777777\"\n  text: \"#888888\"\nslides:\n  - title: "
     "A\n",
     true,
     "t.yaml:2:1: warning: theme: 'text' on 'background' has contrast 1.26:1 (expected at least "
     "4.5:1 for WCAG 2.1 AA)\n"
     "t.yaml:2:1: warning: theme: 'muted' on 'background' has contrast 1.53:1 (expected at "
     "least 4.5:1 for WCAG 2.1 AA)\n"
     "t.yaml:2:1: warning: theme: 'text' on 'surface' has contrast 3.54:1 (expected at least "
     "4.5:1 for WCAG 2.1 AA)\n"
     "t.yaml:2:1: warning: theme: 'accent' on 'background' has contrast 1.65:1 (expected at "
     "least 3.0:1 for WCAG 2.1 AA)\n"
     "t.yaml:2:1: warning: theme: 'error' on 'background' has contrast 1.65:1 (expected at "
     "least 4.5:1 for WCAG 2.1 AA)"},
    {"low contrast button",
     "theme:\n  accent: \"#1F5F5B\"\n  accent_text: \"#2B2A28\"\nslides:\n  - title: A\n", true,
     "t.yaml:1:1: warning: theme: 'accent_text' on 'accent' has contrast 1.94:1 (expected at "
     "least 4.5:1 for WCAG 2.1 AA)"},

    /* Hostile or hopeless input: NULL and a message that says why. */
    {"empty file", "", false,
     "t.yaml:1:1: error: the deck is empty (expected a mapping with a 'slides:' list)"},
    {"only a comment", "# slides will follow\n", false,
     "t.yaml:1:1: error: the deck is empty (expected a mapping with a 'slides:' list)"},
    {"only a document marker", "---\n", false,
     "t.yaml:1:1: error: the deck is empty (expected a mapping with a 'slides:' list)"},
    {"a list at the top", "- title: A\n- title: B\n", false,
     "t.yaml:1:1: error: the top of a deck is a list (expected a mapping with 'slides:' and, "
     "optionally, 'title:', 'theme:' and 'signup:')"},
    {"a scalar at the top", "Microneedling\n", false,
     "t.yaml:1:1: error: the top of a deck is text (expected a mapping with 'slides:' and, "
     "optionally, 'title:', 'theme:' and 'signup:')"},
    {"two documents", "slides:\n  - title: A\n---\nslides:\n  - title: B\n", false,
     "t.yaml:3:1: error: a second YAML document starts here (expected one deck per file: "
     "remove the '---' line or split the file)"},
    {"invalid UTF-8", "slides:\n  - title: A\n    text: caf\xFF\n", false,
     "t.yaml:3:14: error: invalid leading UTF-8 octet (byte 0xFF; expected text saved as "
     "UTF-8)"},
    {"invalid UTF-8 after accents", "slides:\n  - title: \xC3\xA9t\xC3\xA9 \xFF\n", false,
     "t.yaml:2:16: error: invalid leading UTF-8 octet (byte 0xFF; expected text saved as "
     "UTF-8)"},
    {"cut UTF-8 at the end", "slides:\n  - title: caf\xC3", false,
     "t.yaml:2:15: error: incomplete UTF-8 octet sequence (expected text saved as UTF-8)"},
    {"a zip file (a .docx saved as .yaml)", "PK\x03\x04\x14", false,
     "t.yaml:1:3: error: control characters are not allowed (byte 0x03; expected text saved "
     "as UTF-8)"},
    {"an alias", "base: &b\n  title: A\nslides:\n  - *b\n", false,
     "t.yaml:4:5: error: aliases ('*b') are not supported in decks (expected the value "
     "written out in full)"},
    {"billion laughs",
     "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
     "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
     "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
     "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
     "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
     "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
     "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
     "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
     "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
     "slides: *i\n",
     false,
     "t.yaml:2:8: error: aliases ('*a') are not supported in decks (expected the value written "
     "out in full)"},
    {"nesting within the limit is only a type error",
     "slides:\n  - title: [[[[[[[[[[[[[a]]]]]]]]]]]]]\n", false,
     "t.yaml:2:12: error: 'title' is a list (expected text)"},
    {"nesting past the limit", "slides:\n  - title: [[[[[[[[[[[[[[[a]]]]]]]]]]]]]]]\n", false,
     "t.yaml:2:25: error: nested too deeply (the limit is 16 levels; a deck needs at most 5)"},
};

static void test_table(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        deck_free(expect(cases[i].name, cases[i].yaml, cases[i].loads, cases[i].expect));
}

/* ---- 2. what a good deck loads to ------------------------------------ */

/* The words and the booking link a deck sets, and the name rule. */
static void test_signup_extras(void)
{
    DiagList diags = DIAG_LIST_INIT;
    Deck *d = load("labels:\n  space: espace\n"
                   "signup:\n  booking_url: https://clinic.example/book\n"
                   "  booking_prompt: Scan me\n"
                   "  errors:\n    phone_short: Short\n    phone_long: Long\n"
                   "  fields:\n"
                   "    - {id: first_name, label: First name}\n"
                   "    - {id: city, label: City}\n"
                   "    - {id: name, label: Name, capitalize: none}\n"
                   "    - {id: notes, label: Notes, capitalize: words}\n"
                   "slides:\n  - title: A\n",
                   &diags);
    CHECK_INT(diags.count, 0);
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_STR(d->booking_url, "https://clinic.example/book");
    /* 27 bytes at level M: version 3, 29 modules a side. */
    CHECK_INT(d->booking_qr.size, 29);
    CHECK(qr_dark(&d->booking_qr, 0, 0));
    CHECK_STR(d->texts.booking_prompt, "Scan me");
    CHECK_STR(d->texts.key_space, "espace");
    CHECK_STR(d->texts.err_phone_short, "Short");
    CHECK_STR(d->texts.err_phone_long, "Long");
    CHECK_INT(d->field_count, 4);
    if (d->field_count == 4) {
        CHECK_INT(d->fields[0].capitalize, CAPITALIZE_WORDS);
        CHECK_INT(d->fields[1].capitalize, CAPITALIZE_FIRST);
        CHECK_INT(d->fields[2].capitalize, CAPITALIZE_NONE);
        CHECK_INT(d->fields[3].capitalize, CAPITALIZE_WORDS);
    }
    deck_free(d);
    diag_clear(&diags);
}

static void test_defaults(void)
{
    DiagList diags = DIAG_LIST_INIT;
    Deck *d = load("slides:\n  - title: Hello there\n    text: World\n", &diags);
    CHECK_INT(diags.count, 0);
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_STR(d->path, "t.yaml");
    CHECK_STR(d->name, "t"); /* the file name without .yaml */
    CHECK(d->title == NULL);
    CHECK_INT(d->slide_count, 1);
    const Slide *s = &d->slides[0];
    CHECK_INT(s->kind, SLIDE_TEXT);
    CHECK_STR(s->title, "Hello there");
    CHECK_STR(s->text, "World");
    CHECK_STR(s->name, "hello-there");
    CHECK(s->subtitle == NULL && s->caption == NULL && s->button == NULL && s->image == NULL);
    CHECK(!s->image_missing);
    CHECK_INT(s->item_count, 0);
    CHECK_INT(s->duration_ms, deck_reading_time_ms(3));
    CHECK_INT(s->line, 2);
    CHECK_INT(s->col, 5);
    /* No booking link unless the deck sets one; the words are English. */
    CHECK(d->booking_url == NULL && d->booking_qr.size == 0);
    CHECK_STR(d->texts.booking_prompt, "Prefer your phone? Scan to book");
    CHECK_STR(d->texts.key_space, "space");
    CHECK_STR(d->texts.err_phone, "Digits only, please (+ is fine).");
    CHECK_STR(d->texts.err_phone_short, "This number is too short. Please check it.");
    CHECK_STR(d->texts.err_phone_long, "This number is too long. Please check it.");
    CHECK_INT(d->field_count, 4);
    if (d->field_count == 4)
        CHECK_INT(d->fields[0].capitalize, CAPITALIZE_WORDS); /* the name */

    const DeckTheme *t = &d->theme;
    CHECK(t->background.r == 0xF7 && t->background.g == 0xF3 && t->background.b == 0xEE);
    CHECK(t->text.r == 0x2B && t->text.g == 0x2A && t->text.b == 0x28);
    CHECK(t->accent.r == 0x1F && t->accent.g == 0x5F && t->accent.b == 0x5B);
    CHECK(t->accent_text.r == 0xFF && t->accent_text.g == 0xFF && t->accent_text.b == 0xFF);
    CHECK(t->surface.r == 0xFF && t->error.r == 0xA3 && t->muted.r == 0x5E);
    CHECK(t->font == NULL && t->bold_font == NULL); /* the bundled fonts */
    CHECK_INT(t->text_scale, 100);
    CHECK_INT(t->title_scale, 100);

    CHECK_INT(d->timing.transition, TRANSITION_FADE);
    CHECK_INT(d->timing.transition_ms, 300);
    CHECK_INT(d->timing.inactivity_ms, 60000);
    CHECK_INT(d->timing.form_inactivity_ms, 45000);
    CHECK_INT(d->timing.thanks_ms, 8000);

    const DeckTexts *x = &d->texts;
    CHECK_STR(x->next, "Next");
    CHECK_STR(x->back, "Back");
    CHECK_STR(x->signup_button, "Sign up");
    CHECK_STR(x->start_over, "Start");
    CHECK_STR(x->form_heading, "Book a free skin assessment");
    CHECK_STR(x->form_intro, "Leave your details and we will contact you.");
    CHECK_STR(x->submit, "Send");
    CHECK_STR(x->cancel, "Back");
    CHECK_STR(x->consent, "I agree to be contacted about my free skin assessment.");
    CHECK_STR(x->consent_version, "1");
    CHECK_STR(x->thanks_title, "Thank you!");
    CHECK_STR(x->thanks_text, "We will be in touch soon.");
    CHECK(x->saved_later_text && strstr(x->saved_later_text, "front desk"));
    CHECK_STR(x->err_required, "Please fill this in.");
    CHECK(x->err_email && x->err_phone && x->err_contact && x->err_consent);
    CHECK_STR(x->optional, "optional");
    CHECK(d->signup_on_every_slide);

    CHECK_INT(d->field_count, 4);
    if (d->field_count == 4) {
        static const char *ids[] = {"name", "phone", "email", "contact_time"};
        static const DeckFieldType types[] = {FIELD_TEXT, FIELD_PHONE, FIELD_EMAIL, FIELD_CHOICE};
        for (int i = 0; i < 4; i++) {
            CHECK_STR(d->fields[i].id, ids[i]);
            CHECK_INT(d->fields[i].type, types[i]);
            CHECK(d->fields[i].label && d->fields[i].label[0]);
        }
        CHECK(d->fields[0].required && !d->fields[0].contact);
        CHECK(!d->fields[1].required && d->fields[1].contact);
        CHECK(!d->fields[2].required && d->fields[2].contact);
        CHECK_INT(d->fields[3].choice_count, 3);
        if (d->fields[3].choice_count == 3)
            CHECK_STR(d->fields[3].choices[0], "Morning");
    }
    deck_free(d);
    diag_clear(&diags);
}

static void test_everything_set(void)
{
    static const char yaml[] = "title: Microneedling for acne scars\n"
                               "name: micro-2026\n"
                               "theme:\n"
                               "  background: \"#FFFFFF\"\n"
                               "  text: \"#000\"\n"
                               "  accent: \"#1f5f5b\"\n"
                               "  text_size: 120\n"
                               "  title_size: 80\n"
                               "timing:\n"
                               "  transition: slide\n"
                               "  transition_ms: 500\n"
                               "  inactivity: 90\n"
                               "  form_inactivity: 30\n"
                               "  thanks: 5.5\n"
                               "labels:\n"
                               "  next: Suivant\n"
                               "  back: Retour\n"
                               "  start_over: Début\n"
                               "signup:\n"
                               "  button: Bilan gratuit\n"
                               "  button_on_every_slide: no\n"
                               "  heading: Réservez\n"
                               "  intro: Laissez vos coordonnées.\n"
                               "  consent: J'accepte d'être contacté(e).\n"
                               "  consent_version: \"2026-12-01\"\n"
                               "  submit: Envoyer\n"
                               "  cancel: Retour\n"
                               "  optional: facultatif\n"
                               "  thanks_title: Merci !\n"
                               "  thanks_text: Nous vous contacterons.\n"
                               "  saved_later_text: Merci ! Dites-le aussi à l'accueil.\n"
                               "  errors:\n"
                               "    required: Champ obligatoire.\n"
                               "    email: Adresse invalide.\n"
                               "    phone: Chiffres uniquement.\n"
                               "    contact: Téléphone ou e-mail, s'il vous plaît.\n"
                               "    consent: Cochez la case.\n"
                               "  fields:\n"
                               "    - id: name\n"
                               "      label: Nom\n"
                               "      required: yes\n"
                               "    - id: mobile\n"
                               "      label: Portable\n"
                               "      type: phone\n"
                               "    - id: mail\n"
                               "      label: E-mail\n"
                               "      type: email\n"
                               "      contact: false\n"
                               "    - id: when\n"
                               "      label: Quand ?\n"
                               "      type: choice\n"
                               "      choices:\n"
                               "        - Matin\n"
                               "        - Soir\n"
                               "slides:\n"
                               "  - layout: signup\n"
                               "    name: Book now!\n"
                               "    title: Réservez\n"
                               "    text: |\n"
                               "      Line one.\n"
                               "      Line two.\n"
                               "\n"
                               "    duration: 7.5\n";
    DiagList diags = DIAG_LIST_INIT;
    Deck *d = load(yaml, &diags);
    char *got = joined(&diags);
    CHECK_STR(got, "");
    free(got);
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_STR(d->title, "Microneedling for acne scars");
    CHECK_STR(d->name, "micro-2026");
    CHECK(d->theme.background.r == 255 && d->theme.text.r == 0 && d->theme.text.b == 0);
    CHECK(d->theme.accent.r == 0x1F && d->theme.accent.g == 0x5F && d->theme.accent.b == 0x5B);
    CHECK_INT(d->theme.text_scale, 120);
    CHECK_INT(d->theme.title_scale, 80);
    CHECK_INT(d->theme.line, 3);
    CHECK_INT(d->theme.col, 1);
    CHECK_INT(d->timing.transition, TRANSITION_SLIDE);
    CHECK_INT(d->timing.transition_ms, 500);
    CHECK_INT(d->timing.inactivity_ms, 90000);
    CHECK_INT(d->timing.form_inactivity_ms, 30000);
    CHECK_INT(d->timing.thanks_ms, 5500);
    CHECK_STR(d->texts.next, "Suivant");
    CHECK_STR(d->texts.back, "Retour");
    CHECK_STR(d->texts.start_over, "Début");
    CHECK_STR(d->texts.signup_button, "Bilan gratuit");
    CHECK(!d->signup_on_every_slide);
    CHECK_STR(d->texts.form_heading, "Réservez");
    CHECK_STR(d->texts.consent, "J'accepte d'être contacté(e).");
    CHECK_STR(d->texts.consent_version, "2026-12-01");
    CHECK_STR(d->texts.optional, "facultatif");
    CHECK_STR(d->texts.thanks_title, "Merci !");
    CHECK_STR(d->texts.saved_later_text, "Merci ! Dites-le aussi à l'accueil.");
    CHECK_STR(d->texts.err_required, "Champ obligatoire.");
    CHECK_STR(d->texts.err_contact, "Téléphone ou e-mail, s'il vous plaît.");
    CHECK_STR(d->texts.err_consent, "Cochez la case.");
    CHECK_INT(d->field_count, 4);
    if (d->field_count == 4) {
        CHECK(d->fields[0].required && !d->fields[0].contact);
        CHECK_INT(d->fields[1].type, FIELD_PHONE);
        CHECK(d->fields[1].contact); /* phone and email are contact fields by default */
        CHECK(!d->fields[2].contact);
        CHECK_INT(d->fields[3].choice_count, 2);
        if (d->fields[3].choice_count == 2)
            CHECK_STR(d->fields[3].choices[1], "Soir");
    }
    CHECK_INT(d->slide_count, 1);
    const Slide *s = &d->slides[0];
    CHECK_INT(s->kind, SLIDE_SIGNUP);
    CHECK_STR(s->name, "book-now");
    CHECK_STR(s->text, "Line one.\nLine two."); /* no trailing newline from '|' */
    CHECK_STR(s->button, "Bilan gratuit");      /* from signup: button */
    CHECK_INT(s->duration_ms, 7500);
    deck_free(d);
    diag_clear(&diags);
}

typedef struct {
    const char *name;
    const char *slide; /* one slide, indented under "slides:\n  - " */
    SlideKind kind;
} LayoutCase;

static const LayoutCase layouts[] = {
    {"explicit title", "layout: title\n    title: A\n    subtitle: B\n", SLIDE_TITLE},
    {"explicit text", "layout: text\n    title: A\n    text: B\n", SLIDE_TEXT},
    {"explicit bullets", "layout: bullets\n    items: [a, b]\n", SLIDE_BULLETS},
    {"explicit steps", "layout: steps\n    items: [a, b]\n", SLIDE_STEPS},
    {"explicit image", "layout: image\n    image: tests/decks/dot.svg\n", SLIDE_IMAGE},
    {"explicit signup", "layout: signup\n    title: Book\n", SLIDE_SIGNUP},
    {"inferred text from a title", "title: A\n", SLIDE_TEXT},
    {"inferred text from text and an image", "text: B\n    image: tests/decks/dot.svg\n",
     SLIDE_TEXT},
    {"inferred bullets from items", "title: A\n    items:\n      - a\n", SLIDE_BULLETS},
    {"inferred image from an image and a caption",
     "title: A\n    image: tests/decks/dot.svg\n    caption: C\n", SLIDE_IMAGE},
    {"inferred text from an image alone", "image: tests/decks/dot.svg\n", SLIDE_TEXT},
};

static void test_layouts(void)
{
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml, "slides:\n  - %s", layouts[i].slide);
        DiagList diags = DIAG_LIST_INIT;
        Deck *d = load(yaml, &diags);
        if (!d || diags.count != 0 || d->slides[0].kind != layouts[i].kind) {
            char *got = joined(&diags);
            fprintf(stderr, "FAIL layout %s: got %s, expected %s; diagnostics:\n%s\n",
                    layouts[i].name, d ? deck_slide_kind_name(d->slides[0].kind) : "NULL",
                    deck_slide_kind_name(layouts[i].kind), got);
            free(got);
            check_failures++;
        }
        deck_free(d);
        diag_clear(&diags);
    }
    CHECK_STR(deck_slide_kind_name(SLIDE_TITLE), "title");
    CHECK_STR(deck_slide_kind_name(SLIDE_SIGNUP), "signup");

    /* An image found through the data directory is a resolved path; a
     * signup slide without a button gets the deck's sign-up label. */
    DiagList diags = DIAG_LIST_INIT;
    Deck *d = load("slides:\n  - layout: image\n    image: tests/decks/dot.svg\n"
                   "  - layout: signup\n  - layout: steps\n    items: [a, b, c]\n",
                   &diags);
    CHECK(d != NULL);
    if (d) {
        CHECK_STR(d->slides[0].image, DOT_SVG);
        CHECK(!d->slides[0].image_missing);
        CHECK_STR(d->slides[1].button, "Sign up");
        CHECK_INT(d->slides[2].item_count, 3);
        CHECK_STR(d->slides[2].items[2], "c");
        CHECK_STR(d->slides[0].name, "slide-1"); /* no title: numbered */
    }
    deck_free(d);
    diag_clear(&diags);
}

static void test_durations(void)
{
    CHECK_INT(deck_reading_time_ms(0), 6000); /* never shorter than 6 s */
    CHECK_INT(deck_reading_time_ms(6), 6000);
    CHECK_INT(deck_reading_time_ms(9), 7000); /* 4 s + 9 words / 3 per second */
    CHECK_INT(deck_reading_time_ms(30), 14000);
    CHECK_INT(deck_reading_time_ms(1000), 30000); /* never longer than 30 s */

    DiagList diags = DIAG_LIST_INIT;
    Deck *d = load("slides:\n"
                   "  - title: One two three\n"
                   "    text: four five six seven eight nine ten eleven twelve\n"
                   "  - layout: bullets\n    title: A\n    items: [b c, d e f]\n"
                   "  - title: A\n    duration: 12\n"
                   "  - title: A\n    duration: 3.5\n",
                   &diags);
    CHECK_INT(diags.count, 0);
    CHECK(d != NULL);
    if (d) {
        CHECK_INT(d->slides[0].duration_ms, deck_reading_time_ms(12));
        CHECK_INT(d->slides[0].duration_ms, 8000);
        CHECK_INT(d->slides[1].duration_ms, deck_reading_time_ms(6)); /* items count too */
        CHECK_INT(d->slides[2].duration_ms, 12000);
        CHECK_INT(d->slides[3].duration_ms, 3500); /* short, but enough for one word */
    }
    deck_free(d);
    diag_clear(&diags);
}

static void test_contrast(void)
{
    DeckColor black = {0, 0, 0}, white = {255, 255, 255}, teal = {0x1F, 0x5F, 0x5B};
    CHECK(fabs(deck_contrast_ratio(black, white) - 21.0) < 1e-9);
    CHECK(fabs(deck_contrast_ratio(white, black) - 21.0) < 1e-9);
    CHECK(fabs(deck_contrast_ratio(teal, teal) - 1.0) < 1e-9);
    CHECK(fabs(deck_contrast_ratio(white, white) - 1.0) < 1e-9);
    double r = deck_contrast_ratio(white, teal);
    CHECK(r > 7.0 && r < 8.0); /* white on the default accent: AAA */
}

/* ---- 3. limits -------------------------------------------------------- */

static void test_limits(void)
{
    char want[512];
    Buf b = {0};

    /* Slides: 100 load, 101 do not, and the error is at the 101st. */
    buf_str(&b, "slides:\n");
    buf_repeat(&b, "  - title: S\n", DECK_MAX_SLIDES);
    Deck *d = expect("100 slides", b.s, true, "");
    CHECK(d && d->slide_count == DECK_MAX_SLIDES);
    deck_free(d);
    buf_str(&b, "  - title: S\n");
    snprintf(want, sizeof want, "t.yaml:%d:5: error: too many slides: %d (expected at most %d)",
             DECK_MAX_SLIDES + 2, DECK_MAX_SLIDES + 1, DECK_MAX_SLIDES);
    deck_free(expect("101 slides", b.s, false, want));

    /* Items. */
    b.len = 0;
    buf_str(&b, "slides:\n  - title: A\n    items:\n");
    buf_repeat(&b, "      - item\n", DECK_MAX_ITEMS);
    deck_free(expect("8 items", b.s, true, ""));
    buf_str(&b, "      - item\n");
    snprintf(want, sizeof want,
             "t.yaml:%d:9: error: too many items: %d (expected at most %d on one slide)",
             DECK_MAX_ITEMS + 4, DECK_MAX_ITEMS + 1, DECK_MAX_ITEMS);
    deck_free(expect("9 items", b.s, false, want));

    /* Sign-up fields. */
    b.len = 0;
    buf_str(&b, "signup:\n  fields:\n");
    for (int i = 0; i <= DECK_MAX_FIELDS; i++) {
        char line[64];
        snprintf(line, sizeof line, "    - {id: f%d, label: F}\n", i);
        buf_str(&b, line);
    }
    buf_str(&b, "slides:\n  - title: A\n");
    snprintf(want, sizeof want,
             "t.yaml:%d:7: error: too many sign-up fields: %d (expected at most %d)",
             DECK_MAX_FIELDS + 3, DECK_MAX_FIELDS + 1, DECK_MAX_FIELDS);
    deck_free(expect("11 fields", b.s, false, want));

    /* Text: DECK_MAX_TEXT_BYTES loads, one more does not. */
    b.len = 0;
    buf_str(&b, "slides:\n  - title: A\n    text: ");
    buf_repeat(&b, "x", DECK_MAX_TEXT_BYTES);
    buf_str(&b, "\n");
    deck_free(expect("longest text", b.s, true, ""));
    b.len = 0;
    buf_str(&b, "slides:\n  - title: A\n    text: ");
    buf_repeat(&b, "x", DECK_MAX_TEXT_BYTES + 1);
    buf_str(&b, "\n");
    snprintf(want, sizeof want,
             "t.yaml:3:11: error: 'text' is %d characters long (expected at most %d: split it "
             "over two slides)",
             DECK_MAX_TEXT_BYTES + 1, DECK_MAX_TEXT_BYTES);
    deck_free(expect("text too long", b.s, false, want));
    b.len = 0;
    buf_str(&b, "slides:\n  - title: A\n    items:\n      - ");
    buf_repeat(&b, "x", DECK_MAX_TEXT_BYTES + 1);
    buf_str(&b, "\n");
    snprintf(want, sizeof want,
             "t.yaml:4:9: error: an entry of items is %d characters long (expected at most %d)",
             DECK_MAX_TEXT_BYTES + 1, DECK_MAX_TEXT_BYTES);
    deck_free(expect("item too long", b.s, false, want));

    /* Values: a flat list of numbers under the size limit still stops at
     * DECK_MAX_NODES (root, 'slides' and the list are the first three). */
    b.len = 0;
    buf_str(&b, "slides: [");
    buf_repeat(&b, "1,", DECK_MAX_NODES + 10);
    buf_str(&b, "1]\n");
    CHECK(b.len < DECK_MAX_BYTES);
    snprintf(want, sizeof want, "t.yaml:1:%d: error: too many values in one deck (the limit is %d)",
             10 + 2 * (DECK_MAX_NODES - 3), DECK_MAX_NODES);
    deck_free(expect("too many values", b.s, false, want));
    free(b.s);
}

/* ---- 4. hostile input -------------------------------------------------- */

static char tmpdir[] = "/tmp/test_deck.XXXXXX";

static char *tmp_path(const char *name)
{
    static char path[4][512];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", tmpdir, name);
    return p;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(99);
    }
}

static void test_files(void)
{
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR};
    DiagList diags = DIAG_LIST_INIT;
    char want[1024];
    char *got;

    /* A directory. */
    CHECK(deck_load(tmpdir, &opts, &diags) == NULL);
    got = joined(&diags);
    snprintf(want, sizeof want, "%s: error: is a directory (expected a YAML file)", tmpdir);
    CHECK_STR(got, want);
    free(got);
    diag_clear(&diags);

    /* A missing file. */
    const char *missing = tmp_path("nope.yaml");
    CHECK(deck_load(missing, &opts, &diags) == NULL);
    got = joined(&diags);
    snprintf(want, sizeof want,
             "%s: error: cannot open the deck: No such file or directory (expected a readable "
             "YAML file)",
             missing);
    CHECK_STR(got, want);
    free(got);
    diag_clear(&diags);

    /* A 20 MB scalar, from memory and from a file: refused by size before
     * anything is parsed. */
    size_t big = 20u * 1024 * 1024;
    char *huge = malloc(big);
    if (!huge)
        abort();
    memcpy(huge, "title: ", 7);
    memset(huge + 7, 'x', big - 8);
    huge[big - 1] = '\n';
    snprintf(want, sizeof want,
             "t.yaml:1:1: error: the file is %zu bytes (expected at most %d: is this really a "
             "deck?)",
             big, DECK_MAX_BYTES);
    deck_free(expect_len("20 MB from memory", huge, big, false, want));
    const char *hugefile = tmp_path("huge.yaml");
    write_file(hugefile, huge, big);
    free(huge);
    CHECK(deck_load(hugefile, &opts, &diags) == NULL);
    got = joined(&diags);
    snprintf(want, sizeof want,
             "%s:1:1: error: the file is %zu bytes (expected at most %d: is this really a "
             "deck?)",
             hugefile, big, DECK_MAX_BYTES);
    CHECK_STR(got, want);
    free(got);
    diag_clear(&diags);
    unlink(hugefile);

    /* An empty file. */
    const char *empty = tmp_path("empty.yaml");
    write_file(empty, "", 0);
    CHECK(deck_load(empty, &opts, &diags) == NULL);
    got = joined(&diags);
    snprintf(want, sizeof want,
             "%s:1:1: error: the deck is empty (expected a mapping with a 'slides:' list)", empty);
    CHECK_STR(got, want);
    free(got);
    diag_clear(&diags);
    unlink(empty);

    /* Paths are looked up next to the deck first, then in the data
     * directory: tests/decks/dot.svg exists in both places here. */
    char dir[600];
    snprintf(dir, sizeof dir, "%s/tests", tmpdir);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/tests/decks", tmpdir);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/fonts", tmpdir);
    mkdir(dir, 0700);
    const char *local_svg = tmp_path("tests/decks/dot.svg");
    write_file(local_svg, "<svg xmlns='http://www.w3.org/2000/svg'/>\n", 42);
    const char *font = tmp_path("fonts/Body.ttf");
    write_file(font, "not really a font", 17);
    const char *deckfile = tmp_path("deck.yaml");
    static const char deck_text[] = "theme:\n  font: fonts/Body.ttf\n  bold_font: fonts/Nope.ttf\n"
                                    "slides:\n  - title: A\n    image: tests/decks/dot.svg\n"
                                    "  - title: B\n    image: nope.svg\n";
    write_file(deckfile, deck_text, strlen(deck_text));
    Deck *d = deck_load(deckfile, &opts, &diags);
    got = joined(&diags);
    snprintf(want, sizeof want,
             "%s:3:14: error: font 'fonts/Nope.ttf' not found (expected a readable file in %s "
             "or %s)\n"
             "%s:8:12: error: image 'nope.svg' not found (expected a readable file in %s or %s)",
             deckfile, tmpdir, TEST_SOURCE_DIR, deckfile, tmpdir, TEST_SOURCE_DIR);
    CHECK_STR(got, want);
    free(got);
    diag_clear(&diags);
    CHECK(d != NULL); /* missing files leave a usable deck */
    if (d) {
        CHECK_STR(d->path, deckfile);
        CHECK_STR(d->name, "deck");
        CHECK_STR(d->theme.font, font);
        CHECK(d->theme.bold_font == NULL); /* missing: the bundled one is used */
        CHECK_STR(d->slides[0].image, local_svg);
        CHECK(!d->slides[0].image_missing);
        CHECK(d->slides[1].image_missing);
        CHECK(d->slides[1].image != NULL); /* the renderer names it on the placeholder */
    }
    deck_free(d);
    unlink(deckfile);
    unlink(font);
    unlink(local_svg);
    rmdir(tmp_path("fonts"));
    rmdir(tmp_path("tests/decks"));
    rmdir(tmp_path("tests"));

    /* Image missing from memory too: the flag is set. */
    d = load("slides:\n  - title: A\n    image: images/nope.svg\n", &diags);
    CHECK(d && d->slides[0].image_missing);
    deck_free(d);
    diag_clear(&diags);
}

static void test_deep_nesting(void)
{
    char want[256];
    Buf b = {0};
    buf_repeat(&b, "[", 100000);
    snprintf(want, sizeof want,
             "t.yaml:1:%d: error: nested too deeply (the limit is 16 levels; a deck needs at "
             "most 5)",
             DECK_MAX_DEPTH + 1);
    deck_free(expect("100,000 [", b.s, false, want));
    b.len = 0;
    buf_repeat(&b, "{a: ", 100000);
    snprintf(want, sizeof want,
             "t.yaml:1:%d: error: nested too deeply (the limit is 16 levels; a deck needs at "
             "most 5)",
             4 * DECK_MAX_DEPTH + 1);
    deck_free(expect("100,000 {a: ", b.s, false, want));
    b.len = 0;
    for (int i = 0; i < 200; i++) { /* block style: each level indented */
        buf_repeat(&b, " ", (size_t)i);
        buf_str(&b, "a:\n");
    }
    snprintf(want, sizeof want,
             "t.yaml:%d:%d: error: nested too deeply (the limit is 16 levels; a deck needs at "
             "most 5)",
             DECK_MAX_DEPTH + 1, DECK_MAX_DEPTH + 1);
    deck_free(expect("200 indented keys", b.s, false, want));
    free(b.s);
}

static void test_junk(void)
{
    /* Random bytes, NULs included: never a deck, always a reason. */
    char junk[4096];
    for (int round = 0; round < 200; round++) {
        size_t n = 1 + rng() % sizeof junk;
        for (size_t i = 0; i < n; i++)
            junk[i] = (char)(rng() & 0xFF);
        DiagList diags = DIAG_LIST_INIT;
        Deck *d = load_text(junk, n, &diags);
        CHECK(d == NULL);
        CHECK(diag_count(&diags, DIAG_ERROR) >= 1);
        check_invariants("junk", d, &diags);
        deck_free(d);
        diag_clear(&diags);
    }

    /* Damaged decks: delete, duplicate or replace bytes of a good one. Any
     * outcome is fine as long as the promises hold (and, under the
     * sanitizers, nothing is read out of bounds). */
    static const char good[] =
        "title: Skin\ntheme:\n  background: \"#F7F3EE\"\n  text: \"#2B2A28\"\n"
        "timing:\n  transition: fade\n  thanks: 8\n"
        "signup:\n  fields:\n    - id: name\n      label: Name\n      required: true\n"
        "    - id: when\n      label: When\n      type: choice\n      choices: [Am, Pm]\n"
        "slides:\n  - layout: title\n    title: \"Micro: needling\"\n    subtitle: 'Scars'\n"
        "  - title: What\n    text: |\n      One.\n      Two.\n    duration: 9\n"
        "  - items:\n      - a\n      - b\n    image: tests/decks/dot.svg\n";
    static const char bytes[] = " \t\n\r:-#'\"[]{}&*!|>%@`\xFF\xC3\x00x";
    char buf[sizeof good * 2];
    for (int round = 0; round < 3000; round++) {
        size_t n = sizeof good - 1;
        memcpy(buf, good, n);
        for (int edits = 1 + (int)(rng() % 4); edits > 0; edits--) {
            size_t at = rng() % n;
            switch (rng() % 3) {
            case 0: /* delete */
                memmove(buf + at, buf + at + 1, n - at - 1);
                n--;
                break;
            case 1: /* insert */
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = bytes[rng() % (sizeof bytes - 1)];
                n++;
                break;
            default: /* replace */
                buf[at] = bytes[rng() % (sizeof bytes - 1)];
            }
        }
        DiagList diags = DIAG_LIST_INIT;
        Deck *d = load_text(buf, n, &diags);
        check_invariants("damaged deck", d, &diags);
        deck_free(d);
        diag_clear(&diags);
    }
}

/* ---- 5. Windows Notepad: BOM and CRLF load as the LF original ---------- */

static const char notepad_good[] = "# Saved with Notepad\n"
                                   "title: Microneedling\n"
                                   "signup:\n"
                                   "  consent: \"I agree: contact me\"\n"
                                   "  fields:\n"
                                   "    - id: name\n"
                                   "      label: Your name\n"
                                   "slides:\n"
                                   "  - layout: title\n"
                                   "    title: \"1. Consultation\"\n"
                                   "    subtitle: >\n"
                                   "      Folded\n"
                                   "      text\n"
                                   "  - title: Two lines\n"
                                   "    text: |\n"
                                   "      First line.\n"
                                   "\n"
                                   "      After an empty line.\n"
                                   "  - title: 'single ''quoted'''\n"
                                   "    text: \"double\n"
                                   "      quoted\"\n"
                                   "    items:\n"
                                   "      - one\n"
                                   "      - two\n";

/* Broken decks whose diagnostics must not move when saved by Notepad. */
static const char *const notepad_broken[] = {
    "title: caf\xFF\nslides:\n  - title: A\n",                    /* reader error on line 1 */
    "slides:\n  - title: A\n    text: caf\xFF\n",                 /* and on a later line */
    "slides:\n  - title: A\n   text: B\n",                        /* indentation */
    "slides:\n  - title: \"Hello\n    text: World\n",             /* unclosed quote */
    "\ttitle: A\nslides:\n  - title: A\n",                        /* tab on the first line */
    "slides:\n  - titel: A\n  - title: B\n    duration: x\n",     /* schema errors */
    "theme:\n  background: \"#777777\"\nslides:\n  - title: A\n", /* warnings */
};

static void test_notepad(void)
{
    size_t len;
    char *crlf = notepad(notepad_good, &len);
    DiagList a = DIAG_LIST_INIT, b = DIAG_LIST_INIT;
    Deck *lf = load(notepad_good, &a);
    Deck *win = load_text(crlf, len, &b);
    CHECK_INT(a.count, 0);
    CHECK_INT(b.count, 0);
    CHECK(lf && win);
    if (lf && win) {
        CHECK_STR(win->title, lf->title);
        CHECK_STR(win->texts.consent, "I agree: contact me");
        CHECK_INT(win->slide_count, lf->slide_count);
        for (size_t i = 0; i < lf->slide_count && i < win->slide_count; i++) {
            const Slide *x = &lf->slides[i], *y = &win->slides[i];
            CHECK(x->kind == y->kind);
            CHECK(same_str(x->title, y->title));
            CHECK(same_str(x->subtitle, y->subtitle));
            CHECK(same_str(x->text, y->text));
            CHECK(x->line == y->line && x->col == y->col);
            CHECK_INT(y->item_count, x->item_count);
            for (size_t j = 0; j < x->item_count && j < y->item_count; j++)
                CHECK(same_str(x->items[j], y->items[j]));
        }
        CHECK_STR(lf->slides[0].title, "1. Consultation");
        CHECK_STR(lf->slides[0].subtitle, "Folded text");
        CHECK_STR(lf->slides[1].text, "First line.\n\nAfter an empty line.");
        CHECK_STR(lf->slides[2].title, "single 'quoted'");
        CHECK_STR(lf->slides[2].text, "double quoted");
    }
    deck_free(lf);
    deck_free(win);
    diag_clear(&a);
    diag_clear(&b);
    free(crlf);

    for (size_t i = 0; i < sizeof notepad_broken / sizeof notepad_broken[0]; i++) {
        crlf = notepad(notepad_broken[i], &len);
        lf = load(notepad_broken[i], &a);
        win = load_text(crlf, len, &b);
        char *x = joined(&a), *y = joined(&b);
        if (strcmp(x, y) != 0 || !x[0]) {
            fprintf(stderr, "FAIL notepad deck %zu: LF gives\n%s\nbut BOM+CRLF gives\n%s\n", i, x,
                    y);
            check_failures++;
        }
        CHECK((lf == NULL) == (win == NULL));
        free(x);
        free(y);
        deck_free(lf);
        deck_free(win);
        diag_clear(&a);
        diag_clear(&b);
        free(crlf);
    }
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 99;
    }
    deck_free(NULL); /* a no-op, like free(NULL) */
    test_table();
    test_defaults();
    test_signup_extras();
    test_everything_set();
    test_layouts();
    test_durations();
    test_contrast();
    test_limits();
    test_files();
    test_deep_nesting();
    test_junk();
    test_notepad();
    rmdir(tmpdir);
    return check_report("test_deck");
}
