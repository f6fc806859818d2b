/* deck: loads a slide deck from YAML into plain structs.
 *
 * Two passes. First libyaml's event parser builds a small tree of nodes, each
 * with its line and column; this is where syntax, depth, alias and size limits
 * are enforced, so nothing later can be made to recurse or expand without
 * bound. Then a schema walk over the tree checks types and keys and fills the
 * Deck, reporting every problem it finds rather than stopping at the first. */
#include "deck.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* ---- arena: every string of a Deck lives here, freed at once ---------- */

typedef struct Block {
    struct Block *next;
    size_t used, cap;
    max_align_t data[];
} Block;

typedef struct {
    Block *head;
} Arena;

enum { ARENA_BLOCK_BYTES = 16 * 1024 };

static void *arena_alloc(Arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (!a->head || a->head->cap - a->head->used < n) {
        size_t cap = n > ARENA_BLOCK_BYTES ? n : ARENA_BLOCK_BYTES;
        Block *b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += n;
    memset(p, 0, n);
    return p;
}

static char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static char *arena_strdup(Arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

static void arena_free(Arena *a)
{
    Block *b = a->head;
    while (b) {
        Block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

/* ---- pass 1: YAML events to a tree with marks ------------------------- */

typedef enum { YN_SCALAR, YN_MAP, YN_SEQ } YNodeType;

typedef struct YNode {
    YNodeType type;
    int line, col;       /* 1-based */
    const char *str;     /* scalars */
    size_t len;
    bool plain;          /* unquoted scalar: may be a number or boolean */
    struct YNode **kids; /* maps: key, value, key, value ... */
    size_t n, cap;
} YNode;

typedef struct {
    Arena *arena;     /* the deck's arena: owns the result */
    Arena tree;       /* pass-1 nodes, freed after loading */
    DiagList *diags;
    const char *file;
    char *dir;        /* directory of the deck file (malloc'd) */
    const char *data_dir;
    int fatal;        /* errors that leave no usable deck */
    size_t nodes;
} Ctx;

static void report(Ctx *c, DiagLevel level, bool fatal, int line, int col, const char *fmt,
                   va_list ap)
{
    char msg[900];
    vsnprintf(msg, sizeof msg, fmt, ap);
    diag_add(c->diags, level, c->file, line, col, "%s", msg);
    if (fatal)
        c->fatal++;
}

#if defined(__GNUC__)
#define PRINTF_LIKE(a, b) __attribute__((format(printf, a, b)))
#else
#define PRINTF_LIKE(a, b)
#endif

static void PRINTF_LIKE(3, 4) err(Ctx *c, const YNode *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, DIAG_ERROR, true, at ? at->line : 1, at ? at->col : 1, fmt, ap);
    va_end(ap);
}

/* An error that still leaves a usable deck (a missing image or font). */
static void PRINTF_LIKE(3, 4) err_soft(Ctx *c, const YNode *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, DIAG_ERROR, false, at ? at->line : 1, at ? at->col : 1, fmt, ap);
    va_end(ap);
}

static void PRINTF_LIKE(3, 4) warn(Ctx *c, const YNode *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, DIAG_WARNING, false, at ? at->line : 1, at ? at->col : 1, fmt, ap);
    va_end(ap);
}

static void PRINTF_LIKE(4, 5) err_at(Ctx *c, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, DIAG_ERROR, true, line, col, fmt, ap);
    va_end(ap);
}

static YNode *node_new(Ctx *c, YNodeType type, yaml_mark_t mark)
{
    if (++c->nodes > DECK_MAX_NODES)
        return NULL;
    YNode *n = arena_alloc(&c->tree, sizeof *n);
    if (n) {
        n->type = type;
        n->line = (int)mark.line + 1;
        n->col = (int)mark.column + 1;
    }
    return n;
}

static bool node_add_kid(Ctx *c, YNode *parent, YNode *kid)
{
    if (parent->n == parent->cap) {
        size_t cap = parent->cap ? parent->cap * 2 : 8;
        YNode **kids = arena_alloc(&c->tree, cap * sizeof *kids);
        if (!kids)
            return false;
        if (parent->n)
            memcpy(kids, parent->kids, parent->n * sizeof *kids);
        parent->kids = kids;
        parent->cap = cap;
    }
    parent->kids[parent->n++] = kid;
    return true;
}

static bool has_bom(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
}

/* libyaml reports reader errors (bad UTF-8, control bytes) by byte offset
 * only; people need a line and column. Counted as libyaml counts its marks:
 * a byte-order mark is no column, and "\r\n" or a lone '\r' ends a line. */
