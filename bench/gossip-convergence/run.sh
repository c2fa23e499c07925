#!/usr/bin/env bash
# Gossip convergence benchmark (issue 4): builds and runs the in-process benchmark for
# N = 10, 50, 200, 1000, then N real dnsd processes on loopback. See README.md.
#   bench/gossip-convergence/run.sh                # everything, build dir ./build-bench
# Environment: BUILD_DIR (default <repo>/build-bench), JOBS (ninja -j, default 2),
#   DNSD_BINARY (use this dnsd instead of building one), REAL_NODES (20), REAL_INTERVAL (0.5),
#   SMALL_REPS (3), BIG_REPS (1): repetitions for N <= 200 and for N = 1000 (minutes each),
#   BIG_SIZES (1000; empty: skip the big in-process run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build-bench}
jobs=${JOBS:-2}

echo "== building the in-process benchmark ($build/gossip-convergence)"
cmake -S "$here" -B "$build/gossip-convergence" -G Ninja -DDNSD_WERROR=ON >/dev/null
ninja -C "$build/gossip-convergence" -j"$jobs" gossip_convergence
bench=$build/gossip-convergence/gossip_convergence

status=0
echo "== in-process, N = 10, 50, 200"
"$bench" --sizes 10,50,200 --reps "${SMALL_REPS:-3}" --changes 9 || status=1
big=${BIG_SIZES-1000}
if [[ -n "$big" ]]; then
    echo "== in-process, N = $big (bounded: ${BIG_REPS:-1} repetition, 5 heartbeats, at most 30 min)"
    timeout 1800 "$bench" --sizes "$big" --reps "${BIG_REPS:-1}" --changes 5 || status=1
fi

if [[ -z "${DNSD_BINARY:-}" ]]; then
    echo "== building dnsd ($build/dnsd)"
    cmake -S "$root" -B "$build/dnsd" -G Ninja -DDNSD_WERROR=ON -DDNSD_BUILD_TESTS=OFF >/dev/null
    ninja -C "$build/dnsd" -j"$jobs" dnsd
    DNSD_BINARY=$build/dnsd/dnsd/dnsd
fi
echo "== ${REAL_NODES:-20} real dnsd processes ($DNSD_BINARY)"
python3 "$here/real_cluster.py" --dnsd "$DNSD_BINARY" --nodes "${REAL_NODES:-20}" \
    --interval "${REAL_INTERVAL:-0.5}" || status=1
exit $status
