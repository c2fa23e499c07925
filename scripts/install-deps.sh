#!/usr/bin/env bash
# Installs the Debian 12 packages dnsd needs to build (and, with --test, to run its tests).
# With --fuzz, the libFuzzer toolchain for tests/fuzz/run.sh (clang, its runtime libraries).
# With --bench, the tools and reference servers of bench/ (dnsperf, wrk, NSD, Knot, nginx,
# valgrind for instruction counts).
# Does nothing when everything is already installed.
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config
          libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev
          libboost-url1.81-dev libc-ares-dev libldns-dev libspdlog-dev libssl-dev)
for option in "$@"; do
  case "$option" in
    # knot (knotd) is the reference server of the differential test (tests/diff).
    # nginx: the end-to-end tests of the resolver recipe and of --nginx-upstream-dir.
    --test) packages+=(libgtest-dev libgmock-dev dnsutils curl knot knot-dnsutils nginx) ;;
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    --bench) packages+=(dnsperf wrk nsd knot knot-dnsutils nginx valgrind linux-perf dnsutils curl util-linux) ;;
    *) echo "usage: $0 [--test] [--fuzz] [--bench]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing Debian packages: ${missing[*]}" >&2
sudo=()
[[ $(id -u) -ne 0 ]] && sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
