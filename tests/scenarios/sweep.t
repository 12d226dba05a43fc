#!/bin/sh
# tests/scenarios/sweep.t: sweeps (SW1).  The shipped sweep (2 variants x 20
# seeds of ram-storm-1000.json) is planned, run by GNU parallel from its
# task list and merged; the same plan run one task at a time by crossim's
# own pool merges to the same bytes; a task's digest is that of `crossim
# run` on its variant file and seed; counts agree with grep over the logs;
# a half-finished task, and one killed midway, are redone alone; a broken
# sweep file is refused with its place named and nothing written.
. tests/scenarios/tap.sh
echo "1..19"
SW=scenarios/sweeps/ram-storm-quota.json
A="$tmp/a" B="$tmp/b"

"$CROSSIM" sweep plan $SW --out "$A" >"$tmp/plan.out"
st=$?
check "plan: exit 0, 40 task lines, a Slurm array of 40, two variant scenarios" \
    '[ $st -eq 0 ] && [ $(wc -l <"$A/tasks.txt") -eq 40 ] && grep -q "^#SBATCH --array=0-39$" "$A/sweep.sbatch" && [ -s "$A/variants/000.json" ] && [ -s "$A/variants/001.json" ] && [ ! -e "$A/variants/002.json" ]'
check "each variant's scenario holds its override and its label" \
    'grep -q "\"ram:pending-invitations\":[[:space:]]*900" "$A/variants/001.json" && grep -q "\"variant\":[[:space:]]*\"ram:pending-invitations=900\"" "$A/variants/001.json"'

if command -v parallel >/dev/null 2>&1; then
    parallel --will-cite -j 2 <"$A/tasks.txt" >"$tmp/par.out" 2>&1
    check "GNU parallel runs every line of tasks.txt" \
        '[ $(grep -c "^task [0-9]*: variant .* digest sha256:" "$tmp/par.out") -eq 40 ]'
else
    nok "GNU parallel is not installed (make deps installs Debian's parallel)"
fi
"$CROSSIM" sweep merge "$A" >"$tmp/merge.out"
st=$?
check "merge: exit 0, 40 of 40 tasks, sweep.json and sweep.csv written" \
    '[ $st -eq 0 ] && grep -q "^sweep ram-storm-quota: 40 of 40 tasks finished (2 variants x 20 seeds)$" "$tmp/merge.out" && grep -q "\"finished\":[[:space:]]*40" "$A/sweep.json" && [ $(wc -l <"$A/sweep.csv") -eq 11 ]'
awk '/^\$ crossim sweep merge sweep-out$/{f=1; next} /^```$/{f=0} f' README.md >"$tmp/readme"
check "README's worked example is what merge prints (SW1)" \
    '[ -s "$tmp/readme" ] && sed "s#$A/#sweep-out/#g" "$tmp/merge.out" | cmp -s "$tmp/readme" -'
# The quota bites at 900 only, and exactly for the last hundred shares (RAM7).
check "quota refusals: none at 1000, 100 in every run at 900" \
    'grep -q "^ram:pending-invitations=1000,quota-refusals,20,0,0,0,0,0,0,0,20,0$" "$A/sweep.csv" && grep -q "^ram:pending-invitations=900,quota-refusals,20,100,100,100,100,100,100,0,20,20$" "$A/sweep.csv"'
check "partners never invited read nothing: 100 a run unmatched, 900 reads a run" \
    'grep -q "^ram:pending-invitations=900,read-s,18000,360,360,360,360,360,360,2000,20,20$" "$A/sweep.csv"'
check "the read reaches each partner's log after CloudTrail's delay: p50 < p99 <= 15 min + 6 min" \
    'awk -F, '"'"'$2=="read-logged-s" { if (!($5 < $7 && $7 <= 1260 && $8 >= 360)) bad=1; n++ } END { exit bad || n != 2 }'"'"' "$A/sweep.csv"'

# One by one, through crossim's own pool: the same merge, byte for byte.
CROSSIM_SWEEP_RUNNER=pool "$CROSSIM" sweep local $SW -j 1 --out "$B" >"$tmp/pool.out"
st=$?
check "sweep local with the process pool, one at a time: exit 0, the same sweep.json and sweep.csv" \
    '[ $st -eq 0 ] && grep -q "through a pool of crossim processes" "$tmp/pool.out" && cmp -s "$A/sweep.json" "$B/sweep.json" && cmp -s "$A/sweep.csv" "$B/sweep.csv"'

# Task 27 is variant 1 (900), seed 8: `crossim run` on its file and seed
# gives its digest, and grep over that run's owner log gives its count.
"$CROSSIM" run "$A/variants/001.json" --seed 8 --out "$tmp/r27" --quiet
d27=$(sed -n 's/.*"digest":[[:space:]]*"\([0-9a-f]*\)".*/\1/p' "$A/tasks/000027/result.json")
check "task 27's digest is crossim run's on variants/001.json --seed 8" \
    '[ -n "$d27" ] && grep -q "\"digest\":[[:space:]]*\"$d27\"" "$tmp/r27/summary.json"'
check "its quota-refusals value is grep's count of refused shares in the owner's log" \
    '[ $(grep -c "\"eventName\":\"CreateResourceShare\",.*\"errorCode\":\"ResourceShareLimitExceededException\"" "$tmp/r27/trail/111111111111.jsonl") -eq 100 ] && tr -d " \t\n" <"$A/tasks/000027/result.json" | grep -q "\"quota-refusals\":{\"values\":\[100\]"'
