/* layout: slide + screen size + text metrics -> positioned boxes.
 *
 * Like suckless sent, text is fitted by measuring, not guessing: a slide is
 * laid out at its preferred size and, if it does not fit, again at smaller
 * sizes until it does. */
#include "layout.h"
#include "util.h"

#include <math.h>
#include <string.h>

static int short_side(int w, int h)
{
    return util_imin(w, h);
}

/* Landscape when clearly wider than tall; a square-ish screen stacks. */
static bool is_landscape(int w, int h)
{
    return w * 10 >= h * 11;
}

int layout_margin(int w, int h)
{
    return util_imax(8, (int)lround(short_side(w, h) * 0.045));
}

LayoutSizes layout_sizes(const Deck *deck, int w, int h)
{
    int s = short_side(w, h);
    int text_scale = deck ? deck->theme.text_scale : 100;
    int title_scale = deck ? deck->theme.title_scale : 100;
    LayoutSizes z;
    /* 6.5 % of the short side: 31 px on the 800x480 Pi display, 70 px on a
     * 1080p panel, readable from across a waiting room. The minimum, 5 %, is
     * 24 px and 54 px: below that a client without glasses struggles. */
    z.body = util_imax(12, (int)lround(s * 0.065 * text_scale / 100.0));
    z.min_body = util_imax(12, (int)lround(s * 0.05));
    z.title = util_imax(z.body, (int)lround(z.body * 1.45 * title_scale / 100.0));
    z.hero = util_imax(z.title, (int)lround(z.body * 2.1 * title_scale / 100.0));
    return z;
}

static int nav_height(int w, int h)
{
    /* 14 % of the short side keeps buttons >= 48 px (about 9 mm) tall on
     * the 800x480 Raspberry Pi display. */
    return util_imax(56, (int)lround(short_side(w, h) * 0.14));
}

void layout_chrome(const Deck *deck, int w, int h, ChromeLayout *out)
{
    int m = layout_margin(w, h);
    int nav = nav_height(w, h);
    int pad = util_imax(6, nav / 8);
    int bh = nav - 2 * pad;
    memset(out, 0, sizeof *out);
    out->bar = (LRect){0, h - nav, w, nav};
    out->progress = (LRect){0, h - nav, w, util_imax(4, nav / 14)};
    int by = h - nav + pad + out->progress.h / 2;
    bh -= out->progress.h / 2;
    /* Narrower Back/Next in portrait leave the sign-up button room for
     * its label at full size. */
    int bw = util_imax((int)lround(w * 0.17), is_landscape(w, h) ? bh * 2 : bh * 3 / 2);
    out->back = (LRect){m, by, bw, bh};
    out->next = (LRect){w - m - bw, by, bw, bh};
    if (!deck || deck->signup_on_every_slide) {
        int gap = m;
        int room = out->next.x - gap - (out->back.x + bw + gap);
        /* Portrait screens are narrow: give the button all the room. */
        int sw = is_landscape(w, h) ? util_imin(room, util_imax((int)lround(w * 0.34), bh * 3))
                                    : room;
        /* Centred between Back and Next: the thumb finds it without aiming. */
        out->signup = (LRect){(w - sw) / 2, by, sw, bh};
        if (sw < bh * 2)
            out->signup.w = 0;
    }
    out->label_px = util_imax(12, (int)lround(bh * 0.46));
}

size_t layout_lang_index(const Deck *deck)
{
    for (size_t i = 0; deck && i < deck->lang_count; i++)
        if (deck->langs[i] == deck || deck->langs[i]->large == deck)
            return i;
    return 0;
}

/* A view button: as tall as the navigation bar's (a finger's width at
 * least). A language button is wide enough for "Español" or "English" at
 * the bar's label size on the 800x480 screen (15 % of the width), the text
 * size toggle for "Larger text" or "Letra grande" (21 %): the people who
 * need that button most must be able to read it. */
#define VIEW_LANG_BUTTON_PERMILLE 150
#define VIEW_SIZE_BUTTON_PERMILLE 210

