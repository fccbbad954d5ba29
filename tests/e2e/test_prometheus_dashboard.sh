#!/bin/sh
# shellcheck shell=sh disable=SC1091,SC2016,SC2154
# conf/dashboards/prometheus.json against what a real Prometheus stored:
# collectd.exe under Wine runs the shipped baseline (conf/wmi.conf) at
# Interval 10 with write_prometheus on 127.0.0.1, and Debian's prometheus
# (prometheus_lib.sh: a throwaway one on loopback, honor_labels) scrapes it
# every 10 s. Wine has no Win32_PerfRawData_* classes, so the baseline's
# cpu, diskio, network and system queries give nothing here: their series
# are backfilled beforehand (promtool tsdb create-blocks-from openmetrics)
# over the hour before the test, under exactly the names and labels
# write_prometheus gives them on Windows, derived from conf/wmi.conf and
# types.db, and printed as SYNTHETIC. Then, over a window holding both the
# backfill and the live data:
#   - every panel target's PromQL ($instance this run's host, Grafana's
#     interval macros made concrete), run as a range query, returns data;
#     so does each series selector in it by itself, once per alternative of
#     each (a|b) group of its regular expressions: every series a panel asks
#     for must exist, not only one of them;
#   - every metric name a query names is one the baseline produces (the
#     collectd_ names Prometheus stored: /api/v1/label/__name__/values),
#     and every name the baseline produces is on some panel;
#   - the $instance variable's label_values() lists this run's host only;
#   - two broken copies of the dashboard (a misspelled metric name; a
#     selector that matches nothing) are each caught at the broken panel,
#     and only there.
# No Grafana runs (it is not in Debian): the queries are Prometheus', the
# JSON is checked by tests/unit/test_dashboard_schema.sh, rendering is not
# proven. About 70 s. Needs COLLECTD_SDK, BUILDDIR (the Windows build) and
# SRCDIR; make check sets them. PROMETHEUS_DASHBOARD checks another
# dashboard file instead. curl and jq talk to Prometheus' API.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
. "$SRCDIR/tests/e2e/prometheus_lib.sh"
. "$SRCDIR/tests/e2e/dashboard_lib.sh"
suite=prometheus_dashboard
begun=$(date +%s)
host=winbox
dashboard=${PROMETHEUS_DASHBOARD:-$SRCDIR/conf/dashboards/prometheus.json}
types_db=$COLLECTD_SDK/share/types.db
tab=$(printf '\t')
lines() { tr '\n' ' ' | sed 's/ $//'; }

e2e_begin

# --- SYNTHETIC: the performance series Wine cannot produce -----------------
# conf/wmi.conf's Win32_PerfRawData_* Results, as perf_series names them
# for a server with two processors, one disk and one interface; each as
# write_prometheus exposes it: collectd_wmi_<type>, plus _<data source>
# when that is not "value", plus _total for counters; labels wmi (the
# plugin instance), type (the type instance) and instance (the host), and
# the job Prometheus adds. One point every 10 s over the hour before the
# test, ending two minutes before it: the backfill must lie before what
# the live scrapes add, and the two must not overlap.
perf_results "$SRCDIR/conf/wmi.conf" >"$run/perf_results.txt"
missing_names=$(perf_series "$run/perf_results.txt" "$types_db" 2>&1 \
  >"$run/perf_series.txt" | lines)
check "wmi.conf's performance Results are found ($(wc -l <"$run/perf_results.txt"))" \
  test -s "$run/perf_results.txt"
check "every performance class has sample object names (missing: ${missing_names:-none})" \
  test -z "$missing_names"
synth_from=$((begun - 3600))
synth_to=$((begun - 120))
synthetic_openmetrics "$types_db" "$run/perf_series.txt" "$synth_from" "$synth_to" \
  >"$run/synthetic.om"
grep -v '^#' "$run/synthetic.om" | sed 's/ [^ ]* [^ ]*$//' | sort -u \
  >"$run/synthetic-series.txt"
synthetic_points=$(grep -vc '^#' "$run/synthetic.om")
echo "$suite: SYNTHETIC data: $(wc -l <"$run/synthetic-series.txt") series the baseline's performance queries give on Windows, which Wine cannot produce (no Win32_PerfRawData_* classes), backfilled with $synthetic_points points, one every 10 s from $(date -u -d "@$synth_from" +%H:%M:%S) to $(date -u -d "@$synth_to" +%H:%M:%S) UTC:"
sed 's/^/  SYNTHETIC: /' "$run/synthetic-series.txt"
check "promtool backfills the synthetic points into the TSDB" \
  prom_backfill "$run/synthetic.om"

# --- collectd.exe with write_prometheus, scraped by Prometheus -------------
port=$(free_ports 1)
log=$run/collectd.log
write_conf "$run/prometheus.conf" "$log" 5 "LoadPlugin write_prometheus
<Plugin write_prometheus>
  Host \"127.0.0.1\"
  Port \"$port\"
</Plugin>
Include \"$(win "$SRCDIR/conf/wmi.conf")\"" 10
start_daemon "$run/prometheus.conf" "$run/collectd.out"
echo "$suite: collectd.exe started $((daemon_started - begun)) s after the test began"
if ! prom_start "127.0.0.1:$port" 10s; then
  echo "$suite: 0 passed, 1 failed"
  exit 1