static void offset_to_mark(const char *text, size_t len, size_t offset, int *line, int *col)
{
    *line = 1;
    *col = 1;
    if (offset > len)
        offset = len;
    for (size_t i = has_bom(text, len) ? 3 : 0; i < offset; i++) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            (*line)++;
            *col = 1;
        } else if (text[i] != '\r' && (text[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/* The reverse: the byte offset of a parser mark (0-based line, column in
 * characters), or len when it is past the end. */
static size_t mark_to_offset(const char *text, size_t len, yaml_mark_t m)
{
    size_t i = has_bom(text, len) ? 3 : 0;
    for (size_t line = 0; i < len && line < m.line; i++)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n')))
            line++;
    for (size_t col = 0; i < len && col < m.column; col++)
        for (i++; i < len && (text[i] & 0xC0) == 0x80; i++)
            ;
    return i;
}

static bool starts_its_line(const char *text, size_t offset)
{
    while (offset > 0 && (text[offset - 1] == ' ' || text[offset - 1] == '\t'))
        offset--;
    return offset == 0 || text[offset - 1] == '\n' || text[offset - 1] == '\r' ||
           (offset == 3 && has_bom(text, 3));
}

/* libyaml's problems are worded for YAML experts ("while parsing a block
 * collection did not find expected '-' indicator"); decks are edited by
 * clinic staff, so the common ones are said in plain words, at the place a
 * person has to look (the opening quote of a quote that is never closed, not
 * the end of the file). */
static void report_syntax_error(Ctx *c, yaml_parser_t *p, const char *text, size_t len)
{
    const char *problem = p->problem ? p->problem : "could not be read";
    const char *context = p->context ? p->context : "";
    yaml_mark_t at = p->problem_mark, ctx = p->context_mark;
    size_t off = mark_to_offset(text, len, at);
    size_t ctx_off = mark_to_offset(text, len, ctx);
    int ch = off < len ? (unsigned char)text[off] : -1;
    int open = ctx_off < len ? (unsigned char)text[ctx_off] : '"';
    int line = (int)at.line + 1, col = (int)at.column + 1;
    int ctx_line = (int)ctx.line + 1, ctx_col = (int)ctx.column + 1;

    if (ch == '\t' || strstr(problem, "tab character"))
        err_at(c, line, col, "YAML syntax: a tab character here (expected spaces: YAML does not "
                             "allow tabs for indenting)");
    else if (strstr(context, "quoted scalar") &&
             (strstr(problem, "end of stream") || strstr(problem, "document indicator")))
        err_at(c, ctx_line, ctx_col, "YAML syntax: the quote that starts here is never closed "
                                     "(expected a closing %c at the end of the text)", open);
    else if (strstr(problem, "mapping values are not allowed"))
        err_at(c, line, col, "YAML syntax: unexpected ':' (expected text that contains ': ' in "
                             "quotes, or this key lined up with the keys above it)");
    else if (strstr(context, "simple key") && strstr(problem, "expected ':'"))
        err_at(c, ctx_line, ctx_col, "YAML syntax: this line has no ': ' (expected 'key: value' "
                                     "with a space after the ':', or more indentation if it "
                                     "continues the text above)");
    else if (strstr(problem, "expected '-' indicator"))
        err_at(c, line, col, "YAML syntax: this line is not lined up with the list above it "
                             "(expected '- ' in the same column as the other items, or a key "
                             "lined up with the keys of the item above)");
    else if (strstr(problem, "expected key") && starts_its_line(text, off))
        err_at(c, line, col, "YAML syntax: this line is not lined up with the keys above it "
                             "(expected the same indentation as the other keys of its section)");
    else if (strstr(problem, "expected key"))
        err_at(c, line, col, "YAML syntax: more text after the closing quote (expected the "
                             "whole text inside the quotes; write a quote inside \"...\" as "
                             "\\\" and inside '...' as '')");
    else if (strstr(problem, "block sequence entries are not allowed"))
        err_at(c, line, col, "YAML syntax: a '- ' item cannot start here (expected each item "
                             "on its own line, below its key and indented)");
    else if (strstr(context, "flow sequence") && strstr(problem, "expected ','"))
        err_at(c, ctx_line, ctx_col, "YAML syntax: the list opened by this '[' is not closed "
                                     "(expected ', ' between the items and a ']' at the end)");
    else if (strstr(context, "flow mapping") && strstr(problem, "expected ','"))
        err_at(c, ctx_line, ctx_col, "YAML syntax: the mapping opened by this '{' is not closed "
                                     "(expected ', ' between the entries and a '}' at the end)");
    else if (strstr(problem, "cannot start any token") && (ch == '@' || ch == '`'))
        err_at(c, line, col, "YAML syntax: text cannot start with '%c' (expected the text in "
                             "quotes)", ch);
    else if (p->context)
        err_at(c, line, col, "YAML syntax: %s %s (check the indentation and the ':' after "
                             "each key near line %d)", context, problem, ctx_line);
    else
        err_at(c, line, col, "YAML syntax: %s (check the indentation and the ':' after each "
                             "key)", problem);
}

static void report_parser_error(Ctx *c, yaml_parser_t *p, const char *text, size_t len)
{
    int line, col;
    const char *problem = p->problem ? p->problem : "could not be read";
    switch (p->error) {
    case YAML_MEMORY_ERROR:
        err_at(c, 1, 1, "out of memory while reading the deck");
        return;
    case YAML_READER_ERROR:
        offset_to_mark(text, len, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            err_at(c, line, col, "%s (byte 0x%02X; expected text saved as UTF-8)", problem,
                   (unsigned)p->problem_value & 0xFFu);
        else
            err_at(c, line, col, "%s (expected text saved as UTF-8)", problem);
        return;
    default:
        report_syntax_error(c, p, text, len);
    }
}

static YNode *build_tree(Ctx *c, const char *text, size_t len)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        err_at(c, 1, 1, "out of memory while reading the deck");
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);

    YNode *stack[DECK_MAX_DEPTH + 1];
    int depth = 0;
    YNode *root = NULL;
    int documents = 0;
    bool done = false, failed = false;

    while (!done && !failed) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            report_parser_error(c, &p, text, len);
            failed = true;
            break;
        }
        int line = (int)ev.start_mark.line + 1, col = (int)ev.start_mark.column + 1;
        YNode *node = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1) {
                err_at(c, line, col, "a second YAML document starts here (expected one deck "
                                     "per file: remove the '---' line or split the file)");
                failed = true;
            }
            break;
        case YAML_ALIAS_EVENT:
            err_at(c, line, col, "aliases ('*%s') are not supported in decks (expected the "
                                 "value written out in full)",
                   ev.data.alias.anchor ? (const char *)ev.data.alias.anchor : "");
            failed = true;
            break;
        case YAML_SCALAR_EVENT:
            node = node_new(c, YN_SCALAR, ev.start_mark);
            if (node) {
                node->str = arena_strndup(&c->tree, (const char *)ev.data.scalar.value,
                                          ev.data.scalar.length);
                node->len = ev.data.scalar.length;
                node->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
                if (!node->str)
                    node = NULL;
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
            node = node_new(c, YN_SEQ, ev.start_mark);
            break;
        case YAML_MAPPING_START_EVENT:
            node = node_new(c, YN_MAP, ev.start_mark);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth > 0)
                depth--;
            break;
        default:
            break;
        }
        bool opens = ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT;
        bool makes = opens || ev.type == YAML_SCALAR_EVENT;
        yaml_event_delete(&ev);
        if (!makes)
            continue;
        if (!node) {
            if (c->nodes > DECK_MAX_NODES)
                err_at(c, line, col, "too many values in one deck (the limit is %d)",
                       DECK_MAX_NODES);
            else
                err_at(c, line, col, "out of memory while reading the deck");
            failed = true;
            break;
        }
        if (depth == 0) {
            root = node;
        } else if (!node_add_kid(c, stack[depth - 1], node)) {
            err_at(c, line, col, "out of memory while reading the deck");
            failed = true;
            break;
        }
        if (opens) {
            if (depth == DECK_MAX_DEPTH) {
                err_at(c, line, col, "nested too deeply (the limit is %d levels; a deck "
                                     "needs at most 5)", DECK_MAX_DEPTH);
                failed = true;
                break;
            }
            stack[depth++] = node;
        }
    }
    yaml_parser_delete(&p);
    if (failed)
        return NULL;
    if (!root)
        err_at(c, 1, 1, "the deck is empty (expected a mapping with a 'slides:' list)");
    return root;
}

