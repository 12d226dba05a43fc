/* model/sm_pipexec.c: the execution engine of SageMaker Pipelines: which
 * steps are ready, starting each step's job as the execution role (its
 * name by the rules of AWS-FACTS §3), the job's end coming back, retries
 * by RetryPolicies with backoff, caching, Condition and Fail steps, and an
 * execution's end (P1-P8). */
#include "model/sm_pipelines_int.h"
#include "model/world_int.h"
#include "model/sm_common.h"
#include "model/sm_jobs.h"
#include "model/ram.h"
#include "model/sm_pipelines.h"
#include "model/lambda.h"
#include "model/emr.h"

#include <math.h>
#include <string.h>

static const sm_step_kind *const KINDS = sm_pipelines__kinds;

/* ---- the execution engine ----------------------------------------------------------------- */


execution *sm_pipelines__execution_get(world *w, const char *arn)
{
    return g_hash_table_lookup(sm_pipelines__state_of(w)->executions, arn);
}

static bool run_active(const step_run *r)
{
    return r->status == RS_STARTING || r->status == RS_EXECUTING || r->status == RS_STOPPING;
}

cJSON *sm_pipelines__execution_json(world *w, const execution *x)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "PipelineArn", x->pipeline_arn);
    cJSON_AddStringToObject(o, "PipelineExecutionArn", x->arn);
    cJSON_AddStringToObject(o, "PipelineExecutionDisplayName", x->display_name);
    cJSON_AddStringToObject(o, "PipelineExecutionStatus", EXEC_NAMES[x->status]);
    if (x->description)
        cJSON_AddStringToObject(o, "PipelineExecutionDescription", x->description);
    cJSON *ec = cJSON_AddObjectToObject(o, "PipelineExperimentConfig");
    cJSON_AddStringToObject(ec, "ExperimentName", x->pipeline_name);
    cJSON_AddStringToObject(ec, "TrialName", x->id);
    if (x->failure)
        cJSON_AddStringToObject(o, "FailureReason", x->failure);
    api_add_time(w, o, "CreationTime", x->created_us);
    api_add_time(w, o, "LastModifiedTime", x->modified_us);
    cJSON_AddItemToObject(o, "CreatedBy", cJSON_Duplicate(x->created_by, 1));
    cJSON_AddItemToObject(o, "LastModifiedBy", cJSON_Duplicate(x->created_by, 1));
    if (x->max_parallel > 0) {
        cJSON *pc = cJSON_AddObjectToObject(o, "ParallelismConfiguration");
        cJSON_AddNumberToObject(pc, "MaxParallelExecutionSteps", x->max_parallel);
    }
    cJSON_AddNumberToObject(o, "PipelineVersionId", (double)x->version);
    return o;
}

/* The execution is over when no step is active and none can start. */
static void maybe_finish(world *w, execution *x, bool can_start)
{
    if (x->status != EX_EXECUTING && x->status != EX_STOPPING)
        return;
    guint n = x->def->steps->len;
    const char *failed_step = NULL, *failed_reason = NULL;
    for (guint i = 0; i < n; i++) {
        const step_run *r = &x->runs[i];
        if (run_active(r) || (r->timer && r->status != RS_NONE))
            return;
        if (r->status == RS_FAILED && !failed_step) {
            failed_step = sm_pipelines__pstep_at(x, (int)i)->name;
            failed_reason = r->failure;
        }
    }
    if (can_start)
        return;
    pl_state *s = sm_pipelines__state_of(w);
    if (x->status == EX_STOPPING) {
        x->status = EX_STOPPED;
        s->stats.stopped++;
    } else if (failed_step) {
        x->status = EX_FAILED;
        g_autofree char *why = g_strdup_printf("Step failure: One or multiple steps failed. "
                                               "Step %s: %s", failed_step,
                                               failed_reason ? failed_reason : "");
        if (strlen(why) > 1300)
            why[1300] = '\0';
        sm_pipelines__set_str(&x->failure, why);
        s->stats.failed++;
    } else {
        x->status = EX_SUCCEEDED;
        s->stats.succeeded++;
    }
    x->modified_us = world_now(w);
    if (x->counted) {
        (*sm_pipelines__running_of(s, x->account))--;
        x->counted = false;
    }
    g_autoptr(cJSON) d = sm_pipelines__execution_json(w, x);
    world_notify(w, x->account, "sagemaker:pipeline-execution", d);
    if (strcmp(x->starter, x->account) != 0)
        world_notify(w, x->starter, "sagemaker:pipeline-execution", d);
}

