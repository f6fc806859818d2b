/* RFC 4180 rows with the formula guard; see csv.h. */
#include "csv.h"

#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- The formula guard -------------------------------------------------
 *
 * A spreadsheet evaluates a cell whose text starts with a formula
 * character. Which text starts a cell depends on the reader, not on us:
 * Excel in most of continental Europe splits a .csv on ';', LibreOffice's
 * import dialog offers ',', ';', TAB, space and any "Other" character, and
 * a reader whose idea of the quotes differs from ours (a '"' in a value
 * shifts them once the separator is not ',') splits inside quoted fields
 * too. So the guard does not trust quoting: every place where some reader
 * may start a cell gets checked, and gets a ' when what follows would be
 * evaluated. */

/* Where a reader may split a line: ',' (RFC 4180), ';' (locales with a
 * decimal comma), TAB (tab-separated text), '|' (the usual "Other"); CR and
 * LF end a row for a reader that lost track of the quotes. Space is left
 * out on purpose: no reader splits a sign-up file on spaces by default,
 * and guarding after every space would put a ' into "Smith - Jones". */
static bool is_split(unsigned char c)
{
    return c == ',' || c == ';' || c == '|' || c == '\t' || c == '\r' || c == '\n';
}

/* What a spreadsheet starts a formula with: = + - @ (Excel's, from Lotus),
 * and the forms NFKC folds to them (full-width, small, superscript,
 * subscript) plus U+2212 MINUS SIGN, for a reader that folds. */
static bool is_formula_start(unsigned cp)
{
    switch (cp) {
    case '=':
    case '+':
    case '-':
    case '@':
    case 0xFF1D: /* ＝ */
    case 0xFF0B: /* ＋ */
    case 0xFF0D: /* － */
    case 0xFF20: /* ＠ */
    case 0xFE66: /* ﹦ */
    case 0xFE62: /* ﹢ */
    case 0xFE63: /* ﹣ */
    case 0xFE6B: /* ﹫ */
    case 0x207A: /* ⁺ */
    case 0x207C: /* ⁼ */
    case 0x208A: /* ₊ */
    case 0x208C: /* ₌ */
    case 0x2212: /* − */
        return true;
    default:
        return false;
    }
}

/* What a reader may drop or look past before it decides a cell is a
 * formula: blanks ("trim spaces"), the quote that opens a field (or two,
 * when its idea of the quoting differs from ours), Unicode spaces, and the
 * invisible format characters (zero-width, bidirectional controls, the BOM
 * a reader strips at the start of a file, the soft hyphen). */
