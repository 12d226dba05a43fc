/* model/sm_pipelines.c: SageMaker Pipelines: pipelines, their executions,
 * and the step jobs they start as their roles (SPEC P1-P9).
 *
 * Owns every pipeline and execution of the world (state slot
 * "sagemaker-pipelines").  A pipeline keeps its parsed definition (pdef,
 * reference counted): an execution takes a reference when it starts, so
 * UpdatePipeline changes later executions only (P6).
 *
 * Definitions are parsed and checked by model/sm_pipedef.c when a pipeline
 * is created or updated; a bad one is a ValidationException.
 *
 * An execution runs in simulated time.  A step is ready when every step it
 * depends on (DependsOn, the steps its Get/JsonGet read, and for a branch
 * step its Condition with the matching outcome) has succeeded; at most
 * MaxParallelExecutionSteps steps run at once (the others queue).  A job step
 * makes the real Create*Job call through api_invoke_via as a session of the
 * execution role with invokedBy sagemaker.amazonaws.com (the trail record
 * AWS writes for pipeline-created jobs), so IAM decides it, iam:PassRole on
 * the job's RoleArn included (P1-P3, P5).  The job then runs in model/sm_jobs;
 * its end comes back through sm_jobs_on_end.  A failed attempt is retried by
 * the first retry policy naming its exception type, each retry a new job
 * whose name ends in the new failure count (P8).  Condition steps evaluate
 * their conditions, reading Std:JsonGet property files from S3 as the
 * execution role (s3:GetObject through the IAM engine, SCPs included: P9).
 *
 * Execution ids (12 characters) and entity tokens (8) come from the stream
 * "sagemaker/pipeline/<pipeline arn>" and the execution's own stream. */
#include "model/sm_pipelines.h"
#include "model/world_int.h"
#include "model/api_aux.h"
#include "model/service.h"

#include <math.h>
#include <string.h>

#include "model/ram.h"
#include "model/sm_common.h"
#include "model/sm_jobs.h"
#include "model/sm_pipelines_int.h"

static const sm_step_kind *const KINDS = sm_pipelines__kinds;


step_ref *sm_pipelines__step_ref_new(const char *exec_arn, int step)
{
    step_ref *r = g_new(step_ref, 1);
    r->exec_arn = g_strdup(exec_arn);
    r->step = step;
    return r;
}

step_run *sm_pipelines__step_of(world *w, const step_ref *ref, execution **x)
{
    *x = sm_pipelines__execution_get(w, ref->exec_arn);
    return *x ? &(*x)->runs[ref->step] : NULL;
}

void sm_pipelines__step_ref_free(gpointer p)
{
    step_ref *r = p;
    g_free(r->exec_arn);
    g_free(r);
}

static void pipeline_free(gpointer p)
{
    pipeline *pl = p;
    g_free(pl->name); g_free(pl->arn); g_free(pl->account); g_free(pl->role_arn);
    g_free(pl->display_name); g_free(pl->description);
    sm_pipelines__unref(pl->def);
    cJSON_Delete(pl->created_by);
    cJSON_Delete(pl->modified_by);
    g_hash_table_unref(pl->tokens);
    g_free(pl);
}

static void execution_free(gpointer p)
{
    execution *x = p;
    for (guint i = 0; x->def && i < x->def->steps->len; i++) {
        step_run *r = &x->runs[i];
        g_free(r->policy_retries);
        g_free(r->job_arn); g_free(r->failure); g_free(r->outcome); g_free(r->fail_message);
        g_free(r->cache_key); g_free(r->cache_source); g_free(r->callback_request);
        cJSON_Delete(r->props);
    }
    g_free(x->runs);
    g_free(x->arn); g_free(x->id); g_free(x->account); g_free(x->starter);
    g_free(x->pipeline_arn); g_free(x->pipeline_name); g_free(x->role_arn);
    g_free(x->display_name); g_free(x->description);
    g_free(x->failure);
    cJSON_Delete(x->params);
    cJSON_Delete(x->created_by);
    principal_free(x->role);
    sm_pipelines__unref(x->def);
    g_free(x);
}

static void state_free(gpointer p)
{
    pl_state *s = p;
    g_hash_table_unref(s->executions);
    g_hash_table_unref(s->pipelines);
    g_hash_table_unref(s->by_job);
    g_hash_table_unref(s->callbacks);
    g_hash_table_unref(s->running);
    g_free(s);
}


pl_state *sm_pipelines__state_of(world *w)
{
    pl_state *s = world_service_state(w, PL_SLOT);
    if (!s) {
        s = g_new0(pl_state, 1);
        s->pipelines = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, pipeline_free);
        s->executions = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, execution_free);
        s->by_job = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, sm_pipelines__step_ref_free);
        s->callbacks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                             sm_pipelines__step_ref_free);
        s->running = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        world_set_service_state(w, PL_SLOT, s, state_free);
        sm_jobs_on_end(w, sm_pipelines__job_ended);
    }
    return s;
}

gint64 *sm_pipelines__running_of(pl_state *s, const char *account)
{
    gint64 *n = g_hash_table_lookup(s->running, account);
    if (!n) {
        n = g_new0(gint64, 1);
        g_hash_table_insert(s->running, g_strdup(account), n);
    }
    return n;
}

/* ---- small helpers ------------------------------------------------------------------------ */

void sm_pipelines__set_str(char **slot, const char *v)
{
    g_free(*slot);
    *slot = g_strdup(v);
}

/* SageMaker ARNs carry the pipeline name in lower case. */
static char *pipeline_arn_for(world *w, const char *account, const char *name)
{
    g_autofree char *lower = g_ascii_strdown(name, -1);
    return g_strdup_printf("arn:aws:sagemaker:%s:%s:pipeline/%s", world_region(w), account, lower);
}

/* The pipeline a PipelineName member names: a name (the caller's account)
 * or an ARN.  Sets *arn and *owner (owned). */
static void pipeline_ref(api_call *c, const char *ref, char **arn, char **owner)
{
    if (g_str_has_prefix(ref, "arn:")) {
        *owner = api_arn_account(ref);
        if (!*owner)
            *owner = g_strdup(c->caller->account);
        g_autofree char *lower = g_ascii_strdown(ref, -1);
        *arn = g_strdup(lower);
        return;
    }
    *owner = g_strdup(c->caller->account);
    *arn = pipeline_arn_for(c->w, c->caller->account, ref);
}

