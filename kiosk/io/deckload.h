/* deckload: a deck file read and checked against the deck's schema, every
 * problem reported as FILE:LINE:COL. */
#ifndef KIOSK_DECKLOAD_H
#define KIOSK_DECKLOAD_H

#include "deck.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    /* Relative paths in a deck are looked up next to the deck first, then
     * here, so that decks can use the bundled fonts/ and images/. */
    const char *data_dir;
    /* --check: a note for each of the deck's texts a translation leaves
     * in the deck's language, at the deck's FILE:LINE:COL. */
    bool list_untranslated;
} DeckLoadOptions;

/* A file's name and text, read already. */
typedef struct {
    const char *name;
    const char *text;
    size_t len;
} DeckSource;

/** Loads and validates a deck file. Every problem is appended to diags as
 *  FILE:LINE:COL. Returns a new Deck the caller frees with deck_free(), or
 *  NULL when the file has errors that leave no usable deck. A returned deck
 *  may still carry errors about missing images or fonts (the kiosk shows a
 *  placeholder or the bundled font); callers that validate (--check) look at
 *  diag_count(diags, DIAG_ERROR). */
Deck *deck_load(const char *path, const DeckLoadOptions *opts, DiagList *diags);

/** A deck (src) and its ntr translations (tr) from memory: each translation's texts over
 *  the deck's (see slides/README.md). A translation with errors is
 *  reported (FILE:LINE:COL in it) and left out; the deck is not affected.
 *  The returned deck owns its languages (deck->langs). */
Deck *deck_load_sources(const DeckSource *src, const DeckSource *tr, size_t ntr,
                        const DeckLoadOptions *opts, DiagList *diags);

/** Whether path is a translation (slides/x.es.yaml next to slides/x.yaml);
 *  then out holds the deck's path. */
bool deck_translation_of(const char *path, char *out, size_t cap);

/** The same from memory; name is used in diagnostics and to resolve relative
 *  paths (its directory). */
Deck *deck_load_string(const char *name, const char *text, size_t len, const DeckLoadOptions *opts,
                       DiagList *diags);

#endif
