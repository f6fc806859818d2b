#!/usr/bin/env bash
# Fullscreen on an X server with no window manager, as with `xinit kiosk`
# or a bare X session: nobody answers SDL's fullscreen request there, so the
# kiosk's own window must already cover the screen. On Xvfb screens of
# 1920x1080 and 800x480 (the official 7" panel), each with no window
# manager, the kiosk is started as a person would (no --windowed, no
# --size) and:
#   - its window (xwininfo) is at 0,0 with exactly the screen's size;
#   - the screen (import -window root) is the first slide as
#     `kiosk --screenshot --size WxH` draws it for that screen: laid out for
#     the whole screen, not cut off, nothing else showing;
#   - standing on that slide it uses no CPU: user+system ticks of the whole
#     process over 20 s (/proc/PID/stat), at most 2 (the README's target is
#     0; 2 forgives a stray wake-up).
# The deck is the bundled one with every slide standing for two minutes, so
# nothing moves while the CPU is measured.
#
# Usage: bash tests/xbare.test.sh KIOSK-BINARY SOURCE-DIR
# Needs Xvfb, xwininfo, xdotool and ImageMagick (scripts/deps --test
# installs them); when one is missing it says SKIP and exits 77, which CTest
# reports as skipped. Screenshots and logs are kept when a check fails.
set -u

KIOSK=${1:?usage: xbare.test.sh KIOSK-BINARY SOURCE-DIR}
SRC=${2:?usage: xbare.test.sh KIOSK-BINARY SOURCE-DIR}
TITLE="Microneedling for acne scars" # the bundled deck's title: its window's
REST_SECONDS=20
REST_MAX_TICKS=2

for tool in Xvfb xwininfo xdotool import compare; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed (scripts/deps --test installs it)"
        exit 77
    fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-xbare.XXXXXX")
passed=0
failed=0
xvfb_pid=
kiosk_pid=

pass() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

stop() { # PID: TERM, then KILL after 3 s
    [ -n "$1" ] || return 0
    kill -TERM "$1" 2>/dev/null
    for _ in $(seq 30); do
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$1" 2>/dev/null
    wait "$1" 2>/dev/null
}

cleanup() {
    stop "$kiosk_pid"
    stop "$xvfb_pid"
    if [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; then
        rm -rf "$TMP"
    else
        echo "screenshots and logs kept in $TMP"
    fi
}
trap cleanup EXIT

awk '/^slides:/ { s = 1 } { print } s && /^  - / { print "    duration: 120" }' \
    "$SRC/slides/microneedling.yaml" >"$TMP/deck.yaml"
printf 'rotation: 0\nstats: %s\n' "$TMP/stats.csv" >"$TMP/kiosk.yaml"
printf 'leak:libdbus-1.so\n' >"$TMP/lsan.supp"

# differ A B: pixels that differ by more than 5 % (renderers round
# differently; a slide laid out for another size differs almost everywhere).
differ() { compare -metric AE -fuzz 5% "$1" "$2" null: 2>&1 | awk '{ printf "%d", $1 }'; }

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }

