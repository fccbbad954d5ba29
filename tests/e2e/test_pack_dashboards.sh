#!/bin/sh
# shellcheck shell=sh disable=SC1091,SC2016,SC2154
# Every pack dashboard, conf/dashboards/pack-<name>.json, against the pack
# it shows, conf/packs/<name>.conf, in a real Prometheus (Debian's, through
# prometheus_lib.sh: a throwaway one on loopback). Wine has none of the
# packs' classes, so nothing here comes from collectd: each pack's series
# are derived from the pack itself (each Query's name or PluginInstance,
# its Results' Type and InstancePrefix, InstancesFrom with sample object
# names: perf_results and perf_series in e2e_lib.sh, types.db for the data
# sources), named as write_prometheus names them, and backfilled as
# SYNTHETIC points over the hour before the test (dashboard_lib.sh). Then
# for each dashboard:
#   - it has a pack of its name, a Prometheus data source input, and every
#     panel and target reads it;
#   - every panel target's PromQL ($instance this run's host, Grafana's
#     interval macros made concrete), run as a range query, returns data;
#     so does each series selector in it by itself, once per alternative of
#     each (a|b) group of its regular expressions;
#   - every metric name a query names is one its pack produces (not only
#     one some pack produces);
#   - the $instance variable's label_values() reads one of the pack's
#     metrics and lists this run's host only;
#   - two broken copies (a misspelled metric name; a selector that matches
#     nothing), made in the first panel whose first target names a wmi
#     label, are each caught at that panel, and only there.
# The pack's metrics a dashboard leaves out are listed, not failed. No
# Grafana runs: tests/unit/test_dashboard_schema.sh checks the JSON. Needs
# COLLECTD_SDK (types.db) and SRCDIR; make check sets them. Runs nothing
# under Wine, so it takes no lock on the shared Wine prefix.
# PACK_DASHBOARDS: other dashboard files to check instead (each still
# named pack-<name>.json after its pack).
set -u
: "${COLLECTD_SDK:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
. "$SRCDIR/tests/e2e/prometheus_lib.sh"
. "$SRCDIR/tests/e2e/dashboard_lib.sh"
suite=pack_dashboards
begun=$(date +%s)
host=winbox
types_db=$COLLECTD_SDK/share/types.db
tab=$(printf '\t')
lines() { tr '\n' ' ' | sed 's/ $//'; }
# A class e2e_lib.sh has no sample names for (a new pack's) gets these
# (perf_object_names reads it).
# shellcheck disable=SC2034
PERF_OBJECT_FALLBACK="Sample object 1
Sample object 2"

e2e_scratch

# shellcheck disable=SC2086 # the list is split on purpose
set -- ${PACK_DASHBOARDS:-"$SRCDIR"/conf/dashboards/pack-*.json}
if [ ! -f "$1" ]; then
  check "there are pack dashboards (conf/dashboards/pack-*.json)" false
  summary
  exit
fi

