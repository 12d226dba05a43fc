/* model/emr.h: Amazon EMR clusters and their steps as other services see them.
 *
 * A scenario declares an account's running clusters ("emr_clusters": id ->
 * {"name", "step_duration", "step_failure"}); AddJobFlowSteps queues steps
 * on one (model/svc_emr.c), which run one at a time (StepConcurrencyLevel
 * 1) for the cluster's step duration and complete, or fail with its
 * step_failure.  A SageMaker Pipelines EMR step adds its step through
 * api_invoke_via as the execution role and reads the step's outcome here
 * when it ends. */
#ifndef CROSSIM_EMR_H
#define CROSSIM_EMR_H

#include <stdbool.h>
#include <stdint.h>

#include "model/world.h"

typedef struct emr_step_view {
    const char *state;        /* StepState at the world's time: PENDING, RUNNING, ... */
    int64_t     end_us;       /* when it ends (or ended) */
    const char *failure;      /* FailureDetails.Message when it fails, or NULL */
    char       *log_file;     /* FailureDetails.LogFile when it fails (owned: g_free), or NULL */
} emr_step_view;

/* The step step_id of cluster into *out (strings borrowed but log_file);
 * false when none. */
bool emr_step(world *w, const char *cluster, const char *step_id, emr_step_view *out);

#endif
