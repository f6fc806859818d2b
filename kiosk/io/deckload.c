/* deckload: loads a slide deck from YAML into plain structs.
 *
 * ytree reads the file into a tree of marked nodes with the limits below;
 * this file walks it against the deck's schema, filling the Deck and
 * reporting every problem it finds rather than stopping at the first. */
#include "deckload.h"

#include "ytree.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A deck for ytree: the limits in deck.h; the format nests five deep (the
 * root, signup:, fields:, a field, its choices:). */
static const YFormat deck_format = {.what = "deck",
                                    .root_hint = "a mapping with a 'slides:' list",
                                    .text_hint = ": split it over two slides",
                                    .max_depth = DECK_MAX_DEPTH,
                                    .depth_needed = 5,
                                    .max_nodes = DECK_MAX_NODES,
                                    .max_text = DECK_MAX_TEXT_BYTES};

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = (char)tolower((unsigned char)ch);
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

static void get_color(YCtx *c, const YNode *map, const char *key, DeckColor *out)
{
    const YNode *v = yt_get(map, key);
    if (!v)
        return;
    if (yt_is_null(v)) {
        /* "background: #F7F3EE" without quotes is a key with a comment: the
         * colour would be dropped without a word. */
        if (v->len == 0)
            yt_err(c, yt_key(map, key),
                   "'%s' has no colour (expected a colour like "
                   "\"#1F5F5B\" in quotes: without them '#' starts a "
                   "comment)",
                   key);
        return;
    }
    if (v->type == YN_SCALAR && v->str[0] == '#' && (v->len == 7 || v->len == 4)) {
        int digits[6] = {0};
        bool ok = true;
        for (size_t i = 1; i < v->len; i++)
            ok = ok && (digits[i - 1] = hexval(v->str[i])) >= 0;
        if (ok) {
            if (v->len == 7) {
                out->r = (uint8_t)(digits[0] * 16 + digits[1]);
                out->g = (uint8_t)(digits[2] * 16 + digits[3]);
                out->b = (uint8_t)(digits[4] * 16 + digits[5]);
            } else {
                out->r = (uint8_t)(digits[0] * 17);
                out->g = (uint8_t)(digits[1] * 17);
                out->b = (uint8_t)(digits[2] * 17);
            }
            return;
        }
    }
    yt_err(c, v, "'%s' is %s%s%s (expected a colour like \"#1F5F5B\", in quotes)", key,
           v->type == YN_SCALAR ? "'" : yt_describe(v), v->type == YN_SCALAR ? v->str : "",
           v->type == YN_SCALAR ? "'" : "");
}

static bool file_readable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

/* Whether real, a resolved path, is dir or below it (dir resolved too:
 * symbolic links and ".." followed, so "../../etc/x" and a link pointing
 * out both count as outside). */
static bool path_inside(const char *real, const char *dir)
{
    char root[PATH_MAX];
    if (!dir || !realpath(dir, root))
        return false;
    size_t n = strlen(root);
    if (n == 1)
        return true; /* the deck sits in "/" */
    return strncmp(real, root, n) == 0 && real[n] == '/';
}

/* A file the deck uses (an image, a font), which must exist now: looked up
 * next to the deck, then in the data directory. A missing one is a soft
 * error (*missing set): the kiosk draws a placeholder or keeps the bundled
 * font. Returns the path found, or the value as written when missing.
 * With confine (images), the file must also lie in the deck's folder or
 * below, or in the data directory (the bundled images/): a deck names
 * pictures, not whatever else the kiosk's user may read. The path returned
 * is then the resolved one, so what is later opened is what was checked.
 * Compare settings.c's get_absolute_path(), for paths that may not exist
 * yet. */
static const char *get_existing_file(YCtx *c, const YNode *map, const char *key, const char *what,
                                     bool confine, bool *missing)
{
    const char *rel = yt_text(c, map, key, false, "");
    if (!rel)
        return NULL;
    const YNode *v = yt_get(map, key);
    char buf[4096];
    const char *found = NULL;
    if (rel[0] == '/') {
        if (file_readable(rel))
            found = rel;
    } else {
        snprintf(buf, sizeof buf, "%s/%s", c->dir, rel);
        if (file_readable(buf))
            found = buf;
        if (!found && c->data_dir) {
            snprintf(buf, sizeof buf, "%s/%s", c->data_dir, rel);
            if (file_readable(buf))
                found = buf;
        }
    }
    if (found == rel && !confine)
        return rel;
    if (found && !confine)
        return arena_strdup(c->arena, buf);
    char real[PATH_MAX];
    if (found && realpath(found, real)) {
        if (path_inside(real, c->dir) || path_inside(real, c->data_dir))
            return arena_strdup(c->arena, real);
        if (missing)
            *missing = true;
        yt_err_soft(
            c, v, "%s '%s' is outside the deck's folder (expected a file in %s or below%s%s)", what,
            rel, c->dir, c->data_dir ? ", or in " : "", c->data_dir ? c->data_dir : "");
        return rel;
    }
    if (missing)
        *missing = true;
    if (rel[0] == '/' || !c->data_dir)
        yt_err_soft(c, v, "%s '%s' not found (expected a readable file%s%s)", what, rel,
                    rel[0] == '/' ? "" : " next to the deck in ", rel[0] == '/' ? "" : c->dir);
    else
        yt_err_soft(c, v, "%s '%s' not found (expected a readable file in %s or %s)", what, rel,
                    c->dir, c->data_dir);
    return rel;
}

/* ---- defaults --------------------------------------------------------- */

static DeckColor rgb(unsigned hex)
{
    DeckColor col = {(uint8_t)(hex >> 16), (uint8_t)(hex >> 8), (uint8_t)hex};
    return col;
}

