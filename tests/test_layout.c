/* Layout without fonts: a fixed advance per glyph stands in for the real
 * font (test_fit checks that the two agree on the bundled deck). */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check.h"
#include "deck.h"
#include "deckload.h"
#include "layout.h"

/* Every UTF-8 character is 0.55 em wide, bold 0.6 em: close to a sans. */
static int fake_measure(void *ctx, const char *s, size_t len, int px, bool bold, int *w)
{
    (void)ctx;
    int chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    *w = chars * px * (bold ? 60 : 55) / 100;
    return 0;
}

static const LayoutMetrics fake = {fake_measure, NULL};

static const struct {
    int w, h;
} sizes[] = {{800, 480},   {480, 800},   {1280, 800}, {1920, 1080},
             {1080, 1920}, {3840, 2160}, {1024, 600}};

static Deck *load(const char *yaml)
{
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR};
    Deck *d = deck_load_string(TEST_SOURCE_DIR "/slides/test.yaml", yaml, strlen(yaml), &opts,
                               &diags);
    if (!d)
        diag_print(&diags, stderr);
    diag_clear(&diags);
    return d;
}

/* No box outside the screen, no two boxes overlapping (a step's badge sits
 * beside its text, a button's label inside its button), and none over the
 * navigation bar. */
static void check_boxes(const Deck *d, const Slide *s, int w, int h, const SlideLayout *lay)
{
    LRect screen = {0, 0, w, h};
    ChromeLayout chrome;
    layout_chrome(d, w, h, &chrome);
    for (int i = 0; i < lay->count; i++) {
        const Box *a = &lay->box[i];
        if (!layout_rect_inside(a->r, screen)) {
            fprintf(stderr, "%dx%d slide '%s': box %d (%d,%d %dx%d) outside the screen\n", w, h,
                    s->name, i, a->r.x, a->r.y, a->r.w, a->r.h);
            check_failures++;
        }
        if (layout_rects_overlap(a->r, chrome.bar)) {
            fprintf(stderr, "%dx%d slide '%s': box %d over the navigation bar\n", w, h, s->name, i);
            check_failures++;
        }
        ViewButtons vb;
        layout_slide_view_buttons(d, w, h, &vb);
        if (layout_rects_overlap(a->r, vb.strip)) {
            fprintf(stderr, "%dx%d slide '%s': box %d under the language/text size buttons\n", w, h,
                    s->name, i);
            check_failures++;
        }
        for (int j = i + 1; j < lay->count; j++) {
            const Box *b = &lay->box[j];
            bool label_in_button = (a->kind == BOX_BUTTON && b->kind == BOX_TEXT &&
                                    layout_rect_inside(b->r, a->r));
            if (!label_in_button && layout_rects_overlap(a->r, b->r)) {
                fprintf(stderr, "%dx%d slide '%s': boxes %d and %d overlap\n", w, h, s->name, i, j);
                check_failures++;
            }
        }
    }
}

static void test_bundled_deck_fits_everywhere(void)
{
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR};
    Deck *d = deck_load(TEST_SOURCE_DIR "/slides/microneedling.yaml", &opts, &diags);
    diag_clear(&diags);
    CHECK(d != NULL);
    if (!d)
        return;
    SlideLayout *lay = malloc(sizeof *lay);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        for (size_t i = 0; i < d->slide_count; i++) {
            layout_slide(d, &d->slides[i], sizes[k].w, sizes[k].h, &fake, lay);
            CHECK(lay->count > 0);
            CHECK(!lay->truncated);
            if (lay->too_long) {
                fprintf(stderr, "%dx%d slide %zu too long\n", sizes[k].w, sizes[k].h, i + 1);
                check_failures++;
            }
            CHECK(lay->body_px >= lay->min_px);
            check_boxes(d, &d->slides[i], sizes[k].w, sizes[k].h, lay);
        }
    }
    free(lay);
    deck_free(d);
}

/* Larger text on the bundled deck, in every language and on every screen:
 * its preferred size at least 1.3x normal, nothing shrunk below the
 * readable size, nothing under the buttons, never smaller than normal
 * text. (The fixed advance here is wider than the real font: the 1.3x
 * after fitting is proved with the real fonts by test_fit, through
 * fit_check_deck(), which is what --check runs.) */