static void pipeline_resource(api_call *c, const char *arn, const char *owner)
{
    api_resource(c, arn, owner, "AWS::SageMaker::Pipeline");
}

/* Authorises action on resource (a pipeline or one of its executions) with
 * the policies RAM holds for the pipeline: another account reaches a shared
 * pipeline through the share's permission and its own identity policy. */
static bool authorize_pl(api_call *c, const char *action, const char *resource,
                         const char *pipeline_arn, const char *owner)
{
    GPtrArray *pol = ram_resource_policies(c->w, pipeline_arn, c->caller);
    bool ok = api_authorize(c, action, resource, owner, pol, API_RES_OPTIONAL, NULL);
    if (pol)
        g_ptr_array_unref(pol);
    return ok;
}

static pipeline *pipeline_get(world *w, const char *arn)
{
    return g_hash_table_lookup(sm_pipelines__state_of(w)->pipelines, arn);
}

static bool pipeline_missing(api_call *c, const char *ref)
{
    api_error_set(&c->err, "ResourceNotFound", "Pipeline '%s' does not exist.", ref);
    return false;
}

/* The execution a PipelineExecutionArn names, after authorising action on
 * it; NULL with c->err set. */
execution *sm_pipelines__execution_for(api_call *c, const char *action)
{
    const char *arn = api_str(c->input, "PipelineExecutionArn");
    if (!arn) {
        api_error_set(&c->err, "ValidationException", "PipelineExecutionArn is required.");
        return NULL;
    }
    g_autofree char *owner = api_arn_account(arn);
    api_resource(c, arn, owner ? owner : c->caller->account, "AWS::SageMaker::PipelineExecution");
    const char *cut = strstr(arn, "/execution/");
    g_autofree char *pl_arn = cut ? g_strndup(arn, (gsize)(cut - arn)) : g_strdup(arn);
    if (!authorize_pl(c, action, arn, pl_arn, owner))
        return NULL;
    execution *x = g_hash_table_lookup(sm_pipelines__state_of(c->w)->executions, arn);
    if (!x)
        api_error_set(&c->err, "ResourceNotFound", "Pipeline execution '%s' does not exist.",
                      arn);
    return x;
}

/* iam:PassRole of the execution role to SageMaker (P1). */
static bool pass_role(api_call *c, const char *role_arn)
{
    if (!sm_pass_role(c, role_arn))
        return false;
    /* A role of another account cannot be passed (AWS-FACTS section 6). */
    g_autofree char *acct = api_arn_account(role_arn);
    if (g_strcmp0(acct, c->caller->account) != 0) {
        api_error_set(&c->err, "ValidationException",
                      "Could not assume role %s. Please ensure that the role exists and allows "
                      "principal '%s' to assume the role.", role_arn, SM_SERVICE);
        return false;
    }
    return true;
}

static int parallel_of(const cJSON *in)
{
    const cJSON *pc = cJSON_GetObjectItemCaseSensitive(in, "ParallelismConfiguration");
    return pc ? (int)api_num(pc, "MaxParallelExecutionSteps", 0) : 0;
}

/* The definition of a Create/UpdatePipeline call (inline, or from S3 as
 * the caller). */
static char *definition_text(api_call *c)
{
    const char *text = api_str(c->input, "PipelineDefinition");
    const cJSON *loc = cJSON_GetObjectItemCaseSensitive(c->input, "PipelineDefinitionS3Location");
    if (text && loc) {
        api_error_set(&c->err, "ValidationException",
                      "Provide either PipelineDefinition or PipelineDefinitionS3Location, "
                      "not both.");
        return NULL;
    }
    if (text)
        return g_strdup(text);
    if (!loc) {
        api_error_set(&c->err, "ValidationException",
                      "Either PipelineDefinition or PipelineDefinitionS3Location is required.");
        return NULL;
    }
    g_autoptr(cJSON) in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "Bucket", api_str(loc, "Bucket"));
    cJSON_AddStringToObject(in, "Key", api_str(loc, "ObjectKey"));
    g_autoptr(cJSON) out = NULL;
    api_error e = { 0 };
    if (!api_invoke_via(c->w, c->caller, SM_SERVICE, "s3:GetObject", in, c->rng, &out, &e)) {
        api_error_set(&c->err, "ValidationException", "Could not read the pipeline definition "
                      "from s3://%s/%s: %s", api_str(loc, "Bucket"), api_str(loc, "ObjectKey"),
                      e.code);
        api_error_clear(&e);
        return NULL;
    }
    gsize n = 0;
    g_autofree guchar *raw = g_base64_decode(api_str(out, "Body") ? api_str(out, "Body") : "", &n);
    return g_strndup((const char *)raw, n);
}

/* ---- pipelines ---------------------------------------------------------------------------- */

static bool create_pipeline(api_call *c)
{
    const char *name = api_str(c->input, "PipelineName");
    const char *owner = c->caller->account;
    g_autofree char *arn = pipeline_arn_for(c->w, owner, name);
    pipeline_resource(c, arn, owner);
    g_autoptr(iam_ctx) x = iam_ctx_new();
    api_ctx_request_tags(x, cJSON_GetObjectItemCaseSensitive(c->input, "Tags"), "Key", "Value");
    if (!api_authorize(c, "sagemaker:CreatePipeline", arn, owner, NULL, API_RES_OPTIONAL, x))
        return false;
    const char *role = api_str(c->input, "RoleArn");
    if (!pass_role(c, role))
        return false;
    pl_state *s = sm_pipelines__state_of(c->w);
    if (g_hash_table_contains(s->pipelines, arn)) {
        api_error_set(&c->err, "ValidationException", "Pipeline names must be unique within an "
                      "AWS account and region. Pipeline with name (%s) already exists.", name);
        return false;
    }
    g_autofree char *text = definition_text(c);
    if (!text)
        return false;
    char *msg = NULL;
    pdef *d = sm_pipelines__parse(text, &msg);
    if (!d) {
        api_error_set(&c->err, "ValidationException", "%s", msg);
        g_free(msg);
        return false;
    }
    int64_t steps_quota = world_quota(c->w, owner, STEP_QUOTA, STEP_QUOTA_DEFAULT);
    if ((int64_t)d->steps->len > steps_quota) {
        api_error_set(&c->err, "ResourceLimitExceeded", "The pipeline has %u steps; the limit "
                      "of steps per pipeline is %" G_GINT64_FORMAT ".", d->steps->len,
                      steps_quota);
        sm_pipelines__unref(d);
        return false;
    }
    pipeline *pl = g_new0(pipeline, 1);
    pl->name = g_strdup(name);
    pl->arn = g_strdup(arn);
    pl->account = g_strdup(owner);
    pl->role_arn = g_strdup(role);
    pl->display_name = g_strdup(api_str(c->input, "PipelineDisplayName")
                                ? api_str(c->input, "PipelineDisplayName") : name);
    pl->description = g_strdup(api_str(c->input, "PipelineDescription"));
    pl->def = d;
    pl->max_parallel = parallel_of(c->input);
    pl->created_us = pl->modified_us = c->now;
    pl->last_run_us = -1;
    pl->created_by = sm_user_context(c->caller);
    pl->modified_by = sm_user_context(c->caller);
    pl->version = 1;
    pl->tokens = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_hash_table_insert(s->pipelines, pl->arn, pl);
    world_resource_add(c->w, pl->arn, owner, "sagemaker:Pipeline");
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "PipelineArn", pl->arn);
    return true;
}