void sm_pipelines__step_done(world *w, execution *x, int i, run_status st, const char *failure)
{
    step_run *r = &x->runs[i];
    r->status = st;
    r->end_us = world_now(w);
    r->timer = 0;
    sm_pipelines__set_str(&r->failure, failure);
    if (st == RS_FAILED)
        x->failing = true;
    x->modified_us = world_now(w);
}

/* An attempt failed with exception type exc (an EXC index, -1: none that
 * retry policies name).  Retries by the step's first policy naming exc
 * (P8); Step.THROTTLING and Step.SERVICE_FAULT are retried by default as
 * SageMaker does when no policy names them. */
static void schedule_launch(world *w, execution *x, int i, int64_t at);

static void attempt_failed(world *w, execution *x, int i, int exc, const char *reason)
{
    step_run *r = &x->runs[i];
    const pstep *ps = sm_pipelines__pstep_at(x, i);
    pl_state *s = sm_pipelines__state_of(w);
    if (exc == EXC_THROTTLING)
        s->stats.throttled++;
    else if (exc == EXC_LIMIT)
        s->stats.limited++;
    else if (exc == EXC_CAPACITY)
        s->stats.capacity++;
    int64_t now = world_now(w);
    const retry_policy *hit = NULL;
    int pi = -1;
    for (guint k = 0; exc >= 0 && k < ps->retry->len; k++) {
        const retry_policy *rp = &g_array_index(ps->retry, retry_policy, k);
        if (rp->types & (1u << exc)) {
            hit = rp;
            pi = (int)k;
            break;
        }
    }
    static const retry_policy dflt = { .interval_s = 1, .backoff = 2.0, .max_attempts = 5,
                                       .expire_min = -1 };
    if (!hit && (exc == EXC_THROTTLING || exc == EXC_SERVICE_FAULT))
        hit = &dflt;
    /* Tuning and AutoML steps never retry internal job errors (AWS-FACTS §3). */
    if ((ps->type == ST_TUNING || ps->type == ST_AUTOML) && exc == EXC_INTERNAL)
        hit = NULL;
    bool stopping = x->status == EX_STOPPING;
    /* A running step keeps retrying by its policy even when another step
     * has failed: the execution ends only after running steps finish. */
    if (hit && !stopping) {
        int done = pi >= 0 ? r->policy_retries[pi] : r->failure_count;
        bool more = hit->expire_min >= 0
            ? now - r->first_start_us < (int64_t)hit->expire_min * 60 * 1000000
            : done < hit->max_attempts;
        if (more) {
            if (pi >= 0)
                r->policy_retries[pi]++;
            r->failure_count++;
            s->stats.retries++;
            double delay = sm_pipeline_retry_delay(hit->interval_s, hit->backoff, done + 1);
            r->status = RS_STARTING;
            sm_pipelines__set_str(&r->failure, reason);
            schedule_launch(w, x, i, now + (int64_t)(delay * 1e6));
            return;
        }
    }
    sm_pipelines__step_done(w, x, i, RS_FAILED, reason);
}

static int exc_of_error(const char *code)
{
    if (g_strcmp0(code, "ThrottlingException") == 0)
        return EXC_THROTTLING;
    if (g_strcmp0(code, "ResourceLimitExceeded") == 0)
        return EXC_LIMIT;
    if (g_strcmp0(code, "InternalFailure") == 0 || g_strcmp0(code, "ServiceUnavailable") == 0)
        return EXC_SERVICE_FAULT;
    return -1;
}

/* The request of a job step: its Arguments resolved, the job name by the
 * rules (P4), the role the step names or the execution role (P3). */
