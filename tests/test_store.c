/* Tests for the sign-up store: the pure helpers as tables of cases, then the
 * file behaviour, proved the SQLite way: by killing writers and filling the
 * disk, not by reading the code. Every file lives under one mkdtemp()
 * directory, removed at the end unless a check failed (then it is kept and
 * its path printed, so a person can look at the evidence). */
#include "csv.h"
#include "store.h"

#include "check.h"
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The crash test stops at this many kills or this many seconds, whichever
 * comes first, so a slow CI disk makes it shorter, not a timeout. */
#define CRASH_KILLS 200
#define CRASH_MAX_MS 12000
/* Each process of the take-turns test appends this many rows. */
#define TURNS_PER_PROCESS 40

static char root[64];
static int cases; /* scenarios and table rows run, for the summary line */

/* ---- helpers ----------------------------------------------------------- */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A fresh directory name under root (not created: store_open must do it). */
static void subpath(char *buf, size_t cap, const char *rel)
{
    snprintf(buf, cap, "%s/%s", root, rel);
}

static void spit(const char *path, const char *bytes, size_t len, int append)
{
    int fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0600);
    if (fd < 0 || write(fd, bytes, len) != (ssize_t)len) {
        perror(path);
        abort();
    }
    close(fd);
}

/* Parses every row of a whole file. Returns rows (header included) or -1 if
 * any row is malformed, has another field count, or the file ends torn. For
 * each data row, calls each(field0, ctx). */
static long parse_all(const char *buf, size_t len, int nfields, void (*each)(const char *, void *),
                      void *ctx)
{
    size_t off = 0;
    long rows = 0;
    char *f[16];
    while (off < len) {
        size_t used;
        int n = csv_parse_row(buf + off, len - off, &used, f, 16);
        if (n != nfields) {
            for (int i = 0; i < n; i++)
                free(f[i]);
            fprintf(stderr, "parse_all: row %ld at byte %zu has %d fields\n", rows + 1, off, n);
            return -1;
        }
        if (rows > 0 && each)
            each(f[0], ctx);
        for (int i = 0; i < n; i++)
            free(f[i]);
        off += used;
        rows++;
    }
    return rows;
}

static const char *const COLS[] = {"id", "name", "phone"};

/* ---- pure helpers ------------------------------------------------------ */

typedef struct {
    const char *v[4];
    size_t n;
    const char *want;
} FormatCase;

