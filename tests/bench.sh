#!/usr/bin/env bash
# The kiosk's benchmark: run on demand, not a CTest test. Takes ~10 minutes.
#
#   tests/bench.sh BUILD_DIR        BUILD_DIR holds kiosk and bench_frames
#                                   (BUILD_DIR/bench_frames or BUILD_DIR/tests/)
#   tests/bench.sh path/to/kiosk    bench_frames is looked for next to it, or
#                                   compiled by hand from tests/bench_frames.c
#                                   against the kiosk libraries beside it
#
# Starts its own Xvfb (1920x1080x24), runs the kiosk with the software
# renderer and prints every figure with its unit, then summary tables
# against the targets of the presentation and performance issues. Part 8
# (tests/bench/scale.sh) runs decks of 15, 50 and 200 slides, without and
# with photos, and Chromium in kiosk mode showing the same deck as an HTML
# page, side by side, and prints the ratios. Exits 0 whether or not the
# targets are met; non-zero only when it cannot measure (2 usage, 3 setup).
# Part 8 needs python3-yaml, ImageMagick, a C compiler with libx11-dev and
# libxext-dev, and chromium (Debian packages); without them it is skipped.
#
# Environment: BENCH_PARTS (default "first shot idle frames scale"; also
# "mem" and "loop": the 20 s memory and 60 s loop of the 8-slide deck, which
# part 8 supersedes), BENCH_DISPLAY (default 77; the next free number is used
# when taken), BENCH_RUNS (first-frame runs, default 5), BENCH_SHOT_RUNS
# (screenshot runs, default 3), BENCH_FRAMES (a bench_frames to use),
# BENCH_KEEP=1 keeps the temporary directory (logs, decks, smaps); part 8's
# own settings (runs, sizes, loop lengths) are listed in tests/bench/scale.sh.
set -u
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
arg=${1:-}
if [[ -z $arg || $arg == -h || $arg == --help ]]; then
    sed -n '2,/^set -u/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
    [[ -z $arg ]] && exit 2 || exit 0
fi
if [[ -d $arg ]]; then
    BUILD=$(cd "$arg" && pwd)
    KIOSK=$BUILD/kiosk
else
    d=$(cd "$(dirname "$arg")" 2>/dev/null && pwd) ||
        { echo "bench: no kiosk executable at $arg" >&2; exit 2; }
    KIOSK=$d/$(basename "$arg")
    BUILD=$d
fi
[[ -x $KIOSK ]] || { echo "bench: no kiosk executable at $KIOSK" >&2; exit 2; }
# The sources the kiosk was built from (its deck, fonts, images, headers);
# else the tree this script is in.
SRC=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$BUILD/CMakeCache.txt" 2>/dev/null)
[[ -n $SRC && -d $SRC/slides ]] || SRC=$(cd "$HERE/.." && pwd)
for tool in Xvfb /usr/bin/time awk; do
    command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 3; }
done

