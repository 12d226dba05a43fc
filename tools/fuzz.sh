#!/bin/sh
# tools/fuzz.sh BUILD SECONDS NAME...: runs each libFuzzer target
# BUILD/fuzz-NAME for SECONDS on a working corpus seeded from
# tests/fuzz/corpus/NAME (the regression inputs) and, for the scenario and
# run targets, the shipped scenarios; for policy, the IAM case files.
# Prints the executions of each; exits 1 on the first finding, whose input
# is left as BUILD/findings/NAME-*.
set -u
build=$1; secs=$2; shift 2
mkdir -p "$build/findings"
rc=0
for name in "$@"; do
  work="$build/corpus-$name"
  mkdir -p "$work"
  cp tests/fuzz/corpus/"$name"/* "$work"/ 2>/dev/null
  case $name in
    scenario|run) cp scenarios/*.json "$work"/ ;;
    policy) cp tests/iam/*.json "$work"/ ;;
  esac
  log="$build/fuzz-$name.log"
  "$build/fuzz-$name" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$build/findings/$name-" "$work" >"$log" 2>&1
  st=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  if [ $st -ne 0 ]; then
    echo "fuzz $name: FINDING after ${runs:-?} executions (exit $st); see $log and $build/findings/"
    tail -30 "$log"
    rc=1
    break
  fi
  echo "fuzz $name: ${runs:-?} executions in ${secs}s, no finding"
done
exit $rc
