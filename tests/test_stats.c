/* Tests for the anonymous usage counts file: adding, summing, sorting,
 * skipping (and reporting) malformed lines, trimming to STATS_MAX_DAYS,
 * modes, and local dates. Files live under one mkdtemp() directory, removed
 * at the end unless a check failed. */
#include "stats.h"

#include "check.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER "date,slides_viewed,forms_opened,forms_completed,forms_abandoned\n"

static char root[64];
static int cases;

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

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        if (r == 0)
            break;
        n += r;
    }
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return (mode_t)-1;
    return st.st_mode & 07777;
}

static void rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            char sub[1024];
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            rm_tree(sub);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int same_counts(StatsCounts a, unsigned s, unsigned o, unsigned c, unsigned ab)
{
    return a.slides_viewed == s && a.forms_opened == o && a.forms_completed == c &&
           a.forms_abandoned == ab;
}

/* ---- cases --------------------------------------------------------------- */

static void test_create_sum_sort(void)
{
    char path[256], tmp[300], dir[256], err[256];
    StatsCounts got;
    char *text;

    /* Created with its directories: file 0640, new directories 0750. */
    cases++;
    path_in(path, sizeof path, "var/kiosk/stats.csv");
    path_in(dir, sizeof dir, "var/kiosk");
    CHECK_INT(stats_add(path, "2026-03-02", &(StatsCounts){1, 2, 3, 4}, err, sizeof err), 0);
    CHECK_STR(err, "");
    text = slurp(path);
    CHECK_STR(text, HEADER "2026-03-02,1,2,3,4\n");
    free(text);
    CHECK_INT(mode_of(path), 0640);
    CHECK_INT(mode_of(dir), 0750);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK_INT(access(tmp, F_OK), -1); /* no temp file left */

    /* Same day again: summed into the one row. */
    cases++;
    CHECK_INT(stats_add(path, "2026-03-02", &(StatsCounts){10, 20, 30, 40}, err, sizeof err), 0);
    text = slurp(path);
    CHECK_STR(text, HEADER "2026-03-02,11,22,33,44\n");
    free(text);

    /* An earlier day: two rows, sorted by date. */
    cases++;
    CHECK_INT(stats_add(path, "2026-03-01", &(StatsCounts){5, 0, 0, 0}, err, sizeof err), 0);
    text = slurp(path);
    CHECK_STR(text, HEADER "2026-03-01,5,0,0,0\n2026-03-02,11,22,33,44\n");
    free(text);

    cases++;
    CHECK_INT(stats_read(path, "2026-03-02", &got), 0);
    CHECK(same_counts(got, 11, 22, 33, 44));
    CHECK_INT(stats_read(path, "2026-03-01", &got), 0);
    CHECK(same_counts(got, 5, 0, 0, 0));

    /* A date with no row, and a file that does not exist: zeros. */
    cases++;
    got = (StatsCounts){9, 9, 9, 9};
    CHECK_INT(stats_read(path, "2025-12-25", &got), 0);
    CHECK(same_counts(got, 0, 0, 0, 0));
    path_in(tmp, sizeof tmp, "nowhere/stats.csv");
    got = (StatsCounts){9, 9, 9, 9};
    CHECK_INT(stats_read(tmp, "2026-03-02", &got), 0);
    CHECK(same_counts(got, 0, 0, 0, 0));

    /* A file someone made world-readable, or with a strict umask, comes
     * back 0640: the mode does not depend on what was there or on umask. */
    cases++;
    chmod(path, 0666);
    mode_t old = umask(077);
    CHECK_INT(stats_add(path, "2026-03-02", &(StatsCounts){0, 0, 0, 1}, err, sizeof err), 0);
    umask(old);
    CHECK_INT(mode_of(path), 0640);

    /* Counts saturate instead of wrapping to a small number. */
    cases++;
    CHECK_INT(stats_add(path, "2026-03-02", &(StatsCounts){UINT_MAX, 0, 0, 0}, err, sizeof err), 0);
    CHECK_INT(stats_read(path, "2026-03-02", &got), 0);
    CHECK_INT(got.slides_viewed, UINT_MAX);
    CHECK_INT(got.forms_abandoned, 45);
}

/* Each malformed line is dropped and reported by its line number; every
 * well-formed row survives, including quoted fields, CRLF, a BOM, a
 * repeated header and a repeated date (summed). */