/* Defaults are English; every one can be replaced from the deck. */
static void set_defaults(Deck *d)
{
    d->theme.background = rgb(0xF7F3EE);
    d->theme.text = rgb(0x2B2A28);
    d->theme.accent = rgb(0x1F5F5B);
    d->theme.accent_text = rgb(0xFFFFFF);
    d->theme.muted = rgb(0x5E5A55);
    d->theme.surface = rgb(0xFFFFFF);
    d->theme.error = rgb(0xA3261B);
    d->theme.text_scale = 100;
    d->theme.title_scale = 100;
    d->timing.transition = TRANSITION_FADE;
    d->timing.transition_ms = 300;
    d->timing.inactivity_ms = 60000;
    d->timing.form_inactivity_ms = 45000;
    d->timing.thanks_ms = 8000;
    d->signup_on_every_slide = true;
    DeckTexts *t = &d->texts;
    t->next = "Next";
    t->back = "Back";
    t->signup_button = "Sign up";
    t->start_over = "Start";
    t->form_heading = "Book a free skin assessment";
    t->form_intro = "Leave your details and we will contact you.";
    t->submit = "Send";
    t->cancel = "Back";
    t->consent = "I agree to be contacted about my free skin assessment.";
    t->consent_version = "1";
    t->thanks_title = "Thank you!";
    t->thanks_text = "We will be in touch soon.";
    t->saved_later_text = "Thank you! Please also tell the front desk, so we can be sure "
                          "to reach you.";
    t->err_required = "Please fill this in.";
    t->err_email = "Please check this email address.";
    t->err_phone = "Digits only, please (+ is fine).";
    t->err_phone_short = "This number is too short. Please check it.";
    t->err_phone_long = "This number is too long. Please check it.";
    t->err_contact = "Please give a phone or an email.";
    t->err_consent = "Please tick the box to continue.";
    t->optional = "optional";
    t->booking_prompt = "Prefer your phone? Scan to book";
    t->key_space = "space";
    t->staff_title = "Staff";
    t->pin_prompt = "Enter the staff PIN";
    t->pin_wrong = "Wrong PIN. Try again.";
    t->pin_locked = "Too many tries. Wait {s} seconds.";
    t->staff_export = "Export to USB";
    t->staff_restart = "Restart slides";
    t->staff_exit = "Exit kiosk";
    t->staff_close = "Close";
    t->staff_erase = "Erase from kiosk";
    t->staff_erase_yes = "Yes, erase";
    t->staff_cancel = "Cancel";
    t->larger_text = "Larger text";
    t->normal_text = "Normal text";
    d->lang_code = "en";
    d->lang_name = "English";
}

/* Only https: the link opens on a client's own phone. */
#define BOOKING_SCHEME "https://"

static const char *const default_times[] = {"Morning", "Afternoon", "Evening"};

static void set_default_fields(Deck *d, Arena *a)
{
    static const struct {
        const char *id, *label;
        DeckFieldType type;
        bool required, contact;
    } defs[] = {
        {"name", "Your name", FIELD_TEXT, true, false},
        {"phone", "Phone", FIELD_PHONE, false, true},
        {"email", "Email", FIELD_EMAIL, false, true},
        {"contact_time", "Best time to call", FIELD_CHOICE, false, false},
    };
    size_t n = sizeof defs / sizeof defs[0];
    d->fields = arena_alloc(a, n * sizeof *d->fields);
    if (!d->fields)
        return;
    for (size_t i = 0; i < n; i++) {
        DeckField *f = &d->fields[i];
        f->id = defs[i].id;
        f->label = defs[i].label;
        f->type = defs[i].type;
        f->required = defs[i].required;
        f->contact = defs[i].contact;
        f->capitalize = CAPITALIZE_WORDS; /* the one text field is the name */
        if (f->type == FIELD_CHOICE) {
            f->choices = (const char **)default_times;
            f->choice_count = 3;
        }
    }
    d->field_count = n;
}

/* ---- sections --------------------------------------------------------- */

static void load_theme(YCtx *c, Deck *d, const YNode *root)
{
    const YNode *t = yt_map(c, root, "theme");
    if (!t)
        return;
    static const char *const keys[] = {"background", "text",      "accent",     "accent_text",
                                       "muted",      "surface",   "error",      "font",
                                       "bold_font",  "text_size", "title_size", NULL};
    yt_check_keys(c, t, keys, "the theme");
    const YNode *key = yt_key(root, "theme");
    d->theme.line = key->line;
    d->theme.col = key->col;
    get_color(c, t, "background", &d->theme.background);
    get_color(c, t, "text", &d->theme.text);
    get_color(c, t, "accent", &d->theme.accent);
    get_color(c, t, "accent_text", &d->theme.accent_text);
    get_color(c, t, "muted", &d->theme.muted);
    get_color(c, t, "surface", &d->theme.surface);
    get_color(c, t, "error", &d->theme.error);
    /* A missing font is reported and the bundled one (NULL) kept: the
     * renderer cannot open an unresolved relative path. */
    bool missing = false;
    const char *f = get_existing_file(c, t, "font", "font", false, &missing);
    if (f && !missing)
        d->theme.font = f;
    missing = false;
    f = get_existing_file(c, t, "bold_font", "font", false, &missing);
    if (f && !missing)
        d->theme.bold_font = f;
    double pct;
    if (yt_number(c, t, "text_size", 50, 200, "percent", &pct))
        d->theme.text_scale = (int)lround(pct);
    if (yt_number(c, t, "title_size", 50, 200, "percent", &pct))
        d->theme.title_scale = (int)lround(pct);
}

static void load_timing(YCtx *c, Deck *d, const YNode *root)
{
    const YNode *t = yt_map(c, root, "timing");
    if (!t)
        return;
    static const char *const keys[] = {"transition",      "transition_ms", "inactivity",
                                       "form_inactivity", "thanks",        NULL};
    yt_check_keys(c, t, keys, "the timing");
    static const char *const kinds[] = {"fade", "slide", "none", NULL};
    d->timing.transition = (TransitionKind)yt_enum(c, t, "transition", kinds,
                                                   (int)d->timing.transition);
    double ms;
    if (yt_number(c, t, "transition_ms", 0, 2000, "milliseconds", &ms))
        d->timing.transition_ms = (int)ms;
    yt_seconds(c, t, "inactivity", 10, 3600, &d->timing.inactivity_ms);
    yt_seconds(c, t, "form_inactivity", 15, 600, &d->timing.form_inactivity_ms);
    yt_seconds(c, t, "thanks", 2, 60, &d->timing.thanks_ms);
}

static void set_text(YCtx *c, const YNode *map, const char *key, const char **dst)
{
    const char *s = yt_text(c, map, key, false, "");
    if (s)
        *dst = s;
}

