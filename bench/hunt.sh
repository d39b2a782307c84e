#!/usr/bin/env bash
# Hunting speed: every Sigma rule of ../shared/corpora/sigma/rules/windows over 1,000,000 events (the
# corpus's EVTX records, flattened and repeated), `ungcuu hunt` against the pySigma SQLite reference
# (../shared/bench/sigma_sqlite_reference.py, the approach of Zircolite), in one run, loading included.
#   bench/hunt.sh [ROWS]    (default 1000000; set SKIP_REFERENCE=1 to time only ungcuu)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/ref_venv.sh
ROWS=${1:-1000000}
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
"$REF_PY" "$SHARED/bench/flatten_evtx.py" "$WORK/base.jsonl" "$SHARED/corpora/evtx" 2>"$WORK/flatten.log"
"$REF_PY" - "$WORK/base.jsonl" "$WORK/events.jsonl" "$ROWS" <<'PY'
import sys
src, dst, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(src, "rb").read().splitlines(keepends=True)
with open(dst, "wb") as f:
    for i in range(rows): f.write(lines[i % len(lines)])
PY
echo "events: $(wc -l <"$WORK/base.jsonl") distinct, $ROWS lines, $(du -m "$WORK/events.jsonl" | cut -f1) MB; rules: $SHARED/corpora/sigma/rules/windows"
"$REF_PY" - "$BIN" "$SHARED/corpora/sigma/rules/windows" "$WORK/events.jsonl" "$ROWS" <<'PY'
import resource, subprocess, sys, time
bin, rules, events, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t0 = time.perf_counter()
r = subprocess.run([bin, "hunt", "--rules", rules, events], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
dt = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
if r.returncode != 0: sys.exit(f"ungcuu hunt exited {r.returncode}: {r.stderr.decode()[-2000:]}")
summary = [l for l in r.stderr.decode().splitlines() if l.strip()][-1:]
print(f"ungcuu hunt: {rows} events in {dt:.2f} s (rules loaded and compiled included) -> {rows / dt:,.0f} events/s; "
      f"{r.stdout.count(b'\n')} matches; peak RSS {rss:.0f} MiB")
if summary: print(f"  its summary: {summary[0]}")
open(sys.argv[3] + ".rate", "w").write(str(rows / dt))
PY
if [[ "${SKIP_REFERENCE:-0}" != 1 ]]; then
  echo "reference (pySigma -> SQLite, sysmon + windows pipelines):"
  "$REF_PY" "$SHARED/bench/sigma_sqlite_reference.py" --events "$WORK/base.jsonl" --rows "$ROWS" | tee "$WORK/ref.txt" | sed 's/^/  /'
  ours=$(cat "$WORK/events.jsonl.rate")
  ref=$(grep -oE 'total including .* -> [0-9,]+ events/s' "$WORK/ref.txt" | grep -oE '[0-9,]+ events/s' | tr -d ', events/')
  python3 -c "print(f'ratio (loading included): ungcuu is {float($ours) / float($ref):.1f}x the reference')"
fi
