#!/usr/bin/env bash
# Case list, board and search at scale: 100,000 cases over three years in 40 agencies with 1,000,000
# timeline entries, ~200,000 observables, their systems, assignees, reports and legal clocks; p50/p95/p99
# of the API list (default, by agency, open, overdue), the list page, the board and search (a word found
# only in notes, an IP address among observables, a case number) as a coordinator (whole province) and as
# an agency officer (own agency), sequentially and from 8 connections, and the server's memory.
# Usage: bash bench/incidents_scale.sh [CASES] [TIMELINE]   (builds release first unless UNGCUU_BIN names a binary)
#   INCIDENTS_PG=1 …   the same on a throwaway PostgreSQL cluster (Debian's postgresql packages)
#   REQUESTS=40 CONCURRENCY=8 CONCURRENT_SECONDS=20 …   sequential requests per query, connections and duration of the concurrent run
#   INCIDENTS_KEEP=1 …   keeps the loaded data directory (and cluster) and leaves the server running
CASES=${1:-100000}
TIMELINE=${2:-1000000}
cd "$(dirname "$0")/.."
if [[ ${INCIDENTS_PG:-} == 1 ]]; then
  source scripts/lib/common.sh
  source scripts/lib/pg.sh
  PG_DB=ungcuu_bench pg_start >/dev/null
  export DATABASE_URL=$PG_URL UNGCUU_AUTO_MIGRATE=true
fi
source bench/lib.sh
if [[ ${INCIDENTS_KEEP:-} == 1 ]]; then
  trap 'echo "kept: UNGCUU_DATA_DIR=$DATA ${DATABASE_URL:+DATABASE_URL=$DATABASE_URL} server pid ${PID:-none}"' EXIT
else
  trap 'kill ${PID:-} 2>/dev/null || true; rm -rf "$DATA"; [[ ${INCIDENTS_PG:-} == 1 ]] && pg_stop >/dev/null; true' EXIT
fi
backend=${DATABASE_URL:+PostgreSQL}
echo "backend: ${backend:-SQLite}; binary: $BIN"

echo "--- 40 agencies through the API, 400 systems from an inventory import"
bench_serve 18092
bench_agencies 40
bench_stop
python3 bench/make_inventory_xlsx.py "$DATA/inventory.xlsx" 400 $(printf 'DV-%d ' $(seq 1 40))
"$BIN" import-systems "$DATA/inventory.xlsx" >/dev/null

echo "--- loading $CASES cases and $TIMELINE timeline entries"
if [[ -n ${DATABASE_URL:-} ]]; then
  out=$(python3 bench/make_incidents.py pg "$DATABASE_URL" "$CASES" "$TIMELINE")
  size="$(psql -X -At "$DATABASE_URL" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
else
  out=$(python3 bench/make_incidents.py sqlite "$DATA/ungcuu.sqlite" "$CASES" "$TIMELINE")
  size="$(du -h "$DATA/ungcuu.sqlite" | cut -f1)"
fi
echo "$out" | grep -v '^[A-Z_]*='
eval "$(echo "$out" | grep '^[A-Z_]*=')"
echo "  database size: $size"
COORD=$("$BIN" token create --email dieuphoi@bench.vn --name bench)
OFFICER=$("$BIN" token create --email donvi@bench.vn --name bench)

echo "--- every open case's legal clocks recomputed (the 15-minute job incidents.clocks)"
/usr/bin/time -f "  wall %e s, max RSS %M KiB" "$BIN" jobs run incidents.clocks >/dev/null

bench_serve 18093
sql() { if [[ -n ${DATABASE_URL:-} ]]; then psql -X -At "$DATABASE_URL" -c "$1"; else sqlite3 "$DATA/ungcuu.sqlite" "$1"; fi; }
# Wait for the jobs queued at start (the systems' obligations, every open case's clocks) to finish.
started=$(date +%s)
sleep 1
while [[ $(sql "SELECT count(*) FROM jobs WHERE state IN ('queued','running')") != 0 ]]; do sleep 1; done
echo "--- start-up jobs (obligations, clocks of open cases) finished after $(( $(date +%s) - started )) s; RSS $(awk '/VmRSS/{print $2/1024 " MiB"}' /proc/$PID/status)"

DV1=$(sql "SELECT id FROM agencies WHERE code = 'DV-1'" | tr 'A-Z' 'a-z')
SPEC="$DATA/spec.tsv"
C="token:$COORD" O="token:$OFFICER" P="login:dieuphoi@bench.vn:do-kiem-ngựa-vằn-2026" PO="login:donvi@bench.vn:do-kiem-ngựa-vằn-2026"
{
  printf '%s\t%s\t%s\t%s\n' \
    "API list (newest 50)"            coordinator "$C" "/api/v1/incidents?per=50" \
    "API list, agency DV-1"           coordinator "$C" "/api/v1/incidents?per=50&agency=$DV1" \
    "API list, phase=open"            coordinator "$C" "/api/v1/incidents?per=50&phase=open" \
    "API list, overdue clocks"        coordinator "$C" "/api/v1/incidents?per=50&overdue=1" \
    "API list, page 100"              coordinator "$C" "/api/v1/incidents?per=50&page=100" \
    "API search: word in notes"       coordinator "$C" "/api/v1/incidents/search?per=50&q=webshell" \
    "API search: IP in observables"   coordinator "$C" "/api/v1/incidents/search?per=50&q=$HOT_IP" \
    "API search: case number"         coordinator "$C" "/api/v1/incidents/search?per=50&q=$SAMPLE_NUMBER" \
    "page /incidents"                 coordinator "$P" "/incidents" \
    "page /incidents?q=emotet"        coordinator "$P" "/incidents?q=emotet" \
    "page /incidents/board"           coordinator "$P" "/incidents/board" \
    "API list (newest 50)"            officer "$O" "/api/v1/incidents?per=50" \
    "API list, phase=open"            officer "$O" "/api/v1/incidents?per=50&phase=open" \
    "API list, overdue clocks"        officer "$O" "/api/v1/incidents?per=50&overdue=1" \
    "API search: word in notes"       officer "$O" "/api/v1/incidents/search?per=50&q=webshell" \
    "API search: IP in observables"   officer "$O" "/api/v1/incidents/search?per=50&q=$HOT_IP" \
    "API search: case number"         officer "$O" "/api/v1/incidents/search?per=50&q=$SAMPLE_NUMBER" \
    "page /incidents"                 officer "$PO" "/incidents" \
    "page /incidents/board"           officer "$PO" "/incidents/board"
} >"$SPEC"
python3 bench/incidents_client.py "http://127.0.0.1:$PORT" "$PID" "$SPEC" "${REQUESTS:-40}" "${CONCURRENCY:-8}" "${CONCURRENT_SECONDS:-20}"
[[ ${INCIDENTS_KEEP:-} == 1 ]] || bench_stop