static bool is_skippable(unsigned cp)
{
    return cp == ' ' || cp == '\t' || cp == '"' || cp == 0xA0 || cp == 0xAD || cp == 0x1680 ||
           cp == 0x180E || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
           (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF;
}

/* True when a cell that starts at p would be evaluated: p starts with TAB
 * or CR (OWASP's rule: some readers trim them, then see what follows) or
 * with a formula character after anything a reader may skip. */
static bool needs_guard(const char *p)
{
    const unsigned char *s = (const unsigned char *)p;
    if (*s == '\t' || *s == '\r')
        return true;
    while (*s) {
        unsigned cp;
        int n = util_utf8_decode(s, &cp);
        if (n == 0)
            return false;
        if (is_formula_start(cp))
            return true;
        if (!is_skippable(cp))
            return false;
        s += n;
    }
    return false;
}

/* Where the next cell may start after the byte at p: right after a split
 * character, except between the CR and LF of one line end. */
static bool starts_cell_after(const char *p)
{
    return is_split((unsigned char)p[0]) && !(p[0] == '\r' && p[1] == '\n');
}

/* ---- Quoting ------------------------------------------------------------ */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* RFC 4180 needs quotes around , " CR LF; ; and TAB are quoted too, so
 * Excel splitting on ';' (or a reader on TAB) keeps the value in one cell.
 * '|' is not: a reader that splits on it is rare, and the guard is what
 * keeps its cells text. Leading and trailing blanks are quoted so readers
 * that trim keep them. */
static bool needs_quotes(const char *v)
{
    size_t n = strlen(v);
    if (n == 0)
        return false;
    if (is_blank(v[0]) || is_blank(v[n - 1]))
        return true;
    return strpbrk(v, ",\"\r\n;\t") != NULL;
}

size_t csv_format_row(char *buf, size_t cap, const char *const *values, size_t n)
{
    size_t pos = 0;
#define PUT(ch)                                                                                    \
    do {                                                                                           \
        if (pos + 1 < cap)                                                                         \
            buf[pos] = (ch);                                                                       \
        pos++;                                                                                     \
    } while (0)
    for (size_t i = 0; i < n; i++) {
        const char *v = values && values[i] ? values[i] : "";
        bool quoted = needs_quotes(v);
        if (i > 0)
            PUT(',');
        if (quoted)
            PUT('"');
        if (needs_guard(v))
            PUT('\'');
        for (const char *p = v; *p; p++) {
            if (*p == '"')
                PUT('"');
            PUT(*p);
            if (starts_cell_after(p) && needs_guard(p + 1))
                PUT('\'');
        }
        if (quoted)
            PUT('"');
    }
    PUT('\r');
    PUT('\n');
#undef PUT
    if (buf && cap > 0)
        buf[pos < cap ? pos : cap - 1] = '\0';
    return pos;
}

size_t csv_scan_rows(const char *buf, size_t len, size_t *rows)
{
    size_t done = 0, n = 0;
    int quoted = 0;
    if (!buf)
        len = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '"') {
            quoted = !quoted;
        } else if (buf[i] == '\n' && !quoted) {
            done = i + 1;
            n++;
        }
    }
    if (rows)
        *rows = n;
    return done;
}

size_t csv_scan_complete(const char *buf, size_t len)
{
    return csv_scan_rows(buf, len, NULL);
}

int csv_parse_row(const char *buf, size_t len, size_t *consumed, char **fields, int maxfields)
{
    size_t i = 0;
    int nf = 0;
    if (!buf || !fields || maxfields <= 0)
        return -1;
    for (;;) {
        char *f;
        if (nf == maxfields)
            goto fail;
        if (i < len && buf[i] == '"') {
            size_t start = ++i, flen = 0;
            for (;;) {
                if (i >= len)
                    goto fail; /* quote never closed */
                if (buf[i] == '"') {
                    if (i + 1 < len && buf[i + 1] == '"') {
                        i += 2;
                        flen++;
                        continue;
                    }
                    break;
                }
                i++;
                flen++;
            }
            f = malloc(flen + 1);
            if (!f)
                goto fail;
            for (size_t j = start, k = 0; k < flen; k++) {
                f[k] = buf[j];
                j += buf[j] == '"' ? 2 : 1;
            }
            f[flen] = '\0';
            i++; /* the closing quote */
        } else {
            size_t start = i;
            while (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r') {
                if (buf[i] == '"')
                    goto fail; /* RFC 4180: quotes only in quoted fields */
                i++;
            }
            f = malloc(i - start + 1);
            if (!f)
                goto fail;
            memcpy(f, buf + start, i - start);
            f[i - start] = '\0';
        }
        fields[nf++] = f;
        if (i >= len)
            goto fail; /* no line end: not a complete row */
        if (buf[i] == ',') {
            i++;
            continue;
        }
        if (buf[i] == '\n') {
            i++;
            break;
        }
        if (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n') {
            i += 2;
            break;
        }
        goto fail; /* text after a closing quote, or a bare CR */
    }
    if (consumed)
        *consumed = i;
    return nf;
fail:
    while (nf > 0) {
        nf--;
        free(fields[nf]);
        fields[nf] = NULL;
    }
    return -1;
}
