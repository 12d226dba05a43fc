#!/usr/bin/env python3
"""Generate the pipeline scenarios (scenarios/pipeline-*.json).

A pipeline definition travels as a JSON string inside CreatePipeline's
PipelineDefinition member, which is painful to edit by hand; this script
builds the definitions as Python data and writes each scenario file.  Run it
from the source tree after changing a scenario here:

    python3 tools/gen-pipeline-scenarios.py            # every scenario
    python3 tools/gen-pipeline-scenarios.py pipeline-roles
"""
import base64, json, sys

ACCT="111111111111"
REGION="us-west-2"
def policy(*stmts): return {"Version":"2012-10-17","Statement":list(stmts)}
def allow(action, resource="*", cond=None):
    s={"Effect":"Allow","Action":action,"Resource":resource}
    if cond: s["Condition"]=cond
    return s
def deny(action, resource="*", cond=None):
    s={"Effect":"Deny","Action":action,"Resource":resource}
    if cond: s["Condition"]=cond
    return s
SM_TRUST=policy({"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"})
def role_arn(name, acct=ACCT): return f"arn:aws:iam::{acct}:role/{name}"
def pass_role(*names, acct=ACCT):
    return allow("iam:PassRole",[role_arn(n,acct) for n in names],{"StringEquals":{"iam:PassedToService":"sagemaker.amazonaws.com"}})
def definition(steps, params=None):
    d={"Version":"2020-12-01","Metadata":{},"Parameters":params or [],
       "PipelineExperimentConfig":{"ExperimentName":{"Get":"Execution.PipelineName"},"TrialName":{"Get":"Execution.PipelineExecutionId"}},
       "Steps":steps}
    return json.dumps(d, separators=(",",":"))
def training_args(itype="ml.m5.xlarge", role=None, name=None, out="s3://ml-artifacts-111/models"):
    a={"AlgorithmSpecification":{"TrainingImage":"683313688378.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.7-1","TrainingInputMode":"File"},
       "OutputDataConfig":{"S3OutputPath":out},
       "ResourceConfig":{"InstanceType":itype,"InstanceCount":1,"VolumeSizeInGB":30},
       "StoppingCondition":{"MaxRuntimeInSeconds":86400}}
    if role: a["RoleArn"]=role
    if name: a["TrainingJobName"]=name
    return a
def processing_args(itype="ml.m5.xlarge", role=None, name=None, outputs=None):
    a={"ProcessingResources":{"ClusterConfig":{"InstanceType":itype,"InstanceCount":1,"VolumeSizeInGB":30}},
       "AppSpecification":{"ImageUri":"246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"}}
    if outputs:
        a["ProcessingOutputConfig"]={"Outputs":[{"OutputName":o,"S3Output":{"S3Uri":u,"LocalPath":"/opt/ml/processing/"+o,"S3UploadMode":"EndOfJob"}} for o,u in outputs]}
    if role: a["RoleArn"]=role
    if name: a["ProcessingJobName"]=name
    return a
TOKEN="crossim-pipeline-token-0000000000000"
def write(path, obj):
    with open(path,"w") as f:
        json.dump(obj,f,indent=2); f.write("\n")

def scenario_retries():
    EXEC="PipelineExecutionRole"
    steps=[
     {"Name":"TrainModel","Type":"Training","Arguments":training_args("ml.p3.2xlarge"),
      "RetryPolicies":[{"ExceptionType":["SageMaker.CAPACITY_ERROR"],"IntervalSeconds":60,"BackoffRate":2.0,"MaxAttempts":10}]},
     {"Name":"PrepareFeatures","Type":"Processing","Arguments":processing_args("ml.m5.xlarge"),
      "RetryPolicies":[{"ExceptionType":["SageMaker.RESOURCE_LIMIT"],"IntervalSeconds":30,"BackoffRate":1.5,"MaxAttempts":2}]},
    ]
    sc={
     "scenario":"pipeline-retries",
     "description":"P8: a training step whose job keeps failing with CapacityError (one ml.p3.2xlarge in the account, held by another job for 21 minutes) retries with backoff (60s, 120s, 240s, ...) until it gets the instance; a processing step whose job creation hits the account's 'ml.m5.xlarge for processing job usage' quota (0) retries twice and fails. Every attempt is a new job whose name ends in the attempt's failure count.",
     "seed":21,"start":"2026-03-02T08:00:00Z","region":REGION,
     "jobs":{"training":{"duration":{"fixed":"20m"}},"processing":{"duration":{"fixed":"5m"}},
             "capacity":{"ml.p3.2xlarge":1}},
     "accounts":{ACCT:{"alias":"ml-prod",
       "roles":{
         "DataScientist":{"policies":[policy(allow("sagemaker:*"), pass_role(EXEC))]},
         EXEC:{"trust":SM_TRUST,"policies":[policy(
            allow(["sagemaker:CreateTrainingJob","sagemaker:DescribeTrainingJob","sagemaker:CreateProcessingJob","sagemaker:DescribeProcessingJob"]),
            pass_role(EXEC), allow("s3:GetObject","arn:aws:s3:::ml-artifacts-111/*"))]}},
       "buckets":{"ml-artifacts-111":{}},
       "quotas":{"sagemaker:ml.m5.xlarge for processing job usage":0}}},
     "actors":[{"name":"ds","as":{"account":"ml-prod","role":"DataScientist"},"script":[
       {"at":"0s","call":"sagemaker:CreateTrainingJob","note":"another team's job holds the account's only ml.p3.2xlarge for 21 minutes (1m provisioning + 20m)",
        "input":dict(training_args("ml.p3.2xlarge", role=role_arn(EXEC)), TrainingJobName="other-team-training"),"expect":"ok"},
       {"after":"10s","call":"sagemaker:CreatePipeline","input":{"PipelineName":"churn-train","RoleArn":role_arn(EXEC),
          "ClientRequestToken":TOKEN+"01","PipelineDefinition":definition(steps)},"expect":"ok","spec":"P1"},
       {"after":"10s","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"churn-train","ClientRequestToken":TOKEN+"02"},
        "save":"ex","expect":"ok"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${ex.PipelineExecutionArn}"},"timeout":"3h","save":"done",
        "expect_output":None},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${ex.PipelineExecutionArn}"},
        "expect_output":{"PipelineExecutionStatus":"Failed","FailureReason":"*PrepareFeatures*ResourceLimitExceeded*"},"spec":"P8"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${ex.PipelineExecutionArn}","SortOrder":"Ascending"},
        "spec":["P7","P8"],"note":"training: attempts at 21s, 2m21s, 5m21s, 10m21s, 19m21s (each failing at provisioning while the other job holds the instance) and 36m21s, which gets it: 6 attempts. Processing: 1 attempt + MaxAttempts 2 retries = 3.",
        "expect_output":{"PipelineExecutionSteps[0].StepName":"TrainModel","PipelineExecutionSteps[0].StepStatus":"Succeeded",
           "PipelineExecutionSteps[0].AttemptCount":6,
           "PipelineExecutionSteps[0].Metadata.TrainingJob.Arn":"arn:aws:sagemaker:us-west-2:111111111111:training-job/pipelines-*-TrainModel-*-5",
           "PipelineExecutionSteps[1].StepName":"PrepareFeatures","PipelineExecutionSteps[1].StepStatus":"Failed",
           "PipelineExecutionSteps[1].AttemptCount":3,"PipelineExecutionSteps[1].FailureReason":"ResourceLimitExceeded: *"}},
       {"call":"sagemaker:DescribeTrainingJob","input":{"TrainingJobName":"other-team-training"},"expect_output":{"TrainingJobStatus":"Completed"}},
     ]}],
     "expect":[
       {"account":"ml-prod","spec":"P8","note":"the first attempt's job ends in failure count 0",
        "sees":{"eventName":"CreateTrainingJob","requestParameters.trainingJobName":"pipelines-*-TrainModel-*-0","errorCode":None}},
       {"account":"ml-prod","spec":"P8","note":"each capacity retry is a new job named with the new count",
        "count":{"of":{"eventName":"CreateTrainingJob","requestParameters.trainingJobName":"pipelines-*-TrainModel-*","errorCode":None},"min":6,"max":6}},
       {"account":"ml-prod","spec":"P8","sees":{"eventName":"CreateTrainingJob","requestParameters.trainingJobName":"pipelines-*-TrainModel-*-5"}},
       {"account":"ml-prod","spec":"P8","note":"MaxAttempts 2: the third attempt is the last",
        "count":{"of":{"eventName":"CreateProcessingJob","errorCode":"ResourceLimitExceeded"},"min":3,"max":3}},
       {"account":"ml-prod","spec":"P8","sees":{"eventName":"CreateProcessingJob","requestParameters.processingJobName":"pipelines-*-PrepareFeatures-*-2"}},
       {"account":"ml-prod","spec":"P8","lacks":{"eventName":"CreateProcessingJob","requestParameters.processingJobName":"pipelines-*-PrepareFeatures-*-3"}},
       {"account":"ml-prod","spec":["P3","L1"],"note":"the pipeline creates its jobs as a session of its execution role, invoked by SageMaker",
        "sees":{"eventName":"CreateTrainingJob","userIdentity.type":"AssumedRole","userIdentity.invokedBy":"sagemaker.amazonaws.com",
                "userIdentity.sessionContext.sessionIssuer.arn":role_arn(EXEC),"sourceIPAddress":"sagemaker.amazonaws.com"}},
     ]}
    # drop None expect_output
    for a in sc["actors"]:
        for st in a["script"]:
            if "expect_output" in st and st["expect_output"] is None: del st["expect_output"]
    return sc


def scenario_prefix():
    EXEC="PrefixedPipelineRole"
    def steps(prefix=None, tuning_prefix=None):
        s=[{"Name":"PrepareData","Type":"Processing","Arguments":processing_args("ml.m5.xlarge", name=prefix)},
           {"Name":"TrainModel","Type":"Training","DependsOn":["PrepareData"],"Arguments":training_args("ml.m5.xlarge", name=prefix)}]
        return s
    tuning_args={"HyperParameterTuningJobConfig":{"Strategy":"Bayesian","ResourceLimits":{"MaxNumberOfTrainingJobs":4,"MaxParallelTrainingJobs":2}},
      "TrainingJobDefinition":{"AlgorithmSpecification":{"TrainingImage":"683313688378.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.7-1","TrainingInputMode":"File"},
        "RoleArn":role_arn(EXEC),"OutputDataConfig":{"S3OutputPath":"s3://ml-artifacts-111/tuning"},
        "ResourceConfig":{"InstanceType":"ml.m5.xlarge","InstanceCount":1,"VolumeSizeInGB":30},"StoppingCondition":{"MaxRuntimeInSeconds":3600}}}
    def tuning_steps(prefix):
        a=dict(tuning_args); a["HyperParameterTuningJobName"]=prefix
        return [{"Name":"Tune","Type":"Tuning","Arguments":a}]
    P5_RESOURCE="arn:aws:sagemaker:us-west-2:111111111111:*/MyBaseJobName-*"
    sc={
     "scenario":"pipeline-job-prefix",
     "description":"Seed 002, custom job-name prefixes (P4-P6): the execution role may create training and processing jobs only under MyBaseJobName-*. Without the custom prefix the step's job is named pipelines-<executionId>-<step>-<token>-<count> and denied, and the step fails with that error; after UpdatePipeline keeps TrainingJobName/ProcessingJobName in the definition, later executions name their jobs MyBaseJobName-<executionId>-<token>-<count> and succeed, while an execution already running keeps the definition it started with. Prefixes longer than 38 characters (6 for tuning steps) are refused when the definition is created.",
     "seed":5,"start":"2026-03-03T10:00:00Z","region":REGION,
     "jobs":{"training":{"duration":{"fixed":"15m"}},"processing":{"duration":{"fixed":"5m"}},"tuning":{"duration":{"fixed":"30m"}}},
     "accounts":{ACCT:{"alias":"ml-prod",
       "roles":{
         "DataScientist":{"policies":[policy(allow("sagemaker:*"), pass_role(EXEC))]},
         EXEC:{"trust":SM_TRUST,"policies":[policy(
            allow("sagemaker:CreateTrainingJob", P5_RESOURCE),
            allow("sagemaker:CreateProcessingJob"),
            allow(["sagemaker:DescribeTrainingJob","sagemaker:DescribeProcessingJob","sagemaker:CreateHyperParameterTuningJob","sagemaker:DescribeHyperParameterTuningJob"]),
            pass_role(EXEC))]}},
       "buckets":{"ml-artifacts-111":{}}}},
     "actors":[{"name":"ds","as":{"account":"ml-prod","role":"DataScientist"},"script":[
       {"at":"0s","call":"sagemaker:CreatePipeline","input":{"PipelineName":"MyJobPrefixedPipeline","RoleArn":role_arn(EXEC),
          "ClientRequestToken":TOKEN+"01","PipelineDefinition":definition(steps())},"expect":"ok","spec":"P1"},
       {"after":"10s","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"MyJobPrefixedPipeline","ClientRequestToken":TOKEN+"02"},
        "save":"before","expect":"ok","note":"starts with the prefix off"},
       {"after":"1m","call":"sagemaker:UpdatePipeline","spec":"P4","note":"39 characters: over the limit of 38 for training and processing steps",
        "input":{"PipelineName":"MyJobPrefixedPipeline","PipelineDefinition":definition(steps("MyBaseJobName-and-a-far-too-long-suffix"))},
        "expect":"ValidationException"},
       {"after":"10s","call":"sagemaker:UpdatePipeline","spec":"P6","note":"turns the custom prefix on while the first execution is still preparing data",
        "input":{"PipelineName":"MyJobPrefixedPipeline","PipelineDefinition":definition(steps("MyBaseJobName"))},
        "expect_output":{"PipelineVersionId":2}},
       {"after":"10s","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"MyJobPrefixedPipeline","ClientRequestToken":TOKEN+"03"},
        "save":"after","expect":"ok"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${before.PipelineExecutionArn}"},"timeout":"2h"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${before.PipelineExecutionArn}","SortOrder":"Ascending"},
        "spec":["P5","P6","P7"],"note":"the running execution kept the definition it started with: its training step, which starts after the update, still names its job pipelines-..., and only MyBaseJobName-* training jobs are allowed",
        "expect_output":{"PipelineExecutionSteps[0].StepName":"PrepareData","PipelineExecutionSteps[0].StepStatus":"Succeeded",
          "PipelineExecutionSteps[0].Metadata.ProcessingJob.Arn":"arn:aws:sagemaker:us-west-2:111111111111:processing-job/pipelines-*-PrepareData-*-0",
          "PipelineExecutionSteps[1].StepName":"TrainModel","PipelineExecutionSteps[1].StepStatus":"Failed",
          "PipelineExecutionSteps[1].FailureReason":"AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role/PrefixedPipelineRole/SageMaker is not authorized to perform: sagemaker:CreateTrainingJob on resource: arn:aws:sagemaker:us-west-2:111111111111:training-job/pipelines-*-TrainModel-*-0 *",
          "PipelineExecutionSteps[1].AttemptCount":1}},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${before.PipelineExecutionArn}"},
        "expect_output":{"PipelineExecutionStatus":"Failed","PipelineVersionId":1},"spec":"P5"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${after.PipelineExecutionArn}"},"timeout":"2h"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${after.PipelineExecutionArn}","SortOrder":"Ascending"},
        "spec":["P4","P6","P7"],
        "expect_output":{"PipelineExecutionSteps[0].StepStatus":"Succeeded",
          "PipelineExecutionSteps[0].Metadata.ProcessingJob.Arn":"arn:aws:sagemaker:us-west-2:111111111111:processing-job/MyBaseJobName-*-0",
          "PipelineExecutionSteps[1].StepName":"TrainModel","PipelineExecutionSteps[1].StepStatus":"Succeeded",
          "PipelineExecutionSteps[1].Metadata.TrainingJob.Arn":"arn:aws:sagemaker:us-west-2:111111111111:training-job/MyBaseJobName-*-0"}},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${after.PipelineExecutionArn}"},
        "expect_output":{"PipelineExecutionStatus":"Succeeded","PipelineVersionId":2}},
       {"call":"sagemaker:DescribePipelineDefinitionForExecution","input":{"PipelineExecutionArn":"${after.PipelineExecutionArn}"},
        "spec":"P6","expect_output":{"PipelineDefinition":"*\"TrainingJobName\":\"MyBaseJobName\"*"}},
       {"call":"sagemaker:CreatePipeline","spec":"P4","note":"tuning steps: 7 characters is over the limit of 6",
        "input":{"PipelineName":"TuningPipeline","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"04","PipelineDefinition":definition(tuning_steps("TuneXGB"))},
        "expect":"ValidationException"},
       {"call":"sagemaker:CreatePipeline","spec":"P4",
        "input":{"PipelineName":"TuningPipeline","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"05","PipelineDefinition":definition(tuning_steps("TunXGB"))},
        "expect":"ok"},
       {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"TuningPipeline","ClientRequestToken":TOKEN+"06"},"save":"tune","expect":"ok"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${tune.PipelineExecutionArn}"},"timeout":"2h"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${tune.PipelineExecutionArn}"},"spec":"P4",
        "note":"a tuning job name is at most 32 characters: TunXGB-<12>-<8>-0 is 30",
        "expect_output":{"PipelineExecutionSteps[0].StepStatus":"Succeeded",
          "PipelineExecutionSteps[0].Metadata.TuningJob.Arn":"arn:aws:sagemaker:us-west-2:111111111111:hyper-parameter-tuning-job/TunXGB-*-0"}},
     ]}],
     "expect":[
       {"account":"ml-prod","spec":"P5","note":"without the prefix the job is denied, in the trail as the execution role's call",
        "sees":{"eventName":"CreateTrainingJob","errorCode":"AccessDeniedException","requestParameters.trainingJobName":"pipelines-*-TrainModel-*-0",
                "userIdentity.sessionContext.sessionIssuer.arn":role_arn(EXEC),"userIdentity.invokedBy":"sagemaker.amazonaws.com"}},
       {"account":"ml-prod","spec":"P5","sees":{"eventName":"CreateTrainingJob","errorCode":None,"requestParameters.trainingJobName":"MyBaseJobName-*-*-0"}},
       {"account":"ml-prod","spec":"P5","note":"a denied step is not retried",
        "count":{"of":{"eventName":"CreateTrainingJob","requestParameters.trainingJobName":"pipelines-*"},"min":1,"max":1}},
       {"account":"ml-prod","spec":"P4","sees":{"eventName":"UpdatePipeline","errorCode":"ValidationException","errorMessage":"*prefix 'MyBaseJobName-and-a-far-too-long-suffix' is 39 characters long; the limit for Processing steps is 38."}},
     ]}
    return sc


