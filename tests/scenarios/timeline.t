#!/bin/sh
# tests/scenarios/timeline.t: timeline.html (RV1, in part): one row a
# delivered record; a failed call's row shows AWS's errorMessage and a denied
# call's the policy layer and statement that decided it, which crossim keeps
# beside the record (the page, the SQLite column `decision`), never in it.
. tests/scenarios/tap.sh
echo "1..8"
# Prints one line per row of the page's table: its cells joined by '|'.
rows() { perl -ne 'while (m{<tr[^>]*>(<td>.*?)</tr>}g) { my $r = $1; my @c = $r =~ m{<td>(.*?)</td>}g;
                   print join("|", @c), "\n" if @c >= 10 }' "$1"; }
run_to() { rm -rf "$tmp/$2"; "$CROSSIM" run "scenarios/$1.json" --out "$tmp/$2" --quiet >/dev/null 2>&1; }

run_to model-card-sharing mc
rows "$tmp/mc/timeline.html" >"$tmp/mc.rows"
check "model-card-sharing: one page row a record of the logs" \
    '[ "$(wc -l <"$tmp/mc.rows")" -eq "$(cat "$tmp"/mc/trail/*.jsonl | wc -l)" ] && [ "$(wc -l <"$tmp/mc.rows")" -gt 20 ]'
# Cells: event time|delivered|log of|operation|caller|type|outcome|why|decided by|shared.
check "every denied row says what decided it, and only denied rows do" \
    '[ "$(awk -F"|" "\$7 ~ /AccessDenied/ && \$9 != \"\"" "$tmp/mc.rows" | wc -l)" -eq "$(grep -c "\"errorCode\":\"AccessDenied" "$tmp"/mc/trail/*.jsonl | awk -F: "{s+=\$2} END {print s}")" ] && [ -z "$(awk -F"|" "\$7 !~ /AccessDenied/ && \$9 != \"\"" "$tmp/mc.rows")" ]'
check "a failed row shows the errorMessage its record holds" \
    'grep -q "|AccessDeniedException|User: arn:aws:sts::222222222222:assumed-role/[^|]* is not authorized to perform: sagemaker:DescribeModelCard on resource: [^|]*|identity: no statement of the identity-based policies allows it|" "$tmp/mc.rows"'
check "the partner's read the card's account does not allow: decided by the resource policy" \
    'grep -q "|222222222222[^|]*|sagemaker:DescribeModelCard|.*|AccessDeniedException|.*|resource: no statement of the resource-based policy allows it|" "$tmp/mc.rows"'
run_to pipeline-roles pr
check "pipeline-roles: the SCP's Deny names the SCP and its statement" \
    'rows "$tmp/pr/timeline.html" | grep -q "|AccessDenied[A-Za-z]*|[^|]*|scp: explicit Deny in DenyS3OutsideVpc, statement 0|"'
run_to rcp-perimeter rcp
check "rcp-perimeter: the RCP's Deny names the RCP, its statement and Sid" \
    'rows "$tmp/rcp/timeline.html" | grep -q "|rcp: explicit Deny in EnforceOrgIdentities, statement 0 (Sid EnforceIdentityPerimeter)|"'
run_to quickstart qs
check "quickstart: an identity policy's explicit Deny names its statement" \
    'rows "$tmp/qs/timeline.html" | grep -q "|identity: explicit Deny in role/DataScientist inline policy 0, statement 1|"'
check "no record carries the decision: the logs are CloudTrail's records only" \
    '! cat "$tmp"/mc/trail/*.jsonl "$tmp"/pr/trail/*.jsonl "$tmp"/rcp/trail/*.jsonl "$tmp"/qs/trail/*.jsonl | grep -qE "(scp|rcp|resource|identity): (explicit Deny in|no statement of)"'
