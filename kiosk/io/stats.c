/* stats: anonymous daily usage counts. See stats.h for the contract.
 *
 * The file is rewritten whole on every add (it is at most ~60 KiB and the
 * shell adds every few minutes), through a temp file and rename, because
 * the alternative, updating today's row in place, can tear a line that a
 * spreadsheet then shows as garbage for good. A rewrite also gives one
 * place where rows are validated, merged, sorted and trimmed.
 */
#include "stats.h"
#include "util.h"

#include "fsx.h"

#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define STATS_HEADER "date,slides_viewed,forms_opened,forms_completed,forms_abandoned"
#define STATS_FIELDS 5

/* A line we wrote is at most 10 + 4 * 11 bytes; a longer one is not ours.
 * Bounded so that one bad line costs a stack buffer, not an allocation. */
#define STATS_LINE_MAX_BYTES 256

/* Malformed line numbers named in the message; the count covers the rest. */
#define STATS_BAD_LINES_SHOWN 8

typedef struct {
    char date[11];
    StatsCounts c;
} Row;

typedef struct {
    Row *rows;
    size_t n, cap;
    size_t bad;                             /* malformed lines seen */
    size_t bad_line[STATS_BAD_LINES_SHOWN]; /* the first few, 1-based */
} Table;

/* ---- small helpers ----------------------------------------------------- */

static unsigned sat_add(unsigned a, unsigned b)
{
    return a > UINT_MAX - b ? UINT_MAX : a + b;
}

static void counts_add(StatsCounts *to, const StatsCounts *d)
{
    to->slides_viewed = sat_add(to->slides_viewed, d->slides_viewed);
    to->forms_opened = sat_add(to->forms_opened, d->forms_opened);
    to->forms_completed = sat_add(to->forms_completed, d->forms_completed);
    to->forms_abandoned = sat_add(to->forms_abandoned, d->forms_abandoned);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "YYYY-MM-DD" with a month 01-12 and a day 01-31: enough to keep junk out
 * and to make string order date order, which is all the file relies on. */
static int valid_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(s[i]))
            return 0;
    int mon = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
    return mon >= 1 && mon <= 12 && day >= 1 && day <= 31;
}

/* A plain decimal count: digits only (no sign, no spaces, no "1e3" a
 * spreadsheet might write), fitting an unsigned. */
static int parse_count(const char *s, unsigned *out)
{
    unsigned long long v = 0;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (!is_digit(*s))
            return 0;
        v = v * 10 + (unsigned)(*s - '0');
        if (v > UINT_MAX)
            return 0;
    }
    *out = (unsigned)v;
    return 1;
}

static int row_cmp(const void *a, const void *b)
{
    return strcmp(((const Row *)a)->date, ((const Row *)b)->date);
}

static int table_push(Table *t, const char *date, const StatsCounts *c)
{
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        Row *nr = realloc(t->rows, ncap * sizeof *nr);
        if (!nr)
            return -1;
        t->rows = nr;
        t->cap = ncap;
    }
    memcpy(t->rows[t->n].date, date, 11);
    t->rows[t->n].c = *c;
    t->n++;
    return 0;
}

/* Sorts by date and sums rows of the same date into one: a hand-edited or
 * concatenated file may repeat a day, and both rows are well-formed counts
 * we must not lose. */
static void table_normalize(Table *t)
{
    size_t w = 0;
    if (t->n == 0)
        return;
    qsort(t->rows, t->n, sizeof *t->rows, row_cmp);
    for (size_t r = 1; r < t->n; r++) {
        if (strcmp(t->rows[r].date, t->rows[w].date) == 0)
            counts_add(&t->rows[w].c, &t->rows[r].c);
        else
            t->rows[++w] = t->rows[r];
    }
    t->n = w + 1;
}

static void table_bad(Table *t, size_t lineno)
{
    if (t->bad < STATS_BAD_LINES_SHOWN)
        t->bad_line[t->bad] = lineno;
    t->bad++;
}

/* ---- reading ----------------------------------------------------------- */

/* One line (without its line end) into t. Parsed with the sign-ups' RFC
 * 4180 parser (csv.h) so a spreadsheet's re-save with quoted fields still reads. */
