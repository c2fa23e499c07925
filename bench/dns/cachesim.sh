#!/usr/bin/env bash
# dnsd's user-space cost per DNS query, deterministic: instructions and simulated cache misses
# per query and per function, from valgrind's callgrind with its cache simulator. Not a timing:
# the figures do not depend on how busy the machine is, so before/after comparisons of a change
# to the query path can be taken while other work runs.
#
#   bench/dns/cachesim.sh --dnsd build/dnsd/dnsd                       # 100000x5, 20000 queries
#   bench/dns/cachesim.sh --dnsd PATH --services 1000 --queries 5000    # quick
#
# Options:
#   --dnsd PATH        the dnsd to measure (required; RelWithDebInfo or Release with -g)
#   --services S       services in the data set (default 100000)
#   --instances M      instances per service (default 5)
#   --queries N        measured queries (default 10000)
#   --warmup N         queries sent first, not measured, to warm the simulated caches (default 3000)
#   --data DIR         keep the loaded cache.json here and reuse it on later runs with the same
#                      S and M (loading 500,000 heartbeats takes a while)
#   --LL SIZE,ASSOC,LINE  the simulated last-level cache (default 8388608,16,64: 8 MiB; valgrind
#                      would otherwise take this machine's, which may hold the whole data set)
#   --top N            functions listed (default 25)
#   --out DIR          where callgrind's output and the report go (default: a temp dir, printed)
# Needs valgrind (callgrind_control, callgrind_annotate), dnsperf, dig, curl, python3, taskset.
#
# How: dnsd is loaded with bench/dns/dataset.py's heartbeats (lease 3600 s) and stopped, which
# writes cache.json; then started again from that file under callgrind with instrumentation off
# (fast start), instrumentation is switched on, queries of dataset.py's mix (45% SRV, 45% A/AAAA,
# 10% nonexistent) warm the simulated caches, the counters are zeroed, N more queries run, and
# the dump is divided by the queries dnsperf saw answered. Only what runs inside the UDP worker's
# serve_ready_batches() is counted (callgrind --toggle-collect): the query path with its
# recvmmsg/sendmmsg calls, not the control thread's timers, snapshot writes or the event loop.
# One DNS worker thread (--threads 1), dnsd on CPU 0 and dnsperf on CPU 1, as in run.sh.
# Under valgrind dnsd answers about 100 queries a second: 10,000 take a few minutes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

dnsd_bin=
services=100000
instances=5
queries=10000
warmup=3000
data=
ll=8388608,16,64
top=25
out=
while (($#)); do
    case $1 in
        --dnsd) dnsd_bin=$2; shift ;;
        --services) services=$2; shift ;;
        --instances) instances=$2; shift ;;
        --queries) queries=$2; shift ;;
        --warmup) warmup=$2; shift ;;
        --data) data=$2; shift ;;
        --LL) ll=$2; shift ;;
        --top) top=$2; shift ;;
        --out) out=$2; shift ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "cachesim.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[[ -x $dnsd_bin ]] || { echo "cachesim.sh: --dnsd PATH to an executable dnsd is required" >&2; exit 2; }
for tool in valgrind callgrind_control callgrind_annotate dnsperf dig curl python3 taskset; do
    command -v "$tool" >/dev/null || { echo "cachesim.sh: $tool is not installed" >&2; exit 1; }
done
dnsd_bin=$(realpath "$dnsd_bin")
out=${out:-$(mktemp -d /tmp/dnsd-cachesim.XXXXXX)}
mkdir -p "$out"
data=${data:-$out/data-${services}x${instances}}
mkdir -p "$data"