void layout_view_buttons(const Deck *deck, int w, int h, int right, int top, ViewButtons *out)
{
    ChromeLayout c;
    layout_chrome(deck, w, h, &c);
    memset(out, 0, sizeof *out);
    int bh = c.next.h;
    /* Of the long side: a portrait screen gives the buttons a row of
     * their own, as wide as the landscape one. */
    int side = util_imax(w, h);
    int bw = util_imax(bh * 2, (int)lround(side * VIEW_LANG_BUTTON_PERMILLE / 1000.0));
    int sw = util_imax(bh * 2, (int)lround(side * VIEW_SIZE_BUTTON_PERMILLE / 1000.0));
    int gap = util_imax(4, layout_margin(w, h) / 3);
    out->label_px = c.label_px;
    /* The toggle at the far right, where it always is; the languages to
     * its left, in the deck's order. */
    int x = right - sw;
    out->larger = (LRect){x, top, sw, bh};
    size_t cur = layout_lang_index(deck);
    for (size_t i = deck ? deck->lang_count : 0; i-- > 0;) {
        if (i == cur || i >= DECK_MAX_LANGUAGES)
            continue;
        x -= gap + bw;
        out->lang[i] = (LRect){x, top, bw, bh};
    }
    out->strip = (LRect){x, top, right - x, bh};
}

void layout_slide_view_buttons(const Deck *deck, int w, int h, ViewButtons *out)
{
    int m = layout_margin(w, h);
    /* Up in the margin a little: the title's first line stays beside it. */
    layout_view_buttons(deck, w, h, w - m, m / 2, out);
}

LRect layout_content(const Deck *deck, int w, int h)
{
    (void)deck;
    int m = layout_margin(w, h);
    int nav = nav_height(w, h);
    return (LRect){m, m, w - 2 * m, h - nav - m - m / 2};
}

/* Portrait: the picture's share of the body's height; the booking panel
 * (a line, the code and its URL) needs more than a picture. */
#define LAYOUT_IMAGE_SHARE 0.38
#define LAYOUT_BOOKING_SHARE 0.5

/* The text column of a slide with an image beside it (landscape), or the
 * whole width (portrait / no image). */
static void split_columns(LRect c, bool landscape, bool has_image, LRect *text, LRect *image,
                          int title_h, double portrait_share)
{
    LRect body = {c.x, c.y + title_h, c.w, c.h - title_h};
    if (!has_image) {
        *text = body;
        *image = (LRect){0, 0, 0, 0};
    } else if (landscape) {
        int gap = c.w / 20;
        int tw = (int)lround(c.w * 0.56);
        *text = (LRect){body.x, body.y, tw, body.h};
        *image = (LRect){body.x + tw + gap, body.y, c.w - tw - gap, body.h};
    } else {
        int ih = (int)lround(body.h * portrait_share);
        int gap = body.h / 30;
        *image = (LRect){body.x, body.y, body.w, ih};
        *text = (LRect){body.x, body.y + ih + gap, body.w, body.h - ih - gap};
    }
}

LRect layout_cta_button(const Deck *deck, int w, int h)
{
    LRect c = layout_content(deck, w, h);
    int bh = util_imax(56, (int)lround(short_side(w, h) * 0.16));
    bool landscape = is_landscape(w, h);
    int bw = landscape ? (int)lround(c.w * 0.56) : c.w;
    return (LRect){c.x, c.y + c.h - bh, bw, bh};
}

/* The booking panel's share of a portrait thank-you screen's content. */
#define LAYOUT_THANKS_BOOKING_PCT 45

void layout_thanks(const Deck *deck, int w, int h, ThanksLayout *out)
{
    LayoutSizes z = layout_sizes(deck, w, h);
    LRect c = layout_content(deck, w, h);
    int m = layout_margin(w, h), th = z.hero * 5 / 4;
    memset(out, 0, sizeof *out);
    LRect words = c; /* where the title and the message go */
    if (deck && deck->booking_url) {
        if (is_landscape(w, h)) {
            /* The same columns as the invitation slide: text, then code. */
            /* Below a band as tall as the navigation bar: the top-right
             * corner is kept for screen-wide buttons (language, text size). */
            int lw = (int)lround(c.w * 0.56), gap = c.w / 20, top = nav_height(w, h);
            words.w = lw;
            out->booking = (LRect){c.x + lw + gap, c.y + top, c.w - lw - gap, c.h - top};
        } else {
            int bh = c.h * LAYOUT_THANKS_BOOKING_PCT / 100;
            words.h = c.h - bh - m;
            out->booking = (LRect){c.x, c.y + c.h - bh, c.w, bh};
        }
    }
    out->title = (LRect){words.x, words.y + words.h / 6, words.w, th};
    int ty = out->title.y + th + m;
    int inset = out->booking.w > 0 && is_landscape(w, h) ? 0 : m;
    out->text = (LRect){words.x + inset, ty, words.w - 2 * inset, words.y + words.h - ty};
}

