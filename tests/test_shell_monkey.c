/* Monkey: tens of thousands of random taps, swipes, long presses (corner
 * holds among them), key presses and typed text, pushed through the real
 * event path (SDL_PushEvent, SDL's queue, input_translate, app_update) on a
 * fast fake clock, across the slides, the form and its keyboard, the
 * thank-you screen and the staff PIN and staff screens. The real renderer
 * draws every few steps, at 800x480 and again at 1080x1920 portrait. It all
 * runs in the real shell (tests/rig.h), so every effect goes through the
 * shell's own handlers: sign-ups through the real store into a temporary
 * CSV, PINs checked against a real hash, real exports to a folder standing
 * in for a stick, staff's Exit. After every batch of events the
 * app's invariants are checked; at the end the CSV must hold exactly one
 * complete row per sign-up stored.
 *
 * The seed is printed; KIOSK_MONKEY_SEED=N reproduces a run and
 * KIOSK_MONKEY_STEPS=N sets the steps per run. */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "deck.h"
#include "deckload.h"
#include "input.h"
#include "render.h"
#include "rig.h"
#include "shell.h"

#if defined(__SANITIZE_ADDRESS__)
#define MONKEY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MONKEY_ASAN 1
#endif
#endif

/* Steps per run: 20,000 at each size takes ~20 s here; ASan costs several
 * times more per step, so it does a quarter. */
#ifdef MONKEY_ASAN
#define MONKEY_STEPS 5000
#else
#define MONKEY_STEPS 20000
#endif
#define MONKEY_DEFAULT_SEED 20261202u
/* Runs at least this long must have reached every screen, stored sign-ups
 * and seen right and wrong PINs; shorter ones (KIOSK_MONKEY_STEPS) need not. */
#define MONKEY_COVERAGE_STEPS 5000
/* The staff PIN this rig accepts (the shell checks a hash; the app only
 * sees yes or no). */
#define MONKEY_PIN RIG_PIN
/* Actions remembered for the report when an invariant breaks. */
#define MONKEY_HISTORY 40
/* Stop a run after this many broken invariants: the first says it all. */
#define MONKEY_MAX_FAILURES 10

/* ---- a reproducible random source (splitmix64) ----------------------- */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* 0 .. n-1 */
static int rnd(int n)
{
    return n > 0 ? (int)(rnd64() % (uint64_t)n) : 0;
}

static bool chance(int percent)
{
    return rnd(100) < percent;
}

/* ---- the rig ---------------------------------------------------------- */

typedef struct {
    int w, h, render_every;
    Rig rig;
    const App *app;   /* the shell's */
    const Deck *deck; /* the shell's */
    uint64_t now;
    long step, pumps, failures;
    char history[MONKEY_HISTORY][120];
    long history_n;
    /* What was reached (the shell counts what its handlers carried out). */
    long pins_ok;
    long frames, events_in, texts_in, submits_ok, holds_to_pin;
    long on_screen[5];
    long kb_pages[KB_PAGE_COUNT];
    long mid_transition_frames;
} Monkey;

static Monkey *M;

static void note(const char *fmt, ...)
{
    char *line = M->history[M->history_n % MONKEY_HISTORY];
    int n = snprintf(line, sizeof M->history[0], "#%ld t=%llu ", M->step,
                     (unsigned long long)M->now);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof M->history[0] - (size_t)n, fmt, ap);
    va_end(ap);
    M->history_n++;
}

static void fail(const char *fmt, ...)
{
    M->failures++;
    check_failures++;
    if (M->failures > MONKEY_MAX_FAILURES)
        return;
    fprintf(stderr, "monkey %dx%d step %ld (t=%llu ms, screen %d): ", M->w, M->h, M->step,
            (unsigned long long)M->now, (int)M->app->screen);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (M->failures == 1) {
        fprintf(stderr, "  the last actions:\n");
        long first = M->history_n > MONKEY_HISTORY ? M->history_n - MONKEY_HISTORY : 0;
        for (long i = first; i < M->history_n; i++)
            fprintf(stderr, "    %s\n", M->history[i % MONKEY_HISTORY]);
    }
}

#define INV(cond, ...)                                                                             \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fail("invariant (" #cond ") broken: " __VA_ARGS__);                                    \
    } while (0)

static int monkey_open(Monkey *m, int w, int h)
{
    memset(m, 0, sizeof *m);
    M = m;
    m->w = w;
    m->h = h;
    if (rig_open(&m->rig, NULL, w, h) != 0)
        return -1;
    m->app = rig_app(&m->rig);
    m->deck = m->app->deck;
    m->now = m->rig.now;
    return 0;
}

static const ShellCounts *counts(const Monkey *m)
{
    return shell_counts(m->rig.sh);
}

/* ---- invariants -------------------------------------------------------- */

/* Valid UTF-8 (shortest forms, no surrogates) without C0, DEL, C1 or the
 * line and paragraph separators: what form.h promises for every value. */
static bool clean_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c;
        int n;
        if (*p < 0x80) {
            c = *p;
            n = 0;
        } else if ((*p & 0xE0) == 0xC0) {
            c = *p & 0x1F;
            n = 1;
        } else if ((*p & 0xF0) == 0xE0) {
            c = *p & 0x0F;
            n = 2;
        } else if ((*p & 0xF8) == 0xF0) {
            c = *p & 0x07;
            n = 3;
        } else {
            return false;
        }
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            c = c << 6 | (p[i] & 0x3F);
        }
        static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
        if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return false;
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029)
            return false;
        p += n + 1;
    }
    return true;
}

