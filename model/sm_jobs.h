/* model/sm_jobs.h: SageMaker training, processing, transform and tuning jobs
 * as other modules (pipelines) and the scenario loader see them.
 *
 * The job operations themselves are the table api_ops_sagemaker_jobs.  A job
 * runs in simulated time: it is provisioned (capacity per instance type per
 * account may be short: the job fails with a CapacityError), then runs for a
 * duration drawn from the scenario's job behaviour ("jobs" key), and may fail
 * with one of the configured failure kinds.  Create*Job calls are rate
 * limited per account (ThrottlingException) and count instances against the
 * account's "<type> for <kind> job usage" quota (ResourceLimitExceeded). */
#ifndef CROSSIM_SM_JOBS_H
#define CROSSIM_SM_JOBS_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "model/api.h"
#include "model/base/enumx.h"


/* Reports one problem of the "jobs" configuration: node is where it is,
 * path its JSON path ("jobs.training.duration"). */
typedef void (*sm_jobs_report_fn)(void *user, const cJSON *node, const char *path,
                                  const char *message);
/* Validates and installs the scenario's job behaviour (cfg borrowed; NULL:
 * defaults).  Returns false after reporting every problem. */
bool sm_jobs_configure(world *w, const cJSON *cfg, sm_jobs_report_fn report, void *user);

/* Called when a job reaches a terminal status (Completed, Failed, Stopped). */
typedef void (*sm_job_end_fn)(world *w, const char *job_arn);
void sm_jobs_on_end(world *w, sm_job_end_fn fn);

/* A job's status, as Describe*Job names it. */
#define SM_JOB_STATUS_MAP(X) X(SM_JOB_NONE, NULL) X(SM_JOB_IN_PROGRESS, "InProgress") \
    X(SM_JOB_COMPLETED, "Completed") X(SM_JOB_FAILED, "Failed") X(SM_JOB_STOPPING, "Stopping") \
    X(SM_JOB_STOPPED, "Stopped")
typedef enum sm_job_status_t { SM_JOB_STATUS_MAP(ENUMX_ID) } sm_job_status_t;

/* The job's status, SM_JOB_NONE when there is no such job.  *failure (may
 * be NULL): the FailureReason, borrowed, NULL when none. */
sm_job_status_t sm_job_status(world *w, const char *job_arn, const char **failure);
/* The job as Describe*Job answers it (a new object), or NULL. */
cJSON      *sm_job_describe(world *w, const char *job_arn);
/* The pipeline exception type a failed job stands for
 * ("SageMaker.CAPACITY_ERROR", "SageMaker.JOB_INTERNAL_ERROR"), or NULL. */
const char *sm_job_exception_type(world *w, const char *job_arn);

#endif
