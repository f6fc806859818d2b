/* Form state, editing and validation, and typing names by tapping the
 * on-screen keyboard. */
#include "form.h"

#include "check.h"

#include <stdbool.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- Validation, one field at a time ---------------------------------- */

static const struct {
    FormFieldKind kind;
    bool required;
    const char *value;
    FormError want;
} validation[] = {
    /* names */
    {FORM_TEXT, true, "Zoë", FORM_OK},
    {FORM_TEXT, true, "José", FORM_OK},
    {FORM_TEXT, true, "Müller", FORM_OK},
    {FORM_TEXT, true, "Jean-Luc O'Brien", FORM_OK},
    {FORM_TEXT, true, "  Ann  ", FORM_OK},
    {FORM_TEXT, true, "李小龍", FORM_OK},
    {FORM_TEXT, true, "", FORM_ERR_REQUIRED},
    {FORM_TEXT, true, "   ", FORM_ERR_REQUIRED},
    {FORM_TEXT, false, "   ", FORM_OK},
    {FORM_TEXT, false, "", FORM_OK},
    /* emails */
    {FORM_EMAIL, true, "jo@example.com", FORM_OK},
    {FORM_EMAIL, true, "  jo@example.com  ", FORM_OK},
    {FORM_EMAIL, true, "First.Last+tag@sub.example.co.uk", FORM_OK},
    {FORM_EMAIL, true, "o'brien@example.ie", FORM_OK},
    {FORM_EMAIL, true, "a@b.co", FORM_OK},
    {FORM_EMAIL, true, "jo_2@my-clinic.ch", FORM_OK},
    {FORM_EMAIL, true, "josé@exemple.fr", FORM_OK}, /* RFC 6531 */
    {FORM_EMAIL, true, "jo@bücher.de", FORM_OK},    /* IDN */
    {FORM_EMAIL, true, "jo@xn--bcher-kva.ch", FORM_OK},
    {FORM_EMAIL, true, "", FORM_ERR_REQUIRED},
    {FORM_EMAIL, true, "   ", FORM_ERR_REQUIRED},
    {FORM_EMAIL, false, "", FORM_OK},
    {FORM_EMAIL, true, "jo", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "@example.com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@example", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@example.", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@.example.com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@example..com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@@example.com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@ex@ample.com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo @example.com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@exam ple.com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, ".jo@example.com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo.@example.com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "j..o@example.com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@example.c", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@example,com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo,x@example.com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@-example.com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@example-.com", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@10.0.0.1", FORM_ERR_EMAIL},
    {FORM_EMAIL, true, "jo@example.com.", FORM_ERR_EMAIL},
    /* phones */
    {FORM_PHONE, true, "+41 79 123 45 67", FORM_OK},
    {FORM_PHONE, true, "079-123-4567", FORM_OK},
    {FORM_PHONE, true, "(022) 123 4567", FORM_OK},
    {FORM_PHONE, true, "06.12.34.56.78", FORM_OK},
    {FORM_PHONE, true, "+44 (0)20 7946 0958", FORM_OK},
    {FORM_PHONE, true, "030/1234567", FORM_OK},
    {FORM_PHONE, true, "123456", FORM_OK},
    {FORM_PHONE, true, "  0041791234567 ", FORM_OK},
    {FORM_PHONE, true, "12345678901234567890", FORM_OK},
    {FORM_PHONE, true, "", FORM_ERR_REQUIRED},
    {FORM_PHONE, false, "", FORM_OK},
    {FORM_PHONE, true, "12345", FORM_ERR_PHONE_SHORT}, /* digits only, too few */
    {FORM_PHONE, true, "+", FORM_ERR_PHONE_SHORT},
    {FORM_PHONE, true, "123456789012345678901", FORM_ERR_PHONE_LONG},
    {FORM_PHONE, true, "079 123 45 6x", FORM_ERR_PHONE},
    {FORM_PHONE, true, "12+3456789", FORM_ERR_PHONE},
    {FORM_PHONE, true, "++41791234567", FORM_ERR_PHONE},
    {FORM_PHONE, true, "(022 123 4567", FORM_ERR_PHONE},
    {FORM_PHONE, true, "022) 123 4567", FORM_ERR_PHONE},
    {FORM_PHONE, true, "((022)) 123 4567", FORM_ERR_PHONE},
    {FORM_PHONE, true, "１２３４５６７", FORM_ERR_PHONE}, /* full-width digits */
    {FORM_PHONE, true, "jo@example.com", FORM_ERR_PHONE},
};

static void test_validation_table(void)
{
    for (int i = 0; i < N(validation); i++) {
        const FormFieldSpec spec = {validation[i].kind, validation[i].required, 0, 0, false,
                                    FORM_CAP_FIRST};
        Form f;
        form_init(&f, &spec, 1);
        strcpy(f.value[0], validation[i].value);
        const FormError got = form_field_error(&f, 0);
        if (got != validation[i].want) {
            fprintf(stderr, "case %d: kind %d \"%s\": error %d, expected %d\n", i,
                    validation[i].kind, validation[i].value, got, validation[i].want);
            check_failures++;
        }
        CHECK(form_valid(&f) == (validation[i].want == FORM_OK));
    }
}

