#!/bin/sh
# tests/scenarios/sqlite.t: `--sqlite FILE` (RV3).  A shipped scenario's
# records land in the table `trail` exactly as its logs hold them (the same
# rows, in each account's delivery order, every column read from the record
# it names); README's reviewer queries run and answer what the logs say; an
# existing FILE is refused without --force; and `serve --sqlite` commits
# after each request, so a killed server leaves whole records.
. tests/scenarios/tap.sh
echo "1..17"
command -v sqlite3 >/dev/null || skip_all 17 "no sqlite3 CLI (make deps installs sqlite3)"
SC=scenarios/model-card-sharing.json
db="$tmp/trail.db"
q() { sqlite3 -batch -noheader "$db" "$1"; }
"$CROSSIM" run $SC --out "$tmp/out" --sqlite "$db" --quiet
check "run --sqlite succeeds and writes the database" '[ $? -eq 0 ] && [ -s "$db" ]'
lines=$(cat "$tmp/out"/trail/*.jsonl | wc -l)
check "the table holds one row a delivered record ($lines)" '[ "$(q "SELECT count(*) FROM trail")" -eq "$lines" ] && [ "$lines" -gt 20 ]'
# Each account's rows, in log order, are its log's lines with the delivery time taken out.
same=yes
for f in "$tmp/out"/trail/*.jsonl; do
    a=$(basename "$f" .jsonl)
    sed 's/,"crossimDeliveryTime":"[^"]*"}$/}/' "$f" >"$tmp/want"
    q "SELECT record FROM trail WHERE recipientaccountid = '$a' ORDER BY logindex" >"$tmp/got"
    cmp -s "$tmp/want" "$tmp/got" || same=no
done
check "each account's rows are its log's records, in delivery order" '[ $same = yes ]'
check "deliverytime is the log's crossimDeliveryTime" \
    '[ "$(q "SELECT deliverytime FROM trail WHERE recipientaccountid = '\''222222222222'\'' ORDER BY logindex" | tr "\n" " ")" = "$(sed "s/.*\"crossimDeliveryTime\":\"\([^\"]*\)\"}$/\1/" "$tmp/out/trail/222222222222.jsonl" | tr "\n" " ")" ]'
# Every column agrees with the member it is read from (json_extract over the record).
mism=$(q "SELECT count(*) FROM trail WHERE
    eventname IS NOT json_extract(record, '$.eventName') OR
    eventtime IS NOT json_extract(record, '$.eventTime') OR
    errorcode IS NOT json_extract(record, '$.errorCode') OR
    errormessage IS NOT json_extract(record, '$.errorMessage') OR
    useridentity_arn IS NOT json_extract(record, '$.userIdentity.arn') OR
    useridentity_accountid IS NOT json_extract(record, '$.userIdentity.accountId') OR
    useridentity_type IS NOT json_extract(record, '$.userIdentity.type') OR
    useridentity_sessionissuer_arn IS NOT json_extract(record, '$.userIdentity.sessionContext.sessionIssuer.arn') OR
    sharedeventid IS NOT json_extract(record, '$.sharedEventID') OR
    eventid IS NOT json_extract(record, '$.eventID') OR
    resources IS NOT json_extract(record, '$.resources') OR
    readonly IS NOT (CASE json_extract(record, '$.readOnly') WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)")
check "every column is the record member it names" '[ "$mism" = 0 ]'
check "denied calls: errorcode rows equal the logs' errorCode lines" \
    '[ "$(q "SELECT count(*) FROM trail WHERE errorcode IS NOT NULL")" -eq "$(cat "$tmp"/out/trail/*.jsonl | grep -c "\"errorCode\"")" ]'
check "each owner copy (AWSAccount) has its caller's record under the same sharedeventid" \
    '[ "$(q "SELECT count(*) FROM trail o WHERE o.useridentity_type = '\''AWSAccount'\'' AND NOT EXISTS (SELECT 1 FROM trail c WHERE c.sharedeventid = o.sharedeventid AND c.recipientaccountid <> o.recipientaccountid AND c.useridentity_arn IS NOT NULL)")" = 0 ] && [ "$(q "SELECT count(*) FROM trail WHERE useridentity_type = '\''AWSAccount'\''")" -gt 0 ]'
check "the reviewer indexes exist" \
    '[ "$(q "SELECT count(*) FROM sqlite_master WHERE type = '\''index'\'' AND tbl_name = '\''trail'\''")" -eq 6 ]'
# README's five queries, as README prints them.
awk '/^### SQL over the trails/,/^## Scenarios/' README.md |
    awk '/^```sql/{f=1; k++; next} /^```/{f=0; next} f{print > ("'"$tmp"'/q" k ".sql")}'
run_q() { sqlite3 -batch -noheader "$db" <"$tmp/q$1.sql" 2>"$tmp/q$1.err"; }
check "README holds five queries and each runs" \
    '[ -f "$tmp/q5.sql" ] && [ ! -f "$tmp/q6.sql" ] && for i in 1 2 3 4 5; do run_q $i >"$tmp/a$i" && [ ! -s "$tmp/q$i.err" ] && [ -s "$tmp/a$i" ] || exit 1; done'
check "query 1: the scientist shows in both accounts' logs" \
    '[ "$(cut -d"|" -f1 "$tmp/a1" | tr "\n" " ")" = "111111111111 222222222222 " ]'
check "query 2: the denials are those of the logs, owner copies included" \
    '[ "$(wc -l <"$tmp/a2")" -eq "$(cat "$tmp"/out/trail/*.jsonl | grep -c "\"errorCode\"")" ] && grep -q "^2026-01-05T09:00:30Z|111111111111|DescribeModelCard|222222222222|AccessDeniedException|User: " "$tmp/a2"'
check "query 2: each denial says the layer and statement that decided it" \
    '[ -z "$(awk -F"|" "\$5 ~ /AccessDenied/ && \$7 !~ /^(resource|identity|scp|rcp|boundary|session): /" "$tmp/a2")" ] && grep -q "|identity: no statement of the identity-based policies allows it$" "$tmp/a2" && [ "$(q "SELECT count(*) FROM trail WHERE decision IS NOT NULL AND errorcode IS NULL")" = 0 ]'
check "query 5: per account and operation, the counts of summary.json's whoSawWhat" \
    '[ "$(awk -F"|" "{s+=\$4} END {print s}" "$tmp/a5")" -eq "$lines" ] && grep -q "^222222222222|sagemaker.amazonaws.com|DescribeModelCard|4|" "$tmp/a5"'
# An existing database is another run's: refused, unless --force.
before=$(q "SELECT count(*) FROM trail")
"$CROSSIM" run $SC --out "$tmp/out2" --sqlite "$db" --quiet 2>"$tmp/refused"
st=$?
check "an existing FILE is refused with exit 2, nothing written" \
    '[ $st -eq 2 ] && grep -q "give --force" "$tmp/refused" && [ ! -e "$tmp/out2" ] && [ "$(q "SELECT count(*) FROM trail")" = "$before" ]'
"$CROSSIM" run scenarios/quickstart.json --out "$tmp/out3" --sqlite "$db" --force --quiet
check "--force replaces it with the new run's records" \
    '[ "$(q "SELECT count(*) FROM trail")" -eq "$(cat "$tmp"/out3/trail/*.jsonl | wc -l)" ]'
# serve: each answered request is committed, so kill -9 leaves the rows of
# every record its logs hold.
. tests/scenarios/serve.sh
AWS=$(command -v aws)
if [ -z "$AWS" ]; then
    n=$((n + 1)); echo "ok $n # SKIP no aws CLI on PATH (make deps installs awscli)"
    n=$((n + 1)); echo "ok $n # SKIP no aws CLI on PATH (make deps installs awscli)"
    exit 0
fi
sdb="$tmp/serve.db"
serve_start "$tmp/serve.out" $SC --no-actors --out "$tmp/sout" --sqlite "$sdb"
spid=$serve_pid
trap 'kill -9 $spid 2>/dev/null; rm -rf "$tmp"' EXIT
export AWS_SHARED_CREDENTIALS_FILE="$tmp/sout/credentials" AWS_CONFIG_FILE=/dev/null \
       AWS_DEFAULT_REGION=us-west-2 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
for i in 1 2 3; do
    timeout 30 "$AWS" --endpoint-url "$E" --profile shared-account-DataScientist \
        sagemaker describe-model-card --model-card-name arn:aws:sagemaker:us-west-2:111111111111:model-card/churn \
        >/dev/null 2>&1
done
control POST "/_crossim/advance?by=1h" >/dev/null   # past CloudTrail's delivery delay
kill -9 $spid; wait $spid 2>/dev/null
slines=$(cat "$tmp"/sout/trail/*.jsonl 2>/dev/null | wc -l)
check "serve --sqlite: after kill -9 the table holds every record the logs hold ($slines)" \
    '[ "$slines" -ge 6 ] && [ "$(sqlite3 "$sdb" "SELECT count(*) FROM trail")" -eq "$slines" ]'
check "serve --sqlite: the owner's copies of the denied reads are there" \
    '[ "$(sqlite3 "$sdb" "SELECT count(*) FROM trail WHERE recipientaccountid = '\''111111111111'\'' AND errorcode = '\''AccessDeniedException'\''")" -eq 3 ]'