bool layout_rects_overlap(LRect a, LRect b)
{
    return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w &&
           a.y < b.y + b.h && b.y < a.y + a.h;
}

bool layout_rect_inside(LRect in, LRect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

bool layout_rect_contains(LRect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/* ---- wrapping --------------------------------------------------------- */

static int measure(const LayoutMetrics *m, const char *s, size_t len, int px, bool bold)
{
    int w = 0;
    if (len == 0 || m->measure(m->ctx, s, len, px, bold, &w) != 0)
        return 0;
    return w;
}

int layout_wrap(const LayoutMetrics *m, const char *text, size_t len, int px, bool bold, int max_w,
                size_t *starts, size_t *lens, int max_lines)
{
    int lines = 0;
    size_t i = 0;
    while (i < len && text[i] == ' ')
        i++;
    while (i < len) {
        size_t line_start = i, line_end = i; /* end of the last word that fits */
        size_t j = i;
        for (;;) {
            size_t word_end = j;
            while (word_end < len && text[word_end] != ' ')
                word_end++;
            if (measure(m, text + line_start, word_end - line_start, px, bold) <= max_w) {
                line_end = word_end;
                j = word_end;
                while (j < len && text[j] == ' ')
                    j++;
                if (j >= len)
                    break;
                continue;
            }
            if (line_end == line_start) {
                /* A single word wider than the line: break it between
                 * characters, so nothing is ever drawn past the edge. */
                size_t k = util_utf8_next(text, line_start, len);
                line_end = k;
                while (k < word_end) {
                    size_t n = util_utf8_next(text, k, len);
                    if (measure(m, text + line_start, n - line_start, px, bold) > max_w)
                        break;
                    line_end = k = n;
                }
                j = line_end;
            }
            break;
        }
        if (lines < max_lines) {
            starts[lines] = line_start;
            lens[lines] = line_end - line_start;
        }
        lines++;
        i = j;
        while (i < len && text[i] == ' ')
            i++;
    }
    return lines;
}

/* ---- flowing text into boxes ----------------------------------------- */

typedef struct {
    const LayoutMetrics *m;
    SlideLayout *out;
    bool broke_word; /* a word had to be split: try a smaller size first */
} Flow;

static Box *push_box(Flow *f, BoxKind kind, LRect r)
{
    if (f->out->count >= LAYOUT_MAX_BOXES) {
        f->out->truncated = true;
        return NULL;
    }
    Box *b = &f->out->box[f->out->count++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->r = r;
    return b;
}

static int line_height(int px, bool title)
{
    return (int)lround(px * (title ? 1.18 : 1.32));
}

enum { MAX_LINES = 64 };

static bool single_word(const char *s, size_t len)
{
    return memchr(s, ' ', len) == NULL;
}

static bool splits_a_word(const char *text, size_t len, const size_t *starts, const size_t *lens,
                          int n)
{
    for (int i = 0; i + 1 < n && i < MAX_LINES; i++) {
        size_t end = starts[i] + lens[i];
        if (end < len && text[end] != ' ')
            return true;
    }
    return false;
}

/* Wraps one paragraph, avoiding a lone word on the last line by trying a
 * slightly narrower measure when that keeps the same number of lines. */
static int wrap_balanced(const LayoutMetrics *m, const char *text, size_t len, int px, bool bold,
                         int max_w, size_t *starts, size_t *lens)
{
    int n = layout_wrap(m, text, len, px, bold, max_w, starts, lens, MAX_LINES);
    if (n < 2 || n > MAX_LINES || !single_word(text + starts[n - 1], lens[n - 1]))
        return n;
    size_t s2[MAX_LINES], l2[MAX_LINES];
    for (int pct = 95; pct >= 70; pct -= 5) {
        int k = layout_wrap(m, text, len, px, bold, max_w * pct / 100, s2, l2, MAX_LINES);
        if (k != n || splits_a_word(text, len, s2, l2, k))
            break;
        if (!single_word(text + s2[k - 1], l2[k - 1])) {
            memcpy(starts, s2, sizeof(size_t) * (size_t)k);
            memcpy(lens, l2, sizeof(size_t) * (size_t)k);
            return k;
        }
    }
    return n;
}

/* Flows text (paragraphs split at '\n') into the column from y; returns the
 * y after the last line. */
static int flow_text(Flow *f, const char *text, int x, int y, int w, int px, bool bold, bool title,
                     BoxInk ink)
{
    if (!text)
        return y;
    int lh = line_height(px, title);
    const char *p = text;
    bool first = true;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > 0) {
            if (!first)
                y += lh / 3; /* paragraph spacing */
            size_t starts[MAX_LINES], lens[MAX_LINES];
            int n = wrap_balanced(f->m, p, len, px, bold, w, starts, lens);
            if (splits_a_word(p, len, starts, lens, n))
                f->broke_word = true;
            for (int i = 0; i < n; i++) {
                if (i < MAX_LINES) {
                    Box *b = push_box(f, BOX_TEXT, (LRect){x, y, w, lh});
                    if (b) {
                        b->text = p + starts[i];
                        b->len = lens[i];
                        b->px = px;
                        b->bold = bold;
                        b->ink = ink;
                        b->r.w = util_imin(w, measure(f->m, b->text, b->len, px, bold) + 1);
                    }
                } else {
                    f->out->truncated = true;
                }
                y += lh;
            }
            first = false;
        }
        p += len;
        if (*p == '\n')
            p++;
    }
    return y;
}

static int flow_items(Flow *f, const Slide *s, int x, int y, int w, int px, int columns)
{
    bool steps = s->kind == SLIDE_STEPS;
    int lh = line_height(px, false);
    int marker = steps ? (int)lround(px * 1.45) : util_imax(6, px * 2 / 5);
    int indent = steps ? marker + px * 3 / 4 : px + px / 4;
    /* Two columns (larger text on a wide screen): the first half of the
     * items down the left, the rest down the right, read in order. */
    size_t per_col = columns > 1 ? (s->item_count + 1) / 2 : s->item_count;
    int col_gap = px, top0 = y, bottom = y;
    if (columns > 1)
        w = (w - col_gap) / 2;
    for (size_t i = 0; i < s->item_count; i++) {
        if (i == per_col) {
            bottom = y;
            y = top0;
            x += w + col_gap;
        } else if (i > 0) {
            y += steps ? lh / 3 : lh / 4;
        }
        int top = y;
        y = flow_text(f, s->items[i], x + indent, y, w - indent, px, false, false, INK_TEXT);
        int first_line_mid = top + lh / 2;
        if (steps) {
            Box *b = push_box(f, BOX_BADGE,
                              (LRect){x, first_line_mid - marker / 2, marker, marker});
            if (b) {
                b->number = (int)i + 1;
                b->px = px;
                b->ink = INK_ACCENT;
            }
            /* A badge is taller than one line: keep the next item clear. */
            y = util_imax(y, first_line_mid + marker / 2);
        } else {
            Box *b = push_box(f, BOX_BULLET,
                              (LRect){x + marker / 4, first_line_mid - marker / 2, marker, marker});
            if (b)
                b->ink = INK_ACCENT;
        }
    }
    return util_imax(y, bottom);
}

static int widest_word(const LayoutMetrics *m, const char *text, int px, bool bold)
{
    int widest = 0;
    for (const char *p = text; p && *p;) {
        size_t n = strcspn(p, " \n");
        int w = measure(m, p, n, px, bold);
        widest = w > widest ? w : widest;
        p += n;
        p += strspn(p, " \n");
    }
    return widest;
}

static void shift_boxes(SlideLayout *out, int from, int dy)
{
    for (int i = from; i < out->count; i++)
        out->box[i].r.y += dy;
}

LRect layout_button_inner(LRect b)
{
    int px = b.h / 4, py = b.h / 10;
    return (LRect){b.x + px, b.y + py, util_imax(0, b.w - 2 * px), util_imax(0, b.h - 2 * py)};
}

/* Centres lines [0, n) of out (their widths set) in the box. */
static void centre_label(const LayoutMetrics *m, const char *text, bool bold, LRect in,
                         ButtonLabel *out)
{
    int lh = line_height(out->px, true);
    int top = in.y + (in.h - out->lines * lh) / 2;
    for (int i = 0; i < out->lines; i++) {
        int w = util_imin(in.w, measure(m, text + out->start[i], out->len[i], out->px, bold));
        out->r[i] = (LRect){in.x + (in.w - w) / 2, top + i * lh, w, lh};
    }
}

/* The largest size up to px at which text wraps into at most two lines
 * of in.w that fit in.h, without splitting a word; 0 if none does. A
 * label's line is 1.18 px high (line_height), so two need 2.36 px. */
static int two_line_px(const LayoutMetrics *m, const char *text, size_t len, int px, bool bold,
                       LRect in, size_t *st, size_t *ln)
{
    for (int p = util_imin(px, in.h * 100 / 236); p >= LAYOUT_LABEL_FLOOR_PX; p--)
        if (layout_wrap(m, text, len, p, bold, in.w, st, ln, 2) <= 2 &&
            !splits_a_word(text, len, st, ln, 2))
            return p;
    return 0;
}

void layout_button_label(const LayoutMetrics *m, const char *text, int px, bool bold, LRect button,
                         ButtonLabel *out)
{
    memset(out, 0, sizeof *out);
    LRect in = layout_button_inner(button);
    size_t len = text ? strlen(text) : 0;
    if (len == 0 || in.w <= 0 || in.h <= 0)
        return;
    /* The largest size up to px at which it fits on one line. */
    int p1 = util_imax(1, util_imin(px, in.h * 100 / 118));
    while (p1 > LAYOUT_LABEL_FLOOR_PX && measure(m, text, len, p1, bold) > in.w)
        p1--;
    out->px = p1;
    out->lines = 1;
    out->len[0] = len;
    /* Shrunk past LAYOUT_LABEL_MIN_PCT: two lines, if they are larger. */
    size_t st[2] = {0, 0}, ln[2] = {len, 0};
    int p2 = p1 * 100 < px * LAYOUT_LABEL_MIN_PCT && memchr(text, ' ', len)
                 ? two_line_px(m, text, len, px, bold, in, st, ln)
                 : 0;
    if (p2 > p1) {
        out->px = p2;
        out->lines = layout_wrap(m, text, len, p2, bold, in.w, st, ln, 2);
        for (int i = 0; i < out->lines && i < 2; i++) {
            out->start[i] = st[i];
            out->len[i] = ln[i];
        }
    }
    centre_label(m, text, bold, in, out);
}

int layout_choices_px(const LayoutMetrics *m, const char *const *labels, const LRect *buttons,
                      int n, int px)
{
    int best = px;
    for (int i = 0; i < n; i++) {
        ButtonLabel bl;
        layout_button_label(m, labels[i], px, true, buttons[i], &bl);
        if (bl.lines > 0 && bl.px < best)
            best = bl.px;
    }
    return best;
}

/* The smallest text the booking panel's line and URL give way to: 2.8 %
 * of the short side (14 px at 800x480, 30 px at 1080p), never below 14. */
#define LAYOUT_BOOKING_MIN_TEXT_PX 14
#define LAYOUT_BOOKING_MIN_TEXT_PERMILLE 28

/* Where a URL may wrap: after these, as browsers' address bars do. */
static bool url_break_after(char c)
{
    return c && strchr("/?&=.-_#", c) != NULL;
}

/* Flows a URL (no spaces) into lines of at most w pixels, breaking after a
 * '/', '?', '&' ... when one is in the second half of the line, else
 * between any two characters. Returns the y after the last line. */
static int flow_url(Flow *f, const char *url, int x, int y, int w, int px, BoxInk ink)
{
    const int lh = line_height(px, false);
    const size_t len = strlen(url);
    for (size_t at = 0; at < len;) {
        size_t end = util_utf8_next(url, at, len); /* at least one character */
        for (size_t e = end; e < len;) {
            size_t next = util_utf8_next(url, e, len);
            if (measure(f->m, url + at, next - at, px, false) > w)
                break;
            end = e = next;
        }
        if (end < len)
            for (size_t k = end; k > at + (end - at) / 2; k--)
                if (url_break_after(url[k - 1])) {
                    end = k;
                    break;
                }
        Box *b = push_box(f, BOX_TEXT, (LRect){x, y, w, lh});
        if (b) {
            b->text = url + at;
            b->len = end - at;
            b->px = px;
            b->ink = ink;
            b->r.w = util_imin(w, measure(f->m, b->text, b->len, px, false) + 1);
        }
        y += lh;
        at = end;
    }
    return y;
}

/* Moves boxes [from, to) down by dy and centres each in the column x..x+w. */
static void place_lines(SlideLayout *out, int from, int to, int dy, int x, int w)
{
    for (int i = from; i < to && i < out->count; i++) {
        out->box[i].r.y += dy;
        out->box[i].r.x = x + (w - out->box[i].r.w) / 2;
    }
}

/* One try at the booking panel: its line at tpx and its URL a little
 * smaller, flowed at y = 0 and placed later, and the module size the code
 * gets in the height they leave. */
typedef struct {
    int tpx, gap;
    int prompt_h, url_h; /* heights of the two texts */
    int url_box;         /* index of the URL's first box */
    int mpx;             /* pixels per module; 0 when there is no room */
} BookingTry;

static BookingTry booking_try(Flow *f, const Deck *d, LRect area, int tpx, int max_side)
{
    BookingTry t = {.tpx = tpx, .gap = tpx / 3};
    int upx = util_imax(LAYOUT_BOOKING_MIN_TEXT_PX, tpx * 4 / 5);
    t.prompt_h = flow_text(f, d->texts.booking_prompt, area.x, 0, area.w, tpx, true, false,
                           INK_TEXT);
    t.url_box = f->out->count;
    t.url_h = flow_url(f, d->booking_url, area.x, 0, area.w, upx, INK_MUTED);
    int side = util_imin(util_imin(area.w, max_side), area.h - t.prompt_h - t.url_h - 2 * t.gap);
    t.mpx = util_imax(0, side / (d->booking_qr.size + 2 * QR_QUIET_MODULES));
    return t;
}

bool layout_booking(const Deck *d, LRect area, int px, int short_side, const LayoutMetrics *m,
                    SlideLayout *out)
{
    if (!d || !d->booking_url || d->booking_qr.size <= 0 || !out)
        return false;
    Flow f = {m, out, false};
    const int start = out->count, max_side = short_side * LAYOUT_QR_MAX_SIDE_PCT / 100;
    const bool was_truncated = out->truncated;
    const int modules = d->booking_qr.size + 2 * QR_QUIET_MODULES;
    /* The code as large as the screen allows it, but at least "good". */
    const int want = util_imax(LAYOUT_QR_GOOD_MODULE_PX, max_side / modules);
    const int floor_px = util_imax(LAYOUT_BOOKING_MIN_TEXT_PX,
                                   short_side * LAYOUT_BOOKING_MIN_TEXT_PERMILLE / 1000);
    /* The most the code can get, with the text at its smallest. */
    BookingTry t = booking_try(&f, d, area, floor_px, max_side);
    const int target = util_imin(want, t.mpx);
    /* The line is secondary to the slide's text: three quarters of it; it
     * gives way in 10 % steps until the code is as large as it can be. */
    int tpx = util_imax(floor_px, px * 3 / 4);
    for (;;) {
        out->count = start;
        t = booking_try(&f, d, area, tpx, max_side);
        if (t.mpx >= target || tpx <= floor_px)
            break;
        tpx = util_imax(floor_px, tpx * 9 / 10);
    }
    if (t.mpx < LAYOUT_QR_MIN_MODULE_PX || out->truncated) {
        out->count = start;
        out->truncated = was_truncated;
        return false;
    }
    const int side = t.mpx * (d->booking_qr.size + 2 * QR_QUIET_MODULES);
    const int used = t.prompt_h + t.gap + side + t.gap + t.url_h;
    const int top = area.y + (area.h - used) / 2;
    const int url_end = out->count;
    place_lines(out, start, t.url_box, top, area.x, area.w);
    place_lines(out, t.url_box, url_end, top + t.prompt_h + t.gap + side + t.gap, area.x, area.w);
    Box *b = push_box(&f, BOX_QR,
                      (LRect){area.x + (area.w - side) / 2, top + t.prompt_h + t.gap, side, side});
    if (!b) {
        out->count = start;
        out->truncated = was_truncated;
        return false;
    }
    b->number = t.mpx;
    return true;
}

static void push_image(Flow *f, const Slide *s, LRect r)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    Box *b = push_box(f, BOX_IMAGE, r);
    if (b)
        b->image = s->image_missing ? NULL : s->image;
}

