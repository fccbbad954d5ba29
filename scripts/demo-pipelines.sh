#!/bin/sh
# The whole chain, live: collectd.exe under Wine with wmi.dll and
# conf/wmi.conf feeds a throwaway carbon-cache (write_graphite), a
# throwaway InfluxDB (network plugin -> InfluxDB's collectd input) and a
# throwaway Prometheus (scraping its write_prometheus every 5 s), all on
# 127.0.0.1 with their data under build/demo-pipelines; every 10 s cycle it
# prints what arrived in each (series, last value, age). Stops after
# SECONDS (0: at Ctrl-C), and on Ctrl-C, with no server or Wine left
# running. Run by `scripts/demo.sh --pipelines [SECONDS]` after the build.
# Usage: scripts/demo-pipelines.sh SDK SECONDS
# Environment (for its test): DEMO_RUN (default build/demo-pipelines),
# WMI_DLL (default build/win/wmi.dll), WINEPREFIX (default build/wineprefix).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
COLLECTD_SDK=$1
seconds=$2
SRCDIR=$top
export COLLECTD_SDK SRCDIR

run=${DEMO_RUN:-$top/build/demo-pipelines}
rm -rf "$run"
mkdir -p "$run"
cp "$COLLECTD_SDK"/bin/* "${WMI_DLL:-$top/build/win/wmi.dll}" "$run/"
export WINEPREFIX="${WINEPREFIX:-$top/build/wineprefix}"

# Cleanups as the tests register them: the last added runs first.
cleanups=
on_exit() { cleanups="$1; $cleanups"; }
daemon=
stop_all() {
  trap '' HUP INT PIPE TERM QUIT # a second Ctrl-C must not cut this short
  [ -n "$daemon" ] && kill -9 "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
  daemon=
  /usr/lib/wine/wineserver -k 2>/dev/null
  eval "$cleanups"
  cleanups=
}
trap 'stop_all' EXIT
interrupted=
trap 'interrupted=1' INT
trap 'exit 1' HUP PIPE TERM QUIT

. "$top/tests/e2e/common.sh"
. "$top/tests/e2e/carbon_lib.sh"
. "$top/tests/e2e/influxdb_lib.sh"
. "$top/tests/e2e/prometheus_lib.sh"

carbon_start "$run/carbon" "$top/conf/graphite/storage-schemas.conf" \
  "$top/conf/graphite/storage-aggregation.conf" || exit 1
influx_start || exit 1
exporter_port=$(free_ports 1) # collectd.exe's write_prometheus
prom_start "127.0.0.1:$exporter_port" 5s || exit 1
echo "demo: carbon-cache on 127.0.0.1:$CARBON_PORT, InfluxDB on $influx_url," \
  "Prometheus on $prom_url scraping 127.0.0.1:$exporter_port"

write_conf "$run/collectd.conf" "$run/collectd.log" 5 "$(graphite_writer "$CARBON_PORT")
$(network_writer "$influx_collectd_port")
LoadPlugin write_prometheus
<Plugin write_prometheus>
  Host \"127.0.0.1\"
  Port \"$exporter_port\"
</Plugin>
Include \"$(win "$top/conf/wmi.conf")\"" 10 # collectd's default interval,
# which the shipped carbon schema's first step (10 s) expects

"$top/tests/wine/wine-run.sh" "$run/collectd.exe" -f \
  -C "$(win "$run/collectd.conf")" >"$run/wine.out" 2>&1 &
daemon=$!
[ -n "$interrupted" ] && exit 0 # Ctrl-C while the servers started
echo "demo: collectd.exe runs (log: $run/collectd.log);" \
  "$([ "$seconds" -gt 0 ] && echo "for $seconds s" || echo "until Ctrl-C")"

started=$(date +%s)
while :; do
  # A background sleep and wait: the INT trap runs at once, mid-cycle.
  sleep 10 &
  pause=$!
  wait "$pause"
  kill "$pause" 2>/dev/null
  [ -n "$interrupted" ] && break
  kill -0 "$daemon" 2>/dev/null || {
    wait "$daemon"
    daemon=
    echo "demo: collectd.exe ended"
    exit 1
  }
  echo "--- $(date -u +%H:%M:%S) UTC, $(($(date +%s) - started)) s in"
  # Ctrl-C while it prints stops the demo after the table, not the table.
  (trap '' INT; exec /usr/bin/python3 "$top/scripts/pipeline-table.py" \
    "$CARBON_WHISPER" collectd. "$influx_url" collectd "$prom_url" \
    "$COLLECTD_SDK/share/types.db")
  [ -n "$interrupted" ] && break
  [ "$seconds" -gt 0 ] && [ $(($(date +%s) - started)) -ge "$seconds" ] && break
done
echo
echo "demo: stopping after $(($(date +%s) - started)) s$([ -n "$interrupted" ] && echo " (Ctrl-C)")"
