/* app: screens, slides, timers, gestures and the form as one pure state
 * machine. See app.h. */
#include "app.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FormFieldKind field_kind(DeckFieldType t)
{
    switch (t) {
    case FIELD_EMAIL:
        return FORM_EMAIL;
    case FIELD_PHONE:
        return FORM_PHONE;
    case FIELD_CHOICE:
        return FORM_CHOICE;
    case FIELD_TEXT:
        break;
    }
    return FORM_TEXT;
}

static FormCapitalize field_capitalize(DeckCapitalize c)
{
    switch (c) {
    case CAPITALIZE_FIRST:
        return FORM_CAP_FIRST;
    case CAPITALIZE_NONE:
        return FORM_CAP_NONE;
    case CAPITALIZE_WORDS:
        break;
    }
    return FORM_CAP_WORDS;
}

/* The form is the deck's fields plus the consent checkbox, which is always
 * last and always required: nobody is contacted without it. */
static void setup_form(App *app)
{
    const Deck *d = app->deck;
    int n = 0;
    for (size_t i = 0; i < d->field_count && n < FORM_MAX_FIELDS - 1; i++, n++) {
        FormFieldSpec *s = &app->specs[n];
        memset(s, 0, sizeof *s);
        s->kind = field_kind(d->fields[i].type);
        s->required = d->fields[i].required;
        s->contact = d->fields[i].contact;
        s->choice_count = (int)d->fields[i].choice_count;
        s->capitalize = field_capitalize(d->fields[i].capitalize);
    }
    memset(&app->specs[n], 0, sizeof app->specs[n]);
    app->specs[n].kind = FORM_CHECK;
    app->specs[n].required = true;
    app->consent_field = n;
    form_init(&app->form, app->specs, n + 1);
    app->kb_visible = false;
}

void app_init(App *app, const Deck *deck, int w, int h, uint64_t now)
{
    memset(app, 0, sizeof *app);
    app->base = deck;
    app->deck = deck_view(deck, 0, false);
    app->w = w;
    app->h = h;
    app->screen = SCREEN_SLIDES;
    app->attract = true;
    app->slide_since = now;
    app->last_input = now;
    app->dirty = true;
    app->slides_viewed = 1;
    setup_form(app);
}

void app_shown(App *app, uint64_t now)
{
    /* Only the untouched first slide: after that the slides keep their own
     * times. */
    bool untouched = app->screen == SCREEN_SLIDES && app->slide == 0 && app->trans_dir == 0 &&
                     app->attract && app->slides_viewed == 1;
    if (!untouched || now < app->slide_since)
        return;
    app->slide_since = now;
    app->last_input = now;
}

void app_set_deck(App *app, const Deck *deck, uint64_t now)
{
    /* The client keeps the language they chose if the new deck still has
     * it (matched by code: a translation may come or go). */
    const char *code = app->deck ? app->deck->lang_code : NULL;
    size_t lang = 0;
    for (size_t i = 0; code && i < deck->lang_count; i++)
        if (strcmp(deck->langs[i]->lang_code, code) == 0)
            lang = i;
    app->base = deck;
    app->lang = lang;
    app->deck = deck_view(deck, lang, app->large);
    if (app->slide >= (int)deck->slide_count)
        app->slide = 0;
    app->from_slide = app->slide;
    app->trans_dir = 0;
    app->slide_since = now;
    if (app->screen == SCREEN_SLIDES)
        setup_form(app);
    app->dirty = true;
}

/* ---- geometry --------------------------------------------------------- */

static void relayout_keyboard(App *app);

/* The form's type sizes, as fractions of the screen's short side in
 * thousandths: labels a little under the slides' body text (they are read
 * once, up close), typed values a little larger (they are checked), the
 * messages under the fields smallest. The floors keep 800x480 readable. */
#define FORM_LABEL_PERMILLE 46
#define FORM_VALUE_PERMILLE 52
#define FORM_SMALL_PERMILLE 42
#define FORM_MIN_LABEL_PX 14
#define FORM_MIN_VALUE_PX 16
/* A finger-sized box at the least (Apple's and Google's guides: 44-48 px). */
#define FORM_MIN_BOX_PX 44
/* The heading: no taller than the slides' titles, 7.5 % of the short side. */
#define FORM_HEADING_PERMILLE 75
/* Cancel while typing, and Cancel/Send on the form's bar: wide enough for
 * their words in any language a clinic adds. */
#define FORM_TYPING_CANCEL_PERMILLE 200
#define FORM_BAR_BUTTON_PERMILLE 220

/* What every form layout shares: sizes, and the rows they make. */
typedef struct {
    int w, h, s, m;
    int lh, bh, eh, row; /* label, box and message heights; one field's row */
    bool large;          /* the larger-text view */
    int head_h;
    ChromeLayout chrome;
} FormMetrics;

static FormMetrics form_metrics(const App *app, double grow, FormLayout *out)
{
    FormMetrics fm = {.w = app->w, .h = app->h};
    fm.s = util_imin(fm.w, fm.h);
    fm.m = layout_margin(fm.w, fm.h);
    layout_chrome(app->deck, fm.w, fm.h, &fm.chrome);
    LayoutSizes z = layout_sizes(app->deck, fm.w, fm.h);
    double k = fm.s * grow / 1000.0;
    out->label_px = util_imax(FORM_MIN_LABEL_PX, (int)lround(FORM_LABEL_PERMILLE * k));
    out->value_px = util_imax(FORM_MIN_VALUE_PX, (int)lround(FORM_VALUE_PERMILLE * k));
    out->small_px = util_imax(FORM_MIN_LABEL_PX, (int)lround(FORM_SMALL_PERMILLE * k));
    fm.large = app->deck->is_large;
    /* Larger text keeps the rows tighter (a box 1.5 lines tall, a label
     * line 1.15): the words grow, and the form still fits 800x480. */
    fm.lh = fm.large ? out->label_px * 23 / 20 : out->label_px * 5 / 4;
    fm.bh = util_imax(FORM_MIN_BOX_PX,
                      fm.large ? out->value_px * 3 / 2 : out->value_px * 2 - out->value_px / 6);
    /* Room for a two-line message under each field when the screen has it;
     * one line on small screens. */
    fm.eh = out->small_px * 5 / 2;
    fm.row = fm.lh + fm.bh + fm.eh;
    out->heading_px = util_imin(z.title, (int)lround(fm.s * FORM_HEADING_PERMILLE / 1000.0));
    fm.head_h = out->heading_px * 6 / 5;
    return fm;
}

