/* model/cleanrooms_ml.c: AWS Clean Rooms ML lookalike modelling, across
 * accounts (SPEC CR1-CR11).
 *
 * Owns the service state slot "cleanrooms-ml": training datasets, audience
 * models (trained in simulated time), configured audience models (CAMs)
 * with their resource policies, audience generation jobs and audience
 * export jobs.
 *
 * Audience generation jobs (the heart, CR1-CR4): one execution (ml_exec)
 * has one or two copies (ml_job), one per account that can see it.  When
 * account A starts a job on a CAM owned by account B, the two copies'
 * ARNs differ only in the account id (CR1), A's copy keeps A's name and B's
 * is named "<A>-<name>" (CR4); names are unique per account.  Every call
 * other than StartAudienceGenerationJob names a resource of the caller's
 * own account (CR2, CR10): a call naming another account's ARN is
 * authorised as a cross-account request with no resource policy, which the
 * IAM engine denies with AccessDeniedException, whether or not the
 * resource exists.  Deleting either copy deletes the execution, so both
 * copies go (CR3).
 *
 * StartAudienceGenerationJob authorises three resources (CR5, CR6): A's new
 * job by A's policies alone; B's new job and B's CAM as cross-account
 * requests with the CAM's resource policy as resource policy (the IAM
 * engine then wants both B's policy and A's identity policy to allow), with
 * cleanrooms-ml:CollaborationId in the context when the request names one.
 * With a collaborationId the service then checks that the collaboration
 * exists and that the caller and the CAM's owner are both ACTIVE members
 * (CR9, model/cleanrooms.h).  Roles the service will assume (a training
 * dataset's, a CAM's output role, the seed audience's) are passed: the
 * caller needs iam:PassRole on them, and another account's role cannot be
 * passed.
 *
 * Tags (CR8): each copy has its own tags.  With
 * childResourceTagOnCreatePolicy FROM_PARENT_RESOURCE an own-account job
 * gets the CAM's tags overridden by the request's; across accounts B's copy
 * gets the CAM's tags and A's the request's.  With NONE the starter's copy
 * gets the request's tags and the owner's copy none.
 *
 * Privacy (CR11): a Get of a copy by the account that did not start the
 * job leaves out the seed audience's S3 location; an export job of a job
 * run on another account's CAM does not show its output location (the
 * CAM owner's bucket).
 *
 * Logs (CR7): every call is recorded in the caller's account only, the
 * cross-account StartAudienceGenerationJob included.  AWS writes no
 * CloudTrail record when a job or a model changes status, so neither does
 * crossim; the accounts that can see a job are notified (a happening that
 * scenario actors may wait for: "cleanrooms-ml:audience-generation-job"),
 * and Get/List show the new status.
 *
 * Iteration order that reaches output is always sorted (creation time,
 * then ARN), never hash order. */
#include "model/cleanrooms_ml.h"
#include "model/world_int.h"
#include "model/api_aux.h"
#include "model/base/enumx.h"
#include "model/service.h"

#include <stddef.h>
#include <string.h>

#include "model/cleanrooms.h"

#define ML_SLOT "cleanrooms-ml"
#define ML "cleanrooms-ml"
#define ML_SERVICE "cleanrooms-ml.amazonaws.com"
#define JOB_HAPPENING "cleanrooms-ml:audience-generation-job"
#define MODEL_HAPPENING "cleanrooms-ml:audience-model"
#define EXPORT_HAPPENING "cleanrooms-ml:audience-export-job"   /* all three listed in this file's happenings */

/* Modelling choices (README): how long things take, and how often they fail.
 * Each is an account quota a scenario may override. */
#define Q_PENDING_S "cleanrooms-ml:pending-seconds"
#define Q_TRAINING_S "cleanrooms-ml:training-median-seconds"
#define Q_TRAINING_FAIL "cleanrooms-ml:training-failure-permille"
#define Q_JOB_S "cleanrooms-ml:audience-generation-median-seconds"
#define Q_JOB_FAIL "cleanrooms-ml:audience-generation-failure-permille"
#define Q_EXPORT_S "cleanrooms-ml:export-median-seconds"

typedef struct ml_dataset {
    char    *arn, *account, *name, *role_arn, *description;
    cJSON   *training_data;
    cJSON   *tags;                      /* {key: value} */
    int64_t  created_us, updated_us;
} ml_dataset;

/* The lifecycle of audience models, generation jobs and export jobs, as
 * Clean Rooms ML names it. */
#define ML_STATUS_MAP(X) X(ML_CREATE_PENDING, "CREATE_PENDING") \
    X(ML_CREATE_IN_PROGRESS, "CREATE_IN_PROGRESS") X(ML_CREATE_FAILED, "CREATE_FAILED") \
    X(ML_ACTIVE, "ACTIVE")
typedef enum ml_status { ML_STATUS_MAP(ENUMX_ID) } ml_status;
static const char *const ML_STATUS[] = { ML_STATUS_MAP(ENUMX_NAME) };

typedef struct ml_model {
    char     *arn, *account, *name, *dataset_arn, *kms_key_arn, *description;
    ml_status status;
    char     *status_code, *status_message;
    cJSON    *start_time, *end_time;    /* trainingDataStart/EndTime as given */
    cJSON    *tags;
    int64_t   created_us, updated_us;
    uint64_t  timer;
} ml_model;

typedef struct ml_cam {
    char          *arn, *account, *name, *model_arn, *description, *child_tag_policy;
    cJSON         *output_config, *shared_metrics, *size_config;
    int            min_seed;
    cJSON         *tags;
    world_policy  *policy;              /* NULL: none */
    char          *policy_text, *policy_hash;
    int64_t        created_us, updated_us;
} ml_cam;

typedef struct ml_exec ml_exec;

typedef struct ml_job {                 /* one account's copy of an execution */
    char    *arn, *account, *name;
    cJSON   *tags;
    ml_exec *exec;                      /* borrowed back pointer */
} ml_job;

struct ml_exec {
    char     *id, *cam_arn, *started_by, *description, *collab_id;
    ml_status status;
    char     *status_code, *status_message;
    cJSON    *seed;                     /* seedAudience as given */
    bool      include_seed, has_include_seed;
    ml_job   *copies[2];                /* [0]: the starter's; [1]: the CAM owner's or NULL */
    int64_t   created_us, updated_us;
    uint64_t  timer;
};

typedef struct ml_export {
    char     *key;                      /* "<account>/<name>" */
    char     *account, *name, *job_arn, *description, *output_location;
    ml_status status;
    cJSON    *size;
    int64_t   created_us, updated_us;
    uint64_t  timer;
} ml_export;

typedef struct ml_state {
    GHashTable *datasets;   /* arn -> ml_dataset* (owned) */
    GHashTable *models;     /* arn -> ml_model* (owned) */
    GHashTable *cams;       /* arn -> ml_cam* (owned) */
    GHashTable *execs;      /* id -> ml_exec* (owned, with its copies) */
    GHashTable *jobs;       /* copy arn -> ml_job* (borrowed from execs) */
    GHashTable *exports;    /* key -> ml_export* (owned) */
    GHashTable *names;      /* set of name_key() strings (owned) */
} ml_state;

/* ---- state ----------------------------------------------------------------------------- */

static void dataset_free(gpointer p)
{
    ml_dataset *d = p;
    g_free(d->arn); g_free(d->account); g_free(d->name); g_free(d->role_arn); g_free(d->description);
    cJSON_Delete(d->training_data);
    cJSON_Delete(d->tags);
    g_free(d);
}

static void model_free(gpointer p)
{
    ml_model *m = p;
    g_free(m->arn); g_free(m->account); g_free(m->name); g_free(m->dataset_arn);
    g_free(m->kms_key_arn); g_free(m->description);
    g_free(m->status_code); g_free(m->status_message);
    cJSON_Delete(m->start_time); cJSON_Delete(m->end_time); cJSON_Delete(m->tags);
    g_free(m);
}

static void cam_free(gpointer p)
{
    ml_cam *m = p;
    g_free(m->arn); g_free(m->account); g_free(m->name); g_free(m->model_arn);
    g_free(m->description); g_free(m->child_tag_policy);
    cJSON_Delete(m->output_config); cJSON_Delete(m->shared_metrics); cJSON_Delete(m->size_config);
    cJSON_Delete(m->tags);
    world_policy_free(m->policy);
    g_free(m->policy_text); g_free(m->policy_hash);
    g_free(m);
}