def scenario_roles():
    MGMT="100000000000"
    JOB_ACTIONS=["sagemaker:CreateTrainingJob","sagemaker:DescribeTrainingJob","sagemaker:CreateProcessingJob",
                 "sagemaker:DescribeProcessingJob","sagemaker:CreateTransformJob","sagemaker:DescribeTransformJob"]
    def exec_policy(passable):
        return policy(allow(JOB_ACTIONS), pass_role(*passable), allow("s3:GetObject","arn:aws:s3:::ml-eval-111/*"))
    EVAL_URI="s3://ml-eval-111/eval"
    def gate_steps(step_role=None):
        ev=processing_args("ml.m5.xlarge", outputs=[("evaluation", EVAL_URI)])
        tr=training_args("ml.m5.xlarge", role=step_role)
        if step_role:
            tr["InputDataConfig"]=[{"ChannelName":"train","DataSource":{"S3DataSource":{"S3DataType":"S3Prefix","S3Uri":"s3://ml-eval-111/train/"}}}]
        transform={"ModelName":"churn-model","TransformInput":{"DataSource":{"S3DataSource":{"S3DataType":"S3Prefix","S3Uri":"s3://ml-eval-111/batch-in"}}},
                   "TransformOutput":{"S3OutputPath":"s3://ml-eval-111/batch-out"},
                   "TransformResources":{"InstanceType":"ml.m5.xlarge","InstanceCount":1}}
        return [
         {"Name":"Evaluate","Type":"Processing","Arguments":ev,
          "PropertyFiles":[{"PropertyFileName":"EvalReport","OutputName":"evaluation","FilePath":"evaluation.json"}]},
         {"Name":"Train","Type":"Training","Arguments":tr},
         {"Name":"CheckAccuracy","Type":"Condition","DependsOn":["Train"],"Arguments":{
            "Conditions":[{"Type":"GreaterThanOrEqualTo",
              "LeftValue":{"Std:JsonGet":{"PropertyFile":{"Get":"Steps.Evaluate.PropertyFiles.EvalReport"},"Path":"metrics.accuracy"}},
              "RightValue":{"Get":"Parameters.MinAccuracy"}}],
            "IfSteps":[{"Name":"BatchScore","Type":"Transform","Arguments":transform}],
            "ElseSteps":[{"Name":"AccuracyTooLow","Type":"Fail","Arguments":{"ErrorMessage":{"Std:Join":{"On":" ","Values":["Accuracy below",{"Get":"Parameters.MinAccuracy"}]}}}}]}},
        ]
    PARAMS=[{"Name":"MinAccuracy","Type":"Float","DefaultValue":0.8}]
    SCP=policy(deny("s3:*","*",{"StringNotEquals":{"aws:SourceVpc":"vpc-0a1b2c3d4e5f67890","aws:PrincipalTag/pipelines-s3-exempt":"true"}}))
    body=base64.b64encode(json.dumps({"metrics":{"accuracy":0.91}}).encode()).decode()
    def create(name, role, token, steps=None, expect="ok", spec=None, note=None, as_=None):
        st={"call":"sagemaker:CreatePipeline","input":{"PipelineName":name,"RoleArn":role_arn(role),"ClientRequestToken":TOKEN+token,
            "PipelineDefinition":definition(steps or gate_steps(), PARAMS)},"expect":expect}
        if spec: st["spec"]=spec
        if note: st["note"]=note
        if as_: st["as"]=as_
        return st
    def start(name, token, save, params=None):
        i={"PipelineName":name,"ClientRequestToken":TOKEN+token}
        if params: i["PipelineParameters"]=params
        return {"after":"5s","call":"sagemaker:StartPipelineExecution","input":i,"save":save,"expect":"ok"}
    def wait(save): return {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${%s.PipelineExecutionArn}"%save},"timeout":"3h"}
    def steps_of(save, out, spec, note=None):
        st={"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${%s.PipelineExecutionArn}"%save,"SortOrder":"Ascending"},
            "spec":spec,"expect_output":out}
        if note: st["note"]=note
        return st
    def status(save, s, spec=None, extra=None):
        o={"PipelineExecutionStatus":s}
        if extra: o.update(extra)
        st={"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${%s.PipelineExecutionArn}"%save},"expect_output":o}
        if spec: st["spec"]=spec
        return st
    S="PipelineExecutionSteps"
    sc={
     "scenario":"pipeline-roles",
     "description":"Seed 002, pipeline roles (P1-P3, P9): creating a pipeline needs iam:PassRole on its execution role; the execution role needs iam:PassRole on a role a step names; a step runs its job with the role it names, else with the execution role; an SCP limiting S3 to a VPC blocks the Std:JsonGet read of a Condition step unless the execution role carries the exempting tag. Also: parameters with defaults and overrides, Condition branches, a Fail step, and RetryPipelineExecution refused after a Fail step.",
     "seed":9,"start":"2026-03-04T09:00:00Z","region":REGION,
     "jobs":{"training":{"duration":{"fixed":"10m"}},"processing":{"duration":{"fixed":"5m"}},"transform":{"duration":{"fixed":"5m"}}},
     "organization":{"id":"o-a1b2c3d4e5","management":MGMT,"accounts":[ACCT],
       "scps":{"DenyS3OutsideVpc":{"policy":SCP,"targets":[ACCT],"description":"S3 only through the VPC, unless the principal is tagged pipelines-s3-exempt=true"}}},
     "accounts":{
       MGMT:{"alias":"management"},
       ACCT:{"alias":"ml-prod",
       "trail":{"data_events":["AWS::S3::Object"]},
       "roles":{
         "DataScientist":{"policies":[policy(allow("sagemaker:*"), pass_role("ExecTagged","ExecUntagged","ExecNoStepPass"), allow("s3:PutObject","arn:aws:s3:::ml-eval-111/*"))]},
         "Intern":{"policies":[policy(allow("sagemaker:*"))]},
         "ExecTagged":{"trust":SM_TRUST,"tags":{"pipelines-s3-exempt":"true"},"policies":[exec_policy(["ExecTagged","StepTrainRole","StepLimitedRole"]),
            policy(allow("s3:ListBucket","arn:aws:s3:::ml-eval-111"))]},
         "ExecUntagged":{"trust":SM_TRUST,"policies":[exec_policy(["ExecUntagged","StepTrainRole"])]},
         "ExecNoStepPass":{"trust":SM_TRUST,"policies":[exec_policy(["ExecNoStepPass"])]},
         "StepTrainRole":{"trust":SM_TRUST,"tags":{"pipelines-s3-exempt":"true"},"policies":[policy(
            allow("s3:GetObject","arn:aws:s3:::ml-eval-111/train/*"),
            allow("s3:ListBucket","arn:aws:s3:::ml-eval-111",{"StringLike":{"s3:prefix":"train/*"}}))]},
         "StepLimitedRole":{"trust":SM_TRUST,"tags":{"pipelines-s3-exempt":"true"},"policies":[policy(
            allow("s3:GetObject","arn:aws:s3:::ml-eval-111/eval/*"))]}},
       "buckets":{"ml-eval-111":{}}}},
     "actors":[
      {"name":"intern","as":{"account":"ml-prod","role":"Intern"},"script":[
        create("intern-pipeline","ExecTagged","00",expect="AccessDeniedException",spec="P1",
               note="no iam:PassRole on the execution role")]},
      {"name":"ds","as":{"account":"ml-prod","role":"DataScientist"},"source_vpc":"vpc-0a1b2c3d4e5f67890","script":[
        {"at":"0s","call":"s3:PutObject","note":"the evaluation report the Evaluate step's output holds (written through the VPC)",
         "input":{"Bucket":"ml-eval-111","Key":"eval/evaluation.json","Body":body,"ContentType":"application/json"},"expect":"ok"},
        create("gate-tagged","ExecTagged","01",spec="P1"),
        create("gate-untagged","ExecUntagged","02"),
        create("gate-nopass","ExecNoStepPass","03",steps=gate_steps(role_arn("StepTrainRole"))),
        create("gate-steprole","ExecTagged","04",steps=gate_steps(role_arn("StepTrainRole"))),
        create("gate-limited","ExecTagged","05",steps=gate_steps(role_arn("StepLimitedRole"))),
        start("gate-tagged","11","tagged"),
        start("gate-untagged","12","untagged"),
        start("gate-nopass","13","nopass"),
        start("gate-steprole","14","steprole"),
        start("gate-limited","16","limited"),
        start("gate-tagged","15","strict",[{"Name":"MinAccuracy","Value":"0.95"}]),
        wait("tagged"),
        steps_of("tagged",{f"{S}[0].StepName":"Evaluate",f"{S}[2].StepName":"CheckAccuracy",f"{S}[2].StepStatus":"Succeeded",
           f"{S}[2].Metadata.Condition.Outcome":"True",f"{S}[3].StepName":"BatchScore",f"{S}[3].StepStatus":"Succeeded",
           f"{S}[3].Metadata.TransformJob.Arn":"arn:aws:sagemaker:us-west-2:111111111111:transform-job/pipelines-*-BatchScore-*-0"},
           ["P9","P2","P7"],"the tagged execution role is exempt from the SCP: JsonGet reads 0.91 >= 0.8"),
        status("tagged","Succeeded"),
        wait("untagged"),
        steps_of("untagged",{f"{S}[2].StepName":"CheckAccuracy",f"{S}[2].StepStatus":"Failed",
           f"{S}[2].FailureReason":"Std:JsonGet could not read s3://ml-eval-111/eval/evaluation.json as arn:aws:sts::111111111111:assumed-role/ExecUntagged/SageMaker: AccessDenied: Access Denied"},
           "P9","the untagged execution role is capped by the SCP: no aws:SourceVpc on SageMaker's read"),
        status("untagged","Failed","P9"),
        wait("nopass"),
        steps_of("nopass",{f"{S}[1].StepName":"Train",f"{S}[1].StepStatus":"Failed",
           f"{S}[1].FailureReason":"AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role/ExecNoStepPass/SageMaker is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111111111111:role/StepTrainRole *"},
           "P2","the execution role may not pass the role the training step names"),
        wait("steprole"),
        steps_of("steprole",{f"{S}[1].StepName":"Train",f"{S}[1].StepStatus":"Succeeded"},"P3",
           "the training job reads its input with the step's role, which may list train/"),
        wait("limited"),
        steps_of("limited",{f"{S}[1].StepName":"Train",f"{S}[1].StepStatus":"Failed",
           f"{S}[1].FailureReason":"ClientError: Data download failed: could not list s3://ml-eval-111/train/ with role arn:aws:iam::111111111111:role/StepLimitedRole: AccessDenied (Access Denied)"},
           "P3","the step's own role limits what its job can touch, though the execution role could list the data"),
        wait("strict"),
        steps_of("strict",{f"{S}[2].Metadata.Condition.Outcome":"False",f"{S}[3].StepName":"AccuracyTooLow",f"{S}[3].StepStatus":"Failed",
           f"{S}[3].Metadata.Fail.ErrorMessage":"Accuracy below 0.95"},"P7","the override MinAccuracy=0.95 takes the else branch to the Fail step"),
        status("strict","Failed"),
        {"call":"sagemaker:RetryPipelineExecution","input":{"PipelineExecutionArn":"${strict.PipelineExecutionArn}","ClientRequestToken":TOKEN+"21"},
         "expect":"ConflictException","note":"an execution that ended at a Fail step cannot be retried"},
        {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"gate-tagged","ClientRequestToken":TOKEN+"22",
           "PipelineParameters":[{"Name":"MinAccuracy","Value":"high"}]},"expect":"ValidationException","note":"a Float parameter"},
        {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"gate-tagged","ClientRequestToken":TOKEN+"23",
           "PipelineParameters":[{"Name":"MaxAccuracy","Value":"0.9"}]},"expect":"ValidationException","note":"not a parameter of the pipeline"},
        {"call":"sagemaker:CreatePipeline","note":"a cycle: Train waits for CheckAccuracy, which waits for Train",
         "input":{"PipelineName":"gate-cycle","RoleArn":role_arn("ExecTagged"),"ClientRequestToken":TOKEN+"24",
           "PipelineDefinition":definition([dict(st, DependsOn=["CheckAccuracy"]) if st["Name"]=="Train" else st for st in gate_steps()], PARAMS)},
         "expect":"ValidationException"},
        {"call":"sagemaker:CreatePipeline","note":"the Condition reads a parameter the definition does not declare",
         "input":{"PipelineName":"gate-noparam","RoleArn":role_arn("ExecTagged"),"ClientRequestToken":TOKEN+"25",
           "PipelineDefinition":definition(gate_steps())},"expect":"ValidationException"},
        {"call":"sagemaker:CreatePipeline","input":{"PipelineName":"gate-tagged","RoleArn":role_arn("ExecTagged"),"ClientRequestToken":TOKEN+"26",
           "PipelineDefinition":definition(gate_steps(), PARAMS)},"expect":"ValidationException","note":"the name is taken"},
      ]}],
     "expect":[
       {"account":"ml-prod","spec":"P1","sees":{"eventName":"CreatePipeline","errorCode":"AccessDeniedException",
         "errorMessage":"User: arn:aws:sts::111111111111:assumed-role/Intern/intern is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111111111111:role/ExecTagged *"}},
       {"account":"ml-prod","spec":"P3","note":"a step without a role of its own runs its job with the execution role",
        "sees":{"eventName":"CreateTrainingJob","errorCode":None,"requestParameters.roleArn":role_arn("ExecTagged"),
                "userIdentity.sessionContext.sessionIssuer.arn":role_arn("ExecTagged")}},
       {"account":"ml-prod","spec":"P3","note":"a step that names a role: the execution role creates the job and passes the step's role to it",
        "sees":{"eventName":"CreateTrainingJob","errorCode":None,"requestParameters.roleArn":role_arn("StepTrainRole"),
                "userIdentity.sessionContext.sessionIssuer.arn":role_arn("ExecTagged")}},
       {"account":"ml-prod","spec":"P3","note":"the job lists its input as a session of the step's role",
        "sees":{"eventName":"ListObjectsV2","errorCode":None,"userIdentity.sessionContext.sessionIssuer.arn":role_arn("StepTrainRole"),
                "userIdentity.invokedBy":"sagemaker.amazonaws.com"}},
       {"account":"ml-prod","spec":"P3","sees":{"eventName":"ListObjectsV2","errorCode":"AccessDenied",
                "userIdentity.sessionContext.sessionIssuer.arn":role_arn("StepLimitedRole")}},
       {"account":"ml-prod","spec":"P9","note":"SageMaker reads the property file as the execution role; the SCP lets the tagged role through",
        "sees":{"eventName":"GetObject","errorCode":None,"userIdentity.sessionContext.sessionIssuer.arn":role_arn("ExecTagged"),
                "userIdentity.invokedBy":"sagemaker.amazonaws.com","requestParameters.key":"eval/evaluation.json"}},
       {"account":"ml-prod","spec":"P9","sees":{"eventName":"GetObject","errorCode":"AccessDenied",
                "userIdentity.sessionContext.sessionIssuer.arn":role_arn("ExecUntagged")}},
       {"account":"ml-prod","spec":"L1","sees":{"eventName":"CreatePipeline","errorCode":"ValidationException",
         "errorMessage":"Cycle detected in the pipeline definition: *"}},
       {"account":"ml-prod","spec":"L1","sees":{"eventName":"CreatePipeline","errorCode":"ValidationException",
         "errorMessage":"Step 'CheckAccuracy' refers to an undefined parameter: Parameters.MinAccuracy."}},
       {"account":"ml-prod","spec":"P9","lacks":{"eventName":"GetObject","errorCode":"AccessDenied",
                "userIdentity.sessionContext.sessionIssuer.arn":role_arn("ExecTagged")}},
     ]}
    return sc