static bool update_pipeline(api_call *c)
{
    const char *name = api_str(c->input, "PipelineName");
    g_autofree char *arn = pipeline_arn_for(c->w, c->caller->account, name);
    pipeline_resource(c, arn, c->caller->account);
    if (!api_authorize_simple(c, "sagemaker:UpdatePipeline", arn))
        return false;
    pipeline *pl = pipeline_get(c->w, arn);
    if (!pl)
        return pipeline_missing(c, name);
    const char *role = api_str(c->input, "RoleArn");
    if (role && !pass_role(c, role))
        return false;
    pdef *d = NULL;
    if (api_str(c->input, "PipelineDefinition") ||
        cJSON_GetObjectItemCaseSensitive(c->input, "PipelineDefinitionS3Location")) {
        g_autofree char *text = definition_text(c);
        if (!text)
            return false;
        char *msg = NULL;
        d = sm_pipelines__parse(text, &msg);
        if (!d) {
            api_error_set(&c->err, "ValidationException", "%s", msg);
            g_free(msg);
            return false;
        }
    }
    /* P6: running executions keep the definition they started with. */
    if (d) {
        sm_pipelines__unref(pl->def);
        pl->def = d;
    }
    if (role)
        sm_pipelines__set_str(&pl->role_arn, role);
    if (api_str(c->input, "PipelineDisplayName"))
        sm_pipelines__set_str(&pl->display_name, api_str(c->input, "PipelineDisplayName"));
    if (cJSON_GetObjectItemCaseSensitive(c->input, "PipelineDescription"))
        sm_pipelines__set_str(&pl->description, api_str(c->input, "PipelineDescription"));
    if (cJSON_GetObjectItemCaseSensitive(c->input, "ParallelismConfiguration"))
        pl->max_parallel = parallel_of(c->input);
    pl->modified_us = c->now;
    cJSON_Delete(pl->modified_by);
    pl->modified_by = sm_user_context(c->caller);
    pl->version++;
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "PipelineArn", pl->arn);
    cJSON_AddNumberToObject(c->output, "PipelineVersionId", (double)pl->version);
    return true;
}

static bool describe_pipeline(api_call *c)
{
    const char *ref = api_str(c->input, "PipelineName");
    g_autofree char *arn = NULL, *owner = NULL;
    pipeline_ref(c, ref, &arn, &owner);
    pipeline_resource(c, arn, owner);
    if (!authorize_pl(c, "sagemaker:DescribePipeline", arn, arn, owner))
        return false;
    const pipeline *pl = pipeline_get(c->w, arn);
    if (!pl)
        return pipeline_missing(c, ref);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "PipelineArn", pl->arn);
    cJSON_AddStringToObject(c->output, "PipelineName", pl->name);
    cJSON_AddStringToObject(c->output, "PipelineDisplayName", pl->display_name);
    cJSON_AddStringToObject(c->output, "PipelineDefinition", pl->def->text);
    if (pl->description)
        cJSON_AddStringToObject(c->output, "PipelineDescription", pl->description);
    cJSON_AddStringToObject(c->output, "RoleArn", pl->role_arn);
    cJSON_AddStringToObject(c->output, "PipelineStatus", "Active");
    api_add_time(c->w, c->output, "CreationTime", pl->created_us);
    api_add_time(c->w, c->output, "LastModifiedTime", pl->modified_us);
    if (pl->last_run_us >= 0)
        api_add_time(c->w, c->output, "LastRunTime", pl->last_run_us);
    cJSON_AddItemToObject(c->output, "CreatedBy", cJSON_Duplicate(pl->created_by, 1));
    cJSON_AddItemToObject(c->output, "LastModifiedBy", cJSON_Duplicate(pl->modified_by, 1));
    if (pl->max_parallel > 0) {
        cJSON *pc = cJSON_AddObjectToObject(c->output, "ParallelismConfiguration");
        cJSON_AddNumberToObject(pc, "MaxParallelExecutionSteps", pl->max_parallel);
    }
    return true;
}

static bool delete_pipeline(api_call *c)
{
    const char *name = api_str(c->input, "PipelineName");
    g_autofree char *arn = pipeline_arn_for(c->w, c->caller->account, name);
    pipeline_resource(c, arn, c->caller->account);
    if (!api_authorize_simple(c, "sagemaker:DeletePipeline", arn))
        return false;
    pl_state *s = sm_pipelines__state_of(c->w);
    if (!g_hash_table_contains(s->pipelines, arn))
        return pipeline_missing(c, name);
    world_resource_remove(c->w, arn);
    g_hash_table_remove(s->pipelines, arn);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "PipelineArn", arn);
    return true;
}

static gint cmp_pipeline(gconstpointer a, gconstpointer b, gpointer user)
{
    const pipeline *x = *(pipeline *const *)a, *y = *(pipeline *const *)b;
    bool by_name = g_strcmp0(user, "Name") == 0;
    int r = by_name ? strcmp(x->name, y->name)
          : x->created_us != y->created_us ? (x->created_us < y->created_us ? -1 : 1) : 0;
    return r ? r : strcmp(x->arn, y->arn);
}