static cJSON *job_request(xctx *e, int i)
{
    const pstep *ps = sm_pipelines__pstep_at(e->x, i);
    step_run *r = &e->x->runs[i];
    const cJSON *given = cJSON_GetObjectItemCaseSensitive(ps->json, "Arguments");
    if (!given) {
        sm_pipelines__xfail(e, "Step %s has no Arguments.", ps->name);
        return NULL;
    }
    cJSON *args = sm_pipelines__resolve(e, given);
    if (!args)
        return NULL;
    if (!cJSON_IsObject(args)) {
        cJSON_Delete(args);
        sm_pipelines__xfail(e, "Step %s has no Arguments object.", ps->name);
        return NULL;
    }
    const char *nm = KINDS[ps->type].name_member;
    const char *prefix = api_str(args, nm);
    bool named = ps->type != ST_REGISTER || prefix;
    if (named) {
        g_autofree char *name = sm_pipeline_job_name(prefix, e->x->id, ps->name, r->token,
                                                     r->failure_count,
                                                     ps->type == ST_TUNING || ps->type == ST_AUTOML);
        cJSON_DeleteItemFromObjectCaseSensitive(args, nm);
        cJSON_AddStringToObject(args, nm, name);
    }
    if (ps->type == ST_TRAINING || ps->type == ST_PROCESSING || ps->type == ST_AUTOML ||
        sm_pipelines__is_check(ps->type)) {
        if (!cJSON_GetObjectItemCaseSensitive(args, "RoleArn"))
            cJSON_AddStringToObject(args, "RoleArn", e->x->role_arn);
    } else if (ps->type == ST_TUNING) {
        cJSON *tjd = cJSON_GetObjectItemCaseSensitive(args, "TrainingJobDefinition");
        if (tjd && !cJSON_GetObjectItemCaseSensitive(tjd, "RoleArn"))
            cJSON_AddStringToObject(tjd, "RoleArn", e->x->role_arn);
    } else if (ps->type == ST_MODEL) {
        if (!cJSON_GetObjectItemCaseSensitive(args, "ExecutionRoleArn"))
            cJSON_AddStringToObject(args, "ExecutionRoleArn", e->x->role_arn);
    }
    return args;
}

/* "P30D", "PT12H", "P1W", "P1DT2H30M": an ISO 8601 duration in
 * microseconds (years and months as 365 and 30 days); -1 when not one. */
static int64_t iso_duration_us(const char *t)
{
    if (!t || *t != 'P' || !t[1])
        return -1;
    int64_t us = 0;
    bool in_time = false;
    for (const char *p = t + 1; *p;) {
        if (*p == 'T') {
            in_time = true;
            p++;
            continue;
        }
        char *end = NULL;
        double v = g_ascii_strtod(p, &end);
        if (end == p || !*end || v < 0)
            return -1;
        double secs;
        switch (*end) {
        case 'Y': secs = in_time ? -1 : 365 * 86400.0; break;
        case 'M': secs = in_time ? 60 : 30 * 86400.0; break;
        case 'W': secs = in_time ? -1 : 7 * 86400.0; break;
        case 'D': secs = in_time ? -1 : 86400.0; break;
        case 'H': secs = in_time ? 3600 : -1; break;
        case 'S': secs = in_time ? 1 : -1; break;
        default: return -1;
        }
        if (secs < 0)
            return -1;
        us += (int64_t)(v * secs * 1e6);
        p = end + 1;
    }
    return us;
}

/* Step caching (CacheConfig {Enabled, ExpireAfter}): a step whose resolved
 * request (job name aside) equals that of the same step of an earlier
 * execution of the same pipeline, which succeeded within ExpireAfter, reuses
 * that run: no new job, CacheHitResult names the execution.  The newest such
 * run wins (ties: the lower ARN). */
static bool cache_hit(world *w, execution *x, int i)
{
    const pstep *ps = sm_pipelines__pstep_at(x, i);
    const cJSON *cc = cJSON_GetObjectItemCaseSensitive(ps->json, "CacheConfig");
    if (!api_bool(cc, "Enabled", false))
        return false;
    int64_t ttl = iso_duration_us(api_str(cc, "ExpireAfter"));
    int64_t now = world_now(w);
    step_run *r = &x->runs[i];
    const execution *best = NULL;
    const step_run *hit = NULL;
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, sm_pipelines__state_of(w)->executions);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const execution *o = v;
        if (o == x || strcmp(o->pipeline_arn, x->pipeline_arn) != 0)
            continue;
        int j = sm_pipelines__step_index(o->def, ps->name);
        const step_run *prev = j >= 0 ? &o->runs[j] : NULL;
        if (!prev || prev->status != RS_SUCCEEDED || prev->cache_source || !prev->cache_key ||
            strcmp(prev->cache_key, r->cache_key) != 0 || (ttl >= 0 && now - prev->end_us > ttl))
            continue;
        if (!best || prev->end_us > hit->end_us ||
            (prev->end_us == hit->end_us && strcmp(o->arn, best->arn) < 0)) {
            best = o;
            hit = prev;
        }
    }
    if (!best)
        return false;
    sm_pipelines__set_str(&r->cache_source, best->arn);
    sm_pipelines__set_str(&r->job_arn, hit->job_arn);
    cJSON_Delete(r->props);
    r->props = hit->props ? cJSON_Duplicate(hit->props, 1) : NULL;
    return true;
}

