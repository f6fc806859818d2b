#!/usr/bin/env bash
# Build the Debian package (kiosk_<version>_<arch>.deb) with CPack and check
# what is in it. Fails loudly when a file, a dependency or a maintainer script
# is missing, or when the packaged kiosk does not run.
#
#   bash .ci/package.sh [extra cmake -D options...]
#
# Environment:
#   BUILD_DIR                   build directory (default build-deb); the .deb
#                               is left there
#   KIOSK_PACKAGE_INSTALL_TEST=1  also install the package on this machine
#                               with apt, check what the postinst did, upgrade
#                               over an edited /etc/kiosk/kiosk.yaml, and purge
#                               it again (needs root; changes the machine: it
#                               leaves the kiosk system user behind, as a
#                               Debian purge does)
# Installs missing build packages when run as root; as another user it says
# which to install. Works on a Raspberry Pi too (the .deb is then arm64).
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$PWD
BUILD_DIR=${BUILD_DIR:-build-deb}
JOBS=$(nproc 2>/dev/null || echo 2)

say() { printf '== package: %s\n' "$*"; }
die() { printf 'package: FAIL: %s\n' "$*" >&2; exit 1; }

BUILD_PKGS=(cmake gcc make pkg-config dpkg-dev file
    libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libturbojpeg0-dev libyaml-dev libcrypt-dev libsystemd-dev)
missing=()
for p in "${BUILD_PKGS[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
        missing+=("$p")
done
if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || die "missing packages; run: sudo apt-get install ${missing[*]}"
    say "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- build and pack -----------------------------------------------------------
