/* The shell's effect handlers through the real shell (tests/rig.h): the one
 * queue of sign-ups the disk refused. Rows wait in the store's queue in the
 * order they came, the client is told honestly, the timer writes them once
 * the disk takes them again, and a stop writes what is still waiting when
 * the disk has recovered. The "full disk" is RLIMIT_FSIZE at the file's size,
 * which stops root too. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "check.h"
#include "rig.h"

static long size_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void disk_full(const char *path, bool full)
{
    struct rlimit rl = {full ? (rlim_t)size_of(path) : RLIM_INFINITY, RLIM_INFINITY};
    CHECK(setrlimit(RLIMIT_FSIZE, &rl) == 0);
}

static char *slurp(const char *path)
{
    static char buf[1 << 16];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Back from the thank-you screen to the slides, as the next client finds them. */
static void next_client(Rig *r)
{
    rig_turn(r, 2000, true);
    rig_tap(r, app_thanks_button(rig_app(r)));
    rig_turn(r, 1000, true);
}

int main(void)
{
    signal(SIGXFSZ, SIG_IGN); /* EFBIG, not death, when the "disk" is full */
    Rig r;
    if (rig_open(&r, NULL, 800, 480) != 0)
        return 1;
    const ShellCounts *n = shell_counts(r.sh);
    rig_turn(&r, 100, true);

    /* Two clients while the disk is full: both kept, both told so. */
    disk_full(r.csv, true);
    CHECK(rig_sign_up(&r, "Ann First", "020 7946 0001", "ann@example.com", 0));
    CHECK(rig_app(&r)->store_failed);
    next_client(&r);
    CHECK(rig_sign_up(&r, "Bob Second", "020 7946 0002", "bob@example.com", 1));
    CHECK(rig_app(&r)->store_failed);
    CHECK_INT(n->kept, 2);
    CHECK_INT(n->saved, 0);
    CHECK_INT(rig_csv_rows(&r), 0);
    next_client(&r);

    /* The retry timer: nothing while the disk is full... */
    rig_turn(&r, 11000, true);
    CHECK_INT(rig_csv_rows(&r), 0);
    /* ...and once it takes rows again, both, first come first written. */
    disk_full(r.csv, false);
    rig_turn(&r, 11000, true);
    CHECK_INT(rig_csv_rows(&r), 2);
    const char *csv = slurp(r.csv);
    const char *ann = strstr(csv, "Ann First"), *bob = strstr(csv, "Bob Second");
    CHECK(ann && bob && ann < bob);

    /* A client while the disk is full, then the disk recovers and the kiosk
     * stops before the timer came round: the stop writes the row. */
    disk_full(r.csv, true);
    CHECK(rig_sign_up(&r, "Cy Third", "020 7946 0003", "cy@example.com", 0));
    CHECK_INT(n->kept, 3);
    next_client(&r);
    /* Staff's Exit while it waits asks first; a second tap exits. */
    rig_open_staff(&r);
    CHECK_INT(rig_app(&r)->screen, SCREEN_STAFF);
    StaffLayout sl;
    app_staff_layout(rig_app(&r), &sl);
    rig_tap(&r, sl.exit_btn);
    CHECK(rig_turn(&r, 100, true));
    CHECK(strstr(rig_app(&r)->staff.message, "Tap Exit kiosk again") != NULL);
    CHECK_INT(n->staff_exits, 0);
    disk_full(r.csv, false);
    rig_tap(&r, sl.exit_btn);
    CHECK(!rig_turn(&r, 100, true));
    CHECK_INT(n->staff_exits, 1);
    char csv_path[sizeof r.csv], dir[sizeof r.dir];
    snprintf(csv_path, sizeof csv_path, "%s", r.csv);
    snprintf(dir, sizeof dir, "%s", r.dir);
    rig_close(&r, true);
    csv = slurp(csv_path);
    CHECK(strstr(csv, "Cy Third") != NULL);
    int rows = 0;
    for (const char *p = csv; (p = strstr(p, "\r\n")); p += 2)
        rows++;
    CHECK_INT(rows, 4); /* the header and three sign-ups */
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (check_failures == 0 && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("test_effects");
}
