#!/bin/sh
# tests/scenarios/serve.t: `crossim serve` driven by the real aws CLI
# (SV1-SV3), on loopback, every command bounded in time.  Seed 000's flow as
# its CLI steps write it: account A (model-card-account) creates a model card
# and shares it through RAM; account B (shared-account) is refused before,
# finds its invitation, accepts it, reads the card and exports it; and the
# authentication failures AWS answers: a wrong secret, an unknown key, no
# signature, a request signed for another region, temporary credentials
# from sts:AssumeRole before and after they expire.  The trails then hold
# each call in the right account, with the CLI's user agent and the request
# id the CLI was given.
. tests/scenarios/tap.sh
. tests/scenarios/serve.sh
echo "1..38"
AWS=$(command -v aws)
# make deps installs Debian's awscli; without it nothing here can run.
[ -n "$AWS" ] || skip_all 38 "no aws CLI on PATH (make deps installs awscli)"
out="$tmp/out"
serve_start "$tmp/serve.out" scenarios/model-card-sharing.json --no-actors --out "$out"
pid=$serve_pid
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; [ -n "${KEEP:-}" ] && cp -r "$tmp" /tmp/servekeep; rm -rf "$tmp"' EXIT
check "serve prints its loopback endpoint and writes the credentials file" \
    '[ -n "$port" ] && grep -q "^\[model-card-account-CardAdmin\]" "$out/credentials" && grep -q "^\[shared-account-root\]" "$out/credentials"'
export AWS_SHARED_CREDENTIALS_FILE="$out/credentials" AWS_CONFIG_FILE=/dev/null \
       AWS_DEFAULT_REGION=us-west-2 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
A="--profile model-card-account-CardAdmin"
B="--profile shared-account-DataScientist"
cli() { timeout 30 "$AWS" --endpoint-url "$E" "$@"; }
# Simulated time jumps ahead (RAM's associations and acceptances take effect
# after a while, as in AWS).
advance() { control POST "/_crossim/advance?by=$1"; }
CARD=arn:aws:sagemaker:us-west-2:111111111111:model-card/churn

cli $A sts get-caller-identity --query Arn --output text >"$tmp/who" 2>"$tmp/who.err"
check "sts get-caller-identity (query protocol) answers the profile's role session" \
    'grep -qx "arn:aws:sts::111111111111:assumed-role/CardAdmin/crossim" "$tmp/who"'

cli $A sagemaker create-model-card --model-card-name churn --model-card-status Draft \
    --content '{"model_overview": {"model_description": "churn model"}}' \
    --query ModelCardArn --output text >"$tmp/card" 2>"$tmp/card.err"
check "sagemaker create-model-card (json protocol) answers the card's ARN [MC1]" \
    'grep -qx "$CARD" "$tmp/card"'

cli $B sagemaker describe-model-card --model-card-name "$CARD" >"$tmp/d0" 2>"$tmp/d0.err"
rc=$?
check "B's describe-model-card before any share: exit 254 or 255 (CLI v2, v1), AccessDeniedException with AWS's message [MC2]" \
    '[ $rc -ge 254 ] && grep -q "An error occurred (AccessDeniedException) when calling the DescribeModelCard operation: User: arn:aws:sts::222222222222:assumed-role/DataScientist/crossim is not authorized to perform: sagemaker:DescribeModelCard on resource: $CARD" "$tmp/d0.err"'

cli $A ram create-resource-share --name model-cards --resource-arns "$CARD" --principals 222222222222 \
    --permission-arns arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCardsAllowExport \
    --query resourceShare.resourceShareArn --output text >"$tmp/share" 2>"$tmp/share.err"
check "ram create-resource-share (rest-json) answers the share's ARN [RAM1]" \
    'grep -q "^arn:aws:ram:us-west-2:111111111111:resource-share/" "$tmp/share"'
SHARE=$(cat "$tmp/share")
advance 1m >/dev/null

cli $A ram get-resource-share-associations --association-type RESOURCE --resource-arn "$CARD" \
    --query 'resourceShareAssociations[0].[resourceShareArn,status]' --output text >"$tmp/assoc" 2>&1
check "ram get-resource-share-associations --association-type RESOURCE names the share [RAM4]" \
    'grep -q "^$SHARE[[:space:]]*ASSOCIATED$" "$tmp/assoc"'

cli $A ram list-resource-share-permissions --resource-share-arn "$SHARE" \
    --query 'permissions[0].name' --output text >"$tmp/perm" 2>&1
check "ram list-resource-share-permissions names AllowExport [RAM4]" \
    'grep -qx AWSRAMPermissionSageMakerModelCardsAllowExport "$tmp/perm"'

