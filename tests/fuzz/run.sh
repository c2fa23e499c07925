#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, ASan and UBSan in build-fuzz, generates their seed
# corpora, runs each for a bounded time and reports executions and crashes per target.
#   FUZZ_SECONDS   seconds per target (default 60)
#   FUZZ_TARGETS   which targets (default: all four)
#   FUZZ_BUILD_DIR build directory (default: build-fuzz)
# Exits non-zero when any target crashed (crash-* files are kept in $FUZZ_BUILD_DIR/fuzz-out/).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
seconds=${FUZZ_SECONDS:-60}
targets=(${FUZZ_TARGETS:-query_fuzz tcp_framing_fuzz snapshot_decode_fuzz heartbeat_fuzz})
build=${FUZZ_BUILD_DIR:-build-fuzz}

command -v clang++ >/dev/null || { echo "clang++ missing: scripts/install-deps.sh --fuzz" >&2; exit 2; }
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' > "$probe/p.cpp"
if ! clang++ -fsanitize=fuzzer,address,undefined "$probe/p.cpp" -o "$probe/p" 2>"$probe/err"; then
  echo "clang++ cannot link libFuzzer programs (libclang-rt-14-dev missing?): scripts/install-deps.sh --fuzz" >&2
  cat "$probe/err" >&2
  exit 2
fi

sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -fsanitize=fuzzer-no-link"
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDNSD_FUZZ=ON "-DCMAKE_CXX_FLAGS=$sanitize" "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" >/dev/null
ninja -C "$build" -j2 "${targets[@]}"

out="$root/$build/fuzz-out"
mkdir -p "$out"
python3 tests/fuzz/make_seeds.py "$out/seeds"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
printf '\n%-22s %12s %8s %s\n' target executions crashes result
summary=()
for t in "${targets[@]}"; do
  corpus="$out/corpus/$t"
  mkdir -p "$corpus" "$out/artifacts/$t"
  # Inputs that once failed are replayed first (tests/fuzz/regressions/<target>/).
  regressions=()
  [[ -d tests/fuzz/regressions/$t ]] && regressions+=("tests/fuzz/regressions/$t")
  started="$out/artifacts/$t/.started"
  touch "$started"
  extra=()
  # tcp_framing_fuzz's synthetic mode reaches 64 KiB frames from 3 input bytes, so the
  # default input size limit suffices for every target.
  log="$out/$t.log"
  set +e
  "$build/tests/fuzz/$t" "$corpus" "$out/seeds/$t" "${regressions[@]}" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/artifacts/$t/" "${extra[@]}" \
      >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  # Only what this run found: earlier crash files are kept for reproduction, not recounted.
  crashes=$(find "$out/artifacts/$t" -type f -newer "$started" \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  result=ok
  if [[ $rc -ne 0 || $crashes -ne 0 ]]; then
    result="FAILED (exit $rc, see $log and $out/artifacts/$t/)"
    failed=1
  fi
  summary+=("$(printf '%-22s %12s %8s %s' "$t" "${execs:-?}" "$crashes" "$result")")
  echo "${summary[-1]}"
done
exit $failed