static void job_free(ml_job *j)
{
    if (!j)
        return;
    g_free(j->arn); g_free(j->account); g_free(j->name);
    cJSON_Delete(j->tags);
    g_free(j);
}

static void exec_free(gpointer p)
{
    ml_exec *e = p;
    g_free(e->id); g_free(e->cam_arn); g_free(e->started_by); g_free(e->description);
    g_free(e->collab_id); g_free(e->status_code); g_free(e->status_message);
    cJSON_Delete(e->seed);
    job_free(e->copies[0]);
    job_free(e->copies[1]);
    g_free(e);
}

static void export_free(gpointer p)
{
    ml_export *x = p;
    g_free(x->key); g_free(x->account); g_free(x->name); g_free(x->job_arn);
    g_free(x->description); g_free(x->output_location);
    cJSON_Delete(x->size);
    g_free(x);
}

static void state_free(gpointer p)
{
    ml_state *s = p;
    g_hash_table_unref(s->jobs);
    g_hash_table_unref(s->execs);
    g_hash_table_unref(s->exports);
    g_hash_table_unref(s->cams);
    g_hash_table_unref(s->models);
    g_hash_table_unref(s->datasets);
    g_hash_table_unref(s->names);
    g_free(s);
}

static ml_state *state_of(world *w)
{
    ml_state *s = world_service_state(w, ML_SLOT);
    if (!s) {
        s = g_new0(ml_state, 1);
        s->datasets = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, dataset_free);
        s->models = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, model_free);
        s->cams = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, cam_free);
        s->execs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, exec_free);
        s->jobs = g_hash_table_new(g_str_hash, g_str_equal);
        s->exports = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, export_free);
        s->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        world_set_service_state(w, ML_SLOT, s, state_free);
    }
    return s;
}

static ml_cam *cam_get(world *w, const char *arn)
{
    return arn ? g_hash_table_lookup(state_of(w)->cams, arn) : NULL;
}

bool cleanrooms_ml_cam_exists(world *w, const char *cam_arn)
{
    return cam_get(w, cam_arn) != NULL;
}

const char *cleanrooms_ml_cam_policy(world *w, const char *cam_arn)
{
    const ml_cam *m = cam_get(w, cam_arn);
    return m ? m->policy_text : NULL;
}

char *cleanrooms_ml_policy_hash(const char *policy_text)
{
    return g_compute_checksum_for_string(G_CHECKSUM_SHA256, policy_text, -1);
}

/* ---- helpers ----------------------------------------------------------------------------- */

static void set_str(char **field, const char *v)
{
    g_free(*field);
    *field = g_strdup(v);
}

static char *ml_arn(world *w, const char *account, const char *type, const char *id)
{
    return g_strdup_printf("arn:aws:cleanrooms-ml:%s:%s:%s/%s", world_region(w), account, type, id);
}

/* "training-dataset", "audience-model", ... of an ARN of this service, or NULL. */
static char *arn_type(const char *arn)
{
    g_auto(GStrv) parts = arn ? g_strsplit(arn, ":", 6) : NULL;
    if (!parts || g_strv_length(parts) < 6 || strcmp(parts[2], ML) != 0)
        return NULL;
    const char *slash = strchr(parts[5], '/');
    return slash ? g_strndup(parts[5], (gsize)(slash - parts[5])) : NULL;
}

/* Authorises action on resource, owned by the account in its ARN, with the
 * resource's tags (may be NULL) and the given resource policy (may be NULL).
 * Another account's resource without a policy is denied by IAM (CR10). */
static bool authorize_on(api_call *c, const char *action, const char *resource,
                         const cJSON *tags, const world_policy *policy, iam_ctx *extra)
{
    g_autofree char *owner = api_arn_account(resource);
    g_autoptr(iam_ctx) x = iam_ctx_new();
    iam_ctx_merge(x, extra);
    api_ctx_resource_tags(x, tags, NULL, NULL);
    g_autoptr(GPtrArray) pols = g_ptr_array_new();
    if (policy)
        g_ptr_array_add(pols, policy->compiled);
    return api_authorize(c, action, resource, owner ? owner : c->caller->account,
                         policy ? pols : NULL, API_RES_OPTIONAL, x);
}

/* iam:PassRole on a role the service will assume later (training data,
 * output, seed).  A role of another account cannot be passed; the caller's
 * identity policy must allow iam:PassRole on the role, with
 * iam:PassedToService cleanrooms-ml.amazonaws.com.  The refusal is the
 * service's AccessDeniedException with IAM's message. */
static bool pass_role(api_call *c, const char *role_arn)
{
    if (!role_arn)
        return true;
    g_autofree char *owner = api_arn_account(role_arn);
    if (g_strcmp0(owner, c->caller->account) != 0) {
        api_error_set(&c->err, "AccessDeniedException",
                      "Cross-account pass role is not allowed: %s belongs to account %s, the "
                      "caller is in account %s", role_arn, owner ? owner : "?", c->caller->account);
        return false;
    }
    g_autoptr(iam_ctx) x = iam_ctx_new();
    iam_ctx_set(x, "iam:PassedToService", ML_SERVICE);
    if (api_authorize(c, "iam:PassRole", role_arn, owner, NULL, API_RES_OPTIONAL, x))
        return true;
    c->err.code = "AccessDeniedException";
    return false;
}

static bool not_found(api_call *c, const char *what, const char *arn)
{
    api_error_set(&c->err, "ResourceNotFoundException", "%s %s not found", what, arn);
    return false;
}

/* Rows sort by creation time, then by the string their first member points at. */
typedef struct row { int64_t t; const char *key; void *item; } row;

static gint cmp_row(gconstpointer a, gconstpointer b)
{
    const row *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* The caller's own resources of table t, by creation time then ARN (the
 * offsets locate each struct's account, arn and created_us). */
static GArray *own_rows(const api_call *c, GHashTable *t, size_t account_off, size_t arn_off,
                        size_t created_off)
{
    GArray *rows = g_array_new(FALSE, FALSE, sizeof(row));
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, t);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const char *base = v;
        const char *account = *(char *const *)(base + account_off);
        if (strcmp(account, c->caller->account) != 0)
            continue;
        row r = { *(const int64_t *)(base + created_off), *(char *const *)(base + arn_off), v };
        g_array_append_val(rows, r);
    }
    g_array_sort(rows, cmp_row);
    return rows;
}

/* Names are unique per account and resource type: an index of
 * "<type>\n<account>\n<name>" keys, kept as resources come and go. */
static char *name_key(const char *type, const char *account, const char *name)
{
    return g_strdup_printf("%s\n%s\n%s", type, account, name);
}

static bool name_taken(world *w, const char *type, const char *account, const char *name)
{
    g_autofree char *k = name_key(type, account, name);
    return g_hash_table_contains(state_of(w)->names, k);
}

static void name_add(world *w, const char *type, const char *account, const char *name)
{
    g_hash_table_add(state_of(w)->names, name_key(type, account, name));
}

static void name_remove(world *w, const char *type, const char *account, const char *name)
{
    g_autofree char *k = name_key(type, account, name);
    g_hash_table_remove(state_of(w)->names, k);
}

static bool conflict_name(api_call *c, const char *what, const char *name, const char *account)
{
    api_error_set(&c->err, "ConflictException", "The %s name %s is already used in account %s",
                  what, name, account);
    return false;
}

static cJSON *tags_dup(const cJSON *tags)
{
    return tags ? cJSON_Duplicate(tags, 1) : cJSON_CreateObject();
}

/* A duration drawn for account's resource: log-normal around the quota's
 * median (seconds) with p99 at four times it. */
static int64_t draw_us(world *w, rng *r, const char *account, const char *quota, int64_t dflt_s)
{
    double median = (double)world_quota(w, account, quota, dflt_s);
    if (median <= 0)
        return 0;
    return (int64_t)(rng_lognormal(r, median, 4 * median) * 1e6);
}

static bool draw_failure(world *w, rng *r, const char *account, const char *quota)
{
    int64_t permille = world_quota(w, account, quota, 0);
    return permille > 0 && (int64_t)rng_below(r, 1000) < permille;
}

