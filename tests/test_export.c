/* Tests for the USB export: finding the stick from a fake mount table and a
 * fake sysfs tree (a table of cases), then copying into a folder standing in
 * for the stick. Everything lives under one mkdtemp() directory, removed at
 * the end unless a check failed (then its path is printed). */
#include "export.h"
#include "store.h"

#include "check.h"
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char root[64];
static int cases;

/* 2023-11-14 22:13:20 UTC; TZ is UTC for the whole test. */
#define T0 ((time_t)1700000000)

static const char NO_DRIVE[] = "No USB stick found: plug one in and wait a few seconds";

/* ---- helpers ----------------------------------------------------------- */

static void path_in(char *buf, size_t cap, const char *rel)
{
    snprintf(buf, cap, "%s/%s", root, rel);
}

static void spit(const char *path, const char *bytes, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, bytes, len) != (ssize_t)len) {
        perror(path);
        abort();
    }
    close(fd);
}

/* mkdir -p */
static void mkdirs(const char *path)
{
    char p[1024];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0755);
            *s = '/';
        }
    mkdir(p, 0755);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    if (d)
        closedir(d);
    return n;
}

/* ---- finding the drive -------------------------------------------------- */

/* A disk in the fake sysfs: its removable flag, and whether its sysfs entry
 * is a symlink into a USB controller's tree (as the real one is). */
static const struct {
    const char *disk, *removable;
    int usb;
} fake_disks[] = {
    {"sda", "1", 1},     /* a USB stick */
    {"sdb", "0", 0},     /* an internal SATA disk */
    {"sdc", "0", 1},     /* a USB SSD that says "not removable" */
    {"mmcblk0", "0", 0}, /* the Pi's SD card */
    {"mmcblk1", "1", 0}, /* an SD card in a card reader slot */
    {"nvme0n1", "0", 0}, /* an NVMe disk on a Pi 5 HAT */
};

static void make_sysfs(const char *sys)
{
    char p[512], q[512];
    for (size_t i = 0; i < sizeof fake_disks / sizeof fake_disks[0]; i++) {
        const char *disk = fake_disks[i].disk;
        if (fake_disks[i].usb) {
            snprintf(p, sizeof p, "%s/devices/platform/scb/usb2/2-1/host0/block/%s", sys, disk);
            mkdirs(p);
            snprintf(q, sizeof q, "%s/block", sys);
            mkdirs(q);
            snprintf(q, sizeof q, "%s/block/%s", sys, disk);
            snprintf(p, sizeof p, "../devices/platform/scb/usb2/2-1/host0/block/%s", disk);
            if (symlink(p, q) != 0)
                perror(q);
        } else {
            snprintf(p, sizeof p, "%s/devices/platform/soc/%s/block/%s", sys, disk, disk);
            mkdirs(p);
            snprintf(q, sizeof q, "%s/block/%s", sys, disk);
            snprintf(p, sizeof p, "../devices/platform/soc/%s/block/%s", disk, disk);
            if (symlink(p, q) != 0)
                perror(q);
        }
        snprintf(p, sizeof p, "%s/block/%s/removable", sys, disk);
        char v[4];
        snprintf(v, sizeof v, "%s\n", fake_disks[i].removable);
        spit(p, v, strlen(v));
    }
}

#define PI_ROOT                                                                                    \
    "/dev/mmcblk0p2 / ext4 rw,noatime 0 0\n"                                                       \
    "/dev/mmcblk0p1 /boot/firmware vfat rw,relatime 0 0\n"

typedef struct {
    const char *name;
    const char *mounts;
    int use_sysfs;
    const char *roots[3];
    const char *want; /* mount point, or NULL: expect -1 and NO_DRIVE */
} DriveCase;

