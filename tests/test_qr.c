/* Tests of the qr module: the matrix libqrencode gives for known links
 * (size, finder patterns, the quiet zone qr_dark reports light), and the
 * refusals (empty, too long). The pixels themselves are read back by zbar in
 * tests/booking_qr.test.sh. */
#include <string.h>

#include "check.h"
#include "qr.h"

/* The 7x7 finder pattern with its top-left corner at (x0, y0): a dark ring,
 * a light ring, a dark 3x3 centre. */
static void check_finder(const QrCode *q, int x0, int y0)
{
    for (int y = 0; y < 7; y++)
        for (int x = 0; x < 7; x++) {
            int ring = x < y ? x : y;
            int far = 6 - (x > y ? x : y);
            int d = ring < far ? ring : far; /* distance to the edge */
            CHECK_INT(qr_dark(q, x0 + x, y0 + y), d != 1);
        }
}

static const struct {
    const char *url;
    int size; /* modules a side at level M */
} sizes[] = {
    {"https://a.eu", 21},                                         /* 12 bytes: version 1 holds 14 */
    {"https://a.example", 25},                                    /* 17 bytes: version 2 */
    {"https://clinic.example/book", 29},                          /* 27 bytes: version 3 */
    {"https://clinic.example/book/microneedling?from=kiosk", 33}, /* 52 bytes: version 4 */
    {"https://www.example-clinic.co.uk/en/book/microneedling?utm_source=kiosk", 37}, /* 72: v5 */
};

static void test_sizes(void)
{
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        QrCode q;
        CHECK_INT(qr_encode(sizes[i].url, &q), QR_OK);
        CHECK_INT(q.size, sizes[i].size);
        if (q.size <= 0)
            continue;
        check_finder(&q, 0, 0);
        check_finder(&q, q.size - 7, 0);
        check_finder(&q, 0, q.size - 7);
        /* Timing pattern: row 6 alternates between the finders. */
        for (int x = 8; x < q.size - 8; x++)
            CHECK_INT(qr_dark(&q, x, 6), x % 2 == 0);
        /* Every module is 0 or 1, and the quiet zone around is light. */
        for (int k = 0; k < q.size * q.size; k++)
            CHECK(q.modules[k] <= 1);
        for (int k = -QR_QUIET_MODULES; k < q.size + QR_QUIET_MODULES; k++) {
            CHECK(!qr_dark(&q, k, -1) && !qr_dark(&q, k, q.size));
            CHECK(!qr_dark(&q, -1, k) && !qr_dark(&q, q.size, k));
        }
        qr_free(&q);
        CHECK(q.modules == NULL && q.size == 0);
    }
}

static void test_refusals(void)
{
    QrCode q;
    CHECK_INT(qr_encode("", &q), QR_EMPTY);
    CHECK(q.modules == NULL && q.size == 0);
    CHECK_INT(qr_encode(NULL, &q), QR_EMPTY);
    /* Past version 10 (213 bytes at M) a code is too fine for a screen. */
    char big[300];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_INT(qr_encode(big, &q), QR_TOO_LONG);
    CHECK(q.modules == NULL && q.size == 0);
    /* Past what a QR code can hold at all (2331 bytes at M). */
    static char huge[4000];
    memset(huge, 'a', sizeof huge - 1);
    CHECK_INT(qr_encode(huge, &q), QR_TOO_LONG);
    big[200] = '\0'; /* version 10 holds it */
    CHECK_INT(qr_encode(big, &q), QR_OK);
    CHECK_INT(q.size, QR_MAX_MODULES);
    qr_free(&q);
    qr_free(NULL);
    CHECK(!qr_dark(NULL, 0, 0));
    CHECK(strlen(qr_status_text(QR_TOO_LONG)) > 0);
}

int main(void)
{
    test_sizes();
    test_refusals();
    return check_report("test_qr");
}
