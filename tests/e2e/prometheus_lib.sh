# A throwaway Prometheus (Debian's prometheus 2.42) for the end-to-end tests
# (sourced after e2e_lib.sh, not run): its config and TSDB live under
# "$run"/prometheus, it listens on 127.0.0.1 only, and it is stopped by its
# own process id when the test exits (on_exit), however it exits. curl and
# jq talk to its HTTP API.
# shellcheck shell=sh disable=SC2154

prom_pid=

# prom_ready: Prometheus answers /-/ready (its TSDB is open, it scrapes).
prom_ready() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
    "$prom_url/-/ready")" = 200 ]
}

# prom_write_config FILE TARGET INTERVAL: the scrape config the README
# documents, for one target (host:port), scraped every INTERVAL.
# honor_labels: collectd's own `instance` label (the Windows host's name)
# is kept, so that a series is named by the host it describes whether
# Prometheus scrapes the host itself or a central collectd.
prom_write_config() {
  cat >"$1" <<YML
global:
  scrape_interval: $3
  evaluation_interval: 1m
scrape_configs:
  - job_name: collectd
    honor_labels: true
    static_configs:
      - targets: ['$2']
YML
}

# prom_start TARGET [INTERVAL]: Prometheus with a fresh TSDB under
# "$run"/prometheus/data (blocks already there, e.g. a backfill, are
# kept), scraping http://TARGET/metrics every INTERVAL (10s by default),
# its API on $prom_url; returns once /-/ready answers, or 1 (with its log)
# if it does not within 60 s.
prom_start() {
  prom_dir=$run/prometheus
  mkdir -p "$prom_dir/data"
  prom_port=$(free_ports 1)
  prom_url=http://127.0.0.1:$prom_port
  prom_write_config "$prom_dir/prometheus.yml" "$1" "${2:-10s}"
  on_exit prom_stop # before it starts: however the test ends, it stops
  # 8>&-: a server that outlived the test must not hold the run lock.
  # --storage.tsdb.retention.time: a backfill of a day ago is kept.
  /usr/bin/prometheus --config.file="$prom_dir/prometheus.yml" \
    --storage.tsdb.path="$prom_dir/data" \
    --storage.tsdb.retention.time=30d \
    --web.listen-address="127.0.0.1:$prom_port" \
    --log.level=warn >"$prom_dir/prometheus.log" 2>&1 8>&- &
  prom_pid=$!
  if ! wait_ready "$prom_pid" 600 prom_ready; then # 60 s
    echo "prometheus did not start; its log:"
    cat "$prom_dir/prometheus.log"
    prom_stop
    return 1
  fi
}

# prom_stop: TERM to Prometheus' pid, KILL if it still runs 10 s later.
prom_stop() {
  stop_pid "$prom_pid" 100
  prom_pid=
}

# prom_query PROMQL [TIME]: the API's JSON answer to an instant query (at
# TIME, Unix seconds; now by default).
prom_query() {
  curl -sS -G --max-time 30 "$prom_url/api/v1/query" </dev/null \
    --data-urlencode "query=$1" ${2:+--data-urlencode "time=$2"}
}

# prom_jq FILTER [JQ OPTION...]: FILTER's output (jq -r) on the API's JSON
# answer on stdin if its status is "success", else "error: " and
# Prometheus' error: an error answer (whose .data is empty) never passes
# for an empty result.
prom_jq() {
  prom_jq_filter=$1
  shift
  jq -r "$@" "if .status == \"success\" then $prom_jq_filter
    else \"error: \\(.error)\" end"
}

# prom_query_range PROMQL START END STEP: the API's JSON answer to a range
# query.
prom_query_range() {
  curl -sS -G --max-time 30 "$prom_url/api/v1/query_range" </dev/null \
    --data-urlencode "query=$1" --data-urlencode "start=$2" \
    --data-urlencode "end=$3" --data-urlencode "step=$4"
}

# prom_target_health [JOB]: the health ("up", "down" or "unknown") of
# JOB's target (collectd by default) and its last scrape error, on one line.
prom_target_health() {
  # shellcheck disable=SC2016 # jq's $job
  curl -sS --max-time 10 "$prom_url/api/v1/targets" |
    prom_jq '[.data.activeTargets[] | select(.labels.job == $job)][0] |
       "\(.health) \(.lastError)"' --arg job "${1:-collectd}"
}

# prom_backfill OPENMETRICS: writes the OpenMetrics text file into blocks
# in the TSDB (promtool tsdb create-blocks-from openmetrics); call before
# prom_start, which opens them with the TSDB.
prom_backfill() {
  mkdir -p "$run/prometheus/data"
  promtool tsdb create-blocks-from openmetrics "$1" "$run/prometheus/data" \
    >"$run/prometheus/backfill.log" 2>&1 || {
    echo "promtool could not backfill $1:"
    cat "$run/prometheus/backfill.log"
    return 1
  }
}

# prom_series SELECTOR START END: the API's JSON answer listing the series
# SELECTOR matches that have points between START and END (Unix seconds).
prom_series() {
  curl -sS -G --max-time 30 "$prom_url/api/v1/series" </dev/null \
    --data-urlencode "match[]=$1" --data-urlencode "start=$2" \
    --data-urlencode "end=$3"
}

# prom_label_values LABEL SELECTOR START END: LABEL's values in the series
# SELECTOR matches between START and END, one a line, sorted (as Grafana's
# label_values(SELECTOR, LABEL) lists them).
prom_label_values() {
  curl -sS -G --max-time 30 "$prom_url/api/v1/label/$1/values" </dev/null \
    --data-urlencode "match[]=$2" --data-urlencode "start=$3" \
    --data-urlencode "end=$4" | prom_jq '.data[]' | sort
}