static const DriveCase drive_cases[] = {
    {"stick on sda1 with removable=1",
     PI_ROOT "proc /proc proc rw 0 0\n"
             "/dev/sda1 /media/pi/STICK vfat rw,nosuid,nodev,uid=1000 0 0\n",
     1,
     {"/media", "/run/media"},
     "/media/pi/STICK"},
    {"a fixed disk under /media is passed over for the stick",
     PI_ROOT "/dev/sdb1 /media/pi/DATA ext4 rw 0 0\n"
             "/dev/sda1 /media/pi/STICK vfat rw 0 0\n",
     1,
     {"/media"},
     "/media/pi/STICK"},
    {"only a fixed disk (removable=0, not on USB): none",
     PI_ROOT "/dev/sdb1 /media/pi/DATA ext4 rw 0 0\n",
     1,
     {"/media"},
     NULL},
    {"NVMe disk is fixed",
     PI_ROOT "/dev/nvme0n1p1 /media/pi/NVME ext4 rw 0 0\n",
     1,
     {"/media"},
     NULL},
    {"nothing mounted under the roots", PI_ROOT, 1, {"/media", "/run/media"}, NULL},
    {"empty mount table", "", 1, {"/media"}, NULL},
    {"escaped spaces are unescaped",
     PI_ROOT "/dev/sda1 /media/pi/MY\\040STICK\\011X vfat rw 0 0\n",
     1,
     {"/media"},
     "/media/pi/MY STICK\tX"},
    {"the root disk is skipped even under a root (boot from a USB SSD)",
     "/dev/sda2 / ext4 rw 0 0\n/dev/sda1 /media/pi/bootfs vfat rw 0 0\n",
     1,
     {"/media"},
     NULL},
    {"root disk skipped, another stick found",
     "/dev/sda2 / ext4 rw 0 0\n/dev/sda1 /media/pi/bootfs vfat rw 0 0\n"
     "/dev/mmcblk1p1 /run/media/pi/CARD vfat rw 0 0\n",
     1,
     {"/media", "/run/media"},
     "/run/media/pi/CARD"},
    {"the SD card's boot partition under /media is skipped (root is /dev/root)",
     "/dev/root / ext4 rw 0 0\n/dev/mmcblk0p1 /media/pi/bootfs vfat rw 0 0\n",
     1,
     {"/media"},
     NULL},
    {"card reader mmcblk1p1",
     PI_ROOT "/dev/mmcblk1p1 /media/pi/CARD vfat rw 0 0\n",
     1,
     {"/media"},
     "/media/pi/CARD"},
    {"USB SSD reporting removable=0 is found by its USB path",
     PI_ROOT "/dev/sdc1 /media/pi/SSD exfat rw 0 0\n",
     1,
     {"/media"},
     "/media/pi/SSD"},
    {"whole-disk filesystem (no partition table)",
     PI_ROOT "/dev/sda /media/pi/RAW vfat rw 0 0\n",
     1,
     {"/media"},
     "/media/pi/RAW"},
    {"a USB drive beats one sysfs does not know",
     PI_ROOT "/dev/mapper/crypt /media/pi/CRYPT ext4 rw 0 0\n"
             "/dev/sda1 /media/pi/STICK vfat rw 0 0\n",
     1,
     {"/media"},
     "/media/pi/STICK"},
    {"one sysfs does not know is taken when nothing better",
     PI_ROOT "/dev/mapper/crypt /media/pi/CRYPT ext4 rw 0 0\n",
     1,
     {"/media"},
     "/media/pi/CRYPT"},
    {"read-write beats read-only",
     PI_ROOT "/dev/sda1 /media/pi/LOCKED vfat ro,nosuid 0 0\n"
             "/dev/mmcblk1p1 /media/pi/CARD vfat rw 0 0\n",
     1,
     {"/media"},
     "/media/pi/CARD"},
    {"a read-only stick alone is still found (export_copy says why it fails)",
     PI_ROOT "/dev/sda1 /media/pi/LOCKED vfat ro 0 0\n",
     1,
     {"/media"},
     "/media/pi/LOCKED"},
    {"not under any root", PI_ROOT "/dev/sda1 /mnt/stick vfat rw 0 0\n", 1, {"/media"}, NULL},
    {"a root matches whole components only",
     PI_ROOT "/dev/sda1 /media2/stick vfat rw 0 0\n",
     1,
     {"/media"},
     NULL},
    {"export_dir with a trailing slash",
     PI_ROOT "/dev/sda1 /mnt/stick vfat rw 0 0\n",
     1,
     {"/media", NULL, "/mnt/"},
     "/mnt/stick"},
    {"a mount exactly at the root",
     PI_ROOT "/dev/sda1 /mnt/usb vfat rw 0 0\n",
     1,
     {"/mnt/usb"},
     "/mnt/usb"},
    {"tmpfs under /media is not a drive",
     PI_ROOT "tmpfs /media/pi tmpfs rw 0 0\n",
     1,
     {"/media"},
     NULL},
    {"first in table order among equals",
     PI_ROOT "/dev/sda1 /media/pi/ONE vfat rw 0 0\n/dev/mmcblk1p1 /media/pi/TWO vfat rw 0 0\n",
     1,
     {"/media"},
     "/media/pi/ONE"},
    {"short and junk lines are ignored",
     "garbage\n\n" PI_ROOT "/dev/sda1\n/dev/sda1 /media/pi/STICK vfat rw 0 0",
     1,
     {"/media"},
     "/media/pi/STICK"},
    {"no sysfs: anything under a root but the root disk",
     PI_ROOT "/dev/mmcblk0p3 /media/pi/DATA ext4 rw 0 0\n/dev/sdb1 /media/pi/DISK ext4 rw 0 0\n",
     0,
     {"/media"},
     "/media/pi/DISK"},
};

