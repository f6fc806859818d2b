/* diag: a list of compiler-style diagnostics, "FILE:LINE:COL: level: message".
 *
 * Loaders append to a DiagList instead of printing, so that main (or the
 * staff screen, or the log) decides what a person sees. */
#ifndef KIOSK_DIAG_H
#define KIOSK_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

typedef struct {
    DiagLevel level;
    char *file;    /* owned; may be NULL for problems not tied to a file */
    int line;      /* 1-based; 0 when unknown */
    int col;       /* 1-based; 0 when unknown */
    char *message; /* owned */
} Diag;

typedef struct {
    Diag *items;
    size_t count;
    size_t cap;
} DiagList;

#define DIAG_LIST_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/** Appends a diagnostic; the strings are copied. Out of memory drops it
 *  silently (there is nobody to tell). */
void diag_add(DiagList *list, DiagLevel level, const char *file, int line, int col, const char *fmt,
              ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/** Number of diagnostics of the given level. */
size_t diag_count(const DiagList *list, DiagLevel level);

/** Writes one diagnostic as "file:line:col: level: message" (no newline) into
 *  buf; returns what snprintf returns. */
int diag_format(const Diag *d, char *buf, size_t cap);

/** Prints every diagnostic, one per line. */
void diag_print(const DiagList *list, FILE *out);

/** Frees the items; the list can be reused. */
void diag_clear(DiagList *list);

#endif
