#!/bin/sh
# Every query pack, conf/packs/*.conf, through the real collectd.exe under
# Wine, included after the baseline (conf/wmi.conf) as the manual says:
# all packs at once, and each pack alone, one daemon each (Interval 1,
# run side by side), each killed once its memory series spans 4 s.
# In every run:
#   - the plugin starts with every query of the baseline and the packs
#     (a configuration error, such as an unknown type or a Host naming an
#     undefined query, stops it before it starts any), and names no type
#     missing from types.db and no undefined query;
#   - the baseline's memory and disk series still arrive;
#   - each pack query says once, over 4 intervals, that Wine lacks its
#     class (or, if Wine has the class, gives values), never once per
#     interval: for a Win32_PerfRawData_ class with CounterType "auto",
#     reading its CounterType qualifiers fails (WBEM_E_NOT_FOUND); for
#     another class, Wine's WMI answers the query with no objects; in a
#     namespace Wine lacks, connecting fails (WBEM_E_INVALID_NAMESPACE),
#     logged once per namespace, and each query's notification once.
#     Other messages (a slot missed on a busy machine) are not counted.
# A pack also has no Host block and no LoadPlugin (it is included after
# the baseline, which loads the plugin and whose queries run on every
# host). The suite fails when there is no pack at all.
# PACKS_DIR=DIR checks DIR/*.conf instead of conf/packs (a broken pack, to
# see a check fail). Needs COLLECTD_SDK, BUILDDIR and SRCDIR (make check
# sets them). About 50 s for 8 packs (9 daemons) on 2 busy cores.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
suite=test_packs
. "$SRCDIR/tests/e2e/e2e_lib.sh"
packs_dir=${PACKS_DIR:-$SRCDIR/conf/packs}
baseline=$SRCDIR/conf/wmi.conf
packs=
for p in "$packs_dir"/*.conf; do
  [ -f "$p" ] && packs="$packs $p"
done
check "$packs_dir holds at least one pack (*.conf)" test -n "$packs"
[ -n "$packs" ] || { summary; exit 1; }
e2e_begin
started=$(date +%s)

# query_names CONF: the names of its <Query> blocks, one a line; with
# "instances", "name plugin_instance" (PluginInstance, or the name).
query_names() {
  awk -v both="${2:-}" '/^[ \t]*#/ { next }
    /^[ \t]*<Query "/ { split($0, a, "\""); name = a[2]; instance = name }
    /^[ \t]*PluginInstance "/ { split($0, a, "\""); instance = a[2] }
    /^[ \t]*<\/Query>/ { print both ? name " " instance : name }' "$1"
}
# namespaces CONF: the namespaces its queries name, one a line, as the
# plugin logs them (single backslashes).
namespaces() {
  awk '/^[ \t]*#/ { next } /^[ \t]*Namespace "/ { split($0, a, "\""); print a[2] }' "$1" |
    sed 's/\\\\/\\/g' | sort -u
}
bare_pack() { # bare_pack CONF: a <Plugin wmi> block, no Host, no LoadPlugin
  grep -q '^<Plugin wmi>' "$1" && ! grep -Eq '^[[:space:]]*(<Host |LoadPlugin)' "$1"
}
for p in $packs; do
  check "$(basename "$p"): a bare <Plugin wmi> block of queries (no Host, no LoadPlugin)" \
    bare_pack "$p"
  check "$(basename "$p"): defines queries" test -n "$(query_names "$p")"
done

# The runs: "all" (every pack), then one per pack; "name pack..." lines.
runs=$(
  echo "all$packs"
  for p in $packs; do echo "$(basename "$p" .conf) $p"; done
)
echo "$runs" | while read -r name files; do
  body="Include \"$(win "$baseline")\""
  for p in $files; do body="$body
Include \"$(win "$p")\""; done
  write_conf "$run/$name.conf" "$run/$name.log" 2 "$body" 1
done
daemons=
for name in $(echo "$runs" | cut -d' ' -f1); do
  "$SRCDIR/tests/wine/wine-run.sh" "$run/collectd.exe" -f \
    -C "$(win "$run/$name.conf")" >"$run/$name.out" 2>&1 &
  daemons="$daemons $name:$!"
done
on_exit "for d in \$daemons; do kill -9 \"\${d#*:}\" 2>/dev/null; done"
# Each daemon is killed (by its pid: Wine gives collectd no console event
# to stop on) once its memory series spans 4 s, or once collectd has
# initialised without starting the plugin (a configuration error), at most
# 120 s after the start.
memory=winbox.wmi-memory.memory-free
done_running() { # done_running LOG PID
  [ "$(series_span "$1" "$memory")" -ge 4 ] || ! kill -0 "$2" 2>/dev/null ||
    { grep -q 'Initialization complete' "$1" 2>/dev/null &&
      ! grep -q 'wmi plugin: .* queries on' "$1"; }
}
while [ -n "$daemons" ] && [ $(($(date +%s) - started)) -lt 120 ]; do
  left=
  for d in $daemons; do
    if done_running "$run/${d%%:*}.log" "${d#*:}"; then
      kill -9 "${d#*:}" 2>/dev/null
      wait "${d#*:}" 2>/dev/null
    else
      left="$left $d"
    fi
  done
  daemons=$left
  sleep 0.5
done
for d in $daemons; do
  echo "$suite: run ${d%%:*} did not reach 4 intervals in 120 s"
  kill -9 "${d#*:}" 2>/dev/null
  wait "${d#*:}" 2>/dev/null
done
daemons=
echo "$suite: $(echo "$runs" | wc -l) daemons in $(($(date +%s) - started)) s"

notfound='reading the CounterType qualifiers of class "[A-Za-z0-9_]+" failed: WBEM_E_NOT_FOUND|the query returned no objects|connecting failed: WBEM_E_INVALID_NAMESPACE'
# query_once LOG QUERY INSTANCE: QUERY says once in LOG that Wine lacks
# its class (a log line, its notification, or both); or, saying nothing of
# the kind, gives values (plugin instance INSTANCE). Else prints what it
# said. (Other messages, such as a slot missed while the machine is busy,
# are not counted.)
query_once() {
  said=$(grep -F "Query \"$2\": " "$1" | grep -E "$notfound")
  logged=$(printf '%s\n' "$said" | grep -cF "wmi plugin: Host \"local\", Query \"$2\": ")
  noted=$(printf '%s\n' "$said" | grep -c "^\[[^]]*\] Notification: ")
  if [ -z "$said" ]; then
    metric_lines "$1" | grep -qF "winbox.wmi-$3." && return 0
    echo "  Query \"$2\": no values and no message that its class is missing"
  elif [ "$logged" -le 1 ] && [ "$noted" -le 1 ]; then
    return 0
  else
    echo "  Query \"$2\": $logged log lines and $noted notifications that its class is missing:"
  fi
  grep -F "Query \"$2\": " "$1" | sed 's/^/    /' | head -n 6
  return 1
}
log_head() { # log_head RUN: the start of its log, without values
  echo "--- $1.log, without values:"
  grep -Ev '^(winbox\.|$)|write_log values:$' "$run/$1.txt" | head -n 30
}
has_series() { metric_lines "$1" | grep -q "^winbox\.wmi-$2 "; }
initialised() {
  grep -q 'plugin "wmi" successfully loaded' "$1" && grep -q 'Initialization complete' "$1"
}
no_config_errors() { # prints the errors it finds
  ! grep -E 'wmi plugin: .*(is not a type in types\.db|> is defined|is defined more than once|is unknown here|is missing$)' "$1"
}

baseline_queries=$(query_names "$baseline" | wc -l)
echo "$runs" | while read -r name files; do
  tr -d '\r' <"$run/$name.log" >"$run/$name.txt" 2>/dev/null
  log=$run/$name.txt
  failed_before=$failed
  check "$name: collectd loads the plugin and initialises" initialised "$log"
  # shellcheck disable=SC2086 # files: the run's packs
  n=$(( baseline_queries + $(cat $files | query_names /dev/stdin | wc -l) ))
  check "$name: no unknown type, undefined query or other configuration error" \
    no_config_errors "$log"
  # Anchored: a daemon taken for a dry run says "started (dry run: ...)".
  check "$name: the plugin starts all $n queries (baseline and packs), not as a dry run" \
    grep -q "wmi plugin: $n queries on 1 hosts started\$" "$log"
  check "$name: a normal daemon prints no dry-run report" \
    sh -c "! grep -q 'wmi dry run:' '$run/$name.out'"
  if [ "$failed" -gt "$failed_before" ]; then # not started: nothing more to see
    log_head "$name"
    echo "$passed $failed" >"$run/counts"
    continue
  fi
  check "$name: the baseline's memory series spans 4 intervals" \
    test "$(series_span "$log" "$memory")" -ge 4
  for s in memory.memory-total logicaldisk.df_complex-free-C_; do
    check "$name: the baseline still gives winbox.wmi-$s" has_series "$log" "$s"
  done
  bad=0 queries=0
  for p in $files; do
    while read -r q instance; do
      queries=$((queries + 1))
      query_once "$log" "$q" "$instance" || bad=$((bad + 1))
    done <<EOF
$(query_names "$p" instances)
EOF
    for ns in $(namespaces "$p"); do
      c=$(grep -cF "wmi plugin: Host \"local\": connecting to namespace \"$ns\" failed" "$log")
      check "$name: a failure to connect to namespace $ns is logged at most once ($c)" \
        test "$c" -le 1
    done
  done
  check "$name: each of its $queries pack queries says once that Wine lacks its class ($bad do not)" \
    test "$bad" -eq 0
  [ "$failed" -eq "$failed_before" ] || log_head "$name"
  # The counts live in this subshell: hand them to the one outside.
  echo "$passed $failed" >"$run/counts"
done
read -r passed failed <"$run/counts"
echo "$suite: $(($(date +%s) - started)) s in all"
summary
