/* model/svc_emr.c: Amazon EMR steps on clusters a scenario declares.
 *
 * "emr_clusters": {"j-...": {"name", "step_duration": "10m",
 * "step_failure": "..."}} in an account: running clusters (crossim starts
 * and ends none).  AddJobFlowSteps queues steps, which run one at a time in
 * the order added (StepConcurrencyLevel 1) for the cluster's step duration
 * and then complete, or fail with its step_failure; DescribeStep reads a
 * step's state at the world's time; CancelSteps cancels pending and running
 * steps (later steps keep their places in the queue).  Every call is
 * authorised by IAM on the cluster's ARN (EMR has no resource policies, so
 * another account's cluster is out of reach). */
#include "model/emr.h"
#include "model/service.h"
#include "model/world_int.h"

#include <string.h>

#define EMR_SLOT "emr"
#define CLUSTER_TYPE "AWS::EMR::Cluster"
#define ID_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

typedef struct estep {
    char    *id, *name, *action_on_failure, *role_arn;
    cJSON   *config;                 /* HadoopJarStep as given */
    int64_t  created_us, start_us, end_us;
    int64_t  cancelled_us;           /* -1: not cancelled */
} estep;

typedef struct cluster {
    char      *id, *account, *name, *arn;
    int64_t    step_us;
    char      *failure;              /* every step fails with it, or NULL */
    GPtrArray *steps;                /* estep*, in the order added */
    int64_t    busy_until;
} cluster;

static void estep_free(gpointer p)
{
    estep *s = p;
    g_free(s->id); g_free(s->name); g_free(s->action_on_failure); g_free(s->role_arn);
    cJSON_Delete(s->config);
    g_free(s);
}

static void cluster_free(gpointer p)
{
    cluster *c = p;
    g_free(c->id); g_free(c->account); g_free(c->name); g_free(c->arn); g_free(c->failure);
    g_ptr_array_unref(c->steps);
    g_free(c);
}

static GHashTable *clusters(world *w)
{
    GHashTable *s = world_service_state(w, EMR_SLOT);
    if (!s) {
        s = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, cluster_free);
        world_set_service_state(w, EMR_SLOT, s, (GDestroyNotify)g_hash_table_unref);
    }
    return s;
}

static estep *step_of(const cluster *c, const char *id)
{
    for (guint i = 0; c && id && i < c->steps->len; i++)
        if (strcmp(((estep *)c->steps->pdata[i])->id, id) == 0)
            return c->steps->pdata[i];
    return NULL;
}

static const char *state_at(const cluster *c, const estep *s, int64_t now)
{
    if (s->cancelled_us >= 0 && s->cancelled_us <= now)
        return "CANCELLED";
    if (now < s->start_us)
        return "PENDING";
    if (now < s->end_us)
        return "RUNNING";
    return c->failure ? "FAILED" : "COMPLETED";
}

/* Where EMR puts a step's stderr: the cluster's log URI, here the default
 * bucket EMR's console proposes (aws-logs-ACCOUNT-REGION). */
static char *log_file(world *w, const cluster *c, const estep *s)
{
    return g_strdup_printf("s3://aws-logs-%s-%s/elasticmapreduce/%s/steps/%s/stderr.gz",
                           c->account, world_region(w), c->id, s->id);
}

bool emr_step(world *w, const char *cluster_id, const char *step_id, emr_step_view *out)
{
    const cluster *c = cluster_id ? g_hash_table_lookup(clusters(w), cluster_id) : NULL;
    const estep *s = step_of(c, step_id);
    if (!s)
        return false;
    out->state = state_at(c, s, world_now(w));
    out->end_us = s->cancelled_us >= 0 ? s->cancelled_us : s->end_us;
    bool failed = strcmp(out->state, "FAILED") == 0;
    out->failure = failed ? c->failure : NULL;
    out->log_file = failed ? log_file(w, c, s) : NULL;
    return true;
}

/* The cluster a call names, after authorising action on it; NULL with the
 * error set (EMR: an unknown cluster is InvalidRequestException, except for
 * AddJobFlowSteps, which answers ValidationException). */
