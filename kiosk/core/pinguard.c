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

uint64_t pin_guard_lock_ms(int failures)
{
    if (failures < PIN_FREE_ATTEMPTS)
        return 0;
    uint64_t lock = PIN_LOCK_FIRST_MS;
    for (int i = PIN_FREE_ATTEMPTS; i < failures && lock < PIN_LOCK_MAX_MS; i++)
        lock *= 2;
    return lock > PIN_LOCK_MAX_MS ? PIN_LOCK_MAX_MS : lock;
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
    uint64_t lock = pin_guard_lock_ms(g->failures);
    if (lock)
        g->locked_until_ms = now_ms + lock;
}

int64_t pin_guard_deadline_s(const PinGuard *g, uint64_t now_ms, int64_t now_s)
{
    if (!pin_guard_locked(g, now_ms))
        return 0;
    /* At most PIN_LOCK_MAX_MS away: no overflow. */
    return now_s + (int64_t)((g->locked_until_ms - now_ms + 999) / 1000);
}

PinGuard pin_guard_restore(int failures, int64_t locked_until_s, int64_t now_s, uint64_t now_ms)
{
    PinGuard g = {failures > 0 ? failures : 0, 0};
    uint64_t step = pin_guard_lock_ms(g.failures);
    if (step == 0 || locked_until_s <= now_s)
        return g;
    /* Compared in seconds first, so a deadline years away cannot overflow. */
    uint64_t left_s = (uint64_t)locked_until_s - (uint64_t)now_s;
    uint64_t left = left_s > step / 1000 ? step : left_s * 1000;
    g.locked_until_ms = now_ms + left;
    return g;
}
