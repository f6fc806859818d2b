# shellcheck shell=bash
# The whole-system test's disk image: a Debian 12 root file system made with
# mmdebstrap (cached, keyed on its inputs), then per run the project's .deb
# installed into a copy of it with apt, the service enabled as
# docs/raspberry-pi.md says, and an ext4 image made from the result.
# Sourced by scripts/system-test; needs root.

# Bump when the base image's recipe changes in a way the key below does not
# see (the hooks are part of the key already, as this file's text is).
IMAGE_RECIPE_VERSION=1

# What the base holds: a kernel and an init to boot, the guest agent the test
# talks to, Mesa's GBM/EGL so SDL's kmsdrm can draw on virtio-gpu (software:
# kms_swrast/llvmpipe), man-db (the test reads man kiosk), aiosmtpd for the
# test's mail server (tests/delivery_server.py, run in the guest), and the
# kiosk's runtime dependencies so that installing the .deb needs no download.
IMAGE_PACKAGES=(
    linux-image-amd64 initramfs-tools zstd
    systemd systemd-sysv udev dbus kmod procps
    qemu-guest-agent
    adduser passwd
    man-db
    python3-aiosmtpd
    libgl1-mesa-dri libegl1 libegl-mesa0 libgbm1 libgles2
    libsdl2-2.0-0 libsdl2-ttf-2.0-0 libsdl2-image-2.0-0 libyaml-0-2 libcrypt1 libsystemd0
)

# The Debian mirror this machine's apt uses (deb822 or one-line sources).
image_mirror() {
    local kind=$1 uri
    uri=$(grep -rhoE '^(URIs:|deb)[[:space:]]+[^[:space:]]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
        awk '{print $2}' | grep -E '/debian(-security)?/?$' |
        if [[ $kind == security ]]; then grep -- '-security'; else grep -v -- '-security'; fi |
        head -n 1)
    if [[ -z $uri ]]; then
        if [[ $kind == security ]]; then uri=http://deb.debian.org/debian-security; else uri=http://deb.debian.org/debian; fi
    fi
    echo "${uri%/}"
}

# image_base ARCH CACHE_DIR: prints the path of the cached base tarball,
# building it first when it is missing.
image_base() {
    local arch=$1 cache=$2 mirror security key tar log
    mirror=$(image_mirror main)
    security=$(image_mirror security)
    key=$( {
        echo "$IMAGE_RECIPE_VERSION $arch $mirror $security"
        printf '%s\n' "${IMAGE_PACKAGES[@]}"
        declare -f image_customize
    } | sha256sum | cut -c1-16)
    tar=$cache/base-$arch-$key.tar
    if [[ -s $tar ]]; then
        echo "$tar"
        return 0
    fi
    mkdir -p "$cache"
    log=$cache/base-$arch-$key.log
    say "building the base image ($arch, key $key) from $mirror: a few minutes, once" >&2
    local t0=$SECONDS
    local hook
    hook=$(declare -f image_customize)
    if ! mmdebstrap --variant=apt --arch="$arch" --format=tar \
        --aptopt='Apt::Install-Recommends "false"' \
        --include="$(IFS=,; echo "${IMAGE_PACKAGES[*]}")" \
        --customize-hook="$hook; image_customize \"\$1\"" \
        bookworm "$tar.tmp" \
        "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
        "deb $security bookworm-security main" >"$log" 2>&1; then
        rm -f "$tar.tmp"
        tail -n 30 "$log" >&2
        die "mmdebstrap failed (whole log: $log)"
    fi
    mv "$tar.tmp" "$tar"
    # Older bases are of no use any more.
    find "$cache" -maxdepth 1 -name "base-$arch-*.tar" ! -name "$(basename "$tar")" -delete
    say "base image built in $((SECONDS - t0)) s: $tar" >&2
    echo "$tar"
}

