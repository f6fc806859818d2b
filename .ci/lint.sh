#!/usr/bin/env bash
# Static analysis of kiosk/*/*.c: cppcheck, then clang-tidy with the checks in
# .clang-tidy (it reads compile_commands.json from a CMake configure, so it
# sees the same flags and headers as the build). Fails on any finding.
# With KIOSK_LINT_FORMAT=1 it also fails on code clang-format would change
# (.clang-format); off until the tree has been reformatted once.
#
#   bash .ci/lint.sh
#
# Environment:
#   BUILD_DIR          where CMake writes compile_commands.json (default
#                      build-lint; nothing is compiled)
#   KIOSK_LINT_FORMAT  1: check formatting as well
# Installs cppcheck, clang-tidy and clang-format when run as root and
# missing. See docs/testing.md for what to do with a finding.
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-lint}
JOBS=$(nproc 2>/dev/null || echo 2)

say() { printf '== lint: %s\n' "$*"; }
die() { printf 'lint: FAIL: %s\n' "$*" >&2; exit 1; }

missing=()
for tool in cppcheck:cppcheck clang-tidy:clang-tidy clang-format:clang-format clang:clang; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || die "missing: ${missing[*]} (apt-get install ${missing[*]})"
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
scripts/deps # the headers clang-tidy must find: SDL2, libyaml, libcrypt

failed=()
start=$SECONDS

# ---- cppcheck -------------------------------------------------------------
# cppcheck does not read system headers, so the build's own definitions are
# given here: without them it would check configurations that never build
# (pin.c's #error for a libcrypt without auto-entropy, store.c's
# __has_include). --library=posix: it knows what strdup and open return.
say "cppcheck $(cppcheck --version | sed 's/Cppcheck //')"
if ! cppcheck --quiet --std=c11 --enable=warning,performance,portability --library=posix \
    --error-exitcode=1 --inline-suppr --suppressions-list=.cppcheck-suppressions \
    -I kiosk/core -I kiosk/io -I kiosk/shell -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D__linux__ -D__GNUC__ \
    -DCRYPT_GENSALT_IMPLEMENTS_AUTO_ENTROPY=1 -DKIOSK_VERSION='"0"' \
    -DKIOSK_SOURCE_DATA_DIR='"."' -DKIOSK_INSTALL_DATA_DIR='"."' \
    --template='{file}:{line}:{column}: {severity}: {message} [{id}]' kiosk/*/*.c; then
    failed+=(cppcheck)
fi
say "cppcheck done in $((SECONDS - start))s"

# ---- clang-tidy -------------------------------------------------------------
# Configured with clang so compile_commands.json holds flags clang knows.
t0=$SECONDS
say "clang-tidy $(clang-tidy --version | sed -n 's/.*LLVM version //p'), $JOBS jobs"
CC=clang cmake -S . -B "$BUILD_DIR" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null ||
    die "cmake cannot configure $BUILD_DIR"
# One clang-tidy per file, $JOBS at a time, each into its own log so the
# findings of parallel runs do not interleave; then the logs in order.
rm -rf "$BUILD_DIR/tidy"
mkdir -p "$BUILD_DIR/tidy"
# shellcheck disable=SC2016
printf '%s\n' kiosk/*/*.c | xargs -P "$JOBS" -I{} sh -c \
    'clang-tidy -p "$0" --quiet "$1" >"$0/tidy/${1##*/}.log" 2>&1 || touch "$0/tidy/${1##*/}.failed"' \
    "$BUILD_DIR" {}
for log in "$BUILD_DIR"/tidy/*.log; do
    # "N warnings generated." counts the checks that are off: noise.
    grep -v -E '^[0-9]+ warnings?( and [0-9]+ errors?)? generated\.$' "$log" || true
done
if ls "$BUILD_DIR"/tidy/*.failed >/dev/null 2>&1; then
    failed+=(clang-tidy)
fi
say "clang-tidy done in $((SECONDS - t0))s"

# ---- clang-format -----------------------------------------------------------
if [ "${KIOSK_LINT_FORMAT:-0}" = 1 ]; then
    say "clang-format $(clang-format --version | sed -n 's/.*version \([0-9.]*\).*/\1/p')"
    if ! clang-format --dry-run --Werror kiosk/*/*.c kiosk/*/*.h tests/*.c tests/fuzz/*.c; then
        failed+=(clang-format)
        echo "lint: to fix: clang-format -i kiosk/*/*.c kiosk/*/*.h tests/*.c tests/fuzz/*.c" >&2
    fi
else
    say "clang-format skipped (KIOSK_LINT_FORMAT=1 to check)"
fi

if [ ${#failed[@]} -gt 0 ]; then
    die "findings from ${failed[*]} (see above; docs/testing.md says how to fix or suppress)"
fi
say "ok in $((SECONDS - start))s"
