# shellcheck shell=bash
# Part 8 of tests/bench.sh (sourced by it, not run alone): deck size, photos,
# and the alternative a clinic would choose, Chromium in kiosk mode showing
# the same deck as one HTML page, measured side by side in the same run.
#
# Uses bench.sh's helpers and variables: KIOSK, HERE, SRC, T, DATA, BUNDLED,
# DISP (Xvfb 1920x1080), PIDS, ns, nap, stats, ticks, status_field, pss_kib,
# mib, stop_pid, forget, HZ, XVFB_PID.
#
# Decks: the bundled deck's slides repeated with new names to 15, 50 and 200
# slides (the sign-up slide kept last), each as it is ("svg": the bundled
# illustrations) and with a 4032x3024 JPEG on every slide that has a picture
# ("photo"), every slide BENCH_SLIDE_S seconds (default 2, the shortest a
# deck allows, so that a minute of attract loop holds 30 slide changes), the
# deck's own 300 ms fade. tests/bench/deck2html.py turns each into an HTML
# page with the same texts, pictures, colours, fonts, fades and durations.
#
# Environment: BENCH_SIZES ("15 50 200"), BENCH_SLIDE_S (2),
# BENCH_SCALE_RUNS (5: timed start-up runs per deck and renderer, after one
# warm-up), BENCH_SCREEN_RUNS (2: timed on-screen runs per deck and side),
# BENCH_SHOT2_RUNS (3: screenshot runs per side), BENCH_LOOP_S (60: the
# attract-loop window of the smallest decks, which the targets use),
# BENCH_LOOP_BIG_S (20: the window of the larger decks), BENCH_LOOP_WARM_MAX
# (40: a deck whose first loop is this short is measured after its first
# loop, a longer one after 3 s), BENCH_CHROMIUM (chromium). Each timed
# figure has one warm-up run per program before its rounds (not counted).

read -r -a SC_SIZES <<<"${BENCH_SIZES:-15 50 200}"
SC_SLIDE_S=${BENCH_SLIDE_S:-2}
SC_RUNS=${BENCH_SCALE_RUNS:-5}
SC_ORUNS=${BENCH_SCREEN_RUNS:-2}
SC_SRUNS=${BENCH_SHOT2_RUNS:-3}
SC_LOOP_S=${BENCH_LOOP_S:-60}
SC_LOOP_BIG_S=${BENCH_LOOP_BIG_S:-20}
SC_WARM_MAX=${BENCH_LOOP_WARM_MAX:-40}
CHROMIUM=${BENCH_CHROMIUM:-$(command -v chromium || true)}
declare -A SC # results, by "figure:deck[:side]"

sc_t0=$(ns)
echo "8. deck size, photos, and Chromium in kiosk mode showing the same deck"
sc_ok=1
for tool in python3 convert cc; do
    command -v "$tool" >/dev/null || { echo "   skipped: needs $tool"; sc_ok=0; }
done
python3 -c 'import yaml' 2>/dev/null || { echo "   skipped: needs PyYAML (python3-yaml)"; sc_ok=0; }
ONSCREEN=$T/onscreen
if [[ $sc_ok == 1 ]] && ! ${CC:-cc} -std=c11 -O2 -o "$ONSCREEN" "$HERE/bench/onscreen.c" \
    -lX11 -lXext 2>"$T/onscreen-cc.log"; then
    echo "   skipped: cannot compile tests/bench/onscreen.c (needs libx11-dev, libxext-dev):"
    sed 's/^/     /' "$T/onscreen-cc.log"
    sc_ok=0
fi
if [[ -z $CHROMIUM || ! -x $CHROMIUM ]]; then
    echo "   NOTE: no Chromium (Debian: apt-get install chromium); its side is skipped"
    CHROMIUM=
fi

