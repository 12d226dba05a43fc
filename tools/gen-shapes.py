#!/usr/bin/env python3
"""Generate model/shapes_data.c from botocore's service models.

crossim validates API input the way the real services do: required members,
types, lengths, ranges, enums and patterns, with the real member names.  Those
facts come from the botocore service models installed on the developer's
machine; this script keeps only the operations crossim simulates and the input
shapes they reach, drops the documentation, and writes them as one compact JSON
string that model/shapes.c parses once at start.

Run it after adding an operation:  python3 tools/gen-shapes.py > model/shapes_data.c
"""
import gzip, json, os, sys

import botocore

# IAM action prefix -> (botocore service dir, operations simulated; None = all)
SERVICES = {
    "sts": ("sts", ["GetCallerIdentity", "AssumeRole"]),
    "iam": ("iam", ["GetRole", "ListRoles", "PutRolePolicy", "TagRole", "GetRolePolicy",
                     "ListRolePolicies", "CreateRole", "DeleteRolePolicy", "UntagRole",
                     "GetUser", "ListUsers", "CreatePolicy", "AttachRolePolicy", "PassRole"]),
    "ram": ("ram", None),
    "kms": ("kms", ["CreateKey", "PutKeyPolicy", "GetKeyPolicy", "DescribeKey", "Decrypt",
                     "GenerateDataKey", "Encrypt", "ListKeys", "CreateAlias", "ListAliases",
                     "CreateGrant", "ListGrants", "RetireGrant", "RevokeGrant"]),
    "s3": ("s3", ["CreateBucket", "PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy",
                   "PutObject", "GetObject", "HeadObject", "ListObjectsV2", "DeleteObject",
                   "ListBuckets"]),
    "sagemaker": ("sagemaker", [
        "CreateModelCard", "DescribeModelCard", "UpdateModelCard", "ListModelCards",
        "ListModelCardVersions", "DeleteModelCard", "CreateModelCardExportJob",
        "DescribeModelCardExportJob", "ListModelCardExportJobs",
        "CreateModelPackageGroup", "DescribeModelPackageGroup", "ListModelPackageGroups",
        "DeleteModelPackageGroup", "PutModelPackageGroupPolicy", "GetModelPackageGroupPolicy",
        "DeleteModelPackageGroupPolicy", "CreateModelPackage", "DescribeModelPackage",
        "ListModelPackages", "UpdateModelPackage", "DeleteModelPackage",
        "CreateModel", "DescribeModel", "DeleteModel", "CreateEndpointConfig",
        "DescribeEndpointConfig", "CreateEndpoint", "DescribeEndpoint", "DeleteEndpoint",
        "CreatePipeline", "UpdatePipeline", "DescribePipeline", "DeletePipeline", "ListPipelines",
        "StartPipelineExecution", "DescribePipelineExecution", "ListPipelineExecutions",
        "ListPipelineExecutionSteps", "StopPipelineExecution", "RetryPipelineExecution",
        "DescribePipelineDefinitionForExecution", "ListPipelineParametersForExecution",
        "CreateTrainingJob", "DescribeTrainingJob", "StopTrainingJob", "ListTrainingJobs",
        "CreateProcessingJob", "DescribeProcessingJob", "StopProcessingJob", "ListProcessingJobs",
        "CreateTransformJob", "DescribeTransformJob", "StopTransformJob", "ListTransformJobs",
        "CreateHyperParameterTuningJob", "DescribeHyperParameterTuningJob",
        "CreateDomain", "DescribeDomain", "ListDomains", "UpdateDomain", "DeleteDomain",
        "CreateUserProfile", "DescribeUserProfile", "ListUserProfiles", "DeleteUserProfile",
        "UpdateUserProfile", "CreateApp", "DescribeApp", "DeleteApp", "ListApps",
        "CreateSpace", "DescribeSpace", "DeleteSpace", "ListSpaces",
        "CreatePresignedDomainUrl", "AddTags", "ListTags", "DeleteTags", "Search"]),
    "sso": ("sso-admin", ["CreateApplicationAssignment", "DeleteApplicationAssignment",
                          "DescribeApplicationAssignment", "ListApplicationAssignments",
                          "ListApplicationAssignmentsForPrincipal", "ListInstances"]),
    "cleanrooms-ml": ("cleanroomsml", None),
    "cleanrooms": ("cleanrooms", [
        "CreateCollaboration", "GetCollaboration", "ListCollaborations", "DeleteCollaboration",
        "ListMembers", "DeleteMember", "CreateMembership", "GetMembership", "ListMemberships",
        "DeleteMembership", "UpdateMembership",
        "CreateConfiguredAudienceModelAssociation", "GetConfiguredAudienceModelAssociation",
        "ListConfiguredAudienceModelAssociations", "DeleteConfiguredAudienceModelAssociation"]),
}

KEEP = ("type", "required", "min", "max", "pattern", "enum", "sensitive")


def load(svc):
    base = os.path.join(os.path.dirname(botocore.__file__), "data", svc)
    ver = sorted(os.listdir(base))[-1]
    for name in ("service-2.json.gz", "service-2.json"):
        p = os.path.join(base, ver, name)
        if os.path.exists(p):
            op = gzip.open if p.endswith(".gz") else open
            with op(p, "rt") as f:
                return json.load(f)
    raise SystemExit(f"no model for {svc}")


def trim(model, name, out):
    if name in out:
        return
    s = model["shapes"][name]
    t = {k: s[k] for k in KEEP if k in s}
    out[name] = t
    if s["type"] == "structure":
        mem = {}
        for m, ref in s.get("members", {}).items():
            r = {"s": ref["shape"]}
            loc = ref.get("location")
            if loc in ("header", "headers", "querystring", "uri"):
                r["loc"] = loc
            mem[m] = r
            trim(model, ref["shape"], out)
        t["members"] = mem
    elif s["type"] == "list":
        t["member"] = s["member"]["shape"]
        trim(model, s["member"]["shape"], out)
    elif s["type"] == "map":
        t["key"] = s["key"]["shape"]
        t["value"] = s["value"]["shape"]
        trim(model, s["key"]["shape"], out)
        trim(model, s["value"]["shape"], out)


def main():
    doc = {}
    for prefix, (svc, ops) in SERVICES.items():
        model = load(svc)
        md = model["metadata"]
        names = ops if ops is not None else sorted(model["operations"])
        entry = {"protocol": md["protocol"], "ops": {}, "shapes": {}}
        for op in names:
            if op not in model["operations"]:
                if op == "PassRole":      # an IAM action with no API operation
                    continue
                raise SystemExit(f"{prefix}:{op} is not in the {svc} model")
            o = model["operations"][op]
            e = {"errors": [x["shape"] for x in o.get("errors", [])]}
            if "input" in o:
                e["in"] = o["input"]["shape"]
                trim(model, o["input"]["shape"], entry["shapes"])
            entry["ops"][op] = e
        doc[prefix] = entry
    text = json.dumps(doc, separators=(",", ":"))
    print("/* model/shapes_data.c: GENERATED by tools/gen-shapes.py from botocore's")
    print(" * service models (botocore %s). Do not edit; rerun the script. */" % botocore.__version__)
    print('#include "model/shapes.h"\n')
    print("const char shapes_json[] =")
    for i in range(0, len(text), 100):
        chunk = text[i:i + 100].replace("\\", "\\\\").replace('"', '\\"')
        print('  "%s"' % chunk)
    print(";")


if __name__ == "__main__":
    main()
