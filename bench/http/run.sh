#!/usr/bin/env bash
# bench/http: heartbeat ingestion, dnsd against nginx answering `return 204;` (issue 5).
#
# wrk (Debian's 4.x, Lua) posts heartbeats for DURATION seconds, first to dnsd, then to nginx
# with worker_processes 1 and auto, interleaved and repeated. Same connections, same wrk
# threads, same bodies (bench/http/heartbeat.lua makes each one different). The servers run
# pinned to one core, wrk to another. Prints requests/s, latency avg/p99, server CPU (from
# /proc/PID/task/*/schedstat) and the ratio dnsd/nginx (target >= 0.5).
#
#   bench/http/run.sh [--dnsd PATH] [--duration S] [--repeat N] [--connections C]
#                     [--wrk-threads T] [--modes "renew new"] [--instances N] [--services K]
#                     [--server-cpu N] [--client-cpu N] [--short]
#
# --short: 3 s runs, one repetition (a quick look while the machine is busy).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

dnsd_bin=""
duration=10
repeat=3
connections=50
wrk_threads=1
modes="renew new"
instances=1000
services=100
server_cpu=0
client_cpu=1

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dnsd) dnsd_bin=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --repeat) repeat=$2; shift 2 ;;
        --connections) connections=$2; shift 2 ;;
        --wrk-threads) wrk_threads=$2; shift 2 ;;
        --modes) modes=$2; shift 2 ;;
        --instances) instances=$2; shift 2 ;;
        --services) services=$2; shift 2 ;;
        --server-cpu) server_cpu=$2; shift 2 ;;
        --client-cpu) client_cpu=$2; shift 2 ;;
        --short) duration=3; repeat=1; shift ;;
        -h|--help) usage ;;
        *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done

if [[ -z "$dnsd_bin" ]]; then
    # The newest dnsd built in any build directory of the tree.
    dnsd_bin=$(ls -t "$root"/build*/dnsd/dnsd 2>/dev/null | head -n1 || true)
fi
for tool in wrk nginx taskset curl python3; do
    command -v "$tool" >/dev/null || { echo "run.sh: '$tool' is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
done
[[ -x "$dnsd_bin" ]] || { echo "run.sh: no dnsd binary; build it or pass --dnsd PATH" >&2; exit 1; }
nginx_bin=$(command -v nginx)

work=$(mktemp -d /tmp/bench-http.XXXXXX)
server_pid=""
stop_server() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_http() {  # URL: up to 10 s for the server to answer at all
    for _ in $(seq 200); do
        curl -s -o /dev/null --max-time 1 "$1" && return 0
        kill -0 "$server_pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# CPU time (ns) of a process and its children so far: first field of every thread's schedstat.
cpu_ns() {
    local total=0 pid f
    for pid in "$@"; do
        for f in /proc/"$pid"/task/*/schedstat; do
            [[ -r "$f" ]] || continue
            read -r ns _ < "$f" || continue
            total=$((total + ns))
        done
    done
    echo "$total"
}
server_pids() {  # the server and its direct children (nginx workers)
    echo "$server_pid"
    pgrep -P "$server_pid" 2>/dev/null || true
}

start_dnsd() {
    local port dns_port dir=$work/dnsd-$RANDOM
    mkdir -p "$dir"
    port=$(free_port); dns_port=$(free_port)
    # One DNS thread: this benchmark is about the HTTP side, which runs on the control thread.
    taskset -c "$server_cpu" "$dnsd_bin" --http "127.0.0.1:$port" --dns "127.0.0.1:$dns_port" \
        --data-dir "$dir" --node-name bench --threads 1 --log-level warn \
        >"$dir/log" 2>&1 &
    server_pid=$!
    url="http://127.0.0.1:$port"
    wait_http "$url/healthz" || { echo "run.sh: dnsd did not start:"; cat "$dir/log"; exit 1; }
}

start_nginx() {  # WORKERS: 1 or auto
    local port dir=$work/nginx-$RANDOM
    mkdir -p "$dir"
    port=$(free_port)
    cat >"$dir/nginx.conf" <<EOF
worker_processes $1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    # nginx closes a keep-alive connection after 1000 requests by default; dnsd never does.
    keepalive_requests 100000000;
    server {
        listen 127.0.0.1:$port;
        location / { return 204; }
    }
}
EOF
    taskset -c "$server_cpu" "$nginx_bin" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" \
        >"$dir/log" 2>&1 &
    server_pid=$!
    url="http://127.0.0.1:$port"
    wait_http "$url/" || { echo "run.sh: nginx did not start:"; cat "$dir/log" "$dir/error.log"; exit 1; }
}

results=$work/results.tsv
: >"$results"
failures=0

run_one() {  # NAME MODE
    local name=$1 mode=$2 before after out line
    local pids
    pids=$(server_pids)
    # shellcheck disable=SC2086
    before=$(cpu_ns $pids)
    out=$(HB_MODE=$mode HB_INSTANCES=$instances HB_SERVICES=$services \
          taskset -c "$client_cpu" wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" \
          --latency -s "$here/heartbeat.lua" "$url/v1/heartbeat" 2>&1) || true
    pids=$(server_pids)
    # shellcheck disable=SC2086
    after=$(cpu_ns $pids)
    line=$(grep '^WRKRESULT' <<<"$out" || true)
    if [[ -z "$line" ]]; then
        echo "!!! wrk printed no result for $name/$mode:"; echo "$out"; failures=$((failures + 1)); return
    fi
    local rps avg p99 non2xx errs cpu_s
    rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
    avg=$(sed -E 's/.* lat_avg_us=([0-9.]+).*/\1/' <<<"$line")
    p99=$(sed -E 's/.* lat_p99_us=([0-9]+).*/\1/' <<<"$line")
    non2xx=$(sed -E 's/.* non2xx=([0-9]+).*/\1/' <<<"$line")
    errs=$(awk '{for(i=1;i<=NF;i++) if($i ~ /_err=/){split($i,a,"="); s+=a[2]} print s+0}' <<<"$line")
    cpu_s=$(awk -v a="$before" -v b="$after" 'BEGIN{printf "%.2f", (b-a)/1e9}')
    if [[ "$non2xx" != 0 || "$errs" != 0 ]]; then
        echo "!!!!!!!! $name/$mode: $non2xx responses were not 2xx/3xx and $errs socket errors !!!!!!!!"
        failures=$((failures + 1))
    fi
    printf '  %-12s %-6s %10.0f req/s  avg %7.0f us  p99 %7d us  cpu %6s s  non-2xx %s\n' \
        "$name" "$mode" "$rps" "$avg" "$p99" "$cpu_s" "$non2xx"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$mode" "$rps" "$avg" "$p99" "$cpu_s" >>"$results"
}

echo "bench/http: dnsd $dnsd_bin ($("$dnsd_bin" --version 2>&1 | head -n1)), $(nginx -v 2>&1)"
echo "  $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2); ${duration} s per run, $repeat repetition(s)," \
     "$connections connections, $wrk_threads wrk thread(s), modes: $modes"
echo "  renew: $instances instances over $services services; new: a new instance per request"
echo "  servers pinned to CPU $server_cpu, wrk to CPU $client_cpu (taskset); $(nproc) CPUs," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

for rep in $(seq "$repeat"); do
    echo "repetition $rep"
    for mode in $modes; do
        for server in dnsd nginx-w1 nginx-auto; do
            case $server in
                dnsd) start_dnsd ;;
                nginx-w1) start_nginx 1 ;;
                nginx-auto) start_nginx auto ;;
            esac
            run_one "$server" "$mode"
            stop_server
        done
    done