def scenario_stress():
    EXEC="PipelineExecutionRole"
    N=200
    thr={"ExceptionType":["Step.THROTTLING"],"IntervalSeconds":5,"BackoffRate":2.0,"ExpireAfterMin":120}
    steps=[
     {"Name":"PrepCustomers","Type":"Processing","Arguments":processing_args("ml.m5.xlarge"),
      "RetryPolicies":[thr,{"ExceptionType":["SageMaker.RESOURCE_LIMIT"],"IntervalSeconds":60,"BackoffRate":1.2,"MaxAttempts":20}]},
     {"Name":"PrepEvents","Type":"Processing","Arguments":processing_args("ml.m5.xlarge"),
      "RetryPolicies":[thr,{"ExceptionType":["SageMaker.RESOURCE_LIMIT"],"IntervalSeconds":60,"BackoffRate":1.2,"MaxAttempts":20}]},
     {"Name":"TrainChurn","Type":"Training","DependsOn":["PrepCustomers","PrepEvents"],"Arguments":training_args("ml.m5.2xlarge"),
      "RetryPolicies":[thr,{"ExceptionType":["SageMaker.CAPACITY_ERROR"],"IntervalSeconds":120,"BackoffRate":1.5,"MaxAttempts":20},
                       {"ExceptionType":["SageMaker.JOB_INTERNAL_ERROR"],"IntervalSeconds":30,"BackoffRate":2.0,"MaxAttempts":3}]},
    ]
    sc={
     "scenario":"pipeline-stress",
     "description":"200 concurrent executions of one pipeline in one account against its quotas: Create*Job calls over 5 per second are throttled and retried by the steps' Step.THROTTLING policy; MaxParallelExecutionSteps 1 queues each execution's second processing step; 60 ml.m5.xlarge processing instances (account quota) give ResourceLimitExceeded retries; 40 ml.m5.2xlarge in the region's pool give CapacityError retries; 2% of training jobs fail internally and are retried. A 201st execution is refused by the concurrent-execution quota. The summary's services.pipelines holds the final tally.",
     "seed":77,"start":"2026-03-05T06:00:00Z","region":REGION,"until":"2d",
     "delivery":{"fixed":"0s"},
     "jobs":{"processing":{"duration":{"median":"6m","p99":"15m"}},
             "training":{"duration":{"median":"25m","p99":"1h"},"failures":{"SageMaker.JOB_INTERNAL_ERROR":0.02}},
             "capacity":{"ml.m5.2xlarge":40},
             "create_rate":{"per_second":5,"burst":20}},
     "accounts":{ACCT:{"alias":"ml-prod",
       "roles":{
         "DataScientist":{"policies":[policy(allow("sagemaker:*"), pass_role(EXEC))]},
         EXEC:{"trust":SM_TRUST,"policies":[policy(allow(["sagemaker:CreateTrainingJob","sagemaker:DescribeTrainingJob","sagemaker:CreateProcessingJob","sagemaker:DescribeProcessingJob"]), pass_role(EXEC))]}},
       "quotas":{"sagemaker:ml.m5.xlarge for processing job usage":60,"sagemaker:concurrent-pipeline-executions":200}}},
     "actors":[
      {"name":"admin","as":{"account":"ml-prod","role":"DataScientist"},"script":[
        {"at":"0s","call":"sagemaker:CreatePipeline","input":{"PipelineName":"churn-nightly","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"01",
          "PipelineDefinition":definition(steps),"ParallelismConfiguration":{"MaxParallelExecutionSteps":1}},"expect":"ok"},
        {"at":"5m","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"churn-nightly","ClientRequestToken":TOKEN+"02"},
         "expect":"ResourceLimitExceeded","note":"the 201st concurrent execution is over the account's quota of 200"}]},
      {"name":"team","count":N,"as":{"account":"ml-prod","role":"DataScientist"},"script":[
        {"at":"10s","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"churn-nightly","ClientRequestToken":TOKEN[:-3]+"${i}-start",
          "PipelineExecutionDisplayName":"nightly-${i}"},"save":"ex-${i}","expect":"ok"},
        {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${ex-${i}.PipelineExecutionArn}"},"timeout":"1d"},
        {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${ex-${i}.PipelineExecutionArn}"},
         "expect_output":{"PipelineExecutionStatus":"Succeeded"},"spec":"P8","note":"every execution gets through throttling, quota and capacity by retrying"}]}],
     "expect":[
       {"account":"ml-prod","spec":"P8","note":"job creations over the rate are throttled","count":{"of":{"eventName":"CreateProcessingJob","errorCode":"ThrottlingException"},"min":100}},
       {"account":"ml-prod","spec":"P8","count":{"of":{"eventName":"CreateProcessingJob","errorCode":"ResourceLimitExceeded"},"min":10}},
       {"account":"ml-prod","spec":"P8","note":"every execution's training job is eventually created: at least 200 successful creations",
        "count":{"of":{"eventName":"CreateTrainingJob","errorCode":None},"min":200}},
       {"account":"ml-prod","count":{"of":{"eventName":"StartPipelineExecution","errorCode":None},"min":200,"max":200}},
     ]}
    return sc


