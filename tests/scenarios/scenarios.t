#!/bin/sh
# Every scenarios/*.json runs with all its expectations holding; a second run
# gives the same digest (determinism); another seed gives another digest.
set -u
CROSSIM=${CROSSIM:-build/crossim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=$(ls scenarios/*.json)
n=$(echo "$files" | wc -l)
echo "1..$((n * 3))"
i=0
for f in $files; do
  name=$(basename "$f" .json)
  i=$((i + 1))
  if "$CROSSIM" run "$f" --out "$tmp/$name.1" >"$tmp/$name.1.txt" 2>&1; then
    echo "ok $i - $name: runs and every expectation holds"
  else
    echo "not ok $i - $name: runs and every expectation holds"
    sed 's/^/# /' "$tmp/$name.1.txt"
  fi
  d1=$(sed -n 's/^digest: //p' "$tmp/$name.1.txt")
  "$CROSSIM" run "$f" --out "$tmp/$name.2" >"$tmp/$name.2.txt" 2>&1
  d2=$(sed -n 's/^digest: //p' "$tmp/$name.2.txt")
  i=$((i + 1))
  if [ -n "$d1" ] && [ "$d1" = "$d2" ] && diff -r "$tmp/$name.1/trail" "$tmp/$name.2/trail" >/dev/null; then
    echo "ok $i - $name: two runs give byte-identical logs ($d1)"
  else
    echo "not ok $i - $name: two runs give byte-identical logs ('$d1' vs '$d2')"
  fi
  seed=$(grep -o '"seed": *[0-9]*' "$f" | head -n 1 | grep -o '[0-9]*$')
  seed=$(( ${seed:-0} + 1 ))
  "$CROSSIM" run "$f" --seed "$seed" --out "$tmp/$name.3" >"$tmp/$name.3.txt" 2>&1
  d3=$(sed -n 's/^digest: //p' "$tmp/$name.3.txt")
  i=$((i + 1))
  if [ -n "$d3" ] && [ "$d3" != "$d1" ]; then
    echo "ok $i - $name: another seed gives another digest"
  else
    echo "not ok $i - $name: another seed gives another digest ('$d3')"
  fi
done