static bool list_pipelines(api_call *c)
{
    if (!api_authorize_simple(c, "sagemaker:ListPipelines", "*"))
        return false;
    const char *prefix = api_str(c->input, "PipelineNamePrefix");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, sm_pipelines__state_of(c->w)->pipelines);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        pipeline *pl = v;
        if (strcmp(pl->account, c->caller->account) == 0 &&
            (!prefix || g_str_has_prefix(pl->name, prefix)))
            g_ptr_array_add(rows, pl);
    }
    g_ptr_array_sort_with_data(rows, cmp_pipeline, (gpointer)api_str(c->input, "SortBy"));
    guint first, end;
    if (!sm_order_page(c, rows, &first, &end))
        return false;
    end += first;          /* sm_page gives the count of this page */
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "PipelineSummaries");
    for (guint i = first; i < end; i++) {
        const pipeline *pl = rows->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "PipelineArn", pl->arn);
        cJSON_AddStringToObject(e, "PipelineName", pl->name);
        cJSON_AddStringToObject(e, "PipelineDisplayName", pl->display_name);
        cJSON_AddStringToObject(e, "RoleArn", pl->role_arn);
        api_add_time(c->w, e, "CreationTime", pl->created_us);
        api_add_time(c->w, e, "LastModifiedTime", pl->modified_us);
        if (pl->last_run_us >= 0)
            api_add_time(c->w, e, "LastExecutionTime", pl->last_run_us);
        cJSON_AddItemToArray(list, e);
    }
    sm_page_token(c, first, end - first, rows->len);
    return true;
}

/* ---- executions --------------------------------------------------------------------------- */

/* The parameters of an execution: defaults, then the overrides, typed. */
static bool execution_params(api_call *c, const pdef *d, cJSON **out)
{
    cJSON *params = cJSON_CreateObject();
    const cJSON *defs = cJSON_GetObjectItemCaseSensitive(d->doc, "Parameters"), *p;
    const cJSON *over = cJSON_GetObjectItemCaseSensitive(c->input, "PipelineParameters");
    cJSON_ArrayForEach(p, over)
        if (!sm_pipelines__has_param(defs, api_str(p, "Name"))) {
            api_error_set(&c->err, "ValidationException", "Parameter '%s' is not defined in the "
                          "pipeline definition.", api_str(p, "Name"));
            cJSON_Delete(params);
            return false;
        }
    cJSON_ArrayForEach(p, defs) {
        const char *name = api_str(p, "Name"), *type = api_str(p, "Type");
        const cJSON *dv = cJSON_GetObjectItemCaseSensitive(p, "DefaultValue");
        const char *given = NULL;
        const cJSON *o;
        cJSON_ArrayForEach(o, over)
            if (g_strcmp0(api_str(o, "Name"), name) == 0)
                given = api_str(o, "Value");
        cJSON *v = NULL;
        if (given) {
            char *end = NULL;
            if (strcmp(type, "Integer") == 0 || strcmp(type, "Float") == 0) {
                double num = g_ascii_strtod(given, &end);
                if (!*given || *end || (strcmp(type, "Integer") == 0 && num != floor(num))) {
                    api_error_set(&c->err, "ValidationException", "Parameter '%s' must be %s "
                                  "%s: '%s'.", name, type[0] == 'I' ? "an" : "a", type, given);
                    cJSON_Delete(params);
                    return false;
                }
                v = cJSON_CreateNumber(num);
            } else if (strcmp(type, "Boolean") == 0) {
                if (g_ascii_strcasecmp(given, "true") != 0 &&
                    g_ascii_strcasecmp(given, "false") != 0) {
                    api_error_set(&c->err, "ValidationException", "Parameter '%s' must be a "
                                  "Boolean: '%s'.", name, given);
                    cJSON_Delete(params);
                    return false;
                }
                v = cJSON_CreateBool(g_ascii_strcasecmp(given, "true") == 0);
            } else {
                v = cJSON_CreateString(given);
            }
        } else if (dv) {
            v = cJSON_Duplicate(dv, 1);
        }
        if (v)
            cJSON_AddItemToObject(params, name, v);
    }
    *out = params;
    return true;
}

