/* ytree: YAML files read into a small tree of marked nodes, and typed
 * getters that report problems as FILE:LINE:COL diagnostics.
 *
 * Two passes, shared by the deck and settings loaders. First libyaml's event
 * parser builds the tree; syntax, depth, node count and aliases (refused, so
 * nothing can expand) are checked there, so nothing later can be made to
 * recurse or grow without bound. Then a loader walks the tree with the
 * getters below, which report every problem rather than stopping at the
 * first. */
#include "ytree.h"

#include "fsx.h"

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

/* ---- pass 1: YAML events to a tree with marks ------------------------- */

static void report(YCtx *c, DiagLevel level, bool fatal, const YNode *at, int line, int col,
                   const char *fmt, va_list ap)
{
    char msg[900];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* A node names its own file: a translation's tree is merged into the
     * deck's, and each problem must point at the file that holds it. */
    diag_add(c->diags, level, at && at->file ? at->file : c->file, line, col, "%s", msg);
    if (fatal)
        c->fatal++;
}

void yt_err(YCtx *c, const YNode *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, DIAG_ERROR, true, at, at ? at->line : 1, at ? at->col : 1, fmt, ap);
    va_end(ap);
}

/* An error that still leaves a usable deck (a missing image or font). */
void yt_err_soft(YCtx *c, const YNode *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, DIAG_ERROR, false, at, at ? at->line : 1, at ? at->col : 1, fmt, ap);
    va_end(ap);
}

void yt_warn(YCtx *c, const YNode *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, DIAG_WARNING, false, at, at ? at->line : 1, at ? at->col : 1, fmt, ap);
    va_end(ap);
}

void yt_err_at(YCtx *c, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, DIAG_ERROR, true, NULL, line, col, fmt, ap);
    va_end(ap);
}

static YNode *node_new(YCtx *c, YNodeType type, yaml_mark_t mark)
{
    if (++c->nodes > c->fmt->max_nodes)
        return NULL;
    YNode *n = arena_alloc(&c->tree, sizeof *n);
    if (n) {
        n->type = type;
        n->line = (int)mark.line + 1;
        n->col = (int)mark.column + 1;
        n->file = c->file;
    }
    return n;
}

static bool node_add_kid(YCtx *c, YNode *parent, YNode *kid)
{
    if (parent->n == parent->cap) {
        size_t cap = parent->cap ? parent->cap * 2 : 8;
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): kids holds pointers */
        YNode **kids = arena_alloc(&c->tree, cap * sizeof *kids);
        if (!kids)
            return false;
        if (parent->n)
            /* NOLINTNEXTLINE(bugprone-sizeof-expression): as above */
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
static void report_syntax_error(YCtx *c, yaml_parser_t *p, const char *text, size_t len)
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
        yt_err_at(c, line, col,
                  "YAML syntax: a tab character here (expected spaces: YAML does not "
                  "allow tabs for indenting)");
    else if (strstr(context, "quoted scalar") &&
             (strstr(problem, "end of stream") || strstr(problem, "document indicator")))
        yt_err_at(c, ctx_line, ctx_col,
                  "YAML syntax: the quote that starts here is never closed "
                  "(expected a closing %c at the end of the text)",
                  open);
    else if (strstr(problem, "mapping values are not allowed"))
        yt_err_at(c, line, col,
                  "YAML syntax: unexpected ':' (expected text that contains ': ' in "
                  "quotes, or this key lined up with the keys above it)");
    else if (strstr(context, "simple key") && strstr(problem, "expected ':'"))
        yt_err_at(c, ctx_line, ctx_col,
                  "YAML syntax: this line has no ': ' (expected 'key: value' "
                  "with a space after the ':', or more indentation if it "
                  "continues the text above)");
    else if (strstr(problem, "expected '-' indicator"))
        yt_err_at(c, line, col,
                  "YAML syntax: this line is not lined up with the list above it "
                  "(expected '- ' in the same column as the other items, or a key "
                  "lined up with the keys of the item above)");
    else if (strstr(problem, "expected key") && starts_its_line(text, off))
        yt_err_at(c, line, col,
                  "YAML syntax: this line is not lined up with the keys above it "
                  "(expected the same indentation as the other keys of its section)");
    else if (strstr(problem, "expected key"))
        yt_err_at(c, line, col,
                  "YAML syntax: more text after the closing quote (expected the "
                  "whole text inside the quotes; write a quote inside \"...\" as "
                  "\\\" and inside '...' as '')");
    else if (strstr(problem, "block sequence entries are not allowed"))
        yt_err_at(c, line, col,
                  "YAML syntax: a '- ' item cannot start here (expected each item "
                  "on its own line, below its key and indented)");
    else if (strstr(context, "flow sequence") && strstr(problem, "expected ','"))
        yt_err_at(c, ctx_line, ctx_col,
                  "YAML syntax: the list opened by this '[' is not closed "
                  "(expected ', ' between the items and a ']' at the end)");
    else if (strstr(context, "flow mapping") && strstr(problem, "expected ','"))
        yt_err_at(c, ctx_line, ctx_col,
                  "YAML syntax: the mapping opened by this '{' is not closed "
                  "(expected ', ' between the entries and a '}' at the end)");
    else if (strstr(problem, "cannot start any token") && (ch == '@' || ch == '`'))
        yt_err_at(c, line, col,
                  "YAML syntax: text cannot start with '%c' (expected the text in "
                  "quotes)",
                  ch);
    else if (p->context)
        yt_err_at(c, line, col,
                  "YAML syntax: %s %s (check the indentation and the ':' after "
                  "each key near line %d)",
                  context, problem, ctx_line);
    else
        yt_err_at(c, line, col,
                  "YAML syntax: %s (check the indentation and the ':' after each "
                  "key)",
                  problem);
}

