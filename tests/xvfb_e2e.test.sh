#!/usr/bin/env bash
# A real window, real X input: the kiosk runs fullscreen on an Xvfb screen
# of 1280x800 as a person would start it, and xdotool clicks and types
# through a sign-up with the mouse and a physical keyboard (X key events
# become SDL text input). Screenshots (import -window root) show each
# screen; the thank-you screen is recognised by its colours, the row is
# then found in the CSV. The sign-up is delivered, exactly once, to a real
# SMTP server (aiosmtpd) and an HTTPS webhook on loopback
# (tests/delivery_server.py, with a test CA made here). Escape must not stop
# the kiosk; SIGTERM must, at once and with status 143 (128 + 15: a
# supervisor restarts a kiosk that a stray signal ended; only staff's Exit,
# status 4, keeps it stopped).
#
# Usage: bash tests/xvfb_e2e.test.sh KIOSK-BINARY SOURCE-DIR
# Needs Xvfb, xdotool, ImageMagick, python3-aiosmtpd and openssl (scripts/deps
# --test installs them); XVFB_DISPLAY=N runs Xvfb on :N instead of a free one;
# without Xvfb it says SKIP and succeeds. The screenshots are kept when a
# check fails (the folder is printed). Click and pixel positions are for the
# bundled deck at 1280x800, taken from its screenshots (kiosk/layout.c
# layout_chrome: the sign-up button centred in the bottom bar, Next at its
# right end; app.c app_form_layout: two columns); the colours are read from
# the deck's theme.
set -u

KIOSK=${1:?usage: xvfb_e2e.test.sh KIOSK-BINARY SOURCE-DIR}
SRC=${2:?usage: xvfb_e2e.test.sh KIOSK-BINARY SOURCE-DIR}
DECK="$SRC/slides/microneedling.yaml"
W=1280
H=800

if ! command -v Xvfb >/dev/null 2>&1; then
    echo "SKIP: Xvfb not installed (scripts/deps --test installs it)"
    exit 0
fi
for tool in xdotool import convert; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "FAIL: $tool is not installed (scripts/deps --test installs it)"
        exit 1
    fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-xvfb.XXXXXX")
passed=0
failed=0
xvfb_pid=
kiosk_pid=
smtp_pid=
hook_pid=

pass() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

