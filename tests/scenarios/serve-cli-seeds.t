#!/bin/sh
# tests/scenarios/serve-cli-seeds.t: the seeds' own aws CLI steps, as they
# are written, against `crossim serve` (SV1-SV3), on loopback.
#   seed 003: iam create-role / attach-role-policy, ec2 describe-vpcs and
#     describe-subnets with --filters and --query, sagemaker create-domain
#     --query DomainArn --output text, list-domains (the ec2 protocol, and
#     query with a file:// policy document);
#   seed 001: put-model-package-group-policy, get-resource-share-associations
#     --association-type resource, list-resource-share-permissions, the two
#     promote calls, get-resource-share-invitations, accept, list-model-package-
#     groups --cross-account-filter-option CrossAccount, disassociate-resource-
#     share, delete-resource-share.
# An operation the installed CLI does not know (Debian's awscli is older than
# some of these) is reported as a skip with the reason, never passed.
. tests/scenarios/tap.sh
. tests/scenarios/serve.sh
echo "1..25"
AWS=$(command -v aws)
[ -n "$AWS" ] || skip_all 25 "no aws CLI on PATH (make deps installs awscli)"
export AWS_CONFIG_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; [ -n "${KEEP:-}" ] && rm -rf /tmp/seedskeep && cp -r "$tmp" /tmp/seedskeep; rm -rf "$tmp"' EXIT

# start SCENARIO NAME: serves the scenario's world; sets E and the credentials.
start() {
    serve_start "$tmp/$2.out" "$1" --no-actors --out "$tmp/$2"
    pids="$pids $serve_pid"
    eval "${2}_pid=$serve_pid"
    export AWS_SHARED_CREDENTIALS_FILE="$tmp/$2/credentials"
}
cli() { timeout 30 "$AWS" --endpoint-url "$E" "$@"; }
post() { control POST "$1"; }
# knows SERVICE OPERATION [OPTION]: whether the installed CLI has the command
# (and the option): --generate-cli-skeleton answers without a request.
knows() {
    timeout 30 "$AWS" "$1" "$2" --generate-cli-skeleton >"$tmp/skeleton" 2>/dev/null &&
        { [ -z "${3:-}" ] || grep -q "\"$3\"" "$tmp/skeleton"; }
}
skip_or() { # NAME SERVICE OPERATION CONDITION [MEMBER]
    if knows "$2" "$3" "${5:-}"; then check "$1" "$4"
    else n=$((n + 1)); echo "ok $n # SKIP $1: this aws CLI ($("$AWS" --version 2>&1 | cut -d' ' -f1)) has no $2 $3 ${5:-}"; fi
}

# ---- seed 003: a domain from the CLI -----------------------------------------------
start scenarios/domain-cli-setup.json d3
export AWS_DEFAULT_REGION=us-east-1
P="--profile platform-PlatformAdmin"
cat >"$tmp/trust.json" <<'J'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
J
cli $P iam create-role --role-name SageMakerExecutionCli \
    --assume-role-policy-document "file://$tmp/trust.json" --query Role.Arn --output text >"$tmp/role" 2>&1
check "iam create-role --assume-role-policy-document file://... answers the role's ARN [D3]" \
    'grep -qx "arn:aws:iam::111111111111:role/SageMakerExecutionCli" "$tmp/role"'
cli $P iam attach-role-policy --role-name SageMakerExecutionCli \
    --policy-arn arn:aws:iam::aws:policy/AmazonSageMakerFullAccess >"$tmp/attach" 2>&1
rc=$?
check "iam attach-role-policy AmazonSageMakerFullAccess: exit 0, no output" '[ $rc -eq 0 ] && [ ! -s "$tmp/attach" ]'
cli $P iam list-attached-role-policies --role-name SageMakerExecutionCli \
    --query 'AttachedPolicies[0].PolicyName' --output text >"$tmp/attached" 2>&1
check "iam list-attached-role-policies shows it (an XML list of members read back)" \
    'grep -qx AmazonSageMakerFullAccess "$tmp/attached"'