static void test_email_lengths(void)
{
    const FormFieldSpec spec = {FORM_EMAIL, true, 0, 0, false, FORM_CAP_FIRST};
    Form f;
    form_init(&f, &spec, 1);
    /* 64-byte local part is fine, 65 is not */
    memset(f.value[0], 'a', 64);
    strcpy(f.value[0] + 64, "@example.com");
    CHECK_INT(form_field_error(&f, 0), FORM_OK);
    memset(f.value[0], 'a', 65);
    strcpy(f.value[0] + 65, "@example.com");
    CHECK_INT(form_field_error(&f, 0), FORM_ERR_EMAIL);
    /* 254 bytes in all is the SMTP limit: 64 + '@' + 189 */
    char addr[FORM_VALUE_MAX] = {0};
    memset(addr, 'a', 64);
    strcat(addr, "@");
    for (int k = 0; k < 3; k++) {
        memset(addr + strlen(addr), 'b', 58);
        strcat(addr, ".");
    }
    strcat(addr, "ccccccccc.co");
    CHECK_INT(strlen(addr), 254);
    form_clear(&f);
    form_focus(&f, 0);
    form_insert_text(&f, addr); /* fits in a value */
    CHECK_STR(f.value[0], addr);
    CHECK_INT(form_field_error(&f, 0), FORM_OK);
    form_insert_text(&f, "m"); /* 255: still fits the buffer, too long for SMTP */
    CHECK_INT(strlen(f.value[0]), 255);
    CHECK_INT(form_field_error(&f, 0), FORM_ERR_EMAIL);
    /* a 64-byte domain label is too long, 63 is fine */
    char label[FORM_VALUE_MAX] = "jo@";
    memset(label + 3, 'd', 63);
    strcat(label, ".com");
    strcpy(f.value[0], label);
    CHECK_INT(form_field_error(&f, 0), FORM_OK);
    memmove(label + 4, label + 3, strlen(label + 3) + 1);
    strcpy(f.value[0], label);
    CHECK_INT(form_field_error(&f, 0), FORM_ERR_EMAIL);
}

/* ---- Contact group, choices, consent, form_valid ----------------------- */

enum { F_NAME, F_EMAIL, F_PHONE, F_TREATMENT, F_CONSENT, F_NEWS, F_COUNT };

static const FormFieldSpec signup[F_COUNT] = {
    [F_NAME] = {FORM_TEXT, true, 0, 0, false},     [F_EMAIL] = {FORM_EMAIL, false, 0, 0, true},
    [F_PHONE] = {FORM_PHONE, false, 0, 0, true},   [F_TREATMENT] = {FORM_CHOICE, true, 3, 0, false},
    [F_CONSENT] = {FORM_CHECK, true, 0, 0, false}, [F_NEWS] = {FORM_CHECK, false, 0, 0, false},
};

static void test_contact_choice_consent(void)
{
    Form f;
    form_init(&f, signup, F_COUNT);
    CHECK_INT(f.count, F_COUNT);
    CHECK_INT(f.focus, -1);
    CHECK_INT(form_field_error(&f, F_NAME), FORM_ERR_REQUIRED);
    CHECK_INT(form_field_error(&f, F_EMAIL), FORM_ERR_NEED_CONTACT);
    CHECK_INT(form_field_error(&f, F_PHONE), FORM_ERR_NEED_CONTACT);
    CHECK_INT(form_field_error(&f, F_TREATMENT), FORM_ERR_REQUIRED);
    CHECK_INT(form_field_error(&f, F_CONSENT), FORM_ERR_CONSENT);
    CHECK_INT(form_field_error(&f, F_NEWS), FORM_OK);
    CHECK(!form_valid(&f));

    strcpy(f.value[F_NAME], "Zoë");
    strcpy(f.value[F_EMAIL], "   "); /* blank still counts as no contact */
    CHECK_INT(form_field_error(&f, F_PHONE), FORM_ERR_NEED_CONTACT);
    strcpy(f.value[F_EMAIL], "zoe@example.com");
    CHECK_INT(form_field_error(&f, F_EMAIL), FORM_OK);
    CHECK_INT(form_field_error(&f, F_PHONE), FORM_OK);
    strcpy(f.value[F_EMAIL], "zoe@example"); /* the error is on the email */
    CHECK_INT(form_field_error(&f, F_EMAIL), FORM_ERR_EMAIL);
    CHECK_INT(form_field_error(&f, F_PHONE), FORM_OK);
    f.value[F_EMAIL][0] = '\0';
    strcpy(f.value[F_PHONE], "+41 79 123 45 67");
    CHECK_INT(form_field_error(&f, F_EMAIL), FORM_OK);
    CHECK_INT(form_field_error(&f, F_PHONE), FORM_OK);

    /* choices toggle */
    form_choose(&f, F_TREATMENT, 1);
    CHECK_INT(f.choice[F_TREATMENT], 1);
    CHECK(f.touched[F_TREATMENT]);
    CHECK_INT(form_field_error(&f, F_TREATMENT), FORM_OK);
    form_choose(&f, F_TREATMENT, 2);
    CHECK_INT(f.choice[F_TREATMENT], 2);
    form_choose(&f, F_TREATMENT, 2);
    CHECK_INT(f.choice[F_TREATMENT], -1);
    CHECK_INT(form_field_error(&f, F_TREATMENT), FORM_ERR_REQUIRED);
    form_choose(&f, F_TREATMENT, 3); /* out of range */
    form_choose(&f, F_TREATMENT, -1);
    form_choose(&f, F_NAME, 0); /* not a choice */
    form_choose(&f, 99, 0);
    CHECK_INT(f.choice[F_TREATMENT], -1);
    CHECK_INT(f.choice[F_NAME], -1);
    form_choose(&f, F_TREATMENT, 0);

    /* consent */
    CHECK(!form_valid(&f));
    form_toggle(&f, F_CONSENT);
    CHECK(f.checked[F_CONSENT]);
    CHECK_INT(form_field_error(&f, F_CONSENT), FORM_OK);
    CHECK(form_valid(&f));
    form_toggle(&f, F_CONSENT);
    CHECK_INT(form_field_error(&f, F_CONSENT), FORM_ERR_CONSENT);
    CHECK(!form_valid(&f));
    form_toggle(&f, F_CONSENT);
    form_toggle(&f, F_NAME); /* not a checkbox */
    CHECK(!f.checked[F_NAME]);
    form_toggle(&f, F_NEWS);
    form_toggle(&f, F_NEWS);
    CHECK(form_valid(&f));

    /* each requirement on its own breaks validity */
    Form g = f;
    g.value[F_NAME][0] = '\0';
    CHECK(!form_valid(&g));
    g = f;
    g.value[F_PHONE][0] = '\0';
    CHECK(!form_valid(&g));
    g = f;
    strcpy(g.value[F_PHONE], "12");
    CHECK(!form_valid(&g));
    g = f;
    strcpy(g.value[F_EMAIL], "zoe@");
    CHECK(!form_valid(&g));

    CHECK_INT(form_field_error(&f, -1), FORM_OK);
    CHECK_INT(form_field_error(&f, F_COUNT), FORM_OK);
}