BENCH_START=$(date +%s)
T=$(mktemp -d /tmp/kiosk-bench.XXXXXX)
# The kiosk keeps scaled pictures in $XDG_CACHE_HOME/kiosk/images: a private
# one, so that runs start from an empty cache and leave nothing behind.
export XDG_CACHE_HOME=$T/cache
XVFB_PID=
PIDS=()
NAP=
cleanup() {
    local p
    [[ -n $NAP ]] && kill -TERM "$NAP" 2>/dev/null
    for p in "${PIDS[@]}"; do
        [[ -n $p ]] && kill -TERM "$p" 2>/dev/null
    done
    [[ -n $XVFB_PID ]] && kill -TERM "$XVFB_PID" 2>/dev/null
    wait 2>/dev/null
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then
        echo "bench: kept $T" >&2
    else
        rm -rf "$T"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

FRAMES=
for f in "${BENCH_FRAMES:-}" "$BUILD/bench_frames" "$BUILD/tests/bench_frames"; do
    [[ -n $f && -x $f ]] && { FRAMES=$f; break; }
done
if [[ -z $FRAMES ]]; then
    # Not built by CMake: compile it by hand against the libraries beside kiosk
    # (and the headers they were built from). -lcrypt if the core needs it.
    # shellcheck disable=SC2046 # pkg-config's flags are meant to be split
    cc_frames() {
        ${CC:-cc} -std=c11 -O2 -g -D_POSIX_C_SOURCE=200809L -I"$SRC/kiosk" \
            $(pkg-config --cflags sdl2 SDL2_ttf SDL2_image yaml-0.1) \
            "$HERE/bench_frames.c" "$BUILD/libkiosk_shell.a" "$BUILD/libkiosk_core.a" \
            $(pkg-config --libs sdl2 SDL2_ttf SDL2_image yaml-0.1) -lm "$@" \
            -o "$T/bench_frames" 2>>"$T/cc.log"
    }
    if [[ -f $BUILD/libkiosk_shell.a && -f $BUILD/libkiosk_core.a ]] &&
        { cc_frames || cc_frames -lcrypt; }; then
        FRAMES=$T/bench_frames
    else
        cat "$T/cc.log" >&2 2>/dev/null
        echo "bench: no bench_frames and cannot compile it (see BUILD_DIR); figure 7 and the" \
            "floor are skipped" >&2
    fi
fi

# ---- data: the bundled deck, fonts and images ------------------------------
# A private data directory: fonts from the source tree, the bundled deck, and
# its images; where an image is not in the tree yet, a stand-in illustration
# of similar weight (an SVG of gradients and shapes) is written, and said so.
DATA=$T/data
mkdir -p "$DATA/slides" "$DATA/images"
ln -s "$SRC/fonts" "$DATA/fonts"
BUNDLED=$DATA/slides/microneedling.yaml
cp "$SRC/slides/microneedling.yaml" "$BUNDLED"

standin_svg() { # $1 path, $2 seed
    local s=$2
    cat >"$1" <<EOF
<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" viewBox="0 0 800 600">
  <defs>
    <linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#FBE3D6"/><stop offset="1" stop-color="#E8B9A1"/>
    </linearGradient>
    <radialGradient id="r" cx="0.5" cy="0.4" r="0.6">
      <stop offset="0" stop-color="#FFFFFF"/><stop offset="1" stop-color="#1F5F5B"/>
    </radialGradient>
  </defs>
  <rect x="20" y="20" width="760" height="560" rx="48" fill="url(#g)"/>
  <path d="M60 $((400 + s % 40)) C 200 300, 300 500, 420 380 S 640 260, 740 $((360 + s % 60))
           L740 560 L60 560 Z"
        fill="#D49A7E" stroke="#8A4B34" stroke-width="6"/>
  <circle cx="$((200 + s * 37 % 400))" cy="200" r="90" fill="url(#r)" opacity="0.85"/>
  <g fill="#1F5F5B" stroke="#FFFFFF" stroke-width="3">
    <rect x="520" y="$((120 + s % 50))" width="40" height="220" rx="16"
          transform="rotate(-25 540 230)"/>
    <circle cx="300" cy="420" r="14"/><circle cx="360" cy="450" r="10"/>
    <circle cx="420" cy="430" r="12"/><circle cx="480" cy="470" r="9"/>
    <circle cx="540" cy="440" r="13"/><circle cx="600" cy="460" r="8"/>
  </g>
  <path d="M100 120 Q 160 60 220 120 T 340 120" fill="none" stroke="#2B2A28" stroke-width="8"
        stroke-linecap="round"/>
</svg>
EOF
}

STANDINS=0
seed=1
for rel in $(grep -o 'images/[A-Za-z0-9_.-]*' "$BUNDLED" | sort -u); do
    if [[ -r $SRC/$rel ]]; then
        cp "$SRC/$rel" "$DATA/$rel"
    else
        standin_svg "$DATA/$rel.tmp" "$seed"
        if [[ $rel == *.svg ]]; then
            mv "$DATA/$rel.tmp" "$DATA/$rel"
        elif command -v convert >/dev/null; then
            convert -background none "svg:$DATA/$rel.tmp" "$DATA/$rel" 2>/dev/null
            rm -f "$DATA/$rel.tmp"
        fi
        STANDINS=$((STANDINS + 1))
    fi
    seed=$((seed + 1))
done
mapfile -t IMAGES < <(cd "$DATA" && ls images/*.svg images/*.png images/*.jpg 2>/dev/null)
if [[ ${#IMAGES[@]} -eq 0 ]]; then
    standin_svg "$DATA/images/standin.svg" 1
    IMAGES=(images/standin.svg)
fi

# The bundled deck's settings (theme, sign-up, labels) with our own timing
# and slides: everything before "slides:" without the "timing:" block.
deck_head() { # $1 transition, $2 transition_ms
    awk '/^slides:/ { exit }
         /^timing:/ { skip = 1; next }
         skip && /^[^ #]/ { skip = 0 }
         !skip' "$BUNDLED"
    printf 'timing:\n  transition: %s\n  transition_ms: %s\n  inactivity: 60\n' "$1" "$2"
    printf '  form_inactivity: 45\n  thanks: 8\n\nslides:\n'
}
text_slide() { # $1 n, $2 image, $3 duration
    cat <<EOF
  - title: "Slide $1: what microneedling does"
    text: |
      A small device with very fine needles makes tiny punctures in the skin.
      Your skin repairs itself and makes new collagen, so scars look smoother.
    image: $2
    duration: $3

EOF
}
ONE=$DATA/slides/one.yaml
{ deck_head fade 300; text_slide 1 "${IMAGES[0]:-images/none.svg}" 120; } >"$ONE"
LOOP=$DATA/slides/loop8.yaml
{
    deck_head fade 300
    for i in 0 1 2 3 4 5 6 7; do
        text_slide $((i + 1)) "${IMAGES[$((i % ${#IMAGES[@]}))]:-images/none.svg}" 8
    done
} >"$LOOP"
for d in "$BUNDLED" "$ONE" "$LOOP"; do
    if ! KIOSK_DATA_DIR=$DATA "$KIOSK" --check "$d" >"$T/check.log" 2>&1; then
        if grep -q 'error' "$T/check.log"; then
            echo "bench: the deck $d has errors:" >&2
            cat "$T/check.log" >&2
            exit 3
        fi
    fi
done
NSLIDES=$(KIOSK_DATA_DIR=$DATA "$KIOSK" --check "$BUNDLED" 2>/dev/null |
    sed -n 's/.*ok, \([0-9]*\) slides.*/\1/p')

# ---- helpers ---------------------------------------------------------------

ns() { date +%s%N; }
# sleep that a signal interrupts at once (bash defers traps while a
# foreground command runs)
nap() {
    sleep "$1" &
    NAP=$!
    wait "$NAP"
    NAP=
}
# min median max of the numbers on stdin, with a format
stats() {
    sort -g | awk -v f="$1" '{ v[NR] = $1 } END {
        if (NR == 0) { print "n/a n/a n/a"; exit }
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf f " " f " " f "\n", v[1], m, v[NR] }'
}
run_ns() { # time a process has been on a CPU, in ns (scheduler accounting)
    awk '{ print $1 }' "/proc/$1/schedstat" 2>/dev/null || echo 0
}
ticks() { # utime+stime of a process, in clock ticks
    [[ -r /proc/$1/stat ]] || { echo 0; return; }
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}
status_field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }
pss_kib() { awk '$1 == "Pss:" { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null; }
mib() { awk -v k="$1" 'BEGIN { if (k == "") print "n/a"; else printf "%.1f", k / 1024 }'; }
child_of() { # the process time(1) started
    local i
    for i in $(seq 50); do
        local c
        c=$(cat "/proc/$1/task/$1/children" 2>/dev/null | awk '{ print $1 }')
        [[ -n $c ]] && { echo "$c"; return; }
        sleep 0.05
    done
}
forget() { # pids that are gone: the exit trap must not signal them
    local p q keep=()
    for p in "${PIDS[@]}"; do
        for q in "$@"; do [[ $p == "$q" ]] && continue 2; done
        keep+=("$p")
    done
    PIDS=("${keep[@]}")
}
stop_pid() { # TERM, then wait up to 5 s, then KILL
    local p=$1 i
    kill -TERM "$p" 2>/dev/null
    for i in $(seq 50); do
        kill -0 "$p" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null # reaps it when it is our child
    forget "$p"
}
HZ=$(getconf CLK_TCK)
PARTS=" ${BENCH_PARTS:-first shot idle frames scale} "
part() { [[ $PARTS == *" $1 "* ]]; }

# ---- Xvfb ------------------------------------------------------------------
n=${BENCH_DISPLAY:-77}
while [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]]; do n=$((n + 1)); done
DISP=:$n
Xvfb "$DISP" -screen 0 1920x1080x24 -nolisten tcp >"$T/xvfb.log" 2>&1 &
XVFB_PID=$!
for i in $(seq 100); do
    [[ -e /tmp/.X11-unix/X$n ]] && break
    sleep 0.05
