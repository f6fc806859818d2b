/* libFuzzer target for the store's byte scanners: the recovery path runs
 * them over whatever a power cut left on disk, so they must be safe on any
 * bytes. Not part of the CTest build (the glob only takes test_*.c). Run:
 *
 *   clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
 *     -fsanitize=fuzzer,address,undefined -Ikiosk \
 *     tests/store_fuzz.c kiosk/store.c -o /tmp/store_fuzz
 *   /tmp/store_fuzz -max_total_time=60
 *
 * Besides "no crash", it checks the properties recovery relies on. */
#include "store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so ASan flags any read past the end. */
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);

    size_t done = store_scan_complete(buf, size);
    if (done > size || (done > 0 && buf[done - 1] != '\n'))
        abort();
    /* The complete prefix is itself complete. */
    if (store_scan_complete(buf, done) != done)
        abort();

    /* Rows parse without reading past the end; a row that parses ends in \n. */
    for (size_t off = 0; off < size;) {
        char *fields[8];
        size_t used = 0;
        int n = store_parse_row(buf + off, size - off, &used, fields, 8);
        if (n < 0)
            break;
        if (used == 0 || used > size - off || buf[off + used - 1] != '\n')
            abort();
        for (int i = 0; i < n; i++)
            free(fields[i]);
        off += used;
    }

    /* Formatting any value and parsing it back gives the value (plus the
     * formula guard's '), and the row is one complete row. */
    char *v = malloc(size + 1);
    if (v) {
        memcpy(v, data, size);
        v[size] = '\0';
        const char *vals[2] = {v, v};
        size_t need = store_format_row(NULL, 0, vals, 2);
        char *row = malloc(need + 1);
        if (row) {
            char *f[2];
            size_t used;
            store_format_row(row, need + 1, vals, 2);
            if (store_scan_complete(row, need) != need)
                abort();
            if (store_parse_row(row, need, &used, f, 2) != 2 || used != need)
                abort();
            const char *p = f[0];
            if (*p == '\'' && strchr("=+-@\t\r", v[0]) && v[0] != '\0')
                p++;
            if (strcmp(p, v) != 0 || strcmp(f[0], f[1]) != 0)
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
