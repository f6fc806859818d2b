/* libFuzzer target for the store's byte scanners: the recovery path in
 * store_open() runs them over whatever a power cut left on disk, so they
 * must be safe on any bytes. Built and run by .ci/fuzz.sh (see
 * docs/testing.md); tests/test_fuzz_regress.c replays the corpus and the
 * saved crashers through this same function in the normal test suite.
 *
 * Besides "no crash", it checks the properties recovery relies on. */
#include "csv.h"
#include "store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Fields per row the target asks for: store_open() asks for its column
 * count plus one; a small cap also exercises the "too many fields" exit. */
enum { FUZZ_STORE_MAX_FIELDS = 8 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses rows from buf[0..len) until one fails, checking each; returns the
 * bytes consumed by the rows that parsed. */
static size_t parse_rows(const char *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        char *fields[FUZZ_STORE_MAX_FIELDS];
        size_t used = 0;
        int n = csv_parse_row(buf + off, len - off, &used, fields, FUZZ_STORE_MAX_FIELDS);
        if (n < 0)
            break;
        if (n == 0 || n > FUZZ_STORE_MAX_FIELDS)
            abort();
        if (used == 0 || used > len - off || buf[off + used - 1] != '\n')
            abort();
        for (int i = 0; i < n; i++)
            free(fields[i]);
        off += used;
    }
    return off;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so ASan flags any read past the end. */
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    if (size)
        memcpy(buf, data, size);

    size_t done = csv_scan_complete(buf, size);
    if (done > size || (done > 0 && buf[done - 1] != '\n'))
        abort();
    /* The complete prefix is itself complete: recovery cuts the file there
     * and must find nothing more to cut next time. */
    if (csv_scan_complete(buf, done) != done)
        abort();

    /* Recovery then parses the header out of the complete prefix only;
     * rows there parse without reading past it. A row that parses within
     * the prefix parses the same within the whole buffer. */
    size_t in_prefix = parse_rows(buf, done);
    if (in_prefix > done)
        abort();
    if (parse_rows(buf, size) < in_prefix)
        abort();

    /* Formatting any value and parsing it back gives the value plus only
     * the formula guard's ' characters (wherever a spreadsheet may start a
     * cell, see csv.h), and the row is one complete row. */
    char *v = malloc(size + 1);
    if (v) {
        if (size)
            memcpy(v, data, size);
        v[size] = '\0';
        const char *vals[2] = {v, v};
        size_t need = csv_format_row(NULL, 0, vals, 2);
        char *row = malloc(need + 1);
        if (row) {
            char *f[2];
            size_t used;
            csv_format_row(row, need + 1, vals, 2);
            if (csv_scan_complete(row, need) != need)
                abort();
            if (csv_parse_row(row, need, &used, f, 2) != 2 || used != need)
                abort();
            /* v must be f[0] with some ' taken out: match greedily. */
            const char *p = f[0], *q = v;
            for (; *p; p++) {
                if (*p == *q)
                    q++;
                else if (*p != '\'')
                    abort();
            }
            if (*q != '\0' || strcmp(f[0], f[1]) != 0)
                abort();
            free(f[0]);
            free(f[1]);
            free(row);
        }
        free(v);
    }
    free(buf);
    return 0;
}