# one W H
one() {
    local w=$1 h=$2 name=$1x$2 failed_before=$failed
    local out=$TMP/$name
    mkdir -p "$out"
    echo "--- ${w}x${h}, no window manager"

    if ! KIOSK_DATA_DIR="$SRC" "$KIOSK" --config "$TMP/kiosk.yaml" --screenshot "$out/ref" \
        --size "${w}x${h}" "$TMP/deck.yaml" >"$out/ref.log" 2>&1; then
        fail "$name: kiosk --screenshot failed"
        cat "$out/ref.log"
        return
    fi
    local ref
    ref=$(ls "$out"/ref/01-*.png)

    Xvfb -displayfd 3 -screen 0 "${w}x${h}x24" -nolisten tcp 3>"$out/display" \
        >"$out/xvfb.log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 100); do
        [ -s "$out/display" ] && break
        kill -0 "$xvfb_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ ! -s "$out/display" ]; then
        fail "$name: Xvfb did not start"
        cat "$out/xvfb.log"
        stop "$xvfb_pid"
        xvfb_pid=
        return
    fi
    local display
    display=":$(head -n 1 "$out/display")"

    (
        unset SDL_VIDEODRIVER SDL_RENDER_DRIVER SDL_FRAMEBUFFER_ACCELERATION
        export DISPLAY=$display SDL_VIDEODRIVER=x11 KIOSK_DATA_DIR="$SRC"
        export LSAN_OPTIONS="suppressions=$TMP/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
        exec "$KIOSK" --config "$TMP/kiosk.yaml" --signups "$out/signups.csv" \
            --kiosk-id xbare "$TMP/deck.yaml"
    ) >"$out/kiosk.log" 2>&1 &
    kiosk_pid=$!

    local win
    win=$(DISPLAY=$display timeout 20 xdotool search --sync --onlyvisible --name "$TITLE" |
        head -n 1)
    if [ -z "$win" ]; then
        fail "$name: no kiosk window within 20 s"
        cat "$out/kiosk.log"
        stop "$kiosk_pid"
        stop "$xvfb_pid"
        kiosk_pid=
        xvfb_pid=
        return
    fi

    # Screenshots until the slide is there (or 10 s).
    local n=
    for _ in $(seq 40); do
        DISPLAY=$display import -window root "$out/01-screen.png" 2>>"$out/import.log"
        n=$(differ "$out/01-screen.png" "$ref")
        [ "${n:-999999999}" -le $((w * h / 200)) ] && break
        sleep 0.25
    done

    # Where the window is once the kiosk has settled. Looked up again: SDL
    # may replace its first window (with one that can do OpenGL) after the
    # search above found it.
    local geometry x y ww wh
    win=$(DISPLAY=$display xdotool search --onlyvisible --name "$TITLE" | tail -n 1)
    geometry=$(DISPLAY=$display xwininfo -id "${win:-0}" 2>&1)
    x=$(echo "$geometry" | awk '/Absolute upper-left X:/ { print $4 }')
    y=$(echo "$geometry" | awk '/Absolute upper-left Y:/ { print $4 }')
    ww=$(echo "$geometry" | awk '/^ *Width:/ { print $2 }')
    wh=$(echo "$geometry" | awk '/^ *Height:/ { print $2 }')
    if [ "$x,$y ${ww}x$wh" = "0,0 ${w}x${h}" ]; then
        pass "$name: the window covers the screen exactly: 0,0 ${w}x${h}"
    else
        fail "$name: the window is ${ww}x$wh at $x,$y, not ${w}x${h} at 0,0"
    fi
    if [ "${n:-999999999}" -le $((w * h / 200)) ]; then
        pass "$name: the screen is the first slide laid out for ${w}x${h} ($n pixels differ)"
    else
        fail "$name: the screen is not the first slide laid out for ${w}x${h}:" \
            "${n:-?} pixels differ from kiosk --screenshot (see $out/01-screen.png)"
    fi

    # CPU at rest, once the first frame is long drawn.
    sleep 2
    local t0 t1
    t0=$(ticks "$kiosk_pid")
    sleep "$REST_SECONDS"
    t1=$(ticks "$kiosk_pid")
    if [ -z "$t0" ] || [ -z "$t1" ]; then
        fail "$name: the kiosk stopped"
    elif [ $((t1 - t0)) -le "$REST_MAX_TICKS" ]; then
        pass "$name: at rest on one slide: $((t1 - t0)) CPU ticks in ${REST_SECONDS} s"
    else
        fail "$name: at rest on one slide: $((t1 - t0)) CPU ticks in ${REST_SECONDS} s" \
            "(at most $REST_MAX_TICKS)"
    fi

    if [ "$failed" -gt "$failed_before" ]; then
        echo "--- $name: kiosk log"
        cat "$out/kiosk.log"
    fi
    stop "$kiosk_pid"
    stop "$xvfb_pid"
    kiosk_pid=
    xvfb_pid=
}

one 1920 1080
one 800 480

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
