#!/usr/bin/env bash
# Cross-build kiosk for arm64 (64-bit Raspberry Pi OS bookworm) on a Debian 12
# amd64 host, run the display-free tests under qemu-user, and build
# build-arm64/kiosk_<version>_arm64.deb with dpkg-buildpackage -aarm64
# (through .ci/package.sh, which also checks it and runs lintian on it).
#
#   bash .ci/cross-arm64.sh [extra cmake -D options...]
#
# Installs what it needs when run as root (CI, a developer's machine); as
# another user it only says what to install. Environment:
#   BUILD_DIR              build directory (default build-arm64)
#   KIOSK_CROSS_EXCLUDE    extra ctest -E regex, or'ed with the display tests
#   KIOSK_CROSS_SKIP_APT=1 do not touch apt even as root
#
# The whole SDL2 -dev set co-installs for amd64 and arm64 on Debian 12, so the
# arm64 kiosk binary is built and linked too, not only the core; apt upgrades
# a few amd64 libraries on the way because Multi-Arch: same packages must have
# the same version on both architectures.
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$PWD
BUILD_DIR=${BUILD_DIR:-build-arm64}
TRIPLET=aarch64-linux-gnu
JOBS=$(nproc 2>/dev/null || echo 2)
START=$SECONDS

say() { printf '== cross-arm64: %s\n' "$*"; }
die() { printf 'cross-arm64: FAIL: %s\n' "$*" >&2; exit 1; }
phase_time() { say "$1 took $((SECONDS - $2)) s"; }

# debian/control's Build-Depends, the libraries for arm64.
HOST_PKGS=(crossbuild-essential-arm64 qemu-user cmake file dpkg-dev debhelper lintian)
TARGET_PKGS=(libsdl2-dev:arm64 libsdl2-ttf-dev:arm64 libsdl2-image-dev:arm64 libturbojpeg0-dev:arm64 libyaml-dev:arm64 libcrypt-dev:arm64 libsystemd-dev:arm64
    libcurl4-openssl-dev:arm64 libqrencode-dev:arm64 pkgconf:arm64)

missing_pkgs() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
            printf '%s\n' "$p"
    done
}

