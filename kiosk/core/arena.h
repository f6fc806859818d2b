/* arena: everything a loader returns lives in one, freed at once, so a
 * Deck or Settings has a single owner and a single free. */
#ifndef KIOSK_ARENA_H
#define KIOSK_ARENA_H

#include <stddef.h>

typedef struct ArenaBlock {
    struct ArenaBlock *next;
    size_t used, cap;
    max_align_t data[];
} ArenaBlock;

typedef struct {
    ArenaBlock *head;
} Arena;

/** Zeroed memory from the arena; NULL when out of memory. */
void *arena_alloc(Arena *a, size_t n);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
/** Frees every block; the arena can be reused. */
void arena_free(Arena *a);

#endif