static void place_field(FormLayout *out, int i, int x, int y, int width, const FormMetrics *fm)
{
    out->visible[i] = true;
    out->label[i] = (LRect){x, y, width, fm->lh};
    out->box[i] = (LRect){x, y + fm->lh, width, fm->bh};
    out->error[i] = (LRect){x, y + fm->lh + fm->bh, width, fm->eh};
}

/* Typing: only the focused field, kept above the keyboard. */
static void form_layout_typing(const App *app, const FormMetrics *fm, FormLayout *out)
{
    int w = fm->w, h = fm->h, m = fm->m;
    int kh = keyboard_preferred_height(form_keyboard_mode(&app->form), w, h);
    out->keyboard = (LRect){0, h - kh, w, kh};
    int cw = util_imax(fm->bh * 2, (int)lround(w * FORM_TYPING_CANCEL_PERMILLE / 1000.0));
    out->cancel = (LRect){w - m - cw, m / 2, cw, fm->bh};
    /* The view buttons just left of Cancel: a client can switch while
     * typing, and what they typed stays. */
    layout_view_buttons(app->deck, w, h, out->cancel.x - m / 2, m / 2, &out->view);
    out->heading = (LRect){m, m / 2, util_imax(0, out->view.strip.x - m / 2 - m), fm->bh};
    int top = m / 2 + fm->bh + m / 4;
    if (out->heading.w < w / 3) {
        /* A narrow (portrait) screen: the heading gets a row of its own. */
        out->heading = (LRect){m, top, w - 2 * m, fm->lh};
        top += fm->lh + m / 4;
    }
    int avail = h - kh - top;
    place_field(out, app->form.focus, m, top + util_imax(0, (avail - fm->row) / 2), w - 2 * m, fm);
}

/* The heading, with the intro line when there is room, and the message
 * height (two lines, or one when the fields would not fit). */
static int form_heading(const App *app, FormMetrics *fm, bool landscape, int consent_h,
                        FormLayout *out)
{
    const Form *f = &app->form;
    int nfields = f->count - 1; /* the consent box is laid out on its own */
    int y = fm->m * 2 / 3;
    int content_bottom = fm->h - fm->chrome.bar.h - fm->m / 3;
    int col2_rows = 0;
    for (int i = 0; i < nfields; i++)
        col2_rows += f->spec[i].kind == FORM_CHOICE;
    int col1_rows = nfields - col2_rows;
    int needed = landscape ? util_imax(col1_rows * fm->row, col2_rows * fm->row + consent_h)
                           : nfields * fm->row + consent_h;
    if (y + fm->head_h + needed > content_bottom) {
        int one_line = out->small_px * 5 / 4;
        needed -= (fm->eh - one_line) *
                  (landscape ? util_imax(col1_rows, col2_rows + 1) : nfields + 1);
        fm->eh = one_line;
        fm->row = fm->lh + fm->bh + fm->eh;
    }
    int heading_total = fm->head_h + fm->lh + fm->m / 3;
    if (y + heading_total + needed > content_bottom)
        heading_total = fm->head_h + fm->m / 4; /* no room for the intro */
    /* The view buttons at the top-right, as on the slides; the heading and
     * intro end before them. */
    layout_view_buttons(app->deck, fm->w, fm->h, fm->w - fm->m, y, &out->view);
    int beside = out->view.strip.x - fm->m / 2 - fm->m;
    if (beside < fm->w / 3) {
        /* A narrow (portrait) screen: the buttons get a row of their own,
         * the heading the whole width under them. */
        y += out->view.strip.h + fm->m / 4;
        out->heading = (LRect){fm->m, y, fm->w - 2 * fm->m, heading_total};
        return y + heading_total;
    }
    out->heading = (LRect){fm->m, y, beside, heading_total};
    return y + util_imax(heading_total, out->view.strip.h + fm->m / 4);
}

static void place_choices(FormLayout *out, int i, int n, const FormMetrics *fm)
{
    LRect box = out->box[i];
    int gap = util_imax(6, fm->m / 3);
    int cwid = (box.w - gap * (n - 1)) / n;
    for (int c = 0; c < n && c < DECK_MAX_CHOICES; c++)
        out->choice[i][c] = (LRect){box.x + c * (cwid + gap), box.y, cwid, fm->bh};
}

/* The whole form: on a landscape screen typed fields on the left, choices
 * and consent on the right; portrait, one column. */
static void form_layout_at(const App *app, double grow, FormLayout *out);

/* Whether every field, message and the consent end above the buttons. */
static bool form_fits(const App *app, const FormLayout *fl)
{
    for (int i = 0; i < app->form.count; i++)
        if (fl->visible[i] && fl->error[i].y + fl->error[i].h > fl->cancel.y)
            return false;
    return true;
}

void app_form_layout(const App *app, FormLayout *out)
{
    /* Larger text grows the form's words as much as the slides'; on a
     * screen where the rows would then run under the buttons, a little
     * less (never below normal size; --check reports what that costs). */
    double grow = app->deck->is_large ? DECK_LARGE_TEXT_PERCENT / 100.0 : 1.0;
    form_layout_at(app, grow, out);
    while (grow > 1.0 && out->keyboard.h == 0 && !form_fits(app, out)) {
        grow -= 0.05;
        form_layout_at(app, grow < 1.0 ? 1.0 : grow, out);
    }
}

