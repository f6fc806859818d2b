/* fit: --check's proof that every slide fits the smallest supported
 * screens with the real fonts, before a client ever sees it clipped or
 * shrunk past reading. */
#include "fit.h"

#include <SDL_ttf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "image.h"
#include "layout.h"
#include "text.h"

/* The official Raspberry Pi 7" display, landscape and portrait. */
static const struct {
    int w, h;
} fit_sizes[] = {{800, 480}, {480, 800}};

/* Decodes every image the kiosk would show, as the kiosk would (same
 * checks, same decoders, no disk cache), and names each it would refuse at
 * its slide. Images the loader already reported (missing, outside the
 * deck's folder) are not tried again. */
static int check_images(const Deck *deck, DiagList *diags)
{
    int problems = 0;
    for (size_t i = 0; i < deck->slide_count; i++) {
        const Slide *s = &deck->slides[i];
        if (!s->image || s->image_missing)
            continue;
        /* A picture shown on several slides is decoded and reported once. */
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = deck->slides[j].image && !deck->slides[j].image_missing &&
                   strcmp(deck->slides[j].image, s->image) == 0;
        if (seen)
            continue;
        char why[512];
        SDL_Surface *img = image_load(s->image, fit_sizes[0].w, fit_sizes[0].h, NULL, why,
                                      sizeof why);
        if (img) {
            SDL_FreeSurface(img);
            continue;
        }
        diag_add(diags, DIAG_WARNING, deck->path, s->line, s->col,
                 "slide %zu's image '%s' cannot be shown: %s (expected a PNG, JPEG or SVG of at "
                 "most %zu MiB and %lld megapixels; the kiosk shows a placeholder)",
                 i + 1, s->image, why, IMAGEFILE_MAX_BYTES >> 20, IMAGEFILE_MAX_PIXELS / 1000000);
        problems++;
    }
    return problems;
}

/* "" for the deck as written; " (Español, larger text)" for a view. */
static void view_name(const Deck *base, const Deck *v, char *buf, size_t cap)
{
    if (v == base) {
        buf[0] = '\0';
        return;
    }
    snprintf(buf, cap, " (%s%s)", v->lang_name ? v->lang_name : "?",
             v->is_large ? ", larger text" : "");
}

/* Larger text must really be larger: its running text at least
 * FIT_MIN_GROWTH times the normal view's, after both are fitted. */
#define FIT_MIN_GROWTH 1.3

/* One slide of one view at one size; returns its body size, or -1 after
 * reporting that it does not fit. */
static int fit_slide(const Deck *base, const Deck *v, size_t i, int w, int h,
                     const LayoutMetrics *m, SlideLayout *lay, DiagList *diags)
{
    const Slide *s = &v->slides[i];
    layout_slide(v, s, w, h, m, lay);
    if (!lay->truncated && !lay->too_long)
        return lay->body_px;
    char what[160];
    view_name(base, v, what, sizeof what);
    /* The slide's place in the deck, which every language shares. */
    diag_add(diags, lay->truncated ? DIAG_ERROR : DIAG_WARNING, base->path, s->line, s->col,
             "slide %zu%s is too long for a %dx%d screen: its text is shrunk to %d px, below "
             "the readable %d px (shorten it or split the slide)",
             i + 1, what, w, h, lay->body_px, lay->min_px);
    return -1;
}

/* One language in both text sizes; the larger must be FIT_MIN_GROWTH times
 * the normal after both are fitted. */
