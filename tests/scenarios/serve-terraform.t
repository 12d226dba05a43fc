#!/bin/sh
# tests/scenarios/serve-terraform.t: Terraform's hashicorp/aws provider
# against `crossim serve` (SV1-SV3), on loopback.  Two accounts as provider
# aliases with custom endpoints (credentials validated through STS, as by
# default): account A shares a model card through RAM with account B
# (aws_ram_resource_share, _resource_association, _principal_association),
# B accepts (aws_ram_resource_share_accepter), then `terraform destroy`
# takes it all down; simulated time runs 60 times faster than the wall
# clock so that the provider's polls see RAM finish.  Both trails hold its
# calls.  Terraform and the provider are not Debian packages: where either
# is missing this prints a TAP skip with the reason (TF_PLUGIN_MIRROR names
# a filesystem mirror; default /opt/tf-plugins).
. tests/scenarios/tap.sh
. tests/scenarios/serve.sh
echo "1..7"
TF=$(command -v terraform) || skip_all 7 "no terraform on PATH (not a Debian package)"
mirror=${TF_PLUGIN_MIRROR:-/opt/tf-plugins}
[ -d "$mirror/registry.terraform.io/hashicorp/aws" ] ||
    skip_all 7 "no hashicorp/aws provider in a filesystem mirror at $mirror (set TF_PLUGIN_MIRROR)"
AWS=$(command -v aws) || skip_all 7 "no aws CLI on PATH to make the model card (make deps installs awscli)"

out="$tmp/out"
serve_start "$tmp/serve.out" scenarios/model-card-sharing.json --no-actors --speed 60 --out "$out"
pid=$serve_pid
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
export AWS_SHARED_CREDENTIALS_FILE="$out/credentials" AWS_CONFIG_FILE=/dev/null \
       AWS_DEFAULT_REGION=us-west-2 AWS_EC2_METADATA_DISABLED=true AWS_PAGER="" \
       TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
timeout 30 "$AWS" --endpoint-url "$E" --profile model-card-account-CardAdmin sagemaker create-model-card \
    --model-card-name churn --model-card-status Draft --content '{}' >/dev/null 2>&1

mkdir -p "$tmp/tf"
cat >"$tmp/tf/main.tf" <<EOF
variable "endpoint" {}
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  alias                    = "owner"
  region                   = "us-west-2"
  profile                  = "model-card-account-CardAdmin"
  shared_credentials_files = ["$out/credentials"]
  skip_metadata_api_check  = true
  skip_region_validation   = true
  endpoints {
    sts = var.endpoint
    iam = var.endpoint
    ram = var.endpoint
  }
}
provider "aws" {
  alias                    = "partner"
  region                   = "us-west-2"
  profile                  = "shared-account-root"
  shared_credentials_files = ["$out/credentials"]
  skip_metadata_api_check  = true
  skip_region_validation   = true
  endpoints {
    sts = var.endpoint
    iam = var.endpoint
    ram = var.endpoint
  }
}
resource "aws_ram_resource_share" "cards" {
  provider                  = aws.owner
  name                      = "cards"
  allow_external_principals = true
  tags                      = { team = "ml-platform" }
}
resource "aws_ram_resource_association" "card" {
  provider           = aws.owner
  resource_arn       = "arn:aws:sagemaker:us-west-2:111111111111:model-card/churn"
  resource_share_arn = aws_ram_resource_share.cards.arn
}
resource "aws_ram_principal_association" "partner" {
  provider           = aws.owner
  principal          = "222222222222"
  resource_share_arn = aws_ram_resource_share.cards.arn
}
resource "aws_ram_resource_share_accepter" "partner" {
  provider   = aws.partner
  share_arn  = aws_ram_principal_association.partner.resource_share_arn
  depends_on = [aws_ram_resource_association.card]
}
output "accepted_status" { value = aws_ram_resource_share_accepter.partner.status }
output "sender" { value = aws_ram_resource_share_accepter.partner.sender_account_id }
EOF
cd "$tmp/tf" || exit 1
timeout 120 "$TF" init -plugin-dir="$mirror" -input=false -no-color >"$tmp/init.log" 2>&1
rc=$?
check "terraform init finds hashicorp/aws in the mirror" '[ $rc -eq 0 ]'
timeout 300 "$TF" apply -auto-approve -input=false -no-color -var "endpoint=$E" >"$tmp/apply.log" 2>&1
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/apply.log" | tail -20
check "terraform apply: share, associations and B's accepter created [RAM1, RAM2]" \
    '[ $rc -eq 0 ] && grep -q "Apply complete! Resources: 4 added" "$tmp/apply.log"'
check "the accepter's state: ACTIVE, from account A" \
    '[ "$("$TF" output -raw accepted_status)" = ACTIVE ] && [ "$("$TF" output -raw sender)" = 111111111111 ]'
timeout 300 "$TF" destroy -auto-approve -input=false -no-color -var "endpoint=$E" >"$tmp/destroy.log" 2>&1
rc=$?
check "terraform destroy takes the four resources down" \
    '[ $rc -eq 0 ] && grep -q "Destroy complete! Resources: 4 destroyed" "$tmp/destroy.log"'
cd - >/dev/null || exit 1
control POST "/_crossim/advance?by=20m" >/dev/null 2>&1
A_LOG="$out/trail/111111111111.jsonl"
B_LOG="$out/trail/222222222222.jsonl"
check "A's log holds the provider's CreateResourceShare, AssociateResourceShare and DeleteResourceShare [SV3]" \
    'for op in CreateResourceShare AssociateResourceShare DeleteResourceShare; do grep "\"eventName\":\"$op\"" "$A_LOG" | grep -q "\"userAgent\":\"[^\"]*[Tt]erraform" || exit 1; done'
check "B's log holds its AcceptResourceShareInvitation made by Terraform as B's root [SV3]" \
    'grep "\"eventName\":\"AcceptResourceShareInvitation\"" "$B_LOG" | grep -q "\"type\":\"Root\".*\"userAgent\":\"[^\"]*[Tt]erraform"'
check "no call of either provider was refused (no errorCode in either log)" \
    '! grep -q "\"errorCode\"" "$A_LOG" "$B_LOG"'