/* A Lambda step's function has run its time: the step ends as the function
 * did, or Stopped when the execution was stopped meanwhile (a running
 * function is not interrupted). */
static void lambda_done(world *w, void *data)
{
    const step_ref *ref = data;
    execution *x;
    step_run *r = sm_pipelines__step_of(w, ref, &x);
    if (!r)
        return;
    r->timer = 0;
    g_autofree char *why = g_strdup(r->failure);
    run_status st = r->status == RS_STOPPING ? RS_STOPPED : why ? RS_FAILED : RS_SUCCEEDED;
    sm_pipelines__step_done(w, x, ref->step, st, st == RS_FAILED ? why : NULL);
    sm_pipelines__pump(w, x);
}

/* The outputs a Lambda step takes from its function's answer: each declared
 * OutputName the payload object holds, typed by its OutputType; NULL with
 * *why when one does not read as its type. */
static cJSON *lambda_outputs(const pstep *ps, const cJSON *payload, char **why)
{
    cJSON *props = cJSON_CreateObject();
    cJSON *outs = cJSON_AddObjectToObject(props, "OutputParameters");
    const cJSON *o;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(ps->json, "OutputParameters")) {
        const char *n = api_str(o, "OutputName");
        const cJSON *v = cJSON_IsObject(payload) ? cJSON_GetObjectItemCaseSensitive(payload, n)
                                                 : NULL;
        if (!v)
            continue;
        g_autofree char *text = sm_pipelines__as_text(v);
        cJSON *tv = sm_pipelines__typed_output(ps, n, text);
        if (!tv) {
            *why = g_strdup_printf("The value '%s' of output parameter '%s' does not match its "
                                   "OutputType.", text, n);
            cJSON_Delete(props);
            return NULL;
        }
        cJSON_AddItemToObject(outs, n, tv);
    }
    return props;
}

/* A step's Arguments resolved (a new tree, or NULL for none); on a
 * reference that cannot be read the step fails and *ok is false. */
static cJSON *step_arguments(world *w, execution *x, int i, xctx *e, bool *ok)
{
    cJSON *args = sm_pipelines__resolve(
        e, cJSON_GetObjectItemCaseSensitive(sm_pipelines__pstep_at(x, i)->json, "Arguments"));
    *ok = !e->error;
    if (e->error) {
        cJSON_Delete(args);
        sm_pipelines__step_done(w, x, i, RS_FAILED, e->error);
        return NULL;
    }
    return args;
}

/* Calls action as the execution role, through SageMaker; on a refusal the
 * step fails with "Code: message" and false is returned. */
static bool call_as_role(world *w, execution *x, int i, const char *action, const cJSON *req,
                         cJSON **out)
{
    api_error err = { 0 };
    if (api_invoke_via(w, x->role, SM_SERVICE, action, req, &x->r, out, &err))
        return true;
    g_autofree char *why = g_strdup_printf("%s: %s", err.code, err.message ? err.message : "");
    if (g_str_has_prefix(err.code, "AccessDenied"))
        sm_pipelines__state_of(w)->stats.denied++;
    api_error_clear(&err);
    sm_pipelines__step_done(w, x, i, RS_FAILED, why);
    return false;
}

/* Invokes a Lambda step's function as the execution role, with the resolved
 * Arguments as the event; the step ends when the function has run. */
