/* model/sm_jobs.c: SageMaker training, processing, transform and
 * hyperparameter tuning jobs (the jobs pipeline steps start, SPEC P2-P8).
 *
 * Owns every job of the world (the service state slot "sagemaker-jobs"), by
 * ARN, and the scenario's job behaviour.  A job's life:
 *   Create*Job  authorised (the job ARN, iam:PassRole on its RoleArn with
 *               iam:PassedToService), rate limited per account (token bucket,
 *               ThrottlingException), counted against the account quota
 *               "sagemaker:<instance type> for <kind> job usage"
 *               (ResourceLimitExceeded); status InProgress.
 *   +provision  the instances are taken from the account's capacity for the
 *               instance type; when short, the job fails with a CapacityError.
 *   +duration   drawn from the kind's distribution; the job completes, or
 *               fails with a configured failure kind (InternalServerError).
 *   Stop*Job    Stopping, then Stopped after STOP_DELAY.
 * Usage and capacity are given back when the job ends.  The end of a job is
 * reported to the hook pipelines install (sm_jobs_on_end) and to actors of
 * the account ("sagemaker:job", the Describe answer, for jobs a principal
 * created itself, not those a pipeline created); SageMaker sends job
 * state changes to EventBridge, not CloudTrail, so no record is written.
 *
 * Every random draw of a job comes from its own stream
 * "sagemaker/job/<arn>"; iteration that reaches output is sorted. */
#include "model/sm_jobs.h"
#include "model/world_int.h"
#include "model/api_aux.h"
#include "model/service.h"

#include <math.h>
#include <string.h>

#include "model/sm_common.h"
#include "model/base/duration.h"

#define JOBS_SLOT "sagemaker-jobs"
#define PROVISION_US (60LL * 1000000)
#define STOP_DELAY_US (30LL * 1000000)
#define USAGE_QUOTA_DEFAULT 1000
#define CAPACITY_REASON "CapacityError: Unable to provision requested ML compute capacity. " \
                        "Please retry using a different ML instance type."
#define INTERNAL_REASON "InternalServerError: We encountered an internal error. Please try again."

typedef enum job_kind { K_TRAINING, K_PROCESSING, K_TRANSFORM, K_TUNING, K_AUTOML, K_N } job_kind;

typedef struct kind_def {
    const char *key;            /* "training": the config key */
    const char *noun;           /* "Training" for actions: Create<noun>Job */
    const char *name_member, *arn_member, *status_member, *arn_seg;
    const char *usage;          /* quota name part: "training job usage" */
    const char *role_path[2];   /* object, member; object NULL: top level */
    const char *res_path[3];    /* where InstanceType/InstanceCount live */
    double      median_s, p99_s;
} kind_def;

static const kind_def KINDS[K_N] = {
    { "training", "Training", "TrainingJobName", "TrainingJobArn", "TrainingJobStatus",
      "training-job", "training job usage", { NULL, "RoleArn" },
      { "ResourceConfig", NULL, NULL }, 600, 1800 },
    { "processing", "Processing", "ProcessingJobName", "ProcessingJobArn",
      "ProcessingJobStatus", "processing-job", "processing job usage", { NULL, "RoleArn" },
      { "ProcessingResources", "ClusterConfig", NULL }, 300, 900 },
    { "transform", "Transform", "TransformJobName", "TransformJobArn", "TransformJobStatus",
      "transform-job", "transform job usage", { NULL, NULL },
      { "TransformResources", NULL, NULL }, 300, 900 },
    { "tuning", "HyperParameterTuning", "HyperParameterTuningJobName",
      "HyperParameterTuningJobArn", "HyperParameterTuningJobStatus",
      "hyper-parameter-tuning-job", "training job usage", { "TrainingJobDefinition", "RoleArn" },
      { "TrainingJobDefinition", "ResourceConfig", NULL }, 1800, 7200 },
    /* Autopilot picks its own instances: no InstanceType, no instance quota. */
    { "automl", "AutoML", "AutoMLJobName", "AutoMLJobArn", "AutoMLJobStatus", "automl-job",
      NULL, { NULL, "RoleArn" }, { NULL, NULL, NULL }, 3600, 14400 },
};

/* The failure kinds a job can draw, with their FailureReason and the
 * pipeline exception type they stand for. */
static const struct { const char *type, *reason; } FAILURES[] = {
    { "SageMaker.CAPACITY_ERROR", CAPACITY_REASON },
    { "SageMaker.JOB_INTERNAL_ERROR", INTERNAL_REASON },
};

typedef enum dist_kind { DIST_LOGNORMAL, DIST_FIXED, DIST_UNIFORM } dist_kind;

typedef struct kind_cfg {
    dist_kind kind;
    double    a_s, b_s;                        /* median/p99, fixed, min/max */
    double    fail_p[G_N_ELEMENTS(FAILURES)];  /* probability of each failure */
} kind_cfg;