static void form_layout_at(const App *app, double grow, FormLayout *out)
{
    memset(out, 0, sizeof *out);
    FormMetrics fm = form_metrics(app, grow, out);
    const Form *f = &app->form;
    if (app->kb_visible && f->focus >= 0) {
        form_layout_typing(app, &fm, out);
        return;
    }
    int w = fm.w, h = fm.h, m = fm.m;
    int bar_h = fm.chrome.bar.h;
    int bw = util_imax(fm.bh * 2, (int)lround(w * FORM_BAR_BUTTON_PERMILLE / 1000.0));
    int by = h - bar_h + (bar_h - fm.chrome.back.h) / 2;
    out->cancel = (LRect){m, by, bw, fm.chrome.back.h};
    out->submit = (LRect){w - m - bw, by, bw, fm.chrome.back.h};

    bool landscape = w * 10 >= h * 11;
    /* Larger text: the consent gets a line more, so that it can grow too. */
    int consent_lines = (landscape ? 3 : 2) + fm.large;
    /* The consent is a paragraph: its lines are the renderer's 5/4. */
    int consent_line = out->label_px * 5 / 4;
    int consent_h = util_imax(fm.bh, consent_lines * consent_line) + fm.eh;
    int y = form_heading(app, &fm, landscape, consent_h, out);
    int colw = landscape ? (w - 3 * m) / 2 : w - 2 * m;
    int x2 = landscape ? 2 * m + colw : m;
    int y1 = y, y2 = y;
    for (int i = 0; i < f->count - 1; i++) {
        bool second = landscape && f->spec[i].kind == FORM_CHOICE;
        int *yy = second ? &y2 : &y1;
        place_field(out, i, second ? x2 : m, *yy, colw, &fm);
        if (f->spec[i].kind == FORM_CHOICE && f->spec[i].choice_count > 0)
            place_choices(out, i, f->spec[i].choice_count, &fm);
        *yy += fm.row;
    }
    int cy = landscape ? y2 : y1, cx = landscape ? x2 : m;
    int ci = app->consent_field, ch = util_imax(fm.bh, consent_lines * consent_line);
    out->visible[ci] = true;
    out->consent_box = (LRect){cx, cy, fm.bh, fm.bh};
    out->consent_text = (LRect){cx + fm.bh + m / 2, cy, colw - fm.bh - m / 2, ch};
    out->box[ci] = (LRect){cx, cy, colw, ch};
    out->error[ci] = (LRect){cx, cy + ch, colw, fm.eh};
}

LRect app_thanks_button(const App *app)
{
    ChromeLayout chrome;
    layout_chrome(app->deck, app->w, app->h, &chrome);
    int bw = util_imax(chrome.next.w, (int)lround(app->w * 0.3));
    return (LRect){(app->w - bw) / 2, chrome.next.y, bw, chrome.next.h};
}

LRect app_staff_corner(const App *app)
{
    int side = util_imax(56, util_imin(app->w, app->h) * 12 / 100);
    return (LRect){0, 0, side, side};
}

/* The staff screen below its title: the facts, a two-line message (export
 * results are sentences) and a row of buttons. The facts share what height
 * is left, so eight lines fit an 800x480 panel without crowding the
 * buttons. */
static void staff_body_layout(int w, int h, int m, int bh, int line, StaffLayout *out)
{
    int top = m / 2 + bh + m / 3;
    int gap = m / 2, by = h - m / 2 - bh;
    /* Four buttons in a row on a landscape panel; two rows of two on a
     * portrait one, where a row of four would shrink their words. */
    bool portrait = w < h;
    int per_row = portrait ? 2 : 4, row0 = portrait ? by - bh - gap : by;
    int bw = (w - 2 * m - (per_row - 1) * gap) / per_row;
    LRect *btn[4] = {&out->export_btn, &out->erase_btn, &out->restart, &out->exit_btn};
    for (int i = 0; i < 4; i++)
        *btn[i] = (LRect){m + (i % per_row) * (bw + gap), i < per_row ? row0 : by, bw, bh};
    out->message = (LRect){m, row0 - m / 4 - line * 2, w - 2 * m, line * 2};
    int step = util_imin(line * 5 / 4, (out->message.y - top) / APP_STAFF_INFO_LINES);
    for (int i = 0; i < APP_STAFF_INFO_LINES; i++)
        out->info[i] = (LRect){m, top + i * step, w - 2 * m, util_imin(line, step)};
    /* Yes where Export was, Cancel where Erase was: a second tap on the
     * same spot is Cancel, never an erase. */
    out->yes_btn = out->export_btn;
    out->no_btn = out->erase_btn;
}

void app_staff_layout(const App *app, StaffLayout *out)
{
    memset(out, 0, sizeof *out);
    int w = app->w, h = app->h, m = layout_margin(w, h);
    ChromeLayout c;
    layout_chrome(app->deck, w, h, &c);
    int bh = c.next.h;
    int line = util_imax(20, util_imin(w, h) * 6 / 100);
    out->title = (LRect){m, m / 2, w / 2, bh};
    out->cancel = (LRect){w - m - c.next.w, m / 2, c.next.w, bh};
    out->close = out->cancel;
    if (app->screen == SCREEN_PIN) {
        out->message = (LRect){m, m / 2 + bh, w - 2 * m, line};
        out->entry = (LRect){m, out->message.y + line, w - 2 * m, bh};
        int top = out->entry.y + bh + m / 2;
        int kh = h - top - m / 2;
        /* A keypad no wider than it needs: digits are easier to hit in a
         * compact grid than stretched across a wide screen. */
        int kw = util_imin(w - 2 * m, kh * 3 / 2);
        out->keypad = (LRect){(w - kw) / 2, top, kw, kh};
        return;
    }
    staff_body_layout(w, h, m, bh, line, out);
}

static bool slide_is_cta(const App *app)
{
    return app->deck->slides[app->slide].kind == SLIDE_SIGNUP &&
           app->deck->slides[app->slide].button;
}

