#!/bin/sh
# The command line as a user meets it: a bad scenario exits 2 and writes
# nothing; a failed expectation exits 1; usage errors exit 2; the S3 layout
# appears with --s3-layout; every JSONL line is a whole JSON object.
. tests/scenarios/tap.sh
echo "1..41"

cat >"$tmp/bad.json" <<'J'
{
  "scenario": "bad",
  "accounts": { "111111111111": { "roles": { "R": {} } } },
  "actors": [ { "name": "a", "as": "arn:aws:iam::111111111111:role/R",
                "script": [ { "after": "10x", "call": "sts:GetCallerIdentity" } ] } ]
}
J
"$CROSSIM" run "$tmp/bad.json" --out "$tmp/badout" >"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
check "bad scenario exits 2" '[ $rc -eq 2 ]'
check "bad scenario writes nothing" '[ ! -e "$tmp/badout" ]'
check "the error names file:line:col and path" \
  'grep -q "bad.json:5:40: actors\[0\].script\[0\].after: \"10x\" is not a duration" "$tmp/bad.err"'

# Policy grammar by type (IAM): an identity policy names no Principal; every
# statement of a resource policy (here a bucket's) names one.
cat >"$tmp/grammar.json" <<'J'
{
  "scenario": "grammar",
  "accounts": { "111111111111": {
    "roles": { "R": { "policies": [ { "Version": "2012-10-17", "Statement": [
      { "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*" } ] } ] } },
    "buckets": { "grammar-b": { "policy": { "Version": "2012-10-17", "Statement": [
      { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::grammar-b/*" } ] } } } } }
}
J
"$CROSSIM" check "$tmp/grammar.json" >"$tmp/grammar.out" 2>&1
rc=$?
check "policy grammar: an identity policy naming a Principal, a bucket policy naming none: exit 2, both located" \
  '[ $rc -eq 2 ] && grep -q "grammar.json:4:.*accounts.111111111111.roles.R.policies\[0\]: MalformedPolicyDocument: Policy document should not specify a principal" "$tmp/grammar.out" && grep -q "grammar.json:6:.*accounts.111111111111.buckets.grammar-b.policy: MalformedPolicyDocument: Missing required field Principal" "$tmp/grammar.out"'

# RCP syntax (AWS Organizations User Guide): a scenario's RCP may only Deny
# and names Principal "*"; each break is located.
cat >"$tmp/rcp.json" <<'J'
{
  "scenario": "rcp-grammar",
  "organization": { "id": "o-abcdefghij", "management": "111111111111", "accounts": [ "222222222222" ],
    "rcps": {
      "AllowIt": { "policy": { "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*" } ] }, "targets": [ "Root" ] },
      "NamedOne": { "policy": { "Version": "2012-10-17", "Statement": [
        { "Effect": "Deny", "Principal": { "AWS": "arn:aws:iam::333333333333:root" }, "Action": "s3:*", "Resource": "*" } ] },
        "targets": [ "Root" ] },
      "NotAct": { "policy": { "Version": "2012-10-17", "Statement": [
        { "Effect": "Deny", "Principal": "*", "NotAction": "s3:*", "Resource": "*" } ] }, "targets": [ "Root" ] } } },
  "accounts": { "111111111111": {}, "222222222222": {} }
}
J
"$CROSSIM" check "$tmp/rcp.json" >"$tmp/rcp.out" 2>&1
rc=$?
check "RCP grammar: Allow, a named principal and NotAction are refused, exit 2, each located" \
  '[ $rc -eq 2 ] && grep -q "rcp.json:5:.*organization.rcps.AllowIt.policy: MalformedPolicyDocument: an RCP.s statements may only Deny" "$tmp/rcp.out" && grep -q "rcp.json:7:.*organization.rcps.NamedOne.policy: MalformedPolicyDocument: an RCP.s Principal must be" "$tmp/rcp.out" && grep -q "rcp.json:10:.*organization.rcps.NotAct.policy: MalformedPolicyDocument: NotAction is not supported" "$tmp/rcp.out"'

"$CROSSIM" explain scenarios/rcp-perimeter.json --as arn:aws:iam::333333333333:role/Outsider \
  --action sts:AssumeRole --resource arn:aws:iam::222222222222:role/Partner >"$tmp/rcpx.out" 2>&1
rc=$?
check "explain sees the RCPs over the role's account as run does (denied, exit 1, named)" \
  '[ $rc -eq 1 ] && grep -q "^decision: ExplicitDeny by resource control policy EnforceOrgIdentities" "$tmp/rcpx.out" && grep -q "with an explicit deny in a resource control policy" "$tmp/rcpx.out"'

"$CROSSIM" explain scenarios/kms-grants.json --as arn:aws:iam::111111111111:role/KeyAdmin \
  --action kms:CreateAlias --resource arn:aws:kms:us-east-1:111111111111:alias/aws/mine >"$tmp/resv.out" 2>&1
rc=$?
check "explain refuses a reserved alias/aws/ name as run does, though the policies allow kms:*" \
  '[ $rc -eq 1 ] && grep -q "^DENIED" "$tmp/resv.out" && grep -q "message: NotAuthorizedException: Alias names beginning with alias/aws/ are reserved for AWS managed keys." "$tmp/resv.out"'

sed 's/"10x"/"10s"/' "$tmp/bad.json" | sed 's/"call": "sts:GetCallerIdentity"/"call": "sts:GetCallerIdentity", "expect": "AccessDenied"/' >"$tmp/fail.json"
"$CROSSIM" run "$tmp/fail.json" --out "$tmp/failout" >"$tmp/fail.out" 2>&1
rc=$?
check "a failed expectation exits 1" '[ $rc -eq 1 ]'
check "the failure is reported with its line" 'grep -q "FAIL .*fail.json:5 actors\[0\].script\[0\]" "$tmp/fail.out"'

"$CROSSIM" run >/dev/null 2>&1
rc=$?
check "usage error exits 2" '[ $rc -eq 2 ]'

"$CROSSIM" run scenarios/quickstart.json --out "$tmp/q" --s3-layout >"$tmp/q.out" 2>&1
rc=$?
check "quickstart with --s3-layout exits 0" '[ $rc -eq 0 ]'
check "S3 layout files exist" \
  'ls "$tmp"/q/AWSLogs/111111111111/CloudTrail/us-west-2/2026/01/05/111111111111_CloudTrail_us-west-2_20260105T*Z_*.json.gz >/dev/null 2>&1'
check "summary.json written" '[ -s "$tmp/q/summary.json" ]'

# SPEC L6, CloudTrail User Guide "Creating a trail for an organization": an
# organization trail's log files are in the management account's bucket
# under AWSLogs/<org-id>/<account-id>/; a member with a trail of its own has
# its own folder too, with only what that trail selects.
"$CROSSIM" run scenarios/organization-trail.json --out "$tmp/ot" --s3-layout --quiet >/dev/null 2>&1
rc=$?
names() { find "$tmp/ot/AWSLogs/$1" -name '*.json.gz' -exec zcat {} \; | grep -o '"eventName":"[A-Za-z]*"' | sort | tr -d '\n'; }
check "L6: organization trail files are under AWSLogs/<org-id>/<account>/, none of the data member under AWSLogs/<account>/" \
  '[ $rc -eq 0 ] && ls "$tmp"/ot/AWSLogs/o-t1r2a3i4l5/222222222222/CloudTrail/eu-west-1/2026/06/01/222222222222_CloudTrail_eu-west-1_20260601T*Z_*.json.gz >/dev/null && [ ! -e "$tmp/ot/AWSLogs/222222222222" ]'
check "L6: the organization trail takes the data member's object calls" \
  '[ "$(names o-t1r2a3i4l5/222222222222)" = "\"eventName\":\"GetObject\"\"eventName\":\"GetObject\"\"eventName\":\"ListBuckets\"\"eventName\":\"PutObject\"" ]'
check "L6: a member with its own management-events trail: both folders, its object read only in the organization's" \
  '[ "$(names 333333333333)" = "\"eventName\":\"GetCallerIdentity\"" ] && [ "$(names o-t1r2a3i4l5/333333333333)" = "\"eventName\":\"GetCallerIdentity\"\"eventName\":\"GetObject\"" ]'
check "L6: an account outside the organization keeps AWSLogs/<account>/" \
  '[ "$(names 444444444444)" = "\"eventName\":\"GetCallerIdentity\"" ] && [ ! -e "$tmp/ot/AWSLogs/o-t1r2a3i4l5/444444444444" ]'
check "every log line is one whole JSON object" \
  'for f in "$tmp"/q/trail/*.jsonl; do grep -v "^{.*}\$" "$f" && exit 1; done; true'

# explain --at: the world as the actors left it.  In model-card-sharing, A
# shares its card at 1m; B accepts the invitation at about 13m.  Before the
# run B's role is refused for want of any resource policy; at 5m RAM's
# permission is there but B has not accepted (SPEC MC2, RAM2: no access until
# accepted); at 20m the share's permission allows it, as the run's calls show.
card=arn:aws:sagemaker:us-west-2:111111111111:model-card/churn
ds=arn:aws:iam::222222222222:role/DataScientist
"$CROSSIM" explain scenarios/model-card-sharing.json --as $ds --action sagemaker:DescribeModelCard \
  --resource $card >"$tmp/at0" 2>&1; rc0=$?
"$CROSSIM" explain scenarios/model-card-sharing.json --as $ds --action sagemaker:DescribeModelCard \
  --resource $card --at 5m >"$tmp/at5" 2>&1; rc5=$?
"$CROSSIM" explain scenarios/model-card-sharing.json --as $ds --action sagemaker:DescribeModelCard \
  --resource $card --at 20m --json >"$tmp/at20" 2>&1; rc20=$?
check "explain before the run: no resource policy yet, denied" \
  '[ $rc0 -eq 1 ] && grep -q "resource-based policy  (none)" "$tmp/at0"'
check "explain --at 5m: RAM's permission is read, but the invitation is not accepted" \
  '[ $rc5 -eq 1 ] && grep -q "^as the actors left the world at 5m:" "$tmp/at5" && grep -q "RAM share model-cards (AWSRAMPermissionSageMakerModelCards[A-Za-z]*) no statement applies" "$tmp/at5"'
check "MC2: explain --at 20m: allowed by the accepted share's permission" \
  '[ $rc20 -eq 0 ] && grep -q "\"decision\":[[:space:]]*\"Allow\"" "$tmp/at20" && grep -q "\"at\":[[:space:]]*\"20m\"" "$tmp/at20" && grep -q "RAM share model-cards" "$tmp/at20"'
# A version of a shared model package group: the group's own policy (put at
# 1m05s) decides, beside RAM's permissions, as on the call path (MPG2, MPG8).
"$CROSSIM" explain scenarios/model-registry-cross-account-register.json \
  --as arn:aws:iam::222222222222:role/MLEngineer --action sagemaker:DescribeModelPackage \
  --resource arn:aws:sagemaker:us-east-1:111111111111:model-package/shared-models/1 --at 2m >"$tmp/atmpg" 2>&1; rc=$?
check "MPG8: explain --at 2m on a group's version reads the group's policy" \
  '[ $rc -eq 0 ] && grep -q "model package group shared-models resource policy statement 0 (RegisterAndDeploy): Allow applies" "$tmp/atmpg"'
# A configured audience model's policy, put by its owner during the run (its
# ARN carries a drawn id: read from a run's log), decides StartAudienceGenerationJob
# (CR10); without the collaboration id in the context its condition fails.
"$CROSSIM" run scenarios/cleanrooms-cross-account-job.json --out "$tmp/crx" --quiet >/dev/null 2>&1
cam=$(grep -oh 'arn:aws:cleanrooms-ml:us-west-2:[0-9]*:configured-audience-model/[a-z0-9-]*' "$tmp"/crx/trail/*.jsonl | head -1)
"$CROSSIM" explain scenarios/cleanrooms-cross-account-job.json --as arn:aws:iam::111111111111:role/Marketer \
  --action cleanrooms-ml:StartAudienceGenerationJob --resource "$cam" --at 1d >"$tmp/atcam" 2>&1; rc=$?
check "CR10: explain --at 1d reads the configured audience model's policy" \
  '[ -n "$cam" ] && [ $rc -eq 1 ] && grep -q "configured audience model policy statement 0 (.*): Allow does not apply (condition not met)" "$tmp/atcam"'
# A KMS grant made during the run (kms-grants: Encrypt for the Worker role
# within the encryption-context subset project=alpha) allows what the key
# policy leaves implicitly denied, in its context only (KMS Developer Guide,
# grants; the key's ARN carries a drawn id: read from a run's log).
"$CROSSIM" run scenarios/kms-grants.json --out "$tmp/kg" --quiet >/dev/null 2>&1
key=$(grep -oh 'arn:aws:kms:us-east-1:111111111111:key/[a-f0-9-]*' "$tmp"/kg/trail/*.jsonl | head -1)
for ec in alpha beta; do
  "$CROSSIM" explain scenarios/kms-grants.json --as arn:aws:iam::222222222222:role/Worker \
    --action kms:Encrypt --resource "$key" --at 1m --encryption-context project=$ec >"$tmp/kg-$ec" 2>&1
  echo $? >"$tmp/kg-$ec.rc"
done
check "explain --at 1m: the grant allows Encrypt in its encryption context" \
  '[ -n "$key" ] && [ $(cat "$tmp/kg-alpha.rc") -eq 0 ] && grep -q "^  grant  *[0-9a-f]* (for the caller): allows it" "$tmp/kg-alpha" && grep -q "^decision: Allow (by the grant)" "$tmp/kg-alpha"'
check "explain --at 1m: outside the grant's encryption context no grant allows it" \
  '[ $(cat "$tmp/kg-beta.rc") -eq 1 ] && grep -q "^  grant  *no grant allows it" "$tmp/kg-beta"'
"$CROSSIM" explain scenarios/model-card-sharing.json --as $ds --action sagemaker:DescribeModelCard \
  --resource $card --at 5x >"$tmp/atbad" 2>&1; rc=$?
check "explain --at with a bad duration exits 2" '[ $rc -eq 2 ] && grep -q "is not a duration" "$tmp/atbad"'

"$CROSSIM" explain scenarios/quickstart.json --as arn:aws:iam::222222222222:role/DataScientist \
  --action sts:AssumeRole --resource arn:aws:iam::111111111111:role/Locked >"$tmp/ex1" 2>&1
rc=$?
check "explain: a trust policy that does not name the caller denies (exit 1)" \
  '[ $rc -eq 1 ] && grep -q "^DENIED" "$tmp/ex1" && grep -q "role/Locked trust policy  *no statement applies" "$tmp/ex1"'
"$CROSSIM" explain scenarios/quickstart.json --as arn:aws:iam::222222222222:role/DataScientist \
  --action sts:AssumeRole --resource arn:aws:iam::111111111111:role/CrossAccountReader >"$tmp/ex2" 2>&1
rc=$?
check "explain: trust and identity policy allow (exit 0)" '[ $rc -eq 0 ] && grep -q "^ALLOWED" "$tmp/ex2"'
"$CROSSIM" explain scenarios/quickstart.json --json --as arn:aws:iam::111111111111:role/CrossAccountReader \
  --action iam:GetRole --resource arn:aws:iam::111111111111:role/Admin >"$tmp/ex3" 2>&1
check "explain --json names the deciding layer" 'grep -q "\"layer\":[[:space:]]*\"identity\"" "$tmp/ex3"'
# STS: GetCallerIdentity needs no permission and an explicit Deny does not
# stop it; explain answers as a run does (tests/tour/estate.json's Narrow
# role denies it and still calls it).
"$CROSSIM" explain tests/tour/estate.json --as arn:aws:iam::111111111111:role/Narrow \
  --action sts:GetCallerIdentity --resource '*' >"$tmp/ex4" 2>&1
rc=$?
check "explain: sts:GetCallerIdentity is allowed despite a Deny, as in run" \
  '[ $rc -eq 0 ] && grep -q "^ALLOWED" "$tmp/ex4" && grep -q "needs no permission" "$tmp/ex4"'
"$CROSSIM" explain scenarios/quickstart.json --as arn:aws:iam::999999999999:role/Nobody --action s3:GetObject >/dev/null 2>&1
rc=$?
check "explain: an unknown principal exits 2" '[ $rc -eq 2 ]'

"$CROSSIM" run scenarios/quickstart.json --out "$tmp/paced" --speed 100000 >"$tmp/paced.out" 2>&1
rc=$?
assumes=$(cat "$tmp"/q/trail/*.jsonl | grep -c '"eventName":"AssumeRole"')
check "--speed paces the run and prints records as they are delivered" \
  '[ $rc -eq 0 ] && [ "$(grep -c "  sts.amazonaws.com:AssumeRole  " "$tmp/paced.out")" -eq "$assumes" ]'
d1=$(sed -n 's/^digest: //p' "$tmp/paced.out")
d2=$(sed -n 's/^digest: //p' "$tmp/q.out")
check "a paced run writes the same logs as a flat-out run" '[ -n "$d1" ] && [ "$d1" = "$d2" ]'

rows=$(grep -c '^<tr[^>]*><td>2026-' "$tmp/q/timeline.html")
lines=$(cat "$tmp"/q/trail/*.jsonl | wc -l)
check "timeline.html has one row per delivered record ($rows of $lines)" '[ "$rows" -eq "$lines" ] && [ "$lines" -gt 0 ]'

# S3: progress on a terminal only.  script(1) (util-linux, essential on
# Debian) gives the run a terminal; CROSSIM_PROGRESS_AFTER_MS=0 shows the
# line from the first tick instead of after 2 s.
CROSSIM_PROGRESS_AFTER_MS=0 "$CROSSIM" run scenarios/ram-storm-1000.json --out "$tmp/p1" >"$tmp/p1.out" 2>"$tmp/p1.err"
check "S3: no progress line when the output is not a terminal" \
  '! grep -q "events/s" "$tmp/p1.err" "$tmp/p1.out" && ! grep -q "$(printf "\r")" "$tmp/p1.err"'
CROSSIM_PROGRESS_AFTER_MS=0 script -qec "$CROSSIM run scenarios/ram-storm-1000.json --out $tmp/p2" /dev/null >"$tmp/p2.tty" 2>&1
check "S3: a progress line on a terminal (simulated time, events, calls, records, rate, elapsed)" \
  'grep -Eq "crossim: 2026-01-05T09:[0-9:]+Z  [0-9]+ events  [0-9]+ calls  [0-9]+ records  [0-9]+ events/s  [0-9.]+ s" "$tmp/p2.tty"'
CROSSIM_PROGRESS_AFTER_MS=0 script -qec "$CROSSIM run scenarios/ram-storm-1000.json --out $tmp/p3 --quiet" /dev/null >"$tmp/p3.tty" 2>&1
check "S3: --quiet prints nothing on a terminal" '[ ! -s "$tmp/p3.tty" ]'
check "S3: the progress line changes no log" \
  '[ -n "$(ls "$tmp"/p1/trail)" ] && diff -r "$tmp/p1/trail" "$tmp/p2/trail" >/dev/null'

# Issue 13 (HIGH): the account field of an ARN in a call's input never becomes
# a file name: sts:AssumeRole on arn:aws:iam::../../../escaped:role/x is
# refused and recorded in the caller's log, and nothing appears outside --out.
mkdir -p "$tmp/esc/a/b"
cat >"$tmp/esc.json" <<'J'
{ "scenario": "escape", "seed": 1, "start": "2026-01-05T09:00:00Z",
  "accounts": { "111111111111": { "roles": { "R": { "policies": [ { "Version": "2012-10-17",
        "Statement": [ { "Effect": "Allow", "Action": "*", "Resource": "*" } ] } ] } } } },
  "actors": [ { "name": "a", "as": "arn:aws:iam::111111111111:role/R", "script": [
      { "at": "1s", "call": "sts:AssumeRole", "expect": "AccessDenied",
        "input": { "RoleArn": "arn:aws:iam::../../../escaped:role/x", "RoleSessionName": "sess" } } ] } ] }
J
"$CROSSIM" run "$tmp/esc.json" --out "$tmp/esc/a/b/out" --s3-layout --quiet
rc=$?
check "an ARN's account field writes nothing outside --out, and the call is recorded" \
  '[ $rc -eq 0 ] && [ -z "$(find "$tmp/esc" -path "$tmp/esc/a/b/out" -prune -o -type f -print)" ] && grep -q "\"errorCode\":\"AccessDenied\"" "$tmp/esc/a/b/out/trail/111111111111.jsonl"'

# A world with no actors delivers nothing: the run still ends with exit 0,
# an empty digest and a timeline page (it used to crash writing the page).
cat >"$tmp/empty.json" <<'J'
{ "scenario": "empty", "accounts": { "111111111111": { "roles": { "R": {} } } }, "actors": [] }
J
"$CROSSIM" run "$tmp/empty.json" --out "$tmp/emptyout" >"$tmp/empty.out" 2>&1
rc=$?
check "a run that delivers no record: exit 0, summary and timeline written" \
  '[ $rc -eq 0 ] && [ -s "$tmp/emptyout/summary.json" ] && [ -s "$tmp/emptyout/timeline.html" ]'

# Declared access keys name a principal of their account and a well-formed id.
cat >"$tmp/badkeys.json" <<'J'
{ "scenario": "badkeys", "accounts": { "111111111111": { "roles": { "R": {} },
  "access_keys": { "Nobody": { "access_key_id": "AKIAAAAAAAAAAAAAAAAA", "secret_access_key": "s" },
                   "R": { "access_key_id": "bad id", "secret_access_key": "s" } } } }, "actors": [] }
J
"$CROSSIM" check "$tmp/badkeys.json" >"$tmp/badkeys.out" 2>&1
rc=$?
check "access_keys: an unknown principal and a malformed key id, both located, exit 2" \
  '[ $rc -eq 2 ] && grep -q "badkeys.json:2:20: accounts.111111111111.access_keys.Nobody: \"Nobody\" is not a role" "$tmp/badkeys.out" && grep -q "badkeys.json:3:44: accounts.111111111111.access_keys.R.access_key_id: an access key id is 12 to 128" "$tmp/badkeys.out"'