static void load_labels(YCtx *c, Deck *d, const YNode *root)
{
    const YNode *l = yt_map(c, root, "labels");
    if (!l)
        return;
    static const char *const keys[] = {"next",
                                       "back",
                                       "signup",
                                       "start_over",
                                       "staff_title",
                                       "pin_prompt",
                                       "pin_wrong",
                                       "pin_locked",
                                       "staff_export",
                                       "staff_restart",
                                       "staff_exit",
                                       "staff_close",
                                       "staff_erase",
                                       "staff_erase_yes",
                                       "staff_cancel",
                                       "space",
                                       "larger_text",
                                       "normal_text",
                                       NULL};
    yt_check_keys(c, l, keys, "the labels");
    set_text(c, l, "space", &d->texts.key_space);
    set_text(c, l, "larger_text", &d->texts.larger_text);
    set_text(c, l, "normal_text", &d->texts.normal_text);
    set_text(c, l, "staff_title", &d->texts.staff_title);
    set_text(c, l, "pin_prompt", &d->texts.pin_prompt);
    set_text(c, l, "pin_wrong", &d->texts.pin_wrong);
    set_text(c, l, "pin_locked", &d->texts.pin_locked);
    set_text(c, l, "staff_export", &d->texts.staff_export);
    set_text(c, l, "staff_restart", &d->texts.staff_restart);
    set_text(c, l, "staff_exit", &d->texts.staff_exit);
    set_text(c, l, "staff_close", &d->texts.staff_close);
    set_text(c, l, "staff_erase", &d->texts.staff_erase);
    set_text(c, l, "staff_erase_yes", &d->texts.staff_erase_yes);
    set_text(c, l, "staff_cancel", &d->texts.staff_cancel);
    set_text(c, l, "next", &d->texts.next);
    set_text(c, l, "back", &d->texts.back);
    set_text(c, l, "signup", &d->texts.signup_button);
    set_text(c, l, "start_over", &d->texts.start_over);
}

static bool valid_id(const char *s)
{
    if (!*s || strlen(s) > 32)
        return false;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

static const char *const field_types[] = {"text", "email", "phone", "choice", NULL};

/* A name field ("name", "first_name", "last_name") starts every word with
 * a capital, as a phone keyboard does for names; other text fields only
 * the first letter. 'capitalize:' in the deck overrides either. */
static bool is_name_id(const char *id)
{
    size_t n = strlen(id);
    return strcmp(id, "name") == 0 || (n > 5 && strcmp(id + n - 5, "_name") == 0);
}

static void load_capitalize(YCtx *c, const YNode *m, DeckField *f)
{
    static const char *const caps[] = {"words", "first", "none", NULL};
    DeckCapitalize dflt = is_name_id(f->id) ? CAPITALIZE_WORDS : CAPITALIZE_FIRST;
    f->capitalize = (DeckCapitalize)yt_enum(c, m, "capitalize", caps, (int)dflt);
    if (f->type != FIELD_TEXT && yt_get(m, "capitalize"))
        yt_warn(c, yt_get(m, "capitalize"),
                "'capitalize' is ignored on a %s field (expected only on type: text)",
                field_types[f->type]);
}

/* One sign-up field from the mapping m into f; prev holds the n fields
 * kept so far (ids must differ). Returns whether f is kept. */
static bool load_field(YCtx *c, const YNode *m, DeckField *f, const DeckField *prev, size_t n)
{
    static const char *const keys[] = {"id",      "label",   "type",       "required",
                                       "contact", "choices", "capitalize", NULL};
    yt_check_keys(c, m, keys, "a sign-up field");
    f->line = m->line;
    f->col = m->col;
    f->id = yt_text(c, m, "id", true, "a sign-up field");
    f->label = yt_text(c, m, "label", true, "a sign-up field");
    f->type = (DeckFieldType)yt_enum(c, m, "type", field_types, FIELD_TEXT);
    f->contact = f->type == FIELD_EMAIL || f->type == FIELD_PHONE;
    yt_bool(c, m, "required", &f->required);
    yt_bool(c, m, "contact", &f->contact);
    if (!f->id || !f->label)
        return false;
    load_capitalize(c, m, f);
    const YNode *idn = yt_get(m, "id");
    if (!valid_id(f->id)) {
        yt_err(c, idn,
               "field id '%s' is not a simple name (expected lowercase letters, "
               "digits and '_', like 'phone')",
               f->id);
        return false;
    }
    for (size_t j = 0; j < n; j++)
        if (strcmp(prev[j].id, f->id) == 0) {
            yt_err(c, idn,
                   "field id '%s' is used twice (expected each id once: it names a "
                   "column of the sign-up file)",
                   f->id);
            return false;
        }
    const YNode *ch = yt_seq(c, m, "choices");
    if (f->type == FIELD_CHOICE) {
        if (!ch || ch->n < 2) {
            yt_err(c, ch ? ch : m,
                   "choice field '%s' needs at least 2 'choices' (expected a "
                   "list of 2 to %d options)",
                   f->id, DECK_MAX_CHOICES);
            return false;
        }
        f->choices = yt_text_list(c, ch, DECK_MAX_CHOICES, "choices", &f->choice_count);
    } else if (ch) {
        yt_warn(c, ch, "'choices' is ignored on a %s field (expected only on type: choice)",
                field_types[f->type]);
    }
    if (f->required && f->contact)
        yt_warn(c, m,
                "field '%s' is both required and a contact field; 'contact' already "
                "asks for at least one of the contact fields",
                f->id);
    return true;
}

static void load_fields(YCtx *c, Deck *d, const YNode *seq)
{
    if (seq->n == 0) {
        yt_err(c, seq, "the sign-up form has no fields (expected at least a name field)");
        return;
    }
    if (seq->n > DECK_MAX_FIELDS) {
        yt_err(c, seq->kids[DECK_MAX_FIELDS], "too many sign-up fields: %zu (expected at most %d)",
               seq->n, DECK_MAX_FIELDS);
        return;
    }
    DeckField *fields = arena_alloc(c->arena, seq->n * sizeof *fields);
    if (!fields)
        return;
    size_t n = 0;
    for (size_t i = 0; i < seq->n; i++) {
        const YNode *m = seq->kids[i];
        if (m->type != YN_MAP) {
            yt_err(c, m,
                   "a sign-up field is %s (expected a mapping with 'id:', 'label:' and "
                   "'type:')",
                   yt_describe(m));
            continue;
        }
        if (load_field(c, m, &fields[n], fields, n))
            n++;
    }
    d->fields = fields;
    d->field_count = n;
}

/* The booking link: https only (a phone opens it straight from the camera,
 * so it must not be a plain-text page or another scheme), no spaces, short
 * enough for a QR code drawn large. Its matrix is made here, once, so a
 * link that cannot be encoded is a deck error with its place. */
static void load_booking_url(YCtx *c, Deck *d, const YNode *s)
{
    const char *url = yt_text(c, s, "booking_url", false, "");
    const YNode *at = yt_get(s, "booking_url");
    if (!url)
        return;
    const char *host = url + strlen(BOOKING_SCHEME);
    if (strncmp(url, BOOKING_SCHEME, strlen(BOOKING_SCHEME)) != 0 || !*host || *host == '/' ||
        strpbrk(url, " \t\r\n")) {
        yt_err_soft(c, at,
                    "booking_url '%s' is not a web link (expected an https:// URL, like "
                    "'https://clinic.example/book')",
                    url);
        return;
    }
    QrCode qr;
    QrStatus st = qr_encode(url, &qr);
    if (st != QR_OK) {
        yt_err_soft(c, at,
                    "booking_url is %s (expected an https:// URL of at most about 200 characters)",
                    qr_status_text(st));
        return;
    }
    size_t n = (size_t)qr.size * (size_t)qr.size;
    unsigned char *m = arena_alloc(c->arena, n);
    if (m) {
        memcpy(m, qr.modules, n);
        d->booking_url = url;
        d->booking_qr.size = qr.size;
        d->booking_qr.modules = m;
    }
    qr_free(&qr);
}

static void load_signup(YCtx *c, Deck *d, const YNode *root)
{
    set_default_fields(d, c->arena);
    const YNode *s = yt_map(c, root, "signup");
    if (!s)
        return;
    static const char *const keys[] = {"heading",
                                       "intro",
                                       "fields",
                                       "consent",
                                       "consent_version",
                                       "submit",
                                       "cancel",
                                       "thanks_title",
                                       "thanks_text",
                                       "saved_later_text",
                                       "errors",
                                       "button",
                                       "button_on_every_slide",
                                       "optional",
                                       "booking_url",
                                       "booking_prompt",
                                       NULL};
    yt_check_keys(c, s, keys, "the signup section");
    DeckTexts *t = &d->texts;
    set_text(c, s, "heading", &t->form_heading);
    set_text(c, s, "intro", &t->form_intro);
    set_text(c, s, "consent", &t->consent);
    set_text(c, s, "consent_version", &t->consent_version);
    set_text(c, s, "submit", &t->submit);
    set_text(c, s, "cancel", &t->cancel);
    set_text(c, s, "thanks_title", &t->thanks_title);
    set_text(c, s, "thanks_text", &t->thanks_text);
    set_text(c, s, "saved_later_text", &t->saved_later_text);
    set_text(c, s, "button", &t->signup_button);
    set_text(c, s, "optional", &t->optional);
    set_text(c, s, "booking_prompt", &t->booking_prompt);
    load_booking_url(c, d, s);
    yt_bool(c, s, "button_on_every_slide", &d->signup_on_every_slide);
    const YNode *e = yt_map(c, s, "errors");
    if (e) {
        static const char *const ekeys[] = {"required",   "email",   "phone",   "phone_short",
                                            "phone_long", "contact", "consent", NULL};
        yt_check_keys(c, e, ekeys, "the error messages");
        set_text(c, e, "required", &t->err_required);
        set_text(c, e, "email", &t->err_email);
        set_text(c, e, "phone", &t->err_phone);
        set_text(c, e, "phone_short", &t->err_phone_short);
        set_text(c, e, "phone_long", &t->err_phone_long);
        set_text(c, e, "contact", &t->err_contact);
        set_text(c, e, "consent", &t->err_consent);
    }
    const YNode *f = yt_seq(c, s, "fields");
    if (f)
        load_fields(c, d, f);
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    bool in = false;
    for (; s && *s; s++) {
        bool space = *s == ' ' || *s == '\n' || *s == '\t';
        if (!space && !in)
            n++;
        in = !space;
    }
    return n;
}

/* The slide's file-name-safe name from its title (or its number). */
static void slug_into(char buf[48], const char *title, size_t index)
{
    size_t n = 0;
    bool dash = false;
    for (const char *p = title ? title : ""; *p && n < 32; p++) {
        unsigned char ch = (unsigned char)*p;
        if (isalnum(ch) && ch < 0x80) {
            if (dash && n > 0)
                buf[n++] = '-';
            buf[n++] = (char)tolower(ch);
            dash = false;
        } else {
            dash = true;
        }
    }
    if (n == 0) {
        snprintf(buf, 48, "slide-%zu", index + 1);
        return;
    }
    buf[n] = '\0';
}

static const char *slugify(Arena *a, const char *title, size_t index)
{
    char buf[48];
    slug_into(buf, title, index);
    return arena_strdup(a, buf);
}

/* Warns about keys the slide's layout does not show. */
static void warn_unshown(YCtx *c, const YNode *m, const Slide *s)
{
    const char *kind = deck_slide_kinds[s->kind];
    struct {
        const char *key;
        bool applies;
    } extras[] = {
        {"subtitle", s->kind == SLIDE_TITLE},
        {"items", s->kind == SLIDE_BULLETS || s->kind == SLIDE_STEPS},
        {"caption", s->kind == SLIDE_IMAGE},
        {"button", s->kind == SLIDE_SIGNUP},
    };
    for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++) {
        const YNode *v = yt_get(m, extras[i].key);
        if (v && !extras[i].applies)
            yt_warn(c, v, "'%s' is not shown on a %s slide (expected layout: %s)", extras[i].key,
                    kind,
                    strcmp(extras[i].key, "subtitle") == 0  ? "title"
                    : strcmp(extras[i].key, "items") == 0   ? "bullets or steps"
                    : strcmp(extras[i].key, "caption") == 0 ? "image"
                                                            : "signup");
    }
}