done
if [[ ! -e /tmp/.X11-unix/X$n ]]; then
    echo "bench: Xvfb did not start" >&2
    cat "$T/xvfb.log" >&2
    exit 3
fi

KENV=(env "DISPLAY=$DISP" "KIOSK_DATA_DIR=$DATA" SDL_AUDIODRIVER=dummy)
KARGS=(--renderer software --signups "$T/signups.csv")

cpu_jiffies() { # busy and all jiffies of the whole machine
    awk '$1 == "cpu" { busy = $2 + $3 + $4 + $7 + $8; print busy, busy + $5 + $6 }' /proc/stat
}
read -r BUSY0 ALL0 < <(cpu_jiffies)
echo "kiosk benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "  kiosk:        $KIOSK"
echo "  sources:      $SRC (deck, fonts, images)"
echo "  bench_frames: ${FRAMES:-(none)}"
echo "  machine:      $(nproc) CPU, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" \
    "(not a Raspberry Pi: scale before comparing with the Pi)"
echo "  display:      Xvfb $DISP 1920x1080x24, SDL software renderer"
echo "  load before:  $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min; other work on the machine" \
    "disturbs the timings)"
echo "  deck:         bundled, $NSLIDES slides"
[[ $STANDINS -gt 0 ]] &&
    echo "  NOTE:         $STANDINS of the deck's images are not in $SRC/images yet;" \
        "stand-in SVG illustrations (800x600, gradients and paths) were used"