cmake -S "$SRC" -B "$BUILD_DIR" -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBUILD_TESTING=OFF "$@"
cmake --build "$BUILD_DIR" -j"$JOBS"
rm -f "$BUILD_DIR"/kiosk_*.deb
(cd "$BUILD_DIR" && cpack -G DEB) || die "cpack could not build the package (the messages above say why)"

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD_DIR/CMakeCache.txt")
[[ -n $version ]] || die "no CMAKE_PROJECT_VERSION in $BUILD_DIR/CMakeCache.txt"
shopt -s nullglob
debs=("$BUILD_DIR"/kiosk_*.deb)
((${#debs[@]} == 1)) || die "expected one kiosk_*.deb in $BUILD_DIR, found: ${debs[*]:-none}"
deb=${debs[0]}
arch=$(dpkg-deb -f "$deb" Architecture)
[[ $(basename "$deb") == "kiosk_${version}_${arch}.deb" ]] ||
    die "file name $(basename "$deb") is not kiosk_${version}_${arch}.deb"
say "built $deb"

# --- what is in it -------------------------------------------------------------
failures=0
fail() { printf 'package: FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }

listing=$(dpkg-deb -c "$deb")
for f in \
    usr/bin/kiosk \
    usr/bin/kiosk-session \
    usr/share/kiosk/slides/microneedling.yaml \
    usr/lib/systemd/system/kiosk.service \
    usr/share/kiosk/packaging/kiosk.desktop \
    usr/share/kiosk/packaging/kiosk.yaml \
    usr/share/doc/kiosk/raspberry-pi.md; do
    grep -qE "[[:space:]]\./$f\$" <<<"$listing" || fail "$f is not in the package"
done
for exe in usr/bin/kiosk usr/bin/kiosk-session; do
    grep -qE "^-rwxr-xr-x .*[[:space:]]\./$exe\$" <<<"$listing" || fail "$exe is not mode 0755"
done
if grep -qE '[[:space:]]\./etc/' <<<"$listing"; then
    fail "the package ships files under /etc; they would need to be conffiles"
fi

[[ $(dpkg-deb -f "$deb" Package) == kiosk ]] || fail "Package is not kiosk"
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "Version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
say "Depends: $depends"
for dep in libsdl2-2.0-0 libsdl2-ttf-2.0-0 libsdl2-image-2.0-0 libturbojpeg0 libyaml-0-2 libcrypt1 libsystemd0 adduser libc6; do
    grep -qE "(^|, )$dep( |,|\$)" <<<"$depends" || fail "Depends lacks $dep"
done
for field in Maintainer Description Section; do
    [[ -n $(dpkg-deb -f "$deb" "$field") ]] || fail "no $field field"
done

ctrl=$(dpkg-deb --ctrl-tarfile "$deb" | tar -tvf -)
for script in postinst prerm postrm; do
    grep -qE "^-rwxr-xr-x .*[[:space:]]\./$script\$" <<<"$ctrl" || fail "control.tar lacks an executable $script"
done

# --- does the packaged kiosk run? ------------------------------------------------
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
run=()
host_arch=$(dpkg --print-architecture)
if [[ $arch != "$host_arch" ]]; then
    if [[ $arch == arm64 ]] && command -v qemu-aarch64 >/dev/null; then
        run=(qemu-aarch64 -L /)
    else
        run=(skip)
    fi
fi
if [[ ${run[0]:-} == skip ]]; then
    say "SKIP: running the $arch kiosk on this $host_arch machine"
else
    out=$("${run[@]}" "$root/usr/bin/kiosk" --version) || fail "packaged kiosk --version failed"
    [[ $out == "kiosk $version" ]] || fail "packaged kiosk --version said '$out', expected 'kiosk $version'"
    # The binary's data directory is /usr/share/kiosk; point it at the
    # unpacked one and validate the bundled deck with everything it uses.
    if ! KIOSK_DATA_DIR="$root/usr/share/kiosk" "${run[@]}" "$root/usr/bin/kiosk" --check \
        "$root/usr/share/kiosk/slides/microneedling.yaml"; then
        fail "the packaged deck does not pass kiosk --check"
    fi
fi

# --- optional: install, upgrade, purge on this machine -----------------------------
if [[ ${KIOSK_PACKAGE_INSTALL_TEST:-0} == 1 ]]; then
    [[ $(id -u) == 0 ]] || die "KIOSK_PACKAGE_INSTALL_TEST=1 needs root"
    [[ $arch == "$host_arch" ]] || die "cannot install a $arch package on $host_arch"
    say "install test"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "$(realpath "$deb")" >/dev/null || fail "apt-get install failed"
    getent passwd kiosk >/dev/null || fail "postinst did not create the kiosk user"
    for g in video render input; do
        if getent group "$g" >/dev/null; then
            id -nG kiosk | tr ' ' '\n' | grep -qx "$g" || fail "kiosk is not in group $g"
        fi
    done
    [[ -f /etc/kiosk/kiosk.yaml ]] || fail "postinst did not create /etc/kiosk/kiosk.yaml"
    [[ $(stat -c '%a %U' /etc/kiosk/kiosk.yaml 2>/dev/null) == "640 root" ]] ||
        fail "/etc/kiosk/kiosk.yaml is not 0640 root"
    [[ -d /etc/kiosk/slides ]] || fail "postinst did not create /etc/kiosk/slides"
    echo "# edited by staff" >>/etc/kiosk/kiosk.yaml
    dpkg -i "$deb" >/dev/null || fail "reinstalling (upgrade path) failed"
    grep -q '^# edited by staff' /etc/kiosk/kiosk.yaml || fail "an upgrade overwrote /etc/kiosk/kiosk.yaml"
    # Sign-ups survive a purge: they are the clinic's data, not the package's.
    made_state=
    if [[ ! -e /var/lib/kiosk ]]; then
        install -d -m 700 /var/lib/kiosk && made_state=1
    fi
    had_signups=
    [[ -e /var/lib/kiosk/signups.csv ]] && had_signups=1
    [[ -n $had_signups ]] || echo "created_at,name" >/var/lib/kiosk/signups.csv
    dpkg --purge kiosk >/dev/null || fail "dpkg --purge failed"
    [[ ! -e /etc/kiosk/kiosk.yaml ]] || fail "purge left /etc/kiosk/kiosk.yaml"
    [[ ! -e /usr/bin/kiosk ]] || fail "purge left /usr/bin/kiosk"
    [[ -e /var/lib/kiosk/signups.csv ]] || fail "purge deleted /var/lib/kiosk/signups.csv"
    [[ -n $had_signups ]] || rm -f /var/lib/kiosk/signups.csv
    [[ -z $made_state ]] || rmdir /var/lib/kiosk
fi

if ((failures)); then
    die "$failures problem(s) with $deb"
fi
say "ok: $deb"
