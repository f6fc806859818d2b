/* The fuzz targets of tests/fuzz/ as a normal test: every seed in
 * tests/fuzz/corpus/<target>/ and every saved crasher in
 * tests/fuzz/regress/<target>/ goes through the very function libFuzzer
 * calls, with the same checks (a broken property aborts). So a bug the
 * fuzzer once found stays fixed in every `scripts/test` run, under
 * AddressSanitizer too, without clang or libFuzzer.
 *
 * Each fuzz target is included here with its entry point renamed; see
 * docs/testing.md for how a crasher gets into tests/fuzz/regress/. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define LLVMFuzzerTestOneInput fuzz_deck_one
#include "fuzz/fuzz_deck.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_settings_one
#include "fuzz/fuzz_settings.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_store_one
#include "fuzz/fuzz_store.c"
#undef LLVMFuzzerTestOneInput

typedef int (*FuzzFn)(const uint8_t *data, size_t size);

/* Inputs bigger than any fuzzer run uses (.ci/fuzz.sh: -max_len=16384)
 * are not inputs but a mistake in the directory. */
enum { REGRESS_MAX_BYTES = 1024 * 1024 };

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool read_input(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    uint8_t *buf = malloc(REGRESS_MAX_BYTES);
    size_t n = buf ? fread(buf, 1, REGRESS_MAX_BYTES, f) : 0;
    bool ok = buf && !ferror(f) && n < REGRESS_MAX_BYTES;
    fclose(f);
    if (!ok) {
        free(buf);
        return false;
    }
    *out = buf;
    *len = n;
    return true;
}

/* Runs every file of dir (in name order, so a failure is reproducible)
 * through fn; returns how many ran, or -1 when dir cannot be read. */
static int replay_dir(const char *dir, FuzzFn fn)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **more = realloc(names, cap * sizeof *names);
            CHECK(more != NULL);
            if (!more)
                break;
            names = more;
        }
        names[n] = strdup(e->d_name);
        CHECK(names[n] != NULL);
        if (names[n])
            n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        uint8_t *data;
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        /* Said before, so the name is on screen if the input crashes. */
        printf("  %s\n", path);
        fflush(stdout);
        if (!read_input(path, &data, &len)) {
            fprintf(stderr, "%s: cannot read it (or it is over %d bytes)\n", path,
                    REGRESS_MAX_BYTES);
            check_failures++;
        } else {
            fn(data, len);
            free(data);
        }
        free(names[i]);
    }
    free(names);
    return (int)n;
}

int main(void)
{
    static const struct {
        const char *name;
        FuzzFn fn;
    } targets[] = {
        {"deck", fuzz_deck_one},
        {"settings", fuzz_settings_one},
        {"store", fuzz_store_one},
    };
    /* The deck target resolves images from the working directory, as when
     * .ci/fuzz.sh runs it from the source tree. */
    if (chdir(TEST_SOURCE_DIR) != 0) {
        perror(TEST_SOURCE_DIR);
        return 1;
    }
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        char dir[256];
        snprintf(dir, sizeof dir, "tests/fuzz/corpus/%s", targets[i].name);
        int seeds = replay_dir(dir, targets[i].fn);
        if (seeds <= 0) {
            fprintf(stderr, "%s: no seed inputs (expected the committed corpus)\n", dir);
            check_failures++;
        }
        /* regress/<target>/ exists once the fuzzer has found something. */
        snprintf(dir, sizeof dir, "tests/fuzz/regress/%s", targets[i].name);
        int saved = replay_dir(dir, targets[i].fn);
        printf("%s: %d seed(s), %d saved crasher(s) replayed\n", targets[i].name, seeds,
               saved < 0 ? 0 : saved);
    }
    return check_report("test_fuzz_regress");
}
