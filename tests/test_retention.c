/* test_retention: keep_days on the real shell. Rows from 2020 written into
 * the live file (held open by the store), an archive and a .partial go at
 * the hourly pass and no sooner; recent rows stay; the store keeps taking
 * sign-ups afterwards in the same file. */
#include "retention.h"

#include "check.h"
#include "files.h"
#include "rig.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "<id>,<timestamp>,<rest>" of the file's first data row, with the id and
 * time replaced: a row of the live file's own width. */
static void old_row_like(const char *csv, const char *id, char *out, size_t cap)
{
    size_t len;
    char *b = files_slurp(csv, &len);
    char *row = b ? strstr(b, "\r\n") : NULL;
    char *rest = row ? strchr(strchr(row + 2, ',') + 1, ',') : NULL;
    char *end = rest ? strstr(rest, "\r\n") : NULL;
    if (!end)
        abort();
    snprintf(out, cap, "%s,2020-01-01T10:00:00+00:00%.*s\r\n", id, (int)(end - rest), rest);
    free(b);
}

static void append(const char *path, const char *text)
{
    FILE *f = fopen(path, "a");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        abort();
}

int main(void)
{
    Rig r;
    if (rig_open(&r, NULL, 800, 480) != 0)
        return 1;
    CHECK(rig_sign_up(&r, "Recent Rita", "0207946001", "rita@example.org", 1));
    char row[2048], archive[256], partial[256];
    old_row_like(r.csv, "old-live", row, sizeof row);
    append(r.csv, row);
    snprintf(archive, sizeof archive, "%s/signups-20250101-090000.csv", r.dir);
    append(archive, "id,timestamp,name\r\n"
                    "old-arch,2020-01-01T10:00:00+00:00,Old Olga\r\n"
                    "new-arch,2099-01-01T10:00:00+00:00,Future Fred\r\n");
    snprintf(partial, sizeof partial, "%s.partial", r.csv);
    append(partial, "old-part,2020-01-01T10:00:00+00:00,Torn\r\n");
    CHECK_INT(rig_csv_rows(&r), 2);

    /* Not yet: the pass runs hourly. */
    rig_turn(&r, 1000, false);
    CHECK(files_contain(r.csv, "old-live"));
    rig_turn(&r, RETENTION_EVERY_MS, false);
    CHECK(!files_contain(r.csv, "old-live"));
    CHECK(files_contain(r.csv, "Recent Rita"));
    CHECK(!files_contain(archive, "Old Olga") && files_contain(archive, "Future Fred"));
    CHECK(access(partial, F_OK) != 0); /* nothing left in it: removed */
    CHECK_INT(files_mode(r.csv) & 0777, 0600);

    /* The store let go of the old file and took the new one. */
    CHECK(rig_sign_up(&r, "Later Lena", "0207946002", "lena@example.org", 1));
    CHECK_INT(rig_csv_rows(&r), 2);
    CHECK(files_contain(r.csv, "Later Lena"));
    rig_close(&r, check_failures != 0);
    return check_report("test_retention");
}
