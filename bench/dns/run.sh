#!/usr/bin/env bash
# DNS benchmark (issue 5): dnsd against NSD and Knot on the same machine, data and queries.
#
#   bench/dns/run.sh                    # full: sets 1000x5 and 100000x5, 3 repetitions, 10 s runs
#   bench/dns/run.sh --quick            # small and short: 1000x5, 1 repetition, 3 s runs
#
# Options:
#   --dnsd PATH            use this dnsd (default: build a Release one in BUILD_DIR)
#   --sets LIST            data sets SxM, comma-separated (default 1000x5,100000x5)
#   --reps N               repetitions, interleaved over the servers (default 3)
#   --seconds N            length of each dnsperf run (default 10)
#   --fixed-qps N          offered load of the fixed-load runs, dnsperf -Q (default 50000)
#   --with-heartbeats RATE heartbeats per second into dnsd during extra dnsd runs
#                          (needs bench/heartbeat-load, built with -DDNSD_BENCH=ON)
#   --heartbeat-load PATH  that tool (default: BUILD_DIR/bench/heartbeat-load/heartbeat-load)
#   --callgrind-queries N  queries for the instructions-per-query runs (default 20000; 0: skip)
#   --no-defaults          skip the servers' default configurations (only one worker each)
#   --out FILE             the markdown results (default bench/dns/results-<UTC date>.md)
# Environment: BUILD_DIR (default <repo>/build-bench/dnsd-release), JOBS (default 2).
#
# Pinning: every server on CPU 0 (taskset; Knot's own UDP-worker pinning is undone after it
# starts), dnsperf on CPU 1. Server CPU time is the sum of field 1 of
# /proc/PID/task/*/schedstat over the server's processes and threads, before and after a run.
# Every process this script starts is killed when it exits; every step has a time limit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

sets=1000x5,100000x5
reps=3
seconds=10
fixed_qps=50000
hb_rate=
hb_tool=
cg_queries=20000
defaults=1
dnsd_bin=
out=
server_cpu=0
client_cpu=1
while (($#)); do
    case $1 in
        --quick) sets=1000x5; reps=1; seconds=3; cg_queries=5000 ;;
        --dnsd) dnsd_bin=$2; shift ;;
        --sets) sets=$2; shift ;;
        --reps) reps=$2; shift ;;
        --seconds) seconds=$2; shift ;;
        --fixed-qps) fixed_qps=$2; shift ;;
        --with-heartbeats) hb_rate=$2; shift ;;
        --heartbeat-load) hb_tool=$2; shift ;;
        --callgrind-queries) cg_queries=$2; shift ;;
        --no-defaults) defaults=0 ;;
        --out) out=$2; shift ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
out=${out:-$here/results-$(date -u +%Y%m%d-%H%M).md}
# Absolute: the callgrind runs start the servers from their own working directories.
[[ -n $dnsd_bin ]] && dnsd_bin=$(realpath "$dnsd_bin")
[[ -n $hb_tool ]] && hb_tool=$(realpath "$hb_tool")
build=${BUILD_DIR:-$root/build-bench/dnsd-release}