static void test_malformed(void)
{
    char path[256], err[256], want[512];
    char *text;
    cases++;
    path_in(path, sizeof path, "malformed.csv");
    static const char in[] = "\xEF\xBB\xBF" HEADER                      /* 1: BOM + header */
                             "2026-01-01,1,1,1,1\r\n"                   /* 2 */
                             "garbage\n"                                /* 3: bad */
                             "2026-13-01,1,2,3,4\n"                     /* 4: bad month */
                             "2026-01-03,1,2,x,4\n"                     /* 5: bad count */
                             "2026-01-04,1,2,3\n"                       /* 6: too few */
                             "\n"                                       /* 7: blank, fine */
                             "\"2026-01-05\",\"2\",\"0\",\"0\",\"0\"\n" /* 8: quoted */
                             "2026-01-01,1,0,0,0\n"                     /* 9: repeat: summed */
                             "DATE,Slides_Viewed,forms_opened,forms_completed,forms_abandoned\n"
                             "2026-01-06,-1,0,0,0\n"          /* 11: sign */
                             "2026-01-07,1,2,3,4,5\n"         /* 12: too many */
                             "2026-01-08,99999999999,0,0,0\n" /* 13: too big */
                             "2026-1-9,1,0,0,0\n"             /* 14: short date */
                             "2026-01-09, 1,0,0,0\n"          /* 15: space */
                             "2026-01-10,1,0,0,0";            /* 16: no newline, fine */
    spit(path, in, sizeof in - 1);
    CHECK_INT(stats_add(path, "2026-01-02", &(StatsCounts){7, 0, 0, 0}, err, sizeof err), 0);
    snprintf(want, sizeof want,
             "%s: skipped 9 malformed lines (line 3, 4, 5, 6, 11, 12, 13, 14, ...)", path);
    CHECK_STR(err, want);
    text = slurp(path);
    CHECK_STR(text, HEADER "2026-01-01,2,1,1,1\n"
                           "2026-01-02,7,0,0,0\n"
                           "2026-01-05,2,0,0,0\n"
                           "2026-01-10,1,0,0,0\n");
    free(text);

    /* Once rewritten, the file is clean: nothing more to report. */
    cases++;
    CHECK_INT(stats_add(path, "2026-01-02", &(StatsCounts){1, 0, 0, 0}, err, sizeof err), 0);
    CHECK_STR(err, "");

    /* One bad line: singular. */
    cases++;
    spit(path, HEADER "oops\n", strlen(HEADER "oops\n"));
    CHECK_INT(stats_add(path, "2026-01-02", &(StatsCounts){1, 0, 0, 0}, err, sizeof err), 0);
    snprintf(want, sizeof want, "%s: skipped 1 malformed line (line 2)", path);
    CHECK_STR(err, want);

    /* stats_read ignores bad lines the same way. */
    cases++;
    spit(path, HEADER "junk\n2026-02-02,3,2,1,0\n", strlen(HEADER "junk\n2026-02-02,3,2,1,0\n"));
    StatsCounts got;
    CHECK_INT(stats_read(path, "2026-02-02", &got), 0);
    CHECK(same_counts(got, 3, 2, 1, 0));
}

/* Three years kept: with STATS_MAX_DAYS rows, a new day drops the oldest. */
static void test_trim(void)
{
    char path[256], err[256], date[11];
    size_t cap = strlen(HEADER) + (STATS_MAX_DAYS + 1) * 32, pos = 0;
    char *buf = malloc(cap);
    time_t day0 = (time_t)1577880000; /* 2020-01-01 12:00 UTC */
    cases++;
    path_in(path, sizeof path, "trim.csv");
    pos += (size_t)snprintf(buf, cap, "%s", HEADER);
    for (int i = 0; i < STATS_MAX_DAYS; i++) {
        stats_date(day0 + (time_t)i * 86400, date);
        pos += (size_t)snprintf(buf + pos, cap - pos, "%s,%d,0,0,0\n", date, i + 1);
    }
    spit(path, buf, pos);
    stats_date(day0 + (time_t)STATS_MAX_DAYS * 86400, date);
    CHECK_INT(stats_add(path, date, &(StatsCounts){1, 1, 1, 1}, err, sizeof err), 0);
    char *text = slurp(path);
    size_t lines = 0;
    for (const char *p = text; p && *p; p++)
        lines += *p == '\n';
    CHECK_INT(lines, STATS_MAX_DAYS + 1); /* header + rows */
    CHECK(text && strstr(text, "2020-01-01,") == NULL);
    CHECK(text && strstr(text, HEADER "2020-01-02,2,0,0,0\n") == text);
    free(text);
    free(buf);
}