/* One attempt at laying out a slide at one scale. */
typedef struct {
    const Deck *deck;
    const Slide *s;
    int w, h;
    int body, title, hero; /* text sizes at this scale */
    LRect c;               /* the content area */
    bool landscape;
    bool image; /* the picture is shown (larger text may drop it) */
    Flow f;
} Attempt;

/* Everything placed, nothing cut, and no word split unless allowed. */
static bool attempt_ok(const Attempt *a, bool allow_split)
{
    return !a->f.out->truncated && (allow_split || !a->f.broke_word);
}

/* A title slide: the big title (and subtitle, text) centred beside the
 * picture. */
static bool layout_title_slide(Attempt *a, bool allow_split)
{
    const Slide *s = a->s;
    SlideLayout *out = a->f.out;
    const LayoutMetrics *m = a->f.m;
    LRect text, img;
    split_columns(a->c, a->landscape, a->image, &text, &img, 0, LAYOUT_IMAGE_SHARE);
    push_image(&a->f, s, img);
    /* The big title gives way first, down to a normal title's size, so
     * that one long word does not shrink the whole slide. */
    int hero = a->hero;
    while (hero > a->title && widest_word(m, s->title, hero, true) > text.w)
        hero = hero * 24 / 25;
    int start = out->count, body = a->body;
    int y = flow_text(&a->f, s->title, text.x, text.y, text.w, hero, true, true, INK_TEXT);
    if (s->subtitle)
        y = flow_text(&a->f, s->subtitle, text.x, y + body / 2, text.w, (int)lround(body * 1.1),
                      false, false, INK_MUTED);
    if (s->text)
        y = flow_text(&a->f, s->text, text.x, y + body / 2, text.w, body, false, false, INK_TEXT);
    int used = y - text.y;
    if (used > text.h)
        return false;
    shift_boxes(out, start, (text.h - used) / 2);
    return attempt_ok(a, allow_split);
}