def scenario_stopretry():
    EXEC="PipelineExecutionRole"
    S="PipelineExecutionSteps"
    def ex(save): return "${%s.PipelineExecutionArn}"%save
    sc={
     "scenario":"pipeline-stop-retry",
     "description":"Stopping, retrying and caching pipeline executions (P7, P8): a step that fails with CapacityError and has no retry policy fails the execution; once the instance is free, RetryPipelineExecution runs the failed step again as a new job and the execution succeeds. A running execution is stopped: SageMaker stops its training job as the execution role, the step and the execution end Stopped, and neither a second stop nor a retry of a stopped execution is accepted. Deleting a pipeline leaves nothing to describe. A step with CacheConfig reuses an earlier execution's job for the same request within ExpireAfter.",
     "seed":31,"start":"2026-03-06T07:00:00Z","region":REGION,
     "jobs":{"training":{"duration":{"fixed":"20m"}},"capacity":{"ml.g5.xlarge":1}},
     "accounts":{ACCT:{"alias":"ml-prod",
       "roles":{
         "DataScientist":{"policies":[policy(allow("sagemaker:*"), pass_role(EXEC))]},
         EXEC:{"trust":SM_TRUST,"policies":[policy(allow(["sagemaker:CreateTrainingJob","sagemaker:DescribeTrainingJob","sagemaker:StopTrainingJob"]), pass_role(EXEC))]}}}},
     "actors":[{"name":"ds","as":{"account":"ml-prod","role":"DataScientist"},"script":[
       {"at":"0s","call":"sagemaker:CreateTrainingJob","note":"holds the account's only ml.g5.xlarge from 1m to 21m",
        "input":dict(training_args("ml.g5.xlarge", role=role_arn(EXEC)), TrainingJobName="gpu-holder"),"expect":"ok"},
       {"after":"5s","call":"sagemaker:CreatePipeline","input":{"PipelineName":"gpu-train","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"01",
          "PipelineDefinition":definition([{"Name":"TrainOnGpu","Type":"Training","Arguments":training_args("ml.g5.xlarge")}])},"expect":"ok"},
       {"after":"5s","call":"sagemaker:CreatePipeline","input":{"PipelineName":"long-train","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"02",
          "PipelineDefinition":definition([{"Name":"TrainLong","Type":"Training","Arguments":training_args("ml.m5.xlarge")},
                                           {"Name":"TrainAfter","Type":"Training","DependsOn":["TrainLong"],"Arguments":training_args("ml.m5.xlarge")}])},"expect":"ok"},
       {"after":"5s","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"gpu-train","ClientRequestToken":TOKEN+"03"},"save":"gpu","expect":"ok"},
       {"after":"1s","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"long-train","ClientRequestToken":TOKEN+"04"},"save":"long","expect":"ok"},
       {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"gpu-train","ClientRequestToken":TOKEN+"03"},
        "note":"the same ClientRequestToken starts nothing new","expect_output":{"PipelineExecutionArn":"${gpu.PipelineExecutionArn}"}},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":ex("gpu")},"timeout":"1h"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":ex("gpu")},"spec":["P7","P8"],
        "note":"no retry policy names SageMaker.CAPACITY_ERROR: the first failure fails the step",
        "expect_output":{f"{S}[0].StepStatus":"Failed",f"{S}[0].AttemptCount":1,
          f"{S}[0].FailureReason":"CapacityError: Unable to provision requested ML compute capacity. *"}},
       {"after":"4m","call":"sagemaker:StopPipelineExecution","input":{"PipelineExecutionArn":ex("long"),"ClientRequestToken":TOKEN+"05"},
        "expect":"ok","note":"at about 5m20s, while TrainLong's job runs"},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":ex("long")},"expect_output":{"PipelineExecutionStatus":"Stopping"}},
       {"call":"sagemaker:StopPipelineExecution","input":{"PipelineExecutionArn":ex("long"),"ClientRequestToken":TOKEN+"06"},"expect":"ConflictException"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":ex("long")},"timeout":"1h"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":ex("long")},"spec":"P7",
        "note":"the step that ran is Stopped; TrainAfter never started and is not listed",
        "expect_output":{f"{S}[0].StepName":"TrainLong",f"{S}[0].StepStatus":"Stopped",f"{S}[1]":None,
          f"{S}[0].Metadata.TrainingJob.Arn":"arn:aws:sagemaker:us-west-2:111111111111:training-job/pipelines-*-TrainLong-*-0"}},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":ex("long")},"expect_output":{"PipelineExecutionStatus":"Stopped"}},
       {"call":"sagemaker:RetryPipelineExecution","input":{"PipelineExecutionArn":ex("long"),"ClientRequestToken":TOKEN+"07"},"expect":"ConflictException"},
       {"at":"25m","call":"sagemaker:DescribeTrainingJob","input":{"TrainingJobName":"gpu-holder"},"expect_output":{"TrainingJobStatus":"Completed"}},
       {"call":"sagemaker:ListTrainingJobs","input":{"NameContains":"gpu-holder"},
        "expect_output":{"TrainingJobSummaries[0].TrainingJobName":"gpu-holder","TrainingJobSummaries[0].TrainingJobStatus":"Completed","TrainingJobSummaries[1]":None}},
       {"call":"sagemaker:CreateTrainingJob","input":dict(training_args("ml.g5.xlarge", role=role_arn(EXEC)), TrainingJobName="gpu-holder"),
        "expect":"ResourceInUse","note":"job names are unique in an account and region"},
       {"call":"sagemaker:StopTrainingJob","input":{"TrainingJobName":"gpu-holder"},"expect":"ValidationException","note":"a completed job cannot be stopped"},
       {"call":"sagemaker:DescribeTrainingJob","input":{"TrainingJobName":"no-such-job"},"expect":"ResourceNotFound"},
       {"call":"sagemaker:RetryPipelineExecution","input":{"PipelineExecutionArn":ex("gpu"),"ClientRequestToken":TOKEN+"08"},"expect":"ok","spec":"P8",
        "note":"the instance is free now: the failed step runs again"},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":ex("gpu")},"expect_output":{"PipelineExecutionStatus":"Executing"}},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":ex("gpu")},"timeout":"2h"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":ex("gpu")},"spec":["P7","P8"],
        "expect_output":{f"{S}[0].StepStatus":"Succeeded",f"{S}[0].AttemptCount":2,
          f"{S}[0].Metadata.TrainingJob.Arn":"arn:aws:sagemaker:us-west-2:111111111111:training-job/pipelines-*-TrainOnGpu-*-0"}},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":ex("gpu")},"expect_output":{"PipelineExecutionStatus":"Succeeded"}},
       {"call":"sagemaker:ListPipelineExecutions","input":{"PipelineName":"gpu-train"},"expect_output":{"PipelineExecutionSummaries[0].PipelineExecutionStatus":"Succeeded","PipelineExecutionSummaries[1]":None}},
       {"call":"sagemaker:ListPipelines","input":{"SortBy":"Name","SortOrder":"Ascending"},
        "expect_output":{"PipelineSummaries[0].PipelineName":"cached-train","PipelineSummaries[1].PipelineName":"gpu-train","PipelineSummaries[2].PipelineName":"long-train"}},
       {"call":"sagemaker:DeletePipeline","input":{"PipelineName":"long-train","ClientRequestToken":TOKEN+"09"},"expect":"ok"},
       {"call":"sagemaker:DescribePipeline","input":{"PipelineName":"long-train"},"expect":"ResourceNotFound"},
       {"call":"sagemaker:DescribePipeline","input":{"PipelineName":"gpu-train"},"expect_output":{"PipelineStatus":"Active","PipelineName":"gpu-train"}},
     ]},
     {"name":"cacher","as":{"account":"ml-prod","role":"DataScientist"},"script":[
       {"at":"0s","call":"sagemaker:CreatePipeline","input":{"PipelineName":"cached-train","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"31",
          "PipelineDefinition":definition([{"Name":"TrainCached","Type":"Training","Arguments":training_args("ml.m5.xlarge"),
                                            "CacheConfig":{"Enabled":True,"ExpireAfter":"PT1H"}}])},"expect":"ok"},
       {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"cached-train","ClientRequestToken":TOKEN+"32"},"save":"c1","expect":"ok"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":ex("c1")},"timeout":"1h"},
       {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"cached-train","ClientRequestToken":TOKEN+"33"},"save":"c2","expect":"ok"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":ex("c2")},"timeout":"1h"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":ex("c2")},
        "note":"the same request within ExpireAfter reuses the first execution's job",
        "expect_output":{f"{S}[0].StepStatus":"Succeeded",f"{S}[0].CacheHitResult.SourcePipelineExecutionArn":ex("c1"),
          f"{S}[0].Metadata.TrainingJob.Arn":"arn:aws:sagemaker:us-west-2:111111111111:training-job/pipelines-*-TrainCached-*-0"}},
       {"after":"1h","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"cached-train","ClientRequestToken":TOKEN+"34"},"save":"c3","expect":"ok"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":ex("c3")},"timeout":"1h"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":ex("c3")},
        "note":"an hour later the cached run has expired: a new job",
        "expect_output":{f"{S}[0].StepStatus":"Succeeded",f"{S}[0].CacheHitResult":None}},
     ]}],
     "expect":[
       {"account":"ml-prod","note":"three executions of the cached pipeline, two jobs: the second reused the first's",
        "count":{"of":{"eventName":"CreateTrainingJob","requestParameters.trainingJobName":"pipelines-*-TrainCached-*"},"min":2,"max":2}},
       {"account":"ml-prod","spec":"L1","note":"SageMaker stops the step's job as the execution role",
        "sees":{"eventName":"StopTrainingJob","errorCode":None,"userIdentity.sessionContext.sessionIssuer.arn":role_arn(EXEC),
                "userIdentity.invokedBy":"sagemaker.amazonaws.com","requestParameters.trainingJobName":"pipelines-*-TrainLong-*-0"}},
       {"account":"ml-prod","spec":"P8","note":"the retried step is a new job",
        "count":{"of":{"eventName":"CreateTrainingJob","requestParameters.trainingJobName":"pipelines-*-TrainOnGpu-*"},"min":2,"max":2}},
     ]}
    return sc


def scenario_xacct():
    B="222222222222"
    EXEC="PipelineExecutionRole"
    S="PipelineExecutionSteps"
    steps=[{"Name":"TrainShared","Type":"Training","Arguments":training_args("ml.m5.xlarge")},
           {"Name":"Score","Type":"Transform","Arguments":{"ModelName":{"Get":"Parameters.ModelName"},
              "TransformInput":{"DataSource":{"S3DataSource":{"S3DataType":"S3Prefix",
                 "S3Uri":{"Get":"Steps.TrainShared.ModelArtifacts.S3ModelArtifacts"}}}},
              "TransformOutput":{"S3OutputPath":{"Std:Join":{"On":"/","Values":["s3://ml-artifacts-111/scores",{"Get":"Execution.PipelineExecutionId"}]}}},
              "TransformResources":{"InstanceType":"ml.m5.xlarge","InstanceCount":1}}}]
    PARAMS=[{"Name":"ModelName","Type":"String","DefaultValue":"churn-model"}]
    P_ALLOW="arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerPipelineAllowExecution"
    P_READ="arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSageMakerPipeline"
    def parn(name): return f"arn:aws:sagemaker:us-west-2:{ACCT}:pipeline/{name}"
    sc={
     "scenario":"pipeline-cross-account",
     "description":"A pipeline shared through RAM (AWS-FACTS section 1): with AWSRAMPermissionSageMakerPipelineAllowExecution another account starts, watches and lists the steps of executions, which run in the owner's account as the owner's execution role; with the default permission it may describe the pipeline but not start it; an unshared pipeline it cannot even describe. Calls on the shared pipeline reach the owner's log too (L2, crossim's modelling choice for SageMaker).",
     "seed":41,"start":"2026-03-07T12:00:00Z","region":REGION,
     "jobs":{"training":{"duration":{"fixed":"10m"}}},
     "organization":{"id":"o-a1b2c3d4e5","management":ACCT,"accounts":[B],"ram_sharing":True},
     "accounts":{
       ACCT:{"alias":"ml-platform","buckets":{"ml-artifacts-111":{}},"roles":{
         "PlatformAdmin":{"policies":[policy(allow(["sagemaker:*","ram:*"]), pass_role(EXEC),
            allow(["s3:PutObject","s3:GetObject"],"arn:aws:s3:::ml-artifacts-111/definitions/*"))]},
         EXEC:{"trust":SM_TRUST,"policies":[policy(allow(["sagemaker:CreateTrainingJob","sagemaker:DescribeTrainingJob","sagemaker:CreateTransformJob","sagemaker:DescribeTransformJob"]), pass_role(EXEC))]}}},
       B:{"alias":"analytics","roles":{"Analyst":{"policies":[policy(allow("sagemaker:*"))]}}}},
     "actors":[
      {"name":"platform","as":{"account":"ml-platform","role":"PlatformAdmin"},"script":[
        *[{"at":"0s" if i==0 else None,"call":"sagemaker:CreatePipeline","input":{"PipelineName":n,"RoleArn":role_arn(EXEC),
           "ClientRequestToken":TOKEN+f"0{i}","PipelineDefinition":definition(steps, PARAMS)},"expect":"ok"} for i,n in enumerate(["shared-train","shared-readonly"])],
        {"call":"s3:PutObject","input":{"Bucket":"ml-artifacts-111","Key":"definitions/private-train.json",
           "Body":base64.b64encode(definition(steps, PARAMS).encode()).decode(),"ContentType":"application/json"},"expect":"ok"},
        {"call":"sagemaker:CreatePipeline","note":"a definition too large to send inline is read from S3 with the caller's rights",
         "input":{"PipelineName":"private-train","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"09",
           "PipelineDefinitionS3Location":{"Bucket":"ml-artifacts-111","ObjectKey":"definitions/private-train.json"}},"expect":"ok"},
        {"call":"sagemaker:DescribePipeline","input":{"PipelineName":"private-train"},"expect_output":{"PipelineDefinition":definition(steps, PARAMS)}},
        {"after":"10s","call":"ram:CreateResourceShare","input":{"name":"pipelines-run","resourceArns":[parn("shared-train")],
           "principals":[B],"permissionArns":[P_ALLOW]},"expect":"ok"},
        {"after":"10s","call":"ram:CreateResourceShare","input":{"name":"pipelines-read","resourceArns":[parn("shared-readonly")],
           "principals":[B],"permissionArns":[P_READ]},"expect":"ok"}]},
      {"name":"analyst","as":{"account":"analytics","role":"Analyst"},"script":[
        {"at":"2m","call":"sagemaker:DescribePipeline","input":{"PipelineName":parn("shared-train")},"expect_output":{"PipelineName":"shared-train"}},
        {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":parn("shared-train"),"ClientRequestToken":TOKEN+"11"},"save":"run","expect":"ok"},
        {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${run.PipelineExecutionArn}"},"timeout":"1h",
         "note":"the execution's end is announced to the account that started it too"},
        {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${run.PipelineExecutionArn}"},
         "expect_output":{"PipelineExecutionStatus":"Succeeded","CreatedBy.IamIdentity.Arn":"arn:aws:sts::222222222222:assumed-role/Analyst/analyst",
                          "PipelineExecutionArn":"arn:aws:sagemaker:us-west-2:111111111111:pipeline/shared-train/execution/*"}},
        {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${run.PipelineExecutionArn}"},"spec":"P7",
         "note":"Score reads TrainShared's model artifacts (a data dependency): it starts only after TrainShared succeeded",
         "expect_output":{f"{S}[0].StepName":"Score",f"{S}[0].StepStatus":"Succeeded",f"{S}[1].StepStatus":"Succeeded",f"{S}[1].Metadata.TrainingJob.Arn":"arn:aws:sagemaker:us-west-2:111111111111:training-job/pipelines-*-TrainShared-*-0"}},
        {"call":"sagemaker:DescribePipeline","input":{"PipelineName":parn("shared-readonly")},"expect":"ok"},
        {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":parn("shared-readonly"),"ClientRequestToken":TOKEN+"12"},
         "expect":"AccessDeniedException","note":"the default permission does not include StartPipelineExecution"},
        {"call":"sagemaker:DescribePipeline","input":{"PipelineName":parn("private-train")},"expect":"AccessDeniedException"},
        {"call":"sagemaker:DescribePipeline","input":{"PipelineName":"shared-train"},"expect":"ResourceNotFound",
         "note":"a name is read in the caller's own account"}]}],
     "expect":[
       {"account":"ml-platform","spec":"P3","note":"the execution runs in the owner's account, as the owner's execution role",
        "sees":{"eventName":"CreateTrainingJob","errorCode":None,"userIdentity.sessionContext.sessionIssuer.arn":role_arn(EXEC)}},
       {"account":"analytics","lacks":{"eventName":"CreateTrainingJob"}},
       {"account":"ml-platform","note":"Get of another step's property, Std:Join and execution variables resolved in the job request",
        "sees":{"eventName":"CreateTransformJob","errorCode":None,"requestParameters.modelName":"churn-model",
          "requestParameters.transformInput.dataSource.s3DataSource.s3Uri":"s3://ml-artifacts-111/models/pipelines-*-TrainShared-*-0/output/model.tar.gz",
          "requestParameters.transformOutput.s3OutputPath":"s3://ml-artifacts-111/scores/*"}},
       {"account":"analytics","spec":"L1","sees":{"eventName":"StartPipelineExecution","errorCode":None,"recipientAccountId":B}},
       {"account":"ml-platform","spec":"L2","sees":{"eventName":"StartPipelineExecution","errorCode":None,"recipientAccountId":ACCT,
         "userIdentity.accountId":B,"sharedEventID":"*"}},
     ]}
    for a in sc["actors"]:
        for st in a["script"]:
            if "at" in st and st["at"] is None: del st["at"]
    return sc


def scenario_register():
    EXEC="PipelineExecutionRole"
    S="PipelineExecutionSteps"
    IMAGE="683313688378.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.7-1"
    ART={"Get":"Steps.TrainChurn.ModelArtifacts.S3ModelArtifacts"}
    steps=[
     {"Name":"TrainChurn","Type":"Training","Arguments":training_args("ml.m5.xlarge")},
     {"Name":"CreateChurnModel","Type":"Model","Arguments":{"PrimaryContainer":{"Image":IMAGE,"ModelDataUrl":ART}},
      "RetryPolicies":[{"ExceptionType":["Step.SERVICE_FAULT"],"MaxAttempts":2}]},
     {"Name":"RegisterChurn","Type":"RegisterModel","Arguments":{"ModelPackageGroupName":"churn-models",
       "InferenceSpecification":{"Containers":[{"Image":IMAGE,"ModelDataUrl":ART}],
         "SupportedContentTypes":["text/csv"],"SupportedResponseMIMETypes":["text/csv"]},
       "ModelApprovalStatus":"PendingManualApproval"}},
    ]
    sc={
     "scenario":"pipeline-register",
     "description":"Model and RegisterModel steps (P2, P3): after training, the pipeline creates a model and registers a model package version as its execution role, through SageMaker's own CreateModel and CreateModelPackage (authorised and recorded like any call, with iam:PassRole on the model's execution role); both read the training job's artifacts through Get. An execution role without sagemaker:CreateModelPackage fails the register step with that denial.",
     "seed":51,"start":"2026-03-08T08:00:00Z","region":REGION,
     "jobs":{"training":{"duration":{"fixed":"10m"}}},
     "accounts":{ACCT:{"alias":"ml-prod","roles":{
       "DataScientist":{"policies":[policy(allow("sagemaker:*"), pass_role(EXEC,"NoRegisterRole"))]},
       EXEC:{"trust":SM_TRUST,"policies":[policy(allow(["sagemaker:CreateTrainingJob","sagemaker:DescribeTrainingJob",
            "sagemaker:CreateModel","sagemaker:CreateModelPackage"]), pass_role(EXEC))]},
       "NoRegisterRole":{"trust":SM_TRUST,"policies":[policy(allow(["sagemaker:CreateTrainingJob","sagemaker:DescribeTrainingJob",
            "sagemaker:CreateModel"]), pass_role("NoRegisterRole"))]}}}},
     "actors":[{"name":"ds","as":{"account":"ml-prod","role":"DataScientist"},"script":[
       {"at":"0s","call":"sagemaker:CreateModelPackageGroup","input":{"ModelPackageGroupName":"churn-models"},"expect":"ok"},
       {"call":"sagemaker:CreatePipeline","input":{"PipelineName":"churn-register","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"01",
          "PipelineDefinition":definition(steps)},"expect":"ok"},
       {"call":"sagemaker:CreatePipeline","input":{"PipelineName":"churn-noregister","RoleArn":role_arn("NoRegisterRole"),"ClientRequestToken":TOKEN+"02",
          "PipelineDefinition":definition(steps)},"expect":"ok"},
       {"after":"5s","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"churn-register","ClientRequestToken":TOKEN+"03"},"save":"ok","expect":"ok"},
       {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"churn-noregister","ClientRequestToken":TOKEN+"04"},"save":"no","expect":"ok"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${ok.PipelineExecutionArn}"},"timeout":"1h"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${ok.PipelineExecutionArn}","SortOrder":"Ascending"},
        "spec":["P7","P3"],"expect_output":{f"{S}[1].StepName":"CreateChurnModel",f"{S}[1].StepStatus":"Succeeded",
          f"{S}[1].Metadata.Model.Arn":"arn:aws:sagemaker:us-west-2:111111111111:model/pipelines-*-createchurnmodel-*-0",
          f"{S}[2].StepName":"RegisterChurn",f"{S}[2].StepStatus":"Succeeded",
          f"{S}[2].Metadata.RegisterModel.Arn":"arn:aws:sagemaker:us-west-2:111111111111:model-package/churn-models/1"}},
       {"call":"sagemaker:ListModelPackages","input":{"ModelPackageGroupName":"churn-models"},
        "expect_output":{"ModelPackageSummaryList[0].ModelApprovalStatus":"PendingManualApproval","ModelPackageSummaryList[1]":None}},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${no.PipelineExecutionArn}"},"timeout":"1h"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${no.PipelineExecutionArn}","SortOrder":"Ascending"},
        "spec":"P2","note":"the execution role needs Create permission for every kind of work its steps start",
        "expect_output":{f"{S}[2].StepName":"RegisterChurn",f"{S}[2].StepStatus":"Failed",
          f"{S}[2].FailureReason":"AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role/NoRegisterRole/SageMaker is not authorized to perform: sagemaker:CreateModelPackage *"}},
     ]}],
     "expect":[
       {"account":"ml-prod","spec":"P3","note":"the model is created by the execution role and runs as it",
        "sees":{"eventName":"CreateModel","errorCode":None,"userIdentity.sessionContext.sessionIssuer.arn":role_arn(EXEC),
                "userIdentity.invokedBy":"sagemaker.amazonaws.com","requestParameters.executionRoleArn":role_arn(EXEC),
                "requestParameters.primaryContainer.modelDataUrl":"s3://ml-artifacts-111/models/pipelines-*-TrainChurn-*-0/output/model.tar.gz"}},
       {"account":"ml-prod","sees":{"eventName":"CreateModelPackage","errorCode":None,"userIdentity.sessionContext.sessionIssuer.arn":role_arn(EXEC)}},
     ]}
    return sc