static void test_errors(void)
{
    char path[256], err[256], want[512];
    StatsCounts got;
    path_in(path, sizeof path, "errors.csv");

    static const char *const bad_dates[] = {"2026-3-2",   "26-03-02", "2026/03/02", "2026-00-10",
                                            "2026-02-32", "",         "2026-03-02x"};
    for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
        cases++;
        CHECK_INT(stats_add(path, bad_dates[i], &(StatsCounts){1, 0, 0, 0}, err, sizeof err), -1);
        snprintf(want, sizeof want, "%s: not a date (YYYY-MM-DD): '%s'", path, bad_dates[i]);
        CHECK_STR(err, want);
        CHECK_INT(stats_read(path, bad_dates[i], &got), -1);
    }
    CHECK_INT(access(path, F_OK), -1); /* nothing created */

    cases++;
    CHECK_INT(stats_add(path, "2026-03-02", NULL, err, sizeof err), -1);
    CHECK_STR(err, "usage counts: no file or no counts given");
    CHECK_INT(stats_add(NULL, "2026-03-02", &(StatsCounts){0}, err, sizeof err), -1);
    CHECK_INT(stats_read(path, "2026-03-02", NULL), -1);

    /* A directory that cannot be made (a regular file is in the way). */
    cases++;
    char file[256], under[300];
    path_in(file, sizeof file, "plainfile");
    spit(file, "x", 1);
    snprintf(under, sizeof under, "%s/sub/stats.csv", file);
    CHECK_INT(stats_add(under, "2026-03-02", &(StatsCounts){1, 0, 0, 0}, err, sizeof err), -1);
    CHECK(strstr(err, "cannot create its directory") != NULL);

    /* A huge file is not ours: refused and left exactly as it was. */
    cases++;
    size_t big = STATS_MAX_BYTES + 1;
    char *junk = malloc(big);
    memset(junk, 'x', big);
    spit(path, junk, big);
    CHECK_INT(stats_add(path, "2026-03-02", &(StatsCounts){1, 0, 0, 0}, err, sizeof err), -1);
    snprintf(want, sizeof want,
             "%s: larger than 1024 KiB, so not a usage-counts file; left as it is", path);
    CHECK_STR(err, want);
    struct stat st;
    CHECK_INT(stat(path, &st), 0);
    CHECK_INT(st.st_size, big);
    CHECK_INT(stats_read(path, "2026-03-02", &got), -1);
    CHECK(same_counts(got, 0, 0, 0, 0));
    free(junk);

    /* Not root: an unreadable file is an error, not "no counts yet". */
    if (geteuid() != 0) {
        cases++;
        spit(path, HEADER, strlen(HEADER));
        chmod(path, 0);
        CHECK_INT(stats_add(path, "2026-03-02", &(StatsCounts){1, 0, 0, 0}, err, sizeof err), -1);
        CHECK(strstr(err, "cannot open") != NULL);
        chmod(path, 0600);
    }
}

static void test_date(void)
{
    char d[11];
    cases++;
    setenv("TZ", "UTC", 1);
    tzset();
    stats_date(0, d);
    CHECK_STR(d, "1970-01-01");
    stats_date((time_t)1700000000, d); /* 2023-11-14 22:13:20 UTC */
    CHECK_STR(d, "2023-11-14");
    /* Local, not UTC: five hours west, midnight UTC is still 31 December. */
    setenv("TZ", "XST5", 1);
    tzset();
    stats_date(0, d);
    CHECK_STR(d, "1969-12-31");
    setenv("TZ", "YST-3", 1); /* three hours east: 01:13 on the 15th */
    tzset();
    stats_date((time_t)1700000000, d);
    CHECK_STR(d, "2023-11-15");
    setenv("TZ", "UTC", 1);
    tzset();
}

/* A link at the counts' path is refused and its target left as it was;
 * so is a file of another user (the owner check uses geteuid(), so the
 * root running CI passes with its own files). */
static void test_link_refused(void)
{
    char path[256], target[256], err[512];
    StatsCounts d = {1, 1, 1, 0};
    path_in(target, sizeof target, "target.csv");
    path_in(path, sizeof path, "linked.csv");
    spit(target, "precious\n", 9);
    CHECK(symlink(target, path) == 0);
    cases++;
    CHECK_INT(stats_add(path, "2026-12-07", &d, err, sizeof err), -1);
    CHECK(strstr(err, "is a symbolic link; refusing to write usage counts through it") != NULL);
    char *got = slurp(target);
    CHECK_STR(got, "precious\n");
    free(got);
    struct stat st;
    CHECK(lstat(path, &st) == 0 && S_ISLNK(st.st_mode));
    cases++;
    path_in(path, sizeof path, "other.csv");
    spit(path, "date,slides_viewed,forms_opened,forms_completed,forms_abandoned\n", 64);
    if (chown(path, geteuid() + 1, (gid_t)-1) == 0) {
        CHECK_INT(stats_add(path, "2026-12-07", &d, err, sizeof err), -1);
        CHECK(strstr(err, "is owned by user") != NULL);
    }
}

int main(void)
{
    snprintf(root, sizeof root, "/tmp/test_stats.XXXXXX");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    umask(022);
    setenv("TZ", "UTC", 1);
    tzset();

    test_date();
    test_link_refused();
    test_create_sum_sort();
    test_malformed();
    test_trim();
    test_errors();

    printf("test_stats: %d cases\n", cases);
    if (check_failures == 0)
        rm_tree(root);
    else
        fprintf(stderr, "test_stats: files kept in %s\n", root);
    return check_report("test_stats");
}