echo

# ---- 1. process start to first frame --------------------------------------
RUNS=${BENCH_RUNS:-5}
first_frame() { # log, command...: wall seconds of each run, one per line
    local log=$1 i t0 t1
    shift
    "$@" >/dev/null 2>&1 # warm the page cache; not counted
    for i in $(seq "$RUNS"); do
        t0=$(ns)
        BENCH_T0_NS=$t0 "$@" >>"$log" 2>&1
        t1=$(ns)
        awk -v d=$(((t1 - t0) / 1000)) 'BEGIN { printf "%.4f\n", d / 1e6 }'
    done
}
in_process() { # log: the floor's own start-to-present times, in seconds
    sed -n 's/^floor first_frame_ms=//p' "$1" | awk '{ printf "%.4f\n", $1 / 1000 }'
}
if part first; then
echo "1. process start to first frame presented (Xvfb 1920x1080, software renderer;" \
    "whole process wall time: start to exit right after the first present;" \
    "$RUNS runs after one warm-up)"
# Runs in this shell (output to a file, not a pipe), so that an interrupt
# waits for the run in progress and the exit trap leaves nothing behind.
first_frame "$T/first.log" "${KENV[@]}" KIOSK_EXIT_AFTER_FIRST_FRAME=1 "$KIOSK" \
    "${KARGS[@]}" "$BUNDLED" >"$T/first.txt"
read -r K1_MIN K1_MED K1_MAX < <(stats %.3f <"$T/first.txt")
size=$(sed -nE 's/.*renderer ([A-Za-z0-9_]+).*[^0-9]([0-9]{3,5}x[0-9]{3,5}).*/\1 \2/p' \
    "$T/first.log" | tail -1)
ok=$(grep -c 'first frame presented' "$T/first.log")
printf '   kiosk               min %s s  median %s s  max %s s   (%s; %s of %s runs presented)\n' \
    "$K1_MIN" "$K1_MED" "$K1_MAX" "$size" "$ok" "$RUNS"
F1_MED=n/a
if [[ -n $FRAMES ]]; then
    FONT=$DATA/fonts/AtkinsonHyperlegible-Regular.ttf
    first_frame "$T/floor-first.log" env DISPLAY="$DISP" "$FRAMES" --floor --font "$FONT" \
        >"$T/floor-first.txt"
    read -r F1_MIN F1_MED F1_MAX < <(stats %.3f <"$T/floor-first.txt")
    read -r _ FI_MED _ < <(in_process "$T/floor-first.log" | stats %.3f)
    printf '   floor, fullscreen   min %s s  median %s s  max %s s' \
        "$F1_MIN" "$F1_MED" "$F1_MAX"
    printf '   (SDL2 + SDL_ttf, one text line; to the present only: median %s s)\n' "$FI_MED"
    first_frame "$T/floor-win.log" env DISPLAY="$DISP" "$FRAMES" --floor --size 1920x1080 \
        --font "$FONT" >"$T/floor-win.txt"
    read -r _ FW_MED _ < <(stats %.3f <"$T/floor-win.txt")
    read -r _ FWI_MED _ < <(in_process "$T/floor-win.log" | stats %.3f)
    printf '   floor, 1920x1080 window (no fullscreen request)  median %s s' "$FW_MED"
    printf ' (to the present only: median %s s)\n' "$FWI_MED"
    echo "   SDL's X11 fullscreen waits up to 100 ms for a window manager at start and again" \
        "at exit; Xvfb has none"
fi
echo
fi

# ---- 2. screenshots --------------------------------------------------------
SRUNS=${BENCH_SHOT_RUNS:-3}
screenshot_times() { # deck: wall seconds per run
    local i t0 t1
    "${KENV[@]}" "$KIOSK" --screenshot "$T/shots-warm" --size 1920x1080 "$1" >/dev/null 2>&1
    for i in $(seq "$SRUNS"); do
        rm -rf "$T/shots"
        t0=$(ns)
        "${KENV[@]}" "$KIOSK" --screenshot "$T/shots" --size 1920x1080 "$1" >"$T/shot.log" 2>&1
        t1=$(ns)
        echo "$(((t1 - t0) / 1000))" | awk '{ printf "%.4f\n", $1 / 1e6 }'
    done
}
if part shot; then
echo "2. kiosk --screenshot DIR --size 1920x1080, whole process ($SRUNS runs after one warm-up)"
screenshot_times "$ONE" >"$T/shot-one.txt"
read -r S1_MIN S1_MED S1_MAX < <(stats %.3f <"$T/shot-one.txt")
S1_N=$(ls "$T/shots" 2>/dev/null | wc -l)
printf '   one-slide deck:  min %s s  median %s s  max %s s   (%s PNGs: 1 slide + %s\n' \
    "$S1_MIN" "$S1_MED" "$S1_MAX" "$S1_N" "the form and thank-you screens)"
