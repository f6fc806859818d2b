/* Tests of the back-off kept on disk (io/pinstate): the file's text both
 * ways, its refusals, and restarts (clean, and with the plug pulled right
 * after a wrong PIN) in a temporary folder. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "pinguard.h"
#include "pinstate.h"

static void test_path(void)
{
    char out[64];
    CHECK_INT(pin_state_path("/var/lib/kiosk/signups.csv", out, sizeof out), 0);
    CHECK_STR(out, "/var/lib/kiosk/pin-backoff");
    CHECK_INT(pin_state_path("signups.csv", out, sizeof out), 0);
    CHECK_STR(out, "pin-backoff");
    CHECK_INT(pin_state_path("/signups.csv", out, sizeof out), 0);
    CHECK_STR(out, "/pin-backoff");
    char tiny[8];
    CHECK_INT(pin_state_path("/var/lib/kiosk/signups.csv", tiny, sizeof tiny), -1);
}

static void test_text(void)
{
    /* Tags tell hashes apart, and are stable (they are kept on disk). */
    CHECK(pin_state_tag("$y$j9T$a$b") != pin_state_tag("$y$j9T$a$c"));
    CHECK_INT(pin_state_tag(NULL), pin_state_tag(""));
    CHECK_INT(pin_state_tag(""), 0xcbf29ce484222325ull);
    CHECK_INT(pin_state_tag("a"), 0xaf63dc4c8601ec8cull);

    PinState s = {7, 1765080000, 0x0123456789abcdefull}, back;
    char buf[PIN_STATE_MAX_BYTES], err[200];
    int n = pin_state_format(&s, buf, sizeof buf);
    CHECK(n > 0 && (size_t)n == strlen(buf));
    CHECK(strstr(buf, "\nfailures: 7\nlocked_until: 1765080000\n"
                      "staff_pin_tag: 0123456789abcdef\n") != NULL);
    CHECK_INT(pin_state_parse(buf, (size_t)n, &back, err, sizeof err), 0);
    CHECK_INT(back.failures, 7);
    CHECK_INT(back.locked_until, 1765080000);
    CHECK_INT(back.pin_tag, 0x0123456789abcdefull);
    char small[40];
    CHECK_INT(pin_state_format(&s, small, sizeof small), -1);

    /* Written by hand, in another order, with CR LF: read the same. */
    const char *hand = "staff_pin_tag:0123456789abcdef\r\n\r\n# note\r\nlocked_until: 0\r\n"
                       "failures: 0";
    CHECK_INT(pin_state_parse(hand, strlen(hand), &back, err, sizeof err), 0);
    CHECK_INT(back.failures, 0);
    CHECK_INT(back.locked_until, 0);

    static const struct {
        const char *text, *err;
    } bad[] = {
        {"", "no 'failures' line"},
        {"# only a comment\n", "no 'failures' line"},
        {"failures: 1\nlocked_until: 5\n", "no 'staff_pin_tag' line"},
        {"failures: 1\nfailures: 2\n", "2: 'failures' a second time"},
        {"failure: 1\n", "1: expected 'failures:', 'locked_until:' or 'staff_pin_tag:'"},
        {"failures 1\n", "1: expected 'failures:', 'locked_until:' or 'staff_pin_tag:'"},
        {" failures: 1\n", "1: expected 'failures:', 'locked_until:' or 'staff_pin_tag:'"},
        {"failures: -1\n", "1: 'failures' needs a whole number of 0 or more"},
        {"failures: 2147483648\n", "1: 'failures' needs a whole number of 0 or more"},
        {"failures: 3 \n", "1: 'failures' needs a whole number of 0 or more"},
        {"failures:\n", "1: 'failures' needs a whole number of 0 or more"},
        {"locked_until: 99999999999999999999\n",
         "1: 'locked_until' needs a whole number of 0 or more"},
        {"locked_until: 9223372036854775808\n",
         "1: 'locked_until' needs a whole number of 0 or more"},
        {"staff_pin_tag: 0123456789ABCDEF\n", "1: 'staff_pin_tag' needs 16 hex digits (0-9, a-f)"},
        {"staff_pin_tag: 0123\n", "1: 'staff_pin_tag' needs 16 hex digits (0-9, a-f)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        int rc = pin_state_parse(bad[i].text, strlen(bad[i].text), &back, err, sizeof err);
        if (rc != -1 || strcmp(err, bad[i].err) != 0) {
            fprintf(stderr, "FAIL parse bad %zu: rc %d, err '%s', expected '%s'\n", i, rc, err,
                    bad[i].err);
            check_failures++;
        }
    }
    /* The largest values there are. */
    const char *big = "failures: 2147483647\nlocked_until: 9223372036854775807\n"
                      "staff_pin_tag: ffffffffffffffff\n";
    CHECK_INT(pin_state_parse(big, strlen(big), &back, err, sizeof err), 0);
    CHECK_INT(back.failures, 2147483647);
    CHECK(back.locked_until == INT64_MAX);
    CHECK(back.pin_tag == UINT64_MAX);
}

