#!/bin/sh
# Runs the libFuzzer targets (tests/fuzz/fuzz_*.c) from their seed corpora.
#   run-fuzz.sh          what `make check` runs: each target a fixed number
#                        of inputs from a fixed seed (the same inputs every
#                        time, a few seconds each), capped at 10 s
#   run-fuzz.sh SECONDS  what `make fuzz` runs: each target SECONDS long
#                        from a random seed, keeping what it finds in the
#                        build tree (tests/fuzz/found-<name>/) for next time
# New inputs never go into the source tree's corpus. A failing input is
# saved as tests/fuzz/crash-<name>-* in the build tree; replay it with
# `tests/fuzz/fuzz_<name> FILE`. Ends with "fuzz: N passed, N failed".
set -u
src=${FUZZ_SRCDIR:-$(cd "$(dirname "$0")" && pwd)}
bin=${FUZZ_BUILDDIR:-tests/fuzz}
seconds=${1:-}
runs=${FUZZ_RUNS:-500000}

passed=0 failed=0
for name in value naming; do
  target=$bin/fuzz_$name
  output=$bin/fuzz_$name.out
  if [ -n "$seconds" ]; then
    found=$bin/found-$name
    mkdir -p "$found"
    options="-max_total_time=$seconds"
  else
    found=$(mktemp -d "${TMPDIR:-/tmp}/fuzz_$name.XXXXXX") || exit 1
    options="-seed=1 -runs=$runs -max_total_time=10"
  fi
  # libFuzzer reads every corpus directory and writes new inputs to the
  # first one only.
  # shellcheck disable=SC2086
  if "$target" $options -max_len=256 -print_final_stats=1 \
    -artifact_prefix="$bin/crash-$name-" "$found" "$src/corpus/$name" \
    >"$output" 2>&1; then
    passed=$((passed + 1))
    done_line=$(grep '^Done [0-9]* runs' "$output")
    corpus=$(sed -n 's/^.*INITED.* corp: \([0-9]*\)\/.*/\1/p' "$output")
    echo "fuzz_$name: ${done_line#Done } from ${corpus:-?} inputs, no failure"
  else
    failed=$((failed + 1))
    echo "FAIL fuzz_$name (full output: $output):"
    # The failed check and the input, without stack frames and statistics.
    grep -v -e '^ *#' -e '^INFO:' -e '^stat::' "$output" | tail -n 20
  fi
  [ -n "$seconds" ] || rm -rf "$found"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