static void test_larger_text(void)
{
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR};
    Deck *d = deck_load(TEST_SOURCE_DIR "/slides/microneedling.yaml", &opts, &diags);
    diag_clear(&diags);
    CHECK(d != NULL && d->lang_count == 2);
    if (!d)
        return;
    SlideLayout *normal = malloc(sizeof *normal), *large = malloc(sizeof *large);
    for (size_t l = 0; l < d->lang_count; l++) {
        const Deck *n = deck_view(d, l, false), *g = deck_view(d, l, true);
        CHECK(g->is_large && g != n);
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            int w = sizes[k].w, h = sizes[k].h;
            for (size_t i = 0; i < d->slide_count; i++) {
                layout_slide(n, &n->slides[i], w, h, &fake, normal);
                layout_slide(g, &g->slides[i], w, h, &fake, large);
                CHECK(!large->truncated && !large->too_long);
                check_boxes(g, &g->slides[i], w, h, large);
                LayoutSizes zn = layout_sizes(n, w, h), zg = layout_sizes(g, w, h);
                CHECK(zg.body * 10 >= zn.body * 13);
                CHECK(zg.title <= zn.title + 1); /* titles keep their size */
                if (large->body_px < normal->body_px) {
                    fprintf(stderr, "%s %dx%d slide %zu: larger text %d px, normal %d px\n",
                            n->lang_code, w, h, i + 1, large->body_px, normal->body_px);
                    check_failures++;
                }
            }
        }
    }
    free(normal);
    free(large);
    deck_free(d);
}

static void test_sizes_scale_with_screen(void)
{
    LayoutSizes small = layout_sizes(NULL, 800, 480);
    LayoutSizes hd = layout_sizes(NULL, 1920, 1080);
    LayoutSizes portrait = layout_sizes(NULL, 1080, 1920);
    /* Readable from across a waiting room without glasses. */
    CHECK(small.body >= 24);
    CHECK(small.min_body >= 24);
    CHECK(hd.body >= 44);
    CHECK(hd.min_body >= 44);
    CHECK_INT(portrait.body, hd.body);
    CHECK(hd.title > hd.body);
    CHECK(hd.hero > hd.title);

    ChromeLayout c;
    layout_chrome(NULL, 800, 480, &c);
    /* Buttons at least ~9 mm (48 px on the Pi's 7" display) tall. */
    CHECK(c.back.h >= 48);
    CHECK(c.next.h >= 48);
    CHECK(c.signup.h >= 48);
    CHECK(!layout_rects_overlap(c.back, c.signup));
    CHECK(!layout_rects_overlap(c.signup, c.next));
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        layout_chrome(NULL, sizes[k].w, sizes[k].h, &c);
        LRect screen = {0, 0, sizes[k].w, sizes[k].h};
        CHECK(layout_rect_inside(c.back, screen));
        CHECK(layout_rect_inside(c.next, screen));
        CHECK(layout_rect_inside(c.signup, screen));
        CHECK(!layout_rects_overlap(c.back, c.next));
        CHECK(!layout_rects_overlap(c.back, c.signup));
        CHECK(!layout_rects_overlap(c.signup, c.next));
    }
}

static void test_wrap(void)
{
    /* At 20 px the fake font is 11 px a character: lines of 10. */
    size_t st[16], ln[16];
    const char *t = "one two three four";
    int n = layout_wrap(&fake, t, strlen(t), 20, false, 11 * 10, st, ln, 16);
    CHECK_INT(n, 2);
    CHECK_INT(ln[0], 7); /* "one two" */
    CHECK_INT(st[1], 8);
    CHECK_INT(ln[1], 10); /* "three four" */

    /* A word wider than the line is split between characters, never bytes. */
    const char *u = "ééééé";
    n = layout_wrap(&fake, u, strlen(u), 20, false, 11 * 2, st, ln, 16);
    CHECK_INT(n, 3);
    CHECK_INT(ln[0], 4);
    CHECK_INT(ln[2], 2);

    /* Leading, trailing and doubled spaces make no empty lines. */
    const char *v = "  a   b  ";
    n = layout_wrap(&fake, v, strlen(v), 20, false, 11 * 1, st, ln, 16);
    CHECK_INT(n, 2);
    CHECK_INT(ln[0], 1);
    CHECK_INT(ln[1], 1);

    CHECK_INT(layout_wrap(&fake, "", 0, 20, false, 100, st, ln, 16), 0);
}

