#!/usr/bin/env bash
# UngCuu's full test run, as CI runs it (`bash .ci/run` -> this script).
#
#   1 setup         Debian packages + .venv-test with Selenium (skipped when present)
#   2 build         swift build --build-tests (once; everything below reuses it)
#   3 unit          swift test --skip-build --filter 'DomainTests|FormatsTests|DetectionTests'
#   4 fuzz          scripts/fuzz.sh: every parser of outside input under libFuzzer + ASan, 15 s each
#                   (its own build, in Fuzz/.build; docs/FUZZING.md)
#   5 app-sqlite    swift test --skip-build --filter AppTests (temp SQLite files)
#   6 app-postgres  the same against a throwaway PostgreSQL on 127.0.0.1
#   7 e2e           Tests/e2e/test_*.py (headless Chromium + Selenium; LibreOffice renders the .docx)
#   8 release       swift build -c release --product ungcuu (catches what only release builds reject)
#   9 agreement     with the release binary, against the reference tools in .venv-ref (Rust evtx, pySigma):
#                   every EVTX record of ../shared/corpora prints the JSON the `evtx` crate prints;
#                   every case of sigma/regression_data fires its rule; `ungcuu hunt` agrees with the
#                   pySigma SQLite reference on corpora/evtx, every disagreement listed and explained
#                   (docs/sigma-agreement.md). Skipped, saying so, when ../shared/corpora is absent.
#
# If setup or build fails, the rest is skipped; a failing test phase does not
# stop the later ones (use --fail-fast for that). The last line is always
# `N passed, M failed` (phases); the exit status is 0 only if none failed.
#
# Options:
#   --skip-install     do not install anything (also UNGCUU_TEST_SKIP_INSTALL=1)
#   --only P1,P2       run only these phases (the others are reported as SKIP)
#   --fail-fast        stop at the first failed phase
#   --pg-smoke         only start the throwaway PostgreSQL, query it, stop it
#   --browser-smoke    only check that headless Chromium + Selenium work
#   -h, --help
#
# Environment:
#   UNGCUU_TEST_LOG_DIR         logs (default .build/test-logs)
#   UNGCUU_E2E_SCREENSHOTS      e2e screenshots (default $UNGCUU_TEST_LOG_DIR/e2e-screenshots)
#   UNGCUU_TEST_BUDGET_SECONDS  wall-clock budget for the whole run (default 5100)
#   UNGCUU_FUZZ_SECONDS         seconds per fuzz target in the fuzz phase (default 15)
#   UNGCUU_FUZZ_SEED            libFuzzer's seed in the fuzz phase (default 20261125: repeatable runs)
#   UNGCUU_SHARED_DIR           the shared corpora and reference tools (default ../shared beside the repo)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# Nothing here reads standard input (CI has none).
exec </dev/null

# shellcheck source=lib/common.sh
source "$ROOT/scripts/lib/common.sh"
# shellcheck source=lib/deps.sh
source "$ROOT/scripts/lib/deps.sh"
# shellcheck source=lib/pg.sh
source "$ROOT/scripts/lib/pg.sh"

PHASES=(setup build unit fuzz app-sqlite app-postgres e2e release agreement)
declare -A PHASE_DESC=(
    [setup]="install missing Debian packages and the Selenium virtualenv"
    [build]="swift build --build-tests"
    [unit]="swift test --skip-build --filter 'DomainTests|FormatsTests|DetectionTests'"
    [fuzz]="scripts/fuzz.sh --seconds ${UNGCUU_FUZZ_SECONDS:-15}: libFuzzer + ASan on every parser of outside input"
    [app-sqlite]="swift test --skip-build --filter AppTests (SQLite)"
    [app-postgres]="swift test --skip-build --filter AppTests (PostgreSQL)"
    [e2e]="Tests/e2e: sign-in and agency; systems wizard, dossier and .docx; incident report, triage, police, notification .docx; scans and warnings (headless Chromium, LibreOffice)"
    [release]="swift build -c release --product ungcuu (what deployments run)"
    [agreement]="EVTX JSON vs the evtx crate; Sigma regression cases; hunt vs the pySigma SQLite reference"
)
# Per-phase ceilings (seconds); each is also cut to what is left of the budget.
declare -A PHASE_TIMEOUT=(
    [build]=3600
    [unit]=900
    [fuzz]=1200
    [app-sqlite]=1200
    [app-postgres]=1200
    [e2e]=900
    [release]=2700
    [agreement]=1800
)