cli $B ram get-resource-share-invitations \
    --query 'resourceShareInvitations[0].[resourceShareInvitationArn,status]' --output text \
    >"$tmp/inv" 2>"$tmp/inv.err"
check "B's ram get-resource-share-invitations shows the pending invitation [RAM2]" \
    'grep -q "^arn:aws:ram:us-west-2:111111111111:resource-share-invitation/.*PENDING$" "$tmp/inv"'
INV=$(cut -f1 "$tmp/inv")

cli $B sagemaker describe-model-card --model-card-name "$CARD" >"$tmp/d1" 2>"$tmp/d1.err"
rc=$?
check "invited but not accepted: still AccessDeniedException [RAM2]" \
    '[ $rc -ge 254 ] && grep -q "(AccessDeniedException)" "$tmp/d1.err"'

cli $B ram accept-resource-share-invitation --resource-share-invitation-arn "$INV" \
    --query resourceShareInvitation.status --output text >"$tmp/acc" 2>"$tmp/acc.err"
check "B's ram accept-resource-share-invitation answers ACCEPTED [RAM2]" 'grep -qx ACCEPTED "$tmp/acc"'
advance 1m >/dev/null

cli $B sagemaker describe-model-card --model-card-name "$CARD" \
    --query '[ModelCardName,ModelCardStatus]' --output text >"$tmp/d2" 2>"$tmp/d2.err"
check "after accepting, B's describe-model-card reads A's card [MC2]" \
    'grep -q "^churn[[:space:]]*Draft$" "$tmp/d2"'

cli $B sagemaker create-model-card-export-job --model-card-name "$CARD" \
    --model-card-export-job-name churn-pdf --output-config S3OutputPath=s3://exports-222/cards \
    --query ModelCardExportJobArn --output text >"$tmp/job" 2>"$tmp/job.err"
check "B's create-model-card-export-job: the job belongs to A's card [MC3]" \
    'grep -qx "$CARD/export-job/churn-pdf" "$tmp/job"'

cli $A ram delete-resource-share --resource-share-arn "$SHARE" --query returnValue --output text \
    >"$tmp/del" 2>"$tmp/del.err"
check "ram delete-resource-share (DELETE with the ARN in the query string) answers true" \
    'grep -qx True "$tmp/del"'

# S3 (rest-xml) as B's root: bytes in and out unchanged, listings, S3's errors.
R="--profile shared-account-root"
printf 'card\000export\377\n' >"$tmp/obj.bin"
cli $R s3api put-object --bucket exports-222 --key cards/churn.bin --body "$tmp/obj.bin" \
    --query ETag --output text >"$tmp/put" 2>&1
cli $R s3api get-object --bucket exports-222 --key cards/churn.bin "$tmp/got.bin" >/dev/null 2>&1
check "s3api put-object then get-object (rest-xml, path style) give back the same bytes, NUL included" \
    'cmp -s "$tmp/obj.bin" "$tmp/got.bin" && grep -q "^\"[0-9a-f]\{32\}\"$" "$tmp/put"'
cli $R s3api list-objects-v2 --bucket exports-222 --prefix cards/ --query 'Contents[].[Key,Size]' \
    --output text >"$tmp/ls" 2>&1
check "s3api list-objects-v2 --prefix lists the object with its size" \
    'grep -q "^cards/churn.bin[[:space:]]*13$" "$tmp/ls"'
cli $R s3api head-object --bucket exports-222 --key cards/churn.bin --query ContentLength --output text \
    >"$tmp/head" 2>&1
check "s3api head-object reads the headers (Content-Length, Last-Modified in HTTP's date form)" \
    'grep -qx 13 "$tmp/head"'
cli $R s3api get-object --bucket exports-222 --key cards/none "$tmp/none" >/dev/null 2>"$tmp/nokey"
check "a missing key: NoSuchKey, S3's XML error" \
    'grep -q "(NoSuchKey) when calling the GetObject operation: The specified key does not exist." "$tmp/nokey"'
cli $R s3 cp "$tmp/obj.bin" s3://exports-222/cp/obj.bin >/dev/null 2>&1 &&
    cli $R s3 ls s3://exports-222/cp/ >"$tmp/s3ls" 2>&1
check "aws s3 cp and aws s3 ls (the high-level commands) work too" 'grep -q " 13 obj.bin$" "$tmp/s3ls"'

# Authentication, as AWS answers it (SV2).
AWS_ACCESS_KEY_ID=111111111111 AWS_SECRET_ACCESS_KEY=not-the-secret \
    timeout 30 "$AWS" --endpoint-url "$E" sts get-caller-identity >/dev/null 2>"$tmp/bad1"