# ---- decks -----------------------------------------------------------------
SC_DECKS=()     # keys: 15, 15p, 50, 50p, ...
declare -A SC_N # key: slides in the deck
declare -A SC_LABEL
if [[ $sc_ok == 1 ]]; then
    t0=$(ns)
    convert -seed 7 -size 4032x3024 plasma: -quality 90 "$DATA/images/photo.jpg" 2>"$T/convert.log"
    t1=$(ns)
    if [[ ! -s $DATA/images/photo.jpg ]]; then
        echo "   skipped: ImageMagick could not make the photo:"
        sed 's/^/     /' "$T/convert.log"
        sc_ok=0
    else
        printf '   photo: one 4032x3024 JPEG, quality 90, %s KiB (ImageMagick plasma, made in %s s)\n' \
            "$(($(stat -c %s "$DATA/images/photo.jpg") / 1024))" \
            "$(awk -v d=$(((t1 - t0) / 1000000)) 'BEGIN { printf "%.1f", d / 1000 }')"
    fi
fi
sc_make() { # key n photo(0/1) [extra scale_deck args]: deck and page; echo slides or "refused M"
    local key=$1 n=$2 photo=$3
    shift 3
    local deck=$DATA/slides/bench-$key.yaml args=(--duration "$SC_SLIDE_S")
    [[ $photo == 1 ]] && args+=(--photo images/photo.jpg)
    python3 "$HERE/bench/scale_deck.py" "$BUNDLED" "$n" "$deck" "${args[@]}" "$@" ||
        return 1
    KIOSK_DATA_DIR=$DATA "$KIOSK" --check "$deck" >"$T/check-$key.log" 2>&1
    python3 "$HERE/bench/deck2html.py" "$deck" "$DATA/bench-$key.html" --data "$DATA" || return 1
    sed -n 's/.*too many slides: [0-9]* (expected at most \([0-9]*\)).*/refused \1/p' \
        "$T/check-$key.log" | head -1
}
if [[ $sc_ok == 1 ]]; then
    for n in "${SC_SIZES[@]}"; do
        for photo in 0 1; do
            key=$n
            [[ $photo == 1 ]] && key=${n}p
            r=$(sc_make "$key" "$n" "$photo") || { echo "   cannot make deck $key"; continue; }
            SC_N[$key]=$n
            SC_LABEL[$key]="$n"
            if [[ $r == refused* ]]; then
                m=${r#refused }
                SC_N[$key]=$m
                SC_LABEL[$key]="$m*"
                sc_make "$key" "$m" "$photo" >/dev/null
                SC_REFUSED="$n slides: the kiosk refuses decks over $m slides (DECK_MAX_SLIDES);"
                SC_REFUSED+=" the ${m}-slide deck stands in (marked *)"
            fi
            if grep -q ': error:' "$T/check-$key.log" && [[ $r != refused* ]]; then
                echo "   the deck $key has errors:"
                sed 's/^/     /' "$T/check-$key.log"
                continue
            fi
            SC_DECKS+=("$key")
        done
    done
    # one-slide decks for --screenshot: "What is microneedling?" (text and a picture)
    sc_make one 15 0 --only 002-what-is-microneedling >/dev/null
    sc_make onep 15 1 --only 002-what-is-microneedling >/dev/null
    SC_PHOTOS=$(grep -c 'image: images/photo.jpg' "$DATA/slides/bench-${SC_SIZES[0]}p.yaml")
    echo "   decks: ${SC_DECKS[*]} (p: a photo on each of the slides that have a picture;" \
        "${SC_PHOTOS} of ${SC_SIZES[0]}), every slide ${SC_SLIDE_S} s, 300 ms fade"
    [[ -n ${SC_REFUSED:-} ]] && echo "   NOTE: $SC_REFUSED"
    [[ ${#SC_DECKS[@]} -gt 0 ]] || sc_ok=0
fi

CHARGS=(--no-sandbox --disable-gpu --no-first-run --disable-background-networking
    --disable-component-update --disable-sync --disable-quic --disable-extensions
    --disable-default-apps --no-default-browser-check --password-store=basic)
sc_chromium_kiosk() { # key: the command line for the page, fresh profile
    echo "$CHROMIUM" "${CHARGS[@]}" --kiosk --window-position=0,0 --window-size=1920,1080 \
        "--user-data-dir=$(mktemp -d "$T/chrome.XXXXXX")" "file://$DATA/bench-$1.html"
}
sc_add() { # file value: append a timed value
    [[ -n $2 ]] && echo "$2" >>"$1"
}
sc_med() { # file: median, or n/a
    local v
    [[ -s $1 ]] || { echo n/a; return; }
    read -r _ v _ < <(stats %.3f <"$1" 2>/dev/null)
    echo "${v:-n/a}"
}

# ---- 8a. start to first frame, exit right after it (the kiosk alone) ---------
if [[ $sc_ok == 1 ]]; then
    echo "8a. kiosk start to first frame presented, whole process (exits right after it;" \
        "Xvfb 1920x1080; one warm-up, then $SC_RUNS rounds over every deck and renderer)"
    for round in $(seq 0 "$SC_RUNS"); do
        for key in "${SC_DECKS[@]}"; do
            # the warm-up: once per renderer, on the largest deck with photos
            [[ $round == 0 && $key != "${SC_DECKS[-1]}" ]] && continue
            for rend in software default cold; do
                ra=(--renderer software)
                [[ $rend == default ]] && ra=()
                # cold: software, with the kiosk's cache of scaled pictures emptied first
                # (the first start after a deck or its pictures change)
                [[ $rend == cold ]] && rm -rf "$XDG_CACHE_HOME/kiosk"
                t0=$(ns)
                /usr/bin/time -f '%U %S' -o "$T/ff.cpu" env DISPLAY="$DISP" \
                    KIOSK_DATA_DIR="$DATA" SDL_AUDIODRIVER=dummy \
                    KIOSK_EXIT_AFTER_FIRST_FRAME=1 "$KIOSK" "${ra[@]}" \
                    --signups "$T/signups.csv" "$DATA/slides/bench-$key.yaml" \
                    >"$T/ff.log" 2>&1
                t1=$(ns)
                [[ $round -gt 0 ]] && awk '{ printf "%.3f\n", $1 + $2 }' "$T/ff.cpu" \
                    >>"$T/ffcpu-$key-$rend.txt"
                grep -q 'first frame presented' "$T/ff.log" || continue
                [[ $round == 0 ]] && { grep -o 'renderer [a-z0-9_]*' "$T/ff.log" |
                    head -1 >"$T/ff-$rend.renderer"; continue; }
                sc_add "$T/ff-$key-$rend.txt" \
                    "$(awk -v d=$(((t1 - t0) / 1000)) 'BEGIN { printf "%.4f\n", d / 1e6 }')"
            done
        done
    done
    for key in "${SC_DECKS[@]}"; do
        for rend in software default cold; do
            SC[ff:$key:$rend]=$(sc_med "$T/ff-$key-$rend.txt")
            read -r v _ < <(stats %.3f <"$T/ff-$key-$rend.txt")
            SC[ffmin:$key:$rend]=$v
            SC[ffcpu:$key:$rend]=$(sc_med "$T/ffcpu-$key-$rend.txt")
        done
    done
    echo "   (default renderer here: $(cat "$T/ff-default.renderer" 2>/dev/null))"
fi

# ---- 8b. start to first slide on screen (kiosk and Chromium, same method) --
sc_onscreen() { # out-file command...: seconds until the slide is on the screen
    DISPLAY=$DISP "$ONSCREEN" --timeout 60 -- "$@" >"$T/os.txt" 2>>"$T/os.log"
    sed -n 's/^onscreen_s=\([0-9.]*\) .*/\1/p' "$T/os.txt"
}
if [[ $sc_ok == 1 ]]; then
    echo "8b. start to first slide on the screen: from exec until the X screen shows the" \
        "slide's background and title colours (tests/bench/onscreen.c polls the root window);"
    echo "    one warm-up, then $SC_ORUNS rounds over every deck: kiosk (default renderer)," \
        "kiosk (software), Chromium --kiosk (software rendering, fresh profile each run)"
    for round in $(seq 0 "$SC_ORUNS"); do
        for key in "${SC_DECKS[@]}"; do
            [[ $round == 0 && $key != "${SC_DECKS[-1]}" ]] && continue # warm-up: one deck
            for side in kdef ksw chr; do
                case $side in
                kdef) cmd=(env KIOSK_DATA_DIR="$DATA" SDL_AUDIODRIVER=dummy "$KIOSK"
                    --signups "$T/signups.csv" "$DATA/slides/bench-$key.yaml") ;;
                ksw) cmd=(env KIOSK_DATA_DIR="$DATA" SDL_AUDIODRIVER=dummy "$KIOSK"
                    --renderer software --signups "$T/signups.csv"
                    "$DATA/slides/bench-$key.yaml") ;;
                chr)
                    [[ -n $CHROMIUM ]] || continue
                    read -r -a cmd < <(sc_chromium_kiosk "$key")
                    ;;
                esac
                v=$(sc_onscreen "${cmd[@]}")
                [[ $round == 0 ]] && continue
                [[ -n $v ]] || SC[osfail:$side]=$((${SC[osfail:$side]:-0} + 1))
                sc_add "$T/os-$key-$side.txt" "$v"
            done
        done
    done
    for key in "${SC_DECKS[@]}"; do
        for side in kdef ksw chr; do
            SC[os:$key:$side]=$(sc_med "$T/os-$key-$side.txt")
        done
    done
    for side in kdef ksw chr; do
        [[ -n ${SC[osfail:$side]:-} ]] && echo "   $side: ${SC[osfail:$side]} run(s) never" \
            "showed the slide (timeout or exit; see os.log with BENCH_KEEP=1), left out"
    done
fi

# ---- 8c. a screenshot of one slide -----------------------------------------
# The slide "What is microneedling?" (text and a picture; with a photo in the
# p decks). With --screens (kiosk 2026-12-07 on) the kiosk loads the whole
# deck and renders that slide alone, as Chromium loads the whole page and
# shows it (PAGE.html#NAME); an older kiosk gets a one-slide deck and writes
# the form and staff screens too.
SC_SHOT=002-what-is-microneedling
if [[ $sc_ok == 1 ]]; then
    if "$KIOSK" --help 2>&1 | grep -q -- '--screens'; then
        SC_SHOT_DECKS=("${SC_DECKS[0]}" "${SC_DECKS[1]}" "${SC_DECKS[-2]}" "${SC_DECKS[-1]}")
        SC_SHOT_HOW="kiosk --screenshot DIR --screens $SC_SHOT DECK (the whole deck loaded, that slide rendered)"
    else
        SC_SHOT_DECKS=(one onep)
        SC_SHOT_HOW="kiosk --screenshot DIR on a one-slide deck (no --screens: it also writes the form and staff screens)"
    fi
    # unique, in order
    mapfile -t SC_SHOT_DECKS < <(printf '%s\n' "${SC_SHOT_DECKS[@]}" | awk '!seen[$0]++')
    echo "8c. a 1920x1080 screenshot of one slide (\"What is microneedling?\"), whole process:" \
        "$SC_SHOT_HOW; chromium --headless --screenshot of PAGE.html#$SC_SHOT;" \
        "one warm-up each, then $SC_SRUNS rounds over decks ${SC_SHOT_DECKS[*]}"
    for round in $(seq 0 "$SC_SRUNS"); do
        for key in "${SC_SHOT_DECKS[@]}"; do
            [[ $round == 0 && $key != "${SC_SHOT_DECKS[-1]}" ]] && continue # one warm-up
            sa=()
            [[ $key != one* ]] && sa=(--screens "$SC_SHOT")
            rm -rf "$T/shot2"
            t0=$(ns)
            env KIOSK_DATA_DIR="$DATA" SDL_AUDIODRIVER=dummy "$KIOSK" --screenshot "$T/shot2" \
                "${sa[@]}" --size 1920x1080 "$DATA/slides/bench-$key.yaml" >"$T/shot2.log" 2>&1
            t1=$(ns)
            SC[shotn:$key]=$(find "$T/shot2" -name '*.png' 2>/dev/null | wc -l)
            [[ $round -gt 0 && ${SC[shotn:$key]} -gt 0 ]] && sc_add "$T/sh-$key-k.txt" \
                "$(awk -v d=$(((t1 - t0) / 1000)) 'BEGIN { printf "%.4f\n", d / 1e6 }')"
            [[ -n $CHROMIUM ]] || continue
            rm -f "$T/chrome-shot.png"
            t0=$(ns)
            "$CHROMIUM" "${CHARGS[@]}" --headless --hide-scrollbars \
                "--user-data-dir=$(mktemp -d "$T/chrome.XXXXXX")" \
                --screenshot="$T/chrome-shot.png" --window-size=1920,1080 \
                "file://$DATA/bench-$key.html#$SC_SHOT" >"$T/chrome-shot.log" 2>&1
            t1=$(ns)
            [[ $round -gt 0 && -s $T/chrome-shot.png ]] && sc_add "$T/sh-$key-c.txt" \
                "$(awk -v d=$(((t1 - t0) / 1000)) 'BEGIN { printf "%.4f\n", d / 1e6 }')"
        done
    done
    for key in "${SC_SHOT_DECKS[@]}"; do
        SC[sh:$key:k]=$(sc_med "$T/sh-$key-k.txt")
        SC[sh:$key:c]=$(sc_med "$T/sh-$key-c.txt")
    done
    # shellcheck disable=SC2034 # read by the summary in bench.sh
    SC_SHOT_KEY=${SC_SHOT_DECKS[0]}
fi

# ---- 8d. the attract loop: memory and CPU ------------------------------------
# The kiosk (software renderer) on the bench's Xvfb and Chromium on a second
# Xvfb, at the same time (so both see the same load from elsewhere on the
# machine); one deck after another, so that no two processes of the same
# program share pages (which would lower their PSS).
sc_tree() { # pid: it and its descendants
    local p=$1 c
    echo "$p"
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do sc_tree "$c"; done
}
sc_tree_ticks() { # pid: "pid ticks" per process of the tree
    local p
    for p in $(sc_tree "$1"); do echo "$p $(ticks "$p")"; done
}
sc_tree_sum() { # pid field(Pss|Rss|VmHWM): sum over the tree, KiB
    local p s=0 v
    for p in $(sc_tree "$1"); do
        if [[ $2 == VmHWM ]]; then v=$(status_field "$p" VmHWM); else
            v=$(awk -v k="$2:" '$1 == k { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null)
        fi
        s=$((s + ${v:-0}))
    done
    echo "$s"
}
sc_delta() { # before-file after-file: ticks used between them (new processes count whole)
    awk 'NR == FNR { b[$1] = $2; next } { d += $2 - (($1 in b) ? b[$1] : 0) } END { print d + 0 }' \
        "$1" "$2"
}
if [[ $sc_ok == 1 ]]; then
    echo "8d. attract loop: the kiosk (software renderer) and Chromium --kiosk, each on its own" \
        "Xvfb 1920x1080, side by side, one deck at a time; CPU over $SC_LOOP_S s"
    echo "    ($SC_LOOP_BIG_S s for the larger decks)"
    echo "    (after the first loop where it lasts <= $SC_WARM_MAX s, else after 3 s), PSS at" \
        "the end; Chromium: summed over its processes"
    n2=$((${DISP#:} + 1))
    while [[ -e /tmp/.X$n2-lock || -e /tmp/.X11-unix/X$n2 ]]; do n2=$((n2 + 1)); done
    DISP2=:$n2
    Xvfb "$DISP2" -screen 0 1920x1080x24 -nolisten tcp >"$T/xvfb2.log" 2>&1 &
    XVFB2_PID=$!
    PIDS+=("$XVFB2_PID")
    for _ in $(seq 100); do
        [[ -e /tmp/.X11-unix/X$n2 ]] && break
        sleep 0.05
    done
    for key in "${SC_DECKS[@]}"; do
        loop_s=$(awk -v n="${SC_N[$key]}" -v d="$SC_SLIDE_S" 'BEGIN { print n * d }')
        warm=3
        win=$SC_LOOP_S
        [[ ${SC_N[$key]} -gt ${SC_N[${SC_DECKS[0]}]} ]] && win=$SC_LOOP_BIG_S
        awk -v l="$loop_s" -v m="$SC_WARM_MAX" 'BEGIN { exit !(l <= m) }' && warm=$(awk \
            -v l="$loop_s" 'BEGIN { print l + 3 }')
        env DISPLAY="$DISP" KIOSK_DATA_DIR="$DATA" SDL_AUDIODRIVER=dummy "$KIOSK" \
            --renderer software --signups "$T/signups.csv" "$DATA/slides/bench-$key.yaml" \
            >"$T/loop-$key.log" 2>&1 &
        KP=$!
        PIDS+=("$KP")
        CP=
        if [[ -n $CHROMIUM ]]; then
            read -r -a cmd < <(sc_chromium_kiosk "$key")
            setsid env DISPLAY="$DISP2" "${cmd[@]}" >"$T/chrome-loop-$key.log" 2>&1 &
            CP=$!
            PIDS+=("$CP")
        fi
        nap "$warm"
        sc_tree_ticks "$KP" >"$T/k0"
        x0=$(ticks "$XVFB_PID")
        if [[ -n $CP ]]; then sc_tree_ticks "$CP" >"$T/c0"; fi
        y0=$(ticks "$XVFB2_PID")
        w0=$(ns)
        nap "$win"
        sc_tree_ticks "$KP" >"$T/k1"
        x1=$(ticks "$XVFB_PID")
        if [[ -n $CP ]]; then sc_tree_ticks "$CP" >"$T/c1"; fi
        y1=$(ticks "$XVFB2_PID")
        w1=$(ns)
        SC[pss:$key:k]=$(pss_kib "$KP")
        SC[hwm:$key:k]=$(status_field "$KP" VmHWM)
        if [[ -n $CP ]]; then
            SC[pss:$key:c]=$(sc_tree_sum "$CP" Pss)
            SC[rss:$key:c]=$(sc_tree_sum "$CP" Rss)
            SC[hwm:$key:c]=$(sc_tree_sum "$CP" VmHWM)
            SC[procs:$key:c]=$(sc_tree "$CP" | wc -l)
        fi
        kill -0 "$KP" 2>/dev/null || echo "   (the kiosk exited early on deck $key; see its log)"
        stop_pid "$KP"
        if [[ -n $CP ]]; then
            kill -TERM -- "-$CP" 2>/dev/null
            stop_pid "$CP"
            kill -KILL -- "-$CP" 2>/dev/null
        fi
        wall=$(((w1 - w0) / 1000000))
        pct() { awk -v d="$1" -v hz="$HZ" -v w="$wall" 'BEGIN { printf "%.2f", d / hz / (w / 1000) * 100 }'; }
        changes=$(awk -v w="$wall" -v d="$SC_SLIDE_S" 'BEGIN { printf "%.1f", w / 1000 / d }')
        kt=$(sc_delta "$T/k0" "$T/k1")
        SC[cpu:$key:k]=$(pct "$kt")
        SC[cpux:$key:k]=$(pct $((kt + x1 - x0)))
        SC[chg:$key:k]=$(awk -v t="$kt" -v hz="$HZ" -v c="$changes" \
            'BEGIN { printf "%.1f", t / hz * 1000 / c }')
        SC[warm:$key]=$warm
        SC[changes:$key]=$changes
        if [[ -n $CP ]]; then
            ct=$(sc_delta "$T/c0" "$T/c1")
            SC[cpu:$key:c]=$(pct "$ct")
            SC[cpux:$key:c]=$(pct $((ct + y1 - y0)))
            SC[chg:$key:c]=$(awk -v t="$ct" -v hz="$HZ" -v c="$changes" \
                'BEGIN { printf "%.1f", t / hz * 1000 / c }')
        fi
        printf '   deck %-5s kiosk: CPU %s %% (+X %s %%), %s ms a slide change, peak RSS %s MiB,' \
            "${SC_LABEL[$key]}$([[ $key == *p ]] && echo p)" "${SC[cpu:$key:k]}" \
            "${SC[cpux:$key:k]}" "${SC[chg:$key:k]}" "$(mib "${SC[hwm:$key:k]}")"
        printf ' PSS %s MiB   (%s s after %s s: %s changes)\n' "$(mib "${SC[pss:$key:k]}")" \
            "$win" "$warm" "$changes"
        [[ -n $CP ]] && printf '   %-10s Chromium: CPU %s %% (+X %s %%), %s ms a slide change, PSS %s MiB (RSS %s MiB, %s processes)\n' \
            "" "${SC[cpu:$key:c]:-n/a}" "${SC[cpux:$key:c]:-n/a}" "${SC[chg:$key:c]:-n/a}" \
            "$(mib "${SC[pss:$key:c]:-}")" "$(mib "${SC[rss:$key:c]:-}")" "${SC[procs:$key:c]:-?}"
    done
    stop_pid "$XVFB2_PID"
fi

# ---- 8. the tables -----------------------------------------------------------
ratio() { # a b: a / b to 2 decimals, or n/a
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "n/a" || b == "n/a" || b + 0 == 0)
        print "n/a"; else printf "%.2f", a / b }'
}
if [[ $sc_ok == 1 ]]; then
    echo
    echo "Scaling table (medians; s = seconds; deck p = a 4032x3024 photo on every slide with a" \
        "picture; * = stand-in for a size the kiosk refuses)"
    srow() { printf '| %-7s | %-9s | %-7s | %-9s | %-9s | %-11s | %-11s | %-11s | %-9s | %-9s | %-11s | %-11s | %-13s |\n' "$@"; }
    srow deck "ff sw" "ff CPU" "ff cold" "ff def" "screen def" "screen sw" "screen Chr" "peak RSS" "PSS" "PSS Chr" \
        "CPU %" "ms/change"
    srow ------- --------- ------- --------- --------- ----------- ----------- ----------- --------- --------- \
        ----------- ----------- -------------
    for key in "${SC_DECKS[@]}"; do
        srow "${SC_LABEL[$key]}$([[ $key == *p ]] && echo ' p')" "${SC[ff:$key:software]} s" \
            "${SC[ffcpu:$key:software]} s" "${SC[ff:$key:cold]} s" "${SC[ff:$key:default]} s" \
            "${SC[os:$key:kdef]} s" "${SC[os:$key:ksw]} s" \
            "${SC[os:$key:chr]:-n/a} s" "$(mib "${SC[hwm:$key:k]:-}") MiB" \
            "$(mib "${SC[pss:$key:k]:-}") MiB" "$(mib "${SC[pss:$key:c]:-}") MiB" \
            "${SC[cpu:$key:k]:-n/a} / ${SC[cpu:$key:c]:-n/a}" \
            "${SC[chg:$key:k]:-n/a} / ${SC[chg:$key:c]:-n/a}"
    done
    echo "   ff = kiosk start to first frame, whole process (software / default renderer;" \
        "ff CPU: its user + system time, software; ff cold: software, the kiosk's cache of" \
        "scaled pictures emptied first);" \
        "screen = from exec until the slide is on the X screen (kiosk default, kiosk software," \
        "Chromium); CPU and ms/change: kiosk / Chromium, own processes without the X server"
    for key in "${SC_SHOT_DECKS[@]}"; do
        printf '   screenshot of one slide, deck %s: kiosk %s s (%s PNG), Chromium headless %s s\n' \
            "${SC_LABEL[$key]:-$key}$([[ $key == *p ]] && echo ' p')" "${SC[sh:$key:k]}" \
            "${SC[shotn:$key]:-?}" "${SC[sh:$key:c]}"
    done
    sc_secs=$((($(ns) - sc_t0) / 1000000000))
    echo "   part 8 took $sc_secs s"
fi
