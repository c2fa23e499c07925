#!/usr/bin/env bash
# Builds dnsd with its tests (warnings are errors) and runs every unit and end-to-end test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDNSD_WERROR=ON >/dev/null
cmake --build build-test -j2
cd build-test
ctest --output-on-failure -j2 --timeout 300