static bool text_kind(FormFieldKind k)
{
    return k == FORM_TEXT || k == FORM_EMAIL || k == FORM_PHONE;
}

static bool form_is_empty(const Form *f)
{
    for (int i = 0; i < f->count; i++)
        if (f->value[i][0] || f->choice[i] != -1 || f->checked[i])
            return false;
    return f->focus == -1;
}

static bool rect_on_screen(const Monkey *m, int x, int y, int w, int h)
{
    return w >= 0 && h >= 0 && x >= 0 && y >= 0 && x + w <= m->w && y + h <= m->h;
}

static void check_invariants(Monkey *m)
{
    const App *a = m->app;
    const Form *f = &a->form;
    int slides = (int)m->deck->slide_count;
    INV(a->screen >= SCREEN_SLIDES && a->screen <= SCREEN_STAFF, "screen %d", (int)a->screen);
    INV(a->slide >= 0 && a->slide < slides, "slide %d of %d", a->slide, slides);
    INV(a->from_slide >= 0 && a->from_slide < slides, "from_slide %d", a->from_slide);
    INV(a->trans_dir >= -1 && a->trans_dir <= 1, "trans_dir %d", a->trans_dir);
    INV(a->trans_dir == 0 || a->screen == SCREEN_SLIDES, "a transition under screen %d",
        (int)a->screen);
    double p = app_transition(a, m->now);
    INV(p >= 0.0 && p <= 1.0, "transition progress %f", p);
    int timeout = app_next_timeout(a, m->now);
    INV(timeout >= -1 && timeout <= 24 * 3600 * 1000, "next timeout %d", timeout);
    INV(a->effects == 0, "effects 0x%x left over", a->effects);
    INV(!a->asleep && !a->waking, "asleep without opening hours");
    INV(a->w == m->w && a->h == m->h, "app size %dx%d", a->w, a->h);
    INV(a->last_input <= m->now && a->slide_since <= m->now && a->trans_start <= m->now,
        "a time in the future");
    INV(!a->attract || a->screen == SCREEN_SLIDES, "attract mode on screen %d", (int)a->screen);

    /* The pointer: one finger or the mouse, as input.c follows it. */
    const InputState *in = shell_input(m->rig.sh);
    INV(a->down == (in->finger_down || in->mouse_down), "app down %d, input %d/%d", a->down,
        in->finger_down, in->mouse_down);
    INV(!a->down || a->down_at <= m->now, "down in the future");
    INV(!a->hold_fired || a->down, "hold fired without a finger down");
    INV(!a->corner_hold || (a->down && a->screen == SCREEN_SLIDES), "corner hold on screen %d",
        (int)a->screen);
    HitKind pk = a->pressed.kind;
    INV(pk >= HIT_NONE && pk <= HIT_LARGER, "pressed kind %d", (int)pk);
    INV(pk == HIT_NONE || a->down, "button %d shown pressed with no finger down", (int)pk);
    if (pk == HIT_KEY)
        INV(a->pressed.index >= 0 && a->pressed.index < a->kb.count, "pressed key %d of %d",
            a->pressed.index, a->kb.count);
    if (pk == HIT_FIELD || pk == HIT_CONSENT)
        INV(a->pressed.index >= 0 && a->pressed.index < f->count, "pressed field %d",
            a->pressed.index);
    if (pk == HIT_CHOICE) {
        int fi = a->pressed.index, ci = a->pressed.choice;
        INV(fi >= 0 && fi < f->count && f->spec[fi].kind == FORM_CHOICE &&
                ci < f->spec[fi].choice_count,
            "pressed choice %d", a->pressed.index);
    }

    /* The form. */
    INV(f->count == (int)m->deck->field_count + 1, "form of %d fields", f->count);
    INV(a->consent_field == f->count - 1 && f->spec[a->consent_field].kind == FORM_CHECK,
        "consent field %d", a->consent_field);
    INV(f->focus >= -1 && f->focus < f->count, "focus %d", f->focus);
    INV(f->focus < 0 || text_kind(f->spec[f->focus].kind), "focus on field %d of kind %d", f->focus,
        f->focus >= 0 ? (int)f->spec[f->focus].kind : -1);
    INV(f->page >= 0 && f->page < KB_PAGE_COUNT, "keyboard page %d", (int)f->page);
    for (int i = 0; i < f->count; i++) {
        const char *v = f->value[i];
        bool terminated = memchr(v, '\0', FORM_VALUE_MAX) != NULL;
        INV(terminated, "value %d not NUL-terminated", i);
        if (!terminated)
            continue;
        INV(clean_utf8(v), "value %d is not clean UTF-8", i);
        INV(text_kind(f->spec[i].kind) || !v[0], "value in field %d of kind %d", i,
            (int)f->spec[i].kind);
        int choices = f->spec[i].kind == FORM_CHOICE ? f->spec[i].choice_count : 0;
        INV(f->choice[i] >= -1 && f->choice[i] < choices, "field %d choice %d of %d", i,
            f->choice[i], choices);
        INV(!f->checked[i] || f->spec[i].kind == FORM_CHECK, "field %d ticked", i);
    }
    /* The next person must never see the last one's details. */
    if (a->screen != SCREEN_FORM)
        INV(form_is_empty(f), "form not wiped on screen %d", (int)a->screen);

    /* The on-screen keyboard shows exactly while a text field has focus. */
    bool wants = a->screen == SCREEN_FORM && form_wants_keyboard(f);
    INV(a->kb_visible == wants, "kb_visible %d, focus %d, screen %d", a->kb_visible, f->focus,
        (int)a->screen);
    if (a->kb_visible || a->screen == SCREEN_PIN) {
        INV(a->kb.count > 0 && a->kb.count <= KB_MAX_KEYS, "%d keys", a->kb.count);
        for (int i = 0; i < a->kb.count && i < KB_MAX_KEYS; i++) {
            const KeyBox *k = &a->kb.keys[i];
            INV(rect_on_screen(m, k->x, k->y, k->w, k->h), "key %d at %d,%d %dx%d", i, k->x, k->y,
                k->w, k->h);
        }
    }
    if (a->kb_visible) {
        INV(a->kb.mode == form_keyboard_mode(f), "keyboard mode %d for focus %d", (int)a->kb.mode,
            f->focus);
        INV(a->kb.page == (a->kb.mode == KB_MODE_PHONE ? KB_PAGE_PHONE : f->page),
            "keyboard page %d, form page %d", (int)a->kb.page, (int)f->page);
        FormLayout fl;
        app_form_layout(a, &fl);
        INV(fl.keyboard.h > 0 &&
                rect_on_screen(m, fl.keyboard.x, fl.keyboard.y, fl.keyboard.w, fl.keyboard.h),
            "keyboard area");
    }

    /* The PIN. */
    size_t pl = strnlen(a->pin, sizeof a->pin);
    INV(pl <= APP_PIN_MAX, "PIN of %zu digits", pl);
    for (size_t i = 0; i < pl; i++)
        INV(a->pin[i] >= '0' && a->pin[i] <= '9', "PIN holds 0x%02x", (unsigned char)a->pin[i]);
    if (a->screen != SCREEN_PIN)
        INV(pl == 0, "PIN kept on screen %d", (int)a->screen);
}

