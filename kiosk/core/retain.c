/* retain: see retain.h. */
#include "retain.h"

#include "csv.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Howard Hinnant's days_from_civil: exact for every date we meet, and no
 * timegm() (which reads the clock's zone tables, a file). */
int64_t retain_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void retain_civil_from_days(int64_t days, int *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int retain_week_dates(int y, int m, int d, char dates[7][11])
{
    int64_t day = retain_days_from_civil(y, m, d);
    /* 1970-01-01 was a Thursday: Monday is 0 when (day + 3) mod 7 is 0. */
    int since_monday = (int)(((day + 3) % 7 + 7) % 7);
    for (int i = 0; i <= since_monday; i++) {
        int yy, mm, dd;
        retain_civil_from_days(day - since_monday + i, &yy, &mm, &dd);
        snprintf(dates[i], 11, "%04d-%02d-%02d", yy, mm, dd);
    }
    return since_monday + 1;
}

/* n decimal digits at s into *out; -1 if any is not a digit. */
static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int retain_parse_time(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 1;
    if (strlen(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':')
        return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    const char *z = s + 19;
    if ((z[0] == '+' || z[0] == '-') && strlen(z) == 6 && z[3] == ':') {
        sign = z[0] == '-' ? -1 : 1;
        if (digits(z + 1, 2, &oh) || digits(z + 4, 2, &om) || oh > 23 || om > 59)
            return -1;
    } else if (!(z[0] == '\0' || (z[0] == 'Z' && z[1] == '\0'))) {
        return -1;
    }
    int64_t t = retain_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    *out = t - sign * (int64_t)(oh * 3600 + om * 60);
    return 0;
}

static void free_fields(char **f, int n)
{
    for (int i = 0; i < n; i++) {
        util_wipe(f[i], strlen(f[i])); /* personal data: not left in freed memory */
        free(f[i]);
    }
}

/* The time column named in the header row f (nf fields), or -1. */
static int time_column(const char *const *f, int nf)
{
    for (int i = 0; i < nf; i++)
        if (strcmp(f[i], RETAIN_TIME_COLUMN_NAME) == 0)
            return i;
    return -1;
}

bool retain_is_header(const char *const *f, int nf)
{
    return nf > 0 && (strcmp(f[0], "id") == 0 || time_column(f, nf) >= 0);
}

size_t retain_filter(const char *buf, size_t len, int64_t now, int keep_days, char *out,
                     RetainCount *c)
{
    size_t at = 0, w = 0, used = 0;
    int col = RETAIN_TIME_COLUMN_INDEX;
    int64_t oldest = now - (int64_t)(keep_days > 0 ? keep_days : 0) * 86400;
    memset(c, 0, sizeof *c);
    for (bool first = true; at < len; at += used, first = false) {
        char *f[RETAIN_MAX_FIELDS];
        int nf = csv_parse_row(buf + at, len - at, &used, f, RETAIN_MAX_FIELDS);
        if (nf < 0) {
            /* Not a row we can read: a torn tail with no line end (kept
             * whole), or a line a person mangled (kept, as undated, up to
             * its line end; a quoted line break makes two of it, and every
             * byte is kept either way). */
            const char *nl = memchr(buf + at, '\n', len - at);
            if (!nl) {
                c->torn = len - at;
                used = len - at;
            } else {
                used = (size_t)(nl - (buf + at)) + 1;
                c->undated++;
            }
            memcpy(out + w, buf + at, used);
            w += used;
            continue;
        }
        bool header = first && retain_is_header((const char *const *)f, nf);
        int64_t t = 0;
        bool keep = true;
        if (header) {
            int hc = time_column((const char *const *)f, nf);
            col = hc >= 0 ? hc : col;
        } else if (nf <= col || retain_parse_time(f[col], &t) != 0) {
            c->undated++;
        } else if (keep_days > 0 && t < oldest) {
            keep = false;
            c->removed++;
        } else {
            c->kept++;
        }
        free_fields(f, nf);
        if (keep) {
            memcpy(out + w, buf + at, used);
            w += used;
        }
    }
    return w;
}