static void report_parser_error(YCtx *c, yaml_parser_t *p, const char *text, size_t len)
{
    int line, col;
    const char *problem = p->problem ? p->problem : "could not be read";
    switch (p->error) {
    case YAML_MEMORY_ERROR:
        yt_err_at(c, 1, 1, "out of memory while reading the %s", c->fmt->what);
        return;
    case YAML_READER_ERROR:
        offset_to_mark(text, len, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            yt_err_at(c, line, col, "%s (byte 0x%02X; expected text saved as UTF-8)", problem,
                      (unsigned)p->problem_value & 0xFFu);
        else
            yt_err_at(c, line, col, "%s (expected text saved as UTF-8)", problem);
        return;
    default:
        report_syntax_error(c, p, text, len);
    }
}

/* The tree being built: the open lists and mappings, innermost last. */
typedef struct {
    YNode *stack[YT_MAX_DEPTH + 1];
    int depth;
    YNode *root;
    int documents;
    bool done; /* the end of the stream */
} Builder;

static YNode *scalar_node(YCtx *c, const yaml_event_t *ev)
{
    YNode *node = node_new(c, YN_SCALAR, ev->start_mark);
    if (node) {
        node->str = arena_strndup(&c->tree, (const char *)ev->data.scalar.value,
                                  ev->data.scalar.length);
        node->len = ev->data.scalar.length;
        node->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (!node->str)
            node = NULL;
    }
    return node;
}

/* Puts a new node (NULL: it could not be made) under the innermost open
 * collection; a list or mapping (opens) becomes the innermost. Returns
 * false with the problem reported. */
static bool attach(YCtx *c, Builder *b, YNode *node, bool opens, int line, int col)
{
    if (!node) {
        if (c->nodes > c->fmt->max_nodes)
            yt_err_at(c, line, col, "too many values in one %s (the limit is %zu)", c->fmt->what,
                      c->fmt->max_nodes);
        else
            yt_err_at(c, line, col, "out of memory while reading the %s", c->fmt->what);
        return false;
    }
    if (b->depth == 0) {
        b->root = node;
    } else if (!node_add_kid(c, b->stack[b->depth - 1], node)) {
        yt_err_at(c, line, col, "out of memory while reading the %s", c->fmt->what);
        return false;
    }
    if (opens) {
        if (b->depth >= c->fmt->max_depth || b->depth >= YT_MAX_DEPTH) {
            yt_err_at(c, line, col,
                      "nested too deeply (the limit is %d levels; a %s "
                      "needs at most %d)",
                      c->fmt->max_depth, c->fmt->what, c->fmt->depth_needed);
            return false;
        }
        b->stack[b->depth++] = node;
    }
    return true;
}

/* One parser event into the tree. Returns false when building must stop
 * (the problem is reported). */
static bool build_event(YCtx *c, Builder *b, const yaml_event_t *ev)
{
    int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
        b->done = true;
        return true;
    case YAML_DOCUMENT_START_EVENT:
        if (++b->documents > 1) {
            yt_err_at(c, line, col,
                      "a second YAML document starts here (expected one %s "
                      "per file: remove the '---' line or split the file)",
                      c->fmt->what);
            return false;
        }
        return true;
    case YAML_ALIAS_EVENT:
        yt_err_at(c, line, col,
                  "aliases ('*%s') are not supported in %ss (expected the "
                  "value written out in full)",
                  ev->data.alias.anchor ? (const char *)ev->data.alias.anchor : "", c->fmt->what);
        return false;
    case YAML_SCALAR_EVENT:
        return attach(c, b, scalar_node(c, ev), false, line, col);
    case YAML_SEQUENCE_START_EVENT:
        return attach(c, b, node_new(c, YN_SEQ, ev->start_mark), true, line, col);
    case YAML_MAPPING_START_EVENT:
        return attach(c, b, node_new(c, YN_MAP, ev->start_mark), true, line, col);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (b->depth > 0)
            b->depth--;
        return true;
    default:
        return true;
    }
}