/* How long the slide shows: the reading time of its words, or its
 * 'duration', with a warning when that is too short to read them. */
static void set_duration(YCtx *c, const YNode *m, Slide *s)
{
    size_t words = count_words(s->title) + count_words(s->subtitle) + count_words(s->text) +
                   count_words(s->caption);
    for (size_t i = 0; i < s->item_count; i++)
        words += count_words(s->items[i]);
    int reading = deck_reading_time_ms(words);
    s->duration_ms = reading;
    double secs;
    if (yt_number(c, m, "duration", DECK_MIN_DURATION_MS / 1000, DECK_MAX_DURATION_MS / 1000,
                  "seconds", &secs)) {
        s->duration_ms = (int)lround(secs * 1000);
        if (s->duration_ms + 1000 < 4000 + (int)words * 1000 / 3 && s->duration_ms < reading)
            yt_warn(c, yt_get(m, "duration"),
                    "duration %g s is short for %zu words (about %d s "
                    "are needed to read them)",
                    secs, words, (reading + 999) / 1000);
    }
}

static void load_slide(YCtx *c, Deck *d, const YNode *m, Slide *s, size_t index)
{
    static const char *const keys[] = {"layout", "name",    "title",  "subtitle", "text", "items",
                                       "image",  "caption", "button", "duration", NULL};
    size_t errors_before = diag_count(c->diags, DIAG_ERROR);
    yt_check_keys(c, m, keys, "a slide");
    s->line = m->line;
    s->col = m->col;
    s->title = yt_text(c, m, "title", false, "");
    s->subtitle = yt_text(c, m, "subtitle", false, "");
    s->text = yt_text(c, m, "text", false, "");
    s->caption = yt_text(c, m, "caption", false, "");
    s->button = yt_text(c, m, "button", false, "");
    const YNode *items = yt_seq(c, m, "items");
    s->items = yt_text_list(c, items, DECK_MAX_ITEMS, "items", &s->item_count);
    s->image = get_existing_file(c, m, "image", "image", true, &s->image_missing);

    /* The layout can be left out: it follows from what the slide has. An
     * 'items' that is not a list (already reported) still means bullets. */
    const YNode *items_v = yt_get(m, "items");
    bool has_items = items_v && !yt_is_null(items_v);
    SlideKind inferred = has_items                              ? SLIDE_BULLETS
                         : (s->image && !s->text && s->caption) ? SLIDE_IMAGE
                                                                : SLIDE_TEXT;
    s->kind = (SlideKind)yt_enum(c, m, "layout", deck_slide_kinds, (int)inferred);
    const char *name = yt_text(c, m, "name", false, "");
    s->name = slugify(c->arena, name ? name : s->title, index);
    if (!s->button && s->kind == SLIDE_SIGNUP)
        s->button = d->texts.signup_button;

    warn_unshown(c, m, s);
    if ((s->kind == SLIDE_BULLETS || s->kind == SLIDE_STEPS) && !has_items)
        yt_err(c, m, "a %s slide has no 'items' (expected a list of %s)", deck_slide_kinds[s->kind],
               s->kind == SLIDE_STEPS ? "steps" : "bullets");
    if (items && items->n == 0)
        yt_err(c, items,
               "'items' is empty (expected at least one entry, each on its own line "
               "starting with '- ')");
    if (s->kind == SLIDE_IMAGE && !s->image && !yt_get(m, "image"))
        yt_err(c, m, "an image slide has no 'image' (expected 'image: images/name.svg')");
    /* Not after an error in this slide: a misspelt 'titel' already says why. */
    if (!s->title && !s->text && !s->item_count && !yt_get(m, "image") && !s->subtitle &&
        diag_count(c->diags, DIAG_ERROR) == errors_before)
        yt_warn(c, m, "this slide has nothing to show (expected at least a title or text)");
    set_duration(c, m, s);
}