static int check_language(const Deck *base, size_t lang, const LayoutMetrics *m, SlideLayout *lay,
                          DiagList *diags)
{
    const Deck *normal = deck_view(base, lang, false), *large = deck_view(base, lang, true);
    int problems = 0;
    for (size_t i = 0; i < normal->slide_count; i++) {
        for (size_t k = 0; k < sizeof fit_sizes / sizeof fit_sizes[0]; k++) {
            int w = fit_sizes[k].w, h = fit_sizes[k].h;
            int px = fit_slide(base, normal, i, w, h, m, lay, diags);
            int big = large != normal ? fit_slide(base, large, i, w, h, m, lay, diags) : px;
            if (px < 0 || big < 0) {
                problems++;
                break;
            }
            if (large != normal && big * 10 < px * (int)lround(FIT_MIN_GROWTH * 10)) {
                char what[160];
                view_name(base, large, what, sizeof what);
                diag_add(diags, DIAG_WARNING, base->path, normal->slides[i].line,
                         normal->slides[i].col,
                         "slide %zu%s has text of %d px on a %dx%d screen, not %.1fx the normal "
                         "%d px: it is shrunk to fit (shorten it so larger text is larger)",
                         i + 1, what, big, w, h, FIT_MIN_GROWTH, px);
                problems++;
                break;
            }
        }
    }
    return problems;
}

/* The size one line of text is drawn at in a box of width w: px, or
 * smaller until it fits, as the renderer does. */
static int line_px(const LayoutMetrics *m, const char *s, int px, bool bold, int w)
{
    int tw = 0;
    while (px > 10 && m->measure(m->ctx, s, strlen(s), px, bold, &tw) == 0 && tw > w)
        px--;
    return px;
}

/* The size wrapped text is drawn at in a box: px, or smaller until its
 * lines fit the box's height, as the renderer does. */
static int para_px(const LayoutMetrics *m, const char *s, int px, LRect box)
{
    size_t starts[16], lens[16];
    for (; s && px > 10; px--) {
        int n = layout_wrap(m, s, strlen(s), px, false, box.w, starts, lens, 16);
        if (n <= 16 && n * (px * 5 / 4) <= box.h)
            break;
    }
    return px;
}

/* A field's label as the form shows it. */
static void field_label(const Deck *v, const DeckField *f, char *buf, size_t cap)
{
    if (!f->required && (f->type == FIELD_CHOICE || !f->contact))
        snprintf(buf, cap, "%s (%s)", f->label, v->texts.optional);
    else
        snprintf(buf, cap, "%s", f->label);
}

/* The sizes one view of the form shows its words at, after shrinking to
 * fit: each field's label and message, and the consent. */
typedef struct {
    int label[DECK_MAX_FIELDS], message[DECK_MAX_FIELDS], consent;
    int label_px, small_px; /* before shrinking */
} FormSizes;

/* The form as one view shows it at w x h, with every message showing. */
static void form_with_errors(App *app, const Deck *base, size_t lang, bool large, int w, int h,
                             FormLayout *fl)
{
    app_init(app, base, w, h, 0);
    app_set_view(app, lang, large);
    app_preview(app, APP_PREVIEW_FORM_ERRORS);
    app_form_layout(app, fl);
}

static void form_sizes(const Deck *base, size_t lang, bool large, int w, int h,
                       const LayoutMetrics *m, FormSizes *out)
{
    App app;
    FormLayout fl;
    form_with_errors(&app, base, lang, large, w, h, &fl);
    const Deck *v = app.deck;
    memset(out, 0, sizeof *out);
    out->label_px = fl.label_px;
    out->small_px = fl.small_px;
    for (size_t i = 0; i < v->field_count && i < DECK_MAX_FIELDS; i++) {
        char label[300];
        field_label(v, &v->fields[i], label, sizeof label);
        out->label[i] = line_px(m, label, fl.label_px, true, fl.label[i].w);
        const char *err = form_field_error(&app.form, (int)i) == FORM_ERR_REQUIRED
                              ? v->texts.err_required
                              : v->texts.err_contact;
        out->message[i] = v->fields[i].type == FIELD_CHOICE
                              ? fl.small_px
                              : para_px(m, err, fl.small_px, fl.error[i]);
    }
    out->consent = para_px(m, v->texts.consent, fl.label_px, fl.consent_text);
}

