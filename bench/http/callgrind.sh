#!/usr/bin/env bash
# User-space instructions per heartbeat in dnsd (valgrind's callgrind; exact, unlike req/s on a
# busy machine). Starts DNSD under callgrind with instrumentation off, warms up 4 s with wrk,
# switches instrumentation on for SECONDS of wrk -t1 -c4, dumps, stops dnsd, and prints
# Ir / requests.
#   bench/http/callgrind.sh DNSD renew|new [SECONDS=8]
# Env: HB_INSTANCES (100), HB_SERVICES (10). Output: /tmp/bench-http-cg.*/
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dnsd=$1; mode=$2; secs=${3:-8}
export HB_MODE=$mode HB_INSTANCES=${HB_INSTANCES:-100} HB_SERVICES=${HB_SERVICES:-10}
dir=$(mktemp -d /tmp/bench-http-cg.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port); dport=$(free_port)
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$dir/dnsd.cg" \
    "$dnsd" --http "127.0.0.1:$port" --dns "127.0.0.1:$dport" --data-dir "$dir/data" \
    --threads 1 --log-level warn --node-name cg >"$dir/log" 2>&1 &
pid=$!
for _ in $(seq 300); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
wrk -t1 -c4 -d4s -s "$here/heartbeat.lua" "http://127.0.0.1:$port/v1/heartbeat" >/dev/null
callgrind_control -i on "$pid" >/dev/null
line=$(wrk -t1 -c4 -d"${secs}s" -s "$here/heartbeat.lua" "http://127.0.0.1:$port/v1/heartbeat" | grep WRKRESULT)
callgrind_control -d "$pid" >/dev/null
callgrind_control -i off "$pid" >/dev/null
kill -TERM "$pid"; wait "$pid"
requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
ir=$(callgrind_annotate "$dir/dnsd.cg.1" 2>/dev/null | grep -m1 'PROGRAM TOTALS' | awk '{gsub(",","",$1); print $1}')
echo "$line"
echo "mode $mode: $ir instructions for $requests requests: $((ir / requests)) per heartbeat ($dir/dnsd.cg.1)"