# Runs inside mmdebstrap's customize hook with the root directory as $1.
image_customize() {
    local root=$1
    echo kiosk-vm >"$root/etc/hostname"
    printf '127.0.0.1 localhost\n127.0.1.1 kiosk-vm\n' >"$root/etc/hosts"
    printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' >"$root/etc/fstab"
    # A root shell on the serial console, for a person debugging a run
    # (the test itself uses the guest agent).
    mkdir -p "$root/etc/systemd/system/serial-getty@ttyS0.service.d"
    # shellcheck disable=SC2016 # $TERM is for systemd to expand
    printf '[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin root --keep-baud 115200,57600,38400,9600 %%I $TERM\n' \
        >"$root/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf"
    # Nothing that would run in the background and slow a TCG boot down.
    for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
        systemd-timesyncd.service; do
        chroot "$root" systemctl mask "$u" >/dev/null 2>&1 || true
    done
    # A small initrd with just what finds the root file system: a 30 MB
    # "most" one costs a TCG boot some 15 s of unpacking and probing.
    printf 'MODULES=list\n' >"$root/etc/initramfs-tools/conf.d/kiosk-system-test.conf"
    printf '%s\n' virtio_pci virtio_mmio virtio_blk ext4 >>"$root/etc/initramfs-tools/modules"
    chroot "$root" update-initramfs -u -k all >/dev/null
    # The journal is read back by the test; keep it in memory, small.
    mkdir -p "$root/etc/systemd/journald.conf.d"
    printf '[Journal]\nStorage=volatile\n' >"$root/etc/systemd/journald.conf.d/volatile.conf"
}

# image_mail_server ROOT SERVER_PY: the delivery test's receivers in the
# guest, as a service of their own (kiosk-test-mail, enabled): an SMTP
# server on 127.0.0.1:2525 and a plain-HTTP webhook on 127.0.0.1:8025
# (tests/delivery_server.py), each recording what it took in
# /var/lib/kiosk-test/{smtp,hook}.log, which the test reads through the
# guest agent. Stopping the unit is the test's server outage.
image_mail_server() {
    local root=$1 server=$2 lib=/usr/local/lib/kiosk-test
    mkdir -p "$root$lib"
    install -m 0755 "$server" "$root$lib/delivery_server.py"
    cat >"$root/etc/systemd/system/kiosk-test-mail.service" <<EOF
[Unit]
Description=Whole-system test: SMTP server and webhook on loopback (delivery_server.py)
Before=kiosk.service

[Service]
StateDirectory=kiosk-test
# Both in one unit, so that one systemctl stop is an outage of both.
ExecStart=/bin/sh -c '/usr/bin/python3 $lib/delivery_server.py smtp 2525 /var/lib/kiosk-test/smtp.log & exec /usr/bin/python3 $lib/delivery_server.py hook 8025 /var/lib/kiosk-test/hook.log'

[Install]
WantedBy=multi-user.target
EOF
    chroot "$root" systemctl enable kiosk-test-mail.service >/dev/null 2>&1
}

# image_make BASE_TAR DEB OUT_IMG WORK_DIR [SETUP_SCRIPT]: the per-run image.
# Unpacks the base, installs the .deb with apt (its postinst runs, in a
# chroot, as on an image being prepared), runs SETUP_SCRIPT (bash, in the
# chroot), and writes an ext4 image. Also copies the kernel and initrd
# beside OUT_IMG as vmlinuz and initrd.img.
image_make() {
    local base=$1 deb=$2 out=$3 work=$4 setup=${5:-}
    local root=$work/root
    rm -rf "$root"
    mkdir -p "$root"
    tar -C "$root" -xf "$base"
    cp "$deb" "$root/tmp/kiosk.deb"
    mount -t proc proc "$root/proc"
    mount --bind /dev "$root/dev"
    local rc=0
    (
        set -e
        export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
        chroot "$root" apt-get install -y -q --no-install-recommends /tmp/kiosk.deb
        image_mail_server "$root" "$SRC/tests/delivery_server.py"
        if [[ -n $setup ]]; then
            cp "$setup" "$root/tmp/setup.sh"
            chroot "$root" bash -e /tmp/setup.sh
        fi
    ) >"$work/image-install.log" 2>&1 || rc=$?
    umount "$root/dev" "$root/proc"
    if ((rc)); then
        tail -n 30 "$work/image-install.log" >&2
        die "installing the .deb into the image failed (log: $work/image-install.log)"
    fi
    rm -f "$root/tmp/kiosk.deb" "$root/tmp/setup.sh"
    cp -L "$root/vmlinuz" "$(dirname "$out")/vmlinuz"
    cp -L "$root/initrd.img" "$(dirname "$out")/initrd.img"
    rm -f "$out"
    mke2fs -q -t ext4 -L kiosk-root -d "$root" "$out" 2G >/dev/null ||
        die "mke2fs could not make $out"
    rm -rf "$root"
}
