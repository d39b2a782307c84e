# Sourced by the detection benchmarks: REF_PY = the Python of .venv-ref with the reference tools
# (Rust evtx, pySigma + SQLite backend), created on first use; SHARED = ../shared (corpora, reference scripts).
SHARED=${UNGCUU_SHARED_DIR:-"$(cd .. && pwd)/shared"}
[[ -d "$SHARED/corpora" ]] || { echo "no corpora in $SHARED (set UNGCUU_SHARED_DIR)" >&2; exit 2; }
if [[ ! -x .venv-ref/bin/python ]] || ! .venv-ref/bin/python -c 'import evtx, orjson, sigma.backends.sqlite' 2>/dev/null; then
  LOG_DIR=$(mktemp -d)
  # shellcheck source=../scripts/lib/common.sh
  source scripts/lib/common.sh
  # shellcheck source=../scripts/lib/deps.sh
  source scripts/lib/deps.sh
  ensure_ref_venv "$PWD/.venv-ref" >&2 || exit 2
fi
REF_PY="$PWD/.venv-ref/bin/python"
# The release executable (UNGCUU_BIN names one built elsewhere).
if [[ -n "${UNGCUU_BIN:-}" ]]; then
  BIN=$(realpath "$UNGCUU_BIN")
else
  swift build -c release --product ungcuu >/dev/null
  BIN="$(swift build -c release --show-bin-path)/ungcuu"
fi