cleanup() {
    if [ -n "$kiosk_pid" ] && kill -0 "$kiosk_pid" 2>/dev/null; then
        kill -KILL "$kiosk_pid" 2>/dev/null
        wait "$kiosk_pid" 2>/dev/null
    fi
    for pid in $smtp_pid $hook_pid; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [ -n "$xvfb_pid" ]; then
        kill "$xvfb_pid" 2>/dev/null
        wait "$xvfb_pid" 2>/dev/null
    fi
    if [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; then
        rm -rf "$TMP"
    else
        echo "screenshots, log and CSV kept in $TMP"
    fi
}
trap cleanup EXIT

# The theme's colours, as ImageMagick prints pixels (upper-case hex).
theme() {
    sed -n "s/^ *$1: *\"#\([0-9A-Fa-f]\{6\}\)\".*/\1/p" "$DECK" | head -n 1 | tr a-f A-F
}
BG=$(theme background)
ACCENT=$(theme accent)
SURFACE=$(theme surface)
if [ -z "$BG" ] || [ -z "$ACCENT" ] || [ -z "$SURFACE" ]; then
    echo "FAIL: cannot read the theme colours from $DECK"
    exit 1
fi

# ---- the X server ----------------------------------------------------------

# -displayfd: Xvfb picks a free display number itself and writes it once it
# accepts connections, so parallel runs never race for one.
if [ -n "${XVFB_DISPLAY:-}" ]; then
    Xvfb ":$XVFB_DISPLAY" -screen 0 ${W}x${H}x24 -nolisten tcp >"$TMP/xvfb.log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do
        [ -e "/tmp/.X11-unix/X$XVFB_DISPLAY" ] && break
        sleep 0.1
    done
    echo "$XVFB_DISPLAY" >"$TMP/display"
else
    Xvfb -displayfd 3 -screen 0 ${W}x${H}x24 -nolisten tcp 3>"$TMP/display" \
        >"$TMP/xvfb.log" 2>&1 &
    xvfb_pid=$!
fi
for _ in $(seq 100); do
    [ -s "$TMP/display" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.1
done
if [ ! -s "$TMP/display" ]; then
    echo "FAIL: Xvfb did not start:"
    cat "$TMP/xvfb.log"
    exit 1
fi
DISPLAY=":$(head -n 1 "$TMP/display")"
export DISPLAY
echo "Xvfb on $DISPLAY, ${W}x${H}"

# ---- helpers ---------------------------------------------------------------

shot() { import -window root "$TMP/$1.png" 2>>"$TMP/import.log"; }

# pixel NAME X Y: the colour at X,Y of a shot, as RRGGBB.
pixel() { convert "$TMP/$1.png" -format "%[hex:p{$2,$3}]" info: 2>/dev/null | cut -c1-6; }

# Pixels of COLOUR in the region (x, y, w, h) of a shot.
count_in() {
    convert "$TMP/$1.png" -crop "$4x$5+$2+$3" +repage -format %c histogram:info: 2>/dev/null |
        awk -v c="#$6" 'toupper($0) ~ c { gsub(":", "", $1); n += $1 } END { print n + 0 }'
}

click() { xdotool mousemove --sync "$1" "$2" click 1; }

# What is on screen, from a few pixels whose colour each screen fixes
# (positions from the 1280x800 screenshots of the bundled deck):
#  - the centre of the bottom bar: the sign-up button on the slides and the
#    Start button on the thank-you screen (accent), background on the form;
#  - the first progress segment, left of the bar: accent on the slides only;
#  - the name field: white while the form shows it;
#  - the keyboard's "y" key (beside its letter) and its done key while typing;
#  - "Thank you!" in accent across the upper middle.
is_slides() {
    [ "$(pixel "$1" 640 746)" = "$ACCENT" ] && [ "$(pixel "$1" 40 691)" = "$ACCENT" ]
}
is_form() {
    [ "$(pixel "$1" 300 238)" = "$SURFACE" ] && [ "$(pixel "$1" 640 746)" = "$BG" ] &&
        [ "$(pixel "$1" 40 691)" = "$BG" ]
}
is_typing() {
    [ "$(pixel "$1" 660 415)" = "$SURFACE" ] && [ "$(pixel "$1" 1102 744)" = "$ACCENT" ] &&
        [ "$(pixel "$1" 300 238)" = "$SURFACE" ]
}
is_form_ready() { # consent ticked and Send enabled (accent)
    is_form "$1" && [ "$(pixel "$1" 696 357)" = "$ACCENT" ] &&
        [ "$(pixel "$1" 1102 744)" = "$ACCENT" ]
}
is_thanks() {
    [ "$(pixel "$1" 640 746)" = "$ACCENT" ] && [ "$(pixel "$1" 40 691)" = "$BG" ] &&
        [ "$(pixel "$1" 300 238)" = "$BG" ] &&
        [ "$(count_in "$1" 320 150 640 120 "$ACCENT")" -gt 10000 ]
}

# wait_for NAME CHECK [SECONDS]: screenshots until CHECK passes.
wait_for() {
    local name=$1 check=$2 tries=$((${3:-5} * 5))
    for _ in $(seq "$tries"); do
        shot "$name"
        "$check" "$name" && return 0
        kill -0 "$kiosk_pid" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

# ---- the delivery servers --------------------------------------------------

# start_server KIND PORT LOG [CERT KEY]: a server of tests/delivery_server.py,
# its pid in server_pid once it says "ready".
start_server() {
    local kind=$1 port=$2 log=$3
    shift 3
    rm -f "$TMP/ready.$kind"
    mkfifo "$TMP/ready.$kind"
    /usr/bin/python3 "$SRC/tests/delivery_server.py" "$kind" "$port" "$log" "$@" \
        >"$TMP/ready.$kind" 2>"$log.err" &
    server_pid=$!
    read -r -t 10 line <"$TMP/ready.$kind"
    [ "${line:-}" = ready ]
}
delivery=
if /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null && command -v openssl >/dev/null; then
    (
        cd "$TMP" &&
            openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test-ca \
                -keyout ca.key -out ca.pem &&
            openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key \
                -out server.csr &&
            printf 'subjectAltName=IP:127.0.0.1\n' >san.ext &&
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
                -days 1 -extfile san.ext -out server.pem
    ) >"$TMP/openssl.log" 2>&1
    # Ports from 25000-25999, apart for runs in parallel.
    SMTP_PORT=$((25600 + $$ % 100 * 2))
    HOOK_PORT=$((SMTP_PORT + 1))
    if start_server smtp "$SMTP_PORT" "$TMP/smtp.log" && smtp_pid=$server_pid &&
        start_server hook "$HOOK_PORT" "$TMP/hook.log" "$TMP/server.pem" "$TMP/server.key" &&
        hook_pid=$server_pid; then
        printf 's3cret-pw\n' >"$TMP/smtp-password"
        printf 'hook-token-123\n' >"$TMP/webhook-token"
        chmod 600 "$TMP/smtp-password" "$TMP/webhook-token"
        delivery="delivery:
  email:
    to: frontdesk@clinic.example
    from: kiosk@clinic.example
    smtp: smtp://127.0.0.1:$SMTP_PORT
    user: kiosk
    password_file: $TMP/smtp-password
    insecure: true
  webhook:
    url: https://127.0.0.1:$HOOK_PORT/hooks/kiosk
    token_file: $TMP/webhook-token
    ca_file: $TMP/ca.pem
"
    else
        fail "the delivery test servers did not start (see $TMP/*.err)"
    fi
else
    fail "python3-aiosmtpd or openssl missing (scripts/deps --test installs them)"
fi

# ---- the kiosk, as a person starts it ---------------------------------------

# A settings file of our own, so one in /etc/kiosk on this machine does not
# change the test.
printf 'rotation: 0\nstats: %s\n%s' "$TMP/stats.csv" "$delivery" >"$TMP/kiosk.yaml"
# On X11, SDL talks to the session bus (screensaver, input methods) and,
# before SDL 2.30, leaves libdbus's own allocations to the process's exit:
# a sanitizer build would report them as the kiosk's. Only libdbus is
# excused; a leak in the kiosk's own code still fails the exit status.
printf 'leak:libdbus-1.so\n' >"$TMP/lsan.supp"
# start_kiosk LOG: the kiosk on the X server, its pid in kiosk_pid.
start_kiosk() {
    (
        unset SDL_VIDEODRIVER SDL_RENDER_DRIVER # CTest sets the offscreen driver
        export SDL_VIDEODRIVER=x11 KIOSK_DATA_DIR="$SRC"
        export LSAN_OPTIONS="suppressions=$TMP/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
        exec "$KIOSK" --config "$TMP/kiosk.yaml" --renderer software \
            --signups "$TMP/signups.csv" --kiosk-id xvfb
    ) >"$1" 2>&1 &
    kiosk_pid=$!
}
start_kiosk "$TMP/kiosk.log"

win=$(timeout 20 xdotool search --sync --onlyvisible --name "Microneedling for acne scars" |
    head -n 1)
if [ -n "$win" ]; then
    pass "the kiosk's window is up"
else
    fail "no kiosk window within 20 s"
    cat "$TMP/kiosk.log"
    echo "$passed passed, $failed failed"
    exit 1
fi
geometry=$(xdotool getwindowgeometry --shell "$win")
if echo "$geometry" | grep -q "^WIDTH=$W\$" && echo "$geometry" | grep -q "^HEIGHT=$H\$"; then
    pass "fullscreen: the window covers the ${W}x${H} screen"
else
    fail "the window is not fullscreen: $(echo "$geometry" | tr '\n' ' ')"
fi

if wait_for 01-slides is_slides 10; then
    pass "the first slide is drawn with the sign-up button and progress bar"
else
    fail "the slides did not appear (see 01-slides.png)"
fi

# Next, in the bottom bar's right end: the second progress segment fills.
click 1135 746
sleep 0.5
shot 02-next
if [ "$(pixel 02-next 120 691)" = "$ACCENT" ] && [ "$(pixel 02-next 200 691)" != "$ACCENT" ]; then
    pass "a click on Next shows the second slide"
else
    fail "Next did not move to the second slide (see 02-next.png)"
fi

# "Free skin assessment", centred in the bottom bar.
click 640 746
if wait_for 03-form is_form; then
    pass "the sign-up button opens the form"
else
    fail "the form did not open (see 03-form.png)"
fi

# The name field: the on-screen keyboard comes up; a physical keyboard
# types into it too.
click 300 238
if wait_for 04-keyboard is_typing; then
    pass "a click on the name field brings up the on-screen keyboard"
else
    fail "no on-screen keyboard after clicking the name field (see 04-keyboard.png)"
fi
xdotool type --delay 30 "Ann Lee"
xdotool key Tab # to the phone number (app.c: Tab moves to the next text field)
xdotool type --delay 30 "020 7946 0958"
xdotool key Tab
xdotool type --delay 30 "ann.lee@example.com"
sleep 0.3
shot 05-typing
# The email, in the text colour, in the one field shown above the keyboard.
TEXT=$(theme text)
if [ "$(count_in 05-typing 40 200 1200 66 "$TEXT")" -gt 300 ]; then
    pass "typing on the X keyboard shows in the field"
else
    fail "nothing typed shows in the field (see 05-typing.png)"
fi
xdotool key Tab # past the last text field: the keyboard goes away
if wait_for 06-filled is_form; then
    pass "Tab after the email leaves the keyboard for the whole form"
else
    fail "the form did not come back after Tab (see 06-filled.png)"
fi

click 950 238 # "Afternoon"
click 696 357 # the consent box
if wait_for 07-ready is_form_ready; then
    pass "consent ticked, Send enabled"
else
    fail "the form is not ready to send (see 07-ready.png)"
fi

click 1102 744 # Send
if wait_for 08-thanks is_thanks; then
    pass "Send shows the thank-you screen"
else
    fail "no thank-you screen after Send (see 08-thanks.png)"
fi

# The row, as typed, in the CSV.
csv="$TMP/signups.csv"
if [ -f "$csv" ]; then
    rows=$(($(wc -l <"$csv") - 1))
    row=$(sed -n 2p "$csv" | tr -d '\r')
    IFS=, read -r id stamp kiosk deck name phone email when consent dup lang <<<"$row"
    if [ "$rows" -eq 1 ] && [ "$kiosk" = xvfb ] && [ "$deck" = microneedling ] &&
        [ "$name" = "Ann Lee" ] && [ "$phone" = "020 7946 0958" ] &&
        [ "$email" = "ann.lee@example.com" ] && [ "$when" = Afternoon ] &&
        [ -n "$stamp" ] && [ -n "$consent" ] && [ -z "$dup" ] && [ "$lang" = en ]; then
        pass "the CSV holds the sign-up: $name, $phone, $email, $when"
    else
        fail "the CSV does not hold the sign-up as typed ($rows rows):"
        cat "$csv"
    fi
    mode=$(stat -c %a "$csv")
    if [ "$mode" = 600 ]; then
        pass "the CSV is readable by its owner only"
    else
        fail "the CSV has mode $mode"
    fi
else
    fail "no CSV at $csv"
fi

# Delivered: once by email, once by webhook, under the row's id.
if [ -n "$delivery" ] && [ -n "${id:-}" ]; then
    for _ in $(seq 100); do
        grep -q "^MSG <$id@kiosk>" "$TMP/smtp.log" 2>/dev/null &&
            grep -q "^POST $id " "$TMP/hook.log" 2>/dev/null && break
        sleep 0.2
    done
    if [ "$(grep -c "^MSG <$id@kiosk> tls=no auth=kiosk rcpt=frontdesk@clinic.example" \
        "$TMP/smtp.log" 2>/dev/null)" = 1 ] && [ "$(grep -c "^MSG" "$TMP/smtp.log")" = 1 ] &&
        grep -q "^name: Ann Lee" "$TMP/smtp.log.1.eml"; then
        pass "the sign-up arrived once at the SMTP server, Message-ID <$id@kiosk>"
    else
        fail "the sign-up did not arrive once by email (see $TMP/smtp.log)"
    fi
    if [ "$(grep -c "^POST $id auth=Bearer_hook-token-123 {" "$TMP/hook.log" 2>/dev/null)" = 1 ] &&
        [ "$(grep -c "^POST" "$TMP/hook.log")" = 1 ] &&
        grep -q '"email":"ann.lee@example.com"' "$TMP/hook.log"; then
        pass "the sign-up arrived once at the webhook, Idempotency-Key $id"
    else
        fail "the sign-up did not arrive once at the webhook (see $TMP/hook.log)"
    fi
    if grep -q "sign-up $id delivered by email" "$TMP/kiosk.log" &&
        grep -q "sign-up $id delivered by webhook" "$TMP/kiosk.log"; then
        pass "the log says the sign-up was delivered by email and by webhook"
    else
        fail "the log does not say the sign-up was delivered"
    fi
fi

# Start: back to the slides.
click 640 746
if wait_for 09-back is_slides; then
    pass "Start on the thank-you screen goes back to the slides"
else
    fail "Start did not go back to the slides (see 09-back.png)"
fi

# Escape is for desktop programs; the kiosk stays.
xdotool key Escape
sleep 1
shot 10-escape
if kill -0 "$kiosk_pid" 2>/dev/null && is_slides 10-escape; then
    pass "Escape is ignored: the kiosk still runs and shows the slides"
else
    fail "Escape stopped or changed the kiosk (see 10-escape.png)"
fi

# A second client while both delivery servers are down: the sign-up is
# stored and waits. The kiosk is then stopped (below) with it waiting.
if [ -n "$delivery" ]; then
    kill "$smtp_pid" "$hook_pid" 2>/dev/null
    wait "$smtp_pid" "$hook_pid" 2>/dev/null
    smtp_pid=''
    hook_pid=''
    click 640 746
    wait_for 11-form2 is_form
    click 300 238
    wait_for 12-keyboard2 is_typing
    xdotool type --delay 30 "Bo Chan"
    xdotool key Tab
    xdotool type --delay 30 "0161 496 0000"
    xdotool key Tab
    xdotool type --delay 30 "bo@example.com"
    xdotool key Tab
    wait_for 13-filled2 is_form
    click 950 238
    click 696 357
    wait_for 14-ready2 is_form_ready
    click 1102 744
    if wait_for 15-thanks2 is_thanks; then
        pass "a second sign-up while the mail server and webhook are down is thanked for"
    else
        fail "no thank-you screen for the second sign-up (see 15-thanks2.png)"
    fi
    sleep 1
    id2=$(sed -n 3p "$TMP/signups.csv" | cut -d, -f1)
    if [ -n "$id2" ] && grep -q "sign-up $id2 not delivered by email yet" "$TMP/kiosk.log" &&
        grep -q "sign-up $id2 not delivered by webhook yet" "$TMP/kiosk.log"; then
        pass "it is stored and waits; the log says the servers are unreachable"
    else
        fail "the second sign-up is not stored, or the log does not say it waits"
    fi
fi

# SIGTERM (systemctl stop, or a stray kill): out within 3 s, status 143.
start=$(date +%s%N)
kill -TERM "$kiosk_pid"
(sleep 3 && kill -KILL "$kiosk_pid") >/dev/null 2>&1 &
watchdog=$!
wait "$kiosk_pid"
status=$?
ms=$((($(date +%s%N) - start) / 1000000))
kill "$watchdog" 2>/dev/null
wait "$watchdog" 2>/dev/null
kiosk_pid=
if [ "$status" -eq 143 ] && [ "$ms" -lt 3000 ]; then
    pass "SIGTERM: the kiosk stopped in $ms ms with status 143"
else
    fail "SIGTERM: status $status after $ms ms"
fi
if grep -q "stopping on signal" "$TMP/kiosk.log"; then
    pass "the log says why it stopped"
else
    fail "the log does not say the kiosk stopped on a signal"
fi
# Servers back, kiosk started again: the waiting sign-up arrives, once by
# each route, and the first is not sent again.
if [ -n "$delivery" ] && [ -n "${id2:-}" ]; then
    start_server smtp "$SMTP_PORT" "$TMP/smtp.log" && smtp_pid=$server_pid
    start_server hook "$HOOK_PORT" "$TMP/hook.log" "$TMP/server.pem" "$TMP/server.key" &&
        hook_pid=$server_pid
    start_kiosk "$TMP/kiosk2.log"
    for _ in $(seq 150); do
        grep -q "^MSG <$id2@kiosk>" "$TMP/smtp.log" && grep -q "^POST $id2 " "$TMP/hook.log" &&
            break
        sleep 0.2
    done
    if [ "$(grep -c "^MSG <$id2@kiosk>" "$TMP/smtp.log")" = 1 ] &&
        [ "$(grep -c "^POST $id2 " "$TMP/hook.log")" = 1 ] &&
        [ "$(grep -c "^MSG <$id@kiosk>" "$TMP/smtp.log")" = 1 ] &&
        [ "$(grep -c "^POST $id " "$TMP/hook.log")" = 1 ] &&
        [ "$(grep -c "^MSG" "$TMP/smtp.log")" = 2 ] && [ "$(grep -c "^POST" "$TMP/hook.log")" = 2 ]; then
        pass "after the outage and a restart each sign-up arrived exactly once by each route"
    else
        fail "after the outage and restart the deliveries are not once each (see $TMP/*.log)"
    fi
    kill -TERM "$kiosk_pid"
    wait "$kiosk_pid"
    kiosk_pid=
fi
if cat "$TMP"/kiosk*.log | grep -E "Ann Lee|7946|ann\.lee|Bo Chan|496 0000|bo@ex|s3cret|hook-token" >/dev/null; then
    fail "the log holds the client's details or a secret"
else
    pass "the log holds nothing of the client's details, nor a secret"
fi

if [ "$failed" -gt 0 ]; then
    echo "--- kiosk log"
    cat "$TMP/kiosk.log"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