/* ---- drawing ---------------------------------------------------------- */

static int count_colours(SDL_Surface *s)
{
    Uint32 seen[16];
    int n = 0;
    for (int y = 0; y < s->h && n < 16; y += 13)
        for (int x = 0; x < s->w && n < 16; x += 11) {
            Uint32 px = *(Uint32 *)((Uint8 *)s->pixels + y * s->pitch + x * 4);
            bool known = false;
            for (int i = 0; i < n; i++)
                known = known || seen[i] == px;
            if (!known)
                seen[n++] = px;
        }
    return n;
}

/* Now and then, read the picture back: never a blank screen. */
static void check_not_blank(Monkey *m)
{
    SDL_Surface *s = shell_read_panel(m->rig.sh);
    if (s && count_colours(s) < 3)
        fail("the screen looks blank (screen %d)", (int)m->app->screen);
    SDL_FreeSurface(s);
}

/* One turn of the real shell at the monkey's clock: every queued event
 * through input_translate into the app, a tick, the effect handlers, and
 * every few turns a frame. */
static void pump(Monkey *m)
{
    bool draw = ++m->pumps % m->render_every == 0;
    unsigned long checked = counts(m)->pins_checked;
    if (draw && app_transition(m->app, m->now) < 1.0)
        m->mid_transition_frames++;
    m->rig.now = m->now;
    shell_turn(m->rig.sh, m->now, draw);
    if (counts(m)->pins_checked != checked && m->app->screen == SCREEN_STAFF)
        m->pins_ok++;
    if (draw && m->frames++ % 250 == 0)
        check_not_blank(m);
    check_invariants(m);
    m->on_screen[m->app->screen]++;
    if (m->app->kb_visible)
        m->kb_pages[m->app->kb.page]++;
}

static void push(Monkey *m, SDL_Event *ev)
{
    m->events_in++;
    m->texts_in += ev->type == SDL_TEXTINPUT;
    if (SDL_PushEvent(ev) < 0)
        fail("SDL_PushEvent: %s", SDL_GetError());
}

static void advance(Monkey *m, int ms)
{
    m->now += (uint64_t)(ms > 0 ? ms : 0);
}

/* Time passes in frames, as the shell wakes for timers and animations. */
static void wait_ms(Monkey *m, int ms)
{
    while (ms > 0) {
        int slice = ms > 500 ? 500 : ms;
        advance(m, slice);
        pump(m);
        ms -= slice;
    }
}

static float frac(int px, int size)
{
    return (px + 0.5f) / (float)size;
}

static void finger_event(Monkey *m, Uint32 type, SDL_FingerID id, int x, int y, bool synth)
{
    SDL_Event ev = {0};
    ev.type = type;
    ev.tfinger.touchId = 1;
    ev.tfinger.fingerId = id;
    ev.tfinger.x = frac(x, m->w);
    ev.tfinger.y = frac(y, m->h);
    ev.tfinger.pressure = 1.0f;
    push(m, &ev);
    if (synth && type != SDL_FINGERMOTION) {
        /* The click SDL makes from a touch: input.c must drop it. */
        SDL_Event c = {0};
        c.type = type == SDL_FINGERDOWN ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP;
        c.button.which = SDL_TOUCH_MOUSEID;
        c.button.button = SDL_BUTTON_LEFT;
        c.button.x = x;
        c.button.y = y;
        push(m, &c);
    }
}