cli $P iam create-role --role-name sagemakerexecutioncli \
    --assume-role-policy-document "file://$tmp/trust.json" >/dev/null 2>"$tmp/dup"
check "the same name again: EntityAlreadyExists, IAM's query-protocol error" \
    'grep -q "(EntityAlreadyExists) when calling the CreateRole operation" "$tmp/dup"'
VPC=$(cli $P ec2 describe-vpcs --filters Name=isDefault,Values=true --query "Vpcs[0].VpcId" --output text 2>"$tmp/vpc.err")
check "ec2 describe-vpcs --filters Name=isDefault,Values=true (ec2 protocol) finds the default VPC [D1]" \
    '[ "$VPC" = vpc-0c1d2e3f ]'
cli $P ec2 describe-subnets --filters "Name=vpc-id,Values=$VPC" --query "Subnets[*].SubnetId" \
    --output json >"$tmp/subnets" 2>&1
check "ec2 describe-subnets --filters Name=vpc-id lists that VPC's two subnets" \
    '[ "$(tr -d " \n" <"$tmp/subnets")" = "[\"subnet-0c000001\",\"subnet-0c000002\"]" ]'
cli $P sagemaker create-domain --domain-name cli-domain --vpc-id "$VPC" \
    --subnet-ids subnet-0c000001 subnet-0c000002 --auth-mode IAM \
    --default-user-settings "ExecutionRole=arn:aws:iam::111111111111:role/SageMakerExecutionCli,JupyterServerAppSettings={DefaultResourceSpec={InstanceType=system,SageMakerImageArn=arn:aws:sagemaker:us-east-1:081325390199:image/jupyter-server-3}}" \
    --query DomainArn --output text >"$tmp/domain" 2>&1
check "sagemaker create-domain ... --query DomainArn --output text [D1, D3]" \
    'grep -q "^arn:aws:sagemaker:us-east-1:111111111111:domain/d-[a-z0-9]*$" "$tmp/domain"'
cli $P sagemaker list-domains --query 'Domains[0].[DomainName,Status]' --output text >"$tmp/domains" 2>&1
check "sagemaker list-domains shows it Pending at first" 'grep -q "^cli-domain[[:space:]]*Pending$" "$tmp/domains"'
post "/_crossim/advance?by=15m" >/dev/null
cli $P sagemaker list-domains --query 'Domains[0].Status' --output text >"$tmp/domains2" 2>&1
check "fifteen simulated minutes later it is InService" 'grep -qx InService "$tmp/domains2"'
cli --profile platform-Auditor iam create-role --role-name Sneaky \
    --assume-role-policy-document "file://$tmp/trust.json" >/dev/null 2>"$tmp/sneaky"
check "the Auditor may not create roles: AccessDenied with IAM's message" \
    'grep -q "(AccessDenied) when calling the CreateRole operation: User: arn:aws:sts::111111111111:assumed-role/Auditor/crossim is not authorized to perform: iam:CreateRole" "$tmp/sneaky"'
post "/_crossim/advance?by=20m" >/dev/null
check "the platform account's log holds CreateDomain with the CLI's request parameters [SV3]" \
    'grep "\"eventName\":\"CreateDomain\"" "$tmp/d3/trail/111111111111.jsonl" | grep -q "\"domainName\":\"cli-domain\""'

# ---- seed 001: a model package group shared by its resource policy ---------------------
start scenarios/model-registry-discoverability.json d1
O="--profile model-owner-RegistryAdmin"
C="--profile model-consumer-MLEngineer"
GROUP=arn:aws:sagemaker:us-east-1:111111111111:model-package-group/churn-models
cli $O sagemaker create-model-package-group --model-package-group-name churn-models \
    --query ModelPackageGroupArn --output text >"$tmp/group" 2>&1
