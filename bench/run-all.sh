#!/bin/sh
# Every benchmark of bench/README.md, one after another (about 20 minutes):
#   4  the read path, natively              (make -C build/native bench)
#   1  the read callback in collectd.exe    (bench/run-read-bench.sh)
#   2  scale, 3 overhead, under Wine        (make -C build/win bench-wine)
# Benchmark 1's table is rewritten in bench/README.md; the others print the
# figures their tables hold. Needs root the first time (scripts/build.sh
# installs packages and builds the collectd SDK).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/build.sh"
echo "== Benchmark 4: the read path, natively"
make -s -C "$top/build/native" bench
echo "== Benchmark 1: the read callback in collectd.exe (about 10 minutes)"
make -s -C "$top/build/win" bench/sync_plugin.dll bench/wmi-timing.dll
COLLECTD_SDK=${COLLECTD_WMI_SDK:-${XDG_CACHE_HOME:-$HOME/.cache}/collectd-wmi/sdk-5.12.0} \
  BUILDDIR="$top/build/win" SRCDIR="$top" "$top/bench/run-read-bench.sh" --readme
echo "== Benchmarks 2 and 3: scale and overhead under Wine (about 8 minutes)"
make -s -C "$top/build/win" bench-wine