/* The view buttons, on the slides and the form. */
static Hit hit_view(const ViewButtons *vb, int x, int y)
{
    if (layout_rect_contains(vb->larger, x, y))
        return (Hit){HIT_LARGER, 0, 0};
    for (int i = 0; i < DECK_MAX_LANGUAGES; i++)
        if (vb->lang[i].w > 0 && layout_rect_contains(vb->lang[i], x, y))
            return (Hit){HIT_LANG, i, 0};
    return (Hit){HIT_NONE, 0, 0};
}

static Hit hit_slides(const App *app, int x, int y)
{
    ChromeLayout c;
    layout_chrome(app->deck, app->w, app->h, &c);
    ViewButtons vb;
    layout_slide_view_buttons(app->deck, app->w, app->h, &vb);
    Hit view = hit_view(&vb, x, y);
    if (view.kind != HIT_NONE)
        return view;
    if (app->slide > 0 && layout_rect_contains(c.back, x, y))
        return (Hit){HIT_BACK, 0, 0};
    if (layout_rect_contains(c.next, x, y))
        return (Hit){HIT_NEXT, 0, 0};
    if (c.signup.w > 0 && layout_rect_contains(c.signup, x, y))
        return (Hit){HIT_SIGNUP, 0, 0};
    if (slide_is_cta(app) &&
        layout_rect_contains(layout_cta_button(app->deck, app->w, app->h), x, y))
        return (Hit){HIT_CTA, 0, 0};
    if (y < c.bar.y)
        /* The left third goes back, the rest forward: most people tap in
         * the middle to see more. */
        return (Hit){x < app->w * 3 / 10 ? HIT_ZONE_BACK : HIT_ZONE_NEXT, 0, 0};
    return (Hit){HIT_NONE, 0, 0};
}

static Hit hit_staff(const App *app, int x, int y)
{
    StaffLayout sl;
    app_staff_layout(app, &sl);
    if (app->screen == SCREEN_PIN) {
        if (layout_rect_contains(sl.cancel, x, y))
            return (Hit){HIT_PIN_CANCEL, 0, 0};
        int k = layout_rect_contains(sl.keypad, x, y) ? keyboard_hit(&app->kb, x, y) : -1;
        return k >= 0 ? (Hit){HIT_KEY, k, 0} : (Hit){HIT_NONE, 0, 0};
    }
    if (app->staff.erase_confirm) {
        if (layout_rect_contains(sl.yes_btn, x, y))
            return (Hit){HIT_STAFF_ERASE_YES, 0, 0};
        if (layout_rect_contains(sl.no_btn, x, y) || layout_rect_contains(sl.close, x, y))
            return (Hit){HIT_STAFF_ERASE_NO, 0, 0};
        return (Hit){HIT_NONE, 0, 0};
    }
    if (app->staff.erasable > 0 && layout_rect_contains(sl.erase_btn, x, y))
        return (Hit){HIT_STAFF_ERASE, 0, 0};
    const struct {
        LRect r;
        HitKind kind;
    } buttons[] = {{sl.close, HIT_STAFF_CLOSE},
                   {sl.export_btn, HIT_STAFF_EXPORT},
                   {sl.restart, HIT_STAFF_RESTART},
                   {sl.exit_btn, HIT_STAFF_EXIT}};
    for (size_t i = 0; i < sizeof buttons / sizeof buttons[0]; i++)
        if (layout_rect_contains(buttons[i].r, x, y))
            return (Hit){buttons[i].kind, 0, 0};
    return (Hit){HIT_NONE, 0, 0};
}

/* A field of the form: its label and box, a choice button, the consent box. */
static Hit hit_field(const App *app, const FormLayout *fl, int i, int x, int y)
{
    const Form *f = &app->form;
    if (i == app->consent_field)
        return layout_rect_contains(fl->box[i], x, y) ? (Hit){HIT_CONSENT, i, 0}
                                                      : (Hit){HIT_NONE, 0, 0};
    if (f->spec[i].kind == FORM_CHOICE) {
        for (int c = 0; c < f->spec[i].choice_count && c < DECK_MAX_CHOICES; c++)
            if (layout_rect_contains(fl->choice[i][c], x, y))
                return (Hit){HIT_CHOICE, i, c};
        return (Hit){HIT_NONE, 0, 0};
    }
    LRect r = fl->label[i];
    r.h += fl->box[i].h;
    return layout_rect_contains(r, x, y) ? (Hit){HIT_FIELD, i, 0} : (Hit){HIT_NONE, 0, 0};
}

static Hit hit_form(const App *app, int x, int y)
{
    FormLayout fl;
    app_form_layout(app, &fl);
    if (fl.keyboard.h > 0 && layout_rect_contains(fl.keyboard, x, y)) {
        int k = keyboard_hit(&app->kb, x, y);
        return k >= 0 ? (Hit){HIT_KEY, k, 0} : (Hit){HIT_NONE, 0, 0};
    }
    Hit view = hit_view(&fl.view, x, y);
    if (view.kind != HIT_NONE)
        return view;
    if (layout_rect_contains(fl.cancel, x, y))
        return (Hit){HIT_CANCEL, 0, 0};
    if (fl.submit.w && layout_rect_contains(fl.submit, x, y))
        return (Hit){HIT_SUBMIT, 0, 0};
    for (int i = 0; i < app->form.count; i++) {
        Hit hit = fl.visible[i] ? hit_field(app, &fl, i, x, y) : (Hit){HIT_NONE, 0, 0};
        if (hit.kind != HIT_NONE)
            return hit;
    }
    return (Hit){HIT_NONE, 0, 0};
}

Hit app_hit(const App *app, int x, int y)
{
    switch (app->screen) {
    case SCREEN_SLIDES:
        return hit_slides(app, x, y);
    case SCREEN_THANKS:
        return (Hit){HIT_THANKS, 0, 0};
    case SCREEN_PIN:
    case SCREEN_STAFF:
        return hit_staff(app, x, y);
    default:
        return hit_form(app, x, y);
    }
}