static void test_find_drive(void)
{
    char sys[256], mounts[256], out[256], err[256];
    path_in(sys, sizeof sys, "sys");
    make_sysfs(sys);
    path_in(mounts, sizeof mounts, "mounts");

    for (size_t i = 0; i < sizeof drive_cases / sizeof drive_cases[0]; i++) {
        const DriveCase *c = &drive_cases[i];
        cases++;
        spit(mounts, c->mounts, strlen(c->mounts));
        snprintf(out, sizeof out, "junk");
        snprintf(err, sizeof err, "junk");
        int rc = export_find_drive(mounts, c->use_sysfs ? sys : NULL, c->roots, 3, out, sizeof out,
                                   err, sizeof err);
        if (c->want) {
            if (rc != 0 || strcmp(out, c->want) != 0)
                fprintf(stderr, "case '%s':\n", c->name);
            CHECK_INT(rc, 0);
            CHECK_STR(out, c->want);
            CHECK_STR(err, "");
        } else {
            if (rc != -1 || strcmp(err, NO_DRIVE) != 0)
                fprintf(stderr, "case '%s': got '%s'\n", c->name, out);
            CHECK_INT(rc, -1);
            CHECK_STR(err, NO_DRIVE);
            CHECK_STR(out, "");
        }
    }

    /* No mount table: say which file could not be read. */
    {
        char missing[256], want[512];
        const char *roots[] = {"/media"};
        cases++;
        path_in(missing, sizeof missing, "no-such-mounts");
        CHECK_INT(export_find_drive(missing, sys, roots, 1, out, sizeof out, err, sizeof err), -1);
        snprintf(want, sizeof want, "Cannot look for a USB stick: %s: %s", missing,
                 strerror(ENOENT));
        CHECK_STR(err, want);
    }
    /* A mount point longer than the caller's buffer is refused, not cut. */
    {
        const char *roots[] = {"/media"};
        const char *t = "/dev/sda1 /media/pi/A-RATHER-LONG-LABEL vfat rw 0 0\n";
        char small[16];
        cases++;
        spit(mounts, t, strlen(t));
        CHECK_INT(export_find_drive(mounts, sys, roots, 1, small, sizeof small, err, sizeof err),
                  -1);
        CHECK_STR(small, "");
        CHECK_STR(err, "Cannot use the USB stick: its folder name is too long");
    }
    /* No roots at all: nothing can be under them. */
    {
        const char *t = "/dev/sda1 /media/pi/STICK vfat rw 0 0\n";
        cases++;
        spit(mounts, t, strlen(t));
        CHECK_INT(export_find_drive(mounts, sys, NULL, 0, out, sizeof out, err, sizeof err), -1);
        CHECK_STR(err, NO_DRIVE);
    }
}

