# Shared set-up for the benchmarks: a release build, a throwaway data directory, an administrator
# with an API token, and helpers to start and stop the server. Source it from a bench script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# UNGCUU_BIN names an already built executable (e.g. from another --scratch-path); otherwise build release.
if [[ -n "${UNGCUU_BIN:-}" ]]; then
  BIN=$(realpath "$UNGCUU_BIN")
else
  swift build -c release --product ungcuu >/dev/null
  BIN="$(swift build -c release --show-bin-path)/ungcuu"
fi
DATA="$(mktemp -d)"
PID=
trap 'kill ${PID:-} 2>/dev/null || true; rm -rf "$DATA"' EXIT
export UNGCUU_DATA_DIR="$DATA" UNGCUU_BCRYPT_COST=10 LOG_LEVEL=warning
printf 'do-kiem-ngựa-vằn-2026' | "$BIN" create-admin --email bench@bench.vn --name Bench --password-stdin >/dev/null
TOKEN=$("$BIN" token create --email bench@bench.vn --name bench)

# bench_serve PORT: starts the server and waits until it answers.
bench_serve() {
  PORT=$1
  "$BIN" serve --port "$PORT" >"$DATA/server.log" 2>&1 & PID=$!
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "the server did not start; see $DATA/server.log" >&2; return 1
}

bench_stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }

# bench_agencies N: creates agencies DV-1 … DV-N through the API.
bench_agencies() {
  for i in $(seq 1 "$1"); do
    curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d "{\"code\":\"DV-$i\",\"name\":\"Đơn vị thử $i\",\"kind\":\"department\"}" "http://127.0.0.1:$PORT/api/v1/agencies"
  done
}
