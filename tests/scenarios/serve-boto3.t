#!/usr/bin/env python3
# tests/scenarios/serve-boto3.t: boto3 against `crossim serve` (SV1-SV3),
# seed 004's cross-account lookalike job: the model owner (B) trains and
# configures an audience model and associates it with a collaboration; the
# advertiser (A) joins and starts an audience generation job on B's model.
# The job has two ARNs, one per account; each reads it through its own only.
# A denied call raises botocore's ClientError with AWS's code and message; a
# wrong secret raises the signature error (on any boto3; seed 004 itself
# needs one that knows Clean Rooms ML, else it is reported as skipped).
# TAP on stdout; loopback only;
# every wait bounded.
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

PLAN = 14
print(f"1..{PLAN}")
try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError as e:     # make deps installs python3-boto3
    for i in range(PLAN):
        print(f"ok {i + 1} # SKIP no boto3 ({e}); make deps installs python3-boto3")
    sys.exit(0)

n = 0
failed = False


def check(name, cond, detail=""):
    global n, failed
    n += 1
    print(f"{'ok' if cond else 'not ok'} {n} - {name}")
    if not cond:
        failed = True
        for line in str(detail).splitlines():
            print(f"# {line}")


crossim = os.environ.get("CROSSIM", "build/crossim")
tmp = tempfile.mkdtemp()
out = os.path.join(tmp, "out")
proc = subprocess.Popen([crossim, "serve", "scenarios/cleanrooms-cross-account-job.json",
                         "--no-actors", "--listen", "127.0.0.1:0", "--out", out, "--quiet"],
                        stdout=subprocess.PIPE, text=True)
line = proc.stdout.readline()
m = re.match(r"crossim serve: listening on (http://127\.0\.0\.1:\d+)$", line.strip())
endpoint = m.group(1) if m else None


def control(path):
    req = urllib.request.Request(endpoint + path, method="POST")
    return json.loads(urllib.request.urlopen(req, timeout=5).read())


def client(service, profile=None, key=None, secret=None):
    session = boto3.session.Session(profile_name=profile, aws_access_key_id=key,
                                    aws_secret_access_key=secret, region_name="us-west-2")
    return session.client(service, endpoint_url=endpoint,
                          config=Config(retries={"max_attempts": 1}, connect_timeout=5,
                                        read_timeout=20))