typedef struct job {
    job_kind    kind;
    char       *name, *arn, *account;
    sm_job_status_t status;
    char       *secondary, *failure;
    const char *exception;                     /* static, for failed jobs */
    cJSON      *input;                         /* the Create request */
    char       *instance_type;
    int64_t     instances;
    bool        holds_capacity, holds_usage;
    bool        notify;                        /* created by a principal, not a service */
    int64_t     created_us, started_us, ended_us, modified_us;
    uint64_t    timer;
} job;

typedef struct bucket { double tokens; int64_t at_us; } bucket;

typedef struct jobs_state {
    GHashTable   *jobs;        /* arn -> job* */
    GHashTable   *usage;       /* "acct|usage|type" -> gint64* instances (quota) */
    GHashTable   *in_use;      /* "acct|type" -> gint64* instances (capacity) */
    GHashTable   *buckets;     /* account -> bucket* */
    kind_cfg      cfg[K_N];
    GHashTable   *capacity;    /* instance type -> gint64* per account; absent: unbounded */
    double        rate, burst; /* Create*Job calls per second per account; 0: no limit */
    sm_job_end_fn on_end;
} jobs_state;

/* ---- state ------------------------------------------------------------------------------ */

static void job_free(gpointer p)
{
    job *j = p;
    g_free(j->name); g_free(j->arn); g_free(j->account);
    g_free(j->secondary); g_free(j->failure);
    g_free(j->instance_type);
    cJSON_Delete(j->input);
    g_free(j);
}

static void state_free(gpointer p)
{
    jobs_state *s = p;
    g_hash_table_unref(s->jobs);
    g_hash_table_unref(s->usage);
    g_hash_table_unref(s->in_use);
    g_hash_table_unref(s->buckets);
    g_hash_table_unref(s->capacity);
    g_free(s);
}

static jobs_state *state_of(world *w)
{
    jobs_state *s = world_service_state(w, JOBS_SLOT);
    if (!s) {
        s = g_new0(jobs_state, 1);
        s->jobs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, job_free);
        s->usage = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        s->in_use = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        s->buckets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        s->capacity = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        for (int k = 0; k < K_N; k++) {
            s->cfg[k].kind = DIST_LOGNORMAL;
            s->cfg[k].a_s = KINDS[k].median_s;
            s->cfg[k].b_s = KINDS[k].p99_s;
        }
        world_set_service_state(w, JOBS_SLOT, s, state_free);
    }
    return s;
}

static gint64 *counter(GHashTable *h, const char *key)
{
    gint64 *n = g_hash_table_lookup(h, key);
    if (!n) {
        n = g_new0(gint64, 1);
        g_hash_table_insert(h, g_strdup(key), n);
    }
    return n;
}

void sm_jobs_on_end(world *w, sm_job_end_fn fn)
{
    state_of(w)->on_end = fn;
}

/* ---- configuration -------------------------------------------------------------------------- */

static bool cfg_dur(const cJSON *o, const char *member, double *secs, const char *path,
                    sm_jobs_report_fn report, void *user)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, member);
    if (!v)
        return false;
    int64_t us;
    g_autofree char *p = g_strdup_printf("%s.%s", path, member);
    if (!cJSON_IsString(v) || !dur_parse(v->valuestring, &us)) {
        report(user, v, p, "not a duration (use 90s, 10m, 2h, 1d)");
        return false;
    }
    *secs = (double)us / 1e6;
    return true;
}

static bool known_key(const char *k, const char *const *keys)
{
    for (; *keys; keys++)
        if (strcmp(k, *keys) == 0)
            return true;
    return false;
}

static void unknown_keys(const cJSON *o, const char *path, const char *const *keys,
                         sm_jobs_report_fn report, void *user, int *bad)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, o)
        if (!known_key(e->string, keys)) {
            g_autofree char *p = g_strdup_printf("%s.%s", path, e->string);
            g_autoptr(GString) k = g_string_new(NULL);
            for (const char *const *x = keys; *x; x++)
                g_string_append_printf(k, "%s%s", k->len ? ", " : "", *x);
            g_autofree char *m = g_strdup_printf("unknown key \"%s\" (known: %s)", e->string,
                                                 k->str);
            report(user, e, p, m);
            (*bad)++;
        }
}