static const FormatCase format_cases[] = {
    {{"a", "b", "c"}, 3, "a,b,c\r\n"},
    {{"Smith, John"}, 1, "\"Smith, John\"\r\n"},
    {{"say \"hi\""}, 1, "\"say \"\"hi\"\"\"\r\n"},
    {{"\""}, 1, "\"\"\"\"\r\n"},
    {{"line1\nline2", "x"}, 2, "\"line1\nline2\",x\r\n"},
    {{"a\r\nb"}, 1, "\"a\r\nb\"\r\n"},
    {{"Zoë", "Müller", "José Ñúñez"}, 3, "Zoë,Müller,José Ñúñez\r\n"},
    {{"", "", ""}, 3, ",,\r\n"},
    {{""}, 1, "\r\n"},
    {{NULL, "x"}, 2, ",x\r\n"},
    {{"mid dle"}, 1, "mid dle\r\n"},
    {{" lead"}, 1, "\" lead\"\r\n"},
    {{"trail "}, 1, "\"trail \"\r\n"},
    {{"tab\t"}, 1, "\"tab\t\"\r\n"},
    /* The formula guard, one case per trigger. */
    {{"=1+1"}, 1, "'=1+1\r\n"},
    {{"+1"}, 1, "'+1\r\n"},
    {{"-1"}, 1, "'-1\r\n"},
    {{"@SUM(A1:A9)"}, 1, "'@SUM(A1:A9)\r\n"},
    {{"\tx"}, 1, "\"'\tx\"\r\n"},
    {{"\rx"}, 1, "\"'\rx\"\r\n"},
    {{"-"}, 1, "'-\r\n"},
    /* Phone numbers in international form are guarded too: intended, every
     * column is text and the ' keeps the spreadsheet from computing 44-20. */
    {{"+44 20 7946 0958"}, 1, "'+44 20 7946 0958\r\n"},
    {{"=HYPERLINK(\"http://x\",\"y\")"}, 1, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n"},
    {{"a=b", "x-y", "'kept"}, 3, "a=b,x-y,'kept\r\n"},
    {{NULL}, 0, "\r\n"},
};

/* What parsing a formatted value gives back: the value, with the guard's '. */
static void expected_value(const char *v, char *out, size_t cap)
{
    if (!v)
        v = "";
    int g = v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' ||
            v[0] == '\r';
    snprintf(out, cap, "%s%s", g ? "'" : "", v);
}

static void test_format_and_roundtrip(void)
{
    for (size_t i = 0; i < sizeof format_cases / sizeof *format_cases; i++) {
        const FormatCase *c = &format_cases[i];
        char buf[256], *f[4] = {0};
        size_t need = csv_format_row(buf, sizeof buf, c->v, c->n);
        cases++;
        CHECK_STR(buf, c->want);
        CHECK_INT(need, strlen(c->want));
        CHECK_INT(csv_format_row(NULL, 0, c->v, c->n), strlen(c->want));
        if (c->n == 0)
            continue;
        size_t used = 0;
        int n = csv_parse_row(buf, need, &used, f, 4);
        CHECK_INT(n, (int)c->n);
        CHECK_INT(used, need);
        for (int k = 0; k < n; k++) {
            char want[256];
            expected_value(c->v[k], want, sizeof want);
            CHECK_STR(f[k], want);
            free(f[k]);
        }
    }
    /* Truncation works like snprintf: NUL-terminated, full length returned. */
    const char *v[] = {"abcdef"};
    char small[5];
    CHECK_INT(csv_format_row(small, sizeof small, v, 1), 8);
    CHECK_STR(small, "abcd");
    cases++;
}

typedef struct {
    const char *in;
    int want; /* fields, or -1 */
    size_t consumed;
    const char *f[3];
} ParseCase;

static const ParseCase parse_cases[] = {
    {"a,b\n", 2, 4, {"a", "b"}},
    {"a,b\r\nc,d\r\n", 2, 5, {"a", "b"}},
    {"\r\n", 1, 2, {""}},
    {",\r\n", 2, 3, {"", ""}},
    {"\"x\"\"y\",z\r\n", 2, 10, {"x\"y", "z"}},
    {"\"multi\r\nline\",2\r\n", 2, 17, {"multi\r\nline", "2"}},
    {"\"\"\n", 1, 3, {""}},
    {"", -1, 0, {0}},
    {"abc", -1, 0, {0}},         /* no line end */
    {"\"abc\r\n", -1, 0, {0}},   /* quote never closed */
    {"a\"b\r\n", -1, 0, {0}},    /* quote inside unquoted field */
    {"\"ab\"c\r\n", -1, 0, {0}}, /* text after closing quote */
    {"a\rb\r\n", -1, 0, {0}},    /* bare CR */
    {"a,b,c,d\r\n", -1, 0, {0}}, /* more than maxfields (3) */
};

static void test_parse_row(void)
{
    for (size_t i = 0; i < sizeof parse_cases / sizeof *parse_cases; i++) {
        const ParseCase *c = &parse_cases[i];
        char *f[3] = {0};
        size_t used = 12345;
        int n = csv_parse_row(c->in, strlen(c->in), &used, f, 3);
        cases++;
        CHECK_INT(n, c->want);
        if (n < 0) {
            CHECK(f[0] == NULL && f[1] == NULL && f[2] == NULL);
            continue;
        }
        CHECK_INT(used, c->consumed);
        for (int k = 0; k < n; k++) {
            CHECK_STR(f[k], c->f[k]);
            free(f[k]);
        }
    }
}

typedef struct {
    const char *in;
    size_t len; /* 0: strlen */
    size_t want;
} ScanCase;

static const ScanCase scan_cases[] = {
    {"", 0, 0},
    {"a,b\r\n", 0, 5},
    {"a,b\r\nc,d", 0, 5},              /* missing final newline */
    {"a,b\r\n\"open,\r\nstill", 0, 5}, /* quote left open */
    {"a,b\r\n\"closed\r\n\",x\r\n", 0, 19},
    {"h\n", 0, 2},
    {"\r", 0, 0},
    {"a\r\n\0\0\0", 6, 3}, /* zeros after a power cut */
    {"\"\"\n", 0, 3},
    {"x\"\"\n", 0, 4},
};

static void test_scan_complete(void)
{
    for (size_t i = 0; i < sizeof scan_cases / sizeof *scan_cases; i++) {
        const ScanCase *c = &scan_cases[i];
        size_t len = c->len ? c->len : strlen(c->in);
        cases++;
        CHECK_INT(csv_scan_complete(c->in, len), c->want);
    }
    CHECK_INT(csv_scan_complete(NULL, 0), 0);

    /* Every cut of a file of formatted rows scans to the last row end before
     * the cut: this is exactly what torn-tail recovery relies on. */
    const char *rows[][3] = {{"1", "Zoë, \"Z\"", "+33 6"},
                             {"2", "two\r\nlines", ""},
                             {"3", "\"", "end "}};
    char file[512];
    size_t ends[3], len = 0;
    for (int r = 0; r < 3; r++) {
        len += csv_format_row(file + len, sizeof file - len, rows[r], 3);
        ends[r] = len;
    }
    for (size_t cut = 0; cut <= len; cut++) {
        size_t want = 0;
        for (int r = 0; r < 3; r++)
            if (ends[r] <= cut)
                want = ends[r];
        CHECK_INT(csv_scan_complete(file, cut), want);
    }
    cases++;

    /* Random bytes: result within bounds and always at a row end. (The
     * libFuzzer target tests/fuzz/fuzz_store.c does this at scale.) */
    unsigned seed = 7;
    for (int i = 0; i < 20000; i++) {
        char b[64];
        size_t n = (size_t)(rand_r(&seed) % 64);
        for (size_t k = 0; k < n; k++) {
            static const char alphabet[] = "a,\"\r\n";
            b[k] = alphabet[rand_r(&seed) % 5];
        }
        size_t got = csv_scan_complete(b, n);
        CHECK(got <= n);
        CHECK(got == 0 || b[got - 1] == '\n');
    }
    cases++;
}

typedef struct {
    const char *tz;
    time_t t;
    const char *want;
} TimeCase;

/* POSIX TZ strings, so the test needs no tzdata installed. */
static const TimeCase time_cases[] = {
    {"UTC0", 1796204363, "2026-12-02T09:39:23+00:00"},
    {"CET-1CEST,M3.5.0,M10.5.0/3", 1796204363, "2026-12-02T10:39:23+01:00"},
    {"CET-1CEST,M3.5.0,M10.5.0/3", 1782900000, "2026-07-01T12:00:00+02:00"},
    {"NST3:30NDT,M3.2.0,M11.1.0", 1796204363, "2026-12-02T06:09:23-03:30"},
    {"<+0545>-5:45", 1796204363, "2026-12-02T15:24:23+05:45"},
};

static void test_format_time(void)
{
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;
    for (size_t i = 0; i < sizeof time_cases / sizeof *time_cases; i++) {
        char buf[40];
        setenv("TZ", time_cases[i].tz, 1);
        tzset();
        store_format_time(time_cases[i].t, buf, sizeof buf);
        cases++;
        CHECK_STR(buf, time_cases[i].want);
    }
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
}

static void test_make_id(void)
{
    enum { N = 1000 };
    static char ids[N][17];
    for (int i = 0; i < N; i++) {
        store_make_id(ids[i]);
        CHECK_INT(strlen(ids[i]), 16);
        CHECK_INT(strspn(ids[i], "0123456789abcdef"), 16);
    }
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            if (strcmp(ids[i], ids[j]) == 0) {
                CHECK(!"duplicate id");
                i = j = N;
            }
    cases++;
}

/* ---- files ------------------------------------------------------------- */

#define HEADER "id,name,phone\r\n"

static void test_open_create_reopen_rename(void)
{
    char dir[256], mid[256], path[300], note[1024], err[512];
    Store *s;
    subpath(mid, sizeof mid, "open");
    subpath(dir, sizeof dir, "open/nested/data");
    snprintf(path, sizeof path, "%s/signups.csv", dir);

    cases++;
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    if (!s) {
        fprintf(stderr, "store_open: %s\n", err);
        return;
    }
    CHECK_STR(note, "");
    CHECK_INT(files_mode(mid), 0700);
    CHECK_INT(files_mode(dir), 0700);
    CHECK_INT(files_mode(path), 0600);
    char *got = files_slurp(path, NULL);
    CHECK_STR(got, HEADER);
    free(got);
    CHECK_INT(store_row_count(s), 0);
    const char *r1[] = {"1", "Zoë", "+44 20 7946 0958"}, *r2[] = {"2", "Jo, Jr", ""};
    CHECK_INT(store_append(s, r1, 3, err, sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_INT(store_append(s, r2, 3, err, sizeof err), 0);
    CHECK_INT(store_row_count(s), 2);
    CHECK_INT(store_pending(s), 0);
    store_close(s);

    const char *two = HEADER "1,Zoë,'+44 20 7946 0958\r\n2,\"Jo, Jr\",\r\n";
    got = files_slurp(path, NULL);
    CHECK_STR(got, two);
    free(got);

    /* Reopen with the same columns: header not repeated, rows counted. */
    cases++;
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    CHECK_STR(note, "");
    CHECK_INT(store_row_count(s), 2);
    store_close(s);
    got = files_slurp(path, NULL);
    CHECK_STR(got, two);
    free(got);

    /* Loose permissions are tightened and reported. */
    cases++;
    chmod(path, 0644);
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    CHECK(strstr(note, "mode 644") != NULL);
    CHECK(strstr(note, "owner-only (0600)") != NULL);
    CHECK_INT(files_mode(path), 0600);
    store_close(s);

    /* Other columns: the old file is renamed aside, never deleted. */
    cases++;
    const char *cols2[] = {"id", "name", "email"};
    char names[8][256];
    CHECK_INT(store_open(&s, path, cols2, 3, note, sizeof note, err, sizeof err), 0);
    CHECK(strstr(note, "has other columns") != NULL);
    CHECK(strstr(note, "signups-") != NULL);
    store_close(s);
    got = files_slurp(path, NULL);
    CHECK_STR(got, "id,name,email\r\n");
    free(got);
    CHECK_INT(files_list(dir, "signups-", names, 8), 1);
    char arch[4096];
    snprintf(arch, sizeof arch, "%s/%s", dir, names[0]);
    /* signups-YYYYmmdd-HHMMSS.csv */
    CHECK_INT(strlen(names[0]), strlen("signups-20261202-103923.csv"));
    CHECK(strcmp(names[0] + strlen(names[0]) - 4, ".csv") == 0);
    got = files_slurp(arch, NULL);
    CHECK_STR(got, two);
    free(got);
    CHECK_INT(files_mode(arch), 0600);

    /* Back to the first columns, probably within the same second: the
     * second archive must get its own name, not overwrite the first. */
    cases++;
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    store_close(s);
    int n = files_list(dir, "signups-", names, 8);
    CHECK_INT(n, 2);
    int found_two = 0, found_email = 0;
    for (int i = 0; i < n; i++) {
        snprintf(arch, sizeof arch, "%s/%s", dir, names[i]);
        got = files_slurp(arch, NULL);
        found_two += got && strcmp(got, two) == 0;
        found_email += got && strcmp(got, "id,name,email\r\n") == 0;
        free(got);
    }
    CHECK_INT(found_two, 1);
    CHECK_INT(found_email, 1);

    /* A spreadsheet re-save (BOM, LF line ends, needless quotes) still
     * counts as the same header: no archive, rows appended after it. */
    cases++;
    char path2[300];
    snprintf(path2, sizeof path2, "%s/resaved.csv", dir);
    const char *resaved = "\xef\xbb\xbf\"id\",name,\"phone\"\n1,Ann,x\n";
    spit(path2, resaved, strlen(resaved), 0);
    CHECK_INT(store_open(&s, path2, COLS, 3, note, sizeof note, err, sizeof err), 0);
    CHECK_STR(note, "");
    CHECK_INT(store_row_count(s), 1);
    CHECK_INT(store_append(s, r2, 3, err, sizeof err), 0);
    store_close(s);
    got = files_slurp(path2, NULL);
    CHECK_STR(got, "\xef\xbb\xbf\"id\",name,\"phone\"\n1,Ann,x\n2,\"Jo, Jr\",\r\n");
    free(got);
    CHECK_INT(files_list(dir, "resaved-", names, 8), 0);
}

static void test_bad_arguments_and_errors(void)
{
    char path[300], note[256], err[512];
    Store *s = (Store *)1;
    subpath(path, sizeof path, "errors/s.csv");

    cases++;
    CHECK_INT(store_open(&s, path, COLS, 0, note, sizeof note, err, sizeof err), -1);
    CHECK(s == NULL);

    /* The message names the path and the system's reason. */
    cases++;
    char blocker[300], under[400];
    subpath(blocker, sizeof blocker, "afile");
    spit(blocker, "x", 1, 0);
    snprintf(under, sizeof under, "%s/sub/s.csv", blocker);
    CHECK_INT(store_open(&s, under, COLS, 3, note, sizeof note, err, sizeof err), -1);
    CHECK(strstr(err, blocker) != NULL);
    CHECK(strstr(err, strerror(ENOTDIR)) != NULL);

    /* Wrong number of values: refused, not queued, values not echoed. */
    cases++;
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    const char *two[] = {"Secret Person", "+33 6 12 34 56 78"};
    CHECK_INT(store_append(s, two, 2, err, sizeof err), -1);
    CHECK(strstr(err, "2 values") != NULL);
    CHECK(strstr(err, "Secret") == NULL && strstr(err, "+33") == NULL);
    CHECK_INT(store_pending(s), 0);
    CHECK_INT(store_row_count(s), 0);
    store_close(s);
    store_close(NULL);

    /* A read-only directory cannot be tested here: the tests run as root,
     * and root ignores permission bits (chmod 0500 stops nobody). Run it
     * only where it means something. */
    if (geteuid() != 0) {
        cases++;
        char ro[300], inro[400];
        subpath(ro, sizeof ro, "readonly");
        mkdir(ro, 0500);
        snprintf(inro, sizeof inro, "%s/s.csv", ro);
        CHECK_INT(store_open(&s, inro, COLS, 3, note, sizeof note, err, sizeof err), -1);
        CHECK(strstr(err, inro) != NULL);
        CHECK(strstr(err, strerror(EACCES)) != NULL);
        chmod(ro, 0700);
    }
}

static void test_lock(void)
{
    char path[300], note[256], err[512];
    Store *a, *b = (Store *)1;
    subpath(path, sizeof path, "lock/s.csv");
    cases++;
    CHECK_INT(store_open(&a, path, COLS, 3, note, sizeof note, err, sizeof err), 0);

    /* flock() belongs to the open file description, so a second open in the
     * same process is refused just like another kiosk. */
    errno = 0;
    CHECK_INT(store_open(&b, path, COLS, 3, note, sizeof note, err, sizeof err), -1);
    CHECK_INT(errno, EWOULDBLOCK);
    CHECK(b == NULL);
    CHECK(strstr(err, path) != NULL);
    CHECK(strstr(err, "another kiosk") != NULL);
    CHECK(strstr(err, "locked") != NULL);

    cases++;
    pid_t pid = fork();
    if (pid == 0) {
        Store *c;
        int rc = store_open(&c, path, COLS, 3, note, sizeof note, err, sizeof err);
        _exit(rc == -1 && errno == EWOULDBLOCK && strstr(err, "locked") ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    store_close(a);
    cases++;
    CHECK_INT(store_open(&b, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    store_close(b);
}

static int open_retrying(Store **s, const char *path, char *err, size_t errlen, unsigned *seed)
{
    char note[256];
    for (int tries = 0; tries < 5000; tries++) {
        if (store_open(s, path, COLS, 3, note, sizeof note, err, errlen) == 0)
            return 0;
        if (errno != EWOULDBLOCK)
            return -1;
        usleep(100 + rand_r(seed) % 900);
    }
    return -1;
}

static void count_turn_row(const char *id, void *ctx)
{
    int(*seen)[TURNS_PER_PROCESS] = ctx;
    int p, i;
    if (sscanf(id, "p%d-%d", &p, &i) == 2 && p >= 0 && p < 2 && i >= 0 && i < TURNS_PER_PROCESS)
        seen[p][i]++;
}

static void test_take_turns(void)
{
    char path[300], err[512];
    pid_t pids[2];
    subpath(path, sizeof path, "turns/s.csv");
    cases++;
    for (int p = 0; p < 2; p++) {
        pids[p] = fork();
        if (pids[p] == 0) {
            unsigned seed = (unsigned)getpid();
            int bad = 0;
            for (int i = 0; i < TURNS_PER_PROCESS; i++) {
                Store *s;
                char id[32];
                snprintf(id, sizeof id, "p%d-%d", p, i);
                const char *v[] = {id, "Name, with comma", "\"quoted\""};
                if (open_retrying(&s, path, err, sizeof err, &seed) != 0) {
                    fprintf(stderr, "turns: %s\n", err);
                    bad++;
                    continue;
                }
                bad += store_append(s, v, 3, err, sizeof err) != 0;
                store_close(s);
            }
            _exit(bad);
        }
    }
    for (int p = 0; p < 2; p++) {
        int status = 0;
        waitpid(pids[p], &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    size_t len;
    char *got = files_slurp(path, &len);
    int seen[2][TURNS_PER_PROCESS] = {{0}};
    CHECK(got && strncmp(got, HEADER, strlen(HEADER)) == 0);
    CHECK_INT(parse_all(got, len, 3, count_turn_row, seen), 1 + 2 * TURNS_PER_PROCESS);
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < TURNS_PER_PROCESS; i++)
            CHECK_INT(seen[p][i], 1);
    free(got);
}

typedef struct {
    long *v;
    size_t n, cap;
} Longs;

static void longs_push(Longs *l, long x)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v)
            abort();
    }
    l->v[l->n++] = x;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static void collect_number(const char *id, void *ctx)
{
    longs_push(ctx, strtol(id, NULL, 10));
}

/* The writer the crash test kills. The acknowledgement goes down the pipe
 * only after store_append() returned 0, i.e. after the fsync: a number in
 * the pipe is a promise the file must keep. */
static void crash_writer(const char *path, long base, int ackfd)
{
    Store *s;
    char err[512];
    unsigned seed = (unsigned)getpid();
    if (open_retrying(&s, path, err, sizeof err, &seed) != 0) {
        fprintf(stderr, "crash writer: %s\n", err);
        _exit(1);
    }
    for (long j = 0;; j++) {
        char num[32];
        int32_t ack = (int32_t)(base + j);
        snprintf(num, sizeof num, "%ld", base + j);
        const char *v[] = {num, "Zoë \"Zed\", Jr.\r\nsecond line", "+33 6 12 34 56 78"};
        if (store_append(s, v, 3, err, sizeof err) == 0)
            (void)!write(ackfd, &ack, sizeof ack); /* <= PIPE_BUF: atomic */
    }
}

static void test_crash(void)
{
    char path[300], note[1024], err[512];
    Longs acked = {0}, infile = {0};
    unsigned seed = 20261202;
    long long start = now_ms();
    int kills = 0;
    subpath(path, sizeof path, "crash/s.csv");
    cases++;
    for (; kills < CRASH_KILLS && now_ms() - start < CRASH_MAX_MS; kills++) {
        int p[2];
        if (pipe(p) != 0) {
            CHECK(!"pipe");
            break;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            crash_writer(path, (long)kills * 100000, p[1]);
        }
        close(p[1]);
        /* From "still opening" to "dozens of rows in": every phase of the
         * writer's life gets killed in some round. Every tenth round waits
         * for a first acknowledgement, so a slow machine (an emulator)
         * still kills writers mid-stream rather than only while opening. */
        if (kills % 10 == 0) {
            int32_t first;
            if (read(p[0], &first, sizeof first) == (ssize_t)sizeof first)
                longs_push(&acked, first);
        }
        usleep(rand_r(&seed) % 10000);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        int32_t ack;
        while (read(p[0], &ack, sizeof ack) == (ssize_t)sizeof ack)
            longs_push(&acked, ack);
        close(p[0]);
    }
    Store *s;
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    size_t rows = store_row_count(s);
    store_close(s);
    size_t len;
    char *got = files_slurp(path, &len);
    long parsed = parse_all(got, len, 3, collect_number, &infile);
    CHECK_INT(parsed, (long)rows + 1);
    qsort(infile.v, infile.n, sizeof *infile.v, cmp_long);
    size_t missing = 0, dups = 0;
    for (size_t i = 0; i < acked.n; i++)
        missing += !bsearch(&acked.v[i], infile.v, infile.n, sizeof *infile.v, cmp_long);
    for (size_t i = 1; i < infile.n; i++)
        dups += infile.v[i] == infile.v[i - 1];
    CHECK_INT(missing, 0);
    CHECK_INT(dups, 0);
    CHECK(acked.n > 0);
    printf("crash: %d kills in %lld ms, %zu rows acknowledged, %zu in the file\n", kills,
           now_ms() - start, acked.n, infile.n);
    free(got);
    free(acked.v);
    free(infile.v);
}

/* SIGKILL does not tear a small write(), so the crash test rarely makes a
 * torn tail; a power cut does. Write those by hand. */
static void test_torn_tail(void)
{
    char path[300], ppath[320], note[1024], err[512];
    Store *s;
    subpath(path, sizeof path, "torn/s.csv");
    snprintf(ppath, sizeof ppath, "%s.partial", path);
    const char *r1[] = {"1", "Ann", "x"}, *r2[] = {"2", "Bob", "y"}, *r3[] = {"3", "Cy", "z"};

    cases++;
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    CHECK_INT(store_append(s, r1, 3, err, sizeof err), 0);
    CHECK_INT(store_append(s, r2, 3, err, sizeof err), 0);
    store_close(s);
    const char *good = HEADER "1,Ann,x\r\n2,Bob,y\r\n";
    const char *tail = "3,\"Zoë Torn\r\nhalf an addr";
    spit(path, tail, strlen(tail), 1);

    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    CHECK(strstr(note, "incomplete") != NULL);
    CHECK(strstr(note, ppath) != NULL);
    CHECK(strstr(note, "Zoë") == NULL && strstr(note, "Torn") == NULL);
    CHECK_INT(store_row_count(s), 2);
    char *got = files_slurp(path, NULL);
    CHECK_STR(got, good);
    free(got);
    got = files_slurp(ppath, NULL);
    CHECK_STR(got, tail);
    free(got);
    CHECK_INT(files_mode(ppath), 0600);
    /* The next row starts on a clean line. */
    CHECK_INT(store_append(s, r3, 3, err, sizeof err), 0);
    store_close(s);
    got = files_slurp(path, NULL);
    CHECK_STR(got, HEADER "1,Ann,x\r\n2,Bob,y\r\n3,Cy,z\r\n");
    free(got);

    /* Zeros where the filesystem allocated blocks before the data arrived:
     * also a tail, appended after the first one in .partial. */
    cases++;
    spit(path, "\0\0\0\0", 4, 1);
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    CHECK(strstr(note, "4 bytes") != NULL);
    store_close(s);
    size_t plen;
    got = files_slurp(ppath, &plen);
    CHECK_INT(plen, strlen(tail) + 4);
    CHECK(got && memcmp(got, tail, strlen(tail)) == 0 &&
          memcmp(got + strlen(tail), "\0\0\0\0", 4) == 0);
    free(got);
    CHECK_INT(files_size(path), (off_t)strlen(HEADER "1,Ann,x\r\n2,Bob,y\r\n3,Cy,z\r\n"));

    /* Torn header: the whole file is tail; it is saved and a header written. */
    cases++;
    char hpath[300], hppath[320];
    subpath(hpath, sizeof hpath, "torn/h.csv");
    snprintf(hppath, sizeof hppath, "%s.partial", hpath);
    spit(hpath, "id,na", 5, 0);
    CHECK_INT(store_open(&s, hpath, COLS, 3, note, sizeof note, err, sizeof err), 0);
    CHECK(strstr(note, "incomplete") != NULL);
    CHECK_INT(store_row_count(s), 0);
    store_close(s);
    got = files_slurp(hpath, NULL);
    CHECK_STR(got, HEADER);
    free(got);
    got = files_slurp(hppath, NULL);
    CHECK_STR(got, "id,na");
    free(got);
}

/* Runs in a child: RLIMIT_FSIZE would otherwise limit the whole test. */
static int full_disk_child(const char *path)
{
    Store *s;
    char note[256], err[512];
    struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
    const char *r1[] = {"1", "Ann", "x"};
    const char *secret[] = {"2", "Zoë Secret-Name", "+44 20 7946 0958"};
    const char *secret2[] = {"3", "Other Private", "=cmd|' /C calc'!A0"};
    signal(SIGXFSZ, SIG_IGN); /* we want EFBIG, not death */
    check_failures = 0;       /* the fork copied the parent's count */

    cases++;
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    if (!s)
        return check_failures;
    CHECK_INT(store_append(s, r1, 3, err, sizeof err), 0);
    off_t before = files_size(path);
    char *good = files_slurp(path, NULL);

    /* A limit just above the size: the row is cut short by the kernel (a
     * short write), and store must cut it back off. */
    rl.rlim_cur = (rlim_t)before + 10;
    setrlimit(RLIMIT_FSIZE, &rl);
    CHECK_INT(store_append(s, secret, 3, err, sizeof err), 1);
    CHECK(strstr(err, "only 10 of") != NULL);
    CHECK(strstr(err, path) != NULL);
    CHECK_INT(store_pending(s), 1);
    CHECK_INT(files_size(path), before);
    for (int i = 1; i < 3; i++) /* [0] is a row number, not personal */
        CHECK(strstr(err, secret[i]) == NULL);
    CHECK(strstr(err, "Zoë") == NULL && strstr(err, "+44") == NULL);

    /* A limit at the size: write() fails outright with EFBIG. */
    rl.rlim_cur = (rlim_t)before;
    setrlimit(RLIMIT_FSIZE, &rl);
    CHECK_INT(store_append(s, secret2, 3, err, sizeof err), 1);
    CHECK(strstr(err, strerror(EFBIG)) != NULL);
    CHECK(strstr(err, "2 row(s) kept in memory") != NULL);
    for (int i = 1; i < 3; i++) /* [0] is a row number, not personal */
        CHECK(strstr(err, secret2[i]) == NULL);
    CHECK_INT(store_pending(s), 2);
    CHECK_INT(store_flush(s, err, sizeof err), 2);
    CHECK(strstr(err, "Zoë") == NULL && strstr(err, "Other") == NULL);
    CHECK_INT(store_row_count(s), 1);
    char *got = files_slurp(path, NULL);
    CHECK_STR(got, good);
    free(got);

    /* Space again: both rows go out, in order, and are counted. */
    rl.rlim_cur = RLIM_INFINITY;
    setrlimit(RLIMIT_FSIZE, &rl);
    CHECK_INT(store_flush(s, err, sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_INT(store_pending(s), 0);
    CHECK_INT(store_row_count(s), 3);
    got = files_slurp(path, NULL);
    char want[512];
    snprintf(want, sizeof want, "%s%s", good,
             "2,Zoë Secret-Name,'+44 20 7946 0958\r\n3,Other Private,'=cmd|' /C calc'!A0\r\n");
    CHECK_STR(got, want);
    free(got);

    /* The queue is bounded: past STORE_PENDING_MAX a sign-up is refused
     * (-1), so the form can say so instead of "saved". */
    cases++;
    rl.rlim_cur = (rlim_t)files_size(path);
    setrlimit(RLIMIT_FSIZE, &rl);
    int ones = 0;
    for (int i = 0; i < STORE_PENDING_MAX; i++) {
        /* Ids unique, as the kiosk's are: .pending's rows are added by id. */
        char id[16];
        snprintf(id, sizeof id, "q%d", i);
        const char *q[] = {id, secret[1], secret[2]};
        ones += store_append(s, q, 3, err, sizeof err) == 1;
    }
    CHECK_INT(ones, STORE_PENDING_MAX);
    CHECK_INT(store_append(s, secret, 3, err, sizeof err), -1);
    CHECK(strstr(err, "already waiting") != NULL);
    CHECK_INT(store_pending(s), STORE_PENDING_MAX);
    rl.rlim_cur = RLIM_INFINITY;
    setrlimit(RLIMIT_FSIZE, &rl);
    CHECK_INT(store_flush(s, err, sizeof err), 0);
    CHECK_INT(store_row_count(s), 3 + STORE_PENDING_MAX);
    store_close(s);
    size_t len;
    got = files_slurp(path, &len);
    CHECK_INT(parse_all(got, len, 3, NULL, NULL), 4 + STORE_PENDING_MAX);
    free(got);
    free(good);
    return check_failures;
}

static void test_full_disk(void)
{
    char path[300];
    subpath(path, sizeof path, "full/s.csv");
    pid_t pid = fork();
    if (pid == 0)
        _exit(full_disk_child(path));
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    if (WIFEXITED(status))
        check_failures += WEXITSTATUS(status); /* the child printed its own */
    cases += 2;
}

/* A person moves the file away, or a spreadsheet saves over it (new file
 * renamed onto the path): rows must follow the path, not the old inode. */
static void test_file_replaced(void)
{
    char path[300], moved[320], tmp[320], note[256], err[1024];
    Store *s;
    subpath(path, sizeof path, "replaced/s.csv");
    snprintf(moved, sizeof moved, "%s.moved", path);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    const char *r1[] = {"1", "Ann", "x"}, *r2[] = {"2", "Bob", "y"}, *r3[] = {"3", "Cy", "z"};

    cases++;
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    CHECK_INT(store_append(s, r1, 3, err, sizeof err), 0);
    rename(path, moved);
    CHECK_INT(store_append(s, r2, 3, err, sizeof err), 0);
    CHECK(strstr(err, "moved or replaced") != NULL);
    CHECK_INT(store_row_count(s), 1);
    char *got = files_slurp(moved, NULL);
    CHECK_STR(got, HEADER "1,Ann,x\r\n");
    free(got);
    got = files_slurp(path, NULL);
    CHECK_STR(got, HEADER "2,Bob,y\r\n");
    free(got);

    cases++;
    const char *saved = "id,name,phone\n1,Ann,x\n2,Bob,y\n";
    spit(tmp, saved, strlen(saved), 0);
    rename(tmp, path);
    CHECK_INT(store_append(s, r3, 3, err, sizeof err), 0);
    CHECK(strstr(err, "moved or replaced") != NULL);
    CHECK_INT(store_row_count(s), 3);
    store_close(s);
    got = files_slurp(path, NULL);
    CHECK_STR(got, "id,name,phone\n1,Ann,x\n2,Bob,y\n3,Cy,z\r\n");
    free(got);
}

/* The kiosk's way in: a folder that cannot hold the file yet (here a plain
 * file in its place, which stops root too) is no failure. Rows wait in the
 * store's one queue, in order, and reach the file once the folder is fixed. */
static void test_create_before_the_disk_is_ready(void)
{
    char dir[512], path[600], note[512], err[512];
    subpath(dir, sizeof dir, "later");
    snprintf(path, sizeof path, "%s/signups.csv", dir);
    FILE *f = fopen(dir, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    Store *s = NULL;
    CHECK_INT(store_create(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 1);
    CHECK(s != NULL);
    CHECK(!store_is_open(s));
    CHECK(strstr(err, "later") != NULL);
    const char *r1[] = {"1", "Ann", "x"}, *r2[] = {"2", "Bob", "y"};
    CHECK_INT(store_append(s, r1, 3, err, sizeof err), 1);
    CHECK_INT(store_append(s, r2, 3, err, sizeof err), 1);
    CHECK_INT(store_pending(s), 2);
    CHECK_INT(store_flush(s, err, sizeof err), 2);
    size_t today = 99;
    CHECK_INT(store_count_rows(s, 0, "1", &today, err, sizeof err), 0);
    CHECK_INT(today, 0);
    CHECK(unlink(dir) == 0);
    CHECK_INT(store_flush(s, err, sizeof err), 0);
    CHECK(store_is_open(s));
    CHECK_INT(store_row_count(s), 2);
    /* Counted by parsing: the first column of each data row, header skipped. */
    CHECK_INT(store_count_rows(s, 0, "1", &today, err, sizeof err), 0);
    CHECK_INT(today, 1);
    CHECK_INT(store_count_rows(s, 1, "", &today, err, sizeof err), 0);
    CHECK_INT(today, 2);
    CHECK_INT(store_count_rows(s, 7, "", &today, err, sizeof err), 0);
    CHECK_INT(today, 0);
    store_close(s);
    char *got = files_slurp(path, NULL);
    CHECK_STR(got, "id,name,phone\r\n1,Ann,x\r\n2,Bob,y\r\n");
    free(got);
    /* Unusable arguments are the only failure. */
    CHECK_INT(store_create(&s, "", COLS, 3, note, sizeof note, err, sizeof err), -1);
    CHECK(s == NULL);
    cases++;
}

/* Item 2 of the data-safety issue: a sign-up the disk refused (here the
 * file-size limit) is kept durably in "<path>.pending"; the process dies
 * without store_close(); once the disk takes rows again the next open adds
 * it to the file, once, and removes .pending. */
static int pending_child(const char *path)
{
    Store *s;
    char note[256], err[1024];
    struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
    const char *r1[] = {"p1", "Ann", "x"}, *r2[] = {"p2", "Bob", "y"};
    signal(SIGXFSZ, SIG_IGN);
    check_failures = 0;
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    if (!s)
        return check_failures;
    CHECK_INT(store_append(s, r1, 3, err, sizeof err), 0);
    /* Room for .pending (small) but not for one more byte of the file. */
    rl.rlim_cur = (rlim_t)files_size(path);
    setrlimit(RLIMIT_FSIZE, &rl);
    CHECK_INT(store_append(s, r2, 3, err, sizeof err), 1);
    CHECK(strstr(err, ".pending") != NULL);
    CHECK(strstr(err, "kept in memory and in") != NULL);
    CHECK_INT(store_pending(s), 1);
    CHECK_INT(store_pending_durable(s), 1);
    _exit(check_failures); /* killed: no store_close(), no flush */
}

static void test_pending_survives_a_kill(void)
{
    char path[300], ppath[320], note[1024], err[512];
    subpath(path, sizeof path, "pending/s.csv");
    snprintf(ppath, sizeof ppath, "%s.pending", path);
    cases++;
    pid_t pid = fork();
    if (pid == 0)
        pending_child(path);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *got = files_slurp(ppath, NULL);
    CHECK_STR(got, HEADER "p2,Bob,y\r\n");
    free(got);
    /* A crash after the rows went into the file but before .pending was
     * removed: simulated by putting p2 in the file by hand. Added once. */
    char *keep = files_slurp(ppath, NULL);
    Store *s;
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    CHECK(strstr(note, "1 sign-up(s)") != NULL);
    CHECK_INT(store_row_count(s), 2);
    store_close(s);
    got = files_slurp(path, NULL);
    CHECK_STR(got, HEADER "p1,Ann,x\r\np2,Bob,y\r\n");
    free(got);
    CHECK_INT(files_size(ppath), -1);
    cases++;
    spit(ppath, keep, strlen(keep), 0);
    spit(ppath, "p3,Cy,z\r\n", 9, 1);
    free(keep);
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    CHECK(strstr(note, "1 already there") != NULL);
    store_close(s);
    got = files_slurp(path, NULL);
    CHECK_STR(got, HEADER "p1,Ann,x\r\np2,Bob,y\r\np3,Cy,z\r\n");
    free(got);
    CHECK_INT(files_size(ppath), -1);
    /* A torn tail in .pending (a power cut while appending) goes to
     * .partial; a .pending of another form is kept aside, not mixed in. */
    cases++;
    spit(ppath, HEADER "p4,Di,w\r\np5,\"To", strlen(HEADER) + 15, 0);
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    store_close(s);
    got = files_slurp(path, NULL);
    CHECK_STR(got, HEADER "p1,Ann,x\r\np2,Bob,y\r\np3,Cy,z\r\np4,Di,w\r\n");
    free(got);
    snprintf(ppath, sizeof ppath, "%s.partial", path);
    got = files_slurp(ppath, NULL);
    CHECK_STR(got, "p5,\"To");
    free(got);
    cases++;
    snprintf(ppath, sizeof ppath, "%s.pending", path);
    spit(ppath, "id,email\r\nq1,a@b\r\n", 18, 0);
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 0);
    CHECK(strstr(note, "other columns") != NULL);
    store_close(s);
    CHECK_INT(files_size(ppath), -1);
    char names[4][256], dir[300];
    subpath(dir, sizeof dir, "pending");
    CHECK_INT(files_list(dir, "s-", names, 4), 1);
}

/* Item 3: links and other users' files are refused, their targets left
 * as they were. Run as root in CI: the owner check uses geteuid(), so
 * root's own files pass and a chown'd one does not. */
static void test_links_refused(void)
{
    char dir[300], path[320], target[320], real[300], linkdir[300], inlink[320], note[512],
        err[1024];
    Store *s = NULL;
    subpath(dir, sizeof dir, "links");
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/s.csv", dir);
    snprintf(target, sizeof target, "%s/target.csv", dir);
    spit(target, "precious\n", 9, 0);
    CHECK(symlink(target, path) == 0);
    cases++;
    CHECK_INT(store_open(&s, path, COLS, 3, note, sizeof note, err, sizeof err), -1);
    CHECK(strstr(err, "is a symbolic link; refusing to write sign-ups through it") != NULL);
    CHECK(strstr(err, path) != NULL);
    char *got = files_slurp(target, NULL);
    CHECK_STR(got, "precious\n");
    free(got);
    /* The kiosk's way in (store_create) keeps the row in memory. */
    cases++;
    CHECK_INT(store_create(&s, path, COLS, 3, note, sizeof note, err, sizeof err), 1);
    CHECK(strstr(err, "symbolic link") != NULL);
    store_close(s);

    /* The folder a link. */
    cases++;
    subpath(real, sizeof real, "links/realdir");
    subpath(linkdir, sizeof linkdir, "links/linkdir");
    mkdir(real, 0700);
    CHECK(symlink(real, linkdir) == 0);
    snprintf(inlink, sizeof inlink, "%s/s.csv", linkdir);
    CHECK_INT(store_open(&s, inlink, COLS, 3, note, sizeof note, err, sizeof err), -1);
    CHECK(strstr(err, "is a symbolic link; refusing to write sign-ups through it") != NULL);
    CHECK(strstr(err, linkdir) != NULL);
    snprintf(inlink, sizeof inlink, "%s/s.csv", real);
    CHECK_INT(files_size(inlink), -1);

    /* Another user's file, and a file that is not a regular one. */
    cases++;
    char other[320];
    snprintf(other, sizeof other, "%s/other.csv", dir);
    spit(other, HEADER, strlen(HEADER), 0);
    if (chown(other, geteuid() + 1, (gid_t)-1) == 0) {
        CHECK_INT(store_open(&s, other, COLS, 3, note, sizeof note, err, sizeof err), -1);
        CHECK(strstr(err, "is owned by user") != NULL);
        CHECK(strstr(err, "refusing to write sign-ups") != NULL);
        CHECK_INT(files_size(other), (off_t)strlen(HEADER));
    }
    char fifo[320];
    snprintf(fifo, sizeof fifo, "%s/fifo.csv", dir);
    CHECK(mkfifo(fifo, 0600) == 0);
    CHECK_INT(store_open(&s, fifo, COLS, 3, note, sizeof note, err, sizeof err), -1);
    CHECK(strstr(err, "is not a regular file") != NULL);
    /* .partial and .pending are not written through links either. */
    cases++;
    char torn[320], tornp[340];
    snprintf(torn, sizeof torn, "%s/t.csv", dir);
    snprintf(tornp, sizeof tornp, "%s.partial", torn);
    spit(torn, HEADER "1,a", strlen(HEADER) + 3, 0);
    CHECK(symlink(target, tornp) == 0);
    CHECK_INT(store_open(&s, torn, COLS, 3, note, sizeof note, err, sizeof err), -1);
    CHECK(strstr(err, "is a symbolic link") != NULL);
    got = files_slurp(target, NULL);
    CHECK_STR(got, "precious\n");
    free(got);
}

int main(void)
{
    long long start = now_ms();
    snprintf(root, sizeof root, "/tmp/test_store.XXXXXX");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    umask(022);

    test_format_and_roundtrip();
    test_parse_row();
    test_scan_complete();
    test_format_time();
    test_make_id();
    test_open_create_reopen_rename();
    test_bad_arguments_and_errors();
    test_lock();
    test_take_turns();
    test_torn_tail();
    test_full_disk();
    test_file_replaced();
    test_create_before_the_disk_is_ready();
    test_pending_survives_a_kill();
    test_links_refused();
    test_crash();

    printf("test_store: %d cases in %lld ms\n", cases, now_ms() - start);
    if (check_failures == 0)
        files_rm_tree(root);
    else
        fprintf(stderr, "test_store: files kept in %s\n", root);
    return check_report("test_store");
}
