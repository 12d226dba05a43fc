/* model/sm_pipelines.h: SageMaker Pipelines (SPEC P1-P9).
 *
 * The operations are the table api_ops_sagemaker_pipelines.  The functions
 * below are the pure rules of the module, exported for the unit tests:
 * definition checking, job names and retry delays. */
#ifndef CROSSIM_SM_PIPELINES_H
#define CROSSIM_SM_PIPELINES_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "model/api.h"


/* Checks a pipeline definition (the PipelineDefinition text) as
 * CreatePipeline does: JSON, Version, Parameters, step names and types,
 * DependsOn and Get references, cycles, retry policies, custom job-name
 * prefix lengths (P4).  true when valid; else false with *message (owned)
 * saying what is wrong, as the ValidationException's message. */
bool  sm_pipeline_check_definition(const char *text, char **message);

/* The name of a step's job (P4, P8): with prefix (the custom prefix, P5/P6)
 * "<prefix>-<executionId>-<entityToken>-<failureCount>", else
 * "pipelines-<executionId>-<first 20 chars of step>-<entityToken>-<failureCount>"
 * (characters a job name cannot hold become '-').  tuning (Tuning and AutoML steps): the job name
 * limit is 32, and without a prefix the name is
 * "<executionId>-<entityToken>-<failureCount>".  A new string. */
char *sm_pipeline_job_name(const char *prefix, const char *execution_id, const char *step,
                           const char *entity_token, int failure_count, bool tuning);

/* The wait before retry number n (1, 2, ...) of a policy:
 * IntervalSeconds * BackoffRate^(n-1), in seconds. */
double sm_pipeline_retry_delay(double interval_s, double backoff, int n);

/* The tally of the world's pipelines for the run summary (a new object):
 * executions by final status, step jobs created, retries, throttled and
 * quota-limited job creations, capacity failures, queued step starts. */
cJSON *sm_pipelines_stats(world *w);

#endif