static void test_show_error(void)
{
    Form f;
    form_init(&f, signup, F_COUNT);
    form_focus(&f, F_EMAIL);
    form_insert_text(&f, "zo");
    /* typing a first attempt: no nagging */
    CHECK(!form_should_show_error(&f, F_EMAIL));
    form_focus(&f, F_PHONE); /* left it */
    CHECK(f.touched[F_EMAIL]);
    CHECK(form_should_show_error(&f, F_EMAIL));
    CHECK(!form_should_show_error(&f, F_PHONE));
    CHECK(!form_should_show_error(&f, F_NAME));
    /* back to fix it: the error goes as soon as it is right */
    form_focus(&f, F_EMAIL);
    form_insert_text(&f, "e@example.com");
    CHECK(!form_should_show_error(&f, F_EMAIL));
    form_apply_key(&f, &(KeyAction){KEY_DONE, NULL});
    CHECK_INT(f.focus, -1);
    CHECK(!form_should_show_error(&f, F_EMAIL));

    form_attempt_submit(&f);
    for (int i = 0; i < F_COUNT; i++)
        CHECK(f.touched[i]);
    CHECK(form_should_show_error(&f, F_NAME));
    CHECK(form_should_show_error(&f, F_TREATMENT));
    CHECK(form_should_show_error(&f, F_CONSENT));
    CHECK(!form_should_show_error(&f, F_EMAIL));
    CHECK(!form_should_show_error(&f, F_PHONE));
    CHECK(!form_should_show_error(&f, F_NEWS));
    CHECK(!form_should_show_error(&f, 42));
}

/* ---- Focus, typing, shift, backspace ---------------------------------- */

static void test_focus_pages(void)
{
    Form f;
    form_init(&f, signup, F_COUNT);
    CHECK(!form_wants_keyboard(&f));
    form_focus(&f, F_NAME);
    CHECK_INT(f.focus, F_NAME);
    CHECK_INT(f.page, KB_PAGE_UPPER); /* the name starts with a capital */
    CHECK(f.shift_once);
    CHECK(form_wants_keyboard(&f));
    CHECK_INT(form_keyboard_mode(&f), KB_MODE_TEXT);
    CHECK(!f.touched[F_NAME]);
    form_focus(&f, F_NAME); /* again: nothing changes */
    CHECK(!f.touched[F_NAME]);
    form_focus(&f, F_EMAIL);
    CHECK(f.touched[F_NAME]);
    CHECK_INT(f.page, KB_PAGE_LOWER);
    CHECK(!f.shift_once);
    CHECK_INT(form_keyboard_mode(&f), KB_MODE_EMAIL);
    form_focus(&f, F_PHONE);
    CHECK_INT(f.page, KB_PAGE_PHONE);
    CHECK_INT(form_keyboard_mode(&f), KB_MODE_PHONE);
    /* page and shift keys don't leave the keypad */
    form_apply_key(&f, &(KeyAction){KEY_PAGE_LETTERS, NULL});
    form_apply_key(&f, &(KeyAction){KEY_SHIFT, NULL});
    CHECK_INT(f.page, KB_PAGE_PHONE);
    form_focus(&f, F_TREATMENT);
    CHECK(!form_wants_keyboard(&f));
    form_insert_text(&f, "x"); /* no text field focused: ignored */
    form_backspace(&f);
    form_focus(&f, 77);
    CHECK_INT(f.focus, -1);
    CHECK(f.touched[F_TREATMENT]);
    form_insert_text(&f, "x");
    for (int i = 0; i < F_COUNT; i++)
        CHECK_STR(f.value[i], "");
    /* a name already typed is continued in lower case */
    strcpy(f.value[F_NAME], "Zo");
    form_focus(&f, F_NAME);
    CHECK_INT(f.page, KB_PAGE_LOWER);
    CHECK(!f.shift_once);
}

