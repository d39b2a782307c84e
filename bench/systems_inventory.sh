#!/usr/bin/env bash
# Imports a 5,000-row inventory spreadsheet (.xlsx) and computes every obligation of the 5,000 systems,
# on embedded SQLite (and on PostgreSQL too when DATABASE_URL is set).
# Usage: bash bench/systems_inventory.sh [ROWS]   (builds release first)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-5000}
swift build -c release --product ungcuu >/dev/null
BIN="$(swift build -c release --show-bin-path)/ungcuu"
DATA="$(mktemp -d)"; PORT=18091
trap 'kill ${PID:-} 2>/dev/null || true; rm -rf "$DATA"' EXIT
export UNGCUU_DATA_DIR="$DATA" UNGCUU_BCRYPT_COST=10 LOG_LEVEL=warning
printf 'kho-danh-muc-ngựa-2026' | "$BIN" create-admin --email bench@bench.vn --name Bench --password-stdin >/dev/null
TOKEN=$("$BIN" token create --email bench@bench.vn --name bench)
"$BIN" serve --port $PORT >"$DATA/server.log" 2>&1 & PID=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
CODES=()
for i in $(seq 1 40); do
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"code\":\"DV-$i\",\"name\":\"Đơn vị thử $i\",\"kind\":\"department\"}" "http://127.0.0.1:$PORT/api/v1/agencies"
  CODES+=("DV-$i")
done
kill $PID; wait $PID 2>/dev/null || true; PID=
python3 bench/make_inventory_xlsx.py "$DATA/inventory.xlsx" "$ROWS" "${CODES[@]}"
echo "inventory: $ROWS rows, $(du -k "$DATA/inventory.xlsx" | cut -f1) KiB (.xlsx), 40 agencies"
echo "--- import (read, check every row, write all in one transaction)"
/usr/bin/time -f "wall %e s, max RSS %M KiB" "$BIN" import-systems "$DATA/inventory.xlsx"
echo "--- obligations for every system"
"$BIN" obligations refresh
"$BIN" obligations refresh