e0=$(head -1 "$A/tasks/000000/run/trail/111111111111.jsonl" | sed 's/.*"eventID":"\([^"]*\)".*/\1/')
e20=$(head -1 "$A/tasks/000020/run/trail/111111111111.jsonl" | sed 's/.*"eventID":"\([^"]*\)".*/\1/')
check "the same seed in two variants draws other ids (tasks 0 and 20, seed 1)" \
    '[ -n "$e0" ] && [ -n "$e20" ] && [ "$e0" != "$e20" ]'

# A half-finished task (no result, a partial log and a stray file) is redone
# alone; the other 39 are skipped.
rm "$A/tasks/000005/result.json"
head -c 300 "$A/tasks/000005/run/trail/111111111111.jsonl" >"$tmp/part" && mv "$tmp/part" "$A/tasks/000005/run/trail/111111111111.jsonl"
: >"$A/tasks/000005/run/stray"
parallel --will-cite -j 2 <"$A/tasks.txt" >"$tmp/again.out" 2>&1
check "re-running the task list redoes task 5 only" \
    '[ $(grep -c "finished earlier .*skipped" "$tmp/again.out") -eq 39 ] && grep -q "^task 5: variant" "$tmp/again.out" && [ ! -e "$A/tasks/000005/run/stray" ]'
"$CROSSIM" sweep merge "$A" >/dev/null
check "and the merge is unchanged" 'cmp -s "$A/sweep.json" "$B/sweep.json"'

# Killed midway: whatever it left, the next pass finishes it.
rm -r "$A/tasks/000012"
"$CROSSIM" sweep run-one "$A" 12 >/dev/null 2>&1 &
pid=$!
sleep 0.05
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
left=$([ -e "$A/tasks/000012/result.json" ] && echo finished || echo unfinished)
echo "# the killed task was $left when killed"
parallel --will-cite -j 2 <"$A/tasks.txt" >"$tmp/third.out" 2>&1
"$CROSSIM" sweep merge "$A" >/dev/null
check "a task killed midway is run again by the next pass ($left), and the merge is unchanged" \
    'if [ $left = unfinished ]; then grep -q "^task 12: variant" "$tmp/third.out"; else grep -q "^task 12: finished earlier" "$tmp/third.out"; fi && [ $(grep -c "finished earlier .*skipped" "$tmp/third.out") -ge 39 ] && cmp -s "$A/sweep.json" "$B/sweep.json"'

# A missing task is named, and merge says so in its status.
rm "$B/tasks/000003/result.json"
"$CROSSIM" sweep merge "$B" >"$tmp/miss.out"
st=$?
check "merge with task 3 missing: exit 1, task 3 named in the table and in sweep.json" \
    '[ $st -eq 1 ] && grep -q "^missing tasks: 3 " "$tmp/miss.out" && tr -d " \t\n" <"$B/sweep.json" | grep -q "\"missing\":\[3\]"'

# Another plan into the same folder is refused; bad sweep files are refused
# with file, line, column and path, and nothing is written.
sed 's/"count": 20/"count": 2/' $SW >"$tmp/two.json"
sed -i 's#"\.\./ram-storm-1000.json"#"'"$PWD"'/scenarios/ram-storm-1000.json"#' "$tmp/two.json"
"$CROSSIM" sweep plan "$tmp/two.json" --out "$A" >/dev/null 2>"$tmp/other.err"
st=$?
check "planning another sweep into a folder with a plan: exit 2, refused" \
    '[ $st -eq 2 ] && grep -q "holds another plan" "$tmp/other.err" && [ $(wc -l <"$A/tasks.txt") -eq 40 ]'
cat >"$tmp/bad.json" <<EOF
{ "sweep": "bad", "scenario": "$PWD/scenarios/ram-storm-1000.json", "seeds": [1, -2],
  "variants": { "/description/x": [1] },
  "metrics": { "m": { "count": { "of": { "eventNmae": "x" } } } } }
EOF
"$CROSSIM" sweep plan "$tmp/bad.json" --out "$tmp/c" >/dev/null 2>"$tmp/bad.err"
st=$?
check "a bad seed and a misspelt field: exit 2, each at its line and column, nothing written" \
    '[ $st -eq 2 ] && grep -q "bad.json:1:[0-9]*: seeds\[1\]: a seed is a whole number" "$tmp/bad.err" && grep -q "bad.json:3:[0-9]*: metrics.m.count.of.eventNmae: .*did you mean \"eventName\"" "$tmp/bad.err" && [ ! -e "$tmp/c" ]'
sed -i 's/"seeds": \[1, -2\]/"seeds": [1]/; s/"eventNmae"/"eventName"/' "$tmp/bad.json"
"$CROSSIM" sweep plan "$tmp/bad.json" --out "$tmp/c" >/dev/null 2>"$tmp/bad2.err"
st=$?
check "an override through a string: exit 2, the pointer named at its place" \
    '[ $st -eq 2 ] && grep -q "bad.json:2:[0-9]*: variants./description/x: /description/x: the scenario has a string before \"x\"" "$tmp/bad2.err" && [ ! -e "$tmp/c" ]'