static void test_shift_and_pages(void)
{
    Form f;
    form_init(&f, signup, F_COUNT);
    form_focus(&f, F_NAME);
    form_apply_key(&f, &(KeyAction){KEY_INSERT, "Z"});
    CHECK_STR(f.value[F_NAME], "Z");
    CHECK_INT(f.page, KB_PAGE_LOWER); /* one-shot */
    CHECK(!f.shift_once);
    form_apply_key(&f, &(KeyAction){KEY_INSERT, "o"});
    CHECK_INT(f.page, KB_PAGE_LOWER);
    form_apply_key(&f, &(KeyAction){KEY_SHIFT, NULL});
    CHECK_INT(f.page, KB_PAGE_UPPER);
    CHECK(f.shift_once);
    form_apply_key(&f, &(KeyAction){KEY_SHIFT, NULL}); /* shift off again */
    CHECK_INT(f.page, KB_PAGE_LOWER);
    CHECK(!f.shift_once);
    form_apply_key(&f, &(KeyAction){KEY_SHIFT, NULL});
    form_apply_key(&f, &(KeyAction){KEY_PAGE_ACCENTS, NULL}); /* shift carries over */
    CHECK_INT(f.page, KB_PAGE_ACCENTS_UPPER);
    form_apply_key(&f, &(KeyAction){KEY_INSERT, "Ë"});
    CHECK_INT(f.page, KB_PAGE_ACCENTS);
    CHECK(!f.shift_once);
    form_apply_key(&f, &(KeyAction){KEY_SHIFT, NULL});
    CHECK_INT(f.page, KB_PAGE_ACCENTS_UPPER);
    form_apply_key(&f, &(KeyAction){KEY_SHIFT, NULL});
    CHECK_INT(f.page, KB_PAGE_ACCENTS);
    form_apply_key(&f, &(KeyAction){KEY_PAGE_SYMBOLS, NULL});
    CHECK_INT(f.page, KB_PAGE_SYMBOLS);
    form_apply_key(&f, &(KeyAction){KEY_INSERT, "1"});
    form_apply_key(&f, &(KeyAction){KEY_PAGE_LETTERS, NULL});
    CHECK_INT(f.page, KB_PAGE_LOWER);
    CHECK_STR(f.value[F_NAME], "ZoË1");
    /* backspace to empty re-arms the capital */
    for (int i = 0; i < 4; i++)
        form_apply_key(&f, &(KeyAction){KEY_BACKSPACE, NULL});
    CHECK_STR(f.value[F_NAME], "");
    CHECK_INT(f.page, KB_PAGE_UPPER);
    CHECK(f.shift_once);
    form_apply_key(&f, &(KeyAction){KEY_BACKSPACE, NULL}); /* on empty: nothing */
    CHECK_STR(f.value[F_NAME], "");
    /* the capital survives a trip to the symbols page */
    form_apply_key(&f, &(KeyAction){KEY_PAGE_SYMBOLS, NULL});
    form_apply_key(&f, &(KeyAction){KEY_PAGE_LETTERS, NULL});
    CHECK_INT(f.page, KB_PAGE_UPPER);
    /* emails don't get a capital */
    form_focus(&f, F_EMAIL);
    form_apply_key(&f, &(KeyAction){KEY_INSERT, "z"});
    form_apply_key(&f, &(KeyAction){KEY_BACKSPACE, NULL});
    CHECK_INT(f.page, KB_PAGE_LOWER);
    CHECK(!f.shift_once);
    form_apply_key(&f, NULL);
    form_apply_key(NULL, &(KeyAction){KEY_DONE, NULL});
}

static void test_backspace_utf8(void)
{
    static const struct {
        const char *before, *after;
    } cases[] = {
        {"José", "Jos"},    {"é", ""},  {"a😀", "a"}, /* 4-byte emoji */
        {"😀😀", "😀"},        {"李", ""},              /* 3 bytes */
        {"e\xCC\x81", "e"}, /* e + combining acute: one code point at a time */
        {"ab", "a"},
    };
    const FormFieldSpec spec = {FORM_TEXT, false, 0, 0, false, FORM_CAP_FIRST};
    for (int i = 0; i < N(cases); i++) {
        Form f;
        form_init(&f, &spec, 1);
        form_focus(&f, 0);
        form_insert_text(&f, cases[i].before);
        CHECK_STR(f.value[0], cases[i].before);
        form_backspace(&f);
        CHECK_STR(f.value[0], cases[i].after);
        /* the removed bytes are zeroed, not left behind the NUL */
        for (size_t k = strlen(cases[i].after); k < FORM_VALUE_MAX; k++)
            CHECK_INT(f.value[0][k], 0);
    }
}

/* True when s is complete, well-formed UTF-8 (the form's own decoder is
 * static; this one is deliberately simple and separate). */