static bool start_pipeline_execution(api_call *c)
{
    const char *ref = api_str(c->input, "PipelineName");
    g_autofree char *arn = NULL, *owner = NULL;
    pipeline_ref(c, ref, &arn, &owner);
    pipeline_resource(c, arn, owner);
    if (!authorize_pl(c, "sagemaker:StartPipelineExecution", arn, arn, owner))
        return false;
    pipeline *pl = pipeline_get(c->w, arn);
    if (!pl)
        return pipeline_missing(c, ref);
    pl_state *s = sm_pipelines__state_of(c->w);
    /* The same ClientRequestToken starts nothing new: the first answer again. */
    const char *token = api_str(c->input, "ClientRequestToken");
    const char *again = token ? g_hash_table_lookup(pl->tokens, token) : NULL;
    if (again) {
        c->output = cJSON_CreateObject();
        cJSON_AddStringToObject(c->output, "PipelineExecutionArn", again);
        return true;
    }
    gint64 *running = sm_pipelines__running_of(s, pl->account);
    int64_t quota = world_quota(c->w, pl->account, EXEC_QUOTA, EXEC_QUOTA_DEFAULT);
    if (*running >= quota) {
        api_error_set(&c->err, "ResourceLimitExceeded", "The account-level service limit "
                      "'Maximum number of concurrent pipeline executions' is %" G_GINT64_FORMAT
                      ", with current utilization of %" G_GINT64_FORMAT ". Please use AWS "
                      "Service Quotas to request an increase for this quota.", quota, *running);
        return false;
    }
    cJSON *params = NULL;
    if (!execution_params(c, pl->def, &params))
        return false;
    execution *x = g_new0(execution, 1);
    g_autofree char *stream = g_strdup_printf("sagemaker/pipeline/%s", pl->arn);
    rng *pr = world_rng(c->w, stream);
    char id[13];
    do {
        rng_chars(pr, id, 12, ID_CHARS);
        g_free(x->arn);
        x->arn = g_strdup_printf("%s/execution/%s", pl->arn, id);
    } while (g_hash_table_contains(s->executions, x->arn));
    x->id = g_strdup(id);
    rng_init(&x->r, world_seed(c->w), x->arn);
    x->account = g_strdup(pl->account);
    x->starter = g_strdup(c->caller->account);
    x->pipeline_arn = g_strdup(pl->arn);
    x->pipeline_name = g_strdup(pl->name);
    x->role_arn = g_strdup(pl->role_arn);
    x->display_name = g_strdup(api_str(c->input, "PipelineExecutionDisplayName")
                               ? api_str(c->input, "PipelineExecutionDisplayName") : id);
    x->description = g_strdup(api_str(c->input, "PipelineExecutionDescription"));
    x->def = sm_pipelines__ref(pl->def);
    x->params = params;
    x->status = EX_EXECUTING;
    x->created_us = x->modified_us = c->now;
    x->created_by = sm_user_context(c->caller);
    x->max_parallel = parallel_of(c->input) > 0 ? parallel_of(c->input) : pl->max_parallel;
    x->version = pl->version;
    x->runs = g_new0(step_run, x->def->steps->len);
    for (guint i = 0; i < x->def->steps->len; i++) {
        const pstep *ps = sm_pipelines__pstep_at(x, (int)i);
        x->runs[i].policy_retries = g_new0(int, MAX(ps->retry->len, 1));
    }
    /* The service acts as a session of the execution role. */
    x->role = world_principal_for(c->w, x->role_arn, SESSION_NAME, NULL);
    if (!x->role) {
        api_error_set(&c->err, "ValidationException", "Could not assume role %s.", x->role_arn);
        execution_free(x);
        return false;
    }
    x->counted = true;
    (*running)++;
    s->stats.started++;
    pl->last_run_us = c->now;
    g_hash_table_insert(s->executions, x->arn, x);
    world_resource_add(c->w, x->arn, x->account, NULL);
    if (token)
        g_hash_table_insert(pl->tokens, g_strdup(token), g_strdup(x->arn));
    sm_pipelines__pump(c->w, x);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "PipelineExecutionArn", x->arn);
    return true;
}

static bool describe_pipeline_execution(api_call *c)
{
    execution *x = sm_pipelines__execution_for(c, "sagemaker:DescribePipelineExecution");
    if (!x)
        return false;
    c->output = sm_pipelines__execution_json(c->w, x);
    return true;
}

static bool describe_definition_for_execution(api_call *c)
{
    execution *x = sm_pipelines__execution_for(c, "sagemaker:DescribePipelineDefinitionForExecution");
    if (!x)
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "PipelineDefinition", x->def->text);
    api_add_time(c->w, c->output, "CreationTime", x->created_us);
    return true;
}

static gint cmp_exec(gconstpointer a, gconstpointer b, gpointer user)
{
    const execution *x = *(execution *const *)a, *y = *(execution *const *)b;
    if (g_strcmp0(user, "PipelineExecutionArn") != 0 && x->created_us != y->created_us)
        return x->created_us < y->created_us ? -1 : 1;
    return strcmp(x->arn, y->arn);
}

static bool list_pipeline_executions(api_call *c)
{
    const char *ref = api_str(c->input, "PipelineName");
    g_autofree char *arn = NULL, *owner = NULL;
    pipeline_ref(c, ref, &arn, &owner);
    pipeline_resource(c, arn, owner);
    if (!authorize_pl(c, "sagemaker:ListPipelineExecutions", arn, arn, owner))
        return false;
    if (!pipeline_get(c->w, arn))
        return pipeline_missing(c, ref);
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, sm_pipelines__state_of(c->w)->executions);
    while (g_hash_table_iter_next(&it, NULL, &v))
        if (strcmp(((execution *)v)->pipeline_arn, arn) == 0)
            g_ptr_array_add(rows, v);
    g_ptr_array_sort_with_data(rows, cmp_exec, (gpointer)api_str(c->input, "SortBy"));
    guint first, end;
    if (!sm_order_page(c, rows, &first, &end))
        return false;
    end += first;          /* sm_page gives the count of this page */
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "PipelineExecutionSummaries");
    for (guint i = first; i < end; i++) {
        const execution *x = rows->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "PipelineExecutionArn", x->arn);
        api_add_time(c->w, e, "StartTime", x->created_us);
        cJSON_AddStringToObject(e, "PipelineExecutionStatus", EXEC_NAMES[x->status]);
        if (x->description)
            cJSON_AddStringToObject(e, "PipelineExecutionDescription", x->description);
        cJSON_AddStringToObject(e, "PipelineExecutionDisplayName", x->display_name);
        if (x->failure)
            cJSON_AddStringToObject(e, "PipelineExecutionFailureReason", x->failure);
        cJSON_AddItemToArray(list, e);
    }
    sm_page_token(c, first, end - first, rows->len);
    return true;
}

typedef struct step_row { const execution *x; int i; } step_row;

static gint cmp_step_row(gconstpointer a, gconstpointer b)
{
    const step_row *p = a, *q = b;
    const step_run *r = &p->x->runs[p->i], *s = &q->x->runs[q->i];
    if (r->first_start_us != s->first_start_us)
        return r->first_start_us < s->first_start_us ? -1 : 1;
    return p->i - q->i;
}

/* The output parameters a Callback or Lambda step ended with, as
 * Metadata lists them: [{Name, Value}] (Value as text). */
static void add_outputs(cJSON *m, const step_run *r)
{
    const cJSON *outs = r->status == RS_SUCCEEDED && r->props
        ? cJSON_GetObjectItemCaseSensitive(r->props, "OutputParameters") : NULL, *o;
    if (!outs)
        return;
    cJSON *list = cJSON_AddArrayToObject(m, "OutputParameters");
    cJSON_ArrayForEach(o, outs) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "Name", o->string);
        g_autofree char *v = sm_pipelines__as_text(o);
        cJSON_AddStringToObject(e, "Value", v);
        cJSON_AddItemToArray(list, e);
    }
}

/* Metadata.Callback: the token, the queue, and once the step succeeded the
 * output parameters it was sent; Metadata.Lambda: the function and its
 * outputs. */