/* ---- pass 2: the schema walk ----------------------------------------- */

static const char *describe(const YNode *n)
{
    switch (n->type) {
    case YN_MAP: return "a mapping";
    case YN_SEQ: return "a list";
    case YN_SCALAR: return n->len ? "text" : "nothing";
    }
    return "something else";
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 32 || lb > 32)
        return 99;
    size_t row[33];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (tolower((unsigned char)a[i - 1]) !=
                                 tolower((unsigned char)b[j - 1]));
            size_t best = sub;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

/* Reports unknown and duplicate keys of a mapping, with a suggestion for
 * near misses such as 'titel'. */
static void check_keys(Ctx *c, const YNode *map, const char *const *allowed, const char *where)
{
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const YNode *k = map->kids[i];
        if (k->type != YN_SCALAR) {
            err(c, k, "a key in %s is %s (expected a plain word such as 'title')", where,
                describe(k));
            continue;
        }
        for (size_t j = 0; j < i; j += 2) {
            const YNode *prev = map->kids[j];
            if (prev->type == YN_SCALAR && strcmp(prev->str, k->str) == 0) {
                err(c, k, "'%s' appears twice in %s (expected each key once; the first is "
                          "at line %d)", k->str, where, prev->line);
                break;
            }
        }
        bool known = false;
        const char *best = NULL;
        size_t best_d = 99;
        for (const char *const *a = allowed; *a; a++) {
            if (strcmp(*a, k->str) == 0) {
                known = true;
                break;
            }
            size_t d = edit_distance(*a, k->str);
            if (d < best_d) {
                best_d = d;
                best = *a;
            }
        }
        if (known)
            continue;
        if (best && best_d <= 2 && best_d < strlen(k->str)) {
            err(c, k, "unknown key '%s' in %s (did you mean '%s'?)", k->str, where, best);
        } else {
            char list[400] = "";
            size_t used = 0;
            for (const char *const *a = allowed; *a && used < sizeof list - 40; a++)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                         a == allowed ? "" : ", ", *a);
            err(c, k, "unknown key '%s' in %s (expected one of: %s)", k->str, where, list);
        }
    }
}

static const YNode *map_get(const YNode *map, const char *key)
{
    if (!map || map->type != YN_MAP)
        return NULL;
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const YNode *k = map->kids[i];
        if (k->type == YN_SCALAR && strcmp(k->str, key) == 0)
            return map->kids[i + 1];
    }
    return NULL;
}

/* The key node itself, for reporting at the key rather than its value. */
static const YNode *map_key(const YNode *map, const char *key)
{
    if (!map || map->type != YN_MAP)
        return NULL;
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const YNode *k = map->kids[i];
        if (k->type == YN_SCALAR && strcmp(k->str, key) == 0)
            return k;
    }
    return NULL;
}

static bool is_null(const YNode *n)
{
    return n && n->type == YN_SCALAR && n->plain &&
           (n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0);
}

static bool valid_utf8_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 && ch != '\n' && ch != '\t')
            return false;
    }
    return true;
}

/* Text value: NULL when absent. Required values that are missing are reported
 * at the mapping that lacks them. */
static const char *get_text(Ctx *c, const YNode *map, const char *key, bool required,
                            const char *where)
{
    const YNode *v = map_get(map, key);
    if (!v || is_null(v)) {
        if (required)
            err(c, v ? v : map, "%s has no '%s' (expected '%s: some text')", where, key, key);
        return NULL;
    }
    if (v->type != YN_SCALAR) {
        err(c, v, "'%s' is %s (expected text)", key, describe(v));
        return NULL;
    }
    if (v->len > DECK_MAX_TEXT_BYTES) {
        err(c, v, "'%s' is %zu characters long (expected at most %d: split it over two "
                  "slides)", key, v->len, DECK_MAX_TEXT_BYTES);
        return NULL;
    }
    if (!valid_utf8_text(v->str, v->len)) {
        err(c, v, "'%s' contains control characters (expected plain text)", key);
        return NULL;
    }
    /* Trailing newlines from '|' blocks would add empty lines on screen. */
    size_t n = v->len;
    while (n > 0 && (v->str[n - 1] == '\n' || v->str[n - 1] == ' '))
        n--;
    return arena_strndup(c->arena, v->str, n);
}

static bool get_number(Ctx *c, const YNode *map, const char *key, double min, double max,
                       const char *unit, double *out)
{
    const YNode *v = map_get(map, key);
    if (!v || is_null(v))
        return false;
    if (v->type != YN_SCALAR) {
        err(c, v, "'%s' is %s (expected a number of %s from %g to %g)", key, describe(v), unit,
            min, max);
        return false;
    }
    char *end = NULL;
    errno = 0;
    double d = strtod(v->str, &end);
    if (v->len == 0 || errno || *end != '\0' || !isfinite(d)) {
        err(c, v, "'%s' is '%s' (expected a number of %s from %g to %g)", key, v->str, unit,
            min, max);
        return false;
    }
    if (d < min || d > max) {
        err(c, v, "'%s' is %g (expected a number of %s from %g to %g)", key, d, unit, min, max);
        return false;
    }
    *out = d;
    return true;
}

static void get_seconds_ms(Ctx *c, const YNode *map, const char *key, double min_s,
                           double max_s, int *out_ms)
{
    double d;
    if (get_number(c, map, key, min_s, max_s, "seconds", &d))
        *out_ms = (int)lround(d * 1000.0);
}