/* ---- copying ------------------------------------------------------------ */

/* Header, a row with a quoted comma, a row with a newline inside quotes,
 * then a torn row (the kiosk was mid-append) whose quote never closes. */
static const char SIGNUPS[] = "id,name,phone\r\n"
                              "a1,\"Smith, Jo\",'+44 20\r\n"
                              "b2,\"two\nlines\",123\r\n"
                              "c3,\"Torn, half a na";
#define SIGNUPS_COMPLETE (sizeof SIGNUPS - 1 - strlen("c3,\"Torn, half a na"))

static void test_copy(void)
{
    char src[256], usb[256], dest[512], err[512], want[512];
    size_t len;
    char *got;
    struct stat st;

    mkdirs(root);
    path_in(src, sizeof src, "data");
    mkdirs(src);
    path_in(src, sizeof src, "data/signups.csv");
    path_in(usb, sizeof usb, "usb");
    mkdirs(usb);
    spit(src, SIGNUPS, sizeof SIGNUPS - 1);

    /* Name format, content = the complete prefix only, mode 0600, no temp
     * file left behind. The id is sanitized: no '/' can leave the folder. */
    cases++;
    CHECK_INT(export_copy(src, usb, "front desk/1", T0, dest, sizeof dest, err, sizeof err), 0);
    CHECK_STR(err, "");
    snprintf(want, sizeof want, "%s/signups-front_desk_1-20231114-221320.csv", usb);
    CHECK_STR(dest, want);
    got = files_slurp(want, &len);
    CHECK(got != NULL);
    CHECK_INT(len, SIGNUPS_COMPLETE);
    CHECK(got && memcmp(got, SIGNUPS, SIGNUPS_COMPLETE) == 0);
    CHECK(got && strstr(got, "Torn") == NULL);
    free(got);
    CHECK_INT(stat(want, &st), 0);
    CHECK_INT(st.st_mode & 07777, 0600);
    CHECK_INT(count_entries(usb), 1);

    /* Same second again: never overwritten, "-2" then "-3". */
    cases++;
    spit(src, "id\r\nnew\r\n", 9);
    CHECK_INT(export_copy(src, usb, "front desk/1", T0, dest, sizeof dest, err, sizeof err), 0);
    snprintf(want, sizeof want, "%s/signups-front_desk_1-20231114-221320-2.csv", usb);
    CHECK_STR(dest, want);
    CHECK_INT(export_copy(src, usb, "front desk/1", T0, dest, sizeof dest, err, sizeof err), 0);
    snprintf(want, sizeof want, "%s/signups-front_desk_1-20231114-221320-3.csv", usb);
    CHECK_STR(dest, want);
    snprintf(want, sizeof want, "%s/signups-front_desk_1-20231114-221320.csv", usb);
    got = files_slurp(want, &len);
    CHECK_INT(len, SIGNUPS_COMPLETE); /* the first export is untouched */
    free(got);
    CHECK_INT(count_entries(usb), 3);

    /* A stale temp file from a crashed export at the first free name is
     * left alone (it may be someone's); the export goes to the next name. */
    cases++;
    snprintf(want, sizeof want, "%s/signups-x-20231114-221321.csv.tmp", usb);
    spit(want, "stale", 5);
    CHECK_INT(export_copy(src, usb, "x", T0 + 1, dest, sizeof dest, err, sizeof err), 0);
    snprintf(want, sizeof want, "%s/signups-x-20231114-221321-2.csv", usb);
    CHECK_STR(dest, want);

    /* Empty and odd ids, a source without ".csv", a path-like id. */
    {
        static const struct {
            const char *id, *file, *want;
        } name_cases[] = {
            {NULL, "signups.csv", "signups-kiosk-20231114-221400.csv"},
            {"", "signups.CSV", "signups-kiosk-20231114-221400.csv"},
            {"../../etc", "signups.csv", "signups-______etc-20231114-221400.csv"},
            {"Zoë's kiosk", "signups.csv", "signups-Zo___s_kiosk-20231114-221400.csv"},
            {"waiting-room_2", "sign ups.txt", "sign_ups_txt-waiting-room_2-20231114-221400.csv"},
            {"k", ".csv", "signups-k-20231114-221400.csv"},
        };
        for (size_t i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
            char dir[256], file[256];
            cases++;
            snprintf(dir, sizeof dir, "%s/names%zu", root, i);
            mkdirs(dir);
            snprintf(file, sizeof file, "%s/data/%s", root, name_cases[i].file);
            spit(file, "id\r\nx\r\n", 7);
            CHECK_INT(export_copy(file, dir, name_cases[i].id, T0 + 40, dest, sizeof dest, err,
                                  sizeof err),
                      0);
            snprintf(want, sizeof want, "%s/%s", dir, name_cases[i].want);
            CHECK_STR(dest, want);
        }
    }

    /* dest too small: truncated like snprintf, the copy still made. */
    {
        char small[8], dir[256];
        cases++;
        snprintf(dir, sizeof dir, "%s/small", root);
        mkdirs(dir);
        CHECK_INT(export_copy(src, dir, "k", T0, small, sizeof small, err, sizeof err), 0);
        CHECK_INT(strlen(small), sizeof small - 1);
        CHECK_INT(count_entries(dir), 1);
    }
}

