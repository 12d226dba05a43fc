#!/bin/sh
# tests/scenarios/diff.t: `crossim diff RUN_A RUN_B` (RV2).  Records match
# by operation, principal, resource and order, never by random ids: a run
# against itself, or against another seed (every id and delay redrawn),
# loses and gains nothing; turning RAM's organization sharing on in
# ram-invitation-lifecycle.json (the shipped file, and the same file with
# "ram_sharing": false) removes the invitation that expires, in both
# accounts' logs, and flips the reads that the accepted-free share allows.
. tests/scenarios/tap.sh
echo "1..9"
SC=scenarios/ram-invitation-lifecycle.json
perl -pe 's/"ram_sharing": true/"ram_sharing": false/' $SC >"$tmp/no-org-sharing.json"
grep -q '"ram_sharing": false' "$tmp/no-org-sharing.json" || echo "# the variant did not change"
"$CROSSIM" run $SC --out "$tmp/org" --quiet >/dev/null
"$CROSSIM" run $SC --out "$tmp/seed" --seed 99 --quiet >/dev/null
"$CROSSIM" run "$tmp/no-org-sharing.json" --out "$tmp/inv" --quiet >/dev/null
"$CROSSIM" diff "$tmp/org" "$tmp/org" >"$tmp/self"
st=$?
check "a run against itself: exit 0, every record unchanged" \
    '[ $st -eq 0 ] && grep -q "^total: 0 lost, 0 gained, 0 flipped, 0 delivered at another time, $(cat "$tmp"/org/trail/*.jsonl | wc -l) unchanged$" "$tmp/self"'
"$CROSSIM" diff "$tmp/org" "$tmp/seed" >"$tmp/seeds"
check "another seed: new ids and delays, yet nothing lost, gained or flipped" \
    'grep -q "^total: 0 lost, 0 gained, 0 flipped, [1-9][0-9]* delivered at another time" "$tmp/seeds"'
"$CROSSIM" diff "$tmp/inv" "$tmp/org" >"$tmp/d"
st=$?
check "invitations versus organization sharing: exit 1" '[ $st -eq 1 ]'
check "the expiring invitation's record disappears from both accounts' logs" \
    '[ "$(grep -c "^  - lost    ram:ResourceShareInvitationExpired by ram.amazonaws.com on -$" "$tmp/d")" -eq 2 ] && grep -q "^111111111111: .* 1 lost" "$tmp/d" && grep -q "^222222222222: .* 1 lost" "$tmp/d"'
check "the reads the unaccepted invitation denied are allowed: decisions flipped" \
    'grep -q "^  ~ flipped sagemaker:DescribeModelCard by arn:aws:sts::222222222222:assumed-role/Reader/org-member on arn:aws:sagemaker:us-east-1:111111111111:model-card/c1: AccessDeniedException -> ok (x2)$" "$tmp/d"'
# Every record is counted once: lost + matched = A's records, gained + matched = B's.
tot=$(sed -n "s/^total: \([0-9]*\) lost, \([0-9]*\) gained, [0-9]* flipped, [0-9]* delivered at another time, [0-9]* unchanged$/\1 \2/p" "$tmp/d")
lost=${tot% *} gained=${tot#* }
a=$(cat "$tmp"/inv/trail/*.jsonl | wc -l) b=$(cat "$tmp"/org/trail/*.jsonl | wc -l)
check "lost and gained add up to each run's logs ($a - $lost = $b - $gained)" \
    '[ -n "$tot" ] && [ "$lost" -eq 2 ] && [ "$gained" -eq 0 ] && [ $((a - lost)) -eq $((b - gained)) ]'
"$CROSSIM" diff "$tmp/none" "$tmp/org" >/dev/null 2>"$tmp/err"
st=$?
check "a folder without trail/: exit 2, named" '[ $st -eq 2 ] && grep -q "none/trail" "$tmp/err"'
awk '/crossim diff out-invitations/{f=1; next} /^  ```$/{f=0} f' README.md | sed 's/^  //' >"$tmp/readme"
check "README's diff example is what crossim prints" '[ -s "$tmp/readme" ] && cmp -s "$tmp/readme" "$tmp/d"'
cp -r "$tmp/org" "$tmp/bad"; printf '{"eventName":"x"\n' >>"$tmp/bad/trail/222222222222.jsonl"
n2=$(wc -l <"$tmp/bad/trail/222222222222.jsonl")
"$CROSSIM" diff "$tmp/org" "$tmp/bad" >/dev/null 2>"$tmp/err2"
st=$?
check "a log line that is not a record: exit 2, its file and line named" \
    '[ $st -eq 2 ] && grep -q "bad/trail/222222222222.jsonl:$n2: not a JSON record" "$tmp/err2"'