# --- 1. packages -------------------------------------------------------------
t=$SECONDS
mapfile -t MISSING < <(missing_pkgs "${HOST_PKGS[@]}" "${TARGET_PKGS[@]}")
if ((${#MISSING[@]})); then
    if [[ ${KIOSK_CROSS_SKIP_APT:-0} == 1 || $(id -u) != 0 ]]; then
        die "missing packages: ${MISSING[*]}
  as root: dpkg --add-architecture arm64 && apt-get update &&
           apt-get install --no-install-recommends ${HOST_PKGS[*]} ${TARGET_PKGS[*]}"
    fi
    say "installing: ${MISSING[*]}"
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        dpkg --add-architecture arm64
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${HOST_PKGS[@]}" "${TARGET_PKGS[@]}" >/dev/null
fi
phase_time "packages" "$t"

# --- 2. toolchain and emulator sanity: a hello world under qemu ----------------
t=$SECONDS
command -v ${TRIPLET}-gcc >/dev/null || die "${TRIPLET}-gcc not found"
command -v qemu-aarch64 >/dev/null || die "qemu-aarch64 not found (package qemu-user)"
# Same choice of -L as the toolchain file makes (see cmake/aarch64-linux-gnu.cmake).
if [[ -e /lib/ld-linux-aarch64.so.1 ]]; then QEMU_L=/; else QEMU_L=/usr/$TRIPLET; fi
HELLO_DIR=$(mktemp -d)
trap 'rm -rf "$HELLO_DIR"' EXIT
cat >"$HELLO_DIR/hello.c" <<'EOF'
#include <stdio.h>
#include <yaml.h>
int main(void)
{
    int maj, min, pat;
    yaml_get_version(&maj, &min, &pat);
    printf("hello from %s, libyaml %d.%d.%d\n",
#if defined(__aarch64__)
           "aarch64",
#else
           "not-aarch64",
#endif
           maj, min, pat);
    return 0;
}
EOF
read -ra yaml_flags < <(PKG_CONFIG_LIBDIR=/usr/lib/$TRIPLET/pkgconfig:/usr/share/pkgconfig \
    pkg-config --cflags --libs yaml-0.1)
${TRIPLET}-gcc -o "$HELLO_DIR/hello" "$HELLO_DIR/hello.c" "${yaml_flags[@]}"
file -b "$HELLO_DIR/hello" | grep -q 'ARM aarch64' || die "hello is not an aarch64 binary: $(file -b "$HELLO_DIR/hello")"
out=$(qemu-aarch64 -L "$QEMU_L" "$HELLO_DIR/hello") || die "hello world did not run under qemu-aarch64 -L $QEMU_L"
[[ $out == "hello from aarch64, libyaml "* ]] || die "unexpected hello output: $out"
say "emulator ok: $out (qemu-aarch64 -L $QEMU_L)"
phase_time "toolchain check" "$t"

# --- 3. configure and build ------------------------------------------------------
t=$SECONDS
cmake -S "$SRC" -B "$BUILD_DIR" \
    -DCMAKE_TOOLCHAIN_FILE="$SRC/cmake/$TRIPLET.cmake" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_INSTALL_PREFIX=/usr \
    "$@"
phase_time "configure" "$t"

t=$SECONDS
cmake --build "$BUILD_DIR" -j"$JOBS"
phase_time "build" "$t"

if [[ -f $BUILD_DIR/kiosk ]]; then
    file -b "$BUILD_DIR/kiosk" | grep -q 'ARM aarch64' || die "kiosk is not aarch64: $(file -b "$BUILD_DIR/kiosk")"
    ver=$(qemu-aarch64 -L "$QEMU_L" "$BUILD_DIR/kiosk" --version) || die "arm64 kiosk --version failed under qemu"
    say "arm64 kiosk runs: $ver"
fi

# --- 4. tests under the emulator ------------------------------------------------
# Display tests need SDL video, and the script tests (tests/*.test.sh) and
# test_pin and test_image (its --set-pin and --check cases) start the arm64
# kiosk as a child process, which needs binfmt_misc; all are left to the
# native build. Script test names are their file names without .test.sh.
t=$SECONDS
EXCLUDE='^test_(render|input|shell|e2e)|^test_pin$|^test_image$'
for script in "$SRC"/tests/*.test.sh; do
    [[ -e $script ]] || continue
    name=$(basename "$script" .test.sh)
    EXCLUDE+="|^${name}\$"
done
if [[ -n ${KIOSK_CROSS_EXCLUDE:-} ]]; then EXCLUDE+="|${KIOSK_CROSS_EXCLUDE}"; fi
say "ctest -E '$EXCLUDE'"
ctest --test-dir "$BUILD_DIR" -E "$EXCLUDE" -j"$JOBS" --output-on-failure --no-tests=ignore
phase_time "tests" "$t"

# --- 5. the arm64 .deb ---------------------------------------------------------------
# Built the one way the package is built, dpkg-buildpackage (-aarm64), by
# .ci/package.sh, which checks its contents, runs lintian on it and runs its
# kiosk under qemu. For a Pi: copy it over and
# `sudo apt install ./kiosk_<version>_arm64.deb` (docs/raspberry-pi.md).
t=$SECONDS
KIOSK_PACKAGE_ARCH=arm64 BUILD_DIR=$BUILD_DIR bash "$SRC/.ci/package.sh" ||
    die "the arm64 package failed (the messages above say why)"
debs=("$BUILD_DIR"/kiosk_*_arm64.deb)
say "package: ${debs[0]} (Depends: $(dpkg-deb -f "${debs[0]}" Depends))"
phase_time "package" "$t"

say "done in $((SECONDS - START)) s"