def scenario_checks():
    EXEC="CheckPipelineRole"
    S="PipelineExecutionSteps"
    P="arn:aws:sagemaker:us-west-2:111111111111:processing-job/"
    def quality(check_type="DATA_QUALITY", retry=None):
        st={"Name":"DataQualityCheck","Type":"QualityCheck","CheckType":check_type,
            "Arguments":processing_args(name="DataQualityBase",outputs=[("quality_check_output","s3://ml-artifacts-111/checks/data-quality")]),
            "ModelPackageGroupName":"ChurnModels","SkipCheck":False,"FailOnViolation":True,"RegisterNewBaseline":True}
        if retry: st["RetryPolicies"]=retry
        return st
    bias={"Name":"DataBiasCheck","Type":"ClarifyCheck","CheckType":"DATA_BIAS","DependsOn":["DataQualityCheck"],
          "Arguments":processing_args(outputs=[("clarify_check_output","s3://ml-artifacts-111/checks/bias")]),
          "ModelPackageGroupName":"ChurnModels","SkipCheck":True,"RegisterNewBaseline":False,
          "SuppliedBaselineConstraints":"s3://ml-artifacts-111/baselines/bias/analysis.json"}
    train={"Name":"TrainChurn","Type":"Training","Arguments":dict(training_args(),
             HyperParameters={"baseline":{"Get":"Steps.DataQualityCheck.CalculatedBaselineConstraints"}})}
    sc={
     "scenario":"pipeline-check-steps",
     "description":"Seed 002, QualityCheck and ClarifyCheck steps: each runs a processing job as the execution role, named by the job-name rules with the CheckJobConfig's base_job_name as its custom prefix (limit 38), and reports its CheckType, CheckJobArn, SkipCheck, RegisterNewBaseline and the baselines it computed in ListPipelineExecutionSteps' Metadata; later steps read those baselines as step properties. A check type the step does not know and RetryPolicies on a check step are refused at CreatePipeline, as only Processing, Training, Tuning, AutoML, Model, RegisterModel and Transform steps take retry policies.",
     "seed":11,"start":"2026-03-03T10:00:00Z","region":REGION,
     "jobs":{"training":{"duration":{"fixed":"15m"}},"processing":{"duration":{"fixed":"5m"}}},
     "accounts":{ACCT:{"alias":"ml-prod",
       "roles":{
         "DataScientist":{"policies":[policy(allow("sagemaker:*"), pass_role(EXEC))]},
         EXEC:{"trust":SM_TRUST,"policies":[policy(
            allow(["sagemaker:CreateProcessingJob","sagemaker:DescribeProcessingJob","sagemaker:CreateTrainingJob","sagemaker:DescribeTrainingJob"]),
            pass_role(EXEC))]}},
       "buckets":{"ml-artifacts-111":{}}}},
     "actors":[{"name":"ds","as":{"account":"ml-prod","role":"DataScientist"},"script":[
       {"at":"0s","call":"sagemaker:CreatePipeline","spec":"P8","note":"MODEL_BIAS is a ClarifyCheck type, not a QualityCheck one",
        "input":{"PipelineName":"ChurnChecks","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"01","PipelineDefinition":definition([quality("MODEL_BIAS")])},
        "expect":"ValidationException"},
       {"call":"sagemaker:CreatePipeline","spec":"P7","note":"check steps take no retry policies",
        "input":{"PipelineName":"ChurnChecks","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"02",
                 "PipelineDefinition":definition([quality(retry=[{"ExceptionType":["SageMaker.CAPACITY_ERROR"],"MaxAttempts":2}])])},
        "expect":"ValidationException"},
       {"call":"sagemaker:CreatePipeline","spec":"P1",
        "input":{"PipelineName":"ChurnChecks","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"03","PipelineDefinition":definition([quality(),bias,train])},
        "expect":"ok"},
       {"after":"10s","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"ChurnChecks","ClientRequestToken":TOKEN+"04"},"save":"x","expect":"ok"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${x.PipelineExecutionArn}"},"timeout":"2h"},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${x.PipelineExecutionArn}"},
        "expect_output":{"PipelineExecutionStatus":"Succeeded"}},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${x.PipelineExecutionArn}","SortOrder":"Ascending"},
        "spec":["P4","P8"],"note":"the quality check's job takes its base_job_name prefix; the bias check's is named pipelines-...; the baselines are under each job's first output",
        "expect_output":{f"{S}[0].StepName":"DataQualityCheck",f"{S}[0].StepStatus":"Succeeded",
          f"{S}[0].Metadata.QualityCheck.CheckType":"DATA_QUALITY",
          f"{S}[0].Metadata.QualityCheck.CheckJobArn":P+"DataQualityBase-*-0",
          f"{S}[0].Metadata.QualityCheck.ModelPackageGroupName":"ChurnModels",
          f"{S}[0].Metadata.QualityCheck.SkipCheck":False,f"{S}[0].Metadata.QualityCheck.RegisterNewBaseline":True,
          f"{S}[0].Metadata.QualityCheck.CalculatedBaselineStatistics":"s3://ml-artifacts-111/checks/data-quality/statistics.json",
          f"{S}[0].Metadata.QualityCheck.CalculatedBaselineConstraints":"s3://ml-artifacts-111/checks/data-quality/constraints.json",
          f"{S}[0].Metadata.QualityCheck.BaselineUsedForDriftCheckConstraints":"s3://ml-artifacts-111/checks/data-quality/constraints.json",
          f"{S}[2].StepName":"TrainChurn",f"{S}[2].StepStatus":"Succeeded",
          f"{S}[1].StepName":"DataBiasCheck",f"{S}[1].StepStatus":"Succeeded",
          f"{S}[1].Metadata.ClarifyCheck.CheckType":"DATA_BIAS",
          f"{S}[1].Metadata.ClarifyCheck.CheckJobArn":P+"pipelines-*-DataBiasCheck-*-0",
          f"{S}[1].Metadata.ClarifyCheck.SkipCheck":True,
          f"{S}[1].Metadata.ClarifyCheck.CalculatedBaselineConstraints":"s3://ml-artifacts-111/checks/bias/analysis.json",
          f"{S}[1].Metadata.ClarifyCheck.BaselineUsedForDriftCheckConstraints":"s3://ml-artifacts-111/baselines/bias/analysis.json"}},
     ]}],
     "expect":[
       {"account":"ml-prod","spec":"P8","sees":{"eventName":"CreatePipeline","errorCode":"ValidationException","errorMessage":"*needs a CheckType of DATA_QUALITY or MODEL_QUALITY."}},
       {"account":"ml-prod","spec":"P7","sees":{"eventName":"CreatePipeline","errorCode":"ValidationException","errorMessage":"*of type QualityCheck does not support RetryPolicies."}},
       {"account":"ml-prod","spec":"P3","note":"the check's processing job is created by the execution role",
        "sees":{"eventName":"CreateProcessingJob","errorCode":None,"requestParameters.processingJobName":"DataQualityBase-*-*-0",
                "userIdentity.sessionContext.sessionIssuer.arn":role_arn(EXEC),"userIdentity.invokedBy":"sagemaker.amazonaws.com"}},
       {"account":"ml-prod","spec":"P8","note":"the training step read the baseline the quality check computed",
        "sees":{"eventName":"CreateTrainingJob","errorCode":None,
                "requestParameters.hyperParameters.baseline":"s3://ml-artifacts-111/checks/data-quality/constraints.json"}},
     ]}
    return sc

def automl_args(prefix=None, role=None, mode="ENSEMBLING"):
    a={"InputDataConfig":[{"ChannelType":"training","TargetAttributeName":"churned",
        "DataSource":{"S3DataSource":{"S3DataType":"S3Prefix","S3Uri":"s3://ml-artifacts-111/features/train"}}}],
       "OutputDataConfig":{"S3OutputPath":"s3://ml-artifacts-111/autopilot"},
       "ProblemType":"BinaryClassification","AutoMLJobObjective":{"MetricName":"F1"},
       "AutoMLJobConfig":{"Mode":mode,"CompletionCriteria":{"MaxCandidates":10}}}
    if prefix: a["AutoMLJobName"]=prefix
    if role: a["RoleArn"]=role
    return a