screenshot_times "$BUNDLED" >"$T/shot-all.txt"
read -r SA_MIN SA_MED SA_MAX < <(stats %.3f <"$T/shot-all.txt")
SA_N=$(ls "$T/shots" 2>/dev/null | wc -l)
printf '   bundled deck:    min %s s  median %s s  max %s s   (%s PNGs: all screens)\n' \
    "$SA_MIN" "$SA_MED" "$SA_MAX" "$SA_N"
# From the fastest runs, which other load on the machine disturbs least.
S_PER=$(awk -v a="$SA_MIN" -v b="$S1_MIN" -v na="$SA_N" -v nb="$S1_N" \
    'BEGIN { if (na > nb && a > b) printf "%.3f", (a - b) / (na - nb); else print "n/a" }')
S_BASE=$(awk -v b="$S1_MIN" -v p="$S_PER" -v nb="$S1_N" \
    'BEGIN { v = b - (nb - 1) * p; if (p != "n/a" && v > 0) printf "%.3f", v; else print "n/a" }')
echo "   derived from the fastest runs: ${S_PER} s per extra 1080p screen (render + PNG);" \
    "one slide without the form screens would take ~${S_BASE} s"
echo
fi

# ---- 3 and 4. memory while looping -----------------------------------------
smaps_breakdown() { # pid: top mappings by Pss
    awk '/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "[anonymous]"; next }
         $1 == "Pss:" { pss[name] += $2 }
         END { for (n in pss) if (pss[n] >= 256) printf "%8.1f MiB  %s\n", pss[n] / 1024, n }' \
        "/proc/$1/smaps" 2>/dev/null | sort -rn | head -8
}
if part mem; then
echo "3/4. memory of the kiosk in the attract loop (bundled deck, Xvfb 1920x1080)"
/usr/bin/time -v -o "$T/time-loop.txt" "${KENV[@]}" "$KIOSK" "${KARGS[@]}" "$BUNDLED" \
    >"$T/loop.log" 2>&1 &
TPID=$!
PIDS+=("$TPID")
KPID=$(child_of "$TPID")
[[ -n $KPID ]] && PIDS+=("$KPID")
nap 10
PSS=$(pss_kib "$KPID")
RSS10=$(status_field "$KPID" VmRSS)
smaps_breakdown "$KPID" >"$T/smaps-kiosk.txt"
nap 10
HWM=$(status_field "$KPID" VmHWM)
stop_pid "$KPID"
wait "$TPID" 2>/dev/null
forget "$TPID"
MAXRSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$T/time-loop.txt")
printf '   peak RSS over 20 s (ru_maxrss):  %s MiB   (VmHWM %s MiB)\n' \
    "$(mib "$MAXRSS")" "$(mib "$HWM")"
printf '   PSS after 10 s:                  %s MiB   (RSS %s MiB)\n' \
    "$(mib "$PSS")" "$(mib "$RSS10")"
echo "   largest mappings by PSS at 10 s:"
sed 's/^/     /' "$T/smaps-kiosk.txt"
F3=n/a F4=n/a
if [[ -n $FRAMES ]]; then
    /usr/bin/time -v -o "$T/time-floor.txt" env DISPLAY="$DISP" "$FRAMES" --floor --hold 3 \
        --font "$DATA/fonts/AtkinsonHyperlegible-Regular.ttf" >/dev/null 2>&1 &
    TPID=$!
    PIDS+=("$TPID")
    FPID=$(child_of "$TPID")
    nap 2
    F4=$(pss_kib "$FPID")
    smaps_breakdown "$FPID" >"$T/smaps-floor.txt"
    wait "$TPID" 2>/dev/null
    forget "$TPID" "$FPID"
    F3=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$T/time-floor.txt")
    printf '   floor: peak RSS %s MiB, PSS %s MiB; its largest mappings:\n' \
        "$(mib "$F3")" "$(mib "$F4")"
    sed 's/^/     /' "$T/smaps-floor.txt"
fi
echo
fi

