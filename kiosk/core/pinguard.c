#include "pinguard.h"

#include <limits.h>

bool pin_guard_locked(const PinGuard *g, uint64_t now_ms)
{
    return now_ms < g->locked_until_ms;
}

int pin_guard_wait_s(const PinGuard *g, uint64_t now_ms)
{
    if (!pin_guard_locked(g, now_ms))
        return 0;
    return (int)((g->locked_until_ms - now_ms + 999) / 1000);
}

void pin_guard_result(PinGuard *g, bool ok, uint64_t now_ms)
{
    if (pin_guard_locked(g, now_ms))
        return;
    if (ok) {
        g->failures = 0;
        g->locked_until_ms = 0;
        return;
    }
    if (g->failures < INT_MAX)
        g->failures++;
    if (g->failures < PIN_FREE_ATTEMPTS)
        return;
    uint64_t lock = PIN_LOCK_FIRST_MS;
    for (int i = PIN_FREE_ATTEMPTS; i < g->failures && lock < PIN_LOCK_MAX_MS; i++)
        lock *= 2;
    if (lock > PIN_LOCK_MAX_MS)
        lock = PIN_LOCK_MAX_MS;
    g->locked_until_ms = now_ms + lock;
}
