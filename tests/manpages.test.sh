#!/usr/bin/env bash
# The manual pages (man/) against what they describe, so they cannot drift:
# every option `kiosk --help` lists is described in kiosk(1) and listed in
# README.md's "The command"; every key of the settings template
# packaging/kiosk.yaml is described in kiosk.yaml(5); and groff formats each
# page without a warning (what lintian's groff-message would report).
#
#   bash tests/manpages.test.sh <path-to-kiosk> <source-dir>
set -uo pipefail

KIOSK=${1:?usage: manpages.test.sh <path-to-kiosk> <source-dir>}
SRC=${2:?usage: manpages.test.sh <path-to-kiosk> <source-dir>}
MAN=$SRC/man

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; }

help=$("$KIOSK" --help) || { echo "FAIL kiosk --help exited $?"; exit 1; }
mapfile -t options < <(grep -oE -- '(^|[ ,])--[a-z][a-z-]*' <<<"$help" | sed 's/^[ ,]*//' | sort -u)
((${#options[@]} >= 10)) && ok "kiosk --help lists ${#options[@]} options" ||
    bad "kiosk --help lists only ${#options[@]} options; is the help text parsed right?"

# README.md's command section: from "## The command" to the next heading.
readme=$(sed -n '/^## The command$/,/^## [^T]/p' "$SRC/README.md")
for opt in "${options[@]}"; do
    # troff writes a minus sign as \-: --set-pin is \-\-set\-pin.
    troff=${opt//-/\\-}
    if grep -qE -- "^\.(B|BI|BR|IR|I) ${troff//\\/\\\\}( |$)" "$MAN/kiosk.1"; then
        ok "kiosk.1 describes $opt"
    else
        bad "kiosk.1 has no .B/.BI line for $opt (kiosk --help lists it)"
    fi
    if grep -qE -- "(^|[ ,])$opt([ ,]|$)" <<<"$readme"; then
        ok "README.md's command section lists $opt"
    else
        bad "README.md's command section does not list $opt (kiosk --help does)"
    fi
done

# Top-level keys of the settings template, set or commented out ("# key:").
mapfile -t keys < <(sed -nE 's/^(# )?([a-z_]+):( |$).*/\2/p' "$SRC/packaging/kiosk.yaml" | sort -u)
((${#keys[@]} >= 10)) && ok "packaging/kiosk.yaml has ${#keys[@]} keys" ||
    bad "packaging/kiosk.yaml has only ${#keys[@]} keys; is it parsed right?"
for key in "${keys[@]}"; do
    if grep -qxF ".B $key" "$MAN/kiosk.yaml.5"; then
        ok "kiosk.yaml.5 describes $key"
    else
        bad "kiosk.yaml.5 has no '.B $key' entry (packaging/kiosk.yaml has the key)"
    fi
done

if command -v groff >/dev/null; then
    for page in "$MAN"/kiosk.1 "$MAN"/kiosk-session.1 "$MAN"/kiosk.yaml.5; do
        out=$(LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$page" 2>&1)
        if [[ -z $out ]]; then ok "groff formats $(basename "$page") without warnings"; else
            bad "groff warns on $(basename "$page"): $out"
        fi
    done
else
    echo "SKIP: groff is not installed; the pages were not formatted"
fi

echo "manpages: $passed passed, $failed failed"
((failed == 0))