static char tmpdir[] = "/tmp/test_pinstate.XXXXXX";

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        abort();
}

/* Restarts, as the shell does them: pin_state_keep() before each check
 * (as if wrong) and after a right one; pin_state_restore() at each start,
 * on an app clock that starts again while the wall clock runs on. */
static void test_restarts(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        check_failures++;
        return;
    }
    char path[128], note[600], err[600];
    snprintf(path, sizeof path, "%s/pin-backoff", tmpdir);
    const char *hash = "$y$j9T$salt$hashhashhash";
    int64_t wall = 1700000000;

    /* No file yet: nothing to take over, nothing to say. */
    PinState st;
    CHECK_INT(pin_state_load(path, &st, err, sizeof err), 1);
    PinGuard g = pin_state_restore(path, hash, 0, wall, note, sizeof note);
    CHECK_INT(g.failures, 0);
    CHECK(!pin_guard_locked(&g, 0));
    CHECK_STR(note, "");

    /* Four wrong PINs, each kept before it was checked and each as soon
     * as allowed: the fourth locks for 60 s. */
    uint64_t now = 5000;
    for (int i = 0; i < 4; i++) {
        if (pin_guard_locked(&g, now)) {
            wall += (int64_t)(g.locked_until_ms - now) / 1000;
            now = g.locked_until_ms;
        }
        PinGuard wrong = g;
        pin_guard_result(&wrong, false, now);
        CHECK_INT(pin_state_keep(path, hash, &wrong, now, wall, err, sizeof err), 0);
        pin_guard_result(&g, false, now);
    }
    CHECK_INT(g.failures, 4);
    CHECK_INT(pin_guard_wait_s(&g, now), 60);
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK(access(tmp, F_OK) != 0);

    /* A restart 20 s later (the app's clock at 0 again): 40 s left. */
    g = pin_state_restore(path, hash, 0, wall + 20, note, sizeof note);
    CHECK_INT(g.failures, 4);
    CHECK_INT(pin_guard_wait_s(&g, 0), 40);
    char want[400];
    snprintf(want, sizeof want,
             "4 wrong staff PIN(s) since the last right one (%s): locked for 40 s", path);
    CHECK_STR(note, want);

    /* Once the lockout ran out, one more wrong PIN and the plug is pulled
     * right after it was kept (before the check, so nothing else was
     * written): the next start is locked for that PIN's 120 s. */
    uint64_t later = 40000;
    wall += 20 + 40;
    CHECK(!pin_guard_locked(&g, later));
    PinGuard wrong = g;
    pin_guard_result(&wrong, false, later);
    CHECK_INT(pin_state_keep(path, hash, &wrong, later, wall, err, sizeof err), 0);
    /* (power cut) */
    g = pin_state_restore(path, hash, 700, wall + 30, note, sizeof note);
    CHECK_INT(g.failures, 5);
    CHECK_INT(pin_guard_wait_s(&g, 700), 90);
    /* ... and a start long after finds no lockout, but the count: the next
     * wrong PIN costs 240 s, not a free try. */
    g = pin_state_restore(path, hash, 0, wall + 86400, note, sizeof note);
    CHECK_INT(g.failures, 5);
    CHECK(!pin_guard_locked(&g, 0));
    pin_guard_result(&g, false, 10);
    CHECK_INT(pin_guard_wait_s(&g, 10), 240);

    /* A Pi without a clock battery may start with its clock set back an
     * hour: never more than the step. */
    g = pin_state_restore(path, hash, 0, wall - 3600, note, sizeof note);
    CHECK_INT(pin_guard_wait_s(&g, 0), 120);

    /* A right PIN: kept as no failures; the next start is free. */
    PinGuard right = {0, 0};
    CHECK_INT(pin_state_keep(path, hash, &right, 0, wall, err, sizeof err), 0);
    g = pin_state_restore(path, hash, 0, wall, note, sizeof note);
    CHECK_INT(g.failures, 0);
    CHECK(!pin_guard_locked(&g, 0));
    CHECK_STR(note, "");

    /* Counted against another hash (kiosk --set-pin since): afresh. */
    CHECK_INT(pin_state_keep(path, hash, &wrong, later, wall, err, sizeof err), 0);
    g = pin_state_restore(path, "$y$j9T$salt2$otherhash", 0, wall, note, sizeof note);
    CHECK_INT(g.failures, 0);
    CHECK(!pin_guard_locked(&g, 0));
    snprintf(want, sizeof want,
             "%s: 5 wrong PIN(s) were counted against another staff PIN; the new one starts "
             "afresh",
             path);
    CHECK_STR(note, want);

    /* A file that makes no sense, or is too large: a short lockout. */
    write_file(path, "failures: lots\n");
    g = pin_state_restore(path, hash, 0, wall, note, sizeof note);
    CHECK_INT(g.failures, PIN_FREE_ATTEMPTS);
    CHECK_INT(pin_guard_wait_s(&g, 0), 30);
    snprintf(want, sizeof want,
             "%s:1: 'failures' needs a whole number of 0 or more; counted as 3 wrong staff PINs "
             "(a 30 s lockout)",
             path);
    CHECK_STR(note, want);
    char *huge = malloc(PIN_STATE_MAX_BYTES + 2);
    if (!huge)
        abort();
    memset(huge, '#', PIN_STATE_MAX_BYTES + 1);
    huge[PIN_STATE_MAX_BYTES + 1] = '\0';
    write_file(path, huge);
    free(huge);
    CHECK_INT(pin_state_load(path, &st, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s: larger than 4096 bytes, so not a back-off file", path);
    CHECK_STR(err, want);
    /* A symbolic link planted there is not read through. */
    unlink(path);
    char other[160];
    snprintf(other, sizeof other, "%s/other", tmpdir);
    write_file(other, "failures: 0\nlocked_until: 0\nstaff_pin_tag: 0000000000000000\n");
    CHECK_INT(symlink("other", path), 0);
    g = pin_state_restore(path, hash, 0, wall, note, sizeof note);
    CHECK_INT(pin_guard_wait_s(&g, 0), 30);
    CHECK(strstr(note, "is a symbolic link") != NULL);
    unlink(path);
    unlink(other);
    /* A temporary left by a crash does not stop the next write. */
    write_file(tmp, "half");
    CHECK_INT(pin_state_keep(path, hash, &wrong, later, wall, err, sizeof err), 0);
    CHECK_INT(pin_state_load(path, &st, err, sizeof err), 0);
    CHECK_INT(st.failures, 5);
    CHECK(access(tmp, F_OK) != 0);

    /* A folder that is gone: said, not hidden. */
    char nowhere[200];
    snprintf(nowhere, sizeof nowhere, "%s/gone/pin-backoff", tmpdir);
    CHECK_INT(pin_state_keep(nowhere, hash, &wrong, later, wall, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s.tmp: cannot create: No such file or directory", nowhere);
    CHECK_STR(err, want);

    unlink(path);
    CHECK_INT(rmdir(tmpdir), 0);
}

int main(void)
{
    test_path();
    test_text();
    test_restarts();
    return check_report("test_pinstate");
}
