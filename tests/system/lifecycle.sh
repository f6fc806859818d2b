# shellcheck shell=bash
# The package's life on a Debian 12 system, in a chroot of the whole-system
# test's base (no boot, no network: the dependencies are in the base): a
# first install (user, groups, /etc/kiosk, not enabled, man pages, version,
# the DejaVu link), a purge, and, given the previous package, an upgrade
# from it over an enabled service and a staff-edited settings file, then a
# purge that keeps the sign-ups. Sourced by scripts/system-test; needs root.
#
#   lifecycle BASE_TAR DEB WORK_DIR [OLD_DEB]
# Prints one PASS:/FAIL: line per proof; returns the number of failures.
lifecycle() {
    local base=$1 deb=$2 work=$3 old=${4:-} root=$3/lifecycle-root
    local passed=0 failed=0 version
    version=$(dpkg-deb -f "$deb" Version)
    rm -rf "$root"
    mkdir -p "$root"
    tar -C "$root" -xf "$base"
    cp "$deb" "$root/tmp/new.deb"
    [[ -z $old ]] || cp "$old" "$root/tmp/old.deb"
    mount -t proc proc "$root/proc"
    mount --bind /dev "$root/dev"
    in_root() { DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 chroot "$root" sh -c "$1" >>"$work/lifecycle.log" 2>&1; }
    proof() {
        if in_root "$2"; then passed=$((passed + 1)); echo "PASS: $1"; else
            failed=$((failed + 1)); echo "FAIL: $1 (log: $work/lifecycle.log)"; fi
    }
    : >"$work/lifecycle.log"
    in_root "apt-get install -y -q --no-install-recommends /tmp/new.deb"
    proof "install: the kiosk user, in the video group" "id -nG kiosk | tr ' ' '\n' | grep -qx video"
    proof "install: /etc/kiosk/kiosk.yaml, 0640 root:kiosk" \
        "[ \"\$(stat -c '%a %U %G' /etc/kiosk/kiosk.yaml)\" = '640 root kiosk' ] && [ -d /etc/kiosk/slides ]"
    proof "install: kiosk.service is not enabled by installing" "! systemctl is-enabled kiosk.service"
    proof "install: man kiosk, man kiosk-session, man 5 kiosk.yaml" \
        "man -P cat kiosk | grep -qE '^ *kiosk +- ' && man -P cat kiosk-session | grep -qE '^ *kiosk-session +- ' &&
         man -P cat 5 kiosk.yaml | grep -qE '^ *kiosk\.yaml +- '"
    proof "install: kiosk --version prints $version" "[ \"\$(kiosk --version)\" = 'kiosk $version' ]"
    proof "install: the bundled deck passes kiosk --check with the DejaVu link in place" \
        "test -r /usr/share/kiosk/fonts/DejaVuSans.ttf && kiosk --check /usr/share/kiosk/slides/microneedling.yaml"
    in_root "dpkg --purge kiosk"
    proof "purge: /etc/kiosk/kiosk.yaml and /usr/bin/kiosk are gone" \
        "! test -e /etc/kiosk/kiosk.yaml && ! test -e /usr/bin/kiosk"
    if [[ -n $old ]]; then
        local from
        from=$(dpkg-deb -f "$old" Version)
        in_root "apt-get install -y -q --no-install-recommends /tmp/old.deb && systemctl enable kiosk &&
                 echo '# edited by staff' >>/etc/kiosk/kiosk.yaml &&
                 apt-get install -y -q --no-install-recommends /tmp/new.deb"
        proof "upgrade from $from: $version installed, kiosk.service still there and enabled" \
            "dpkg-query -W -f='\${Version}' kiosk | grep -qxF '$version' &&
             test -f /usr/lib/systemd/system/kiosk.service && systemctl is-enabled kiosk.service"
        proof "upgrade from $from: the staff's edit of /etc/kiosk/kiosk.yaml is kept" \
            "grep -q '^# edited by staff' /etc/kiosk/kiosk.yaml"
        in_root "install -d -m 700 -o kiosk /var/lib/kiosk && echo created_at,name >/var/lib/kiosk/signups.csv &&
                 dpkg --purge kiosk"
        proof "purge after the upgrade: the enable link is gone, the sign-ups are kept" \
            "! test -e /etc/systemd/system/multi-user.target.wants/kiosk.service &&
             test -f /var/lib/kiosk/signups.csv"
    fi
    umount "$root/dev" "$root/proc"
    rm -rf "$root"
    echo "lifecycle: $passed passed, $failed failed"
    return "$failed"
}