cli $O sagemaker put-model-package-group-policy --model-package-group-name churn-models \
    --resource-policy "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\": \"ExampleResourcePolicy\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\": \"arn:aws:iam::222222222222:root\"}, \"Action\":[\"sagemaker:DescribeModelPackage\", \"sagemaker:ListModelPackages\",\"sagemaker:DescribeModelPackageGroup\"], \"Resource\":[\"$GROUP\", \"arn:aws:sagemaker:us-east-1:111111111111:model-package/churn-models/*\"]}]}" \
    --query ModelPackageGroupArn --output text >"$tmp/put" 2>&1
check "sagemaker put-model-package-group-policy as seed 001 writes it [MR1]" \
    'grep -qx "$GROUP" "$tmp/group" && grep -qx "$GROUP" "$tmp/put"'
post "/_crossim/advance?by=1m" >/dev/null
cli $O ram get-resource-share-associations --association-type resource --resource-arn "$GROUP" \
    --query 'resourceShareAssociations[0].resourceShareArn' --output text >"$tmp/lower" 2>&1
# The seed writes "resource" in lower case; the CLI sends it as given and RAM refuses it.
check "get-resource-share-associations --association-type resource (the seed's case) is refused as RAM refuses it" \
    'grep -q "InvalidParameterException\|ValidationException" "$tmp/lower"'
cli $O ram get-resource-share-associations --association-type RESOURCE --resource-arn "$GROUP" \
    --query 'resourceShareAssociations[0].resourceShareArn' --output text >"$tmp/assoc" 2>&1
SHARE=$(cat "$tmp/assoc")
check "with RESOURCE it finds the share RAM made from the policy [MR2]" \
    'grep -q "^arn:aws:ram:us-east-1:111111111111:resource-share/" "$tmp/assoc"'
cli $O ram list-resource-share-permissions --resource-share-arn "$SHARE" \
    --query 'permissions[0].[arn,featureSet]' --output text >"$tmp/perms" 2>&1
if grep -q "None$" "$tmp/perms"; then
    n=$((n + 1)); echo "ok $n # SKIP list-resource-share-permissions featureSet: this aws CLI's model has no featureSet member"
else
    check "list-resource-share-permissions: a CREATED_FROM_POLICY permission [RAM5]" \
        'grep -q "CREATED_FROM_POLICY$" "$tmp/perms"'
fi
PERM=$(cut -f1 "$tmp/perms")
cli $C sagemaker list-model-package-groups --cross-account-filter-option CrossAccount \
    --query 'length(ModelPackageGroupSummaryList)' --output text >"$tmp/l0" 2>&1
skip_or "before promotion the consumer lists no cross-account group (accessible, not discoverable) [MR3]" \
    sagemaker list-model-package-groups 'grep -qx 0 "$tmp/l0"' CrossAccountFilterOption
cli $O ram promote-permission-created-from-policy --permission-arn "$PERM" --name ChurnModelsRead \
    --query permission.arn --output text >"$tmp/pp" 2>&1
skip_or "ram promote-permission-created-from-policy answers the new permission [RAM5]" \
    ram promote-permission-created-from-policy 'grep -q "^arn:aws:ram:us-east-1:111111111111:permission/ChurnModelsRead$" "$tmp/pp"'
post "/_crossim/advance?by=1m" >/dev/null
cli $O ram promote-resource-share-created-from-policy --resource-share-arn "$SHARE" \
    --query returnValue --output text >"$tmp/ps" 2>&1
skip_or "ram promote-resource-share-created-from-policy answers true [RAM5]" \
    ram promote-resource-share-created-from-policy 'grep -qx True "$tmp/ps"'
post "/_crossim/advance?by=2m" >/dev/null
cli $C ram get-resource-share-invitations \
    --query 'resourceShareInvitations[0].resourceShareInvitationArn' --output text >"$tmp/inv" 2>&1
INV=$(cat "$tmp/inv")
cli $C ram accept-resource-share-invitation --resource-share-invitation-arn "$INV" \
    --query resourceShareInvitation.status --output text >"$tmp/acc" 2>&1
skip_or "after promotion the consumer is invited and accepts [MR3]" \
    ram promote-resource-share-created-from-policy 'grep -qx ACCEPTED "$tmp/acc"'