static void mouse_event(Monkey *m, Uint32 type, int x, int y)
{
    SDL_Event ev = {0};
    ev.type = type;
    if (type == SDL_MOUSEMOTION) {
        ev.motion.x = x;
        ev.motion.y = y;
        ev.motion.state = SDL_BUTTON_LMASK;
    } else {
        ev.button.button = SDL_BUTTON_LEFT;
        ev.button.x = x;
        ev.button.y = y;
        ev.button.clicks = 1;
    }
    push(m, &ev);
}

static void tap_at(Monkey *m, int x, int y, int hold_ms)
{
    bool synth = chance(50);
    finger_event(m, SDL_FINGERDOWN, 1, x, y, synth);
    pump(m);
    if (chance(20)) {
        /* A finger wobbles a little. */
        finger_event(m, SDL_FINGERMOTION, 1, x + rnd(5) - 2, y + rnd(5) - 2, false);
        pump(m);
    }
    advance(m, hold_ms);
    finger_event(m, SDL_FINGERUP, 1, x, y, synth);
    pump(m);
}

static void tap_rect(Monkey *m, LRect r)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    int x = r.x + (r.w > 2 ? 1 + rnd(r.w - 2) : 0), y = r.y + (r.h > 2 ? 1 + rnd(r.h - 2) : 0);
    tap_at(m, x, y, 30 + rnd(200));
}

static void key_event(Monkey *m, SDL_Keycode sym)
{
    SDL_Event ev = {0};
    ev.type = SDL_KEYDOWN;
    ev.key.state = SDL_PRESSED;
    ev.key.keysym.sym = sym;
    ev.key.keysym.scancode = SDL_GetScancodeFromKey(sym);
    push(m, &ev);
    ev.type = SDL_KEYUP;
    ev.key.state = SDL_RELEASED;
    push(m, &ev);
}

static void text_event(Monkey *m, const char *text, size_t len)
{
    SDL_Event ev = {0};
    ev.type = SDL_TEXTINPUT;
    if (len >= sizeof ev.text.text)
        len = sizeof ev.text.text - 1;
    memcpy(ev.text.text, text, len);
    push(m, &ev);
}

/* ---- targets on each screen ------------------------------------------ */

#define MAX_TARGETS (KB_MAX_KEYS + 64)

static int targets(const Monkey *m, LRect *out)
{
    const App *a = m->app;
    int n = 0;
    switch (a->screen) {
    case SCREEN_SLIDES: {
        ChromeLayout c;
        layout_chrome(m->deck, m->w, m->h, &c);
        out[n++] = c.back;
        out[n++] = c.next;
        if (c.signup.w > 0)
            out[n++] = c.signup;
        out[n++] = layout_cta_button(m->deck, m->w, m->h);
        out[n++] = layout_content(m->deck, m->w, m->h);
        out[n++] = app_staff_corner(a);
        break;
    }
    case SCREEN_FORM: {
        FormLayout fl;
        app_form_layout(a, &fl);
        for (int i = 0; i < a->form.count; i++) {
            if (!fl.visible[i])
                continue;
            out[n++] = fl.box[i];
            for (int c = 0; c < DECK_MAX_CHOICES; c++)
                if (fl.choice[i][c].w > 0)
                    out[n++] = fl.choice[i][c];
        }
        if (fl.consent_box.w > 0 && !a->kb_visible)
            out[n++] = fl.consent_box;
        out[n++] = fl.submit;
        out[n++] = fl.cancel;
        if (a->kb_visible)
            for (int i = 0; i < a->kb.count && n < MAX_TARGETS; i++) {
                const KeyBox *k = &a->kb.keys[i];
                /* Keys are most of what a person taps while typing. */
                for (int rep = 0; rep < 2 && n < MAX_TARGETS; rep++)
                    out[n++] = (LRect){k->x, k->y, k->w, k->h};
            }
        break;
    }
    case SCREEN_THANKS:
        out[n++] = app_thanks_button(a);
        out[n++] = (LRect){0, 0, m->w, m->h};
        break;
    case SCREEN_PIN:
    case SCREEN_STAFF: {
        StaffLayout sl;
        app_staff_layout(a, &sl);
        out[n++] = sl.cancel;
        if (a->screen == SCREEN_PIN) {
            for (int i = 0; i < a->kb.count && n < MAX_TARGETS; i++) {
                const KeyBox *k = &a->kb.keys[i];
                out[n++] = (LRect){k->x, k->y, k->w, k->h};
            }
        } else {
            out[n++] = sl.export_btn;
            out[n++] = sl.restart;
            out[n++] = sl.exit_btn;
            out[n++] = sl.close;
        }
        break;
    }
    }
    return n;
}

static int find_key(const App *a, KeyActionKind kind, const char *text)
{
    for (int i = 0; i < a->kb.count; i++) {
        const KeyAction *k = &a->kb.keys[i].action;
        if (k->kind == kind && (!text || (k->text && strcmp(k->text, text) == 0)))
            return i;
    }
    return -1;
}

static void press_key(Monkey *m, int i)
{
    const KeyBox *k = &m->app->kb.keys[i];
    tap_rect(m, (LRect){k->x, k->y, k->w, k->h});
}

/* ---- actions ---------------------------------------------------------- */

