/* Translations: a file per language over the deck, merged text by text.
 * What a translation overrides, what it leaves (listed at the deck's
 * FILE:LINE:COL), what a broken one does (reported in its own file, its
 * language left out, the deck untouched), and the larger-text view's
 * theme (WCAG AAA contrast, text at least 1.3x). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "deck.h"
#include "deckload.h"
#include "diag.h"

static const char deck_yaml[] = "title: Skin\n"                        /* 1 */
                                "labels:\n"                            /* 2 */
                                "  next: Next\n"                       /* 3 */
                                "signup:\n"                            /* 4 */
                                "  heading: Book now\n"                /* 5 */
                                "  fields:\n"                          /* 6 */
                                "    - id: name\n"                     /* 7 */
                                "      label: Your name\n"             /* 8 */
                                "      required: true\n"               /* 9 */
                                "    - id: when\n"                     /* 10 */
                                "      label: When\n"                  /* 11 */
                                "      type: choice\n"                 /* 12 */
                                "      choices: [Morning, Evening]\n"  /* 13 */
                                "  errors:\n"                          /* 14 */
                                "    required: Please fill this in.\n" /* 15 */
                                "slides:\n"                            /* 16 */
                                "  - title: First slide\n"             /* 17 */
                                "    text: Hello\n"                    /* 18 */
                                "  - title: Second slide\n"            /* 19 */
                                "    text: Goodbye\n";                 /* 20 */

/* Slides in the other order from the deck's: they match by name. */
static const char es_yaml[] = "language: {code: es, name: Español}\n"
                              "labels:\n"
                              "  next: Siguiente\n"
                              "  larger_text: Letra grande\n"
                              "signup:\n"
                              "  fields:\n"
                              "    - id: when\n"
                              "      label: Cuándo\n"
                              "      choices: [Mañana, Noche]\n"
                              "  errors:\n"
                              "    required: Rellene este campo.\n"
                              "slides:\n"
                              "  - name: second-slide\n"
                              "    title: Segunda\n"
                              "  - name: first-slide\n"
                              "    title: Primera\n"
                              "    text: Hola\n";

static Deck *load_with(const char *es, const char *fr, DiagList *diags, bool list)
{
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR, .list_untranslated = list};
    DeckSource deck = {"d.yaml", deck_yaml, strlen(deck_yaml)};
    DeckSource tr[2];
    size_t n = 0;
    if (es)
        tr[n++] = (DeckSource){"d.es.yaml", es, strlen(es)};
    if (fr)
        tr[n++] = (DeckSource){"d.fr.yaml", fr, strlen(fr)};
    return deck_load_sources(&deck, tr, n, &opts, diags);
}

/* Whether some diagnostic formats to exactly want. */
static bool has_diag(const DiagList *diags, const char *want)
{
    char buf[1200];
    for (size_t i = 0; i < diags->count; i++) {
        diag_format(&diags->items[i], buf, sizeof buf);
        if (strcmp(buf, want) == 0)
            return true;
    }
    fprintf(stderr, "missing diagnostic: %s\nhave:\n", want);
    diag_print(diags, stderr);
    return false;
}

static void test_override(void)
{
    DiagList diags = DIAG_LIST_INIT;
    Deck *d = load_with(es_yaml, NULL, &diags, false);
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_INT(diag_count(&diags, DIAG_ERROR), 0);
    CHECK_INT(diag_count(&diags, DIAG_WARNING), 0);
    CHECK_INT(d->lang_count, 2);
    CHECK_STR(d->lang_code, "en");
    CHECK_STR(d->lang_name, "English");
    const Deck *es = deck_view(d, 1, false);
    CHECK_STR(es->lang_code, "es");
    CHECK_STR(es->lang_name, "Español");
    CHECK_STR(es->texts.next, "Siguiente");
    CHECK_STR(es->texts.larger_text, "Letra grande"); /* a default the deck does not set */
    CHECK_STR(es->texts.err_required, "Rellene este campo.");
    CHECK_STR(es->texts.form_heading, "Book now"); /* not translated: the deck's */
    CHECK_STR(es->slides[0].title, "Primera");
    CHECK_STR(es->slides[0].text, "Hola");
    CHECK_STR(es->slides[1].title, "Segunda");
    CHECK_STR(es->slides[1].text, "Goodbye");
    CHECK_STR(es->fields[1].label, "Cuándo");
    CHECK_STR(es->fields[1].choices[0], "Mañana");
    CHECK_STR(es->fields[0].label, "Your name");
    CHECK(es->fields[0].required); /* structure is the deck's */
    /* Names, the deck's name for the rows: the deck's, in every language. */
    CHECK_STR(es->slides[0].name, "first-slide");
    CHECK_STR(es->name, d->name);
    /* Every language knows the others, and its larger-text view. */
    CHECK(es->langs == d->langs);
    CHECK(deck_view(es, 0, false) == d);
    CHECK(deck_view(d, 1, true) == es->large);
    CHECK(es->large->is_large);
    CHECK_STR(es->large->texts.next, "Siguiente");
    CHECK(deck_view(d, 99, false) == d); /* out of range: the deck's own */
    deck_free(d);
    diag_clear(&diags);
}