static int parse_line(Table *t, const char *line, size_t len, size_t lineno)
{
    char buf[STATS_LINE_MAX_BYTES + 2], *f[STATS_FIELDS];
    StatsCounts c;
    size_t used;
    if (len > 0 && line[len - 1] == '\r')
        len--;
    if (len == 0)
        return 0; /* a blank line (often the last) is not a problem */
    if (len > STATS_LINE_MAX_BYTES) {
        table_bad(t, lineno);
        return 0;
    }
    memcpy(buf, line, len);
    buf[len] = '\n';
    int n = csv_parse_row(buf, len + 1, &used, f, STATS_FIELDS);
    if (n < 0) {
        table_bad(t, lineno);
        return 0;
    }
    int ok = n == STATS_FIELDS && valid_date(f[0]) && parse_count(f[1], &c.slides_viewed) &&
             parse_count(f[2], &c.forms_opened) && parse_count(f[3], &c.forms_completed) &&
             parse_count(f[4], &c.forms_abandoned);
    /* The header (anywhere: two files pasted together repeat it) is not a
     * malformed line. */
    int header = n == STATS_FIELDS && strcasecmp(f[0], "date") == 0 &&
                 strcasecmp(f[1], "slides_viewed") == 0 && strcasecmp(f[2], "forms_opened") == 0 &&
                 strcasecmp(f[3], "forms_completed") == 0 &&
                 strcasecmp(f[4], "forms_abandoned") == 0;
    int rc = 0;
    if (ok)
        rc = table_push(t, f[0], &c);
    else if (!header)
        table_bad(t, lineno);
    for (int i = 0; i < n; i++)
        free(f[i]);
    return rc;
}

/* Loads the file at path into t, normalized. A missing file is an empty
 * table. Returns 0, or -1 with err set (errno kept). */