/* An image slide: the picture fills the space under the title, its
 * caption at the bottom. */
static bool layout_image_slide(Attempt *a, LRect text, bool allow_split)
{
    const Slide *s = a->s;
    LRect c = a->c;
    int cap_start = a->f.out->count;
    int cap_h = flow_text(&a->f, s->caption ? s->caption : s->text, c.x, 0, c.w, a->body, false,
                          false, INK_MUTED);
    if (cap_h + a->body > text.h)
        return false;
    shift_boxes(a->f.out, cap_start, c.y + c.h - cap_h);
    push_image(&a->f, s, (LRect){c.x, text.y, c.w, text.h - cap_h - a->body / 2});
    return attempt_ok(a, allow_split);
}

/* The sign-up slide's button, its label shrunk to fit inside its padding. */
static void push_cta_button(Attempt *a, LRect cta)
{
    const char *label = a->s->button;
    Box *b = push_box(&a->f, BOX_BUTTON, cta);
    if (b)
        b->ink = INK_ACCENT;
    int lpx = a->body;
    int pad = cta.h / 4;
    while (lpx > 10 && measure(a->f.m, label, strlen(label), lpx, true) > cta.w - 2 * pad)
        lpx--;
    int lw = measure(a->f.m, label, strlen(label), lpx, true);
    int lh = line_height(lpx, true);
    b = push_box(&a->f, BOX_TEXT,
                 (LRect){cta.x + (cta.w - lw) / 2, cta.y + (cta.h - lh) / 2, lw + 1, lh});
    if (b) {
        b->text = label;
        b->len = strlen(label);
        b->px = lpx;
        b->bold = true;
        b->ink = INK_ACCENT_TEXT;
    }
}

