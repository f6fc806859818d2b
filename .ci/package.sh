#!/usr/bin/env bash
# Build the Debian package (kiosk_<version>_<arch>.deb) the Debian way,
# dpkg-buildpackage -us -uc -b with debian/, check what is in it, and run
# lintian on it, failing on any error or warning (the overrides, each with its
# reason, are in debian/kiosk.lintian-overrides).
#
#   bash .ci/package.sh
#
# Environment:
#   BUILD_DIR                   where the .deb is left (default build-deb)
#   KIOSK_PACKAGE_ARCH          build for this architecture instead of the
#                               machine's (arm64: dpkg-buildpackage -aarm64;
#                               .ci/cross-arm64.sh sets it)
#   KIOSK_PACKAGE_INSTALL_TEST=1  also install the package on this machine
#                               with apt, check what the postinst did, upgrade
#                               over an edited /etc/kiosk/kiosk.yaml, and purge
#                               it again (needs root; changes the machine: it
#                               leaves the kiosk system user behind, as a
#                               Debian purge does)
# Installs missing build packages when run as root; as another user it says
# which to install. Works on a Raspberry Pi too (the .deb is then arm64).
#
# dpkg-buildpackage builds in the tree it is given and writes the package to
# the folder above it. So that neither the checkout nor its parent folder is
# touched, it runs in a copy of the tree, $BUILD_DIR/src/kiosk; the CMake
# build (with the libraries scripts/system-test links) stays in there,
# in obj-<triplet>/.
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$PWD
BUILD_DIR=${BUILD_DIR:-build-deb}
HOST_ARCH=$(dpkg --print-architecture)
ARCH=${KIOSK_PACKAGE_ARCH:-$HOST_ARCH}

say() { printf '== package: %s\n' "$*"; }
die() { printf 'package: FAIL: %s\n' "$*" >&2; exit 1; }

# Build-Depends from debian/control (for $ARCH's libraries when cross-building)
# and the tools this script uses.
mapfile -t build_deps < <(sed -n '/^Build-Depends:/,/^[A-Z]/p' debian/control |
    sed '1s/^Build-Depends://; /^[A-Z]/d' | tr ',' '\n' | sed 's/([^)]*)//; s/[[:space:]]//g' | grep -v '^$')
BUILD_PKGS=(dpkg-dev debhelper build-essential file lintian)
for p in "${build_deps[@]}"; do
    [[ $p == debhelper-compat ]] && continue
    # For another architecture: its libraries, and its pkgconf, which has the
    # <triplet>-pkg-config that dh_auto_configure hands to CMake.
    if [[ $ARCH != "$HOST_ARCH" && ($p == lib*-dev || $p == pkgconf) ]]; then p+=":$ARCH"; fi
    BUILD_PKGS+=("$p")
done
[[ $ARCH == "$HOST_ARCH" ]] || BUILD_PKGS+=("crossbuild-essential-$ARCH")
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

# --- build ------------------------------------------------------------------------
mkdir -p "$BUILD_DIR"
work=$BUILD_DIR/src
rm -rf "$work" "$BUILD_DIR"/kiosk_*.deb "$BUILD_DIR"/kiosk-dbgsym_*.deb
mkdir -p "$work/kiosk"
# The tree as it is now (uncommitted edits too), without build outputs.
tar -C "$SRC" --exclude=./.git --exclude=./build --exclude='./build-*' --exclude='./obj-*' \
    --exclude=./debian/kiosk --exclude=./debian/.debhelper --exclude=./debian/files \
    --exclude=./tests/fuzz/work -cf - . | tar -C "$work/kiosk" -xf -
cross=()
[[ $ARCH == "$HOST_ARCH" ]] || cross=(-a"$ARCH")
# The test suite runs in CI (scripts/test); debian/rules' own check of the
# built kiosk runs unless cross-building.
(cd "$work/kiosk" && dpkg-buildpackage -us -uc -b "${cross[@]}") >"$BUILD_DIR/dpkg-buildpackage.log" 2>&1 || {
    tail -n 40 "$BUILD_DIR/dpkg-buildpackage.log" >&2
    die "dpkg-buildpackage failed (log: $BUILD_DIR/dpkg-buildpackage.log)"
}
mv "$work"/kiosk_*.deb "$BUILD_DIR"/
mv "$work"/kiosk-dbgsym_*.deb "$BUILD_DIR"/ 2>/dev/null || true