static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC2 ? 2 : 0;
        if (n == 0)
            return false;
        for (int k = 1; k < n; k++)
            if ((p[k] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

static void test_max_bytes(void)
{
    FormFieldSpec spec = {FORM_TEXT, false, 0, 5, false, FORM_CAP_FIRST};
    Form f;
    form_init(&f, &spec, 1);
    form_focus(&f, 0);
    form_insert_text(&f, "abcd");
    form_insert_text(&f, "é"); /* 2 bytes, 1 left: refused whole */
    CHECK_STR(f.value[0], "abcd");
    form_insert_text(&f, "x");
    CHECK_STR(f.value[0], "abcdx");
    form_insert_text(&f, "y");
    CHECK_STR(f.value[0], "abcdx");

    spec.max_bytes = 6;
    form_init(&f, &spec, 1);
    form_focus(&f, 0);
    form_insert_text(&f, "ab😀c"); /* stops at the first code point that doesn't fit */
    CHECK_STR(f.value[0], "ab😀");
    form_init(&f, &spec, 1);
    form_focus(&f, 0);
    form_insert_text(&f, "abc😀");
    CHECK_STR(f.value[0], "abc");
    form_insert_text(&f, "d"); /* later single bytes still fit */
    CHECK_STR(f.value[0], "abcd");

    /* Every limit, every mix of widths: never a partial code point. */
    static const char *const glyphs[] = {"a", "é", "李", "😀"};
    for (int max = 1; max <= 12; max++) {
        for (int g = 0; g < N(glyphs); g++) {
            spec.max_bytes = max;
            form_init(&f, &spec, 1);
            form_focus(&f, 0);
            for (int k = 0; k < 20; k++)
                form_insert_text(&f, glyphs[(g + k) % N(glyphs)]);
            CHECK((int)strlen(f.value[0]) <= max);
            CHECK(valid_utf8(f.value[0]));
        }
    }

    /* The default limit is FORM_VALUE_MAX - 1 bytes; out of range too. */
    static const int defaults[] = {0, -3, FORM_VALUE_MAX, 100000};
    for (int d = 0; d < N(defaults); d++) {
        spec.max_bytes = defaults[d];
        form_init(&f, &spec, 1);
        form_focus(&f, 0);
        for (int k = 0; k < 300; k++)
            form_insert_text(&f, "é");
        CHECK_INT(strlen(f.value[0]), (FORM_VALUE_MAX - 1) / 2 * 2);
        CHECK(valid_utf8(f.value[0]));
        form_insert_text(&f, "x");
        CHECK_INT(strlen(f.value[0]), FORM_VALUE_MAX - 1);
        CHECK_INT(f.value[0][FORM_VALUE_MAX - 1], 0);
    }
}

static void test_insert_filter(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"Zoë", "Zoë"},
        {"a\x01"
         "b\x7f\n\tc\r",
         "abc"}, /* C0 controls and DEL */
        {"a\xC2\x85"
         "b",
         "ab"}, /* C1 (NEL) */
        {"a\xE2\x80\xA8"
         "b\xE2\x80\xA9",
         "ab"},         /* line/paragraph separators */
        {"\xC3(", "("}, /* cut-short sequence */
        {"\xC0\xAF"
         "x",
         "x"}, /* overlong '/' */
        {"\xE0\x80\xAF"
         "x",
         "x"}, /* overlong, 3 bytes */
        {"\xED\xA0\x80"
         "x",
         "x"}, /* surrogate */
        {"\xF4\x90\x80\x80"
         "x",
         "x"}, /* above U+10FFFF */
        {"\xF8\x88\x80\x80\x80"
         "x",
         "x"}, /* 5-byte form */
        {"\x80\xBF"
         "x",
         "x"},              /* stray continuation bytes */
        {"x\xE2\x82", "x"}, /* cut short at the end */
        {"a\xC2\xA0"
         "b",
         "a b"}, /* no-break space */
        {"a\xE2\x80\xAF"
         "b",
         "a b"}, /* narrow no-break space */
        {"😀", "😀"},
        {"", ""},
    };
    const FormFieldSpec spec = {FORM_TEXT, false, 0, 0, false, FORM_CAP_FIRST};
    for (int i = 0; i < N(cases); i++) {
        Form f;
        form_init(&f, &spec, 1);
        form_focus(&f, 0);
        form_insert_text(&f, cases[i].in);
        if (strcmp(f.value[0], cases[i].out) != 0) {
            fprintf(stderr, "insert case %d: got \"%s\", expected \"%s\"\n", i, f.value[0],
                    cases[i].out);
            check_failures++;
        }
    }
    /* Nothing inserted (all dropped): the one-shot capital stays armed. */
    Form z;
    form_init(&z, &spec, 1);
    form_focus(&z, 0);
    form_insert_text(&z, "\u200B\u202E\uFEFF");
    CHECK_STR(z.value[0], "");
    CHECK(z.shift_once);

    Form f;
    form_init(&f, &spec, 1);
    form_focus(&f, 0);
    form_insert_text(&f, "\x01\xFF");
    CHECK(f.shift_once);
    CHECK_INT(f.page, KB_PAGE_UPPER);
    form_insert_text(&f, NULL);
    CHECK_STR(f.value[0], "");
}

/* ---- Hostile names: what the form keeps ------------------------------
 * The csv guard (tests/test_csv.c) makes any value safe in a spreadsheet;
 * the form's part is that what is stored is what the client saw: no
 * invisible characters, the full-width forms a spreadsheet might read as
 * = + - @ folded to them, every Unicode space a ' ' that trimming removes.
 * Accented and CJK letters stay as typed. */

