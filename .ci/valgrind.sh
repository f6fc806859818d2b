#!/usr/bin/env bash
# Memory check of the real binaries under Valgrind: a kiosk runs for months,
# so a leak per reload or per sign-up adds up, and an invalid read that
# ASan-instrumented code hides by its different layout still shows here.
# Builds without sanitizers (RelWithDebInfo, its own build directory) and
# runs, each under `valgrind --leak-check=full`:
#   1. kiosk --screenshot DIR on the bundled deck (every slide and screen,
#      SDL's offscreen driver and software renderer: no display needed);
#   2. tests/test_shell_signup, the end-to-end sign-up through the shell;
#   3. kiosk --check on a broken deck (error exits free what they took);
#   4. tests/test_shell_ops: live reloads (good, bad, half-written decks),
#      the staff screen and export: what a kiosk does over months, where
#      a leak per reload would add up.
# Fails on any Valgrind error: invalid reads or writes, uninitialised
# values that change what the program does, and "definitely lost" blocks.
# Leaks inside system libraries (fontconfig, Mesa...) are suppressed in
# tests/valgrind.supp, each with the reason; kiosk code is never suppressed.
#
#   bash .ci/valgrind.sh
#
# Environment:
#   BUILD_DIR   build directory (default build-valgrind)
#   VALGRIND_LOGS  where the logs go (default $BUILD_DIR/valgrind)
# Installs valgrind (and the build packages) when run as root and missing.
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$PWD
BUILD_DIR=${BUILD_DIR:-build-valgrind}
LOGS=${VALGRIND_LOGS:-$BUILD_DIR/valgrind}
JOBS=$(nproc 2>/dev/null || echo 2)

say() { printf '== valgrind: %s\n' "$*"; }
die() { printf 'valgrind: FAIL: %s\n' "$*" >&2; exit 1; }

if ! command -v valgrind >/dev/null; then
    [ "$(id -u)" -eq 0 ] || die "valgrind is missing (apt-get install valgrind)"
    say "installing valgrind"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends valgrind >/dev/null
fi
scripts/deps

say "building in $BUILD_DIR"
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKIOSK_SANITIZE=OFF \
    -DBUILD_TESTING=ON >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target kiosk test_shell_signup \
    test_shell_ops >/dev/null ||
    die "the build failed (run: cmake --build $BUILD_DIR)"

rm -rf "$LOGS"
mkdir -p "$LOGS"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-valgrind.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# The test environment of tests/CMakeLists.txt, and a home of our own so no
# sign-up, stats or settings file of this machine is read or written.
export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
export KIOSK_DATA_DIR=$SRC HOME=$TMP/home XDG_DATA_HOME=$TMP/home/.local/share
mkdir -p "$HOME"
printf 'rotation: 0\n' >"$TMP/kiosk.yaml"

# --errors-for-leak-kinds=definite: "possibly lost" and "still reachable"
# come from libraries that keep caches for the life of the process (SDL,
# fontconfig, Mesa); "definitely lost" memory has no pointer left to it and
# is a real leak wherever it is.
VG=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --track-origins=yes --num-callers=30
    --suppressions="$SRC/tests/valgrind.supp" --gen-suppressions=all)

failed=()
# check NAME EXPECTED-STATUS COMMAND...: runs COMMAND under Valgrind.
check() {
    local name=$1 want=$2 rc=0 start=$SECONDS
    shift 2
    say "$name: $*"
    "${VG[@]}" --log-file="$LOGS/$name.log" "$@" >"$LOGS/$name.out" 2>&1 || rc=$?
    local errors
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$LOGS/$name.log" | tail -n 1)
    local lost
    lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$LOGS/$name.log" | tail -n 1)
    printf '   %ss, exit %d, %s errors, definitely lost: %s bytes\n' "$((SECONDS - start))" \
        "$rc" "${errors:-?}" "${lost:-0}"
    if [ "$rc" -eq 99 ] || [ "${errors:-1}" != 0 ]; then
        failed+=("$name")
        printf '\nvalgrind: %s: Valgrind found errors. Its report (%s):\n' "$name" \
            "$LOGS/$name.log" >&2
        # Everything but the banner and the summary of suppressed noise.
        grep -v -E '^==[0-9]+== (Memcheck|Copyright|Using Valgrind|Command|Parent PID|$)' \
            "$LOGS/$name.log" | head -n 150 >&2
    elif [ "$rc" -ne "$want" ]; then
        failed+=("$name")
        printf '\nvalgrind: %s: exit status %d, expected %d. Its output:\n' "$name" "$rc" \
            "$want" >&2
        tail -n 40 "$LOGS/$name.out" >&2
    fi
}

check screenshot 0 "$BUILD_DIR/kiosk" --config "$TMP/kiosk.yaml" --size 800x480 \
    --screenshot "$TMP/shots" "$SRC/slides/microneedling.yaml"
shots=$(find "$TMP/shots" -name '*.png' 2>/dev/null | wc -l)
[ "$shots" -gt 0 ] || failed+=("screenshot (no PNG written)")
check signup 0 "$BUILD_DIR/tests/test_shell_signup"
check broken-deck 1 "$BUILD_DIR/kiosk" --config "$TMP/kiosk.yaml" --check \
    "$SRC/tests/decks/broken.yaml"
check reload-staff 0 "$BUILD_DIR/tests/test_shell_ops"

if [ ${#failed[@]} -gt 0 ]; then
    die "${failed[*]} (logs in $LOGS)"
fi
say "ok: no invalid access, no definitely lost memory ($shots screenshots)"