/* ---- training datasets ---------------------------------------------------------------------- */

static bool create_training_dataset(api_call *c)
{
    const char *me = c->caller->account;
    const char *name = api_str(c->input, "name");
    char id[37];
    rng_uuid(c->rng, id);
    g_autofree char *arn = ml_arn(c->w, me, "training-dataset", id);
    g_autoptr(iam_ctx) x = iam_ctx_new();
    api_ctx_request_tags(x, cJSON_GetObjectItemCaseSensitive(c->input, "tags"), NULL, NULL);
    if (!authorize_on(c, "cleanrooms-ml:CreateTrainingDataset", arn, NULL, NULL, x) ||
        !pass_role(c, api_str(c->input, "roleArn")))
        return false;
    ml_state *s = state_of(c->w);
    if (name_taken(c->w, "training-dataset", me, name))
        return conflict_name(c, "training dataset", name, me);
    ml_dataset *d = g_new0(ml_dataset, 1);
    d->arn = g_strdup(arn);
    d->account = g_strdup(me);
    d->name = g_strdup(name);
    d->role_arn = g_strdup(api_str(c->input, "roleArn"));
    d->description = g_strdup(api_str(c->input, "description"));
    d->training_data = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c->input, "trainingData"), 1);
    d->tags = tags_dup(cJSON_GetObjectItemCaseSensitive(c->input, "tags"));
    d->created_us = d->updated_us = c->now;
    g_hash_table_insert(s->datasets, d->arn, d);
    name_add(c->w, "training-dataset", me, name);
    world_resource_add(c->w, d->arn, me, NULL);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "trainingDatasetArn", d->arn);
    return true;
}

static ml_dataset *dataset_get(world *w, const char *arn)
{
    return g_hash_table_lookup(state_of(w)->datasets, arn);
}

static bool get_training_dataset(api_call *c)
{
    const char *arn = api_str(c->input, "trainingDatasetArn");
    ml_dataset *d = dataset_get(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:GetTrainingDataset", arn, d ? d->tags : NULL, NULL, NULL))
        return false;
    if (!d)
        return not_found(c, "Training dataset", arn);
    c->output = cJSON_CreateObject();
    api_add_time(c->w, c->output, "createTime", d->created_us);
    api_add_time(c->w, c->output, "updateTime", d->updated_us);
    cJSON_AddStringToObject(c->output, "trainingDatasetArn", d->arn);
    cJSON_AddStringToObject(c->output, "name", d->name);
    cJSON_AddItemToObject(c->output, "trainingData", cJSON_Duplicate(d->training_data, 1));
    cJSON_AddStringToObject(c->output, "status", "ACTIVE");
    cJSON_AddStringToObject(c->output, "roleArn", d->role_arn);
    cJSON_AddItemToObject(c->output, "tags", cJSON_Duplicate(d->tags, 1));
    if (d->description)
        cJSON_AddStringToObject(c->output, "description", d->description);
    return true;
}

static bool list_training_datasets(api_call *c)
{
    if (!api_authorize(c, "cleanrooms-ml:ListTrainingDatasets", "*", NULL, NULL,
                       API_RES_OPTIONAL, NULL))
        return false;
    g_autoptr(GArray) rows = own_rows(c, state_of(c->w)->datasets, offsetof(ml_dataset, account),
                                      offsetof(ml_dataset, arn), offsetof(ml_dataset, created_us));
    guint first, count;
    if (!cleanrooms_page(c, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "trainingDatasets");
    for (guint i = first; i < first + count; i++) {
        const ml_dataset *d = g_array_index(rows, row, i).item;
        cJSON *e = cJSON_CreateObject();
        api_add_time(c->w, e, "createTime", d->created_us);
        api_add_time(c->w, e, "updateTime", d->updated_us);
        cJSON_AddStringToObject(e, "trainingDatasetArn", d->arn);
        cJSON_AddStringToObject(e, "name", d->name);
        cJSON_AddStringToObject(e, "status", "ACTIVE");
        if (d->description)
            cJSON_AddStringToObject(e, "description", d->description);
        cJSON_AddItemToArray(list, e);
    }
    cleanrooms_page_token(c, first, count, rows->len);
    return true;
}

static bool delete_training_dataset(api_call *c)
{
    const char *arn = api_str(c->input, "trainingDatasetArn");
    ml_state *s = state_of(c->w);
    ml_dataset *d = dataset_get(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:DeleteTrainingDataset", arn, d ? d->tags : NULL, NULL,
                      NULL))
        return false;
    if (!d)
        return not_found(c, "Training dataset", arn);
    /* The dependant named is the least ARN, never the first in hash order. */
    const char *user = NULL;
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, s->models);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const ml_model *m = v;
        if (strcmp(m->dataset_arn, arn) == 0 && (!user || strcmp(m->arn, user) < 0))
            user = m->arn;
    }
    if (user) {
        api_error_set(&c->err, "ConflictException",
                      "Training dataset %s is used by audience model %s", arn, user);
        return false;
    }
    name_remove(c->w, "training-dataset", d->account, d->name);
    world_resource_remove(c->w, arn);
    g_hash_table_remove(s->datasets, arn);
    return true;
}

/* ---- audience models ------------------------------------------------------------------------ */

static ml_model *model_get(world *w, const char *arn)
{
    return arn ? g_hash_table_lookup(state_of(w)->models, arn) : NULL;
}

static void model_notify(world *w, const ml_model *m)
{
    g_autoptr(cJSON) p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "audienceModelArn", m->arn);
    cJSON_AddStringToObject(p, "status", ML_STATUS[m->status]);
    world_notify(w, m->account, MODEL_HAPPENING, p);
}

/* Training: CREATE_PENDING, then CREATE_IN_PROGRESS, then ACTIVE or
 * CREATE_FAILED (modelling choice: durations and failure rate are quotas). */
static void model_step(world *w, void *data)
{
    ml_model *m = model_get(w, data);
    if (!m)
        return;
    m->timer = 0;
    g_autofree char *stream = g_strdup_printf("cleanrooms-ml/model/%s", m->arn);
    rng *r = world_rng(w, stream);
    int64_t now = world_now(w);
    if (m->status == ML_CREATE_PENDING) {
        m->status = ML_CREATE_IN_PROGRESS;
        m->timer = world_schedule(w, now + draw_us(w, r, m->account, Q_TRAINING_S, 3600),
                                  model_step, g_strdup(m->arn), g_free);
    } else if (draw_failure(w, r, m->account, Q_TRAINING_FAIL)) {
        m->status = ML_CREATE_FAILED;
        set_str(&m->status_code, "TRAINING_FAILED");
        set_str(&m->status_message, "The audience model could not be trained on the training "
                                    "dataset");
    } else {
        m->status = ML_ACTIVE;
    }
    m->updated_us = now;
    model_notify(w, m);
}

static bool create_audience_model(api_call *c)
{
    const char *me = c->caller->account;
    const char *name = api_str(c->input, "name");
    const char *ds = api_str(c->input, "trainingDatasetArn");
    char id[37];
    rng_uuid(c->rng, id);
    g_autofree char *arn = ml_arn(c->w, me, "audience-model", id);
    g_autoptr(iam_ctx) x = iam_ctx_new();
    api_ctx_request_tags(x, cJSON_GetObjectItemCaseSensitive(c->input, "tags"), NULL, NULL);
    ml_dataset *d = dataset_get(c->w, ds);
    /* The dataset is a resource of the call too: another account's is refused (CR10). */
    if (!authorize_on(c, "cleanrooms-ml:CreateAudienceModel", arn, NULL, NULL, x) ||
        !authorize_on(c, "cleanrooms-ml:CreateAudienceModel", ds, d ? d->tags : NULL, NULL, NULL))
        return false;
    if (!d)
        return not_found(c, "Training dataset", ds);
    ml_state *s = state_of(c->w);
    if (name_taken(c->w, "audience-model", me, name))
        return conflict_name(c, "audience model", name, me);
    ml_model *m = g_new0(ml_model, 1);
    m->arn = g_strdup(arn);
    m->account = g_strdup(me);
    m->name = g_strdup(name);
    m->dataset_arn = g_strdup(ds);
    m->kms_key_arn = g_strdup(api_str(c->input, "kmsKeyArn"));
    m->description = g_strdup(api_str(c->input, "description"));
    m->status = ML_CREATE_PENDING;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(c->input, "trainingDataStartTime");
    const cJSON *et = cJSON_GetObjectItemCaseSensitive(c->input, "trainingDataEndTime");
    m->start_time = st ? cJSON_Duplicate(st, 1) : NULL;
    m->end_time = et ? cJSON_Duplicate(et, 1) : NULL;
    m->tags = tags_dup(cJSON_GetObjectItemCaseSensitive(c->input, "tags"));
    m->created_us = m->updated_us = c->now;
    g_hash_table_insert(s->models, m->arn, m);
    name_add(c->w, "audience-model", me, name);
    world_resource_add(c->w, m->arn, me, NULL);
    g_autofree char *stream = g_strdup_printf("cleanrooms-ml/model/%s", m->arn);
    m->timer = world_schedule(c->w, c->now + draw_us(c->w, world_rng(c->w, stream), me,
                                                      Q_PENDING_S, 30),
                              model_step, g_strdup(m->arn), g_free);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "audienceModelArn", m->arn);
    return true;
}

