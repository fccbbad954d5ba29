# Checking a Grafana dashboard's Prometheus queries against a real
# Prometheus (sourced after e2e_lib.sh and prometheus_lib.sh, not run), for
# tests/e2e/test_prometheus_dashboard.sh (the baseline's dashboard) and
# tests/e2e/test_pack_dashboards.sh (each pack's): SYNTHETIC series in
# OpenMetrics for a backfill, each panel query run as a range query, and
# broken copies of a dashboard. The sourcing test sets host (the instance
# label), run, window_from and window_to (the range the queries cover,
# Unix seconds).
# shellcheck shell=sh disable=SC2016,SC2034,SC2154

# synthetic_openmetrics TYPESDB SERIES FROM TO: OpenMetrics text for the
# series perf_series printed (SERIES), each as write_prometheus exposes it:
# collectd_wmi_<type>, plus _<data source> when that is not "value", plus
# _total for counters and derives; labels wmi (the plugin instance), type
# (the type instance) and instance ($host), and the job Prometheus adds.
# One point every 10 s from FROM to TO; each family's samples together
# under its # TYPE line (a counter's family named without _total, its
# samples with it), each series' points in time order, # EOF at the end.
synthetic_openmetrics() {
  awk -F '|' -v host="$host" -v from="$3" -v to="$4" '
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
        sample[family, ++samples[family]] = family (counter ? "_total" : "") \
          "{" labels "} " v " " t
      }
    }
    END {
      for (i = 1; i <= families; i++) {
        name = order[i]
        printf "# TYPE %s %s\n", name, type[name]
        for (j = 1; j <= samples[name]; j++) print sample[name, j]
      }
      print "# EOF"
    }' "$1" "$2"
}

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

# evaluate DASHBOARD OUT NAMES: one line per target of each panel, then per
# selector in it: "title<TAB>refId<TAB>kind (query or selector)<TAB>values
# <TAB>PromQL<TAB>names that are not in the file NAMES (one a line), or
# that a variable is left (query lines only; last, as read merges empty
# fields)".
evaluate() {
  jq -r '.panels[] | select(.type != "row") | .title as $t | .targets[]? |
    [$t, .refId, (.expr // "" | gsub("[\t\n]"; " "))] | join("\t")' "$1" |
    while IFS="$(printf '\t')" read -r title ref expr; do
      q=$(printf '%s' "$expr" | grafana_macros)
      promql_parts "$q" >"$run/parts.txt"
      unknown=$(sed -n 's/^names\t//p' "$run/parts.txt" | tr ' ' '\n' |
        grep . | grep -vxFf "$3" | tr '\n' ' ' | sed 's/ $//')
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

# check_dashboard DASHBOARD RESULTS NAMES WHAT [LABEL]: its Prometheus data
# source input, read by every panel and target; then every target
# evaluated (evaluate, into RESULTS, against NAMES) and a check per line:
# data, and names only WHAT metrics ("the baseline's", ...). LABEL starts
# each check's description.
check_dashboard() {
  check "${5:-}its data source input is a Prometheus one" \
    test "$(jq -r '.__inputs[] | select(.name == "DS_PROMETHEUS") | .pluginId' "$1")" = prometheus
  check "${5:-}every panel and target reads that input" \
    test "$(jq '[.panels[] | (., .targets[]?) | select(.datasource.uid != "${DS_PROMETHEUS}")] | length' "$1")" = 0
  evaluated=$(date +%s)
  evaluate "$1" "$2" "$3"
  echo "$suite: ${5:-}$(wc -l <"$2") queries run in $(($(date +%s) - evaluated)) s over $(((window_to - window_from) / 60)) min; values per query: $(cut -f4 "$2" | sort -n | sed -n '1p;$p' | paste -sd '-')"
  check "${5:-}the dashboard has targets ($(grep -c "$(printf '\t')query$(printf '\t')" "$2") in $(cut -f1 "$2" | sort -u | wc -l) panels)" \
    test -s "$2"
  while IFS="$(printf '\t')" read -r title ref kind n q unknown; do
    if [ "$kind" = query ]; then
      check "${5:-}[$title] $ref: $n values; names only $4 metrics${unknown:+ (not: $unknown)}" \
        test "${n%% *}" -gt 0 -a -z "$unknown" 2>/dev/null
    else
      check "${5:-}[$title] $ref: $n values from $q by itself" test "${n%% *}" -gt 0 2>/dev/null
    fi
    case $n in [1-9]*) ;; *) echo "  query: $q" ;; esac
  done <"$2"
}

# shown_names RESULTS: the metric names RESULTS' queries name, one a line,
# sorted.
shown_names() {
  cut -f5 "$1" | while IFS= read -r q; do promql_parts "$q"; done |
    sed -n 's/^names\t//p' | tr ' ' '\n' | grep . | sort -u
}

# instance_variable DASHBOARD: its $instance variable's query, and from
# it, for label_values(SELECTOR, LABEL), variable_selector (a metric name,
# with or without {matchers}), variable_metric (that name) and
# variable_label.
instance_variable() {
  variable=$(jq -r '.templating.list[] | select(.name == "instance") |
    .query | if type == "object" then .query else . end' "$1")
  variable_selector=$(printf '%s' "$variable" | sed -n 's/^label_values( *\([A-Za-z_:][A-Za-z0-9_:]*\({[^}]*}\)\{0,1\}\) *, *[A-Za-z_][A-Za-z0-9_]* *)$/\1/p')
  variable_metric=${variable_selector%%\{*}
  variable_label=$(printf '%s' "$variable" | sed -n 's/^label_values( *[A-Za-z_:][A-Za-z0-9_:]*\({[^}]*}\)\{0,1\} *, *\([A-Za-z_][A-Za-z0-9_]*\) *)$/\2/p')
}

# broken DASHBOARD NAME PANEL FROM TO NAMES: a copy of DASHBOARD with FROM
# replaced by TO in PANEL's first target, evaluated against NAMES;
# $run/NAME.failing: its failures.
broken() {
  jq --arg p "$3" --arg from "$4" --arg to "$5" \
    '(.panels[] | select(.title == $p and .type != "row") | .targets[0].expr) |= sub($from; $to)' \
    "$1" >"$run/$2.json"
  evaluate "$run/$2.json" "$run/$2.tsv" "$6"
  failing "$run/$2.tsv" >"$run/$2.failing"
}
# only_panel NAME PANEL: the copy's failures are all of PANEL; echoes them.
only_panel() {
  sed 's/^/  caught: /' "$run/$1.failing"
  test -s "$run/$1.failing" -a -z "$(cut -f1 "$run/$1.failing" | grep -vxF "$2")"
}