static cluster *cluster_for(api_call *c, const char *member, const char *action,
                            const char *missing_code)
{
    const char *id = api_str(c->input, member);
    cluster *k = g_hash_table_lookup(clusters(c->w), id);
    g_autofree char *arn = k ? NULL : g_strdup_printf("arn:aws:elasticmapreduce:%s:%s:cluster/%s",
                                                      world_region(c->w), c->caller->account, id);
    api_resource(c, k ? k->arn : arn, k ? k->account : c->caller->account, CLUSTER_TYPE);
    if (!api_authorize(c, action, k ? k->arn : arn, k ? k->account : NULL, NULL,
                       API_RES_OPTIONAL, NULL))
        return NULL;
    if (!k)
        api_error_set(&c->err, missing_code, strcmp(missing_code, "ValidationException") == 0
                      ? "Specified job flow ID does not exist." : "Cluster id '%s' is not valid.",
                      id);
    return k;
}

static bool add_job_flow_steps(api_call *c)
{
    cluster *k = cluster_for(c, "JobFlowId", "elasticmapreduce:AddJobFlowSteps",
                             "ValidationException");
    if (!k)
        return false;
    c->output = cJSON_CreateObject();
    cJSON *ids = cJSON_AddArrayToObject(c->output, "StepIds");
    const cJSON *sc;
    cJSON_ArrayForEach(sc, cJSON_GetObjectItemCaseSensitive(c->input, "Steps")) {
        estep *s = g_new0(estep, 1);
        char id[16] = "s-";
        rng_chars(c->rng, id + 2, 13, ID_CHARS);
        s->id = g_strdup(id);
        s->name = g_strdup(api_str(sc, "Name"));
        s->action_on_failure = g_strdup(api_str(sc, "ActionOnFailure") ? api_str(sc, "ActionOnFailure")
                                                                       : "CONTINUE");
        s->role_arn = g_strdup(api_str(c->input, "ExecutionRoleArn"));
        s->config = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(sc, "HadoopJarStep"), 1);
        s->created_us = c->now;
        s->start_us = MAX(c->now, k->busy_until);
        s->end_us = s->start_us + k->step_us;
        s->cancelled_us = -1;
        k->busy_until = s->end_us;
        g_ptr_array_add(k->steps, s);
        cJSON_AddItemToArray(ids, cJSON_CreateString(s->id));
    }
    return true;
}

static bool describe_step(api_call *c)
{
    cluster *k = cluster_for(c, "ClusterId", "elasticmapreduce:DescribeStep",
                             "InvalidRequestException");
    if (!k)
        return false;
    const estep *s = step_of(k, api_str(c->input, "StepId"));
    if (!s) {
        api_error_set(&c->err, "InvalidRequestException", "Step id '%s' is not valid.",
                      api_str(c->input, "StepId"));
        return false;
    }
    const char *state = state_at(k, s, c->now);
    c->output = cJSON_CreateObject();
    cJSON *o = cJSON_AddObjectToObject(c->output, "Step");
    cJSON_AddStringToObject(o, "Id", s->id);
    cJSON_AddStringToObject(o, "Name", s->name);
    cJSON *cfg = cJSON_AddObjectToObject(o, "Config");
    cJSON_AddStringToObject(cfg, "Jar", api_str(s->config, "Jar") ? api_str(s->config, "Jar") : "");
    cJSON_AddObjectToObject(cfg, "Properties");
    if (api_str(s->config, "MainClass"))
        cJSON_AddStringToObject(cfg, "MainClass", api_str(s->config, "MainClass"));
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(s->config, "Args");
    cJSON_AddItemToObject(cfg, "Args", args ? cJSON_Duplicate(args, 1) : cJSON_CreateArray());
    cJSON_AddStringToObject(o, "ActionOnFailure", s->action_on_failure);
    cJSON *st = cJSON_AddObjectToObject(o, "Status");
    cJSON_AddStringToObject(st, "State", state);
    cJSON_AddObjectToObject(st, "StateChangeReason");
    if (strcmp(state, "FAILED") == 0) {
        cJSON *fd = cJSON_AddObjectToObject(st, "FailureDetails");
        cJSON_AddStringToObject(fd, "Reason", "Unknown Error");
        cJSON_AddStringToObject(fd, "Message", k->failure);
        g_autofree char *lf = log_file(c->w, k, s);
        cJSON_AddStringToObject(fd, "LogFile", lf);
    }
    cJSON *tl = cJSON_AddObjectToObject(st, "Timeline");
    api_add_time(c->w, tl, "CreationDateTime", s->created_us);
    if (strcmp(state, "PENDING") != 0 && (s->cancelled_us < 0 || s->cancelled_us > s->start_us))
        api_add_time(c->w, tl, "StartDateTime", s->start_us);
    if (strcmp(state, "PENDING") != 0 && strcmp(state, "RUNNING") != 0)
        api_add_time(c->w, tl, "EndDateTime", s->cancelled_us >= 0 ? s->cancelled_us : s->end_us);
    if (s->role_arn)
        cJSON_AddStringToObject(o, "ExecutionRoleArn", s->role_arn);
    return true;
}