static cJSON *model_json(world *w, const ml_model *m, bool summary)
{
    cJSON *o = cJSON_CreateObject();
    api_add_time(w, o, "createTime", m->created_us);
    api_add_time(w, o, "updateTime", m->updated_us);
    if (!summary && m->start_time)
        cJSON_AddItemToObject(o, "trainingDataStartTime", cJSON_Duplicate(m->start_time, 1));
    if (!summary && m->end_time)
        cJSON_AddItemToObject(o, "trainingDataEndTime", cJSON_Duplicate(m->end_time, 1));
    cJSON_AddStringToObject(o, "audienceModelArn", m->arn);
    cJSON_AddStringToObject(o, "name", m->name);
    cJSON_AddStringToObject(o, "trainingDatasetArn", m->dataset_arn);
    cJSON_AddStringToObject(o, "status", ML_STATUS[m->status]);
    if (!summary && m->status_code) {
        cJSON *sd = cJSON_AddObjectToObject(o, "statusDetails");
        cJSON_AddStringToObject(sd, "statusCode", m->status_code);
        cJSON_AddStringToObject(sd, "message", m->status_message);
    }
    if (!summary && m->kms_key_arn)
        cJSON_AddStringToObject(o, "kmsKeyArn", m->kms_key_arn);
    if (!summary)
        cJSON_AddItemToObject(o, "tags", cJSON_Duplicate(m->tags, 1));
    if (m->description)
        cJSON_AddStringToObject(o, "description", m->description);
    return o;
}

static bool get_audience_model(api_call *c)
{
    const char *arn = api_str(c->input, "audienceModelArn");
    ml_model *m = model_get(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:GetAudienceModel", arn, m ? m->tags : NULL, NULL, NULL))
        return false;
    if (!m)
        return not_found(c, "Audience model", arn);
    c->output = model_json(c->w, m, false);
    return true;
}

static bool list_audience_models(api_call *c)
{
    if (!api_authorize(c, "cleanrooms-ml:ListAudienceModels", "*", NULL, NULL,
                       API_RES_OPTIONAL, NULL))
        return false;
    g_autoptr(GArray) rows = own_rows(c, state_of(c->w)->models, offsetof(ml_model, account),
                                      offsetof(ml_model, arn), offsetof(ml_model, created_us));
    guint first, count;
    if (!cleanrooms_page(c, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "audienceModels");
    for (guint i = first; i < first + count; i++)
        cJSON_AddItemToArray(list, model_json(c->w, g_array_index(rows, row, i).item, true));
    cleanrooms_page_token(c, first, count, rows->len);
    return true;
}

static bool delete_audience_model(api_call *c)
{
    const char *arn = api_str(c->input, "audienceModelArn");
    ml_state *s = state_of(c->w);
    ml_model *m = model_get(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:DeleteAudienceModel", arn, m ? m->tags : NULL, NULL, NULL))
        return false;
    if (!m)
        return not_found(c, "Audience model", arn);
    const char *user = NULL;
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, s->cams);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const ml_cam *cm = v;
        if (strcmp(cm->model_arn, arn) == 0 && (!user || strcmp(cm->arn, user) < 0))
            user = cm->arn;
    }
    if (user) {
        api_error_set(&c->err, "ConflictException",
                      "Audience model %s is used by configured audience model %s", arn, user);
        return false;
    }
    if (m->timer)
        world_cancel(c->w, m->timer);
    name_remove(c->w, "audience-model", m->account, m->name);
    world_resource_remove(c->w, arn);
    g_hash_table_remove(s->models, arn);
    return true;
}

/* ---- configured audience models --------------------------------------------------------------- */

static bool create_cam(api_call *c)
{
    const char *me = c->caller->account;
    const char *name = api_str(c->input, "name");
    const char *model_arn = api_str(c->input, "audienceModelArn");
    char id[37];
    rng_uuid(c->rng, id);
    g_autofree char *arn = ml_arn(c->w, me, "configured-audience-model", id);
    g_autoptr(iam_ctx) x = iam_ctx_new();
    api_ctx_request_tags(x, cJSON_GetObjectItemCaseSensitive(c->input, "tags"), NULL, NULL);
    ml_model *m = model_get(c->w, model_arn);
    if (!authorize_on(c, "cleanrooms-ml:CreateConfiguredAudienceModel", arn, NULL, NULL, x) ||
        !authorize_on(c, "cleanrooms-ml:CreateConfiguredAudienceModel", model_arn,
                      m ? m->tags : NULL, NULL, NULL) ||
        !pass_role(c, api_str(cJSON_GetObjectItemCaseSensitive(c->input, "outputConfig"), "roleArn")))
        return false;
    if (!m)
        return not_found(c, "Audience model", model_arn);
    ml_state *s = state_of(c->w);
    if (name_taken(c->w, "configured-audience-model", me, name))
        return conflict_name(c, "configured audience model", name, me);
    ml_cam *cam = g_new0(ml_cam, 1);
    cam->arn = g_strdup(arn);
    cam->account = g_strdup(me);
    cam->name = g_strdup(name);
    cam->model_arn = g_strdup(model_arn);
    cam->description = g_strdup(api_str(c->input, "description"));
    const char *ctp = api_str(c->input, "childResourceTagOnCreatePolicy");
    cam->child_tag_policy = g_strdup(ctp ? ctp : "NONE");
    cam->output_config = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c->input, "outputConfig"), 1);
    cam->shared_metrics = cJSON_Duplicate(
        cJSON_GetObjectItemCaseSensitive(c->input, "sharedAudienceMetrics"), 1);
    const cJSON *sz = cJSON_GetObjectItemCaseSensitive(c->input, "audienceSizeConfig");
    cam->size_config = sz ? cJSON_Duplicate(sz, 1) : NULL;
    cam->min_seed = (int)api_num(c->input, "minMatchingSeedSize", 500);
    cam->tags = tags_dup(cJSON_GetObjectItemCaseSensitive(c->input, "tags"));
    cam->created_us = cam->updated_us = c->now;
    g_hash_table_insert(s->cams, cam->arn, cam);
    name_add(c->w, "configured-audience-model", me, name);
    world_resource_add(c->w, cam->arn, me, NULL);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "configuredAudienceModelArn", cam->arn);
    return true;
}

static cJSON *cam_json(world *w, const ml_cam *m, bool summary)
{
    cJSON *o = cJSON_CreateObject();
    api_add_time(w, o, "createTime", m->created_us);
    api_add_time(w, o, "updateTime", m->updated_us);
    cJSON_AddStringToObject(o, "configuredAudienceModelArn", m->arn);
    cJSON_AddStringToObject(o, "name", m->name);
    cJSON_AddStringToObject(o, "audienceModelArn", m->model_arn);
    cJSON_AddItemToObject(o, "outputConfig", cJSON_Duplicate(m->output_config, 1));
    if (m->description)
        cJSON_AddStringToObject(o, "description", m->description);
    cJSON_AddStringToObject(o, "status", "ACTIVE");
    if (!summary) {
        cJSON_AddItemToObject(o, "sharedAudienceMetrics", cJSON_Duplicate(m->shared_metrics, 1));
        cJSON_AddNumberToObject(o, "minMatchingSeedSize", m->min_seed);
        if (m->size_config)
            cJSON_AddItemToObject(o, "audienceSizeConfig", cJSON_Duplicate(m->size_config, 1));
        cJSON_AddItemToObject(o, "tags", cJSON_Duplicate(m->tags, 1));
        cJSON_AddStringToObject(o, "childResourceTagOnCreatePolicy", m->child_tag_policy);
    }
    return o;
}