/* Text, bullets, steps and the sign-up slide: the body beside the picture,
 * under the title. */
static bool layout_body_slide(Attempt *a, LRect text, LRect img, bool allow_split)
{
    const Slide *s = a->s;
    int body = a->body;
    /* The invitation shows the booking code where its picture would be. */
    bool booking = s->kind == SLIDE_SIGNUP &&
                   layout_booking(a->deck, img, body, util_imin(a->w, a->h), a->f.m, a->f.out);
    if (!booking && s->image)
        push_image(&a->f, s, img);
    LRect cta = {0, 0, 0, 0};
    int bottom = text.y + text.h;
    if (s->kind == SLIDE_SIGNUP) {
        cta = layout_cta_button(a->deck, a->w, a->h);
        bottom = cta.y - body / 2;
    }
    int start = a->f.out->count;
    int by = text.y;
    if (s->text)
        by = flow_text(&a->f, s->text, text.x, by, text.w, body, false, false, INK_TEXT);
    if (s->item_count && (s->kind == SLIDE_BULLETS || s->kind == SLIDE_STEPS)) {
        /* Larger text on a wide screen without a picture: a long list
         * takes two columns rather than shrinking back to normal size. */
        int columns = a->deck && a->deck->is_large && a->landscape && img.w == 0 &&
                              s->item_count >= 4
                          ? 2
                          : 1;
        by = flow_items(&a->f, s, text.x, s->text ? by + body / 2 : by, text.w, body, columns);
    }
    if (by > bottom)
        return false;
    /* Centre the body in the space it has, so short slides do not cling to
     * the title. */
    if (s->kind != SLIDE_SIGNUP)
        shift_boxes(a->f.out, start, (bottom - by) / 3);
    if (s->kind == SLIDE_SIGNUP && s->button)
        push_cta_button(a, cta);
    return attempt_ok(a, allow_split);
}