static void cfg_kind(jobs_state *s, job_kind k, const cJSON *o, sm_jobs_report_fn report,
                     void *user, int *bad)
{
    g_autofree char *path = g_strdup_printf("jobs.%s", KINDS[k].key);
    static const char *const keys[] = { "duration", "failures", NULL };
    static const char *const dkeys[] = { "median", "p99", "fixed", "min", "max", NULL };
    if (!cJSON_IsObject(o)) {
        report(user, o, path, "an object {\"duration\": ..., \"failures\": ...}");
        (*bad)++;
        return;
    }
    unknown_keys(o, path, keys, report, user, bad);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "duration");
    if (d) {
        g_autofree char *dp = g_strdup_printf("%s.duration", path);
        kind_cfg *c = &s->cfg[k];
        double a = 0, b = 0;
        unknown_keys(d, dp, dkeys, report, user, bad);
        if (cfg_dur(d, "fixed", &a, dp, report, user)) {
            c->kind = DIST_FIXED;
            c->a_s = a;
        } else if (cfg_dur(d, "median", &a, dp, report, user)) {
            b = a;
            cfg_dur(d, "p99", &b, dp, report, user);
            if (a <= 0 || b < a) {
                report(user, d, dp, "need 0 < median <= p99");
                (*bad)++;
            }
            c->kind = DIST_LOGNORMAL;
            c->a_s = a;
            c->b_s = b;
        } else if (cfg_dur(d, "max", &b, dp, report, user)) {
            cfg_dur(d, "min", &a, dp, report, user);
            if (b < a) {
                report(user, d, dp, "need min <= max");
                (*bad)++;
            }
            c->kind = DIST_UNIFORM;
            c->a_s = a;
            c->b_s = b;
        } else {
            report(user, d, dp, "give fixed, median (and p99), or min and max");
            (*bad)++;
        }
    }
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "failures"), *e;
    double total = 0;
    g_autofree char *fp = g_strdup_printf("%s.failures", path);
    cJSON_ArrayForEach(e, f) {
        g_autofree char *p = g_strdup_printf("%s.%s", fp, e->string);
        gsize i;
        for (i = 0; i < G_N_ELEMENTS(FAILURES); i++)
            if (strcmp(e->string, FAILURES[i].type) == 0)
                break;
        if (i == G_N_ELEMENTS(FAILURES)) {
            report(user, e, p, "a job fails with SageMaker.CAPACITY_ERROR or "
                               "SageMaker.JOB_INTERNAL_ERROR (quotas give RESOURCE_LIMIT, "
                               "create_rate gives throttling)");
            (*bad)++;
        } else if (!cJSON_IsNumber(e) || e->valuedouble < 0 || e->valuedouble > 1) {
            report(user, e, p, "a probability from 0 to 1");
            (*bad)++;
        } else {
            s->cfg[k].fail_p[i] = e->valuedouble;
            total += e->valuedouble;
        }
    }
    if (total > 1) {
        report(user, f, fp, "the failure probabilities add up to more than 1");
        (*bad)++;
    }
}

bool sm_jobs_configure(world *w, const cJSON *cfg, sm_jobs_report_fn report, void *user)
{
    jobs_state *s = state_of(w);
    if (!cfg)
        return true;
    int bad = 0;
    static const char *const keys[] = { "training", "processing", "transform", "tuning",
                                        "automl", "capacity", "create_rate", NULL };
    if (!cJSON_IsObject(cfg)) {
        report(user, cfg, "jobs", "an object (training, processing, transform, tuning, automl, "
                                  "capacity, create_rate)");
        return false;
    }
    unknown_keys(cfg, "jobs", keys, report, user, &bad);
    for (int k = 0; k < K_N; k++) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(cfg, KINDS[k].key);
        if (o)
            cfg_kind(s, (job_kind)k, o, report, user, &bad);
    }
    const cJSON *cap = cJSON_GetObjectItemCaseSensitive(cfg, "capacity"), *e;
    int64_t n;
    cJSON_ArrayForEach(e, cap) {
        g_autofree char *p = g_strdup_printf("jobs.capacity.%s", e->string);
        if (!g_str_has_prefix(e->string, "ml.")) {
            report(user, e, p, "an instance type such as ml.m5.xlarge");
            bad++;
        } else if (!json_whole(e, 0, JSON_WHOLE_MAX, &n)) {
            report(user, e, p, "a whole number of instances from 0 to 2^53-1");
            bad++;
        } else {
            g_hash_table_replace(s->capacity, g_strdup(e->string), g_memdup2(&n, sizeof n));
        }
    }
    const cJSON *rate = cJSON_GetObjectItemCaseSensitive(cfg, "create_rate");
    if (rate) {
        static const char *const rkeys[] = { "per_second", "burst", NULL };
        unknown_keys(rate, "jobs.create_rate", rkeys, report, user, &bad);
        const cJSON *ps = cJSON_GetObjectItemCaseSensitive(rate, "per_second");
        const cJSON *bu = cJSON_GetObjectItemCaseSensitive(rate, "burst");
        if (!cJSON_IsNumber(ps) || ps->valuedouble <= 0) {
            report(user, ps ? ps : rate, "jobs.create_rate.per_second", "a number > 0");
            bad++;
        } else {
            s->rate = ps->valuedouble;
            s->burst = cJSON_IsNumber(bu) && bu->valuedouble >= 1 ? bu->valuedouble : 1;
        }
        if (bu && (!cJSON_IsNumber(bu) || bu->valuedouble < 1)) {
            report(user, bu, "jobs.create_rate.burst", "a number >= 1");
            bad++;
        }
    }
    return bad == 0;
}

/* ---- helpers ------------------------------------------------------------------------------- */

static const cJSON *at_path(const cJSON *o, const char *const *path, int n)
{
    for (int i = 0; i < n && path[i] && o; i++)
        o = cJSON_GetObjectItemCaseSensitive(o, path[i]);
    return o;
}

