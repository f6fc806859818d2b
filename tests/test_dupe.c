/* dupe: normalising, the 24-hour window, the earliest match, times. */
#include <string.h>

#include "check.h"
#include "dupe.h"

static void test_norm(void)
{
    static const struct {
        const char *in, *phone;
    } phones[] = {
        {"+44 (20) 7946-0000", "442079460000"},
        {"  ", ""},
        {"", ""},
        {"'+1 555", "1555"},
        {"٣٤٥", ""}, /* other scripts' digits are not matched: ASCII digits only */
    };
    for (size_t i = 0; i < sizeof phones / sizeof phones[0]; i++) {
        char out[DUPE_PHONE_MAX];
        dupe_norm_phone(phones[i].in, out, sizeof out);
        CHECK_STR(out, phones[i].phone);
    }
    static const struct {
        const char *in, *email;
    } emails[] = {
        {" Ann@Example.COM\t", "ann@example.com"},
        {"ann@example.com", "ann@example.com"},
        {"", ""},
        {"Zoë@Example.com", "zoë@example.com"}, /* non-ASCII left as typed */
    };
    for (size_t i = 0; i < sizeof emails / sizeof emails[0]; i++) {
        char out[DUPE_EMAIL_MAX];
        dupe_norm_email(emails[i].in, out, sizeof out);
        CHECK_STR(out, emails[i].email);
    }
    char small[4];
    dupe_norm_phone("123456", small, sizeof small);
    CHECK_STR(small, "123");
}

static void test_find(void)
{
    DupeIndex ix = DUPE_INDEX_INIT;
    int64_t t0 = 1800000000;
    CHECK_INT(dupe_add(&ix, t0, "aaaaaaaaaaaaaaaa", "+44 20 7946 0000", "ann@example.com"), 0);
    CHECK_INT(dupe_add(&ix, t0 + 60, "bbbbbbbbbbbbbbbb", "020 1111", "bo@example.com"), 0);
    CHECK_INT(dupe_add(&ix, t0 + 120, "cccccccccccccccc", "442079460000", ""), 0);
    const char *f;
    /* Same phone (other spelling): the earliest row. */
    f = dupe_find(&ix, t0 + 600, "442079460000", "x@example.com");
    CHECK_STR(f ? f : "(none)", "aaaaaaaaaaaaaaaa");
    /* Same email only. */
    f = dupe_find(&ix, t0 + 600, "999", "bo@example.com");
    CHECK_STR(f ? f : "(none)", "bbbbbbbbbbbbbbbb");
    /* Empty values match nothing, though row c has an empty email. */
    CHECK(dupe_find(&ix, t0 + 600, "", "") == NULL);
    /* Just inside and just outside 24 hours of row a: then row c. */
    f = dupe_find(&ix, t0 + DUPE_WINDOW_S - 1, "442079460000", "");
    CHECK_STR(f ? f : "(none)", "aaaaaaaaaaaaaaaa");
    f = dupe_find(&ix, t0 + DUPE_WINDOW_S, "442079460000", "");
    CHECK_STR(f ? f : "(none)", "cccccccccccccccc");
    CHECK(dupe_find(&ix, t0 + 120 + DUPE_WINDOW_S, "442079460000", "") == NULL);
    /* A row stored later than the time asked about is not "earlier". */
    CHECK(dupe_find(&ix, t0 - 1, "442079460000", "") == NULL);
    /* Adding a day later drops what can no longer match. */
    CHECK_INT(dupe_add(&ix, t0 + 2 * DUPE_WINDOW_S, "dddddddddddddddd", "1", ""), 0);
    CHECK_INT((long)ix.n, 1);
    dupe_free(&ix);
    CHECK(ix.e == NULL && ix.n == 0);
    dupe_free(&ix); /* twice is fine */
}

static void test_time(void)
{
    CHECK_INT(dupe_parse_time("1970-01-01T00:00:00+00:00"), 0);
    CHECK_INT(dupe_parse_time("1970-01-01T01:00:00+01:00"), 0);
    CHECK_INT(dupe_parse_time("2026-12-02T10:39:23Z"), 1796207963);
    CHECK_INT(dupe_parse_time("2026-12-02T11:39:23+01:00"), 1796207963);
    CHECK_INT(dupe_parse_time("2026-12-02T05:09:23-05:30"), 1796207963);
    CHECK_INT(dupe_parse_time("2024-02-29T00:00:00+00:00"), 1709164800);
    CHECK_INT(dupe_parse_time("2026-13-02T10:39:23Z"), -1);
    /* A space for the T, as a spreadsheet saves it: retention reads it too. */
    CHECK_INT(dupe_parse_time("2026-12-02 10:39:23Z"), 1796207963);
    CHECK_INT(dupe_parse_time("2026-12-02T10:39:23+0100"), -1);
    CHECK_INT(dupe_parse_time(""), -1);
    CHECK_INT(dupe_parse_time(NULL), -1);
}

int main(void)
{
    test_norm();
    test_find();
    test_time();
    return check_report("test_dupe");
}