/* ---- transitions and navigation -------------------------------------- */

static bool transition_running(const App *app)
{
    return app->trans_dir != 0;
}

static void go_to(App *app, int target, int dir, uint64_t now)
{
    int count = (int)app->deck->slide_count;
    if (target < 0 || target >= count)
        return;
    if (target == app->slide && !transition_running(app)) {
        app->slide_since = now; /* a one-slide loop: nothing to redraw */
        return;
    }
    /* A new move while a transition runs completes the old one at once. */
    app->from_slide = app->slide;
    app->slide = target;
    bool animate = app->deck->timing.transition != TRANSITION_NONE &&
                   app->deck->timing.transition_ms > 0 && app->from_slide != target;
    app->trans_dir = animate ? dir : 0;
    app->trans_start = now;
    app->slide_since = now;
    app->slides_viewed++;
    app->dirty = true;
}

static void navigate(App *app, int dir, uint64_t now)
{
    int count = (int)app->deck->slide_count;
    int target = app->slide + dir;
    if (target < 0)
        return;
    if (target >= count)
        target = 0; /* Next on the last slide starts again */
    go_to(app, target, dir, now);
}

static void wipe_pin(App *app);

void app_set_view(App *app, size_t lang, bool large)
{
    if (lang >= app->base->lang_count)
        lang = 0;
    app->lang = lang;
    app->large = large;
    app->deck = deck_view(app->base, lang, large);
    /* Larger text moves the form's rows, and the keyboard with them. */
    if (app->screen == SCREEN_FORM && app->kb_visible)
        relayout_keyboard(app);
    app->dirty = true;
}

static void restart_loop(App *app, uint64_t now)
{
    wipe_pin(app);
    /* The next client starts in the deck's own language at normal size. */
    app_set_view(app, 0, false);
    app->screen = SCREEN_SLIDES;
    app->attract = true;
    app->kb_visible = false;
    if (app->slide != 0)
        go_to(app, 0, -1, now);
    app->slide_since = now;
    app->dirty = true;
}

static void open_form(App *app)
{
    form_clear(&app->form);
    app->screen = SCREEN_FORM;
    app->trans_dir = 0;
    app->kb_visible = false;
    app->forms_opened++;
    app->dirty = true;
}

static void wipe_pin(App *app)
{
    util_wipe(app->pin, sizeof app->pin);
}

static void open_pin(App *app)
{
    app->screen = SCREEN_PIN;
    app->trans_dir = 0;
    app->pin_wrong = false;
    wipe_pin(app);
    StaffLayout sl;
    app_staff_layout(app, &sl);
    keyboard_layout(&app->kb, KB_MODE_PHONE, KB_PAGE_PHONE, sl.keypad.x, sl.keypad.y, sl.keypad.w,
                    sl.keypad.h);
    app->dirty = true;
}

void app_pin_result(App *app, bool ok, uint64_t now)
{
    pin_guard_result(&app->pin_guard, ok, now);
    wipe_pin(app);
    app->pin_wrong = !ok;
    if (ok) {
        app->screen = SCREEN_STAFF;
        app->staff.message[0] = '\0';
        app_staff_erasable(app, 0); /* an erase belongs to the export just done */
        app->effects |= EFFECT_STAFF_INFO;
    }
    app->dirty = true;
}

void app_staff_message(App *app, const char *text)
{
    snprintf(app->staff.message, sizeof app->staff.message, "%s", text);
    app->dirty = true;
}

void app_staff_erasable(App *app, size_t rows)
{
    app->staff.erasable = rows;
    app->staff.erase_confirm = false;
    app->dirty = true;
}

/* Erase asks first; the question names the count and where the rows are,
 * so nobody erases what they think is still only on the kiosk. */
static void staff_erase_hit(App *app, HitKind kind)
{
    if (kind == HIT_STAFF_ERASE && app->staff.erasable > 0) {
        app->staff.erase_confirm = true;
        snprintf(app->staff.message, sizeof app->staff.message,
                 "Erase %zu sign-up%s from this kiosk? They are on the stick.", app->staff.erasable,
                 app->staff.erasable == 1 ? "" : "s");
    } else if (kind == HIT_STAFF_ERASE_YES && app->staff.erase_confirm) {
        app->staff.erase_confirm = false;
        app->effects |= EFFECT_ERASE;
    } else if (kind == HIT_STAFF_ERASE_NO) {
        app->staff.erase_confirm = false;
        snprintf(app->staff.message, sizeof app->staff.message, "Nothing was erased.");
    }
}

static void pin_key(App *app, const KeyAction *a, uint64_t now)
{
    if (pin_guard_locked(&app->pin_guard, now))
        return;
    size_t n = strlen(app->pin);
    if (a->kind == KEY_BACKSPACE && n > 0) {
        app->pin[n - 1] = '\0';
    } else if (a->kind == KEY_INSERT && a->text && a->text[0] >= '0' && a->text[0] <= '9' &&
               !a->text[1] && n < APP_PIN_MAX) {
        app->pin[n] = a->text[0];
        app->pin[n + 1] = '\0';
        app->pin_wrong = false;
    } else if (a->kind == KEY_DONE && n >= PIN_ENTRY_MIN_DIGITS) {
        app->effects |= EFFECT_CHECK_PIN;
    }
    app->dirty = true;
}

void app_sleep(App *app, bool asleep, uint64_t now)
{
    if (asleep == app->asleep)
        return;
    /* Never darken a screen a client is using. */
    if (asleep && (app->screen != SCREEN_SLIDES || !app->attract))
        return;
    app->asleep = asleep;
    if (!asleep)
        app->slide_since = now;
    app->dirty = true;
}

static void close_form(App *app, uint64_t now)
{
    form_clear(&app->form);
    app->kb_visible = false;
    app->screen = SCREEN_SLIDES;
    app->slide_since = now;
    app->dirty = true;
}

