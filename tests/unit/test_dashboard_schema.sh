#!/bin/sh
# Every Grafana dashboard in conf/dashboards/ (*.json) against Grafana's
# dashboard schema: the Dashboard type that @grafana/schema generates from
# Grafana's CUE schema of the dashboard JSON model, checked by the
# TypeScript compiler (tests/schema/check-dashboards.mjs says how; the
# versions are pinned in tests/schema/package-lock.json). Each dashboard
# must pass, and broken copies of each must fail, the compiler pointing at
# the broken key (the list is below): keys misspelled (a panel's "titel",
# "gridPoss") or dropped from the schema ("style"), a number where the
# schema wants a string ("refresh": 10) and the reverse (a panel's "id"),
# values outside an enumeration (a variable's type, graphTooltip, a colour
# mode), a required key missing (schemaVersion).
# The packages are installed once by npm ci (from npm's cache when it has
# them, else from the registry) into
# ~/.cache/collectd-wmi/dashboard-schema-<hash of package.json and the
# lock> and used from there, offline; COLLECTD_WMI_SCHEMA_DIR overrides.
# Needs node and npm (scripts/install-deps.sh) and jq.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
schema=$top/tests/schema
suite=dashboard_schema
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL $suite: $1"
}
finish() {
  echo "$suite: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# --- The schema and the compiler, installed once ---------------------------
key=$(cat "$schema/package.json" "$schema/package-lock.json" | sha256sum | cut -c1-16)
dir=${COLLECTD_WMI_SCHEMA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/collectd-wmi/dashboard-schema-$key}
if [ ! -f "$dir/node_modules/.installed" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    fail "npm is not installed (scripts/install-deps.sh installs it)"
    finish
  fi
  # Into a fresh folder, moved into place whole: a run that breaks off, or
  # two runs at once, never leave a half-installed tree behind.
  mkdir -p "$(dirname "$dir")"
  new=$(mktemp -d "$dir.new.XXXXXX")
  cp "$schema/package.json" "$schema/package-lock.json" "$new/"
  # From npm's own cache if it has the packages (offline), else the registry.
  npm_ci() {
    (cd "$new" && npm ci "$@" --ignore-scripts --no-audit --no-fund --loglevel=error)
  }
  if npm_ci --offline >"$new/npm.log" 2>&1 || npm_ci >"$new/npm.log" 2>&1; then
    touch "$new/node_modules/.installed"
    mv -T "$new" "$dir" 2>/dev/null || rm -rf "$new" # another run was first
  else
    fail "npm ci in tests/schema failed:"
    sed 's/^/  /' "$new/npm.log"
    rm -rf "$new"
    finish
  fi
fi
echo "$suite: @grafana/schema $(jq -r .version "$dir/node_modules/@grafana/schema/package.json")," \
  "TypeScript $(jq -r .version "$dir/node_modules/typescript/package.json")"

# --- The dashboards and their broken copies --------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/dashboard-schema.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM
set -- "$top"/conf/dashboards/*.json
if [ ! -f "$1" ]; then
  fail "no dashboard in $top/conf/dashboards"
  finish
fi
dashboards=$*

# The broken copies, one a line: its name, the key the compiler must point
# at ("-": the whole dashboard), what it must say, and the jq filter that
# breaks the dashboard. Panel keys are broken in the first panel that is
# not a row ($i).
tab=$(printf '\t')
# shellcheck disable=SC2016 # jq's $i, not the shell's
panel='(first(.panels | to_entries[] | select(.value.type != "row") | .key) // 0) as $i'
cat >"$work/broken.tsv" <<EOF
titel	titel	'"titel"' does not exist in type	$panel | .panels[\$i].titel = .panels[\$i].title | del(.panels[\$i].title)
gridPoss	gridPoss	'"gridPoss"' does not exist in type	$panel | .panels[\$i].gridPoss = .panels[\$i].gridPos | del(.panels[\$i].gridPos)
style	style	'"style"' does not exist in type	.style = "dark"
refresh	refresh	Type 'number' is not assignable to type 'string'	.refresh = 10
id	id	Type 'string' is not assignable to type 'number'	$panel | .panels[\$i].id |= tostring
querry	type	Type '"querry"' is not assignable to type 'VariableType'	.templating.list[0].type = "querry"
graphTooltip	graphTooltip	Type '3' is not assignable to type 'DashboardCursorSync	.graphTooltip = 3
thresholdz	mode	Type '"thresholdz"' is not assignable to type	$panel | .panels[\$i].fieldConfig.defaults.color = {mode: "thresholdz"}
schemaVersion	-	Property 'schemaVersion' is missing	del(.schemaVersion)
EOF
broken=""
for d in $dashboards; do
  name=$(basename "$d" .json)
  while IFS="$tab" read -r what _ _ filter; do
    copy=$work/$name-$what.json
    jq "$filter" "$d" >"$copy" || fail "$name: jq could not break it ($what)"
    broken="$broken $copy"
  done <"$work/broken.tsv"
done

# One compiler run for all: starting TypeScript is most of the time.
# shellcheck disable=SC2086
node "$schema/check-dashboards.mjs" "$dir/node_modules" $dashboards $broken >"$work/out.txt" 2>&1
# Messages not about one file (the schema could not be loaded, ...).
grep -v '^PASS \|^FAIL \|^  ' "$work/out.txt"

# errors FILE: the compiler's errors for FILE, "LINE<tab>message", each cut
# short (the compiler prints whole types).
errors() {
  grep -F "  $1:" "$work/out.txt" | cut -c1-240 |
    sed "s|^  $1:\([0-9]*\):[0-9]*: |\1$tab|"
}
for d in $dashboards; do
  if grep -qxF "PASS $d" "$work/out.txt"; then pass; else
    fail "$d does not match Grafana's dashboard schema:"
    errors "$d" | sed "s|^|  $d:|; s|$tab|: |"
  fi
done
# expect COPY KEY MESSAGE: COPY was refused, with MESSAGE about a line that
# holds "KEY" (any line for -); prints that error.
expect() {
  hit=$(errors "$1" | grep -F "$3" | while IFS="$tab" read -r line message; do
    if [ "$2" = - ] || sed -n "${line}p" "$1" | grep -qF "\"$2\""; then
      printf '%s: %s\n' "$line" "$message"
    fi
  done | head -n 1)
  if grep -qxF "FAIL $1" "$work/out.txt" && [ -n "$hit" ]; then
    pass
    echo "$suite: refused $(basename "$1"), line $hit"
  elif grep -qxF "FAIL $1" "$work/out.txt"; then
    fail "$(basename "$1") was refused, but not with '$3' at \"$2\":"
    errors "$1" | sed 's/^/  line /'
  else
    fail "$(basename "$1") was accepted"
  fi
}
for d in $dashboards; do
  name=$(basename "$d" .json)
  while IFS="$tab" read -r what key message _; do
    expect "$work/$name-$what.json" "$key" "$message"
  done <"$work/broken.tsv"
done
finish