rc=$?
check "a wrong secret: exit 254 or 255 (CLI v2, v1), SignatureDoesNotMatch (query protocol)" \
    '[ $rc -ge 254 ] && grep -q "(SignatureDoesNotMatch) when calling the GetCallerIdentity operation: The request signature we calculated does not match" "$tmp/bad1"'
AWS_ACCESS_KEY_ID=111111111111 AWS_SECRET_ACCESS_KEY=not-the-secret \
    timeout 30 "$AWS" --endpoint-url "$E" sagemaker list-model-cards >/dev/null 2>"$tmp/bad2"
check "a wrong secret: InvalidSignatureException (json protocol)" \
    'grep -q "(InvalidSignatureException) when calling the ListModelCards operation" "$tmp/bad2"'
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=x \
    timeout 30 "$AWS" --endpoint-url "$E" ram get-resource-shares --resource-owner SELF >/dev/null 2>"$tmp/bad3"
check "an unknown key: UnrecognizedClientException (rest-json)" \
    'grep -q "(UnrecognizedClientException) when calling the GetResourceShares operation: The security token included in the request is invalid." "$tmp/bad3"'
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1 \
    timeout 30 "$AWS" --endpoint-url "$E" iam list-roles >/dev/null 2>"$tmp/bad4"
check "an unknown key: InvalidClientTokenId (query protocol)" \
    'grep -q "(InvalidClientTokenId) when calling the ListRoles operation" "$tmp/bad4"'
cli $A --region eu-west-1 sagemaker list-model-cards >/dev/null 2>"$tmp/bad5"
check "signed for another region than the world's: InvalidSignatureException naming both" \
    'grep -q "(InvalidSignatureException).*Credential should be scoped to a valid region.*eu-west-1.*us-west-2" "$tmp/bad5"'
timeout 10 python3 - "$E" >"$tmp/unsigned" 2>&1 <<'P'
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1] + "/", data=b"{}", method="POST",
                             headers={"X-Amz-Target": "SageMaker.ListModelCards",
                                      "Content-Type": "application/x-amz-json-1.1"})
try:
    urllib.request.urlopen(req, timeout=5)
    print("accepted")
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
P
check "an unsigned request is refused: 403 MissingAuthenticationTokenException" \
    'grep -q "^403 .*MissingAuthenticationTokenException" "$tmp/unsigned"'

