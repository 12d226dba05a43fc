/* model/sm_pipelines_int.h: what the two halves of SageMaker Pipelines share,
 * and nothing else includes: the step kinds, retry policies and parsed
 * definitions (model/sm_pipedef.c) that executions (model/sm_pipelines.c)
 * run.  A definition is immutable once parsed and reference counted. */
#ifndef CROSSIM_SM_PIPELINES_INT_H
#define CROSSIM_SM_PIPELINES_INT_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>

typedef enum step_type {
    ST_TRAINING, ST_PROCESSING, ST_TRANSFORM, ST_TUNING, ST_MODEL, ST_REGISTER,
    ST_CONDITION, ST_FAIL, ST_OTHER
} step_type;

/* What each step type starts and how its job is named (AWS-FACTS §3). */
typedef struct sm_step_kind {
    const char *type;
    const char *action;         /* the call that starts the step's work */
    const char *name_member;    /* the job name member (custom prefix, P4) */
    const char *arn_member;     /* in the answer */
    const char *meta;           /* Metadata key in ListPipelineExecutionSteps */
    int         prefix_max;     /* AWS-FACTS §3 */
    bool        retry;          /* takes RetryPolicies */
} sm_step_kind;
extern const sm_step_kind sm_pipelines__kinds[ST_OTHER + 1];

/* The exception types of RetryPolicies, as indices into the names. */
enum { EXC_SERVICE_FAULT, EXC_THROTTLING, EXC_INTERNAL, EXC_CAPACITY, EXC_LIMIT, EXC_N };
/* The index of a RetryPolicies exception type, or -1. */
int   sm_pipelines__exc_index(const char *type);

typedef struct retry_policy {
    unsigned types;             /* bit i: EXC[i] */
    double   interval_s, backoff;
    int      max_attempts;      /* retries; -1 with expire */
    int      expire_min;        /* -1 without */
} retry_policy;

typedef struct pstep {
    char        *name;
    step_type    type;
    const char  *type_name;     /* as written */
    const cJSON *json;          /* borrowed from the definition document */
    GArray      *deps;          /* int: indices of steps it waits for */
    GArray      *retry;         /* retry_policy */
    int          cond;          /* index of the Condition whose branch holds it, or -1 */
    bool         in_else;
} pstep;

typedef struct pdef {
    gint       refs;
    cJSON     *doc;
    char      *text;
    GPtrArray *steps;           /* pstep*, top level first, then branches */
    GHashTable*by_name;         /* name -> index + 1 */
} pdef;

/* Parses and checks a definition (see sm_pipeline_check_definition); a new
 * reference, or NULL with *message (owned). */
pdef *sm_pipelines__parse(const char *text, char **message);
pdef *sm_pipelines__ref(pdef *d);
void  sm_pipelines__unref(pdef *d);          /* NULL-safe */
/* The index of the step named name, or -1. */
int   sm_pipelines__step_index(const pdef *d, const char *name);
/* True when the definition's Parameters list declares name. */
bool  sm_pipelines__has_param(const cJSON *params, const char *name);

#endif