static char *job_arn_for(world *w, job_kind k, const char *account, const char *name)
{
    return g_strdup_printf("arn:aws:sagemaker:%s:%s:%s/%s", world_region(w), account,
                           KINDS[k].arn_seg, name);
}

static char *usage_key(const job *j)
{
    return g_strdup_printf("%s|%s|%s", j->account, KINDS[j->kind].usage, j->instance_type);
}

static char *in_use_key(const job *j)
{
    return g_strdup_printf("%s|%s", j->account, j->instance_type);
}

static void set_str(char **slot, const char *v)
{
    g_free(*slot);
    *slot = g_strdup(v);
}

/* Token bucket per account: false when the call is over the rate. */
static bool take_token(jobs_state *s, const char *account, int64_t now)
{
    if (s->rate <= 0)
        return true;
    bucket *b = g_hash_table_lookup(s->buckets, account);
    if (!b) {
        b = g_new0(bucket, 1);
        b->tokens = s->burst;
        b->at_us = now;
        g_hash_table_insert(s->buckets, g_strdup(account), b);
    }
    b->tokens = MIN(s->burst, b->tokens + (double)(now - b->at_us) / 1e6 * s->rate);
    b->at_us = now;
    if (b->tokens < 1)
        return false;
    b->tokens -= 1;
    return true;
}

static double draw_duration(const kind_cfg *c, rng *r)
{
    switch (c->kind) {
    case DIST_FIXED:
        return c->a_s;
    case DIST_UNIFORM:
        return c->a_s + (c->b_s - c->a_s) * rng_uniform(r);
    case DIST_LOGNORMAL:
        break;
    }
    return c->a_s == c->b_s ? c->a_s : rng_lognormal(r, c->a_s, c->b_s);
}

/* ---- the life of a job -------------------------------------------------------------------- */

static cJSON *describe(world *w, const job *j);

static void release(world *w, job *j)
{
    jobs_state *s = state_of(w);
    if (j->holds_usage) {
        g_autofree char *k = usage_key(j);
        *counter(s->usage, k) -= j->instances;
        j->holds_usage = false;
    }
    if (j->holds_capacity) {
        g_autofree char *k = in_use_key(j);
        *counter(s->in_use, k) -= j->instances;
        j->holds_capacity = false;
    }
}

static const char *const JOB_STATUS[] = { SM_JOB_STATUS_MAP(ENUMX_NAME) };

static void end_job(world *w, job *j, sm_job_status_t status, const char *failure,
                    const char *exception)
{
    int64_t now = world_now(w);
    release(w, j);
    j->timer = 0;
    j->status = status;
    set_str(&j->secondary, JOB_STATUS[status]);
    set_str(&j->failure, failure);
    j->exception = exception;
    j->ended_us = j->modified_us = now;
    if (j->notify) {
        g_autoptr(cJSON) d = describe(w, j);
        world_notify(w, j->account, "sagemaker:job", d);
    }
    jobs_state *s = state_of(w);
    if (s->on_end) {
        g_autofree char *arn = g_strdup(j->arn);   /* the hook may look the job up */
        s->on_end(w, arn);
    }
}

static rng *job_rng(world *w, const job *j)
{
    g_autofree char *stream = g_strdup_printf("sagemaker/job/%s", j->arn);
    return world_rng(w, stream);
}

static void job_finish(world *w, void *data)
{
    job *j = g_hash_table_lookup(state_of(w)->jobs, (const char *)data);
    if (!j || j->status != SM_JOB_IN_PROGRESS)
        return;
    /* The outcome was drawn at provisioning and kept in exception. */
    if (j->exception) {
        const char *reason = INTERNAL_REASON;
        for (gsize i = 0; i < G_N_ELEMENTS(FAILURES); i++)
            if (strcmp(FAILURES[i].type, j->exception) == 0)
                reason = FAILURES[i].reason;
        end_job(w, j, SM_JOB_FAILED, reason, j->exception);
    } else {
        end_job(w, j, SM_JOB_COMPLETED, NULL, NULL);
    }
}

/* The S3 prefixes a job reads its input from. */
static void input_uris(const job *j, GPtrArray *out)
{
    const cJSON *e;
    if (j->kind == K_TRAINING || j->kind == K_AUTOML) {
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j->input, "InputDataConfig")) {
            const cJSON *src = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(e, "DataSource"), "S3DataSource");
            if (api_str(src, "S3Uri"))
                g_ptr_array_add(out, (gpointer)api_str(src, "S3Uri"));
        }
    } else if (j->kind == K_PROCESSING) {
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j->input, "ProcessingInputs")) {
            const cJSON *src = cJSON_GetObjectItemCaseSensitive(e, "S3Input");
            if (api_str(src, "S3Uri"))
                g_ptr_array_add(out, (gpointer)api_str(src, "S3Uri"));
        }
    }
}

/* P3: the job downloads its input with the rights of its own role (a
 * session of RoleArn, through SageMaker): s3:ListObjectsV2 on each input
 * prefix.  NULL when every read is allowed, else the FailureReason. */