VENV="$ROOT/.venv-test"
REF_VENV="$ROOT/.venv-ref"
SHARED_DIR=${UNGCUU_SHARED_DIR:-"$(cd "$ROOT/.." && pwd)/shared"}
LOG_DIR=${UNGCUU_TEST_LOG_DIR:-"$ROOT/.build/test-logs"}
SKIP_INSTALL=${UNGCUU_TEST_SKIP_INSTALL:-0}
FAIL_FAST=0
ONLY=""
MODE=full
BIN_DIR=""

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }

while (( $# > 0 )); do
    case $1 in
        --skip-install) SKIP_INSTALL=1 ;;
        --only) ONLY=${2:?--only needs a comma-separated list of phases}; shift ;;
        --only=*) ONLY=${1#--only=} ;;
        --fail-fast) FAIL_FAST=1 ;;
        --pg-smoke) MODE=pg-smoke ;;
        --browser-smoke) MODE=browser-smoke ;;
        -h|--help) usage; exit 0 ;;
        *) warn "unknown option: $1"; usage >&2; exit 2 ;;
    esac
    shift
done

if [[ -n "$ONLY" ]]; then
    for p in ${ONLY//,/ }; do
        [[ -n "${PHASE_DESC[$p]:-}" ]] || { warn "unknown phase in --only: $p (phases: ${PHASES[*]})"; exit 2; }
    done
fi

mkdir -p "$LOG_DIR"
DEFAULT_SHOTS="$LOG_DIR/e2e-screenshots"
export UNGCUU_E2E_SCREENSHOTS=${UNGCUU_E2E_SCREENSHOTS:-"$DEFAULT_SHOTS"}

# The SQLite run must not see a database URL from the caller's environment.
unset UNGCUU_TEST_DATABASE_URL

# The Swift toolchain lives in /opt/swift on our machines.
if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

# Always take the throwaway PostgreSQL down, also on failure or interruption;
# on INT/TERM first end the running command (run_logged waits interruptibly).
cleanup() {
    local rc=$?
    stop_child || true
    smtp_stop || true
    pg_stop || true
    return "$rc"
}
trap cleanup EXIT
trap 'warn "interrupted (SIGINT)"; exit 130' INT
trap 'warn "terminated (SIGTERM)"; exit 143' TERM
trap 'warn "hung up (SIGHUP)"; exit 129' HUP

# --- helpers -------------------------------------------------------------

# count_tests LOG: tests executed according to a `swift test` log
# (XCTest's largest "Executed N tests" + Swift Testing's "Test run with N tests").
count_tests() {
    local clean xc st
    clean=$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$1")
    xc=$(grep -oE 'Executed [0-9]+ tests?' <<<"$clean" | grep -oE '[0-9]+' | sort -n | tail -n 1)
    st=$(grep -oE 'Test run with [0-9]+ tests?' <<<"$clean" | grep -oE '[0-9]+' | tail -n 1)
    echo $(( ${xc:-0} + ${st:-0} ))
}

# run_swift_tests PHASE FILTER [VAR=VALUE...]: run the prebuilt tests matching
# FILTER; fail if they fail or if none ran (a filter that matches nothing
# must not pass silently).
run_swift_tests() {
    local phase=$1 filter=$2; shift 2
    local log="$LOG_DIR/$phase.log" rc n
    log "\$ ${*:+$* }swift test --skip-build --filter '$filter'"
    run_logged "$log" "${PHASE_TIMEOUT[$phase]}" env "$@" swift test --skip-build --filter "$filter"
    rc=$?
    n=$(count_tests "$log")
    PHASE_NOTE[$phase]="$n tests"
    if (( rc == 124 )); then
        PHASE_NOTE[$phase]+=", TIMED OUT; log: $log"
        return "$rc"
    elif (( rc != 0 )); then
        PHASE_NOTE[$phase]+=", swift test exited $rc; log: $log"
        return "$rc"
    fi
    if (( n == 0 )); then
        warn "no test matched --filter '$filter' (log: $log)"
        PHASE_NOTE[$phase]="no test matched the filter"
        return 1
    fi
    return 0
}

resolve_bin_dir() {
    [[ -n "$BIN_DIR" ]] && return 0
    BIN_DIR=$(swift build --show-bin-path 2>/dev/null) || { warn "swift build --show-bin-path failed"; return 1; }
}

# A local SMTP server (aiosmtpd from the test virtualenv) for the e-mail test,
# which reads its port from UNGCUU_TEST_SMTP_PORT (and is skipped, saying so, without it).
SMTP_PID=""
smtp_start() {
    local py="$VENV/bin/python" port i
    [[ -x "$py" ]] || { warn "$py is missing: the aiosmtpd e-mail test will be skipped"; return 0; }
    if ! "$py" -c 'import aiosmtpd' >/dev/null 2>&1; then
        if [[ "$SKIP_INSTALL" == 1 ]]; then
            warn "aiosmtpd is not installed (--skip-install): the aiosmtpd e-mail test will be skipped"
            return 0
        fi
        "$py" -m pip install -q --disable-pip-version-check 'aiosmtpd>=1.4,<2' </dev/null \
            || { warn "pip install aiosmtpd failed: the aiosmtpd e-mail test will be skipped"; return 0; }
    fi
    port=$(free_port) || return 0
    "$py" -m aiosmtpd -n -l "127.0.0.1:$port" >"$LOG_DIR/aiosmtpd.log" 2>&1 </dev/null &
    SMTP_PID=$!
    for i in $(seq 1 50); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            export UNGCUU_TEST_SMTP_PORT=$port
            info "aiosmtpd listening on 127.0.0.1:$port (log: $LOG_DIR/aiosmtpd.log)"
            return 0
        fi
        sleep 0.1
    done
    warn "aiosmtpd did not start (log: $LOG_DIR/aiosmtpd.log): the aiosmtpd e-mail test will be skipped"
    smtp_stop
}

smtp_stop() {
    [[ -n "$SMTP_PID" ]] || return 0
    kill "$SMTP_PID" 2>/dev/null || true
    wait "$SMTP_PID" 2>/dev/null || true
    SMTP_PID=""
    unset UNGCUU_TEST_SMTP_PORT
}

# --- phases (run with `set -e` off: each checks its own steps) -------------

phase_setup() {
    if ! command -v swift >/dev/null 2>&1; then
        warn "the Swift toolchain is not on PATH (nor in /opt/swift/usr/bin)"
        return 1
    fi
    log "swift: $(swift --version 2>&1 | head -n 1)"
    if [[ "$SKIP_INSTALL" == 1 ]]; then
        info "installs skipped (--skip-install)"
        return 0
    fi
    ensure_apt_packages "${APT_PACKAGES[@]}" || return 1
    ensure_venv "$VENV" || return 1
    ensure_ref_venv "$REF_VENV" || return 1
}

phase_release() {
    local log="$LOG_DIR/release.log" rc
    log "\$ swift build -c release --product ungcuu"
    run_logged "$log" "${PHASE_TIMEOUT[release]}" swift build -c release --product ungcuu
    rc=$?
    if (( rc != 0 )); then
        PHASE_NOTE[release]="release build $( (( rc == 124 )) && echo "TIMED OUT" || echo "exited $rc"); log: $log"
        return "$rc"
    fi
}

phase_build() {
    local log="$LOG_DIR/build.log" rc
    log "\$ swift build --build-tests"
    run_logged "$log" "${PHASE_TIMEOUT[build]}" swift build --build-tests
    rc=$?
    if (( rc != 0 )); then
        PHASE_NOTE[build]="swift build $( (( rc == 124 )) && echo "TIMED OUT" || echo "exited $rc"); log: $log"
        return "$rc"
    fi
    resolve_bin_dir || return 1
    if [[ ! -x "$BIN_DIR/ungcuu" ]]; then
        warn "build succeeded but $BIN_DIR/ungcuu is missing"
        return 1
    fi
    PHASE_NOTE[build]="$BIN_DIR/ungcuu"
}

# exchange_validate DIR PHASE: the STIX 2.1 bundles and MISP events written into DIR by the tests
# (UNGCUU_EXCHANGE_OUT) must pass stix2-validator and load in pymisp.
exchange_validate() {
    local dir=$1 phase=$2 py="$VENV/bin/python"
    [[ -x "$py" ]] || { warn "$py is missing: cannot validate the exchange files"; return 1; }
    if ! "$py" -c 'import stix2validator, pymisp' >/dev/null 2>&1; then
        if [[ "$SKIP_INSTALL" == 1 ]]; then
            warn "stix2-validator/pymisp are not installed (--skip-install): cannot validate the exchange files"
            return 1
        fi
        "$py" -m pip install -q --disable-pip-version-check 'stix2-validator>=3,<4' 'pymisp>=2.4,<3' </dev/null \
            || { warn "pip install stix2-validator pymisp failed"; return 1; }
    fi
    log "\$ $py Tests/exchange/validate_exchange.py $dir"
    if ! run_logged "$LOG_DIR/$phase-exchange.log" 300 "$py" "$ROOT/Tests/exchange/validate_exchange.py" "$dir"; then
        PHASE_NOTE[$phase]+="; exchange files invalid (log: $LOG_DIR/$phase-exchange.log)"
        return 1
    fi
    PHASE_NOTE[$phase]+="; $(find "$dir" -name '*.json' | wc -l) STIX/MISP files valid"
}

phase_unit() {
    local rc out="$LOG_DIR/exchange-unit"
    rm -rf "$out"; mkdir -p "$out"
    run_swift_tests unit 'DomainTests|FormatsTests|DetectionTests' "UNGCUU_EXCHANGE_OUT=$out" "UNGCUU_SHARED_DIR=$SHARED_DIR"
    rc=$?
    exchange_validate "$out" unit || rc=1
    return "$rc"
}

# The fuzz package builds on its own (sanitizer and coverage flags, Fuzz/.build), then each target
# runs for UNGCUU_FUZZ_SECONDS on a copy of its seeds; reproducers are kept with the logs.
phase_fuzz() {
    local log="$LOG_DIR/fuzz.log" out="$LOG_DIR/fuzz-artifacts" rc n ok
    rm -rf "$out"
    log "\$ scripts/fuzz.sh --seconds ${UNGCUU_FUZZ_SECONDS:-15} --artifacts $out"
    # A fixed seed makes the short run repeatable: what it finds here, `scripts/fuzz.sh TARGET -- -seed=…`
    # finds again on a developer's machine (the long, random runs are docs/FUZZING.md's).
    run_logged "$log" "${PHASE_TIMEOUT[fuzz]}" "$ROOT/scripts/fuzz.sh" --seconds "${UNGCUU_FUZZ_SECONDS:-15}" --artifacts "$out" \
        -- -seed="${UNGCUU_FUZZ_SEED:-20261125}"
    rc=$?
    n=$(grep -cE '^[a-z-]+ +(OK|CRASH|HANG|OOM|LEAK|STUCK) ' "$log" || true)
    ok=$(grep -cE '^[a-z-]+ +OK ' "$log" || true)
    PHASE_NOTE[fuzz]="$ok/$n targets OK"
    local bad
    bad=$(grep -E '^[a-z-]+ +(CRASH|HANG|OOM|LEAK|STUCK) ' "$log" | awk '{print $1 " " $2}' | paste -sd, - || true)
    [[ -z "$bad" ]] || PHASE_NOTE[fuzz]+=" (failed: $bad)"
    if (( rc == 124 )); then
        PHASE_NOTE[fuzz]+=", TIMED OUT; log: $log"
    elif (( rc != 0 )); then
        PHASE_NOTE[fuzz]+=", scripts/fuzz.sh exited $rc; reproducers: $out; log: $log"
    elif (( n == 0 )); then
        PHASE_NOTE[fuzz]="no target ran; log: $log"
        return 1
    fi
    return "$rc"
}

phase_app_sqlite() {
    local rc out="$LOG_DIR/exchange-app"
    rm -rf "$out"; mkdir -p "$out"
    smtp_start
    run_swift_tests app-sqlite 'AppTests' "UNGCUU_EXCHANGE_OUT=$out"
    rc=$?
    smtp_stop
    exchange_validate "$out" app-sqlite || rc=1
    return "$rc"
}

phase_app_postgres() {
    local rc
    if ! pg_start; then
        pg_print_log_tail
        PHASE_NOTE[app-postgres]="could not start PostgreSQL"
        pg_stop
        return 1
    fi
    run_swift_tests app-postgres 'AppTests' "UNGCUU_TEST_DATABASE_URL=$PG_URL"
    rc=$?
    (( rc == 0 )) || pg_print_log_tail 60
    pg_stop
    return "$rc"
}

phase_e2e() {
    local py="$VENV/bin/python" rc log="$LOG_DIR/e2e.log"
    if [[ ! -x "$py" ]]; then
        warn "$py is missing (run without --skip-install once)"
        return 1
    fi
    resolve_bin_dir || return 1
    if [[ ! -x "$BIN_DIR/ungcuu" ]]; then
        warn "$BIN_DIR/ungcuu is missing (build first)"
        return 1
    fi
    # Do not mix in screenshots of an earlier run (only in our own default dir).
    [[ "$UNGCUU_E2E_SCREENSHOTS" != "$DEFAULT_SHOTS" ]] || rm -rf "$DEFAULT_SHOTS"
    log "  screenshots: $UNGCUU_E2E_SCREENSHOTS"
    rc=0
    local test
    for test in test_signin_agency test_systems_wizard test_incident_flow test_proactive_flow; do
        log "\$ UNGCUU_BIN=$BIN_DIR/ungcuu $py Tests/e2e/$test.py"
        run_logged "$LOG_DIR/e2e-$test.log" "${PHASE_TIMEOUT[e2e]}" env UNGCUU_BIN="$BIN_DIR/ungcuu" \
            "$py" "$ROOT/Tests/e2e/$test.py" || rc=1
    done
    log="$LOG_DIR/e2e-*.log"
    PHASE_NOTE[e2e]="screenshots in $UNGCUU_E2E_SCREENSHOTS"
    (( rc == 0 )) || PHASE_NOTE[e2e]+="; log: $log"
    return "$rc"
}

# The agreement checks run the release binary (the debug one is ~10x slower on these corpora).
phase_agreement() {
    local py="$REF_VENV/bin/python" bin rc=0 corpus="$SHARED_DIR/corpora" notes=()
    if [[ ! -d "$corpus/evtx" || ! -d "$corpus/sigma" ]]; then
        PHASE_NOTE[agreement]="SKIPPED: no corpora in $corpus (set UNGCUU_SHARED_DIR)"
        warn "${PHASE_NOTE[agreement]}"
        return 0
    fi
    [[ -x "$py" ]] || { warn "$py is missing (run without --skip-install once)"; return 1; }
    bin="$(swift build -c release --show-bin-path 2>/dev/null)/ungcuu"
    [[ -x "$bin" ]] || { warn "$bin is missing (the release phase builds it)"; return 1; }
    local check
    for check in "check_evtx_agreement.py --bin $bin --corpus $corpus" \
                 "check_sigma_regression.py --bin $bin --corpus $corpus" \
                 "check_sigma_agreement.py --bin $bin --python $py --corpus $corpus --bench $SHARED_DIR/bench"; do
        local name=${check%%.py*}
        log "\$ $py scripts/$check"
        # shellcheck disable=SC2086
        if run_logged "$LOG_DIR/agreement-$name.log" "${PHASE_TIMEOUT[agreement]}" "$py" "$ROOT/scripts/"$check; then
            notes+=("$name: $(tail -n 1 "$LOG_DIR/agreement-$name.log")")
        else
            rc=1
            notes+=("$name FAILED (log: $LOG_DIR/agreement-$name.log)")
        fi
    done
    PHASE_NOTE[agreement]=$(printf '%s; ' "${notes[@]}")
    return "$rc"
}

# --- smoke modes ------------------------------------------------------------

if [[ $MODE == pg-smoke ]]; then
    if [[ "$SKIP_INSTALL" != 1 ]]; then
        ensure_apt_packages postgresql || exit 1
    fi
    pg_start || { pg_print_log_tail; exit 1; }
    psql "$PG_URL" -v ON_ERROR_STOP=1 -Atc "select current_user, current_database(), version()"
    got=$(psql "$PG_URL" -v ON_ERROR_STOP=1 -Atc "select upper('sở thử nghiệm đầu cuối')")
    [[ "$got" == "SỞ THỬ NGHIỆM ĐẦU CUỐI" ]] || { warn "UTF-8 round trip gave: $got"; exit 1; }
    log "UTF-8 round trip ok: $got"
    dir=$PG_DIR
    pg_stop
    [[ ! -e "$dir" ]] || { warn "$dir was not removed"; exit 1; }
    log "pg-smoke ok (stopped, $dir removed)"
    exit 0
fi

if [[ $MODE == browser-smoke ]]; then
    if [[ "$SKIP_INSTALL" != 1 ]]; then
        ensure_apt_packages chromium chromium-driver || exit 1
        ensure_venv "$VENV" || exit 1
    fi
    exec "$VENV/bin/python" "$ROOT/Tests/e2e/browser_smoke.py"
fi

# --- main -----------------------------------------------------------------

declare -A PHASE_STATUS=() PHASE_SECS=() PHASE_NOTE=()
passed=0
failed=0
blocked=""
total=${#PHASES[@]}

log "UngCuu test run: $(date -u '+%Y-%m-%d %H:%M:%S UTC') on $(uname -srm), $(nproc) cores${CI:+, CI=$CI}"
log "repo: $ROOT   logs: $LOG_DIR   budget: $(fmt_dur "$TEST_BUDGET_SECONDS")"

i=0
for phase in "${PHASES[@]}"; do
    i=$((i + 1))
    if [[ -n "$ONLY" && ",$ONLY," != *",$phase,"* ]]; then
        PHASE_STATUS[$phase]=SKIP
        PHASE_NOTE[$phase]="not selected by --only"
        continue
    fi
    if [[ -n "$blocked" ]]; then
        PHASE_STATUS[$phase]=SKIP
        PHASE_NOTE[$phase]="not run: $blocked failed"
        continue
    fi

    printf '\n%s\n' "========================================================================"
    printf '[%d/%d] %s: %s\n' "$i" "$total" "$phase" "${PHASE_DESC[$phase]}"
    printf '      started %s, %s into the run\n' "$(date '+%H:%M:%S')" "$(fmt_dur "$(elapsed_total)")"
    printf '%s\n' "========================================================================"

    t0=$(now)
    set +e
    "phase_${phase//-/_}"
    rc=$?
    set -e
    secs=$(( $(now) - t0 ))
    PHASE_SECS[$phase]=$secs

    if (( rc == 0 )); then
        PHASE_STATUS[$phase]=PASS
        passed=$((passed + 1))
    else
        PHASE_STATUS[$phase]=FAIL
        failed=$((failed + 1))
        if [[ $phase == setup || $phase == build || $FAIL_FAST == 1 ]]; then
            blocked=$phase
        fi
    fi
    printf -- '--> [%d/%d] %s: %s in %s%s\n' "$i" "$total" "$phase" "${PHASE_STATUS[$phase]}" \
        "$(fmt_dur "$secs")" "${PHASE_NOTE[$phase]:+ (${PHASE_NOTE[$phase]})}"
done

printf '\n%s\n' "========================================================================"
printf 'Summary (total %s)\n' "$(fmt_dur "$(elapsed_total)")"
for phase in "${PHASES[@]}"; do
    if [[ -n "${PHASE_SECS[$phase]:-}" ]]; then
        dur=$(fmt_dur "${PHASE_SECS[$phase]}")
    else
        dur="-"
    fi
    printf '  %-4s  %-13s %8s  %s\n' "${PHASE_STATUS[$phase]}" "$phase" "$dur" "${PHASE_NOTE[$phase]:-}"
done
printf '%s\n' "========================================================================"
pg_stop || true
printf '%d passed, %d failed\n' "$passed" "$failed"
if (( failed > 0 )); then
    exit 1
fi
exit 0