static bool cancel_steps(api_call *c)
{
    cluster *k = cluster_for(c, "ClusterId", "elasticmapreduce:CancelSteps",
                             "InvalidRequestException");
    if (!k)
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "CancelStepsInfoList");
    const cJSON *id;
    cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(c->input, "StepIds")) {
        estep *s = step_of(k, cJSON_GetStringValue(id));
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "StepId", cJSON_GetStringValue(id) ? id->valuestring : "");
        const char *state = s ? state_at(k, s, c->now) : NULL;
        if (state && (strcmp(state, "PENDING") == 0 || strcmp(state, "RUNNING") == 0)) {
            s->cancelled_us = c->now;
            cJSON_AddStringToObject(e, "Status", "SUBMITTED");
            cJSON_AddStringToObject(e, "Reason", "");
        } else {
            cJSON_AddStringToObject(e, "Status", "FAILED");
            cJSON_AddStringToObject(e, "Reason", s ? "The step is not pending or running."
                                                   : "The step does not exist.");
        }
        cJSON_AddItemToArray(list, e);
    }
    return true;
}

/* ---- the scenario's clusters ------------------------------------------------------------ */

static const char *const cluster_keys[] = { "name", "step_duration", "step_failure", NULL };

static bool valid_id(const char *s)
{
    if (!g_str_has_prefix(s, "j-") || strlen(s) < 3 || strlen(s) > 30)
        return false;
    for (const char *p = s + 2; *p; p++)
        if (!strchr(ID_CHARS, *p))
            return false;
    return true;
}

static void load_account(world *w, world_account *a, const cJSON *ac, const char *path, jload *l)
{
    const cJSON *list = jload_obj(l, ac, "emr_clusters", path, false), *k;
    cJSON_ArrayForEach(k, list) {
        g_autofree char *p = g_strdup_printf("%s.emr_clusters.%s", path, k->string);
        if (!cJSON_IsObject(k)) {
            jload_err(l, k, false, p, "a cluster is an object (name, step_duration, step_failure)");
            continue;
        }
        if (!valid_id(k->string)) {
            jload_err(l, k, true, p, "a cluster id is j- and capital letters and digits");
            continue;
        }
        if (g_hash_table_contains(clusters(w), k->string)) {
            jload_err(l, k, true, p, "cluster %s is already defined", k->string);
            continue;
        }
        jload_check_keys(l, k, p, cluster_keys);
        cluster *c = g_new0(cluster, 1);
        c->id = g_strdup(k->string);
        c->account = g_strdup(a->id);
        const char *name = jload_str(l, k, "name", p, false);
        c->name = g_strdup(name ? name : k->string);
        c->arn = g_strdup_printf("arn:aws:elasticmapreduce:%s:%s:cluster/%s", world_region(w),
                                 a->id, k->string);
        c->step_us = 300LL * 1000000;
        jload_dur(l, k, "step_duration", p, &c->step_us);
        const char *f = jload_str(l, k, "step_failure", p, false);
        c->failure = f ? g_strdup(f) : NULL;
        c->steps = g_ptr_array_new_with_free_func(estep_free);
        g_hash_table_replace(clusters(w), c->id, c);
    }
}

static const char *const account_keys[] = { "emr_clusters", NULL };

static const api_op ops[] = {
    { "elasticmapreduce:AddJobFlowSteps", add_job_flow_steps, false, API_TO_CALLER },
    { "elasticmapreduce:DescribeStep", describe_step, true, API_TO_CALLER },
    { "elasticmapreduce:CancelSteps", cancel_steps, false, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

const api_service api_service_emr = {
    .name = "emr", .prefix = "elasticmapreduce", .event_source = "elasticmapreduce.amazonaws.com",
    .endpoint = "elasticmapreduce.%s.amazonaws.com", .ops = ops,
    .account_keys = account_keys, .load_account = load_account,
};