fi
check "prometheus listens on 127.0.0.1 only ($prom_port)" loopback_only "$prom_pid"

# The queries Wine answers: wmi.conf's queries (PluginInstance, else the
# Query's name) but the performance ones.
awk '/^[ \t]*#/ { next }
  /<Query "/ { if (q != "") print q; split($0, a, "\""); q = a[2] }
  /^[ \t]*PluginInstance / { split($0, a, "\""); q = a[2] }
  END { if (q != "") print q }' "$SRCDIR/conf/wmi.conf" | sort >"$run/instances.txt"
cut -d' ' -f1 "$run/perf_results.txt" | sort -u >"$run/perf_instances.txt"
live=$(comm -23 "$run/instances.txt" "$run/perf_instances.txt" | lines)
# scraped: the plugin instances of the series that have points in the
# last 60 s (the backfill ends two minutes before the test began).
scraped() {
  prom_label_values wmi "{__name__=~\"collectd_.+\", instance=\"$host\"}" \
    $(($(date +%s) - 60)) $(($(date +%s) + 10)) | lines
}
while [ "$(scraped)" != "$live" ] && [ $(($(date +%s) - daemon_started)) -lt 90 ]; do
  sleep 1
done
got=$(scraped)
echo "$suite: the live queries' series in Prometheus after $(($(date +%s) - daemon_started)) s ($got)"
check "Prometheus stores the series of every query Wine answers ($live; got: $got)" \
  test -n "$live" -a "$got" = "$live"
health=$(prom_target_health)
check "the collectd target is up ($health)" test "${health%% *}" = up
# The baseline's names: those Prometheus stored from collectd's scrapes
# and the backfill, over the whole window (not its own up, scrape_*).
window_from=$((synth_from - synth_from % 10))
window_to=$(($(date +%s) + 10))
prom_label_values __name__ '{__name__=~"collectd_.+"}' "$window_from" "$window_to" \
  >"$run/names.txt"
echo "$suite: the baseline's metric names: $(lines <"$run/names.txt")"
unstored=$(sed 's/{.*//' "$run/synthetic-series.txt" | sort -u | comm -23 - "$run/names.txt" | lines)
check "Prometheus holds the synthetic names too (not: ${unstored:-none})" test -z "$unstored"
sel=$(sed 's/{.*//' "$run/synthetic-series.txt" | sort -u | paste -sd '|')
recent=$(prom_series "{__name__=~\"$sel\", wmi=~\"$(paste -sd '|' "$run/perf_instances.txt")\"}" \
  $((synth_to + 30)) "$window_to" | prom_jq '.data | length')
check "none of the synthetic series came from collectd under Wine ($recent with points since the backfill)" \
  test "$recent" = 0

# --- The dashboard ----------------------------------------------------------
check_dashboard "$dashboard" "$run/results.tsv" "$run/names.txt" "the baseline's"
shown_names "$run/results.tsv" >"$run/shown.txt"
unshown=$(comm -23 "$run/names.txt" "$run/shown.txt" | lines)
check "every metric the baseline produces is on a panel (not: ${unshown:-none})" \
  test -s "$run/names.txt" -a -z "$unshown"

# The $instance variable: label_values(METRIC, LABEL) through the API.
instance_variable "$dashboard"
metric=$variable_metric label=$variable_label
got=$(prom_label_values "${label:-instance}" "${variable_selector:-none}" "$window_from" "$window_to" | lines)
check "\$instance ($variable) reads an instance label of a baseline metric" \
  test "$label" = instance -a -n "$metric" -a -n "$(grep -xF "$metric" "$run/names.txt")"
check "\$instance lists $host, only ($got)" test "$got" = "$host"

# --- The checks catch a broken dashboard -----------------------------------
broken "$dashboard" misspelled "Memory free" collectd_wmi_memory collectd_wmi_memroy "$run/names.txt"
check "a misspelled metric (collectd_wmi_memroy in \"Memory free\") is caught there only" \
  only_panel misspelled "Memory free"
check "... as a name the baseline does not produce" \
  sh -c "cut -f6 '$run/misspelled.failing' | grep -qx collectd_wmi_memroy"
broken "$dashboard" nothing "Disk space" 'wmi="logicaldisk"' 'wmi="logicaldsik"' "$run/names.txt"
check "a panel whose query returns nothing (wmi=\"logicaldsik\" in \"Disk space\") is caught there only" \
  only_panel nothing "Disk space"
check "... as no values, with only baseline names" \
  sh -c "cut -f4,6 '$run/nothing.failing' | grep -qx '0$tab'"

if [ "$failed" -gt 0 ]; then
  echo "--- collectd log:"
  tr -d '\r' <"$log" | grep -vE -e '^[^ ]+ [^ ]+ [0-9]+$' -e '^$' \
    -e 'write_log values:$' | head -n 40
  echo "--- prometheus log:"
  tail -n 20 "$prom_dir/prometheus.log"
fi
echo "$suite: took $(($(date +%s) - begun)) s"
summary