static cJSON *output_meta(const pstep *ps, const step_run *r)
{
    cJSON *m = cJSON_CreateObject();
    if (ps->type == ST_CALLBACK) {
        cJSON_AddStringToObject(m, "CallbackToken", r->callback);
        cJSON_AddStringToObject(m, "SqsQueueUrl", api_str(ps->json, "SqsQueueUrl"));
    } else {
        cJSON_AddStringToObject(m, "Arn", r->job_arn);
    }
    add_outputs(m, r);
    return m;
}

/* P7: each started step with its status, attempts and the job it started. */
static bool list_pipeline_execution_steps(api_call *c)
{
    execution *x = sm_pipelines__execution_for(c, "sagemaker:ListPipelineExecutionSteps");
    if (!x)
        return false;
    g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(step_row));
    for (guint i = 0; i < x->def->steps->len; i++)
        if (x->runs[i].status >= RS_STARTING) {
            step_row row = { x, (int)i };
            g_array_append_val(rows, row);
        }
    g_array_sort(rows, cmp_step_row);
    if (sm_descending(c))
        for (guint i = 0; i < rows->len / 2; i++) {
            step_row t = g_array_index(rows, step_row, i);
            g_array_index(rows, step_row, i) = g_array_index(rows, step_row, rows->len - 1 - i);
            g_array_index(rows, step_row, rows->len - 1 - i) = t;
        }
    guint first, end;
    if (!sm_page(c, rows->len, &first, &end))
        return false;
    end += first;          /* sm_page gives the count of this page */
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "PipelineExecutionSteps");
    for (guint k = first; k < end; k++) {
        int i = g_array_index(rows, step_row, k).i;
        const pstep *ps = sm_pipelines__pstep_at(x, i);
        const step_run *r = &x->runs[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "StepName", ps->name);
        if (api_str(ps->json, "DisplayName"))
            cJSON_AddStringToObject(e, "StepDisplayName", api_str(ps->json, "DisplayName"));
        if (api_str(ps->json, "Description"))
            cJSON_AddStringToObject(e, "StepDescription", api_str(ps->json, "Description"));
        api_add_time(c->w, e, "StartTime", r->first_start_us);
        if (r->status >= RS_SUCCEEDED)
            api_add_time(c->w, e, "EndTime", r->end_us);
        cJSON_AddStringToObject(e, "StepStatus", RS_NAMES[r->status]);
        if (r->failure && r->status == RS_FAILED)
            cJSON_AddStringToObject(e, "FailureReason", r->failure);
        cJSON_AddNumberToObject(e, "AttemptCount", r->attempts);
        if (r->cache_source)
            cJSON_AddStringToObject(cJSON_AddObjectToObject(e, "CacheHitResult"),
                                    "SourcePipelineExecutionArn", r->cache_source);
        cJSON *meta = cJSON_AddObjectToObject(e, "Metadata");
        const char *mk = KINDS[ps->type].meta;
        if (ps->type == ST_CONDITION && r->outcome) {
            cJSON_AddStringToObject(cJSON_AddObjectToObject(meta, mk), "Outcome", r->outcome);
        } else if (ps->type == ST_FAIL && r->fail_message) {
            cJSON_AddStringToObject(cJSON_AddObjectToObject(meta, mk), "ErrorMessage",
                                    r->fail_message);
        } else if (ps->type == ST_EMR && r->props) {
            cJSON_AddItemToObject(meta, mk, cJSON_Duplicate(r->props, 1));
        } else if ((ps->type == ST_CALLBACK && r->callback[0]) ||
                   (ps->type == ST_LAMBDA && r->job_arn)) {
            cJSON_AddItemToObject(meta, mk, output_meta(ps, r));
        } else if (sm_pipelines__is_check(ps->type) && r->job_arn) {
            cJSON_AddItemToObject(meta, mk, sm_pipelines__check_meta(
                ps, r->job_arn, r->status == RS_SUCCEEDED ? r->props : NULL));
        } else if (mk && r->job_arn) {
            cJSON_AddStringToObject(cJSON_AddObjectToObject(meta, mk), "Arn", r->job_arn);
        }
        cJSON_AddItemToArray(list, e);
    }
    sm_page_token(c, first, end - first, rows->len);
    return true;
}

/* The execution's parameters as it ran with them: the definition's, in
 * its order, each with the value the start gave or its default, as text
 * (seed 002, ListPipelineParametersForExecution). */
static bool list_pipeline_parameters_for_execution(api_call *c)
{
    execution *x = sm_pipelines__execution_for(c, "sagemaker:ListPipelineParametersForExecution");
    if (!x)
        return false;
    guint n = (guint)cJSON_GetArraySize(x->params), first, count;
    if (!sm_page(c, n, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "PipelineParameters");
    const cJSON *p;
    guint i = 0;
    cJSON_ArrayForEach(p, x->params) {
        if (i >= first && i < first + count) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "Name", p->string);
            g_autofree char *v = sm_pipelines__as_text(p);
            cJSON_AddStringToObject(o, "Value", v);
            cJSON_AddItemToArray(list, o);
        }
        i++;
    }
    sm_page_token(c, first, count, n);
    return true;
}

/* The service stops a running step's job as the execution role; if it
 * may not, the job runs to its end. */
static void stop_step(world *w, void *data)
{
    const step_ref *ref = data;
    execution *x;
    step_run *r = sm_pipelines__step_of(w, ref, &x);
    if (!r)
        return;
    int i = ref->step;
    if (r->status != RS_STOPPING || !r->job_arn)
        return;
    const pstep *ps = sm_pipelines__pstep_at(x, i);
    if (ps->type == ST_EMR) {
        /* The cluster step is cancelled (CancelSteps, SEND_INTERRUPT). */
        g_autoptr(cJSON) in = cJSON_CreateObject();
        cJSON_AddStringToObject(in, "ClusterId", api_str(r->props, "ClusterId"));
        cJSON_AddItemToArray(cJSON_AddArrayToObject(in, "StepIds"), cJSON_CreateString(r->job_arn));
        g_autoptr(cJSON) out = NULL;
        api_error e = { 0 };
        bool ok = api_invoke_via(w, x->role, SM_SERVICE, "elasticmapreduce:CancelSteps", in,
                                 &x->r, &out, &e);
        const cJSON *info = cJSON_GetArrayItem(
            cJSON_GetObjectItemCaseSensitive(out, "CancelStepsInfoList"), 0);
        api_error_clear(&e);
        if (ok && g_strcmp0(api_str(info, "Status"), "SUBMITTED") == 0) {
            if (r->timer)
                world_cancel(w, r->timer);
            r->timer = 0;
            sm_pipelines__step_done(w, x, i, RS_STOPPED, NULL);
            sm_pipelines__pump(w, x);
        } else {
            r->status = RS_EXECUTING;   /* it runs to its end */
        }
        return;
    }
    const char *slash = strrchr(r->job_arn, '/');
    g_autoptr(cJSON) in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, KINDS[ps->type].name_member, slash ? slash + 1 : r->job_arn);
    g_autofree char *action = g_strdup_printf("sagemaker:Stop%s",
                                              KINDS[ps->type].action + strlen("sagemaker:Create"));
    api_error e = { 0 };
    if (!api_invoke_via(w, x->role, SM_SERVICE, action, in, &x->r, NULL, &e))
        r->status = RS_EXECUTING;
    api_error_clear(&e);
}

