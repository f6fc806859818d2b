#!/usr/bin/env bash
# Fuzz the loaders that read files people (or power cuts) write: the deck,
# the settings file and the sign-up CSV's recovery scanners. Builds one
# libFuzzer binary per target with clang (ASan + UBSan), runs each for a
# short while on a copy of its seed corpus, and fails if any input crashes,
# leaks, hits undefined behaviour, times out or breaks a checked property,
# printing the input and how to replay it.
#
#   bash .ci/fuzz.sh                 # CI: ~20 s per target
#   FUZZ_SECONDS=600 bash .ci/fuzz.sh deck   # one target, longer
#
# Environment:
#   FUZZ_SECONDS   run time per target (default 20)
#   FUZZ_DIR       build and work directory (default build-fuzz)
#   FUZZ_KEEP=1    keep the working corpus in $FUZZ_DIR/corpus-<target>
#                  between runs instead of starting again from the seeds
#                  (for long local runs; the committed seeds never grow)
#   FUZZ_ARGS      extra libFuzzer flags, e.g. "-jobs=4 -workers=4"
# Arguments: the targets to run (deck settings store; default all three).
#
# Installs clang and libFuzzer's runtime when run as root and missing.
# See docs/testing.md for reading a failure and adding its regression test.
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$PWD
FUZZ_DIR=${FUZZ_DIR:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
FUZZ_KEEP=${FUZZ_KEEP:-0}
FUZZ_ARGS=${FUZZ_ARGS:-}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(deck settings store)

say() { printf '== fuzz: %s\n' "$*"; }
die() { printf 'fuzz: FAIL: %s\n' "$*" >&2; exit 1; }

# ---- tools ---------------------------------------------------------------
# libFuzzer's runtime is in libclang-rt-14-dev on Debian 12 (clang pulls it
# in with recommends, but not with --no-install-recommends).
CC=${CC_FUZZ:-clang}
probe() {
    printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' \
        >"$FUZZ_DIR/probe.c"
    "$CC" -fsanitize=fuzzer,address,undefined "$FUZZ_DIR/probe.c" -o "$FUZZ_DIR/probe" 2>/dev/null
}
mkdir -p "$FUZZ_DIR"
if ! command -v "$CC" >/dev/null || ! probe; then
    [ "$(id -u)" -eq 0 ] || die "clang with libFuzzer is missing (apt-get install clang libclang-rt-14-dev)"
    say "installing clang and libFuzzer"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null
    probe || die "$CC cannot build a libFuzzer binary even after installing clang"
fi
scripts/deps # libyaml, libcrypt and pkg-config, as for the kiosk itself

# ---- build ---------------------------------------------------------------
# The functional core and the file layer (kiosk/core/*.c and kiosk/io/*.c,
# the kiosk_core and kiosk_io libraries of CMakeLists.txt) are compiled once,
# instrumented, into an archive; each target links what it needs from it, so
# a new module needs no edit here.
# -fno-sanitize-recover: UBSan must abort for libFuzzer to see it as a crash.
# Warnings are errors only in the targets: the build (gcc, -Werror) judges
# kiosk/, and a warning only clang gives must not stop the fuzzing.
CFLAGS=(-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -fno-omit-frame-pointer
    -fsanitize=address,undefined -fno-sanitize-recover=undefined
    -Wall -Wextra -I"$SRC/kiosk/core" -I"$SRC/kiosk/io")
# shellcheck disable=SC2207
YAML_CFLAGS=($(pkg-config --cflags yaml-0.1 libcrypt libqrencode libcurl))
# shellcheck disable=SC2207
LIBS=($(pkg-config --libs yaml-0.1 libcrypt libqrencode libcurl) -lm)
core=(kiosk/core/*.c kiosk/io/*.c)
say "building the core (${#core[@]} files) and the targets"
build_start=$SECONDS
rm -rf "$FUZZ_DIR/obj"
mkdir -p "$FUZZ_DIR/obj"
# All at once: a dozen small files, and the build waits for the slowest.
pids=()
for f in "${core[@]}"; do
    "$CC" "${CFLAGS[@]}" "${YAML_CFLAGS[@]}" -fsanitize=fuzzer-no-link -c "$f" \
        -o "$FUZZ_DIR/obj/$(basename "$f" .c).o" &
    pids+=($!)
done
for p in "${pids[@]}"; do
    wait "$p" || die "the core does not build with $CC"
done
rm -f "$FUZZ_DIR/libcore.a"
ar rcs "$FUZZ_DIR/libcore.a" "$FUZZ_DIR"/obj/*.o

dict_of() {
    case $1 in
    deck | settings) echo "-dict=$SRC/tests/fuzz/yaml.dict" ;;
    store) ;;
    *) die "unknown target '$1' (expected deck, settings or store)" ;;
    esac
}
for t in "${TARGETS[@]}"; do
    dict_of "$t" >/dev/null
    "$CC" "${CFLAGS[@]}" -Werror -fsanitize=fuzzer "tests/fuzz/fuzz_$t.c" "$FUZZ_DIR/libcore.a" \
        "${LIBS[@]}" -o "$FUZZ_DIR/fuzz_$t" || die "fuzz_$t does not build"
done
say "built in $((SECONDS - build_start))s"

# ---- run -----------------------------------------------------------------
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for t in "${TARGETS[@]}"; do
    corpus="$FUZZ_DIR/corpus-$t"
    artifacts="$FUZZ_DIR/artifacts-$t"
    if [ "$FUZZ_KEEP" != 1 ]; then
        rm -rf "$corpus"
    fi
    mkdir -p "$corpus"
    # Seeds and earlier crashers: the committed directories are read only.
    cp -n tests/fuzz/corpus/"$t"/* "$corpus"/
    cp -n tests/fuzz/regress/"$t"/* "$corpus"/ 2>/dev/null || true
    rm -rf "$artifacts"
    mkdir -p "$artifacts"
    log="$FUZZ_DIR/fuzz_$t.log"
    say "running fuzz_$t for ${FUZZ_SECONDS}s ($(find "$corpus" -type f | wc -l) inputs to start)"
    rc=0
    # shellcheck disable=SC2046,SC2086
    "$FUZZ_DIR/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -timeout=5 -rss_limit_mb=512 \
        -max_len=16384 -print_final_stats=1 -artifact_prefix="$artifacts/" \
        $(dict_of "$t") $FUZZ_ARGS "$corpus" >"$log" 2>&1 || rc=$?
    grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" |
        sed 's/^/   /' || true
    crashers=$(find "$artifacts" -type f | sort)
    if [ "$rc" -ne 0 ] || [ -n "$crashers" ]; then
        failed+=("$t")
        printf '\nfuzz: fuzz_%s FAILED (exit %d). The report:\n' "$t" "$rc" >&2
        # The sanitizer's report, or the last lines when there is none.
        if grep -q -E '^==[0-9]+==ERROR|runtime error|deadly signal|ERROR: libFuzzer' "$log"; then
            # (without ASan's shadow-memory dump: the stacks say it all)
            sed -n '/^==[0-9]*==ERROR\|runtime error\|deadly signal\|ERROR: libFuzzer/,$p' "$log" |
                sed '/^Shadow bytes around/,/^==[0-9]*==ABORTING/d' | head -n 80 >&2
        else
            tail -n 40 "$log" >&2
        fi
        for f in $crashers; do
            printf '\nfuzz: reproducer %s (%s bytes), as hex:\n' "$f" "$(wc -c <"$f")" >&2
            od -A d -t x1z -v "$f" | head -n 40 >&2
            printf 'replay:  %s %s\n' "$FUZZ_DIR/fuzz_$t" "$f" >&2
            printf 'keep it: cp %s tests/fuzz/regress/%s/<what-it-found>  (see docs/testing.md)\n' \
                "$f" "$t" >&2
        done
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    die "crash or broken property in: ${failed[*]} (logs in $FUZZ_DIR/fuzz_<target>.log)"
fi
say "ok: ${TARGETS[*]}, ${FUZZ_SECONDS}s each, no crash"
