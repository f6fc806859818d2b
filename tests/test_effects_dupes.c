/* Duplicates marked through the real shell (tests/rig.h): the index of the
 * last day's rows is rebuilt at start from the sign-up file and from the
 * newest file renamed aside, and a second sign-up with the same phone or
 * email gets the first one's id in duplicate_of; the client sees the same
 * thank-you screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "csv.h"
#include "files.h"
#include "rig.h"
#include "store.h"

/* Value of column name in data row number row (0-based) of csv. */
static void cell(const char *csv, int row, const char *name, char *out, size_t cap)
{
    size_t len, used, off = 0;
    char *buf = files_slurp(csv, &len), *f[64];
    int col = -1, nf;
    out[0] = '\0';
    for (int r = -1;
         buf && off < len && (nf = csv_parse_row(buf + off, len - off, &used, f, 64)) > 0; r++) {
        off += used;
        for (int i = 0; i < nf; i++) {
            if (r < 0 && strcmp(f[i], name) == 0)
                col = i;
            if (r == row && i == col)
                snprintf(out, cap, "%s", f[i]);
            free(f[i]);
        }
    }
    free(buf);
}

static void back_to_slides(Rig *r)
{
    for (int i = 0; i < 200 && rig_app(r)->screen != SCREEN_SLIDES; i++)
        rig_turn(r, 500, false);
}

/* A file the store renamed aside before this version added duplicate_of. */
static void write_archive(const char *dir)
{
    char path[256], now[64], old[64], text[1024];
    store_format_time(time(NULL) - 3600, now, sizeof now);
    store_format_time(time(NULL) - 25 * 3600, old, sizeof old);
    snprintf(path, sizeof path, "%s/signups-20261201-090000.csv", dir);
    snprintf(
        text, sizeof text,
        "id,timestamp,kiosk,deck,name,phone,email,contact_time,consent_version\r\n"
        "1111111111111111,%s,rig,microneedling,Old Row,0161 496 0999,late@example.com,Morning,1\r\n"
        "2222222222222222,%s,rig,microneedling,Ann,020 7946 0958,ann@example.com,Morning,1\r\n",
        old, now);
    files_write(path, text, strlen(text));
    /* An older archive, and a file that is not one: neither is read. */
    snprintf(path, sizeof path, "%s/signups-20261130-090000.csv", dir);
    snprintf(text, sizeof text,
             "id,timestamp,kiosk,deck,name,phone,email,contact_time,consent_version\r\n"
             "3333333333333333,%s,rig,microneedling,X,0161 496 0555,x@example.com,Morning,1\r\n",
             now);
    files_write(path, text, strlen(text));
    snprintf(path, sizeof path, "%s/signups-backup.csv", dir);
    snprintf(text, sizeof text, "id,timestamp,phone\r\n4444444444444444,%s,0161 496 0777\r\n", now);
    files_write(path, text, strlen(text));
}

int main(void)
{
    char dir[64], id0[32], got[32];
    snprintf(dir, sizeof dir, "/tmp/kiosk-dupes-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    write_archive(dir);
    Rig r;
    CHECK_INT(rig_open_in(&r, dir, NULL, 1280, 800), 0);
    if (!r.sh)
        return 1;
    /* Same phone, other spelling, as a row of the archive an hour ago. */
    CHECK(rig_sign_up(&r, "Ann Lee", "020-7946-0958", "new@example.com", 0));
    cell(r.csv, 0, "duplicate_of", got, sizeof got);
    CHECK_STR(got, "2222222222222222");
    back_to_slides(&r);
    /* Email of a row 25 hours old, phone of the older archive, the
     * non-archive's: none counts. */
    CHECK(rig_sign_up(&r, "Someone", "0161 496 0555", "LATE@example.com", 0));
    cell(r.csv, 1, "duplicate_of", got, sizeof got);
    CHECK_STR(got, "");
    back_to_slides(&r);
    CHECK(rig_sign_up(&r, "Other", "0161 496 0777", "o@example.com", 0));
    cell(r.csv, 2, "duplicate_of", got, sizeof got);
    CHECK_STR(got, "");
    cell(r.csv, 1, "id", id0, sizeof id0);
    rig_close(&r, true);

    /* After a restart, the live file's rows count: same email, other case. */
    CHECK_INT(rig_open_in(&r, dir, NULL, 1280, 800), 0);
    if (r.sh) {
        CHECK(rig_sign_up(&r, "Some One", "0161 496 0123", " late@EXAMPLE.com", 0));
        CHECK(rig_app(&r)->screen == SCREEN_THANKS);
        cell(r.csv, 3, "duplicate_of", got, sizeof got);
        CHECK_STR(got, id0);
        CHECK_INT(rig_check_csv(&r, 4), 0);
        rig_close(&r, true);
    }
    int failed = check_report("test_effects_dupes");
    if (!failed)
        files_rm_tree(dir);
    return failed;
}