# ---- 5. idle on one standing slide ----------------------------------------
if part idle; then
echo "5. CPU while one slide stands still for 30 s (one-slide deck, duration 120 s)"
"${KENV[@]}" "$KIOSK" "${KARGS[@]}" "$ONE" >"$T/idle.log" 2>&1 &
KPID=$!
PIDS+=("$KPID")
nap 3
t0=$(ticks "$KPID") c0=$(status_field "$KPID" voluntary_ctxt_switches) r0=$(run_ns "$KPID")
nap 30
t1=$(ticks "$KPID") c1=$(status_field "$KPID" voluntary_ctxt_switches) r1=$(run_ns "$KPID")
kill -0 "$KPID" 2>/dev/null || echo "   (the kiosk exited early; see its log)"
stop_pid "$KPID"
IDLE=$((t1 - t0))
WAKE=$(( ${c1:-0} - ${c0:-0} ))
printf '   %s ticks (1 tick = %s ms) of user+system CPU in 30 s; %s wake-ups%s\n' \
    "$IDLE" "$((1000 / HZ))" "$WAKE" " (voluntary context switches)"
IDLE_MS=$(awk -v d=$((r1 - r0)) 'BEGIN { printf "%.2f", d / 1e6 }')
echo "   on-CPU time by the scheduler's clock (/proc/PID/schedstat): $IDLE_MS ms in 30 s"
echo
fi

# ---- 6. the attract loop ---------------------------------------------------
if part loop; then
echo "6. CPU over 60 s of attract loop (8 text+image slides, 8 s each, 300 ms cross-fade)"
"${KENV[@]}" "$KIOSK" "${KARGS[@]}" "$LOOP" >"$T/attract.log" 2>&1 &
KPID=$!
PIDS+=("$KPID")
nap 2
t0=$(ticks "$KPID") x0=$(ticks "$XVFB_PID")
w0=$(ns)
nap 60
t1=$(ticks "$KPID") x1=$(ticks "$XVFB_PID")
w1=$(ns)
LOOP_HWM=$(status_field "$KPID" VmHWM)
LOOP_PSS=$(pss_kib "$KPID")
stop_pid "$KPID"
LOOPCPU=$(awk -v d=$((t1 - t0)) -v hz="$HZ" -v w=$(((w1 - w0) / 1000000)) \
    'BEGIN { printf "%.2f", d / hz / (w / 1000) * 100 }')
XCPU=$(awk -v d=$((x1 - x0)) -v hz="$HZ" -v w=$(((w1 - w0) / 1000000)) \
    'BEGIN { printf "%.2f", d / hz / (w / 1000) * 100 }')
printf '   kiosk %s %% of one core (%s ticks); the X server (Xvfb) meanwhile %s %%\n' \
    "$LOOPCPU" "$((t1 - t0))" "$XCPU"
printf '   after the whole loop (every slide and image seen): peak RSS %s MiB, PSS %s MiB\n' \
    "$(mib "$LOOP_HWM")" "$(mib "$LOOP_PSS")"
echo
fi