/* One attempt at a given scale; returns true if everything fits (without
 * splitting a word unless allow_split). */
static bool layout_at(const Deck *deck, const Slide *s, int w, int h, const LayoutMetrics *m,
                      double scale, SlideLayout *out, bool allow_split, bool image)
{
    LayoutSizes z = layout_sizes(deck, w, h);
    Attempt a = {.deck = deck,
                 .s = s,
                 .w = w,
                 .h = h,
                 .body = util_imax(8, (int)lround(z.body * scale)),
                 .title = util_imax(8, (int)lround(z.title * scale)),
                 .hero = util_imax(8, (int)lround(z.hero * scale)),
                 .c = layout_content(deck, w, h),
                 .landscape = is_landscape(w, h),
                 .image = image && s->image != NULL,
                 .f = {m, out, false}};
    out->count = 0;
    out->truncated = false;
    out->body_px = a.body;
    out->min_px = z.min_body;
    /* The view buttons sit top-right: the title's row ends before them, and
     * what would run under them (a title slide's picture, a slide without
     * a title) starts below them. */
    ViewButtons vb;
    layout_slide_view_buttons(deck, w, h, &vb);
    int gap = layout_margin(w, h);
    int below = vb.strip.y + vb.strip.h + gap - a.c.y;
    /* A portrait screen has height to spare and no width: the buttons get
     * a row of their own. */
    if (s->kind == SLIDE_TITLE || !a.landscape) {
        a.c.y += below;
        a.c.h -= below;
        below = 0;
    }
    if (s->kind == SLIDE_TITLE)
        return layout_title_slide(&a, allow_split);

    /* Title across the top, then the body below. */
    int y = a.c.y;
    if (s->title)
        y = flow_text(&a.f, s->title, a.c.x, y, a.landscape ? vb.strip.x - gap - a.c.x : a.c.w,
                      a.title, true, true, INK_TEXT) +
            a.body / 2;
    y = util_imax(y, a.c.y + below);
    LRect text, img;
    bool booking = s->kind == SLIDE_SIGNUP && deck && deck->booking_url;
    split_columns(a.c, a.landscape, (a.image || booking) && s->kind != SLIDE_IMAGE, &text, &img,
                  y - a.c.y, booking ? LAYOUT_BOOKING_SHARE : LAYOUT_IMAGE_SHARE);
    /* Beside a title that wraps, the booking code's column starts right
     * under the view buttons: on 800x480 those lines are what the code
     * needs for whole 5 px modules. */
    if (booking && a.landscape && img.h > 0 && a.c.y + below < img.y) {
        img.h += img.y - (a.c.y + below);
        img.y = a.c.y + below;
    }
    if (text.h <= 0)
        return false;
    if (s->kind == SLIDE_IMAGE)
        return layout_image_slide(&a, text, allow_split);
    return layout_body_slide(&a, text, img, allow_split);
}