static void launch_lambda(world *w, execution *x, int i, xctx *e)
{
    step_run *r = &x->runs[i];
    const pstep *ps = sm_pipelines__pstep_at(x, i);
    bool ok;
    g_autoptr(cJSON) args = step_arguments(w, x, i, e, &ok);
    if (!ok)
        return;
    char *event = args ? cJSON_PrintUnformatted(args) : NULL;
    g_autofree char *b64 = g_base64_encode((const guchar *)(event ? event : "{}"),
                                           event ? strlen(event) : 2);
    cJSON_free(event);
    g_autoptr(cJSON) req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "FunctionName", api_str(ps->json, "FunctionArn"));
    cJSON_AddStringToObject(req, "Payload", b64);
    g_autoptr(cJSON) out = NULL;
    if (!call_as_role(w, x, i, KINDS[ST_LAMBDA].action, req, &out))
        return;
    sm_pipelines__set_str(&r->job_arn, api_str(ps->json, "FunctionArn"));
    gsize n = 0;
    g_autofree guchar *raw = api_str(out, "Payload") ? g_base64_decode(api_str(out, "Payload"), &n)
                                                     : NULL;
    g_autofree char *text = raw ? g_strndup((const char *)raw, n) : NULL;
    g_autoptr(cJSON) payload = text ? cJSON_Parse(text) : NULL;
    char *why = NULL;
    cJSON_Delete(r->props);
    r->props = NULL;
    if (api_str(out, "FunctionError"))
        why = g_strdup(api_str(payload, "errorMessage") ? api_str(payload, "errorMessage")
                                                        : "Unhandled");
    else
        r->props = lambda_outputs(ps, payload, &why);
    sm_pipelines__set_str(&r->failure, NULL);
    r->failure = why;
    r->status = RS_EXECUTING;
    r->timer = world_schedule(w, world_now(w) + lambda_run_us(w, r->job_arn), lambda_done,
                              sm_pipelines__step_ref_new(x->arn, i), sm_pipelines__step_ref_free);
}

/* An EMR step's cluster step has ended (or the step was stopped first):
 * Succeeded when it completed, else Failed with EMR's failure message and
 * the log file in Metadata, or Stopped when it was cancelled. */
static void emr_done(world *w, void *data)
{
    const step_ref *ref = data;
    execution *x;
    step_run *r = sm_pipelines__step_of(w, ref, &x);
    if (!r || (r->status != RS_EXECUTING && r->status != RS_STOPPING))
        return;
    r->timer = 0;
    emr_step_view v;
    if (!emr_step(w, api_str(r->props, "ClusterId"), r->job_arn, &v)) {
        sm_pipelines__step_done(w, x, ref->step, RS_FAILED, "The EMR step no longer exists.");
    } else if (strcmp(v.state, "PENDING") == 0 || strcmp(v.state, "RUNNING") == 0) {
        r->timer = world_schedule(w, v.end_us, emr_done, sm_pipelines__step_ref_new(x->arn, ref->step),
                                  sm_pipelines__step_ref_free);
        return;
    } else if (strcmp(v.state, "COMPLETED") == 0) {
        sm_pipelines__step_done(w, x, ref->step, RS_SUCCEEDED, NULL);
    } else if (strcmp(v.state, "CANCELLED") == 0) {
        sm_pipelines__step_done(w, x, ref->step, x->status == EX_STOPPING ? RS_STOPPED : RS_FAILED,
                                x->status == EX_STOPPING ? NULL : "The EMR step was cancelled.");
    } else {
        if (v.log_file)
            cJSON_AddStringToObject(r->props, "LogFilePath", v.log_file);
        sm_pipelines__step_done(w, x, ref->step, RS_FAILED, v.failure ? v.failure : v.state);
    }
    g_free(v.log_file);
    sm_pipelines__pump(w, x);
}

/* Adds an EMR step's StepConfig to its running cluster as the execution
 * role (elasticmapreduce:AddJobFlowSteps, the step named after the pipeline
 * step, ActionOnFailure CONTINUE so that a failure leaves a shared cluster
 * up); the pipeline step ends when the cluster step does. */