static const struct {
    const char *in, *stored, *trimmed;
} hostile[] = {
    {"=1+1", "=1+1", "=1+1"},
    {"Ann;+1+1;", "Ann;+1+1;", "Ann;+1+1;"},
    {"x;=cmd|' /C calc'!A0;", "x;=cmd|' /C calc'!A0;", "x;=cmd|' /C calc'!A0;"},
    {"Ann\t=1+1", "Ann=1+1", "Ann=1+1"},   /* TAB dropped */
    {"Ann\r\n=1+1", "Ann=1+1", "Ann=1+1"}, /* CR LF dropped */
    /* full-width ＝＋－＠ and the rest of U+FF01..U+FF5E */
    {"＝1+1", "=1+1", "=1+1"},
    {"＋1＋1", "+1+1", "+1+1"},
    {"－2＋3", "-2+3", "-2+3"},
    {"＠SUM(1+1)", "@SUM(1+1)", "@SUM(1+1)"},
    {"＝ｃｍｄ｜＇ ／Ｃ ｃａｌｃ＇！Ａ０", "=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"},
    {"Ann；＝1＋1", "Ann;=1+1", "Ann;=1+1"},
    {"！～", "!~", "!~"},                             /* the ends of the full-width block */
    {"\uFF00\uFF5F", "\uFF00\uFF5F", "\uFF00\uFF5F"}, /* just outside it: kept */
    /* small forms, superscript and subscript + = */
    {"﹦1﹢1﹣2﹫", "=1+1-2@", "=1+1-2@"},
    {"⁼⁺₌₊", "=+=+", "=+=+"},
    /* format characters (Cf) in front, inside and behind */
    {"\u202E=1+1", "=1+1", "=1+1"},
    {"\u200B=1+1", "=1+1", "=1+1"},
    {"\uFEFF@SUM(1+1)", "@SUM(1+1)", "@SUM(1+1)"},
    {"\u2066=1+1\u2069", "=1+1", "=1+1"},
    {"\u200E\u200F\u202A\u202B\u202C\u202D-1", "-1", "-1"},
    {"\u2060\u2061\u2062\u2063\u2064+1", "+1", "+1"},
    {"\u00AD\u180E\u061C=1", "=1", "=1"},
    {"Ann\u200C\u200D", "Ann", "Ann"},
    {"Ma\u202Eir\u202C", "Mair", "Mair"},
    {"\U000E0041=1", "=1", "=1"}, /* a tag character */
    /* every Unicode space becomes ' ', trimmed at both ends */
    {"\u00A0Ann\u00A0", " Ann ", "Ann"},
    {"\u3000Zoë\u3000", " Zoë ", "Zoë"},
    {"\u1680\u2000\u2001\u2002\u2003\u2004\u2005Ann", "       Ann", "Ann"},
    {"Ann\u2006\u2007\u2008\u2009\u200A\u202F\u205F", "Ann       ", "Ann"},
    {"Ann\u2009Lee", "Ann Lee", "Ann Lee"},
    {"\u00A0\u200B\u00A0=1+1", "  =1+1", "=1+1"},
    /* names stay as typed */
    {"José María", "José María", "José María"},
    {"Jose\u0301 Mari\u0301a", "Jose\u0301 Mari\u0301a", "Jose\u0301 Mari\u0301a"},
    {"Zoë", "Zoë", "Zoë"},
    {"Françoise Lefèvre-Müller", "Françoise Lefèvre-Müller", "Françoise Lefèvre-Müller"},
    {"李小龍", "李小龍", "李小龍"},
    {"+44 20 7946 0958", "+44 20 7946 0958", "+44 20 7946 0958"},
};

static void test_hostile_names(void)
{
    const FormFieldSpec spec = {FORM_TEXT, true, 0, 0, false, FORM_CAP_FIRST};
    for (int i = 0; i < N(hostile); i++) {
        Form f;
        form_init(&f, &spec, 1);
        form_focus(&f, 0);
        form_insert_text(&f, hostile[i].in);
        if (strcmp(f.value[0], hostile[i].stored) != 0) {
            fprintf(stderr, "hostile case %d: stored \"%s\", expected \"%s\"\n", i, f.value[0],
                    hostile[i].stored);
            check_failures++;
        }
        /* Validation sees the value trimmed of every kind of space. */
        const size_t n = strlen(hostile[i].trimmed);
        CHECK_INT(form_field_error(&f, 0), n ? FORM_OK : FORM_ERR_REQUIRED);
        const char *v = f.value[0];
        while (*v == ' ')
            v++;
        CHECK(strncmp(v, hostile[i].trimmed, n) == 0 && strspn(v + n, " ") == strlen(v + n));
    }
    /* Typed one code point at a time (SDL_TEXTINPUT), the same. */
    Form f;
    form_init(&f, &spec, 1);
    form_focus(&f, 0);
    const char *in = "\u202E＝\u200B1\u3000＋1";
    while (*in) {
        const unsigned char c = (unsigned char)*in;
        const size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        char one[5] = {0};
        memcpy(one, in, n);
        in += n;
        form_insert_text(&f, one);
    }
    CHECK_STR(f.value[0], "=1 +1");
    /* Blank but for spaces and invisible characters: still blank. */
    form_init(&f, &spec, 1);
    form_focus(&f, 0);
    form_insert_text(&f, "\u3000\u200B\u00A0\u202F");
    CHECK_INT(form_field_error(&f, 0), FORM_ERR_REQUIRED);
}