void layout_slide(const Deck *deck, const Slide *s, int w, int h, const LayoutMetrics *m,
                  SlideLayout *out)
{
    LayoutSizes z = layout_sizes(deck, w, h);
    out->too_long = false;
    /* Larger text keeps a picture beside the text only when the text fits
     * at its full size with it: the words are what the client asked to
     * read, the picture only illustrates them. */
    bool image = !deck || !deck->is_large || s->kind == SLIDE_IMAGE ||
                 layout_at(deck, s, w, h, m, 1.0, out, false, true);
    /* From the preferred size down in 4 % steps; below the readable minimum
     * the slide is flagged (--check reports it) but still shrinks, because
     * clipped or overlapping text would be worse on a client's screen. */
    for (int pass = 0; pass < 2; pass++) {
        /* First without splitting words; only a word too long for the
         * screen even at the smallest size gets split. */
        /* 20 steps: the sizes the tests and --check expect come from
         * exactly these scales, rounding included. */
        /* NOLINTNEXTLINE(cert-flp30-c,clang-analyzer-security.FloatLoopCounter) */
        for (double scale = 1.0; scale > 0.2; scale -= 0.04) {
            if (layout_at(deck, s, w, h, m, scale, out, pass == 1, image)) {
                out->too_long = out->body_px < z.min_body;
                return;
            }
        }
    }
    out->too_long = true;
}