static void launch_emr(world *w, execution *x, int i, xctx *e)
{
    step_run *r = &x->runs[i];
    const pstep *ps = sm_pipelines__pstep_at(x, i);
    bool ok;
    g_autoptr(cJSON) args = step_arguments(w, x, i, e, &ok);
    if (!ok)
        return;
    const char *cluster = api_str(args, "ClusterId");
    if (!cluster) {
        sm_pipelines__step_done(w, x, i, RS_FAILED, "crossim does not simulate EMR steps that "
                                "create their own cluster (ClusterConfig).");
        return;
    }
    g_autoptr(cJSON) req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "JobFlowId", cluster);
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "Name", ps->name);
    cJSON_AddStringToObject(st, "ActionOnFailure", "CONTINUE");
    const cJSON *hj = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(args, "StepConfig"), "HadoopJarStep");
    cJSON_AddItemToObject(st, "HadoopJarStep", cJSON_Duplicate(hj, 1));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "Steps"), st);
    g_autoptr(cJSON) out = NULL;
    if (!call_as_role(w, x, i, KINDS[ST_EMR].action, req, &out))
        return;
    const char *id = cJSON_GetStringValue(cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(out, "StepIds"), 0));
    sm_pipelines__set_str(&r->job_arn, id);
    cJSON_Delete(r->props);
    r->props = cJSON_CreateObject();
    cJSON_AddStringToObject(r->props, "ClusterId", cluster);
    cJSON_AddStringToObject(r->props, "StepId", id);
    cJSON_AddStringToObject(r->props, "StepName", ps->name);
    r->status = RS_EXECUTING;
    emr_step_view v = { 0 };
    int64_t end = world_now(w);
    if (emr_step(w, cluster, id, &v)) {
        end = v.end_us;
        g_free(v.log_file);
    }
    r->timer = world_schedule(w, end, emr_done, sm_pipelines__step_ref_new(x->arn, i),
                              sm_pipelines__step_ref_free);
}

static void launch(world *w, void *data)
{
    const step_ref *ref = data;
    execution *x;
    step_run *r = sm_pipelines__step_of(w, ref, &x);
    if (!r)
        return;
    int i = ref->step;
    r->timer = 0;
    if (r->status != RS_STARTING)
        return;
    if (x->status == EX_STOPPING) {
        sm_pipelines__step_done(w, x, i, RS_STOPPED, NULL);
        sm_pipelines__pump(w, x);
        return;
    }
    const pstep *ps = sm_pipelines__pstep_at(x, i);
    pl_state *s = sm_pipelines__state_of(w);
    r->attempts++;
    r->start_us = world_now(w);
    xctx e = { .w = w, .x = x, .step = i };
    switch (ps->type) {
    case ST_CONDITION: {
        const cJSON *c;
        int all = 1;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(
                                  cJSON_GetObjectItemCaseSensitive(ps->json, "Arguments"),
                                  "Conditions")) {
            int v = sm_pipelines__eval_condition(&e, c);
            if (v < 0) {
                all = -1;
                break;
            }
            all = all && v;
        }
        if (all < 0) {
            sm_pipelines__step_done(w, x, i, RS_FAILED, e.error);
        } else {
            sm_pipelines__set_str(&r->outcome, all ? "True" : "False");
            sm_pipelines__step_done(w, x, i, RS_SUCCEEDED, NULL);
        }
        break;
    }
    case ST_FAIL: {
        const cJSON *args = cJSON_GetObjectItemCaseSensitive(ps->json, "Arguments");
        g_autoptr(cJSON) m = sm_pipelines__resolve(&e, cJSON_GetObjectItemCaseSensitive(args, "ErrorMessage"));
        g_autofree char *text = m ? sm_pipelines__as_text(m) : g_strdup(e.error ? e.error : "");
        sm_pipelines__set_str(&r->fail_message, text);
        x->ended_at_fail = true;
        sm_pipelines__step_done(w, x, i, RS_FAILED, text);
        break;
    }
    case ST_CALLBACK: {
        /* SageMaker sends the queue a message with a token and the resolved
         * Arguments, then waits for SendPipelineExecutionStep{Success,Failure}
         * with that token.  crossim simulates no SQS: the token is in the
         * step's Metadata (ListPipelineExecutionSteps), where a scenario
         * reads it.  The Arguments are resolved all the same: a reference that
         * cannot be read fails the step. */
        bool ok;
        cJSON_Delete(step_arguments(w, x, i, &e, &ok));
        if (!ok)
            break;
        rng_chars(&x->r, r->callback, 10, TOKEN_CHARS);
        r->status = RS_EXECUTING;
        g_hash_table_replace(s->callbacks, g_strdup(r->callback),
                             sm_pipelines__step_ref_new(x->arn, i));
        break;
    }
    case ST_LAMBDA:
        launch_lambda(w, x, i, &e);
        break;
    case ST_EMR:
        launch_emr(w, x, i, &e);
        break;
    default: {
        g_autoptr(cJSON) req = job_request(&e, i);
        if (!req) {
            sm_pipelines__step_done(w, x, i, RS_FAILED, e.error);
            break;
        }
        g_autoptr(cJSON) keyed = cJSON_Duplicate(req, 1);
        if (KINDS[ps->type].name_member)
            cJSON_DeleteItemFromObjectCaseSensitive(keyed, KINDS[ps->type].name_member);
        char *k = cJSON_PrintUnformatted(keyed);
        sm_pipelines__set_str(&r->cache_key, k);
        cJSON_free(k);
        if (cache_hit(w, x, i)) {
            sm_pipelines__step_done(w, x, i, RS_SUCCEEDED, NULL);
            break;
        }
        g_autoptr(cJSON) out = NULL;
        api_error err = { 0 };
        bool ok = api_invoke_via(w, x->role, SM_SERVICE, KINDS[ps->type].action, req, &x->r,
                                 &out, &err);
        if (ok) {
            const char *job = api_str(out, KINDS[ps->type].arn_member);
            sm_pipelines__set_str(&r->job_arn, job);
            if (ps->type == ST_MODEL || ps->type == ST_REGISTER) {
                cJSON_Delete(r->props);
                r->props = cJSON_Duplicate(out, 1);
                sm_pipelines__step_done(w, x, i, RS_SUCCEEDED, NULL);
            } else {
                s->stats.jobs++;
                r->status = RS_EXECUTING;
                g_hash_table_replace(s->by_job, g_strdup(job), sm_pipelines__step_ref_new(x->arn, i));
            }
        } else {
            g_autofree char *why = g_strdup_printf("%s: %s", err.code,
                                                   err.message ? err.message : "");
            if (g_str_has_prefix(err.code, "AccessDenied"))
                s->stats.denied++;
            attempt_failed(w, x, i, exc_of_error(err.code), why);
        }
        api_error_clear(&err);
        break;
    }
    }
    g_free(e.error);
    sm_pipelines__pump(w, x);
}