def scenario_automl():
    EXEC="AutopilotPipelineRole"
    S="PipelineExecutionSteps"
    A="arn:aws:sagemaker:us-west-2:111111111111:automl-job/"
    def automl(prefix):
        return {"Name":"Autopilot","Type":"AutoML","Arguments":automl_args(prefix)}
    train={"Name":"TrainFromBest","Type":"Training","Arguments":dict(training_args(),
             HyperParameters={"candidate":{"Get":"Steps.Autopilot.BestCandidate.CandidateName"}})}
    sc={
     "scenario":"pipeline-automl-step",
     "description":"Seed 002's AutoML step: it creates an Autopilot job (CreateAutoMLJob) as the execution role, named by the job-name rules for Tuning and AutoML steps (AutoML job names are at most 32 characters: <executionId>-<entityToken>-<failureCount>, or with the AutoML object's base_job_name as custom prefix, which may be at most 6 characters), reports the job in ListPipelineExecutionSteps' Metadata.AutoMLJob.Arn, and later steps read DescribeAutoMLJob's answer (BestCandidate) as step properties. Stopping the execution stops the running Autopilot job as the execution role.",
     "seed":13,"start":"2026-03-04T09:00:00Z","region":REGION,
     "jobs":{"automl":{"duration":{"fixed":"45m"}},"training":{"duration":{"fixed":"15m"}}},
     "accounts":{ACCT:{"alias":"ml-prod",
       "roles":{
         "DataScientist":{"policies":[policy(allow("sagemaker:*"), pass_role(EXEC))]},
         EXEC:{"trust":SM_TRUST,"policies":[policy(
            allow(["sagemaker:CreateAutoMLJob","sagemaker:DescribeAutoMLJob","sagemaker:StopAutoMLJob",
                   "sagemaker:CreateTrainingJob","sagemaker:DescribeTrainingJob"]),
            pass_role(EXEC), allow(["s3:ListBucket","s3:GetObject"],["arn:aws:s3:::ml-artifacts-111","arn:aws:s3:::ml-artifacts-111/*"]))]}},
       "buckets":{"ml-artifacts-111":{}}}},
     "actors":[{"name":"ds","as":{"account":"ml-prod","role":"DataScientist"},"script":[
       {"at":"0s","call":"sagemaker:CreatePipeline","spec":"P4","note":"an AutoML step's custom prefix may be at most 6 characters",
        "input":{"PipelineName":"ChurnAutopilot","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"01",
                 "PipelineDefinition":definition([automl("ChurnAP")])},"expect":"ValidationException"},
       {"call":"sagemaker:CreatePipeline","spec":"P1",
        "input":{"PipelineName":"ChurnAutopilot","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"02",
                 "PipelineDefinition":definition([automl("Churn"),train])},"expect":"ok"},
       {"call":"sagemaker:CreatePipeline","spec":"P1",
        "input":{"PipelineName":"PlainAutopilot","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"03",
                 "PipelineDefinition":definition([automl(None)])},"expect":"ok"},
       {"after":"10s","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"ChurnAutopilot","ClientRequestToken":TOKEN+"04"},"save":"x","expect":"ok"},
       {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"PlainAutopilot","ClientRequestToken":TOKEN+"05"},"save":"y","expect":"ok"},
       {"after":"10m","call":"sagemaker:ListAutoMLJobs","input":{"SortBy":"Name","SortOrder":"Ascending"},"spec":"P4",
        "note":"both Autopilot jobs run; the prefixed one is Churn-<executionId>-<entityToken>-0, the other <executionId>-<entityToken>-0",
        "expect_output":{"AutoMLJobSummaries[0].AutoMLJobName":"Churn-*-*-0","AutoMLJobSummaries[0].AutoMLJobStatus":"InProgress",
                         "AutoMLJobSummaries[0].AutoMLJobSecondaryStatus":"TrainingModels",
                         "AutoMLJobSummaries[1].AutoMLJobStatus":"InProgress"}},
       {"call":"sagemaker:StopPipelineExecution","input":{"PipelineExecutionArn":"${y.PipelineExecutionArn}","ClientRequestToken":TOKEN+"06"},"expect":"ok"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${x.PipelineExecutionArn}"},"timeout":"3h"},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${x.PipelineExecutionArn}"},
        "expect_output":{"PipelineExecutionStatus":"Succeeded"}},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${x.PipelineExecutionArn}","SortOrder":"Ascending"},
        "spec":["P4","P8"],"note":"the AutoML step's metadata names its job",
        "expect_output":{f"{S}[0].StepName":"Autopilot",f"{S}[0].StepStatus":"Succeeded",f"{S}[0].AttemptCount":1,
          f"{S}[0].Metadata.AutoMLJob.Arn":A+"Churn-*-*-0",
          f"{S}[1].StepName":"TrainFromBest",f"{S}[1].StepStatus":"Succeeded"}},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${y.PipelineExecutionArn}"},
        "expect_output":{"PipelineExecutionStatus":"Stopped"}},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${y.PipelineExecutionArn}"},
        "spec":"P4","expect_output":{f"{S}[0].StepStatus":"Stopped",f"{S}[0].Metadata.AutoMLJob.Arn":A+"*-*-0"}},
     ]}],
     "expect":[
       {"account":"ml-prod","spec":"P4","sees":{"eventName":"CreatePipeline","errorCode":"ValidationException","errorMessage":"*6*"}},
       {"account":"ml-prod","spec":["P3","L1"],"note":"the Autopilot job is created by the execution role, through SageMaker",
        "sees":{"eventName":"CreateAutoMLJob","errorCode":None,"requestParameters.autoMLJobName":"Churn-*-*-0",
                "requestParameters.roleArn":role_arn(EXEC),
                "userIdentity.sessionContext.sessionIssuer.arn":role_arn(EXEC),"userIdentity.invokedBy":"sagemaker.amazonaws.com"}},
       {"account":"ml-prod","spec":"P4","note":"without a prefix the name has no 'pipelines-' part: AutoML job names are at most 32 characters",
        "lacks":{"eventName":"CreateAutoMLJob","requestParameters.autoMLJobName":"pipelines-*"}},
       {"account":"ml-prod","spec":"P8","note":"the training step read the best candidate the Autopilot job reported",
        "sees":{"eventName":"CreateTrainingJob","errorCode":None,"requestParameters.hyperParameters.candidate":"Churn-*-*-0-best-candidate"}},
       {"account":"ml-prod","spec":"P3","note":"stopping the execution stops its Autopilot job as the execution role",
        "sees":{"eventName":"StopAutoMLJob","errorCode":None,"userIdentity.sessionContext.sessionIssuer.arn":role_arn(EXEC)}},
     ]}
    return sc


def scenario_automl_no_retry():
    EXEC="AutopilotPipelineRole"
    S="PipelineExecutionSteps"
    retry=[{"ExceptionType":["SageMaker.JOB_INTERNAL_ERROR"],"IntervalSeconds":10,"BackoffRate":1.0,"MaxAttempts":2}]
    tuning={"HyperParameterTuningJobConfig":{"Strategy":"Bayesian","ResourceLimits":{"MaxNumberOfTrainingJobs":4,"MaxParallelTrainingJobs":1}},
            "TrainingJobDefinition":training_args()}
    steps=[{"Name":"Autopilot","Type":"AutoML","Arguments":automl_args(),"RetryPolicies":retry},
           {"Name":"Tune","Type":"Tuning","Arguments":tuning,"RetryPolicies":retry},
           {"Name":"Train","Type":"Training","Arguments":training_args(),"RetryPolicies":retry}]
    sc={
     "scenario":"pipeline-automl-no-retry",
     "description":"AutoML and Tuning steps never retry SageMaker.JOB_INTERNAL_ERROR, even with a retry policy that names it; a Training step with the same policy retries. Every job here fails with an internal error: the AutoML and Tuning steps make one attempt, the Training step three (1 + MaxAttempts 2).",
     "seed":14,"start":"2026-03-04T09:00:00Z","region":REGION,
     "jobs":{"automl":{"duration":{"fixed":"30m"},"failures":{"SageMaker.JOB_INTERNAL_ERROR":1}},
             "tuning":{"duration":{"fixed":"30m"},"failures":{"SageMaker.JOB_INTERNAL_ERROR":1}},
             "training":{"duration":{"fixed":"10m"},"failures":{"SageMaker.JOB_INTERNAL_ERROR":1}}},
     "accounts":{ACCT:{"alias":"ml-prod",
       "roles":{
         "DataScientist":{"policies":[policy(allow("sagemaker:*"), pass_role(EXEC))]},
         EXEC:{"trust":SM_TRUST,"policies":[policy(allow("sagemaker:*"), pass_role(EXEC),
            allow(["s3:ListBucket","s3:GetObject"],["arn:aws:s3:::ml-artifacts-111","arn:aws:s3:::ml-artifacts-111/*"]))]}},
       "buckets":{"ml-artifacts-111":{}}}},
     "actors":[{"name":"ds","as":{"account":"ml-prod","role":"DataScientist"},"script":[
       {"at":"0s","call":"sagemaker:CreatePipeline","spec":"P7","note":"AutoML steps take retry policies",
        "input":{"PipelineName":"AllFail","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"01","PipelineDefinition":definition(steps)},"expect":"ok"},
       {"after":"10s","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"AllFail","ClientRequestToken":TOKEN+"02"},"save":"x","expect":"ok"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${x.PipelineExecutionArn}"},"timeout":"4h"},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${x.PipelineExecutionArn}"},
        "expect_output":{"PipelineExecutionStatus":"Failed"}},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${x.PipelineExecutionArn}","SortOrder":"Ascending"},
        "spec":"P8","note":"AWS-FACTS section 3: Tuning/AutoML never retry JOB_INTERNAL_ERROR",
        "expect_output":{f"{S}[0].StepName":"Autopilot",f"{S}[0].StepStatus":"Failed",f"{S}[0].AttemptCount":1,
          f"{S}[0].FailureReason":"InternalServerError: *",
          f"{S}[1].StepName":"Tune",f"{S}[1].StepStatus":"Failed",f"{S}[1].AttemptCount":1,
          f"{S}[2].StepName":"Train",f"{S}[2].StepStatus":"Failed",f"{S}[2].AttemptCount":3}},
     ]}],
     "expect":[
       {"account":"ml-prod","spec":"P8","count":{"of":{"eventName":"CreateAutoMLJob","errorCode":None},"min":1,"max":1}},
       {"account":"ml-prod","spec":"P8","count":{"of":{"eventName":"CreateHyperParameterTuningJob","errorCode":None},"min":1,"max":1}},
       {"account":"ml-prod","spec":"P8","count":{"of":{"eventName":"CreateTrainingJob","errorCode":None},"min":3,"max":3}},
     ]}
    return sc