static bool get_cam(api_call *c)
{
    const char *arn = api_str(c->input, "configuredAudienceModelArn");
    ml_cam *m = cam_get(c->w, arn);
    /* No resource policy here: the CAM's policy grants only Start (CR10). */
    if (!authorize_on(c, "cleanrooms-ml:GetConfiguredAudienceModel", arn, m ? m->tags : NULL,
                      NULL, NULL))
        return false;
    if (!m)
        return not_found(c, "Configured audience model", arn);
    c->output = cam_json(c->w, m, false);
    return true;
}

static bool list_cams(api_call *c)
{
    if (!api_authorize(c, "cleanrooms-ml:ListConfiguredAudienceModels", "*", NULL, NULL,
                       API_RES_OPTIONAL, NULL))
        return false;
    g_autoptr(GArray) rows = own_rows(c, state_of(c->w)->cams, offsetof(ml_cam, account),
                                      offsetof(ml_cam, arn), offsetof(ml_cam, created_us));
    guint first, count;
    if (!cleanrooms_page(c, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "configuredAudienceModels");
    for (guint i = first; i < first + count; i++)
        cJSON_AddItemToArray(list, cam_json(c->w, g_array_index(rows, row, i).item, true));
    cleanrooms_page_token(c, first, count, rows->len);
    return true;
}

static bool update_cam(api_call *c)
{
    const char *arn = api_str(c->input, "configuredAudienceModelArn");
    ml_cam *m = cam_get(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:UpdateConfiguredAudienceModel", arn, m ? m->tags : NULL,
                      NULL, NULL))
        return false;
    if (!m)
        return not_found(c, "Configured audience model", arn);
    if (!pass_role(c, api_str(cJSON_GetObjectItemCaseSensitive(c->input, "outputConfig"), "roleArn")))
        return false;
    const char *model_arn = api_str(c->input, "audienceModelArn");
    if (model_arn) {
        ml_model *am = model_get(c->w, model_arn);
        if (!authorize_on(c, "cleanrooms-ml:UpdateConfiguredAudienceModel", model_arn,
                          am ? am->tags : NULL, NULL, NULL))
            return false;
        if (!am)
            return not_found(c, "Audience model", model_arn);
        set_str(&m->model_arn, model_arn);
    }
    static const char *const objs[] = { "outputConfig", "sharedAudienceMetrics",
                                        "audienceSizeConfig" };
    cJSON **fields[] = { &m->output_config, &m->shared_metrics, &m->size_config };
    for (gsize i = 0; i < G_N_ELEMENTS(objs); i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(c->input, objs[i]);
        if (v) {
            cJSON_Delete(*fields[i]);
            *fields[i] = cJSON_Duplicate(v, 1);
        }
    }
    if (cJSON_GetObjectItemCaseSensitive(c->input, "minMatchingSeedSize"))
        m->min_seed = (int)api_num(c->input, "minMatchingSeedSize", 500);
    if (api_str(c->input, "description"))
        set_str(&m->description, api_str(c->input, "description"));
    m->updated_us = c->now;
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "configuredAudienceModelArn", m->arn);
    return true;
}

static bool delete_cam(api_call *c)
{
    const char *arn = api_str(c->input, "configuredAudienceModelArn");
    ml_state *s = state_of(c->w);
    ml_cam *m = cam_get(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:DeleteConfiguredAudienceModel", arn, m ? m->tags : NULL,
                      NULL, NULL))
        return false;
    if (!m)
        return not_found(c, "Configured audience model", arn);
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, s->execs);
    while (g_hash_table_iter_next(&it, NULL, &v))
        if (strcmp(((ml_exec *)v)->cam_arn, arn) == 0) {
            api_error_set(&c->err, "ConflictException",
                          "Configured audience model %s still has audience generation jobs", arn);
            return false;
        }
    name_remove(c->w, "configured-audience-model", m->account, m->name);
    world_resource_remove(c->w, arn);
    g_hash_table_remove(s->cams, arn);
    return true;
}

/* ---- the CAM's resource policy ----------------------------------------------------------------- */

static bool put_cam_policy(api_call *c)
{
    const char *arn = api_str(c->input, "configuredAudienceModelArn");
    const char *text = api_str(c->input, "configuredAudienceModelPolicy");
    const char *prev = api_str(c->input, "previousPolicyHash");
    const char *cond = api_str(c->input, "policyExistenceCondition");
    ml_cam *m = cam_get(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:PutConfiguredAudienceModelPolicy", arn,
                      m ? m->tags : NULL, NULL, NULL))
        return false;
    if (!m)
        return not_found(c, "Configured audience model", arn);
    /* Guards against concurrent changes.  botocore declares no
     * ConflictException for this operation, so a failed guard is a
     * ValidationException. */
    if (g_strcmp0(cond, "POLICY_MUST_EXIST") == 0 && !m->policy_text) {
        api_error_set(&c->err, "ValidationException",
                      "policyExistenceCondition is POLICY_MUST_EXIST but %s has no policy", arn);
        return false;
    }
    if (g_strcmp0(cond, "POLICY_MUST_NOT_EXIST") == 0 && m->policy_text) {
        api_error_set(&c->err, "ValidationException",
                      "policyExistenceCondition is POLICY_MUST_NOT_EXIST but %s has a policy", arn);
        return false;
    }
    if (prev && (!m->policy_hash || strcmp(prev, m->policy_hash) != 0)) {
        api_error_set(&c->err, "ValidationException",
                      "previousPolicyHash %s does not match the current policy of %s "
                      "(it was changed since it was read)", prev, arn);
        return false;
    }
    g_autoptr(cJSON) doc = cJSON_Parse(text);
    g_autoptr(GError) perr = NULL;
    world_policy *p = doc ? world_policy_new("configured audience model policy", arn, doc, &perr)
                          : NULL;
    if (!p) {
        api_error_set(&c->err, "ValidationException", "Malformed policy document: %s",
                      perr ? perr->message : "not JSON");
        return false;
    }
    world_policy_free(m->policy);
    m->policy = p;
    set_str(&m->policy_text, text);
    g_free(m->policy_hash);
    m->policy_hash = cleanrooms_ml_policy_hash(text);
    m->updated_us = c->now;
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "configuredAudienceModelPolicy", m->policy_text);
    cJSON_AddStringToObject(c->output, "policyHash", m->policy_hash);
    return true;
}

static bool get_cam_policy(api_call *c)
{
    const char *arn = api_str(c->input, "configuredAudienceModelArn");
    ml_cam *m = cam_get(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:GetConfiguredAudienceModelPolicy", arn,
                      m ? m->tags : NULL, NULL, NULL))
        return false;
    if (!m)
        return not_found(c, "Configured audience model", arn);
    if (!m->policy_text)
        return not_found(c, "Resource policy of configured audience model", arn);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "configuredAudienceModelArn", m->arn);
    cJSON_AddStringToObject(c->output, "configuredAudienceModelPolicy", m->policy_text);
    cJSON_AddStringToObject(c->output, "policyHash", m->policy_hash);
    return true;
}

static bool delete_cam_policy(api_call *c)
{
    const char *arn = api_str(c->input, "configuredAudienceModelArn");
    ml_cam *m = cam_get(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:DeleteConfiguredAudienceModelPolicy", arn,
                      m ? m->tags : NULL, NULL, NULL))
        return false;
    if (!m)
        return not_found(c, "Configured audience model", arn);
    if (!m->policy_text)
        return not_found(c, "Resource policy of configured audience model", arn);
    world_policy_free(m->policy);
    m->policy = NULL;
    g_clear_pointer(&m->policy_text, g_free);
    g_clear_pointer(&m->policy_hash, g_free);
    m->updated_us = c->now;
    return true;
}

/* ---- audience generation jobs ------------------------------------------------------------------ */

static ml_job *job_get(world *w, const char *arn)
{
    return arn ? g_hash_table_lookup(state_of(w)->jobs, arn) : NULL;
}