static char *download_input(world *w, job *j)
{
    g_autoptr(GPtrArray) uris = g_ptr_array_new();
    input_uris(j, uris);
    if (!uris->len)
        return NULL;
    const char *role = api_str(j->input, "RoleArn");
    principal *p = role ? world_principal_for(w, role, "SageMaker", NULL) : NULL;
    if (!p)
        return NULL;
    char *failure = NULL;
    for (guint i = 0; i < uris->len && !failure; i++) {
        const char *uri = uris->pdata[i];
        const char *path = g_str_has_prefix(uri, "s3://") ? uri + 5 : NULL;
        const char *slash = path ? strchr(path, '/') : NULL;
        if (!path)
            continue;
        g_autofree char *bname = slash ? g_strndup(path, (gsize)(slash - path)) : g_strdup(path);
        g_autoptr(cJSON) in = cJSON_CreateObject();
        cJSON_AddStringToObject(in, "Bucket", bname);
        if (slash && slash[1])
            cJSON_AddStringToObject(in, "Prefix", slash + 1);
        api_error e = { 0 };
        if (!api_invoke_via(w, p, SM_SERVICE, "s3:ListObjectsV2", in, job_rng(w, j), NULL, &e))
            failure = g_strdup_printf("ClientError: Data download failed: could not list %s "
                                      "with role %s: %s (%s)", uri, role, e.code,
                                      e.message ? e.message : "");
        api_error_clear(&e);
    }
    principal_free(p);
    if (failure && strlen(failure) > 1024)
        failure[1024] = '\0';
    return failure;
}

/* The secondary status once the job runs: Autopilot's ensembling mode
 * trains its candidates at once, the other modes analyse the data first. */
static const char *provisioned_status(const job *j)
{
    if (j->kind == K_TRAINING)
        return "Training";
    if (j->kind != K_AUTOML)
        return "InProgress";
    const char *mode = api_str(cJSON_GetObjectItemCaseSensitive(j->input, "AutoMLJobConfig"), "Mode");
    return g_strcmp0(mode, "ENSEMBLING") == 0 ? "TrainingModels" : "AnalyzingData";
}

static void job_provision(world *w, void *data)
{
    jobs_state *s = state_of(w);
    job *j = g_hash_table_lookup(s->jobs, (const char *)data);
    if (!j || j->status != SM_JOB_IN_PROGRESS)
        return;
    j->timer = 0;
    if (j->instance_type) {
        const gint64 *cap = g_hash_table_lookup(s->capacity, j->instance_type);
        g_autofree char *k = in_use_key(j);
        gint64 *used = counter(s->in_use, k);
        if (cap && *used + j->instances > *cap) {
            end_job(w, j, SM_JOB_FAILED, CAPACITY_REASON, "SageMaker.CAPACITY_ERROR");
            return;
        }
        *used += j->instances;
        j->holds_capacity = true;
    }
    j->started_us = j->modified_us = world_now(w);
    g_autofree char *denied = download_input(w, j);
    if (denied) {
        end_job(w, j, SM_JOB_FAILED, denied, NULL);
        return;
    }
    set_str(&j->secondary, provisioned_status(j));
    rng *r = job_rng(w, j);
    const kind_cfg *c = &s->cfg[j->kind];
    double secs = draw_duration(c, r);
    double u = rng_uniform(r), acc = 0;
    j->exception = NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(FAILURES); i++) {
        acc += c->fail_p[i];
        if (u < acc) {
            j->exception = FAILURES[i].type;
            secs *= rng_uniform(r);      /* fails part way */
            break;
        }
    }
    j->timer = world_schedule(w, world_now(w) + (int64_t)(secs * 1e6) + 1, job_finish,
                              g_strdup(j->arn), g_free);
}

static void job_stopped(world *w, void *data)
{
    job *j = g_hash_table_lookup(state_of(w)->jobs, (const char *)data);
    if (j && j->status == SM_JOB_STOPPING)
        end_job(w, j, SM_JOB_STOPPED, NULL, NULL);
}

/* ---- the operations -------------------------------------------------------------------------- */

/* DescribeAutoMLJob's own members: the secondary status and, once the job
 * completed, its best candidate.  Autopilot names candidates itself; crossim
 * names the one it reports <job name>-best-candidate and lists no candidate
 * steps (it runs no candidate training jobs). */
static void automl_describe(world *w, const job *j, cJSON *o)
{
    cJSON_AddStringToObject(o, "AutoMLJobSecondaryStatus", j->secondary);
    if (j->status != SM_JOB_COMPLETED)
        return;
    cJSON *b = cJSON_AddObjectToObject(o, "BestCandidate");
    g_autofree char *name = g_strdup_printf("%s-best-candidate", j->name);
    cJSON_AddStringToObject(b, "CandidateName", name);
    cJSON_AddStringToObject(b, "ObjectiveStatus", "Succeeded");
    cJSON_AddArrayToObject(b, "CandidateSteps");
    cJSON_AddStringToObject(b, "CandidateStatus", "Completed");
    api_add_time(w, b, "CreationTime", j->started_us >= 0 ? j->started_us : j->created_us);
    api_add_time(w, b, "EndTime", j->ended_us);
    api_add_time(w, b, "LastModifiedTime", j->ended_us);
}

