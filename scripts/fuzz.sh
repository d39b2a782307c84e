#!/usr/bin/env bash
# Coverage-guided fuzzing of UngCuu's parsers of outside input (libFuzzer + AddressSanitizer).
# See docs/FUZZING.md.
#
#   scripts/fuzz.sh [options] [targets...] [-- libFuzzer flags...]
#
# Builds the fuzz package (Fuzz/, scratch path Fuzz/.build), then runs each target (all by default)
# for N seconds on a copy of its seed corpus (Fuzz/corpus/<target>) and prints one line per target:
# executions, coverage, and OK or the failure with the reproducer's path. Exits 1 if any target
# crashed, hung, ran out of memory or leaked, 2 on bad usage or a failed build.
#
# Options:
#   --seconds N       time per target (default 20)
#   --corpus DIR      keep the growing corpus in DIR/<target> (seeded from Fuzz/corpus) instead of a temp dir
#   --artifacts DIR   where reproducers go (default Fuzz/.build/artifacts/<target>)
#   --no-build        use the binary already built
#   --build-only      build, then stop
#   --list            print the targets and stop
#   -h, --help
#
# Flags after `--` go to libFuzzer as they are (e.g. -- -jobs=4 -workers=2, -- -only_ascii=1).
#
# Environment:
#   UNGCUU_FUZZ_RSS_MB    -rss_limit_mb (default 2048)
#   UNGCUU_FUZZ_TIMEOUT   -timeout per input in seconds (default 10)
#   UNGCUU_FUZZ_MAX_LEN   -max_len (default 65536; 135168 for evtx: a header and two 64 KiB chunks)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FUZZ="$ROOT/Fuzz"
SCRATCH="$FUZZ/.build"
BIN="$SCRATCH/debug/ungcuu-fuzz"

SECONDS_PER_TARGET=20
CORPUS_ROOT=""
ARTIFACTS_ROOT=""
BUILD=1
BUILD_ONLY=0
LIST=0
TARGETS=()
EXTRA=()

say()  { printf '%s\n' "$*"; }
warn() { printf -- '!!! %s\n' "$*" >&2; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }

while (( $# > 0 )); do
    case $1 in
        --seconds) SECONDS_PER_TARGET=${2:?--seconds needs a number}; shift ;;
        --seconds=*) SECONDS_PER_TARGET=${1#--seconds=} ;;
        --corpus) CORPUS_ROOT=${2:?--corpus needs a directory}; shift ;;
        --corpus=*) CORPUS_ROOT=${1#--corpus=} ;;
        --artifacts) ARTIFACTS_ROOT=${2:?--artifacts needs a directory}; shift ;;
        --artifacts=*) ARTIFACTS_ROOT=${1#--artifacts=} ;;
        --no-build) BUILD=0 ;;
        --build-only) BUILD_ONLY=1 ;;
        --list) LIST=1 ;;
        -h|--help) usage; exit 0 ;;
        --) shift; EXTRA=("$@"); break ;;
        -*) warn "unknown option: $1"; usage >&2; exit 2 ;;
        *) TARGETS+=("$1") ;;
    esac
    shift
done
[[ "$SECONDS_PER_TARGET" =~ ^[0-9]+$ ]] || { warn "--seconds needs a whole number of seconds"; exit 2; }

if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

# libFuzzer's runtime without its main(): ungcuu-fuzz calls LLVMFuzzerRunDriver itself, because
# SwiftPM's -sanitize=fuzzer renames an executable's main and the link fails.
fuzzer_runtime() {
    local toolchain arch lib
    toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")
    arch=$(uname -m)
    lib=$(find "$toolchain" -name "libclang_rt.fuzzer_no_main-$arch.a" 2>/dev/null | head -n 1)
    [[ -n "$lib" ]] || lib=$(find "$toolchain" -name 'libclang_rt.fuzzer_no_main*.a' 2>/dev/null | head -n 1)
    [[ -n "$lib" ]] || return 1
    printf '%s\n' "$lib"
}