static void test_copy_errors(void)
{
    char src[256], dir[256], dest[512], err[512], want[768];

    path_in(src, sizeof src, "data/signups.csv");
    spit(src, SIGNUPS, sizeof SIGNUPS - 1);

    /* The stick was pulled out: its folder is gone. */
    cases++;
    path_in(dir, sizeof dir, "gone");
    snprintf(dest, sizeof dest, "junk");
    CHECK_INT(export_copy(src, dir, "k", T0, dest, sizeof dest, err, sizeof err), -1);
    snprintf(want, sizeof want, "Cannot export: %s is not there (was the USB stick removed?)", dir);
    CHECK_STR(err, want);
    CHECK_STR(dest, "");

    /* A regular file where the folder should be (root ignores permission
     * bits, so this is how a test run as root gets an unwritable place). */
    cases++;
    path_in(dir, sizeof dir, "a-file");
    spit(dir, "x", 1);
    CHECK_INT(export_copy(src, dir, "k", T0, dest, sizeof dest, err, sizeof err), -1);
    snprintf(want, sizeof want, "Cannot export: %s is not a folder", dir);
    CHECK_STR(err, want);

    /* A path through a regular file. */
    cases++;
    path_in(dir, sizeof dir, "a-file/sub");
    CHECK_INT(export_copy(src, dir, "k", T0, dest, sizeof dest, err, sizeof err), -1);
    snprintf(want, sizeof want, "Cannot export: %s: %s", dir, strerror(ENOTDIR));
    CHECK_STR(err, want);

    /* A folder we may not write (only meaningful when not root). */
    if (geteuid() != 0) {
        cases++;
        path_in(dir, sizeof dir, "locked");
        mkdirs(dir);
        chmod(dir, 0500);
        CHECK_INT(export_copy(src, dir, "k", T0, dest, sizeof dest, err, sizeof err), -1);
        snprintf(want, sizeof want, "Cannot export: the kiosk may not write to %s: %s", dir,
                 strerror(EACCES));
        CHECK_STR(err, want);
        chmod(dir, 0700);
        CHECK_INT(count_entries(dir), 0);
    }

    /* No sign-ups file yet, and one holding only a torn row. */
    path_in(dir, sizeof dir, "usb-errors");
    mkdirs(dir);
    {
        char missing[256];
        cases++;
        path_in(missing, sizeof missing, "data/none.csv");
        CHECK_INT(export_copy(missing, dir, "k", T0, dest, sizeof dest, err, sizeof err), -1);
        snprintf(want, sizeof want,
                 "Nothing to export yet: there are no sign-ups (%s does not exist)", missing);
        CHECK_STR(err, want);
    }
    {
        char torn[256];
        cases++;
        path_in(torn, sizeof torn, "data/torn.csv");
        spit(torn, "id,name", 7);
        CHECK_INT(export_copy(torn, dir, "k", T0, dest, sizeof dest, err, sizeof err), -1);
        snprintf(want, sizeof want, "Nothing to export yet: %s has no complete rows", torn);
        CHECK_STR(err, want);
    }
    /* None of the failures left anything on the "stick". */
    CHECK_INT(count_entries(dir), 0);

    cases++;
    CHECK_INT(export_copy(NULL, dir, "k", T0, dest, sizeof dest, err, sizeof err), -1);
    CHECK_STR(err, "Cannot export: no sign-ups file or no USB stick given");
}

