#!/usr/bin/env bash
# Matches 250,000 generated NVD CVE records (shapes of the real ones) against 10,000 system components with
# `ungcuu match-cves` on one core (taskset), and prints the time, records per second, matches and peak memory.
# Aim: under 10 s. Usage: bash bench/cve_matching.sh [RECORDS] [COMPONENTS]   (builds release first; UNGCUU_BIN to reuse)
RECORDS=${1:-250000}
COMPONENTS=${2:-10000}
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -n "${UNGCUU_BIN:-}" ]]; then BIN=$(realpath "$UNGCUU_BIN"); else
  swift build -c release --product ungcuu >/dev/null; BIN="$(swift build -c release --show-bin-path)/ungcuu"; fi
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
python3 bench/make_cve_feed.py "$WORK" "$RECORDS" "$COMPONENTS"
echo "feeds: $RECORDS records in $(ls "$WORK"/nvdcve-*.json | wc -l) files, $(du -cm "$WORK"/nvdcve-*.json | tail -1 | cut -f1) MB; inventory: $COMPONENTS components"
PIN=(); command -v taskset >/dev/null && PIN=(taskset -c 0)
for run in 1 2; do
  t0=$(date +%s.%N)
  "${PIN[@]}" /usr/bin/time -f "%M" -o "$WORK/rss" "$BIN" match-cves --inventory "$WORK/inventory.json" "$WORK"/nvdcve-*.json >"$WORK/matches.jsonl"
  t1=$(date +%s.%N)
  python3 - "$run" "$t0" "$t1" "$RECORDS" "$(wc -l <"$WORK/matches.jsonl")" "$(cat "$WORK/rss")" <<'PY'
import sys
run, t0, t1, n, m, rss = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
s = t1 - t0
print(f"run {run}: {s:6.2f} s (one core, reading and parsing the feeds included)  {n / s:9.0f} records/s  {m} matches  peak RSS {rss / 1024:.1f} MiB")
PY
done
echo "a sample match:"; head -1 "$WORK/matches.jsonl"