if (( BUILD )); then
    command -v swiftc >/dev/null 2>&1 || { warn "swiftc is not on PATH (nor in /opt/swift/usr/bin)"; exit 2; }
    RUNTIME=$(fuzzer_runtime) || { warn "libclang_rt.fuzzer_no_main-*.a not found under the Swift toolchain"; exit 2; }
    say "--- building the fuzz package (runtime: $RUNTIME)"
    t0=$(date +%s)
    if ! (cd "$FUZZ" && swift build -c debug --scratch-path "$SCRATCH" --product ungcuu-fuzz \
            -Xswiftc -sanitize=address \
            -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
            -Xlinker "$RUNTIME" -Xlinker -lstdc++ 2>&1 | { grep -v 'warning: Cannot export local symbol' || true; }); then
        warn "the fuzz package did not build"
        exit 2
    fi
    say "--- built $BIN in $(( $(date +%s) - t0 ))s"
fi
[[ -x "$BIN" ]] || { warn "$BIN is missing (build without --no-build)"; exit 2; }

mapfile -t ALL < <("$BIN" --list)
if (( LIST )); then
    "$BIN" --help 2>&1 | sed -n '/^targets:/,$p' || true
    exit 0
fi
(( BUILD_ONLY )) && exit 0

if (( ${#TARGETS[@]} == 0 )); then
    TARGETS=("${ALL[@]}")
else
    for t in "${TARGETS[@]}"; do
        printf '%s\n' "${ALL[@]}" | grep -qx -- "$t" || { warn "unknown target: $t (targets: ${ALL[*]})"; exit 2; }
    done
fi

# The dictionary of a target (libFuzzer takes one).
dict_for() {
    case $1 in
        xml|nmap|openvas|nessus) echo "$FUZZ/dict/xml.dict" ;;
        json|nuclei|trivy|sarif|nvd|csaf|advisory|stix|misp|inventory) echo "$FUZZ/dict/json.dict" ;;
        detect) echo "$WORK/xml+json.dict" ;;
        cpe|version|observable|stix-pattern) echo "$FUZZ/dict/text.dict" ;;
        jsonl) echo "$FUZZ/dict/json.dict" ;;
        syslog|syslog-framer|event-time) echo "$FUZZ/dict/syslog.dict" ;;
        regex) echo "$FUZZ/dict/regex.dict" ;;
        sigma) echo "$FUZZ/dict/sigma.dict" ;;
        evtx) echo "$FUZZ/dict/evtx.dict" ;;
        *) echo "" ;;
    esac
}

# The largest input of a target: UNGCUU_FUZZ_MAX_LEN when set, else 64 KiB; EVTX files hold 64 KiB chunks
# after a 4 KiB header, so the evtx target takes a header and two chunks.
max_len_for() {
    if [[ -n "${UNGCUU_FUZZ_MAX_LEN:-}" ]]; then echo "$UNGCUU_FUZZ_MAX_LEN"; return; fi
    case $1 in
        evtx) echo 135168 ;;
        *) echo 65536 ;;
    esac
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ungcuu-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cat "$FUZZ/dict/xml.dict" "$FUZZ/dict/json.dict" >"$WORK/xml+json.dict"

RSS_MB=${UNGCUU_FUZZ_RSS_MB:-2048}
INPUT_TIMEOUT=${UNGCUU_FUZZ_TIMEOUT:-10}
# Leaks: libFuzzer's leak check stops at the first leaking input, and Swift/Foundation caches
# allocated on first use look like leaks to it; memory growth is still caught by -rss_limit_mb.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
# Swift's own crash backtracer would run inside the sanitizer's signal handling (and trip it);
# libFuzzer prints the stack, symbolized when llvm-symbolizer is at hand.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" ]]; then
    symbolizer=$(dirname "$(readlink -f "$(command -v swiftc)")")/llvm-symbolizer
    [[ -x "$symbolizer" ]] && export ASAN_SYMBOLIZER_PATH="$symbolizer"
fi

