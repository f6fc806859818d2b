/* test_retain: which rows retention keeps, the time parser, and the weeks
 * the staff screen's funnel sums. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "retain.h"

/* 2026-03-31T12:00:00Z */
#define NOW 1774958400LL

static const struct {
    const char *name, *in, *want;
    int keep_days;
    size_t kept, removed, undated, torn;
} cases[] = {
    {"old rows go, recent stay, header kept",
     "id,timestamp,name\r\n"
     "a,2025-12-01T10:00:00+01:00,Old\r\n"
     "b,2026-03-30T10:00:00+02:00,New\r\n",
     "id,timestamp,name\r\n"
     "b,2026-03-30T10:00:00+02:00,New\r\n",
     90, 1, 1, 0, 0},
    {"the boundary: exactly keep_days old stays, a second more goes",
     "id,timestamp\r\n"
     "a,2025-12-31T12:00:00Z\r\n"
     "b,2025-12-31T11:59:59Z\r\n",
     "id,timestamp\r\n"
     "a,2025-12-31T12:00:00Z\r\n",
     90, 1, 1, 0, 0},
    {"the time column found by its name, not its place (a language column first)",
     "language,name,id,timestamp\r\n"
     "de,Old,a,2020-01-01T00:00:00+00:00\r\n"
     "en,New,b,2026-03-31T00:00:00+00:00\r\n",
     "language,name,id,timestamp\r\n"
     "en,New,b,2026-03-31T00:00:00+00:00\r\n",
     90, 1, 1, 0, 0},
    {"a header whose first field is id names the column wherever it is",
     "id,language,timestamp\r\n"
     "a,de,2020-01-01T00:00:00+00:00\r\n"
     "b,en,2026-03-31T00:00:00+00:00\r\n",
     "id,language,timestamp\r\n"
     "b,en,2026-03-31T00:00:00+00:00\r\n",
     90, 1, 1, 0, 0},
    {"rows without a readable time are kept",
     "id,timestamp\r\n"
     "a,yesterday\r\n"
     "b\r\n"
     "c,2026-02-30X10:00:00\r\n",
     "id,timestamp\r\n"
     "a,yesterday\r\n"
     "b\r\n"
     "c,2026-02-30X10:00:00\r\n",
     90, 0, 0, 3, 0},
    {"a torn tail is kept as it is",
     "id,timestamp\r\n"
     "a,2020-01-01T00:00:00Z\r\n"
     "b,2026-03-31T00:00:00Z,\"Half a na",
     "id,timestamp\r\n"
     "b,2026-03-31T00:00:00Z,\"Half a na",
     90, 0, 1, 0, 33},
    {"a .partial has no header: the store's column order",
     "a,2020-01-01T00:00:00Z,Old\r\n"
     "b,2026-03-31T00:00:00Z,New\r\n",
     "b,2026-03-31T00:00:00Z,New\r\n", 90, 1, 1, 0, 0},
    {"keep_days 0 keeps everything", "id,timestamp\r\na,1999-01-01T00:00:00Z\r\n",
     "id,timestamp\r\na,1999-01-01T00:00:00Z\r\n", 0, 1, 0, 0, 0},
    {"a row a person mangled (a bare quote) is kept to its line end",
     "id,timestamp\r\n"
     "a,2020-01-01T00:00:00Z,x\"y\r\n"
     "b,2020-01-01T00:00:00Z\r\n",
     "id,timestamp\r\n"
     "a,2020-01-01T00:00:00Z,x\"y\r\n",
     90, 0, 1, 1, 0},
};

static void test_filter(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = strlen(cases[i].in);
        char *out = malloc(len + 1);
        RetainCount c;
        size_t n = retain_filter(cases[i].in, len, NOW, cases[i].keep_days, out, &c);
        out[n] = '\0';
        if (strcmp(out, cases[i].want) != 0) {
            fprintf(stderr, "FAIL %s: got\n%s\nexpected\n%s\n", cases[i].name, out, cases[i].want);
            check_failures++;
        }
        if (c.kept != cases[i].kept || c.removed != cases[i].removed ||
            c.undated != cases[i].undated || c.torn != cases[i].torn) {
            fprintf(stderr, "FAIL %s: kept %zu removed %zu undated %zu torn %zu\n", cases[i].name,
                    c.kept, c.removed, c.undated, c.torn);
            check_failures++;
        }
        free(out);
    }
}

static void test_parse_time(void)
{
    int64_t t = 0;
    CHECK_INT(retain_parse_time("2026-03-31T12:00:00Z", &t), 0);
    CHECK_INT(t, NOW);
    CHECK_INT(retain_parse_time("2026-03-31T14:00:00+02:00", &t), 0);
    CHECK_INT(t, NOW);
    CHECK_INT(retain_parse_time("2026-03-31T07:30:00-04:30", &t), 0);
    CHECK_INT(t, NOW);
    CHECK_INT(retain_parse_time("2026-03-31T12:00:00", &t), 0);
    CHECK_INT(t, NOW);
    CHECK_INT(retain_parse_time("1970-01-01T00:00:00Z", &t), 0);
    CHECK_INT(t, 0);
    CHECK_INT(retain_parse_time("2026-13-01T00:00:00Z", &t), -1);
    CHECK_INT(retain_parse_time("2026-03-31T12:00", &t), -1);
    CHECK_INT(retain_parse_time("2026-03-31T12:00:00+2", &t), -1);
    CHECK_INT(retain_parse_time("'2026-03-31T12:00:00Z", &t), -1);
}

static void test_weeks(void)
{
    char d[7][11];
    /* 2026-03-31 is a Tuesday: Monday and Tuesday. */
    CHECK_INT(retain_week_dates(2026, 3, 31, d), 2);
    CHECK_STR(d[0], "2026-03-30");
    CHECK_STR(d[1], "2026-03-31");
    /* A Monday is a week of one day. */
    CHECK_INT(retain_week_dates(2026, 3, 30, d), 1);
    CHECK_STR(d[0], "2026-03-30");
    /* A Sunday reaches back six days, across a year's end. */
    CHECK_INT(retain_week_dates(2027, 1, 3, d), 7);
    CHECK_STR(d[0], "2026-12-28");
    CHECK_STR(d[4], "2027-01-01");
    CHECK_STR(d[6], "2027-01-03");
    /* Across 29 February. */
    CHECK_INT(retain_week_dates(2028, 3, 1, d), 3);
    CHECK_STR(d[0], "2028-02-28");
    CHECK_STR(d[1], "2028-02-29");
    int y, m, dd;
    retain_civil_from_days(retain_days_from_civil(2000, 2, 29), &y, &m, &dd);
    CHECK(y == 2000 && m == 2 && dd == 29);
}

int main(void)
{
    test_filter();
    test_parse_time();
    test_weeks();
    return check_report("test_retain");
}
