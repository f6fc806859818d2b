#!/usr/bin/env bash
# Command-line tests of kiosk: exit statuses (0 ok, 1 invalid deck, 2 usage
# error) and the messages a person sees. Run by CTest as
#   bash tests/cli.test.sh <kiosk-binary> <source-dir>
# with KIOSK_DATA_DIR=<source-dir>. Prints "N passed, M failed"; the exit
# status is 1 when anything failed.
set -u

KIOSK=${1:?usage: cli.test.sh KIOSK-BINARY SOURCE-DIR}
SRC=${2:?usage: cli.test.sh KIOSK-BINARY SOURCE-DIR}
export KIOSK_DATA_DIR=${KIOSK_DATA_DIR:-$SRC}
# Nothing here should open a window; if an option were wrongly accepted the
# kiosk would start, so every run is bounded and needs no display.
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
TIMEOUT_S=60

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-cli.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
OUT=$TMP/stdout
ERR=$TMP/stderr

passed=0
failed=0
status=0

# run ARGS...: runs kiosk, keeping stdout, stderr and the exit status.
run() {
    timeout "$TIMEOUT_S" "$KIOSK" "$@" >"$OUT" 2>"$ERR"
    status=$?
}

ok() {
    passed=$((passed + 1))
    printf 'ok   %s\n' "$1"
}

not_ok() {
    failed=$((failed + 1))
    printf 'FAIL %s\n' "$1"
    shift
    for line in "$@"; do
        printf '     %s\n' "$line"
    done
    printf '     stdout: %s\n' "$(head -c 2000 "$OUT")"
    printf '     stderr: %s\n' "$(head -c 2000 "$ERR")"
}