for tool in nsd knotd dnsperf dig curl taskset python3 valgrind callgrind_control; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
done
[[ $(nproc) -ge 2 ]] || { echo "run.sh: needs 2 CPUs (server on CPU 0, dnsperf on CPU 1)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/dnsd-bench-dns.XXXXXX)
started=()  # pids of every process started here
cleanup() {
    local pid
    for pid in "${started[@]}"; do
        kill -0 "$pid" 2>/dev/null || continue
        kill -TERM $(tree_pids "$pid") 2>/dev/null || true
    done
    sleep 0.5
    for pid in "${started[@]}"; do
        kill -0 "$pid" 2>/dev/null && kill -KILL $(tree_pids "$pid") 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '== %s\n' "$*" >&2; }

# A process and all its descendants (NSD forks its servers and xfrd).
tree_pids() {
    local p
    echo "$1"
    for p in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree_pids "$p"; done
}

# Nanoseconds on CPU of a process tree (schedstat field 1: exact, not tick-sampled): all its
# threads, or with a second argument only those whose name starts with it.
cpu_ns() {
    local p total=0 t comm ns
    for p in $(tree_pids "$1"); do
        for t in /proc/"$p"/task/*; do
            if [[ -n ${2:-} ]]; then
                read -r comm <"$t/comm" 2>/dev/null || continue
                [[ $comm == "$2"* ]] || continue
            fi
            read -r ns _ <"$t/schedstat" 2>/dev/null && total=$((total + ns))
        done
    done
    echo "$total"
}

# Nanoseconds on CPU of dnsd's DNS worker threads alone (named dnsd-dns0, dnsd-dns1, ...; 0 for
# any other server): the query path's own cost, apart from the control thread's HTTP work.
dns_worker_ns() { cpu_ns "$1" dnsd-dns; }

# Clock ticks in user and system mode of a process tree (tick-sampled: a rough split only).
user_sys_ticks() {
    local p t u=0 s=0 fields
    for p in $(tree_pids "$1"); do
        for t in /proc/"$p"/task/*/stat; do
            # Fields after "pid (comm) ": state is [0], utime (field 14) [11], stime [12].
            read -r -a fields <<<"$(sed 's/.*) //' "$t" 2>/dev/null)" || continue
            ((${#fields[@]} > 12)) || continue
            u=$((u + fields[11])); s=$((s + fields[12]))
        done
    done
    echo "$u $s"
}

# Waits (at most LIMIT s) until a server tree is idle: under 5% of a core over half a second,
# so start-up work (zone loading, snapshot writing) is not counted as query work.
settle() {
    local pid=$1 limit=${2:-60} i a b
    for ((i = 0; i < limit * 2; i++)); do
        a=$(cpu_ns "$pid"); sleep 0.5; b=$(cpu_ns "$pid")
        (((b - a) < 25000000)) && return 0
    done
    echo "run.sh: server $pid still busy after $limit s; measuring anyway" >&2
}

# shellcheck source=free_port.sh
. "$here/free_port.sh"

# Waits (bounded) until NAME SRV answers with at least one record at PORT.
wait_dns() {
    local port=$1 name=$2 limit=$3 i
    for ((i = 0; i < limit * 10; i++)); do
        [[ -n $(dig +short +time=1 +tries=1 @127.0.0.1 -p "$port" SRV "$name" 2>/dev/null) ]] && return 0
        sleep 0.1
    done
    echo "run.sh: no answer for $name on port $port after $limit s" >&2
    return 1
}

# ---------------------------------------------------------------- dnsd binary, machine
if [[ -z $dnsd_bin ]]; then
    log "building dnsd (Release) in $build"
    # -O3: GCC 12 reports a false -Wrestrict in registry/, so warnings are not errors here.
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDNSD_WERROR=OFF \
        -DDNSD_BUILD_TESTS=OFF -DDNSD_BENCH=ON >/dev/null
    timeout 1800 ninja -C "$build" -j"${JOBS:-2}" dnsd >/dev/null
    dnsd_bin=$build/dnsd/dnsd
    if [[ -n $hb_rate && -z $hb_tool ]] && ninja -C "$build" -t targets all 2>/dev/null | grep -q '^heartbeat-load:'; then
        timeout 1800 ninja -C "$build" -j"${JOBS:-2}" heartbeat-load >/dev/null
    fi
fi
[[ -x $dnsd_bin ]] || { echo "run.sh: $dnsd_bin is not an executable dnsd" >&2; exit 1; }
hb_tool=${hb_tool:-$build/bench/heartbeat-load/heartbeat-load}

{
    echo "## Machine"
    echo
    echo '```'
    echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu:      $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, $(lscpu | sed -n 's/^Hypervisor vendor: *//p') guest"
    echo "kernel:   $(uname -sr)"
    echo "dnsd:     $("$dnsd_bin" --version 2>&1 | head -1) ($(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(git -C "$root" diff --quiet 2>/dev/null || echo '+changes'))"
    echo "nsd:      $(nsd -v 2>&1 | head -1)"
    echo "knot:     $(knotd --version 2>&1 | head -1)"
    echo "dnsperf:  $(dnsperf -h 2>&1 | sed -n 's/^Version //p')"
    echo "valgrind: $(valgrind --version)"
    echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)"
    echo '```'
    echo
    echo "Command: bench/dns/run.sh --sets $sets --reps $reps --seconds $seconds --fixed-qps $fixed_qps" \
        "${hb_rate:+--with-heartbeats $hb_rate }--callgrind-queries $cg_queries$( ((defaults)) || echo ' --no-defaults')"
    echo
    echo "Servers on CPU $server_cpu, dnsperf on CPU $client_cpu. Query mix: 45% SRV, 45% A/AAAA" \
         "(AAAA: no data), 10% names that do not exist. QPS, latency, busy cores: medians of $reps runs of ${seconds} s at full speed;" \
         "busy cores = server CPU seconds (schedstat) / wall seconds; user share is tick-sampled."
} >"$tmp/machine.md"
cat "$tmp/machine.md" >&2

# ---------------------------------------------------------------- servers
# Each start_* records the server's pid and DNS port in srv_pid[name], srv_port[name].
declare -A srv_pid srv_port srv_http
servers=()

# With SEED (another dnsd's data dir), starts from a copy of its cache.json instead of loading
# the heartbeats again: the same registry, and minutes saved on the large set.
start_dnsd() {  # name threads(empty: default) S M [SEED]
    local name=$1 threads=$2 seed=${5:-} port http dir
    port=$(free_port); http=$(free_port); dir=$tmp/$name
    mkdir -p "$dir/data"
    if [[ -n $seed ]]; then
        local i
        for ((i = 0; i < 300; i++)); do [[ -s $seed/cache.json ]] && break; sleep 0.1; done
        cp "$seed/cache.json" "$dir/data/cache.json"
    fi
    taskset -c "$server_cpu" "$dnsd_bin" --dns "127.0.0.1:$port" --http "127.0.0.1:$http" \
        --data-dir "$dir/data" --log-level warn ${threads:+--threads "$threads"} \
        >"$dir/log" 2>&1 &
    started+=($!)
    srv_pid[$name]=$!; srv_port[$name]=$port; srv_http[$name]=$http
    local i
    for ((i = 0; i < 300; i++)); do
        curl -sf "http://127.0.0.1:$http/healthz" >/dev/null 2>&1 && break
        kill -0 "${srv_pid[$name]}" 2>/dev/null || { cat "$dir/log" >&2; return 1; }
        sleep 0.1
    done
    if [[ -z $seed ]]; then
        # In the background and waited for, so that a TERM to this script acts at once.
        timeout 1800 python3 "$here/dataset.py" load --services "$3" --instances "$4" \
            --http "127.0.0.1:$http" >&2 &
        started+=($!)
        wait $! || { echo "run.sh: loading the heartbeats into $name failed" >&2; return 1; }
    fi
    wait_dns "$port" "s$(($3 - 1)).svc" 300
}

write_nsd_conf() {  # dir port server-count(empty: default)
    cat <<EOF
server:
    ip-address: 127.0.0.1@$2
    ${3:+server-count: $3}
    username: ""
    chroot: ""
    zonesdir: "$1"
    database: ""
    zonelistfile: "$1/zone.list"
    xfrdfile: "$1/xfrd.state"
    xfrdir: "$1"
    pidfile: "$1/nsd.pid"
    logfile: "$1/nsd.log"
    verbosity: 1
    rrl-ratelimit: 0
    ip-freebind: yes
remote-control:
    control-enable: no
zone:
    name: svc
    zonefile: "$tmp/svc.zone"
EOF
}

start_nsd() {  # name server-count S [valgrind-prefix...]
    local name=$1 count=$2 S=$3 port dir
    shift 3
    port=$(free_port); dir=$tmp/$name
    mkdir -p "$dir"
    write_nsd_conf "$dir" "$port" "$count" >"$dir/nsd.conf"
    taskset -c "$server_cpu" "$@" nsd -d -c "$dir/nsd.conf" >"$dir/out" 2>&1 &
    started+=($!)
    srv_pid[$name]=$!; srv_port[$name]=$port
    wait_dns "$port" "s$((S - 1)).svc" 600
}

start_knot() {  # name udp-workers(empty: default) S
    local name=$1 workers=$2 S=$3 port dir
    port=$(free_port); dir=$tmp/$name
    mkdir -p "$dir/db"
    cat >"$dir/knot.conf" <<EOF
server:
    rundir: "$dir"
    listen: 127.0.0.1@$port
$( [[ -n $workers ]] && printf '    udp-workers: %s\n    tcp-workers: 1\n    background-workers: 1\n' "$workers")
database:
    storage: "$dir/db"
log:
  - target: "$dir/knot.log"
    any: notice
template:
  - id: default
    storage: "$dir"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
  - domain: svc
    file: "$tmp/svc.zone"
EOF
    taskset -c "$server_cpu" knotd -c "$dir/knot.conf" >"$dir/out" 2>&1 &
    started+=($!)
    srv_pid[$name]=$!; srv_port[$name]=$port
    wait_dns "$port" "s$((S - 1)).svc" 600
    # Knot pins each UDP worker to a CPU of its own choosing: put them all back on ours.
    taskset -a -p -c "$server_cpu" "${srv_pid[$name]}" >/dev/null
}

stop_server() {
    local pid=${srv_pid[$1]}
    kill -TERM $(tree_pids "$pid") 2>/dev/null || true
    timeout 30 tail --pid="$pid" -f /dev/null || kill -KILL $(tree_pids "$pid") 2>/dev/null || true
}

# One line on what each server answers to one SRV query: the sections must match in spirit.
describe_answers() {
    local name
    for name in "${servers[@]}"; do
        printf '%-14s %s\n' "$name" "$(dig +norec @127.0.0.1 -p "${srv_port[$name]}" SRV s1.svc |
            sed -n 's/.*flags: \([a-z ]*\);.*ANSWER: \([0-9]*\), AUTHORITY: \([0-9]*\), ADDITIONAL: \([0-9]*\)/flags \1, answer \2, authority \3, additional \4/p')"
    done
}

# ---------------------------------------------------------------- measuring
results=$tmp/results.tsv
: >"$results"

# run_dnsperf SET SERVER KIND REP [extra dnsperf args]: one run, one row in results.tsv.
run_dnsperf() {
    local set=$1 name=$2 kind=$3 rep=$4
    shift 4
    local pid=${srv_pid[$name]} port=${srv_port[$name]} before after tb ta wb wa qps avg p99 completed lost resp wall
    local verbose=0 perf_pid=
    [[ $kind == fixed ]] && verbose=1
    if [[ $kind == sys ]]; then
        # System calls of the server during the run (kernel tracepoints, counted not traced).
        perf stat -x, -e raw_syscalls:sys_enter -p "$(tree_pids "$pid" | paste -sd,)" \
            -o "$tmp/perf.out" -- sleep "$seconds" >/dev/null 2>&1 &
        perf_pid=$!
        started+=("$perf_pid")
    fi
    tb=$(user_sys_ticks "$pid"); before=$(cpu_ns "$pid"); wb=$(dns_worker_ns "$pid")
    if ((verbose)); then
        # Per-query latencies ("> NOERROR name type 0.000123"): p99 from them, the rest below.
        timeout $((seconds + 60)) taskset -c "$client_cpu" dnsperf -s 127.0.0.1 -p "$port" \
            -d "$queries" -l "$seconds" -c 8 -q 500 -v "$@" >"$tmp/dnsperf.out" 2>&1 || true
    else
        timeout $((seconds + 60)) taskset -c "$client_cpu" dnsperf -s 127.0.0.1 -p "$port" \
            -d "$queries" -l "$seconds" -c 8 -q 500 "$@" >"$tmp/dnsperf.out" 2>&1 || true
    fi
    wa=$(dns_worker_ns "$pid"); after=$(cpu_ns "$pid"); ta=$(user_sys_ticks "$pid")
    qps=$(sed -n 's/^ *Queries per second: *//p' "$tmp/dnsperf.out")
    avg=$(sed -n 's/^ *Average Latency (s): *\([0-9.]*\).*/\1/p' "$tmp/dnsperf.out")
    completed=$(sed -n 's/^ *Queries completed: *\([0-9]*\).*/\1/p' "$tmp/dnsperf.out")
    lost=$(sed -n 's/^ *Queries lost: *\([0-9]*\).*/\1/p' "$tmp/dnsperf.out")
    resp=$(sed -n 's/^ *Average packet size: .*response \([0-9]*\).*/\1/p' "$tmp/dnsperf.out")
    wall=$(sed -n 's/^ *Run time (s): *//p' "$tmp/dnsperf.out")
    p99=-
    if ((verbose)); then
        p99=$(awk '/^> / { n++; b[int($NF * 1e6)]++ }
                   END { if (!n) { print "-"; exit } want = n * 0.99; c = 0
                         for (us = 0; us <= 10000000; us++) if (us in b) { c += b[us]; if (c >= want) { printf "%.6f\n", us / 1e6; exit } } }' \
                  "$tmp/dnsperf.out")
    fi
    if [[ -n $perf_pid ]]; then
        wait "$perf_pid" 2>/dev/null || true
        # The syscall count goes in the p99 column of a "sys" row.
        p99=$(awk -F, '/raw_syscalls:sys_enter/ { print $1 }' "$tmp/perf.out" 2>/dev/null)
        p99=${p99:--}
    fi
    if [[ -z $qps || -z $wall ]]; then
        echo "run.sh: dnsperf against $name gave no statistics:" >&2
        tail -5 "$tmp/dnsperf.out" >&2
        return 0
    fi
    local cpu_s
    cpu_s=$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.4f", (a - b) / 1e9 }')
    read -r ub sb <<<"$tb"; read -r ua sa <<<"$ta"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$set" "$name" "$kind" "$rep" \
        "$qps" "$avg" "$p99" "$cpu_s" "$wall" "$completed" "$lost" "$resp" $((ua - ub)) $((sa - sb)) >>"$results"
    printf '   %-8s %-14s %-5s rep %s: %10.0f QPS, avg %s s, p99 %s s, server CPU %s s of %s s, lost %s\n' \
        "$set" "$name" "$kind" "$rep" "$qps" "$avg" "$p99" "$cpu_s" "$wall" "$lost" >&2
    # dnsd's CPU split: its DNS workers' share, per query answered, and the rest (the control
    # thread: HTTP, registry, zone building; the cache.json writer), for the heartbeat figures.
    if ((wa > wb)) && ((completed > 0)); then
        last_worker_us[$set $name $kind $rep]=$(awk -v a="$wa" -v b="$wb" -v n="$completed" \
            'BEGIN { printf "%.3f", (a - b) / 1e3 / n }')
        last_other_s[$set $name $kind $rep]=$(awk -v t="$cpu_s" -v a="$wa" -v b="$wb" \
            'BEGIN { printf "%.4f", t - (a - b) / 1e9 }')
        last_wall[$set $name $kind $rep]=$wall
    fi
}
declare -A last_worker_us=() last_other_s=() last_wall=()

# cpu_split SET NAME REP HB_JSON: where the CPU went in the run with heartbeats
# against the quiet run of the same repetition. The DNS workers' CPU per query answered tells
# whether heartbeats slow the query path itself; the rest of dnsd's CPU over the heartbeats
# sent is their cost on the control thread; heartbeat-load's CPU is taken from dnsperf's core,
# the client side of this 2-core machine.
cpu_split() {
    local set=$1 name=$2 rep=$3 hb_share
    # heartbeat-load's own CPU over its run (it outlives dnsperf's window, so it reports it).
    hb_share=$(sed -n 's/.*"cpu_s":\([0-9.]*\),"run_s":\([0-9.]*\).*/\1 \2/p' <<<"$4" |
        awk '$2 > 0 { printf "%.0f", $1 / $2 * 100 }')
    local quiet_us=${last_worker_us[$set $name sat $rep]:-} hb_us=${last_worker_us[$set $name hb $rep]:-}
    local quiet_other=${last_other_s[$set $name sat $rep]:-} hb_other=${last_other_s[$set $name hb $rep]:-}
    local wall=${last_wall[$set $name hb $rep]:-}
    if [[ -z $quiet_us || -z $hb_us || -z $wall ]]; then
        echo "   cpu split $name rep $rep: not measured (no dnsd-dns threads: a dnsd older than thread names?)"
        return 0
    fi
    awk -v name="$name" -v rep="$rep" -v q="$quiet_us" -v h="$hb_us" -v qo="$quiet_other" -v ho="$hb_other" \
        -v wall="$wall" -v rate="$hb_rate" -v share="${hb_share:-?}" 'BEGIN {
        printf "   cpu split %s rep %s: DNS workers %.2f us/query with heartbeats, %.2f quiet (x%.2f); " \
               "rest of dnsd %.2f s with, %.2f s quiet: %.1f us per heartbeat; heartbeat-load %s%% of the client core\n",
               name, rep, h, q, h / q, ho, qo, (ho - qo) * 1e6 / (rate * wall), share }'
}

# visibility_line NAME REP HB_JSON: heartbeat-load's figures for a person to read. Over UDP the
# probe's query waits behind dnsperf's outstanding queries in dnsd's socket; over TCP it is
# read between rounds of UDP batches; dnsd's publish delay is its own, from /metrics.
visibility_line() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
name, rep, line = sys.argv[1:4]
try:
    r = json.loads(line)
except ValueError:
    print(f"   visibility {name} rep {rep}: not measured (heartbeat-load printed no result)")
    sys.exit(0)
def probe(p):
    if p is None:
        return "not measured"
    v, rtt = p["visibility_ms"], p["answer_rtt_ms"]
    return (f"p50 {v['p50']:.2f} ms, p99 {v['p99']:.2f} ms (its query's round trip p99 "
            f"{rtt['p99']:.2f} ms; {p['samples']} seen, {p['invisible']} not)")
pub = r.get("server_publish_delay_ms")
pub = f"p50 {pub['p50']:.2f} ms, p99 {pub['p99']:.2f} ms" if pub else "not reported"
print(f"   visibility {name} rep {rep}: UDP {probe(r)}; TCP {probe(r.get('tcp'))}; "
      f"dnsd publish delay {pub}")
PY
}

# ---------------------------------------------------------------- instructions per query
cg=$tmp/callgrind.tsv
: >"$cg"

# Zeroes callgrind's counters in every process of a tree, runs a fixed number of queries,
# dumps, and sums the instructions (Ir) of those dumps. Three rounds, the smallest kept: a
# background job (dnsd rewriting cache.json) that falls into one round does not count.
callgrind_measure() {  # set name queryfile
    local name=$2 pid=${srv_pid[$2]} p completed total best= best_completed= round seen
    # dnsd writes cache.json a second after the last change, five after lease-only changes:
    # let that pass first.
    sleep 7
    settle "$pid" 120
    for round in 1 2 3; do
        seen=$(ls "$tmp/$name" | grep -c '^callgrind\.out\..*\.[0-9]*$' || true)
        for p in $(tree_pids "$pid"); do callgrind_control -z "$p" >/dev/null 2>&1 || true; done
        timeout 600 taskset -c "$client_cpu" dnsperf -s 127.0.0.1 -p "${srv_port[$name]}" -d "$3" -n 1 \
            -c 4 -q 50 -t 10 >"$tmp/cg-dnsperf.out" 2>&1 || true
        for p in $(tree_pids "$pid"); do callgrind_control -d "$p" >/dev/null 2>&1 || true; done
        sleep 1
        completed=$(sed -n 's/^ *Queries completed: *\([0-9]*\).*/\1/p' "$tmp/cg-dnsperf.out")
        # This round's dumps: callgrind.out.PID.N, the newest N of each process.
        total=$(ls -tr "$tmp/$name" | grep '^callgrind\.out\..*\.[0-9]*$' | tail -n +$((seen + 1)) |
            (cd "$tmp/$name" && xargs -r awk '/^summary:/ { s += $2 } END { print s + 0 }') || true)
        log "callgrind $name round $round: ${total:-0} instructions for ${completed:-0} queries"
        if [[ -n $total && ${completed:-0} -gt 0 ]] && { [[ -z $best ]] || ((total < best)); }; then
            best=$total; best_completed=$completed
        fi
    done
    printf '%s\t%s\tcallgrind\t%s\t%s\n' "$1" "$name" "${best:-0}" "${best_completed:-0}" >>"$cg"
}

# ---------------------------------------------------------------- the run
have_perf=0
perf stat -e raw_syscalls:sys_enter true >/dev/null 2>&1 && have_perf=1
IFS=, read -r -a set_list <<<"$sets"
first_set=
for set in "${set_list[@]}"; do
    S=${set%x*}; M=${set#*x}
    [[ $S =~ ^[0-9]+$ && $M =~ ^[0-9]+$ ]] || { echo "run.sh: a set is SxM, e.g. 1000x5, not $set" >&2; exit 2; }
    first_set=${first_set:-$set}
    log "data set $set: $S services x $M instances"
    python3 "$here/dataset.py" zone --services "$S" --instances "$M" --out "$tmp/svc.zone"
    queries=$tmp/queries-$set.txt
    python3 "$here/dataset.py" queries --services "$S" --instances "$M" --count 200000 --out "$queries"

    servers=(dnsd-1 nsd-1 knot-1)
    start_dnsd dnsd-1 1 "$S" "$M"
    start_nsd nsd-1 1 "$S"
    start_knot knot-1 1 "$S"
    if ((defaults)); then
        # NSD's default is one server process already: nsd-1 is its default configuration.
        servers+=(dnsd-default knot-default)
        sleep 3  # dnsd-1 writes its final cache.json about a second after the last heartbeat
        settle "${srv_pid[dnsd-1]}" 120
        start_dnsd dnsd-default "" "$S" "$M" "$tmp/dnsd-1/data"
        start_knot knot-default "" "$S"
    fi
    sleep 6  # dnsd's pending cache.json writes (see callgrind_measure)
    for name in "${servers[@]}"; do settle "${srv_pid[$name]}" 120; done
    log "what each server answers to SRV s1.svc"
    describe_answers >&2

    log "full speed, $reps x ${seconds} s each, interleaved"
    for ((rep = 1; rep <= reps; rep++)); do
        for name in "${servers[@]}"; do run_dnsperf "$set" "$name" sat "$rep"; done
    done
    log "fixed offered load ($fixed_qps QPS), $reps x ${seconds} s each, interleaved"
    for ((rep = 1; rep <= reps; rep++)); do
        for name in "${servers[@]}"; do run_dnsperf "$set" "$name" fixed "$rep" -Q "$fixed_qps"; done
    done
    if ((have_perf)); then
        log "system calls per query (perf stat -e raw_syscalls:sys_enter), one run each"
        for name in "${servers[@]}"; do run_dnsperf "$set" "$name" sys 1; done
    fi
    if [[ -n $hb_rate ]]; then
        if [[ -x $hb_tool ]]; then
            log "dnsd at full speed with $hb_rate heartbeats/s arriving ($hb_tool)"
            for ((rep = 1; rep <= reps; rep++)); do
                for name in "${servers[@]}"; do
                    [[ $name == dnsd* ]] || continue
                    timeout $((seconds + 60)) taskset -c "$client_cpu" "$hb_tool" --http "127.0.0.1:${srv_http[$name]}" \
                        --dns "127.0.0.1:${srv_port[$name]}" --rate "$hb_rate" --duration "$((seconds + 1))" \
                        >"$tmp/hb.out" 2>&1 &
                    started+=($!)
                    hb_pid=$!
                    sleep 0.5
                    run_dnsperf "$set" "$name" hb "$rep"
                    wait "$hb_pid" || true
                    echo "   heartbeat-load $name rep $rep: $(tail -1 "$tmp/hb.out")" | tee -a "$tmp/heartbeats.txt" >&2
                    cpu_split "$set" "$name" "$rep" "$(tail -1 "$tmp/hb.out")" | tee -a "$tmp/heartbeats.txt" >&2
                    visibility_line "$name" "$rep" "$(tail -1 "$tmp/hb.out")" | tee -a "$tmp/heartbeats.txt" >&2
                done
            done
        else
            echo "   heartbeats during the run: NOT MEASURED ($hb_tool not built: cmake -DDNSD_BENCH=ON, target heartbeat-load)" |
                tee -a "$tmp/heartbeats.txt" >&2
        fi
    fi
    for name in "${servers[@]}"; do stop_server "$name"; done

    if [[ $set == "$first_set" ]] && ((cg_queries > 0)); then
        log "user-space instructions per query (callgrind), data set $set, $cg_queries queries"
        python3 "$here/dataset.py" queries --services "$S" --instances "$M" --count "$cg_queries" \
            --seed 11 --out "$tmp/cg-queries.txt"
        for name in cg-dnsd cg-nsd; do mkdir -p "$tmp/$name"; done
        # callgrind.out files land in the working directory of each server.
        (
            cd "$tmp/cg-dnsd"
            port=$(free_port); http=$(free_port)
            taskset -c "$server_cpu" valgrind --tool=callgrind "$dnsd_bin" --dns "127.0.0.1:$port" \
                --http "127.0.0.1:$http" --data-dir "$tmp/cg-dnsd/data" --log-level warn --threads 1 \
                >"$tmp/cg-dnsd/log" 2>&1 &
            echo "$! $port $http" >"$tmp/cg-dnsd/info"
        )
        read -r pid port http <"$tmp/cg-dnsd/info"
        started+=("$pid"); srv_pid[cg-dnsd]=$pid; srv_port[cg-dnsd]=$port
        for ((i = 0; i < 600; i++)); do
            curl -sf "http://127.0.0.1:$http/healthz" >/dev/null 2>&1 && break
            sleep 0.1
        done
        curl -sf "http://127.0.0.1:$http/healthz" >/dev/null 2>&1 || {
            echo "run.sh: dnsd under callgrind did not start; its log:" >&2
            tail -20 "$tmp/cg-dnsd/log" >&2
            exit 1
        }
        timeout 900 python3 "$here/dataset.py" load --services "$S" --instances "$M" --http "127.0.0.1:$http" >&2 &
        started+=($!)
        wait $!
        wait_dns "$port" "s$((S - 1)).svc" 120
        callgrind_measure "$set" cg-dnsd "$tmp/cg-queries.txt"
        stop_server cg-dnsd
        (
            cd "$tmp/cg-nsd"
            port=$(free_port)
            write_nsd_conf "$tmp/cg-nsd" "$port" 1 >"$tmp/cg-nsd/nsd.conf"
            taskset -c "$server_cpu" valgrind --tool=callgrind --trace-children=yes nsd -d -c "$tmp/cg-nsd/nsd.conf" \
                >"$tmp/cg-nsd/out" 2>&1 &
            echo "$! $port" >"$tmp/cg-nsd/info"
        )
        read -r pid port <"$tmp/cg-nsd/info"
        started+=("$pid"); srv_pid[cg-nsd]=$pid; srv_port[cg-nsd]=$port
        wait_dns "$port" "s$((S - 1)).svc" 600
        callgrind_measure "$set" cg-nsd "$tmp/cg-queries.txt"
        stop_server cg-nsd
    fi
done

# ---------------------------------------------------------------- report
{
    echo "# DNS benchmark results"
    echo
    cat "$tmp/machine.md"
    python3 "$here/summarize.py" "$results" --callgrind "$cg"
    if [[ -s $tmp/heartbeats.txt ]]; then
        echo
        echo "Heartbeats during the run:"
        echo '```'
        cat "$tmp/heartbeats.txt"
        echo '```'
    fi
    echo
    echo "Raw rows (set server kind rep qps avg_s p99_s cpu_s wall_s completed lost resp_bytes utime stime):"
    echo '```'
    cat "$results"
    echo '```'
} >"$out"
cat "$out"
log "written to $out"