static void load_slides(YCtx *c, Deck *d, const YNode *root)
{
    const YNode *v = yt_get(root, "slides");
    if (!v) {
        yt_err(c, root, "the deck has no 'slides:' (expected a list of slides)");
        return;
    }
    if (yt_is_null(v)) {
        yt_err(c, yt_key(root, "slides"), "'slides' is empty (expected at least one slide)");
        return;
    }
    const YNode *seq = yt_seq(c, root, "slides");
    if (!seq)
        return;
    if (seq->n == 0) {
        yt_err(c, seq, "'slides' is empty (expected at least one slide)");
        return;
    }
    if (seq->n > DECK_MAX_SLIDES) {
        yt_err(c, seq->kids[DECK_MAX_SLIDES], "too many slides: %zu (expected at most %d)", seq->n,
               DECK_MAX_SLIDES);
        return;
    }
    d->slides = arena_alloc(c->arena, seq->n * sizeof *d->slides);
    if (!d->slides)
        return;
    for (size_t i = 0; i < seq->n; i++) {
        const YNode *m = seq->kids[i];
        if (m->type != YN_MAP) {
            if (m->type == YN_SCALAR)
                yt_err(c, m,
                       "slide %zu is just '%.40s' (expected a mapping such as 'title: ...' "
                       "indented under '- ')",
                       i + 1, m->str);
            else
                yt_err(c, m, "slide %zu is %s (expected a mapping such as 'title: ...')", i + 1,
                       yt_describe(m));
            continue;
        }
        load_slide(c, d, m, &d->slides[d->slide_count], d->slide_count);
        d->slide_count++;
    }
}

static bool valid_lang_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 12)
        return false;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
            return false;
    return true;
}

/* language: {code: es, name: Español}; the deck's own defaults to English. */
static void load_language(YCtx *c, Deck *d, const YNode *root)
{
    const YNode *l = yt_map(c, root, "language");
    if (!l)
        return;
    static const char *const keys[] = {"code", "name", NULL};
    yt_check_keys(c, l, keys, "the language");
    const char *code = yt_text(c, l, "code", true, "the language");
    const char *name = yt_text(c, l, "name", true, "the language");
    if (code && !valid_lang_code(code))
        yt_err(c, yt_get(l, "code"),
               "language code '%s' is not a language tag (expected lowercase letters like 'es' "
               "or 'pt-br')",
               code);
    else if (code)
        d->lang_code = code;
    if (name)
        d->lang_name = name;
}

static void check_contrast(YCtx *c, const Deck *d)
{
    const DeckTheme *t = &d->theme;
    struct {
        const char *fg, *bg;
        DeckColor a, b;
        double min;
    } pairs[] = {
        {"text", "background", t->text, t->background, 4.5},
        {"muted", "background", t->muted, t->background, 4.5},
        {"text", "surface", t->text, t->surface, 4.5},
        {"accent_text", "accent", t->accent_text, t->accent, 4.5},
        {"accent", "background", t->accent, t->background, 3.0},
        {"error", "surface", t->error, t->surface, 4.5},
        {"error", "background", t->error, t->background, 4.5},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        double r = deck_contrast_ratio(pairs[i].a, pairs[i].b);
        if (r + 1e-9 < pairs[i].min)
            diag_add(c->diags, DIAG_WARNING, c->file, t->line ? t->line : 1, t->col ? t->col : 1,
                     "theme: '%s' on '%s' has contrast %.2f:1 (expected at least %.1f:1 for "
                     "WCAG 2.1 AA)",
                     pairs[i].fg, pairs[i].bg, r, pairs[i].min);
    }
}

static Deck *load_root(YCtx *c, const YNode *root)
{
    Deck *d = arena_alloc(c->arena, sizeof *d);
    if (!d) {
        yt_err_at(c, 1, 1, "out of memory while reading the deck");
        return NULL;
    }
    set_defaults(d);
    if (yt_is_null(root)) {
        yt_err_at(c, 1, 1, "the deck is empty (expected a mapping with a 'slides:' list)");
        return NULL;
    }
    if (root->type != YN_MAP) {
        yt_err(c, root,
               "the top of a deck is %s (expected a mapping with 'slides:' and, "
               "optionally, 'title:', 'theme:' and 'signup:')",
               yt_describe(root));
        return NULL;
    }
    static const char *const keys[] = {"title",  "name",   "language", "theme", "timing",
                                       "labels", "signup", "slides",   NULL};
    yt_check_keys(c, root, keys, "the deck");
    d->title = yt_text(c, root, "title", false, "");
    const char *name = yt_text(c, root, "name", false, "");
    if (!name) {
        const char *base = strrchr(c->file, '/');
        base = base ? base + 1 : c->file;
        size_t n = strlen(base);
        if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
            n -= 5;
        else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
            n -= 4;
        name = arena_strndup(c->arena, base, n);
    }
    d->name = name;
    load_language(c, d, root);
    load_theme(c, d, root);
    load_timing(c, d, root);
    load_labels(c, d, root);
    load_signup(c, d, root);
    load_slides(c, d, root);
    return d;
}

