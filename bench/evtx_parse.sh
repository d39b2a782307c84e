#!/usr/bin/env bash
# EVTX parsing speed, single thread: `ungcuu evtx` (our pure Swift parser, JSON out) against the Rust
# `evtx` crate (PyPI evtx 0.14, records_json, one thread) on the same files, in one run.
#   bench/evtx_parse.sh [PATHS...]   (default: every .evtx of ../shared/corpora/evtx)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/ref_venv.sh
paths=("$@"); (( ${#paths[@]} )) || paths=("$SHARED/corpora/evtx")
exec "$REF_PY" bench/evtx_parse.py --bin "$BIN" "${paths[@]}"