static void job_notify(world *w, const ml_exec *e)
{
    for (int i = 0; i < 2; i++) {
        const ml_job *j = e->copies[i];
        if (!j)
            continue;
        g_autoptr(cJSON) p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "audienceGenerationJobArn", j->arn);
        cJSON_AddStringToObject(p, "name", j->name);
        cJSON_AddStringToObject(p, "status", ML_STATUS[e->status]);
        world_notify(w, j->account, JOB_HAPPENING, p);
    }
}

/* The job runs once: CREATE_PENDING, CREATE_IN_PROGRESS, then ACTIVE or
 * CREATE_FAILED, seen the same by both copies (CR3). */
static void exec_step(world *w, void *data)
{
    ml_exec *e = g_hash_table_lookup(state_of(w)->execs, data);
    if (!e)
        return;
    e->timer = 0;
    g_autofree char *stream = g_strdup_printf("cleanrooms-ml/job/%s", e->id);
    rng *r = world_rng(w, stream);
    int64_t now = world_now(w);
    const char *owner = e->copies[1] ? e->copies[1]->account : e->started_by;
    if (e->status == ML_CREATE_PENDING) {
        e->status = ML_CREATE_IN_PROGRESS;
        e->timer = world_schedule(w, now + draw_us(w, r, owner, Q_JOB_S, 900), exec_step,
                                  g_strdup(e->id), g_free);
    } else if (draw_failure(w, r, owner, Q_JOB_FAIL)) {
        e->status = ML_CREATE_FAILED;
        set_str(&e->status_code, "INSUFFICIENT_MATCHING_SEED");
        set_str(&e->status_message, "Too few seed audience records matched the training data");
    } else {
        e->status = ML_ACTIVE;
    }
    e->updated_us = now;
    job_notify(w, e);
}

/* The tags of a new copy (CR8): own-account jobs take the CAM's tags under
 * FROM_PARENT_RESOURCE with the request's overriding; across accounts the
 * owner's copy takes the CAM's tags (or none under NONE) and the
 * starter's the request's. */
static cJSON *copy_tags(const ml_cam *cam, const cJSON *req, bool starter, bool cross)
{
    bool inherit = strcmp(cam->child_tag_policy, "FROM_PARENT_RESOURCE") == 0;
    if (!starter)
        return inherit ? tags_dup(cam->tags) : cJSON_CreateObject();
    if (cross || !inherit)
        return tags_dup(req);
    cJSON *t = tags_dup(cam->tags);
    const cJSON *e;
    cJSON_ArrayForEach(e, req) {
        cJSON_DeleteItemFromObjectCaseSensitive(t, e->string);
        cJSON_AddItemToObject(t, e->string, cJSON_Duplicate(e, 1));
    }
    return t;
}

static ml_job *job_new(ml_exec *e, const char *arn, const char *account, const char *name,
                       cJSON *tags /* taken */)
{
    ml_job *j = g_new0(ml_job, 1);
    j->arn = g_strdup(arn);
    j->account = g_strdup(account);
    j->name = g_strdup(name);
    j->tags = tags;
    j->exec = e;
    return j;
}

static bool start_job(api_call *c)
{
    static const char *const act = "cleanrooms-ml:StartAudienceGenerationJob";
    const char *a = c->caller->account;
    const char *name = api_str(c->input, "name");
    const char *cam_arn = api_str(c->input, "configuredAudienceModelArn");
    const char *collab = api_str(c->input, "collaborationId");
    const cJSON *req_tags = cJSON_GetObjectItemCaseSensitive(c->input, "tags");
    g_autofree char *b = api_arn_account(cam_arn);
    if (!b) {
        api_error_set(&c->err, "ValidationException", "Invalid configuredAudienceModelArn: %s",
                      cam_arn);
        return false;
    }
    bool cross = strcmp(a, b) != 0;
    char id[37];
    rng_uuid(c->rng, id);
    g_autofree char *a_job = ml_arn(c->w, a, "audience-generation-job", id);
    g_autofree char *b_job = ml_arn(c->w, b, "audience-generation-job", id);
    ml_cam *cam = cam_get(c->w, cam_arn);

    /* Three resources (CR5, CR6): A's job by A's policies; B's job and B's
     * CAM with the CAM's resource policy (across accounts both sides). */
    g_autoptr(iam_ctx) x = iam_ctx_new();
    if (collab)
        iam_ctx_set(x, "cleanrooms-ml:CollaborationId", collab);
    g_autoptr(iam_ctx) xa = iam_ctx_new();
    iam_ctx_merge(xa, x);
    api_ctx_request_tags(xa, req_tags, NULL, NULL);
    const world_policy *pol = cam ? cam->policy : NULL;
    if (!authorize_on(c, act, a_job, NULL, NULL, xa) ||
        (cross && !authorize_on(c, act, b_job, NULL, pol, x)) ||
        !authorize_on(c, act, cam_arn, cam ? cam->tags : NULL, pol, x) ||
        !pass_role(c, api_str(cJSON_GetObjectItemCaseSensitive(c->input, "seedAudience"), "roleArn")))
        return false;
    if (!cam)
        return not_found(c, "Configured audience model", cam_arn);

    /* CR9: the collaboration exists and both parties are active members. */
    if (collab) {
        const char *sa = cleanrooms_member_status(c->w, collab, a);
        if (!sa) {
            api_error_set(&c->err, "ResourceNotFoundException", "Collaboration %s not found",
                          collab);
            return false;
        }
        const char *sb = cleanrooms_member_status(c->w, collab, b);
        if (strcmp(sa, "ACTIVE") != 0 || strcmp(sb, "ACTIVE") != 0) {
            bool caller_bad = strcmp(sa, "ACTIVE") != 0;
            const char *who = caller_bad ? a : b, *st = caller_bad ? sa : sb;
            api_error_set(&c->err, "AccessDeniedException",
                          "Account %s (%s) is not an active member of collaboration %s (%s)",
                          who, caller_bad ? "the caller" : "the configured audience model's owner",
                          collab, *st ? st : "not a member");
            return false;
        }
    }
    const ml_model *am = model_get(c->w, cam->model_arn);
    if (!am || am->status != ML_ACTIVE) {
        api_error_set(&c->err, "ValidationException",
                      "The audience model %s of configured audience model %s is %s, not ACTIVE",
                      cam->model_arn, cam_arn, am ? ML_STATUS[am->status] : "deleted");
        return false;
    }
    /* CR4: names are unique per account; B sees "<A>-<name>". */
    ml_state *s = state_of(c->w);
    g_autofree char *b_name = cross ? g_strdup_printf("%s-%s", a, name) : NULL;
    if (name_taken(c->w, "audience-generation-job", a, name))
        return conflict_name(c, "audience generation job", name, a);
    if (cross && name_taken(c->w, "audience-generation-job", b, b_name))
        return conflict_name(c, "audience generation job", b_name, b);

    ml_exec *e = g_new0(ml_exec, 1);
    e->id = g_strdup(id);
    e->cam_arn = g_strdup(cam_arn);
    e->started_by = g_strdup(a);
    e->description = g_strdup(api_str(c->input, "description"));
    e->collab_id = g_strdup(collab);
    e->status = ML_CREATE_PENDING;
    e->seed = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c->input, "seedAudience"), 1);
    const cJSON *inc = cJSON_GetObjectItemCaseSensitive(c->input, "includeSeedInOutput");
    e->has_include_seed = cJSON_IsBool(inc);
    e->include_seed = cJSON_IsTrue(inc);
    e->created_us = e->updated_us = c->now;
    e->copies[0] = job_new(e, a_job, a, name, copy_tags(cam, req_tags, true, cross));
    if (cross)
        e->copies[1] = job_new(e, b_job, b, b_name, copy_tags(cam, req_tags, false, true));
    g_hash_table_insert(s->execs, e->id, e);
    for (int i = 0; i < 2; i++)
        if (e->copies[i]) {
            g_hash_table_insert(s->jobs, e->copies[i]->arn, e->copies[i]);
            name_add(c->w, "audience-generation-job", e->copies[i]->account, e->copies[i]->name);
            world_resource_add(c->w, e->copies[i]->arn, e->copies[i]->account, NULL);
        }
    g_autofree char *stream = g_strdup_printf("cleanrooms-ml/job/%s", e->id);
    e->timer = world_schedule(c->w, c->now + draw_us(c->w, world_rng(c->w, stream), b,
                                                      Q_PENDING_S, 30),
                              exec_step, g_strdup(e->id), g_free);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "audienceGenerationJobArn", a_job);
    return true;
}