static int table_load(Table *t, const char *path, char *err, size_t errlen)
{
    struct stat st;
    char *buf = NULL;
    size_t got = 0;
    int rc = -1;
    char why[1024];
    /* Never through a symbolic link, nor a file of another user: the
     * rewrite would replace the link, but the counts read through it would
     * be someone else's. Refusing here leaves both untouched. */
    int fd = fsx_open_owned(path, O_RDONLY, 0, "usage counts", why, sizeof why);
    if (fd < 0) {
        if (why[0]) {
            util_format(err, errlen, "%s", why);
            return -1;
        }
        /* ENOTDIR: a file where a directory should be; there are no
         * counts yet, and creating the directory will say what is wrong. */
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        util_format(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    if (fsx_sys.fstat(fd, &st) != 0) {
        util_format(err, errlen, "%s: cannot stat: %s", path, strerror(errno));
        goto done;
    }
    if (st.st_size < 0 || (unsigned long long)st.st_size > STATS_MAX_BYTES) {
        errno = EFBIG;
        util_format(err, errlen,
                    "%s: larger than %zu KiB, so not a usage-counts file; left as it is", path,
                    STATS_MAX_BYTES / 1024);
        goto done;
    }
    buf = fsx_pread_all(fd, (size_t)st.st_size, &got);
    if (!buf) {
        if (errno == ENOMEM)
            util_format(err, errlen, "%s: out of memory", path);
        else
            util_format(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        goto done;
    }
    size_t off = 0, lineno = 1;
    /* A spreadsheet saving "CSV UTF-8" puts a BOM first. */
    if (got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        off = 3;
    while (off < got) {
        const char *nl = memchr(buf + off, '\n', got - off);
        size_t len = nl ? (size_t)(nl - (buf + off)) : got - off;
        if (parse_line(t, buf + off, len, lineno) != 0) {
            util_format(err, errlen, "%s: out of memory", path);
            goto done;
        }
        off += len + (nl ? 1 : 0);
        lineno++;
    }
    table_normalize(t);
    rc = 0;
done : {
    int e = errno;
    free(buf);
    fsx_sys.close(fd);
    errno = e;
}
    return rc;
}

/* ---- writing ----------------------------------------------------------- */

/* The whole file as text: header, then one row per date. */
static char *table_format(const Table *t, size_t *len)
{
    size_t cap = sizeof STATS_HEADER + 1 + t->n * (10 + 4 * 11 + 2), pos = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    pos += (size_t)snprintf(s, cap, "%s\n", STATS_HEADER);
    for (size_t i = 0; i < t->n; i++) {
        const StatsCounts *c = &t->rows[i].c;
        pos += (size_t)snprintf(s + pos, cap - pos, "%s,%u,%u,%u,%u\n", t->rows[i].date,
                                c->slides_viewed, c->forms_opened, c->forms_completed,
                                c->forms_abandoned);
    }
    *len = pos;
    return s;
}

/* Writes t to path through "<path>.tmp" (fsx_replace). A temp left by a
 * crash is unlinked first, and the new one created O_EXCL rather than
 * truncated, so a symlink planted at that name cannot redirect the write. */
static int table_save(const Table *t, const char *path, char *err, size_t errlen)
{
    size_t len = 0, plen = strlen(path);
    char *text = table_format(t, &len), *tmp = malloc(plen + sizeof ".tmp"),
         *dir = fsx_dir_of(path);
    int rc = -1;
    if (!text || !tmp || !dir) {
        util_format(err, errlen, "%s: out of memory", path);
        goto done;
    }
    snprintf(tmp, plen + sizeof ".tmp", "%s.tmp", path);
    if (fsx_make_dirs(dir, 0750, false, NULL, 0) != 0) {
        util_format(err, errlen, "%s: cannot create its directory: %s", path, strerror(errno));
        goto done;
    }
    (void)fsx_sys.unlink(tmp); /* left by a crash; never holds anything the file lacks */
    switch (fsx_replace(path, tmp, text, len, 0640)) {
    case 0:
        rc = 0;
        break;
    case FSX_STEP_CREATE:
        util_format(err, errlen, "%s: cannot create: %s", tmp, strerror(errno));
        break;
    case FSX_STEP_RENAME:
        util_format(err, errlen, "%s: cannot replace: %s", path, strerror(errno));
        break;
    case FSX_STEP_SYNC_DIR:
        util_format(err, errlen, "%s: cannot sync its directory: %s", path, strerror(errno));
        break;
    default: /* mode, write, fsync, close */
        util_format(err, errlen, "%s: cannot write: %s", tmp, strerror(errno));
        break;
    }
done:
    free(text);
    free(tmp);
    free(dir);
    return rc;
}

/* ---- public ------------------------------------------------------------ */

int stats_add(const char *path, const char *date, const StatsCounts *delta, char *err,
              size_t errlen)
{
    Table t = {0};
    int rc = -1;
    if (err && errlen)
        err[0] = '\0';
    if (!path || !path[0] || !delta) {
        util_format(err, errlen, "usage counts: no file or no counts given");
        return -1;
    }
    if (!valid_date(date)) {
        util_format(err, errlen, "%s: not a date (YYYY-MM-DD): '%.16s'", path,
                    date ? date : "(null)");
        return -1;
    }
    if (table_load(&t, path, err, errlen) != 0)
        goto done;
    if (table_push(&t, date, delta) != 0) {
        util_format(err, errlen, "%s: out of memory", path);
        goto done;
    }
    table_normalize(&t);
    /* Oldest first after sorting, so the rows to drop are at the front. */
    if (t.n > STATS_MAX_DAYS) {
        size_t drop = t.n - STATS_MAX_DAYS;
        memmove(t.rows, t.rows + drop, STATS_MAX_DAYS * sizeof *t.rows);
        t.n = STATS_MAX_DAYS;
    }
    if (table_save(&t, path, err, errlen) != 0)
        goto done;
    if (t.bad > 0) {
        size_t shown = t.bad < STATS_BAD_LINES_SHOWN ? t.bad : STATS_BAD_LINES_SHOWN;
        int used = snprintf(err, errlen, "%s: skipped %zu malformed line%s (line", path, t.bad,
                            t.bad == 1 ? "" : "s");
        for (size_t i = 0; i < shown && used >= 0 && (size_t)used < errlen; i++)
            used += snprintf(err + used, errlen - (size_t)used, "%s %zu", i ? "," : "",
                             t.bad_line[i]);
        if (used >= 0 && (size_t)used < errlen)
            snprintf(err + used, errlen - (size_t)used, "%s)", t.bad > shown ? ", ..." : "");
    }
    rc = 0;
done:
    free(t.rows);
    return rc;
}

int stats_read(const char *path, const char *date, StatsCounts *out)
{
    Table t = {0};
    int rc = -1;
    if (!out)
        return -1;
    memset(out, 0, sizeof *out);
    if (!path || !valid_date(date))
        return -1;
    if (table_load(&t, path, NULL, 0) == 0) {
        for (size_t i = 0; i < t.n; i++)
            if (strcmp(t.rows[i].date, date) == 0)
                *out = t.rows[i].c;
        rc = 0;
    }
    free(t.rows);
    return rc;
}

void stats_date(time_t t, char out[11])
{
    struct tm tm;
    if (!localtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
        out[0] = '\0';
}