/* ---- Typing by tapping the on-screen keyboard ------------------------- */

#define SCREEN_W 800
#define SCREEN_H 480

static void layout_for(const Form *f, KeyboardLayout *kb)
{
    const KbMode mode = form_keyboard_mode(f);
    const int kh = keyboard_preferred_height(mode, SCREEN_W, SCREEN_H);
    keyboard_layout(kb, mode, f->page, 0, SCREEN_H - kh, SCREEN_W, kh);
}

/* Taps the centre of key i as a finger would and applies what it hits. */
static void tap(Form *f, const KeyboardLayout *kb, int i)
{
    const KeyBox *k = &kb->keys[i];
    const int hit = keyboard_hit(kb, k->x + k->w / 2, k->y + k->h / 2);
    CHECK_INT(hit, i);
    if (hit >= 0)
        form_apply_key(f, &kb->keys[hit].action);
}

/* Types @p text (the text of one key) with at most @p depth page/shift taps
 * first. */
static bool tap_key(Form *f, const char *text, int depth)
{
    KeyboardLayout kb;
    layout_for(f, &kb);
    for (int i = 0; i < kb.count; i++) {
        if (kb.keys[i].action.kind == KEY_INSERT && strcmp(kb.keys[i].action.text, text) == 0) {
            tap(f, &kb, i);
            return true;
        }
    }
    if (depth == 0)
        return false;
    for (int i = 0; i < kb.count; i++) {
        const KeyActionKind k = kb.keys[i].action.kind;
        if (k == KEY_INSERT || k == KEY_BACKSPACE || k == KEY_DONE)
            continue;
        Form g = *f;
        tap(&g, &kb, i);
        if (tap_key(&g, text, depth - 1)) {
            *f = g;
            return true;
        }
    }
    return false;
}

/* Types a string code point by code point, as few page taps as needed. */
static void type_by_tapping(Form *f, const char *s)
{
    while (*s) {
        const unsigned char c = (unsigned char)*s;
        const size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        char one[5] = {0};
        memcpy(one, s, n);
        s += n;
        bool ok = false;
        for (int depth = 0; depth <= 3 && !ok; depth++)
            ok = tap_key(f, one, depth);
        if (!ok) {
            fprintf(stderr, "cannot type \"%s\" on the keyboard (mode %d)\n", one,
                    form_keyboard_mode(f));
            check_failures++;
        }
    }
}

static void test_typing_by_tapping(void)
{
    static const char *const names[] = {
        "Zoë",   "José",        "Müller",           "Élodie", "Jean-Luc O'Brien",
        "Ñuñez", "Øyvind Åsen", "Françoise Lefèvre"};
    for (int i = 0; i < N(names); i++) {
        Form f;
        form_init(&f, signup, F_COUNT);
        form_focus(&f, F_NAME);
        type_by_tapping(&f, names[i]);
        CHECK_STR(f.value[F_NAME], names[i]);
        CHECK_INT(form_field_error(&f, F_NAME), FORM_OK);
    }

    /* The first capital comes for free: "Zoë" is Z, o, àé, ë. */
    Form f;
    form_init(&f, signup, F_COUNT);
    form_focus(&f, F_NAME);
    KeyboardLayout kb;
    layout_for(&f, &kb);
    CHECK_INT(kb.page, KB_PAGE_UPPER);
    CHECK(tap_key(&f, "Z", 0));
    CHECK(tap_key(&f, "o", 0));
    CHECK(!tap_key(&f, "ë", 0));
    CHECK(tap_key(&f, "ë", 1));
    CHECK_STR(f.value[F_NAME], "Zoë");

    form_focus(&f, F_EMAIL);
    type_by_tapping(&f, "zoe.muller_2@example");
    layout_for(&f, &kb);
    int com = -1;
    for (int i = 0; i < kb.count; i++)
        if (kb.keys[i].action.kind == KEY_INSERT && strcmp(kb.keys[i].action.text, ".com") == 0)
            com = i;
    CHECK(com >= 0);
    if (com >= 0)
        tap(&f, &kb, com);
    CHECK_STR(f.value[F_EMAIL], "zoe.muller_2@example.com");
    CHECK_INT(form_field_error(&f, F_EMAIL), FORM_OK);

    form_focus(&f, F_PHONE);
    type_by_tapping(&f, "+41-79-123-45-67"); /* the keypad has no space key */
    CHECK_STR(f.value[F_PHONE], "+41-79-123-45-67");
    CHECK_INT(form_field_error(&f, F_PHONE), FORM_OK);
    layout_for(&f, &kb);
    for (int i = 0; i < kb.count; i++)
        if (kb.keys[i].action.kind == KEY_BACKSPACE)
            tap(&f, &kb, i);
    CHECK_STR(f.value[F_PHONE], "+41-79-123-45-6");
    for (int i = 0; i < kb.count; i++)
        if (kb.keys[i].action.kind == KEY_DONE)
            tap(&f, &kb, i);
    CHECK_INT(f.focus, -1);
    CHECK(f.touched[F_PHONE]);
}

/* ---- Clearing between clients ----------------------------------------- */