static void act_tap_anywhere(Monkey *m)
{
    int x = rnd(m->w), y = rnd(m->h);
    note("tap %d,%d", x, y);
    tap_at(m, x, y, rnd(300));
}

static void act_tap_target(Monkey *m)
{
    LRect t[MAX_TARGETS];
    int n = targets(m, t);
    if (n == 0)
        return;
    LRect r = t[rnd(n)];
    note("tap target %d,%d %dx%d on screen %d", r.x, r.y, r.w, r.h, (int)m->app->screen);
    tap_rect(m, r);
}

static void act_swipe(Monkey *m)
{
    int x0 = rnd(m->w), y0 = rnd(m->h);
    int dx = rnd(m->w) - m->w / 2,
        dy = chance(70) ? rnd(m->h / 5) - m->h / 10 : rnd(m->h) - m->h / 2;
    int steps = 1 + rnd(8), ms = 40 + rnd(chance(80) ? 700 : 2000);
    SDL_FingerID id = 1 + rnd(2);
    note("swipe from %d,%d by %d,%d in %d ms, finger %d", x0, y0, dx, dy, ms, (int)id);
    finger_event(m, SDL_FINGERDOWN, id, x0, y0, chance(30));
    pump(m);
    for (int i = 1; i <= steps; i++) {
        advance(m, ms / steps);
        /* Fingers leave the glass sideways: SDL reports beyond 0..1 then. */
        int x = x0 + dx * i / steps, y = y0 + dy * i / steps;
        finger_event(m, SDL_FINGERMOTION, id, x, y, false);
        if (chance(50))
            pump(m);
    }
    finger_event(m, SDL_FINGERUP, id, x0 + dx, y0 + dy, false);
    pump(m);
}

static void act_long_press(Monkey *m)
{
    LRect corner = app_staff_corner(m->app);
    bool at_corner = chance(50);
    int x = at_corner ? rnd(corner.w) : rnd(m->w), y = at_corner ? rnd(corner.h) : rnd(m->h);
    int ms = 400 + rnd(6000);
    bool slides = m->app->screen == SCREEN_SLIDES && !m->app->down;
    note("long press %d,%d for %d ms%s", x, y, ms, at_corner ? " (corner)" : "");
    finger_event(m, SDL_FINGERDOWN, 1, x, y, chance(50));
    pump(m);
    bool corner_down = slides && m->app->corner_hold;
    wait_ms(m, ms);
    if (corner_down && ms >= APP_STAFF_HOLD_MS + 500) {
        /* A hold of the staff corner opens the PIN pad while still held. */
        if (m->app->screen != SCREEN_PIN)
            fail("a %d ms corner hold did not open the PIN screen", ms);
        else
            m->holds_to_pin++;
    }
    finger_event(m, SDL_FINGERUP, 1, x, y, false);
    pump(m);
}

static void act_key(Monkey *m)
{
    static const SDL_Keycode keys[] = {
        SDLK_LEFT,      SDLK_RIGHT,  SDLK_HOME,     SDLK_PAGEUP, SDLK_PAGEDOWN, SDLK_BACKSPACE,
        SDLK_BACKSPACE, SDLK_RETURN, SDLK_KP_ENTER, SDLK_TAB,    SDLK_TAB,      SDLK_ESCAPE,
        SDLK_a,         SDLK_F1,     SDLK_AC_BACK,  SDLK_DELETE, SDLK_UP,       SDLK_DOWN};
    int n = 1 + (chance(20) ? rnd(6) : 0);
    for (int i = 0; i < n; i++) {
        SDL_Keycode k = keys[rnd((int)(sizeof keys / sizeof keys[0]))];
        note("key %s", SDL_GetKeyName(k));
        key_event(m, k);
        if (chance(60))
            pump(m);
        advance(m, rnd(150));
    }
    pump(m);
}

static void act_text(Monkey *m)
{
    static const char *const samples[] = {"Ann",
                                          "Zoë Müller",
                                          "José",
                                          "Élodie",
                                          "0207946",
                                          "+44 20 7946 0958",
                                          "a@b.co",
                                          "ann.lee@example.com",
                                          " ",
                                          "  padded  ",
                                          "=SUM(A1)",
                                          "\"quoted\",comma",
                                          "😀",
                                          "李",
                                          "\xe2\x80\xa8",
                                          "\xc2\x85",
                                          "tab\there",
                                          "line\nbreak",
                                          "\x7f",
                                          "ﬀ",
                                          "\xff\xfe",
                                          "\xc3",
                                          "\xe2\x82",
                                          "\xed\xa0\x80",
                                          "\xf4\x90\x80\x80",
                                          "\xc0\xaf",
                                          "0123456789012345678901234567890"};
    char buf[32];
    size_t len;
    if (chance(70)) {
        const char *s = samples[rnd((int)(sizeof samples / sizeof samples[0]))];
        len = strlen(s);
        memcpy(buf, s, len < sizeof buf ? len : sizeof buf - 1);
    } else {
        /* Any bytes at all. */
        len = 1 + (size_t)rnd(31);
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)(1 + rnd(255));
    }
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    buf[len] = '\0';
    note("text of %zu bytes", len);
    int n = 1 + (chance(10) ? rnd(12) : 0); /* sometimes a burst fills the field */
    for (int i = 0; i < n; i++)
        text_event(m, buf, len);
    pump(m);
}

