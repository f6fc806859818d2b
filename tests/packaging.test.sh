#!/usr/bin/env bash
# Checks the service files in packaging/: the systemd unit (systemd-analyze
# verify), the XDG autostart entry (desktop-file-validate), the shell scripts
# and debian/'s maintainer scripts (sh -n, shellcheck when installed), and
# the behaviour of the kiosk-session wrapper with a fake kiosk.
#
#   bash tests/packaging.test.sh <path-to-kiosk> <source-dir>
#
# A check whose tool is not installed prints "SKIP: ..." and does not fail.
set -uo pipefail

KIOSK=${1:?usage: packaging.test.sh <path-to-kiosk> <source-dir>}
SRC=${2:?usage: packaging.test.sh <path-to-kiosk> <source-dir>}
PKG=$SRC/packaging
UNIT=$PKG/systemd/kiosk.service
DESKTOP=$PKG/xdg/kiosk.desktop
WRAPPER=$PKG/kiosk-session

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; [[ -z ${2:-} ]] || printf '%s\n' "$2" | sed 's/^/     /'; }
skip() { printf 'SKIP: %s\n' "$1"; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
REAL_SLEEP=$(command -v sleep)

# --- shell syntax ----------------------------------------------------------------
for script in "$WRAPPER" "$SRC"/debian/kiosk.postinst "$SRC"/debian/kiosk.prerm "$SRC"/debian/kiosk.postrm; do
    name=${script#"$SRC"/}
    if out=$(sh -n "$script" 2>&1); then ok "sh -n $name"; else bad "sh -n $name" "$out"; fi
    if [[ -x $script ]]; then ok "$name is executable"; else bad "$name is not executable (git mode 100755)"; fi
    if command -v shellcheck >/dev/null; then
        if out=$(shellcheck -s sh "$script" 2>&1); then ok "shellcheck $name"; else bad "shellcheck $name" "$out"; fi
    fi
done
command -v shellcheck >/dev/null || skip "shellcheck is not installed; the scripts were only parsed"

# --- the systemd unit ----------------------------------------------------------------
# What the unit must keep saying, whatever else changes.
# shellcheck disable=SC2016 # $KIOSK_ARGS is systemd's, not ours
for line in \
    'ExecStart=/usr/bin/kiosk --signups /var/lib/kiosk/signups.csv $KIOSK_ARGS' \
    'User=kiosk' 'SupplementaryGroups=video render input' \
    'Restart=always' 'RestartSec=2' 'RestartPreventExitStatus=4' 'StartLimitIntervalSec=0' \
    'StateDirectory=kiosk' 'StateDirectoryMode=0700' \
    'Environment=SDL_VIDEODRIVER=kmsdrm' 'Conflicts=getty@tty1.service' \
    'ProtectSystem=strict' 'NoNewPrivileges=yes' 'WantedBy=multi-user.target' \
    'Type=notify' 'NotifyAccess=main' 'SuccessExitStatus=4 143' 'LimitCORE=0' \
    'DevicePolicy=closed'; do
    if grep -qxF -- "$line" "$UNIT"; then ok "unit has $line"; else bad "unit lacks '$line'"; fi
done
# These would take /dev/dri or /dev/input away from SDL. (DevicePolicy=closed
# is fine with the DeviceAllow= lines the unit has: the VM test proves it.)
for line in 'PrivateDevices=yes' 'DevicePolicy=strict'; do
    if grep -qxF -- "$line" "$UNIT"; then
        bad "unit has $line, which hides the display or touchscreen"
    else
        ok "unit has no $line"
    fi
done

if command -v systemd-analyze >/dev/null; then
    # verify insists that ExecStart's program exists: check a copy that runs
    # the kiosk just built. It does not look User=/SupplementaryGroups= up, so
    # no kiosk user is needed here. The copy keeps the name kiosk.service.
    mkdir -p "$TMP/unit"
    kiosk_abs=$(realpath "$KIOSK" 2>/dev/null || echo "$KIOSK")
    if [[ ! -x $kiosk_abs ]]; then
        kiosk_abs=$(command -v true)
        printf 'note: %s is not built; verifying with ExecStart=%s\n' "$KIOSK" "$kiosk_abs"
    fi
    sed "s#^ExecStart=/usr/bin/kiosk #ExecStart=$kiosk_abs #" "$UNIT" >"$TMP/unit/kiosk.service"
    out=$(systemd-analyze verify --man=no "$TMP/unit/kiosk.service" 2>&1)
    rc=$?
    # Any word about our unit is a problem (verify returns 0 on unknown keys
    # and bad values: it only warns); words about other units are not ours.
    ours=$(grep -F 'kiosk.service' <<<"$out" || true)
    if ((rc == 0)) && [[ -z $ours ]]; then
        ok "systemd-analyze verify kiosk.service"
    else
        bad "systemd-analyze verify kiosk.service (exit $rc)" "$out"
    fi
else
    skip "systemd-analyze is not installed; kiosk.service was not verified"
fi

# --- the XDG autostart entry ---------------------------------------------------------
if grep -qxF 'Exec=/usr/bin/kiosk-session' "$DESKTOP"; then
    ok "desktop entry runs /usr/bin/kiosk-session"
else
    bad "desktop entry does not run /usr/bin/kiosk-session"
fi
if command -v desktop-file-validate >/dev/null; then
    if out=$(desktop-file-validate "$DESKTOP" 2>&1) && [[ -z $out ]]; then
        ok "desktop-file-validate kiosk.desktop"
    else
        bad "desktop-file-validate kiosk.desktop" "$out"
    fi
else
    skip "desktop-file-validate is not installed (package desktop-file-utils); kiosk.desktop was not validated"
fi

# --- kiosk-session with a fake kiosk ------------------------------------------------------
# The fake kiosk takes its exit statuses, one per run, from $FAKE_PLAN
# (a line each; "hang" means run until terminated) and appends its
# arguments to $FAKE_DIR/runs. A fake sleep records each pause the wrapper
# takes and returns at once, so back-off is checked without waiting.
export FAKE_DIR=$TMP/fake FAKE_PLAN=$TMP/fake/plan
mkdir -p "$FAKE_DIR/bin"
cat >"$FAKE_DIR/kiosk" <<EOF
#!/bin/sh
n=\$(( \$(wc -l <"\$FAKE_DIR/runs") + 1 ))
printf '%s\n' "\$*" >>"\$FAKE_DIR/runs"
status=\$(sed -n "\${n}p" "\$FAKE_PLAN")
if [ "\$status" = hang ]; then
    trap 'echo terminated >>"\$FAKE_DIR/terminated"; kill \$pid 2>/dev/null; exit 143' TERM
    $REAL_SLEEP 30 &
    pid=\$!
    wait \$pid
    exit 0
fi
exit "\${status:-0}"
EOF
cat >"$FAKE_DIR/bin/sleep" <<'EOF'
#!/bin/sh
printf '%s\n' "$1" >>"$FAKE_DIR/pauses"
EOF
chmod +x "$FAKE_DIR/kiosk" "$FAKE_DIR/bin/sleep"

# run_wrapper PLAN... : runs kiosk-session (with /bin/sh, as installed) with
# the fake kiosk and the settings in $WRAPPER_ENV; sets $status, $runs,
# $pauses, $log.
run_wrapper() {
    printf '%s\n' "$@" >"$FAKE_DIR/plan"
    : >"$FAKE_DIR/runs"
    : >"$FAKE_DIR/pauses"
    rm -f "$FAKE_DIR/terminated"
    # shellcheck disable=SC2086 # WRAPPER_ENV is a list of NAME=VALUE words
    KIOSK_BIN=$FAKE_DIR/kiosk XDG_DATA_HOME=$TMP/data HOME=$TMP/home KIOSK_SESSION_SYSLOG=0 \
        PATH="$FAKE_DIR/bin:$PATH" \
        env ${WRAPPER_ENV:-} timeout 10 sh "$WRAPPER" --windowed extra-deck.yaml 2>"$FAKE_DIR/log"
    status=$?
    runs=$(wc -l <"$FAKE_DIR/runs")
    pauses=$(tr '\n' ' ' <"$FAKE_DIR/pauses")
    pauses=${pauses% }
    log=$(cat "$FAKE_DIR/log")
}
expect() { # NAME CONDITION-RESULT
    if [[ $2 == 0 ]]; then
        ok "$1"
    else
        bad "$1" "exit $status, $runs run(s), pauses [${pauses:0:80}]
$(tail -n 12 <<<"$log")"
    fi
}

run_wrapper 134 134 0
[[ $status == 0 && $runs == 3 ]]
expect "crashes twice (134), then exits 0: run 3 times and stop with 0" $?
[[ $pauses == "2 4" ]]
expect "back-off after quick crashes: 2 s then 4 s" $?

run_wrapper 139 134 139 134 139 3 0
[[ $status == 0 && $runs == 7 && $pauses == "2 4 8 16 30 30" ]]
expect "back-off doubles up to 30 s" $?

WRAPPER_ENV="KIOSK_STABLE_SECS=0" run_wrapper 134 134 0
[[ $status == 0 && $runs == 3 && $pauses == "2 2" ]]
expect "a run that lasted resets the back-off" $?

run_wrapper 143 143 4
[[ $status == 0 && $runs == 3 ]]
expect "a stray signal (143) restarts; staff's exit (4) stops with 0" $?

run_wrapper 4
[[ $status == 0 && $runs == 1 && $pauses == "" ]]
expect "staff chose exit (4): run once, stop with 0" $?

run_wrapper 2
[[ $status == 2 && $runs == 1 && $pauses == "" ]]
expect "usage error (2): run once, stop with 2" $?

run_wrapper 1 1 0
[[ $status == 0 && $runs == 3 && $pauses == "30 30" ]]
expect "invalid deck (1): wait 30 s and try again until it is fixed" $?

run_wrapper 0
first=$(head -n1 "$FAKE_DIR/runs")
[[ $first == "--signups $TMP/data/kiosk/signups.csv --windowed extra-deck.yaml" ]]
expect "kiosk gets --signups \$XDG_DATA_HOME/kiosk/signups.csv and the wrapper's arguments" $?
[[ $(stat -c %a "$TMP/data/kiosk" 2>/dev/null) == 700 ]]
expect "the sign-ups directory is created, mode 0700" $?

WRAPPER_ENV="KIOSK_RESTART_DELAY=soon" run_wrapper 0
[[ $status == 2 && $runs == 0 ]]
expect "a bad delay setting is refused" $?

# Stopping the session: TERM to the wrapper stops kiosk, and no restart.
printf 'hang\n' >"$FAKE_DIR/plan"
: >"$FAKE_DIR/runs"
rm -f "$FAKE_DIR/terminated"
KIOSK_BIN=$FAKE_DIR/kiosk XDG_DATA_HOME=$TMP/data HOME=$TMP/home KIOSK_SESSION_SYSLOG=0 \
    timeout 10 sh "$WRAPPER" 2>"$FAKE_DIR/log" &
wrapper_pid=$!
for _ in $(seq 100); do
    [[ -s $FAKE_DIR/runs ]] && break
    "$REAL_SLEEP" 0.05
done
"$REAL_SLEEP" 0.2
kill -TERM "$wrapper_pid"
wait "$wrapper_pid"
status=$?
runs=$(wc -l <"$FAKE_DIR/runs")
pauses=
log=$(cat "$FAKE_DIR/log")
[[ $status == 0 && $runs == 1 && -e $FAKE_DIR/terminated ]]
expect "TERM to the wrapper stops kiosk and does not restart it" $?

echo "packaging: $passed passed, $failed failed"
((failed == 0))