static void test_clear(void)
{
    Form f;
    form_init(&f, signup, F_COUNT);
    for (int i = 0; i < F_COUNT; i++)
        memset(f.value[i], 'x', FORM_VALUE_MAX); /* even bytes past the NUL */
    form_focus(&f, F_NAME);
    form_choose(&f, F_TREATMENT, 2);
    form_toggle(&f, F_CONSENT);
    form_attempt_submit(&f);
    form_apply_key(&f, &(KeyAction){KEY_PAGE_SYMBOLS, NULL});

    form_clear(&f);
    const unsigned char *bytes = (const unsigned char *)f.value;
    size_t nonzero = 0;
    for (size_t k = 0; k < sizeof f.value; k++)
        nonzero += bytes[k] != 0;
    CHECK_INT(nonzero, 0);
    for (int i = 0; i < FORM_MAX_FIELDS; i++) {
        CHECK_INT(f.choice[i], -1);
        CHECK(!f.checked[i]);
        CHECK(!f.touched[i]);
    }
    CHECK_INT(f.focus, -1);
    CHECK_INT(f.page, KB_PAGE_LOWER);
    CHECK(!f.shift_once);
    /* the specs stay */
    CHECK_INT(f.count, F_COUNT);
    CHECK_INT(f.spec[F_TREATMENT].choice_count, 3);
    CHECK(f.spec[F_PHONE].contact);

    FormFieldSpec many[FORM_MAX_FIELDS + 5];
    memset(many, 0, sizeof many);
    form_init(&f, many, FORM_MAX_FIELDS + 5); /* clamped */
    CHECK_INT(f.count, FORM_MAX_FIELDS);
    form_init(&f, NULL, 3);
    CHECK_INT(f.count, 0);
    CHECK(form_valid(&f));
    form_clear(NULL);
    form_init(NULL, signup, 1);
}

/* Presses the letter keys of @p s on whatever page is up, lower-case
 * labels only, as a client who never touches Shift: the form decides the
 * capitals. */
static void press_plain(Form *f, const char *s)
{
    for (; *s; s++) {
        char one[2] = {*s, '\0'};
        if (*s == ' ') {
            form_apply_key(f, &(KeyAction){KEY_INSERT, " "});
            continue;
        }
        if (f->page == KB_PAGE_UPPER)
            one[0] = (char)(one[0] - 'a' + 'A');
        form_apply_key(f, &(KeyAction){KEY_INSERT, one});
    }
}

/* Names: each word starts with Shift on, as phone keyboards do; Shift stays
 * one-shot and the client can turn it off; other rules keep their old
 * behaviour. */
static void test_capitalize_words(void)
{
    FormFieldSpec spec = {FORM_TEXT, true, 0, 0, false, FORM_CAP_WORDS};
    Form f;
    form_init(&f, &spec, 1);
    form_focus(&f, 0);
    press_plain(&f, "jane test");
    CHECK_STR(f.value[0], "Jane Test");
    CHECK_INT(f.page, KB_PAGE_LOWER); /* one-shot: released after the T */
    press_plain(&f, " de");
    CHECK_STR(f.value[0], "Jane Test De");
    /* The client turns the word's capital off: "van" stays small. */
    form_apply_key(&f, &(KeyAction){KEY_INSERT, " "});
    CHECK(f.shift_once);
    form_apply_key(&f, &(KeyAction){KEY_SHIFT, NULL});
    CHECK(!f.shift_once);
    CHECK_INT(f.page, KB_PAGE_LOWER);
    press_plain(&f, "van");
    CHECK_STR(f.value[0], "Jane Test De van");
    /* Backspace to a word's start arms it again; into a word drops it. */
    form_clear(&f);
    form_focus(&f, 0);
    press_plain(&f, "jo ");
    CHECK(f.shift_once);
    form_backspace(&f);
    CHECK(!f.shift_once);
    CHECK_INT(f.page, KB_PAGE_LOWER);
    form_apply_key(&f, &(KeyAction){KEY_INSERT, " "});
    CHECK_INT(f.page, KB_PAGE_UPPER);
    /* The accents page follows too: "Jo Élodie". */
    form_apply_key(&f, &(KeyAction){KEY_PAGE_ACCENTS, NULL});
    CHECK_INT(f.page, KB_PAGE_ACCENTS_UPPER);

    /* capitalize: first, the old rule: only the value's first letter. */
    spec.capitalize = FORM_CAP_FIRST;
    form_init(&f, &spec, 1);
    form_focus(&f, 0);
    press_plain(&f, "jane test");
    CHECK_STR(f.value[0], "Jane test");
    /* capitalize: none: never. */
    spec.capitalize = FORM_CAP_NONE;
    form_init(&f, &spec, 1);
    form_focus(&f, 0);
    CHECK(!f.shift_once);
    press_plain(&f, "jane test");
    CHECK_STR(f.value[0], "jane test");
    /* A physical keyboard's text is kept as typed. */
    spec.capitalize = FORM_CAP_WORDS;
    form_init(&f, &spec, 1);
    form_focus(&f, 0);
    form_insert_text(&f, "mcDonald o'neil");
    CHECK_STR(f.value[0], "mcDonald o'neil");
}

int main(void)
{
    test_validation_table();
    test_email_lengths();
    test_contact_choice_consent();
    test_show_error();
    test_focus_pages();
    test_shift_and_pages();
    test_capitalize_words();
    test_backspace_utf8();
    test_max_bytes();
    test_insert_filter();
    test_hostile_names();
    test_typing_by_tapping();
    test_clear();
    return check_report("test_form");
}
