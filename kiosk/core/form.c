/* Sign-up form state, editing and validation. See form.h. */
#include "form.h"

#include "util.h"

#include <stddef.h>
#include <string.h>

/* ---- UTF-8 ------------------------------------------------------------ */

/* Characters a single-line field must not hold: C0 controls (including tab
 * and newline), DEL, C1 controls, and the Unicode line and paragraph
 * separators. */
static bool is_control(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

/* Unicode format characters (general category Cf, Unicode 15): invisible,
 * so a client cannot see them in a value, and they hide what a value
 * really starts with: a zero-width space or a right-to-left override in
 * front of "=" makes a formula look like a name on screen and in the
 * spreadsheet. (This also drops the zero-width joiners of emoji sequences
 * and the ZWNJ of some Persian spellings; the letters stay.) */
static bool is_format(unsigned cp)
{
    static const struct {
        unsigned lo, hi;
    } cf[] = {
        {0x00AD, 0x00AD},   {0x0600, 0x0605},   {0x061C, 0x061C},   {0x06DD, 0x06DD},
        {0x070F, 0x070F},   {0x0890, 0x0891},   {0x08E2, 0x08E2},   {0x180E, 0x180E},
        {0x200B, 0x200F},   {0x202A, 0x202E},   {0x2060, 0x2064},   {0x2066, 0x206F},
        {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD},
        {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
        {0xE0020, 0xE007F},
    };
    for (size_t k = 0; k < sizeof cf / sizeof cf[0]; k++)
        if (cp >= cf[k].lo && cp <= cf[k].hi)
            return true;
    return false;
}

/* The Unicode spaces other than ' ' (category Zs): no-break spaces (U+00A0,
 * and U+202F which French typography puts before ; : ! ?), the ogham
 * space, the typographic spaces U+2000..U+200A, the mathematical space and
 * the ideographic space of CJK keyboards. They look like a space and a
 * physical keyboard can type them by accident; storing them as ' ' means
 * the one trim of ' ' (validation, the stored row) trims them all. */
static bool is_space(unsigned cp)
{
    return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

/* The ASCII character NFKC folds @p cp to, for the compatibility forms a
 * keyboard can type and a spreadsheet might read as ASCII: full-width
 * ASCII (U+FF01..U+FF5E: "＝" is "="), the small forms (U+FE50..U+FE6B),
 * superscript and subscript + and =, and the spaces above. 0 for anything
 * else, which is kept as typed: accented letters are not touched, so
 * "José" stays "José" (composed or not). */
static char fold_ascii(unsigned cp)
{
    /* NFKC of U+FE50..U+FE6B; 0 where it is not ASCII or not assigned. */
    static const char small[] = ",\0.\0;:?!\0(){}\0\0#&*+-<>=\0\\$%@";
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return (char)(cp - 0xFF01 + '!');
    if (cp >= 0xFE50 && cp < 0xFE50 + sizeof small - 1)
        return small[cp - 0xFE50];
    if (cp == 0x207A || cp == 0x208A)
        return '+';
    if (cp == 0x207C || cp == 0x208C)
        return '=';
    if (is_space(cp))
        return ' ';
    return 0;
}

/* ---- Fields ----------------------------------------------------------- */

static bool field_ok(const Form *f, int i)
{
    return f && i >= 0 && i < f->count;
}

static bool takes_text(FormFieldKind k)
{
    return k == FORM_TEXT || k == FORM_EMAIL || k == FORM_PHONE;
}

/* The focused field when it takes typing, else -1. */
static int typing_field(const Form *f)
{
    if (!f || !field_ok(f, f->focus) || !takes_text(f->spec[f->focus].kind))
        return -1;
    return f->focus;
}

static size_t max_bytes(const FormFieldSpec *s)
{
    if (s->max_bytes <= 0 || s->max_bytes > FORM_VALUE_MAX - 1)
        return FORM_VALUE_MAX - 1;
    return (size_t)s->max_bytes;
}

/* Arms (or releases) the one-shot shift and moves between the plain and
 * shifted version of a letter page. */
static void set_shift(Form *f, bool on)
{
    f->shift_once = on;
    if (f->page == KB_PAGE_LOWER || f->page == KB_PAGE_UPPER)
        f->page = on ? KB_PAGE_UPPER : KB_PAGE_LOWER;
    else if (f->page == KB_PAGE_ACCENTS || f->page == KB_PAGE_ACCENTS_UPPER)
        f->page = on ? KB_PAGE_ACCENTS_UPPER : KB_PAGE_ACCENTS;
}

/* Whether the next letter typed into TEXT field i starts a word that its
 * capitalize rule wants capitalised. */
static bool wants_capital(const Form *f, int i)
{
    const FormFieldSpec *sp = &f->spec[i];
    if (sp->kind != FORM_TEXT || sp->capitalize == FORM_CAP_NONE)
        return false;
    const char *v = f->value[i];
    size_t len = strnlen(v, FORM_VALUE_MAX - 1);
    if (len == 0)
        return true;
    return sp->capitalize == FORM_CAP_WORDS && v[len - 1] == ' ';
}

void form_init(Form *f, const FormFieldSpec *specs, int count)
{
    if (!f)
        return;
    memset(f, 0, sizeof *f);
    if (!specs || count < 0)
        count = 0;
    if (count > FORM_MAX_FIELDS)
        count = FORM_MAX_FIELDS;
    if (count > 0)
        memcpy(f->spec, specs, (size_t)count * sizeof specs[0]);
    f->count = count;
    form_clear(f);
}

void form_clear(Form *f)
{
    if (!f)
        return;
    util_wipe(f->value, sizeof f->value);
    util_wipe(f->choice, sizeof f->choice);
    util_wipe(f->checked, sizeof f->checked);
    util_wipe(f->touched, sizeof f->touched);
    for (int i = 0; i < FORM_MAX_FIELDS; i++)
        f->choice[i] = -1;
    f->focus = -1;
    f->page = KB_PAGE_LOWER;
    f->shift_once = false;
}

void form_focus(Form *f, int field)
{
    if (!f)
        return;
    if (!field_ok(f, field))
        field = -1;
    if (field == f->focus)
        return;
    if (field_ok(f, f->focus))
        f->touched[f->focus] = true;
    f->focus = field;
    f->shift_once = false;
    f->page = KB_PAGE_LOWER;
    if (field < 0)
        return;
    switch (f->spec[field].kind) {
    case FORM_PHONE:
        f->page = KB_PAGE_PHONE;
        break;
    case FORM_TEXT:
        if (wants_capital(f, field))
            set_shift(f, true);
        break;
    case FORM_EMAIL:
    case FORM_CHOICE:
    case FORM_CHECK:
        break;
    }
}

void form_insert_text(Form *f, const char *utf8)
{
    const int i = typing_field(f);
    if (i < 0 || !utf8)
        return;
    char *v = f->value[i];
    const size_t limit = max_bytes(&f->spec[i]);
    size_t len = strnlen(v, FORM_VALUE_MAX - 1);
    bool inserted = false;
    const unsigned char *s = (const unsigned char *)utf8;
    while (*s) {
        unsigned cp;
        int n = util_utf8_decode(s, &cp);
        if (n == 0) { /* drop one bad byte and resynchronise */
            s++;
            continue;
        }
        const unsigned char *src = s;
        s += n;
        if (is_control(cp) || is_format(cp))
            continue;
        char ascii[2] = {fold_ascii(cp), '\0'};
        if (ascii[0]) {
            src = (const unsigned char *)ascii;
            n = 1;
        }
        if (len + (size_t)n > limit)
            break; /* whole code points only: never leave a partial one */
        memcpy(v + len, src, (size_t)n);
        len += (size_t)n;
        inserted = true;
    }
    v[len] = '\0';
    if (inserted && f->shift_once)
        set_shift(f, false);
    if (inserted && wants_capital(f, i))
        set_shift(f, true);
}

void form_backspace(Form *f)
{
    const int i = typing_field(f);
    if (i < 0)
        return;
    char *v = f->value[i];
    size_t len = strnlen(v, FORM_VALUE_MAX - 1);
    if (len == 0)
        return;
    size_t at = len - 1;
    while (at > 0 && util_utf8_is_cont((unsigned char)v[at]))
        at--;
    memset(v + at, 0, len - at);
    /* A fresh start (or a word's) gets its capital again; deleting back
     * into a word drops it. */
    if (f->spec[i].kind == FORM_TEXT)
        set_shift(f, wants_capital(f, i));
}

void form_apply_key(Form *f, const KeyAction *a)
{
    if (!f || !a)
        return;
    const bool keypad = typing_field(f) >= 0 && f->spec[f->focus].kind == FORM_PHONE;
    switch (a->kind) {
    case KEY_INSERT:
        form_insert_text(f, a->text);
        break;
    case KEY_BACKSPACE:
        form_backspace(f);
        break;
    case KEY_DONE:
        form_focus(f, -1);
        break;
    /* A phone field stays on its keypad whatever key arrives. */
    case KEY_SHIFT:
        if (!keypad)
            set_shift(f, !(f->page == KB_PAGE_UPPER || f->page == KB_PAGE_ACCENTS_UPPER));
        break;
    case KEY_PAGE_SYMBOLS:
        if (!keypad)
            f->page = KB_PAGE_SYMBOLS;
        break;
    case KEY_PAGE_LETTERS:
        if (!keypad)
            f->page = f->shift_once ? KB_PAGE_UPPER : KB_PAGE_LOWER;
        break;
    case KEY_PAGE_ACCENTS:
        if (!keypad)
            f->page = f->shift_once ? KB_PAGE_ACCENTS_UPPER : KB_PAGE_ACCENTS;
        break;
    }
}

void form_choose(Form *f, int field, int choice)
{
    if (!field_ok(f, field) || f->spec[field].kind != FORM_CHOICE)
        return;
    if (choice < 0 || choice >= f->spec[field].choice_count)
        return;
    f->choice[field] = f->choice[field] == choice ? -1 : choice;
    f->touched[field] = true;
}

void form_toggle(Form *f, int field)
{
    if (!field_ok(f, field) || f->spec[field].kind != FORM_CHECK)
        return;
    f->checked[field] = !f->checked[field];
    f->touched[field] = true;
}

/* ---- Validation ------------------------------------------------------- */

/* The value without leading and trailing spaces, as a pointer and length. */
static const char *trimmed(const char *v, size_t *n)
{
    size_t len = strnlen(v, FORM_VALUE_MAX - 1);
    while (len > 0 && *v == ' ') {
        v++;
        len--;
    }
    while (len > 0 && v[len - 1] == ' ')
        len--;
    *n = len;
    return v;
}

static bool is_blank(const Form *f, int i)
{
    size_t n;
    switch (f->spec[i].kind) {
    case FORM_CHOICE:
        return f->choice[i] < 0;
    case FORM_CHECK:
        return !f->checked[i];
    case FORM_TEXT:
    case FORM_EMAIL:
    case FORM_PHONE:
        break;
    }
    trimmed(f->value[i], &n);
    return n == 0;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* SMTP limits (RFC 5321 4.5.3.1): local part 64, domain label 63, whole
 * address 254 octets. */
#define EMAIL_MAX_BYTES 254
#define EMAIL_LOCAL_MAX_BYTES 64
#define EMAIL_LABEL_MAX_BYTES 63

/* RFC 5322 "atext" plus '.', and any non-ASCII byte (RFC 6531 allows UTF-8
 * local parts). Quoted local parts are legal but a client who types ',' or
 * a space almost always meant something else. */
static bool email_local_char(unsigned char c)
{
    return is_alnum(c) || c >= 0x80 || strchr("!#$%&'*+-/=?^_`{|}~.", c) != NULL;
}

static bool email_ok(const char *s, size_t n)
{
    if (n > EMAIL_MAX_BYTES)
        return false;
    const char *at = memchr(s, '@', n);
    if (!at || memchr(at + 1, '@', n - (size_t)(at - s) - 1))
        return false;
    const size_t local_n = (size_t)(at - s);
    if (local_n == 0 || local_n > EMAIL_LOCAL_MAX_BYTES || s[0] == '.' || s[local_n - 1] == '.')
        return false;
    for (size_t k = 0; k < local_n; k++) {
        const unsigned char c = (unsigned char)s[k];
        if (!email_local_char(c) || (c == '.' && s[k + 1] == '.'))
            return false;
    }
    /* Domain: dot-separated labels of letters, digits, '-' (not at a
     * label's ends) and non-ASCII (internationalised domain names). */
    const char *d = at + 1;
    const size_t dn = n - local_n - 1;
    size_t labels = 0, label_n = 0, last_n = 0;
    bool last_all_digits = true;
    for (size_t k = 0; k <= dn; k++) {
        const unsigned char c = k < dn ? (unsigned char)d[k] : '.';
        if (c == '.') {
            if (label_n == 0 || label_n > EMAIL_LABEL_MAX_BYTES || d[k - 1] == '-')
                return false;
            labels++;
            last_n = label_n;
            label_n = 0;
            continue;
        }
        if (!is_alnum(c) && c != '-' && c < 0x80)
            return false;
        if (c == '-' && label_n == 0)
            return false;
        if (label_n == 0)
            last_all_digits = true;
        if (!is_digit(c))
            last_all_digits = false;
        label_n++;
    }
    /* "jo@example.c" is a typo, and no top-level domain is numeric. */
    return labels >= 2 && last_n >= 2 && !last_all_digits;
}

/* Only the characters a phone number is written with, then the count of
 * its digits: each has its own message so the client knows what to fix. */
static FormError phone_error(const char *s, size_t n)
{
    size_t k = 0, digits = 0;
    bool in_paren = false;
    if (n > 0 && s[0] == '+')
        k++;
    for (; k < n; k++) {
        const unsigned char c = (unsigned char)s[k];
        if (is_digit(c)) {
            digits++;
        } else if (c == '(') {
            if (in_paren)
                return FORM_ERR_PHONE;
            in_paren = true;
        } else if (c == ')') {
            if (!in_paren)
                return FORM_ERR_PHONE;
            in_paren = false;
        } else if (!strchr(" -./", c) || c == '\0') {
            return FORM_ERR_PHONE;
        }
    }
    if (in_paren)
        return FORM_ERR_PHONE;
    if (digits < FORM_PHONE_MIN_DIGITS)
        return FORM_ERR_PHONE_SHORT;
    if (digits > FORM_PHONE_MAX_DIGITS)
        return FORM_ERR_PHONE_LONG;
    return FORM_OK;
}

FormError form_field_error(const Form *f, int field)
{
    if (!field_ok(f, field))
        return FORM_OK;
    const FormFieldSpec *spec = &f->spec[field];
    if (is_blank(f, field)) {
        if (spec->required)
            return spec->kind == FORM_CHECK ? FORM_ERR_CONSENT : FORM_ERR_REQUIRED;
        if (spec->contact) {
            for (int i = 0; i < f->count; i++)
                if (f->spec[i].contact && !is_blank(f, i))
                    return FORM_OK;
            return FORM_ERR_NEED_CONTACT;
        }
        return FORM_OK;
    }
    size_t n;
    const char *s = trimmed(f->value[field], &n);
    switch (spec->kind) {
    case FORM_EMAIL:
        return email_ok(s, n) ? FORM_OK : FORM_ERR_EMAIL;
    case FORM_PHONE:
        return phone_error(s, n);
    case FORM_TEXT:
    case FORM_CHOICE:
    case FORM_CHECK:
        break;
    }
    return FORM_OK;
}

bool form_should_show_error(const Form *f, int field)
{
    return field_ok(f, field) && f->touched[field] && form_field_error(f, field) != FORM_OK;
}

bool form_valid(const Form *f)
{
    if (!f)
        return false;
    for (int i = 0; i < f->count; i++)
        if (form_field_error(f, i) != FORM_OK)
            return false;
    return true;
}

void form_attempt_submit(Form *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->count; i++)
        f->touched[i] = true;
}

bool form_wants_keyboard(const Form *f)
{
    return typing_field(f) >= 0;
}

KbMode form_keyboard_mode(const Form *f)
{
    const int i = typing_field(f);
    if (i >= 0 && f->spec[i].kind == FORM_EMAIL)
        return KB_MODE_EMAIL;
    if (i >= 0 && f->spec[i].kind == FORM_PHONE)
        return KB_MODE_PHONE;
    return KB_MODE_TEXT;
}