static void act_mouse(Monkey *m)
{
    /* A real mouse (staff at a laptop): clicks and drags, sometimes out of
     * the window while the button is held. */
    int x = rnd(m->w), y = rnd(m->h);
    note("mouse click/drag at %d,%d", x, y);
    mouse_event(m, SDL_MOUSEBUTTONDOWN, x, y);
    pump(m);
    int moves = rnd(4);
    for (int i = 0; i < moves; i++) {
        advance(m, rnd(200));
        x += rnd(m->w / 2) - m->w / 4;
        y += rnd(m->h / 2) - m->h / 4;
        mouse_event(m, SDL_MOUSEMOTION, x, y);
        pump(m);
    }
    advance(m, rnd(300));
    mouse_event(m, SDL_MOUSEBUTTONUP, x, y);
    pump(m);
}

static void act_chaos(Monkey *m)
{
    /* What a waiting room does to a touch screen: two hands, a palm, a
     * lifted finger the driver never saw go down, touch clicks alone. */
    int x = rnd(m->w), y = rnd(m->h);
    switch (rnd(5)) {
    case 0:
        note("two fingers");
        finger_event(m, SDL_FINGERDOWN, 1, x, y, false);
        finger_event(m, SDL_FINGERDOWN, 2, rnd(m->w), rnd(m->h), false);
        pump(m);
        advance(m, rnd(300));
        finger_event(m, SDL_FINGERUP, chance(50) ? 1 : 2, x, y, false);
        pump(m);
        advance(m, rnd(300));
        finger_event(m, SDL_FINGERUP, 1, x, y, false);
        finger_event(m, SDL_FINGERUP, 2, x, y, false);
        pump(m);
        break;
    case 1:
        note("finger up without down");
        finger_event(m, SDL_FINGERUP, 3, x, y, true);
        finger_event(m, SDL_FINGERMOTION, 3, x, y, false);
        pump(m);
        break;
    case 2:
        note("touch clicks alone");
        finger_event(m, SDL_FINGERDOWN, 9, x, y, true);
        finger_event(m, SDL_FINGERUP, 9, x, y, true);
        pump(m);
        break;
    case 3:
        note("finger and mouse together");
        finger_event(m, SDL_FINGERDOWN, 1, x, y, false);
        mouse_event(m, SDL_MOUSEBUTTONDOWN, rnd(m->w), rnd(m->h));
        pump(m);
        advance(m, rnd(200));
        mouse_event(m, SDL_MOUSEBUTTONUP, x, y);
        finger_event(m, SDL_FINGERUP, 1, x, y, false);
        pump(m);
        break;
    default:
        note("mouse up without down, right button");
        mouse_event(m, SDL_MOUSEBUTTONUP, x, y);
        SDL_Event ev = {0};
        ev.type = SDL_MOUSEBUTTONDOWN;
        ev.button.button = SDL_BUTTON_RIGHT;
        ev.button.x = x;
        ev.button.y = y;
        push(m, &ev);
        pump(m);
        break;
    }
}

/* Types with the on-screen keys where the key is on the page shown, else
 * as a physical keyboard would. */
static void type_text(Monkey *m, const char *s)
{
    if (!m->app->kb_visible || chance(40)) {
        text_event(m, s, strlen(s));
        advance(m, 50 + rnd(300));
        pump(m);
        return;
    }
    for (; *s && m->app->kb_visible; s++) {
        char want[2] = {*s, 0};
        int k = find_key(m->app, KEY_INSERT, want);
        if (k < 0 && *s >= 'a' && *s <= 'z') {
            char up[2] = {(char)(*s - 32), 0};
            k = find_key(m->app, KEY_INSERT, up);
        }
        if (k >= 0) {
            press_key(m, k);
        } else {
            text_event(m, want, 1);
            pump(m);
        }
        advance(m, 50 + rnd(400));
    }
}

static void hide_keyboard(Monkey *m)
{
    if (!m->app->kb_visible)
        return;
    int k = find_key(m->app, KEY_DONE, NULL);
    if (k >= 0 && chance(80))
        press_key(m, k);
    else {
        /* Tab from the last text field leaves the keyboard too. */
        key_event(m, SDLK_TAB);
        pump(m);
    }
}

static void focus_field(Monkey *m, int field)
{
    FormLayout fl;
    app_form_layout(m->app, &fl);
    if (!fl.visible[field]) {
        hide_keyboard(m);
        app_form_layout(m->app, &fl);
    }
    tap_rect(m, fl.box[field]);
}

/* A person who means it: opens the form, fills it in (mostly validly),
 * and sends it, with the odd random poke in between. */