static void test_shrinks_then_flags(void)
{
    /* A slide with far too much text: it shrinks below the readable minimum
     * (flagged for --check) but still fits: nothing clipped or overlapping. */
    char yaml[4096];
    char text[1700];
    size_t n = 0;
    while (n + 40 < sizeof text) {
        memcpy(text + n, "words that go on and on for a while ", 36);
        n += 36;
    }
    text[n] = '\0';
    snprintf(yaml, sizeof yaml, "slides:\n  - title: Long\n    text: %s\n", text);
    Deck *d = load(yaml);
    CHECK(d != NULL);
    if (!d)
        return;
    SlideLayout *lay = malloc(sizeof *lay);
    layout_slide(d, &d->slides[0], 800, 480, &fake, lay);
    CHECK(lay->too_long);
    CHECK(lay->body_px < lay->min_px);
    check_boxes(d, &d->slides[0], 800, 480, lay);

    /* A short slide keeps its preferred size. */
    deck_free(d);
    d = load("slides:\n  - title: Short\n    text: Just a few words.\n");
    layout_slide(d, &d->slides[0], 800, 480, &fake, lay);
    CHECK(!lay->too_long);
    CHECK_INT(lay->body_px, layout_sizes(d, 800, 480).body);
    free(lay);
    deck_free(d);
}

static void test_no_lone_word(void)
{
    /* Greedy wrapping would leave "word" alone on the last line. */
    Deck *d = load("slides:\n  - text: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii word\n");
    SlideLayout *lay = malloc(sizeof *lay);
    bool checked = false;
    for (int w = 600; w <= 1400; w += 40) {
        layout_slide(d, &d->slides[0], w, 480, &fake, lay);
        int lines = 0;
        const Box *last = NULL;
        for (int i = 0; i < lay->count; i++)
            if (lay->box[i].kind == BOX_TEXT) {
                lines++;
                last = &lay->box[i];
            }
        if (lines >= 2 && last) {
            checked = true;
            if (memchr(last->text, ' ', last->len) == NULL) {
                fprintf(stderr, "width %d: lone word '%.*s' on the last line\n", w, (int)last->len,
                        last->text);
                check_failures++;
            }
        }
    }
    CHECK(checked);
    free(lay);
    deck_free(d);
}

static void test_every_kind_has_its_parts(void)
{
    Deck *d = load("slides:\n"
                   "  - layout: title\n    title: Hello\n    subtitle: There\n"
                   "  - layout: bullets\n    title: B\n    items: [one, two, three]\n"
                   "  - layout: steps\n    title: S\n    items: [one, two]\n"
                   "  - layout: image\n    title: I\n    image: images/missing.svg\n"
                   "    caption: A caption\n"
                   "  - layout: signup\n    title: Book\n    text: Now\n    button: Go\n");
    CHECK(d != NULL);
    if (!d)
        return;
    SlideLayout *lay = malloc(sizeof *lay);
    int expect_kind[] = {-1, BOX_BULLET, BOX_BADGE, BOX_IMAGE, BOX_BUTTON};
    int expect_count[] = {0, 3, 2, 1, 1};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        for (size_t i = 0; i < d->slide_count; i++) {
            layout_slide(d, &d->slides[i], sizes[k].w, sizes[k].h, &fake, lay);
            check_boxes(d, &d->slides[i], sizes[k].w, sizes[k].h, lay);
            if (expect_kind[i] < 0)
                continue;
            int n = 0;
            for (int b = 0; b < lay->count; b++)
                n += lay->box[b].kind == (BoxKind)expect_kind[i];
            CHECK_INT(n, expect_count[i]);
        }
        /* The button the app hit-tests is the one drawn. */
        layout_slide(d, &d->slides[4], sizes[k].w, sizes[k].h, &fake, lay);
        LRect cta = layout_cta_button(d, sizes[k].w, sizes[k].h);
        bool found = false;
        for (int b = 0; b < lay->count; b++)
            if (lay->box[b].kind == BOX_BUTTON)
                found = memcmp(&lay->box[b].r, &cta, sizeof cta) == 0;
        CHECK(found);
    }
    /* A missing image is laid out as a placeholder (no path). */
    layout_slide(d, &d->slides[3], 1920, 1080, &fake, lay);
    for (int b = 0; b < lay->count; b++)
        if (lay->box[b].kind == BOX_IMAGE)
            CHECK(lay->box[b].image == NULL);
    free(lay);
    deck_free(d);
}