static cJSON *describe(world *w, const job *j)
{
    const kind_def *k = &KINDS[j->kind];
    cJSON *o = cJSON_Duplicate(j->input, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "Tags");
    cJSON_AddStringToObject(o, k->arn_member, j->arn);
    cJSON_AddStringToObject(o, k->status_member, JOB_STATUS[j->status]);
    if (j->kind == K_TRAINING) {
        cJSON_AddStringToObject(o, "SecondaryStatus", j->secondary);
        const char *out = api_str(cJSON_GetObjectItemCaseSensitive(j->input, "OutputDataConfig"),
                                  "S3OutputPath");
        cJSON *ma = cJSON_AddObjectToObject(o, "ModelArtifacts");
        g_autofree char *uri = g_strdup_printf("%s%s%s/output/model.tar.gz", out ? out : "",
                                               out && g_str_has_suffix(out, "/") ? "" : "/",
                                               j->name);
        cJSON_AddStringToObject(ma, "S3ModelArtifacts", uri);
    }
    if (j->kind == K_AUTOML)
        automl_describe(w, j, o);
    if (j->failure)
        cJSON_AddStringToObject(o, "FailureReason", j->failure);
    api_add_time(w, o, "CreationTime", j->created_us);
    api_add_time(w, o, "LastModifiedTime", j->modified_us);
    static const char *const starts[K_N] = { "TrainingStartTime", "ProcessingStartTime",
                                             "TransformStartTime", NULL, NULL };
    static const char *const ends[K_N] = { "TrainingEndTime", "ProcessingEndTime",
                                           "TransformEndTime", "HyperParameterTuningEndTime",
                                           "EndTime" };
    if (j->started_us >= 0 && starts[j->kind])
        api_add_time(w, o, starts[j->kind], j->started_us);
    if (j->ended_us >= 0)
        api_add_time(w, o, ends[j->kind], j->ended_us);
    return o;
}

static job_kind kind_of(const api_call *c)
{
    const char *op = strchr(c->op->action, ':') + 1;
    for (int k = K_N - 1; k >= 0; k--)
        if (strstr(op, KINDS[k].noun) && (k != K_TRAINING || !strstr(op, "Tuning")))
            return (job_kind)k;
    return K_TRAINING;
}

static void job_resource(api_call *c, job_kind k, const char *arn)
{
    static const char *const types[K_N] = { "AWS::SageMaker::TrainingJob",
        "AWS::SageMaker::ProcessingJob", "AWS::SageMaker::TransformJob",
        "AWS::SageMaker::HyperParameterTuningJob", "AWS::SageMaker::AutoMLJob" };
    api_resource(c, arn, c->caller->account, types[k]);
}

/* iam:PassRole on role_arn for SageMaker (AWS-FACTS §6), then whether
 * SageMaker can use the role at all. */
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

/* The account's instance quota for the job's type (AWS-FACTS §3). */
static bool hold_usage(api_call *c, jobs_state *s, job *j)
{
    const char *usage = KINDS[j->kind].usage;
    g_autofree char *uk = usage_key(j);
    gint64 *used = counter(s->usage, uk);
    g_autofree char *qname = g_strdup_printf("sagemaker:%s for %s", j->instance_type, usage);
    int64_t quota = world_quota(c->w, j->account, qname, USAGE_QUOTA_DEFAULT);
    if (*used + j->instances > quota) {
        api_error_set(&c->err, "ResourceLimitExceeded",
                      "The account-level service limit '%s for %s' is %" G_GINT64_FORMAT
                      " Instances, with current utilization of %" G_GINT64_FORMAT " Instances and "
                      "a request delta of %" G_GINT64_FORMAT " Instances. Please use AWS Service "
                      "Quotas to request an increase for this quota.", j->instance_type, usage,
                      quota, *used, j->instances);
        return false;
    }
    *used += j->instances;
    j->holds_usage = true;
    return true;
}