static void act_fill_form(Monkey *m)
{
    const App *a = m->app;
    note("fill in the form");
    if (a->screen == SCREEN_SLIDES) {
        ChromeLayout c;
        layout_chrome(m->deck, m->w, m->h, &c);
        tap_rect(m, c.signup);
    }
    if (a->screen != SCREEN_FORM)
        return;
    const Deck *d = m->deck;
    static const char *const names[] = {"Ann", "zoë", "  Lee  ", "O'Brien", "José María"};
    static const char *const phones[] = {"02079460958", "+44 20 7946 0958", "12345", "06 12"};
    static const char *const emails[] = {"ann@example.com", "a.b@c.de", "bad@", "x@y"};
    for (size_t i = 0; i < d->field_count && a->screen == SCREEN_FORM; i++) {
        advance(m, 100 + rnd(1500));
        if (d->fields[i].type == FIELD_CHOICE) {
            if (chance(60)) {
                FormLayout fl;
                hide_keyboard(m);
                app_form_layout(a, &fl);
                tap_rect(m, fl.choice[i][rnd((int)d->fields[i].choice_count)]);
            }
            continue;
        }
        if (!d->fields[i].required && chance(40))
            continue;
        focus_field(m, (int)i);
        if (a->form.focus != (int)i)
            continue;
        const char *v = d->fields[i].type == FIELD_PHONE   ? phones[rnd(chance(80) ? 2 : 4)]
                        : d->fields[i].type == FIELD_EMAIL ? emails[rnd(chance(80) ? 2 : 4)]
                                                           : names[rnd(5)];
        type_text(m, v);
        if (chance(5))
            act_tap_target(m);
    }
    if (a->screen != SCREEN_FORM)
        return;
    hide_keyboard(m);
    FormLayout fl;
    app_form_layout(a, &fl);
    if (chance(90) && !a->form.checked[a->consent_field])
        tap_rect(m, fl.consent_box);
    advance(m, 200 + rnd(2000));
    app_form_layout(a, &fl);
    bool valid = form_valid(&a->form) && !a->kb_visible;
    unsigned long before = counts(m)->saved;
    tap_rect(m, fl.submit);
    if (valid) {
        if (a->screen != SCREEN_THANKS || counts(m)->saved != before + 1)
            fail("Send on a valid form: screen %d, %lu rows stored before, %lu after",
                 (int)a->screen, before, counts(m)->saved);
        else
            m->submits_ok++;
    } else if (a->screen == SCREEN_THANKS && counts(m)->saved == before) {
        fail("an invalid form reached the thank-you screen");
    }
}

/* Staff: hold the corner, then the PIN (mostly the right one). */
static void act_staff(Monkey *m)
{
    const App *a = m->app;
    if (a->screen != SCREEN_SLIDES || a->down)
        return;
    LRect corner = app_staff_corner(a);
    int x = rnd(corner.w), y = rnd(corner.h);
    note("staff: corner hold at %d,%d", x, y);
    finger_event(m, SDL_FINGERDOWN, 1, x, y, chance(50));
    pump(m);
    wait_ms(m, APP_STAFF_HOLD_MS + rnd(1500));
    finger_event(m, SDL_FINGERUP, 1, x, y, false);
    pump(m);
    if (a->screen != SCREEN_PIN) {
        fail("a corner hold did not open the PIN screen");
        return;
    }
    m->holds_to_pin++;
    const char *pin = chance(70) ? MONKEY_PIN : chance(50) ? "1111" : "24";
    note("staff: PIN of %zu digits", strlen(pin));
    for (const char *p = pin; *p && a->screen == SCREEN_PIN; p++) {
        char digit[2] = {*p, 0};
        int k = find_key(a, KEY_INSERT, digit);
        if (k >= 0 && chance(85)) {
            press_key(m, k);
        } else {
            text_event(m, digit, 1);
            pump(m);
        }
        advance(m, 100 + rnd(600));
    }
    int done = find_key(a, KEY_DONE, NULL);
    if (done >= 0 && chance(70))
        press_key(m, done);
    else {
        key_event(m, SDLK_RETURN);
        pump(m);
    }
}

/* ---- the bugs the monkey found, as plain cases ------------------------ */

/* Typing on a physical keyboard used up the one-shot capital in the form
 * but left the on-screen keyboard showing capitals (and its keys inserting
 * them); a backspace that emptied the name re-armed the capital in the
 * form only. The keyboard shown must be the form's page. */
static void test_keyboard_follows_typing(void)
{
    static Monkey mk;
    Monkey *m = &mk;
    if (monkey_open(m, 800, 480) != 0) {
        check_failures++;
        return;
    }
    m->render_every = 1;
    ChromeLayout c;
    layout_chrome(m->deck, m->w, m->h, &c);
    tap_at(m, c.signup.x + c.signup.w / 2, c.signup.y + c.signup.h / 2, 80);
    CHECK_INT(m->app->screen, SCREEN_FORM);
    FormLayout fl;
    app_form_layout(m->app, &fl);
    tap_at(m, fl.box[0].x + 10, fl.box[0].y + fl.box[0].h / 2, 80);
    CHECK(m->app->kb_visible);
    CHECK_INT(m->app->kb.page, KB_PAGE_UPPER);
    text_event(m, "z", 1);
    pump(m);
    CHECK_STR(m->app->form.value[0], "z");
    CHECK_INT(m->app->kb.page, KB_PAGE_LOWER);
    int k = find_key(m->app, KEY_INSERT, "o");
    CHECK(k >= 0);
    if (k >= 0)
        press_key(m, k);
    CHECK_STR(m->app->form.value[0], "zo");
    key_event(m, SDLK_BACKSPACE);
    key_event(m, SDLK_BACKSPACE);
    pump(m);
    CHECK_STR(m->app->form.value[0], "");
    CHECK_INT(m->app->kb.page, KB_PAGE_UPPER);
    CHECK_INT(m->failures, 0);
    rig_close(&m->rig, false);
    M = NULL;
}

/* ---- one run ---------------------------------------------------------- */

typedef struct {
    int weight;
    void (*fn)(Monkey *);
} Action;