static void relayout_keyboard(App *app)
{
    app->kb_visible = form_wants_keyboard(&app->form);
    if (!app->kb_visible)
        return;
    FormLayout fl;
    app_form_layout(app, &fl);
    keyboard_layout(&app->kb, form_keyboard_mode(&app->form), app->form.page, fl.keyboard.x,
                    fl.keyboard.y, fl.keyboard.w, fl.keyboard.h);
}

static void focus_field(App *app, int field)
{
    form_focus(&app->form, field);
    relayout_keyboard(app);
    app->dirty = true;
}

static void submit(App *app)
{
    if (form_valid(&app->form)) {
        form_focus(&app->form, -1);
        app->kb_visible = false;
        app->effects |= EFFECT_STORE;
    } else {
        form_attempt_submit(&app->form);
    }
    app->dirty = true;
}

void app_stored(App *app, bool saved_now, uint64_t now)
{
    form_clear(&app->form);
    app->kb_visible = false;
    app->forms_completed++;
    app->store_failed = !saved_now;
    app->screen = SCREEN_THANKS;
    app->thanks_since = now;
    app->dirty = true;
}

static void tap(App *app, int x, int y, uint64_t now)
{
    Hit hit = app_hit(app, x, y);
    Form *f = &app->form;
    switch (hit.kind) {
    case HIT_BACK:
    case HIT_ZONE_BACK:
        navigate(app, -1, now);
        break;
    case HIT_NEXT:
    case HIT_ZONE_NEXT:
        navigate(app, +1, now);
        break;
    case HIT_SIGNUP:
    case HIT_CTA:
        open_form(app);
        break;
    case HIT_FIELD:
        focus_field(app, hit.index);
        break;
    case HIT_CHOICE:
        form_focus(f, -1);
        app->kb_visible = false;
        form_choose(f, hit.index, hit.choice);
        break;
    case HIT_CONSENT:
        form_focus(f, -1);
        app->kb_visible = false;
        form_toggle(f, app->consent_field);
        break;
    case HIT_SUBMIT:
        submit(app);
        break;
    case HIT_CANCEL:
        app->forms_abandoned++;
        close_form(app, now);
        break;
    case HIT_KEY:
        if (hit.index >= 0 && hit.index < app->kb.count) {
            KeyAction a = app->kb.keys[hit.index].action;
            if (app->screen == SCREEN_PIN) {
                pin_key(app, &a, now);
                break;
            }
            form_apply_key(f, &a);
            relayout_keyboard(app);
        }
        break;
    case HIT_PIN_CANCEL:
    case HIT_STAFF_CLOSE:
        wipe_pin(app);
        app->screen = SCREEN_SLIDES;
        app->slide_since = now;
        break;
    case HIT_STAFF_EXPORT:
        app->effects |= EFFECT_EXPORT;
        break;
    case HIT_STAFF_RESTART:
        restart_loop(app, now);
        break;
    case HIT_STAFF_ERASE:
    case HIT_STAFF_ERASE_YES:
    case HIT_STAFF_ERASE_NO:
        staff_erase_hit(app, hit.kind);
        break;
    case HIT_STAFF_EXIT:
        app->effects |= EFFECT_QUIT;
        break;
    case HIT_THANKS:
        restart_loop(app, now);
        break;
    case HIT_LANG:
        app_set_view(app, (size_t)hit.index, app->large);
        break;
    case HIT_LARGER:
        app_set_view(app, app->lang, !app->large);
        break;
    case HIT_NONE:
        break;
    }
    app->dirty = true;
}

static bool is_button(HitKind k)
{
    return k != HIT_NONE && k != HIT_ZONE_BACK && k != HIT_ZONE_NEXT && k != HIT_THANKS;
}

static void pointer(App *app, const Input *in, uint64_t now)
{
    int s = util_imin(app->w, app->h);
    int slop = s * APP_TAP_SLOP_PERMILLE / 1000;
    if (app->asleep || app->waking) {
        /* The first touch only wakes the screen: it must not also press
         * whatever is under the finger. */
        if (in->type == IN_DOWN && app->asleep) {
            app->asleep = false;
            app->waking = true;
            app->slide_since = now;
            app->dirty = true;
        } else if (in->type == IN_UP) {
            app->waking = false;
        }
        return;
    }
    if (in->type == IN_DOWN) {
        app->down = true;
        app->corner_hold = app->screen == SCREEN_SLIDES &&
                           layout_rect_contains(app_staff_corner(app), in->x, in->y);
        app->down_x = in->x;
        app->down_y = in->y;
        app->down_at = now;
        Hit hit = app_hit(app, in->x, in->y);
        /* Feedback on touch, not on release: the client sees at once that
         * the kiosk heard them. */
        app->pressed = is_button(hit.kind) ? hit : (Hit){HIT_NONE, 0, 0};
        app->dirty = true;
        return;
    }
    if (!app->down)
        return;
    int dx = in->x - app->down_x, dy = in->y - app->down_y;
    bool moved = abs(dx) > slop || abs(dy) > slop;
    if (moved)
        app->corner_hold = false;
    if (in->type == IN_MOVE) {
        if (moved && app->pressed.kind != HIT_NONE) {
            app->pressed = (Hit){HIT_NONE, 0, 0};
            app->dirty = true;
        }
        return;
    }
    /* IN_UP */
    app->down = false;
    app->corner_hold = false;
    if (app->hold_fired) {
        app->hold_fired = false; /* the hold opened the PIN screen; its release is done */
        return;
    }
    app->pressed = (Hit){HIT_NONE, 0, 0};
    app->dirty = true;
    bool swipe = app->screen == SCREEN_SLIDES &&
                 abs(dx) >= app->w * APP_SWIPE_MIN_PERMILLE / 1000 && abs(dx) > 2 * abs(dy) &&
                 now - app->down_at <= APP_SWIPE_MAX_MS;
    if (swipe) {
        navigate(app, dx < 0 ? +1 : -1, now);
        return;
    }
    if (moved)
        return;
    /* A tap acts on what was under the finger when it went down, so a
     * wobble never turns "Next" into the zone beside it. */
    tap(app, app->down_x, app->down_y, now);
}