/* The one BOX_QR of a layout, or NULL (and a failure when there is more). */
static const Box *find_qr(const SlideLayout *lay)
{
    const Box *qr = NULL;
    for (int b = 0; b < lay->count; b++)
        if (lay->box[b].kind == BOX_QR) {
            CHECK(qr == NULL);
            qr = &lay->box[b];
        }
    return qr;
}

/* The code is a square of whole modules plus the quiet zone, at least
 * 4 px a module (5 where it fits), inside @p area. */
static void check_qr(const Deck *d, const Box *qr, LRect area, int w, int h)
{
    CHECK(qr != NULL);
    if (!qr)
        return;
    const int modules = d->booking_qr.size + 2 * QR_QUIET_MODULES;
    CHECK_INT(qr->r.w, qr->r.h);
    CHECK_INT(qr->r.w, qr->number * modules);
    if (qr->number < 4 || !layout_rect_inside(qr->r, area)) {
        fprintf(stderr, "%dx%d: code of %d px a module at %d,%d %dx%d, area %d,%d %dx%d\n", w, h,
                qr->number, qr->r.x, qr->r.y, qr->r.w, qr->r.h, area.x, area.y, area.w, area.h);
        check_failures++;
    }
}

/* signup.booking_url: the invitation slide shows the code (instead of its
 * picture) with its line and URL, clear of every other box and of the
 * navigation bar, at every size; the thank-you screen's panel too. */
static void test_booking_panel(void)
{
    Deck *d = load("signup:\n  booking_url: https://clinic.example/book/microneedling?from=kiosk\n"
                   "slides:\n  - layout: text\n    title: T\n    text: Words\n"
                   "  - layout: signup\n    title: Book a free skin assessment\n"
                   "    text: Meet one of our skincare professionals.\n    button: Sign up here\n"
                   "    image: tests/decks/dot.svg\n");
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_INT(d->booking_qr.size, 33);
    SlideLayout *lay = malloc(sizeof *lay);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        const int w = sizes[k].w, h = sizes[k].h;
        layout_slide(d, &d->slides[1], w, h, &fake, lay);
        check_boxes(d, &d->slides[1], w, h, lay);
        CHECK(!lay->too_long);
        check_qr(d, find_qr(lay), layout_content(d, w, h), w, h);
        ChromeLayout nav;
        layout_chrome(d, w, h, &nav);
        if (find_qr(lay))
            CHECK(!layout_rects_overlap(find_qr(lay)->r, (LRect){w / 2, 0, w - w / 2, nav.bar.h}));
        int texts = 0, images = 0;
        for (int b = 0; b < lay->count; b++) {
            texts += lay->box[b].kind == BOX_TEXT && lay->box[b].text >= d->booking_url &&
                     lay->box[b].text < d->booking_url + strlen(d->booking_url);
            images += lay->box[b].kind == BOX_IMAGE;
        }
        CHECK(texts >= 1);    /* the URL is printed */
        CHECK_INT(images, 0); /* in the picture's place */
        /* Other slides have no code. */
        layout_slide(d, &d->slides[0], w, h, &fake, lay);
        CHECK(find_qr(lay) == NULL);

        ThanksLayout tl;
        layout_thanks(d, w, h, &tl);
        CHECK(tl.booking.w > 0);
        CHECK(!layout_rects_overlap(tl.booking, tl.title));
        CHECK(!layout_rects_overlap(tl.booking, tl.text));
        CHECK(layout_rect_inside(tl.booking, layout_content(d, w, h)));
        lay->count = 0;
        lay->truncated = false;
        CHECK(layout_booking(d, tl.booking, 30, w < h ? w : h, &fake, lay));
        check_qr(d, find_qr(lay), tl.booking, w, h);
        /* Clear of the top-right corner, kept for screen-wide buttons. */
        ChromeLayout chrome;
        layout_chrome(d, w, h, &chrome);
        const LRect corner = {w / 2, 0, w - w / 2, chrome.bar.h};
        for (int b = 0; b < lay->count; b++) {
            CHECK(layout_rect_inside(lay->box[b].r, tl.booking));
            CHECK(!layout_rects_overlap(lay->box[b].r, corner));
        }
    }
    /* The 800x480 Pi display gets the 5 px modules the note promises. */
    layout_slide(d, &d->slides[1], 800, 480, &fake, lay);
    const Box *qr = find_qr(lay);
    CHECK(qr && qr->number >= LAYOUT_QR_GOOD_MODULE_PX);
    /* No room for even 3 px a module: no panel, nothing added. */
    lay->count = 0;
    CHECK(!layout_booking(d, (LRect){0, 0, 100, 100}, 20, 480, &fake, lay));
    CHECK_INT(lay->count, 0);
    deck_free(d);

    /* Without a link: the picture, no code, no panel on the thanks screen. */
    d = load("slides:\n  - layout: signup\n    title: Book\n    text: Now\n    button: Go\n"
             "    image: tests/decks/dot.svg\n");
    CHECK(d != NULL);
    if (d) {
        layout_slide(d, &d->slides[0], 800, 480, &fake, lay);
        CHECK(find_qr(lay) == NULL);
        ThanksLayout tl;
        layout_thanks(d, 800, 480, &tl);
        CHECK_INT(tl.booking.w, 0);
        lay->count = 0;
        CHECK(!layout_booking(d, (LRect){0, 0, 800, 480}, 20, 480, &fake, lay));
    }
    free(lay);
    deck_free(d);
}

