/* test_signfiles: every sign-up file found and counted (live, archives,
 * .partial; nothing else in the folder), exported to a folder standing in
 * for the stick and read back, retention and the erase after export on
 * real files, and a copy that fails half-way leaving nothing that looks
 * complete. */
#include "export.h"
#include "fsx.h"
#include "signfiles.h"

#include "check.h"
#include "files.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* 2026-03-31T12:00:00Z; TZ is UTC for the whole test. */
#define NOW ((time_t)1774958400)

static char root[64], dir[128], usb[128], live[160];

static const char LIVE[] = "id,timestamp,name\r\n"
                           "l1,2026-03-30T10:00:00+00:00,Ann\r\n"
                           "l2,2025-01-01T10:00:00+00:00,Old Bob\r\n";
static const char ARCH1[] = "id,timestamp,email\r\n"
                            "a1,2026-03-01T10:00:00+00:00,c@example.org\r\n";
static const char ARCH2[] = "id,timestamp,email\r\n"
                            "a2,2024-03-01T10:00:00+00:00,d@example.org\r\n";
static const char PARTIAL[] = "p1,2026-03-29T10:00:00+00:00,Torn \"Tom";

static void put(const char *name, const char *data)
{
    char p[300];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    if (files_write(p, data, strlen(data)) != 0)
        abort();
}

static void setup(void)
{
    files_rm_tree(dir);
    files_rm_tree(usb);
    mkdir(dir, 0700);
    mkdir(usb, 0700);
    put("signups.csv", LIVE);
    put("signups-20260301-090000.csv", ARCH1);
    put("signups-20240301-090000-2.csv", ARCH2);
    put("signups.csv.partial", PARTIAL);
    /* Not ours: a person's copy, an export, the store's queue, stats. */
    put("signups-old.csv", "id,timestamp\r\nx,2020-01-01T00:00:00Z\r\n");
    put("signups-vm-20260301-090000.csv", "id,timestamp\r\nx,2020-01-01T00:00:00Z\r\n");
    put("signups.csv.pending", "q,2020-01-01T00:00:00Z\r\n");
    put("stats.csv", "date,slides_viewed\r\n");
}

static void test_list(void)
{
    SignFiles fs;
    char err[256];
    setup();
    CHECK_INT(signfiles_list(live, &fs, err, sizeof err), 0);
    CHECK_INT(fs.n, 4);
    CHECK_INT(fs.file[0].kind, SIGNFILE_LIVE);
    CHECK_INT(fs.file[0].rows, 2);
    CHECK_INT(fs.file[1].kind, SIGNFILE_ARCHIVE); /* sorted by name: 2024 first */
    CHECK(strstr(fs.file[1].path, "signups-20240301-090000-2.csv") != NULL);
    CHECK_INT(fs.file[2].kind, SIGNFILE_ARCHIVE);
    CHECK_INT(fs.file[3].kind, SIGNFILE_RECOVERED);
    size_t l, a, r;
    signfiles_totals(&fs, &l, &a, &r);
    CHECK_INT(l, 2);
    CHECK_INT(a, 2);
    CHECK_INT(r, 1); /* a torn row, without its line end, counts in a .partial */
    /* No folder yet: no files, no error. */
    CHECK_INT(signfiles_list("/nonexistent-kiosk-dir/signups.csv", &fs, err, sizeof err), 0);
    CHECK_INT(fs.n, 0);
}

/* Archives set aside in the same second are "-2", "-3", ... "-10": they
 * come after the plain name, in number order (the outbox sends in this
 * order), and names merely like an archive's are not archives. */
static void test_archive_order(void)
{
    static const char *const names[] = {
        "signups-20260301-090000-10.csv", "signups-20260301-090000.csv",
        "signups-20260301-090000-2.csv",  "signups-20250301-090000-3.csv",
        "signups-20260301-090001.csv",    "signups-20260301-0900001.csv",
    };
    static const char *const order[] = {
        "signups-20250301-090000-3.csv", "signups-20260301-090000.csv",
        "signups-20260301-090000-2.csv", "signups-20260301-090000-10.csv",
        "signups-20260301-090001.csv",
    };
    SignFiles fs;
    char err[256];
    files_rm_tree(dir);
    mkdir(dir, 0700);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        put(names[i], ARCH1);
    CHECK_INT(signfiles_names(live, &fs, err, sizeof err), 0);
    CHECK_INT(fs.n, 5);
    for (size_t i = 0; i < fs.n && i < 5; i++) {
        const char *base = strrchr(fs.file[i].path, '/');
        CHECK_STR(base ? base + 1 : "", order[i]);
        CHECK_INT(fs.file[i].rows, 0); /* names only: not read */
    }
}

