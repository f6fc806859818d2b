/* notice: the email and JSON a sign-up becomes, and the back-off. */
#include <string.h>

#include "check.h"
#include "notice.h"

static const char *const names[] = {"id",    "timestamp", "kiosk",           "deck",        "name",
                                    "phone", "email",     "consent_version", "duplicate_of"};

static void test_backoff(void)
{
    CHECK_INT((long)notice_backoff_ms(1, 0), 5000);
    CHECK_INT((long)notice_backoff_ms(2, 0), 10000);
    CHECK_INT((long)notice_backoff_ms(3, 0), 20000);
    CHECK_INT((long)notice_backoff_ms(8, 0), 640000);
    CHECK_INT((long)notice_backoff_ms(9, 0), 900000); /* capped at 15 min */
    CHECK_INT((long)notice_backoff_ms(4000000000u, 0), 900000);
    CHECK_INT((long)notice_backoff_ms(1, 999), 5499); /* at most a tenth more */
}

static void test_email(void)
{
    const char *values[] = {"0123456789abcdef",
                            "2026-12-02T10:39:23+01:00",
                            "desk-1",
                            "micro",
                            "Ann\r\nBcc: evil@example.com",
                            "'+44 20 7946 0000",
                            "ann@example.com",
                            "v3",
                            ""};
    NoticeRow row = {names, values, 9};
    char buf[4096];
    size_t n = notice_email(buf, sizeof buf, &row, "kiosk@clinic.example", "desk@clinic.example",
                            "Wed, 02 Dec 2026 10:39:24 +0100");
    CHECK_INT((long)n, (long)strlen(buf));
    CHECK(strstr(buf, "Message-ID: <0123456789abcdef@kiosk>\r\n") != NULL);
    CHECK(strstr(buf, "Subject: New sign-up at desk-1\r\n") != NULL);
    CHECK(strstr(buf, "Ann") > strstr(buf, "\r\n\r\n")); /* the name only in the body */
    CHECK(strstr(buf, "To: <desk@clinic.example>\r\n") != NULL);
    /* A line break in a value cannot add a header. */
    CHECK(strstr(buf, "\r\nBcc:") == NULL);
    CHECK(strstr(buf, "name: Ann  Bcc: evil@example.com\r\n") != NULL);
    CHECK(strstr(buf, "phone: +44 20 7946 0000\r\n") != NULL); /* the formula guard undone */
    /* Truncation: like snprintf. */
    char small[16];
    size_t whole = notice_email(buf, sizeof buf, &row, "a@b.c", "d@e.f", "x");
    CHECK_INT((long)notice_email(small, sizeof small, &row, "a@b.c", "d@e.f", "x"), (long)whole);
    CHECK_INT((long)strlen(small), 15);
    /* A non-ASCII kiosk name stays out of the subject. */
    values[2] = "Salle d'attente é";
    notice_email(buf, sizeof buf, &row, "a@b.c", "d@e.f", "x");
    CHECK(strstr(buf, "Subject: New sign-up\r\n") != NULL);
}

static void test_json(void)
{
    const char *values[] = {"0123456789abcdef",
                            "2026-12-02T10:39:23+01:00",
                            "desk",
                            "micro",
                            "Zoë \"Z\" \\ \x01",
                            "'+44 20",
                            "z@example.com",
                            "v3",
                            ""};
    NoticeRow row = {names, values, 9};
    char buf[2048];
    notice_json(buf, sizeof buf, &row);
    CHECK_STR(buf, "{\"id\":\"0123456789abcdef\",\"time\":\"2026-12-02T10:39:23+01:00\","
                   "\"kiosk\":\"desk\",\"deck\":\"micro\",\"name\":\"Zoë \\\"Z\\\" \\\\ "
                   "\\u0001\",\"phone\":\"+44 20\",\"email\":\"z@example.com\","
                   "\"consent_version\":\"v3\",\"duplicate_of\":null}");
    values[8] = "fedcba9876543210";
    notice_json(buf, sizeof buf, &row);
    CHECK(strstr(buf, "\"duplicate_of\":\"fedcba9876543210\"}") != NULL);
    CHECK_STR(notice_unguard("'Tis"), "'Tis");
    CHECK_STR(notice_unguard("'=1+1"), "=1+1");
    CHECK_STR(notice_unguard(NULL), "");
}

int main(void)
{
    test_backoff();
    test_email();
    test_json();
    return check_report("test_notice");
}
