#!/bin/sh
# Benchmarks 2 (scale) and 3 (overhead) under Wine, run by
# `make -C build/win bench-wine` from the build directory. Prints the
# figures bench/README.md's tables come from.
#   SCALE_HOSTS     host counts for the scale runs   (default "1 10 100 500")
#   SCALE_SECONDS   measured seconds per scale run   (default 60)
#   OVERHEAD_SECONDS  seconds per overhead case      (default 20)
set -eu
src=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
run="$src/tests/wine/wine-run.sh"
# Z: as a network drive, or the overhead runs walk all of /.
WMIBENCH_SIZES=0 "$src/tests/wine/prefix-setup.sh"
for hosts in ${SCALE_HOSTS:-1 10 100 500}; do
  "$run" bench/scale.exe "$hosts" "${SCALE_SECONDS:-60}"
done
"$run" bench/overhead.exe "${OVERHEAD_SECONDS:-20}"