def scenario_callback():
    EXEC="GatePipelineRole"
    S="PipelineExecutionSteps"
    Q="https://sqs.us-west-2.amazonaws.com/111111111111/model-approvals"
    def callback(name, outputs=None, deps=None, queue=Q):
        st={"Name":name,"Type":"Callback","Arguments":{"model_run":{"Get":"Execution.PipelineExecutionId"}},
            "OutputParameters":outputs or []}
        if queue: st["SqsQueueUrl"]=queue
        if deps: st["DependsOn"]=deps
        return st
    outs=[{"OutputName":"approved","OutputType":"Boolean"},{"OutputName":"threshold","OutputType":"Float"}]
    gate={"Name":"Gate","Type":"Condition","Arguments":{
            "Conditions":[{"Type":"Equals","LeftValue":{"Get":"Steps.Approve.OutputParameters['approved']"},"RightValue":True}],
            "IfSteps":[{"Name":"Train","Type":"Training","Arguments":dict(training_args(),
                HyperParameters={"threshold":{"Std:Join":{"On":"","Values":[{"Get":"Steps.Approve.OutputParameters['threshold']"}]}}})}],
            "ElseSteps":[]}}
    approval=[{"Name":"Prepare","Type":"Processing","Arguments":processing_args()},
              callback("Approve",outs,["Prepare"]), gate]
    def token(save, i=0): return "${"+save+"."+S+f"[{i}].Metadata.Callback.CallbackToken"+"}"
    sc={
     "scenario":"pipeline-callback-step",
     "description":"Callback steps, as SageMaker Pipelines runs them: the step gets a 10-character CallbackToken (PipelineExecutionStep Metadata.Callback, with the SqsQueueUrl; crossim simulates no SQS, so a scenario reads the token there) and waits, Executing, until someone calls SendPipelineExecutionStepSuccess with the token and the output parameters the step declared (typed by their OutputType, readable by later steps as Steps.<name>.OutputParameters['<name>']) or SendPipelineExecutionStepFailure with a FailureReason. The caller needs the action on the execution. A token whose step has ended is a ConflictException, an unknown one ResourceNotFound. StopPipelineExecution does not stop a waiting Callback step: the execution stays Stopping until the callback comes (StopPipelineExecution API reference).",
     "seed":15,"start":"2026-03-04T09:00:00Z","region":REGION,
     "jobs":{"processing":{"duration":{"fixed":"5m"}},"training":{"duration":{"fixed":"15m"}}},
     "accounts":{ACCT:{"alias":"ml-prod",
       "roles":{
         "DataScientist":{"policies":[policy(allow("sagemaker:*"), pass_role(EXEC))]},
         "Approver":{"policies":[policy(allow(["sagemaker:SendPipelineExecutionStepSuccess","sagemaker:SendPipelineExecutionStepFailure",
                                                "sagemaker:ListPipelineExecutionSteps"],
                                               f"arn:aws:sagemaker:{REGION}:{ACCT}:pipeline/*"))]},
         "Reader":{"policies":[policy(allow(["sagemaker:ListPipelineExecutionSteps"],"*"))]},
         EXEC:{"trust":SM_TRUST,"policies":[policy(
            allow(["sagemaker:CreateProcessingJob","sagemaker:DescribeProcessingJob",
                   "sagemaker:CreateTrainingJob","sagemaker:DescribeTrainingJob"]),
            pass_role(EXEC), allow(["s3:ListBucket","s3:GetObject"],["arn:aws:s3:::ml-artifacts-111","arn:aws:s3:::ml-artifacts-111/*"]))]}},
       "buckets":{"ml-artifacts-111":{}}}},
     "actors":[
      {"name":"ds","as":{"account":"ml-prod","role":"DataScientist"},"script":[
       {"at":"0s","call":"sagemaker:CreatePipeline","spec":"P7","note":"a Callback step names the queue its message goes to",
        "input":{"PipelineName":"NoQueue","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"01",
                 "PipelineDefinition":definition([callback("Approve",queue=None)])},"expect":"ValidationException"},
       {"call":"sagemaker:CreatePipeline","spec":"P7","note":"OutputType is one of String, Integer, Boolean, Float",
        "input":{"PipelineName":"BadOutput","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"02",
                 "PipelineDefinition":definition([callback("Approve",[{"OutputName":"n","OutputType":"Number"}])])},"expect":"ValidationException"},
       {"call":"sagemaker:CreatePipeline","spec":"P7","note":"Callback steps take no retry policies",
        "input":{"PipelineName":"RetryCallback","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"03",
                 "PipelineDefinition":definition([dict(callback("Approve"),RetryPolicies=[{"ExceptionType":["Step.SERVICE_FAULT"],"MaxAttempts":2}])])},
        "expect":"ValidationException"},
       {"call":"sagemaker:CreatePipeline","input":{"PipelineName":"ApprovalGate","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"04",
                 "PipelineDefinition":definition(approval)},"expect":"ok"},
       {"call":"sagemaker:CreatePipeline","input":{"PipelineName":"Rejectable","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"05",
                 "PipelineDefinition":definition([callback("Review")])},"expect":"ok"},
       {"after":"10s","call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"ApprovalGate","ClientRequestToken":TOKEN+"06"},"save":"x","expect":"ok"},
       {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"Rejectable","ClientRequestToken":TOKEN+"07"},"save":"y","expect":"ok"},
       {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":"Rejectable","ClientRequestToken":TOKEN+"08"},"save":"z","expect":"ok"},
       {"after":"1m","call":"sagemaker:StopPipelineExecution","input":{"PipelineExecutionArn":"${z.PipelineExecutionArn}","ClientRequestToken":TOKEN+"09"},"expect":"ok"},
       {"after":"30m","call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${z.PipelineExecutionArn}"},
        "note":"a waiting Callback step holds the stop: the execution is Stopping until the callback comes",
        "expect_output":{"PipelineExecutionStatus":"Stopping"}},
      ]},
      {"name":"approver","as":{"account":"ml-prod","role":"Approver"},"script":[
       {"at":"20m","call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${x.PipelineExecutionArn}"},
        "save":"sx","spec":"P7","note":"newest first: the Callback step waits, Executing, with its token and queue",
        "expect_output":{f"{S}[0].StepName":"Approve",f"{S}[0].StepStatus":"Executing",
          f"{S}[0].Metadata.Callback.SqsQueueUrl":Q,f"{S}[0].Metadata.Callback.CallbackToken":"*",
          f"{S}[1].StepName":"Prepare",f"{S}[1].StepStatus":"Succeeded"}},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${y.PipelineExecutionArn}"},"save":"sy","expect":"ok"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${z.PipelineExecutionArn}"},"save":"sz","expect":"ok"},
       {"call":"sagemaker:SendPipelineExecutionStepSuccess","input":{"CallbackToken":"AAAAAAAAAA"},"expect":"ResourceNotFound",
        "note":"no step waits for this token"},
       {"call":"sagemaker:SendPipelineExecutionStepSuccess","input":{"CallbackToken":"short"},"expect":"ValidationException",
        "note":"a CallbackToken is 10 letters and digits"},
       {"call":"sagemaker:SendPipelineExecutionStepSuccess","expect":"ValidationException",
        "input":{"CallbackToken":token("sx"),"OutputParameters":[{"Name":"approved","Value":"yes"}]},
        "note":"the value must read as the output's declared type (Boolean)"},
       {"call":"sagemaker:SendPipelineExecutionStepSuccess","expect":"ok",
        "input":{"CallbackToken":token("sx"),"ClientRequestToken":TOKEN+"10",
                 "OutputParameters":[{"Name":"approved","Value":"true"},{"Name":"threshold","Value":"0.85"}]}},
       {"call":"sagemaker:SendPipelineExecutionStepSuccess","expect":"ok",
        "input":{"CallbackToken":token("sx"),"ClientRequestToken":TOKEN+"10",
                 "OutputParameters":[{"Name":"approved","Value":"true"},{"Name":"threshold","Value":"0.85"}]},
        "note":"the same ClientRequestToken again: answered again, nothing changes"},
       {"call":"sagemaker:SendPipelineExecutionStepFailure","expect":"ConflictException",
        "input":{"CallbackToken":token("sx"),"FailureReason":"too late"},"note":"the step has completed"},
       {"call":"sagemaker:SendPipelineExecutionStepFailure","expect":"ok",
        "input":{"CallbackToken":token("sy"),"FailureReason":"Rejected by the model risk board."}},
       {"after":"20m","call":"sagemaker:SendPipelineExecutionStepSuccess","expect":"ok","input":{"CallbackToken":token("sz")},
        "note":"the stopped execution's callback comes: now it can stop"},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${x.PipelineExecutionArn}"},"timeout":"3h"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${x.PipelineExecutionArn}","SortOrder":"Ascending"},
        "spec":["P7","P8"],"note":"the condition read the Boolean output, the training job the Float one (joined into the string a hyperparameter is)",
        "expect_output":{f"{S}[1].StepName":"Approve",f"{S}[1].StepStatus":"Succeeded",
          f"{S}[1].Metadata.Callback.OutputParameters[0].Name":"approved",f"{S}[1].Metadata.Callback.OutputParameters[0].Value":"true",
          f"{S}[1].Metadata.Callback.OutputParameters[1].Value":"0.85",
          f"{S}[2].StepName":"Gate",f"{S}[2].Metadata.Condition.Outcome":"True",
          f"{S}[3].StepName":"Train",f"{S}[3].StepStatus":"Succeeded"}},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${y.PipelineExecutionArn}"},"expect":"AccessDeniedException",
        "note":"the approver may only send callbacks and list steps"},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${y.PipelineExecutionArn}"},
        "expect_output":{f"{S}[0].StepStatus":"Failed",f"{S}[0].FailureReason":"Rejected by the model risk board."}},
       {"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${z.PipelineExecutionArn}"},
        "expect_output":{f"{S}[0].StepStatus":"Succeeded"}},
      ]},
      {"name":"reader","as":{"account":"ml-prod","role":"Reader"},"script":[
       {"at":"25m","call":"sagemaker:SendPipelineExecutionStepFailure","expect":"AccessDeniedException",
        "input":{"CallbackToken":token("sy")},"note":"a token is not a permission: the caller needs the action on the execution"},
      ]},
      {"name":"ds-end","as":{"account":"ml-prod","role":"DataScientist"},"script":[
       {"at":"2h","call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${y.PipelineExecutionArn}"},
        "expect_output":{"PipelineExecutionStatus":"Failed"}},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${z.PipelineExecutionArn}"},
        "expect_output":{"PipelineExecutionStatus":"Stopped"}},
       {"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${x.PipelineExecutionArn}"},
        "expect_output":{"PipelineExecutionStatus":"Succeeded"}},
      ]},
     ],
     "expect":[
       {"account":"ml-prod","spec":"L1","note":"the callback is the approver's call, in the execution's account",
        "sees":{"eventName":"SendPipelineExecutionStepSuccess","errorCode":None,
                "userIdentity.sessionContext.sessionIssuer.arn":role_arn("Approver")}},
       {"account":"ml-prod","spec":"P8","note":"the training job got the Float output",
        "sees":{"eventName":"CreateTrainingJob","errorCode":None,"requestParameters.hyperParameters.threshold":"0.85"}},
       {"account":"ml-prod","spec":"P3","count":{"of":{"eventName":"CreateTrainingJob","errorCode":None},"min":1,"max":1}},
     ]}
    return sc


# Script steps the Lambda and EMR scenarios share: pipelines made with the
# role exec_role, executions started and saved, their status and steps.
def create_step(name, steps, n, exec_role, expect="ok", **kw):
    return dict({"call":"sagemaker:CreatePipeline","expect":expect,
            "input":{"PipelineName":name,"RoleArn":role_arn(exec_role),"ClientRequestToken":TOKEN+n,"PipelineDefinition":definition(steps)}}, **kw)
def start_step(name, save, n):
    return {"call":"sagemaker:StartPipelineExecution","input":{"PipelineName":name,"ClientRequestToken":TOKEN+n},"save":save,"expect":"ok"}
def status_step(save, want, **kw):
    return dict({"call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${"+save+".PipelineExecutionArn}"},
                 "expect_output":{"PipelineExecutionStatus":want}}, **kw)
def steps_step(save, want, **kw):
    return dict({"call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${"+save+".PipelineExecutionArn}","SortOrder":"Ascending"},
                 "expect_output":want}, **kw)


def scenario_lambda():
    EXEC="LambdaPipelineRole"
    TOOLS="222222222222"
    S="PipelineExecutionSteps"
    def fn(name, acct=ACCT): return f"arn:aws:lambda:{REGION}:{acct}:function:{name}"
    outs=[{"OutputName":"accuracy","OutputType":"Float"},{"OutputName":"approved","OutputType":"Boolean"}]
    def lam(name, function, outputs=None, **kw):
        st={"Name":name,"Type":"Lambda","FunctionArn":function,"OutputParameters":outputs or [],
            "Arguments":{"model_run":{"Get":"Execution.PipelineExecutionId"},"threshold":0.8}}
        st.update(kw)
        return st
    gate={"Name":"Gate","Type":"Condition","Arguments":{
            "Conditions":[{"Type":"Equals","LeftValue":{"Get":"Steps.Evaluate.OutputParameters['approved']"},"RightValue":True}],
            "IfSteps":[{"Name":"Train","Type":"Training","Arguments":dict(training_args(),
                HyperParameters={"accuracy":{"Std:Join":{"On":"","Values":[{"Get":"Steps.Evaluate.OutputParameters['accuracy']"}]}}})}],
            "ElseSteps":[]}}
    def pl(name, steps, n, expect="ok", **kw): return create_step(name, steps, n, EXEC, expect, **kw)
    start, status, steps = start_step, status_step, steps_step
    sc={
     "scenario":"pipeline-lambda-step",
     "description":"Lambda steps, as SageMaker Pipelines runs them: the step invokes its function (FunctionArn) as the pipeline's execution role, through SageMaker, with the resolved Arguments as the event; it runs for the function's run time and ends as the function did: Succeeded with the declared OutputParameters taken from the returned object (typed by OutputType, read later as Steps.<name>.OutputParameters['<name>'], listed in Metadata.Lambda with the function's Arn), or Failed with the function's error or Lambda's refusal. Another account's function answers only if its resource-based policy lets the execution role in. A stop lets a running function finish, then the step is Stopped. Lambda's Invoke is a data event: the pipeline account's trail selects Lambda data events and logs the invocations; the tools account's trail (management events only) logs none, though it owns a function invoked. crossim runs no function code: a function is declared with what it returns or the error it raises, and how long it runs.",
     "seed":16,"start":"2026-03-04T09:00:00Z","region":REGION,
     "jobs":{"training":{"duration":{"fixed":"15m"}}},
     "accounts":{
      ACCT:{"alias":"ml-prod",
       "trail":{"data_events":["AWS::Lambda::Function"]},
       "lambda_functions":{
         "sagemaker-evaluate":{"returns":{"accuracy":0.91,"approved":True,"report":"s3://ml-artifacts-111/eval/report.json"},"duration":"2m"},
         "sagemaker-broken":{"error":"ZeroDivisionError: division by zero","duration":"5s"},
         "sagemaker-slow":{"returns":{"done":True},"duration":"10m"},
         "sagemaker-badtype":{"returns":{"accuracy":"high"}}},
       "roles":{
         "DataScientist":{"policies":[policy(allow(["sagemaker:*","lambda:InvokeFunction"]), pass_role(EXEC))]},
         EXEC:{"trust":SM_TRUST,"policies":[policy(
            allow(["sagemaker:CreateTrainingJob","sagemaker:DescribeTrainingJob"]),
            allow("lambda:InvokeFunction",[fn("sagemaker-*"),fn("sagemaker-*",TOOLS)]),
            pass_role(EXEC), allow(["s3:ListBucket","s3:GetObject"],["arn:aws:s3:::ml-artifacts-111","arn:aws:s3:::ml-artifacts-111/*"]))]}},
       "buckets":{"ml-artifacts-111":{}}},
      TOOLS:{"alias":"tools",
       "lambda_functions":{
         "sagemaker-shared-check":{"returns":{"accuracy":0.75,"approved":False},"duration":"30s",
            "policy":policy({"Sid":"PipelineRole","Effect":"Allow","Principal":{"AWS":role_arn(EXEC)},
                             "Action":"lambda:InvokeFunction","Resource":fn("sagemaker-shared-check",TOOLS)})},
         "sagemaker-private":{"returns":{"approved":True}}}}},
     "actors":[
      {"name":"ds","as":{"account":"ml-prod","role":"DataScientist"},"script":[
       {"at":"0s","call":"sagemaker:CreatePipeline","spec":"P7","note":"a Lambda step names its function",
        "input":{"PipelineName":"NoFunction","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"01",
                 "PipelineDefinition":definition([{"Name":"Evaluate","Type":"Lambda","Arguments":{}}])},"expect":"ValidationException"},
       {"call":"sagemaker:CreatePipeline","spec":"P7","note":"Lambda steps take no retry policies",
        "input":{"PipelineName":"RetryLambda","RoleArn":role_arn(EXEC),"ClientRequestToken":TOKEN+"02",
                 "PipelineDefinition":definition([lam("Evaluate",fn("sagemaker-evaluate"),
                      RetryPolicies=[{"ExceptionType":["Step.SERVICE_FAULT"],"MaxAttempts":2}])])},"expect":"ValidationException"},
       pl("Evaluated",[lam("Evaluate",fn("sagemaker-evaluate"),outs),gate],"03"),
       pl("SharedCheck",[lam("Evaluate",fn("sagemaker-shared-check",TOOLS),outs),gate],"04"),
       pl("PrivateCheck",[lam("Evaluate",fn("sagemaker-private",TOOLS))],"05"),
       pl("Broken",[lam("Evaluate",fn("sagemaker-broken"))],"06"),
       pl("Slow",[lam("Wait",fn("sagemaker-slow"))],"07"),
       pl("BadType",[lam("Evaluate",fn("sagemaker-badtype"),outs)],"08"),
       {"after":"10s","call":"lambda:Invoke","input":{"FunctionName":"sagemaker-evaluate","Payload":"e30="},"spec":"L1",
        "note":"the function answers with what it returns, base64 in Payload (here {\"accuracy\":0.91,...})",
        "expect_output":{"StatusCode":200,"ExecutedVersion":"$LATEST","Payload":"eyJhY2N1cmFjeSI6MC45MSwiYXBwcm92ZWQiOnRydWUsInJlcG9ydCI6InMzOi8vbWwtYXJ0aWZhY3RzLTExMS9ldmFsL3JlcG9ydC5qc29uIn0="}},
       {"call":"lambda:Invoke","input":{"FunctionName":"sagemaker-broken"},
        "expect_output":{"StatusCode":200,"FunctionError":"Unhandled"},"note":"a function error is an answer, not an API error"},
       {"call":"lambda:Invoke","input":{"FunctionName":fn("sagemaker-evaluate"),"InvocationType":"DryRun"},"expect_output":{"StatusCode":204}},
       {"call":"lambda:Invoke","input":{"FunctionName":"sagemaker-missing"},"expect":"ResourceNotFoundException"},
       {"call":"lambda:Invoke","input":{"FunctionName":"sagemaker-evaluate","Qualifier":"prod"},"expect":"ResourceNotFoundException",
        "note":"crossim's functions have no versions or aliases but $LATEST"},
       {"call":"lambda:Invoke","input":{"FunctionName":TOOLS+":function:sagemaker-private"},"expect":"AccessDeniedException",
        "note":"another account's function without a policy that lets the caller in"},
       start("Evaluated","x","10"), start("SharedCheck","y","11"), start("PrivateCheck","z","12"),
       start("Broken","b","13"), start("Slow","s","14"), start("BadType","t","15"),
       {"after":"1m","call":"sagemaker:StopPipelineExecution","input":{"PipelineExecutionArn":"${s.PipelineExecutionArn}","ClientRequestToken":TOKEN+"16"},"expect":"ok"},
       steps("s",{f"{S}[0].StepStatus":"Stopping"},note="the function still runs"),
       {"after":"5m","call":"sagemaker:DescribePipelineExecution","input":{"PipelineExecutionArn":"${s.PipelineExecutionArn}"},
        "expect_output":{"PipelineExecutionStatus":"Stopping"}},
       status("s","Stopped",after="10m",note="the function ended; the execution is stopped"),
       steps("s",{f"{S}[0].StepStatus":"Stopped"}),
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${x.PipelineExecutionArn}"},"timeout":"2h"},
       status("x","Succeeded"),
       steps("x",{f"{S}[0].StepName":"Evaluate",f"{S}[0].StepStatus":"Succeeded",
                  f"{S}[0].Metadata.Lambda.Arn":fn("sagemaker-evaluate"),
                  f"{S}[0].Metadata.Lambda.OutputParameters[0].Name":"accuracy",f"{S}[0].Metadata.Lambda.OutputParameters[0].Value":"0.91",
                  f"{S}[0].Metadata.Lambda.OutputParameters[1].Value":"true",
                  f"{S}[1].StepName":"Gate",f"{S}[1].Metadata.Condition.Outcome":"True",
                  f"{S}[2].StepName":"Train",f"{S}[2].StepStatus":"Succeeded"},
             spec=["P7","P8"],note="the declared outputs only (not 'report'), typed; the condition and the training job read them"),
       status("y","Succeeded",note="the tools account's policy lets the execution role in; its function says not approved"),
       steps("y",{f"{S}[0].Metadata.Lambda.Arn":fn("sagemaker-shared-check",TOOLS),f"{S}[1].Metadata.Condition.Outcome":"False"}),
       status("z","Failed"),
       steps("z",{f"{S}[0].StepStatus":"Failed",f"{S}[0].FailureReason":"AccessDeniedException: *"},spec="P3",
             note="the execution role may invoke the function, but the tools account's function has no policy that lets it in"),
       status("b","Failed"),
       steps("b",{f"{S}[0].StepStatus":"Failed",f"{S}[0].FailureReason":"ZeroDivisionError: division by zero",f"{S}[0].AttemptCount":1}),
       status("t","Failed"),
       steps("t",{f"{S}[0].FailureReason":"The value 'high' of output parameter 'accuracy' does not match its OutputType."}),
      ]}],
     "expect":[
       {"account":"ml-prod","spec":["P3","L1"],"note":"the execution role invokes the function, through SageMaker: a data event the pipeline account's trail selects",
        "sees":{"eventName":"Invoke","eventSource":"lambda.amazonaws.com","eventCategory":"Data","errorCode":None,
                "requestParameters.functionName":fn("sagemaker-evaluate"),
                "additionalEventData.functionVersion":fn("sagemaker-evaluate")+":$LATEST",
                "resources[0].type":"AWS::Lambda::Function",
                "userIdentity.sessionContext.sessionIssuer.arn":role_arn(EXEC),"userIdentity.invokedBy":"sagemaker.amazonaws.com"}},
       {"account":"ml-prod","spec":"L1","sees":{"eventName":"Invoke","errorCode":"AccessDeniedException",
                "requestParameters.functionName":fn("sagemaker-private",TOOLS),"userIdentity.invokedBy":"sagemaker.amazonaws.com"}},
       {"account":"tools","spec":"L6","note":"the owner's trail selects no Lambda data events: none of the invocations of its functions is in its log",
        "lacks":{"eventName":"Invoke"}},
       {"account":"ml-prod","spec":"P3","count":{"of":{"eventName":"CreateTrainingJob","errorCode":None},"min":1,"max":1}},
     ]}
    return sc