/* ---- translations ------------------------------------------------------
 *
 * A translation file mirrors the deck and holds only texts. Its tree is
 * merged into the deck's tree (the deck's nodes where it says nothing, its
 * own where it does) and the merged tree goes through the same load_root()
 * as the deck: every text key the deck has, today's or tomorrow's, is
 * translatable without code here. Slides are matched by their name (the
 * 'name:' or the slug of the deck's title), fields by id: both survive
 * staff reordering slides, which positions would not. */

/* Keys that are not words a client reads: the same in every language. */
static const char *const untranslatable[] = {"theme",
                                             "timing",
                                             "name",
                                             "id",
                                             "type",
                                             "layout",
                                             "image",
                                             "duration",
                                             "required",
                                             "contact",
                                             "consent_version",
                                             "button_on_every_slide",
                                             NULL};

/* The error messages' keys are words like 'required' that elsewhere name
 * a setting: under 'errors:' every value is a message. */
static bool all_text(const char *key)
{
    return key && strcmp(key, "errors") == 0;
}

static bool is_untranslatable(const char *key)
{
    for (size_t i = 0; key && untranslatable[i]; i++)
        if (strcmp(key, untranslatable[i]) == 0)
            return true;
    return false;
}

static YNode *copy_node(YCtx *t, const YNode *b, size_t extra)
{
    YNode *m = arena_alloc(&t->tree, sizeof *m);
    if (!m)
        return NULL;
    *m = *b;
    /* One spare slot: never a zero-sized list, so kids is never NULL. */
    m->cap = b->n + extra + 1;
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): kids holds pointers */
    m->kids = arena_alloc(&t->tree, m->cap * sizeof *m->kids);
    if (!m->kids)
        return NULL;
    if (b->n && b->kids)
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): as above */
        memcpy(m->kids, b->kids, b->n * sizeof *m->kids);
    return m;
}

/* NOLINTNEXTLINE(misc-no-recursion): as deep as the tree, which yt_build bounds */
static const YNode *merge(YCtx *t, const char *key, const YNode *b, const YNode *tv);

/* The translation's map tm over the deck's bm, skipping the key that only
 * matched it ('name' of a slide, 'id' of a field). */
/* NOLINTNEXTLINE(misc-no-recursion): as deep as the tree, which yt_build bounds */
static const YNode *merge_map(YCtx *t, const YNode *bm, const YNode *tm, const char *skip,
                              bool texts)
{
    YNode *m = copy_node(t, bm, tm->n);
    if (!m)
        return bm;
    for (size_t i = 0; i + 1 < tm->n; i += 2) {
        const YNode *k = tm->kids[i], *v = tm->kids[i + 1];
        if (k->type != YN_SCALAR || (skip && strcmp(k->str, skip) == 0))
            continue;
        if (!texts && is_untranslatable(k->str)) {
            yt_err(t, k,
                   "'%s' cannot be translated: it is not text (expected only texts here; "
                   "change '%s' in the deck itself)",
                   k->str, k->str);
            continue;
        }
        size_t j = 0;
        while (j + 1 < m->n &&
               !(m->kids[j]->type == YN_SCALAR && strcmp(m->kids[j]->str, k->str) == 0))
            j += 2;
        const YNode *merged = merge(t, k->str, j + 1 < m->n ? m->kids[j + 1] : NULL, v);
        if (j + 1 < m->n) {
            m->kids[j + 1] = (YNode *)merged;
        } else {
            m->kids[m->n++] = (YNode *)k;
            m->kids[m->n++] = (YNode *)merged;
        }
    }
    return m;
}

/* What a slide (or field) is called in a translation: its 'name' (its
 * 'id'); for the deck's slides without a name, the slug of the title. */
static bool entry_key(const YNode *e, const char *key, size_t index, bool slug, char buf[48])
{
    const YNode *v = e->type == YN_MAP ? yt_get(e, key) : NULL;
    if (v && v->type == YN_SCALAR && v->len > 0 && v->len < 48) {
        memcpy(buf, v->str, v->len + 1);
        return true;
    }
    if (!slug || e->type != YN_MAP)
        return false;
    const YNode *title = yt_get(e, "title");
    slug_into(buf, title && title->type == YN_SCALAR ? title->str : NULL, index);
    return true;
}

/* Slides by name, fields by id: each of the translation's entries finds the
 * deck's entry it translates, wherever staff have moved it. */
/* NOLINTNEXTLINE(misc-no-recursion): as deep as the tree, which yt_build bounds */
static const YNode *merge_keyed(YCtx *t, const char *list, const YNode *bs, const YNode *ts)
{
    bool slides = strcmp(list, "slides") == 0;
    const char *key = slides ? "name" : "id";
    YNode *m = copy_node(t, bs, 0);
    if (!m)
        return bs;
    for (size_t i = 0; i < ts->n; i++) {
        const YNode *te = ts->kids[i];
        char want[48], have[48];
        if (te->type != YN_MAP || !entry_key(te, key, i, false, want)) {
            yt_err(t, te,
                   "an entry of '%s' has no '%s' (expected '- %s: ...' naming the %s it "
                   "translates)",
                   list, key, key, slides ? "slide" : "field");
            continue;
        }
        size_t j = 0;
        while (j < bs->n &&
               !(entry_key(bs->kids[j], key, j, slides, have) && strcmp(have, want) == 0))
            j++;
        if (j == bs->n) {
            yt_warn(t, yt_get(te, key),
                    "no %s in the deck is called '%s' (expected the %s of one of the deck's %s; "
                    "kiosk --check lists those not yet translated)",
                    slides ? "slide" : "field", want, key, list);
            continue;
        }
        if (bs->kids[j]->type == YN_MAP)
            m->kids[j] = (YNode *)merge_map(t, bs->kids[j], te, key, false);
    }
    return m;
}

/* NOLINTNEXTLINE(misc-no-recursion): as deep as the tree, which yt_build bounds */
static const YNode *merge(YCtx *t, const char *key, const YNode *b, const YNode *tv)
{
    if (!b || strcmp(key, "language") == 0)
        return tv; /* a text the deck leaves at its default; the language itself */
    if ((strcmp(key, "slides") == 0 || strcmp(key, "fields") == 0) && b->type == YN_SEQ &&
        tv->type == YN_SEQ)
        return merge_keyed(t, key, b, tv);
    if (b->type == YN_MAP && tv->type == YN_MAP)
        return merge_map(t, b, tv, NULL, all_text(key));
    if (b->type == YN_SEQ && tv->type == YN_SEQ && b->n != tv->n)
        yt_err(t, tv,
               "'%s' has %zu entries, the deck's has %zu (expected one translation per "
               "entry, in the deck's order)",
               key, tv->n, b->n);
    return tv; /* text, or a list of texts; the loader checks it */
}

