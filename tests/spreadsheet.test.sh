#!/usr/bin/env bash
# The formula guard proved with a real spreadsheet: LibreOffice Calc opens
# the sign-up file as staff would, splitting on ',' and, as Excel does in
# most of continental Europe, on ';' (and on TAB and '|'), with the import
# options an attacker would wish for: formulas evaluated, spaces trimmed,
# special numbers detected, quoted fields not forced to text. No cell may be
# a formula, and with ',' every cell must show exactly what the kiosk wrote
# (the value, with the guard's ').
#
# The files are the corpus of tests/test_csv.c: kiosk.csv is each hostile
# value typed into the bundled deck's form and saved through the kiosk's
# own row builder and store; raw.csv is each value as it is (tabs, line
# breaks, invisible characters), straight through csv_format_row.
#
#   bash tests/spreadsheet.test.sh <path-to-kiosk> <source-dir>
#
# Needs soffice (scripts/deps --test installs libreoffice-calc-nogui);
# without it says SKIP and exits 77, which CTest shows as skipped
# (SKIP_RETURN_CODE in tests/CMakeLists.txt). Files are kept when a check
# fails.
set -uo pipefail

KIOSK=${1:?usage: spreadsheet.test.sh <path-to-kiosk> <source-dir>}
: "${2:?usage: spreadsheet.test.sh <path-to-kiosk> <source-dir>}"
# One conversion takes 2-5 s here; a stuck soffice must not hang CTest.
SOFFICE_TIMEOUT_S=120

if ! command -v soffice >/dev/null 2>&1; then
    echo "SKIP: soffice not installed (scripts/deps --test installs libreoffice-calc-nogui)"
    exit 77
fi
# The corpus writer is the test_csv program next to the kiosk's tests.
TEST_CSV=${KIOSK_TEST_CSV:-$(dirname "$KIOSK")/tests/test_csv}
if [ ! -x "$TEST_CSV" ]; then
    echo "FAIL: $TEST_CSV not built"
    exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-spreadsheet.XXXXXX") || exit 1
passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; [[ -z ${2:-} ]] || printf '%s\n' "$2" | sed 's/^/     /'; }
finish() {
    if [ "$failed" -eq 0 ]; then
        rm -rf "$TMP"
    else
        echo "files kept in $TMP"
    fi
}
trap finish EXIT

# A profile and HOME of its own: works as root, and next to another soffice.
export HOME=$TMP/home
mkdir -p "$HOME"
PROFILE="file://$TMP/profile"

# The CSV import filter's options, in order: separator (ASCII code), text
# delimiter '"' (34), UTF-8 (76), from line 1, no column formats, default
# language, quoted fields as text: false, detect special numbers: true,
# (two export options), trim spaces: true, all sheets, evaluate formulas:
# true. Every choice is the one that makes a formula more likely.
import_filter() {
    printf 'Text - txt - csv (StarCalc):%s,34,76,1,,0,false,true,false,false,true,-1,true' "$1"
}

# convert SEPARATOR FORMAT OUTDIR FILE...: soffice's import with the
# separator, then an export to FORMAT.
convert() {
    local sep=$1 format=$2 outdir=$3
    shift 3
    mkdir -p "$outdir"
    timeout "$SOFFICE_TIMEOUT_S" soffice -env:UserInstallation="$PROFILE" --headless --norestore \
        --infilter="$(import_filter "$sep")" --convert-to "$format" --outdir "$outdir" "$@" \
        >"$outdir/soffice.log" 2>&1
}

if ! "$TEST_CSV" corpus "$TMP"; then
    bad "test_csv writes the corpus"
    exit 1
fi
rows=$(grep -c '' "$TMP/kiosk.csv")
if [ "$rows" -gt 50 ]; then
    ok "corpus written: $rows lines in kiosk.csv"
else
    bad "corpus: only $rows lines"
fi

# Every separator: flat ODS (XML), where a formula cell is the attribute
# table:formula. None may have one.
for sep in 44 59 9 124; do
    name=$(printf '%b' "\\x$(printf '%x' "$sep")")
    [ "$sep" = 9 ] && name=TAB
    out=$TMP/sep-$sep
    t0=$SECONDS
    if ! convert "$sep" fods "$out" "$TMP/kiosk.csv" "$TMP/raw.csv"; then
        bad "soffice imports with separator '$name'" "$(cat "$out/soffice.log")"
        continue
    fi
    for file in kiosk raw; do
        fods=$out/$file.fods
        if [ ! -s "$fods" ]; then
            bad "$file.csv split on '$name': soffice wrote no $file.fods" "$(cat "$out/soffice.log")"
            continue
        fi
        cells=$(grep -o '<table:table-cell[ >]' "$fods" | wc -l)
        formulas=$(grep -o 'table:formula="[^"]*"' "$fods" | sed 's/&quot;/"/g; s/&apos;/'"'"'/g')
        if [ -n "$formulas" ]; then
            bad "$file.csv split on '$name': $(printf '%s\n' "$formulas" | wc -l) formula cell(s)" \
                "$formulas"
        elif [ "$cells" -lt "$rows" ]; then
            bad "$file.csv split on '$name': only $cells cells (did the import work?)"
        else
            ok "$file.csv split on '$name': $cells cells, no formula ($((SECONDS - t0)) s)"
        fi
    done
done

# Split on ',' as written: every cell shows exactly the value the kiosk
# wrote. Exported back to CSV (every text cell quoted) and compared cell by
# cell with the file's own cells.
out=$TMP/shown
t0=$SECONDS
if convert 44 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,true' "$out" "$TMP/kiosk.csv" &&
    [ -s "$out/kiosk.csv" ]; then
    if diff_out=$("$TEST_CSV" same-cells "$TMP/kiosk.csv" "$out/kiosk.csv" 2>&1); then
        ok "kiosk.csv split on ',': every cell shows what the kiosk wrote ($((SECONDS - t0)) s)"
    else
        bad "kiosk.csv split on ',': cells differ from what the kiosk wrote" "$diff_out"
    fi
else
    bad "soffice exports kiosk.csv as shown" "$(cat "$out/soffice.log")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
