#!/usr/bin/env bash
# GET /api/v1/agencies with 50 agencies under wrk -t2 -c32 -d10s, plus idle server memory.
# Usage: bash bench/api_agencies.sh   (builds release first; needs wrk from Debian)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product ungcuu >/dev/null
BIN="$(swift build -c release --show-bin-path)/ungcuu"
DATA="$(mktemp -d)"; PORT=18090
trap 'kill ${PID:-} 2>/dev/null || true; rm -rf "$DATA"' EXIT
export UNGCUU_DATA_DIR="$DATA" UNGCUU_BCRYPT_COST=10 LOG_LEVEL=warning
printf 'wrk-load-measure-ngựa-2026' | "$BIN" create-admin --email bench@bench.vn --name Bench --password-stdin >/dev/null
TOKEN=$("$BIN" token create --email bench@bench.vn --name bench)
"$BIN" serve --port $PORT >"$DATA/server.log" 2>&1 & PID=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
for i in $(seq 1 50); do
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"code\":\"BENCH-$i\",\"name\":\"Đơn vị thử $i\",\"kind\":\"department\"}" "http://127.0.0.1:$PORT/api/v1/agencies"
done
sleep 1
echo "idle RSS: $(awk '/VmRSS/{print $2, $3}' /proc/$PID/status)"
wrk -t2 -c32 -d10s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/agencies?per=50"
echo "RSS after load: $(awk '/VmRSS/{print $2, $3}' /proc/$PID/status)"
