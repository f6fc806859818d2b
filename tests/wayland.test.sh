#!/usr/bin/env bash
# The kiosk under a wlroots compositor, as on Raspberry Pi OS's desktop
# (labwc is wlroots too): sway runs headless (no screen, no GPU: pixman
# renders), its one output set to 1024x600, and the kiosk is started in it
# as a person's autostart would, with no --size and no --windowed. Three
# runs, each in a fresh sway:
#   wayland           SDL's native Wayland driver, the default renderer
#   wayland-software  the same with --renderer software (the settings file
#                     promises "software never needs the GPU")
#   x11               SDL's X11 driver through Xwayland
#   default           no SDL_VIDEODRIVER, both WAYLAND_DISPLAY and DISPLAY
#                     set, as in a Pi desktop session: SDL chooses (SDL
#                     2.26 in Debian 12 takes X11, through Xwayland)
# In each: the kiosk's window is fullscreen on the output (sway's tree says
# so, and a screenshot taken with grim is the slide as `kiosk --screenshot
# --size 1024x600` draws it, edge to edge, with none of the desktop
# showing), and a tap on Next (sway's seat cursor, moved and pressed with
# swaymsg) brings up the second slide, again matching its screenshot.
# 1024x600 rather than the kiosk's 1280x800: a kiosk that ignored the
# output's size and opened its default window would still pass at 1280x800.
#
# sway refuses to run as root. Run as root (CTest under scripts/test), the
# test runs sway, the kiosk and the tools as KIOSK_TEST_USER (default
# nobody, which every Debian has: nothing is created), with a runtime folder
# of its own; the build tree and the source tree must be readable by that
# user. Run as anyone else, it runs them as that user.
#
# Usage: bash tests/wayland.test.sh KIOSK-BINARY SOURCE-DIR
# Needs sway, grim, swaymsg, Xwayland, python3 and ImageMagick
# (scripts/deps --test installs them); when one is missing it says SKIP and
# exits 77, which CTest reports as skipped. Screenshots and logs are kept
# when a check fails (the folder is printed). tests/wl_pointer.py gives the
# headless sway a pointer: without an input device its seat offers clients
# none, and swaymsg's clicks would reach nobody.
set -u

KIOSK=${1:?usage: wayland.test.sh KIOSK-BINARY SOURCE-DIR}
SRC=${2:?usage: wayland.test.sh KIOSK-BINARY SOURCE-DIR}
W=1024
H=600
TITLE="Microneedling for acne scars" # the bundled deck's title: its window's

for tool in sway swaymsg grim Xwayland python3 compare convert setpriv; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed (scripts/deps --test installs it)"
        exit 77
    fi
done

# Absolute: sway and the kiosk run elsewhere, maybe as another user.
KIOSK=$(realpath "$KIOSK")
SRC=$(realpath "$SRC")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-wayland.XXXXXX")
chmod 755 "$TMP"
passed=0
failed=0
pids=()

pass() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# Stops what the test started, the last started first (the kiosk before
# its compositor).
stop_all() {
    local i pid
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        pid=${pids[i]}
        # $! of "as ... &" is the subshell running as(); the program is
        # its child, which a TERM to the subshell alone would orphan.
        pkill -TERM -P "$pid" 2>/dev/null
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 30); do
            kill -0 "$pid" 2>/dev/null || pgrep -P "$pid" >/dev/null || break
            sleep 0.1
        done
        pkill -KILL -P "$pid" 2>/dev/null
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    pids=()
}

