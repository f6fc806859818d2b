#!/usr/bin/env bash
# The booking QR code read back as a phone would: zbarimg decodes the
# kiosk's own --screenshot of the invitation slide and the thank-you screens
# at 800x480, 1920x1080 and 1080x1920, and what it reads must be the deck's
# signup.booking_url exactly. Two links (version 4 and version 5 codes), one
# of them under a dark theme (the code stays dark on light); the bundled
# deck, which sets no link, must show no code at all. Run by CTest as
#   bash tests/booking_qr.test.sh <kiosk-binary> <source-dir>
# Exits 77 (skipped) without zbarimg (scripts/deps --test installs it).
set -u

KIOSK=${1:?usage: booking_qr.test.sh KIOSK-BINARY SOURCE-DIR}
SRC=${2:?usage: booking_qr.test.sh KIOSK-BINARY SOURCE-DIR}
export KIOSK_DATA_DIR=${KIOSK_DATA_DIR:-$SRC}
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
command -v zbarimg >/dev/null || { echo "zbarimg missing: skipped"; exit 77; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-qr.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
SCREENS=book-a-free-skin-assessment,thanks,thanks-saved-later
passed=0
failed=0

# deck NAME URL [THEME-SED]: the bundled deck with the link set.
deck() {
    local url=${2//&/\\&} # '&' is "the match" in a sed replacement
    sed -e "s|^signup:|signup:\n  booking_url: \"$url\"|" ${3:+-e "$3"} \
        "$SRC/slides/microneedling.yaml" >"$TMP/$1.yaml"
}

# check_pixels PNG MODULES: the code is drawn crisp. Pure black is used
# only by the code, so its bounding box is the symbol: square, a whole
# number of pixels per module (at least 4), and the symbol with its 4-module
# quiet zone holds exactly two colours, black and white (no theme colour in
# the quiet zone, no blurred edges). Needs ImageMagick's convert.
check_pixels() {
    command -v convert >/dev/null || return 0
    local geo w h x y m
    geo=$(convert "$1" -fill white +opaque black -trim -format '%w %h %X %Y' info:)
    read -r w h x y <<<"$geo"
    m=$((w / $2))
    if [ "$w" -ne "$h" ] || [ $((w % $2)) -ne 0 ] || [ "$m" -lt 4 ]; then
        failed=$((failed + 1))
        echo "FAIL $(basename "$1"): symbol ${w}x${h}, not a whole number (>= 4) of px for $2 modules"
        return
    fi
    local q=$((4 * m)) colours
    colours=$(convert "$1" -crop "$((w + 2 * q))x$((h + 2 * q))+$((x - q))+$((y - q))" +repage \
        -unique-colors -format '%w' info:)
    if [ "$colours" -ne 2 ]; then
        failed=$((failed + 1))
        echo "FAIL $(basename "$1"): $colours colours in the code and its quiet zone, expected 2"
        return
    fi
    passed=$((passed + 1))
    echo "ok   $(basename "$1"): $m px a module, quiet zone white"
}

# expect_codes DECK SIZE WANT [MODULES]: every screen's code reads back as WANT
# ("" = no code may be found).
expect_codes() {
    local out="$TMP/shots-$1-$2" n=0
    if ! timeout 120 "$KIOSK" --screenshot "$out" --size "$2" --screens "$SCREENS" \
        "$TMP/$1.yaml" >/dev/null 2>"$TMP/err"; then
        failed=$((failed + 1))
        echo "FAIL $1 $2: --screenshot failed"
        cat "$TMP/err"
        return
    fi
    for png in "$out"/*.png; do
        n=$((n + 1))
        [ -n "$3" ] && check_pixels "$png" "$4"
        got=$(zbarimg --raw -q "$png" 2>/dev/null)
        if [ "$got" = "$3" ]; then
            passed=$((passed + 1))
            echo "ok   $1 $2 $(basename "$png"): '${got}'"
        else
            failed=$((failed + 1))
            echo "FAIL $1 $2 $(basename "$png"): read '$got', expected '$3'"
        fi
    done
    if [ "$n" -ne 3 ]; then
        failed=$((failed + 1))
        echo "FAIL $1 $2: $n screenshots, expected 3"
    fi
}

URL1='https://clinic.example/book/microneedling?from=kiosk'
URL2='https://www.example-clinic.co.uk/en/book/microneedling?utm_source=kiosk&a=B'
deck plain "$URL1"
# A dark theme: the code must still be black on white.
deck dark "$URL2" 's|^  background: .*|  background: "#101418"|; s|^  text: .*|  text: "#F2F2F2"|; s|^  muted: .*|  muted: "#B8B8B8"|; s|^  surface: .*|  surface: "#20262C"|'
cp "$SRC/slides/microneedling.yaml" "$TMP/none.yaml"

for size in 800x480 1920x1080 1080x1920; do
    expect_codes plain "$size" "$URL1" 33
    expect_codes dark "$size" "$URL2" 37
done
expect_codes none 800x480 ""

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