started=()
cleanup() {
    local p
    for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${started[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '== %s\n' "$*" >&2; }

# shellcheck source=free_port.sh
. "$here/free_port.sh"

wait_dns() {  # port name seconds
    local i
    for ((i = 0; i < $3 * 2; i++)); do
        [[ -n $(dig +short +time=1 +tries=1 @127.0.0.1 -p "$1" SRV "$2" 2>/dev/null) ]] && return 0
        sleep 0.5
    done
    echo "cachesim.sh: no answer for $2 on port $1 after $3 s" >&2
    return 1
}

wait_http() {  # port pid seconds
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

stop() {  # pid: SIGTERM (dnsd writes cache.json), bounded wait
    local i
    kill -TERM "$1" 2>/dev/null || return 0
    for ((i = 0; i < 1200; i++)); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

last="s$((services - 1)).svc"
stamp="$data/loaded-${services}x${instances}"
if [[ ! -s $data/cache.json || ! -e $stamp ]]; then
    log "loading ${services}x${instances} into a plain dnsd (once; kept in $data)"
    rm -f "$data/cache.json" "$stamp"
    port=$(free_port); http=$(free_port)
    taskset -c 0 "$dnsd_bin" --dns "127.0.0.1:$port" --http "127.0.0.1:$http" --data-dir "$data" \
        --threads 1 --log-level warn >"$out/load.log" 2>&1 &
    pid=$!; started+=("$pid")
    wait_http "$http" "$pid" 30 || { cat "$out/load.log" >&2; exit 1; }
    timeout 1800 python3 "$here/dataset.py" load --services "$services" --instances "$instances" \
        --http "127.0.0.1:$http" >&2
    wait_dns "$port" "$last" 300
    stop "$pid"
    [[ -s $data/cache.json ]] || { echo "cachesim.sh: dnsd wrote no cache.json" >&2; exit 1; }
    touch "$stamp"
fi

query_file=$out/queries.txt
warmup_file=$out/warmup-queries.txt
python3 "$here/dataset.py" queries --services "$services" --instances "$instances" \
    --count "$queries" --out "$query_file"
python3 "$here/dataset.py" queries --services "$services" --instances "$instances" \
    --count "$warmup" --seed 11 --out "$warmup_file"

log "dnsd under callgrind --cache-sim=yes --LL=$ll, ${services}x${instances}, $queries queries"
run_data=$out/run-data
rm -rf "$run_data"; mkdir -p "$run_data"
cp "$data/cache.json" "$run_data/cache.json"
port=$(free_port); http=$(free_port)
# Leases in cache.json are 3600 s: nothing expires while this runs.
taskset -c 0 valgrind --tool=callgrind --cache-sim=yes --LL="$ll" --instr-atstart=no \
    --toggle-collect='*DnsUdpWorker::serve_ready_batches*' \
    --callgrind-out-file="$out/callgrind.out.%p" \
    "$dnsd_bin" --dns "127.0.0.1:$port" --http "127.0.0.1:$http" --data-dir "$run_data" \
    --threads 1 --log-level warn >"$out/dnsd.log" 2>&1 &
pid=$!; started+=("$pid")
wait_http "$http" "$pid" 600 || { cat "$out/dnsd.log" >&2; exit 1; }
wait_dns "$port" "$last" 600
sleep 7  # dnsd rewrites cache.json after start-up; let that pass before measuring
callgrind_control -i on "$pid" >/dev/null

run_queries() {  # query file, output file
    timeout 1800 taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" -d "$1" -n 1 -c 1 -q 20 \
        -t 10 >"$2" 2>&1 || true
}
run_queries "$warmup_file" "$out/warmup.txt"
callgrind_control -z "$pid" >/dev/null
run_queries "$query_file" "$out/dnsperf.txt"
callgrind_control -d "$pid" >/dev/null
sleep 1
completed=$(sed -n 's/^ *Queries completed: *\([0-9]*\).*/\1/p' "$out/dnsperf.txt")
dump=$(ls -t "$out"/callgrind.out."$pid".* 2>/dev/null | head -1)
[[ -n $dump && ${completed:-0} -gt 0 ]] || { echo "cachesim.sh: no dump or no answered query" >&2; exit 1; }
# Measured: no need to wait for valgrind's dnsd to write 500,000 instances to cache.json.
kill -KILL "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true

report=$out/report.txt
{
    echo "dnsd $("$dnsd_bin" --version 2>/dev/null | head -1), ${services}x${instances}, $completed queries answered, LL $ll"
    callgrind_annotate --auto=no --inclusive=no --threshold=100 --show=Ir,DLmr,DLmw,D1mr "$dump" |
        python3 "$here/cachesim_table.py" --queries "$completed" --top "$top"
} | tee "$report"
log "report: $report"
