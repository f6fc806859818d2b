/* libFuzzer target for the settings file: read at every start of an
 * unattended screen, and rewritten in place by `kiosk --set-pin`, so no
 * bytes in it may crash, leak or lose the rest of the file. Built and run
 * by .ci/fuzz.sh (see docs/testing.md); tests/test_fuzz_regress.c replays
 * the corpus and the saved crashers through this same function in the
 * normal test suite.
 *
 * Checks settings.h's promises: NULL if and only if there is an error; the
 * values of a loaded file are in their documented ranges; and
 * settings_with_pin() of a file that loads gives a file that loads, with
 * the new hash and every other value unchanged. */
#include "diag.h"
#include "settings.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A well-formed yescrypt hash, as `kiosk --set-pin` writes (of no PIN in
 * particular: the target only moves it around). */
static const char fuzz_hash[] =
    "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7";

static void check_range(const Settings *s)
{
    if (!s->renderer || !s->renderer[0] || !s->export_dir || !s->path)
        abort();
    if (s->rotation != 0 && s->rotation != 90 && s->rotation != 180 && s->rotation != 270)
        abort();
    if (s->display < 0 || s->display > SETTINGS_MAX_DISPLAY)
        abort();
    if (s->log_level < 0 || s->log_level > 3)
        abort();
    if (s->inactivity_ms != -1 && (s->inactivity_ms < 10000 || s->inactivity_ms > 3600000))
        abort();
    if (s->form_inactivity_ms != -1 &&
        (s->form_inactivity_ms < 15000 || s->form_inactivity_ms > 600000))
        abort();
    if (s->thanks_ms != -1 && (s->thanks_ms < 2000 || s->thanks_ms > 60000))
        abort();
    if (s->sleep_enabled &&
        (s->sleep_from_min < 0 || s->sleep_from_min > 1439 || s->sleep_to_min < 0 ||
         s->sleep_to_min > 1439 || s->sleep_from_min == s->sleep_to_min))
        abort();
    if (s->staff_pin && !settings_hash_well_formed(s->staff_pin))
        abort();
    if (s->kiosk_id && (!s->kiosk_id[0] || strchr(s->kiosk_id, '\n')))
        abort();
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Everything but staff_pin and path. */
static bool same_values(const Settings *a, const Settings *b)
{
    return same_str(a->deck, b->deck) && same_str(a->kiosk_id, b->kiosk_id) &&
           same_str(a->signups, b->signups) && same_str(a->stats, b->stats) &&
           same_str(a->renderer, b->renderer) && same_str(a->export_dir, b->export_dir) &&
           a->inactivity_ms == b->inactivity_ms && a->form_inactivity_ms == b->form_inactivity_ms &&
           a->thanks_ms == b->thanks_ms && a->rotation == b->rotation && a->display == b->display &&
           a->log_level == b->log_level && a->sleep_enabled == b->sleep_enabled &&
           a->sleep_from_min == b->sleep_from_min && a->sleep_to_min == b->sleep_to_min;
}

static Settings *load(const char *text, size_t len, DiagList *diags)
{
    Settings *s = settings_load_string("/etc/kiosk/kiosk.yaml", text, len, diags);
    /* settings.h: NULL always comes with an error, and any error gives NULL. */
    size_t errors = diag_count(diags, DIAG_ERROR);
    if ((s == NULL) != (errors > 0))
        abort();
    for (size_t i = 0; i < diags->count; i++) {
        char line[2048];
        if (!diags->items[i].message || diag_format(&diags->items[i], line, sizeof line) < 0)
            abort();
    }
    if (s)
        check_range(s);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, not NUL-terminated: the loader takes a
     * length, so ASan must see any read past it. */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    DiagList diags = DIAG_LIST_INIT;
    Settings *s = load(text, size, &diags);

    /* --set-pin on this file. It may refuse (NULL: the file needs editing
     * by hand), but what it returns must read back with the new hash, and
     * a file that loaded before must load after with nothing else changed. */
    char *with = settings_with_pin(text, size, fuzz_hash);
    if (with) {
        DiagList diags2 = DIAG_LIST_INIT;
        size_t wlen = strlen(with);
        char *exact = malloc(wlen ? wlen : 1);
        if (exact) {
            if (wlen)
                memcpy(exact, with, wlen);
            Settings *s2 = load(exact, wlen, &diags2);
            if (s && !s2)
                abort();
            if (s && s2 && (!same_str(s2->staff_pin, fuzz_hash) || !same_values(s, s2)))
                abort();
            settings_free(s2);
            free(exact);
        }
        diag_clear(&diags2);
        free(with);
    }
    settings_free(s);
    diag_clear(&diags);
    free(text);
    return 0;
}