static void key(App *app, const Input *in, uint64_t now)
{
    if (app->screen == SCREEN_SLIDES) {
        if (in->key == KEYIN_LEFT)
            navigate(app, -1, now);
        else if (in->key == KEYIN_RIGHT)
            navigate(app, +1, now);
        else if (in->key == KEYIN_HOME)
            go_to(app, 0, -1, now);
        return;
    }
    if (app->screen == SCREEN_THANKS) {
        restart_loop(app, now);
        return;
    }
    if (app->screen == SCREEN_PIN) {
        KeyAction a = {in->key == KEYIN_BACKSPACE ? KEY_BACKSPACE : KEY_DONE, NULL};
        if (in->key == KEYIN_BACKSPACE || in->key == KEYIN_RETURN)
            pin_key(app, &a, now);
        return;
    }
    if (app->screen == SCREEN_STAFF)
        return;
    Form *f = &app->form;
    if (in->key == KEYIN_BACKSPACE) {
        form_backspace(f);
        relayout_keyboard(app); /* emptying a name re-arms the capital */
    } else if (in->key == KEYIN_TAB || in->key == KEYIN_RETURN) {
        /* To the next field that takes typing; after the last, Return
         * submits when the form is complete. */
        int next = -1;
        for (int i = f->focus + 1; i < f->count; i++) {
            FormFieldKind k = f->spec[i].kind;
            if (k == FORM_TEXT || k == FORM_EMAIL || k == FORM_PHONE) {
                next = i;
                break;
            }
        }
        if (next < 0 && in->key == KEYIN_RETURN && form_valid(f))
            submit(app);
        else
            focus_field(app, next);
    }
    app->dirty = true;
}

static void timers(App *app, uint64_t now)
{
    const DeckTiming *t = &app->deck->timing;
    if (transition_running(app) && now - app->trans_start >= (uint64_t)t->transition_ms) {
        app->trans_dir = 0;
        app->dirty = true;
    }
    if (app->down && app->corner_hold && !app->hold_fired &&
        now - app->down_at >= APP_STAFF_HOLD_MS) {
        app->hold_fired = true;
        app->corner_hold = false;
        app->pressed = (Hit){HIT_NONE, 0, 0};
        open_pin(app);
        return;
    }
    if (app->asleep)
        return;
    switch (app->screen) {
    case SCREEN_PIN:
    case SCREEN_STAFF:
        if (!app->down && now - app->last_input >= (uint64_t)t->form_inactivity_ms)
            restart_loop(app, now);
        break;
    case SCREEN_SLIDES:
        if (app->attract) {
            const Slide *s = &app->deck->slides[app->slide];
            if (!app->down && now - app->slide_since >= (uint64_t)s->duration_ms)
                go_to(app, (app->slide + 1) % (int)app->deck->slide_count, +1, now);
        } else if (!app->down && now - app->last_input >= (uint64_t)t->inactivity_ms) {
            restart_loop(app, now);
        }
        break;
    case SCREEN_FORM:
        if (now - app->last_input >= (uint64_t)t->form_inactivity_ms) {
            /* The next person in the waiting room must never see this. */
            app->forms_abandoned++;
            close_form(app, now);
            restart_loop(app, now);
        }
        break;
    case SCREEN_THANKS:
        if (now - app->thanks_since >= (uint64_t)t->thanks_ms)
            restart_loop(app, now);
        break;
    }
}

void app_update(App *app, const Input *in, uint64_t now)
{
    switch (in->type) {
    case IN_DOWN:
    case IN_MOVE:
    case IN_UP:
    case IN_KEY:
    case IN_TEXT:
        app->last_input = now;
        app->attract = false;
        break;
    default:
        break;
    }
    switch (in->type) {
    case IN_DOWN:
    case IN_MOVE:
    case IN_UP:
        pointer(app, in, now);
        break;
    case IN_KEY:
        key(app, in, now);
        break;
    case IN_TEXT:
        if (app->screen == SCREEN_PIN) {
            for (const char *p = in->text; *p; p++) {
                char digit[2] = {*p, 0};
                KeyAction a = {KEY_INSERT, digit};
                pin_key(app, &a, now);
            }
        } else if (app->screen == SCREEN_FORM && app->form.focus >= 0) {
            form_insert_text(&app->form, in->text);
            relayout_keyboard(app); /* the one-shot shift is used up */
            app->dirty = true;
        }
        break;
    case IN_RESIZE:
        if (in->x > 0 && in->y > 0) {
            app->w = in->x;
            app->h = in->y;
            if (app->kb_visible)
                relayout_keyboard(app);
            app->dirty = true;
        }
        break;
    case IN_TICK:
    case IN_NONE:
        break;
    }
    timers(app, now);
}

static int until(uint64_t deadline, uint64_t now)
{
    if (deadline <= now)
        return 0;
    uint64_t d = deadline - now;
    return d > 24u * 3600 * 1000 ? 24 * 3600 * 1000 : (int)d;
}

int app_next_timeout(const App *app, uint64_t now)
{
    if (transition_running(app))
        return APP_FRAME_MS;
    if (app->down && app->corner_hold)
        return until(app->down_at + APP_STAFF_HOLD_MS, now);
    if (app->asleep)
        return -1;
    const DeckTiming *t = &app->deck->timing;
    switch (app->screen) {
    case SCREEN_PIN:
    case SCREEN_STAFF: {
        int left = until(app->last_input + (uint64_t)t->form_inactivity_ms, now);
        int wait = pin_guard_wait_s(&app->pin_guard, now);
        /* Wake each second while a lockout counts down on screen. */
        return wait > 0 && left > 1000 ? 1000 : left;
    }
    case SCREEN_SLIDES:
        if (app->down)
            return -1;
        if (app->attract)
            return until(app->slide_since + (uint64_t)app->deck->slides[app->slide].duration_ms,
                         now);
        return until(app->last_input + (uint64_t)t->inactivity_ms, now);
    case SCREEN_FORM:
        return until(app->last_input + (uint64_t)t->form_inactivity_ms, now);
    case SCREEN_THANKS:
        return until(app->thanks_since + (uint64_t)t->thanks_ms, now);
    }
    return -1;
}