static void form_problem(DiagList *diags, const Deck *base, const Deck *v, int line, int col, int w,
                         int h, const char *what, const char *text)
{
    char name[160];
    view_name(base, v, name, sizeof name);
    if (strcmp(what, "field") == 0)
        diag_add(diags, DIAG_WARNING, base->path, line, col,
                 "the form's field '%.60s'%s runs under its buttons on a %dx%d screen (expected "
                 "fewer fields, or fewer languages)",
                 text, name, w, h);
    else
        diag_add(diags, DIAG_WARNING, base->path, line, col,
                 "the form's %s '%.60s'%s is shrunk to fit a %dx%d screen (shorten it)", what, text,
                 name, w, h);
}

/* The form in one view at one size, with every message showing. In the
 * normal view nothing is shrunk (a long label in its column aside, as
 * always); larger text never shows a word smaller than normal text. Nothing
 * lies below the buttons. Returns the problems. */
static int check_form(const Deck *base, size_t lang, bool large, int w, int h,
                      const LayoutMetrics *m, DiagList *diags)
{
    App app;
    FormLayout fl;
    form_with_errors(&app, base, lang, large, w, h, &fl);
    const Deck *v = app.deck;
    FormSizes got, normal;
    form_sizes(base, lang, large, w, h, m, &got);
    form_sizes(base, lang, false, w, h, m, &normal);
    int problems = 0;
    for (size_t i = 0; i < v->field_count && (int)i < app.form.count - 1; i++) {
        const DeckField *f = &v->fields[i];
        char label[300];
        field_label(v, f, label, sizeof label);
        const char *err = form_field_error(&app.form, (int)i) == FORM_ERR_REQUIRED
                              ? v->texts.err_required
                              : v->texts.err_contact;
        int bad = 0;
        if (large && got.label[i] < normal.label[i]) {
            form_problem(diags, base, v, f->line, f->col, w, h, "label", label);
            bad = 1;
        }
        if (got.message[i] < (large ? normal.message[i] : got.small_px)) {
            form_problem(diags, base, v, f->line, f->col, w, h, "message", err);
            bad = 1;
        }
        if (fl.error[i].y + fl.error[i].h > fl.cancel.y) {
            form_problem(diags, base, v, f->line, f->col, w, h, "field", label);
            bad = 1;
        }
        problems += bad;
    }
    if (got.consent < (large ? normal.consent : got.label_px)) {
        form_problem(diags, base, v, 0, 0, w, h, "consent", v->texts.consent);
        problems++;
    }
    return problems;
}

int fit_check_deck(const Deck *deck, const char *data_dir, DiagList *diags)
{
    bool own_ttf = !TTF_WasInit();
    if (own_ttf && TTF_Init() != 0) {
        diag_add(diags, DIAG_WARNING, deck->path, 0, 0, "cannot check that slides fit: %s",
                 TTF_GetError());
        return 0;
    }
    char err[512];
    TextFonts *fonts = text_open_deck(deck, data_dir, err, sizeof err);
    if (!fonts) {
        diag_add(diags, DIAG_ERROR, deck->path, 0, 0, "cannot check that slides fit: %s", err);
        if (own_ttf)
            TTF_Quit();
        return 1;
    }
    SlideLayout *lay = malloc(sizeof *lay);
    int problems = 0;
    LayoutMetrics m = {text_measure, fonts};
    /* Every language, in both text sizes: a client may pick any of them. */
    size_t langs = deck->lang_count ? deck->lang_count : 1;
    for (size_t l = 0; lay && l < langs; l++) {
        problems += check_language(deck, l, &m, lay, diags);
        for (int large = 0; large < 2; large++)
            for (size_t k = 0; k < sizeof fit_sizes / sizeof fit_sizes[0]; k++)
                problems += check_form(deck, l, large, fit_sizes[k].w, fit_sizes[k].h, &m, diags);
    }
    free(lay);
    problems += check_images(deck, diags);
    text_close(fonts);
    if (own_ttf)
        TTF_Quit();
    return problems;
}
