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
# OpenMetrics: each family's samples together under its # TYPE line (a
# counter's family named without _total, its samples with it), each
# series' points in time order, stamps in seconds, # EOF at the end.
awk -F '|' -v host="$host" -v from="$synth_from" -v to="$synth_to" '
  NR == FNR { # types.db: "type ds:KIND:min:max, ..."
    n = split($0, w, /[ \t,]+/)
    if (w[1] !~ /^#/) for (i = 2; i <= n; i++) { split(w[i], f, ":"); kind[w[1] "|" f[1]] = f[2] }
    next
  }
  { k++
    counter = kind[$2 "|" $4] == "COUNTER" || kind[$2 "|" $4] == "DERIVE"
    family = "collectd_wmi_" $2 ($4 != "value" ? "_" $4 : "")
    labels = ($1 != "" ? "wmi=\"" $1 "\"," : "") \
      ($3 != "" ? ($1 != "" ? "type" : "wmi") "=\"" $3 "\"," : "") \
      "instance=\"" host "\",job=\"collectd\""
    if (!(family in type)) order[++families] = family
    type[family] = counter ? "counter" : "gauge"
    for (t = from; t <= to; t += 10) {
      i = (t - from) / 10
      if (counter) v = 4096 * i * k
      else if ($2 == "uptime") v = 864000 + t - from
      else if ($2 == "percent") v = (7 * k + 11 * i) % 90 + 5
      else if ($2 == "queue_length") v = (k + i) % 4
      else if ($2 == "count") v = 100 * k + i % 10
      else v = 125000 * (1 + (k + i) % 8)
      samples[family] = samples[family] family (counter ? "_total" : "") \
        "{" labels "} " v " " t "\n"
    }
  }
  END {
    for (i = 1; i <= families; i++) {
      name = order[i]
      printf "# TYPE %s %s\n%s", name, type[name], samples[name]
    }
    print "# EOF"
  }' "$types_db" "$run/perf_series.txt" >"$run/synthetic.om"
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
# promql_parts PROMQL: what the query reads, as lines "names<TAB>the metric
# names it names" (identifiers outside strings, braces, brackets and label
# lists that are no function, keyword or label list), then "selector<TAB>S"
# for each series selector (name{matchers}, without a range), once per
# alternative of each (a|b) group in its =~ regular expressions.
promql_parts() {
  /usr/bin/python3 -c '
import itertools, re, sys
q = sys.argv[1]
token = re.compile(r"\"(?:[^\"\\]|\\.)*\"|\x27(?:[^\x27\\]|\\.)*\x27|`[^`]*`"
                   r"|\[[^\]]*\]|\{(?:[^}\"]|\"(?:[^\"\\]|\\.)*\")*\}"
                   r"|[A-Za-z_:][A-Za-z0-9_:]*|[0-9][0-9A-Za-z_.]*|\s+|.")
words = {"by", "without", "on", "ignoring", "group_left", "group_right", "and",
         "or", "unless", "offset", "bool", "inf", "nan", "atan2", "sum", "min",
         "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
         "bottomk", "topk", "quantile"}
toks = [t for t in token.findall(q) if not t.isspace()]
names, selectors, i = [], [], 0
while i < len(toks):
    t, nxt = toks[i], toks[i + 1] if i + 1 < len(toks) else ""
    if t in ("by", "without", "on", "ignoring", "group_left", "group_right") and nxt == "(":
        while i < len(toks) and toks[i] != ")":
            i += 1
    elif re.match(r"[A-Za-z_:]", t) and nxt != "(" and t not in words:
        names.append(t)
        selectors.append(t + (nxt if nxt.startswith("{") else ""))
    elif t.startswith("{") and not (i and re.match(r"[A-Za-z_:]", toks[i - 1])):
        selectors.append(t)
    i += 1
print("names\t" + " ".join(sorted(set(names))))
def alternatives(s):
    m = re.search(r"=~\"[^\"]*?\(([^()\"]*\|[^()\"]*)\)", s)
    if not m:
        return [s]
    return [a for alt in m.group(1).split("|")
            for a in alternatives(s[:m.start(1) - 1] + alt + s[m.end(1) + 1:])]
seen = set()
for s in selectors:
    for a in alternatives(s):
        if a not in seen:
            seen.add(a)
            print("selector\t" + a)
' "$1"
}
# grafana_macros: the dashboard's variables as Grafana would expand them
# for this run: $instance this host; $__interval the 10 s step,
# $__rate_interval four scrape intervals, $__range the window.
grafana_macros() {
  sed -e "s/\\\$instance\\b/$host/g; s/\\\${instance}/$host/g; s/\\[\\[instance\\]\\]/$host/g" \
    -e 's/\$__rate_interval\b/40s/g; s/\${__rate_interval}/40s/g' \
    -e 's/\$__interval\b/10s/g; s/\${__interval}/10s/g' \
    -e "s/\\\$__range\\b/$((window_to - window_from))s/g; s/\\\${__range}/$((window_to - window_from))s/g"
}
# values PROMQL: how many values a range query over the window returns
# (its error instead, when Prometheus refuses it).
values() {
  prom_query_range "$1" "$window_from" "$window_to" 10 |
    prom_jq '[.data.result[].values[]] | length' 2>/dev/null || echo "error: no JSON"
}
# evaluate DASHBOARD OUT: one line per target of each panel, then per
# selector in it: "title<TAB>refId<TAB>kind (query or selector)<TAB>values
# <TAB>PromQL<TAB>names that are no baseline name, or that a variable is
# left (query lines only; last, as read merges empty fields)".
evaluate() {
  jq -r '.panels[] | select(.type != "row") | .title as $t | .targets[]? |
    [$t, .refId, (.expr // "" | gsub("[\t\n]"; " "))] | join("\t")' "$1" |
    while IFS="$tab" read -r title ref expr; do
      q=$(printf '%s' "$expr" | grafana_macros)
      promql_parts "$q" >"$run/parts.txt"
      unknown=$(sed -n 's/^names\t//p' "$run/parts.txt" | tr ' ' '\n' |
        grep . | grep -vxFf "$run/names.txt" | lines)
      if printf '%s' "$q" | grep -qE '\$[A-Za-z_{]|\[\['; then
        unknown="${unknown:+$unknown }(a variable left)"
      fi
      printf '%s\t%s\tquery\t%s\t%s\t%s\n' "$title" "$ref" "$(values "$q")" "$q" "$unknown"
      sed -n 's/^selector\t//p' "$run/parts.txt" | while IFS= read -r s; do
        [ "$s" = "$q" ] || printf '%s\t%s\tselector\t%s\t%s\t\n' "$title" "$ref" "$(values "$s")" "$s"
      done
    done >"$2"
}
# failing RESULTS: the lines of RESULTS with no values or unknown names.
failing() { awk -F '\t' '!($4 ~ /^[0-9]+$/ && $4 > 0) || $6 != ""' "$1"; }

check "its data source input is a Prometheus one" \
  test "$(jq -r '.__inputs[] | select(.name == "DS_PROMETHEUS") | .pluginId' "$dashboard")" = prometheus
check "every panel and target reads that input" \
  test "$(jq '[.panels[] | (., .targets[]?) | select(.datasource.uid != "${DS_PROMETHEUS}")] | length' "$dashboard")" = 0
evaluated=$(date +%s)
evaluate "$dashboard" "$run/results.tsv"
echo "$suite: $(wc -l <"$run/results.tsv") queries run in $(($(date +%s) - evaluated)) s over $(((window_to - window_from) / 60)) min; values per query: $(cut -f4 "$run/results.tsv" | sort -n | sed -n '1p;$p' | paste -sd '-')"
check "the dashboard has targets ($(grep -c "${tab}query$tab" "$run/results.tsv") in $(cut -f1 "$run/results.tsv" | sort -u | wc -l) panels)" \
  test -s "$run/results.tsv"
while IFS="$tab" read -r title ref kind n q unknown; do
  if [ "$kind" = query ]; then
    check "[$title] $ref: $n values; names only the baseline's metrics${unknown:+ (not: $unknown)}" \
      test "${n%% *}" -gt 0 -a -z "$unknown" 2>/dev/null
  else
    check "[$title] $ref: $n values from $q by itself" test "${n%% *}" -gt 0 2>/dev/null
  fi
  case $n in [1-9]*) ;; *) echo "  query: $q" ;; esac
done <"$run/results.tsv"
cut -f5 "$run/results.tsv" | while IFS= read -r q; do promql_parts "$q"; done |
  sed -n 's/^names\t//p' | tr ' ' '\n' | grep . | sort -u >"$run/shown.txt"
unshown=$(comm -23 "$run/names.txt" "$run/shown.txt" | lines)
check "every metric the baseline produces is on a panel (not: ${unshown:-none})" \
  test -s "$run/names.txt" -a -z "$unshown"

# The $instance variable: label_values(METRIC, LABEL) through the API.
variable=$(jq -r '.templating.list[] | select(.name == "instance") |
  .query | if type == "object" then .query else . end' "$dashboard")
metric=$(printf '%s' "$variable" | sed -n 's/^label_values( *\([A-Za-z_:][A-Za-z0-9_:]*\) *, *\([A-Za-z_][A-Za-z0-9_]*\) *)$/\1/p')
label=$(printf '%s' "$variable" | sed -n 's/^label_values( *[A-Za-z_:][A-Za-z0-9_:]* *, *\([A-Za-z_][A-Za-z0-9_]*\) *)$/\1/p')
got=$(prom_label_values "${label:-instance}" "${metric:-none}" "$window_from" "$window_to" | lines)
check "\$instance ($variable) reads an instance label of a baseline metric" \
  test "$label" = instance -a -n "$metric" -a -n "$(grep -xF "$metric" "$run/names.txt")"
check "\$instance lists $host, only ($got)" test "$got" = "$host"

# --- The checks catch a broken dashboard -----------------------------------
# broken NAME PANEL FROM TO: a copy of the dashboard with FROM replaced by
# TO in PANEL's first target, evaluated; $run/NAME.failing: its failures.
broken() {
  jq --arg p "$2" --arg from "$3" --arg to "$4" \
    '(.panels[] | select(.title == $p and .type != "row") | .targets[0].expr) |= sub($from; $to)' \
    "$dashboard" >"$run/$1.json"
  evaluate "$run/$1.json" "$run/$1.tsv"
  failing "$run/$1.tsv" >"$run/$1.failing"
}
# only_panel NAME PANEL: the copy's failures are all of PANEL; echoes them.
only_panel() {
  sed 's/^/  caught: /' "$run/$1.failing"
  test -s "$run/$1.failing" -a -z "$(cut -f1 "$run/$1.failing" | grep -vxF "$2")"
}
broken misspelled "Memory free" collectd_wmi_memory collectd_wmi_memroy
check "a misspelled metric (collectd_wmi_memroy in \"Memory free\") is caught there only" \
  only_panel misspelled "Memory free"
check "... as a name the baseline does not produce" \
  sh -c "cut -f6 '$run/misspelled.failing' | grep -qx collectd_wmi_memroy"
broken nothing "Disk space" 'wmi="logicaldisk"' 'wmi="logicaldsik"'
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