say "--- fuzzing ${#TARGETS[@]} target(s), ${SECONDS_PER_TARGET}s each${EXTRA[*]:+, extra flags: ${EXTRA[*]}}"
failed=0
for t in "${TARGETS[@]}"; do
    if [[ -n "$CORPUS_ROOT" ]]; then
        corpus="$CORPUS_ROOT/$t"
    else
        corpus="$WORK/corpus/$t"
    fi
    mkdir -p "$corpus"
    [[ -d "$FUZZ/corpus/$t" ]] && cp -n "$FUZZ/corpus/$t"/* "$corpus/" 2>/dev/null || true
    artifacts=${ARTIFACTS_ROOT:+$ARTIFACTS_ROOT/$t}
    artifacts=${artifacts:-$SCRATCH/artifacts/$t}
    mkdir -p "$artifacts"
    log="$WORK/$t.log"
    dict=$(dict_for "$t")
    flags=(-max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb="$RSS_MB" -timeout="$INPUT_TIMEOUT"
           -max_len="$(max_len_for "$t")" -artifact_prefix="$artifacts/" -print_final_stats=1)
    [[ -n "$dict" ]] && flags+=(-dict="$dict")
    set +e
    # The outer timeout catches a hang libFuzzer itself cannot end (it is ended at -max_total_time).
    # Run in the artifacts directory: -jobs writes its fuzz-N.log files into the current one.
    (cd "$artifacts" && exec timeout --kill-after=10 $(( SECONDS_PER_TARGET * 2 + 120 )) \
        "$BIN" "$t" "${flags[@]}" "${EXTRA[@]}" "$corpus") >"$log" 2>&1
    rc=$?
    set -e
    # Parsing never stops the script (set -e): a report with no stats line prints "?".
    execs=$(grep -oE 'stat::number_of_executed_units:[[:space:]]+[0-9]+' "$log" | awk '{s += $2} END {if (NR) print s}' || true)
    rate=$(grep -oE 'stat::average_exec_per_sec:[[:space:]]+[0-9]+' "$log" | awk '{s += $2} END {if (NR) print s}' || true)
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | awk '{print $2}' || true)
    ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | awk '{print $2}' || true)
    corp=$(grep -oE 'corp: [0-9]+' <<<"$last" | awk '{print $2}' || true)
    # -fork prints no final stats; its last status line starts with the executions.
    [[ -n "$execs" ]] || execs=$(grep -oE '^#[0-9]+' <<<"$last" | tr -d '#' || true)
    stats="$(printf '%9s execs %6s/s  cov %5s  ft %6s  corpus %4s' "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}")"
    if (( rc == 0 )); then
        line=$(printf '%-13s OK     %s' "$t" "$stats")
    else
        failed=$((failed + 1))
        artifact=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -n 1 | sed 's/^Test unit written to //' || true)
        kind=CRASH
        grep -q 'ERROR: libFuzzer: timeout' "$log" && kind=HANG
        grep -q 'ERROR: libFuzzer: out-of-memory' "$log" && kind=OOM
        grep -q 'ERROR: LeakSanitizer' "$log" && kind=LEAK
        (( rc == 124 || rc == 137 )) && [[ -z "$artifact" ]] && kind=STUCK
        saved="$artifacts/$t.log"
        cp "$log" "$saved"
        line=$(printf '%-13s %-6s %s  reproducer: %s  log: %s' "$t" "$kind" "$stats" "${artifact:-none}" "$saved")
        # The first lines of the report, so CI logs show what happened.
        grep -m 1 -A 25 -E '^==[0-9]+==ERROR|Fatal error|^ERROR: libFuzzer|SUMMARY' "$log" | sed 's/^/      /' >&2 || true
    fi
    say "$line"
done

if (( failed > 0 )); then
    say "$failed of ${#TARGETS[@]} target(s) failed; reproduce with: $BIN TARGET REPRODUCER (docs/FUZZING.md)"
    exit 1
fi
say "all ${#TARGETS[@]} target(s) OK"
