#!/bin/sh
# Prepares the Wine prefix that tests, the demo and the benchmarks use.
# Idempotent: a prefix already set up costs one short `reg query`.
#   - creates the prefix (first start: several seconds);
#   - marks drive Z: (Wine's map of /) as a network drive, so that
#     CIM_DataFile queries, which walk every fixed drive, do not walk the
#     whole Linux file system;
#   - creates C:\wmibench\f<N> directories of N empty files: the query
#       SELECT Name FROM CIM_DataFile
#         WHERE Name='C:\\wmibench\\f<N>\\x' OR Name='C:\\wmibench\\f<N>\\y'
#     reads every file of that directory, a real slow WMI query (bench/README.md
#     lists the durations measured for each size).
# Usage: WINEPREFIX=DIR tests/wine/prefix-setup.sh   (default: wine-run.sh's)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${WINEPREFIX:=${TMPDIR:-/tmp}/collectd-wmi-wineprefix}"
export WINEPREFIX
wineserver=/usr/lib/wine/wineserver
# The directory sizes; C:\wmibench\f<N> for each.
: "${WMIBENCH_SIZES:=0 330 1300 2500}"

# Two tests starting at once must not both create the prefix.
mkdir -p "$(dirname "$WINEPREFIX")"
exec 9>"$WINEPREFIX.setup-lock"
flock 9

drives='HKLM\Software\Wine\Drives'
if ! "$here/wine-run.sh" reg query "$drives" /v z: 2>/dev/null |
  tr -d '\r' | grep -qi 'z:.*REG_SZ.*network'; then
  "$here/wine-run.sh" reg add "$drives" /v z: /t REG_SZ /d network /f \
    >/dev/null 2>&1
  # The mount manager reads drive types when the prefix's server starts:
  # restart it, so the next program sees Z: as a network drive.
  "$wineserver" -k 2>/dev/null || true
  "$wineserver" -w 2>/dev/null || true
fi

for n in $WMIBENCH_SIZES; do
  dir="$WINEPREFIX/drive_c/wmibench/f$n"
  [ -d "$dir" ] && [ "$(find "$dir" -type f | wc -l)" -eq "$n" ] && continue
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$n" -eq 0 ] || (cd "$dir" && seq -f 'file%05g' 1 "$n" | xargs touch)
done