post "/_crossim/advance?by=1m" >/dev/null
cli $C sagemaker list-model-package-groups --cross-account-filter-option CrossAccount \
    --query 'ModelPackageGroupSummaryList[0].ModelPackageGroupArn' --output text >"$tmp/l1" 2>&1
skip_or "then list-model-package-groups --cross-account-filter-option CrossAccount shows the group [MR3]" \
    sagemaker list-model-package-groups 'grep -qx "$GROUP" "$tmp/l1"' CrossAccountFilterOption
cli $O ram disassociate-resource-share --resource-share-arn "$SHARE" --principals 222222222222 \
    --query 'resourceShareAssociations[0].status' --output text >"$tmp/dis" 2>&1
skip_or "ram disassociate-resource-share --principals answers DISASSOCIATING" \
    ram promote-resource-share-created-from-policy 'grep -qx DISASSOCIATING "$tmp/dis"'
cli $O ram delete-resource-share --resource-share-arn "$SHARE" --query returnValue --output text \
    >"$tmp/del" 2>&1
check "ram delete-resource-share answers true" 'grep -qx True "$tmp/del"'

# kill -9 loses nothing delivered: every record the server counted as
# delivered is a whole line of a log (SV3; records are flushed as they are
# delivered, a line at a time).
post "/_crossim/advance?by=20m" >/dev/null
control GET /_crossim/state | sed -n 's/.*"recordsDelivered":\([0-9]*\).*/\1/p' >"$tmp/state"
kill -9 $d1_pid
wait $d1_pid 2>/dev/null
check "after kill -9 the logs hold exactly the delivered records, each a whole JSON line" \
    'python3 -c "
import glob, json, sys
lines = [l for f in glob.glob(sys.argv[1] + \"/trail/*.jsonl\") for l in open(f).read().split(\"\\n\") if l]
[json.loads(l) for l in lines]
sys.exit(0 if len(lines) == int(sys.argv[2]) and len(lines) >= 5 else 1)
" "$tmp/d1" "$(cat "$tmp/state")"'

# Keys a scenario declares ("access_keys") are the ones served.
cat >"$tmp/keys.json" <<'J'
{ "scenario": "declared-keys", "region": "us-east-1",
  "accounts": { "123456789012": { "alias": "dev",
    "roles": { "Dev": {} }, "users": { "alice": {} },
    "access_keys": {
      "Dev": { "access_key_id": "ASIADECLAREDDEV00001", "secret_access_key": "dev-secret",
               "session_token": "dev-token" },
      "user/alice": { "access_key_id": "AKIADECLAREDALICE001", "secret_access_key": "alice-secret" } } } },
  "actors": [] }
J
start "$tmp/keys.json" keys
AWS_ACCESS_KEY_ID=AKIADECLAREDALICE001 AWS_SECRET_ACCESS_KEY=alice-secret AWS_DEFAULT_REGION=us-east-1 \
    timeout 30 "$AWS" --endpoint-url "$E" sts get-caller-identity --query Arn --output text >"$tmp/alice" 2>&1
check "a declared user key is served as that user, and is the profile's key [SV2]" \
    'grep -qx "arn:aws:iam::123456789012:user/alice" "$tmp/alice" && grep -A3 "^\[dev-user-alice\]" "$tmp/keys/credentials" | grep -q "aws_access_key_id = AKIADECLAREDALICE001"'
AWS_ACCESS_KEY_ID=ASIADECLAREDDEV00001 AWS_SECRET_ACCESS_KEY=dev-secret AWS_SESSION_TOKEN=dev-token \
    AWS_DEFAULT_REGION=us-east-1 timeout 30 "$AWS" --endpoint-url "$E" sts get-caller-identity \
    --query Arn --output text >"$tmp/dev" 2>&1
check "a declared role key with its session token is that role's session [SV2]" \
    'grep -qx "arn:aws:sts::123456789012:assumed-role/Dev/crossim" "$tmp/dev"'
