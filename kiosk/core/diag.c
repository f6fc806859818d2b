#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void diag_add(DiagList *list, DiagLevel level, const char *file, int line, int col, const char *fmt,
              ...)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        Diag *items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return;
        list->items = items;
        list->cap = cap;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    Diag *d = &list->items[list->count];
    d->level = level;
    d->line = line;
    d->col = col;
    d->file = dup_or_null(file);
    d->message = dup_or_null(msg);
    if (!d->message) {
        free(d->file);
        return;
    }
    list->count++;
}

size_t diag_count(const DiagList *list, DiagLevel level)
{
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++)
        n += list->items[i].level == level;
    return n;
}

static const char *level_name(DiagLevel level)
{
    switch (level) {
    case DIAG_ERROR:
        return "error";
    case DIAG_WARNING:
        return "warning";
    case DIAG_NOTE:
        return "note";
    }
    return "error";
}

int diag_format(const Diag *d, char *buf, size_t cap)
{
    const char *file = d->file ? d->file : "kiosk";
    if (d->line > 0)
        return snprintf(buf, cap, "%s:%d:%d: %s: %s", file, d->line, d->col, level_name(d->level),
                        d->message);
    return snprintf(buf, cap, "%s: %s: %s", file, level_name(d->level), d->message);
}

void diag_print(const DiagList *list, FILE *out)
{
    char buf[2048];
    for (size_t i = 0; i < list->count; i++) {
        diag_format(&list->items[i], buf, sizeof buf);
        fprintf(out, "%s\n", buf);
    }
}

void diag_clear(DiagList *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].file);
        free(list->items[i].message);
    }
    free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
}