static bool stop_pipeline_execution(api_call *c)
{
    execution *x = sm_pipelines__execution_for(c, "sagemaker:StopPipelineExecution");
    if (!x)
        return false;
    if (x->status != EX_EXECUTING) {
        api_error_set(&c->err, "ConflictException", "Pipeline execution %s is %s and cannot be "
                      "stopped.", x->arn, EXEC_NAMES[x->status]);
        return false;
    }
    x->status = EX_STOPPING;
    x->modified_us = c->now;
    /* Running jobs are stopped by the service as the execution role;
     * steps waiting to start or to retry stop at once; a running Lambda
     * function finishes first, and a waiting Callback step holds the stop
     * until its callback comes (StopPipelineExecution API reference). */
    for (guint i = 0; i < x->def->steps->len; i++) {
        step_run *r = &x->runs[i];
        if (r->status == RS_STARTING) {
            if (r->timer)
                world_cancel(c->w, r->timer);
            sm_pipelines__step_done(c->w, x, (int)i, RS_STOPPED, NULL);
        } else if (r->status == RS_EXECUTING &&
                   sm_pipelines__pstep_at(x, (int)i)->type == ST_LAMBDA) {
            r->status = RS_STOPPING;   /* the function runs to its end, then Stopped */
        } else if (r->status == RS_EXECUTING && r->job_arn) {
            r->status = RS_STOPPING;
            world_schedule(c->w, c->now + STEP_START_US, stop_step, sm_pipelines__step_ref_new(x->arn, (int)i),
                           sm_pipelines__step_ref_free);
        }
    }
    sm_pipelines__pump(c->w, x);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "PipelineExecutionArn", x->arn);
    return true;
}

/* ---- Callback steps ---------------------------------------------------------------- */

/* SendPipelineExecutionStepSuccess / ...Failure: the token names a waiting
 * Callback step; the caller needs the action on its execution.  An unknown
 * token is ResourceNotFound; a step that has already ended is a
 * ConflictException, unless the same ClientRequestToken completed it (the
 * call is then answered again, as an idempotent call is). */
static bool callback_send(api_call *c, const char *action, bool success)
{
    pl_state *s = sm_pipelines__state_of(c->w);
    const char *token = api_str(c->input, "CallbackToken");
    const step_ref *ref = token ? g_hash_table_lookup(s->callbacks, token) : NULL;
    execution *x = NULL;
    step_run *r = ref ? sm_pipelines__step_of(c->w, ref, &x) : NULL;
    if (!r || strcmp(r->callback, token) != 0) {
        api_error_set(&c->err, "ResourceNotFound", "No pipeline execution step waits for "
                      "callback token %s.", token ? token : "");
        return false;
    }
    api_resource(c, x->arn, x->account, "AWS::SageMaker::PipelineExecution");
    if (!authorize_pl(c, action, x->arn, x->pipeline_arn, x->account))
        return false;
    const char *crt = api_str(c->input, "ClientRequestToken");
    if (r->status != RS_EXECUTING) {
        if (crt && g_strcmp0(crt, r->callback_request) == 0)
            goto answer;
        api_error_set(&c->err, "ConflictException", "The step for callback token %s has "
                      "already completed (%s).", token, RS_NAMES[r->status]);
        return false;
    }
    int i = ref->step;
    const pstep *ps = sm_pipelines__pstep_at(x, i);
    if (success) {
        g_autoptr(cJSON) props = cJSON_CreateObject();
        cJSON *outs = cJSON_AddObjectToObject(props, "OutputParameters");
        const cJSON *o;
        cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(c->input, "OutputParameters")) {
            const char *n = api_str(o, "Name"), *v = api_str(o, "Value");
            cJSON *tv = n && v ? sm_pipelines__typed_output(ps, n, v) : NULL;
            if (!tv) {
                api_error_set(&c->err, "ValidationException", "The value '%s' of output "
                              "parameter '%s' does not match its OutputType.", v ? v : "",
                              n ? n : "");
                return false;
            }
            cJSON_DeleteItemFromObjectCaseSensitive(outs, n);
            cJSON_AddItemToObject(outs, n, tv);
        }
        cJSON_Delete(r->props);
        r->props = g_steal_pointer(&props);
        sm_pipelines__step_done(c->w, x, i, RS_SUCCEEDED, NULL);
    } else {
        const char *why = api_str(c->input, "FailureReason");
        sm_pipelines__step_done(c->w, x, i, RS_FAILED, why ? why : "");
    }
    sm_pipelines__set_str(&r->callback_request, crt);
    sm_pipelines__pump(c->w, x);
answer:
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "PipelineExecutionArn", x->arn);
    return true;
}

static bool send_step_success(api_call *c)
{
    return callback_send(c, "sagemaker:SendPipelineExecutionStepSuccess", true);
}

static bool send_step_failure(api_call *c)
{
    return callback_send(c, "sagemaker:SendPipelineExecutionStepFailure", false);
}

