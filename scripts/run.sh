#!/usr/bin/env bash
# Builds dnsd and its client dnsctl (build/dnsd/dnsctl), and runs dnsd on its defaults (DNS
# 127.0.0.1:8053, HTTP 127.0.0.1:8054, zone svc, data in ./dnsd-data). Extra arguments go to
# dnsd, e.g. scripts/run.sh --log-level debug
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DDNSD_BUILD_TESTS=OFF >/dev/null
cmake --build build -j2 --target dnsd dnsctl
exec build/dnsd/dnsd "$@"