/* --check's list: each text a translation leaves, at the deck's line. */
static void test_untranslated(void)
{
    DiagList diags = DIAG_LIST_INIT;
    Deck *d = load_with(es_yaml, NULL, &diags, true);
    CHECK(d != NULL);
    CHECK(has_diag(&diags, "d.yaml:1:8: note: not translated into Español (es in d.es.yaml): "
                           "'title: Skin'"));
    CHECK(has_diag(&diags, "d.yaml:5:12: note: not translated into Español (es in d.es.yaml): "
                           "'heading: Book now'"));
    CHECK(has_diag(&diags, "d.yaml:8:14: note: not translated into Español (es in d.es.yaml): "
                           "'label: Your name'"));
    CHECK(has_diag(&diags, "d.yaml:20:11: note: not translated into Español (es in "
                           "d.es.yaml): 'text: Goodbye'"));
    CHECK(has_diag(&diags, "d.es.yaml: note: Español (es): 4 texts not translated"));
    /* Not text: never listed. */
    char buf[1200];
    for (size_t i = 0; i < diags.count; i++) {
        diag_format(&diags.items[i], buf, sizeof buf);
        CHECK(strstr(buf, "'id:") == NULL && strstr(buf, "'type:") == NULL &&
              strstr(buf, "'required: true") == NULL);
    }
    deck_free(d);
    diag_clear(&diags);
}

static void test_broken(void)
{
    static const char *const broken[][2] = {
        {"language: {code: fr, name: Français}\nlabels:\n  next: [Suivant]\n",
         "d.fr.yaml:3:9: error: 'next' is a list (expected text)"},
        {"language: {code: fr, name: Français}\ntheme:\n  text: \"#000000\"\n",
         "d.fr.yaml:2:1: error: 'theme' cannot be translated: it is not text (expected only "
         "texts here; change 'theme' in the deck itself)"},
        {"language: {code: fr, name: Français}\nsignup:\n  fields:\n    - id: when\n"
         "      choices: [Matin]\n",
         "d.fr.yaml:5:16: error: 'choices' has 1 entries, the deck's has 2 (expected one "
         "translation per entry, in the deck's order)"},
        {"labels:\n  next: Suivant\n",
         "d.fr.yaml:1:1: error: a translation needs 'language:' (expected 'language: {code: "
         "es, name: Español}' and the texts it translates, laid out as in the deck)"},
        {"language: {code: fr, name: Français}\nlabels:\n  nxt: Suivant\n",
         "d.fr.yaml:3:3: error: unknown key 'nxt' in the labels (did you mean 'next'?)"},
        {"language: {code: fr, name: Français}\nlabels: [\n",
         NULL /* a syntax error: its message is libyaml's */},
        {"language: {code: en, name: English}\n",
         "d.fr.yaml: error: language 'en' is already the deck's own (expected each language "
         "once); this one is left out"},
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        DiagList diags = DIAG_LIST_INIT;
        Deck *d = load_with(es_yaml, broken[i][0], &diags, false);
        /* The deck and its good translation are untouched. */
        CHECK(d != NULL);
        if (!d)
            continue;
        CHECK_INT(d->lang_count, 2);
        CHECK_STR(deck_view(d, 1, false)->lang_code, "es");
        CHECK_STR(d->texts.next, "Next");
        CHECK(diag_count(&diags, DIAG_ERROR) >= 1);
        if (broken[i][1])
            CHECK(has_diag(&diags, broken[i][1]));
        for (size_t k = 0; k < diags.count; k++)
            if (diags.items[k].level == DIAG_ERROR)
                CHECK_STR(diags.items[k].file, "d.fr.yaml");
        deck_free(d);
        diag_clear(&diags);
    }
}

/* A translation of a slide the deck no longer has (renamed) is a warning:
 * the rest of the language still shows. */