double app_transition(const App *app, uint64_t now)
{
    if (!transition_running(app))
        return 1.0;
    int ms = app->deck->timing.transition_ms;
    double p = ms > 0 ? (double)(now - app->trans_start) / ms : 1.0;
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

size_t app_signup_duplicate_column(const Deck *d)
{
    /* After id, timestamp, kiosk, deck, the fields and consent_version. */
    size_t fields = d->field_count < DECK_MAX_FIELDS ? d->field_count : DECK_MAX_FIELDS;
    return 4 + fields + 1;
}

size_t app_signup_columns(const Deck *d, const char *out[APP_ROW_MAX])
{
    size_t n = 0;
    out[n++] = "id";
    out[n++] = "timestamp";
    out[n++] = "kiosk";
    out[n++] = "deck";
    for (size_t i = 0; i < d->field_count && i < DECK_MAX_FIELDS; i++)
        out[n++] = d->fields[i].id;
    out[n++] = "consent_version";
    out[n++] = "duplicate_of";
    out[n++] = "language";
    return n;
}

void app_signup_row(const App *app, const char *id, const char *stamp, const char *kiosk_id,
                    SignupRow *row)
{
    const Deck *d = app->base;
    const Form *f = &app->form;
    size_t n = 0;
    row->value[n++] = id;
    row->value[n++] = stamp;
    row->value[n++] = kiosk_id;
    row->value[n++] = d->name;
    for (size_t i = 0; i < d->field_count && i < DECK_MAX_FIELDS; i++) {
        const char *v = "";
        if (f->spec[i].kind == FORM_CHOICE) {
            if (f->choice[i] >= 0 && (size_t)f->choice[i] < d->fields[i].choice_count)
                v = d->fields[i].choices[f->choice[i]];
        } else {
            /* Spaces a finger added around a value are not part of it. */
            const char *s = f->value[i];
            while (*s == ' ')
                s++;
            size_t len = strlen(s);
            while (len > 0 && s[len - 1] == ' ')
                len--;
            memcpy(row->text[i], s, len);
            row->text[i][len] = '\0';
            v = row->text[i];
        }
        row->value[n++] = v;
    }
    row->value[n++] = d->texts.consent_version;
    row->value[n++] = "";
    row->value[n++] = app->deck->lang_code ? app->deck->lang_code : "";
    row->count = n;
}

/* ---- previews for the docs ------------------------------------------- */

const char *app_preview_name(AppPreview which)
{
    static const char *const names[APP_PREVIEW_COUNT] = {
        "form-empty", "form-typing",        "form-errors", "form-filled",
        "thanks",     "thanks-saved-later", "staff-pin",   "staff",
    };
    return which < APP_PREVIEW_COUNT ? names[which] : "?";
}

void app_preview_slide(App *app, int slide)
{
    /* The pictures show the view chosen before (a language, larger text). */
    size_t lang = app->lang;
    bool large = app->large;
    app_init(app, app->base, app->w, app->h, 0);
    app_set_view(app, lang, large);
    if (slide >= 0 && slide < (int)app->deck->slide_count)
        app->slide = app->from_slide = slide;
}

/* A made-up client, for the pictures only. */
static void fill_example(App *app)
{
    static const char *const examples[] = {"Zoë Müller", "+44 20 7946 0958",
                                           "zoe.muller@example.com"};
    Form *f = &app->form;
    int text = 0;
    for (size_t i = 0; i < app->deck->field_count && (int)i < f->count; i++) {
        if (f->spec[i].kind == FORM_CHOICE) {
            form_choose(f, (int)i, 0);
            continue;
        }
        form_focus(f, (int)i);
        form_insert_text(f, examples[text < 3 ? text : 2]);
        text++;
    }
    form_focus(f, -1);
    form_toggle(f, app->consent_field);
}

/* The staff PIN screen, reached as staff reach it: a held corner. */
static void hold_corner(App *app)
{
    LRect c = app_staff_corner(app);
    Input down = {.type = IN_DOWN, .x = c.x + c.w / 2, .y = c.y + c.h / 2};
    app_update(app, &down, 0);
    Input tick = {.type = IN_TICK};
    app_update(app, &tick, APP_STAFF_HOLD_MS);
}

void app_preview(App *app, AppPreview which)
{
    app_preview_slide(app, 0);
    switch (which) {
    case APP_PREVIEW_FORM_EMPTY:
    case APP_PREVIEW_FORM_TYPING:
    case APP_PREVIEW_FORM_ERRORS:
    case APP_PREVIEW_FORM_FILLED:
        open_form(app);
        if (which == APP_PREVIEW_FORM_TYPING) {
            form_focus(&app->form, 0);
            app->kb_visible = true;
            form_insert_text(&app->form, "Zoë");
            relayout_keyboard(app); /* the page after the typing: lower case */
        } else if (which == APP_PREVIEW_FORM_ERRORS) {
            form_attempt_submit(&app->form);
        } else if (which == APP_PREVIEW_FORM_FILLED) {
            fill_example(app);
        }
        break;
    case APP_PREVIEW_THANKS:
    case APP_PREVIEW_SAVED_LATER:
        app->screen = SCREEN_THANKS;
        app->store_failed = which == APP_PREVIEW_SAVED_LATER;
        break;
    case APP_PREVIEW_STAFF_PIN:
    case APP_PREVIEW_STAFF:
        hold_corner(app);
        snprintf(app->pin, sizeof app->pin, "12");
        if (which == APP_PREVIEW_STAFF)
            app_pin_result(app, true, APP_STAFF_HOLD_MS);
        break;
    default:
        break;
    }
    app->dirty = true;
}