# --- SYNTHETIC: each pack's series -----------------------------------------
synth_from=$((begun - 3600))
synth_to=$((begun - 120))
for d in "$@"; do
  name=$(basename "$d" .json)
  name=${name#pack-}
  pack=$SRCDIR/conf/packs/$name.conf
  check "$name: the dashboard has a pack, conf/packs/$name.conf" test -f "$pack"
  [ -f "$pack" ] || continue
  perf_results "$pack" '[A-Za-z0-9_]+' >"$run/$name.results"
  check "$name: the pack's Results are found ($(wc -l <"$run/$name.results"))" \
    test -s "$run/$name.results"
  perf_series "$run/$name.results" "$types_db" >"$run/$name.series"
  fallback=$(awk '$4 == 1 { print $5 }' "$run/$name.results" | sort -u | while read -r class; do
    PERF_OBJECT_FALLBACK='' perf_object_names "$class" >/dev/null || echo "$class"
  done | lines)
  [ -z "$fallback" ] || echo "$suite: $name: no sample object names for $fallback: \"Sample object 1\" and \"Sample object 2\""
  synthetic_openmetrics "$types_db" "$run/$name.series" "$synth_from" "$synth_to" \
    >"$run/$name.om"
  grep -v '^#' "$run/$name.om" | sed 's/ [^ ]* [^ ]*$//' | sort -u >"$run/$name.synthetic"
  # The pack's metric names: the families' samples' names.
  sed 's/{.*//' "$run/$name.synthetic" | sort -u >"$run/$name.names"
  echo "$suite: SYNTHETIC data for $name.conf: $(wc -l <"$run/$name.synthetic") series its queries give on Windows, which Wine cannot produce, one point every 10 s from $(date -u -d "@$synth_from" +%H:%M:%S) to $(date -u -d "@$synth_to" +%H:%M:%S) UTC:"
  sed 's/^/  SYNTHETIC: /' "$run/$name.synthetic"
done
# One OpenMetrics file for all: every pack's series, a family once.
cat "$run"/*.series >"$run/all.series"
synthetic_openmetrics "$types_db" "$run/all.series" "$synth_from" "$synth_to" \
  >"$run/synthetic.all"
check "promtool backfills the synthetic points into the TSDB" \
  prom_backfill "$run/synthetic.all"
# Prometheus scrapes nothing here: its target is a closed port.
if ! prom_start "127.0.0.1:$(free_ports 1)" 10s; then
  echo "$suite: 0 passed, 1 failed"
  exit 1
fi
check "prometheus listens on 127.0.0.1 only ($prom_port)" loopback_only "$prom_pid"
window_from=$((synth_from - synth_from % 10))
window_to=$(($(date +%s) + 10))
prom_label_values __name__ '{__name__=~"collectd_.+"}' "$window_from" "$window_to" \
  >"$run/stored.txt"
unstored=$(cat "$run"/*.names | sort -u | comm -23 - "$run/stored.txt" | lines)
check "Prometheus holds every synthetic name (not: ${unstored:-none})" test -z "$unstored"

# --- Each dashboard against its pack ---------------------------------------
for d in "$@"; do
  name=$(basename "$d" .json)
  name=${name#pack-}
  [ -f "$run/$name.names" ] || continue
  names=$run/$name.names
  check_dashboard "$d" "$run/$name.tsv" "$names" "$name.conf's" "$name: "
  unshown=$(shown_names "$run/$name.tsv" | comm -23 "$names" - | lines)
  echo "$suite: $name: the pack's metrics no panel shows: ${unshown:-none}"

  instance_variable "$d"
  got=$(prom_label_values "${variable_label:-instance}" "${variable_selector:-none}" \
    "$window_from" "$window_to" | lines)
  check "$name: \$instance ($variable) reads an instance label of a $name.conf metric" \
    test "$variable_label" = instance -a -n "$variable_metric" -a -n "$(grep -xF "$variable_metric" "$names")"
  check "$name: \$instance lists $host, only ($got)" test "$got" = "$host"

  # The broken copies, in the first panel of a title no other panel has
  # whose first target names a wmi label: its metric name misspelled; its
  # wmi label a query no pack has.
  panel=$(jq -r '[.panels[] | select(.type != "row")] | group_by(.title) |
    map(select(length == 1) | .[0]) | sort_by(.id) |
    [.[] | select(.targets[0].expr // "" | test("collectd_wmi_[a-z_]+\\{[^}]*wmi=\""))][0].title // ""' "$d")
  metric=$(jq -r --arg p "$panel" '[.panels[] | select(.title == $p and .type != "row")][0] |
    .targets[0].expr | [match("collectd_wmi_[a-z_]+").string][0]' "$d")
  wmi=$(jq -r --arg p "$panel" '[.panels[] | select(.title == $p and .type != "row")][0] |
    .targets[0].expr | [match("wmi=\"[^\"]*\"").string][0]' "$d")
  check "$name: a panel to break ([$panel] $metric, $wmi)" test -n "$panel" -a -n "$metric"
  broken "$d" "$name-misspelled" "$panel" "$metric" "${metric}x" "$names"
  check "$name: a misspelled metric (${metric}x in \"$panel\") is caught there only" \
    only_panel "$name-misspelled" "$panel"
  check "$name: ... as a name $name.conf does not produce" \
    sh -c "cut -f6 '$run/$name-misspelled.failing' | grep -qx '${metric}x'"
  broken "$d" "$name-nothing" "$panel" "$wmi" "${wmi%\"}x\"" "$names"
  check "$name: a panel whose query returns nothing (${wmi%\"}x\" in \"$panel\") is caught there only" \
    only_panel "$name-nothing" "$panel"
  check "$name: ... as no values, with only $name.conf's names" \
    sh -c "cut -f4,6 '$run/$name-nothing.failing' | grep -qx '0$tab'"
done

if [ "$failed" -gt 0 ]; then
  echo "--- prometheus log:"
  tail -n 20 "$prom_dir/prometheus.log"
fi
echo "$suite: took $(($(date +%s) - begun)) s"
summary