static const Action actions[] = {
    {14, act_tap_anywhere}, {30, act_tap_target}, {8, act_swipe}, {4, act_long_press},
    {10, act_key},          {10, act_text},       {4, act_mouse}, {3, act_chaos},
    {3, act_fill_form},     {1, act_staff},
};

static void one_step(Monkey *m)
{
    /* Time first: mostly the pace of a hand, sometimes a pause, now and
     * then long enough for every timeout (form 45 s, loop 60 s). */
    int r = rnd(100);
    if (r < 55)
        advance(m, rnd(300));
    else if (r < 96)
        advance(m, rnd(5001));
    else
        advance(m, 45000 + rnd(90000));
    if (chance(10)) {
        note("time passes");
        pump(m);
        return;
    }
    int total = 0;
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        total += actions[i].weight;
    int pick = rnd(total);
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        pick -= actions[i].weight;
        if (pick < 0) {
            actions[i].fn(m);
            break;
        }
    }
}

static void run(int w, int h, uint64_t seed, long steps, int render_every)
{
    static Monkey mk;
    Monkey *m = &mk;
    if (monkey_open(m, w, h) != 0) {
        check_failures++;
        return;
    }
    m->render_every = render_every;
    rng_state = seed;
    printf("monkey %dx%d: seed %llu, %ld steps, drawing every %d event batches "
           "(KIOSK_MONKEY_SEED=%llu reproduces it)\n",
           w, h, (unsigned long long)seed, steps, render_every, (unsigned long long)seed);
    Uint64 t0 = SDL_GetTicks64();
    for (m->step = 0; m->step < steps && m->failures <= MONKEY_MAX_FAILURES; m->step++)
        one_step(m);
    /* Every finger lifted; let every timer run out. */
    finger_event(m, SDL_FINGERUP, 1, 0, 0, false);
    mouse_event(m, SDL_MOUSEBUTTONUP, 0, 0);
    pump(m);
    wait_ms(m, 5 * 60 * 1000);
    if (m->app->screen != SCREEN_SLIDES || !m->app->attract)
        fail("five idle minutes did not bring back the attract loop");
    double secs = (SDL_GetTicks64() - t0) / 1000.0;
    const ShellCounts *n = counts(m);
    printf("monkey %dx%d: %.1f s, %ld event batches, %ld events pushed (%ld texts), "
           "%ld frames (%ld mid-transition), %.1f h of fake time\n",
           w, h, secs, m->pumps, m->events_in, m->texts_in, m->frames, m->mid_transition_frames,
           (double)m->now / 3600000);
    printf("monkey %dx%d: batches on slides %ld, form %ld, thanks %ld, PIN %ld, staff %ld; "
           "keyboard pages %ld/%ld/%ld/%ld/%ld/%ld\n",
           w, h, m->on_screen[SCREEN_SLIDES], m->on_screen[SCREEN_FORM],
           m->on_screen[SCREEN_THANKS], m->on_screen[SCREEN_PIN], m->on_screen[SCREEN_STAFF],
           m->kb_pages[0], m->kb_pages[1], m->kb_pages[2], m->kb_pages[3], m->kb_pages[4],
           m->kb_pages[5]);
    printf("monkey %dx%d: through the shell's real handlers: %lu sign-ups saved (%ld by a "
           "deliberate fill), %lu kept for later, %lu refused; %lu PINs checked (%ld right), "
           "%ld corner holds to the PIN pad, %lu exports (%lu sign-ups erased after one), %lu "
           "staff exits\n",
           w, h, n->saved, m->submits_ok, n->kept, n->refused, n->pins_checked, m->pins_ok,
           m->holds_to_pin, n->exports, n->erased, n->staff_exits);
    CHECK_INT(n->kept + n->refused, 0);
    if (steps >= MONKEY_COVERAGE_STEPS) {
        /* The monkey went everywhere, or the run proves little. */
        for (int s = SCREEN_SLIDES; s <= SCREEN_STAFF; s++)
            if (m->on_screen[s] == 0) {
                fprintf(stderr, "monkey %dx%d: never reached screen %d\n", w, h, s);
                check_failures++;
            }
        CHECK(n->saved > 0);
        CHECK(m->pins_ok > 0);
        CHECK(n->pins_checked > (unsigned long)m->pins_ok);
        CHECK(n->exports > 0);
        CHECK(m->texts_in > 0);
        CHECK(m->kb_pages[KB_PAGE_PHONE] > 0 && m->kb_pages[KB_PAGE_LOWER] > 0);
        CHECK(m->mid_transition_frames > 0);
    }
    /* Random taps may find Erase and Yes after an export: those rows are on
     * the "stick", and gone from the file. */
    check_failures += rig_check_csv(&m->rig, (long)(n->saved - n->erased));
    rig_close(&m->rig, check_failures != 0);
    M = NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    uint64_t seed = MONKEY_DEFAULT_SEED;
    const char *env = getenv("KIOSK_MONKEY_SEED");
    if (env && *env)
        seed = strtoull(env, NULL, 0);
    long steps = MONKEY_STEPS;
    env = getenv("KIOSK_MONKEY_STEPS");
    if (env && atol(env) > 0)
        steps = atol(env);
    test_keyboard_follows_typing();
    run(800, 480, seed, steps, 4);
    run(1080, 1920, seed + 1, steps, 16);
    return check_report("test_shell_monkey");
}