static bool retry_pipeline_execution(api_call *c)
{
    execution *x = sm_pipelines__execution_for(c, "sagemaker:RetryPipelineExecution");
    if (!x)
        return false;
    if (x->status != EX_FAILED || x->ended_at_fail) {
        api_error_set(&c->err, "ConflictException", x->ended_at_fail
                      ? "Pipeline execution %s ended at a Fail step and cannot be retried."
                      : "Pipeline execution %s is %s; only failed executions can be retried.",
                      x->arn, EXEC_NAMES[x->status]);
        return false;
    }
    pl_state *s = sm_pipelines__state_of(c->w);
    gint64 *running = sm_pipelines__running_of(s, x->account);
    int64_t quota = world_quota(c->w, x->account, EXEC_QUOTA, EXEC_QUOTA_DEFAULT);
    if (*running >= quota) {
        api_error_set(&c->err, "ResourceLimitExceeded", "The account-level service limit "
                      "'Maximum number of concurrent pipeline executions' is %" G_GINT64_FORMAT
                      ".", quota);
        return false;
    }
    /* Succeeded steps are kept; failed, stopped and unstarted ones run again. */
    for (guint i = 0; i < x->def->steps->len; i++) {
        step_run *r = &x->runs[i];
        if (r->status == RS_SUCCEEDED)
            continue;
        if (r->status == RS_FAILED || r->status == RS_STOPPED) {
            /* A new entity, with its retry policies' budgets whole again. */
            r->token[0] = '\0';
            r->callback[0] = '\0';
            sm_pipelines__set_str(&r->callback_request, NULL);
            memset(r->policy_retries, 0,
                   sizeof(int) * MAX(sm_pipelines__pstep_at(x, (int)i)->retry->len, 1));
            g_free(r->failure);
            r->failure = NULL;
        }
        r->status = RS_NONE;
        r->queued = false;
    }
    s->stats.failed--;             /* it ends again, and is counted then */
    if (parallel_of(c->input) > 0)
        x->max_parallel = parallel_of(c->input);
    x->failing = false;
    x->status = EX_EXECUTING;
    sm_pipelines__set_str(&x->failure, NULL);
    x->modified_us = c->now;
    x->counted = true;
    (*running)++;
    sm_pipelines__pump(c->w, x);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "PipelineExecutionArn", x->arn);
    return true;
}

cJSON *sm_pipelines_stats(world *w)
{
    pl_state *s = world_service_state(w, PL_SLOT);
    if (!s || !s->stats.started)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    cJSON *ex = cJSON_AddObjectToObject(o, "executions");
    cJSON_AddNumberToObject(ex, "started", (double)s->stats.started);
    cJSON_AddNumberToObject(ex, "succeeded", (double)s->stats.succeeded);
    cJSON_AddNumberToObject(ex, "failed", (double)s->stats.failed);
    cJSON_AddNumberToObject(ex, "stopped", (double)s->stats.stopped);
    cJSON_AddNumberToObject(ex, "unfinished", (double)(s->stats.started - s->stats.succeeded -
                                                       s->stats.failed - s->stats.stopped));
    cJSON_AddNumberToObject(o, "stepJobsCreated", (double)s->stats.jobs);
    cJSON_AddNumberToObject(o, "retries", (double)s->stats.retries);
    cJSON_AddNumberToObject(o, "throttledJobCreations", (double)s->stats.throttled);
    cJSON_AddNumberToObject(o, "resourceLimitedJobCreations", (double)s->stats.limited);
    cJSON_AddNumberToObject(o, "capacityErrors", (double)s->stats.capacity);
    cJSON_AddNumberToObject(o, "deniedJobCreations", (double)s->stats.denied);
    cJSON_AddNumberToObject(o, "queuedStepStarts", (double)s->stats.queued);
    return o;
}

/* Calls on a pipeline shared from another account reach the owner's log
 * too (the modelling choice model cards make, README); the rest stay in the
 * caller's. */

static const api_op ops[] = {
    { "sagemaker:CreatePipeline", create_pipeline, false, API_TO_CALLER },
    { "sagemaker:UpdatePipeline", update_pipeline, false, API_TO_CALLER },
    { "sagemaker:DescribePipeline", describe_pipeline, true, API_TO_CALLER_AND_OWNER },
    { "sagemaker:DeletePipeline", delete_pipeline, false, API_TO_CALLER },
    { "sagemaker:ListPipelines", list_pipelines, true, API_TO_CALLER },
    { "sagemaker:StartPipelineExecution", start_pipeline_execution, false,
      API_TO_CALLER_AND_OWNER },
    { "sagemaker:DescribePipelineExecution", describe_pipeline_execution, true,
      API_TO_CALLER_AND_OWNER },
    { "sagemaker:ListPipelineExecutions", list_pipeline_executions, true, API_TO_CALLER_AND_OWNER },
    { "sagemaker:ListPipelineExecutionSteps", list_pipeline_execution_steps, true,
      API_TO_CALLER_AND_OWNER },
    { "sagemaker:ListPipelineParametersForExecution", list_pipeline_parameters_for_execution, true,
      API_TO_CALLER_AND_OWNER },
    { "sagemaker:StopPipelineExecution", stop_pipeline_execution, false, API_TO_CALLER_AND_OWNER },
    { "sagemaker:RetryPipelineExecution", retry_pipeline_execution, false,
      API_TO_CALLER_AND_OWNER },
    { "sagemaker:SendPipelineExecutionStepSuccess", send_step_success, false,
      API_TO_CALLER_AND_OWNER },
    { "sagemaker:SendPipelineExecutionStepFailure", send_step_failure, false,
      API_TO_CALLER_AND_OWNER },
    { "sagemaker:DescribePipelineDefinitionForExecution", describe_definition_for_execution,
      true, API_TO_CALLER_AND_OWNER },
    { NULL, NULL, false, API_TO_CALLER },
};

static const char *const happenings[] = { "sagemaker:pipeline-execution", NULL };

/* A pipeline, or one of its executions: the policies RAM holds for the
 * pipeline. */
static bool resource_policies(world *w, const principal *caller, const char *action,
                              const char *resource, GPtrArray *out, api_resource_mode *mode,
                              char **owner)
{
    (void)action;
    return sm_explain_under(w, caller, ":pipeline/", resource, out, mode, owner);
}

const api_service api_service_sagemaker_pipelines = {
    .name = "sagemaker-pipelines", .prefix = "sagemaker",
    .event_source = "sagemaker.amazonaws.com",
    .endpoint = "api.sagemaker.%s.amazonaws.com", .ops = ops, .happenings = happenings,
    .stats_key = "pipelines", .stats = sm_pipelines_stats,
    .resource_policies = resource_policies,
};