static void test_stale_slide(void)
{
    DiagList diags = DIAG_LIST_INIT;
    const char *fr = "language: {code: fr, name: Français}\n"
                     "slides:\n"
                     "  - name: third-slide\n"
                     "    title: Troisième\n"
                     "  - title: Sans nom\n";
    Deck *d = load_with(NULL, fr, &diags, false);
    CHECK(d != NULL);
    if (d)
        CHECK_INT(d->lang_count, 1);
    CHECK(has_diag(&diags, "d.fr.yaml:3:11: warning: no slide in the deck is called "
                           "'third-slide' (expected the name of one of the deck's slides; "
                           "kiosk --check lists those not yet translated)"));
    CHECK(has_diag(&diags, "d.fr.yaml:5:5: error: an entry of 'slides' has no 'name' "
                           "(expected '- name: ...' naming the slide it translates)"));
    deck_free(d);
    diag_clear(&diags);
}

/* A file named for one language that says another: a warning. */
static void test_code_mismatch(void)
{
    DiagList diags = DIAG_LIST_INIT;
    Deck *d = load_with(NULL, "language: {code: pt, name: Português}\n", &diags, false);
    CHECK(d != NULL && d->lang_count == 2);
    CHECK(has_diag(&diags, "d.fr.yaml: warning: the file is named for language 'fr' but says "
                           "'code: pt' (expected the same code in both, so staff find the "
                           "right file)"));
    deck_free(d);
    diag_clear(&diags);
}

static void test_large_theme(void)
{
    /* The bundled theme, a pale one and a garish one: the larger-text view
     * reaches 7:1 for every text pair whatever the deck's colours. */
    DeckTheme themes[3] = {0};
    themes[0] = (DeckTheme){.background = {0xF7, 0xF3, 0xEE},
                            .text = {0x2B, 0x2A, 0x28},
                            .accent = {0x1F, 0x5F, 0x5B},
                            .accent_text = {255, 255, 255},
                            .muted = {0x5A, 0x55, 0x4F},
                            .surface = {255, 255, 255},
                            .error = {0xA3, 0x26, 0x1B},
                            .text_scale = 100,
                            .title_scale = 100};
    themes[1] = themes[0];
    themes[1].accent = (DeckColor){0xFF, 0xE0, 0x66}; /* yellow */
    themes[1].error = (DeckColor){0xFF, 0x80, 0x80};
    themes[2] = themes[0];
    themes[2].accent = (DeckColor){0x00, 0xFF, 0xFF};
    themes[2].text_scale = 80;
    for (int i = 0; i < 3; i++) {
        double worst = 0;
        DeckTheme t = deck_large_theme(&themes[i]);
        CHECK(deck_theme_contrast_ok(&t, DECK_AAA_CONTRAST, &worst));
        CHECK(worst >= 7.0);
        CHECK(t.text_scale * 10 >= themes[i].text_scale * 13);
        /* The titles keep their size: the room goes to running text. */
        CHECK(t.text_scale * t.title_scale / 100 <=
              themes[i].text_scale * themes[i].title_scale / 100 + 1);
    }
    /* The formula against known values: black on white 21:1, and the
     * bundled deck's ordinary theme is not AAA (that is why the view
     * exists). */
    CHECK(deck_contrast_ratio((DeckColor){0, 0, 0}, (DeckColor){255, 255, 255}) > 20.99);
    double worst = 0;
    CHECK(!deck_theme_contrast_ok(&themes[0], DECK_AAA_CONTRAST, &worst));
    CHECK(worst < 7.0 && worst > 4.5);
}

/* The bundled deck and its Spanish, from the files as the kiosk loads
 * them: every text translated, Spanish accents intact. */
static void test_bundled(void)
{
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR, .list_untranslated = true};
    Deck *d = deck_load(TEST_SOURCE_DIR "/slides/microneedling.yaml", &opts, &diags);
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_INT(diag_count(&diags, DIAG_ERROR), 0);
    CHECK_INT(diag_count(&diags, DIAG_WARNING), 0);
    CHECK(has_diag(&diags, TEST_SOURCE_DIR
                   "/slides/microneedling.es.yaml: note: Español (es): 0 texts not translated"));
    CHECK_INT(d->lang_count, 2);
    const Deck *es = deck_view(d, 1, false);
    CHECK_STR(es->lang_name, "Español");
    CHECK_STR(es->texts.thanks_title, "¡Muchas gracias!");
    CHECK_STR(es->slides[1].title, "¿Qué es el microneedling?");
    CHECK_INT(es->slide_count, d->slide_count);
    for (size_t i = 0; i < d->slide_count; i++)
        CHECK(strcmp(es->slides[i].title, d->slides[i].title) != 0 ||
              strstr(d->slides[i].title, "Microneedling") != NULL);
    deck_free(d);
    diag_clear(&diags);
}

int main(void)
{
    test_override();
    test_untranslated();
    test_broken();
    test_stale_slide();
    test_code_mismatch();
    test_large_theme();
    test_bundled();
    return check_report("test_deckload_translations");
}