def error_of(fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    return None, None




def common():
    """Services every boto3 has: the authentication answers and a denial."""
    check("serve starts on a loopback port", endpoint is not None, line)
    if endpoint is None:
        raise RuntimeError("crossim serve did not start")
    bad = client("sagemaker", key="111111111111", secret="not-the-secret")
    code, msg = error_of(bad.list_domains)
    check("a wrong secret raises ClientError InvalidSignatureException (json protocol) [SV2]",
          code == "InvalidSignatureException" and "signature" in msg, (code, msg))
    root = client("sts", key="111111111111", secret="test")
    who = root.get_caller_identity()
    check("a 12-digit key with the documented secret is that account's root [SV2]",
          who["Arn"] == "arn:aws:iam::111111111111:root", who)
    marketer = client("sts", "advertiser-Marketer")
    code, msg = error_of(marketer.assume_role, RoleArn="arn:aws:iam::222222222222:role/MLAdmin",
                         RoleSessionName="try")
    check("a call IAM refuses raises ClientError AccessDenied with AWS's message [SV3]",
          code == "AccessDenied" and msg.startswith(
              "User: arn:aws:sts::111111111111:assumed-role/Marketer/crossim is not authorized "
              "to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/MLAdmin"),
          (code, msg))
    return who["ResponseMetadata"]["RequestId"]


def seed004():
    """Seed 004's lookalike job (8 checks)."""
    owner_cr = client("cleanrooms", "model-owner-MLAdmin")
    owner_ml = client("cleanroomsml", "model-owner-MLAdmin")
    adv_cr = client("cleanrooms", "advertiser-Marketer")
    adv_ml = client("cleanroomsml", "advertiser-Marketer")

    collab = owner_cr.create_collaboration(
        name="lookalike-2026", description="Advertiser seeds, publisher model",
        creatorDisplayName="publisher", creatorMemberAbilities=["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
        members=[{"accountId": "111111111111", "displayName": "advertiser",
                  "memberAbilities": ["CAN_QUERY"]}],
        queryLogStatus="DISABLED")["collaboration"]
    owner_ms = owner_cr.create_membership(collaborationIdentifier=collab["id"],
                                          queryLogStatus="DISABLED")["membership"]
    ds = owner_ml.create_training_dataset(
        name="clicks-2025", roleArn="arn:aws:iam::222222222222:role/MLAdmin",
        trainingData=[{"type": "INTERACTIONS", "inputConfig": {
            "schema": [{"columnName": "user_id", "columnTypes": ["USER_ID"]},
                       {"columnName": "item_id", "columnTypes": ["ITEM_ID"]},
                       {"columnName": "ts", "columnTypes": ["TIMESTAMP"]}],
            "dataSource": {"glueDataSource": {"databaseName": "interactions_db",
                                              "tableName": "clicks"}}}}])
    am = owner_ml.create_audience_model(name="clicks-model",
                                        trainingDatasetArn=ds["trainingDatasetArn"])
    status = None
    for _ in range(48):       # training takes simulated hours: jump ahead, bounded
        status = owner_ml.get_audience_model(audienceModelArn=am["audienceModelArn"])["status"]
        if status == "ACTIVE":
            break
        control("/_crossim/advance?by=30m")
    check("the owner's audience model becomes ACTIVE as simulated time is advanced [CR1]",
          status == "ACTIVE", status)
    cam = owner_ml.create_configured_audience_model(
        name="publisher-lookalike", audienceModelArn=am["audienceModelArn"],
        outputConfig={"destination": {"s3Destination": {"s3Uri": "s3://publisher-audiences/out/"}},
                      "roleArn": "arn:aws:iam::222222222222:role/MLAdmin"},
        sharedAudienceMetrics=["ALL"], minMatchingSeedSize=25,
        childResourceTagOnCreatePolicy="FROM_PARENT_RESOURCE", tags={"team": "publisher-ml"})
    cam_arn = cam["configuredAudienceModelArn"]
    owner_cr.create_configured_audience_model_association(
        membershipIdentifier=owner_ms["id"], configuredAudienceModelArn=cam_arn,
        configuredAudienceModelAssociationName="publisher-lookalike", manageResourcePolicies=True)
    policy = owner_ml.get_configured_audience_model_policy(configuredAudienceModelArn=cam_arn)
    check("manageResourcePolicies wrote the CAM's resource policy naming the advertiser [CR3]",
          "111111111111" in policy.get("configuredAudienceModelPolicy", ""), policy)

    control("/_crossim/advance?by=10m")
    adv_cr.create_membership(collaborationIdentifier=collab["id"], queryLogStatus="DISABLED")
    seed = {"dataSource": {"s3Uri": "s3://advertiser-seeds/q1/seed.csv"},
            "roleArn": "arn:aws:iam::111111111111:role/Marketer"}
    code, msg = error_of(adv_ml.start_audience_generation_job, name="lookalike-q1",
                         configuredAudienceModelArn=cam_arn, seedAudience=seed)
    check("without collaborationId the job is refused: ClientError AccessDeniedException [CR4]",
          code == "AccessDeniedException" and msg, (code, msg))
    job = adv_ml.start_audience_generation_job(
        name="lookalike-q1", configuredAudienceModelArn=cam_arn, collaborationId=collab["id"],
        includeSeedInOutput=False, seedAudience=seed, tags={"campaign": "q1"})
    a_arn = job["audienceGenerationJobArn"]
    check("start_audience_generation_job answers the advertiser's own ARN [CR5]",
          a_arn.startswith("arn:aws:cleanrooms-ml:us-west-2:111111111111:audience-generation-job/"),
          a_arn)
    b_jobs = owner_ml.list_audience_generation_jobs()["audienceGenerationJobs"]
    b_arn = b_jobs[0]["audienceGenerationJobArn"] if b_jobs else ""
    check("the owner lists the same job under its own ARN [CR5]",
          b_arn.startswith("arn:aws:cleanrooms-ml:us-west-2:222222222222:audience-generation-job/")
          and b_arn != a_arn, b_jobs)
    code, _ = error_of(owner_ml.get_audience_generation_job, audienceGenerationJobArn=a_arn)
    check("the owner cannot read it through the advertiser's ARN [CR5]",
          code == "AccessDeniedException", code)
    got = adv_ml.get_audience_generation_job(audienceGenerationJobArn=a_arn)
    check("the advertiser reads it through its own ARN, with its name",
          got["audienceGenerationJobArn"] == a_arn and got["name"] == "lookalike-q1", got)

    control("/_crossim/advance?by=20m")
    with open(os.path.join(out, "trail", "111111111111.jsonl")) as f:
        lines = f.read().splitlines()
    starts = [json.loads(l) for l in lines if '"StartAudienceGenerationJob"' in l]
    # Records reach the log in delivery order, which need not be call order.
    check("A's trail holds both its StartAudienceGenerationJob calls from boto3, one denied [CR7]",
          len(starts) == 2 and sum("errorCode" in r for r in starts) == 1
          and all(r["userAgent"].startswith("Boto3/") for r in starts), starts or lines[-3:])


SEED004_CHECKS = 8
rid = None
try:
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(out, "credentials")
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        os.environ.pop(k, None)
    rid = common()
    # Debian 12's python3-boto3 predates Clean Rooms ML: say so, never pass it.
    missing = {"cleanrooms", "cleanroomsml"} - set(boto3.session.Session().get_available_services())
    if missing:
        for _ in range(SEED004_CHECKS):
            n += 1
            print(f"ok {n} # SKIP seed 004: this boto3 ({boto3.__version__}) has no "
                  f"{', '.join(sorted(missing))} model")
    else:
        seed004()
    control("/_crossim/advance?by=20m")
    with open(os.path.join(out, "trail", "111111111111.jsonl")) as f:
        lines = f.read().splitlines()
    check("the record's requestID is the one the answer carried [SV3]",
          any(rid in l and '"GetCallerIdentity"' in l for l in lines), rid)
    control("/_crossim/shutdown")
    rc = proc.wait(timeout=30)
    check("POST /_crossim/shutdown ends serve with status 0", rc == 0, rc)
    endpoint = None
except Exception as e:      # an unexpected answer: the rest of the plan fails
    import traceback
    for l in traceback.format_exc().splitlines():
        print(f"# {l}")
    while n < PLAN:
        check(f"not reached ({type(e).__name__})", False)
finally:
    try:
        if endpoint:
            control("/_crossim/shutdown")
        proc.wait(timeout=15)
    except Exception:
        proc.kill()
    subprocess.run(["rm", "-rf", tmp])
sys.exit(0)