static bool create_job(api_call *c)
{
    job_kind k = kind_of(c);
    const kind_def *kd = &KINDS[k];
    jobs_state *s = state_of(c->w);
    const char *name = api_str(c->input, kd->name_member);
    const char *account = c->caller->account;
    g_autofree char *arn = job_arn_for(c->w, k, account, name);
    job_resource(c, k, arn);
    g_autofree char *action = g_strdup_printf("sagemaker:Create%sJob", kd->noun);
    const cJSON *res = at_path(c->input, kd->res_path, 3);
    const char *itype = api_str(res, "InstanceType");
    int64_t count = (int64_t)api_num(res, "InstanceCount", 1);
    if (k == K_TUNING) {
        const cJSON *lim = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(c->input, "HyperParameterTuningJobConfig"),
            "ResourceLimits");
        count *= (int64_t)api_num(lim, "MaxParallelTrainingJobs", 1);
    }
    g_autoptr(iam_ctx) x = iam_ctx_new();
    if (itype)
        iam_ctx_add(x, "sagemaker:InstanceTypes", itype);
    api_ctx_request_tags(x, cJSON_GetObjectItemCaseSensitive(c->input, "Tags"), "Key", "Value");
    if (!take_token(s, account, c->now)) {
        api_error_set(&c->err, "ThrottlingException", "Rate exceeded");
        return false;
    }
    if (!api_authorize(c, action, arn, account, NULL, API_RES_OPTIONAL, x))
        return false;
    const char *role = kd->role_path[1]
        ? api_str(kd->role_path[0] ? cJSON_GetObjectItemCaseSensitive(c->input, kd->role_path[0])
                                   : c->input, kd->role_path[1])
        : NULL;
    if (role && !pass_role(c, role))
        return false;
    if (g_hash_table_contains(s->jobs, arn)) {
        api_error_set(&c->err, "ResourceInUse", "Job name must be unique within an AWS account "
                      "and region, and a job with this name already exists (%s)", arn);
        return false;
    }
    if (!itype && kd->usage) {
        api_error_set(&c->err, "ValidationException", "An instance type is required.");
        return false;
    }
    job *j = g_new0(job, 1);
    j->kind = k;
    j->account = g_strdup(account);
    j->instance_type = g_strdup(itype);
    j->instances = MAX(count, 1);
    if (kd->usage && !hold_usage(c, s, j)) {
        job_free(j);
        return false;
    }
    j->name = g_strdup(name);
    j->arn = g_strdup(arn);
    j->status = SM_JOB_IN_PROGRESS;
    j->secondary = g_strdup("Starting");
    j->input = cJSON_Duplicate(c->input, 1);
    j->created_us = j->modified_us = c->now;
    j->started_us = j->ended_us = -1;
    j->notify = c->invoked_by == NULL;
    g_hash_table_insert(s->jobs, j->arn, j);
    world_resource_add(c->w, j->arn, account, NULL);
    j->timer = world_schedule(c->w, c->now + PROVISION_US, job_provision, g_strdup(j->arn),
                              g_free);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, kd->arn_member, j->arn);
    return true;
}

static job *job_named(api_call *c, job_kind k, const char *verb)
{
    const kind_def *kd = &KINDS[k];
    const char *name = api_str(c->input, kd->name_member);
    g_autofree char *arn = job_arn_for(c->w, k, c->caller->account, name);
    job_resource(c, k, arn);
    g_autofree char *action = g_strdup_printf("sagemaker:%s%sJob", verb, kd->noun);
    if (!api_authorize_simple(c, action, arn))
        return NULL;
    job *j = g_hash_table_lookup(state_of(c->w)->jobs, arn);
    if (!j)
        api_error_set(&c->err, "ResourceNotFound", "Requested resource not found: %s %s does "
                      "not exist.", kd->name_member, name);
    return j;
}

static bool describe_job(api_call *c)
{
    job *j = job_named(c, kind_of(c), "Describe");
    if (!j)
        return false;
    c->output = describe(c->w, j);
    return true;
}

static bool stop_job(api_call *c)
{
    job *j = job_named(c, kind_of(c), "Stop");
    if (!j)
        return false;
    if (j->status != SM_JOB_IN_PROGRESS) {
        api_error_set(&c->err, "ValidationException", "The job %s is not in progress (status "
                      "%s) and cannot be stopped.", j->name, JOB_STATUS[j->status]);
        return false;
    }
    if (j->timer)
        world_cancel(c->w, j->timer);
    j->status = SM_JOB_STOPPING;
    set_str(&j->secondary, "Stopping");
    j->modified_us = c->now;
    j->timer = world_schedule(c->w, c->now + STOP_DELAY_US, job_stopped, g_strdup(j->arn),
                              g_free);
    return true;
}

/* Ascending by SortBy (Name, Status, else CreationTime), then by ARN. */
static gint cmp_job(gconstpointer a, gconstpointer b, gpointer by)
{
    const job *x = *(job *const *)a, *y = *(job *const *)b;
    int r = 0;
    if (g_strcmp0(by, "Name") == 0)
        r = strcmp(x->name, y->name);
    else if (g_strcmp0(by, "Status") == 0)
        r = strcmp(JOB_STATUS[x->status], JOB_STATUS[y->status]);
    if (r == 0 && x->created_us != y->created_us)
        r = x->created_us < y->created_us ? -1 : 1;
    return r ? r : strcmp(x->arn, y->arn);
}