# ---- 7. transition frames --------------------------------------------------
declare -A FR
frames_run() { # label, env...: parse bench_frames output into FR[label:kind:size]
    local label=$1
    shift
    "$@" "$FRAMES" --data "$DATA" --deck "$BUNDLED" --frames 200 >"$T/frames-$label.txt" \
        2>"$T/frames-$label.err" || { echo "   ($label: bench_frames failed, see below)"; \
        sed 's/^/     /' "$T/frames-$label.err"; return; }
    while read -r _ kind size _ avg p50 _ max _ _; do
        FR[$label:${kind#kind=}:${size#size=}]="${avg#avg_ms=} ${max#max_ms=} ${p50#p50_ms=}"
    done < <(grep '^frame ' "$T/frames-$label.txt")
}
if part frames && [[ -n $FRAMES ]]; then
    echo "7. one frame of a transition: render_frame + SDL_RenderPresent, software renderer," \
        "200 frames spread over the transition"
    echo "   (SDL batches draw calls, so nearly all of the time shows up in the present)"
    frames_run offscreen env SDL_VIDEODRIVER=offscreen
    frames_run x11 env SDL_VIDEODRIVER=x11 DISPLAY="$DISP"
    printf '   %-11s %-10s %-10s %10s %10s %10s\n' driver kind size "avg ms" "median ms" "max ms"
    for label in offscreen x11; do
        for size in 1920x1080 1280x800; do
            for kind in fade slide none floor-fade floor-copy; do
                v=${FR[$label:$kind:$size]:-}
                [[ -n $v ]] || continue
                read -r a m p <<<"$v"
                printf '   %-11s %-10s %-10s %10s %10s %10s\n' \
                    "$label" "$kind" "$size" "$a" "$p" "$m"
            done
        done
    done
    echo "   none = a standing slide redrawn; floor-copy = one opaque full-screen texture copy;"
    echo "   floor-fade = that plus one alpha-modulated full-screen copy (the least a fade costs)"
    echo
fi

# ---- 8. deck size, photos, and Chromium ------------------------------------
if part scale; then
    # shellcheck source=tests/bench/scale.sh
    source "$HERE/bench/scale.sh"
    echo
fi

# ---- summary ---------------------------------------------------------------
read -r BUSY1 ALL1 < <(cpu_jiffies)
awk -v b=$((BUSY1 - BUSY0)) -v a=$((ALL1 - ALL0)) -v n="$(nproc)" 'BEGIN {
    if (a > 0) printf "Whole machine busy %.0f %% of %d CPUs during the bench (the kiosk itself " \
        "uses little; much more means other work disturbed the figures)\n\n", b / a * 100, n }'

verdict() { # value op target
    awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN {
        if (v == "n/a" || v == "" || v ~ /^~?n\/a/) { print "n/a"; exit }
        sub(/^~/, "", v)
        ok = (op == "<=") ? (v + 0 <= t + 0) : (op == ">=") ? (v + 0 >= t + 0) : (v + 0 == t + 0)
        print ok ? "met" : "MISSED" }'
}
fr() { local v=${FR[$1]:-}; echo "${v%% *}"; }
row() { printf '| %-46s | %-13s | %-13s | %-10s | %-6s |\n' "$@"; }
if part first || part shot || part mem || part idle || part loop || part frames; then
echo "Summary (kiosk vs. the floor: the minimal SDL2 + SDL_ttf program showing one text line)"
row figure kiosk floor target result
row ---------------------------------------------- ------------- ------------- ---------- ------
fi
if part first; then
row "1. start to first frame, median" "$K1_MED s" "$F1_MED s" "<= 0.2 s" \
    "$(verdict "$K1_MED" '<=' 0.2)"
row "   (fastest run)" "$K1_MIN s" "${F1_MIN:-n/a} s" "<= 0.2 s" "$(verdict "$K1_MIN" '<=' 0.2)"
fi
if part shot; then
row "2. screenshot, one-slide deck ($S1_N screens)" "$S1_MED s" "-" "<= 0.4 s" \
    "$(verdict "$S1_MED" '<=' 0.4)"
row "   (derived: one slide, no form screens)" "~$S_BASE s" "-" "<= 0.4 s" \
    "$(verdict "$S_BASE" '<=' 0.4)"
row "   screenshot, bundled deck ($SA_N screens)" "$SA_MED s" "-" "-" "-"
fi
if part mem; then
row "3. peak RSS, 20 s attract loop" "$(mib "$MAXRSS") MiB" "$(mib "$F3") MiB" "<= 48 MiB" \
    "$(verdict "$(mib "$MAXRSS")" '<=' 48)"
row "4. PSS looping (at 10 s)" "$(mib "$PSS") MiB" "$(mib "$F4") MiB" "<= 40 MiB" \
    "$(verdict "$(mib "$PSS")" '<=' 40)"
fi
if part loop; then
row "   peak RSS / PSS after a full 8-slide loop" "$(mib "$LOOP_HWM")/$(mib "$LOOP_PSS") MiB" "-" \
    "48/40 MiB" "$(verdict "$(mib "$LOOP_HWM")" '<=' 48)/$(verdict "$(mib "$LOOP_PSS")" '<=' 40)"
fi
if part idle; then
row "5. idle 30 s, one standing slide" "$IDLE ticks" "-" "0 ticks" "$(verdict "$IDLE" '==' 0)"
row "   (on-CPU time, schedstat)" "$IDLE_MS ms" "-" "-" "-"
fi
if part loop; then
row "6. attract loop, 8 s slides, 300 ms fade" "$LOOPCPU %" "-" "<= 1.5 %" \
    "$(verdict "$LOOPCPU" '<=' 1.5)"
fi
if part frames; then
for label in offscreen x11; do
    for kind in fade slide; do
        for size in 1920x1080 1280x800; do
            target=8
            [[ $size == 1280x800 ]] && target=4
            floor="floor-fade"
            [[ $kind == slide ]] && floor="floor-copy"
            v=$(fr "$label:$kind:$size")
            [[ -n $v ]] || continue
            row "7. $kind frame $size, $label (avg)" "$v ms" "$(fr "$label:$floor:$size") ms" \
                "<= $target ms" "$(verdict "$v" '<=' $target)"
        done
    done
done
fi
if part scale && [[ ${sc_ok:-0} == 1 ]]; then
    b=${SC_SIZES[0]}
    big=${SC_DECKS[-1]%p}
    trow() { printf '| %-62s | %-9s | %-9s | %-7s | %-6s |\n' "$@"; }
    sv() { awk -v v="$1" 'BEGIN { if (v == "" || v == "n/a") print "n/a"; else print v }'; }
    echo
    echo "Summary, part 8 (ratios from this run; software renderer unless said;" \
        "the bundled deck = the $b-slide deck, p = with $SC_PHOTOS photos)"
    trow ratio "a" "b" target result
    trow -------------------------------------------------------------- --------- --------- \
        ------- ------
    r=$(ratio "${SC[hwm:${b}p:k]:-}" "${SC[hwm:$b:k]:-}")
    trow "peak RSS, $SC_PHOTOS-photo deck / bundled deck (kiosk)" "$(mib "${SC[hwm:${b}p:k]:-}") MiB" \
        "$(mib "${SC[hwm:$b:k]:-}") MiB" "<= 1.2" "$(verdict "$r" '<=' 1.2) ($r)"
    r=$(ratio "${SC[cpu:${b}p:k]:-}" "${SC[cpu:$b:k]:-}")
    trow "attract-loop CPU, $SC_PHOTOS-photo / bundled, after the first loop" \
        "$(sv "${SC[cpu:${b}p:k]:-}") %" "$(sv "${SC[cpu:$b:k]:-}") %" "<= 1.2" \
        "$(verdict "$r" '<=' 1.2) ($r)"
    r=$(ratio "${SC[ff:$big:software]:-}" "${SC[ff:$b:software]:-}")
    trow "start to first frame, ${SC_LABEL[$big]} slides / $b slides" \
        "$(sv "${SC[ff:$big:software]:-}") s" "$(sv "${SC[ff:$b:software]:-}") s" "<= 1.1" \
        "$(verdict "$r" '<=' 1.1) ($r)"
    r=$(ratio "${SC[ffmin:$big:software]:-}" "${SC[ffmin:$b:software]:-}")
    trow "   the same, fastest runs (least disturbed by other load)" \
        "$(sv "${SC[ffmin:$big:software]:-}") s" "$(sv "${SC[ffmin:$b:software]:-}") s" "<= 1.1" \
        "$(verdict "$r" '<=' 1.1) ($r)"
    r=$(ratio "${SC[ffcpu:$big:software]:-}" "${SC[ffcpu:$b:software]:-}")
    trow "   the same, CPU time of the process (user + system)" \
        "$(sv "${SC[ffcpu:$big:software]:-}") s" "$(sv "${SC[ffcpu:$b:software]:-}") s" "-" "($r)"
    r=$(ratio "${SC[ff:${big}p:software]:-}" "${SC[ff:${b}p:software]:-}")
    trow "   the same with photos (not a target)" \
        "$(sv "${SC[ff:${big}p:software]:-}") s" "$(sv "${SC[ff:${b}p:software]:-}") s" "-" "($r)"
    r=$(ratio "${SC[pss:$b:c]:-}" "${SC[pss:$b:k]:-}")
    trow "PSS while looping, Chromium / kiosk" "$(mib "${SC[pss:$b:c]:-}") MiB" \
        "$(mib "${SC[pss:$b:k]:-}") MiB" ">= 10" "$(verdict "$r" '>=' 10) ($r)"
    r=$(ratio "${SC[os:$b:chr]:-}" "${SC[os:$b:kdef]:-}")
    trow "start to first slide on screen, default renderer, Chromium / kiosk" \
        "$(sv "${SC[os:$b:chr]:-}") s" "$(sv "${SC[os:$b:kdef]:-}") s" ">= 3" \
        "$(verdict "$r" '>=' 3) ($r)"
    r=$(ratio "${SC[os:$b:chr]:-}" "${SC[os:$b:ksw]:-}")
    trow "   the same, kiosk with the software renderer (not a target)" \
        "$(sv "${SC[os:$b:chr]:-}") s" "$(sv "${SC[os:$b:ksw]:-}") s" "-" "($r)"
    k=$SC_SHOT_KEY
    r=$(ratio "${SC[sh:$k:c]:-}" "${SC[sh:$k:k]:-}")
    trow "--screenshot of one slide, Chromium / kiosk (${SC[shotn:$k]:-?} PNG)" \
        "$(sv "${SC[sh:$k:c]:-}") s" "$(sv "${SC[sh:$k:k]:-}") s" ">= 3" \
        "$(verdict "$r" '>=' 3) ($r)"
    r=$(ratio "${SC[cpu:$b:c]:-}" "${SC[cpu:$b:k]:-}")
    trow "attract-loop CPU, Chromium / kiosk" "$(sv "${SC[cpu:$b:c]:-}") %" \
        "$(sv "${SC[cpu:$b:k]:-}") %" ">= 2" "$(verdict "$r" '>=' 2) ($r)"
    r=$(ratio "${SC[cpux:$b:c]:-}" "${SC[cpux:$b:k]:-}")
    trow "   the same, each with its X server (not a target)" "$(sv "${SC[cpux:$b:c]:-}") %" \
        "$(sv "${SC[cpux:$b:k]:-}") %" "-" "($r)"
fi
echo
echo "bench took $(( $(date +%s) - BENCH_START )) s"
exit 0