/* Every label of @p d's choice buttons lies inside its button with the
 * padding every button has (a quarter of the height left and right), its
 * text measured no wider than that, the row at one legible size. */
static void check_choice_labels(const Deck *d, int w, int h)
{
    App *app = malloc(sizeof *app);
    FormLayout fl;
    app_init(app, d, w, h, 0);
    app_preview(app, APP_PREVIEW_FORM_EMPTY);
    app_form_layout(app, &fl);
    int rows = 0;
    for (size_t i = 0; i < d->field_count; i++) {
        const DeckField *f = &d->fields[i];
        if (f->type != FIELD_CHOICE)
            continue;
        rows++;
        const int n = (int)f->choice_count;
        const int px = layout_choices_px(&fake, f->choices, fl.choice[i], n, fl.value_px);
        if (px < 12) {
            fprintf(stderr, "%dx%d: field %s: choices at %d px\n", w, h, f->id, px);
            check_failures++;
        }
        for (int c = 0; c < n; c++) {
            const LRect b = fl.choice[i][c], in = layout_button_inner(b);
            CHECK(in.x - b.x >= b.h / 4 && (b.x + b.w) - (in.x + in.w) >= b.h / 4);
            CHECK(layout_rect_inside(in, b));
            ButtonLabel bl;
            layout_button_label(&fake, f->choices[c], px, true, b, &bl);
            CHECK(bl.lines >= 1 && bl.lines <= 2);
            for (int k = 0; k < bl.lines; k++) {
                int tw = 0;
                fake_measure(NULL, f->choices[c] + bl.start[k], bl.len[k], bl.px, true, &tw);
                if (!layout_rect_inside(bl.r[k], in) || tw > in.w) {
                    fprintf(stderr, "%dx%d: '%s' (%d px, %d wide) not inside %d,%d %dx%d\n", w, h,
                            f->choices[c], bl.px, tw, in.x, in.y, in.w, in.h);
                    check_failures++;
                }
            }
        }
    }
    CHECK(rows > 0);
    free(app);
}

static void test_choice_labels_padded(void)
{
    static const int at[][2] = {{800, 480}, {1280, 800}, {1920, 1080}, {1080, 1920}};
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR};
    Deck *bundled = deck_load(TEST_SOURCE_DIR "/slides/microneedling.yaml", &opts, &diags);
    diag_clear(&diags);
    /* Long words and long options a clinic may write. */
    Deck *wordy = load("signup:\n  fields:\n    - {id: name, label: Name}\n"
                       "    - {id: phone, label: Phone, type: phone}\n"
                       "    - id: time\n      label: Best time\n      type: choice\n"
                       "      choices: [Vormittags, Nachmittags, Abends]\n"
                       "    - id: how\n      label: How\n      type: choice\n"
                       "      choices: [By phone in the early afternoon, By email please]\n"
                       "slides:\n  - title: A\n");
    CHECK(bundled != NULL && wordy != NULL);
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
        if (bundled)
            check_choice_labels(bundled, at[k][0], at[k][1]);
        if (wordy)
            check_choice_labels(wordy, at[k][0], at[k][1]);
    }
    deck_free(bundled);
    deck_free(wordy);
}

int main(void)
{
    test_sizes_scale_with_screen();
    test_wrap();
    test_bundled_deck_fits_everywhere();
    test_larger_text();
    test_shrinks_then_flags();
    test_no_lone_word();
    test_every_kind_has_its_parts();
    test_booking_panel();
    test_choice_labels_padded();
    return check_report("test_layout");
}