/* The job as the account of copy j sees it (CR11: the account that did not
 * start it never sees the seed's S3 location). */
static cJSON *job_json(world *w, const ml_job *j, bool summary)
{
    const ml_exec *e = j->exec;
    bool starter = strcmp(j->account, e->started_by) == 0;
    cJSON *o = cJSON_CreateObject();
    api_add_time(w, o, "createTime", e->created_us);
    api_add_time(w, o, "updateTime", e->updated_us);
    cJSON_AddStringToObject(o, "audienceGenerationJobArn", j->arn);
    cJSON_AddStringToObject(o, "name", j->name);
    if (e->description)
        cJSON_AddStringToObject(o, "description", e->description);
    cJSON_AddStringToObject(o, "status", ML_STATUS[e->status]);
    if (!summary && e->status_code) {
        cJSON *sd = cJSON_AddObjectToObject(o, "statusDetails");
        cJSON_AddStringToObject(sd, "statusCode", e->status_code);
        cJSON_AddStringToObject(sd, "message", e->status_message);
    }
    cJSON_AddStringToObject(o, "configuredAudienceModelArn", e->cam_arn);
    if (!summary && e->seed) {
        cJSON *seed = cJSON_Duplicate(e->seed, 1);
        if (!starter)
            cJSON_DeleteItemFromObjectCaseSensitive(seed, "dataSource");
        cJSON_AddItemToObject(o, "seedAudience", seed);
    }
    if (!summary && e->has_include_seed)
        cJSON_AddBoolToObject(o, "includeSeedInOutput", e->include_seed);
    if (e->collab_id)
        cJSON_AddStringToObject(o, "collaborationId", e->collab_id);
    cJSON_AddStringToObject(o, "startedBy", e->started_by);
    if (!summary)
        cJSON_AddItemToObject(o, "tags", cJSON_Duplicate(j->tags, 1));
    return o;
}

static bool get_job(api_call *c)
{
    const char *arn = api_str(c->input, "audienceGenerationJobArn");
    ml_job *j = job_get(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:GetAudienceGenerationJob", arn, j ? j->tags : NULL, NULL,
                      NULL))
        return false;
    if (!j)
        return not_found(c, "Audience generation job", arn);
    c->output = job_json(c->w, j, false);
    return true;
}

static bool list_jobs(api_call *c)
{
    if (!api_authorize(c, "cleanrooms-ml:ListAudienceGenerationJobs", "*", NULL, NULL,
                       API_RES_OPTIONAL, NULL))
        return false;
    const char *cam = api_str(c->input, "configuredAudienceModelArn");
    const char *collab = api_str(c->input, "collaborationId");
    g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(row));
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(c->w)->jobs);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        ml_job *j = v;
        if (strcmp(j->account, c->caller->account) != 0 ||
            (cam && strcmp(j->exec->cam_arn, cam) != 0) ||
            (collab && g_strcmp0(j->exec->collab_id, collab) != 0))
            continue;
        g_array_append_val(rows, ((row){ j->exec->created_us, j->arn, j }));
    }
    g_array_sort(rows, cmp_row);
    guint first, count;
    if (!cleanrooms_page(c, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "audienceGenerationJobs");
    for (guint i = first; i < first + count; i++)
        cJSON_AddItemToArray(list, job_json(c->w, g_array_index(rows, row, i).item, true));
    cleanrooms_page_token(c, first, count, rows->len);
    return true;
}

static bool delete_job(api_call *c)
{
    const char *arn = api_str(c->input, "audienceGenerationJobArn");
    ml_job *j = job_get(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:DeleteAudienceGenerationJob", arn, j ? j->tags : NULL,
                      NULL, NULL))
        return false;
    if (!j)
        return not_found(c, "Audience generation job", arn);
    /* CR3: either account deletes the one execution; both copies go. */
    ml_state *s = state_of(c->w);
    ml_exec *e = j->exec;
    if (e->timer)
        world_cancel(c->w, e->timer);
    for (int i = 0; i < 2; i++)
        if (e->copies[i]) {
            name_remove(c->w, "audience-generation-job", e->copies[i]->account,
                        e->copies[i]->name);
            world_resource_remove(c->w, e->copies[i]->arn);
            g_hash_table_remove(s->jobs, e->copies[i]->arn);
        }
    g_hash_table_remove(s->execs, e->id);
    return true;
}

/* ---- audience export jobs ------------------------------------------------------------------------ */

static void export_step(world *w, void *data)
{
    ml_export *x = g_hash_table_lookup(state_of(w)->exports, data);
    if (!x)
        return;
    x->timer = 0;
    x->status = ML_ACTIVE;
    x->updated_us = world_now(w);
    g_autoptr(cJSON) p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", x->name);
    cJSON_AddStringToObject(p, "audienceGenerationJobArn", x->job_arn);
    cJSON_AddStringToObject(p, "status", ML_STATUS[x->status]);
    world_notify(w, x->account, EXPORT_HAPPENING, p);
}

static bool start_export(api_call *c)
{
    const char *me = c->caller->account;
    const char *name = api_str(c->input, "name");
    const char *arn = api_str(c->input, "audienceGenerationJobArn");
    ml_job *j = job_get(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:StartAudienceExportJob", arn, j ? j->tags : NULL, NULL,
                      NULL))
        return false;
    if (!j)
        return not_found(c, "Audience generation job", arn);
    if (j->exec->status != ML_ACTIVE) {
        api_error_set(&c->err, "ConflictException",
                      "Audience generation job %s is %s; only an ACTIVE job can be exported", arn,
                      ML_STATUS[j->exec->status]);
        return false;
    }
    ml_state *s = state_of(c->w);
    g_autofree char *key = g_strdup_printf("%s/%s", me, name);
    if (g_hash_table_contains(s->exports, key))
        return conflict_name(c, "audience export job", name, me);
    ml_export *x = g_new0(ml_export, 1);
    x->key = g_steal_pointer(&key);
    x->account = g_strdup(me);
    x->name = g_strdup(name);
    x->job_arn = g_strdup(arn);
    x->description = g_strdup(api_str(c->input, "description"));
    x->status = ML_CREATE_PENDING;
    x->size = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c->input, "audienceSize"), 1);
    /* The audience lands at the CAM's output destination, in its owner's
     * bucket: only the owner is told where (CR11). */
    const ml_cam *cam = cam_get(c->w, j->exec->cam_arn);
    const char *dest = cam ? api_str(cJSON_GetObjectItemCaseSensitive(
                                 cJSON_GetObjectItemCaseSensitive(cam->output_config, "destination"),
                                 "s3Destination"), "s3Uri") : NULL;
    if (cam && dest && strcmp(cam->account, me) == 0) {
        g_autofree char *base = g_strdup(dest);
        gsize n = strlen(base);
        while (n > 0 && base[n - 1] == '/')
            base[--n] = '\0';
        x->output_location = g_strdup_printf("%s/%s/%s", base, j->exec->id, name);
    }
    x->created_us = x->updated_us = c->now;
    g_hash_table_insert(s->exports, x->key, x);
    g_autofree char *stream = g_strdup_printf("cleanrooms-ml/export/%s", x->key);
    x->timer = world_schedule(c->w, c->now + draw_us(c->w, world_rng(c->w, stream), me,
                                                      Q_EXPORT_S, 120),
                              export_step, g_strdup(x->key), g_free);
    return true;
}

