#!/usr/bin/env bash
# Imports a generated nmap XML of 10,000 hosts (50,000 open-port findings) and a Nessus file of 100,000
# findings into one system each, through `ungcuu import-scan` on embedded SQLite (PostgreSQL when
# DATABASE_URL is set and migrated), and prints findings per second and peak memory (max RSS) of each import,
# then a re-import of the Nessus file (every finding already known: the dedupe path).
# Usage: bash bench/scan_import.sh [NMAP_HOSTS] [NESSUS_FINDINGS]   (builds release first; UNGCUU_BIN to reuse a binary)
HOSTS=${1:-10000}
FINDINGS=${2:-100000}
source "$(dirname "$0")/lib.sh"
bench_serve 18093
bench_agencies 1
bench_stop
# Two systems, HT-00001 and HT-00002, from an inventory import; --keep-hosts all keeps the generated hosts.
python3 bench/make_inventory_xlsx.py "$DATA/inventory.xlsx" 2 DV-1
"$BIN" import-systems "$DATA/inventory.xlsx" >/dev/null
python3 bench/make_scan_reports.py nmap "$DATA/bench.xml" "$HOSTS"
python3 bench/make_scan_reports.py nessus "$DATA/bench.nessus" "$FINDINGS"
measure() { # label system file expected-findings
  local t0 t1 out
  t0=$(date +%s.%N)
  out=$(/usr/bin/time -f "%M" "$BIN" import-scan --system "$2" --keep-hosts all "$3" 2>"$DATA/time.txt" >"$DATA/import.txt"; tail -1 "$DATA/time.txt")
  t1=$(date +%s.%N)
  python3 - "$1" "$t0" "$t1" "$4" "$out" "$(du -m "$3" | cut -f1)" <<'PY'
import sys
label, t0, t1, n, rss, mb = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
s = t1 - t0
print(f"{label:<34} {mb:>4} MB  {n:>7} findings  {s:7.2f} s  {n / s:9.0f} findings/s  peak RSS {rss / 1024:6.1f} MiB")
PY
  sed 's/^/    /' "$DATA/import.txt" | tail -3
}
echo "--- import-scan (parse twice: check and hosts, then import in one transaction)"
measure "nmap XML, $HOSTS hosts" HT-00001 "$DATA/bench.xml" $((HOSTS * 5))
measure "Nessus, $FINDINGS findings" HT-00002 "$DATA/bench.nessus" "$FINDINGS"
measure "Nessus again (all known: dedupe)" HT-00002 "$DATA/bench.nessus" "$FINDINGS"
