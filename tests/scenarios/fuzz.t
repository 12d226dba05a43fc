#!/bin/sh
# The fuzz targets' regression corpus (tests/fuzz/corpus/NAME: inputs that
# once crashed, hung or escaped, and seeds), replayed through each target
# without libFuzzer: under make check-asan, with the sanitizers.  A target
# that aborts on an input fails here.
set -u
FUZZBIN=${FUZZBIN:-build/fuzz}
n=0
names=$(ls tests/fuzz/corpus)
echo "1..$(echo $names | wc -w)"
for name in $names; do
  n=$((n + 1))
  out=$("$FUZZBIN/replay-$name" "tests/fuzz/corpus/$name" 2>&1)
  st=$?
  if [ $st -eq 0 ] && ! echo "$out" | grep -q '^not ok'; then
    echo "ok $n - $name: $(echo "$out" | grep -c '^ok') inputs replayed"
  else
    echo "not ok $n - $name: exit $st"
    echo "$out" | tail -20 | sed 's/^/# /'
  fi
done