# Bad requests, signed with a real key (botocore's signer): each gets the
# protocol's error; the server stays up.
timeout 20 python3 - "$E" "$out/credentials" >"$tmp/badreq" 2>&1 <<'P'
import configparser, sys, urllib.request, urllib.error
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
cp = configparser.ConfigParser(); cp.read(sys.argv[2])
p = cp["model-card-account-CardAdmin"]
creds = Credentials(p["aws_access_key_id"], p["aws_secret_access_key"], p["aws_session_token"])
def send(target, body):
    r = AWSRequest(method="POST", url=sys.argv[1] + "/", data=body,
                   headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"})
    SigV4Auth(creds, "sagemaker", "us-west-2").add_auth(r)
    req = urllib.request.Request(r.url, data=r.body, method="POST", headers=dict(r.headers))
    try:
        urllib.request.urlopen(req, timeout=5)
        return "200"
    except urllib.error.HTTPError as e:
        return "%d %s" % (e.code, e.read().decode())
print("malformed", send("SageMaker.ListModelCards", b"{not json"))
print("unknown", send("SageMaker.NoSuchOperation", b"{}"))
print("invalid", send("SageMaker.DescribeModelCard", b'{"ModelCardName": ""}'))
try:
    print("huge", send("SageMaker.ListModelCards", b"{" + b" " * (9 * 1024 * 1024) + b"}"))
except Exception as e:
    print("huge", type(e).__name__)
P
check "a malformed JSON body: 400 SerializationException" \
    'grep -q "^malformed 400 .*\"__type\":\"SerializationException\"" "$tmp/badreq"'
check "an operation the service does not have: 400 UnknownOperationException" \
    'grep -q "^unknown 400 .*UnknownOperationException" "$tmp/badreq"'
check "input the model refuses: the service's ValidationException, and a 9 MB body is refused (413 or closed)" \
    'grep -q "^invalid 400 .*ValidationException" "$tmp/badreq" && grep -q "^huge \(413\|[A-Za-z]*Error\)" "$tmp/badreq"'

# Temporary credentials: root assumes CardAdmin for 15 minutes.
cli --profile model-card-account-root sts assume-role \
    --role-arn arn:aws:iam::111111111111:role/CardAdmin --role-session-name cli-session \
    --duration-seconds 900 \
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text >"$tmp/tmpc" 2>"$tmp/tmpc.err"
read -r K S T <"$tmp/tmpc"
AWS_ACCESS_KEY_ID=$K AWS_SECRET_ACCESS_KEY=$S AWS_SESSION_TOKEN=$T \
    timeout 30 "$AWS" --endpoint-url "$E" sts get-caller-identity --query Arn --output text \
    >"$tmp/who2" 2>"$tmp/who2.err"
check "sts assume-role answers ASIA credentials the server then accepts as that session" \
    'case "$K" in ASIA*) true;; *) false;; esac && grep -qx "arn:aws:sts::111111111111:assumed-role/CardAdmin/cli-session" "$tmp/who2"'
AWS_ACCESS_KEY_ID=$K AWS_SECRET_ACCESS_KEY=$S \
    timeout 30 "$AWS" --endpoint-url "$E" sts get-caller-identity >/dev/null 2>"$tmp/notoken"
check "a session key without its session token is refused (InvalidClientTokenId)" \
    'grep -q "(InvalidClientTokenId)" "$tmp/notoken"'

# Simulated time jumps ahead: the session expires, the records are delivered.
advance 20m >"$tmp/adv" 2>&1
check "POST /_crossim/advance?by=20m moves simulated time on" 'grep -q "\"now\":\"2026-01-05T09:2" "$tmp/adv"'
AWS_ACCESS_KEY_ID=$K AWS_SECRET_ACCESS_KEY=$S AWS_SESSION_TOKEN=$T \
    timeout 30 "$AWS" --endpoint-url "$E" sts get-caller-identity >/dev/null 2>"$tmp/expired"
check "after its 15 minutes the session is refused: ExpiredToken" \
    'grep -q "(ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired" "$tmp/expired"'

B_LOG="$out/trail/222222222222.jsonl"
A_LOG="$out/trail/111111111111.jsonl"
check "B's log holds its AcceptResourceShareInvitation, from 127.0.0.1 with the CLI's user agent [SV3]" \
    'grep "\"eventName\":\"AcceptResourceShareInvitation\"" "$B_LOG" | grep -q "\"sourceIPAddress\":\"127.0.0.1\",\"userAgent\":\"aws-cli/"'
check "A's log holds the owner copy of B's accepted read, with B's account as the caller [L2]" \
    'grep "\"eventName\":\"DescribeModelCard\"" "$A_LOG" | grep -v errorCode | grep -q "\"type\":\"AWSAccount\",\"principalId\":\"[A-Z0-9]*:crossim\",\"accountId\":\"222222222222\""'
check "the denied reads are in B's log with AWS's errorCode" \
    '[ $(grep "\"eventName\":\"DescribeModelCard\"" "$B_LOG" | grep -c "\"errorCode\":\"AccessDeniedException\"") -eq 2 ]'

cli --profile shared-account-root cloudtrail lookup-events \
    --lookup-attributes AttributeKey=EventName,AttributeValue=AcceptResourceShareInvitation \
    --query 'Events[*].[EventName,Username]' --output text >"$tmp/lookup" 2>"$tmp/lookup.err"
check "aws cloudtrail lookup-events as B's root reads its delivered AcceptResourceShareInvitation [SV3]" \
    '[ "$(cat "$tmp/lookup")" = "$(printf "AcceptResourceShareInvitation\tcrossim")" ]'

# Reset: the world and the logs start again from the scenario; the keys stay.
cp "$out/credentials" "$tmp/creds.before"
control POST /_crossim/reset >"$tmp/reset" 2>&1
check "POST /_crossim/reset: the clock back at the start, no log left, the same credentials" \
    'grep -q "\"now\":\"2026-01-05T09:00:0" "$tmp/reset" && [ -z "$(ls "$out/trail")" ] && cmp -s "$tmp/creds.before" "$out/credentials"'
cli $A sagemaker list-model-cards --query 'length(ModelCardSummaries)' --output text >"$tmp/after" 2>&1
check "after the reset the card made before is gone" 'grep -qx 0 "$tmp/after"'

# Shutting down finishes the run as `run` does.
control POST /_crossim/shutdown >/dev/null 2>&1
i=0; while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
wait $pid; rc=$?
check "POST /_crossim/shutdown ends serve with status 0, summary.json and timeline.html written" \
    '[ $rc -eq 0 ] && [ -s "$out/summary.json" ] && [ -s "$out/timeline.html" ]'