static void schedule_launch(world *w, execution *x, int i, int64_t at)
{
    step_run *r = &x->runs[i];
    r->timer = world_schedule(w, at, launch, sm_pipelines__step_ref_new(x->arn, i), sm_pipelines__step_ref_free);
}

/* What a check step reports (PipelineExecutionStep Metadata QualityCheck /
 * ClarifyCheck, and the properties later steps read): the step's own
 * settings, the job, and once the job completed the baselines it computed
 * under its first output: Model Monitor's statistics.json and
 * constraints.json, Clarify's analysis.json.  The baseline used for the
 * drift check is the supplied one, else with RegisterNewBaseline the one
 * just computed (crossim's choice where the registry's latest approved
 * baseline would apply).  job: the job's Describe answer, or NULL. */
cJSON *sm_pipelines__check_meta(const pstep *ps, const char *job_arn, const cJSON *job)
{
    const cJSON *st = ps->json;
    bool quality = ps->type == ST_QUALITY;
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "CheckType", api_str(st, "CheckType"));
    if (api_str(st, "ModelPackageGroupName"))
        cJSON_AddStringToObject(m, "ModelPackageGroupName", api_str(st, "ModelPackageGroupName"));
    if (job_arn)
        cJSON_AddStringToObject(m, "CheckJobArn", job_arn);
    bool skip = api_bool(st, "SkipCheck", false), reg = api_bool(st, "RegisterNewBaseline", false);
    cJSON_AddBoolToObject(m, "SkipCheck", skip);
    cJSON_AddBoolToObject(m, "RegisterNewBaseline", reg);
    const cJSON *outs = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(job, "ProcessingOutputConfig"), "Outputs");
    const char *uri = api_str(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(outs, 0),
                                                               "S3Output"), "S3Uri");
    if (!uri)
        return m;
    const char *sep = g_str_has_suffix(uri, "/") ? "" : "/";
    g_autofree char *stats = g_strconcat(uri, sep, "statistics.json", NULL);
    g_autofree char *cons = g_strconcat(uri, sep, quality ? "constraints.json" : "analysis.json",
                                        NULL);
    if (quality)
        cJSON_AddStringToObject(m, "CalculatedBaselineStatistics", stats);
    cJSON_AddStringToObject(m, "CalculatedBaselineConstraints", cons);
    const char *sup_s = api_str(st, "SuppliedBaselineStatistics");
    const char *sup_c = api_str(st, "SuppliedBaselineConstraints");
    if (quality && (sup_s || reg))
        cJSON_AddStringToObject(m, "BaselineUsedForDriftCheckStatistics", sup_s ? sup_s : stats);
    if (sup_c || reg)
        cJSON_AddStringToObject(m, "BaselineUsedForDriftCheckConstraints", sup_c ? sup_c : cons);
    return m;
}