def scenario_emr():
    EXEC="EmrPipelineRole"
    OTHER="222222222222"
    S="PipelineExecutionSteps"
    C1,C2,C3="j-1FEATURES0001","j-2BROKEN00002","j-3OTHERACCT03"
    def cl(cid, acct=ACCT): return f"arn:aws:elasticmapreduce:{REGION}:{acct}:cluster/{cid}"
    def emr(name, cluster=None, config=None, jar="command-runner.jar", **kw):
        a={"StepConfig":{"HadoopJarStep":{"Jar":jar,"Args":["spark-submit","s3://ml-artifacts-111/jobs/features.py",
                                                         "--run",{"Get":"Execution.PipelineExecutionId"}]}}}
        if jar is None: del a["StepConfig"]["HadoopJarStep"]["Jar"]
        if cluster: a["ClusterId"]=cluster
        if config: a["ClusterConfig"]=config
        st={"Name":name,"Type":"EMR","Arguments":a}
        st.update(kw)
        return st
    train={"Name":"Train","Type":"Training","DependsOn":["BuildFeatures"],"Arguments":training_args()}
    def pl(name, steps, n, expect="ok", **kw): return create_step(name, steps, n, EXEC, expect, **kw)
    start, status, steps = start_step, status_step, steps_step
    newcluster={"Instances":{"InstanceGroups":[{"InstanceRole":"MASTER","InstanceCount":1,"InstanceType":"m5.xlarge"}]},
                "ReleaseLabel":"emr-6.15.0"}
    sc={
     "scenario":"pipeline-emr-step",
     "description":"EMR steps, as SageMaker Pipelines runs them on a running cluster: the execution role adds the StepConfig to the cluster (elasticmapreduce:AddJobFlowSteps, through SageMaker; the cluster step is named after the pipeline step, ActionOnFailure CONTINUE), the pipeline step runs while the cluster step does (steps on one cluster run one at a time) and ends as it ends: Succeeded, or Failed with EMR's failure message and Metadata.EMR.LogFilePath. Metadata.EMR names ClusterId, StepId and StepName. Stopping the execution cancels the cluster step (CancelSteps) and the step is Stopped. Another account's cluster is out of reach (EMR has no resource policies); an unknown cluster is EMR's ValidationException. A step that would create its own cluster (ClusterConfig) fails: crossim does not simulate cluster creation.",
     "seed":17,"start":"2026-03-04T09:00:00Z","region":REGION,
     "jobs":{"training":{"duration":{"fixed":"15m"}}},
     "accounts":{
      ACCT:{"alias":"ml-prod",
       "emr_clusters":{C1:{"name":"feature-engineering","step_duration":"10m"},
                       C2:{"name":"broken","step_duration":"3m","step_failure":"Exception in thread \"main\" java.io.FileNotFoundException: s3://ml-artifacts-111/raw/missing.csv"}},
       "roles":{
         "DataScientist":{"policies":[policy(allow(["sagemaker:*","elasticmapreduce:*"]), pass_role(EXEC))]},
         EXEC:{"trust":SM_TRUST,"policies":[policy(
            allow(["sagemaker:CreateTrainingJob","sagemaker:DescribeTrainingJob"]),
            allow(["elasticmapreduce:AddJobFlowSteps","elasticmapreduce:CancelSteps","elasticmapreduce:DescribeStep"],
                  [f"arn:aws:elasticmapreduce:{REGION}:{ACCT}:cluster/*",f"arn:aws:elasticmapreduce:{REGION}:{OTHER}:cluster/*"]),
            pass_role(EXEC), allow(["s3:ListBucket","s3:GetObject"],["arn:aws:s3:::ml-artifacts-111","arn:aws:s3:::ml-artifacts-111/*"]))]}},
       "buckets":{"ml-artifacts-111":{}}},
      OTHER:{"alias":"analytics","emr_clusters":{C3:{"name":"shared-analytics"}}}},
     "actors":[
      {"name":"ds","as":{"account":"ml-prod","role":"DataScientist"},"script":[
       pl("TwoClusters",[emr("BuildFeatures",C1,newcluster)],"01","ValidationException",spec="P7",
          note="an EMR step runs on a cluster it names or on one it creates, not both"),
       pl("NoJar",[emr("BuildFeatures",C1,jar=None)],"02","ValidationException",spec="P7"),
       pl("RetryEmr",[emr("BuildFeatures",C1,RetryPolicies=[{"ExceptionType":["Step.SERVICE_FAULT"],"MaxAttempts":2}])],"03",
          "ValidationException",spec="P7",note="EMR steps take no retry policies"),
       pl("Features",[emr("BuildFeatures",C1),train],"04"),
       pl("Broken",[emr("BuildFeatures",C2)],"05"),
       pl("OtherAccount",[emr("BuildFeatures",C3)],"06"),
       pl("Missing",[emr("BuildFeatures","j-9NOSUCHCLUSTR")],"07"),
       pl("NewCluster",[emr("BuildFeatures",config=newcluster)],"08"),
       {"after":"10s","call":"elasticmapreduce:CancelSteps","input":{"ClusterId":"j-9NOSUCHCLUSTR","StepIds":["s-AAAAAAAAAAAAA"]},
        "expect":"InvalidRequestException"},
       start("Features","x","10"), start("Features","q","11"), start("Broken","b","12"), start("OtherAccount","o","13"),
       start("Missing","m","14"), start("NewCluster","n","15"),
       {"after":"1m","call":"sagemaker:ListPipelineExecutionSteps","input":{"PipelineExecutionArn":"${q.PipelineExecutionArn}"},"save":"qs",
        "note":"the second execution's cluster step waits behind the first's (one step at a time)",
        "expect_output":{f"{S}[0].StepStatus":"Executing",f"{S}[0].Metadata.EMR.ClusterId":C1,f"{S}[0].Metadata.EMR.StepName":"BuildFeatures",
                         f"{S}[0].Metadata.EMR.StepId":"s-*"}},
       {"call":"elasticmapreduce:DescribeStep","input":{"ClusterId":C1,"StepId":"${qs."+S+"[0].Metadata.EMR.StepId}"},
        "expect_output":{"Step.Status.State":"PENDING","Step.Name":"BuildFeatures","Step.ActionOnFailure":"CONTINUE",
                         "Step.Config.Jar":"command-runner.jar","Step.Config.Args[0]":"spark-submit"}},
       {"call":"elasticmapreduce:DescribeStep","input":{"ClusterId":C1,"StepId":"s-AAAAAAAAAAAAA"},"expect":"InvalidRequestException"},
       {"call":"sagemaker:StopPipelineExecution","input":{"PipelineExecutionArn":"${q.PipelineExecutionArn}","ClientRequestToken":TOKEN+"16"},"expect":"ok"},
       status("q","Stopped",after="1m",spec="P7",note="the pending cluster step was cancelled"),
       {"call":"elasticmapreduce:DescribeStep","input":{"ClusterId":C1,"StepId":"${qs."+S+"[0].Metadata.EMR.StepId}"},
        "expect_output":{"Step.Status.State":"CANCELLED"}},
       {"wait":"sagemaker:pipeline-execution","match":{"PipelineExecutionArn":"${x.PipelineExecutionArn}"},"timeout":"2h"},
       status("x","Succeeded"),
       steps("x",{f"{S}[0].StepName":"BuildFeatures",f"{S}[0].StepStatus":"Succeeded",f"{S}[0].Metadata.EMR.ClusterId":C1,
                  f"{S}[0].Metadata.EMR.StepName":"BuildFeatures",f"{S}[1].StepName":"Train",f"{S}[1].StepStatus":"Succeeded"},
             spec="P7",note="the training step waited for the cluster step"),
       {"call":"elasticmapreduce:CancelSteps","input":{"ClusterId":C1,"StepIds":["${qs."+S+"[0].Metadata.EMR.StepId}"]},
        "expect_output":{"CancelStepsInfoList[0].Status":"FAILED"},"note":"a step already cancelled cannot be cancelled again"},
       status("b","Failed"),
       steps("b",{f"{S}[0].StepStatus":"Failed",f"{S}[0].FailureReason":"Exception in thread \"main\" java.io.FileNotFoundException: *",
                  f"{S}[0].Metadata.EMR.LogFilePath":"s3://*/elasticmapreduce/"+C2+"/steps/s-*/stderr.gz"}),
       status("o","Failed"),
       steps("o",{f"{S}[0].FailureReason":"AccessDeniedException: *"},spec="P3",
             note="the role's policy names the analytics account's clusters, but that account's cluster is not the role's account's"),
       status("m","Failed"),
       steps("m",{f"{S}[0].FailureReason":"ValidationException: *"}),
       status("n","Failed"),
       steps("n",{f"{S}[0].FailureReason":"crossim does not simulate EMR steps that create their own cluster (ClusterConfig)."}),
      ]}],
     "expect":[
       {"account":"ml-prod","spec":["P3","L1"],"note":"the execution role adds the cluster step, through SageMaker",
        "sees":{"eventName":"AddJobFlowSteps","eventSource":"elasticmapreduce.amazonaws.com","errorCode":None,
                "requestParameters.jobFlowId":C1,
                "userIdentity.sessionContext.sessionIssuer.arn":role_arn(EXEC),"userIdentity.invokedBy":"sagemaker.amazonaws.com"}},
       {"account":"ml-prod","spec":"P3","note":"stopping the execution cancels the cluster step as the execution role",
        "sees":{"eventName":"CancelSteps","errorCode":None,"userIdentity.invokedBy":"sagemaker.amazonaws.com"}},
       {"account":"ml-prod","spec":"L1","sees":{"eventName":"AddJobFlowSteps","errorCode":"AccessDeniedException","requestParameters.jobFlowId":C3}},
       {"account":"analytics","spec":"L1","note":"the refused call is logged in the caller's account only",
        "lacks":{"eventName":"AddJobFlowSteps"}},
       {"account":"ml-prod","spec":"P3","count":{"of":{"eventName":"CreateTrainingJob","errorCode":None},"min":1,"max":1}},
     ]}
    return sc


SCENARIOS = {
    "pipeline-automl-step": scenario_automl,
    "pipeline-automl-no-retry": scenario_automl_no_retry,
    "pipeline-callback-step": scenario_callback,
    "pipeline-check-steps": scenario_checks,
    "pipeline-emr-step": scenario_emr,
    "pipeline-lambda-step": scenario_lambda,
    "pipeline-retries": scenario_retries,
    "pipeline-job-prefix": scenario_prefix,
    "pipeline-roles": scenario_roles,
    "pipeline-stress": scenario_stress,
    "pipeline-stop-retry": scenario_stopretry,
    "pipeline-cross-account": scenario_xacct,
    "pipeline-register": scenario_register,
}

if __name__ == "__main__":
    names = sys.argv[1:] or sorted(SCENARIOS)
    for n in names:
        write(f"scenarios/{n}.json", SCENARIOS[n]())
