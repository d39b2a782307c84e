# shellcheck shell=bash
# Shared helpers for scripts/test.sh: logging, durations, a global time budget
# and command timeouts. Sourced, never executed.

# Wall-clock start of the whole run, and the budget every phase must fit in.
TEST_T0=${TEST_T0:-$(date +%s)}
# CI allows 90 minutes; keep a margin for cloning and teardown.
TEST_BUDGET_SECONDS=${UNGCUU_TEST_BUDGET_SECONDS:-5100}

log()  { printf '%s\n' "$*"; }
info() { printf -- '--- %s\n' "$*"; }
warn() { printf -- '!!! %s\n' "$*" >&2; }

fmt_dur() { # seconds -> 1m05s
    local s=$1
    printf '%dm%02ds' $((s / 60)) $((s % 60))
}

now() { date +%s; }

elapsed_total() { echo $(( $(now) - TEST_T0 )); }

remaining_budget() { echo $(( TEST_BUDGET_SECONDS - $(elapsed_total) )); }

# run_logged LOG MAX_SECONDS CMD...: run CMD with its output (stdout+stderr)
# written to LOG and streamed to our stdout, killed after min(MAX, what is left
# of the budget). Returns CMD's status, or 124 on timeout (and says so).
#
# CMD runs in the background under `timeout`, which leads its own process
# group and on expiry sends INT to all of it (swift build/test and the e2e
# script handle INT by ending the processes they started), then KILL 30 s
# later. We `wait` for it: unlike a foreground command, `wait` lets our
# INT/TERM trap run at once (see stop_child).
CHILD_PID=""
TAIL_PID=""
run_logged() {
    local logfile=$1 max=$2; shift 2
    local left t t0 rc
    left=$(remaining_budget)
    if (( left < 30 )); then
        warn "time budget of $(fmt_dur "$TEST_BUDGET_SECONDS") exhausted; not starting: $*"
        return 124
    fi
    t=$(( max < left ? max : left ))
    t0=$(now)
    : >"$logfile"
    timeout --signal=INT --kill-after=30s "$t" "$@" >>"$logfile" 2>&1 </dev/null &
    CHILD_PID=$!
    tail -n +1 -f --pid="$CHILD_PID" "$logfile" &
    TAIL_PID=$!
    wait "$CHILD_PID"
    rc=$?
    CHILD_PID=""
    wait "$TAIL_PID" 2>/dev/null || true
    TAIL_PID=""
    if (( rc == 124 || (rc == 137 && $(now) - t0 >= t) )); then
        warn "TIMED OUT after $(fmt_dur "$t"): $*"
        return 124
    fi
    return "$rc"
}

# stop_child: end the command run_logged is waiting for (from a signal trap).
# INT first, passed on by `timeout` to its process group: `swift test` and
# `swift build` handle it by ending the test or compiler processes they started
# in process groups of their own. Then TERM, then KILL to the whole group.
stop_child() {
    local pid=$CHILD_PID sig i
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        warn "stopping: $(ps -o args= -p "$pid" 2>/dev/null | cut -c1-120)"
        for sig in INT TERM; do
            kill -"$sig" "$pid" 2>/dev/null || true
            for ((i = 0; i < 20; i++)); do
                kill -0 "$pid" 2>/dev/null || break 2
                sleep 0.5
            done
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    CHILD_PID=""
    if [[ -n "$TAIL_PID" ]]; then
        kill "$TAIL_PID" 2>/dev/null || true
        TAIL_PID=""
    fi
}

# free_port: print a TCP port that is free on 127.0.0.1 right now.
free_port() {
    python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

# as_root CMD...: run CMD as root (directly when we are root, else via sudo).
as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        warn "need root for: $*"
        return 1
    fi
}