# expect NAME STATUS [--out TEXT] [--err TEXT] [--err-line LINE] -- ARGS...
#   --out/--err: the stream contains TEXT; --err-line: stderr has exactly
#   this line.
expect() {
    local name=$1 want=$2
    shift 2
    local checks=()
    while [ "$1" != "--" ]; do
        checks+=("$1" "$2")
        shift 2
    done
    shift
    run "$@"
    local why=()
    if [ "$status" -ne "$want" ]; then
        why+=("exit status $status, expected $want (kiosk $*)")
    fi
    local i
    for ((i = 0; i < ${#checks[@]}; i += 2)); do
        local kind=${checks[i]} text=${checks[i + 1]}
        case $kind in
        --out) grep -qF -- "$text" "$OUT" || why+=("stdout lacks: $text") ;;
        --err) grep -qF -- "$text" "$ERR" || why+=("stderr lacks: $text") ;;
        --err-line) grep -qxF -- "$text" "$ERR" || why+=("stderr lacks the line: $text") ;;
        esac
    done
    if [ ${#why[@]} -eq 0 ]; then
        ok "$name"
    else
        not_ok "$name" "${why[@]}"
    fi
}

# --- help, version, usage errors (exit 2, nothing loaded) -----------------
expect "--help prints the usage" 0 --out "usage: kiosk" --out "--check" -- --help
expect "-h prints the usage" 0 --out "usage: kiosk" -- -h
expect "--version" 0 --out "kiosk " -- --version
expect "unknown option" 2 --err "unknown option '--bogus'" --err "kiosk --help" -- --bogus
for size in abc 10x10 800x x480 800x480x2 -800x480 100000x480; do
    expect "--size $size is refused" 2 --err "bad --size '$size'" -- --size "$size" --check \
        "$SRC/tests/decks/warnings.yaml"
done
expect "--size without a value" 2 --err "option '--size' needs a value" -- --size
expect "--screenshot without a value" 2 --err "option '--screenshot' needs a value" \
    -- --check --screenshot
expect "--signups with an empty value" 2 --err "option '--signups' needs a value" -- --signups ""
expect "two decks" 2 --err "more than one deck given" \
    -- --check "$SRC/tests/decks/warnings.yaml" "$SRC/tests/decks/broken.yaml"

# --- --check: every deck in slides/ passes --------------------------------
shopt -s nullglob
decks=("$SRC"/slides/*.yaml)
if [ ${#decks[@]} -eq 0 ]; then
    run --version
    not_ok "every deck in slides/ passes --check" "no decks in $SRC/slides"
fi
for deck in "${decks[@]}"; do
    base=${deck%.*.yaml}.yaml
    if [ "$base" != "$deck" ] && [ -f "$base" ]; then
        # A translation (x.es.yaml) is checked with its deck.
        expect "--check ${deck#"$SRC"/} checks its deck" 0 \
            --out "$deck is a translation of $base" --out "$base: ok, " -- --check "$deck"
        continue
    fi
    expect "--check ${deck#"$SRC"/}" 0 --out "$deck: ok, " -- --check "$deck"
done

# --- --check: translations ---------------------------------------------------
# The bundled Spanish: complete, and every slide fits 800x480 in both text
# sizes in both languages (a slide that did not would be a warning).
expect "--check: the bundled Spanish is complete and fits" 0 \
    --err-line "$SRC/slides/microneedling.es.yaml: note: Español (es): 0 texts not translated" \
    --out ", 0 warnings" -- --check "$SRC/slides/microneedling.yaml"

# What a translation leaves is listed at the deck's FILE:LINE:COL; a broken
# translation fails --check with its own FILE:LINE:COL and is left out.
mkdir -p "$TMP/tr"
printf 'language: {code: en, name: English}\nlabels:\n  next: Next\nslides:\n  - title: Hello there\n    text: Welcome\n' \
    >"$TMP/tr/d.yaml"
printf 'language: {code: es, name: Español}\nslides:\n  - name: hello-there\n    title: Hola\n' \
    >"$TMP/tr/d.es.yaml"
expect "--check lists what a translation leaves untranslated" 0 \
    --err-line "$TMP/tr/d.yaml:3:9: note: not translated into Español (es in $TMP/tr/d.es.yaml): 'next: Next'" \
    --err-line "$TMP/tr/d.yaml:6:11: note: not translated into Español (es in $TMP/tr/d.es.yaml): 'text: Welcome'" \
    --err-line "$TMP/tr/d.es.yaml: note: Español (es): 2 texts not translated" \
    --out "$TMP/tr/d.yaml: ok, 1 slide, 0 warnings" -- --check "$TMP/tr/d.yaml"
printf 'language: {code: fr, name: Français}\nlabels:\n  nxt: Suivant\n' >"$TMP/tr/d.fr.yaml"
expect "--check a broken translation" 1 \
    --err-line "$TMP/tr/d.fr.yaml:3:3: error: unknown key 'nxt' in the labels (did you mean 'next'?)" \
    --err-line "$TMP/tr/d.fr.yaml: warning: this translation is left out until its errors are fixed; the deck shows in its other languages" \
    --err "$TMP/tr/d.yaml: 1 error" -- --check "$TMP/tr/d.yaml"
rm "$TMP/tr/d.fr.yaml"

# Larger text must be larger: a slide so full that its larger text would
# shrink back towards normal size is reported, for that language and size.
long="Words that go on and on across the screen to fill it up."
printf 'slides:\n  - title: Full\n    text: |\n      %s\n      %s\n      %s\n      %s\n' \
    "$long" "$long" "$long" "$long" >"$TMP/tr/full.yaml"
expect "--check: larger text that would not be larger is a warning" 0 \
    --err "$TMP/tr/full.yaml:2:5: warning: slide 1 (English, larger text) has text of" \
    --err "not 1.3x the normal" -- --check "$TMP/tr/full.yaml"

# --- screenshots in a language, in larger text ------------------------------
expect "--screenshot --lang refuses a language the deck lacks" 2 \
    --err "kiosk: --lang: the deck has no language 'xx' (expected one of: en es)" \
    -- --screenshot "$TMP/shots-view" --screens form-empty --lang xx "$SRC/slides/microneedling.yaml"
expect "--screenshot in Spanish, larger text" 0 --out "1 screens written" \
    -- --screenshot "$TMP/shots-view" --screens form-empty --lang es --larger-text --size 800x480 \
    "$SRC/slides/microneedling.yaml"

# --- --check: the complete example in slides/README.md is a valid deck -----
example=$TMP/readme-example.yaml
awk '/<!-- example deck: checked by tests\/cli.test.sh -->/ { found = 1; next }
     found == 1 && /^```yaml/ { found = 2; next }
     found == 2 && /^```/ { exit }
     found == 2 { print }' "$SRC/slides/README.md" >"$example"
if [ -s "$example" ]; then
    expect "--check the example deck in slides/README.md" 0 --out "$example: ok, " \
        --out ", 0 warnings" -- --check "$example"
else
    run --version
    not_ok "--check the example deck in slides/README.md" "no example deck found in it"
fi

# --- --check: broken, missing and odd files --------------------------------
broken=$SRC/tests/decks/broken.yaml
expect "--check a broken deck" 1 \
    --err-line "$broken:7:5: error: unknown key 'titel' in a slide (did you mean 'title'?)" \
    --err-line "$broken: 1 error, 0 warnings" -- --check "$broken"
expect "a broken deck is not shown" 1 --err "$broken:7:5: error:" \
    --err "cannot be shown" -- --windowed "$broken"
expect "--check a missing file" 1 \
    --err-line "$TMP/nope.yaml: error: cannot open the deck: No such file or directory (expected a readable YAML file)" \
    -- --check "$TMP/nope.yaml"
expect "--check a directory" 1 --err-line "$TMP: error: is a directory (expected a YAML file)" \
    -- --check "$TMP"
: >"$TMP/empty.yaml"
expect "--check an empty file" 1 \
    --err-line "$TMP/empty.yaml:1:1: error: the deck is empty (expected a mapping with a 'slides:' list)" \
    -- --check "$TMP/empty.yaml"
printf 'title: No slides yet\nslides:\n' >"$TMP/no-slides.yaml"
expect "--check a deck whose slides: is empty" 1 \
    --err-line "$TMP/no-slides.yaml:2:1: error: 'slides' is empty (expected at least one slide)" \
    -- --check "$TMP/no-slides.yaml"
printf '\xEF\xBB\xBFslides:\r\n  - titel: A\r\n' >"$TMP/notepad.yaml"
expect "--check a Notepad deck (BOM, CRLF)" 1 \
    --err-line "$TMP/notepad.yaml:2:5: error: unknown key 'titel' in a slide (did you mean 'title'?)" \
    -- --check "$TMP/notepad.yaml"

# The booking link is https only: --check says so, with its place.
printf 'signup:\n  booking_url: http://clinic.example/book\nslides:\n  - title: A\n' >"$TMP/http.yaml"
expect "--check a booking_url that is not https" 1 \
    --err-line "$TMP/http.yaml:2:16: error: booking_url 'http://clinic.example/book' is not a web link (expected an https:// URL, like 'https://clinic.example/book')" \
    -- --check "$TMP/http.yaml"
printf 'signup:\n  booking_url: https://clinic.example/book\nslides:\n  - title: A\n' >"$TMP/https.yaml"
expect "--check a booking_url over https" 0 --out "$TMP/https.yaml: ok, " -- --check "$TMP/https.yaml"

# --- --check: warnings alone do not fail -----------------------------------
warnings=$SRC/tests/decks/warnings.yaml
expect "--check a deck with only warnings" 0 \
    --err-line "$warnings:9:15: warning: duration 3 s is short for 29 words (about 14 s are needed to read them)" \
    --out "$warnings: ok, " --out ", 1 warning" -- --check "$warnings"

# --- a display that cannot be opened: exit 3 and say what to fix ----------
# No KMS device in a build machine or container: the message names it.
if [ ! -e /dev/dri/card0 ] && [ ! -e /dev/dri/card1 ]; then
    SDL_VIDEODRIVER=kmsdrm expect "no display: exit 3 with the cause" 3 \
        --err "cannot open the display" --err "No /dev/dri/card* device" \
        -- --signups "$TMP/s.csv"
fi
saved_display=${DISPLAY-} saved_wayland=${WAYLAND_DISPLAY-}
unset DISPLAY WAYLAND_DISPLAY
SDL_VIDEODRIVER=x11 expect "no desktop: exit 3 with the cause" 3 \
    --err "No desktop session found" -- --signups "$TMP/s.csv"
[ -n "$saved_display" ] && export DISPLAY=$saved_display
[ -n "$saved_wayland" ] && export WAYLAND_DISPLAY=$saved_wayland

# --- settings: checked by --check too, with file:line:col ------------------
printf 'rotaion: 90\n' >"$TMP/kiosk.yaml"
expect "--check a settings file with a typo" 1 \
    --err-line "$TMP/kiosk.yaml:1:1: error: unknown key 'rotaion' in the settings file (did you mean 'rotation'?)" \
    --err "$TMP/kiosk.yaml: 1 error" -- --check --config "$TMP/kiosk.yaml"
printf 'rotation: 90\n' >"$TMP/kiosk.yaml"
expect "--check a good settings file" 0 --out "$TMP/kiosk.yaml: ok" \
    -- --check --config "$TMP/kiosk.yaml"

# --screens: a quick preview of only what is named; a name that matches
# nothing is an error, not an empty folder.
expect "--screens renders only the named screens" 0 --out "2 screens written" \
    -- --screenshot "$TMP/shots" --screens what-is-microneedling,form-filled --size 800x480
n=$(ls "$TMP/shots" 2>/dev/null | tr '\n' ' ')
if [ "$n" = "02-what-is-microneedling.png 19-form-filled.png " ]; then
    ok "--screens keeps each picture's number in the whole set"
else
    not_ok "--screens wrote: $n"
fi
expect "--screens with a name that matches nothing" 2 \
    --err "no slide or screen named 'bogus'" -- --screenshot "$TMP/shots2" --screens bogus

# --- --check: the delivery section (addresses, URLs, secret files) ---------
deliv() { # deliv FILE PASSWORD-FILE TOKEN-FILE CA-FILE WEBHOOK-URL
    printf 'delivery:\n  email:\n    to: frontdesk@clinic.example\n    from: kiosk@clinic.example\n' >"$1"
    printf '    smtp: smtp://mail.clinic.example:587\n    user: kiosk\n    password_file: %s\n' "$2" >>"$1"
    printf '    ca_file: %s\n  webhook:\n    url: %s\n    token_file: %s\n' "$4" "$5" "$3" >>"$1"
}
printf 'pw\n' >"$TMP/smtp-password"
printf 'tok\n' >"$TMP/webhook-token"
printf 'pem\n' >"$TMP/ca.pem"
chmod 600 "$TMP/smtp-password" "$TMP/webhook-token"
deliv "$TMP/deliv.yaml" "$TMP/smtp-password" "$TMP/webhook-token" "$TMP/ca.pem" https://crm.example/hooks/kiosk
expect "--check a delivery section" 0 --out "$TMP/deliv.yaml: ok" \
    -- --check --config "$TMP/deliv.yaml"
chmod 644 "$TMP/smtp-password"
expect "--check a password file others can read" 1 \
    --err "delivery.email.password_file: $TMP/smtp-password can be read by other users (expected it private: sudo chmod 600 $TMP/smtp-password)" \
    -- --check --config "$TMP/deliv.yaml"
chmod 600 "$TMP/smtp-password"
deliv "$TMP/deliv.yaml" "$TMP/smtp-password" "$TMP/no-token" "$TMP/no-ca.pem" https://crm.example/hooks/kiosk
expect "--check a missing token file and CA file" 1 \
    --err "delivery.webhook.token_file: $TMP/no-token: cannot read it: No such file or directory" \
    --err "delivery.email.ca_file: $TMP/no-ca.pem cannot be read: No such file or directory" \
    --err "$TMP/deliv.yaml: 2 errors" -- --check --config "$TMP/deliv.yaml"
deliv "$TMP/deliv.yaml" "$TMP/smtp-password" "$TMP/webhook-token" "$TMP/ca.pem" http://crm.example/hooks/kiosk
expect "--check a webhook without TLS" 1 \
    --err "error: 'url' sends sign-ups unencrypted (expected an https:// address" \
    -- --check --config "$TMP/deliv.yaml"

# A settings file the user may not read (the desktop install, before the
# user joins the kiosk group): the fix is spelled out. Root reads anything,
# so as root this runs as 'nobody'.
printf 'rotation: 0\n' >"$TMP/private.yaml"
chmod 600 "$TMP/private.yaml"
chmod 755 "$TMP"
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
    KIOSK_REAL=$KIOSK
    KIOSK="setpriv --reuid=nobody --regid=nogroup --clear-groups $KIOSK_REAL"
    # shellcheck disable=SC2086
    run() { timeout "$TIMEOUT_S" $KIOSK "$@" >"$OUT" 2>"$ERR"; status=$?; }
    expect "an unreadable settings file says how to fix it" 1 \
        --err "user nobody may not read $TMP/private.yaml" --err "sudo adduser nobody kiosk" \
        -- --check --config "$TMP/private.yaml"
    KIOSK=$KIOSK_REAL
fi

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