void sm_pipelines__job_ended(world *w, const char *job_arn)
{
    pl_state *s = sm_pipelines__state_of(w);
    step_ref *ref = NULL;
    g_autofree char *key = NULL;
    if (!g_hash_table_steal_extended(s->by_job, job_arn, (gpointer *)&key, (gpointer *)&ref))
        return;
    execution *x = sm_pipelines__execution_get(w, ref->exec_arn);
    int i = ref->step;
    sm_pipelines__step_ref_free(ref);
    if (!x)
        return;
    step_run *r = &x->runs[i];
    if (g_strcmp0(r->job_arn, job_arn) != 0 || !run_active(r))
        return;
    const char *failure = NULL;
    sm_job_status_t status = sm_job_status(w, job_arn, &failure);
    cJSON_Delete(r->props);
    r->props = sm_job_describe(w, job_arn);
    const pstep *ps = sm_pipelines__pstep_at(x, i);
    if (status == SM_JOB_COMPLETED && r->props && sm_pipelines__is_check(ps->type)) {
        /* Later steps read the baselines as properties of the step. */
        cJSON *m = sm_pipelines__check_meta(ps, job_arn, r->props);
        cJSON *f;
        cJSON_ArrayForEach(f, m)
            if (!cJSON_GetObjectItemCaseSensitive(r->props, f->string))
                cJSON_AddItemToObject(r->props, f->string, cJSON_Duplicate(f, 1));
        cJSON_Delete(m);
    }
    if (status == SM_JOB_COMPLETED) {
        sm_pipelines__step_done(w, x, i, RS_SUCCEEDED, NULL);
    } else if (status == SM_JOB_STOPPED) {
        sm_pipelines__step_done(w, x, i, RS_STOPPED, NULL);
    } else {
        const char *exc = sm_job_exception_type(w, job_arn);
        attempt_failed(w, x, i, sm_pipelines__exc_index(exc), failure);
    }
    sm_pipelines__pump(w, x);
}

/* Is step i ready, blocked for good, or waiting?  1 ready, 0 wait, -1 never. */
static int readiness(const execution *x, int i)
{
    const pstep *ps = sm_pipelines__pstep_at(x, i);
    for (guint k = 0; k < ps->deps->len; k++) {
        int d = g_array_index(ps->deps, int, k);
        const step_run *dr = &x->runs[d];
        if (dr->status == RS_FAILED || dr->status == RS_STOPPED || dr->status == RS_SKIPPED)
            return -1;
        if (dr->status != RS_SUCCEEDED)
            return 0;
        if (d == ps->cond) {
            bool took_if = g_strcmp0(dr->outcome, "True") == 0;
            if (took_if == ps->in_else)
                return -1;
        }
    }
    return 1;
}

/* Starts every ready step the parallelism allows (the others queue), and
 * ends the execution when nothing is left. */
void sm_pipelines__pump(world *w, execution *x)
{
    if (x->status != EX_EXECUTING && x->status != EX_STOPPING)
        return;
    guint n = x->def->steps->len;
    int active = 0;
    for (guint i = 0; i < n; i++)
        if (run_active(&x->runs[i]))
            active++;
    bool can_start = false;
    pl_state *s = sm_pipelines__state_of(w);
    /* Steps behind a failed or skipped step, or on a branch not taken, never run. */
    for (bool changed = true; changed;) {
        changed = false;
        for (guint i = 0; i < n; i++)
            if (x->runs[i].status == RS_NONE && readiness(x, (int)i) < 0) {
                x->runs[i].status = RS_SKIPPED;
                changed = true;
            }
    }
    for (guint i = 0; i < n && !x->failing && x->status == EX_EXECUTING; i++) {
        step_run *r = &x->runs[i];
        if (r->status != RS_NONE || readiness(x, (int)i) == 0)
            continue;
        if (x->max_parallel > 0 && active >= x->max_parallel) {
            if (!r->queued) {
                r->queued = true;
                s->stats.queued++;
            }
            can_start = true;     /* waits for a slot */
            continue;
        }
        r->status = RS_STARTING;
        r->first_start_us = world_now(w);
        if (!r->token[0]) {
            rng_chars(&x->r, r->token, 8, TOKEN_CHARS);
        }
        active++;
        schedule_launch(w, x, (int)i, world_now(w) + STEP_START_US);
    }
    maybe_finish(w, x, can_start || active > 0);
}

