#!/bin/sh
# Quick start: builds everything, then runs the real collectd.exe under Wine
# with wmi.dll and conf/wmi.conf for a few read cycles, and prints the
# metrics as write_log shows them (Graphite lines: name value time).
# Usage: scripts/demo.sh [SECONDS]   (default 12)
#    or: scripts/demo.sh --pipelines [SECONDS]   (default 60; 0: until
#        Ctrl-C) the whole chain into carbon, InfluxDB and Prometheus on
#        127.0.0.1, with a live table of what arrived
#        (scripts/demo-pipelines.sh).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
pipelines=
if [ "${1:-}" = "--pipelines" ]; then
  pipelines=1
  shift
fi
seconds=${1:-12}
# DEMO_SKIP_BUILD=1: already built (the demo's own test, inside make check).
[ -n "${DEMO_SKIP_BUILD:-}" ] || "$top/scripts/build.sh"
sdk=${COLLECTD_WMI_SDK:-${XDG_CACHE_HOME:-$HOME/.cache}/collectd-wmi/sdk-5.12.0}
if [ -n "$pipelines" ]; then
  export WINEPREFIX="${DEMO_WINEPREFIX:-$top/build/wineprefix}"
  WMIBENCH_SIZES=0 "$top/tests/wine/prefix-setup.sh"
  exec "$top/scripts/demo-pipelines.sh" "$sdk" "${1:-60}"
fi

run="$top/build/demo"
rm -rf "$run"
mkdir -p "$run"
cp "$sdk"/bin/* "$top/build/win/wmi.dll" "$run/"
win() { printf 'Z:%s' "$1" | sed 's#/#\\\\#g'; } # a Windows path for collectd.conf
cat >"$run/collectd.conf" <<CONF
BaseDir "$(win "$run")"
PluginDir "$(win "$run")"
TypesDB "$(win "$sdk/share/types.db")"
Interval 2
LoadPlugin logfile
<Plugin logfile>
  LogLevel info
  File "$(win "$run/collectd.log")"
</Plugin>
LoadPlugin write_log
<Plugin write_log>
  Format Graphite
</Plugin>
Include "$(win "$top/conf/wmi.conf")"
CONF

export WINEPREFIX="$top/build/wineprefix"
# A new Wine prefix takes several seconds to set up: do that first, so the
# seconds below are all collectd's.
make -s -C "$top/build/win" tests/wine/wmi_query.exe
"$top/tests/wine/wine-run.sh" "$top/build/win/tests/wine/wmi_query.exe" \
  "SELECT Caption FROM Win32_OperatingSystem" Caption Caption >/dev/null 2>&1 || true
echo "demo: running collectd.exe with conf/wmi.conf under Wine for $seconds s..."
timeout -s KILL "$seconds" "$top/tests/wine/wine-run.sh" "$run/collectd.exe" -f \
  -C "$(win "$run/collectd.conf")" >"$run/wine.out" 2>&1 || true
/usr/lib/wine/wineserver -k 2>/dev/null || true

# The daemon writes CRLF line ends on Windows; read the log without them.
tr -d '\r' <"$run/collectd.log" >"$run/collectd.txt"
echo "demo: what collectd logged about the plugin:"
grep 'wmi plugin' "$run/collectd.txt" || true
echo "demo: metrics from the wmi plugin (write_log, Graphite format):"
grep -E '^[^ ]+\.wmi-[^ ]+ [^ ]+ [0-9]+$' "$run/collectd.txt" | sort -t' ' -k3,3n -k1,1 |
  tail -n 40
count=$(grep -cE '^[^ ]+\.wmi-[^ ]+ [^ ]+ [0-9]+$' "$run/collectd.txt" || true)
echo "demo: $count values dispatched; full log: $run/collectd.log"
[ "$count" -gt 0 ]