/* The store holds LOCK_EX on the file for its whole life, in this same
 * process. An export that took flock(LOCK_SH) would block here forever;
 * ours must not, and must copy every acknowledged row. */
static void test_copy_while_store_open(void)
{
    static const char *const cols[] = {"id", "name"};
    char path[256], dir[256], dest[512], err[512];
    Store *s = NULL;
    size_t len, want_len;
    cases++;
    path_in(path, sizeof path, "live/signups.csv");
    path_in(dir, sizeof dir, "usb-live");
    mkdirs(dir);
    CHECK_INT(store_open(&s, path, cols, 2, NULL, 0, err, sizeof err), 0);
    if (!s)
        return;
    const char *row[] = {"r1", "Ann, \"A\""};
    CHECK_INT(store_append(s, row, 2, err, sizeof err), 0);
    CHECK_INT(export_copy(path, dir, "k", T0, dest, sizeof dest, err, sizeof err), 0);
    char *a = files_slurp(path, &want_len), *b = files_slurp(dest, &len);
    CHECK(a && b && len == want_len && memcmp(a, b, len) == 0);
    CHECK(b && strstr(b, "Ann, \"\"A\"\"") != NULL);
    free(a);
    free(b);
    store_close(s);
}

/* Other processes (the tests running beside this one, the system) write to
 * the same filesystem between two statvfs() calls, so free space read
 * twice is rarely equal to the byte. A wrong answer for a file (-1, 0,
 * another filesystem's figure) is almost always much further off. */
#define FREE_BYTES_SLACK ((long long)8 * 1024 * 1024)

static void test_free_bytes(void)
{
    char f[256];
    cases++;
    CHECK(export_free_bytes(root) > 0);
    path_in(f, sizeof f, "data/signups.csv");
    /* A file: the free space of its filesystem, the same as its folder's,
     * read between two readings of the folder's. */
    long long before = export_free_bytes(root), of_file = export_free_bytes(f),
              after = export_free_bytes(root);
    long long lo = before < after ? before : after, hi = before < after ? after : before;
    CHECK(of_file > 0);
    CHECK(of_file >= lo - FREE_BYTES_SLACK && of_file <= hi + FREE_BYTES_SLACK);
    CHECK_INT(export_free_bytes("/no/such/dir/at/all"), -1);
    CHECK_INT(export_free_bytes(NULL), -1);
}

int main(void)
{
    snprintf(root, sizeof root, "/tmp/test_export.XXXXXX");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    umask(022);
    setenv("TZ", "UTC", 1);
    tzset();

    test_find_drive();
    test_copy();
    test_copy_errors();
    test_copy_while_store_open();
    test_free_bytes();

    printf("test_export: %d cases\n", cases);
    if (check_failures == 0)
        files_rm_tree(root);
    else
        fprintf(stderr, "test_export: files kept in %s\n", root);
    return check_report("test_export");
}