static void test_retain(void)
{
    char p[300], err[256];
    RetainCount c;
    setup();
    CHECK_INT(signfiles_retain(live, NOW, 90, 0, &c, err, sizeof err), 0);
    CHECK_INT(c.removed, 1);
    CHECK(files_contain(live, "Ann") && !files_contain(live, "Old Bob") &&
          files_contain(live, "id,timestamp,name"));
    CHECK_INT(files_mode(live) & 0777, 0600);
    /* An archive left with no rows goes. */
    snprintf(p, sizeof p, "%s/signups-20240301-090000-2.csv", dir);
    CHECK_INT(signfiles_retain(p, NOW, 90, 1, &c, err, sizeof err), 0);
    CHECK(access(p, F_OK) != 0);
    /* A live file left with no rows keeps its header. */
    CHECK_INT(signfiles_retain(live, NOW + 400 * 86400LL, 90, 0, &c, err, sizeof err), 0);
    CHECK(files_contain(live, "id,timestamp,name") && !files_contain(live, "Ann"));
    /* Nothing old: the file is not rewritten (same inode). */
    struct stat before, after;
    snprintf(p, sizeof p, "%s/signups-20260301-090000.csv", dir);
    stat(p, &before);
    CHECK_INT(signfiles_retain(p, NOW, 90, 1, &c, err, sizeof err), 0);
    stat(p, &after);
    CHECK(before.st_ino == after.st_ino);
    /* No temporaries left behind. */
    char names[16][256];
    CHECK_INT(files_list(dir, "signups.csv.tmp", names, 16), 0);
}

static void test_export_and_erase(void)
{
    SignFiles fs;
    ExportResult *res = calloc(1, sizeof *res);
    char err[600], names[16][256];
    setup();
    CHECK_INT(signfiles_list(live, &fs, err, sizeof err), 0);
    CHECK_INT(export_files(&fs, usb, "vm", NOW, res, err, sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_INT(res->n, 4);
    int n = files_list(usb, "", names, 16);
    CHECK_INT(n, 4);
    CHECK_STR(names[0], "signups-20240301-090000-2.csv");
    CHECK_STR(names[1], "signups-20260301-090000.csv");
    CHECK_STR(names[2], "signups-recovered-vm-20260331-120000.csv");
    CHECK_STR(names[3], "signups-vm-20260331-120000.csv");
    for (size_t i = 0; i < res->n; i++)
        CHECK(res->item[i].verified);
    char p[300];
    snprintf(p, sizeof p, "%s/%s", usb, names[2]);
    CHECK(files_contain(p, "Torn \"Tom")); /* the torn row, whole, as it was */
    snprintf(p, sizeof p, "%s/%s", usb, names[3]);
    CHECK(files_contain(p, "Ann") && files_contain(p, "Old Bob"));

    /* A row arrives after the export; the erase keeps it and the header. */
    FILE *f = fopen(live, "a");
    fputs("l3,2026-03-31T11:00:00+00:00,Late Lou\r\n", f);
    fclose(f);
    size_t erased = 0;
    const ExportItem *it = &res->item[0];
    CHECK_INT(it->kind, SIGNFILE_LIVE);
    CHECK_INT(it->rows, 2);
    CHECK_INT(signfiles_erase_prefix(it->src, it->len, it->hash, 1, &erased, err, sizeof err), 0);
    CHECK_INT(erased, 2);
    CHECK(files_contain(live, "id,timestamp,name\r\nl3,") && !files_contain(live, "Ann"));
    /* An archive exported whole goes. */
    it = &res->item[1];
    CHECK_INT(signfiles_erase_prefix(it->src, it->len, it->hash, 0, &erased, err, sizeof err), 0);
    CHECK(access(it->src, F_OK) != 0);
    /* A file changed since the export (a retention pass, a person) is kept. */
    it = &res->item[2];
    put("signups-20260301-090000.csv", "id,timestamp,email\r\n");
    CHECK_INT(signfiles_erase_prefix(it->src, it->len, it->hash, 0, &erased, err, sizeof err), 1);
    CHECK_INT(erased, 0);
    CHECK(access(it->src, F_OK) == 0);
    free(res);
}

/* The stick goes away in the middle of the second file: write() fails. */
static int writes_left;
static ssize_t failing_write(int fd, const void *buf, size_t len)
{
    if (writes_left-- <= 0) {
        errno = EIO;
        return -1;
    }
    return fsx_sys_real.write(fd, buf, len);
}

static void test_pulled_mid_copy(void)
{
    SignFiles fs;
    ExportResult *res = calloc(1, sizeof *res);
    char err[600], names[16][256];
    setup();
    CHECK_INT(signfiles_list(live, &fs, err, sizeof err), 0);
    writes_left = 1;
    fsx_sys.write = failing_write;
    CHECK_INT(export_files(&fs, usb, "vm", NOW, res, err, sizeof err), -1);
    fsx_sys = fsx_sys_real;
    CHECK_INT(res->n, 1);
    CHECK(strstr(err, "was the USB stick removed?") != NULL);
    /* Only the one finished file has a name that looks complete. */
    int n = files_list(usb, "", names, 16);
    CHECK_INT(n, 1);
    CHECK_STR(names[0], "signups-vm-20260331-120000.csv");
    free(res);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    snprintf(root, sizeof root, "/tmp/test_signfiles.XXXXXX");
    if (!mkdtemp(root))
        return 1;
    snprintf(dir, sizeof dir, "%s/state", root);
    snprintf(usb, sizeof usb, "%s/usb", root);
    snprintf(live, sizeof live, "%s/signups.csv", dir);
    test_list();
    test_archive_order();
    test_retain();
    test_export_and_erase();
    test_pulled_mid_copy();
    if (check_failures)
        fprintf(stderr, "files kept in %s\n", root);
    else
        files_rm_tree(root);
    return check_report("test_signfiles");
}