version=$(cd "$SRC" && dpkg-parsechangelog -S Version)
shopt -s nullglob
debs=("$BUILD_DIR"/kiosk_*.deb)
((${#debs[@]} == 1)) || die "expected one kiosk_*.deb in $BUILD_DIR, found: ${debs[*]:-none}"
deb=${debs[0]}
arch=$(dpkg-deb -f "$deb" Architecture)
[[ $arch == "$ARCH" ]] || die "$deb is for $arch, not $ARCH"
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
    usr/lib/systemd/system/kiosk-usb-mount@.service \
    usr/lib/systemd/system/kiosk-usb-eject.path \
    usr/lib/systemd/system/kiosk-usb-eject.service \
    usr/lib/udev/rules.d/90-kiosk-usb.rules \
    usr/libexec/kiosk/kiosk-usb \
    usr/share/kiosk/packaging/kiosk.desktop \
    usr/share/kiosk/packaging/kiosk.yaml \
    usr/share/doc/kiosk/raspberry-pi.md \
    usr/share/doc/kiosk/copyright \
    usr/share/doc/kiosk/changelog.gz \
    usr/share/man/man1/kiosk.1.gz \
    usr/share/man/man1/kiosk-session.1.gz \
    usr/share/man/man5/kiosk.yaml.5.gz \
    usr/share/kiosk/fonts/AtkinsonHyperlegible-Regular.ttf; do
    grep -qE "[[:space:]]\./$f\$" <<<"$listing" || fail "$f is not in the package"
done
# DejaVu Sans is fonts-dejavu-core's: a link to it, not a copy.
grep -qE '[[:space:]]\./usr/share/kiosk/fonts/DejaVuSans\.ttf -> [./]*(usr/share/)?(\.\./)*fonts/truetype/dejavu/DejaVuSans\.ttf$' <<<"$listing" ||
    fail "usr/share/kiosk/fonts/DejaVuSans.ttf is not a link to fonts-dejavu-core's DejaVuSans.ttf"
if grep -qE '^-.*[[:space:]]\./.*DejaVu' <<<"$listing"; then
    fail "the package ships a copy of a DejaVu file"
fi
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
for dep in libsdl2-2.0-0 libsdl2-ttf-2.0-0 libsdl2-image-2.0-0 libturbojpeg0 libyaml-0-2 libcrypt1 libsystemd0 adduser libc6 fonts-dejavu-core; do
    grep -qE "(^|, )$dep( |,|\$)" <<<"$depends" || fail "Depends lacks $dep"
done
for field in Maintainer Description Section; do
    [[ -n $(dpkg-deb -f "$deb" "$field") ]] || fail "no $field field"
done

ctrl=$(dpkg-deb --ctrl-tarfile "$deb" | tar -tvf -)
for script in postinst prerm postrm; do
    grep -qE "^-rwxr-xr-x .*[[:space:]]\./$script\$" <<<"$ctrl" || fail "control.tar lacks an executable $script"
done
# systemd is debhelper's business (dh_installsystemd): the scripts only ever
# reach it through deb-systemd-helper/-invoke, which respect what the
# installer enabled; and the service is neither enabled nor started by a
# first install.
scripts=$(mktemp -d)
dpkg-deb -e "$deb" "$scripts/DEBIAN"
grep -q 'deb-systemd-invoke try-restart' "$scripts/DEBIAN/postinst" ||
    fail "postinst does not try-restart a running kiosk on upgrade"
# dh_installsystemd without --no-enable would enable on a first install
# (deb-systemd-helper enable not guarded by "debian-installed"); without
# --no-start it would start the service.
grep -q "deb-systemd-helper debian-installed 'kiosk.service'" "$scripts/DEBIAN/postinst" ||
    fail "postinst enables kiosk.service on a first install (it must be the installer's choice)"
if grep -qE 'deb-systemd-invoke (start|restart) |_dh_action=start' "$scripts/DEBIAN/postinst"; then
    fail "postinst starts kiosk.service (it must be the installer's choice)"
fi
grep -q "deb-systemd-invoke stop kiosk.service" "$scripts/DEBIAN/prerm" ||
    fail "prerm does not stop kiosk.service on removal"
rm -rf "$scripts"

# --- lintian: nothing but what debian/kiosk.lintian-overrides explains -----------
# (Without --info the tags' explanations would not be printed.)
if out=$(lintian --fail-on error,warning --info "$deb" 2>&1); then
    out=$(grep -v '^running with root privileges' <<<"$out" || true)
    say "lintian: no errors, no warnings"
    [[ -z $out ]] || printf '%s\n' "$out" | sed 's/^/   /'
else
    printf '%s\n' "$out" >&2
    fail "lintian reports errors or warnings on $deb"
fi

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