static bool list_jobs(api_call *c)
{
    job_kind k = kind_of(c);
    const kind_def *kd = &KINDS[k];
    g_autofree char *action = g_strdup_printf("sagemaker:List%sJobs", kd->noun);
    if (!api_authorize_simple(c, action, "*"))
        return false;
    const char *contains = api_str(c->input, "NameContains");
    const char *status = api_str(c->input, "StatusEquals");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(c->w)->jobs);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        job *j = v;
        if (j->kind != k || strcmp(j->account, c->caller->account) != 0 ||
            (contains && !strstr(j->name, contains)) || (status && strcmp(JOB_STATUS[j->status], status) != 0))
            continue;
        g_ptr_array_add(rows, j);
    }
    g_ptr_array_sort_with_data(rows, cmp_job, (gpointer)api_str(c->input, "SortBy"));
    if (g_strcmp0(api_str(c->input, "SortOrder"), "Ascending") != 0)
        for (guint i = 0; i < rows->len / 2; i++) {
            gpointer tmp = rows->pdata[i];
            rows->pdata[i] = rows->pdata[rows->len - 1 - i];
            rows->pdata[rows->len - 1 - i] = tmp;
        }
    guint first, count;
    if (!sm_page(c, rows->len, &first, &count))
        return false;
    guint end = first + count;
    c->output = cJSON_CreateObject();
    g_autofree char *member = g_strdup_printf("%sJobSummaries", kd->noun);
    cJSON *list = cJSON_AddArrayToObject(c->output, member);
    for (guint i = first; i < end; i++) {
        const job *j = rows->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, kd->name_member, j->name);
        cJSON_AddStringToObject(e, kd->arn_member, j->arn);
        cJSON_AddStringToObject(e, kd->status_member, JOB_STATUS[j->status]);
        if (k == K_AUTOML)
            cJSON_AddStringToObject(e, "AutoMLJobSecondaryStatus", j->secondary);
        api_add_time(c->w, e, "CreationTime", j->created_us);
        if (k == K_AUTOML && j->ended_us >= 0)
            api_add_time(c->w, e, "EndTime", j->ended_us);
        api_add_time(c->w, e, "LastModifiedTime", j->modified_us);
        if (j->failure)
            cJSON_AddStringToObject(e, "FailureReason", j->failure);
        cJSON_AddItemToArray(list, e);
    }
    sm_page_token(c, first, count, rows->len);
    return true;
}

/* ---- for other modules ----------------------------------------------------------------------- */

sm_job_status_t sm_job_status(world *w, const char *job_arn, const char **failure)
{
    const job *j = g_hash_table_lookup(state_of(w)->jobs, job_arn);
    if (failure)
        *failure = j ? j->failure : NULL;
    return j ? j->status : SM_JOB_NONE;
}

cJSON *sm_job_describe(world *w, const char *job_arn)
{
    const job *j = g_hash_table_lookup(state_of(w)->jobs, job_arn);
    return j ? describe(w, j) : NULL;
}

const char *sm_job_exception_type(world *w, const char *job_arn)
{
    const job *j = g_hash_table_lookup(state_of(w)->jobs, job_arn);
    return j && j->status == SM_JOB_FAILED ? j->exception : NULL;
}


static const api_op ops[] = {
    { "sagemaker:CreateTrainingJob", create_job, false, API_TO_CALLER },
    { "sagemaker:DescribeTrainingJob", describe_job, true, API_TO_CALLER },
    { "sagemaker:StopTrainingJob", stop_job, false, API_TO_CALLER },
    { "sagemaker:ListTrainingJobs", list_jobs, true, API_TO_CALLER },
    { "sagemaker:CreateProcessingJob", create_job, false, API_TO_CALLER },
    { "sagemaker:DescribeProcessingJob", describe_job, true, API_TO_CALLER },
    { "sagemaker:StopProcessingJob", stop_job, false, API_TO_CALLER },
    { "sagemaker:ListProcessingJobs", list_jobs, true, API_TO_CALLER },
    { "sagemaker:CreateTransformJob", create_job, false, API_TO_CALLER },
    { "sagemaker:DescribeTransformJob", describe_job, true, API_TO_CALLER },
    { "sagemaker:StopTransformJob", stop_job, false, API_TO_CALLER },
    { "sagemaker:ListTransformJobs", list_jobs, true, API_TO_CALLER },
    { "sagemaker:CreateHyperParameterTuningJob", create_job, false, API_TO_CALLER },
    { "sagemaker:DescribeHyperParameterTuningJob", describe_job, true, API_TO_CALLER },
    { "sagemaker:StopHyperParameterTuningJob", stop_job, false, API_TO_CALLER },
    { "sagemaker:CreateAutoMLJob", create_job, false, API_TO_CALLER },
    { "sagemaker:DescribeAutoMLJob", describe_job, true, API_TO_CALLER },
    { "sagemaker:StopAutoMLJob", stop_job, false, API_TO_CALLER },
    { "sagemaker:ListAutoMLJobs", list_jobs, true, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

static const char *const happenings[] = { "sagemaker:job", NULL };

static void jobs_report(void *user, const cJSON *node, const char *path, const char *msg)
{
    jload_err(user, node, false, path, "%s", msg);
}

static void configure(world *w, const cJSON *v, const char *path, jload *l)
{
    (void)path;
    sm_jobs_configure(w, v, jobs_report, l);
}

const api_service api_service_sagemaker_jobs = {
    .name = "sagemaker-jobs", .prefix = "sagemaker", .event_source = "sagemaker.amazonaws.com",
    .endpoint = "api.sagemaker.%s.amazonaws.com",
    .ops = ops, .happenings = happenings, .scenario_key = "jobs", .configure = configure,
};