cleanup() {
    stop_all
    if [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; then
        rm -rf "$TMP"
    else
        echo "screenshots and logs kept in $TMP"
    fi
}
trap cleanup EXIT

# ---- who runs sway ---------------------------------------------------------

as_user=()
if [ "$(id -u)" -eq 0 ]; then
    user=${KIOSK_TEST_USER:-nobody}
    if ! id "$user" >/dev/null 2>&1; then
        echo "FAIL: no user $user to run sway as (set KIOSK_TEST_USER)"
        exit 1
    fi
    # setpriv execs (runuser would fork): $! is the program itself.
    as_user=(setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --init-groups --)
    if ! "${as_user[@]}" test -x "$KIOSK" || ! "${as_user[@]}" test -r "$SRC/slides/microneedling.yaml" ||
        ! "${as_user[@]}" test -r "$SRC/tests/wl_pointer.py"; then
        echo "FAIL: $user cannot read $KIOSK or $SRC (sway will not run as root;"
        echo "      make the trees readable, or set KIOSK_TEST_USER)"
        exit 1
    fi
    chown "$user" "$TMP"
fi

# run [VAR=VALUE...] COMMAND...: as the test user, in a clean environment:
# nothing from CTest's (SDL_VIDEODRIVER=offscreen, SDL_FRAMEBUFFER_ACCELERATION)
# or the caller's session (WAYLAND_DISPLAY, DISPLAY) leaks in. Sanitizer
# options do, for a sanitizer build.
run() {
    local keep=() v
    for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
        [ -n "${!v:-}" ] && keep+=("$v=${!v}")
    done
    env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$TMP/home" LANG=C.UTF-8 \
        XDG_RUNTIME_DIR="$TMP/rt" ${keep[@]+"${keep[@]}"} "$@"
}
as() {
    local vars=()
    while [ $# -gt 0 ] && [[ $1 == *=* ]]; do
        vars+=("$1")
        shift
    done
    run ${vars[@]+"${vars[@]}"} ${as_user[@]+"${as_user[@]}"} "$@"
}

# ---- the deck and what it should look like -----------------------------------

# The bundled deck with every slide standing for two minutes, so the first
# slide is still up when it is checked, however slow the machine.
awk '/^slides:/ { s = 1 } { print } s && /^  - / { print "    duration: 120" }' \
    "$SRC/slides/microneedling.yaml" >"$TMP/deck.yaml"
printf 'rotation: 0\nstats: %s\n' "$TMP/out/stats.csv" >"$TMP/kiosk.yaml"
chmod 644 "$TMP/deck.yaml" "$TMP/kiosk.yaml"
if ! KIOSK_DATA_DIR="$SRC" "$KIOSK" --config "$TMP/kiosk.yaml" --screenshot "$TMP/ref" \
    --size ${W}x${H} "$TMP/deck.yaml" >"$TMP/ref.log" 2>&1; then
    echo "FAIL: kiosk --screenshot failed:"
    cat "$TMP/ref.log"
    exit 1
fi
REF1=$(ls "$TMP"/ref/01-*.png)
REF2=$(ls "$TMP"/ref/02-*.png)
# Next, in the bottom bar's right end (kiosk/core/layout.c layout_chrome),
# as a fraction of the screen: 908,559 at 1024x600.
NEXT_X=$((W * 887 / 1000))
NEXT_Y=$((H * 932 / 1000))

# differ A B: how many pixels differ by more than 5 % (renderers round
# differently; a slide laid out for another size differs almost everywhere).
differ() { compare -metric AE -fuzz 5% "$1" "$2" null: 2>&1 | awk '{ printf "%d", $1 }'; }
# Allowed: 0.5 % of the screen.
SAME=$((W * H / 200))

# ---- one run -----------------------------------------------------------------

# sway's tree, for the kiosk's window: "SHELL FULLSCREEN WIDTHxHEIGHT".
window() {
    as SWAYSOCK="$SWAYSOCK" swaymsg -r -t get_tree 2>/dev/null | python3 -c '
import json, sys
def walk(n):
    if n.get("name") == sys.argv[1] and n.get("type") in ("con", "floating_con"):
        r = n["rect"]
        print(n.get("shell"), n.get("fullscreen_mode"), "%dx%d" % (r["width"], r["height"]))
        sys.exit(0)
    for c in n.get("nodes", []) + n.get("floating_nodes", []):
        walk(c)
walk(json.load(sys.stdin))' "$TITLE"
}

# wait_shot NAME REF SECONDS: screenshots until one matches REF.
wait_shot() {
    local n
    for _ in $(seq $(($3 * 4))); do
        as WAYLAND_DISPLAY="$WAYLAND" grim "$OUT/$1.png" 2>>"$OUT/grim.log"
        n=$(differ "$OUT/$1.png" "$2")
        [ "${n:-999999999}" -le "$SAME" ] && return 0
        kill -0 "$kiosk_pid" 2>/dev/null || return 1
        sleep 0.25
    done
    echo "   ($1.png differs from $(basename "$2") in ${n:-?} pixels; $SAME allowed)"
    return 1
}

# one NAME SDL-DRIVER [KIOSK OPTIONS...]
one() {
    local name=$1 driver=$2 xwayland=disable shell=xdg_shell failed_before=$failed
    shift 2
    case $driver in
    x11)
        xwayland=enable
        shell=xwayland
        ;;
    default)
        xwayland=enable
        shell="xdg_shell|xwayland"
        ;;
    esac
    OUT=$TMP/$name
    mkdir -p "$OUT" "$TMP/home" "$TMP/out"
    rm -rf "$TMP/rt"
    mkdir -m 700 "$TMP/rt"
    [ ${#as_user[@]} -gt 0 ] && chown "$user" "$OUT" "$TMP/home" "$TMP/out" "$TMP/rt"
    # sway tells a program it starts where its sockets are; so it is told.
    cat >"$TMP/started.sh" <<'EOF'
#!/bin/sh
printf '%s\n%s\n%s\n' "$WAYLAND_DISPLAY" "${DISPLAY:-}" "$SWAYSOCK" >"$XDG_RUNTIME_DIR/env.tmp"
mv "$XDG_RUNTIME_DIR/env.tmp" "$XDG_RUNTIME_DIR/env"
EOF
    chmod 755 "$TMP/started.sh"
    cat >"$TMP/sway.conf" <<EOF
output HEADLESS-1 mode ${W}x${H}
xwayland $xwayland
default_border none
exec $TMP/started.sh
EOF
    chmod 644 "$TMP/sway.conf"
    if [ "$driver" = default ]; then
        echo "--- $name: SDL_VIDEODRIVER unset $*"
    else
        echo "--- $name: SDL_VIDEODRIVER=$driver $*"
    fi

    as WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
        sway -c "$TMP/sway.conf" >"$OUT/sway.log" 2>&1 &
    pids+=($!)
    local sway_pid=$!
    for _ in $(seq 100); do
        [ -s "$TMP/rt/env" ] && break
        kill -0 "$sway_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ ! -s "$TMP/rt/env" ]; then
        fail "$name: sway did not start"
        tail -n 20 "$OUT/sway.log"
        stop_all
        return
    fi
    { read -r WAYLAND; read -r XDISPLAY; read -r SWAYSOCK; } <"$TMP/rt/env"

    as WAYLAND_DISPLAY="$WAYLAND" python3 "$SRC/tests/wl_pointer.py" >"$OUT/pointer.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 50); do
        grep -q ready "$OUT/pointer.log" 2>/dev/null && break
        sleep 0.1
    done
    if ! grep -q ready "$OUT/pointer.log"; then
        fail "$name: no pointer for sway's seat:"
        cat "$OUT/pointer.log"
        stop_all
        return
    fi

    local display_vars=(WAYLAND_DISPLAY="$WAYLAND")
    case $driver in
    x11) display_vars=(DISPLAY="$XDISPLAY") ;;
    default) display_vars=(WAYLAND_DISPLAY="$WAYLAND" DISPLAY="$XDISPLAY") ;;
    *) display_vars+=(SDL_VIDEODRIVER="$driver") ;;
    esac
    local supp=$TMP/lsan.supp
    printf 'leak:libdbus-1.so\n' >"$supp"
    chmod 644 "$supp"
    as "${display_vars[@]}" KIOSK_DATA_DIR="$SRC" \
        LSAN_OPTIONS="suppressions=$supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
        "$KIOSK" --config "$TMP/kiosk.yaml" --signups "$TMP/out/signups.csv" \
        --kiosk-id wayland "$@" "$TMP/deck.yaml" >"$OUT/kiosk.log" 2>&1 &
    kiosk_pid=$!
    pids+=($!)

    local win=
    for _ in $(seq 100); do
        win=$(window)
        [ -n "$win" ] && break
        kill -0 "$kiosk_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$win" ]; then
        if kill -0 "$kiosk_pid" 2>/dev/null; then
            fail "$name: no kiosk window in sway's tree within 10 s"
            as SWAYSOCK="$SWAYSOCK" swaymsg -r -t get_tree >"$OUT/tree.json" 2>&1
        else
            wait "$kiosk_pid"
            fail "$name: the kiosk stopped with status $? before its window showed"
        fi
        cat "$OUT/kiosk.log"
        stop_all
        return
    fi
    if [ "$driver" = default ]; then
        pass "$name: SDL chose $(sed -n 's/.*\(video driver [a-z0-9]*\).*/\1/p' "$OUT/kiosk.log")"
    elif grep -q "video driver $driver," "$OUT/kiosk.log"; then
        pass "$name: the kiosk runs on SDL's $driver driver"
    else
        fail "$name: not on SDL's $driver driver: $(grep 'video driver' "$OUT/kiosk.log")"
    fi
    # The tree settles once the kiosk has asked for fullscreen.
    local want="^($shell) 1 ${W}x${H}\$"
    for _ in $(seq 20); do
        [[ $win =~ $want ]] && break
        sleep 0.1
        win=$(window)
    done
    if [[ $win =~ $want ]]; then
        pass "$name: sway shows the window fullscreen, ${W}x${H} (${win%% *})"
    else
        fail "$name: sway shows the window as '$win', not '$shell 1 ${W}x${H}'"
    fi
    if wait_shot 01-first "$REF1" 10; then
        pass "$name: the screen is the first slide laid out for ${W}x${H}, edge to edge"
    else
        fail "$name: the screen is not the first slide at ${W}x${H} (see $OUT/01-first.png)"
    fi

    as SWAYSOCK="$SWAYSOCK" swaymsg -q seat - cursor set "$NEXT_X" "$NEXT_Y" &&
        as SWAYSOCK="$SWAYSOCK" swaymsg -q seat - cursor press button1 &&
        as SWAYSOCK="$SWAYSOCK" swaymsg -q seat - cursor release button1
    if wait_shot 02-next "$REF2" 5; then
        pass "$name: a tap on Next ($NEXT_X,$NEXT_Y) shows the second slide"
    else
        fail "$name: a tap on Next did not show the second slide (see $OUT/02-next.png)"
    fi

    if ! kill -0 "$kiosk_pid" 2>/dev/null; then
        fail "$name: the kiosk stopped on its own"
    fi
    if [ "$failed" -gt "$failed_before" ]; then
        echo "--- $name: kiosk log"
        cat "$OUT/kiosk.log"
    fi
    stop_all
}

one wayland wayland
one wayland-software wayland --renderer software
one x11 x11
one default default

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
