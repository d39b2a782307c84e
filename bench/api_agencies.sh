#!/usr/bin/env bash
# GET /api/v1/agencies with 50 agencies under wrk -t2 -c32 -d10s, plus idle server memory.
# Usage: bash bench/api_agencies.sh   (builds release first; needs wrk from Debian)
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source "$(dirname "$0")/lib.sh"
bench_serve 18090
bench_agencies 50
sleep 1
echo "idle RSS: $(awk '/VmRSS/{print $2, $3}' /proc/$PID/status)"
wrk -t2 -c32 -d10s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/agencies?per=50"
echo "RSS after load: $(awk '/VmRSS/{print $2, $3}' /proc/$PID/status)"