/* NOLINTNEXTLINE(misc-no-recursion): as deep as the tree, which yt_build bounds */
static void note_untranslated(YCtx *t, const Deck *ld, const char *key, const YNode *b, bool texts,
                              size_t *count)
{
    if (!texts && is_untranslatable(key))
        return;
    if (b->type == YN_SCALAR) {
        if (b->len == 0)
            return;
        /* The first line, and not much of it: enough to find the text. */
        int shown = (int)strcspn(b->str, "\n");
        shown = shown > 50 ? 50 : shown;
        diag_add(t->diags, DIAG_NOTE, b->file, b->line, b->col,
                 "not translated into %s (%s in %s): '%s: %.*s%s'", ld->lang_name, ld->lang_code,
                 t->file, key ? key : "", shown, b->str, (size_t)shown < b->len ? "..." : "");
        (*count)++;
        return;
    }
    for (size_t i = 0; i < b->n; i += b->type == YN_MAP ? 2 : 1) {
        if (b->type == YN_MAP)
            note_untranslated(t, ld, b->kids[i]->str, b->kids[i + 1], all_text(key), count);
        else
            note_untranslated(t, ld, key, b->kids[i], false, count);
    }
}

/* The deck's texts the merge kept (the same node as the deck's): each one
 * a note at the deck's FILE:LINE:COL, for --check. */
/* NOLINTNEXTLINE(misc-no-recursion): as deep as the tree, which yt_build bounds */
static void list_untranslated(YCtx *t, const Deck *ld, const char *key, const YNode *b,
                              const YNode *m, bool texts, size_t *count)
{
    if (!m || (!texts && is_untranslatable(key)) || strcmp(key ? key : "", "language") == 0)
        return;
    if (b == m) {
        note_untranslated(t, ld, key, b, texts, count);
        return;
    }
    if (b->type == YN_MAP && m->type == YN_MAP) {
        for (size_t i = 0; i + 1 < b->n; i += 2)
            if (b->kids[i]->type == YN_SCALAR)
                list_untranslated(t, ld, b->kids[i]->str, b->kids[i + 1],
                                  yt_get(m, b->kids[i]->str), all_text(key), count);
    } else if (b->type == YN_SEQ && m->type == YN_SEQ && b->n == m->n) {
        for (size_t i = 0; i < b->n; i++)
            list_untranslated(t, ld, key, b->kids[i], m->kids[i], false, count);
    }
}

/* Loads the merged tree as a deck; keeps only what is said about the
 * translation's own file (the deck's problems were reported already).
 * Returns the errors among those. */
static size_t load_merged(YCtx *t, const YNode *merged, Deck **out)
{
    DiagList *real = t->diags, scratch = DIAG_LIST_INIT;
    t->diags = &scratch;
    *out = load_root(t, merged);
    t->diags = real;
    size_t errors = 0;
    for (size_t i = 0; i < scratch.count; i++) {
        const Diag *g = &scratch.items[i];
        if (!g->file || strcmp(g->file, t->file) != 0)
            continue;
        diag_add(real, g->level, g->file, g->line, g->col, "%s", g->message);
        errors += g->level == DIAG_ERROR;
    }
    diag_clear(&scratch);
    return errors;
}

/* One translation over the loaded deck (its tree still alive in broot).
 * Returns its Deck, or NULL with the reasons in diags: a broken
 * translation leaves its language out, never the deck. */
static Deck *load_translation(const Deck *base, const YNode *broot, const DeckSource *src,
                              const DeckLoadOptions *opts, DiagList *diags)
{
    YCtx t = yt_ctx(&deck_format, src->name, diags);
    t.data_dir = opts ? opts->data_dir : NULL;
    Deck *ld = NULL;
    size_t errors_before = diag_count(diags, DIAG_ERROR);
    if (yt_begin(&t, src->len, DECK_MAX_BYTES) != 0)
        goto done;
    const YNode *troot = yt_build(&t, src->text, src->len);
    if (!troot)
        goto done;
    if (troot->type != YN_MAP || !yt_get(troot, "language")) {
        yt_err(&t, troot,
               "a translation needs 'language:' (expected 'language: {code: es, name: "
               "Español}' and the texts it translates, laid out as in the deck)");
        goto done;
    }
    const YNode *merged = merge_map(&t, broot, troot, NULL, false);
    size_t errors = load_merged(&t, merged, &ld);
    if (errors || diag_count(diags, DIAG_ERROR) > errors_before || !ld) {
        ld = NULL;
        goto done;
    }
    ld->name = base->name; /* the sign-up rows' deck name, the screenshots' names */
    ld->title = ld->title ? ld->title : base->title;
    for (size_t i = 0; i < ld->slide_count && i < base->slide_count; i++)
        ld->slides[i].name = base->slides[i].name;
    ld->path = arena_strdup(t.arena, src->name);
    ld->arena = t.arena;
    t.arena = NULL;
    if (opts && opts->list_untranslated) {
        size_t n = 0;
        list_untranslated(&t, ld, NULL, broot, merged, false, &n);
        diag_add(diags, DIAG_NOTE, src->name, 0, 0, "%s (%s): %zu text%s not translated",
                 ld->lang_name, ld->lang_code, n, n == 1 ? "" : "s");
    }
done:
    if (!ld)
        diag_add(diags, DIAG_WARNING, src->name, 0, 0,
                 "this translation is left out until its errors are fixed; the deck shows in "
                 "its other languages");
    yt_end(&t);
    return ld;
}

/* The languages list and each language's larger-text view. */
static void link_languages(Deck *base, Deck **langs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        langs[i]->langs = (const Deck *const *)langs;
        langs[i]->lang_count = n;
    }
    for (size_t i = 0; i < n; i++) {
        Deck *v = arena_alloc(langs[i]->arena, sizeof *v);
        if (!v)
            continue;
        *v = *langs[i];
        v->theme = deck_large_theme(&langs[i]->theme);
        v->large = NULL;
        v->is_large = true;
        v->arena = NULL; /* its strings are its language's */
        langs[i]->large = v;
    }
    (void)base;
}

