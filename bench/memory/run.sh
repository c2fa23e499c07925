#!/usr/bin/env bash
# Memory and start-up of dnsd at scale (issue 5):
#   - time from exec to the first correct DNS answer, loading a cache.json of N instances;
#   - RSS per instance = (VmRSS with N instances - VmRSS of an empty dnsd) / N;
#   - optionally the same registry built by heartbeats over HTTP (--heartbeats, slower).
# Usage: bench/memory/run.sh [--services S] [--per M] [--dnsd PATH] [--heartbeats] [--short]
#   defaults: 200000 services x 5 = 1,000,000 instances; --short: 20000 x 5.
# The generated cache.json lives in a temporary directory, removed at exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
services=200000
per=5
dnsd=""
with_heartbeats=0
while [ $# -gt 0 ]; do
    case "$1" in
        --services) services=$2; shift 2 ;;
        --per) per=$2; shift 2 ;;
        --dnsd) dnsd=$2; shift 2 ;;
        --heartbeats) with_heartbeats=1; shift ;;
        --short) services=20000; shift ;;
        -h|--help) sed -n 2,9p "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$dnsd" ]; then
    for d in build-bmem build-bench build build-release; do
        if [ -x "$root/$d/dnsd/dnsd" ]; then dnsd="$root/$d/dnsd/dnsd"; break; fi
    done
fi
[ -x "$dnsd" ] || { echo "no dnsd binary found; pass --dnsd PATH" >&2; exit 2; }
n=$((services * per))

work=$(mktemp -d /tmp/dnsd-bench-memory.XXXXXX)
pid=""
stop_dnsd() {
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
}
cleanup() { stop_dnsd; rm -rf "$work"; }
trap cleanup EXIT INT TERM

status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# start_dnsd DATA_DIR: sets pid, dns_port, http_port, t0 (epoch seconds just before exec).
start_dnsd() {
    read -r dns_port http_port < <(python3 "$here/probe.py" ports 2)
    t0=$(python3 -c 'import time; print("%.6f" % time.time())')
    "$dnsd" --dns "127.0.0.1:$dns_port" --http "127.0.0.1:$http_port" --data-dir "$1" \
        --node-name bench --threads 1 --log-level info 2>>"$work/dnsd.log" &
    pid=$!
}

# wait_answer NAME ADDR LIMIT_S: prints seconds from t0 to the first correct A answer.
wait_answer() { python3 "$here/probe.py" wait-a "$dns_port" "$1" "$2" "$t0" "$3"; }

settled_rss() {  # RSS after the allocator and the first build have settled
    sleep 1
    echo "$(status_kb "$pid" VmRSS) $(status_kb "$pid" VmHWM)"
}

echo "dnsd: $dnsd"
echo "instances: $n ($services services x $per)"

# 1. An empty dnsd: the baseline.
mkdir -p "$work/empty"
start_dnsd "$work/empty"
empty_start=$(wait_answer dnsd.svc 127.0.0.1 20) || {
    echo "the empty dnsd did not answer; its log:" >&2; tail -5 "$work/dnsd.log" >&2; exit 1; }
# dnsd.svc answers with the node itself; any A answer shows it serves.
read -r empty_rss empty_hwm < <(settled_rss)
stop_dnsd

# 2. Start-up from cache.json.
mkdir -p "$work/cache"
gen_start=$(date +%s.%N)
# The last instance of the file (dnsd writes by name: svc-99999 comes after svc-199999).
read -r last_name last_addr < <(python3 "$here/gen_cache.py" "$work/cache/cache.json" "$services" "$per")
gen_s=$(echo "$(date +%s.%N) - $gen_start" | bc)
file_mb=$(( $(stat -c %s "$work/cache/cache.json") / 1048576 ))
# Page the file in first: the figure is dnsd's work, not the disk's.
cat "$work/cache/cache.json" > /dev/null
start_dnsd "$work/cache"
cpu_s() {  # user + system CPU seconds of dnsd so far: a figure the machine's load hardly moves
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}
load_s=$(wait_answer "$last_name.svc" "$last_addr" 120) || {
    echo "no correct answer within 120 s; dnsd's log:" >&2; tail -5 "$work/dnsd.log" >&2; exit 1; }
load_cpu=$(cpu_s "$pid")
read -r cache_rss cache_hwm < <(settled_rss)
# A loaded registry is not written again until it changes. One more instance makes a write
# due: its copy of the registry is the peak (VmHWM); once on disk the copy is freed, and the
# resident size between writes is the second figure.
writes() {
    curl -sf "http://127.0.0.1:$http_port/metrics" | awk '$1 == "dnsd_snapshot_writes_total" { print $2 }'
}
curl -sf -XPOST "http://127.0.0.1:$http_port/v1/heartbeat" \
    -d '{"service":"bench-extra","address":"10.255.0.1","port":80}' >/dev/null
for _ in $(seq 1 600); do [ "$(writes)" -ge 1 ] 2>/dev/null && break; sleep 0.1; done
steady_writes=$(writes || echo '?')
read -r steady_rss steady_hwm < <(settled_rss)
term_start=$(date +%s.%N)
stop_dnsd
term_s=$(echo "$(date +%s.%N) - $term_start" | bc)

per_instance() { echo "scale=0; ($1 - $empty_rss) * 1024 / $n" | bc; }

# 3. Optionally, the same registry built by heartbeats.
hb_row=""
if [ "$with_heartbeats" = 1 ]; then
    mkdir -p "$work/hb"
    start_dnsd "$work/hb"
    wait_answer dnsd.svc 127.0.0.1 20 > /dev/null
    hb_start=$(date +%s.%N)
    python3 "$here/probe.py" heartbeats "$http_port" "$services" "$per"
    hb_s=$(echo "$(date +%s.%N) - $hb_start" | bc)
    read -r hb_rss hb_hwm < <(settled_rss)
    hb_row=$(printf '%-22s %10s %10s %14s %s' "heartbeats" "$hb_rss" "$hb_hwm" \
        "$(per_instance "$hb_rss")" "registered in ${hb_s}s")
    stop_dnsd
fi

echo
printf '%-22s %10s %10s %14s %s\n' "registry" "VmRSS kB" "VmHWM kB" "B/instance" "notes"
printf '%-22s %10s %10s %14s %s\n' "empty" "$empty_rss" "$empty_hwm" "-" "first answer ${empty_start}s"
printf '%-22s %10s %10s %14s %s\n' "cache.json" "$cache_rss" "$cache_hwm" "$(per_instance "$cache_rss")" \
    "first answer ${load_s}s after exec, ${load_cpu} CPU-s (${file_mb} MiB file, made in ${gen_s}s); SIGTERM exit ${term_s}s"
printf '%-22s %10s %10s %14s %s\n' "cache.json, written" "$steady_rss" "$steady_hwm" "$(per_instance "$steady_rss")" \
    "one heartbeat more, after its cache.json write (writes: $steady_writes; VmHWM: the peak during it)"
[ -n "$hb_row" ] && echo "$hb_row"
echo
echo "targets: <= 1024 B/instance at 1,000,000 instances; first answer <= 3 s"
echo "dnsd's log:"; grep -v "^$" "$work/dnsd.log" | cut -c1-400 | head -20