static bool list_exports(api_call *c)
{
    if (!api_authorize(c, "cleanrooms-ml:ListAudienceExportJobs", "*", NULL, NULL,
                       API_RES_OPTIONAL, NULL))
        return false;
    const char *job = api_str(c->input, "audienceGenerationJobArn");
    g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(row));
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(c->w)->exports);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        ml_export *x = v;
        if (strcmp(x->account, c->caller->account) == 0 && (!job || strcmp(x->job_arn, job) == 0))
            g_array_append_val(rows, ((row){ x->created_us, x->key, x }));
    }
    g_array_sort(rows, cmp_row);
    guint first, count;
    if (!cleanrooms_page(c, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "audienceExportJobs");
    for (guint i = first; i < first + count; i++) {
        const ml_export *x = g_array_index(rows, row, i).item;
        cJSON *e = cJSON_CreateObject();
        api_add_time(c->w, e, "createTime", x->created_us);
        api_add_time(c->w, e, "updateTime", x->updated_us);
        cJSON_AddStringToObject(e, "name", x->name);
        cJSON_AddStringToObject(e, "audienceGenerationJobArn", x->job_arn);
        cJSON_AddItemToObject(e, "audienceSize", cJSON_Duplicate(x->size, 1));
        if (x->description)
            cJSON_AddStringToObject(e, "description", x->description);
        cJSON_AddStringToObject(e, "status", ML_STATUS[x->status]);
        if (x->output_location)
            cJSON_AddStringToObject(e, "outputLocation", x->output_location);
        cJSON_AddItemToArray(list, e);
    }
    cleanrooms_page_token(c, first, count, rows->len);
    return true;
}

/* ---- tags ---------------------------------------------------------------------------------------- */

/* The tag map of the caller-visible resource at arn (each job copy has its
 * own), or NULL when there is none. */
static cJSON **tags_of(world *w, const char *arn)
{
    g_autofree char *type = arn_type(arn);
    if (!type)
        return NULL;
    if (strcmp(type, "training-dataset") == 0) {
        ml_dataset *d = dataset_get(w, arn);
        return d ? &d->tags : NULL;
    }
    if (strcmp(type, "audience-model") == 0) {
        ml_model *m = model_get(w, arn);
        return m ? &m->tags : NULL;
    }
    if (strcmp(type, "configured-audience-model") == 0) {
        ml_cam *m = cam_get(w, arn);
        return m ? &m->tags : NULL;
    }
    if (strcmp(type, "audience-generation-job") == 0) {
        ml_job *j = job_get(w, arn);
        return j ? &j->tags : NULL;
    }
    return NULL;
}

static bool tag_resource(api_call *c)
{
    const char *arn = api_str(c->input, "resourceArn");
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(c->input, "tags"), *t;
    cJSON **cur = tags_of(c->w, arn);
    g_autoptr(iam_ctx) x = iam_ctx_new();
    api_ctx_request_tags(x, tags, NULL, NULL);
    if (!authorize_on(c, "cleanrooms-ml:TagResource", arn, cur ? *cur : NULL, NULL, x))
        return false;
    if (!cur)
        return not_found(c, "Resource", arn);
    cJSON_ArrayForEach(t, tags) {
        cJSON_DeleteItemFromObjectCaseSensitive(*cur, t->string);
        cJSON_AddItemToObject(*cur, t->string, cJSON_Duplicate(t, 1));
    }
    c->output = cJSON_CreateObject();
    return true;
}

static bool untag_resource(api_call *c)
{
    const char *arn = api_str(c->input, "resourceArn");
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(c->input, "tagKeys"), *k;
    cJSON **cur = tags_of(c->w, arn);
    g_autoptr(iam_ctx) x = iam_ctx_new();
    cJSON_ArrayForEach(k, keys)
        iam_ctx_add(x, "aws:TagKeys", cJSON_GetStringValue(k));
    if (!authorize_on(c, "cleanrooms-ml:UntagResource", arn, cur ? *cur : NULL, NULL, x))
        return false;
    if (!cur)
        return not_found(c, "Resource", arn);
    cJSON_ArrayForEach(k, keys)
        cJSON_DeleteItemFromObjectCaseSensitive(*cur, cJSON_GetStringValue(k));
    c->output = cJSON_CreateObject();
    return true;
}

static bool list_tags(api_call *c)
{
    const char *arn = api_str(c->input, "resourceArn");
    cJSON **cur = tags_of(c->w, arn);
    if (!authorize_on(c, "cleanrooms-ml:ListTagsForResource", arn, cur ? *cur : NULL, NULL, NULL))
        return false;
    if (!cur)
        return not_found(c, "Resource", arn);
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "tags", cJSON_Duplicate(*cur, 1));
    return true;
}

/* CR7: every call, the cross-account Start included, is recorded in the
 * caller's account only. */

static const api_op ops[] = {
    { "cleanrooms-ml:CreateTrainingDataset", create_training_dataset, false, API_TO_CALLER },
    { "cleanrooms-ml:GetTrainingDataset", get_training_dataset, true, API_TO_CALLER },
    { "cleanrooms-ml:ListTrainingDatasets", list_training_datasets, true, API_TO_CALLER },
    { "cleanrooms-ml:DeleteTrainingDataset", delete_training_dataset, false, API_TO_CALLER },
    { "cleanrooms-ml:CreateAudienceModel", create_audience_model, false, API_TO_CALLER },
    { "cleanrooms-ml:GetAudienceModel", get_audience_model, true, API_TO_CALLER },
    { "cleanrooms-ml:ListAudienceModels", list_audience_models, true, API_TO_CALLER },
    { "cleanrooms-ml:DeleteAudienceModel", delete_audience_model, false, API_TO_CALLER },
    { "cleanrooms-ml:CreateConfiguredAudienceModel", create_cam, false, API_TO_CALLER },
    { "cleanrooms-ml:GetConfiguredAudienceModel", get_cam, true, API_TO_CALLER },
    { "cleanrooms-ml:ListConfiguredAudienceModels", list_cams, true, API_TO_CALLER },
    { "cleanrooms-ml:UpdateConfiguredAudienceModel", update_cam, false, API_TO_CALLER },
    { "cleanrooms-ml:DeleteConfiguredAudienceModel", delete_cam, false, API_TO_CALLER },
    { "cleanrooms-ml:PutConfiguredAudienceModelPolicy", put_cam_policy, false, API_TO_CALLER },
    { "cleanrooms-ml:GetConfiguredAudienceModelPolicy", get_cam_policy, true, API_TO_CALLER },
    { "cleanrooms-ml:DeleteConfiguredAudienceModelPolicy", delete_cam_policy, false,
      API_TO_CALLER },
    { "cleanrooms-ml:StartAudienceGenerationJob", start_job, false, API_TO_CALLER },
    { "cleanrooms-ml:GetAudienceGenerationJob", get_job, true, API_TO_CALLER },
    { "cleanrooms-ml:ListAudienceGenerationJobs", list_jobs, true, API_TO_CALLER },
    { "cleanrooms-ml:DeleteAudienceGenerationJob", delete_job, false, API_TO_CALLER },
    { "cleanrooms-ml:StartAudienceExportJob", start_export, false, API_TO_CALLER },
    { "cleanrooms-ml:ListAudienceExportJobs", list_exports, true, API_TO_CALLER },
    { "cleanrooms-ml:TagResource", tag_resource, false, API_TO_CALLER },
    { "cleanrooms-ml:UntagResource", untag_resource, false, API_TO_CALLER },
    { "cleanrooms-ml:ListTagsForResource", list_tags, true, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

static const char *const happenings[] = { "cleanrooms-ml:audience-model", "cleanrooms-ml:audience-generation-job",
                                            "cleanrooms-ml:audience-export-job", NULL };

/* A configured audience model's resource policy decides only
 * StartAudienceGenerationJob on it (CR10), as the call path reads it. */
static bool resource_policies(world *w, const principal *caller, const char *action,
                              const char *resource, GPtrArray *out, api_resource_mode *mode,
                              char **owner)
{
    (void)caller;
    (void)owner;                 /* the ARN's account */
    g_autofree char *type = arn_type(resource);
    const ml_cam *m = g_strcmp0(type, "configured-audience-model") == 0 ? cam_get(w, resource)
                                                                        : NULL;
    if (!m)
        return false;
    *mode = API_RES_OPTIONAL;
    if (g_strcmp0(action, "cleanrooms-ml:StartAudienceGenerationJob") == 0 && m->policy)
        g_ptr_array_add(out, m->policy->compiled);
    return true;
}

const api_service api_service_cleanrooms_ml = {
    .name = "cleanrooms-ml", .prefix = "cleanrooms-ml", .event_source = "cleanrooms-ml.amazonaws.com",
    .endpoint = "cleanrooms-ml.%s.amazonaws.com", .ops = ops,
    .happenings = happenings, .resource_policies = resource_policies,
};
