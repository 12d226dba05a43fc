#!/usr/bin/env python3
"""Write a Clean Rooms ML storm scenario: N advertiser accounts start one
cross-account audience generation job each on one configured audience model.

The model owner (222222222222) creates a collaboration with the N advertisers,
trains an audience model, configures it and associates it with
manageResourcePolicies (one policy naming all N accounts).  Each advertiser
joins, starts its job at 1d with the collaborationId and polls it to ACTIVE.

  python3 tools/gen-cleanrooms-storm.py 1000 > /tmp/storm.json
  build/crossim run /tmp/storm.json --out /tmp/storm --quiet
"""
import json
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
B = "222222222222"


def pol(*st):
    return {"Version": "2012-10-17", "Statement": list(st)}


def allow(a, r):
    return {"Effect": "Allow", "Action": a, "Resource": r}


member = pol(allow(["cleanrooms:*", "cleanrooms-ml:*"], "*"), allow("iam:PassRole", "*"))
td = [{"type": "INTERACTIONS", "inputConfig": {
    "schema": [{"columnName": "u", "columnTypes": ["USER_ID"]}],
    "dataSource": {"glueDataSource": {"databaseName": "d", "tableName": "t"}}}}]
owner = [
    {"at": "0s", "call": "cleanrooms:CreateCollaboration", "expect": "ok", "save": "collab",
     "input": {"name": "storm", "description": "d", "creatorDisplayName": "o",
               "creatorMemberAbilities": ["CAN_QUERY"], "queryLogStatus": "DISABLED",
               "members": [{"accountId": "${accounts.adv-%d}" % i, "displayName": "a%d" % i,
                            "memberAbilities": []} for i in range(N)]}},
    {"call": "cleanrooms:CreateMembership", "save": "ms", "expect": "ok",
     "input": {"collaborationIdentifier": "${collab.collaboration.id}",
               "queryLogStatus": "DISABLED"}},
    {"call": "cleanrooms-ml:CreateTrainingDataset", "save": "ds", "expect": "ok",
     "input": {"name": "ds", "roleArn": f"arn:aws:iam::{B}:role/Member", "trainingData": td}},
    {"call": "cleanrooms-ml:CreateAudienceModel", "save": "am", "expect": "ok",
     "input": {"name": "m", "trainingDatasetArn": "${ds.trainingDatasetArn}"}},
    {"wait": {"call": "cleanrooms-ml:GetAudienceModel",
              "input": {"audienceModelArn": "${am.audienceModelArn}"},
              "until": {"status": "ACTIVE"}}, "every": "10m", "timeout": "1d"},
    {"call": "cleanrooms-ml:CreateConfiguredAudienceModel", "save": "cam", "expect": "ok",
     "input": {"name": "cam", "audienceModelArn": "${am.audienceModelArn}",
               "outputConfig": {"destination": {"s3Destination": {"s3Uri": "s3://o/x"}},
                                "roleArn": f"arn:aws:iam::{B}:role/Member"},
               "sharedAudienceMetrics": ["ALL"]}},
    {"call": "cleanrooms:CreateConfiguredAudienceModelAssociation", "expect": "ok",
     "input": {"membershipIdentifier": "${ms.membership.id}",
               "configuredAudienceModelArn": "${cam.configuredAudienceModelArn}",
               "configuredAudienceModelAssociationName": "a", "manageResourcePolicies": True}},
]
adv = [
    {"wait": "cleanrooms:invitation", "timeout": "1h", "save": "inv-${i}"},
    {"after": "5m", "call": "cleanrooms:CreateMembership", "expect": "ok",
     "input": {"collaborationIdentifier": "${inv-${i}.id}", "queryLogStatus": "DISABLED"}},
    {"at": "1d", "call": "cleanrooms-ml:StartAudienceGenerationJob", "expect": "ok",
     "save": "j-${i}", "spec": "CR1",
     "input": {"name": "job", "configuredAudienceModelArn": "${cam.configuredAudienceModelArn}",
               "collaborationId": "${collab.collaboration.id}",
               "seedAudience": {"roleArn": "arn:aws:iam::${accounts.adv-${i}}:role/Member"}}},
    {"wait": {"call": "cleanrooms-ml:GetAudienceGenerationJob",
              "input": {"audienceGenerationJobArn": "${j-${i}.audienceGenerationJobArn}"},
              "until": {"status": "ACTIVE"}}, "every": "15m", "timeout": "1d", "spec": "CR3"},
]
scenario = {
    "scenario": f"cleanrooms-storm-{N}", "seed": 5, "start": "2026-03-02T08:00:00Z",
    "region": "us-east-1",
    # AWS allows 5 invited members per collaboration by default; the quota is
    # adjustable, and the storm raises it.
    "accounts": {B: {"alias": "owner", "roles": {"Member": {"policies": [member]}},
                     "quotas": {"cleanrooms:members-per-collaboration": N}}},
    "account_sets": [{"count": N, "first_id": "300000000000", "alias": "adv-${i}",
                      "account": {"roles": {"Member": {"policies": [member]}}}}],
    "actors": [{"name": "owner", "as": {"account": "owner", "role": "Member"}, "script": owner},
               {"name": "adv", "count": N,
                "as": "arn:aws:iam::${accounts.adv-${i}}:role/Member", "script": adv}],
    "expect": [{"spec": "CR7", "account": "owner",
                "lacks": {"eventName": "StartAudienceGenerationJob"}}],
}
json.dump(scenario, sys.stdout, indent=1)
print()
