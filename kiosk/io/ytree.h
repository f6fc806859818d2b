/* ytree: a YAML file as a tree of nodes with line and column, and typed
 * getters that report problems like a compiler (FILE:LINE:COL: what is
 * wrong, what was expected). Shared by the deck and settings loaders. */
#ifndef KIOSK_YTREE_H
#define KIOSK_YTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"

/* The deepest nesting any of our formats may use; a stack of this size is
 * all the tree builder needs, whatever the input. */
#define YT_MAX_DEPTH 32

/* ---- the tree ------------------------------------------------------- */

typedef enum { YN_SCALAR, YN_MAP, YN_SEQ } YNodeType;

typedef struct YNode {
    YNodeType type;
    int line, col;    /* 1-based */
    const char *file; /* the file it came from (a translation merges two) */
    const char *str;  /* scalars */
    size_t len;
    bool plain;          /* unquoted scalar: may be a number or boolean */
    struct YNode **kids; /* maps: key, value, key, value ... */
    size_t n, cap;
} YNode;

/* A format a loader reads: its name for messages and its limits. One
 * static const of these per format (deck, settings file). */
typedef struct {
    const char *what;      /* "deck", "settings file": used in messages */
    const char *root_hint; /* what an empty file should hold */
    const char *text_hint; /* advice appended to "too long" messages */
    int max_depth;         /* <= YT_MAX_DEPTH */
    int depth_needed;      /* how deep the format really goes, for the message */
    size_t max_nodes;
    size_t max_text;
} YFormat;

/* One loading: where results go, where problems go, and the limits. */
typedef struct {
    const YFormat *fmt;
    Arena *arena; /* owns the strings the getters return */
    Arena tree;   /* the nodes; the loader frees it when done */
    DiagList *diags;
    const char *file;
    char *dir;            /* the file's directory (loader-owned), for relative paths */
    const char *data_dir; /* bundled data, for relative paths */
    int fatal;            /* errors that leave nothing usable */
    size_t nodes;
} YCtx;

/** A context for loading file (the name used in messages) in format fmt,
 *  problems to diags; everything else empty. */
YCtx yt_ctx(const YFormat *fmt, const char *file, DiagList *diags);

#if defined(__GNUC__)
#define YT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define YT_PRINTF(a, b)
#endif

/** An error that leaves nothing usable (counts in c->fatal). */
void yt_err(YCtx *c, const YNode *at, const char *fmt, ...) YT_PRINTF(3, 4);
/** An error that still leaves a usable result (a missing image or font). */
void yt_err_soft(YCtx *c, const YNode *at, const char *fmt, ...) YT_PRINTF(3, 4);
void yt_warn(YCtx *c, const YNode *at, const char *fmt, ...) YT_PRINTF(3, 4);
void yt_err_at(YCtx *c, int line, int col, const char *fmt, ...) YT_PRINTF(4, 5);

/** Starts loading c->file (a context from yt_ctx()):
 *  gives c a new arena for the result and c->dir, and refuses text over
 *  max_bytes. Returns 0, or -1 with the problem reported; call yt_end()
 *  either way. */
int yt_begin(YCtx *c, size_t len, size_t max_bytes);

/** Frees what loading used, and the result's arena too unless the loader
 *  took it (by setting c->arena to NULL). */
void yt_end(YCtx *c);

/** Pass 1: parses text into a tree in c->tree. Returns the root, or NULL
 *  with the problem reported (syntax, empty, too deep, too many values,
 *  aliases, a second document). */
YNode *yt_build(YCtx *c, const char *text, size_t len);

/** "a mapping", "a list", "text", "nothing": for messages. */
const char *yt_describe(const YNode *n);

/** Reports unknown keys (with "did you mean" for near misses), duplicate
 *  and non-scalar keys of a mapping; allowed ends with NULL. */
void yt_check_keys(YCtx *c, const YNode *map, const char *const *allowed, const char *where);

/** The value of key in map, or NULL. */
const YNode *yt_get(const YNode *map, const char *key);
/** The key node itself, for pointing at it. */
const YNode *yt_key(const YNode *map, const char *key);
/** An empty value, '~' or 'null'. */
bool yt_is_null(const YNode *n);
/** No control characters but newline and tab. */
bool yt_plain_text(const char *s, size_t n);

/* Getters: absent values are not problems unless required; wrong ones are
 * reported at the value, with what was expected. */
const char *yt_text(YCtx *c, const YNode *map, const char *key, bool required, const char *where);
bool yt_number(YCtx *c, const YNode *map, const char *key, double min, double max, const char *unit,
               double *out);
void yt_seconds(YCtx *c, const YNode *map, const char *key, double min_s, double max_s,
                int *out_ms);
void yt_bool(YCtx *c, const YNode *map, const char *key, bool *out);
int yt_enum(YCtx *c, const YNode *map, const char *key, const char *const *names, int dflt);
const YNode *yt_seq(YCtx *c, const YNode *map, const char *key);
const YNode *yt_map(YCtx *c, const YNode *map, const char *key);
const char **yt_text_list(YCtx *c, const YNode *seq, size_t max, const char *what, size_t *count);

/** Reads a whole regular file of at most max_bytes into a NUL-terminated
 *  malloc'd buffer. Problems (missing, a directory, too big, changed while
 *  read) go to diags; returns 0 or -1. */
int yt_read_file(const char *path, size_t max_bytes, const char *what, DiagList *diags, char **out,
                 size_t *out_len);

#endif