YNode *yt_build(YCtx *c, const char *text, size_t len)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        yt_err_at(c, 1, 1, "out of memory while reading the %s", c->fmt->what);
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    Builder b = {.depth = 0};
    bool ok = true;
    while (ok && !b.done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            report_parser_error(c, &p, text, len);
            ok = false;
            break;
        }
        ok = build_event(c, &b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    if (!ok)
        return NULL;
    if (!b.root)
        yt_err_at(c, 1, 1, "the %s is empty (expected %s)", c->fmt->what, c->fmt->root_hint);
    return b.root;
}

/* ---- pass 2: the schema walk ----------------------------------------- */

const char *yt_describe(const YNode *n)
{
    switch (n->type) {
    case YN_MAP:
        return "a mapping";
    case YN_SEQ:
        return "a list";
    case YN_SCALAR:
        return n->len ? "text" : "nothing";
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
            size_t sub = prev +
                         (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
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
void yt_check_keys(YCtx *c, const YNode *map, const char *const *allowed, const char *where)
{
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const YNode *k = map->kids[i];
        if (k->type != YN_SCALAR) {
            yt_err(c, k, "a key in %s is %s (expected a plain word such as 'title')", where,
                   yt_describe(k));
            continue;
        }
        for (size_t j = 0; j < i; j += 2) {
            const YNode *prev = map->kids[j];
            if (prev->type == YN_SCALAR && strcmp(prev->str, k->str) == 0) {
                yt_err(c, k,
                       "'%s' appears twice in %s (expected each key once; the first is "
                       "at line %d)",
                       k->str, where, prev->line);
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
            yt_err(c, k, "unknown key '%s' in %s (did you mean '%s'?)", k->str, where, best);
        } else {
            char list[400] = "";
            size_t used = 0;
            for (const char *const *a = allowed; *a && used < sizeof list - 40; a++)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                         a == allowed ? "" : ", ", *a);
            yt_err(c, k, "unknown key '%s' in %s (expected one of: %s)", k->str, where, list);
        }
    }
}

/* The index of key's key node in map's kids, or -1. */
static long key_index(const YNode *map, const char *key)
{
    if (!map || map->type != YN_MAP)
        return -1;
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const YNode *k = map->kids[i];
        if (k->type == YN_SCALAR && strcmp(k->str, key) == 0)
            return (long)i;
    }
    return -1;
}

const YNode *yt_get(const YNode *map, const char *key)
{
    long i = key_index(map, key);
    return i < 0 ? NULL : map->kids[i + 1];
}

/* The key node itself, for reporting at the key rather than its value. */
const YNode *yt_key(const YNode *map, const char *key)
{
    long i = key_index(map, key);
    return i < 0 ? NULL : map->kids[i];
}

bool yt_is_null(const YNode *n)
{
    return n && n->type == YN_SCALAR && n->plain &&
           (n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0);
}

bool yt_plain_text(const char *s, size_t n)
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
const char *yt_text(YCtx *c, const YNode *map, const char *key, bool required, const char *where)
{
    const YNode *v = yt_get(map, key);
    if (!v || yt_is_null(v)) {
        if (required)
            yt_err(c, v ? v : map, "%s has no '%s' (expected '%s: some text')", where, key, key);
        return NULL;
    }
    if (v->type != YN_SCALAR) {
        yt_err(c, v, "'%s' is %s (expected text)", key, yt_describe(v));
        return NULL;
    }
    if (v->len > c->fmt->max_text) {
        yt_err(c, v, "'%s' is %zu characters long (expected at most %zu%s)", key, v->len,
               c->fmt->max_text, c->fmt->text_hint);
        return NULL;
    }
    if (!yt_plain_text(v->str, v->len)) {
        yt_err(c, v, "'%s' contains control characters (expected plain text)", key);
        return NULL;
    }
    /* Trailing newlines from '|' blocks would add empty lines on screen. */
    size_t n = v->len;
    while (n > 0 && (v->str[n - 1] == '\n' || v->str[n - 1] == ' '))
        n--;
    return arena_strndup(c->arena, v->str, n);
}

bool yt_number(YCtx *c, const YNode *map, const char *key, double min, double max, const char *unit,
               double *out)
{
    const YNode *v = yt_get(map, key);
    if (!v || yt_is_null(v))
        return false;
    if (v->type != YN_SCALAR) {
        yt_err(c, v, "'%s' is %s (expected a number of %s from %g to %g)", key, yt_describe(v),
               unit, min, max);
        return false;
    }
    char *end = NULL;
    errno = 0;
    double d = strtod(v->str, &end);
    if (v->len == 0 || errno || *end != '\0' || !isfinite(d)) {
        yt_err(c, v, "'%s' is '%s' (expected a number of %s from %g to %g)", key, v->str, unit, min,
               max);
        return false;
    }
    if (d < min || d > max) {
        yt_err(c, v, "'%s' is %g (expected a number of %s from %g to %g)", key, d, unit, min, max);
        return false;
    }
    *out = d;
    return true;
}

void yt_seconds(YCtx *c, const YNode *map, const char *key, double min_s, double max_s, int *out_ms)
{
    double d;
    if (yt_number(c, map, key, min_s, max_s, "seconds", &d))
        *out_ms = (int)lround(d * 1000.0);
}

void yt_bool(YCtx *c, const YNode *map, const char *key, bool *out)
{
    const YNode *v = yt_get(map, key);
    if (!v || yt_is_null(v))
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
    yt_err(c, v, "'%s' is %s%s%s (expected true or false)", key,
           v->type == YN_SCALAR ? "'" : yt_describe(v), v->type == YN_SCALAR ? v->str : "",
           v->type == YN_SCALAR ? "'" : "");
}

int yt_enum(YCtx *c, const YNode *map, const char *key, const char *const *names, int dflt)
{
    const YNode *v = yt_get(map, key);
    if (!v || yt_is_null(v))
        return dflt;
    if (v->type == YN_SCALAR)
        for (int i = 0; names[i]; i++)
            if (strcmp(v->str, names[i]) == 0)
                return i;
    char list[200] = "";
    size_t used = 0;
    for (int i = 0; names[i]; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    if (v->type == YN_SCALAR)
        yt_err(c, v, "'%s' is '%s' (expected one of: %s)", key, v->str, list);
    else
        yt_err(c, v, "'%s' is %s (expected one of: %s)", key, yt_describe(v), list);
    return dflt;
}

/* The value of key when it is of type; reported (with what was expected)
 * when it is something else. NULL when absent or reported. */
static const YNode *get_typed(YCtx *c, const YNode *map, const char *key, YNodeType type,
                              const char *expected)
{
    const YNode *v = yt_get(map, key);
    if (!v || yt_is_null(v))
        return NULL;
    if (v->type == type)
        return v;
    if (v->type == YN_SCALAR)
        yt_err(c, v, "'%s' is '%.40s' (expected %s)", key, v->str, expected);
    else
        yt_err(c, v, "'%s' is %s (expected %s)", key, yt_describe(v), expected);
    return NULL;
}

const YNode *yt_seq(YCtx *c, const YNode *map, const char *key)
{
    return get_typed(c, map, key, YN_SEQ, "a list, each item on its own line starting with '- '");
}

const YNode *yt_map(YCtx *c, const YNode *map, const char *key)
{
    return get_typed(c, map, key, YN_MAP, "a mapping of 'key: value' lines indented below it");
}

const char **yt_text_list(YCtx *c, const YNode *seq, size_t max, const char *what, size_t *count)
{
    *count = 0;
    if (!seq)
        return NULL;
    if (seq->n > max) {
        yt_err(c, seq->kids[max], "too many %s: %zu (expected at most %zu %s)", what, seq->n, max,
               strcmp(what, "items") == 0 ? "on one slide" : "in one field");
        return NULL;
    }
    const char **out = arena_alloc(c->arena, (seq->n + 1) * sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < seq->n; i++) {
        const YNode *v = seq->kids[i];
        if (v->type != YN_SCALAR || v->len == 0) {
            yt_err(c, v, "an entry of %s is %s (expected text after '- ')", what, yt_describe(v));
            continue;
        }
        if (v->len > c->fmt->max_text) {
            yt_err(c, v, "an entry of %s is %zu characters long (expected at most %zu)", what,
                   v->len, c->fmt->max_text);
            continue;
        }
        if (!yt_plain_text(v->str, v->len)) {
            yt_err(c, v, "an entry of %s contains control characters (expected plain text)", what);
            continue;
        }
        out[(*count)++] = arena_strndup(c->arena, v->str, v->len);
    }
    return out;
}

int yt_read_file(const char *path, size_t max_bytes, const char *what, DiagList *diags, char **out,
                 size_t *out_len)
{
    int rc = -1;
    char *buf = NULL;
    *out = NULL;
    *out_len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_add(diags, DIAG_ERROR, path, 0, 0,
                 "cannot open the %s: %s (expected a readable "
                 "YAML file)",
                 what, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read the %s: %s", what, strerror(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, "%s (expected a YAML file)",
                 S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file");
        goto done;
    }
    if ((size_t)st.st_size > max_bytes) {
        diag_add(diags, DIAG_ERROR, path, 1, 1,
                 "the file is %lld bytes (expected at most %zu: "
                 "is this really a %s?)",
                 (long long)st.st_size, max_bytes, what);
        goto done;
    }
    /* Read one byte past the size seen, so a file that grows while we read
     * is noticed rather than cut silently. */
    size_t len = 0;
    buf = fsx_pread_all(fd, (size_t)st.st_size + 1, &len);
    if (!buf) {
        if (errno == ENOMEM)
            diag_add(diags, DIAG_ERROR, path, 0, 0, "out of memory");
        else
            diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read the %s: %s", what,
                     strerror(errno));
        goto done;
    }
    if (len > (size_t)st.st_size) {
        diag_add(diags, DIAG_ERROR, path, 0, 0,
                 "the file changed while it was read "
                 "(expected it to be saved completely)");
        goto done;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    buf = NULL;
    rc = 0;
done:
    free(buf);
    close(fd);
    return rc;
}

YCtx yt_ctx(const YFormat *fmt, const char *file, DiagList *diags)
{
    YCtx c = {.fmt = fmt, .file = file, .diags = diags};
    return c;
}

int yt_begin(YCtx *c, size_t len, size_t max_bytes)
{
    c->arena = calloc(1, sizeof *c->arena);
    c->dir = fsx_dir_of(c->file);
    if (!c->arena || !c->dir) {
        diag_add(c->diags, DIAG_ERROR, c->file, 0, 0, "out of memory");
        return -1;
    }
    if (len > max_bytes) {
        yt_err_at(c, 1, 1, "the file is %zu bytes (expected at most %zu: is this really a %s?)",
                  len, max_bytes, c->fmt->what);
        return -1;
    }
    return 0;
}

void yt_end(YCtx *c)
{
    arena_free(&c->tree);
    if (c->arena) {
        arena_free(c->arena);
        free(c->arena);
        c->arena = NULL;
    }
    free(c->dir);
    c->dir = NULL;
}
