/* model/sm_pipelines_int.h: what the parts of SageMaker Pipelines share, and
 * nothing else includes: the step kinds, retry policies and parsed
 * definitions (model/sm_pipedef.c); the executions' state and operations
 * (model/sm_pipelines.c); the execution engine (model/sm_pipexec.c); the
 * expressions of step arguments (model/sm_pipexpr.c).  A definition is
 * immutable once parsed and reference counted. */
#ifndef CROSSIM_SM_PIPELINES_INT_H
#define CROSSIM_SM_PIPELINES_INT_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>

typedef enum step_type {
    ST_TRAINING, ST_PROCESSING, ST_TRANSFORM, ST_TUNING, ST_AUTOML, ST_MODEL, ST_REGISTER,
    ST_QUALITY, ST_CLARIFY, ST_CALLBACK, ST_LAMBDA, ST_EMR, ST_CONDITION, ST_FAIL, ST_OTHER
} step_type;

/* QualityCheck and ClarifyCheck: steps that run a processing job as a check. */
static inline bool sm_pipelines__is_check(step_type t)
{
    return t == ST_QUALITY || t == ST_CLARIFY;
}

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

#define PL_SLOT "sagemaker-pipelines"
#define SESSION_NAME "SageMaker"
#define STEP_START_US (1LL * 1000000)
#define EXEC_QUOTA "sagemaker:concurrent-pipeline-executions"
#define EXEC_QUOTA_DEFAULT 200
#define STEP_QUOTA "sagemaker:steps-per-pipeline"
#define STEP_QUOTA_DEFAULT 50
#define ID_CHARS "abcdefghijklmnopqrstuvwxyz0123456789"
#define TOKEN_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/* ---- executions (model/sm_pipelines.c), and the expressions their steps'
 * arguments hold (model/sm_pipexpr.c) ---------------------------------------- */

#include "model/api.h"
#include "model/base/enumx.h"


/* ---- state -------------------------------------------------------------------------------- */

typedef enum run_status {
    RS_NONE, RS_SKIPPED, RS_STARTING, RS_EXECUTING, RS_STOPPING, RS_SUCCEEDED, RS_FAILED,
    RS_STOPPED
} run_status;

static const char *const RS_NAMES[] = { NULL, NULL, "Starting", "Executing", "Stopping",
                                        "Succeeded", "Failed", "Stopped" };

/* An execution's PipelineExecutionStatus. */
#define EXEC_STATUS_MAP(X) X(EX_EXECUTING, "Executing") X(EX_STOPPING, "Stopping") \
    X(EX_STOPPED, "Stopped") X(EX_FAILED, "Failed") X(EX_SUCCEEDED, "Succeeded")
typedef enum exec_status { EXEC_STATUS_MAP(ENUMX_ID) } exec_status;
static const char *const EXEC_NAMES[] = { EXEC_STATUS_MAP(ENUMX_NAME) };

typedef struct step_run {
    run_status status;
    int        attempts, failure_count;
    int       *policy_retries;       /* per retry policy */
    int64_t    start_us, end_us, first_start_us;
    char      *job_arn, *failure, *outcome, *fail_message;
    char      *cache_key;            /* the resolved request without the job name */
    char      *cache_source;         /* CacheHitResult: the execution reused */
    char       token[9];
    char       callback[11];         /* a Callback step's CallbackToken, "" before */
    char      *callback_request;     /* the ClientRequestToken that completed it, or NULL */
    uint64_t   timer;
    cJSON     *props;                /* the job's Describe answer once it ended */
    bool       queued;               /* counted once as a queued start */
} step_run;

typedef struct pipeline {
    char    *name, *arn, *account, *role_arn;
    char    *display_name, *description;
    pdef    *def;
    int      max_parallel;            /* 0: none */
    int64_t  created_us, modified_us, last_run_us;
    cJSON   *created_by, *modified_by;
    int64_t  version;
    GHashTable *tokens;               /* ClientRequestToken -> execution ARN */
} pipeline;

typedef struct execution {
    char       *arn, *id, *account;
    char       *starter;              /* account of the principal who started it */
    char       *pipeline_arn, *pipeline_name;
    char       *role_arn;
    char       *display_name, *description;
    pdef       *def;
    cJSON      *params;               /* name -> value (typed) */
    exec_status status;
    char       *failure;
    int64_t     created_us, modified_us;
    cJSON      *created_by;
    int         max_parallel;
    int64_t     version;
    step_run   *runs;                 /* def->steps->len */
    principal  *role;                 /* the execution role's session */
    rng         r;
    bool        failing, ended_at_fail, counted;
} execution;

typedef struct pl_stats {
    gint64 started, succeeded, failed, stopped;
    gint64 jobs, retries, throttled, limited, capacity, queued, denied;
} pl_stats;

/* One step of one execution, as timers and the job index hold it: the
 * execution by ARN (it may be gone when the timer fires) and the step's
 * index in its definition. */
typedef struct step_ref {
    char *exec_arn;
    int   step;
} step_ref;

typedef struct pl_state {
    GHashTable *pipelines;            /* arn -> pipeline* */
    GHashTable *executions;           /* arn -> execution* */
    GHashTable *by_job;               /* job arn -> step_ref* of the step that runs it */
    GHashTable *callbacks;            /* CallbackToken -> step_ref* of its Callback step */
    GHashTable *running;              /* account -> gint64* executions Executing/Stopping */
    pl_stats    stats;
} pl_state;

/* Resolving one step's expressions for execution x (model/sm_pipexpr.c):
 * the first failure is kept in error. */
typedef struct xctx {
    world     *w;
    execution *x;
    int        step;               /* the step being resolved, for messages */
    char      *error;              /* first failure, owned */
} xctx;

cJSON *sm_pipelines__resolve(xctx *e, const cJSON *v);
char *sm_pipelines__as_text(const cJSON *v);
/* Keeps the first failure of e, printf style. */
void sm_pipelines__xfail(xctx *e, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
int sm_pipelines__eval_condition(xctx *e, const cJSON *cond);
const pstep *sm_pipelines__pstep_at(const execution *x, int i);
/* The Metadata of a QualityCheck or ClarifyCheck step (new object); job is
 * the job's Describe answer once it completed, else NULL. */
cJSON *sm_pipelines__check_meta(const pstep *ps, const char *job_arn, const cJSON *job);

/* The value of a Callback or Lambda step's output parameter name as its
 * declared OutputType reads text (String when undeclared): a new item, or
 * NULL when text is not of that type. */
cJSON *sm_pipelines__typed_output(const pstep *ps, const char *name, const char *text);

/* Shared by model/sm_pipelines.c (state, operations) and model/sm_pipexec.c
 * (the engine). */
void sm_pipelines__job_ended(world *w, const char *job_arn);
gint64 *sm_pipelines__running_of(pl_state *s, const char *account);
void sm_pipelines__set_str(char **slot, const char *v);
pl_state *sm_pipelines__state_of(world *w);
execution *sm_pipelines__execution_for(api_call *c, const char *action);
execution *sm_pipelines__execution_get(world *w, const char *arn);
cJSON *sm_pipelines__execution_json(world *w, const execution *x);
void sm_pipelines__pump(world *w, execution *x);
void sm_pipelines__step_done(world *w, execution *x, int i, run_status st,
                             const char *failure);
step_ref *sm_pipelines__step_ref_new(const char *exec_arn, int step);
void sm_pipelines__step_ref_free(gpointer p);
/* The step ref names, with its execution in *x; NULL when the execution is gone. */
step_run *sm_pipelines__step_of(world *w, const step_ref *ref, execution **x);

#endif