static void get_bool(Ctx *c, const YNode *map, const char *key, bool *out)
{
    const YNode *v = map_get(map, key);
    if (!v || is_null(v))
        return;
    if (v->type == YN_SCALAR) {
        static const char *yes[] = {"true", "yes", "on", NULL};
        static const char *no[] = {"false", "no", "off", NULL};
        for (const char **w = yes; *w; w++)
            if (strcasecmp(v->str, *w) == 0) {
                *out = true;
                return;
            }
        for (const char **w = no; *w; w++)
            if (strcasecmp(v->str, *w) == 0) {
                *out = false;
                return;
            }
    }
    err(c, v, "'%s' is %s%s%s (expected true or false)", key,
        v->type == YN_SCALAR ? "'" : describe(v), v->type == YN_SCALAR ? v->str : "",
        v->type == YN_SCALAR ? "'" : "");
}

static int get_enum(Ctx *c, const YNode *map, const char *key, const char *const *names,
                    int dflt)
{
    const YNode *v = map_get(map, key);
    if (!v || is_null(v))
        return dflt;
    if (v->type == YN_SCALAR)
        for (int i = 0; names[i]; i++)
            if (strcmp(v->str, names[i]) == 0)
                return i;
    char list[200] = "";
    size_t used = 0;
    for (int i = 0; names[i]; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 names[i]);
    if (v->type == YN_SCALAR)
        err(c, v, "'%s' is '%s' (expected one of: %s)", key, v->str, list);
    else
        err(c, v, "'%s' is %s (expected one of: %s)", key, describe(v), list);
    return dflt;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = (char)tolower((unsigned char)ch);
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

static void get_color(Ctx *c, const YNode *map, const char *key, DeckColor *out)
{
    const YNode *v = map_get(map, key);
    if (!v)
        return;
    if (is_null(v)) {
        /* "background: #F7F3EE" without quotes is a key with a comment: the
         * colour would be dropped without a word. */
        if (v->len == 0)
            err(c, map_key(map, key), "'%s' has no colour (expected a colour like "
                                      "\"#1F5F5B\" in quotes: without them '#' starts a "
                                      "comment)", key);
        return;
    }
    if (v->type == YN_SCALAR && v->str[0] == '#' && (v->len == 7 || v->len == 4)) {
        int digits[6];
        bool ok = true;
        for (size_t i = 1; i < v->len; i++)
            ok = ok && (digits[i - 1] = hexval(v->str[i])) >= 0;
        if (ok) {
            if (v->len == 7) {
                out->r = (uint8_t)(digits[0] * 16 + digits[1]);
                out->g = (uint8_t)(digits[2] * 16 + digits[3]);
                out->b = (uint8_t)(digits[4] * 16 + digits[5]);
            } else {
                out->r = (uint8_t)(digits[0] * 17);
                out->g = (uint8_t)(digits[1] * 17);
                out->b = (uint8_t)(digits[2] * 17);
            }
            return;
        }
    }
    err(c, v, "'%s' is %s%s%s (expected a colour like \"#1F5F5B\", in quotes)", key,
        v->type == YN_SCALAR ? "'" : describe(v), v->type == YN_SCALAR ? v->str : "",
        v->type == YN_SCALAR ? "'" : "");
}

static bool file_readable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

/* Looks a referenced file up next to the deck, then in the data directory.
 * Returns the path to use (a placeholder is drawn when missing). */
static const char *get_path(Ctx *c, const YNode *map, const char *key, const char *what,
                            bool *missing)
{
    const char *rel = get_text(c, map, key, false, "");
    if (!rel)
        return NULL;
    const YNode *v = map_get(map, key);
    char buf[4096];
    if (rel[0] == '/') {
        if (file_readable(rel))
            return rel;
    } else {
        snprintf(buf, sizeof buf, "%s/%s", c->dir, rel);
        if (file_readable(buf))
            return arena_strdup(c->arena, buf);
        if (c->data_dir) {
            snprintf(buf, sizeof buf, "%s/%s", c->data_dir, rel);
            if (file_readable(buf))
                return arena_strdup(c->arena, buf);
        }
    }
    if (missing)
        *missing = true;
    if (rel[0] == '/' || !c->data_dir)
        err_soft(c, v, "%s '%s' not found (expected a readable file%s%s)", what, rel,
                 rel[0] == '/' ? "" : " next to the deck in ", rel[0] == '/' ? "" : c->dir);
    else
        err_soft(c, v, "%s '%s' not found (expected a readable file in %s or %s)", what, rel,
                 c->dir, c->data_dir);
    return rel;
}

static const YNode *get_seq(Ctx *c, const YNode *map, const char *key)
{
    const YNode *v = map_get(map, key);
    if (!v || is_null(v))
        return NULL;
    if (v->type != YN_SEQ) {
        if (v->type == YN_SCALAR)
            err(c, v, "'%s' is '%.40s' (expected a list, each item on its own line starting "
                      "with '- ')", key, v->str);
        else
            err(c, v, "'%s' is %s (expected a list, each item on its own line starting with "
                      "'- ')", key, describe(v));
        return NULL;
    }
    return v;
}

static const YNode *get_map(Ctx *c, const YNode *map, const char *key)
{
    const YNode *v = map_get(map, key);
    if (!v || is_null(v))
        return NULL;
    if (v->type != YN_MAP) {
        if (v->type == YN_SCALAR)
            err(c, v, "'%s' is '%.40s' (expected a mapping of 'key: value' lines indented "
                      "below it)", key, v->str);
        else
            err(c, v, "'%s' is %s (expected a mapping of 'key: value' lines indented below it)",
                key, describe(v));
        return NULL;
    }
    return v;
}

static const char **get_text_list(Ctx *c, const YNode *seq, size_t max, const char *what,
                                  size_t *count)
{
    *count = 0;
    if (!seq)
        return NULL;
    if (seq->n > max) {
        err(c, seq->kids[max], "too many %s: %zu (expected at most %zu %s)", what, seq->n, max,
            strcmp(what, "items") == 0 ? "on one slide" : "in one field");
        return NULL;
    }
    const char **out = arena_alloc(c->arena, (seq->n + 1) * sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < seq->n; i++) {
        const YNode *v = seq->kids[i];
        if (v->type != YN_SCALAR || v->len == 0) {
            err(c, v, "an entry of %s is %s (expected text after '- ')", what, describe(v));
            continue;
        }
        if (v->len > DECK_MAX_TEXT_BYTES) {
            err(c, v, "an entry of %s is %zu characters long (expected at most %d)", what,
                v->len, DECK_MAX_TEXT_BYTES);
            continue;
        }
        if (!valid_utf8_text(v->str, v->len)) {
            err(c, v, "an entry of %s contains control characters (expected plain text)", what);
            continue;
        }
        out[(*count)++] = arena_strndup(c->arena, v->str, v->len);
    }
    return out;
}

/* ---- defaults --------------------------------------------------------- */

static DeckColor rgb(unsigned hex)
{
    DeckColor col = {(uint8_t)(hex >> 16), (uint8_t)(hex >> 8), (uint8_t)hex};
    return col;
}

/* Defaults are English; every one can be replaced from the deck. */
static void set_defaults(Deck *d)
{
    d->theme.background = rgb(0xF7F3EE);
    d->theme.text = rgb(0x2B2A28);
    d->theme.accent = rgb(0x1F5F5B);
    d->theme.accent_text = rgb(0xFFFFFF);
    d->theme.muted = rgb(0x5E5A55);
    d->theme.surface = rgb(0xFFFFFF);
    d->theme.error = rgb(0xA3261B);
    d->theme.text_scale = 100;
    d->theme.title_scale = 100;
    d->timing.transition = TRANSITION_FADE;
    d->timing.transition_ms = 300;
    d->timing.inactivity_ms = 60000;
    d->timing.form_inactivity_ms = 45000;
    d->timing.thanks_ms = 8000;
    d->signup_on_every_slide = true;
    DeckTexts *t = &d->texts;
    t->next = "Next";
    t->back = "Back";
    t->signup_button = "Sign up";
    t->start_over = "Start";
    t->form_heading = "Book a free skin assessment";
    t->form_intro = "Leave your details and we will contact you.";
    t->submit = "Send";
    t->cancel = "Back";
    t->consent = "I agree to be contacted about my free skin assessment.";
    t->consent_version = "1";
    t->thanks_title = "Thank you!";
    t->thanks_text = "We will be in touch soon.";
    t->saved_later_text = "Thank you! Please also tell the front desk, so we can be sure "
                          "to reach you.";
    t->err_required = "Please fill this in.";
    t->err_email = "Please check this email address.";
    t->err_phone = "Digits only, please (+ is fine).";
    t->err_contact = "Please give a phone or an email.";
    t->err_consent = "Please tick the box to continue.";
    t->optional = "optional";
}

static const char *const default_times[] = {"Morning", "Afternoon", "Evening"};

static void set_default_fields(Deck *d, Arena *a)
{
    static const struct {
        const char *id, *label;
        DeckFieldType type;
        bool required, contact;
    } defs[] = {
        {"name", "Your name", FIELD_TEXT, true, false},
        {"phone", "Phone", FIELD_PHONE, false, true},
        {"email", "Email", FIELD_EMAIL, false, true},
        {"contact_time", "Best time to call", FIELD_CHOICE, false, false},
    };
    size_t n = sizeof defs / sizeof defs[0];
    d->fields = arena_alloc(a, n * sizeof *d->fields);
    if (!d->fields)
        return;
    for (size_t i = 0; i < n; i++) {
        DeckField *f = &d->fields[i];
        f->id = defs[i].id;
        f->label = defs[i].label;
        f->type = defs[i].type;
        f->required = defs[i].required;
        f->contact = defs[i].contact;
        if (f->type == FIELD_CHOICE) {
            f->choices = (const char **)default_times;
            f->choice_count = 3;
        }
    }
    d->field_count = n;
}

/* ---- sections --------------------------------------------------------- */

static void load_theme(Ctx *c, Deck *d, const YNode *root)
{
    const YNode *t = get_map(c, root, "theme");
    if (!t)
        return;
    static const char *const keys[] = {"background", "text", "accent", "accent_text",
                                       "muted", "surface", "error", "font", "bold_font",
                                       "text_size", "title_size", NULL};
    check_keys(c, t, keys, "the theme");
    const YNode *key = map_key(root, "theme");
    d->theme.line = key->line;
    d->theme.col = key->col;
    get_color(c, t, "background", &d->theme.background);
    get_color(c, t, "text", &d->theme.text);
    get_color(c, t, "accent", &d->theme.accent);
    get_color(c, t, "accent_text", &d->theme.accent_text);
    get_color(c, t, "muted", &d->theme.muted);
    get_color(c, t, "surface", &d->theme.surface);
    get_color(c, t, "error", &d->theme.error);
    /* A missing font is reported and the bundled one (NULL) kept: the
     * renderer cannot open an unresolved relative path. */
    bool missing = false;
    const char *f = get_path(c, t, "font", "font", &missing);
    if (f && !missing)
        d->theme.font = f;
    missing = false;
    f = get_path(c, t, "bold_font", "font", &missing);
    if (f && !missing)
        d->theme.bold_font = f;
    double pct;
    if (get_number(c, t, "text_size", 50, 200, "percent", &pct))
        d->theme.text_scale = (int)lround(pct);
    if (get_number(c, t, "title_size", 50, 200, "percent", &pct))
        d->theme.title_scale = (int)lround(pct);
}

static void load_timing(Ctx *c, Deck *d, const YNode *root)
{
    const YNode *t = get_map(c, root, "timing");
    if (!t)
        return;
    static const char *const keys[] = {"transition", "transition_ms", "inactivity",
                                       "form_inactivity", "thanks", NULL};
    check_keys(c, t, keys, "the timing");
    static const char *const kinds[] = {"fade", "slide", "none", NULL};
    d->timing.transition = (TransitionKind)get_enum(c, t, "transition", kinds,
                                                    (int)d->timing.transition);
    double ms;
    if (get_number(c, t, "transition_ms", 0, 2000, "milliseconds", &ms))
        d->timing.transition_ms = (int)ms;
    get_seconds_ms(c, t, "inactivity", 10, 3600, &d->timing.inactivity_ms);
    get_seconds_ms(c, t, "form_inactivity", 15, 600, &d->timing.form_inactivity_ms);
    get_seconds_ms(c, t, "thanks", 2, 60, &d->timing.thanks_ms);
}

static void set_text(Ctx *c, const YNode *map, const char *key, const char **dst)
{
    const char *s = get_text(c, map, key, false, "");
    if (s)
        *dst = s;
}

static void load_labels(Ctx *c, Deck *d, const YNode *root)
{
    const YNode *l = get_map(c, root, "labels");
    if (!l)
        return;
    static const char *const keys[] = {"next", "back", "signup", "start_over", NULL};
    check_keys(c, l, keys, "the labels");
    set_text(c, l, "next", &d->texts.next);
    set_text(c, l, "back", &d->texts.back);
    set_text(c, l, "signup", &d->texts.signup_button);
    set_text(c, l, "start_over", &d->texts.start_over);
}

static bool valid_id(const char *s)
{
    if (!*s || strlen(s) > 32)
        return false;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

static void load_fields(Ctx *c, Deck *d, const YNode *seq)
{
    if (seq->n == 0) {
        err(c, seq, "the sign-up form has no fields (expected at least a name field)");
        return;
    }
    if (seq->n > DECK_MAX_FIELDS) {
        err(c, seq->kids[DECK_MAX_FIELDS], "too many sign-up fields: %zu (expected at most %d)",
            seq->n, DECK_MAX_FIELDS);
        return;
    }
    DeckField *fields = arena_alloc(c->arena, seq->n * sizeof *fields);
    if (!fields)
        return;
    size_t n = 0;
    static const char *const keys[] = {"id", "label", "type", "required", "contact", "choices",
                                       NULL};
    static const char *const types[] = {"text", "email", "phone", "choice", NULL};
    for (size_t i = 0; i < seq->n; i++) {
        const YNode *m = seq->kids[i];
        if (m->type != YN_MAP) {
            err(c, m, "a sign-up field is %s (expected a mapping with 'id:', 'label:' and "
                      "'type:')", describe(m));
            continue;
        }
        check_keys(c, m, keys, "a sign-up field");
        DeckField *f = &fields[n];
        f->id = get_text(c, m, "id", true, "a sign-up field");
        f->label = get_text(c, m, "label", true, "a sign-up field");
        f->type = (DeckFieldType)get_enum(c, m, "type", types, FIELD_TEXT);
        f->contact = f->type == FIELD_EMAIL || f->type == FIELD_PHONE;
        get_bool(c, m, "required", &f->required);
        get_bool(c, m, "contact", &f->contact);
        if (!f->id || !f->label)
            continue;
        const YNode *idn = map_get(m, "id");
        if (!valid_id(f->id)) {
            err(c, idn, "field id '%s' is not a simple name (expected lowercase letters, "
                        "digits and '_', like 'phone')", f->id);
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < n; j++)
            dup = dup || strcmp(fields[j].id, f->id) == 0;
        if (dup) {
            err(c, idn, "field id '%s' is used twice (expected each id once: it names a "
                        "column of the sign-up file)", f->id);
            continue;
        }
        const YNode *ch = get_seq(c, m, "choices");
        if (f->type == FIELD_CHOICE) {
            if (!ch || ch->n < 2) {
                err(c, ch ? ch : m, "choice field '%s' needs at least 2 'choices' (expected a "
                                    "list of 2 to %d options)", f->id, DECK_MAX_CHOICES);
                continue;
            }
            f->choices = get_text_list(c, ch, DECK_MAX_CHOICES, "choices", &f->choice_count);
        } else if (ch) {
            warn(c, ch, "'choices' is ignored on a %s field (expected only on type: choice)",
                 types[f->type]);
        }
        if (f->required && f->contact)
            warn(c, m, "field '%s' is both required and a contact field; 'contact' already "
                       "asks for at least one of the contact fields", f->id);
        n++;
    }
    d->fields = fields;
    d->field_count = n;
}

static void load_signup(Ctx *c, Deck *d, const YNode *root)
{
    set_default_fields(d, c->arena);
    const YNode *s = get_map(c, root, "signup");
    if (!s)
        return;
    static const char *const keys[] = {
        "heading", "intro", "fields", "consent", "consent_version", "submit", "cancel",
        "thanks_title", "thanks_text", "saved_later_text", "errors", "button",
        "button_on_every_slide", "optional", NULL};
    check_keys(c, s, keys, "the signup section");
    DeckTexts *t = &d->texts;
    set_text(c, s, "heading", &t->form_heading);
    set_text(c, s, "intro", &t->form_intro);
    set_text(c, s, "consent", &t->consent);
    set_text(c, s, "consent_version", &t->consent_version);
    set_text(c, s, "submit", &t->submit);
    set_text(c, s, "cancel", &t->cancel);
    set_text(c, s, "thanks_title", &t->thanks_title);
    set_text(c, s, "thanks_text", &t->thanks_text);
    set_text(c, s, "saved_later_text", &t->saved_later_text);
    set_text(c, s, "button", &t->signup_button);
    set_text(c, s, "optional", &t->optional);
    get_bool(c, s, "button_on_every_slide", &d->signup_on_every_slide);
    const YNode *e = get_map(c, s, "errors");
    if (e) {
        static const char *const ekeys[] = {"required", "email", "phone", "contact", "consent",
                                            NULL};
        check_keys(c, e, ekeys, "the error messages");
        set_text(c, e, "required", &t->err_required);
        set_text(c, e, "email", &t->err_email);
        set_text(c, e, "phone", &t->err_phone);
        set_text(c, e, "contact", &t->err_contact);
        set_text(c, e, "consent", &t->err_consent);
    }
    const YNode *f = get_seq(c, s, "fields");
    if (f)
        load_fields(c, d, f);
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    bool in = false;
    for (; s && *s; s++) {
        bool space = *s == ' ' || *s == '\n' || *s == '\t';
        if (!space && !in)
            n++;
        in = !space;
    }
    return n;
}

int deck_reading_time_ms(size_t words)
{
    /* A calm loop: 4 s to notice the slide, then ~3 words a second. */
    long ms = 4000 + (long)words * 1000 / 3;
    if (ms < 6000)
        ms = 6000;
    if (ms > 30000)
        ms = 30000;
    return (int)ms;
}

static const char *slugify(Arena *a, const char *title, size_t index)
{
    char buf[48];
    size_t n = 0;
    bool dash = false;
    for (const char *p = title ? title : ""; *p && n < 32; p++) {
        unsigned char ch = (unsigned char)*p;
        if (isalnum(ch) && ch < 0x80) {
            if (dash && n > 0)
                buf[n++] = '-';
            buf[n++] = (char)tolower(ch);
            dash = false;
        } else {
            dash = true;
        }
    }
    if (n == 0) {
        snprintf(buf, sizeof buf, "slide-%zu", index + 1);
        return arena_strdup(a, buf);
    }
    buf[n] = '\0';
    return arena_strdup(a, buf);
}

static const char *const slide_kinds[] = {"title", "text", "bullets", "steps", "image",
                                          "signup", NULL};

const char *deck_slide_kind_name(SlideKind kind)
{
    return slide_kinds[kind];
}

static void load_slide(Ctx *c, Deck *d, const YNode *m, Slide *s, size_t index)
{
    static const char *const keys[] = {"layout", "name", "title", "subtitle", "text", "items",
                                       "image", "caption", "button", "duration", NULL};
    size_t errors_before = diag_count(c->diags, DIAG_ERROR);
    check_keys(c, m, keys, "a slide");
    s->line = m->line;
    s->col = m->col;
    s->title = get_text(c, m, "title", false, "");
    s->subtitle = get_text(c, m, "subtitle", false, "");
    s->text = get_text(c, m, "text", false, "");
    s->caption = get_text(c, m, "caption", false, "");
    s->button = get_text(c, m, "button", false, "");
    const YNode *items = get_seq(c, m, "items");
    s->items = get_text_list(c, items, DECK_MAX_ITEMS, "items", &s->item_count);
    s->image = get_path(c, m, "image", "image", &s->image_missing);

    /* The layout can be left out: it follows from what the slide has. An
     * 'items' that is not a list (already reported) still means bullets. */
    const YNode *items_v = map_get(m, "items");
    bool has_items = items_v && !is_null(items_v);
    SlideKind inferred = has_items ? SLIDE_BULLETS
                         : (s->image && !s->text && s->caption) ? SLIDE_IMAGE
                                                                : SLIDE_TEXT;
    s->kind = (SlideKind)get_enum(c, m, "layout", slide_kinds, (int)inferred);
    const char *name = get_text(c, m, "name", false, "");
    s->name = slugify(c->arena, name ? name : s->title, index);
    if (!s->button && s->kind == SLIDE_SIGNUP)
        s->button = d->texts.signup_button;

    const char *kind = slide_kinds[s->kind];
    struct {
        const char *key;
        bool applies;
    } extras[] = {
        {"subtitle", s->kind == SLIDE_TITLE},
        {"items", s->kind == SLIDE_BULLETS || s->kind == SLIDE_STEPS},
        {"caption", s->kind == SLIDE_IMAGE},
        {"button", s->kind == SLIDE_SIGNUP},
    };
    for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++) {
        const YNode *v = map_get(m, extras[i].key);
        if (v && !extras[i].applies)
            warn(c, v, "'%s' is not shown on a %s slide (expected layout: %s)", extras[i].key,
                 kind,
                 strcmp(extras[i].key, "subtitle") == 0  ? "title"
                 : strcmp(extras[i].key, "items") == 0   ? "bullets or steps"
                 : strcmp(extras[i].key, "caption") == 0 ? "image"
                                                         : "signup");
    }
    if ((s->kind == SLIDE_BULLETS || s->kind == SLIDE_STEPS) && !has_items)
        err(c, m, "a %s slide has no 'items' (expected a list of %s)", kind,
            s->kind == SLIDE_STEPS ? "steps" : "bullets");
    if (items && items->n == 0)
        err(c, items, "'items' is empty (expected at least one entry, each on its own line "
                      "starting with '- ')");
    if (s->kind == SLIDE_IMAGE && !s->image && !map_get(m, "image"))
        err(c, m, "an image slide has no 'image' (expected 'image: images/name.svg')");
    /* Not after an error in this slide: a misspelt 'titel' already says why. */
    if (!s->title && !s->text && !s->item_count && !map_get(m, "image") && !s->subtitle &&
        diag_count(c->diags, DIAG_ERROR) == errors_before)
        warn(c, m, "this slide has nothing to show (expected at least a title or text)");

    size_t words = count_words(s->title) + count_words(s->subtitle) + count_words(s->text) +
                   count_words(s->caption);
    for (size_t i = 0; i < s->item_count; i++)
        words += count_words(s->items[i]);
    int reading = deck_reading_time_ms(words);
    s->duration_ms = reading;
    double secs;
    if (get_number(c, m, "duration", DECK_MIN_DURATION_MS / 1000, DECK_MAX_DURATION_MS / 1000,
                   "seconds", &secs)) {
        s->duration_ms = (int)lround(secs * 1000);
        if (s->duration_ms + 1000 < 4000 + (int)words * 1000 / 3 && s->duration_ms < reading)
            warn(c, map_get(m, "duration"), "duration %g s is short for %zu words (about %d s "
                                            "are needed to read them)", secs, words,
                 (reading + 999) / 1000);
    }
}

static void load_slides(Ctx *c, Deck *d, const YNode *root)
{
    const YNode *v = map_get(root, "slides");
    if (!v) {
        err(c, root, "the deck has no 'slides:' (expected a list of slides)");
        return;
    }
    if (is_null(v)) {
        err(c, map_key(root, "slides"), "'slides' is empty (expected at least one slide)");
        return;
    }
    const YNode *seq = get_seq(c, root, "slides");
    if (!seq)
        return;
    if (seq->n == 0) {
        err(c, seq, "'slides' is empty (expected at least one slide)");
        return;
    }
    if (seq->n > DECK_MAX_SLIDES) {
        err(c, seq->kids[DECK_MAX_SLIDES], "too many slides: %zu (expected at most %d)", seq->n,
            DECK_MAX_SLIDES);
        return;
    }
    d->slides = arena_alloc(c->arena, seq->n * sizeof *d->slides);
    if (!d->slides)
        return;
    for (size_t i = 0; i < seq->n; i++) {
        const YNode *m = seq->kids[i];
        if (m->type != YN_MAP) {
            if (m->type == YN_SCALAR)
                err(c, m, "slide %zu is just '%.40s' (expected a mapping such as 'title: ...' "
                          "indented under '- ')", i + 1, m->str);
            else
                err(c, m, "slide %zu is %s (expected a mapping such as 'title: ...')", i + 1,
                    describe(m));
            continue;
        }
        load_slide(c, d, m, &d->slides[d->slide_count], d->slide_count);
        d->slide_count++;
    }
}

/* WCAG 2.1 relative luminance. */
static double luminance(DeckColor col)
{
    double ch[3] = {col.r / 255.0, col.g / 255.0, col.b / 255.0};
    for (int i = 0; i < 3; i++)
        ch[i] = ch[i] <= 0.04045 ? ch[i] / 12.92 : pow((ch[i] + 0.055) / 1.055, 2.4);
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

double deck_contrast_ratio(DeckColor a, DeckColor b)
{
    double la = luminance(a), lb = luminance(b);
    if (la < lb) {
        double t = la;
        la = lb;
        lb = t;
    }
    return (la + 0.05) / (lb + 0.05);
}

static void check_contrast(Ctx *c, const Deck *d)
{
    const DeckTheme *t = &d->theme;
    struct {
        const char *fg, *bg;
        DeckColor a, b;
        double min;
    } pairs[] = {
        {"text", "background", t->text, t->background, 4.5},
        {"muted", "background", t->muted, t->background, 4.5},
        {"text", "surface", t->text, t->surface, 4.5},
        {"accent_text", "accent", t->accent_text, t->accent, 4.5},
        {"accent", "background", t->accent, t->background, 3.0},
        {"error", "surface", t->error, t->surface, 4.5},
        {"error", "background", t->error, t->background, 4.5},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        double r = deck_contrast_ratio(pairs[i].a, pairs[i].b);
        if (r + 1e-9 < pairs[i].min)
            diag_add(c->diags, DIAG_WARNING, c->file, t->line ? t->line : 1, t->col ? t->col : 1,
                     "theme: '%s' on '%s' has contrast %.2f:1 (expected at least %.1f:1 for "
                     "WCAG 2.1 AA)", pairs[i].fg, pairs[i].bg, r, pairs[i].min);
    }
}

static Deck *load_root(Ctx *c, const YNode *root)
{
    Deck *d = arena_alloc(c->arena, sizeof *d);
    if (!d) {
        err_at(c, 1, 1, "out of memory while reading the deck");
        return NULL;
    }
    set_defaults(d);
    if (is_null(root)) {
        err_at(c, 1, 1, "the deck is empty (expected a mapping with a 'slides:' list)");
        return NULL;
    }
    if (root->type != YN_MAP) {
        err(c, root, "the top of a deck is %s (expected a mapping with 'slides:' and, "
                     "optionally, 'title:', 'theme:' and 'signup:')", describe(root));
        return NULL;
    }
    static const char *const keys[] = {"title", "name", "theme", "timing", "labels", "signup",
                                       "slides", NULL};
    check_keys(c, root, keys, "the deck");
    d->title = get_text(c, root, "title", false, "");
    const char *name = get_text(c, root, "name", false, "");
    if (!name) {
        const char *base = strrchr(c->file, '/');
        base = base ? base + 1 : c->file;
        size_t n = strlen(base);
        if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
            n -= 5;
        else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
            n -= 4;
        name = arena_strndup(c->arena, base, n);
    }
    d->name = name;
    load_theme(c, d, root);
    load_timing(c, d, root);
    load_labels(c, d, root);
    load_signup(c, d, root);
    load_slides(c, d, root);
    check_contrast(c, d);
    return d;
}

Deck *deck_load_string(const char *name, const char *text, size_t len,
                       const DeckLoadOptions *opts, DiagList *diags)
{
    Arena *arena = calloc(1, sizeof *arena);
    if (!arena) {
        diag_add(diags, DIAG_ERROR, name, 0, 0, "out of memory");
        return NULL;
    }
    Ctx c = {.arena = arena, .diags = diags, .file = name,
             .data_dir = opts ? opts->data_dir : NULL};
    const char *slash = strrchr(name, '/');
    c.dir = slash ? strndup(name, (size_t)(slash - name)) : strdup(".");
    if (slash == name) {
        free(c.dir);
        c.dir = strdup("/");
    }
    Deck *d = NULL;
    if (!c.dir) {
        diag_add(diags, DIAG_ERROR, name, 0, 0, "out of memory");
        goto done;
    }
    if (len > DECK_MAX_BYTES) {
        err_at(&c, 1, 1, "the file is %zu bytes (expected at most %d: is this really a deck?)",
               len, DECK_MAX_BYTES);
        goto done;
    }
    const YNode *root = build_tree(&c, text, len);
    if (root)
        d = load_root(&c, root);
    if (d && !c.fatal && d->slide_count == 0)
        err_at(&c, 1, 1, "the deck has no slides (expected a 'slides:' list)");
    /* Callers (kiosk --check) rely on it: NULL comes with at least one error. */
    if (d && (c.fatal || d->slide_count == 0))
        d = NULL;
    if (d) {
        d->path = arena_strdup(arena, name);
        d->arena = arena;
        arena = NULL;
    }
done:
    arena_free(&c.tree);
    if (arena) {
        arena_free(arena);
        free(arena);
    }
    free(c.dir);
    return d;
}

Deck *deck_load(const char *path, const DeckLoadOptions *opts, DiagList *diags)
{
    Deck *d = NULL;
    char *buf = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot open the deck: %s (expected a readable "
                                                "YAML file)", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read the deck: %s", strerror(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, "%s (expected a YAML file)",
                 S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file");
        goto done;
    }
    if (st.st_size > DECK_MAX_BYTES) {
        diag_add(diags, DIAG_ERROR, path, 1, 1, "the file is %lld bytes (expected at most %d: "
                                                "is this really a deck?)",
                 (long long)st.st_size, DECK_MAX_BYTES);
        goto done;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, "out of memory");
        goto done;
    }
    size_t len = 0;
    for (;;) {
        /* Read one byte past the size seen, so a file that grows while we read
         * is noticed rather than cut silently. */
        ssize_t r = read(fd, buf + len, (size_t)st.st_size + 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read the deck: %s", strerror(errno));
            goto done;
        }
        if (r == 0)
            break;
        len += (size_t)r;
        if (len > (size_t)st.st_size) {
            diag_add(diags, DIAG_ERROR, path, 0, 0, "the file changed while it was read "
                                                    "(expected it to be saved completely)");
            goto done;
        }
    }
    d = deck_load_string(path, buf, len, opts, diags);
done:
    free(buf);
    close(fd);
    return d;
}

void deck_free(Deck *deck)
{
    if (!deck)
        return;
    Arena *a = deck->arena;
    arena_free(a);
    free(a);
}