/* The code in a translation's file name (x.es.yaml: "es"), if it has one. */
static bool file_lang_code(const char *name, char code[16])
{
    size_t len = strlen(name);
    if (len < 6 || strcmp(name + len - 5, ".yaml") != 0)
        return false;
    const char *end = name + len - 5, *start = end;
    while (start > name && start[-1] != '.' && start[-1] != '/')
        start--;
    if (start == name || start[-1] != '.' || (size_t)(end - start) >= 16)
        return false;
    memcpy(code, start, (size_t)(end - start));
    code[end - start] = '\0';
    return valid_lang_code(code);
}

static void add_translations(Deck *d, const YNode *root, const DeckSource *tr, size_t ntr,
                             const DeckLoadOptions *opts, DiagList *diags)
{
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): langs holds pointers */
    Deck **langs = arena_alloc(d->arena, DECK_MAX_LANGUAGES * sizeof *langs);
    if (!langs)
        return;
    size_t n = 0;
    langs[n++] = d;
    for (size_t i = 0; i < ntr; i++) {
        if (n == DECK_MAX_LANGUAGES) {
            diag_add(diags, DIAG_WARNING, tr[i].name, 0, 0,
                     "too many translations (expected at most %d languages with the deck's own); "
                     "this one is left out",
                     DECK_MAX_LANGUAGES);
            continue;
        }
        Deck *ld = load_translation(d, root, &tr[i], opts, diags);
        char code[16];
        if (ld && file_lang_code(tr[i].name, code) && strcmp(code, ld->lang_code) != 0)
            diag_add(diags, DIAG_WARNING, tr[i].name, 0, 0,
                     "the file is named for language '%s' but says 'code: %s' (expected the "
                     "same code in both, so staff find the right file)",
                     code, ld->lang_code);
        for (size_t j = 0; ld && j < n; j++)
            if (strcmp(langs[j]->lang_code, ld->lang_code) == 0) {
                diag_add(diags, DIAG_ERROR, tr[i].name, 0, 0,
                         "language '%s' is already %s (expected each language once); this one "
                         "is left out",
                         ld->lang_code, j == 0 ? "the deck's own" : langs[j]->path);
                deck_free(ld);
                ld = NULL;
            }
        if (ld)
            langs[n++] = ld;
    }
    link_languages(d, langs, n);
}

Deck *deck_load_sources(const DeckSource *src, const DeckSource *tr, size_t ntr,
                        const DeckLoadOptions *opts, DiagList *diags)
{
    YCtx c = yt_ctx(&deck_format, src->name, diags);
    c.data_dir = opts ? opts->data_dir : NULL;
    Deck *d = NULL;
    if (yt_begin(&c, src->len, DECK_MAX_BYTES) != 0)
        goto done;
    const YNode *root = yt_build(&c, src->text, src->len);
    if (root)
        d = load_root(&c, root);
    if (d && !c.fatal && d->slide_count == 0)
        yt_err_at(&c, 1, 1, "the deck has no slides (expected a 'slides:' list)");
    /* Callers (kiosk --check) rely on it: NULL comes with at least one error. */
    if (d && (c.fatal || d->slide_count == 0))
        d = NULL;
    if (d) {
        check_contrast(&c, d);
        d->path = arena_strdup(c.arena, src->name);
        d->arena = c.arena;
        c.arena = NULL;
        add_translations(d, root, tr, ntr, opts, diags);
    }
done:
    yt_end(&c);
    return d;
}

Deck *deck_load_string(const char *name, const char *text, size_t len, const DeckLoadOptions *opts,
                       DiagList *diags)
{
    DeckSource src = {name, text, len};
    return deck_load_sources(&src, NULL, 0, opts, diags);
}

/* The translations next to a deck: for slides/microneedling.yaml, the files
 * slides/microneedling.CODE.yaml, in name order. Returns how many paths
 * (malloc'd) went into out. */
static size_t find_translations(const char *path, char **out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t stem = strlen(base);
    if (stem > 5 && strcmp(base + stem - 5, ".yaml") == 0)
        stem -= 5;
    else
        return 0;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    DIR *dh = opendir(dir);
    if (!dh)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL && n < cap) {
        const char *f = e->d_name;
        size_t len = strlen(f);
        if (strncmp(f, base, stem) != 0 || f[stem] != '.' || len <= stem + 6 ||
            strcmp(f + len - 5, ".yaml") != 0)
            continue;
        char code[16];
        size_t clen = len - stem - 6;
        if (clen >= sizeof code)
            continue;
        memcpy(code, f + stem + 1, clen);
        code[clen] = '\0';
        if (!valid_lang_code(code))
            continue;
        char full[PATH_MAX];
        if (snprintf(full, sizeof full, "%s/%s", dir, f) >= (int)sizeof full)
            continue;
        out[n] = strdup(full);
        n += out[n] != NULL;
    }
    closedir(dh);
    /* readdir's order is the file system's: sort for a stable button order. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(out[j - 1], out[j]) > 0; j--) {
            char *tmp = out[j];
            out[j] = out[j - 1];
            out[j - 1] = tmp;
        }
    return n;
}

bool deck_translation_of(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t len = strlen(base);
    if (len < 6 || strcmp(base + len - 5, ".yaml") != 0)
        return false;
    const char *dot = base + len - 5;
    const char *code = dot;
    while (code > base && code[-1] != '.')
        code--;
    if (code == base || code == dot)
        return false;
    char tag[16];
    if ((size_t)(dot - code) >= sizeof tag)
        return false;
    memcpy(tag, code, (size_t)(dot - code));
    tag[dot - code] = '\0';
    if (!valid_lang_code(tag))
        return false;
    int n = snprintf(out, cap, "%.*s.yaml", (int)(code - 1 - path), path);
    return n > 0 && (size_t)n < cap && file_readable(out);
}

Deck *deck_load(const char *path, const DeckLoadOptions *opts, DiagList *diags)
{
    char *buf;
    size_t len;
    if (yt_read_file(path, DECK_MAX_BYTES, "deck", diags, &buf, &len) != 0)
        return NULL;
    /* A few more than the kiosk shows, so that the extra ones are reported. */
    char *paths[DECK_MAX_LANGUAGES + 4];
    DeckSource tr[DECK_MAX_LANGUAGES + 4] = {{0}};
    size_t n = find_translations(path, paths, DECK_MAX_LANGUAGES + 4), ntr = 0;
    for (size_t i = 0; i < n; i++) {
        char *text;
        size_t tlen;
        if (yt_read_file(paths[i], DECK_MAX_BYTES, "translation", diags, &text, &tlen) != 0)
            continue;
        tr[ntr++] = (DeckSource){paths[i], text, tlen};
    }
    DeckSource src = {path, buf, len};
    Deck *d = deck_load_sources(&src, tr, ntr, opts, diags);
    for (size_t i = 0; i < ntr; i++)
        free((char *)tr[i].text);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(buf);
    return d;
}