done

median() { sort -g | awk '{v[NR]=$1} END{ if (NR==0) print 0; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2 }'; }
col() { awk -F'\t' -v s="$1" -v m="$2" -v c="$3" '$1==s && $2==m {print $c}' "$results" | median; }

echo
echo "medians over $repeat repetition(s):"
printf '| %-10s | %-6s | %10s | %8s | %8s | %8s | %10s | %9s | %13s |\n' server mode "req/s" "avg us" "p99 us" "cpu s" "us cpu/req" "dnsd/this" "dnsd/this cpu"
printf '|%s|\n' "------------|--------|------------|----------|----------|----------|------------|-----------|---------------"
for mode in $modes; do
    dnsd_rps=$(col dnsd "$mode" 3)
    dnsd_cpu=$(col dnsd "$mode" 6)
    for server in dnsd nginx-w1 nginx-auto; do
        rps=$(col "$server" "$mode" 3); avg=$(col "$server" "$mode" 4)
        p99=$(col "$server" "$mode" 5); cpu=$(col "$server" "$mode" 6)
        awk -v s="$server" -v m="$mode" -v r="$rps" -v a="$avg" -v p="$p99" -v c="$cpu" \
            -v d="$dnsd_rps" -v dc="$dnsd_cpu" -v t="$duration" 'BEGIN{
                per = (r > 0) ? c * 1e6 / (r * t) : 0; ratio = (r > 0) ? d / r : 0;
                dper = (d > 0) ? dc * 1e6 / (d * t) : 0; cratio = (dper > 0) ? per / dper : 0;
                printf "| %-10s | %-6s | %10.0f | %8.0f | %8d | %8.2f | %10.1f | %9.2f | %13.2f |\n",
                       s, m, r, a, p, c, per, ratio, cratio }'
    done
done
echo "target: dnsd/nginx req/s >= 0.5 (the dnsd/this column on the nginx rows)."
echo "dnsd/this cpu: the same ratio per server CPU second (this row's us cpu/req over dnsd's),"
echo "the figure to trust when other work shares the machine."
if [[ $failures -gt 0 ]]; then
    echo "!!!!!!!! $failures run(s) had non-2xx responses, socket errors or no result: figures above are suspect !!!!!!!!"
    exit 1
fi
