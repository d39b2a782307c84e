#!/usr/bin/env bash
# Imports a 5,000-row inventory spreadsheet (.xlsx) and computes every obligation of the 5,000 systems,
# on embedded SQLite (on PostgreSQL when DATABASE_URL is set and migrated).
# Usage: bash bench/systems_inventory.sh [ROWS]   (builds release first)
ROWS=${1:-5000}
source "$(dirname "$0")/lib.sh"
bench_serve 18091
bench_agencies 40
bench_stop
python3 bench/make_inventory_xlsx.py "$DATA/inventory.xlsx" "$ROWS" $(printf 'DV-%d ' $(seq 1 40))
echo "inventory: $ROWS rows, $(du -k "$DATA/inventory.xlsx" | cut -f1) KiB (.xlsx), 40 agencies"
echo "--- import (read, check every row, write all in one transaction)"
/usr/bin/time -f "wall %e s, max RSS %M KiB" "$BIN" import-systems "$DATA/inventory.xlsx"
echo "--- obligations for every system (twice: cold and warm)"
"$BIN" obligations refresh
"$BIN" obligations refresh
